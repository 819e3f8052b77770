/*
 * incident_import.c - past incidents from CSV or JSON: check every row, then store the good ones
 * in one write (see incident_import.h).
 *
 * Must never store anything from a file before every row has been checked, store a row the
 * checks refused, or set off what a live report sets off (inbox items, notifications,
 * escalations, scheduler notices). The database is read in two small functions (the org index
 * and, inside the write, core/incident's own row reader) and written through core/write.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "base/utf8.h"
#include "core/audit.h"
#include "core/history.h"
#include "core/incident.h"
#include "core/incident_import.h"
#include "core/kind.h"
#include "core/share.h"
#include "formats/csv.h"
#include "formats/rsit.h"
#include "formats/tlp.h"
#include "json/field.h"
#include "json/json.h"

/* ---- the columns ---- */

enum col {
    C_TITLE = 0,
    C_DESCRIPTION,
    C_RSIT_CLASS,
    C_RSIT_TYPE,
    C_SEVERITY,
    C_STATUS,
    C_TLP,
    C_CII,
    C_AFFECTED_SERVICES,
    C_ORG,
    C_DETECTED_AT, /* the times, in enum tix order */
    C_REPORTED_AT,
    C_ACKNOWLEDGED_AT,
    C_CONTAINED_AT,
    C_NOTIFIED_AT,
    C_FINAL_REPORT_AT,
    C_ENDED_AT,
    C_REPORTED_BY,
    C__COUNT
};

static const struct {
    const char *name;
    bool required;
} cols[C__COUNT] = {
    [C_TITLE] = {"title", true},
    [C_DESCRIPTION] = {"description", false},
    [C_RSIT_CLASS] = {"rsit_class", true},
    [C_RSIT_TYPE] = {"rsit_type", true},
    [C_SEVERITY] = {"severity", true},
    [C_STATUS] = {"status", true},
    [C_TLP] = {"tlp", false},
    [C_CII] = {"cii_involved", false},
    [C_AFFECTED_SERVICES] = {"affected_services", false},
    [C_ORG] = {"org", true},
    [C_DETECTED_AT] = {"detected_at", true},
    [C_REPORTED_AT] = {"reported_at", true},
    [C_ACKNOWLEDGED_AT] = {"acknowledged_at", false},
    [C_CONTAINED_AT] = {"contained_at", false},
    [C_NOTIFIED_AT] = {"notified_at", false},
    [C_FINAL_REPORT_AT] = {"final_report_at", false},
    [C_ENDED_AT] = {"ended_at", false},
    [C_REPORTED_BY] = {"reported_by", false},
};

enum tix {
    T_DETECTED = 0,
    T_REPORTED,
    T_ACKNOWLEDGED,
    T_CONTAINED,
    T_NOTIFIED,
    T_FINAL,
    T_ENDED,
    T__COUNT
};

struct import_row {
    size_t where;
    const char *title, *description, *rsit_class, *rsit_type, *affected_services, *reported_by;
    char org_id[RB_ID_SIZE], handling[RB_ID_SIZE], province[64];
    enum rb_severity severity;
    enum incident_status status;
    enum rb_tlp tlp;
    bool cii;
    int64_t t[T__COUNT]; /* 0: not given */
};

/* ---- the orgs, by id and by name ---- */

struct org_entry {
    char *id, *parent, *province, *name, *short_name;
};

struct org_index {
    struct org_entry *v; /* by id (the SELECT's order) */
    int n;
    struct org_entry **by_name, **by_short;
    int nshort;
};

static const struct rb_member org_members[] = {
    RB_HIDDEN_MEMBERS(struct org_entry, id, parent, province, name, short_name),
};
static const struct rb_record org_entry_record = RB_RECORD(struct org_entry, org_members);

static int cmp_name(const void *x, const void *y)
{
    return strcasecmp((*(struct org_entry *const *)x)->name, (*(struct org_entry *const *)y)->name);
}

static int cmp_short(const void *x, const void *y)
{
    return strcasecmp((*(struct org_entry *const *)x)->short_name,
                      (*(struct org_entry *const *)y)->short_name);
}

