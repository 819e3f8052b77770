/*
 * csaf_tests.c - the mandatory (6.1) and optional (6.2) tests of CSAF 2.0, one function each,
 * run from one table in the specification's order (see csaf.h).
 *
 * Each test reads only what its section names and skips values of the wrong type (the schema
 * pass has reported them). Where the specification leaves a choice, the comment above the test
 * says what is decided; docs/csaf-validation.md repeats it for readers of the tool's output.
 *
 * Must never report an optional test as an error, or run a profile test (6.1.27.x) for a
 * document category it does not name.
 */
#include "base/common.h"
#include "base/utf8.h"
#include "formats/csaf_author.h"
#include "formats/csaf_int.h"
#include "formats/cvss.h"

#include <ctype.h>
#include <math.h>

/* ---- helpers ---- */

#define EACH_ITEM(arr, it, i)                                                                      \
    for (const cJSON *it = (arr) ? (arr)->child : NULL; it; it = it->next, i++)

static const cJSON *vulns(struct csaf_v *v)
{
    return csaf__arr(v->doc, "vulnerabilities");
}

static const cJSON *document(struct csaf_v *v)
{
    return csaf__obj(v->doc, "document");
}

static const cJSON *tracking(struct csaf_v *v)
{
    return csaf__obj(document(v), "tracking");
}

/* Adds to s every product an item covers: its product_ids and the products of its group_ids. */
static void add_covered(struct csaf_v *v, struct csaf_set *s, const cJSON *item)
{
    const cJSON *ids = csaf__arr(item, "product_ids");
    for (const cJSON *p = ids ? ids->child : NULL; p; p = p->next)
        csaf__set_add(v, s, csaf__strv(p));
    const cJSON *gids = csaf__arr(item, "group_ids");
    for (const cJSON *g = gids ? gids->child : NULL; g; g = g->next) {
        const cJSON *members = csaf__group_products(v, csaf__strv(g));
        for (const cJSON *p = members ? members->child : NULL; p; p = p->next)
            csaf__set_add(v, s, csaf__strv(p));
    }
}

/* The set of products the items of array `list` of vulnerability vu cover. */
static void covered_by(struct csaf_v *v, const cJSON *vu, const char *list, struct csaf_set *s,
                       const char *threat_category)
{
    csaf__set_init(s);
    const cJSON *arr = csaf__arr(vu, list);
    for (const cJSON *it = arr ? arr->child : NULL; it; it = it->next) {
        if (threat_category) {
            const char *c = csaf__str(it, "category");
            if (!c || strcmp(c, threat_category) != 0)
                continue;
        }
        add_covered(v, s, it);
    }
}

/* Runs fn(v, vu, arg) on each vulnerability, with the path at it. */
typedef void (*vuln_fn)(struct csaf_v *v, const cJSON *vu, void *arg);
static void each_vuln(struct csaf_v *v, vuln_fn fn, void *arg)
{
    const cJSON *arr = vulns(v);
    if (!arr)
        return;
    size_t m0 = csaf__push(v, "vulnerabilities");
    int i = 0;
    EACH_ITEM(arr, vu, i)
    {
        if (!cJSON_IsObject(vu))
            continue;
        size_t m1 = csaf__push_index(v, i);
        fn(v, vu, arg);
        csaf__pop(v, m1);
    }
    csaf__pop(v, m0);
}

static bool has_member(const cJSON *o, const char *key)
{
    return cJSON_IsObject(o) && cJSON_GetObjectItemCaseSensitive(o, key) != NULL;
}

/* ---- 6.1.1 - 6.1.5: product and group ids ---- */

static void ref_defined(struct csaf_v *v, const char *id, void *arg)
{
    RB_UNUSED(arg);
    if (!csaf__set_has(&v->products, id))
        csaf__issue(v, NULL, "product \"%.100s\" is not defined in the product tree", id);
}

static void t_missing_product(struct csaf_v *v)
{
    csaf__each_product_ref(v, ref_defined, NULL);
}

static void fpn_once(struct csaf_v *v, const cJSON *fpn, void *arg)
{
    const char *id = csaf__str(fpn, "product_id");
    if (id && !csaf__set_add(v, arg, id) && !v->rc)
        csaf__issue(v, "product_id", "product \"%.100s\" is defined more than once", id);
}

static void t_multiple_product(struct csaf_v *v)
{
    struct csaf_set seen;
    csaf__set_init(&seen);
    csaf__each_fpn(v, fpn_once, &seen);
}

/* 6.1.3: a product a relationship defines must not be reached again by following the
 * references of the relationships that define it. Only products some relationship refers to can
 * be on a circle, so only those are followed. */
static void t_circular(struct csaf_v *v)
{
    const cJSON *rels = csaf__arr(csaf__obj(v->doc, "product_tree"), "relationships");
    if (!rels)
        return;
    struct csaf_set referred;
    csaf__set_init(&referred);
    for (const cJSON *r = rels->child; r; r = r->next) {
        csaf__set_add(v, &referred, csaf__str(r, "product_reference"));
        csaf__set_add(v, &referred, csaf__str(r, "relates_to_product_reference"));
    }
    int n = cJSON_GetArraySize(rels);
    const char **stack = csaf__alloc(v, sizeof(*stack) * (size_t)(2 * n + 2));
    if (!stack)
        return;
    size_t m0 = csaf__push(v, "product_tree");
    size_t m1 = csaf__push(v, "relationships");
    int i = 0;
    EACH_ITEM(rels, r, i)
    {
        const char *self = csaf__str(csaf__obj(r, "full_product_name"), "product_id");
        if (!self || !csaf__set_has(&referred, self))
            continue;
        struct csaf_set seen;
        csaf__set_init(&seen);
        int top = 0;
        bool circle = false;
        stack[top++] = csaf__str(r, "product_reference");
        stack[top++] = csaf__str(r, "relates_to_product_reference");
        while (top > 0 && !circle) {
            const char *id = stack[--top];
            if (!id)
                continue;
            if (strcmp(id, self) == 0) {
                circle = true;
                break;
            }
            if (!csaf__set_add(v, &seen, id))
                continue;
            for (const cJSON *q = rels->child; q && top + 2 <= 2 * n + 2; q = q->next) {
                const char *qid = csaf__str(csaf__obj(q, "full_product_name"), "product_id");
                if (qid && strcmp(qid, id) == 0) {
                    stack[top++] = csaf__str(q, "product_reference");
                    stack[top++] = csaf__str(q, "relates_to_product_reference");
                }
            }
        }
        if (circle) {
            size_t m2 = csaf__push_index(v, i);
            csaf__issue(v, "full_product_name.product_id",
                        "product \"%.100s\" is defined through itself (the relationships form a "
                        "circle)",
                        self);
            csaf__pop(v, m2);
        }
    }
    csaf__pop(v, m1);
    csaf__pop(v, m0);
}

static void group_defined(struct csaf_v *v, const char *id, void *arg)
{
    RB_UNUSED(arg);
    if (!csaf__set_has(&v->groups, id))
        csaf__issue(v, NULL, "product group \"%.100s\" is not defined in the product tree", id);
}

static void t_missing_group(struct csaf_v *v)
{
    csaf__each_group_ref(v, group_defined, NULL);
}

static void group_once(struct csaf_v *v, const cJSON *g, int i, void *arg)
{
    RB_UNUSED(i);
    const char *id = csaf__str(g, "group_id");
    if (id && !csaf__set_add(v, arg, id) && !v->rc)
        csaf__issue(v, "group_id", "product group \"%.100s\" is defined more than once", id);
}

static void t_multiple_group(struct csaf_v *v)
{
    struct csaf_set seen;
    csaf__set_init(&seen);
    const cJSON *pt = csaf__obj(v->doc, "product_tree");
    if (!pt)
        return;
    size_t m = csaf__push(v, "product_tree");
    csaf__each_item(v, pt, "product_groups", group_once, &seen);
    csaf__pop(v, m);
}

/* ---- 6.1.6: contradicting product status ---- */

static const struct {
    const char *member;
    int group;
} status_members[] = {
    {"first_affected", 0},      {"known_affected", 0}, {"last_affected", 0},
    {"known_not_affected", 1},  {"first_fixed", 2},    {"fixed", 2},
    {"under_investigation", 3},
};
static const char *const status_group_names[] = {"affected", "not affected", "fixed",
                                                 "under investigation"};

