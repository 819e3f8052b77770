/*
 * notify.c - the outbound queue: what each inbox item sends, queued in the item's transaction.
 * (The delivery over the network is notify_send.c.)
 *
 * Must never queue a message outside the write that causes it, send one about an object to an org
 * that may not read it (the inbox shows such an item to no one), or put a TLP:RED object's name or
 * its item's sentence in a message.
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "core/kind.h"
#include "core/notify.h"
#include "core/org.h"
#include "formats/tlp.h"
#include "json/json.h"

#include <curl/curl.h>

static struct notify_config config;
static bool curl_ready;

void notify_configure(const struct notify_config *c)
{
    config = *c;
    /* libcurl's global set-up is not thread-safe everywhere: it runs here, before threads. */
    if (!curl_ready)
        curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

void notify_release(void)
{
    if (curl_ready)
        curl_global_cleanup();
    curl_ready = false;
}

const struct notify_config *notify_config(void)
{
    return &config;
}

/* What a message says about its object, read once per item. */
struct about {
    char tlp[16];
    char name[512]; /* "" for TLP:RED or when the kind has no name */
    char url[512];
};

/* Copies column col of sql's row for ?1 = id into out (size bytes); out stays as it is when there
 * is no row or the column is NULL. */
static int copy_col(rb_db *db, const char *sql, const char *id, int col, char *out, size_t size)
{
    rb_stmt *st = NULL;
    int rc = db_prepare(db, sql, &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, id);
    if (db_step(st) == DB_ROW && db_col_text(st, col))
        rb_strlcpy(out, db_col_text(st, col), size);
    db_done(st);
    return 0;
}

static int load_about(rb_db *db, const struct rb_kind *k, const char *object_id, struct about *ab)
{
    memset(ab, 0, sizeof(*ab));
    int rc;
    if (k->tlp_sql && (rc = copy_col(db, k->tlp_sql, object_id, 1, ab->tlp, sizeof(ab->tlp))))
        return rc;
    if (k->name_sql && strcmp(ab->tlp, "RED") != 0 &&
        (rc = copy_col(db, k->name_sql, object_id, 0, ab->name, sizeof(ab->name))))
        return rc;
    rb_fmt(ab->url, sizeof(ab->url), "%s/#/%ss/%s", config.public_url, k->name, object_id);
    return 0;
}

/* The event as JSON: what a webhook receives, and what an e-mail is written from. */
static int event_json(rb_buf *out, const char *delivery, const rb_write *w, int64_t inbox_seq,
                      const char *org_id, enum inbox_kind kind, const struct rb_kind *k,
                      const char *object_id, const char *detail, const struct about *ab)
{
    char event[64];
    rb_fmt(event, sizeof(event), "%s.%s", k->name, rb_inbox_kind_names[kind]);
    rj_writer jw;
    rjw_init(&jw, out);
    rjw_obj(&jw);
    rjw_kstr(&jw, "event", event);
    rjw_kstr(&jw, "delivery", delivery);
    rjw_kstr(&jw, "created_at", w->now);
    rjw_kstr(&jw, "org_id", org_id);
    rjw_kint(&jw, "inbox_seq", inbox_seq);
    rjw_kstr(&jw, "kind", rb_inbox_kind_names[kind]);
    rjw_kstr(&jw, "label", rb_inbox_kind_labels[kind]);
    /* A TLP:RED object's item sentence may quote it (an escalation's reason, a task's title):
     * it stays inside, with the name. */
    rjw_kstr(&jw, "detail", strcmp(ab->tlp, "RED") == 0 ? NULL : detail ? detail : "");
    rjw_key(&jw, "object");
    rjw_obj(&jw);
    rjw_kstr(&jw, "kind", k->name);
    rjw_kstr(&jw, "id", object_id);
    rjw_kstr(&jw, "tlp", ab->tlp[0] ? ab->tlp : NULL);
    rjw_kstr(&jw, "name", ab->name[0] ? ab->name : NULL);
    rjw_kstr(&jw, "url", ab->url);
    rjw_obj_end(&jw);
    rjw_obj_end(&jw);
    return rjw_finish(&jw);
}

