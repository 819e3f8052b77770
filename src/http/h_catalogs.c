/* h_catalogs.c - guideline catalogs: import (OSCAL upload), list, read, browse controls, export. */
#include "base/common.h"
#include "base/utf8.h"
#include "core/catalog.h"
#include "http/list.h"
#include "http/router.h"

static int catalogs_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    rb_catalog *c = NULL;
    int rc = catalog_list(r->db, &r->actor, q->cursor, q->limit, &r->arena, &c, n, more);
    *rows = c;
    return rc;
}

static void catalogs_write(rj_writer *w, const void *row)
{
    catalog_write_json(w, row);
}

LIST_ID_FIRST(rb_catalog);
const struct list_def list_catalogs = {
    .pages = LIST_PAGES_BY_ID,
    .list = catalogs_rows,
    .row_size = sizeof(rb_catalog),
    .write = catalogs_write,
};

void h_catalogs_import(rb_req *r)
{
    if (r->body_too_big) {
        req_error(r, 413, "too_large", NULL, "the catalog is larger than %zu bytes", r->body.max);
        return;
    }
    const char *ct = req_header(r, "Content-Type");
    if (ct && strncasecmp(ct, "application/json", 16) != 0) {
        req_error(r, 415, "unsupported_media_type", NULL,
                  "send the OSCAL catalog as application/json (got %.*s)", RB_CUT(ct, 60));
        return;
    }
    enum rb_tlp tlp = TLP_GREEN;
    const char *t = req_query(r, "tlp");
    if (t && (tlp_parse(t, &tlp) || (tlp != TLP_CLEAR && tlp != TLP_GREEN && tlp != TLP_AMBER))) {
        req_error(r, 422, "invalid_field", "tlp", "\"tlp\" must be CLEAR, GREEN or AMBER");
        return;
    }
    if (r->body.len == 0) {
        req_error(r, 400, "malformed_json", NULL, "send an OSCAL catalog JSON document as the body");
        return;
    }
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    struct catalog_import_stats st;
    char id[RB_ID_SIZE];
    int rc = catalog_import(r->db, &r->actor, r->body.ptr, r->body.len, tlp, id, &st, &ei);
    if (rc == RB_EINVAL) {
        req_error(r, 422, "invalid_catalog", ei.field, "%s%s%s", ei.field[0] ? ei.field : "",
                  ei.field[0] ? ": " : "", ei.msg);
        return;
    }
    if (!req_check(r, rc, &ei))
        return;
    rb_catalog c;
    if (!req_check(r, catalog_get(r->db, &r->actor, id, &r->arena, &c), NULL))
        return;
    catalog_write_json(req_json_begin(r, 201), &c);
}

void h_catalogs_get(rb_req *r)
{
    rb_catalog c;
    rb_catalog_group *groups = NULL;
    int n = 0;
    int rc = catalog_get(r->db, &r->actor, r->params[0], &r->arena, &c);
    if (!rc)
        rc = catalog_groups(r->db, &r->actor, r->params[0], &r->arena, &groups, &n);
    if (!req_check(r, rc, NULL))
        return;
    rj_writer *w = req_json_begin(r, 200);
    rjw_obj(w);
    rjw_key(w, "catalog");
    catalog_write_json(w, &c);
    rjw_key(w, "groups");
    rjw_arr(w);
    for (int i = 0; i < n; i++) {
        rjw_obj(w);
        rjw_kstr(w, "id", groups[i].oscal_id);
        rjw_kstr(w, "title", groups[i].title);
        rjw_kint(w, "depth", groups[i].depth);
        rjw_key(w, "parent_id");
        if (groups[i].parent_idx >= 0 && groups[i].parent_idx < n)
            rjw_str(w, groups[groups[i].parent_idx].oscal_id);
        else
            rjw_null(w);
        rjw_kint(w, "controls", groups[i].controls);
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
    rjw_obj_end(w);
}

/* The controls' cursor is the catalog-order index of the last control shown. */
static bool controls_read(rb_req *r, struct list_query *q)
{
    struct control_filter *f = q->filter;
    int64_t after = -1;
    if (q->cursor && rb_parse_int64(q->cursor, 0, INT32_MAX, &after)) {
        req_error(r, 422, "invalid_field", "cursor", "the cursor is not valid for this list");
        return false;
    }
    f->limit = q->limit;
    f->after_idx = (int)after;
    f->q = req_query(r, "q");
    f->domain = req_query(r, "domain");
    return true;
}

static int controls_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    rb_control *c = NULL;
    int rc = catalog_controls(r->db, &r->actor, r->params[0], q->filter, &r->arena, &c, n, more);
    *rows = c;
    return rc;
}

static void controls_write(rj_writer *w, const void *row)
{
    control_write_json(w, row, false);
}

static const char *controls_next(const void *last, char buf[LIST_CURSOR_MAX])
{
    snprintf(buf, LIST_CURSOR_MAX, "%d", ((const rb_control *)last)->idx);
    return buf;
}

const struct list_def list_controls = {
    .pages = LIST_PAGES_BY_KEY,
    .filter_size = sizeof(struct control_filter),
    .read = controls_read,
    .list = controls_rows,
    .row_size = sizeof(rb_control),
    .write = controls_write,
    .next = controls_next,
};

void h_catalogs_control(rb_req *r)
{
    rb_control c;
    int rc = catalog_control(r->db, &r->actor, r->params[0], r->params[1], &r->arena, &c);
    if (!req_check(r, rc, NULL))
        return;
    control_write_json(req_json_begin(r, 200), &c, true);
}

void h_catalogs_export(rb_req *r)
{
    rb_buf *out = req_out_begin(r, 200, "application/json");
    req_check(r, catalog_export(r->db, &r->actor, r->params[0], out), NULL);
}
