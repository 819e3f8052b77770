/*
 * oscal.h - a codec for NIST OSCAL 1.x catalogs and profiles in JSON.
 *
 * oscal_catalog_parse() reads a catalog (groups, controls, control enhancements, parameters,
 * parts) into flat arrays in an arena, renders each control's statement, guidance and assessment
 * objectives as plain text with parameters resolved, and keeps a compact JSON copy of every group
 * and control so nothing the model adds later is lost. oscal_catalog_write() nests those copies
 * back into an OSCAL catalog. oscal_profile_parse() and oscal_profile_select() read a profile's
 * imports and apply one import to a parsed catalog.
 *
 * A pure codec: no database, no HTTP, no files; it depends only on base/ and json/. cJSON must
 * use rabta's allocator (rj_init()) before any call. Prose stays OSCAL markup (Markdown-like):
 * only "{{ insert: param, ID }}" is resolved.
 */
#ifndef RABTA_OSCAL_H
#define RABTA_OSCAL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/mem.h"

/* Documents larger than this are refused with RB_ETOOBIG before parsing. */
#define OSCAL_MAX_BYTES ((size_t)64 * 1024 * 1024)
/* JSON nesting allowed in a document (NIST SP 800-53 rev5 needs about 20). */
#define OSCAL_MAX_DEPTH 64
/* Each rendered text (statement, guidance, objectives, rendered prose) is capped at this. */
#define OSCAL_MAX_TEXT ((size_t)1024 * 1024)
/* A catalog holds at most this many controls (enhancements included) and groups, and all its
 * rendered texts together at most OSCAL_MAX_TOTAL_TEXT bytes: what an import stores, an
 * assessment over every control of it can always serve (docs/security.md, "Sizes"). NIST SP
 * 800-53 rev5 in full has 1,189 controls and about 3 MB of prose. */
#define OSCAL_MAX_CONTROLS 3000
#define OSCAL_MAX_GROUPS 500
#define OSCAL_MAX_TOTAL_TEXT ((size_t)12 * 1024 * 1024)

struct oscal_prop {
    const char *name, *value;
    const char *ns, *class_; /* NULL when absent */
};

struct oscal_param {
    const char *id;
    const char *label;   /* NULL when absent */
    const char **values; /* the "values" strings; nvalues may be 0 */
    int nvalues;
    bool has_select;        /* the param is a "select" (choose among choices) */
    const char *select_how; /* select.how-many ("one" or "one-or-more"), NULL when absent */
    const char **choices;   /* select.choice, raw OSCAL markup (may itself hold inserts) */
    int nchoices;
};

struct oscal_group {
    const char *id, *title;
    const char *class_;         /* NULL when absent */
    int parent;                 /* index into groups of the enclosing group, or -1 */
    int depth;                  /* 0 for a top-level group */
    struct oscal_param *params; /* the group's own params (inherited by its controls) */
    int nparams;
    const char *json; /* the group's OSCAL object WITHOUT its groups/controls, compact JSON */
};

struct oscal_control {
    const char *id, *title;
    const char *class_; /* NULL when absent */
    const char *label;  /* the "label" prop without a class ("AC-1"), else the first "label"
                         * prop, else NULL */
    int group;          /* index into groups of the nearest enclosing group, or -1 */
    int parent;         /* index into controls of the parent control (enhancements), or -1 */
    /* Plain text of the top-level "statement" part: its own prose, then each sub-part on its
     * own line as "<label> <prose>", indented two spaces per level below the first
     * ("a. ...\n  1. ...\n    (a) ..."). Parameters are resolved (oscal_render_prose). NULL when
     * the control has no statement part. */
    const char *statement;
    /* The same rendering of the top-level "guidance" part(s); several are separated by a blank
     * line. NULL when absent. */
    const char *guidance;
    /* The same rendering of the top-level "assessment-objective" parts (and "objective", the
     * rev4 name). NULL when absent. */
    const char *objectives;
    struct oscal_param *params;
    int nparams;
    struct oscal_prop *props;
    int nprops;
    const char *json; /* the control's OSCAL object WITHOUT nested controls, compact JSON */
};

struct oscal_catalog {
    const char *uuid;
    const char *title;            /* metadata.title */
    const char *version;          /* metadata.version, NULL when absent (as the next two) */
    const char *oscal_version;    /* metadata.oscal-version */
    const char *last_modified;    /* metadata.last-modified */
    const char *metadata_json;    /* the metadata object, compact JSON */
    const char *back_matter_json; /* the back-matter object, or NULL */
    const char *params_json;      /* the catalog-level params array, or NULL */
    struct oscal_param *params;   /* the catalog-level params, parsed */
    int nparams;
    struct oscal_group *groups; /* document order, a group before its subgroups */
    int ngroups;
    /* Depth-first document order: within a group its controls come before its subgroups, and
     * each control's enhancements come right after it. */
    struct oscal_control *controls;
    int ncontrols;
    int nenhancements; /* controls with parent >= 0 */
};

