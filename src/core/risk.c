/*
 * risk.c - each org's risk register: recording, changing and accepting risks, reading them
 * through the sharing policy, and their linked guideline controls (see risk.h).
 *
 * Must never: let anyone but the owner org's writers change a risk, accept one without an admin
 * and a reason, show a risk to an org the policy refuses (RB_ENOTFOUND, never RB_EPERM), or show a
 * control's answer from an assessment the viewer may not read.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/utf8.h"
#include "base/rtime.h"
#include "core/catalog.h"
#include "core/history.h"
#include "core/kind.h"
#include "core/policy.h"
#include "core/risk.h"
#include "core/risk_int.h"
#include "core/share.h"
#include "core/write.h"
#include "formats/tlp.h"
#include "json/field.h"

const char *const risk_treatment_names[] = {"mitigate", "accept", "transfer", "avoid", NULL};
const char *const risk_status_names[] = {"open", "in_progress", "done", "accepted", "closed", NULL};
const char *const risk_category_names[] = {"strategic",   "operational", "technical", "compliance",
                                           "third_party", "people",      "physical",  NULL};

/* A review is due a year after a risk is recorded, unless its owner says otherwise. */
#define REVIEW_DAYS 365

static void write_weak(rj_writer *w, const void *row)
{
    const rb_risk *r = row;
    if (r->weak_controls < 0)
        rjw_null(w);
    else
        rjw_int(w, r->weak_controls);
}

static const struct rb_member risk_members[] = {
    RB_MEMBERS(rb_risk, id, org_id, org_name, province, sector, title, description, category,
               likelihood, impact, inherent_score),
    RB_MEMBER(rb_risk, inherent_level, rb_text_later),
    RB_MEMBERS(rb_risk, residual_likelihood, residual_impact, residual_score),
    RB_MEMBER(rb_risk, residual_level, rb_text_later),
    RB_MEMBERS(rb_risk, treatment, status, owner, due_date, review_date, tlp, catalog_id,
               accepted_by, accepted_at, acceptance_reason, created_by, created_at, updated_at,
               controls_count),
    RB_DERIVED(rb_risk, weak_controls, "weak_controls", rb_int_later, write_weak),
    RB_MEMBER(rb_risk, overdue_treatment, rb_bool_later),
    RB_MEMBER(rb_risk, overdue_review, rb_bool_later),
    RB_HIDDEN_MEMBERS(rb_risk, seq),
};
const struct rb_record risk_record = RB_RECORD(rb_risk, risk_members);

static const struct rb_member risk_control_members[] = {
    RB_MEMBERS(rb_risk_control, control_id, title, status, maturity, assessed, weak),
};
const struct rb_record risk_control_record = RB_RECORD(rb_risk_control, risk_control_members);

/* ---- helpers ---- */

void risk__today(char out[RB_TIME_SIZE])
{
    rb_time_format(rb_now(), out);
    out[10] = '\0';
}

void risk__derive(rb_risk *r, int n, const struct risk_matrix *m)
{
    char today[RB_TIME_SIZE];
    risk__today(today);
    for (int i = 0; i < n; i++) {
        r[i].inherent_level = (char *)risk_level_names[risk_matrix_level(m, r[i].inherent_score)];
        r[i].residual_level = (char *)risk_level_names[risk_matrix_level(m, r[i].residual_score)];
        bool treating = r[i].status && (strcmp(r[i].status, "open") == 0 ||
                                        strcmp(r[i].status, "in_progress") == 0);
        bool closed = r[i].status && strcmp(r[i].status, "closed") == 0;
        r[i].overdue_treatment = treating && r[i].due_date && strcmp(r[i].due_date, today) < 0;
        r[i].overdue_review = !closed && r[i].review_date && strcmp(r[i].review_date, today) < 0;
        r[i].weak_controls = -1;
    }
}

int risk__may_write(const rb_actor *actor, const char *org_id, rb_errinfo *ei)
{
    if (!policy_can(actor, PERM_REPORT))
        return rb_err(ei, RB_EPERM, "", "your role may not record or change risks");
    if (!actor->system && strcmp(actor->org.id, org_id) != 0)
        return rb_err(ei, RB_EPERM, "", "only the org whose register it is changes its risks");
    return 0;
}

