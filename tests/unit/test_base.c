/*
 * test_base.c - src/base (buffers, numbers, strings, time, UTF-8, arenas, allocation failure,
 * crypto helpers, errors) and src/formats/tlp. Table-driven: each row one situation.
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "base/mem.h"
#include "base/rtime.h"
#include "base/utf8.h"
#include "formats/tlp.h"

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_util.h"

/* ---- rb_buf ---- */

TU_TEST(test_buf_cap)
{
    rb_buf b;
    rb_buf_init(&b, 10);
    assert_string_equal(rb_buf_cstr(&b), "");
    assert_int_equal(rb_buf_adds(&b, "hello"), 0);
    assert_int_equal(rb_buf_add(&b, "world!", 6), RB_ETOOBIG); /* 11 > 10 */
    assert_int_equal(b.err, RB_ETOOBIG);
    assert_string_equal(rb_buf_cstr(&b), "hello"); /* content intact */
    assert_int_equal(b.len, 5);
    /* Sticky: a piece that would fit is refused too, until reset. */
    assert_int_equal(rb_buf_addc(&b, 'x'), RB_ETOOBIG);
    assert_int_equal(rb_buf_printf(&b, "%d", 1), RB_ETOOBIG);
    assert_string_equal(rb_buf_cstr(&b), "hello");
    rb_buf_reset(&b);
    assert_int_equal(b.err, 0);
    assert_int_equal(b.len, 0);
    assert_string_equal(rb_buf_cstr(&b), "");
    /* Exactly the cap fits; one more byte does not. */
    assert_int_equal(rb_buf_adds(&b, "0123456789"), 0);
    assert_int_equal(b.len, 10);
    assert_int_equal(rb_buf_addc(&b, 'x'), RB_ETOOBIG);
    assert_string_equal(rb_buf_cstr(&b), "0123456789");
    rb_buf_release(&b);
    assert_null(b.ptr);
    assert_int_equal(b.max, 10);

    /* An empty append is fine, a cap of 0 takes nothing. */
    rb_buf z;
    rb_buf_init(&z, 0);
    assert_int_equal(rb_buf_add(&z, "", 0), 0);
    assert_int_equal(rb_buf_addc(&z, 'a'), RB_ETOOBIG);
    assert_string_equal(rb_buf_cstr(&z), "");
    rb_buf_release(&z);
}

TU_TEST(test_buf_growth_and_detach)
{
    rb_buf b;
    rb_buf_init(&b, 1 << 20);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(rb_buf_addc(&b, (char)('a' + i % 26)), 0);
    assert_int_equal(b.len, 10000);
    assert_true(b.cap > b.len);
    assert_int_equal(b.ptr[b.len], '\0');
    for (int i = 0; i < 10000; i++)
        assert_int_equal(b.ptr[i], 'a' + i % 26);
    size_t len = 0;
    char *p = rb_buf_detach(&b, &len);
    assert_int_equal(len, 10000);
    assert_int_equal(strlen(p), 10000);
    assert_null(b.ptr);
    assert_int_equal(b.len, 0);
    rb_free(p);
    /* Detaching an empty buffer gives an allocated "". */
    p = rb_buf_detach(&b, &len);
    assert_non_null(p);
    assert_int_equal(len, 0);
    assert_string_equal(p, "");
    rb_free(p);
}

TU_TEST(test_buf_printf)
{
    char big[3001];
    memset(big, 'q', 3000);
    big[3000] = '\0';
    static const size_t sizes[] = {0, 1, 254, 255, 256, 257, 1000, 3000};
    for (size_t i = 0; i < RB_ARRAY_LEN(sizes); i++) {
        rb_buf b;
        rb_buf_init(&b, 1 << 16);
        assert_int_equal(rb_buf_adds(&b, "<"), 0);
        int rc = rb_buf_printf(&b, "%.*s|%d", (int)sizes[i], big, 42);
        ROW_CHECK(rc == 0, "size %zu: rc %d", sizes[i], rc);
        ROW_CHECK(b.len == 1 + sizes[i] + 3, "size %zu: len %zu", sizes[i], b.len);
        ROW_CHECK(b.ptr[0] == '<' && strncmp(b.ptr + 1, big, sizes[i]) == 0 &&
                      strcmp(b.ptr + 1 + sizes[i], "|42") == 0,
                  "size %zu: content", sizes[i]);
        rb_buf_release(&b);
    }
    /* Large output past the cap: refused, content intact. */
    rb_buf b;
    rb_buf_init(&b, 500);
    assert_int_equal(rb_buf_adds(&b, "keep"), 0);
    assert_int_equal(rb_buf_printf(&b, "%s", big), RB_ETOOBIG);
    assert_string_equal(rb_buf_cstr(&b), "keep");
    assert_int_equal(b.len, 4);
    rb_buf_release(&b);
}

/* ---- numbers and strings ---- */

