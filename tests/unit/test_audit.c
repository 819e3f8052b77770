/*
 * test_audit.c - the hash-chained audit trail: append inside transactions, verify, and catch
 * every kind of tampering at the first bad entry.
 */
#include "base/common.h"
#include "base/mem.h"
#include "core/audit.h"
#include "core/files.h"
#include "core/history.h"
#include "core/kind.h"
#include "core/write.h"

static const struct rb_kind thing = {.name = "thing", .table = "things"};
#include "core/org.h"
#include "db/db.h"

#include "test_util.h"

static int64_t audit_rows(rb_db *db)
{
    return tu_scalar(db, "SELECT count(*) FROM audit_log WHERE ?1 IS NULL", NULL);
}

/* Appends `n` entries with actions test.1 .. test.n in one transaction. */
static void append_n(struct tu_fixture *f, int n)
{
    static const char *const actions[] = {"test.1", "test.2", "test.3", "test.4",
                                          "test.5", "test.6", "test.7", "test.8"};
    static const char *const objects[] = {
        "00000000-0000-4000-8000-000000000101", "00000000-0000-4000-8000-000000000102",
        "00000000-0000-4000-8000-000000000103", "00000000-0000-4000-8000-000000000104",
        "00000000-0000-4000-8000-000000000105", "00000000-0000-4000-8000-000000000106",
        "00000000-0000-4000-8000-000000000107", "00000000-0000-4000-8000-000000000108"};
    assert_true(n <= (int)RB_ARRAY_LEN(actions));
    assert_int_equal(db_begin(f->db), 0);
    for (int i = 0; i < n; i++)
        assert_int_equal(audit_append(f->db, &f->sys, actions[i], &thing, objects[i], f->n), 0);
    assert_int_equal(db_commit(f->db), 0);
}

static void test_append_and_verify(void **state)
{
    struct tu_fixture *f = *state;
    struct audit_verify_result res;
    /* org_create_root wrote the first entry. */
    assert_int_equal(audit_verify(f->db, &res), 0);
    assert_int_equal(res.entries, 1);
    assert_int_equal(res.bad_seq, 0);

    append_n(f, 4);
    assert_int_equal(audit_verify(f->db, &res), 0);
    assert_int_equal(res.entries, 5);
    assert_int_equal(res.bad_seq, 0);
    assert_string_equal(res.reason, "");
    /* The head is the last entry's hash. */
    rb_stmt *st = tu_prepare(
        f->db, "SELECT seq, hash, prev_hash, action, actor_label FROM audit_log ORDER BY seq");
    char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
    int64_t expect = 1;
    char last[65] = "";
    while (db_step(st) == DB_ROW) {
        assert_int_equal(db_col_int(st, 0), expect);
        assert_string_equal(db_col_text(st, 2), prev); /* chained */
        assert_int_equal(strlen(db_col_text(st, 1)), 64);
        assert_string_equal(db_col_text(st, 4), "cli");
        rb_strlcpy(prev, db_col_text(st, 1), sizeof(prev));
        rb_strlcpy(last, db_col_text(st, 1), sizeof(last));
        expect++;
    }
    db_done(st);
    assert_int_equal(expect, 6);
    assert_string_equal(res.head, last);

    /* NULL object and org are allowed; a later transaction continues the chain. */
    assert_int_equal(db_begin(f->db), 0);
    assert_int_equal(audit_append(f->db, &f->sys, "test.null", &thing, NULL, NULL), 0);
    assert_int_equal(db_commit(f->db), 0);
    assert_int_equal(audit_verify(f->db, &res), 0);
    assert_int_equal(res.entries, 6);
    assert_string_not_equal(res.head, last);

    /* A rolled-back append leaves nothing behind. */
    assert_int_equal(db_begin(f->db), 0);
    assert_int_equal(audit_append(f->db, &f->sys, "test.rolled", &thing, NULL, NULL), 0);
    db_rollback(f->db);
    assert_int_equal(audit_verify(f->db, &res), 0);
    assert_int_equal(res.entries, 6);
    assert_int_equal(audit_rows(f->db), 6);
}

