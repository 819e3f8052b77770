/*
 * crypto.h - the few primitives rabta needs, over libsodium: random ids and secrets, SHA-256,
 * constant-time comparison, argon2id password hashes.
 *
 * rb_crypto_init() must run once before any other call (the CLI does it at start).
 */
#ifndef RABTA_CRYPTO_H
#define RABTA_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#define RB_SHA256_HEX_SIZE 65
#define RB_PWHASH_SIZE 128

/* Initialises libsodium. Returns 0 or RB_EINTERNAL. */
int rb_crypto_init(void);
/* A random (version 4) UUID in lower-case text form. */
void rb_uuid_new(char out[37]);
/* The name-based (version 5, SHA-1) UUID of `name` in the namespace UUID ns, as RFC 4122
 * section 4.3 says: the same ns and name always give the same UUID, and anyone can recompute it.
 * OSCAL admits only versions 4 and 5, so its documents' derived uuids are these. Returns 0;
 * RB_EINVAL when ns is not a UUID or name is longer than RB_UUID_NAME_MAX; RB_ENOMEM. */
#define RB_UUID_NAME_MAX 4096
int rb_uuid_v5(const char *ns, const char *name, char out[37]);
/* True when s is a UUID in canonical 8-4-4-4-12 hex form (either case). */
bool rb_uuid_valid(const char *s);
/* nbytes random bytes from the CSPRNG as lower-case hex into out (2*nbytes+1 bytes). */
void rb_random_hex(size_t nbytes, char *out);
/* SHA-256 of data as lower-case hex. */
void rb_sha256_hex(const void *data, size_t len, char out[RB_SHA256_HEX_SIZE]);
/* SHA-512 of data as lower-case hex (the .sha512 files of a CSAF directory distribution). */
#define RB_SHA512_HEX_SIZE 129
void rb_sha512_hex(const void *data, size_t len, char out[RB_SHA512_HEX_SIZE]);
/* HMAC-SHA256, keyed with key[0..keylen), of the concatenation of the n parts, as lower-case
 * hex (webhook signatures, core/notify). */
struct rb_str;
void rb_hmac_sha256_hex(const void *key, size_t keylen, const struct rb_str *parts, int n,
                        char out[RB_SHA256_HEX_SIZE]);
/* Constant-time equality of two NUL-terminated strings (the length is not secret). */
bool rb_ct_streq(const char *a, const char *b);
/* argon2id hash (libsodium's interactive limits) of password into out.
 * Returns 0, or RB_ENOMEM when the hash could not be computed. */
int rb_password_hash(const char *password, char out[RB_PWHASH_SIZE]);
/* True when password matches the stored argon2id hash. */
bool rb_password_verify(const char *hash, const char *password);

#endif
