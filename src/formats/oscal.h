/*
 * oscal.h - a codec for NIST OSCAL 1.x catalogs and profiles in JSON.
 *
 * oscal_catalog_parse() reads a catalog (groups, controls, control enhancements, parameters,
 * parts) into flat arrays in an arena, renders each control's statement, guidance and assessment
 * objectives as plain text with parameters resolved, and keeps a compact JSON copy of every group
 * and control so nothing the model adds later is lost. oscal_catalog_write() nests those copies
 * back into an OSCAL catalog. oscal_profile_parse() and oscal_profile_select() read a profile's
 * imports and apply one import to a parsed catalog. oscal_results_write() writes a self-assessment
 * as OSCAL assessment results.
 *
 * A pure codec: no database, no HTTP, no files; it depends only on base/ and json/. cJSON must
 * use rabta's allocator (rj_init()) before any call. Prose stays OSCAL markup (Markdown-like):
 * only "{{ insert: param, ID }}" is resolved.
 */
#ifndef RABTA_OSCAL_H
#define RABTA_OSCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/mem.h"

struct cJSON;

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
    const char *title;         /* metadata.title */
    const char *version;       /* metadata.version, NULL when absent (as the next two) */
    const char *oscal_version; /* metadata.oscal-version */
    const char *last_modified; /* metadata.last-modified */
    /* The TLP level (enum rb_tlp) the document's metadata marks it with (oscal_marking_read),
     * -1 when it has none. Parse only. */
    int tlp;
    /* Write only: the TLP marking the written metadata carries instead of any it had
     * ("TLP:GREEN"); NULL writes the metadata as kept. */
    const char *marking;
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
 * controls?, back-matter?}} (compact JSON, through the JSON writer: numbers in shortest
 * round-trip form, 0.1234567890123456 as written) appended to out. Groups and controls come from
 * their json copies, nested by their parent/group indexes (controls of a group before its
 * subgroups); a NULL json copy is written as {id, class?, title}. Parsing the output gives the same
 * groups and controls (ids, titles, statements, params).
 *
 * Returns 0; RB_EINVAL when an index points forward or out of range or a json copy is not a
 * JSON object; RB_ETOOBIG when out's cap is reached; RB_EINTERNAL when it nests deeper than
 * RJW_MAX_DEPTH; RB_ENOMEM.
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
 * controls when with-child-controls was "yes"), and every ancestor control of a control set is
 * set too (OSCAL profile resolution: "inclusion of a control also causes any of that control's
 * ancestors to also be included"); then exclude ids clear theirs the same way (exclusion wins,
 * also over ancestors). Reads only c->ncontrols and each control's id and parent.
 *
 * Returns the number of selected controls. When some listed ids are not in the catalog, ei gets
 * a warning (ei->code 0, ei->field "with-ids", ei->msg naming the first missing id) and the count
 * is still returned; when include ids were given and NONE is in the catalog, RB_ENOTFOUND with
 * the same message. RB_ENOMEM when memory runs out.
 */
int oscal_profile_select(const struct oscal_import *imp, const struct oscal_catalog *c,
                         bool *selected, rb_errinfo *ei);

/* ---- profile resolution ---- */

/* How deep profiles may import profiles: the profile resolved imports at depth 0, a profile it
 * imports at depth 1, ... Deeper chains are refused (RB_ETOOBIG). */
#define OSCAL_MAX_IMPORT_DEPTH 8
/* Documents one resolution may fetch, imports of imports included (RB_ETOOBIG past it). */
#define OSCAL_MAX_FETCHES 256
/* The resolved catalog of oscal_profile_resolve is written into a buffer of at most this. */
#define OSCAL_MAX_RESOLVED OSCAL_MAX_BYTES

/* A document an import names, as the caller's fetch found it. */
struct oscal_source {
    const char *text; /* an OSCAL catalog or profile (JSON); lives until the resolution returns */
    size_t len;
    const char *name; /* how messages and the import chain name it ("catalog 5c1...") */
    /* When text is the resolved catalog of a profile (a cache, as the specification allows),
     * that profile's uuid, so an import cycle through it is still found; NULL otherwise. */
    const char *profile_uuid;
};

/*
 * Finds the document href names, for an import made at `depth`. Returns 0 with *src filled;
 * RB_ENOTFOUND when href names nothing the caller has (ei->field and ei->msg say what and what
 * to do; the resolver puts the import's href in front); any other negative code ends the
 * resolution with the caller's ei.
 */
typedef int (*oscal_fetch_fn)(void *ctx, const char *href, int depth, struct oscal_source *src,
                              rb_errinfo *ei);

