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
#include "base/utf8.h"
#include "formats/oscal_int.h"
#include "json/field.h"
#include "json/json.h"
#include "formats/tlp.h"

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
    rc = rjd_check_tree(d, b, FIELD_TITLE, FIELD_PROSE, embedded_file);
    /* Before the model reads the tree (it detaches what it nests). */
    return rc ? rc : oscal__check_schema(d, b, model);
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

/* ---- markings and the metadata rabta writes ---- */

const char *const oscal_roles[][2] = {
    {"assessed-organization", "The organization that assesses itself"},
    {"reviewing-cert", "The CERT that reviews the organization's self-assessment"},
    {"launching-cert", "The CERT that launched the assessment campaign"},
    {NULL, NULL},
};

const char *oscal_marking(const char *tlp_name)
{
    enum rb_tlp t = TLP_RED;
    if (!tlp_name || tlp_parse(tlp_name, &t))
        t = TLP_RED;
    return tlp_info(t)->stix_name;
}

static bool is_str(const cJSON *o, const char *key, const char *want)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && strcmp(v->valuestring, want) == 0;
}

int oscal__write_tree(const cJSON *root, rb_buf *out)
{
    rj_writer w;
    rjw_init(&w, out);
    rjw_cjson(&w, root);
    return rjw_finish(&w);
}

int oscal__mark_metadata(cJSON *meta, const char *marking)
{
    cJSON *props = cJSON_GetObjectItemCaseSensitive(meta, "props");
    if (props && !cJSON_IsArray(props)) {
        cJSON_DeleteItemFromObjectCaseSensitive(meta, "props");
        props = NULL;
    }
    if (!props && !(props = cJSON_AddArrayToObject(meta, "props")))
        return RB_ENOMEM;
    for (cJSON *p = props->child, *next; p; p = next) {
        next = p->next;
        if (is_str(p, "name", OSCAL_MARKING_NAME) && is_str(p, "class", OSCAL_MARKING_CLASS))
            cJSON_Delete(cJSON_DetachItemViaPointer(props, p));
    }
    cJSON *m = cJSON_CreateObject();
    if (!m || !cJSON_AddStringToObject(m, "name", OSCAL_MARKING_NAME) ||
        !cJSON_AddStringToObject(m, "value", marking) ||
        !cJSON_AddStringToObject(m, "class", OSCAL_MARKING_CLASS) ||
        !cJSON_InsertItemInArray(props, 0, m)) {
        cJSON_Delete(m);
        return RB_ENOMEM;
    }
    return 0;
}

int oscal_mark(const char *text, size_t len, const char *marking, rb_buf *out)
{
    if (len > OSCAL_MAX_BYTES)
        return RB_ETOOBIG;
    cJSON *root = cJSON_ParseWithLength(text, len);
    cJSON *body = cJSON_IsObject(root) ? root->child : NULL;
    cJSON *meta = cJSON_IsObject(body) ? cJSON_GetObjectItemCaseSensitive(body, "metadata") : NULL;
    int rc = RB_EINVAL;
    if (!cJSON_IsObject(meta))
        goto out;
    if (!(rc = oscal__mark_metadata(meta, marking)))
        rc = oscal__write_tree(root, out);
out:
    cJSON_Delete(root);
    return rc;
}

int oscal_marking_read(const cJSON *props, int *level, rb_errinfo *ei)
{
    int i = 0;
    for (const cJSON *p = cJSON_IsArray(props) ? props->child : NULL; p; p = p->next, i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, "value");
        if (!is_str(p, "name", OSCAL_MARKING_NAME) || !cJSON_IsString(v))
            continue;
        const char *s = v->valuestring;
        bool tlp_prefix = strncasecmp(s, "TLP:", 4) == 0;
        if (!tlp_prefix && !is_str(p, "class", OSCAL_MARKING_CLASS))
            continue;
        enum rb_tlp t;
        char field[40];
        rb_fmt(field, sizeof(field), "props[%d].value", i);
        if (tlp_parse(tlp_prefix ? s + 4 : s, &t))
            return rb_err(ei, RB_EINVAL, field,
                          "the TLP marking \"%.*s\" names no TLP level (TLP:CLEAR, TLP:GREEN, "
                          "TLP:AMBER, TLP:AMBER+STRICT, TLP:RED)",
                          RB_CUT(s, 40));
        *level = (int)t;
        return 1;
    }
    return 0;
}

