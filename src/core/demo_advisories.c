/*
 * demo_advisories.c - the advisories of the demo: six written by the National CERT over the last
 * six weeks (in rabta's own words, about real products and real CVEs), published, and the
 * records of the orgs that received them played through the core functions at the moments they
 * happen, so the status dashboards have every stage to show: acknowledged within hours, affected
 * and mitigating, mitigated, not affected, and never acknowledged (overdue). One more stays a
 * draft.
 *
 * The CERTs differ as they do for incidents: KP and the Federal Government CERT and their
 * institutions act within hours, Punjab within a day, Gilgit-Baltistan late, Balochistan hardly
 * at all.
 *
 * Must never write around the core functions: every grant, record, inbox item and audit entry
 * is the one the API would have made.
 */
#include "base/common.h"

#include <stdlib.h>

#include "base/rtime.h"
#include "core/advisory.h"
#include "core/auth.h"
#include "core/demo_content.h"
#include "core/demo_int.h"
#include "core/org.h"
#include "core/scheduler.h"

#define HOUR 3600
#define DAY (24 * HOUR)

/* The arrays of an advisory end with a zero item: three products, two vulnerabilities and four
 * named orgs at most. */
#define MAX_PRODUCTS 4
#define MAX_VULNS 3
#define MAX_NAMED 5

struct demo_adv {
    int days_ago; /* published then; < 0: a draft */
    enum rb_tlp tlp;
    const char *title, *summary;
    struct csaf_product_in products[MAX_PRODUCTS];
    struct csaf_vuln_in vulns[MAX_VULNS];
    struct csaf_remediation_in fix;
    const char *reference;
    const char *orgs[MAX_NAMED]; /* AMBER+STRICT: the orgs it goes to; else none (the subtree) */
};

/* The advisories, in content/demo/advisories.json: one object each, its members those of struct
 * demo_adv (tlp by its name), the products, vulnerabilities and fix as CSAF's author takes them
 * (formats/csaf_author.h). */
#define M(T, m) DC_MEMBER(struct T, m, DC_TEXT)
static const struct dc_member product_members[] = {
    M(csaf_product_in, vendor),  M(csaf_product_in, product),       M(csaf_product_in, version),
    M(csaf_product_in, version_range), M(csaf_product_in, cpe),     M(csaf_product_in, purl),
};
static const struct dc_table product_table = DC_TABLE(struct csaf_product_in, product_members);
static const struct dc_member vuln_members[] = {
    M(csaf_vuln_in, cve),     M(csaf_vuln_in, title),  M(csaf_vuln_in, description),
    M(csaf_vuln_in, cvss_vector), M(csaf_vuln_in, cwe_id), M(csaf_vuln_in, cwe_name),
    DC_MEMBER(struct csaf_vuln_in, base_score, DC_DOUBLE), M(csaf_vuln_in, base_severity),
};
static const struct dc_table vuln_table = DC_TABLE(struct csaf_vuln_in, vuln_members);
static const struct dc_member fix_members[] = {
    M(csaf_remediation_in, category), M(csaf_remediation_in, details), M(csaf_remediation_in, url),
};
static const struct dc_table fix_table = DC_TABLE(struct csaf_remediation_in, fix_members);
static const struct dc_member adv_members[] = {
    DC_MEMBER(struct demo_adv, days_ago, DC_INT), DC_ENUM(struct demo_adv, tlp, tlp_names),
    M(demo_adv, title),       M(demo_adv, summary),
    DC_ROWS(struct demo_adv, products, &product_table),
    DC_ROWS(struct demo_adv, vulns, &vuln_table),
    DC_ROW(struct demo_adv, fix, &fix_table), M(demo_adv, reference),
    DC_MEMBER(struct demo_adv, orgs, DC_TEXTS),
};
#undef M
static const struct dc_table adv_table = DC_TABLE(struct demo_adv, adv_members);

/* How each CERT's constituency answers: hours to acknowledge (0: never), and how often (per
 * cent) an org finds itself affected. */
static int delay_of(const char *slug, unsigned h)
{
    static const struct {
        const char *prefix;
        int hours;
    } speed[] = {{"kp", 2},        {"psh", 3},  {"gov", 1},     {"fed", 2},         {"punjab", 12},
                 {"pb", 16},       {"lhr", 20}, {"sindh", 6},   {"sd", 30},         {"khi", 10},
                 {"gb", 60},       {"ajk", 26}, {"telecom", 4}, {"indus", 5},       {"khyber", 8},
                 {"sapphire", 40}, {"nix", 3},  {"paknet", 0},  {"balochistan", 0}, {"bl", 0},
                 {"qta", 0}};
    for (size_t i = 0; i < RB_ARRAY_LEN(speed); i++)
        if (strncmp(slug, speed[i].prefix, strlen(speed[i].prefix)) == 0)
            return speed[i].hours ? speed[i].hours + (int)(h % 5) : 0;
    return 30 + (int)(h % 9);
}

struct act {
    int64_t at;
    int adv, org;
    enum ack_status to;
    const char *note;
};

static int by_time(const void *a, const void *b)
{
    const struct act *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at ? 1 : x->adv - y->adv;
}

static const char *const notes[] = {
    "Checked with the vendor's list of affected versions.",
    "Two units run an affected release; the update is scheduled for the maintenance window.",
    "Updated and verified; the integrity check is clean.",
    "We do not run this product.",
    "Mitigation applied while we wait for the vendor's fix.",
};

