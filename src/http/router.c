/* router.c - the route table and matching. */
#include "base/common.h"
#include "http/router.h"

const struct route rb_routes[] = {
    {"GET", "/healthz", h_healthz, ROUTE_PUBLIC, "liveness: 200 {\"status\":\"ok\"}"},
    {"GET", "/api/v1/meta", h_meta, ROUTE_PUBLIC,
     "enumerations: roles, org kinds, provinces, sectors, TLP levels"},
    {"POST", "/api/v1/session", h_session_create, ROUTE_PUBLIC,
     "sign in with email and password; sets the session cookie, returns the CSRF token"},
    {"GET", "/api/v1/session", h_session_get, ROUTE_AUTH,
     "the current cookie session's CSRF token"},
    {"DELETE", "/api/v1/session", h_session_delete, ROUTE_AUTH, "sign out"},
    {"GET", "/api/v1/me", h_me, ROUTE_AUTH, "the caller: user, org and permissions"},
    {"POST", "/api/v1/me/password", h_me_password, ROUTE_AUTH, "change one's own password"},
    {"GET", "/api/v1/orgs", h_orgs_list, ROUTE_AUTH,
     "orgs the caller may see, level by level (tree order), paginated and filtered"},
    {"POST", "/api/v1/orgs", h_orgs_create, ROUTE_AUTH, "create an org below one's own CERT"},
    {"GET", "/api/v1/orgs/{id}", h_orgs_get, ROUTE_AUTH, "one org"},
    {"PATCH", "/api/v1/orgs/{id}", h_orgs_update, ROUTE_AUTH, "change an org"},
    {"GET", "/api/v1/users", h_users_list, ROUTE_AUTH, "users of an org (admins, auditors)"},
    {"POST", "/api/v1/users", h_users_create, ROUTE_AUTH, "create a user"},
    {"GET", "/api/v1/users/{id}", h_users_get, ROUTE_AUTH, "one user"},
    {"PATCH", "/api/v1/users/{id}", h_users_update, ROUTE_AUTH, "disable or re-enable a user"},
    {"POST", "/api/v1/users/{id}/password", h_users_password, ROUTE_AUTH,
     "an admin sets a user's password"},
    {"GET", "/api/v1/tokens", h_tokens_list, ROUTE_AUTH, "the caller's API tokens"},
    {"POST", "/api/v1/tokens", h_tokens_create, ROUTE_AUTH,
     "create an API token (the token is returned once)"},
    {"DELETE", "/api/v1/tokens/{id}", h_tokens_delete, ROUTE_AUTH, "revoke one's API token"},
    {"GET", "/api/v1/audit", h_audit_list, ROUTE_AUTH,
     "audit entries of the caller's org and subtree (admins, auditors)"},
    {"GET", "/api/v1/catalogs", h_catalogs_list, ROUTE_AUTH, "guideline catalogs the caller may read"},
    {"POST", "/api/v1/catalogs", h_catalogs_import, ROUTE_AUTH | ROUTE_LARGE_BODY,
     "import an OSCAL catalog (the body is the OSCAL JSON; ?tlp=CLEAR|GREEN|AMBER)"},
    {"GET", "/api/v1/catalogs/{id}", h_catalogs_get, ROUTE_AUTH, "one catalog with its groups"},
    {"GET", "/api/v1/catalogs/{id}/controls", h_catalogs_controls, ROUTE_AUTH,
     "controls of a catalog, searchable (?q=, ?domain=), paginated"},
    {"GET", "/api/v1/catalogs/{id}/controls/{control}", h_catalogs_control, ROUTE_AUTH,
     "one control with statement, guidance and objectives (parameters resolved)"},
    {"GET", "/api/v1/catalogs/{id}/oscal", h_catalogs_export, ROUTE_AUTH,
     "the catalog exported as OSCAL catalog JSON"},
    {"GET", "/api/v1/profiles", h_profiles_list, ROUTE_AUTH, "profiles the caller may read"},
    {"POST", "/api/v1/profiles", h_profiles_create, ROUTE_AUTH | ROUTE_LARGE_BODY,
     "make a profile from ticked controls, or import an OSCAL profile (\"oscal\")"},
    {"GET", "/api/v1/profiles/{id}", h_profiles_get, ROUTE_AUTH,
     "one profile with its control ids"},
    {"GET", "/api/v1/profiles/{id}/trend", h_profiles_trend, ROUTE_AUTH,
     "mean preparedness per campaign of the profile, oldest first (?root=)"},
    {"GET", "/api/v1/campaigns", h_campaigns_list, ROUTE_AUTH, "campaigns the caller may read"},
    {"POST", "/api/v1/campaigns", h_campaigns_create, ROUTE_AUTH,
     "launch a campaign over one's CERT's subtree; creates the assessments"},
    {"GET", "/api/v1/campaigns/{id}", h_campaigns_get, ROUTE_AUTH, "one campaign"},
    {"POST", "/api/v1/campaigns/{id}/close", h_campaigns_close, ROUTE_AUTH,
     "close a campaign: its assessments no longer change"},
    {"GET", "/api/v1/campaigns/{id}/rollup", h_campaigns_rollup, ROUTE_AUTH,
     "preparedness roll-up over the readable assessments (?root= for a subtree)"},
    {"GET", "/api/v1/campaigns/{id}/gaps", h_campaigns_gaps, ROUTE_AUTH,
     "weakest controls and domains (?root=, ?limit=, ?format=csv)"},
    {"GET", "/api/v1/assessments", h_assessments_list, ROUTE_AUTH,
     "assessments the caller may read (?campaign_id=, ?org_id=, ?status=, ?mine=1)"},
    {"GET", "/api/v1/assessments/{id}", h_assessments_get, ROUTE_AUTH,
     "one assessment with every control and its answer"},
    {"PUT", "/api/v1/assessments/{id}/answers", h_assessments_answers, ROUTE_AUTH,
     "save answers as a draft"},
    {"POST", "/api/v1/assessments/{id}/submit", h_assessments_submit, ROUTE_AUTH,
     "submit a fully answered assessment (scores it)"},
    {"POST", "/api/v1/assessments/{id}/review", h_assessments_review, ROUTE_AUTH,
     "the parent CERT accepts or returns controls"},
    {"GET", "/api/v1/assessments/{id}/history", h_assessments_history, ROUTE_AUTH,
     "every step of the assessment"},
    {"POST", "/api/v1/assessments/{id}/attachments", h_assessments_attach,
     ROUTE_AUTH | ROUTE_LARGE_BODY,
     "attach an evidence file to a control (?control_id=&filename=; the body is the file)"},
    {"GET", "/api/v1/assessments/{id}/attachments", h_assessments_attachments, ROUTE_AUTH,
     "the evidence files of an assessment (metadata)"},
    {"GET", "/api/v1/assessments/{id}/attachments/{attachment}", h_assessments_attachment,
     ROUTE_AUTH, "download one evidence file"},
    {"GET", "/api/v1/assessments/{id}/oscal", h_assessments_oscal, ROUTE_AUTH,
     "the assessment as OSCAL assessment-results JSON"},
    {"GET", "/", h_asset, ROUTE_PUBLIC, "the web UI"},
    {"GET", "/ui/{file}", h_asset, ROUTE_PUBLIC, "web UI assets"},
};
const size_t rb_routes_count = RB_ARRAY_LEN(rb_routes);

/* Matches pattern against path segment by segment; {x} captures one non-empty segment. */
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

const struct route *router_match(rb_req *r, const char *method, char *path, bool *path_known)
{
    *path_known = false;
    for (size_t i = 0; i < rb_routes_count; i++) {
        if (!match(rb_routes[i].pattern, path, NULL))
            continue;
        if (strcmp(rb_routes[i].method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(rb_routes[i].method, "GET") == 0)) {
            match(rb_routes[i].pattern, path, r);
            return &rb_routes[i];
        }
        *path_known = true;
    }
    return NULL;
}
