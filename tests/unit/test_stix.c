/*
 * test_stix.c - formats/stix: an incident as a STIX 2.1 bundle. Table-driven: timestamps, named
 * UUIDs, the severity and status mappings, the TLP 2.0 marking of each level, the tasks each
 * status gives, references that resolve, and the refusals.
 */
#include "base/common.h"
#include "base/buf.h"
#include "formats/stix.h"
#include "json/json.h"

#include "test_util.h"

#define INC_ID "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
#define ORG_A "11111111-1111-4111-8111-111111111111"
#define ORG_B "22222222-2222-4222-8222-222222222222"
#define ORG_C "33333333-3333-4333-8333-333333333333"
#define BUNDLE "44444444-4444-4444-8444-444444444444"

static struct stix_incident base_incident(void)
{
    struct stix_incident x = {
        .id = INC_ID,
        .number = 42,
        .title = "Ransomware on the \"HIS\" server",
        .description = "Files encrypted.\nA note was left.",
        .rsit_class = "malicious-code",
        .rsit_type = "infected-system",
        .severity = "severe",
        .status = "triaged",
        .tlp = TLP_AMBER,
        .cii = true,
        .detected_at = "2026-03-01T08:00:00Z",
        .reported_at = "2026-03-01T09:30:00Z",
        .updated_at = "2026-03-02T10:00:00Z",
        .handling_since = "2026-03-01T09:30:00Z",
        .acknowledged_at = "2026-03-01T10:00:00Z",
        .reporter = {ORG_A, "Punjab Health", "health", "2026-01-01T00:00:00Z",
                     "2026-01-02T00:00:00Z"},
        .affected = {ORG_A, "Punjab Health", "health", "2026-01-01T00:00:00Z",
                     "2026-01-02T00:00:00Z"},
        .handler = {ORG_B, "Punjab CERT", "government", "2025-01-01T00:00:00Z",
                    "2025-06-01T00:00:00Z"},
    };
    return x;
}

/* Writes x's bundle and parses it; fails the test unless both work. */
static cJSON *bundle_of(const struct stix_incident *x)
{
    rb_buf b;
    rb_buf_init(&b, 1 << 20);
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = stix_incident_bundle(x, BUNDLE, &b, &ei);
    if (rc)
        print_error("stix_incident_bundle: %d %s: %s\n", rc, ei.field, ei.msg);
    assert_int_equal(rc, 0);
    cJSON *doc = tu_parse_buf(&b);
    rb_buf_release(&b);
    return doc;
}

static const cJSON *object_by_id(const cJSON *doc, const char *id)
{
    const cJSON *o;
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(doc, "objects"))
    {
        const char *oid = tu_str_at(o, "id");
        if (oid && strcmp(oid, id) == 0)
            return o;
    }
    return NULL;
}

static const cJSON *only_of_type(const cJSON *doc, const char *type, int *count)
{
    const cJSON *found = NULL, *o;
    *count = 0;
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(doc, "objects"))
    {
        if (strcmp(tu_str_at(o, "type"), type) == 0) {
            found = o;
            (*count)++;
        }
    }
    return found;
}

static const cJSON *core_ext(const cJSON *doc)
{
    int n;
    const cJSON *inc = only_of_type(doc, "incident", &n);
    assert_int_equal(n, 1);
    const cJSON *ext = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(inc, "extensions"), STIX_INCIDENT_CORE);
    assert_non_null(ext);
    return ext;
}

/* The task of the bundle whose task_types[0] is type and name is name, or NULL. */
static const cJSON *task_named(const cJSON *doc, const char *name)
{
    const cJSON *o;
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(doc, "objects"))
    {
        if (strcmp(tu_str_at(o, "type"), "task") == 0 && strcmp(tu_str_at(o, "name"), name) == 0)
            return o;
    }
    return NULL;
}

