/*
 * notify_send.c - delivering the outbound queue: webhooks over HTTP(S), e-mail over SMTP, both
 * through libcurl.
 *
 * One round: claim up to CLAIM_BATCH due messages by writing a lease on them (a short write
 * transaction), send each with no transaction open, then record each outcome in a write of its
 * own (core/write: its audit entry says delivered, retry or failed), but only where the lease is
 * still ours. A sender that stops mid-send leaves a lease that expires (LEASE_SECONDS), and the
 * message is claimed again: the queue is the table, so a restart loses nothing.
 *
 * Must never hold a transaction while on the network, send one message from two senders at
 * once, follow a redirect, speak a protocol other than http(s) for webhooks and smtp(s) for mail,
 * or let a webhook connect to a loopback, private or link-local address unless the operator
 * allowed it (--webhooks-allow-private): the guard judges the address each connection is about
 * to use, after name resolution, so a host name that resolves inward is refused too.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "core/kind.h"
#include "core/notify.h"
#include "core/notify_wire.h"
#include "core/org.h"
#include "core/write.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define CLAIM_BATCH 10
#define CONNECT_SECONDS 5L
#define SEND_SECONDS 10L
/* Long enough for every message of a batch to time out in turn, with a margin. */
#define LEASE_SECONDS(n) ((int64_t)(n) * (SEND_SECONDS + 5) + 60)
#define ERROR_MAX 300 /* bytes of error text kept per try */
#define MAIL_MAX (1 << 20)

/* One claimed message, with its webhook's address and secret (NULL for e-mail). */
struct msg {
    int64_t seq;
    int attempts;
    char *id, *channel, *org_id, *webhook_id, *recipient, *event, *subject, *body;
    char *url, *secret;
    bool hook_enabled;
};

struct outcome {
    bool tried; /* a connection was attempted: the try counts and is logged */
    bool ok;
    long code; /* HTTP status or SMTP reply code; 0 none */
    char error[ERROR_MAX + 1];
};

/* ---- the queue in the database ---- */

/* Writes the lease on up to max due messages; *n how many. E-mail waits while it is off. A
 * bookkeeping write (core/write.h): each message's outcome is what gets audited. */
static int claim(rb_db *db, const char *lease, int64_t now, int max, int *n)
{
    char at[RB_TIME_SIZE], until[RB_TIME_SIZE];
    rb_time_format(now, at);
    rb_time_format(now + LEASE_SECONDS(max), until);
    *n = 0;
    rb_write w;
    int rc = write_begin(&w, db, NULL, NULL);
    if (rc)
        return rc;
    rb_stmt *st = NULL;
    if (!(rc = db_prepare(db,
                          "UPDATE outbound SET lease = ?1, lease_until = ?2 WHERE seq IN (SELECT "
                          "seq FROM outbound WHERE status = 'pending' AND next_at <= ?3 AND "
                          "(lease_until IS NULL OR lease_until <= ?3) AND (channel = 'webhook' OR "
                          "?5 = 1) ORDER BY next_at, seq LIMIT ?4)",
                          &st))) {
        db_bind_text(st, 1, lease);
        db_bind_text(st, 2, until);
        db_bind_text(st, 3, at);
        db_bind_int(st, 4, max);
        db_bind_int(st, 5, notify_config()->smtp_url[0] ? 1 : 0);
        rc = db_run(st);
    }
    int changed = rc ? 0 : (int)db_changes(db);
    if (!(rc = write_end(&w, rc, NULL, NULL, NULL, NULL, NULL)))
        *n = changed;
    return rc;
}

static const struct rb_member msg_members[] = {
    RB_HIDDEN_MEMBERS(struct msg, seq, attempts, id, channel, org_id, webhook_id, recipient, event,
                      subject, body, url, secret, hook_enabled),
};
static const struct rb_record msg_record = RB_RECORD(struct msg, msg_members);

