/* h_inventory.c - an org's inventory as CSV: the import (a text/csv body) and the export (a
 * download). The routes admit the org's own writers (import) and its readers (export); core
 * checks again. */
#include "base/common.h"
#include "base/rtime.h"
#include "base/utf8.h"
#include "core/inventory.h"
#include "http/inventory.h"
#include "http/router.h"

void h_inventory_import(rb_req *r)
{
    if (!req_csv_upload(
            r, "the inventory as text/csv, with the header vendor,product,version,cpe,purl"))
        return;
    const char *replace = req_query(r, "replace");
    if (replace && strcmp(replace, "1") != 0 && strcmp(replace, "0") != 0) {
        req_error(r, 422, "invalid_field", "replace",
                  "\"replace\" must be 1 (the file replaces the whole inventory) or 0 (its rows "
                  "are added)");
        return;
    }
    struct inventory_file f;
    int rc = inventory_csv_read(r->body.ptr ? r->body.ptr : "", r->body.len, &r->arena, &f, &r->ei);
    struct inventory_counts c;
    if (!rc)
        rc = inventory_import(r->db, &r->actor, r->params[0], &f, replace && replace[0] == '1',
                              NULL, NULL, &c, &r->ei);
    if (!req_check(r, rc, &r->ei))
        return;
    const struct req_count counts[] = {{"rows", c.rows},
                                       {"added", c.added},
                                       {"duplicates", c.duplicates},
                                       {"removed", c.removed},
                                       {"items", c.items}};
    req_json_counts(r, counts, RB_ARRAY_LEN(counts));
}

void h_inventory_export(rb_req *r)
{
    rb_buf out;
    rb_buf_init(&out, INVENTORY_CSV_MAX_BYTES);
    int rc = inventory_export(r->db, &r->actor, r->params[0], &out);
    if (req_check(r, rc, NULL))
        req_download_csv(r, "inventory", &out);
    rb_buf_release(&out);
}
