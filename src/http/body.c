/*
 * body.c - the readers of every JSON request body (see body.h).
 *
 * Must never: accept a member of the wrong type silently, keep a string that breaks its field
 * rule, or read past an array's declared bounds.
 */
#include "base/common.h"
#include "core/auth.h"
#include "core/policy.h"
#include "core/score.h"
#include "core/user.h"
#include "formats/oscal.h"
#include "http/body.h"
#include "http/risks.h"
#include "http/body_advisories.h"
#include "http/body_incidents.h"
#include "http/inventory.h"
#include "http/trainings.h"

#define PASSWORD_INPUT_MAX 1024 /* what the password rules (core/user) then judge */

const char *const *body_members(const struct body_def *def, const char *names[BODY_MEMBERS_MAX + 1])
{
    if (def->members)
        return def->members;
    size_t n = def->nfields < BODY_MEMBERS_MAX ? def->nfields : BODY_MEMBERS_MAX;
    for (size_t i = 0; i < n; i++)
        names[i] = def->fields[i].name;
    names[n] = NULL;
    return names;
}

int body_read_fields(const cJSON *b, const struct body_field *f, size_t n, void *out,
                     rb_errinfo *ei)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        void *m = (char *)out + f[i].offset;
        switch (f[i].type) {
        case BF_T_TEXT:
            rc = rj_text(b, f[i].name, f[i].required, (enum rb_field_kind)f[i].rule, m, ei);
            break;
        case BF_T_STR:
            rc = rj_str(b, f[i].name, f[i].required, (size_t)f[i].rule, m, ei);
            break;
        case BF_T_ENUM:
            *(int *)m = -1;
            rc = rj_enum(b, f[i].name, f[i].required, f[i].names, m, ei);
            break;
        case BF_T_BOOL:
            rc = rj_bool(b, f[i].name, f[i].required, m, ei);
            break;
        case BF_T_INT: {
            int64_t v = 0;
            rc = rj_int(b, f[i].name, f[i].required, f[i].lo, f[i].hi, &v, ei);
            *(int *)m = (int)v;
            break;
        }
        case BF_T_FLAG: {
            bool v = false;
            rc = rj_bool(b, f[i].name, f[i].required, &v, ei);
            *(int *)m = rj_has(b, f[i].name) ? v : -1;
            break;
        }
        }
    }
    return rc;
}

/* Create and update share one reader; JSON null clears an optional member (update). */
static int read_org(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    rb_org_input *in = out;
    RB_UNUSED(a);
    org_input_init(in);
    int kind = -1;
    bool cii = false;
    int64_t grade = -1;
    int rc;
    if ((rc = rj_text(b, "parent_id", false, FIELD_ID, &in->parent_id, ei)) ||
        (rc = rj_enum(b, "kind", false, rb_org_kind_names, &kind, ei)) ||
        (rc = rj_text(b, "name", false, FIELD_NAME, &in->name, ei)) ||
        (rc = rj_text(b, "short_name", false, FIELD_SHORT, &in->short_name, ei)) ||
        (rc = rj_text(b, "province", false, FIELD_ID, &in->province, ei)) ||
        (rc = rj_text(b, "sector", false, FIELD_ID, &in->sector, ei)) ||
        (rc = rj_bool(b, "cii", false, &cii, ei)) ||
        (rc = rj_int(b, "cii_grade", false, 1, 3, &grade, ei)) ||
        (rc = rj_text(b, "cii_review_date", false, FIELD_ID, &in->cii_review_date, ei)))
        return rc;
    in->kind = kind;
    if (rj_has(b, "cii"))
        in->cii = cii ? 1 : 0;
    if (rj_has(b, "cii_grade"))
        in->cii_grade = (int)grade;
    static const char *const clearable[] = {"short_name", "province", "sector", "cii_review_date"};
    const char **slots[] = {&in->short_name, &in->province, &in->sector, &in->cii_review_date};
    for (size_t i = 0; i < RB_ARRAY_LEN(clearable); i++)
        if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(b, clearable[i])))
            *slots[i] = "";
    return 0;
}

