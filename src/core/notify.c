/*
 * notify.c - the outbound queue: what each inbox item sends, queued in the item's transaction.
 * (The delivery over the network is notify_send.c.)
 *
 * Must never queue a message outside the write that causes it, or put a TLP:RED object's name in
 * a message.
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "core/kind.h"
#include "core/notify.h"
#include "formats/tlp.h"
#include "json/json.h"

static struct notify_config config;

void notify_configure(const struct notify_config *c)
{
    config = *c;
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

static int load_about(rb_db *db, const struct rb_kind *k, const char *object_id, struct about *ab)
{
    memset(ab, 0, sizeof(*ab));
    rb_stmt *st = NULL;
    int rc;
    if (k->tlp_sql) {
        if ((rc = db_prepare(db, k->tlp_sql, &st)))
            return rc;
        db_bind_text(st, 1, object_id);
        if (db_step(st) == DB_ROW && db_col_text(st, 1))
            rb_strlcpy(ab->tlp, db_col_text(st, 1), sizeof(ab->tlp));
        db_done(st);
    }
    if (k->name_sql && strcmp(ab->tlp, "RED") != 0) {
        if ((rc = db_prepare(db, k->name_sql, &st)))
            return rc;
        db_bind_text(st, 1, object_id);
        if (db_step(st) == DB_ROW && db_col_text(st, 0))
            rb_strlcpy(ab->name, db_col_text(st, 0), sizeof(ab->name));
        db_done(st);
    }
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
    rjw_kstr(&jw, "detail", detail ? detail : "");
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
    rb_stmt *st = NULL;
    int rc = db_prepare(w->db,
                        "INSERT INTO outbound(id, channel, org_id, webhook_id, recipient, event, "
                        "subject, body, status, attempts, next_at, created_at) VALUES "
                        "(?1,?2,?3,?4,?5,?6,?7,?8,'pending',0,?9,?9)",
                        &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, channel);
    db_bind_text(st, 3, org_id);
    db_bind_text(st, 4, webhook_id);
    db_bind_text(st, 5, recipient);
    db_bind_text(st, 6, event);
    db_bind_text(st, 7, subject ? subject : "");
    db_bind_text(st, 8, body);
    db_bind_text(st, 9, w->now);
    return db_run(st);
}

struct target {
    char id[RB_ID_SIZE];
    char *addr; /* webhook url or e-mail address */
};

static void webhook_from_row(rb_stmt *st, rb_arena *a, void *row)
{
    struct target *t = row;
    rb_strlcpy(t->id, db_col_text(st, 0) ? db_col_text(st, 0) : "", sizeof(t->id));
    t->addr = db_col_dup(st, 1, a); /* the events the webhook wants */
}

static void email_from_row(rb_stmt *st, rb_arena *a, void *row)
{
    struct target *t = row;
    t->id[0] = '\0';
    t->addr = db_col_dup(st, 0, a);
}

int notify_queue(rb_write *w, int64_t inbox_seq, const char *org_id, enum inbox_kind kind,
                 const struct rb_kind *k, const char *object_id, const char *detail)
{
    rb_arena a;
    rb_arena_init(&a, 1 << 20);
    struct about ab;
    rb_buf body;
    rb_buf_init(&body, 1 << 16);
    char event[64];
    rb_fmt(event, sizeof(event), "%s.%s", k->name, rb_inbox_kind_names[kind]);
    int rc = load_about(w->db, k, object_id, &ab);
    rb_stmt *st = NULL;
    void *rows = NULL;
    int n = 0;
    if (!rc && !(rc = db_prepare(w->db,
                                 "SELECT id, events FROM webhooks WHERE org_id = ?1 AND enabled = "
                                 "1 ORDER BY created_at, id",
                                 &st))) {
        db_bind_text(st, 1, org_id);
        rc = db_rows(st, sizeof(struct target), webhook_from_row, &a, &rows, &n);
    }
    struct target *hooks = rows;
    for (int i = 0; !rc && i < n; i++) {
        if (!subscribed(hooks[i].addr, kind))
            continue;
        char id[RB_ID_SIZE];
        rb_uuid_new(id);
        rb_buf_reset(&body);
        if (event_json(&body, id, w, inbox_seq, org_id, kind, k, object_id, detail, &ab))
            rc = RB_ETOOBIG;
        else
            rc = put_message(w, "webhook", org_id, hooks[i].id, "", event, NULL, id,
                             rb_buf_cstr(&body));
    }
    if (!rc && config.smtp_url[0] &&
        !(rc = db_prepare(w->db,
                          "SELECT email FROM users WHERE org_id = ?1 AND disabled = 0 AND "
                          "email_notify = 1 AND role IN ('admin','analyst','reporter') ORDER BY "
                          "email",
                          &st))) {
        db_bind_text(st, 1, org_id);
        rows = NULL;
        n = 0;
        rc = db_rows(st, sizeof(struct target), email_from_row, &a, &rows, &n);
        struct target *to = rows;
        char subject[700];
        rb_fmt(subject, sizeof(subject), "[rabta] %s: %s", rb_inbox_kind_labels[kind],
               ab.name[0] ? ab.name : "sign in to read it");
        for (int i = 0; !rc && i < n; i++) {
            char id[RB_ID_SIZE];
            rb_uuid_new(id);
            rb_buf_reset(&body);
            if (event_json(&body, id, w, inbox_seq, org_id, kind, k, object_id, detail, &ab))
                rc = RB_ETOOBIG;
            else
                rc = put_message(w, "email", org_id, NULL, to[i].addr, event, subject, id,
                                 rb_buf_cstr(&body));
        }
    }
    rb_buf_release(&body);
    rb_arena_release(&a);
    return rc;
}

/* Placeholder until notify_send.c delivers over the network: nothing is sent, the queue waits. */
int notify_deliver(rb_db *db, int max, int *sent, int *failed)
{
    (void)db;
    (void)max;
    if (sent)
        *sent = 0;
    if (failed)
        *failed = 0;
    return 0;
}
