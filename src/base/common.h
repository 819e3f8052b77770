/*
 * common.h - the first include of every rabta source file.
 *
 * Brings the standard headers every module uses, the project error codes, and then banned.h, so
 * that no later code can call a banned function. Never include system string/stdio headers
 * before this one in a .c file.
 */
#ifndef RABTA_COMMON_H
#define RABTA_COMMON_H

#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE 1

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/err.h"
#include "base/banned.h"

#define RB_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define RB_UNUSED(x) ((void)(x))

/* Ids are UUIDs in their 36-character text form; RB_ID_SIZE includes the terminating NUL. */
#define RB_ID_SIZE 37

/* The release, as `rabta version` and generated documents (CSAF generator) name it. */
#define RABTA_VERSION "0.1.0"

/* Parses a decimal integer in [min, max]; the whole string must be the number.
 * Returns 0, or RB_EINVAL when s is empty, not a number, has trailing bytes or is out of range. */
int rb_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* The index of s in names (a NULL-terminated table of an enum's names), or -1 when s is NULL or
 * not one of them. */
int rb_name_index(const char *const *names, const char *s);

/* Copies at most size-1 bytes of src into dst and always terminates it.
 * Returns 0, or RB_ETOOBIG when src did not fit (dst then holds the truncated prefix). */
int rb_strlcpy(char *dst, const char *src, size_t size);

/* snprintf that never leaves half a character: when the result does not fit, it is cut on a
 * UTF-8 character boundary. Returns 0, or RB_ETOOBIG when it was cut. */
int rb_fmt(char *dst, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int rb_vfmt(char *dst, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* True when s is NULL or "". */
static inline bool rb_empty(const char *s)
{
    return s == NULL || s[0] == '\0';
}

#endif
