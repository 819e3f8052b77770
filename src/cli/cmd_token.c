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
    rb_db *db = NULL;
    if (cli_open_db(c, false, &db))
        return 1;
    rb_actor sys;
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    rb_user u;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    char tok[AUTH_TOKEN_SIZE], id[RB_ID_SIZE];
    int status = 1;
    if (cli_system_actor(db, &sys)) {
        cli_fail("the database has no National CERT yet (run rabta init)");
        goto out;
    }
    if (user_find_email(db, cli_opt(c, "user"), &a, &u)) {
        cli_fail("no user with email %s", cli_opt(c, "user"));
        goto out;
    }
    if (token_create(db, &sys, u.id, cli_opt(c, "name") ? cli_opt(c, "name") : "cli", (int)days,
                     tok, id, &ei)) {
        cli_fail("%s", ei.msg);
        goto out;
    }
    if (cli_flag(c, "json"))
        cli_print_object((const char *[]){"id", "token"}, (const char *[]){id, tok}, 2, NULL, NULL,
                         0);
    else
        printf("%s\n", tok);
    status = 0;
out:
    rb_arena_release(&a);
    db_close(db);
    return status;
}

int cmd_token_list(struct cli_ctx *c)
{
    struct cli_session s;
    if (cli_session_open(c, &s))
        return 1;
    rb_user u;
    rb_token *rows = NULL;
    int n = 0, status = 1;
    if (user_find_email(s.db, cli_opt(c, "user"), &s.a, &u)) {
        cli_fail("no user with email %s", cli_opt(c, "user"));
        goto out;
    }
    if (token_list(s.db, &s.sys, u.id, &s.a, &rows, &n)) {
        cli_fail("cannot list tokens");
        goto out;
    }
    struct cli_list l;
    cli_list_begin(&l, c);
    for (int i = 0; i < n; i++) {
        const rb_token *t = &rows[i];
        rj_writer *w = cli_list_item(&l);
        if (w) {
            rjw_obj(w);
            rjw_members(w, t, &token_record);
            rjw_obj_end(w);
        } else {
            printf("%s  %-14s %-24s expires %s%s\n", t->id, t->prefix, t->name, t->expires_at,
                   t->revoked_at ? "  (revoked)" : "");
        }
    }
    status = cli_list_end(&l);
out:
    cli_session_close(&s);
    return status;
}

int cmd_token_revoke(struct cli_ctx *c)
{
    struct cli_session s;
    if (cli_session_open(c, &s))
        return 1;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int status = 0;
    if (token_revoke(s.db, &s.sys, c->args[0], &ei))
        status = cli_fail("no token with id %s", c->args[0]);
    else
        printf("revoked %s\n", c->args[0]);
    cli_session_close(&s);
    return status;
}