int risk__read(rb_db *db, const char *id, rb_arena *a, rb_risk *out)
{
    if (!id || !rb_uuid_valid(id))
        return RB_ENOTFOUND;
    return db_query_one(db, "SELECT " RISK_COLS RISK_FROM " WHERE o.id = ?1", DB_ARGS(DB_TEXT(id)),
                        a, &risk_record, out);
}

void risk_input_init(struct risk_input *in)
{
    memset(in, 0, sizeof(*in));
    in->treatment = in->status = in->tlp = -1;
}

static bool has_text(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return true;
    return false;
}

/* A date "YYYY-MM-DD" ("" allowed when it may be cleared). */
static int check_date(const char *s, const char *field, bool change, rb_errinfo *ei)
{
    if (!s || (change && !*s) || (!change && !*s))
        return 0;
    if (rb_date_parse(s, NULL))
        return rb_err(ei, RB_EINVAL, field, "\"%s\" must be a date like 2026-12-31", field);
    return 0;
}

static int check_step(int v, const char *field, const struct risk_matrix *m, rb_errinfo *ei)
{
    if (v != 0 && (v < 1 || v > m->size))
        return rb_err(ei, RB_EINVAL, field,
                      "\"%s\" is 1 to %d on the risk matrix (%dx%d); %d is outside it", field,
                      m->size, m->size, m->size, v);
    return 0;
}

int risk_check(const struct risk_input *in, const struct risk_matrix *m, bool change,
               rb_errinfo *ei)
{
    int rc;
    if ((rc = rb_field_checks(FIELD_TITLE, "title", in->title, ei)) ||
        (rc = rb_field_checks(FIELD_PROSE, "description", in->description, ei)) ||
        (rc = rb_field_checks(FIELD_NAME, "owner", in->owner, ei)) ||
        (rc = rb_field_checks(FIELD_ID, "catalog_id", in->catalog_id, ei)) ||
        (rc = rb_field_checks(FIELD_NOTE, "comment", in->comment, ei)))
        return rc;
    if ((change ? in->title != NULL : true) && !has_text(in->title))
        return rb_err(ei, RB_EINVAL, "title", "\"title\" is required: what could go wrong");
    if (in->category && rb_name_index(risk_category_names, in->category) < 0)
        return rb_err(ei, RB_EINVAL, "category",
                      "\"category\" is one of strategic, operational, technical, compliance, "
                      "third_party, people, physical");
    if (!change && (in->likelihood == 0 || in->impact == 0))
        return rb_err(ei, RB_EINVAL, in->likelihood == 0 ? "likelihood" : "impact",
                      "\"%s\" is required: 1 to %d on the risk matrix",
                      in->likelihood == 0 ? "likelihood" : "impact", m->size);
    if ((rc = check_step(in->likelihood, "likelihood", m, ei)) ||
        (rc = check_step(in->impact, "impact", m, ei)) ||
        (rc = check_step(in->residual_likelihood, "residual_likelihood", m, ei)) ||
        (rc = check_step(in->residual_impact, "residual_impact", m, ei)))
        return rc;
    if (in->treatment >= RTREAT__COUNT || in->status >= RSTATUS__COUNT || in->tlp >= TLP__COUNT)
        return rb_err(ei, RB_EINVAL, "", "a value out of its range");
    if (in->treatment == RTREAT_ACCEPT || in->status == RSTATUS_ACCEPTED)
        return rb_err(ei, RB_EINVAL, in->treatment == RTREAT_ACCEPT ? "treatment" : "status",
                      "a risk is accepted on its own (POST /api/v1/risks/{id}/accept): it needs "
                      "an admin of the org and a reason");
    if ((rc = check_date(in->due_date, "due_date", change, ei)) ||
        (rc = check_date(in->review_date, "review_date", change, ei)))
        return rc;
    if (in->ncontrols > RISK_CONTROLS_MAX)
        return rb_err(ei, RB_EINVAL, "control_ids", "a risk links at most %d controls",
                      RISK_CONTROLS_MAX);
    for (int i = 0; i < in->ncontrols; i++) {
        char field[32];
        rb_fmt(field, sizeof(field), "control_ids[%d]", i);
        if ((rc = rb_field_checks(FIELD_ID, field, in->control_ids[i], ei)))
            return rc;
        if (!in->control_ids[i] || !in->control_ids[i][0])
            return rb_err(ei, RB_EINVAL, field, "a control id is not empty");
        for (int k = 0; k < i; k++)
            if (strcmp(in->control_ids[k], in->control_ids[i]) == 0)
                return rb_err(ei, RB_EINVAL, field, "control %.*s is named twice",
                              RB_CUT(in->control_ids[i], 64));
    }
    if (in->catalog_id && !in->controls_given)
        return rb_err(ei, RB_EINVAL, "catalog_id",
                      "\"catalog_id\" goes with \"control_ids\": it names their catalog");
    if (change && !in->title && !in->description && !in->category && !in->owner && !in->due_date &&
        !in->review_date && !in->likelihood && !in->impact && !in->residual_likelihood &&
        !in->residual_impact && in->treatment < 0 && in->status < 0 && in->tlp < 0 &&
        !in->controls_given && !has_text(in->comment))
        return rb_err(ei, RB_EINVAL, "", "nothing to change: send the members that change");
    return 0;
}

