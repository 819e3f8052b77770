/*
 * list.c - the one list handler (list.h), and every list's row: how it reads its filters, how it
 * calls core, how it writes one row. The rows follow the route table's order.
 *
 * Must never: hold SQL (core does), or answer a list otherwise than docs/api.md says.
 */
#include "base/common.h"
#include "base/utf8.h"
#include "core/assessment.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/campaign.h"
#include "core/catalog.h"
#include "core/org.h"
#include "core/profile.h"
#include "core/user.h"
#include "http/list.h"
#include "http/router.h"

/* Reads ?limit= and ?cursor= as def pages them. Returns false after answering a 422. */
static bool read_page(rb_req *r, const struct list_def *def, struct list_query *q)
{
    q->after = -1;
    if (def->pages == LIST_ONE_PAGE)
        return true;
    if (!req_page(r, &q->limit, &q->cursor))
        return false;
    if (def->pages == LIST_PAGES_BY_NUMBER && q->cursor &&
        rb_parse_int64(q->cursor, def->after_min, def->after_max, &q->after)) {
        req_error(r, 422, "invalid_field", "cursor", "the cursor is not valid for this list");
        return false;
    }
    return true;
}

/* The cursor of the page after `last`, made as def pages the list (buf: room for a number). */
static const char *next_cursor(const struct list_def *def, const void *last, char buf[24])
{
    if (def->pages == LIST_PAGES_BY_ID)
        return *(char *const *)((const char *)last + def->id_at);
    if (def->pages == LIST_PAGES_BY_NUMBER) {
        const char *at = (const char *)last + def->number_at;
        int64_t number;
        if (def->number_size == sizeof(int)) {
            int i;
            memcpy(&i, at, sizeof(i));
            number = i;
        } else {
            memcpy(&number, at, sizeof(number));
        }
        snprintf(buf, 24, "%" PRId64, number);
        return buf;
    }
    return NULL;
}

void h_list(rb_req *r)
{
    const struct list_def *def = r->route->list;
    struct list_query q = {0};
    if (!read_page(r, def, &q))
        return;
    if (def->filter_size && !(q.filter = rb_arena_alloc(&r->arena, def->filter_size))) {
        req_fail(r, RB_ENOMEM, NULL);
        return;
    }
    if (def->read && !def->read(r, &q))
        return;
    void *rows = NULL;
    int n = 0;
    bool more = false;
    int rc = def->list(r, &q, &rows, &n, &more);
    if (rc) {
        if (rc == RB_EINVAL && def->pages == LIST_PAGES_BY_ID)
            req_list_fail(r, rc);
        else if (rc == RB_EPERM && def->refused)
            req_error(r, 403, "forbidden", NULL, "%s", def->refused);
        else
            req_fail(r, rc, NULL);
        return;
    }
    const char *row = rows;
    rj_writer *w = req_list_begin(r);
    for (int i = 0; i < n; i++)
        rjw_record(w, row + (size_t)i * def->record->size, def->record);
    char buf[24];
    req_list_end(r, more && n > 0 ? next_cursor(def, row + (size_t)(n - 1) * def->record->size, buf)
                                  : NULL);
}

int list_pick(rb_req *r, const struct list_def *def, const char *id, void *row)
{
    struct list_query q = {.after = -1};
    void *rows = NULL;
    int n = 0;
    bool more = false;
    int rc = def->list(r, &q, &rows, &n, &more);
    size_t size = def->record->size;
    int at = -1;
    for (int i = 0; !rc && i < n && at < 0; i++)
        if (strcmp(*(char *const *)((const char *)rows + (size_t)i * size), id) == 0)
            at = i;
    if (!rc && at < 0)
        rc = RB_ENOTFOUND;
    if (!rc)
        memcpy(row, (const char *)rows + (size_t)at * size, size);
    return rc;
}

bool list_query_refuse(rb_req *r, const char *key, const char *msg)
{
    req_error(r, 422, "invalid_field", key, "%s", msg);
    return false;
}

