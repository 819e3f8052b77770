/*
 * test_db_state.c - db_counter keeps the counters table across read snapshots only while the
 * database is in the state it was read at: a commit by another connection (a counter moved, or
 * any other table), a checkpoint that restarts the WAL, or a write of the connection itself make
 * the next snapshot read the table again; a write not yet committed, or rolled back, does not
 * move it; a snapshot opened by another statement before the counters is not kept; outside a
 * snapshot every call reads.
 */
#include "base/common.h"
#include "db/db.h"

#include "test_util.h"

#include <stdio.h>
#include <unistd.h>

struct two {
    char path[256];
    rb_db *a, *b; /* two connections to one file, as two server threads (or a CLI) have */
};

static int setup(void **state)
{
    struct two *t = rb_calloc(1, sizeof(*t));
    if (!t)
        return -1;
    snprintf(t->path, sizeof(t->path), "/tmp/rabta-test-db-state-%ld.db", (long)getpid());
    unlink(t->path);
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    if (db_open(t->path, DB_OPEN_CREATE | DB_OPEN_MIGRATE, &t->a, &ei) ||
        db_open(t->path, 0, &t->b, &ei))
        return -1;
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    struct two *t = *state;
    db_close(t->a);
    db_close(t->b);
    const char *tails[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < RB_ARRAY_LEN(tails); i++) {
        char p[300];
        snprintf(p, sizeof(p), "%s%s", t->path, tails[i]);
        unlink(p);
    }
    rb_free(t);
    return 0;
}

/* The 'auth' counter as one read snapshot of db sees it, and whether the table was read. */
static int64_t snap_auth(rb_db *db, bool *read)
{
    int64_t before = db_counter_reads(db), v = -1;
    assert_int_equal(db_read_begin(db), 0);
    assert_int_equal(db_counter(db, "auth", &v), 0);
    int64_t again = -1;
    assert_int_equal(db_counter(db, "auth", &again), 0); /* one snapshot: read once */
    assert_int_equal(again, v);
    db_read_end(db);
    *read = db_counter_reads(db) > before;
    assert_true(db_counter_reads(db) <= before + 1);
    return v;
}

static void exec(rb_db *db, const char *sql)
{
    assert_int_equal(db_exec_simple(db, sql), 0);
}

static void test_kept_until_a_commit(void **state)
{
    struct two *t = *state;
    bool read = false;
    int64_t v0 = snap_auth(t->a, &read);
    assert_true(read);
    snap_auth(t->a, &read); /* the first snapshot that knows the state */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(snap_auth(t->a, &read), v0);
        assert_false(read); /* nothing committed: no statement */
    }

    /* Another connection moves the counter: the very next snapshot reads it. */
    exec(t->b, "UPDATE counters SET value = value + 1 WHERE name = 'auth'");
    assert_int_equal(snap_auth(t->a, &read), v0 + 1);
    assert_true(read);
    assert_int_equal(snap_auth(t->a, &read), v0 + 1);
    assert_false(read);

    /* A commit to any other table is a new state too: read again, the same value. */
    exec(t->b, "INSERT INTO settings(key, value) VALUES ('test.db_state', '1')");
    assert_int_equal(snap_auth(t->a, &read), v0 + 1);
    assert_true(read);

    /* A write not committed is not seen and does not move the state; rolled back, nothing. */
    assert_int_equal(db_begin(t->b), 0);
    exec(t->b, "UPDATE counters SET value = value + 100 WHERE name = 'auth'");
    assert_int_equal(snap_auth(t->a, &read), v0 + 1);
    assert_false(read);
    db_rollback(t->b);
    assert_int_equal(snap_auth(t->a, &read), v0 + 1);
    assert_false(read);

    /* A checkpoint that empties the WAL, then a commit into the restarted WAL. */
    exec(t->b, "PRAGMA wal_checkpoint(TRUNCATE)");
    snap_auth(t->a, &read);
    exec(t->b, "UPDATE counters SET value = value + 1 WHERE name = 'auth'");
    assert_int_equal(snap_auth(t->a, &read), v0 + 2);
    assert_true(read);

    /* The connection's own write transaction reads the table (its own changes), and after
     * its commit the next snapshot reads it again. */
    assert_int_equal(db_begin(t->a), 0);
    exec(t->a, "UPDATE counters SET value = value + 1 WHERE name = 'auth'");
    int64_t in_tx = -1;
    assert_int_equal(db_counter(t->a, "auth", &in_tx), 0);
    assert_int_equal(in_tx, v0 + 3);
    assert_int_equal(db_commit(t->a), 0);
    assert_int_equal(snap_auth(t->a, &read), v0 + 3);
    assert_true(read);
    assert_int_equal(snap_auth(t->b, &read), v0 + 3);
}

/* A snapshot that another statement opened before the counters were read may be older than
 * the state at that time: what it read is not kept for the next snapshot. */
static void test_an_older_snapshot_is_not_kept(void **state)
{
    struct two *t = *state;
    bool read = false;
    int64_t v0 = snap_auth(t->a, &read);
    snap_auth(t->a, &read);
    assert_int_equal(db_read_begin(t->a), 0);
    rb_stmt *st = tu_prepare(t->a, "SELECT count(*) FROM settings"); /* opens it */
    assert_int_equal(db_step(st), DB_ROW);
    db_done(st);
    exec(t->b, "UPDATE counters SET value = value + 1 WHERE name = 'auth'");
    int64_t v = -1;
    assert_int_equal(db_counter(t->a, "auth", &v), 0);
    assert_int_equal(v, v0); /* the snapshot's own value */
    db_read_end(t->a);
    assert_int_equal(snap_auth(t->a, &read), v0 + 1);
    assert_true(read);
}

static void test_outside_a_snapshot_every_call_reads(void **state)
{
    struct two *t = *state;
    int64_t v = 0, n = db_counter_reads(t->a);
    for (int i = 0; i < 3; i++)
        assert_int_equal(db_counter(t->a, "auth", &v), 0);
    assert_int_equal(db_counter_reads(t->a), n + 3);
    assert_int_equal(db_counter(t->a, "no such counter", &v), RB_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_kept_until_a_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_older_snapshot_is_not_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outside_a_snapshot_every_call_reads, setup, teardown),
    };
    return cmocka_run_group_tests(tests, tu_group_setup, NULL);
}
