/*
 * csaf_author.h - the CSAF 2.0 document of an advisory written in rabta.
 *
 * An author gives a title, a summary, the products (vendor, product, a version or a version
 * range, optionally a CPE 2.3 name or a PURL), the vulnerabilities (CVE, title, description,
 * a CVSS v3.1 vector with its computed score, CWE), remediations and references. csaf_author_write
 * turns that into a csaf_security_advisory that passes the mandatory tests (formats/csaf):
 *   - product_tree: one branch per vendor, then per product, then a product_version or
 *     product_version_range leaf holding the product (ids CSAFPID-0001 ... in input order), with
 *     product_identification_helper when a CPE or PURL is given;
 *   - every vulnerability lists every product as known_affected, and the remediations and scores
 *     name them all (an authored advisory has one set of affected products);
 *   - document.notes holds the summary (category "summary"), every vulnerability a description
 *     note (its description, else its title), as 6.1.27.x ask of a security advisory;
 *   - tracking: integer versions, one revision_history entry per revision, status "final";
 *   - distribution.tlp.label is the CSAF 2.0 (TLP 1) label of formats/tlp; AMBER+STRICT leaves as
 *     AMBER with the restriction in distribution.text (DESIGN §5).
 *
 * Pure: it writes with the JSON writer; no database, no clock (times are given).
 */
#ifndef RABTA_CSAF_AUTHOR_H
#define RABTA_CSAF_AUTHOR_H

#include "formats/tlp.h"
#include "json/json.h"

struct csaf_product_in {
    const char *vendor, *product, *version, *version_range, *cpe, *purl;
};
struct csaf_vuln_in {
    const char *cve, *title, *description, *cvss_vector, *cwe_id, *cwe_name;
    double base_score;         /* with cvss_vector: its computed base score */
    const char *base_severity; /* "CRITICAL", ... with cvss_vector */
};
struct csaf_remediation_in {
    const char *category, *details, *url;
};
struct csaf_reference_in {
    const char *url, *summary;
};
struct csaf_revision_in {
    const char *number, *date, *summary;
};

struct csaf_author {
    const char *title, *summary, *lang;         /* lang may be NULL: "en" */
    const char *publisher_name, *namespace_url; /* the owner org and the deployment's namespace */
    const char *tracking_id, *version;          /* the current revision's number */
    const char *initial_release, *current_release;
    const struct csaf_revision_in *revisions; /* oldest first, the last is the current one */
    int nrevisions;
    enum rb_tlp tlp;
    const char *severity_text; /* aggregate_severity.text, or NULL */
    const char *engine_version;
    const struct csaf_product_in *products;
    int nproducts;
    const struct csaf_vuln_in *vulns;
    int nvulns;
    const struct csaf_remediation_in *remediations;
    int nremediations;
    const struct csaf_reference_in *references;
    int nreferences;
};

/* The CSAF remediation categories, NULL-terminated (for input checks). */
extern const char *const csaf_remediation_categories[];

/* Writes the document as one JSON value. */
void csaf_author_write(rj_writer *w, const struct csaf_author *doc);

/* The file name of a document in a directory distribution (CSAF 2.0 §5.1): the tracking id in
 * lower case, every run of characters other than [+-a-z0-9] one "_", then ".json". */
void csaf_file_name(const char *tracking_id, char *out, size_t size);

/* The text of distribution.text for a level that needs one (AMBER+STRICT), else NULL. */
const char *csaf_tlp_text(enum rb_tlp tlp);

#endif
