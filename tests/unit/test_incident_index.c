/*
 * test_incident_index.c - the in-memory incident index answers the same whether it loaded the
 * database at once or followed it write by write: on the demo's incidents, after each kind of
 * write (a new report, an acknowledgement, an escalation, a grant, a status change, many
 * comments), the lists, counts and responsiveness of several readers equal those of an index
 * loaded afresh.
 */
#include "base/common.h"
#include "core/auth.h"
#include "core/demo.h"
#include "core/incident.h"
#include "core/incident_index.h"
#include "core/kind.h"
#include "core/policy.h"
#include "core/share.h"

#include "test_util.h"

#define READERS TU_DEMO_READERS

/* What the readers get from the index, for comparing. */
struct view {
    struct incident_counts counts[READERS];
    int64_t total[READERS];
    int n[READERS];
    int64_t numbers[READERS][200];
    int64_t resp[READERS][64][8]; /* per group: incidents, periods, in_time, late, missed, ... */
    int ngroups[READERS];
};

static int setup(void **state)
{
    return tu_demo_setup(state, 60, incident_index_reset);
}

static int teardown(void **state)
{
    return tu_demo_teardown(state, incident_index_reset);
}

static void take(struct tu_demo *f, struct view *v)
{
    memset(v, 0, sizeof(*v));
    for (int r = 0; r < READERS; r++) {
        struct incident_filter all = {.limit = 200, .count = true};
        assert_int_equal(incident_counts(f->db, &f->who[r], &all, &v->counts[r]), 0);
        rb_arena a;
        rb_arena_init(&a, 1 << 24);
        rb_incident *rows = NULL;
        bool more = false;
        assert_int_equal(
            incident_list(f->db, &f->who[r], &all, &a, &rows, &v->n[r], &more, &v->total[r]), 0);
        for (int i = 0; i < v->n[r]; i++)
            v->numbers[r][i] = rows[i].number;
        struct responsiveness resp;
        assert_int_equal(incident_responsiveness(f->db, &f->who[r], 0, 0, &a, &resp), 0);
        int g = 0;
        for (int i = 0; i < resp.ncerts + resp.nprovinces && g < 64; i++, g++) {
            const struct resp_group *x =
                i < resp.ncerts ? &resp.certs[i] : &resp.provinces[i - resp.ncerts];
            int64_t row[8] = {x->incidents, x->periods,    x->in_time,   x->late,
                              x->missed,    x->ack_median, x->contained, x->contain_median};
            memcpy(v->resp[r][g], row, sizeof(row));
        }
        v->ngroups[r] = g;
        rb_arena_release(&a);
    }
}

/* How many incidents the sharing policy's SQL lets reader r read: what the index must count. */
static int64_t readable(struct tu_demo *f, int r)
{
    rb_stmt *st = tu_prepare(f->db, "SELECT count(*) FROM incidents o WHERE " POLICY_SQL_READABLE);
    assert_int_equal(policy_bind_actor(st, &f->who[r], &kind_incident), 0);
    int64_t n = 0;
    assert_int_equal(db_int(st, &n), 0);
    return n;
}

/* The index as it followed the writes, then loaded afresh: the same answers, and the counts the
 * policy's SQL gives. */
