/*
 * csv.h - comma-separated values (RFC 4180): a writer into a capped rb_buf, and a strict reader.
 *
 * Writing. Fields are separated by commas and every record ends with CRLF. A text field is quoted
 * when it holds a comma, a quote, a CR or an LF (or always, with CSV_QUOTE_ALL), and a quote
 * inside is written twice. A text field whose first byte is '=', '+', '-', '@', a tab or a CR is
 * written with a leading ' (inside the quotes, if any), so that a spreadsheet shows it as text
 * instead of running it as a formula ("CSV injection"); numbers are written bare and never
 * guarded, so that a negative number stays a number. The guard changes the text: a file written
 * here and read back gives the guarded text.
 *
 * Reading. csv_parse reads a whole text into records of fields, or refuses it: nothing is
 * returned from a bad file, and the refusal names the line and field of the first problem
 * ("line 12, field 3"). The reader is strict where RFC 4180 is:
 *   - a quote may only open a field, close it, or stand twice inside a quoted field;
 *   - records end with CRLF or LF (both are read; a CR alone outside quotes is refused); inside
 *     quotes CR and LF are data, kept as they are;
 *   - the last record may end with a line break or not; an empty line is a record of one empty
 *     field, so a blank line in a file of wider records is refused (it says so), and a last
 *     record of one empty field is read only when its line break follows it;
 *   - every record has as many fields as the first;
 *   - every field is UTF-8 without NUL bytes;
 *   - a UTF-8 byte order mark (EF BB BF) at the very start is skipped, as spreadsheets write one;
 *     anywhere else it is data;
 *   - an empty text (or one holding only the mark) has no records.
 * Lines are counted from 1, physically: a line break inside a quoted field starts a new line, so
 * the numbers are those an editor shows. Fields are counted from 1.
 *
 * A pure codec: no database, no HTTP, no files, no clock; it depends only on base/.
 */
#ifndef RABTA_CSV_H
#define RABTA_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/mem.h"

/* ---- writing ---- */

enum csv_flags {
    CSV_QUOTE_ALL = 1,     /* quote every text field, not only those that need it */
    CSV_FOLD_NEWLINES = 2, /* a CR or LF inside a text field is written as a space */
};

typedef struct csv_writer {
    rb_buf *out;    /* not owned; its cap bounds the text */
    unsigned flags; /* enum csv_flags */
    size_t fields;  /* written so far in the current record */
} csv_writer;

/* Starts writing records at the end of out. */
void csv_writer_init(csv_writer *w, rb_buf *out, unsigned flags);

/* Each of these writes one field of the current record (a comma first, unless it is the first)
 * and returns 0, or out's sticky error (RB_ETOOBIG past its cap, RB_ENOMEM): after an error, out
 * holds a cut text and every later call returns the error again. */

/* A text field (NULL is empty): guarded, quoted when needed or always (CSV_QUOTE_ALL). */
int csv_text(csv_writer *w, const char *s);
int csv_textn(csv_writer *w, const char *s, size_t len);
/* A word the program chose (a column name, an enum value): as csv_text, but quoted only when it
 * needs it, whatever CSV_QUOTE_ALL says. */
int csv_word(csv_writer *w, const char *s);
/* A number, bare: "%" PRId64, and "%.*f" with `decimals` digits after the point. */
int csv_int(csv_writer *w, int64_t v);
int csv_fixed(csv_writer *w, double v, int decimals);
/* Ends the current record with CRLF. */
int csv_end(csv_writer *w);
/* A whole record of words (NULL-terminated names), ended: a header. */
int csv_header(csv_writer *w, const char *const *names);

/* ---- reading ---- */

/* Caps of csv_parse; a file past one is refused with RB_ETOOBIG naming the line and field. */
struct csv_limits {
    size_t max_records; /* records, a header included */
    size_t max_fields;  /* fields in one record */
    size_t max_field;   /* bytes of one field, once unquoted */
};

typedef struct csv_record {
    rb_str *fields; /* each NUL-terminated too (the NUL is not counted in len) */
    size_t nfields;
    size_t line; /* the line the record starts on, for messages about its values */
} csv_record;

typedef struct csv_table {
    csv_record *records;
    size_t nrecords;
    size_t width; /* fields in every record; 0 when there are none */
} csv_table;

