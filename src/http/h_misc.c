/* h_misc.c - health, enumerations for forms, and the embedded web UI. */
#include "base/common.h"
#include "core/audit.h"
#include "core/org.h"
#include "core/policy.h"
#include "formats/tlp.h"
#include "http/assets.h"
#include "http/router.h"

void h_healthz(rb_req *r)
{
    rj_writer *w = req_json_begin(r, 200);
    rjw_obj(w);
    rjw_kstr(w, "status", "ok");
    rjw_obj_end(w);
}

static void names(rj_writer *w, const char *key, const char *const *list)
{
    rjw_karr(w, key);
    for (int i = 0; list[i]; i++)
        rjw_str(w, list[i]);
    rjw_arr_end(w);
}

void h_meta(rb_req *r)
{
    rj_writer *w = req_json_begin(r, 200);
    rjw_obj(w);
    names(w, "roles", rb_role_names);
    names(w, "org_kinds", rb_org_kind_names);
    names(w, "sectors", rb_sectors);
    names(w, "tlp", tlp_names);
    rjw_karr(w, "provinces");
    for (int i = 0; rb_provinces[i]; i++) {
        rjw_obj(w);
        rjw_kstr(w, "code", rb_provinces[i]);
        rjw_kstr(w, "name", rb_province_names[i]);
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
    names(w, "audit_actions", rb_audit_actions);
    rjw_obj_end(w);
}

void h_asset(rb_req *r)
{
    const char *path = r->params[0] ? r->path + 3 : "/index.html"; /* strip "/ui" */
    const struct rb_asset *a = asset_find(path);
    if (!a) {
        req_error(r, 404, "not_found", NULL, "no such file");
        return;
    }
    r->status = 200;
    r->content_type = a->mime;
    r->static_body = a->data;
    r->static_len = a->len;
    r->cache_ok = true;
}
