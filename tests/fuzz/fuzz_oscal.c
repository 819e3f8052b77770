/*
 * fuzz_oscal.c - libFuzzer target for src/formats/oscal: catalogs, profiles, profile resolution,
 * prose rendering.
 *
 * Beyond "no crash", it checks properties that must hold for every input:
 *   - a refused catalog or profile reports RB_EINVAL, RB_ETOOBIG or RB_ENOMEM, with ei->code
 *     equal to the result, a message, and a path under "catalog"/"profile" (or "" for bad JSON);
 *   - a parsed catalog is a forest: every parent and group index points backwards, group depths
 *     follow their parents, nenhancements counts the controls with a parent;
 *   - writing a parsed catalog and parsing the output gives the same groups and controls (ids,
 *     titles, indexes, statements, guidance, objectives, JSON copies), and writing that again
 *     gives the same bytes;
 *   - a parsed profile's imports select exactly what a naive reading of include/exclude says
 *     (ancestors of an included control come along, exclusion wins);
 *   - resolving a profile against a fixed catalog either refuses it (a code, a message) or gives
 *     a JSON document with a catalog in it;
 *   - rendering any text as prose terminates and returns a string.
 * A violated property aborts, so libFuzzer records the input as a crash.
 *
 * Built like fuzz_json.c: with clang -fsanitize=fuzzer,address,undefined, or as a plain program
 * with replay_main.c to replay a corpus (the NIST files of ../shared/data/oscal make good seeds).
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/mem.h"
#include "formats/oscal.h"
#include "json/json.h"

#define FUZZ_TARGET "fuzz_oscal"
#include "fuzz_util.h"

#define ARENA_CAP ((size_t)128 * 1024 * 1024)

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void check_failure(int rc, const rb_errinfo *ei, const char *root)
{
    fuzz_check_refusal(rc, ei, RB_EINVAL, RB_ETOOBIG);
    CHECK(ei->field[0] == '\0' || strncmp(ei->field, root, strlen(root)) == 0,
          "the path starts at the document root");
}

static void check_shape(const struct oscal_catalog *c)
{
    int enh = 0;
    for (int i = 0; i < c->ngroups; i++) {
        const struct oscal_group *g = &c->groups[i];
        CHECK(g->id && g->title && g->json, "group fields");
        CHECK(g->parent >= -1 && g->parent < i, "group parent points backwards");
        CHECK(g->depth == (g->parent < 0 ? 0 : c->groups[g->parent].depth + 1), "group depth");
    }
    for (int i = 0; i < c->ncontrols; i++) {
        const struct oscal_control *k = &c->controls[i];
        CHECK(k->id && k->title && k->json, "control fields");
        CHECK(k->parent >= -1 && k->parent < i, "control parent points backwards");
        CHECK(k->group >= -1 && k->group < c->ngroups, "control group in range");
        if (k->parent >= 0)
            CHECK(k->group == c->controls[k->parent].group, "an enhancement shares its group");
        enh += k->parent >= 0;
        for (int j = 0; j < i; j++)
            CHECK(strcmp(c->controls[j].id, k->id) != 0, "control ids are unique");
    }
    CHECK(enh == c->nenhancements, "nenhancements");
}

static void check_round_trip(const struct oscal_catalog *c, rb_arena *a)
{
    rb_buf out, out2;
    rb_buf_init(&out, 256u << 20);
    rb_buf_init(&out2, 256u << 20);
    int rc = oscal_catalog_write(c, &out);
    CHECK(rc == 0 || rc == RB_ENOMEM, "writing a parsed catalog");
    if (rc == 0) {
        struct oscal_catalog r;
        rb_errinfo ei;
        rc = oscal_catalog_parse(out.ptr, out.len, a, &r, &ei);
        if (rc != 0 && rc != RB_ETOOBIG && rc != RB_ENOMEM)
            fprintf(stderr, "fuzz_oscal: re-parse failed: %s: %s\n", ei.field, ei.msg);
        /* The compact output may leave a smaller rendering budget than the input did. */
        CHECK(rc == 0 || rc == RB_ETOOBIG || rc == RB_ENOMEM, "the output parses");
        if (rc == 0) {
            CHECK(strcmp(r.uuid, c->uuid) == 0 && strcmp(r.title, c->title) == 0, "head");
            CHECK(same_str(r.metadata_json, c->metadata_json), "metadata");
            CHECK(same_str(r.params_json, c->params_json), "catalog params");
            CHECK(same_str(r.back_matter_json, c->back_matter_json), "back-matter");
            CHECK(r.ngroups == c->ngroups && r.ncontrols == c->ncontrols &&
                      r.nenhancements == c->nenhancements,
                  "counts");
            for (int i = 0; i < c->ngroups; i++)
                CHECK(strcmp(r.groups[i].id, c->groups[i].id) == 0 &&
                          strcmp(r.groups[i].title, c->groups[i].title) == 0 &&
                          r.groups[i].parent == c->groups[i].parent &&
                          strcmp(r.groups[i].json, c->groups[i].json) == 0,
                      "group after the round trip");
            for (int i = 0; i < c->ncontrols; i++) {
                const struct oscal_control *x = &c->controls[i], *y = &r.controls[i];
                CHECK(strcmp(x->id, y->id) == 0 && strcmp(x->title, y->title) == 0 &&
                          x->parent == y->parent && x->group == y->group &&
                          x->nparams == y->nparams && strcmp(x->json, y->json) == 0,
                      "control after the round trip");
                CHECK(same_str(x->statement, y->statement) && same_str(x->guidance, y->guidance) &&
                          same_str(x->objectives, y->objectives),
                      "rendered texts after the round trip");
            }
            rc = oscal_catalog_write(&r, &out2);
            CHECK(rc == 0 || rc == RB_ENOMEM, "writing the re-parsed catalog");
            if (rc == 0)
                CHECK(out.len == out2.len && memcmp(out.ptr, out2.ptr, out.len) == 0,
                      "writing is a fixed point");
        }
    }
    rb_buf_release(&out);
    rb_buf_release(&out2);
}

