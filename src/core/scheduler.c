/*
 * scheduler.c - one tick: deadline notices and escalations of incidents, overdue tasks.
 *
 * Must never announce or escalate anything twice, whatever ticks ran before, or skip what fell due
 * while no tick ran.
 */
#include "base/common.h"
#include "base/rtime.h"
#include "core/inbox.h"
#include "core/advisory.h"
#include "core/incident.h"
#include "core/kind.h"
#include "core/org.h"
#include "core/scheduler.h"
#include "core/write.h"

static const char *const clock_labels[] = {"The acknowledgement", "The early warning",
                                           "The incident notification", "The final report"};


static bool running(const struct clock *c)
{
    return c->state == CLOCK_PENDING || c->state == CLOCK_DUE_SOON || c->state == CLOCK_OVERDUE;
}

/* Inside w: the notices of one incident's clocks at now, and its escalation when the
 * acknowledgement is overdue; *x is the incident as the tick leaves it. */
static int one_incident(rb_write *w, const char *id, int64_t now, struct incident_row *x,
                        struct tick_result *res)
{
    int rc = incident_row_load(w->db, id, x);
    if (rc)
        return rc;
    struct incident_times t;
    incident_times_of(x, &t);
    struct clock c[CLOCK__COUNT];
    deadline_clocks(x->due, &t, now, c);
    bool ack_overdue = false;
    for (int k = 0; !rc && k < CLOCK__COUNT; k++) {
        if (c[k].state != CLOCK_OVERDUE && c[k].state != CLOCK_DUE_SOON)
            continue;
        bool over = c[k].state == CLOCK_OVERDUE;
        const char *org = k == CLOCK_ACK ? x->handling_org : x->org_id;
        char when[RB_TIME_SIZE], detail[200], dedup[200];
        rb_time_format(c[k].due, when);
        rb_fmt(detail, sizeof(detail), over ? "%s was due at %s" : "%s is due by %s",
               clock_labels[k], when);
        rb_fmt(dedup, sizeof(dedup), "%s:%s:%s:%s", over ? "overdue" : "soon", id,
               rb_clock_names[k], when);
        bool added = false;
        rc = inbox_add(w, org, over ? INBOX_OVERDUE : INBOX_DUE_SOON, &kind_incident, id, detail,
                       dedup, &added);
        res->notices += added;
        if (over && k == CLOCK_ACK)
            ack_overdue = true;
    }
    /* Only an escalation changes the incident's row and dues: then they are read again. */
    if (!rc && ack_overdue) {
        int before = x->nhandlers;
        rc = incident_auto_escalate(w, id, true);
        if (!rc && !(rc = incident_row_load(w->db, id, x)) && x->nhandlers != before) {
            res->escalations += x->nhandlers - before;
            incident_times_of(x, &t);
            deadline_clocks(x->due, &t, now, c);
        }
    }
    /* The next look: an hour before a running deadline, or once it has passed. */
    if (!rc) {
        int64_t next = 0;
        for (int k = 0; k < CLOCK__COUNT; k++) {
            if (!running(&c[k]))
                continue;
            int64_t at = now < c[k].due - DEADLINE_SOON ? c[k].due - DEADLINE_SOON
                         : now <= c[k].due              ? c[k].due + 1
                                                        : 0;
            if (at && (next == 0 || at < next))
                next = at;
        }
        rc = db_exec(w->db, "UPDATE incidents SET next_check = ?2 WHERE id = ?1",
                     DB_ARGS(DB_TEXT(id), DB_TIME(x->ended_at ? 0 : next)));
    }
    return rc;
}

struct task_due {
    char *id, *incident_id, *assignee, *title, *due_date;
};

static const struct rb_member task_members[] = {
    RB_HIDDEN_MEMBERS(struct task_due, id, incident_id, assignee, title, due_date),
};
static const struct rb_record task_record = RB_RECORD(struct task_due, task_members);

