/*
 * csv.c - RFC 4180 writing and reading (see csv.h).
 *
 * The reader reads the text twice with one scanner: the first pass checks everything and counts
 * records, fields and bytes, allocating nothing; the second, which cannot fail, copies the
 * unquoted fields into three arena blocks sized by the first. So a refused file costs no memory
 * and a caller never sees half a table.
 *
 * Must never: touch the database, read past len, or return part of a bad file.
 */
#include "base/common.h"
#include "base/utf8.h"
#include "formats/csv.h"

/* ---- writing ---- */

void csv_writer_init(csv_writer *w, rb_buf *out, unsigned flags)
{
    w->out = out;
    w->flags = flags;
    w->fields = 0;
}

static void field_sep(csv_writer *w)
{
    if (w->fields++)
        rb_buf_addc(w->out, ',');
}

/* Writes s[0..len) as a text field; quote says whether to quote it when it does not need it. */
static int text_field(csv_writer *w, const char *s, size_t len, bool quote)
{
    bool fold = w->flags & CSV_FOLD_NEWLINES;
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || (!fold && (s[i] == '\r' || s[i] == '\n'));
    field_sep(w);
    if (quote)
        rb_buf_addc(w->out, '"');
    /* A spreadsheet runs a cell starting with one of these as a formula. */
    if (len > 0 && s[0] != '\0' && strchr("=+-@\t\r", s[0]))
        rb_buf_addc(w->out, '\'');
    size_t run = 0; /* bytes copied as they are, in one append */
    for (size_t i = 0; i < len; i++) {
        bool nl = s[i] == '\r' || s[i] == '\n';
        if (s[i] != '"' && !(fold && nl))
            continue;
        rb_buf_add(w->out, s + run, i - run);
        rb_buf_adds(w->out, s[i] == '"' ? "\"\"" : " ");
        run = i + 1;
    }
    rb_buf_add(w->out, s + run, len - run);
    if (quote)
        rb_buf_addc(w->out, '"');
    return w->out->err;
}

int csv_textn(csv_writer *w, const char *s, size_t len)
{
    return text_field(w, s ? s : "", s ? len : 0, w->flags & CSV_QUOTE_ALL);
}

int csv_text(csv_writer *w, const char *s)
{
    return csv_textn(w, s, s ? strlen(s) : 0);
}

int csv_word(csv_writer *w, const char *s)
{
    return text_field(w, s ? s : "", s ? strlen(s) : 0, false);
}

int csv_int(csv_writer *w, int64_t v)
{
    field_sep(w);
    return rb_buf_printf(w->out, "%" PRId64, v);
}

int csv_fixed(csv_writer *w, double v, int decimals)
{
    field_sep(w);
    return rb_buf_printf(w->out, "%.*f", decimals, v);
}

int csv_end(csv_writer *w)
{
    w->fields = 0;
    return rb_buf_add(w->out, "\r\n", 2);
}

int csv_header(csv_writer *w, const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        csv_word(w, names[i]);
    return csv_end(w);
}

/* ---- reading ---- */

