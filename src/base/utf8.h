/*
 * utf8.h - strict UTF-8 (RFC 3629: no overlong forms, no surrogates, max U+10FFFF): validation,
 * decoding one character, and cutting text on a character boundary.
 *
 * Every truncation in rabta goes through rb_utf8_cut (or RB_CUT in a format string), so text cut
 * to a size never ends in half a character.
 */
#ifndef RABTA_UTF8_H
#define RABTA_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s[0..len) is valid UTF-8. When false and bad_offset is not NULL, it receives the
 * byte offset of the first invalid sequence. NUL bytes are refused too. */
bool rb_utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Decodes the character at s[0..len) (len > 0). Returns its byte length (1..4) and sets *cp, or
 * returns 0 when the bytes there are not a valid UTF-8 character (then *cp is unset). */
size_t rb_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* The length of the longest prefix of the NUL-terminated s that is at most max bytes and does not
 * end inside a character. NULL gives 0. */
size_t rb_utf8_cut(const char *s, size_t max);

/* For "%.*s" in a format string: RB_CUT(s, 64) prints at most 64 bytes of s, cut on a character
 * boundary (NULL prints as ""). */
#define RB_CUT(s, max) (int)rb_utf8_cut((s), (max)), ((s) ? (s) : "")

/* Backs n off so that s[0..n) does not end inside a character (s holds at least n bytes). */
size_t rb_utf8_boundary(const char *s, size_t n);

#endif
