/*
 * utf8.h - strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, max U+10FFFF).
 */
#ifndef RABTA_UTF8_H
#define RABTA_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is valid UTF-8. When false and bad_offset is not NULL, it receives the
 * byte offset of the first invalid sequence. NUL bytes are refused too. */
bool rb_utf8_valid(const char *s, size_t len, size_t *bad_offset);

#endif
