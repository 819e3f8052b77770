/* h_guidelines.c - profiles, campaigns (with roll-up, gaps, trend) and assessments. */
#include "base/common.h"
#include "base/utf8.h"
#include "core/assessment.h"
#include "core/campaign.h"
#include "core/profile.h"
#include "core/score.h"
#include "http/router.h"

/* ---- profiles ---- */

void h_profiles_list(rb_req *r)
{
    int limit;
    const char *cursor;
    if (!req_page(r, &limit, &cursor))
        return;
    rb_profile *rows = NULL;
    int n = 0;
    bool more = false;
    int rc = profile_list(r->db, &r->actor, cursor, limit, &r->arena, &rows, &n, &more);
    if (rc) {
        req_list_fail(r, rc);
        return;
    }
    rj_writer *w = req_list_begin(r);
    for (int i = 0; i < n; i++)
        profile_write_json(w, &rows[i]);
    req_list_end(r, more && n > 0 ? rows[n - 1].id : NULL);
}

static void answer_profile(rb_req *r, const char *id, int status)
{
    rb_profile p;
    char **ids = NULL;
    int n = 0;
    int rc = profile_get(r->db, &r->actor, id, &r->arena, &p);
    if (!rc)
        rc = profile_control_ids(r->db, &r->actor, id, &r->arena, &ids, &n);
    if (rc) {
        req_fail(r, rc, NULL);
        return;
    }
    rj_writer *w = req_json_begin(r, status);
    rjw_obj(w);
    rjw_key(w, "profile");
    profile_write_json(w, &p);
    rjw_key(w, "control_ids");
    rjw_arr(w);
    for (int i = 0; i < n; i++)
        rjw_str(w, ids[i]);
    rjw_arr_end(w);
    rjw_obj_end(w);
}

void h_profiles_get(rb_req *r)
{
    answer_profile(r, r->params[0], 200);
}

/* Reads applies_kinds / applies_sectors (arrays of strings) and the CII options. */
static bool read_applicability(rb_req *r, const cJSON *b, struct profile_applicability *ap)
{
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    memset(ap, 0, sizeof(*ap));
    static const char *const lists[] = {"applies_kinds", "applies_sectors"};
    char *joined[2] = {NULL, NULL};
    for (int l = 0; l < 2; l++) {
        const cJSON *arr = cJSON_GetObjectItemCaseSensitive(b, lists[l]);
        if (!arr || cJSON_IsNull(arr))
            continue;
        if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > PROFILE_MAX_LIST) {
            req_error(r, 422, "invalid_field", lists[l], "\"%s\" must be an array of at most %d "
                      "names", lists[l], PROFILE_MAX_LIST);
            return false;
        }
        rb_buf jb;
        rb_buf_init(&jb, 4096);
        const cJSON *it;
        cJSON_ArrayForEach(it, arr)
        {
            if (!cJSON_IsString(it) || strchr(it->valuestring, ',')) {
                rb_buf_release(&jb);
                req_error(r, 422, "invalid_field", lists[l], "\"%s\" must hold names", lists[l]);
                return false;
            }
            if (jb.len)
                rb_buf_addc(&jb, ',');
            rb_buf_adds(&jb, it->valuestring);
        }
        joined[l] = rb_arena_strdup(&r->arena, rb_buf_cstr(&jb));
        rb_buf_release(&jb);
    }
    bool cii_only = false;
    int64_t grade = 0;
    if (rj_bool(b, "cii_only", false, &cii_only, &ei) ||
        rj_int(b, "min_cii_grade", false, 0, 3, &grade, &ei)) {
        req_fail(r, RB_EINVAL, &ei);
        return false;
    }
    ap->cii_only = cii_only;
    ap->min_cii_grade = (int)grade;
    if (profile_applicability_parse(ap, joined[0], joined[1], &r->arena, &ei)) {
        req_fail(r, RB_EINVAL, &ei);
        return false;
    }
    return true;
}

