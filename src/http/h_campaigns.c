/* h_campaigns.c - campaigns: read, launch, close, preparedness roll-up and gaps, as JSON or CSV
 * (the list is a row in list.c). */
#include "base/common.h"
#include "base/utf8.h"
#include "core/campaign.h"
#include "core/score.h"
#include "formats/csv.h"
#include "http/body.h"
#include "http/router.h"

static void answer_campaign(rb_req *r, const char *id, int status)
{
    rb_campaign c;
    int rc = campaign_get(r->db, &r->actor, id, &r->arena, &c);
    if (!req_check(r, rc, NULL))
        return;
    rjw_record(req_json_begin(r, status), &c, &campaign_record);
}

void h_campaigns_get(rb_req *r)
{
    answer_campaign(r, r->params[0], 200);
}

void h_campaigns_create(rb_req *r)
{
    struct campaign_input in;
    if (!req_body(r, &body_campaign, &in))
        return;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    char id[RB_ID_SIZE];
    int created = 0;
    int rc = campaign_launch(r->db, &r->actor, &r->arena, &in, id, &created, &ei);
    if (!req_check(r, rc, &ei))
        return;
    answer_campaign(r, id, 201);
}

void h_campaigns_close(rb_req *r)
{
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = campaign_close(r->db, &r->actor, r->params[0], &ei);
    if (!req_check(r, rc, &ei))
        return;
    answer_campaign(r, r->params[0], 200);
}

void h_campaigns_rollup(rb_req *r)
{
    struct rollup ru;
    int rc = campaign_rollup(r->db, &r->actor, r->params[0], req_query(r, "root"), &r->arena, &ru);
    if (!req_check(r, rc, NULL))
        return;
    rollup_write_json(req_json_begin(r, 200), &ru);
}

/* The gaps as CSV: one line per weak control, then one per domain. Text cells are quoted and a
 * line break in one is a space (docs/api.md shows the format). */
static void gaps_csv(rb_req *r, const struct gap_row *ctl, int nc, const struct gap_row *dom,
                     int nd)
{
    static const char *const head[] = {"kind",        "id",         "title",           "domain",
                                       "assessments", "mean_score", "not_implemented", NULL};
    snprintf(r->disposition, sizeof(r->disposition), "attachment; filename=\"gaps-%.*s.csv\"",
             RB_CUT(r->params[0], 36));
    csv_writer w;
    csv_writer_init(&w, req_out_begin(r, 200, "text/csv; charset=utf-8"),
                    CSV_QUOTE_ALL | CSV_FOLD_NEWLINES);
    csv_header(&w, head);
    for (int pass = 0; pass < 2; pass++) {
        const struct gap_row *rows = pass ? dom : ctl;
        for (int i = 0; i < (pass ? nd : nc); i++) {
            csv_word(&w, pass ? "domain" : "control");
            csv_text(&w, rows[i].id);
            csv_text(&w, rows[i].title);
            csv_text(&w, rows[i].domain);
            csv_int(&w, rows[i].n);
            csv_fixed(&w, rows[i].mean, 1);
            csv_int(&w, rows[i].not_implemented);
            csv_end(&w);
        }
    }
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
    if (!req_check(r, rc, NULL))
        return;
    if (format && strcmp(format, "csv") == 0) {
        gaps_csv(r, ctl, nc, dom, nd);
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
