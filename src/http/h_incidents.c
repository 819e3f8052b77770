/* h_incidents.c - what incident routes answer that is not one object or one list: the list
 * filters, counts, the CSV export, responsiveness (JSON or CSV), file uploads and downloads, and
 * marking inbox items read (objects and writes are rows in view_incidents.c, lists in
 * list_incidents.c). */
#include "base/common.h"
#include "base/rtime.h"
#include "core/files.h"
#include "core/inbox.h"
#include "core/kind.h"
#include "core/incident.h"
#include "core/incident_index.h"
#include "core/incident_stix.h"
#include "core/incident_work.h"
#include "core/org.h"
#include "formats/csv.h"
#include "formats/rsit.h"
#include "http/body.h"
#include "http/body_incidents.h"
#include "http/list.h"
#include "http/router.h"

/* ---- the filter of lists, counts and the export ---- */

/* A comma list of names into bits; false after a 422. */
static bool read_bits(rb_req *r, const char *key, const char *const *names, unsigned *out)
{
    const char *v = req_query(r, key);
    *out = 0;
    if (!v || !v[0])
        return true;
    for (const char *p = v; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        int found = -1;
        for (int i = 0; names[i]; i++)
            if (strlen(names[i]) == len && strncmp(names[i], p, len) == 0)
                found = i;
        if (found < 0) {
            char list[300] = "";
            for (int i = 0; names[i]; i++)
                rb_fmt(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
                       names[i]);
            req_error(r, 422, "invalid_field", key, "\"%s\" takes one or more of %s, with commas",
                      key, list);
            return false;
        }
        *out |= 1u << found;
        p += len + (comma ? 1 : 0);
    }
    return true;
}

/* "1"/"true" is 1, "0"/"false" is -1, absent 0; false after a 422. */
static bool read_tri(rb_req *r, const char *key, int *out)
{
    const char *v = req_query(r, key);
    *out = 0;
    if (!v || !v[0])
        return true;
    if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
        *out = 1;
    else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
        *out = -1;
    else {
        req_error(r, 422, "invalid_field", key, "\"%s\" must be 1 or 0", key);
        return false;
    }
    return true;
}

static bool read_when(rb_req *r, const char *key, bool end_of_day, int64_t *out)
{
    const char *v = req_query(r, key);
    *out = 0;
    if (!v || !v[0])
        return true;
    if (rb_time_parse(v, out)) {
        req_error(r, 422, "invalid_field", key,
                  "\"%s\" must be a date like 2026-12-01 or a time like 2026-12-01T09:00:00Z", key);
        return false;
    }
    if (end_of_day && strlen(v) == 10)
        *out += 86400; /* until a date: to the end of that day */
    return true;
}

static bool read_id(rb_req *r, const char *key, const char **out)
{
    const char *v = req_query(r, key);
    *out = NULL;
    if (!v || !v[0])
        return true;
    if (rb_field_checks(FIELD_ID, key, v, NULL) || !rb_uuid_valid(v)) {
        req_error(r, 422, "invalid_field", key, "\"%s\" must be an org id (a UUID)", key);
        return false;
    }
    *out = v;
    return true;
}

bool incident_filter_read(rb_req *r, struct incident_filter *f)
{
    memset(f, 0, sizeof(*f));
    if (!read_bits(r, "severity", rb_severity_names, &f->severities) ||
        !read_bits(r, "status", rb_incident_status_names, &f->statuses) ||
        !read_tri(r, "overdue", &f->overdue) || !read_tri(r, "open", &f->open) ||
        !read_tri(r, "cii", &f->cii) || !read_id(r, "handling_org_id", &f->handling_org_id) ||
        !read_id(r, "org_id", &f->org_id) || !read_when(r, "since", false, &f->since) ||
        !read_when(r, "until", true, &f->until))
        return false;
    const char *cls = req_query(r, "rsit_class");
    if (cls && cls[0]) {
        for (int i = 0; i < rsit_nclasses && !f->rsit_class; i++)
            if (strcmp(rsit_classes[i].id, cls) == 0)
                f->rsit_class = i + 1;
        if (!f->rsit_class) {
            req_error(r, 422, "invalid_field", "rsit_class",
                      "\"rsit_class\" must be a class of the ENISA taxonomy (GET "
                      "/api/v1/taxonomy/rsit)");
            return false;
        }
    }
    const char *prov = req_query(r, "province");
    if (prov && prov[0]) {
        f->province = strcmp(prov, "none") == 0 ? -1 : rb_name_index(rb_provinces, prov) + 1;
        if (!f->province) {
            req_error(r, 422, "invalid_field", "province",
                      "\"province\" must be a province code (like punjab) or none");
            return false;
        }
    }
    const char *q = req_query(r, "q");
    if (q && rb_field_checks(FIELD_TITLE, "q", q, NULL)) {
        req_error(r, 422, "invalid_field", "q", "\"q\" must be words of at most %zu bytes",
                  rb_field_max(FIELD_TITLE));
        return false;
    }
    f->q = q && q[0] ? q : NULL;
    return true;
}

