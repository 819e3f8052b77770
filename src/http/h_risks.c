/* h_risks.c - what of risk registers fits no row: the CSV import (a text/csv body) and export (a
 * download), the heat map (?root=, ?basis=) and the change of the risk matrix. Core checks who may
 * do each again. */
#include "base/common.h"
#include "base/rtime.h"
#include "base/utf8.h"
#include "core/risk.h"
#include "http/body.h"
#include "http/risks.h"
#include "http/router.h"

void h_risks_import(rb_req *r)
{
    if (!req_csv_upload(
            r, "the register as text/csv, with a header row (title,likelihood,impact,...)"))
        return;
    struct risk_matrix m;
    struct risk_file f;
    struct risk_import_counts c;
    memset(&f, 0, sizeof(f));
    int rc = risk_matrix_get(r->db, &m);
    if (!rc)
        rc = risk_csv_read(r->body.ptr ? r->body.ptr : "", r->body.len, &m, &r->arena, &f, &r->ei);
    if (!rc)
        rc = risk_import(r->db, &r->actor, &f, &c, &r->ei);
    if (rc == RB_EINVAL && f.nbad > 0) {
        /* The error names the first bad row; every bad row follows it, with its line and
         * field (the first RISK_PROBLEMS_MAX), and how many there are. */
        rj_writer *w = req_json_begin(r, 422);
        rjw_obj(w);
        rjw_kobj(w, "error");
        rjw_kstr(w, "code", "invalid_file");
        rjw_kstr(w, "message", r->ei.msg);
        rjw_kstr(w, "field", r->ei.field);
        rjw_obj_end(w);
        rjw_kint(w, "bad_rows", (int64_t)f.nbad);
        rjw_karr(w, "problems");
        for (size_t i = 0; i < f.nproblems; i++) {
            rjw_obj(w);
            rjw_kint(w, "line", (int64_t)f.problems[i].line);
            rjw_kint(w, "field", (int64_t)f.problems[i].field);
            rjw_kstr(w, "message", f.problems[i].msg);
            rjw_obj_end(w);
        }
        rjw_arr_end(w);
        rjw_obj_end(w);
        return;
    }
    if (!req_check(r, rc, &r->ei))
        return;
    const struct req_count counts[] = {
        {"rows", c.rows}, {"added", c.added}, {"updated", c.updated}};
    req_json_counts(r, counts, RB_ARRAY_LEN(counts));
}

void h_risks_export(rb_req *r)
{
    struct risk_filter f;
    memset(&f, 0, sizeof(f));
    if (!risk_filter_read(r, &f))
        return;
    rb_buf out;
    rb_buf_init(&out, (size_t)64 * 1024 * 1024);
    int rc = risk_export(r->db, &r->actor, &f, &out);
    if (req_check(r, rc, NULL))
        req_download_csv(r, "risks", &out);
    rb_buf_release(&out);
}

void h_risks_heatmap(rb_req *r)
{
    const char *v = req_query(r, "basis");
    int basis = RBASIS_RESIDUAL;
    if (v && (basis = rb_name_index(risk_basis_names, v)) < 0) {
        req_error(r, 422, "invalid_field", "basis", "\"basis\" is residual or inherent");
        return;
    }
    struct risk_heatmap *h = rb_arena_alloc(&r->arena, sizeof(*h));
    int rc = h ? risk_heatmap(r->db, &r->actor, req_query(r, "root"), (enum risk_basis)basis,
                              &r->arena, h, &r->ei)
               : RB_ENOMEM;
    if (!req_check(r, rc, &r->ei))
        return;
    risk_heatmap_write(req_json_begin(r, 200), h);
}

void h_risk_matrix_set(rb_req *r)
{
    struct risk_matrix m;
    memset(&m, 0, sizeof(m));
    if (!req_body(r, &body_risk_matrix, &m))
        return;
    int64_t relevelled = 0;
    int rc = risk_matrix_set(r->db, &r->actor, &m, &relevelled, &r->ei);
    if (!rc)
        rc = risk_matrix_get(r->db, &m);
    if (!req_check(r, rc, &r->ei))
        return;
    rj_writer *w = req_json_begin(r, 200);
    rjw_obj(w);
    risk_matrix_write(w, &m);
    rjw_kint(w, "relevelled", relevelled);
    rjw_obj_end(w);
}
