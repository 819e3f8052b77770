/*
 * advisory.h - security advisories (CSAF 2.0): imported or authored, published down the
 * hierarchy, and the acknowledgement record of every org that may read one.
 *
 * Owns the advisories, advisory_revisions, advisory_acks and advisory_policy tables.
 *
 * Life. An advisory is born a draft, from a CSAF 2.0 document (advisory_import: validated by
 * formats/csaf, stored as received) or from what an author wrote (advisory_create: the document is
 * built by formats/csaf_author). A draft is read by its owner org only, whatever its TLP. Each
 * change of the document is a new revision (the old ones are kept, with tracking version and
 * revision history); the author may call a revision material, which delivers a published advisory
 * again to every org (their records go back to "delivered" with new deadlines).
 *
 * Publishing (advisory_publish, the owner's analysts and admins) grants the chosen scope: the
 * owner's subtree (TLP AMBER; CLEAR and GREEN reach everyone anyway), or named orgs (scope org:
 * what AMBER+STRICT and RED allow). Then every org that may now read it, but its owner, gets an
 * acknowledgement record "delivered" and an inbox item. A recipient CERT that relays it further
 * (core/share's forwarding rule: POST /advisories/{id}/grants) creates the records of the orgs it
 * reached, through the kind's touch hook, which runs inside every grant or TLP change: records are
 * made for new readers and dropped for orgs that may no longer read it.
 *
 * Records. Each org moves its own record along advisory_ack_transitions (delivered ->
 * acknowledged -> not_affected | affected -> mitigating -> mitigated), with a note; the times are
 * kept. Deadlines per severity (advisory_policy): acknowledge within ack_hours of delivery;
 * mitigate within mitigate_days of delivery once affected. A record past its deadline is overdue
 * (answers say so) and the scheduler puts one "overdue" item in the org's inbox.
 *
 * Who sees which records: a reader of the advisory sees the records of its own org and of the
 * orgs below it; the owner sees every record. Counts are made from those records only.
 *
 * Every write is one transaction with its timeline event and audit entry.
 */
#ifndef RABTA_ADVISORY_H
#define RABTA_ADVISORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/mem.h"
#include "core/actor.h"
#include "core/policy.h"
#include "core/write.h"
#include "db/db.h"
#include "formats/csaf_author.h"
#include "formats/tlp.h"

/* The sharing policy for advisories (core/policy's POLICY_SQL_READABLE over o) and: a draft is
 * its owner's alone. */
#define ADVISORY_SQL_READABLE                                                                      \
    "(" POLICY_SQL_READABLE " AND (o.status = 'published' OR o.owner_org = ?101 OR ?104 = 1))"

/* rabta's severity of an advisory (CVSS v3 qualitative ratings), most severe first. */
enum adv_severity { ASEV_CRITICAL = 0, ASEV_HIGH, ASEV_MEDIUM, ASEV_LOW, ASEV_NONE, ASEV__COUNT };
extern const char *const adv_severity_names[]; /* "critical", ..., "none", NULL */

enum ack_status {
    ACK_DELIVERED = 0,
    ACK_ACKNOWLEDGED,
    ACK_NOT_AFFECTED,
    ACK_AFFECTED,
    ACK_MITIGATING,
    ACK_MITIGATED,
    ACK__COUNT
};
extern const char *const ack_status_names[]; /* "delivered", ..., NULL */

/* The moves of a record: from -> to, one row each. */
struct ack_transition {
    enum ack_status from, to;
};
extern const struct ack_transition advisory_ack_transitions[];
extern const int advisory_ack_ntransitions;
/* Is from -> to in the table? */
bool advisory_ack_may(enum ack_status from, enum ack_status to);
/* The statuses a record in `from` may move to, in table order; returns how many. */
int advisory_ack_next(enum ack_status from, enum ack_status out[ACK__COUNT]);

/* The most bytes of a CSAF document rabta takes (an upload, one file of a folder or a feed). */
#define ADVISORY_DOC_MAX (8 * 1024 * 1024)
/* The most products, vulnerabilities, remediations and references an authored advisory holds. */
#define ADVISORY_PRODUCTS_MAX 200
#define ADVISORY_VULNS_MAX 100
#define ADVISORY_ITEMS_MAX 100
/* The most orgs one publication names. */
#define ADVISORY_PUBLISH_ORGS_MAX 500

