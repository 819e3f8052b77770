/*
 * record.h - a struct described as data: for each of its members, where it sits, what it holds
 * and the name the API gives it.
 *
 * One table of members serves both ends of a read. db_fill (db/db.h) copies a row's columns into
 * the struct, column i into the i-th member that has a column; rjw_record (json/json.h) writes the
 * struct as one JSON object, the members the API shows, in table order. So a module lists its
 * members in the order its answers show them, its SELECT lists the columns in the same order, and
 * the members the API does not show come last:
 *
 *     static const struct rb_member campaign_members[] = {
 *         RB_MEMBERS(rb_campaign, id, title),                     shown as "id", "title"
 *         RB_MEMBER_AS(rb_campaign, filter_kind, "kind", rb_text), shown as "kind"
 *         RB_HIDDEN_MEMBERS(rb_campaign, seq),                    read, never shown
 *     };
 *     static const struct rb_record campaign_record = RB_RECORD(rb_campaign, campaign_members);
 *
 * A member's type (struct rb_mtype) says how its column is read and its value written: the plain
 * types are below (RB_MEMBERS picks them from the members' C types), and an enum stored by name
 * has its type next to its names (rb_org_kind_mtype, core/actor.h). A member the API shows
 * computed from others ("campaign_status" from campaign_closed, a nested object) is RB_DERIVED:
 * read as its type, written by a function of the whole struct. Each member records its C size,
 * and db_fill asserts that it is the type's, so a table that names the wrong type for a member
 * fails its first read in any test.
 *
 * A struct with fixed buffers (char name[64]) that core reads a row into names them with
 * RB_HIDDEN_CHARS: no arena, and a text too long for its buffer is cut.
 *
 * A record may also cover part of a table ({&members[k], n, sizeof(T)}): what a brief answer
 * shows (the first members), or a nested object (members of the same struct written apart).
 */
#ifndef RABTA_RECORD_H
#define RABTA_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
    RB_MT_CHARS,  /* char[N], a fixed buffer: the text cut to fit on a character boundary
                     (rb_strlcpy), "" for NULL; a string */
};

/* How a member is read from a column and written to JSON. */
struct rb_mtype {
    enum rb_mt_kind kind;
    size_t size;              /* of the C member; 0 for RB_MT_CHARS, an array of any size */
    const char *const *names; /* RB_MT_ENUM: the names, NULL-terminated */
    int fallback;             /* RB_MT_ENUM: the value of a text that is none of them */
    bool no_column;           /* no column fills it: code sets it after the read */
};

/* The plain types, and the same set by code after the read (no column). */
extern const struct rb_mtype rb_text, rb_int, rb_int64, rb_bool, rb_double, rb_score, rb_index;
extern const struct rb_mtype rb_text_later, rb_int_later, rb_bool_later, rb_score_later;
extern const struct rb_mtype rb_chars;

struct rj_writer;

struct rb_member {
    const char *key; /* the JSON member; NULL: read, never written */
    size_t offset;   /* of the member in the struct */
    size_t size;     /* of the member: must be type->size */
    const struct rb_mtype *type;
    /* RB_DERIVED: writes the value (after its key) from the whole struct, instead of the type. */
    void (*write)(struct rj_writer *w, const void *row);
};

#define RB__MEMBER(T, m, key, type, fn) {key, offsetof(T, m), sizeof(((T *)0)->m), &(type), fn}
/* The plain type of member m, from its C type (an enum, an array or a type with no plain member
 * type does not compile: name its type). */
#define RB__TYPE_OF(T, m)                                                                          \
    _Generic(((T *)0)->m, char *: rb_text, const char *: rb_text, int: rb_int, int64_t: rb_int64,  \
             bool: rb_bool, double: rb_double)
#define RB__PLAIN(T, m) {#m, offsetof(T, m), sizeof(((T *)0)->m), &RB__TYPE_OF(T, m), NULL}
#define RB__PLAIN_HIDDEN(T, m) {NULL, offsetof(T, m), sizeof(((T *)0)->m), &RB__TYPE_OF(T, m), NULL}
#define RB__CHARS_HIDDEN(T, m) {NULL, offsetof(T, m), sizeof(((T *)0)->m), &rb_chars, NULL}

