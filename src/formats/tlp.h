/*
 * tlp.h - Traffic Light Protocol 2.0 levels and their names in every format rabta speaks.
 *
 * One table holds, for each level: the rabta name, the STIX 2.1 TLP 2.0 marking-definition id,
 * the TLP 1.0 STIX id read on import, the CSAF 2.0 label (TLP 1 vocabulary), the MISP tag, and the
 * name and tlp_2_0 value of the STIX 2.1 TLP 2.0 marking-definition object.
 * Levels are ordered from least to most strict, so "raise" means a larger value.
 */
#ifndef RABTA_TLP_H
#define RABTA_TLP_H

#include <stdbool.h>

#include "base/record.h"

enum rb_tlp { TLP_CLEAR = 0, TLP_GREEN, TLP_AMBER, TLP_AMBER_STRICT, TLP_RED, TLP__COUNT };

struct tlp_info {
    enum rb_tlp level;
    const char *name;       /* "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED" */
    const char *stix_id;    /* TLP 2.0 marking-definition id */
    const char *stix1_id;   /* TLP 1.0 marking-definition id, or NULL (AMBER+STRICT has none) */
    const char *csaf_label; /* CSAF 2.0 distribution.tlp.label */
    const char *misp_tag;   /* "tlp:clear", ... */
    const char *stix_name;  /* the TLP 2.0 marking-definition's name: "TLP:AMBER+STRICT" */
    const char *tlp2_value; /* its extension's tlp_2_0 property: "amber+strict" */
};

/* The TLP 2.0 marking-definition objects as the TLP 2.0 extension publishes them
 * (oasis-open/cti-stix-common-objects, extension-definition-specifications/tlp-2.0): every one
 * has this `created` and carries this extension with extension_type "property-extension". */
#define TLP_STIX2_EXTENSION "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
#define TLP_STIX2_CREATED "2022-10-01T00:00:00.000Z"

/* The row for a level; never NULL for a valid level. */
const struct tlp_info *tlp_info(enum rb_tlp level);
/* The rabta name of a level. */
const char *tlp_name(enum rb_tlp level);
/* Parses a rabta name ("AMBER+STRICT"; case-insensitive; "WHITE" reads as CLEAR).
 * Returns 0 or RB_EINVAL. */
int tlp_parse(const char *s, enum rb_tlp *out);
/* Maps a STIX marking-definition id (TLP 2.0 or 1.0) to a level. Returns 0 or RB_ENOTFOUND. */
int tlp_from_stix_id(const char *id, enum rb_tlp *out);
/* The NULL-terminated list of names, in level order, for validating input. */
extern const char *const tlp_names[];
/* The member type of an enum rb_tlp stored by its name (base/record.h); others read as RED. */
extern const struct rb_mtype tlp_mtype;

#endif
