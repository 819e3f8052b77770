/*
 * user.c - accounts. Passwords are hashed here (argon2id via base/crypto) before any transaction
 * starts, so the write lock is never held during the slow hash.
 */
#include "base/common.h"
#include "base/utf8.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "core/kind.h"
#include "core/org.h"
#include "core/policy.h"
#include "core/user.h"
#include "core/write.h"
#include "json/field.h"
#include "json/json.h"

/* The columns of user_members, in order, from users u joined with their org o. */
#define USER_COLS                                                                                  \
    "u.id, u.email, u.name, u.role, u.org_id, o.name, u.disabled, u.created_at"

/* A user as the API and the CLI show one: never the hash. */
static const struct rb_member user_members[] = {
    RB_MEMBERS(rb_user, id, email, name),
    RB_MEMBER(rb_user, role, rb_role_mtype),
    RB_MEMBERS(rb_user, org_id, org_name, disabled, created_at),
};
const struct rb_record user_record = RB_RECORD(rb_user, user_members);

int user_normalize_email(const char *in, char out[256], rb_errinfo *ei)
{
    size_t n = in ? strlen(in) : 0;
    if (in && rb_field_check(FIELD_EMAIL, "email", in, n, ei))
        return RB_EINVAL;
    const char *at = in ? strchr(in, '@') : NULL;
    if (n < 3 || n > 254 || !at || at == in || !at[1] || strchr(at + 1, '@') ||
        !strchr(at + 1, '.') || in[n - 1] == '.')
        return rb_err(ei, RB_EINVAL, "email", "\"email\" must be an address like name@example.org");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';')
            return rb_err(ei, RB_EINVAL, "email",
                          "\"email\" must not contain spaces, quotes or control characters");
        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : (char)c;
    }
    out[n] = '\0';
    return 0;
}

int user_check_password(const char *password, rb_errinfo *ei)
{
    size_t bytes = password ? strlen(password) : 0, n = 0;
    /* Count characters (UTF-8 code points), not bytes. */
    for (size_t i = 0; i < bytes; i++)
        if (((unsigned char)password[i] & 0xc0) != 0x80)
            n++;
    if (n < RB_PASSWORD_MIN)
        return rb_err(ei, RB_EINVAL, "password", "the password must be at least %d characters",
                      RB_PASSWORD_MIN);
    if (bytes > RB_PASSWORD_MAX)
        return rb_err(ei, RB_EINVAL, "password", "the password must be at most %d bytes",
                      RB_PASSWORD_MAX);
    return 0;
}

/* Number of active admins in org_id. */
static int active_admins(rb_db *db, const char *org_id, int64_t *out)
{
    rb_stmt *st = NULL;
    int rc = db_query(db,
                      "SELECT count(*) FROM users WHERE org_id = ?1 AND role = 'admin' AND "
                      "disabled = 0",
                      DB_ARGS(DB_TEXT(org_id)), &st);
    return rc ? rc : db_int(st, out);
}

/* May actor manage the users of `org` (set passwords, disable)? */
static bool may_manage(const rb_actor *actor, const rb_orgref *org)
{
    if (actor->system)
        return true;
    if (!policy_can(actor, PERM_USER_MANAGE))
        return false;
    return strcmp(actor->org.id, org->id) == 0 || actor->org.nanc == 0;
}

/*
 * Explains a taken e-mail address without confirming an account the actor may not read: e-mails
 * are unique in the whole deployment (they are the sign-in name), so a 409 is unavoidable, but
 * only an admin who may read the existing user learns where it is (docs/security.md).
 */
static void email_taken(rb_db *db, const rb_actor *actor, const char *email, rb_errinfo *ei)
{
    rb_arena a;
    rb_arena_init(&a, 1 << 14);
    rb_user u, seen;
    if (user_find_email(db, email, &a, &u) == 0 && user_get(db, actor, u.id, &a, &seen) == 0)
        rb_err(ei, RB_ECONFLICT, "email", "a user with email %s already exists (in %.*s)", email,
               RB_CUT(seen.org_name, 100));
    else
        rb_err(ei, RB_ECONFLICT, "email",
               "this e-mail address cannot be used for a new account; use another address, or "
               "ask the National CERT if the person already has an account");
    rb_arena_release(&a);
}

