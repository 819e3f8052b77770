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

static int count_enabled(rb_db *db, const char *org_id, int64_t *n)
{
    rb_stmt *st = NULL;
    int rc = db_prepare(db, "SELECT count(*) FROM webhooks WHERE org_id = ?1 AND enabled = 1", &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, org_id);
    return db_int(st, n);
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
    rb_uuid_new(id);
    rb_random_hex(32, secret);
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    int64_t n = 0;
    rc = count_enabled(db, org_id, &n);
    if (!rc && n >= WEBHOOKS_MAX)
        rc = rb_err(ei, RB_ECONFLICT, "", "an org has at most %d webhooks; remove one first",
                    WEBHOOKS_MAX);
    rb_stmt *st = NULL;
    if (!rc && !(rc = db_prepare(db,
                                 "INSERT INTO webhooks(id, org_id, url, secret, events, enabled, "
                                 "created_by, created_at) VALUES (?1,?2,?3,?4,?5,1,?6,?7)",
                                 &st))) {
        db_bind_text(st, 1, id);
        db_bind_text(st, 2, org_id);
        db_bind_text(st, 3, in->url);
        db_bind_text(st, 4, secret);
        db_bind_text(st, 5, events);
        db_bind_text(st, 6, actor->label);
        db_bind_text(st, 7, w.now);
        rc = db_run(st);
    }
    rc = write_end(&w, rc, "webhook.create", &kind_webhook, id, org_id, "cannot add the webhook");
    if (!rc) {
        memcpy(out_id, id, RB_ID_SIZE);
        memcpy(out_secret, secret, WEBHOOK_SECRET_SIZE);
    }
    return rc;
}

/* ---- reading ---- */

static void hook_from_row(rb_stmt *st, rb_arena *a, void *row)
{
    rb_webhook *h = row;
    char **texts[] = {&h->id,
                      &h->org_id,
                      &h->url,
                      &h->events,
                      &h->created_by,
                      &h->created_at,
                      &h->removed_at,
                      &h->last.id,
                      &h->last.event,
                      &h->last.status,
                      &h->last.last_error,
                      &h->last.created_at,
                      &h->last.delivered_at,
                      &h->last.tried_at};
    static const int cols[] = {0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 15};
    for (size_t i = 0; i < RB_ARRAY_LEN(texts); i++)
        *texts[i] = db_col_dup(st, cols[i], a);
    h->enabled = db_col_int(st, 7) == 1;
    h->last.attempts = (int)db_col_int(st, 14);
    h->last.status_code = db_col_int(st, 16);
}

