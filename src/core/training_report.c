/*
 * training_report.c - the reports over training sessions (see training.h): the roll-up of
 * sessions held, orgs reached, attendance by mode, feedback and domains covered, per province,
 * per CERT and per org; and "training meets the gaps", the preparedness scores of a campaign
 * (core/campaign's roll-up and per-org scores) beside the training each org has had.
 *
 * Must never: count a session the viewer may not read, or show an assessment's scores the viewer
 * may not read (the campaign's own functions read them through the policy).
 */
#include "base/common.h"
#include "base/rtime.h"
#include "core/campaign.h"
#include "core/kind.h"
#include "core/training.h"
#include "json/json.h"

/* The org whose subtree a report counts: root, or the actor's own org, when the actor may see it.
 */
static int report_root(rb_db *db, const rb_actor *actor, const char *root, rb_arena *a, char **out)
{
    const char *r = root ? root : actor->org.id;
    struct kind_ref ref;
    int rc = kind_load(&kind_org, db, actor, r, &ref);
    if (rc)
        return rc;
    *out = rb_arena_strdup(a, r);
    return *out ? 0 : RB_ENOMEM;
}

/* ---- the roll-up ---- */

/* People of orgs under root in held sessions the viewer may read (bound as struct span). */
#define UNDER(COL)                                                                                 \
    "EXISTS (SELECT 1 FROM org_closure rc WHERE rc.ancestor_id = ?2 AND rc.descendant_id = " COL ")"
/* ?3 since, ?4 until: the sessions that start in that span (NULL: no bound). */
#define SPAN "(?3 IS NULL OR o.starts_at >= ?3) AND (?4 IS NULL OR o.starts_at < ?4)"
#define HELD "o.status = 'scheduled' AND o.ends_at <= ?1 AND " SPAN
#define PEOPLE_FROM                                                                                \
    "FROM training_people p JOIN trainings o ON o.id = p.training_id JOIN orgs g ON g.id = "       \
    "p.org_id LEFT JOIN training_feedback f ON f.person_id = p.id "
#define PEOPLE_WHERE "WHERE " HELD " AND " UNDER("p.org_id") " AND " TRAINING_SQL_READABLE " "
/* The counts of a group, after its key and name. */
#define GROUP_COUNTS                                                                               \
    "count(DISTINCT CASE WHEN p.attended_mode IS NOT NULL THEN o.id END), count(DISTINCT CASE "    \
    "WHEN p.attended_mode IS NOT NULL THEN p.org_id END), count(*), count(p.attended_mode), "      \
    "coalesce(sum(p.attended_mode = 'in_person'), 0), coalesce(sum(p.attended_mode = "             \
    "'virtual'), 0), count(f.rating), coalesce(sum(f.rating), 0) "

static const struct rb_member group_members[] = {
    RB_MEMBERS(struct training_group, key, name, sessions, orgs, registered, attended, in_person,
               virtual_, feedback_n, feedback_sum),
};
static const struct rb_record group_record = RB_RECORD(struct training_group, group_members);

/* What a roll-up statement is bound with: ?1 now, ?2 root, ?3 since, ?4 until. */
struct span {
    const char *now, *root, *since, *until;
};
#define SPAN_ARGS(p)                                                                               \
    DB_ARGS(DB_TEXT((p)->now), DB_TEXT((p)->root), DB_TEXT((p)->since), DB_TEXT((p)->until))

static int groups(rb_db *db, const rb_actor *actor, const char *sql, const struct span *p,
                  rb_arena *a, struct training_group **out, int *n)
{
    rb_stmt *st = NULL;
    int rc = db_query(db, sql, SPAN_ARGS(p), &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, &kind_training);
    return db_rows(st, &group_record, a, out, n);
}

/* One count of sessions or orgs. */
static int count_of(rb_db *db, const rb_actor *actor, const char *sql, const struct span *p,
                    int *out)
{
    rb_stmt *st = NULL;
    int64_t v = 0;
    int rc = db_query(db, sql, SPAN_ARGS(p), &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, &kind_training);
    rc = db_int(st, &v);
    *out = (int)v;
    return rc;
}