static int org_index_load(rb_db *db, rb_arena *a, struct org_index *ix)
{
    memset(ix, 0, sizeof(*ix));
    int rc = db_query_rows(db,
                           "SELECT id, coalesce(parent_id, ''), coalesce(province, ''), name, "
                           "short_name FROM orgs ORDER BY id",
                           NULL, 0, &org_entry_record, a, &ix->v, &ix->n);
    if (rc)
        return rc;
    ix->by_name = rb_arena_alloc(a, sizeof(*ix->by_name) * (size_t)(ix->n + 1));
    ix->by_short = rb_arena_alloc(a, sizeof(*ix->by_short) * (size_t)(ix->n + 1));
    if (!ix->by_name || !ix->by_short)
        return RB_ENOMEM;
    for (int i = 0; i < ix->n; i++) {
        if (!ix->v[i].id || !ix->v[i].parent || !ix->v[i].province || !ix->v[i].name)
            return RB_ENOMEM;
        ix->by_name[i] = &ix->v[i];
        if (ix->v[i].short_name && ix->v[i].short_name[0])
            ix->by_short[ix->nshort++] = &ix->v[i];
    }
    qsort(ix->by_name, (size_t)ix->n, sizeof(*ix->by_name), cmp_name);
    qsort(ix->by_short, (size_t)ix->nshort, sizeof(*ix->by_short), cmp_short);
    return 0;
}

