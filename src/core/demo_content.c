/* demo_content.c - the demo's content files read into its tables (demo_content.h). */
#include "base/common.h"
#include "core/demo_content.h"
#include "json/jdoc.h"

#include <math.h>

#define DC_MAX_BYTES (4u << 20) /* a content file: far more than any holds */
#define DC_MAX_DEPTH 8

static int read_row(rj_doc *d, const cJSON *obj, const struct dc_table *t, unsigned char *row);

static const struct dc_member *member_of(const struct dc_table *t, const char *key)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->members[i].key, key) == 0)
            return &t->members[i];
    return NULL;
}

/* The items of array v into the fixed array at out: cap items of size bytes, the last kept zero. */
static int read_items(rj_doc *d, const cJSON *v, const struct dc_member *m, unsigned char *out)
{
    size_t size = m->kind == DC_TEXTS ? sizeof(const char *) : m->rows->size;
    size_t cap = m->size / size;
    if (!cJSON_IsArray(v))
        return rjd_err(d, RB_EINVAL, NULL, "must be an array");
    if ((size_t)cJSON_GetArraySize(v) >= cap)
        return rjd_err(d, RB_EINVAL, NULL, "holds at most %zu items", cap - 1);
    int i = 0, rc = 0;
    for (const cJSON *it = v->child; it && !rc; it = it->next, i++) {
        size_t mark = rjd_push_index(d, i);
        if (m->kind == DC_ROWS)
            rc = cJSON_IsObject(it) ? read_row(d, it, m->rows, out + (size_t)i * size)
                                    : rjd_err(d, RB_EINVAL, NULL, "must be an object");
        else if (!cJSON_IsString(it))
            rc = rjd_err(d, RB_EINVAL, NULL, "must be a string");
        else if (!(rc = rjd_check(d, m->key, it->valuestring)))
            rc = rjd_strdup(d, it->valuestring, (const char **)(void *)(out + (size_t)i * size));
        rjd_pop(d, mark);
    }
    return rc;
}

/* Whether member m's C size is its kind's: a table naming the wrong kind fails its first read. */
static bool fits(const struct dc_member *m)
{
    switch (m->kind) {
    case DC_TEXT:
        return m->size == sizeof(const char *);
    case DC_INT:
    case DC_ENUM:
        return m->size == sizeof(int);
    case DC_DOUBLE:
        return m->size == sizeof(double);
    case DC_BOOL:
        return m->size == sizeof(bool);
    case DC_TEXTS:
        return m->size % sizeof(const char *) == 0 && m->size >= 2 * sizeof(const char *);
    case DC_ROWS:
        return m->rows && m->size % m->rows->size == 0 && m->size >= 2 * m->rows->size;
    case DC_ROW:
        return m->rows && m->size == m->rows->size;
    }
    return false;
}

/* Member value v into the row's member m; the path names the member. */
static int read_member(rj_doc *d, const cJSON *v, const struct dc_member *m, unsigned char *at)
{
    if (!fits(m))
        return rjd_err(d, RB_EINTERNAL, NULL, "the table gives the member the wrong kind");
    switch (m->kind) {
    case DC_TEXT: {
        if (!cJSON_IsString(v))
            return rjd_err(d, RB_EINVAL, NULL, "must be a string");
        int rc = rjd_check(d, m->key, v->valuestring);
        return rc ? rc : rjd_strdup(d, v->valuestring, (const char **)(void *)at);
    }
    case DC_INT:
        if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
            fabs(v->valuedouble) > 1e9)
            return rjd_err(d, RB_EINVAL, NULL, "must be a whole number");
        *(int *)(void *)at = (int)v->valuedouble;
        return 0;
    case DC_DOUBLE:
        if (!cJSON_IsNumber(v))
            return rjd_err(d, RB_EINVAL, NULL, "must be a number");
        *(double *)(void *)at = v->valuedouble;
        return 0;
    case DC_BOOL:
        if (!cJSON_IsBool(v))
            return rjd_err(d, RB_EINVAL, NULL, "must be true or false");
        *(bool *)(void *)at = cJSON_IsTrue(v);
        return 0;
    case DC_ENUM:
        for (int i = 0; cJSON_IsString(v) && m->names[i]; i++)
            if (strcmp(m->names[i], v->valuestring) == 0) {
                *(int *)(void *)at = i;
                return 0;
            }
        return rjd_err(d, RB_EINVAL, NULL, "must be one of the names (%s, ...)", m->names[0]);
    case DC_TEXTS:
    case DC_ROWS:
        return read_items(d, v, m, at);
    case DC_ROW:
        if (!cJSON_IsObject(v))
            return rjd_err(d, RB_EINVAL, NULL, "must be an object");
        return read_row(d, v, m->rows, at);
    }
    return rjd_err(d, RB_EINTERNAL, NULL, "no such member kind");
}

/* Whether a member before v in its object has v's name (cJSON keeps both; the file means one). */
static bool named_before(const cJSON *obj, const cJSON *v)
{
    for (const cJSON *w = obj->child; w != v; w = w->next)
        if (strcmp(w->string, v->string) == 0)
            return true;
    return false;
}

static int read_row(rj_doc *d, const cJSON *obj, const struct dc_table *t, unsigned char *row)
{
    int rc = 0;
    for (const cJSON *v = obj->child; v && !rc; v = v->next) {
        const struct dc_member *m = member_of(t, v->string);
        size_t mark = rjd_push(d, v->string);
        if (!m)
            rc = rjd_err(d, RB_EINVAL, NULL, "is no member of this table");
        else if (named_before(obj, v))
            rc = rjd_err(d, RB_EINVAL, NULL, "appears twice");
        else
            rc = read_member(d, v, m, row + m->offset);
        rjd_pop(d, mark);
    }
    return rc;
}

int dc_read(const unsigned char *text, size_t len, const char *file, const struct dc_table *t,
            rb_arena *a, void *rows, int *n, rb_errinfo *ei)
{
    rj_doc d;
    rjd_init(&d, a, NULL, FIELD_PROSE, ei);
    cJSON *root = NULL;
    unsigned char *out = NULL;
    int rc = rjd_parse(&d, (const char *)text, len, DC_MAX_BYTES, DC_MAX_DEPTH, &root);
    int count = rc ? 0 : cJSON_GetArraySize(root);
    if (!rc && !cJSON_IsArray(root))
        rc = rjd_err(&d, RB_EINVAL, NULL, "a content file is an array of objects");
    if (!rc)
        rc = rjd_alloc(&d, (size_t)count, t->size, &out);
    int i = 0;
    for (const cJSON *it = root ? root->child : NULL; it && !rc; it = it->next, i++) {
        size_t mark = rjd_push_index(&d, i);
        rc = cJSON_IsObject(it) ? read_row(&d, it, t, out + (size_t)i * t->size)
                                : rjd_err(&d, RB_EINVAL, NULL, "must be an object");
        rjd_pop(&d, mark);
    }
    cJSON_Delete(root);
    if (!rc) {
        *(unsigned char **)rows = out;
        *n = count;
    } else if (ei) {
        char msg[RB_ERR_MSG_MAX];
        rb_fmt(msg, sizeof(msg), "%s, %s: %s", file, ei->field[0] ? ei->field : "the file",
               ei->msg);
        rb_strlcpy(ei->msg, msg, sizeof(ei->msg));
    }
    return rc;
}