/* The residual score may not pass the inherent one. */
static int check_scores(int l, int i, int rl, int ri, rb_errinfo *ei)
{
    if (rl * ri > l * i)
        return rb_err(ei, RB_EINVAL, "residual_likelihood",
                      "the residual score (%d x %d = %d) may not pass the inherent score (%d x %d "
                      "= %d): treatment lowers a risk",
                      rl, ri, rl * ri, l, i, l * i);
    return 0;
}

int risk__resolve_controls(rb_db *db, const rb_actor *actor, const struct risk_input *in,
                           char out_catalog[RB_ID_SIZE], rb_errinfo *ei)
{
    out_catalog[0] = '\0';
    if (in->ncontrols == 0)
        return 0;
    int rc;
    if (in->catalog_id) {
        struct kind_ref ref;
        if ((rc = kind_load(&kind_catalog, db, actor, in->catalog_id, &ref)))
            return rc == RB_ENOTFOUND ? rb_err(ei, RB_EINVAL, "catalog_id",
                                               "no guideline catalog with that catalog_id")
                                      : rc;
        rb_strlcpy(out_catalog, in->catalog_id, RB_ID_SIZE);
    } else {
        /* The national guideline: the newest catalog of the root that the actor may read. */
        if ((rc = catalog_national(db, actor, true, out_catalog)))
            return rc;
        if (!out_catalog[0])
            return rb_err(ei, RB_EINVAL, "control_ids",
                          "there is no national guideline catalog to link controls to; name one "
                          "with \"catalog_id\"");
    }
    for (int i = 0; i < in->ncontrols; i++) {
        int64_t n = 0;
        if ((rc = db_query_int(
                 db, "SELECT count(*) FROM controls WHERE catalog_id = ?1 AND oscal_id = ?2",
                 DB_ARGS(DB_TEXT(out_catalog), DB_TEXT(in->control_ids[i])), &n)))
            return rc;
        if (n == 0) {
            char field[32];
            rb_fmt(field, sizeof(field), "control_ids[%d]", i);
            return rb_err(ei, RB_EINVAL, field, "the guideline catalog has no control %.*s",
                          RB_CUT(in->control_ids[i], 64));
        }
    }
    return 0;
}

static int put_controls(rb_write *w, const char *id, const struct risk_input *in)
{
    int rc = db_exec(w->db, "DELETE FROM risk_controls WHERE risk_id = ?1", DB_ARGS(DB_TEXT(id)));
    for (int i = 0; !rc && i < in->ncontrols; i++)
        rc = db_exec(w->db, "INSERT INTO risk_controls(risk_id, ord, control_id) VALUES (?1,?2,?3)",
                     DB_ARGS(DB_TEXT(id), DB_INT(i), DB_TEXT(in->control_ids[i])));
    return rc;
}

static const char *or_null(const char *s)
{
    return rb_empty(s) ? NULL : s;
}