bool list_query_flag(rb_req *r, const char *key, bool *out)
{
    const char *v = req_query(r, key);
    if (!v)
        return true;
    if (strcmp(v, "1") != 0 && strcmp(v, "0") != 0) {
        req_error(r, 422, "invalid_field", key, "\"%s\" must be 1 or 0", key);
        return false;
    }
    *out = v[0] == '1';
    return true;
}

bool list_query_name(rb_req *r, const char *key, const char *const *names, const char *msg,
                     int *out)
{
    const char *v = req_query(r, key);
    if (!v)
        return true;
    int i = rb_name_index(names, v);
    if (i < 0)
        return list_query_refuse(r, key, msg);
    *out = i;
    return true;
}

bool list_query_text(rb_req *r, const char *key, size_t max, const char *msg, const char **out)
{
    const char *v = req_query(r, key);
    if (!v)
        return true;
    if (strlen(v) > max)
        return list_query_refuse(r, key, msg);
    *out = v;
    return true;
}

/* ---- GET /api/v1/orgs: level by level (tree order), filtered ---- */

static bool orgs_read(rb_req *r, struct list_query *q)
{
    struct org_filter *f = q->filter;
    f->cii = -1;
    f->limit = q->limit;
    f->after_id = q->cursor;
    f->root = req_query(r, "root");
    f->kind = req_query(r, "kind");
    f->province = req_query(r, "province");
    f->sector = req_query(r, "sector");
    f->q = req_query(r, "q");
    const char *cii = req_query(r, "cii");
    if (cii) {
        if (strcmp(cii, "true") != 0 && strcmp(cii, "false") != 0)
            return list_query_refuse(r, "cii", "\"cii\" must be true or false");
        f->cii = cii[0] == 't';
    }
    enum rb_org_kind k;
    if (f->kind && rb_org_kind_parse(f->kind, &k)) {
        req_error(r, 422, "invalid_field", "kind", "unknown org kind \"%.*s\"",
                  RB_CUT(f->kind, 40));
        return false;
    }
    return true;
}

LIST_DEF(list_orgs, rb_org, org_list(r->db, &r->actor, q->filter, &r->arena, &out, n, more),
         LIST_BY_ID(rb_org), LIST_FILTER(struct org_filter, orgs_read), .record = &org_record);

/* ---- GET /api/v1/users: the users of one org ---- */

struct users_filter {
    const char *org_id; /* NULL: the caller's org */
};

static bool users_read(rb_req *r, struct list_query *q)
{
    struct users_filter *f = q->filter;
    f->org_id = req_query(r, "org_id");
    return true;
}

LIST_DEF(list_users, rb_user,
         user_list(r->db, &r->actor, ((const struct users_filter *)q->filter)->org_id, q->cursor,
                   q->limit, &r->arena, &out, n, more),
         LIST_BY_ID(rb_user), LIST_FILTER(struct users_filter, users_read), .record = &user_record,
         .refused = "only admins and auditors may list users");

/* ---- GET /api/v1/me/colleagues: the active people of the caller's org ---- */

LIST_DEF(list_colleagues, rb_user,
         user_colleagues(r->db, &r->actor, q->cursor, q->limit, &r->arena, &out, n, more),
         LIST_BY_ID(rb_user), .record = &user_record);

/* ---- GET /api/v1/tokens: every token of the caller, newest first ---- */

LIST_DEF(list_tokens, rb_token, token_list(r->db, &r->actor, NULL, &r->arena, &out, n),
         .record = &token_record);

/* ---- GET /api/v1/audit: newest first, the cursor the last entry's sequence ---- */

static bool audit_read(rb_req *r, struct list_query *q)
{
    struct audit_query *f = q->filter;
    if (!audit_query_read(r, f))
        return false;
    f->before = q->after < 0 ? 0 : q->after; /* 0: from the newest */
    f->limit = q->limit;
    return true;
}

