/*
 * test_csaf.c - src/formats/csaf: rabta's CSAF 2.0 validator.
 *
 * Two halves. The first runs everywhere: a small valid advisory written inline (with ' for ")
 * and one row per situation, each changing one member of it and saying which test must then
 * fail at which path (or that it stays valid); the report's cap, its JSON and its refusal.
 *
 * The second is judged by the OASIS corpus and real advisories under ../shared/data/csaf
 * (RABTA_SOURCE_DIR, or RABTA_DATA_DIR; skipped with a message when absent):
 *   - every mandatory test file of testcases.json: each failing (-0N) file has an error of its
 *     test, each valid (-1N) file has no error at all (147 files, all classified right);
 *   - the optional corpus the same way with warnings, printing the share classified right and
 *     failing if it drops below OPTIONAL_FLOOR;
 *   - every file of examples/, cisa/OT/white/2023 (380) and cisa/IT/white: no error.
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/mem.h"
#include "formats/csaf.h"
#include "json/json.h"

#include <sys/stat.h>

#include "test_util.h"

#ifndef RABTA_SOURCE_DIR
#define RABTA_SOURCE_DIR "."
#endif

#define ARENA_CAP ((size_t)256 << 20)
/* The optional corpus files classified right (of 51); the test fails below it. */
#define OPTIONAL_FLOOR 51

/* ---- the inline advisory ---- */

/* Keys sorted, every product used, a TLP label, a canonical URL: valid, and no warning either. */
static const char base_doc[] =
    "{'document':{'category':'csaf_security_advisory','csaf_version':'2.0',"
    " 'distribution':{'tlp':{'label':'WHITE'}},'lang':'en',"
    " 'notes':[{'category':'summary','text':'A test advisory.'}],"
    " 'publisher':{'category':'coordinator','name':'National CERT',"
    "  'namespace':'https://cert.example.gov'},"
    " 'references':[{'category':'self','summary':'This advisory.',"
    "  'url':'https://cert.example.gov/csaf/2024/ncert-2024-0001.json'}],"
    " 'title':'Test advisory',"
    " 'tracking':{'current_release_date':'2024-01-02T00:00:00Z','id':'NCERT-2024-0001',"
    "  'initial_release_date':'2024-01-01T00:00:00Z',"
    "  'revision_history':[{'date':'2024-01-01T00:00:00Z','number':'1','summary':'First.'}],"
    "  'status':'final','version':'1'}},"
    "'product_tree':{"
    " 'full_product_names':["
    "  {'name':'Product A 1.0','product_id':'CSAFPID-1','product_identification_helper':"
    "   {'cpe':'cpe:2.3:a:example:product_a:1.0:*:*:*:*:*:*:*'}},"
    "  {'name':'Product B 2.0','product_id':'CSAFPID-2','product_identification_helper':"
    "   {'purl':'pkg:npm/%40example/product-b@2.0.0'}}],"
    " 'product_groups':[{'group_id':'CSAFGID-1','product_ids':['CSAFPID-1','CSAFPID-2']}]},"
    "'vulnerabilities':[{'cve':'CVE-2024-0001',"
    " 'cwe':{'id':'CWE-787','name':'Out-of-bounds Write'},"
    " 'notes':[{'category':'description','text':'A flaw.'}],"
    " 'product_status':{'fixed':['CSAFPID-2'],'known_affected':['CSAFPID-1']},"
    " 'remediations':[{'category':'vendor_fix','details':'Update.','product_ids':['CSAFPID-1']}],"
    " 'scores':[{'cvss_v3':{'attackVector':'NETWORK','baseScore':9.8,'baseSeverity':'CRITICAL',"
    "  'vectorString':'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H','version':'3.1'},"
    "  'products':['CSAFPID-1']}]}]}";

static cJSON *parse_dq(const char *t)
{
    char *s = tu_dq_dup(t);
    cJSON *j = cJSON_Parse(s);
    rb_free(s);
    assert_non_null(j);
    return j;
}

/* Sets (json not NULL) or deletes the member at path ("a.b[2].c") of doc. An index one past the
 * end of an array appends. */
