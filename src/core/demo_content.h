/*
 * demo_content.h - the demo's content files: what the demo's people write (the institutions, the
 * incidents they report, the risks they keep, the sessions they hold) is data, in content/demo/
 * (one .json file per table), embedded in the binary at build time and read here into the demo
 * builders' tables.
 *
 * A content file is one JSON array of objects, one object per row of a table. A table of members
 * says, for each JSON member, where it goes in the row's struct and what it holds:
 *
 *     static const struct dc_member risk_members[] = {            (illustrative)
 *         DC_MEMBER(struct demo_risk, title, DC_TEXT),
 *         DC_MEMBER(struct demo_risk, likelihood, DC_INT),
 *         DC_MEMBER(struct demo_risk, controls, DC_TEXTS),       a const char *controls[4]
 *         DC_ENUM(struct story, sev, rb_severity_names),          "severe" -> its index
 *         DC_ROWS(struct demo_cert, inst, &inst_table),           a struct demo_inst inst[7]
 *         DC_ROW(struct demo_adv, fix, &fix_table),               one struct, one object
 *     };
 *     static const struct dc_table risk_table = DC_TABLE(struct demo_risk, risk_members);
 *
 * A member absent from an object stays zero (NULL, 0, false, the first name). The arrays of a row
 * (DC_TEXTS, DC_ROWS) are fixed in the struct and end with a zero item, as the builders read
 * them: an array in the file holds at most one item fewer than the struct's. A file that says
 * anything else (a member no row has, one given twice, a wrong type, a name that is none of an
 * enum's, too many items, text a prose field may not hold) is refused, ei naming its JSON path
 * ("[12].inst[3].cii_grade"): the demo fails at once rather than showing other content.
 *
 * Strings and rows live in the arena given; nothing is freed on failure (the arena is released as
 * a whole).
 */
#ifndef RABTA_DEMO_CONTENT_H
#define RABTA_DEMO_CONTENT_H

#include <stddef.h>

#include "base/err.h"
#include "base/mem.h"

enum dc_kind {
    DC_TEXT,   /* const char *: a string */
    DC_INT,    /* int: a whole number */
    DC_DOUBLE, /* double: a number */
    DC_BOOL,   /* bool: true or false */
    DC_ENUM,   /* an enum (int-sized): one of names, the value its index */
    DC_TEXTS,  /* const char *x[N]: an array of at most N - 1 strings */
    DC_ROWS,   /* struct t x[N]: an array of at most N - 1 objects, each read by rows */
    DC_ROW,    /* struct t x: one object, read by rows */
};

struct dc_table;

struct dc_member {
    const char *key; /* the JSON member: the C member's name */
    enum dc_kind kind;
    size_t offset;               /* of the member in the struct */
    size_t size;                 /* of the member (the whole array for DC_TEXTS and DC_ROWS) */
    const char *const *names;    /* DC_ENUM: the names, NULL-terminated */
    const struct dc_table *rows; /* DC_ROWS, DC_ROW: the table of one item */
};

struct dc_table {
    const struct dc_member *members;
    size_t n;
    size_t size; /* of one row */
};

#define DC__MEMBER(T, m, key, kind, names, rows)                                                   \
    {                                                                                              \
        key, kind, offsetof(T, m), sizeof(((T *)0)->m), names, rows                                \
    }
#define DC_MEMBER(T, m, kind) DC__MEMBER(T, m, #m, kind, NULL, NULL)
/* A member whose JSON name is not its C name (virtual_ is "virtual"). */
#define DC_MEMBER_AS(T, m, key, kind) DC__MEMBER(T, m, key, kind, NULL, NULL)
#define DC_ENUM(T, m, names) DC__MEMBER(T, m, #m, DC_ENUM, names, NULL)
#define DC_ROWS(T, m, table) DC__MEMBER(T, m, #m, DC_ROWS, NULL, table)
#define DC_ROW(T, m, table) DC__MEMBER(T, m, #m, DC_ROW, NULL, table)
#define DC_TABLE(T, members)                                                                       \
    {                                                                                              \
        members, sizeof(members) / sizeof((members)[0]), sizeof(T)                                 \
    }

/* Reads the content file text[0..len), named file in messages, as rows of t: *rows = the n rows
 * (an array of t->size bytes each, in the arena), *n = how many; rows is a pointer to a pointer
 * of the row's type. Returns 0, or RB_EINVAL for the first fault: ei->field its JSON path, ei->msg
 * naming the file and the path ("content/demo/risks.json, [3].title: must be a string");
 * RB_ENOMEM, RB_ETOOBIG when the arena's cap is reached. *rows and *n are set only on success. */
int dc_read(const unsigned char *text, size_t len, const char *file, const struct dc_table *t,
            rb_arena *a, void *rows, int *n, rb_errinfo *ei);

/* The content files, embedded by meson.build (content/demo/NAME.json is rb_demo_NAME, its length
 * rb_demo_NAME_len); DC_FILE(NAME) is the first three arguments of dc_read for it. */
#define DC_DECLARE(name)                                                                           \
    extern const unsigned char rb_demo_##name[];                                                   \
    extern const size_t rb_demo_##name##_len
DC_DECLARE(orgs);
DC_DECLARE(incidents);
DC_DECLARE(advisories);
DC_DECLARE(risks);
DC_DECLARE(trainings);
#define DC_FILE(name) rb_demo_##name, rb_demo_##name##_len, "content/demo/" #name ".json"

#endif
