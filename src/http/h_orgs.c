/* h_orgs.c - the org tree: list (level by level, paginated), get, create, update. */
#include "base/common.h"
#include "base/utf8.h"
#include "core/org.h"
#include "http/router.h"

static const char *const org_fields[] = {"parent_id", "kind",     "name",      "short_name",
                                         "province",  "sector",   "cii",       "cii_grade",
                                         "cii_review_date", NULL};

/* Reads the org members of body into in; returns false after answering 422. */
static bool read_input(rb_req *r, const cJSON *b, rb_org_input *in)
{
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int kind = -1;
    bool cii = false;
    int64_t grade = -1;
    if (rj_text(b, "parent_id", false, FIELD_ID, &in->parent_id, &ei) ||
        rj_enum(b, "kind", false, rb_org_kind_names, &kind, &ei) ||
        rj_text(b, "name", false, FIELD_NAME, &in->name, &ei) ||
        rj_text(b, "short_name", false, FIELD_SHORT, &in->short_name, &ei) ||
        rj_text(b, "province", false, FIELD_ID, &in->province, &ei) ||
        rj_text(b, "sector", false, FIELD_ID, &in->sector, &ei) ||
        rj_bool(b, "cii", false, &cii, &ei) ||
        rj_int(b, "cii_grade", false, 1, 3, &grade, &ei) ||
        rj_text(b, "cii_review_date", false, FIELD_ID, &in->cii_review_date, &ei)) {
        req_fail(r, RB_EINVAL, &ei);
        return false;
    }
    in->kind = kind;
    if (rj_has(b, "cii"))
        in->cii = cii ? 1 : 0;
    if (rj_has(b, "cii_grade"))
        in->cii_grade = (int)grade;
    return true;
}

void h_orgs_list(rb_req *r)
{
    struct org_filter f = {.cii = -1};
    const char *cursor = NULL;
    if (!req_page(r, &f.limit, &cursor))
        return;
    f.after_id = cursor;
    f.root = req_query(r, "root");
    f.kind = req_query(r, "kind");
    f.province = req_query(r, "province");
    f.sector = req_query(r, "sector");
    f.q = req_query(r, "q");
    const char *cii = req_query(r, "cii");
    if (cii) {
        if (strcmp(cii, "true") != 0 && strcmp(cii, "false") != 0) {
            req_error(r, 422, "invalid_field", "cii", "\"cii\" must be true or false");
            return;
        }
        f.cii = cii[0] == 't';
    }
    enum rb_org_kind k;
    if (f.kind && rb_org_kind_parse(f.kind, &k)) {
        req_error(r, 422, "invalid_field", "kind", "unknown org kind \"%.*s\"", RB_CUT(f.kind, 40));
        return;
    }
    rb_org *rows = NULL;
    int n = 0;
    bool more = false;
    int rc = org_list(r->db, &r->actor, &f, &r->arena, &rows, &n, &more);
    if (rc) {
        req_list_fail(r, rc);
        return;
    }
    rj_writer *w = req_list_begin(r);
    for (int i = 0; i < n; i++)
        org_write_json(w, &rows[i]);
    req_list_end(r, more && n > 0 ? rows[n - 1].id : NULL);
}

static void answer_org(rb_req *r, const char *id, int status)
{
    rb_org o;
    int rc = org_get(r->db, &r->actor, id, &r->arena, &o);
    if (rc) {
        req_fail(r, rc, NULL);
        return;
    }
    rj_writer *w = req_json_begin(r, status);
    org_write_json(w, &o);
}

void h_orgs_get(rb_req *r)
{
    answer_org(r, r->params[0], 200);
}

void h_orgs_create(rb_req *r)
{
    const cJSON *b = req_body_json(r, org_fields);
    if (!b)
        return;
    rb_org_input in;
    org_input_init(&in);
    if (!read_input(r, b, &in))
        return;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    char id[RB_ID_SIZE];
    int rc = org_create(r->db, &r->actor, &in, id, &ei);
    if (rc) {
        req_fail(r, rc, &ei);
        return;
    }
    answer_org(r, id, 201);
}

void h_orgs_update(rb_req *r)
{
    const cJSON *b = req_body_json(r, org_fields);
    if (!b)
        return;
    rb_org_input in;
    org_input_init(&in);
    if (!read_input(r, b, &in))
        return;
    /* JSON null clears an optional field. */
    static const char *const clearable[] = {"short_name", "province", "sector", "cii_review_date"};
    const char **slots[] = {&in.short_name, &in.province, &in.sector, &in.cii_review_date};
    for (size_t i = 0; i < RB_ARRAY_LEN(clearable); i++)
        if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(b, clearable[i])))
            *slots[i] = "";
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = org_update(r->db, &r->actor, r->params[0], &in, &ei);
    if (rc) {
        req_fail(r, rc, &ei);
        return;
    }
    answer_org(r, r->params[0], 200);
}
