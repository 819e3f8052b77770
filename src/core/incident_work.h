/*
 * incident_work.h - the work around an incident: tasks and links to related incidents.
 *
 * Owns the incident_tasks and incident_links tables. A task has a title, an assignee org (one
 * that may read the incident: the handling CERT, the affected org, or a CERT between), a due date
 * and whether it is done; the assignee finds it in its inbox and on its home page. Either party of
 * the incident (core/incident.h) adds tasks; they and the assignee's users mark them done. A link
 * joins two incidents the actor may read, with the reason; a link across provinces escalates both
 * (core/deadline's cross-province rule). Every read goes through the incident's kind; a link is
 * shown only to readers of both incidents.
 */
#ifndef RABTA_INCIDENT_WORK_H
#define RABTA_INCIDENT_WORK_H

#include <stdbool.h>
#include <stdint.h>

#include "base/mem.h"
#include "core/actor.h"
#include "db/db.h"

#define INCIDENT_TASKS_MAX 200 /* per incident */
#define INCIDENT_LINKS_MAX 200 /* per incident */

typedef struct rb_task {
    char *id, *incident_id;
    char *incident_reference; /* "INC-000042" */
    char *incident_title, *title, *assignee_org, *assignee_name, *due_date;
    bool done;
    char *done_at, *done_by;
    bool overdue; /* not done and past its due date */
    char *created_by, *created_at;
    int64_t incident_number;
} rb_task;
/* A task as the API shows it (rjw_record). */
extern const struct rb_record task_record;

/* A new task, or a change: NULL and -1 mean "unchanged" (assignee_org "" clears it). */
struct task_input {
    const char *title, *assignee_org, *due_date; /* due_date "YYYY-MM-DD" */
    int done;                                    /* 0, 1, -1 */
};

int incident_task_add(rb_db *db, const rb_actor *actor, const char *incident_id,
                      const struct task_input *in, char out_id[RB_ID_SIZE], rb_errinfo *ei);
int incident_task_update(rb_db *db, const rb_actor *actor, const char *incident_id,
                         const char *task_id, const struct task_input *in, rb_errinfo *ei);
/* The tasks of a readable incident, in the order they were added. */
int incident_tasks(rb_db *db, const rb_actor *actor, const char *incident_id, rb_arena *a,
                   rb_task **out, int *n);
/* One task of a readable incident. RB_ENOTFOUND otherwise. */
int incident_task_get(rb_db *db, const rb_actor *actor, const char *incident_id,
                      const char *task_id, rb_arena *a, rb_task *out);
/* Open tasks assigned to the actor's org, in incidents it may read, due first (at most limit). */
int incident_tasks_mine(rb_db *db, const rb_actor *actor, int limit, rb_arena *a, rb_task **out,
                        int *n);

typedef struct rb_link {
    char *incident_id, *reference, *title, *province, *status, *severity, *reason, *created_by,
        *created_at;
    int64_t number;
} rb_link;
/* A link as the API shows it (rjw_record). */
extern const struct rb_record link_record;

/* Links a readable incident to another readable one (any reader whose role may report or triage;
 * reason FIELD_NOTE). RB_ECONFLICT when linked already; RB_EINVAL (field incident_id) for itself
 * or one the actor may not read. */
int incident_link(rb_db *db, const rb_actor *actor, const char *id, const char *other,
                  const char *reason, rb_errinfo *ei);
/* The links of a readable incident to incidents the actor may read too. */
int incident_links(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_link **out,
                   int *n);
/* Its link to the incident other, when the actor may read both. RB_ENOTFOUND otherwise. */
int incident_link_get(rb_db *db, const rb_actor *actor, const char *id, const char *other,
                      rb_arena *a, rb_link *out);

#endif
