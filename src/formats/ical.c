/*
 * ical.c - the iCalendar (RFC 5545) writer (see ical.h).
 *
 * Must never: write a line longer than 75 octets, split a UTF-8 sequence across a fold, or let a
 * value's text start a content line of its own (a CR or LF in a value).
 */
#include "base/common.h"
#include "base/rtime.h"
#include "formats/ical.h"

void ical_time(int64_t t, char out[ICAL_TIME_SIZE])
{
    /* "2026-03-12T09:00:00Z" without its '-' and ':' is the RFC's "20260312T090000Z". */
    char iso[RB_TIME_SIZE];
    rb_time_format(t, iso);
    size_t k = 0;
    for (const char *p = iso; *p && k + 1 < ICAL_TIME_SIZE; p++)
        if (*p != '-' && *p != ':')
            out[k++] = *p;
    out[k] = '\0';
}

/* A continuation byte of a UTF-8 sequence (10xxxxxx): a fold may not fall before it. */
static bool utf8_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

int ical_fold(rb_buf *out, const char *line, size_t len)
{
    size_t room = ICAL_LINE_MAX; /* octets the current line may still take */
    size_t at = 0;
    while (len - at > room) {
        size_t cut = at + room;
        /* Back to the start of the sequence the cut would split; a line always takes at least
         * one whole character, so a (malformed) run of continuation bytes cannot stall it. */
        while (cut > at && utf8_cont((unsigned char)line[cut]))
            cut--;
        if (cut == at)
            cut = at + room;
        rb_buf_add(out, line + at, cut - at);
        rb_buf_add(out, "\r\n ", 3);
        at = cut;
        room = ICAL_LINE_MAX - 1; /* the leading space is the first octet */
    }
    rb_buf_add(out, line + at, len - at);
    rb_buf_add(out, "\r\n", 2);
    return out->err;
}

int ical_escape_text(rb_buf *out, const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\r' && i + 1 < len && text[i + 1] == '\n')
            continue; /* CR, LF and CRLF are each one line break: this one is the LF's */
        if (c == '\\' || c == ';' || c == ',') {
            rb_buf_addc(out, '\\');
            rb_buf_addc(out, (char)c);
        } else if (c == '\r' || c == '\n') {
            rb_buf_add(out, "\\n", 2);
        } else if (c == '\t' || (c >= 0x20 && c != 0x7f)) { /* no other control character */
            rb_buf_addc(out, (char)c);
        }
    }
    return out->err;
}

/* Builds "NAME:" + the value (escaped as TEXT or with its controls dropped) in a scratch buffer,
 * then folds it into out. */
static int line_of(rb_buf *out, const char *name, const char *value, bool text)
{
    rb_buf l;
    rb_buf_init(&l, out->max ? out->max : (size_t)1 << 20);
    rb_buf_adds(&l, name);
    rb_buf_addc(&l, ':');
    size_t n = value ? strlen(value) : 0;
    if (text) {
        ical_escape_text(&l, value ? value : "", n);
    } else {
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)value[i];
            if (c >= 0x20 && c != 0x7f)
                rb_buf_addc(&l, (char)c);
        }
    }
    int rc = l.err;
    if (!rc)
        rc = ical_fold(out, l.ptr ? l.ptr : "", l.len);
    rb_buf_release(&l);
    if (rc && !out->err)
        out->err = rc;
    return out->err;
}

int ical_line(rb_buf *out, const char *name, const char *value)
{
    return line_of(out, name, value, false);
}

int ical_text_line(rb_buf *out, const char *name, const char *text)
{
    return line_of(out, name, text, true);
}

static void time_line(rb_buf *out, const char *name, int64_t t)
{
    char v[ICAL_TIME_SIZE];
    ical_time(t, v);
    ical_line(out, name, v);
}

/* ORGANIZER;CN="name":mailto:email (RFC 5545 §3.8.4.3, the CN a quoted string of QSAFE-CHARs). */
static void organizer_line(rb_buf *out, const char *cn, const char *email)
{
    rb_buf name, value;
    rb_buf_init(&name, 1024);
    rb_buf_init(&value, 1024);
    rb_buf_adds(&name, "ORGANIZER");
    if (cn && cn[0]) {
        rb_buf_adds(&name, ";CN=\"");
        for (const unsigned char *c = (const unsigned char *)cn; *c; c++)
            if (*c != '"' && *c >= 0x20 && *c != 0x7f)
                rb_buf_addc(&name, (char)*c);
        rb_buf_addc(&name, '"');
    }
    rb_buf_adds(&value, "mailto:");
    rb_buf_adds(&value, email);
    if (name.err || value.err)
        out->err = out->err ? out->err : RB_ETOOBIG;
    else
        ical_line(out, rb_buf_cstr(&name), rb_buf_cstr(&value));
    rb_buf_release(&name);
    rb_buf_release(&value);
}

static void event(rb_buf *out, const struct ical_event *e)
{
    ical_line(out, "BEGIN", "VEVENT");
    ical_text_line(out, "UID", e->uid);
    time_line(out, "DTSTAMP", e->stamp);
    time_line(out, "DTSTART", e->start);
    time_line(out, "DTEND", e->end);
    if (e->last_modified > 0)
        time_line(out, "LAST-MODIFIED", e->last_modified);
    char seq[24];
    rb_fmt(seq, sizeof(seq), "%d", e->sequence > 0 ? e->sequence : 0);
    ical_line(out, "SEQUENCE", seq);
    if (e->summary)
        ical_text_line(out, "SUMMARY", e->summary);
    if (e->description && e->description[0])
        ical_text_line(out, "DESCRIPTION", e->description);
    if (e->location && e->location[0])
        ical_text_line(out, "LOCATION", e->location);
    if (e->url && e->url[0])
        ical_line(out, "URL", e->url);
    if (e->status)
        ical_line(out, "STATUS", e->status);
    if (e->organizer_email && e->organizer_email[0])
        organizer_line(out, e->organizer_cn, e->organizer_email);
    if (e->organizer_name && e->organizer_name[0])
        ical_text_line(out, "COMMENT", e->organizer_name);
    if (e->ncategories > 0) {
        /* CATEGORIES is a list of TEXT values split by commas: each one escaped on its own. */
        rb_buf l;
        rb_buf_init(&l, out->max ? out->max : (size_t)1 << 20);
        rb_buf_adds(&l, "CATEGORIES:");
        for (int i = 0; i < e->ncategories; i++) {
            if (i)
                rb_buf_addc(&l, ',');
            const char *c = e->categories[i] ? e->categories[i] : "";
            ical_escape_text(&l, c, strlen(c));
        }
        if (!l.err)
            ical_fold(out, l.ptr, l.len);
        else if (!out->err)
            out->err = l.err;
        rb_buf_release(&l);
    }
    ical_line(out, "END", "VEVENT");
}

int ical_write(rb_buf *out, const struct ical_calendar *cal, const struct ical_event *ev, size_t n)
{
    ical_line(out, "BEGIN", "VCALENDAR");
    ical_line(out, "VERSION", "2.0");
    ical_text_line(out, "PRODID", cal->prodid ? cal->prodid : "-//rabta//rabta//EN");
    ical_line(out, "CALSCALE", "GREGORIAN");
    if (cal->method)
        ical_line(out, "METHOD", cal->method);
    if (cal->name)
        ical_text_line(out, "X-WR-CALNAME", cal->name);
    for (size_t i = 0; i < n && !out->err; i++)
        event(out, &ev[i]);
    ical_line(out, "END", "VCALENDAR");
    return out->err;
}
