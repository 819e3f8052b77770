/*
 * notify_wire.c - the pure parts of notify: signature, retry plan, address rules, e-mail text
 * (see notify_wire.h).
 *
 * Must never let a header value carry a line break (header injection), let a webhook URL name a
 * scheme other than http(s), or call an address public that is loopback, private or link-local.
 */
#include "base/common.h"
#include "base/utf8.h"
#include "core/notify_wire.h"
#include "json/json.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

void notify_sign(const char *secret, int64_t timestamp, const char *body, size_t len,
                 char out[RB_SHA256_HEX_SIZE])
{
    char ts[32];
    rb_fmt(ts, sizeof(ts), "%" PRId64 ".", timestamp);
    const rb_str parts[] = {{ts, strlen(ts)}, {body, len}};
    rb_hmac_sha256_hex(secret, strlen(secret), parts, 2, out);
}

int64_t notify_backoff(int n)
{
    int64_t d = NOTIFY_BACKOFF_FIRST;
    for (int i = 1; i < n && d < NOTIFY_BACKOFF_MAX; i++)
        d *= 2;
    return d > NOTIFY_BACKOFF_MAX ? NOTIFY_BACKOFF_MAX : d;
}

/* ---- the SSRF guard's address rules ---- */

static const char *v4_refusal(uint32_t a)
{
    static const struct {
        uint32_t net, mask;
        const char *why;
    } ranges[] = {
        {0x00000000u, 0xff000000u, "unspecified"}, /* 0.0.0.0/8: "this network" */
        {0x7f000000u, 0xff000000u, "loopback"},    /* 127.0.0.0/8 */
        {0x0a000000u, 0xff000000u, "private"},     /* 10.0.0.0/8 */
        {0xac100000u, 0xfff00000u, "private"},     /* 172.16.0.0/12 */
        {0xc0a80000u, 0xffff0000u, "private"},     /* 192.168.0.0/16 */
        {0x64400000u, 0xffc00000u, "private"},     /* 100.64.0.0/10: carrier-grade NAT */
        {0xa9fe0000u, 0xffff0000u, "link-local"},  /* 169.254.0.0/16: cloud metadata lives here */
        {0xe0000000u, 0xf0000000u, "multicast"},   /* 224.0.0.0/4 */
        {0xf0000000u, 0xf0000000u, "reserved"},    /* 240.0.0.0/4 and the broadcast address */
        {0xc0000000u, 0xffffff00u, "reserved"},    /* 192.0.0.0/24: protocol assignments */
        {0xc6120000u, 0xfffe0000u, "reserved"},    /* 198.18.0.0/15: benchmarking */
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(ranges); i++)
        if ((a & ranges[i].mask) == ranges[i].net)
            return ranges[i].why;
    return NULL;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static const char *v6_refusal(const unsigned char *b)
{
    static const unsigned char zero[16] = {0};
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    if (memcmp(b, zero, 16) == 0)
        return "unspecified";
    if (memcmp(b, zero, 15) == 0 && b[15] == 1)
        return "loopback";
    /* Addresses that carry an IPv4 address are judged by it: mapped, NAT64 and 6to4. */
    if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0)
        return v4_refusal(be32(b + 12));
    if (b[0] == 0x20 && b[1] == 0x02)
        return v4_refusal(be32(b + 2));
    if (memcmp(b, zero, 10) == 0)
        return "reserved"; /* ::/80 beyond the above, IPv4-compatible forms included */
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
        return "link-local"; /* fe80::/10 */
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
        return "private"; /* fec0::/10: the old site-local */
    if ((b[0] & 0xfe) == 0xfc)
        return "private"; /* fc00::/7: unique local */
    if (b[0] == 0xff)
        return "multicast";
    return NULL;
}

const char *notify_addr_refusal(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        return v4_refusal(ntohl(in->sin_addr.s_addr));
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        return v6_refusal(in6->sin6_addr.s6_addr);
    }
    return "reserved";
}

/* The refusal of a host written as an address literal ("10.0.0.1", "[::1]"), or NULL for a host
 * name or a public address. */
static const char *literal_refusal(const char *host)
{
    char h[INET6_ADDRSTRLEN + 2];
    size_t n = strlen(host);
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        if (n - 2 >= sizeof(h))
            return NULL;
        memcpy(h, host + 1, n - 2);
        h[n - 2] = '\0';
    } else if (rb_strlcpy(h, host, sizeof(h))) {
        return NULL;
    }
    struct sockaddr_in in;
    struct sockaddr_in6 in6;
    memset(&in, 0, sizeof(in));
    memset(&in6, 0, sizeof(in6));
    if (inet_pton(AF_INET, h, &in.sin_addr) == 1) {
        in.sin_family = AF_INET;
        return notify_addr_refusal((const struct sockaddr *)(const void *)&in);
    }
    if (inet_pton(AF_INET6, h, &in6.sin6_addr) == 1) {
        in6.sin6_family = AF_INET6;
        return notify_addr_refusal((const struct sockaddr *)(const void *)&in6);
    }
    return NULL;
}

