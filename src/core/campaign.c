/*
 * campaign.c - launching campaigns and rolling their assessments up.
 *
 * Launch decides applicability in C (core/profile) over the launching CERT's subtree, then writes
 * the campaign, every assessment and every grant in one transaction. Roll-ups read only what the
 * sharing policy lets the viewer read (POLICY_SQL_READABLE over assessments).
 */
#include "base/common.h"
#include "base/utf8.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "core/kind.h"
#include "core/assessment.h"
#include "core/audit.h"
#include "core/campaign.h"
#include "core/org.h"
#include "core/policy.h"
#include "core/profile.h"
#include "core/share.h"
#include "core/settings.h"
#include "core/write.h"
#include "formats/oscal.h"
#include "json/field.h"
#include "json/json.h"

/* The columns of campaign_members, in order, and the tables they come from. */
#define CAMPAIGN_COLS                                                                              \
    "o.id, o.title, o.profile_id, p.title, p.catalog_id, o.owner_org, g.name, o.tlp, o.status, "  \
    "o.due_date, o.filter_kind, o.filter_province, o.filter_sector, "                              \
    "(SELECT count(*) FROM assessments a WHERE a.campaign_id = o.id AND "                          \
    POLICY_SQL_READABLE_AS("a", KIND_SQL_ASSESSMENT, "0") "), o.created_at, o.seq"
#define CAMPAIGN_FROM                                                                              \
    " FROM campaigns o JOIN profiles p ON p.id = o.profile_id JOIN orgs g ON g.id = o.owner_org "

static const struct rb_member campaign_members[] = {
    RB_MEMBERS(rb_campaign, id, title, profile_id, profile_title, catalog_id, owner_org,
               owner_name, tlp, status, due_date),
    RB_MEMBER_AS(rb_campaign, filter_kind, "kind", rb_text),
    RB_MEMBER_AS(rb_campaign, filter_province, "province", rb_text),
    RB_MEMBER_AS(rb_campaign, filter_sector, "sector", rb_text),
    RB_MEMBERS(rb_campaign, assessments, created_at),
    RB_HIDDEN_MEMBERS(rb_campaign, seq),
};
const struct rb_record campaign_record = RB_RECORD(rb_campaign, campaign_members);

static bool in_names(const char *const *names, const char *s)
{
    return rb_name_index(names, s) >= 0;
}

static int check_input(const struct campaign_input *in, rb_errinfo *ei)
{
    int rc = rb_field_checks(FIELD_TITLE, "title", in->title, ei);
    if (rc)
        return rc;
    if (!in->title || strlen(in->title) < 2)
        return rb_err(ei, RB_EINVAL, "title", "\"title\" must be at least 2 characters long");
    int64_t due;
    if (rb_date_parse(in->due_date, &due))
        return rb_err(ei, RB_EINVAL, "due_date", "\"due_date\" must be a date like 2027-03-31");
    if (due + 86400 <= rb_now())
        return rb_err(ei, RB_EINVAL, "due_date", "\"due_date\" is in the past");
    if (in->kind && !in_names(rb_org_kind_names, in->kind))
        return rb_err(ei, RB_EINVAL, "kind", "unknown org kind \"%.*s\"", RB_CUT(in->kind, 40));
    if (in->province && !in_names(rb_provinces, in->province))
        return rb_err(ei, RB_EINVAL, "province", "unknown province \"%.*s\"",
                      RB_CUT(in->province, 40));
    if (in->sector && !in_names(rb_sectors, in->sector))
        return rb_err(ei, RB_EINVAL, "sector", "unknown sector \"%.*s\"", RB_CUT(in->sector, 40));
    return 0;
}

/*
 * A campaign shows its catalog's text (control titles, statements, guidance, domain names) to
 * everyone who reads the campaign or its assessments: the launching CERT's subtree and every CERT
 * above it. So each of those orgs must be able to read the catalog and the profile: when a
 * campaign is launched, and whenever the catalog's TLP changes later (docs/security.md, "Content
 * that travels"). Finds the first org reached from owner_org that may not read the profile
 * profile_id or its catalog: 1 with its name, the catalog's title and TLP in the arena, 0 when
 * there is none.
 */