static void contradicting(struct csaf_v *v, const cJSON *vu, void *arg)
{
    RB_UNUSED(arg);
    const cJSON *ps = csaf__obj(vu, "product_status");
    if (!ps)
        return;
    struct csaf_set sets[4];
    for (int g = 0; g < 4; g++)
        csaf__set_init(&sets[g]);
    size_t m0 = csaf__push(v, "product_status");
    for (size_t k = 0; k < RB_ARRAY_LEN(status_members); k++) {
        int g = status_members[k].group;
        const cJSON *arr = csaf__arr(ps, status_members[k].member);
        if (!arr)
            continue;
        size_t m1 = csaf__push(v, status_members[k].member);
        int i = 0;
        EACH_ITEM(arr, p, i)
        {
            const char *id = csaf__strv(p);
            if (!id)
                continue;
            for (int other = 0; other < 4; other++) {
                if (other != g && csaf__set_has(&sets[other], id)) {
                    size_t m2 = csaf__push_index(v, i);
                    csaf__issue(v, NULL, "product \"%.100s\" is both %s and %s", id,
                                status_group_names[other], status_group_names[g]);
                    csaf__pop(v, m2);
                }
            }
            csaf__set_add(v, &sets[g], id);
        }
        csaf__pop(v, m1);
    }
    csaf__pop(v, m0);
}

static void t_contradicting(struct csaf_v *v)
{
    each_vuln(v, contradicting, NULL);
}

/* ---- 6.1.7 - 6.1.10: scores ---- */

/* The CVSS version a score item gives for its cvss member: "2.0", or cvss_v3's version (else the
 * prefix of its vector). NULL when it has none. */
static const char *score_version(const cJSON *cvss, bool v3)
{
    if (!cJSON_IsObject(cvss))
        return NULL;
    if (!v3)
        return "2.0";
    const char *ver = csaf__str(cvss, "version");
    if (ver)
        return ver;
    const char *vec = csaf__str(cvss, "vectorString");
    if (vec && strncmp(vec, "CVSS:3.0/", 9) == 0)
        return "3.0";
    if (vec && strncmp(vec, "CVSS:3.1/", 9) == 0)
        return "3.1";
    return NULL;
}

struct version_sets {
    const char *version[3];
    struct csaf_set set[3];
    int n;
};

static struct csaf_set *version_set(struct version_sets *vs, const char *version)
{
    for (int i = 0; i < vs->n; i++)
        if (strcmp(vs->version[i], version) == 0)
            return &vs->set[i];
    if (vs->n == 3)
        return NULL;
    vs->version[vs->n] = version;
    csaf__set_init(&vs->set[vs->n]);
    return &vs->set[vs->n++];
}

static void same_version(struct csaf_v *v, const cJSON *vu, void *arg)
{
    RB_UNUSED(arg);
    struct version_sets vs;
    vs.n = 0;
    const cJSON *scores = csaf__arr(vu, "scores");
    if (!scores)
        return;
    size_t m0 = csaf__push(v, "scores");
    int i = 0;
    EACH_ITEM(scores, s, i)
    {
        const char *vers[2] = {score_version(csaf__obj(s, "cvss_v2"), false),
                               score_version(csaf__obj(s, "cvss_v3"), true)};
        const cJSON *products = csaf__arr(s, "products");
        size_t m1 = csaf__push_index(v, i);
        for (int k = 0; k < 2; k++) {
            struct csaf_set *set = vers[k] ? version_set(&vs, vers[k]) : NULL;
            if (!set)
                continue;
            int j = 0;
            EACH_ITEM(products, p, j)
            {
                const char *id = csaf__strv(p);
                if (id && !csaf__set_add(v, set, id) && !v->rc) {
                    size_t m2 = csaf__push(v, "products");
                    size_t m3 = csaf__push_index(v, j);
                    csaf__issue(v, NULL, "product \"%.100s\" has more than one CVSS v%s score", id,
                                vers[k]);
                    csaf__pop(v, m3);
                    csaf__pop(v, m2);
                }
            }
        }
        csaf__pop(v, m1);
    }
    csaf__pop(v, m0);
}

static void t_same_version(struct csaf_v *v)
{
    each_vuln(v, same_version, NULL);
}

/* Calls fn(v, cvss, v3, arg) on each cvss_v2 / cvss_v3 object, path at it. */
typedef void (*cvss_fn)(struct csaf_v *v, const cJSON *cvss, bool v3, void *arg);
struct cvss_walk {
    cvss_fn fn;
    void *arg;
};

static void cvss_in_score(struct csaf_v *v, const cJSON *s, int i, void *arg)
{
    RB_UNUSED(i);
    struct cvss_walk *w = arg;
    static const char *const keys[] = {"cvss_v2", "cvss_v3"};
    for (int k = 0; k < 2; k++) {
        const cJSON *c = csaf__obj(s, keys[k]);
        if (!c)
            continue;
        size_t m = csaf__push(v, keys[k]);
        w->fn(v, c, k == 1, w->arg);
        csaf__pop(v, m);
    }
}

static void cvss_in_vuln(struct csaf_v *v, const cJSON *vu, void *arg)
{
    csaf__each_item(v, vu, "scores", cvss_in_score, arg);
}

static void each_cvss(struct csaf_v *v, cvss_fn fn, void *arg)
{
    struct cvss_walk w = {fn, arg};
    each_vuln(v, cvss_in_vuln, &w);
}

/* A cvss object's vector, parsed: false when there is none or it cannot be computed (then
 * *why says why, or is NULL when another test already reports it). */
struct parsed_cvss {
    bool v3;
    struct cvss3 c3;
    struct cvss2 c2;
    struct cvss_scores s;
};

static bool parse_cvss(const cJSON *cvss, bool v3, struct parsed_cvss *out, rb_errinfo *ei)
{
    const char *vec = csaf__str(cvss, "vectorString");
    rb_errinfo_clear(ei);
    if (!vec)
        return false;
    out->v3 = v3;
    if (v3) {
        const char *ver = csaf__str(cvss, "version");
        if (ver && strncmp(vec, "CVSS:", 5) == 0 && strncmp(vec + 5, ver, strlen(ver)) != 0)
            return false; /* 6.1.8 says the vector is not of the version */
        if (cvss3_parse(vec, &out->c3, ei))
            return false;
        cvss3_score(&out->c3, &out->s);
    } else {
        if (cvss2_parse(vec, &out->c2, ei))
            return false;
        cvss2_score(&out->c2, &out->s);
    }
    return true;
}

static void check_score(struct csaf_v *v, const cJSON *cvss, const char *key, double want)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(cvss, key);
    if (cJSON_IsNumber(x) && fabs(x->valuedouble - want) > 1e-6)
        csaf__issue(v, key, "is %g, but the vector gives %.1f", x->valuedouble, want);
}

static void check_severity(struct csaf_v *v, const cJSON *cvss, const char *key, double score)
{
    const char *s = csaf__str(cvss, key);
    const char *want = cvss3_severity(score);
    if (s && strcmp(s, want) != 0)
        csaf__issue(v, key, "is %.20s, but the vector's score %.1f is %s", s, score, want);
}

static void computation(struct csaf_v *v, const cJSON *cvss, bool v3, void *arg)
{
    RB_UNUSED(arg);
    struct parsed_cvss p;
    rb_errinfo ei;
    if (!parse_cvss(cvss, v3, &p, &ei)) {
        /* The FIRST schemas' pattern passes vectors that lack a base metric or repeat one
         * (6.1.8 reports the others); computing needs them whole. */
        const char *vec = csaf__str(cvss, "vectorString");
        if (ei.code == RB_EINVAL && vec && csaf__cvss_vector_ok(vec, v3))
            csaf__issue(v, "vectorString", "cannot be computed: %s", ei.msg);
        return;
    }
    check_score(v, cvss, "baseScore", p.s.base);
    check_score(v, cvss, "temporalScore", p.s.temporal);
    check_score(v, cvss, "environmentalScore", p.s.environmental);
    if (v3) {
        check_severity(v, cvss, "baseSeverity", p.s.base);
        check_severity(v, cvss, "temporalSeverity", p.s.temporal);
        check_severity(v, cvss, "environmentalSeverity", p.s.environmental);
    }
}

static void t_computation(struct csaf_v *v)
{
    each_cvss(v, computation, NULL);
}

static void consistency(struct csaf_v *v, const cJSON *cvss, bool v3, void *arg)
{
    RB_UNUSED(arg);
    struct parsed_cvss p;
    rb_errinfo ei;
    if (!parse_cvss(cvss, v3, &p, &ei))
        return;
    const struct cvss_metric_info *table = v3 ? cvss3_metrics : cvss2_metrics;
    int count = v3 ? CVSS3__COUNT : CVSS2__COUNT;
    const int *vals = v3 ? p.c3.v : p.c2.v;
    for (int m = 0; m < count; m++) {
        const char *given = csaf__str(cvss, table[m].json);
        /* Only a metric the vector gives can be contradicted: a property for one it leaves out
         * adds to it (the OASIS files of 6.2.19 give modified impacts that way). */
        if (!given || vals[m] < 0)
            continue;
        int idx = vals[m];
        const char *want = table[m].names[idx];
        bool known = false;
        for (int k = 0; k < table[m].nvalues; k++)
            known = known || strcmp(table[m].names[k], given) == 0;
        if (known && strcmp(given, want) != 0)
            csaf__issue(v, table[m].json, "is %s, but the vector says %s:%s (%s)", given,
                        table[m].key, table[m].codes[idx], want);
    }
}

