/*
 * oscal_poam.c - OSCAL plans of action and milestones: the gaps of a reviewed self-assessment
 * (controls partially implemented, planned or not implemented) with the org's plan for each:
 * who owns it, by when, what the weakness is and what will be done (formats/oscal.h). How the
 * codec's files fit together is explained atop oscal_int.h.
 *
 * A gap is written as OSCAL relates the parts of a POA&M: the observation (the answer) and the
 * finding (the control's state) exactly as the assessment results write them, with the same
 * uuids, so a tool holding both documents sees the same objects; a risk that the finding
 * identifies, with the due date as its deadline and the plan as a planned remediation (a
 * milestone task on the due date); and the poam-item that ties them together, the weakness as
 * its description and rabta's facts (control, gap, answer, owner) as props in the deployment's
 * namespace.
 *
 * Written with the JSON writer straight into the caller's buffer; no allocation.
 *
 * Must never: make up a uuid or read the clock (the caller gives both), or build JSON by hand.
 */
#include "base/common.h"
#include "formats/oscal_int.h"
#include "json/json.h"

#define TITLE_MAX 600 /* "<label> <control title>" (FIELD_TITLE), or the document's title */
#define TEXT_MAX 900  /* a sentence naming an org (FIELD_NAME), a control and an answer */
#define DATE_MAX 32   /* "YYYY-MM-DDT23:59:59Z" */

/* The answers that are gaps, and how a sentence says each. */
static const char *const gaps[][3] = {
    {"partial", "partial", "partially implemented"},
    {"planned", "not-satisfied", "planned, not implemented yet"},
    {"not_implemented", "not-satisfied", "not implemented"},
};

static int gap_index(const char *status)
{
    for (size_t i = 0; status && i < RB_ARRAY_LEN(gaps); i++)
        if (strcmp(gaps[i][0], status) == 0)
            return (int)i;
    return -1;
}

const char *oscal_poam_gap(const char *answer_status)
{
    int g = gap_index(answer_status);
    return g < 0 ? NULL : gaps[g][1];
}

static const char *text(const char *s)
{
    return s ? s : "";
}

static const char *label_of(const struct oscal_result_item *it)
{
    return it->label ? it->label : it->control_id;
}

static bool has_plan(const struct oscal_poam_item *pi)
{
    return pi->owner || pi->due_date || pi->weakness;
}

static const char ssp_remarks[] =
    "rabta keeps no system security plan: what was assessed is the organization against the "
    "controls of the campaign's profile, resolved, which this href names.";

/* The end of the due day (UTC), the day the plan names: OSCAL wants a date-time. */
static void deadline(const struct oscal_poam_item *pi, char out[DATE_MAX])
{
    rb_fmt(out, DATE_MAX, "%.10sT23:59:59Z", text(pi->due_date));
}

/* The planned remediation: the weakness and what will be done, its milestone on the due date. */
static void write_remediation(rj_writer *w, const struct oscal_result_item *it,
                              const struct oscal_poam_item *pi)
{
    char title[TITLE_MAX];
    rjw_karr(w, "remediations");
    rjw_obj(w);
    rjw_kstr(w, "uuid", pi->remediation_uuid);
    rjw_kstr(w, "lifecycle", "planned");
    rb_fmt(title, sizeof(title), "Remediation of %s", label_of(it));
    rjw_kstr(w, "title", title);
    rjw_kstr(w, "description",
             pi->weakness ? pi->weakness
                          : "The organization has not described the remediation yet.");
    if (pi->due_date) {
        char due[DATE_MAX];
        deadline(pi, due);
        rjw_karr(w, "tasks");
        rb_fmt(title, sizeof(title), "%s remediated", label_of(it));
        oscal__open_milestone(w, pi->task_uuid, title,
                              "The remediation is due by the end of this day (UTC).", due);
        rjw_obj_end(w);
        rjw_arr_end(w);
    }
    rjw_obj_end(w);
    rjw_arr_end(w);
}

/* How a sentence says the answer of a gap ("partially implemented"). */
static const char *gap_words(const struct oscal_result_item *it)
{
    int g = gap_index(it->status);
    return g < 0 ? text(it->status) : gaps[g][2];
}

/* Opens the object of a risk or an item: its uuid, and "<label> <title>" as its title. */
static void write_head(rj_writer *w, const char *uuid, const struct oscal_result_item *it)
{
    char title[TITLE_MAX];
    rjw_obj(w);
    rjw_kstr(w, "uuid", uuid);
    rb_fmt(title, sizeof(title), "%s %s", label_of(it), text(it->title));
    rjw_kstr(w, "title", title);
}

