/* cmd_inventory.c - rabta inventory import: an org's inventory from a CSV file (core/inventory
 * checks and stores it; this file reads the file, reports every bad row and draws the progress).
 */
#include "base/common.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "core/inventory.h"
#include "formats/csv.h"

static void progress_storing(void *ctx, size_t done, size_t total)
{
    RB_UNUSED(ctx);
    cli_progress("importing", (int)done, (int)total);
}

int cmd_inventory_import(struct cli_ctx *c)
{
    const char *org = cli_opt(c, "org");
    bool replace = cli_flag(c, "replace");
    rb_buf b;
    struct cli_session s;
    if (cli_session_open_file(c, INVENTORY_CSV_MAX_BYTES, &b, &s))
        return 1;
    int status = 1;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    struct inventory_file f;
    int rc = inventory_csv_read(rb_buf_cstr(&b), b.len, &s.a, &f, &ei);
    if (rc) {
        cli_fail("%s: %s%s%s", c->args[0], ei.field, ei.field[0] ? ": " : "",
                 ei.msg[0] ? ei.msg : rabta_strerror(rc));
        goto out;
    }
    for (size_t i = 0; i < f.nproblems; i++) {
        rb_errinfo place;
        csv_err(&place, RB_EINVAL, f.problems[i].line, f.problems[i].field, "%s",
                f.problems[i].msg);
        cli_fail("%s: %s: %s", c->args[0], place.field, place.msg);
    }
    if (f.nbad) {
        cli_fail("%s: nothing was imported: %zu of %zu rows are bad%s", c->args[0], f.nbad, f.total,
                 f.nbad > f.nproblems ? " (the first of them are listed above)" : "");
        goto out;
    }
    struct inventory_counts n;
    rc = inventory_import(s.db, &s.sys, org, &f, replace, progress_storing, NULL, &n, &ei);
    if (rc) {
        cli_fail("%s: %s", c->args[0],
                 rc == RB_ENOTFOUND ? "no such org (--org takes an org's id)"
                 : ei.msg[0]        ? ei.msg
                                    : rabta_strerror(rc));
        goto out;
    }
    if (cli_flag(c, "json"))
        cli_print_object((const char *[]){"file", "org"}, (const char *[]){c->args[0], org}, 2,
                         (const char *[]){"rows", "added", "duplicates", "removed", "items"},
                         (const int64_t[]){(int64_t)n.rows, (int64_t)n.added, (int64_t)n.duplicates,
                                           (int64_t)n.removed, (int64_t)n.items},
                         5);
    else
        printf("%s: %zu rows: %zu added, %zu duplicates skipped, %zu removed first; the "
               "inventory holds %zu items\n",
               c->args[0], n.rows, n.added, n.duplicates, n.removed, n.items);
    status = 0;
out:
    rb_buf_release(&b);
    cli_session_close(&s);
    return status;
}
