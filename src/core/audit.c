/*
 * audit.c - append and verify the hash-chained audit trail.
 *
 * Sequence numbers are assigned here (previous + 1), not by the database, so a deleted row shows
 * as a gap. The genesis entry chains to 64 zeros.
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "core/audit.h"
#include "core/kind.h"
#include "core/policy.h"
#include "json/json.h"

static const char genesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

const char *const rb_audit_actions[] = {
    "org.create", "org.update", "org.move",
    "user.create", "user.password", "user.disable", "user.enable", "user.email_notify",
    "session.create", "session.failed", "session.delete",
    "token.create", "token.revoke",
    "catalog.import", "catalog.share", "catalog.tlp",
    "profile.create",
    "campaign.launch", "campaign.close",
    "assessment.create", "assessment.save", "assessment.submit", "assessment.review",
    "assessment.attach", "assessment.poam",
    "incident.report", "incident.update", "incident.acknowledge", "incident.escalate",
    "incident.comment", "incident.report_stage", "incident.merge", "incident.task_add",
    "incident.task_update", "incident.task_overdue", "incident.deadline", "incident.link",
    "incident.attach", "incident.share", "incident.import",
    "advisory.create", "advisory.import", "advisory.revise", "advisory.publish",
    "advisory.acknowledge", "advisory.not_affected", "advisory.affected", "advisory.mitigating",
    "advisory.mitigated", "advisory.overdue", "advisory.share", "advisory.tlp",
    "advisory_policy.update", "settings.namespace",
    "inbox.read", "reporting_policy.update",
    "webhook.create", "webhook.remove", "webhook.test",
    "inventory.add", "inventory.update", "inventory.remove", "inventory.import",
    "training.create", "training.update", "training.invite", "training.register",
    "training.unregister", "training.attend", "training.feedback", "training.material",
    "training.attach", "calendar_feed.create", "calendar_feed.revoke",
    "risk.create", "risk.update", "risk.accept", "risk.import", "risk.share", "risk.tlp",
    "risk_matrix.update",
    "outbound.delivered", "outbound.retry", "outbound.failed",
    NULL,
};

static void field(rb_buf *b, const char *s)
{
    s = s ? s : "";
    rb_buf_printf(b, "%zu:", strlen(s));
    rb_buf_adds(b, s);
    rb_buf_addc(b, ';');
}

static int entry_hash(const char *prev, int64_t seq, const char *at, const char *actor_id,
                      const char *label, const char *org_id, const char *action, const char *kind,
                      const char *object_id, char out[65])
{
    rb_buf b;
    rb_buf_init(&b, 4096);
    field(&b, prev);
    rb_buf_printf(&b, "%" PRId64 ";", seq);
    field(&b, at);
    field(&b, actor_id);
    field(&b, label);
    field(&b, org_id);
    field(&b, action);
    field(&b, kind);
    field(&b, object_id);
    int rc = b.err;
    if (!rc)
        rb_sha256_hex(b.ptr, b.len, out);
    rb_buf_release(&b);
    return rc;
}

int audit_append(rb_db *db, const rb_actor *actor, const char *action, const struct rb_kind *kind,
                 const char *object_id, const char *org_id)
{
    const char *object_kind = kind->name;
    if (!db_in_tx(db))
        return RB_EINTERNAL;
    rb_stmt *st = NULL;
    int rc = db_prepare(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", &st);
    if (rc)
        return rc;
    int64_t seq = 1;
    char prev[65];
    rb_strlcpy(prev, genesis, sizeof(prev));
    rc = db_step(st);
    if (rc == DB_ROW) {
        seq = db_col_int(st, 0) + 1;
        rb_strlcpy(prev, db_col_text(st, 1) ? db_col_text(st, 1) : "", sizeof(prev));
        rc = 0;
    }
    db_done(st);
    if (rc < 0)
        return rc;
    char at[RB_TIME_SIZE], hash[65];
    rb_time_format(rb_now(), at);
    const char *actor_id = actor->user_id[0] ? actor->user_id : NULL;
    rc = entry_hash(prev, seq, at, actor_id, actor->label, org_id, action, object_kind, object_id,
                    hash);
    if (rc)
        return rc;
    return db_exec(db,
                   "INSERT INTO audit_log(seq, at, actor_id, actor_label, org_id, action, "
                   "object_kind, object_id, prev_hash, hash) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,"
                   "?10)",
                   DB_ARGS(DB_INT(seq), DB_TEXT(at), DB_TEXT(actor_id), DB_TEXT(actor->label),
                           DB_TEXT(org_id), DB_TEXT(action), DB_TEXT(object_kind),
                           DB_TEXT(object_id), DB_TEXT(prev), DB_TEXT(hash)));
}

int audit_verify(rb_db *db, struct audit_verify_result *res)
{
    memset(res, 0, sizeof(*res));
    rb_strlcpy(res->head, genesis, sizeof(res->head));
    rb_stmt *st = NULL;
    int rc = db_prepare(db,
                        "SELECT seq, at, actor_id, actor_label, org_id, action, object_kind, "
                        "object_id, prev_hash, hash FROM audit_log ORDER BY seq",
                        &st);
    if (rc)
        return rc;
    int64_t expect = 1;
    char prev[65];
    rb_strlcpy(prev, genesis, sizeof(prev));
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t seq = db_col_int(st, 0);
        const char *stored_prev = db_col_text(st, 8), *stored = db_col_text(st, 9);
        char h[65];
        res->entries++;
        if (seq != expect) {
            res->bad_seq = seq;
            snprintf(res->reason, sizeof(res->reason),
                     "expected entry %" PRId64 " but found %" PRId64 ": entries were deleted",
                     expect, seq);
            break;
        }
        if (!stored_prev || strcmp(stored_prev, prev) != 0) {
            res->bad_seq = seq;
            snprintf(res->reason, sizeof(res->reason),
                     "its previous-hash does not match entry %" PRId64
                     ": entries were reordered, replaced or deleted",
                     seq - 1);
            break;
        }
        if (entry_hash(prev, seq, db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3),
                       db_col_text(st, 4), db_col_text(st, 5), db_col_text(st, 6),
                       db_col_text(st, 7), h) != 0 ||
            !stored || strcmp(h, stored) != 0) {
            res->bad_seq = seq;
            snprintf(res->reason, sizeof(res->reason),
                     "its content does not match its hash: the entry was changed");
            break;
        }
        rb_strlcpy(prev, stored, sizeof(prev));
        expect++;
    }
    db_done(st);
    if (rc < 0)
        return rc;
    rb_strlcpy(res->head, prev, sizeof(res->head));
    return res->bad_seq ? RB_ECONFLICT : 0;
}

/* An entry as the API and the CLI show it; its columns are those of audit_list's SELECT. The
 * object's name is the reader's layer's to set (kind_name), when the reader may read it. */