static void t_consistency(struct csaf_v *v)
{
    each_cvss(v, consistency, NULL);
}

/* ---- 6.1.11 CWE, 6.1.12 language, 6.1.13 purl ---- */

static void cwe(struct csaf_v *v, const cJSON *vu, void *arg)
{
    RB_UNUSED(arg);
    const cJSON *c = csaf__obj(vu, "cwe");
    const char *id = csaf__str(c, "id"), *name = csaf__str(c, "name");
    if (!id || !name)
        return;
    const char *want = csaf__cwe_name(id);
    if (want && strcmp(want, name) != 0) {
        size_t m = csaf__push(v, "cwe");
        csaf__issue(v, "name", "%s is named \"%.120s\", not \"%.80s\"", id, want, name);
        csaf__pop(v, m);
    }
}

static void t_cwe(struct csaf_v *v)
{
    each_vuln(v, cwe, NULL);
}

/* Why tag s names no registered language, or NULL when it does (only what csaf_data.c's tables
 * can decide: two-letter languages and regions; four- to eight-letter primary subtags are
 * reserved and none is registered). */
static const char *lang_unknown(const char *s)
{
    if (!csaf__is_lang(s) || strncasecmp(s, "x-", 2) == 0 || strncasecmp(s, "i-", 2) == 0)
        return NULL;
    size_t n = strcspn(s, "-");
    if (n == 2 && !csaf__iso639_1(s, n))
        return "its language subtag is no ISO 639-1 language code";
    if (n >= 4)
        return "its language subtag is reserved (no language of 4 to 8 letters is registered)";
    /* The region: a two-letter subtag after the language, extlangs and script. */
    const char *p = s + n;
    while (*p == '-') {
        p++;
        size_t k = strcspn(p, "-");
        if (k == 1)
            break; /* an extension or private use: no region after it */
        if (k == 2)
            return csaf__region(p, k) ? NULL : "its region subtag is no ISO 3166-1 code";
        p += k;
    }
    return NULL;
}

static void check_lang(struct csaf_v *v, const char *key)
{
    const char *s = csaf__str(document(v), key);
    const char *why = s ? lang_unknown(s) : NULL;
    if (!why)
        return;
    size_t m = csaf__push(v, "document");
    csaf__issue(v, key, "\"%.40s\" is not a valid language: %s", s, why);
    csaf__pop(v, m);
}

static void t_language(struct csaf_v *v)
{
    check_lang(v, "lang");
    check_lang(v, "source_lang");
}

static bool pct_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '%' && (i + 2 >= n || !isxdigit((unsigned char)s[i + 1]) ||
                            !isxdigit((unsigned char)s[i + 2])))
            return false;
    return true;
}

/* Why a purl breaks the package-url specification, or NULL:
 * pkg:type/namespace/name@version?qualifiers#subpath, with a type of letters, digits, '.', '+'
 * and '-' not starting with a digit, a non-empty name, non-empty version and qualifier values,
 * qualifier keys of letters, digits, '.', '-' and '_', and well-formed percent-encodings. */
static const char *purl_problem(const char *s)
{
    if (strncmp(s, "pkg:", 4) != 0)
        return "it does not start with \"pkg:\"";
    const char *p = s + 4;
    while (*p == '/')
        p++;
    size_t len = strlen(p);
    const char *hash = memchr(p, '#', len);
    size_t end = hash ? (size_t)(hash - p) : len;
    const char *q = memchr(p, '?', end);
    if (q) {
        const char *k = q + 1;
        const char *stop = p + end;
        if (k == stop)
            return "it has an empty qualifier list";
        while (k < stop) {
            const char *amp = memchr(k, '&', (size_t)(stop - k));
            const char *item_end = amp ? amp : stop;
            const char *eq = memchr(k, '=', (size_t)(item_end - k));
            if (!eq || eq == k || eq + 1 == item_end)
                return "a qualifier is not key=value";
            if (isdigit((unsigned char)*k))
                return "a qualifier key starts with a digit";
            for (const char *c = k; c < eq; c++)
                if (!(isalnum((unsigned char)*c) || *c == '.' || *c == '-' || *c == '_'))
                    return "a qualifier key has a character other than letters, digits, . - _";
            if (!pct_ok(eq + 1, (size_t)(item_end - eq - 1)))
                return "a qualifier value has a bad percent-encoding";
            k = amp ? amp + 1 : stop;
        }
        end = (size_t)(q - p);
    }
    /* type/namespace/name@version: the version follows the last '@' after the last '/'. */
    while (end > 0 && p[end - 1] == '/')
        end--;
    const char *slash = memchr(p, '/', end);
    if (!slash)
        return "it has no name (pkg:type/name)";
    size_t tlen = (size_t)(slash - p);
    if (tlen == 0)
        return "it has no type";
    if (isdigit((unsigned char)p[0]))
        return "its type starts with a digit";
    for (size_t i = 0; i < tlen; i++)
        if (!(isalnum((unsigned char)p[i]) || p[i] == '.' || p[i] == '+' || p[i] == '-'))
            return "its type has a character other than letters, digits, . + -";
    const char *last = p + end;
    const char *name = last;
    while (name > slash + 1 && name[-1] != '/')
        name--;
    const char *at = NULL;
    for (const char *c = name; c < last; c++)
        if (*c == '@')
            at = c;
    size_t name_len = (size_t)((at ? at : last) - name);
    if (at && at + 1 == last)
        return "it has an empty version after '@'";
    if (name_len == 0)
        return "it has no name";
    if (!pct_ok(slash + 1, (size_t)(last - slash - 1)))
        return "it has a bad percent-encoding";
    if (hash && !pct_ok(hash + 1, strlen(hash + 1)))
        return "its subpath has a bad percent-encoding";
    return NULL;
}

static void purl(struct csaf_v *v, const cJSON *fpn, void *arg)
{
    RB_UNUSED(arg);
    const cJSON *pih = csaf__obj(fpn, "product_identification_helper");
    const char *s = csaf__str(pih, "purl");
    const char *why = s && strncmp(s, "pkg:", 4) == 0 ? purl_problem(s) : NULL;
    if (!why)
        return;
    size_t m = csaf__push(v, "product_identification_helper");
    csaf__issue(v, "purl", "\"%.100s\" is not a valid package URL: %s", s, why);
    csaf__pop(v, m);
}

static void t_purl(struct csaf_v *v)
{
    csaf__each_fpn(v, purl, NULL);
}

/* ---- 6.1.14 - 6.1.22, 6.1.30: versions and the revision history ---- */

struct rev {
    struct csaf_time date;
    struct csaf_version ver;
    const char *number;
    int index;
};

struct history {
    struct rev *items;
    int n;      /* items whose date and number parse */
    int total;  /* items in the array */
    bool mixed; /* both integer and semantic versions */
};

static int rev_cmp(const void *a, const void *b)
{
    const struct rev *x = a, *y = b;
    int c = csaf__time_cmp(&x->date, &y->date);
    if (!c)
        c = csaf__version_cmp(&x->ver, &y->ver);
    return c ? c : x->index - y->index;
}

/* The revision history sorted by date (then number), from items whose date and number parse. */
static bool read_history(struct csaf_v *v, struct history *h)
{
    memset(h, 0, sizeof(*h));
    const cJSON *arr = csaf__arr(tracking(v), "revision_history");
    if (!arr)
        return false;
    h->total = cJSON_GetArraySize(arr);
    h->items = csaf__alloc(v, sizeof(*h->items) * (size_t)(h->total + 1));
    if (!h->items)
        return false;
    int i = 0, ints = 0, sems = 0;
    EACH_ITEM(arr, it, i)
    {
        struct rev r;
        r.number = csaf__str(it, "number");
        r.index = i;
        if (!r.number || !csaf__version(r.number, &r.ver) ||
            !csaf__time(csaf__str(it, "date"), &r.date))
            continue;
        if (r.ver.semver)
            sems++;
        else
            ints++;
        h->items[h->n++] = r;
    }
    h->mixed = ints && sems;
    qsort(h->items, (size_t)h->n, sizeof(*h->items), rev_cmp);
    return h->n > 0;
}

static void t_sorted_history(struct csaf_v *v)
{
    struct history h;
    if (!read_history(v, &h) || h.mixed)
        return;
    for (int i = 1; i < h.n; i++) {
        if (csaf__version_cmp(&h.items[i - 1].ver, &h.items[i].ver) > 0) {
            char path[CSAF_PATH_MAX];
            rb_fmt(path, sizeof(path), "document.tracking.revision_history[%d].number",
                   h.items[i].index);
            csaf__issue_path(v, path,
                             "version %.40s is dated after version %.40s: sorted by date, the "
                             "numbers must ascend",
                             h.items[i - 1].number, h.items[i].number);
            return;
        }
    }
}

