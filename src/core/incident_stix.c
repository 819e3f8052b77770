/*
 * incident_stix.c - an incident as a STIX 2.1 bundle: the reads, then formats/stix.
 *
 * Must never export an incident the actor may not read: the incident and the orgs it names are
 * read in one statement through the sharing policy (kind_get), before anything else.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "core/incident_stix.h"
#include "core/kind.h"
#include "core/policy.h"
#include "formats/stix.h"

/* The incident and its three orgs (the identities), as stix_incident_bundle reads them. */
#define ORG_MEMBERS(o) o.id, o.name, o.sector, o.created_at, o.updated_at
static const struct rb_member stix_members[] = {
    RB_HIDDEN_MEMBERS(struct stix_incident, id, number, title, description, rsit_class, rsit_type,
                      severity, status),
    RB_HIDDEN(struct stix_incident, tlp, tlp_mtype),
    RB_HIDDEN_MEMBERS(struct stix_incident, cii, detected_at, reported_at, updated_at,
                      handling_since, acknowledged_at, contained_at, notified_at, final_report_at,
                      ended_at),
    RB_HIDDEN_MEMBERS(struct stix_incident, ORG_MEMBERS(reporter)),
    RB_HIDDEN_MEMBERS(struct stix_incident, ORG_MEMBERS(affected)),
    RB_HIDDEN_MEMBERS(struct stix_incident, ORG_MEMBERS(handler)),
};
static const struct rb_record stix_record = RB_RECORD(struct stix_incident, stix_members);
#define ORG_COLS(g) g ".id, " g ".name, " g ".sector, " g ".created_at, " g ".updated_at"
/* stix_members' columns: the incident, then its reporter, affected org and handler. */
#define STIX_SQL                                                                                   \
    "SELECT o.id, o.seq, o.title, o.description, o.rsit_class, o.rsit_type, o.severity, "         \
    "o.status, o.tlp, o.cii, o.detected_at, o.reported_at, o.updated_at, o.handling_since, "       \
    "o.acknowledged_at, o.contained_at, o.notified_at, o.final_report_at, o.ended_at, "            \
    ORG_COLS("r") ", " ORG_COLS("f") ", " ORG_COLS("h") " FROM incidents o JOIN orgs r ON r.id "  \
    "= o.owner_org JOIN orgs f ON f.id = o.org_id JOIN orgs h ON h.id = o.handling_org WHERE "     \
    "o.id = ?1 AND " POLICY_SQL_READABLE

int incident_stix(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_buf *out)
{
    struct stix_incident s = {0};
    int rc = kind_get(&kind_incident, db, actor, STIX_SQL, id, a, &stix_record, &s);
    if (rc)
        return rc;
    /* Every org has a name and times: a NULL one is a full arena. */
    const struct stix_org *orgs[] = {&s.reporter, &s.affected, &s.handler};
    for (size_t i = 0; i < RB_ARRAY_LEN(orgs); i++)
        if (!orgs[i]->id || !orgs[i]->name || !orgs[i]->created_at || !orgs[i]->updated_at)
            return RB_ENOMEM;
    char bundle[RB_ID_SIZE];
    rb_uuid_new(bundle);
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    rc = stix_incident_bundle(&s, bundle, out, &ei);
    /* What rabta stores always maps; a refusal here is a bug, not the caller's input. */
    return rc == RB_ETOOBIG ? rc : (rc ? RB_EINTERNAL : 0);
}
