/*
 * incident.c - reporting, reading and changing incidents; acknowledgement and escalation.
 *
 * Must never let a read bypass the sharing policy, move a status the transition table does not
 * allow the actor, escalate the same incident from the same level twice, or pass an AMBER+STRICT
 * or RED incident on to anyone its owner did not choose.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "base/utf8.h"
#include "core/audit.h"
#include "core/files.h"
#include "core/history.h"
#include "core/inbox.h"
#include "core/incident.h"
#include "core/kind.h"
#include "core/org.h"
#include "core/policy.h"
#include "core/reporting.h"
#include "core/share.h"
#include "formats/rsit.h"
#include "formats/tlp.h"
#include "json/field.h"
#include "json/json.h"

#include <pthread.h>

const char *const rb_incident_status_names[] = {
    "new", "triaged", "contained", "eradicated", "recovered", "closed", "rejected", "merged", NULL};
const char *const rb_incident_stage_names[] = {"notification", "final_report", NULL};

#define H PARTY_HANDLER
#define A PARTY_AFFECTED

/* The one transition table. Merging is its own action (incident_merge), never a status move. */
const struct incident_transition incident_transitions[] = {
    {IST_NEW, IST_TRIAGED, H, "triaged"},
    {IST_NEW, IST_REJECTED, H, "rejected"},
    {IST_TRIAGED, IST_CONTAINED, H | A, "contained"},
    {IST_TRIAGED, IST_REJECTED, H, "rejected"},
    {IST_CONTAINED, IST_ERADICATED, H | A, "eradicated"},
    {IST_ERADICATED, IST_RECOVERED, H | A, "recovered"},
    {IST_RECOVERED, IST_CLOSED, H, "closed"},
    {IST_CLOSED, IST_TRIAGED, H, "reopened"},
    {IST_REJECTED, IST_TRIAGED, H, "reopened"},
};
const int incident_ntransitions = (int)RB_ARRAY_LEN(incident_transitions);

#undef H
#undef A

const struct incident_transition *incident_transition_find(enum incident_status from,
                                                           enum incident_status to)
{
    for (int i = 0; i < incident_ntransitions; i++)
        if (incident_transitions[i].from == from && incident_transitions[i].to == to)
            return &incident_transitions[i];
    return NULL;
}

int incident_next_statuses(enum incident_status from, unsigned who,
                           enum incident_status out[IST__COUNT])
{
    int n = 0;
    for (int i = 0; i < incident_ntransitions && n < IST__COUNT; i++)
        if (incident_transitions[i].from == from && (incident_transitions[i].who & who))
            out[n++] = incident_transitions[i].to;
    return n;
}

bool incident_status_ended(enum incident_status s)
{
    return s == IST_CLOSED || s == IST_REJECTED || s == IST_MERGED;
}

void incident_input_init(struct incident_input *in)
{
    *in = (struct incident_input){.severity = -1, .tlp = -1, .cii = -1, .status = -1};
}

static int64_t now_of(const rb_write *w)
{
    return rb_time_of(w->now);
}

/* ---- rows without the policy (after it) ---- */

int incident_row_load(rb_db *db, const char *id, struct incident_row *out)
{
    memset(out, 0, sizeof(*out));
    rb_stmt *st = NULL;
    int rc = db_prepare(db,
                        "SELECT id, owner_org, org_id, handling_org, coalesce(province, ''), "
                        "title, tlp, severity, status, cii, detected_at, reported_at, "
                        "handling_since, acknowledged_at, notified_at, final_report_at, ended_at, "
                        "(SELECT count(*) FROM incident_handlers h WHERE h.incident_id = "
                        "incidents.id), ack_due, early_warning_due, notification_due, "
                        "final_report_due FROM incidents WHERE id = ?1",
                        &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, id);
    rc = db_step(st);
    if (rc == DB_ROW) {
        rb_strlcpy(out->id, db_col_text(st, 0), sizeof(out->id));
        rb_strlcpy(out->owner_org, db_col_text(st, 1), sizeof(out->owner_org));
        rb_strlcpy(out->org_id, db_col_text(st, 2), sizeof(out->org_id));
        rb_strlcpy(out->handling_org, db_col_text(st, 3), sizeof(out->handling_org));
        rb_strlcpy(out->province, db_col_text(st, 4), sizeof(out->province));
        rb_strlcpy(out->title, db_col_text(st, 5), sizeof(out->title));
        enum rb_tlp t = TLP_RED;
        tlp_parse(db_col_text(st, 6), &t);
        out->tlp = t;
        int sev = rb_name_index(rb_severity_names, db_col_text(st, 7));
        out->severity = sev < 0 ? SEV_BASELINE : (enum rb_severity)sev;
        int status = rb_name_index(rb_incident_status_names, db_col_text(st, 8));
        out->status = status < 0 ? IST_NEW : (enum incident_status)status;
        out->cii = db_col_int(st, 9) != 0;
        out->detected_at = rb_time_of(db_col_text(st, 10));
        out->reported_at = rb_time_of(db_col_text(st, 11));
        out->handling_since = rb_time_of(db_col_text(st, 12));
        out->acknowledged_at = rb_time_of(db_col_text(st, 13));
        out->notified_at = rb_time_of(db_col_text(st, 14));
        out->final_report_at = rb_time_of(db_col_text(st, 15));
        out->ended_at = rb_time_of(db_col_text(st, 16));
        out->nhandlers = (int)db_col_int(st, 17);
        for (int i = 0; i < CLOCK__COUNT; i++)
            out->due[i] = rb_time_of(db_col_text(st, 18 + i));
    }
    db_done(st);
    if (rc != DB_ROW)
        return rc < 0 ? rc : RB_ENOTFOUND;
    return 0;
}

/* The actor's incident_party bits for an incident of these orgs. */
static unsigned party_of(const rb_actor *actor, const char *handling_org, const char *org_id,
                         const char *owner_org)
{
    unsigned p = 0;
    if (actor->system)
        return PARTY_HANDLER | PARTY_AFFECTED;
    if (strcmp(actor->org.id, handling_org) == 0 && policy_can(actor, PERM_TRIAGE))
        p |= PARTY_HANDLER;
    if ((strcmp(actor->org.id, org_id) == 0 || strcmp(actor->org.id, owner_org) == 0) &&
        policy_can(actor, PERM_REPORT))
        p |= PARTY_AFFECTED;
    return p;
}

unsigned incident_party_of(const rb_actor *actor, const struct incident_row *x)
{
    return party_of(actor, x->handling_org, x->org_id, x->owner_org);
}

/* An org's parent, kind and name (system read). */
struct org_facts {
    char parent[RB_ID_SIZE];
    enum rb_org_kind kind;
    char name[256];
    char province[64];
};

static const struct rb_member org_facts_members[] = {
    RB_HIDDEN_CHARS(struct org_facts, parent),
    RB_HIDDEN(struct org_facts, kind, rb_org_kind_mtype),
    RB_HIDDEN_CHARS(struct org_facts, name, province),
};
static const struct rb_record org_facts_record = RB_RECORD(struct org_facts, org_facts_members);

static int org_facts(rb_db *db, const char *id, struct org_facts *out)
{
    memset(out, 0, sizeof(*out));
    return db_query_one(db,
                        "SELECT coalesce(parent_id, ''), kind, name, coalesce(province, '') FROM "
                        "orgs WHERE id = ?1",
                        DB_ARGS(DB_TEXT(id)), NULL, &org_facts_record, out);
}

