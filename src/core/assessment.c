/*
 * assessment.c - filling, submitting, reviewing and exporting assessments.
 *
 * Must never: let another org read an assessment (every read is POLICY_SQL_READABLE), change an
 * accepted answer, or score an assessment that is not fully answered.
 */
#include "base/common.h"
#include "base/utf8.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "core/kind.h"
#include "core/assessment.h"
#include "core/assessment_int.h"
#include "core/files.h"
#include "core/history.h"
#include "core/policy.h"
#include "core/score.h"
#include "core/settings.h"
#include "core/write.h"
#include "formats/oscal.h"
#include "json/field.h"
#include "json/json.h"

/* The columns of assessment_members, in order. */
#define ASSESSMENT_COLS                                                                            \
    "o.id, o.campaign_id, k.title, k.status = 'closed', p.catalog_id, o.owner_org, g.name, "      \
    "o.status, o.tlp, k.due_date, o.score, o.answered, o.total, o.submitted_at, o.reviewed_at, "  \
    "o.updated_at, g.parent_id, k.profile_id"
#define ASSESSMENT_FROM                                                                            \
    " FROM assessments o JOIN campaigns k ON k.id = o.campaign_id JOIN profiles p ON p.id = "      \
    "k.profile_id JOIN orgs g ON g.id = o.owner_org "

static void write_campaign_status(rj_writer *w, const void *row)
{
    rjw_str(w, ((const rb_assessment *)row)->campaign_closed ? "closed" : "open");
}

static const struct rb_member assessment_members[] = {
    RB_MEMBERS(rb_assessment, id, campaign_id, campaign_title),
    RB_DERIVED(rb_assessment, campaign_closed, "campaign_status", rb_bool, write_campaign_status),
    RB_MEMBERS(rb_assessment, catalog_id, org_id, org_name, status, tlp, due_date),
    RB_MEMBER(rb_assessment, score, rb_score),
    RB_MEMBERS(rb_assessment, answered, total, submitted_at, reviewed_at, updated_at),
    RB_HIDDEN_MEMBERS(rb_assessment, parent_id, profile_id),
};
const struct rb_record assessment_record = RB_RECORD(rb_assessment, assessment_members);

int assessment_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                   rb_assessment *out)
{
    return kind_get(&kind_assessment, db, actor,
                    "SELECT " ASSESSMENT_COLS ASSESSMENT_FROM
                    "WHERE o.id = ?1 AND " POLICY_SQL_READABLE,
                    id, a, &assessment_record, out);
}

int assessment_list(rb_db *db, const rb_actor *actor, const struct assessment_filter *f,
                    rb_arena *a, rb_assessment **out, int *n, bool *more)
{
    int limit = f->limit > 0 ? f->limit : 50;
    char *after_at = NULL;
    if (f->after_id) {
        rb_assessment cur;
        if (assessment_get(db, actor, f->after_id, a, &cur))
            return RB_EINVAL;
        after_at = cur.updated_at;
    }
    return kind_page(&kind_assessment, db, actor,
                     "SELECT " ASSESSMENT_COLS ASSESSMENT_FROM "WHERE " POLICY_SQL_READABLE
                     " AND (?1 IS NULL OR o.campaign_id = ?1) AND (?2 IS NULL OR o.owner_org = "
                     "?2) AND (?3 IS NULL OR o.status = ?3) AND (?4 IS NULL OR o.updated_at < "
                     "?5 OR (o.updated_at = ?5 AND o.id < ?4)) AND (?6 IS NULL OR g.parent_id = "
                     "?6) ORDER BY o.updated_at DESC, o.id DESC LIMIT ?7",
                     DB_ARGS(DB_TEXT(f->campaign_id), DB_TEXT(f->org_id), DB_TEXT(f->status),
                             DB_TEXT(f->after_id), DB_TEXT(after_at), DB_TEXT(f->reviewer),
                             DB_INT(limit + 1)),
                     limit, &assessment_record, a, out, n, more);
}

/* The columns of item_members, in order: the control (its text as the profile's resolved catalog
 * has it: pc), then its answer (x), if any. */
#define ITEM_COLS                                                                                  \
    "c.oscal_id, pc.label, pc.title, d.oscal_id, d.title, pc.statement, pc.guidance, "             \
    "x.status IS NOT NULL, c.idx, c.weight, coalesce(c.domain_idx, -1), x.status, x.maturity, "   \
    "x.evidence, x.review, x.review_comment, x.updated_at"

static const struct rb_record answer_record;

static void write_answer(rj_writer *w, const void *row)
{
    if (((const rb_assessment_item *)row)->answered)
        rjw_record(w, row, &answer_record);
    else
        rjw_null(w);
}