int user_create(rb_db *db, const rb_actor *actor, const rb_user_input *in, char out_id[RB_ID_SIZE],
                rb_errinfo *ei)
{
    char email[256];
    int rc;
    if ((rc = user_normalize_email(in->email, email, ei)))
        return rc;
    if (!in->name || !in->name[0])
        return rb_err(ei, RB_EINVAL, "name", "\"name\" is required (the person's name)");
    if ((rc = rb_field_checks(FIELD_NAME, "name", in->name, ei)))
        return rc;
    if (in->role < 0 || in->role >= ROLE__COUNT)
        return rb_err(ei, RB_EINVAL, "role",
                      "\"role\" must be one of: admin, analyst, reporter, viewer, auditor");
    if (!in->pw_hash && (rc = user_check_password(in->password, ei)))
        return rc;
    const char *org_id = in->org_id ? in->org_id : actor->org.id;
    rb_orgref org;
    rc = org_ref_load(db, org_id, &org);
    if (rc || !policy_may_see_org(actor, &org))
        return rb_err(ei, RB_ENOTFOUND, "org_id", "no org with that org_id");
    if (!actor->system) {
        if (!policy_can(actor, PERM_USER_MANAGE))
            return rb_err(ei, RB_EPERM, "", "only admins may create users");
        bool own = strcmp(actor->org.id, org.id) == 0;
        bool national = actor->org.nanc == 0;
        if (!own && !national) {
            int64_t admins = 0;
            if (!rb_org_kind_is_cert(actor->org.kind) || !policy_is_ancestor(actor->org.id, &org))
                return rb_err(ei, RB_EPERM, "org_id", "you may create users only in your own org");
            if ((rc = active_admins(db, org.id, &admins)))
                return rc;
            if (admins > 0 || in->role != ROLE_ADMIN)
                return rb_err(ei, RB_EPERM, "org_id",
                              "a CERT admin may create only the first admin of an org below it; "
                              "that org's own admin manages its users");
        }
    }
    char hash[RB_PWHASH_SIZE];
    if (in->pw_hash)
        rb_strlcpy(hash, in->pw_hash, sizeof(hash));
    else if ((rc = rb_password_hash(in->password, hash)))
        return rb_err(ei, rc, "", "cannot hash the password");
    char id[RB_ID_SIZE];
    rb_write w;
    if ((rc = write_begin_new(&w, db, actor, id, ei)))
        return rc;
    rc = db_exec(db,
                 "INSERT INTO users(id, org_id, email, name, role, pw_hash, disabled, created_at, "
                 "updated_at) VALUES (?1,?2,?3,?4,?5,?6,0,?7,?7)",
                 DB_ARGS(DB_TEXT(id), DB_TEXT(org.id), DB_TEXT(email), DB_TEXT(in->name),
                         DB_TEXT(rb_role_names[in->role]), DB_TEXT(hash), DB_TEXT(w.now)));
    if (rc == RB_ECONFLICT)
        email_taken(db, actor, email, ei);
    if ((rc = write_end(&w, rc, "user.create", &kind_user, id, org.id, "cannot create the user")))
        return rc;
    if (out_id)
        rb_strlcpy(out_id, id, RB_ID_SIZE);
    return 0;
}

#define USER_SELECT "SELECT " USER_COLS " FROM users u JOIN orgs o ON o.id = u.org_id "

static int user_load(rb_db *db, const char *id, rb_arena *a, rb_user *out)
{
    return db_query_one(db, USER_SELECT "WHERE u.id = ?1", DB_ARGS(DB_TEXT(id)), a, &user_record,
                        out);
}

/* May actor read users of `org`: own org (admins, auditors) or a CERT above it. */
static bool may_read_users(const rb_actor *actor, const rb_orgref *org)
{
    if (actor->system)
        return true;
    return policy_can(actor, PERM_USER_READ) && policy_in_subtree(actor->org.id, org);
}

int user_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_user *out)
{
    if (!rb_uuid_valid(id))
        return RB_ENOTFOUND;
    int rc = user_load(db, id, a, out);
    if (rc)
        return rc;
    if (!actor->system && strcmp(actor->user_id, id) == 0)
        return 0;
    rb_orgref org;
    if ((rc = org_ref_load(db, out->org_id, &org)))
        return rc;
    return may_read_users(actor, &org) ? 0 : RB_ENOTFOUND;
}

