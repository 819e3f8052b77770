/*
 * advisory.c - advisories: import, authoring, revisions, publication and the acknowledgement
 * records (see advisory.h). The CSAF documents are formats/csaf's (validation) and
 * formats/csaf_author's (writing).
 *
 * Must never: show a draft to anyone but its owner, keep a record for an org that may not read
 * the advisory, or let an org move another org's record.
 */
#include "base/common.h"
#include "base/rtime.h"
#include "core/advisory.h"
#include "core/advisory_doc.h"
#include "core/history.h"
#include "core/inbox.h"
#include "core/kind.h"
#include "core/share.h"
#include "json/field.h"
#include "json/jdoc.h"

const char *const adv_severity_names[] = {"critical", "high", "medium", "low", "none", NULL};
const char *const ack_status_names[] = {
    "delivered", "acknowledged", "not_affected", "affected", "mitigating", "mitigated", NULL};

const struct ack_transition advisory_ack_transitions[] = {
    {ACK_DELIVERED, ACK_ACKNOWLEDGED}, {ACK_DELIVERED, ACK_NOT_AFFECTED},
    {ACK_DELIVERED, ACK_AFFECTED},     {ACK_ACKNOWLEDGED, ACK_NOT_AFFECTED},
    {ACK_ACKNOWLEDGED, ACK_AFFECTED},  {ACK_NOT_AFFECTED, ACK_AFFECTED},
    {ACK_AFFECTED, ACK_MITIGATING},    {ACK_AFFECTED, ACK_MITIGATED},
    {ACK_AFFECTED, ACK_NOT_AFFECTED},  {ACK_MITIGATING, ACK_MITIGATED},
    {ACK_MITIGATING, ACK_AFFECTED},    {ACK_MITIGATED, ACK_AFFECTED},
};
const int advisory_ack_ntransitions =
    (int)(sizeof(advisory_ack_transitions) / sizeof(advisory_ack_transitions[0]));

bool advisory_ack_may(enum ack_status from, enum ack_status to)
{
    for (int i = 0; i < advisory_ack_ntransitions; i++)
        if (advisory_ack_transitions[i].from == from && advisory_ack_transitions[i].to == to)
            return true;
    return false;
}

int advisory_ack_next(enum ack_status from, enum ack_status out[ACK__COUNT])
{
    int n = 0;
    for (int i = 0; i < advisory_ack_ntransitions && n < ACK__COUNT; i++)
        if (advisory_ack_transitions[i].from == from)
            out[n++] = advisory_ack_transitions[i].to;
    return n;
}

/* An open record is one the org still has to act on. */
#define ACK_SQL_OVERDUE(K, NOW)                                                                    \
    "((" K ".status = 'delivered' AND " K ".ack_due < " NOW ") OR (" K ".status IN ('affected',"   \
    "'mitigating') AND " K ".mitigate_due < " NOW "))"

/* ---- reading advisories ---- */

#define ADVISORY_COLS                                                                              \
    "o.id, o.seq, o.tracking_id, o.title, o.category, o.severity, o.status, o.tlp, o.source, "     \
    "o.max_score, o.version, o.revision, o.initial_release, o.current_release, o.cves, "           \
    "o.owner_org, w.name, o.created_by, o.created_at, o.published_at, o.updated_at, k.status, "    \
    "k.ack_due, k.mitigate_due, coalesce(k.likely_affected, 0), k.note, k.matched, "               \
    "k.delivered_at "
/* ?101 is the reader's org (policy_bind_actor): its own record. */
#define ADVISORY_FROM                                                                              \
    "FROM advisories o JOIN orgs w ON w.id = o.owner_org LEFT JOIN advisory_acks k ON "            \
    "k.advisory_id = o.id AND k.org_id = ?101 "

static void write_my(rj_writer *w, const void *row);

static const struct rb_member advisory_members[] = {
    RB_MEMBERS(rb_advisory, id, number, tracking_id, title, category, severity, status, tlp,
               source),
    RB_MEMBER(rb_advisory, max_score, rb_score),
    RB_MEMBERS(rb_advisory, version, revision, initial_release, current_release, cves),
    RB_MEMBER_AS(rb_advisory, owner_org, "owner_org_id", rb_text),
    RB_MEMBER_AS(rb_advisory, owner_name, "owner_org_name", rb_text),
    RB_MEMBERS(rb_advisory, created_by, created_at, published_at, updated_at),
    RB_DERIVED(rb_advisory, my_status, "my_record", rb_text, write_my),
    RB_HIDDEN_MEMBERS(rb_advisory, my_ack_due, my_mitigate_due, my_likely_affected, my_note,
                      my_matched, my_delivered_at),
    RB_MEMBER(rb_advisory, owner, rb_bool_later),
    RB_HIDDEN(rb_advisory, my_overdue, rb_bool_later),
};
const struct rb_record advisory_record = RB_RECORD(rb_advisory, advisory_members);

static void write_my(rj_writer *w, const void *row)
{
    const rb_advisory *v = row;
    if (!v->my_status) {
        rjw_null(w);
        return;
    }
    rjw_obj(w);
    rjw_kstr(w, "status", v->my_status);
    rjw_kstr(w, "ack_due", v->my_ack_due);
    rjw_kstr(w, "mitigate_due", v->my_mitigate_due);
    rjw_kbool(w, "overdue", v->my_overdue);
    rjw_kbool(w, "likely_affected", v->my_likely_affected);
    rjw_kstr(w, "matched", v->my_matched);
    rjw_kstr(w, "note", v->my_note);
    rjw_kstr(w, "delivered_at", v->my_delivered_at);
    int st = rb_name_index(ack_status_names, v->my_status);
    enum ack_status next[ACK__COUNT];
    int n = st >= 0 ? advisory_ack_next((enum ack_status)st, next) : 0;
    rjw_karr(w, "next");
    for (int i = 0; i < n; i++)
        rjw_str(w, ack_status_names[next[i]]);
    rjw_arr_end(w);
    rjw_obj_end(w);
}

static bool ack_overdue(const char *status, const char *ack_due, const char *mitigate_due,
                        const char *now)
{
    if (!status)
        return false;
    if (strcmp(status, "delivered") == 0)
        return ack_due && strcmp(ack_due, now) < 0;
    if (strcmp(status, "affected") == 0 || strcmp(status, "mitigating") == 0)
        return mitigate_due && strcmp(mitigate_due, now) < 0;
    return false;
}

