/*
 * incident_work.c - tasks and links of incidents.
 *
 * Must never assign a task to an org that may not read its incident, or show a link to an
 * incident its reader may not read.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "core/history.h"
#include "core/inbox.h"
#include "core/incident.h"
#include "core/incident_work.h"
#include "core/kind.h"
#include "core/policy.h"
#include "json/field.h"

static bool blank(const char *s)
{
    return !s || strspn(s, " \t\r\n") == strlen(s);
}

/* May org_id read the incident? (As that org: the rule of POLICY_SQL_READABLE_BY.) */
static int org_may_read(rb_db *db, const char *incident_id, const char *org_id, bool *out)
{
    int64_t n = 0;
    int rc = db_query_int(
        db,
        "SELECT count(*) FROM incidents o WHERE o.id = ?1 AND EXISTS (SELECT 1 "
        "FROM orgs g WHERE g.id = ?2) AND " POLICY_SQL_READABLE_BY("o", "?3", "?2"),
        DB_ARGS(DB_TEXT(incident_id), DB_TEXT(org_id), DB_TEXT(kind_incident.name)), &n);
    *out = n > 0;
    return rc;
}

static int check_task(rb_db *db, const char *incident_id, const struct task_input *in, bool add,
                      rb_errinfo *ei)
{
    int rc = rb_field_checks(FIELD_TITLE, "title", in->title, ei);
    if (rc)
        return rc;
    if ((add || in->title) && blank(in->title))
        return rb_err(ei, RB_EINVAL, "title", "say what is to be done (\"title\")");
    if (in->due_date && in->due_date[0] && rb_date_parse(in->due_date, NULL))
        return rb_err(ei, RB_EINVAL, "due_date", "\"due_date\" must be a date like 2026-12-31");
    if (in->assignee_org && in->assignee_org[0]) {
        bool ok = false;
        if ((rc = rb_field_checks(FIELD_ID, "assignee_org_id", in->assignee_org, ei)) ||
            (rc = org_may_read(db, incident_id, in->assignee_org, &ok)))
            return rc;
        if (!ok)
            return rb_err(ei, RB_EINVAL, "assignee_org_id",
                          "a task goes to an org that may read the incident (the handling CERT, "
                          "the affected org, or one it was shared with)");
    }
    return 0;
}

int incident_task_add(rb_db *db, const rb_actor *actor, const char *incident_id,
                      const struct task_input *in, char out_id[RB_ID_SIZE], rb_errinfo *ei)
{
    struct incident_row x;
    int rc = incident_start(db, actor, incident_id, WRITER_PARTY,
                            "only the handling CERT and the affected org add tasks", &x, ei);
    if (rc)
        return rc;
    if ((rc = check_task(db, incident_id, in, true, ei)))
        return rc;
    char id[RB_ID_SIZE];
    rb_write w;
    if ((rc = write_begin_new(&w, db, actor, id, ei)))
        return rc;
    rc = write_cap(&w, "SELECT count(*) FROM incident_tasks WHERE incident_id = ?1", incident_id,
                   INCIDENT_TASKS_MAX, "an incident holds at most %d tasks", INCIDENT_TASKS_MAX);
    const char *assignee = in->assignee_org && in->assignee_org[0] ? in->assignee_org : NULL;
    if (!rc)
        rc = db_exec(db,
                     "INSERT INTO incident_tasks(id, incident_id, title, assignee_org, "
                     "due_date, created_by, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7)",
                     DB_ARGS(DB_TEXT(id), DB_TEXT(incident_id), DB_TEXT(in->title),
                             DB_TEXT(assignee),
                             DB_TEXT(in->due_date && in->due_date[0] ? in->due_date : NULL),
                             DB_TEXT(actor->label), DB_TEXT(w.now)));
    if (!rc)
        rc = history_add(&w, &kind_incident, incident_id, "task added", NULL, in->title);
    if (!rc && assignee && strcmp(assignee, actor->org.id) != 0)
        rc =
            inbox_add(&w, assignee, INBOX_TASK, &kind_incident, incident_id, in->title, NULL, NULL);
    rc = incident_end(&w, rc, &x, "incident.task_add", "cannot add the task");
    if (!rc)
        memcpy(out_id, id, RB_ID_SIZE);
    return rc;
}

