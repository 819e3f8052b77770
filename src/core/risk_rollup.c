/*
 * risk_rollup.c - the heat-map roll-up of the risks of a CERT's constituency, or of the nation
 * (see risk.h, risk_heatmap).
 *
 * Every risk of the subtree that is not closed counts, readable or not (oversight, decision 60),
 * except RED ones the viewer may not read; what names a risk (its id, its title) is shown only
 * where the viewer may read it. Must never: name a risk the viewer may not read, or count a risk
 * outside the subtree asked for.
 */
#include "base/common.h"
#include "core/kind.h"
#include "core/org.h"
#include "core/policy.h"
#include "core/risk.h"
#include "core/risk_int.h"

const char *const risk_basis_names[] = {"residual", "inherent", NULL};

/* Risks of the subtree of ?1 (NULL: every org) that count for the viewer. */
#define COUNTED                                                                                    \
    "o.status <> 'closed' AND (?1 IS NULL OR o.owner_org IN (SELECT descendant_id FROM "           \
    "org_closure WHERE ancestor_id = ?1)) AND (o.tlp <> 'RED' OR " POLICY_SQL_READABLE ")"

/*
 * The counts of cells and orgs come from the tallies (0010_risks.sql), which the triggers keep of
 * the risks that count for every viewer (not closed, not RED): the roll-up over a subtree reads the
 * tallies of the orgs whose parent is in it, and the root's own risks apart, so its work grows with
 * the number of CERTs, provinces, sectors and cells, not with the number of risks (decision 61).
 * The overdue ones are read from partial indexes in date order, the RED ones the viewer may read
 * from theirs. Every statement comes in two forms: over every org (the national root: no subtree
 * test) and over the subtree of ?1.
 */
#define PLAIN "o.status <> 'closed' AND o.tlp <> 'RED'"
#define SUBTREE " AND o.owner_org IN (SELECT descendant_id FROM org_closure WHERE ancestor_id = ?1)"
#define BELOW(COL) " AND " COL " IN (SELECT descendant_id FROM org_closure WHERE ancestor_id = ?1)"

/* Per province, sector and cell, basis ?2: the tallies of the orgs below the root (every org but
 * the root, for the nation), and the root's own risks. */
#define CELLS_SQL(COND)                                                                            \
    "SELECT nullif(t.province, ''), nullif(t.sector, ''), t.l, t.i, sum(t.n) FROM risk_tally t "   \
    "WHERE t.basis = ?2 AND t.n > 0" COND " GROUP BY t.province, t.sector, t.l, t.i"
static const char *const cells_sql[2] = {CELLS_SQL(" AND t.parent_org <> ''"),
                                         CELLS_SQL(BELOW("t.parent_org"))};
#define OWN_CELLS_SQL(L, I)                                                                        \
    "SELECT o.province, o.sector, " L ", " I                                                       \
    ", count(*) FROM risks o WHERE o.owner_org = ?1 AND " PLAIN                                    \
    " GROUP BY o.province, o.sector, " L ", " I
static const char *const own_cells_sql[2] = {
    OWN_CELLS_SQL("o.residual_likelihood", "o.residual_impact"),
    OWN_CELLS_SQL("o.likelihood", "o.impact"),
};

/* Per province and sector: the orgs below the root with a counted risk (an org has one province
 * and one sector, so the counts of a province's sectors add up), and whether the root has one. */
#define ORGS_SQL(COND)                                                                             \
    "SELECT nullif(t.province, ''), nullif(t.sector, ''), count(*) FROM risk_owner_tally t WHERE " \
    "t.n > 0" COND " GROUP BY t.province, t.sector"
static const char *const orgs_sql[2] = {ORGS_SQL(" AND t.parent_org <> ''"),
                                        ORGS_SQL(BELOW("t.parent_org"))};
#define OWN_ORG_SQL                                                                                \
    "SELECT g.province, g.sector, 1 FROM orgs g JOIN risk_owner_tally t ON t.owner_org = g.id "    \
    "WHERE g.id = ?1 AND t.n > 0"

/* Per province and sector: treatments overdue (open or in progress, due before ?2, today)... */
#define DUE_SQL(SUB)                                                                               \
    "SELECT o.province, o.sector, count(*) FROM risks o WHERE o.status IN ('open', "               \
    "'in_progress') AND o.tlp <> 'RED' AND o.due_date < ?2" SUB " GROUP BY o.province, o.sector"
static const char *const due_sql[2] = {DUE_SQL(""), DUE_SQL(SUBTREE)};
/* ... reviews overdue ... */
#define REVIEW_SQL(SUB)                                                                            \
    "SELECT o.province, o.sector, count(*) FROM risks o WHERE " PLAIN                              \
    " AND o.review_date < ?2" SUB " GROUP BY o.province, o.sector"
