/* cmd_catalog.c - import oscal, catalog list, catalog export, profile export, profile resolve. */
#include "base/common.h"
#include "base/buf.h"
#include "base/rtime.h"
#include "cli/cli.h"
#include "core/catalog.h"
#include "core/profile.h"
#include "json/json.h"

/* True when the document's top-level object has a "profile" member (an OSCAL profile). */
static bool is_profile(const rb_buf *b)
{
    cJSON *root = NULL;
    rb_errinfo ei;
    if (rj_parse(rb_buf_cstr(b), b->len, 128, &root, &ei) != RJ_OK)
        return false;
    bool yes = cJSON_GetObjectItemCaseSensitive(root, "profile") != NULL;
    cJSON_Delete(root);
    return yes;
}

static int import_profile(struct cli_ctx *c, rb_db *db, const rb_actor *sys, const rb_buf *b)
{
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    struct profile_applicability ap;
    memset(&ap, 0, sizeof(ap));
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int status = 1;
    ap.cii_only = cli_flag(c, "cii-only");
    if (cli_opt(c, "min-cii-grade")) {
        int64_t g;
        if (rb_parse_int64(cli_opt(c, "min-cii-grade"), 1, 3, &g)) {
            cli_fail("--min-cii-grade must be 1, 2 or 3");
            goto out;
        }
        ap.min_cii_grade = (int)g;
    }
    if (profile_applicability_parse(&ap, cli_opt(c, "applies-kinds"), cli_opt(c, "applies-sectors"),
                                    &a, &ei)) {
        cli_fail("%s", ei.msg);
        goto out;
    }
    char id[RB_ID_SIZE];
    int selected = 0;
    if (profile_import(db, sys, &a, rb_buf_cstr(b), b->len, cli_opt(c, "catalog"), &ap, id,
                       &selected, &ei)) {
        cli_fail("%s: %s%s%s", c->args[0], ei.field[0] ? ei.field : "", ei.field[0] ? ": " : "",
                 ei.msg);
        goto out;
    }
    if (cli_flag(c, "json"))
        cli_print_object((const char *[]){"id"}, (const char *[]){id}, 1,
                         (const char *[]){"controls"}, (const int64_t[]){selected}, 1);
    else
        printf("imported profile %s: %d controls selected\n", id, selected);
    status = 0;
out:
    rb_arena_release(&a);
    return status;
}

int cmd_import_oscal(struct cli_ctx *c)
{
    enum rb_tlp tlp = CATALOG_TLP_OF_DOCUMENT; /* the document's own marking, else GREEN */
    if (cli_opt(c, "tlp") && tlp_parse(cli_opt(c, "tlp"), &tlp))
        return cli_fail("--tlp must be CLEAR, GREEN or AMBER");
    rb_buf b;
    struct cli_session s;
    if (cli_session_open_file(c, (size_t)64 << 20, &b, &s))
        return 1;
    int status = 1;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    struct catalog_import_stats st;
    char id[RB_ID_SIZE];
    double t0 = rb_mono_ms();
    if (is_profile(&b)) {
        status = import_profile(c, s.db, &s.sys, &b);
        goto out;
    }
    int rc = catalog_import(s.db, &s.sys, &s.a, rb_buf_cstr(&b), b.len, tlp, id, &st, &ei);
    if (rc) {
        cli_fail("%s: %s%s%s", c->args[0], ei.field[0] ? ei.field : "", ei.field[0] ? ": " : "",
                 ei.msg[0] ? ei.msg : rabta_strerror(rc));
        goto out;
    }
    if (cli_flag(c, "json"))
        cli_print_object((const char *[]){"id"}, (const char *[]){id}, 1,
                         (const char *[]){"groups", "controls", "enhancements"},
                         (const int64_t[]){st.groups, st.controls, st.enhancements}, 3);
    else
        printf("imported catalog %s: %d groups, %d controls, %d enhancements (%.0f ms)\n", id,
               st.groups, st.controls, st.enhancements, rb_mono_ms() - t0);
    status = 0;
out:
    rb_buf_release(&b);
    cli_session_close(&s);
    return status;
}

static void print_catalog(const void *row)
{
    const rb_catalog *k = row;
    printf("%s  %-60.60s %3d groups %4d controls %4d enh.  %s\n", k->id, k->title, k->groups,
           k->controls - k->enhancements, k->enhancements, k->tlp);
}

static int cmd_catalog_list_in(struct cli_ctx *c, struct cli_session *s)
{
    rb_catalog *rows = NULL;
    int n = 0;
    bool more = false;
    int status = catalog_list(s->db, &s->sys, NULL, 500, &s->a, &rows, &n, &more)
                     ? cli_fail("cannot list catalogs")
                     : cli_print_rows(c, rows, n, &catalog_record, print_catalog);
    return status;
}
CLI_IN_SESSION(cmd_catalog_list)

/* Prints the document export(id) writes, or says there is no <what> with that id. */
static int print_export(struct cli_ctx *c, struct cli_session *s, const char *what,
                        int (*export)(rb_db *db, const rb_actor *actor, const char *id,
                                      rb_buf *out))
{
    rb_buf b;
    rb_buf_init(&b, (size_t)256 << 20);
    int status = 0;
    if (export(s->db, &s->sys, c->args[0], &b))
        status = cli_fail("no %s with id %s", what, c->args[0]);
    else
        printf("%s\n", rb_buf_cstr(&b));
    rb_buf_release(&b);
    return status;
}

static int cmd_catalog_export_in(struct cli_ctx *c, struct cli_session *s)
{
    return print_export(c, s, "catalog", catalog_export);
}
CLI_IN_SESSION(cmd_catalog_export)

static int cmd_profile_export_in(struct cli_ctx *c, struct cli_session *s)
{
    return print_export(c, s, "profile", profile_export);
}
CLI_IN_SESSION(cmd_profile_export)

static int cmd_profile_resolve_in(struct cli_ctx *c, struct cli_session *s)
{
    rb_buf b;
    rb_buf_init(&b, (size_t)256 << 20);
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int status = 0, rc = profile_resolved(s->db, &s->sys, c->args[0], &b, &ei);
    if (rc == RB_ENOTFOUND)
        status = cli_fail("no profile with id %s", c->args[0]);
    else if (rc)
        status = cli_fail("%s: %s%s%s", c->args[0], ei.field, ei.field[0] ? ": " : "",
                          ei.msg[0] ? ei.msg : rabta_strerror(rc));
    else
        printf("%s\n", rb_buf_cstr(&b));
    rb_buf_release(&b);
    return status;
}
CLI_IN_SESSION(cmd_profile_resolve)