static void advisory_finish(rb_advisory *v, int n, const rb_actor *actor)
{
    char now[RB_TIME_SIZE];
    rb_time_format(rb_now(), now);
    for (int i = 0; i < n; i++) {
        v[i].owner = actor->system || strcmp(v[i].owner_org, actor->org.id) == 0;
        v[i].my_overdue = ack_overdue(v[i].my_status, v[i].my_ack_due, v[i].my_mitigate_due, now);
    }
}

int advisory_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_advisory *out)
{
    int rc =
        kind_get(&kind_advisory, db, actor,
                 "SELECT " ADVISORY_COLS ADVISORY_FROM "WHERE o.id = ?1 AND " ADVISORY_SQL_READABLE,
                 id, a, &advisory_record, out);
    if (!rc)
        advisory_finish(out, 1, actor);
    return rc;
}

int advisory_list(rb_db *db, const rb_actor *actor, const struct advisory_filter *f, rb_arena *a,
                  rb_advisory **out, int *n, bool *more)
{
    const char *like = f->q && f->q[0] ? db_like_contains(a, f->q) : NULL;
    int limit = f->limit > 0 ? f->limit : 50;
    struct db_arg args[] = {
        DB_INT_OR_NULL(f->before > 0, f->before),
        DB_TEXT(f->severity >= 0 && f->severity < ASEV__COUNT ? adv_severity_names[f->severity]
                                                              : NULL),
        DB_TEXT(f->status == 1   ? "draft"
                : f->status == 2 ? "published"
                                 : NULL),
        DB_TEXT(f->my_status >= 0 && f->my_status < ACK__COUNT ? ack_status_names[f->my_status]
                                                               : NULL),
        DB_INT(f->to_act ? 1 : 0),
        DB_TEXT(like),
        DB_TEXT(f->cve && f->cve[0] ? f->cve : NULL),
        DB_INT(limit + 1),
    };
    int rc = kind_page(
        &kind_advisory, db, actor,
        "SELECT " ADVISORY_COLS ADVISORY_FROM "WHERE " ADVISORY_SQL_READABLE
        " AND (?1 IS NULL OR o.seq < ?1) AND (?2 IS NULL OR o.severity = ?2) AND (?3 IS NULL OR "
        "o.status = ?3) AND (?4 IS NULL OR k.status = ?4) AND (?5 = 0 OR k.status IN "
        "('delivered', 'affected', 'mitigating')) AND (?6 IS NULL OR o.title LIKE ?6 ESCAPE '\\' "
        "OR o.tracking_id LIKE ?6 ESCAPE '\\' OR o.cves LIKE ?6 ESCAPE '\\' OR o.products LIKE ?6 "
        "ESCAPE '\\') AND (?7 IS NULL OR (' ' || o.cves || ' ') LIKE ('% ' || ?7 || ' %')) "
        "ORDER BY o.seq DESC LIMIT ?8",
        args, sizeof(args) / sizeof(args[0]), limit, &advisory_record, a, out, n, more);
    if (!rc)
        advisory_finish(*out, *n, actor);
    return rc;
}

/* ---- revisions and the CSAF document ---- */

static const struct rb_member revision_members[] = {
    RB_MEMBERS(rb_revision, revision, version, material, summary, created_by, created_at),
};
const struct rb_record revision_record = RB_RECORD(rb_revision, revision_members);

int advisory_revisions(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                       rb_revision **out, int *n)
{
    return kind_rows(&kind_advisory, db, actor, id,
                     "SELECT revision, version, material, summary, created_by, created_at FROM "
                     "advisory_revisions WHERE ?1 IS NOT NULL AND advisory_id = ?2 ORDER BY "
                     "revision DESC",
                     a, &revision_record, out, n);
}

int advisory_csaf(rb_db *db, const rb_actor *actor, const char *id, int rev, rb_arena *a,
                  rb_buf *out)
{
    rb_stmt *st = NULL;
    int rc = kind_query(&kind_advisory, db, actor, id,
                        "SELECT CASE WHEN ?2 > 0 THEN (SELECT doc FROM advisory_revisions r WHERE "
                        "r.advisory_id = o.id AND r.revision = ?2) ELSE o.doc END, o.tlp FROM "
                        "advisories o WHERE o.id = ?1",
                        DB_ARGS(DB_TEXT(id), DB_INT(rev)), &st);
    if (rc)
        return rc;
    char *doc = NULL, *tlp = NULL;
    if ((rc = db_step(st)) == DB_ROW) {
        doc = db_col_dup(st, 0, a);
        tlp = db_col_dup(st, 1, a);
    }
    db_done(st);
    if (rc < 0)
        return rc;
    if (!doc || !tlp)
        return RB_ENOTFOUND;
    enum rb_tlp level = TLP_RED;
    tlp_parse(tlp, &level);
    return advisory_doc_serve(doc, strlen(doc), level, a, out);
}

/* ---- deadlines ---- */

static const struct rb_member adv_policy_members[] = {
    RB_MEMBERS(rb_adv_policy, severity, ack_hours, mitigate_days, updated_at, updated_by),
};
const struct rb_record adv_policy_record = RB_RECORD(rb_adv_policy, adv_policy_members);

int advisory_policy_get(rb_db *db, rb_arena *a, rb_adv_policy **out, int *n)
{
    return db_query_rows(db,
                         "SELECT severity, ack_hours, mitigate_days, updated_at, updated_by FROM "
                         "advisory_policy ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN "
                         "'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END",
                         NULL, 0, &adv_policy_record, a, out, n);
}