TU_TEST(test_times)
{
    static const struct tu_str_row rows[] = {
        {"2026-01-02T03:04:05Z", "2026-01-02T03:04:05.000Z"},
        {"2026-01-02T08:04:05+05:00", "2026-01-02T03:04:05.000Z"},
        {"2026-01-02", "2026-01-02T00:00:00.000Z"},
        {"2026-01-02T03:04:05.789Z", "2026-01-02T03:04:05.000Z"},
        {"yesterday", NULL},
        {"", NULL},
        {NULL, NULL},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        char out[STIX_TIME_SIZE] = "";
        int rc = stix_time(rows[i].in, out);
        if (rows[i].out)
            ROW_CHECK(rc == 0 && strcmp(out, rows[i].out) == 0, "row %zu: %s -> %s", i, rows[i].in,
                      out);
        else
            ROW_CHECK(rc == RB_EINVAL, "row %zu is refused", i);
    }
}

TU_TEST(test_named_uuids)
{
    char a[37], b[37], c[37];
    stix_uuid_named(INC_ID "/task/detected", a);
    stix_uuid_named(INC_ID "/task/detected", b);
    stix_uuid_named(INC_ID "/task/reported", c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    for (const char *u = a; u; u = u == a ? c : NULL) {
        assert_true(rb_uuid_valid(u));
        assert_int_equal(u[14], '8');           /* version 8 */
        assert_non_null(strchr("89ab", u[19])); /* the RFC 4122 variant */
    }
}

TU_TEST(test_criticality)
{
    static const struct {
        const char *severity;
        int criticality;
    } rows[] = {
        {"emergency", 95}, {"severe", 80},  {"high", 60},   {"medium", 40},
        {"low", 20},       {"baseline", 5}, {"urgent", -1}, {NULL, -1},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++)
        ROW_CHECK(stix_criticality(rows[i].severity) == rows[i].criticality, "row %zu", i);
}

/* Every TLP level carries its TLP 2.0 marking object, exactly as published, and every other
 * object of the bundle points at it. */
TU_TEST(test_markings)
{
    static const struct {
        enum rb_tlp tlp;
        const char *id, *name, *value;
    } rows[] = {
        {TLP_CLEAR, "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "TLP:CLEAR",
         "clear"},
        {TLP_GREEN, "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "TLP:GREEN",
         "green"},
        {TLP_AMBER, "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "TLP:AMBER",
         "amber"},
        {TLP_AMBER_STRICT, "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
         "TLP:AMBER+STRICT", "amber+strict"},
        {TLP_RED, "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "TLP:RED", "red"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        struct stix_incident x = base_incident();
        x.tlp = rows[i].tlp;
        cJSON *doc = bundle_of(&x);
        int n;
        const cJSON *m = only_of_type(doc, "marking-definition", &n);
        ROW_CHECK(n == 1, "row %zu: one marking", i);
        char want[600];
        rb_fmt(want, sizeof(want),
               "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\",\"id\":\"%s\","
               "\"created\":\"2022-10-01T00:00:00.000Z\",\"name\":\"%s\",\"extensions\":{"
               "\"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d\":{"
               "\"extension_type\":\"property-extension\",\"tlp_2_0\":\"%s\"}}}",
               rows[i].id, rows[i].name, rows[i].value);
        cJSON *expect = cJSON_Parse(want);
        ROW_CHECK(cJSON_Compare(m, expect, true), "row %zu: the published %s object", i,
                  rows[i].name);
        cJSON_Delete(expect);
        const cJSON *o;
        cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(doc, "objects"))
        {
            if (o == m)
                continue;
            const cJSON *refs = cJSON_GetObjectItemCaseSensitive(o, "object_marking_refs");
            ROW_CHECK(cJSON_GetArraySize(refs) == 1 &&
                          strcmp(cJSON_GetArrayItem(refs, 0)->valuestring, rows[i].id) == 0,
                      "row %zu: %s is marked %s", i, tu_str_at(o, "id"), rows[i].name);
        }
        cJSON_Delete(doc);
    }
}

/* Each status: the extension's determination and investigation status, the criticality, and
 * which tasks there are (with what outcome). */
TU_TEST(test_statuses)
{
    static const struct {
        const char *status;
        bool contained, ended;
        const char *determination, *investigation;
        int criticality;
        const char *handling; /* the handling task's outcome */
        bool containment, eradication, recovery;
    } rows[] = {
        {"new", false, false, "suspected", "new", 80, "pending", false, false, false},
        {"triaged", false, false, "suspected", "open", 80, "ongoing", false, false, false},
        {"contained", true, false, "confirmed", "open", 80, "ongoing", true, false, false},
        {"eradicated", true, false, "confirmed", "open", 80, "ongoing", true, true, false},
        {"recovered", true, false, "confirmed", "open", 80, "ongoing", true, true, true},
        {"closed", true, true, "confirmed", "closed", 80, "successful", true, true, true},
        {"rejected", false, true, "false-positive", "closed", 0, "successful", false, false, false},
        {"merged", false, true, "suspected", "closed", 80, "cancelled", false, false, false},
        {"merged", true, true, "confirmed", "closed", 80, "cancelled", true, false, false},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        struct stix_incident x = base_incident();
        x.status = rows[i].status;
        if (strcmp(x.status, "new") == 0)
            x.acknowledged_at = NULL;
        x.contained_at = rows[i].contained ? "2026-03-01T12:00:00Z" : NULL;
        x.ended_at = rows[i].ended ? "2026-03-02T09:00:00Z" : NULL;
        cJSON *doc = bundle_of(&x);
        const cJSON *ext = core_ext(doc);
        ROW_CHECK(strcmp(tu_str_at(ext, "extension_type"), "property-extension") == 0, "row %zu",
                  i);
        ROW_CHECK(strcmp(tu_str_at(ext, "determination"), rows[i].determination) == 0,
                  "row %zu (%s): determination %s", i, rows[i].status,
                  tu_str_at(ext, "determination"));
        ROW_CHECK(strcmp(tu_str_at(ext, "investigation_status"), rows[i].investigation) == 0,
                  "row %zu: investigation_status", i);
        ROW_CHECK(cJSON_GetObjectItemCaseSensitive(ext, "criticality")->valueint ==
                      rows[i].criticality,
                  "row %zu: criticality", i);
        const cJSON *h = task_named(doc, "Handling by the CERT");
        ROW_CHECK(h && strcmp(tu_str_at(h, "outcome"), rows[i].handling) == 0,
                  "row %zu: handling %s", i, h ? tu_str_at(h, "outcome") : "missing");
        ROW_CHECK((task_named(doc, "Containment") != NULL) == rows[i].containment,
                  "row %zu: containment", i);
        ROW_CHECK((task_named(doc, "Eradication") != NULL) == rows[i].eradication,
                  "row %zu: eradication", i);
        ROW_CHECK((task_named(doc, "Recovery") != NULL) == rows[i].recovery, "row %zu: recovery",
                  i);
        if (rows[i].ended)
            ROW_CHECK(strcmp(tu_str_at(h, "end_time"), "2026-03-02T09:00:00.000Z") == 0,
                      "row %zu: the handling ends when the incident did", i);
        cJSON_Delete(doc);
    }
}

/* The incident itself: ids, times, names, the rsit label and the extension's other members;
 * the times as tasks; identities once per org; references that resolve. */
TU_TEST(test_incident_object)
{
    struct stix_incident x = base_incident();
    x.notified_at = "2026-03-03T09:00:00Z";
    cJSON *doc = bundle_of(&x);
    assert_string_equal(tu_str_at(doc, "type"), "bundle");
    assert_string_equal(tu_str_at(doc, "id"), "bundle--" BUNDLE);
    assert_null(cJSON_GetObjectItemCaseSensitive(doc, "spec_version")); /* not in 2.1 */
    int n;
    const cJSON *inc = only_of_type(doc, "incident", &n);
    assert_string_equal(tu_str_at(inc, "id"), "incident--" INC_ID);
    assert_string_equal(tu_str_at(inc, "spec_version"), "2.1");
    assert_string_equal(tu_str_at(inc, "created"), "2026-03-01T09:30:00.000Z");
    assert_string_equal(tu_str_at(inc, "modified"), "2026-03-02T10:00:00.000Z");
    assert_string_equal(tu_str_at(inc, "name"), "Ransomware on the \"HIS\" server");
    assert_string_equal(tu_str_at(inc, "description"), "Files encrypted.\nA note was left.");
    assert_string_equal(tu_str_at(inc, "created_by_ref"), "identity--" ORG_A);
    const cJSON *labels = cJSON_GetObjectItemCaseSensitive(inc, "labels");
    assert_int_equal(cJSON_GetArraySize(labels), 2);
    assert_string_equal(cJSON_GetArrayItem(labels, 0)->valuestring,
                        "rsit:malicious-code=\"infected-system\"");
    assert_string_equal(cJSON_GetArrayItem(labels, 1)->valuestring, "cii-involved");
    const cJSON *er =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(inc, "external_references"), 0);
    assert_string_equal(tu_str_at(er, "source_name"), "rabta");
    assert_string_equal(tu_str_at(er, "external_id"), "INC-000042");
    const cJSON *ext = core_ext(doc);
    const cJSON *types = cJSON_GetObjectItemCaseSensitive(ext, "incident_types");
    assert_int_equal(cJSON_GetArraySize(types), 1);
    assert_string_equal(cJSON_GetArrayItem(types, 0)->valuestring, "infected-by-known-malware");
    const cJSON *score = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(ext, "scores"), 0);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(score, "value")->valueint, 4);
    assert_int_equal(
        cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(ext, "impacted_entity_counts"), "organization")
            ->valueint,
        1);

    /* The reporter is the affected org: two identities, not three. */
    only_of_type(doc, "identity", &n);
    assert_int_equal(n, 2);
    const cJSON *cert = object_by_id(doc, "identity--" ORG_B);
    assert_string_equal(tu_str_at(cert, "name"), "Punjab CERT");
    assert_string_equal(tu_str_at(cert, "identity_class"), "organization");
    assert_string_equal(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cert, "sectors"), 0)->valuestring,
        "government");
    assert_string_equal(
        cJSON_GetArrayItem(
            cJSON_GetObjectItemCaseSensitive(object_by_id(doc, "identity--" ORG_A), "sectors"), 0)
            ->valuestring,
        "healthcare");

    /* The times, as the tasks the extension names. */
    const cJSON *det = task_named(doc, "Detection");
    assert_string_equal(tu_str_at(det, "start_time"), "2026-03-01T08:00:00.000Z");
    assert_string_equal(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(det, "task_types"), 0)->valuestring,
        "detected");
    assert_string_equal(tu_str_at(task_named(doc, "Report to the handling CERT"), "start_time"),
                        "2026-03-01T09:30:00.000Z");
    assert_string_equal(tu_str_at(task_named(doc, "Handling by the CERT"), "start_time"),
                        "2026-03-01T10:00:00.000Z");
    assert_string_equal(tu_str_at(task_named(doc, "Incident notification"), "start_time"),
                        "2026-03-03T09:00:00.000Z");
    assert_null(task_named(doc, "Final report"));
    const cJSON *entry;
    int ntasks = 0;
    cJSON_ArrayForEach(entry, cJSON_GetObjectItemCaseSensitive(ext, "tasks"))
    {
        const cJSON *t = object_by_id(doc, tu_str_at(entry, "task_ref"));
        ROW_CHECK(t && strcmp(tu_str_at(t, "type"), "task") == 0, "task_ref %s resolves",
                  tu_str_at(entry, "task_ref"));
        ntasks++;
    }
    only_of_type(doc, "task", &n);
    assert_int_equal(ntasks, n);

    /* Every *_ref resolves inside the bundle; every created <= modified. */
    const cJSON *o;
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(doc, "objects"))
    {
        const cJSON *m;
        cJSON_ArrayForEach(m, o)
        {
            size_t len = strlen(m->string);
            if (len > 4 && strcmp(m->string + len - 4, "_ref") == 0)
                ROW_CHECK(object_by_id(doc, m->valuestring), "%s.%s resolves", tu_str_at(o, "id"),
                          m->string);
        }
        const char *created = tu_str_at(o, "created"), *modified = tu_str_at(o, "modified");
        if (modified)
            ROW_CHECK(strcmp(created, modified) <= 0, "%s: created <= modified",
                      tu_str_at(o, "id"));
    }
    const cJSON *impacts = NULL, *contact = NULL;
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(doc, "objects"))
    {
        if (strcmp(tu_str_at(o, "type"), "relationship") != 0)
            continue;
        if (strcmp(tu_str_at(o, "relationship_type"), "impacts") == 0)
            impacts = o;
        if (strcmp(tu_str_at(o, "relationship_type"), "contact-for") == 0)
            contact = o;
    }
    assert_string_equal(tu_str_at(impacts, "source_ref"), "incident--" INC_ID);
    assert_string_equal(tu_str_at(impacts, "target_ref"), "identity--" ORG_A);
    assert_string_equal(tu_str_at(contact, "source_ref"), "identity--" ORG_B);
    assert_string_equal(tu_str_at(contact, "target_ref"), "incident--" INC_ID);
    cJSON_Delete(doc);

    /* Three distinct orgs: three identities. Exported again: the same ids inside. */
    x.affected.id = ORG_C;
    x.affected.name = "Lahore Water";
    x.affected.sector = "other";
    doc = bundle_of(&x);
    only_of_type(doc, "identity", &n);
    assert_int_equal(n, 3);
    assert_null(cJSON_GetObjectItemCaseSensitive(object_by_id(doc, "identity--" ORG_C), "sectors"));
    cJSON *again = bundle_of(&x);
    assert_true(cJSON_Compare(doc, again, true));
    cJSON_Delete(again);
    cJSON_Delete(doc);
}

