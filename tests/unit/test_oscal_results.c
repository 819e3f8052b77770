/*
 * test_oscal_results.c - src/formats/oscal_results: a self-assessment written as OSCAL
 * assessment results. The output must parse, hold its members in their order (props in the
 * deployment's namespace, the parties, the marking), leave an unanswered control without
 * observation or finding, and be a pure function of the struct (the uuids are inputs).
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "formats/oscal.h"
#include "json/json.h"

#include "oscal_sample.h"
#include "test_util.h"

#define R_ID "9ee1395b-ce4b-4de6-be05-3722a653ae32"
#define O1 "00000000-0000-4000-8000-000000000001"
#define O2 "00000000-0000-4000-8000-000000000002"
#define O3 "00000000-0000-4000-8000-000000000003"
#define F1 "00000000-0000-4000-8000-0000000000f1"
#define F2 "00000000-0000-4000-8000-0000000000f2"
#define F3 "00000000-0000-4000-8000-0000000000f3"
#define SHA "785f3ec7eb32f30b90cd0fcf3657d388b5ff4297f2f9716ff66e9b69c05ddd09"

static const struct oscal_evidence files[] = {
    {"/api/v1/assessments/" SAMPLE_A_ID "/attachments/a1", "policy.pdf", 1, SHA},
    {"/api/v1/assessments/" SAMPLE_A_ID "/attachments/a2", "report \xc3\xa9.pdf", 600, SHA},
};

/* Three controls: answered with a label, evidence and two files; not applicable without a
 * label; not answered yet, without a statement. */
static const struct oscal_result_item items[] = {
    {.control_id = "gv-1",
     .label = "GV-1",
     .title = "Governance policy",
     .statement = "The institution keeps a policy.",
     .status = "implemented",
     .maturity = 4,
     .evidence = "Signed \"v2\" <on file>",
     .files = files,
     .nfiles = 2,
     .answered_at = "2026-02-20T08:00:00Z",
     .review = "accepted",
     .observation_uuid = O1,
     .finding_uuid = F1},
    {.control_id = "vpm-2",
     .title = "Patching",
     .statement = "Patches within 14 days.",
     .status = "not_applicable",
     .maturity = 0,
     .review = "returned",
     .review_comment = "Patches apply here.",
     .observation_uuid = O2,
     .finding_uuid = F2},
    {.control_id = "at-1",
     .label = "AT-1",
     .title = "Awareness",
     .maturity = 0,
     .observation_uuid = O3,
     .finding_uuid = F3},
};

/* The sample with the three items, its score, plan and result. */
static struct oscal_results sample(void)
{
    struct oscal_results r = tu_oscal_sample(items, 3, 72.26);
    r.plan_href = "/api/v1/campaigns/c1";
    r.result_uuid = R_ID;
    return r;
}

/* A results document written and parsed back: the output, its tree, "assessment-results" and
 * its first result. */
struct written {
    rb_buf b;
    cJSON *doc;
    const cJSON *ar, *res;
};

/* Writes r and parses the output; written_release frees both. */
static void written_init(struct written *w, const struct oscal_results *r)
{
    rb_buf_init(&w->b, 1 << 20);
    assert_int_equal(oscal_results_write(r, &w->b), 0);
    w->doc = tu_parse_buf(&w->b);
    w->ar = tu_at(w->doc, "assessment-results");
    w->res = cJSON_GetArrayItem(tu_at(w->ar, "results"), 0);
}

static void written_release(struct written *w)
{
    cJSON_Delete(w->doc);
    rb_buf_release(&w->b);
}

