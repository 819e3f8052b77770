/*
 * csaf_int.h - inside the CSAF validator (see csaf.h): the context of one validation and the
 * helpers its three parts share (and, for its typed reading, csaf_products.c).
 *
 *   csaf.c         the entry points, the report, the path, a set of strings, the walkers of the
 *                  product tree and of product references, versions and times
 *   csaf_schema.c  the rules of csaf_json_schema.json and of the FIRST CVSS schemas, as tables
 *   csaf_tests.c   the mandatory (6.1) and optional (6.2) tests, one function per test, in one
 *                  table
 *   csaf_data.c    the tables the tests look values up in: CWE names, language and region codes
 *
 * Every test reads the document defensively: the schema pass reports wrong types, so a test
 * skips what is not of the type it expects instead of reporting it again.
 */
#ifndef RABTA_CSAF_INT_H
#define RABTA_CSAF_INT_H

#include <stdint.h>

#include "formats/csaf.h"
#include "json/jdoc.h"

/* A set of strings (pointers into the document), open addressing in the arena. */
struct csaf_set {
    const char **slots;
    size_t cap, n; /* cap is a power of two, or 0 */
};

/* The context of one validation. */
struct csaf_v {
    rb_arena *a;
    struct csaf_report *r;
    size_t cap;       /* issues allocated in r->issues */
    rj_doc d;         /* the path of the member being checked */
    rb_errinfo ei;    /* rj_doc's, unused by the checks */
    const cJSON *doc; /* the document */
    unsigned flags;   /* enum csaf_flags */
    const char *test; /* the id issues are filed under */
    bool warning;     /* the current test is optional */
    int rc;           /* the first allocation failure, sticky */
    /* Facts several tests need, gathered once before the tests. */
    struct csaf_set products; /* every product_id a full product name defines */
    struct csaf_set groups;   /* every group_id */
    const char *category;     /* /document/category, or NULL */
};

/* ---- issues and the path ---- */

