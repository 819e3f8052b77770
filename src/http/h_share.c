/* h_share.c - the grants and TLP of any shareable object; the route row names its kind. */
#include "base/common.h"
#include "core/share.h"
#include "http/body.h"
#include "http/router.h"

static void write_grants(rb_req *r, int status)
{
    rb_grant *rows = NULL;
    int n = 0;
    int rc = share_list(r->db, &r->actor, r->route->kind, r->params[0], &r->arena, &rows, &n);
    if (rc) {
        req_fail(r, rc, NULL);
        return;
    }
    rj_writer *w = req_json_begin(r, status);
    rjw_obj(w);
    rjw_key(w, "items");
    rjw_arr(w);
    for (int i = 0; i < n; i++)
        rjw_record(w, &rows[i], &share_grant_record);
    rjw_arr_end(w);
    rjw_kstr(w, "next_cursor", NULL);
    rjw_obj_end(w);
}

void h_grants_list(rb_req *r)
{
    write_grants(r, 200);
}

void h_grants_add(rb_req *r)
{
    struct grant_body in;
    if (!req_body(r, &body_grant, &in))
        return;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = share_add(r->db, &r->actor, r->route->kind, r->params[0], in.org_id,
                       (enum rb_scope)in.scope, &ei);
    if (rc) {
        req_fail(r, rc, &ei);
        return;
    }
    write_grants(r, 201);
}

void h_tlp_set(rb_req *r)
{
    struct tlp_body in;
    if (!req_body(r, &body_tlp, &in))
        return;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = share_set_tlp(r->db, &r->actor, r->route->kind, r->params[0], (enum rb_tlp)in.tlp,
                           &ei);
    if (rc) {
        req_fail(r, rc, &ei);
        return;
    }
    rj_writer *w = req_json_begin(r, 200);
    rjw_obj(w);
    rjw_kstr(w, "id", r->params[0]);
    rjw_kstr(w, "tlp", tlp_name((enum rb_tlp)in.tlp));
    rjw_obj_end(w);
}