static int first_blind_reader(rb_db *db, const char *owner_org, const char *profile_id,
                              rb_arena *a, char **org, char **title, char **tlp)
{
    rb_stmt *st = NULL;
    int rc = db_query(
        db,
        "SELECT g.name, k.title, k.tlp FROM orgs g, catalogs k, profiles p WHERE p.id = ?2 AND "
        "k.id = p.catalog_id AND (g.id IN (SELECT descendant_id FROM org_closure WHERE "
        "ancestor_id = ?1) OR g.id IN (SELECT ancestor_id FROM org_closure WHERE descendant_id = "
        "?1)) AND NOT (" POLICY_SQL_READABLE_BY("k", "?3", "g.id") " AND "
        POLICY_SQL_READABLE_BY("p", "?4", "g.id") ") ORDER BY g.depth, g.name LIMIT 1",
        DB_ARGS(DB_TEXT(owner_org), DB_TEXT(profile_id), DB_TEXT(kind_catalog.name),
                DB_TEXT(kind_profile.name)),
        &st);
    if (rc)
        return rc;
    rc = db_step(st);
    if (rc == DB_ROW) {
        *org = db_col_dup(st, 0, a);
        *title = db_col_dup(st, 1, a);
        *tlp = db_col_dup(st, 2, a);
        rc = 1;
    }
    db_done(st);
    return rc;
}

/* The launch's refusal (ei names the first org of the launch's reach that may not read). */
static int check_readers(rb_db *db, const rb_actor *actor, const rb_profile *prof, rb_arena *a,
                         rb_errinfo *ei)
{
    char *org = NULL, *title = NULL, *tlp = NULL;
    int rc = first_blind_reader(db, actor->org.id, prof->id, a, &org, &title, &tlp);
    if (rc == 1)
        return rb_err(ei, RB_EINVAL, "profile_id",
                      "%.*s may not read the catalog \"%.*s\" (TLP:%s), but a campaign shows "
                      "its text to your constituency and to every CERT above yours; share the "
                      "catalog with them first, or use a catalog shared as GREEN",
                      RB_CUT(org, 100), RB_CUT(title, 100), tlp ? tlp : "?");
    return rc;
}

/* A launching CERT and a profile of the catalog, with the title of its first campaign. */
struct reach {
    char *owner_org, *profile_id, *title;
};
static const struct rb_member reach_members[] = {
    RB_HIDDEN_MEMBERS(struct reach, owner_org, profile_id, title),
};
static const struct rb_record reach_record = RB_RECORD(struct reach, reach_members);

int campaign_check_reach(rb_write *w, const char *catalog_id, rb_errinfo *ei)
{
    /* One check per launching CERT and profile, not per campaign: each gives the same answer. */
    rb_stmt *st = NULL;
    int rc = db_query(w->db,
                      "SELECT c.owner_org, c.profile_id, min(c.title) FROM campaigns c JOIN "
                      "profiles p ON p.id = c.profile_id WHERE p.catalog_id = ?1 GROUP BY "
                      "c.owner_org, c.profile_id ORDER BY min(c.seq)",
                      DB_ARGS(DB_TEXT(catalog_id)), &st);
    if (rc)
        return rc;
    rb_arena *a = write_arena(w);
    const struct reach *r = NULL;
    int n = 0;
    rc = db_rows(st, &reach_record, a, &r, &n);
    for (int i = 0; !rc && i < n; i++) {
        char *org = NULL, *title = NULL, *tlp = NULL;
        rc = first_blind_reader(w->db, r[i].owner_org, r[i].profile_id, a, &org, &title, &tlp);
        if (rc == 1)
            rc = rb_err(ei, RB_EINVAL, "tlp",
                        "the campaign \"%.*s\" shows this catalog's text to %.*s, which could "
                        "not read the catalog as TLP:%s; keep the TLP, or share the catalog with "
                        "every org that campaign reaches first",
                        RB_CUT(r[i].title, 100), RB_CUT(org, 100), tlp ? tlp : "?");
    }
    return rc;
}

/* The orgs a campaign of the profile would assess: every org below the actor's CERT to which
 * the profile and the narrowing apply. Refuses (ei names why) when there is none. */
static int campaign_targets(rb_db *db, const rb_actor *actor, rb_arena *a,
                            const struct campaign_input *in, rb_profile *prof, char ***out,
                            int *count, rb_errinfo *ei)
{
    int rc;
    if ((rc = profile_get(db, actor, in->profile_id, a, prof)))
        return rb_err(ei, RB_ENOTFOUND, "profile_id", "no profile with that profile_id");
    struct profile_applicability ap;
    profile_applicability_of(prof, &ap, a);
    struct org_filter f = {.root = actor->org.id, .kind = in->kind, .province = in->province,
                           .sector = in->sector, .cii = -1, .limit = 500};
    int cap = 1024, k = 0;
    char **targets = rb_arena_alloc(a, sizeof(char *) * (size_t)cap);
    bool more = true;
    while (targets && more) {
        rb_org *rows = NULL;
        int n = 0;
        if ((rc = org_list(db, actor, &f, a, &rows, &n, &more)))
            return rc;
        for (int i = 0; i < n && targets; i++) {
            if (strcmp(rows[i].id, actor->org.id) == 0 || !profile_applies(&ap, &rows[i]))
                continue;
            if (k == cap) {
                char **bigger = rb_arena_alloc(a, sizeof(char *) * (size_t)cap * 2);
                if (bigger)
                    memcpy(bigger, targets, sizeof(char *) * (size_t)cap);
                targets = bigger;
                cap *= 2;
                if (!targets)
                    break;
            }
            targets[k++] = rows[i].id;
        }
        if (n > 0)
            f.after_id = rows[n - 1].id;
    }
    if (!targets)
        return RB_ENOMEM;
    if (k == 0)
        return rb_err(ei, RB_EINVAL, "profile_id",
                      "the profile applies to no org below your CERT (check its applicability "
                      "and the kind, province and sector you chose)");
    *out = targets;
    *count = k;
    return 0;
}

