/*
 * deadline.c - clock arithmetic and the escalation rule table. Pure functions.
 *
 * Must never read the real clock or the database: every time comes from the caller, so tests
 * drive time as they like.
 */
#include "base/common.h"
#include "core/deadline.h"

const char *const rb_severity_names[] = {"emergency", "severe",   "high", "medium",
                                         "low",       "baseline", NULL};
const char *const rb_clock_names[] = {"acknowledge", "early_warning", "notification",
                                      "final_report", NULL};
const char *const rb_clock_state_names[] = {"none", "pending",  "due_soon", "overdue",
                                            "met",  "met_late", "stopped",  NULL};
const char *const rb_escalation_names[] = {"none",        "severity", "cii", "cross_province",
                                           "ack_overdue", "manual",   NULL};

#define HOUR 3600
#define DAY (24 * HOUR)

void deadline_rule_default(enum rb_severity sev, struct deadline_rule *out)
{
    static const int64_t ack[SEV__COUNT] = {
        [SEV_EMERGENCY] = 1 * HOUR, [SEV_SEVERE] = 4 * HOUR, [SEV_HIGH] = 8 * HOUR,
        [SEV_MEDIUM] = 24 * HOUR,   [SEV_LOW] = 72 * HOUR,   [SEV_BASELINE] = 72 * HOUR,
    };
    int i = (int)sev >= 0 && sev < SEV__COUNT ? (int)sev : SEV_BASELINE;
    out->ack = ack[i];
    out->early_warning = 24 * HOUR;
    out->early_warning_cii = 6 * HOUR;
    out->notification = 72 * HOUR;
    out->final_report = 30 * DAY;
}

/* One clock: due at `due` (0: does not apply), met at `met` (0: not yet). */
static struct clock one(enum clock_kind kind, int64_t due, int64_t met, int64_t ended, int64_t now)
{
    struct clock c = {kind, CLOCK_NONE, due > 0 ? due : 0, met};
    if (due <= 0)
        return c;
    if (met > 0)
        c.state = met <= c.due ? CLOCK_MET : CLOCK_MET_LATE;
    else if (ended > 0)
        c.state = CLOCK_STOPPED;
    else if (now > c.due)
        c.state = CLOCK_OVERDUE;
    else if (c.due - now <= DEADLINE_SOON)
        c.state = CLOCK_DUE_SOON;
    else
        c.state = CLOCK_PENDING;
    return c;
}

static int64_t after(int64_t from, int64_t secs)
{
    return from > 0 && secs > 0 ? from + secs : 0;
}

void deadline_dues(const struct deadline_rule *r, const struct incident_times *t,
                   int64_t due[CLOCK__COUNT])
{
    int64_t handling = t->handling_since ? t->handling_since : t->reported_at;
    due[CLOCK_ACK] = after(handling, r->ack);
    due[CLOCK_EARLY_WARNING] =
        after(t->detected_at, t->cii ? r->early_warning_cii : r->early_warning);
    due[CLOCK_NOTIFICATION] = after(t->detected_at, r->notification);
    due[CLOCK_FINAL_REPORT] = after(t->detected_at, r->final_report);
}

void deadline_clocks(const int64_t due[CLOCK__COUNT], const struct incident_times *t, int64_t now,
                     struct clock out[CLOCK__COUNT])
{
    out[CLOCK_ACK] = one(CLOCK_ACK, due[CLOCK_ACK], t->acknowledged_at, t->ended_at, now);
    out[CLOCK_EARLY_WARNING] =
        one(CLOCK_EARLY_WARNING, due[CLOCK_EARLY_WARNING], t->reported_at, t->ended_at, now);
    out[CLOCK_NOTIFICATION] =
        one(CLOCK_NOTIFICATION, due[CLOCK_NOTIFICATION], t->notified_at, t->ended_at, now);
    out[CLOCK_FINAL_REPORT] =
        one(CLOCK_FINAL_REPORT, due[CLOCK_FINAL_REPORT], t->final_report_at, t->ended_at, now);
}

static bool running(const struct clock *c)
{
    return c->state == CLOCK_PENDING || c->state == CLOCK_DUE_SOON || c->state == CLOCK_OVERDUE;
}

int deadline_next(const struct clock c[CLOCK__COUNT])
{
    int best = -1;
    for (int i = 0; i < CLOCK__COUNT; i++)
        if (running(&c[i]) && (best < 0 || c[i].due < c[best].due))
            best = i;
    return best;
}

bool deadline_any_overdue(const struct clock c[CLOCK__COUNT])
{
    for (int i = 0; i < CLOCK__COUNT; i++)
        if (c[i].state == CLOCK_OVERDUE)
            return true;
    return false;
}

/* The rules in the order they are tried: the first that holds escalates. */
static const struct {
    enum escalation_rule rule;
    const char *why;
} rules[] = {
    {ESC_SEVERITY, "severity is severe or emergency: the CERT above handles it"},
    {ESC_CII, "critical information infrastructure is involved"},
    {ESC_CROSS_PROVINCE, "it is linked to an incident in another province"},
    {ESC_ACK_OVERDUE, "the handling CERT did not acknowledge it in time"},
};

static bool rule_holds(enum escalation_rule r, const struct escalation_facts *f)
{
    switch (r) {
    case ESC_SEVERITY:
        return f->severity == SEV_EMERGENCY || f->severity == SEV_SEVERE;
    case ESC_CII:
        return f->cii;
    case ESC_CROSS_PROVINCE:
        return f->cross_province;
    case ESC_ACK_OVERDUE:
        return f->ack_overdue;
    default:
        return false;
    }
}

enum escalation_rule escalation_rule(const struct escalation_facts *f, const char **why)
{
    if (why)
        *why = NULL;
    if (f->at_root || f->ended || f->restricted)
        return ESC_NONE;
    for (size_t i = 0; i < RB_ARRAY_LEN(rules); i++) {
        enum escalation_rule r = rules[i].rule;
        if ((f->fired & (1u << r)) || !rule_holds(r, f))
            continue;
        if (why)
            *why = rules[i].why;
        return r;
    }
    return ESC_NONE;
}
