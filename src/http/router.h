/*
 * router.h - the route table: every HTTP route rabta serves, as data.
 *
 * The table is the data file src/http/routes.txt (its header says what each column holds),
 * turned into the rows of rb_routes[] at build time by scripts/embed.py; this header says what a
 * row means and how a request finds its row.
 *
 * A pattern is a path whose segments are literals or {name}; {name} segments are captured into
 * r->params in order. A segment may also be {name} followed by a literal suffix ({id}.ics): the
 * path's segment must end in it, and what comes before it (never empty) is captured. A route with
 * a suffix comes before the same path without one in the table, since the first match wins.
 * docs/api.md lists exactly these routes (checked by tests/api/test_docs.py against `rabta
 * routes`).
 */
#ifndef RABTA_ROUTER_H
#define RABTA_ROUTER_H

#include "core/kind.h"
#include "core/policy.h"
#include "http/request.h"

struct list_def;
struct view_def;
struct action_def;

enum route_flags {
    ROUTE_PUBLIC = 0,     /* no authentication */
    ROUTE_AUTH = 1,       /* a session cookie or bearer token is required */
    ROUTE_LARGE_BODY = 2, /* takes a document up to REQ_LARGE_BODY_MAX */
    /* A GET any caller may make (PERM_READ, WHO_ANY) whose handler reads {id} through the sharing
     * policy itself, answering 404 alike: dispatch does not load {id} first (the policy is
     * checked once). */
    ROUTE_READS_POLICY = 4,
};

/* Who, among the callers whose role holds the route's permission, may call it. The object is the
 * route's {id}, already loaded through its kind (core/kind.h), unless ROUTE_READS_POLICY. */
enum route_who {
    WHO_ANY = 0,        /* every such caller */
    WHO_CERT,           /* a caller whose org is a CERT */
    WHO_OWNER,          /* a caller of the org that owns the object */
    WHO_OWNER_PARENT,   /* a caller of the owner's parent CERT */
    WHO_OWNER_OR_ABOVE, /* a caller of the owner or of a CERT above it */
    WHO_ORG_ADMIN,      /* a caller of the owner, or of the national root */
    WHO_HANDLER,        /* a caller of the org that handles the object (an incident's CERT) */
    WHO_PARTY,          /* a caller of the handling org, the owner, or the org it is about */
    WHO__COUNT
};
extern const char *const route_who_names[]; /* "any", "cert", ... (rabta routes --json) */

/*
 * One route. Before the handler runs, dispatch authenticates (ROUTE_AUTH), loads {id} through
 * `kind` when the route names one (404 when the caller may not read it, whatever the caller's
 * role), checks that the caller's role holds `perm` (403) and that `who` admits the caller (403).
 * Handlers and core check again; the route row is what tests/api/test_authz_matrix.py reads.
 */
struct route {
    const char *method;
    const char *pattern;
    void (*handler)(rb_req *r);
    unsigned flags;
    const struct rb_kind *kind; /* what {id} names, or NULL */
    enum rb_perm perm;
    enum route_who who;
    const char *summary;
    const struct list_def *list;     /* the list h_list answers (http/list.h), or NULL */
    const struct view_def *view;     /* the object h_view answers (http/view.h), or NULL */
    const struct action_def *action; /* the write h_action runs (http/view.h), or NULL */
};

extern const struct route rb_routes[];
extern const size_t rb_routes_count;

/* Runs the route's checks for r (authenticated, params captured): loads {id} through the route's
 * kind and checks its permission and who. Returns true, or false with the error answer set. */
bool router_admit(rb_req *r, const struct route *rt);

/* Finds the route for method and path, capturing parameters into r->params. Returns NULL and
 * sets *path_known when the path exists only for other methods (405). */
const struct route *router_match(rb_req *r, const char *method, char *path, bool *path_known);

/* Handlers, one file per resource (h_*.c), and the row-driven ones: every list route's handler is
 * h_list (list.c), every object route's h_view and every write answered by an object or 204
 * h_action (view.c). */
void h_list(rb_req *r);
void h_view(rb_req *r);
void h_action(rb_req *r);
void h_healthz(rb_req *r);
void h_meta(rb_req *r);
void h_asset(rb_req *r);
void h_session_create(rb_req *r);
void h_session_get(rb_req *r);
void h_session_delete(rb_req *r);
void h_me(rb_req *r);
void h_me_update(rb_req *r);
void h_tokens_create(rb_req *r);
void h_catalogs_import(rb_req *r);
void h_catalogs_export(rb_req *r);
void h_audit_export(rb_req *r);
void h_audit_verify(rb_req *r);
void h_tlp_set(rb_req *r);
void h_profiles_reach(rb_req *r);
void h_profiles_export(rb_req *r);
void h_profiles_resolved(rb_req *r);
void h_campaigns_gaps(rb_req *r);
void h_campaigns_oscal(rb_req *r);
void h_assessments_oscal(rb_req *r);
void h_assessments_poam(rb_req *r);
void h_assessments_attach(rb_req *r);
void h_assessments_attachment(rb_req *r);
void h_incidents_stix(rb_req *r);
void h_advisories_import(rb_req *r);
void h_csaf_metadata(rb_req *r);
void h_csaf_index(rb_req *r);
void h_csaf_changes(rb_req *r);
void h_csaf_file(rb_req *r);
void h_csaf_key(rb_req *r);
void h_advisories_csaf(rb_req *r);
void h_incidents_attach(rb_req *r);
void h_incidents_stats(rb_req *r);
void h_incidents_export(rb_req *r);
void h_files_download(rb_req *r);
/* The file a core call adds to an object: attach(db, actor, id, filename, content_type, data,
 * len, out_id, ei), as incident_attach and training_attach. */
typedef int (*files_attach_fn)(rb_db *db, const rb_actor *actor, const char *id,
                               const char *filename, const char *content_type, const void *data,
                               size_t len, char out_id[RB_ID_SIZE], rb_errinfo *ei);
/* Adds the body, ?filename=, to the route's object ({id}) with attach, and answers 201 with the
 * file as the list of the object's files (route->kind) shows it (http/h_incidents.c). Core
 * decides who may add first, then the size: a body past the route's cap was dropped, and is
 * reported with a length of max + 1, which core refuses as too large. */
void h_files_attach(rb_req *r, size_t max, files_attach_fn attach);
void h_responsiveness(rb_req *r);
void h_inbox_read(rb_req *r);
void h_webhooks_create(rb_req *r);
void h_webhooks_test(rb_req *r);

#endif