int campaign_reach(rb_db *db, const rb_actor *actor, rb_arena *a, const struct campaign_input *in,
                   int *orgs, rb_errinfo *ei)
{
    if (!policy_can(actor, PERM_PUBLISH) || !rb_org_kind_is_cert(actor->org.kind))
        return rb_err(ei, RB_EPERM, "", "only analysts and admins of a CERT launch campaigns");
    rb_profile prof;
    char **targets = NULL;
    int rc = campaign_targets(db, actor, a, in, &prof, &targets, orgs, ei);
    if (!rc)
        rc = check_readers(db, actor, &prof, a, ei);
    return rc;
}

int campaign_launch(rb_db *db, const rb_actor *actor, rb_arena *arena,
                    const struct campaign_input *in,
                    char out_id[RB_ID_SIZE], int *created, rb_errinfo *ei)
{
    if (!policy_can(actor, PERM_PUBLISH) || !rb_org_kind_is_cert(actor->org.kind))
        return rb_err(ei, RB_EPERM, "", "only analysts and admins of a CERT launch campaigns");
    int rc = check_input(in, ei);
    if (rc)
        return rc;
    rb_arena *a = arena;
    rb_profile prof;
    char **targets = NULL;
    int count = 0;
    if ((rc = campaign_targets(db, actor, a, in, &prof, &targets, &count, ei)))
        goto out;
    if ((rc = check_readers(db, actor, &prof, a, ei)))
        goto out;
    char id[RB_ID_SIZE];
    rb_write w;
    if ((rc = write_begin_new(&w, db, actor, id, ei)))
        goto out;
    rc = db_exec(db,
                 "INSERT INTO campaigns(id, profile_id, title, owner_org, tlp, status, due_date, "
                 "filter_kind, filter_province, filter_sector, assessments_count, created_at, seq) "
                 "VALUES (?1,?2,?3,?4,?11,'open',?5,?6,?7,?8,?9,?10, (SELECT "
                 "coalesce(max(seq), 0) + 1 FROM campaigns))",
                 DB_ARGS(DB_TEXT(id), DB_TEXT(prof.id), DB_TEXT(in->title), DB_TEXT(actor->org.id),
                         DB_TEXT(in->due_date), DB_TEXT(in->kind), DB_TEXT(in->province),
                         DB_TEXT(in->sector), DB_INT(count), DB_TEXT(w.now),
                         DB_TEXT(tlp_name(kind_campaign.default_tlp))));
    /* The campaign reaches the CERT's constituency and the CERTs above it. */
    if (!rc)
        rc = share_defaults(&w, &kind_campaign, id, actor->org.id);
    for (int i = 0; !rc && i < count; i++) {
        char aid[RB_ID_SIZE];
        rb_uuid_new(aid);
        rc = db_exec(db,
                     "INSERT INTO assessments(id, campaign_id, owner_org, tlp, status, total, "
                     "updated_at) VALUES (?1, ?2, ?3, ?6, 'not_started', ?4, ?5)",
                     DB_ARGS(DB_TEXT(aid), DB_TEXT(id), DB_TEXT(targets[i]),
                             DB_INT(prof.controls), DB_TEXT(w.now),
                             DB_TEXT(tlp_name(kind_assessment.default_tlp))));
        /* Each assessment reaches every CERT above its org: oversight is the purpose. */
        if (!rc)
            rc = share_defaults(&w, &kind_assessment, aid, targets[i]);
        if (!rc)
            rc = audit_append(db, actor, "assessment.create", &kind_assessment, aid, targets[i]);
    }
    if ((rc = write_end(&w, rc, "campaign.launch", &kind_campaign, id, actor->org.id,
                        "cannot launch the campaign")))
        goto out;
    rb_strlcpy(out_id, id, RB_ID_SIZE);
    if (created)
        *created = count;
out:
    return rc;
}

int campaign_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_campaign *out)
{
    return kind_get(&kind_campaign, db, actor,
                    "SELECT " CAMPAIGN_COLS CAMPAIGN_FROM
                    "WHERE o.id = ?1 AND " POLICY_SQL_READABLE,
                    id, a, &campaign_record, out);
}