int incident_task_update(rb_db *db, const rb_actor *actor, const char *incident_id,
                         const char *task_id, const struct task_input *in, rb_errinfo *ei)
{
    struct incident_row x;
    int rc = incident_load_for_write(db, actor, incident_id, &x, ei);
    if (rc)
        return rc;
    rb_stmt *st = NULL;
    char assignee[RB_ID_SIZE] = "", title[512] = "";
    bool found = false, done = false;
    if ((rc = db_prepare(db,
                         "SELECT coalesce(assignee_org, ''), title, done_at IS NOT NULL FROM "
                         "incident_tasks WHERE id = ?1 AND incident_id = ?2",
                         &st)))
        return rc;
    db_bind_text(st, 1, task_id);
    db_bind_text(st, 2, incident_id);
    if ((rc = db_step(st)) == DB_ROW) {
        found = true;
        rb_strlcpy(assignee, db_col_text(st, 0), sizeof(assignee));
        rb_strlcpy(title, db_col_text(st, 1), sizeof(title));
        done = db_col_int(st, 2) != 0;
    }
    db_done(st);
    if (rc < 0)
        return rc;
    if (!found)
        return rb_err(ei, RB_ENOTFOUND, "", "the incident has no such task");
    if (!in->title && !in->assignee_org && !in->due_date && in->done < 0)
        return rb_err(ei, RB_EINVAL, "", "nothing to change: send the members that change");
    bool party = incident_party_of(actor, &x) != 0;
    bool mine = assignee[0] && strcmp(assignee, actor->org.id) == 0 &&
                (policy_can(actor, PERM_REPORT) || policy_can(actor, PERM_TRIAGE));
    if (!party && !mine)
        return rb_err(ei, RB_EPERM, "",
                      "only the handling CERT, the affected org and the task's assignee change "
                      "it");
    if (!party && (in->title || in->assignee_org || in->due_date))
        return rb_err(ei, RB_EPERM, "", "as its assignee you may mark it done, not change it");
    if ((rc = check_task(db, incident_id, in, false, ei)))
        return rc;
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    rc = db_exec(db,
                 "UPDATE incident_tasks SET title = coalesce(?3, title), assignee_org = "
                 "CASE WHEN ?4 IS NULL THEN assignee_org WHEN ?4 = '' THEN NULL ELSE ?4 "
                 "END, due_date = CASE WHEN ?5 IS NULL THEN due_date WHEN ?5 = '' THEN "
                 "NULL ELSE ?5 END, done_at = CASE WHEN ?6 = 1 THEN coalesce(done_at, "
                 "?7) WHEN ?6 = 0 THEN NULL ELSE done_at END, done_by = CASE WHEN ?6 = "
                 "1 THEN coalesce(done_by, ?8) WHEN ?6 = 0 THEN NULL ELSE done_by END "
                 "WHERE id = ?1 AND incident_id = ?2",
                 DB_ARGS(DB_TEXT(task_id), DB_TEXT(incident_id), DB_TEXT(in->title),
                         DB_TEXT(in->assignee_org), DB_TEXT(in->due_date), DB_INT(in->done),
                         DB_TEXT(w.now), DB_TEXT(actor->label)));
    const char *what = in->done == 1 && !done  ? "task done"
                       : in->done == 0 && done ? "task reopened"
                                               : "task changed";
    if (!rc)
        rc =
            history_add(&w, &kind_incident, incident_id, what, NULL, in->title ? in->title : title);
    if (!rc && in->assignee_org && in->assignee_org[0] && strcmp(in->assignee_org, assignee) != 0 &&
        strcmp(in->assignee_org, actor->org.id) != 0)
        rc = inbox_add(&w, in->assignee_org, INBOX_TASK, &kind_incident, incident_id,
                       in->title ? in->title : title, NULL, NULL);
    return incident_end(&w, rc, &x, "incident.task_update", "cannot change the task");
}

/* The columns of task_members, in order. */
#define TASK_COLS                                                                                  \
    "t.id, t.incident_id, i.title, t.title, t.assignee_org, g.name, t.due_date, t.done_at, "       \
    "t.done_by, t.created_by, t.created_at, i.seq"
