/*
 * csaf.h - rabta's own CSAF 2.0 validator: the JSON schema's rules, the mandatory tests (6.1)
 * and the optional tests (6.2) of the OASIS CSAF 2.0 specification.
 *
 * csaf_validate() checks one parsed document and fills a report with every problem it finds,
 * each naming
 *   - the test: "schema" for a rule of csaf_json_schema.json (required members, types, enums,
 *     patterns, formats date-time and uri, minItems, uniqueItems, minLength, min/maxProperties),
 *     "6.1.1" ... "6.1.33" (with "6.1.27.1" ... "6.1.27.11", the profile tests, run for the
 *     document categories they name) for the mandatory tests, "6.2.1" ... "6.2.20" for the
 *     optional ones. A CVSS object that breaks the FIRST CVSS JSON schema the CSAF schema
 *     refers to is test 6.1.8 ("Invalid CVSS"), as the specification files it;
 *   - the JSON path of the member at fault, in the style of rabta's other codecs (json/jdoc.h):
 *     "vulnerabilities[0].scores[1].cvss_v3.baseScore"; "" is the document itself;
 *   - a sentence saying what is wrong.
 * Mandatory tests and schema rules are errors: a document with one is not valid CSAF. Optional
 * tests run only with CSAF_OPTIONAL and are warnings (csaf_issue.warning): they never make a
 * document invalid. docs/csaf-validation.md lists the tests and what each implementation
 * decides where the specification leaves room (the CWE and language tables, for instance).
 *
 * The report keeps at most CSAF_MAX_ISSUES issues in document order within each test (tests in
 * the specification's order, the schema first) and counts the others in `dropped`; `errors` and
 * `warnings` count them all. The first error is what an import names in its refusal
 * (csaf_report_err).
 *
 * Ownership: the issues live in the arena given to csaf_validate; test ids are static strings.
 * The document is only read (the report points at none of it).
 *
 * Pure: no files, no database, no clock, no network; it depends on base/, json/ and
 * formats/cvss only. Safe to call from several threads at once (no shared mutable state). The
 * checks recurse as deep as the document nests: parse it with a nesting cap (rj_parse or
 * rjd_parse with CSAF_MAX_DEPTH, as csaf_validate_text does).
 */
#ifndef RABTA_CSAF_H
#define RABTA_CSAF_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/mem.h"
#include "json/json.h"

#define CSAF_PATH_MAX 192
#define CSAF_MSG_MAX 320
#define CSAF_MAX_ISSUES 200
/* The nesting a document may have (branches nest deeply in big product trees). */
#define CSAF_MAX_DEPTH 64

enum csaf_flags {
    CSAF_OPTIONAL = 1, /* also run the optional tests (6.2), as warnings */
};

struct csaf_issue {
    const char *test; /* "schema", "6.1.3", "6.2.20", or "json" for text that is not JSON */
    char path[CSAF_PATH_MAX];
    char message[CSAF_MSG_MAX];
    bool warning; /* an optional test: the document stays valid */
};

struct csaf_report {
    struct csaf_issue *issues; /* n of them, in the arena */
    size_t n;
    size_t errors, warnings; /* all found, kept or not */
    size_t dropped;          /* found past CSAF_MAX_ISSUES and not kept */
};

/* Validates doc (any JSON value; a non-object fails the schema) with flags (enum csaf_flags).
 * Fills *out (cleared first). Returns 0 when the checks ran, whatever they found (out->errors
 * says whether doc is valid), or RB_ENOMEM / RB_ETOOBIG when the arena gave out (out is then
 * incomplete). */
int csaf_validate(const cJSON *doc, unsigned flags, struct csaf_report *out, rb_arena *a);

/* Parses text[0..len) (valid UTF-8, nesting at most CSAF_MAX_DEPTH; rj_parse) and validates it.
 * Text that is not JSON gives one error of test "json" naming where parsing stopped. Returns as
 * csaf_validate. */
int csaf_validate_text(const char *text, size_t len, unsigned flags, struct csaf_report *out,
                       rb_arena *a);

/* True when the report holds no error (warnings allowed). */
bool csaf_report_valid(const struct csaf_report *r);
/* The first error kept, or NULL. */
const struct csaf_issue *csaf_first_error(const struct csaf_report *r);
/* When the report holds an error: fills ei with RB_EINVAL, field = the first error's path and
 * msg = "CSAF <test>: <message>" (plus how many more errors there are) and returns RB_EINVAL;
 * else returns 0 and leaves ei alone. For an import's refusal. */
int csaf_report_err(const struct csaf_report *r, rb_errinfo *ei);
/* Writes the report as one JSON object with the writer: {"valid": bool, "errors": n,
 * "warnings": n, "dropped": n, "issues": [{"test", "path", "message", "severity": "error" or
 * "warning"}]}. */
void csaf_report_write(const struct csaf_report *r, rj_writer *w);

/* One test this validator knows: for documentation and listings. */
struct csaf_test_info {
    const char *id;    /* "6.1.1" */
    const char *title; /* as the specification names it */
    bool mandatory;
    bool implemented; /* false: listed in docs/csaf-validation.md with the reason */
};
/* The tests, mandatory then optional, in the specification's order: csaf_test(i) for i below
 * csaf_test_count() (NULL past the end). */
size_t csaf_test_count(void);
const struct csaf_test_info *csaf_test(size_t i);

/* Whether s (NULL: no) is a CVE id as CSAF's schema says: CVE-YYYY-NNNN, four or more digits. */
bool csaf_is_cve_id(const char *s);

#endif