int campaign_close(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_errinfo *ei)
{
    rb_campaign c;
    int rc = campaign_get(db, actor, id, a, &c);
    if (rc) {
        rb_err(ei, rc, "", "no such campaign");
        goto out;
    }
    if (!actor->system &&
        (!policy_can(actor, PERM_PUBLISH) || strcmp(actor->org.id, c.owner_org) != 0)) {
        rc = rb_err(ei, RB_EPERM, "", "only the launching CERT's analysts and admins close it");
        goto out;
    }
    if (strcmp(c.status, "closed") == 0) {
        rc = rb_err(ei, RB_ECONFLICT, "status", "the campaign is already closed");
        goto out;
    }
    rc = write_exec(db, actor,
                    &(struct write_entry){"campaign.close", &kind_campaign, id, c.owner_org,
                                          .fail = "cannot close the campaign"},
                    "UPDATE campaigns SET status = 'closed' WHERE id = ?1", DB_ARGS(DB_TEXT(id)),
                    ei);
out:
    return rc;
}

int campaign_list(rb_db *db, const rb_actor *actor, const char *after_id, const char *profile_id,
                  int limit, rb_arena *a, rb_campaign **out, int *n, bool *more)
{
    if (limit <= 0)
        limit = 50;
    int64_t after_seq = 0;
    if (after_id) {
        rb_campaign cur;
        if (campaign_get(db, actor, after_id, a, &cur))
            return RB_EINVAL;
        after_seq = cur.seq;
    }
    return kind_page(&kind_campaign, db, actor,
                     "SELECT " CAMPAIGN_COLS CAMPAIGN_FROM "WHERE " POLICY_SQL_READABLE
                     " AND (?1 = 0 OR o.seq < ?1) AND (?2 IS NULL OR o.profile_id = ?2) ORDER "
                     "BY o.seq DESC LIMIT ?3",
                     DB_ARGS(DB_INT(after_seq), DB_TEXT(profile_id), DB_INT(limit + 1)), limit,
                     &campaign_record, a, out, n, more);
}

/* Accumulates per-key means (provinces, sectors): a handful of keys, linear search is fine. */
struct acc {
    struct rollup_group *g;
    double *sum;
    int n, cap;
};

static int acc_add(struct acc *ac, rb_arena *a, const char *key, double v)
{
    const char *k = key ? key : "";
    for (int i = 0; i < ac->n; i++)
        if (strcmp(ac->g[i].key, k) == 0) {
            ac->g[i].n++;
            ac->sum[i] += v;
            return 0;
        }
    if (ac->n == ac->cap) {
        int ncap = ac->cap ? ac->cap * 2 : 16;
        struct rollup_group *g = rb_arena_alloc(a, sizeof(*g) * (size_t)ncap);
        double *s = rb_arena_alloc(a, sizeof(*s) * (size_t)ncap);
        if (!g || !s)
            return RB_ENOMEM;
        if (ac->n) {
            memcpy(g, ac->g, sizeof(*g) * (size_t)ac->n);
            memcpy(s, ac->sum, sizeof(*s) * (size_t)ac->n);
        }
        ac->g = g;
        ac->sum = s;
        ac->cap = ncap;
    }
    struct rollup_group *g = &ac->g[ac->n];
    g->key = rb_arena_strdup(a, k);
    g->title = NULL;
    g->n = 1;
    ac->sum[ac->n++] = v;
    return g->key ? 0 : RB_ENOMEM;
}

static void acc_finish(struct acc *ac)
{
    for (int i = 0; i < ac->n; i++)
        ac->g[i].mean = ac->sum[i] / ac->g[i].n;
}

/* The readable assessments of a campaign under an optional root, in org-name order. Columns:
 * id, owner_org, org name, status, score, province, sector. */
#define READABLE_ASSESSMENTS                                                                       \
    "FROM assessments o JOIN orgs g ON g.id = o.owner_org WHERE o.campaign_id = ?1 AND (?2 IS "   \
    "NULL OR EXISTS (SELECT 1 FROM org_closure rc WHERE rc.ancestor_id = ?2 AND rc.descendant_id " \
    "= o.owner_org)) AND " POLICY_SQL_READABLE

/* An assessment not submitted yet, as the roll-up shows it; the first columns of its SELECT. */
static const struct rb_member pending_members[] = {
    RB_MEMBERS(struct rollup_org, assessment_id, org_id, org_name, status, province),
    RB_MEMBER(struct rollup_org, overdue, rb_bool_later),
    RB_HIDDEN_MEMBERS(struct rollup_org, sector),
};
static const struct rb_record pending_record = RB_RECORD(struct rollup_org, pending_members);

