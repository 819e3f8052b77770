/*
 * main.c - `rabta`: the table of subcommands and the dispatcher.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "cli/cli.h"
#include "json/json.h"

#define DB_OPT {"db", "FILE", "the SQLite database file (default rabta.db)", false}
#define JSON_OPT {"json", NULL, "print JSON instead of a table", false}

const struct cli_cmd cli_commands[] = {
    {"init", NULL, cmd_init,
     "Create a new database with the National CERT (the root) and its first admin.", NULL, 0,
     {DB_OPT,
      {"national-name", "NAME", "name of the National CERT", true},
      {"admin-email", "EMAIL", "e-mail of the first admin (the sign-in name)", true},
      {"admin-name", "NAME", "the admin's display name (default \"National CERT Administrator\")",
       false},
      {"namespace", "URL",
       "the URL that names this CERT as a CSAF publisher (https://cert.example.gov); default "
       "urn:rabta:<the National CERT's id>",
       false},
      {"password-stdin", NULL, "read the admin's password (12+ characters) from standard input",
       true}}},
    {"serve", NULL, cmd_serve, "Serve the API and the web UI until SIGINT or SIGTERM.", NULL, 0,
     {DB_OPT,
      {"listen", "ADDR:PORT", "address to listen on (default 127.0.0.1:8080; port 0 picks one)",
       false},
      {"threads", "N", "worker threads (default: one per CPU)", false},
      {"body-seconds", "N",
       "the most seconds a request body may take to arrive (default 120); slower ones get 408",
       false},
      {"quiet", NULL, "no access-log line per request", false},
      {"cookie-secure", NULL, "mark the session cookie Secure (when served behind TLS)", false},
      {"tick-seconds", "N",
       "how often the scheduler looks at deadlines (default 60; it also runs at start)", false},
      {"public-url", "URL", "the address people open rabta at, for links in e-mail and webhooks",
       false},
      {"csaf-signing-key", "FINGERPRINT",
       "sign the CSAF provider's files (<file>.json.asc) with this OpenPGP key of the keyring",
       false},
      {"gnupg-home", "DIR", "the keyring's folder for --csaf-signing-key (default GNUPGHOME)",
       false},
      {"smtp-url", "URL", "send e-mail through this server (smtp://host:25, smtps://host:465); "
                          "default: no e-mail", false},
      {"smtp-from", "ADDR", "the address e-mail is sent from (with --smtp-url)", false},
      {"smtp-user", "NAME", "SMTP AUTH user name", false},
      {"smtp-password-file", "FILE", "read the SMTP AUTH password from FILE", false},
      {"webhooks-allow-private", NULL,
       "let webhooks reach loopback and private addresses (labs and tests)", false},
      {"clock-file", "FILE",
       "tests only: take the time from FILE (epoch seconds or RFC 3339), read at every use",
       false}}},
    {"demo", NULL, cmd_demo,
     "Create the demo hierarchy (if the database is absent) and serve it, printing the URL and "
     "the sign-in accounts.",
     NULL, 0,
     {{"db", "FILE", "the demo database (default rabta-demo.db)", false},
      {"listen", "ADDR:PORT", "address to listen on (default 127.0.0.1:8080)", false},
      {"threads", "N", "worker threads (default: one per CPU)", false},
      {"quiet", NULL, "no access-log line per request", false},
      {"seed-only", NULL, "create the database and exit without serving", false}}},
    {"org", "add", cmd_org_add, "Add an org below a CERT.", NULL, 0,
     {DB_OPT,
      {"parent", "ORG_ID", "the parent CERT's id", true},
      {"kind", "KIND",
       "provincial_cert, sectoral_cert, government_cert, cii_cert or institution", true},
      {"name", "NAME", "the org's name", true},
      {"short-name", "NAME", "an abbreviation", false},
      {"province", "CODE", "punjab, sindh, khyber_pakhtunkhwa, balochistan, gilgit_baltistan, "
                           "azad_jammu_kashmir, islamabad", false},
      {"sector", "CODE", "government, telecom, energy, finance, health, water, transport, "
                         "education, emergency, other", false},
      {"cii-grade", "1-3", "designate the institution CII with this grade (3 most critical)",
       false},
      {"cii-review-date", "YYYY-MM-DD", "when the CII designation is next reviewed", false},
      JSON_OPT}},
    {"org", "list", cmd_org_list, "List every org (level by level).", NULL, 0,
     {DB_OPT, {"kind", "KIND", "only orgs of this kind", false},
      {"root", "ORG_ID", "only this org and its subtree", false}, JSON_OPT}},
    {"org", "show", cmd_org_show, "Show one org.", "ORG_ID", 1, {DB_OPT, JSON_OPT}},
    {"user", "add", cmd_user_add, "Add a user to an org; the password is read from stdin.", NULL,
     0,
     {DB_OPT, {"org", "ORG_ID", "the user's org", true},
      {"email", "EMAIL", "the sign-in e-mail", true},
      {"name", "NAME", "display name (default: the e-mail)", false},
      {"role", "ROLE", "admin, analyst, reporter, viewer or auditor", true},
      {"password-stdin", NULL, "read the password (12+ characters) from standard input", true},
      JSON_OPT}},
    {"user", "list", cmd_user_list, "List users (of one org, or all).", NULL, 0,
     {DB_OPT, {"org", "ORG_ID", "only users of this org", false}, JSON_OPT}},
    {"user", "passwd", cmd_user_passwd, "Set a user's password (read from stdin).", NULL, 0,
     {DB_OPT, {"email", "EMAIL", "the user", true},
      {"password-stdin", NULL, "read the new password from standard input", true}}},
    {"user", "disable", cmd_user_disable,
     "Disable a user (ends sessions, revokes tokens), or re-enable with --enable.", NULL, 0,
     {DB_OPT, {"email", "EMAIL", "the user", true},
      {"enable", NULL, "re-enable instead of disabling", false}}},
    {"token", "create", cmd_token_create, "Create an API token for a user and print it (once).",
     NULL, 0,
     {DB_OPT, {"user", "EMAIL", "the token's user", true},
      {"name", "NAME", "what the token is for (default \"cli\")", false},
      {"days", "N", "days until it expires (default 90, at most 366)", false}, JSON_OPT}},
    {"token", "list", cmd_token_list, "List a user's API tokens (never the secrets).", NULL, 0,
     {DB_OPT, {"user", "EMAIL", "the user", true}, JSON_OPT}},
    {"token", "revoke", cmd_token_revoke, "Revoke an API token.", "TOKEN_ID", 1, {DB_OPT}},
    {"audit", "verify", cmd_audit_verify,
     "Verify the audit trail's hash chain; exits non-zero naming the first bad entry.", NULL, 0,
     {DB_OPT, JSON_OPT}},
    {"audit", "list", cmd_audit_list, "Print the newest audit entries.", NULL, 0,
     {DB_OPT, {"limit", "N", "how many (default 50, at most 500)", false}, JSON_OPT}},
    {"import", "oscal", cmd_import_oscal,
     "Import an OSCAL catalog or profile JSON file; prints what it imported (groups, controls, "
     "enhancements; or the controls a profile selects).",
     "FILE.json", 1,
     {DB_OPT, {"tlp", "LEVEL", "share a catalog as CLEAR, GREEN or AMBER (default: the document's TLP marking, else GREEN)", false},
      {"catalog", "CATALOG_ID", "profiles: bind the import to this catalog (else resolved by href)",
       false},
      {"applies-kinds", "K1,K2", "profiles: org kinds it applies to (default all)", false},
      {"applies-sectors", "S1,S2", "profiles: sectors it applies to (default all)", false},
      {"cii-only", NULL, "profiles: applies to CII institutions only", false},
      {"min-cii-grade", "1-3", "profiles: CII institutions of at least this grade", false},
      JSON_OPT}},
    {"import", "incidents", cmd_import_incidents,
     "Import past incidents from a CSV or JSON file: every row is checked first, and the file is "
     "stored in one transaction (all or nothing); nobody is notified.\n\n"
     "columns (a CSV header row, or the members of each object of a JSON array):\n"
     "  required  title, rsit_class, rsit_type (the ENISA taxonomy), severity (emergency, severe,\n"
     "            high, medium, low, baseline), status (new, triaged, contained, eradicated,\n"
     "            recovered, closed, rejected), org (the affected org: its id, short name or\n"
     "            name), detected_at, reported_at (RFC 3339, like 2026-03-01T08:30:00Z)\n"
     "  optional  description, tlp (CLEAR, GREEN, AMBER (default), AMBER+STRICT, RED),\n"
     "            cii_involved (yes/no), affected_services, acknowledged_at, contained_at,\n"
     "            notified_at, final_report_at, ended_at (required when closed or rejected),\n"
     "            reported_by\n"
     "Each incident counts as reported by its org then and is handled by the org's parent CERT;\n"
     "bad rows are listed with their line (CSV) or index (JSON) and column, and a file with any\n"
     "is not imported unless --skip-bad. See docs/operations.md, \"Importing past incidents\".",
     "FILE", 1,
     {DB_OPT,
      {"format", "csv|json", "the file's format (default: from its name, .csv or .json)", false},
      {"skip-bad", NULL, "store the good rows of a file that has bad ones (the bad are listed)",
       false},
      {"dry-run", NULL, "check every row and say what would be imported; store nothing", false},
      JSON_OPT}},
    {"import", "csaf", cmd_import_csaf,
     "Import CSAF 2.0 advisories from a file or a folder (its .json files, subfolders too): each\n"
     "is validated (the CSAF 2.0 schema's rules and mandatory tests) and stored as a draft of the\n"
     "National CERT, or as the next revision of an advisory it holds with the same publisher\n"
     "namespace and tracking id. A refused file is named with the failed test and JSON path and\n"
     "the others are still imported; the exit status is 1 when any was refused. Publish drafts\n"
     "with POST /api/v1/advisories/{id}/publish or in the web UI.\n\n"
     "Given the URL of a CSAF provider's directory distribution (the folder holding changes.csv\n"
     "or index.txt, e.g. https://cert.example.gov/.well-known/csaf/clear/), it fetches what\n"
     "changed since the last run from there and imports it the same way.",
     "FILE|FOLDER|URL", 1,
     {DB_OPT, {"tlp", "LEVEL", "store them with this TLP (default: each document's own label; "
                               "none: AMBER)", false},
      JSON_OPT}},
    {"csaf", "validate", cmd_csaf_validate,
     "Check CSAF 2.0 advisories before publishing them: the JSON schema, the mandatory tests "
     "(6.1) and, with --optional, the optional tests (6.2, as warnings).\n\n"
     "Prints \"FILE: ok\" for a valid file, else one line per problem: the file, the test id "
     "(\"schema\" for the JSON schema, 6.1.x), the JSON path and what is wrong.\nExits 0 when "
     "every file is valid (warnings allowed), 1 when any is not. docs/csaf-validation.md lists "
     "the tests.",
     "FILE...", -1,
     {{"optional", NULL, "also run the optional tests (6.2), reported as warnings", false},
      {"json", NULL, "print a JSON array with one report per file", false}}},
    {"inventory", "import", cmd_inventory_import,
     "Import an org's inventory (the products it runs) from a CSV file: every row is checked\n"
     "first, and the file is stored in one transaction (all or nothing).\n\n"
     "columns (the header row, in any order): vendor and product (required), version, cpe (a\n"
     "CPE 2.3 name or a CPE 2.2 URI), purl (a package URL). Rows already in the inventory, or\n"
     "twice in the file (the same vendor, product and version, whatever the case), are skipped\n"
     "and counted. An org holds at most 2,000 items. See docs/operations.md, \"Inventories\".",
     "FILE.csv", 1,
     {DB_OPT, {"org", "ORG_ID", "the org whose inventory it is", true},
      {"replace", NULL, "the file replaces the whole inventory (else its rows are added)", false},
      JSON_OPT}},
    {"catalog", "list", cmd_catalog_list, "List the guideline catalogs.", NULL, 0,
     {DB_OPT, JSON_OPT}},
    {"catalog", "export", cmd_catalog_export, "Print a catalog as OSCAL catalog JSON.",
     "CATALOG_ID", 1, {DB_OPT}},
    {"profile", "export", cmd_profile_export,
     "Print a profile as an OSCAL profile document (as imported; a ticked profile as the profile "
     "selecting its controls).",
     "PROFILE_ID", 1, {DB_OPT}},
    {"profile", "resolve", cmd_profile_resolve,
     "Print a profile's resolved catalog (OSCAL profile resolution: imports, merge, modify), as "
     "campaigns of it ask and assessments show it.",
     "PROFILE_ID", 1, {DB_OPT}},
    {"routes", NULL, cmd_routes, "Print the HTTP route table (what docs/api.md documents).", NULL,
     0, {JSON_OPT}},
    {"version", NULL, cmd_version, "Print the version and the database schema version it knows.",
     NULL, 0, {{NULL, NULL, NULL, false}}},
};
const size_t cli_commands_count = RB_ARRAY_LEN(cli_commands);

static void usage(FILE *f)
{
    fprintf(f, "usage: rabta <command> [options]\n\n"
               "rabta: coordination platform for a national CERT hierarchy.\n\ncommands:\n");
    for (size_t i = 0; i < cli_commands_count; i++) {
        char left[40];
        snprintf(left, sizeof(left), "%s%s%s", cli_commands[i].name,
                 cli_commands[i].sub ? " " : "", cli_commands[i].sub ? cli_commands[i].sub : "");
        fprintf(f, "  %-17s %.*s\n", left, (int)strcspn(cli_commands[i].summary, "\n"),
                cli_commands[i].summary);
    }
    fprintf(f, "\nRun `rabta <command> --help` for its options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0)
        argv[1] = "version";
    if (rb_crypto_init())
        return cli_fail("cannot initialise libsodium");
    rj_init();
    bool name_known = false;
    for (size_t i = 0; i < cli_commands_count; i++) {
        const struct cli_cmd *cmd = &cli_commands[i];
        if (strcmp(cmd->name, argv[1]) != 0)
            continue;
        name_known = true;
        int skip = 2;
        if (cmd->sub) {
            if (argc < 3 || strcmp(cmd->sub, argv[2]) != 0)
                continue;
            skip = 3;
        }
        struct cli_ctx c;
        int rc = cli_parse(cmd, argc - skip, argv + skip, &c);
        if (rc == 1)
            return 0;
        if (rc)
            return 2;
        return cmd->run(&c);
    }
    if (name_known && argc >= 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
        printf("usage: rabta %s <subcommand> [options]\n\nsubcommands:\n", argv[1]);
        for (size_t i = 0; i < cli_commands_count; i++)
            if (strcmp(cli_commands[i].name, argv[1]) == 0)
                printf("  %-10s %.*s\n", cli_commands[i].sub,
                       (int)strcspn(cli_commands[i].summary, "\n"), cli_commands[i].summary);
        printf("\nRun `rabta %s <subcommand> --help` for its options.\n", argv[1]);
        return 0;
    }
    if (name_known) {
        fprintf(stderr, "rabta: \"%s\" needs a subcommand:", argv[1]);
        for (size_t i = 0; i < cli_commands_count; i++)
            if (strcmp(cli_commands[i].name, argv[1]) == 0)
                fprintf(stderr, " %s", cli_commands[i].sub);
        fprintf(stderr, " (see rabta %s <sub> --help)\n", argv[1]);
        return 2;
    }
    fprintf(stderr, "rabta: unknown command \"%s\"\n\n", argv[1]);
    usage(stderr);
    return 2;
}