/* The domains each org's attendance covered, onto the org rows (both in org-name order). */
static int org_domains(rb_db *db, const rb_actor *actor, const struct span *p, rb_arena *a,
                       struct training_group *orgs, int norgs)
{
    rb_stmt *st = NULL;
    int rc = db_query(db,
                      "SELECT DISTINCT p.org_id, g.name, d.oscal_id, d.idx " PEOPLE_FROM
                      "JOIN training_topics t ON t.training_id = o.id JOIN catalog_groups d ON "
                      "d.catalog_id = o.catalog_id AND d.idx = t.domain_idx " PEOPLE_WHERE
                      "AND p.attended_mode IS NOT NULL ORDER BY g.name, p.org_id, d.idx",
                      SPAN_ARGS(p), &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, &kind_training);
    int k = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *org = db_col_text(st, 0);
        while (k < norgs && strcmp(orgs[k].key, org) != 0)
            k++;
        if (k == norgs)
            break; /* not in the same order: cannot happen, as both sort alike */
        struct training_group *g = &orgs[k];
        if (!g->domains && !(g->domains = rb_arena_alloc(a, sizeof(char *) * SCORE_MAX_DOMAINS))) {
            rc = RB_ENOMEM;
            break;
        }
        if (g->ndomains < SCORE_MAX_DOMAINS)
            g->domains[g->ndomains++] = db_col_dup(st, 2, a);
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

int training_rollup(rb_db *db, const rb_actor *actor, const char *root, const char *since,
                    const char *until, rb_arena *a, struct training_rollup *out)
{
    memset(out, 0, sizeof(*out));
    int rc = report_root(db, actor, root, a, &out->root);
    if (rc)
        return rc;
    char now[RB_TIME_SIZE];
    rb_time_format(rb_now(), now);
    const struct span sp = {now, out->root, since, until}, *r = &sp;
    /* Sessions and invited orgs: held (or coming) readable sessions that invited an org of the
     * subtree. */
    if ((rc = count_of(db, actor,
                       "SELECT count(DISTINCT o.id) FROM trainings o JOIN training_invites i ON "
                       "i.training_id = o.id WHERE " HELD
                       " AND " UNDER("i.org_id") " AND " TRAINING_SQL_READABLE,
                       r, &out->sessions_held)) ||
        (rc = count_of(
             db, actor,
             "SELECT count(DISTINCT o.id) FROM trainings o JOIN training_invites i ON "
             "i.training_id = o.id WHERE o.status = 'scheduled' AND o.ends_at > ?1 AND " UNDER(
                 "i.org_id") " AND " TRAINING_SQL_READABLE,
             r, &out->sessions_upcoming)) ||
        (rc = count_of(db, actor,
                       "SELECT count(DISTINCT i.org_id) FROM trainings o JOIN training_invites i "
                       "ON i.training_id = o.id WHERE " HELD
                       " AND " UNDER("i.org_id") " AND " TRAINING_SQL_READABLE,
                       r, &out->orgs_invited)))
        return rc;
    /* The totals are one group over everyone. */
    struct training_group *all = NULL;
    int nall = 0;
    if ((rc = groups(db, actor, "SELECT NULL, NULL, " GROUP_COUNTS PEOPLE_FROM PEOPLE_WHERE, r, a,
                     &all, &nall)))
        return rc;
    if (nall == 1) {
        out->orgs_reached = all->orgs;
        out->registered = all->registered;
        out->attended = all->attended;
        out->in_person = all->in_person;
        out->virtual_ = all->virtual_;
        out->feedback_n = all->feedback_n;
        out->feedback_sum = all->feedback_sum;
    }
    rb_stmt *st = NULL;
    if ((rc = db_query(db,
                       "SELECT f.rating, count(*) " PEOPLE_FROM PEOPLE_WHERE
                       "AND f.rating IS NOT NULL GROUP BY f.rating",
                       SPAN_ARGS(r), &st)))
        return rc;
    policy_bind_actor(st, actor, &kind_training);
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t v = db_col_int(st, 0);
        if (v >= 1 && v <= 5)
            out->ratings[v - 1] = (int)db_col_int(st, 1);
    }
    db_done(st);
    if (rc < 0)
        return rc;
    if ((rc = groups(db, actor,
                     "SELECT coalesce(g.province, ''), coalesce(g.province, ''), " GROUP_COUNTS
                         PEOPLE_FROM PEOPLE_WHERE "GROUP BY 1 ORDER BY 1",
                     r, a, &out->by_province, &out->nprovince)) ||
        (rc = groups(db, actor,
                     "SELECT CASE WHEN g.kind <> 'institution' THEN g.id ELSE g.parent_id END, "
                     "max(c.name), " GROUP_COUNTS PEOPLE_FROM
                     "JOIN orgs c ON c.id = CASE WHEN g.kind <> 'institution' THEN g.id ELSE "
                     "g.parent_id END " PEOPLE_WHERE "GROUP BY 1 ORDER BY 2, 1",
                     r, a, &out->by_cert, &out->ncert)) ||
        (rc = groups(db, actor,
                     "SELECT p.org_id, g.name, " GROUP_COUNTS PEOPLE_FROM PEOPLE_WHERE
                     "GROUP BY p.org_id, g.name ORDER BY g.name, p.org_id",
                     r, a, &out->by_org, &out->norg)) ||
        (rc = org_domains(db, actor, r, a, out->by_org, out->norg)))
        return rc;
    /* Domains: each session counted once per domain its topics touch. */
    return groups(db, actor,
                  "SELECT d.oscal_id, d.title, " GROUP_COUNTS PEOPLE_FROM
                  "JOIN (SELECT DISTINCT training_id, domain_idx FROM training_topics) t ON "
                  "t.training_id = o.id JOIN catalog_groups d ON d.catalog_id = o.catalog_id AND "
                  "d.idx = t.domain_idx " PEOPLE_WHERE
                  "GROUP BY d.oscal_id, d.title ORDER BY min(d.idx), d.oscal_id",
                  r, a, &out->by_domain, &out->ndomain);
}