/* The parts of a URL that the rules look at, as curl parses it (the same parser that sends). */
struct url_parts {
    char scheme[16];
    char host[256];
    bool credentials;
};

static int url_parse(const char *url, struct url_parts *p)
{
    memset(p, 0, sizeof(*p));
    CURLU *u = curl_url();
    if (!u)
        return RB_ENOMEM;
    int rc = RB_EINVAL;
    char *scheme = NULL, *host = NULL, *user = NULL, *password = NULL;
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host[0] ||
        rb_strlcpy(p->scheme, scheme, sizeof(p->scheme)) ||
        rb_strlcpy(p->host, host, sizeof(p->host)))
        goto out;
    p->credentials = curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
                     curl_url_get(u, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK;
    rc = 0;
out:
    curl_free(scheme);
    curl_free(host);
    curl_free(user);
    curl_free(password);
    curl_url_cleanup(u);
    return rc;
}

int notify_url_check(const char *url, bool allow_private, rb_errinfo *ei)
{
    struct url_parts p;
    int rc = url_parse(url, &p);
    if (rc == RB_ENOMEM)
        return rc;
    if (rc)
        return rb_err(ei, RB_EINVAL, "url",
                      "\"url\" must be an absolute URL with a host, such as "
                      "https://hooks.example.org/rabta");
    if (strcmp(p.scheme, "http") != 0 && strcmp(p.scheme, "https") != 0)
        return rb_err(ei, RB_EINVAL, "url",
                      "\"url\" must be an http:// or https:// URL (not %s://)", p.scheme);
    if (p.credentials)
        return rb_err(ei, RB_EINVAL, "url",
                      "\"url\" must not hold a user name or password: the receiver checks the "
                      "X-Rabta-Signature header instead");
    const char *why = allow_private ? NULL : literal_refusal(p.host);
    if (why)
        return rb_err(ei, RB_EINVAL, "url",
                      "\"url\" points at %s, a %s address; webhooks may reach only public "
                      "addresses",
                      p.host, why);
    return 0;
}

bool notify_url_is_loopback(const char *url)
{
    struct url_parts p;
    if (url_parse(url, &p))
        return false;
    const char *why = literal_refusal(p.host);
    return strcasecmp(p.host, "localhost") == 0 || (why && strcmp(why, "loopback") == 0);
}

/* ---- the e-mail ---- */

static void base64(rb_buf *out, const unsigned char *s, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        char q[4] = {tab[(v >> 18) & 63], tab[(v >> 12) & 63], i + 1 < n ? tab[(v >> 6) & 63] : '=',
                     i + 2 < n ? tab[v & 63] : '='};
        rb_buf_add(out, q, 4);
    }
}

/* 45 bytes of text are 60 of base64: "=?UTF-8?B?" + 60 + "?=" is 72, under RFC 2047's 75. */
#define WORD_BYTES 45

int notify_subject_encode(const char *s, rb_buf *out)
{
    size_t n = strlen(s);
    bool ascii = true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return RB_EINVAL;
        if (c > 0x7e)
            ascii = false;
    }
    /* An ASCII subject may itself look like an encoded word; encoding it keeps it literal. */
    if (ascii && !strstr(s, "=?"))
        return rb_buf_add(out, s, n);
    for (size_t i = 0; i < n;) {
        size_t take = 0;
        while (i + take < n) {
            uint32_t cp;
            size_t len = rb_utf8_decode(s + i + take, n - i - take, &cp);
            if (len == 0)
                return RB_EINVAL;
            if (take + len > WORD_BYTES)
                break;
            take += len;
        }
        if (i > 0)
            rb_buf_adds(out, "\r\n ");
        rb_buf_adds(out, "=?UTF-8?B?");
        base64(out, (const unsigned char *)s + i, take);
        rb_buf_adds(out, "?=");
        i += take;
    }
    return out->err;
}

/* An address fit for the envelope and a header: printable ASCII, no space, no brackets, an @. */
static bool address_ok(const char *a)
{
    if (!a || !a[0] || strlen(a) > 254 || !strchr(a, '@'))
        return false;
    for (const char *p = a; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || strchr("<>\"(),;:\\[]", *p))
            return false;
    return true;
}

#define WRAP 78
#define LINE_MAX_BYTES 998 /* RFC 5322: no line longer, CRLF aside */

/* One line of text (no line break in it), wrapped at spaces near WRAP bytes; a word longer than
 * that stays whole up to LINE_MAX_BYTES, and is cut on a character boundary past it. */
