/*
 * oscal_int.h - what the files of the OSCAL codec share. Not for use outside src/formats/oscal*.c:
 * the public API, and what each function promises, is formats/oscal.h.
 *
 * The codec is one file per OSCAL model, around this header:
 *
 *   oscal.c           what every model shares: the field rule of each OSCAL member name, reading
 *                     the document root ({"catalog": {...}}, {"profile": {...}}) and its head
 *                     (uuid, metadata.title, metadata.version).
 *   oscal_catalog.c   catalogs: parse (groups, controls, params, props, links, parts), render
 *                     prose with parameters resolved, write back.
 *   oscal_profile.c   profiles: parse the imports, apply one import to a parsed catalog.
 *   oscal_resolve.c   profile resolution: a profile and what it imports become one catalog
 *                     (import, merge, modify, as the OSCAL profile-resolution specification says).
 *   oscal_results.c   assessment results: write (rabta exports them; it never reads them).
 *   oscal_plan.c      assessment plans: a campaign, written.
 *   oscal_poam.c      plans of action and milestones: an assessment's gaps and the org's plan
 *                     for them, written with the results' observations and findings.
 *
 * How a document is read. oscal__doc_init starts an rj_doc (json/jdoc.h) with the OSCAL field
 * rules; oscal__parse_root parses the text, finds the model's object, pushes its name on the path
 * and checks every string of the tree against the prose rule (and every member name against the
 * title rule), so even members rabta never reads carry nothing a field could not hold. Then each
 * model walks its object depth-first with the rj_doc getters: every refusal names the full JSON
 * path ("catalog.groups[3].controls[2].id"), and every string kept is an arena copy, so the
 * cJSON tree is freed before the parse function returns. Outputs are built in a local struct and
 * copied to the caller's only on success.
 *
 * Bounds. Recursion follows the document, whose nesting rj_parse capped at OSCAL_MAX_DEPTH
 * before cJSON saw it. Counts and indexes taken from input are checked before use; the catalog's
 * prose rendering charges every byte it scans to a budget (parameter selections may insert
 * selections), and the total of rendered text is capped (OSCAL_MAX_TOTAL_TEXT).
 *
 * Writing. Catalogs are written back from the JSON copies the parser kept, as a cJSON tree;
 * assessment results with the JSON writer (json/json.h). Output is never built with printf.
 */
#ifndef RABTA_OSCAL_INT_H
#define RABTA_OSCAL_INT_H

#include <cjson/cJSON.h>

#include "formats/oscal.h"
#include "json/jdoc.h"

/* Starts reading an OSCAL document: d gets the OSCAL field rules (one per member name; members
 * not listed are prose), the arena a and the errinfo ei (cleared). */
void oscal__doc_init(rj_doc *d, rb_arena *a, rb_errinfo *ei);

/* Parses text[0..len) into *root (the caller deletes it, also on failure) and sets *body to its
 * member `model` ("catalog", "profile"), which must be an object; pushes `model` on d's path and
 * checks every string and member name of the tree (rjd_check_tree). RB_ETOOBIG past
 * OSCAL_MAX_BYTES, RB_EINVAL otherwise ("not an OSCAL catalog: ..."). */
int oscal__parse_root(rj_doc *d, const char *text, size_t len, const char *model, cJSON **root,
                      cJSON **body);

/* Checks body, the object of model ("catalog", "profile"), against what OSCAL 1.1.2's schema
 * requires (oscal_schema.c): members, required members, uuids, tokens, date-times, URIs.
 * RB_EINVAL naming the path (d's path is at body). */
int oscal__check_schema(rj_doc *d, const cJSON *body, const char *model);

/* Reads the head every model has: body.uuid (required, a UUID) and body.metadata (required, an
 * object) with its title (required) and version (optional). The strings are arena copies. */
int oscal__parse_head(rj_doc *d, const cJSON *body, const char **uuid, const cJSON **meta,
                      const char **title, const char **version);

/* Makes meta's props hold exactly one TLP marking prop, marking ("TLP:AMBER"): the props named
 * "marking" of class "tlp" go, the new one comes first. Returns 0 or RB_ENOMEM. */
int oscal__mark_metadata(cJSON *meta, const char *marking);

/* Writes the tree root to out through the JSON writer (numbers in shortest round-trip form, text
 * always valid UTF-8). Returns rjw_finish's result: 0, RB_ETOOBIG past out's cap, RB_ENOMEM. */
int oscal__write_tree(const cJSON *root, rb_buf *out);

struct rj_writer;
/* Writes the "metadata" member of a document rabta makes (struct oscal_meta, formats/oscal.h). */
void oscal__write_meta(struct rj_writer *w, const struct oscal_meta *m);
/* Writes one prop {name, ns?, value, class?} (ns and class_ may be NULL). */
void oscal__write_prop(struct rj_writer *w, const char *name, const char *ns, const char *value,
                       const char *class_);

/* Opens a document rabta writes into out: {"<model>": {"uuid": uuid, "metadata": m, and the
 * document it rests on as <import_key> ("import-ssp", "import-ap"): {href, remarks?} (remarks
 * may be NULL). The model's own members follow, then oscal__end closes both objects and returns
 * rjw_finish's result. */
void oscal__begin(struct rj_writer *w, rb_buf *out, const char *model, const char *uuid,
                  const struct oscal_meta *m, const char *import_key, const char *href,
                  const char *remarks);
int oscal__end(struct rj_writer *w);
/* Opens a task of type milestone due on date: uuid, title, description, timing.on-date; the
 * caller adds what else it has and closes the object. */
void oscal__open_milestone(struct rj_writer *w, const char *uuid, const char *title,
                           const char *description, const char *date);
/* A one-item array member of {<key>: uuid}: the related-* members. */
void oscal__write_related(struct rj_writer *w, const char *member, const char *key,
                          const char *uuid);

/* What the assessment results and the POA&M share (oscal_results.c). The metadata of a document
 * about r: m gets title, last_modified (NULL: r's updated_at), r's status as version, its
 * marking, and as parties (filled in) the assessed org and, when r has one, its reviewing CERT. */
void oscal__results_meta(const struct oscal_results *r, const char *title,
                         const char *last_modified, struct oscal_party parties[2],
                         struct oscal_meta *m);
/* An "origins" member: one actor, the party uuid playing role. */
void oscal__write_origin(struct rj_writer *w, const char *party, const char *role);
/* One control's observation (its answer) and finding (its state), as the results write them. */
void oscal__write_observation(struct rj_writer *w, const struct oscal_results *r,
                              const struct oscal_result_item *it);
void oscal__write_finding(struct rj_writer *w, const struct oscal_results *r,
                          const struct oscal_result_item *it);

/* Adds to *ng and *nc the group and control objects below node (a catalog or a group when
 * is_group, else a control: its enhancements), to size arrays once (oscal_catalog.c). */
void oscal__count_tree(const cJSON *node, bool is_group, long *ng, long *nc);

/* A hash of an id (FNV-1a), for the tables of ids the models keep. */
size_t oscal__id_hash(const char *s);

#endif
