/*
 * log.h - one-line log messages on stderr, each prefixed with a UTC time and a level.
 *
 * Lines are written with a single write(2) so lines from worker threads never interleave.
 */
#ifndef RABTA_LOG_H
#define RABTA_LOG_H

enum rb_log_level { RB_LOG_DEBUG, RB_LOG_INFO, RB_LOG_WARN, RB_LOG_ERROR };

/* Messages below `level` are dropped. Default RB_LOG_INFO. */
void rb_log_set_level(enum rb_log_level level);
void rb_log(enum rb_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