int risk__insert(rb_write *w, const char *id, const char *org_id, const struct risk_input *in,
                 const char *catalog_id, const char *event)
{
    int rl = in->residual_likelihood ? in->residual_likelihood : in->likelihood;
    int ri = in->residual_impact ? in->residual_impact : in->impact;
    int rc = check_scores(in->likelihood, in->impact, rl, ri, w->ei);
    if (rc)
        return rc;
    char review[RB_TIME_SIZE];
    rb_time_format(rb_now() + (int64_t)REVIEW_DAYS * 86400, review);
    review[10] = '\0';
    enum rb_tlp tlp = in->tlp >= 0 ? (enum rb_tlp)in->tlp : kind_risk.default_tlp;
    rc = db_exec(
        w->db,
        "INSERT INTO risks(id, owner_org, parent_org, province, sector, tlp, title, description, "
        "category, likelihood, impact, inherent_score, residual_likelihood, residual_impact, "
        "residual_score, treatment, status, owner, due_date, review_date, catalog_id, created_by, "
        "created_at, updated_at) SELECT ?1, ?2, g.parent_id, g.province, g.sector, ?3,?4,?5,?6,?7,"
        "?8,?7*?8,?9,?10,?9*?10,"
        "?11,'open',?12,?13,?14,?15,?16,?17,?17 FROM orgs g WHERE g.id = ?2",
        DB_ARGS(DB_TEXT(id), DB_TEXT(org_id), DB_TEXT(tlp_name(tlp)), DB_TEXT(in->title),
                DB_TEXT(in->description ? in->description : ""),
                DB_TEXT(in->category ? in->category : "operational"), DB_INT(in->likelihood),
                DB_INT(in->impact), DB_INT(rl), DB_INT(ri),
                DB_TEXT(risk_treatment_names[in->treatment >= 0 ? in->treatment : RTREAT_MITIGATE]),
                DB_TEXT(in->owner ? in->owner : ""), DB_TEXT(or_null(in->due_date)),
                DB_TEXT(rb_empty(in->review_date) ? review : in->review_date),
                DB_TEXT(or_null(catalog_id)), DB_TEXT(w->actor->label), DB_TEXT(w->now)));
    if (!rc && in->ncontrols > 0)
        rc = put_controls(w, id, in);
    if (!rc)
        rc = share_defaults(w, &kind_risk, id, org_id);
    if (!rc)
        rc = history_add(w, &kind_risk, id, event, NULL, NULL);
    return rc;
}

static int register_full(rb_db *db, const char *org_id, int adding, rb_errinfo *ei)
{
    int64_t n = 0;
    int rc = db_query_int(db, "SELECT count(*) FROM risks WHERE owner_org = ?1",
                          DB_ARGS(DB_TEXT(org_id)), &n);
    if (!rc && n + adding > RISK_PER_ORG_MAX)
        rc = rb_err(ei, RB_ECONFLICT, "",
                    "a register holds at most %d risks; close and remove "
                    "some first",
                    RISK_PER_ORG_MAX);
    return rc;
}

int risk_create(rb_db *db, const rb_actor *actor, const struct risk_input *in,
                char out_id[RB_ID_SIZE], rb_errinfo *ei)
{
    struct risk_matrix m;
    char catalog[RB_ID_SIZE];
    int rc = risk__may_write(actor, actor->org.id, ei);
    if (!rc && in->status >= 0)
        rc = rb_err(ei, RB_EINVAL, "status", "a new risk starts open");
    if (!rc && !(rc = risk_matrix_get(db, &m)) && !(rc = risk_check(in, &m, false, ei)))
        rc = risk__resolve_controls(db, actor, in, catalog, ei);
    if (rc)
        return rc;
    char id[RB_ID_SIZE];
    rb_write w;
    if ((rc = write_begin_new(&w, db, actor, id, ei)))
        return rc;
    if (!(rc = register_full(db, actor->org.id, 1, ei)))
        rc = risk__insert(&w, id, actor->org.id, in, catalog, "recorded");
    rc = write_end(&w, rc, "risk.create", &kind_risk, id, actor->org.id, "cannot record the risk");
    if (!rc)
        memcpy(out_id, id, RB_ID_SIZE);
    return rc;
}

/* "12 (high)" of score on m. */
static void score_words(const struct risk_matrix *m, int score, char *out, size_t size)
{
    rb_fmt(out, size, "%d (%s)", score, risk_level_names[risk_matrix_level(m, score)]);
}

