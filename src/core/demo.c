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
#include "core/demo_int.h"
#include "core/profile.h"
#include "core/score.h"
#include "core/org.h"
#include "core/user.h"

struct demo_inst {
    const char *name, *slug, *sector;
    int cii_grade; /* 0 when not CII */
};

struct demo_cert {
    const char *name, *short_name, *slug, *kind, *province, *sector;
    struct demo_inst inst[6];
};

static const struct demo_cert certs[] = {
    {"Punjab CERT", "PB-CERT", "punjab-cert", "provincial_cert", "punjab", "government",
     {{"Punjab Finance Department", "pb-finance", "finance", 0},
      {"Punjab Health Services Directorate", "pb-health", "health", 0},
      {"Punjab Land Records Office", "pb-landrecords", "government", 0},
      {"Lahore Water and Sanitation Services", "lhr-water", "water", 2},
      {"Punjab Power Distribution Company", "pb-power", "energy", 3},
      {"Punjab Emergency Response Service", "pb-emergency", "emergency", 0}}},
    {"Sindh CERT", "SD-CERT", "sindh-cert", "provincial_cert", "sindh", "government",
     {{"Sindh Revenue Directorate", "sd-revenue", "finance", 0},
      {"Sindh Education Department", "sd-education", "education", 0},
      {"Karachi Port Operations Office", "khi-port", "transport", 3},
      {"Sindh Health Information Unit", "sd-health", "health", 0},
      {"Karachi Bulk Water Board", "khi-water", "water", 2},
      {NULL, NULL, NULL, 0}}},
    {"Khyber Pakhtunkhwa CERT", "KP-CERT", "kp-cert", "provincial_cert", "khyber_pakhtunkhwa",
     "government",
     {{"KP Information Technology Board Services", "kp-itboard", "government", 0},
      {"KP Health Department", "kp-health", "health", 0},
      {"Peshawar Bus Rapid Transit Authority", "psh-transit", "transport", 2},
      {"KP Hydropower Development Office", "kp-hydro", "energy", 3},
      {"KP Elementary Education Directorate", "kp-education", "education", 0},
      {NULL, NULL, NULL, 0}}},
    {"Balochistan CERT", "BL-CERT", "balochistan-cert", "provincial_cert", "balochistan",
     "government",
     {{"Balochistan Finance Department", "bl-finance", "finance", 0},
      {"Quetta Water Supply Office", "qta-water", "water", 2},
      {"Balochistan Health Department", "bl-health", "health", 0},
      {"Balochistan Mines and Minerals Office", "bl-mines", "other", 0},
      {NULL, NULL, NULL, 0}}},
    {"Gilgit-Baltistan CERT", "GB-CERT", "gb-cert", "provincial_cert", "gilgit_baltistan",
     "government",
     {{"Gilgit-Baltistan Finance Department", "gb-finance", "finance", 0},
      {"Gilgit-Baltistan Power Department", "gb-power", "energy", 2},
      {"Gilgit-Baltistan Tourism Office", "gb-tourism", "government", 0},
      {"Gilgit-Baltistan Health Department", "gb-health", "health", 0},
      {NULL, NULL, NULL, 0}}},
    {"Azad Jammu & Kashmir CERT", "AJK-CERT", "ajk-cert", "provincial_cert", "azad_jammu_kashmir",
     "government",
     {{"AJK Finance Department", "ajk-finance", "finance", 0},
      {"AJK Electricity Department", "ajk-power", "energy", 2},
      {"AJK Health Department", "ajk-health", "health", 0},
      {"AJK Disaster Management Office", "ajk-disaster", "emergency", 0},
      {NULL, NULL, NULL, 0}}},
    {"Federal Government CERT", "GOV-CERT", "gov-cert", "government_cert", "islamabad",
     "government",
     {{"Federal Tax Administration Office", "fed-tax", "finance", 0},
      {"National Identity Records Office", "fed-identity", "government", 3},
      {"Federal Pension Disbursement Office", "fed-pensions", "finance", 0},
      {"Ministry of Foreign Affairs IT Directorate", "fed-foreign", "government", 0},
      {"National Highways Toll Authority", "fed-tolls", "transport", 1},
      {NULL, NULL, NULL, 0}}},
    {"Telecom Sector CERT", "TEL-CERT", "telecom-cert", "sectoral_cert", NULL, "telecom",
     {{"Indus Fibre Backbone", "indus-fibre", "telecom", 3},
      {"Khyber Mobile Networks", "khyber-mobile", "telecom", 2},
      {"Sapphire Telecom Services", "sapphire-telecom", "telecom", 0},
      {"National Internet Exchange Operator", "nix-operator", "telecom", 3},
      {"PakNet Broadband Services", "paknet-broadband", "telecom", 0},
      {NULL, NULL, NULL, 0}}},
};

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
    int total = 1;
    for (size_t i = 0; i < RB_ARRAY_LEN(certs); i++) {
        total++;
        for (int k = 0; k < 6 && certs[i].inst[k].name; k++)
            total++;
    }
    rb_actor sys;
    rb_actor_system(&sys, NULL);
    /* Every org with its analyst and reporter, for the incidents. */
    struct demo_org *orgs = rb_calloc((size_t)total, sizeof(*orgs));
    if (!orgs)
        return RB_ENOMEM;
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
    for (size_t i = 0; i < RB_ARRAY_LEN(certs); i++) {
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
        if ((rc = org_create(db, &sys, &in, co->id, ei)) ||
            (rc = add_people(db, &sys, co, c->short_name, hash, &st, ei)))
            goto out;
        st.orgs++;
        if (progress)
            progress(st.orgs, total);
        for (int k = 0; k < 6 && c->inst[k].name; k++) {
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
            if ((rc = org_create(db, &sys, &in, io->id, ei)) ||
                (rc = add_people(db, &sys, io, d->name, hash, &st, ei)))
                goto out;
            st.orgs++;
            if (progress)
                progress(st.orgs, total);
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
    return rc;
}
