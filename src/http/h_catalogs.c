/* h_catalogs.c - guideline catalogs: import (OSCAL upload) and export (the list and the controls'
 * list are rows in list.c; a catalog and one control, rows in view.c). */
#include "base/common.h"
#include "base/utf8.h"
#include "core/catalog.h"
#include "core/kind.h"
#include "http/router.h"
#include "http/view.h"

void h_catalogs_import(rb_req *r)
{
    if (!req_document(r, "catalog", "the OSCAL catalog"))
        return;
    enum rb_tlp tlp = CATALOG_TLP_OF_DOCUMENT; /* the document's own marking, else GREEN */
    const char *t = req_query(r, "tlp");
    if (t && (tlp_parse(t, &tlp) || !(kind_catalog.tlp_allowed & (1u << tlp)))) {
        req_error(r, 422, "invalid_field", "tlp", "\"tlp\" must be CLEAR, GREEN or AMBER");
        return;
    }
    if (r->body.len == 0) {
        req_error(r, 400, "malformed_json", NULL,
                  "send an OSCAL catalog JSON document as the body");
        return;
    }
    struct catalog_import_stats st;
    char id[RB_ID_SIZE];
    int rc =
        catalog_import(r->db, &r->actor, &r->arena, r->body.ptr, r->body.len, tlp, id, &st, &r->ei);
    if (rc == RB_EINVAL) {
        req_error(r, 422, "invalid_catalog", r->ei.field, "%s%s%s",
                  r->ei.field[0] ? r->ei.field : "", r->ei.field[0] ? ": " : "", r->ei.msg);
        return;
    }
    if (req_check(r, rc, &r->ei))
        req_view(r, &view_catalog_alone, id, 201);
}

REQ_DOCUMENT(h_catalogs_export, "application/json",
             catalog_export(r->db, &r->actor, r->params[0], out), NULL)
