/* cmd_serve.c - serve and demo. */
#include "base/common.h"
#include "base/rtime.h"
#include "cli/cli.h"
#include "core/csaf_sign.h"
#include "core/demo.h"
#include "core/incident_index.h"
#include "core/notify.h"
#include "core/org.h"
#include "http/server.h"

#include <unistd.h>

static int start(const struct cli_ctx *c, const char *db_path, const char *default_listen,
                 void (*on_ready)(const char *, void *))
{
    int rc;
    struct server_options o = {
        .ctx = (void *)db_path,
        .db_path = db_path,
        .listen = cli_opt(c, "listen") ? cli_opt(c, "listen") : default_listen,
        .access_log = !cli_flag(c, "quiet"),
        .cookie_secure = cli_flag(c, "cookie-secure"),
        .on_ready = on_ready,
    };
    if (cli_opt(c, "threads")) {
        int64_t t;
        if (rb_parse_int64(cli_opt(c, "threads"), 1, 256, &t))
            return cli_fail("--threads must be 1 to 256");
        o.threads = (int)t;
    }
    if (cli_opt(c, "body-seconds")) {
        int64_t t;
        if (rb_parse_int64(cli_opt(c, "body-seconds"), 1, 3600, &t))
            return cli_fail("--body-seconds must be 1 to 3600");
        o.body_seconds = (int)t;
    }
    int64_t tick = 60;
    if (cli_opt(c, "tick-seconds") && rb_parse_int64(cli_opt(c, "tick-seconds"), 1, 3600, &tick))
        return cli_fail("--tick-seconds must be 1 to 3600");
    if (cli_opt(c, "clock-file"))
        rb_time_set_file(cli_opt(c, "clock-file"));
    struct notify_config nc;
    memset(&nc, 0, sizeof(nc));
    static const struct {
        const char *opt;
        size_t off, size;
    } texts[] = {
        {"public-url", offsetof(struct notify_config, public_url), sizeof(nc.public_url)},
        {"smtp-url", offsetof(struct notify_config, smtp_url), sizeof(nc.smtp_url)},
        {"smtp-from", offsetof(struct notify_config, smtp_from), sizeof(nc.smtp_from)},
        {"smtp-user", offsetof(struct notify_config, smtp_user), sizeof(nc.smtp_user)},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(texts); i++)
        if (cli_opt(c, texts[i].opt) &&
            rb_strlcpy((char *)&nc + texts[i].off, cli_opt(c, texts[i].opt), texts[i].size))
            return cli_fail("--%s is too long", texts[i].opt);
    if (nc.smtp_url[0] && !nc.smtp_from[0])
        return cli_fail("--smtp-url needs --smtp-from (the address mail is sent from)");
    if (cli_opt(c, "smtp-password-file")) {
        FILE *f = fopen(cli_opt(c, "smtp-password-file"), "r");
        if (!f)
            return cli_fail("cannot read %s", cli_opt(c, "smtp-password-file"));
        size_t n = fread(nc.smtp_password, 1, sizeof(nc.smtp_password) - 1, f);
        fclose(f);
        nc.smtp_password[n] = '\0';
        nc.smtp_password[strcspn(nc.smtp_password, "\r\n")] = '\0';
    }
    nc.allow_private = cli_flag(c, "webhooks-allow-private");
    size_t ul = strlen(nc.public_url);
    while (ul > 0 && nc.public_url[ul - 1] == '/')
        nc.public_url[--ul] = '\0';
    if (cli_opt(c, "csaf-signing-key")) {
        rb_errinfo kei;
        rb_errinfo_clear(&kei);
        if (csaf_sign_configure(cli_opt(c, "csaf-signing-key"), cli_opt(c, "gnupg-home"), &kei))
            return cli_fail("%s", kei.msg);
    } else if (cli_opt(c, "gnupg-home")) {
        return cli_fail("--gnupg-home goes with --csaf-signing-key");
    }
    notify_configure(&nc);
    /* Migrate once, before the workers open their own connections; then the scheduler's first
     * tick (what fell due while the server was down) and the incident index, before listening. */
    rb_db *db = NULL;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    if (access(db_path, F_OK) != 0)
        return cli_fail("%s does not exist (create it with `rabta init` or `rabta demo`)", db_path);
    if (db_open(db_path, DB_OPEN_MIGRATE, &db, &ei))
        return cli_fail("%s", ei.msg);
    ticker_once(db);
    rb_actor sys;
    struct incident_counts counts;
    struct incident_filter all;
    memset(&all, 0, sizeof(all));
    if (cli_system_actor(db, &sys) == 0)
        incident_counts(db, &sys, &all, &counts);
    db_close(db);
    if (ticker_start(db_path, (int)tick))
        return cli_fail("cannot start the background jobs");
    rc = server_run(&o, &ei);
    ticker_stop();
    notify_release();
    if (rc)
        return cli_fail("%s", ei.msg);
    return 0;
}

static void print_url(const char *url, void *ctx)
{
    (void)ctx;
    printf("rabta is serving at %s\n", url);
    fflush(stdout);
}

int cmd_serve(struct cli_ctx *c)
{
    return start(c, cli_opt(c, "db") ? cli_opt(c, "db") : "rabta.db", "127.0.0.1:8080", print_url);
}

static void demo_progress(int done, int total)
{
    cli_progress("creating the demo hierarchy", done, total);
}

static void print_demo(const char *url, void *ctx)
{
    const char *db_path = ctx;
    static const char *const who[][3] = {
        {"admin", "ncert", "National CERT admin"},
        {"analyst", "ncert", "National CERT analyst (GRC, incidents)"},
        {"auditor", "ncert", "National CERT auditor (audit trail)"},
        {"analyst", "punjab-cert", "Punjab CERT analyst"},
        {"admin", "sindh-cert", "Sindh CERT admin"},
        {"reporter", "pb-health", "focal person, Punjab Health Services Directorate"},
        {"admin", "khi-port", "admin, Karachi Port Operations Office (CII)"},
    };
    printf("\nrabta demo is serving at %s\n\nsign in with any of these (password: %s):\n", url,
           DEMO_PASSWORD);
    for (size_t i = 0; i < RB_ARRAY_LEN(who); i++) {
        char email[256];
        demo_email(who[i][0], who[i][1], email);
        printf("  %-40s %s\n", email, who[i][2]);
    }
    printf("\nevery org has admin@, analyst@ and reporter@<org>.%s; list them all with\n"
           "  build/rabta user list --db %s\n\nstop with Ctrl-C.\n",
           DEMO_DOMAIN, db_path);
    fflush(stdout);
}

int cmd_demo(struct cli_ctx *c)
{
    const char *path = cli_opt(c, "db") ? cli_opt(c, "db") : "rabta-demo.db";
    if (access(path, F_OK) != 0) {
        rb_db *db = NULL;
        if (cli_open_path(path, true, &db))
            return 1;
        struct demo_stats st;
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc = demo_seed(db, &st, demo_progress, &ei);
        db_close(db);
        if (rc) {
            unlink(path);
            return cli_fail("cannot create the demo: %s", ei.msg[0] ? ei.msg : rabta_strerror(rc));
        }
        printf("created %s: %d orgs, %d users, %d campaigns with %d assessments, %d incidents, "
               "%d advisories, %d risks\n",
               path, st.orgs, st.users, st.campaigns, st.assessments, st.incidents,
               st.advisories, st.risks);
    } else {
        printf("using the existing %s\n", path);
    }
    if (cli_flag(c, "seed-only"))
        return 0;
    return start(c, path, "127.0.0.1:8080", print_demo);
}
