/*
 * training.c - training sessions: creating and changing them, invitations, registration,
 * attendance, feedback, materials, and their iCalendar (see training.h). The reports are
 * training_report.c's.
 *
 * Must never: let a session take more people than its capacity (counted inside the write), show a
 * draft to anyone but its owner, show one org's people or feedback to another org that does not
 * organise the session, or answer a revoked feed token with anything but "not found".
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "base/utf8.h"
#include "core/catalog.h"
#include "core/files.h"
#include "core/history.h"
#include "core/inbox.h"
#include "core/kind.h"
#include "core/org.h"
#include "core/share.h"
#include "core/training.h"
#include "formats/ical.h"
#include "formats/tlp.h"
#include "json/field.h"
#include "json/json.h"

const char *const training_mode_names[] = {"in_person", "virtual", "hybrid", NULL};
const char *const training_status_names[] = {"draft", "scheduled", "cancelled", NULL};

/* How each mode is said in an invitation. */
static const char *const mode_words[] = {"in person", "online", "in person or online"};

void training_input_init(struct training_input *in)
{
    memset(in, 0, sizeof(*in));
    in->ntopics = -1;
    in->ninvited = -1;
    in->nstaff = -1;
    in->mode = -1;
    in->capacity = -1;
    in->status = -1;
    in->tlp = -1;
}

/* ---- reading sessions ---- */

/* Columns of a session and its counts; ?101 is the reader's org (policy_bind_actor). */
#define TRAINING_COLS                                                                              \
    "o.id, o.seq, o.title, o.description, o.status, o.mode, o.starts_at, o.ends_at, o.venue, "     \
    "o.meeting_url, coalesce(o.capacity, 0), o.catalog_id, o.tlp, o.owner_org, w.name, "           \
    "o.created_by, o.created_at, o.updated_at, o.sequence, "                                       \
    "(SELECT count(*) FROM training_invites i WHERE i.training_id = o.id), "                       \
    "(SELECT count(*) FROM training_people p WHERE p.training_id = o.id), "                        \
    "(SELECT count(*) FROM training_people p WHERE p.training_id = o.id AND p.attended_mode IS "   \
    "NOT NULL), "                                                                                  \
    "(SELECT count(*) FROM training_people p WHERE p.training_id = o.id AND p.attended_mode = "    \
    "'in_person'), "                                                                               \
    "(SELECT count(*) FROM training_people p WHERE p.training_id = o.id AND p.attended_mode = "    \
    "'virtual'), "                                                                                 \
    "(SELECT count(*) FROM training_feedback f WHERE f.training_id = o.id), "                      \
    "coalesce((SELECT avg(f.rating) FROM training_feedback f WHERE f.training_id = o.id), -1), "   \
    "EXISTS (SELECT 1 FROM training_invites i WHERE i.training_id = o.id AND i.org_id = ?101), "   \
    "(SELECT count(*) FROM training_people p WHERE p.training_id = o.id AND p.org_id = ?101) "
#define TRAINING_FROM "FROM trainings o JOIN orgs w ON w.id = o.owner_org "

static void write_capacity(rj_writer *w, const void *row)
{
    const rb_training *t = row;
    if (t->capacity > 0)
        rjw_int(w, t->capacity);
    else
        rjw_null(w);
}

static void write_topics(rj_writer *w, const void *row)
{
    const rb_training *t = row;
    rjw_records(w, t->topics, t->ntopics, &training_topic_record);
}

static void write_staff(rj_writer *w, const void *row)
{
    const rb_training *t = row;
    rjw_records(w, t->staff, t->nstaff, &training_staff_record);
}

static void write_you(rj_writer *w, const void *row)
{
    const rb_training *t = row;
    rjw_obj(w);
    rjw_kbool(w, "organiser", t->owner);
    rjw_kbool(w, "invited", t->invited_me);
    rjw_kint(w, "registered", t->my_registered);
    rjw_obj_end(w);
}

static const struct rb_member training_members[] = {
    RB_MEMBERS(rb_training, id, number, title, description, status, mode, starts_at, ends_at, venue,
               meeting_url),
    RB_DERIVED(rb_training, capacity, "capacity", rb_int, write_capacity),
    RB_MEMBERS(rb_training, catalog_id, tlp),
    RB_MEMBER_AS(rb_training, owner_org, "owner_org_id", rb_text),
    RB_MEMBER_AS(rb_training, owner_name, "owner_org_name", rb_text),
    RB_MEMBERS(rb_training, created_by, created_at, updated_at, sequence, invited, registered,
               attended, in_person),
    RB_MEMBER_AS(rb_training, virtual_, "virtual", rb_int),
    RB_MEMBER_AS(rb_training, feedback_n, "feedback_count", rb_int),
    RB_MEMBER(rb_training, feedback_mean, rb_score),
    RB_HIDDEN_MEMBERS(rb_training, invited_me, my_registered),
    RB_MEMBER(rb_training, held, rb_bool_later),
    RB_MEMBER(rb_training, full, rb_bool_later),
    RB_DERIVED(rb_training, owner, "you", rb_bool_later, write_you),
    RB_DERIVED(rb_training, ntopics, "topics", rb_int_later, write_topics),
    RB_DERIVED(rb_training, nstaff, "staff", rb_int_later, write_staff),
};
const struct rb_record training_record = RB_RECORD(rb_training, training_members);

static const struct rb_member topic_members[] = {
    RB_MEMBERS(rb_training_topic, id, kind, domain, title, label),
};
const struct rb_record training_topic_record = RB_RECORD(rb_training_topic, topic_members);

static const struct rb_member staff_members[] = {
    RB_MEMBERS(rb_training_staff, id, name, email),
};
const struct rb_record training_staff_record = RB_RECORD(rb_training_staff, staff_members);

/* Reads the organising staff of t, lead first. */
static int read_staff(rb_db *db, rb_training *t, rb_arena *a)
{
    return db_query_rows(
        db,
        "SELECT u.id, u.name, u.email FROM training_staff s JOIN users u ON u.id = "
        "s.user_id WHERE s.training_id = ?1 ORDER BY s.rank",
        DB_ARGS(DB_TEXT(t->id)), &training_staff_record, a, &t->staff, &t->nstaff);
}

/* Reads the topics of t, in their order, with the titles of their catalog. */
static int read_topics(rb_db *db, rb_training *t, rb_arena *a)
{
    return db_query_rows(
        db,
        "SELECT t.topic, t.topic_kind, d.oscal_id, CASE WHEN t.topic_kind = 'domain' "
        "THEN d.title ELSE k.title END, CASE WHEN t.topic_kind = 'control' THEN "
        "coalesce(k.label, upper(k.oscal_id)) END FROM training_topics t LEFT JOIN "
        "catalog_groups d ON d.catalog_id = ?2 AND d.idx = t.domain_idx LEFT JOIN "
        "controls k ON t.topic_kind = 'control' AND k.catalog_id = ?2 AND k.oscal_id "
        "= t.topic WHERE t.training_id = ?1 ORDER BY t.rank",
        DB_ARGS(DB_TEXT(t->id), DB_TEXT(t->catalog_id)), &training_topic_record, a, &t->topics,
        &t->ntopics);
}

/* The facts set after the read, for a reader; and the meeting link hidden from readers who are
 * neither the organiser nor invited. */
static int finish(rb_db *db, rb_training *t, int n, const rb_actor *actor, rb_arena *a)
{
    char now[RB_TIME_SIZE];
    rb_time_format(rb_now(), now);
    for (int i = 0; i < n; i++) {
        rb_training *v = &t[i];
        v->owner = actor->system || strcmp(v->owner_org, actor->org.id) == 0;
        v->held = strcmp(v->status, "scheduled") == 0 && strcmp(v->ends_at, now) <= 0;
        v->full = v->capacity > 0 && v->registered >= v->capacity;
        if (!v->owner && !v->invited_me)
            v->meeting_url = NULL;
        int rc = read_topics(db, v, a);
        if (!rc)
            rc = read_staff(db, v, a);
        if (rc)
            return rc;
    }
    return 0;
}

int training_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_training *out)
{
    int rc =
        kind_get(&kind_training, db, actor,
                 "SELECT " TRAINING_COLS TRAINING_FROM "WHERE o.id = ?1 AND " TRAINING_SQL_READABLE,
                 id, a, &training_record, out);
    return rc ? rc : finish(db, out, 1, actor, a);
}

