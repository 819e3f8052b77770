/* list_notify.c - the list rows of an org's webhooks and of a webhook's delivery log. */
#include "base/common.h"
#include "core/webhook.h"
#include "http/list.h"

#define REFUSED "only the admins of the org manage its webhooks"

/* ---- GET /api/v1/orgs/{id}/webhooks: every webhook of the org, newest first ---- */

LIST_DEF(list_webhooks, rb_webhook,
         webhook_list(r->db, &r->actor, r->params[0], &r->arena, &out, n), .pages = LIST_ONE_PAGE,
         .record = &webhook_record, .refused = REFUSED);

/* ---- GET /api/v1/orgs/{id}/webhooks/{webhook}/deliveries: newest first, paged by number ---- */

LIST_DEF(list_webhook_deliveries, rb_delivery,
         webhook_deliveries(r->db, &r->actor, r->params[0], r->params[1],
                            q->after > 0 ? q->after : 0, q->limit, &r->arena, &out, n, more),
         LIST_BY_NUMBER(rb_delivery, seq, 1, INT64_MAX), .record = &delivery_record,
         .refused = REFUSED);
