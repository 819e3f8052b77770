/* cmd_org.c - org add, list, show. The CLI acts as the local operator (every permission). */
#include "base/common.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "core/org.h"
#include "json/json.h"

static void print_org(const void *row)
{
    const rb_org *o = row;
    printf("%*s%s  %-40s %-16s %s%s%s\n", o->depth * 2, "", o->id, o->name,
           rb_org_kind_names[o->kind], o->province ? o->province : "",
           o->sector ? " " : "", o->sector ? o->sector : "");
}

int cmd_org_add(struct cli_ctx *c)
{
    rb_org_input in;
    org_input_init(&in);
    in.parent_id = cli_opt(c, "parent");
    in.name = cli_opt(c, "name");
    in.short_name = cli_opt(c, "short-name");
    in.province = cli_opt(c, "province");
    in.sector = cli_opt(c, "sector");
    in.cii_review_date = cli_opt(c, "cii-review-date");
    enum rb_org_kind kind;
    if (rb_org_kind_parse(cli_opt(c, "kind"), &kind))
        return cli_fail("--kind must be one of: provincial_cert, sectoral_cert, government_cert, "
                        "cii_cert, institution");
    in.kind = (int)kind;
    if (cli_opt(c, "cii-grade")) {
        int64_t g;
        if (rb_parse_int64(cli_opt(c, "cii-grade"), 1, 3, &g))
            return cli_fail("--cii-grade must be 1, 2 or 3");
        in.cii = 1;
        in.cii_grade = (int)g;
    }
    struct cli_session s;
    if (cli_session_open(c, &s))
        return 1;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    char id[RB_ID_SIZE];
    rb_org o;
    int status = 0;
    if (org_create(s.db, &s.sys, &in, id, &ei)) {
        status = cli_fail("%s%s%s", ei.field[0] ? ei.field : "", ei.field[0] ? ": " : "", ei.msg);
    } else if (org_get(s.db, &s.sys, id, &s.a, &o) == 0) {
        if (cli_flag(c, "json"))
            cli_print_record(&o, &org_record);
        else
            printf("created %s  %s (%s)\n", o.id, o.name, rb_org_kind_names[o.kind]);
    }
    cli_session_close(&s);
    return status;
}

static int list_one(struct cli_session *s, const rb_org *o, void *ctx)
{
    RB_UNUSED(s);
    cli_list_rows(ctx, o, 1, &org_record, print_org);
    return 0;
}

static int cmd_org_list_in(struct cli_ctx *c, struct cli_session *s)
{
    struct cli_list l;
    cli_list_begin(&l, c);
    struct org_filter f = {.cii = -1, .kind = cli_opt(c, "kind"), .root = cli_opt(c, "root")};
    int status = cli_each_org(s, &f, list_one, &l);
    int end = cli_list_end(&l);
    return status ? status : end;
}
CLI_IN_SESSION(cmd_org_list)

int cmd_org_show(struct cli_ctx *c)
{
    rb_db *db = NULL;
    if (cli_open_db(c, false, &db))
        return 1;
    rb_actor sys;
    rb_arena a;
    rb_arena_init(&a, 1 << 20);
    rb_org o;
    int status = 1;
    if (cli_system_actor(db, &sys) || org_get(db, &sys, c->args[0], &a, &o)) {
        cli_fail("no org with id %s", c->args[0]);
        goto out;
    }
    if (cli_flag(c, "json")) {
        cli_print_record(&o, &org_record);
    } else {
        printf("id          %s\nname        %s\nkind        %s\nparent      %s\n", o.id, o.name,
               rb_org_kind_names[o.kind], o.parent_id ? o.parent_id : "(root)");
        printf("short name  %s\nprovince    %s\nsector      %s\n", o.short_name ? o.short_name : "",
               o.province ? o.province : "", o.sector ? o.sector : "");
        if (o.cii)
            printf("CII         grade %d, review %s\n", o.cii_grade,
                   o.cii_review_date ? o.cii_review_date : "(not set)");
        printf("children    %d\ncreated     %s\n", o.children, o.created_at);
    }
    status = 0;
out:
    rb_arena_release(&a);
    db_close(db);
    return status;
}