static int audit_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    rb_audit_entry *e = NULL;
    int rc = audit_list(r->db, &r->actor, q->filter, &r->arena, &e, n, more);
    if (!rc)
        rc = audit_name_objects(r, e, *n);
    *rows = e;
    return rc;
}

const struct list_def list_audit = {
    LIST_BY_NUMBER(rb_audit_entry, seq, 1, INT64_MAX),
    LIST_FILTER(struct audit_query, audit_read),
    .list = audit_rows,
    .record = &audit_entry_record,
    .refused = "only auditors and admins may read the audit trail",
};

/* ---- GET /api/v1/catalogs ---- */

LIST_DEF(list_catalogs, rb_catalog,
         catalog_list(r->db, &r->actor, q->cursor, q->limit, &r->arena, &out, n, more),
         LIST_BY_ID(rb_catalog), .record = &catalog_record);

/* ---- GET /api/v1/catalogs/{id}/controls: the cursor the last control's index ---- */

static bool controls_read(rb_req *r, struct list_query *q)
{
    struct control_filter *f = q->filter;
    f->limit = q->limit;
    f->after_idx = (int)q->after;
    f->q = req_query(r, "q");
    f->domain = req_query(r, "domain");
    return true;
}

LIST_DEF(list_controls, rb_control,
         catalog_controls(r->db, &r->actor, r->params[0], q->filter, &r->arena, &out, n, more),
         LIST_BY_NUMBER(rb_control, idx, 0, INT32_MAX),
         LIST_FILTER(struct control_filter, controls_read), .record = &control_brief_record);

/* ---- GET /api/v1/profiles ---- */

LIST_DEF(list_profiles, rb_profile,
         profile_list(r->db, &r->actor, q->cursor, q->limit, &r->arena, &out, n, more),
         LIST_BY_ID(rb_profile), .record = &profile_record);

/* ---- GET /api/v1/campaigns ---- */

LIST_DEF(list_campaigns, rb_campaign,
         campaign_list(r->db, &r->actor, q->cursor, req_query(r, "profile_id"), q->limit, &r->arena,
                       &out, n, more),
         LIST_BY_ID(rb_campaign), .record = &campaign_record);

/* ---- GET /api/v1/assessments ---- */

static bool assessments_read(rb_req *r, struct list_query *q)
{
    struct assessment_filter *f = q->filter;
    f->limit = q->limit;
    f->after_id = q->cursor;
    f->campaign_id = req_query(r, "campaign_id");
    f->org_id = req_query(r, "org_id");
    f->status = req_query(r, "status");
    static const char *const statuses[] = {"not_started", "draft",    "submitted",
                                           "returned",    "accepted", NULL};
    if (f->status && rb_name_index(statuses, f->status) < 0)
        return list_query_refuse(
            r, "status", "\"status\" must be not_started, draft, submitted, returned or accepted");
    if (req_query(r, "mine"))
        f->org_id = r->actor.org.id;
    /* ?review=1: the assessments the caller's CERT reviews (its constituents' own). */
    if (req_query(r, "review"))
        f->reviewer = r->actor.org.id;
    return true;
}

LIST_DEF(list_assessments, rb_assessment,
         assessment_list(r->db, &r->actor, q->filter, &r->arena, &out, n, more),
         LIST_BY_ID(rb_assessment), LIST_FILTER(struct assessment_filter, assessments_read),
         .record = &assessment_record);

/* ---- GET /api/v1/assessments/{id}/history: every step, oldest first ---- */

LIST_DEF(list_history, rb_assessment_event,
         assessment_history(r->db, &r->actor, r->params[0], &r->arena, &out, n),
         .record = &assessment_event_record);

/* ---- GET /api/v1/assessments/{id}/attachments: by control, then time ---- */

LIST_DEF(list_attachments, rb_attachment,
         assessment_attachments(r->db, &r->actor, r->params[0], &r->arena, &out, n),
         .record = &assessment_attachment_record);
