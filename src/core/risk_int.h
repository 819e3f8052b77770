/*
 * risk_int.h - what the parts of core/risk share (risk.c: the register; risk_matrix.c: the
 * matrix; risk_rollup.c: the heat map; risk_csv.c: import and export). Not for other modules.
 */
#ifndef RABTA_RISK_INT_H
#define RABTA_RISK_INT_H

#include "core/risk.h"
#include "core/write.h"

/* The columns of rb_risk (risk_record's order) over risks o joined with its owner orgs g. */
#define RISK_COLS                                                                                  \
    "o.id, o.owner_org, g.name, g.province, g.sector, o.title, o.description, o.category, "        \
    "o.likelihood, o.impact, o.inherent_score, o.residual_likelihood, o.residual_impact, "         \
    "o.residual_score, o.treatment, o.status, o.owner, o.due_date, o.review_date, o.tlp, "         \
    "o.catalog_id, o.accepted_by, o.accepted_at, o.acceptance_reason, o.created_by, "              \
    "o.created_at, o.updated_at, (SELECT count(*) FROM risk_controls rc WHERE rc.risk_id = "       \
    "o.id), o.seq"
#define RISK_FROM " FROM risks o JOIN orgs g ON g.id = o.owner_org"

/* Today as "YYYY-MM-DD". */
void risk__today(char out[RB_TIME_SIZE]);

/* Sets the members computed after a read (levels on m, overdue against today). */
void risk__derive(rb_risk *r, int n, const struct risk_matrix *m);

/* May the actor write the register of org_id (its own org's, with PERM_REPORT)? RB_EPERM with
 * ei saying why. */
int risk__may_write(const rb_actor *actor, const char *org_id, rb_errinfo *ei);

/* The guideline catalog the controls of in are of (its catalog_id, else the national guideline)
 * and that it has every one of them: out_catalog (set to "" when in names no controls). RB_EINVAL
 * naming "catalog_id" or "control_ids"; RB_EDB. */
int risk__resolve_controls(rb_db *db, const rb_actor *actor, const struct risk_input *in,
                           char out_catalog[RB_ID_SIZE], rb_errinfo *ei);

/* Inside w: records a new risk id of org_id from in (checked, defaults not yet applied), with its
 * controls of catalog_id ("" for none), its default grants and its first timeline event. */
int risk__insert(rb_write *w, const char *id, const char *org_id, const struct risk_input *in,
                 const char *catalog_id, const char *event);

/* Inside w: applies in (checked) to the risk cur (read with no policy check), with catalog_id
 * for in's controls. The timeline says what changed. RB_EINVAL, RB_ECONFLICT (ei says why). */
int risk__apply(rb_write *w, const rb_risk *cur, const struct risk_input *in,
                const char *catalog_id, rb_errinfo *ei);

/* Reads risk id with no policy check (inside a write, once the caller may). RB_ENOTFOUND. */
int risk__read(rb_db *db, const char *id, rb_arena *a, rb_risk *out);

#endif