void h_profiles_create(rb_req *r)
{
    static const char *const allowed[] = {"catalog_id", "title", "control_ids", "applies_kinds",
                                          "applies_sectors", "cii_only", "min_cii_grade",
                                          "oscal", NULL};
    const cJSON *b = req_body_json(r, allowed);
    if (!b)
        return;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    struct profile_applicability ap;
    if (!read_applicability(r, b, &ap))
        return;
    const char *catalog_id = NULL, *title = NULL;
    if (rj_text(b, "catalog_id", false, FIELD_ID, &catalog_id, &ei) ||
        rj_text(b, "title", false, FIELD_TITLE, &title, &ei)) {
        req_fail(r, RB_EINVAL, &ei);
        return;
    }
    char id[RB_ID_SIZE];
    int rc;
    const cJSON *oscal = cJSON_GetObjectItemCaseSensitive(b, "oscal");
    if (oscal && !cJSON_IsNull(oscal)) {
        /* An OSCAL profile document given inline. */
        char *text = cJSON_PrintUnformatted(oscal);
        if (!text) {
            req_fail(r, RB_ENOMEM, NULL);
            return;
        }
        int selected = 0;
        rc = profile_import(r->db, &r->actor, text, strlen(text), catalog_id, &ap, id, &selected,
                            &ei);
        cJSON_free(text);
    } else {
        const cJSON *ids = cJSON_GetObjectItemCaseSensitive(b, "control_ids");
        if (!cJSON_IsArray(ids) || cJSON_GetArraySize(ids) < 1 ||
            cJSON_GetArraySize(ids) > 5000) {
            req_error(r, 422, "invalid_field", "control_ids",
                      "\"control_ids\" must list the ticked controls' ids (or send \"oscal\")");
            return;
        }
        int n = cJSON_GetArraySize(ids), k = 0;
        const char **list = rb_arena_alloc(&r->arena, sizeof(char *) * (size_t)n);
        const cJSON *it;
        cJSON_ArrayForEach(it, ids)
        {
            if (!list || !cJSON_IsString(it)) {
                req_error(r, 422, "invalid_field", "control_ids", "control ids must be strings");
                return;
            }
            list[k++] = it->valuestring;
        }
        if (!catalog_id || !title) {
            req_error(r, 422, "invalid_field", catalog_id ? "title" : "catalog_id",
                      "\"catalog_id\" and \"title\" are required");
            return;
        }
        rc = profile_create(r->db, &r->actor, catalog_id, title, list, k, &ap, id, &ei);
    }
    if (rc) {
        req_fail(r, rc, &ei);
        return;
    }
    answer_profile(r, id, 201);
}

/* ---- campaigns ---- */

void h_campaigns_list(rb_req *r)
{
    int limit;
    const char *cursor;
    if (!req_page(r, &limit, &cursor))
        return;
    rb_campaign *rows = NULL;
    int n = 0;
    bool more = false;
    int rc = campaign_list(r->db, &r->actor, cursor, limit, &r->arena, &rows, &n, &more);
    if (rc) {
        req_list_fail(r, rc);
        return;
    }
    rj_writer *w = req_list_begin(r);
    for (int i = 0; i < n; i++)
        campaign_write_json(w, &rows[i]);
    req_list_end(r, more && n > 0 ? rows[n - 1].id : NULL);
}

static void answer_campaign(rb_req *r, const char *id, int status)
{
    rb_campaign c;
    int rc = campaign_get(r->db, &r->actor, id, &r->arena, &c);
    if (rc) {
        req_fail(r, rc, NULL);
        return;
    }
    campaign_write_json(req_json_begin(r, status), &c);
}

void h_campaigns_get(rb_req *r)
{
    answer_campaign(r, r->params[0], 200);
}

void h_campaigns_create(rb_req *r)
{
    static const char *const allowed[] = {"profile_id", "title", "due_date", "kind",
                                          "province", "sector", NULL};
    const cJSON *b = req_body_json(r, allowed);
    if (!b)
        return;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    struct campaign_input in = {0};
    if (rj_text(b, "profile_id", true, FIELD_ID, &in.profile_id, &ei) ||
        rj_text(b, "title", true, FIELD_TITLE, &in.title, &ei) ||
        rj_text(b, "due_date", true, FIELD_ID, &in.due_date, &ei) ||
        rj_text(b, "kind", false, FIELD_ID, &in.kind, &ei) ||
        rj_text(b, "province", false, FIELD_ID, &in.province, &ei) ||
        rj_text(b, "sector", false, FIELD_ID, &in.sector, &ei)) {
        req_fail(r, RB_EINVAL, &ei);
        return;
    }
    char id[RB_ID_SIZE];
    int created = 0;
    int rc = campaign_launch(r->db, &r->actor, &in, id, &created, &ei);
    if (rc) {
        req_fail(r, rc, &ei);
        return;
    }
    answer_campaign(r, id, 201);
}

