/*
 * auth.c - sign-in, sessions and API tokens.
 *
 * Must never: store a secret in clear, compare secrets with strcmp, tell a wrong email from a wrong
 * password, or hold the write lock during an argon2id computation.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "core/kind.h"
#include "core/auth.h"
#include "core/auth_cache.h"
#include "core/org.h"
#include "core/user.h"
#include "core/write.h"
#include "json/field.h"
#include "json/json.h"

#include <pthread.h>

/* Verified against when the email is unknown, so both paths cost one argon2id computation. */
static char dummy_hash[RB_PWHASH_SIZE];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
    if (rb_password_hash("not-a-real-password-for-timing", dummy_hash))
        dummy_hash[0] = '\0';
}

/* Columns every actor query selects, in this order, from users u joined with orgs o. */
#define ACTOR_COLS "u.id, u.email, u.name, u.role, u.org_id, o.kind"

/* What ACTOR_COLS fill of an actor. */
static const struct rb_member actor_members[] = {
    RB_HIDDEN_CHARS(rb_actor, user_id, email, name),
    RB_HIDDEN(rb_actor, role, rb_role_mtype),
    RB_HIDDEN_CHARS(rb_actor, org.id),
    RB_HIDDEN(rb_actor, org.kind, rb_org_kind_mtype),
};
static const struct rb_record actor_record = RB_RECORD(rb_actor, actor_members);

/* Reads the active user of sql's row into actor: ACTOR_COLS, then (when extra is set) a secret's
 * CSRF token into extra; then the org's ancestors, once the statement is done. RB_EAUTH when
 * there is no such row. */
static int actor_query(rb_db *db, const char *sql, const struct db_arg *args, size_t n,
                       rb_actor *out, char extra[AUTH_SECRET_SIZE])
{
    rb_stmt *st = NULL;
    int rc = db_query(db, sql, args, n, &st);
    if (rc)
        return rc;
    if ((rc = db_step(st)) == DB_ROW) {
        memset(out, 0, sizeof(*out));
        db_fill(st, NULL, &actor_record, out);
        rb_strlcpy(out->label, out->email, sizeof(out->label));
        if (extra)
            rb_strlcpy(extra, db_col_text(st, 6) ? db_col_text(st, 6) : "", AUTH_SECRET_SIZE);
    }
    db_done(st);
    if (rc != DB_ROW)
        return rc < 0 ? rc : RB_EAUTH;
    return org_ref_ancestors(db, &out->org);
}

int auth_load_actor(rb_db *db, const char *user_id, rb_actor *out)
{
    return actor_query(db,
                       "SELECT " ACTOR_COLS " FROM users u JOIN orgs o ON o.id = u.org_id WHERE "
                       "u.id = ?1 AND u.disabled = 0",
                       DB_ARGS(DB_TEXT(user_id)), out, NULL);
}