static void test_append_outside_transaction(void **state)
{
    struct tu_fixture *f = *state;
    assert_false(db_in_tx(f->db));
    assert_int_equal(audit_append(f->db, &f->sys, "test.loose", &thing, NULL, NULL), RB_EINTERNAL);
    assert_int_equal(audit_rows(f->db), 1);
    /* After a commit the connection is outside a transaction again. */
    append_n(f, 1);
    assert_int_equal(audit_append(f->db, &f->sys, "test.loose", &thing, NULL, NULL), RB_EINTERNAL);
    assert_int_equal(audit_rows(f->db), 2);
}

/* A bookkeeping write (no actor, action NULL) commits its change without an entry; an action
 * without an actor is refused and nothing it changed stays. */
static void test_bookkeeping_write(void **state)
{
    struct tu_fixture *f = *state;
    static const char *const count_sql =
        "SELECT count(*) FROM login_failures WHERE email = 'a@example.org' OR ?1 IS NOT NULL";
    rb_write w;
    assert_int_equal(write_begin(&w, f->db, NULL, NULL), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO login_failures(email, at) VALUES (?1, ?2)",
                             DB_ARGS(DB_TEXT("a@example.org"), DB_TEXT(w.now))),
                     0);
    assert_int_equal(write_end(&w, 0, NULL, NULL, NULL, NULL, NULL), 0);
    assert_false(db_in_tx(f->db));
    assert_int_equal(tu_scalar(f->db, count_sql, NULL), 1);
    assert_int_equal(audit_rows(f->db), 1);

    assert_int_equal(write_begin(&w, f->db, NULL, NULL), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO login_failures(email, at) VALUES (?1, ?2)",
                             DB_ARGS(DB_TEXT("a@example.org"), DB_TEXT(w.now))),
                     0);
    assert_int_equal(write_audit(&w, "test.who", &thing, NULL, NULL), RB_EINTERNAL);
    assert_int_equal(write_end(&w, 0, "test.who", &thing, NULL, NULL, NULL), RB_EINTERNAL);
    assert_false(db_in_tx(f->db));
    assert_int_equal(tu_scalar(f->db, count_sql, NULL), 1);
    assert_int_equal(audit_rows(f->db), 1);
}

/* write_exec: one statement with its audit entry; WRITE_NOW binds the write's time; the cap and
 * the "changed one row" check refuse with their words and leave nothing, entry included. */
static void test_write_exec(void **state)
{
    struct tu_fixture *f = *state;
    static const char *const put = "INSERT INTO settings(key, value) VALUES (?1, ?2)";
    const struct write_entry set = {"test.set", &kind_org, f->n, f->n, .fail = "cannot set"};
    assert_int_equal(write_exec(f->db, &f->sys, &set, put, DB_ARGS(DB_TEXT("k1"), WRITE_NOW),
                                &f->ei),
                     0);
    assert_false(db_in_tx(f->db));
    char v[64];
    assert_int_equal(db_query_text_buf(f->db, "SELECT value FROM settings WHERE key = ?1",
                                       DB_ARGS(DB_TEXT("k1")), v, sizeof(v)),
                     0);
    int64_t t = 0;
    assert_int_equal(rb_time_parse(v, &t), 0);
    assert_true(t > 1767225600 - 86400 * 365 * 10);
    assert_int_equal(audit_rows(f->db), 2);
    assert_int_equal(tu_scalar(f->db, "SELECT count(*) FROM audit_log WHERE action = ?1",
                               "test.set"),
                     1);

    /* At the cap: refused before the statement, with the cap's words. */
    const struct write_entry capped = {
        "test.set", &kind_org, f->n, f->n, .fail = "cannot set",
        .cap = {"SELECT count(*) FROM settings WHERE key LIKE 'k%' AND ?1 IS NOT NULL", "x", 1,
                "at most %d keys"}};
    rb_errinfo_clear(&f->ei);
    assert_int_equal(write_exec(f->db, &f->sys, &capped, put,
                                DB_ARGS(DB_TEXT("k2"), DB_TEXT("v")), &f->ei),
                     RB_ECONFLICT);
    assert_string_equal(f->ei.msg, "at most 1 keys");
    /* A change of no row, where one must change: its refusal, rolled back. */
    const struct write_entry one = {"test.set", &kind_org, f->n, f->n, .fail = "cannot set",
                                    .unchanged = {RB_ENOTFOUND, "key", "no such key"}};
    rb_errinfo_clear(&f->ei);
    assert_int_equal(write_exec(f->db, &f->sys, &one,
                                "UPDATE settings SET value = ?2 WHERE key = ?1",
                                DB_ARGS(DB_TEXT("nope"), DB_TEXT("v")), &f->ei),
                     RB_ENOTFOUND);
    assert_string_equal(f->ei.field, "key");
    assert_string_equal(f->ei.msg, "no such key");
    /* A failing statement: the entry's fail words. */
    rb_errinfo_clear(&f->ei);
    assert_int_not_equal(write_exec(f->db, &f->sys, &set, put,
                                    DB_ARGS(DB_TEXT("k1"), DB_TEXT("again")), &f->ei),
                         0);
    assert_string_equal(f->ei.msg, "cannot set");
    assert_false(db_in_tx(f->db));
    assert_int_equal(tu_scalar(f->db, "SELECT count(*) FROM settings WHERE ?1 IS NULL", NULL), 1);
    assert_int_equal(audit_rows(f->db), 2);
}

