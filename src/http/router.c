/* router.c - the route table and matching. */
#include "base/common.h"
#include "core/org.h"
#include "http/inventory.h"
#include "http/list.h"
#include "http/trainings.h"
#include "http/risks.h"
#include "http/router.h"
#include "http/view.h"

#include <pthread.h>

/* The route table is data: src/http/routes.txt, one route a line with its summary, turned into
 * these rows at build time (scripts/embed.py routes). */
const struct route rb_routes[] = {
#include "routes_rows.h"
};
const size_t rb_routes_count = RB_ARRAY_LEN(rb_routes);

const char *const route_who_names[] = {"any",          "cert",           "owner",
                                       "owner_parent", "owner_or_above", "org_admin",
                                       "handler",      "party",          NULL};

static const char *const who_refusals[WHO__COUNT] = {
    [WHO_CERT] = "only a CERT may do this; your org is an institution",
    [WHO_OWNER] = "only the org that owns it may do this",
    [WHO_OWNER_PARENT] = "only the parent CERT of the org that owns it may do this",
    [WHO_OWNER_OR_ABOVE] = "only the org itself or a CERT above it may do this",
    [WHO_ORG_ADMIN] = "only an admin of the user's own org, or the national admin, may do this",
    [WHO_HANDLER] = "only the CERT handling it may do this",
    [WHO_PARTY] = "only the CERT handling it, the org that reported it and the org it concerns "
                  "may do this",
};

static bool who_admits(enum route_who who, const rb_actor *a, const struct kind_ref *ref)
{
    if (a->system)
        return true;
    switch (who) {
    case WHO_ANY:
        return true;
    case WHO_CERT:
        return rb_org_kind_is_cert(a->org.kind);
    case WHO_OWNER:
        return strcmp(a->org.id, ref->owner_org) == 0;
    case WHO_OWNER_PARENT:
        return ref->owner_parent[0] && strcmp(a->org.id, ref->owner_parent) == 0;
    case WHO_OWNER_OR_ABOVE: /* "or above" needs the owner's ancestors: router_admit */
        return strcmp(a->org.id, ref->owner_org) == 0;
    case WHO_ORG_ADMIN:
        return strcmp(a->org.id, ref->owner_org) == 0 || a->org.nanc == 0;
    case WHO_HANDLER:
        return ref->handler[0] && strcmp(a->org.id, ref->handler) == 0;
    case WHO_PARTY:
        return strcmp(a->org.id, ref->owner_org) == 0 || strcmp(a->org.id, ref->subject) == 0 ||
               (ref->handler[0] && strcmp(a->org.id, ref->handler) == 0);
    default:
        return false;
    }
}

bool router_admit(rb_req *r, const struct route *rt)
{
    struct kind_ref ref;
    memset(&ref, 0, sizeof(ref));
    /* The handler checks the policy itself, and who needs nothing of the object. */
    bool handler_checks =
        (rt->flags & ROUTE_READS_POLICY) && rt->perm == PERM_READ && rt->who == WHO_ANY;
    if (rt->kind && r->params[0] && !handler_checks) {
        int rc = kind_load(rt->kind, r->db, &r->actor, r->params[0], &ref);
        if (rc) {
            req_fail(r, rc, NULL);
            return false;
        }
    }
    if (!(rt->flags & ROUTE_AUTH))
        return true;
    if (!policy_can(&r->actor, rt->perm)) {
        req_error(r, 403, "forbidden", NULL, "your role (%s) may not %s",
                  rb_role_names[r->actor.role], rb_perm_table[rt->perm].what);
        return false;
    }
    bool ok = who_admits(rt->who, &r->actor, &ref);
    if (!ok && rt->who == WHO_OWNER_OR_ABOVE && ref.owner_org[0]) {
        /* Above the owner: the caller's org is one of the owner's ancestors. */
        rb_orgref owner;
        ok = org_ref_load(r->db, ref.owner_org, &owner) == 0 &&
             policy_is_ancestor(r->actor.org.id, &owner);
    }
    if (!ok) {
        req_error(r, 403, "forbidden", NULL, "%s", who_refusals[rt->who]);
        return false;
    }
    return true;
}

/* Matches pattern against path segment by segment; {x} captures one non-empty segment. A literal
 * after {x} in the same segment is a suffix the segment must end in ({id}.ics): the capture is
 * what comes before it, and is never empty. */
static bool match(const char *pattern, char *path, rb_req *r)
{
    const char *p = pattern;
    char *s = path;
    int np = 0;
    while (*p && *s) {
        if (*p == '{') {
            const char *pe = strchr(p, '}');
            char *se = strchr(s, '/');
            size_t len = se ? (size_t)(se - s) : strlen(s);
            if (!pe || len == 0 || np >= REQ_MAX_PARAMS)
                return false;
            const char *pse = strchr(pe + 1, '/');
            size_t suffix = pse ? (size_t)(pse - (pe + 1)) : strlen(pe + 1);
            if (suffix > 0) {
                if (len <= suffix || memcmp(s + len - suffix, pe + 1, suffix) != 0)
                    return false;
                len -= suffix;
            }
            if (r) {
                char *copy = rb_arena_strndup(&r->arena, s, len);
                if (!copy)
                    return false;
                r->params[np] = copy;
            }
            np++;
            p = pe + 1;
            s += len;
            continue;
        }
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    return *p == '\0' && *s == '\0';
}

/* Most routes are told apart by their first KEY_SEGMENTS segments, all literal: each route's are
 * hashed once, so a request tries match() only on the routes whose hash is its path's (and on
 * those with a {name} among them), in table order still. */
#define KEY_SEGMENTS 3
#define KEY_ANY UINT64_MAX /* a {name} among the first segments: always tried */

/* The hash of s's first KEY_SEGMENTS segments, or KEY_ANY for a pattern with a {name} there. */
static uint64_t key_of(const char *s, bool pattern)
{
    uint64_t h = 1469598103934665603ULL;
    int slashes = 0;
    for (; *s; s++) {
        if (*s == '/' && ++slashes > KEY_SEGMENTS)
            break;
        if (pattern && *s == '{')
            return KEY_ANY;
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    }
    return h == KEY_ANY ? KEY_ANY - 1 : h;
}

static uint64_t route_keys[RB_ARRAY_LEN(rb_routes)];
static pthread_once_t keys_once = PTHREAD_ONCE_INIT;

static void keys_init(void)
{
    for (size_t i = 0; i < rb_routes_count; i++)
        route_keys[i] = key_of(rb_routes[i].pattern, true);
}

const struct route *router_match(rb_req *r, const char *method, char *path, bool *path_known)
{
    *path_known = false;
    pthread_once(&keys_once, keys_init);
    uint64_t key = key_of(path, false);
    for (size_t i = 0; i < rb_routes_count; i++) {
        if ((route_keys[i] != key && route_keys[i] != KEY_ANY) ||
            !match(rb_routes[i].pattern, path, NULL))
            continue;
        if (strcmp(rb_routes[i].method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(rb_routes[i].method, "GET") == 0)) {
            /* Captures the params; a full request pool leaves none, which is no match. */
            if (!match(rb_routes[i].pattern, path, r))
                return NULL;
            return &rb_routes[i];
        }
        *path_known = true;
    }
    return NULL;
}