static void patch(cJSON *doc, const char *path, const char *json)
{
    char buf[256];
    rb_strlcpy(buf, path, sizeof(buf));
    cJSON *cur = doc;
    char *p = buf;
    for (;;) {
        size_t n = strcspn(p, ".[");
        char key[128];
        int index = -1;
        if (n > 0) {
            assert_true(n < sizeof(key));
            memcpy(key, p, n);
            key[n] = '\0';
            p += n;
        } else {
            assert_int_equal(*p, '[');
            index = (int)strtol(p + 1, &p, 10);
            assert_int_equal(*p, ']');
            p++;
            key[0] = '\0';
        }
        bool last = *p == '\0';
        if (*p == '.')
            p++;
        if (last) {
            cJSON *value = json ? parse_dq(json) : NULL;
            if (index < 0) {
                cJSON_DeleteItemFromObjectCaseSensitive(cur, key);
                if (value)
                    cJSON_AddItemToObject(cur, key, value);
            } else if (index >= cJSON_GetArraySize(cur)) {
                if (value)
                    cJSON_AddItemToArray(cur, value);
            } else if (value) {
                cJSON_ReplaceItemInArray(cur, index, value);
            } else {
                cJSON_DeleteItemFromArray(cur, index);
            }
            return;
        }
        cJSON *next =
            index < 0 ? cJSON_GetObjectItemCaseSensitive(cur, key) : cJSON_GetArrayItem(cur, index);
        if (!next) {
            assert_true(index < 0);
            next = cJSON_AddObjectToObject(cur, key);
        }
        cur = next;
    }
}

static bool has_issue(const struct csaf_report *r, const char *test, const char *path)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->issues[i].test, test) == 0 && (!path || strcmp(r->issues[i].path, path) == 0))
            return true;
    return false;
}

static void print_report(const struct csaf_report *r)
{
    for (size_t i = 0; i < r->n; i++)
        print_message("    %s%s %s: %s\n", r->issues[i].test, r->issues[i].warning ? " (w)" : "",
                      r->issues[i].path, r->issues[i].message);
}

TU_TEST(test_base_doc_valid)
{
    cJSON *doc = parse_dq(base_doc);
    rb_arena a;
    rb_arena_init(&a, ARENA_CAP);
    struct csaf_report r;
    assert_int_equal(csaf_validate(doc, CSAF_OPTIONAL, &r, &a), 0);
    if (r.n)
        print_report(&r);
    assert_int_equal(r.errors, 0);
    assert_int_equal(r.warnings, 0);
    assert_true(csaf_report_valid(&r));
    assert_null(csaf_first_error(&r));
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    assert_int_equal(csaf_report_err(&r, &ei), 0);
    rb_arena_release(&a);
    cJSON_Delete(doc);
}

/* One change to the base advisory; up to three changes apply in order. */
struct change {
    const char *path;
    const char *json; /* NULL deletes */
};
struct case_row {
    struct change ch[3];
    const char *test; /* the test that must report; NULL: no error (and no warning of it) */
    const char *path; /* where (NULL: anywhere) */
    bool optional;    /* run with CSAF_OPTIONAL: the test is a warning */
};

#define VULN "vulnerabilities[0]."
#define CVSS3 VULN "scores[0].cvss_v3."
#define TRACK "document.tracking."
#define FPN0 "product_tree.full_product_names[0]."

