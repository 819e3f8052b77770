/*
 * csaf_schema.c - the rules of the CSAF 2.0 JSON schema (csaf_json_schema.json, JSON Schema
 * 2020-12) and of the FIRST CVSS v2.0 / v3.0 / v3.1 JSON schemas it refers to, written as
 * tables of nodes and checked by one small evaluator.
 *
 * A node is what one subschema says of a value: its type, and per type the keywords the CSAF
 * schema uses (properties, required, minProperties/maxProperties; items, minItems,
 * uniqueItems; minLength, enum, pattern, format). Every $ref of the schema is a pointer to the
 * node of its $defs entry, so the tables below read in the schema's own order. The schema has
 * no additionalProperties: members it does not define are allowed here too (test 6.2.20 reports
 * them). The nine patterns are hand-written matchers (the regular expressions are ECMA-262,
 * which <regex.h> does not speak): each says in its comment which pattern it is, including where
 * the schema's pattern is anchored at one end only.
 *
 * The CVSS objects are checked by cvss_v2()/cvss_v3() against the FIRST schemas' rules, with
 * the metric tables of formats/cvss.h (the JSON enums are the metric value names), and filed
 * under test 6.1.8.
 *
 * Must never recurse deeper than the document (branches nest; the parser caps the nesting) or
 * report one wrong value twice.
 */
#include "base/common.h"
#include "base/utf8.h"
#include "formats/csaf_int.h"
#include "formats/cvss.h"

#include <math.h>

enum sk_kind { SK_OBJ, SK_ARR, SK_STR, SK_CVSS_V2, SK_CVSS_V3 };
enum sk_fmt { FMT_NONE = 0, FMT_DATE_TIME, FMT_URI };
enum sk_pat {
    PAT_NONE = 0,
    PAT_LANG,     /* lang_t */
    PAT_VERSION,  /* version_t */
    PAT_CPE,      /* product_identification_helper.cpe */
    PAT_CVE,      /* vulnerabilities[].cve */
    PAT_CWE,      /* vulnerabilities[].cwe.id */
    PAT_HEX,      /* file_hashes[].value */
    PAT_TRIMMED,  /* tracking.id: ^[\S](.*[\S])?$ */
    PAT_CATEGORY, /* document.category: ^[^\s\-_\.](.*[^\s\-_\.])?$ */
    PAT_PURL,     /* product_identification_helper.purl */
};

struct sk_node;
struct sk_prop {
    const char *name;
    const struct sk_node *node;
};

struct sk_node {
    enum sk_kind kind;
    /* objects */
    const struct sk_prop *props; /* ends with a NULL name */
    const char *const *required; /* NULL-terminated */
    int min_props, max_props;    /* 0: no bound */
    const char *props_hint;      /* said when the member count is out of bounds */
    /* arrays */
    const struct sk_node *items;
    int min_items;
    bool unique;
    /* strings */
    int min_len; /* in characters */
    const char *const *enums;
    enum sk_fmt fmt;
    enum sk_pat pat;
};

#define REQ(...) ((const char *const[]){__VA_ARGS__, NULL})
#define ENUM(...) ((const char *const[]){__VA_ARGS__, NULL})
#define PROPS(...) ((const struct sk_prop[]){__VA_ARGS__, {NULL, NULL}})

/* ---- the schema ----
 *
 * One node per subschema, named after its place; a node is defined before the nodes that use it
 * (branches_t and full_product_name_t refer to each other, hence the two declarations). */

#define STR_ENUM(name, ...)                                                                        \
    static const struct sk_node name = {.kind = SK_STR, .enums = ENUM(__VA_ARGS__)}
#define ARRAY_OF(name, item)                                                                       \
    static const struct sk_node name = {.kind = SK_ARR, .min_items = 1, .items = &(item)}

static const struct sk_node str1 = {.kind = SK_STR, .min_len = 1};
static const struct sk_node uri = {.kind = SK_STR, .fmt = FMT_URI};
static const struct sk_node date_time = {.kind = SK_STR, .fmt = FMT_DATE_TIME};
ARRAY_OF(strs1, str1);
static const struct sk_node strs1_unique = {
    .kind = SK_ARR, .items = &str1, .min_items = 1, .unique = true};
ARRAY_OF(uris, uri);

/* $defs/acknowledgments_t */
static const struct sk_node acknowledgment = {
    .kind = SK_OBJ,
    .min_props = 1,
    .props = PROPS({"names", &strs1}, {"organization", &str1}, {"summary", &str1}, {"urls", &uris}),
};
ARRAY_OF(acknowledgments_t, acknowledgment);

