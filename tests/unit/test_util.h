/*
 * test_util.h - helpers shared by the cmocka unit tests.
 *
 * Each unit test is its own program, so everything here is `static inline` (no unused-function
 * warnings, no prototypes needed). Include it after "base/common.h" and the headers under test.
 */
#ifndef RABTA_TEST_UTIL_H
#define RABTA_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/crypto.h"
#include "core/actor.h"
#include "db/db.h"
#include "json/json.h"

/* Fails the current test with a message naming the table row, when cond is false. */
#define ROW_CHECK(cond, ...)                                                                       \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            print_error(__VA_ARGS__);                                                              \
            print_error("\n");                                                                     \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

/* Group setup for every unit test program: libsodium and cJSON's allocator. */
static inline int tu_group_setup(void **state)
{
    (void)state;
    if (rb_crypto_init() != 0)
        return -1;
    rj_init();
    return 0;
}

/* A fresh migrated in-memory database. */
static inline rb_db *tu_db_open(void)
{
    rb_db *db = NULL;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = db_open(":memory:", DB_OPEN_CREATE | DB_OPEN_MIGRATE, &db, &ei);
    if (rc != 0)
        print_error("db_open(:memory:) failed: %d %s\n", rc, ei.msg);
    assert_int_equal(rc, 0);
    assert_non_null(db);
    return db;
}

/* Counts rows of a one-column integer query with a single text parameter ?1 (may be NULL). */
static inline int64_t tu_scalar(rb_db *db, const char *sql, const char *p1)
{
    rb_stmt *st = NULL;
    assert_int_equal(db_prepare(db, sql, &st), 0);
    assert_int_equal(db_bind_text(st, 1, p1), 0);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t v = db_col_int(st, 0);
    db_done(st);
    return v;
}

/* A user actor (not system) with role and org. */
static inline void tu_actor(rb_actor *a, enum rb_role role, const rb_orgref *org)
{
    memset(a, 0, sizeof(*a));
    a->system = false;
    a->role = role;
    a->org = *org;
    rb_strlcpy(a->user_id, "00000000-0000-4000-8000-0000000000aa", sizeof(a->user_id));
    rb_strlcpy(a->email, "tester@rabta.test", sizeof(a->email));
    rb_strlcpy(a->name, "Tester", sizeof(a->name));
    rb_strlcpy(a->label, "tester@rabta.test", sizeof(a->label));
}

/* Small deterministic PRNG (xorshift64*), so a failing randomized run can be replayed by seed. */
static inline uint64_t tu_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* A uniform-enough integer in [0, n). */
static inline int tu_rand_below(uint64_t *s, int n)
{
    return (int)(tu_rand(s) % (uint64_t)n);
}

#endif