int risk__apply(rb_write *w, const rb_risk *cur, const struct risk_input *in,
                const char *catalog_id, rb_errinfo *ei)
{
    struct risk_matrix m;
    int rc = risk_matrix_get(w->db, &m);
    if (rc)
        return rc;
    int l = in->likelihood ? in->likelihood : cur->likelihood;
    int i = in->impact ? in->impact : cur->impact;
    int rl = in->residual_likelihood ? in->residual_likelihood : cur->residual_likelihood;
    int ri = in->residual_impact ? in->residual_impact : cur->residual_impact;
    if ((rc = check_scores(l, i, rl, ri, ei)))
        return rc;
    const char *treatment =
        in->treatment >= 0 ? risk_treatment_names[in->treatment] : cur->treatment;
    /* A change of treatment withdraws an acceptance; the risk is open again unless closed. */
    bool withdraw = strcmp(cur->treatment, "accept") == 0 && strcmp(treatment, "accept") != 0;
    const char *status =
        in->status >= 0 ? risk_status_names[in->status]
                        : (withdraw && strcmp(cur->status, "accepted") == 0 ? "open" : cur->status);
    if (strcmp(treatment, "accept") == 0 && strcmp(status, "accepted") != 0 &&
        strcmp(status, "closed") != 0)
        return rb_err(ei, RB_ECONFLICT, "status",
                      "an accepted risk is not being treated: change its treatment first, or "
                      "close it");
    const char *title = in->title ? in->title : cur->title;
    const char *description = in->description ? in->description : cur->description;
    const char *category = in->category ? in->category : cur->category;
    const char *owner = in->owner ? in->owner : cur->owner;
    const char *due = in->due_date ? or_null(in->due_date) : cur->due_date;
    const char *review = in->review_date ? or_null(in->review_date) : cur->review_date;
    const char *catalog = in->controls_given ? or_null(catalog_id) : cur->catalog_id;
    bool keep_acceptance = strcmp(treatment, "accept") == 0;
    rc = db_exec(w->db,
                 "UPDATE risks SET title = ?2, description = ?3, category = ?4, likelihood = ?5, "
                 "impact = ?6, inherent_score = ?5 * ?6, residual_likelihood = ?7, "
                 "residual_impact = ?8, residual_score = ?7 * ?8, treatment = ?9, status = ?10, "
                 "owner = ?11, due_date = ?12, review_date = ?13, catalog_id = ?14, accepted_by = "
                 "CASE WHEN ?15 = 1 THEN accepted_by END, accepted_at = CASE WHEN ?15 = 1 THEN "
                 "accepted_at END, acceptance_reason = CASE WHEN ?15 = 1 THEN acceptance_reason "
                 "END, updated_at = ?16 WHERE id = ?1",
                 DB_ARGS(DB_TEXT(cur->id), DB_TEXT(title), DB_TEXT(description), DB_TEXT(category),
                         DB_INT(l), DB_INT(i), DB_INT(rl), DB_INT(ri), DB_TEXT(treatment),
                         DB_TEXT(status), DB_TEXT(owner), DB_TEXT(due), DB_TEXT(review),
                         DB_TEXT(catalog), DB_INT(keep_acceptance ? 1 : 0), DB_TEXT(w->now)));
    if (!rc && in->controls_given)
        rc = put_controls(w, cur->id, in);
    /* The timeline: what changed, in words. */
    char note[600], a[40], b[40];
    if (!rc && (l * i != cur->inherent_score || l != cur->likelihood || i != cur->impact)) {
        score_words(&m, cur->inherent_score, a, sizeof(a));
        score_words(&m, l * i, b, sizeof(b));
        rb_fmt(note, sizeof(note), "likelihood %d, impact %d: %s to %s", l, i, a, b);
        rc = history_add(w, &kind_risk, cur->id, "inherent score changed", NULL, note);
    }
    if (!rc && (rl != cur->residual_likelihood || ri != cur->residual_impact)) {
        score_words(&m, cur->residual_score, a, sizeof(a));
        score_words(&m, rl * ri, b, sizeof(b));
        rb_fmt(note, sizeof(note), "likelihood %d, impact %d: %s to %s", rl, ri, a, b);
        rc = history_add(w, &kind_risk, cur->id, "residual score changed", NULL, note);
    }
    if (!rc && strcmp(treatment, cur->treatment) != 0) {
        rb_fmt(note, sizeof(note), "%s to %s", cur->treatment, treatment);
        rc = history_add(w, &kind_risk, cur->id,
                         withdraw ? "acceptance withdrawn" : "treatment changed", NULL, note);
    }
    if (!rc && strcmp(status, cur->status) != 0) {
        rb_fmt(note, sizeof(note), "%s to %s", cur->status, status);
        rc = history_add(w, &kind_risk, cur->id, "status changed", NULL, note);
    }
    if (!rc) {
        /* The other members, named. */
        note[0] = '\0';
        size_t len = 0;
        const struct {
            bool changed;
            const char *name;
        } others[] = {
            {in->title && strcmp(title, cur->title) != 0, "title"},
            {in->description && strcmp(description, cur->description) != 0, "description"},
            {in->category && strcmp(category, cur->category) != 0, "category"},
            {in->owner && strcmp(owner, cur->owner) != 0, "owner"},
            {in->due_date &&
                 (due ? !cur->due_date || strcmp(due, cur->due_date) != 0 : cur->due_date != NULL),
             "due date"},
            {in->review_date && (review ? !cur->review_date || strcmp(review, cur->review_date) != 0
                                        : cur->review_date != NULL),
             "review date"},
            {in->controls_given, "linked controls"},
        };
        for (size_t k = 0; k < RB_ARRAY_LEN(others); k++)
            if (others[k].changed) {
                rb_fmt(note + len, sizeof(note) - len, "%s%s", len ? ", " : "", others[k].name);
                len = strlen(note);
            }
        if (len)
            rc = history_add(w, &kind_risk, cur->id, "changed", NULL, note);
    }
    if (!rc && has_text(in->comment))
        rc = history_add(w, &kind_risk, cur->id, "commented", NULL, in->comment);
    if (!rc && in->tlp >= 0 && strcmp(tlp_name((enum rb_tlp)in->tlp), cur->tlp) != 0)
        rc = share_tlp_in(w, &kind_risk, cur->id, (enum rb_tlp)in->tlp, ei);
    return rc;
}