/* $defs/full_product_name_t and its product_identification_helper */
static const struct sk_node hash_value = {.kind = SK_STR, .pat = PAT_HEX, .min_len = 32};
static const struct sk_node file_hash = {
    .kind = SK_OBJ,
    .required = REQ("algorithm", "value"),
    .props = PROPS({"algorithm", &str1}, {"value", &hash_value}),
};
ARRAY_OF(file_hashes, file_hash);
static const struct sk_node hash = {
    .kind = SK_OBJ,
    .required = REQ("file_hashes", "filename"),
    .props = PROPS({"file_hashes", &file_hashes}, {"filename", &str1}),
};
ARRAY_OF(hashes, hash);
static const struct sk_node cpe = {.kind = SK_STR, .pat = PAT_CPE, .min_len = 5};
static const struct sk_node purl = {.kind = SK_STR, .fmt = FMT_URI, .pat = PAT_PURL, .min_len = 7};
static const struct sk_node generic_uri = {
    .kind = SK_OBJ,
    .required = REQ("namespace", "uri"),
    .props = PROPS({"namespace", &uri}, {"uri", &uri}),
};
ARRAY_OF(generic_uris, generic_uri);
static const struct sk_node product_identification_helper = {
    .kind = SK_OBJ,
    .min_props = 1,
    .props = PROPS({"cpe", &cpe}, {"hashes", &hashes}, {"model_numbers", &strs1_unique},
                   {"purl", &purl}, {"sbom_urls", &uris}, {"serial_numbers", &strs1_unique},
                   {"skus", &strs1}, {"x_generic_uris", &generic_uris}),
};
/* product_id_t and product_group_id_t are non-empty strings (str1). */
static const struct sk_node full_product_name_t = {
    .kind = SK_OBJ,
    .required = REQ("name", "product_id"),
    .props = PROPS({"name", &str1}, {"product_id", &str1},
                   {"product_identification_helper", &product_identification_helper}),
};

/* $defs/branches_t */
static const struct sk_node branches_t;
STR_ENUM(branch_category, "architecture", "host_name", "language", "legacy", "patch_level",
         "product_family", "product_name", "product_version", "product_version_range",
         "service_pack", "specification", "vendor");
static const struct sk_node branch = {
    .kind = SK_OBJ,
    .min_props = 3,
    .max_props = 3,
    .props_hint = "category, name, and either branches or product",
    .required = REQ("category", "name"),
    .props = PROPS({"branches", &branches_t}, {"category", &branch_category}, {"name", &str1},
                   {"product", &full_product_name_t}),
};
static const struct sk_node branches_t = {.kind = SK_ARR, .min_items = 1, .items = &branch};

/* $defs/lang_t, notes_t, products_t, product_groups_t, references_t, version_t */
static const struct sk_node lang_t = {.kind = SK_STR, .pat = PAT_LANG};
STR_ENUM(note_category, "description", "details", "faq", "general", "legal_disclaimer", "other",
         "summary");
static const struct sk_node note = {
    .kind = SK_OBJ,
    .required = REQ("category", "text"),
    .props =
        PROPS({"audience", &str1}, {"category", &note_category}, {"text", &str1}, {"title", &str1}),
};
ARRAY_OF(notes_t, note);
static const struct sk_node products_t = {
    .kind = SK_ARR, .min_items = 1, .unique = true, .items = &str1};
#define product_groups_t products_t /* the same rules: a unique list of ids */
STR_ENUM(reference_category, "external", "self");
static const struct sk_node reference = {
    .kind = SK_OBJ,
    .required = REQ("summary", "url"),
    .props = PROPS({"category", &reference_category}, {"summary", &str1}, {"url", &uri}),
};
ARRAY_OF(references_t, reference);
static const struct sk_node version_t = {.kind = SK_STR, .pat = PAT_VERSION};

/* properties/document */
static const struct sk_node aggregate_severity = {
    .kind = SK_OBJ,
    .required = REQ("text"),
    .props = PROPS({"namespace", &uri}, {"text", &str1}),
};
static const struct sk_node document_category = {.kind = SK_STR, .pat = PAT_CATEGORY, .min_len = 1};
STR_ENUM(csaf_version, "2.0");
STR_ENUM(tlp_label, "AMBER", "GREEN", "RED", "WHITE");
static const struct sk_node tlp = {
    .kind = SK_OBJ,
    .required = REQ("label"),
    .props = PROPS({"label", &tlp_label}, {"url", &uri}),
};
static const struct sk_node distribution = {
    .kind = SK_OBJ,
    .min_props = 1,
    .props = PROPS({"text", &str1}, {"tlp", &tlp}),
};
STR_ENUM(publisher_category, "coordinator", "discoverer", "other", "translator", "user", "vendor");
static const struct sk_node publisher = {
    .kind = SK_OBJ,
    .required = REQ("category", "name", "namespace"),
    .props = PROPS({"category", &publisher_category}, {"contact_details", &str1},
                   {"issuing_authority", &str1}, {"name", &str1}, {"namespace", &uri}),
};
static const struct sk_node engine = {
    .kind = SK_OBJ,
    .required = REQ("name"),
    .props = PROPS({"name", &str1}, {"version", &str1}),
};
static const struct sk_node generator = {
    .kind = SK_OBJ,
    .required = REQ("engine"),
    .props = PROPS({"date", &date_time}, {"engine", &engine}),
};
static const struct sk_node tracking_id = {.kind = SK_STR, .pat = PAT_TRIMMED, .min_len = 1};
static const struct sk_node revision = {
    .kind = SK_OBJ,
    .required = REQ("date", "number", "summary"),
    .props = PROPS({"date", &date_time}, {"legacy_version", &str1}, {"number", &version_t},
                   {"summary", &str1}),
};
ARRAY_OF(revision_history, revision);
STR_ENUM(tracking_status, "draft", "final", "interim");
static const struct sk_node tracking = {
    .kind = SK_OBJ,
    .required = REQ("current_release_date", "id", "initial_release_date", "revision_history",
                    "status", "version"),
    .props = PROPS({"aliases", &strs1_unique}, {"current_release_date", &date_time},
                   {"generator", &generator}, {"id", &tracking_id},
                   {"initial_release_date", &date_time}, {"revision_history", &revision_history},
                   {"status", &tracking_status}, {"version", &version_t}),
};
static const struct sk_node document = {
    .kind = SK_OBJ,
    .required = REQ("category", "csaf_version", "publisher", "title", "tracking"),
    .props =
        PROPS({"acknowledgments", &acknowledgments_t}, {"aggregate_severity", &aggregate_severity},
              {"category", &document_category}, {"csaf_version", &csaf_version},
              {"distribution", &distribution}, {"lang", &lang_t}, {"notes", &notes_t},
              {"publisher", &publisher}, {"references", &references_t}, {"source_lang", &lang_t},
              {"title", &str1}, {"tracking", &tracking}),
};

