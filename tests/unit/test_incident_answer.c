/*
 * test_incident_answer.c - the answers kept in memory (core/incident_answer) read exactly as
 * incident_get: on the demo's incidents, for four readers, the answer read twice (kept, then from
 * memory) has the same bytes as incident_get's record and the same refusals, before and after
 * each kind of write that changes what it shows (a status change, a comment, an acknowledgement,
 * an escalation, a grant, a TLP change, an org renamed and moved under the server's feet).
 */
#include "base/common.h"
#include "core/auth.h"
#include "core/demo.h"
#include "core/incident.h"
#include "core/incident_answer.h"
#include "core/incident_index.h"
#include "core/kind.h"
#include "core/share.h"
#include "json/json.h"

#include "test_util.h"

#define READERS TU_DEMO_READERS

/* The caches the test reads start and end empty. */
static void reset_caches(void)
{
    incident_index_reset();
    incident_answer_reset();
}

static int setup(void **state)
{
    return tu_demo_setup(state, 60, reset_caches);
}

static int teardown(void **state)
{
    return tu_demo_teardown(state, reset_caches);
}

/* The JSON of what show writes (of row), in the arena. */
static char *json_of(void (*show)(rj_writer *w, const void *row), const void *row, rb_arena *a)
{
    rb_buf b;
    rb_buf_init(&b, 1 << 20);
    rj_writer w;
    rjw_init(&w, &b);
    show(&w, row);
    assert_int_equal(rjw_finish(&w), 0);
    char *s = rb_arena_strdup(a, rb_buf_cstr(&b));
    rb_buf_release(&b);
    return s;
}

static void full_record(rj_writer *w, const void *row)
{
    rjw_record(w, row, &incident_full_record);
}

/* incident_get's answer as the API wrote it before answers were kept, or NULL when refused. */
static char *direct(struct tu_demo *f, int r, const char *id, rb_arena *a, int *rc)
{
    rb_incident x;
    *rc = incident_get(f->db, &f->who[r], id, a, &x);
    return *rc ? NULL : json_of(full_record, &x, a);
}

static char *answered(struct tu_demo *f, int r, const char *id, rb_arena *a, int *rc)
{
    struct incident_answer an;
    *rc = incident_answer_get(f->db, &f->who[r], id, a, &an);
    return *rc ? NULL : json_of(incident_answer_write, &an, a);
}

/* Every incident for every reader, in one snapshot each: twice from the answers, once directly;
 * the same bytes and the same refusals. Returns how many were readable. */
static int check_all(struct tu_demo *f, const char *after)
{
    rb_stmt *st = tu_prepare(f->db, "SELECT id FROM incidents ORDER BY seq");
    char ids[256][RB_ID_SIZE];
    int n = 0;
    while (n < 256 && db_step(st) == DB_ROW)
        rb_strlcpy(ids[n++], db_col_text(st, 0), RB_ID_SIZE);
    db_done(st);
    int readable = 0;
    for (int r = 0; r < READERS; r++) {
        assert_int_equal(db_read_begin(f->db), 0);
        for (int i = 0; i < n; i++) {
            rb_arena a;
            rb_arena_init(&a, 1 << 22);
            int rc0 = 0, rc1 = 0, rc2 = 0;
            char *want = direct(f, r, ids[i], &a, &rc0);
            char *got1 = answered(f, r, ids[i], &a, &rc1);
            char *got2 = answered(f, r, ids[i], &a, &rc2);
            ROW_CHECK(rc0 == rc1 && rc0 == rc2, "after %s: reader %d, incident %d: rc %d, %d, %d",
                      after, r, i, rc0, rc1, rc2);
            if (!rc0) {
                readable++;
                ROW_CHECK(got1 && strcmp(want, got1) == 0,
                          "after %s: reader %d, incident %d (first read):\n  got  %s\n  want %s",
                          after, r, i, got1 ? got1 : "(none)", want);
                ROW_CHECK(got2 && strcmp(want, got2) == 0,
                          "after %s: reader %d, incident %d (kept):\n  got  %s\n  want %s", after,
                          r, i, got2 ? got2 : "(none)", want);
            }
            rb_arena_release(&a);
        }
        db_read_end(f->db);
    }
    return readable;
}

static void sql_run(struct tu_demo *f, const char *sql, const char *p1, const char *p2)
{
    rb_stmt *st = tu_prepare(f->db, sql);
    db_bind_text(st, 1, p1);
    db_bind_text(st, 2, p2);
    tu_step_done(st);
}