TU_TEST(test_members)
{
    struct oscal_results r = sample();
    struct written w;
    written_init(&w, &r);

    static const char *const top[] = {"assessment-results", NULL};
    static const char *const ar_keys[] = {"uuid", "metadata", "import-ap", "results", NULL};
    static const char *const meta_keys[] = {
        "title",   "last-modified",       "version", "oscal-version", "props", "roles",
        "parties", "responsible-parties", NULL};
    static const char *const res_keys[] = {"uuid",     "title", "description",       "start",
                                           "end",      "props", "reviewed-controls", "observations",
                                           "findings", NULL};
    static const char *const obs_keys[] = {
        "uuid",    "title",    "description",       "props",     "methods",
        "origins", "subjects", "relevant-evidence", "collected", NULL};
    static const char *const obs_bare[] = {"uuid",    "title",    "description", "props", "methods",
                                           "origins", "subjects", "collected",   NULL};
    static const char *const find_keys[] = {"uuid",    "title",  "description",          "props",
                                            "origins", "target", "related-observations", NULL};
    static const char *const find_remarks[] = {
        "uuid",    "title", "description", "props", "origins", "target", "related-observations",
        "remarks", NULL};
    tu_check_keys(w.doc, "document", top);
    const cJSON *ar = w.ar;
    tu_check_keys(ar, "assessment-results", ar_keys);
    assert_string_equal(tu_str_at(ar, "uuid"), SAMPLE_A_ID);
    const cJSON *meta = tu_at(ar, "metadata");
    tu_check_keys(meta, "metadata", meta_keys);
    assert_string_equal(tu_str_at(meta, "title"), "Punjab essentials: Punjab Health");
    assert_string_equal(tu_str_at(meta, "last-modified"), "2026-03-02T10:00:00Z");
    assert_string_equal(tu_str_at(meta, "version"), "accepted");
    assert_string_equal(tu_str_at(meta, "oscal-version"), "1.1.2");
    const cJSON *mark = cJSON_GetArrayItem(tu_at(meta, "props"), 0);
    assert_string_equal(tu_str_at(mark, "name"), "marking");
    assert_string_equal(tu_str_at(mark, "class"), "tlp");
    assert_string_equal(tu_str_at(mark, "value"), "TLP:AMBER+STRICT");
    const cJSON *parties = tu_at(meta, "parties");
    assert_int_equal(cJSON_GetArraySize(parties), 2);
    assert_string_equal(tu_str_at(cJSON_GetArrayItem(parties, 0), "uuid"), SAMPLE_ORG);
    assert_string_equal(tu_str_at(cJSON_GetArrayItem(parties, 1), "name"), "Punjab CERT");
    const cJSON *rp = cJSON_GetArrayItem(tu_at(meta, "responsible-parties"), 1);
    assert_string_equal(tu_str_at(rp, "role-id"), "reviewing-cert");
    assert_string_equal(cJSON_GetArrayItem(tu_at(rp, "party-uuids"), 0)->valuestring, SAMPLE_CERT);
    assert_string_equal(tu_str_at(tu_at(ar, "import-ap"), "href"), "/api/v1/campaigns/c1");

    const cJSON *results = tu_at(ar, "results");
    assert_int_equal(cJSON_GetArraySize(results), 1);
    const cJSON *res = cJSON_GetArrayItem(results, 0);
    tu_check_keys(res, "result", res_keys);
    assert_string_equal(tu_str_at(res, "uuid"), R_ID);
    assert_string_equal(tu_str_at(res, "title"), "Self-assessment");
    assert_string_equal(tu_str_at(res, "description"),
                        "Self-assessment of Punjab Health in the campaign \"Punjab essentials\" "
                        "(status accepted, scored).");
    assert_string_equal(tu_str_at(res, "start"), "2026-03-01T09:00:00Z");
    assert_string_equal(tu_str_at(res, "end"), "2026-03-02T10:00:00Z");
    const cJSON *prop = cJSON_GetArrayItem(tu_at(res, "props"), 0);
    assert_string_equal(tu_str_at(prop, "name"), "assessment-status");
    assert_string_equal(tu_str_at(prop, "ns"), SAMPLE_NS);
    assert_string_equal(tu_str_at(prop, "value"), "accepted");
    prop = cJSON_GetArrayItem(tu_at(res, "props"), 1);
    assert_string_equal(tu_str_at(prop, "name"), "preparedness-score");
    assert_string_equal(tu_str_at(prop, "ns"), SAMPLE_NS);
    assert_string_equal(tu_str_at(prop, "value"), "72.3");
    const cJSON *inc =
        tu_at(cJSON_GetArrayItem(tu_at(tu_at(res, "reviewed-controls"), "control-selections"), 0),
              "include-controls");
    assert_int_equal(cJSON_GetArraySize(inc), 3);
    assert_string_equal(tu_str_at(cJSON_GetArrayItem(inc, 2), "control-id"), "at-1");

    /* One observation per answered item, in order: the unanswered at-1 has none. */
    static const struct {
        const char *uuid, *title, *description, *collected, *status, *maturity;
        int nfiles;
    } orows[] = {
        {O1, "GV-1 self-assessment",
         "Status: implemented. Maturity: 4 of 5. Evidence: Signed \"v2\" <on file>",
         "2026-02-20T08:00:00Z", "implemented", "4", 2},
        {O2, "vpm-2 self-assessment", "Status: not_applicable. Maturity: 0 of 5.",
         "2026-03-01T09:00:00Z", "not_applicable", "0", 0},
    };
    const cJSON *obs = tu_at(res, "observations");
    assert_int_equal(cJSON_GetArraySize(obs), 2);
    for (int i = 0; i < 2; i++) {
        const cJSON *o = cJSON_GetArrayItem(obs, i);
        tu_check_keys(o, "observation", orows[i].nfiles ? obs_keys : obs_bare);
        ROW_CHECK(strcmp(tu_str_at(o, "uuid"), orows[i].uuid) == 0 &&
                      strcmp(tu_str_at(o, "title"), orows[i].title) == 0 &&
                      strcmp(tu_str_at(o, "description"), orows[i].description) == 0,
                  "observation %d: %s / %s", i, tu_str_at(o, "title"), tu_str_at(o, "description"));
        ROW_CHECK(strcmp(tu_str_at(o, "collected"), orows[i].collected) == 0,
                  "observation %d: collected", i);
        const cJSON *p0 = cJSON_GetArrayItem(tu_at(o, "props"), 0);
        const cJSON *p1 = cJSON_GetArrayItem(tu_at(o, "props"), 1);
        ROW_CHECK(strcmp(tu_str_at(p0, "name"), "answer-status") == 0 &&
                      strcmp(tu_str_at(p0, "value"), orows[i].status) == 0 &&
                      strcmp(tu_str_at(p0, "ns"), SAMPLE_NS) == 0 &&
                      strcmp(tu_str_at(p1, "name"), "maturity") == 0 &&
                      strcmp(tu_str_at(p1, "value"), orows[i].maturity) == 0,
                  "observation %d: props", i);
        const cJSON *subj = cJSON_GetArrayItem(tu_at(o, "subjects"), 0);
        ROW_CHECK(strcmp(tu_str_at(subj, "subject-uuid"), SAMPLE_ORG) == 0 &&
                      strcmp(tu_str_at(subj, "type"), "party") == 0,
                  "observation %d: subject", i);
        ROW_CHECK(strcmp(cJSON_GetArrayItem(tu_at(o, "methods"), 0)->valuestring, "EXAMINE") == 0,
                  "observation %d: methods", i);
    }
    const cJSON *ev = tu_at(cJSON_GetArrayItem(obs, 0), "relevant-evidence");
    assert_int_equal(cJSON_GetArraySize(ev), 2);
    assert_string_equal(tu_str_at(cJSON_GetArrayItem(ev, 0), "href"),
                        "/api/v1/assessments/" SAMPLE_A_ID "/attachments/a1");
    assert_string_equal(tu_str_at(cJSON_GetArrayItem(ev, 0), "description"),
                        "policy.pdf (1 byte, sha256 " SHA ")");
    assert_string_equal(tu_str_at(cJSON_GetArrayItem(ev, 1), "description"),
                        "report \xc3\xa9.pdf (600 bytes, sha256 " SHA ")");

    /* One finding per answered item: the state from the status, the target, the observation,
     * the review decision. */
    static const struct {
        const char *uuid, *title, *description, *target, *state, *reason, *obs, *review;
    } frows[] = {
        {F1, "Governance policy", "The institution keeps a policy.", "gv-1_smt", "satisfied", NULL,
         O1, "accepted"},
        {F2, "Patching", "Patches within 14 days.", "vpm-2_smt", "satisfied", "not-applicable", O2,
         "returned"},
    };
    const cJSON *fin = tu_at(res, "findings");
    assert_int_equal(cJSON_GetArraySize(fin), 2);
    for (int i = 0; i < 2; i++) {
        const cJSON *f = cJSON_GetArrayItem(fin, i);
        tu_check_keys(f, "finding", i == 1 ? find_remarks : find_keys);
        ROW_CHECK(strcmp(tu_str_at(cJSON_GetArrayItem(tu_at(f, "props"), 0), "value"),
                         frows[i].review) == 0,
                  "finding %d: review", i);
        const cJSON *actor =
            cJSON_GetArrayItem(tu_at(cJSON_GetArrayItem(tu_at(f, "origins"), 0), "actors"), 0);
        ROW_CHECK(strcmp(tu_str_at(actor, "actor-uuid"), SAMPLE_CERT) == 0, "finding %d: origin",
                  i);
        const cJSON *t = tu_at(f, "target");
        const cJSON *st = tu_at(t, "status");
        const char *reason = tu_str_at(st, "reason");
        ROW_CHECK(strcmp(tu_str_at(f, "uuid"), frows[i].uuid) == 0 &&
                      strcmp(tu_str_at(f, "title"), frows[i].title) == 0 &&
                      strcmp(tu_str_at(f, "description"), frows[i].description) == 0,
                  "finding %d", i);
        ROW_CHECK(strcmp(tu_str_at(t, "type"), "statement-id") == 0 &&
                      strcmp(tu_str_at(t, "target-id"), frows[i].target) == 0,
                  "finding %d: target", i);
        ROW_CHECK(strcmp(tu_str_at(st, "state"), frows[i].state) == 0 &&
                      (frows[i].reason ? reason && strcmp(reason, frows[i].reason) == 0 : !reason),
                  "finding %d: state %s reason %s", i, tu_str_at(st, "state"), reason);
        ROW_CHECK(strcmp(tu_str_at(cJSON_GetArrayItem(tu_at(f, "related-observations"), 0),
                                   "observation-uuid"),
                         frows[i].obs) == 0,
                  "finding %d: related observation", i);
    }
    assert_string_equal(tu_str_at(cJSON_GetArrayItem(fin, 1), "remarks"), "Patches apply here.");
    written_release(&w);
}