static int read_token(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    struct token_body *t = out;
    RB_UNUSED(a);
    int64_t days = 90;
    int rc = rj_text(b, "name", true, FIELD_NAME, &t->name, ei);
    if (!rc)
        rc = rj_int(b, "expires_in_days", false, 1, AUTH_TOKEN_MAX_DAYS, &days, ei);
    t->days = (int)days;
    return rc;
}

/* A list of names (applies_kinds, applies_sectors) joined with commas for core. */
static int read_names(const cJSON *b, const char *key, rb_arena *a, char **out, rb_errinfo *ei)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(b, key);
    *out = NULL;
    if (!arr || cJSON_IsNull(arr))
        return 0;
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > PROFILE_MAX_LIST)
        return rb_err(ei, RB_EINVAL, key, "\"%s\" must be an array of at most %d names", key,
                      PROFILE_MAX_LIST);
    rb_buf jb;
    rb_buf_init(&jb, 4096);
    const cJSON *it;
    int rc = 0;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsString(it) || strchr(it->valuestring, ',') ||
            rb_field_checks(FIELD_ID, key, it->valuestring, NULL)) {
            rc = rb_err(ei, RB_EINVAL, key, "\"%s\" must hold names (like \"institution\")", key);
            break;
        }
        if (jb.len)
            rb_buf_addc(&jb, ',');
        rb_buf_adds(&jb, it->valuestring);
    }
    if (!rc && jb.err)
        rc = rb_err(ei, RB_EINVAL, key, "\"%s\" is too long", key);
    if (!rc && !(*out = rb_arena_strdup(a, rb_buf_cstr(&jb))))
        rc = rb_err(ei, RB_ENOMEM, "", "out of memory");
    rb_buf_release(&jb);
    return rc;
}

static int read_profile(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    struct profile_body *p = out;
    char *kinds = NULL, *sectors = NULL;
    bool cii_only = false;
    int64_t grade = 0;
    int rc;
    if ((rc = read_names(b, "applies_kinds", a, &kinds, ei)) ||
        (rc = read_names(b, "applies_sectors", a, &sectors, ei)) ||
        (rc = rj_bool(b, "cii_only", false, &cii_only, ei)) ||
        (rc = rj_int(b, "min_cii_grade", false, 0, 3, &grade, ei)))
        return rc;
    p->ap.cii_only = cii_only;
    p->ap.min_cii_grade = (int)grade;
    if ((rc = profile_applicability_parse(&p->ap, kinds, sectors, a, ei)) ||
        (rc = rj_text(b, "catalog_id", false, FIELD_ID, &p->catalog_id, ei)) ||
        (rc = rj_text(b, "title", false, FIELD_TITLE, &p->title, ei)))
        return rc;
    const cJSON *oscal = cJSON_GetObjectItemCaseSensitive(b, "oscal");
    if (oscal && !cJSON_IsNull(oscal)) {
        if (!cJSON_IsObject(oscal))
            return rb_err(ei, RB_EINVAL, "oscal", "\"oscal\" must be an OSCAL profile document");
        p->oscal = oscal;
        return 0;
    }
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(b, "control_ids");
    int n = cJSON_IsArray(ids) ? cJSON_GetArraySize(ids) : 0;
    if (n < 1 || n > OSCAL_MAX_CONTROLS)
        return rb_err(ei, RB_EINVAL, "control_ids",
                      "\"control_ids\" must list 1 to %d ticked controls' ids (or send \"oscal\")",
                      OSCAL_MAX_CONTROLS);
    if (!(p->control_ids = rb_arena_alloc(a, sizeof(char *) * (size_t)n)))
        return rb_err(ei, RB_ENOMEM, "", "out of memory");
    const cJSON *it;
    cJSON_ArrayForEach(it, ids)
    {
        if (!cJSON_IsString(it) || rb_field_checks(FIELD_ID, "control_ids", it->valuestring, NULL))
            return rb_err(ei, RB_EINVAL, "control_ids",
                          "control ids must be strings of at most %zu bytes",
                          rb_field_max(FIELD_ID));
        p->control_ids[p->ncontrols++] = it->valuestring;
    }
    if (!p->catalog_id || !p->title)
        return rb_err(ei, RB_EINVAL, p->catalog_id ? "title" : "catalog_id",
                      "\"catalog_id\" and \"title\" are required");
    return 0;
}

