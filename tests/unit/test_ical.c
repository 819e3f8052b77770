/*
 * test_ical.c - src/formats/ical against the rules of RFC 5545: CRLF line ends (§3.1), lines of
 * at most 75 octets folded with CRLF and a space (§3.1), never inside a UTF-8 sequence, TEXT
 * escapes (§3.3.11), UTC date-times (§3.3.5), and the properties a calendar and an event must
 * carry (§3.6, §3.6.1).
 */
#include "base/common.h"
#include "base/rtime.h"
#include "base/utf8.h"
#include "formats/ical.h"

#include "test_util.h"

/* Checks every physical line of s[0..len): it ends in CRLF, holds no other CR or LF, is at most
 * ICAL_LINE_MAX octets and is valid UTF-8 by itself (so no fold split a character). Returns the
 * number of lines. */
static int check_lines(const char *s, size_t len)
{
    int lines = 0;
    size_t at = 0;
    while (at < len) {
        const char *crlf = NULL;
        for (size_t i = at; i + 1 < len; i++)
            if (s[i] == '\r' && s[i + 1] == '\n') {
                crlf = s + i;
                break;
            }
        ROW_CHECK(crlf != NULL, "line %d does not end in CRLF", lines + 1);
        size_t n = (size_t)(crlf - (s + at));
        ROW_CHECK(n <= ICAL_LINE_MAX, "line %d has %zu octets", lines + 1, n);
        for (size_t i = 0; i < n; i++)
            ROW_CHECK(s[at + i] != '\r' && s[at + i] != '\n', "line %d holds a bare CR or LF",
                      lines + 1);
        ROW_CHECK(rb_utf8_valid(s + at, n, NULL), "line %d splits a UTF-8 sequence: %.*s",
                  lines + 1, (int)n, s + at);
        lines++;
        at += n + 2;
    }
    return lines;
}

/* Unfolds s (RFC 5545 §3.1: remove every CRLF followed by one space or tab) into out. */
static void unfold(const char *s, size_t len, rb_buf *out)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\r' && i + 2 < len && s[i + 1] == '\n' &&
            (s[i + 2] == ' ' || s[i + 2] == '\t')) {
            i += 2;
            continue;
        }
        rb_buf_addc(out, s[i]);
    }
}

/* Folding: table rows of a logical line, each checked for line lengths, UTF-8 boundaries, the
 * number of physical lines, and that unfolding gives the line back. */
TU_TEST(test_fold)
{
    static const struct {
        const char *piece; /* repeated */
        int times;
        const char *prefix;
        int lines; /* physical lines expected; 0: not checked */
    } rows[] = {
        {"a", 75, "", 1},      /* exactly 75 octets: not folded */
        {"a", 76, "", 2},      /* 76: one fold */
        {"a", 75 + 74, "", 2}, /* the second line holds 74 after its space */
        {"a", 75 + 75, "", 3},
        {"\xc3\xa9", 100, "", 0},    /* é, two octets */
        {"\xc3\xa9", 100, "x", 0},   /* shifted by one: a cut would fall inside */
        {"\xe2\x82\xac", 60, "", 0}, /* €, three octets */
        {"\xe2\x82\xac", 60, "x", 0},
        {"\xe2\x82\xac", 60, "xy", 0},
        {"\xf0\x9f\x93\x85", 50, "", 0}, /* 📅, four octets */
        {"\xf0\x9f\x93\x85", 50, "x", 0},
        {"\xf0\x9f\x93\x85", 50, "xy", 0},
        {"\xf0\x9f\x93\x85", 50, "xyz", 0},
        {"\xd8\xb1\xd8\xa7\xd8\xa8\xd8\xb7\xdb\x81 ", 30, "SUMMARY:", 0}, /* Urdu: rabta */
    };
    for (size_t r = 0; r < RB_ARRAY_LEN(rows); r++) {
        rb_buf line, out, back;
        rb_buf_init(&line, 1 << 16);
        rb_buf_init(&out, 1 << 16);
        rb_buf_init(&back, 1 << 16);
        rb_buf_adds(&line, rows[r].prefix);
        for (int i = 0; i < rows[r].times; i++)
            rb_buf_adds(&line, rows[r].piece);
        assert_int_equal(ical_fold(&out, line.ptr, line.len), 0);
        int n = check_lines(out.ptr, out.len);
        ROW_CHECK(rows[r].lines == 0 || n == rows[r].lines, "row %zu: %d lines, expected %d", r, n,
                  rows[r].lines);
        /* Continuation lines begin with one space; the first does not. */
        ROW_CHECK(out.ptr[0] != ' ', "row %zu: the first line starts with a space", r);
        unfold(out.ptr, out.len, &back);
        ROW_CHECK(back.len == line.len + 2 && memcmp(back.ptr, line.ptr, line.len) == 0 &&
                      memcmp(back.ptr + line.len, "\r\n", 2) == 0,
                  "row %zu: unfolding does not give the line back", r);
        rb_buf_release(&line);
        rb_buf_release(&out);
        rb_buf_release(&back);
    }
}

/* Every line is used as fully as the characters allow: a fold comes at most 3 octets (the rest of
 * a 4-octet character) before the limit. */
