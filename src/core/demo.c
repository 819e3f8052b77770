/*
 * demo.c - seeds the demo hierarchy through the same core functions the API uses, so the demo
 * database is audited and consistent like any other. Names of institutions are invented.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "core/assessment.h"
#include "core/campaign.h"
#include "core/catalog.h"
#include "core/demo.h"
#include "core/demo_content.h"
#include "core/demo_int.h"
#include "core/profile.h"
#include "core/score.h"
#include "core/org.h"
#include "core/user.h"

struct demo_inst {
    const char *name, *slug, *sector;
    int cii_grade; /* 0 when not CII */
};

#define MAX_INSTS 7 /* six institutions at most, then the zero one that ends the list */

struct demo_cert {
    const char *name, *short_name, *slug, *kind, *province, *sector;
    struct demo_inst inst[MAX_INSTS];
};

/* The CERTs below the National CERT and their institutions, in content/demo/orgs.json: one object
 * per CERT, its members those of struct demo_cert, each institution an object in "inst". */
static const struct dc_member inst_members[] = {
    DC_MEMBER(struct demo_inst, name, DC_TEXT),
    DC_MEMBER(struct demo_inst, slug, DC_TEXT),
    DC_MEMBER(struct demo_inst, sector, DC_TEXT),
    DC_MEMBER(struct demo_inst, cii_grade, DC_INT),
};
static const struct dc_table inst_table = DC_TABLE(struct demo_inst, inst_members);
#define M(m, kind) DC_MEMBER(struct demo_cert, m, kind)
static const struct dc_member cert_members[] = {
    M(name, DC_TEXT),     M(short_name, DC_TEXT), M(slug, DC_TEXT),
    M(kind, DC_TEXT),     M(province, DC_TEXT),   M(sector, DC_TEXT),
    DC_ROWS(struct demo_cert, inst, &inst_table),
};
#undef M
static const struct dc_table cert_table = DC_TABLE(struct demo_cert, cert_members);

static const char *const role_people[3][2] = {
    {"admin", "Administrator"}, {"analyst", "Analyst"}, {"reporter", "Focal Person"}};

void demo_email(const char *role, const char *slug, char out[256])
{
    snprintf(out, 256, "%s@%s.%s", role, slug, DEMO_DOMAIN);
}

/* The admin, analyst and reporter of org o (its slug and id set), whose ids are noted in o for
 * the incidents and the sessions. */
static int add_people(rb_db *db, const rb_actor *sys, struct demo_org *o, const char *org_short,
                      const char *hash, struct demo_stats *stats, rb_errinfo *ei)
{
    const char *org_id = o->id, *slug = o->slug;
    char *ids[3] = {o->admin, o->analyst, o->reporter};
    for (int r = 0; r < 3; r++) {
        char email[256], name[160];
        demo_email(role_people[r][0], slug, email);
        snprintf(name, sizeof(name), "%s %s", org_short, role_people[r][1]);
        enum rb_role role = ROLE_VIEWER;
        rb_role_parse(role_people[r][0], &role);
        rb_user_input u = {.org_id = org_id, .email = email, .name = name, .role = (int)role,
                           .password = NULL, .pw_hash = hash};
        int rc = user_create(db, sys, &u, ids[r], ei);
        if (rc)
            return rc;
        stats->users++;
    }
    return 0;
}

/* What every org of the hierarchy is made with: the database, the system actor, the people's
 * password hash, the counts and the progress callback (may be NULL) with the total. */
struct seeding {
    rb_db *db;
    const rb_actor *sys;
    const char *hash;
    struct demo_stats *st;
    void (*progress)(int, int);
    int total;
};

/* Creates the org in as o (its id), with its people (add_people, named after label), counts it
 * and reports the progress. */
static int add_org(const struct seeding *sd, const rb_org_input *in, struct demo_org *o,
                   const char *label, rb_errinfo *ei)
{
    int rc = org_create(sd->db, sd->sys, in, o->id, ei);
    if (!rc)
        rc = add_people(sd->db, sd->sys, o, label, sd->hash, sd->st, ei);
    if (rc)
        return rc;
    sd->st->orgs++;
    if (sd->progress)
        sd->progress(sd->st->orgs, sd->total);
    return 0;
}

