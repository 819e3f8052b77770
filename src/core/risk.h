/*
 * risk.h - each org's risk register, the one risk matrix every risk is levelled on, and the
 * heat-map roll-up over a CERT's constituency.
 *
 * Owns the risks, risk_controls and risk_matrix tables (src/db/migrations/0010_risks.sql). The
 * object of kind_risk (core/kind.h) is one risk: AMBER+STRICT by default, granted to the owner's
 * parent CERT (scope org) when it is recorded; everyone else gets RB_ENOTFOUND.
 *
 * A risk. Title (FIELD_TITLE, required), description (FIELD_PROSE), category (risk_category_names),
 * likelihood and impact (1..size of the matrix, required), the residual likelihood and impact once
 * treated (the same range; the inherent ones when not given; the residual score may not pass the
 * inherent one), a treatment (mitigate, accept, transfer, avoid; mitigate when not given) with its
 * owner (a person, FIELD_NAME), due date and status, the linked guideline controls, and a review
 * date (one year after it is recorded when not given). Dates are "YYYY-MM-DD".
 *
 * Scores and levels. score = likelihood x impact, for the inherent and the residual pair. The
 * level of a score is the matrix's band it falls in: low from 1, medium, high and critical from
 * their minimum scores (default 5x5: medium 5, high 10, critical 15). Levels are never stored:
 * every answer computes them from the matrix it reads, so a change of bands re-levels every risk
 * at once and consistently (risk_matrix_set says how many changed level).
 *
 * Status. open -> in_progress -> done, and closed (no longer a risk; it leaves the heat map) from
 * any; a closed risk may be opened again. "accepted" only through risk_accept: accepting needs an
 * admin of the owner org (PERM_RISK_ACCEPT) and a reason, sets the treatment to accept and is
 * audited (risk.accept); a change of treatment afterwards withdraws the acceptance. A treatment is
 * overdue when its status is open or in_progress and its due date has passed; a review is overdue
 * when the risk is not closed and its review date has passed.
 *
 * Linked controls. control_ids name controls (OSCAL ids) of one guideline catalog: the one named
 * by catalog_id, or else the national guideline (the newest catalog owned by the national root
 * that the actor may read). When the owner's latest accepted assessment over that catalog is
 * readable by the viewer, each linked control shows its answer there, and one whose maturity is
 * at most RISK_WEAK_MATURITY (a control score below 0.5; not_applicable never) is weak: the risk
 * says how many of its controls are weak.
 *
 * Who. The owner org's reporters, analysts and admins record and change its risks (PERM_REPORT);
 * its admins accept them; readers read them as the sharing policy allows. The risk matrix is read
 * by everyone signed in and changed by the National CERT's admins.
 *
 * Every write is one transaction with its timeline event (core/history) and audit entry
 * (risk.create, risk.update, risk.accept, risk.import, risk_matrix.update).
 */
#ifndef RABTA_RISK_H
#define RABTA_RISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/mem.h"
#include "base/rtime.h"
#include "core/actor.h"
#include "db/db.h"
#include "formats/csv.h"
#include "json/json.h"

/* ---- the matrix (pure) ---- */

#define RISK_SIZE_MIN 3
#define RISK_SIZE_MAX 10
#define RISK_CELLS_MAX (RISK_SIZE_MAX * RISK_SIZE_MAX)

enum risk_level { RLEVEL_LOW = 0, RLEVEL_MEDIUM, RLEVEL_HIGH, RLEVEL_CRITICAL, RLEVEL__COUNT };
extern const char *const risk_level_names[]; /* "low", "medium", "high", "critical", NULL */

/* The matrix: likelihood and impact run 1..size; min_score[l] is the lowest score of level l
 * (min_score[RLEVEL_LOW] is 1), strictly increasing, the highest at most size * size. */
struct risk_matrix {
    int size;
    int min_score[RLEVEL__COUNT];
    char updated_at[RB_TIME_SIZE]; /* "" for the default never changed */
    char updated_by[300];
};

