/*
 * webhook.c - an org's webhooks and their delivery log (see webhook.h).
 *
 * Must never show a secret after the answer that created it, let anyone but the org's own admins
 * manage its webhooks, or delete the log of a removed one.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "core/kind.h"
#include "core/notify.h"
#include "core/notify_wire.h"
#include "core/policy.h"
#include "core/webhook.h"
#include "core/write.h"
#include "json/json.h"

#define REMOVED_ERROR "the webhook was removed before this was delivered"

/* Only the org's own admins (and the local operator). Who may not see the org: RB_ENOTFOUND. */
static int may_manage(rb_db *db, const rb_actor *actor, const char *org_id, rb_errinfo *ei)
{
    struct kind_ref ref;
    int rc = kind_load(&kind_org, db, actor, org_id, &ref);
    if (rc || actor->system)
        return rc;
    if (!policy_can(actor, PERM_ORG_MANAGE) || strcmp(actor->org.id, org_id) != 0)
        return rb_err(ei, RB_EPERM, "", "only the admins of the org manage its webhooks");
    return 0;
}

/* Whether webhook id of org_id is enabled. RB_ENOTFOUND when the org has no such webhook. */
static int hook_enabled(rb_db *db, const char *org_id, const char *id, bool *enabled)
{
    rb_stmt *st = NULL;
    int rc = db_prepare(db, "SELECT enabled FROM webhooks WHERE id = ?1 AND org_id = ?2", &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, org_id);
    rc = db_step(st);
    if (rc == DB_ROW)
        *enabled = db_col_int(st, 0) == 1;
    db_done(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : RB_ENOTFOUND;
}

/* The events column: "*" or the kinds' names with commas, in the kinds' order. */
static void events_text(const struct webhook_input *in, char *out, size_t size)
{
    out[0] = '\0';
    if (in->all) {
        rb_strlcpy(out, "*", size);
        return;
    }
    for (int k = 0; k < INBOX__COUNT; k++)
        if (in->events & (1u << k))
            rb_fmt(out + strlen(out), size - strlen(out), "%s%s", out[0] ? "," : "",
                   rb_inbox_kind_names[k]);
}

int webhook_create(rb_db *db, const rb_actor *actor, const char *org_id,
                   const struct webhook_input *in, char out_id[RB_ID_SIZE],
                   char out_secret[WEBHOOK_SECRET_SIZE], rb_errinfo *ei)
{
    int rc = may_manage(db, actor, org_id, ei);
    if (rc)
        return rc;
    if (rb_empty(in->url))
        return rb_err(ei, RB_EINVAL, "url", "\"url\" is required: where to POST the events");
    if ((rc = rb_field_checks(FIELD_URL, "url", in->url, ei)) ||
        (rc = notify_url_check(in->url, notify_config()->allow_private, ei)))
        return rc;
    if (!in->all && (in->events & ((1u << INBOX__COUNT) - 1)) == 0)
        return rb_err(ei, RB_EINVAL, "events", "\"events\" must name at least one kind, or \"*\"");
    char events[256], id[RB_ID_SIZE], secret[WEBHOOK_SECRET_SIZE];
    events_text(in, events, sizeof(events));
    rb_random_hex(32, secret);
    rb_uuid_new(id);
    rc = write_exec(db, actor,
                    &(struct write_entry){"webhook.create", &kind_webhook, id, org_id,
                                          .fail = "cannot add the webhook",
                                          .cap = {"SELECT count(*) FROM webhooks WHERE org_id = "
                                                  "?1 AND enabled = 1",
                                                  org_id, WEBHOOKS_MAX,
                                                  "an org has at most %d webhooks; remove one "
                                                  "first"}},
                    "INSERT INTO webhooks(id, org_id, url, secret, events, enabled, created_by, "
                    "created_at) VALUES (?1,?2,?3,?4,?5,1,?6,?7)",
                    DB_ARGS(DB_TEXT(id), DB_TEXT(org_id), DB_TEXT(in->url), DB_TEXT(secret),
                            DB_TEXT(events), DB_TEXT(actor->label), WRITE_NOW),
                    ei);
    if (!rc) {
        memcpy(out_id, id, RB_ID_SIZE);
        memcpy(out_secret, secret, WEBHOOK_SECRET_SIZE);
    }
    return rc;
}

/* ---- reading ---- */

static void write_events_value(rj_writer *w, const void *row)
{
    const rb_webhook *h = row;
    rjw_arr(w);
    for (const char *p = h->events ? h->events : ""; *p;) {
        size_t len = strcspn(p, ",");
        rjw_strn(w, p, len);
        p += len + (p[len] == ',' ? 1 : 0);
    }
    rjw_arr_end(w);
}

/* An HTTP status or SMTP reply code; null when nothing answered. */
static void write_code_value(rj_writer *w, int64_t code)
{
    if (code > 0)
        rjw_int(w, code);
    else
        rjw_null(w);
}

static void write_last_code(rj_writer *w, const void *row)
{
    write_code_value(w, ((const rb_webhook *)row)->last.status_code);
}

static const struct rb_record last_record;

static void write_last(rj_writer *w, const void *row)
{
    if (((const rb_webhook *)row)->last.id)
        rjw_record(w, row, &last_record);
    else
        rjw_null(w);
}

/* A webhook (shown up to HOOK_LAST: its last delivery, null before the first message), then from
 * HOOK_LAST + 1 the last delivery's own members, shown as that object; the columns of read_hooks
 * in order. */
#define HOOK_LAST 8
static const struct rb_member hook_members[] = {
    RB_MEMBERS(rb_webhook, id, org_id, url),
    RB_DERIVED(rb_webhook, events, "events", rb_text, write_events_value),
    RB_MEMBERS(rb_webhook, enabled, created_by, created_at, removed_at),
    RB_DERIVED(rb_webhook, last.id, "last_delivery", rb_text_later, write_last),
    RB_MEMBER_AS(rb_webhook, last.id, "id", rb_text),
    RB_MEMBER_AS(rb_webhook, last.event, "event", rb_text),
    RB_MEMBER_AS(rb_webhook, last.status, "status", rb_text),
    RB_MEMBER_AS(rb_webhook, last.attempts, "attempts", rb_int),
    RB_MEMBER_AS(rb_webhook, last.created_at, "created_at", rb_text),
    RB_MEMBER_AS(rb_webhook, last.tried_at, "tried_at", rb_text),
    RB_DERIVED(rb_webhook, last.status_code, "status_code", rb_int64, write_last_code),
    RB_MEMBER_AS(rb_webhook, last.last_error, "error", rb_text),
    RB_MEMBER_AS(rb_webhook, last.delivered_at, "delivered_at", rb_text),
};
static const struct rb_record hook_columns = RB_RECORD(rb_webhook, hook_members);
const struct rb_record webhook_record = {hook_members, HOOK_LAST + 1, sizeof(rb_webhook)};
static const struct rb_record last_record = {&hook_members[HOOK_LAST + 1],
                                             RB_ARRAY_LEN(hook_members) - (HOOK_LAST + 1),
                                             sizeof(rb_webhook)};

/* The org's webhooks, or (id not NULL) the one. */
static int read_hooks(rb_db *db, const char *org_id, const char *id, rb_arena *a, rb_webhook **out,
                      int *n)
{
    return db_query_rows(
        db,
        "SELECT w.id, w.org_id, w.url, w.events, w.enabled, w.created_by, "
        "w.created_at, w.removed_at, o.id, o.event, o.status, o.attempts, "
        "o.created_at, t.at, t.status_code, o.last_error, o.delivered_at FROM "
        "webhooks w LEFT JOIN outbound o ON o.seq = (SELECT max(seq) FROM outbound "
        "WHERE webhook_id = w.id) LEFT JOIN outbound_attempts t ON t.outbound_seq = "
        "o.seq AND t.n = o.attempts WHERE w.org_id = ?1 AND (?2 IS NULL OR w.id = "
        "?2) ORDER BY w.created_at DESC, w.id DESC LIMIT 500",
        DB_ARGS(DB_TEXT(org_id), DB_TEXT(id)), &hook_columns, a, out, n);
}

int webhook_list(rb_db *db, const rb_actor *actor, const char *org_id, rb_arena *a,
                 rb_webhook **out, int *n)
{
    int rc = may_manage(db, actor, org_id, NULL);
    return rc ? rc : read_hooks(db, org_id, NULL, a, out, n);
}

int webhook_get(rb_db *db, const rb_actor *actor, const char *org_id, const char *id, rb_arena *a,
                rb_webhook *out)
{
    rb_webhook *rows = NULL;
    int n = 0;
    int rc = may_manage(db, actor, org_id, NULL);
    if (!rc)
        rc = read_hooks(db, org_id, id, a, &rows, &n);
    if (!rc && n != 1)
        rc = RB_ENOTFOUND;
    if (!rc)
        *out = rows[0];
    return rc;
}

static void write_next_at(rj_writer *w, const void *row)
{
    const rb_delivery *d = row;
    rjw_str(w, d->status && strcmp(d->status, "pending") == 0 ? d->next_at : NULL);
}

static void write_try_code(rj_writer *w, const void *row)
{
    write_code_value(w, ((const rb_delivery_try *)row)->status_code);
}

static const struct rb_member try_shown_members[] = {
    RB_MEMBERS(rb_delivery_try, n, at),
    RB_DERIVED(rb_delivery_try, status_code, "status_code", rb_int64, write_try_code),
    RB_MEMBERS(rb_delivery_try, error),
};
static const struct rb_record try_shown = RB_RECORD(rb_delivery_try, try_shown_members);

static void write_tries(rj_writer *w, const void *row)
{
    const rb_delivery *d = row;
    rjw_records(w, d->tries, d->ntries, &try_shown);
}

static const struct rb_member delivery_members[] = {
    RB_MEMBERS(rb_delivery, id, event, status, attempts),
    RB_DERIVED(rb_delivery, next_at, "next_at", rb_text, write_next_at),
    RB_MEMBER_AS(rb_delivery, last_error, "error", rb_text),
    RB_MEMBERS(rb_delivery, created_at, delivered_at),
    RB_HIDDEN_MEMBERS(rb_delivery, seq),
    RB_DERIVED(rb_delivery, ntries, "tries", rb_int_later, write_tries),
};
const struct rb_record delivery_record = RB_RECORD(rb_delivery, delivery_members);

struct try_row {
    int64_t seq;
    rb_delivery_try t;
};
static const struct rb_member try_members[] = {
    RB_HIDDEN_MEMBERS(struct try_row, seq),
    RB_HIDDEN(struct try_row, t.n, rb_int),
    RB_HIDDEN(struct try_row, t.at, rb_text),
    RB_HIDDEN(struct try_row, t.status_code, rb_int64),
    RB_HIDDEN(struct try_row, t.error, rb_text),
};
static const struct rb_record try_record = RB_RECORD(struct try_row, try_members);

/* The tries of the messages with sequence numbers lo..hi, newest message first. */
static int read_tries(rb_db *db, const char *id, int64_t lo, int64_t hi, rb_arena *a,
                      struct try_row **out, int *n)
{
    return db_query_rows(db,
                         "SELECT a.outbound_seq, a.n, a.at, a.status_code, a.error FROM "
                         "outbound_attempts a JOIN outbound o ON o.seq = a.outbound_seq WHERE "
                         "o.webhook_id = ?1 AND a.outbound_seq BETWEEN ?2 AND ?3 ORDER BY "
                         "a.outbound_seq DESC, a.n",
                         DB_ARGS(DB_TEXT(id), DB_INT(lo), DB_INT(hi)), &try_record, a, out, n);
}

int webhook_deliveries(rb_db *db, const rb_actor *actor, const char *org_id, const char *id,
                       int64_t before, int limit, rb_arena *a, rb_delivery **out, int *n,
                       bool *more)
{
    bool enabled = false;
    int rc = may_manage(db, actor, org_id, NULL);
    if (!rc)
        rc = hook_enabled(db, org_id, id, &enabled);
    rb_stmt *st = NULL;
    if (!rc && !(rc = db_query(db,
                               "SELECT id, event, status, attempts, next_at, last_error, "
                               "created_at, delivered_at, seq FROM outbound WHERE webhook_id = ?1 "
                               "AND seq < ?2 ORDER BY seq DESC LIMIT ?3",
                               DB_ARGS(DB_TEXT(id), DB_INT(before > 0 ? before : INT64_MAX),
                                       DB_INT(limit + 1)),
                               &st)))
        rc = db_page(st, limit, &delivery_record, a, out, n, more);
    if (rc || *n == 0)
        return rc;
    rb_delivery *d = *out;
    struct try_row *t = NULL;
    int nt = 0;
    if ((rc = read_tries(db, id, d[*n - 1].seq, d[0].seq, a, &t, &nt)))
        return rc;
    /* Both run newest message first: each message's tries are the next run of equal seq. */
    int k = 0;
    for (int i = 0; i < *n; i++) {
        while (k < nt && t[k].seq > d[i].seq)
            k++;
        int start = k;
        while (k < nt && t[k].seq == d[i].seq)
            k++;
        d[i].ntries = k - start;
        d[i].tries = d[i].ntries ? rb_arena_alloc(a, sizeof(rb_delivery_try) * d[i].ntries) : NULL;
        if (d[i].ntries && !d[i].tries)
            return RB_ENOMEM;
        for (int j = 0; j < d[i].ntries; j++)
            d[i].tries[j] = t[start + j].t;
    }
    return 0;
}

int webhook_kind_load(rb_db *db, const rb_actor *actor, const char *id, struct kind_ref *out)
{
    char org[RB_ID_SIZE];
    int rc = db_query_text_buf(db, "SELECT org_id FROM webhooks WHERE id = ?1",
                               DB_ARGS(DB_TEXT(id)), org, sizeof(org));
    if (rc)
        return rc;
    if (!org[0])
        return RB_ENOTFOUND;
    if ((rc = kind_load(&kind_org, db, actor, org, out)))
        return rc;
    rb_strlcpy(out->subject, org, sizeof(out->subject));
    return 0;
}

/* ---- writes on an existing webhook ---- */

/* Begins a write on webhook id of org_id: the caller's right, the lock, then whether the webhook
 * is enabled, read under the lock. *begun says whether the caller must end the write. */
static int begin_on_hook(rb_write *w, rb_db *db, const rb_actor *actor, const char *org_id,
                         const char *id, bool *enabled, bool *begun, rb_errinfo *ei)
{
    *begun = false;
    int rc = may_manage(db, actor, org_id, ei);
    if (rc || (rc = write_begin(w, db, actor, ei)))
        return rc;
    *begun = true;
    return hook_enabled(db, org_id, id, enabled);
}

int webhook_remove(rb_db *db, const rb_actor *actor, const char *org_id, const char *id,
                   rb_errinfo *ei)
{
    bool enabled = false, begun;
    rb_write w;
    int rc = begin_on_hook(&w, db, actor, org_id, id, &enabled, &begun, ei);
    if (!rc && enabled)
        rc = db_exec(db,
                     "UPDATE webhooks SET enabled = 0, removed_at = ?2, removed_by = ?3 WHERE id "
                     "= ?1",
                     DB_ARGS(DB_TEXT(id), DB_TEXT(w.now), DB_TEXT(actor->label)));
    /* What a sender holds now it finishes; the rest will never be sent. */
    if (!rc && enabled)
        rc = db_exec(db,
                     "UPDATE outbound SET status = 'failed', last_error = ?3 WHERE webhook_id "
                     "= ?1 AND status = 'pending' AND (lease_until IS NULL OR lease_until <= "
                     "?2)",
                     DB_ARGS(DB_TEXT(id), DB_TEXT(w.now), DB_TEXT(REMOVED_ERROR)));
    if (!begun)
        return rc;
    return write_end(&w, rc, "webhook.remove", &kind_webhook, id, org_id,
                     "cannot remove the webhook");
}

int webhook_test(rb_db *db, const rb_actor *actor, const char *org_id, const char *id,
                 char out_id[RB_ID_SIZE], rb_errinfo *ei)
{
    bool enabled = false, begun;
    rb_write w;
    char delivery[RB_ID_SIZE];
    int rc = begin_on_hook(&w, db, actor, org_id, id, &enabled, &begun, ei);
    if (!begun)
        return rc;
    if (!rc && !enabled)
        rc = rb_err(ei, RB_ECONFLICT, "", "the webhook was removed; add a new one");
    if (!rc)
        rc = notify_queue_ping(&w, org_id, id, delivery);
    rc = write_end(&w, rc, "webhook.test", &kind_webhook, id, org_id, "cannot queue the test");
    if (!rc)
        memcpy(out_id, delivery, RB_ID_SIZE);
    return rc;
}

/* ---- JSON ---- */

void webhook_write_json(rj_writer *w, const rb_webhook *h, const char *secret)
{
    rjw_obj(w);
    if (secret)
        rjw_kstr(w, "secret", secret);
    rjw_members(w, h, &webhook_record);
    rjw_obj_end(w);
}