void oscal__write_prop(rj_writer *w, const char *name, const char *ns, const char *value,
                       const char *class_)
{
    rjw_obj(w);
    rjw_kstr(w, "name", name);
    if (ns)
        rjw_kstr(w, "ns", ns);
    rjw_kstr(w, "value", value);
    if (class_)
        rjw_kstr(w, "class", class_);
    rjw_obj_end(w);
}

static const char *role_title(const char *id)
{
    for (int i = 0; oscal_roles[i][0]; i++)
        if (strcmp(oscal_roles[i][0], id) == 0)
            return oscal_roles[i][1];
    return id;
}

/* Whether party i plays a role no party before it plays. */
static bool first_of_role(const struct oscal_meta *m, int i)
{
    const char *r = m->parties[i].role_id;
    for (int k = 0; r && k < i; k++)
        if (m->parties[k].role_id && strcmp(m->parties[k].role_id, r) == 0)
            return false;
    return r != NULL;
}

/* One object per role, from the party that first plays it, in that order: {id, title} in
 * "roles", or {role-id, party-uuids: every party that plays it} in "responsible-parties". Nothing
 * when no party has a role (OSCAL arrays are never empty). */
static void write_roles(rj_writer *w, const struct oscal_meta *m, bool responsible)
{
    bool any = false;
    for (int i = 0; i < m->nparties; i++) {
        const char *r = m->parties[i].role_id;
        if (!first_of_role(m, i))
            continue;
        if (!any) {
            rjw_karr(w, responsible ? "responsible-parties" : "roles");
            any = true;
        }
        rjw_obj(w);
        if (responsible) {
            rjw_kstr(w, "role-id", r);
            rjw_karr(w, "party-uuids");
            for (int k = i; k < m->nparties; k++)
                if (m->parties[k].role_id && strcmp(m->parties[k].role_id, r) == 0)
                    rjw_str(w, m->parties[k].uuid);
            rjw_arr_end(w);
        } else {
            rjw_kstr(w, "id", r);
            rjw_kstr(w, "title", role_title(r));
        }
        rjw_obj_end(w);
    }
    if (any)
        rjw_arr_end(w);
}

void oscal__write_meta(rj_writer *w, const struct oscal_meta *m)
{
    rjw_kobj(w, "metadata");
    rjw_kstr(w, "title", m->title);
    rjw_kstr(w, "last-modified", m->last_modified);
    rjw_kstr(w, "version", m->version);
    rjw_kstr(w, "oscal-version", "1.1.2");
    if (m->marking) {
        rjw_karr(w, "props");
        oscal__write_prop(w, OSCAL_MARKING_NAME, NULL, m->marking, OSCAL_MARKING_CLASS);
        rjw_arr_end(w);
    }
    write_roles(w, m, false);
    if (m->nparties > 0) {
        rjw_karr(w, "parties");
        for (int i = 0; i < m->nparties; i++) {
            rjw_obj(w);
            rjw_kstr(w, "uuid", m->parties[i].uuid);
            rjw_kstr(w, "type", "organization");
            rjw_kstr(w, "name", m->parties[i].name);
            rjw_obj_end(w);
        }
        rjw_arr_end(w);
    }
    write_roles(w, m, true);
    rjw_obj_end(w);
}

void oscal__begin(rj_writer *w, rb_buf *out, const char *model, const char *uuid,
                  const struct oscal_meta *m, const char *import_key, const char *href,
                  const char *remarks)
{
    rjw_init(w, out);
    rjw_obj(w);
    rjw_kobj(w, model);
    rjw_kstr(w, "uuid", uuid);
    oscal__write_meta(w, m);
    rjw_kobj(w, import_key);
    rjw_kstr(w, "href", href);
    if (remarks)
        rjw_kstr(w, "remarks", remarks);
    rjw_obj_end(w);
}

int oscal__end(rj_writer *w)
{
    rjw_obj_end(w);
    rjw_obj_end(w);
    return rjw_finish(w);
}

void oscal__open_milestone(rj_writer *w, const char *uuid, const char *title,
                           const char *description, const char *date)
{
    rjw_obj(w);
    rjw_kstr(w, "uuid", uuid);
    rjw_kstr(w, "type", "milestone");
    rjw_kstr(w, "title", title);
    rjw_kstr(w, "description", description);
    rjw_kobj(w, "timing");
    rjw_kobj(w, "on-date");
    rjw_kstr(w, "date", date);
    rjw_obj_end(w);
    rjw_obj_end(w);
}

void oscal__write_related(rj_writer *w, const char *member, const char *key, const char *uuid)
{
    rjw_karr(w, member);
    rjw_obj(w);
    rjw_kstr(w, key, uuid);
    rjw_obj_end(w);
    rjw_arr_end(w);
}