/* Each status of an answer gives one finding state. */
TU_TEST(test_states)
{
    static const struct {
        const char *status; /* NULL: not answered */
        const char *state, *reason, *obs_has, *impl;
    } rows[] = {
        {"implemented", "satisfied", NULL, "Status: implemented.", "implemented"},
        {"not_applicable", "satisfied", "not-applicable", "Status: not_applicable.",
         "not-applicable"},
        {"partial", "not-satisfied", NULL, "Status: partial.", "partial"},
        {"planned", "not-satisfied", NULL, "Status: planned.", "planned"},
        {"not_implemented", "not-satisfied", NULL, "Status: not_implemented.", NULL},
        {NULL, NULL, NULL, NULL, NULL},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        struct oscal_result_item it = items[2];
        it.status = rows[i].status;
        struct oscal_results r = sample();
        r.items = &it;
        r.nitems = 1;
        struct written w;
        written_init(&w, &r);
        const cJSON *res = w.res;
        if (!rows[i].status) { /* not answered: nothing observed, nothing found */
            ROW_CHECK(!tu_at(res, "findings") && !tu_at(res, "observations"), "row %zu: unanswered",
                      i);
            written_release(&w);
            /* ... unless it has a file: then an observation (no props), still no finding. */
            it.files = files;
            it.nfiles = 1;
            written_init(&w, &r);
            const cJSON *o = cJSON_GetArrayItem(tu_at(w.res, "observations"), 0);
            ROW_CHECK(o && !tu_at(o, "props") && tu_at(o, "relevant-evidence") &&
                          !tu_at(w.res, "findings"),
                      "row %zu: unanswered with a file", i);
            written_release(&w);
            continue;
        }
        const cJSON *tg = tu_at(cJSON_GetArrayItem(tu_at(res, "findings"), 0), "target");
        const cJSON *impl = tu_at(tg, "implementation-status");
        ROW_CHECK(rows[i].impl ? impl && strcmp(tu_str_at(impl, "state"), rows[i].impl) == 0
                               : !impl,
                  "row %zu: implementation-status", i);
        const cJSON *st = tu_at(tg, "status");
        const char *reason = tu_str_at(st, "reason");
        ROW_CHECK(strcmp(tu_str_at(st, "state"), rows[i].state) == 0, "row %zu: state %s", i,
                  tu_str_at(st, "state"));
        ROW_CHECK(rows[i].reason ? reason && strcmp(reason, rows[i].reason) == 0 : !reason,
                  "row %zu: reason", i);
        ROW_CHECK(
            strstr(tu_str_at(cJSON_GetArrayItem(tu_at(res, "observations"), 0), "description"),
                   rows[i].obs_has) != NULL,
            "row %zu: observation", i);
        written_release(&w);
    }
}

