/*
 * oscal_schema.c - what NIST's OSCAL 1.1.2 JSON schemas require of a catalog or a profile, so
 * that what rabta imports it can export valid (docs/decisions.md, 73).
 *
 * One walk over the model's object, after the field rules (oscal.c) checked every string:
 *
 *   members   each object whose model rabta knows (the tables below: a catalog, profile,
 *             metadata, group, control, part, parameter, property, link, import, selector,
 *             merge, modify, back-matter) may hold only the schema's members, and must hold its
 *             required ones; objects elsewhere (parties, roles, alters...) are walked for the
 *             rules by name only;
 *   by name   a "uuid" (and "*-uuid", each of "*-uuids") is a version 4 or 5 UUID (the schema's
 *             UUIDDatatype); ids, names, classes and the other token members match the
 *             TokenDatatype pattern (a letter or "_", then letters, digits, ".", "-", "_"; any
 *             non-ASCII character counts as a letter, where the schema says \p{L} and \p{N});
 *             "last-modified" and "published" are date-times with a time zone; an "href" is a
 *             URI reference (no space, no control character) and an "ns" a URI (a scheme).
 *
 * Every refusal names the JSON path ("catalog.groups[0].controls[1].links[0].href").
 * Must never: recurse deeper than the document (the parser capped its nesting).
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/utf8.h"
#include "formats/oscal_int.h"

enum kind {
    K_NONE = 0,
    K_CATALOG,
    K_PROFILE,
    K_META,
    K_GROUP,
    K_CONTROL,
    K_PART,
    K_PARAM,
    K_PROP,
    K_LINK,
    K_BACK,
    K_IMPORT,
    K_SELECT,
    K_MERGE,
    K_MODIFY,
};

struct child {
    const char *key;
    enum kind kind; /* of the object, or of each object of the array, under key */
};

struct model {
    const char *const *members; /* NULL-terminated: every member the schema allows */
    const char *const *required;
    const struct child *children; /* ends with a NULL key */
};

#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})
#define CHILDREN(...) ((const struct child[]){__VA_ARGS__, {NULL, K_NONE}})
#define NESTED                                                                                     \
    {"props", K_PROP},                                                                             \
    {                                                                                              \
        "links", K_LINK                                                                            \
    }

static const struct model models[] = {
    [K_CATALOG] = {LIST("uuid", "metadata", "params", "controls", "groups", "back-matter"),
                   LIST("uuid", "metadata"),
                   CHILDREN({"metadata", K_META}, {"params", K_PARAM}, {"controls", K_CONTROL},
                            {"groups", K_GROUP}, {"back-matter", K_BACK})},
    [K_PROFILE] = {LIST("uuid", "metadata", "imports", "merge", "modify", "back-matter"),
                   LIST("uuid", "metadata", "imports"),
                   CHILDREN({"metadata", K_META}, {"imports", K_IMPORT}, {"merge", K_MERGE},
                            {"modify", K_MODIFY}, {"back-matter", K_BACK})},
    [K_META] = {LIST("title", "published", "last-modified", "version", "oscal-version", "revisions",
                     "document-ids", "props", "links", "roles", "locations", "parties",
                     "responsible-parties", "actions", "remarks"),
                LIST("title", "last-modified", "version", "oscal-version"), CHILDREN(NESTED)},
    [K_GROUP] = {LIST("id", "class", "title", "params", "props", "links", "parts", "groups",
                      "controls"),
                 LIST("title"),
                 CHILDREN(NESTED, {"params", K_PARAM}, {"parts", K_PART}, {"groups", K_GROUP},
                          {"controls", K_CONTROL})},
    [K_CONTROL] = {LIST("id", "class", "title", "params", "props", "links", "parts", "controls"),
                   LIST("id", "title"),
                   CHILDREN(NESTED, {"params", K_PARAM}, {"parts", K_PART},
                            {"controls", K_CONTROL})},
    [K_PART] = {LIST("id", "name", "ns", "class", "title", "props", "prose", "parts", "links"),
                LIST("name"), CHILDREN(NESTED, {"parts", K_PART})},
    [K_PARAM] = {LIST("id", "class", "depends-on", "props", "links", "label", "usage",
                      "constraints", "guidelines", "values", "select", "remarks"),
                 LIST("id"), CHILDREN(NESTED)},
    [K_PROP] = {LIST("name", "uuid", "ns", "value", "class", "group", "remarks"),
                LIST("name", "value"), NULL},
    [K_LINK] = {LIST("href", "rel", "media-type", "resource-fragment", "text"), LIST("href"), NULL},
    [K_BACK] = {LIST("resources"), NULL, NULL},
    [K_IMPORT] = {LIST("href", "include-all", "include-controls", "exclude-controls"), LIST("href"),
                  CHILDREN({"include-controls", K_SELECT}, {"exclude-controls", K_SELECT})},
    [K_SELECT] = {LIST("with-child-controls", "with-ids", "matching"), NULL, NULL},
    [K_MERGE] = {LIST("combine", "flat", "as-is", "custom"), NULL, NULL},
    [K_MODIFY] = {LIST("set-parameters", "alters"), NULL, NULL},
};