int advisory_policy_set(rb_db *db, const rb_actor *actor, enum adv_severity sev, int ack_hours,
                        int mitigate_days, rb_errinfo *ei)
{
    if (!actor->system && (actor->role != ROLE_ADMIN || actor->org.kind != KIND_NATIONAL_CERT))
        return rb_err(ei, RB_EPERM, "", "only the National CERT's admins change the deadlines");
    if ((unsigned)sev >= ASEV__COUNT)
        return rb_err(ei, RB_EINVAL, "severity", "unknown severity");
    if (ack_hours < 1 || ack_hours > 8760)
        return rb_err(ei, RB_EINVAL, "ack_hours", "\"ack_hours\" must be 1 to 8760 (a year)");
    if (mitigate_days < 1 || mitigate_days > 3650)
        return rb_err(ei, RB_EINVAL, "mitigate_days",
                      "\"mitigate_days\" must be 1 to 3650 (ten years)");
    return write_exec(db, actor,
                      &(struct write_entry){"advisory_policy.update", &kind_org, actor->org.id,
                                            actor->org.id, .fail = "cannot change the deadlines"},
                      "UPDATE advisory_policy SET ack_hours = ?2, mitigate_days = ?3, updated_at = "
                      "?4, updated_by = ?5 WHERE severity = ?1",
                      DB_ARGS(DB_TEXT(adv_severity_names[sev]), DB_INT(ack_hours),
                              DB_INT(mitigate_days), WRITE_NOW, DB_TEXT(actor->label)),
                      ei);
}

int advisory_namespace_set(rb_db *db, const rb_actor *actor, const char *url, rb_errinfo *ei)
{
    if (!actor->system && (actor->role != ROLE_ADMIN || actor->org.kind != KIND_NATIONAL_CERT))
        return rb_err(ei, RB_EPERM, "", "only the National CERT's admins set the namespace");
    int rc = rb_field_checks(FIELD_URL, "namespace", url, ei);
    if (rc)
        return rc;
    if (!url ||
        (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0 &&
         strncmp(url, "urn:", 4) != 0) ||
        strlen(url) < 8)
        return rb_err(ei, RB_EINVAL, "namespace",
                      "the namespace is the URL that names your CERT (https://cert.example.gov) "
                      "or a URN");
    return write_exec(db, actor,
                      &(struct write_entry){"settings.namespace", &kind_org, actor->org.id,
                                            actor->org.id, .fail = "cannot set the namespace"},
                      "INSERT INTO settings(key, value) VALUES ('namespace', ?1) ON CONFLICT(key) "
                      "DO UPDATE SET value = excluded.value",
                      DB_ARGS(DB_TEXT(url)), ei);
}

/* ---- records ---- */

/* What a delivery of advisory id needs: its status, severity and title, and the deadlines that
 * its severity's policy sets from the write's time (72 hours and 90 days without a policy). */
struct delivery {
    char *status, *sev, *title; /* NULL when there is no such advisory */
    int64_t ack_hours, mitigate_days;
    char ack_due[RB_TIME_SIZE], mit_due[RB_TIME_SIZE];
};
static const struct rb_member delivery_members[] = {
    RB_HIDDEN_MEMBERS(struct delivery, status, sev, title, ack_hours, mitigate_days),
};
static const struct rb_record delivery_record = RB_RECORD(struct delivery, delivery_members);

static int delivery_read(rb_write *w, const char *id, struct delivery *d)
{
    *d = (struct delivery){.ack_hours = 72, .mitigate_days = 90};
    int rc = db_query_one(w->db,
                          "SELECT o.status, o.severity, o.title, p.ack_hours, p.mitigate_days "
                          "FROM advisories o JOIN advisory_policy p ON p.severity = o.severity "
                          "WHERE o.id = ?1",
                          DB_ARGS(DB_TEXT(id)), write_arena(w), &delivery_record, d);
    if (rc && rc != RB_ENOTFOUND)
        return rc;
    int64_t now = rb_time_of(w->now);
    rb_time_format(now + d->ack_hours * 3600, d->ack_due);
    rb_time_format(now + d->mitigate_days * 86400, d->mit_due);
    return 0;
}

/* An org that may read an advisory and has no record of it yet. */
struct new_reader {
    char *org_id;
};
static const struct rb_member new_reader_members[] = {
    RB_HIDDEN_MEMBERS(struct new_reader, org_id),
};
static const struct rb_record new_reader_record = RB_RECORD(struct new_reader, new_reader_members);

/* Inside w: the records of every org that may now read the published advisory id and has none
 * (its owner aside), each with its deadlines and an inbox item; and drops the records of orgs
 * that may no longer read it. */
static int sync_records(rb_write *w, const char *id)
{
    struct delivery d;
    int rc = delivery_read(w, id, &d);
    if (rc || !d.status || strcmp(d.status, "published") != 0)
        return rc;
    if ((rc = db_exec(w->db,
                      "DELETE FROM advisory_acks WHERE advisory_id = ?1 AND org_id NOT IN (SELECT "
                      "g.id FROM advisories o, orgs g WHERE o.id = ?1 AND " POLICY_SQL_READABLE_BY(
                          "o", "?2", "g.id") ")",
                      DB_ARGS(DB_TEXT(id), DB_TEXT(kind_advisory.name)))))
        return rc;
    /* The new readers, then their records and inbox items (no statement stays open). */
    struct new_reader *orgs = NULL;
    int n = 0;
    if ((rc = db_query_rows(w->db,
                            "SELECT g.id FROM advisories o, orgs g WHERE o.id = ?1 AND g.id <> "
                            "o.owner_org AND NOT EXISTS (SELECT 1 FROM advisory_acks k WHERE "
                            "k.advisory_id = o.id AND k.org_id = g.id) AND " POLICY_SQL_READABLE_BY(
                                "o", "?2", "g.id") " ORDER BY g.depth, g.name",
                            DB_ARGS(DB_TEXT(id), DB_TEXT(kind_advisory.name)), &new_reader_record,
                            write_arena(w), &orgs, &n)))
        return rc;
    char detail[600];
    rb_fmt(detail, sizeof(detail), "%s (%s): acknowledge by %s", d.title, d.sev, d.ack_due);
    for (int i = 0; i < n && !rc; i++) {
        rc = db_exec(w->db,
                     "INSERT INTO advisory_acks(advisory_id, org_id, status, delivered_at, "
                     "ack_due, mitigate_due, updated_at) VALUES (?1, ?2, 'delivered', ?3, ?4, ?5, "
                     "?3)",
                     DB_ARGS(DB_TEXT(id), DB_TEXT(orgs[i].org_id), DB_TEXT(w->now),
                             DB_TEXT(d.ack_due), DB_TEXT(d.mit_due)));
        if (!rc)
            rc = inbox_add(w, orgs[i].org_id, INBOX_ACKNOWLEDGE, &kind_advisory, id, detail, NULL,
                           NULL);
    }
    if (!rc)
        rc = advisory_match_records(w, id);
    return rc;
}

int advisory_touch(rb_write *w, const char *id)
{
    return sync_records(w, id);
}