/* An ENISA type with no event-type equivalent has no incident_types; the label stays. */
TU_TEST(test_incident_types)
{
    static const struct {
        const char *cls, *type, *event_type;
    } rows[] = {
        {"availability", "ddos", "denial-of-service"},
        {"fraud", "phishing", "aggregation-information-phishing-schemes"},
        {"intrusion-attempts", "brute-force", "brute-force-attempt"},
        {"vulnerable", "weak-crypto", NULL},
        {"test", "test", NULL},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        struct stix_incident x = base_incident();
        x.rsit_class = rows[i].cls;
        x.rsit_type = rows[i].type;
        cJSON *doc = bundle_of(&x);
        const cJSON *types = cJSON_GetObjectItemCaseSensitive(core_ext(doc), "incident_types");
        if (rows[i].event_type)
            ROW_CHECK(cJSON_GetArraySize(types) == 1 &&
                          strcmp(cJSON_GetArrayItem(types, 0)->valuestring, rows[i].event_type) ==
                              0,
                      "row %zu", i);
        else
            ROW_CHECK(types == NULL, "row %zu: no incident_types", i);
        cJSON_Delete(doc);
    }
}

/* Each name: the member spoilt, which the RB_EINVAL must name; "" spoils the cap instead, which
 * is RB_ETOOBIG naming none. */