/* The list's statement, by start time; ?8/?9 are the cursor's start and seq, ?10 the limit. */
#define LIST_WHERE                                                                                 \
    "WHERE " TRAINING_SQL_READABLE " AND (?1 IS NULL OR o.starts_at >= ?1) AND (?2 IS NULL OR "    \
    "o.starts_at < ?2) AND (?3 IS NULL OR o.status = ?3) AND (?4 IS NULL OR o.mode = ?4) AND "     \
    "(?5 = 0 OR EXISTS (SELECT 1 FROM training_invites i WHERE i.training_id = o.id AND i.org_id " \
    "= ?101)) AND (?6 = 0 OR o.owner_org = ?101) AND (?7 IS NULL OR EXISTS (SELECT 1 FROM "        \
    "training_invites i WHERE i.training_id = o.id AND i.org_id = ?7)) AND (?11 IS NULL OR "       \
    "o.ends_at >= ?11) "

int training_list(rb_db *db, const rb_actor *actor, const struct training_filter *f, rb_arena *a,
                  rb_training **out, int *n, bool *more)
{
    int limit = f->limit > 0 ? f->limit : 50;
    rb_training after = {0};
    if (f->after_id) {
        int rc = training_get(db, actor, f->after_id, a, &after);
        if (rc)
            return rc == RB_ENOTFOUND ? RB_EINVAL : rc;
    }
    struct db_arg args[] = {
        DB_TEXT(f->from),
        DB_TEXT(f->to),
        DB_TEXT(f->status >= 0 && f->status < TSTATUS__COUNT ? training_status_names[f->status]
                                                             : NULL),
        DB_TEXT(f->mode >= 0 && f->mode < TMODE__COUNT ? training_mode_names[f->mode] : NULL),
        DB_INT(f->invited ? 1 : 0),
        DB_INT(f->mine ? 1 : 0),
        DB_TEXT(f->org_id),
        DB_TEXT(after.starts_at),
        DB_INT(after.number),
        DB_INT(limit + 1),
        DB_TEXT(f->ends_from),
    };
    int rc =
        kind_page(&kind_training, db, actor,
                  f->newest_first ? "SELECT " TRAINING_COLS TRAINING_FROM LIST_WHERE
                                    "AND (?8 IS NULL OR (o.starts_at, o.seq) < (?8, ?9)) ORDER BY "
                                    "o.starts_at DESC, o.seq DESC LIMIT ?10"
                                  : "SELECT " TRAINING_COLS TRAINING_FROM LIST_WHERE
                                    "AND (?8 IS NULL OR (o.starts_at, o.seq) > (?8, ?9)) ORDER BY "
                                    "o.starts_at, o.seq LIMIT ?10",
                  args, RB_ARRAY_LEN(args), limit, &training_record, a, out, n, more);
    return rc ? rc : finish(db, *out, *n, actor, a);
}

/* ---- the rules of a session ---- */

static bool is_http_url(const char *s)
{
    return s && (strncasecmp(s, "https://", 8) == 0 || strncasecmp(s, "http://", 7) == 0) &&
           !strchr(s, ' ');
}

int training_check(const struct training_input *in, bool change, rb_errinfo *ei)
{
    int rc = rb_field_checks(FIELD_TITLE, "title", in->title, ei);
    if (!rc)
        rc = rb_field_checks(FIELD_PROSE, "description", in->description, ei);
    if (!rc)
        rc = rb_field_checks(FIELD_TITLE, "venue", in->venue, ei);
    if (!rc)
        rc = rb_field_checks(FIELD_URL, "meeting_url", in->meeting_url, ei);
    if (rc)
        return rc;
    if ((!change || in->title) && (!in->title || strlen(in->title) < 3))
        return rb_err(ei, RB_EINVAL, "title", "\"title\" is required: at least 3 characters");
    if (!change && (!in->starts_at || !in->ends_at))
        return rb_err(ei, RB_EINVAL, in->starts_at ? "ends_at" : "starts_at",
                      "\"%s\" is required: when the session %s (RFC 3339, e.g. "
                      "2026-03-12T09:00:00+05:00)",
                      in->starts_at ? "ends_at" : "starts_at", in->starts_at ? "ends" : "starts");
    int64_t s = 0, e = 0;
    if (in->starts_at && rb_time_parse(in->starts_at, &s))
        return rb_err(ei, RB_EINVAL, "starts_at",
                      "\"starts_at\" must be a date and time (RFC 3339, e.g. "
                      "2026-03-12T09:00:00+05:00)");
    if (in->ends_at && rb_time_parse(in->ends_at, &e))
        return rb_err(ei, RB_EINVAL, "ends_at",
                      "\"ends_at\" must be a date and time (RFC 3339, e.g. "
                      "2026-03-12T13:00:00+05:00)");
    if (in->starts_at && in->ends_at) {
        if (e <= s)
            return rb_err(ei, RB_EINVAL, "ends_at", "the session must end after it starts");
        if (e - s > (int64_t)TRAINING_DAYS_MAX * 86400)
            return rb_err(ei, RB_EINVAL, "ends_at", "a session lasts at most %d days",
                          TRAINING_DAYS_MAX);
    }
    if (!change && in->mode < 0)
        return rb_err(ei, RB_EINVAL, "mode", "\"mode\" is required: in_person, virtual or hybrid");
    /* A draft may lack its place and link (the gaps view drafts one before they are known);
     * scheduling it needs them. */
    if (in->mode >= 0 && !change && in->status != TSTATUS_DRAFT) {
        bool place = in->mode != TMODE_VIRTUAL, link = in->mode != TMODE_IN_PERSON;
        if (place && rb_empty(in->venue))
            return rb_err(ei, RB_EINVAL, "venue",
                          "a session held in person needs a \"venue\": where people come");
        if (link && rb_empty(in->meeting_url))
            return rb_err(ei, RB_EINVAL, "meeting_url",
                          "a session people join online needs a \"meeting_url\"");
    }
    if (!rb_empty(in->meeting_url) && !is_http_url(in->meeting_url))
        return rb_err(ei, RB_EINVAL, "meeting_url",
                      "\"meeting_url\" must be an http:// or https:// address");
    if (in->capacity > TRAINING_CAPACITY_MAX)
        return rb_err(ei, RB_EINVAL, "capacity",
                      "\"capacity\" is the most people who may register: 1 to %d, or none",
                      TRAINING_CAPACITY_MAX);
    if (in->tlp >= 0 && !(kind_training.tlp_allowed & (1u << in->tlp)))
        return rb_err(ei, RB_EINVAL, "tlp",
                      "a training session is TLP:CLEAR or TLP:GREEN: invitations are not grants, "
                      "so every invited org must be able to read it");
    if (in->ntopics > TRAINING_TOPICS_MAX)
        return rb_err(ei, RB_EINVAL, "topics", "a session has at most %d topics",
                      TRAINING_TOPICS_MAX);
    for (int i = 0; i < in->ntopics; i++)
        if ((rc = rb_field_checks(FIELD_ID, "topics", in->topics[i], ei)))
            return rc;
    if (in->ninvited > TRAINING_INVITE_MAX)
        return rb_err(ei, RB_EINVAL, "invited_org_ids", "one request invites at most %d orgs",
                      TRAINING_INVITE_MAX);
    return 0;
}

/* A resolved topic. */
struct topic {
    const char *id;
    const char *kind;
    int64_t domain_idx;
};

/* The catalog of a session: catalog_id when the actor may read it, else the national baseline
 * (the oldest catalog of the National CERT the actor may read; decision 66). */
static int resolve_catalog(rb_db *db, const rb_actor *actor, const char *catalog_id,
                           char out[RB_ID_SIZE], rb_errinfo *ei)
{
    struct kind_ref ref;
    if (catalog_id) {
        if (kind_load(&kind_catalog, db, actor, catalog_id, &ref))
            return rb_err(ei, RB_EINVAL, "catalog_id", "no catalog you may read has that id");
        rb_strlcpy(out, catalog_id, RB_ID_SIZE);
        return 0;
    }
    int rc = catalog_national(db, actor, false, out);
    if (rc)
        return rc;
    if (!out[0])
        return rb_err(ei, RB_EINVAL, "topics",
                      "there is no national guideline catalog to take topics from: name "
                      "\"catalog_id\"");
    return 0;
}