/* properties/product_tree */
ARRAY_OF(full_product_names, full_product_name_t);
static const struct sk_node group_products = {
    .kind = SK_ARR, .min_items = 2, .unique = true, .items = &str1};
static const struct sk_node product_group = {
    .kind = SK_OBJ,
    .required = REQ("group_id", "product_ids"),
    .props = PROPS({"group_id", &str1}, {"product_ids", &group_products}, {"summary", &str1}),
};
ARRAY_OF(product_groups, product_group);
STR_ENUM(relationship_category, "default_component_of", "external_component_of", "installed_on",
         "installed_with", "optional_component_of");
static const struct sk_node relationship = {
    .kind = SK_OBJ,
    .required =
        REQ("category", "full_product_name", "product_reference", "relates_to_product_reference"),
    .props =
        PROPS({"category", &relationship_category}, {"full_product_name", &full_product_name_t},
              {"product_reference", &str1}, {"relates_to_product_reference", &str1}),
};
ARRAY_OF(relationships, relationship);
static const struct sk_node product_tree = {
    .kind = SK_OBJ,
    .min_props = 1,
    .props = PROPS({"branches", &branches_t}, {"full_product_names", &full_product_names},
                   {"product_groups", &product_groups}, {"relationships", &relationships}),
};

/* properties/vulnerabilities */
static const struct sk_node cve = {.kind = SK_STR, .pat = PAT_CVE};
static const struct sk_node cwe_id = {.kind = SK_STR, .pat = PAT_CWE};
static const struct sk_node cwe = {
    .kind = SK_OBJ,
    .required = REQ("id", "name"),
    .props = PROPS({"id", &cwe_id}, {"name", &str1}),
};
STR_ENUM(flag_label, "component_not_present", "inline_mitigations_already_exist",
         "vulnerable_code_cannot_be_controlled_by_adversary", "vulnerable_code_not_in_execute_path",
         "vulnerable_code_not_present");
static const struct sk_node flag = {
    .kind = SK_OBJ,
    .required = REQ("label"),
    .props = PROPS({"date", &date_time}, {"group_ids", &product_groups_t}, {"label", &flag_label},
                   {"product_ids", &products_t}),
};
static const struct sk_node flags = {
    .kind = SK_ARR, .min_items = 1, .unique = true, .items = &flag};
static const struct sk_node id = {
    .kind = SK_OBJ,
    .required = REQ("system_name", "text"),
    .props = PROPS({"system_name", &str1}, {"text", &str1}),
};
static const struct sk_node ids = {.kind = SK_ARR, .min_items = 1, .unique = true, .items = &id};
STR_ENUM(involvement_party, "coordinator", "discoverer", "other", "user", "vendor");
STR_ENUM(involvement_status, "completed", "contact_attempted", "disputed", "in_progress",
         "not_contacted", "open");
static const struct sk_node involvement = {
    .kind = SK_OBJ,
    .required = REQ("party", "status"),
    .props = PROPS({"date", &date_time}, {"party", &involvement_party},
                   {"status", &involvement_status}, {"summary", &str1}),
};
static const struct sk_node involvements = {
    .kind = SK_ARR, .min_items = 1, .unique = true, .items = &involvement};
static const struct sk_node product_status = {
    .kind = SK_OBJ,
    .min_props = 1,
    .props = PROPS({"first_affected", &products_t}, {"first_fixed", &products_t},
                   {"fixed", &products_t}, {"known_affected", &products_t},
                   {"known_not_affected", &products_t}, {"last_affected", &products_t},
                   {"recommended", &products_t}, {"under_investigation", &products_t}),
};
STR_ENUM(remediation_category, "mitigation", "no_fix_planned", "none_available", "vendor_fix",
         "workaround");
STR_ENUM(restart_category, "connected", "dependencies", "machine", "none", "parent", "service",
         "system", "vulnerable_component", "zone");