/* A control of the assessment (shown up to ITEM_ANSWER: its answer, null before the first), then
 * from ITEM_ANSWER the answer's own members, shown as the answer's object. */
#define ITEM_ANSWER 11
static const struct rb_member item_members[] = {
    RB_MEMBER_AS(rb_assessment_item, control_id, "id", rb_text),
    RB_MEMBERS(rb_assessment_item, label, title, domain_id, domain_title, statement, guidance),
    RB_DERIVED(rb_assessment_item, answered, "answer", rb_bool, write_answer),
    RB_HIDDEN_MEMBERS(rb_assessment_item, idx, weight, domain_idx),
    RB_MEMBERS(rb_assessment_item, status, maturity, evidence, review, review_comment),
    RB_MEMBER_AS(rb_assessment_item, answered_at, "updated_at", rb_text),
};
static const struct rb_record item_columns = RB_RECORD(rb_assessment_item, item_members);
const struct rb_record assessment_item_record = {item_members, ITEM_ANSWER,
                                                 sizeof(rb_assessment_item)};
static const struct rb_record answer_record = {&item_members[ITEM_ANSWER],
                                               RB_ARRAY_LEN(item_members) - ITEM_ANSWER,
                                               sizeof(rb_assessment_item)};

/* Items of an assessment already read: its profile's controls left-joined with answers. */
static int load_items(rb_db *db, const rb_assessment *x, rb_arena *a, rb_assessment_item **out,
                      int *n)
{
    rb_stmt *st = NULL;
    bool more = false;
    int rc = db_query(
        db,
        "SELECT " ITEM_COLS " FROM profile_controls pc JOIN controls c ON c.catalog_id = ?2 AND "
        "c.idx = pc.control_idx LEFT JOIN catalog_groups d ON d.catalog_id = ?2 AND d.idx = "
        "c.domain_idx LEFT JOIN assessment_answers x ON x.assessment_id = ?3 AND x.control_idx = "
        "c.idx WHERE pc.profile_id = ?1 ORDER BY c.idx",
        DB_ARGS(DB_TEXT(x->profile_id), DB_TEXT(x->catalog_id), DB_TEXT(x->id)), &st);
    /* As many as the assessment counts (and one more, should the profile have changed). */
    return rc ? rc : db_page(st, x->total + 1, &item_columns, a, out, n, &more);
}

int assessment_items(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                     rb_assessment_item **out, int *n)
{
    rb_assessment x;
    int rc = assessment_get(db, actor, id, a, &x);
    if (rc)
        return rc;
    return load_items(db, &x, a, out, n);
}

static int find_item(const rb_assessment_item *items, int n, const char *control_id)
{
    for (int i = 0; i < n; i++)
        if (strcmp(items[i].control_id, control_id) == 0)
            return i;
    return -1;
}

/* What every write reads first: the assessment (through the policy) and its items. */
struct work {
    rb_arena *a; /* the caller's: what the write reads lives as long as the request */
    rb_write wr; /* the write in progress (work_begin .. work_commit) */
    rb_assessment x;
    rb_assessment_item *items;
    int nitems;
    int *ks; /* work_begin_list: the item index of each input of the list, in the arena */
};

static int work_load(struct work *w, rb_db *db, const rb_actor *actor, rb_arena *a,
                     const char *id, rb_errinfo *ei)
{
    w->a = a;
    w->items = NULL;
    w->nitems = 0;
    int rc = assessment_get(db, actor, id, w->a, &w->x);
    if (rc)
        return rb_err(ei, rc, "", "no such assessment");
    return load_items(db, &w->x, w->a, &w->items, &w->nitems);
}

/* Writes need an open campaign: once closed, its assessments are the record. */
static int work_open(const struct work *w, rb_errinfo *ei)
{
    if (w->x.campaign_closed)
        return rb_err(ei, RB_ECONFLICT, "status",
                      "the campaign \"%.*s\" is closed; its assessments no longer change",
                      RB_CUT(w->x.campaign_title, 100));
    return 0;
}

/* Who may make a write: the assessed org (its reporters, analysts and admins), or the analysts
 * of its parent CERT. */
enum work_who { WHO_ASSESSED_ORG, WHO_PARENT_CERT };

static bool work_may(const rb_actor *actor, const rb_assessment *x, enum work_who who)
{
    if (actor->system)
        return true;
    if (who == WHO_ASSESSED_ORG)
        return policy_can(actor, PERM_REPORT) && strcmp(actor->org.id, x->org_id) == 0;
    return policy_can(actor, PERM_TRIAGE) && x->parent_id &&
           strcmp(actor->org.id, x->parent_id) == 0;
}