static const char *const review_sql[2] = {REVIEW_SQL(""), REVIEW_SQL(SUBTREE)};
/* The RED risks that are not closed and that the viewer may read, with whether their owner has a
 * counted risk already (so that it is counted once). */
#define RED_SQL(SUB)                                                                               \
    "SELECT o.province, o.sector, o.residual_likelihood, o.residual_impact, o.likelihood, "        \
    "o.impact, o.status, o.due_date, o.review_date, o.owner_org, EXISTS (SELECT 1 FROM risks c "   \
    "WHERE c.owner_org = o.owner_org AND c.status <> 'closed' AND c.tlp <> 'RED') FROM risks o "   \
    "WHERE o.tlp = 'RED' AND o.status <> 'closed' AND ?2 IS NOT NULL" SUB                          \
    " AND (?104 = 1 OR o.owner_org = ?101 OR o.id IN (SELECT object_id FROM grants WHERE org_id "  \
    "= "                                                                                           \
    "?101 AND object_kind = ?102)) AND " POLICY_SQL_READABLE " ORDER BY o.owner_org"
static const char *const red_sql[2] = {RED_SQL(""), RED_SQL(SUBTREE)};

/* The highest risks that count for the viewer, from risks_order (the top ones are met first). */
#define TOP_SQL(L, I, S)                                                                           \
    "SELECT o.id, o.title, o.owner_org, g.name, " L ", " I ", " S ", " POLICY_SQL_READABLE         \
    " FROM risks o JOIN orgs g ON g.id = o.owner_org WHERE " COUNTED " ORDER BY " S " DESC, "      \
    "o.seq DESC LIMIT ?3"
static const char *const top_sql[] = {
    TOP_SQL("o.residual_likelihood", "o.residual_impact", "o.residual_score"),
    TOP_SQL("o.likelihood", "o.impact", "o.inherent_score"),
};

/* A growing list of groups by key, in the arena. */
struct groups {
    struct risk_group *g;
    int n, cap;
};

static struct risk_group *group_of(struct groups *gs, const char *key, rb_arena *a)
{
    for (int i = 0; i < gs->n; i++)
        if ((!key && !gs->g[i].key) || (key && gs->g[i].key && strcmp(key, gs->g[i].key) == 0))
            return &gs->g[i];
    if (gs->n == gs->cap) {
        int cap = gs->cap ? gs->cap * 2 : 16;
        struct risk_group *g = rb_arena_alloc(a, sizeof(*g) * (size_t)cap);
        if (!g)
            return NULL;
        if (gs->n)
            memcpy(g, gs->g, sizeof(*g) * (size_t)gs->n);
        gs->g = g;
        gs->cap = cap;
    }
    struct risk_group *g = &gs->g[gs->n++];
    memset(g, 0, sizeof(*g));
    if (key && !(g->key = rb_arena_strdup(a, key)))
        return NULL;
    return g;
}

/* The groups the row at st counts in: g[0] all, g[1] its province's (column 0), g[2] its
 * sector's (column 1). False when the arena is full. */
static bool row_groups(rb_stmt *st, struct risk_group *all, struct groups *prov,
                       struct groups *sect, rb_arena *a, struct risk_group *g[3])
{
    g[0] = all;
    g[1] = group_of(prov, db_col_text(st, 0), a);
    g[2] = group_of(sect, db_col_text(st, 1), a);
    return g[1] && g[2];
}

/* Adds n risks of the cell (l, i) to g. */
static void group_add(struct risk_group *g, int size, int l, int i, int n)
{
    if (l >= 1 && l <= size && i >= 1 && i <= size)
        g->counts[(l - 1) * size + (i - 1)] += n;
    g->total += n;
}

static void group_levels(struct risk_group *g, const struct risk_matrix *m)
{
    for (int l = 1; l <= m->size; l++)
        for (int i = 1; i <= m->size; i++)
            g->by_level[risk_matrix_cell(m, l, i)] += g->counts[(l - 1) * m->size + (i - 1)];
}

static int cmp_group(const void *x, const void *y)
{
    const struct risk_group *a = x, *b = y;
    if (!a->key || !b->key)
        return (a->key == NULL) - (b->key == NULL);
    return strcmp(a->key, b->key);
}

