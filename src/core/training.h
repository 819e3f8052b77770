/*
 * training.h - capacity building: training sessions a CERT organises, the orgs it invites, the
 * people they register, attendance by the mode each person joined in, feedback, materials, the
 * iCalendar of a session and each org's calendar feed; and the reports over them (roll-up, and
 * "training meets the gaps" beside the preparedness scores) in training_report.c.
 *
 * Owns the trainings, training_topics, training_staff, training_invites, training_people,
 * training_feedback, training_links and calendar_feeds tables. Files (materials) are core/files' under
 * kind_training; the timeline is core/history's.
 *
 * Sharing (kind_training, DESIGN §5): GREEN by default, no grants made. A session may be CLEAR or
 * GREEN only: an invitation is a record of its own, not a grant (decision 65), so an invited org
 * must be able to read the session by its TLP. A draft is read by its owner org alone (what the
 * gaps view drafts, before its invitations go out). The meeting link of a virtual or hybrid
 * session is shown to the organiser and the invited orgs only; to other readers it is null.
 *
 * Life. A session is created as a draft or scheduled (status). Scheduling a draft (training_update
 * with status "scheduled") sends its invitations; inviting more orgs to a scheduled session sends
 * theirs. Each invitation puts a "notice" item in the invited org's inbox (core/inbox), inside the
 * same write. A scheduled session may be cancelled (its invited orgs are told the same way); a
 * cancelled session changes no more. Each change of a scheduled session's times, place or link
 * counts one more iCalendar SEQUENCE, so calendar programs replace their copy.
 *
 * Who may do what:
 *   create, change, invite, record attendance, add materials
 *            analysts and admins (PERM_PUBLISH) of the owner org, which must be a CERT; invited
 *            orgs are orgs below the owner (its constituency)
 *   register a person
 *            reporters, analysts and admins (PERM_REPORT) of an invited org, for their own org;
 *            the owner's analysts and admins, for any invited org. Until the session ends; not
 *            past its capacity (RB_ECONFLICT: "the session is full: all N places are taken")
 *   feedback the person's org (PERM_REPORT) or the owner (PERM_PUBLISH), for a person who
 *            attended, once the session has started; a second rating replaces the first
 *   read people and feedback
 *            the owner sees every org's; an invited org its own; other readers none
 *   attendance: from the session's start; a person joins in_person or virtual, as the session's
 *            mode allows (in_person only, virtual only, hybrid either)
 *
 * Every write is one transaction with its timeline event and its audit entry (training.create,
 * training.update, training.invite, training.register, training.unregister, training.attend,
 * training.feedback, training.material, training.attach; calendar_feed.create,
 * calendar_feed.revoke). Errors name their field: RB_EINVAL (bad input, nothing written),
 * RB_EPERM, RB_ENOTFOUND (what the actor may not read), RB_ECONFLICT (full, cancelled, ended).
 */
#ifndef RABTA_TRAINING_H
#define RABTA_TRAINING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/mem.h"
#include "core/actor.h"
#include "core/auth.h"
#include "core/policy.h"
#include "core/write.h"
#include "db/db.h"

/* The sharing policy for sessions (POLICY_SQL_READABLE over o) and: a draft is its owner's alone.
 */
#define TRAINING_SQL_READABLE                                                                      \
    "(" POLICY_SQL_READABLE " AND (o.status <> 'draft' OR o.owner_org = ?101 OR ?104 = 1))"

enum training_mode { TMODE_IN_PERSON = 0, TMODE_VIRTUAL, TMODE_HYBRID, TMODE__COUNT };
extern const char *const training_mode_names[]; /* "in_person", "virtual", "hybrid", NULL */
enum training_status { TSTATUS_DRAFT = 0, TSTATUS_SCHEDULED, TSTATUS_CANCELLED, TSTATUS__COUNT };
extern const char *const training_status_names[]; /* "draft", "scheduled", "cancelled", NULL */

#define TRAINING_TOPICS_MAX 50               /* topics of one session */
#define TRAINING_STAFF_MAX 20                /* people organising one session */
#define TRAINING_INVITE_MAX 500              /* orgs one request invites */
#define TRAINING_INVITES_MAX 5000            /* orgs one session invites */
#define TRAINING_CAPACITY_MAX 10000          /* the most places a session may have */
#define TRAINING_LINKS_MAX 50                /* links of one session */
#define TRAINING_FILE_MAX (20 * 1024 * 1024) /* bytes of one material file */
#define TRAINING_FILES_MAX 50                /* files of one session */
#define TRAINING_DAYS_MAX 31                 /* the longest a session may last */
#define TRAINING_PEOPLE_LIST_MAX 20000 /* people one list returns (capacity 10,000 and more) */

