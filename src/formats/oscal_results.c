/*
 * oscal_results.c - OSCAL assessment results: a self-assessment written as one result with an
 * observation and a finding per control (formats/oscal.h). How the codec's files fit together
 * is explained atop oscal_int.h.
 *
 * Written with the JSON writer straight into the caller's buffer; no allocation. Texts made of
 * several fields are formatted into fixed buffers, cut on a character boundary.
 *
 * Must never: make up a uuid or read the clock (the caller gives both, so the output is a pure
 * function of its input), or build JSON by hand.
 */
#include "base/common.h"
#include "formats/oscal_int.h"
#include "json/json.h"

/* Text buffers, each with room for its fields and the words around them. */
#define TITLE_MAX 400       /* "<campaign>: <org>" */
#define DESCRIPTION_MAX 600 /* the result's description */
#define OBS_TITLE_MAX 200   /* "<label> self-assessment" */
#define OBS_TEXT_MAX 4200   /* status, maturity and a FIELD_NOTE evidence note */
#define FILE_TEXT_MAX 400   /* "<file> (<size> bytes, sha256 <hex>)" */
#define TARGET_MAX 96       /* "<control id>_smt" */

static const char *text(const char *s)
{
    return s ? s : "";
}

/* When the result starts and its observations were collected: the submission, else the last
 * change. */
static const char *collected(const struct oscal_results *r)
{
    return r->submitted_at ? r->submitted_at : r->updated_at;
}

void oscal__results_meta(const struct oscal_results *r, const char *title,
                         const char *last_modified, struct oscal_party parties[2],
                         struct oscal_meta *m)
{
    parties[0] = (struct oscal_party){r->org_uuid, r->org_name, "assessed-organization"};
    parties[1] = (struct oscal_party){r->reviewer_uuid, r->reviewer_name, "reviewing-cert"};
    *m = (struct oscal_meta){
        .title = title,
        .last_modified = last_modified ? last_modified : r->updated_at,
        .version = r->status,
        .marking = r->marking,
        .parties = parties,
        .nparties = r->reviewer_uuid ? 2 : 1,
    };
}

/* An actor of an origin: the party uuid playing role. */
void oscal__write_origin(rj_writer *w, const char *party, const char *role)
{
    rjw_karr(w, "origins");
    rjw_obj(w);
    rjw_karr(w, "actors");
    rjw_obj(w);
    rjw_kstr(w, "type", "party");
    rjw_kstr(w, "actor-uuid", party);
    rjw_kstr(w, "role-id", role);
    rjw_obj_end(w);
    rjw_arr_end(w);
    rjw_obj_end(w);
    rjw_arr_end(w);
}

