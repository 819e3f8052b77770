/*
 * buf.h - a growable byte buffer with a cap, and length-carrying strings.
 *
 * An rb_buf grows as needed up to `max` bytes; an append that would pass the cap fails with
 * RB_ETOOBIG and sets the sticky `err`, so a writer can append many pieces and check once.
 * The content is always NUL-terminated (the NUL is not counted in len). Modelled on curl's dynbuf
 * and git's strbuf.
 */
#ifndef RABTA_BUF_H
#define RABTA_BUF_H

#include <stddef.h>

typedef struct rb_str {
    const char *ptr;
    size_t len;
} rb_str;

typedef struct rb_buf {
    char *ptr;  /* NULL until the first append */
    size_t len; /* bytes used, excluding the terminating NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* the cap: len may never exceed it */
    int err;    /* first error of an append, sticky until reset */
} rb_buf;

void rb_buf_init(rb_buf *b, size_t max);
/* Appends n bytes. Returns 0, RB_ETOOBIG past the cap, or RB_ENOMEM. */
int rb_buf_add(rb_buf *b, const void *data, size_t n);
int rb_buf_adds(rb_buf *b, const char *s);
int rb_buf_addc(rb_buf *b, char c);
int rb_buf_printf(rb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empties the buffer and clears err; keeps the allocation. */
void rb_buf_reset(rb_buf *b);
/* The content ("" when empty); valid until the next append or release. */
const char *rb_buf_cstr(const rb_buf *b);
/* Hands the allocation to the caller (free with rb_free) and empties the buffer. Never NULL
 * unless memory is exhausted. */
char *rb_buf_detach(rb_buf *b, size_t *len);
void rb_buf_release(rb_buf *b);
/* Appends the whole file at path. Returns 0, RB_EIO when it cannot be opened or read, or an
 * append's error (RB_ETOOBIG past the cap, RB_ENOMEM), which also stays in err. */
int rb_buf_add_file(rb_buf *b, const char *path);

#endif