static int read_answer(const cJSON *it, int i, void *ctx, rb_errinfo *ei)
{
    struct answer_input *x = (struct answer_input *)ctx + i;
    int64_t maturity = 0;
    int st = -1, rc;
    if ((rc = rj_text(it, "control_id", true, FIELD_ID, &x->control_id, ei)) ||
        (rc = rj_enum(it, "status", true, rb_answer_status_names, &st, ei)) ||
        (rc = rj_int(it, "maturity", st != ANSWER_NOT_APPLICABLE, 0, 5, &maturity, ei)) ||
        (rc = rj_text(it, "evidence", false, FIELD_NOTE, &x->evidence, ei)))
        return rc;
    x->status = st;
    x->maturity = (int)maturity;
    return 0;
}

#define LIST_MAX 1000 /* answers or decisions in one request */

/* Reads the array b.key, 1 to LIST_MAX items of the members fields, each by read_one into the i-th
 * item of an array of item_size bytes each it allocates in a. Returns the array, *n its items, and
 * *rc 0; or NULL with *rc the error. */
static void *read_list(const cJSON *b, const char *key, const char *const *fields,
                       rj_item_fn read_one, size_t item_size, rb_arena *a, int *n, int *rc,
                       rb_errinfo *ei)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(b, key);
    int count = cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : 0;
    void *room = NULL;
    if (count > 0 && count <= LIST_MAX && !(room = rb_arena_alloc(a, item_size * (size_t)count)))
        *rc = rb_err(ei, RB_ENOMEM, "", "out of memory");
    else
        *rc = rj_items(b, key, 1, LIST_MAX, fields, read_one, room, ei);
    *n = *rc ? 0 : count;
    return *rc ? NULL : room;
}

static int read_answers(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    static const char *const fields[] = {"control_id", "status", "maturity", "evidence", NULL};
    struct answers_body *ab = out;
    int rc;
    ab->items =
        read_list(b, "answers", fields, read_answer, sizeof(*ab->items), a, &ab->n, &rc, ei);
    return rc;
}

static int read_decision(const cJSON *it, int i, void *ctx, rb_errinfo *ei)
{
    static const char *const decisions[] = {"accept", "return", NULL};
    struct review_input *x = (struct review_input *)ctx + i;
    int d = -1, rc;
    if ((rc = rj_text(it, "control_id", true, FIELD_ID, &x->control_id, ei)) ||
        (rc = rj_enum(it, "decision", true, decisions, &d, ei)) ||
        (rc = rj_text(it, "comment", false, FIELD_NOTE, &x->comment, ei)))
        return rc;
    x->accept = d == 0;
    return 0;
}

static int read_review(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    static const char *const fields[] = {"control_id", "decision", "comment", NULL};
    struct review_body *rb = out;
    int rc;
    rb->items =
        read_list(b, "decisions", fields, read_decision, sizeof(*rb->items), a, &rb->n, &rc, ei);
    return rc;
}

static int read_grant(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    struct grant_body *g = out;
    RB_UNUSED(a);
    g->scope = SCOPE_ORG;
    int rc = rj_text(b, "org_id", true, FIELD_ID, &g->org_id, ei);
    if (!rc)
        rc = rj_enum(b, "scope", false, rb_scope_names, &g->scope, ei);
    return rc;
}

static int read_tlp(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    RB_UNUSED(a);
    return rj_enum(b, "tlp", true, tlp_names, &((struct tlp_body *)out)->tlp, ei);
}

BODY_FIELDS(body_session, "session", struct session_body,
            BF_TEXT(struct session_body, email, true, FIELD_EMAIL),
            BF_STR(struct session_body, password, true, PASSWORD_INPUT_MAX));