static const struct sk_node restart_required = {
    .kind = SK_OBJ,
    .required = REQ("category"),
    .props = PROPS({"category", &restart_category}, {"details", &str1}),
};
static const struct sk_node remediation = {
    .kind = SK_OBJ,
    .required = REQ("category", "details"),
    .props =
        PROPS({"category", &remediation_category}, {"date", &date_time}, {"details", &str1},
              {"entitlements", &strs1}, {"group_ids", &product_groups_t},
              {"product_ids", &products_t}, {"restart_required", &restart_required}, {"url", &uri}),
};
ARRAY_OF(remediations, remediation);
static const struct sk_node cvss_v2_node = {.kind = SK_CVSS_V2};
static const struct sk_node cvss_v3_node = {.kind = SK_CVSS_V3}; /* oneOf v3.0, v3.1 */
static const struct sk_node score = {
    .kind = SK_OBJ,
    .min_props = 2,
    .props_hint = "products and at least one score",
    .required = REQ("products"),
    .props =
        PROPS({"cvss_v2", &cvss_v2_node}, {"cvss_v3", &cvss_v3_node}, {"products", &products_t}),
};
ARRAY_OF(scores, score);
STR_ENUM(threat_category, "exploit_status", "impact", "target_set");
static const struct sk_node threat = {
    .kind = SK_OBJ,
    .required = REQ("category", "details"),
    .props = PROPS({"category", &threat_category}, {"date", &date_time}, {"details", &str1},
                   {"group_ids", &product_groups_t}, {"product_ids", &products_t}),
};
ARRAY_OF(threats, threat);
static const struct sk_node vulnerability = {
    .kind = SK_OBJ,
    .min_props = 1,
    .props = PROPS({"acknowledgments", &acknowledgments_t}, {"cve", &cve}, {"cwe", &cwe},
                   {"discovery_date", &date_time}, {"flags", &flags}, {"ids", &ids},
                   {"involvements", &involvements}, {"notes", &notes_t},
                   {"product_status", &product_status}, {"references", &references_t},
                   {"release_date", &date_time}, {"remediations", &remediations},
                   {"scores", &scores}, {"threats", &threats}, {"title", &str1}),
};
ARRAY_OF(vulnerabilities, vulnerability);

/* the document */
static const struct sk_node root = {
    .kind = SK_OBJ,
    .required = REQ("document"),
    .props = PROPS({"document", &document}, {"product_tree", &product_tree},
                   {"vulnerabilities", &vulnerabilities}),
};

/* ---- patterns ---- */

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}
static bool is_alnum(char c)
{
    return is_alpha(c) || is_digit(c);
}

/* Whether s[0..n) is all of a class. */
static bool all(const char *s, size_t n, bool (*cls)(char))
{
    for (size_t i = 0; i < n; i++)
        if (!cls(s[i]))
            return false;
    return true;
}

bool csaf__is_lang(const char *s)
{
    /* lang_t: langtag | privateuse ([Xx](-[A-Za-z0-9]{1,8})+) | i-default | i-mingo. Subtags
     * are told apart by length and position, so one pass in order decides. */
    if (strcasecmp(s, "i-default") == 0 || strcasecmp(s, "i-mingo") == 0)
        return true;
    enum { LANG, EXTLANG, SCRIPT, REGION, VARIANT, EXT, EXT_SUB, PRIV, PRIV_SUB } st = LANG;
    int extlangs = 0;
    bool short_lang = false;
    const char *p = s;
    for (;;) {
        size_t n = strcspn(p, "-");
        if (n == 0 || n > 8 || !all(p, n, is_alnum))
            return false;
        if (st == LANG) {
            if ((n == 1) && (*p == 'x' || *p == 'X')) {
                st = PRIV;
            } else if (n >= 2 && n <= 8 && all(p, n, is_alpha)) {
                short_lang = n <= 3;
                st = short_lang ? EXTLANG : SCRIPT;
            } else {
                return false;
            }
        } else if (st == PRIV || st == PRIV_SUB) {
            st = PRIV_SUB; /* 1-8 alphanumerics, checked above */
        } else if (st == EXT && n >= 2) {
            st = EXT_SUB;
        } else if (st == EXT) {
            return false; /* a singleton right after a singleton */
        } else if (n == 1) {
            if (*p == 'x' || *p == 'X')
                st = PRIV;
            else if (st == EXT_SUB || st <= VARIANT)
                st = EXT;
            else
                return false;
        } else if (st == EXT_SUB) {
            /* another subtag of the extension: 2-8 alphanumerics */
        } else if (st == EXTLANG && n == 3 && all(p, n, is_alpha) && extlangs < 3) {
            extlangs++;
        } else if (st <= SCRIPT && n == 4 && all(p, n, is_alpha)) {
            st = REGION;
        } else if (st <= REGION &&
                   ((n == 2 && all(p, n, is_alpha)) || (n == 3 && all(p, n, is_digit)))) {
            st = VARIANT;
        } else if (st <= VARIANT && ((n >= 5) || (n == 4 && is_digit(*p)))) {
            st = VARIANT;
        } else {
            return false;
        }
        if (p[n] == '\0')
            break;
        p += n + 1;
    }
    /* A singleton or "x" must be followed by at least one subtag. */
    return st != EXT && st != PRIV;
}

static bool version_ok(const char *s)
{
    struct csaf_version ver;
    return csaf__version(s, &ver);
}

/* CPE 2.3 (formatted string) component: ((\?*|\*?)(plain|\\escaped)+(\?*|\*?)) | [*-]. Returns
 * the length matched at s, 0 when none. */
static size_t cpe23_component(const char *s)
{
    static const char escapable[] = "\\*?!\"#$%&'()+,/:;<=>@[]^`{|}~";
    size_t i = 0;
    if (s[i] == '*')
        i++;
    else
        while (s[i] == '?')
            i++;
    size_t body = 0;
    for (;;) {
        if (is_alnum(s[i]) || s[i] == '-' || s[i] == '.' || s[i] == '_') {
            i++;
            body++;
        } else if (s[i] == '\\' && s[i + 1] && strchr(escapable, s[i + 1])) {
            i += 2;
            body++;
        } else {
            break;
        }
    }
    if (body == 0)
        return (s[0] == '*' || s[0] == '-') ? 1 : 0;
    if (s[i] == '*')
        i++;
    else
        while (s[i] == '?')
            i++;
    return i;
}

