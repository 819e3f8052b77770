/*
 * campaign.h - assessment campaigns and preparedness roll-ups.
 *
 * A CERT's analyst launches a campaign for a profile over the CERT's own subtree (optionally
 * narrowed by kind, province, sector) with a due date; one assessment is created for every org
 * below the CERT to which the profile applies. A campaign is AMBER, granted to the launching CERT's
 * subtree and to each CERT above it. Assessments are AMBER+STRICT, owned by the assessed org and
 * granted to every CERT above it (oversight is the purpose). Roll-ups count only assessments the
 * viewer may read.
 */
#ifndef RABTA_CAMPAIGN_H
#define RABTA_CAMPAIGN_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/mem.h"
#include "core/actor.h"
#include "core/score.h"
#include "core/write.h"
#include "db/db.h"

typedef struct rb_campaign {
    char *id, *profile_id, *profile_title, *catalog_id, *title, *owner_org, *owner_name, *tlp,
        *status, *due_date, *filter_kind, *filter_province, *filter_sector, *created_at;
    int assessments; /* the assessments the viewer may read (DESIGN §5: counts follow the policy) */
    int64_t seq;     /* launch order */
} rb_campaign;

struct campaign_input {
    const char *profile_id, *title, *due_date; /* due_date "YYYY-MM-DD" */
    const char *kind, *province, *sector;      /* optional narrowing */
};

/* Launches a campaign and creates its assessments, all in one transaction with the audit entries.
 * Errors: RB_EINVAL (field named; also when no org in the subtree is applicable), RB_ENOTFOUND
 * (profile), RB_EPERM (not an analyst/admin of a CERT). *created gets the number of assessments. */
int campaign_launch(rb_db *db, const rb_actor *actor, rb_arena *a,
                    const struct campaign_input *in,
                    char out_id[RB_ID_SIZE], int *created, rb_errinfo *ei);

/* What a launch with `in` would do, without doing it (in->title and due_date are not read):
 * *orgs is the number of assessments it would create. Returns 0, or what the launch would be
 * refused with (RB_EINVAL naming profile_id when no org qualifies or an org it reaches may not
 * read the catalog; RB_ENOTFOUND; RB_EPERM). */
int campaign_reach(rb_db *db, const rb_actor *actor, rb_arena *a, const struct campaign_input *in,
                   int *orgs, rb_errinfo *ei);

/* Inside w, after a change of the catalog's TLP (its profiles followed): refuses it unless every
 * org that a campaign over one of its profiles reaches (the launching CERT's subtree and the CERTs
 * above it) may still read the catalog and the profile, the rule a launch obeys. RB_EINVAL, field
 * "tlp", naming the first campaign and org that would see the text without the right to. */
int campaign_check_reach(rb_write *w, const char *catalog_id, rb_errinfo *ei);

int campaign_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_campaign *out);
/* Closes an open campaign (its launching CERT's analysts and admins): its assessments no longer
 * change (saves, submissions, reviews and files are refused with RB_ECONFLICT). RB_ECONFLICT when
 * already closed; RB_EPERM for anyone else who can read it. What it reads lives in a. */
int campaign_close(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_errinfo *ei);
/* Readable campaigns, newest first; profile_id (may be NULL) narrows to one profile's. */
int campaign_list(rb_db *db, const rb_actor *actor, const char *after_id, const char *profile_id,
                  int limit, rb_arena *a, rb_campaign **out, int *n, bool *more);

struct rollup_group {
    char *key;   /* province / sector code, domain id */
    char *title; /* display name (domains) */
    int n;
    double mean;
};

struct rollup_org {
    char *assessment_id, *org_id, *org_name, *status, *province, *sector;
    double score; /* -1 when not scored */
    bool overdue;
};

struct rollup {
    int assessments;  /* readable assessments in the campaign (and under root) */
    int submitted;    /* of which submitted or accepted (stats.n counts those with a score) */
    int accepted;
    struct score_stats stats;
    struct rollup_group *by_province, *by_sector, *by_domain;
    int nprovince, nsector, ndomain;
    struct rollup_org *pending; /* not submitted (overdue flagged), by org name */
    int npending;
    int overdue;
};

/* The campaign's roll-up over the assessments the actor may read, under `root` when given (an org
 * id: that org's subtree). */
int campaign_rollup(rb_db *db, const rb_actor *actor, const char *id, const char *root,
                    rb_arena *a, struct rollup *out);

struct gap_row {
    char *id, *title, *domain; /* control or domain */
    char *label;               /* a control's catalog label ("SC-4"; the id in capitals when the
                                  catalog gives none, as the pages show it); NULL for a domain */
    int n;                     /* scored assessments that answered it applicably */
    double mean;               /* mean control score 0..100 */
    int not_implemented;       /* answers not_implemented or planned */
};

/* The weakest controls (at most limit) and every domain, ascending by mean score. */
int campaign_gaps(rb_db *db, const rb_actor *actor, const char *id, const char *root, int limit,
                  rb_arena *a, struct gap_row **controls, int *ncontrols, struct gap_row **domains,
                  int *ndomains);

/* The title and the catalog of a campaign the actor may read, without the counts campaign_get
 * makes (for reports that walk its assessments themselves). Texts in the arena. RB_ENOTFOUND when
 * the actor may not read it, RB_EDB. */
int campaign_head(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, char **title,
                  char **catalog_id);

/* Calls fn once per readable scored assessment (submitted or accepted) of campaign id under
 * root (NULL: all), in org-name order: the org, its name and province, and its score per domain
 * (score[d] for the catalog group of idx d, 0..100; -1 where it scored nothing). Texts live until
 * fn returns. A non-zero result of fn stops the walk and is returned; else 0 or RB_EDB. The
 * caller has checked that the actor may read the campaign (campaign_get). */
typedef int (*campaign_org_scores_fn)(void *ctx, const char *org_id, const char *org_name,
                                      const char *province, const double *score);
int campaign_each_org_scores(rb_db *db, const rb_actor *actor, const char *id, const char *root,
                             campaign_org_scores_fn fn, void *ctx);

struct trend_point {
    char *campaign_id, *title, *created_at;
    int submitted;
    double mean;
};

/* Mean score per campaign of a profile (oldest first, at most TREND_MAX), over readable
 * assessments. */
#define TREND_MAX 200
int campaign_trend(rb_db *db, const rb_actor *actor, const char *profile_id, const char *root,
                   rb_arena *a, struct trend_point **out, int *n);

/* The campaign as an OSCAL assessment-plan (formats/oscal.h, oscal_plan_write): its profile's
 * controls (import-ssp names the profile resolved: rabta keeps no SSP), the orgs in scope whose
 * assessments the actor may read as parties and subjects, the launching CERT, the due date as a
 * milestone, the campaign's TLP as the marking. RB_ENOTFOUND when the actor may not read it. */
int campaign_export_oscal(rb_db *db, const rb_actor *actor, const char *id, rb_buf *out);

/* How the API shows a campaign and a point of a trend (rjw_record, json/json.h). */
extern const struct rb_record campaign_record, trend_point_record;
struct rj_writer;
void rollup_write_json(struct rj_writer *w, const struct rollup *r);

#endif