int incident_touch(rb_write *w, const char *id)
{
    int rc =
        db_exec(w->db, "UPDATE counters SET value = value + 1 WHERE name = 'incident'", NULL, 0);
    return rc ? rc
              : db_exec(w->db,
                        "UPDATE incidents SET version = (SELECT value FROM counters WHERE name = "
                        "'incident'), updated_at = ?2 WHERE id = ?1",
                        DB_ARGS(DB_TEXT(id), DB_TEXT(w->now)));
}

int incident_end(rb_write *w, int rc, const struct incident_row *x, const char *action,
                 const char *refusal)
{
    if (!rc)
        rc = incident_touch(w, x->id);
    return write_end(w, rc, action, &kind_incident, x->id, x->owner_org, refusal);
}

void incident_times_of(const struct incident_row *x, struct incident_times *t)
{
    memset(t, 0, sizeof(*t));
    t->severity = x->severity;
    t->cii = x->cii;
    t->detected_at = x->detected_at;
    t->reported_at = x->reported_at;
    t->handling_since = x->handling_since;
    t->acknowledged_at = x->acknowledged_at;
    t->notified_at = x->notified_at;
    t->final_report_at = x->final_report_at;
    t->ended_at = x->ended_at;
}

int incident_refresh_dues(rb_write *w, const struct incident_row *x)
{
    struct org_facts h;
    int rc = org_facts(w->db, x->handling_org, &h);
    struct deadline_rule rule;
    if (!rc)
        rc = reporting_rule(w->db, h.kind, x->severity, &rule);
    if (rc)
        return rc;
    struct incident_times t;
    incident_times_of(x, &t);
    int64_t due[CLOCK__COUNT];
    deadline_dues(&rule, &t, due);
    struct clock c[CLOCK__COUNT];
    deadline_clocks(due, &t, now_of(w), c);
    int next = deadline_next(c);
    /* The scheduler's next look: an hour before the first running deadline (due soon), or the
     * deadline itself once inside that hour; the scheduler moves it on (core/scheduler). */
    int64_t check = 0;
    for (int i = 0; i < CLOCK__COUNT; i++) {
        if (c[i].state != CLOCK_PENDING && c[i].state != CLOCK_DUE_SOON &&
            c[i].state != CLOCK_OVERDUE)
            continue;
        int64_t at = c[i].due - DEADLINE_SOON;
        if (check == 0 || at < check)
            check = at;
    }
    if ((rc = db_exec(w->db,
                      "UPDATE incidents SET ack_due = ?2, early_warning_due = ?3, "
                      "notification_due = ?4, final_report_due = ?5, next_due = ?6, "
                      "next_check = ?7 WHERE id = ?1",
                      DB_ARGS(DB_TEXT(x->id), DB_TIME(due[CLOCK_ACK]),
                              DB_TIME(due[CLOCK_EARLY_WARNING]), DB_TIME(due[CLOCK_NOTIFICATION]),
                              DB_TIME(due[CLOCK_FINAL_REPORT]),
                              DB_TIME(x->ended_at ? 0 : (next >= 0 ? c[next].due : 0)),
                              DB_TIME(x->ended_at ? 0 : check)))) ||
        (rc = db_exec(w->db,
                      "UPDATE incident_handlers SET ack_due = ?3 WHERE incident_id = ?1 AND n "
                      "= ?2 AND acknowledged_at IS NULL",
                      DB_ARGS(DB_TEXT(x->id), DB_INT(x->nhandlers - 1), DB_TIME(due[CLOCK_ACK])))))
        return rc;
    return incident_touch(w, x->id);
}

/* ---- escalation ---- */

static int cross_province(rb_db *db, const char *id, bool *out)
{
    rb_stmt *st = NULL;
    int64_t n = 0;
    int rc = db_prepare(db,
                        "SELECT count(*) FROM incident_links l JOIN incidents a ON a.id = l.a_id "
                        "JOIN incidents b ON b.id = l.b_id WHERE (l.a_id = ?1 OR l.b_id = ?1) AND "
                        "a.province IS NOT NULL AND b.province IS NOT NULL AND a.province <> "
                        "b.province",
                        &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, id);
    rc = db_int(st, &n);
    *out = n > 0;
    return rc;
}

int incident_escalate_in(rb_write *w, const struct incident_row *x, enum escalation_rule rule,
                         const char *why, bool *done)
{
    *done = false;
    struct org_facts from, to;
    int rc = org_facts(w->db, x->handling_org, &from);
    if (rc || !from.parent[0])
        return rc;
    if ((rc = org_facts(w->db, from.parent, &to)))
        return rc;
    /* The next handling period: its key (incident, n) makes the escalation happen once. */
    rc = db_exec(w->db,
                 "INSERT INTO incident_handlers(incident_id, n, org_id, since, rule, reason) "
                 "VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT DO NOTHING",
                 DB_ARGS(DB_TEXT(x->id), DB_INT(x->nhandlers), DB_TEXT(from.parent),
                         DB_TEXT(w->now), DB_TEXT(rb_escalation_names[rule]), DB_TEXT(why)));
    if (rc || db_changes(w->db) == 0)
        return rc;
    if ((rc = db_exec(w->db,
                      "UPDATE incident_handlers SET until = ?3 WHERE incident_id = ?1 AND n = ?2",
                      DB_ARGS(DB_TEXT(x->id), DB_INT(x->nhandlers - 1), DB_TEXT(w->now)))))
        return rc;
    if ((rc = db_exec(w->db,
                      "UPDATE incidents SET handling_org = ?2, handling_since = ?3, "
                      "acknowledged_at = NULL WHERE id = ?1",
                      DB_ARGS(DB_TEXT(x->id), DB_TEXT(from.parent), DB_TEXT(w->now)))))
        return rc;
    char note[1200], detail[1200];
    rb_fmt(note, sizeof(note), "to %s%s: %s", to.name, rule == ESC_MANUAL ? "" : " (automatically)",
           why ? why : "");
    rb_fmt(detail, sizeof(detail), "Escalated by %s%s: %s", from.name,
           rule == ESC_MANUAL ? "" : " (automatically)", why ? why : "");
    struct incident_row y = *x;
    rb_strlcpy(y.handling_org, from.parent, sizeof(y.handling_org));
    y.handling_since = now_of(w);
    y.acknowledged_at = 0;
    y.nhandlers = x->nhandlers + 1;
    if ((rc = share_grant(w, &kind_incident, x->id, from.parent, SCOPE_ORG)) ||
        (rc = history_add(w, &kind_incident, x->id, "escalated", NULL, note)) ||
        (rc = inbox_add(w, from.parent, INBOX_ESCALATED, &kind_incident, x->id, detail, NULL,
                        NULL)) ||
        (rc = incident_refresh_dues(w, &y)))
        return rc;
    /* A manual escalation is its write's own audit entry; an automatic one gets its own. */
    if (rule != ESC_MANUAL && (rc = audit_append(w->db, w->actor, "incident.escalate",
                                                 &kind_incident, x->id, from.parent)))
        return rc;
    *done = true;
    return 0;
}

