/* request.c - input helpers and error responses shared by all handlers. */
#include "base/common.h"
#include "base/utf8.h"
#include "core/org.h"
#include "core/user.h"
#include "http/body.h"
#include "http/request.h"

#include <microhttpd.h>

const char *req_query(rb_req *r, const char *key)
{
    const char *v = NULL;
    size_t n = 0;
    if (MHD_lookup_connection_value_n(r->conn, MHD_GET_ARGUMENT_KIND, key, strlen(key), &v, &n) !=
        MHD_YES)
        return NULL;
    /* An encoded NUL (%00) would silently cut the value: treat such a value as absent. */
    if (!v || n == 0 || strlen(v) != n)
        return NULL;
    return v;
}

const char *req_cookie(rb_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *req_header(rb_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

bool req_csv_upload(rb_req *r, const char *what)
{
    static const char *const types[] = {"text/csv", "text/plain", "application/csv", NULL};
    if (r->body_too_big) {
        req_error(r, 413, "too_large", NULL, "the file is larger than %zu bytes", r->body.max);
        return false;
    }
    const char *ct = req_header(r, "Content-Type");
    for (int i = 0; ct && types[i]; i++) {
        size_t n = strlen(types[i]);
        if (strncasecmp(ct, types[i], n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
            return true;
    }
    if (ct)
        req_error(r, 415, "unsupported_media_type", NULL, "send %s (got %.*s)", what,
                  RB_CUT(ct, 60));
    return !ct;
}

rb_buf *req_out_begin(rb_req *r, int status, const char *content_type)
{
    r->status = status;
    r->content_type = content_type;
    rb_buf_reset(&r->out);
    return &r->out;
}

rj_writer *req_json_begin(rb_req *r, int status)
{
    rjw_init(&r->w, req_out_begin(r, status, "application/json"));
    return &r->w;
}

rj_writer *req_list_begin(rb_req *r)
{
    rj_writer *w = req_json_begin(r, 200);
    rjw_obj(w);
    rjw_karr(w, "items");
    return w;
}

void req_list_end(rb_req *r, const char *next_cursor)
{
    rjw_arr_end(&r->w);
    rjw_kstr(&r->w, "next_cursor", next_cursor);
    rjw_obj_end(&r->w);
}

void req_list_fail(rb_req *r, int rc)
{
    if (rc == RB_EINVAL)
        req_error(r, 422, "invalid_field", "cursor", "the cursor is not valid for this list");
    else
        req_fail(r, rc, NULL);
}

void req_json_counts(rb_req *r, const struct req_count *counts, size_t n)
{
    rj_writer *w = req_json_begin(r, 200);
    rjw_obj(w);
    for (size_t i = 0; i < n; i++)
        rjw_kint(w, counts[i].name, (int64_t)counts[i].n);
    rjw_obj_end(w);
}

void req_no_content(rb_req *r)
{
    r->status = 204;
    r->content_type = NULL;
    rb_buf_reset(&r->out);
}

void req_error(rb_req *r, int status, const char *code, const char *field, const char *fmt, ...)
{
    char msg[RB_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    rb_vfmt(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    rj_writer *w = req_json_begin(r, status);
    rjw_obj(w);
    rjw_kobj(w, "error");
    rjw_kstr(w, "code", code);
    rjw_kstr(w, "message", msg);
    if (field && field[0])
        rjw_kstr(w, "field", field);
    rjw_obj_end(w);
    rjw_obj_end(w);
}

void req_fail(rb_req *r, int rc, const rb_errinfo *ei)
{
    static const struct {
        int rc, status;
        const char *code, *message;
    } map[] = {
        {RB_EINVAL, 422, "invalid_field", "invalid input"},
        {RB_ENOTFOUND, 404, "not_found", "not found"},
        {RB_ECONFLICT, 409, "conflict", "conflicts with existing data"},
        {RB_EPERM, 403, "forbidden", "your role or org may not do this"},
        {RB_EAUTH, 401, "unauthenticated", "sign in or send a valid bearer token"},
        {RB_ERATE, 429, "rate_limited", "too many attempts; try later"},
        {RB_ETOOBIG, 413, "too_large", "the request or its result is too large"},
    };
    const char *field = ei ? ei->field : NULL;
    const char *msg = ei && ei->msg[0] ? ei->msg : NULL;
    for (size_t i = 0; i < RB_ARRAY_LEN(map); i++)
        if (map[i].rc == rc) {
            /* A refused read never says more than "not found". */
            if (rc == RB_ENOTFOUND && (!field || !field[0]))
                msg = NULL;
            if (rc == RB_ERATE && ei && ei->retry_after > 0)
                snprintf(r->retry_after, sizeof(r->retry_after), "%ld", ei->retry_after);
            req_error(r, map[i].status, map[i].code, field, "%s", msg ? msg : map[i].message);
            return;
        }
    req_error(r, 500, "internal", NULL, "the server failed (%s); the error was logged",
              rabta_strerror(rc));
}

bool req_check(rb_req *r, int rc, const rb_errinfo *ei)
{
    if (rc)
        req_fail(r, rc, ei);
    return rc == 0;
}

static void json_free(void *p)
{
    cJSON_Delete(p);
}

const cJSON *req_body_json(rb_req *r, const char *const *allowed)
{
    if (!req_document(r, "body", "the body"))
        return NULL;
    if (r->body.len == 0) {
        req_error(r, 400, "malformed_json", NULL, "the body is empty; send a JSON object");
        return NULL;
    }
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int fail = rj_parse(r->body.ptr, r->body.len, REQ_JSON_DEPTH, &r->json, &ei);
    /* The parsed body dies with the request's arena. */
    if (!fail && rb_arena_defer(&r->arena, json_free, r->json)) {
        r->json = NULL;
        req_fail(r, RB_ENOMEM, NULL);
        return NULL;
    }
    if (fail == RJ_BAD_UTF8) {
        req_error(r, 400, "invalid_utf8", NULL, "%s", ei.msg);
        return NULL;
    }
    if (fail == RJ_TOO_DEEP) {
        req_error(r, 400, "too_deep", NULL, "%s", ei.msg);
        return NULL;
    }
    if (fail) {
        req_error(r, 400, "malformed_json", NULL, "%s", ei.msg);
        return NULL;
    }
    if (!cJSON_IsObject(r->json)) {
        req_error(r, 422, "invalid_field", NULL, "the body must be a JSON object");
        return NULL;
    }
    int rc = rj_only(r->json, allowed, &ei);
    if (rc) {
        req_error(r, 422, rc == RB_ENOTFOUND ? "unknown_field" : "invalid_field", ei.field, "%s",
                  ei.msg);
        return NULL;
    }
    return r->json;
}

bool req_body(rb_req *r, const struct body_def *def, void *out)
{
    const char *names[BODY_MEMBERS_MAX + 1];
    const cJSON *b = req_body_json(r, body_members(def, names));
    if (!b)
        return false;
    memset(out, 0, def->size);
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = def->read(b, &r->arena, out, &ei);
    if (rc == RB_ENOTFOUND)
        req_error(r, 422, "unknown_field", ei.field, "%s", ei.msg);
    else if (rc)
        req_fail(r, rc, &ei);
    return rc == 0;
}

bool req_page(rb_req *r, int *limit, const char **cursor)
{
    const char *l = req_query(r, "limit");
    int64_t v = 50;
    if (l && rb_parse_int64(l, 1, 500, &v)) {
        req_error(r, 422, "invalid_field", "limit", "\"limit\" must be an integer from 1 to 500");
        return false;
    }
    *limit = (int)v;
    *cursor = req_query(r, "cursor");
    return true;
}

void req_download(rb_req *r, const char *filename, const char *content_type, const void *data,
                  size_t len)
{
    rb_buf_add(req_out_begin(r, 200, content_type), data, len);
    /* RFC 6266: an ASCII fallback name, and the exact UTF-8 name percent-encoded. */
    rb_buf d;
    rb_buf_init(&d, sizeof(r->disposition) - 1);
    rb_buf_adds(&d, "attachment; filename=\"");
    for (const unsigned char *p = (const unsigned char *)filename; *p; p++)
        rb_buf_addc(&d, *p < 0x80 && *p != '\\' && *p != '"' ? (char)*p : '_');
    rb_buf_adds(&d, "\"; filename*=UTF-8''");
    for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            rb_buf_addc(&d, (char)*p);
        else
            rb_buf_printf(&d, "%%%02X", *p);
    }
    rb_strlcpy(r->disposition, d.err ? "attachment" : rb_buf_cstr(&d), sizeof(r->disposition));
    rb_buf_release(&d);
}

bool req_document(rb_req *r, const char *noun, const char *what)
{
    if (r->body_too_big) {
        req_error(r, 413, "too_large", NULL, "the %s is larger than %zu bytes", noun, r->body.max);
        return false;
    }
    const char *ct = req_header(r, "Content-Type");
    if (ct && strncasecmp(ct, "application/json", 16) != 0) {
        req_error(r, 415, "unsupported_media_type", NULL, "send %s as application/json (got %.*s)",
                  what, RB_CUT(ct, 60));
        return false;
    }
    return true;
}

void req_download_csv(rb_req *r, const char *stem, const rb_buf *csv)
{
    char day[RB_TIME_SIZE], name[80];
    rb_time_format(rb_now(), day);
    day[10] = '\0';
    rb_fmt(name, sizeof(name), "%s-%s.csv", stem, day);
    req_download(r, name, "text/csv; charset=utf-8", rb_buf_cstr(csv), csv->len);
}
