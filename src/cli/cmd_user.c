/* cmd_user.c - user add, list, passwd, disable. */
#include "base/common.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "core/org.h"
#include "core/user.h"
#include "json/json.h"

/* Opens the database and the system actor; prints why not. */
static int open_sys(struct cli_ctx *c, rb_db **db, rb_actor *sys)
{
    if (cli_open_db(c, false, db))
        return 1;
    if (cli_system_actor(*db, sys)) {
        db_close(*db);
        *db = NULL;
        return cli_fail("the database has no National CERT yet (run rabta init)");
    }
    return 0;
}

int cmd_user_add(struct cli_ctx *c)
{
    enum rb_role role;
    if (rb_role_parse(cli_opt(c, "role"), &role))
        return cli_fail("--role must be one of: admin, analyst, reporter, viewer, auditor");
    char pw[RB_PASSWORD_MAX + 8];
    if (cli_read_password(pw, sizeof(pw)))
        return 1;
    rb_db *db = NULL;
    rb_actor sys;
    if (open_sys(c, &db, &sys))
        return 1;
    rb_user_input in = {.org_id = cli_opt(c, "org"), .email = cli_opt(c, "email"),
                        .name = cli_opt(c, "name") ? cli_opt(c, "name") : cli_opt(c, "email"),
                        .role = (int)role, .password = pw};
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    char id[RB_ID_SIZE];
    int rc = user_create(db, &sys, &in, id, &ei);
    db_close(db);
    if (rc)
        return cli_fail("%s", ei.msg);
    if (cli_flag(c, "json"))
        cli_print_object((const char *[]){"id"}, (const char *[]){id}, 1, NULL, NULL, 0);
    else
        printf("created user %s  %s (%s)\n", id, cli_opt(c, "email"), rb_role_names[role]);
    return 0;
}

static void list_org_users(rb_db *db, const rb_actor *sys, const char *org_id, bool json,
                           rj_writer *w, int *status)
{
    char after[RB_ID_SIZE] = "";
    for (;;) {
        rb_arena a;
        rb_arena_init(&a, 1 << 24);
        rb_user *rows = NULL;
        int n = 0;
        bool more = false;
        int rc = user_list(db, sys, org_id, after[0] ? after : NULL, 500, &a, &rows, &n, &more);
        if (rc) {
            cli_fail("cannot list users of %s: %s", org_id, rabta_strerror(rc));
            *status = 1;
            rb_arena_release(&a);
            return;
        }
        for (int i = 0; i < n; i++) {
            const rb_user *u = &rows[i];
            if (json) {
                user_write_json(w, u);
            } else {
                printf("%-46s %-9s %-40s%s\n", u->email, rb_role_names[u->role], u->org_name,
                       u->disabled ? " (disabled)" : "");
            }
        }
        if (n > 0)
            rb_strlcpy(after, rows[n - 1].id, sizeof(after));
        rb_arena_release(&a);
        if (!more)
            return;
    }
}

int cmd_user_list(struct cli_ctx *c)
{
    rb_db *db = NULL;
    rb_actor sys;
    if (open_sys(c, &db, &sys))
        return 1;
    bool json = cli_flag(c, "json");
    int status = 0;
    rb_buf b;
    rb_buf_init(&b, 1 << 28);
    rj_writer w;
    rjw_init(&w, &b);
    if (json)
        rjw_arr(&w);
    if (cli_opt(c, "org")) {
        list_org_users(db, &sys, cli_opt(c, "org"), json, &w, &status);
    } else {
        struct org_filter f = {.cii = -1, .limit = 500};
        char after[RB_ID_SIZE] = "";
        bool more = true;
        while (more && !status) {
            rb_arena a;
            rb_arena_init(&a, 1 << 24);
            rb_org *rows = NULL;
            int n = 0;
            f.after_id = after[0] ? after : NULL;
            if (org_list(db, &sys, &f, &a, &rows, &n, &more)) {
                status = cli_fail("cannot list orgs");
                more = false;
            }
            for (int i = 0; i < n && !status; i++)
                list_org_users(db, &sys, rows[i].id, json, &w, &status);
            if (n > 0)
                rb_strlcpy(after, rows[n - 1].id, sizeof(after));
            rb_arena_release(&a);
        }
    }
    if (json && !status) {
        rjw_arr_end(&w);
        printf("%s\n", rb_buf_cstr(&b));
    }
    rb_buf_release(&b);
    db_close(db);
    return status;
}

/* Finds the user named by --email; prints why not. */
static int find_user(rb_db *db, const char *email, rb_arena *a, rb_user *u)
{
    if (user_find_email(db, email, a, u))
        return cli_fail("no user with email %s", email);
    return 0;
}

int cmd_user_passwd(struct cli_ctx *c)
{
    char pw[RB_PASSWORD_MAX + 8];
    if (cli_read_password(pw, sizeof(pw)))
        return 1;
    rb_db *db = NULL;
    rb_actor sys;
    if (open_sys(c, &db, &sys))
        return 1;
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    rb_user u;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int status = find_user(db, cli_opt(c, "email"), &a, &u);
    if (!status && user_set_password(db, &sys, u.id, NULL, pw, NULL, &ei))
        status = cli_fail("%s", ei.msg);
    if (!status)
        printf("password of %s changed; their sessions were ended\n", u.email);
    rb_arena_release(&a);
    db_close(db);
    return status;
}

int cmd_user_disable(struct cli_ctx *c)
{
    rb_db *db = NULL;
    rb_actor sys;
    if (open_sys(c, &db, &sys))
        return 1;
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    rb_user u;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    bool enable = cli_flag(c, "enable");
    int status = find_user(db, cli_opt(c, "email"), &a, &u);
    if (!status && user_set_disabled(db, &sys, u.id, !enable, &ei))
        status = cli_fail("%s", ei.msg);
    if (!status)
        printf("%s %s\n", u.email, enable ? "enabled" : "disabled (sessions ended, tokens revoked)");
    rb_arena_release(&a);
    db_close(db);
    return status;
}