/* The result's head follows the assessment's life: scored or not, submitted or not, reviewed
 * or not. */
TU_TEST(test_head)
{
    static const struct {
        double score;
        const char *submitted_at, *reviewed_at, *status;
        const char *start, *desc_tail;
        bool end, props;
        const char *value;
    } rows[] = {
        {72.26, "S", "R", "accepted", "S", "(status accepted, scored).", true, true, "72.3"},
        {0, "S", NULL, "submitted", "S", "(status submitted, scored).", false, true, "0.0"},
        {100, "S", "R", "returned", "S", "(status returned, scored).", true, true, "100.0"},
        {-1, NULL, NULL, "draft", "U", "(status draft).", false, false, NULL},
        {-1, NULL, NULL, "not_started", "U", "(status not_started).", false, false, NULL},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        struct oscal_results r = sample();
        r.score = rows[i].score;
        r.submitted_at = rows[i].submitted_at;
        r.reviewed_at = rows[i].reviewed_at;
        r.status = rows[i].status;
        r.updated_at = "U";
        struct written w;
        written_init(&w, &r);
        const cJSON *res = w.res;
        const char *desc = tu_str_at(res, "description");
        ROW_CHECK(strcmp(tu_str_at(res, "start"), rows[i].start) == 0, "row %zu: start", i);
        ROW_CHECK(strlen(desc) > strlen(rows[i].desc_tail) &&
                      strcmp(desc + strlen(desc) - strlen(rows[i].desc_tail), rows[i].desc_tail) ==
                          0,
                  "row %zu: description %s", i, desc);
        ROW_CHECK((tu_at(res, "end") != NULL) == rows[i].end, "row %zu: end", i);
        ROW_CHECK((cJSON_GetArraySize(tu_at(res, "props")) == 2) == rows[i].props, "row %zu: props",
                  i);
        if (rows[i].value)
            ROW_CHECK(strcmp(tu_str_at(cJSON_GetArrayItem(tu_at(res, "props"), 1), "value"),
                             rows[i].value) == 0,
                      "row %zu: score value", i);
        const cJSON *o = cJSON_GetArrayItem(tu_at(res, "observations"), 1);
        ROW_CHECK(strcmp(tu_str_at(o, "collected"), rows[i].start) == 0, "row %zu: collected", i);
        ROW_CHECK(strcmp(tu_str_at(tu_at(w.ar, "metadata"), "version"), rows[i].status) == 0,
                  "row %zu: version", i);
        written_release(&w);
    }
}