struct oscal_resolve_opts {
    oscal_fetch_fn fetch;
    void *ctx;
    const char *name;        /* the profile's name in messages ("the tailored baseline") */
    const char *uuid;        /* catalog.uuid of the result (the caller makes it) */
    const char *now;         /* metadata.last-modified of the result (RFC 3339) */
    const char *tool;        /* the "resolution-tool" prop of the result */
    const char *source_href; /* the "source-profile" link: where the profile can be read */
};

/*
 * Resolves the OSCAL profile text[0..len) into an OSCAL catalog, as the OSCAL 1.1.2
 * profile-resolution specification says, and appends it (compact JSON) to out:
 *
 *   import  each import's href, "#uuid" naming a resource of the profile's back-matter whose
 *           rlinks are tried in order (an href the back-matter does not hold goes to the fetch as
 *           it is); a profile imported is resolved first (imports of imports, an import cycle
 *           refused naming the chain "a -> b -> a"); selection as oscal_profile_select says
 *           (ancestors come along, exclusion wins);
 *   merge   combine "keep" (the default: a control selected twice is refused, naming it, since
 *           the catalog would hold its id twice) or "use-first" ("merge", deprecated, and custom
 *           structuring are refused); structure "flat" (the default: every control directly
 *           under the catalog, no groups) or "as-is" (groups holding a selected control, with
 *           all their other members, nested as in the source; a control whose parent is not
 *           selected moves up to where the parent was; groups of the same id merge);
 *   modify  set-parameters (class, depends-on, label, usage, values and select replaced; props,
 *           links, constraints and guidelines added), then alters: removes (by-id, by-name,
 *           by-class, by-ns, by-item-name: an object inside the control goes when it matches all
 *           criteria given) and adds (no by-id, or the control's own id: the control's arrays,
 *           "starting" at their start, else at their end; by-id a param, part or child control
 *           in it: "starting"/"ending" inside it, "before"/"after" beside it; title replaced);
 *   finish  loose params of the imported catalogs, back-matter resources of the imports then of
 *           the profile (a later uuid replaces an earlier one, unless only the earlier one has a
 *           prop keep=always), metadata from the profile's with last-modified o->now, the highest
 *           oscal-version met (at most 1.1.2), props "resolution-tool" and "source-profile-uuid"
 *           and a link rel "source-profile" to o->source_href; members in the models' order.
 *
 * The result is not pruned of unused params or resources (the specification's SHOULD).
 * Returns 0; ei then carries the first warning, if any (ei->code 0: a set-parameter or alter
 * naming nothing, an inoperative add, listed ids that are not controls). Errors: RB_EINVAL with
 * ei->field the JSON path ("profile.modify.alters[2].adds[0].position") and ei->msg what is
 * wrong; RB_ENOTFOUND when an import cannot be fetched ("cannot resolve the import ..."); the
 * fetch's own errors; RB_ETOOBIG (imports nested too deep, more than OSCAL_MAX_FETCHES
 * documents fetched, out's cap, documents too big);
 * RB_ENOMEM. out then holds a partial document.
 */
int oscal_profile_resolve(const char *text, size_t len, const struct oscal_resolve_opts *o,
                          rb_buf *out, rb_errinfo *ei);

/* ---- what the documents rabta writes share ---- */

/* The namespace UUID (made once, at random) of the name-based uuids rabta derives from its own
 * ids for the parts of the OSCAL documents it writes (rb_uuid_v5): exporting the same object
 * again names its parts alike. */
#define OSCAL_UUID_NS "d963b3c2-6767-4b83-a175-0260b0c6984b"

/* OSCAL's own metadata prop for a sensitivity marking (name "marking", no ns: OSCAL's
 * namespace), with class "tlp" naming the marking system and the value FIRST's TLP 2.0 label
 * ("TLP:AMBER+STRICT", formats/tlp.h: stix_name). Every document rabta exports carries one; a
 * catalog import reads it (oscal_catalog.tlp). */
#define OSCAL_MARKING_NAME "marking"
#define OSCAL_MARKING_CLASS "tlp"

/* The marking value of a TLP level stored by its rabta name ("AMBER" -> "TLP:AMBER"); a name
 * that is no level reads as TLP:RED, the strictest. */
const char *oscal_marking(const char *tlp_name);

/* An org named by a document: a party (type organization) whose uuid is the org's id, and the
 * role it plays there. */
struct oscal_party {
    const char *uuid; /* the org's id (a version 4 UUID) */
    const char *name;
    const char *role_id; /* one of oscal_roles (below), or NULL: no responsible-party */
};

/* The roles rabta's documents give their parties ({id, title} pairs, NULL-terminated):
 * "assessed-organization" (answers the self-assessment), "reviewing-cert" (its parent CERT,
 * which accepts or returns each control), "launching-cert" (launched the campaign). */
extern const char *const oscal_roles[][2];

