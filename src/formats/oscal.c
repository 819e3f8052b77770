/*
 * oscal.c - what every OSCAL model shares: the field rules of OSCAL members, the document root
 * and its head. The models are in oscal_catalog.c, oscal_profile.c and oscal_results.c; the way
 * they fit together is explained atop oscal_int.h.
 *
 * Must never: let a string into the arena that skipped its field rule, or accept a document
 * before its size and nesting were checked.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "formats/oscal_int.h"
#include "json/field.h"

/* The field rule (json/field.h) of each OSCAL member rabta reads: OSCAL gives a member the same
 * meaning wherever it appears, so one row per name. Members not listed are prose. */
static const struct rjd_rule oscal_rules[] = {
    {"id", FIELD_ID},
    {"name", FIELD_ID},
    {"class", FIELD_ID},
    {"rel", FIELD_ID},
    {"how-many", FIELD_ID},
    {"with-child-controls", FIELD_ID},
    {"with-ids", FIELD_ID},
    {"uuid", FIELD_ID},
    {"title", FIELD_TITLE},
    {"label", FIELD_TITLE},
    {"text", FIELD_TITLE},
    {"href", FIELD_TITLE},
    {"ns", FIELD_TITLE},
    {"media-type", FIELD_SHORT},
    {"value", FIELD_NAME},
    {"version", FIELD_SHORT},
    {"oscal-version", FIELD_SHORT},
    {"last-modified", FIELD_SHORT},
    {NULL, FIELD_PROSE},
};

void oscal__doc_init(rj_doc *d, rb_arena *a, rb_errinfo *ei)
{
    rjd_init(d, a, oscal_rules, FIELD_PROSE, ei);
}

/* Embedded files (back-matter resources: "base64": {"value": ...}) may be as long as the
 * document. */
static bool embedded_file(const char *parent, const char *key)
{
    return parent && strcmp(parent, "base64") == 0 && strcmp(key, "value") == 0;
}

int oscal__parse_root(rj_doc *d, const char *text, size_t len, const char *model, cJSON **root,
                      cJSON **body)
{
    *body = NULL;
    int rc = rjd_parse(d, text, len, OSCAL_MAX_BYTES, OSCAL_MAX_DEPTH, root);
    if (rc)
        return rc;
    cJSON *b = cJSON_IsObject(*root) ? cJSON_GetObjectItemCaseSensitive(*root, model) : NULL;
    if (!b)
        return rjd_err(d, RB_EINVAL, model, "not an OSCAL %s: the top-level object needs \"%s\"",
                       model, model);
    if (!cJSON_IsObject(b))
        return rjd_err(d, RB_EINVAL, model, "\"%s\" must be an object", model);
    *body = b;
    rjd_push(d, model);
    /* Every string obeys at least the prose rule and every member name the title rule; members
     * rabta reads are checked again by their own, stricter rules (oscal_rules). */
    return rjd_check_tree(d, b, FIELD_TITLE, FIELD_PROSE, embedded_file);
}

int oscal__parse_head(rj_doc *d, const cJSON *body, const char **uuid, const cJSON **meta,
                      const char **title, const char **version)
{
    static const char *const mkeys[] = {"title", "version", "oscal-version", "last-modified", NULL};
    int rc;
    if ((rc = rjd_str(d, body, "uuid", RJD_REQUIRED, uuid)))
        return rc;
    if (!rb_uuid_valid(*uuid))
        return rjd_err(d, RB_EINVAL, "uuid", "\"uuid\" must be a UUID (8-4-4-4-12 hex digits)");
    if ((rc = rjd_obj(d, body, "metadata", true, meta)))
        return rc;
    size_t mark = rjd_push(d, "metadata");
    if (!(rc = rjd_unique(d, *meta, mkeys)) &&
        !(rc = rjd_str(d, *meta, "title", RJD_REQUIRED, title)))
        rc = rjd_str(d, *meta, "version", RJD_OPTIONAL, version);
    rjd_pop(d, mark);
    return rc;
}

size_t oscal__id_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)h;
}
