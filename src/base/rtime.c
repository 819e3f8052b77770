/* rtime.c - RFC 3339 formatting and parsing without locale or time zone state. */
#include "base/common.h"
#include "base/rtime.h"

/* The times rb_time_format writes exactly: 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z. */
#define TIME_MIN INT64_C(-62167219200)
#define TIME_MAX INT64_C(253402300799)

static int64_t fake_now = -1;

void rb_time_set_fake(int64_t t)
{
    fake_now = t;
}

static char clock_file[512];

void rb_time_set_file(const char *path)
{
    if (rb_strlcpy(clock_file, path ? path : "", sizeof(clock_file)))
        clock_file[0] = '\0';
}

/* The time a test wrote in the clock file: epoch seconds or an RFC 3339 time; -1 when the file
 * cannot be read or holds neither. */
static int64_t file_now(void)
{
    FILE *f = fopen(clock_file, "r");
    if (!f)
        return -1;
    char buf[64];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    int64_t t;
    if (!rb_parse_int64(buf, 0, INT64_C(253402300799), &t) || !rb_time_parse(buf, &t))
        return t;
    return -1;
}

int64_t rb_now(void)
{
    if (fake_now >= 0)
        return fake_now;
    if (clock_file[0]) {
        int64_t t = file_now();
        if (t >= 0)
            return t;
    }
    return (int64_t)time(NULL);
}

/* y-m-d of the day `z` days after 1970-01-01, proleptic Gregorian (the inverse of
 * days_from_civil below, by the same method). */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

void rb_time_format(int64_t t, char out[RB_TIME_SIZE])
{
    /* Arithmetic, not gmtime_r: glibc's takes a process-wide lock (tzset_lock) on every call,
     * and answers format a dozen times each. */
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400, y = 0;
    int m = 1, d = 1;
    civil_from_days(days, &y, &m, &d);
    /* Written digit by digit: years outside 0..9999 are clamped, so the output always fits. */
    y = y < 0 ? 0 : (y > 9999 ? 9999 : y);
    const int parts[6] = {(int)y,          m, d, (int)(secs / 3600), (int)(secs / 60 % 60),
                          (int)(secs % 60)};
    static const char seps[6] = {'-', '-', 'T', ':', ':', 'Z'};
    size_t o = 0;
    for (int i = 0; i < 6; i++) {
        int v = parts[i], width = i == 0 ? 4 : 2;
        for (int k = width - 1; k >= 0; k--) {
            out[o + (size_t)k] = (char)('0' + v % 10);
            v /= 10;
        }
        o += (size_t)width;
        out[o++] = seps[i];
    }
    out[o] = '\0';
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's method). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int rb_date_parse(const char *s, int64_t *out)
{
    int64_t t = 0;
    if (!s || strlen(s) != 10 || rb_time_parse(s, &t))
        return RB_EINVAL;
    if (out)
        *out = t;
    return 0;
}

int64_t rb_time_of(const char *s)
{
    int64_t t = 0;
    if (!s || rb_time_parse(s, &t))
        return 0;
    return t;
}

int rb_time_parse(const char *s, int64_t *out)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h = 0, mi = 0, se = 0;
    size_t n = s ? strlen(s) : 0;
    if (n < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
        digits(s + 8, 2, &d))
        return RB_EINVAL;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
        return RB_EINVAL;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap)
        return RB_EINVAL;
    int64_t offset = 0;
    if (n > 10) {
        if ((s[10] != 'T' && s[10] != 't') || n < 20 || digits(s + 11, 2, &h) || s[13] != ':' ||
            digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &se))
            return RB_EINVAL;
        if (h > 23 || mi > 59 || se > 60)
            return RB_EINVAL;
        const char *p = s + 19;
        if (*p == '.') {
            p++;
            if (*p < '0' || *p > '9')
                return RB_EINVAL;
            while (*p >= '0' && *p <= '9')
                p++;
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh, om;
            if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 || om > 59)
                return RB_EINVAL;
            offset = (int64_t)(oh * 3600 + om * 60) * (*p == '+' ? 1 : -1);
            p += 6;
        } else {
            return RB_EINVAL;
        }
        if (*p)
            return RB_EINVAL;
    }
    int64_t t =
        days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + (se == 60 ? 59 : se) - offset;
    /* An offset can carry a time past year 9999 or before year 0 in UTC, where rb_time_format
     * would clamp the year and so write another time: refuse what cannot be written back. */
    if (t < TIME_MIN || t > TIME_MAX)
        return RB_EINVAL;
    *out = t;
    return 0;
}

double rb_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}
