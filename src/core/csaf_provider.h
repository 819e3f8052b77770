/*
 * csaf_provider.h - rabta as a CSAF 2.0 provider (CSAF 2.0 §7.1): the TLP:CLEAR advisories that
 * are published, served without sign-in as a directory distribution.
 *
 *   /.well-known/csaf/provider-metadata.json    who publishes, where (role csaf_provider)
 *   /.well-known/csaf/clear/index.txt            every document's path, one per line
 *   /.well-known/csaf/clear/changes.csv          path and current release date, newest first
 *   /.well-known/csaf/clear/<year>/<file>.json   the document (year of its initial release)
 *   .../<file>.json.sha256, .sha512               its hashes, as sha256sum and sha512sum print them
 *   .../<file>.json.asc                           its OpenPGP signature, when a key is configured
 *   /.well-known/csaf/openpgp/<FPR>.asc          that key (core/csaf_sign)
 *
 * Nothing else is served: every read goes through the sharing policy as an anonymous caller
 * (TLP:CLEAR of a public kind), so a draft, or an advisory of any other TLP, is not found.
 */
#ifndef RABTA_CSAF_PROVIDER_H
#define RABTA_CSAF_PROVIDER_H

#include "base/buf.h"
#include "base/mem.h"
#include "db/db.h"

/* The provider metadata; base is the address rabta is reached at ("https://cert.example.gov"). */
int csaf_provider_metadata(rb_db *db, const char *base, rb_arena *a, rb_buf *out);
/* index.txt and changes.csv. */
int csaf_provider_index(rb_db *db, rb_arena *a, rb_buf *out);
int csaf_provider_changes(rb_db *db, rb_arena *a, rb_buf *out);

enum csaf_file_kind { CSAF_FILE_JSON = 0, CSAF_FILE_SHA256, CSAF_FILE_SHA512, CSAF_FILE_ASC };
/* The public key named <FPR>.asc when a signing key is configured (core/csaf_sign), else
 * RB_ENOTFOUND. */
int csaf_provider_key(const char *name, rb_buf *out);
/* The file <year>/<name> (a document, or its .sha256 / .sha512 / .asc): *kind says which.
 * RB_ENOTFOUND for anything else. */
int csaf_provider_file(rb_db *db, const char *year, const char *name, rb_arena *a, rb_buf *out,
                       enum csaf_file_kind *kind);

#endif
