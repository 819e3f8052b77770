/*
 * demo.h - the demo hierarchy: a plausible national CERT community to explore rabta with.
 *
 * The National CERT; Provincial CERTs for Punjab, Sindh, Khyber Pakhtunkhwa, Balochistan,
 * Gilgit-Baltistan and Azad Jammu & Kashmir; a federal Government CERT; a telecom Sectoral CERT;
 * four to six invented institutions under each (some CII); an admin, an analyst and a reporter in
 * every org, and an auditor at the National CERT. Every account has the same password, hashed once.
 * Guidelines: the national baseline catalog, the profile "National baseline for institutions",
 * a national campaign finished in June 2026 (every assessment accepted) and one in progress
 * (some accepted, some submitted, some drafts, some not started), so dashboards have content.
 * Answers are invented deterministically from the org and control names.
 * Incidents: about ninety over the last 90 days in every province and sector, played through the
 * core functions at the times they happened, with the scheduler ticking in between
 * (core/demo_incidents.c says what they show).
 * Inventories: about half the institutions declare the products they run, 5 to 15 each, OT named
 * as in the CISA advisories of 2023 with versions inside and outside their affected ranges, and
 * common IT (core/demo_inventory.c).
 * Training sessions: a season over the last six weeks and the next five, in person, online and
 * hybrid, with registrations, attendance by mode and feedback; the first is the seed's drill
 * with KP CERT in the room and Punjab and Sindh online (core/demo_trainings.c).
 * Risks: every institution and provincial CERT keeps a register of two to five risks, some
 * treated, some overdue, some accepted, a few closed (core/demo_risks.c).
 * What the people write (the orgs, the incident stories, the risks, the sessions) is data in
 * content/demo/, read by core/demo_content.h; the builders above decide how it is played.
 */
#ifndef RABTA_DEMO_H
#define RABTA_DEMO_H

#include "core/actor.h"
#include "db/db.h"

#define DEMO_PASSWORD "rabta-demo-2026"
#define DEMO_DOMAIN "rabta.test"

struct demo_stats {
    int orgs;
    int users;
    int campaigns;
    int assessments;
    int incidents;
    int advisories;
    int risks;
};

/* The national baseline guideline (content/oscal/...), embedded at build time. */
extern const unsigned char rb_baseline_catalog[];
extern const size_t rb_baseline_catalog_len;

/* Seeds an empty database (no orgs). RB_ECONFLICT when orgs exist. `progress`, when not NULL, is
 * called after each org with (done, total). */
int demo_seed(rb_db *db, struct demo_stats *stats, void (*progress)(int done, int total),
              rb_errinfo *ei);

/* Builds the e-mail of a demo account: role@slug.rabta.test. */
void demo_email(const char *role, const char *slug, char out[256]);

#endif