/* Inside w: every record back to delivered, with deadlines from now (a material revision). */
static int redeliver(rb_write *w, const char *id)
{
    struct delivery d;
    int rc = delivery_read(w, id, &d);
    if (rc)
        return rc;
    return db_exec(w->db,
                   "UPDATE advisory_acks SET status = 'delivered', delivered_at = ?2, "
                   "acknowledged_at = NULL, resolved_at = NULL, ack_due = ?3, mitigate_due = ?4, "
                   "updated_at = ?2, updated_by = NULL, note = '' WHERE advisory_id = ?1",
                   DB_ARGS(DB_TEXT(id), DB_TEXT(w->now), DB_TEXT(d.ack_due), DB_TEXT(d.mit_due)));
}

/* What the writes need of an advisory, read without a policy check (after one). */
struct adv_row {
    char id[RB_ID_SIZE], owner[RB_ID_SIZE], status[16], source[16], version[64];
    enum rb_tlp tlp;
    int64_t revision;
};

/* The advisory the statement st selects (id, owner_org, status, source, version, tlp, revision),
 * into *out; out->id is "" when there is none. Returns 0 or RB_EDB. */
#define ADV_ROW_COLS "id, owner_org, status, source, version, tlp, revision"
static const struct rb_member adv_row_members[] = {
    RB_HIDDEN_CHARS(struct adv_row, id, owner, status, source, version),
    RB_HIDDEN(struct adv_row, tlp, tlp_mtype),
    RB_HIDDEN_MEMBERS(struct adv_row, revision),
};
static const struct rb_record adv_row_record = RB_RECORD(struct adv_row, adv_row_members);

static int adv_row_read(rb_stmt *st, struct adv_row *out)
{
    memset(out, 0, sizeof(*out));
    out->tlp = TLP_RED;
    int rc = db_one(st, NULL, &adv_row_record, out);
    return rc == RB_ENOTFOUND ? 0 : rc;
}

static int adv_row_load(rb_db *db, const char *id, struct adv_row *out)
{
    rb_stmt *st = NULL;
    int rc = db_query(db, "SELECT " ADV_ROW_COLS " FROM advisories WHERE id = ?1",
                      DB_ARGS(DB_TEXT(id)), &st);
    return rc ? rc : adv_row_read(st, out);
}

/* The owner's analysts and admins, on a readable advisory: RB_ENOTFOUND / RB_EPERM. */
static int owner_start(rb_db *db, const rb_actor *actor, const char *id, const char *what,
                       rb_errinfo *ei)
{
    struct kind_ref ref;
    int rc = kind_load(&kind_advisory, db, actor, id, &ref);
    if (rc)
        return rb_err(ei, rc, "", "no such advisory");
    if (!actor->system &&
        (strcmp(ref.owner_org, actor->org.id) != 0 || !policy_can(actor, PERM_PUBLISH)))
        return rb_err(ei, RB_EPERM, "", "only the analysts and admins of the advisory's org %s",
                      what);
    return 0;
}

int advisory_publish(rb_db *db, const rb_actor *actor, const char *id, enum rb_scope scope,
                     const char *const *org_ids, int n, rb_errinfo *ei)
{
    int rc = owner_start(db, actor, id, "publish it", ei);
    if (rc)
        return rc;
    struct adv_row x;
    if ((rc = adv_row_load(db, id, &x)))
        return rc;
    const char *owner = x.owner;
    if (strcmp(x.status, "draft") != 0)
        return rb_err(ei, RB_ECONFLICT, "",
                      "the advisory is published already: share it further "
                      "with POST /api/v1/advisories/{id}/grants");
    enum rb_tlp level = x.tlp;
    if (scope == SCOPE_SUBTREE && n > 0)
        return rb_err(ei, RB_EINVAL, "org_ids",
                      "a publication to the subtree names no orgs: leave out \"org_ids\"");
    if (scope == SCOPE_SUBTREE && (level == TLP_AMBER_STRICT || level == TLP_RED))
        return rb_err(ei, RB_EINVAL, "scope",
                      "TLP:%s goes to named orgs only: publish with \"scope\": \"orgs\" and "
                      "\"org_ids\"",
                      tlp_name(level));
    if (scope == SCOPE_ORG && (n < 1 || n > ADVISORY_PUBLISH_ORGS_MAX))
        return rb_err(ei, RB_EINVAL, "org_ids", "name 1 to %d orgs in \"org_ids\"",
                      ADVISORY_PUBLISH_ORGS_MAX);
    for (int i = 0; i < n; i++) {
        int64_t found = 0;
        if ((rc = db_query_int(db, "SELECT count(*) FROM orgs WHERE id = ?1",
                               DB_ARGS(DB_TEXT(org_ids[i])), &found)))
            return rc;
        if (!found)
            return rb_err(ei, RB_EINVAL, "org_ids", "org_ids[%d]: no such org", i);
    }
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    /* The grants while it is still a draft (the touch hook waits), then one delivery. */
    if (scope == SCOPE_SUBTREE)
        rc = share_grant(&w, &kind_advisory, id, owner, SCOPE_SUBTREE);
    for (int i = 0; i < n && !rc; i++)
        if (strcmp(org_ids[i], owner) != 0)
            rc = share_grant(&w, &kind_advisory, id, org_ids[i], SCOPE_ORG);
    if (!rc)
        rc = db_exec(db,
                     "UPDATE advisories SET status = 'published', published_at = ?2, updated_at "
                     "= ?2 WHERE id = ?1",
                     DB_ARGS(DB_TEXT(id), DB_TEXT(w.now)));
    if (!rc)
        rc = history_add(&w, &kind_advisory, id, "published", NULL,
                         scope == SCOPE_SUBTREE ? "to the publisher's constituency"
                                                : "to the orgs named");
    if (!rc)
        rc = write_audit(&w, "advisory.publish", &kind_advisory, id, owner);
    if (!rc)
        rc = sync_records(&w, id);
    return write_end(&w, rc, "advisory.publish", &kind_advisory, id, owner,
                     "cannot publish the advisory");
}