static bool is_final_or_interim(const char *status)
{
    return status && (strcmp(status, "final") == 0 || strcmp(status, "interim") == 0);
}

static void t_translator(struct csaf_v *v)
{
    const cJSON *d = document(v);
    const char *cat = csaf__str(csaf__obj(d, "publisher"), "category");
    if (cat && strcmp(cat, "translator") == 0 && !csaf__str(d, "source_lang"))
        csaf__issue_path(v, "document.source_lang",
                         "is required when the publisher is a translator");
}

/* 6.1.16: build metadata never counts; a pre-release counts unless the status is draft. */
static void t_latest_version(struct csaf_v *v)
{
    struct history h;
    const char *version = csaf__str(tracking(v), "version");
    struct csaf_version doc;
    if (!version || !csaf__version(version, &doc) || !read_history(v, &h))
        return;
    struct csaf_version last = h.items[h.n - 1].ver;
    const char *status = csaf__str(tracking(v), "status");
    bool draft = status && strcmp(status, "draft") == 0;
    bool same = doc.semver == last.semver && doc.major == last.major && doc.minor == last.minor &&
                doc.patch == last.patch;
    if (same && !draft)
        same = (doc.pre == NULL) == (last.pre == NULL) &&
               (!doc.pre ||
                (doc.pre_len == last.pre_len && memcmp(doc.pre, last.pre, doc.pre_len) == 0));
    if (!same)
        csaf__issue_path(v, "document.tracking.version",
                         "is %.40s, but the newest item of the revision history is %.40s", version,
                         h.items[h.n - 1].number);
}

static bool zero_version(const struct csaf_version *ver)
{
    return ver->major == 0;
}

static void t_status_draft(struct csaf_v *v)
{
    const char *version = csaf__str(tracking(v), "version");
    const char *status = csaf__str(tracking(v), "status");
    struct csaf_version ver;
    if (!version || !status || !csaf__version(version, &ver) || strcmp(status, "draft") == 0)
        return;
    if (zero_version(&ver) || ver.pre)
        csaf__issue_path(v, "document.tracking.status",
                         "is %.20s, but version %.40s is a %s: the status must be draft", status,
                         version, ver.pre ? "pre-release" : "version 0");
}

static void zero_in_history(struct csaf_v *v, const cJSON *it, int i, void *arg)
{
    RB_UNUSED(i);
    const char *status = arg;
    const char *number = csaf__str(it, "number");
    struct csaf_version ver;
    if (number && csaf__version(number, &ver) && zero_version(&ver))
        csaf__issue(v, "number", "is %.40s, a version 0, in a document whose status is %s", number,
                    status);
}

static void each_history_item(struct csaf_v *v, csaf_item_fn fn, void *arg)
{
    const cJSON *t = tracking(v);
    if (!t)
        return;
    size_t m0 = csaf__push(v, "document");
    size_t m1 = csaf__push(v, "tracking");
    csaf__each_item(v, t, "revision_history", fn, arg);
    csaf__pop(v, m1);
    csaf__pop(v, m0);
}

static void t_released_history(struct csaf_v *v)
{
    const char *status = csaf__str(tracking(v), "status");
    if (is_final_or_interim(status))
        each_history_item(v, zero_in_history, (void *)status);
}

static void pre_in_history(struct csaf_v *v, const cJSON *it, int i, void *arg)
{
    RB_UNUSED(i);
    RB_UNUSED(arg);
    const char *number = csaf__str(it, "number");
    struct csaf_version ver;
    if (number && csaf__version(number, &ver) && ver.pre)
        csaf__issue(v, "number", "is %.40s, a pre-release: the revision history lists releases",
                    number);
}

static void t_prerelease_history(struct csaf_v *v)
{
    each_history_item(v, pre_in_history, NULL);
}

static void t_nondraft_version(struct csaf_v *v)
{
    const char *version = csaf__str(tracking(v), "version");
    const char *status = csaf__str(tracking(v), "status");
    struct csaf_version ver;
    if (version && is_final_or_interim(status) && csaf__version(version, &ver) && ver.pre)
        csaf__issue_path(v, "document.tracking.version",
                         "is %.40s, a pre-release, in a document whose status is %s", version,
                         status);
}

/* 6.1.21: sorted by date, each item's (major) version is the one before or the next; the first
 * is 0 or 1. */
static void t_missing_history_item(struct csaf_v *v)
{
    struct history h;
    if (!read_history(v, &h) || h.mixed)
        return;
    if (h.items[0].ver.major > 1) {
        char path[CSAF_PATH_MAX];
        rb_fmt(path, sizeof(path), "document.tracking.revision_history[%d].number",
               h.items[0].index);
        csaf__issue_path(v, path, "the oldest version is %.40s; it must be %s", h.items[0].number,
                         h.items[0].ver.semver ? "0.y.z or 1.y.z" : "0 or 1");
    }
    for (int i = 1; i < h.n; i++) {
        uint64_t a = h.items[i - 1].ver.major, b = h.items[i].ver.major;
        if (b > a + 1) {
            char path[CSAF_PATH_MAX];
            rb_fmt(path, sizeof(path), "document.tracking.revision_history[%d].number",
                   h.items[i].index);
            csaf__issue_path(
                v, path, "version %.40s follows %.40s: the revision history lacks version %" PRIu64,
                h.items[i].number, h.items[i - 1].number, a + 1);
        }
    }
}

static void history_dup(struct csaf_v *v, const cJSON *it, int i, void *arg)
{
    RB_UNUSED(i);
    const char *number = csaf__str(it, "number");
    if (number && !csaf__set_add(v, arg, number) && !v->rc)
        csaf__issue(v, "number", "version %.40s is in the revision history more than once", number);
}

static void t_history_dup(struct csaf_v *v)
{
    struct csaf_set seen;
    csaf__set_init(&seen);
    each_history_item(v, history_dup, &seen);
}

/* ---- 6.1.23 - 6.1.26 ---- */

static void cve_once(struct csaf_v *v, const cJSON *vu, void *arg)
{
    const char *cve = csaf__str(vu, "cve");
    if (cve && !csaf__set_add(v, arg, cve) && !v->rc)
        csaf__issue(v, "cve", "%.40s is the CVE of another vulnerability too", cve);
}

static void t_same_cve(struct csaf_v *v)
{
    struct csaf_set seen;
    csaf__set_init(&seen);
    each_vuln(v, cve_once, &seen);
}

static void involvements(struct csaf_v *v, const cJSON *vu, void *arg)
{
    RB_UNUSED(arg);
    const cJSON *arr = csaf__arr(vu, "involvements");
    if (!arr)
        return;
    size_t m0 = csaf__push(v, "involvements");
    int i = 0;
    EACH_ITEM(arr, it, i)
    {
        const char *party = csaf__str(it, "party");
        const char *date = csaf__str(it, "date");
        if (!party)
            continue;
        struct csaf_time t;
        bool has_t = date && csaf__time(date, &t);
        for (const cJSON *prev = arr->child; prev != it; prev = prev->next) {
            const char *pp = csaf__str(prev, "party");
            const char *pd = csaf__str(prev, "date");
            if (!pp || strcmp(pp, party) != 0)
                continue;
            struct csaf_time pt;
            bool same;
            if (!date || !pd)
                same = !date && !pd;
            else if (has_t && csaf__time(pd, &pt))
                same = csaf__time_cmp(&t, &pt) == 0;
            else
                same = strcmp(date, pd) == 0;
            if (same) {
                size_t m1 = csaf__push_index(v, i);
                csaf__issue(v, NULL, "party %.40s is involved twice at %.40s", party,
                            date ? date : "the same (no) date");
                csaf__pop(v, m1);
                break;
            }
        }
    }
    csaf__pop(v, m0);
}

static void t_involvements(struct csaf_v *v)
{
    each_vuln(v, involvements, NULL);
}

static void hash_algorithms(struct csaf_v *v, const cJSON *fpn, void *arg)
{
    RB_UNUSED(arg);
    const cJSON *pih = csaf__obj(fpn, "product_identification_helper");
    const cJSON *hashes = csaf__arr(pih, "hashes");
    if (!hashes)
        return;
    size_t m0 = csaf__push(v, "product_identification_helper");
    size_t m1 = csaf__push(v, "hashes");
    int i = 0;
    EACH_ITEM(hashes, h, i)
    {
        const cJSON *fh = csaf__arr(h, "file_hashes");
        int j = 0;
        EACH_ITEM(fh, x, j)
        {
            const char *alg = csaf__str(x, "algorithm");
            if (!alg)
                continue;
            for (const cJSON *prev = fh->child; prev != x; prev = prev->next) {
                const char *pa = csaf__str(prev, "algorithm");
                if (pa && strcmp(pa, alg) == 0) {
                    char path[CSAF_PATH_MAX];
                    rb_fmt(path, sizeof(path), "%s[%d].file_hashes[%d].algorithm", v->d.path, i, j);
                    csaf__issue_path(v, path, "hash algorithm %.40s is used twice for one file",
                                     alg);
                    break;
                }
            }
        }
    }
    csaf__pop(v, m1);
    csaf__pop(v, m0);
}

