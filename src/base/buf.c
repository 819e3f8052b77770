/* buf.c - capped growable buffer. */
#include "base/common.h"
#include "base/buf.h"
#include "base/mem.h"

void rb_buf_init(rb_buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->err = 0;
}

static int buf_reserve(rb_buf *b, size_t extra)
{
    if (b->err)
        return b->err;
    if (extra > b->max || b->len > b->max - extra)
        return b->err = RB_ETOOBIG;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t ncap = b->cap ? b->cap : 64;
    while (ncap < need)
        ncap *= 2;
    if (ncap > b->max + 1)
        ncap = b->max + 1;
    char *p = rb_realloc(b->ptr, ncap);
    if (!p)
        return b->err = RB_ENOMEM;
    b->ptr = p;
    b->cap = ncap;
    return 0;
}

int rb_buf_add(rb_buf *b, const void *data, size_t n)
{
    int rc = buf_reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->ptr + b->len, data, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return 0;
}

int rb_buf_adds(rb_buf *b, const char *s)
{
    return rb_buf_add(b, s, strlen(s));
}

int rb_buf_addc(rb_buf *b, char c)
{
    return rb_buf_add(b, &c, 1);
}

int rb_buf_printf(rb_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return b->err = RB_EINVAL;
    if ((size_t)n < sizeof(small))
        return rb_buf_add(b, small, (size_t)n);
    int rc = buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void rb_buf_reset(rb_buf *b)
{
    b->len = 0;
    b->err = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

const char *rb_buf_cstr(const rb_buf *b)
{
    return b->ptr ? b->ptr : "";
}

char *rb_buf_detach(rb_buf *b, size_t *len)
{
    char *p = b->ptr;
    if (!p)
        p = rb_strdup("");
    if (len)
        *len = b->ptr ? b->len : 0;
    rb_buf_init(b, b->max);
    return p;
}

void rb_buf_release(rb_buf *b)
{
    rb_free(b->ptr);
    rb_buf_init(b, b->max);
}

int rb_buf_add_file(rb_buf *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return RB_EIO;
    char chunk[65536];
    size_t n;
    int rc = 0;
    while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = rb_buf_add(b, chunk, n);
    if (!rc && ferror(f))
        rc = RB_EIO;
    fclose(f);
    return rc;
}
