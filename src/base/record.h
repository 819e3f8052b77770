/*
 * record.h - a struct described as data: for each of its members, where it sits, what it holds
 * and the name the API gives it.
 *
 * One table of members serves both ends of a read. db_fill (db/db.h) copies a row's columns into
 * the struct, column i into the i-th member that has a column; rjw_record (json/json.h) writes the
 * struct as one JSON object, the members that have a key, in table order. So a module lists its
 * members in the order its answers show them, its SELECT lists the columns in the same order, and
 * the members the API does not show (key NULL) come last:
 *
 *     static const struct rb_member campaign_members[] = {
 *         RB_MEMBER(rb_campaign, id, "id", rb_text),
 *         RB_MEMBER(rb_campaign, assessments, "assessments", rb_int),
 *         RB_MEMBER(rb_campaign, seq, NULL, rb_int64), (read, never written)
 *     };
 *     const struct rb_record campaign_record = RB_RECORD(rb_campaign, campaign_members);
 *
 * A member's type (struct rb_mtype) says how its column is read and its value written. The types
 * below cover the plain members; a module defines its own for a member shown as a name (an enum,
 * RB_MT_ENUM) or computed from others (a `write` function: "campaign_status", a nested object).
 * Each member records its C size, and db_fill asserts that it is the type's, so a table that names
 * the wrong type for a member fails its first read in any test.
 */
#ifndef RABTA_RECORD_H
#define RABTA_RECORD_H

#include <stdbool.h>
#include <stddef.h>

enum rb_mt_kind {
    RB_MT_TEXT,   /* char *: a copy in the arena, NULL for SQL NULL; a string or null */
    RB_MT_INT,    /* int: the column, 0 for NULL; a number */
    RB_MT_INT64,  /* int64_t: likewise */
    RB_MT_BOOL,   /* bool: the column is not 0; true or false */
    RB_MT_DOUBLE, /* double: the column, 0 for NULL; the number as it is */
    RB_MT_SCORE,  /* double: the column, -1 for NULL; rounded to two decimals, null below 0 */
    RB_MT_INDEX,  /* int: the column, -1 for NULL (a position that may be absent); a number */
    RB_MT_ENUM,   /* an enum (int-sized): the index of the column's text in names, else fallback;
                     written as its name */
};

struct rj_writer;

/* How a member is read from a column and written to JSON. */
struct rb_mtype {
    enum rb_mt_kind kind;
    size_t size;              /* of the C member */
    const char *const *names; /* RB_MT_ENUM: the names, NULL-terminated */
    int fallback;             /* RB_MT_ENUM: the value of a text that is none of them */
    /* When set, writes the member's value itself (after its key), from the whole struct. */
    void (*write)(struct rj_writer *w, const void *row);
    bool no_column; /* no column fills it: code sets it after the read */
};

/* The plain types. */
extern const struct rb_mtype rb_text, rb_int, rb_int64, rb_bool, rb_double, rb_score, rb_index;
/* A text member that no column fills (set by code after the read). */
extern const struct rb_mtype rb_text_set_later;

struct rb_member {
    const char *key; /* the JSON member; NULL: read, never written */
    size_t offset;   /* of the member in the struct */
    size_t size;     /* of the member: must be type->size */
    const struct rb_mtype *type;
};

/* One member of struct T: RB_MEMBER(rb_org, name, "name", rb_text). */
#define RB_MEMBER(T, m, key, type) {key, offsetof(T, m), sizeof(((T *)0)->m), &(type)}

/* A struct: its members and its size. */
struct rb_record {
    const struct rb_member *members;
    size_t n;
    size_t size;
};

#define RB_RECORD(T, members) {members, sizeof(members) / sizeof((members)[0]), sizeof(T)}

#endif