/* An incident's tasks with the incident and the assignee, for TASK_COLS. */
#define TASKS_OF_INCIDENT                                                                          \
    " FROM incident_tasks t JOIN incidents i ON i.id = t.incident_id LEFT JOIN orgs g ON g.id = "  \
    "t.assignee_org "

static const struct rb_member task_members[] = {
    RB_MEMBERS(rb_task, id, incident_id),
    RB_MEMBER(rb_task, incident_reference, rb_text_later),
    RB_MEMBERS(rb_task, incident_title, title),
    RB_MEMBER_AS(rb_task, assignee_org, "assignee_org_id", rb_text),
    RB_MEMBER_AS(rb_task, assignee_name, "assignee_org_name", rb_text),
    RB_MEMBERS(rb_task, due_date),
    RB_MEMBER(rb_task, done, rb_bool_later),
    RB_MEMBERS(rb_task, done_at, done_by),
    RB_MEMBER(rb_task, overdue, rb_bool_later),
    RB_MEMBERS(rb_task, created_by, created_at),
    RB_HIDDEN_MEMBERS(rb_task, incident_number),
};
const struct rb_record task_record = RB_RECORD(rb_task, task_members);

/* The tasks' members the columns do not give. */
static void tasks_finish(rb_task *t, int n, rb_arena *a)
{
    char today[RB_TIME_SIZE];
    rb_time_format(rb_now(), today);
    for (int i = 0; i < n; i++) {
        char ref[32];
        rb_fmt(ref, sizeof(ref), "INC-%06" PRId64, t[i].incident_number);
        t[i].incident_reference = rb_arena_strdup(a, ref);
        t[i].done = t[i].done_at != NULL;
        t[i].overdue = !t[i].done_at && t[i].due_date && strncmp(t[i].due_date, today, 10) < 0;
    }
}

int incident_tasks(rb_db *db, const rb_actor *actor, const char *incident_id, rb_arena *a,
                   rb_task **out, int *n)
{
    int rc = kind_rows(&kind_incident, db, actor, incident_id,
                       "SELECT " TASK_COLS TASKS_OF_INCIDENT
                       "WHERE ?1 IS NOT NULL AND t.incident_id = ?2 ORDER BY t.seq",
                       a, &task_record, out, n);
    if (!rc)
        tasks_finish(*out, *n, a);
    return rc;
}

int incident_tasks_mine(rb_db *db, const rb_actor *actor, int limit, rb_arena *a, rb_task **out,
                        int *n)
{
    if (limit < 1 || limit > 500)
        limit = 50;
    rb_stmt *st = NULL;
    int rc = db_query(db,
                      "SELECT " TASK_COLS " FROM incident_tasks t JOIN incidents o ON o.id = "
                      "t.incident_id JOIN incidents i ON i.id = t.incident_id LEFT JOIN orgs g ON "
                      "g.id = t.assignee_org WHERE t.assignee_org = ?1 AND t.done_at IS NULL AND "
                      POLICY_SQL_READABLE " ORDER BY t.due_date IS NULL, t.due_date, t.seq LIMIT "
                      "?2",
                      DB_ARGS(DB_TEXT(actor->org.id), DB_INT(limit)), &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, &kind_incident);
    if (!(rc = db_rows(st, &task_record, a, out, n)))
        tasks_finish(*out, *n, a);
    return rc;
}

