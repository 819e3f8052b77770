/* h_advisories.c - advisories: the CSAF upload and the CSAF download (the rest are rows in
 * view_advisories.c and list_advisories.c). */
#include "base/common.h"
#include "base/utf8.h"
#include "core/advisory.h"
#include "core/kind.h"
#include "http/router.h"
#include "http/view.h"

void h_advisories_import(rb_req *r)
{
    if (!req_document(r, "document", "the CSAF document"))
        return;
    int tlp = -1;
    const char *t = req_query(r, "tlp");
    enum rb_tlp level;
    if (t) {
        if (tlp_parse(t, &level)) {
            req_error(r, 422, "invalid_field", "tlp",
                      "\"tlp\" must be CLEAR, GREEN, AMBER, AMBER+STRICT or RED");
            return;
        }
        tlp = (int)level;
    }
    if (r->body.len == 0) {
        req_error(r, 400, "malformed_json", NULL, "send a CSAF 2.0 JSON document as the body");
        return;
    }
    char id[RB_ID_SIZE];
    bool created = false;
    int rc = advisory_import(r->db, &r->actor, &r->arena, r->body.ptr, r->body.len, tlp, id,
                             &created, &r->ei);
    if (rc == RB_EINVAL) {
        req_error(r, 422, "invalid_csaf", r->ei.field, "%s%s%s", r->ei.field[0] ? r->ei.field : "",
                  r->ei.field[0] ? ": " : "", r->ei.msg);
        return;
    }
    if (req_check(r, rc, &r->ei))
        req_view(r, &view_advisory, id, created ? 201 : 200);
}

void h_advisories_csaf(rb_req *r)
{
    int rev = 0;
    const char *v = req_query(r, "revision");
    if (v) {
        char *end = NULL;
        long n = strtol(v, &end, 10);
        if (!end || *end || n < 1 || n > 100000) {
            req_error(r, 422, "invalid_field", "revision", "\"revision\" is a revision number");
            return;
        }
        rev = (int)n;
    }
    rb_buf *out = req_out_begin(r, 200, "application/json");
    req_check(r, advisory_csaf(r->db, &r->actor, r->params[0], rev, &r->arena, out), NULL);
}