void h_campaigns_close(rb_req *r)
{
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = campaign_close(r->db, &r->actor, r->params[0], &ei);
    if (rc) {
        req_fail(r, rc, &ei);
        return;
    }
    answer_campaign(r, r->params[0], 200);
}

void h_campaigns_rollup(rb_req *r)
{
    struct rollup ru;
    int rc = campaign_rollup(r->db, &r->actor, r->params[0], req_query(r, "root"), &r->arena, &ru);
    if (rc) {
        req_fail(r, rc, NULL);
        return;
    }
    rollup_write_json(req_json_begin(r, 200), &ru);
}

void h_campaigns_gaps(rb_req *r)
{
    int64_t limit = 20;
    const char *l = req_query(r, "limit");
    if (l && rb_parse_int64(l, 1, 500, &limit)) {
        req_error(r, 422, "invalid_field", "limit", "\"limit\" must be 1 to 500");
        return;
    }
    const char *format = req_query(r, "format");
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
        req_error(r, 422, "invalid_field", "format", "\"format\" must be json or csv");
        return;
    }
    struct gap_row *ctl = NULL, *dom = NULL;
    int nc = 0, nd = 0;
    int rc = campaign_gaps(r->db, &r->actor, r->params[0], req_query(r, "root"), (int)limit,
                           &r->arena, &ctl, &nc, &dom, &nd);
    if (rc) {
        req_fail(r, rc, NULL);
        return;
    }
    if (format && strcmp(format, "csv") == 0) {
        /* CSV: one line per weak control, then one per domain; fields quoted. */
        r->status = 200;
        r->content_type = "text/csv; charset=utf-8";
        snprintf(r->disposition, sizeof(r->disposition),
                 "attachment; filename=\"gaps-%.*s.csv\"", RB_CUT(r->params[0], 36));
        rb_buf_reset(&r->out);
        rb_buf_adds(&r->out, "kind,id,title,domain,assessments,mean_score,not_implemented\r\n");
        for (int pass = 0; pass < 2; pass++) {
            const struct gap_row *rows = pass ? dom : ctl;
            int n = pass ? nd : nc;
            for (int i = 0; i < n; i++) {
                const char *cells[3] = {rows[i].id, rows[i].title, rows[i].domain};
                rb_buf_adds(&r->out, pass ? "domain" : "control");
                for (int c = 0; c < 3; c++) {
                    rb_buf_adds(&r->out, ",\"");
                    for (const char *p = cells[c] ? cells[c] : ""; *p; p++) {
                        if (*p == '"')
                            rb_buf_addc(&r->out, '"');
                        /* A leading = + - @ would be a formula in a spreadsheet. */
                        if (p == cells[c] && strchr("=+-@\t\r", *p))
                            rb_buf_addc(&r->out, '\'');
                        rb_buf_addc(&r->out, *p == '\n' || *p == '\r' ? ' ' : *p);
                    }
                    rb_buf_addc(&r->out, '"');
                }
                rb_buf_printf(&r->out, ",%d,%.1f,%d\r\n", rows[i].n, rows[i].mean,
                              rows[i].not_implemented);
            }
        }
        return;
    }
    rj_writer *w = req_json_begin(r, 200);
    rjw_obj(w);
    for (int pass = 0; pass < 2; pass++) {
        const struct gap_row *rows = pass ? dom : ctl;
        int n = pass ? nd : nc;
        rjw_key(w, pass ? "domains" : "controls");
        rjw_arr(w);
        for (int i = 0; i < n; i++) {
            rjw_obj(w);
            rjw_kstr(w, "id", rows[i].id);
            rjw_kstr(w, "title", rows[i].title);
            if (!pass)
                rjw_kstr(w, "domain", rows[i].domain);
            rjw_kint(w, "assessments", rows[i].n);
            rjw_key(w, "mean_score");
            rjw_double(w, (double)(int64_t)(rows[i].mean * 10.0 + 0.5) / 10.0);
            if (!pass)
                rjw_kint(w, "not_implemented", rows[i].not_implemented);
            rjw_obj_end(w);
        }
        rjw_arr_end(w);
    }
    rjw_obj_end(w);
}