bool assessment__by_assessed_org(const rb_actor *actor, const rb_assessment *x)
{
    return work_may(actor, x, WHO_ASSESSED_ORG);
}

/* The start of every write: the assessment and its items (work_load), the caller's right to make
 * it (refused with the sentence `refusal`), and an open campaign (work_open). */
static int work_start(struct work *w, rb_db *db, const rb_actor *actor, rb_arena *a,
                      const char *id, enum work_who who, const char *refusal, rb_errinfo *ei)
{
    int rc = work_load(w, db, actor, a, id, ei);
    if (rc)
        return rc;
    if (!work_may(actor, &w->x, who))
        return rb_err(ei, RB_EPERM, "", "%s", refusal);
    return work_open(w, ei);
}

/* The org edits its answers and files only before submission, or after a return. */
static int work_editable(const struct work *w, rb_errinfo *ei)
{
    const char *s = w->x.status;
    if (strcmp(s, "not_started") != 0 && strcmp(s, "draft") != 0 && strcmp(s, "returned") != 0)
        return rb_err(ei, RB_ECONFLICT, "status", "the assessment is %s; it cannot be edited now",
                      s);
    return 0;
}

/* The item index of control_id, or -1 after naming the field (list "answers"/"decisions" and
 * position i, or list NULL for a lone "control_id"). */
static int work_control(const struct work *w, const char *list, int i, const char *control_id,
                        rb_errinfo *ei)
{
    int k = control_id ? find_item(w->items, w->nitems, control_id) : -1;
    if (k < 0) {
        char field[64];
        if (list)
            snprintf(field, sizeof(field), "%s[%d].control_id", list, i);
        else
            snprintf(field, sizeof(field), "control_id");
        rb_err(ei, RB_EINVAL, field, "the assessment has no control \"%.*s\"",
               RB_CUT(control_id, 64));
    }
    return k;
}

/* A list of per-control inputs that one write takes (the answers, the decisions): its name in
 * fields and refusals, the size of one item (each starts with its control_id), how one item is
 * checked before the write begins, check(w, i, k, item, ei), and how one is written inside it,
 * write(w, k, item); k is the item index of the item's control. */
struct work_list {
    const char *name;
    size_t size;
    int (*check)(const struct work *w, int i, int k, const void *item, rb_errinfo *ei);
    int (*write)(struct work *w, int k, const void *item);
};

/* Checks n (1 to 1000) inputs of list at in: each must name a control of the assessment, then
 * pass list->check; keeps each one's item index in w->ks. Returns 0 or the first refusal (ei
 * names the field, "answers[3].status"). */
static int work_check_list(struct work *w, const struct work_list *list, const void *in, int n,
                           rb_errinfo *ei)
{
    if (n < 1 || n > 1000)
        return rb_err(ei, RB_EINVAL, list->name, "send 1 to 1000 %s", list->name);
    if (!(w->ks = rb_arena_alloc(w->a, sizeof(int) * (size_t)n)))
        return rb_err(ei, RB_ENOMEM, "", "out of memory");
    for (int i = 0; i < n; i++) {
        const void *item = (const char *)in + (size_t)i * list->size;
        int k = work_control(w, list->name, i, *(const char *const *)item, ei);
        if (k < 0)
            return RB_EINVAL;
        int rc = list->check(w, i, k, item, ei);
        if (rc)
            return rc;
        w->ks[i] = k;
    }
    return 0;
}
_Static_assert(offsetof(struct answer_input, control_id) == 0, "work_check_list reads it first");
_Static_assert(offsetof(struct review_input, control_id) == 0, "work_check_list reads it first");

/* Begins a write on the loaded assessment (core/write): the lock and the credential again. */
static int work_begin(struct work *w, rb_db *db, const rb_actor *actor, rb_errinfo *ei)
{
    return write_begin(&w->wr, db, actor, ei);
}

/* A write of a list of per-control inputs: work_check_list, then work_begin. Returns 0 inside
 * the write, or the refusal with nothing begun. */
static int work_begin_list(struct work *w, rb_db *db, const rb_actor *actor,
                           const struct work_list *list, const void *in, int n, rb_errinfo *ei)
{
    int rc = work_check_list(w, list, in, n, ei);
    return rc ? rc : work_begin(w, db, actor, ei);
}

/* Inside the write work_begin_list began: writes each of the n inputs (list->write). Returns 0
 * or the first failure. */
static int work_write_list(struct work *w, const struct work_list *list, const void *in, int n)
{
    int rc = 0;
    for (int i = 0; !rc && i < n; i++)
        rc = list->write(w, w->ks[i], (const char *)in + (size_t)i * list->size);
    return rc;
}

/* Ends the write: the history event (when event_action is set), the audit entry and the commit;
 * or, when rc already failed or any of these fails, the rollback, with `fail` as the message.
 * Returns the final rc. */
