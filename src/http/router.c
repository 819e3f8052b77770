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

/* Route rows: R(method, pattern, handler, kind of {id}, permission, who, summary), for a signed-in
 * caller. A route answered by a row names the row instead of a handler: L(method, pattern,
 * &list_x, ...) runs h_list, V(..., &view_x, ...) h_view and A(..., &action_x, ...) h_action. Each
 * row says only what differs from the common case: R_LARGE and A_LARGE take a large body, PUBLIC
 * needs no sign-in (so no permission or who), and the READ rows are the GETs any signed-in caller
 * may make (PERM_READ, WHO_ANY; the kind, when there is one, still decides which objects). */
#define ROW(m, p, h, f, k, perm, who, sum, l, v, a)                                                \
    {                                                                                              \
        m, p, h, f, k, perm, who, sum, l, v, a                                                     \
    }
#define LARGE (ROUTE_AUTH | ROUTE_LARGE_BODY)
#define R(m, p, h, k, perm, who, sum) ROW(m, p, h, ROUTE_AUTH, k, perm, who, sum, NULL, NULL, NULL)
#define R_LARGE(m, p, h, k, perm, who, sum) ROW(m, p, h, LARGE, k, perm, who, sum, NULL, NULL, NULL)
#define L(m, p, l, k, perm, who, sum)                                                              \
    ROW(m, p, h_list, ROUTE_AUTH, k, perm, who, sum, l, NULL, NULL)
#define V(m, p, v, k, perm, who, sum)                                                              \
    ROW(m, p, h_view, ROUTE_AUTH, k, perm, who, sum, NULL, v, NULL)
#define A(m, p, a, k, perm, who, sum)                                                              \
    ROW(m, p, h_action, ROUTE_AUTH, k, perm, who, sum, NULL, NULL, a)
#define A_LARGE(m, p, a, k, perm, who, sum)                                                        \
    ROW(m, p, h_action, LARGE, k, perm, who, sum, NULL, NULL, a)
#define PUBLIC(m, p, h, sum)                                                                       \
    ROW(m, p, h, ROUTE_PUBLIC, NULL, PERM_READ, WHO_ANY, sum, NULL, NULL, NULL)
#define READ(p, h, k, sum) R("GET", p, h, k, PERM_READ, WHO_ANY, sum)
#define READ_LIST(p, l, k, sum) L("GET", p, l, k, PERM_READ, WHO_ANY, sum)
#define READ_VIEW(p, v, k, sum) V("GET", p, v, k, PERM_READ, WHO_ANY, sum)
/* A READ_VIEW whose view reads {id} through the policy itself (ROUTE_READS_POLICY). */
#define READ_VIEW_CHECKED(p, v, k, sum)                                                            \
    ROW("GET", p, h_view, ROUTE_AUTH | ROUTE_READS_POLICY, k, PERM_READ, WHO_ANY, sum, NULL, v,    \
        NULL)

