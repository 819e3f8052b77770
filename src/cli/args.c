/* args.c - option parsing and shared helpers of the CLI. */
#include "base/common.h"
#include "cli/cli.h"
#include "core/org.h"
#include "json/json.h"

#include <sys/stat.h>
#include <unistd.h>

const char *cli_opt(const struct cli_ctx *c, const char *name)
{
    for (int i = 0; i < CLI_MAX_OPTS && c->cmd->opts[i].name; i++)
        if (strcmp(c->cmd->opts[i].name, name) == 0)
            return c->values[i];
    return NULL;
}

bool cli_flag(const struct cli_ctx *c, const char *name)
{
    return cli_opt(c, name) != NULL;
}

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("rabta: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

void cli_usage(const struct cli_cmd *cmd, FILE *f)
{
    fprintf(f, "usage: rabta %s%s%s", cmd->name, cmd->sub ? " " : "", cmd->sub ? cmd->sub : "");
    if (cmd->args)
        fprintf(f, " %s", cmd->args);
    fprintf(f, " [options]\n\n%s\n", cmd->summary);
    if (cmd->opts[0].name)
        fprintf(f, "\noptions:\n");
    for (int i = 0; i < CLI_MAX_OPTS && cmd->opts[i].name; i++) {
        char left[64];
        snprintf(left, sizeof(left), "--%s%s%s", cmd->opts[i].name,
                 cmd->opts[i].metavar ? " " : "",
                 cmd->opts[i].metavar ? cmd->opts[i].metavar : "");
        fprintf(f, "  %-28s %s%s\n", left, cmd->opts[i].help,
                cmd->opts[i].required ? " (required)" : "");
    }
    fprintf(f, "  %-28s %s\n", "--help", "show this help");
}

int cli_parse(const struct cli_cmd *cmd, int argc, char **argv, struct cli_ctx *c)
{
    memset(c, 0, sizeof(*c));
    c->cmd = cmd;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            cli_usage(cmd, stdout);
            return 1;
        }
        if (strncmp(a, "--", 2) != 0 && cmd->nargs < 0) {
            /* Kept in argv itself: slot nrest was read already (nrest <= i). */
            argv[c->nrest++] = argv[i];
            c->rest = argv;
            continue;
        }
        if (strncmp(a, "--", 2) != 0) {
            if (c->nargs >= CLI_MAX_ARGS || c->nargs >= cmd->nargs) {
                cli_fail("unexpected argument \"%s\" (see rabta %s%s%s --help)", a, cmd->name,
                         cmd->sub ? " " : "", cmd->sub ? cmd->sub : "");
                return 2;
            }
            c->args[c->nargs++] = a;
            continue;
        }
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        int k = -1;
        for (int j = 0; j < CLI_MAX_OPTS && cmd->opts[j].name; j++)
            if (strlen(cmd->opts[j].name) == nlen && strncmp(cmd->opts[j].name, name, nlen) == 0)
                k = j;
        if (k < 0) {
            cli_fail("unknown option \"%.*s\" (see rabta %s%s%s --help)", (int)nlen + 2, a,
                     cmd->name, cmd->sub ? " " : "", cmd->sub ? cmd->sub : "");
            return 2;
        }
        if (!cmd->opts[k].metavar) {
            if (eq) {
                cli_fail("option --%s takes no value", cmd->opts[k].name);
                return 2;
            }
            c->values[k] = "";
        } else if (eq) {
            c->values[k] = eq + 1;
        } else if (i + 1 < argc) {
            c->values[k] = argv[++i];
        } else {
            cli_fail("option --%s needs a value (%s)", cmd->opts[k].name, cmd->opts[k].metavar);
            return 2;
        }
    }
    if (cmd->nargs < 0 ? c->nrest < -cmd->nargs : c->nargs < cmd->nargs) {
        cli_fail("missing %s (see rabta %s%s%s --help)", cmd->args ? cmd->args : "argument",
                 cmd->name, cmd->sub ? " " : "", cmd->sub ? cmd->sub : "");
        return 2;
    }
    for (int j = 0; j < CLI_MAX_OPTS && cmd->opts[j].name; j++)
        if (cmd->opts[j].required && !c->values[j]) {
            cli_fail("--%s is required (see rabta %s%s%s --help)", cmd->opts[j].name, cmd->name,
                     cmd->sub ? " " : "", cmd->sub ? cmd->sub : "");
            return 2;
        }
    return 0;
}

int cli_open_db(const struct cli_ctx *c, bool create, rb_db **out)
{
    return cli_open_path(cli_opt(c, "db") ? cli_opt(c, "db") : "rabta.db", create, out);
}

int cli_open_path(const char *path, bool create, rb_db **out)
{
    if (!create && access(path, F_OK) != 0)
        return cli_fail("%s does not exist (create it with `rabta init --db %s ...`)", path, path);
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    if (db_open(path, DB_OPEN_MIGRATE | (create ? DB_OPEN_CREATE : 0), out, &ei))
        return cli_fail("%s", ei.msg);
    return 0;
}

int cli_system_actor(rb_db *db, rb_actor *out)
{
    rb_orgref root;
    int rc = org_root(db, &root);
    if (rc)
        return rc;
    rb_actor_system(out, &root);
    return 0;
}

int cli_session_open(const struct cli_ctx *c, struct cli_session *s)
{
    memset(s, 0, sizeof(*s));
    if (cli_open_db(c, false, &s->db))
        return 1;
    if (cli_system_actor(s->db, &s->sys)) {
        db_close(s->db);
        s->db = NULL;
        return cli_fail("the database has no National CERT yet (run rabta init)");
    }
    rb_arena_init(&s->a, (size_t)512 << 20); /* a cap: imports parse large documents */
    return 0;
}