static const struct case_row cases[] = {
    /* the schema */
    {{{"document.title", NULL}}, "schema", "document.title", false},
    {{{"document.csaf_version", "'2.1'"}}, "schema", "document.csaf_version", false},
    {{{TRACK "current_release_date", "'2024-02-30T00:00:00Z'"}},
     "schema",
     TRACK "current_release_date",
     false},
    {{{TRACK "current_release_date", "'2024-01-02'"}}, "schema", NULL, false},
    {{{"document.publisher.namespace", "'cert example'"}}, "schema", NULL, false},
    {{{"document.lang", "'en_US'"}}, "schema", "document.lang", false},
    {{{"document.category", "' csaf_base'"}}, "schema", "document.category", false},
    {{{TRACK "id", "'NCERT-1 '"}}, "schema", TRACK "id", false},
    {{{TRACK "version", "'01'"}}, "schema", TRACK "version", false},
    {{{VULN "cve", "'CVE-24-1'"}}, "schema", VULN "cve", false},
    {{{"product_tree.product_groups[0].product_ids", "['CSAFPID-1']"}},
     "schema",
     "product_tree.product_groups[0].product_ids",
     false},
    {{{VULN "product_status.known_affected", "['CSAFPID-1','CSAFPID-1']"}},
     "schema",
     VULN "product_status.known_affected[1]",
     false},
    {{{FPN0 "product_identification_helper.cpe", "'cpe:2.3:a:example'"}},
     "schema",
     FPN0 "product_identification_helper.cpe",
     false},
    {{{FPN0 "product_identification_helper.cpe", "'cpe:/a:example:product_a:1.0'"}},
     NULL,
     NULL,
     false},
    {{{"product_tree.branches", "[{'category':'vendor','name':'Example','product':{'name':'C',"
                                "'product_id':'CSAFPID-3'},'branches':[]}]"}},
     "schema",
     "product_tree.branches[0]",
     false},
    {{{"document.notes", "[]"}}, "schema", "document.notes", false},
    {{{"document", "1"}}, "schema", "document", false},
    /* 6.1.1 - 6.1.7 */
    {{{VULN "product_status.known_affected", "['CSAFPID-9']"}},
     "6.1.1",
     VULN "product_status.known_affected[0]",
     false},
    {{{VULN "flags", "[{'label':'component_not_present','product_ids':['CSAFPID-9']}]"}},
     "6.1.1",
     VULN "flags[0].product_ids[0]",
     false},
    {{{"product_tree.full_product_names[1].product_id", "'CSAFPID-1'"}},
     "6.1.2",
     "product_tree.full_product_names[1].product_id",
     false},
    {{{"product_tree.relationships",
       "[{'category':'installed_on','full_product_name':{'name':'A on C',"
       "'product_id':'CSAFPID-3'},'product_reference':'CSAFPID-1',"
       "'relates_to_product_reference':'CSAFPID-3'}]"}},
     "6.1.3",
     "product_tree.relationships[0].full_product_name.product_id",
     false},
    {{{VULN "remediations[0].group_ids", "['CSAFGID-9']"}},
     "6.1.4",
     VULN "remediations[0].group_ids[0]",
     false},
    {{{"product_tree.product_groups[1]", "{'group_id':'CSAFGID-1','product_ids':['CSAFPID-1',"
                                         "'CSAFPID-2']}"}},
     "6.1.5",
     "product_tree.product_groups[1].group_id",
     false},
    {{{VULN "product_status.known_not_affected", "['CSAFPID-1']"}},
     "6.1.6",
     VULN "product_status.known_not_affected[0]",
     false},
    {{{VULN "scores[1]", "{'cvss_v3':{'baseScore':9.8,'baseSeverity':'CRITICAL','vectorString':"
                         "'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H','version':'3.1'},"
                         "'products':['CSAFPID-1']}"}},
     "6.1.7",
     VULN "scores[1].products[0]",
     false},
    /* a v3.0 and a v3.1 score for one product are allowed */
    {{{VULN "scores[1]", "{'cvss_v3':{'baseScore':9.8,'baseSeverity':'CRITICAL','vectorString':"
                         "'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H','version':'3.0'},"
                         "'products':['CSAFPID-1']}"}},
     NULL,
     NULL,
     false},
    /* 6.1.8 - 6.1.10: CVSS */
    {{{CVSS3 "baseSeverity", NULL}}, "6.1.8", CVSS3 "baseSeverity", false},
    {{{CVSS3 "version", "'3.0'"}}, "6.1.8", CVSS3 "vectorString", false},
    {{{CVSS3 "baseScore", "11"}}, "6.1.8", CVSS3 "baseScore", false},
    {{{CVSS3 "attackVector", "'REMOTE'"}}, "6.1.8", CVSS3 "attackVector", false},
    {{{VULN "scores[0].cvss_v2", "{'baseScore':10.0,'vectorString':'AV:N/AC:L/Au:N/C:C/I:C/A:C'}"}},
     "6.1.8",
     VULN "scores[0].cvss_v2.version",
     false},
    {{{CVSS3 "baseScore", "9.1"}}, "6.1.9", CVSS3 "baseScore", false},
    {{{CVSS3 "baseSeverity", "'HIGH'"}}, "6.1.9", CVSS3 "baseSeverity", false},
    {{{CVSS3 "temporalScore", "9.8"},
      {CVSS3 "vectorString", "'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U'"}},
     "6.1.9",
     CVSS3 "temporalScore",
     false},
    {{{CVSS3 "vectorString", "'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H'"}},
     "6.1.9",
     CVSS3 "vectorString",
     false},
    {{{CVSS3 "attackVector", "'LOCAL'"}}, "6.1.10", CVSS3 "attackVector", false},
    {{{VULN "scores[0].cvss_v2", "{'accessVector':'LOCAL','baseScore':10.0,'version':'2.0',"
                                 "'vectorString':'AV:N/AC:L/Au:N/C:C/I:C/A:C'}"}},
     "6.1.10",
     VULN "scores[0].cvss_v2.accessVector",
     false},
    /* 6.1.11 - 6.1.13 */
    {{{VULN "cwe.name", "'Out-of-bounds Read'"}}, "6.1.11", VULN "cwe.name", false},
    {{{VULN "cwe", "{'id':'CWE-999999','name':'Not in rabta\\'s table'}"}}, NULL, NULL, false},
    {{{"document.lang", "'EZ'"}}, "6.1.12", "document.lang", false},
    {{{"document.lang", "'en-EZ'"}}, NULL, NULL, false},
    {{{"document.lang", "'en-UK'"}}, "6.1.12", "document.lang", false},
    {{{"document.lang", "'de-DE-1996'"}}, NULL, NULL, false},
    {{{"document.lang", "'zh-Hant-TW'"}}, NULL, NULL, false},
    {{{"document.lang", "'abcd'"}}, "6.1.12", "document.lang", false},
    {{{FPN0 "product_identification_helper", "{'purl':'pkg:maven/@1.3.4'}"}},
     "6.1.13",
     FPN0 "product_identification_helper.purl",
     false},
    {{{FPN0 "product_identification_helper",
       "{'purl':'pkg:rpm/redhat/openssl@1.1.1k-5.el8_5?arch=x86_64&distro=rhel-8'}"}},
     NULL,
     NULL,
     false},
    /* 6.1.14 - 6.1.22: the revision history */
    {{{TRACK "revision_history[1]", "{'date':'2023-12-31T00:00:00Z','number':'2','summary':'x'}"},
      {TRACK "version", "'2'"}},
     "6.1.14",
     TRACK "revision_history[0].number",
     false},
    {{{"document.publisher.category", "'translator'"}}, "6.1.15", "document.source_lang", false},
    {{{TRACK "version", "'2'"}}, "6.1.16", TRACK "version", false},
    {{{TRACK "revision_history[1]", "{'date':'2024-01-01T00:00:00Z','number':'2','summary':'x'}"},
      {TRACK "version", "'2'"}},
     NULL,
     NULL,
     false},
    {{{TRACK "version", "'1.0.0-rc.1'"},
      {TRACK "revision_history[0].number", "'1.0.0'"},
      {TRACK "status", "'draft'"}},
     NULL,
     NULL,
     false},
    {{{TRACK "version", "'0'"}, {TRACK "revision_history[0].number", "'0'"}},
     "6.1.17",
     TRACK "status",
     false},
    {{{TRACK "version", "'0'"}, {TRACK "revision_history[0].number", "'0'"}},
     "6.1.18",
     TRACK "revision_history[0].number",
     false},
    {{{TRACK "revision_history[0].number", "'1.0.0-rc'"}, {TRACK "version", "'1.0.0'"}},
     "6.1.19",
     TRACK "revision_history[0].number",
     false},
    {{{TRACK "status", "'interim'"},
      {TRACK "version", "'1.0.0-alpha'"},
      {TRACK "revision_history[0].number", "'1.0.0'"}},
     "6.1.20",
     TRACK "version",
     false},
    {{{TRACK "revision_history[1]", "{'date':'2024-01-02T00:00:00Z','number':'3','summary':'x'}"},
      {TRACK "version", "'3'"}},
     "6.1.21",
     TRACK "revision_history[1].number",
     false},
    {{{TRACK "revision_history[0].number", "'2'"}, {TRACK "version", "'2'"}},
     "6.1.21",
     TRACK "revision_history[0].number",
     false},
    {{{TRACK "revision_history[1]", "{'date':'2024-01-02T00:00:00Z','number':'1','summary':'x'}"}},
     "6.1.22",
     TRACK "revision_history[1].number",
     false},
    /* 6.1.23 - 6.1.26 */
    {{{"vulnerabilities[1]", "{'cve':'CVE-2024-0001','notes':[{'category':'description',"
                             "'text':'Again.'}],'product_status':{'known_affected':"
                             "['CSAFPID-1']},'remediations':[{'category':'vendor_fix',"
                             "'details':'x','product_ids':['CSAFPID-1']}]}"}},
     "6.1.23",
     "vulnerabilities[1].cve",
     false},
    {{{VULN "involvements", "[{'date':'2024-01-01T00:00:00Z','party':'vendor','status':'open'},"
                            "{'date':'2024-01-01T00:00:00.000Z','party':'vendor','status':"
                            "'completed'}]"}},
     "6.1.24",
     VULN "involvements[1]",
     false},
    {{{FPN0 "product_identification_helper",
       "{'hashes':[{'file_hashes':[{'algorithm':'sha256','value':'"
       "026a37919b182ef7c63791e82c9645e2f897a3f0b73c7a6028c7febf62e93838'},{'algorithm':"
       "'sha256','value':'0a853ce2337f0608489ac596a308dc5b7b19d35a52b10bf31261586ac368b175'}],"
       "'filename':'a.so'}]}"}},
     "6.1.25",
     FPN0 "product_identification_helper.hashes[0].file_hashes[1].algorithm",
     false},
    {{{"document.category", "'Security Advisory'"}}, "6.1.26", "document.category", false},
    {{{"document.category", "'csaf_Base'"}}, "6.1.26", "document.category", false},
    {{{"document.category", "'rabta_advisory'"}}, NULL, NULL, false},
    /* 6.1.27: the profiles */
    {{{"document.category", "'csaf_informational_advisory'"}},
     "6.1.27.3",
     "vulnerabilities",
     false},
    {{{"document.category", "'csaf_security_incident_response'"}},
     "6.1.27.2",
     "document.references",
     false},
    {{{"document.category", "'csaf_security_incident_response'"},
      {"document.notes[0].category", "'legal_disclaimer'"}},
     "6.1.27.1",
     "document.notes",
     false},
    {{{"product_tree", NULL}}, "6.1.27.4", "product_tree", false},
    {{{VULN "notes", NULL}}, "6.1.27.5", VULN "notes", false},
    {{{VULN "product_status", NULL}}, "6.1.27.6", VULN "product_status", false},
    {{{"vulnerabilities", NULL}}, "6.1.27.11", "vulnerabilities", false},
    {{{"document.category", "'csaf_vex'"},
      {VULN "product_status", "{'first_fixed':['CSAFPID-1']}"}},
     "6.1.27.7",
     VULN "product_status",
     false},
    {{{"document.category", "'csaf_vex'"}, {VULN "cve", NULL}},
     "6.1.27.8",
     "vulnerabilities[0]",
     false},
    {{{"document.category", "'csaf_vex'"},
      {VULN "product_status", "{'known_not_affected':['CSAFPID-1','CSAFPID-2']}"},
      {VULN "flags", "[{'label':'component_not_present','product_ids':['CSAFPID-1']}]"}},
     "6.1.27.9",
     VULN "product_status.known_not_affected[1]",
     false},
    {{{"document.category", "'csaf_vex'"},
      {VULN "product_status", "{'known_not_affected':['CSAFPID-1','CSAFPID-2']}"},
      {VULN "threats", "[{'category':'impact','details':'No code.','group_ids':['CSAFGID-1']}]"}},
     NULL,
     NULL,
     false},
    {{{"document.category", "'csaf_vex'"},
      {VULN "product_status", "{'known_affected':['CSAFPID-1','CSAFPID-2']}"}},
     "6.1.27.10",
     VULN "product_status.known_affected[1]",
     false},
    /* 6.1.28 - 6.1.33 */
    {{{"document.source_lang", "'EN'"}}, "6.1.28", "document.source_lang", false},
    {{{VULN "remediations[0].product_ids", NULL}}, "6.1.29", VULN "remediations[0]", false},
    {{{TRACK "revision_history[1]", "{'date':'2024-01-02T00:00:00Z','number':'2.0.0','summary':"
                                    "'x'}"},
      {TRACK "version", "'2.0.0'"}},
     "6.1.30",
     "document.tracking",
     false},
    {{{"product_tree.branches", "[{'category':'product_version','name':'prior to 4.2','product':"
                                "{'name':'C','product_id':'CSAFPID-3'}}]"}},
     "6.1.31",
     "product_tree.branches[0].name",
     false},
    {{{"product_tree.branches", "[{'category':'product_version','name':'after-eight','product':"
                                "{'name':'C','product_id':'CSAFPID-3'}}]"}},
     NULL,
     NULL,
     false},
    {{{VULN "flags", "[{'label':'component_not_present'}]"}}, "6.1.32", VULN "flags[0]", false},
    {{{VULN "flags", "[{'label':'component_not_present','group_ids':['CSAFGID-1']},"
                     "{'label':'vulnerable_code_not_present','product_ids':['CSAFPID-2']}]"}},
     "6.1.33",
     VULN "flags[1]",
     false},
    /* optional tests: warnings */
    {{{"product_tree.full_product_names[2]", "{'name':'C','product_id':'CSAFPID-3',"
                                             "'product_identification_helper':{'skus':['c']}}"}},
     "6.2.1",
     "product_tree.full_product_names[2].product_id",
     true},
    {{{VULN "remediations", NULL}}, "6.2.2", VULN "product_status.known_affected[0]", true},
    {{{VULN "scores", NULL}}, "6.2.3", VULN "product_status.known_affected[0]", true},
    {{{TRACK "revision_history[0].number", "'1.0.0+build.5'"}, {TRACK "version", "'1.0.0'"}},
     "6.2.4",
     TRACK "revision_history[0].number",
     true},
    {{{TRACK "initial_release_date", "'2023-12-31T00:00:00Z'"}},
     "6.2.5",
     TRACK "initial_release_date",
     true},
    {{{TRACK "current_release_date", "'2023-12-31T00:00:00Z'"}},
     "6.2.6",
     TRACK "current_release_date",
     true},
    {{{VULN "involvements", "[{'party':'vendor','status':'open'}]"}},
     "6.2.7",
     VULN "involvements[0]",
     true},
    {{{FPN0 "product_identification_helper",
       "{'hashes':[{'file_hashes':[{'algorithm':'md5','value':"
       "'6ae24620ea9656230f49234efd078935'}],'filename':'a.so'}]}"}},
     "6.2.8",
     FPN0 "product_identification_helper.hashes[0].file_hashes",
     true},
    {{{"document.distribution", NULL}}, "6.2.10", "document.distribution.tlp.label", true},
    {{{"document.references[0].url", "'https://cert.example.gov/csaf/ncert-2024-0001_1.json'"}},
     "6.2.11",
     "document.references",
     true},
    {{{"document.lang", NULL}}, "6.2.12", "document.lang", true},
    {{{"document.aaa", "'x'"}}, "6.2.13", "document.aaa", true},
    {{{"document.lang", "'qtx'"}}, "6.2.14", "document.lang", true},
    {{{"document.lang", "'en-x-rabta'"}}, "6.2.14", "document.lang", true},
    {{{"document.lang", "'i-default'"}}, "6.2.15", "document.lang", true},
    {{{FPN0 "product_identification_helper", NULL}},
     "6.2.16",
     "product_tree.full_product_names[0]",
     true},
    {{{VULN "ids", "[{'system_name':'CVE','text':'CVE-2024-0002'}]"}},
     "6.2.17",
     VULN "ids[0].text",
     true},
    {{{"product_tree.branches", "[{'category':'product_version_range','name':'>4.2','product':"
                                "{'name':'C','product_id':'CSAFPID-3','product_identification_"
                                "helper':{'skus':['c']}}}]"}},
     "6.2.18",
     "product_tree.branches[0].name",
     true},
    {{{VULN "scores[0].products", "['CSAFPID-1','CSAFPID-2']"}},
     "6.2.19",
     VULN "scores[0].cvss_v3",
     true},
    {{{VULN "scores[0].products", "['CSAFPID-1','CSAFPID-2']"},
      {CVSS3 "vectorString", "'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MC:N/MI:N/MA:N'"}},
     NULL,
     NULL,
     true},
    {{{"document.x_rabta", "'x'"}}, "6.2.20", "document.x_rabta", true},
    {{{CVSS3 "x_note", "'x'"}}, "6.2.20", CVSS3 "x_note", true},
};

