/*
 * assessment_poam.c - the plan of action and milestones of an assessment: for each gap of a
 * reviewed assessment (a control answered partial, planned or not implemented), the assessed
 * org's plan (who owns it, by when, what the weakness is and what will be done), and the POA&M
 * export that carries the gaps and the plans (OSCAL plan-of-action-and-milestones, decision 74).
 *
 * "Reviewed" is the route's assessment once its parent CERT has decided every control: status
 * accepted or returned. The POA&M of any other state is refused (409, saying why): the gaps a
 * POA&M plans for are the ones a review has seen.
 *
 * Must never: let another org read a plan (every read goes through assessment_get, the policy),
 * let anyone but the assessed org write one, or store a plan for a control that is not a gap.
 */
#include "base/common.h"
#include "base/rtime.h"
#include "base/utf8.h"
#include "core/assessment.h"
#include "core/assessment_int.h"
#include "core/history.h"
#include "core/kind.h"
#include "core/write.h"
#include "json/field.h"

#define NOTE_MAX 320 /* the history note: "owner <FIELD_NAME>, due <date>" */

static bool reviewed(const rb_assessment *x)
{
    return strcmp(x->status, "accepted") == 0 || strcmp(x->status, "returned") == 0;
}

static int refuse_unreviewed(const rb_assessment *x, rb_errinfo *ei)
{
    return rb_err(ei, RB_ECONFLICT, "status",
                  "the assessment is %s; a plan of action and milestones comes from a reviewed "
                  "assessment (accepted or returned by the CERT above the organization)",
                  x->status);
}

static const struct rb_member poam_members[] = {
    RB_MEMBERS(rb_poam_plan, control_id, owner, due_date, weakness, updated_at),
    RB_HIDDEN_MEMBERS(rb_poam_plan, idx),
};
const struct rb_record assessment_poam_record = RB_RECORD(rb_poam_plan, poam_members);

/* The plans of assessment x (already read through the policy), in catalog order; with_cleared
 * also gives the rows whose plan was cleared (their updated_at still counts). */
static int load_plans(rb_db *db, const rb_assessment *x, bool with_cleared, rb_arena *a,
                      rb_poam_plan **out, int *n)
{
    return db_query_rows(
        db,
        "SELECT c.oscal_id, p.owner, p.due_date, p.weakness, p.updated_at, p.control_idx "
        "FROM "
        "assessment_poam p JOIN controls c ON c.catalog_id = ?2 AND c.idx = "
        "p.control_idx WHERE p.assessment_id = ?1 AND (?3 = 1 OR p.owner IS NOT "
        "NULL OR p.due_date IS NOT NULL OR p.weakness IS NOT NULL) ORDER BY "
        "p.control_idx",
        DB_ARGS(DB_TEXT(x->id), DB_TEXT(x->catalog_id), DB_INT(with_cleared)),
        &assessment_poam_record, a, out, n);
}

int assessment_poam_list(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                         rb_poam_plan **out, int *n)
{
    rb_assessment x;
    int rc = assessment_get(db, actor, id, a, &x);
    return rc ? rc : load_plans(db, &x, false, a, out, n);
}

/* s without its leading and trailing spaces and tabs (an arena copy when it changes); NULL for
 * NULL or nothing left. */
static const char *trimmed(rb_arena *a, const char *s)
{
    if (!s)
        return NULL;
    size_t b = 0, e = strlen(s);
    while (b < e && (s[b] == ' ' || s[b] == '\t'))
        b++;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' || s[e - 1] == '\r'))
        e--;
    if (b == e)
        return NULL;
    return rb_arena_strndup(a, s + b, e - b);
}

/* The plan's three members, checked by their field rules; out gets them trimmed (NULL: unset). */
static int check_input(rb_arena *a, const struct poam_input *in, struct poam_input *out,
                       rb_errinfo *ei)
{
    int rc;
    if ((rc = rb_field_checks(FIELD_NAME, "owner", in->owner, ei)) ||
        (rc = rb_field_checks(FIELD_NOTE, "weakness", in->weakness, ei)) ||
        (rc = rb_field_checks(FIELD_ID, "due_date", in->due_date, ei)))
        return rc;
    *out = (struct poam_input){trimmed(a, in->owner), trimmed(a, in->due_date),
                               trimmed(a, in->weakness)};
    if (out->due_date && rb_date_parse(out->due_date, NULL))
        return rb_err(ei, RB_EINVAL, "due_date", "\"due_date\" must be a date like 2027-06-30");
    return 0;
}

