/*
 * risk_matrix.c - the one risk matrix: its size and bands, the level of a score, and the
 * National CERT's change of it (see risk.h).
 *
 * Must never: store a level (every answer computes it from the matrix it reads), or take a size
 * that leaves a recorded risk outside the matrix.
 */
#include "base/common.h"
#include "core/kind.h"
#include "core/policy.h"
#include "core/risk.h"
#include "core/risk_int.h"
#include "core/write.h"

const char *const risk_level_names[] = {"low", "medium", "high", "critical", NULL};

void risk_matrix_default(struct risk_matrix *m)
{
    memset(m, 0, sizeof(*m));
    m->size = 5;
    m->min_score[RLEVEL_LOW] = 1;
    m->min_score[RLEVEL_MEDIUM] = 5;
    m->min_score[RLEVEL_HIGH] = 10;
    m->min_score[RLEVEL_CRITICAL] = 15;
}

int risk_matrix_check(const struct risk_matrix *m, rb_errinfo *ei)
{
    if (m->size < RISK_SIZE_MIN || m->size > RISK_SIZE_MAX)
        return rb_err(ei, RB_EINVAL, "size",
                      "\"size\" is the number of likelihood and impact steps, %d to %d",
                      RISK_SIZE_MIN, RISK_SIZE_MAX);
    if (m->min_score[RLEVEL_LOW] != 1)
        return rb_err(ei, RB_EINVAL, "bands.low", "the low band starts at score 1");
    int top = m->size * m->size;
    for (int l = RLEVEL_MEDIUM; l < RLEVEL__COUNT; l++) {
        char field[32];
        rb_fmt(field, sizeof(field), "bands.%s", risk_level_names[l]);
        if (m->min_score[l] <= m->min_score[l - 1])
            return rb_err(ei, RB_EINVAL, field,
                          "the %s band must start above the %s band's first score (%d)",
                          risk_level_names[l], risk_level_names[l - 1], m->min_score[l - 1]);
        if (m->min_score[l] > top)
            return rb_err(ei, RB_EINVAL, field,
                          "the %s band starts at %d, above the highest score of a %dx%d matrix "
                          "(%d)",
                          risk_level_names[l], m->min_score[l], m->size, m->size, top);
    }
    return 0;
}

enum risk_level risk_matrix_level(const struct risk_matrix *m, int score)
{
    enum risk_level l = RLEVEL_LOW;
    for (int k = RLEVEL_MEDIUM; k < RLEVEL__COUNT; k++)
        if (score >= m->min_score[k])
            l = (enum risk_level)k;
    return l;
}

enum risk_level risk_matrix_cell(const struct risk_matrix *m, int likelihood, int impact)
{
    return risk_matrix_level(m, likelihood * impact);
}

void risk_matrix_range(const struct risk_matrix *m, enum risk_level l, int *lo, int *hi)
{
    *lo = m->min_score[l];
    *hi = l + 1 < RLEVEL__COUNT ? m->min_score[l + 1] - 1 : m->size * m->size;
}