/* A topic: a domain (top-level group) or a control of the session's catalog. */
typedef struct rb_training_topic {
    char *id;     /* the OSCAL id: "ir", "ir-2" */
    char *kind;   /* "domain" or "control" */
    char *domain; /* the domain's id ("ir" for both) */
    char *title;  /* the domain's or control's title */
    char *label;  /* a control's catalog label ("IR-2"), or NULL for a domain */
} rb_training_topic;
extern const struct rb_record training_topic_record;

/* A person of the organising CERT who organises the session (its staff; the first is the lead). */
typedef struct rb_training_staff {
    char *id, *name, *email;
} rb_training_staff;
extern const struct rb_record training_staff_record;

typedef struct rb_training {
    char *id;
    int64_t number;
    char *title, *description, *status, *mode, *starts_at, *ends_at, *venue, *meeting_url;
    int capacity; /* 0: no limit (null in JSON) */
    char *catalog_id, *tlp, *owner_org, *owner_name, *created_by, *created_at, *updated_at;
    int sequence;
    int invited, registered, attended, in_person, virtual_; /* counts of the whole session */
    int feedback_n;
    double feedback_mean;      /* -1: none */
    bool held;                 /* scheduled and ended (set after the read) */
    bool full;                 /* capacity reached (set after the read) */
    bool owner;                /* the reader's org organises it (set after the read) */
    bool invited_me;           /* the reader's org is invited */
    int my_registered;         /* people of the reader's org registered */
    rb_training_topic *topics; /* set after the read */
    int ntopics;
    rb_training_staff *staff; /* set after the read, in their order */
    int nstaff;
} rb_training;
extern const struct rb_record training_record;

/* A session as given. For training_update, NULL / -1 / a NULL list keep what it has; "" clears
 * venue or meeting_url; capacity 0 clears the limit. */
struct training_input {
    const char *title, *description;
    const char **topics;             /* domain or control ids of catalog_id's catalog */
    int ntopics;                     /* -1: not given */
    const char *catalog_id;          /* NULL: the national baseline (decision 66) */
    int mode;                        /* enum training_mode, -1 not given */
    const char *starts_at, *ends_at; /* RFC 3339 */
    const char *venue, *meeting_url;
    const char **invited_org_ids;
    int ninvited; /* -1: not given */
    const char **staff_user_ids; /* the organising staff, lead first: people of the owner org */
    int nstaff;                  /* -1: not given (create: the creator alone) */
    int capacity; /* -1: not given; 0: no limit */
    int status;   /* enum training_status, -1 not given (create: scheduled) */
    int tlp;      /* enum rb_tlp, -1 not given (create: the row's default, GREEN) */
};
void training_input_init(struct training_input *in);

/* Checks what needs no database: the texts by their field rules, the times (RFC 3339; the end
 * after the start; at most TRAINING_DAYS_MAX days), the mode with its venue or link (in_person
 * needs a venue, virtual a meeting_url, hybrid both; a draft may lack them), capacity, tlp.
 * change: an update's input,
 * whose members may be absent (the stored ones are merged first by training_update). Pure. */
int training_check(const struct training_input *in, bool change, rb_errinfo *ei);

/* Creates a session owned by the actor's org (a CERT). Topics are checked against the catalog,
 * invited orgs against the owner's subtree, the staff against the owner's active people (the
 * creator alone when none is given); a scheduled one sends its invitations. Returns 0 and
 * out_id; RB_EINVAL (ei names the member: "ends_at", "topics", "invited_org_ids"), RB_EPERM,
 * RB_EAUTH, RB_EDB. Nothing is written on a refusal. */
int training_create(rb_db *db, const rb_actor *actor, const struct training_input *in,
                    char out_id[RB_ID_SIZE], rb_errinfo *ei);

/* Changes the given members of a session (its owner's analysts and admins): texts, times, mode,
 * place, capacity (not below the people registered), topics, status (draft -> scheduled sends the
 * invitations; scheduled -> cancelled tells the invited orgs). invited_org_ids adds invitations;
 * staff_user_ids replaces the staff (at least one person).
 * RB_ECONFLICT for a cancelled session or a move the life does not have. */
int training_update(rb_db *db, const rb_actor *actor, const char *id,
                    const struct training_input *in, rb_errinfo *ei);

/* A readable session with its counts, topics and the reader's own facts. */
int training_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_training *out);