/* Members whose value (or each value, for an array) is a TokenDatatype. */
static const char *const token_members[] = {
    "id",
    "name",
    "class",
    "param-id",
    "control-id",
    "by-id",
    "by-name",
    "by-item-name",
    "by-class",
    "with-ids",
    "with-child-controls",
    "role-id",
    "rel",
    "how-many",
    "order",
    "depends-on",
    "position",
    "combine",
    NULL,
};

/* Members that are always one string. */
static const char *const string_members[] = {
    "uuid", "href", "ns", "title", "last-modified", "published", "oscal-version", "version", NULL};

/* Members that are always arrays. */
static const char *const array_members[] = {
    "params",           "controls",         "groups",    "props",    "links",  "parts", "imports",
    "include-controls", "exclude-controls", "resources", "with-ids", "rlinks", NULL};

static bool listed(const char *const *list, const char *s)
{
    for (; list && *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

static bool is_alpha(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* ^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$ */
static bool is_token(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (!is_alpha(*p) && *p != '_')
        return false;
    for (p++; *p; p++)
        if (!is_alpha(*p) && !is_digit(*p) && *p != '.' && *p != '-' && *p != '_')
            return false;
    return true;
}

/* A version 4 or 5 UUID (8-4-4-4-12 hex, the version digit 4 or 5, the variant 8, 9, a or b). */
static bool is_oscal_uuid(const char *s)
{
    return rb_uuid_valid(s) && (s[14] == '4' || s[14] == '5') && strchr("89abAB", s[19]) &&
           s[19] != '\0';
}

static bool digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!is_digit((unsigned char)s[i]))
            return false;
    return true;
}

/* YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM), fields in range. */
static bool is_date_time(const char *s)
{
    if (strlen(s) < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2) || s[10] != 'T' || !digits(s + 11, 2) || s[13] != ':' ||
        !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
        return false;
    int mo = (s[5] - '0') * 10 + s[6] - '0', d = (s[8] - '0') * 10 + s[9] - '0';
    int h = (s[11] - '0') * 10 + s[12] - '0', mi = (s[14] - '0') * 10 + s[15] - '0';
    int sec = (s[17] - '0') * 10 + s[18] - '0';
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59)
        return false;
    const char *p = s + 19;
    if (*p == '.') {
        if (!is_digit((unsigned char)p[1]))
            return false;
        for (p++; is_digit((unsigned char)*p); p++)
            ;
    }
    if (strcmp(p, "Z") == 0)
        return true;
    return (p[0] == '+' || p[0] == '-') && digits(p + 1, 2) && p[3] == ':' && digits(p + 4, 2) &&
           p[6] == '\0';
}

static bool no_space(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7f)
            return false;
    return true;
}

/* scheme ":" ... with no space */
static bool is_uri(const char *s)
{
    const char *p = s;
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
        return false;
    while (*p && *p != ':' &&
           (is_alpha((unsigned char)*p) || is_digit((unsigned char)*p) || *p == '+' || *p == '.' ||
            *p == '-'))
        p++;
    return *p == ':' && no_space(s);
}

/* The rules by name of one string member (or one item of an array member) key, in an object of
 * a model of the tables (in_model) or not: "name" is a token in parts and props, but a party's
 * name is a string. */