/*
 * Parses an OSCAL catalog JSON document text[0..len) into *out. Everything *out points to lives
 * in `a` (the text may be freed afterwards); nothing is freed on failure but *out is only written
 * on success.
 *
 * Required: catalog.uuid (a UUID), catalog.metadata.title, an id and a title on every group and
 * control (OSCAL itself allows groups without id; rabta needs them to address groups), and a
 * name on every part; ids are unique across groups and controls. Members are type-checked where
 * rabta reads them; unknown members are tolerated and kept in the JSON copies.
 *
 * Returns 0, or RB_EINVAL with ei->field the JSON path of the first problem
 * ("catalog.groups[3].controls[2].id", "" when the text is not JSON) and ei->msg saying what is
 * wrong; RB_ETOOBIG when the text passes OSCAL_MAX_BYTES, the arena's cap is reached or a
 * rendered text passes OSCAL_MAX_TEXT; RB_ENOMEM when memory runs out.
 */
int oscal_catalog_parse(const char *text, size_t len, rb_arena *a, struct oscal_catalog *out,
                        rb_errinfo *ei);

/*
 * Resolves every "{{ insert: param, ID }}" in prose. ID is looked up in params, then in more
 * (pass a control's params and then, say, its parent's or the catalog's). A param renders as:
 * its values joined with ", "; else for a select "[Selection: a; b]" or "[Selection (one or
 * more): a; b]" (choices resolved the same way, a few levels deep); else "[Assignment: <label>]";
 * else "[Assignment: ID]". Unknown ids render as "[Assignment: ID]"; other inserts and malformed
 * "{{" are copied as they are. Returns an arena string ("" for NULL prose), or NULL when the
 * arena is exhausted or the result would pass OSCAL_MAX_TEXT.
 */
const char *oscal_render_prose(rb_arena *a, const char *prose, const struct oscal_param *params,
                               int nparams, const struct oscal_param *more, int nmore);

/*
 * Writes c as an OSCAL catalog document {"catalog": {uuid, metadata, params?, groups?,
 * controls?, back-matter?}} (compact JSON) appended to out. Groups and controls come from their
 * json copies, nested by their parent/group indexes (controls of a group before its subgroups);
 * a NULL json copy is written as {id, class?, title}. Parsing the output gives the same groups
 * and controls (ids, titles, statements, params).
 *
 * Returns 0; RB_EINVAL when an index points forward or out of range or a json copy is not a
 * JSON object; RB_ETOOBIG when out's cap is reached; RB_ENOMEM.
 */
int oscal_catalog_write(const struct oscal_catalog *c, rb_buf *out);

/* One profile import. include_ids and exclude_ids hold the "with-ids" of all include-controls /
 * exclude-controls selectors in order; include_children[i] (exclude_children[i]) is true when
 * the selector listing id i said "with-child-controls": "yes". */
struct oscal_import {
    const char *href;
    bool include_all;
    const char **include_ids;
    bool *include_children;
    int ninclude;
    const char **exclude_ids;
    bool *exclude_children;
    int nexclude;
};

struct oscal_profile {
    const char *uuid;
    const char *title;   /* metadata.title */
    const char *version; /* metadata.version or NULL */
    struct oscal_import *imports;
    int nimports;
    const char *json; /* the whole profile object (merge, modify, back-matter...), compact JSON */
};

/*
 * Parses an OSCAL profile document into *out (arena-owned, as for catalogs). Required:
 * profile.uuid, profile.metadata.title, at least one import, and per import an href and exactly
 * one of "include-all" or "include-controls". Selectors by "matching" pattern are refused
 * (RB_EINVAL naming the "matching" member); list ids with "with-ids" instead. "merge" and
 * "modify" are kept in json only. Errors as for oscal_catalog_parse, with paths from "profile".
 */
int oscal_profile_parse(const char *text, size_t len, rb_arena *a, struct oscal_profile *out,
                        rb_errinfo *ei);

/*
 * Marks which controls of c the import selects: selected[0..c->ncontrols) is cleared, then
 * include-all sets every control, or each include id sets its control (and all its descendant
 * controls when with-child-controls was "yes"); then exclude ids clear theirs the same way.
 *
 * Returns the number of selected controls. When some listed ids are not in the catalog, ei gets
 * a warning (ei->code 0, ei->field "with-ids", ei->msg naming the first missing id) and the count
 * is still returned; when include ids were given and NONE is in the catalog, RB_ENOTFOUND with
 * the same message. RB_ENOMEM when memory runs out.
 */
int oscal_profile_select(const struct oscal_import *imp, const struct oscal_catalog *c,
                         bool *selected, rb_errinfo *ei);

#endif