int csv_err(rb_errinfo *ei, int code, size_t line, size_t field, const char *fmt, ...)
{
    char where[RB_ERR_FIELD_MAX], msg[RB_ERR_MSG_MAX];
    if (field)
        rb_fmt(where, sizeof(where), "line %zu, field %zu", line, field);
    else
        rb_fmt(where, sizeof(where), "line %zu", line);
    va_list ap;
    va_start(ap, fmt);
    rb_vfmt(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return rb_err(ei, code, where, "%s", msg);
}

/* One pass over the text. Counting (first pass) when dst is NULL; filling (second) otherwise. */
struct scan {
    const char *p, *end;
    const struct csv_limits *lim;
    rb_errinfo *ei;
    size_t line;            /* physical line of p */
    size_t nrecords, width; /* records so far; fields of the first */
    size_t nfields, nbytes; /* fields so far, and their bytes with a NUL each */
    csv_record *records;    /* second pass: where the records, fields and bytes go */
    rb_str *fields;
    char *dst;
};

/* Checks one field's raw bytes src[0..n), len once unquoted (first pass), or copies it unquoted
 * (second pass: the first has checked it). */
static int scan_field(struct scan *sc, const char *src, size_t n, size_t len, bool quoted,
                      size_t line, size_t field)
{
    if (!sc->dst) {
        size_t bad = 0;
        if (len > sc->lim->max_field)
            return csv_err(sc->ei, RB_ETOOBIG, line, field, "the field is longer than %zu bytes",
                           sc->lim->max_field);
        if (memchr(src, '\0', n))
            return csv_err(sc->ei, RB_EINVAL, line, field, "the field holds a NUL byte");
        if (!rb_utf8_valid(src, n, &bad))
            return csv_err(sc->ei, RB_EINVAL, line, field,
                           "the field is not UTF-8 (byte %zu of it); save the file as UTF-8 CSV",
                           bad + 1);
    } else {
        sc->fields[sc->nfields] = (rb_str){sc->dst, len};
        for (size_t i = 0; i < n; i++) {
            *sc->dst++ = src[i];
            if (quoted && src[i] == '"')
                i++; /* a doubled quote is one quote */
        }
        *sc->dst++ = '\0';
    }
    sc->nfields++;
    sc->nbytes += len + 1;
    return 0;
}

/* Reads one field at sc->p, leaving p on what follows it (a comma, a line end or the end). */
static int read_field(struct scan *sc, size_t field)
{
    size_t line = sc->line;
    const char *src = sc->p;
    if (sc->p < sc->end && *sc->p == '"') {
        size_t len = 0;
        src = ++sc->p;
        for (;;) {
            if (sc->p == sc->end)
                return csv_err(sc->ei, RB_EINVAL, line, field,
                               "the quoted field is not closed (a quote is missing)");
            if (*sc->p == '"') {
                if (sc->p + 1 < sc->end && sc->p[1] == '"') {
                    sc->p += 2;
                    len++;
                    continue;
                }
                break;
            }
            if (*sc->p++ == '\n')
                sc->line++;
            len++;
        }
        size_t n = (size_t)(sc->p++ - src);
        if (sc->p < sc->end && *sc->p != ',' && *sc->p != '\r' && *sc->p != '\n')
            return csv_err(sc->ei, RB_EINVAL, sc->line, field,
                           "text after the closing quote (a quote inside a quoted field is "
                           "written twice)");
        return scan_field(sc, src, n, len, true, line, field);
    }
    while (sc->p < sc->end && *sc->p != ',' && *sc->p != '\r' && *sc->p != '\n') {
        if (*sc->p == '"')
            return csv_err(sc->ei, RB_EINVAL, line, field,
                           "a quote inside an unquoted field (quote the field and write the "
                           "quote twice)");
        sc->p++;
    }
    size_t n = (size_t)(sc->p - src);
    return scan_field(sc, src, n, n, false, line, field);
}

/* Reads one record at sc->p, up to and including its line end. */
static int read_record(struct scan *sc)
{
    const char *start = sc->p;
    size_t first = sc->nfields, line = sc->line, n = 0;
    if (sc->nrecords == sc->lim->max_records)
        return csv_err(sc->ei, RB_ETOOBIG, line, 0, "more than %zu records", sc->lim->max_records);
    for (;;) {
        if (++n > sc->lim->max_fields)
            return csv_err(sc->ei, RB_ETOOBIG, sc->line, n, "more than %zu fields",
                           sc->lim->max_fields);
        if (sc->nrecords > 0 && n > sc->width)
            return csv_err(sc->ei, RB_EINVAL, sc->line, n,
                           "more fields than the first record's %zu", sc->width);
        int rc = read_field(sc, n);
        if (rc)
            return rc;
        if (sc->p == sc->end || *sc->p != ',')
            break;
        sc->p++;
    }
    if (sc->p < sc->end && *sc->p == '\r' && (sc->p + 1 == sc->end || sc->p[1] != '\n'))
        return csv_err(sc->ei, RB_EINVAL, sc->line, n,
                       "a carriage return alone (lines end with CRLF or LF)");
    if (sc->nrecords > 0 && n < sc->width)
        return n == 1 && sc->p == start
                   ? csv_err(sc->ei, RB_EINVAL, line, 0,
                             "an empty line, where every record has %zu fields", sc->width)
                   : csv_err(sc->ei, RB_EINVAL, sc->line, n + 1,
                             "fewer fields than the first record's %zu", sc->width);
    if (sc->dst)
        sc->records[sc->nrecords] = (csv_record){sc->fields + first, n, line};
    if (sc->nrecords++ == 0)
        sc->width = n;
    if (sc->p < sc->end) { /* the line end: CRLF or LF */
        sc->p += *sc->p == '\r' ? 2 : 1;
        sc->line++;
    }
    return 0;
}

static int scan_text(struct scan *sc)
{
    while (sc->p < sc->end) {
        int rc = read_record(sc);
        if (rc)
            return rc;
    }
    return 0;
}

int csv_parse(const char *text, size_t len, const struct csv_limits *lim, rb_arena *a,
              csv_table *out, rb_errinfo *ei)
{
    static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
    if (len == 0) {
        *out = (csv_table){0};
        return 0;
    }
    if (len >= 3 && memcmp(text, bom, 3) == 0) {
        text += 3;
        len -= 3;
    }
    struct scan sc = {.p = text, .end = text + len, .lim = lim, .ei = ei, .line = 1};
    int rc = scan_text(&sc);
    if (rc)
        return rc;
    csv_table t = {.nrecords = sc.nrecords, .width = sc.width};
    if (sc.nrecords == 0) {
        *out = t;
        return 0;
    }
    /* Every count is bounded by len (a field takes a byte, but for the last), so no product
     * overflows; the arena's cap bounds them further. */
    struct scan fill = {.p = text, .end = text + len, .lim = lim, .ei = ei, .line = 1};
    fill.records = rb_arena_alloc(a, sc.nrecords * sizeof(*fill.records));
    fill.fields = rb_arena_alloc(a, sc.nfields * sizeof(*fill.fields));
    fill.dst = rb_arena_alloc(a, sc.nbytes);
    if (!fill.records || !fill.fields || !fill.dst)
        return rb_err(ei, RB_ENOMEM, NULL, "no memory for a CSV file of %zu fields", sc.nfields);
    rc = scan_text(&fill);
    if (rc)
        return rc; /* cannot happen: the first pass read the same text */
    t.records = fill.records;
    *out = t;
    return 0;
}

int csv_header_map(const csv_record *h, const char *const *names, const char *known, int *at,
                   rb_errinfo *ei)
{
    for (size_t f = 0; f < h->nfields; f++) {
        int c = -1;
        for (int k = 0; names[k]; k++)
            if (strcasecmp(h->fields[f].ptr, names[k]) == 0)
                c = k;
        if (c < 0)
            return csv_err(ei, RB_EINVAL, h->line, f + 1,
                           "unknown column \"%.*s\"; the columns are %s",
                           (int)rb_utf8_cut(h->fields[f].ptr, 40), h->fields[f].ptr, known);
        for (size_t g = 0; g < f; g++)
            if (at[g] == c)
                return csv_err(ei, RB_EINVAL, h->line, f + 1, "the column \"%s\" appears twice",
                               names[c]);
        at[f] = c;
    }
    return 0;
}

int csv_read_sheet(const char *text, size_t len, size_t max_bytes, const struct csv_limits *lim,
                   const char *header, const char *const *names, const char *known,
                   const int *required, size_t nreq, const char *needs, rb_arena *a,
                   struct csv_sheet *out, rb_errinfo *ei)
{
    if (lim->max_fields > CSV_SHEET_COLUMNS_MAX)
        return rb_err(ei, RB_EINTERNAL, "", "a sheet has at most %d columns",
                      CSV_SHEET_COLUMNS_MAX);
    int rc = csv_read_file(text, len, max_bytes, lim, header, a, &out->t, ei);
    if (rc)
        return rc;
    const csv_record *h = &out->t.records[0];
    if ((rc = csv_header_map(h, names, known, out->at, ei)))
        return rc;
    for (size_t k = 0; k < nreq; k++) {
        bool seen = false;
        for (size_t f = 0; f < h->nfields; f++)
            seen |= out->at[f] == required[k];
        if (!seen)
            return csv_err(ei, RB_EINVAL, h->line, 0,
                           "the header has no column \"%s\" (required: %s)", names[required[k]],
                           needs);
    }
    out->rows = out->t.nrecords - 1;
    return 0;
}

void csv_problem_add(struct csv_problem *p, size_t max, size_t *kept, size_t *bad, size_t line,
                     size_t field, const char *msg)
{
    if (*kept < max) {
        struct csv_problem *x = &p[(*kept)++];
        x->line = line;
        x->field = field;
        rb_strlcpy(x->msg, msg, sizeof(x->msg));
    }
    (*bad)++;
}

int csv_sheet_rows(const struct csv_sheet *sh, size_t size, size_t max_problems, csv_row_fn fn,
                   const void *ctx, rb_arena *a, struct csv_rows *out, rb_errinfo *ei)
{
    struct csv_rows r = {.total = sh->rows};
    r.rows = rb_arena_alloc(a, size * (r.total + 1));
    r.problems = rb_arena_alloc(a, sizeof(*r.problems) * max_problems);
    if (!r.rows || !r.problems)
        return rb_err(ei, RB_ENOMEM, "", "not enough memory for %zu rows", r.total);
    for (size_t i = 1; i < sh->t.nrecords; i++) {
        const csv_record *rec = &sh->t.records[i];
        void *row = (char *)r.rows + size * r.nrows;
        memset(row, 0, size);
        rb_errinfo bad;
        rb_errinfo_clear(&bad);
        size_t field = 0;
        int rc = fn(ctx, rec, sh->at, row, &field, a, &bad);
        if (rc == RB_ENOMEM)
            return rb_err(ei, RB_ENOMEM, "", "not enough memory for %zu rows", r.total);
        if (rc)
            csv_problem_add(r.problems, max_problems, &r.nproblems, &r.nbad, rec->line, field,
                            bad.msg);
        else
            r.nrows++;
    }
    *out = r;
    return 0;
}

int csv_refuse_bad(rb_errinfo *ei, const struct csv_problem *first, size_t nbad, size_t total)
{
    return csv_err(ei, RB_EINVAL, first->line, first->field,
                   "%s (%zu of the file's %zu rows %s bad; nothing was imported)", first->msg, nbad,
                   total, nbad == 1 ? "is" : "are");
}

int csv_read_file(const char *text, size_t len, size_t max_bytes, const struct csv_limits *lim,
                  const char *header, rb_arena *a, csv_table *out, rb_errinfo *ei)
{
    if (len > max_bytes)
        return rb_err(ei, RB_ETOOBIG, "", "the file is %zu bytes long; it may be at most %zu", len,
                      max_bytes);
    csv_table t;
    int rc = csv_parse(text, len, lim, a, &t, ei);
    if (rc)
        return rc;
    if (t.nrecords == 0)
        return rb_err(ei, RB_EINVAL, "line 1", "the file is empty: it needs a header row (%s)",
                      header);
    *out = t;
    return 0;
}