BODY_FIELDS(body_password, "password", struct password_body,
            BF_STR(struct password_body, current_password, true, PASSWORD_INPUT_MAX),
            BF_STR(struct password_body, password, true, PASSWORD_INPUT_MAX));
BODY(body_org, "org", rb_org_input, read_org, "parent_id", "kind", "name", "short_name", "province",
     "sector", "cii", "cii_grade", "cii_review_date");
BODY_FIELDS(body_user, "user", rb_user_input, BF_TEXT(rb_user_input, email, true, FIELD_EMAIL),
            BF_TEXT(rb_user_input, name, true, FIELD_NAME),
            BF_ENUM(rb_user_input, role, true, rb_role_names),
            BF_STR(rb_user_input, password, true, PASSWORD_INPUT_MAX),
            BF_TEXT(rb_user_input, org_id, false, FIELD_ID));
BODY_FIELDS(body_user_update, "user_update", struct user_update_body,
            BF_BOOL(struct user_update_body, disabled, true));
BODY_FIELDS(body_user_password, "user_password", struct user_password_body,
            BF_STR(struct user_password_body, password, true, PASSWORD_INPUT_MAX));
BODY(body_token, "token", struct token_body, read_token, "name", "expires_in_days");
BODY(body_profile, "profile", struct profile_body, read_profile, "catalog_id", "title",
     "control_ids", "applies_kinds", "applies_sectors", "cii_only", "min_cii_grade", "oscal");
BODY_FIELDS(body_campaign, "campaign", struct campaign_input,
            BF_TEXT(struct campaign_input, profile_id, true, FIELD_ID),
            BF_TEXT(struct campaign_input, title, true, FIELD_TITLE),
            BF_TEXT(struct campaign_input, due_date, true, FIELD_ID),
            BF_TEXT(struct campaign_input, kind, false, FIELD_ID),
            BF_TEXT(struct campaign_input, province, false, FIELD_ID),
            BF_TEXT(struct campaign_input, sector, false, FIELD_ID));
BODY(body_answers, "answers", struct answers_body, read_answers, "answers");
BODY(body_review, "review", struct review_body, read_review, "decisions");
/* A POA&M plan: each member optional, null or blank to clear it (core/assessment_poam). */
BODY_FIELDS(body_poam, "poam", struct poam_input,
            BF_TEXT(struct poam_input, owner, false, FIELD_NAME),
            BF_TEXT(struct poam_input, due_date, false, FIELD_ID),
            BF_TEXT(struct poam_input, weakness, false, FIELD_NOTE));
BODY(body_grant, "grant", struct grant_body, read_grant, "org_id", "scope");
BODY(body_tlp, "tlp", struct tlp_body, read_tlp, "tlp");

const struct body_def *const rb_bodies[] = {&body_session,
                                            &body_password,
                                            &body_org,
                                            &body_user,
                                            &body_user_update,
                                            &body_user_password,
                                            &body_token,
                                            &body_profile,
                                            &body_campaign,
                                            &body_answers,
                                            &body_review,
                                            &body_grant,
                                            &body_tlp,
                                            &body_incident,
                                            &body_incident_update,
                                            &body_escalate,
                                            &body_comment,
                                            &body_stage,
                                            &body_merge,
                                            &body_link,
                                            &body_task,
                                            &body_task_update,
                                            &body_inbox_read,
                                            &body_reporting,
                                            &body_webhook,
                                            &body_me,
                                            &body_advisory,
                                            &body_advisory_update,
                                            &body_publish,
                                            &body_ack,
                                            &body_adv_policy,
                                            &body_inventory,
                                            &body_inventory_update,
                                            &body_risk,
                                            &body_risk_update,
                                            &body_risk_accept,
                                            &body_risk_matrix,
                                            &body_poam,
                                            &body_training,
                                            &body_training_update,
                                            &body_training_invite,
                                            &body_training_person,
                                            &body_training_attend,
                                            &body_training_feedback,
                                            &body_training_link,
                                            &body_training_unregister,
                                            NULL};