static void t_hash_algorithm(struct csaf_v *v)
{
    csaf__each_fpn(v, hash_algorithms, NULL);
}

/* s lower-cased without '-', '_' and white space, into out. */
static void normalize_category(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (; *s && n + 1 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '-' || c == '_' || isspace(c))
            continue;
        out[n++] = (char)tolower(c);
    }
    out[n] = '\0';
}

static const char *const profile_values[] = {
    "csaf_base",
    "csaf_security_incident_response",
    "csaf_informational_advisory",
    "csaf_security_advisory",
    "csaf_vex",
    NULL,
};

static void t_category_name(struct csaf_v *v)
{
    const char *cat = v->category;
    if (!cat || rb_name_index(profile_values, cat) >= 0)
        return;
    static const char *const prohibited[] = {
        "securityincidentresponse",
        "informationaladvisory",
        "securityadvisory",
        "vex",
        "csafsecurityincidentresponse",
        "csafinformationaladvisory",
        "csafsecurityadvisory",
        "csafvex",
    };
    if (strncasecmp(cat, "csaf_", 5) == 0) {
        csaf__issue_path(v, "document.category",
                         "\"%.60s\" starts with the reserved prefix csaf_ (only the profiles' "
                         "values may)",
                         cat);
        return;
    }
    char norm[256];
    normalize_category(cat, norm, sizeof(norm));
    for (size_t i = 0; i < RB_ARRAY_LEN(prohibited); i++)
        if (strcmp(norm, prohibited[i]) == 0) {
            csaf__issue_path(v, "document.category",
                             "\"%.60s\" is the name of a CSAF profile; use the profile's value "
                             "(like csaf_security_advisory) or another name",
                             cat);
            return;
        }
}

/* ---- 6.1.27: profile tests ---- */

static void t_document_notes(struct csaf_v *v)
{
    static const char *const wanted[] = {"description", "details", "general", "summary", NULL};
    const cJSON *notes = csaf__arr(document(v), "notes");
    for (const cJSON *n = notes ? notes->child : NULL; n; n = n->next)
        if (rb_name_index(wanted, csaf__str(n, "category")) >= 0)
            return;
    csaf__issue_path(v, "document.notes",
                     "needs a note of category description, details, general or summary");
}

/* A reference without category is external (the schema's default). */
static void t_document_references(struct csaf_v *v)
{
    const cJSON *refs = csaf__arr(document(v), "references");
    for (const cJSON *r = refs ? refs->child : NULL; r; r = r->next) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(r, "category");
        if (cJSON_IsObject(r) &&
            (!c || (cJSON_IsString(c) && strcmp(c->valuestring, "external") == 0)))
            return;
    }
    csaf__issue_path(v, "document.references", "needs a reference of category external");
}

static void t_no_vulnerabilities(struct csaf_v *v)
{
    if (has_member(v->doc, "vulnerabilities"))
        csaf__issue_path(v, "vulnerabilities",
                         "an informational advisory has no vulnerabilities (use csaf_base or "
                         "csaf_security_advisory)");
}

static void t_product_tree(struct csaf_v *v)
{
    if (!has_member(v->doc, "product_tree"))
        csaf__issue_path(v, "product_tree", "is required in a document of category %s",
                         v->category);
}

static void need_member(struct csaf_v *v, const cJSON *vu, void *arg)
{
    const char *key = arg;
    if (!has_member(vu, key))
        csaf__issue(v, key, "is required in each vulnerability of a document of category %s",
                    v->category);
}

static void t_vulnerability_notes(struct csaf_v *v)
{
    each_vuln(v, need_member, "notes");
}

static void t_product_status(struct csaf_v *v)
{
    each_vuln(v, need_member, "product_status");
}

static void vex_status(struct csaf_v *v, const cJSON *vu, void *arg)
{
    RB_UNUSED(arg);
    const cJSON *ps = csaf__obj(vu, "product_status");
    if (has_member(ps, "fixed") || has_member(ps, "known_affected") ||
        has_member(ps, "known_not_affected") || has_member(ps, "under_investigation"))
        return;
    csaf__issue(v, "product_status",
                "needs one of fixed, known_affected, known_not_affected or under_investigation");
}

static void t_vex_status(struct csaf_v *v)
{
    each_vuln(v, vex_status, NULL);
}

static void vuln_id(struct csaf_v *v, const cJSON *vu, void *arg)
{
    RB_UNUSED(arg);
    if (!has_member(vu, "cve") && !has_member(vu, "ids"))
        csaf__issue(v, NULL, "needs a cve or ids");
}

static void t_vuln_id(struct csaf_v *v)
{
    each_vuln(v, vuln_id, NULL);
}

/* Reports each product of status group `member` of vu that set s does not hold. */
static void uncovered(struct csaf_v *v, const cJSON *vu, const char *member,
                      const struct csaf_set *s, const char *fmt)
{
    const cJSON *ps = csaf__obj(vu, "product_status");
    const cJSON *arr = csaf__arr(ps, member);
    if (!arr)
        return;
    size_t m0 = csaf__push(v, "product_status");
    size_t m1 = csaf__push(v, member);
    int i = 0;
    EACH_ITEM(arr, p, i)
    {
        const char *id = csaf__strv(p);
        if (!id || csaf__set_has(s, id))
            continue;
        size_t m2 = csaf__push_index(v, i);
        csaf__issue(v, NULL, fmt, id);
        csaf__pop(v, m2);
    }
    csaf__pop(v, m1);
    csaf__pop(v, m0);
}

static void impact_statement(struct csaf_v *v, const cJSON *vu, void *arg)
{
    RB_UNUSED(arg);
    struct csaf_set s, t;
    covered_by(v, vu, "flags", &s, NULL);
    covered_by(v, vu, "threats", &t, "impact");
    for (size_t i = 0; i < t.cap; i++)
        if (t.slots[i])
            csaf__set_add(v, &s, t.slots[i]);
    uncovered(v, vu, "known_not_affected", &s,
              "product \"%.100s\" is not affected, but no flag or impact threat says why");
}

static void t_impact_statement(struct csaf_v *v)
{
    each_vuln(v, impact_statement, NULL);
}

static void action_statement(struct csaf_v *v, const cJSON *vu, void *arg)
{
    RB_UNUSED(arg);
    struct csaf_set s;
    covered_by(v, vu, "remediations", &s, NULL);
    uncovered(v, vu, "known_affected", &s,
              "product \"%.100s\" is affected, but no remediation says what to do");
}

static void t_action_statement(struct csaf_v *v)
{
    each_vuln(v, action_statement, NULL);
}

static void t_vulnerabilities(struct csaf_v *v)
{
    if (!has_member(v->doc, "vulnerabilities"))
        csaf__issue_path(v, "vulnerabilities", "is required in a document of category %s",
                         v->category);
}

/* ---- 6.1.28 - 6.1.33 ---- */

static void t_translation(struct csaf_v *v)
{
    const char *lang = csaf__str(document(v), "lang");
    const char *src = csaf__str(document(v), "source_lang");
    if (lang && src && strcasecmp(lang, src) == 0)
        csaf__issue_path(v, "document.source_lang",
                         "is %.40s, the document's language too: a translation changes the "
                         "language",
                         src);
}

static void needs_products(struct csaf_v *v, const cJSON *it, int i, void *arg)
{
    RB_UNUSED(i);
    if (!has_member(it, "product_ids") && !has_member(it, "group_ids"))
        csaf__issue(v, NULL, "names no product: give product_ids or group_ids (%s)",
                    (const char *)arg);
}

static void remediation_refs(struct csaf_v *v, const cJSON *vu, void *arg)
{
    RB_UNUSED(arg);
    csaf__each_item(v, vu, "remediations", needs_products, "to whom it applies");
}

static void t_remediation_refs(struct csaf_v *v)
{
    each_vuln(v, remediation_refs, NULL);
}

static void t_mixed_versioning(struct csaf_v *v)
{
    const cJSON *t = tracking(v);
    struct csaf_version ver;
    int ints = 0, sems = 0;
    const char *version = csaf__str(t, "version");
    if (version && csaf__version(version, &ver)) {
        if (ver.semver)
            sems++;
        else
            ints++;
    }
    const cJSON *arr = csaf__arr(t, "revision_history");
    for (const cJSON *it = arr ? arr->child : NULL; it; it = it->next) {
        const char *n = csaf__str(it, "number");
        if (n && csaf__version(n, &ver)) {
            if (ver.semver)
                sems++;
            else
                ints++;
        }
    }
    if (ints && sems)
        csaf__issue_path(v, "document.tracking",
                         "the version and the revision history mix integer versions (%d) and "
                         "semantic versions (%d): use one scheme",
                         ints, sems);
}