int incident_auto_escalate(rb_write *w, const char *id, bool ack_overdue)
{
    for (int level = 0; level < RB_MAX_DEPTH; level++) {
        struct incident_row x;
        int rc = incident_row_load(w->db, id, &x);
        if (rc)
            return rc;
        struct org_facts h;
        if ((rc = org_facts(w->db, x.handling_org, &h)))
            return rc;
        struct escalation_facts f = {
            .severity = x.severity,
            .cii = x.cii,
            .ack_overdue = ack_overdue && level == 0,
            .at_root = h.parent[0] == '\0',
            .restricted = x.tlp >= TLP_AMBER_STRICT,
            .ended = incident_status_ended(x.status),
        };
        if ((rc = cross_province(w->db, id, &f.cross_province)))
            return rc;
        const char *why = NULL;
        enum escalation_rule r = escalation_rule(&f, &why);
        if (r == ESC_NONE)
            return 0;
        bool done = false;
        if ((rc = incident_escalate_in(w, &x, r, why, &done)) || !done)
            return rc;
    }
    return 0;
}

/* ---- report ---- */

static int check_rsit(const char *cls, const char *type, rb_errinfo *ei)
{
    const struct rsit_class *c = rsit_class_find(cls);
    if (!c)
        return rb_err(ei, RB_EINVAL, "rsit_class",
                      "\"rsit_class\" must be a class of the ENISA taxonomy (like "
                      "\"malicious-code\"; GET /api/v1/taxonomy/rsit lists them), not \"%.*s\"",
                      RB_CUT(cls, 60));
    if (!rsit_type_find(c, type))
        return rb_err(ei, RB_EINVAL, "rsit_type",
                      "\"%.*s\" is not a type of the class %s (%s); the types are listed by GET "
                      "/api/v1/taxonomy/rsit",
                      RB_CUT(type, 60), c->id, c->label);
    return 0;
}

static int check_detected(const char *s, int64_t now, int64_t *out, rb_errinfo *ei)
{
    int64_t t;
    if (rb_time_parse(s, &t))
        return rb_err(ei, RB_EINVAL, "detected_at",
                      "\"detected_at\" must be a time like 2026-12-01T08:30:00Z");
    if (t > now + 300)
        return rb_err(ei, RB_EINVAL, "detected_at", "\"detected_at\" is in the future");
    if (t < now - 20 * 366 * 86400LL)
        return rb_err(ei, RB_EINVAL, "detected_at", "\"detected_at\" is more than 20 years ago");
    *out = t;
    return 0;
}

static int check_texts(const struct incident_input *in, bool report, rb_errinfo *ei)
{
    int rc;
    if ((rc = rb_field_checks(FIELD_TITLE, "title", in->title, ei)) ||
        (rc = rb_field_checks(FIELD_PROSE, "description", in->description, ei)) ||
        (rc = rb_field_checks(FIELD_NOTE, "affected_services", in->affected_services, ei)) ||
        (rc = rb_field_checks(FIELD_NOTE, "comment", in->comment, ei)))
        return rc;
    if ((report || in->title) && (!in->title || rb_utf8_cut(in->title, 4) < 3 ||
                                  strspn(in->title, " \t") == strlen(in->title)))
        return rb_err(ei, RB_EINVAL, "title", "\"title\" must say in a few words what happened");
    if (report && (!in->rsit_class || !in->rsit_type))
        return rb_err(ei, RB_EINVAL, in->rsit_class ? "rsit_type" : "rsit_class",
                      "\"rsit_class\" and \"rsit_type\" are required (the ENISA taxonomy)");
    if (report && in->severity < 0)
        return rb_err(ei, RB_EINVAL, "severity",
                      "\"severity\" is required: emergency, severe, high, medium, low or "
                      "baseline");
    if (in->severity >= SEV__COUNT)
        return rb_err(ei, RB_EINVAL, "severity", "unknown severity");
    if (in->tlp >= TLP__COUNT)
        return rb_err(ei, RB_EINVAL, "tlp", "unknown TLP");
    return 0;
}

/* The orgs strictly between the reporting CERT `top` and the affected org: its ancestors below
 * top. Called inside w; grants each and gives each a notice. */
static int grant_between(rb_write *w, const char *top, const char *affected, const char *handling,
                         const char *id, const char *detail)
{
    struct rb_id_row *orgs = NULL;
    int n = 0;
    int rc = db_query_rows(w->db,
                           "SELECT c.ancestor_id FROM org_closure c JOIN org_closure t ON "
                           "t.descendant_id = c.ancestor_id AND t.ancestor_id = ?2 AND t.depth > 0 "
                           "WHERE c.descendant_id = ?1 AND c.depth > 0 ORDER BY c.depth DESC",
                           DB_ARGS(DB_TEXT(affected), DB_TEXT(top)), &rb_id_row_record,
                           write_arena(w), &orgs, &n);
    for (int i = 0; !rc && i < n; i++) {
        rc = share_grant(w, &kind_incident, id, orgs[i].id, SCOPE_ORG);
        if (!rc && strcmp(orgs[i].id, handling) != 0)
            rc = inbox_add(w, orgs[i].id, INBOX_NOTICE, &kind_incident, id, detail, NULL, NULL);
    }
    return rc;
}

