/*
 * assessment_int.h - what the files of the assessment module share. Not for use outside
 * src/core/assessment*.c: the public API is core/assessment.h.
 *
 *   assessment.c        filling, submitting, reviewing, evidence files, the results export.
 *   assessment_poam.c   the org's plan for the gaps of a reviewed assessment, and its POA&M
 *                       export (OSCAL plan-of-action-and-milestones).
 *
 * Both exports start from the same gathering of the assessment (assessment__oscal): the
 * assessment read through the policy, its controls and answers, its files, the deployment's
 * namespace, its reviewing CERT, and the OSCAL results struct with every uuid derived.
 */
#ifndef RABTA_ASSESSMENT_INT_H
#define RABTA_ASSESSMENT_INT_H

#include "core/assessment.h"
#include "formats/oscal.h"

/* The arena an export gathers in (its own: released when the document is written). */
#define ASSESSMENT_EXPORT_ARENA ((size_t)64 << 20)

/* An assessment as the OSCAL exports write it. */
struct assessment_oscal {
    rb_assessment x;           /* read through the policy */
    rb_assessment_item *items; /* every control, in catalog order */
    int nitems;
    struct oscal_results r; /* r.items parallel to items; everything it points to lives in a */
};

/* Gathers assessment id for an export (everything in a). Returns 0; RB_ENOTFOUND when the actor
 * may not read it; RB_ENOMEM; RB_EDB. */
int assessment__oscal(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                      struct assessment_oscal *out);

/* True when actor may write for the assessed org of x: its reporters, analysts and admins. */
bool assessment__by_assessed_org(const rb_actor *actor, const rb_assessment *x);

/* The later of two RFC 3339 times as rabta writes them (one format: they sort as text); either
 * may be NULL. */
static inline const char *assessment__later(const char *a, const char *b)
{
    return !a ? b : !b ? a : strcmp(a, b) >= 0 ? a : b;
}

#endif
