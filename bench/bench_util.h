/*
 * bench_util.h - what the in-process benchmarks share: clocks and the median of their runs.
 * Each benchmark is its own program, so everything here is `static inline`. Include it after
 * "base/common.h".
 */
#ifndef RABTA_BENCH_UTIL_H
#define RABTA_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/buf.h"

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

/* Reads a whole file (at most 64 MiB) into a malloc'd NUL-terminated buffer (free with rb_free);
 * NULL when it cannot. Needs "base/buf.h". */
static inline char *bench_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    rb_buf b;
    rb_buf_init(&b, (size_t)64 << 20);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (rb_buf_add(&b, chunk, n))
            break;
    fclose(f);
    if (b.err) {
        rb_buf_release(&b);
        return NULL;
    }
    return rb_buf_detach(&b, len);
}

#endif