TU_TEST(test_cases)
{
    for (size_t i = 0; i < RB_ARRAY_LEN(cases); i++) {
        const struct case_row *c = &cases[i];
        cJSON *doc = parse_dq(base_doc);
        for (int k = 0; k < 3 && c->ch[k].path; k++)
            patch(doc, c->ch[k].path, c->ch[k].json);
        rb_arena a;
        rb_arena_init(&a, ARENA_CAP);
        struct csaf_report r;
        assert_int_equal(csaf_validate(doc, c->optional ? CSAF_OPTIONAL : 0, &r, &a), 0);
        bool ok;
        if (!c->test)
            ok = r.errors == 0;
        else if (c->optional)
            ok = r.errors == 0 && has_issue(&r, c->test, c->path);
        else
            ok = has_issue(&r, c->test, c->path) && !csaf_report_valid(&r);
        if (!ok) {
            print_message("row %zu (%s = %s): want %s at %s, got:\n", i, c->ch[0].path,
                          c->ch[0].json ? c->ch[0].json : "(deleted)", c->test ? c->test : "none",
                          c->path ? c->path : "(anywhere)");
            print_report(&r);
        }
        ROW_CHECK(ok, "row %zu", i);
        /* Optional tests never make an error, and never run without the flag. */
        for (size_t k = 0; k < r.n; k++)
            ROW_CHECK(r.issues[k].warning == (strncmp(r.issues[k].test, "6.2.", 4) == 0),
                      "row %zu: issue %s has the wrong severity", i, r.issues[k].test);
        rb_arena_release(&a);
        cJSON_Delete(doc);
    }
}