TU_TEST(test_fold_is_tight)
{
    rb_buf line, out;
    rb_buf_init(&line, 1 << 16);
    rb_buf_init(&out, 1 << 16);
    for (int i = 0; i < 200; i++)
        rb_buf_adds(&line, i % 3 ? "\xf0\x9f\x93\x85" : "ab");
    assert_int_equal(ical_fold(&out, line.ptr, line.len), 0);
    check_lines(out.ptr, out.len);
    size_t at = 0;
    while (at < out.len) {
        const char *e = strstr(out.ptr + at, "\r\n");
        size_t n = (size_t)(e - (out.ptr + at));
        bool last = (size_t)(e - out.ptr) + 2 == out.len;
        if (!last)
            assert_true(n > ICAL_LINE_MAX - 4);
        at += n + 2;
    }
    rb_buf_release(&line);
    rb_buf_release(&out);
}

/* TEXT escapes (§3.3.11): backslash, semicolon, comma; LF, CR and CRLF each become \n; other
 * controls but tab are dropped; ':' and '"' stay as they are. */
TU_TEST(test_escapes)
{
    static const struct tu_str_row rows[] = {
        {"plain words", "plain words"},
        {"a,b", "a\\,b"},
        {"a;b", "a\\;b"},
        {"back\\slash", "back\\\\slash"},
        {"two\nlines", "two\\nlines"},
        {"crlf\r\nline", "crlf\\nline"},
        {"cr\ronly", "cr\\nonly"},
        {"tab\tstays", "tab\tstays"},
        {"bell\x07gone", "bellgone"},
        {"del\x7fgone", "delgone"},
        {"Room 4: \"Lahore\"", "Room 4: \"Lahore\""},
        {"\\n is not a newline", "\\\\n is not a newline"},
        {"KPITB, PITB; Sindh IT\\", "KPITB\\, PITB\\; Sindh IT\\\\"},
    };
    for (size_t r = 0; r < RB_ARRAY_LEN(rows); r++) {
        rb_buf b;
        rb_buf_init(&b, 4096);
        assert_int_equal(ical_escape_text(&b, rows[r].in, strlen(rows[r].in)), 0);
        ROW_CHECK(strcmp(rb_buf_cstr(&b), rows[r].out) == 0, "row %zu: %s -> %s, expected %s", r,
                  rows[r].in, rb_buf_cstr(&b), rows[r].out);
        rb_buf_release(&b);
    }
}

/* A value cannot start a content line of its own: a CR or LF in a URL or UID is dropped, in a
 * TEXT value escaped. */
TU_TEST(test_no_injection)
{
    rb_buf b;
    rb_buf_init(&b, 4096);
    ical_line(&b, "URL", "https://meet.example/x\r\nEND:VCALENDAR");
    ical_text_line(&b, "SUMMARY", "Hi\r\nEND:VEVENT");
    assert_int_equal(b.err, 0);
    assert_int_equal(check_lines(b.ptr, b.len), 2);
    assert_string_equal(rb_buf_cstr(&b), "URL:https://meet.example/xEND:VCALENDAR\r\n"
                                         "SUMMARY:Hi\\nEND:VEVENT\r\n");
    rb_buf_release(&b);
}

TU_TEST(test_time)
{
    char t[ICAL_TIME_SIZE];
    int64_t s = 0;
    assert_int_equal(rb_time_parse("2026-03-12T09:00:00Z", &s), 0);
    ical_time(s, t);
    assert_string_equal(t, "20260312T090000Z");
    assert_int_equal(rb_time_parse("2026-03-12T14:30:05+05:00", &s), 0);
    ical_time(s, t); /* Pakistan time, written in UTC */
    assert_string_equal(t, "20260312T093005Z");
    ical_time(0, t);
    assert_string_equal(t, "19700101T000000Z");
}

/* True when s holds the content line `line` (CRLF on both sides, or at the start). */
static bool has_line(const char *s, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = strstr(s, line); p; p = strstr(p + 1, line))
        if ((p == s || (p >= s + 2 && p[-2] == '\r' && p[-1] == '\n')) && p[n] == '\r' &&
            p[n + 1] == '\n')
            return true;
    return false;
}

/* How many content lines of s start with `prefix`. */
static int count_of(const char *s, const char *prefix)
{
    int n = 0;
    size_t k = strlen(prefix);
    for (const char *p = s; p && *p; p = strstr(p, "\r\n"), p = p ? p + 2 : NULL)
        n += strncmp(p, prefix, k) == 0;
    return n;
}