int advisory_ack(rb_db *db, const rb_actor *actor, const char *id, enum ack_status to,
                 const char *note, rb_errinfo *ei)
{
    struct kind_ref ref;
    int rc = kind_load(&kind_advisory, db, actor, id, &ref);
    if (rc)
        return rb_err(ei, rc, "", "no such advisory");
    if (!policy_can(actor, PERM_REPORT) && !policy_can(actor, PERM_TRIAGE))
        return rb_err(ei, RB_EPERM, "",
                      "your role may not acknowledge advisories (reporters, analysts and admins "
                      "do)");
    if ((unsigned)to >= ACK__COUNT || to == ACK_DELIVERED)
        return rb_err(ei, RB_EINVAL, "status", "unknown status");
    if ((rc = rb_field_checks(FIELD_NOTE, "note", note, ei)))
        return rc;
    char from[16];
    if ((rc = db_query_text_buf(db,
                                "SELECT status FROM advisory_acks WHERE advisory_id = ?1 AND "
                                "org_id = ?2",
                                DB_ARGS(DB_TEXT(id), DB_TEXT(actor->org.id)), from, sizeof(from))))
        return rc;
    if (!from[0])
        return rb_err(ei, RB_ENOTFOUND, "",
                      "your org has no record for this advisory (it was not delivered to it)");
    int f = rb_name_index(ack_status_names, from);
    if (f < 0 || !advisory_ack_may((enum ack_status)f, to)) {
        enum ack_status next[ACK__COUNT];
        int nn = f >= 0 ? advisory_ack_next((enum ack_status)f, next) : 0;
        char allowed[160] = "";
        for (int i = 0; i < nn; i++) {
            size_t used = strlen(allowed);
            rb_fmt(allowed + used, sizeof(allowed) - used, "%s%s", i ? ", " : "",
                   ack_status_names[next[i]]);
        }
        return rb_err(ei, RB_ECONFLICT, "status", "a record that is %s moves to %s, not %s", from,
                      nn ? allowed : "nothing", ack_status_names[to]);
    }
    bool resolved = to == ACK_NOT_AFFECTED || to == ACK_MITIGATED;
    return write_exec(
        db, actor,
        &(struct write_entry){to == ACK_ACKNOWLEDGED   ? "advisory.acknowledge"
                              : to == ACK_NOT_AFFECTED ? "advisory.not_affected"
                              : to == ACK_AFFECTED     ? "advisory.affected"
                              : to == ACK_MITIGATING   ? "advisory.mitigating"
                                                       : "advisory.mitigated",
                              &kind_advisory, id, actor->org.id,
                              .fail = "cannot record the status"},
        "UPDATE advisory_acks SET status = ?3, note = coalesce(?4, note), acknowledged_at = "
        "coalesce(acknowledged_at, ?5), resolved_at = CASE WHEN ?6 = 1 THEN ?5 ELSE NULL END, "
        "updated_at = ?5, updated_by = ?7 WHERE advisory_id = ?1 AND org_id = ?2",
        DB_ARGS(DB_TEXT(id), DB_TEXT(actor->org.id), DB_TEXT(ack_status_names[to]), DB_TEXT(note),
                WRITE_NOW, DB_INT(resolved ? 1 : 0), DB_TEXT(actor->label)),
        ei);
}

/* ---- the records a reader may see ---- */

/* What matched names an inventory item: shown only to those who may read that inventory (the org
 * and the CERTs above it), not to an owner elsewhere in the tree. */
#define ACK_COLS                                                                                   \
    "k.advisory_id, k.org_id, g.name, g.kind, g.province, g.sector, k.status, "                    \
    "k.likely_affected, CASE WHEN ?104 = 1 OR k.org_id IN (SELECT descendant_id FROM org_closure " \
    "WHERE ancestor_id = ?101) THEN k.matched END, k.note, k.delivered_at, k.acknowledged_at, "    \
    "k.resolved_at, "                                                                              \
    "k.ack_due, k.mitigate_due, k.updated_at, k.updated_by, o.title, o.severity, o.tracking_id "
/* The reader sees its own org's record and those below it; the owner sees them all. */
#define ACK_VISIBLE                                                                                \
    "(?104 = 1 OR o.owner_org = ?101 OR k.org_id IN (SELECT descendant_id FROM org_closure WHERE " \
    "ancestor_id = ?101))"

static const struct rb_member ack_members[] = {
    RB_MEMBERS(rb_ack, advisory_id, org_id, org_name, org_kind, province, sector, status,
               likely_affected, matched, note, delivered_at, acknowledged_at, resolved_at, ack_due,
               mitigate_due, updated_at),
    RB_MEMBERS(rb_ack, updated_by),
    RB_MEMBER(rb_ack, overdue, rb_bool_later),
    RB_HIDDEN_MEMBERS(rb_ack, advisory_title, advisory_severity, advisory_tracking_id),
};
const struct rb_record ack_record = RB_RECORD(rb_ack, ack_members);

static void write_my_ack_extra(rj_writer *w, const void *row);
static const struct rb_member my_ack_members[] = {
    RB_MEMBERS(rb_ack, advisory_id, status, likely_affected, matched, note, delivered_at,
               acknowledged_at, resolved_at, ack_due, mitigate_due, updated_at),
    RB_MEMBER(rb_ack, overdue, rb_bool_later),
    RB_DERIVED(rb_ack, advisory_title, "advisory_title", rb_text, write_my_ack_extra),
    RB_MEMBERS(rb_ack, advisory_severity, advisory_tracking_id),
};
const struct rb_record my_ack_record = RB_RECORD(rb_ack, my_ack_members);

static void write_my_ack_extra(rj_writer *w, const void *row)
{
    rjw_str(w, ((const rb_ack *)row)->advisory_title);
}

/* Reads the records st selects (ACK_COLS, the advisory's readability bound for actor), each
 * marked overdue or not as of now; hands st back. */
static int acks_read(rb_stmt *st, const rb_actor *actor, rb_arena *a, rb_ack **out, int *n)
{
    policy_bind_actor(st, actor, &kind_advisory);
    int rc = db_rows(st, &ack_record, a, out, n);
    if (rc)
        return rc;
    char now[RB_TIME_SIZE];
    rb_time_format(rb_now(), now);
    for (int i = 0; i < *n; i++) {
        rb_ack *k = &(*out)[i];
        k->overdue = ack_overdue(k->status, k->ack_due, k->mitigate_due, now);
    }
    return 0;
}

#define ACKS_MAX (ADVISORY_PUBLISH_ORGS_MAX * 20)
/* ?4 is now. The order of an advisory's records: the likely affected that have not acted, the
 * overdue, the not yet acknowledged, then by name. */
