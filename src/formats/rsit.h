/*
 * rsit.h - the ENISA Reference Security Incident Taxonomy (RSIT): incident classes and types.
 *
 * rabta carries the taxonomy as data of its own (rsit_data.c, generated once by
 * scripts/gen-rsit.py from the machine-readable taxonomy, CC0): 11 classes ("malicious-code"),
 * each with its types ("c2-server"), each with a label and a description shown to people who
 * classify an incident. Ids are the taxonomy's machine values; they are what the API and exports
 * carry (rsit_class, rsit_type). A pure table: no database.
 */
#ifndef RABTA_RSIT_H
#define RABTA_RSIT_H

struct rsit_type {
    const char *id;          /* "c2-server" */
    const char *label;       /* "C2 Server" */
    const char *description; /* what it means, for the report form */
};

struct rsit_class {
    const char *id, *label, *description;
    const struct rsit_type *types;
    int ntypes;
};

extern const struct rsit_class rsit_classes[];
extern const int rsit_nclasses;
extern const char rsit_version[];

/* The class with this id, or NULL. */
const struct rsit_class *rsit_class_find(const char *id);
/* The type with this id within class c, or NULL (c may be NULL). */
const struct rsit_type *rsit_type_find(const struct rsit_class *c, const char *id);

#endif