/* Seconds until another attempt is allowed for email, or 0 when attempts are allowed now. */
static int retry_after(rb_db *db, const char *email, int64_t now, long *out)
{
    char since[RB_TIME_SIZE];
    rb_time_format(now - AUTH_FAILURE_WINDOW, since);
    rb_stmt *st = NULL;
    int rc = db_query(db,
                      "SELECT at FROM login_failures WHERE email = ?1 AND at > ?2 ORDER BY at "
                      "DESC LIMIT 1 OFFSET ?3",
                      DB_ARGS(DB_TEXT(email), DB_TEXT(since), DB_INT(AUTH_MAX_FAILURES - 1)), &st);
    if (rc)
        return rc;
    *out = 0;
    rc = db_step(st);
    if (rc == DB_ROW) {
        int64_t t = 0;
        if (rb_time_parse(db_col_text(st, 0), &t) == 0) {
            int64_t wait = t + AUTH_FAILURE_WINDOW - now;
            *out = wait > 0 ? (long)wait : 1;
        }
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

/*
 * Takes one attempt from the account's allowance, atomically: in one write transaction, counts the
 * failures of the window and, when fewer than AUTH_MAX_FAILURES, records this attempt as a failure
 * before any password is checked. Parallel attempts are serialised by the write lock, so no number
 * of them gets more than AUTH_MAX_FAILURES through per window; a successful sign-in then clears
 * the record. A bookkeeping write (core/write.h): the outcome is what gets audited. Returns 0 (an
 * attempt may proceed), RB_ERATE with *wait, or a database error.
 */
static int reserve_attempt(rb_db *db, const char *email, int64_t now, long *wait)
{
    char at[RB_TIME_SIZE], old[RB_TIME_SIZE];
    rb_time_format(now, at);
    rb_time_format(now - 24 * 3600, old);
    rb_write w;
    int rc = write_begin(&w, db, NULL, NULL);
    if (rc)
        return rc;
    if (!(rc = retry_after(db, email, now, wait)) && *wait > 0)
        rc = RB_ERATE;
    if (!rc)
        rc = db_exec(db, "INSERT INTO login_failures(email, at) VALUES (?1, ?2)",
                     DB_ARGS(DB_TEXT(email), DB_TEXT(at)));
    if (!rc)
        rc = db_exec(db, "DELETE FROM login_failures WHERE at < ?1", DB_ARGS(DB_TEXT(old)));
    return write_end(&w, rc, NULL, NULL, NULL, NULL, NULL);
}

/* The attempt failed: its reservation stays as the recorded failure; audit it. */
static int audit_failure(rb_db *db, const char *email, const rb_user *u)
{
    rb_actor anon;
    memset(&anon, 0, sizeof(anon));
    rb_strlcpy(anon.label, email, sizeof(anon.label));
    rb_write w;
    int rc = write_begin(&w, db, &anon, NULL);
    if (rc)
        return rc;
    return write_end(&w, 0, "session.failed", &kind_user, u ? u->id : NULL, u ? u->org_id : NULL,
                     NULL);
}

/* A new credential (a session or a token): its secret, prefix and then 64 random hex characters;
 * the SHA-256 hex of the secret, all that rabta keeps of it; made now, it runs out `seconds`
 * later. */
struct credential {
    char secret[AUTH_TOKEN_SIZE];
    char hash[RB_SHA256_HEX_SIZE];
    char created[RB_TIME_SIZE], expires[RB_TIME_SIZE];
};

static void credential_new(struct credential *c, const char *prefix, int64_t now, int64_t seconds)
{
    char hex[AUTH_SECRET_SIZE];
    rb_random_hex(32, hex);
    snprintf(c->secret, sizeof(c->secret), "%s%s", prefix, hex);
    rb_sha256_hex(c->secret, strlen(c->secret), c->hash);
    rb_time_format(now, c->created);
    rb_time_format(now + seconds, c->expires);
}

int auth_sign_in(rb_db *db, const char *email_in, const char *password,
                 char session[AUTH_SECRET_SIZE], char csrf[AUTH_SECRET_SIZE], rb_actor *actor,
                 rb_errinfo *ei)
{
    char email[256];
    if (user_normalize_email(email_in, email, NULL) || !password)
        return rb_err(ei, RB_EAUTH, "", "wrong email or password");
    int64_t now = rb_now();
    long wait = 0;
    int rc = reserve_attempt(db, email, now, &wait);
    if (rc == RB_ERATE) {
        rb_err(ei, RB_ERATE, "",
               "too many failed sign-ins for this account; try again in %ld seconds", wait);
        if (ei)
            ei->retry_after = wait;
        return RB_ERATE;
    }
    if (rc)
        return rc;
    pthread_once(&dummy_once, dummy_init);
    rb_arena a;
    rb_arena_init(&a, 1 << 14);
    rb_user u;
    bool found = user_find_email(db, email, &a, &u) == 0;
    char hash[RB_PWHASH_SIZE] = "";
    if (found && (rc = user_pw_hash(db, u.id, hash)) == RB_ENOTFOUND)
        rc = 0;
    if (rc)
        goto out;
    bool ok = rb_password_verify(found ? hash : dummy_hash, password) && found && !u.disabled;
    if (!ok) {
        rc = audit_failure(db, email, found ? &u : NULL);
        if (!rc)
            rc = rb_err(ei, RB_EAUTH, "", "wrong email or password");
        goto out;
    }
    if ((rc = auth_load_actor(db, u.id, actor)))
        goto out;
    struct credential sid;
    credential_new(&sid, "", now, AUTH_SESSION_SECONDS);
    char tok[AUTH_SECRET_SIZE];
    rb_random_hex(32, tok);
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        goto out;
    rc = db_exec(db,
                 "INSERT INTO sessions(id_hash, user_id, csrf_token, created_at, expires_at) "
                 "VALUES (?1,?2,?3,?4,?5)",
                 DB_ARGS(DB_TEXT(sid.hash), DB_TEXT(u.id), DB_TEXT(tok), DB_TEXT(sid.created),
                         DB_TEXT(sid.expires)));
    if (!rc)
        rc = db_exec(db, "DELETE FROM sessions WHERE expires_at < ?1",
                     DB_ARGS(DB_TEXT(sid.created)));
    if (!rc)
        rc = db_exec(db, "DELETE FROM login_failures WHERE email = ?1", DB_ARGS(DB_TEXT(email)));
    if ((rc = write_end(&w, rc, "session.create", &kind_user, u.id, u.org_id,
                        "cannot open the session")))
        goto out;
    memcpy(session, sid.secret, AUTH_SECRET_SIZE);
    memcpy(csrf, tok, AUTH_SECRET_SIZE);
out:
    rb_arena_release(&a);
    return rc;
}

/* Finds the active user behind a secret's hash in one query: `sql` selects ACTOR_COLS (and for a
 * session its CSRF token, into extra when set) for ?1 = the hash and ?2 = now. */
static int user_by_hash(rb_db *db, const char *sql, const char *h, rb_actor *actor,
                        char extra[AUTH_SECRET_SIZE])
{
    char now[RB_TIME_SIZE];
    rb_time_format(rb_now(), now);
    return actor_query(db, sql, DB_ARGS(DB_TEXT(h), DB_TEXT(now)), actor, extra);
}

#define SESSION_SQL                                                                                \
    "SELECT " ACTOR_COLS ", s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id JOIN "  \
    "orgs o ON o.id = u.org_id WHERE s.id_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0"
#define TOKEN_SQL                                                                                  \
    "SELECT " ACTOR_COLS " FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN orgs o ON "     \
    "o.id = u.org_id WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND t.expires_at > ?2 AND "  \
    "u.disabled = 0"

/* The actor behind a secret (a session id, a token) the caller sent: found by its hash with sql
 * (SESSION_SQL, TOKEN_SQL), which the actor keeps with the kind of credential it signed in with,
 * for auth_recheck. */
static int by_secret(rb_db *db, const char *sql, enum rb_cred cred, const char *secret,
                     rb_actor *actor, char csrf[AUTH_SECRET_SIZE])
{
    char h[RB_SHA256_HEX_SIZE];
    rb_sha256_hex(secret, strlen(secret), h);
    /* The counter before the lookup: a change committed after it moves it (core/auth_cache). */
    int64_t counter = 0;
    int rc = auth_cache_counter(db, &counter);
    if (rc)
        return rc;
    if (auth_cache_find(h, cred, counter, rb_now(), actor, csrf))
        return 0;
    if ((rc = user_by_hash(db, sql, h, actor, csrf)))
        return rc;
    actor->cred = cred;
    rb_strlcpy(actor->cred_hash, h, sizeof(actor->cred_hash));
    rb_stmt *st = NULL;
    int64_t expires = 0;
    if (db_query(db,
                 cred == CRED_SESSION ? "SELECT expires_at FROM sessions WHERE id_hash = ?1"
                                      : "SELECT expires_at FROM api_tokens WHERE token_hash = ?1",
                 DB_ARGS(DB_TEXT(h)), &st) == 0) {
        if (db_step(st) == DB_ROW && rb_time_parse(db_col_text(st, 0), &expires) == 0)
            auth_cache_keep(h, cred, counter, expires, actor, csrf);
        db_done(st);
    }
    return 0;
}

int auth_session(rb_db *db, const char *session, rb_actor *actor, char csrf[AUTH_SECRET_SIZE])
{
    if (!session || strlen(session) != 64)
        return RB_EAUTH;
    return by_secret(db, SESSION_SQL, CRED_SESSION, session, actor, csrf);
}

int auth_recheck(rb_db *db, const rb_actor *actor)
{
    if (actor->system || actor->cred == CRED_NONE)
        return 0;
    rb_actor now;
    int rc = user_by_hash(db, actor->cred == CRED_SESSION ? SESSION_SQL : TOKEN_SQL,
                          actor->cred_hash, &now, NULL);
    if (rc)
        return rc;
    bool same = strcmp(now.user_id, actor->user_id) == 0 && now.role == actor->role &&
                strcmp(now.org.id, actor->org.id) == 0 && now.org.nanc == actor->org.nanc;
    for (int i = 0; same && i < now.org.nanc; i++)
        same = strcmp(now.org.ancestors[i], actor->org.ancestors[i]) == 0;
    return same ? 0 : RB_EAUTH;
}

int auth_sign_out(rb_db *db, const rb_actor *actor, const char *session)
{
    if (!session || strlen(session) != 64)
        return RB_EAUTH;
    char h[RB_SHA256_HEX_SIZE];
    rb_sha256_hex(session, 64, h);
    return write_exec(db, actor,
                      &(struct write_entry){"session.delete", &kind_user, actor->user_id,
                                            actor->org.id, .fail = NULL},
                      "DELETE FROM sessions WHERE id_hash = ?1", DB_ARGS(DB_TEXT(h)), NULL);
}

int auth_token(rb_db *db, const char *token, rb_actor *actor)
{
    if (!token || strncmp(token, "rbt_", 4) != 0 || strlen(token) != 68)
        return RB_EAUTH;
    return by_secret(db, TOKEN_SQL, CRED_TOKEN, token, actor, NULL);
}

int token_create(rb_db *db, const rb_actor *actor, const char *user_id, const char *name, int days,
                 char token_out[AUTH_TOKEN_SIZE], char id_out[RB_ID_SIZE], rb_errinfo *ei)
{
    if (!user_id)
        user_id = actor->user_id;
    if (!actor->system && strcmp(user_id, actor->user_id) != 0)
        return rb_err(ei, RB_EPERM, "", "you may create tokens only for yourself");
    if (!name || !name[0])
        return rb_err(ei, RB_EINVAL, "name", "\"name\" is required (say what uses the token)");
    int rc = rb_field_checks(FIELD_NAME, "name", name, ei);
    if (rc)
        return rc;
    if (days < 1 || days > AUTH_TOKEN_MAX_DAYS)
        return rb_err(ei, RB_EINVAL, "expires_in_days", "\"expires_in_days\" must be 1 to %d",
                      AUTH_TOKEN_MAX_DAYS);
    rb_actor owner;
    rc = auth_load_actor(db, user_id, &owner);
    if (rc)
        return rb_err(ei, RB_ENOTFOUND, "user", "no active user with that id");
    struct credential tok;
    credential_new(&tok, "rbt_", rb_now(), (int64_t)days * 86400);
    char prefix[16], id[RB_ID_SIZE];
    snprintf(prefix, sizeof(prefix), "%.12s", tok.secret); /* "rbt_" and 8 hex characters */
    rb_uuid_new(id);
    if ((rc = write_exec(db, actor,
                         &(struct write_entry){"token.create", &kind_token, id, owner.org.id,
                                               .fail = "cannot create the token"},
                         "INSERT INTO api_tokens(id, user_id, name, prefix, token_hash, "
                         "created_at, expires_at) VALUES (?1,?2,?3,?4,?5,?6,?7)",
                         DB_ARGS(DB_TEXT(id), DB_TEXT(user_id), DB_TEXT(name), DB_TEXT(prefix),
                                 DB_TEXT(tok.hash), DB_TEXT(tok.created), DB_TEXT(tok.expires)),
                         ei)))
        return rc;
    memcpy(token_out, tok.secret, AUTH_TOKEN_SIZE);
    if (id_out)
        rb_strlcpy(id_out, id, RB_ID_SIZE);
    return 0;
}

/* A token as the API and the CLI show it (never its hash); columns of token_list's SELECT. */
static const struct rb_member token_members[] = {
    RB_MEMBERS(rb_token, id, name, prefix, created_at, expires_at, revoked_at),
};
const struct rb_record token_record = RB_RECORD(rb_token, token_members);

int token_list(rb_db *db, const rb_actor *actor, const char *user_id, rb_arena *a, rb_token **out,
               int *n)
{
    if (!user_id)
        user_id = actor->user_id;
    if (!actor->system && strcmp(user_id, actor->user_id) != 0)
        return RB_ENOTFOUND;
    return db_query_rows(db,
                         "SELECT id, name, prefix, created_at, expires_at, revoked_at FROM "
                         "api_tokens WHERE user_id = ?1 ORDER BY created_at DESC, id LIMIT 500",
                         DB_ARGS(DB_TEXT(user_id)), &token_record, a, out, n);
}

static const struct rb_member token_owner_members[] = {
    RB_HIDDEN_CHARS(struct kind_ref, owner_org, owner_parent),
};
static const struct rb_record token_owner_record = RB_RECORD(struct kind_ref, token_owner_members);

int token_kind_load(rb_db *db, const rb_actor *actor, const char *id, struct kind_ref *out)
{
    return db_query_one(
        db,
        "SELECT u.org_id, o.parent_id FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN "
        "orgs o ON o.id = u.org_id WHERE t.id = ?1 AND (?2 IS NULL OR t.user_id = ?2)",
        DB_ARGS(DB_TEXT(id), DB_TEXT(actor->system ? NULL : actor->user_id)), NULL,
        &token_owner_record, out);
}

int token_revoke(rb_db *db, const rb_actor *actor, const char *token_id, rb_errinfo *ei)
{
    if (!rb_uuid_valid(token_id))
        return rb_err(ei, RB_ENOTFOUND, "", "no such token");
    return write_exec(
        db, actor,
        &(struct write_entry){
            "token.revoke", &kind_token, token_id, actor->system ? NULL : actor->org.id,
            .fail = "cannot revoke the token", .unchanged = {RB_ENOTFOUND, "", "no such token"}},
        "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?3) WHERE id = ?1 "
        "AND (?2 IS NULL OR user_id = ?2)",
        DB_ARGS(DB_TEXT(token_id), DB_TEXT(actor->system ? NULL : actor->user_id), WRITE_NOW), ei);
}

