/*
 * auth_cache.h - the callers behind session ids and API tokens, kept in memory (core/auth).
 *
 * Finding the caller behind a secret is a query joining its table, users and orgs, then one for
 * the org's ancestors: on a read such as GET /api/v1/incidents/{id}, as much as the rest of it.
 * So the caller found for a secret's hash (never the secret) is kept with the 'auth' counter
 * (migration 0014: triggers bump it on any change to a session, a token, a user, an org's kind
 * or place, or the tree, whoever makes it) and the secret's expiry. It is given again only while
 * the counter read in the request, before the lookup, is the same and the secret has not
 * expired: a revoked token, an ended session or a disabled user fails at the next request.
 *
 * Bounded: AUTH_CACHE_ENTRIES callers; a new one takes the place of the longest kept in its set.
 *
 * Must never: keep a secret in clear, or give a caller kept at another counter or past its expiry.
 */
#ifndef RABTA_AUTH_CACHE_H
#define RABTA_AUTH_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/auth.h"
#include "db/db.h"

#define AUTH_CACHE_ENTRIES 1024

/* The 'auth' counter (0 before migration 0014's row exists). Returns 0 or RB_EDB. */
int auth_cache_counter(rb_db *db, int64_t *out);

/* The caller kept for hash (of a secret of kind cred) at counter, unexpired at now: true with
 * *actor and, for a session, csrf (when not NULL). */
bool auth_cache_find(const char *hash, enum rb_cred cred, int64_t counter, int64_t now,
                     rb_actor *actor, char csrf[AUTH_SECRET_SIZE]);
/* Keeps the caller found for hash at counter (read before the lookup), until expires. */
void auth_cache_keep(const char *hash, enum rb_cred cred, int64_t counter, int64_t expires,
                     const rb_actor *actor, const char *csrf);

/* Forgets every caller (tests). Hits and misses since. */
void auth_cache_reset(void);
void auth_cache_counts(int64_t *hits, int64_t *misses);

#endif
