/*
 * incident_stix.h - an incident exported as a STIX 2.1 bundle (formats/stix writes it).
 *
 * Gathers what formats/stix needs of a readable incident: the incident (core/incident, through
 * the sharing policy) and the three orgs it names (the reporting org, the affected org, the
 * handling CERT). Their names are what the incident's readers see already in the incident
 * itself; the identities add each org's sector and its own created/updated times.
 */
#ifndef RABTA_INCIDENT_STIX_H
#define RABTA_INCIDENT_STIX_H

#include "base/buf.h"
#include "base/mem.h"
#include "core/actor.h"
#include "db/db.h"

/* Appends the bundle for incident id to out, reading into a. Returns 0, RB_ENOTFOUND (no such
 * incident, or the actor may not read it: never told apart), RB_ETOOBIG past out's cap, RB_EDB.
 * The bundle's own id is new (random) each time; every object inside keeps its id. */
int incident_stix(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_buf *out);

#endif
