/* h_users.c - users of an org: get, create, disable/enable, password reset (the list is a row in
 * list.c). */
#include "base/common.h"
#include "core/user.h"
#include "http/body.h"
#include "http/router.h"

static void answer_user(rb_req *r, const char *id, int status)
{
    rb_user u;
    int rc = user_get(r->db, &r->actor, id, &r->arena, &u);
    if (!req_check(r, rc, NULL))
        return;
    rjw_record(req_json_begin(r, status), &u, &user_record);
}

void h_users_get(rb_req *r)
{
    answer_user(r, r->params[0], 200);
}

void h_users_create(rb_req *r)
{
    rb_user_input in;
    if (!req_body(r, &body_user, &in))
        return;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    char id[RB_ID_SIZE];
    int rc = user_create(r->db, &r->actor, &in, id, &ei);
    if (!req_check(r, rc, &ei))
        return;
    answer_user(r, id, 201);
}

void h_users_update(rb_req *r)
{
    struct user_update_body in;
    if (!req_body(r, &body_user_update, &in))
        return;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = user_set_disabled(r->db, &r->actor, r->params[0], in.disabled, &ei);
    if (!req_check(r, rc, &ei))
        return;
    answer_user(r, r->params[0], 200);
}

void h_users_password(rb_req *r)
{
    struct user_password_body in;
    if (!req_body(r, &body_user_password, &in))
        return;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    const char *pw = in.password;
    if (strcmp(r->params[0], r->actor.user_id) == 0) {
        req_error(r, 422, "invalid_field", NULL,
                  "change your own password with POST /api/v1/me/password");
        return;
    }
    int rc = user_set_password(r->db, &r->actor, r->params[0], NULL, pw, NULL, &ei);
    if (!req_check(r, rc, &ei))
        return;
    req_no_content(r);
}
