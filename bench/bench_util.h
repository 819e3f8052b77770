/*
 * bench_util.h - what the in-process benchmarks share: clocks and the median of their runs.
 * Each benchmark is its own program, so everything here is `static inline`. Include it after
 * "base/common.h".
 */
#ifndef RABTA_BENCH_UTIL_H
#define RABTA_BENCH_UTIL_H

#include <stdlib.h>
#include <time.h>

/* The clock id's time in ms (CLOCK_MONOTONIC: wall; CLOCK_PROCESS_CPUTIME_ID: this process's
 * CPU). */
static inline double bench_clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of v[0..n) (sorts v). */
static inline double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), bench_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif
