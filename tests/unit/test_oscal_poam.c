/*
 * test_oscal_poam.c - src/formats/oscal_poam: a reviewed self-assessment's gaps and the org's
 * plan for them written as an OSCAL plan-of-action-and-milestones. Which answers are gaps; one
 * observation, risk, finding and poam-item per gap and none for the others, in the model's order;
 * the plan where it is set (owner prop, weakness, deadline, remediation and milestone) and its
 * absence where it is not; the same uuids as the results; a pure function of the struct; no
 * document at all without a gap.
 */
#include "base/common.h"
#include "base/buf.h"
#include "formats/oscal.h"
#include "json/json.h"

#include "oscal_sample.h"
#include "test_util.h"

#define P_ID "1c8d5a9e-3f0b-5d2a-9e47-0b6a1f2c3d4e"
#define U(n) "00000000-0000-4000-8000-0000000000" n

/* Four controls: implemented (no gap), partial with a full plan, not implemented with nothing
 * planned, planned with only an owner. */
static const struct oscal_result_item items[] = {
    {.control_id = "gv-1",
     .label = "GV-1",
     .title = "Policy",
     .status = "implemented",
     .maturity = 4,
     .review = "accepted",
     .observation_uuid = U("01"),
     .finding_uuid = U("f1")},
    {.control_id = "iam-2",
     .label = "IAM-2",
     .title = "Multi-Factor Authentication",
     .statement = "Use MFA.",
     .status = "partial",
     .maturity = 2,
     .review = "accepted",
     .observation_uuid = U("02"),
     .finding_uuid = U("f2")},
    {.control_id = "ir-3",
     .title = "Incident drills",
     .status = "not_implemented",
     .maturity = 0,
     .observation_uuid = U("03"),
     .finding_uuid = U("f3")},
    {.control_id = "br-2",
     .label = "BR-2",
     .title = "Backups",
     .status = "planned",
     .maturity = 1,
     .review = "returned",
     .review_comment = "Name the vendor.",
     .observation_uuid = U("04"),
     .finding_uuid = U("f4")},
};

static const struct oscal_poam_item plans[] = {
    {0},
    {.owner = "Head of IT",
     .due_date = "2027-06-30",
     .weakness = "MFA covers e-mail only; the VPN follows.",
     .risk_uuid = U("a2"),
     .remediation_uuid = U("b2"),
     .task_uuid = U("c2"),
     .item_uuid = U("d2")},
    {.risk_uuid = U("a3"), .remediation_uuid = U("b3"), .task_uuid = U("c3"), .item_uuid = U("d3")},
    {.owner = "IT manager",
     .risk_uuid = U("a4"),
     .remediation_uuid = U("b4"),
     .task_uuid = U("c4"),
     .item_uuid = U("d4")},
};

/* The value of the prop named name in obj's props, or NULL. */
static const char *prop(const cJSON *obj, const char *name)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, tu_at(obj, "props"))
    {
        if (strcmp(tu_str_at(p, "name"), name) == 0)
            return tu_str_at(p, "value");
    }
    return NULL;
}

static cJSON *written(const struct oscal_poam *p, rb_buf *b)
{
    rb_buf_init(b, 1 << 20);
    assert_int_equal(oscal_poam_write(p, b), 0);
    return tu_parse_buf(b);
}