#define ACK_OVERDUE_NOW ACK_SQL_OVERDUE("k", "?4")
#define ACK_ORDER                                                                                  \
    "(k.likely_affected = 1 AND k.status IN ('delivered', 'acknowledged')) DESC, " ACK_OVERDUE_NOW \
    " DESC, (k.status = 'delivered') DESC, g.name"

int advisory_acks(rb_db *db, const rb_actor *actor, const char *id, const struct ack_filter *f,
                  rb_arena *a, rb_ack **out, int *n)
{
    char now[RB_TIME_SIZE];
    rb_time_format(rb_now(), now);
    rb_stmt *st = NULL;
    int rc = kind_query(
        &kind_advisory, db, actor, id,
        "SELECT " ACK_COLS "FROM advisory_acks k JOIN orgs g ON g.id = k.org_id JOIN "
        "advisories o ON o.id = k.advisory_id WHERE k.advisory_id = ?1 AND " ACK_VISIBLE
        " AND (?2 IS NULL OR k.status = ?2) AND (?3 = 0 OR " ACK_OVERDUE_NOW
        ") AND (?5 IS NULL OR g.province = ?5) ORDER BY " ACK_ORDER " LIMIT ?6",
        DB_ARGS(DB_TEXT(id),
                DB_TEXT(f && f->status >= 0 && f->status < ACK__COUNT ? ack_status_names[f->status]
                                                                      : NULL),
                DB_INT(f && f->overdue ? 1 : 0), DB_TEXT(now),
                DB_TEXT(f && f->province && f->province[0] ? f->province : NULL), DB_INT(ACKS_MAX)),
        &st);
    return rc ? rc : acks_read(st, actor, a, out, n);
}

static struct ack_count *count_in(struct ack_count *v, int *n, int cap, const char *key,
                                  rb_arena *a)
{
    const char *k = key && key[0] ? key : "none";
    for (int i = 0; i < *n; i++)
        if (strcmp(v[i].key, k) == 0)
            return &v[i];
    if (*n >= cap)
        return NULL;
    struct ack_count *c = &v[(*n)++];
    memset(c, 0, sizeof(*c));
    c->key = rb_arena_strdup(a, k);
    return c->key ? c : NULL;
}

static void count_add(struct ack_count *c, const rb_ack *k, int st)
{
    if (!c)
        return;
    c->total++;
    if (st >= 0)
        c->by_status[st]++;
    c->overdue += k->overdue;
    c->likely_affected += k->likely_affected;
}

int advisory_ack_stats(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                       rb_ack_stats *out)
{
    rb_ack *rows = NULL;
    int n = 0;
    struct ack_filter all = {.status = -1};
    int rc = advisory_acks(db, actor, id, &all, a, &rows, &n);
    if (rc)
        return rc;
    memset(out, 0, sizeof(*out));
    int cap = 64;
    out->provinces = rb_arena_alloc(a, (size_t)cap * sizeof(*out->provinces));
    out->sectors = rb_arena_alloc(a, (size_t)cap * sizeof(*out->sectors));
    if (!out->provinces || !out->sectors)
        return RB_ENOMEM;
    for (int i = 0; i < n; i++) {
        int st = rb_name_index(ack_status_names, rows[i].status);
        out->total++;
        if (st >= 0)
            out->by_status[st]++;
        out->overdue += rows[i].overdue;
        out->likely_affected += rows[i].likely_affected;
        out->likely_not_acted +=
            rows[i].likely_affected && (st == ACK_DELIVERED || st == ACK_ACKNOWLEDGED);
        count_add(count_in(out->provinces, &out->nprovinces, cap, rows[i].province, a), &rows[i],
                  st);
        count_add(count_in(out->sectors, &out->nsectors, cap, rows[i].sector, a), &rows[i], st);
    }
    return 0;
}

static void write_counts(rj_writer *w, const int by[ACK__COUNT])
{
    rjw_kobj(w, "by_status");
    for (int s = 0; s < ACK__COUNT; s++)
        rjw_kint(w, ack_status_names[s], by[s]);
    rjw_obj_end(w);
}

