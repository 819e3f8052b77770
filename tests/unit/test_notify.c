/*
 * test_notify.c - core/notify_wire: the webhook signature, the retry plan, the SSRF guard's
 * address and URL rules, the RFC 2047 subject and the e-mail message. Expected values were
 * computed with Python's hmac and base64 modules, not with the code under test.
 */
#include "base/common.h"
#include "base/buf.h"
#include "core/notify_wire.h"

#include <netdb.h>
#include <sys/socket.h>

#include "test_util.h"

TU_TEST(test_hmac_and_signature)
{
    char out[RB_SHA256_HEX_SIZE];
    /* RFC 4231 test case 2, given in three parts: the parts are one message. */
    const rb_str parts[] = {{"what do ya", 10}, {" want ", 6}, {"for nothing?", 12}};
    rb_hmac_sha256_hex("Jefe", 4, parts, 3, out);
    assert_string_equal(out, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    /* X-Rabta-Signature: HMAC-SHA256(secret, "<timestamp>.<body>"). */
    const char *body = "{\"event\":\"ping\"}";
    notify_sign("s3cret", 1764500000, body, strlen(body), out);
    assert_string_equal(out, "2f2629abd0adbbd2df5260b2b1f193cd53c509c48a1b244ec7ff657785a53532");
    char other[RB_SHA256_HEX_SIZE];
    notify_sign("s3cret", 1764500001, body, strlen(body), other);
    assert_string_not_equal(out, other); /* the timestamp is signed */
    notify_sign("s3cres", 1764500000, body, strlen(body), other);
    assert_string_not_equal(out, other);
}

TU_TEST(test_backoff_schedule)
{
    static const struct {
        int n;
        int64_t seconds;
    } rows[] = {{1, 30},   {2, 60},   {3, 120},   {4, 240}, {5, 480}, {6, 960},   {7, 1920},
                {8, 3600}, {9, 3600}, {30, 3600}, {0, 30},  {-5, 30}, {64, 3600}, {1000, 3600}};
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++)
        ROW_CHECK(notify_backoff(rows[i].n) == rows[i].seconds, "after try %d: %" PRId64 " s",
                  rows[i].n, notify_backoff(rows[i].n));
    /* Eight tries in all: the seven waits between them add up to about an hour. */
    int64_t total = 0;
    for (int n = 1; n < 8; n++)
        total += notify_backoff(n);
    assert_int_equal(total, 3810);
}

/* notify_addr_refusal of the address written ip, as the resolver hands it over (numeric only:
 * nothing is looked up). */
static const char *refusal_of(const char *ip)
{
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST}, *res = NULL;
    if (getaddrinfo(ip, NULL, &hints, &res) != 0 || !res)
        fail_msg("%s is not an address", ip);
    const char *why = notify_addr_refusal(res->ai_addr);
    freeaddrinfo(res);
    return why;
}

TU_TEST(test_address_classes)
{
    static const struct {
        const char *ip, *why; /* why NULL: public, may be reached */
    } rows[] = {
        {"127.0.0.1", "loopback"},
        {"127.255.255.254", "loopback"},
        {"10.0.0.1", "private"},
        {"10.255.255.255", "private"},
        {"172.16.0.1", "private"},
        {"172.31.255.255", "private"},
        {"172.15.255.255", NULL},
        {"172.32.0.1", NULL},
        {"192.168.1.1", "private"},
        {"192.169.0.1", NULL},
        {"100.64.0.1", "private"},
        {"100.128.0.1", NULL},
        {"169.254.169.254", "link-local"},
        {"0.0.0.0", "unspecified"},
        {"0.1.2.3", "unspecified"},
        {"224.0.0.251", "multicast"},
        {"239.255.255.250", "multicast"},
        {"255.255.255.255", "reserved"},
        {"240.0.0.1", "reserved"},
        {"198.18.0.1", "reserved"},
        {"8.8.8.8", NULL},
        {"1.1.1.1", NULL},
        {"203.0.113.7", NULL},
        {"::", "unspecified"},
        {"::1", "loopback"},
        {"::ffff:127.0.0.1", "loopback"},
        {"::ffff:10.1.2.3", "private"},
        {"::ffff:8.8.8.8", NULL},
        {"64:ff9b::a9fe:a9fe", "link-local"}, /* NAT64 of 169.254.169.254 */
        {"2002:7f00:1::", "loopback"},        /* 6to4 of 127.0.0.1 */
        {"::127.0.0.1", "reserved"},
        {"fe80::1", "link-local"},
        {"febf::1", "link-local"},
        {"fec0::1", "private"},
        {"fc00::1", "private"},
        {"fd12:3456::1", "private"},
        {"ff02::1", "multicast"},
        {"2001:4860:4860::8888", NULL},
        {"2606:4700::1111", NULL},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        const char *got = refusal_of(rows[i].ip);
        ROW_CHECK(rows[i].why ? got && strcmp(got, rows[i].why) == 0 : got == NULL,
                  "%s: expected %s, got %s", rows[i].ip, rows[i].why ? rows[i].why : "public",
                  got ? got : "public");
    }
    struct sockaddr other = {.sa_family = AF_UNIX};
    assert_string_equal(notify_addr_refusal(&other), "reserved");
}