/*
 * Parses text[0..len) as RFC 4180 CSV (see above) into out, everything allocated in a.
 * Returns 0; RB_EINVAL for a bad file and RB_ETOOBIG past a cap, with ei->field naming the place
 * ("line 12, field 3") and ei->msg what is wrong; RB_ENOMEM when the arena is full. out is set
 * only on success; on failure it is untouched, and a refused file allocates nothing.
 */
int csv_parse(const char *text, size_t len, const struct csv_limits *lim, rb_arena *a,
              csv_table *out, rb_errinfo *ei);

/* Fills ei for a problem at a place of a parsed file, as csv_parse does ("line 12, field 3";
 * field 0 names the line alone), so that a caller checking the values reports alike. Returns
 * code. */
int csv_err(rb_errinfo *ei, int code, size_t line, size_t field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* ---- files of named columns (an import) ---- */

/* csv_parse of a file of at most max_bytes that must hold a header row: RB_ETOOBIG past
 * max_bytes, RB_EINVAL for an empty file ("line 1": it needs the header `header`, as
 * "vendor,product,..."), else as csv_parse. */
int csv_read_file(const char *text, size_t len, size_t max_bytes, const struct csv_limits *lim,
                  const char *header, rb_arena *a, csv_table *out, rb_errinfo *ei);

/* Maps the header record h to the columns named in names (NULL-terminated, compared without
 * case): at[f] = the index in names of field f (at holds h->nfields). Refuses an unknown name
 * (the message lists `known`) or a name given twice: RB_EINVAL with ei naming "line L, field F".
 * Returns 0 with every field mapped. */
int csv_header_map(const csv_record *h, const char *const *names, const char *known, int *at,
                   rb_errinfo *ei);

/* An import's file read whole: csv_read_file, then its header mapped by csv_header_map (names,
 * known) into at, then each of the nreq columns `required` (indexes into names) demanded: RB_EINVAL
 * "the header has no column \"x\" (required: <needs>)" at the header's line for the first one
 * missing. rows is the number of records after the header. */
#define CSV_SHEET_COLUMNS_MAX 40 /* lim->max_fields of a sheet may not pass this */
struct csv_sheet {
    csv_table t;
    int at[CSV_SHEET_COLUMNS_MAX];
    size_t rows;
};
int csv_read_sheet(const char *text, size_t len, size_t max_bytes, const struct csv_limits *lim,
                   const char *header, const char *const *names, const char *known,
                   const int *required, size_t nreq, const char *needs, rb_arena *a,
                   struct csv_sheet *out, rb_errinfo *ei);

/* One bad row of a file: its line, the field (from 1; 0 for the row) and why. */
struct csv_problem {
    size_t line, field;
    char msg[RB_ERR_MSG_MAX];
};
/* Keeps a bad row's problem in p (while *kept < max) and counts it in *bad. */
void csv_problem_add(struct csv_problem *p, size_t max, size_t *kept, size_t *bad, size_t line,
                     size_t field, const char *msg);

/* The rows of a sheet read by csv_sheet_rows: the good ones, an array of the caller's struct
 * (nrows of them, room for total), and the first problems of the nbad bad ones. */
struct csv_rows {
    void *rows;
    size_t nrows, total, nbad;
    struct csv_problem *problems;
    size_t nproblems;
};

/* Reads record rec of a sheet into row (zeroed; at maps its fields as in struct csv_sheet) and
 * checks it. Returns 0 for a good row; for a bad one the refusal, bad saying why and *field the
 * field (from 1) it is about, 0 for the row as a whole; RB_ENOMEM stops the read. */
typedef int (*csv_row_fn)(const void *ctx, const csv_record *rec, const int *at, void *row,
                          size_t *field, rb_arena *a, rb_errinfo *bad);

/* Reads every row of sh (after its header) with fn into out, rows of `size` bytes allocated in a,
 * keeping the first max_problems problems (csv_problem_add). Returns 0 when each row is either
 * good or a kept problem, or RB_ENOMEM ("not enough memory for N rows" in ei). */
int csv_sheet_rows(const struct csv_sheet *sh, size_t size, size_t max_problems, csv_row_fn fn,
                   const void *ctx, rb_arena *a, struct csv_rows *out, rb_errinfo *ei);

/* Refuses the import of a file with bad rows: RB_EINVAL at the place of its first problem, with
 * that problem's message and how many of the file's total rows are bad ("nothing was imported").
 */
int csv_refuse_bad(rb_errinfo *ei, const struct csv_problem *first, size_t nbad, size_t total);

#endif