static const struct rb_member entry_members[] = {
    RB_MEMBERS(rb_audit_entry, seq, at, actor_id),
    RB_MEMBER_AS(rb_audit_entry, actor_label, "actor", rb_text),
    RB_MEMBERS(rb_audit_entry, org_id, org_name, action, object_kind, object_id),
    RB_MEMBER(rb_audit_entry, object_name, rb_text_later),
    RB_MEMBERS(rb_audit_entry, hash),
};
const struct rb_record audit_entry_record = RB_RECORD(rb_audit_entry, entry_members);

int audit_list(rb_db *db, const rb_actor *actor, const struct audit_query *q, rb_arena *a,
               rb_audit_entry **out, int *n, bool *more)
{
    if (!policy_can(actor, PERM_AUDIT_READ))
        return RB_EPERM;
    int rc;
    if (q->org_id && !actor->system) {
        /* The org must be the actor's own or below it (read from the closure table directly:
         * audit depends on nothing above it). */
        rb_stmt *chk = NULL;
        if ((rc = db_query(db,
                           "SELECT count(*) FROM org_closure WHERE ancestor_id = ?1 AND "
                           "descendant_id = ?2",
                           DB_ARGS(DB_TEXT(actor->org.id), DB_TEXT(q->org_id)), &chk)))
            return rc;
        int64_t found = 0;
        if ((rc = db_int(chk, &found)))
            return rc;
        if (!found)
            return RB_ENOTFOUND;
    }
    int limit = q->limit > 0 ? q->limit : 50;
    char *actor_like = q->actor ? db_like_contains(a, q->actor) : NULL;
    if (q->actor && !actor_like)
        return RB_ENOMEM;
    /* An action ending in '.' names a family ("assessment."): every action that starts so. */
    size_t al = q->action ? strlen(q->action) : 0;
    bool family = al > 0 && q->action[al - 1] == '.';
    rb_stmt *st = NULL;
    if ((rc = db_query(
             db,
             "SELECT l.seq, l.at, l.actor_id, l.actor_label, l.org_id, g.name, l.action, "
             "l.object_kind, l.object_id, l.hash FROM audit_log l LEFT JOIN orgs g ON g.id = "
             "l.org_id WHERE (?1 IS NULL OR l.org_id IN (SELECT descendant_id FROM org_closure "
             "WHERE ancestor_id = ?1)) AND (?2 IS NULL OR l.org_id = ?2) AND (?3 = 0 OR l.seq < "
             "?3) AND (?5 IS NULL OR lower(l.actor_label) LIKE ?5 ESCAPE '\\') AND (?6 IS NULL "
             "OR (?7 = 0 AND l.action = ?6) OR (?7 = 1 AND substr(l.action, 1, ?8) = ?6)) AND "
             "(?9 IS NULL OR l.object_kind = ?9) AND (?10 IS NULL OR l.object_id = ?10) AND (?11 "
             "IS NULL OR l.at >= ?11) AND (?12 IS NULL OR l.at <= ?12) AND (?13 = 0 OR l.action "
             "NOT LIKE 'session.%') ORDER BY l.seq DESC LIMIT ?4",
             DB_ARGS(DB_TEXT(actor->system ? NULL : actor->org.id), DB_TEXT(q->org_id),
                     DB_INT(q->before), DB_INT(limit + 1), DB_TEXT(actor_like), DB_TEXT(q->action),
                     DB_INT(family), DB_INT((int64_t)al), DB_TEXT(q->object_kind),
                     DB_TEXT(q->object_id), DB_TEXT(q->since), DB_TEXT(q->until),
                     DB_INT(q->changes_only)),
             &st)))
        return rc;
    return db_page(st, limit, &audit_entry_record, a, out, n, more);
}