typedef struct rb_advisory {
    char *id;
    int64_t number;
    char *tracking_id, *title, *category, *severity, *status, *tlp, *source;
    double max_score; /* the highest CVSS base score; -1: none */
    char *version;
    int revision;
    char *initial_release, *current_release, *cves, *owner_org, *owner_name, *created_by,
        *created_at, *published_at, *updated_at;
    /* The reader's own record, when the reader's org has one (set after the read). */
    char *my_status, *my_ack_due, *my_mitigate_due, *my_note, *my_matched, *my_delivered_at;
    bool my_overdue, my_likely_affected;
    bool owner; /* the reader's org owns it (set after the read) */
} rb_advisory;
extern const struct rb_record advisory_record;

typedef struct rb_ack {
    char *advisory_id, *org_id, *org_name, *org_kind, *province, *sector, *status;
    bool likely_affected;
    char *matched, *note, *delivered_at, *acknowledged_at, *resolved_at, *ack_due, *mitigate_due,
        *updated_at, *updated_by;
    bool overdue;                             /* set after the read */
    char *advisory_title, *advisory_severity, *advisory_tracking_id; /* the org's own list */
} rb_ack;
extern const struct rb_record ack_record, my_ack_record;

typedef struct rb_revision {
    int revision;
    char *version;
    bool material;
    char *summary, *created_by, *created_at;
} rb_revision;
extern const struct rb_record revision_record;

/* ---- what an author writes (the items are formats/csaf_author's) ---- */

/* An authored advisory or its new revision. For advisory_revise, NULL / -1 / 0-count keep what
 * the current revision has. */
struct advisory_input {
    const char *title, *summary;
    int severity; /* enum adv_severity; -1: derived from the CVSS scores (medium without one) */
    int tlp;      /* enum rb_tlp; -1: AMBER when created */
    struct csaf_product_in *products;
    int nproducts;
    struct csaf_vuln_in *vulns;
    int nvulns;
    struct csaf_remediation_in *remediations;
    int nremediations;
    struct csaf_reference_in *references;
    int nreferences;
    const char *revision_summary; /* what changed (the revision history's summary) */
    bool material;                /* revise: reopen acknowledgement */
};
void advisory_input_init(struct advisory_input *in);

/* Imports a CSAF 2.0 document (json[0..len)) as a draft owned by the actor's org (a CERT's
 * analysts and admins). tlp -1 takes the document's own label (TLP:WHITE is CLEAR; none: AMBER).
 * A document whose (publisher namespace, tracking id) is an advisory of the actor's org already is
 * a new revision of it when its tracking version is newer (*created false); the same version
 * again is RB_ECONFLICT. Errors: RB_EINVAL naming the failed CSAF test ("6.1.3") and JSON path,
 * RB_EPERM, RB_ETOOBIG, RB_ECONFLICT (the pair belongs to another org). */
int advisory_import(rb_db *db, const rb_actor *actor, rb_arena *a, const char *json, size_t len,
                    int tlp, char out_id[RB_ID_SIZE], bool *created, rb_errinfo *ei);

/* Creates an authored advisory (draft). Errors: RB_EINVAL naming the member, RB_EPERM. */
int advisory_create(rb_db *db, const rb_actor *actor, rb_arena *a, const struct advisory_input *in,
                    char out_id[RB_ID_SIZE], rb_errinfo *ei);

/* A new revision of an authored advisory (its owner's analysts and admins); material reopens the
 * records of a published one. Severity and TLP may change without a new document revision for an
 * imported one. */
int advisory_revise(rb_db *db, const rb_actor *actor, rb_arena *a, const char *id,
                    const struct advisory_input *in, rb_errinfo *ei);

/* Publishes a draft: scope subtree grants the owner's subtree (n must be 0); scope org grants
 * each of org_ids (1..ADVISORY_PUBLISH_ORGS_MAX). Then every reader gets its record. RB_ECONFLICT
 * when published already; RB_EINVAL for a subtree publication of AMBER+STRICT or RED. */
int advisory_publish(rb_db *db, const rb_actor *actor, const char *id, enum rb_scope scope,
                     const char *const *org_ids, int n, rb_errinfo *ei);

