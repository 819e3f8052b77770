/*
 * results_bench.c - times writing OSCAL assessment results in-process against reading the same
 * document, in the same run.
 *
 * usage: results_bench [ITERATIONS]
 *
 * Builds a 300-control self-assessment (every control answered, reviewed, with a 400-byte
 * statement, a 300-byte evidence note and one evidence file; uuids derived as the export derives
 * them, rb_uuid_v5; the assessment's own facts are the unit tests' sample, oscal_sample.h), then
 * ITERATIONS times (default 9, after one warm-up):
 *   - the export: oscal_results_write of it into a buffer (what GET /assessments/{id}/oscal
 *     writes once it has read the rows);
 *   - the baseline: reading the same document, parse only (rj_parse).
 * Prints "key=value" lines for bench/guidelines.sh: medians and minimums in ms, the document's
 * size and its findings count. Exit status 0, or 1 on any error.
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "formats/oscal.h"
#include "json/json.h"

#include "../tests/unit/oscal_sample.h"
#include "bench_util.h"

#define MAX_ITER 101
#define CONTROLS 300

static char ids[CONTROLS][16], titles[CONTROLS][64], obs[CONTROLS][37], fnd[CONTROLS][37];
static char hrefs[CONTROLS][128];
static char statement[401], evidence[301];

int main(int argc, char **argv)
{
    int64_t iter = 9;
    if (argc > 1 && rb_parse_int64(argv[1], 1, MAX_ITER - 1, &iter)) {
        fprintf(stderr, "results_bench: ITERATIONS must be 1..%d\n", MAX_ITER - 1);
        return 1;
    }
    rj_init();
    memset(statement, 's', sizeof(statement) - 1);
    memset(evidence, 'e', sizeof(evidence) - 1);
    static const char *const statuses[] = {"implemented", "partial", "planned", "not_implemented",
                                           "not_applicable"};
    static struct oscal_result_item items[CONTROLS];
    static struct oscal_evidence files[CONTROLS];
    const char *aid = SAMPLE_A_ID;
    for (int i = 0; i < CONTROLS; i++) {
        char name[96];
        rb_fmt(ids[i], sizeof(ids[i]), "ctl-%d", i);
        rb_fmt(titles[i], sizeof(titles[i]), "Control number %d of the baseline", i);
        rb_fmt(name, sizeof(name), "assessment/%s/observation/%s", aid, ids[i]);
        rb_uuid_v5(OSCAL_UUID_NS, name, obs[i]);
        rb_fmt(name, sizeof(name), "assessment/%s/finding/%s", aid, ids[i]);
        rb_uuid_v5(OSCAL_UUID_NS, name, fnd[i]);
        rb_fmt(hrefs[i], sizeof(hrefs[i]), "/api/v1/assessments/%s/attachments/%d", aid, i);
        files[i] =
            (struct oscal_evidence){hrefs[i], "evidence.pdf", 123456,
                                    "785f3ec7eb32f30b90cd0fcf3657d388b5ff4297f2f9716ff66e9b69"
                                    "c05ddd09"};
        items[i] = (struct oscal_result_item){
            .control_id = ids[i],
            .label = ids[i],
            .title = titles[i],
            .statement = statement,
            .status = statuses[i % 5],
            .maturity = i % 6,
            .evidence = evidence,
            .answered_at = "2026-03-01T09:00:00Z",
            .review = i % 7 ? "accepted" : "returned",
            .review_comment = i % 7 ? NULL : "Show the signed policy.",
            .files = &files[i],
            .nfiles = 1,
            .observation_uuid = obs[i],
            .finding_uuid = fnd[i],
        };
    }
    struct oscal_results r = tu_oscal_sample(items, CONTROLS, 61.5);
    r.plan_href = "/api/v1/campaigns/c1/oscal";
    r.result_uuid = "9ee1395b-ce4b-4de6-be05-3722a653ae32";
    rb_buf out;
    rb_buf_init(&out, (size_t)64 << 20);
    double wr[MAX_ITER], parse[MAX_ITER];
    int status = 1, findings = 0;
    for (int i = 0; i <= (int)iter; i++) {
        rb_buf_reset(&out);
        double t0 = bench_clock_ms(CLOCK_MONOTONIC);
        int rc = oscal_results_write(&r, &out);
        double t1 = bench_clock_ms(CLOCK_MONOTONIC);
        if (rc) {
            fprintf(stderr, "results_bench: the export failed: %d\n", rc);
            goto done;
        }
        cJSON *doc = NULL;
        rb_errinfo ei;
        double p0 = bench_clock_ms(CLOCK_MONOTONIC);
        int pr = rj_parse(rb_buf_cstr(&out), out.len, OSCAL_MAX_DEPTH, &doc, &ei);
        double p1 = bench_clock_ms(CLOCK_MONOTONIC);
        if (pr != RJ_OK) {
            fprintf(stderr, "results_bench: the document is not JSON\n");
            goto done;
        }
        const cJSON *res = cJSON_GetArrayItem(
            cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(doc, "assessment-results"), "results"),
            0);
        findings = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(res, "findings"));
        cJSON_Delete(doc);
        if (i == 0)
            continue;
        wr[i - 1] = t1 - t0;
        parse[i - 1] = p1 - p0;
    }
    bench_print_median_min("export", wr, (int)iter);
    bench_print_median_min("parse", parse, (int)iter);
    printf("document_bytes=%zu\nfindings=%d\n", out.len, findings);
    status = 0;
done:
    rb_buf_release(&out);
    return status;
}
