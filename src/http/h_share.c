/* h_share.c - the TLP of any shareable object; the route row names its kind (its grants are rows
 * in view.c). */
#include "base/common.h"
#include "core/share.h"
#include "http/body.h"
#include "http/router.h"

void h_tlp_set(rb_req *r)
{
    struct tlp_body in;
    if (!req_body(r, &body_tlp, &in))
        return;
    int rc = share_set_tlp(r->db, &r->actor, &r->arena, r->route->kind, r->params[0], (enum rb_tlp)in.tlp,
                           &r->ei);
    if (rc) {
        req_fail(r, rc, &r->ei);
        return;
    }
    rj_writer *w = req_json_begin(r, 200);
    rjw_obj(w);
    rjw_kstr(w, "id", r->params[0]);
    rjw_kstr(w, "tlp", tlp_name((enum rb_tlp)in.tlp));
    rjw_obj_end(w);
}
