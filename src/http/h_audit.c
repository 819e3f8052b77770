/* h_audit.c - the audit trail for auditors and admins: their org and, for a CERT, its subtree. */
#include "base/common.h"
#include "core/audit.h"
#include "http/list.h"
#include "http/router.h"

struct audit_filter {
    const char *org_id; /* ?org_id= */
    int64_t before;     /* the cursor: the sequence of the last entry shown, 0 from the newest */
};

static bool audit_read(rb_req *r, struct list_query *q)
{
    struct audit_filter *f = q->filter;
    if (q->cursor && rb_parse_int64(q->cursor, 1, INT64_MAX, &f->before)) {
        req_error(r, 422, "invalid_field", "cursor", "the cursor is not valid for this list");
        return false;
    }
    f->org_id = req_query(r, "org_id");
    return true;
}

static int audit_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    const struct audit_filter *f = q->filter;
    rb_audit_entry *e = NULL;
    /* One extra row tells whether another page follows. */
    int rc = audit_list(r->db, &r->actor, f->org_id, f->before, q->limit + 1, &r->arena, &e, n);
    *more = rc == 0 && *n > q->limit;
    if (*more)
        *n = q->limit;
    *rows = e;
    return rc;
}

static void audit_write(rj_writer *w, const void *row)
{
    audit_entry_write_json(w, row);
}

static const char *audit_next(const void *last, char buf[LIST_CURSOR_MAX])
{
    snprintf(buf, LIST_CURSOR_MAX, "%" PRId64, ((const rb_audit_entry *)last)->seq);
    return buf;
}

const struct list_def list_audit = {
    .pages = LIST_PAGES_BY_KEY,
    .filter_size = sizeof(struct audit_filter),
    .read = audit_read,
    .list = audit_rows,
    .row_size = sizeof(rb_audit_entry),
    .write = audit_write,
    .next = audit_next,
    .refused = "only auditors and admins may read the audit trail",
};
