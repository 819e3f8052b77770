/*
 * settings.h - the deployment's settings (the `settings` table, key -> value).
 *
 * One key so far: "namespace", the URL (or URN) that names this rabta, set by `rabta init
 * --namespace URL` (core/advisory.h: advisory_namespace_set). It is what CSAF advisories give as
 * document.publisher.namespace and what OSCAL exports give as the "ns" of rabta's own props. A
 * deployment that never set it is named "urn:rabta:<id of the National CERT>", so the name is
 * never a placeholder and never changes between two exports.
 */
#ifndef RABTA_SETTINGS_H
#define RABTA_SETTINGS_H

#include "base/mem.h"
#include "db/db.h"

/* The deployment's namespace (see above), an arena copy. Returns 0, RB_ENOMEM or RB_EDB. */
int settings_namespace(rb_db *db, rb_arena *a, const char **out);

#endif
