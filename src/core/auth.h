/*
 * auth.h - signing in and proving who is calling: sessions, API tokens, sign-in rate limiting.
 *
 * Session ids and API tokens are 256-bit values from the CSPRNG; only their SHA-256 is stored, so
 * a copy of the database grants no access. A session also carries a CSRF token that cookie-
 * authenticated writes must echo in a header. After AUTH_MAX_FAILURES failed sign-ins for one
 * email within AUTH_FAILURE_WINDOW seconds, further attempts are refused (RB_ERATE with
 * retry_after) whatever the password, until the oldest failure leaves the window. The limit is
 * one atomic step per e-mail: each attempt is recorded as a failure in a write transaction before
 * its password is checked (and cleared when it succeeds), so parallel attempts cannot pass it.
 */
#ifndef RABTA_AUTH_H
#define RABTA_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "base/mem.h"
#include "core/actor.h"
#include "db/db.h"

#define AUTH_MAX_FAILURES 5
#define AUTH_FAILURE_WINDOW (15 * 60)
#define AUTH_SESSION_SECONDS (12 * 3600)
#define AUTH_SECRET_SIZE 65 /* 64 hex characters and NUL */
#define AUTH_TOKEN_SIZE 80  /* "rbt_" + 64 hex and NUL */
#define AUTH_TOKEN_MAX_DAYS 366

/* Loads the actor for an active user id. RB_EAUTH when the user is absent or disabled. */
int auth_load_actor(rb_db *db, const char *user_id, rb_actor *out);

/* Verifies email and password and opens a session. On success fills session (the cookie value),
 * csrf and actor. Errors: RB_EAUTH (wrong email or password: one message for both), RB_ERATE
 * (ei->retry_after set), RB_EDB. Failures are recorded and audited. */
int auth_sign_in(rb_db *db, const char *email, const char *password,
                 char session[AUTH_SECRET_SIZE], char csrf[AUTH_SECRET_SIZE], rb_actor *actor,
                 rb_errinfo *ei);

/* Resolves a session cookie value. Fills actor and csrf; RB_EAUTH when unknown or expired. */
int auth_session(rb_db *db, const char *session, rb_actor *actor, char csrf[AUTH_SECRET_SIZE]);

/* Inside a write transaction: checks again that the credential the actor signed in with is still
 * valid (session not ended or expired, token not revoked or expired, account not disabled) and
 * that the user's role and org, and the org's place in the tree, are those the request was
 * authorised with. Returns 0 (also for the local operator), RB_EAUTH, or RB_EDB. */
int auth_recheck(rb_db *db, const rb_actor *actor);

/* Ends the session (sign out). */
int auth_sign_out(rb_db *db, const rb_actor *actor, const char *session);

/* Resolves a bearer token. RB_EAUTH when unknown, revoked, expired or its user is disabled. */
int auth_token(rb_db *db, const char *token, rb_actor *actor);

typedef struct rb_token {
    char *id, *name, *prefix, *created_at, *expires_at, *revoked_at;
} rb_token;

/* Creates an API token for user_id (the actor themself; the system actor for anyone), valid for
 * `days`. The token text is written to token_out once and never stored. */
int token_create(rb_db *db, const rb_actor *actor, const char *user_id, const char *name,
                 int days, char token_out[AUTH_TOKEN_SIZE], char id_out[RB_ID_SIZE],
                 rb_errinfo *ei);
/* Tokens of user_id (the actor's own unless system), newest first. */
int token_list(rb_db *db, const rb_actor *actor, const char *user_id, rb_arena *a, rb_token **out,
               int *n);
/* A token's members as the API and the CLI show them (id, name, prefix, created_at, expires_at,
 * revoked_at; never the hash): rjw_members writes them into an open object (json/json.h). */
extern const struct rb_record token_record;

struct kind_ref;
/* kind_token's load (core/kind.h): one of the actor's own tokens (any, for the local operator);
 * the owner is its user's org. */
int token_kind_load(rb_db *db, const rb_actor *actor, const char *id, struct kind_ref *out);

/* Revokes a token of the actor's own (or any, for system). RB_ENOTFOUND otherwise. */
int token_revoke(rb_db *db, const rb_actor *actor, const char *token_id, rb_errinfo *ei);

#endif
