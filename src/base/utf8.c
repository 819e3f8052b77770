/* utf8.c - strict UTF-8: validator, decoder, boundary-safe cuts. */
#include "base/common.h"
#include "base/utf8.h"

size_t rb_utf8_decode(const char *str, size_t len, uint32_t *out)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[0];
    size_t n;
    uint32_t min, cp;
    if (c < 0x80) {
        if (c == 0)
            return 0;
        *out = c;
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        n = 1, min = 0x80, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        n = 2, min = 0x800, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        n = 3, min = 0x10000, cp = c & 0x07;
    } else {
        return 0;
    }
    if (len <= n)
        return 0;
    for (size_t k = 1; k <= n; k++) {
        if ((s[k] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    *out = cp;
    return n + 1;
}

bool rb_utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = rb_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            if (bad_offset)
                *bad_offset = i;
            return false;
        }
        i += n;
    }
    return true;
}

size_t rb_utf8_boundary(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    /* Back over continuation bytes to the lead byte of the last character, then keep that
     * character only if it is complete within n. */
    size_t i = n;
    while (i > 0 && n - i < 4 && (s[i - 1] & 0xc0) == 0x80)
        i--;
    if (i == 0 || (s[i - 1] & 0x80) == 0)
        return n; /* ends in ASCII, or nothing to back over */
    unsigned lead = s[i - 1];
    size_t want = (lead & 0xe0) == 0xc0 ? 2 : (lead & 0xf0) == 0xe0 ? 3 : (lead & 0xf8) == 0xf0 ? 4 : 1;
    size_t have = n - (i - 1);
    return have >= want ? n : i - 1;
}

size_t rb_utf8_cut(const char *s, size_t max)
{
    if (!s)
        return 0;
    size_t n = strnlen(s, max);
    if (n < max || s[n] == '\0')
        return n;
    return rb_utf8_boundary(s, n);
}