/* 300 references to an unknown product: 200 kept, 100 counted, the refusal names the first. */
TU_TEST(test_cap_and_refusal)
{
    cJSON *doc = parse_dq(base_doc);
    cJSON *ids = cJSON_CreateArray();
    for (int i = 0; i < 300; i++) {
        char id[32];
        snprintf(id, sizeof(id), "CSAFPID-X%d", i);
        cJSON_AddItemToArray(ids, cJSON_CreateString(id));
    }
    cJSON *ps = cJSON_GetObjectItem(
        cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "vulnerabilities"), 0), "product_status");
    cJSON_AddItemToObject(ps, "under_investigation", ids);
    rb_arena a;
    rb_arena_init(&a, ARENA_CAP);
    struct csaf_report r;
    assert_int_equal(csaf_validate(doc, 0, &r, &a), 0);
    assert_int_equal(r.errors, 300);
    assert_int_equal(r.n, CSAF_MAX_ISSUES);
    assert_int_equal(r.dropped, 300 - CSAF_MAX_ISSUES);
    const struct csaf_issue *first = csaf_first_error(&r);
    assert_non_null(first);
    assert_string_equal(first->test, "6.1.1");
    assert_string_equal(first->path, "vulnerabilities[0].product_status.under_investigation[0]");
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    assert_int_equal(csaf_report_err(&r, &ei), RB_EINVAL);
    assert_string_equal(ei.field, first->path);
    assert_non_null(strstr(ei.msg, "CSAF 6.1.1: product \"CSAFPID-X0\""));
    assert_non_null(strstr(ei.msg, "299 more"));

    /* The JSON report parses and says the same. */
    rb_buf b;
    rb_buf_init(&b, 1 << 20);
    rj_writer w;
    rjw_init(&w, &b);
    csaf_report_write(&r, &w);
    assert_int_equal(rjw_finish(&w), 0);
    cJSON *j = cJSON_Parse(rb_buf_cstr(&b));
    assert_non_null(j);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(j, "valid")));
    assert_int_equal(cJSON_GetObjectItem(j, "errors")->valueint, 300);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "issues")), CSAF_MAX_ISSUES);
    cJSON *i0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "issues"), 0);
    assert_string_equal(cJSON_GetObjectItem(i0, "severity")->valuestring, "error");
    cJSON_Delete(j);
    rb_buf_release(&b);
    rb_arena_release(&a);
    cJSON_Delete(doc);
}