static int cmp_pending(const void *x, const void *y)
{
    const struct rollup_org *a = x, *b = y;
    int c = strcmp(a->org_name ? a->org_name : "", b->org_name ? b->org_name : "");
    return c ? c : strcmp(a->assessment_id, b->assessment_id);
}

/* The score at s as assessment_submit writes it ("%.6f": digits, a point, six digits), read as
 * micro-units over 1e6: an exact integer divided once, so the same double strtod would give,
 * several times faster (a national roll-up reads some 100,000 of them). Anything else goes to
 * strtod. *end gets where it stopped. */
static double read_score(const char *s, char **end)
{
    int64_t micro = 0;
    const char *p = s;
    int digits = 0, frac = -1;
    for (; digits < 15; p++) {
        if (*p >= '0' && *p <= '9') {
            micro = micro * 10 + (*p - '0');
            digits++;
            if (frac >= 0)
                frac++;
        } else if (*p == '.' && frac < 0) {
            frac = 0;
        } else {
            break;
        }
    }
    if (digits == 0 || frac < 0 || frac > 6 || (*p >= '0' && *p <= '9') || *p == 'e' ||
        *p == 'E')
        return strtod(s, end);
    static const int64_t scale[] = {1000000, 100000, 10000, 1000, 100, 10, 1};
    *end = (char *)p;
    return (double)(micro * scale[frac]) / 1e6;
}

/* Adds an assessment's "<domain idx>:<score>;..." (written by assessment_submit) to the sums. */
static void add_domain_scores(const char *s, double *sum, int *n)
{
    while (s && *s) {
        char *e = NULL;
        long d = strtol(s, &e, 10);
        if (!e || *e != ':')
            return;
        double v = read_score(e + 1, &e);
        if (d >= 0 && d < SCORE_MAX_DOMAINS) {
            sum[d] += v;
            n[d]++;
        }
        if (*e != ';')
            return;
        s = e + 1;
    }
}

int campaign_rollup(rb_db *db, const rb_actor *actor, const char *id, const char *root,
                    rb_arena *a, struct rollup *out)
{
    memset(out, 0, sizeof(*out));
    rb_campaign c;
    int rc = campaign_get(db, actor, id, a, &c);
    if (rc)
        return rc;
    char today[RB_TIME_SIZE];
    rb_time_format(rb_now(), today);
    bool past_due = strncmp(today, c.due_date, 10) > 0;
    int cap = c.assessments + 1;
    double *scores = rb_arena_alloc(a, sizeof(double) * (size_t)cap);
    out->pending = rb_arena_alloc(a, sizeof(*out->pending) * (size_t)cap);
    struct rollup_group *dom = rb_arena_alloc(a, sizeof(*dom) * SCORE_MAX_DOMAINS);
    if (!scores || !out->pending || !dom)
        return RB_ENOMEM;
    double dsum[SCORE_MAX_DOMAINS] = {0};
    int dn[SCORE_MAX_DOMAINS] = {0};
    struct acc prov = {0}, sect = {0};
    /* One pass over the readable assessments, the policy checked once per assessment; each
     * carries its per-domain scores, so no per-domain rows are read. */
    rb_stmt *st = NULL;
    rc = db_query(db,
                  "SELECT o.id, o.owner_org, g.name, o.status, g.province, g.sector, o.score, "
                  "o.domain_scores " READABLE_ASSESSMENTS,
                  DB_ARGS(DB_TEXT(id), DB_TEXT(root)), &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, &kind_assessment);
    int nscores = 0;
    while ((rc = db_step(st)) == DB_ROW && out->assessments < cap) {
        out->assessments++;
        const char *status = db_col_text(st, 3);
        bool done = strcmp(status, "submitted") == 0 || strcmp(status, "accepted") == 0;
        /* An all-not-applicable assessment is submitted but has no score. */
        bool scored = done && !db_col_null(st, 6);
        out->submitted += done;
        if (strcmp(status, "accepted") == 0)
            out->accepted++;
        if (scored) {
            double v = db_col_double(st, 6);
            scores[nscores++] = v;
            add_domain_scores(db_col_text(st, 7), dsum, dn);
            if (acc_add(&prov, a, db_col_text(st, 4), v) ||
                acc_add(&sect, a, db_col_text(st, 5), v)) {
                rc = RB_ENOMEM;
                break;
            }
        } else if (!done) {
            struct rollup_org *p = &out->pending[out->npending++];
            db_fill(st, a, &pending_record, p);
            p->score = -1;
            p->overdue = past_due;
            out->overdue += past_due;
        }
    }
    db_done(st);
    if (rc < 0)
        return rc;
    qsort(out->pending, (size_t)out->npending, sizeof(*out->pending), cmp_pending);
    score_describe(scores, nscores, &out->stats);
    acc_finish(&prov);
    acc_finish(&sect);
    out->by_province = prov.g;
    out->nprovince = prov.n;
    out->by_sector = sect.g;
    out->nsector = sect.n;
    /* Names of the domains that have scores, in catalog order. */
    rc = db_query(db,
                  "SELECT idx, oscal_id, title FROM catalog_groups WHERE catalog_id = ?1 AND "
                  "idx < ?2 ORDER BY idx",
                  DB_ARGS(DB_TEXT(c.catalog_id), DB_INT(SCORE_MAX_DOMAINS)), &st);
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t d = db_col_int(st, 0);
        if (d < 0 || d >= SCORE_MAX_DOMAINS || dn[d] == 0)
            continue;
        struct rollup_group *g = &dom[out->ndomain++];
        g->key = db_col_dup(st, 1, a);
        g->title = db_col_dup(st, 2, a);
        g->n = dn[d];
        g->mean = dsum[d] / dn[d];
    }
    db_done(st);
    out->by_domain = dom;
    return rc < 0 ? rc : 0;
}