/* Every kind's row agrees with the schema and with itself: its table exists (with owner_org and
 * tlp when shareable), its default TLP is one it allows, a kind with files has caps, its name
 * finds it. A kind without history or files is refused by history_add and files_add. */
static void test_kind_rows(void **state)
{
    struct tu_fixture *f = *state;
    for (int i = 0; rb_kinds[i]; i++) {
        const struct rb_kind *k = rb_kinds[i];
        char sql[200];
        rb_fmt(sql, sizeof(sql), "SELECT id%s FROM %s LIMIT 0",
               k->shareable ? ", owner_org, tlp" : "", k->table);
        rb_stmt *st = NULL;
        ROW_CHECK(db_prepare(f->db, sql, &st) == 0, "kind %s: %s does not prepare", k->name, sql);
        db_done(st);
        ROW_CHECK(kind_find(k->name) == k, "kind %s: kind_find finds another row", k->name);
        ROW_CHECK(!k->shareable || (k->tlp_allowed & (1u << k->default_tlp)),
                  "kind %s: the default TLP is not allowed", k->name);
        ROW_CHECK(!k->files || (k->file_max_bytes > 0 && k->files_per_part > 0),
                  "kind %s: files without caps", k->name);
    }
    rb_write w;
    assert_int_equal(write_begin(&w, f->db, &f->sys, NULL), 0);
    char id[RB_ID_SIZE] = "";
    assert_int_equal(files_add(&w, &kind_campaign, f->n, NULL, 0, "a.txt", "text/plain", "x", 1,
                               id),
                     RB_EINTERNAL);
    assert_string_equal(id, "");
    assert_int_equal(history_add(&w, &kind_campaign, f->n, "noted", NULL, NULL), RB_EINTERNAL);
    assert_int_equal(write_end(&w, RB_EINTERNAL, "test.no", &thing, NULL, NULL, NULL),
                     RB_EINTERNAL);
    assert_int_equal(tu_scalar(f->db, "SELECT count(*) FROM files WHERE ?1 IS NULL", NULL), 0);
    assert_int_equal(tu_scalar(f->db, "SELECT count(*) FROM history WHERE ?1 IS NULL", NULL), 0);
}

/* Each row tampers with a chain of 6 entries (seq 1 = the root's org.create, 2..6 = test.1..5)
 * and names the entry where verification must stop. */