/* The entries of a sorted index equal to key under cmp: *first and how many. */
static int equal_run(struct org_entry **v, int n, struct org_entry *key,
                     int (*cmp)(const void *, const void *), int *first)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (cmp(&v[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    int k = lo;
    while (k < n && cmp(&v[k], &key) == 0)
        k++;
    *first = lo;
    return k - lo;
}

/* The org named s (an id, a short name, a name). NULL with *many set when s names several. */
static const struct org_entry *org_find(const struct org_index *ix, const char *s, int *many)
{
    *many = 0;
    if (rb_uuid_valid(s)) {
        char id[RB_ID_SIZE];
        for (int i = 0; i < RB_ID_SIZE; i++)
            id[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
        int lo = 0, hi = ix->n;
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            int c = strcmp(ix->v[mid].id, id);
            if (c == 0)
                return &ix->v[mid];
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        return NULL;
    }
    struct org_entry key = {.name = (char *)s, .short_name = (char *)s};
    int first, n = equal_run(ix->by_short, ix->nshort, &key, cmp_short, &first);
    if (n == 1)
        return ix->by_short[first];
    if (n == 0 && (n = equal_run(ix->by_name, ix->n, &key, cmp_name, &first)) == 1)
        return ix->by_name[first];
    *many = n;
    return NULL;
}

/* ---- checking one row ---- */

struct reader {
    const struct org_index *orgs;
    int64_t now;
    rb_arena *a;
    struct incident_import *imp;
    size_t cap; /* problems allocated */
};

/* What the row checks return for a row with a problem (kept in imp->problems); RB_ENOMEM when it
 * could not be kept. */
#define BAD 1

/* One problem for the row at where; returns BAD, or RB_ENOMEM when the arena is full. */
static int bad(struct reader *r, size_t where, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bad(struct reader *r, size_t where, const char *field, const char *fmt, ...)
{
    struct incident_import *imp = r->imp;
    if (imp->nproblems == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        struct import_problem *p = rb_arena_alloc(r->a, sizeof(*p) * cap);
        if (!p)
            return RB_ENOMEM;
        if (imp->nproblems)
            memcpy(p, imp->problems, sizeof(*p) * imp->nproblems);
        imp->problems = p;
        r->cap = cap;
    }
    struct import_problem *p = &imp->problems[imp->nproblems++];
    p->where = where;
    rb_strlcpy(p->field, field ? field : "", sizeof(p->field));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
    va_end(ap);
    return BAD;
}

/* "a, b, c or d" of a NULL-terminated list. */
static void names_list(char *out, size_t size, const char *const *names)
{
    out[0] = '\0';
    int n = 0;
    while (names[n])
        n++;
    for (int i = 0; i < n; i++)
        rb_fmt(out + strlen(out), size - strlen(out), "%s%s", i == 0 ? "" : ", ", names[i]);
}

/* A text cell under its field rule. */
static int check_text(struct reader *r, size_t where, enum col c, enum rb_field_kind kind,
                      const char *s)
{
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    if (rb_field_checks(kind, cols[c].name, s, &ei))
        return bad(r, where, cols[c].name, "%s", ei.msg);
    return 0;
}

static int check_time(struct reader *r, size_t where, enum col c, const char *s, int64_t *out)
{
    int64_t t;
    if (rb_time_parse(s, &t))
        return bad(r, where, cols[c].name,
                   "\"%.*s\" is not a time like 2026-03-01T08:30:00Z (or a date like 2026-03-01)",
                   RB_CUT(s, 60));
    if (t <= 0)
        return bad(r, where, cols[c].name, "\"%.*s\" is before 1970", RB_CUT(s, 60));
    if (t > r->now + 300)
        return bad(r, where, cols[c].name,
                   "\"%.*s\" is in the future: only past incidents are "
                   "imported",
                   RB_CUT(s, 60));
    *out = t;
    return 0;
}

/* An earlier time than it may be: b must not come before a. */
static int check_order(struct reader *r, size_t where, const struct import_row *x, enum tix a,
                       enum tix b, const char *why)
{
    if (!x->t[a] || !x->t[b] || x->t[b] >= x->t[a])
        return 0;
    char ta[RB_TIME_SIZE], tb[RB_TIME_SIZE];
    rb_time_format(x->t[a], ta);
    rb_time_format(x->t[b], tb);
    return bad(r, where, cols[C_DETECTED_AT + b].name, "%s is before %s (%s): %s", tb,
               cols[C_DETECTED_AT + a].name, ta, why);
}

static int check_row(struct reader *r, size_t where, const char *const cell[C__COUNT],
                     struct import_row *x)
{
    memset(x, 0, sizeof(*x));
    x->where = where;
    for (int c = 0; c < C__COUNT; c++)
        if (cols[c].required && !cell[c])
            return bad(r, where, cols[c].name, "\"%s\" is required", cols[c].name);
    int rc;
    if ((rc = check_text(r, where, C_TITLE, FIELD_TITLE, cell[C_TITLE])) ||
        (rc = check_text(r, where, C_DESCRIPTION, FIELD_PROSE, cell[C_DESCRIPTION])) ||
        (rc = check_text(r, where, C_AFFECTED_SERVICES, FIELD_NOTE, cell[C_AFFECTED_SERVICES])) ||
        (rc = check_text(r, where, C_REPORTED_BY, FIELD_NAME, cell[C_REPORTED_BY])))
        return rc;
    const char *title = cell[C_TITLE];
    if (rb_utf8_cut(title, 4) < 3 || strspn(title, " \t") == strlen(title))
        return bad(r, where, "title", "\"%.*s\" is too short: say in a few words what happened",
                   RB_CUT(title, 60));
    char list[300];
    const struct rsit_class *cls = rsit_class_find(cell[C_RSIT_CLASS]);
    if (!cls)
        return bad(r, where, "rsit_class",
                   "\"%.*s\" is not a class of the ENISA taxonomy (like malicious-code; GET "
                   "/api/v1/taxonomy/rsit lists them)",
                   RB_CUT(cell[C_RSIT_CLASS], 60));
    if (!rsit_type_find(cls, cell[C_RSIT_TYPE])) {
        list[0] = '\0';
        for (int i = 0; i < cls->ntypes; i++)
            rb_fmt(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
                   cls->types[i].id);
        return bad(r, where, "rsit_type", "\"%.*s\" is not a type of the class %s (%s)",
                   RB_CUT(cell[C_RSIT_TYPE], 60), cls->id, list);
    }
    int sev = rb_name_index(rb_severity_names, cell[C_SEVERITY]);
    if (sev < 0) {
        names_list(list, sizeof(list), rb_severity_names);
        return bad(r, where, "severity", "\"%.*s\" is not one of %s", RB_CUT(cell[C_SEVERITY], 60),
                   list);
    }
    int st = rb_name_index(rb_incident_status_names, cell[C_STATUS]);
    if (st == IST_MERGED)
        return bad(r, where, "status",
                   "an incident is not imported as merged (it has nothing to point at): import "
                   "it with its own status, then merge it in rabta");
    if (st < 0) {
        names_list(list, sizeof(list), rb_incident_status_names);
        char *merged = strstr(list, ", merged");
        if (merged)
            *merged = '\0';
        return bad(r, where, "status", "\"%.*s\" is not one of %s", RB_CUT(cell[C_STATUS], 60),
                   list);
    }
    enum rb_tlp tlp = kind_incident.default_tlp;
    if (cell[C_TLP] && tlp_parse(cell[C_TLP], &tlp)) {
        names_list(list, sizeof(list), tlp_names);
        return bad(r, where, "tlp", "\"%.*s\" is not one of %s", RB_CUT(cell[C_TLP], 60), list);
    }
    bool cii = false;
    if (cell[C_CII]) {
        static const char *const yes[] = {"yes", "true", "1", NULL};
        static const char *const no[] = {"no", "false", "0", NULL};
        bool y = false, n = false;
        for (int i = 0; yes[i]; i++) {
            y = y || strcasecmp(cell[C_CII], yes[i]) == 0;
            n = n || strcasecmp(cell[C_CII], no[i]) == 0;
        }
        if (!y && !n)
            return bad(r, where, "cii_involved", "\"%.*s\" is not yes or no (true/false, 1/0)",
                       RB_CUT(cell[C_CII], 20));
        cii = y;
    }
    int many = 0;
    const struct org_entry *org = org_find(r->orgs, cell[C_ORG], &many);
    if (!org && many)
        return bad(r, where, "org", "\"%.*s\" names %d orgs; give the org's id",
                   RB_CUT(cell[C_ORG], 80), many);
    if (!org)
        return bad(r, where, "org", "no org has the id, short name or name \"%.*s\"",
                   RB_CUT(cell[C_ORG], 80));
    for (int k = 0; k < T__COUNT; k++)
        if (cell[C_DETECTED_AT + k] && (rc = check_time(r, where, (enum col)(C_DETECTED_AT + k),
                                                        cell[C_DETECTED_AT + k], &x->t[k])))
            return rc;
    if ((rc = check_order(r, where, x, T_DETECTED, T_REPORTED,
                          "an incident is reported after it is detected")) ||
        (rc = check_order(r, where, x, T_REPORTED, T_ACKNOWLEDGED,
                          "the CERT acknowledges a report it has")) ||
        (rc = check_order(r, where, x, T_DETECTED, T_CONTAINED,
                          "an incident is contained after it is detected")) ||
        (rc = check_order(r, where, x, T_REPORTED, T_NOTIFIED,
                          "the notification follows the report")) ||
        (rc = check_order(r, where, x, T_REPORTED, T_FINAL,
                          "the final report follows the report")) ||
        (rc = check_order(r, where, x, T_REPORTED, T_ENDED, "an incident ends after its report")))
        return rc;
    bool ended = incident_status_ended((enum incident_status)st);
    if (ended && !x->t[T_ENDED])
        return bad(r, where, "ended_at", "a %s incident needs ended_at (when it was %s)",
                   cell[C_STATUS], cell[C_STATUS]);
    if (!ended && x->t[T_ENDED])
        return bad(r, where, "ended_at",
                   "ended_at is given but the status is %s: an open incident has not ended",
                   cell[C_STATUS]);
    if (st == IST_NEW && x->t[T_ACKNOWLEDGED])
        return bad(r, where, "acknowledged_at",
                   "the status is new but acknowledged_at is given: an acknowledged incident is "
                   "at least triaged");
    x->title = title;
    x->description = cell[C_DESCRIPTION];
    x->rsit_class = cls->id;
    x->rsit_type = cell[C_RSIT_TYPE];
    x->affected_services = cell[C_AFFECTED_SERVICES];
    x->reported_by = cell[C_REPORTED_BY];
    rb_strlcpy(x->org_id, org->id, sizeof(x->org_id));
    rb_strlcpy(x->handling, org->parent[0] ? org->parent : org->id, sizeof(x->handling));
    rb_strlcpy(x->province, org->province, sizeof(x->province));
    x->severity = (enum rb_severity)sev;
    x->status = (enum incident_status)st;
    x->tlp = tlp;
    x->cii = cii;
    return 0;
}

/* Checks the row; a good one joins imp->rows. Returns 0, or RB_ENOMEM when a problem could not
 * be kept. */
static int take_row(struct reader *r, size_t where, const char *const cell[C__COUNT])
{
    struct import_row *x = &r->imp->rows[r->imp->nrows];
    int rc = check_row(r, where, cell, x);
    if (rc == 0)
        r->imp->nrows++;
    return rc == BAD ? 0 : rc;
}

/* ---- the two formats ---- */

static int read_csv(struct reader *r, const char *text, size_t len, import_progress_fn progress,
                    void *ctx, rb_errinfo *ei)
{
    const struct csv_limits lim = {IMPORT_MAX_ROWS + 1, 64, rb_field_max(FIELD_PROSE)};
    csv_table t;
    int rc = csv_parse(text, len, &lim, r->a, &t, ei);
    if (rc)
        return rc;
    if (t.nrecords == 0)
        return rb_err(ei, RB_EINVAL, "line 1", "the file is empty: it needs a header row (%s, ...)",
                      cols[0].name);
    int at[64]; /* column of each field */
    bool seen[C__COUNT] = {false};
    const csv_record *h = &t.records[0];
    for (size_t f = 0; f < h->nfields; f++) {
        int c = -1;
        for (int k = 0; k < C__COUNT; k++)
            if (strcmp(h->fields[f].ptr, cols[k].name) == 0)
                c = k;
        if (c < 0) {
            char list[400] = "";
            for (int k = 0; k < C__COUNT; k++)
                rb_fmt(list + strlen(list), sizeof(list) - strlen(list), "%s%s", k ? ", " : "",
                       cols[k].name);
            return csv_err(ei, RB_EINVAL, h->line, f + 1,
                           "unknown column \"%.*s\"; the columns are %s",
                           RB_CUT(h->fields[f].ptr, 60), list);
        }
        if (seen[c])
            return csv_err(ei, RB_EINVAL, h->line, f + 1, "the column \"%s\" appears twice",
                           cols[c].name);
        seen[c] = true;
        at[f] = c;
    }
    for (int k = 0; k < C__COUNT; k++)
        if (cols[k].required && !seen[k])
            return csv_err(ei, RB_EINVAL, h->line, 0,
                           "the header has no column \"%s\" (required: title, rsit_class, "
                           "rsit_type, severity, status, org, detected_at, reported_at)",
                           cols[k].name);
    r->imp->total = t.nrecords - 1;
    if (!(r->imp->rows = rb_arena_alloc(r->a, sizeof(struct import_row) * (r->imp->total + 1))))
        return rb_err(ei, RB_ENOMEM, "", "not enough memory for %zu rows", r->imp->total);
    for (size_t i = 1; i < t.nrecords; i++) {
        const char *cell[C__COUNT] = {NULL};
        for (size_t f = 0; f < t.records[i].nfields; f++)
            if (t.records[i].fields[f].len > 0)
                cell[at[f]] = t.records[i].fields[f].ptr;
        if ((rc = take_row(r, t.records[i].line, cell)))
            return rb_err(ei, rc, "", "not enough memory for the problems of the file");
        if (progress && (i % 1000 == 0 || i + 1 == t.nrecords))
            progress(ctx, i, t.nrecords - 1);
    }
    return 0;
}

/* One item of the JSON array into cells; false after its problem. */
static bool json_cells(struct reader *r, size_t i, const cJSON *item, const char *cell[C__COUNT],
                       int *rc)
{
    *rc = 0;
    if (!cJSON_IsObject(item)) {
        *rc = bad(r, i, "", "each item must be an object with the columns as members");
        return false;
    }
    const cJSON *m;
    int members = 0;
    bool seen[C__COUNT] = {false};
    cJSON_ArrayForEach(m, item)
    {
        if (++members > 64) {
            *rc = bad(r, i, "", "an item has at most 64 members");
            return false;
        }
        int c = -1;
        for (int k = 0; k < C__COUNT; k++)
            if (strcmp(m->string, cols[k].name) == 0)
                c = k;
        if (c < 0) {
            *rc = bad(r, i, m->string,
                      "\"%.*s\" is not a column of an incident import (see "
                      "rabta import incidents --help)",
                      RB_CUT(m->string, 40));
            return false;
        }
        if (seen[c]) {
            *rc = bad(r, i, cols[c].name, "\"%s\" appears twice", cols[c].name);
            return false;
        }
        seen[c] = true;
        if (cJSON_IsNull(m))
            continue;
        if (c == C_CII && cJSON_IsBool(m)) {
            cell[c] = cJSON_IsTrue(m) ? "true" : "false";
            continue;
        }
        if (!cJSON_IsString(m)) {
            *rc = bad(r, i, cols[c].name, "\"%s\" must be a string%s", cols[c].name,
                      c == C_CII ? " or a boolean" : "");
            return false;
        }
        cell[c] = m->valuestring[0] ? m->valuestring : NULL;
    }
    return true;
}

static void json_free(void *p)
{
    cJSON_Delete(p);
}

static int read_json(struct reader *r, const char *text, size_t len, import_progress_fn progress,
                     void *ctx, rb_errinfo *ei)
{
    cJSON *root = NULL;
    if (rj_parse(text, len, 8, &root, ei) != RJ_OK)
        return rb_err(ei, RB_EINVAL, "", "not JSON: %s", ei->msg);
    if (rb_arena_defer(r->a, json_free, root))
        return rb_err(ei, RB_ENOMEM, "", "not enough memory");
    if (!cJSON_IsArray(root))
        return rb_err(ei, RB_EINVAL, "",
                      "the file must be a JSON array of objects, one per incident");
    size_t n = (size_t)cJSON_GetArraySize(root);
    if (n > IMPORT_MAX_ROWS)
        return rb_err(ei, RB_ETOOBIG, "", "the file has %zu incidents; at most %d at once", n,
                      IMPORT_MAX_ROWS);
    r->imp->total = n;
    if (!(r->imp->rows = rb_arena_alloc(r->a, sizeof(struct import_row) * (n + 1))))
        return rb_err(ei, RB_ENOMEM, "", "not enough memory for %zu rows", n);
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, root)
    {
        const char *cell[C__COUNT] = {NULL};
        int rc = 0;
        if (json_cells(r, i, item, cell, &rc))
            rc = take_row(r, i, cell);
        if (rc < 0)
            return rb_err(ei, rc, "", "not enough memory for the problems of the file");
        i++;
        if (progress && (i % 1000 == 0 || i == n))
            progress(ctx, i, n);
    }
    return 0;
}

int incident_import_read(rb_db *db, enum import_format format, const char *text, size_t len,
                         rb_arena *a, struct incident_import *imp, import_progress_fn progress,
                         void *ctx, rb_errinfo *ei)
{
    if (len > IMPORT_MAX_BYTES)
        return rb_err(ei, RB_ETOOBIG, "", "the file is larger than %zu MiB",
                      IMPORT_MAX_BYTES >> 20);
    struct org_index orgs;
    int rc = org_index_load(db, a, &orgs);
    if (rc)
        return rb_err(ei, rc, "", "cannot read the orgs");
    struct incident_import out = {.format = format};
    struct reader r = {.orgs = &orgs, .now = rb_now(), .a = a, .imp = &out};
    rc = format == IMPORT_JSON ? read_json(&r, text, len, progress, ctx, ei)
                               : read_csv(&r, text, len, progress, ctx, ei);
    if (rc)
        return rc;
    *imp = out;
    return 0;
}

void incident_import_problem_text(const struct incident_import *imp, const struct import_problem *p,
                                  char *out, size_t size)
{
    rb_fmt(out, size, "%s %zu%s%s: %s", imp->format == IMPORT_JSON ? "index" : "line", p->where,
           p->field[0] ? ", " : "", p->field, p->msg);
}

/* ---- storing ---- */

/* Inside w: one incident as it would have been reported then, with its later history. */
static int store_row(rb_write *w, const struct import_row *x, const char *source,
                     const struct incident_import *imp, char id[RB_ID_SIZE])
{
    rb_uuid_new(id);
    int rc = db_exec(
        w->db,
        "INSERT INTO incidents(id, owner_org, org_id, province, handling_org, handling_since, tlp, "
        "title, description, rsit_class, rsit_type, severity, status, cii, affected_services, "
        "reported_by, detected_at, reported_at, acknowledged_at, contained_at, notified_at, "
        "final_report_at, ended_at, updated_at, version) VALUES (?1,?2,?2,?3,?4,?5,?6,?7,?8,?9,"
        "?10,?11,?12,?13,?14,?15,?16,?5,?17,?18,?19,?20,?21,?22,0)",
        DB_ARGS(
            DB_TEXT(id), DB_TEXT(x->org_id), DB_TEXT(x->province[0] ? x->province : NULL),
            DB_TEXT(x->handling), DB_TIME(x->t[T_REPORTED]), DB_TEXT(tlp_name(x->tlp)),
            DB_TEXT(x->title), DB_TEXT(x->description ? x->description : ""),
            DB_TEXT(x->rsit_class), DB_TEXT(x->rsit_type), DB_TEXT(rb_severity_names[x->severity]),
            DB_TEXT(rb_incident_status_names[x->status]), DB_INT(x->cii ? 1 : 0),
            DB_TEXT(x->affected_services ? x->affected_services : ""),
            DB_TEXT(x->reported_by ? x->reported_by : "import"), DB_TIME(x->t[T_DETECTED]),
            DB_TIME(x->t[T_ACKNOWLEDGED]), DB_TIME(x->t[T_CONTAINED]), DB_TIME(x->t[T_NOTIFIED]),
            DB_TIME(x->t[T_FINAL]), DB_TIME(x->t[T_ENDED]), DB_TEXT(w->now)));
    /* The first handling period, as the report would have opened it. */
    if (rc || (rc = db_exec(w->db,
                            "INSERT INTO incident_handlers(incident_id, n, org_id, since, "
                            "acknowledged_at, acknowledged_by, rule, reason) VALUES (?1, 0, ?2, "
                            "?3, ?4, ?5, 'reported', 'imported')",
                            DB_ARGS(DB_TEXT(id), DB_TEXT(x->handling), DB_TIME(x->t[T_REPORTED]),
                                    DB_TIME(x->t[T_ACKNOWLEDGED]),
                                    DB_TEXT(x->t[T_ACKNOWLEDGED] ? "import" : NULL)))))
        return rc;
    if (strcmp(x->handling, x->org_id) != 0 &&
        (rc = share_grant(w, &kind_incident, id, x->handling, SCOPE_ORG)))
        return rc;
    char note[600];
    rb_fmt(note, sizeof(note), "from %s, %s %zu", source ? source : "a file",
           imp->format == IMPORT_JSON ? "index" : "line", x->where);
    if ((rc = history_add(w, &kind_incident, id, "imported", NULL, note)))
        return rc;
    struct incident_row row;
    if ((rc = incident_row_load(w->db, id, &row)) || (rc = incident_refresh_dues(w, &row)))
        return rc;
    /* History does not announce itself: the scheduler looks again once the incident changes. */
    if ((rc = db_exec(w->db, "UPDATE incidents SET next_check = NULL WHERE id = ?1",
                      DB_ARGS(DB_TEXT(id)))))
        return rc;
    /* The period's own deadline, as the report would have stored it before the acknowledgement
     * (the responsiveness figures judge the acknowledgement by it). */
    return db_exec(w->db,
                   "UPDATE incident_handlers SET ack_due = (SELECT ack_due FROM incidents WHERE "
                   "id = ?1) WHERE incident_id = ?1 AND n = 0",
                   DB_ARGS(DB_TEXT(id)));
}

int incident_import_store(rb_db *db, const rb_actor *actor, const struct incident_import *imp,
                          const char *source, import_progress_fn progress, void *ctx,
                          size_t *stored, rb_errinfo *ei)
{
    *stored = 0;
    if (imp->nrows == 0)
        return 0;
    /* About twice as fast, with a tenth of the I/O (docs/decisions.md 43). */
    db_bulk(db, true);
    rb_write w;
    int rc = write_begin(&w, db, actor, ei);
    if (rc) {
        db_bulk(db, false);
        return rc;
    }
    char id[RB_ID_SIZE] = "";
    const char *owner = NULL;
    for (size_t i = 0; !rc && i < imp->nrows; i++) {
        const struct import_row *x = &imp->rows[i];
        /* Each incident's audit entry; the last one is write_end's. */
        if (owner && (rc = audit_append(db, actor, "incident.import", &kind_incident, id, owner)))
            break;
        if ((rc = store_row(&w, x, source, imp, id))) {
            rb_err(ei, rc, "", "cannot store the incident of %s %zu",
                   imp->format == IMPORT_JSON ? "index" : "line", x->where);
            break;
        }
        owner = x->org_id;
        if (progress && ((i + 1) % 1000 == 0 || i + 1 == imp->nrows))
            progress(ctx, i + 1, imp->nrows);
    }
    rc = write_end(&w, rc, "incident.import", &kind_incident, id, owner,
                   "cannot store the incidents; nothing was imported");
    db_bulk(db, false);
    if (!rc)
        *stored = imp->nrows;
    return rc;
}
