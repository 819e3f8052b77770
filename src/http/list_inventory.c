/* list_inventory.c - the list row of an org's inventory (see list.h). */
#include "base/common.h"
#include "core/inventory.h"
#include "http/inventory.h"
#include "http/list.h"
#include "json/field.h"

/* ---- GET /api/v1/orgs/{id}/inventory: by vendor, product and version, ?q=, paged by id ---- */

static bool inventory_read(rb_req *r, struct list_query *q)
{
    struct inventory_filter *f = q->filter;
    f->limit = q->limit;
    f->after_id = q->cursor;
    f->q = req_query(r, "q");
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    if (rb_field_checks(FIELD_TITLE, "q", f->q, &ei)) {
        req_error(r, 422, "invalid_field", "q", "%s", ei.msg);
        return false;
    }
    return true;
}

LIST_DEF(list_inventory, rb_inventory_item,
         inventory_list(r->db, &r->actor, r->params[0], q->filter, &r->arena, &out, n, more),
         LIST_BY_ID(rb_inventory_item), LIST_FILTER(struct inventory_filter, inventory_read),
         .record = &inventory_record);