/* 6.1.31 as CSAF 2.1 words it (the 2.0 corpus judges so: "after-eight" is a version): the
 * operators anywhere, the keywords as whole words between white space. */
static void version_range(struct csaf_v *v, const cJSON *b, void *arg)
{
    RB_UNUSED(arg);
    static const char *const words[] = {"after", "all",   "before",   "earlier",
                                        "later", "prior", "versions", NULL};
    const char *cat = csaf__str(b, "category");
    const char *name = csaf__str(b, "name");
    if (!cat || !name || strcmp(cat, "product_version") != 0)
        return;
    const char *found = strchr(name, '<') ? "<" : strchr(name, '>') ? ">" : NULL;
    for (const char *p = name; *p && !found;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        size_t n = 0;
        while (p[n] && !isspace((unsigned char)p[n]))
            n++;
        for (int i = 0; words[i] && !found; i++)
            if (strlen(words[i]) == n && strncasecmp(p, words[i], n) == 0)
                found = words[i];
        p += n;
    }
    if (found)
        csaf__issue(v, "name",
                    "\"%.100s\" looks like a version range (it has \"%s\"): use category "
                    "product_version_range",
                    name, found);
}

static void t_version_range(struct csaf_v *v)
{
    csaf__each_branch(v, version_range, NULL);
}

static void flag_refs(struct csaf_v *v, const cJSON *vu, void *arg)
{
    RB_UNUSED(arg);
    csaf__each_item(v, vu, "flags", needs_products, "which products the flag is for");
}

static void t_flag_refs(struct csaf_v *v)
{
    each_vuln(v, flag_refs, NULL);
}

/* 6.1.33: every flag label of CSAF 2.0 is a VEX justification code. */
static void flags_per_product(struct csaf_v *v, const cJSON *vu, void *arg)
{
    RB_UNUSED(arg);
    const cJSON *flags = csaf__arr(vu, "flags");
    if (!flags)
        return;
    struct csaf_set seen;
    csaf__set_init(&seen);
    size_t m0 = csaf__push(v, "flags");
    int i = 0;
    EACH_ITEM(flags, f, i)
    {
        struct csaf_set mine;
        csaf__set_init(&mine);
        add_covered(v, &mine, f);
        for (size_t k = 0; k < mine.cap; k++) {
            const char *id = mine.slots[k];
            if (!id)
                continue;
            if (csaf__set_has(&seen, id)) {
                size_t m1 = csaf__push_index(v, i);
                csaf__issue(v, NULL,
                            "product \"%.100s\" already has a flag (directly or through a group): "
                            "one VEX justification per product",
                            id);
                csaf__pop(v, m1);
            }
        }
        for (size_t k = 0; k < mine.cap; k++)
            if (mine.slots[k])
                csaf__set_add(v, &seen, mine.slots[k]);
    }
    csaf__pop(v, m0);
}

static void t_flags_per_product(struct csaf_v *v)
{
    each_vuln(v, flags_per_product, NULL);
}

/* ---- optional tests (6.2) ---- */

static void mark_used(struct csaf_v *v, const char *id, void *arg)
{
    csaf__set_add(v, arg, id);
}

static void unused(struct csaf_v *v, const cJSON *fpn, void *arg)
{
    const char *id = csaf__str(fpn, "product_id");
    if (id && !csaf__set_has(arg, id))
        csaf__issue(v, "product_id", "product \"%.100s\" is defined but never referred to", id);
}

static void t_unused_product(struct csaf_v *v)
{
    if (v->category && strcmp(v->category, "csaf_informational_advisory") == 0)
        return;
    struct csaf_set used;
    csaf__set_init(&used);
    csaf__each_product_ref(v, mark_used, &used);
    csaf__each_fpn(v, unused, &used);
}

static void missing_remediation(struct csaf_v *v, const cJSON *vu, void *arg)
{
    RB_UNUSED(arg);
    struct csaf_set s;
    covered_by(v, vu, "remediations", &s, NULL);
    static const char *const members[] = {"first_affected", "known_affected", "last_affected",
                                          "under_investigation"};
    for (size_t k = 0; k < RB_ARRAY_LEN(members); k++)
        uncovered(v, vu, members[k], &s, "product \"%.100s\" has no remediation");
}

static void t_missing_remediation(struct csaf_v *v)
{
    each_vuln(v, missing_remediation, NULL);
}

static void missing_score(struct csaf_v *v, const cJSON *vu, void *arg)
{
    RB_UNUSED(arg);
    struct csaf_set s;
    csaf__set_init(&s);
    const cJSON *scores = csaf__arr(vu, "scores");
    for (const cJSON *sc = scores ? scores->child : NULL; sc; sc = sc->next) {
        const cJSON *ps = csaf__arr(sc, "products");
        for (const cJSON *p = ps ? ps->child : NULL; p; p = p->next)
            csaf__set_add(v, &s, csaf__strv(p));
    }
    static const char *const members[] = {"first_affected", "known_affected", "last_affected"};
    for (size_t k = 0; k < RB_ARRAY_LEN(members); k++)
        uncovered(v, vu, members[k], &s, "product \"%.100s\" is affected but has no score");
}

static void t_missing_score(struct csaf_v *v)
{
    each_vuln(v, missing_score, NULL);
}

static void build_in_history(struct csaf_v *v, const cJSON *it, int i, void *arg)
{
    RB_UNUSED(i);
    RB_UNUSED(arg);
    const char *number = csaf__str(it, "number");
    struct csaf_version ver;
    if (number && csaf__version(number, &ver) && ver.build)
        csaf__issue(v, "number", "%.40s has build metadata (+%.*s)", number, (int)ver.build_len,
                    ver.build);
}

static void t_build_metadata(struct csaf_v *v)
{
    each_history_item(v, build_in_history, NULL);
}

static void release_vs_history(struct csaf_v *v, const char *key, bool oldest)
{
    struct history h;
    const char *s = csaf__str(tracking(v), key);
    struct csaf_time t;
    if (!s || !csaf__time(s, &t) || !read_history(v, &h))
        return;
    /* read_history sorts by date: the oldest first, the newest last. */
    const struct csaf_time *edge = oldest ? &h.items[0].date : &h.items[h.n - 1].date;
    if (csaf__time_cmp(&t, edge) < 0) {
        char path[CSAF_PATH_MAX];
        rb_fmt(path, sizeof(path), "document.tracking.%s", key);
        csaf__issue_path(v, path, "%.40s is older than the %s item of the revision history", s,
                         oldest ? "oldest" : "newest");
    }
}

static void t_initial_release(struct csaf_v *v)
{
    release_vs_history(v, "initial_release_date", true);
}

static void t_current_release(struct csaf_v *v)
{
    release_vs_history(v, "current_release_date", false);
}

static void involvement_date(struct csaf_v *v, const cJSON *it, int i, void *arg)
{
    RB_UNUSED(i);
    RB_UNUSED(arg);
    if (!has_member(it, "date"))
        csaf__issue(v, NULL, "has no date");
}

static void involvement_dates(struct csaf_v *v, const cJSON *vu, void *arg)
{
    RB_UNUSED(arg);
    csaf__each_item(v, vu, "involvements", involvement_date, NULL);
}

static void t_involvement_date(struct csaf_v *v)
{
    each_vuln(v, involvement_dates, NULL);
}

static void only_algorithm(struct csaf_v *v, const cJSON *fpn, void *arg)
{
    const char *weak = arg;
    const cJSON *pih = csaf__obj(fpn, "product_identification_helper");
    const cJSON *hashes = csaf__arr(pih, "hashes");
    int i = 0;
    EACH_ITEM(hashes, h, i)
    {
        const cJSON *fh = csaf__arr(h, "file_hashes");
        bool only = fh && fh->child;
        for (const cJSON *x = fh ? fh->child : NULL; x; x = x->next) {
            const char *alg = csaf__str(x, "algorithm");
            only = only && alg && strcasecmp(alg, weak) == 0;
        }
        if (only) {
            char path[CSAF_PATH_MAX];
            rb_fmt(path, sizeof(path), "%s.product_identification_helper.hashes[%d].file_hashes",
                   v->d.path, i);
            csaf__issue_path(v, path, "%s is the only hash algorithm: add a stronger one", weak);
        }
    }
}

static void t_md5(struct csaf_v *v)
{
    csaf__each_fpn(v, only_algorithm, "md5");
}

static void t_sha1(struct csaf_v *v)
{
    csaf__each_fpn(v, only_algorithm, "sha1");
}

