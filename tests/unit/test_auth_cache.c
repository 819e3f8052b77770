/*
 * test_auth_cache.c - the callers kept behind secrets (core/auth_cache) are given again only
 * while nothing they stand on changed: a token revoked (by the API or by SQL from another
 * process), a user disabled or given another role, a session ended or an expired secret fail or
 * change at the very next lookup; an unchanged one is given from memory.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "core/auth.h"
#include "core/auth_cache.h"
#include "core/user.h"

#include "test_util.h"

static int setup(void **state)
{
    return tu_demo_setup(state, 0, auth_cache_reset);
}

static int teardown(void **state)
{
    return tu_demo_teardown(state, auth_cache_reset);
}

/* Runs sql with one text parameter, as another process would (no core function). */
static void sql1(struct tu_demo *f, const char *sql, const char *p1)
{
    rb_stmt *st = tu_prepare(f->db, sql);
    db_bind_text(st, 1, p1);
    tu_step_done(st);
}

static int64_t hits(void)
{
    int64_t h = 0, m = 0;
    auth_cache_counts(&h, &m);
    return h;
}

static void test_tokens(void **state)
{
    struct tu_demo *f = *state;
    const rb_actor *pb = &f->who[2];
    char tok[AUTH_TOKEN_SIZE], id[RB_ID_SIZE];
    assert_int_equal(token_create(f->db, pb, NULL, "cache test", 1, tok, id, &f->ei), 0);
    rb_actor a;
    assert_int_equal(auth_token(f->db, tok, &a), 0);
    assert_string_equal(a.user_id, pb->user_id);
    int64_t h0 = hits();
    assert_int_equal(auth_token(f->db, tok, &a), 0);
    assert_int_equal(hits(), h0 + 1); /* from memory */
    assert_string_equal(a.user_id, pb->user_id);
    assert_int_equal(a.cred, CRED_TOKEN);
    assert_int_equal(a.org.nanc, pb->org.nanc);

    /* Revoked through the API: refused at once. */
    assert_int_equal(token_revoke(f->db, pb, id, &f->ei), 0);
    assert_int_equal(auth_token(f->db, tok, &a), RB_EAUTH);

    /* Revoked by SQL from elsewhere (the trigger's counter). */
    assert_int_equal(token_create(f->db, pb, NULL, "cache test 2", 1, tok, id, &f->ei), 0);
    assert_int_equal(auth_token(f->db, tok, &a), 0);
    assert_int_equal(auth_token(f->db, tok, &a), 0);
    sql1(f, "UPDATE api_tokens SET revoked_at = '2026-01-01T00:00:00Z' WHERE id = ?1", id);
    assert_int_equal(auth_token(f->db, tok, &a), RB_EAUTH);

    /* Another role, then the user disabled and enabled again. */
    assert_int_equal(token_create(f->db, pb, NULL, "cache test 3", 1, tok, id, &f->ei), 0);
    assert_int_equal(auth_token(f->db, tok, &a), 0);
    assert_int_equal(a.role, pb->role);
    sql1(f, "UPDATE users SET role = 'viewer' WHERE id = ?1", pb->user_id);
    assert_int_equal(auth_token(f->db, tok, &a), 0);
    assert_int_equal(a.role, ROLE_VIEWER);
    sql1(f, "UPDATE users SET role = 'analyst' WHERE id = ?1", pb->user_id);
    rb_arena ar;
    rb_arena_init(&ar, 1 << 16);
    assert_int_equal(user_set_disabled(f->db, &f->who[0], pb->user_id, true, &ar, &f->ei), 0);
    assert_int_equal(auth_token(f->db, tok, &a), RB_EAUTH);
    rb_arena_release(&ar);
}

static void test_sessions_and_expiry(void **state)
{
    struct tu_demo *f = *state;
    const rb_actor *nat = &f->who[1];
    char secret[AUTH_SECRET_SIZE], hash[RB_SHA256_HEX_SIZE];
    rb_random_hex(32, secret);
    rb_sha256_hex(secret, strlen(secret), hash);
    char now[RB_TIME_SIZE], later[RB_TIME_SIZE];
    rb_time_format(rb_now(), now);
    rb_time_format(rb_now() + 3600, later);
    rb_stmt *st = tu_prepare(f->db, "INSERT INTO sessions(id_hash, user_id, csrf_token, "
                                    "created_at, expires_at) VALUES (?1, ?2, 'csrf-x', ?3, ?4)");
    db_bind_text(st, 1, hash);
    db_bind_text(st, 2, nat->user_id);
    db_bind_text(st, 3, now);
    db_bind_text(st, 4, later);
    tu_step_done(st);
    rb_actor a;
    char csrf[AUTH_SECRET_SIZE];
    assert_int_equal(auth_session(f->db, secret, &a, csrf), 0);
    int64_t h0 = hits();
    memset(csrf, 0, sizeof(csrf));
    assert_int_equal(auth_session(f->db, secret, &a, csrf), 0);
    assert_int_equal(hits(), h0 + 1);
    assert_string_equal(csrf, "csrf-x");
    assert_string_equal(a.user_id, nat->user_id);
    assert_int_equal(a.cred, CRED_SESSION);
    /* A token's hash is not a session's. */
    assert_int_equal(auth_token(f->db, secret, &a), RB_EAUTH);

    /* Signed out: refused at once. */
    assert_int_equal(auth_session(f->db, secret, &a, csrf), 0);
    assert_int_equal(auth_sign_out(f->db, &a, secret), 0);
    assert_int_equal(auth_session(f->db, secret, &a, csrf), RB_EAUTH);

    /* Expired while kept: not given, whatever the counter. */
    int64_t counter = 0;
    assert_int_equal(auth_cache_counter(f->db, &counter), 0);
    auth_cache_keep(hash, CRED_SESSION, counter, rb_now() - 1, nat, "csrf-x");
    assert_false(auth_cache_find(hash, CRED_SESSION, counter, rb_now(), &a, csrf));
    auth_cache_keep(hash, CRED_SESSION, counter, rb_now() + 60, nat, "csrf-x");
    assert_false(auth_cache_find(hash, CRED_SESSION, counter + 1, rb_now(), &a, csrf));
    assert_false(auth_cache_find(hash, CRED_SESSION, counter, rb_now(), &a, csrf)); /* dropped */
}

/* However many secrets, the table holds AUTH_CACHE_ENTRIES and gives back the newest ones. */
static void test_bounded(void **state)
{
    struct tu_demo *f = *state;
    rb_actor a;
    for (int i = 0; i < 3 * AUTH_CACHE_ENTRIES; i++) {
        char secret[AUTH_SECRET_SIZE], hash[RB_SHA256_HEX_SIZE];
        rb_fmt(secret, sizeof(secret), "secret %d", i);
        rb_sha256_hex(secret, strlen(secret), hash);
        auth_cache_keep(hash, CRED_TOKEN, 7, rb_now() + 60, &f->who[1], NULL);
        assert_true(auth_cache_find(hash, CRED_TOKEN, 7, rb_now(), &a, NULL));
    }
}

TU_MAIN({
    cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
    cmocka_unit_test_setup_teardown(test_sessions_and_expiry, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bounded, setup, teardown),
})
