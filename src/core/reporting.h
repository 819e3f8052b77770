/*
 * reporting.h - the reporting policy: the deadlines of incidents, per handling tier and severity.
 *
 * Owns the reporting_policy table: one row per tier (the handling CERT's kind: national,
 * provincial, sectoral, government, CII CERT) and severity, holding the core/deadline rule in
 * seconds (0 turns a deadline off). The defaults are DESIGN §6 (deadline_rule_default), written
 * by the migration. Any signed-in user may read the policy; the national CERT's admins change it,
 * and the change is applied to every open incident in the same transaction (their due times are
 * computed again); closed incidents keep the deadlines they were judged by.
 */
#ifndef RABTA_REPORTING_H
#define RABTA_REPORTING_H

#include <stdbool.h>

#include "base/mem.h"
#include "core/actor.h"
#include "core/deadline.h"
#include "db/db.h"

/* The rule for incidents handled by a CERT of kind tier with severity sev; the default rule when
 * the table has no row (an institution never handles: its parent does). Returns 0 or RB_EDB. */
int reporting_rule(rb_db *db, enum rb_org_kind tier, enum rb_severity sev,
                   struct deadline_rule *out);

typedef struct rb_reporting_row {
    enum rb_org_kind tier;
    enum rb_severity severity;
    struct deadline_rule rule;
    char *updated_by, *updated_at; /* NULL while it is the default */
} rb_reporting_row;

/* Every row, by tier then severity (the CERT kinds times the severities). */
int reporting_list(rb_db *db, rb_arena *a, rb_reporting_row **out, int *n);

/* A change of one row: each member of rule that is negative stays as it is. */
struct reporting_change {
    enum rb_org_kind tier;
    enum rb_severity severity;
    struct deadline_rule rule;
};
/* The most seconds a deadline may be: a year. */
#define REPORTING_MAX_SECONDS (366 * 86400)

/* Changes rows (the national CERT's admins) and applies the policy to every open incident; the
 * whole change is one transaction and one audit entry. *reapplied (may be NULL) gets how many open
 * incidents were computed again; their ids are read into a (the request's arena: about 64 bytes
 * an open incident). Errors: RB_EPERM, RB_EINVAL (a tier that is not a CERT kind), RB_ENOMEM. */
int reporting_set(rb_db *db, const rb_actor *actor, const struct reporting_change *ch, int n,
                  int *reapplied, rb_arena *a, rb_errinfo *ei);

struct rj_writer;
void reporting_write_json(struct rj_writer *w, const rb_reporting_row *rows, int n);

#endif
