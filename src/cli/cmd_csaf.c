/*
 * cmd_csaf.c - `rabta csaf validate FILE...`: the CSAF validator (formats/csaf) on its own, for
 * a CERT to check its advisories before it publishes them. Needs no database.
 *
 * Exit status: 0 when every file is valid CSAF 2.0 (warnings allowed), 1 when any file is not
 * (or cannot be read), 2 on a usage error (cli_parse).
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "formats/csaf.h"
#include "json/json.h"

/* The largest advisory read (big vendors' product trees run to tens of MiB), and the memory the
 * validation of one may use. */
#define CSAF_FILE_MAX ((size_t)128 << 20)
#define CSAF_ARENA_MAX ((size_t)512 << 20)
#define CSAF_JSON_MAX ((size_t)256 << 20)

static void print_text(const char *file, const struct csaf_report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct csaf_issue *is = &r->issues[i];
        printf("%s: %s%s %s: %s\n", file, is->test, is->warning ? " (warning)" : "",
               is->path[0] ? is->path : "(document)", is->message);
    }
    if (r->dropped)
        printf("%s: ... and %zu more\n", file, r->dropped);
    if (csaf_report_valid(r)) {
        if (r->warnings)
            printf("%s: ok (%zu warning%s)\n", file, r->warnings, r->warnings == 1 ? "" : "s");
        else
            printf("%s: ok\n", file);
    }
}

int cmd_csaf_validate(struct cli_ctx *c)
{
    unsigned flags = cli_flag(c, "optional") ? CSAF_OPTIONAL : 0;
    bool json = cli_flag(c, "json");
    int status = 0;
    rb_buf out;
    rj_writer w;
    rb_buf_init(&out, CSAF_JSON_MAX);
    rjw_init(&w, &out);
    if (json)
        rjw_arr(&w);
    for (int i = 0; i < c->nrest; i++) {
        const char *file = c->rest[i];
        rb_buf b;
        rb_buf_init(&b, CSAF_FILE_MAX);
        if (cli_read_file(file, &b)) {
            rb_buf_release(&b);
            status = 1;
            continue;
        }
        rb_arena a;
        rb_arena_init(&a, CSAF_ARENA_MAX);
        struct csaf_report r;
        int rc = csaf_validate_text(rb_buf_cstr(&b), b.len, flags, &r, &a);
        if (rc) {
            cli_fail("%s: cannot validate: %s", file, rabta_strerror(rc));
            status = 1;
        } else {
            if (!csaf_report_valid(&r))
                status = 1;
            if (json) {
                rjw_obj(&w);
                rjw_kstr(&w, "file", file);
                rjw_key(&w, "report");
                csaf_report_write(&r, &w);
                rjw_obj_end(&w);
            } else {
                print_text(file, &r);
            }
        }
        rb_arena_release(&a);
        rb_buf_release(&b);
    }
    if (json) {
        rjw_arr_end(&w);
        if (rjw_finish(&w))
            status = cli_fail("the JSON report is larger than %zu bytes", out.max);
        else
            printf("%s\n", rb_buf_cstr(&out));
    }
    rb_buf_release(&out);
    return status;
}
