/*
 * test_deadline.c - core/deadline: clock arithmetic and the escalation rules, table by table.
 */
#include "base/common.h"
#include "core/deadline.h"

#include "test_util.h"

#define H 3600
#define D (24 * H)
#define T0 1767225600 /* 2026-01-01T00:00:00Z: detection in every row */

TU_TEST(test_defaults)
{
    static const int64_t ack[SEV__COUNT] = {1 * H, 4 * H, 8 * H, 24 * H, 72 * H, 72 * H};
    for (int i = 0; i < SEV__COUNT; i++) {
        struct deadline_rule p;
        deadline_rule_default((enum rb_severity)i, &p);
        ROW_CHECK(p.ack == ack[i], "ack[%s] = %" PRId64, rb_severity_names[i], p.ack);
        assert_int_equal(p.early_warning, 24 * H);
        assert_int_equal(p.early_warning_cii, 6 * H);
        assert_int_equal(p.notification, 72 * H);
        assert_int_equal(p.final_report, 30 * D);
    }
}

TU_TEST(test_clocks)
{
    /* Times are offsets from T0 (0: not set); want[k] the state of clock k. */
    static const struct {
        const char *what;
        enum rb_severity sev;
        bool cii;
        int64_t reported, handling, acked, notified, final, ended, now;
        enum clock_state want[CLOCK__COUNT];
        int next; /* deadline_next, -1 none */
    } rows[] = {
        {"reported at once, high: ack due in 8 h, pending",
         SEV_HIGH,
         false,
         60,
         0,
         0,
         0,
         0,
         0,
         2 * H,
         {CLOCK_PENDING, CLOCK_MET, CLOCK_PENDING, CLOCK_PENDING},
         CLOCK_ACK},
        {"ack due within the hour",
         SEV_HIGH,
         false,
         0 + 1,
         0,
         0,
         0,
         0,
         0,
         7 * H + 30 * 60,
         {CLOCK_DUE_SOON, CLOCK_MET, CLOCK_PENDING, CLOCK_PENDING},
         CLOCK_ACK},
        {"ack overdue one second after",
         SEV_HIGH,
         false,
         1,
         0,
         0,
         0,
         0,
         0,
         8 * H + 2,
         {CLOCK_OVERDUE, CLOCK_MET, CLOCK_PENDING, CLOCK_PENDING},
         CLOCK_ACK},
        {"acknowledged in time",
         SEV_EMERGENCY,
         false,
         10,
         0,
         10 + H,
         0,
         0,
         0,
         2 * H,
         {CLOCK_MET, CLOCK_MET, CLOCK_PENDING, CLOCK_PENDING},
         CLOCK_NOTIFICATION},
        {"acknowledged late",
         SEV_EMERGENCY,
         false,
         10,
         0,
         10 + H + 1,
         0,
         0,
         0,
         5 * H,
         {CLOCK_MET_LATE, CLOCK_MET, CLOCK_PENDING, CLOCK_PENDING},
         CLOCK_NOTIFICATION},
        {"reported after 30 h: early warning late",
         SEV_MEDIUM,
         false,
         30 * H,
         0,
         0,
         0,
         0,
         0,
         31 * H,
         {CLOCK_PENDING, CLOCK_MET_LATE, CLOCK_PENDING, CLOCK_PENDING},
         CLOCK_ACK},
        {"CII: the early warning is 6 h",
         SEV_MEDIUM,
         true,
         7 * H,
         0,
         0,
         0,
         0,
         0,
         8 * H,
         {CLOCK_PENDING, CLOCK_MET_LATE, CLOCK_PENDING, CLOCK_PENDING},
         CLOCK_ACK},
        {"CII reported in 5 h: in time",
         SEV_MEDIUM,
         true,
         5 * H,
         0,
         0,
         0,
         0,
         0,
         6 * H,
         {CLOCK_PENDING, CLOCK_MET, CLOCK_PENDING, CLOCK_PENDING},
         CLOCK_ACK},
        {"escalated: the ack clock restarts at the new CERT",
         SEV_LOW,
         false,
         60,
         80 * H,
         0,
         0,
         0,
         0,
         100 * H,
         {CLOCK_PENDING, CLOCK_MET, CLOCK_OVERDUE, CLOCK_PENDING},
         CLOCK_NOTIFICATION},
        {"notification overdue after 72 h",
         SEV_LOW,
         false,
         60,
         0,
         2 * H,
         0,
         0,
         0,
         73 * H,
         {CLOCK_MET, CLOCK_MET, CLOCK_OVERDUE, CLOCK_PENDING},
         CLOCK_NOTIFICATION},
        {"all met",
         SEV_LOW,
         false,
         60,
         0,
         2 * H,
         70 * H,
         20 * D,
         0,
         40 * D,
         {CLOCK_MET, CLOCK_MET, CLOCK_MET, CLOCK_MET},
         -1},
        {"closed: unmet clocks stop",
         SEV_LOW,
         false,
         60,
         0,
         0,
         0,
         0,
         2 * H,
         90 * D,
         {CLOCK_STOPPED, CLOCK_MET, CLOCK_STOPPED, CLOCK_STOPPED},
         -1},
        {"final report late",
         SEV_HIGH,
         false,
         60,
         0,
         H,
         2 * H,
         31 * D,
         0,
         32 * D,
         {CLOCK_MET, CLOCK_MET, CLOCK_MET, CLOCK_MET_LATE},
         -1},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        struct incident_times t = {
            .severity = rows[i].sev,
            .cii = rows[i].cii,
            .detected_at = T0,
            .reported_at = T0 + rows[i].reported,
            .handling_since = rows[i].handling ? T0 + rows[i].handling : 0,
            .acknowledged_at = rows[i].acked ? T0 + rows[i].acked : 0,
            .notified_at = rows[i].notified ? T0 + rows[i].notified : 0,
            .final_report_at = rows[i].final ? T0 + rows[i].final : 0,
            .ended_at = rows[i].ended ? T0 + rows[i].ended : 0,
        };
        struct deadline_rule p;
        deadline_rule_default(t.severity, &p);
        int64_t due[CLOCK__COUNT];
        deadline_dues(&p, &t, due);
        struct clock c[CLOCK__COUNT];
        deadline_clocks(due, &t, T0 + rows[i].now, c);
        for (int k = 0; k < CLOCK__COUNT; k++)
            ROW_CHECK(c[k].state == rows[i].want[k], "row %zu (%s): %s is %s, want %s", i,
                      rows[i].what, rb_clock_names[k], rb_clock_state_names[c[k].state],
                      rb_clock_state_names[rows[i].want[k]]);
        ROW_CHECK(deadline_next(c) == rows[i].next, "row %zu (%s): next %d", i, rows[i].what,
                  deadline_next(c));
    }
    /* The due times themselves. */
    struct incident_times t = {
        .severity = SEV_SEVERE, .cii = true, .detected_at = T0, .reported_at = T0 + 100};
    struct deadline_rule p;
    deadline_rule_default(t.severity, &p);
    int64_t due[CLOCK__COUNT];
    deadline_dues(&p, &t, due);
    struct clock c[CLOCK__COUNT];
    deadline_clocks(due, &t, T0 + 200, c);
    assert_int_equal(c[CLOCK_ACK].due, T0 + 100 + 4 * H);
    assert_int_equal(c[CLOCK_EARLY_WARNING].due, T0 + 6 * H);
    assert_int_equal(c[CLOCK_NOTIFICATION].due, T0 + 72 * H);
    assert_int_equal(c[CLOCK_FINAL_REPORT].due, T0 + 30 * D);
    /* A policy without a deadline: the clock does not apply. */
    p.notification = 0;
    deadline_dues(&p, &t, due);
    deadline_clocks(due, &t, T0 + 200, c);
    assert_int_equal(c[CLOCK_NOTIFICATION].state, CLOCK_NONE);
    assert_int_equal(c[CLOCK_NOTIFICATION].due, 0);
}

