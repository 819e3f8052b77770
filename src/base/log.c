/* log.c - stderr logging. */
#include "base/common.h"
#include "base/log.h"
#include "base/rtime.h"

#include <unistd.h>

static enum rb_log_level min_level = RB_LOG_INFO;

void rb_log_set_level(enum rb_log_level level)
{
    min_level = level;
}

void rb_log(enum rb_log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    if (level < min_level)
        return;
    char line[1024];
    char ts[RB_TIME_SIZE];
    rb_time_format(rb_now(), ts);
    int n = snprintf(line, sizeof(line), "%s %s ", ts, names[level]);
    va_list ap;
    va_start(ap, fmt);
    rb_vfmt(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = strlen(line);
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}
