/*
 * notify_wire.h - the pure parts of notify (core/notify.h): what goes on the wire, and the rules
 * a message obeys on its way. No database, no network, no clock: each is a function of its
 * arguments, so tests/unit/test_notify.c checks them case by case.
 *
 *   the signature     X-Rabta-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
 *   the retry plan    30 s after the first failed try, doubled after each, at most an hour;
 *                     NOTIFY_MAX_ATTEMPTS tries in all (about 64 minutes from first to last)
 *   the SSRF guard    which addresses a webhook may not reach (loopback, private, link-local,
 *                     unspecified, multicast, reserved), and which URLs it may be given
 *   the e-mail        an RFC 5322 message (CRLF lines, RFC 2047 subject) written from the event
 */
#ifndef RABTA_NOTIFY_WIRE_H
#define RABTA_NOTIFY_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/err.h"

/* The lower-case hex of HMAC-SHA256 keyed with the secret's text (as shown to the admin, not
 * hex-decoded) over "<timestamp>.<body>". */
void notify_sign(const char *secret, int64_t timestamp, const char *body, size_t len,
                 char out[RB_SHA256_HEX_SIZE]);

/* Seconds to wait after the n-th failed try (n >= 1): NOTIFY_BACKOFF_FIRST doubled n-1 times,
 * never more than NOTIFY_BACKOFF_MAX. */
#define NOTIFY_BACKOFF_FIRST 30
#define NOTIFY_BACKOFF_MAX 3600
int64_t notify_backoff(int n);

/* Why a webhook may not connect to the IPv4 or IPv6 address sa ("loopback", "private",
 * "link-local", "unspecified", "multicast", "reserved"), or NULL for a public address. An
 * IPv4-mapped IPv6 address is judged as its IPv4 address; other families are "reserved". */
struct sockaddr;
const char *notify_addr_refusal(const struct sockaddr *sa);

/* Checks a webhook URL: absolute, http or https, a host, no user name or password in it and,
 * unless allow_private, not an address notify_addr_refusal refuses. (A host name is judged when a
 * message is sent, by the address it is connected to.) Returns 0 or RB_EINVAL naming "url". */
int notify_url_check(const char *url, bool allow_private, rb_errinfo *ei);

/* True when the URL's host is "localhost" or a loopback address (SMTP AUTH may then go without
 * TLS: the password never leaves the machine). */
bool notify_url_is_loopback(const char *url);

/* Appends the value of a Subject header for s (UTF-8, one line): s itself when it is printable
 * ASCII, otherwise RFC 2047 encoded words (=?UTF-8?B?...?=), each of whole characters and at most
 * 75 bytes, folded with CRLF SP. Returns 0, RB_EINVAL (a control character) or RB_ETOOBIG. */
int notify_subject_encode(const char *s, rb_buf *out);

/* An e-mail: the envelope's addresses double as From and To. */
struct notify_mail {
    const char *from, *to;
    const char *subject;    /* UTF-8, one line */
    const char *id;         /* the outbound id: Message-ID <id@domain of from> */
    const char *event;      /* X-Rabta-Event */
    int64_t date;           /* epoch seconds, for the Date header */
    const char *event_json; /* the event (core/notify.c's event_json): what the body says */
};

/* Writes m as an RFC 5322 message with CRLF line ends: Date, From, To, Subject, Message-ID,
 * MIME-Version, Content-Type text/plain; charset=utf-8, and a body for people: the label, the
 * object's kind, name (or that it is withheld) and TLP, the sentence of detail and the link,
 * wrapped at 78 bytes. Returns 0, RB_EINVAL (an address or the event is unusable) or
 * RB_ETOOBIG. */
int notify_mail_write(const struct notify_mail *m, rb_buf *out);

#endif
