/* cmd_token.c - token create, list, revoke. */
#include "base/common.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "core/auth.h"
#include "core/user.h"
#include "json/json.h"

int cmd_token_create(struct cli_ctx *c)
{
    int64_t days = 90;
    if (cli_opt(c, "days") && rb_parse_int64(cli_opt(c, "days"), 1, AUTH_TOKEN_MAX_DAYS, &days))
        return cli_fail("--days must be 1 to %d", AUTH_TOKEN_MAX_DAYS);
    struct cli_session s;
    if (cli_session_open(c, &s))
        return 1;
    rb_user u;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    char tok[AUTH_TOKEN_SIZE], id[RB_ID_SIZE];
    int status = 0;
    if (user_find_email(s.db, cli_opt(c, "user"), &s.a, &u))
        status = cli_fail("no user with email %s", cli_opt(c, "user"));
    else if (token_create(s.db, &s.sys, u.id, cli_opt(c, "name") ? cli_opt(c, "name") : "cli",
                          (int)days, tok, id, &ei))
        status = cli_fail("%s", ei.msg);
    else if (cli_flag(c, "json"))
        cli_print_object((const char *[]){"id", "token"}, (const char *[]){id, tok}, 2, NULL, NULL,
                         0);
    else
        printf("%s\n", tok);
    cli_session_close(&s);
    return status;
}

static void print_token(const void *row)
{
    const rb_token *t = row;
    printf("%s  %-14s %-24s expires %s%s\n", t->id, t->prefix, t->name, t->expires_at,
           t->revoked_at ? "  (revoked)" : "");
}

static int cmd_token_list_in(struct cli_ctx *c, struct cli_session *s)
{
    rb_user u;
    rb_token *rows = NULL;
    int n = 0, status;
    if (user_find_email(s->db, cli_opt(c, "user"), &s->a, &u))
        status = cli_fail("no user with email %s", cli_opt(c, "user"));
    else if (token_list(s->db, &s->sys, u.id, &s->a, &rows, &n))
        status = cli_fail("cannot list tokens");
    else
        status = cli_print_rows(c, rows, n, &token_record, print_token);
    return status;
}
CLI_IN_SESSION(cmd_token_list)

static int cmd_token_revoke_in(struct cli_ctx *c, struct cli_session *s)
{
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int status = 0;
    if (token_revoke(s->db, &s->sys, c->args[0], &ei))
        status = cli_fail("no token with id %s", c->args[0]);
    else
        printf("revoked %s\n", c->args[0]);
    return status;
}
CLI_IN_SESSION(cmd_token_revoke)