/* A share as a fraction with three decimals, or null without a base. */
static void rate(rj_writer *w, const char *key, int part, int whole)
{
    rjw_key(w, key);
    if (whole > 0)
        rjw_double(w, (double)(int64_t)((double)part * 1000.0 / whole + 0.5) / 1000.0);
    else
        rjw_null(w);
}

static void feedback(rj_writer *w, int n, double sum)
{
    rjw_kobj(w, "feedback");
    rjw_kint(w, "n", n);
    rjw_key(w, "mean");
    if (n > 0)
        rjw_double(w, (double)(int64_t)(sum * 100.0 / n + 0.5) / 100.0);
    else
        rjw_null(w);
    rjw_obj_end(w);
}

/* What came of the sessions for a group or the whole roll-up: the people registered and
 * attended, in which mode, and their feedback. */
static void attendance(rj_writer *w, int registered, int attended, int in_person, int virtual_,
                       int feedback_n, double feedback_sum)
{
    rjw_kint(w, "registered", registered);
    rjw_kint(w, "attended", attended);
    rate(w, "attendance_rate", attended, registered);
    rjw_kint(w, "in_person", in_person);
    rjw_kint(w, "virtual", virtual_);
    feedback(w, feedback_n, feedback_sum);
}

static void write_groups(rj_writer *w, const char *key, const struct training_group *g, int n,
                         bool domains)
{
    rjw_karr(w, key);
    for (int i = 0; i < n; i++) {
        rjw_obj(w);
        rjw_kstr(w, "key", g[i].key && g[i].key[0] ? g[i].key : NULL);
        rjw_kstr(w, "name", g[i].name && g[i].name[0] ? g[i].name : NULL);
        rjw_kint(w, "sessions", g[i].sessions);
        rjw_kint(w, "orgs_reached", g[i].orgs);
        attendance(w, g[i].registered, g[i].attended, g[i].in_person, g[i].virtual_,
                   g[i].feedback_n, g[i].feedback_sum);
        if (domains) {
            rjw_karr(w, "domains");
            for (int k = 0; k < g[i].ndomains; k++)
                rjw_str(w, g[i].domains[k]);
            rjw_arr_end(w);
        }
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
}

/* The roll-up's reach, as the answer opens with it. */
static const struct rb_member reach_members[] = {
    RB_MEMBERS(struct training_rollup, root, sessions_held, sessions_upcoming, orgs_invited,
               orgs_reached),
};
static const struct rb_record reach_record = RB_RECORD(struct training_rollup, reach_members);

void training_rollup_write(rj_writer *w, const void *rollup)
{
    const struct training_rollup *r = rollup;
    rjw_obj(w);
    rjw_members(w, r, &reach_record);
    attendance(w, r->registered, r->attended, r->in_person, r->virtual_, r->feedback_n,
               r->feedback_sum);
    rjw_karr(w, "ratings");
    for (int i = 0; i < 5; i++)
        rjw_int(w, r->ratings[i]);
    rjw_arr_end(w);
    write_groups(w, "by_province", r->by_province, r->nprovince, false);
    write_groups(w, "by_cert", r->by_cert, r->ncert, false);
    write_groups(w, "by_org", r->by_org, r->norg, true);
    write_groups(w, "by_domain", r->by_domain, r->ndomain, false);
    rjw_obj_end(w);
}

/* ---- training meets the gaps ---- */

/* What training an org has had: bit d of trained (attended a held session on domain d) and of
 * planned (invited to an upcoming one). An open-addressing table by org id. */
struct cover {
    char id[RB_ID_SIZE];
    uint64_t trained, planned;
};
struct cover_map {
    struct cover *slots;
    size_t cap, n; /* cap a power of two */
};

static uint64_t hash_id(const char *s)
{
    /* Org ids are random UUIDs: their first and last eight characters, mixed, spread well and
     * cost two loads (86,000 rows go through here in the national view). Anything else: FNV-1a. */
    if (strlen(s) == RB_ID_SIZE - 1) {
        uint64_t x, y;
        memcpy(&x, s, 8);
        memcpy(&y, s + RB_ID_SIZE - 9, 8);
        x ^= y * 0x9E3779B97F4A7C15ull;
        x ^= x >> 29;
        return x * 0xBF58476D1CE4E5B9ull;
    }
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static struct cover *cover_slot(struct cover_map *m, const char *id, bool add)
{
    if (add && (m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16384; /* a national view holds some 10,000 orgs */
        struct cover *s = rb_calloc(cap, sizeof(*s));
        if (!s)
            return NULL;
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].id[0]) {
                size_t k = hash_id(m->slots[i].id) & (cap - 1);
                while (s[k].id[0])
                    k = (k + 1) & (cap - 1);
                s[k] = m->slots[i];
            }
        rb_free(m->slots);
        m->slots = s;
        m->cap = cap;
    }
    if (!m->cap)
        return NULL;
    size_t k = hash_id(id) & (m->cap - 1);
    while (m->slots[k].id[0]) {
        if (strcmp(m->slots[k].id, id) == 0)
            return &m->slots[k];
        k = (k + 1) & (m->cap - 1);
    }
    if (!add)
        return NULL;
    rb_strlcpy(m->slots[k].id, id, RB_ID_SIZE);
    m->n++;
    return &m->slots[k];
}

/* A weak org of a domain, while the scores are read. */
struct weak {
    char *org_id, *org_name, *province;
    double score;
};
struct weak_list {
    struct weak *v;
    int n, cap;
};

struct gaps_walk {
    struct cover_map *cover;
    double below;
    int only; /* the one domain kept, or -1 */
    int orgs;
    double sum[SCORE_MAX_DOMAINS]; /* of the domain scores: the mean, as the roll-up's */
    int n[SCORE_MAX_DOMAINS];
    int weak[SCORE_MAX_DOMAINS], trained[SCORE_MAX_DOMAINS], planned[SCORE_MAX_DOMAINS];
    struct weak_list lists[SCORE_MAX_DOMAINS];
    rb_arena *a;
};

static int on_org(void *ctx, const char *org_id, const char *org_name, const char *province,
                  const double *score)
{
    struct gaps_walk *g = ctx;
    char *id = NULL, *name = NULL, *prov = NULL;
    g->orgs++;
    const struct cover *c = cover_slot(g->cover, org_id, false);
    for (int d = 0; d < SCORE_MAX_DOMAINS; d++) {
        if (score[d] < 0)
            continue;
        g->sum[d] += score[d];
        g->n[d]++;
        if (score[d] >= g->below || (g->only >= 0 && d != g->only))
            continue;
        g->weak[d]++;
        uint64_t bit = (uint64_t)1 << d;
        if (c && (c->trained & bit)) {
            g->trained[d]++;
            continue;
        }
        if (c && (c->planned & bit)) {
            g->planned[d]++;
            continue;
        }
        struct weak_list *l = &g->lists[d];
        if (l->n == l->cap) {
            int cap = l->cap ? l->cap * 2 : 64;
            struct weak *v = rb_realloc(l->v, sizeof(*v) * (size_t)cap);
            if (!v)
                return RB_ENOMEM;
            l->v = v;
            l->cap = cap;
        }
        /* The org's texts are copied once, for all the domains it is weak in. */
        if (!id) {
            id = rb_arena_strdup(g->a, org_id);
            name = rb_arena_strdup(g->a, org_name);
            prov = province ? rb_arena_strdup(g->a, province) : NULL;
            if (!id || !name)
                return RB_ENOMEM;
        }
        struct weak *w = &l->v[l->n++];
        w->org_id = id;
        w->org_name = name;
        w->province = prov;
        w->score = score[d];
    }
    return 0;
}

static int cmp_weak(const void *x, const void *y)
{
    const struct weak *a = x, *b = y;
    if (a->score != b->score)
        return a->score < b->score ? -1 : 1;
    int c = strcmp(a->org_name, b->org_name);
    return c ? c : strcmp(a->org_id, b->org_id);
}

/* The newest campaign the actor may read with a readable scored assessment under root. */
static int newest_campaign(rb_db *db, const rb_actor *actor, const char *root, rb_arena *a,
                           char **out)
{
    rb_stmt *st = NULL;
    int rc = db_query(db,
                      "SELECT o.id FROM campaigns o WHERE " POLICY_SQL_READABLE
                      " AND EXISTS (SELECT 1 FROM assessments s WHERE s.campaign_id = o.id AND "
                      "s.status IN ('submitted','accepted') AND s.score IS NOT NULL AND EXISTS "
                      "(SELECT 1 FROM org_closure rc WHERE rc.ancestor_id = ?1 AND "
                      "rc.descendant_id = s.owner_org) AND " POLICY_SQL_READABLE_AS(
                          "s", KIND_SQL_ASSESSMENT, "0") ") ORDER BY o.seq DESC LIMIT 1",
                      DB_ARGS(DB_TEXT(root)), &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, &kind_campaign);
    *out = NULL;
    if ((rc = db_step(st)) == DB_ROW)
        *out = db_col_dup(st, 0, a);
    db_done(st);
    if (rc < 0)
        return rc;
    return *out ? 0 : RB_ENOTFOUND;
}

/* ?1 now, ?2 the catalog. Which org has had which domain, from the readable scheduled sessions of
 * the catalog: a person who attended a held one (trained), an invitation to one still to come
 * (planned). Rows stream into the table without a GROUP BY; orgs outside the subtree are kept too
 * and simply never asked about (the scores' walk is the subtree's). */
static int read_cover(rb_db *db, const rb_actor *actor, const char *now, const char *catalog,
                      struct cover_map *m)
{
    static const char *const sql[2] = {
        "SELECT p.org_id, t.domain_idx FROM trainings o JOIN training_topics t ON t.training_id = "
        "o.id JOIN training_people p ON p.training_id = o.id WHERE o.status = 'scheduled' AND "
        "o.ends_at <= ?1 AND o.catalog_id = ?2 AND t.domain_idx IS NOT NULL AND p.attended_mode IS "
        "NOT NULL AND " TRAINING_SQL_READABLE,
        "SELECT i.org_id, t.domain_idx FROM trainings o JOIN training_topics t ON t.training_id = "
        "o.id JOIN training_invites i ON i.training_id = o.id WHERE o.status = 'scheduled' AND "
        "o.ends_at > ?1 AND o.catalog_id = ?2 AND t.domain_idx IS NOT NULL "
        "AND " TRAINING_SQL_READABLE,
    };
    int rc = 0;
    for (int q = 0; q < 2 && !rc; q++) {
        rb_stmt *st = NULL;
        if ((rc = db_query(db, sql[q], DB_ARGS(DB_TEXT(now), DB_TEXT(catalog)), &st)))
            return rc;
        policy_bind_actor(st, actor, &kind_training);
        while ((rc = db_step(st)) == DB_ROW) {
            int64_t d = db_col_int(st, 1);
            if (d < 0 || d >= SCORE_MAX_DOMAINS)
                continue;
            struct cover *c = cover_slot(m, db_col_text(st, 0), true);
            if (!c) {
                rc = RB_ENOMEM;
                break;
            }
            if (q == 0)
                c->trained |= (uint64_t)1 << d;
            else
                c->planned |= (uint64_t)1 << d;
        }
        db_done(st);
        rc = rc < 0 ? rc : 0;
    }
    return rc;
}

static int cmp_domain(const void *x, const void *y)
{
    const struct training_gap_domain *a = x, *b = y;
    if (a->mean != b->mean)
        return a->mean < b->mean ? -1 : 1;
    return a->idx - b->idx;
}

int training_gaps(rb_db *db, const rb_actor *actor, const char *root, const char *campaign_id,
                  double below, const char *domain, int limit, rb_arena *a,
                  struct training_gaps *out)
{
    memset(out, 0, sizeof(*out));
    int rc = report_root(db, actor, root, a, &out->root);
    if (rc)
        return rc;
    if (limit <= 0)
        limit = 100;
    out->below = below;
    char *cid = NULL;
    if (campaign_id)
        cid = rb_arena_strdup(a, campaign_id);
    else if ((rc = newest_campaign(db, actor, out->root, a, &cid)))
        return rc == RB_ENOTFOUND ? 0 : rc; /* nothing scored yet: no domains */
    /* The campaign's title and catalog (readable), without campaign_get's counts: its
     * assessments are walked once below. */
    if ((rc = campaign_head(db, actor, cid, a, &out->campaign_title, &out->catalog_id)))
        return rc;
    out->campaign_id = cid;
    /* The catalog's domains: what scores and topics are keyed by (the group's idx). */
    struct training_gap_domain *dom = rb_arena_alloc(a, sizeof(*dom) * SCORE_MAX_DOMAINS);
    if (!dom)
        return RB_ENOMEM;
    int ndom = 0, only = -1;
    rb_stmt *st = NULL;
    if ((rc = db_query(db,
                       "SELECT idx, oscal_id, title FROM catalog_groups WHERE catalog_id = ?1 AND "
                       "parent_idx IS NULL AND idx < ?2 ORDER BY idx",
                       DB_ARGS(DB_TEXT(out->catalog_id), DB_INT(SCORE_MAX_DOMAINS)), &st)))
        return rc;
    while ((rc = db_step(st)) == DB_ROW && ndom < SCORE_MAX_DOMAINS) {
        struct training_gap_domain *g = &dom[ndom++];
        g->idx = (int)db_col_int(st, 0);
        g->id = db_col_dup(st, 1, a);
        g->title = db_col_dup(st, 2, a);
        if (domain && g->id && strcmp(g->id, domain) == 0)
            only = g->idx;
    }
    db_done(st);
    if (rc < 0)
        return rc;
    if (domain && only < 0)
        return RB_EINVAL;
    char now[RB_TIME_SIZE];
    rb_time_format(rb_now(), now);
    struct cover_map map = {0};
    struct gaps_walk walk;
    memset(&walk, 0, sizeof(walk));
    walk.cover = &map;
    walk.below = below;
    walk.only = only;
    walk.a = a;
    /* What each org has had, then one walk over the campaign's readable scored assessments of the
     * subtree (core/campaign: the roll-up's own reading of each one's domain scores). */
    rc = read_cover(db, actor, now, out->catalog_id, &map);
    if (!rc)
        rc = campaign_each_org_scores(db, actor, cid, out->root, on_org, &walk);
    /* Sessions on each domain that reached the subtree. */
    int held[SCORE_MAX_DOMAINS] = {0}, coming[SCORE_MAX_DOMAINS] = {0};
    if (!rc && !(rc = db_query(
                     db,
                     "SELECT t.domain_idx, count(DISTINCT CASE WHEN o.ends_at <= ?1 THEN o.id "
                     "END), count(DISTINCT CASE WHEN o.ends_at > ?1 THEN o.id END) FROM "
                     "trainings o JOIN training_topics t ON t.training_id = o.id WHERE "
                     "o.status = 'scheduled' AND o.catalog_id = ?3 AND EXISTS (SELECT 1 FROM "
                     "training_invites i WHERE i.training_id = o.id AND " UNDER(
                         "i.org_id") ") AND " TRAINING_SQL_READABLE " GROUP BY t.domain_idx",
                     DB_ARGS(DB_TEXT(now), DB_TEXT(out->root), DB_TEXT(out->catalog_id)), &st))) {
        policy_bind_actor(st, actor, &kind_training);
        while ((rc = db_step(st)) == DB_ROW) {
            int64_t d = db_col_int(st, 0);
            if (d >= 0 && d < SCORE_MAX_DOMAINS) {
                held[d] = (int)db_col_int(st, 1);
                coming[d] = (int)db_col_int(st, 2);
            }
        }
        db_done(st);
        rc = rc < 0 ? rc : 0;
    }
    out->orgs_scored = walk.orgs;
    out->domains = dom;
    for (int i = 0; !rc && i < ndom; i++) {
        int d = dom[i].idx;
        if (d < 0 || d >= SCORE_MAX_DOMAINS || walk.n[d] == 0 || (only >= 0 && d != only))
            continue; /* no org scored in it: not a domain of this campaign's profile */
        struct training_gap_domain *g = &dom[out->ndomains++];
        *g = dom[i];
        g->n = walk.n[d];
        g->mean = walk.sum[d] / walk.n[d];
        g->weak = walk.weak[d];
        g->weak_trained = walk.trained[d];
        g->weak_planned = walk.planned[d];
        g->sessions_held = held[d];
        g->sessions_upcoming = coming[d];
        struct weak_list *l = &walk.lists[d];
        if (l->n > 1)
            qsort(l->v, (size_t)l->n, sizeof(*l->v), cmp_weak);
        g->nuntrained = l->n;
        int keep = l->n < limit ? l->n : limit;
        g->untrained = rb_arena_alloc(a, sizeof(*g->untrained) * (size_t)(keep + 1));
        if (!g->untrained) {
            rc = RB_ENOMEM;
            break;
        }
        for (int k = 0; k < keep; k++) {
            g->untrained[k].org_id = l->v[k].org_id;
            g->untrained[k].org_name = l->v[k].org_name;
            g->untrained[k].province = l->v[k].province;
            g->untrained[k].score = l->v[k].score;
        }
        g->nlisted = keep;
    }
    if (!rc && out->ndomains > 1) /* weakest first */
        qsort(out->domains, (size_t)out->ndomains, sizeof(*out->domains), cmp_domain);
    for (int d = 0; d < SCORE_MAX_DOMAINS; d++)
        rb_free(walk.lists[d].v);
    rb_free(map.slots);
    return rc;
}

/* The gaps view as the API shows it: scores with two decimals (rb_score). */
static const struct rb_member gap_org_members[] = {
    RB_MEMBERS(struct training_gap_org, org_id, org_name, province),
    RB_MEMBER(struct training_gap_org, score, rb_score),
};
static const struct rb_record gap_org_record = RB_RECORD(struct training_gap_org, gap_org_members);

static void write_untrained(rj_writer *w, const void *row)
{
    const struct training_gap_domain *d = row;
    rjw_records(w, d->untrained, d->nlisted, &gap_org_record);
}

static const struct rb_member gap_domain_members[] = {
    RB_MEMBERS(struct training_gap_domain, id, title, n),
    RB_MEMBER(struct training_gap_domain, mean, rb_score),
    RB_MEMBERS(struct training_gap_domain, weak, weak_trained, weak_planned),
    RB_MEMBER_AS(struct training_gap_domain, nuntrained, "weak_untrained", rb_int),
    RB_MEMBERS(struct training_gap_domain, sessions_held, sessions_upcoming),
    RB_DERIVED(struct training_gap_domain, nlisted, "untrained_orgs", rb_int, write_untrained),
};
static const struct rb_record gap_domain_record =
    RB_RECORD(struct training_gap_domain, gap_domain_members);

static void write_domains(rj_writer *w, const void *row)
{
    const struct training_gaps *g = row;
    rjw_records(w, g->domains, g->ndomains, &gap_domain_record);
}

static const struct rb_member gaps_members[] = {
    RB_MEMBERS(struct training_gaps, root, campaign_id, campaign_title, catalog_id),
    RB_MEMBER(struct training_gaps, below, rb_score),
    RB_MEMBERS(struct training_gaps, orgs_scored),
    RB_DERIVED(struct training_gaps, ndomains, "domains", rb_int, write_domains),
};
static const struct rb_record gaps_record = RB_RECORD(struct training_gaps, gaps_members);

void training_gaps_write(rj_writer *w, const void *gaps)
{
    rjw_record(w, gaps, &gaps_record);
}
