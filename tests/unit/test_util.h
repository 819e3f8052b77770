/*
 * test_util.h - helpers shared by the cmocka unit tests.
 *
 * Each unit test is its own program, so everything here is `static inline` (no unused-function
 * warnings, no prototypes needed). Include it after "base/common.h" and the headers under test.
 */
#ifndef RABTA_TEST_UTIL_H
#define RABTA_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <sys/stat.h>

#include "base/crypto.h"
#include "base/mem.h"
#include "core/actor.h"
#include "core/auth.h"
#include "core/demo.h"
#include "core/incident.h"
#include "core/org.h"
#include "db/db.h"
#include "formats/csv.h"
#include "formats/oscal.h"
#include "json/json.h"

/* Reads the whole file at path (at most 64 MiB) into a buffer the caller frees with free(); NULL
 * when it cannot. */
static inline char *tu_read_path(const char *path, size_t *len)
{
    rb_buf b;
    rb_buf_init(&b, (size_t)64 << 20);
    if (rb_buf_add_file(&b, path)) {
        rb_buf_release(&b);
        return NULL;
    }
    return rb_buf_detach(&b, len);
}

/* buf (size bytes) = <dir>/<rel>: dir is $RABTA_DATA_DIR, else ../shared/data beside the source
 * tree (RABTA_SOURCE_DIR, set by tests/unit/meson.build). Returns buf. */
#ifdef RABTA_SOURCE_DIR
static inline const char *tu_data_path(char *buf, size_t size, const char *rel)
{
    const char *dir = getenv("RABTA_DATA_DIR");
    if (dir && *dir)
        snprintf(buf, size, "%s/%s", dir, rel);
    else
        snprintf(buf, size, "%s/../shared/data/%s", RABTA_SOURCE_DIR, rel);
    return buf;
}

/* Reads <dir>/<rel> (tu_data_path) like tu_read_path. NULL when the file is absent: the test then
 * skips, saying so. */
static inline char *tu_read_data(const char *rel, size_t *len)
{
    char path[1024];
    return tu_read_path(tu_data_path(path, sizeof(path), rel), len);
}
#endif

/* Calls fn(path, depth, ctx) for each file named *.json in dir (depth: 0 from the caller) and, a
 * level deeper each, in its folders; names starting with '.', and paths over 2 KiB, are passed
 * over. Returns -1 when dir cannot be opened, else 0. */
static inline int tu_walk_json(const char *dir, int depth,
                               void (*fn)(const char *path, int depth, void *ctx), void *ctx)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[2048];
        struct stat st;
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || rb_fmt(path, sizeof(path), "%s/%s", dir, e->d_name) != 0 ||
            stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            tu_walk_json(path, depth + 1, fn, ctx);
        else if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
            fn(path, depth, ctx);
    }
    closedir(d);
    return 0;
}

/* The JSON document a writer left in b, parsed (rj_parse, RJ_DEFAULT_MAX_DEPTH); the caller
 * frees it with cJSON_Delete. Fails the test, printing the output, when it does not parse. */
static inline cJSON *tu_parse_buf(const rb_buf *b)
{
    cJSON *doc = NULL;
    rb_errinfo ei;
    int rc = rj_parse(b->ptr, b->len, RJ_DEFAULT_MAX_DEPTH, &doc, &ei);
    if (rc != RJ_OK)
        print_error("the output does not parse: %s\n%s\n", ei.msg, rb_buf_cstr(b));
    assert_int_equal(rc, RJ_OK);
    return doc;
}

/* The member at path below node: "a.b[2].c" (keys may hold '-', not '.' or '['); NULL when there is
 * none. */
