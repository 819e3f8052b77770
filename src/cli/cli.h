/*
 * cli.h - the `rabta` command line: one table of subcommands, each with its options and --help.
 *
 * Every subcommand is a struct cli_cmd row (name, optional sub-name, handler, options). The
 * parser fills a cli_ctx that handlers query with cli_opt/cli_flag; unknown options, missing
 * values and missing required options are refused with a message naming the option.
 */
#ifndef RABTA_CLI_H
#define RABTA_CLI_H

#include <stdbool.h>

#include "core/actor.h"
#include "base/buf.h"
#include "base/mem.h"
#include "db/db.h"
#include "json/json.h"

#define CLI_MAX_OPTS 16
#define CLI_MAX_ARGS 4

struct cli_opt {
    const char *name;    /* long name without "--" */
    const char *metavar; /* NULL for a flag */
    const char *help;
    bool required;
};

struct cli_ctx;

struct cli_cmd {
    const char *name;
    const char *sub; /* NULL for a one-word command */
    int (*run)(struct cli_ctx *c);
    const char *summary; /* its first line goes in the command list; --help prints it all */
    const char *args; /* positional arguments shown in usage, or NULL */
    int nargs;        /* how many positional arguments are required; -N: N or more, which the
                       * handler finds in c->rest (a list of files) */
    struct cli_opt opts[CLI_MAX_OPTS];
};

struct cli_ctx {
    const struct cli_cmd *cmd;
    const char *values[CLI_MAX_OPTS]; /* by option index; "" for a flag that is set */
    const char *args[CLI_MAX_ARGS];
    int nargs;
    char **rest; /* with nargs < 0: every positional argument, in order */
    int nrest;
};

extern const struct cli_cmd cli_commands[];
extern const size_t cli_commands_count;

/* The value of option name (NULL when absent; "" for a set flag). */
const char *cli_opt(const struct cli_ctx *c, const char *name);
bool cli_flag(const struct cli_ctx *c, const char *name);

/* Parses argv for cmd. Returns 0, 1 when --help was printed, or 2 after printing an error. */
int cli_parse(const struct cli_cmd *cmd, int argc, char **argv, struct cli_ctx *c);
void cli_usage(const struct cli_cmd *cmd, FILE *f);

/* Prints "rabta: <msg>" on stderr. Returns 1 (the exit status for failures). */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Opens --db (migrating it), or fails with a message. create: make the file when absent. */
int cli_open_db(const struct cli_ctx *c, bool create, rb_db **out);
int cli_open_path(const char *path, bool create, rb_db **out);
/* A system actor rooted at the National CERT (RB_ENOTFOUND before init). */
int cli_system_actor(rb_db *db, rb_actor *out);

/* What most subcommands work with: the database of --db, the local operator acting at the
 * National CERT, and an arena for what they read. */
struct cli_session {
    rb_db *db;
    rb_actor sys;
    rb_arena a;
};
/* Opens the session; returns 0, or 1 after a message saying what to do (nothing to close). */
int cli_session_open(const struct cli_ctx *c, struct cli_session *s);
void cli_session_close(struct cli_session *s);
/* For commands that take a file (args[0]): reads it into b (at most max bytes), then opens the
 * session. Returns 0, or 1 after a message (b released, nothing to close). */
int cli_session_open_file(const struct cli_ctx *c, size_t max, rb_buf *b, struct cli_session *s);
/* Runs fn in a session: opens it, calls fn, closes it; 1 when it cannot be opened (after the
 * message). CLI_IN_SESSION(cmd_x) defines the command cmd_x that does this with cmd_x_in. */
