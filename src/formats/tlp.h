/*
 * tlp.h - Traffic Light Protocol 2.0 levels and their names in every format rabta speaks.
 *
 * One table holds, for each level: the rabta name, the STIX 2.1 TLP 2.0 marking-definition id,
 * the TLP 1.0 STIX id read on import, the CSAF 2.0 label (TLP 1 vocabulary) and the MISP tag.
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
};

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