/* Checks each topic against the catalog: a domain (top-level group) or a control. */
static int resolve_topics(rb_db *db, const char *catalog_id, const char *const *topics, int n,
                          rb_arena *a, struct topic *out, rb_errinfo *ei)
{
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < i; k++)
            if (strcasecmp(topics[i], topics[k]) == 0)
                return rb_err(ei, RB_EINVAL, "topics", "topics[%d]: \"%.*s\" is given twice", i,
                              RB_CUT(topics[i], 64));
        rb_stmt *st = NULL;
        int rc =
            db_query(db,
                     "SELECT oscal_id, 'domain', idx FROM catalog_groups WHERE catalog_id = ?1 "
                     "AND parent_idx IS NULL AND lower(oscal_id) = lower(?2) UNION ALL "
                     "SELECT oscal_id, 'control', domain_idx FROM controls WHERE catalog_id = "
                     "?1 AND lower(oscal_id) = lower(?2) LIMIT 1",
                     DB_ARGS(DB_TEXT(catalog_id), DB_TEXT(topics[i])), &st);
        if (rc)
            return rc;
        if ((rc = db_step(st)) == DB_ROW) {
            out[i].id = db_col_dup(st, 0, a);
            out[i].kind = strcmp(db_col_text(st, 1), "domain") == 0 ? "domain" : "control";
            out[i].domain_idx = db_col_null(st, 2) ? -1 : db_col_int(st, 2);
        }
        db_done(st);
        if (rc < 0)
            return rc;
        if (rc != DB_ROW)
            return rb_err(ei, RB_EINVAL, "topics",
                          "topics[%d]: \"%.*s\" is neither a domain nor a control of the "
                          "catalog",
                          i, RB_CUT(topics[i], 64));
    }
    return 0;
}

/* Checks that each org exists and is below owner; copies their ids (without repeats) into out. */
static int check_invitees(rb_db *db, const char *owner, const char *const *ids, int n,
                          const char *field, const char **out, int *nout, rb_errinfo *ei)
{
    *nout = 0;
    for (int i = 0; i < n; i++) {
        rb_orgref o;
        if (!ids[i] || !rb_uuid_valid(ids[i]) || org_ref_load(db, ids[i], &o))
            return rb_err(ei, RB_EINVAL, field, "%s[%d]: no such org", field, i);
        if (!policy_is_ancestor(owner, &o))
            return rb_err(ei, RB_EINVAL, field,
                          "%s[%d]: the org is not in your constituency (a CERT invites the orgs "
                          "below it)",
                          field, i);
        bool seen = false;
        for (int k = 0; k < *nout && !seen; k++)
            seen = strcmp(out[k], ids[i]) == 0;
        if (!seen)
            out[(*nout)++] = ids[i];
    }
    return 0;
}

/* Checks the organising staff: 1..TRAINING_STAFF_MAX active people of owner, each named once. */
static int check_staff(rb_db *db, const char *owner, const char *const *ids, int n,
                       rb_errinfo *ei)
{
    if (n < 1 || n > TRAINING_STAFF_MAX)
        return rb_err(ei, RB_EINVAL, "staff_user_ids",
                      "name 1 to %d people of your CERT who organise the session",
                      TRAINING_STAFF_MAX);
    for (int i = 0; i < n; i++) {
        int64_t active = 0;
        rb_stmt *st = NULL;
        int rc = 0;
        if (ids[i] && rb_uuid_valid(ids[i]) &&
            ((rc = db_query(db,
                            "SELECT count(*) FROM users WHERE id = ?1 AND org_id = ?2 AND "
                            "disabled = 0",
                            DB_ARGS(DB_TEXT(ids[i]), DB_TEXT(owner)), &st)) ||
             (rc = db_int(st, &active))))
            return rc;
        if (!active)
            return rb_err(ei, RB_EINVAL, "staff_user_ids",
                          "staff_user_ids[%d]: not an active person of the organising CERT", i);
        for (int k = 0; k < i; k++)
            if (strcmp(ids[k], ids[i]) == 0)
                return rb_err(ei, RB_EINVAL, "staff_user_ids",
                              "staff_user_ids[%d]: the person is named twice", i);
    }
    return 0;
}

/* Inside w: the staff of session id becomes the n people, in their order. */
static int insert_staff(rb_write *w, const char *id, const char *const *ids, int n)
{
    int rc =
        db_exec(w->db, "DELETE FROM training_staff WHERE training_id = ?1", DB_ARGS(DB_TEXT(id)));
    for (int i = 0; !rc && i < n; i++)
        rc = db_exec(w->db,
                     "INSERT INTO training_staff(training_id, rank, user_id) VALUES (?1,?2,?3)",
                     DB_ARGS(DB_TEXT(id), DB_INT(i), DB_TEXT(ids[i])));
    return rc;
}

/* The sentence of an invitation (or a cancellation) in the org's inbox. */
static void notice_text(char *out, size_t size, const char *what, const char *title,
                        const char *starts_at, int mode)
{
    rb_fmt(out, size, "%s: %.*s, %.10s, %s", what, RB_CUT(title, 300), starts_at,
           mode >= 0 && mode < TMODE__COUNT ? mode_words[mode] : "");
}

/* Inside w: puts the invitation of each of the n orgs in its inbox (once each). */
static int send_invitations(rb_write *w, const char *id, const char *title, const char *starts_at,
                            int mode, const char *const *orgs, int n)
{
    char detail[512], dedup[128];
    notice_text(detail, sizeof(detail), "Invitation to a training session", title, starts_at, mode);
    for (int i = 0; i < n; i++) {
        rb_fmt(dedup, sizeof(dedup), "training-invite:%s:%s", id, orgs[i]);
        int rc = inbox_add(w, orgs[i], INBOX_NOTICE, &kind_training, id, detail, dedup, NULL);
        if (rc)
            return rc;
    }
    return 0;
}

/* Inside w: invites the n orgs (skipping those invited); with send, puts the invitations of
 * the new ones in their inboxes. *added counts them. */
static int add_invites(rb_write *w, const char *id, const char *title, const char *starts_at,
                       int mode, const char *const *orgs, int n, bool send, int *added)
{
    int64_t have = 0;
    int rc = db_query_int(w->db, "SELECT count(*) FROM training_invites WHERE training_id = ?1",
                          DB_ARGS(DB_TEXT(id)), &have);
    if (rc)
        return rc;
    *added = 0;
    for (int i = 0; i < n; i++) {
        rc = db_exec(
            w->db,
            "INSERT OR IGNORE INTO training_invites(training_id, org_id, invited_by, "
            "invited_at) VALUES (?1,?2,?3,?4)",
            DB_ARGS(DB_TEXT(id), DB_TEXT(orgs[i]), DB_TEXT(w->actor->label), DB_TEXT(w->now)));
        if (rc)
            return rc;
        if (db_changes(w->db) == 0)
            continue;
        if (++have > TRAINING_INVITES_MAX)
            return rb_err(w->ei, RB_ECONFLICT, "invited_org_ids",
                          "a session invites at most %d orgs", TRAINING_INVITES_MAX);
        (*added)++;
        if (send && (rc = send_invitations(w, id, title, starts_at, mode, &orgs[i], 1)))
            return rc;
    }
    return 0;
}

static int insert_topics(rb_write *w, const char *id, const struct topic *t, int n)
{
    int rc =
        db_exec(w->db, "DELETE FROM training_topics WHERE training_id = ?1", DB_ARGS(DB_TEXT(id)));
    for (int i = 0; !rc && i < n; i++)
        rc =
            db_exec(w->db,
                    "INSERT INTO training_topics(training_id, rank, topic, topic_kind, domain_idx) "
                    "VALUES (?1,?2,?3,?4,?5)",
                    DB_ARGS(DB_TEXT(id), DB_INT(i), DB_TEXT(t[i].id), DB_TEXT(t[i].kind),
                            DB_INDEX(t[i].domain_idx)));
    return rc;
}

/* Times are stored as RFC 3339 UTC, whatever offset they were given in. */
static void utc(const char *in, char out[RB_TIME_SIZE])
{
    rb_time_format(rb_time_of(in), out);
}

static const char *or_null(const char *s)
{
    return rb_empty(s) ? NULL : s;
}