/* Members of struct T of plain types (text, int, int64_t, bool, double), each shown by its own
 * name: RB_MEMBERS(rb_org, id, parent_id, name). At most 16 in one. */
#define RB_MEMBERS(T, ...) RB__EACH(RB__PLAIN, T, __VA_ARGS__)
/* Member m of struct T of another type, shown by its own name: RB_MEMBER(rb_org, kind,
 * rb_org_kind_mtype). */
#define RB_MEMBER(T, m, type) RB__MEMBER(T, m, #m, type, NULL)
/* Member m, shown under another name. */
#define RB_MEMBER_AS(T, m, key, type) RB__MEMBER(T, m, key, type, NULL)
/* Member m, read (when its type has a column) but never shown; and plain members so. */
#define RB_HIDDEN(T, m, type) RB__MEMBER(T, m, NULL, type, NULL)
#define RB_HIDDEN_MEMBERS(T, ...) RB__EACH(RB__PLAIN_HIDDEN, T, __VA_ARGS__)
/* Char array members of struct T (fixed buffers), read but never shown: RB_HIDDEN_CHARS(struct
 * row, owner, title). */
#define RB_HIDDEN_CHARS(T, ...) RB__EACH(RB__CHARS_HIDDEN, T, __VA_ARGS__)
/* Member m, read as type and shown as key by write(w, the struct). */
#define RB_DERIVED(T, m, key, type, write) RB__MEMBER(T, m, key, type, write)

/* RB__EACH(F, T, a, b, ...) is F(T, a), F(T, b), ... */
#define RB__EACH(F, T, ...)                                                                        \
    RB__EACH_N(__VA_ARGS__, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)                 \
    (F, T, __VA_ARGS__)
#define RB__EACH_N(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, n, ...)  \
    RB__EACH_##n
#define RB__EACH_1(F, T, m) F(T, m)
#define RB__EACH_2(F, T, m, ...) F(T, m), RB__EACH_1(F, T, __VA_ARGS__)
#define RB__EACH_3(F, T, m, ...) F(T, m), RB__EACH_2(F, T, __VA_ARGS__)
#define RB__EACH_4(F, T, m, ...) F(T, m), RB__EACH_3(F, T, __VA_ARGS__)
#define RB__EACH_5(F, T, m, ...) F(T, m), RB__EACH_4(F, T, __VA_ARGS__)
#define RB__EACH_6(F, T, m, ...) F(T, m), RB__EACH_5(F, T, __VA_ARGS__)
#define RB__EACH_7(F, T, m, ...) F(T, m), RB__EACH_6(F, T, __VA_ARGS__)
#define RB__EACH_8(F, T, m, ...) F(T, m), RB__EACH_7(F, T, __VA_ARGS__)
#define RB__EACH_9(F, T, m, ...) F(T, m), RB__EACH_8(F, T, __VA_ARGS__)
#define RB__EACH_10(F, T, m, ...) F(T, m), RB__EACH_9(F, T, __VA_ARGS__)
#define RB__EACH_11(F, T, m, ...) F(T, m), RB__EACH_10(F, T, __VA_ARGS__)
#define RB__EACH_12(F, T, m, ...) F(T, m), RB__EACH_11(F, T, __VA_ARGS__)
#define RB__EACH_13(F, T, m, ...) F(T, m), RB__EACH_12(F, T, __VA_ARGS__)
#define RB__EACH_14(F, T, m, ...) F(T, m), RB__EACH_13(F, T, __VA_ARGS__)
#define RB__EACH_15(F, T, m, ...) F(T, m), RB__EACH_14(F, T, __VA_ARGS__)
#define RB__EACH_16(F, T, m, ...) F(T, m), RB__EACH_15(F, T, __VA_ARGS__)

/* A struct: its members and its size. */
struct rb_record {
    const struct rb_member *members;
    size_t n;
    size_t size;
};

#define RB_RECORD(T, members) {members, sizeof(members) / sizeof((members)[0]), sizeof(T)}

/* A row of one text column, an id: what db_query_rows or db_rows fill from "SELECT id FROM ...". */
struct rb_id_row {
    char *id;
};
extern const struct rb_record rb_id_row_record;

#endif