void h_profiles_trend(rb_req *r)
{
    struct trend_point *pts = NULL;
    int n = 0;
    rb_profile p;
    int rc = profile_get(r->db, &r->actor, r->params[0], &r->arena, &p);
    if (!rc)
        rc = campaign_trend(r->db, &r->actor, r->params[0], req_query(r, "root"), &r->arena, &pts,
                            &n);
    if (rc) {
        req_fail(r, rc, NULL);
        return;
    }
    rj_writer *w = req_json_begin(r, 200);
    rjw_obj(w);
    rjw_kstr(w, "profile_id", p.id);
    rjw_key(w, "campaigns");
    rjw_arr(w);
    for (int i = 0; i < n; i++) {
        rjw_obj(w);
        rjw_kstr(w, "campaign_id", pts[i].campaign_id);
        rjw_kstr(w, "title", pts[i].title);
        rjw_kstr(w, "created_at", pts[i].created_at);
        rjw_kint(w, "submitted", pts[i].submitted);
        rjw_key(w, "mean");
        if (pts[i].mean >= 0)
            rjw_double(w, (double)(int64_t)(pts[i].mean * 100.0 + 0.5) / 100.0);
        else
            rjw_null(w);
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
    rjw_obj_end(w);
}

/* ---- assessments ---- */

void h_assessments_list(rb_req *r)
{
    struct assessment_filter f = {0};
    if (!req_page(r, &f.limit, &f.after_id))
        return;
    f.campaign_id = req_query(r, "campaign_id");
    f.org_id = req_query(r, "org_id");
    f.status = req_query(r, "status");
    static const char *const statuses[] = {"not_started", "draft", "submitted", "returned",
                                           "accepted", NULL};
    bool known = !f.status;
    for (int i = 0; !known && statuses[i]; i++)
        known = strcmp(statuses[i], f.status) == 0;
    if (!known) {
        req_error(r, 422, "invalid_field", "status",
                  "\"status\" must be not_started, draft, submitted, returned or accepted");
        return;
    }
    if (req_query(r, "mine"))
        f.org_id = r->actor.org.id;
    rb_assessment *rows = NULL;
    int n = 0;
    bool more = false;
    int rc = assessment_list(r->db, &r->actor, &f, &r->arena, &rows, &n, &more);
    if (rc) {
        req_list_fail(r, rc);
        return;
    }
    rj_writer *w = req_list_begin(r);
    for (int i = 0; i < n; i++)
        assessment_write_json(w, &rows[i]);
    req_list_end(r, more && n > 0 ? rows[n - 1].id : NULL);
}

static void answer_assessment(rb_req *r, const char *id, int status)
{
    rb_assessment x;
    rb_assessment_item *items = NULL;
    int n = 0;
    int rc = assessment_get(r->db, &r->actor, id, &r->arena, &x);
    if (!rc)
        rc = assessment_items(r->db, &r->actor, id, &r->arena, &items, &n);
    if (rc) {
        req_fail(r, rc, NULL);
        return;
    }
    rj_writer *w = req_json_begin(r, status);
    rjw_obj(w);
    rjw_key(w, "assessment");
    assessment_write_json(w, &x);
    rjw_key(w, "controls");
    rjw_arr(w);
    for (int i = 0; i < n; i++) {
        const rb_assessment_item *it = &items[i];
        rjw_obj(w);
        rjw_kstr(w, "id", it->control_id);
        rjw_kstr(w, "label", it->label);
        rjw_kstr(w, "title", it->title);
        rjw_kstr(w, "domain_id", it->domain_id);
        rjw_kstr(w, "domain_title", it->domain_title);
        rjw_kstr(w, "statement", it->statement);
        rjw_kstr(w, "guidance", it->guidance);
        rjw_key(w, "answer");
        if (it->answered) {
            rjw_obj(w);
            rjw_kstr(w, "status", it->status);
            rjw_kint(w, "maturity", it->maturity);
            rjw_kstr(w, "evidence", it->evidence);
            rjw_kstr(w, "review", it->review);
            rjw_kstr(w, "review_comment", it->review_comment);
            rjw_obj_end(w);
        } else {
            rjw_null(w);
        }
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
    rjw_obj_end(w);
}

void h_assessments_get(rb_req *r)
{
    answer_assessment(r, r->params[0], 200);
}

void h_assessments_answers(rb_req *r)
{
    static const char *const allowed[] = {"answers", NULL};
    static const char *const item_fields[] = {"control_id", "status", "maturity", "evidence",
                                              NULL};
    const cJSON *b = req_body_json(r, allowed);
    if (!b)
        return;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(b, "answers");
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1 || cJSON_GetArraySize(arr) > 1000) {
        req_error(r, 422, "invalid_field", "answers", "\"answers\" must be an array of 1 to 1000 "
                                                      "answers");
        return;
    }
    int n = cJSON_GetArraySize(arr), k = 0;
    struct answer_input *in = rb_arena_alloc(&r->arena, sizeof(*in) * (size_t)n);
    if (!in) {
        req_fail(r, RB_ENOMEM, NULL);
        return;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int64_t maturity = 0;
        int st = -1;
        struct answer_input *a = &in[k];
        int rc = rj_only(it, item_fields, &ei);
        if (!rc)
            rc = rj_text(it, "control_id", true, FIELD_ID, &a->control_id, &ei);
        if (!rc)
            rc = rj_enum(it, "status", true, rb_answer_status_names, &st, &ei);
        if (!rc)
            rc = rj_int(it, "maturity", st != ANSWER_NOT_APPLICABLE, 0, 5, &maturity, &ei);
        if (!rc)
            rc = rj_text(it, "evidence", false, FIELD_NOTE, &a->evidence, &ei);
        if (rc) {
            char field[RB_ERR_FIELD_MAX + 24];
            snprintf(field, sizeof(field), "answers[%d]%s%s", k, ei.field[0] ? "." : "", ei.field);
            req_error(r, 422, rc == RB_ENOTFOUND ? "unknown_field" : "invalid_field", field, "%s",
                      ei.msg);
            return;
        }
        a->status = st;
        a->maturity = (int)maturity;
        k++;
    }
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = assessment_save(r->db, &r->actor, r->params[0], in, k, &ei);
    if (rc) {
        req_fail(r, rc, &ei);
        return;
    }
    answer_assessment(r, r->params[0], 200);
}

void h_assessments_submit(rb_req *r)
{
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = assessment_submit(r->db, &r->actor, r->params[0], &ei);
    if (rc) {
        req_fail(r, rc, &ei);
        return;
    }
    answer_assessment(r, r->params[0], 200);
}

void h_assessments_review(rb_req *r)
{
    static const char *const allowed[] = {"decisions", NULL};
    static const char *const fields[] = {"control_id", "decision", "comment", NULL};
    static const char *const decisions[] = {"accept", "return", NULL};
    const cJSON *b = req_body_json(r, allowed);
    if (!b)
        return;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(b, "decisions");
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1 || cJSON_GetArraySize(arr) > 1000) {
        req_error(r, 422, "invalid_field", "decisions",
                  "\"decisions\" must be an array of 1 to 1000 decisions");
        return;
    }
    int n = cJSON_GetArraySize(arr), k = 0;
    struct review_input *in = rb_arena_alloc(&r->arena, sizeof(*in) * (size_t)n);
    if (!in) {
        req_fail(r, RB_ENOMEM, NULL);
        return;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int d = -1;
        int rc = rj_only(it, fields, &ei);
        if (!rc)
            rc = rj_text(it, "control_id", true, FIELD_ID, &in[k].control_id, &ei);
        if (!rc)
            rc = rj_enum(it, "decision", true, decisions, &d, &ei);
        if (!rc)
            rc = rj_text(it, "comment", false, FIELD_NOTE, &in[k].comment, &ei);
        if (rc) {
            char field[RB_ERR_FIELD_MAX + 24];
            snprintf(field, sizeof(field), "decisions[%d]%s%s", k, ei.field[0] ? "." : "",
                     ei.field);
            req_error(r, 422, rc == RB_ENOTFOUND ? "unknown_field" : "invalid_field", field,
                      "%s", ei.msg);
            return;
        }
        in[k].accept = d == 0;
        k++;
    }
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = assessment_review(r->db, &r->actor, r->params[0], in, k, &ei);
    if (rc) {
        req_fail(r, rc, &ei);
        return;
    }
    answer_assessment(r, r->params[0], 200);
}

