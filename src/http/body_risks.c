/*
 * body_risks.c - the readers of the bodies of risks and of the risk matrix (see body.h).
 *
 * Must never: accept a member of the wrong type silently, or keep a string that breaks its field
 * rule (core checks the risk's own rules again: the matrix's range, dates, the treatment).
 */
#include "base/common.h"
#include "formats/tlp.h"
#include "http/body.h"
#include "http/risks.h"

/* A step of the matrix: a whole number from 1 (core knows the matrix's size). */
static int read_step(const cJSON *b, const char *key, int *out, rb_errinfo *ei)
{
    int64_t v = 0;
    int rc = rj_int(b, key, false, -1000000, 1000000, &v, ei);
    if (rc || !rj_has(b, key))
        return rc;
    if (v < 1)
        return rb_err(ei, RB_EINVAL, key,
                      "\"%s\" is a step of the risk matrix, from 1 (GET /api/v1/risk-matrix "
                      "gives its size)",
                      key);
    *out = (int)v;
    return 0;
}

/* A text that JSON null clears (""), for a change. */
static int read_clearable(const cJSON *b, const char *key, enum rb_field_kind kind,
                          const char **out, rb_errinfo *ei)
{
    if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(b, key))) {
        *out = "";
        return 0;
    }
    return rj_text(b, key, false, kind, out, ei);
}

static int read_controls(const cJSON *b, rb_arena *a, struct risk_input *in, rb_errinfo *ei)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(b, "control_ids");
    if (!arr || cJSON_IsNull(arr)) {
        if (arr)
            in->controls_given = true;
        return 0;
    }
    if (!cJSON_IsArray(arr))
        return rb_err(ei, RB_EINVAL, "control_ids",
                      "\"control_ids\" must be a list of control ids (\"iam-3\")");
    int n = cJSON_GetArraySize(arr);
    if (n > RISK_CONTROLS_MAX)
        return rb_err(ei, RB_EINVAL, "control_ids", "a risk links at most %d controls",
                      RISK_CONTROLS_MAX);
    in->control_ids = rb_arena_alloc(a, sizeof(*in->control_ids) * (size_t)(n + 1));
    if (!in->control_ids)
        return rb_err(ei, RB_ENOMEM, "", "out of memory");
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsString(it) || rb_field_checks(FIELD_ID, "control_ids", it->valuestring, ei))
            return rb_err(ei, RB_EINVAL, "control_ids", "control_ids[%d] must be a control id",
                          in->ncontrols);
        in->control_ids[in->ncontrols++] = it->valuestring;
    }
    in->controls_given = true;
    return 0;
}

static int read_fields(const cJSON *b, rb_arena *a, struct risk_input *in, bool change,
                       rb_errinfo *ei)
{
    int rc, category = -1;
    if ((rc = rj_text(b, "title", !change, FIELD_TITLE, &in->title, ei)) ||
        (rc = rj_text(b, "description", false, FIELD_PROSE, &in->description, ei)) ||
        (rc = rj_enum(b, "category", false, risk_category_names, &category, ei)) ||
        (rc = read_step(b, "likelihood", &in->likelihood, ei)) ||
        (rc = read_step(b, "impact", &in->impact, ei)) ||
        (rc = read_step(b, "residual_likelihood", &in->residual_likelihood, ei)) ||
        (rc = read_step(b, "residual_impact", &in->residual_impact, ei)) ||
        (rc = rj_enum(b, "treatment", false, risk_treatment_names, &in->treatment, ei)) ||
        (rc = read_clearable(b, "owner", FIELD_NAME, &in->owner, ei)) ||
        (rc = read_clearable(b, "due_date", FIELD_ID, &in->due_date, ei)) ||
        (rc = read_clearable(b, "review_date", FIELD_ID, &in->review_date, ei)) ||
        (rc = rj_text(b, "catalog_id", false, FIELD_ID, &in->catalog_id, ei)) ||
        (rc = read_controls(b, a, in, ei)) ||
        (rc = rj_enum(b, "tlp", false, tlp_names, &in->tlp, ei)))
        return rc;
    if (category >= 0)
        in->category = risk_category_names[category];
    return 0;
}

static int read_risk(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    struct risk_input *in = out;
    risk_input_init(in);
    return read_fields(b, a, in, false, ei);
}

static int read_risk_update(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    struct risk_input *in = out;
    risk_input_init(in);
    int rc = read_fields(b, a, in, true, ei);
    if (!rc)
        rc = rj_enum(b, "status", false, risk_status_names, &in->status, ei);
    if (!rc)
        rc = rj_text(b, "comment", false, FIELD_NOTE, &in->comment, ei);
    return rc;
}

static const char *const band_members[] = {"low", "medium", "high", "critical", NULL};

static int read_matrix(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    struct risk_matrix *m = out;
    RB_UNUSED(a);
    int64_t v = 0;
    int rc = rj_int(b, "size", true, RISK_SIZE_MIN, RISK_SIZE_MAX, &v, ei);
    if (rc)
        return rc;
    m->size = (int)v;
    const cJSON *bands = cJSON_GetObjectItemCaseSensitive(b, "bands");
    if (!cJSON_IsObject(bands))
        return rb_err(ei, RB_EINVAL, "bands",
                      "\"bands\" is required: the first score of each level, {\"medium\": 5, "
                      "\"high\": 10, \"critical\": 15}");
    if ((rc = rj_only(bands, band_members, ei)))
        return rb_err(ei, RB_EINVAL, "bands", "\"bands\" names low, medium, high and critical");
    m->min_score[RLEVEL_LOW] = 1;
    for (int l = RLEVEL_LOW; l < RLEVEL__COUNT; l++) {
        char key[32];
        rb_fmt(key, sizeof(key), "bands.%s", risk_level_names[l]);
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(bands, risk_level_names[l]);
        if (!x) {
            if (l == RLEVEL_LOW)
                continue;
            return rb_err(ei, RB_EINVAL, key, "\"%s\" is required: the first score of the band",
                          key);
        }
        if (!cJSON_IsNumber(x) || x->valuedouble != (double)(int)x->valuedouble ||
            x->valuedouble < 1 || x->valuedouble > RISK_CELLS_MAX)
            return rb_err(ei, RB_EINVAL, key, "\"%s\" must be a whole score from 1 to %d", key,
                          RISK_CELLS_MAX);
        m->min_score[l] = (int)x->valuedouble;
    }
    return 0;
}

BODY(body_risk, "risk", struct risk_input, read_risk, "title", "description", "category",
     "likelihood", "impact", "residual_likelihood", "residual_impact", "treatment", "owner",
     "due_date", "control_ids", "tlp", "review_date", "catalog_id");
BODY(body_risk_update, "risk_update", struct risk_input, read_risk_update, "title", "description",
     "category", "likelihood", "impact", "residual_likelihood", "residual_impact", "treatment",
     "owner", "due_date", "control_ids", "tlp", "review_date", "catalog_id", "status", "comment");
BODY_FIELDS(body_risk_accept, "risk_accept", struct risk_accept_body,
            BF_TEXT(struct risk_accept_body, reason, true, FIELD_NOTE),
            BF_TEXT(struct risk_accept_body, review_date, false, FIELD_ID));
BODY(body_risk_matrix, "risk_matrix", struct risk_matrix, read_matrix, "size", "bands");