TU_TEST(test_parse_int64)
{
    static const struct {
        const char *s;
        int64_t min, max;
        int rc;
        int64_t v;
    } rows[] = {
        {"0", 0, 10, 0, 0},
        {"7", 0, 10, 0, 7},
        {"10", 0, 10, 0, 10},
        {"11", 0, 10, RB_EINVAL, 0},
        {"-1", 0, 10, RB_EINVAL, 0},
        {"-5", -10, 10, 0, -5},
        {"-10", -10, 10, 0, -10},
        {"-11", -10, 10, RB_EINVAL, 0},
        {"", 0, 10, RB_EINVAL, 0},
        {NULL, 0, 10, RB_EINVAL, 0},
        {"12a", 0, 100, RB_EINVAL, 0},
        {"a12", 0, 100, RB_EINVAL, 0},
        {"12 ", 0, 100, RB_EINVAL, 0},
        {"1.5", 0, 100, RB_EINVAL, 0},
        {"1e3", 0, 10000, RB_EINVAL, 0},
        {"0x10", 0, 100, RB_EINVAL, 0},
        {"-", -10, 10, RB_EINVAL, 0},
        {"--1", -10, 10, RB_EINVAL, 0},
        {"9223372036854775807", INT64_MIN, INT64_MAX, 0, INT64_MAX},
        {"9223372036854775808", INT64_MIN, INT64_MAX, RB_EINVAL, 0},
        {"-9223372036854775808", INT64_MIN, INT64_MAX, 0, INT64_MIN},
        {"-9223372036854775809", INT64_MIN, INT64_MAX, RB_EINVAL, 0},
        {"99999999999999999999999", INT64_MIN, INT64_MAX, RB_EINVAL, 0},
        {"500", 1, 500, 0, 500},
        {"501", 1, 500, RB_EINVAL, 0},
        {"0", 1, 500, RB_EINVAL, 0},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        int64_t out = 12345;
        int rc = rb_parse_int64(rows[i].s, rows[i].min, rows[i].max, &out);
        ROW_CHECK(rc == rows[i].rc, "row %zu \"%s\": rc %d, expected %d", i,
                  rows[i].s ? rows[i].s : "(null)", rc, rows[i].rc);
        if (rc == 0)
            ROW_CHECK(out == rows[i].v, "row %zu: value %" PRId64, i, out);
        else
            ROW_CHECK(out == 12345, "row %zu: output written on error", i);
    }
}

TU_TEST(test_strlcpy)
{
    static const struct {
        const char *src;
        size_t size;
        int rc;
        const char *dst;
    } rows[] = {
        {"hello", 6, 0, "hello"},         {"hello", 10, 0, "hello"},
        {"hello", 5, RB_ETOOBIG, "hell"}, {"hello", 2, RB_ETOOBIG, "h"},
        {"hello", 1, RB_ETOOBIG, ""},     {"", 1, 0, ""},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        char dst[16];
        memset(dst, 'Z', sizeof(dst));
        int rc = rb_strlcpy(dst, rows[i].src, rows[i].size);
        ROW_CHECK(rc == rows[i].rc && strcmp(dst, rows[i].dst) == 0, "row %zu: rc %d dst \"%s\"", i,
                  rc, dst);
        /* Nothing written past size. */
        ROW_CHECK(dst[rows[i].size] == 'Z' || rows[i].size >= sizeof(dst), "row %zu: overrun", i);
    }
    char one = 'Z';
    assert_int_equal(rb_strlcpy(&one, "abc", 0), RB_ETOOBIG);
    assert_int_equal(one, 'Z');
}

/* ---- time ---- */

TU_TEST(test_time_parse)
{
    static const struct {
        const char *s;
        int rc;
        int64_t t;
    } rows[] = {
        {"1970-01-01T00:00:00Z", 0, 0},
        {"2026-11-28T00:50:16Z", 0, 1795827016},
        {"2026-11-28t00:50:16z", 0, 1795827016},
        {"2026-01-01T05:00:00+05:00", 0, 1767225600},
        {"2025-12-31T19:00:00-05:00", 0, 1767225600},
        {"2026-01-01T05:30:00+05:30", 0, 1767225600},
        {"2026-01-01T00:00:00+00:00", 0, 1767225600},
        {"2026-01-01T00:00:00.123456Z", 0, 1767225600},
        {"2026-01-01T00:00:00.9+00:00", 0, 1767225600},
        {"2024-02-29T12:00:00Z", 0, 1709208000},
        {"2024-02-29", 0, 1709164800},
        {"2000-02-29", 0, 951782400},
        {"2026-06-30", 0, 1782777600},
        {"1969-12-31T23:59:59Z", 0, -1},
        {"1999-12-31T23:59:60Z", 0, 946684799}, /* leap second reads as :59 */
        /* The range rb_time_format can write: years 0000 to 9999, UTC. */
        {"0000-01-01", 0, INT64_C(-62167219200)},
        {"0000-01-01T00:00:00Z", 0, INT64_C(-62167219200)},
        {"0000-01-01T01:00:00+01:00", 0, INT64_C(-62167219200)},
        {"9999-12-31T23:59:59Z", 0, INT64_C(253402300799)},
        {"9999-12-31T22:59:59-01:00", 0, INT64_C(253402300799)},
        {"0000-01-01T00:00:00+00:01", RB_EINVAL, 0},
        {"0000-01-01T00:30:00+01:00", RB_EINVAL, 0},
        {"9999-12-31T23:59:59-00:01", RB_EINVAL, 0},
        {"9999-12-31T23:59:60-01:00", RB_EINVAL, 0},
        {"2023-02-29", RB_EINVAL, 0},
        {"2023-02-29T00:00:00Z", RB_EINVAL, 0},
        {"2100-02-29", RB_EINVAL, 0},
        {"2026-04-31", RB_EINVAL, 0},
        {"2026-01-32", RB_EINVAL, 0},
        {"2026-13-01", RB_EINVAL, 0},
        {"2026-00-10", RB_EINVAL, 0},
        {"2026-01-00", RB_EINVAL, 0},
        {"2026-01-01T24:00:00Z", RB_EINVAL, 0},
        {"2026-01-01T00:60:00Z", RB_EINVAL, 0},
        {"2026-01-01T00:00:61Z", RB_EINVAL, 0},
        {"2026-01-01T00:00:00", RB_EINVAL, 0},
        {"2026-01-01T00:00:00.Z", RB_EINVAL, 0},
        {"2026-01-01T00:00:00+0500", RB_EINVAL, 0},
        {"2026-01-01T00:00:00+05", RB_EINVAL, 0},
        {"2026-01-01T00:00:00+24:00", RB_EINVAL, 0},
        {"2026-01-01T00:00:00Zjunk", RB_EINVAL, 0},
        {"2026-01-01T00:00Z", RB_EINVAL, 0},
        {"2026-01-01T", RB_EINVAL, 0},
        {"2026-01-01x", RB_EINVAL, 0},
        {"2026-1-01", RB_EINVAL, 0},
        {"26-01-01", RB_EINVAL, 0},
        {"2026/01/01", RB_EINVAL, 0},
        {"abcd-ef-gh", RB_EINVAL, 0},
        {"", RB_EINVAL, 0},
        {"yesterday", RB_EINVAL, 0},
        {NULL, RB_EINVAL, 0},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        int64_t t = 424242;
        int rc = rb_time_parse(rows[i].s, &t);
        ROW_CHECK(rc == rows[i].rc, "row %zu \"%s\": rc %d, expected %d", i,
                  rows[i].s ? rows[i].s : "(null)", rc, rows[i].rc);
        if (rc == 0)
            ROW_CHECK(t == rows[i].t, "row %zu \"%s\": %" PRId64 ", expected %" PRId64, i,
                      rows[i].s, t, rows[i].t);
        else
            ROW_CHECK(t == 424242, "row %zu: output written on error", i);
    }
}