int incident_report(rb_db *db, const rb_actor *actor, rb_arena *a, const struct incident_input *in,
                    char out_id[RB_ID_SIZE], rb_errinfo *ei)
{
    RB_UNUSED(a);
    if (!policy_can(actor, PERM_REPORT))
        return rb_err(ei, RB_EPERM, "", "your role may not report incidents");
    int rc = check_texts(in, true, ei);
    if (!rc)
        rc = check_rsit(in->rsit_class, in->rsit_type, ei);
    if (rc)
        return rc;
    if (in->status >= 0)
        return rb_err(ei, RB_EINVAL, "status", "a new incident starts as \"new\"");
    int64_t now = rb_now(), detected = now;
    if (in->detected_at && (rc = check_detected(in->detected_at, now, &detected, ei)))
        return rc;
    /* The affected org: the reporter's own, or one of a CERT's constituency. */
    const char *affected = actor->org.id;
    if (in->org_id && strcmp(in->org_id, actor->org.id) != 0) {
        rb_orgref ref;
        if (org_ref_load(db, in->org_id, &ref) || !policy_may_see_org(actor, &ref))
            return rb_err(ei, RB_ENOTFOUND, "org_id", "no org with that org_id");
        if (!rb_org_kind_is_cert(actor->org.kind) || !policy_can(actor, PERM_TRIAGE) ||
            !policy_is_ancestor(actor->org.id, &ref))
            return rb_err(ei, RB_EPERM, "org_id",
                          "only a CERT's analysts report an incident about another org, and only "
                          "about an org of their constituency");
        affected = in->org_id;
    }
    struct org_facts af, me;
    if ((rc = org_facts(db, affected, &af)) || (rc = org_facts(db, actor->org.id, &me)))
        return rb_err(ei, rc, "", "cannot read the org");
    const char *handling = af.parent[0] ? af.parent : affected;
    enum rb_tlp tlp = in->tlp >= 0 ? (enum rb_tlp)in->tlp : kind_incident.default_tlp;

    char id[RB_ID_SIZE];
    rb_uuid_new(id);
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    rb_stmt *st = NULL;
    char detected_s[RB_TIME_SIZE];
    rb_time_format(detected, detected_s);
    if (!(rc = db_prepare(db,
                          "INSERT INTO incidents(id, owner_org, org_id, province, handling_org, "
                          "handling_since, tlp, title, description, rsit_class, rsit_type, "
                          "severity, status, cii, affected_services, reported_by, detected_at, "
                          "reported_at, updated_at, version) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,"
                          "?10,?11,?12,'new',?13,?14,?15,?16,?6,?6,0)",
                          &st))) {
        db_bind_text(st, 1, id);
        db_bind_text(st, 2, actor->org.id);
        db_bind_text(st, 3, affected);
        db_bind_text(st, 4, af.province[0] ? af.province : NULL);
        db_bind_text(st, 5, handling);
        db_bind_text(st, 6, w.now);
        db_bind_text(st, 7, tlp_name(tlp));
        db_bind_text(st, 8, in->title);
        db_bind_text(st, 9, in->description ? in->description : "");
        db_bind_text(st, 10, in->rsit_class);
        db_bind_text(st, 11, in->rsit_type);
        db_bind_text(st, 12, rb_severity_names[in->severity]);
        db_bind_int(st, 13, in->cii > 0 ? 1 : 0);
        db_bind_text(st, 14, in->affected_services ? in->affected_services : "");
        db_bind_text(st, 15, actor->label);
        db_bind_text(st, 16, detected_s);
        rc = db_run(st);
    }
    if (!rc && !(rc = db_prepare(db,
                                 "INSERT INTO incident_handlers(incident_id, n, org_id, since, "
                                 "rule, reason) VALUES (?1, 0, ?2, ?3, 'reported', ?4)",
                                 &st))) {
        db_bind_text(st, 1, id);
        db_bind_text(st, 2, handling);
        db_bind_text(st, 3, w.now);
        db_bind_text(st, 4,
                     strcmp(affected, actor->org.id) == 0 ? "reported by the affected org"
                                                          : "reported by a CERT");
        rc = db_run(st);
    }
    char detail[600], note[600];
    if (strcmp(affected, actor->org.id) == 0) {
        rb_fmt(detail, sizeof(detail), "Reported by %s", me.name);
        rb_fmt(note, sizeof(note), "by %s; handled by the CERT above it", me.name);
    } else {
        rb_fmt(detail, sizeof(detail), "%s reports an incident affecting %s", me.name, af.name);
        rb_fmt(note, sizeof(note), "by %s, about %s", me.name, af.name);
    }
    if (!rc && strcmp(handling, actor->org.id) != 0)
        rc = share_grant(&w, &kind_incident, id, handling, SCOPE_ORG);
    if (!rc && strcmp(affected, actor->org.id) != 0) {
        if (!(rc = share_grant(&w, &kind_incident, id, affected, SCOPE_ORG)))
            rc = inbox_add(&w, affected, INBOX_NOTICE, &kind_incident, id, detail, NULL, NULL);
        if (!rc)
            rc = grant_between(&w, actor->org.id, affected, handling, id, detail);
    }
    if (!rc && strcmp(handling, actor->org.id) != 0)
        rc = inbox_add(&w, handling, INBOX_TRIAGE, &kind_incident, id, detail, NULL, NULL);
    if (!rc)
        rc = history_add(&w, &kind_incident, id, "reported", NULL, note);
    struct incident_row x;
    if (!rc && !(rc = incident_row_load(db, id, &x)))
        rc = incident_refresh_dues(&w, &x);
    if (!rc)
        rc = write_audit(&w, "incident.report", &kind_incident, id, actor->org.id);
    if (!rc)
        rc = incident_auto_escalate(&w, id, false);
    rc = write_end(&w, rc, "incident.report", &kind_incident, id, actor->org.id,
                   "cannot save the incident");
    if (!rc)
        memcpy(out_id, id, RB_ID_SIZE);
    return rc;
}

/* ---- read ---- */

/* The columns of incident_members, in order. */
#define INCIDENT_COLS                                                                              \
    "o.id, o.seq, o.title, o.description, o.rsit_class, o.rsit_type, o.severity, o.status, "       \
    "o.tlp, o.cii, o.affected_services, o.owner_org, ow.name, o.org_id, af.name, o.province, "     \
    "o.handling_org, hd.name, o.handling_since, o.merged_into, o.reported_by, o.detected_at, "     \
    "o.reported_at, o.acknowledged_at, o.contained_at, o.notified_at, o.final_report_at, "         \
    "o.ended_at, o.updated_at, o.ack_due, o.early_warning_due, o.notification_due, "               \
    "o.final_report_due, hd.parent_id IS NULL, o.version, "                                        \
    "(SELECT count(*) FROM incident_handlers h WHERE h.incident_id = o.id)"
#define INCIDENT_FROM                                                                              \
    " FROM incidents o JOIN orgs ow ON ow.id = o.owner_org JOIN orgs af ON af.id = o.org_id JOIN " \
    "orgs hd ON hd.id = o.handling_org "

static void write_clock(struct rj_writer *w, const struct clock *c)
{
    char t[RB_TIME_SIZE];
    rjw_obj(w);
    rjw_kstr(w, "clock", rb_clock_names[c->kind]);
    rjw_kstr(w, "state", rb_clock_state_names[c->state]);
    if (c->due)
        rb_time_format(c->due, t);
    rjw_kstr(w, "due", c->due ? t : NULL);
    if (c->met)
        rb_time_format(c->met, t);
    rjw_kstr(w, "met", c->met ? t : NULL);
    rjw_obj_end(w);
}

static void write_clocks(struct rj_writer *w, const void *row)
{
    const rb_incident *x = row;
    rjw_arr(w);
    for (int i = 0; i < CLOCK__COUNT; i++)
        write_clock(w, &x->clocks[i]);
    rjw_arr_end(w);
}

static void write_next_due(struct rj_writer *w, const void *row)
{
    const rb_incident *x = row;
    if (x->next_clock >= 0)
        write_clock(w, &x->clocks[x->next_clock]);
    else
        rjw_null(w);
}

/* What the reader may do: the UI offers exactly these. */
static void write_you(struct rj_writer *w, const void *row)
{
    const rb_incident *x = row;
    unsigned party = (unsigned)x->party;
    int st = rb_name_index(rb_incident_status_names, x->status);
    bool open = st >= 0 && !incident_status_ended((enum incident_status)st);
    enum rb_tlp tlp = TLP_RED;
    tlp_parse(x->tlp, &tlp);
    rjw_obj(w);
    rjw_kbool(w, "handling", (party & PARTY_HANDLER) != 0);
    rjw_kbool(w, "affected", (party & PARTY_AFFECTED) != 0);
    rjw_karr(w, "next_statuses");
    enum incident_status next[IST__COUNT];
    int n = st < 0 ? 0 : incident_next_statuses((enum incident_status)st, party, next);
    for (int i = 0; i < n; i++)
        rjw_str(w, rb_incident_status_names[next[i]]);
    rjw_arr_end(w);
    bool handler = (party & PARTY_HANDLER) != 0;
    bool merged = st == IST_MERGED;
    rjw_kbool(w, "may_acknowledge", open && handler && !x->acknowledged_at);
    rjw_kbool(w, "may_escalate", open && handler && !x->at_root && tlp < TLP_AMBER_STRICT);
    rjw_kbool(w, "may_merge", open && handler);
    rjw_kbool(w, "may_change", party != 0 && !merged);
    rjw_kbool(w, "may_task", party != 0);
    rjw_kbool(w, "may_file_reports", party != 0 && !merged);
    rjw_kbool(w, "may_comment", x->writer);
    rjw_kbool(w, "may_link", x->writer);
    rjw_kbool(w, "may_attach", x->writer);
    rjw_obj_end(w);
}

static const struct rb_member handler_members[] = {
    RB_MEMBERS(rb_incident_handler, n, org_id, org_name, since, until, ack_due, acknowledged_at,
               acknowledged_by, rule, reason),
};
static const struct rb_record handler_record = RB_RECORD(rb_incident_handler, handler_members);