static void test_kept_equals_read(void **state)
{
    struct tu_demo *f = *state;
    int readable = check_all(f, "loading");
    assert_true(readable > 60);
    struct incident_answer_stats s;
    incident_answer_stats(&s);
    assert_true(s.hits >= readable); /* each readable one twice, the second from memory */
    assert_true(s.entries > 0 && s.bytes > 0 && s.bytes <= (int64_t)INCIDENT_ANSWER_BYTES);

    /* Outside a snapshot nothing is kept or served from memory. */
    char id[RB_ID_SIZE], root_id[RB_ID_SIZE];
    tu_pick_id(
        f->db,
        "SELECT i.id FROM incidents i JOIN orgs o ON o.id = i.handling_org WHERE o.name = ?1 AND "
        "i.tlp = 'AMBER' AND i.status = 'triaged' AND NOT EXISTS (SELECT 1 FROM grants g JOIN "
        "orgs n ON n.id = g.org_id AND n.kind = 'national_cert' WHERE g.object_kind = "
        "'incident' AND g.object_id = i.id) ORDER BY i.seq DESC LIMIT 1",
        "Punjab CERT", id);
    tu_pick_id(f->db, "SELECT id FROM orgs WHERE kind = ?1", "national_cert", root_id);
    rb_arena a;
    rb_arena_init(&a, 1 << 20);
    incident_answer_stats(&s);
    struct incident_answer an;
    assert_int_equal(incident_answer_get(f->db, &f->who[2], id, &a, &an), 0);
    assert_null(an.head);
    struct incident_answer_stats s2;
    incident_answer_stats(&s2);
    assert_int_equal(s2.hits, s.hits);
    assert_int_equal(s2.misses, s.misses);

    /* The national analyst may not read it yet; then it is forwarded (a grant). */
    int rc = 0;
    assert_int_equal(db_read_begin(f->db), 0);
    assert_null(answered(f, 1, id, &a, &rc));
    assert_int_equal(rc, RB_ENOTFOUND);
    db_read_end(f->db);
    assert_int_equal(
        share_add(f->db, &f->who[2], &a, &kind_incident, id, root_id, SCOPE_ORG, &f->ei), 0);
    int after_grant = check_all(f, "a grant");
    assert_int_equal(after_grant, readable + 1);

    struct incident_input in;
    incident_input_init(&in);
    in.status = IST_CONTAINED;
    in.title = "Answer test: the title changed";
    assert_int_equal(incident_update(f->db, &f->who[2], &a, id, &in, &f->ei), 0);
    check_all(f, "a status and title change");
    assert_int_equal(incident_comment(f->db, &f->who[2], id, "still looking", &f->ei), 0);
    check_all(f, "a comment");

    /* A new report by the reporter, acknowledged and escalated: a second handling period. */
    char fresh[RB_ID_SIZE];
    tu_report_malware(f, &a, "Answer test: USB malware on a ward computer", fresh);
    check_all(f, "a report");
    assert_int_equal(incident_acknowledge(f->db, &f->who[2], fresh, &f->ei), 0);
    check_all(f, "an acknowledgement");
    assert_int_equal(incident_escalate(f->db, &f->who[2], fresh, "answer test", &f->ei), 0);
    check_all(f, "an escalation");

    /* Raised to RED: what "you" offers changes (no escalation), the readers stay the granted. */
    assert_int_equal(share_set_tlp(f->db, &f->who[2], &a, &kind_incident, id, TLP_RED, &f->ei), 0);
    check_all(f, "a TLP change");

    /* Orgs renamed and moved by hand, as another process would: the trigger's counter. */
    sql_run(f, "UPDATE orgs SET name = ?2 WHERE name = ?1", "Punjab CERT", "Punjab CERT (renamed)");
    check_all(f, "an org renamed");
    sql_run(f, "UPDATE orgs SET name = ?2 WHERE name = ?1", "Punjab CERT (renamed)", "Punjab CERT");
    check_all(f, "an org renamed back");
    rb_arena_release(&a);
}

/* The bound: never more entries or bytes than the header says, however many are read. */
static void test_bounded(void **state)
{
    struct tu_demo *f = *state;
    check_all(f, "loading");
    struct incident_answer_stats s;
    incident_answer_stats(&s);
    assert_true(s.entries <= INCIDENT_ANSWER_ENTRIES);
    assert_true(s.bytes <= (int64_t)INCIDENT_ANSWER_BYTES);
    incident_answer_reset();
    incident_answer_stats(&s);
    assert_int_equal(s.entries, 0);
    assert_int_equal(s.bytes, 0);
}

TU_MAIN({
    cmocka_unit_test_setup_teardown(test_kept_equals_read, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bounded, setup, teardown),
})
