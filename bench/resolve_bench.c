/*
 * resolve_bench.c - times OSCAL profile resolution in-process against a baseline in the same run.
 *
 * usage: resolve_bench PROFILE.json CATALOG.json [ITERATIONS]
 *
 * Reads both files once, then ITERATIONS times (default 9, after one warm-up):
 *   - resolution: oscal_profile_resolve of PROFILE with every import fetched as CATALOG (the NIST
 *     LOW profile names the full rev5 catalog; the moderate one holds every LOW control), the
 *     resolved catalog written to a buffer;
 *   - the baseline: reading the same two documents, parse only (rj_parse of each: what any
 *     resolver must pay before it does anything).
 * Prints "key=value" lines for bench/guidelines.sh: the medians and minimums in ms, the median
 * CPU time of the resolution, the resolved catalog's size and how many controls it holds (so the
 * script can check it measured a correct resolution). Exit status 0, or 1 on any error.
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/mem.h"
#include "formats/oscal.h"
#include "json/json.h"

#include "bench_util.h"

#define MAX_ITER 101

struct doc {
    const char *text;
    size_t len;
};

static int fetch(void *ctx, const char *href, int depth, struct oscal_source *src, rb_errinfo *ei)
{
    const struct doc *c = ctx;
    RB_UNUSED(href);
    RB_UNUSED(depth);
    RB_UNUSED(ei);
    *src = (struct oscal_source){c->text, c->len, "catalog", NULL};
    return 0;
}

/* Resolves the profile pb against the catalog cb into out iter times (after a warm-up), and parses
 * both as the baseline; prints the lines. Returns 0, or 1 having said why on stderr. */
static int measure(const rb_buf *pb, const rb_buf *cb, rb_buf *out, int iter)
{
    struct doc cat = {rb_buf_cstr(cb), cb->len};
    const struct oscal_resolve_opts o = {fetch,
                                         &cat,
                                         "profile",
                                         "99999999-2222-4333-8444-555555555555",
                                         "2026-01-01T00:00:00Z",
                                         "rabta bench",
                                         "/api/v1/profiles/bench/oscal"};
    double res[MAX_ITER], cpu[MAX_ITER], parse[MAX_ITER];
    for (int i = 0; i <= iter; i++) {
        rb_errinfo ei;
        rb_buf_reset(out);
        double t0 = bench_clock_ms(CLOCK_MONOTONIC), c0 = bench_clock_ms(CLOCK_PROCESS_CPUTIME_ID);
        int rc = oscal_profile_resolve(rb_buf_cstr(pb), pb->len, &o, out, &ei);
        double t1 = bench_clock_ms(CLOCK_MONOTONIC), c1 = bench_clock_ms(CLOCK_PROCESS_CPUTIME_ID);
        if (rc) {
            fprintf(stderr, "resolve_bench: resolution failed: %d %s: %s\n", rc, ei.field, ei.msg);
            return 1;
        }
        cJSON *a = NULL, *b = NULL;
        double p0 = bench_clock_ms(CLOCK_MONOTONIC);
        int pa = rj_parse(rb_buf_cstr(pb), pb->len, OSCAL_MAX_DEPTH, &a, &ei);
        int pc = rj_parse(rb_buf_cstr(cb), cb->len, OSCAL_MAX_DEPTH, &b, &ei);
        double p1 = bench_clock_ms(CLOCK_MONOTONIC);
        cJSON_Delete(a);
        cJSON_Delete(b);
        if (pa != RJ_OK || pc != RJ_OK) {
            fprintf(stderr, "resolve_bench: the documents are not JSON\n");
            return 1;
        }
        if (i == 0) /* the warm-up */
            continue;
        res[i - 1] = t1 - t0;
        cpu[i - 1] = c1 - c0;
        parse[i - 1] = p1 - p0;
    }
    /* The resolved catalog must import: its controls are the check of the run. */
    rb_arena a;
    rb_arena_init(&a, (size_t)256 << 20);
    struct oscal_catalog resolved;
    rb_errinfo ei;
    int prc = oscal_catalog_parse(rb_buf_cstr(out), out->len, &a, &resolved, &ei);
    int controls = prc ? 0 : resolved.ncontrols;
    rb_arena_release(&a);
    if (prc) {
        fprintf(stderr, "resolve_bench: the resolved catalog does not import: %s: %s\n", ei.field,
                ei.msg);
        return 1;
    }
    bench_print_median_min("resolve", res, iter);
    printf("resolve_cpu_ms_median=%.2f\n", bench_median(cpu, iter));
    bench_print_median_min("parse", parse, iter);
    printf("profile_bytes=%zu\ncatalog_bytes=%zu\nresolved_bytes=%zu\ncontrols=%d\n", pb->len,
           cb->len, out->len, controls);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: resolve_bench PROFILE.json CATALOG.json [ITERATIONS]\n");
        return 1;
    }
    int64_t iter = 9;
    if (argc > 3 && rb_parse_int64(argv[3], 1, MAX_ITER - 1, &iter)) {
        fprintf(stderr, "resolve_bench: ITERATIONS must be 1..%d\n", MAX_ITER - 1);
        return 1;
    }
    rj_init();
    rb_buf pb, cb, out;
    rb_buf_init(&pb, OSCAL_MAX_BYTES);
    rb_buf_init(&cb, OSCAL_MAX_BYTES);
    rb_buf_init(&out, OSCAL_MAX_RESOLVED);
    int status = 1;
    if (rb_buf_add_file(&pb, argv[1]) || rb_buf_add_file(&cb, argv[2]))
        fprintf(stderr, "resolve_bench: cannot read %s or %s\n", argv[1], argv[2]);
    else
        status = measure(&pb, &cb, &out, (int)iter);
    rb_buf_release(&pb);
    rb_buf_release(&cb);
    rb_buf_release(&out);
    return status;
}