int risk_update(rb_db *db, const rb_actor *actor, const char *id, const struct risk_input *in,
                rb_errinfo *ei)
{
    struct kind_ref ref;
    struct risk_matrix m;
    char catalog[RB_ID_SIZE];
    int rc = kind_load(&kind_risk, db, actor, id, &ref);
    if (rc)
        return rb_err(ei, rc, "", "no such risk");
    if ((rc = risk__may_write(actor, ref.owner_org, ei)) || (rc = risk_matrix_get(db, &m)) ||
        (rc = risk_check(in, &m, true, ei)) ||
        (rc = risk__resolve_controls(db, actor, in, catalog, ei)))
        return rc;
    rb_write w;
    rb_risk cur;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    if (!(rc = risk__read(db, id, write_arena(&w), &cur)))
        rc = risk__apply(&w, &cur, in, catalog, ei);
    return write_end(&w, rc, "risk.update", &kind_risk, id, ref.owner_org,
                     "cannot change the risk");
}

int risk_accept(rb_db *db, const rb_actor *actor, const char *id, const char *reason,
                const char *review_date, rb_errinfo *ei)
{
    struct kind_ref ref;
    int rc = kind_load(&kind_risk, db, actor, id, &ref);
    if (rc)
        return rb_err(ei, rc, "", "no such risk");
    if (!policy_can(actor, PERM_RISK_ACCEPT) ||
        (!actor->system && strcmp(actor->org.id, ref.owner_org) != 0))
        return rb_err(ei, RB_EPERM, "",
                      "only an admin of the org whose register it is accepts "
                      "a risk");
    if ((rc = rb_field_checks(FIELD_NOTE, "reason", reason, ei)))
        return rc;
    if (!has_text(reason))
        return rb_err(ei, RB_EINVAL, "reason",
                      "\"reason\" is required: why the org accepts the risk as it is");
    if ((rc = check_date(review_date, "review_date", false, ei)))
        return rc;
    rb_write w;
    rb_risk cur;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    if (!(rc = risk__read(db, id, write_arena(&w), &cur)) && strcmp(cur.status, "accepted") == 0)
        rc = rb_err(ei, RB_ECONFLICT, "", "the risk is accepted already (by %.*s on %.10s)",
                    RB_CUT(cur.accepted_by ? cur.accepted_by : "", 120),
                    cur.accepted_at ? cur.accepted_at : "");
    if (!rc)
        rc = db_exec(db,
                     "UPDATE risks SET treatment = 'accept', status = 'accepted', accepted_by = "
                     "?2, accepted_at = ?3, acceptance_reason = ?4, review_date = coalesce(?5, "
                     "review_date), updated_at = ?3 WHERE id = ?1",
                     DB_ARGS(DB_TEXT(id), DB_TEXT(actor->label), DB_TEXT(w.now), DB_TEXT(reason),
                             DB_TEXT(or_null(review_date))));
    if (!rc)
        rc = history_add(&w, &kind_risk, id, "accepted", NULL, reason);
    return write_end(&w, rc, "risk.accept", &kind_risk, id, ref.owner_org,
                     "cannot accept the risk");
}

