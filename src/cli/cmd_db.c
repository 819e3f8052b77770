/* cmd_db.c - init, version, routes, audit verify and audit list. */
#include "base/common.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "core/advisory.h"
#include "core/audit.h"
#include "core/org.h"
#include "core/user.h"
#include "http/router.h"
#include "json/json.h"

#include <unistd.h>

int cmd_init(struct cli_ctx *c)
{
    const char *path = cli_opt(c, "db") ? cli_opt(c, "db") : "rabta.db";
    if (access(path, F_OK) == 0)
        return cli_fail("%s already exists; init makes a new database (choose another --db)", path);
    char pw[RB_PASSWORD_MAX + 8];
    if (cli_read_password(pw, sizeof(pw)))
        return 1;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    if (user_check_password(pw, &ei))
        return cli_fail("%s", ei.msg);
    char email[256];
    if (user_normalize_email(cli_opt(c, "admin-email"), email, &ei))
        return cli_fail("--admin-email: %s", ei.msg);
    rb_db *db = NULL;
    if (cli_open_db(c, true, &db))
        return 1;
    int status = 1;
    rb_actor sys;
    rb_actor_system(&sys, NULL);
    char root_id[RB_ID_SIZE];
    if (org_create_root(db, &sys, cli_opt(c, "national-name"), NULL, root_id, &ei)) {
        cli_fail("%s", ei.msg);
        goto out;
    }
    if (cli_system_actor(db, &sys))
        goto out;
    const char *name = cli_opt(c, "admin-name") ? cli_opt(c, "admin-name")
                                                : "National CERT Administrator";
    rb_user_input in = {.org_id = root_id, .email = email, .name = name, .role = ROLE_ADMIN,
                        .password = pw};
    char uid[RB_ID_SIZE];
    if (user_create(db, &sys, &in, uid, &ei)) {
        cli_fail("%s", ei.msg);
        goto out;
    }
    if (cli_opt(c, "namespace") &&
        advisory_namespace_set(db, &sys, cli_opt(c, "namespace"), &ei)) {
        cli_fail("--namespace: %s", ei.msg);
        goto out;
    }
    printf("created %s\n  national CERT  %s  %s\n  admin          %s  %s\n", path, root_id,
           cli_opt(c, "national-name"), uid, email);
    status = 0;
out:
    db_close(db);
    if (status)
        unlink(path);
    return status;
}

int cmd_version(struct cli_ctx *c)
{
    (void)c;
    printf("rabta " RABTA_VERSION " (database schema %d)\n", db_schema_latest());
    return 0;
}

int cmd_routes(struct cli_ctx *c)
{
    struct cli_list l;
    cli_list_begin(&l, c);
    for (size_t i = 0; i < rb_routes_count; i++) {
        const struct route *r = &rb_routes[i];
        rj_writer *w = cli_list_item(&l);
        if (w) {
            rjw_obj(w);
            rjw_kstr(w, "method", r->method);
            rjw_kstr(w, "path", r->pattern);
            rjw_kbool(w, "auth", r->flags & ROUTE_AUTH);
            rjw_kbool(w, "large_body", r->flags & ROUTE_LARGE_BODY);
            rjw_kstr(w, "kind", r->kind ? r->kind->name : NULL);
            rjw_kstr(w, "perm", rb_perm_table[r->perm].name);
            rjw_kstr(w, "who", route_who_names[r->who]);
            rjw_kstr(w, "summary", r->summary);
            rjw_obj_end(w);
        } else {
            printf("%-7s %-30s %s%s\n", r->method, r->pattern,
                   r->flags & ROUTE_AUTH ? "" : "[public] ", r->summary);
        }
    }
    return cli_list_end(&l);
}

int cmd_audit_verify(struct cli_ctx *c)
{
    rb_db *db = NULL;
    if (cli_open_db(c, false, &db))
        return 1;
    struct audit_verify_result res;
    int rc = audit_verify(db, &res);
    db_close(db);
    if (cli_flag(c, "json") && (rc == 0 || rc == RB_ECONFLICT)) {
        rb_buf b;
        rb_buf_init(&b, 4096);
        rj_writer w;
        rjw_init(&w, &b);
        rjw_obj(&w);
        rjw_kbool(&w, "intact", rc == 0);
        rjw_kint(&w, "entries", res.entries);
        rjw_kstr(&w, "head", res.head);
        if (rc) {
            rjw_kint(&w, "bad_seq", res.bad_seq);
            rjw_kstr(&w, "reason", res.reason);
        }
        rjw_obj_end(&w);
        printf("%s\n", rb_buf_cstr(&b));
        rb_buf_release(&b);
    }
    if (rc == RB_ECONFLICT) {
        fprintf(stderr,
                "rabta: audit chain BROKEN at entry %" PRId64 ": %s (%" PRId64
                " entries checked)\n",
                res.bad_seq, res.reason, res.entries);
        return 1;
    }
    if (rc)
        return cli_fail("cannot read the audit trail: %s", rabta_strerror(rc));
    if (!cli_flag(c, "json"))
        printf("audit chain intact: %" PRId64 " entries, head %s\n", res.entries, res.head);
    return 0;
}

static void print_entry(const void *row)
{
    const rb_audit_entry *e = row;
    printf("%6" PRId64 "  %s  %-16s %-28s %s %s\n", e->seq, e->at, e->action,
           e->actor_label ? e->actor_label : "", e->object_kind, e->object_id ? e->object_id : "");
}

int cmd_audit_list(struct cli_ctx *c)
{
    int64_t limit = 50;
    if (cli_opt(c, "limit") && rb_parse_int64(cli_opt(c, "limit"), 1, 500, &limit))
        return cli_fail("--limit must be 1 to 500");
    struct cli_session s;
    if (cli_session_open(c, &s))
        return 1;
    rb_audit_entry *rows = NULL;
    int n = 0;
    struct audit_query q = {.limit = (int)limit};
    bool more = false;
    int status = audit_list(s.db, &s.sys, &q, &s.a, &rows, &n, &more)
                     ? cli_fail("cannot read the audit trail")
                     : cli_print_rows(c, rows, n, &audit_entry_record, print_entry);
    cli_session_close(&s);
    return status;
}