static void add_line(rb_buf *b, const char *s, size_t n)
{
    while (n > WRAP) {
        size_t cut = 0;
        for (size_t i = WRAP; i > 0 && !cut; i--)
            if (s[i] == ' ')
                cut = i;
        for (size_t i = WRAP + 1; !cut && i < n && i < LINE_MAX_BYTES; i++)
            if (s[i] == ' ')
                cut = i;
        if (!cut) {
            if (n <= LINE_MAX_BYTES)
                break;
            cut = rb_utf8_boundary(s, LINE_MAX_BYTES);
            rb_buf_add(b, s, cut);
            rb_buf_adds(b, "\r\n");
            s += cut;
            n -= cut;
            continue;
        }
        rb_buf_add(b, s, cut);
        rb_buf_adds(b, "\r\n");
        s += cut + 1;
        n -= cut + 1;
    }
    rb_buf_add(b, s, n);
    rb_buf_adds(b, "\r\n");
}

/* Text that may hold line breaks (CRLF, LF or CR), each line wrapped. */
static void add_text(rb_buf *b, const char *s)
{
    while (*s) {
        size_t n = strcspn(s, "\r\n");
        add_line(b, s, n);
        s += n;
        if (s[0] == '\r' && s[1] == '\n')
            s += 2;
        else if (*s)
            s++;
    }
}

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void add_date(rb_buf *b, int64_t t)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    rb_buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday % 7],
                  tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
}

/* The body for people, from the event. */
static void add_body(rb_buf *b, const cJSON *ev)
{
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(ev, "object");
    const char *label = jstr(ev, "label"), *detail = jstr(ev, "detail");
    const char *kind = jstr(obj, "kind"), *name = jstr(obj, "name"), *tlp = jstr(obj, "tlp");
    const char *url = jstr(obj, "url"), *id = jstr(obj, "id");
    char what[64] = "Item";
    if (kind && kind[0]) {
        rb_strlcpy(what, kind, sizeof(what));
        if (what[0] >= 'a' && what[0] <= 'z')
            what[0] = (char)(what[0] - 'a' + 'A');
    }
    add_text(b, label ? label : "Something needs your attention in rabta");
    rb_buf_adds(b, "\r\n");
    rb_buf rest;
    rb_buf_init(&rest, 1 << 16);
    if (name && name[0])
        rb_buf_printf(&rest, "%s: %s", what, name);
    else if (tlp && strcmp(tlp, "RED") == 0)
        rb_buf_printf(&rest, "%s: its name is withheld because it is TLP:RED; sign in to read it.",
                      what);
    else
        rb_buf_printf(&rest, "%s %s", what, id ? id : "");
    add_text(b, rb_buf_cstr(&rest));
    rb_buf_release(&rest);
    if (tlp && tlp[0])
        rb_buf_printf(b, "TLP: %s\r\n", tlp);
    if (detail && detail[0]) {
        rb_buf_adds(b, "\r\n");
        add_text(b, detail);
    }
    if (url && url[0]) {
        rb_buf_adds(b, "\r\n");
        rb_buf_adds(b, "Open it in rabta:\r\n");
        add_line(b, url, strlen(url));
    }
    rb_buf_adds(b, "\r\n-- \r\n");
    add_text(b, "rabta sent this because your org's inbox has a new item. To stop these e-mails, "
                "turn e-mail off for your account (PATCH /api/v1/me with "
                "{\"email_notify\": false}).");
}

int notify_mail_write(const struct notify_mail *m, rb_buf *out)
{
    if (!address_ok(m->from) || !address_ok(m->to) || !m->id || !m->event_json)
        return RB_EINVAL;
    for (const char *p = m->event ? m->event : ""; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            return RB_EINVAL;
    rb_errinfo ei;
    cJSON *ev = NULL;
    if (rj_parse(m->event_json, strlen(m->event_json), RJ_DEFAULT_MAX_DEPTH, &ev, &ei) != RJ_OK)
        return RB_EINVAL;
    int rc = 0;
    add_date(out, m->date);
    rb_buf_printf(out, "From: rabta <%s>\r\nTo: %s\r\nSubject: ", m->from, m->to);
    if ((rc = notify_subject_encode(m->subject ? m->subject : "", out)))
        goto out;
    rb_buf_printf(out, "\r\nMessage-ID: <%s@%s>\r\n", m->id, strchr(m->from, '@') + 1);
    rb_buf_adds(out, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                     "Content-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n");
    if (m->event && m->event[0])
        rb_buf_printf(out, "X-Rabta-Event: %s\r\n", m->event);
    rb_buf_adds(out, "\r\n");
    add_body(out, ev);
    rc = out->err;
out:
    cJSON_Delete(ev);
    return rc;
}
