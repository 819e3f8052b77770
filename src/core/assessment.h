/*
 * assessment.h - one org's self-assessment against a campaign's profile, and its review.
 *
 * Owns assessments (with the per-domain scores kept at submission), assessment_answers,
 * assessment_events and assessment_poam (the org's plan for the gaps of a reviewed assessment,
 * core/assessment_poam.c; the internals both files share are in core/assessment_int.h).
 * Life: not_started -> draft (first save) -> submitted -> accepted (locked)
 *                                         -> returned (returned controls reopen) -> submitted ...
 * The assessed org's reporters (and analysts, admins) fill and submit; the org's parent CERT's
 * analysts review per control (accept, or return with a comment). Every step is one transaction
 * with an audit entry and an entry in the assessment's own history. Reads follow the sharing
 * policy (AMBER+STRICT, granted to every CERT above the org): another org gets RB_ENOTFOUND.
 */
#ifndef RABTA_ASSESSMENT_H
#define RABTA_ASSESSMENT_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/mem.h"
#include "core/actor.h"
#include "db/db.h"


/* Evidence notes and review comments are FIELD_NOTE each (json/field.h) and together at most: */
#define ASSESSMENT_EVIDENCE_TOTAL_MAX (2 * 1024 * 1024)
#define ASSESSMENT_COMMENTS_TOTAL_MAX (1024 * 1024)

typedef struct rb_assessment {
    char *id, *campaign_id, *campaign_title, *catalog_id, *org_id, *org_name, *parent_id,
        *status, *tlp, *due_date, *submitted_at, *reviewed_at, *updated_at;
    char *profile_id; /* the campaign's */
    double score; /* -1 until submitted */
    int answered, total;
    bool campaign_closed; /* a closed campaign's assessments no longer change */
} rb_assessment;

/* One control of the assessment with its answer and review (answer fields unset when absent). */
typedef struct rb_assessment_item {
    int idx;
    char *control_id, *label, *title, *statement, *guidance, *domain_id, *domain_title;
    double weight;
    bool answered;
    char *status, *evidence, *review, *review_comment;
    char *answered_at; /* when the answer was last saved */
    int maturity;
    int domain_idx; /* the control's domain group idx in the catalog; -1: none */
} rb_assessment_item;

struct assessment_filter {
    const char *campaign_id, *org_id, *status;
    const char *reviewer; /* assessments of the orgs whose parent CERT is this org */
    const char *after_id; /* cursor */
    int limit;
};

int assessment_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                   rb_assessment *out);
/* Readable assessments, most recently updated first. */
int assessment_list(rb_db *db, const rb_actor *actor, const struct assessment_filter *f,
                    rb_arena *a, rb_assessment **out, int *n, bool *more);
/* Every control of the assessment's profile, in catalog order, with answers. */
int assessment_items(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                     rb_assessment_item **out, int *n);

struct answer_input {
    const char *control_id;
    int status;   /* enum rb_answer_status */
    int maturity; /* 0..5 */
    const char *evidence;
};
/* Saves answers as a draft. RB_EPERM (not the org's reporter), RB_ECONFLICT (not editable in this
 * state, or the control was accepted), RB_EINVAL (field "answers[i].<member>"). */
int assessment_save(rb_db *db, const rb_actor *actor, rb_arena *a, const char *id,
                    const struct answer_input *in, int n, rb_errinfo *ei);
/* Submits a fully answered assessment and scores it. */
int assessment_submit(rb_db *db, const rb_actor *actor, rb_arena *a, const char *id,
                      rb_errinfo *ei);

struct review_input {
    const char *control_id;
    bool accept;
    const char *comment; /* required to return */
};
/* The parent CERT reviews controls of a submitted assessment. When every control is reviewed the
 * assessment becomes accepted (all accepted) or returned (any returned). */
int assessment_review(rb_db *db, const rb_actor *actor, rb_arena *a, const char *id,
                      const struct review_input *in, int n, rb_errinfo *ei);

#define ATTACHMENT_MAX_BYTES (5 * 1024 * 1024)
#define ATTACHMENT_MAX_PER_CONTROL 10

typedef struct rb_attachment {
    char *id, *control_id, *filename, *content_type, *sha256, *created_by, *created_at;
    int64_t size;
} rb_attachment;

/* Attaches an evidence file to one control of an editable assessment (same rules as saving an
 * answer). The file name is reduced to its last path component; control characters are refused.
 * Errors: RB_ETOOBIG (over ATTACHMENT_MAX_BYTES), RB_EINVAL (field named), RB_EPERM, RB_ECONFLICT
 * (not editable, control accepted, too many files). */
