/* h_users.c - users of an org: list, get, create, disable/enable, password reset. */
#include "base/common.h"
#include "core/user.h"
#include "http/body.h"
#include "http/list.h"
#include "http/router.h"

struct users_filter {
    const char *org_id; /* NULL: the caller's org */
};

static bool users_read(rb_req *r, struct list_query *q)
{
    struct users_filter *f = q->filter;
    f->org_id = req_query(r, "org_id");
    return true;
}

static int users_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    const struct users_filter *f = q->filter;
    rb_user *u = NULL;
    int rc = user_list(r->db, &r->actor, f->org_id, q->cursor, q->limit, &r->arena, &u, n, more);
    *rows = u;
    return rc;
}

static void users_write(rj_writer *w, const void *row)
{
    user_write_json(w, row);
}

LIST_ID_FIRST(rb_user);
const struct list_def list_users = {
    .pages = LIST_PAGES_BY_ID,
    .filter_size = sizeof(struct users_filter),
    .read = users_read,
    .list = users_rows,
    .row_size = sizeof(rb_user),
    .write = users_write,
    .refused = "only admins and auditors may list users",
};

static void answer_user(rb_req *r, const char *id, int status)
{
    rb_user u;
    int rc = user_get(r->db, &r->actor, id, &r->arena, &u);
    if (!req_check(r, rc, NULL))
        return;
    user_write_json(req_json_begin(r, status), &u);
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