/* ---- reads ---- */

/* Reads risk id when the actor may read it (RB_ENOTFOUND otherwise). */
static int read_readable(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                         rb_risk *out)
{
    return kind_get(&kind_risk, db, actor,
                    "SELECT " RISK_COLS RISK_FROM " WHERE o.id = ?1 AND " POLICY_SQL_READABLE, id,
                    a, &risk_record, out);
}

/* The latest accepted assessment of owner over catalog that the actor may read, or none. */
static int latest_assessment(rb_db *db, const rb_actor *actor, const char *owner,
                             const char *catalog, rb_arena *a, char **id, char **title,
                             char **reviewed)
{
    rb_stmt *st = NULL;
    *id = *title = *reviewed = NULL;
    int rc = db_query(
        db,
        "SELECT a.id, k.title, a.reviewed_at FROM assessments a JOIN campaigns k "
        "ON k.id = a.campaign_id JOIN profiles p ON p.id = k.profile_id WHERE "
        "a.owner_org = ?1 AND p.catalog_id = ?2 AND a.status = 'accepted' "
        "AND " POLICY_SQL_READABLE_AS("a", KIND_SQL_ASSESSMENT,
                                      "0") " ORDER BY a.reviewed_at DESC, k.seq DESC LIMIT 1",
        DB_ARGS(DB_TEXT(owner), DB_TEXT(catalog)), &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, &kind_assessment);
    if ((rc = db_step(st)) == DB_ROW) {
        *id = db_col_dup(st, 0, a);
        *title = db_col_dup(st, 1, a);
        *reviewed = db_col_dup(st, 2, a);
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

/* How many linked controls of risk_id are weak in assessment aid. */
static int weak_count(rb_db *db, const char *risk_id, const char *catalog, const char *aid,
                      int *out)
{
    int64_t n = 0;
    int rc = db_query_int(
        db,
        "SELECT count(*) FROM risk_controls rc JOIN controls c ON c.catalog_id = ?2 "
        "AND c.oscal_id = rc.control_id JOIN assessment_answers x ON "
        "x.assessment_id = ?3 AND x.control_idx = c.idx WHERE rc.risk_id = ?1 AND "
        "x.status <> 'not_applicable' AND x.maturity <= ?4",
        DB_ARGS(DB_TEXT(risk_id), DB_TEXT(catalog), DB_TEXT(aid), DB_INT(RISK_WEAK_MATURITY)), &n);
    if (!rc)
        *out = (int)n;
    return rc;
}

/* Fills weak_controls of rows that link controls, one assessment look-up per owner and catalog. */
static int fill_weak(rb_db *db, const rb_actor *actor, rb_risk *rows, int n, rb_arena *a)
{
    const char *last_owner = NULL, *last_catalog = NULL;
    char *aid = NULL, *title = NULL, *reviewed = NULL;
    int rc = 0;
    for (int i = 0; !rc && i < n; i++) {
        if (rows[i].controls_count == 0 || !rows[i].catalog_id)
            continue;
        if (!last_owner || strcmp(last_owner, rows[i].org_id) != 0 ||
            strcmp(last_catalog, rows[i].catalog_id) != 0) {
            rc = latest_assessment(db, actor, rows[i].org_id, rows[i].catalog_id, a, &aid, &title,
                                   &reviewed);
            last_owner = rows[i].org_id;
            last_catalog = rows[i].catalog_id;
        }
        if (!rc && aid)
            rc = weak_count(db, rows[i].id, rows[i].catalog_id, aid, &rows[i].weak_controls);
    }
    return rc;
}

int risk_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_risk *out)
{
    struct risk_matrix m;
    int rc = read_readable(db, actor, id, a, out);
    if (!rc && !(rc = risk_matrix_get(db, &m))) {
        risk__derive(out, 1, &m);
        rc = fill_weak(db, actor, out, 1, a);
    }
    return rc;
}

int risk_controls(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                  struct risk_controls_view *out)
{
    memset(out, 0, sizeof(*out));
    rb_risk r;
    int rc = read_readable(db, actor, id, a, &r);
    if (rc || !r.catalog_id || r.controls_count == 0)
        return rc;
    if ((rc = latest_assessment(db, actor, r.org_id, r.catalog_id, a, &out->assessment_id,
                                &out->campaign_title, &out->reviewed_at)))
        return rc;
    return db_query_rows(db,
                         "SELECT rc.control_id, c.title, x.status, x.maturity, x.status IS NOT "
                         "NULL, x.status IS NOT NULL AND x.status <> 'not_applicable' AND "
                         "x.maturity <= ?4 FROM risk_controls rc LEFT JOIN controls c ON "
                         "c.catalog_id = ?2 AND c.oscal_id = rc.control_id LEFT JOIN "
                         "assessment_answers x ON x.assessment_id = ?3 AND x.control_idx = c.idx "
                         "WHERE rc.risk_id = ?1 ORDER BY rc.ord",
                         DB_ARGS(DB_TEXT(id), DB_TEXT(r.catalog_id), DB_TEXT(out->assessment_id),
                                 DB_INT(RISK_WEAK_MATURITY)),
                         &risk_control_record, a, &out->items, &out->n);
}

int risk_list(rb_db *db, const rb_actor *actor, const struct risk_filter *f, rb_arena *a,
              rb_risk **out, int *n, bool *more)
{
    struct risk_matrix m;
    int rc = risk_matrix_get(db, &m);
    if (rc)
        return rc;
    int limit = f->limit > 0 ? f->limit : 50;
    int lo = 0, hi = 0;
    if (f->level >= 0)
        risk_matrix_range(&m, (enum risk_level)f->level, &lo, &hi);
    const char *pattern = NULL;
    if (!rb_empty(f->q) && !(pattern = db_like_contains(a, f->q)))
        return RB_ENOMEM;
    rb_risk after = {0};
    if (f->after_id && read_readable(db, actor, f->after_id, a, &after))
        return RB_EINVAL;
    char today[RB_TIME_SIZE];
    risk__today(today);
    rb_stmt *st = NULL;
    rc = db_query(db,
                  "SELECT " RISK_COLS RISK_FROM " WHERE " POLICY_SQL_READABLE
                  " AND (?1 IS NULL OR o.owner_org = ?1) AND (?2 IS NULL OR o.residual_score "
                  "BETWEEN ?2 AND ?3) AND (?4 IS NULL OR o.status = ?4) AND (?5 IS NULL OR "
                  "o.treatment = ?5) AND (?6 IS NULL OR o.category = ?6) AND (?7 = 0 OR "
                  "(o.status IN ('open','in_progress') AND o.due_date < ?8) OR (o.status <> "
                  "'closed' AND o.review_date < ?8)) AND (?9 IS NULL OR lower(o.title) LIKE ?9 "
                  "ESCAPE '\\') AND (?10 IS NULL OR o.residual_score < ?11 OR (o.residual_score "
                  "= ?11 AND o.seq < ?12)) ORDER BY o.residual_score DESC, o.seq DESC LIMIT ?13",
                  DB_ARGS(DB_TEXT(f->org_id), DB_INT_OR_NULL(f->level >= 0, lo), DB_INT(hi),
                          DB_TEXT(f->status >= 0 ? risk_status_names[f->status] : NULL),
                          DB_TEXT(f->treatment >= 0 ? risk_treatment_names[f->treatment] : NULL),
                          DB_TEXT(f->category), DB_INT(f->overdue ? 1 : 0), DB_TEXT(today),
                          DB_TEXT(pattern), DB_TEXT(after.id), DB_INT(after.residual_score),
                          DB_INT(after.seq), DB_INT(limit + 1)),
                  &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, &kind_risk);
    rb_risk *rows = NULL;
    int k = 0;
    if ((rc = db_page(st, limit, &risk_record, a, &rows, &k, more)))
        return rc;
    risk__derive(rows, k, &m);
    if ((rc = fill_weak(db, actor, rows, k, a)))
        return rc;
    *out = rows;
    *n = k;
    return 0;
}
