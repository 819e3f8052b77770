/*
 * prodmatch_bench.c - times matching one CSAF advisory against a national inventory, in-process,
 * against a baseline in the same run.
 *
 * usage: prodmatch_bench ADVISORY.json [ORGS [ITEMS [ITERATIONS]]]
 *
 * Reads the advisory (formats/csaf_products) and prepares its affected products (pm_prepare),
 * then makes ORGS synthetic orgs (default 10000) of ITEMS inventory items each (default 50),
 * from a fixed seed:
 *   - most items name vendors and products the advisory does not (5% with a CPE, 5% with a PURL);
 *   - 10% name one of the advisory's vendors, written as people do ("SIEMENS AG", "Siemens"),
 *     with a product of that vendor the advisory does not list (same first word, other model),
 *     so the vendor index finds them and the product comparison has to turn them down;
 *   - 1% of the orgs get one item that is an affected product with a version inside its range,
 *     and 1% an item of an affected product with a version outside it (a decoy).
 * The orgs that must come out likely affected are worked out apart, by pm_match on every planted
 * and decoy item against every affected product; the run fails if the set's answer differs.
 *
 * Measured, ITERATIONS times (default 9): pm_set_match over every item of every org (an org is
 * flagged when any item has a hit), first with the items as written (each vendor normalised
 * while it is matched), then with each item's pm_vendor_key made once beforehand (as an
 * inventory table that stores it would give them; the time to make the keys is printed too).
 * Baseline: a plain loop over the same items comparing one string (strcmp of the vendor with
 * "Siemens"). Prints "key=value" lines for bench/prodmatch.sh: medians and minimum in ms (wall
 * and CPU), the preparation's time, counts and the check.
 * Exit status 0, or 1 on any error or a wrong answer.
 */
#include "base/common.h"
#include "bench_util.h"
#include "base/buf.h"
#include "base/mem.h"
#include "formats/csaf_products.h"
#include "formats/prodmatch.h"

#define MAX_ITER 101
#define NAME_LEN 64

/* xorshift64*: the same inventory on every run. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ull) >> 33) % n;
}

/* An arena copy of a formatted string; exits on failure (a benchmark has no recovery). */
static const char *fmt(rb_arena *a, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt(rb_arena *a, const char *f, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, f);
    rb_vfmt(buf, sizeof(buf), f, ap);
    va_end(ap);
    const char *s = rb_arena_strdup(a, buf);
    if (!s) {
        fprintf(stderr, "prodmatch_bench: out of memory\n");
        exit(1);
    }
    return s;
}

/* The first word of s, into out. */
static void first_word_of(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    while (s[n] && s[n] != ' ' && n + 1 < cap)
        n++;
    memcpy(out, s, n);
    out[n] = '\0';
}

/* Whether item it matches some affected product of ps (the slow way: pm_match on each). */
static bool matches_any(const struct pm_item *it, const struct csaf_products *ps, bool *in)
{
    bool hit = false;
    *in = false;
    for (int k = 0; k < ps->n; k++) {
        enum pm_sure sure;
        if (ps->items[k].affected && pm_match(it, &ps->items[k], &sure) != PM_NONE) {
            hit = true;
            *in |= sure == PM_VERSION_IN;
        }
    }
    return hit;
}

/* A version for item it (vendor and product set) of product p that is inside p's range
 * (want_in), or that no affected product of ps matches; NULL when no candidate is. */
static const char *pick_version(rb_arena *a, struct pm_item *it, const struct csaf_product *p,
                                const struct csaf_products *ps, bool want_in)
{
    const char *cands[PM_RANGE_MAX + 8];
    int nc = 0;
    struct pm_range r;
    const char *text = p->version_range ? p->version_range : p->version;
    if (text && pm_range_parse(text, &r) == 0) {
        for (int i = 0; i < r.n; i++)
            cands[nc++] = fmt(a, "%s", r.buf + r.c[i].off);
    }
    static const char *const fixed[] = {"0.1", "1.0", "2.5", "99999.0"};
    for (size_t i = 0; i < RB_ARRAY_LEN(fixed); i++)
        cands[nc++] = fixed[i];
    for (int i = 0; i < nc; i++) {
        it->version = cands[i];
        bool in;
        bool hit = matches_any(it, ps, &in);
        if (want_in ? hit && in : !hit)
            return cands[i];
    }
    it->version = NULL;
    return NULL;
}