int training_create(rb_db *db, const rb_actor *actor, const struct training_input *in,
                    char out_id[RB_ID_SIZE], rb_errinfo *ei)
{
    if (!actor->system &&
        (!policy_can(actor, PERM_PUBLISH) || !rb_org_kind_is_cert(actor->org.kind)))
        return rb_err(ei, RB_EPERM, "",
                      "training sessions are organised by the analysts and admins of a CERT");
    int rc = training_check(in, false, ei);
    if (rc)
        return rc;
    rb_arena a;
    rb_arena_init(&a, 1024 * 1024);
    char catalog[RB_ID_SIZE] = "";
    struct topic topics[TRAINING_TOPICS_MAX];
    int ntopics = in->ntopics > 0 ? in->ntopics : 0;
    const char **orgs = NULL;
    int norgs = 0;
    if (ntopics > 0 && ((rc = resolve_catalog(db, actor, in->catalog_id, catalog, ei)) ||
                        (rc = resolve_topics(db, catalog, in->topics, ntopics, &a, topics, ei))))
        goto out;
    if (in->ninvited > 0) {
        orgs = rb_arena_alloc(&a, sizeof(*orgs) * (size_t)in->ninvited);
        if (!orgs) {
            rc = RB_ENOMEM;
            goto out;
        }
        if ((rc = check_invitees(db, actor->org.id, in->invited_org_ids, in->ninvited,
                                 "invited_org_ids", orgs, &norgs, ei)))
            goto out;
    }
    /* The staff as given, or the creator alone (the local operator names none: no one then). */
    const char *creator = actor->user_id;
    const char *const *staff = in->nstaff >= 0 ? in->staff_user_ids : &creator;
    int nstaff = in->nstaff >= 0 ? in->nstaff : (actor->system ? 0 : 1);
    if ((in->nstaff >= 0 || !actor->system) &&
        (rc = check_staff(db, actor->org.id, staff, nstaff, ei)))
        goto out;
    int status = in->status >= 0 ? in->status : TSTATUS_SCHEDULED;
    if (status == TSTATUS_CANCELLED) {
        rc = rb_err(ei, RB_EINVAL, "status", "a new session is a draft or scheduled");
        goto out;
    }
    char starts[RB_TIME_SIZE], ends[RB_TIME_SIZE], id[RB_ID_SIZE];
    utc(in->starts_at, starts);
    utc(in->ends_at, ends);
    rb_write w;
    if ((rc = write_begin_new(&w, db, actor, id, ei)))
        goto out;
    rc = db_exec(
        db,
        "INSERT INTO trainings(id, owner_org, tlp, status, title, description, mode, "
        "starts_at, ends_at, venue, meeting_url, capacity, catalog_id, created_by, "
        "created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,"
        "?15,?15)",
        DB_ARGS(DB_TEXT(id), DB_TEXT(actor->org.id),
                DB_TEXT(tlp_name(in->tlp >= 0 ? (enum rb_tlp)in->tlp : kind_training.default_tlp)),
                DB_TEXT(training_status_names[status]), DB_TEXT(in->title),
                DB_TEXT(in->description ? in->description : ""),
                DB_TEXT(training_mode_names[in->mode]), DB_TEXT(starts), DB_TEXT(ends),
                DB_TEXT(or_null(in->venue)), DB_TEXT(or_null(in->meeting_url)),
                DB_INT_OR_NULL(in->capacity > 0, in->capacity),
                DB_TEXT(catalog[0] ? catalog : NULL), DB_TEXT(actor->label), DB_TEXT(w.now)));
    if (!rc)
        rc = insert_topics(&w, id, topics, ntopics);
    if (!rc)
        rc = insert_staff(&w, id, staff, nstaff);
    int added = 0;
    if (!rc)
        rc = add_invites(&w, id, in->title, starts, in->mode, orgs, norgs,
                         status == TSTATUS_SCHEDULED, &added);
    if (!rc)
        rc = history_add(&w, &kind_training, id, status == TSTATUS_DRAFT ? "drafted" : "scheduled",
                         NULL, NULL);
    rc = write_end(&w, rc, "training.create", &kind_training, id, actor->org.id,
                   "cannot create the session");
    if (!rc)
        memcpy(out_id, id, RB_ID_SIZE);
out:
    rb_arena_release(&a);
    return rc;
}

/* ---- writes on one session ---- */

/* What a write needs of a session, read inside it. */
struct row {
    char owner[RB_ID_SIZE], catalog[RB_ID_SIZE];
    char status[16], mode[16], starts[RB_TIME_SIZE], ends[RB_TIME_SIZE], tlp[16];
    char title[512];
    int capacity;
    int status_i, mode_i;
};

static const struct rb_member row_members[] = {
    RB_HIDDEN_CHARS(struct row, owner, catalog, status, mode, starts, ends, tlp, title),
    RB_HIDDEN_MEMBERS(struct row, capacity),
};
static const struct rb_record row_record = RB_RECORD(struct row, row_members);

static int read_row(rb_db *db, const char *id, struct row *r)
{
    memset(r, 0, sizeof(*r));
    int rc = db_query_one(db,
                          "SELECT owner_org, coalesce(catalog_id, ''), status, mode, starts_at, "
                          "ends_at, tlp, title, coalesce(capacity, 0) FROM trainings WHERE id = ?1",
                          DB_ARGS(DB_TEXT(id)), NULL, &row_record, r);
    r->status_i = rb_name_index(training_status_names, r->status);
    r->mode_i = rb_name_index(training_mode_names, r->mode);
    return rc;
}

/* The session when the actor may read it; RB_EPERM unless the actor organises it (the owner's
 * analysts and admins), when owner is asked for. */
static int start(rb_db *db, const rb_actor *actor, const char *id, bool owner, const char *what,
                 struct row *r, rb_errinfo *ei)
{
    struct kind_ref ref;
    int rc = kind_load(&kind_training, db, actor, id, &ref);
    if (rc)
        return rb_err(ei, rc, "", "no such training session");
    if ((rc = read_row(db, id, r)))
        return rc;
    if (owner && !actor->system &&
        (strcmp(r->owner, actor->org.id) != 0 || !policy_can(actor, PERM_PUBLISH)))
        return rb_err(ei, RB_EPERM, "", "only the analysts and admins of the organising org %s",
                      what);
    return 0;
}

static bool is_organiser(const rb_actor *actor, const struct row *r)
{
    return actor->system ||
           (strcmp(r->owner, actor->org.id) == 0 && policy_can(actor, PERM_PUBLISH));
}

/* The invited orgs of a session, into the arena. */
static int invited_orgs(rb_db *db, const char *id, rb_arena *a, const char ***out, int *n)
{
    rb_stmt *st = NULL;
    int rc = db_query(db,
                      "SELECT org_id FROM training_invites WHERE training_id = ?1 ORDER BY "
                      "invited_at, org_id",
                      DB_ARGS(DB_TEXT(id)), &st);
    if (rc)
        return rc;
    const char **ids = rb_arena_alloc(a, sizeof(*ids) * (TRAINING_INVITES_MAX + 1));
    *n = 0;
    while (ids && (rc = db_step(st)) == DB_ROW && *n < TRAINING_INVITES_MAX)
        ids[(*n)++] = db_col_dup(st, 0, a);
    db_done(st);
    if (!ids)
        return RB_ENOMEM;
    *out = ids;
    return rc < 0 ? rc : 0;
}