static bool subscribed(const char *events, enum inbox_kind kind)
{
    if (!events || strcmp(events, "*") == 0)
        return true;
    size_t n = strlen(rb_inbox_kind_names[kind]);
    for (const char *p = events; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, rb_inbox_kind_names[kind], n) == 0)
            return true;
        p += len + (comma ? 1 : 0);
    }
    return false;
}

static int put_message(rb_write *w, const char *channel, const char *org_id, const char *webhook_id,
                       const char *recipient, const char *event, const char *subject,
                       const char *id, const char *body)
{
    return db_exec(w->db,
                   "INSERT INTO outbound(id, channel, org_id, webhook_id, recipient, event, "
                   "subject, body, status, attempts, next_at, created_at) VALUES "
                   "(?1,?2,?3,?4,?5,?6,?7,?8,'pending',0,?9,?9)",
                   DB_ARGS(DB_TEXT(id), DB_TEXT(channel), DB_TEXT(org_id), DB_TEXT(webhook_id),
                           DB_TEXT(recipient), DB_TEXT(event), DB_TEXT(subject ? subject : ""),
                           DB_TEXT(body), DB_TEXT(w->now)));
}

/* Where a message goes: a webhook (its id and the events it wants) or an e-mail address. */
struct target {
    char *id, *addr;
};
static const struct rb_member target_members[] = {RB_HIDDEN_MEMBERS(struct target, id, addr)};
static const struct rb_record target_record = RB_RECORD(struct target, target_members);
static const struct rb_member address_members[] = {RB_HIDDEN_MEMBERS(struct target, addr)};
static const struct rb_record address_record = RB_RECORD(struct target, address_members);

/* Whether org_id may read the object, by the rule every read follows (core/kind). */
static bool org_may_read(rb_db *db, const struct rb_kind *k, const char *org_id,
                         const char *object_id)
{
    rb_actor viewer;
    memset(&viewer, 0, sizeof(viewer));
    viewer.role = ROLE_VIEWER;
    struct kind_ref ref;
    return org_ref_load(db, org_id, &viewer.org) == 0 &&
           kind_load(k, db, &viewer, object_id, &ref) == 0;
}

/* What every message of one event shares; queue_one sends it to one target. */
struct event_msg {
    int64_t inbox_seq;
    const char *org_id;
    enum inbox_kind kind;
    const struct rb_kind *k;
    const char *object_id, *detail;
    const struct about *ab;
    const char *event; /* "<kind>.<inbox kind>" */
    rb_buf *body;      /* scratch for the JSON */
};

/* Queues the event for one target (a webhook, or an e-mail recipient) under a delivery id of its
 * own. RB_ETOOBIG when the JSON does not fit. */
static int queue_one(rb_write *w, const struct event_msg *e, const char *channel,
                     const char *webhook_id, const char *recipient, const char *subject)
{
    char id[RB_ID_SIZE];
    rb_uuid_new(id);
    rb_buf_reset(e->body);
    if (event_json(e->body, id, w, e->inbox_seq, e->org_id, e->kind, e->k, e->object_id, e->detail,
                   e->ab))
        return RB_ETOOBIG;
    return put_message(w, channel, e->org_id, webhook_id, recipient, e->event, subject, id,
                       rb_buf_cstr(e->body));
}