int main(int argc, char **argv)
{
    int64_t orgs = 10000, per_org = 50, iters = 9;
    if (argc < 2 || argc > 5 || (argc > 2 && rb_parse_int64(argv[2], 1, 1000000, &orgs)) ||
        (argc > 3 && rb_parse_int64(argv[3], 1, 1000, &per_org)) ||
        (argc > 4 && rb_parse_int64(argv[4], 1, MAX_ITER, &iters))) {
        fprintf(stderr, "usage: prodmatch_bench ADVISORY.json [ORGS [ITEMS [ITERATIONS(1..%d)]]]\n",
                MAX_ITER);
        return 1;
    }
    rb_arena a;
    rb_arena_init(&a, (size_t)1 << 30);
    int status = 1;
    rb_buf text;
    rb_buf_init(&text, (size_t)64 << 20);
    cJSON *doc = rb_buf_add_file(&text, argv[1]) ? NULL : cJSON_ParseWithLength(text.ptr, text.len);
    rb_buf_release(&text);
    if (!doc) {
        fprintf(stderr, "prodmatch_bench: cannot read %s as JSON\n", argv[1]);
        goto out;
    }

    /* the advisory: walk and prepare, timed */
    double t_prep[MAX_ITER];
    struct csaf_products ps;
    struct pm_set *set = NULL;
    rb_errinfo ei;
    for (int i = 0; i < (int)iters; i++) {
        double t0 = bench_clock_ms(CLOCK_MONOTONIC);
        if (csaf_products_read(doc, &a, &ps, &ei) || pm_prepare(ps.items, ps.n, &a, &set, &ei)) {
            fprintf(stderr, "prodmatch_bench: %s: %s\n", argv[1], ei.msg);
            goto out;
        }
        t_prep[i] = bench_clock_ms(CLOCK_MONOTONIC) - t0;
    }
    int naff = 0;
    int *aff = rb_arena_alloc(&a, sizeof(int) * (size_t)(ps.n ? ps.n : 1));
    for (int i = 0; i < ps.n; i++) {
        if (ps.items[i].affected && ps.items[i].vendor && ps.items[i].product)
            aff[naff++] = i;
    }
    if (naff == 0) {
        fprintf(stderr, "prodmatch_bench: %s has no affected product with a vendor\n", argv[1]);
        goto out;
    }

    /* the inventory */
    size_t nitems = (size_t)(orgs * per_org);
    struct pm_item *items = rb_arena_alloc(&a, sizeof(*items) * nitems);
    bool *planted = rb_arena_alloc(&a, sizeof(bool) * nitems);
    if (!items || !planted) {
        fprintf(stderr, "prodmatch_bench: out of memory for %zu items\n", nitems);
        goto out;
    }
    enum { NVENDORS = 2000, NPRODUCTS = 20000, NVERSIONS = 200 };
    static const char *vendors[NVENDORS], *products[NPRODUCTS], *versions[NVERSIONS];
    for (int i = 0; i < NVENDORS; i++)
        vendors[i] = fmt(&a, "Benchvendor%04d %s", i, i % 3 ? "Industrial Ltd." : "Systems");
    for (int i = 0; i < NPRODUCTS; i++)
        products[i] = fmt(&a, "Model%c%d Controller %d", 'A' + i % 26, i, i % 7);
    for (int i = 0; i < NVERSIONS; i++)
        versions[i] = fmt(&a, "%d.%d.%d", i % 9, i % 13, i);
    static const char *const spellings[] = {"%s", "%s AG", "%s Inc.", "%s Corporation"};
    int n_vendor_decoys = 0, n_planted = 0, n_out = 0;
    for (size_t i = 0; i < nitems; i++) {
        struct pm_item *it = &items[i];
        memset(it, 0, sizeof(*it));
        uint32_t roll = rnd(100);
        if (roll < 10) {
            /* an advisory vendor, a product it does not list */
            const struct csaf_product *p = &ps.items[aff[rnd((uint32_t)naff)]];
            char w[NAME_LEN];
            first_word_of(p->product, w, sizeof(w));
            it->vendor = fmt(&a, spellings[rnd(4)], p->vendor);
            it->product = fmt(&a, "%s Benchmodel%u", w, rnd(100000));
            it->version = versions[rnd(NVERSIONS)];
            n_vendor_decoys++;
            continue;
        }
        /* every item its own strings, as rows read from a database would be */
        it->vendor = fmt(&a, "%s", vendors[rnd(NVENDORS)]);
        it->product = fmt(&a, "%s", products[rnd(NPRODUCTS)]);
        it->version = fmt(&a, "%s", versions[rnd(NVERSIONS)]);
        if (roll < 15)
            it->cpe = fmt(&a, "cpe:2.3:a:benchvendor%u:model%u:%s:*:*:*:*:*:*:*", rnd(NVENDORS),
                          rnd(NPRODUCTS), it->version);
        else if (roll < 20)
            it->purl = fmt(&a, "pkg:npm/benchpkg%u@%s", rnd(NPRODUCTS), it->version);
    }
    /* 1% of the orgs with a match, 1% with a decoy outside the range */
    for (int64_t o = 0; o < orgs; o++) {
        uint32_t roll = rnd(100);
        if (roll > 1)
            continue;
        size_t i = (size_t)(o * per_org) + rnd((uint32_t)per_org);
        struct pm_item *it = &items[i];
        /* a decoy needs a product whose range leaves some version out: a few tries */
        for (int tries = 0; tries < 20; tries++) {
            const struct csaf_product *p = &ps.items[aff[rnd((uint32_t)naff)]];
            memset(it, 0, sizeof(*it));
            it->vendor = fmt(&a, spellings[rnd(4)], p->vendor);
            it->product = p->product;
            if (pick_version(&a, it, p, &ps, roll == 0))
                break;
            it->version = roll == 0 ? NULL : "99999.0";
        }
        planted[i] = true;
        n_planted += roll == 0;
        n_out += roll == 1;
    }
    /* what must come out, worked out the slow way */
    bool *want = rb_arena_alloc(&a, sizeof(bool) * (size_t)orgs);
    if (!want)
        goto out;
    int64_t n_want = 0;
    for (size_t i = 0; i < nitems; i++) {
        if (!planted[i])
            continue;
        bool in;
        if (matches_any(&items[i], &ps, &in) && !want[i / (size_t)per_org]) {
            want[i / (size_t)per_org] = true;
            n_want++;
        }
    }

    /* baseline: one string comparison per item */
    double t_base[MAX_ITER], t_match[MAX_ITER], c_match[MAX_ITER];
    volatile int64_t sink = 0;
    for (int r = 0; r < (int)iters; r++) {
        double t0 = bench_clock_ms(CLOCK_MONOTONIC);
        int64_t c = 0;
        for (size_t i = 0; i < nitems; i++)
            c += strcmp(items[i].vendor, "Siemens") == 0;
        t_base[r] = bench_clock_ms(CLOCK_MONOTONIC) - t0;
        sink += c;
    }
    /* measured: every org's items against the advisory */
    int64_t flagged = 0, hits_total = 0, wrong = 0;
    double t_keyed[MAX_ITER], t_keys = 0;
    for (int keyed = 0; keyed < 2; keyed++) {
        if (keyed) {
            /* the vendor keys an inventory table would store, made once */
            double t0 = bench_clock_ms(CLOCK_MONOTONIC);
            for (size_t i = 0; i < nitems; i++) {
                char key[PM_NAME_MAX];
                size_t n = pm_vendor_key(items[i].vendor, key, sizeof(key));
                items[i].vendor_key = rb_arena_strndup(&a, key, n);
            }
            t_keys = bench_clock_ms(CLOCK_MONOTONIC) - t0;
        }
        for (int r = 0; r < (int)iters; r++) {
            double t0 = bench_clock_ms(CLOCK_MONOTONIC),
                   c0 = bench_clock_ms(CLOCK_PROCESS_CPUTIME_ID);
            flagged = hits_total = 0;
            wrong = 0;
            for (int64_t o = 0; o < orgs; o++) {
                bool any = false;
                for (int64_t j = 0; j < per_org; j++) {
                    struct pm_hit hits[8];
                    int n = pm_set_match(set, &items[o * per_org + j], hits, 8);
                    hits_total += n;
                    any |= n > 0;
                }
                flagged += any;
                wrong += any != want[o];
            }
            if (keyed) {
                t_keyed[r] = bench_clock_ms(CLOCK_MONOTONIC) - t0;
            } else {
                t_match[r] = bench_clock_ms(CLOCK_MONOTONIC) - t0;
                c_match[r] = bench_clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
            }
        }
        if (wrong)
            break;
    }
    double min_match = t_match[0];
    for (int r = 1; r < (int)iters; r++)
        min_match = t_match[r] < min_match ? t_match[r] : min_match;
    double keyed_med = wrong ? 0 : bench_median(t_keyed, (int)iters);
    printf("advisory=%s\nproducts=%d\naffected=%d\n", argv[1], ps.n, pm_set_size(set));
    printf("orgs=%" PRId64 "\nitems_per_org=%" PRId64 "\nitems=%zu\n", orgs, per_org, nitems);
    printf("vendor_decoy_items=%d\nplanted_in=%d\nplanted_out=%d\n", n_vendor_decoys, n_planted,
           n_out);
    printf("expected_orgs=%" PRId64 "\nflagged_orgs=%" PRId64 "\nwrong_orgs=%" PRId64
           "\nhits=%" PRId64 "\n",
           n_want, flagged, wrong, hits_total);
    printf("iterations=%d\n", (int)iters);
    printf("prepare_ms_median=%.3f\n", bench_median(t_prep, (int)iters));
    printf("baseline_ms_median=%.2f\n", bench_median(t_base, (int)iters));
    printf("match_ms_median=%.2f\nmatch_ms_min=%.2f\nmatch_cpu_ms_median=%.2f\n",
           bench_median(t_match, (int)iters), min_match, bench_median(c_match, (int)iters));
    printf("vendor_keys_ms=%.2f\nmatch_keyed_ms_median=%.2f\n", t_keys, keyed_med);
    status = wrong == 0 && sink >= 0 ? 0 : 1;
    if (wrong)
        fprintf(stderr, "prodmatch_bench: %" PRId64 " orgs flagged wrongly\n", wrong);
out:
    cJSON_Delete(doc);
    rb_arena_release(&a);
    return status;
}
