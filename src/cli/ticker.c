/*
 * ticker.c - the server's background thread: the scheduler's tick (core/scheduler) every
 * --tick-seconds and the outbound queue (core/notify) every few seconds, on a database connection
 * of its own.
 *
 * Must never stop the server for a failed tick (it is logged and tried again), or keep the process
 * alive after the server stopped.
 */
#include "base/common.h"
#include "base/log.h"
#include "cli/cli.h"
#include "core/incident_index.h"
#include "core/notify.h"
#include "core/scheduler.h"

#include <pthread.h>

#define DELIVER_SECONDS 2 /* how often the outbound queue is looked at */

static struct {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop, started;
    char path[1024];
    int tick_seconds;
} tk = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

int ticker_once(rb_db *db)
{
    struct tick_result res;
    int rc = scheduler_tick(db, &res);
    if (rc)
        rb_log(RB_LOG_WARN, "scheduler tick failed: %s", rabta_strerror(rc));
    else if (res.notices || res.escalations || res.tasks)
        rb_log(RB_LOG_INFO,
               "scheduler: %d incidents looked at, %d notices, %d escalations, %d "
               "overdue tasks",
               res.incidents, res.notices, res.escalations, res.tasks);
    return rc;
}

static void *run(void *arg)
{
    (void)arg;
    rb_db *db = NULL;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    if (db_open(tk.path, 0, &db, &ei)) {
        rb_log(RB_LOG_ERROR, "background jobs: cannot open %s: %s", tk.path, ei.msg);
        return NULL;
    }
    int since_tick = 0;
    pthread_mutex_lock(&tk.lock);
    while (!tk.stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += DELIVER_SECONDS;
        pthread_cond_timedwait(&tk.wake, &tk.lock, &until);
        if (tk.stop)
            break;
        pthread_mutex_unlock(&tk.lock);
        since_tick += DELIVER_SECONDS;
        if (since_tick >= tk.tick_seconds) {
            since_tick = 0;
            ticker_once(db);
        }
        int sent = 0, failed = 0;
        if (notify_deliver(db, 100, &sent, &failed) == 0 && (sent || failed))
            rb_log(RB_LOG_INFO, "outbound: %d delivered, %d tries failed", sent, failed);
        pthread_mutex_lock(&tk.lock);
    }
    pthread_mutex_unlock(&tk.lock);
    db_close(db);
    return NULL;
}

int ticker_start(const char *db_path, int tick_seconds)
{
    rb_strlcpy(tk.path, db_path, sizeof(tk.path));
    tk.tick_seconds = tick_seconds > 0 ? tick_seconds : 60;
    tk.stop = false;
    if (pthread_create(&tk.thread, NULL, run, NULL) != 0)
        return RB_EIO;
    tk.started = true;
    return 0;
}

void ticker_stop(void)
{
    if (!tk.started)
        return;
    pthread_mutex_lock(&tk.lock);
    tk.stop = true;
    pthread_cond_signal(&tk.wake);
    pthread_mutex_unlock(&tk.lock);
    pthread_join(tk.thread, NULL);
    tk.started = false;
}