static void t_tlp(struct csaf_v *v)
{
    static const char *const labels[] = {"AMBER", "GREEN", "RED", "WHITE", NULL};
    const char *label =
        csaf__str(csaf__obj(csaf__obj(document(v), "distribution"), "tlp"), "label");
    if (rb_name_index(labels, label) < 0)
        csaf__issue_path(v, "document.distribution.tlp.label", "the document has no TLP label");
}

static void t_canonical_url(struct csaf_v *v)
{
    const char *id = csaf__str(tracking(v), "id");
    if (!id)
        return;
    char file[300];
    csaf_file_name(id, file, sizeof(file));
    size_t flen = strlen(file);
    const cJSON *refs = csaf__arr(document(v), "references");
    for (const cJSON *r = refs ? refs->child : NULL; r; r = r->next) {
        const char *cat = csaf__str(r, "category"), *url = csaf__str(r, "url");
        if (!cat || !url || strcmp(cat, "self") != 0 || strncmp(url, "https://", 8) != 0)
            continue;
        size_t ulen = strlen(url);
        if (ulen > flen && url[ulen - flen - 1] == '/' && strcmp(url + ulen - flen, file) == 0)
            return;
    }
    csaf__issue_path(v, "document.references",
                     "no reference of category self is the canonical URL (https://.../%s)", file);
}

static void t_missing_lang(struct csaf_v *v)
{
    if (!csaf__str(document(v), "lang"))
        csaf__issue_path(v, "document.lang", "the document's language is not given");
}

/* 6.2.13: keys compared by their UTF-8 bytes, which orders them by code point. */
static void sorted_keys(struct csaf_v *v, const cJSON *node)
{
    if (cJSON_IsArray(node)) {
        int i = 0;
        for (const cJSON *it = node->child; it; it = it->next, i++) {
            size_t m = csaf__push_index(v, i);
            sorted_keys(v, it);
            csaf__pop(v, m);
        }
        return;
    }
    if (!cJSON_IsObject(node))
        return;
    for (const cJSON *m = node->child; m; m = m->next) {
        if (m->next && strcmp(m->string, m->next->string) > 0)
            csaf__issue(v, m->next->string, "\"%.60s\" comes after \"%.60s\": keys are not sorted",
                        m->next->string, m->string);
        size_t mark = csaf__push(v, m->string);
        sorted_keys(v, m);
        csaf__pop(v, mark);
    }
}

static void t_sorting(struct csaf_v *v)
{
    sorted_keys(v, v->doc);
}

/* What private-use part language tag s has, or NULL: a language qaa-qtz, a script Qaaa-Qabx, a
 * region AA, QM-QZ, XA-XZ or ZZ, or a private-use sequence (x-...). */
static const char *private_part(const char *s)
{
    if (!csaf__is_lang(s))
        return NULL;
    int pos = 0;
    for (const char *p = s;; pos++) {
        size_t n = strcspn(p, "-");
        char a = (char)tolower((unsigned char)p[0]),
             b = n > 1 ? (char)tolower((unsigned char)p[1]) : 0,
             c = n > 2 ? (char)tolower((unsigned char)p[2]) : 0,
             d = n > 3 ? (char)tolower((unsigned char)p[3]) : 0;
        if (n == 1 && a == 'x')
            return "a private-use sequence (x-...)";
        if (n == 1 && pos > 0)
            return NULL; /* an extension: what follows is not a language, script or region */
        if (pos == 0 && n == 1 && a == 'i')
            return NULL;
        if (pos == 0 && n == 3 && a == 'q' && b >= 'a' && b <= 't')
            return "a private-use language (qaa-qtz)";
        if (pos > 0 && n == 4 && a == 'q' && b == 'a' &&
            ((c >= 'a' && c < 'b') || (c == 'b' && d >= 'a' && d <= 'x')))
            return "a private-use script (Qaaa-Qabx)";
        if (pos > 0 && n == 2 &&
            ((a == 'a' && b == 'a') || (a == 'q' && b >= 'm') || a == 'x' ||
             (a == 'z' && b == 'z')))
            return "a private-use region (AA, QM-QZ, XA-XZ, ZZ)";
        if (p[n] == '\0')
            return NULL;
        p += n + 1;
    }
}

static void private_lang(struct csaf_v *v, const char *key)
{
    const char *s = csaf__str(document(v), key);
    const char *what = s ? private_part(s) : NULL;
    if (what) {
        char path[64];
        rb_fmt(path, sizeof(path), "document.%s", key);
        csaf__issue_path(v, path, "\"%.40s\" has %s", s, what);
    }
}

static void t_private_lang(struct csaf_v *v)
{
    private_lang(v, "lang");
    private_lang(v, "source_lang");
}

static void default_lang(struct csaf_v *v, const char *key)
{
    const char *s = csaf__str(document(v), key);
    if (s && strcasecmp(s, "i-default") == 0) {
        char path[64];
        rb_fmt(path, sizeof(path), "document.%s", key);
        csaf__issue_path(v, path, "is i-default: name the actual language");
    }
}

static void t_default_lang(struct csaf_v *v)
{
    default_lang(v, "lang");
    default_lang(v, "source_lang");
}

static void pih_present(struct csaf_v *v, const cJSON *fpn, void *arg)
{
    RB_UNUSED(arg);
    if (!has_member(fpn, "product_identification_helper"))
        csaf__issue(v, NULL, "product \"%.100s\" has no product_identification_helper",
                    csaf__str(fpn, "product_id") ? csaf__str(fpn, "product_id") : "");
}

static void t_missing_pih(struct csaf_v *v)
{
    csaf__each_fpn(v, pih_present, NULL);
}

bool csaf_is_cve_id(const char *s)
{
    if (!s || strncmp(s, "CVE-", 4) != 0)
        return false;
    for (int i = 4; i < 8; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    if (s[8] != '-')
        return false;
    size_t n = strlen(s + 9);
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[9 + i]))
            return false;
    return n >= 4;
}

static void cve_in_id(struct csaf_v *v, const cJSON *it, int i, void *arg)
{
    RB_UNUSED(i);
    RB_UNUSED(arg);
    const char *text = csaf__str(it, "text");
    if (csaf_is_cve_id(text))
        csaf__issue(v, "text", "%.40s is a CVE id: give it as the vulnerability's cve", text);
}

static void cve_in_ids(struct csaf_v *v, const cJSON *vu, void *arg)
{
    RB_UNUSED(arg);
    csaf__each_item(v, vu, "ids", cve_in_id, NULL);
}

static void t_cve_in_ids(struct csaf_v *v)
{
    each_vuln(v, cve_in_ids, NULL);
}

/* ^vers:[a-z\.\-\+][a-z0-9\.\-\+]*\/.+ */
static bool vers_ok(const char *s)
{
    if (strncmp(s, "vers:", 5) != 0)
        return false;
    const char *p = s + 5;
    if (!((*p >= 'a' && *p <= 'z') || (*p && strchr(".-+", *p))))
        return false;
    p++;
    while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || (*p && strchr(".-+", *p)))
        p++;
    return *p == '/' && p[1] != '\0' && p[1] != '\n' && p[1] != '\r';
}

static void range_vers(struct csaf_v *v, const cJSON *b, void *arg)
{
    RB_UNUSED(arg);
    const char *cat = csaf__str(b, "category");
    const char *name = csaf__str(b, "name");
    if (cat && name && strcmp(cat, "product_version_range") == 0 && !vers_ok(name))
        csaf__issue(v, "name", "\"%.100s\" is not a vers range (vers:type/constraints)", name);
}

static void t_range_vers(struct csaf_v *v)
{
    csaf__each_branch(v, range_vers, NULL);
}

/* Completes a parsed vector with the properties of the metrics it leaves out, and scores it
 * again. */
static void with_properties(const cJSON *cvss, struct parsed_cvss *p)
{
    const struct cvss_metric_info *table = p->v3 ? cvss3_metrics : cvss2_metrics;
    int count = p->v3 ? CVSS3__COUNT : CVSS2__COUNT;
    int *vals = p->v3 ? p->c3.v : p->c2.v;
    for (int m = 0; m < count; m++) {
        const char *given = csaf__str(cvss, table[m].json);
        for (int k = 0; given && vals[m] < 0 && k < table[m].nvalues; k++)
            if (strcmp(table[m].names[k], given) == 0)
                vals[m] = k;
    }
    if (p->v3)
        cvss3_score(&p->c3, &p->s);
    else
        cvss2_score(&p->c2, &p->s);
}

/* 6.2.19: a score that covers a fixed product must have environmental score 0: computed from
 * the vector, and the environmentalScore member when given. */