static inline const cJSON *tu_at(const cJSON *node, const char *path)
{
    char key[64];
    const char *p = path;
    while (node && *p) {
        if (*p == '.') {
            p++;
            continue;
        }
        if (*p == '[') {
            int i = (int)strtol(p + 1, NULL, 10);
            node = cJSON_GetArrayItem(node, i);
            p = strchr(p, ']');
            p = p ? p + 1 : "";
            continue;
        }
        size_t n = strcspn(p, ".[");
        assert_true(n < sizeof(key));
        memcpy(key, p, n);
        key[n] = '\0';
        node = cJSON_GetObjectItemCaseSensitive(node, key);
        p += n;
    }
    return node;
}

/* The string at path below node (tu_at), or NULL. */
static inline const char *tu_str_at(const cJSON *node, const char *path)
{
    const cJSON *v = tu_at(node, path);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Test documents are written with ' for " (JSON inside C strings stays readable). A copy of t
 * with every ' turned into ", which the caller frees with rb_free. */
static inline char *tu_dq_dup(const char *t)
{
    char *s = rb_strdup(t);
    assert_non_null(s);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    return s;
}

/* The same into buf (cap bytes, which must hold t); returns buf. */
static inline const char *tu_dq_copy(char *buf, size_t cap, const char *t)
{
    size_t n = strlen(t);
    assert_true(n < cap);
    for (size_t i = 0; i <= n; i++)
        buf[i] = t[i] == '\'' ? '"' : t[i];
    return buf;
}

/* Fails the current test with a message naming the table row, when cond is false. */
#define ROW_CHECK(cond, ...)                                                                       \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            print_error(__VA_ARGS__);                                                              \
            print_error("\n");                                                                     \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

/* Group setup for every unit test program: libsodium and cJSON's allocator. */
static inline int tu_group_setup(void **state)
{
    (void)state;
    if (rb_crypto_init() != 0)
        return -1;
    rj_init();
    return 0;
}

/* A fresh migrated in-memory database. */
static inline rb_db *tu_db_open(void)
{
    rb_db *db = NULL;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = db_open(":memory:", DB_OPEN_CREATE | DB_OPEN_MIGRATE, &db, &ei);
    if (rc != 0)
        print_error("db_open(:memory:) failed: %d %s\n", rc, ei.msg);
    assert_int_equal(rc, 0);
    assert_non_null(db);
    return db;
}

/* sql prepared on db; fails the test when it does not prepare. */
static inline rb_stmt *tu_prepare(rb_db *db, const char *sql)
{
    rb_stmt *st = NULL;
    assert_int_equal(db_prepare(db, sql, &st), 0);
    return st;
}

/* The id of the first row that sql (one text parameter, ?1 = p1) picks; fails the test when it
 * picks none. */
static inline void tu_pick_id(rb_db *db, const char *sql, const char *p1, char out[RB_ID_SIZE])
{
    rb_stmt *st = tu_prepare(db, sql);
    db_bind_text(st, 1, p1);
    assert_int_equal(db_step(st), DB_ROW);
    rb_strlcpy(out, db_col_text(st, 0), RB_ID_SIZE);
    db_done(st);
}

/* The actor of the active user with that e-mail (auth_load_actor); fails the test otherwise. */
static inline void tu_load_user(rb_db *db, const char *email, rb_actor *out)
{
    char id[RB_ID_SIZE];
    tu_pick_id(db, "SELECT id FROM users WHERE email = ?1", email, id);
    assert_int_equal(auth_load_actor(db, id, out), 0);
}

/* The readers the incident tests read the demo's incidents as: the local operator, the National
 * CERT's analyst, the Punjab CERT's analyst and a reporter of a Punjab institution. */
#define TU_DEMO_READERS 4
/* Seeds the demo (core/demo) into db, which must then hold at least min_incidents incidents, and
 * loads the TU_DEMO_READERS readers into who. Returns 0, or -1 with the reason printed. */
static inline int tu_demo_readers(rb_db *db, int min_incidents, rb_actor who[TU_DEMO_READERS])
{
    struct demo_stats st;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    rb_orgref root;
    if (demo_seed(db, &st, NULL, &ei) != 0 || st.incidents < min_incidents ||
        org_root(db, &root) != 0) {
        print_error("demo_seed: %s (%d incidents)\n", ei.msg, st.incidents);
        return -1;
    }
    rb_actor_system(&who[0], &root);
    tu_load_user(db, "analyst@ncert.rabta.test", &who[1]);
    tu_load_user(db, "analyst@punjab-cert.rabta.test", &who[2]);
    tu_load_user(db, "reporter@pb-health.rabta.test", &who[3]);
    return 0;
}

/* A fixture over a seeded demo database with its TU_DEMO_READERS readers (system, the national
 * analyst, the Punjab CERT analyst, a Punjab Health reporter), for cmocka's setup and teardown:
 * tu_demo_setup(state, min_incidents, reset) seeds and loads them, tu_demo_teardown(state, reset)
 * closes it; reset (or NULL) empties the in-memory caches the test reads, before and after. */
struct tu_demo {
    rb_db *db;
    rb_actor who[TU_DEMO_READERS];
    rb_errinfo ei;
};

static inline int tu_demo_setup(void **state, int min_incidents, void (*reset)(void))
{
    struct tu_demo *f = rb_calloc(1, sizeof(*f));
    if (!f)
        return -1;
    f->db = tu_db_open();
    if (tu_demo_readers(f->db, min_incidents, f->who))
        return -1;
    if (reset)
        reset();
    *state = f;
    return 0;
}

static inline int tu_demo_teardown(void **state, void (*reset)(void))
{
    struct tu_demo *f = *state;
    db_close(f->db);
    rb_free(f);
    if (reset)
        reset();
    return 0;
}

/* A new report titled title by f's reporter (who[3]): medium, malicious code on an infected
 * system; its id in id. Fails the test unless incident_report takes it. */
static inline void tu_report_malware(struct tu_demo *f, rb_arena *a, const char *title,
                                     char id[RB_ID_SIZE])
{
    struct incident_input in;
    incident_input_init(&in);
    in.title = title;
    in.rsit_class = "malicious-code";
    in.rsit_type = "infected-system";
    in.severity = SEV_MEDIUM;
    assert_int_equal(incident_report(f->db, &f->who[3], a, &in, id, &f->ei), 0);
}

/* Runs a bound statement that returns no row (an INSERT), finishes it, and fails the test unless
 * it ran to the end. */
static inline void tu_step_done(rb_stmt *st)
{
    int rc = db_step(st);
    db_done(st);
    assert_int_equal(rc, DB_DONE);
}

/* Counts rows of a one-column integer query with a single text parameter ?1 (may be NULL). */
static inline int64_t tu_scalar(rb_db *db, const char *sql, const char *p1)
{
    rb_stmt *st = tu_prepare(db, sql);
    assert_int_equal(db_bind_text(st, 1, p1), 0);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t v = db_col_int(st, 0);
    db_done(st);
    return v;
}

/* A table row of a test of a function from text to text: the text given and what the function
 * must make of it (NULL, in tests that say so, where it must refuse the text). */
struct tu_str_row {
    const char *in, *out;
};

/* A table row of a test of a relation between two texts (equal, comparable, overlapping): whether
 * it must hold. */
struct tu_pair_row {
    const char *a, *b;
    bool want;
};

/* Checks that each row's path below node (tu_str_at) holds its text: in is the path, out the
 * text; a mismatch names the path. */
static inline void tu_check_strs(const cJSON *node, const struct tu_str_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *got = tu_str_at(node, rows[i].in);
        if (!got || strcmp(got, rows[i].out) != 0)
            print_error("at %s: %s\n", rows[i].in, got ? got : "(nothing)");
        assert_non_null(got);
        assert_string_equal(got, rows[i].out);
    }
}

