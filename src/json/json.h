/*
 * json.h - typed access to parsed JSON (cJSON underneath) and a JSON writer.
 *
 * Parsing checks, before cJSON sees the bytes, that the text is valid UTF-8 and nests no deeper
 * than a cap, so hostile input can neither crash the parser nor smuggle bad text into storage.
 * Getters fail with the name of the offending member and a sentence saying what to fix, in an
 * rb_errinfo, which the API returns as {"error": {"field": ...}}. The writer builds JSON into a
 * capped rb_buf: output is never built with printf.
 */
#ifndef RABTA_JSON_H
#define RABTA_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/record.h"
#include "json/field.h"

#define RJ_DEFAULT_MAX_DEPTH 32

/* Errors of rj_parse carry these codes in ei->field ("" for a field) and these ei->code values:
 * RB_EINVAL with msg. The API maps the kind from rj_parse's return of its own: */
enum rj_parse_fail { RJ_OK = 0, RJ_BAD_UTF8 = 1, RJ_TOO_DEEP = 2, RJ_MALFORMED = 3 };

/* Parses text[0..len). On success *out owns the tree (free with cJSON_Delete) and RJ_OK is
 * returned; otherwise one of rj_parse_fail, with ei->msg saying where. */
int rj_parse(const char *text, size_t len, int max_depth, cJSON **out, rb_errinfo *ei);

/* Installs rb_malloc/rb_free as cJSON's allocator (call once at start). */
void rj_init(void);

/* Refuses members of obj not in `allowed` (a NULL-terminated list): RB_ENOTFOUND naming the first
 * unknown member; RB_EINVAL for a member given twice or a non-object (field ""). */
int rj_only(const cJSON *obj, const char *const *allowed, rb_errinfo *ei);

/* Getters. `required` false means an absent (or JSON null) member leaves *out untouched and
 * returns 0. Present members of the wrong type, or out of bounds, give RB_EINVAL naming key. */
int rj_str(const cJSON *obj, const char *key, bool required, size_t max_len, const char **out,
           rb_errinfo *ei);
/* A string member that must obey the field rule of `kind` (json/field.h): the rule's byte cap,
 * valid UTF-8, no control characters outside prose. Refusals name key. */
int rj_text(const cJSON *obj, const char *key, bool required, enum rb_field_kind kind,
            const char **out, rb_errinfo *ei);
int rj_int(const cJSON *obj, const char *key, bool required, int64_t min, int64_t max, int64_t *out,
           rb_errinfo *ei);
int rj_bool(const cJSON *obj, const char *key, bool required, bool *out, rb_errinfo *ei);
/* A string that must be one of `values` (NULL-terminated); *out is its index. */
int rj_enum(const cJSON *obj, const char *key, bool required, const char *const *values, int *out,
            rb_errinfo *ei);
/* Reads the array member key of obj as a list of min..max objects, each holding only members of
 * `fields` (NULL-terminated), and calls fn(item, i, ctx, ei) on each in order. Every refusal
 * names its place: "key" for the array itself, "key[i]" or "key[i].member" inside it (fn's
 * ei->field is the member; it is prefixed here). Returns 0, RB_EINVAL, RB_ENOTFOUND (an unknown
 * member of an item, named), or what fn returns. */
typedef int (*rj_item_fn)(const cJSON *item, int i, void *ctx, rb_errinfo *ei);
int rj_items(const cJSON *obj, const char *key, int min, int max, const char *const *fields,
             rj_item_fn fn, void *ctx, rb_errinfo *ei);

/* An optional array member: absent or JSON null sets *n to -1 and returns 0; else *arr is the
 * array and *n its size. Refused (RB_EINVAL naming key) when it is not an array ("must be a
 * list") or holds more than max items. The items are the caller's to read. */
int rj_list(const cJSON *obj, const char *key, int max, const cJSON **arr, int *n, rb_errinfo *ei);
/* The items of arr, an array already read (rj_list) from member key: each as rj_items reads it,
 * refusals named as there. */
int rj_items_of(const cJSON *arr, const char *key, const char *const *fields, rj_item_fn fn,
                void *ctx, rb_errinfo *ei);

/* True when key is present and not JSON null. */
bool rj_has(const cJSON *obj, const char *key);

/* The writer. Nesting is tracked to place commas; depth is capped at RJW_MAX_DEPTH, which holds
 * every document the parsers here accept (OSCAL nests up to 64). */
#define RJW_MAX_DEPTH 64
typedef struct rj_writer {
    rb_buf *out;
    int depth;
    bool first[RJW_MAX_DEPTH + 1];
    bool after_key;
} rj_writer;

void rjw_init(rj_writer *w, rb_buf *out);
void rjw_obj(rj_writer *w);     /* { */
void rjw_obj_end(rj_writer *w); /* } */
void rjw_arr(rj_writer *w);     /* [ */
void rjw_arr_end(rj_writer *w); /* ] */
void rjw_key(rj_writer *w, const char *key);
void rjw_str(rj_writer *w, const char *s); /* NULL writes null */
void rjw_strn(rj_writer *w, const char *s, size_t n);
void rjw_int(rj_writer *w, int64_t v);
void rjw_double(rj_writer *w, double v);
void rjw_bool(rj_writer *w, bool v);
void rjw_null(rj_writer *w);
/* Writes a cJSON tree as one value by the writer's rules (strings by rjw_str, every number by
 * rjw_double: shortest round-trip form, -0 as 0, non-finite as null); what cJSON_Print* would
 * write otherwise. A node of no JSON type (cJSON_Raw, invalid) is written as null. */
void rjw_cjson(rj_writer *w, const cJSON *v);
/* Copies an already-valid JSON text verbatim as one value. */
void rjw_raw(rj_writer *w, const char *json, size_t n);
/* Copies already-valid members ("a":1,"b":[2]) verbatim into the object open in w, as
 * rjw_members wrote them elsewhere: with a comma before them unless they come first. n == 0
 * writes nothing. */
void rjw_raw_members(rj_writer *w, const char *json, size_t n);
/* Shorthands for key + value. */
void rjw_kstr(rj_writer *w, const char *key, const char *s);
void rjw_kint(rj_writer *w, const char *key, int64_t v);
void rjw_kbool(rj_writer *w, const char *key, bool v);
/* key + { and key + [: a member whose value is an object or array written next. */
void rjw_kobj(rj_writer *w, const char *key);
void rjw_karr(rj_writer *w, const char *key);
/* Writes the members of row that have a key, as rec describes them (base/record.h), in the order
 * of its table, into the object open in w. */
void rjw_members(rj_writer *w, const void *row, const struct rb_record *rec);
/* Writes row as one JSON object: {, its members (rjw_members), }. */
void rjw_record(rj_writer *w, const void *row, const struct rb_record *rec);
/* An array of the n structs at rows (rec->size apart), each as rjw_record writes it. */
void rjw_records(rj_writer *w, const void *rows, int n, const struct rb_record *rec);
/* Shorthands: key + rjw_record; key + rjw_records. */
void rjw_krecord(rj_writer *w, const char *key, const void *row, const struct rb_record *rec);
void rjw_krecords(rj_writer *w, const char *key, const void *rows, int n,
                  const struct rb_record *rec);
/* 0, or the first error met (RB_ETOOBIG when the buffer cap was hit, RB_EINTERNAL for unbalanced
 * nesting). */
int rjw_finish(const rj_writer *w);

#endif