/* The handling periods of one incident read alone; null in a list. */
static void write_history(struct rj_writer *w, const void *row)
{
    const rb_incident *x = row;
    if (!x->handlers) {
        rjw_null(w);
        return;
    }
    rjw_arr(w);
    for (int i = 0; i < x->nhandlers; i++)
        rjw_record(w, &x->handlers[i], &handler_record);
    rjw_arr_end(w);
}

static const struct rb_member incident_members[] = {
    RB_MEMBERS(rb_incident, id, number),
    RB_MEMBER(rb_incident, reference, rb_text_later),
    RB_MEMBERS(rb_incident, title, description, rsit_class, rsit_type),
    RB_MEMBER(rb_incident, rsit_class_label, rb_text_later),
    RB_MEMBER(rb_incident, rsit_type_label, rb_text_later),
    RB_MEMBERS(rb_incident, severity, status, tlp),
    RB_MEMBER_AS(rb_incident, cii, "cii_involved", rb_bool),
    RB_MEMBERS(rb_incident, affected_services, owner_org, owner_name, org_id, org_name, province),
    RB_MEMBER_AS(rb_incident, handling_org, "handling_org_id", rb_text),
    RB_MEMBER_AS(rb_incident, handling_name, "handling_org_name", rb_text),
    RB_MEMBERS(rb_incident, handling_since, merged_into, reported_by, detected_at, reported_at,
               acknowledged_at, contained_at, notified_at, final_report_at, ended_at, updated_at),
    RB_MEMBER(rb_incident, escalations, rb_int_later),
    RB_DERIVED(rb_incident, nclocks, "clocks", rb_int_later, write_clocks),
    RB_DERIVED(rb_incident, next_clock, "next_due", rb_int_later, write_next_due),
    RB_MEMBER(rb_incident, overdue, rb_bool_later),
    RB_DERIVED(rb_incident, party, "you", rb_int_later, write_you),
    RB_HIDDEN_MEMBERS(rb_incident, ack_due, early_warning_due, notification_due, final_report_due,
                      at_root),
    RB_HIDDEN(rb_incident, writer, rb_bool_later),
    RB_HIDDEN_MEMBERS(rb_incident, version),
    /* last: the brief record (lists) leaves it out */
    RB_DERIVED(rb_incident, nhandlers, "handling_history", rb_int, write_history),
};
const struct rb_record incident_record = {incident_members, RB_ARRAY_LEN(incident_members) - 1,
                                          sizeof(rb_incident)};
const struct rb_record incident_full_record = RB_RECORD(rb_incident, incident_members);

static pthread_once_t parts_once = PTHREAD_ONCE_INIT;
static struct incident_parts parts;

/* The head ends before "clocks"; the live part runs to the last member, "handling_history". */
static void parts_init(void)
{
    size_t n = RB_ARRAY_LEN(incident_members), clocks = 0;
    while (clocks < n &&
           !(incident_members[clocks].key && strcmp(incident_members[clocks].key, "clocks") == 0))
        clocks++;
    parts.head = (struct rb_record){incident_members, clocks, sizeof(rb_incident)};
    parts.live = (struct rb_record){incident_members + clocks, n - 1 - clocks, sizeof(rb_incident)};
    parts.tail = (struct rb_record){incident_members + n - 1, 1, sizeof(rb_incident)};
}

const struct incident_parts *incident_parts(void)
{
    pthread_once(&parts_once, parts_init);
    return &parts;
}

bool incident_live_of(const rb_incident *x, struct incident_live *out)
{
    memset(out, 0, sizeof(*out));
    rb_strlcpy(out->owner_org, x->owner_org ? x->owner_org : "", sizeof(out->owner_org));
    rb_strlcpy(out->org_id, x->org_id ? x->org_id : "", sizeof(out->org_id));
    rb_strlcpy(out->handling_org, x->handling_org ? x->handling_org : "",
               sizeof(out->handling_org));
    struct incident_times *t = &out->times;
    int sev = rb_name_index(rb_severity_names, x->severity);
    t->severity = sev < 0 ? SEV_BASELINE : (enum rb_severity)sev;
    t->cii = x->cii;
    t->detected_at = rb_time_of(x->detected_at);
    t->reported_at = rb_time_of(x->reported_at);
    t->handling_since = rb_time_of(x->handling_since);
    t->acknowledged_at = rb_time_of(x->acknowledged_at);
    t->notified_at = rb_time_of(x->notified_at);
    t->final_report_at = rb_time_of(x->final_report_at);
    t->ended_at = rb_time_of(x->ended_at);
    out->due[0] = rb_time_of(x->ack_due);
    out->due[1] = rb_time_of(x->early_warning_due);
    out->due[2] = rb_time_of(x->notification_due);
    out->due[3] = rb_time_of(x->final_report_due);
    out->acknowledged = x->acknowledged_at != NULL;
    out->at_root = x->at_root;
    int st = rb_name_index(rb_incident_status_names, x->status);
    enum rb_tlp tlp = TLP_RED;
    bool named =
        st >= 0 && x->tlp && tlp_parse(x->tlp, &tlp) == 0 && strcmp(tlp_name(tlp), x->tlp) == 0;
    out->status = st < 0 ? IST_NEW : (enum incident_status)st;
    out->tlp = tlp;
    return named;
}

/* The clocks at now and the actor's part. */
static void live_compute(const struct incident_live *l, const rb_actor *actor, int64_t now,
                         rb_incident *x)
{
    deadline_clocks(l->due, &l->times, now, x->clocks);
    x->nclocks = CLOCK__COUNT;
    x->next_clock = deadline_next(x->clocks);
    x->overdue = deadline_any_overdue(x->clocks);
    x->party = actor ? (int)party_of(actor, l->handling_org, l->org_id, l->owner_org) : 0;
    x->writer = actor && incident_may_contribute(actor);
}

void incident_live_apply(const struct incident_live *l, const rb_actor *actor, int64_t now,
                         rb_incident *x)
{
    live_compute(l, actor, now, x);
    x->status = (char *)rb_incident_status_names[l->status];
    x->tlp = (char *)tlp_name(l->tlp);
    /* "you" reads only whether it is acknowledged. */
    x->acknowledged_at =
        l->acknowledged ? (x->acknowledged_at ? x->acknowledged_at : (char *)"") : NULL;
    x->at_root = l->at_root;
}

/* What the record's later members hold, from the columns read (at now, for actor). */
static void incident_finish(rb_incident *x, const rb_actor *actor, int64_t now, rb_arena *a)
{
    char ref[32];
    rb_fmt(ref, sizeof(ref), "INC-%06" PRId64, x->number);
    x->reference = rb_arena_strdup(a, ref);
    const struct rsit_class *c = rsit_class_find(x->rsit_class);
    const struct rsit_type *t = rsit_type_find(c, x->rsit_type);
    x->rsit_class_label = c ? (char *)c->label : NULL;
    x->rsit_type_label = t ? (char *)t->label : NULL;
    struct incident_live l;
    incident_live_of(x, &l);
    live_compute(&l, actor, now, x);
    x->escalations = x->nhandlers > 0 ? x->nhandlers - 1 : 0;
    x->handlers = NULL;
}

int incident_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_incident *out)
{
    int rc = kind_get(&kind_incident, db, actor,
                      "SELECT " INCIDENT_COLS INCIDENT_FROM "WHERE o.id = ?1 AND "
                      POLICY_SQL_READABLE, id, a, &incident_full_record, out);
    if (rc)
        return rc;
    incident_finish(out, actor, rb_now(), a);
    return db_query_rows(db,
                         "SELECT h.n, h.org_id, g.name, h.since, h.until, h.ack_due, "
                         "h.acknowledged_at, h.acknowledged_by, h.rule, h.reason FROM "
                         "incident_handlers h JOIN orgs g ON g.id = h.org_id WHERE h.incident_id = "
                         "?1 ORDER BY h.n",
                         DB_ARGS(DB_TEXT(id)), &handler_record, a, &out->handlers, &out->nhandlers);
}