TU_TEST(test_not_json)
{
    static const char *const texts[] = {"", "{", "[1,2", "{\"document\":}", "\xff\xfe"};
    for (size_t i = 0; i < RB_ARRAY_LEN(texts); i++) {
        rb_arena a;
        rb_arena_init(&a, 1 << 20);
        struct csaf_report r;
        assert_int_equal(csaf_validate_text(texts[i], strlen(texts[i]), 0, &r, &a), 0);
        ROW_CHECK(r.errors == 1 && r.n == 1 && strcmp(r.issues[0].test, "json") == 0, "text %zu",
                  i);
        rb_arena_release(&a);
    }
    /* JSON that is not an advisory: the schema says so. */
    static const char *const docs[] = {"[]", "42", "{}", "{\"document\":{}}"};
    for (size_t i = 0; i < RB_ARRAY_LEN(docs); i++) {
        rb_arena a;
        rb_arena_init(&a, 1 << 20);
        struct csaf_report r;
        assert_int_equal(csaf_validate_text(docs[i], strlen(docs[i]), CSAF_OPTIONAL, &r, &a), 0);
        ROW_CHECK(r.errors >= 1 && strcmp(r.issues[0].test, "schema") == 0, "doc %zu", i);
        rb_arena_release(&a);
    }
}

