/* cmd_user.c - user add, list, passwd, disable. */
#include "base/common.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "core/org.h"
#include "core/user.h"
#include "json/json.h"

int cmd_user_add(struct cli_ctx *c)
{
    enum rb_role role;
    if (rb_role_parse(cli_opt(c, "role"), &role))
        return cli_fail("--role must be one of: admin, analyst, reporter, viewer, auditor");
    char pw[RB_PASSWORD_MAX + 8];
    if (cli_read_password(pw, sizeof(pw)))
        return 1;
    struct cli_session ses;
    if (cli_session_open(c, &ses))
        return 1;
    rb_db *db = ses.db;
    rb_actor sys = ses.sys;
    rb_user_input in = {.org_id = cli_opt(c, "org"), .email = cli_opt(c, "email"),
                        .name = cli_opt(c, "name") ? cli_opt(c, "name") : cli_opt(c, "email"),
                        .role = (int)role, .password = pw};
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    char id[RB_ID_SIZE];
    int rc = user_create(db, &sys, &in, id, &ei);
    cli_session_close(&ses);
    if (rc)
        return cli_fail("%s", ei.msg);
    if (cli_flag(c, "json"))
        cli_print_object((const char *[]){"id"}, (const char *[]){id}, 1, NULL, NULL, 0);
    else
        printf("created user %s  %s (%s)\n", id, cli_opt(c, "email"), rb_role_names[role]);
    return 0;
}

static void print_user(const void *row)
{
    const rb_user *u = row;
    printf("%-46s %-9s %-40s%s\n", u->email, rb_role_names[u->role], u->org_name,
           u->disabled ? " (disabled)" : "");
}

/* Lists the users of one org, page by page, into the listing ctx. */
static int list_org_users(struct cli_session *s, const rb_org *o, void *ctx)
{
    char after[RB_ID_SIZE] = "";
    for (;;) {
        rb_arena a;
        rb_arena_init(&a, 1 << 24);
        rb_user *rows = NULL;
        int n = 0;
        bool more = false;
        int rc = user_list(s->db, &s->sys, o->id, after[0] ? after : NULL, 500, &a, &rows, &n,
                           &more);
        if (rc) {
            rb_arena_release(&a);
            return cli_fail("cannot list users of %s: %s", o->id, rabta_strerror(rc));
        }
        cli_list_rows(ctx, rows, n, &user_record, print_user);
        if (n > 0)
            rb_strlcpy(after, rows[n - 1].id, sizeof(after));
        rb_arena_release(&a);
        if (!more)
            return 0;
    }
}

static int cmd_user_list_in(struct cli_ctx *c, struct cli_session *s)
{
    struct cli_list l;
    cli_list_begin(&l, c);
    int status;
    if (cli_opt(c, "org")) {
        rb_org o;
        status = org_get(s->db, &s->sys, cli_opt(c, "org"), &s->a, &o)
                     ? cli_fail("no org with id %s", cli_opt(c, "org"))
                     : list_org_users(s, &o, &l);
    } else {
        struct org_filter f = {.cii = -1};
        status = cli_each_org(s, &f, list_org_users, &l);
    }
    if (status)
        rb_buf_release(&l.b); /* nothing printed after a failure */
    else
        status = cli_list_end(&l);
    return status;
}
CLI_IN_SESSION(cmd_user_list)

/* Opens the session and finds the user named by --email; prints why not. */
static int open_user(const struct cli_ctx *c, struct cli_session *s, rb_user *u)
{
    if (cli_session_open(c, s))
        return 1;
    if (user_find_email(s->db, cli_opt(c, "email"), &s->a, u)) {
        cli_session_close(s);
        return cli_fail("no user with email %s", cli_opt(c, "email"));
    }
    return 0;
}

int cmd_user_passwd(struct cli_ctx *c)
{
    char pw[RB_PASSWORD_MAX + 8];
    struct cli_session s;
    rb_user u;
    if (cli_read_password(pw, sizeof(pw)) || open_user(c, &s, &u))
        return 1;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int status = 0;
    if (user_set_password(s.db, &s.sys, u.id, NULL, pw, NULL, &s.a, &ei))
        status = cli_fail("%s", ei.msg);
    else
        printf("password of %s changed; their sessions were ended\n", u.email);
    cli_session_close(&s);
    return status;
}

int cmd_user_disable(struct cli_ctx *c)
{
    struct cli_session s;
    rb_user u;
    if (open_user(c, &s, &u))
        return 1;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    bool enable = cli_flag(c, "enable");
    int status = 0;
    if (user_set_disabled(s.db, &s.sys, u.id, !enable, &s.a, &ei))
        status = cli_fail("%s", ei.msg);
    else
        printf("%s %s\n", u.email, enable ? "enabled" : "disabled (sessions ended, tokens revoked)");
    cli_session_close(&s);
    return status;
}