/* The org's webhooks, or (id not NULL) the one. */
static int read_hooks(rb_db *db, const char *org_id, const char *id, rb_arena *a, rb_webhook **out,
                      int *n)
{
    rb_stmt *st = NULL;
    int rc = db_prepare(db,
                        "SELECT w.id, w.org_id, w.url, w.events, w.created_by, w.created_at, "
                        "w.removed_at, w.enabled, o.id, o.event, o.status, o.last_error, "
                        "o.created_at, o.delivered_at, o.attempts, t.at, t.status_code FROM "
                        "webhooks w LEFT JOIN outbound o ON o.seq = (SELECT max(seq) FROM outbound "
                        "WHERE webhook_id = w.id) LEFT JOIN outbound_attempts t ON t.outbound_seq "
                        "= o.seq AND t.n = o.attempts WHERE w.org_id = ?1 AND (?2 IS NULL OR "
                        "w.id = ?2) ORDER BY w.created_at DESC, w.id DESC LIMIT 500",
                        &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, org_id);
    db_bind_text(st, 2, id);
    void *rows = NULL;
    rc = db_rows(st, sizeof(rb_webhook), hook_from_row, a, &rows, n);
    *out = rows;
    return rc;
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

static void delivery_from_row(rb_stmt *st, rb_arena *a, void *row)
{
    rb_delivery *d = row;
    d->seq = db_col_int(st, 0);
    char **texts[] = {&d->id,         &d->event,      &d->status,      &d->next_at,
                      &d->last_error, &d->created_at, &d->delivered_at};
    for (size_t i = 0; i < RB_ARRAY_LEN(texts); i++)
        *texts[i] = db_col_dup(st, (int)i + 1, a);
    d->attempts = (int)db_col_int(st, 8);
}

struct try_row {
    int64_t seq;
    rb_delivery_try t;
};

static void try_from_row(rb_stmt *st, rb_arena *a, void *row)
{
    struct try_row *r = row;
    r->seq = db_col_int(st, 0);
    r->t.n = (int)db_col_int(st, 1);
    r->t.at = db_col_dup(st, 2, a);
    r->t.status_code = db_col_int(st, 3);
    r->t.error = db_col_dup(st, 4, a);
}

/* The tries of the messages with sequence numbers lo..hi, newest message first. */
static int read_tries(rb_db *db, const char *id, int64_t lo, int64_t hi, rb_arena *a,
                      struct try_row **out, int *n)
{
    rb_stmt *st = NULL;
    int rc = db_prepare(db,
                        "SELECT a.outbound_seq, a.n, a.at, a.status_code, a.error FROM "
                        "outbound_attempts a JOIN outbound o ON o.seq = a.outbound_seq WHERE "
                        "o.webhook_id = ?1 AND a.outbound_seq BETWEEN ?2 AND ?3 ORDER BY "
                        "a.outbound_seq DESC, a.n",
                        &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, lo);
    db_bind_int(st, 3, hi);
    void *rows = NULL;
    rc = db_rows(st, sizeof(struct try_row), try_from_row, a, &rows, n);
    *out = rows;
    return rc;
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
    if (!rc && !(rc = db_prepare(db,
                                 "SELECT seq, id, event, status, next_at, last_error, created_at, "
                                 "delivered_at, attempts FROM outbound WHERE webhook_id = ?1 AND "
                                 "seq < ?2 ORDER BY seq DESC LIMIT ?3",
                                 &st))) {
        db_bind_text(st, 1, id);
        db_bind_int(st, 2, before > 0 ? before : INT64_MAX);
        db_bind_int(st, 3, limit + 1);
        void *rows = NULL;
        rc = db_page(st, limit, sizeof(rb_delivery), delivery_from_row, a, &rows, n, more);
        *out = rows;
    }
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
    rb_stmt *st = NULL;
    char org[RB_ID_SIZE] = "";
    int rc = db_prepare(db, "SELECT org_id FROM webhooks WHERE id = ?1", &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, id);
    rc = db_step(st);
    if (rc == DB_ROW && db_col_text(st, 0))
        rb_strlcpy(org, db_col_text(st, 0), sizeof(org));
    db_done(st);
    if (rc < 0)
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
    rb_stmt *st = NULL;
    if (!rc && enabled &&
        !(rc = db_prepare(db,
                          "UPDATE webhooks SET enabled = 0, removed_at = ?2, removed_by = ?3 "
                          "WHERE id = ?1",
                          &st))) {
        db_bind_text(st, 1, id);
        db_bind_text(st, 2, w.now);
        db_bind_text(st, 3, actor->label);
        rc = db_run(st);
    }
    /* What a sender holds now it finishes; the rest will never be sent. */
    if (!rc && enabled &&
        !(rc = db_prepare(db,
                          "UPDATE outbound SET status = 'failed', last_error = ?3 WHERE webhook_id "
                          "= ?1 AND status = 'pending' AND (lease_until IS NULL OR lease_until <= "
                          "?2)",
                          &st))) {
        db_bind_text(st, 1, id);
        db_bind_text(st, 2, w.now);
        db_bind_text(st, 3, REMOVED_ERROR);
        rc = db_run(st);
    }
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

/* An HTTP status or SMTP reply code; null when nothing answered. */
static void write_code(rj_writer *w, int64_t code)
{
    rjw_key(w, "status_code");
    if (code > 0)
        rjw_int(w, code);
    else
        rjw_null(w);
}

static void write_events(rj_writer *w, const char *events)
{
    rjw_key(w, "events");
    rjw_arr(w);
    for (const char *p = events ? events : ""; *p;) {
        size_t len = strcspn(p, ",");
        rjw_strn(w, p, len);
        p += len + (p[len] == ',' ? 1 : 0);
    }
    rjw_arr_end(w);
}

void webhook_write_json(rj_writer *w, const rb_webhook *h, const char *secret)
{
    rjw_obj(w);
    if (secret)
        rjw_kstr(w, "secret", secret);
    rjw_kstr(w, "id", h->id);
    rjw_kstr(w, "org_id", h->org_id);
    rjw_kstr(w, "url", h->url);
    write_events(w, h->events);
    rjw_kbool(w, "enabled", h->enabled);
    rjw_kstr(w, "created_by", h->created_by);
    rjw_kstr(w, "created_at", h->created_at);
    rjw_kstr(w, "removed_at", h->removed_at);
    rjw_key(w, "last_delivery");
    if (!h->last.id) {
        rjw_null(w);
    } else {
        rjw_obj(w);
        rjw_kstr(w, "id", h->last.id);
        rjw_kstr(w, "event", h->last.event);
        rjw_kstr(w, "status", h->last.status);
        rjw_kint(w, "attempts", h->last.attempts);
        rjw_kstr(w, "created_at", h->last.created_at);
        rjw_kstr(w, "tried_at", h->last.tried_at);
        write_code(w, h->last.status_code);
        rjw_kstr(w, "error", h->last.last_error);
        rjw_kstr(w, "delivered_at", h->last.delivered_at);
        rjw_obj_end(w);
    }
    rjw_obj_end(w);
}

void delivery_write_json(rj_writer *w, const rb_delivery *d)
{
    rjw_obj(w);
    rjw_kstr(w, "id", d->id);
    rjw_kstr(w, "event", d->event);
    rjw_kstr(w, "status", d->status);
    rjw_kint(w, "attempts", d->attempts);
    rjw_kstr(w, "next_at", d->status && strcmp(d->status, "pending") == 0 ? d->next_at : NULL);
    rjw_kstr(w, "error", d->last_error);
    rjw_kstr(w, "created_at", d->created_at);
    rjw_kstr(w, "delivered_at", d->delivered_at);
    rjw_key(w, "tries");
    rjw_arr(w);
    for (int i = 0; i < d->ntries; i++) {
        const rb_delivery_try *t = &d->tries[i];
        rjw_obj(w);
        rjw_kint(w, "n", t->n);
        rjw_kstr(w, "at", t->at);
        write_code(w, t->status_code);
        rjw_kstr(w, "error", t->error);
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
    rjw_obj_end(w);
}