/* The whole text of a minimal result, byte for byte. */
TU_TEST(test_exact_bytes)
{
    static const struct oscal_result_item one = {.control_id = "c-1",
                                                 .title = "T",
                                                 .status = "partial",
                                                 .maturity = 2,
                                                 .observation_uuid = O1,
                                                 .finding_uuid = F1};
    struct oscal_results r = sample();
    r.items = &one;
    r.nitems = 1;
    r.score = -1;
    r.reviewed_at = NULL;
    r.status = "submitted";
    r.reviewer_uuid = NULL;
    static const char want[] =
        "{\"assessment-results\":{\"uuid\":\"" SAMPLE_A_ID "\",\"metadata\":{\"title\":\"Punjab "
        "essentials: Punjab Health\",\"last-modified\":\"2026-03-02T10:00:00Z\",\"version\":"
        "\"submitted\",\"oscal-version\":\"1.1.2\",\"props\":[{\"name\":\"marking\",\"value\":"
        "\"TLP:AMBER+STRICT\",\"class\":\"tlp\"}],\"roles\":[{\"id\":\"assessed-organization\","
        "\"title\":\"The organization that assesses itself\"}],\"parties\":[{\"uuid\":\"" SAMPLE_ORG
        "\",\"type\":\"organization\",\"name\":\"Punjab Health\"}],\"responsible-parties\":[{"
        "\"role-id\":\"assessed-organization\",\"party-uuids\":[\"" SAMPLE_ORG
        "\"]}]},\"import-ap\":{\"href\":\"/api/v1/campaigns/c1\"},\"results\":[{\"uuid\":\"" R_ID
        "\",\"title\":"
        "\"Self-assessment\",\"description\":\"Self-assessment of Punjab Health in the campaign "
        "\\\"Punjab essentials\\\" (status submitted).\",\"start\":\"2026-03-01T09:00:00Z\","
        "\"props\":[{\"name\":\"assessment-status\",\"ns\":\"" SAMPLE_NS
        "\",\"value\":\"submitted\"}],"
        "\"reviewed-controls\":{\"control-selections\":[{\"include-controls\":[{\"control-id\":"
        "\"c-1\"}]}]},\"observations\":[{\"uuid\":\"" O1 "\",\"title\":\"c-1 self-assessment\","
        "\"description\":\"Status: partial. Maturity: 2 of 5.\",\"props\":[{\"name\":\"answer-"
        "status\",\"ns\":\"" SAMPLE_NS "\",\"value\":\"partial\"},{\"name\":\"maturity\","
        "\"ns\":\"" SAMPLE_NS
        "\",\"value\":\"2\"}],\"methods\":[\"EXAMINE\"],\"origins\":[{\"actors\":[{\"type\":"
        "\"party\",\"actor-uuid\":\"" SAMPLE_ORG "\",\"role-id\":\"assessed-organization\"}]}],"
        "\"subjects\":[{\"subject-uuid\":\"" SAMPLE_ORG "\",\"type\":\"party\",\"title\":\"Punjab "
        "Health\"}],\"collected\":\"2026-03-01T09:00:00Z\"}],\"findings\":[{\"uuid\":\"" F1
        "\",\"title\":\"T\",\"description\":\"T\",\"target\":{\"type\":\"statement-id\","
        "\"target-id\":\"c-1_smt\",\"status\":{\"state\":\"not-satisfied\"},\"implementation-"
        "status\":{\"state\":\"partial\"}},\"related-observations\":[{\"observation-uuid\":\"" O1
        "\"}]}]}]}}";
    rb_buf b, b2;
    rb_buf_init(&b, 1 << 16);
    rb_buf_init(&b2, 1 << 16);
    assert_int_equal(oscal_results_write(&r, &b), 0);
    assert_string_equal(rb_buf_cstr(&b), want);
    /* Pure: the same input, the same bytes; and it appends to what out holds. */
    rb_buf_adds(&b2, "prefix:");
    assert_int_equal(oscal_results_write(&r, &b2), 0);
    assert_int_equal(strncmp(rb_buf_cstr(&b2), "prefix:", 7), 0);
    assert_string_equal(rb_buf_cstr(&b2) + 7, want);
    rb_buf_release(&b);
    rb_buf_release(&b2);
}