void h_assessments_history(rb_req *r)
{
    rb_assessment_event *ev = NULL;
    int n = 0;
    int rc = assessment_history(r->db, &r->actor, r->params[0], &r->arena, &ev, &n);
    if (rc) {
        req_fail(r, rc, NULL);
        return;
    }
    rj_writer *w = req_list_begin(r);
    for (int i = 0; i < n; i++) {
        rjw_obj(w);
        rjw_kstr(w, "at", ev[i].at);
        rjw_kstr(w, "actor", ev[i].actor);
        rjw_kstr(w, "action", ev[i].action);
        rjw_kstr(w, "control_id", ev[i].control_id);
        rjw_kstr(w, "comment", ev[i].comment);
        rjw_obj_end(w);
    }
    req_list_end(r, NULL);
}

void h_assessments_oscal(rb_req *r)
{
    r->status = 200;
    r->content_type = "application/json";
    rb_buf_reset(&r->out);
    int rc = assessment_export_oscal(r->db, &r->actor, r->params[0], &r->out);
    if (rc)
        req_fail(r, rc, NULL);
}

static void write_attachment(rj_writer *w, const rb_attachment *t)
{
    rjw_obj(w);
    rjw_kstr(w, "id", t->id);
    rjw_kstr(w, "control_id", t->control_id);
    rjw_kstr(w, "filename", t->filename);
    rjw_kstr(w, "content_type", t->content_type);
    rjw_kint(w, "size", t->size);
    rjw_kstr(w, "sha256", t->sha256);
    rjw_kstr(w, "created_by", t->created_by);
    rjw_kstr(w, "created_at", t->created_at);
    rjw_obj_end(w);
}

