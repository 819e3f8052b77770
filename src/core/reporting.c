/*
 * reporting.c - the reporting policy table, and applying a change of it to open incidents.
 *
 * Must never leave an open incident judged by a policy other than the current one, or change a
 * closed incident's deadlines.
 */
#include "base/common.h"
#include "core/incident.h"
#include "core/kind.h"
#include "core/policy.h"
#include "core/reporting.h"
#include "core/write.h"
#include "json/json.h"

int reporting_rule(rb_db *db, enum rb_org_kind tier, enum rb_severity sev,
                   struct deadline_rule *out)
{
    deadline_rule_default(sev, out);
    rb_stmt *st = NULL;
    int rc = db_query(db,
                      "SELECT ack, early_warning, early_warning_cii, notification, final_report "
                      "FROM reporting_policy WHERE tier = ?1 AND severity = ?2",
                      DB_ARGS(DB_TEXT(rb_org_kind_names[tier]), DB_TEXT(rb_severity_names[sev])),
                      &st);
    if (rc)
        return rc;
    rc = db_step(st);
    if (rc == DB_ROW) {
        out->ack = db_col_int(st, 0);
        out->early_warning = db_col_int(st, 1);
        out->early_warning_cii = db_col_int(st, 2);
        out->notification = db_col_int(st, 3);
        out->final_report = db_col_int(st, 4);
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

static const struct rb_mtype severity_mtype = {RB_MT_ENUM, sizeof(enum rb_severity),
                                               rb_severity_names, SEV_BASELINE, false};

/* Read only: reporting_write_json shows the rules in minutes. */
static const struct rb_member row_members[] = {
    RB_HIDDEN(rb_reporting_row, tier, rb_org_kind_mtype),
    RB_HIDDEN(rb_reporting_row, severity, severity_mtype),
    RB_HIDDEN(rb_reporting_row, rule.ack, rb_int64),
    RB_HIDDEN(rb_reporting_row, rule.early_warning, rb_int64),
    RB_HIDDEN(rb_reporting_row, rule.early_warning_cii, rb_int64),
    RB_HIDDEN(rb_reporting_row, rule.notification, rb_int64),
    RB_HIDDEN(rb_reporting_row, rule.final_report, rb_int64),
    RB_HIDDEN_MEMBERS(rb_reporting_row, updated_by, updated_at),
};
static const struct rb_record row_record = RB_RECORD(rb_reporting_row, row_members);

static int by_tier_severity(const void *pa, const void *pb)
{
    const rb_reporting_row *a = pa, *b = pb;
    if (a->tier != b->tier)
        return (int)a->tier - (int)b->tier;
    return (int)a->severity - (int)b->severity;
}

int reporting_list(rb_db *db, rb_arena *a, rb_reporting_row **out, int *n)
{
    int rc = db_query_rows(db,
                           "SELECT tier, severity, ack, early_warning, early_warning_cii, "
                           "notification, final_report, updated_by, updated_at FROM "
                           "reporting_policy",
                           NULL, 0, &row_record, a, out, n);
    if (rc)
        return rc;
    qsort(*out, (size_t)*n, sizeof(rb_reporting_row), by_tier_severity);
    return 0;
}


/* Inside w: every open incident's due times again (their ids live in a). */
static int reapply(rb_write *w, rb_arena *a, int *count)
{
    struct rb_id_row *ids = NULL;
    int n = 0;
    int rc = db_query_rows(w->db, "SELECT id FROM incidents WHERE ended_at IS NULL ORDER BY seq",
                           NULL, 0, &rb_id_row_record, a, &ids, &n);
    for (int i = 0; !rc && i < n; i++) {
        struct incident_row x;
        if (!(rc = incident_row_load(w->db, ids[i].id, &x)))
            rc = incident_refresh_dues(w, &x);
    }
    *count = n;
    return rc;
}

static int check_seconds(int64_t v, const char *what, int i, rb_errinfo *ei)
{
    if (v > REPORTING_MAX_SECONDS)
        return rb_err(ei, RB_EINVAL, "rules", "rules[%d]: %s is more than a year", i, what);
    return 0;
}

int reporting_set(rb_db *db, const rb_actor *actor, const struct reporting_change *ch, int n,
                  int *reapplied, rb_arena *a, rb_errinfo *ei)
{
    if (!actor->system &&
        (actor->org.kind != KIND_NATIONAL_CERT || !policy_can(actor, PERM_ORG_MANAGE)))
        return rb_err(ei, RB_EPERM, "",
                      "only the National CERT's admins change the reporting "
                      "policy");
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (!rb_org_kind_is_cert(ch[i].tier))
            return rb_err(ei, RB_EINVAL, "rules",
                          "rules[%d]: the tier is the handling CERT's kind; an institution never "
                          "handles an incident",
                          i);
        if ((rc = check_seconds(ch[i].rule.ack, "the acknowledgement deadline", i, ei)) ||
            (rc = check_seconds(ch[i].rule.early_warning, "the early warning deadline", i, ei)) ||
            (rc = check_seconds(ch[i].rule.early_warning_cii, "the CII early warning deadline", i,
                                ei)) ||
            (rc = check_seconds(ch[i].rule.notification, "the notification deadline", i, ei)) ||
            (rc = check_seconds(ch[i].rule.final_report, "the final report deadline", i, ei)))
            return rc;
    }
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    for (int i = 0; !rc && i < n; i++) {
        rb_stmt *st = NULL;
        if ((rc = db_prepare(db,
                             "UPDATE reporting_policy SET ack = CASE WHEN ?3 < 0 THEN ack ELSE ?3 "
                             "END, early_warning = CASE WHEN ?4 < 0 THEN early_warning ELSE ?4 "
                             "END, early_warning_cii = CASE WHEN ?5 < 0 THEN early_warning_cii "
                             "ELSE ?5 END, notification = CASE WHEN ?6 < 0 THEN notification ELSE "
                             "?6 END, final_report = CASE WHEN ?7 < 0 THEN final_report ELSE ?7 "
                             "END, updated_by = ?8, updated_at = ?9 WHERE tier = ?1 AND severity "
                             "= ?2",
                             &st)))
            break;
        db_bind_text(st, 1, rb_org_kind_names[ch[i].tier]);
        db_bind_text(st, 2, rb_severity_names[ch[i].severity]);
        db_bind_int(st, 3, ch[i].rule.ack);
        db_bind_int(st, 4, ch[i].rule.early_warning);
        db_bind_int(st, 5, ch[i].rule.early_warning_cii);
        db_bind_int(st, 6, ch[i].rule.notification);
        db_bind_int(st, 7, ch[i].rule.final_report);
        db_bind_text(st, 8, actor->label);
        db_bind_text(st, 9, w.now);
        rc = db_run(st);
    }
    int count = 0;
    if (!rc)
        rc = reapply(&w, a, &count);
    rc = write_end(&w, rc, "reporting_policy.update", &kind_org, actor->org.id, actor->org.id,
                   "cannot change the reporting policy");
    if (!rc && reapplied)
        *reapplied = count;
    return rc;
}

void reporting_write_json(struct rj_writer *w, const rb_reporting_row *rows, int n)
{
    rjw_obj(w);
    rjw_karr(w, "rules");
    for (int i = 0; i < n; i++) {
        const rb_reporting_row *r = &rows[i];
        rjw_obj(w);
        rjw_kstr(w, "tier", rb_org_kind_names[r->tier]);
        rjw_kstr(w, "severity", rb_severity_names[r->severity]);
        rjw_kint(w, "acknowledge_minutes", r->rule.ack / 60);
        rjw_kint(w, "early_warning_minutes", r->rule.early_warning / 60);
        rjw_kint(w, "early_warning_cii_minutes", r->rule.early_warning_cii / 60);
        rjw_kint(w, "notification_minutes", r->rule.notification / 60);
        rjw_kint(w, "final_report_minutes", r->rule.final_report / 60);
        rjw_kstr(w, "updated_by", r->updated_by);
        rjw_kstr(w, "updated_at", r->updated_at);
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
    rjw_obj_end(w);
}
