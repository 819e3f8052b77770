/*
 * field.h - the field rules: what text a user or a document may put in each kind of field.
 *
 * Every text that rabta stores goes through rb_field_check with the kind of its field, in one
 * place, whether it comes from an API body, a query parameter, the CLI or an imported document
 * (OSCAL, later CSAF and STIX). A rule is a byte cap and a character set:
 *
 *   kind         max bytes  may hold
 *   FIELD_ID           64   no spaces, no control characters (control ids, OSCAL ids, codes)
 *   FIELD_SHORT        64   one line (short names, versions)
 *   FIELD_NAME        200   one line (people, orgs, tokens, files, labels)
 *   FIELD_EMAIL       254   no spaces, no control characters (e-mail addresses)
 *   FIELD_TITLE       500   one line (titles of catalogs, groups, controls, profiles, campaigns)
 *   FIELD_NOTE       4000   prose: also tab, newline and carriage return (evidence, comments)
 *   FIELD_PROSE     65536   prose (descriptions, OSCAL parts and remarks)
 *   FIELD_URL        2000   no spaces, no control characters (webhook addresses)
 *
 * Every kind requires valid UTF-8 (no NUL) and refuses the C0 controls (U+0000-U+001F), DEL
 * (U+007F) and the C1 controls (U+0080-U+009F); prose kinds keep tab, newline and carriage
 * return. The cap is in bytes of UTF-8. A refusal is RB_EINVAL naming the field (or JSON path)
 * given by the caller, with a message saying what to fix. Minimum lengths (a name of at least 2
 * characters, say) stay with the caller; an empty string passes the rule.
 *
 * Ids that a document defines obey the same cap as the routes that later take them (a control id
 * imported from OSCAL can always be answered), because both use FIELD_ID.
 */
#ifndef RABTA_FIELD_H
#define RABTA_FIELD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

enum rb_field_kind {
    FIELD_ID = 0,
    FIELD_SHORT,
    FIELD_NAME,
    FIELD_EMAIL,
    FIELD_TITLE,
    FIELD_NOTE,
    FIELD_PROSE,
    FIELD_URL,
    FIELD__COUNT
};

struct rb_field_rule {
    enum rb_field_kind kind;
    const char *what; /* "an id", "a title", ... for messages */
    size_t max;       /* bytes */
    bool prose;       /* tab, newline and carriage return allowed */
    bool no_space;    /* spaces refused (ids) */
};

/* The rule of a kind; never NULL for a valid kind. */
const struct rb_field_rule *rb_field_rule(enum rb_field_kind kind);
/* The byte cap of a kind. */
size_t rb_field_max(enum rb_field_kind kind);

/* Checks s[0..len) against the rule of kind. Returns 0, or RB_EINVAL with ei->field = field and a
 * message naming the problem (too long, invalid UTF-8, which control character at which byte). */
int rb_field_check(enum rb_field_kind kind, const char *field, const char *s, size_t len,
                   rb_errinfo *ei);
/* The same for a NUL-terminated string; NULL passes. */
int rb_field_checks(enum rb_field_kind kind, const char *field, const char *s, rb_errinfo *ei);

#endif
