/*
 * field.c - the field rules (see field.h). Pure: no allocation, no database.
 *
 * Must never accept a byte sequence that is not UTF-8, or a control character outside prose.
 */
#include "base/common.h"
#include "base/utf8.h"
#include "json/field.h"

static const struct rb_field_rule rules[FIELD__COUNT] = {
    {FIELD_ID, "an id", 64, false, true},
    {FIELD_SHORT, "a short name", 64, false, false},
    {FIELD_NAME, "a name", 200, false, false},
    {FIELD_EMAIL, "an e-mail address", 254, false, true},
    {FIELD_TITLE, "a title", 500, false, false},
    {FIELD_NOTE, "a note", 4000, true, false},
    {FIELD_PROSE, "a text", 65536, true, false},
    {FIELD_URL, "a URL", 2000, false, true},
};

const struct rb_field_rule *rb_field_rule(enum rb_field_kind kind)
{
    if ((int)kind < 0 || kind >= FIELD__COUNT)
        return &rules[FIELD_ID];
    return &rules[kind];
}

size_t rb_field_max(enum rb_field_kind kind)
{
    return rb_field_rule(kind)->max;
}

int rb_field_check(enum rb_field_kind kind, const char *field, const char *s, size_t len,
                   rb_errinfo *ei)
{
    const struct rb_field_rule *r = rb_field_rule(kind);
    const char *f = field ? field : "";
    if (len > r->max)
        return rb_err(ei, RB_EINVAL, f, "\"%s\" is %zu bytes long; %s may be at most %zu bytes",
                      f, len, r->what, r->max);
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = rb_utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return rb_err(ei, RB_EINVAL, f,
                          "\"%s\" is not valid UTF-8 (first bad byte at offset %zu); send text "
                          "encoded as UTF-8",
                          f, i);
        bool control = cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
        if (control && !(r->prose && (cp == '\t' || cp == '\n' || cp == '\r')))
            return rb_err(ei, RB_EINVAL, f,
                          "\"%s\" must not contain control characters (U+%04X at byte %zu)%s", f,
                          (unsigned)cp, i,
                          r->prose ? "" : "; it is one line of text");
        if (r->no_space && (cp == ' ' || cp == 0xa0))
            return rb_err(ei, RB_EINVAL, f, "\"%s\" must not contain spaces (%s)", f, r->what);
        i += n;
    }
    return 0;
}

int rb_field_checks(enum rb_field_kind kind, const char *field, const char *s, rb_errinfo *ei)
{
    return s ? rb_field_check(kind, field, s, strlen(s), ei) : 0;
}
