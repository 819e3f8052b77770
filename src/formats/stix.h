/*
 * stix.h - STIX 2.1: an incident as a bundle, with the Incident Core extension and TLP 2.0.
 *
 * stix_incident_bundle() writes one rabta incident as a STIX 2.1 bundle of:
 *
 *   marking-definition  the TLP 2.0 marking of the incident's TLP, exactly as the TLP 2.0
 *                       extension publishes it (formats/tlp); every other object points at it
 *                       with object_marking_refs
 *   identity            the reporting org, the affected org and the handling CERT (one object per
 *                       distinct org; identity--<the org's id>, identity_class organization)
 *   incident            incident--<the incident's id>: created = reported_at, modified =
 *                       updated_at, created_by_ref = the reporting org; the ENISA class and type
 *                       as the MISP machine tag label rsit:<class>="<type>"; the reference people
 *                       use (INC-000042) as an external reference; and the Incident Core
 *                       extension (STIX_INCIDENT_CORE): extension_type, determination and
 *                       investigation_status from the status, criticality and a score from the
 *                       severity, incident_types from the ENISA type, impacted_entity_counts,
 *                       and `tasks` naming the task objects below
 *   task                one per step rabta knows the time or the outcome of (detection, report,
 *                       handling, containment, eradication, recovery, notification, final
 *                       report), with the Incident Core suite's task extension (STIX_TASK_EXT):
 *                       this is where version 2.0 of the extension keeps an incident's times
 *   relationship        incident "impacts" the affected org; the handling CERT is "contact-for"
 *                       the incident
 *
 * The mapping is one set of tables in stix.c (docs/decisions.md gives the reasons). Every
 * identifier's UUID part is the object's own id in rabta (incidents, orgs) or derived from it by
 * stix_uuid_named (tasks, relationships), so exporting the same incident again gives the same
 * ids, and a consumer updates its copy (a newer `modified`) instead of adding a second one. Only
 * the bundle's id is new each time (the caller gives it). Timestamps are RFC 3339 UTC with
 * milliseconds.
 *
 * A pure codec: no database, no HTTP, no clock; it depends only on base/, json/ and formats/tlp.
 */
#ifndef RABTA_STIX_H
#define RABTA_STIX_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "formats/tlp.h"

/* Incident Core Extension 2.0 (oasis-open/cti-stix-common-objects,
 * extension-definition-specifications/incident-core) and its task SDO extension. */
#define STIX_INCIDENT_CORE "extension-definition--ef765651-680c-498d-9894-99799f2fa126"
#define STIX_TASK_EXT "extension-definition--2074a052-8be4-4932-849e-f5e7798e0030"

/* "2026-11-28T00:50:16.000Z" plus NUL */
#define STIX_TIME_SIZE 25

/* An org as an identity. Every string is the caller's. */
struct stix_org {
    const char *id;                      /* a UUID: the identity is identity--<id> */
    const char *name;                    /* required */
    const char *sector;                  /* a rabta sector code ("health"), or NULL */
    const char *created_at, *updated_at; /* RFC 3339; required */
};

/* An incident as stix_incident_bundle reads it: rabta's names and times (RFC 3339), the
 * caller's strings. NULL times are "not (yet)". */
struct stix_incident {
    const char *id; /* a UUID */
    int64_t number; /* INC-000042 */
    const char *title, *description, *rsit_class, *rsit_type;
    const char *severity; /* "emergency" ... "baseline" */
    const char *status;   /* "new" ... "merged" */
    enum rb_tlp tlp;
    bool cii;
    const char *detected_at, *reported_at, *updated_at; /* required */
    const char *handling_since, *acknowledged_at, *contained_at, *notified_at, *final_report_at,
        *ended_at;
    struct stix_org reporter, affected, handler;
};

/* Appends the bundle (compact JSON) for x to out, with id bundle--<bundle_id>. Returns 0;
 * RB_EINVAL (ei says which member) for a value the mapping does not know (a severity, a status,
 * a TLP level), a missing required member, an id that is not a UUID or a time that is not RFC
 * 3339; RB_ETOOBIG past out's cap. out may hold a partial bundle after a failure. */
int stix_incident_bundle(const struct stix_incident *x, const char *bundle_id, rb_buf *out,
                         rb_errinfo *ei);

/* A rabta time (RFC 3339, any offset) as a STIX timestamp in UTC with milliseconds. Returns 0 or
 * RB_EINVAL. */
int stix_time(const char *t, char out[STIX_TIME_SIZE]);

/* The UUID that rabta gives the STIX object named `name` ("<incident id>/task/detected"): the
 * first 128 bits of SHA-256 over rabta's namespace UUID and the name, as an RFC 9562 version 8
 * (name-based, custom hash) UUID with the RFC 4122 variant. The same name gives the same UUID. */
void stix_uuid_named(const char *name, char out[37]);

/* The criticality (0-100, Incident Core Appendix B) of a rabta severity, or -1 when unknown. */
int stix_criticality(const char *severity);

#endif