static void write_groups(rj_writer *w, const char *key, const struct ack_count *v, int n)
{
    rjw_karr(w, key);
    for (int i = 0; i < n; i++) {
        rjw_obj(w);
        rjw_kstr(w, "key", v[i].key);
        rjw_kint(w, "total", v[i].total);
        rjw_kint(w, "overdue", v[i].overdue);
        rjw_kint(w, "likely_affected", v[i].likely_affected);
        write_counts(w, v[i].by_status);
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
}

void advisory_ack_stats_write(rj_writer *w, const void *stats)
{
    const rb_ack_stats *s = stats;
    rjw_obj(w);
    rjw_kint(w, "total", s->total);
    rjw_kint(w, "overdue", s->overdue);
    rjw_kint(w, "likely_affected", s->likely_affected);
    rjw_kint(w, "likely_affected_not_acted", s->likely_not_acted);
    write_counts(w, s->by_status);
    write_groups(w, "provinces", s->provinces, s->nprovinces);
    write_groups(w, "sectors", s->sectors, s->nsectors);
    rjw_obj_end(w);
}

int advisory_my_acks(rb_db *db, const rb_actor *actor, bool all, int limit, rb_arena *a,
                     rb_ack **out, int *n)
{
    if (actor->system) {
        *out = NULL;
        *n = 0;
        return 0;
    }
    rb_stmt *st = NULL;
    int rc = db_query(
        db,
        "SELECT " ACK_COLS "FROM advisory_acks k JOIN orgs g ON g.id = k.org_id JOIN advisories o "
        "ON o.id = k.advisory_id WHERE k.org_id = ?1 AND " ADVISORY_SQL_READABLE
        " AND (?2 = 1 OR k.status IN ('delivered', 'acknowledged', 'affected', 'mitigating')) "
        "ORDER BY CASE "
        "k.status WHEN 'delivered' THEN k.ack_due ELSE coalesce(k.mitigate_due, k.ack_due) END "
        "LIMIT ?3",
        DB_ARGS(DB_TEXT(actor->org.id), DB_INT(all ? 1 : 0),
                DB_INT(limit > 0 && limit <= 500 ? limit : 200)),
        &st);
    return rc ? rc : acks_read(st, actor, a, out, n);
}

int advisory_overdue_tick(rb_db *db, const rb_actor *sys, int64_t now, int *notices)
{
    char t[RB_TIME_SIZE];
    rb_time_format(now, t);
    rb_arena a;
    rb_arena_init(&a, 8u << 20);
    rb_stmt *st = NULL;
    *notices = 0;
    int rc = db_query(
        db,
        "SELECT k.advisory_id, k.org_id, k.status, CASE k.status WHEN 'delivered' "
        "THEN k.ack_due ELSE k.mitigate_due END, o.title FROM advisory_acks k JOIN "
        "advisories o ON o.id = k.advisory_id WHERE " ACK_SQL_OVERDUE(
            "k", "?1") " AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.dedup = 'advisory-overdue:' "
                       "|| k.advisory_id || ':' || k.org_id || ':' || CASE k.status WHEN "
                       "'delivered' THEN 'ack:' || k.ack_due ELSE 'mitigate:' || k.mitigate_due "
                       "END) LIMIT 1000",
        DB_ARGS(DB_TEXT(t)), &st);
    if (rc)
        goto out;
    struct due {
        char *adv, *org, *status, *due, *title;
    } *v = rb_arena_alloc(&a, 1000 * sizeof(*v));
    int n = 0;
    if (!v)
        rc = RB_ENOMEM;
    while (v && n < 1000 && (rc = db_step(st)) == DB_ROW) {
        v[n].adv = db_col_dup(st, 0, &a);
        v[n].org = db_col_dup(st, 1, &a);
        v[n].status = db_col_dup(st, 2, &a);
        v[n].due = db_col_dup(st, 3, &a);
        v[n].title = db_col_dup(st, 4, &a);
        n++;
    }
    db_done(st);
    if (rc < 0)
        goto out;
    rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        bool ack = strcmp(v[i].status, "delivered") == 0;
        char dedup[200], detail[700];
        rb_fmt(dedup, sizeof(dedup), "advisory-overdue:%s:%s:%s:%s", v[i].adv, v[i].org,
               ack ? "ack" : "mitigate", v[i].due);
        rb_fmt(detail, sizeof(detail), "%s: %s was due %s", v[i].title,
               ack ? "acknowledgement" : "mitigation", v[i].due);
        rb_write w;
        if ((rc = write_begin(&w, db, sys, NULL)))
            break;
        bool added = false;
        rc =
            inbox_add(&w, v[i].org, INBOX_OVERDUE, &kind_advisory, v[i].adv, detail, dedup, &added);
        rc = write_end(&w, rc, "advisory.overdue", &kind_advisory, v[i].adv, v[i].org,
                       "cannot record the notice");
        if (!rc && added)
            (*notices)++;
    }
out:
    rb_arena_release(&a);
    return rc;
}

/* ---- the writes of the document: import, create, revise ---- */

void advisory_input_init(struct advisory_input *in)
{
    memset(in, 0, sizeof(*in));
    in->severity = -1;
    in->tlp = -1;
}

/* Inside w: a new revision row, and the advisory's current columns from what d found. */
static int store_revision(rb_write *w, const char *id, const struct advisory_doc *d, int rev,
                          bool material, const char *summary)
{
    int rc =
        db_exec(w->db,
                "INSERT INTO advisory_revisions(advisory_id, revision, version, material, "
                "summary, doc, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                DB_ARGS(DB_TEXT(id), DB_INT(rev), DB_TEXT(d->version), DB_INT(material ? 1 : 0),
                        DB_TEXT(summary ? summary : ""), DB_TEXT(d->doc), DB_TEXT(w->actor->label),
                        DB_TEXT(w->now)));
    if (!rc)
        rc = db_exec(
            w->db,
            "UPDATE advisories SET title = ?2, category = ?3, version = ?4, revision = ?5, "
            "initial_release = ?6, current_release = ?7, cves = ?8, products = ?9, doc = "
            "?10, max_score = ?11, updated_at = ?12, severity = coalesce(?13, severity), "
            "input = coalesce(?14, input) WHERE id = ?1",
            DB_ARGS(DB_TEXT(id), DB_TEXT(d->title), DB_TEXT(d->category), DB_TEXT(d->version),
                    DB_INT(rev), DB_TEXT(d->initial_release), DB_TEXT(d->current_release),
                    DB_TEXT(d->cves), DB_TEXT(d->products), DB_TEXT(d->doc),
                    DB_DOUBLE_OR_NULL(d->max_score >= 0, d->max_score), DB_TEXT(w->now),
                    DB_TEXT(d->severity >= 0 ? adv_severity_names[d->severity] : NULL),
                    DB_TEXT(d->input)));
    return rc;
}

static int insert_new(rb_write *w, const char *id, const struct advisory_doc *d, bool authored,
                      enum rb_tlp tlp)
{
    char file[300];
    csaf_file_name(d->tracking_id, file, sizeof(file));
    int rc = db_exec(
        w->db,
        "INSERT INTO advisories(id, owner_org, tlp, source, status, tracking_id, publisher_ns, "
        "title, category, severity, version, revision, initial_release, current_release, doc, "
        "created_by, created_at, updated_at, file_name) VALUES (?1, ?2, ?3, ?4, 'draft', ?5, ?6, "
        "?7, ?8, ?9, ?10, 1, ?11, ?12, ?13, ?14, ?15, ?15, ?16)",
        DB_ARGS(DB_TEXT(id), DB_TEXT(w->actor->org.id), DB_TEXT(tlp_name(tlp)),
                DB_TEXT(authored ? "authored" : "imported"), DB_TEXT(d->tracking_id),
                DB_TEXT(d->namespace_url), DB_TEXT(d->title), DB_TEXT(d->category),
                DB_TEXT(adv_severity_names[d->severity >= 0 ? d->severity : ASEV_MEDIUM]),
                DB_TEXT(d->version), DB_TEXT(d->initial_release), DB_TEXT(d->current_release),
                DB_TEXT(d->doc), DB_TEXT(w->actor->label), DB_TEXT(w->now), DB_TEXT(file)));
    if (!rc)
        rc = store_revision(w, id, d, 1, false, authored ? "Initial version." : d->summary);
    if (!rc)
        rc = history_add(w, &kind_advisory, id, authored ? "written" : "imported", NULL,
                         d->tracking_id);
    return rc;
}