struct head {
    char *title, *catalog_id;
};
static const struct rb_member head_members[] = {RB_HIDDEN_MEMBERS(struct head, title, catalog_id)};
static const struct rb_record head_record = RB_RECORD(struct head, head_members);

int campaign_head(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, char **title,
                  char **catalog_id)
{
    rb_stmt *st = NULL;
    struct head h = {0};
    int rc = kind_query(&kind_campaign, db, actor, id,
                        "SELECT o.title, p.catalog_id FROM campaigns o JOIN profiles p ON p.id = "
                        "o.profile_id WHERE o.id = ?1",
                        DB_ARGS(DB_TEXT(id)), &st);
    if (rc || (rc = db_one(st, a, &head_record, &h)))
        return rc;
    if (!h.title || !h.catalog_id)
        return RB_ENOMEM;
    *title = h.title;
    *catalog_id = h.catalog_id;
    return 0;
}

int campaign_each_org_scores(rb_db *db, const rb_actor *actor, const char *id, const char *root,
                             campaign_org_scores_fn fn, void *ctx)
{
    rb_stmt *st = NULL;
    int rc = db_query(db,
                      "SELECT o.owner_org, g.name, g.province, o.domain_scores " READABLE_ASSESSMENTS
                      " AND o.status IN ('submitted','accepted') AND o.score IS NOT NULL",
                      DB_ARGS(DB_TEXT(id), DB_TEXT(root)), &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, &kind_assessment);
    double score[SCORE_MAX_DOMAINS];
    while ((rc = db_step(st)) == DB_ROW) {
        /* One assessment's "<domain>:<score>;..." read as the roll-up reads it: a domain it
         * scored has n 1 and its score as the sum. */
        double sum[SCORE_MAX_DOMAINS] = {0};
        int n[SCORE_MAX_DOMAINS] = {0};
        add_domain_scores(db_col_text(st, 3), sum, n);
        for (int d = 0; d < SCORE_MAX_DOMAINS; d++)
            score[d] = n[d] ? sum[d] / n[d] : -1;
        if ((rc = fn(ctx, db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2), score)))
            break;
    }
    db_done(st);
    return rc == DB_DONE ? 0 : rc;
}