static void check_same(struct tu_demo *f, const char *after)
{
    struct view followed, fresh;
    take(f, &followed);
    incident_index_reset();
    take(f, &fresh);
    for (int r = 0; r < READERS; r++) {
        int64_t want = readable(f, r);
        ROW_CHECK(fresh.counts[r].total == want && followed.counts[r].total == want,
                  "after %s: reader %d counts %" PRId64 " (followed) and %" PRId64
                  " (loaded), the policy %" PRId64,
                  after, r, followed.counts[r].total, fresh.counts[r].total, want);
        ROW_CHECK(memcmp(&followed.counts[r], &fresh.counts[r], sizeof(fresh.counts[r])) == 0,
                  "after %s: reader %d counts differ (total %" PRId64 " vs %" PRId64 ")", after, r,
                  followed.counts[r].total, fresh.counts[r].total);
        ROW_CHECK(followed.n[r] == fresh.n[r] && followed.total[r] == fresh.total[r],
                  "after %s: reader %d lists %d of %" PRId64 " vs %d of %" PRId64, after, r,
                  followed.n[r], followed.total[r], fresh.n[r], fresh.total[r]);
        ROW_CHECK(memcmp(followed.numbers[r], fresh.numbers[r], sizeof(fresh.numbers[r])) == 0,
                  "after %s: reader %d lists other incidents", after, r);
        ROW_CHECK(followed.ngroups[r] == fresh.ngroups[r] &&
                      memcmp(followed.resp[r], fresh.resp[r], sizeof(fresh.resp[r])) == 0,
                  "after %s: reader %d responsiveness differs", after, r);
    }
}

static void test_followed_equals_loaded(void **state)
{
    struct tu_demo *f = *state;
    incident_index_reset();
    struct view before;
    take(f, &before);
    assert_true(before.counts[0].total >= 60); /* the system actor reads every incident */
    assert_true(before.counts[1].total > 0 && before.counts[1].total < before.counts[0].total);
    check_same(f, "loading");

    /* A new report, by the reporter: a new entry with its grants and handling period. */
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    char id[RB_ID_SIZE];
    tu_report_malware(f, &a, "Index test: USB malware on a ward computer", id);
    check_same(f, "a report");
    struct view after;
    take(f, &after);
    assert_int_equal(after.counts[3].total, before.counts[3].total + 1);

    /* Punjab CERT acknowledges it, then escalates it by hand: a second handling period. */
    assert_int_equal(incident_acknowledge(f->db, &f->who[2], id, &f->ei), 0);
    check_same(f, "an acknowledgement");
    assert_int_equal(incident_escalate(f->db, &f->who[2], id, "index test", &f->ei), 0);
    check_same(f, "an escalation");
    take(f, &after);
    assert_int_equal(after.counts[1].total, before.counts[1].total + 1);

    /* A grant: Punjab CERT forwards one of its own to the National CERT. */
    char other[RB_ID_SIZE], root_id[RB_ID_SIZE];
    tu_pick_id(
        f->db,
        "SELECT i.id FROM incidents i JOIN orgs o ON o.id = i.handling_org WHERE o.name = ?1 AND "
        "i.tlp = 'AMBER' AND i.status = 'triaged' AND NOT EXISTS (SELECT 1 FROM grants g JOIN "
        "orgs n ON n.id = g.org_id "
        "AND n.kind = 'national_cert' WHERE g.object_kind = 'incident' AND g.object_id = i.id) "
        "ORDER BY i.seq DESC LIMIT 1",
        "Punjab CERT", other);
    tu_pick_id(f->db, "SELECT id FROM orgs WHERE kind = ?1", "national_cert", root_id);
    assert_int_equal(
        share_add(f->db, &f->who[2], &a, &kind_incident, other, root_id, SCOPE_ORG, &f->ei), 0);
    check_same(f, "a grant");
    take(f, &after);
    assert_int_equal(after.counts[1].total, before.counts[1].total + 2);

    /* A status change and then many comments on one incident (the pools fill with old slices
     * and are packed). */
    struct incident_input in;
    incident_input_init(&in);
    in.status = IST_CONTAINED;
    assert_int_equal(incident_update(f->db, &f->who[2], &a, other, &in, &f->ei), 0);
    check_same(f, "a status change");
    for (int i = 0; i < 150; i++) {
        assert_int_equal(incident_comment(f->db, &f->who[2], other, "still looking", &f->ei), 0);
        struct incident_counts c;
        struct incident_filter all = {.limit = 1};
        assert_int_equal(incident_counts(f->db, &f->who[2], &all, &c), 0);
    }
    check_same(f, "150 comments");
    rb_arena_release(&a);
}

TU_MAIN({
    cmocka_unit_test_setup_teardown(test_followed_equals_loaded, setup, teardown),
})
