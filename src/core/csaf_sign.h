/*
 * csaf_sign.h - OpenPGP signatures of the CSAF provider's files (CSAF 2.0 §7.1.21), through
 * GPGME.
 *
 * The operator names a key of the server's GnuPG keyring (GNUPGHOME) by its fingerprint
 * (`rabta serve --csaf-signing-key FPR`); its secret part must be usable without a passphrase
 * prompt (a dedicated signing key). Then every `<file>.json` of the directory distribution also
 * has a `<file>.json.asc` (an armored detached signature of the bytes served), the public key is
 * served at `/.well-known/csaf/openpgp/<FPR>.asc`, and the provider metadata lists it in
 * `public_openpgp_keys`. Without a key nothing is signed and those routes answer 404.
 *
 * Each call makes a GPGME context of its own, so the functions may run on every server thread.
 */
#ifndef RABTA_CSAF_SIGN_H
#define RABTA_CSAF_SIGN_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

#define CSAF_FPR_MAX 64

/* gnupg_home (may be NULL: GNUPGHOME, else ~/.gnupg) is the keyring's folder. Checks that it holds the secret key fpr (40 hex digits) and keeps it for the other
 * calls (once, before the server's threads start). Returns 0, RB_EINVAL (not a fingerprint) or
 * RB_ENOTFOUND (no such secret key), with ei saying so. */
int csaf_sign_configure(const char *fpr, const char *gnupg_home, rb_errinfo *ei);
/* The configured fingerprint, or NULL when nothing is signed. */
const char *csaf_sign_key(void);
/* An armored detached signature of data[0..len) into out. RB_EIO when GPGME fails. */
int csaf_sign(const void *data, size_t len, rb_buf *out);
/* The armored public key into out. */
int csaf_sign_public_key(rb_buf *out);

#endif