TU_TEST(test_tamper_table)
{
    static const struct {
        const char *what;
        const char *sql;
        int rc;
        int64_t bad_seq;
        int64_t entries; /* entries checked */
        const char *reason_has;
    } rows[] = {
        {"change an action", "UPDATE audit_log SET action = 'org.delete' WHERE seq = 3",
         RB_ECONFLICT, 3, 3, "changed"},
        {"change the first entry's actor",
         "UPDATE audit_log SET actor_label = 'someone else' WHERE seq = 1", RB_ECONFLICT, 1, 1,
         "changed"},
        {"change the last entry's time",
         "UPDATE audit_log SET at = '2000-01-01T00:00:00Z' WHERE seq = 6", RB_ECONFLICT, 6, 6,
         "changed"},
        {"null an object id", "UPDATE audit_log SET object_id = NULL WHERE seq = 4", RB_ECONFLICT,
         4, 4, "changed"},
        {"change an org id", "UPDATE audit_log SET org_id = NULL WHERE seq = 5", RB_ECONFLICT, 5, 5,
         "changed"},
        {"replace a hash with its predecessor's",
         "UPDATE audit_log SET hash = (SELECT hash FROM audit_log WHERE seq = 2) WHERE seq = 3",
         RB_ECONFLICT, 3, 3, "changed"},
        {"break a previous-hash link",
         "UPDATE audit_log SET prev_hash = "
         "'0000000000000000000000000000000000000000000000000000000000000000' WHERE seq = 2",
         RB_ECONFLICT, 2, 2, "previous-hash"},
        {"delete a middle entry", "DELETE FROM audit_log WHERE seq = 3", RB_ECONFLICT, 4, 3,
         "expected entry 3 but found 4"},
        {"delete the first entry", "DELETE FROM audit_log WHERE seq = 1", RB_ECONFLICT, 2, 1,
         "expected entry 1 but found 2"},
        {"delete two middle entries", "DELETE FROM audit_log WHERE seq IN (4, 5)", RB_ECONFLICT, 6,
         4, "expected entry 4 but found 6"},
        {"swap two entries' whole contents",
         "CREATE TEMP TABLE t AS SELECT * FROM audit_log;"
         "UPDATE audit_log SET (at, actor_id, actor_label, org_id, action, object_kind, object_id, "
         "prev_hash, hash) = (SELECT at, actor_id, actor_label, org_id, action, object_kind, "
         "object_id, prev_hash, hash FROM t WHERE t.seq = CASE audit_log.seq WHEN 3 THEN 4 ELSE 3 "
         "END) WHERE seq IN (3, 4);"
         "DROP TABLE t",
         RB_ECONFLICT, 3, 3, "previous-hash"},
        {"swap two entries' fields, keeping the hashes in place",
         "CREATE TEMP TABLE t AS SELECT * FROM audit_log;"
         "UPDATE audit_log SET (action, object_id) = (SELECT action, object_id FROM t WHERE t.seq "
         "= CASE audit_log.seq WHEN 5 THEN 6 ELSE 5 END) WHERE seq IN (5, 6);"
         "DROP TABLE t",
         RB_ECONFLICT, 5, 5, "changed"},
        {"renumber the last entry", "UPDATE audit_log SET seq = 16 WHERE seq = 6", RB_ECONFLICT, 16,
         6, "expected entry 6 but found 16"},
        {"append a forged entry",
         "INSERT INTO audit_log(seq, at, actor_id, actor_label, org_id, action, object_kind, "
         "object_id, prev_hash, hash) SELECT 7, '2026-01-01T00:00:00Z', NULL, 'forger', NULL, "
         "'org.delete', 'org', NULL, hash, "
         "'1111111111111111111111111111111111111111111111111111111111111111' FROM audit_log "
         "WHERE seq = 6",
         RB_ECONFLICT, 7, 7, "changed"},
        /* Truncating the tail is invisible to the chain itself: that is why the head is reported
         * (record it elsewhere). The head then differs from the one recorded before. */
        {"drop the last entry (detectable only by the recorded head)",
         "DELETE FROM audit_log WHERE seq = 6", 0, 0, 5, ""},
        {"untouched", "SELECT 1", 0, 0, 6, ""},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        void *st = NULL;
        assert_int_equal(tu_setup(&st), 0);
        struct tu_fixture *f = st;
        append_n(f, 5);
        struct audit_verify_result before, res;
        assert_int_equal(audit_verify(f->db, &before), 0);
        assert_int_equal(before.entries, 6);
        assert_int_equal(db_exec_simple(f->db, rows[i].sql), 0);
        int rc = audit_verify(f->db, &res);
        ROW_CHECK(rc == rows[i].rc, "row %zu (%s): rc %d, expected %d (%s)", i, rows[i].what, rc,
                  rows[i].rc, res.reason);
        ROW_CHECK(res.bad_seq == rows[i].bad_seq,
                  "row %zu (%s): bad_seq %" PRId64 ", expected %" PRId64, i, rows[i].what,
                  res.bad_seq, rows[i].bad_seq);
        ROW_CHECK(res.entries == rows[i].entries,
                  "row %zu (%s): entries %" PRId64 ", expected %" PRId64, i, rows[i].what,
                  res.entries, rows[i].entries);
        ROW_CHECK(strstr(res.reason, rows[i].reason_has) != NULL,
                  "row %zu (%s): reason \"%s\" lacks \"%s\"", i, rows[i].what, res.reason,
                  rows[i].reason_has);
        if (rc == 0)
            ROW_CHECK((strcmp(res.head, before.head) == 0) == (res.entries == before.entries),
                      "row %zu (%s): head", i, rows[i].what);
        tu_teardown(&st);
    }
}