/* rb_date_parse takes a full date and nothing else; rb_time_of reads a stored time or gives 0. */
TU_TEST(test_date_and_stored_times)
{
    int64_t t = -1;
    assert_int_equal(rb_date_parse("2026-12-01", &t), 0);
    assert_int_equal(t, 1796083200);
    assert_int_equal(rb_date_parse("2026-12-01", NULL), 0);
    const char *not_dates[] = {NULL,         "",           "2026-12-1",   "2026-12-01T00:00:00Z",
                               "2026-13-01", "2026-02-30", "2026-12-01 ", "26-12-01"};
    for (size_t i = 0; i < RB_ARRAY_LEN(not_dates); i++)
        assert_int_equal(rb_date_parse(not_dates[i], &t), RB_EINVAL);
    assert_int_equal(rb_time_of("2026-12-01T10:00:00Z"), 1796083200 + 36000);
    assert_int_equal(rb_time_of("2026-12-01T15:00:00+05:00"), 1796083200 + 36000);
    assert_int_equal(rb_time_of("2026-12-01"), 1796083200);
    assert_int_equal(rb_time_of(NULL), 0);
    assert_int_equal(rb_time_of("yesterday"), 0);
}

TU_TEST(test_time_round_trip)
{
    static const struct {
        int64_t t;
        const char *s;
    } rows[] = {
        {0, "1970-01-01T00:00:00Z"},
        {951782400, "2000-02-29T00:00:00Z"},
        {1709208000, "2024-02-29T12:00:00Z"},
        {1795827016, "2026-11-28T00:50:16Z"},
        {4102444799, "2099-12-31T23:59:59Z"},
        {946684799, "1999-12-31T23:59:59Z"},
        {INT64_C(-62167219200), "0000-01-01T00:00:00Z"},
        {INT64_C(253402300799), "9999-12-31T23:59:59Z"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        char out[RB_TIME_SIZE];
        rb_time_format(rows[i].t, out);
        ROW_CHECK(strcmp(out, rows[i].s) == 0, "row %zu: \"%s\", expected \"%s\"", i, out,
                  rows[i].s);
        ROW_CHECK(strlen(out) == RB_TIME_SIZE - 1, "row %zu: length", i);
        int64_t back = -1;
        ROW_CHECK(rb_time_parse(out, &back) == 0 && back == rows[i].t, "row %zu: back %" PRId64, i,
                  back);
    }
    /* Every day of a leap year and a common year survives format -> parse. */
    for (int64_t t = 1704067200; t < 1767225600; t += 86400 + 3661) {
        char out[RB_TIME_SIZE];
        int64_t back = -1;
        rb_time_format(t, out);
        ROW_CHECK(rb_time_parse(out, &back) == 0 && back == t, "t %" PRId64 ": %s", t, out);
    }
    /* The arithmetic agrees with gmtime_r over four centuries, around the epoch and leap days. */
    for (int64_t t = -62167219200; t < 253402300799; t += 86400 * 37 + 4877) {
        char out[RB_TIME_SIZE], want[RB_TIME_SIZE];
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        rb_fmt(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
               tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        rb_time_format(t, out);
        ROW_CHECK(strcmp(out, want) == 0, "t %" PRId64 ": %s, gmtime_r %s", t, out, want);
    }
    /* The fake clock. */
    rb_time_set_fake(1767225600);
    assert_int_equal(rb_now(), 1767225600);
    rb_time_set_fake(-1);
    assert_true(rb_now() > 1767225600 - 86400 * 365 * 10);
}

/* ---- UTF-8 ---- */

TU_TEST(test_utf8)
{
    static const struct {
        const char *what;
        const char *s;
        size_t len;
        bool ok;
        size_t bad;
    } rows[] = {
        {"empty", "", 0, true, 0},
        {"ascii", "abc", 3, true, 0},
        {"2-byte e-acute", "\xc3\xa9", 2, true, 0},
        {"3-byte euro", "\xe2\x82\xac", 3, true, 0},
        {"4-byte emoji", "\xf0\x9f\x98\x80", 4, true, 0},
        {"Urdu", "\xd8\xb1\xd8\xa7\xd8\xa8\xd8\xb7\xdb\x81", 10, true, 0},
        {"U+D7FF", "\xed\x9f\xbf", 3, true, 0},
        {"U+E000", "\xee\x80\x80", 3, true, 0},
        {"U+FFFF", "\xef\xbf\xbf", 3, true, 0},
        {"U+10FFFF", "\xf4\x8f\xbf\xbf", 4, true, 0},
        {"U+0080 (smallest 2-byte)", "\xc2\x80", 2, true, 0},
        {"U+0800 (smallest 3-byte)", "\xe0\xa0\x80", 3, true, 0},
        {"U+10000 (smallest 4-byte)", "\xf0\x90\x80\x80", 4, true, 0},
        {"overlong NUL", "\xc0\x80", 2, false, 0},
        {"overlong slash", "a\xc0\xaf", 3, false, 1},
        {"overlong C1", "\xc1\xbf", 2, false, 0},
        {"overlong 3-byte", "\xe0\x80\x80", 3, false, 0},
        {"overlong U+07FF in 3 bytes", "\xe0\x9f\xbf", 3, false, 0},
        {"overlong 4-byte", "\xf0\x80\x80\x80", 4, false, 0},
        {"overlong U+FFFF in 4 bytes", "\xf0\x8f\xbf\xbf", 4, false, 0},
        {"surrogate U+D800", "ab\xed\xa0\x80", 5, false, 2},
        {"surrogate U+DFFF", "\xed\xbf\xbf", 3, false, 0},
        {"U+110000", "\xf4\x90\x80\x80", 4, false, 0},
        {"F5 lead", "\xf5\x80\x80\x80", 4, false, 0},
        {"5-byte form", "\xf8\x88\x80\x80\x80", 5, false, 0},
        {"FE", "\xfe", 1, false, 0},
        {"FF", "x\xff", 2, false, 1},
        {"lone continuation", "\x80", 1, false, 0},
        {"continuation in text",
         "a\xbf"
         "b",
         3, false, 1},
        {"bad continuation", "\xc3\x28", 2, false, 0},
        {"truncated 2-byte", "a\xc3", 2, false, 1},
        {"truncated 3-byte", "\xe2\x82", 2, false, 0},
        {"truncated 4-byte", "\xf0\x9f\x98", 3, false, 0},
        {"truncated after valid",
         "ab\xe2\x82\xac"
         "c\xe2",
         7, false, 6},
        {"NUL", "a\0b", 3, false, 1},
        {"NUL at start", "\0", 1, false, 0},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        size_t bad = 999;
        bool ok = rb_utf8_valid(rows[i].s, rows[i].len, &bad);
        ROW_CHECK(ok == rows[i].ok, "row %zu (%s): valid %d, expected %d", i, rows[i].what, ok,
                  rows[i].ok);
        if (!ok)
            ROW_CHECK(bad == rows[i].bad, "row %zu (%s): bad offset %zu, expected %zu", i,
                      rows[i].what, bad, rows[i].bad);
        /* The offset output is optional. */
        ROW_CHECK(rb_utf8_valid(rows[i].s, rows[i].len, NULL) == rows[i].ok, "row %zu NULL", i);
    }
    /* Only the first len bytes count. */
    assert_true(rb_utf8_valid("ok\xff", 2, NULL));
}

/* ---- memory ---- */

/* Every truncation cuts on a character boundary: rb_utf8_cut, rb_strlcpy, rb_fmt, rb_err. */
TU_TEST(test_utf8_cuts)
{
    static const struct {
        const char *s;
        size_t max, keep;
    } rows[] = {
        {"abc", 2, 2},
        {"abc", 3, 3},
        {"abc", 10, 3},
        {"\xc3\xa9\xc3\xa9", 3, 2}, /* é|é: the second é does not fit */
        {"\xc3\xa9\xc3\xa9", 4, 4},
        {"a\xe2\x82\xac", 3, 1}, /* a€ cut inside the euro sign */
        {"a\xe2\x82\xac", 4, 4},
        {"\xf0\x9f\x98\x80x", 2, 0}, /* an emoji never split */
        {"\xf0\x9f\x98\x80x", 4, 4},
        {"", 5, 0},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++)
        ROW_CHECK(rb_utf8_cut(rows[i].s, rows[i].max) == rows[i].keep, "row %zu: %zu", i,
                  rb_utf8_cut(rows[i].s, rows[i].max));
    assert_int_equal(rb_utf8_cut(NULL, 4), 0);
    char small[4];
    assert_int_equal(rb_strlcpy(small, "\xc3\xa9\xc3\xa9", sizeof(small)), RB_ETOOBIG);
    assert_string_equal(small, "\xc3\xa9");
    assert_int_equal(rb_fmt(small, sizeof(small), "a%s", "\xe2\x82\xac"), RB_ETOOBIG);
    assert_string_equal(small, "a");
    assert_int_equal(rb_fmt(small, sizeof(small), "%d", 12), 0);
    assert_string_equal(small, "12");
    /* A message longer than the errinfo buffer ends on a boundary and stays valid UTF-8. */
    rb_errinfo ei;
    char long_text[RB_ERR_MSG_MAX * 2];
    size_t o = 0;
    while (o + 2 < sizeof(long_text)) {
        long_text[o++] = '\xc3';
        long_text[o++] = '\xa9';
    }
    long_text[o] = '\0';
    rb_err(&ei, RB_EINVAL, "f", "x%s", long_text); /* 1 + 2k bytes: odd, would split */
    assert_true(rb_utf8_valid(ei.msg, strlen(ei.msg), NULL));
    assert_true(strlen(ei.msg) < RB_ERR_MSG_MAX);
    char buf[80];
    snprintf(buf, sizeof(buf), "[%.*s]", RB_CUT("\xc3\xa9\xc3\xa9", 3));
    assert_string_equal(buf, "[\xc3\xa9]");
}

TU_TEST(test_arena)
{
    rb_arena a;
    rb_arena_init(&a, 100);
    void *p1 = rb_arena_alloc(&a, 50); /* 64 with alignment */
    void *p2 = rb_arena_alloc(&a, 30); /* 32: 96 in all */
    assert_non_null(p1);
    assert_non_null(p2);
    assert_null(rb_arena_alloc(&a, 8)); /* 112 > 100 */
    assert_int_equal(a.used_total, 96);
    assert_non_null(rb_arena_alloc(&a, 0)); /* nothing more is needed */
    rb_arena_release(&a);
    assert_int_equal(a.used_total, 0);

    rb_arena_init(&a, 1 << 20);
    /* Alignment for any type, zeroed memory, no overlap. */
    char *prev = NULL;
    size_t prev_n = 0;
    for (size_t n = 1; n < 200; n += 7) {
        unsigned char *p = rb_arena_alloc(&a, n);
        assert_non_null(p);
        ROW_CHECK(((uintptr_t)p % _Alignof(max_align_t)) == 0 && ((uintptr_t)p % 16) == 0,
                  "size %zu: misaligned %p", n, (void *)p);
        for (size_t k = 0; k < n; k++)
            ROW_CHECK(p[k] == 0, "size %zu: not zeroed", n);
        memset(p, 0xab, n);
        if (prev)
            ROW_CHECK((char *)p >= prev + prev_n || (char *)p + n <= prev, "size %zu: overlap", n);
        prev = (char *)p;
        prev_n = n;
    }
    /* A big one-off larger than a chunk, then small allocations keep working. */
    unsigned char *big = rb_arena_alloc(&a, 20000);
    assert_non_null(big);
    memset(big, 1, 20000);
    for (int i = 0; i < 1000; i++) {
        char *s = rb_arena_alloc(&a, 24);
        assert_non_null(s);
        memset(s, 2, 24);
    }
    for (int i = 0; i < 20000; i++)
        assert_int_equal(big[i], 1);
    /* strdup and strndup. */
    char *d = rb_arena_strdup(&a, "rabta");
    assert_string_equal(d, "rabta");
    char *dn = rb_arena_strndup(&a, "liaison", 4);
    assert_string_equal(dn, "liai");
    assert_null(rb_arena_strdup(&a, NULL));
    assert_null(rb_arena_strndup(&a, NULL, 3));
    rb_arena_release(&a);
    /* Usable again after release + init. */
    rb_arena_init(&a, 64);
    assert_non_null(rb_arena_strdup(&a, "again"));
    assert_null(rb_arena_alloc(&a, 64)); /* 16 used, 64 more would pass the cap */
    rb_arena_release(&a);
}

/* Runs fn in a child process, so a crash fails this test only. Returns true when the child
 * exited with status 0. */
static bool in_child(void (*fn)(void))
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        fn();
        _exit(0);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid)
        return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void arena_huge_request(void)
{
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    if (!rb_arena_alloc(&a, 16))
        _exit(2);
    /* used_total + need wraps around to 0, and sizeof(chunk) + need wraps to a small number:
     * a correct arena refuses (the cap is 64 KiB); a broken one overflows the heap here. */
    void *p = rb_arena_alloc(&a, SIZE_MAX - 20);
    rb_arena_release(&a);
    _exit(p == NULL ? 0 : 3);
}

static void arena_huge_request_simple(void)
{
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    void *p = rb_arena_alloc(&a, SIZE_MAX); /* need wraps below n: refused */
    void *q = rb_arena_alloc(&a, SIZE_MAX / 2);
    rb_arena_release(&a);
    _exit(p == NULL && q == NULL ? 0 : 3);
}

/* The cap must hold for any request size: an arithmetic wrap in the cap check must not hand out
 * memory that does not exist. Run in a child: on failure the child crashes, not the suite. */
static int deferred[4], ndeferred;
static void note_release(void *p)
{
    deferred[ndeferred++] = *(int *)p;
}

/* What is tied to an arena with rb_arena_defer is released with it, last tied first. */
TU_TEST(test_arena_defer)
{
    static int one = 1, two = 2, three = 3;
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    ndeferred = 0;
    assert_int_equal(rb_arena_defer(&a, note_release, &one), 0);
    assert_int_equal(rb_arena_defer(&a, note_release, &two), 0);
    assert_int_equal(ndeferred, 0);
    rb_arena_release(&a);
    assert_int_equal(ndeferred, 2);
    assert_int_equal(deferred[0], 2);
    assert_int_equal(deferred[1], 1);
    /* A full arena cannot record it: the release runs at once and the caller is told. */
    rb_arena_init(&a, 8);
    ndeferred = 0;
    assert_int_equal(rb_arena_defer(&a, note_release, &three), RB_ENOMEM);
    assert_int_equal(ndeferred, 1);
    rb_arena_release(&a);
    assert_int_equal(ndeferred, 1);
}

TU_TEST(test_arena_huge_request_refused)
{
    assert_true(in_child(arena_huge_request_simple));
    if (!in_child(arena_huge_request))
        fail_msg("rb_arena_alloc(a, SIZE_MAX - 20) after 16 bytes did not return NULL "
                 "(the child crashed or got memory): the cap check `used_total + need > cap` "
                 "wraps around; see src/base/mem.c rb_arena_alloc");
}

TU_TEST(test_alloc_failure_injection)
{
    /* The very next allocation fails. */
    rb_buf b;
    rb_buf_init(&b, 1024);
    rb_mem_fail_after(0);
    assert_int_equal(rb_buf_add(&b, "x", 1), RB_ENOMEM);
    rb_mem_fail_after(-1);
    assert_int_equal(b.err, RB_ENOMEM);
    assert_int_equal(rb_buf_add(&b, "x", 1), RB_ENOMEM); /* sticky */
    assert_string_equal(rb_buf_cstr(&b), "");
    rb_buf_reset(&b);
    assert_int_equal(rb_buf_add(&b, "x", 1), 0);
    rb_buf_release(&b);

    /* One allocation succeeds (the first 64 bytes), growing past it fails, content intact. */
    rb_buf_init(&b, 1024);
    rb_mem_fail_after(1);
    char chunk[40];
    memset(chunk, 'c', sizeof(chunk));
    assert_int_equal(rb_buf_add(&b, chunk, sizeof(chunk)), 0);
    assert_int_equal(rb_buf_add(&b, chunk, sizeof(chunk)), RB_ENOMEM);
    rb_mem_fail_after(-1);
    assert_int_equal(b.len, sizeof(chunk));
    assert_int_equal(strspn(rb_buf_cstr(&b), "c"), sizeof(chunk));
    rb_buf_release(&b);

    /* Every wrapper honours the injection, and later ones keep failing until it is off. */
    rb_mem_fail_after(0);
    assert_null(rb_malloc(8));
    assert_null(rb_calloc(2, 8));
    assert_null(rb_realloc(NULL, 8));
    assert_null(rb_strdup("abc"));
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    assert_null(rb_arena_alloc(&a, 8));
    rb_mem_fail_after(-1);
    void *p = rb_malloc(8);
    assert_non_null(p);
    rb_free(p);
    assert_non_null(rb_arena_alloc(&a, 8));
    rb_arena_release(&a);

    /* rb_buf_printf's large path reports the failure too. */
    rb_buf_init(&b, 1 << 16);
    rb_mem_fail_after(0);
    assert_int_equal(rb_buf_printf(&b, "%0600d", 7), RB_ENOMEM);
    rb_mem_fail_after(-1);
    assert_int_equal(b.len, 0);
    rb_buf_release(&b);
}

/* ---- crypto helpers ---- */

TU_TEST(test_uuid)
{
    char a[37], b[37];
    rb_uuid_new(a);
    rb_uuid_new(b);
    assert_int_equal(strlen(a), 36);
    assert_true(rb_uuid_valid(a));
    assert_true(rb_uuid_valid(b));
    assert_string_not_equal(a, b);
    assert_int_equal(a[14], '4');           /* version 4 */
    assert_non_null(strchr("89ab", a[19])); /* RFC 4122 variant */
    for (int i = 0; i < 36; i++)
        if (i != 8 && i != 13 && i != 18 && i != 23)
            assert_non_null(strchr("0123456789abcdef", a[i])); /* lower case */
    static const struct {
        const char *s;
        bool ok;
    } rows[] = {
        {"123e4567-e89b-42d3-a456-426614174000", true},
        {"123E4567-E89B-42D3-A456-426614174000", true},
        {"00000000-0000-0000-0000-000000000000", true},
        {"123e4567-e89b-42d3-a456-42661417400", false},   /* 35 */
        {"123e4567-e89b-42d3-a456-4266141740000", false}, /* 37 */
        {"123e4567e89b-42d3-a456-4266141740000", false},  /* dash missing */
        {"123e4567-e89b-42d3-a456_426614174000", false},
        {"g23e4567-e89b-42d3-a456-426614174000", false},
        {"{23e4567-e89b-42d3-a456-426614174000", false},
        {"", false},
        {NULL, false},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++)
        ROW_CHECK(rb_uuid_valid(rows[i].s) == rows[i].ok, "row %zu \"%s\"", i,
                  rows[i].s ? rows[i].s : "(null)");
}

/* Name-based UUIDs (RFC 4122 version 5), against Python's uuid.uuid5: the padding of SHA-1 at
 * every length that matters (55 and 56 bytes of message cross a block), a long name. */
TU_TEST(test_uuid_v5)
{
    static const char dns[] = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"; /* NAMESPACE_DNS */
    char a55[56], a56[57], a64[65], b200[201];
    memset(a55, 'a', 55), a55[55] = 0;
    memset(a56, 'a', 56), a56[56] = 0;
    memset(a64, 'a', 64), a64[64] = 0;
    memset(b200, 'b', 200), b200[200] = 0;
    const struct {
        const char *ns, *name, *want;
    } rows[] = {
        {dns, "python.org", "886313e1-3b8a-5372-9b90-0c9aee199e5d"},
        {dns, "", "4ebd0208-8328-5d69-8c44-ec50939c0967"},
        {dns, a55, "ab36061e-9983-59b3-a171-f60bda1e5897"},
        {dns, a56, "3fa6c3cd-527c-5c97-b3b3-25a1c8b0e0ba"},
        {dns, a64, "efd9d9de-780b-5e83-a3e7-30a408967cf8"},
        {dns, b200, "74678596-6c70-5563-8444-3ad77191f2e0"},
        {"D963B3C2-6767-4B83-A175-0260B0C6984B", "assessment/x/result",
         "ea31a835-9b7e-5047-8933-f7e525a59e57"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        char out[37];
        ROW_CHECK(rb_uuid_v5(rows[i].ns, rows[i].name, out) == 0 && strcmp(out, rows[i].want) == 0,
                  "row %zu: %s", i, out);
    }
    char out[37];
    assert_int_equal(rb_uuid_v5("not-a-uuid", "x", out), RB_EINVAL);
}

TU_TEST(test_sha256_and_random)
{
    /* Each row: a text and its SHA-256 in hex. */
    static const struct tu_str_row rows[] = {
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        char out[RB_SHA256_HEX_SIZE];
        rb_sha256_hex(rows[i].in, strlen(rows[i].in), out);
        ROW_CHECK(strcmp(out, rows[i].out) == 0, "sha256(\"%s\") = %s", rows[i].in, out);
    }
    char r1[65], r2[65];
    rb_random_hex(32, r1);
    rb_random_hex(32, r2);
    assert_int_equal(strlen(r1), 64);
    assert_int_equal(strspn(r1, "0123456789abcdef"), 64);
    assert_string_not_equal(r1, r2);
}

TU_TEST(test_ct_streq)
{
    static const struct tu_pair_row rows[] = {
        {"abc", "abc", true}, {"abc", "abd", false}, {"abc", "ab", false},  {"ab", "abc", false},
        {"", "", true},       {"", "a", false},      {"Abc", "abc", false},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++)
        ROW_CHECK(rb_ct_streq(rows[i].a, rows[i].b) == rows[i].want, "row %zu", i);
}

TU_TEST(test_password_hash)
{
    char h[RB_PWHASH_SIZE];
    assert_int_equal(rb_password_hash("correct horse battery", h), 0);
    assert_true(strncmp(h, "$argon2id$", 10) == 0);
    assert_true(rb_password_verify(h, "correct horse battery"));
    assert_false(rb_password_verify(h, "correct horse batterY"));
    assert_false(rb_password_verify(h, ""));
    assert_false(rb_password_verify(NULL, "x"));
    assert_false(rb_password_verify(h, NULL));
    assert_false(rb_password_verify("not a hash", "correct horse battery"));
}

/* ---- errors ---- */

TU_TEST(test_errors)
{
    static const int codes[] = {RB_OK,    RB_ENOMEM,  RB_EINVAL,   RB_ENOTFOUND, RB_ECONFLICT,
                                RB_EPERM, RB_EAUTH,   RB_ETOOBIG,  RB_EDB,       RB_EIO,
                                RB_ERATE, RB_ESCHEMA, RB_EINTERNAL};
    for (size_t i = 0; i < RB_ARRAY_LEN(codes); i++) {
        const char *s = rabta_strerror(codes[i]);
        ROW_CHECK(s && s[0] && strcmp(s, "unknown error") != 0, "code %d", codes[i]);
        for (size_t k = 0; k < i; k++)
            ROW_CHECK(strcmp(s, rabta_strerror(codes[k])) != 0, "codes %d and %d share a text",
                      codes[i], codes[k]);
    }
    assert_string_equal(rabta_strerror(-999), "unknown error");

    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    assert_int_equal(rb_err(&ei, RB_EINVAL, "severity", "bad %s", "value"), RB_EINVAL);
    assert_int_equal(ei.code, RB_EINVAL);
    assert_string_equal(ei.field, "severity");
    assert_string_equal(ei.msg, "bad value");
    assert_int_equal(rb_err(NULL, RB_EPERM, "x", "y"), RB_EPERM);
    /* No format: the code's text; NULL field: "". */
    rb_err(&ei, RB_ENOTFOUND, NULL, NULL);
    assert_string_equal(ei.field, "");
    assert_string_equal(ei.msg, rabta_strerror(RB_ENOTFOUND));
    /* Long fields and messages are truncated, never overrun. */
    char longs[1000];
    memset(longs, 'f', sizeof(longs) - 1);
    longs[sizeof(longs) - 1] = '\0';
    rb_err(&ei, RB_EINVAL, longs, "%s", longs);
    assert_int_equal(strlen(ei.field), RB_ERR_FIELD_MAX - 1);
    assert_int_equal(strlen(ei.msg), RB_ERR_MSG_MAX - 1);
    rb_errinfo_clear(&ei);
    assert_int_equal(ei.code, 0);
    assert_string_equal(ei.field, "");
    assert_string_equal(ei.msg, "");
}

/* ---- TLP ---- */

TU_TEST(test_tlp_parse)
{
    static const struct {
        const char *s;
        int rc;
        enum rb_tlp level;
    } rows[] = {
        {"CLEAR", 0, TLP_CLEAR},
        {"clear", 0, TLP_CLEAR},
        {"TLP:CLEAR", 0, TLP_CLEAR},
        {"WHITE", 0, TLP_CLEAR},
        {"white", 0, TLP_CLEAR},
        {"TLP:WHITE", 0, TLP_CLEAR},
        {"GREEN", 0, TLP_GREEN},
        {"tlp:green", 0, TLP_GREEN},
        {"AMBER", 0, TLP_AMBER},
        {"Amber", 0, TLP_AMBER},
        {"AMBER+STRICT", 0, TLP_AMBER_STRICT},
        {"tlp:amber+strict", 0, TLP_AMBER_STRICT},
        {"RED", 0, TLP_RED},
        {"TLP:RED", 0, TLP_RED},
        {"", RB_EINVAL, 0},
        {"TLP:", RB_EINVAL, 0},
        {"AMBER STRICT", RB_EINVAL, 0},
        {"AMBER+", RB_EINVAL, 0},
        {"AMBER_STRICT", RB_EINVAL, 0},
        {"REDX", RB_EINVAL, 0},
        {"PURPLE", RB_EINVAL, 0},
        {" RED", RB_EINVAL, 0},
        {NULL, RB_EINVAL, 0},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        enum rb_tlp out = (enum rb_tlp)99;
        int rc = tlp_parse(rows[i].s, &out);
        ROW_CHECK(rc == rows[i].rc, "row %zu \"%s\": rc %d", i, rows[i].s ? rows[i].s : "(null)",
                  rc);
        if (rc == 0)
            ROW_CHECK(out == rows[i].level, "row %zu \"%s\": level %d", i, rows[i].s, out);
        else
            ROW_CHECK((int)out == 99, "row %zu: output written on error", i);
    }
}

TU_TEST(test_tlp_stix_ids)
{
#define MD "marking-definition--"
    static const struct {
        const char *id;
        int rc;
        enum rb_tlp level;
    } rows[] = {
        /* TLP 2.0 */
        {MD "94868c89-83c2-464b-929b-a1a8aa3c8487", 0, TLP_CLEAR},
        {MD "bab4a63c-aed9-4cf5-a766-dfca5abac2bb", 0, TLP_GREEN},
        {MD "55d920b0-5e8b-4f79-9ee9-91f868d9b421", 0, TLP_AMBER},
        {MD "939a9414-2ddd-4d32-a0cd-375ea402b003", 0, TLP_AMBER_STRICT},
        {MD "e828b379-4e03-4974-9ac4-e53a884c97c1", 0, TLP_RED},
        /* TLP 1.0, read on import */
        {MD "613f2e26-407d-48c7-9eca-b8e91df99dc9", 0, TLP_CLEAR},
        {MD "34098fce-860f-48ae-8e50-ebd3cc5e41da", 0, TLP_GREEN},
        {MD "f88d31f6-486f-44da-b317-01333bde0b82", 0, TLP_AMBER},
        {MD "5e57c739-391a-4eb3-b6be-7d15ca92d5ed", 0, TLP_RED},
        /* Not TLP markings */
        {"94868c89-83c2-464b-929b-a1a8aa3c8487", RB_ENOTFOUND, 0},
        {MD "00000000-0000-0000-0000-000000000000", RB_ENOTFOUND, 0},
        {MD "94868C89-83C2-464B-929B-A1A8AA3C8487", RB_ENOTFOUND, 0},
        {"", RB_ENOTFOUND, 0},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        enum rb_tlp out = (enum rb_tlp)99;
        int rc = tlp_from_stix_id(rows[i].id, &out);
        ROW_CHECK(rc == rows[i].rc, "row %zu %s: rc %d", i, rows[i].id, rc);
        if (rc == 0)
            ROW_CHECK(out == rows[i].level, "row %zu %s: level %d", i, rows[i].id, out);
    }
    /* The table: names, ids, CSAF labels (TLP 1 vocabulary), MISP tags. */
    static const struct {
        enum rb_tlp level;
        const char *name, *stix, *stix1, *csaf, *misp;
    } info[] = {
        {TLP_CLEAR, "CLEAR", MD "94868c89-83c2-464b-929b-a1a8aa3c8487",
         MD "613f2e26-407d-48c7-9eca-b8e91df99dc9", "WHITE", "tlp:clear"},
        {TLP_GREEN, "GREEN", MD "bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
         MD "34098fce-860f-48ae-8e50-ebd3cc5e41da", "GREEN", "tlp:green"},
        {TLP_AMBER, "AMBER", MD "55d920b0-5e8b-4f79-9ee9-91f868d9b421",
         MD "f88d31f6-486f-44da-b317-01333bde0b82", "AMBER", "tlp:amber"},
        /* AMBER+STRICT has no TLP 1 id and exports to CSAF 2.0 as AMBER (never RED). */
        {TLP_AMBER_STRICT, "AMBER+STRICT", MD "939a9414-2ddd-4d32-a0cd-375ea402b003", NULL, "AMBER",
         "tlp:amber+strict"},
        {TLP_RED, "RED", MD "e828b379-4e03-4974-9ac4-e53a884c97c1",
         MD "5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "RED", "tlp:red"},
    };
#undef MD
    assert_int_equal(RB_ARRAY_LEN(info), TLP__COUNT);
    for (size_t i = 0; i < RB_ARRAY_LEN(info); i++) {
        const struct tlp_info *t = tlp_info(info[i].level);
        assert_non_null(t);
        ROW_CHECK(t->level == info[i].level, "row %zu level", i);
        ROW_CHECK(strcmp(t->name, info[i].name) == 0, "row %zu name %s", i, t->name);
        ROW_CHECK(strcmp(tlp_name(info[i].level), info[i].name) == 0, "row %zu tlp_name", i);
        ROW_CHECK(strcmp(tlp_names[i], info[i].name) == 0, "row %zu tlp_names", i);
        ROW_CHECK(strcmp(t->stix_id, info[i].stix) == 0, "row %zu stix id", i);
        ROW_CHECK(info[i].stix1 ? (t->stix1_id && strcmp(t->stix1_id, info[i].stix1) == 0)
                                : t->stix1_id == NULL,
                  "row %zu stix1 id", i);
        ROW_CHECK(strcmp(t->csaf_label, info[i].csaf) == 0, "row %zu csaf %s", i, t->csaf_label);
        ROW_CHECK(strcmp(t->misp_tag, info[i].misp) == 0, "row %zu misp %s", i, t->misp_tag);
        /* Every name parses back to its level. */
        enum rb_tlp back;
        ROW_CHECK(tlp_parse(t->name, &back) == 0 && back == info[i].level, "row %zu parse", i);
    }
    assert_null(tlp_names[TLP__COUNT]);
    assert_null(tlp_info(TLP__COUNT));
    assert_null(tlp_info((enum rb_tlp) - 1));
    assert_string_equal(tlp_name(TLP__COUNT), "?");
    /* Levels are ordered least to most strict ("raise" = larger). */
    assert_true(TLP_CLEAR < TLP_GREEN && TLP_GREEN < TLP_AMBER && TLP_AMBER < TLP_AMBER_STRICT &&
                TLP_AMBER_STRICT < TLP_RED);
}

/* ---- actor names ---- */

TU_TEST(test_actor_names)
{
    static const char *const roles[] = {"admin", "analyst", "reporter", "viewer", "auditor"};
    for (int i = 0; i < ROLE__COUNT; i++) {
        enum rb_role r;
        ROW_CHECK(rb_role_parse(roles[i], &r) == 0 && (int)r == i, "role %s", roles[i]);
        ROW_CHECK(strcmp(rb_role_names[i], roles[i]) == 0, "role name %d", i);
    }
    enum rb_role r;
    assert_int_equal(rb_role_parse("Admin", &r), RB_EINVAL);
    assert_int_equal(rb_role_parse(NULL, &r), RB_EINVAL);
    assert_null(rb_role_names[ROLE__COUNT]);
    static const struct {
        const char *name;
        bool cert;
    } kinds[] = {{"national_cert", true},   {"provincial_cert", true}, {"sectoral_cert", true},
                 {"government_cert", true}, {"cii_cert", true},        {"institution", false}};
    for (int i = 0; i < KIND__COUNT; i++) {
        enum rb_org_kind k;
        ROW_CHECK(rb_org_kind_parse(kinds[i].name, &k) == 0 && (int)k == i, "kind %s",
                  kinds[i].name);
        ROW_CHECK(rb_org_kind_is_cert(k) == kinds[i].cert, "kind %s cert", kinds[i].name);
    }
    enum rb_org_kind k;
    assert_int_equal(rb_org_kind_parse("cert", &k), RB_EINVAL);
    rb_actor a;
    rb_actor_system(&a, NULL);
    assert_true(a.system);
    assert_string_equal(a.label, "cli");
    assert_string_equal(a.user_id, "");
}

TU_MAIN({
    cmocka_unit_test(test_buf_cap),
    cmocka_unit_test(test_buf_growth_and_detach),
    cmocka_unit_test(test_buf_printf),
    cmocka_unit_test(test_parse_int64),
    cmocka_unit_test(test_strlcpy),
    cmocka_unit_test(test_time_parse),
    cmocka_unit_test(test_time_round_trip),
    cmocka_unit_test(test_date_and_stored_times),
    cmocka_unit_test(test_utf8),
    cmocka_unit_test(test_utf8_cuts),
    cmocka_unit_test(test_arena),
    cmocka_unit_test(test_arena_defer),
    cmocka_unit_test(test_arena_huge_request_refused),
    cmocka_unit_test(test_alloc_failure_injection),
    cmocka_unit_test(test_uuid),
    cmocka_unit_test(test_uuid_v5),
    cmocka_unit_test(test_sha256_and_random),
    cmocka_unit_test(test_ct_streq),
    cmocka_unit_test(test_password_hash),
    cmocka_unit_test(test_errors),
    cmocka_unit_test(test_tlp_parse),
    cmocka_unit_test(test_tlp_stix_ids),
    cmocka_unit_test(test_actor_names),
})
