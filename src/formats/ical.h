/*
 * ical.h - an iCalendar (RFC 5545) writer: the calendar of one training session, and an org's
 * calendar feed that a calendar program subscribes to.
 *
 * What it holds to, from the RFC:
 *   - every content line ends in CRLF (§3.1);
 *   - a line longer than 75 octets (CRLF not counted) is folded: CRLF and one space, the space
 *     counting as the first octet of the next line, and a fold never falls inside a UTF-8
 *     sequence (§3.1: "multi-octet characters ... MUST NOT be split");
 *   - TEXT values escape backslash, semicolon and comma with a backslash and write a line break
 *     (LF, CR or CRLF) as \n (§3.3.11); other control characters but tab are dropped, since TEXT
 *     may not hold them; values of other types (URI, UID) drop every control character, so no
 *     value can start a line of its own;
 *   - DTSTAMP, DTSTART, DTEND and LAST-MODIFIED are UTC date-times, "19970714T173000Z" (§3.3.5
 *     form #2);
 *   - VCALENDAR carries PRODID and VERSION:2.0 (§3.6), and METHOD:PUBLISH when asked (RFC 5546
 *     §1.4: a feed publishes events no one replies to); every VEVENT has UID and DTSTAMP (§3.6.1);
 *   - ORGANIZER, which RFC 5546 §3.2.1 asks of a published VEVENT, is a CAL-ADDRESS (mailto:)
 *     with the CN parameter as a quoted string (§3.2: DQUOTE and control characters dropped,
 *     since a param-value cannot hold them).
 *
 * Pure: no database, no clock; the caller gives every time. Output goes into a capped rb_buf:
 * past the cap, the buffer's sticky error (RB_ETOOBIG) is the result.
 */
#ifndef RABTA_ICAL_H
#define RABTA_ICAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* The most octets of one content line, CRLF not counted (RFC 5545 §3.1). */
#define ICAL_LINE_MAX 75

/* One event (VEVENT). Texts may be NULL (the property is left out) but uid; start < end. */
struct ical_event {
    const char *uid;                   /* globally unique: "<uuid>@rabta" */
    int64_t stamp;                     /* DTSTAMP: when this copy was made (or last changed) */
    int64_t start, end;                /* DTSTART, DTEND, seconds since the epoch, UTC */
    int64_t last_modified;             /* LAST-MODIFIED; 0 leaves it out */
    int sequence;                      /* SEQUENCE: the revision, from 0 */
    const char *summary, *description; /* TEXT */
    const char *location;              /* TEXT: LOCATION (the venue) */
    const char *url;                   /* URI: URL (the meeting link) */
    const char *status;                /* "CONFIRMED", "TENTATIVE" or "CANCELLED"; or NULL */
    const char *organizer_name;        /* TEXT: a comment naming who organises it, or NULL */
    const char *organizer_cn;          /* ORGANIZER's CN parameter (the lead's name), or NULL */
    const char *organizer_email;       /* ORGANIZER: mailto: the lead's e-mail, or NULL */
    const char *const *categories;     /* TEXT each: CATEGORIES (topics); ncategories of them */
    int ncategories;
};

/* The calendar around the events. */
struct ical_calendar {
    const char *prodid; /* "-//rabta//Training sessions//EN" */
    const char *method; /* "PUBLISH" for a feed, or NULL */
    const char *name;   /* X-WR-CALNAME (what calendar programs title a feed), or NULL */
};

/* Writes the calendar with its n events into out. Returns 0, or RB_ETOOBIG past out's cap
 * (what was written is then incomplete), or RB_ENOMEM. */
int ical_write(rb_buf *out, const struct ical_calendar *cal, const struct ical_event *ev, size_t n);

/* ---- the pieces, for the writer and its tests ---- */

/* Appends name ":" value as one content line, folded at ICAL_LINE_MAX octets on UTF-8 boundaries,
 * ending in CRLF. The value is written as it is, but control characters are dropped. */
int ical_line(rb_buf *out, const char *name, const char *value);

/* Appends name ":" text as a TEXT value (escaped as above), folded, ending in CRLF. */
int ical_text_line(rb_buf *out, const char *name, const char *text);

/* Appends text[0..len) escaped as a TEXT value (no folding). */
int ical_escape_text(rb_buf *out, const char *text, size_t len);

/* Appends line[0..len) (no CRLF in it) folded: CRLF and a space before each octet that would make
 * a line longer than ICAL_LINE_MAX, moved back to the start of a UTF-8 sequence; then CRLF. */
int ical_fold(rb_buf *out, const char *line, size_t len);

/* The UTC date-time form of t: "20260312T090000Z" (17 bytes with the NUL). */
#define ICAL_TIME_SIZE 17
void ical_time(int64_t t, char out[ICAL_TIME_SIZE]);

#endif