int demo_seed_advisories(rb_db *db, const struct demo_org *orgs, int norgs, int *created,
                         rb_errinfo *ei)
{
    int64_t now = rb_now() / HOUR * HOUR;
    rb_actor author;
    rb_arena a;
    rb_arena_init(&a, 32u << 20);
    const struct demo_adv *advs = NULL;
    int nadvs = 0, nacts = 0;
    char(*ids)[RB_ID_SIZE] = NULL;
    struct act *acts = NULL;
    *created = 0;
    int rc = dc_read(DC_FILE(advisories), &adv_table, &a, &advs, &nadvs, ei);
    if (rc)
        goto out;
    ids = rb_arena_alloc(&a, (size_t)(nadvs ? nadvs : 1) * sizeof(*ids));
    acts = rb_calloc((size_t)norgs * (size_t)nadvs * 4 + 1, sizeof(*acts));
    if (!ids || !acts) {
        rc = RB_ENOMEM;
        goto out;
    }
    if ((rc = auth_load_actor(db, orgs[0].analyst, &author)))
        goto out;
    rb_actor sys;
    rb_orgref root;
    if ((rc = org_root(db, &root)))
        goto out;
    rb_actor_system(&sys, &root);
    if ((rc = advisory_namespace_set(db, &sys, "https://cert.rabta.test", ei)))
        goto out;
    /* Written and published in order, each at its moment. */
    for (int i = 0; i < nadvs && !rc; i++) {
        const struct demo_adv *d = &advs[i];
        int64_t at = d->days_ago >= 0 ? now - (int64_t)d->days_ago * DAY : now - 2 * HOUR;
        rb_time_set_fake(at - 3 * HOUR);
        struct advisory_input in;
        advisory_input_init(&in);
        in.title = d->title;
        in.summary = d->summary;
        in.tlp = (int)d->tlp;
        in.products = (struct csaf_product_in *)d->products;
        while (in.nproducts < MAX_PRODUCTS && d->products[in.nproducts].vendor)
            in.nproducts++;
        in.vulns = (struct csaf_vuln_in *)d->vulns;
        while (in.nvulns < MAX_VULNS && d->vulns[in.nvulns].cve)
            in.nvulns++;
        in.remediations = (struct csaf_remediation_in *)&d->fix;
        in.nremediations = 1;
        struct csaf_reference_in ref = {d->reference, "Vendor or CISA notice"};
        in.references = &ref;
        in.nreferences = 1;
        if ((rc = advisory_create(db, &author, &a, &in, ids[i], ei)))
            break;
        (*created)++;
        if (d->days_ago < 0)
            continue;
        rb_time_set_fake(at);
        if (d->orgs[0]) {
            const char *named[MAX_NAMED];
            int n = 0;
            for (int k = 0; k < MAX_NAMED && d->orgs[k]; k++)
                for (int j = 0; j < norgs; j++)
                    if (strcmp(orgs[j].slug, d->orgs[k]) == 0)
                        named[n++] = orgs[j].id;
            rc = advisory_publish(db, &author, ids[i], SCOPE_ORG, named, n, ei);
        } else {
            rc = advisory_publish(db, &author, ids[i], SCOPE_SUBTREE, NULL, 0, ei);
        }
        /* What each recipient does after. */
        for (int j = 1; j < norgs && !rc; j++) {
            if (d->orgs[0]) {
                bool named = false;
                for (int k = 0; k < MAX_NAMED && d->orgs[k]; k++)
                    named = named || strcmp(orgs[j].slug, d->orgs[k]) == 0;
                if (!named)
                    continue;
            }
            unsigned h = (unsigned)(i * 7919u + (unsigned)j * 104729u);
            int delay = delay_of(orgs[j].slug, h);
            if (!delay || (int64_t)delay * HOUR > now - at)
                continue; /* never acknowledged, or not yet */
            int64_t t = at + (int64_t)delay * HOUR + (int64_t)(h % 50) * 60;
            bool affected = h % 100 < 35;
            acts[nacts++] =
                (struct act){t, (int)i, j, affected ? ACK_AFFECTED : ACK_ACKNOWLEDGED, notes[0]};
            if (!affected) {
                if (h % 3 && t + 2 * DAY < now)
                    acts[nacts++] =
                        (struct act){t + 2 * DAY, (int)i, j, ACK_NOT_AFFECTED, notes[3]};
                continue;
            }
            if (t + DAY < now)
                acts[nacts++] =
                    (struct act){t + DAY, (int)i, j, ACK_MITIGATING, h % 2 ? notes[1] : notes[4]};
            if (h % 4 && t + 4 * DAY < now)
                acts[nacts++] = (struct act){t + 4 * DAY, (int)i, j, ACK_MITIGATED, notes[2]};
        }
    }
    qsort(acts, (size_t)nacts, sizeof(*acts), by_time);
    for (int k = 0; k < nacts && !rc; k++) {
        rb_actor who;
        rb_time_set_fake(acts[k].at);
        if ((rc = auth_load_actor(db, orgs[acts[k].org].reporter, &who)))
            break;
        rc = advisory_ack(db, &who, ids[acts[k].adv], acts[k].to, acts[k].note, ei);
    }
    rb_time_set_fake(-1);
    if (!rc) {
        struct tick_result tr;
        rc = scheduler_tick(db, &tr);
    }
out:
    rb_time_set_fake(-1);
    rb_free(acts);
    rb_arena_release(&a);
    return rc;
}