/* The default: 5x5, low 1-4, medium 5-9, high 10-14, critical 15-25. */
void risk_matrix_default(struct risk_matrix *m);
/* Checks size and bands. Returns 0 or RB_EINVAL with ei naming "size" or "bands.<level>". */
int risk_matrix_check(const struct risk_matrix *m, rb_errinfo *ei);
/* The level of score (1..size*size) on m. */
enum risk_level risk_matrix_level(const struct risk_matrix *m, int score);
/* The level of the cell (likelihood, impact). */
enum risk_level risk_matrix_cell(const struct risk_matrix *m, int likelihood, int impact);
/* The lowest and highest score of level l on m (for filters by level). */
void risk_matrix_range(const struct risk_matrix *m, enum risk_level l, int *lo, int *hi);

/* The matrix in force (the default when never changed). RB_EDB. */
int risk_matrix_get(rb_db *db, struct risk_matrix *out);
/* The National CERT's admins (and the local operator) set the size and bands. RB_EPERM;
 * RB_EINVAL (ei names the member); RB_ECONFLICT when a risk has a likelihood or impact above the
 * new size (ei says how many); RB_EAUTH, RB_EDB. *relevelled (may be NULL) gets how many risks
 * changed inherent or residual level. */
int risk_matrix_set(rb_db *db, const rb_actor *actor, const struct risk_matrix *m,
                    int64_t *relevelled, rb_errinfo *ei);
/* Writes m as the API shows it: size, bands [{level, min_score, max_score}], cells (one list per
 * likelihood 1..size of the levels of impact 1..size), updated_at, updated_by. */
void risk_matrix_write(rj_writer *w, const struct risk_matrix *m);

/* ---- a risk ---- */

enum risk_treatment {
    RTREAT_MITIGATE = 0,
    RTREAT_ACCEPT,
    RTREAT_TRANSFER,
    RTREAT_AVOID,
    RTREAT__COUNT
};
extern const char *const risk_treatment_names[]; /* "mitigate", "accept", "transfer", "avoid" */
enum risk_status {
    RSTATUS_OPEN = 0,
    RSTATUS_IN_PROGRESS,
    RSTATUS_DONE,
    RSTATUS_ACCEPTED,
    RSTATUS_CLOSED,
    RSTATUS__COUNT
};
extern const char *const risk_status_names[];   /* "open", "in_progress", "done", "accepted", ... */
extern const char *const risk_category_names[]; /* "strategic", "operational", "technical", ... */

#define RISK_CONTROLS_MAX 50  /* linked controls of one risk */
#define RISK_PER_ORG_MAX 5000 /* risks of one register */
#define RISK_WEAK_MATURITY 2  /* a linked control at most this mature is weak */
#define RISK_TOP_MAX 10       /* the top residual risks of a roll-up */

typedef struct rb_risk {
    char *id, *org_id, *org_name, *province, *sector, *title, *description, *category;
    int likelihood, impact, inherent_score;
    char *inherent_level; /* from the matrix, after the read */
    int residual_likelihood, residual_impact, residual_score;
    char *residual_level;
    char *treatment, *status, *owner, *due_date, *review_date, *tlp, *catalog_id, *accepted_by,
        *accepted_at, *acceptance_reason, *created_by, *created_at, *updated_at;
    int controls_count;
    int weak_controls; /* -1: no readable accepted assessment covers them (after the read) */
    bool overdue_treatment, overdue_review; /* after the read */
    int64_t seq;                            /* hidden: the list's order */
} rb_risk;
extern const struct rb_record risk_record;

/* One linked control with its answer in the latest accepted assessment (assessed false: none). */
typedef struct rb_risk_control {
    char *control_id, *title, *status;
    int maturity;
    bool assessed, weak;
} rb_risk_control;
extern const struct rb_record risk_control_record;

/* What the linked controls rest on: the assessment their answers come from, or none. */
struct risk_controls_view {
    rb_risk_control *items;
    int n;
    char *assessment_id, *campaign_title, *reviewed_at; /* NULL: none readable */
};