int incident_link(rb_db *db, const rb_actor *actor, const char *id, const char *other,
                  const char *reason, rb_errinfo *ei)
{
    struct incident_row x, y;
    int rc = incident_start(db, actor, id, WRITER_CONTRIBUTOR, "your role may not link incidents",
                            &x, ei);
    if (rc)
        return rc;
    if ((rc = incident_check_said(FIELD_NOTE, "reason", reason,
                                  "say how they are related (\"reason\")", ei)))
        return rc;
    if ((rc = incident_load_other(db, actor, "incident_id", other, &y, ei)))
        return rc;
    if (strcmp(id, other) == 0)
        return rb_err(ei, RB_EINVAL, "incident_id", "an incident is not linked to itself");
    bool lo = strcmp(id, other) < 0;
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    rb_stmt *st = NULL;
    rc = write_cap(&w, "SELECT count(*) FROM incident_links WHERE a_id = ?1 OR b_id = ?1", id,
                   INCIDENT_LINKS_MAX, "an incident holds at most %d links", INCIDENT_LINKS_MAX);
    if (!rc && !(rc = db_prepare(db,
                                 "INSERT INTO incident_links(a_id, b_id, reason, created_by, "
                                 "created_at) VALUES (?1,?2,?3,?4,?5)",
                                 &st))) {
        db_bind_text(st, 1, lo ? id : other);
        db_bind_text(st, 2, lo ? other : id);
        db_bind_text(st, 3, reason);
        db_bind_text(st, 4, actor->label);
        db_bind_text(st, 5, w.now);
        rc = db_run(st);
        if (rc == RB_ECONFLICT)
            rc = rb_err(ei, RB_ECONFLICT, "incident_id", "the two are linked already");
    }
    /* Each timeline names only the reason: a reader of one may not read the other (the links list
     * shows the other to those who may). */
    if (!rc)
        rc = history_add(&w, &kind_incident, id, "linked to a related incident", NULL, reason);
    if (!rc)
        rc = history_add(&w, &kind_incident, other, "linked to a related incident", NULL, reason);
    if (!rc)
        rc = incident_touch(&w, id);
    if (!rc)
        rc = incident_touch(&w, other);
    /* A link across provinces sends both up (core/deadline's cross-province rule). */
    if (!rc && !(rc = write_audit(&w, "incident.link", &kind_incident, id, x.owner_org)))
        rc = incident_auto_escalate(&w, id, false);
    if (!rc)
        rc = incident_auto_escalate(&w, other, false);
    return write_end(&w, rc, "incident.link", &kind_incident, id, x.owner_org, "cannot link them");
}

static const struct rb_member link_members[] = {
    RB_MEMBERS(rb_link, incident_id),
    RB_MEMBER(rb_link, reference, rb_text_later),
    RB_MEMBERS(rb_link, title, province, status, severity, reason, created_by, created_at),
    RB_HIDDEN_MEMBERS(rb_link, number),
};
const struct rb_record link_record = RB_RECORD(rb_link, link_members);

int incident_links(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_link **out,
                   int *n)
{
    rb_stmt *st = NULL;
    int rc =
        kind_query(&kind_incident, db, actor, id,
                   "SELECT o.id, o.title, o.province, o.status, o.severity, l.reason, "
                   "l.created_by, l.created_at, o.seq FROM incident_links l JOIN incidents o "
                   "ON o.id = CASE WHEN l.a_id = ?1 THEN l.b_id ELSE l.a_id END WHERE (l.a_id "
                   "= ?1 OR l.b_id = ?1) AND " POLICY_SQL_READABLE " ORDER BY l.created_at, o.seq",
                   DB_ARGS(DB_TEXT(id)), &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, &kind_incident);
    if ((rc = db_rows(st, &link_record, a, out, n)))
        return rc;
    for (int i = 0; i < *n; i++) {
        char number[32];
        rb_fmt(number, sizeof(number), "INC-%06" PRId64, (*out)[i].number);
        (*out)[i].reference = rb_arena_strdup(a, number);
    }
    return 0;
}

int incident_task_get(rb_db *db, const rb_actor *actor, const char *incident_id,
                      const char *task_id, rb_arena *a, rb_task *out)
{
    rb_stmt *st = NULL;
    int rc = kind_query(&kind_incident, db, actor, incident_id,
                        "SELECT " TASK_COLS TASKS_OF_INCIDENT
                        "WHERE t.incident_id = ?1 AND t.id = ?2",
                        DB_ARGS(DB_TEXT(incident_id), DB_TEXT(task_id)), &st);
    if (rc || (rc = db_one(st, a, &task_record, out)))
        return rc;
    tasks_finish(out, 1, a);
    return 0;
}

int incident_link_get(rb_db *db, const rb_actor *actor, const char *id, const char *other,
                      rb_arena *a, rb_link *out)
{
    rb_link *l = NULL;
    int n = 0;
    int rc = incident_links(db, actor, id, a, &l, &n);
    for (int i = 0; !rc && i < n; i++)
        if (other && strcmp(l[i].incident_id, other) == 0) {
            *out = l[i];
            return 0;
        }
    return rc ? rc : RB_ENOTFOUND;
}