/* The metadata of a document rabta writes: title, last-modified, version, oscal-version 1.1.2,
 * the marking prop, the roles its parties play, the parties and their responsible-parties. */
struct oscal_meta {
    const char *title, *last_modified, *version;
    const char *marking; /* "TLP:AMBER"; NULL: no marking prop */
    const struct oscal_party *parties;
    int nparties;
};

/*
 * Rewrites the metadata of the OSCAL document text[0..len) (a catalog, profile or any model:
 * the root's only member) so that it carries exactly one TLP marking, `marking`
 * ("TLP:GREEN"): props named "marking" with class "tlp" are replaced, other props kept. The
 * document is appended to out (compact JSON, through the writer). For documents stored as they
 * were imported (profiles, resolved catalogs), whose TLP is rabta's and may have changed since.
 * Returns 0; RB_EINVAL when text is not an OSCAL document with a metadata object; RB_ETOOBIG at
 * out's cap or past OSCAL_MAX_BYTES; RB_ENOMEM.
 */
int oscal_mark(const char *text, size_t len, const char *marking, rb_buf *out);

/*
 * Reads a TLP marking from a metadata.props array (as a catalog import does): the first prop
 * named "marking" whose class is "tlp", or (any class) whose value starts with "TLP:"; its
 * value "TLP:AMBER+STRICT" (or "AMBER", case-insensitive, "WHITE" read as CLEAR) gives *level.
 * Returns 1 when one was found, 0 when none, RB_EINVAL (ei->field "props[i].value") when a TLP
 * marking names no TLP level.
 */
int oscal_marking_read(const struct cJSON *props, int *level, rb_errinfo *ei);

/* ---- assessment results ---- */

/* One evidence file of a control: a relevant-evidence entry of its observation. */
struct oscal_evidence {
    const char *href;     /* where a reader downloads the file (the caller's URL) */
    const char *filename; /* the next three make the entry's description */
    int64_t size;         /* bytes */
    const char *sha256;   /* hex */
};

/* One control of an assessment: an observation (the answer) and a finding (its state). */
struct oscal_result_item {
    const char *control_id;
    const char *label;       /* "AC-1" titles the observation; NULL: the control id does */
    const char *title;       /* the finding's title */
    const char *statement;   /* the finding's description; NULL: the title is */
    const char *status;      /* the answer ("implemented", "not_applicable", ...); NULL: none yet:
                              * no finding, and no observation unless it has files */
    int maturity;            /* of 5 */
    const char *evidence;    /* the answer's evidence note, or NULL */
    const char *answered_at; /* when the answer was saved (the observation's "collected");
                              * NULL: the result's start */
    const char *review;      /* the reviewer's decision ("accepted", "returned") or NULL */
    const char *review_comment;         /* said with it, or NULL */
    const struct oscal_evidence *files; /* nfiles entries, in order */
    int nfiles;
    const char *observation_uuid, *finding_uuid; /* made by the caller (stable: rb_uuid_v5) */
};

/* A self-assessment, as oscal_results_write reads it. Every string is the caller's. */
struct oscal_results {
    const char *uuid;           /* the document's uuid: the assessment's id */
    const char *campaign_title; /* with org_name, the title "<campaign>: <org>" and the */
    const char *org_name;       /* result's description */
    const char *org_uuid;       /* the assessed org's id: its party and every observation's
                                 * subject */
    const char *reviewer_uuid;  /* the reviewing CERT's id and name (a party), NULL when none */
    const char *reviewer_name;
    const char *status;        /* the assessment's status; also metadata.version */
    double score;              /* the preparedness score (a prop), < 0 when not scored */
    const char *last_modified; /* metadata.last-modified: the latest change of the assessment */
    const char *updated_at;    /* the result's start when never submitted */
    const char *submitted_at;  /* the result's start, or NULL */
    const char *reviewed_at;   /* the result's end, or NULL */
    const char *plan_href;     /* import-ap.href: the campaign's assessment plan */
    const char *result_uuid;   /* the one result's uuid, made by the caller */
    const char *ns;            /* the "ns" of rabta's props: the deployment's namespace */
    const char *marking;       /* the metadata's TLP marking ("TLP:AMBER+STRICT") */
    const struct oscal_result_item *items; /* one per control, in order */
    int nitems;
};