TU_TEST(test_webhook_urls)
{
    static const struct {
        const char *url;
        bool allow_private;
        const char *refusal; /* a word of the message, or NULL: accepted */
    } rows[] = {
        {"https://hooks.example.org/rabta", false, NULL},
        {"http://hooks.example.org:8080/x?y=1", false, NULL},
        {"HTTPS://Hooks.Example.org/", false, NULL},
        {"http://8.8.8.8/", false, NULL},
        {"ftp://files.example.org/x", false, "ftp://"},
        {"gopher://example.org/", false, "gopher://"},
        {"file:///etc/passwd", false, "absolute URL"},
        {"hooks.example.org/x", false, "absolute URL"},
        {"https://", false, "absolute URL"},
        {"", false, "absolute URL"},
        {"https://user:pw@hooks.example.org/", false, "user name"},
        {"https://user@hooks.example.org/", false, "user name"},
        {"http://127.0.0.1:9000/", false, "loopback"},
        {"http://127.0.0.1:9000/", true, NULL},
        {"http://10.0.0.5/", false, "private"},
        {"http://[::1]/", false, "loopback"},
        {"http://[fd00::5]:8080/", false, "private"},
        {"http://169.254.169.254/latest/meta-data/", false, "link-local"},
        {"http://[::ffff:192.168.0.1]/", false, "private"},
        {"http://localhost:9000/", false, NULL}, /* a name: judged when connecting */
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc = notify_url_check(rows[i].url, rows[i].allow_private, &ei);
        if (!rows[i].refusal) {
            ROW_CHECK(rc == 0, "%s: refused (%s)", rows[i].url, ei.msg);
            continue;
        }
        ROW_CHECK(rc == RB_EINVAL && strcmp(ei.field, "url") == 0 &&
                      strstr(ei.msg, rows[i].refusal),
                  "%s: expected a refusal saying \"%s\", got %d \"%s\"", rows[i].url,
                  rows[i].refusal, rc, ei.msg);
    }
    assert_true(notify_url_is_loopback("smtp://127.0.0.1:2525"));
    assert_true(notify_url_is_loopback("smtp://localhost"));
    assert_true(notify_url_is_loopback("smtps://[::1]:465"));
    assert_false(notify_url_is_loopback("smtp://mail.example.org"));
    assert_false(notify_url_is_loopback("smtp://10.0.0.1"));
}