int user_kind_load(rb_db *db, const rb_actor *actor, const char *id, struct kind_ref *out)
{
    rb_arena a;
    rb_arena_init(&a, 1 << 14);
    rb_user u;
    rb_orgref org;
    int rc = user_get(db, actor, id, &a, &u);
    if (!rc)
        rc = org_ref_load(db, u.org_id, &org);
    if (!rc) {
        rb_strlcpy(out->owner_org, org.id, sizeof(out->owner_org));
        rb_strlcpy(out->owner_parent, org.nanc > 0 ? org.ancestors[org.nanc - 1] : "",
                   sizeof(out->owner_parent));
    }
    rb_arena_release(&a);
    return rc;
}

int user_find_email(rb_db *db, const char *email, rb_arena *a, rb_user *out)
{
    char norm[256];
    if (user_normalize_email(email, norm, NULL))
        return RB_ENOTFOUND;
    return db_query_one(db, USER_SELECT "WHERE u.email = ?1", DB_ARGS(DB_TEXT(norm)), a,
                        &user_record, out);
}

int user_list(rb_db *db, const rb_actor *actor, const char *org_id, const char *after_id,
              int limit, rb_arena *a, rb_user **out, int *n, bool *more)
{
    if (!org_id)
        org_id = actor->org.id;
    rb_orgref org;
    int rc = org_ref_load(db, org_id, &org);
    if (rc)
        return rc;
    if (!may_read_users(actor, &org))
        return policy_may_see_org(actor, &org) && strcmp(org.id, actor->org.id) == 0 ? RB_EPERM
                                                                                      : RB_ENOTFOUND;
    char *after_email = NULL;
    if (after_id) {
        rb_user cur;
        if (user_load(db, after_id, a, &cur) || strcmp(cur.org_id, org.id) != 0)
            return RB_EINVAL;
        after_email = cur.email;
    }
    if (limit <= 0)
        limit = 50;
    rb_stmt *st = NULL;
    rc = db_query(db,
                  USER_SELECT "WHERE u.org_id = ?1 AND (?2 IS NULL OR u.email > ?2) ORDER BY "
                  "u.email LIMIT ?3",
                  DB_ARGS(DB_TEXT(org.id), DB_TEXT(after_email), DB_INT(limit + 1)), &st);
    if (rc)
        return rc;
    return db_page(st, limit, &user_record, a, out, n, more);
}

int user_colleagues(rb_db *db, const rb_actor *actor, const char *after_id, int limit,
                    rb_arena *a, rb_user **out, int *n, bool *more)
{
    *out = NULL;
    *n = 0;
    *more = false;
    if (actor->system)
        return 0;
    char *after_email = NULL;
    if (after_id) {
        rb_user cur;
        if (user_load(db, after_id, a, &cur) || strcmp(cur.org_id, actor->org.id) != 0 ||
            cur.disabled)
            return RB_EINVAL;
        after_email = cur.email;
    }
    if (limit <= 0)
        limit = 50;
    rb_stmt *st = NULL;
    int rc = db_query(db,
                      USER_SELECT "WHERE u.org_id = ?1 AND u.disabled = 0 AND (?2 IS NULL OR "
                                  "u.email > ?2) ORDER BY u.email LIMIT ?3",
                      DB_ARGS(DB_TEXT(actor->org.id), DB_TEXT(after_email), DB_INT(limit + 1)),
                      &st);
    if (rc)
        return rc;
    return db_page(st, limit, &user_record, a, out, n, more);
}

int user_pw_hash(rb_db *db, const char *user_id, char out[RB_PWHASH_SIZE])
{
    rb_stmt *st = NULL;
    int rc = db_query(db, "SELECT pw_hash FROM users WHERE id = ?1", DB_ARGS(DB_TEXT(user_id)),
                      &st);
    if (rc)
        return rc;
    if ((rc = db_step(st)) == DB_ROW && db_col_text(st, 0))
        rb_strlcpy(out, db_col_text(st, 0), RB_PWHASH_SIZE);
    else if (rc == DB_ROW)
        rc = DB_DONE;
    db_done(st);
    return rc == DB_ROW ? 0 : (rc < 0 ? rc : RB_ENOTFOUND);
}