/* The cpe pattern is `^(cpe:2\.3:...{4})|(cpe:/...{0,6})$`: the top-level alternation anchors
 * the 2.3 form at the start only and the 2.2 form at the end only, and so does this. */
static bool cpe_ok(const char *s)
{
    if (strncmp(s, "cpe:2.3:", 8) == 0 && s[8] && strchr("aho*-", s[8])) {
        const char *p = s + 9;
        bool ok = true;
        for (int k = 0; k < 10 && ok; k++) {
            if (*p != ':') {
                ok = false;
                break;
            }
            p++;
            if (k == 5) { /* language: [a-zA-Z]{2,3}(-([a-zA-Z]{2}|[0-9]{3}))? or [*-] */
                size_t n = 0;
                while (is_alpha(p[n]) && n < 3)
                    n++;
                if (n >= 2) {
                    if (p[n] == '-' && is_alpha(p[n + 1]) && is_alpha(p[n + 2]) && p[n + 3] == ':')
                        n += 3;
                    else if (p[n] == '-' && is_digit(p[n + 1]) && is_digit(p[n + 2]) &&
                             is_digit(p[n + 3]) && p[n + 4] == ':')
                        n += 4;
                } else if (*p == '*' || *p == '-') {
                    n = 1;
                } else {
                    ok = false;
                }
                p += n;
            } else {
                size_t n = cpe23_component(p);
                if (n == 0)
                    ok = false;
                p += n;
            }
        }
        if (ok)
            return true;
    }
    /* 2.2: c[pP][eE]:/[AHOaho]?(:[A-Za-z0-9\._\-~%]*){0,6}$ anywhere ending at the end. */
    for (const char *p = strchr(s, 'c'); p; p = strchr(p + 1, 'c')) {
        if (!((p[1] == 'p' || p[1] == 'P') && (p[2] == 'e' || p[2] == 'E') && p[3] == ':' &&
              p[4] == '/'))
            continue;
        const char *q = p + 5;
        if (*q && strchr("AHOaho", *q))
            q++;
        int groups = 0;
        while (*q == ':' && groups < 6) {
            q++;
            groups++;
            while (is_alnum(*q) || (*q && strchr("._-~%", *q)))
                q++;
        }
        if (*q == '\0')
            return true;
    }
    return false;
}

static bool cve_ok(const char *s)
{
    if (strncmp(s, "CVE-", 4) != 0 || !all(s + 4, 4, is_digit) || s[8] != '-')
        return false;
    size_t n = strlen(s + 9);
    return n >= 4 && all(s + 9, n, is_digit);
}

static bool cwe_ok(const char *s)
{
    if (strncmp(s, "CWE-", 4) != 0 || s[4] < '1' || s[4] > '9')
        return false;
    size_t n = strlen(s + 4);
    return n <= 6 && all(s + 4, n, is_digit);
}

static bool is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool hex_ok(const char *s)
{
    size_t n = strlen(s);
    return n >= 32 && all(s, n, is_hex);
}

/* ECMA-262 \s: white space and line terminators. */
static bool js_space(uint32_t c)
{
    return c == 0x09 || c == 0x0a || c == 0x0b || c == 0x0c || c == 0x0d || c == 0x20 ||
           c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
           c == 0x202f || c == 0x205f || c == 0x3000 || c == 0xfeff;
}

static bool js_line_terminator(uint32_t c)
{
    return c == 0x0a || c == 0x0d || c == 0x2028 || c == 0x2029;
}

/* ^[^\s X](.*[^\s X])?$ where X is `also` (extra ASCII characters refused at both ends): the
 * first and last characters are neither white space nor in `also`, and `.` matches no line
 * terminator in between. */
static bool trimmed_ok(const char *s, const char *also)
{
    size_t len = strlen(s);
    if (len == 0)
        return false;
    uint32_t cp = 0, first = 0, last = 0;
    size_t i = 0;
    bool have_first = false;
    while (i < len) {
        size_t n = rb_utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return false;
        if (!have_first) {
            first = cp;
            have_first = true;
        } else if (js_line_terminator(cp) && i + n < len) {
            return false;
        }
        last = cp;
        i += n;
    }
    bool bad_first = js_space(first) || (first < 0x80 && strchr(also, (int)first));
    bool bad_last = js_space(last) || (last < 0x80 && strchr(also, (int)last));
    return !bad_first && !bad_last;
}

/* ^pkg:[A-Za-z\.\-\+][A-Za-z0-9\.\-\+]*\/.+ (anchored at the start only). */
static bool purl_ok(const char *s)
{
    if (strncmp(s, "pkg:", 4) != 0)
        return false;
    const char *p = s + 4;
    if (!(is_alpha(*p) || (*p && strchr(".-+", *p))))
        return false;
    p++;
    while (is_alnum(*p) || (*p && strchr(".-+", *p)))
        p++;
    if (*p != '/')
        return false;
    p++;
    uint32_t cp;
    size_t n = *p ? rb_utf8_decode(p, strlen(p), &cp) : 0;
    return n > 0 && !js_line_terminator(cp);
}

