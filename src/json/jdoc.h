/*
 * jdoc.h - reading a JSON document with paths: getters that name the full JSON path of what they
 * refuse, for the codecs of imported documents (OSCAL today; CSAF, STIX and MISP next).
 *
 * A codec parses a document once (rjd_parse), then walks it depth-first with an rj_doc, the
 * context of one read. It holds:
 *   - the arena every kept string and array is copied into (the cJSON tree can be freed as soon
 *     as the walk ends),
 *   - the rb_errinfo that receives the first refusal,
 *   - the JSON path of the object being read ("catalog.groups[3].controls[2]"), built in place
 *     while descending: rjd_push / rjd_push_index return a mark, rjd_pop goes back to it,
 *   - the codec's field rules: a table saying which json/field.h kind each member name has
 *     ({"id", FIELD_ID}, {"title", FIELD_TITLE}, ...), and the kind of names not in it. The table
 *     stays the codec's; a document format gives a member the same meaning wherever it appears,
 *     so one row per name.
 *
 * Errors. Every function returns 0 or a negative RB_E* code. On a refusal ei is filled once:
 * ei->code the code, ei->field the full path of the member at fault ("catalog.groups[3].id";
 * a longer path is cut, on a character boundary, to fit ei->field), ei->msg a sentence
 * naming the member ("missing required \"id\"", "\"id\" must be a string"). RB_EINVAL for what the
 * document got wrong; RB_ETOOBIG when the arena's cap is reached (or the document is larger than
 * the caller allows); RB_ENOMEM when memory runs out.
 *
 * Ownership. Strings and arrays handed out live in the arena given to rjd_init; nothing is freed
 * on failure (the arena is released as a whole). Outputs are written only on success: an absent
 * optional member leaves *out as it was, unless the function says it clears it. The rj_doc itself
 * owns nothing and needs no release.
 *
 * Pure: no files, no database, no HTTP; it depends on base/ and json/ only. Depth: rjd_check_tree
 * and codecs that recurse rely on rjd_parse's nesting cap.
 */
#ifndef RABTA_JDOC_H
#define RABTA_JDOC_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "base/err.h"
#include "base/mem.h"
#include "json/field.h"

/* The path buffer; a longer path is cut on a character boundary (it only ever names the place
 * of an error). */
#define RJD_PATH_MAX 192

/* One row of a codec's field rules: member `key` obeys the rule of `kind`. A table ends with a
 * row whose key is NULL. */
struct rjd_rule {
    const char *key;
    enum rb_field_kind kind;
};

typedef struct rj_doc {
    rb_arena *a;
    rb_errinfo *ei;
    const struct rjd_rule *rules; /* may be NULL: every member is `other` */
    enum rb_field_kind other;     /* the kind of members the table does not list */
    char path[RJD_PATH_MAX];      /* "" at the document root */
    size_t len;                   /* strlen(path) */
} rj_doc;

/* Starts a read: empty path, strings into a, refusals into ei (which is cleared). rules is the
 * codec's table (kept by pointer: it must outlive d), other the kind of every other member. */
void rjd_init(rj_doc *d, rb_arena *a, const struct rjd_rule *rules, enum rb_field_kind other,
              rb_errinfo *ei);

/* ---- the path ---- */

/* Appends ".key" ("key" at the root) / "[i]" to the path; returns the mark to give rjd_pop. */
size_t rjd_push(rj_doc *d, const char *key);
size_t rjd_push_index(rj_doc *d, int i);
/* Goes back to a mark returned by a push. */
void rjd_pop(rj_doc *d, size_t mark);

/* ---- errors ---- */

/* Fills ei with code at the current path, plus ".key" when key is not NULL, and a message made
 * from fmt; returns code, so a getter can `return rjd_err(...)`. */