static int work_commit(struct work *w, int rc, const char *event_action, const char *control,
                       const char *note, const char *audit_action, const char *fail)
{
    if (!rc && event_action)
        rc = history_add(&w->wr, &kind_assessment, w->x.id, event_action, control, note);
    return write_end(&w->wr, rc, audit_action, &kind_assessment, w->x.id, w->x.org_id, fail);
}

/* Sets status, answered count and updated_at (and optional timestamps) of an assessment. */
static int set_state(rb_db *db, const char *id, const char *status, const char *now,
                     bool submitted, bool reviewed)
{
    return db_exec(db,
                   "UPDATE assessments SET status = ?2, updated_at = ?3, answered = (SELECT "
                   "count(*) FROM assessment_answers WHERE assessment_id = ?1), submitted_at = "
                   "CASE WHEN ?4 = 1 THEN ?3 ELSE submitted_at END, reviewed_at = CASE WHEN ?5 = 1 "
                   "THEN ?3 ELSE reviewed_at END WHERE id = ?1",
                   DB_ARGS(DB_TEXT(id), DB_TEXT(status), DB_TEXT(now), DB_INT(submitted),
                           DB_INT(reviewed)));
}

/* An assessment's notes together stay under their caps, so the whole assessment can always be
 * served (docs/security.md, "Sizes"). Runs inside the write's transaction. */
static int check_totals(rb_db *db, const char *id, rb_errinfo *ei)
{
    rb_stmt *st = NULL;
    int rc = db_query(db,
                      "SELECT coalesce(sum(length(CAST(evidence AS BLOB))), 0), "
                      "coalesce(sum(length(CAST(review_comment AS BLOB))), 0) FROM "
                      "assessment_answers WHERE assessment_id = ?1",
                      DB_ARGS(DB_TEXT(id)), &st);
    if (rc)
        return rc;
    int64_t evidence = 0, comments = 0;
    if ((rc = db_step(st)) == DB_ROW) {
        evidence = db_col_int(st, 0);
        comments = db_col_int(st, 1);
        rc = 0;
    }
    db_done(st);
    if (rc < 0)
        return rc;
    if (evidence > ASSESSMENT_EVIDENCE_TOTAL_MAX)
        return rb_err(ei, RB_ETOOBIG, "answers",
                      "the assessment's evidence notes would total %" PRId64
                      " bytes; at most %d are kept with the answers (attach long evidence as "
                      "files)",
                      evidence, ASSESSMENT_EVIDENCE_TOTAL_MAX);
    if (comments > ASSESSMENT_COMMENTS_TOTAL_MAX)
        return rb_err(ei, RB_ETOOBIG, "decisions",
                      "the review comments would total %" PRId64 " bytes; at most %d are kept",
                      comments, ASSESSMENT_COMMENTS_TOTAL_MAX);
    return 0;
}


/* After the list is written, inside the write: the assessment's status and answered count
 * (set_state), then the caps on its notes together (check_totals). */
static int work_settle(struct work *w, int rc, const char *status, bool reviewed)
{
    if (!rc)
        rc = set_state(w->wr.db, w->x.id, status, w->wr.now, false, reviewed);
    return rc ? rc : check_totals(w->wr.db, w->x.id, w->wr.ei);
}

/* One answer of assessment_save, checked before the write begins. */
static int check_answer(const struct work *w, int i, int k, const void *item, rb_errinfo *ei)
{
    const struct answer_input *in = item;
    char field[64];
    if (in->status < 0 || in->status >= ANSWER__COUNT) {
        snprintf(field, sizeof(field), "answers[%d].status", i);
        return rb_err(ei, RB_EINVAL, field,
                      "status must be implemented, partial, planned, not_implemented or "
                      "not_applicable");
    }
    if (in->maturity < 0 || in->maturity > 5) {
        snprintf(field, sizeof(field), "answers[%d].maturity", i);
        return rb_err(ei, RB_EINVAL, field, "maturity must be 0 to 5");
    }
    snprintf(field, sizeof(field), "answers[%d].evidence", i);
    int rc = rb_field_checks(FIELD_NOTE, field, in->evidence, ei);
    if (rc)
        return rc;
    if (w->items[k].review && strcmp(w->items[k].review, "accepted") == 0) {
        snprintf(field, sizeof(field), "answers[%d].control_id", i);
        return rb_err(ei, RB_ECONFLICT, field,
                      "control %.*s was accepted by the reviewer and is locked",
                      RB_CUT(in->control_id, 64));
    }
    return 0;
}