/* Out of memory and out of arena: an error code, never a crash or a report that claims more. */
TU_TEST(test_memory)
{
    char *text = tu_dq_dup(base_doc);
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    /* A capped arena gives out at some point along the way. */
    for (size_t cap = 256; cap <= 65536; cap *= 2) {
        rb_arena a;
        rb_arena_init(&a, cap);
        struct csaf_report r;
        int rc = csaf_validate(doc, CSAF_OPTIONAL, &r, &a);
        ROW_CHECK(rc == 0 || rc == RB_ETOOBIG, "cap %zu: rc %d", cap, rc);
        rb_arena_release(&a);
    }
    for (long n = 0; n < 40; n++) {
        rb_arena a;
        rb_arena_init(&a, ARENA_CAP);
        struct csaf_report r;
        rb_mem_fail_after(n);
        int rc = csaf_validate(doc, CSAF_OPTIONAL, &r, &a);
        rb_mem_fail_after(-1);
        ROW_CHECK(rc == 0 || rc == RB_ENOMEM, "fail after %ld: rc %d", n, rc);
        rb_arena_release(&a);
    }
    cJSON_Delete(doc);
    rb_free(text);
}

TU_TEST(test_table)
{
    size_t n = csaf_test_count(), mandatory = 0, optional = 0;
    for (size_t i = 0; i < n; i++) {
        const struct csaf_test_info *t = csaf_test(i);
        assert_non_null(t);
        assert_true(t->implemented);
        if (t->mandatory)
            mandatory++;
        else
            optional++;
    }
    assert_null(csaf_test(n));
    assert_int_equal(mandatory, 33 + 10); /* 6.1.1-6.1.33 with 6.1.27 as its 11 parts */
    assert_int_equal(optional, 20);
}

/* ---- the corpus ---- */

/* Validates a file; *rep is filled in arena a. Fails the test when the file cannot be read. */
static void validate_file(const char *path, unsigned flags, struct csaf_report *rep, rb_arena *a)
{
    size_t len = 0;
    char *text = tu_read_path(path, &len);
    ROW_CHECK(text != NULL, "cannot read %s", path);
    assert_int_equal(csaf_validate_text(text, len, flags, rep, a), 0);
    rb_free(text);
}

struct judged {
    int right, total;
};

/* Runs every file testcases.json lists for tests of `group`: a failing file must have an issue
 * of its test (an error, or a warning for the optional group); a valid file no error and no
 * issue of its test. */