static const struct {
    bool (*ok)(const char *s);
    const char *what;
} patterns[] = {
    [PAT_NONE] = {NULL, NULL},
    [PAT_LANG] = {csaf__is_lang, "is not a language tag (BCP 47, like en or en-US)"},
    [PAT_VERSION] = {version_ok,
                     "is not a version: an integer (\"2\") or a semantic version (\"1.0.0\")"},
    [PAT_CPE] = {cpe_ok, "is not a CPE name (cpe:2.3:... or cpe:/...)"},
    [PAT_CVE] = {cve_ok, "is not a CVE id (CVE-YYYY-NNNN)"},
    [PAT_CWE] = {cwe_ok, "is not a CWE id (CWE-N)"},
    [PAT_HEX] = {hex_ok, "is not a hexadecimal hash value of at least 32 digits"},
    [PAT_TRIMMED] = {NULL, "starts or ends with white space, or has a line break"},
    [PAT_CATEGORY] = {NULL,
                      "starts or ends with white space, '-', '_' or '.', or has a line break"},
    [PAT_PURL] = {purl_ok, "is not a package URL (pkg:type/name)"},
};

static bool pattern_ok(enum sk_pat pat, const char *s)
{
    if (pat == PAT_TRIMMED)
        return trimmed_ok(s, "");
    if (pat == PAT_CATEGORY)
        return trimmed_ok(s, "-_.");
    return patterns[pat].ok(s);
}

/* ---- formats ---- */

static bool uri_char(char c)
{
    return is_alnum(c) || (c && strchr("-._~!$&'()*+,;=:@/?", c));
}

bool csaf__is_uri(const char *s)
{
    /* RFC 3986 URI: scheme ":" hier-part [ "?" query ] [ "#" fragment ]; only characters the
     * grammar allows, well-formed percent-encodings, brackets only around an IP-literal host. */
    if (!is_alpha(*s))
        return false;
    const char *p = s + 1;
    while (is_alnum(*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    if (*p != ':')
        return false;
    p++;
    bool fragment = false;
    const char *authority_end = NULL;
    if (p[0] == '/' && p[1] == '/') {
        p += 2;
        authority_end = p + strcspn(p, "/?#");
    }
    for (; *p; p++) {
        if (*p == '%') {
            if (!is_hex(p[1]) || !is_hex(p[2]))
                return false;
            p += 2;
        } else if (*p == '#') {
            if (fragment)
                return false;
            fragment = true;
        } else if (*p == '[' || *p == ']') {
            if (!authority_end || p >= authority_end)
                return false;
        } else if (!uri_char(*p)) {
            return false;
        }
    }
    return true;
}

/* ---- the evaluator ---- */

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* "a, b or c" of a NULL-terminated list, cut to fit. */
static void join(char *out, size_t size, const char *const *list)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; list[i] && len < size; i++) {
        const char *sep = i == 0 ? "" : list[i + 1] ? ", " : " or ";
        rb_fmt(out + len, size - len, "%s\"%s\"", sep, list[i]);
        len += strlen(out + len);
    }
}

static const char *type_name(const cJSON *j)
{
    if (cJSON_IsString(j))
        return "a string";
    if (cJSON_IsNumber(j))
        return "a number";
    if (cJSON_IsBool(j))
        return "a boolean";
    if (cJSON_IsNull(j))
        return "null";
    if (cJSON_IsArray(j))
        return "an array";
    if (cJSON_IsObject(j))
        return "an object";
    return "not a JSON value";
}

static void check(struct csaf_v *v, const struct sk_node *n, const cJSON *j);
static void cvss_v2(struct csaf_v *v, const cJSON *j);
static void cvss_v3(struct csaf_v *v, const cJSON *j);

/* 6.2.20: a member the schema does not define (a warning, with CSAF_OPTIONAL). */
static void additional(struct csaf_v *v, const char *key)
{
    if (!(v->flags & CSAF_OPTIONAL))
        return;
    const char *outer = v->test;
    v->test = "6.2.20";
    v->warning = true;
    csaf__issue(v, key, "\"%.60s\" is not defined by the CSAF schema", key);
    v->warning = false;
    v->test = outer;
}

static void check_string(struct csaf_v *v, const struct sk_node *n, const cJSON *j)
{
    if (!cJSON_IsString(j)) {
        csaf__issue(v, NULL, "must be a string, not %s", type_name(j));
        return;
    }
    const char *s = j->valuestring;
    if (n->min_len && chars(s) < (size_t)n->min_len) {
        if (n->min_len == 1)
            csaf__issue(v, NULL, "must not be empty");
        else
            csaf__issue(v, NULL, "must be at least %d characters long", n->min_len);
        return;
    }
    if (n->enums && rb_name_index(n->enums, s) < 0) {
        char list[256];
        join(list, sizeof(list), n->enums);
        csaf__issue(v, NULL, "\"%.64s\" is not one of %s", s, list);
        return;
    }
    if (n->fmt == FMT_DATE_TIME) {
        struct csaf_time t;
        if (!csaf__time(s, &t))
            csaf__issue(v, NULL,
                        "\"%.64s\" is not an RFC 3339 date-time (like 2024-01-31T12:00:00Z)", s);
    } else if (n->fmt == FMT_URI && !csaf__is_uri(s)) {
        csaf__issue(v, NULL, "\"%.100s\" is not a URI", s);
    }
    if (n->pat && !pattern_ok(n->pat, s))
        csaf__issue(v, NULL, "\"%.100s\" %s", s, patterns[n->pat].what);
}

/* uniqueItems: strings through a set, other items pairwise (the arrays of objects with
 * uniqueItems are short: flags, ids, involvements). */