int assessment_poam_set(rb_db *db, const rb_actor *actor, rb_arena *a, const char *id,
                        const char *control_id, const struct poam_input *in, rb_errinfo *ei)
{
    rb_assessment x;
    rb_assessment_item *items = NULL;
    int n = 0;
    struct poam_input v;
    int rc = assessment_get(db, actor, id, a, &x);
    if (rc) {
        rc = rb_err(ei, rc, "", "no such assessment");
        goto out;
    }
    if (!assessment__by_assessed_org(actor, &x)) {
        rc = rb_err(ei, RB_EPERM, "",
                    "only the assessed org's reporters, analysts and admins plan its remediation");
        goto out;
    }
    if (!reviewed(&x)) {
        rc = refuse_unreviewed(&x, ei);
        goto out;
    }
    if ((rc = assessment_items(db, actor, id, a, &items, &n)))
        goto out;
    int k = -1;
    for (int i = 0; control_id && i < n && k < 0; i++)
        if (strcmp(items[i].control_id, control_id) == 0)
            k = i;
    if (k < 0) {
        rc = rb_err(ei, RB_ENOTFOUND, "control_id", "the assessment has no control \"%.*s\"",
                    RB_CUT(control_id, 64));
        goto out;
    }
    if (!items[k].answered || !oscal_poam_gap(items[k].status)) {
        rc = rb_err(ei, RB_ECONFLICT, "control_id",
                    "control %.*s is %s; a plan of action is for the gaps (partial, planned or "
                    "not implemented controls)",
                    RB_CUT(control_id, 64), items[k].answered ? items[k].status : "not answered");
        goto out;
    }
    if ((rc = check_input(a, in, &v, ei)))
        goto out;
    bool cleared = !v.owner && !v.due_date && !v.weakness;
    char note[NOTE_MAX];
    rb_fmt(note, sizeof(note), "%s%s%s%s%s", v.owner ? "owner " : "", v.owner ? v.owner : "",
           v.owner && v.due_date ? ", " : "", v.due_date ? "due " : "",
           v.due_date ? v.due_date : "");
    rc = write_exec(db, actor,
                    &(struct write_entry){"assessment.poam", &kind_assessment, x.id, x.org_id,
                                          .fail = "cannot record the plan",
                                          .event = cleared ? "plan cleared" : "plan set",
                                          .part = items[k].control_id,
                                          .comment = note[0] ? note : NULL},
                    "INSERT INTO assessment_poam(assessment_id, control_idx, owner, due_date, "
                    "weakness, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT "
                    "(assessment_id, control_idx) DO UPDATE SET owner = excluded.owner, "
                    "due_date = excluded.due_date, weakness = excluded.weakness, "
                    "updated_at = excluded.updated_at",
                    DB_ARGS(DB_TEXT(x.id), DB_INT(items[k].idx), DB_TEXT(v.owner),
                            DB_TEXT(v.due_date), DB_TEXT(v.weakness), WRITE_NOW),
                    ei);
out:
    return rc;
}

int assessment_export_poam(rb_db *db, const rb_actor *actor, const char *id, rb_buf *out,
                           rb_errinfo *ei)
{
    rb_arena own;
    rb_arena_init(&own, ASSESSMENT_EXPORT_ARENA);
    struct assessment_oscal ao;
    rb_poam_plan *plans = NULL;
    int nplans = 0;
    int rc = assessment__oscal(db, actor, id, &own, &ao);
    if (rc) {
        rc = rb_err(ei, rc, "", "no such assessment");
        goto out;
    }
    if (!reviewed(&ao.x)) {
        rc = refuse_unreviewed(&ao.x, ei);
        goto out;
    }
    if ((rc = load_plans(db, &ao.x, true, &own, &plans, &nplans)))
        goto out;
    const struct oscal_results *r = &ao.r;
    int n = r->nitems, gaps = 0;
    struct oscal_poam_item *items = rb_arena_alloc(&own, sizeof(*items) * (size_t)(n + 1));
    char(*uuids)[4][RB_ID_SIZE] = rb_arena_alloc(&own, sizeof(*uuids) * (size_t)(n + 1));
    char *ssp = rb_arena_alloc(&own, 128), *uuid = rb_arena_alloc(&own, RB_ID_SIZE);
    rc = RB_ENOMEM;
    if (!items || !uuids || !ssp || !uuid)
        goto out;
    /* last-modified: the assessment's latest change, or a plan's (a cleared one too). */
    const char *last = r->last_modified;
    for (int q = 0; q < nplans; q++)
        last = assessment__later(last, plans[q].updated_at);
    static const char *const parts[4] = {"risk", "remediation", "milestone", "poam-item"};
    /* Plans and items are both in catalog order (control_idx): one walk pairs them. */
    int p = 0;
    for (int i = 0; i < n; i++) {
        const char *cid = r->items[i].control_id;
        while (p < nplans && plans[p].idx < ao.items[i].idx)
            p++;
        items[i] = (struct oscal_poam_item){0};
        if (!oscal_poam_gap(r->items[i].status))
            continue;
        gaps++;
        for (int u = 0; u < 4; u++)
            if ((rc = assessment_oscal_uuid(ao.x.id, parts[u], cid, uuids[i][u])))
                goto out;
        items[i].risk_uuid = uuids[i][0];
        items[i].remediation_uuid = uuids[i][1];
        items[i].task_uuid = uuids[i][2];
        items[i].item_uuid = uuids[i][3];
        if (p < nplans && plans[p].idx == ao.items[i].idx) {
            items[i].owner = plans[p].owner;
            items[i].due_date = plans[p].due_date;
            items[i].weakness = plans[p].weakness;
        }
    }
    if (gaps == 0) {
        rc = rb_err(ei, RB_ECONFLICT, "status",
                    "every control of the assessment is implemented or not applicable: there is "
                    "no gap to plan for, so no plan of action and milestones");
        goto out;
    }
    snprintf(ssp, 128, "/api/v1/profiles/%s/resolved", ao.x.profile_id);
    if ((rc = assessment_oscal_uuid(ao.x.id, "poam", NULL, uuid)))
        goto out;
    const struct oscal_poam doc = {
        .uuid = uuid,
        .assessment = r,
        .items = items,
        .last_modified = last,
        .ssp_href = ssp,
    };
    rc = oscal_poam_write(&doc, out);
out:
    rb_arena_release(&own);
    return rc;
}