/* The risk the gap leaves: open until the org plans, then remediating, due by its deadline. */
static void write_risk(rj_writer *w, const struct oscal_results *r,
                       const struct oscal_result_item *it, const struct oscal_poam_item *pi)
{
    char desc[TEXT_MAX];
    write_head(w, pi->risk_uuid, it);
    rb_fmt(desc, sizeof(desc),
           "%s assessed %s as %s (maturity %d of 5): what the control asks is not fully in "
           "place.",
           text(r->org_name), label_of(it), gap_words(it), it->maturity);
    rjw_kstr(w, "description", desc);
    rjw_kstr(w, "statement", it->statement ? it->statement : text(it->title));
    rjw_karr(w, "props");
    oscal__write_prop(w, "control-id", r->ns, it->control_id, NULL);
    rjw_arr_end(w);
    rjw_kstr(w, "status", has_plan(pi) ? "remediating" : "open");
    oscal__write_origin(w, r->org_uuid, "assessed-organization");
    if (pi->due_date) {
        char due[DATE_MAX];
        deadline(pi, due);
        rjw_kstr(w, "deadline", due);
    }
    if (has_plan(pi))
        write_remediation(w, it, pi);
    oscal__write_related(w, "related-observations", "observation-uuid", it->observation_uuid);
    rjw_obj_end(w);
}

/* The item: what is wrong and what will be done, who owns it, and what it rests on. */
static void write_item(rj_writer *w, const struct oscal_results *r,
                       const struct oscal_result_item *it, const struct oscal_poam_item *pi)
{
    char desc[TEXT_MAX];
    write_head(w, pi->item_uuid, it);
    if (pi->weakness) {
        rjw_kstr(w, "description", pi->weakness);
    } else {
        rb_fmt(desc, sizeof(desc), "%s is %s; no remediation is described yet.", label_of(it),
               gap_words(it));
        rjw_kstr(w, "description", desc);
    }
    rjw_karr(w, "props");
    oscal__write_prop(w, "control-id", r->ns, it->control_id, NULL);
    oscal__write_prop(w, "gap-status", r->ns, oscal_poam_gap(it->status), NULL);
    oscal__write_prop(w, "answer-status", r->ns, it->status, NULL);
    if (pi->owner)
        oscal__write_prop(w, "owner", r->ns, pi->owner, NULL);
    if (it->review)
        oscal__write_prop(w, "review", r->ns, it->review, NULL);
    rjw_arr_end(w);
    oscal__write_origin(w, r->org_uuid, "assessed-organization");
    oscal__write_related(w, "related-findings", "finding-uuid", it->finding_uuid);
    oscal__write_related(w, "related-observations", "observation-uuid", it->observation_uuid);
    oscal__write_related(w, "related-risks", "risk-uuid", pi->risk_uuid);
    rjw_obj_end(w);
}

static void write_observation(rj_writer *w, const struct oscal_results *r,
                              const struct oscal_result_item *it, const struct oscal_poam_item *pi)
{
    RB_UNUSED(pi);
    oscal__write_observation(w, r, it);
}

static void write_finding(rj_writer *w, const struct oscal_results *r,
                          const struct oscal_result_item *it, const struct oscal_poam_item *pi)
{
    RB_UNUSED(pi);
    oscal__write_finding(w, r, it);
}

/* The document's arrays, one entry per gap each, in the model's order. */
static const struct {
    const char *name;
    void (*write)(rj_writer *w, const struct oscal_results *r, const struct oscal_result_item *it,
                  const struct oscal_poam_item *pi);
} gap_arrays[] = {
    {"observations", write_observation},
    {"risks", write_risk},
    {"findings", write_finding},
    {"poam-items", write_item},
};

int oscal_poam_write(const struct oscal_poam *p, rb_buf *out)
{
    const struct oscal_results *r = p->assessment;
    int ngaps = 0;
    for (int i = 0; i < r->nitems; i++)
        ngaps += oscal_poam_gap(r->items[i].status) != NULL;
    if (ngaps == 0)
        return RB_EINVAL;
    char title[TITLE_MAX];
    rb_fmt(title, sizeof(title), "%s: %s, plan of action and milestones", text(r->campaign_title),
           text(r->org_name));
    struct oscal_party parties[2];
    struct oscal_meta m;
    oscal__results_meta(r, title, p->last_modified, parties, &m);
    rj_writer w;
    oscal__begin(&w, out, "plan-of-action-and-milestones", p->uuid, &m, "import-ssp", p->ssp_href,
                 ssp_remarks);
    /* The model's order: observations, risks, findings, poam-items; each for the gaps only. */
    for (size_t k = 0; k < RB_ARRAY_LEN(gap_arrays); k++) {
        rjw_key(&w, gap_arrays[k].name);
        rjw_arr(&w);
        for (int i = 0; i < r->nitems; i++)
            if (oscal_poam_gap(r->items[i].status))
                gap_arrays[k].write(&w, r, &r->items[i], &p->items[i]);
        rjw_arr_end(&w);
    }
    return oscal__end(&w);
}