/* Each row: an answer's status and the gap it is in the POA&M (NULL: none). */
TU_TEST(test_gaps)
{
    static const struct tu_str_row rows[] = {
        {"partial", "partial"},
        {"planned", "not-satisfied"},
        {"not_implemented", "not-satisfied"},
        {"implemented", NULL},
        {"not_applicable", NULL},
        {NULL, NULL},
        {"not-implemented", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        const char *g = oscal_poam_gap(rows[i].in);
        ROW_CHECK((g == NULL) == (rows[i].out == NULL) && (!g || strcmp(g, rows[i].out) == 0),
                  "row %zu (%s): got %s", i, rows[i].in ? rows[i].in : "NULL",
                  g ? g : "NULL");
    }
}

TU_TEST(test_document)
{
    struct oscal_results r = tu_oscal_sample(items, 4, 50);
    const struct oscal_poam p = {.uuid = P_ID,
                                 .assessment = &r,
                                 .items = plans,
                                 .last_modified = "2026-03-05T12:00:00Z",
                                 .ssp_href = "/api/v1/profiles/p1/resolved"};
    rb_buf b;
    cJSON *doc = written(&p, &b);
    const cJSON *pm = tu_at(doc, "plan-of-action-and-milestones");
    assert_non_null(pm);
    /* The model's order of members. */
    static const char *const keys[] = {"uuid",  "metadata", "import-ssp", "observations",
                                       "risks", "findings", "poam-items", NULL};
    tu_check_keys(pm, "plan-of-action-and-milestones", keys);
    assert_string_equal(tu_str_at(pm, "uuid"), P_ID);
    const cJSON *meta = tu_at(pm, "metadata");
    assert_string_equal(tu_str_at(meta, "last-modified"), "2026-03-05T12:00:00Z");
    assert_string_equal(tu_str_at(meta, "title"),
                        "Punjab essentials: Punjab Health, plan of action and milestones");
    assert_string_equal(prop(meta, "marking"), "TLP:AMBER+STRICT");
    assert_int_equal(cJSON_GetArraySize(tu_at(meta, "parties")), 2);
    assert_string_equal(tu_str_at(tu_at(pm, "import-ssp"), "href"), "/api/v1/profiles/p1/resolved");

    /* Three gaps in each array; the implemented control is in none. */
    static const char *const arrays[] = {"observations", "risks", "findings", "poam-items"};
    for (size_t k = 0; k < RB_ARRAY_LEN(arrays); k++)
        ROW_CHECK(cJSON_GetArraySize(tu_at(pm, arrays[k])) == 3, "%s: %d entries", arrays[k],
                  cJSON_GetArraySize(tu_at(pm, arrays[k])));
    const cJSON *obs = tu_at(pm, "observations"), *fnd = tu_at(pm, "findings");
    assert_string_equal(tu_str_at(cJSON_GetArrayItem(obs, 0), "uuid"), U("02"));
    assert_string_equal(tu_str_at(cJSON_GetArrayItem(fnd, 2), "uuid"), U("f4"));
    assert_string_equal(tu_str_at(tu_at(cJSON_GetArrayItem(fnd, 0), "target"), "target-id"),
                        "iam-2_smt");

    /* The planned gap: owner, weakness, deadline, remediation, milestone. */
    const cJSON *risk = cJSON_GetArrayItem(tu_at(pm, "risks"), 0);
    const cJSON *item = cJSON_GetArrayItem(tu_at(pm, "poam-items"), 0);
    const struct tu_str_row head[] = {
        {"uuid", U("d2")},
        {"title", "IAM-2 Multi-Factor Authentication"},
        {"description", "MFA covers e-mail only; the VPN follows."},
    };
    tu_check_strs(item, head, RB_ARRAY_LEN(head));
    assert_string_equal(prop(item, "control-id"), "iam-2");
    assert_string_equal(prop(item, "gap-status"), "partial");
    assert_string_equal(prop(item, "answer-status"), "partial");
    assert_string_equal(prop(item, "owner"), "Head of IT");
    assert_string_equal(tu_str_at(cJSON_GetArrayItem(tu_at(item, "props"), 0), "ns"), SAMPLE_NS);
    assert_string_equal(tu_str_at(cJSON_GetArrayItem(tu_at(item, "related-risks"), 0), "risk-uuid"),
                        U("a2"));
    assert_string_equal(
        tu_str_at(cJSON_GetArrayItem(tu_at(item, "related-findings"), 0), "finding-uuid"), U("f2"));
    assert_string_equal(tu_str_at(risk, "status"), "remediating");
    assert_string_equal(tu_str_at(risk, "deadline"), "2027-06-30T23:59:59Z");
    assert_string_equal(tu_str_at(risk, "statement"), "Use MFA.");
    const cJSON *rem = cJSON_GetArrayItem(tu_at(risk, "remediations"), 0);
    assert_string_equal(tu_str_at(rem, "lifecycle"), "planned");
    const cJSON *task = cJSON_GetArrayItem(tu_at(rem, "tasks"), 0);
    assert_string_equal(tu_str_at(task, "type"), "milestone");
    assert_string_equal(tu_str_at(tu_at(tu_at(task, "timing"), "on-date"), "date"),
                        "2027-06-30T23:59:59Z");

    /* Nothing planned: open, no deadline, no remediation, no owner; a description still. */
    risk = cJSON_GetArrayItem(tu_at(pm, "risks"), 1);
    item = cJSON_GetArrayItem(tu_at(pm, "poam-items"), 1);
    assert_string_equal(tu_str_at(risk, "status"), "open");
    assert_null(tu_at(risk, "deadline"));
    assert_null(tu_at(risk, "remediations"));
    assert_null(prop(item, "owner"));
    assert_string_equal(prop(item, "gap-status"), "not-satisfied");
    assert_string_equal(tu_str_at(item, "title"), "ir-3 Incident drills");
    assert_string_equal(tu_str_at(item, "description"),
                        "ir-3 is not implemented; no remediation is described yet.");
    /* Only an owner: remediating, a remediation without tasks, the review as a prop. */
    risk = cJSON_GetArrayItem(tu_at(pm, "risks"), 2);
    item = cJSON_GetArrayItem(tu_at(pm, "poam-items"), 2);
    assert_string_equal(tu_str_at(risk, "status"), "remediating");
    assert_null(tu_at(risk, "deadline"));
    assert_null(tu_at(cJSON_GetArrayItem(tu_at(risk, "remediations"), 0), "tasks"));
    assert_string_equal(prop(item, "owner"), "IT manager");
    assert_string_equal(prop(item, "review"), "returned");
    cJSON_Delete(doc);

    /* Pure: the same struct gives the same bytes. */
    rb_buf again;
    cJSON_Delete(written(&p, &again));
    assert_int_equal(again.len, b.len);
    assert_memory_equal(again.ptr, b.ptr, b.len);
    rb_buf_release(&again);
    /* A cap too small is RB_ETOOBIG. */
    rb_buf small;
    rb_buf_init(&small, 512);
    assert_int_equal(oscal_poam_write(&p, &small), RB_ETOOBIG);
    rb_buf_release(&small);
    rb_buf_release(&b);
}

TU_TEST(test_no_gap)
{
    struct oscal_results r = tu_oscal_sample(items, 4, 50);
    r.nitems = 1; /* only the implemented control */
    const struct oscal_poam p = {.uuid = P_ID,
                                 .assessment = &r,
                                 .items = plans,
                                 .last_modified = "2026-03-05T12:00:00Z",
                                 .ssp_href = "x"};
    rb_buf b;
    rb_buf_init(&b, 1 << 16);
    assert_int_equal(oscal_poam_write(&p, &b), RB_EINVAL);
    assert_int_equal(b.len, 0);
    rb_buf_release(&b);
}

TU_MAIN({
    cmocka_unit_test(test_gaps),
    cmocka_unit_test(test_document),
    cmocka_unit_test(test_no_gap),
})