int training_update(rb_db *db, const rb_actor *actor, const char *id,
                    const struct training_input *in, rb_errinfo *ei)
{
    struct row r;
    int rc = start(db, actor, id, true, "change it", &r, ei);
    if (rc)
        return rc;
    if (r.status_i == TSTATUS_CANCELLED)
        return rb_err(ei, RB_ECONFLICT, "status", "the session was cancelled: it changes no more");
    if ((rc = training_check(in, true, ei)))
        return rc;
    if (!in->title && !in->description && in->ntopics < 0 && !in->catalog_id && in->mode < 0 &&
        !in->starts_at && !in->ends_at && !in->venue && !in->meeting_url && in->ninvited < 0 &&
        in->capacity < 0 && in->status < 0 && in->tlp < 0 && in->nstaff < 0)
        return rb_err(ei, RB_EINVAL, "", "send at least one member to change");
    rb_arena a;
    rb_arena_init(&a, 1024 * 1024);
    rb_training cur;
    struct topic topics[TRAINING_TOPICS_MAX];
    char catalog[RB_ID_SIZE] = "";
    const char **orgs = NULL;
    int norgs = 0;
    if ((rc = training_get(db, actor, id, &a, &cur)))
        goto out;
    /* The merged session must obey the rules of a new one. */
    struct training_input m = *in;
    m.title = in->title ? in->title : cur.title;
    m.description = in->description ? in->description : cur.description;
    m.mode = in->mode >= 0 ? in->mode : r.mode_i;
    m.starts_at = in->starts_at ? in->starts_at : cur.starts_at;
    m.ends_at = in->ends_at ? in->ends_at : cur.ends_at;
    m.venue = in->venue ? in->venue : cur.venue;
    m.meeting_url = in->meeting_url ? in->meeting_url : cur.meeting_url;
    m.ntopics = -1;
    m.ninvited = -1;
    m.tlp = -1;
    int to = in->status >= 0 ? in->status : r.status_i;
    m.status = to;
    if ((rc = training_check(&m, false, ei)))
        goto out;
    if (to != r.status_i && !((r.status_i == TSTATUS_DRAFT && to != TSTATUS_DRAFT) ||
                              (r.status_i == TSTATUS_SCHEDULED && to == TSTATUS_CANCELLED))) {
        rc = rb_err(ei, RB_ECONFLICT, "status",
                    "a scheduled session may only be cancelled; it is not a draft again");
        goto out;
    }
    int capacity = in->capacity >= 0 ? in->capacity : r.capacity;
    if (in->ntopics >= 0) {
        const char *cat = in->catalog_id ? in->catalog_id : (r.catalog[0] ? r.catalog : NULL);
        if (in->ntopics > 0 &&
            ((rc = resolve_catalog(db, actor, cat, catalog, ei)) ||
             (rc = resolve_topics(db, catalog, in->topics, in->ntopics, &a, topics, ei))))
            goto out;
    } else {
        rb_strlcpy(catalog, r.catalog, sizeof(catalog));
    }
    if (in->ninvited > 0) {
        orgs = rb_arena_alloc(&a, sizeof(*orgs) * (size_t)in->ninvited);
        if (!orgs) {
            rc = RB_ENOMEM;
            goto out;
        }
        if ((rc = check_invitees(db, r.owner, in->invited_org_ids, in->ninvited, "invited_org_ids",
                                 orgs, &norgs, ei)))
            goto out;
    }
    if (in->nstaff >= 0 && (rc = check_staff(db, r.owner, in->staff_user_ids, in->nstaff, ei)))
        goto out;
    char starts[RB_TIME_SIZE], ends[RB_TIME_SIZE];
    utc(m.starts_at, starts);
    utc(m.ends_at, ends);
    /* A calendar's copy changes when the time, the place, the link or the status does. */
    bool moved =
        strcmp(starts, r.starts) != 0 || strcmp(ends, r.ends) != 0 ||
        (in->venue && strcmp(in->venue, cur.venue ? cur.venue : "") != 0) ||
        (in->meeting_url && strcmp(in->meeting_url, cur.meeting_url ? cur.meeting_url : "") != 0) ||
        m.mode != r.mode_i || to != r.status_i || (in->title && strcmp(in->title, r.title));
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        goto out;
    int64_t people = 0;
    rc = db_query_int(db, "SELECT count(*) FROM training_people WHERE training_id = ?1",
                      DB_ARGS(DB_TEXT(id)), &people);
    if (!rc && capacity > 0 && people > capacity)
        rc = rb_err(ei, RB_ECONFLICT, "capacity",
                    "%" PRId64 " people are registered already: the capacity cannot be below that",
                    people);
    if (!rc)
        rc = db_exec(db,
                     "UPDATE trainings SET title = ?2, description = ?3, mode = ?4, starts_at = "
                     "?5, ends_at = ?6, venue = ?7, meeting_url = ?8, capacity = ?9, catalog_id = "
                     "?10, status = ?11, sequence = sequence + ?12, updated_at = ?13 WHERE id = ?1",
                     DB_ARGS(DB_TEXT(id), DB_TEXT(m.title), DB_TEXT(m.description),
                             DB_TEXT(training_mode_names[m.mode]), DB_TEXT(starts), DB_TEXT(ends),
                             DB_TEXT(or_null(m.venue)), DB_TEXT(or_null(m.meeting_url)),
                             DB_INT_OR_NULL(capacity > 0, capacity),
                             DB_TEXT(catalog[0] ? catalog : NULL),
                             DB_TEXT(training_status_names[to]),
                             DB_INT(moved && r.status_i != TSTATUS_DRAFT ? 1 : 0), DB_TEXT(w.now)));
    if (!rc && in->ntopics >= 0)
        rc = insert_topics(&w, id, topics, in->ntopics);
    if (!rc && in->nstaff >= 0)
        rc = insert_staff(&w, id, in->staff_user_ids, in->nstaff);
    if (!rc && in->tlp >= 0)
        rc = share_tlp_in(&w, &kind_training, id, (enum rb_tlp)in->tlp, ei);
    int added = 0;
    if (!rc && norgs > 0)
        rc = add_invites(&w, id, m.title, starts, m.mode, orgs, norgs, to == TSTATUS_SCHEDULED,
                         &added);
    /* Scheduling a draft sends every invitation; cancelling a scheduled session tells every
     * invited org (a draft sent nothing, so its cancellation tells no one). */
    if (!rc && to != r.status_i && to != TSTATUS_DRAFT &&
        !(to == TSTATUS_CANCELLED && r.status_i == TSTATUS_DRAFT)) {
        const char **all = NULL;
        int nall = 0;
        if (!(rc = invited_orgs(db, id, &a, &all, &nall))) {
            if (to == TSTATUS_SCHEDULED) {
                rc = send_invitations(&w, id, m.title, starts, m.mode, all, nall);
            } else {
                char detail[512], dedup[128];
                notice_text(detail, sizeof(detail), "Training session cancelled", m.title, starts,
                            m.mode);
                for (int i = 0; !rc && i < nall; i++) {
                    rb_fmt(dedup, sizeof(dedup), "training-cancel:%s:%s", id, all[i]);
                    rc = inbox_add(&w, all[i], INBOX_NOTICE, &kind_training, id, detail, dedup,
                                   NULL);
                }
            }
        }
    }
    if (!rc)
        rc = history_add(&w, &kind_training, id,
                         to != r.status_i ? training_status_names[to] : "changed", NULL, NULL);
    rc = write_end(&w, rc, "training.update", &kind_training, id, r.owner,
                   "cannot change the session");
out:
    rb_arena_release(&a);
    return rc;
}

int training_invite(rb_db *db, const rb_actor *actor, const char *id, const char *const *org_ids,
                    int n, int *added, rb_errinfo *ei)
{
    struct row r;
    int rc = start(db, actor, id, true, "invite orgs", &r, ei);
    if (rc)
        return rc;
    if (r.status_i == TSTATUS_CANCELLED)
        return rb_err(ei, RB_ECONFLICT, "", "the session was cancelled");
    if (n < 1 || n > TRAINING_INVITE_MAX)
        return rb_err(ei, RB_EINVAL, "org_ids", "name 1 to %d orgs in \"org_ids\"",
                      TRAINING_INVITE_MAX);
    const char **orgs = rb_calloc((size_t)n, sizeof(*orgs));
    if (!orgs)
        return RB_ENOMEM;
    int norgs = 0;
    if ((rc = check_invitees(db, r.owner, org_ids, n, "org_ids", orgs, &norgs, ei)))
        goto out;
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        goto out;
    int k = 0;
    rc = add_invites(&w, id, r.title, r.starts, r.mode_i, orgs, norgs,
                     r.status_i == TSTATUS_SCHEDULED, &k);
    if (!rc && k > 0) {
        char c[64];
        rb_fmt(c, sizeof(c), "%d org%s", k, k == 1 ? "" : "s");
        rc = history_add(&w, &kind_training, id, "invited", NULL, c);
    }
    rc =
        write_end(&w, rc, "training.invite", &kind_training, id, r.owner, "cannot invite the orgs");
    if (!rc && added)
        *added = k;
out:
    rb_free(orgs);
    return rc;
}

static const struct rb_member invite_members[] = {
    RB_MEMBERS(rb_training_invite, org_id, org_name, org_kind, province, invited_by, invited_at,
               registered, attended, in_person),
    RB_MEMBER_AS(rb_training_invite, virtual_, "virtual", rb_int),
};
const struct rb_record training_invite_record = RB_RECORD(rb_training_invite, invite_members);

int training_invites(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                     rb_training_invite **out, int *n)
{
    return kind_rows(&kind_training, db, actor, id,
                     "SELECT i.org_id, g.name, g.kind, g.province, i.invited_by, i.invited_at, "
                     "(SELECT count(*) FROM training_people p WHERE p.training_id = i.training_id "
                     "AND p.org_id = i.org_id), (SELECT count(*) FROM training_people p WHERE "
                     "p.training_id = i.training_id AND p.org_id = i.org_id AND p.attended_mode "
                     "IS NOT NULL), (SELECT count(*) FROM training_people p WHERE p.training_id = "
                     "i.training_id AND p.org_id = i.org_id AND p.attended_mode = 'in_person'), "
                     "(SELECT count(*) FROM training_people p WHERE p.training_id = i.training_id "
                     "AND p.org_id = i.org_id AND p.attended_mode = 'virtual') FROM "
                     "training_invites i JOIN orgs g ON g.id = i.org_id WHERE ?1 IS NOT NULL AND "
                     "i.training_id = ?2 ORDER BY g.name, g.id",
                     a, &training_invite_record, out, n);
}