/* Runs the given statements with ?1 = user id inside the caller's transaction. */
static int run_for_user(rb_db *db, const char *const *sqls, size_t n, const char *user_id,
                        const char *now)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++)
        rc = db_exec(db, sqls[i], DB_ARGS(DB_TEXT(user_id), DB_TEXT(now)));
    return rc;
}

int user_set_password(rb_db *db, const rb_actor *actor, const char *user_id, const char *current,
                      const char *password, const char *keep_session, rb_arena *a,
                      rb_errinfo *ei)
{
    rb_user u;
    int rc = user_get(db, actor, user_id, a, &u);
    if (rc) {
        rb_err(ei, rc, "", "no such user");
        goto out;
    }
    bool self = !actor->system && strcmp(actor->user_id, user_id) == 0;
    rb_orgref org;
    if ((rc = org_ref_load(db, u.org_id, &org)))
        goto out;
    if (!self && !may_manage(actor, &org)) {
        rc = rb_err(ei, RB_EPERM, "", "only the user or their org's admin may set this password");
        goto out;
    }
    if (self) {
        char h[RB_PWHASH_SIZE];
        if (!current || user_pw_hash(db, user_id, h) || !rb_password_verify(h, current)) {
            rc = rb_err(ei, RB_EINVAL, "current_password", "the current password is wrong");
            goto out;
        }
    }
    if ((rc = user_check_password(password, ei)))
        goto out;
    char hash[RB_PWHASH_SIZE];
    if ((rc = rb_password_hash(password, hash)))
        goto out;
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        goto out;
    rc = db_exec(db, "UPDATE users SET pw_hash = ?2, updated_at = ?3 WHERE id = ?1",
                 DB_ARGS(DB_TEXT(user_id), DB_TEXT(hash), DB_TEXT(w.now)));
    /* Every other session of the user ends: a stolen session does not survive the change. */
    char keep[RB_SHA256_HEX_SIZE] = "";
    if (keep_session)
        rb_sha256_hex(keep_session, strlen(keep_session), keep);
    static const char *const end_sessions[] = {"DELETE FROM sessions WHERE user_id = ?1 AND "
                                               "id_hash <> ?2"};
    if (!rc)
        rc = run_for_user(db, end_sessions, 1, user_id, keep);
    rc = write_end(&w, rc, "user.password", &kind_user, user_id, u.org_id,
                   "cannot change the password");
out:
    return rc;
}

int user_set_disabled(rb_db *db, const rb_actor *actor, const char *user_id, bool disabled,
                      rb_arena *a, rb_errinfo *ei)
{
    rb_user u;
    int rc = user_get(db, actor, user_id, a, &u);
    if (rc) {
        rb_err(ei, rc, "", "no such user");
        goto out;
    }
    rb_orgref org;
    if ((rc = org_ref_load(db, u.org_id, &org)))
        goto out;
    if (!may_manage(actor, &org)) {
        rc = rb_err(ei, RB_EPERM, "", "only an admin of the user's org may disable them");
        goto out;
    }
    if (!actor->system && strcmp(actor->user_id, user_id) == 0) {
        rc = rb_err(ei, RB_EINVAL, "", "you cannot disable your own account");
        goto out;
    }
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        goto out;
    static const char *const enable[] = {
        "UPDATE users SET disabled = 0, updated_at = ?2 WHERE id = ?1"};
    static const char *const disable[] = {
        "UPDATE users SET disabled = 1, updated_at = ?2 WHERE id = ?1",
        "DELETE FROM sessions WHERE user_id = ?1 AND ?2 IS NOT NULL",
        "UPDATE api_tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL"};
    rc = disabled ? run_for_user(db, disable, RB_ARRAY_LEN(disable), user_id, w.now)
                  : run_for_user(db, enable, RB_ARRAY_LEN(enable), user_id, w.now);
    rc = write_end(&w, rc, disabled ? "user.disable" : "user.enable", &kind_user, user_id,
                   u.org_id, "cannot change the account");
out:
    return rc;
}

