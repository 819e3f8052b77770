/*
 * demo.c - seeds the demo hierarchy through the same core functions the API uses, so the demo
 * database is audited and consistent like any other. Names of institutions are invented.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "core/demo.h"
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

static int add_people(rb_db *db, const rb_actor *sys, const char *org_id, const char *slug,
                      const char *org_short, const char *hash, struct demo_stats *stats,
                      rb_errinfo *ei)
{
    for (int r = 0; r < 3; r++) {
        char email[256], name[160];
        demo_email(role_people[r][0], slug, email);
        snprintf(name, sizeof(name), "%s %s", org_short, role_people[r][1]);
        enum rb_role role = ROLE_VIEWER;
        rb_role_parse(role_people[r][0], &role);
        rb_user_input u = {.org_id = org_id, .email = email, .name = name, .role = (int)role,
                           .password = NULL, .pw_hash = hash};
        int rc = user_create(db, sys, &u, NULL, ei);
        if (rc)
            return rc;
        stats->users++;
    }
    return 0;
}

int demo_seed(rb_db *db, struct demo_stats *stats, void (*progress)(int, int), rb_errinfo *ei)
{
    struct demo_stats st = {0, 0};
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
    char root_id[RB_ID_SIZE];
    if ((rc = org_create_root(db, &sys, "National CERT", "NCERT", root_id, ei)))
        return rc;
    rb_orgref root;
    if ((rc = org_root(db, &root)))
        return rc;
    rb_actor_system(&sys, &root);
    st.orgs++;
    if ((rc = add_people(db, &sys, root_id, "ncert", "NCERT", hash, &st, ei)))
        return rc;
    char email[256];
    demo_email("auditor", "ncert", email);
    rb_user_input aud = {.org_id = root_id, .email = email, .name = "NCERT Auditor",
                         .role = ROLE_AUDITOR, .pw_hash = hash};
    if ((rc = user_create(db, &sys, &aud, NULL, ei)))
        return rc;
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
        char cert_id[RB_ID_SIZE];
        if ((rc = org_create(db, &sys, &in, cert_id, ei)) ||
            (rc = add_people(db, &sys, cert_id, c->slug, c->short_name, hash, &st, ei)))
            return rc;
        st.orgs++;
        if (progress)
            progress(st.orgs, total);
        for (int k = 0; k < 6 && c->inst[k].name; k++) {
            const struct demo_inst *d = &c->inst[k];
            org_input_init(&in);
            in.parent_id = cert_id;
            in.name = d->name;
            in.kind = KIND_INSTITUTION;
            in.province = c->province;
            in.sector = d->sector;
            if (d->cii_grade) {
                in.cii = 1;
                in.cii_grade = d->cii_grade;
                in.cii_review_date = "2027-06-30";
            }
            char inst_id[RB_ID_SIZE];
            if ((rc = org_create(db, &sys, &in, inst_id, ei)) ||
                (rc = add_people(db, &sys, inst_id, d->slug, d->name, hash, &st, ei)))
                return rc;
            st.orgs++;
            if (progress)
                progress(st.orgs, total);
        }
    }
    if (stats)
        *stats = st;
    return 0;
}