int risk_matrix_get(rb_db *db, struct risk_matrix *out)
{
    risk_matrix_default(out);
    rb_stmt *st = NULL;
    int rc = db_query(db,
                      "SELECT size, medium_min, high_min, critical_min, updated_at, updated_by "
                      "FROM risk_matrix WHERE id = 1",
                      NULL, 0, &st);
    if (rc)
        return rc;
    if ((rc = db_step(st)) == DB_ROW) {
        out->size = (int)db_col_int(st, 0);
        out->min_score[RLEVEL_MEDIUM] = (int)db_col_int(st, 1);
        out->min_score[RLEVEL_HIGH] = (int)db_col_int(st, 2);
        out->min_score[RLEVEL_CRITICAL] = (int)db_col_int(st, 3);
        rb_strlcpy(out->updated_at, db_col_text(st, 4) ? db_col_text(st, 4) : "",
                   sizeof(out->updated_at));
        rb_strlcpy(out->updated_by, db_col_text(st, 5) ? db_col_text(st, 5) : "",
                   sizeof(out->updated_by));
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

/* The SQL level index (0 low .. 3 critical) of score column S on the bands bound at ?A, ?B, ?C
 * (the medium, high and critical minimums). */
#define LEVEL_SQL(S, A, B, C) "((" S " >= " A ") + (" S " >= " B ") + (" S " >= " C "))"

int risk_matrix_set(rb_db *db, const rb_actor *actor, const struct risk_matrix *m,
                    int64_t *relevelled, rb_errinfo *ei)
{
    if (!actor->system && (actor->org.nanc != 0 || !policy_can(actor, PERM_ORG_MANAGE)))
        return rb_err(ei, RB_EPERM, "", "only the National CERT's admins change the risk matrix");
    int rc = risk_matrix_check(m, ei);
    if (rc)
        return rc;
    struct risk_matrix old;
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    int64_t outside = 0, changed = 0;
    if (!(rc = risk_matrix_get(db, &old)))
        rc = db_query_int(db,
                          "SELECT count(*) FROM risks WHERE max(likelihood, impact, "
                          "residual_likelihood, residual_impact) > ?1",
                          DB_ARGS(DB_INT(m->size)), &outside);
    if (!rc && outside > 0)
        rc = rb_err(ei, RB_ECONFLICT, "size",
                    "%" PRId64 " risk%s a likelihood or impact above %d; change %s first", outside,
                    outside == 1 ? " has" : "s have", m->size, outside == 1 ? "it" : "them");
    /* How many risks the new bands put at another level, inherent or residual. */
    if (!rc)
        rc = db_query_int(
            db,
            "SELECT count(*) FROM risks WHERE " LEVEL_SQL(
                "inherent_score", "?1", "?2",
                "?3") " <> " LEVEL_SQL("inherent_score", "?4", "?5",
                                       "?6") " OR " LEVEL_SQL("residual_score", "?1", "?2",
                                                              "?3") " <> " LEVEL_SQL("residual_"
                                                                                     "score",
                                                                                     "?4", "?5",
                                                                                     "?6"),
            DB_ARGS(DB_INT(old.min_score[RLEVEL_MEDIUM]), DB_INT(old.min_score[RLEVEL_HIGH]),
                    DB_INT(old.min_score[RLEVEL_CRITICAL]), DB_INT(m->min_score[RLEVEL_MEDIUM]),
                    DB_INT(m->min_score[RLEVEL_HIGH]), DB_INT(m->min_score[RLEVEL_CRITICAL])),
            &changed);
    if (!rc)
        rc = db_exec(db,
                     "UPDATE risk_matrix SET size = ?1, medium_min = ?2, high_min = ?3, "
                     "critical_min = ?4, updated_at = ?5, updated_by = ?6 WHERE id = 1",
                     DB_ARGS(DB_INT(m->size), DB_INT(m->min_score[RLEVEL_MEDIUM]),
                             DB_INT(m->min_score[RLEVEL_HIGH]),
                             DB_INT(m->min_score[RLEVEL_CRITICAL]), DB_TEXT(w.now),
                             DB_TEXT(actor->label)));
    rc = write_end(&w, rc, "risk_matrix.update", &kind_org, actor->org.id, actor->org.id,
                   "cannot change the risk matrix");
    if (!rc && relevelled)
        *relevelled = changed;
    return rc;
}

void risk_matrix_write(rj_writer *w, const struct risk_matrix *m)
{
    rjw_kint(w, "size", m->size);
    rjw_karr(w, "bands");
    for (int l = 0; l < RLEVEL__COUNT; l++) {
        int lo, hi;
        risk_matrix_range(m, (enum risk_level)l, &lo, &hi);
        rjw_obj(w);
        rjw_kstr(w, "level", risk_level_names[l]);
        rjw_kint(w, "min_score", lo);
        rjw_kint(w, "max_score", hi);
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
    rjw_karr(w, "cells");
    for (int li = 1; li <= m->size; li++) {
        rjw_arr(w);
        for (int im = 1; im <= m->size; im++)
            rjw_str(w, risk_level_names[risk_matrix_cell(m, li, im)]);
        rjw_arr_end(w);
    }
    rjw_arr_end(w);
    rjw_kstr(w, "updated_at", m->updated_at[0] ? m->updated_at : NULL);
    rjw_kstr(w, "updated_by", m->updated_by[0] ? m->updated_by : NULL);
}