/* ---- people ---- */

static const struct rb_member person_members[] = {
    RB_MEMBERS(rb_training_person, id, org_id, org_name, name, email, registered_by, registered_at,
               attended_mode, attended_at, recorded_by),
    RB_MEMBER(rb_training_person, rating, rb_int),
    RB_MEMBERS(rb_training_person, comment),
};
const struct rb_record training_person_record = RB_RECORD(rb_training_person, person_members);

static bool is_invited(rb_db *db, const char *id, const char *org_id)
{
    int64_t n = 0;
    if (db_query_int(db,
                     "SELECT count(*) FROM training_invites WHERE training_id = ?1 AND org_id = ?2",
                     DB_ARGS(DB_TEXT(id), DB_TEXT(org_id)), &n))
        return false;
    return n > 0;
}

int training_register(rb_db *db, const rb_actor *actor, const char *id,
                      const struct person_input *in, char out_id[RB_ID_SIZE], rb_errinfo *ei)
{
    struct row r;
    int rc = start(db, actor, id, false, NULL, &r, ei);
    if (rc)
        return rc;
    const char *org = in->org_id ? in->org_id : actor->org.id;
    bool organiser = is_organiser(actor, &r);
    if (!organiser && (strcmp(org, actor->org.id) != 0 || !policy_can(actor, PERM_REPORT)))
        return rb_err(ei, RB_EPERM, "",
                      in->org_id && strcmp(in->org_id, actor->org.id) != 0
                          ? "you may register people of your own org only"
                          : "only the invited orgs' reporters, analysts and admins, and the "
                            "organiser, register people");
    if ((rc = rb_field_checks(FIELD_NAME, "name", in->name, ei)) ||
        (rc = rb_field_checks(FIELD_EMAIL, "email", in->email, ei)))
        return rc;
    if (!in->name || strlen(in->name) < 2)
        return rb_err(ei, RB_EINVAL, "name", "\"name\" is required: the person's name");
    if (!rb_empty(in->email) && !strchr(in->email, '@'))
        return rb_err(ei, RB_EINVAL, "email", "\"email\" must be an e-mail address");
    if (!rb_uuid_valid(org) || !is_invited(db, id, org))
        return rb_err(ei, RB_EINVAL, "org_id", "that org is not invited to this session");
    char pid[RB_ID_SIZE];
    rb_write w;
    if ((rc = write_begin_new(&w, db, actor, pid, ei)))
        return rc;
    /* The state and the places are read again inside the write, so no two registrations can
     * take the last place. */
    if ((rc = read_row(db, id, &r)))
        goto end;
    if (r.status_i == TSTATUS_DRAFT)
        rc = rb_err(ei, RB_ECONFLICT, "",
                    "the session is a draft: it takes registrations once it is scheduled");
    else if (r.status_i == TSTATUS_CANCELLED)
        rc = rb_err(ei, RB_ECONFLICT, "", "the session was cancelled");
    else if (strcmp(r.ends, w.now) <= 0)
        rc = rb_err(ei, RB_ECONFLICT, "", "the session is over: it takes no more registrations");
    if (!rc && r.capacity > 0) {
        int64_t taken = 0;
        if (!(rc = db_query_int(db, "SELECT count(*) FROM training_people WHERE training_id = ?1",
                                DB_ARGS(DB_TEXT(id)), &taken)) &&
            taken >= r.capacity)
            rc = rb_err(ei, RB_ECONFLICT, "", "the session is full: all %d places are taken",
                        r.capacity);
    }
    if (!rc && (rc = db_exec(db,
                             "INSERT INTO training_people(id, training_id, org_id, name, email, "
                             "registered_by, registered_at) VALUES (?1,?2,?3,?4,?5,?6,?7)",
                             DB_ARGS(DB_TEXT(pid), DB_TEXT(id), DB_TEXT(org), DB_TEXT(in->name),
                                     DB_TEXT(or_null(in->email)), DB_TEXT(actor->label),
                                     DB_TEXT(w.now)))) == RB_ECONFLICT)
        rb_err(ei, rc, "name", "%.*s is registered for this org already", RB_CUT(in->name, 100));
    if (!rc)
        rc = history_add(&w, &kind_training, id, "person registered", NULL, NULL);
end:
    rc = write_end(&w, rc, "training.register", &kind_training, id, org,
                   "cannot register the person");
    if (!rc)
        memcpy(out_id, pid, RB_ID_SIZE);
    return rc;
}

/* Reads a person of the session: their org and whether they attended. */
static int read_person(rb_db *db, const char *id, const char *person_id, char org[RB_ID_SIZE],
                       bool *attended, rb_errinfo *ei)
{
    if (!person_id || !rb_uuid_valid(person_id))
        return rb_err(ei, RB_ENOTFOUND, "person_id", "no such person is registered");
    rb_stmt *st = NULL;
    int rc = db_query(db,
                      "SELECT org_id, attended_mode IS NOT NULL FROM training_people WHERE id = ?1 "
                      "AND training_id = ?2",
                      DB_ARGS(DB_TEXT(person_id), DB_TEXT(id)), &st);
    if (rc)
        return rc;
    if ((rc = db_step(st)) == DB_ROW) {
        rb_strlcpy(org, db_col_text(st, 0), RB_ID_SIZE);
        *attended = db_col_int(st, 1) != 0;
    }
    db_done(st);
    if (rc < 0)
        return rc;
    return rc == DB_ROW ? 0 : rb_err(ei, RB_ENOTFOUND, "person_id", "no such person is registered");
}

/* A person of the session whom the actor may act for: the organiser for anyone, the person's own
 * org (its reporters, analysts and admins) for its own people. Another org's person is "not
 * found"; the own org's person with a role that may not is RB_EPERM ("your role may not <what>").
 */
static int person_start(rb_db *db, const rb_actor *actor, const struct row *r, const char *id,
                        const char *person_id, const char *what, char org[RB_ID_SIZE],
                        bool *attended, rb_errinfo *ei)
{
    int rc = read_person(db, id, person_id, org, attended, ei);
    if (rc || is_organiser(actor, r))
        return rc;
    if (strcmp(org, actor->org.id) != 0)
        return rb_err(ei, RB_ENOTFOUND, "person_id", "no such person is registered");
    if (!policy_can(actor, PERM_REPORT))
        return rb_err(ei, RB_EPERM, "person_id", "your role may not %s", what);
    return 0;
}

int training_unregister(rb_db *db, const rb_actor *actor, const char *id, const char *person_id,
                        rb_errinfo *ei)
{
    struct row r;
    int rc = start(db, actor, id, false, NULL, &r, ei);
    if (rc)
        return rc;
    char org[RB_ID_SIZE] = "";
    bool attended = false;
    if ((rc = person_start(db, actor, &r, id, person_id, "take registrations back", org, &attended,
                           ei)))
        return rc;
    if (attended)
        return rb_err(ei, RB_ECONFLICT, "person_id",
                      "the person attended: their registration stays");
    return write_exec(db, actor,
                      &(struct write_entry){
                          "training.unregister", &kind_training, id, org,
                          .fail = "cannot take the registration back",
                          .unchanged = {RB_ECONFLICT, "person_id", "the person attended meanwhile"},
                          .event = "registration taken back"},
                      "DELETE FROM training_people WHERE id = ?1 AND training_id = ?2 AND "
                      "attended_mode IS NULL",
                      DB_ARGS(DB_TEXT(person_id), DB_TEXT(id)), ei);
}

int training_people(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                    rb_training_person **out, int *n)
{
    struct row r;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = start(db, actor, id, false, NULL, &r, &ei);
    if (rc)
        return rc;
    bool all = actor->system || strcmp(r.owner, actor->org.id) == 0;
    rb_stmt *st = NULL;
    rc = db_query(db,
                  "SELECT p.id, p.org_id, g.name, p.name, p.email, p.registered_by, "
                  "p.registered_at, p.attended_mode, p.attended_at, p.recorded_by, "
                  "coalesce(f.rating, 0), f.comment FROM training_people p JOIN orgs g ON g.id = "
                  "p.org_id LEFT JOIN training_feedback f ON f.person_id = p.id WHERE "
                  "p.training_id = ?1 AND (?2 = 1 OR p.org_id = ?3) ORDER BY g.name, p.org_id, "
                  "p.name COLLATE NOCASE, p.seq LIMIT ?4",
                  DB_ARGS(DB_TEXT(id), DB_INT(all ? 1 : 0), DB_TEXT(actor->org.id),
                          DB_INT(TRAINING_PEOPLE_LIST_MAX)),
                  &st);
    return rc ? rc : db_rows(st, &training_person_record, a, out, n);
}