/* The facts of an incident that every rule would send up: a row adds the one that stops it. */
#define EVERY_RULE                                                                                 \
    .severity = SEV_EMERGENCY, .cii = true, .cross_province = true, .ack_overdue = true

TU_TEST(test_escalation_rules)
{
    static const struct {
        const char *what;
        struct escalation_facts f;
        enum escalation_rule want;
    } rows[] = {
        {"a low incident stays", {.severity = SEV_LOW}, ESC_NONE},
        {"severe goes up", {.severity = SEV_SEVERE}, ESC_SEVERITY},
        {"emergency goes up", {.severity = SEV_EMERGENCY}, ESC_SEVERITY},
        {"high stays", {.severity = SEV_HIGH}, ESC_NONE},
        {"CII goes up", {.severity = SEV_MEDIUM, .cii = true}, ESC_CII},
        {"cross-province goes up",
         {.severity = SEV_LOW, .cross_province = true},
         ESC_CROSS_PROVINCE},
        {"ack overdue goes up", {.severity = SEV_LOW, .ack_overdue = true}, ESC_ACK_OVERDUE},
        {"severity is tried first",
         {.severity = SEV_SEVERE, .cii = true, .cross_province = true, .ack_overdue = true},
         ESC_SEVERITY},
        {"a rule fired here is not fired again",
         {.severity = SEV_SEVERE, .cii = true, .fired = 1u << ESC_SEVERITY},
         ESC_CII},
        {"every rule fired",
         {.severity = SEV_SEVERE, .cii = true, .fired = (1u << ESC_SEVERITY) | (1u << ESC_CII)},
         ESC_NONE},
        {"at the National CERT nothing goes further", {EVERY_RULE, .at_root = true}, ESC_NONE},
        {"TLP:RED or AMBER+STRICT stays with its recipients",
         {EVERY_RULE, .restricted = true},
         ESC_NONE},
        {"a closed incident is never escalated", {EVERY_RULE, .ended = true}, ESC_NONE},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        const char *why = "unset";
        enum escalation_rule got = escalation_rule(&rows[i].f, &why);
        ROW_CHECK(got == rows[i].want, "row %zu (%s): %s, want %s", i, rows[i].what,
                  rb_escalation_names[got], rb_escalation_names[rows[i].want]);
        ROW_CHECK((got == ESC_NONE) == (why == NULL), "row %zu: a reason exactly when it fires", i);
    }
}

TU_MAIN({
    cmocka_unit_test(test_defaults),
    cmocka_unit_test(test_clocks),
    cmocka_unit_test(test_escalation_rules),
})