static int check_string(rj_doc *d, const char *key, const char *v, bool in_model)
{
    if ((strcmp(key, "uuid") == 0 || ends_with(key, "-uuid") || ends_with(key, "-uuids")) &&
        !is_oscal_uuid(v))
        return rjd_err(d, RB_EINVAL, NULL,
                       "\"%s\" must be a UUID of version 4 or 5, as OSCAL requires (8-4-4-4-12 "
                       "hex digits, the 13th digit 4 or 5); \"%.*s\" is not",
                       key, RB_CUT(v, 40));
    if (listed(token_members, key) && (in_model || strcmp(key, "name") != 0) && v[0] &&
        !is_token(v))
        return rjd_err(d, RB_EINVAL, NULL,
                       "\"%s\" must be an OSCAL token (a letter or \"_\", then letters, digits, "
                       "\".\", \"-\" or \"_\"); \"%.*s\" is not",
                       key, RB_CUT(v, 60));
    if ((strcmp(key, "last-modified") == 0 || strcmp(key, "published") == 0) && !is_date_time(v))
        return rjd_err(d, RB_EINVAL, NULL,
                       "\"%.*s\" is not a date-time with a time zone (2026-03-01T09:00:00Z)",
                       RB_CUT(v, 40));
    if (strcmp(key, "href") == 0 && !no_space(v))
        return rjd_err(d, RB_EINVAL, NULL,
                       "\"%.*s\" is not a URI reference: a space or control character must be "
                       "percent-encoded (%%20)",
                       RB_CUT(v, 80));
    if (strcmp(key, "ns") == 0 && !is_uri(v))
        return rjd_err(d, RB_EINVAL, NULL,
                       "\"%.*s\" is not a URI (a namespace names its scheme: https://...)",
                       RB_CUT(v, 80));
    return 0;
}

static int walk(rj_doc *d, const cJSON *node, enum kind k);
static bool listed(const char *const *list, const char *s);

/* One member: the rules by name on strings, then its objects walked as their kind. */
static int member(rj_doc *d, const cJSON *v, const char *key, enum kind child, bool in_model)
{
    int rc = 0;
    if (cJSON_IsString(v))
        return check_string(d, key, v->valuestring, in_model);
    if (cJSON_IsObject(v) && listed(array_members, key))
        return rjd_err(d, RB_EINVAL, NULL, "\"%s\" must be an array", key);
    if (cJSON_IsObject(v))
        return walk(d, v, child);
    if (!cJSON_IsArray(v))
        return 0;
    int i = 0;
    for (const cJSON *e = v->child; e && !rc; e = e->next, i++) {
        size_t mark = rjd_push_index(d, i);
        if (cJSON_IsString(e))
            rc = check_string(d, key, e->valuestring, in_model);
        else if (cJSON_IsObject(e))
            rc = walk(d, e, child);
        rjd_pop(d, mark);
    }
    return rc;
}

/* Whether v is a string or an array of strings: checked before the objects below it, so that a
 * document's first problem is named at the shallowest place. */
static bool flat(const cJSON *v)
{
    return !cJSON_IsObject(v) && !(cJSON_IsArray(v) && cJSON_IsObject(v->child));
}

/* One pass over node's members: the flat ones (pass 0) or those holding objects (pass 1). */
static int members_pass(rj_doc *d, const cJSON *node, const struct model *m, int pass)
{
    int rc = 0;
    for (const cJSON *c = node->child; c && !rc; c = c->next) {
        if (flat(c) != (pass == 0))
            continue;
        if (pass == 0 && listed(string_members, c->string) && !cJSON_IsString(c))
            return rjd_err(d, RB_EINVAL, c->string, "\"%.*s\" must be a string",
                           RB_CUT(c->string, 60));
        enum kind child = K_NONE;
        for (const struct child *ch = m ? m->children : NULL; ch && ch->key; ch++)
            if (strcmp(ch->key, c->string) == 0)
                child = ch->kind;
        size_t mark = rjd_push(d, c->string);
        rc = member(d, c, c->string, child, m != NULL);
        rjd_pop(d, mark);
    }
    return rc;
}

/* node as a model of kind k: its own strings, then its required and allowed members, then the
 * objects below it, so that the first problem is named at the shallowest place. */
static int walk(rj_doc *d, const cJSON *node, enum kind k)
{
    const struct model *m = k != K_NONE ? &models[k] : NULL;
    int rc = members_pass(d, node, m, 0);
    if (rc)
        return rc;
    for (const char *const *r = m ? m->required : NULL; r && *r; r++)
        if (!cJSON_GetObjectItemCaseSensitive(node, *r))
            return rjd_err(d, RB_EINVAL, *r, "missing required \"%s\" (OSCAL 1.1.2)", *r);
    if (m && m->members)
        for (const cJSON *c = node->child; c; c = c->next)
            if (!listed(m->members, c->string))
                return rjd_err(d, RB_EINVAL, c->string,
                               "\"%.*s\" is not a member OSCAL 1.1.2 allows here",
                               RB_CUT(c->string, 60));
    return members_pass(d, node, m, 1);
}

int oscal__check_schema(rj_doc *d, const cJSON *body, const char *model)
{
    return walk(d, body,
                strcmp(model, "catalog") == 0   ? K_CATALOG
                : strcmp(model, "profile") == 0 ? K_PROFILE
                                                : K_NONE);
}
