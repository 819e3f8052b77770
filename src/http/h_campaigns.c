/* h_campaigns.c - a campaign's gaps, as JSON or CSV (the list is a row in list.c; reading,
 * launching, closing and the roll-up are rows in view.c). */
#include "base/common.h"
#include "base/utf8.h"
#include "core/campaign.h"
#include "core/score.h"
#include "formats/csv.h"
#include "http/body.h"
#include "http/router.h"

/* The gaps as CSV: one line per weak control, then one per domain. Text cells are quoted and a
 * line break in one is a space (docs/api.md shows the format). */
static void gaps_csv(rb_req *r, const struct gap_row *ctl, int nc, const struct gap_row *dom,
                     int nd)
{
    static const char *const head[] = {"kind",   "id",          "label",      "title",
                                       "domain", "assessments", "mean_score", "not_implemented",
                                       NULL};
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
            csv_text(&w, rows[i].label);
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
        rjw_karr(w, pass ? "domains" : "controls");
        for (int i = 0; i < n; i++) {
            rjw_obj(w);
            rjw_kstr(w, "id", rows[i].id);
            if (!pass)
                rjw_kstr(w, "label", rows[i].label);
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

REQ_DOCUMENT(h_campaigns_oscal, "application/json",
             campaign_export_oscal(r->db, &r->actor, r->params[0], out), NULL)
