/* err.c - error codes and their descriptions. */
#include "base/common.h"
#include "base/utf8.h"

static const struct {
    int code;
    const char *text;
} err_names[] = {
    {RB_OK, "success"},
    {RB_ENOMEM, "out of memory"},
    {RB_EINVAL, "invalid input"},
    {RB_ENOTFOUND, "not found"},
    {RB_ECONFLICT, "conflict with existing state"},
    {RB_EPERM, "not permitted"},
    {RB_EAUTH, "authentication required"},
    {RB_ETOOBIG, "size limit exceeded"},
    {RB_EDB, "database error"},
    {RB_EIO, "input/output error"},
    {RB_ERATE, "too many attempts"},
    {RB_ESCHEMA, "unsupported database schema"},
    {RB_EINTERNAL, "internal error"},
};

const char *rabta_strerror(int code)
{
    for (size_t i = 0; i < RB_ARRAY_LEN(err_names); i++)
        if (err_names[i].code == code)
            return err_names[i].text;
    return "unknown error";
}

void rb_errinfo_clear(rb_errinfo *ei)
{
    if (!ei)
        return;
    ei->code = 0;
    ei->field[0] = '\0';
    ei->msg[0] = '\0';
    ei->retry_after = 0;
}

int rb_verr(rb_errinfo *ei, int code, const char *field, const char *fmt, va_list ap)
{
    if (!ei)
        return code;
    ei->code = code;
    rb_strlcpy(ei->field, field ? field : "", sizeof(ei->field));
    if (fmt)
        rb_vfmt(ei->msg, sizeof(ei->msg), fmt, ap);
    else
        rb_strlcpy(ei->msg, rabta_strerror(code), sizeof(ei->msg));
    return code;
}

int rb_err(rb_errinfo *ei, int code, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = rb_verr(ei, code, field, fmt, ap);
    va_end(ap);
    return rc;
}

int rb_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    if (rb_empty(s))
        return RB_EINVAL;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return RB_EINVAL;
    *out = (int64_t)v;
    return 0;
}

int rb_name_index(const char *const *names, const char *s)
{
    for (int i = 0; s && names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

int rb_strlcpy(char *dst, const char *src, size_t size)
{
    if (size == 0)
        return RB_ETOOBIG;
    size_t n = strlen(src);
    if (n >= size) {
        /* Cut on a character boundary, never inside a UTF-8 sequence. */
        size_t keep = rb_utf8_boundary(src, size - 1);
        memcpy(dst, src, keep);
        dst[keep] = '\0';
        return RB_ETOOBIG;
    }
    memcpy(dst, src, n + 1);
    return 0;
}

int rb_vfmt(char *dst, size_t size, const char *fmt, va_list ap)
{
    if (size == 0)
        return RB_ETOOBIG;
    int n = vsnprintf(dst, size, fmt, ap);
    if (n < 0) {
        dst[0] = '\0';
        return RB_EINVAL;
    }
    if ((size_t)n < size)
        return 0;
    dst[rb_utf8_boundary(dst, size - 1)] = '\0';
    return RB_ETOOBIG;
}

int rb_fmt(char *dst, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = rb_vfmt(dst, size, fmt, ap);
    va_end(ap);
    return rc;
}
