/*
 * incident_stix.c - an incident as a STIX 2.1 bundle: the reads, then formats/stix.
 *
 * Must never export an incident the actor may not read: the incident is read through
 * incident_get (the sharing policy) before anything else, and only the orgs it names are read.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "core/incident.h"
#include "core/incident_stix.h"
#include "formats/stix.h"

/* The facts of one org for its identity (no policy check: the caller read the incident). */
static int org_identity(rb_db *db, const char *id, rb_arena *a, struct stix_org *out)
{
    rb_stmt *st = NULL;
    int rc = db_query(db, "SELECT id, name, sector, created_at, updated_at FROM orgs WHERE id = ?1",
                      DB_ARGS(DB_TEXT(id)), &st);
    if (rc)
        return rc;
    rc = db_step(st);
    if (rc == DB_ROW) {
        out->id = db_col_dup(st, 0, a);
        out->name = db_col_dup(st, 1, a);
        out->sector = db_col_dup(st, 2, a);
        out->created_at = db_col_dup(st, 3, a);
        out->updated_at = db_col_dup(st, 4, a);
    }
    db_done(st);
    if (rc != DB_ROW)
        return rc < 0 ? rc : RB_ENOTFOUND;
    return out->id && out->name && out->created_at && out->updated_at ? 0 : RB_ENOMEM;
}

int incident_stix(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_buf *out)
{
    rb_incident x;
    int rc = incident_get(db, actor, id, a, &x);
    if (rc)
        return rc;
    enum rb_tlp tlp = TLP_RED;
    if (tlp_parse(x.tlp, &tlp))
        return RB_EINTERNAL;
    struct stix_incident s = {
        .id = x.id,
        .number = x.number,
        .title = x.title,
        .description = x.description,
        .rsit_class = x.rsit_class,
        .rsit_type = x.rsit_type,
        .severity = x.severity,
        .status = x.status,
        .tlp = tlp,
        .cii = x.cii,
        .detected_at = x.detected_at,
        .reported_at = x.reported_at,
        .updated_at = x.updated_at,
        .handling_since = x.handling_since,
        .acknowledged_at = x.acknowledged_at,
        .contained_at = x.contained_at,
        .notified_at = x.notified_at,
        .final_report_at = x.final_report_at,
        .ended_at = x.ended_at,
    };
    if ((rc = org_identity(db, x.owner_org, a, &s.reporter)) ||
        (rc = org_identity(db, x.org_id, a, &s.affected)) ||
        (rc = org_identity(db, x.handling_org, a, &s.handler)))
        return rc;
    char bundle[RB_ID_SIZE];
    rb_uuid_new(bundle);
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    rc = stix_incident_bundle(&s, bundle, out, &ei);
    /* What rabta stores always maps; a refusal here is a bug, not the caller's input. */
    return rc == RB_ETOOBIG ? rc : (rc ? RB_EINTERNAL : 0);
}