/* Files an issue of the current test at the current path (plus ".key" when key is not NULL). */
void csaf__issue(struct csaf_v *v, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Files an issue at the path given (for a test that reports a place it has recorded). */
void csaf__issue_path(struct csaf_v *v, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline size_t csaf__push(struct csaf_v *v, const char *key)
{
    return rjd_push(&v->d, key);
}
static inline size_t csaf__push_index(struct csaf_v *v, int i)
{
    return rjd_push_index(&v->d, i);
}
static inline void csaf__pop(struct csaf_v *v, size_t mark)
{
    rjd_pop(&v->d, mark);
}
/* An arena allocation of n zeroed bytes; NULL (and v->rc set) on failure. */
void *csaf__alloc(struct csaf_v *v, size_t n);

/* ---- typed reading: NULL when absent or of another type (o too may be anything) ---- */

static inline const cJSON *csaf__obj(const cJSON *o, const char *key)
{
    const cJSON *x = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    return cJSON_IsObject(x) ? x : NULL;
}

static inline const cJSON *csaf__arr(const cJSON *o, const char *key)
{
    const cJSON *x = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    return cJSON_IsArray(x) ? x : NULL;
}

/* The string value of node, or NULL. */
static inline const char *csaf__strv(const cJSON *node)
{
    return cJSON_IsString(node) ? node->valuestring : NULL;
}

static inline const char *csaf__str(const cJSON *o, const char *key)
{
    return cJSON_IsObject(o) ? csaf__strv(cJSON_GetObjectItemCaseSensitive(o, key)) : NULL;
}

/* ---- a set of strings ---- */

void csaf__set_init(struct csaf_set *s);
/* Adds str; true when it was not there yet (false also when memory gave out: v->rc says). */
bool csaf__set_add(struct csaf_v *v, struct csaf_set *s, const char *str);
bool csaf__set_has(const struct csaf_set *s, const char *str);

/* ---- walkers ---- */

/* Calls fn on every full product name (full_product_name_t) of the product tree: in branches
 * (any depth), full_product_names and relationships, with the path at it. */
typedef void (*csaf_fpn_fn)(struct csaf_v *v, const cJSON *fpn, void *arg);
void csaf__each_fpn(struct csaf_v *v, csaf_fpn_fn fn, void *arg);
/* Calls fn on every branch (branches_t item) of the product tree, any depth, path at it. */
typedef void (*csaf_branch_fn)(struct csaf_v *v, const cJSON *branch, void *arg);
void csaf__each_branch(struct csaf_v *v, csaf_branch_fn fn, void *arg);

/* Calls fn on every string that refers to a product by its id (product_id_t outside a full
 * product name: product groups, relationships, product status, remediations, scores, threats,
 * flags), path at it. */
typedef void (*csaf_ref_fn)(struct csaf_v *v, const char *id, void *arg);
void csaf__each_product_ref(struct csaf_v *v, csaf_ref_fn fn, void *arg);
/* The same for references to product groups (remediations, threats, flags: group_ids). */
void csaf__each_group_ref(struct csaf_v *v, csaf_ref_fn fn, void *arg);

/* Calls fn on each object item of the array member key of o (path at the item). */
typedef void (*csaf_item_fn)(struct csaf_v *v, const cJSON *item, int i, void *arg);
void csaf__each_item(struct csaf_v *v, const cJSON *o, const char *key, csaf_item_fn fn, void *arg);
/* Calls fn on each string item of the array member key of o (path at the item). */
void csaf__each_str(struct csaf_v *v, const cJSON *o, const char *key, csaf_ref_fn fn, void *arg);
/* The product ids of a group (its product_ids), NULL when it has none or is unknown. */
const cJSON *csaf__group_products(struct csaf_v *v, const char *group_id);

/* ---- versions (version_t) and times ---- */

/* A version as CSAF writes it: an integer ("3") or a semantic version ("1.2.0-rc.1+build"). */
struct csaf_version {
    bool semver;
    uint64_t major, minor, patch; /* an integer version is its major */
    const char *pre;              /* the pre-release part after '-' (not NUL-terminated), or NULL */
    size_t pre_len;
    const char *build; /* the build metadata after '+', or NULL */
    size_t build_len;
};
/* Parses a version_t; false when s is not one. */
bool csaf__version(const char *s, struct csaf_version *out);
/* Orders two versions as semantic versioning does (build metadata ignored; a pre-release is
 * lower than its release); integers compare as integers. <0, 0, >0. */
int csaf__version_cmp(const struct csaf_version *a, const struct csaf_version *b);

/* An RFC 3339 date-time as nanoseconds-resolution time: epoch seconds and the fraction. */
struct csaf_time {
    int64_t sec;
    int64_t nsec;
};
/* Parses an RFC 3339 date-time (the JSON schema's "date-time" format); false when s is not one. */
bool csaf__time(const char *s, struct csaf_time *out);
int csaf__time_cmp(const struct csaf_time *a, const struct csaf_time *b);

/* ---- the parts ---- */

/* The schema's rules over the whole document (test "schema"; CVSS objects as "6.1.8"). */
void csaf__schema(struct csaf_v *v);
/* Whether a CVSS vector matches the FIRST schema's vectorString pattern (v3: of the version its
 * prefix names). */
bool csaf__cvss_vector_ok(const char *vector, bool v3);
/* Whether s obeys the "uri" format (an absolute URI of RFC 3986). */
bool csaf__is_uri(const char *s);
/* Whether s obeys lang_t's pattern (a BCP 47 language tag). */
bool csaf__is_lang(const char *s);

/* Runs the tests of the table (mandatory ones; the optional ones too with CSAF_OPTIONAL). */
void csaf__tests(struct csaf_v *v, unsigned flags);

/* ---- data (csaf_data.c) ---- */

/* The name of CWE id ("CWE-79"), or NULL when the table does not know the id. */
const char *csaf__cwe_name(const char *id);
/* Whether a two-letter primary language subtag is an ISO 639-1 code (case-insensitive). */
bool csaf__iso639_1(const char *s, size_t n);
/* Whether a two-letter region subtag is an ISO 3166-1 code or one the registry keeps (EU, UN,
 * ...; case-insensitive). */
bool csaf__region(const char *s, size_t n);

#endif