TU_TEST(test_subject_encoding)
{
    /* Each row: a subject and its encoding (NULL: refused). */
    static const struct tu_str_row rows[] = {
        {"[rabta] Overdue: Phishing wave", "[rabta] Overdue: Phishing wave"},
        {"", ""},
        {"\xc3\xa9", "=?UTF-8?B?w6k=?="},
        {"Ransomware \xe2\x80\x93 \xd8\xb3\xd8\xb1\xd9\x88\xd8\xb1",
         "=?UTF-8?B?UmFuc29td2FyZSDigJMg2LPYsdmI2LE=?="},
        /* Long: folded into words of at most 45 bytes of text (72 characters each). */
        {"[rabta] New incident to triage: Cyberangriff auf das Krankenhaus \xe2\x80\x93 Systeme "
         "verschl\xc3\xbcsselt",
         "=?UTF-8?B?W3JhYnRhXSBOZXcgaW5jaWRlbnQgdG8gdHJpYWdlOiBDeWJlcmFuZ3JpZmYg?=\r\n "
         "=?UTF-8?B?YXVmIGRhcyBLcmFua2VuaGF1cyDigJMgU3lzdGVtZSB2ZXJzY2hsw7xzc2Vs?=\r\n "
         "=?UTF-8?B?dA==?="},
        /* A character is never split between words: 44 bytes, then the 2 of é. */
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9",
         "=?UTF-8?B?YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE=?=\r\n "
         "=?UTF-8?B?w6k=?="},
        /* ASCII that looks like an encoded word is encoded, so it reads as written. */
        {"=?UTF-8?B?x?=", "=?UTF-8?B?PT9VVEYtOD9CP3g/PQ==?="},
        {"line\r\nBcc: victim@example.org", NULL},
        {"tab\there", NULL},
        {"bad \xff byte", NULL},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_buf b;
        rb_buf_init(&b, 4096);
        int rc = notify_subject_encode(rows[i].in, &b);
        if (rows[i].out)
            ROW_CHECK(rc == 0 && strcmp(rb_buf_cstr(&b), rows[i].out) == 0,
                      "row %zu: got %d \"%s\"", i, rc, rb_buf_cstr(&b));
        else
            ROW_CHECK(rc == RB_EINVAL, "row %zu: accepted as \"%s\"", i, rb_buf_cstr(&b));
        rb_buf_release(&b);
    }
}

/* The header block's value of name, or NULL. */
static const char *header_line(const char *msg, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    for (const char *p = msg; p && *p && !(p[0] == '\r' && p[1] == '\n');) {
        const char *end = strstr(p, "\r\n");
        if (strncmp(p, name, n) == 0 && p[n] == ':' && end) {
            size_t len = (size_t)(end - p - n - 2);
            if (len >= size)
                return NULL;
            memcpy(out, p + n + 2, len);
            out[len] = '\0';
            return out;
        }
        p = end ? end + 2 : NULL;
    }
    return NULL;
}