int risk_heatmap(rb_db *db, const rb_actor *actor, const char *root, enum risk_basis basis,
                 rb_arena *a, struct risk_heatmap *out, rb_errinfo *ei)
{
    memset(out, 0, sizeof(*out));
    const char *root_id = root ? root : actor->org.id;
    rb_orgref ref;
    int rc = org_ref_load(db, root_id, &ref);
    if (rc == RB_ENOTFOUND || (!rc && !actor->system && !policy_in_subtree(actor->org.id, &ref)))
        return rb_err(ei, RB_ENOTFOUND, "root", "no org with that root in your constituency");
    if (rc || (rc = risk_matrix_get(db, &out->m)))
        return rc;
    rb_strlcpy(out->root_id, ref.id, sizeof(out->root_id));
    out->basis = basis;
    rb_stmt *st = NULL;
    if ((rc = db_query(db,
                       "SELECT name, (SELECT count(*) FROM org_closure WHERE ancestor_id = ?1) "
                       "FROM orgs WHERE id = ?1",
                       DB_ARGS(DB_TEXT(ref.id)), &st)))
        return rc;
    if ((rc = db_step(st)) == DB_ROW) {
        out->root_name = db_col_dup(st, 0, a);
        out->orgs = (int)db_col_int(st, 1);
    }
    db_done(st);
    if (rc < 0)
        return rc;
    /* The root of the tree: every org, with no subtree test. */
    const char *subtree = ref.nanc == 0 ? NULL : ref.id;
    char today[RB_TIME_SIZE];
    risk__today(today);
    int sub = subtree != NULL;
    struct groups prov = {0}, sect = {0};
    int size = out->m.size;
    /* The cells, the overdue treatments and reviews, and the orgs, per province and sector: of
     * the orgs below the root (tallies, indexes), then of the root itself. */
    enum { Q_CELLS, Q_OWN_CELLS, Q_DUE, Q_REVIEW, Q_ORGS, Q_OWN_ORG, Q__COUNT };
    for (int q = 0; rc >= 0 && q < Q__COUNT; q++) {
        switch (q) {
        case Q_CELLS:
            rc = db_query(db, cells_sql[sub], DB_ARGS(DB_TEXT(ref.id), DB_INT(basis)), &st);
            break;
        case Q_OWN_CELLS:
            rc = db_query(db, own_cells_sql[basis], DB_ARGS(DB_TEXT(ref.id)), &st);
            break;
        case Q_DUE:
            rc = db_query(db, due_sql[sub], DB_ARGS(DB_TEXT(subtree), DB_TEXT(today)), &st);
            break;
        case Q_REVIEW:
            rc = db_query(db, review_sql[sub], DB_ARGS(DB_TEXT(subtree), DB_TEXT(today)), &st);
            break;
        case Q_ORGS:
            rc = sub ? db_query(db, orgs_sql[1], DB_ARGS(DB_TEXT(ref.id)), &st)
                     : db_query(db, orgs_sql[0], NULL, 0, &st);
            break;
        default:
            rc = db_query(db, OWN_ORG_SQL, DB_ARGS(DB_TEXT(ref.id)), &st);
        }
        if (rc)
            return rc;
        bool cells = q == Q_CELLS || q == Q_OWN_CELLS;
        while ((rc = db_step(st)) == DB_ROW) {
            struct risk_group *g[3];
            if (!row_groups(st, &out->all, &prov, &sect, a, g)) {
                rc = RB_ENOMEM;
                break;
            }
            int n = (int)db_col_int(st, cells ? 4 : 2);
            for (int k = 0; k < 3; k++) {
                if (cells)
                    group_add(g[k], size, (int)db_col_int(st, 2), (int)db_col_int(st, 3), n);
                else if (q == Q_DUE)
                    g[k]->overdue_treatments += n;
                else if (q == Q_REVIEW)
                    g[k]->overdue_reviews += n;
                else
                    g[k]->orgs += n;
            }
        }
        db_done(st);
    }
    /* The RED risks the viewer may read. */
    if (rc >= 0 &&
        !(rc = db_query(db, red_sql[sub], DB_ARGS(DB_TEXT(subtree), DB_TEXT(today)), &st))) {
        policy_bind_actor(st, actor, &kind_risk);
        char last[RB_ID_SIZE] = "";
        while ((rc = db_step(st)) == DB_ROW) {
            struct risk_group *g[3];
            if (!row_groups(st, &out->all, &prov, &sect, a, g)) {
                rc = RB_ENOMEM;
                break;
            }
            int c = basis == RBASIS_RESIDUAL ? 2 : 4;
            const char *status = db_col_text(st, 6), *due = db_col_text(st, 7),
                       *review = db_col_text(st, 8), *owner = db_col_text(st, 9);
            bool treating = strcmp(status, "open") == 0 || strcmp(status, "in_progress") == 0;
            bool new_org = strcmp(owner, last) != 0 && db_col_int(st, 10) == 0;
            rb_strlcpy(last, owner, sizeof(last));
            for (int k = 0; k < 3; k++) {
                group_add(g[k], size, (int)db_col_int(st, c), (int)db_col_int(st, c + 1), 1);
                g[k]->overdue_treatments += treating && due && strcmp(due, today) < 0;
                g[k]->overdue_reviews += review && strcmp(review, today) < 0;
                g[k]->orgs += new_org;
            }
        }
        db_done(st);
    }
    if (rc < 0)
        return rc;
    group_levels(&out->all, &out->m);
    for (int k = 0; k < prov.n; k++)
        group_levels(&prov.g[k], &out->m);
    for (int k = 0; k < sect.n; k++)
        group_levels(&sect.g[k], &out->m);
    if (prov.n)
        qsort(prov.g, (size_t)prov.n, sizeof(*prov.g), cmp_group);
    if (sect.n)
        qsort(sect.g, (size_t)sect.n, sizeof(*sect.g), cmp_group);
    out->by_province = prov.g;
    out->nprovince = prov.n;
    out->by_sector = sect.g;
    out->nsector = sect.n;
    if ((rc = db_query(db, top_sql[basis],
                       DB_ARGS(DB_TEXT(subtree), DB_TEXT(today), DB_INT(RISK_TOP_MAX)), &st)))
        return rc;
    policy_bind_actor(st, actor, &kind_risk);
    while ((rc = db_step(st)) == DB_ROW && out->ntop < RISK_TOP_MAX) {
        struct risk_top *t = &out->top[out->ntop++];
        t->readable = db_col_int(st, 7) != 0;
        if (t->readable) {
            t->id = db_col_dup(st, 0, a);
            t->title = db_col_dup(st, 1, a);
        }
        t->org_id = db_col_dup(st, 2, a);
        t->org_name = db_col_dup(st, 3, a);
        t->likelihood = (int)db_col_int(st, 4);
        t->impact = (int)db_col_int(st, 5);
        t->score = (int)db_col_int(st, 6);
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

static void write_group(rj_writer *w, const struct risk_group *g, const struct risk_matrix *m,
                        const char *key_name)
{
    if (key_name)
        rjw_kstr(w, key_name, g->key);
    rjw_kint(w, "total", g->total);
    rjw_kint(w, key_name ? "orgs" : "orgs_with_risks", g->orgs);
    rjw_karr(w, "counts");
    for (int l = 1; l <= m->size; l++) {
        rjw_arr(w);
        for (int i = 1; i <= m->size; i++)
            rjw_int(w, g->counts[(l - 1) * m->size + (i - 1)]);
        rjw_arr_end(w);
    }
    rjw_arr_end(w);
    rjw_kobj(w, "by_level");
    for (int l = 0; l < RLEVEL__COUNT; l++)
        rjw_kint(w, risk_level_names[l], g->by_level[l]);
    rjw_obj_end(w);
    rjw_kint(w, "overdue_treatments", g->overdue_treatments);
    rjw_kint(w, "overdue_reviews", g->overdue_reviews);
}

static void write_groups(rj_writer *w, const char *key, const struct risk_group *g, int n,
                         const struct risk_matrix *m, const char *key_name)
{
    rjw_karr(w, key);
    for (int i = 0; i < n; i++) {
        rjw_obj(w);
        write_group(w, &g[i], m, key_name);
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
}

/* A top risk as the heat map shows it; its level follows, from the matrix. */
static const struct rb_member top_members[] = {
    RB_MEMBERS(struct risk_top, id, title, readable, org_id, org_name, likelihood, impact, score),
};
static const struct rb_record top_record = RB_RECORD(struct risk_top, top_members);

void risk_heatmap_write(rj_writer *w, const struct risk_heatmap *h)
{
    rjw_obj(w);
    rjw_kobj(w, "root");
    rjw_kstr(w, "id", h->root_id);
    rjw_kstr(w, "name", h->root_name);
    rjw_obj_end(w);
    rjw_kstr(w, "basis", risk_basis_names[h->basis]);
    rjw_kobj(w, "matrix");
    risk_matrix_write(w, &h->m);
    rjw_obj_end(w);
    rjw_kint(w, "orgs", h->orgs);
    write_group(w, &h->all, &h->m, NULL);
    write_groups(w, "by_province", h->by_province, h->nprovince, &h->m, "province");
    write_groups(w, "by_sector", h->by_sector, h->nsector, &h->m, "sector");
    rjw_karr(w, "top");
    for (int i = 0; i < h->ntop; i++) {
        const struct risk_top *t = &h->top[i];
        rjw_obj(w);
        rjw_members(w, t, &top_record);
        rjw_kstr(w, "level", risk_level_names[risk_matrix_level(&h->m, t->score)]);
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
    rjw_obj_end(w);
}
