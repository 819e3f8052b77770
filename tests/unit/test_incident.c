/*
 * test_incident.c - the incident status transition table, who may make each move, and the text
 * search query built from what people type.
 */
#include "base/common.h"
#include "core/incident.h"
#include "core/incident_index.h"

#include "test_util.h"

#define H PARTY_HANDLER
#define A PARTY_AFFECTED

TU_TEST(test_transitions)
{
    /* Every (from, to) pair: whether the table has it and who may make it. 0: no such move. */
    static const struct {
        enum incident_status from, to;
        unsigned who;
    } rows[] = {
        {IST_NEW, IST_TRIAGED, H},
        {IST_NEW, IST_REJECTED, H},
        {IST_NEW, IST_CONTAINED, 0},
        {IST_NEW, IST_CLOSED, 0},
        {IST_NEW, IST_MERGED, 0}, /* merging is its own action */
        {IST_TRIAGED, IST_CONTAINED, H | A},
        {IST_TRIAGED, IST_REJECTED, H},
        {IST_TRIAGED, IST_NEW, 0},
        {IST_TRIAGED, IST_CLOSED, 0},
        {IST_CONTAINED, IST_ERADICATED, H | A},
        {IST_CONTAINED, IST_TRIAGED, 0},
        {IST_ERADICATED, IST_RECOVERED, H | A},
        {IST_ERADICATED, IST_CLOSED, 0},
        {IST_RECOVERED, IST_CLOSED, H},
        {IST_CLOSED, IST_TRIAGED, H},
        {IST_CLOSED, IST_NEW, 0},
        {IST_REJECTED, IST_TRIAGED, H},
        {IST_MERGED, IST_TRIAGED, 0},
        {IST_MERGED, IST_NEW, 0},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        const struct incident_transition *t = incident_transition_find(rows[i].from, rows[i].to);
        unsigned who = t ? t->who : 0;
        ROW_CHECK(who == rows[i].who, "row %zu: %s -> %s: who %u, want %u", i,
                  rb_incident_status_names[rows[i].from], rb_incident_status_names[rows[i].to],
                  who, rows[i].who);
        ROW_CHECK(!t || (t->action && t->action[0]), "row %zu: a move says what happened", i);
    }
    /* Every move in the table is covered above. */
    for (int i = 0; i < incident_ntransitions; i++) {
        bool seen = false;
        for (size_t k = 0; k < RB_ARRAY_LEN(rows); k++)
            seen = seen || (rows[k].from == incident_transitions[i].from &&
                            rows[k].to == incident_transitions[i].to);
        ROW_CHECK(seen, "table row %d is not in the test", i);
    }
    /* A merged incident never moves; ended ones stop their clocks. */
    enum incident_status out[IST__COUNT];
    assert_int_equal(incident_next_statuses(IST_MERGED, H | A, out), 0);
    assert_true(incident_status_ended(IST_CLOSED));
    assert_true(incident_status_ended(IST_REJECTED));
    assert_true(incident_status_ended(IST_MERGED));
    assert_false(incident_status_ended(IST_RECOVERED));
}

TU_TEST(test_next_statuses)
{
    enum incident_status out[IST__COUNT];
    /* The handling CERT at a new incident: triage or reject. */
    assert_int_equal(incident_next_statuses(IST_NEW, H, out), 2);
    assert_int_equal(out[0], IST_TRIAGED);
    assert_int_equal(out[1], IST_REJECTED);
    /* The affected org cannot triage. */
    assert_int_equal(incident_next_statuses(IST_NEW, A, out), 0);
    /* Both may mark containment; only the handler rejects. */
    assert_int_equal(incident_next_statuses(IST_TRIAGED, A, out), 1);
    assert_int_equal(out[0], IST_CONTAINED);
    assert_int_equal(incident_next_statuses(IST_TRIAGED, H, out), 2);
    /* Nobody: nothing. */
    assert_int_equal(incident_next_statuses(IST_TRIAGED, 0, out), 0);
}

TU_TEST(test_fts_query)
{
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    /* Each row: what was typed and the FTS5 query made of it (NULL: none). */
    static const struct tu_str_row rows[] = {
        {"ransomware", "\"ransomware\"*"},
        {"  Ransomware  payroll ", "\"Ransomware\"* \"payroll\"*"},
        {"\"quoted\" OR NEAR(x)", "\"quoted\"* \"OR\"* \"NEAR\"* \"x\"*"},
        {"e-mail", "\"e\"* \"mail\"*"},
        {"***", NULL},
        {"", NULL},
        {"کراچی بندرگاہ", "\"کراچی\"* \"بندرگاہ\"*"},
        {"a b c d e f g h i j", "\"a\"* \"b\"* \"c\"* \"d\"* \"e\"* \"f\"* \"g\"* \"h\"*"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        char *got = incident_fts_query(&a, rows[i].in);
        if (!rows[i].out)
            ROW_CHECK(got == NULL, "row %zu: %s gave %s", i, rows[i].in, got);
        else
            ROW_CHECK(got && strcmp(got, rows[i].out) == 0, "row %zu: %s gave %s, want %s", i,
                      rows[i].in, got ? got : "(null)", rows[i].out);
    }
    /* A very long word is cut, never overflowing. */
    char longq[5000];
    memset(longq, 'x', sizeof(longq) - 1);
    longq[sizeof(longq) - 1] = '\0';
    char *got = incident_fts_query(&a, longq);
    assert_non_null(got);
    assert_true(strlen(got) <= 64 + 3);
    rb_arena_release(&a);
}

TU_MAIN({
    cmocka_unit_test(test_transitions),
    cmocka_unit_test(test_next_statuses),
    cmocka_unit_test(test_fts_query),
})