/* One answer of assessment_save, inside the write. */
static int put_answer(struct work *w, int k, const void *item)
{
    const struct answer_input *in = item;
    return db_exec(w->wr.db,
                   "INSERT INTO assessment_answers(assessment_id, control_idx, status, maturity, "
                   "evidence, updated_at) VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT "
                   "(assessment_id, control_idx) DO UPDATE SET status = excluded.status, "
                   "maturity = excluded.maturity, evidence = excluded.evidence, updated_at = "
                   "excluded.updated_at",
                   DB_ARGS(DB_TEXT(w->x.id), DB_INT(w->items[k].idx),
                           DB_TEXT(rb_answer_status_names[in->status]),
                           DB_INT(in->status == ANSWER_NOT_APPLICABLE ? 0 : in->maturity),
                           DB_TEXT(rb_empty(in->evidence) ? NULL : in->evidence),
                           DB_TEXT(w->wr.now)));
}

static const struct work_list answer_list = {"answers", sizeof(struct answer_input), check_answer,
                                             put_answer};

int assessment_save(rb_db *db, const rb_actor *actor, rb_arena *a, const char *id,
                    const struct answer_input *in, int n, rb_errinfo *ei)
{
    struct work wk;
    int rc = work_start(&wk, db, actor, a, id, WHO_ASSESSED_ORG,
                        "only the assessed org's reporters, analysts and admins fill its "
                        "assessment",
                        ei);
    if (rc || (rc = work_editable(&wk, ei)))
        goto out;
    bool returned = strcmp(wk.x.status, "returned") == 0;
    if ((rc = work_begin_list(&wk, db, actor, &answer_list, in, n, ei)))
        goto out;
    rc = work_write_list(&wk, &answer_list, in, n);
    rc = work_settle(&wk, rc, returned ? "returned" : "draft", false);
    char note[32];
    snprintf(note, sizeof(note), "%d answer%s", n, n == 1 ? "" : "s");
    rc = work_commit(&wk, rc, "saved", NULL, note, "assessment.save", "cannot save the answers");
out:
    return rc;
}

int assessment_submit(rb_db *db, const rb_actor *actor, rb_arena *a, const char *id,
                      rb_errinfo *ei)
{
    struct work wk;
    int rc = work_start(&wk, db, actor, a, id, WHO_ASSESSED_ORG,
                        "only the assessed org submits its assessment", ei);
    if (rc)
        goto out;
    const rb_assessment *x = &wk.x;
    if (strcmp(x->status, "draft") != 0 && strcmp(x->status, "returned") != 0) {
        rc = rb_err(ei, RB_ECONFLICT, "status", "the assessment is %s; only a draft or a returned "
                                                "assessment can be submitted",
                    x->status);
        goto out;
    }
    struct score_item *si = rb_arena_alloc(wk.a, sizeof(*si) * (size_t)(wk.nitems + 1));
    if (!si) {
        rc = RB_ENOMEM;
        goto out;
    }
    int missing = 0;
    for (int i = 0; i < wk.nitems; i++)
        missing += !wk.items[i].answered;
    if (missing) {
        rc = rb_err(ei, RB_EINVAL, "answers",
                    "%d of %d controls are not answered yet; answer every control (use "
                    "not_applicable where one does not apply) before submitting",
                    missing, wk.nitems);
        goto out;
    }
    int uniq[SCORE_MAX_DOMAINS], nuniq = 0;
    for (int i = 0; i < wk.nitems; i++) {
        int s = rb_name_index(rb_answer_status_names, wk.items[i].status);
        if (s < 0)
            s = ANSWER_NONE;
        /* Scores index domains compactly: their rank among the distinct domains seen. */
        int d = -1;
        int domain = wk.items[i].domain_idx;
        for (int k = 0; k < nuniq && d < 0; k++)
            if (uniq[k] == domain)
                d = k;
        if (d < 0 && domain >= 0 && nuniq < SCORE_MAX_DOMAINS) {
            uniq[nuniq] = domain;
            d = nuniq++;
        }
        si[i].domain = d;
        si[i].weight = wk.items[i].weight;
        si[i].status = s;
        si[i].maturity = wk.items[i].maturity;
    }
    struct score_result res;
    score_compute(si, wk.nitems, &res);
    if ((rc = work_begin(&wk, db, actor, ei)))
        goto out;
    const char *now = wk.wr.now;
    /* Returned controls go back to the reviewer; accepted ones stay accepted. */
    rc = db_exec(db,
                 "UPDATE assessment_answers SET review = NULL, review_comment = NULL WHERE "
                 "assessment_id = ?1 AND review = 'returned'",
                 DB_ARGS(DB_TEXT(id)));
    rb_buf ds;
    rb_buf_init(&ds, 64 * SCORE_MAX_DOMAINS);
    for (int d = 0; d < nuniq; d++)
        if (res.domain_score[d] >= 0)
            rb_buf_printf(&ds, "%d:%.6f;", uniq[d], res.domain_score[d]);
    if (!rc)
        rc = db_exec(db, "UPDATE assessments SET score = ?2, domain_scores = ?3 WHERE id = ?1",
                     DB_ARGS(DB_TEXT(id), DB_DOUBLE_OR_NULL(res.score >= 0, res.score),
                             DB_TEXT(ds.len ? rb_buf_cstr(&ds) : NULL)));
    rb_buf_release(&ds);
    if (!rc)
        rc = set_state(db, id, "submitted", now, true, false);
    char note[48];
    snprintf(note, sizeof(note), "score %.1f", res.score < 0 ? 0.0 : res.score);
    rc = work_commit(&wk, rc, "submitted", NULL, note, "assessment.submit",
                     "cannot submit the assessment");
out:
    return rc;
}