/* A readable advisory, with the reader's own record. */
int advisory_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_advisory *out);

struct advisory_filter {
    int severity;    /* enum adv_severity, -1 any */
    int status;      /* 0 any, 1 draft, 2 published */
    int my_status;   /* enum ack_status of the reader's record, -1 any */
    bool to_act;     /* the reader's record is delivered or affected/mitigating */
    const char *q;   /* words in the title, tracking id, CVEs or products */
    const char *cve; /* one CVE id */
    int64_t before;  /* number cursor: older than this; 0 from the newest */
    int limit;
};
/* A page of the readable advisories, newest first. */
int advisory_list(rb_db *db, const rb_actor *actor, const struct advisory_filter *f, rb_arena *a,
                  rb_advisory **out, int *n, bool *more);

/* The current revision (or revision rev > 0) as CSAF 2.0 JSON with the stored TLP's label. */
int advisory_csaf(rb_db *db, const rb_actor *actor, const char *id, int rev, rb_arena *a,
                  rb_buf *out);

/* The revisions, newest first. */
int advisory_revisions(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                       rb_revision **out, int *n);

/* The reader's org moves its record to `to` with a note (FIELD_NOTE, may be NULL): its
 * reporters, analysts and admins. RB_ENOTFOUND when the org has no record; RB_ECONFLICT naming
 * the allowed moves. */
int advisory_ack(rb_db *db, const rb_actor *actor, const char *id, enum ack_status to,
                 const char *note, rb_errinfo *ei);

struct ack_filter {
    int status;   /* enum ack_status, -1 any */
    bool overdue; /* only overdue records */
    const char *province;
    int64_t after_seq; /* unused today: the records of one advisory come at once */
};
/* The records of one readable advisory the reader may see (see the top), likely affected that
 * have not acted first, then the overdue, then by org name. At most ADVISORY_PUBLISH_ORGS_MAX * 20. */
int advisory_acks(rb_db *db, const rb_actor *actor, const char *id, const struct ack_filter *f,
                  rb_arena *a, rb_ack **out, int *n);

/* Counts of the records the reader may see, by status and by province (and overdue). */
struct ack_count {
    char *key; /* a status, a province or a sector */
    int total, by_status[ACK__COUNT], overdue, likely_affected;
};
typedef struct rb_ack_stats {
    int total, overdue, likely_affected, likely_not_acted;
    int by_status[ACK__COUNT];
    struct ack_count *provinces, *sectors;
    int nprovinces, nsectors;
} rb_ack_stats;
int advisory_ack_stats(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                       rb_ack_stats *out);
void advisory_ack_stats_write(struct rj_writer *w, const void *stats);

/* The records of the reader's own org (what it has to act on first): open ones (delivered,
 * acknowledged without saying whether it is affected, affected, mitigating) unless all. */
int advisory_my_acks(rb_db *db, const rb_actor *actor, bool all, int limit, rb_arena *a,
                     rb_ack **out, int *n);

/* ---- the deadlines ---- */
typedef struct rb_adv_policy {
    char *severity;
    int ack_hours, mitigate_days;
    char *updated_at, *updated_by;
} rb_adv_policy;
extern const struct rb_record adv_policy_record;
int advisory_policy_get(rb_db *db, rb_arena *a, rb_adv_policy **out, int *n);
/* The National CERT's admins change a severity's deadlines (open records keep theirs). */
int advisory_policy_set(rb_db *db, const rb_actor *actor, enum adv_severity sev, int ack_hours,
                        int mitigate_days, rb_errinfo *ei);

/* Sets the deployment's CSAF namespace (document.publisher.namespace of what rabta writes and
 * serves): an http(s) URL or a URN, by the local operator or the National CERT's admins. */
int advisory_namespace_set(rb_db *db, const rb_actor *actor, const char *url, rb_errinfo *ei);

/* ---- for core/kind, core/scheduler and the CLI ---- */

/* The kind's touch hook: inside w, makes the records of orgs that may now read a published
 * advisory and drops those of orgs that may not. */
int advisory_touch(rb_write *w, const char *id);

/* The scheduler: one "overdue" inbox item per record past a deadline (each once). Returns 0 or
 * the first error; *notices counts the items added. */
int advisory_overdue_tick(rb_db *db, const rb_actor *sys, int64_t now, int *notices);

#endif