/* A fixed catalog to bind fuzzed profiles to: a-1 (with a-1.1, which has a-1.1.1), a-2, b-1. */
static void fixed_catalog(struct oscal_catalog *c)
{
    static struct oscal_control k[] = {
        {.id = "a-1", .title = "t", .group = -1, .parent = -1},
        {.id = "a-1.1", .title = "t", .group = -1, .parent = 0},
        {.id = "a-1.1.1", .title = "t", .group = -1, .parent = 1},
        {.id = "a-2", .title = "t", .group = -1, .parent = -1},
        {.id = "b-1", .title = "t", .group = -1, .parent = -1},
    };
    memset(c, 0, sizeof(*c));
    c->controls = k;
    c->ncontrols = (int)(sizeof(k) / sizeof(k[0]));
}

static bool descends(const struct oscal_catalog *c, int j, int i)
{
    for (int k = c->controls[j].parent; k >= 0; k = c->controls[k].parent)
        if (k == i)
            return true;
    return false;
}

/* Whether one of the n ids names control j itself (or an ancestor of it, when children[k] says
 * its children are meant too), computed naively. */
static bool named(const char *const *ids, const bool *children, int n,
                  const struct oscal_catalog *c, int j)
{
    for (int k = 0; k < n; k++)
        for (int i = 0; i < c->ncontrols; i++)
            if (strcmp(ids[k], c->controls[i].id) == 0 &&
                (i == j || (children[k] && descends(c, j, i))))
                return true;
    return false;
}

static bool included(const struct oscal_import *im, const struct oscal_catalog *c, int j)
{
    return im->include_all || named(im->include_ids, im->include_children, im->ninclude, c, j);
}

/* What an import should select, computed naively: what it includes and the ancestors of that,
 * less what it excludes. */
static bool want_selected(const struct oscal_import *im, const struct oscal_catalog *c, int j)
{
    bool on = included(im, c, j);
    for (int d = 0; d < c->ncontrols && !on; d++)
        if (descends(c, d, j) && included(im, c, d))
            on = true;
    return on && !named(im->exclude_ids, im->exclude_children, im->nexclude, c, j);
}

static void check_profile(const char *text, size_t size, rb_arena *a)
{
    struct oscal_profile p;
    rb_errinfo ei;
    int rc = oscal_profile_parse(text, size, a, &p, &ei);
    if (rc != 0) {
        check_failure(rc, &ei, "profile");
        return;
    }
    CHECK(p.uuid && p.title && p.json && p.nimports > 0, "profile fields");
    struct oscal_catalog c;
    fixed_catalog(&c);
    for (int m = 0; m < p.nimports; m++) {
        const struct oscal_import *im = &p.imports[m];
        CHECK(im->href && im->href[0], "import href");
        CHECK(!im->include_all || im->ninclude == 0, "include-all and include ids are exclusive");
        bool sel[5];
        int n = oscal_profile_select(im, &c, sel, &ei);
        int listed_found = 0;
        for (int k = 0; k < im->ninclude; k++)
            for (int i = 0; i < c.ncontrols; i++)
                listed_found += strcmp(im->include_ids[k], c.controls[i].id) == 0;
        if (im->ninclude > 0 && listed_found == 0) {
            CHECK(n == RB_ENOTFOUND && ei.code == RB_ENOTFOUND, "nothing found is RB_ENOTFOUND");
            continue;
        }
        int count = 0;
        for (int j = 0; j < c.ncontrols; j++) {
            CHECK(sel[j] == want_selected(im, &c, j), "selection matches include/exclude");
            count += sel[j];
        }
        CHECK(n == count, "select returns the count");
    }
}