static void fixed_scores(struct csaf_v *v, const cJSON *vu, void *arg)
{
    RB_UNUSED(arg);
    struct csaf_set fixed;
    csaf__set_init(&fixed);
    const cJSON *ps = csaf__obj(vu, "product_status");
    static const char *const members[] = {"first_fixed", "fixed"};
    for (size_t k = 0; k < RB_ARRAY_LEN(members); k++) {
        const cJSON *arr = csaf__arr(ps, members[k]);
        for (const cJSON *p = arr ? arr->child : NULL; p; p = p->next)
            csaf__set_add(v, &fixed, csaf__strv(p));
    }
    if (!fixed.n)
        return;
    const cJSON *scores = csaf__arr(vu, "scores");
    size_t m0 = csaf__push(v, "scores");
    int i = 0;
    EACH_ITEM(scores, sc, i)
    {
        const char *hit = NULL;
        const cJSON *prods = csaf__arr(sc, "products");
        for (const cJSON *p = prods ? prods->child : NULL; p && !hit; p = p->next)
            if (csaf__set_has(&fixed, csaf__strv(p)))
                hit = csaf__strv(p);
        if (!hit)
            continue;
        size_t m1 = csaf__push_index(v, i);
        static const char *const keys[] = {"cvss_v2", "cvss_v3"};
        for (int k = 0; k < 2; k++) {
            const cJSON *c = csaf__obj(sc, keys[k]);
            if (!c)
                continue;
            struct parsed_cvss pc;
            rb_errinfo ei;
            const cJSON *env = cJSON_GetObjectItemCaseSensitive(c, "environmentalScore");
            bool zero = parse_cvss(c, k == 1, &pc, &ei);
            if (zero) {
                with_properties(c, &pc);
                zero = pc.s.environmental == 0.0;
            }
            if (cJSON_IsNumber(env) && env->valuedouble != 0.0)
                zero = false;
            if (!zero)
                csaf__issue(v, keys[k],
                            "applies to fixed product \"%.100s\", but its environmental score "
                            "is not 0",
                            hit);
        }
        csaf__pop(v, m1);
    }
    csaf__pop(v, m0);
}

static void t_fixed_scores(struct csaf_v *v)
{
    each_vuln(v, fixed_scores, NULL);
}

/* 6.2.20 runs inside the schema pass (csaf_schema.c), which knows every defined member. */

/* ---- the table ---- */

static const char *const cat_info_ir[] = {"csaf_informational_advisory",
                                          "csaf_security_incident_response", NULL};
static const char *const cat_info[] = {"csaf_informational_advisory", NULL};
static const char *const cat_sa_vex[] = {"csaf_security_advisory", "csaf_vex", NULL};
static const char *const cat_sa[] = {"csaf_security_advisory", NULL};
static const char *const cat_vex[] = {"csaf_vex", NULL};

struct test_row {
    struct csaf_test_info info;
    void (*run)(struct csaf_v *v);
    const char *const *categories; /* NULL: every document */
};

#define M(id, title, fn)                                                                           \
    {                                                                                              \
        {id, title, true, true}, fn, NULL                                                          \
    }
#define MC(id, title, fn, cats)                                                                    \
    {                                                                                              \
        {id, title, true, true}, fn, cats                                                          \
    }
#define O(id, title, fn)                                                                           \
    {                                                                                              \
        {id, title, false, true}, fn, NULL                                                         \
    }

static const struct test_row tests[] = {
    M("6.1.1", "Missing Definition of Product ID", t_missing_product),
    M("6.1.2", "Multiple Definition of Product ID", t_multiple_product),
    M("6.1.3", "Circular Definition of Product ID", t_circular),
    M("6.1.4", "Missing Definition of Product Group ID", t_missing_group),
    M("6.1.5", "Multiple Definition of Product Group ID", t_multiple_group),
    M("6.1.6", "Contradicting Product Status", t_contradicting),
    M("6.1.7", "Multiple Scores with same Version per Product", t_same_version),
    M("6.1.8", "Invalid CVSS", NULL), /* in the schema pass */
    M("6.1.9", "Invalid CVSS computation", t_computation),
    M("6.1.10", "Inconsistent CVSS", t_consistency),
    M("6.1.11", "CWE", t_cwe),
    M("6.1.12", "Language", t_language),
    M("6.1.13", "PURL", t_purl),
    M("6.1.14", "Sorted Revision History", t_sorted_history),
    M("6.1.15", "Translator", t_translator),
    M("6.1.16", "Latest Document Version", t_latest_version),
    M("6.1.17", "Document Status Draft", t_status_draft),
    M("6.1.18", "Released Revision History", t_released_history),
    M("6.1.19", "Revision History Entries for Pre-release Versions", t_prerelease_history),
    M("6.1.20", "Non-draft Document Version", t_nondraft_version),
    M("6.1.21", "Missing Item in Revision History", t_missing_history_item),
    M("6.1.22", "Multiple Definition in Revision History", t_history_dup),
    M("6.1.23", "Multiple Use of Same CVE", t_same_cve),
    M("6.1.24", "Multiple Definition in Involvements", t_involvements),
    M("6.1.25", "Multiple Use of Same Hash Algorithm", t_hash_algorithm),
    M("6.1.26", "Prohibited Document Category Name", t_category_name),
    MC("6.1.27.1", "Document Notes", t_document_notes, cat_info_ir),
    MC("6.1.27.2", "Document References", t_document_references, cat_info_ir),
    MC("6.1.27.3", "Vulnerabilities", t_no_vulnerabilities, cat_info),
    MC("6.1.27.4", "Product Tree", t_product_tree, cat_sa_vex),
    MC("6.1.27.5", "Vulnerability Notes", t_vulnerability_notes, cat_sa_vex),
    MC("6.1.27.6", "Product Status", t_product_status, cat_sa),
    MC("6.1.27.7", "VEX Product Status", t_vex_status, cat_vex),
    MC("6.1.27.8", "Vulnerability ID", t_vuln_id, cat_vex),
    MC("6.1.27.9", "Impact Statement", t_impact_statement, cat_vex),
    MC("6.1.27.10", "Action Statement", t_action_statement, cat_vex),
    MC("6.1.27.11", "Vulnerabilities", t_vulnerabilities, cat_sa_vex),
    M("6.1.28", "Translation", t_translation),
    M("6.1.29", "Remediation without Product Reference", t_remediation_refs),
    M("6.1.30", "Mixed Integer and Semantic Versioning", t_mixed_versioning),
    M("6.1.31", "Version Range in Product Version", t_version_range),
    M("6.1.32", "Flag without Product Reference", t_flag_refs),
    M("6.1.33", "Multiple Flags with VEX Justification Codes per Product", t_flags_per_product),
    O("6.2.1", "Unused Definition of Product ID", t_unused_product),
    O("6.2.2", "Missing Remediation", t_missing_remediation),
    O("6.2.3", "Missing Score", t_missing_score),
    O("6.2.4", "Build Metadata in Revision History", t_build_metadata),
    O("6.2.5", "Older Initial Release Date than Revision History", t_initial_release),
    O("6.2.6", "Older Current Release Date than Revision History", t_current_release),
    O("6.2.7", "Missing Date in Involvements", t_involvement_date),
    O("6.2.8", "Use of MD5 as the only Hash Algorithm", t_md5),
    O("6.2.9", "Use of SHA-1 as the only Hash Algorithm", t_sha1),
    O("6.2.10", "Missing TLP label", t_tlp),
    O("6.2.11", "Missing Canonical URL", t_canonical_url),
    O("6.2.12", "Missing Document Language", t_missing_lang),
    O("6.2.13", "Sorting", t_sorting),
    O("6.2.14", "Use of Private Language", t_private_lang),
    O("6.2.15", "Use of Default Language", t_default_lang),
    O("6.2.16", "Missing Product Identification Helper", t_missing_pih),
    O("6.2.17", "CVE in field IDs", t_cve_in_ids),
    O("6.2.18", "Product Version Range without vers", t_range_vers),
    O("6.2.19", "CVSS for Fixed Products", t_fixed_scores),
    O("6.2.20", "Additional Properties", NULL), /* in the schema pass */
};

void csaf__tests(struct csaf_v *v, unsigned flags)
{
    for (size_t i = 0; i < RB_ARRAY_LEN(tests) && !v->rc; i++) {
        const struct test_row *t = &tests[i];
        if (!t->run || (!t->info.mandatory && !(flags & CSAF_OPTIONAL)))
            continue;
        if (t->categories && rb_name_index(t->categories, v->category) < 0)
            continue;
        v->test = t->info.id;
        v->warning = !t->info.mandatory;
        size_t mark = v->d.len;
        t->run(v);
        csaf__pop(v, mark);
    }
    v->warning = false;
}

size_t csaf_test_count(void)
{
    return RB_ARRAY_LEN(tests);
}

const struct csaf_test_info *csaf_test(size_t i)
{
    return i < RB_ARRAY_LEN(tests) ? &tests[i].info : NULL;
}