/* A stable pseudo-random number from two strings (FNV-1a), for invented answers. */
uint32_t demo_mix(const char *a, const char *b, uint32_t salt)
{
    uint32_t h = 2166136261u ^ salt;
    for (const char *p = a; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    for (const char *p = b; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    return h ^ (h >> 15);
}

/* Fills (and for `submit`, submits) one assessment with invented answers; `lift` raises every
 * maturity a little in the later campaign so the trend shows progress. */
static int demo_answer(rb_db *db, const rb_actor *sys, const char *assessment_id, int lift,
                       bool submit, rb_errinfo *ei)
{
    rb_arena a;
    rb_arena_init(&a, 1 << 22);
    rb_assessment x;
    rb_assessment_item *items = NULL;
    int n = 0;
    int rc = assessment_get(db, sys, assessment_id, &a, &x);
    if (!rc)
        rc = assessment_items(db, sys, assessment_id, &a, &items, &n);
    struct answer_input *in = rc ? NULL : rb_arena_alloc(&a, sizeof(*in) * (size_t)(n + 1));
    if (!rc && !in)
        rc = RB_ENOMEM;
    for (int i = 0; !rc && i < n; i++) {
        uint32_t h = demo_mix(x.org_name, items[i].control_id, 7);
        uint32_t base = demo_mix(x.org_name, "", 3) % 3; /* some orgs are ahead of others */
        int m = (int)((h % 4) + base + (uint32_t)lift);
        m = m > 5 ? 5 : m;
        in[i].control_id = items[i].control_id;
        in[i].maturity = m;
        in[i].status = m >= 4 ? ANSWER_IMPLEMENTED
                              : (m >= 2 ? ANSWER_PARTIAL
                                        : (m == 1 ? ANSWER_PLANNED : ANSWER_NOT_IMPLEMENTED));
        if (h % 23 == 0) {
            in[i].status = ANSWER_NOT_APPLICABLE;
            in[i].maturity = 0;
        }
        in[i].evidence = m >= 3 ? "Documented procedure and records reviewed by the focal person."
                                : NULL;
    }
    /* A draft answers only part of the form. */
    if (!rc)
        rc = assessment_save(db, sys, &a, assessment_id, in, submit ? n : n / 2, ei);
    if (!rc && submit)
        rc = assessment_submit(db, sys, &a, assessment_id, ei);
    rb_arena_release(&a);
    return rc;
}

/* Accepts every control of a submitted assessment (the parent CERT's review). */
static int demo_accept(rb_db *db, const rb_actor *sys, const char *assessment_id, rb_errinfo *ei)
{
    rb_arena a;
    rb_arena_init(&a, 1 << 22);
    rb_assessment_item *items = NULL;
    int n = 0;
    int rc = assessment_items(db, sys, assessment_id, &a, &items, &n);
    struct review_input *in = rc ? NULL : rb_arena_alloc(&a, sizeof(*in) * (size_t)(n + 1));
    if (!rc && !in)
        rc = RB_ENOMEM;
    for (int i = 0; !rc && i < n; i++) {
        in[i].control_id = items[i].control_id;
        in[i].accept = true;
        in[i].comment = NULL;
    }
    if (!rc)
        rc = assessment_review(db, sys, &a, assessment_id, in, n, ei);
    rb_arena_release(&a);
    return rc;
}

/* Launches a campaign at `when` and plays its assessments: stage 0 = all accepted; stage 1 = a
 * mix of accepted, submitted, drafts and untouched. */
static int demo_campaign(rb_db *db, const rb_actor *sys, const char *profile_id, const char *title,
                         const char *launch_at, const char *due, int stage, struct demo_stats *st,
                         rb_errinfo *ei)
{
    int64_t t = 0;
    rb_time_parse(launch_at, &t);
    rb_time_set_fake(t);
    struct campaign_input in = {.profile_id = profile_id, .title = title, .due_date = due};
    char id[RB_ID_SIZE];
    int created = 0;
    rb_arena a;
    rb_arena_init(&a, 1 << 24);
    int rc = campaign_launch(db, sys, &a, &in, id, &created, ei);
    struct assessment_filter f = {.campaign_id = id, .limit = 500};
    rb_assessment *rows = NULL;
    int n = 0;
    bool more = false;
    if (!rc)
        rc = assessment_list(db, sys, &f, &a, &rows, &n, &more);
    for (int i = 0; !rc && i < n; i++) {
        rb_time_set_fake(t + 86400 * (int64_t)(3 + i % 20));
        uint32_t pick = demo_mix(rows[i].org_name, title, 11) % 10;
        if (stage == 0) {
            rc = demo_answer(db, sys, rows[i].id, 0, true, ei);
            if (!rc)
                rc = demo_accept(db, sys, rows[i].id, ei);
        } else if (pick < 4) { /* accepted */
            rc = demo_answer(db, sys, rows[i].id, 1, true, ei);
            if (!rc)
                rc = demo_accept(db, sys, rows[i].id, ei);
        } else if (pick < 7) { /* submitted, awaiting review */
            rc = demo_answer(db, sys, rows[i].id, 1, true, ei);
        } else if (pick < 9) { /* a draft */
            rc = demo_answer(db, sys, rows[i].id, 1, false, ei);
        } /* else not started */
    }
    if (!rc && stage == 0) /* the finished campaign is closed at its due date */
        rc = campaign_close(db, sys, id, &a, ei);
    rb_time_set_fake(-1);
    rb_arena_release(&a);
    if (!rc) {
        st->campaigns++;
        st->assessments += created;
    }
    return rc;
}

static int seed_guidelines(rb_db *db, const rb_actor *sys, struct demo_stats *st, rb_errinfo *ei)
{
    char cat_id[RB_ID_SIZE], prof_id[RB_ID_SIZE];
    struct catalog_import_stats cs;
    rb_arena a;
    rb_arena_init(&a, 1 << 24);
    int rc = catalog_import(db, sys, &a, (const char *)rb_baseline_catalog,
                            rb_baseline_catalog_len, TLP_GREEN, cat_id, &cs, ei);
    if (rc) {
        rb_arena_release(&a);
        return rc;
    }
    /* The institutions' profile: every control that is not for CII only. */
    struct control_filter f = {.after_idx = -1, .limit = 500};
    rb_control *ctl = NULL;
    int n = 0, k = 0;
    bool more = false;
    rc = catalog_controls(db, sys, cat_id, &f, &a, &ctl, &n, &more);
    const char **ids = rc ? NULL : rb_arena_alloc(&a, sizeof(char *) * (size_t)(n + 1));
    if (!rc && !ids)
        rc = RB_ENOMEM;
    for (int i = 0; !rc && i < n; i++)
        if (!ctl[i].cii_only)
            ids[k++] = ctl[i].oscal_id;
    struct profile_applicability ap;
    memset(&ap, 0, sizeof(ap));
    ap.nkinds = 1;
    ap.kinds[0] = KIND_INSTITUTION;
    if (!rc)
        rc = profile_create(db, sys, &a, cat_id, "National baseline for institutions", ids, k,
                            &ap, prof_id, ei);
    rb_arena_release(&a);
    if (!rc)
        rc = demo_campaign(db, sys, prof_id, "National baseline self-assessment, June 2026",
                           "2026-05-04T09:00:00Z", "2026-06-30", 0, st, ei);
    if (!rc)
        rc = demo_campaign(db, sys, prof_id, "National baseline self-assessment, December 2026",
                           "2026-11-02T09:00:00Z", "2026-12-31", 1, st, ei);
    return rc;
}

int demo_seed(rb_db *db, struct demo_stats *stats, void (*progress)(int, int), rb_errinfo *ei)
{
    struct demo_stats st = {0, 0, 0, 0, 0, 0, 0};
    int64_t n = 0;
    int rc = org_count(db, &n);
    if (rc)
        return rc;
    if (n > 0)
        return rb_err(ei, RB_ECONFLICT, "", "the database already holds orgs; the demo needs an "
                                            "empty database");
    char hash[RB_PWHASH_SIZE];
    if ((rc = rb_password_hash(DEMO_PASSWORD, hash)))
        return rc;
    /* The orgs' slugs point into the content: it lives until every table is seeded. */
    rb_arena ca;
    rb_arena_init(&ca, 1 << 20);
    const struct demo_cert *certs = NULL;
    int ncerts = 0;
    struct demo_org *orgs = NULL;
    if ((rc = dc_read(DC_FILE(orgs), &cert_table, &ca, &certs, &ncerts, ei)))
        goto out;
    int total = 1;
    for (int i = 0; i < ncerts; i++) {
        total++;
        for (int k = 0; k < MAX_INSTS && certs[i].inst[k].name; k++)
            total++;
    }
    rb_actor sys;
    rb_actor_system(&sys, NULL);
    /* Every org with its analyst and reporter, for the incidents. */
    orgs = rb_calloc((size_t)total, sizeof(*orgs));
    if (!orgs) {
        rc = RB_ENOMEM;
        goto out;
    }
    int norgs = 0;
    struct demo_org *o = &orgs[norgs++];
    o->slug = "ncert";
    if ((rc = org_create_root(db, &sys, "National CERT", "NCERT", o->id, ei)))
        goto out;
    const char *root_id = o->id;
    rb_orgref root;
    if ((rc = org_root(db, &root)))
        goto out;
    rb_actor_system(&sys, &root);
    st.orgs++;
    if ((rc = add_people(db, &sys, o, "NCERT", hash, &st, ei)))
        goto out;
    char email[256];
    demo_email("auditor", "ncert", email);
    rb_user_input aud = {.org_id = root_id, .email = email, .name = "NCERT Auditor",
                         .role = ROLE_AUDITOR, .pw_hash = hash};
    if ((rc = user_create(db, &sys, &aud, NULL, ei)))
        goto out;
    st.users++;
    if (progress)
        progress(st.orgs, total);
    const struct seeding sd = {db, &sys, hash, &st, progress, total};
    for (int i = 0; i < ncerts; i++) {
        const struct demo_cert *c = &certs[i];
        rb_org_input in;
        org_input_init(&in);
        in.parent_id = root_id;
        in.name = c->name;
        in.short_name = c->short_name;
        in.province = c->province;
        in.sector = c->sector;
        enum rb_org_kind kind = KIND_PROVINCIAL_CERT;
        rb_org_kind_parse(c->kind, &kind);
        in.kind = (int)kind;
        struct demo_org *co = &orgs[norgs++];
        co->slug = c->slug;
        if ((rc = add_org(&sd, &in, co, c->short_name, ei)))
            goto out;
        for (int k = 0; k < MAX_INSTS && c->inst[k].name; k++) {
            const struct demo_inst *d = &c->inst[k];
            org_input_init(&in);
            in.parent_id = co->id;
            in.name = d->name;
            in.kind = KIND_INSTITUTION;
            in.province = c->province;
            in.sector = d->sector;
            if (d->cii_grade) {
                in.cii = 1;
                in.cii_grade = d->cii_grade;
                in.cii_review_date = "2027-06-30";
            }
            struct demo_org *io = &orgs[norgs++];
            io->slug = d->slug;
            if ((rc = add_org(&sd, &in, io, d->name, ei)))
                goto out;
        }
    }
    rb_actor_system(&sys, &root);
    if ((rc = seed_guidelines(db, &sys, &st, ei)))
        goto out;
    if ((rc = demo_seed_incidents(db, orgs, norgs, &st.incidents, ei)))
        goto out;
    if ((rc = demo_seed_inventory(db, orgs, norgs, NULL, ei)))
        goto out;
    if ((rc = demo_seed_advisories(db, orgs, norgs, &st.advisories, ei)))
        goto out;
    if ((rc = demo_seed_risks(db, orgs, norgs, &st.risks, ei)))
        goto out;
    if ((rc = demo_seed_trainings(db, orgs, norgs, NULL, ei)))
        goto out;
    if (stats)
        *stats = st;
out:
    rb_free(orgs);
    rb_arena_release(&ca);
    return rc;
}