static void check_unique(struct csaf_v *v, const cJSON *arr)
{
    struct csaf_set seen;
    csaf__set_init(&seen);
    int i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        if (cJSON_IsString(it)) {
            if (!csaf__set_add(v, &seen, it->valuestring) && !v->rc) {
                size_t m = csaf__push_index(v, i);
                csaf__issue(v, NULL, "\"%.100s\" is listed twice", it->valuestring);
                csaf__pop(v, m);
            }
            continue;
        }
        int k = 0;
        for (const cJSON *prev = arr->child; prev != it; prev = prev->next, k++) {
            if (!cJSON_IsString(prev) && cJSON_Compare(prev, it, true)) {
                size_t m = csaf__push_index(v, i);
                csaf__issue(v, NULL, "repeats item %d (the items must be unique)", k);
                csaf__pop(v, m);
                break;
            }
        }
    }
}

static void check_object(struct csaf_v *v, const struct sk_node *n, const cJSON *j)
{
    if (!cJSON_IsObject(j)) {
        csaf__issue(v, NULL, "must be an object, not %s", type_name(j));
        return;
    }
    for (int i = 0; n->required && n->required[i]; i++)
        if (!cJSON_GetObjectItemCaseSensitive(j, n->required[i]))
            csaf__issue(v, n->required[i], "missing required \"%s\"", n->required[i]);
    int count = cJSON_GetArraySize(j);
    if ((n->min_props && count < n->min_props) || (n->max_props && count > n->max_props)) {
        if (n->props_hint && n->min_props == n->max_props)
            csaf__issue(v, NULL, "must have exactly %d members (%s), not %d", n->min_props,
                        n->props_hint, count);
        else if (n->props_hint)
            csaf__issue(v, NULL, "must have at least %d members (%s)", n->min_props, n->props_hint);
        else if (count < n->min_props)
            csaf__issue(v, NULL, "must not be empty");
        else
            csaf__issue(v, NULL, "must have at most %d members", n->max_props);
    }
    for (const cJSON *m = j->child; m; m = m->next) {
        bool known = false;
        for (int p = 0; n->props && n->props[p].name; p++) {
            if (strcmp(n->props[p].name, m->string) != 0)
                continue;
            size_t mark = csaf__push(v, m->string);
            check(v, n->props[p].node, m);
            csaf__pop(v, mark);
            known = true;
            break;
        }
        if (!known)
            additional(v, m->string);
    }
}

static void check(struct csaf_v *v, const struct sk_node *n, const cJSON *j)
{
    switch (n->kind) {
    case SK_OBJ:
        check_object(v, n, j);
        break;
    case SK_ARR: {
        if (!cJSON_IsArray(j)) {
            csaf__issue(v, NULL, "must be an array, not %s", type_name(j));
            break;
        }
        int count = cJSON_GetArraySize(j);
        if (count < n->min_items) {
            if (n->min_items == 1)
                csaf__issue(v, NULL, "must not be empty (leave it out instead)");
            else
                csaf__issue(v, NULL, "must have at least %d items", n->min_items);
        }
        int i = 0;
        for (const cJSON *it = j->child; it; it = it->next, i++) {
            size_t mark = csaf__push_index(v, i);
            check(v, n->items, it);
            csaf__pop(v, mark);
        }
        if (n->unique)
            check_unique(v, j);
        break;
    }
    case SK_STR:
        check_string(v, n, j);
        break;
    case SK_CVSS_V2:
        cvss_v2(v, j);
        break;
    case SK_CVSS_V3:
        cvss_v3(v, j);
        break;
    }
}

/* ---- the FIRST CVSS schemas (test 6.1.8) ---- */

static const char *const severities[] = {"NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL", NULL};

/* A score member: a number in [0, 10]; required ones must be there. */
static void cvss_score(struct csaf_v *v, const cJSON *j, const char *key, bool required)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(j, key);
    if (!x) {
        if (required)
            csaf__issue(v, key, "missing required \"%s\"", key);
        return;
    }
    if (!cJSON_IsNumber(x))
        csaf__issue(v, key, "must be a number, not %s", type_name(x));
    else if (!(x->valuedouble >= 0.0 && x->valuedouble <= 10.0))
        csaf__issue(v, key, "%g is not a score from 0 to 10", x->valuedouble);
}

static void cvss_enum(struct csaf_v *v, const cJSON *j, const char *key, const char *const *names,
                      int count, bool required)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(j, key);
    if (!x) {
        if (required)
            csaf__issue(v, key, "missing required \"%s\"", key);
        return;
    }
    if (!cJSON_IsString(x)) {
        csaf__issue(v, key, "must be a string, not %s", type_name(x));
        return;
    }
    for (int i = 0; count < 0 ? names[i] != NULL : i < count; i++)
        if (strcmp(names[i], x->valuestring) == 0)
            return;
    char list[256];
    if (count < 0) {
        join(list, sizeof(list), names);
    } else {
        const char *tmp[CVSS_MAX_VALUES + 1];
        for (int i = 0; i < count; i++)
            tmp[i] = names[i];
        tmp[count] = NULL;
        join(list, sizeof(list), tmp);
    }
    csaf__issue(v, key, "\"%.64s\" is not one of %s", x->valuestring, list);
}

/* The vectorString pattern of the FIRST schemas: prefix, then METRIC:VALUE pairs separated by
 * "/" with known metrics and values (the schemas' pattern neither requires every base metric
 * nor forbids repeats: 6.1.9 needs a complete vector to compute). */