int cli_in_session(struct cli_ctx *c, int (*fn)(struct cli_ctx *c, struct cli_session *s));
#define CLI_IN_SESSION(name)                                                                       \
    int name(struct cli_ctx *c)                                                                    \
    {                                                                                              \
        return cli_in_session(c, name##_in);                                                       \
    }

/* A listing's output: with --json one JSON array (built with the writer), else one text line
 * per item printed by the caller. */
struct cli_list {
    bool json;
    rb_buf b;
    rj_writer w;
};
void cli_list_begin(struct cli_list *l, const struct cli_ctx *c);
struct org_filter;
struct rb_org;
/* Calls fn on every org of the filter, page by page (f->after_id is used). Returns 0, or 1 after
 * a message (or fn's non-zero result). */
int cli_each_org(struct cli_session *s, struct org_filter *f,
                 int (*fn)(struct cli_session *s, const struct rb_org *o, void *ctx), void *ctx);
/* The writer to write the next item with in JSON mode, or NULL in text mode. */
rj_writer *cli_list_item(struct cli_list *l);
/* Prints the JSON array (or says it is too large) and releases. Returns 0 or 1. */
int cli_list_end(struct cli_list *l);
/* One row's line of text (a listing without --json). */
typedef void (*cli_print_fn)(const void *row);
/* Adds n rows (structs of rec) to the listing: rec's JSON objects in JSON mode, else one
 * print(row) each. */
void cli_list_rows(struct cli_list *l, const void *rows, int n, const struct rb_record *rec,
                   cli_print_fn print);
/* A whole listing of n rows at once (cli_list_begin, cli_list_rows, cli_list_end). Returns 0 or
 * 1. */
int cli_print_rows(const struct cli_ctx *c, const void *rows, int n, const struct rb_record *rec,
                   cli_print_fn print);
/* Prints one struct as rec's JSON object, on one line. */
void cli_print_record(const void *row, const struct rb_record *rec);
/* Reads one line (a password) from stdin without the newline. Returns 0 or 1 after a message. */
int cli_read_password(char *buf, size_t size);
/* Prints one JSON object line: ns string members, then ni integer members (built with the
 * writer, never with printf). */
void cli_print_object(const char *const *skeys, const char *const *svals, int ns,
                      const char *const *ikeys, const int64_t *ivals, int ni);
/* Reads a whole file into b (its cap is the most bytes allowed), with a progress bar for a large
 * one. Returns 0, or 1 after a message. */
int cli_read_file(const char *path, rb_buf *b);
/* Draws a progress bar on stderr when it is a terminal. */
void cli_progress(const char *what, int done, int total);

/* The server's background jobs (ticker.c): one scheduler tick now on db; a thread that ticks
 * every tick_seconds and delivers the outbound queue; stopping it. */
int ticker_once(rb_db *db);
int ticker_start(const char *db_path, int tick_seconds);
void ticker_stop(void);

/* Subcommand handlers (cmd_*.c). */
int cmd_init(struct cli_ctx *c);
int cmd_serve(struct cli_ctx *c);
int cmd_import_csaf(struct cli_ctx *c);
int cmd_demo(struct cli_ctx *c);
int cmd_version(struct cli_ctx *c);
int cmd_routes(struct cli_ctx *c);
int cmd_org_add(struct cli_ctx *c);
int cmd_org_list(struct cli_ctx *c);
int cmd_org_show(struct cli_ctx *c);
int cmd_user_add(struct cli_ctx *c);
int cmd_user_list(struct cli_ctx *c);
int cmd_user_passwd(struct cli_ctx *c);
int cmd_user_disable(struct cli_ctx *c);
int cmd_token_create(struct cli_ctx *c);
int cmd_token_list(struct cli_ctx *c);
int cmd_token_revoke(struct cli_ctx *c);
int cmd_audit_verify(struct cli_ctx *c);
int cmd_audit_list(struct cli_ctx *c);
int cmd_import_oscal(struct cli_ctx *c);
int cmd_catalog_list(struct cli_ctx *c);
int cmd_catalog_export(struct cli_ctx *c);
int cmd_profile_export(struct cli_ctx *c);
int cmd_profile_resolve(struct cli_ctx *c);
int cmd_import_incidents(struct cli_ctx *c);
int cmd_csaf_validate(struct cli_ctx *c);
int cmd_inventory_import(struct cli_ctx *c);

#endif
