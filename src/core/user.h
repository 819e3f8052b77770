/*
 * user.h - people who sign in: one org, one role, an argon2id password hash.
 *
 * Owns the users table. Who may manage whom: an org's admin manages its own users; a CERT admin
 * may create the first admin of an org below it (an org without an active admin); the national
 * admin manages users anywhere. Emails are unique and stored lower-case. Passwords are at least
 * RB_PASSWORD_MIN characters and never stored or logged in clear.
 */
#ifndef RABTA_USER_H
#define RABTA_USER_H

#include <stdbool.h>

#include "base/crypto.h"
#include "base/mem.h"
#include "core/actor.h"
#include "db/db.h"

#define RB_PASSWORD_MIN 12
#define RB_PASSWORD_MAX 256

typedef struct rb_user {
    char *id, *org_id, *org_name, *email, *name, *created_at;
    enum rb_role role;
    bool disabled;
} rb_user;

typedef struct rb_user_input {
    const char *org_id, *email, *name, *password;
    int role; /* enum rb_role */
    /* When not NULL, the precomputed argon2id hash to store instead of hashing `password` (the
     * demo gives many accounts one password and hashes it once). */
    const char *pw_hash;
} rb_user_input;

/* Checks a new password against the rules; RB_EINVAL with field "password" and why. */
int user_check_password(const char *password, rb_errinfo *ei);

/* Creates a user. Errors: RB_EINVAL (field named), RB_ENOTFOUND (org not visible), RB_EPERM,
 * RB_ECONFLICT (email taken). out_id may be NULL. */
int user_create(rb_db *db, const rb_actor *actor, const rb_user_input *in,
                char out_id[RB_ID_SIZE], rb_errinfo *ei);

/* One user the actor may read (self; admins and auditors of the user's org or a CERT above it). */
int user_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_user *out);
struct kind_ref;
/* kind_user's load (core/kind.h): a user the actor may read; the owner is the user's org. */
int user_kind_load(rb_db *db, const rb_actor *actor, const char *id, struct kind_ref *out);
/* Finds by email without a policy check (CLI, sign-in). RB_ENOTFOUND when absent. */
int user_find_email(rb_db *db, const char *email, rb_arena *a, rb_user *out);

/* The stored argon2id hash of user_id, without a policy check (sign-in, password changes).
 * Returns 0 and out, RB_ENOTFOUND, or RB_EDB. */
int user_pw_hash(rb_db *db, const char *user_id, char out[RB_PWHASH_SIZE]);

/* Users of org_id (NULL: the actor's org), by email, after the user id `after_id` (cursor). */
int user_list(rb_db *db, const rb_actor *actor, const char *org_id, const char *after_id,
              int limit, rb_arena *a, rb_user **out, int *n, bool *more);

/* The active people of the actor's own org, by email, after `after_id` (cursor): colleagues a
 * person may name (a training session's staff). Any signed-in person; the local operator has no
 * org and gets none. RB_EINVAL when after_id is not one of them. */
int user_colleagues(rb_db *db, const rb_actor *actor, const char *after_id, int limit,
                    rb_arena *a, rb_user **out, int *n, bool *more);

/* Sets a new password. A user changing their own needs `current`; an admin resetting another
 * user's does not. Ends every session of the user except `keep_session` (the cookie value of the
 * session making the change, or NULL). What it reads lives in a (the caller's arena). */
int user_set_password(rb_db *db, const rb_actor *actor, const char *user_id, const char *current,
                      const char *password, const char *keep_session, rb_arena *a,
                      rb_errinfo *ei);

/* Disables (or re-enables) an account; disabling ends its sessions and revokes its tokens. What
 * it reads lives in a. */
int user_set_disabled(rb_db *db, const rb_actor *actor, const char *user_id, bool disabled,
                      rb_arena *a, rb_errinfo *ei);

/* The one JSON object the API and the CLI use for a user, never the hash (rjw_record,
 * json/json.h). */
extern const struct rb_record user_record;

/* Lower-cases and checks an email address; RB_EINVAL when it is not one. */
int user_normalize_email(const char *in, char out[256], rb_errinfo *ei);

#endif
