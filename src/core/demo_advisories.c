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
#include "core/demo_int.h"
#include "core/org.h"
#include "core/scheduler.h"

#define HOUR 3600
#define DAY (24 * HOUR)

struct demo_adv {
    int days_ago; /* published then; < 0: a draft */
    enum rb_tlp tlp;
    const char *title, *summary;
    struct csaf_product_in products[3];
    struct csaf_vuln_in vulns[2];
    struct csaf_remediation_in fix;
    const char *reference;
    const char *orgs[5]; /* AMBER+STRICT: the orgs it goes to; else NULL (the subtree) */
};

static const struct demo_adv advs[] = {
    {40,
     TLP_CLEAR,
     "Siemens SIMATIC S7-1500 CPUs: a crafted packet stops the controller",
     "An unauthenticated attacker on the network can send a packet that puts SIMATIC S7-1500 "
     "CPUs into a defect state until they are restarted. Operators of process control in water "
     "and power should apply the firmware update and keep the controllers off untrusted "
     "networks.",
     {{"Siemens", "SIMATIC S7-1500 CPU 1518-4 PN/DP MFP", NULL, "vers:generic/<V3.0.1", NULL,
       NULL}},
     {{"CVE-2023-28831", "Denial of service in the S7-1500 CPU firmware",
       "Improper input validation lets a remote attacker stop the CPU.",
       "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", "CWE-20", "Improper Input Validation", 0,
       NULL}},
     {"vendor_fix", "Update the CPU firmware to V3.0.1 or later.", NULL},
     "https://www.cisa.gov/news-events/ics-advisories",
     {NULL}},
    {25,
     TLP_AMBER,
     "Rockwell Automation communication modules: remote code execution",
     "A flaw in Select ControlLogix communication modules lets an attacker run code on the "
     "module and reach the controller behind it. It has been used by a capable threat actor "
     "against critical infrastructure. Patch, then segment the control network.",
     {{"Rockwell Automation", "1756-EN2T Series A", NULL, "vers:generic/<=11.002", NULL,
       NULL},
      {"Rockwell Automation", "1756-EN4TR communication module", NULL, "vers:generic/<=5.001", NULL,
       NULL}},
     {{"CVE-2023-3595", "Out-of-bounds write in the CIP handling",
       "Malformed CIP messages let an unauthenticated attacker write past a buffer and run code.",
       "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CWE-787", "Out-of-bounds Write", 0, NULL}},
     {"vendor_fix",
      "Install the firmware updates Rockwell Automation published for each "
      "module.",
      NULL},
     "https://www.cisa.gov/news-events/ics-advisories",
     {NULL}},
    {18,
     TLP_AMBER,
     "Ivanti Connect Secure: authentication bypass chained to command injection",
     "Two flaws in Ivanti Connect Secure and Policy Secure gateways are exploited together in "
     "the wild to take over the gateway without credentials. Apply the mitigation at once, run "
     "the integrity checker, and patch when the fix is available.",
     {{"Ivanti", "Connect Secure", NULL, "vers:generic/<22.5R2.2", NULL, NULL},
      {"Ivanti", "Policy Secure", NULL, "vers:generic/<22.5R1.1", NULL, NULL}},
     {{"CVE-2023-46805", "Authentication bypass in the web component",
       "A path in the web component skips the authentication check.",
       "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N", "CWE-287", "Improper Authentication", 0,
       NULL},
      {"CVE-2024-21887", "Command injection in the web component",
       "An authenticated administrator, or anyone past the bypass, can run commands.",
       "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", "CWE-77",
       "Improper Neutralization of Special Elements used in a Command ('Command Injection')", 0,
       NULL}},
     {"vendor_fix",
      "Import the vendor's mitigation file now; install the patched release when "
      "it is out; run the external integrity checker.",
      NULL},
     "https://forums.ivanti.com/s/article/CVE-2023-46805-Authentication-Bypass-CVE-2024-21887-"
     "Command-Injection-for-Ivanti-Connect-Secure-and-Ivanti-Policy-Secure-Gateways",
     {NULL}},
    {12,
     TLP_AMBER_STRICT,
     "Hitachi Energy RTU500: crafted messages restart the RTU",
     "Power distribution companies that run RTU500 remote terminal units should plan the "
     "firmware update: a crafted message makes the RTU restart, and a campaign probing "
     "substation gateways in the region was reported to the National CERT.",
     {{"Hitachi Energy", "RTU500 series CMU firmware", NULL, "vers:generic/<13.4.1", NULL, NULL}},
     {{"CVE-2022-2502", "Denial of service in the RTU500 CMU",
       "A crafted message causes the CMU to restart.",
       "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", "CWE-120",
       "Buffer Copy without Checking Size of Input ('Classic Buffer Overflow')", 0, NULL}},
     {"vendor_fix", "Update the CMU firmware to 13.4.1 or a later release.", NULL},
     "https://www.hitachienergy.com/cybersecurity",
     {"pb-power", "kp-hydro", "gb-power", "ajk-power", NULL}},
    {9,
     TLP_AMBER,
     "Fortinet FortiOS SSL VPN: out-of-bounds write exploited",
     "An out-of-bounds write in the SSL VPN of FortiOS lets a remote attacker run code without "
     "credentials. It is being exploited. Upgrade, or turn the SSL VPN off until you can.",
     {{"Fortinet", "FortiOS", NULL, "vers:generic/>=7.4.0|<7.4.3", NULL, NULL},
      {"Fortinet", "FortiOS", NULL, "vers:generic/>=7.2.0|<7.2.7", NULL, NULL}},
     {{"CVE-2024-21762", "Out-of-bounds write in sslvpnd",
       "Crafted HTTP requests to the SSL VPN daemon write out of bounds.",
       "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CWE-787", "Out-of-bounds Write", 0, NULL}},
     {"workaround",
      "Disable the SSL VPN (turning off the web mode alone is not enough) until "
      "the upgrade.",
      NULL},
     "https://www.fortiguard.com/psirt/FG-IR-24-015",
     {NULL}},
    {3,
     TLP_GREEN,
     "Microsoft Exchange Server: NTLM relay to elevate privileges",
     "An attacker who captures a user's NTLM hash can relay it to Exchange Server and act as "
     "that user. Install the cumulative update that turns on Extended Protection for "
     "Authentication.",
     {{"Microsoft", "Exchange Server", NULL, "2019 CU13 and earlier", NULL, NULL}},
     {{"CVE-2024-21410", "Elevation of privilege through NTLM relay",
       "Relayed NTLM credentials are accepted without Extended Protection.",
       "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", NULL, NULL, 0, NULL}},
     {"vendor_fix",
      "Install Exchange Server 2019 CU14, or turn on Extended Protection on older "
      "updates.",
      NULL},
     "https://msrc.microsoft.com/update-guide/vulnerability/CVE-2024-21410",
     {NULL}},
    {-1,
     TLP_AMBER,
     "Cisco IOS XE web UI: privilege escalation (draft)",
     "Draft for review: the web UI of IOS XE lets a remote attacker create an account with "
     "full privileges.",
     {{"Cisco", "IOS XE Software", NULL, NULL, NULL, NULL}},
     {{"CVE-2023-20198", "Privilege escalation in the web UI", NULL,
       "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", NULL, NULL, 0, NULL}},
     {"workaround", "Turn off the HTTP server feature on internet-facing systems.", NULL},
     "https://sec.cloudapps.cisco.com/security/center/publicationListing.x",
     {NULL}},
};

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
    char ids[RB_ARRAY_LEN(advs)][RB_ID_SIZE];
    int rc = 0;
    rb_actor author;
    rb_arena a;
    rb_arena_init(&a, 32u << 20);
    struct act *acts = rb_calloc((size_t)norgs * RB_ARRAY_LEN(advs) * 4, sizeof(*acts));
    int nacts = 0;
    *created = 0;
    if (!acts)
        return RB_ENOMEM;
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
    for (size_t i = 0; i < RB_ARRAY_LEN(advs) && !rc; i++) {
        const struct demo_adv *d = &advs[i];
        int64_t at = d->days_ago >= 0 ? now - (int64_t)d->days_ago * DAY : now - 2 * HOUR;
        rb_time_set_fake(at - 3 * HOUR);
        struct advisory_input in;
        advisory_input_init(&in);
        in.title = d->title;
        in.summary = d->summary;
        in.tlp = (int)d->tlp;
        in.products = (struct csaf_product_in *)d->products;
        for (in.nproducts = 0; in.nproducts < 3 && d->products[in.nproducts].vendor; in.nproducts++)
            ;
        in.vulns = (struct csaf_vuln_in *)d->vulns;
        for (in.nvulns = 0; in.nvulns < 2 && d->vulns[in.nvulns].cve; in.nvulns++)
            ;
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
            const char *named[5];
            int n = 0;
            for (int k = 0; k < 5 && d->orgs[k]; k++)
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
                for (int k = 0; k < 5 && d->orgs[k]; k++)
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