static int overdue_tasks(rb_db *db, const rb_actor *sys, int64_t now, struct tick_result *res)
{
    char today[RB_TIME_SIZE];
    rb_time_format(now, today);
    today[10] = '\0';
    rb_arena a;
    rb_arena_init(&a, 4 << 20);
    rb_stmt *st = NULL;
    int rc = db_query(db,
                      "SELECT t.id, t.incident_id, t.assignee_org, t.title, t.due_date FROM "
                      "incident_tasks t JOIN incidents i ON i.id = t.incident_id WHERE t.done_at "
                      "IS NULL AND t.assignee_org IS NOT NULL AND t.due_date < ?1 AND i.ended_at "
                      "IS NULL AND NOT EXISTS (SELECT 1 FROM inbox b WHERE b.dedup = 'task:' || "
                      "t.id || ':' || t.due_date) ORDER BY t.seq LIMIT ?2",
                      DB_ARGS(DB_TEXT(today), DB_INT(SCHEDULER_BATCH)), &st);
    struct task_due *tasks = NULL;
    int n = 0;
    if (!rc)
        rc = db_rows(st, &task_record, &a, &tasks, &n);
    for (int i = 0; !rc && i < n; i++) {
        rb_write w;
        if ((rc = write_begin(&w, db, sys, NULL)))
            break;
        char dedup[120], detail[700];
        rb_fmt(dedup, sizeof(dedup), "task:%s:%s", tasks[i].id, tasks[i].due_date);
        rb_fmt(detail, sizeof(detail), "The task \"%s\" was due on %s", tasks[i].title,
               tasks[i].due_date);
        bool added = false;
        rc = inbox_add(&w, tasks[i].assignee, INBOX_OVERDUE, &kind_incident, tasks[i].incident_id,
                       detail, dedup, &added);
        rc = write_end(&w, rc, "incident.task_overdue", &kind_incident, tasks[i].incident_id,
                       tasks[i].assignee, NULL);
        res->tasks += added;
    }
    rb_arena_release(&a);
    return rc;
}

int scheduler_tick(rb_db *db, struct tick_result *res)
{
    memset(res, 0, sizeof(*res));
    rb_orgref root;
    int rc = org_root(db, &root);
    if (rc == RB_ENOTFOUND)
        return 0; /* an empty database: nothing to do yet */
    if (rc)
        return rc;
    rb_actor sys;
    rb_actor_system(&sys, &root);
    rb_strlcpy(sys.label, "scheduler", sizeof(sys.label));
    int64_t now = rb_now();
    char now_s[RB_TIME_SIZE];
    rb_time_format(now, now_s);
    rb_arena a;
    rb_arena_init(&a, 4 << 20);
    struct rb_id_row *rows = NULL;
    int n = 0;
    rc = db_query_rows(db,
                       "SELECT id FROM incidents WHERE next_check IS NOT NULL AND next_check <= "
                       "?1 ORDER BY next_check, seq LIMIT ?2",
                       DB_ARGS(DB_TEXT(now_s), DB_INT(SCHEDULER_BATCH)), &rb_id_row_record, &a, &rows, &n);
    for (int i = 0; !rc && i < n; i++) {
        rb_write w;
        if ((rc = write_begin(&w, db, &sys, NULL)))
            break;
        const char *id = rows[i].id;
        struct incident_row x;
        rc = one_incident(&w, id, now, &x, res);
        if (!rc)
            rc = incident_touch(&w, id);
        rc = write_end(&w, rc, "incident.deadline", &kind_incident, id,
                       rc ? NULL : x.handling_org, NULL);
        res->incidents++;
    }
    rb_arena_release(&a);
    if (!rc)
        rc = overdue_tasks(db, &sys, now, res);
    int adv = 0;
    if (!rc)
        rc = advisory_overdue_tick(db, &sys, now, &adv);
    res->notices += adv;
    return rc;
}