/* Checks that obj's members are exactly `keys` (NULL-terminated), in that order; a mismatch names
 * what and the member. */
static inline void tu_check_keys(const cJSON *obj, const char *what, const char *const *keys)
{
    const cJSON *m = obj ? obj->child : NULL;
    int i = 0;
    for (; keys[i]; i++, m = m->next)
        ROW_CHECK(m && m->string && strcmp(m->string, keys[i]) == 0,
                  "%s: member %d is \"%s\", want \"%s\"", what, i, m && m->string ? m->string : "",
                  keys[i]);
    ROW_CHECK(m == NULL, "%s: more members than %d (\"%s\")", what, i, m->string);
}

/* Checks what a reader made of row i of table `what`: its rc, and the error's code, are want; a
 * refusal (want not 0) names `field` (NULL: any) as the place at fault and says `msg_has` (NULL:
 * anything) in its message. Fails the test naming the table and the row. */
static inline void tu_check_refused(const char *what, size_t i, int rc, const rb_errinfo *ei,
                                    int want, const char *field, const char *msg_has)
{
    ROW_CHECK(rc == want && ei->code == rc, "%s row %zu: rc %d (code %d), want %d (%s: %s)", what,
              i, rc, ei->code, want, ei->field, ei->msg);
    if (!rc)
        return;
    ROW_CHECK(!field || strcmp(ei->field, field) == 0, "%s row %zu: field \"%s\", want \"%s\" (%s)",
              what, i, ei->field, field, ei->msg);
    ROW_CHECK(!msg_has || strstr(ei->msg, msg_has), "%s row %zu: msg \"%s\" lacks \"%s\"", what, i,
              ei->msg, msg_has);
}