/* A risk as given. For risk_create, absent members take their defaults; for risk_update, absent
 * (NULL, 0, -1) leaves a member as it is and "" clears owner, due_date or review_date. */
struct risk_input {
    const char *title, *description, *category, *owner, *due_date, *review_date, *catalog_id;
    int likelihood, impact, residual_likelihood, residual_impact; /* 0: absent */
    int treatment, status, tlp;                                   /* -1: absent */
    const char **control_ids;
    int ncontrols;
    bool controls_given; /* control_ids was given (an empty list clears them) */
    const char *comment; /* risk_update: a note in the timeline, or NULL */
};
/* Every member absent. */
void risk_input_init(struct risk_input *in);

/* Checks in on m (change: a risk_update's, where members may be absent; then at least one is
 * given). Pure: the controls are checked against the catalog by the writes. Returns 0 or
 * RB_EINVAL with ei naming the member. */
int risk_check(const struct risk_input *in, const struct risk_matrix *m, bool change,
               rb_errinfo *ei);

/* Records a risk in the actor's own org's register. Returns 0 and out_id; RB_EINVAL (ei names the
 * member; "control_ids" for a control the catalog does not have), RB_EPERM, RB_ECONFLICT (the
 * register holds RISK_PER_ORG_MAX), RB_EAUTH, RB_EDB. */
int risk_create(rb_db *db, const rb_actor *actor, const struct risk_input *in,
                char out_id[RB_ID_SIZE], rb_errinfo *ei);
/* Changes the given members of a risk of the actor's org (and the TLP, by the policy's rules).
 * RB_ENOTFOUND (not readable), RB_EPERM (not the owner's writer), RB_EINVAL, RB_ECONFLICT (an
 * accepted risk's status without a change of treatment), RB_EAUTH, RB_EDB. */
int risk_update(rb_db *db, const rb_actor *actor, const char *id, const struct risk_input *in,
                rb_errinfo *ei);
/* An admin of the owner accepts the risk with a reason (FIELD_NOTE, required) and optionally a
 * review date. RB_ENOTFOUND, RB_EPERM, RB_EINVAL, RB_ECONFLICT (closed or accepted already). */
int risk_accept(rb_db *db, const rb_actor *actor, const char *id, const char *reason,
                const char *review_date, rb_errinfo *ei);

/* One readable risk, its texts in the arena. RB_ENOTFOUND, RB_EDB. */
int risk_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_risk *out);
/* The linked controls of a readable risk, with their answers where the viewer may read them. */
int risk_controls(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                  struct risk_controls_view *out);

struct risk_filter {
    const char *org_id;   /* one org's register, or NULL */
    int level;            /* residual level, or -1 */
    int status;           /* enum risk_status, or -1 */
    int treatment;        /* or -1 */
    const char *category; /* or NULL */
    bool overdue;         /* treatment or review overdue */
    const char *q;        /* text in the title, case-insensitive, or NULL */
    const char *after_id; /* the cursor: the last risk of the previous page, or NULL */
    int limit;            /* 1..500; 50 when 0 */
};
/* One page of the readable risks, highest residual score first (then newest), in the arena.
 * RB_EINVAL when after_id is not a readable risk; RB_EDB. */
int risk_list(rb_db *db, const rb_actor *actor, const struct risk_filter *f, rb_arena *a,
              rb_risk **out, int *n, bool *more);

/* ---- the heat map ---- */

enum risk_basis { RBASIS_RESIDUAL = 0, RBASIS_INHERENT };
extern const char *const risk_basis_names[]; /* "residual", "inherent", NULL */

/* Counts of one part of a roll-up (the whole, a province, a sector). */
struct risk_group {
    char *key; /* province or sector code; NULL: the whole, or orgs without one */
    int total, orgs;
    int counts[RISK_CELLS_MAX]; /* (likelihood - 1) * size + (impact - 1) */
    int by_level[RLEVEL__COUNT];
    int overdue_treatments, overdue_reviews;
};

