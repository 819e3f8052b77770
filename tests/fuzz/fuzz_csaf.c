/*
 * fuzz_csaf.c - libFuzzer target for src/formats/csaf (the CSAF 2.0 validator) and
 * src/formats/cvss.
 *
 * Beyond "no crash", it checks properties that must hold for every input:
 *   - the validation runs to its end (0), or says the arena gave out (RB_ETOOBIG, RB_ENOMEM);
 *   - the report adds up: at most CSAF_MAX_ISSUES kept, errors + warnings = kept + dropped,
 *     every issue has a test id rabta knows ("json", "schema" or a row of csaf_test), is a
 *     warning exactly when its test is optional (6.2), and has a message;
 *   - without CSAF_OPTIONAL there is no warning, and running the optional tests changes no
 *     error: the same errors, at the same paths, in the same order;
 *   - the JSON report parses back with the same counts;
 *   - every cvss_v3 / cvss_v2 vector string in the input scores within [0, 10].
 * A violated property aborts, so libFuzzer records the input as a crash.
 *
 * Built like fuzz_json.c: with clang -fsanitize=fuzzer,address,undefined, or as a plain program
 * with replay_main.c to replay a corpus (the OASIS test files and the examples under
 * ../shared/data/csaf make good seeds).
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/mem.h"
#include "formats/csaf.h"
#include "formats/cvss.h"
#include "json/json.h"

#define FUZZ_TARGET "fuzz_csaf"
#include "fuzz_util.h"

#define ARENA_CAP ((size_t)64 * 1024 * 1024)

static bool known_test(const char *id, bool *optional)
{
    *optional = false;
    if (strcmp(id, "json") == 0 || strcmp(id, "schema") == 0)
        return true;
    for (size_t i = 0; i < csaf_test_count(); i++)
        if (strcmp(csaf_test(i)->id, id) == 0) {
            *optional = !csaf_test(i)->mandatory;
            return true;
        }
    return false;
}

static void check_report(const struct csaf_report *r, bool with_optional)
{
    CHECK(r->n <= CSAF_MAX_ISSUES, "at most CSAF_MAX_ISSUES kept");
    CHECK(r->errors + r->warnings == r->n + r->dropped, "the counts add up");
    CHECK(with_optional || r->warnings == 0, "no warning without CSAF_OPTIONAL");
    size_t errors = 0;
    for (size_t i = 0; i < r->n; i++) {
        const struct csaf_issue *is = &r->issues[i];
        bool optional;
        CHECK(is->test && known_test(is->test, &optional), "a known test id");
        CHECK(is->warning == optional, "a warning exactly when the test is optional");
        CHECK(is->message[0] != '\0', "an issue says what is wrong");
        CHECK(memchr(is->path, '\0', sizeof(is->path)) != NULL, "the path is terminated");
        errors += !is->warning;
    }
    CHECK(errors <= r->errors, "kept errors are counted");
    CHECK(csaf_report_valid(r) == (r->errors == 0), "valid means no error");
}

static void check_json(const struct csaf_report *r)
{
    rb_buf b;
    rb_buf_init(&b, (size_t)16 << 20);
    rj_writer w;
    rjw_init(&w, &b);
    csaf_report_write(r, &w);
    CHECK(rjw_finish(&w) == 0, "the JSON report is written");
    cJSON *j = cJSON_Parse(rb_buf_cstr(&b));
    CHECK(j != NULL, "the JSON report parses");
    CHECK(cJSON_GetObjectItem(j, "errors")->valuedouble == (double)r->errors, "JSON errors");
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(j, "issues")) == (int)r->n, "JSON issues");
    cJSON_Delete(j);
    rb_buf_release(&b);
}

/* Scores every vectorString in the tree with the calculators. */
static void score_vectors(const cJSON *node)
{
    for (const cJSON *c = node ? node->child : NULL; c; c = c->next) {
        if (cJSON_IsString(c) && c->string && strcmp(c->string, "vectorString") == 0) {
            struct cvss_scores s;
            struct cvss3 v3;
            struct cvss2 v2;
            bool ok = false;
            if (cvss3_parse(c->valuestring, &v3, NULL) == 0) {
                cvss3_score(&v3, &s);
                ok = true;
            } else if (cvss2_parse(c->valuestring, &v2, NULL) == 0) {
                cvss2_score(&v2, &s);
                ok = true;
            }
            if (ok)
                CHECK(s.base >= 0 && s.base <= 10 && s.temporal >= 0 && s.temporal <= 10 &&
                          s.environmental >= 0 && s.environmental <= 10,
                      "scores within 0..10");
        }
        score_vectors(c);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_json_init();
    const char *text = (const char *)data;
    rb_arena a1, a2;
    rb_arena_init(&a1, ARENA_CAP);
    rb_arena_init(&a2, ARENA_CAP);
    struct csaf_report plain, full;
    int rc1 = csaf_validate_text(text, size, 0, &plain, &a1);
    int rc2 = csaf_validate_text(text, size, CSAF_OPTIONAL, &full, &a2);
    CHECK(rc1 == 0 || rc1 == RB_ETOOBIG || rc1 == RB_ENOMEM, "validation ends or runs out");
    CHECK(rc2 == 0 || rc2 == RB_ETOOBIG || rc2 == RB_ENOMEM, "validation ends or runs out");
    if (rc1 == 0 && rc2 == 0) {
        check_report(&plain, false);
        check_report(&full, true);
        /* The optional tests add warnings and nothing else. */
        if (plain.dropped == 0 && full.dropped == 0) {
            CHECK(plain.errors == full.errors, "optional tests change no error count");
            size_t k = 0;
            for (size_t i = 0; i < full.n; i++) {
                if (full.issues[i].warning)
                    continue;
                CHECK(k < plain.n && strcmp(plain.issues[k].test, full.issues[i].test) == 0 &&
                          strcmp(plain.issues[k].path, full.issues[i].path) == 0 &&
                          strcmp(plain.issues[k].message, full.issues[i].message) == 0,
                      "the same errors with and without the optional tests");
                k++;
            }
            CHECK(k == plain.n, "every error kept either way");
        }
        check_json(&full);
    }
    rb_arena_release(&a1);
    rb_arena_release(&a2);
    cJSON *root = NULL;
    rb_errinfo ei;
    if (rj_parse(text, size, CSAF_MAX_DEPTH, &root, &ei) == RJ_OK) {
        score_vectors(root);
        cJSON_Delete(root);
    }
    return 0;
}