/* A row of a test of a CSV file reader (the inventory's, the risks'): the file's text, and what
 * the reader must answer: want, with ei->field beginning with `field` when it refuses the file;
 * or, reading it, `rows` good and `bad` bad rows, the first bad one at `field` ("line:field") and
 * saying msg_has. */
struct tu_csv_case {
    const char *what, *text;
    int want;
    const char *field;
    size_t rows, bad;
    const char *msg_has;
};

/* What a CSV reader made of a file: its counts (nrows left at 99 by a refusal) and its problems
 * (the first nproblems of the nbad bad rows). */
struct tu_csv_got {
    size_t nrows, nbad, nproblems, total;
    const struct csv_problem *problems;
};

/* A test's reader: reads text (ctx is the test's, e.g. a risk matrix) in a, with got set from the
 * file it made. Returns the reader's rc. */
typedef int (*tu_csv_reader)(const char *text, void *ctx, rb_arena *a, struct tu_csv_got *got,
                             rb_errinfo *ei);

/* Reads each of the n cases with read, each in its own arena, and checks what it answers against
 * the case; fails the test naming it. */
static inline void tu_check_csv_cases(const struct tu_csv_case *cases, size_t n, tu_csv_reader read,
                                      void *ctx)
{
    for (size_t i = 0; i < n; i++) {
        const struct tu_csv_case *c = &cases[i];
        rb_arena a;
        rb_arena_init(&a, 1 << 20);
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        struct tu_csv_got got = {.nrows = 99};
        int rc = read(c->text, ctx, &a, &got, &ei);
        ROW_CHECK(rc == c->want, "%s: rc %d (%s: %s)", c->what, rc, ei.field, ei.msg);
        if (rc) {
            ROW_CHECK(strncmp(ei.field, c->field, strlen(c->field)) == 0 && got.nrows == 99,
                      "%s: field \"%s\", want \"%s\"", c->what, ei.field, c->field);
            ROW_CHECK(!c->msg_has || strstr(ei.msg, c->msg_has), "%s: msg %s", c->what, ei.msg);
        } else {
            ROW_CHECK(got.nrows == c->rows && got.nbad == c->bad && got.nproblems == c->bad &&
                          got.total == c->rows + c->bad,
                      "%s: %zu good, %zu bad of %zu", c->what, got.nrows, got.nbad, got.total);
        }
        if (!rc && c->field) {
            ROW_CHECK(got.nproblems > 0, "%s: no problem, want one at %s", c->what, c->field);
            const struct csv_problem *p = &got.problems[0];
            char place[32];
            rb_fmt(place, sizeof(place), "%zu:%zu", p->line, p->field);
            ROW_CHECK(strcmp(place, c->field) == 0 && strstr(p->msg, c->msg_has),
                      "%s: first problem at %s: %s", c->what, place, p->msg);
        }
        rb_arena_release(&a);
    }
}