/* The result's uuid, title, description, times, score and reviewed controls. */
static void write_result_head(rj_writer *w, const struct oscal_results *r)
{
    char desc[DESCRIPTION_MAX];
    rjw_kstr(w, "uuid", r->result_uuid);
    rjw_kstr(w, "title", "Self-assessment");
    rb_fmt(desc, sizeof(desc), "Self-assessment of %s in the campaign \"%s\" (status %s%s).",
           text(r->org_name), text(r->campaign_title), text(r->status),
           r->score >= 0 ? ", scored" : "");
    rjw_kstr(w, "description", desc);
    rjw_kstr(w, "start", collected(r));
    if (r->reviewed_at)
        rjw_kstr(w, "end", r->reviewed_at);
    rjw_karr(w, "props");
    oscal__write_prop(w, "assessment-status", r->ns, text(r->status), NULL);
    if (r->score >= 0) {
        char sc[32];
        rb_fmt(sc, sizeof(sc), "%.1f", r->score);
        oscal__write_prop(w, "preparedness-score", r->ns, sc, NULL);
    }
    rjw_arr_end(w);
    rjw_kobj(w, "reviewed-controls");
    rjw_karr(w, "control-selections");
    rjw_obj(w);
    rjw_karr(w, "include-controls");
    for (int i = 0; i < r->nitems; i++) {
        rjw_obj(w);
        rjw_kstr(w, "control-id", r->items[i].control_id);
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
    rjw_obj_end(w);
    rjw_arr_end(w);
    rjw_obj_end(w);
}

/* The answer to one control: status, maturity, evidence note and files. */
void oscal__write_observation(rj_writer *w, const struct oscal_results *r,
                              const struct oscal_result_item *it)
{
    char title[OBS_TITLE_MAX], desc[OBS_TEXT_MAX];
    rjw_obj(w);
    rjw_kstr(w, "uuid", it->observation_uuid);
    rb_fmt(title, sizeof(title), "%s self-assessment",
           text(it->label ? it->label : it->control_id));
    rjw_kstr(w, "title", title);
    rb_fmt(desc, sizeof(desc), "Status: %s. Maturity: %d of 5.%s%s",
           it->status ? it->status : "not answered", it->maturity,
           it->evidence ? " Evidence: " : "", text(it->evidence));
    rjw_kstr(w, "description", desc);
    if (it->status) {
        char mat[16];
        rb_fmt(mat, sizeof(mat), "%d", it->maturity);
        rjw_karr(w, "props");
        oscal__write_prop(w, "answer-status", r->ns, it->status, NULL);
        oscal__write_prop(w, "maturity", r->ns, mat, NULL);
        rjw_arr_end(w);
    }
    rjw_karr(w, "methods");
    rjw_str(w, "EXAMINE");
    rjw_arr_end(w);
    oscal__write_origin(w, r->org_uuid, "assessed-organization");
    rjw_karr(w, "subjects");
    rjw_obj(w);
    rjw_kstr(w, "subject-uuid", r->org_uuid);
    rjw_kstr(w, "type", "party");
    rjw_kstr(w, "title", r->org_name);
    rjw_obj_end(w);
    rjw_arr_end(w);
    if (it->nfiles > 0) {
        rjw_karr(w, "relevant-evidence");
        for (int k = 0; k < it->nfiles; k++) {
            const struct oscal_evidence *f = &it->files[k];
            char fd[FILE_TEXT_MAX];
            rb_fmt(fd, sizeof(fd), "%s (%" PRId64 " byte%s, sha256 %s)", text(f->filename), f->size,
                   f->size == 1 ? "" : "s", text(f->sha256));
            rjw_obj(w);
            rjw_kstr(w, "href", f->href);
            rjw_kstr(w, "description", fd);
            rjw_obj_end(w);
        }
        rjw_arr_end(w);
    }
    rjw_kstr(w, "collected", it->answered_at ? it->answered_at : collected(r));
    rjw_obj_end(w);
}

/* OSCAL's implementation-status state of an answer (NULL: none of OSCAL's says it). */
static const char *const impl_states[][2] = {
    {"implemented", "implemented"},
    {"partial", "partial"},
    {"planned", "planned"},
    {"not_applicable", "not-applicable"},
};

static const char *impl_state(const char *status)
{
    for (size_t i = 0; status && i < RB_ARRAY_LEN(impl_states); i++)
        if (strcmp(impl_states[i][0], status) == 0)
            return impl_states[i][1];
    return NULL;
}

/* The state of one answered control: satisfied when implemented or not applicable; the review
 * decision as a prop, the reviewing CERT as an origin and its comment as remarks. */
void oscal__write_finding(rj_writer *w, const struct oscal_results *r,
                          const struct oscal_result_item *it)
{
    bool na = it->status && strcmp(it->status, "not_applicable") == 0;
    bool ok = na || (it->status && strcmp(it->status, "implemented") == 0);
    char target[TARGET_MAX];
    rb_fmt(target, sizeof(target), "%s_smt", text(it->control_id));
    rjw_obj(w);
    rjw_kstr(w, "uuid", it->finding_uuid);
    rjw_kstr(w, "title", it->title);
    rjw_kstr(w, "description", it->statement ? it->statement : it->title);
    if (it->review) {
        rjw_karr(w, "props");
        oscal__write_prop(w, "review", r->ns, it->review, NULL);
        rjw_arr_end(w);
        if (r->reviewer_uuid)
            oscal__write_origin(w, r->reviewer_uuid, "reviewing-cert");
    }
    rjw_kobj(w, "target");
    rjw_kstr(w, "type", "statement-id");
    rjw_kstr(w, "target-id", target);
    rjw_kobj(w, "status");
    rjw_kstr(w, "state", ok ? "satisfied" : "not-satisfied");
    if (na)
        rjw_kstr(w, "reason", "not-applicable");
    rjw_obj_end(w);
    const char *impl = impl_state(it->status);
    if (impl) {
        rjw_kobj(w, "implementation-status");
        rjw_kstr(w, "state", impl);
        rjw_obj_end(w);
    }
    rjw_obj_end(w);
    oscal__write_related(w, "related-observations", "observation-uuid", it->observation_uuid);
    if (it->review_comment && it->review_comment[0])
        rjw_kstr(w, "remarks", it->review_comment);
    rjw_obj_end(w);
}

int oscal_results_write(const struct oscal_results *r, rb_buf *out)
{
    char title[TITLE_MAX];
    rb_fmt(title, sizeof(title), "%s: %s", text(r->campaign_title), text(r->org_name));
    struct oscal_party parties[2];
    struct oscal_meta m;
    oscal__results_meta(r, title, r->last_modified, parties, &m);
    rj_writer w;
    oscal__begin(&w, out, "assessment-results", r->uuid, &m, "import-ap", r->plan_href, NULL);
    rjw_key(&w, "results");
    rjw_arr(&w);
    rjw_obj(&w);
    write_result_head(&w, r);
    /* OSCAL arrays are never empty: before the first answer or file there is neither. A file
     * of a control not answered yet is observed evidence: an observation without a finding. */
    int answered = 0, observed = 0;
    for (int i = 0; i < r->nitems; i++) {
        answered += r->items[i].status != NULL;
        observed += r->items[i].status != NULL || r->items[i].nfiles > 0;
    }
    if (observed > 0) {
        rjw_key(&w, "observations");
        rjw_arr(&w);
        for (int i = 0; i < r->nitems; i++)
            if (r->items[i].status || r->items[i].nfiles > 0)
                oscal__write_observation(&w, r, &r->items[i]);
        rjw_arr_end(&w);
    }
    if (answered > 0) {
        rjw_key(&w, "findings");
        rjw_arr(&w);
        for (int i = 0; i < r->nitems; i++)
            if (r->items[i].status)
                oscal__write_finding(&w, r, &r->items[i]);
        rjw_arr_end(&w);
    }
    rjw_obj_end(&w);
    rjw_arr_end(&w);
    return oscal__end(&w);
}