TU_TEST(test_calendar)
{
    int64_t start = 0, end = 0, stamp = 0;
    rb_time_parse("2026-03-12T04:00:00Z", &start);
    rb_time_parse("2026-03-12T07:30:00Z", &end);
    rb_time_parse("2026-03-01T10:00:00Z", &stamp);
    static const char *const topics[] = {"Incident Response", "Backup, and Recovery"};
    struct ical_event ev[2] = {
        {.uid = "0b8c2a8e-5f1e-4b57-9d7c-1c1b1b2b3b4b@rabta",
         .stamp = stamp,
         .start = start,
         .end = end,
         .last_modified = stamp,
         .sequence = 2,
         .summary = "Incident handling drill: KPITB in the room, PITB and Sindh IT online",
         .description = "Bring your playbooks.\nWe will walk through a ransomware case; "
                        "everyone takes a role.",
         .location = "KPITB, Peshawar; Hall 2",
         .url = "https://meet.example/ir-drill",
         .status = "CONFIRMED",
         .organizer_name = "Organised by National CERT",
         .organizer_cn = "Ayesha \"Ash\" Khan, KP CERT",
         .organizer_email = "ayesha@kpcert.example",
         .categories = topics,
         .ncategories = 2},
        {.uid = "second@rabta",
         .stamp = stamp,
         .start = start + 86400,
         .end = end + 86400,
         .summary = "Cancelled one",
         .status = "CANCELLED"},
    };
    struct ical_calendar cal = {"-//rabta//Training sessions//EN", "PUBLISH", "National CERT"};
    rb_buf b;
    rb_buf_init(&b, 1 << 16);
    assert_int_equal(ical_write(&b, &cal, ev, 2), 0);
    check_lines(b.ptr, b.len);
    rb_buf u;
    rb_buf_init(&u, 1 << 16);
    unfold(b.ptr, b.len, &u);
    const char *s = rb_buf_cstr(&u);
    assert_true(strncmp(s, "BEGIN:VCALENDAR\r\n", 17) == 0);
    assert_true(has_line(s, "VERSION:2.0"));
    assert_true(has_line(s, "PRODID:-//rabta//Training sessions//EN"));
    assert_true(has_line(s, "METHOD:PUBLISH"));
    assert_true(has_line(s, "X-WR-CALNAME:National CERT"));
    assert_true(has_line(s, "UID:0b8c2a8e-5f1e-4b57-9d7c-1c1b1b2b3b4b@rabta"));
    assert_true(has_line(s, "DTSTAMP:20260301T100000Z"));
    assert_true(has_line(s, "DTSTART:20260312T040000Z"));
    assert_true(has_line(s, "DTEND:20260312T073000Z"));
    assert_true(has_line(s, "SEQUENCE:2"));
    assert_true(has_line(s, "LOCATION:KPITB\\, Peshawar\\; Hall 2"));
    assert_true(has_line(s, "URL:https://meet.example/ir-drill"));
    assert_true(has_line(s, "DESCRIPTION:Bring your playbooks.\\nWe will walk through a ransomware "
                            "case\\; everyone takes a role."));
    assert_true(has_line(s, "CATEGORIES:Incident Response,Backup\\, and Recovery"));
    assert_true(has_line(s, "STATUS:CANCELLED"));
    /* The lead as ORGANIZER: the CN quoted, its own quotes dropped; the second event has none. */
    assert_true(has_line(s, "ORGANIZER;CN=\"Ayesha Ash Khan, KP CERT\":mailto:ayesha@kpcert.example"));
    assert_int_equal(count_of(s, "ORGANIZER"), 1);
    assert_true(has_line(s, "UID:second@rabta"));
    /* Two events, each with one UID and one DTSTAMP; the calendar closes last. */
    int events = 0, uids = 0, stamps = 0;
    for (const char *p = s; (p = strstr(p, "BEGIN:VEVENT\r\n")); p++)
        events++;
    for (const char *p = s; (p = strstr(p, "\r\nUID:")); p++)
        uids++;
    for (const char *p = s; (p = strstr(p, "\r\nDTSTAMP:")); p++)
        stamps++;
    assert_int_equal(events, 2);
    assert_int_equal(uids, 2);
    assert_int_equal(stamps, 2);
    assert_true(u.len >= 15 && strcmp(s + u.len - 15, "END:VCALENDAR\r\n") == 0);
    /* No METHOD when not asked for (one session's file). */
    rb_buf one;
    rb_buf_init(&one, 1 << 16);
    struct ical_calendar plain = {"-//rabta//Training sessions//EN", NULL, NULL};
    assert_int_equal(ical_write(&one, &plain, ev, 1), 0);
    assert_null(strstr(rb_buf_cstr(&one), "METHOD:"));
    rb_buf_release(&one);
    rb_buf_release(&u);
    rb_buf_release(&b);
}

/* Past the buffer's cap the writer says so. */
TU_TEST(test_cap)
{
    struct ical_event ev = {.uid = "x@rabta", .summary = "A session", .start = 0, .end = 3600};
    struct ical_calendar cal = {"-//rabta//Training sessions//EN", "PUBLISH", NULL};
    rb_buf b;
    rb_buf_init(&b, 64);
    assert_int_equal(ical_write(&b, &cal, &ev, 1), RB_ETOOBIG);
    rb_buf_release(&b);
}

TU_MAIN({
    cmocka_unit_test(test_fold),
    cmocka_unit_test(test_fold_is_tight),
    cmocka_unit_test(test_escapes),
    cmocka_unit_test(test_no_injection),
    cmocka_unit_test(test_time),
    cmocka_unit_test(test_calendar),
    cmocka_unit_test(test_cap),
})
