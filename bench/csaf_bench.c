/*
 * csaf_bench.c - times the CSAF validator (formats/csaf) in-process against parsing alone.
 *
 * usage: csaf_bench ROUNDS FILE...
 *
 * Reads every FILE into memory once, then ROUNDS times (at least 1; the first also warms the
 * caches and is not counted when there are more): for each file, parses it with rj_parse (what
 * an import does first, the baseline) and then validates the parsed tree with csaf_validate,
 * timing the two apart. Prints "key=value" lines for bench/csaf_validate.sh: the files, the
 * bytes, the medians over the rounds of the parse and the validation milliseconds of all files,
 * documents per second for each, and how many files were not valid (the run is then invalid).
 * Exit status 0, or 1 on any error.
 */
#include "base/common.h"
#include "bench_util.h"
#include "base/buf.h"
#include "base/mem.h"
#include "base/rtime.h"
#include "formats/csaf.h"
#include "json/json.h"

#define MAX_ROUNDS 101

int main(int argc, char **argv)
{
    int64_t rounds;
    if (argc < 3 || rb_parse_int64(argv[1], 1, MAX_ROUNDS, &rounds)) {
        fprintf(stderr, "usage: csaf_bench ROUNDS(1-%d) FILE...\n", MAX_ROUNDS);
        return 1;
    }
    rj_init();
    int n = argc - 2;
    rb_buf *texts = rb_calloc((size_t)n, sizeof(*texts));
    if (!texts)
        return 1;
    size_t bytes = 0;
    for (int i = 0; i < n; i++) {
        rb_buf_init(&texts[i], (size_t)128 << 20);
        if (rb_buf_add_file(&texts[i], argv[i + 2])) {
            fprintf(stderr, "csaf_bench: cannot read %s\n", argv[i + 2]);
            return 1;
        }
        bytes += texts[i].len;
    }
    double parse_ms[MAX_ROUNDS], validate_ms[MAX_ROUNDS];
    int counted = 0, invalid = 0;
    for (int r = 0; r < rounds; r++) {
        double p = 0, v = 0;
        invalid = 0;
        for (int i = 0; i < n; i++) {
            rb_errinfo ei;
            cJSON *root = NULL;
            double t0 = rb_mono_ms();
            if (rj_parse(rb_buf_cstr(&texts[i]), texts[i].len, CSAF_MAX_DEPTH, &root, &ei)) {
                fprintf(stderr, "csaf_bench: %s is not JSON: %s\n", argv[i + 2], ei.msg);
                return 1;
            }
            double t1 = rb_mono_ms();
            rb_arena a;
            rb_arena_init(&a, (size_t)512 << 20);
            struct csaf_report rep;
            int rc = csaf_validate(root, 0, &rep, &a);
            double t2 = rb_mono_ms();
            if (rc || !csaf_report_valid(&rep))
                invalid++;
            rb_arena_release(&a);
            cJSON_Delete(root);
            p += t1 - t0;
            v += t2 - t1;
        }
        if (r == 0 && rounds > 1)
            continue; /* the warm-up */
        parse_ms[counted] = p;
        validate_ms[counted] = v;
        counted++;
    }
    double pm = bench_median(parse_ms, counted), vm = bench_median(validate_ms, counted);
    printf("files=%d\nbytes=%zu\nrounds=%d\ninvalid=%d\n", n, bytes, counted, invalid);
    printf("parse_ms_median=%.2f\nvalidate_ms_median=%.2f\n", pm, vm);
    printf("parse_docs_per_s=%.0f\nvalidate_docs_per_s=%.0f\nboth_docs_per_s=%.0f\n",
           pm > 0 ? n * 1000.0 / pm : 0.0, vm > 0 ? n * 1000.0 / vm : 0.0,
           pm + vm > 0 ? n * 1000.0 / (pm + vm) : 0.0);
    for (int i = 0; i < n; i++)
        rb_buf_release(&texts[i]);
    rb_free(texts);
    return invalid ? 1 : 0;
}
