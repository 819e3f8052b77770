/*
 * advisory_doc.h - the CSAF documents of core/advisory: reading an imported one, building an
 * authored one, and serving either with the stored TLP. Internal to the advisory module (its
 * other users are the advisory's body reader and the CLI import).
 *
 * Reading (advisory_doc_read) parses the document, runs the CSAF 2.0 validator (formats/csaf:
 * the schema's rules and the mandatory tests; a failure names the test id and the JSON path) and
 * takes what rabta keeps beside it: tracking id, version and dates, title, category, the
 * publisher's namespace, the TLP label, the CVE ids, the product names (for search) and rabta's
 * severity (the highest CVSS base score's rating; else the document's aggregate severity; else
 * medium).
 *
 * Authoring (advisory_doc_author) checks what an author gave (advisory_input_check), keeps it as
 * JSON (advisories.input: a revision that leaves a member out keeps the previous one) and builds
 * the document with formats/csaf_author: the tracking id (<ORG>-<YEAR>-<NNNN>), the revision
 * history from the stored revisions plus this one, the CVSS base scores of the vectors.
 */
#ifndef RABTA_ADVISORY_DOC_H
#define RABTA_ADVISORY_DOC_H

#include "core/advisory.h"
#include "json/json.h"

struct advisory_doc {
    const char *doc;   /* the document as stored (JSON text) */
    const char *input; /* authored: what the author wrote, as JSON; NULL for an import */
    const char *title, *category, *tracking_id, *namespace_url, *publisher_name, *version;
    const char *initial_release, *current_release, *summary;
    const char *cves;     /* space-separated */
    const char *products; /* product names, "; "-separated, for search */
    double max_score;     /* -1: no CVSS score */
    int severity;         /* enum adv_severity derived from the document */
    enum rb_tlp tlp;      /* the document's own label (AMBER when it has none) */
};

/* Parses and validates a CSAF 2.0 document. RB_EINVAL naming the failed test and path in ei
 * ("6.1.3 at /product_tree/...: ..."), RB_ETOOBIG past ADVISORY_DOC_MAX. */
int advisory_doc_read(const char *json, size_t len, rb_arena *a, struct advisory_doc *out,
                      rb_errinfo *ei);

/* Writes doc[0..len) with distribution.tlp.label (and text) set to tlp into out. */
int advisory_doc_serve(const char *doc, size_t len, enum rb_tlp tlp, rb_arena *a, rb_buf *out);

/* Reads an author's body (POST /advisories, PATCH /advisories/{id}) into in (pure: its strings
 * point into b). Refusals name the member ("products[2].vendor"). */
int advisory_input_read(const cJSON *b, rb_arena *a, struct advisory_input *in, rb_errinfo *ei);
/* The members advisory_input_read takes, NULL-terminated. */
extern const char *const advisory_input_members[];

/* Checks what advisory_input_read cannot see alone: a new advisory needs a title, products and
 * vulnerabilities; CVE ids, CVSS vectors, CWE ids, URLs. */
int advisory_input_check(const struct advisory_input *in, bool create, rb_errinfo *ei);
/* Does in change the document (and not only severity or TLP)? */
bool advisory_input_has_content(const struct advisory_input *in);

/* Inside w: the document of revision rev (1 for a new one) of the authored advisory id from in
 * (merged over the stored input when rev > 1), with TLP tlp. */
int advisory_doc_author(rb_write *w, const char *id, int rev, const struct advisory_input *in,
                        enum rb_tlp tlp, rb_arena *a, struct advisory_doc *out, rb_errinfo *ei);

/* Runs the CSAF 2.0 validator (formats/csaf) on a parsed document: RB_EINVAL with the first
 * failed test's id, path and message in ei. */
int advisory_doc_validate(const cJSON *root, rb_errinfo *ei);
/* The CVSS v3.x base score and its rating ("HIGH") of a vector (formats/cvss). RB_EINVAL for
 * what is not a v3.0 or v3.1 vector. */
int advisory_cvss_base(const char *vector, double *score, const char **severity);

/* Inside w: marks the records of orgs whose inventory matches a product of the advisory as
 * likely affected, with what matched. */
int advisory_match_records(rb_write *w, const char *id);

#endif