int campaign_gaps(rb_db *db, const rb_actor *actor, const char *id, const char *root, int limit,
                  rb_arena *a, struct gap_row **controls, int *ncontrols, struct gap_row **domains,
                  int *ndomains)
{
    struct rollup r;
    int rc = campaign_rollup(db, actor, id, root, a, &r);
    if (rc)
        return rc;
    rb_campaign c;
    if ((rc = campaign_get(db, actor, id, a, &c)))
        return rc;
    struct gap_row *rows = rb_arena_alloc(a, sizeof(*rows) * (size_t)(limit > 0 ? limit : 1));
    if (!rows)
        return RB_ENOMEM;
    rb_stmt *st = NULL;
    rc = db_query(db,
                  "SELECT k.oscal_id, coalesce(pc.title, k.title), d.title, count(*), "
                    "avg(x.maturity * 20.0), "
                    "sum(CASE WHEN x.status IN ('not_implemented','planned') THEN 1 ELSE 0 END), "
                    "coalesce(pc.label, k.label, upper(k.oscal_id)) "
                    "FROM assessment_answers x JOIN assessments o ON o.id = x.assessment_id "
                    "JOIN controls k ON k.catalog_id = ?3 AND k.idx = x.control_idx "
                    /* The control as the profile has it (its resolved catalog's title). */
                    "LEFT JOIN profile_controls pc ON pc.profile_id = ?5 AND pc.control_idx = "
                    "x.control_idx "
                    "LEFT JOIN catalog_groups d ON d.catalog_id = ?3 AND d.idx = k.domain_idx "
                    "WHERE o.campaign_id = ?1 AND o.status IN ('submitted','accepted') AND "
                    "x.status <> 'not_applicable' AND (?2 IS NULL OR EXISTS (SELECT 1 FROM "
                    "org_closure rc WHERE rc.ancestor_id = ?2 AND rc.descendant_id = "
                    "o.owner_org)) AND " POLICY_SQL_READABLE
                    " GROUP BY x.control_idx, k.oscal_id, k.title, d.title, k.label "
                    "ORDER BY avg(x.maturity * 20.0), x.control_idx LIMIT ?4",
                  DB_ARGS(DB_TEXT(id), DB_TEXT(root), DB_TEXT(c.catalog_id), DB_INT(limit),
                          DB_TEXT(c.profile_id)),
                  &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, &kind_assessment);
    int k = 0;
    while ((rc = db_step(st)) == DB_ROW && k < limit) {
        struct gap_row *g = &rows[k++];
        g->id = db_col_dup(st, 0, a);
        g->title = db_col_dup(st, 1, a);
        g->domain = db_col_dup(st, 2, a);
        g->n = (int)db_col_int(st, 3);
        g->mean = db_col_double(st, 4);
        g->not_implemented = (int)db_col_int(st, 5);
        g->label = db_col_dup(st, 6, a);
    }
    db_done(st);
    if (rc < 0)
        return rc;
    *controls = rows;
    *ncontrols = k;
    /* Domains, weakest first. */
    struct gap_row *ds = rb_arena_alloc(a, sizeof(*ds) * (size_t)(r.ndomain + 1));
    if (!ds)
        return RB_ENOMEM;
    for (int i = 0; i < r.ndomain; i++) {
        ds[i].id = r.by_domain[i].key;
        ds[i].title = r.by_domain[i].title;
        ds[i].domain = NULL;
        ds[i].label = NULL;
        ds[i].n = r.by_domain[i].n;
        ds[i].mean = r.by_domain[i].mean;
        ds[i].not_implemented = 0;
    }
    for (int i = 1; i < r.ndomain; i++) /* insertion sort: a dozen domains */
        for (int j = i; j > 0 && ds[j].mean < ds[j - 1].mean; j--) {
            struct gap_row t = ds[j];
            ds[j] = ds[j - 1];
            ds[j - 1] = t;
        }
    *domains = ds;
    *ndomains = r.ndomain;
    return 0;
}

/* A point of a trend as the API shows it: the campaign's columns, then its counts. */
static const struct rb_member trend_members[] = {
    RB_MEMBERS(struct trend_point, campaign_id, title, created_at),
    RB_MEMBER(struct trend_point, submitted, rb_int_later),
    RB_MEMBER(struct trend_point, mean, rb_score_later),
};
const struct rb_record trend_point_record = RB_RECORD(struct trend_point, trend_members);

int campaign_trend(rb_db *db, const rb_actor *actor, const char *profile_id, const char *root,
                   rb_arena *a, struct trend_point **out, int *n)
{
    struct trend_point *pts = NULL;
    bool more = false;
    int rc = kind_page(&kind_campaign, db, actor,
                       "SELECT o.id, o.title, o.created_at FROM campaigns o WHERE o.profile_id = "
                       "?1 AND " POLICY_SQL_READABLE " ORDER BY o.seq LIMIT ?2",
                       DB_ARGS(DB_TEXT(profile_id), DB_INT(TREND_MAX)), TREND_MAX,
                       &trend_point_record, a, &pts, n, &more);
    for (int i = 0; !rc && i < *n; i++) {
        rb_stmt *st = NULL;
        if ((rc = db_query(db,
                           "SELECT count(o.score), avg(o.score) " READABLE_ASSESSMENTS
                           " AND o.status IN ('submitted','accepted')",
                           DB_ARGS(DB_TEXT(pts[i].campaign_id), DB_TEXT(root)), &st)))
            break;
        policy_bind_actor(st, actor, &kind_assessment);
        if ((rc = db_step(st)) == DB_ROW) {
            pts[i].submitted = (int)db_col_int(st, 0);
            pts[i].mean = db_col_null(st, 1) ? -1 : db_col_double(st, 1);
        }
        db_done(st);
        rc = rc < 0 ? rc : 0;
    }
    if (!rc)
        *out = pts;
    return rc;
}

static void num(rj_writer *w, const char *key, double v)
{
    rjw_key(w, key);
    rjw_double(w, (double)(int64_t)(v * 100.0 + (v >= 0 ? 0.5 : -0.5)) / 100.0);
}