/* A user actor (not system) with role and org. */
static inline void tu_actor(rb_actor *a, enum rb_role role, const rb_orgref *org)
{
    memset(a, 0, sizeof(*a));
    a->system = false;
    a->role = role;
    a->org = *org;
    rb_strlcpy(a->user_id, "00000000-0000-4000-8000-0000000000aa", sizeof(a->user_id));
    rb_strlcpy(a->email, "tester@rabta.test", sizeof(a->email));
    rb_strlcpy(a->name, "Tester", sizeof(a->name));
    rb_strlcpy(a->label, "tester@rabta.test", sizeof(a->label));
}

/* ---- a database with a tree of orgs ---- */

/* The fixture of the tests on the core's org-bound modules: a fresh migrated database whose root
 * org (the National CERT "NCERT") exists, the system actor bound to that root, an error slot, and
 * the ids of the standard tree's orgs once tu_std_tree has made them (n is the root). */
struct tu_fixture {
    rb_db *db;
    rb_actor sys;
    rb_errinfo ei;
    rb_arena a; /* the arena a request would give: released by tu_teardown */
    char n[RB_ID_SIZE], p[RB_ID_SIZE], s[RB_ID_SIZE], g[RB_ID_SIZE];
    char pi1[RB_ID_SIZE], pi2[RB_ID_SIZE], pc[RB_ID_SIZE], pci[RB_ID_SIZE], si[RB_ID_SIZE];
};

/* cmocka setup: *state becomes a new tu_fixture. Returns -1 (the test fails) when the root
 * cannot be made. */
static inline int tu_setup(void **state)
{
    struct tu_fixture *f = rb_calloc(1, sizeof(*f));
    if (!f)
        return -1;
    f->db = tu_db_open();
    rb_arena_init(&f->a, 1 << 20);
    rb_actor_system(&f->sys, NULL);
    rb_orgref root;
    if (org_create_root(f->db, &f->sys, "National CERT", "NCERT", f->n, &f->ei) != 0 ||
        org_root(f->db, &root) != 0) {
        db_close(f->db);
        rb_arena_release(&f->a);
        rb_free(f);
        return -1;
    }
    rb_actor_system(&f->sys, &root);
    *state = f;
    return 0;
}

/* cmocka teardown of tu_setup. */
static inline int tu_teardown(void **state)
{
    struct tu_fixture *f = *state;
    db_close(f->db);
    rb_arena_release(&f->a);
    rb_free(f);
    return 0;
}

/* A test case that needs no state: `TU_TEST(test_x) { ... }` stands for cmocka's
 * `static void test_x(void **state)` whose state is unused. List it with cmocka_unit_test. */
#define TU_TEST(name) static void name(void **state __attribute__((unused)))

/* A test case run with the tu_fixture: tu_setup before it, tu_teardown after it. */
#define TU_FIXTURE_TEST(fn) cmocka_unit_test_setup_teardown(fn, tu_setup, tu_teardown)

/* The main of a unit test program, given the braced list of its CMUnitTest entries
 * ({cmocka_unit_test(fn), TU_FIXTURE_TEST(fn), ...}): runs them as one group after
 * tu_group_setup and exits with the number of failed tests. */
#define TU_MAIN(...)                                                                               \
    int main(void)                                                                                 \
    {                                                                                              \
        const struct CMUnitTest tests[] = __VA_ARGS__;                                             \
        return cmocka_run_group_tests(tests, tu_group_setup, NULL);                                \
    }