static int load_claimed(rb_db *db, const char *lease, rb_arena *a, struct msg **out, int *n)
{
    return db_query_rows(
        db,
        "SELECT o.seq, o.attempts, o.id, o.channel, o.org_id, o.webhook_id, "
        "o.recipient, o.event, o.subject, o.body, w.url, w.secret, w.enabled = 1 "
        "FROM outbound o LEFT JOIN webhooks w ON w.id = o.webhook_id WHERE o.lease = "
        "?1 ORDER BY o.next_at, o.seq",
        DB_ARGS(DB_TEXT(lease)), &msg_record, a, out, n);
}

/* Records one outcome where our lease still holds: the try (when there was one), the message's
 * new state, and the audit entry. RB_ECONFLICT when the lease was lost (nothing is written). */
static int record(rb_db *db, const rb_actor *sys, const struct msg *m, const char *lease,
                  const struct outcome *o)
{
    int n = m->attempts + (o->tried ? 1 : 0);
    bool retry = !o->ok && o->tried && n < NOTIFY_MAX_ATTEMPTS;
    int64_t now = rb_now();
    char next[RB_TIME_SIZE];
    rb_time_format(retry ? now + notify_backoff(n) : now, next);
    rb_write w;
    int rc = write_begin(&w, db, sys, NULL);
    if (rc)
        return rc;
    rc = db_exec(db,
                 "UPDATE outbound SET attempts = ?3, status = ?4, next_at = ?5, "
                 "last_error = ?6, delivered_at = ?7, lease = NULL, lease_until = NULL "
                 "WHERE seq = ?1 AND lease = ?2 AND status = 'pending'",
                 DB_ARGS(DB_INT(m->seq), DB_TEXT(lease), DB_INT(n),
                         DB_TEXT(o->ok ? "delivered" : retry ? "pending" : "failed"), DB_TEXT(next),
                         DB_TEXT(o->ok ? NULL : o->error), DB_TEXT(o->ok ? w.now : NULL)));
    if (!rc && db_changes(db) != 1)
        rc = RB_ECONFLICT;
    if (!rc && o->tried)
        rc = db_exec(db,
                     "INSERT INTO outbound_attempts(outbound_seq, n, at, status_code, error) "
                     "VALUES (?1,?2,?3,?4,?5)",
                     DB_ARGS(DB_INT(m->seq), DB_INT(n), DB_TEXT(w.now),
                             DB_INT_OR_NULL(o->code > 0, o->code),
                             DB_TEXT(o->ok ? NULL : o->error)));
    bool hook = strcmp(m->channel, "webhook") == 0 && m->webhook_id;
    return write_end(&w, rc,
                     o->ok   ? "outbound.delivered"
                     : retry ? "outbound.retry"
                             : "outbound.failed",
                     hook ? &kind_webhook : &kind_org, hook ? m->webhook_id : m->org_id, m->org_id,
                     NULL);
}

/* ---- sending ---- */

static void fail(struct outcome *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct outcome *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rb_vfmt(o->error, sizeof(o->error), fmt, ap);
    va_end(ap);
    o->ok = false;
}

/* The SSRF guard: judges the address each connection is about to use. */
struct guard {
    bool allow_private;
    char refused[200]; /* the first refusal, in words */
};

static curl_socket_t open_socket(void *ctx, curlsocktype purpose, struct curl_sockaddr *addr)
{
    struct guard *g = ctx;
    RB_UNUSED(purpose);
    if (!g->allow_private) {
        struct sockaddr_storage ss;
        memset(&ss, 0, sizeof(ss));
        memcpy(&ss, &addr->addr, addr->addrlen < sizeof(ss) ? addr->addrlen : sizeof(ss));
        const char *why = notify_addr_refusal((const struct sockaddr *)&ss);
        if (why) {
            char ip[INET6_ADDRSTRLEN] = "an address";
            const void *bytes = ss.ss_family == AF_INET6
                                    ? (const void *)&((struct sockaddr_in6 *)&ss)->sin6_addr
                                    : (const void *)&((struct sockaddr_in *)&ss)->sin_addr;
            inet_ntop(ss.ss_family, bytes, ip, sizeof(ip));
            if (!g->refused[0])
                rb_fmt(g->refused, sizeof(g->refused),
                       "refused to connect to %s, a %s address: webhooks may reach only public "
                       "addresses (the server runs without --webhooks-allow-private)",
                       ip, why);
            return CURL_SOCKET_BAD;
        }
    }
    return socket(addr->family, addr->socktype, addr->protocol);
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    RB_UNUSED(p);
    RB_UNUSED(ctx);
    return size * n;
}

