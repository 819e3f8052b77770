/* cmd_incident.c - import incidents: past incidents from a CSV or JSON file (core/incident_import
 * checks and stores them; this file reads the file, reports and draws the progress). */
#include "base/common.h"
#include "base/buf.h"
#include "base/rtime.h"
#include "cli/cli.h"
#include "core/incident_import.h"

static void progress_checking(void *ctx, size_t done, size_t total)
{
    RB_UNUSED(ctx);
    cli_progress("checking", (int)done, (int)total);
}

static void progress_storing(void *ctx, size_t done, size_t total)
{
    RB_UNUSED(ctx);
    cli_progress("importing", (int)done, (int)total);
}

/* The format from --format, else from the file's name. Returns 0, or 1 after a message. */
static int format_of(const struct cli_ctx *c, enum import_format *out)
{
    const char *f = cli_opt(c, "format");
    if (!f) {
        const char *dot = strrchr(c->args[0], '.');
        f = dot ? dot + 1 : "";
        if (strcasecmp(f, "csv") != 0 && strcasecmp(f, "json") != 0)
            return cli_fail("%s: say whether it is --format csv or --format json", c->args[0]);
    }
    if (strcasecmp(f, "csv") == 0)
        *out = IMPORT_CSV;
    else if (strcasecmp(f, "json") == 0)
        *out = IMPORT_JSON;
    else
        return cli_fail("--format must be csv or json, not \"%s\"", f);
    return 0;
}

int cmd_import_incidents(struct cli_ctx *c)
{
    enum import_format format = IMPORT_CSV;
    if (format_of(c, &format))
        return 1;
    bool skip_bad = cli_flag(c, "skip-bad"), dry = cli_flag(c, "dry-run");
    rb_buf b;
    struct cli_session s;
    if (cli_session_open_file(c, IMPORT_MAX_BYTES, &b, &s))
        return 1;
    rb_arena a;
    rb_arena_init(&a, (size_t)2 << 30);
    int status = 1;
    double t0 = rb_mono_ms();
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    struct incident_import imp;
    int rc = incident_import_read(s.db, format, rb_buf_cstr(&b), b.len, &a, &imp, progress_checking,
                                  NULL, &ei);
    if (rc) {
        cli_fail("%s: %s%s%s", c->args[0], ei.field[0] ? ei.field : "", ei.field[0] ? ": " : "",
                 ei.msg[0] ? ei.msg : rabta_strerror(rc));
        goto out;
    }
    for (size_t i = 0; i < imp.nproblems; i++) {
        char line[600];
        incident_import_problem_text(&imp, &imp.problems[i], line, sizeof(line));
        cli_fail("%s: %s", c->args[0], line);
    }
    if (imp.nproblems && !skip_bad) {
        cli_fail("%s: nothing was imported: %zu of %zu rows are bad (fix them, or pass --skip-bad "
                 "to import the good rows, %zu)",
                 c->args[0], imp.nproblems, imp.total, imp.nrows);
        goto out;
    }
    size_t stored = 0;
    if (!dry) {
        const char *base = strrchr(c->args[0], '/');
        rc = incident_import_store(s.db, &s.sys, &imp, base ? base + 1 : c->args[0],
                                   progress_storing, NULL, &stored, &ei);
        if (rc) {
            cli_fail("%s: %s", c->args[0], ei.msg[0] ? ei.msg : rabta_strerror(rc));
            goto out;
        }
    }
    double ms = rb_mono_ms() - t0;
    if (cli_flag(c, "json")) {
        cli_print_object((const char *[]){"file"}, (const char *[]){c->args[0]}, 1,
                         (const char *[]){"rows", "imported", "bad", "dry_run", "ms"},
                         (const int64_t[]){(int64_t)imp.total, (int64_t)stored,
                                           (int64_t)imp.nproblems, dry ? 1 : 0, (int64_t)ms},
                         5);
    } else if (dry) {
        printf("%s: %zu rows checked: %zu would be imported, %zu bad; nothing was written "
               "(dry run, %.0f ms)\n",
               c->args[0], imp.total, imp.nrows, imp.nproblems, ms);
    } else {
        printf("%s: imported %zu incidents%s in %.0f ms", c->args[0], stored,
               imp.nproblems ? " (the bad rows listed above were left out)" : "", ms);
        printf("\n");
    }
    status = 0;
out:
    rb_arena_release(&a);
    rb_buf_release(&b);
    cli_session_close(&s);
    return status;
}