TU_TEST(test_refusals)
{
    static const char *const fields[] = {"severity", "status", "id", "reported_at",
                                         "handler",  "tlp",    ""};
    for (size_t i = 0; i < RB_ARRAY_LEN(fields); i++) {
        struct stix_incident x = base_incident();
        const char *field = fields[i];
        int want = *field ? RB_EINVAL : RB_ETOOBIG;
        size_t cap = 1 << 20;
        if (strcmp(field, "severity") == 0)
            x.severity = "urgent";
        else if (strcmp(field, "status") == 0)
            x.status = "archived";
        else if (strcmp(field, "id") == 0)
            x.id = "INC-000042";
        else if (strcmp(field, "reported_at") == 0)
            x.reported_at = "last tuesday";
        else if (strcmp(field, "handler") == 0)
            x.handler.name = NULL;
        else if (strcmp(field, "tlp") == 0)
            x.tlp = TLP__COUNT;
        else
            cap = 200;
        rb_buf b;
        rb_buf_init(&b, cap);
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc = stix_incident_bundle(&x, BUNDLE, &b, &ei);
        ROW_CHECK(rc == want && strcmp(ei.field, field) == 0 && ei.msg[0],
                  "row %zu (%s): %d field %s: %s", i, *field ? field : "the cap", rc, ei.field,
                  ei.msg);
        rb_buf_release(&b);
    }
}

TU_MAIN({
    cmocka_unit_test(test_times),
    cmocka_unit_test(test_named_uuids),
    cmocka_unit_test(test_criticality),
    cmocka_unit_test(test_markings),
    cmocka_unit_test(test_statuses),
    cmocka_unit_test(test_incident_object),
    cmocka_unit_test(test_incident_types),
    cmocka_unit_test(test_refusals),
})
