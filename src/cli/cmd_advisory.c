/*
 * cmd_advisory.c - `rabta import csaf`: CSAF 2.0 advisories from a file or a folder, each
 * validated and stored as a draft of the National CERT (or the next revision of one it holds).
 */
#include "base/common.h"

#include <dirent.h>
#include <sys/stat.h>

#include "base/rtime.h"
#include "cli/cli.h"
#include "core/advisory.h"
#include "core/csaf_fetch.h"

struct csaf_run {
    struct cli_session *s;
    int tlp;
    bool json;
    int done, total;
    int created, revised, same, refused;
    char **paths;
    int npaths, cap;
};

static bool is_json_file(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* Collects the .json files under path (a file, or a folder walked to depth 4), sorted by the
 * order readdir gives within each folder. */
static int collect(struct csaf_run *run, const char *path, int depth)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return cli_fail("%s: no such file or folder", path);
    if (S_ISREG(sb.st_mode)) {
        if (run->npaths == run->cap) {
            int ncap = run->cap ? run->cap * 2 : 256;
            char **grown = rb_arena_alloc(&run->s->a, (size_t)ncap * sizeof(*grown));
            if (!grown)
                return cli_fail("too many files");
            if (run->npaths)
                memcpy(grown, run->paths, (size_t)run->npaths * sizeof(*grown));
            run->paths = grown;
            run->cap = ncap;
        }
        if (!(run->paths[run->npaths++] = rb_arena_strdup(&run->s->a, path)))
            return cli_fail("out of memory");
        return 0;
    }
    if (!S_ISDIR(sb.st_mode) || depth > 4)
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return cli_fail("%s: cannot open the folder", path);
    int rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[4096];
        if (rb_fmt(sub, sizeof(sub), "%s/%s", path, e->d_name))
            continue;
        struct stat eb;
        if (stat(sub, &eb) != 0)
            continue;
        if (S_ISDIR(eb.st_mode) || is_json_file(e->d_name))
            rc = collect(run, sub, depth + 1);
    }
    closedir(d);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void import_one(struct csaf_run *run, const char *path)
{
    rb_buf b;
    rb_buf_init(&b, ADVISORY_DOC_MAX);
    if (cli_read_file(path, &b)) {
        run->refused++;
        rb_buf_release(&b);
        return;
    }
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    char id[RB_ID_SIZE];
    bool created = false;
    rb_arena a;
    rb_arena_init(&a, 64u << 20);
    int rc = advisory_import(run->s->db, &run->s->sys, &a, rb_buf_cstr(&b), b.len, run->tlp, id,
                             &created, &ei);
    if (!rc && created)
        run->created++;
    else if (!rc)
        run->revised++;
    else if (rc == RB_ECONFLICT && strcmp(ei.field, "document.tracking.version") == 0)
        run->same++;
    else {
        run->refused++;
        fprintf(stderr, "%s: %s%s%s\n", path, ei.field[0] ? ei.field : "", ei.field[0] ? ": " : "",
                ei.msg[0] ? ei.msg : rabta_strerror(rc));
    }
    rb_arena_release(&a);
    rb_buf_release(&b);
}

static void progress_fetch(int done, int total)
{
    cli_progress("fetching advisories", done, total);
}

static void print_refusal(const char *url, const char *why)
{
    fprintf(stderr, "%s: %s\n", url, why);
}

/* The URL form: what changed at a CSAF directory distribution since the last run. */
static int import_url(struct cli_ctx *c, struct cli_session *s, int tlp)
{
    struct csaf_fetch_stats st;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    double t0 = rb_mono_ms();
    int rc = db_batch(s->db, true);
    if (!rc)
        rc = csaf_fetch_feed(s->db, &s->sys, c->args[0], tlp, progress_fetch, print_refusal, &st,
                             &ei);
    if (db_batch(s->db, false) && !rc)
        return cli_fail("cannot write the imported advisories to disk");
    if (rc)
        return cli_fail("%s", ei.msg[0] ? ei.msg : rabta_strerror(rc));
    if (cli_flag(c, "json"))
        cli_print_object(NULL, NULL, 0,
                         (const char *[]){"listed", "fetched", "imported", "revised", "unchanged",
                                          "refused", "failed"},
                         (const int64_t[]){st.listed, st.fetched, st.created, st.revised,
                                           st.unchanged, st.refused, st.failed},
                         7);
    else
        printf("%d listed, %d new or changed since the last run: %d imported, %d new revisions, "
               "%d unchanged, %d refused, %d not fetched (%.0f ms)\n",
               st.listed, st.fetched, st.created, st.revised, st.unchanged, st.refused, st.failed,
               rb_mono_ms() - t0);
    return st.refused || st.failed ? 1 : 0;
}

int cmd_import_csaf(struct cli_ctx *c)
{
    enum rb_tlp level;
    int tlp = -1;
    if (cli_opt(c, "tlp")) {
        if (tlp_parse(cli_opt(c, "tlp"), &level))
            return cli_fail("--tlp must be CLEAR, GREEN, AMBER, AMBER+STRICT or RED");
        tlp = (int)level;
    }
    struct cli_session s;
    if (cli_session_open(c, &s))
        return 1;
    struct csaf_run run = {.s = &s, .tlp = tlp, .json = cli_flag(c, "json")};
    int status;
    if (strncmp(c->args[0], "http://", 7) == 0 || strncmp(c->args[0], "https://", 8) == 0) {
        status = import_url(c, &s, tlp);
        goto out;
    }
    status = collect(&run, c->args[0], 0);
    if (status)
        goto out;
    if (run.npaths == 0) {
        status = cli_fail("%s: no .json file there", c->args[0]);
        goto out;
    }
    qsort(run.paths, (size_t)run.npaths, sizeof(*run.paths), by_name);
    double t0 = rb_mono_ms();
    if (db_batch(s.db, true)) {
        status = cli_fail("cannot prepare the database for the import");
        goto out;
    }
    for (int i = 0; i < run.npaths; i++) {
        import_one(&run, run.paths[i]);
        cli_progress("importing advisories", i + 1, run.npaths);
    }
    if (db_batch(s.db, false)) {
        status = cli_fail("cannot write the imported advisories to disk");
        goto out;
    }
    double ms = rb_mono_ms() - t0;
    if (run.json)
        cli_print_object(
            NULL, NULL, 0, (const char *[]){"files", "imported", "revised", "unchanged", "refused"},
            (const int64_t[]){run.npaths, run.created, run.revised, run.same, run.refused}, 5);
    else
        printf("%d files: %d imported, %d new revisions, %d unchanged, %d refused (%.0f ms)\n",
               run.npaths, run.created, run.revised, run.same, run.refused, ms);
    status = run.refused ? 1 : 0;
out:
    cli_session_close(&s);
    return status;
}
