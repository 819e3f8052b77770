/*
 * webhook.h - an org's webhooks: added, listed, removed and tested by the org's admins, with the
 * delivery log of each.
 *
 * Owns the rows of the webhooks table (core/notify queues and delivers their messages). Only an
 * admin of the org itself manages its webhooks (PERM_ORG_MANAGE, the org's own): callers who may
 * see the org get RB_EPERM, others RB_ENOTFOUND. The secret is made here (32 random bytes, hex),
 * returned once by webhook_create and never again. A removed webhook is disabled, not deleted, so
 * its delivery log stays readable; what it still had pending is marked failed. Every write is one
 * transaction with its audit entry (webhook.create, webhook.remove, webhook.test).
 */
#ifndef RABTA_WEBHOOK_H
#define RABTA_WEBHOOK_H

#include <stdbool.h>
#include <stdint.h>

#include "base/mem.h"
#include "core/actor.h"
#include "core/inbox.h"
#include "db/db.h"

#define WEBHOOKS_MAX 20            /* enabled webhooks per org */
#define WEBHOOK_SECRET_SIZE 65     /* 64 hex digits and NUL */
#define WEBHOOK_DELIVERIES_MAX 500 /* the most messages one page of the log holds */

/* A new webhook: its URL (http or https) and the inbox kinds it wants (bit 1 << enum inbox_kind),
 * or every kind, also kinds added later (all). */
struct webhook_input {
    const char *url;
    unsigned events;
    bool all;
};

/* The newest message of a webhook and how it went. */
struct webhook_last {
    char *id, *event, *status, *last_error, *created_at, *delivered_at, *tried_at;
    int attempts;
    int64_t status_code; /* of the newest try; 0 when none */
};

typedef struct rb_webhook {
    char *id, *org_id, *url, *events, *created_by, *created_at, *removed_at;
    bool enabled;
    struct webhook_last last; /* last.id NULL: nothing sent yet */
} rb_webhook;

typedef struct rb_delivery_try {
    int n;
    char *at, *error;
    int64_t status_code; /* 0 when there was no answer */
} rb_delivery_try;

typedef struct rb_delivery {
    int64_t seq; /* the page cursor */
    char *id, *event, *status, *next_at, *last_error, *created_at, *delivered_at;
    int attempts;
    rb_delivery_try *tries; /* oldest first */
    int ntries;
} rb_delivery;

/* Adds a webhook to org_id. Returns 0 with out_id and out_secret (the only time it is shown),
 * RB_EINVAL (ei names "url" or "events"), RB_ECONFLICT (WEBHOOKS_MAX reached), RB_EPERM,
 * RB_ENOTFOUND, RB_EAUTH or RB_EDB. */
int webhook_create(rb_db *db, const rb_actor *actor, const char *org_id,
                   const struct webhook_input *in, char out_id[RB_ID_SIZE],
                   char out_secret[WEBHOOK_SECRET_SIZE], rb_errinfo *ei);

/* The org's webhooks, removed ones too, newest first (the 500 newest), each with its newest
 * message. Rows live in the arena. Never the secret. */
int webhook_list(rb_db *db, const rb_actor *actor, const char *org_id, rb_arena *a,
                 rb_webhook **out, int *n);

/* One webhook of org_id (RB_ENOTFOUND when it belongs to another org). */
int webhook_get(rb_db *db, const rb_actor *actor, const char *org_id, const char *id, rb_arena *a,
                rb_webhook *out);

/* Removes (disables) a webhook; its pending messages fail with a reason. Removing a removed one
 * changes nothing and succeeds. */
int webhook_remove(rb_db *db, const rb_actor *actor, const char *org_id, const char *id,
                   rb_errinfo *ei);

/* Queues a "ping" to an enabled webhook; out_id the message's id. RB_ECONFLICT when removed. */
int webhook_test(rb_db *db, const rb_actor *actor, const char *org_id, const char *id,
                 char out_id[RB_ID_SIZE], rb_errinfo *ei);

/* The webhook's messages, newest first, before sequence `before` (0: from the newest), at most
 * limit (1..WEBHOOK_DELIVERIES_MAX), each with every try; *more when another page follows. */
int webhook_deliveries(rb_db *db, const rb_actor *actor, const char *org_id, const char *id,
                       int64_t before, int limit, rb_arena *a, rb_delivery **out, int *n,
                       bool *more);

struct kind_ref;
/* kind_webhook's load (core/kind.h): a webhook whose org the actor may see; its owner is the org.
 */
int webhook_kind_load(rb_db *db, const rb_actor *actor, const char *id, struct kind_ref *out);

struct rj_writer;
/* The JSON of a webhook, with "secret" first only when secret is not NULL (the answer that
 * created it), and of one message with its tries. */
/* A webhook as the API shows it (never its secret), and a delivery with its tries (rjw_record). */
extern const struct rb_record webhook_record, delivery_record;
/* A webhook, with its secret first when it is not NULL (the answer that creates it). */
void webhook_write_json(struct rj_writer *w, const rb_webhook *h, const char *secret);

#endif
