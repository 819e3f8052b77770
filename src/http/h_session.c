/* h_session.c - sign in and out, and the caller's own account (/me; changing its password is a
 * row in view.c). */
#include "base/common.h"
#include "core/notify.h"
#include "core/org.h"
#include "core/policy.h"
#include "core/user.h"
#include "http/body.h"
#include "http/body_incidents.h"
#include "http/router.h"

static void set_cookie(rb_req *r, const char *value, long max_age)
{
    snprintf(r->set_cookie, sizeof(r->set_cookie),
             REQ_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%ld%s", value,
             max_age, r->cookie_secure ? "; Secure" : "");
}

static void write_me(rb_req *r, rj_writer *w)
{
    rb_org org;
    int rc = org_get(r->db, &r->actor, r->actor.org.id, &r->arena, &org);
    rjw_kobj(w, "user");
    rjw_kstr(w, "id", r->actor.user_id);
    rjw_kstr(w, "email", r->actor.email);
    rjw_kstr(w, "name", r->actor.name);
    rjw_kstr(w, "role", rb_role_names[r->actor.role]);
    bool email = false;
    rjw_key(w, "email_notify");
    if (notify_email_get(r->db, &r->actor, &email) == 0)
        rjw_bool(w, email);
    else
        rjw_null(w);
    rjw_obj_end(w);
    rjw_key(w, "org");
    if (rc == 0)
        rjw_record(w, &org, &org_record);
    else
        rjw_null(w);
    rjw_karr(w, "permissions");
    for (int p = 0; p < PERM__COUNT; p++)
        if (policy_can(&r->actor, (enum rb_perm)p))
            rjw_str(w, rb_perm_table[p].name);
    rjw_arr_end(w);
}

void h_session_create(rb_req *r)
{
    struct session_body in;
    if (!req_body(r, &body_session, &in))
        return;
    char session[AUTH_SECRET_SIZE];
    int rc = auth_sign_in(r->db, in.email, in.password, session, r->csrf, &r->actor, &r->ei);
    if (rc) {
        if (rc == RB_EAUTH)
            req_error(r, 401, "invalid_credentials", NULL, "wrong email or password");
        else
            req_fail(r, rc, &r->ei);
        return;
    }
    r->authed = true;
    set_cookie(r, session, AUTH_SESSION_SECONDS);
    rj_writer *w = req_json_begin(r, 201);
    rjw_obj(w);
    rjw_kstr(w, "csrf_token", r->csrf);
    write_me(r, w);
    rjw_obj_end(w);
}

void h_session_get(rb_req *r)
{
    if (!r->via_cookie) {
        req_error(r, 404, "not_found", NULL, "bearer tokens have no session");
        return;
    }
    rj_writer *w = req_json_begin(r, 200);
    rjw_obj(w);
    rjw_kstr(w, "csrf_token", r->csrf);
    rjw_obj_end(w);
}

void h_session_delete(rb_req *r)
{
    if (!r->via_cookie) {
        req_error(r, 404, "not_found", NULL, "bearer tokens have no session; revoke the token");
        return;
    }
    int rc = auth_sign_out(r->db, &r->actor, req_cookie(r, REQ_SESSION_COOKIE));
    if (!req_check(r, rc, NULL))
        return;
    set_cookie(r, "", 0);
    req_no_content(r);
}

void h_me(rb_req *r)
{
    rj_writer *w = req_json_begin(r, 200);
    rjw_obj(w);
    write_me(r, w);
    rjw_obj_end(w);
}

void h_me_update(rb_req *r)
{
    struct me_body in;
    if (!req_body(r, &body_me, &in))
        return;
    int rc = notify_email_set(r->db, &r->actor, in.email_notify, &r->ei);
    if (!req_check(r, rc, &r->ei))
        return;
    h_me(r);
}