struct training_filter {
    const char *from, *to; /* starts at or after from, before to (RFC 3339), or NULL */
    const char *ends_from; /* ends at or after this (RFC 3339): not over by then; or NULL */
    int status;            /* enum training_status, -1 any */
    int mode;              /* enum training_mode, -1 any */
    bool invited;          /* only sessions the reader's org is invited to */
    bool mine;             /* only sessions the reader's org organises */
    const char *org_id;    /* only sessions this org is invited to, or NULL */
    const char *after_id;  /* the cursor: the last session of the previous page */
    bool newest_first;     /* by start, latest first (default: earliest first) */
    int limit;             /* 1..500; 50 when 0 */
};
/* A page of the readable sessions by start time. RB_EINVAL when after_id is not a readable
 * session. Counts and topics are filled as for training_get. */
int training_list(rb_db *db, const rb_actor *actor, const struct training_filter *f, rb_arena *a,
                  rb_training **out, int *n, bool *more);

/* ---- invitations ---- */

typedef struct rb_training_invite {
    char *org_id, *org_name, *org_kind, *province, *invited_by, *invited_at;
    int registered, attended, in_person, virtual_;
} rb_training_invite;
extern const struct rb_record training_invite_record;

/* Invites the n orgs (1..TRAINING_INVITE_MAX; each below the owner). An org invited already is
 * skipped. RB_EINVAL naming "org_ids[i]" for an org outside the owner's constituency. */
int training_invite(rb_db *db, const rb_actor *actor, const char *id, const char *const *org_ids,
                    int n, int *added, rb_errinfo *ei);
/* The orgs invited to a readable session, by name, with their counts. */
int training_invites(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                     rb_training_invite **out, int *n);

/* ---- people, attendance, feedback ---- */

typedef struct rb_training_person {
    char *id, *org_id, *org_name, *name, *email, *registered_by, *registered_at, *attended_mode,
        *attended_at, *recorded_by;
    int rating; /* 0: no feedback */
    char *comment;
} rb_training_person;
extern const struct rb_record training_person_record;

struct person_input {
    const char *org_id; /* NULL: the actor's org */
    const char *name, *email;
};
/* Registers a person (see the top for who may). RB_ECONFLICT when full, ended, cancelled, a
 * draft, or the same name is registered for the org; RB_EINVAL naming "org_id" for an org not
 * invited. */
int training_register(rb_db *db, const rb_actor *actor, const char *id,
                      const struct person_input *in, char out_id[RB_ID_SIZE], rb_errinfo *ei);
/* Takes a registration back (who may register it), before the person attended. */
int training_unregister(rb_db *db, const rb_actor *actor, const char *id, const char *person_id,
                        rb_errinfo *ei);
/* The people the reader may see (see the top), by org then name. */
int training_people(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                    rb_training_person **out, int *n);
/* Records how a person attended (mode: enum training_mode, TMODE_IN_PERSON or TMODE_VIRTUAL),
 * or with mode -1 that they did not. RB_EINVAL naming "mode" for a mode the session does not
 * have; RB_ECONFLICT before the session starts. */
int training_attend(rb_db *db, const rb_actor *actor, const char *id, const char *person_id,
                    int mode, rb_errinfo *ei);
/* A person's rating 1-5 with a comment (FIELD_NOTE, may be NULL). */
int training_feedback(rb_db *db, const rb_actor *actor, const char *id, const char *person_id,
                      int rating, const char *comment, rb_errinfo *ei);

/* ---- materials ---- */

typedef struct rb_training_link {
    char *id, *title, *url, *added_by, *added_at;
} rb_training_link;
extern const struct rb_record training_link_record;

/* Adds a link (title FIELD_TITLE, url http or https, FIELD_URL). */
int training_link_add(rb_db *db, const rb_actor *actor, const char *id, const char *title,
                      const char *url, char out_id[RB_ID_SIZE], rb_errinfo *ei);
int training_links(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                   rb_training_link **out, int *n);
/* Adds a file (core/files' caps: TRAINING_FILE_MAX, TRAINING_FILES_MAX). */
int training_attach(rb_db *db, const rb_actor *actor, const char *id, const char *filename,
                    const char *content_type, const void *data, size_t len, char out_id[RB_ID_SIZE],
                    rb_errinfo *ei);

/* ---- iCalendar ---- */

/* A readable session as an iCalendar file (formats/ical): one VEVENT. */
int training_ics(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_buf *out);

typedef struct rb_calendar_feed {
    char *id, *org_id, *prefix, *created_by, *created_at;
} rb_calendar_feed;
extern const struct rb_record calendar_feed_record;

/* Makes a new calendar feed for org_id (its reporters, analysts and admins), revoking the one it
 * had: the token (AUTH_TOKEN_SIZE, "rbc_" and 64 hex) is written to token_out once; only its
 * SHA-256 is kept. */
int calendar_feed_create(rb_db *db, const rb_actor *actor, const char *org_id,
                         char token_out[AUTH_TOKEN_SIZE], char id_out[RB_ID_SIZE], rb_errinfo *ei);