static void judge(const char *dir, const char *group, struct judged *out)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/test/validator/data/testcases.json", dir);
    size_t len;
    char *text = tu_read_path(path, &len);
    assert_non_null(text);
    cJSON *tc = cJSON_Parse(text);
    rb_free(text);
    assert_non_null(tc);
    bool optional = strcmp(group, "mandatory") != 0;
    out->right = out->total = 0;
    cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(tc, "tests"))
    {
        if (strcmp(cJSON_GetObjectItem(t, "group")->valuestring, group) != 0)
            continue;
        const char *id = cJSON_GetObjectItem(t, "id")->valuestring;
        static const char *const kinds[] = {"failures", "valid"};
        for (int k = 0; k < 2; k++) {
            cJSON *f;
            cJSON_ArrayForEach(f, cJSON_GetObjectItem(t, kinds[k]))
            {
                snprintf(path, sizeof(path), "%s/test/validator/data/%s", dir,
                         cJSON_GetObjectItem(f, "name")->valuestring);
                rb_arena a;
                rb_arena_init(&a, ARENA_CAP);
                struct csaf_report r;
                validate_file(path, optional ? CSAF_OPTIONAL : 0, &r, &a);
                bool named = false, errors = r.errors > 0;
                for (size_t i = 0; i < r.n; i++)
                    if (strcmp(r.issues[i].test, id) == 0 && r.issues[i].warning == optional)
                        named = true;
                bool right = k == 0 ? named && (optional || errors) : !errors && !named;
                out->total++;
                if (right) {
                    out->right++;
                } else {
                    print_message("  misjudged (%s, %s): %s\n", id, kinds[k], path);
                    print_report(&r);
                }
                rb_arena_release(&a);
            }
        }
    }
    cJSON_Delete(tc);
}

#define NEED_DATA(dir)                                                                             \
    char dir[900];                                                                                 \
    tu_data_path(dir, sizeof(dir), "csaf");                                                        \
    {                                                                                              \
        struct stat st_;                                                                           \
        char probe_[1024];                                                                         \
        snprintf(probe_, sizeof(probe_), "%s/test/validator/data/testcases.json", dir);            \
        if (stat(probe_, &st_) != 0) {                                                             \
            print_message("skipping: %s not found (../shared/data/csaf)\n", probe_);               \
            skip();                                                                                \
        }                                                                                          \
    }

TU_TEST(test_mandatory_corpus)
{
    NEED_DATA(dir);
    struct judged j;
    judge(dir, "mandatory", &j);
    print_message("mandatory corpus: %d of %d files classified right\n", j.right, j.total);
    assert_int_equal(j.total, 147);
    assert_int_equal(j.right, j.total);
}

TU_TEST(test_optional_corpus)
{
    NEED_DATA(dir);
    struct judged j;
    judge(dir, "optional", &j);
    print_message("optional corpus: %d of %d files classified right (%.0f%%)\n", j.right, j.total,
                  100.0 * j.right / (j.total ? j.total : 1));
    assert_true(j.right >= OPTIONAL_FLOOR);
}

/* What validating a tree of advisories found: the files at least min_depth levels down, and
 * how many of them are not valid. */
struct tree_count {
    int min_depth, n, bad;
};

/* tu_walk_json's fn: validates one file of the tree (ctx, a tree_count). */
static void validate_in_tree(const char *path, int depth, void *ctx)
{
    struct tree_count *t = ctx;
    if (depth < t->min_depth)
        return;
    rb_arena a;
    rb_arena_init(&a, ARENA_CAP);
    struct csaf_report r;
    validate_file(path, 0, &r, &a);
    t->n++;
    if (r.errors) {
        t->bad++;
        print_message("  not valid: %s\n", path);
        print_report(&r);
    }
    rb_arena_release(&a);
}

TU_TEST(test_real_advisories)
{
    NEED_DATA(dir);
    static const struct {
        const char *sub;
        int min_depth; /* cisa/IT/white holds its ROLIE feed beside the year folders */
        int want;      /* files expected (0: at least one) */
    } trees[] = {
        {"examples", 0, 0},
        {"cisa/OT/white/2023", 0, 380},
        {"cisa/IT/white", 1, 0},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(trees); i++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", dir, trees[i].sub);
        struct tree_count t = {.min_depth = trees[i].min_depth};
        tu_walk_json(path, 0, validate_in_tree, &t);
        print_message("%s: %d files, %d not valid\n", trees[i].sub, t.n, t.bad);
        ROW_CHECK(trees[i].want ? t.n == trees[i].want : t.n > 0, "%s: %d files", trees[i].sub,
                  t.n);
        ROW_CHECK(t.bad == 0, "%s: %d files not valid", trees[i].sub, t.bad);
    }
}

TU_MAIN({
    cmocka_unit_test(test_base_doc_valid),
    cmocka_unit_test(test_cases),
    cmocka_unit_test(test_cap_and_refusal),
    cmocka_unit_test(test_not_json),
    cmocka_unit_test(test_memory),
    cmocka_unit_test(test_table),
    cmocka_unit_test(test_mandatory_corpus),
    cmocka_unit_test(test_optional_corpus),
    cmocka_unit_test(test_real_advisories),
})