int rjd_err(rj_doc *d, int code, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The refusal for an arena allocation of n bytes that failed: RB_ETOOBIG ("the document needs
 * more than the N bytes allowed") when the arena's cap explains it, else RB_ENOMEM. */
int rjd_alloc_err(rj_doc *d, size_t n);

/* ---- the arena ---- */

/* *out = count zeroed items of size bytes (NULL when count is 0). RB_ETOOBIG when count * size
 * overflows or passes the cap, RB_ENOMEM; *out is NULL on failure. out is a pointer to a pointer
 * of any type. */
int rjd_alloc(rj_doc *d, size_t count, size_t size, void *out);
/* *out = an arena copy of s (NUL-terminated), or of s[0..n). Errors as rjd_alloc. */
int rjd_strdup(rj_doc *d, const char *s, const char **out);
int rjd_strndup(rj_doc *d, const char *s, size_t n, const char **out);
/* *out = node printed as compact JSON into the arena. RB_ENOMEM, RB_ETOOBIG. */
int rjd_copy(rj_doc *d, const cJSON *node, const char **out);

/* ---- parsing ---- */

/* Parses text[0..len) with rj_parse (UTF-8 and nesting checked before cJSON sees it) into *root,
 * which the caller frees with cJSON_Delete, on success and on failures after parsing alike.
 * RB_EINVAL for no text ("no document") or text that is not JSON (ei->field "", ei->msg from
 * rj_parse); RB_ETOOBIG when len passes max_bytes (before parsing). */
int rjd_parse(rj_doc *d, const char *text, size_t len, size_t max_bytes, int max_depth,
              cJSON **root);

/* ---- field rules ---- */

/* The kind of member key: its row in the table, else `other`. */
enum rb_field_kind rjd_kind(const rj_doc *d, const char *key);
/* Applies the rule of member key to v, the string at the current path (push the member first).
 * RB_EINVAL with the rule's message ("\"id\" must not contain spaces (an id)"). */
int rjd_check(rj_doc *d, const char *key, const char *v);

/* ---- getters: one member of an object ---- */

/* How a string getter reads its member: flags, or-ed. */
enum rjd_how {
    RJD_OPTIONAL = 0, /* absent: 0, *out untouched */
    RJD_REQUIRED = 1, /* absent: RB_EINVAL "missing required \"key\"" */
    RJD_TOKEN = 2,    /* also a non-empty token: no whitespace or control characters, no braces
                       * and no commas, so it can be quoted in a reference or a template */
};

/* String member key of obj: a string obeying the member's field rule (rjd_kind), and a token with
 * RJD_TOKEN. *out = its arena copy; out may be NULL to only check it. JSON null is a wrong type,
 * not an absence. RB_EINVAL naming path.key, or the errors of rjd_alloc. */
int rjd_str(rj_doc *d, const cJSON *obj, const char *key, unsigned how, const char **out);
/* Array member key: *out = the array, NULL when absent (cleared first). RB_EINVAL when it is not
 * an array. */
int rjd_arr(rj_doc *d, const cJSON *obj, const char *key, const cJSON **out);
/* Object member key: *out = the object, NULL when absent (cleared first). RB_EINVAL when it is
 * absent and required ("missing required"), or not an object. */
int rjd_obj(rj_doc *d, const cJSON *obj, const char *key, bool required, const cJSON **out);
/* Array member key of strings, each obeying the member's rule (and a token with RJD_TOKEN):
 * *out = n arena copies (both cleared first; NULL and 0 when absent, unless RJD_REQUIRED).
 * Refusals name the item: "path.key[i]". */
int rjd_strs(rj_doc *d, const cJSON *obj, const char *key, unsigned how, const char ***out, int *n);
/* Refuses a second occurrence of any of keys (NULL-terminated) in obj, which cJSON would hide
 * (it reads the first): RB_EINVAL "\"key\" appears twice" naming path.key. */
int rjd_unique(rj_doc *d, const cJSON *obj, const char *const *keys);

/* ---- iteration ---- */

/* Called on each item of an array, with the path naming the item ("path.key[i]"). Returns 0 to
 * go on, or an error code (ending the walk; the callback fills ei, say with rjd_err). */
typedef int (*rjd_item_fn)(rj_doc *d, cJSON *item, int i, void *arg);

/* Calls fn on each item of the array member key of obj, in order; every item must be an object
 * ("each item of \"key\" must be an object", naming the item). An absent member is no items.
 * Returns 0, RB_EINVAL (not an array, an item not an object), or what fn returned. */
int rjd_each(rj_doc *d, const cJSON *obj, const char *key, rjd_item_fn fn, void *arg);
/* The same for an array already taken out of its object (cJSON_DetachItem...), named key: arr
 * NULL is no items. */
int rjd_each_in(rj_doc *d, cJSON *arr, const char *key, rjd_item_fn fn, void *arg);

/* ---- the whole tree ---- */

/* Says whether string member key, inside an object held by member parent (NULL for an array item
 * or the node given to rjd_check_tree), is exempt from the string rule (an embedded file). */
typedef bool (*rjd_exempt_fn)(const char *parent, const char *key);

/* Checks every member name below node against the rule of `names` and every string value against
 * the rule of `strings` (except those exempt says are exempt; exempt may be NULL), so no text a
 * field could not hold is stored or exported again, whether the codec reads the member or not.
 * RB_EINVAL naming the path of the first string refused. Recursion is bounded by the nesting cap
 * of rjd_parse. */
int rjd_check_tree(rj_doc *d, const cJSON *node, enum rb_field_kind names,
                   enum rb_field_kind strings, rjd_exempt_fn exempt);

#endif