static void groups(rj_writer *w, const char *key, const struct rollup_group *g, int n)
{
    rjw_karr(w, key);
    for (int i = 0; i < n; i++) {
        rjw_obj(w);
        rjw_kstr(w, "key", g[i].key && g[i].key[0] ? g[i].key : NULL); /* "" = none set */
        if (g[i].title)
            rjw_kstr(w, "title", g[i].title);
        rjw_kint(w, "n", g[i].n);
        num(w, "mean", g[i].mean);
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
}

/* The roll-up's counts, and its score statistics (scores 0..100, so two decimals) when any. */
static const struct rb_member rollup_members[] = {
    RB_MEMBERS(struct rollup, assessments, submitted, accepted),
    RB_MEMBER_AS(struct rollup, npending, "not_submitted", rb_int),
    RB_MEMBERS(struct rollup, overdue),
};
static const struct rb_record rollup_counts = RB_RECORD(struct rollup, rollup_members);
static const struct rb_member stats_members[] = {
    RB_MEMBER(struct score_stats, mean, rb_score),
    RB_MEMBER(struct score_stats, median, rb_score),
    RB_MEMBER(struct score_stats, min, rb_score),
    RB_MEMBER(struct score_stats, max, rb_score),
    RB_MEMBER(struct score_stats, q1, rb_score),
    RB_MEMBER(struct score_stats, q3, rb_score),
};
static const struct rb_record stats_record = RB_RECORD(struct score_stats, stats_members);

void rollup_write_json(rj_writer *w, const struct rollup *r)
{
    rjw_obj(w);
    rjw_members(w, r, &rollup_counts);
    rjw_kobj(w, "score");
    rjw_kint(w, "n", r->stats.n);
    if (r->stats.n > 0)
        rjw_members(w, &r->stats, &stats_record);
    rjw_karr(w, "histogram");
    for (int i = 0; i < SCORE_HIST_BINS; i++)
        rjw_int(w, r->stats.hist[i]);
    rjw_arr_end(w);
    rjw_obj_end(w);
    groups(w, "by_province", r->by_province, r->nprovince);
    groups(w, "by_sector", r->by_sector, r->nsector);
    groups(w, "by_domain", r->by_domain, r->ndomain);
    rjw_krecords(w, "not_submitted_orgs", r->pending, r->npending, &pending_record);
    rjw_obj_end(w);
}

/* At most this many orgs are named in a campaign's assessment plan (a campaign reaches one
 * CERT's subtree: a few thousand orgs at the very most). */
#define PLAN_MAX_ORGS 20000

int campaign_export_oscal(rb_db *db, const rb_actor *actor, const char *id, rb_buf *out)
{
    rb_arena a;
    rb_arena_init(&a, (size_t)64 << 20);
    rb_campaign c;
    rb_assessment *xs = NULL;
    char **ids = NULL;
    int nx = 0, nids = 0;
    bool more = false;
    const char *ns = NULL;
    int rc = campaign_get(db, actor, id, &a, &c);
    if (rc)
        goto out;
    /* The orgs in scope are those whose assessment the reader may read (DESIGN §5: what is
     * counted or named follows the policy). */
    const struct assessment_filter f = {.campaign_id = id, .limit = PLAN_MAX_ORGS};
    if ((rc = assessment_list(db, actor, &f, &a, &xs, &nx, &more)) ||
        (rc = profile_control_ids(db, actor, c.profile_id, &a, &ids, &nids)) ||
        (rc = settings_namespace(db, &a, &ns)))
        goto out;
    struct oscal_party *parties = rb_arena_alloc(&a, sizeof(*parties) * (size_t)(nx + 1));
    rc = RB_ENOMEM;
    if (!parties)
        goto out;
    parties[0] = (struct oscal_party){c.owner_org, c.owner_name, "launching-cert"};
    for (int i = 0; i < nx; i++)
        parties[i + 1] = (struct oscal_party){xs[i].org_id, xs[i].org_name, "assessed-organization"};
    char ssp[128], due[32], task[RB_ID_SIZE], name[96];
    snprintf(ssp, sizeof(ssp), "/api/v1/profiles/%s/resolved", c.profile_id);
    snprintf(due, sizeof(due), "%.10sT23:59:59Z", c.due_date);
    snprintf(name, sizeof(name), "campaign/%s/task/due", c.id);
    if ((rc = rb_uuid_v5(OSCAL_UUID_NS, name, task)))
        goto out;
    const struct oscal_plan p = {
        .uuid = c.id,
        .title = c.title,
        .status = c.status,
        .last_modified = c.created_at,
        .marking = oscal_marking(c.tlp),
        .ns = ns,
        .profile_id = c.profile_id,
        .profile_title = c.profile_title,
        .ssp_href = ssp,
        .parties = parties,
        .nparties = nx + 1,
        .control_ids = (const char *const *)ids,
        .ncontrols = nids,
        .due = due,
        .task_uuid = task,
    };
    rc = oscal_plan_write(&p, out);
out:
    rb_arena_release(&a);
    return rc;
}