const struct route rb_routes[] = {
    PUBLIC("GET", "/healthz", h_healthz, "liveness: 200 {\"status\":\"ok\"}"),
    PUBLIC("GET", "/api/v1/meta", h_meta,
           "enumerations: roles, org kinds, provinces, sectors, TLP levels"),
    PUBLIC("POST", "/api/v1/session", h_session_create,
           "sign in with email and password; sets the session cookie, returns the CSRF token"),
    READ("/api/v1/session", h_session_get, NULL, "the current cookie session's CSRF token"),
    R("DELETE", "/api/v1/session", h_session_delete, NULL, PERM_READ, WHO_ANY, "sign out"),
    READ("/api/v1/me", h_me, NULL, "the caller: user, org and permissions"),
    R("PATCH", "/api/v1/me", h_me_update, NULL, PERM_READ, WHO_ANY,
      "change one's own settings: e-mail for the org's inbox on or off (email_notify)"),
    L("GET", "/api/v1/me/colleagues", &list_colleagues, NULL, PERM_READ, WHO_ANY,
      "the active people of the caller's org, by email: whom a person may name (a session's "
      "staff)"),
    A("POST", "/api/v1/me/password", &action_me_password, NULL, PERM_READ, WHO_ANY,
      "change one's own password"),
    READ_LIST("/api/v1/orgs", &list_orgs, NULL,
              "orgs the caller may see, level by level (tree order), paginated and filtered"),
    A("POST", "/api/v1/orgs", &action_org_create, NULL, PERM_ORG_MANAGE, WHO_CERT,
      "create an org below one's own CERT"),
    READ_VIEW("/api/v1/orgs/{id}", &view_org, &kind_org, "one org"),
    A("PATCH", "/api/v1/orgs/{id}", &action_org_update, &kind_org, PERM_ORG_MANAGE,
      WHO_OWNER_OR_ABOVE, "change an org"),
    L("GET", "/api/v1/orgs/{id}/webhooks", &list_webhooks, &kind_org, PERM_ORG_MANAGE, WHO_OWNER,
      "the org's webhooks (its admins), never their secrets, each with its last "
      "delivery"),
    R("POST", "/api/v1/orgs/{id}/webhooks", h_webhooks_create, &kind_org, PERM_ORG_MANAGE,
      WHO_OWNER, "add a webhook (url, events); the signing secret is returned once"),
    A("DELETE", "/api/v1/orgs/{id}/webhooks/{webhook}", &action_webhook_remove, &kind_org,
      PERM_ORG_MANAGE, WHO_OWNER, "remove a webhook (disabled; its delivery log stays)"),
    L("GET", "/api/v1/orgs/{id}/webhooks/{webhook}/deliveries", &list_webhook_deliveries, &kind_org,
      PERM_ORG_MANAGE, WHO_OWNER, "the webhook's messages, newest first, each with every try"),
    R("POST", "/api/v1/orgs/{id}/webhooks/{webhook}/test", h_webhooks_test, &kind_org,
      PERM_ORG_MANAGE, WHO_OWNER, "queue a signed ping to the webhook"),
    READ_LIST("/api/v1/orgs/{id}/inventory", &list_inventory, &kind_inventory,
              "the products the org runs (its users and the CERTs above it), by vendor and "
              "product (?q= in vendor or product)"),
    A("POST", "/api/v1/orgs/{id}/inventory", &action_inventory_add, &kind_inventory, PERM_REPORT,
      WHO_OWNER, "add a product to the org's own inventory (vendor, product, version, cpe, purl)"),
    A("PATCH", "/api/v1/orgs/{id}/inventory/{item}", &action_inventory_update, &kind_inventory,
      PERM_REPORT, WHO_OWNER,
      "change an item of the org's own inventory (\"\" clears an optional member)"),
    A("DELETE", "/api/v1/orgs/{id}/inventory/{item}", &action_inventory_remove, &kind_inventory,
      PERM_REPORT, WHO_OWNER, "remove an item of the org's own inventory"),
    R_LARGE("POST", "/api/v1/orgs/{id}/inventory/import", h_inventory_import, &kind_inventory,
            PERM_REPORT, WHO_OWNER,
            "import a CSV file (text/csv: vendor,product,version,cpe,purl); added to the "
            "inventory, or with ?replace=1 instead of it; duplicates are skipped and counted"),
    READ("/api/v1/orgs/{id}/inventory/export", h_inventory_export, &kind_inventory,
         "the inventory as CSV (the import's columns)"),
    L("GET", "/api/v1/users", &list_users, NULL, PERM_USER_READ, WHO_ANY,
      "users of an org (admins, auditors)"),
    A("POST", "/api/v1/users", &action_user_create, NULL, PERM_USER_MANAGE, WHO_ANY,
      "create a user"),
    READ_VIEW("/api/v1/users/{id}", &view_user, &kind_user, "one user"),
    A("PATCH", "/api/v1/users/{id}", &action_user_update, &kind_user, PERM_USER_MANAGE,
      WHO_ORG_ADMIN, "disable or re-enable a user"),
    A("POST", "/api/v1/users/{id}/password", &action_user_password, &kind_user, PERM_USER_MANAGE,
      WHO_ORG_ADMIN, "an admin sets a user's password"),
    L("GET", "/api/v1/tokens", &list_tokens, NULL, PERM_TOKEN_OWN, WHO_ANY,
      "the caller's API tokens"),
    R("POST", "/api/v1/tokens", h_tokens_create, NULL, PERM_TOKEN_OWN, WHO_ANY,
      "create an API token (the token is returned once)"),
    A("DELETE", "/api/v1/tokens/{id}", &action_token_revoke, &kind_token, PERM_TOKEN_OWN, WHO_ANY,
      "revoke one's API token"),
    L("GET", "/api/v1/audit", &list_audit, NULL, PERM_AUDIT_READ, WHO_ANY,
      "audit entries of the caller's org and subtree (admins, auditors); filters ?actor=, "
      "?action=, ?org_id=, ?object_kind=, ?object_id=, ?since=, ?until=, ?changes=1"),
    R("GET", "/api/v1/audit/export", h_audit_export, NULL, PERM_AUDIT_READ, WHO_ANY,
      "the same entries as CSV (the list's filters; at most 10,000 entries)"),
    R("GET", "/api/v1/audit/verify", h_audit_verify, NULL, PERM_AUDIT_READ, WHO_ANY,
      "check the whole audit chain, as rabta audit verify does"),
    READ_LIST("/api/v1/catalogs", &list_catalogs, NULL, "guideline catalogs the caller may read"),
    R_LARGE("POST", "/api/v1/catalogs", h_catalogs_import, NULL, PERM_PUBLISH, WHO_CERT,
            "import an OSCAL catalog (the body is the OSCAL JSON; ?tlp=CLEAR|GREEN|AMBER, else the "
            "document's TLP marking, else GREEN)"),
    READ_VIEW("/api/v1/catalogs/{id}", &view_catalog, &kind_catalog, "one catalog with its groups"),
    READ_LIST("/api/v1/catalogs/{id}/controls", &list_controls, &kind_catalog,
              "controls of a catalog, searchable (?q=, ?domain=), paginated"),
    READ_VIEW("/api/v1/catalogs/{id}/controls/{control}", &view_control, &kind_catalog,
              "one control with statement, guidance and objectives (parameters resolved)"),
    READ("/api/v1/catalogs/{id}/oscal", h_catalogs_export, &kind_catalog,
         "the catalog exported as OSCAL catalog JSON"),
    R("PATCH", "/api/v1/catalogs/{id}", h_tlp_set, &kind_catalog, PERM_SHARE, WHO_OWNER,
      "change a catalog's TLP (its owner's analysts and admins); its profiles follow"),
    READ_VIEW("/api/v1/catalogs/{id}/grants", &view_grants, &kind_catalog,
              "the orgs a catalog is shared with"),
    A("POST", "/api/v1/catalogs/{id}/grants", &action_grants_add, &kind_catalog, PERM_SHARE,
      WHO_ANY,
      "share a catalog with an org (scope org or subtree) as TLP allows; its profiles "
      "follow"),
    READ_LIST("/api/v1/profiles", &list_profiles, NULL, "profiles the caller may read"),
    A_LARGE("POST", "/api/v1/profiles", &action_profile_create, NULL, PERM_PUBLISH, WHO_CERT,
            "make a profile from ticked controls, or import an OSCAL profile (\"oscal\")"),
    READ_VIEW("/api/v1/profiles/{id}", &view_profile, &kind_profile,
              "one profile with its control ids"),
    READ("/api/v1/profiles/{id}/oscal", h_profiles_export, &kind_profile,
         "the profile as an OSCAL profile document (as imported; a ticked profile as the profile "
         "selecting its controls)"),
    READ("/api/v1/profiles/{id}/resolved", h_profiles_resolved, &kind_profile,
         "the profile's resolved catalog (OSCAL profile resolution), with resolution-tool and "
         "source-profile metadata"),
    READ_VIEW("/api/v1/profiles/{id}/trend", &view_trend, &kind_profile,
              "mean preparedness per campaign of the profile, oldest first (?root=)"),
    R("GET", "/api/v1/profiles/{id}/reach", h_profiles_reach, &kind_profile, PERM_PUBLISH, WHO_CERT,
      "how many orgs a campaign of the profile would assess, and whether it may be "
      "launched (?kind=, ?province=, ?sector=)"),
    READ_LIST("/api/v1/campaigns", &list_campaigns, NULL, "campaigns the caller may read"),
    A("POST", "/api/v1/campaigns", &action_campaign_launch, NULL, PERM_PUBLISH, WHO_CERT,
      "launch a campaign over one's CERT's subtree; creates the assessments"),
    READ_VIEW("/api/v1/campaigns/{id}", &view_campaign, &kind_campaign, "one campaign"),
    A("POST", "/api/v1/campaigns/{id}/close", &action_campaign_close, &kind_campaign, PERM_PUBLISH,
      WHO_OWNER, "close a campaign: its assessments no longer change"),
    READ_VIEW("/api/v1/campaigns/{id}/rollup", &view_rollup, &kind_campaign,
              "preparedness roll-up over the readable assessments (?root= for a subtree)"),
    READ("/api/v1/campaigns/{id}/oscal", h_campaigns_oscal, &kind_campaign,
         "the campaign as an OSCAL assessment-plan: its profile's controls, the orgs in scope, "
         "the due date"),
    READ("/api/v1/campaigns/{id}/gaps", h_campaigns_gaps, &kind_campaign,
         "weakest controls and domains (?root=, ?limit=, ?format=csv)"),
    READ_LIST("/api/v1/assessments", &list_assessments, NULL,
              "assessments the caller may read (?campaign_id=, ?org_id=, ?status=, ?mine=1)"),
    READ_VIEW("/api/v1/assessments/{id}", &view_assessment, &kind_assessment,
              "one assessment with every control and its answer"),
    A("PUT", "/api/v1/assessments/{id}/answers", &action_assessment_save, &kind_assessment,
      PERM_REPORT, WHO_OWNER, "save answers as a draft"),
    A("POST", "/api/v1/assessments/{id}/submit", &action_assessment_submit, &kind_assessment,
      PERM_REPORT, WHO_OWNER, "submit a fully answered assessment (scores it)"),
    A("POST", "/api/v1/assessments/{id}/review", &action_assessment_review, &kind_assessment,
      PERM_TRIAGE, WHO_OWNER_PARENT, "the parent CERT accepts or returns controls"),
    READ_LIST("/api/v1/assessments/{id}/history", &list_history, &kind_assessment,
              "every step of the assessment"),
    R_LARGE("POST", "/api/v1/assessments/{id}/attachments", h_assessments_attach, &kind_assessment,
            PERM_REPORT, WHO_OWNER,
            "attach an evidence file to a control (?control_id=&filename=; the body is the file)"),
    READ_LIST("/api/v1/assessments/{id}/attachments", &list_attachments, &kind_assessment,
              "the evidence files of an assessment (metadata)"),
    READ("/api/v1/assessments/{id}/attachments/{attachment}", h_assessments_attachment,
         &kind_assessment, "download one evidence file"),
    READ("/api/v1/assessments/{id}/oscal", h_assessments_oscal, &kind_assessment,
         "the assessment as OSCAL assessment-results JSON"),
    READ("/api/v1/assessments/{id}/poam", h_assessments_poam, &kind_assessment,
         "a reviewed assessment's gaps and the org's plan for them as an OSCAL "
         "plan-of-action-and-milestones"),
    A("PUT", "/api/v1/assessments/{id}/poam/{control}", &action_assessment_poam, &kind_assessment,
      PERM_REPORT, WHO_OWNER,
      "the org's plan for one gap of its reviewed assessment: owner, due_date, weakness"),
    READ_LIST(
        "/api/v1/incidents", &list_incidents, NULL,
        "incidents the caller may read, newest first (?severity=, ?status= (comma lists), "
        "?rsit_class=, ?province=, ?overdue=1, ?open=1, ?cii=1, ?handling_org_id=, ?org_id=, ?q=, "
        "?since=, ?until=)"),
    A("POST", "/api/v1/incidents", &action_incident_report, NULL, PERM_REPORT, WHO_ANY,
      "report an incident (a CERT may name org_id of its constituency)"),
    READ("/api/v1/incidents/stats", h_incidents_stats, NULL,
         "counts of the readable incidents the list's filters match: open and overdue by severity, "
         "by status, open by province"),
    READ("/api/v1/incidents/export", h_incidents_export, NULL,
         "the list as CSV (the list's filters; at most 100,000 rows)"),
    READ_VIEW_CHECKED("/api/v1/incidents/{id}", &view_incident, &kind_incident,
                      "one incident with its clocks, what is due next and its handling CERTs"),
    READ("/api/v1/incidents/{id}/stix", h_incidents_stix, &kind_incident,
         "the incident as a STIX 2.1 bundle: Incident Core extension, TLP 2.0 marking, the "
         "orgs as identities"),
    A("PATCH", "/api/v1/incidents/{id}", &action_incident_update, &kind_incident, PERM_REPORT,
      WHO_PARTY, "change fields, the status (by the transition table) or the TLP"),
    A("POST", "/api/v1/incidents/{id}/acknowledge", &action_incident_acknowledge, &kind_incident,
      PERM_TRIAGE, WHO_HANDLER, "the handling CERT acknowledges it"),
    A("POST", "/api/v1/incidents/{id}/escalate", &action_incident_escalate, &kind_incident,
      PERM_TRIAGE, WHO_HANDLER, "escalate to the next CERT up, with a reason"),
    A("POST", "/api/v1/incidents/{id}/comments", &action_incident_comment, &kind_incident,
      PERM_REPORT, WHO_ANY, "a comment in the timeline"),
    A("POST", "/api/v1/incidents/{id}/reports", &action_incident_report_stage, &kind_incident,
      PERM_REPORT, WHO_PARTY, "file the incident notification or the final report"),
    A("POST", "/api/v1/incidents/{id}/merge", &action_incident_merge, &kind_incident, PERM_TRIAGE,
      WHO_HANDLER, "merge a duplicate into the incident named by into"),
    READ_LIST("/api/v1/incidents/{id}/timeline", &list_timeline, &kind_incident,
              "every change and comment, oldest first"),
    READ_LIST("/api/v1/incidents/{id}/tasks", &list_incident_tasks, &kind_incident,
              "the incident's tasks"),
    A("POST", "/api/v1/incidents/{id}/tasks", &action_task_add, &kind_incident, PERM_REPORT,
      WHO_PARTY, "add a task (title, assignee_org_id, due_date)"),
    A("PATCH", "/api/v1/incidents/{id}/tasks/{task}", &action_task_update, &kind_incident,
      PERM_REPORT, WHO_ANY,
      "change a task or mark it done (the parties, or the assignee marking it done)"),
    READ_LIST("/api/v1/incidents/{id}/links", &list_incident_links, &kind_incident,
              "related incidents the caller may read too"),
    A("POST", "/api/v1/incidents/{id}/links", &action_link_add, &kind_incident, PERM_REPORT,
      WHO_ANY, "link to a related incident (incident_id, reason)"),
    READ_LIST("/api/v1/incidents/{id}/attachments", &list_files, &kind_incident,
              "the incident's files (metadata)"),
    R_LARGE("POST", "/api/v1/incidents/{id}/attachments", h_incidents_attach, &kind_incident,
            PERM_REPORT, WHO_ANY,
            "attach a file (?filename=; the body is the file, at most 10 MiB)"),
    READ("/api/v1/incidents/{id}/attachments/{file}", h_files_download, &kind_incident,
         "download one file"),
    READ_VIEW("/api/v1/incidents/{id}/grants", &view_grants, &kind_incident,
              "who the incident is shared with"),
    A("POST", "/api/v1/incidents/{id}/grants", &action_grants_add, &kind_incident, PERM_SHARE,
      WHO_ANY, "share the incident with an org (by the TLP's rules)"),
    READ_LIST("/api/v1/tasks", &list_my_tasks, NULL,
              "open incident tasks assigned to the caller's org, due first"),
    READ("/api/v1/responsiveness", h_responsiveness, NULL,
         "acknowledgement, containment, open and overdue per handling CERT and per province over "
         "the readable incidents (?since=, ?until=, default the last 90 days; ?format=csv)"),
    READ_VIEW("/api/v1/taxonomy/rsit", &view_taxonomy, NULL,
              "the ENISA incident classes and types with their descriptions"),
    READ_VIEW("/api/v1/reporting-policy", &view_reporting, NULL,
              "the deadlines per handling tier and severity"),
    A("PUT", "/api/v1/reporting-policy", &action_reporting_set, NULL, PERM_ORG_MANAGE, WHO_ANY,
      "change deadlines (the National CERT's admins); applied to every open incident"),
    READ_LIST("/api/v1/inbox", &list_inbox, NULL,
              "what the caller's org must act on, newest first (?unread=1)"),
    READ_VIEW("/api/v1/inbox/count", &view_inbox_count, NULL,
              "how many items the caller has not read"),
    R("POST", "/api/v1/inbox/read", h_inbox_read, NULL, PERM_READ, WHO_ANY,
      "mark items read for the caller (seqs, or all)"),
    READ_LIST("/api/v1/advisories", &list_advisories, NULL,
              "advisories the caller may read, newest first (?severity=, ?status=draft|published, "
              "?my_status=, ?to_act=1, ?q= over title, tracking id, CVEs and products, ?cve=)"),
    A("POST", "/api/v1/advisories", &action_advisory_create, NULL, PERM_PUBLISH, WHO_CERT,
      "write an advisory (a draft): title, summary, products, vulnerabilities, remediations, "
      "references, severity, tlp"),
    R_LARGE("POST", "/api/v1/advisories/import", h_advisories_import, NULL, PERM_PUBLISH, WHO_CERT,
            "import a CSAF 2.0 document (the body; ?tlp= overrides its label): a draft, or the "
            "next revision of one the org holds"),
    READ_VIEW("/api/v1/advisories/{id}", &view_advisory, &kind_advisory,
              "one advisory with the caller's org's record"),
    A("PATCH", "/api/v1/advisories/{id}", &action_advisory_revise, &kind_advisory, PERM_PUBLISH,
      WHO_OWNER,
      "a new revision (authored: any member; material reopens acknowledgement), or "
      "a change of severity or tlp"),
    READ("/api/v1/advisories/{id}/csaf", h_advisories_csaf, &kind_advisory,
         "the advisory as CSAF 2.0 JSON (?revision=N for an earlier one)"),
    READ_LIST("/api/v1/advisories/{id}/revisions", &list_advisory_revisions, &kind_advisory,
              "the advisory's revisions, newest first"),
    A("POST", "/api/v1/advisories/{id}/publish", &action_advisory_publish, &kind_advisory,
      PERM_PUBLISH, WHO_OWNER,
      "publish a draft to the owner's constituency (scope subtree) or to named orgs (scope "
      "orgs, org_ids): every reader gets a record"),
    READ_LIST("/api/v1/advisories/{id}/acks", &list_advisory_acks, &kind_advisory,
              "the records the caller may see: its own org's and those below it (the owner: "
              "all), likely affected that have not acted first, then overdue (?status=, "
              "?overdue=1, ?province=)"),
    READ_VIEW("/api/v1/advisories/{id}/acks/stats", &view_ack_stats, &kind_advisory,
              "counts of those records by status, by province and by sector, overdue and likely "
              "affected"),
    A("POST", "/api/v1/advisories/{id}/acks", &action_advisory_ack, &kind_advisory, PERM_READ,
      WHO_ANY, "move the caller's org's record (status, note)"),
    READ_LIST("/api/v1/advisories/{id}/timeline", &list_timeline, &kind_advisory,
              "what happened to the advisory, oldest first"),
    READ_VIEW("/api/v1/advisories/{id}/grants", &view_grants, &kind_advisory,
              "who the advisory is shared with"),
    A("POST", "/api/v1/advisories/{id}/grants", &action_grants_add, &kind_advisory, PERM_SHARE,
      WHO_ANY,
      "share or relay the advisory with an org (by the TLP's rules): its readers get "
      "records"),
    READ_LIST("/api/v1/acks", &list_my_acks, NULL,
              "the caller's org's advisory records, what is due first (open ones; ?all=1)"),
    READ_VIEW("/api/v1/advisory-policy", &view_adv_policy, NULL,
              "the acknowledgement and mitigation deadlines per severity"),
    A("PUT", "/api/v1/advisory-policy", &action_adv_policy_set, NULL, PERM_ORG_MANAGE, WHO_ANY,
      "change one severity's deadlines (the National CERT's admins)"),
    READ_LIST("/api/v1/trainings", &list_trainings, NULL,
              "training sessions the caller may read, by start (?from=, ?to=, ?status=, ?mode=, "
              "?invited=1, ?mine=1, ?org_id=, ?order=newest)"),
    A("POST", "/api/v1/trainings", &action_training_create, NULL, PERM_PUBLISH, WHO_CERT,
      "organise a session: title, description, topics, mode, starts_at, ends_at, venue, "
      "meeting_url, invited_org_ids, staff_user_ids, capacity (status draft or scheduled)"),
    READ_VIEW("/api/v1/trainings/rollup", &view_training_rollup, NULL,
              "sessions held, orgs reached, attendance by mode, feedback and domains covered, per "
              "province, per CERT and per org, over the readable sessions (?root=, ?since=, "
              "?until=)"),
    READ("/api/v1/trainings/gaps", h_trainings_gaps, NULL,
         "training meets the gaps: the weakest domains of a campaign's scores beside the "
         "sessions on them, and the weak orgs with none yet (?root=, ?campaign_id=, ?below=, "
         "?domain=, ?limit=)"),
    READ("/api/v1/trainings/{id}.ics", h_trainings_ics, &kind_training,
         "the session as an iCalendar file (RFC 5545)"),
    READ_VIEW("/api/v1/trainings/{id}", &view_training, &kind_training,
              "one session with its counts, topics and the caller's part in it"),
    A("PATCH", "/api/v1/trainings/{id}", &action_training_update, &kind_training, PERM_PUBLISH,
      WHO_OWNER, "change a session, schedule a draft (sends the invitations) or cancel it"),
    READ_LIST("/api/v1/trainings/{id}/invites", &list_training_invites, &kind_training,
              "the orgs invited, each with its people registered and attended by mode"),
    A("POST", "/api/v1/trainings/{id}/invites", &action_training_invite, &kind_training,
      PERM_PUBLISH, WHO_OWNER, "invite orgs of the organiser's constituency (org_ids)"),
    READ_LIST("/api/v1/trainings/{id}/people", &list_training_people, &kind_training,
              "the people registered (the organiser: all; an invited org: its own), with their "
              "attendance and feedback"),
    A("POST", "/api/v1/trainings/{id}/people", &action_training_register, &kind_training,
      PERM_REPORT, WHO_ANY,
      "register a person (name, email; the organiser names org_id); 409 when full"),
    A("POST", "/api/v1/trainings/{id}/unregister", &action_training_unregister, &kind_training,
      PERM_REPORT, WHO_ANY, "take a registration back, before attendance (person_id)"),
    A("POST", "/api/v1/trainings/{id}/attendance", &action_training_attend, &kind_training,
      PERM_PUBLISH, WHO_OWNER,
      "record how a person attended (person_id, mode in_person or virtual, or null)"),
    A("POST", "/api/v1/trainings/{id}/feedback", &action_training_feedback, &kind_training,
      PERM_REPORT, WHO_ANY, "an attendee's feedback (person_id, rating 1-5, comment)"),
    READ_LIST("/api/v1/trainings/{id}/links", &list_training_links, &kind_training,
              "the session's materials given as links"),
    A("POST", "/api/v1/trainings/{id}/links", &action_training_link, &kind_training, PERM_PUBLISH,
      WHO_OWNER, "add a material as a link (title, url)"),
    READ_LIST("/api/v1/trainings/{id}/files", &list_files, &kind_training,
              "the session's material files (metadata)"),
    R_LARGE("POST", "/api/v1/trainings/{id}/files", h_trainings_attach, &kind_training,
            PERM_PUBLISH, WHO_OWNER,
            "add a material file (?filename=; the body is the file, at most 20 MiB)"),
    READ("/api/v1/trainings/{id}/files/{file}", h_files_download, &kind_training,
         "download one material file"),
    READ_LIST("/api/v1/trainings/{id}/timeline", &list_timeline, &kind_training,
              "what happened to the session, oldest first"),
    V("GET", "/api/v1/orgs/{id}/calendar-feed", &view_calendar_feed, &kind_org, PERM_REPORT,
      WHO_OWNER, "the org's calendar feed, if it has one (never its token)"),
    R("POST", "/api/v1/orgs/{id}/calendar-feed", h_calendar_feed_create, &kind_org, PERM_REPORT,
      WHO_OWNER, "make the org's calendar feed (revoking the old one): its token and path, once"),
    A("DELETE", "/api/v1/orgs/{id}/calendar-feed", &action_calendar_feed_revoke, &kind_org,
      PERM_REPORT, WHO_OWNER, "revoke the org's calendar feed: its URL answers 404"),
    PUBLIC("GET", "/api/v1/calendar/{token}.ics", h_calendar_feed_public,
           "an org's calendar feed (text/calendar, METHOD:PUBLISH): the sessions it is invited to "
           "or organises; 404 once revoked"),
    READ_LIST("/api/v1/risks", &list_risks, NULL,
              "the readable risks, highest residual score first (?org_id=, ?level= (residual), "
              "?status=, ?treatment=, ?category=, ?overdue=1 (treatment or review), ?q= in the "
              "title)"),
    A("POST", "/api/v1/risks", &action_risk_create, NULL, PERM_REPORT, WHO_ANY,
      "record a risk in one's own org's register (title, description, category, likelihood, "
      "impact, residual_likelihood, residual_impact, treatment, owner, due_date, review_date, "
      "control_ids, catalog_id, tlp)"),
    R_LARGE("POST", "/api/v1/risks/import", h_risks_import, NULL, PERM_REPORT, WHO_ANY,
            "import a register as CSV (text/csv: title,likelihood,impact,...; a row with an id "
            "changes that risk) into one's own org's: every row or none"),
    READ("/api/v1/risks/export", h_risks_export, NULL,
         "the readable risks as CSV (the list's filters; the import's columns and the computed "
         "ones)"),
    READ("/api/v1/risks/heatmap", h_risks_heatmap, NULL,
         "the heat map of the risks of one's constituency (?root= an org of it, ?basis=residual|"
         "inherent): counts per cell, by province and sector, overdue treatments and reviews, "
         "the top risks (titles where readable)"),
    READ_VIEW("/api/v1/risks/{id}", &view_risk, &kind_risk,
              "one risk with its levels, its linked controls and their answers in the owner's "
              "latest accepted assessment"),
    A("PATCH", "/api/v1/risks/{id}", &action_risk_update, &kind_risk, PERM_REPORT, WHO_OWNER,
      "change a risk of one's own register (the POST's members, status, comment; null clears "
      "owner, due_date, review_date)"),
    A("POST", "/api/v1/risks/{id}/accept", &action_risk_accept, &kind_risk, PERM_RISK_ACCEPT,
      WHO_OWNER, "an admin of the owner accepts the risk (reason, review_date)"),
    READ_LIST("/api/v1/risks/{id}/timeline", &list_timeline, &kind_risk,
              "what happened to the risk, oldest first"),
    READ_VIEW("/api/v1/risks/{id}/grants", &view_grants, &kind_risk, "who the risk is shared with"),
    A("POST", "/api/v1/risks/{id}/grants", &action_grants_add, &kind_risk, PERM_SHARE, WHO_ANY,
      "share the risk with an org (by the TLP's rules: AMBER+STRICT and RED, the owner alone "
      "and scope org)"),
    READ_VIEW("/api/v1/risk-matrix", &view_risk_matrix, NULL,
              "the risk matrix: size, bands and the level of every cell"),
    R("PUT", "/api/v1/risk-matrix", h_risk_matrix_set, NULL, PERM_ORG_MANAGE, WHO_ANY,
      "change the size and bands (the National CERT's admins); every risk is levelled anew"),
    PUBLIC("GET", "/.well-known/csaf/provider-metadata.json", h_csaf_metadata,
           "rabta as a CSAF provider: who publishes and where the TLP:CLEAR advisories are"),
    PUBLIC("GET", "/.well-known/csaf/clear/index.txt", h_csaf_index,
           "the paths of the published TLP:CLEAR advisories, one per line"),
    PUBLIC("GET", "/.well-known/csaf/clear/changes.csv", h_csaf_changes,
           "path and current release date of each, newest first"),
    PUBLIC("GET", "/.well-known/csaf/clear/{year}/{name}", h_csaf_file,
           "one published TLP:CLEAR advisory as CSAF 2.0 JSON (<file>.json), or its hash "
           "(<file>.json.sha256, .sha512) and, with a signing key, its OpenPGP signature "
           "(<file>.json.asc)"),
    PUBLIC("GET", "/.well-known/csaf/openpgp/{key}", h_csaf_key,
           "the provider's OpenPGP public key (<fingerprint>.asc), when a signing key is set"),
    PUBLIC("GET", "/", h_asset, "the web UI"),
    PUBLIC("GET", "/ui/{file}", h_asset, "web UI assets"),
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