/* The catalog every import of a fuzzed profile resolves to. */
static const char resolve_catalog[] =
    "{\"catalog\":{\"uuid\":\"6c5149e8-f3a6-437c-8035-025e9b5fc0bf\",\"metadata\":{\"title\":"
    "\"C\",\"oscal-version\":\"1.1.2\"},\"params\":[{\"id\":\"p0\"}],\"groups\":[{\"id\":"
    "\"a\",\"title\":\"A\",\"controls\":[{\"id\":\"a-1\",\"title\":\"t\",\"params\":"
    "[{\"id\":\"a-1_prm\"}],\"parts\":[{\"id\":\"a-1_smt\",\"name\":\"statement\","
    "\"prose\":\"x {{ insert: param, a-1_prm }}\"}],\"controls\":[{\"id\":\"a-1.1\","
    "\"title\":\"t\"}]},{\"id\":\"a-2\",\"title\":\"t\"}]},{\"id\":\"b\",\"title\":"
    "\"B\",\"controls\":[{\"id\":\"b-1\",\"title\":\"t\"}]}]}}";

static int fixed_fetch(void *ctx, const char *href, int depth, struct oscal_source *src,
                       rb_errinfo *ei)
{
    (void)ctx;
    (void)depth;
    if (strcmp(href, "none") == 0)
        return rb_err(ei, RB_ENOTFOUND, "catalog", "no such document");
    *src = (struct oscal_source){resolve_catalog, sizeof(resolve_catalog) - 1, "fixed", NULL};
    return 0;
}

static void check_resolve(const char *text, size_t size, rb_arena *a)
{
    (void)a;
    const struct oscal_resolve_opts o = {
        fixed_fetch, NULL, "fuzzed", "99999999-2222-4333-8444-555555555555", "2026-01-01T00:00:00Z",
        "fuzz",      "/p"};
    rb_buf out;
    rb_buf_init(&out, 64u << 20);
    rb_errinfo ei;
    int rc = oscal_profile_resolve(text, size, &o, &out, &ei);
    if (rc == 0) {
        cJSON *root = NULL;
        CHECK(rj_parse(out.ptr, out.len, OSCAL_MAX_DEPTH + 8, &root, &ei) == RJ_OK,
              "the resolved catalog is JSON");
        CHECK(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "catalog")),
              "the resolved document is a catalog");
        cJSON_Delete(root);
    } else {
        CHECK(rc == RB_EINVAL || rc == RB_ETOOBIG || rc == RB_ENOMEM || rc == RB_ENOTFOUND,
              "refusal code");
        CHECK(ei.code == rc && ei.msg[0] != '\0', "a refusal says why");
    }
    rb_buf_release(&out);
}

static void check_prose(const char *text, size_t size, rb_arena *a)
{
    static const char *vals[] = {"v1", "v2"};
    static const char *choices[] = {"c {{ insert: param, s }}", "{{ insert: param, v }}"};
    const struct oscal_param params[] = {
        {.id = "v", .values = vals, .nvalues = 2},
        {.id = "s",
         .has_select = true,
         .select_how = "one-or-more",
         .choices = choices,
         .nchoices = 2},
        {.id = "l", .label = "label"},
    };
    char *s = rb_strndup(text, size); /* stops at the first NUL, as a C string would */
    if (!s)
        return;
    const char *out = oscal_render_prose(a, s, params, 3, NULL, 0);
    CHECK(out != NULL || strlen(s) > OSCAL_MAX_TEXT / 64, "small prose renders");
    rb_free(s);
}

static void check_catalog(const char *text, size_t size, rb_arena *a)
{
    struct oscal_catalog c;
    rb_errinfo ei;
    int rc = oscal_catalog_parse(text, size, a, &c, &ei);
    if (rc == 0) {
        check_shape(&c);
        check_round_trip(&c, a);
    } else {
        check_failure(rc, &ei, "catalog");
    }
}

/* Every input is read as a catalog, as a profile (and resolved) and as prose, each with a fresh
 * arena. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static void (*const checks[])(const char *, size_t, rb_arena *) = {check_catalog, check_profile,
                                                                       check_resolve, check_prose};
    fuzz_json_init();
    for (size_t i = 0; i < RB_ARRAY_LEN(checks); i++) {
        rb_arena a;
        rb_arena_init(&a, ARENA_CAP);
        checks[i]((const char *)data, size, &a);
        rb_arena_release(&a);
    }
    return 0;
}
