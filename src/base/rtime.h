/*
 * rtime.h - wall-clock time as RFC 3339 UTC text, and a monotonic clock for durations.
 *
 * rabta stores and exchanges times as "YYYY-MM-DDTHH:MM:SSZ" (UTC, second precision), which
 * sorts lexically in time order in any database.
 */
#ifndef RABTA_RTIME_H
#define RABTA_RTIME_H

#include <stdint.h>

#define RB_TIME_SIZE 21 /* "2026-11-28T00:50:16Z" plus NUL */

/* Seconds since the epoch, UTC. Tests may pin it with rb_time_set_fake(). */
int64_t rb_now(void);
/* Pins rb_now() to t (t < 0 restores the real clock). For tests. */
void rb_time_set_fake(int64_t t);
/* Takes rb_now() from a file that holds epoch seconds or an RFC 3339 time, read at every call, so
 * a test moves the clock of a running server by rewriting the file (rabta serve --clock-file);
 * while the file cannot be read, the real clock. NULL or "" stops. Call before threads start. */
void rb_time_set_file(const char *path);
/* Formats t as RFC 3339 UTC into out. */
void rb_time_format(int64_t t, char out[RB_TIME_SIZE]);
/* Parses an RFC 3339 date-time (Z or ±hh:mm offset, optional fraction) or a full date
 * "YYYY-MM-DD" (midnight UTC). Returns 0 or RB_EINVAL (also for a time outside the years
 * 0000-9999 once in UTC, which rb_time_format could not write). */
int rb_time_parse(const char *s, int64_t *out);
/* Parses a full date "YYYY-MM-DD" and nothing else (midnight UTC) into *out (out may be NULL).
 * Returns 0 or RB_EINVAL (also for NULL). */
int rb_date_parse(const char *s, int64_t *out);
/* The seconds of a stored time (rb_time_parse); 0 for NULL or a text that is not one. */
int64_t rb_time_of(const char *s);
/* Milliseconds of a monotonic clock, for measuring durations. */
double rb_mono_ms(void);

#endif