int training_attend(rb_db *db, const rb_actor *actor, const char *id, const char *person_id,
                    int mode, rb_errinfo *ei)
{
    struct row r;
    int rc = start(db, actor, id, true, "record attendance", &r, ei);
    if (rc)
        return rc;
    if (r.status_i != TSTATUS_SCHEDULED)
        return rb_err(ei, RB_ECONFLICT, "",
                      r.status_i == TSTATUS_DRAFT ? "the session is a draft"
                                                  : "the session was cancelled");
    if (mode == TMODE_HYBRID || mode >= TMODE__COUNT)
        return rb_err(ei, RB_EINVAL, "mode",
                      "a person joins in_person or virtual (a hybrid session has both)");
    if (mode >= 0 && r.mode_i != TMODE_HYBRID && mode != r.mode_i)
        return rb_err(ei, RB_EINVAL, "mode", "the session is held %s: no one joins it %s",
                      mode_words[r.mode_i], mode_words[mode]);
    char org[RB_ID_SIZE] = "";
    bool attended = false;
    if ((rc = read_person(db, id, person_id, org, &attended, ei)))
        return rc;
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    if (strcmp(w.now, r.starts) < 0)
        rc = rb_err(ei, RB_ECONFLICT, "",
                    "the session has not started yet: attendance is recorded from %s", r.starts);
    if (!rc)
        rc = db_exec(db,
                     "UPDATE training_people SET attended_mode = ?3, attended_at = ?4, recorded_by "
                     "= ?5 WHERE id = ?1 AND training_id = ?2",
                     DB_ARGS(DB_TEXT(person_id), DB_TEXT(id),
                             DB_TEXT(mode >= 0 ? training_mode_names[mode] : NULL),
                             DB_TEXT(mode >= 0 ? w.now : NULL), DB_TEXT(actor->label)));
    /* Feedback is of an attendee: a person marked absent has none. */
    if (!rc && mode < 0)
        rc = db_exec(db, "DELETE FROM training_feedback WHERE person_id = ?1",
                     DB_ARGS(DB_TEXT(person_id)));
    if (!rc)
        rc = history_add(&w, &kind_training, id,
                         mode < 0
                             ? "attendance cleared"
                             : (mode == TMODE_IN_PERSON ? "attended in person" : "attended online"),
                         NULL, NULL);
    return write_end(&w, rc, "training.attend", &kind_training, id, org,
                     "cannot record the attendance");
}

int training_feedback(rb_db *db, const rb_actor *actor, const char *id, const char *person_id,
                      int rating, const char *comment, rb_errinfo *ei)
{
    struct row r;
    int rc = start(db, actor, id, false, NULL, &r, ei);
    if (rc)
        return rc;
    if (rating < 1 || rating > 5)
        return rb_err(ei, RB_EINVAL, "rating", "\"rating\" is 1 (poor) to 5 (excellent)");
    if ((rc = rb_field_checks(FIELD_NOTE, "comment", comment, ei)))
        return rc;
    char org[RB_ID_SIZE] = "";
    bool attended = false;
    if ((rc = person_start(db, actor, &r, id, person_id, "give feedback", org, &attended, ei)))
        return rc;
    if (!attended)
        return rb_err(ei, RB_ECONFLICT, "person_id",
                      "feedback comes from people who attended: record their attendance first");
    return write_exec(db, actor,
                      &(struct write_entry){"training.feedback", &kind_training, id, org,
                                            .fail = "cannot record the feedback",
                                            .event = "feedback given"},
                      "INSERT INTO training_feedback(person_id, training_id, org_id, rating, "
                      "comment, given_by, given_at) VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT "
                      "(person_id) DO UPDATE SET rating = ?4, comment = ?5, given_by = ?6, "
                      "given_at = ?7",
                      DB_ARGS(DB_TEXT(person_id), DB_TEXT(id), DB_TEXT(org), DB_INT(rating),
                              DB_TEXT(comment ? comment : ""), DB_TEXT(actor->label), WRITE_NOW),
                      ei);
}

/* ---- materials ---- */

static const struct rb_member link_members[] = {
    RB_MEMBERS(rb_training_link, id, title, url, added_by, added_at),
};
const struct rb_record training_link_record = RB_RECORD(rb_training_link, link_members);

int training_link_add(rb_db *db, const rb_actor *actor, const char *id, const char *title,
                      const char *url, char out_id[RB_ID_SIZE], rb_errinfo *ei)
{
    struct row r;
    int rc = start(db, actor, id, true, "add materials", &r, ei);
    if (rc || (rc = rb_field_checks(FIELD_TITLE, "title", title, ei)) ||
        (rc = rb_field_checks(FIELD_URL, "url", url, ei)))
        return rc;
    if (!title || strlen(title) < 2)
        return rb_err(ei, RB_EINVAL, "title", "\"title\" is required: what the material is");
    if (!is_http_url(url))
        return rb_err(ei, RB_EINVAL, "url", "\"url\" must be an http:// or https:// address");
    char lid[RB_ID_SIZE];
    rb_uuid_new(lid);
    rc = write_exec(
        db, actor,
        &(struct write_entry){"training.material", &kind_training, id, r.owner,
                              .fail = "cannot add the link",
                              .cap = {"SELECT count(*) FROM training_links WHERE "
                                      "training_id = ?1",
                                      id, TRAINING_LINKS_MAX, "a session holds at most %d links"},
                              .event = "material added", .comment = title},
        "INSERT INTO training_links(id, training_id, title, url, added_by, added_at) "
        "VALUES (?1,?2,?3,?4,?5,?6)",
        DB_ARGS(DB_TEXT(lid), DB_TEXT(id), DB_TEXT(title), DB_TEXT(url), DB_TEXT(actor->label),
                WRITE_NOW),
        ei);
    if (!rc)
        memcpy(out_id, lid, RB_ID_SIZE);
    return rc;
}

int training_links(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                   rb_training_link **out, int *n)
{
    return kind_rows(&kind_training, db, actor, id,
                     "SELECT id, title, url, added_by, added_at FROM training_links WHERE ?1 IS "
                     "NOT NULL AND training_id = ?2 ORDER BY seq",
                     a, &training_link_record, out, n);
}

int training_attach(rb_db *db, const rb_actor *actor, const char *id, const char *filename,
                    const char *content_type, const void *data, size_t len, char out_id[RB_ID_SIZE],
                    rb_errinfo *ei)
{
    struct row r;
    int rc = start(db, actor, id, true, "add materials", &r, ei);
    if (rc)
        return rc;
    if (rb_empty(filename))
        return rb_err(ei, RB_EINVAL, "filename", "name the file: ?filename=");
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    char fid[RB_ID_SIZE] = "";
    rc = files_add(&w, &kind_training, id, NULL, 0, filename, content_type, data, len, fid);
    if (!rc)
        rc = history_add(&w, &kind_training, id, "file added", NULL, NULL);
    rc = write_end(&w, rc, "training.attach", &kind_training, id, r.owner, "cannot add the file");
    if (!rc)
        memcpy(out_id, fid, RB_ID_SIZE);
    return rc;
}

/* ---- iCalendar ---- */

#define ICAL_PRODID "-//rabta//Training sessions//EN"