void cli_session_close(struct cli_session *s)
{
    rb_arena_release(&s->a);
    db_close(s->db);
    s->db = NULL;
}

int cli_in_session(struct cli_ctx *c, int (*fn)(struct cli_ctx *c, struct cli_session *s))
{
    struct cli_session s;
    if (cli_session_open(c, &s))
        return 1;
    int status = fn(c, &s);
    cli_session_close(&s);
    return status;
}

void cli_list_begin(struct cli_list *l, const struct cli_ctx *c)
{
    l->json = cli_flag(c, "json");
    rb_buf_init(&l->b, (size_t)256 << 20);
    rjw_init(&l->w, &l->b);
    if (l->json)
        rjw_arr(&l->w);
}

rj_writer *cli_list_item(struct cli_list *l)
{
    return l->json ? &l->w : NULL;
}

int cli_list_end(struct cli_list *l)
{
    int status = 0;
    if (l->json) {
        rjw_arr_end(&l->w);
        if (rjw_finish(&l->w))
            status = cli_fail("the list is too large to print as JSON");
        else
            printf("%s\n", rb_buf_cstr(&l->b));
    }
    rb_buf_release(&l->b);
    return status;
}

void cli_list_rows(struct cli_list *l, const void *rows, int n, const struct rb_record *rec,
                   cli_print_fn print)
{
    for (int i = 0; i < n; i++) {
        const void *row = (const char *)rows + (size_t)i * rec->size;
        if (l->json)
            rjw_record(&l->w, row, rec);
        else
            print(row);
    }
}

int cli_print_rows(const struct cli_ctx *c, const void *rows, int n, const struct rb_record *rec,
                   cli_print_fn print)
{
    struct cli_list l;
    cli_list_begin(&l, c);
    cli_list_rows(&l, rows, n, rec, print);
    return cli_list_end(&l);
}

void cli_print_record(const void *row, const struct rb_record *rec)
{
    rb_buf b;
    rb_buf_init(&b, 1 << 26);
    rj_writer w;
    rjw_init(&w, &b);
    rjw_record(&w, row, rec);
    printf("%s\n", rb_buf_cstr(&b));
    rb_buf_release(&b);
}

int cli_each_org(struct cli_session *s, struct org_filter *f,
                 int (*fn)(struct cli_session *s, const struct rb_org *o, void *ctx), void *ctx)
{
    char after[RB_ID_SIZE] = "";
    bool more = true;
    int status = 0;
    f->limit = 500;
    while (more && !status) {
        rb_arena a;
        rb_arena_init(&a, 1 << 24);
        rb_org *rows = NULL;
        int n = 0;
        f->after_id = after[0] ? after : NULL;
        int rc = org_list(s->db, &s->sys, f, &a, &rows, &n, &more);
        if (rc)
            status = cli_fail("cannot list orgs: %s", rabta_strerror(rc));
        for (int i = 0; i < n && !status; i++)
            status = fn(s, &rows[i], ctx);
        if (n > 0)
            rb_strlcpy(after, rows[n - 1].id, sizeof(after));
        rb_arena_release(&a);
    }
    return status;
}

int cli_read_password(char *buf, size_t size)
{
    if (isatty(STDIN_FILENO))
        fprintf(stderr, "password: ");
    if (!fgets(buf, (int)size, stdin))
        return cli_fail("no password on standard input (pipe it in, e.g. `printf %%s \"$PW\" | "
                        "rabta ...`)");
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    return 0;
}

int cli_read_file(const char *path, rb_buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cli_fail("cannot open %s: %s", path, strerror(errno));
    struct stat sb;
    off_t total = fstat(fileno(f), &sb) == 0 ? sb.st_size : 0;
    char chunk[1 << 16];
    size_t n;
    int status = 0;
    off_t done = 0;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (rb_buf_add(b, chunk, n)) {
            status = cli_fail("%s is larger than %zu bytes", path, b->max);
            break;
        }
        done += (off_t)n;
        if (total > (1 << 20))
            cli_progress("reading", (int)(done >> 10), (int)(total >> 10));
    }
    if (!status && ferror(f))
        status = cli_fail("cannot read %s: %s", path, strerror(errno));
    fclose(f);
    return status;
}

int cli_session_open_file(const struct cli_ctx *c, size_t max, rb_buf *b, struct cli_session *s)
{
    rb_buf_init(b, max);
    if (cli_read_file(c->args[0], b)) {
        rb_buf_release(b);
        return 1;
    }
    if (cli_session_open(c, s)) {
        rb_buf_release(b);
        return 1;
    }
    return 0;
}

void cli_progress(const char *what, int done, int total)
{
    if (!isatty(STDERR_FILENO) || total <= 0)
        return;
    int width = 30, fill = (int)((long)done * width / total);
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    fprintf(stderr, "\r%s [%s] %d/%d", what, bar, done, total);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
}

void cli_print_object(const char *const *skeys, const char *const *svals, int ns,
                      const char *const *ikeys, const int64_t *ivals, int ni)
{
    rb_buf b;
    rb_buf_init(&b, 1 << 16);
    rj_writer w;
    rjw_init(&w, &b);
    rjw_obj(&w);
    for (int i = 0; i < ns; i++)
        rjw_kstr(&w, skeys[i], svals[i]);
    for (int i = 0; i < ni; i++)
        rjw_kint(&w, ikeys[i], ivals[i]);
    rjw_obj_end(&w);
    printf("%s\n", rb_buf_cstr(&b));
    rb_buf_release(&b);
}
