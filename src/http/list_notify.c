/* list_notify.c - the list rows of an org's webhooks and of a webhook's delivery log. */
#include "base/common.h"
#include "core/webhook.h"
#include "http/list.h"

#define REFUSED "only the admins of the org manage its webhooks"

/* ---- GET /api/v1/orgs/{id}/webhooks: every webhook of the org, newest first ---- */

static int webhooks_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    RB_UNUSED(q);
    RB_UNUSED(more);
    rb_webhook *h = NULL;
    int rc = webhook_list(r->db, &r->actor, r->params[0], &r->arena, &h, n);
    *rows = h;
    return rc;
}

const struct list_def list_webhooks = {
    .pages = LIST_ONE_PAGE,
    .list = webhooks_rows,
    .record = &webhook_record,
    .refused = REFUSED,
};

/* ---- GET /api/v1/orgs/{id}/webhooks/{webhook}/deliveries: newest first, paged by number ---- */

static int deliveries_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    rb_delivery *d = NULL;
    int rc = webhook_deliveries(r->db, &r->actor, r->params[0], r->params[1],
                                q->after > 0 ? q->after : 0, q->limit, &r->arena, &d, n, more);
    *rows = d;
    return rc;
}

static int64_t delivery_number(const void *last)
{
    return ((const rb_delivery *)last)->seq;
}

const struct list_def list_webhook_deliveries = {
    .pages = LIST_PAGES_BY_NUMBER,
    .after_min = 1,
    .after_max = INT64_MAX,
    .number = delivery_number,
    .list = deliveries_rows,
    .record = &delivery_record,
    .refused = REFUSED,
};