void h_assessments_attach(rb_req *r)
{
    /* Visibility and permission are decided first (in core), then size and parameters: someone
     * who may not see the assessment gets 404 whatever they send. A body past the route's cap
     * was dropped; report it with a length the core refuses as too large. */
    const char *control = req_query(r, "control_id"), *filename = req_query(r, "filename");
    size_t len = r->body_too_big ? (size_t)ATTACHMENT_MAX_BYTES + 1 : r->body.len;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    char id[RB_ID_SIZE];
    int rc = assessment_attach(r->db, &r->actor, r->params[0], control, filename,
                               req_header(r, "Content-Type"), r->body.ptr, len, id, &ei);
    if (rc) {
        req_fail(r, rc, &ei);
        return;
    }
    rb_attachment *rows = NULL;
    int n = 0;
    if ((rc = assessment_attachments(r->db, &r->actor, r->params[0], &r->arena, &rows, &n))) {
        req_fail(r, rc, NULL);
        return;
    }
    for (int i = 0; i < n; i++)
        if (strcmp(rows[i].id, id) == 0)
            write_attachment(req_json_begin(r, 201), &rows[i]);
}

void h_assessments_attachments(rb_req *r)
{
    rb_attachment *rows = NULL;
    int n = 0;
    int rc = assessment_attachments(r->db, &r->actor, r->params[0], &r->arena, &rows, &n);
    if (rc) {
        req_fail(r, rc, NULL);
        return;
    }
    rj_writer *w = req_list_begin(r);
    for (int i = 0; i < n; i++)
        write_attachment(w, &rows[i]);
    req_list_end(r, NULL);
}

void h_assessments_attachment(rb_req *r)
{
    rb_attachment t;
    const void *data = NULL;
    int rc = assessment_attachment(r->db, &r->actor, r->params[0], r->params[1], &r->arena, &t,
                                   &data);
    if (rc) {
        req_fail(r, rc, NULL);
        return;
    }
    /* Always a download, never rendered in the page (the name has no quotes or controls). */
    r->status = 200;
    r->content_type = t.content_type;
    rb_buf_reset(&r->out);
    rb_buf_add(&r->out, data, (size_t)t.size);
    /* RFC 6266: an ASCII fallback name, and the exact UTF-8 name percent-encoded. */
    rb_buf d;
    rb_buf_init(&d, sizeof(r->disposition) - 1);
    rb_buf_adds(&d, "attachment; filename=\"");
    for (const unsigned char *p = (const unsigned char *)t.filename; *p; p++)
        rb_buf_addc(&d, *p < 0x80 && *p != '\\' ? (char)*p : '_');
    rb_buf_adds(&d, "\"; filename*=UTF-8''");
    for (const unsigned char *p = (const unsigned char *)t.filename; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            rb_buf_addc(&d, (char)*p);
        else
            rb_buf_printf(&d, "%%%02X", *p);
    }
    rb_strlcpy(r->disposition, d.err ? "attachment" : rb_buf_cstr(&d), sizeof(r->disposition));
    rb_buf_release(&d);
}
