/*
 * notify.h - messages that leave rabta: outbound webhooks and e-mail, from one queue.
 *
 * Owns the webhooks, outbound and outbound_attempts tables. When an inbox item is added
 * (core/inbox), notify_queue adds, in the same transaction, one message per enabled webhook of
 * the org that subscribes to the item's kind and, when the operator configured e-mail, one e-mail
 * per user of the org who wants e-mail (admins, analysts and reporters; users.email_notify). The
 * server's background thread delivers what is due (notify_deliver): a webhook is a JSON POST
 * signed with HMAC-SHA256 of its secret, an e-mail goes by SMTP through libcurl; a failure is
 * retried with backoff until NOTIFY_MAX_ATTEMPTS, each try kept as the delivery log. Because the
 * queue is a table, a restart loses nothing and sends nothing twice that was delivered.
 *
 * What leaves: the event, the object's kind, id, TLP and link, the item's sentence, and the
 * object's name except for TLP:RED objects (their recipients are people, not mail servers or
 * chat tools: the message says to sign in to read it).
 */
#ifndef RABTA_NOTIFY_H
#define RABTA_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/mem.h"
#include "core/actor.h"
#include "core/inbox.h"
#include "core/write.h"
#include "db/db.h"

struct rb_kind;

/* The operator's settings (rabta serve flags), set once before threads start. */
struct notify_config {
    char public_url[256]; /* the link base in messages ("https://rabta.cert.gov.pk"); may be "" */
    char smtp_url[256];   /* "smtp://127.0.0.1:2525"; "" turns e-mail off */
    char smtp_from[256];  /* the envelope and From: address */
    char smtp_user[128];  /* optional SMTP AUTH */
    char smtp_password[128];
    bool allow_private; /* webhooks may reach loopback and private addresses (tests, labs) */
};
void notify_configure(const struct notify_config *c);
const struct notify_config *notify_config(void);

/* Inside w: queues the messages of inbox item `inbox_seq` (added to org_id's inbox, of kind
 * `kind`, about (k, object_id), with detail). Returns 0 or RB_EDB. */
int notify_queue(rb_write *w, int64_t inbox_seq, const char *org_id, enum inbox_kind kind,
                 const struct rb_kind *k, const char *object_id, const char *detail);

/* Tries to deliver up to `max` messages whose time has come (next_at <= now); sets *sent and
 * *failed (may be NULL) to how many were delivered and how many tries failed. Each try and its
 * outcome are written in a transaction of their own. Never holds the write lock while it waits on
 * the network. */
#define NOTIFY_MAX_ATTEMPTS 8
int notify_deliver(rb_db *db, int max, int *sent, int *failed);

#endif
