/* h_audit.c - the audit trail's filters, names, CSV export and chain check (the list is a row of
 * list.c). */
#include "base/common.h"
#include "base/rtime.h"
#include "core/audit.h"
#include "core/kind.h"
#include "formats/csv.h"
#include "http/list.h"
#include "http/router.h"

#define AUDIT_EXPORT_MAX 10000 /* entries in one CSV export */

/* A time filter: an RFC 3339 time, or a date (whole days: `until` covers the day). */
static bool read_time(rb_req *r, const char *key, bool end_of_day, rb_arena *a, const char **out)
{
    const char *v = req_query(r, key);
    int64_t t;
    *out = NULL;
    if (!v)
        return true;
    if (rb_time_parse(v, &t)) {
        req_error(r, 422, "invalid_field", key,
                  "\"%s\" must be a date like 2026-12-01 or a time like 2026-12-01T09:00:00Z", key);
        return false;
    }
    if (end_of_day && strlen(v) == 10)
        t += 86399;
    char *s = rb_arena_alloc(a, RB_TIME_SIZE);
    if (!s) {
        req_fail(r, RB_ENOMEM, NULL);
        return false;
    }
    rb_time_format(t, s);
    *out = s;
    return true;
}

bool audit_query_read(rb_req *r, struct audit_query *q)
{
    if (!list_query_flag(r, "changes", &q->changes_only))
        return false;
    const char *kind = req_query(r, "object_kind");
    if (kind && !kind_find(kind)) {
        req_error(r, 422, "invalid_field", "object_kind",
                  "\"object_kind\" must be a kind of object (org, user, token, catalog, profile, "
                  "campaign, assessment, incident, webhook)");
        return false;
    }
    q->org_id = req_query(r, "org_id");
    q->actor = req_query(r, "actor");
    q->action = req_query(r, "action");
    q->object_kind = kind;
    q->object_id = req_query(r, "object_id");
    return read_time(r, "since", false, &r->arena, &q->since) &&
           read_time(r, "until", true, &r->arena, &q->until);
}

int audit_name_objects(rb_req *r, rb_audit_entry *e, int n)
{
    for (int i = 0; i < n; i++) {
        const struct rb_kind *k = kind_find(e[i].object_kind);
        e[i].object_name = NULL;
        if (!k || !e[i].object_id)
            continue;
        int rc = kind_name(k, r->db, &r->actor, e[i].object_id, &r->arena, &e[i].object_name);
        if (rc && rc != RB_ENOTFOUND)
            return rc;
    }
    return 0;
}

void h_audit_export(rb_req *r)
{
    struct audit_query q = {.limit = 500};
    if (!audit_query_read(r, &q))
        return;
    rb_buf *out = req_out_begin(r, 200, "text/csv; charset=utf-8");
    snprintf(r->disposition, sizeof(r->disposition), "attachment; filename=\"audit.csv\"");
    static const char *const head[] = {"seq",         "at",        "actor",     "org",
                                       "action",      "object_kind", "object_id", "object_name",
                                       "hash",        NULL};
    csv_writer w;
    csv_writer_init(&w, out, 0);
    csv_header(&w, head);
    int total = 0;
    for (;;) {
        rb_audit_entry *e = NULL;
        int n = 0;
        bool more = false;
        int rc = audit_list(r->db, &r->actor, &q, &r->arena, &e, &n, &more);
        if (!rc)
            rc = audit_name_objects(r, e, n);
        if (!req_check(r, rc, NULL))
            return;
        for (int i = 0; i < n; i++) {
            csv_int(&w, e[i].seq);
            csv_word(&w, e[i].at);
            csv_text(&w, e[i].actor_label);
            csv_text(&w, e[i].org_name);
            csv_word(&w, e[i].action);
            csv_word(&w, e[i].object_kind);
            csv_word(&w, e[i].object_id);
            csv_text(&w, e[i].object_name);
            csv_word(&w, e[i].hash);
            csv_end(&w);
        }
        total += n;
        if (!more || n == 0 || total >= AUDIT_EXPORT_MAX)
            break;
        q.before = e[n - 1].seq;
    }
}

void h_audit_verify(rb_req *r)
{
    struct audit_verify_result res;
    int rc = audit_verify(r->db, &res);
    if (rc && rc != RB_ECONFLICT) {
        req_fail(r, rc, NULL);
        return;
    }
    rj_writer *w = req_json_begin(r, 200);
    rjw_obj(w);
    rjw_kbool(w, "intact", rc == 0);
    rjw_kint(w, "entries", res.entries);
    rjw_kstr(w, "head", res.head);
    rjw_key(w, "bad_seq");
    if (rc)
        rjw_int(w, res.bad_seq);
    else
        rjw_null(w);
    rjw_kstr(w, "reason", rc ? res.reason : NULL);
    rjw_obj_end(w);
}
