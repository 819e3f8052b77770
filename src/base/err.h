/*
 * err.h - the one error type of rabta.
 *
 * Functions return int: 0 on success, a negative RB_E* value on failure. Domain functions that
 * reject input also fill an rb_errinfo, naming the offending field and saying what to fix, so the
 * API and the CLI can report it without knowing the domain.
 */
#ifndef RABTA_ERR_H
#define RABTA_ERR_H

#include <stdarg.h>

enum rb_err {
    RB_OK = 0,
    RB_ENOMEM = -1,     /* an allocation failed */
    RB_EINVAL = -2,     /* input is invalid; rb_errinfo says which field and why */
    RB_ENOTFOUND = -3,  /* no such object, or the caller may not see it */
    RB_ECONFLICT = -4,  /* the write conflicts with existing state (duplicate, wrong state) */
    RB_EPERM = -5,      /* the caller may see the object but may not do this */
    RB_EAUTH = -6,      /* no valid credentials */
    RB_ETOOBIG = -7,    /* a size cap was exceeded */
    RB_EDB = -8,        /* the database failed */
    RB_EIO = -9,        /* a file or socket operation failed */
    RB_ERATE = -10,     /* too many attempts; try later */
    RB_ESCHEMA = -11,   /* the database schema is not one this binary can use */
    RB_EINTERNAL = -12, /* a bug or an impossible state */
};

#define RB_ERR_FIELD_MAX 96
#define RB_ERR_MSG_MAX 320

/* The details of a refused operation. `field` is "" when no single field is at fault.
 * `retry_after` is set (seconds) with RB_ERATE. */
typedef struct rb_errinfo {
    int code;
    char field[RB_ERR_FIELD_MAX];
    char msg[RB_ERR_MSG_MAX];
    long retry_after;
} rb_errinfo;

/* A short English description of an RB_E* code; never NULL. */
const char *rabta_strerror(int code);

/* Fills ei (when not NULL) and returns code, so callers can write `return rb_err(ei, ...)`. */
int rb_err(rb_errinfo *ei, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same with the arguments as a va_list, for functions that refuse on their caller's words. */
int rb_verr(rb_errinfo *ei, int code, const char *field, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/* Clears ei to "no error". */
void rb_errinfo_clear(rb_errinfo *ei);

#endif