/* One decision of assessment_review, checked before the write begins. */
static int check_decision(const struct work *w, int i, int k, const void *item, rb_errinfo *ei)
{
    RB_UNUSED(w);
    RB_UNUSED(k);
    const struct review_input *in = item;
    char field[64];
    snprintf(field, sizeof(field), "decisions[%d].comment", i);
    if (!in->accept && (!in->comment || !in->comment[0]))
        return rb_err(ei, RB_EINVAL, field, "say why the control is returned (a comment)");
    return rb_field_checks(FIELD_NOTE, field, in->comment, ei);
}

/* One decision of assessment_review, inside the write, with its history event. */
static int put_decision(struct work *w, int k, const void *item)
{
    const struct review_input *in = item;
    int rc = db_exec(w->wr.db,
                     "UPDATE assessment_answers SET review = ?3, review_comment = ?4 WHERE "
                     "assessment_id = ?1 AND control_idx = ?2",
                     DB_ARGS(DB_TEXT(w->x.id), DB_INT(w->items[k].idx),
                             DB_TEXT(in->accept ? "accepted" : "returned"),
                             DB_TEXT(rb_empty(in->comment) ? NULL : in->comment)));
    return rc ? rc
              : history_add(&w->wr, &kind_assessment, w->x.id,
                            in->accept ? "control accepted" : "control returned", in->control_id,
                            in->comment);
}

static const struct work_list decision_list = {"decisions", sizeof(struct review_input),
                                               check_decision, put_decision};

int assessment_review(rb_db *db, const rb_actor *actor, rb_arena *a, const char *id,
                      const struct review_input *in, int n, rb_errinfo *ei)
{
    struct work wk;
    int rc = work_start(&wk, db, actor, a, id, WHO_PARENT_CERT,
                        "only analysts of the org's parent CERT review it", ei);
    if (rc)
        goto out;
    if (strcmp(wk.x.status, "submitted") != 0) {
        rc = rb_err(ei, RB_ECONFLICT, "status",
                    "the assessment is %s; only a submitted assessment can be reviewed",
                    wk.x.status);
        goto out;
    }
    if ((rc = work_begin_list(&wk, db, actor, &decision_list, in, n, ei)))
        goto out;
    rc = work_write_list(&wk, &decision_list, in, n);
    /* Whole-assessment outcome once every control carries a decision. */
    int64_t pending = 0, returned = 0;
    if (!rc) {
        rb_stmt *st = NULL;
        if (!(rc = db_query(db,
                            "SELECT sum(CASE WHEN review IS NULL THEN 1 ELSE 0 END), sum(CASE "
                            "WHEN review = 'returned' THEN 1 ELSE 0 END) FROM assessment_answers "
                            "WHERE assessment_id = ?1",
                            DB_ARGS(DB_TEXT(id)), &st))) {
            if (db_step(st) == DB_ROW) {
                pending = db_col_int(st, 0);
                returned = db_col_int(st, 1);
            }
            db_done(st);
        }
    }
    const char *outcome = pending > 0 ? "submitted" : (returned > 0 ? "returned" : "accepted");
    rc = work_settle(&wk, rc, outcome, pending == 0);
    rc = work_commit(&wk, rc, pending == 0 ? (returned ? "returned" : "accepted") : NULL, NULL,
                     NULL, "assessment.review", "cannot record the review");
out:
    return rc;
}

