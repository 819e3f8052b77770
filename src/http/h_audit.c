/* h_audit.c - the audit trail for auditors and admins: their org and, for a CERT, its subtree. */
#include "base/common.h"
#include "core/audit.h"
#include "http/router.h"

void h_audit_list(rb_req *r)
{
    int limit;
    const char *cursor;
    if (!req_page(r, &limit, &cursor))
        return;
    int64_t before = 0;
    if (cursor && rb_parse_int64(cursor, 1, INT64_MAX, &before)) {
        req_error(r, 422, "invalid_field", "cursor", "the cursor is not valid for this list");
        return;
    }
    const char *org_id = req_query(r, "org_id");
    rb_audit_entry *rows = NULL;
    int n = 0;
    /* One extra row tells whether another page follows. */
    int rc = audit_list(r->db, &r->actor, org_id, before, limit + 1, &r->arena, &rows, &n);
    if (rc == RB_EPERM) {
        req_error(r, 403, "forbidden", NULL, "only auditors and admins may read the audit trail");
        return;
    }
    if (rc) {
        req_fail(r, rc, NULL);
        return;
    }
    bool more = n > limit;
    if (more)
        n = limit;
    rj_writer *w = req_list_begin(r);
    for (int i = 0; i < n; i++) {
        audit_entry_write_json(w, &rows[i]);
    }
    rjw_arr_end(w);
    rjw_key(w, "next_cursor");
    if (more) {
        char c[24];
        snprintf(c, sizeof(c), "%" PRId64, rows[n - 1].seq);
        rjw_str(w, c);
    } else {
        rjw_null(w);
    }
    rjw_obj_end(w);
}