/* The event of a session read by training_get or the feed. stamp: DTSTAMP. */
static void to_event(const rb_training *t, int64_t stamp, rb_arena *a, struct ical_event *e)
{
    memset(e, 0, sizeof(*e));
    e->uid = rb_arena_strdup(a, t->id);
    size_t n = strlen(t->id) + 8;
    char *uid = rb_arena_alloc(a, n);
    if (uid) {
        rb_fmt(uid, n, "%s@rabta", t->id);
        e->uid = uid;
    }
    e->stamp = stamp;
    rb_time_parse(t->starts_at, &e->start);
    rb_time_parse(t->ends_at, &e->end);
    rb_time_parse(t->updated_at, &e->last_modified);
    e->sequence = t->sequence;
    e->summary = t->title;
    e->description = t->description;
    e->location = strcmp(t->mode, "virtual") != 0 ? t->venue : NULL;
    e->url = t->meeting_url;
    e->status = strcmp(t->status, "cancelled") == 0 ? "CANCELLED"
                : strcmp(t->status, "draft") == 0   ? "TENTATIVE"
                                                    : "CONFIRMED";
    size_t cn = strlen(t->owner_name ? t->owner_name : "") + 16;
    char *c = rb_arena_alloc(a, cn);
    if (c) {
        rb_fmt(c, cn, "Organised by %s", t->owner_name ? t->owner_name : "");
        e->organizer_name = c;
    }
    if (t->nstaff > 0) { /* the lead organiser */
        e->organizer_cn = t->staff[0].name;
        e->organizer_email = t->staff[0].email;
    }
    const char **cats =
        t->ntopics > 0 ? rb_arena_alloc(a, sizeof(*cats) * (size_t)t->ntopics) : NULL;
    for (int i = 0; cats && i < t->ntopics; i++)
        cats[i] = t->topics[i].title ? t->topics[i].title : t->topics[i].id;
    e->categories = cats;
    e->ncategories = cats ? t->ntopics : 0;
}

int training_ics(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_buf *out)
{
    rb_training t;
    int rc = training_get(db, actor, id, a, &t);
    if (rc)
        return rc;
    struct ical_event e;
    to_event(&t, rb_time_of(t.updated_at), a, &e);
    struct ical_calendar cal = {ICAL_PRODID, NULL, NULL};
    return ical_write(out, &cal, &e, 1);
}

/* ---- calendar feeds ---- */

static const struct rb_member feed_members[] = {
    RB_MEMBERS(rb_calendar_feed, id, org_id, prefix, created_by, created_at),
};
const struct rb_record calendar_feed_record = RB_RECORD(rb_calendar_feed, feed_members);

/* Inside w: ends the feed of org_id (a new one replaces it, or none). */
static int revoke_feed(rb_write *w, const char *org_id)
{
    return db_exec(w->db,
                   "UPDATE calendar_feeds SET revoked_at = ?2 WHERE org_id = ?1 AND revoked_at IS "
                   "NULL",
                   DB_ARGS(DB_TEXT(org_id), DB_TEXT(w->now)));
}

/* The feed of org_id is managed by its own reporters, analysts and admins. */
static int feed_may(const rb_actor *actor, const char *org_id, rb_errinfo *ei)
{
    if (!org_id || !rb_uuid_valid(org_id))
        return rb_err(ei, RB_ENOTFOUND, "", "no such org");
    if (actor->system)
        return 0;
    if (strcmp(actor->org.id, org_id) != 0)
        return rb_err(ei, RB_EPERM, "", "only the org itself manages its calendar feed");
    if (!policy_can(actor, PERM_REPORT))
        return rb_err(ei, RB_EPERM, "", "your role may not manage the calendar feed");
    return 0;
}

int calendar_feed_create(rb_db *db, const rb_actor *actor, const char *org_id,
                         char token_out[AUTH_TOKEN_SIZE], char id_out[RB_ID_SIZE], rb_errinfo *ei)
{
    int rc = feed_may(actor, org_id, ei);
    if (rc)
        return rc;
    char token[AUTH_TOKEN_SIZE], hex[AUTH_SECRET_SIZE], hash[RB_SHA256_HEX_SIZE], prefix[16];
    rb_random_hex(32, hex);
    rb_fmt(token, sizeof(token), "rbc_%s", hex);
    rb_sha256_hex(token, strlen(token), hash);
    rb_fmt(prefix, sizeof(prefix), "%.12s", token);
    char id[RB_ID_SIZE];
    rb_write w;
    if ((rc = write_begin_new(&w, db, actor, id, ei)))
        return rc;
    rc = revoke_feed(&w, org_id);
    if (!rc)
        rc = db_exec(db,
                     "INSERT INTO calendar_feeds(id, org_id, token_hash, prefix, created_by, "
                     "created_at) VALUES (?1,?2,?3,?4,?5,?6)",
                     DB_ARGS(DB_TEXT(id), DB_TEXT(org_id), DB_TEXT(hash), DB_TEXT(prefix),
                             DB_TEXT(actor->label), DB_TEXT(w.now)));
    rc = write_end(&w, rc, "calendar_feed.create", &kind_org, org_id, org_id,
                   "cannot make the calendar feed");
    if (rc)
        return rc;
    memcpy(token_out, token, AUTH_TOKEN_SIZE);
    memcpy(id_out, id, RB_ID_SIZE);
    return 0;
}

int calendar_feed_revoke(rb_db *db, const rb_actor *actor, const char *org_id, rb_errinfo *ei)
{
    int rc = feed_may(actor, org_id, ei);
    if (rc)
        return rc;
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    return write_end(&w, revoke_feed(&w, org_id), "calendar_feed.revoke", &kind_org, org_id, org_id,
                     "cannot revoke the calendar feed");
}

int calendar_feed_get(rb_db *db, const rb_actor *actor, const char *org_id, rb_arena *a,
                      rb_calendar_feed *out)
{
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = feed_may(actor, org_id, &ei);
    if (rc)
        return rc;
    return db_query_one(db,
                        "SELECT id, org_id, prefix, created_by, created_at FROM calendar_feeds "
                        "WHERE org_id = ?1 AND revoked_at IS NULL",
                        DB_ARGS(DB_TEXT(org_id)), a, &calendar_feed_record, out);
}

/* The most sessions one feed holds. */
#define FEED_MAX 2000

int calendar_feed_ics(rb_db *db, const char *token, rb_arena *a, rb_buf *out)
{
    if (!token || strncmp(token, "rbc_", 4) != 0 || strlen(token) != AUTH_TOKEN_SIZE - 12)
        return RB_ENOTFOUND;
    char hash[RB_SHA256_HEX_SIZE];
    rb_sha256_hex(token, strlen(token), hash);
    char org_id[RB_ID_SIZE];
    int rc = db_query_text_buf(db,
                               "SELECT org_id FROM calendar_feeds WHERE token_hash = ?1 AND "
                               "revoked_at IS NULL",
                               DB_ARGS(DB_TEXT(hash)), org_id, sizeof(org_id));
    if (rc)
        return rc;
    if (!org_id[0])
        return RB_ENOTFOUND;
    /* The feed reads as the org would (a viewer of it): what it may read, no more. */
    rb_actor viewer;
    memset(&viewer, 0, sizeof(viewer));
    if ((rc = org_ref_load(db, org_id, &viewer.org)))
        return rc == RB_ENOTFOUND ? RB_ENOTFOUND : rc;
    viewer.role = ROLE_VIEWER;
    rb_strlcpy(viewer.label, "calendar feed", sizeof(viewer.label));
    char since[RB_TIME_SIZE];
    rb_time_format(rb_now() - 180 * 86400, since);
    rb_training *rows = NULL;
    int n = 0;
    bool more = false;
    rc = kind_page(&kind_training, db, &viewer,
                   "SELECT " TRAINING_COLS TRAINING_FROM "WHERE " TRAINING_SQL_READABLE
                   " AND o.status <> 'draft' AND o.ends_at >= ?1 AND (o.owner_org = ?101 OR "
                   "EXISTS (SELECT 1 FROM training_invites i WHERE i.training_id = o.id AND "
                   "i.org_id = ?101)) ORDER BY o.starts_at, o.seq LIMIT ?2",
                   DB_ARGS(DB_TEXT(since), DB_INT(FEED_MAX + 1)), FEED_MAX, &training_record, a,
                   &rows, &n, &more);
    if (!rc)
        rc = finish(db, rows, n, &viewer, a);
    if (rc)
        return rc;
    struct ical_event *ev = rb_arena_alloc(a, sizeof(*ev) * (size_t)(n + 1));
    if (!ev)
        return RB_ENOMEM;
    int64_t now = rb_now();
    for (int i = 0; i < n; i++)
        to_event(&rows[i], now, a, &ev[i]);
    char name[300];
    rb_stmt *nst = NULL;
    rb_fmt(name, sizeof(name), "Training sessions");
    if (!db_query(db, "SELECT name FROM orgs WHERE id = ?1", DB_ARGS(DB_TEXT(org_id)), &nst)) {
        if (db_step(nst) == DB_ROW)
            rb_fmt(name, sizeof(name), "Training sessions: %.*s", RB_CUT(db_col_text(nst, 0), 200));
        db_done(nst);
    }
    struct ical_calendar cal = {ICAL_PRODID, "PUBLISH", name};
    return ical_write(out, &cal, ev, (size_t)n);
}