/* ---- the incident as STIX ---- */

REQ_DOCUMENT(h_incidents_stix, "application/stix+json;version=2.1",
             incident_stix(r->db, &r->actor, r->params[0], &r->arena, out), NULL)

/* ---- attachments ---- */

/* Visibility and permission are decided first (in core): someone who may not read the incident
 * gets 404 whatever they send. */
void h_incidents_attach(rb_req *r)
{
    h_files_attach(r, INCIDENT_FILE_MAX, incident_attach);
}

void h_files_attach(rb_req *r, size_t max, files_attach_fn attach)
{
    size_t len = r->body_too_big ? max + 1 : r->body.len;
    char file_id[RB_ID_SIZE];
    int rc = attach(r->db, &r->actor, r->params[0], req_query(r, "filename"),
                    req_header(r, "Content-Type"), r->body.ptr, len, file_id, &r->ei);
    if (!req_check(r, rc, &r->ei))
        return;
    rb_file f;
    if (req_check(r, list_pick(r, &list_files, file_id, &f), NULL))
        rjw_record(req_json_begin(r, 201), &f, &file_record);
}

void h_files_download(rb_req *r)
{
    rb_file f;
    const void *data = NULL;
    int rc = files_get(r->db, &r->actor, r->route->kind, r->params[0], r->params[1], &r->arena, &f,
                       &data);
    if (!req_check(r, rc, NULL))
        return;
    req_download(r, f.filename, f.content_type, data, (size_t)f.size);
}

/* ---- counts, export, responsiveness ---- */

void h_incidents_stats(rb_req *r)
{
    struct incident_filter f;
    if (!incident_filter_read(r, &f))
        return;
    struct incident_counts c;
    int rc = incident_counts(r->db, &r->actor, &f, &c);
    if (!req_check(r, rc, NULL))
        return;
    incident_counts_write_json(req_json_begin(r, 200), &c);
}

#define EXPORT_MAX 100000 /* rows in one CSV export */

void h_incidents_export(rb_req *r)
{
    struct incident_filter f;
    if (!incident_filter_read(r, &f))
        return;
    static const char *const head[] = {"reference",    "id",          "title",
                                       "rsit_class",   "rsit_type",   "severity",
                                       "status",       "tlp",         "cii_involved",
                                       "org",          "province",    "handling_org",
                                       "detected_at",  "reported_at", "acknowledged_at",
                                       "contained_at", "ended_at",    "next_due",
                                       "overdue",      "escalations", NULL};
    char name[80];
    rb_time_format(rb_now(), name);
    name[10] = '\0';
    snprintf(r->disposition, sizeof(r->disposition), "attachment; filename=\"incidents-%s.csv\"",
             name);
    csv_writer w;
    csv_writer_init(&w, req_out_begin(r, 200, "text/csv; charset=utf-8"),
                    CSV_QUOTE_ALL | CSV_FOLD_NEWLINES);
    csv_header(&w, head);
    f.limit = 500;
    int64_t written = 0;
    for (;;) {
        rb_arena page;
        rb_arena_init(&page, 32 << 20);
        rb_incident *rows = NULL;
        int n = 0;
        bool more = false;
        int rc = incident_list(r->db, &r->actor, &f, &page, &rows, &n, &more, NULL);
        if (rc) {
            rb_arena_release(&page);
            req_fail(r, rc, NULL);
            return;
        }
        for (int i = 0; i < n && written < EXPORT_MAX; i++, written++) {
            const rb_incident *x = &rows[i];
            char ref[32];
            rb_fmt(ref, sizeof(ref), "INC-%06" PRId64, x->number);
            csv_word(&w, ref);
            csv_word(&w, x->id);
            csv_text(&w, x->title);
            csv_word(&w, x->rsit_class);
            csv_word(&w, x->rsit_type);
            csv_word(&w, x->severity);
            csv_word(&w, x->status);
            csv_word(&w, x->tlp);
            csv_word(&w, x->cii ? "yes" : "no");
            csv_text(&w, x->org_name);
            csv_word(&w, x->province ? x->province : "");
            csv_text(&w, x->handling_name);
            csv_word(&w, x->detected_at);
            csv_word(&w, x->reported_at);
            csv_word(&w, x->acknowledged_at ? x->acknowledged_at : "");
            csv_word(&w, x->contained_at ? x->contained_at : "");
            csv_word(&w, x->ended_at ? x->ended_at : "");
            char due[RB_TIME_SIZE] = "";
            if (x->next_clock >= 0)
                rb_time_format(x->clocks[x->next_clock].due, due);
            csv_word(&w, due);
            csv_word(&w, deadline_any_overdue(x->clocks) ? "yes" : "no");
            csv_int(&w, x->nhandlers > 0 ? x->nhandlers - 1 : 0);
            csv_end(&w);
        }
        if (n > 0)
            f.before = rows[n - 1].number;
        rb_arena_release(&page);
        if (!more || written >= EXPORT_MAX || n == 0)
            break;
    }
}