int incident_get_by_seq(rb_db *db, const rb_actor *actor, int64_t seq, rb_arena *a,
                        rb_incident *out)
{
    rb_stmt *st = NULL;
    int rc = db_query(db,
                      "SELECT " INCIDENT_COLS INCIDENT_FROM "WHERE o.seq = ?1 AND "
                      POLICY_SQL_READABLE, DB_ARGS(DB_INT(seq)), &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, &kind_incident);
    if ((rc = db_one(st, a, &incident_full_record, out)))
        return rc;
    incident_finish(out, actor, rb_now(), a);
    return 0;
}

/* ---- changes ---- */

int incident_load_for_write(rb_db *db, const rb_actor *actor, const char *id,
                            struct incident_row *x, rb_errinfo *ei)
{
    struct kind_ref ref;
    int rc = kind_load(&kind_incident, db, actor, id, &ref);
    if (!rc)
        rc = incident_row_load(db, id, x);
    if (rc)
        return rb_err(ei, rc, "", rc == RB_ENOTFOUND ? "no such incident" : "cannot read it");
    return 0;
}

bool incident_may_contribute(const rb_actor *actor)
{
    return policy_can(actor, PERM_REPORT) || policy_can(actor, PERM_TRIAGE);
}

int incident_start(rb_db *db, const rb_actor *actor, const char *id, enum incident_writer who,
                   const char *refusal, struct incident_row *x, rb_errinfo *ei)
{
    int rc = incident_load_for_write(db, actor, id, x, ei);
    if (rc)
        return rc;
    bool may = who == WRITER_CONTRIBUTOR ? incident_may_contribute(actor)
               : who == WRITER_HANDLER   ? (incident_party_of(actor, x) & PARTY_HANDLER) != 0
                                         : incident_party_of(actor, x) != 0;
    return may ? 0 : rb_err(ei, RB_EPERM, "", "%s", refusal);
}

int incident_load_other(rb_db *db, const rb_actor *actor, const char *field, const char *id,
                        struct incident_row *y, rb_errinfo *ei)
{
    if (!id || incident_load_for_write(db, actor, id, y, NULL))
        return rb_err(ei, RB_EINVAL, field, "\"%s\" must be an incident you may read", field);
    return 0;
}

/* Not closed, rejected or merged; else RB_ECONFLICT naming its status. */
static int check_open(const struct incident_row *x, rb_errinfo *ei)
{
    if (incident_status_ended(x->status))
        return rb_err(ei, RB_ECONFLICT, "", "the incident is %s",
                      rb_incident_status_names[x->status]);
    return 0;
}

int incident_check_said(enum rb_field_kind rule, const char *field, const char *text,
                        const char *if_blank, rb_errinfo *ei)
{
    int rc = rb_field_checks(rule, field, text, ei);
    if (!rc && (!text || strspn(text, " \t\r\n") == strlen(text)))
        rc = rb_err(ei, RB_EINVAL, field, "%s", if_blank);
    return rc;
}

/* "triaged or rejected" */
static void status_list(char *out, size_t size, const enum incident_status *s, int n)
{
    out[0] = '\0';
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        rb_fmt(out + len, size - len, "%s%s", i == 0 ? "" : (i == n - 1 ? " or " : ", "),
               rb_incident_status_names[s[i]]);
        len = strlen(out);
    }
}

static int check_transition(const struct incident_row *x, enum incident_status to, unsigned party,
                            const char *handling_name, rb_errinfo *ei)
{
    enum incident_status all[IST__COUNT], mine[IST__COUNT];
    int nall = incident_next_statuses(x->status, PARTY_HANDLER | PARTY_AFFECTED, all);
    int nmine = incident_next_statuses(x->status, party, mine);
    const struct incident_transition *t = incident_transition_find(x->status, to);
    char list[200];
    if (to == IST_MERGED)
        return rb_err(ei, RB_ECONFLICT, "status",
                      "an incident is merged with POST /api/v1/incidents/{id}/merge, naming the "
                      "incident it duplicates");
    if (!t) {
        status_list(list, sizeof(list), all, nall);
        if (nall == 0)
            return rb_err(ei, RB_ECONFLICT, "status", "an incident that is %s does not move on",
                          rb_incident_status_names[x->status]);
        return rb_err(ei, RB_ECONFLICT, "status",
                      "an incident that is %s cannot become %s; it can become %s",
                      rb_incident_status_names[x->status], rb_incident_status_names[to], list);
    }
    if (!(t->who & party)) {
        status_list(list, sizeof(list), mine, nmine);
        return rb_err(ei, RB_EPERM, "status", "only %s may make it %s%s%s",
                      t->who == PARTY_HANDLER ? "the handling CERT"
                                              : "the handling CERT or the "
                                                "affected org",
                      rb_incident_status_names[to], nmine ? "; you may make it " : "",
                      nmine ? list : "");
    }
    RB_UNUSED(handling_name);
    return 0;
}

/* Inside w: the current handling period is acknowledged now. */
static int acknowledge_in(rb_write *w, const struct incident_row *x)
{
    int rc = db_exec(w->db,
                     "UPDATE incident_handlers SET acknowledged_at = ?3, acknowledged_by = ?4 "
                     "WHERE incident_id = ?1 AND n = ?2 AND acknowledged_at IS NULL",
                     DB_ARGS(DB_TEXT(x->id), DB_INT(x->nhandlers - 1), DB_TEXT(w->now),
                             DB_TEXT(w->actor->label)));
    if (!rc)
        rc = db_exec(w->db, "UPDATE incidents SET acknowledged_at = ?2 WHERE id = ?1",
                     DB_ARGS(DB_TEXT(x->id), DB_TEXT(w->now)));
    if (rc)
        return rc;
    return history_add(w, &kind_incident, x->id, "acknowledged", NULL, NULL);
}

/* One changed text or value: the column, and the timeline's words. */
static int set_column(rb_write *w, const char *id, const char *sql, const char *value,
                      int64_t ivalue, bool is_int)
{
    rb_stmt *st = NULL;
    int rc = db_prepare(w->db, sql, &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, id);
    if (is_int)
        db_bind_int(st, 2, ivalue);
    else
        db_bind_text(st, 2, value);
    return db_run(st);
}

static int apply_status(rb_write *w, struct incident_row *x, enum incident_status to,
                        const char *comment)
{
    const struct incident_transition *t = incident_transition_find(x->status, to);
    rb_stmt *st = NULL;
    int rc = db_prepare(w->db,
                        "UPDATE incidents SET status = ?2, contained_at = CASE WHEN ?2 = "
                        "'contained' AND contained_at IS NULL THEN ?3 ELSE contained_at END, "
                        "ended_at = CASE WHEN ?2 IN ('closed','rejected','merged') THEN ?3 ELSE "
                        "NULL END WHERE id = ?1",
                        &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, x->id);
    db_bind_text(st, 2, rb_incident_status_names[to]);
    db_bind_text(st, 3, w->now);
    if ((rc = db_run(st)))
        return rc;
    if (to == IST_TRIAGED && x->status == IST_NEW && x->acknowledged_at == 0) {
        if ((rc = acknowledge_in(w, x)))
            return rc;
        x->acknowledged_at = now_of(w);
    }
    x->status = to;
    x->ended_at = incident_status_ended(to) ? now_of(w) : 0;
    return history_add(w, &kind_incident, x->id, t ? t->action : rb_incident_status_names[to], NULL,
                       comment);
}