/*
 * Appends r as an OSCAL 1.1.2 assessment-results document (compact JSON) to out: metadata (the
 * TLP marking, the assessed org and its reviewing CERT as parties with their roles), import-ap,
 * and one result holding the reviewed controls (every control of the assessment); then for each
 * ANSWERED control (or one with evidence files) an observation (status and maturity as props in
 * r->ns besides the prose, evidence note and files, the assessed org as subject and origin), and
 * for each answered control a finding targeting "<id>_smt": "satisfied" when the status is
 * implemented or not_applicable (with reason "not-applicable"), else "not-satisfied", with the
 * implementation-status OSCAL names for it and the review decision as a prop (its comment as
 * remarks, the reviewing CERT as origin). A control not answered has no finding (nothing was
 * found). Pure: the uuids are r's, so the same r always gives the same bytes. Texts made of
 * several fields are cut on a character boundary: the title at 399 bytes, an observation's at
 * 199, the result's description at 599, an observation's at 4,199, a file's at 399. A NULL among
 * the strings not marked optional is written as JSON null, or as "" inside a text.
 *
 * Returns 0; RB_ETOOBIG when out's cap is reached; RB_ENOMEM. out then holds a partial document.
 */
int oscal_results_write(const struct oscal_results *r, rb_buf *out);

/* ---- assessment plan ---- */

/* A campaign, as oscal_plan_write reads it. Every string is the caller's. */
struct oscal_plan {
    const char *uuid;          /* the document's uuid: the campaign's id */
    const char *title;         /* the campaign's title */
    const char *status;        /* "open", "closed": metadata.version */
    const char *last_modified; /* metadata.last-modified */
    const char *marking;       /* the TLP marking ("TLP:AMBER") */
    const char *ns;            /* the "ns" of rabta's props */
    const char *profile_id, *profile_title;
    const char *ssp_href; /* import-ssp.href: where the controls assessed are read */
    /* The launching CERT (role "launching-cert") and the orgs in scope (role
     * "assessed-organization"): parties, and the latter the assessment subjects. */
    const struct oscal_party *parties;
    int nparties;
    const char *const *control_ids; /* the profile's controls, in order */
    int ncontrols;
    const char *due;       /* the due date as a date-time (the end of the due day) */
    const char *task_uuid; /* the uuid of the task "self-assessments due" */
};

/*
 * Appends p as an OSCAL 1.1.2 assessment-plan document (compact JSON) to out: metadata (marking,
 * parties, roles), import-ssp (rabta keeps no system security plan: the href is the campaign's
 * profile, resolved, and the remarks say so), reviewed-controls (every control of the profile,
 * the profile named by a prop in p->ns), assessment-subjects (type party: the orgs in scope),
 * and one task, a milestone on the due date, for those subjects. Pure. Returns 0; RB_ETOOBIG
 * at out's cap; RB_ENOMEM.
 */
int oscal_plan_write(const struct oscal_plan *p, rb_buf *out);

/* ---- plan of action and milestones ---- */

/* What a self-assessment answer is as a gap: "partial" (partially implemented), "not-satisfied"
 * (planned, not implemented), or NULL (implemented, not applicable, not answered): no gap. */
const char *oscal_poam_gap(const char *answer_status);

/* The org's plan for one control of an assessment (each member NULL when not set), and the
 * uuids the caller made for what the POA&M writes about it. */
struct oscal_poam_item {
    const char *owner;    /* who owns the remediation: a person or a role (a prop) */
    const char *due_date; /* YYYY-MM-DD: the risk's deadline and a milestone, end of that day */
    const char *weakness; /* the weakness and what will be done: the item's description */
    const char *risk_uuid, *remediation_uuid, *task_uuid, *item_uuid;
};

/* An assessment's POA&M, as oscal_poam_write reads it. Every string is the caller's. */
struct oscal_poam {
    const char *uuid; /* the document's uuid (not the assessment's id: the results have it) */
    /* The assessment as its results are written (parties, ns, marking, items with their
     * observation and finding uuids); only its gaps are written here. */
    const struct oscal_results *assessment;
    const struct oscal_poam_item *items; /* assessment->nitems, parallel to its items */
    const char *last_modified;           /* the latest change of the assessment or of a plan */
    const char *ssp_href;                /* import-ssp.href: the profile, resolved */
};

/*
 * Appends p as an OSCAL 1.1.2 plan-of-action-and-milestones document (compact JSON) to out:
 * metadata as the results' (title "<campaign>: <org>, plan of action and milestones"), import-ssp
 * (rabta keeps no system security plan: the remarks say so), then for each control whose answer
 * is a gap (oscal_poam_gap) its observation and finding as the results write them (same uuids),
 * a risk (open, or remediating once any of the plan is set; the due date as its deadline; a
 * planned remediation with the weakness and a milestone task on the due date) and a poam-item
 * (props in the results' ns: control-id, gap-status, answer-status, owner; the weakness as its
 * description; related finding, observation and risk). Pure: the same p gives the same bytes.
 *
 * Returns 0; RB_EINVAL when no item is a gap (a POA&M holds at least one item); RB_ETOOBIG at
 * out's cap; RB_ENOMEM. out then holds a partial document.
 */
int oscal_poam_write(const struct oscal_poam *p, rb_buf *out);

#endif