/* Creates an org of `kind` named `name` below `parent` as `actor`; returns org_create's rc (the
 * error in f->ei) and, on success, the id in out (when not NULL). */
static inline int tu_org(struct tu_fixture *f, const rb_actor *actor, const char *parent,
                         enum rb_org_kind kind, const char *name, char *out)
{
    rb_org_input in;
    org_input_init(&in);
    in.parent_id = parent;
    in.kind = (int)kind;
    in.name = name;
    char id[RB_ID_SIZE];
    rb_errinfo_clear(&f->ei);
    int rc = org_create(f->db, actor, &in, id, &f->ei);
    if (rc == 0 && out)
        rb_strlcpy(out, id, RB_ID_SIZE);
    return rc;
}

/*
 * The standard tree, made by the system actor below the root:
 *   N  National CERT
 *   |-- P  Punjab CERT (provincial)
 *   |   |-- PI1 Punjab Finance (institution)
 *   |   |-- PI2 Punjab Health (institution)
 *   |   `-- PC  Punjab Power CERT (cii_cert)
 *   |       `-- PCI Lahore Grid (institution)
 *   |-- S  Sindh CERT (provincial)
 *   |   `-- SI Sindh Revenue (institution)
 *   `-- G  Gov CERT (government_cert)
 */
static inline void tu_std_tree(struct tu_fixture *f)
{
    assert_int_equal(tu_org(f, &f->sys, f->n, KIND_PROVINCIAL_CERT, "Punjab CERT", f->p), 0);
    assert_int_equal(tu_org(f, &f->sys, f->n, KIND_PROVINCIAL_CERT, "Sindh CERT", f->s), 0);
    assert_int_equal(tu_org(f, &f->sys, f->n, KIND_GOVERNMENT_CERT, "Gov CERT", f->g), 0);
    assert_int_equal(tu_org(f, &f->sys, f->p, KIND_INSTITUTION, "Punjab Finance", f->pi1), 0);
    assert_int_equal(tu_org(f, &f->sys, f->p, KIND_INSTITUTION, "Punjab Health", f->pi2), 0);
    assert_int_equal(tu_org(f, &f->sys, f->p, KIND_CII_CERT, "Punjab Power CERT", f->pc), 0);
    assert_int_equal(tu_org(f, &f->sys, f->pc, KIND_INSTITUTION, "Lahore Grid", f->pci), 0);
    assert_int_equal(tu_org(f, &f->sys, f->s, KIND_INSTITUTION, "Sindh Revenue", f->si), 0);
}

/* A user actor with `role` in org `id`. */
static inline void tu_actor_at(struct tu_fixture *f, rb_actor *a, enum rb_role role, const char *id)
{
    rb_orgref ref;
    assert_int_equal(org_ref_load(f->db, id, &ref), 0);
    tu_actor(a, role, &ref);
}

/* ---- prose rendering ---- */

/* Renders every row (a text with inserts and its rendering) with `params` and the wider scope
 * `more` (the catalog's params) in arena a, failing at the first row that renders otherwise, with
 * its number, text and both renderings. */
static inline void tu_check_prose(rb_arena *a, const struct tu_str_row *rows, size_t n,
                                  const struct oscal_param *params, int nparams,
                                  const struct oscal_param *more, int nmore)
{
    for (size_t i = 0; i < n; i++) {
        const char *got = oscal_render_prose(a, rows[i].in, params, nparams, more, nmore);
        ROW_CHECK(got && strcmp(got, rows[i].out) == 0, "row %zu: %s\n  got  %s\n  want %s", i,
                  rows[i].in, got ? got : "(null)", rows[i].out);
    }
}

/* Small deterministic PRNG (xorshift64*), so a failing randomized run can be replayed by seed. */
static inline uint64_t tu_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* A uniform-enough integer in [0, n). */
static inline int tu_rand_below(uint64_t *s, int n)
{
    return (int)(tu_rand(s) % (uint64_t)n);
}

#endif