int assessment_attach(rb_db *db, const rb_actor *actor, rb_arena *a, const char *id,
                      const char *control_id,
                      const char *filename, const char *content_type, const void *data,
                      size_t len, char out_id[RB_ID_SIZE], rb_errinfo *ei);
/* Metadata of every attachment of a readable assessment, by control then time. */
int assessment_attachments(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                           rb_attachment **out, int *n);
/* One attachment with its bytes (copied into the arena). */
int assessment_attachment(rb_db *db, const rb_actor *actor, const char *id, const char *att_id,
                          rb_arena *a, rb_attachment *meta, const void **data);

typedef struct rb_assessment_event {
    char *at, *actor, *action, *control_id, *comment;
} rb_assessment_event;
int assessment_history(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                       rb_assessment_event **out, int *n);

/* OSCAL assessment-results JSON (formats/oscal.h, oscal_results_write): per answered control a
 * finding (satisfied when implemented or not applicable, else not-satisfied; the review decision)
 * and its observation (status, maturity, evidence), props in the deployment's namespace; the
 * assessed org and its parent CERT as parties; the assessment's TLP as the marking; import-ap the
 * campaign's assessment plan. Its uuids are assessment_oscal_uuid's, so every export of an
 * assessment names its results, observations and findings alike; last-modified is the latest
 * change (a state, an answer, a file). RB_ENOTFOUND when the actor may not read it. */
int assessment_export_oscal(rb_db *db, const rb_actor *actor, const char *id, rb_buf *out);
/* The uuid an OSCAL export gives `what` ("result", "observation", "finding", "poam-item") of
 * assessment_id (part: the control id, or NULL): rb_uuid_v5 in OSCAL_UUID_NS of
 * "assessment/<id>/<what>[/<part>]". Returns 0 or RB_EINVAL. */
int assessment_oscal_uuid(const char *assessment_id, const char *what, const char *part,
                          char out[RB_ID_SIZE]);

/* How the API shows an assessment, and one item of it: the control, and its answer as an object
 * (null when not answered yet). Written with rjw_record (json/json.h). */
extern const struct rb_record assessment_record, assessment_item_record;
/* How the API shows an attachment's metadata and a step of the history (rjw_record). */
extern const struct rb_record assessment_attachment_record, assessment_event_record;

/* ---- the plan of action and milestones (core/assessment_poam.c, decision 74) ---- */

/* The assessed org's plan for one gap of its reviewed assessment. Each member is NULL (or
 * blank) to clear it: owner FIELD_NAME (a person or a role), due_date "YYYY-MM-DD", weakness
 * FIELD_NOTE (what is wrong and what will be done). */
struct poam_input {
    const char *owner, *due_date, *weakness;
};
typedef struct rb_poam_plan {
    char *control_id, *owner, *due_date, *weakness, *updated_at;
    int idx; /* the control's place in the catalog */
} rb_poam_plan;

/* Sets (replaces) the plan of control_id, or clears it when all three are unset; one write with
 * a history event ("plan set", "plan cleared") and the audit entry "assessment.poam". Who: the
 * assessed org's reporters, analysts and admins (RB_EPERM), also once the campaign is closed.
 * RB_ENOTFOUND (not readable; or field "control_id": no such control), RB_ECONFLICT (field
 * "status": the assessment is not reviewed, i.e. neither accepted nor returned; field
 * "control_id": the control is not a gap), RB_EINVAL (the member named). */
int assessment_poam_set(rb_db *db, const rb_actor *actor, rb_arena *a, const char *id,
                        const char *control_id, const struct poam_input *in, rb_errinfo *ei);
/* The plans set on a readable assessment, in catalog order (cleared ones left out). */
int assessment_poam_list(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                         rb_poam_plan **out, int *n);
/* The assessment's gaps and plans as an OSCAL plan-of-action-and-milestones (formats/oscal.h,
 * oscal_poam_write): its observations and findings as the results have them, a risk per gap
 * (the due date its deadline, the plan a planned remediation), a poam-item per gap naming the
 * control, its gap status, the weakness and the owner; the uuids assessment_oscal_uuid's
 * ("poam", and per control "risk", "remediation", "milestone", "poam-item"); last-modified the
 * latest change of the assessment or of a plan. RB_ENOTFOUND when the actor may not read it;
 * RB_ECONFLICT (ei says why) when it is not reviewed or has no gap. */
int assessment_export_poam(rb_db *db, const rb_actor *actor, const char *id, rb_buf *out,
                           rb_errinfo *ei);
/* How the API shows a plan (rjw_record). */
extern const struct rb_record assessment_poam_record;

#endif
