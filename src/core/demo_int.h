/*
 * demo_int.h - what core/demo.c hands to the incidents of the demo (core/demo_incidents.c) and
 * its inventories (core/demo_inventory.c): the orgs it created, by slug, with the users who act
 * for each.
 */
#ifndef RABTA_DEMO_INT_H
#define RABTA_DEMO_INT_H

#include "base/common.h"
#include "db/db.h"

struct demo_org {
    const char *slug;         /* "ncert", "punjab-cert", "pb-health" */
    char id[RB_ID_SIZE];      /* the org */
    char admin[RB_ID_SIZE];   /* its admin's user id */
    char analyst[RB_ID_SIZE]; /* its analyst's user id */
    char reporter[RB_ID_SIZE];
};

/* Plays the demo's incidents into a database holding the demo's orgs (and nothing of incidents
 * yet), with rb_now() moved to each moment (the real clock is restored on return). *created gets
 * how many incidents were reported. Returns 0 or the first error, ei naming the incident. */
int demo_seed_incidents(rb_db *db, const struct demo_org *orgs, int norgs, int *created,
                        rb_errinfo *ei);

/* Gives about half the demo's institutions an inventory (core/demo_inventory.c), each item added
 * by the institution's reporter. *created gets how many items were added. Returns 0 or the first
 * error. */
int demo_seed_inventory(rb_db *db, const struct demo_org *orgs, int norgs, int *created,
                        rb_errinfo *ei);

/* Writes and publishes the demo's advisories and plays the records' moves (core/demo_advisories.c),
 * as demo_seed_incidents does. *created gets how many advisories were written. */
int demo_seed_advisories(rb_db *db, const struct demo_org *orgs, int norgs, int *created,
                         rb_errinfo *ei);

/* Plays the demo's training sessions (core/demo_trainings.c): a season of them, in person, online
 * and hybrid, with registrations, attendance and feedback, as demo_seed_incidents does. *created
 * (may be NULL) gets how many sessions were made. */
int demo_seed_trainings(rb_db *db, const struct demo_org *orgs, int norgs, int *created,
                        rb_errinfo *ei);
/* A stable pseudo-random number from two strings (FNV-1a) and a salt, for invented answers. */
uint32_t demo_mix(const char *a, const char *b, uint32_t salt);

/* Gives every institution and provincial CERT of the demo a risk register (core/demo_risks.c):
 * two to five risks each, recorded by the org's focal person, some treated, some overdue, some
 * accepted by the org's admin, a few closed. *created gets how many risks were recorded. */
int demo_seed_risks(rb_db *db, const struct demo_org *orgs, int norgs, int *created,
                    rb_errinfo *ei);

#endif