/* A transfer with the rules every message obeys: its protocols only, timeouts, no redirects, no
 * proxy from the environment. */
static CURL *easy_new(const char *url, const char *protocols, char errbuf[CURL_ERROR_SIZE])
{
    CURL *h = curl_easy_init();
    if (!h)
        return NULL;
    errbuf[0] = '\0';
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_SECONDS);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, SEND_SECONDS);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROXY, "");
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    return h;
}

static void transfer_failed(struct outcome *o, const char *what, CURLcode rc, const char *errbuf)
{
    if (errbuf[0])
        fail(o, "%s: %s (%s)", what, curl_easy_strerror(rc), errbuf);
    else
        fail(o, "%s: %s", what, curl_easy_strerror(rc));
}

static struct curl_slist *header(struct curl_slist *list, bool *ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static struct curl_slist *header(struct curl_slist *list, bool *ok, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int cut = rb_vfmt(line, sizeof(line), fmt, ap);
    va_end(ap);
    struct curl_slist *next = cut ? NULL : curl_slist_append(list, line);
    if (!next) {
        *ok = false;
        return list;
    }
    return next;
}

static void send_webhook(const struct msg *m, struct outcome *o)
{
    char errbuf[CURL_ERROR_SIZE];
    struct guard g = {.allow_private = notify_config()->allow_private};
    struct curl_slist *hd = NULL;
    bool ok = true;
    CURL *h = easy_new(m->url, "http,https", errbuf);
    if (!h) {
        fail(o, "could not start the request (out of memory)");
        return;
    }
    int64_t ts = rb_now();
    size_t len = strlen(m->body);
    char sig[RB_SHA256_HEX_SIZE];
    notify_sign(m->secret, ts, m->body, len, sig);
    hd = header(hd, &ok, "Content-Type: application/json");
    hd = header(hd, &ok, "X-Rabta-Event: %s", m->event);
    hd = header(hd, &ok, "X-Rabta-Delivery: %s", m->id);
    hd = header(hd, &ok, "X-Rabta-Timestamp: %" PRId64, ts);
    hd = header(hd, &ok, "X-Rabta-Signature: sha256=%s", sig);
    hd = header(hd, &ok, "Expect:"); /* no 100-continue round trip */
    if (!ok) {
        fail(o, "could not build the request's headers");
        goto out;
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "rabta");
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, m->body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &g);
    o->tried = true;
    CURLcode rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &o->code);
    if (rc != CURLE_OK && g.refused[0])
        fail(o, "%s", g.refused);
    else if (rc != CURLE_OK)
        transfer_failed(o, "could not deliver", rc, errbuf);
    else if (o->code < 200 || o->code > 299)
        fail(o, "the receiver answered HTTP %ld; a 2xx status is success", o->code);
    else
        o->ok = true;
out:
    curl_slist_free_all(hd);
    curl_easy_cleanup(h);
}

struct reader {
    const char *p;
    size_t left;
};

static size_t read_mail(char *buf, size_t size, size_t n, void *ctx)
{
    struct reader *r = ctx;
    size_t k = size * n < r->left ? size * n : r->left;
    memcpy(buf, r->p, k);
    r->p += k;
    r->left -= k;
    return k;
}