int notify_queue(rb_write *w, int64_t inbox_seq, const char *org_id, enum inbox_kind kind,
                 const struct rb_kind *k, const char *object_id, const char *detail)
{
    if (!org_may_read(w->db, k, org_id, object_id))
        return 0;
    rb_arena *a = write_arena(w);
    struct about ab;
    rb_buf body;
    rb_buf_init(&body, 1 << 16);
    char event[64];
    rb_fmt(event, sizeof(event), "%s.%s", k->name, rb_inbox_kind_names[kind]);
    const struct event_msg ev = {inbox_seq, org_id, kind, k, object_id, detail, &ab, event, &body};
    int rc = load_about(w->db, k, object_id, &ab);
    rb_stmt *st = NULL;
    struct target *hooks = NULL;
    int n = 0;
    if (!rc && !(rc = db_query(w->db,
                               "SELECT id, events FROM webhooks WHERE org_id = ?1 AND enabled = 1 "
                               "ORDER BY created_at, id",
                               DB_ARGS(DB_TEXT(org_id)), &st)))
        rc = db_rows(st, &target_record, a, &hooks, &n);
    for (int i = 0; !rc && i < n; i++) {
        if (!subscribed(hooks[i].addr, kind))
            continue;
        rc = queue_one(w, &ev, "webhook", hooks[i].id, "", NULL);
    }
    if (!rc && config.smtp_url[0] &&
        !(rc = db_query(w->db,
                        "SELECT email FROM users WHERE org_id = ?1 AND disabled = 0 AND "
                        "email_notify = 1 AND role IN ('admin','analyst','reporter') ORDER BY "
                        "email",
                        DB_ARGS(DB_TEXT(org_id)), &st))) {
        struct target *to = NULL;
        n = 0;
        rc = db_rows(st, &address_record, a, &to, &n);
        char subject[700];
        rb_fmt(subject, sizeof(subject), "[rabta] %s: %s", rb_inbox_kind_labels[kind],
               ab.name[0] ? ab.name : "sign in to read it");
        for (int i = 0; !rc && i < n; i++) {
            rc = queue_one(w, &ev, "email", NULL, to[i].addr, subject);
        }
    }
    rb_buf_release(&body);
    return rc;
}

int notify_queue_ping(rb_write *w, const char *org_id, const char *webhook_id,
                      char out_id[RB_ID_SIZE])
{
    char id[RB_ID_SIZE];
    rb_uuid_new(id);
    rb_buf body;
    rb_buf_init(&body, 4096);
    rj_writer jw;
    rjw_init(&jw, &body);
    rjw_obj(&jw);
    rjw_kstr(&jw, "event", "ping");
    rjw_kstr(&jw, "delivery", id);
    rjw_kstr(&jw, "created_at", w->now);
    rjw_kstr(&jw, "org_id", org_id);
    rjw_kstr(&jw, "webhook_id", webhook_id);
    rjw_kstr(&jw, "detail",
             "A test message: the webhook is set up and its signature can be checked.");
    rjw_obj_end(&jw);
    int rc = rjw_finish(&jw);
    if (!rc)
        rc =
            put_message(w, "webhook", org_id, webhook_id, "", "ping", NULL, id, rb_buf_cstr(&body));
    rb_buf_release(&body);
    if (!rc)
        memcpy(out_id, id, RB_ID_SIZE);
    return rc;
}

int notify_email_get(rb_db *db, const rb_actor *actor, bool *on)
{
    rb_stmt *st = NULL;
    int rc = db_prepare(db, "SELECT email_notify FROM users WHERE id = ?1", &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, actor->user_id);
    rc = db_step(st);
    if (rc == DB_ROW)
        *on = db_col_int(st, 0) == 1;
    db_done(st);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : RB_ENOTFOUND;
}

int notify_email_set(rb_db *db, const rb_actor *actor, bool on, rb_errinfo *ei)
{
    if (rb_empty(actor->user_id))
        return rb_err(ei, RB_ENOTFOUND, "", "the local operator has no account to change");
    return write_exec(
        db, actor,
        &(struct write_entry){"user.email_notify", &kind_user, actor->user_id, actor->org.id,
                              .fail = "cannot change your e-mail setting",
                              .unchanged = {RB_ENOTFOUND, "", "cannot change your e-mail setting"}},
        "UPDATE users SET email_notify = ?2, updated_at = ?3 WHERE id = ?1",
        DB_ARGS(DB_TEXT(actor->user_id), DB_INT(on ? 1 : 0), WRITE_NOW), ei);
}