TU_TEST(test_mail_message)
{
    const char *ev =
        "{\"event\":\"incident.triage\",\"label\":\"New incident to triage\",\"detail\":\"Reported "
        "by Punjab Health Services Directorate\\nsecond line\",\"object\":{\"kind\":\"incident\","
        "\"id\":\"3f0c1b1e-8d6a-4a8e-9b1e-1c2d3e4f5a6b\",\"tlp\":\"AMBER\",\"name\":\"Ransomware "
        "on "
        "HIS\",\"url\":\"https://rabta.example/#/incidents/"
        "3f0c1b1e-8d6a-4a8e-9b1e-1c2d3e4f5a6b\"}}";
    struct notify_mail m = {.from = "rabta@cert.example",
                            .to = "admin@punjab-cert.rabta.test",
                            .subject = "[rabta] New incident to triage: Ransomware on HIS",
                            .id = "0b7d06d1-00a9-41b1-a290-44045f62d4bd",
                            .event = "incident.triage",
                            .date = 1764500000, /* Sun, 30 Nov 2025 10:53:20 UTC */
                            .event_json = ev};
    rb_buf b;
    rb_buf_init(&b, 1 << 16);
    assert_int_equal(notify_mail_write(&m, &b), 0);
    const char *msg = rb_buf_cstr(&b);
    /* Every line ends in CRLF: no bare LF or CR anywhere. */
    for (size_t i = 0; i < b.len; i++) {
        if (msg[i] == '\n')
            ROW_CHECK(i > 0 && msg[i - 1] == '\r', "bare LF at %zu", i);
        if (msg[i] == '\r')
            ROW_CHECK(msg[i + 1] == '\n', "bare CR at %zu", i);
    }
    char v[300];
    static const char *const want[][2] = {
        {"Date", "Sun, 30 Nov 2025 10:53:20 +0000"},
        {"From", "rabta <rabta@cert.example>"},
        {"To", "admin@punjab-cert.rabta.test"},
        {"Subject", "[rabta] New incident to triage: Ransomware on HIS"},
        {"Message-ID", "<0b7d06d1-00a9-41b1-a290-44045f62d4bd@cert.example>"},
        {"MIME-Version", "1.0"},
        {"Content-Type", "text/plain; charset=utf-8"},
        {"X-Rabta-Event", "incident.triage"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(want); i++) {
        const char *got = header_line(msg, want[i][0], v, sizeof(v));
        ROW_CHECK(got && strcmp(got, want[i][1]) == 0, "%s: got %s", want[i][0],
                  got ? got : "(none)");
    }
    const char *body = strstr(msg, "\r\n\r\n");
    assert_non_null(body);
    assert_non_null(strstr(body, "\r\n\r\nNew incident to triage\r\n"));
    assert_non_null(strstr(body, "\r\nIncident: Ransomware on HIS\r\nTLP: AMBER\r\n"));
    assert_non_null(strstr(body, "\r\nReported by Punjab Health Services Directorate\r\nsecond "
                                 "line\r\n"));
    assert_non_null(strstr(body, "\r\nhttps://rabta.example/#/incidents/"
                                 "3f0c1b1e-8d6a-4a8e-9b1e-1c2d3e4f5a6b\r\n"));

    /* TLP:RED: the event has no name; the body says it is withheld. */
    const char *red = "{\"label\":\"Escalated to you\",\"object\":{\"kind\":\"incident\",\"id\":"
                      "\"3f0c1b1e-8d6a-4a8e-9b1e-1c2d3e4f5a6b\",\"tlp\":\"RED\",\"name\":null}}";
    m.event_json = red;
    rb_buf_reset(&b);
    assert_int_equal(notify_mail_write(&m, &b), 0);
    assert_non_null(strstr(rb_buf_cstr(&b), "its name is withheld because it is TLP:RED"));

    /* Long prose is wrapped at spaces; no line passes 998 bytes, even one long word. */
    rb_buf detail, evb;
    rb_buf_init(&detail, 1 << 16);
    rb_buf_init(&evb, 1 << 16);
    for (int i = 0; i < 60; i++)
        rb_buf_adds(&detail, "word ");
    for (int i = 0; i < 1500; i++)
        rb_buf_addc(&detail, 'x');
    rb_buf_printf(&evb,
                  "{\"label\":\"Overdue\",\"detail\":\"%s\",\"object\":{\"kind\":\"incident\"}}",
                  rb_buf_cstr(&detail));
    m.event_json = rb_buf_cstr(&evb);
    rb_buf_reset(&b);
    assert_int_equal(notify_mail_write(&m, &b), 0);
    size_t longest = 0, run = 0;
    for (const char *p = strstr(rb_buf_cstr(&b), "\r\n\r\n"); *p; p++) {
        run = (*p == '\r' || *p == '\n') ? 0 : run + 1;
        if (run > longest)
            longest = run;
    }
    assert_true(longest <= 998);
    assert_non_null(strstr(rb_buf_cstr(&b), "\r\nword word"));

    /* What cannot be written is refused, never sent half-made. */
    m.event_json = ev;
    const char *bad_to[] = {"", "no-at-sign", "a@b\r\nBcc: x@y", "a b@c", "<a@b>"};
    for (size_t i = 0; i < RB_ARRAY_LEN(bad_to); i++) {
        m.to = bad_to[i];
        rb_buf_reset(&b);
        ROW_CHECK(notify_mail_write(&m, &b) == RB_EINVAL, "to \"%s\" accepted", bad_to[i]);
    }
    m.to = "admin@punjab-cert.rabta.test";
    m.event_json = "{not json";
    assert_int_equal(notify_mail_write(&m, &b), RB_EINVAL);
    m.event_json = ev;
    m.subject = "two\r\nlines";
    assert_int_equal(notify_mail_write(&m, &b), RB_EINVAL);
    rb_buf_release(&detail);
    rb_buf_release(&evb);
    rb_buf_release(&b);
}

TU_MAIN({
    cmocka_unit_test(test_hmac_and_signature),
    cmocka_unit_test(test_backoff_schedule),
    cmocka_unit_test(test_address_classes),
    cmocka_unit_test(test_webhook_urls),
    cmocka_unit_test(test_subject_encoding),
    cmocka_unit_test(test_mail_message),
})
