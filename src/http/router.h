/*
 * router.h - the route table: every HTTP route rabta serves, as data.
 *
 * A pattern is a path whose segments are literals or {name}; {name} segments are captured into
 * r->params in order. docs/api.md lists exactly these routes (checked by tests/api/test_docs.py
 * against `rabta routes`).
 */
#ifndef RABTA_ROUTER_H
#define RABTA_ROUTER_H

#include "http/request.h"

enum route_flags {
    ROUTE_PUBLIC = 0,  /* no authentication */
    ROUTE_AUTH = 1,       /* a session cookie or bearer token is required */
    ROUTE_LARGE_BODY = 2, /* takes a document up to REQ_LARGE_BODY_MAX */
};

struct route {
    const char *method;
    const char *pattern;
    void (*handler)(rb_req *r);
    unsigned flags;
    const char *summary;
};

extern const struct route rb_routes[];
extern const size_t rb_routes_count;

/* Finds the route for method and path, capturing parameters into r->params. Returns NULL and
 * sets *path_known when the path exists only for other methods (405). */
const struct route *router_match(rb_req *r, const char *method, char *path, bool *path_known);

/* Handlers, one file per resource (h_*.c). */
void h_healthz(rb_req *r);
void h_meta(rb_req *r);
void h_asset(rb_req *r);
void h_session_create(rb_req *r);
void h_session_get(rb_req *r);
void h_session_delete(rb_req *r);
void h_me(rb_req *r);
void h_me_password(rb_req *r);
void h_orgs_list(rb_req *r);
void h_orgs_get(rb_req *r);
void h_orgs_create(rb_req *r);
void h_orgs_update(rb_req *r);
void h_users_list(rb_req *r);
void h_users_get(rb_req *r);
void h_users_create(rb_req *r);
void h_users_update(rb_req *r);
void h_users_password(rb_req *r);
void h_tokens_list(rb_req *r);
void h_tokens_create(rb_req *r);
void h_tokens_delete(rb_req *r);
void h_audit_list(rb_req *r);
void h_catalogs_list(rb_req *r);
void h_catalogs_import(rb_req *r);
void h_catalogs_get(rb_req *r);
void h_catalogs_controls(rb_req *r);
void h_catalogs_control(rb_req *r);
void h_catalogs_export(rb_req *r);
void h_profiles_list(rb_req *r);
void h_profiles_get(rb_req *r);
void h_profiles_create(rb_req *r);
void h_profiles_trend(rb_req *r);
void h_campaigns_list(rb_req *r);
void h_campaigns_get(rb_req *r);
void h_campaigns_create(rb_req *r);
void h_campaigns_rollup(rb_req *r);
void h_campaigns_close(rb_req *r);
void h_campaigns_gaps(rb_req *r);
void h_assessments_list(rb_req *r);
void h_assessments_get(rb_req *r);
void h_assessments_answers(rb_req *r);
void h_assessments_submit(rb_req *r);
void h_assessments_review(rb_req *r);
void h_assessments_history(rb_req *r);
void h_assessments_oscal(rb_req *r);
void h_assessments_attach(rb_req *r);
void h_assessments_attachments(rb_req *r);
void h_assessments_attachment(rb_req *r);

#endif