/* Texts made of several fields are cut on a character boundary; the cap of out is an error. */
TU_TEST(test_limits)
{
    char campaign[501], label[501];
    size_t n = 0;
    while (n + 2 <= 500) { /* "é" 250 times: 500 bytes */
        campaign[n] = '\xc3';
        campaign[n + 1] = '\xa9';
        n += 2;
    }
    campaign[n] = '\0';
    memcpy(label, campaign, sizeof(label));
    struct oscal_result_item it = items[1];
    it.label = label;
    struct oscal_results r = sample();
    r.campaign_title = campaign;
    r.org_name = campaign + 300; /* 200 bytes, as long as an org name may be */
    r.items = &it;
    r.nitems = 1;
    struct written w;
    written_init(&w, &r);
    const cJSON *ar = w.ar, *res = w.res;
    const struct {
        const cJSON *obj;
        const char *key;
        size_t max;
    } rows[] = {
        {tu_at(ar, "metadata"), "title", 399},
        {res, "description", 599},
        {cJSON_GetArrayItem(tu_at(res, "observations"), 0), "title", 199},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        const char *s = tu_str_at(rows[i].obj, rows[i].key);
        ROW_CHECK(s && strlen(s) <= rows[i].max && strlen(s) >= rows[i].max - 1 &&
                      rb_utf8_valid(s, strlen(s), NULL),
                  "row %zu: %zu bytes", i, s ? strlen(s) : 0);
    }
    written_release(&w);

    /* A buffer too small for the document: RB_ETOOBIG. */
    r = sample();
    rb_buf small;
    rb_buf_init(&small, 256);
    assert_int_equal(oscal_results_write(&r, &small), RB_ETOOBIG);
    rb_buf_release(&small);
    /* No items: a result without observations or findings (OSCAL arrays are never empty). */
    r.nitems = 0;
    r.items = NULL;
    written_init(&w, &r);
    assert_null(tu_at(w.res, "observations"));
    assert_null(tu_at(w.res, "findings"));
    written_release(&w);
}

TU_MAIN({
    cmocka_unit_test(test_members),
    cmocka_unit_test(test_states),
    cmocka_unit_test(test_head),
    cmocka_unit_test(test_exact_bytes),
    cmocka_unit_test(test_limits),
})