int incident_update(rb_db *db, const rb_actor *actor, rb_arena *a, const char *id,
                    const struct incident_input *in, rb_errinfo *ei)
{
    RB_UNUSED(a);
    struct incident_row x;
    int rc = incident_load_for_write(db, actor, id, &x, ei);
    if (rc)
        return rc;
    if ((rc = check_texts(in, false, ei)))
        return rc;
    if (in->org_id)
        return rb_err(ei, RB_EINVAL, "org_id", "the affected org of an incident does not change");
    unsigned party = incident_party_of(actor, &x);
    bool fields = in->title || in->description || in->rsit_class || in->rsit_type ||
                  in->detected_at || in->affected_services || in->severity >= 0 || in->cii >= 0;
    if (!fields && in->status < 0 && in->tlp < 0 && !(in->comment && in->comment[0]))
        return rb_err(ei, RB_EINVAL, "", "nothing to change: send the members that change");
    if (!party && (fields || in->status >= 0))
        return rb_err(ei, RB_EPERM, "",
                      "only the handling CERT and the affected org change an incident");
    if (fields && x.status == IST_MERGED)
        return rb_err(ei, RB_ECONFLICT, "",
                      "the incident was merged into another; change that one");
    if (in->rsit_class || in->rsit_type) {
        const struct rsit_class *c = rsit_class_find(in->rsit_class);
        if (!in->rsit_class || !in->rsit_type)
            return rb_err(ei, RB_EINVAL, in->rsit_class ? "rsit_type" : "rsit_class",
                          "\"rsit_class\" and \"rsit_type\" change together");
        if ((rc = check_rsit(in->rsit_class, in->rsit_type, ei)))
            return rc;
        RB_UNUSED(c);
    }
    int64_t detected = 0;
    if (in->detected_at && (rc = check_detected(in->detected_at, rb_now(), &detected, ei)))
        return rc;
    if (in->status >= 0 && (enum incident_status)in->status != x.status &&
        (rc = check_transition(&x, (enum incident_status)in->status, party, NULL, ei)))
        return rc;
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    char note[700];
    if (!rc && in->title && strcmp(in->title, x.title) != 0 &&
        !(rc = set_column(&w, id, "UPDATE incidents SET title = ?2 WHERE id = ?1", in->title, 0,
                          false)))
        rc = history_add(&w, &kind_incident, id, "title changed", NULL, in->title);
    if (!rc && in->description &&
        !(rc = set_column(&w, id, "UPDATE incidents SET description = ?2 WHERE id = ?1",
                          in->description, 0, false)))
        rc = history_add(&w, &kind_incident, id, "description changed", NULL, NULL);
    if (!rc && in->affected_services &&
        !(rc = set_column(&w, id, "UPDATE incidents SET affected_services = ?2 WHERE id = ?1",
                          in->affected_services, 0, false)))
        rc = history_add(&w, &kind_incident, id, "affected services changed", NULL,
                         in->affected_services);
    if (!rc && in->rsit_class) {
        rb_stmt *st = NULL;
        if (!(rc = db_prepare(
                  db, "UPDATE incidents SET rsit_class = ?2, rsit_type = ?3 WHERE id = ?1", &st))) {
            db_bind_text(st, 1, id);
            db_bind_text(st, 2, in->rsit_class);
            db_bind_text(st, 3, in->rsit_type);
            rc = db_run(st);
        }
        rb_fmt(note, sizeof(note), "%s / %s", in->rsit_class, in->rsit_type);
        if (!rc)
            rc = history_add(&w, &kind_incident, id, "classification changed", NULL, note);
    }
    bool clocks = false;
    if (!rc && in->severity >= 0 && (enum rb_severity)in->severity != x.severity) {
        rb_fmt(note, sizeof(note), "%s to %s", rb_severity_names[x.severity],
               rb_severity_names[in->severity]);
        if (!(rc = set_column(&w, id, "UPDATE incidents SET severity = ?2 WHERE id = ?1",
                              rb_severity_names[in->severity], 0, false)))
            rc = history_add(&w, &kind_incident, id, "severity changed", NULL, note);
        x.severity = (enum rb_severity)in->severity;
        clocks = true;
    }
    if (!rc && in->cii >= 0 && (in->cii > 0) != x.cii) {
        if (!(rc = set_column(&w, id, "UPDATE incidents SET cii = ?2 WHERE id = ?1", NULL,
                              in->cii > 0, true)))
            rc = history_add(&w, &kind_incident, id,
                             in->cii > 0 ? "CII involved" : "CII not involved", NULL, NULL);
        x.cii = in->cii > 0;
        clocks = true;
    }
    if (!rc && detected && detected != x.detected_at) {
        char ds[RB_TIME_SIZE];
        rb_time_format(detected, ds);
        if (!(rc = set_column(&w, id, "UPDATE incidents SET detected_at = ?2 WHERE id = ?1", ds, 0,
                              false)))
            rc = history_add(&w, &kind_incident, id, "detection time changed", NULL, ds);
        x.detected_at = detected;
        clocks = true;
    }
    if (!rc && in->status >= 0 && (enum incident_status)in->status != x.status) {
        rc = apply_status(&w, &x, (enum incident_status)in->status, in->comment);
        clocks = true;
    } else if (!rc && in->comment && in->comment[0]) {
        rc = history_add(&w, &kind_incident, id, "commented", NULL, in->comment);
    }
    if (!rc && in->tlp >= 0 && (enum rb_tlp)in->tlp != x.tlp)
        rc = share_tlp_in(&w, &kind_incident, id, (enum rb_tlp)in->tlp, ei);
    if (!rc && clocks)
        rc = incident_refresh_dues(&w, &x);
    else if (!rc)
        rc = incident_touch(&w, id);
    /* What the rules look at changed (severity, CII): they are tried again. */
    if (!rc && clocks &&
        !(rc = write_audit(&w, "incident.update", &kind_incident, id, x.owner_org)))
        rc = incident_auto_escalate(&w, id, false);
    return write_end(&w, rc, "incident.update", &kind_incident, id, x.owner_org,
                     "cannot save the change");
}

int incident_acknowledge(rb_db *db, const rb_actor *actor, const char *id, rb_errinfo *ei)
{
    struct incident_row x;
    int rc = incident_start(db, actor, id, WRITER_HANDLER,
                            "only the handling CERT's analysts acknowledge it", &x, ei);
    if (rc)
        return rc;
    if (x.acknowledged_at)
        return rb_err(ei, RB_ECONFLICT, "", "your CERT has acknowledged it already");
    if ((rc = check_open(&x, ei)))
        return rc;
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    rc = acknowledge_in(&w, &x);
    x.acknowledged_at = now_of(&w);
    if (!rc && x.status == IST_NEW)
        rc = apply_status(&w, &x, IST_TRIAGED, NULL);
    if (!rc)
        rc = incident_refresh_dues(&w, &x);
    return write_end(&w, rc, "incident.acknowledge", &kind_incident, id, x.owner_org,
                     "cannot acknowledge it");
}