static void send_email(const struct msg *m, struct outcome *o)
{
    const struct notify_config *c = notify_config();
    char errbuf[CURL_ERROR_SIZE], from[300], to[300];
    struct curl_slist *rcpt = NULL;
    CURL *h = NULL;
    rb_buf text;
    rb_buf_init(&text, MAIL_MAX);
    struct notify_mail mail = {.from = c->smtp_from,
                               .to = m->recipient,
                               .subject = m->subject,
                               .id = m->id,
                               .event = m->event,
                               .date = rb_now(),
                               .event_json = m->body};
    if (notify_mail_write(&mail, &text)) {
        fail(o, "could not write the message (the address %s or the sender's is not usable)",
             m->recipient);
        goto out;
    }
    rb_fmt(from, sizeof(from), "<%s>", c->smtp_from);
    rb_fmt(to, sizeof(to), "<%s>", m->recipient);
    if (!(h = easy_new(c->smtp_url, "smtp,smtps", errbuf)) ||
        !(rcpt = curl_slist_append(NULL, to))) {
        fail(o, "could not start the transfer (out of memory)");
        goto out;
    }
    struct reader r = {text.ptr, text.len};
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_mail);
    curl_easy_setopt(h, CURLOPT_READDATA, &r);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)text.len);
    /* STARTTLS when the server offers it; with a password it is required, unless the server is
     * on this machine (the password then never crosses a network). smtps:// is TLS throughout. */
    long tls = CURLUSESSL_TRY;
    if (c->smtp_user[0]) {
        curl_easy_setopt(h, CURLOPT_USERNAME, c->smtp_user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->smtp_password);
        if (!notify_url_is_loopback(c->smtp_url))
            tls = CURLUSESSL_ALL;
    }
    curl_easy_setopt(h, CURLOPT_USE_SSL, tls);
    o->tried = true;
    CURLcode rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &o->code);
    if (rc != CURLE_OK)
        transfer_failed(o, "could not send the e-mail", rc, errbuf);
    else
        o->ok = true;
out:
    curl_slist_free_all(rcpt);
    if (h)
        curl_easy_cleanup(h);
    rb_buf_release(&text);
}

static void deliver_one(const struct msg *m, struct outcome *o)
{
    memset(o, 0, sizeof(*o));
    if (strcmp(m->channel, "email") == 0)
        send_email(m, o);
    else if (!m->url || !m->secret || !m->hook_enabled)
        fail(o, "the webhook was removed before this was delivered");
    else
        send_webhook(m, o);
}

int notify_deliver(rb_db *db, int max, int *sent, int *failed)
{
    int rc = 0, done = 0, ns = 0, nf = 0;
    rb_actor sys;
    bool have_sys = false;
    while (!rc && done < max) {
        char lease[33];
        rb_random_hex(16, lease);
        int want = max - done < CLAIM_BATCH ? max - done : CLAIM_BATCH, claimed = 0;
        if ((rc = claim(db, lease, rb_now(), want, &claimed)) || claimed == 0)
            break;
        if (!have_sys) {
            rb_orgref root;
            if ((rc = org_root(db, &root)))
                break;
            rb_actor_system(&sys, &root);
            rb_strlcpy(sys.label, "notify", sizeof(sys.label));
            have_sys = true;
        }
        rb_arena a;
        rb_arena_init(&a, 16 << 20);
        struct msg *ms = NULL;
        int n = 0;
        rc = load_claimed(db, lease, &a, &ms, &n);
        for (int i = 0; !rc && i < n; i++) {
            struct outcome o;
            deliver_one(&ms[i], &o);
            int r = record(db, &sys, &ms[i], lease, &o);
            if (r && r != RB_ECONFLICT)
                rc = r; /* the lease expires and the message is tried again */
            ns += o.ok;
            nf += !o.ok && o.tried;
        }
        rb_arena_release(&a);
        done += claimed;
    }
    if (sent)
        *sent = ns;
    if (failed)
        *failed = nf;
    return rc;
}