static bool vector_pattern_ok(const char *s, const char *prefix,
                              const struct cvss_metric_info *table, int count)
{
    size_t plen = strlen(prefix);
    if (strncmp(s, prefix, plen) != 0)
        return false;
    const char *p = s + plen;
    for (;;) {
        size_t n = strcspn(p, "/");
        const char *colon = memchr(p, ':', n);
        if (!colon)
            return false;
        int m = -1;
        for (int k = 0; k < count && m < 0; k++)
            if (strlen(table[k].key) == (size_t)(colon - p) &&
                memcmp(table[k].key, p, (size_t)(colon - p)) == 0)
                m = k;
        if (m < 0)
            return false;
        size_t vlen = n - (size_t)(colon - p) - 1;
        bool found = false;
        for (int k = 0; k < table[m].nvalues && !found; k++)
            found = strlen(table[m].codes[k]) == vlen &&
                    memcmp(table[m].codes[k], colon + 1, vlen) == 0;
        if (!found)
            return false;
        if (p[n] == '\0')
            return true;
        p += n + 1;
    }
}

bool csaf__cvss_vector_ok(const char *vector, bool v3)
{
    if (!v3)
        return vector_pattern_ok(vector, "", cvss2_metrics, CVSS2__COUNT);
    return vector_pattern_ok(vector, "CVSS:3.0/", cvss3_metrics, CVSS3__COUNT) ||
           vector_pattern_ok(vector, "CVSS:3.1/", cvss3_metrics, CVSS3__COUNT);
}

/* 6.2.20 inside a CVSS object: members its FIRST schema does not define. */
static void cvss_additional(struct csaf_v *v, const cJSON *j, const struct cvss_metric_info *table,
                            int count, bool v3)
{
    static const char *const v2_more[] = {"version",       "vectorString",       "baseScore",
                                          "temporalScore", "environmentalScore", NULL};
    static const char *const v3_more[] = {
        "version",          "vectorString",          "baseScore",
        "temporalScore",    "environmentalScore",    "baseSeverity",
        "temporalSeverity", "environmentalSeverity", NULL};
    for (const cJSON *m = j->child; m; m = m->next) {
        bool known = rb_name_index(v3 ? v3_more : v2_more, m->string) >= 0;
        for (int k = 0; k < count && !known; k++)
            known = strcmp(table[k].json, m->string) == 0;
        if (!known)
            additional(v, m->string);
    }
}

static void cvss_common(struct csaf_v *v, const cJSON *j, const char *prefix,
                        const struct cvss_metric_info *table, int count)
{
    const cJSON *vs = cJSON_GetObjectItemCaseSensitive(j, "vectorString");
    if (!vs)
        csaf__issue(v, "vectorString", "missing required \"vectorString\"");
    else if (!cJSON_IsString(vs))
        csaf__issue(v, "vectorString", "must be a string, not %s", type_name(vs));
    else if (!vector_pattern_ok(vs->valuestring, prefix, table, count))
        csaf__issue(v, "vectorString", "\"%.100s\" is not a CVSS v%.3s vector (%s%s)",
                    vs->valuestring, prefix[0] ? prefix + 5 : "2.0", prefix[0] ? prefix : "",
                    "METRIC:VALUE pairs joined by /");
    for (int m = 0; m < count; m++)
        cvss_enum(v, j, table[m].json, table[m].names, table[m].nvalues, false);
    cvss_score(v, j, "baseScore", true);
    cvss_score(v, j, "temporalScore", false);
    cvss_score(v, j, "environmentalScore", false);
}

static void cvss_v2(struct csaf_v *v, const cJSON *j)
{
    const char *outer = v->test;
    v->test = "6.1.8";
    if (!cJSON_IsObject(j)) {
        csaf__issue(v, NULL, "must be an object, not %s", type_name(j));
    } else {
        cvss_enum(v, j, "version", (const char *const[]){"2.0", NULL}, -1, true);
        cvss_common(v, j, "", cvss2_metrics, CVSS2__COUNT);
        cvss_additional(v, j, cvss2_metrics, CVSS2__COUNT, false);
    }
    v->test = outer;
}

static void cvss_v3(struct csaf_v *v, const cJSON *j)
{
    const char *outer = v->test;
    v->test = "6.1.8";
    if (!cJSON_IsObject(j)) {
        csaf__issue(v, NULL, "must be an object, not %s", type_name(j));
        v->test = outer;
        return;
    }
    /* oneOf v3.0 / v3.1: the version (or else the vector's prefix) picks the schema. */
    const char *version = csaf__str(j, "version");
    const char *vector = csaf__str(j, "vectorString");
    const char *prefix = "CVSS:3.1/";
    if (version && strcmp(version, "3.0") == 0)
        prefix = "CVSS:3.0/";
    else if (!(version && strcmp(version, "3.1") == 0) && vector &&
             strncmp(vector, "CVSS:3.0/", 9) == 0)
        prefix = "CVSS:3.0/";
    cvss_enum(v, j, "version", (const char *const[]){"3.0", "3.1", NULL}, -1, true);
    cvss_common(v, j, prefix, cvss3_metrics, CVSS3__COUNT);
    cvss_enum(v, j, "baseSeverity", severities, -1, true);
    cvss_enum(v, j, "temporalSeverity", severities, -1, false);
    cvss_enum(v, j, "environmentalSeverity", severities, -1, false);
    cvss_additional(v, j, cvss3_metrics, CVSS3__COUNT, true);
    v->test = outer;
}

void csaf__schema(struct csaf_v *v)
{
    check(v, &root, v->doc);
}