/* The last path component of a file name, as core/files keeps it (for the history note). */
static const char *file_base(const char *filename)
{
    const char *base = filename ? filename : "";
    for (const char *p = base; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    return base;
}

int assessment_attach(rb_db *db, const rb_actor *actor, rb_arena *a, const char *id,
                      const char *control_id,
                      const char *filename, const char *content_type, const void *data,
                      size_t len, char out_id[RB_ID_SIZE], rb_errinfo *ei)
{
    struct work wk;
    int rc = work_start(&wk, db, actor, a, id, WHO_ASSESSED_ORG,
                        "only the assessed org attaches evidence to its assessment", ei);
    if (rc)
        goto out;
    if ((rc = work_editable(&wk, ei)))
        goto out;
    int k = work_control(&wk, NULL, 0, control_id, ei);
    if (k < 0) {
        rc = RB_EINVAL;
        goto out;
    }
    if (wk.items[k].review && strcmp(wk.items[k].review, "accepted") == 0) {
        rc = rb_err(ei, RB_ECONFLICT, "control_id", "control %.*s was accepted and is locked",
                    RB_CUT(control_id, 64));
        goto out;
    }
    char aid[RB_ID_SIZE];
    if ((rc = work_begin(&wk, db, actor, ei)))
        goto out;
    /* Files rank by their control's place in the catalog, so they list in catalog order. */
    rc = files_add(&wk.wr, &kind_assessment, id, control_id, wk.items[k].idx, filename,
                   content_type, data, len, aid);
    rc = work_commit(&wk, rc, "evidence attached", control_id, rc ? NULL : file_base(filename),
                     "assessment.attach", "cannot store the file");
    if (rc)
        goto out;
    rb_strlcpy(out_id, aid, RB_ID_SIZE);
out:
    return rc;
}

static const struct rb_member attachment_members[] = {
    RB_MEMBERS(rb_attachment, id, control_id, filename, content_type, size, sha256, created_by,
               created_at),
};
const struct rb_record assessment_attachment_record = RB_RECORD(rb_attachment, attachment_members);
static const struct rb_member event_members[] = {
    RB_MEMBERS(rb_assessment_event, at, actor, action, control_id, comment),
};
const struct rb_record assessment_event_record = RB_RECORD(rb_assessment_event, event_members);

static void attachment_from_file(const rb_file *f, rb_attachment *t)
{
    t->id = f->id;
    t->control_id = f->part;
    t->filename = f->filename;
    t->content_type = f->content_type;
    t->sha256 = f->sha256;
    t->created_by = f->created_by;
    t->created_at = f->created_at;
    t->size = f->size;
}

int assessment_attachments(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                           rb_attachment **out, int *n)
{
    rb_file *files = NULL;
    int nf = 0;
    int rc = files_list(db, actor, &kind_assessment, id, a, &files, &nf);
    if (rc)
        return rc;
    rb_attachment *rows = rb_arena_alloc(a, sizeof(*rows) * (size_t)(nf + 1));
    if (!rows)
        return RB_ENOMEM;
    for (int i = 0; i < nf; i++)
        attachment_from_file(&files[i], &rows[i]);
    *out = rows;
    *n = nf;
    return 0;
}

int assessment_attachment(rb_db *db, const rb_actor *actor, const char *id, const char *att_id,
                          rb_arena *a, rb_attachment *meta, const void **data)
{
    rb_file f;
    int rc = files_get(db, actor, &kind_assessment, id, att_id, a, &f, data);
    if (!rc)
        attachment_from_file(&f, meta);
    return rc;
}

int assessment_history(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                       rb_assessment_event **out, int *n)
{
    rb_event *ev = NULL;
    bool more = false;
    int rc = history_list(db, actor, &kind_assessment, id, 0, HISTORY_PAGE_MAX, a, &ev, n, &more);
    if (rc)
        return rc;
    rb_assessment_event *rows = rb_arena_alloc(a, sizeof(*rows) * (size_t)(*n + 1));
    if (!rows)
        return RB_ENOMEM;
    for (int i = 0; i < *n; i++)
        rows[i] = (rb_assessment_event){ev[i].at, ev[i].actor, ev[i].action, ev[i].part,
                                        ev[i].comment};
    *out = rows;
    return 0;
}

/* The name of org id (the reviewing CERT), an arena copy; NULL when there is none. */
static int org_name_of(rb_db *db, const char *id, rb_arena *a, const char **out)
{
    char *name = NULL;
    int rc = id ? db_query_text(db, "SELECT name FROM orgs WHERE id = ?1", DB_ARGS(DB_TEXT(id)), a,
                                &name)
                : 0;
    *out = name;
    return rc;
}

int assessment_oscal_uuid(const char *assessment_id, const char *what, const char *part,
                          char out[RB_ID_SIZE])
{
    char name[256];
    rb_fmt(name, sizeof(name), "assessment/%s/%s%s%s", assessment_id, what, part ? "/" : "",
           part ? part : "");
    return rb_uuid_v5(OSCAL_UUID_NS, name, out);
}

int assessment__oscal(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                      struct assessment_oscal *out)
{
    struct work wk;
    rb_attachment *att = NULL;
    int natt = 0;
    const char *ns = NULL, *reviewer = NULL;
    int rc = work_load(&wk, db, actor, a, id, NULL);
    if (rc || (rc = assessment_attachments(db, actor, id, wk.a, &att, &natt)) ||
        (rc = settings_namespace(db, wk.a, &ns)) ||
        (rc = org_name_of(db, wk.x.parent_id, wk.a, &reviewer)))
        goto out;
    out->x = wk.x;
    out->items = wk.items;
    out->nitems = wk.nitems;
    const rb_assessment *x = &out->x;
    int n = wk.nitems;
    /* The document's uuids are derived from rabta's ids here (the same in every export), so the
     * writer stays pure. Control ids are unique in a catalog (the import refuses duplicates), so
     * each file belongs to one item: natt slots. */
    struct oscal_result_item *items = rb_arena_alloc(wk.a, sizeof(*items) * (size_t)(n + 1));
    struct oscal_evidence *files = rb_arena_alloc(wk.a, sizeof(*files) * (size_t)(natt + 1));
    char(*uuids)[RB_ID_SIZE] = rb_arena_alloc(wk.a, sizeof(*uuids) * (size_t)(2 * n + 1));
    char(*links)[160] = rb_arena_alloc(wk.a, sizeof(*links) * (size_t)(natt + 1));
    char *plan = rb_arena_alloc(wk.a, 128), *result_uuid = rb_arena_alloc(wk.a, RB_ID_SIZE);
    rc = RB_ENOMEM;
    if (!items || !files || !uuids || !links || !plan || !result_uuid)
        goto out;
    /* last-modified moves with every change: a state change, an answer, a file. */
    const char *last = x->updated_at;
    int nf = 0;
    for (int i = 0; i < n; i++) {
        const rb_assessment_item *it = &wk.items[i];
        struct oscal_result_item *o = &items[i];
        if ((rc = assessment_oscal_uuid(x->id, "observation", it->control_id, uuids[2 * i])) ||
            (rc = assessment_oscal_uuid(x->id, "finding", it->control_id, uuids[2 * i + 1])))
            goto out;
        *o = (struct oscal_result_item){
            .control_id = it->control_id,
            .label = it->label,
            .title = it->title,
            .statement = it->statement,
            .status = it->answered ? it->status : NULL,
            .maturity = it->maturity,
            .evidence = it->evidence,
            .answered_at = it->answered ? it->answered_at : NULL,
            .review = it->answered ? it->review : NULL,
            .review_comment = it->answered ? it->review_comment : NULL,
            .files = &files[nf],
            .observation_uuid = uuids[2 * i],
            .finding_uuid = uuids[2 * i + 1],
        };
        if (it->answered)
            last = assessment__later(last, it->answered_at);
        for (int k = 0; k < natt && nf < natt; k++) {
            if (strcmp(att[k].control_id, it->control_id) != 0)
                continue;
            char *href = links[nf];
            snprintf(href, sizeof(links[nf]), "/api/v1/assessments/%s/attachments/%s", x->id,
                     att[k].id);
            files[nf++] =
                (struct oscal_evidence){href, att[k].filename, att[k].size, att[k].sha256};
            o->nfiles++;
            last = assessment__later(last, att[k].created_at);
        }
    }
    snprintf(plan, 128, "/api/v1/campaigns/%s/oscal", x->campaign_id);
    if ((rc = assessment_oscal_uuid(x->id, "result", NULL, result_uuid)))
        goto out;
    out->r = (struct oscal_results){
        .uuid = x->id,
        .campaign_title = x->campaign_title,
        .org_name = x->org_name,
        .org_uuid = x->org_id,
        .reviewer_uuid = reviewer ? x->parent_id : NULL,
        .reviewer_name = reviewer,
        .status = x->status,
        .score = x->score,
        .last_modified = last,
        .updated_at = x->updated_at,
        .submitted_at = x->submitted_at,
        .reviewed_at = x->reviewed_at,
        .plan_href = plan,
        .result_uuid = result_uuid,
        .ns = ns,
        .marking = oscal_marking(x->tlp),
        .items = items,
        .nitems = n,
    };
out:
    return rc;
}

int assessment_export_oscal(rb_db *db, const rb_actor *actor, const char *id, rb_buf *out)
{
    rb_arena own;
    rb_arena_init(&own, ASSESSMENT_EXPORT_ARENA);
    struct assessment_oscal ao;
    int rc = assessment__oscal(db, actor, id, &own, &ao);
    if (!rc)
        rc = oscal_results_write(&ao.r, out);
    rb_arena_release(&own);
    return rc;
}