/* Reading the trail: admins and auditors, their org and (for a CERT) its subtree, newest first. */
static void test_list(void **state)
{
    struct tu_fixture *f = *state;
    assert_int_equal(tu_org(f, &f->sys, f->n, KIND_PROVINCIAL_CERT, "Punjab CERT", f->p), 0);
    assert_int_equal(tu_org(f, &f->sys, f->p, KIND_INSTITUTION, "Finance", f->pi1), 0);
    rb_orgref pref, iref, rref;
    assert_int_equal(org_ref_load(f->db, f->p, &pref), 0);
    assert_int_equal(org_ref_load(f->db, f->pi1, &iref), 0);
    assert_int_equal(org_ref_load(f->db, f->n, &rref), 0);

    static const struct {
        int who; /* 0 root, 1 provincial, 2 institution */
        enum rb_role role;
        int rc;
        int n; /* entries seen */
    } rows[] = {
        {0, ROLE_ADMIN, 0, 3},           {0, ROLE_AUDITOR, 0, 3},
        {1, ROLE_ADMIN, 0, 2},           {1, ROLE_AUDITOR, 0, 2},
        {2, ROLE_ADMIN, 0, 1},           {2, ROLE_ANALYST, RB_EPERM, 0},
        {1, ROLE_REPORTER, RB_EPERM, 0}, {0, ROLE_VIEWER, RB_EPERM, 0},
    };
    const rb_orgref *refs[] = {&rref, &pref, &iref};
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_actor a;
        tu_actor(&a, rows[i].role, refs[rows[i].who]);
        rb_arena ar;
        rb_arena_init(&ar, 1 << 20);
        rb_audit_entry *e = NULL;
        int n = -1;
        struct audit_query q = {.limit = 50};
        bool more = false;
        int rc = audit_list(f->db, &a, &q, &ar, &e, &n, &more);
        ROW_CHECK(rc == rows[i].rc, "row %zu: rc %d", i, rc);
        if (rc == 0) {
            ROW_CHECK(n == rows[i].n, "row %zu: %d entries, expected %d", i, n, rows[i].n);
            for (int k = 1; k < n; k++)
                ROW_CHECK(e[k - 1].seq > e[k].seq, "row %zu: not newest first", i);
        }
        rb_arena_release(&ar);
    }
    /* A provincial auditor may not narrow to the root's entries. */
    rb_actor a;
    tu_actor(&a, ROLE_AUDITOR, &pref);
    rb_arena ar;
    rb_arena_init(&ar, 1 << 20);
    rb_audit_entry *e = NULL;
    int n = 0;
    bool more = false;
    struct audit_query q = {.org_id = f->n, .limit = 50};
    assert_int_equal(audit_list(f->db, &a, &q, &ar, &e, &n, &more), RB_ENOTFOUND);
    q.org_id = f->pi1;
    assert_int_equal(audit_list(f->db, &a, &q, &ar, &e, &n, &more), 0);
    assert_int_equal(n, 1);
    assert_string_equal(e[0].object_id, f->pi1);
    assert_string_equal(e[0].action, "org.create");
    assert_string_equal(e[0].org_name, "Finance");
    /* Paging with `before`. */
    rb_actor_system(&a, &rref);
    q = (struct audit_query){.before = 3, .limit = 50};
    assert_int_equal(audit_list(f->db, &a, &q, &ar, &e, &n, &more), 0);
    assert_int_equal(n, 2);
    assert_int_equal(e[0].seq, 2);
    assert_int_equal(e[1].seq, 1);
    rb_arena_release(&ar);
}

TU_MAIN({
    TU_FIXTURE_TEST(test_append_and_verify),
    TU_FIXTURE_TEST(test_append_outside_transaction),
    TU_FIXTURE_TEST(test_bookkeeping_write),
    TU_FIXTURE_TEST(test_write_exec),
    TU_FIXTURE_TEST(test_kind_rows),
    cmocka_unit_test(test_tamper_table),
    TU_FIXTURE_TEST(test_list),
})