/* One of the top risks: its title and id only when the viewer may read it. */
struct risk_top {
    char *id, *title, *org_id, *org_name;
    int likelihood, impact, score;
    bool readable;
};

struct risk_heatmap {
    char root_id[RB_ID_SIZE];
    char *root_name;
    enum risk_basis basis;
    struct risk_matrix m;
    int orgs; /* orgs of the subtree */
    struct risk_group all;
    struct risk_group *by_province, *by_sector;
    int nprovince, nsector;
    struct risk_top top[RISK_TOP_MAX];
    int ntop;
};

/*
 * The roll-up over the subtree of root (NULL: the actor's org), which must be the actor's org or
 * below it (else RB_ENOTFOUND, ei naming "root"): every risk of the subtree that is not closed
 * counts, whether or not the viewer may read it (oversight: docs/decisions.md 60), except RED ones
 * it may not read; the top residual (or inherent) risks name their title only where the viewer
 * may read them. Groups in the arena. RB_EDB.
 */
int risk_heatmap(rb_db *db, const rb_actor *actor, const char *root, enum risk_basis basis,
                 rb_arena *a, struct risk_heatmap *out, rb_errinfo *ei);
/* Writes h as the API shows it (docs/api.md). */
void risk_heatmap_write(rj_writer *w, const struct risk_heatmap *h);

/* ---- CSV ---- */

#define RISK_CSV_MAX_BYTES ((size_t)16 * 1024 * 1024)
#define RISK_CSV_ROWS_MAX 2000
#define RISK_PROBLEMS_MAX 100

struct risk_row {
    size_t line;
    const char *id;        /* an existing risk of the register to change, or NULL: a new one */
    bool keeps_acceptance; /* the row says accept / accepted: only of a risk accepted already */
    struct risk_input in;
};

struct risk_file {
    struct risk_row *rows;
    size_t nrows, total, nbad;
    struct csv_problem *problems; /* the first RISK_PROBLEMS_MAX */
    size_t nproblems;
};

/*
 * Reads text[0..len) as a register CSV file (RFC 4180) into out, in the arena, each row checked
 * by risk_check on m. The header names the columns in any order: title, likelihood and impact are
 * required; description, category, residual_likelihood, residual_impact, treatment, status, owner,
 * due_date, review_date, control_ids (separated by spaces or semicolons), tlp and id (a risk of
 * the register the row changes) are optional; the columns the export adds (scores, levels, org,
 * acceptance, times) are read-only and ignored. Pure. Returns 0 when the file could be read as a
 * whole (its bad rows in out->problems); RB_EINVAL or RB_ETOOBIG when it cannot, ei naming the
 * place ("line 1, field 4"); RB_ENOMEM.
 */
int risk_csv_read(const char *text, size_t len, const struct risk_matrix *m, rb_arena *a,
                  struct risk_file *out, rb_errinfo *ei);

struct risk_import_counts {
    size_t rows, added, updated;
};
/* Stores f's rows in the actor's org's register in one write. Nothing is stored from a file with
 * a bad row (RB_EINVAL, ei naming the first: "line 3, field 2", and how many are bad), nor when a
 * row's controls or id are not found (ei names its line) or a row would accept a risk (accepting
 * needs an admin and a reason: the risk's page). RB_EPERM, RB_ECONFLICT, RB_EAUTH, RB_EDB. */
int risk_import(rb_db *db, const rb_actor *actor, const struct risk_file *f,
                struct risk_import_counts *out, rb_errinfo *ei);

/* Writes the readable risks f matches (every page, at most RISK_EXPORT_MAX) as CSV into out:
 * the import's columns and the read-only ones. RB_ETOOBIG past out's cap, RB_EINVAL, RB_EDB. */
#define RISK_EXPORT_MAX 100000
int risk_export(rb_db *db, const rb_actor *actor, const struct risk_filter *f, rb_buf *out);

#endif