int incident_escalate(rb_db *db, const rb_actor *actor, const char *id, const char *reason,
                      rb_errinfo *ei)
{
    struct incident_row x;
    int rc = incident_start(db, actor, id, WRITER_HANDLER,
                            "only the handling CERT's analysts escalate it", &x, ei);
    if (rc)
        return rc;
    if ((rc = incident_check_said(FIELD_NOTE, "reason", reason,
                                  "say why you escalate it (\"reason\")", ei)))
        return rc;
    if ((rc = check_open(&x, ei)))
        return rc;
    if (x.tlp >= TLP_AMBER_STRICT)
        return rb_err(ei, RB_ECONFLICT, "tlp",
                      "TLP:%s lets recipients pass it on to nobody: ask the reporting org to "
                      "share it with the CERT above you, or to lower its TLP to AMBER",
                      tlp_name(x.tlp));
    struct org_facts h;
    if ((rc = org_facts(db, x.handling_org, &h)))
        return rb_err(ei, rc, "", "cannot read the handling CERT");
    if (!h.parent[0])
        return rb_err(ei, RB_ECONFLICT, "", "the National CERT handles it: there is no CERT above");
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    bool done = false;
    rc = incident_escalate_in(&w, &x, ESC_MANUAL, reason, &done);
    if (!rc && !done)
        rc = rb_err(ei, RB_ECONFLICT, "", "it was escalated meanwhile; reload it");
    if (!rc && !(rc = write_audit(&w, "incident.escalate", &kind_incident, id, x.owner_org)))
        rc = incident_auto_escalate(&w, id, false);
    return write_end(&w, rc, "incident.escalate", &kind_incident, id, x.owner_org,
                     "cannot escalate it");
}

int incident_comment(rb_db *db, const rb_actor *actor, const char *id, const char *text,
                     rb_errinfo *ei)
{
    struct incident_row x;
    int rc = incident_start(db, actor, id, WRITER_CONTRIBUTOR, "your role may not comment", &x, ei);
    if (rc)
        return rc;
    if ((rc = incident_check_said(FIELD_NOTE, "text", text, "the comment is empty", ei)))
        return rc;
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    rc = history_add(&w, &kind_incident, id, "commented", NULL, text);
    return incident_end(&w, rc, &x, "incident.comment", "cannot save the comment");
}

int incident_file_report(rb_db *db, const rb_actor *actor, const char *id,
                         enum incident_stage stage, const char *text, rb_errinfo *ei)
{
    struct incident_row x;
    int rc = incident_start(db, actor, id, WRITER_PARTY,
                            "only the affected org and the handling CERT file its reports", &x, ei);
    if (rc)
        return rc;
    if ((int)stage < 0 || stage >= STAGE__COUNT)
        return rb_err(ei, RB_EINVAL, "stage", "\"stage\" is notification or final_report");
    if ((rc = incident_check_said(FIELD_PROSE, "text", text, "the report is empty", ei)))
        return rc;
    if (x.status == IST_MERGED)
        return rb_err(ei, RB_ECONFLICT, "", "the incident was merged into another");
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    bool first = stage == STAGE_NOTIFICATION ? x.notified_at == 0 : x.final_report_at == 0;
    const char *sql = stage == STAGE_NOTIFICATION
                          ? "UPDATE incidents SET notified_at = coalesce(notified_at, ?2) "
                            "WHERE id = ?1"
                          : "UPDATE incidents SET final_report_at = coalesce(final_report_at, "
                            "?2) WHERE id = ?1";
    rc = set_column(&w, id, sql, w.now, 0, false);
    if (stage == STAGE_NOTIFICATION && first)
        x.notified_at = now_of(&w);
    if (stage == STAGE_FINAL_REPORT && first)
        x.final_report_at = now_of(&w);
    if (!rc)
        rc = history_add(&w, &kind_incident, id,
                         stage == STAGE_NOTIFICATION
                             ? (first ? "notification filed" : "notification updated")
                             : (first ? "final report filed" : "final report updated"),
                         NULL, text);
    if (!rc)
        rc = incident_refresh_dues(&w, &x);
    return write_end(&w, rc, "incident.report_stage", &kind_incident, id, x.owner_org,
                     "cannot save the report");
}

int incident_merge(rb_db *db, const rb_actor *actor, const char *id, const char *into,
                   const char *reason, rb_errinfo *ei)
{
    struct incident_row x, y;
    int rc = incident_start(db, actor, id, WRITER_HANDLER,
                            "only the handling CERT's analysts merge it", &x, ei);
    if (rc)
        return rc;
    if ((rc = rb_field_checks(FIELD_NOTE, "reason", reason, ei)))
        return rc;
    if ((rc = incident_load_other(db, actor, "into", into, &y, ei)))
        return rc;
    if (strcmp(x.id, y.id) == 0)
        return rb_err(ei, RB_EINVAL, "into", "an incident is not a duplicate of itself");
    if (incident_status_ended(y.status))
        return rb_err(ei, RB_EINVAL, "into", "the incident to keep is %s; pick an open one",
                      rb_incident_status_names[y.status]);
    if (x.status == IST_MERGED)
        return rb_err(ei, RB_ECONFLICT, "", "it was merged already");
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    rc = apply_status(&w, &x, IST_MERGED, reason);
    if (!rc)
        rc = set_column(&w, id, "UPDATE incidents SET merged_into = ?2 WHERE id = ?1", into, 0,
                        false);
    rb_stmt *st = NULL;
    if (!rc && !(rc = db_prepare(db,
                                 "INSERT INTO incident_links(a_id, b_id, reason, created_by, "
                                 "created_at) VALUES (?1,?2,?3,?4,?5) ON CONFLICT DO NOTHING",
                                 &st))) {
        bool lo = strcmp(id, into) < 0;
        db_bind_text(st, 1, lo ? id : into);
        db_bind_text(st, 2, lo ? into : id);
        db_bind_text(st, 3, reason && reason[0] ? reason : "duplicate");
        db_bind_text(st, 4, actor->label);
        db_bind_text(st, 5, w.now);
        rc = db_run(st);
    }
    /* The survivor's timeline gives the reason only: its readers may not read the duplicate. */
    if (!rc)
        rc = history_add(&w, &kind_incident, into, "a duplicate was merged in", NULL, reason);
    if (!rc)
        rc = incident_refresh_dues(&w, &x);
    if (!rc)
        rc = incident_touch(&w, into);
    return write_end(&w, rc, "incident.merge", &kind_incident, id, x.owner_org, "cannot merge it");
}

int incident_attach(rb_db *db, const rb_actor *actor, const char *id, const char *filename,
                    const char *content_type, const void *data, size_t len, char out_id[RB_ID_SIZE],
                    rb_errinfo *ei)
{
    struct incident_row x;
    int rc = incident_start(db, actor, id, WRITER_CONTRIBUTOR, "your role may not attach files",
                            &x, ei);
    if (rc)
        return rc;
    if (len > INCIDENT_FILE_MAX)
        return rb_err(ei, RB_ETOOBIG, "", "a file may have at most %d MiB",
                      INCIDENT_FILE_MAX / (1024 * 1024));
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    char fid[RB_ID_SIZE];
    rc = files_add(&w, &kind_incident, id, NULL, 0, filename, content_type, data, len, fid);
    if (!rc) {
        const char *base = filename ? strrchr(filename, '/') : NULL;
        rc = history_add(&w, &kind_incident, id, "file attached", NULL, base ? base + 1 : filename);
    }
    rc = incident_end(&w, rc, &x, "incident.attach", "cannot store the file");
    if (!rc)
        memcpy(out_id, fid, RB_ID_SIZE);
    return rc;
}