static int may_write_advisories(const rb_actor *actor, rb_errinfo *ei)
{
    if (actor->system)
        return 0;
    if (!policy_can(actor, PERM_PUBLISH) || !rb_org_kind_is_cert(actor->org.kind))
        return rb_err(ei, RB_EPERM, "",
                      "only the analysts and admins of a CERT import or write advisories");
    return 0;
}

int advisory_import(rb_db *db, const rb_actor *actor, rb_arena *a, const char *json, size_t len,
                    int tlp, char out_id[RB_ID_SIZE], bool *created, rb_errinfo *ei)
{
    int rc = may_write_advisories(actor, ei);
    if (rc)
        return rc;
    struct advisory_doc d;
    if ((rc = advisory_doc_read(json, len, a, &d, ei)))
        return rc;
    enum rb_tlp level = tlp >= 0 && tlp < TLP__COUNT ? (enum rb_tlp)tlp : d.tlp;
    /* Is it a revision of one we hold? */
    rb_stmt *st = NULL;
    struct adv_row x;
    if ((rc = db_query(db,
                       "SELECT " ADV_ROW_COLS " FROM advisories WHERE publisher_ns = ?1 AND "
                       "tracking_id = ?2",
                       DB_ARGS(DB_TEXT(d.namespace_url), DB_TEXT(d.tracking_id)), &st)) ||
        (rc = adv_row_read(st, &x)))
        return rc;
    char id[RB_ID_SIZE];
    rb_strlcpy(id, x.id, sizeof(id));
    const char *owner = x.owner, *version = x.version;
    int64_t rev = x.revision;
    if (id[0] && strcmp(owner, actor->org.id) != 0)
        return rb_err(ei, RB_ECONFLICT, "document.tracking.id",
                      "another org holds the advisory %s of %s already", d.tracking_id,
                      d.namespace_url);
    if (id[0] && strcmp(version, d.version) == 0)
        return rb_err(ei, RB_ECONFLICT, "document.tracking.version",
                      "version %s of %s is here already", d.version, d.tracking_id);
    rb_write w;
    if (id[0]) {
        if ((rc = write_begin(&w, db, actor, ei)))
            return rc;
        write_use_arena(&w, a);
        rc = store_revision(&w, id, &d, (int)rev + 1, false, d.summary);
        if (!rc)
            rc = history_add(&w, &kind_advisory, id, "revised", NULL, d.version);
        rc = write_end(&w, rc, "advisory.revise", &kind_advisory, id, actor->org.id,
                       "cannot store the revision");
        if (!rc) {
            rb_strlcpy(out_id, id, RB_ID_SIZE);
            *created = false;
        }
        return rc;
    }
    if ((rc = write_begin_new(&w, db, actor, id, ei)))
        return rc;
    write_use_arena(&w, a);
    rc = insert_new(&w, id, &d, false, level);
    rc = write_end(&w, rc, "advisory.import", &kind_advisory, id, actor->org.id,
                   "cannot store the advisory");
    if (!rc) {
        rb_strlcpy(out_id, id, RB_ID_SIZE);
        *created = true;
    }
    return rc;
}

int advisory_create(rb_db *db, const rb_actor *actor, rb_arena *a, const struct advisory_input *in,
                    char out_id[RB_ID_SIZE], rb_errinfo *ei)
{
    int rc = may_write_advisories(actor, ei);
    if (rc)
        return rc;
    if ((rc = advisory_input_check(in, true, ei)))
        return rc;
    enum rb_tlp tlp = in->tlp >= 0 ? (enum rb_tlp)in->tlp : kind_advisory.default_tlp;
    char id[RB_ID_SIZE];
    rb_write w;
    if ((rc = write_begin_new(&w, db, actor, id, ei)))
        return rc;
    write_use_arena(&w, a);
    struct advisory_doc d;
    rc = advisory_doc_author(&w, id, 1, in, tlp, a, &d, ei);
    if (!rc)
        rc = insert_new(&w, id, &d, true, tlp);
    rc = write_end(&w, rc, "advisory.create", &kind_advisory, id, actor->org.id,
                   "cannot store the advisory");
    if (!rc)
        rb_strlcpy(out_id, id, RB_ID_SIZE);
    return rc;
}

int advisory_revise(rb_db *db, const rb_actor *actor, rb_arena *a, const char *id,
                    const struct advisory_input *in, rb_errinfo *ei)
{
    int rc = owner_start(db, actor, id, "revise it", ei);
    if (rc)
        return rc;
    if ((rc = advisory_input_check(in, false, ei)))
        return rc;
    struct adv_row x;
    if ((rc = adv_row_load(db, id, &x)))
        return rc;
    int64_t rev = x.revision;
    bool content = advisory_input_has_content(in);
    if (content && strcmp(x.source, "authored") != 0)
        return rb_err(ei, RB_EINVAL, "",
                      "an imported advisory changes by importing its next version; here only "
                      "\"severity\" and \"tlp\" change");
    if (!content && in->severity < 0 && in->tlp < 0)
        return rb_err(ei, RB_EINVAL, "", "nothing to change: send the members that change");
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    write_use_arena(&w, a);
    if (in->tlp >= 0)
        rc = share_tlp_in(&w, &kind_advisory, id, (enum rb_tlp)in->tlp, ei);
    if (!rc && in->severity >= 0 && !content)
        rc = db_exec(
            db, "UPDATE advisories SET severity = ?2, updated_at = ?3 WHERE id = ?1",
            DB_ARGS(DB_TEXT(id), DB_TEXT(adv_severity_names[in->severity]), DB_TEXT(w.now)));
    if (!rc && content) {
        struct advisory_doc d;
        struct adv_row now;
        if (!(rc = adv_row_load(db, id, &now))) /* the TLP as share_tlp_in left it */
            rc = advisory_doc_author(&w, id, (int)rev + 1, in, now.tlp, a, &d, ei);
        if (!rc)
            rc = store_revision(&w, id, &d, (int)rev + 1, in->material, in->revision_summary);
        if (!rc)
            rc =
                history_add(&w, &kind_advisory, id, in->material ? "revised (material)" : "revised",
                            NULL, in->revision_summary);
        if (!rc && in->material && strcmp(x.status, "published") == 0)
            rc = redeliver(&w, id);
    }
    return write_end(&w, rc, "advisory.revise", &kind_advisory, id, actor->org.id,
                     "cannot revise the advisory");
}