/* Revokes org_id's feed: its URL answers 404 from then on. Revoking when there is none does
 * nothing and succeeds (a DELETE may be repeated). */
int calendar_feed_revoke(rb_db *db, const rb_actor *actor, const char *org_id, rb_errinfo *ei);
/* org_id's active feed (never its token). RB_ENOTFOUND when it has none. */
int calendar_feed_get(rb_db *db, const rb_actor *actor, const char *org_id, rb_arena *a,
                      rb_calendar_feed *out);
/* The feed behind token: every session the org is invited to or organises that it may read (but
 * drafts), from 180 days ago on, with METHOD:PUBLISH. RB_ENOTFOUND for an unknown or revoked
 * token (nothing says which). */
int calendar_feed_ics(rb_db *db, const char *token, rb_arena *a, rb_buf *out);

/* ---- reports (training_report.c) ---- */

/* Counts of one group of the roll-up (a province, a CERT, an org, a domain). */
struct training_group {
    char *key, *name; /* province code / org id / domain id; its name */
    int sessions;     /* held sessions that reached it */
    int orgs;         /* orgs that attended (an org's own row: 1 when it did) */
    int registered, attended, in_person, virtual_;
    int feedback_n;
    double feedback_sum;
    int ndomains; /* domains its attendance covered (orgs) */
    char **domains;
};

struct training_rollup {
    char *root;        /* the org whose subtree it counts */
    int sessions_held; /* readable sessions held that invited an org of the subtree */
    int sessions_upcoming;
    int orgs_invited, orgs_reached; /* orgs of the subtree invited to / attending them */
    int registered, attended, in_person, virtual_;
    int feedback_n;
    int ratings[5]; /* how many gave 1 .. 5 */
    double feedback_sum;
    struct training_group *by_province, *by_cert, *by_org, *by_domain;
    int nprovince, ncert, norg, ndomain;
};
/* The roll-up over the held sessions the actor may read, counting the people of orgs in root's
 * subtree (root NULL: the actor's org; an org the actor may not see is RB_ENOTFOUND). Per
 * province (of the attending org), per CERT (the org itself when a CERT, else its parent), per
 * org, and per domain its topics touch. since and until (RFC 3339 UTC, or NULL) keep the sessions
 * that start at or after since and before until. */
int training_rollup(rb_db *db, const rb_actor *actor, const char *root, const char *since,
                    const char *until, rb_arena *a, struct training_rollup *out);
struct rj_writer;
void training_rollup_write(struct rj_writer *w, const void *rollup);

/* One weak org of a domain. */
struct training_gap_org {
    char *org_id, *org_name, *province;
    double score; /* its domain score 0..100 */
};

/* One domain of the gaps view. */
struct training_gap_domain {
    char *id, *title;
    int idx;
    int n;            /* orgs scored in it */
    double mean;      /* their mean score */
    int weak;         /* orgs scoring below the bar */
    int weak_trained; /* of them, orgs that attended a held session on it */
    int weak_planned; /* of them, orgs invited to an upcoming session on it (not trained) */
    int sessions_held, sessions_upcoming; /* readable sessions on it that reached the subtree */
    struct training_gap_org *untrained;   /* weak orgs with no session on it yet, weakest first */
    int nuntrained;                       /* how many there are */
    int nlisted;                          /* how many of them untrained holds (at most limit) */
};

struct training_gaps {
    char *root, *campaign_id, *campaign_title, *catalog_id;
    double below; /* the bar: a domain score under it is weak */
    int orgs_scored;
    struct training_gap_domain *domains; /* weakest first */
    int ndomains;
};
/* Training meets the gaps for root's subtree (root NULL: the actor's org): the domains of the
 * scores of campaign_id (NULL: the newest readable campaign with submitted assessments in the
 * subtree) weakest first, each beside the sessions held and planned on it, and its orgs scoring
 * below `below` (0..100) that have had no session on it (at most limit of them per domain, 1..500,
 * the weakest; every one is counted). domain (a domain id, or NULL) keeps that domain alone. Only
 * what the actor may read counts: the campaign's assessments and the sessions. Without campaign_id
 * and no campaign scored yet, 0 with no domains (campaign_id NULL). RB_ENOTFOUND when campaign_id
 * is not readable, or the actor may not see root; RB_EINVAL for a domain the campaign's catalog
 * does not have. */
int training_gaps(rb_db *db, const rb_actor *actor, const char *root, const char *campaign_id,
                  double below, const char *domain, int limit, rb_arena *a,
                  struct training_gaps *out);
void training_gaps_write(struct rj_writer *w, const void *gaps);

#endif