static void resp_csv_rows(csv_writer *w, const char *by, const struct resp_group *g, int n)
{
    for (int i = 0; i < n; i++) {
        csv_word(w, by);
        csv_text(w, g[i].key);
        csv_text(w, g[i].name);
        csv_int(w, g[i].incidents);
        csv_int(w, g[i].periods);
        csv_int(w, g[i].in_time);
        csv_int(w, g[i].late);
        csv_int(w, g[i].missed);
        csv_int(w, g[i].pending);
        csv_int(w, g[i].handed_on);
        if (g[i].ack_share < 0)
            csv_word(w, "");
        else
            csv_fixed(w, g[i].ack_share * 100, 1);
        if (g[i].ack_median < 0)
            csv_word(w, "");
        else
            csv_fixed(w, (double)g[i].ack_median / 60.0, 1);
        csv_int(w, g[i].contained);
        if (g[i].contain_median < 0)
            csv_word(w, "");
        else
            csv_fixed(w, (double)g[i].contain_median / 3600.0, 1);
        int64_t open = 0, overdue = 0;
        for (int s = 0; s < SEV__COUNT; s++) {
            open += g[i].open[s];
            overdue += g[i].overdue[s];
        }
        csv_int(w, open);
        csv_int(w, overdue);
        for (int s = 0; s < SEV__COUNT; s++)
            csv_int(w, g[i].open[s]);
        csv_end(w);
    }
}

void h_responsiveness(rb_req *r)
{
    const char *format = req_query(r, "format");
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
        req_error(r, 422, "invalid_field", "format", "\"format\" must be json or csv");
        return;
    }
    int64_t since = 0, until = 0;
    if (!read_when(r, "since", false, &since) || !read_when(r, "until", true, &until))
        return;
    if (!req_query(r, "since"))
        since = rb_now() - 90 * 86400LL; /* the last 90 days unless asked */
    if (until && until <= since) {
        req_error(r, 422, "invalid_field", "until", "\"until\" must come after \"since\"");
        return;
    }
    struct responsiveness out;
    int rc = incident_responsiveness(r->db, &r->actor, since, until, &r->arena, &out);
    if (!req_check(r, rc, NULL))
        return;
    if (!format || strcmp(format, "json") == 0) {
        responsiveness_write_json(req_json_begin(r, 200), &out);
        return;
    }
    static const char *const head[] = {"by",
                                       "key",
                                       "name",
                                       "incidents",
                                       "handling_periods",
                                       "acknowledged_in_time",
                                       "acknowledged_late",
                                       "missed",
                                       "pending",
                                       "handed_on",
                                       "share_in_time_percent",
                                       "median_minutes_to_acknowledge",
                                       "contained",
                                       "median_hours_to_contain",
                                       "open",
                                       "overdue",
                                       "open_emergency",
                                       "open_severe",
                                       "open_high",
                                       "open_medium",
                                       "open_low",
                                       "open_baseline",
                                       NULL};
    snprintf(r->disposition, sizeof(r->disposition), "attachment; filename=\"responsiveness.csv\"");
    csv_writer w;
    csv_writer_init(&w, req_out_begin(r, 200, "text/csv; charset=utf-8"),
                    CSV_QUOTE_ALL | CSV_FOLD_NEWLINES);
    csv_header(&w, head);
    resp_csv_rows(&w, "all", out.certs, 1);
    resp_csv_rows(&w, "cert", out.certs + 1, out.ncerts - 1);
    resp_csv_rows(&w, "province", out.provinces + 1, out.nprovinces - 1);
}

/* ---- the inbox ---- */

void h_inbox_read(rb_req *r)
{
    struct inbox_read_body *in = rb_arena_alloc(&r->arena, sizeof(*in));
    if (!in) {
        req_fail(r, RB_ENOMEM, NULL);
        return;
    }
    memset(in, 0, sizeof(*in));
    if (!req_body(r, &body_inbox_read, in))
        return;
    int marked = 0;
    int rc = inbox_mark_read(r->db, &r->actor, in->seqs, in->n, in->all, &marked, &r->ei);
    if (!req_check(r, rc, &r->ei))
        return;
    rj_writer *w = req_json_begin(r, 200);
    rjw_obj(w);
    rjw_kint(w, "marked", marked);
    rjw_obj_end(w);
}
