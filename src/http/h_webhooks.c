/* h_webhooks.c - an org's webhooks: add, remove (an action row, view.h), test (the list and the
 * delivery log are rows in list_notify.c). The routes admit only the org's own admins; core checks
 * again. */
#include "base/common.h"
#include "core/webhook.h"
#include "http/body.h"
#include "http/body_incidents.h"
#include "http/router.h"
#include "http/view.h"

void h_webhooks_create(rb_req *r)
{
    struct webhook_input in;
    if (!req_body(r, &body_webhook, &in))
        return;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    char id[RB_ID_SIZE], secret[WEBHOOK_SECRET_SIZE];
    int rc = webhook_create(r->db, &r->actor, r->params[0], &in, id, secret, &ei);
    if (!req_check(r, rc, &ei))
        return;
    rb_webhook h;
    rc = webhook_get(r->db, &r->actor, r->params[0], id, &r->arena, &h);
    if (!req_check(r, rc, NULL))
        return;
    webhook_write_json(req_json_begin(r, 201), &h, secret);
}

ACTION_RUN(webhook_remove_run, webhook_remove(r->db, &r->actor, r->params[0], r->params[1], &r->ei))
const struct action_def action_webhook_remove = {NULL, webhook_remove_run, NULL, 204};

void h_webhooks_test(rb_req *r)
{
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    char delivery[RB_ID_SIZE];
    int rc = webhook_test(r->db, &r->actor, r->params[0], r->params[1], delivery, &ei);
    if (!req_check(r, rc, &ei))
        return;
    rj_writer *w = req_json_begin(r, 202);
    rjw_obj(w);
    rjw_kstr(w, "id", delivery);
    rjw_kstr(w, "event", "ping");
    rjw_kstr(w, "status", "pending");
    rjw_obj_end(w);
}
