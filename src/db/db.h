/*
 * db.h - the database layer: connect, prepare, bind, step, read columns, transactions, migrate.
 *
 * Core modules write portable SQL with numbered placeholders (?1, ?2, ...), which the SQLite
 * backend takes as they are and a PostgreSQL backend will rewrite to $1, $2, .... Nothing above
 * this layer includes sqlite3.h. One rb_db belongs to one thread at a time (the server opens one
 * per worker thread).
 *
 * Statements are cached per connection, keyed by the address of the SQL text, so the SQL passed to
 * db_prepare must have static storage (a string literal). Every prepared statement must be handed
 * back with db_done, which resets it for the next user.
 */
#ifndef RABTA_DB_H
#define RABTA_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/mem.h"
#include "base/record.h"

typedef struct rb_db rb_db;
typedef struct rb_stmt rb_stmt;

enum { DB_DONE = 0, DB_ROW = 1 };

enum db_open_flags {
    DB_OPEN_CREATE = 1,  /* create the file when absent */
    DB_OPEN_MIGRATE = 2, /* apply pending migrations */
};

/* Opens (and with DB_OPEN_MIGRATE brings up to date) the database at path, in WAL mode with
 * foreign keys on. Returns 0 and *out, or RB_EDB / RB_ESCHEMA (a newer schema than this binary
 * knows, or a file that is not a rabta database) with ei->msg saying what to do. */
int db_open(const char *path, int flags, rb_db **out, rb_errinfo *ei);
void db_close(rb_db *db);

/* The schema version recorded in the database, and the newest this binary knows. */
int db_schema_version(rb_db *db);
int db_schema_latest(void);

/* Prepares (or takes from the cache) a statement. Returns 0 or RB_EDB (logged with the SQL). */
int db_prepare(rb_db *db, const char *sql, rb_stmt **out);
/* Resets the statement and its bindings and returns it to the cache. NULL is allowed. */
void db_done(rb_stmt *st);

/* Binds to placeholder ?idx (1-based). Text is copied. NULL text binds SQL NULL. */
int db_bind_text(rb_stmt *st, int idx, const char *s);
int db_bind_textn(rb_stmt *st, int idx, const char *s, size_t n);
int db_bind_int(rb_stmt *st, int idx, int64_t v);
int db_bind_double(rb_stmt *st, int idx, double v);
/* Binds n bytes as a BLOB (copied). */
int db_bind_blob(rb_stmt *st, int idx, const void *data, size_t n);
int db_bind_null(rb_stmt *st, int idx);
/* Binds a time, seconds since the epoch, as RFC 3339 UTC text (base/rtime); NULL when t <= 0. */
int db_bind_time(rb_stmt *st, int idx, int64_t t);

/* DB_ROW when a row is available, DB_DONE at the end, RB_ECONFLICT on a constraint violation,
 * RB_EDB otherwise. */
int db_step(rb_stmt *st);

/* Columns of the current row (0-based). Text is valid until the next step or db_done; NULL for
 * SQL NULL. */
const char *db_col_text(rb_stmt *st, int col);
/* A BLOB column's bytes (valid until the next step or db_done) and its size. */
const void *db_col_blob(rb_stmt *st, int col, size_t *n);
int64_t db_col_int(rb_stmt *st, int col);
double db_col_double(rb_stmt *st, int col);
bool db_col_null(rb_stmt *st, int col);
/* A copy of a text column in the arena (NULL for SQL NULL or when the arena is full; check
 * rb_arena's state with db_col_null when the difference matters). */
char *db_col_dup(rb_stmt *st, int col, rb_arena *a);

/* Copies the current row of st into row as rec describes it (base/record.h): column i into the
 * i-th member that has a column, texts copied into the arena (NULL for SQL NULL, or when the
 * arena is full). The SELECT lists its columns in the order of rec's members. */
void db_fill(rb_stmt *st, rb_arena *a, const struct rb_record *rec, void *row);

/* Steps st once and, when it gives a row, fills row from it (db_fill); hands st back in every
 * case. Returns 0, RB_ENOTFOUND when there is no row, or the step's error. */
int db_one(rb_stmt *st, rb_arena *a, const struct rb_record *rec, void *row);

/* Reads one page of rows: steps st and fills (db_fill) at most `limit` structs of rec, allocated
 * together in the arena; select limit + 1 rows so *more can tell whether another page follows.
 * rows is the address of the caller's pointer to rec's struct (a T **), set with *n on success
 * only. Hands st back (db_done) in every case. Returns 0 or the step's error. */
int db_page(rb_stmt *st, int limit, const struct rb_record *rec, rb_arena *a, void *rows, int *n,
            bool *more);

/* Reads every row of st (lists that are bounded by what they belong to: an object's grants or
 * files) into one array of rec's structs in the arena, growing it as needed; rows as db_page's.
 * Hands st back in every case. Returns 0, RB_ENOMEM (the arena is full) or the step's error. */
int db_rows(rb_stmt *st, const struct rb_record *rec, rb_arena *a, void *rows, int *n);

/* A value to bind to a placeholder, in an argument list DB_ARGS(DB_TEXT(id), DB_INT(n), ...)
 * whose i-th value binds ?i+1. DB_TEXT(NULL) binds SQL NULL; DB_INT_OR_NULL(cond, v) and
 * DB_DOUBLE_OR_NULL(cond, v) bind v when cond holds, else NULL, and DB_INDEX(v) when v >= 0;
 * DB_TIME(t) binds a time as db_bind_time does; texts and blobs are copied. */
enum db_arg_type { DB_ARG_TEXT, DB_ARG_INT, DB_ARG_DOUBLE, DB_ARG_NULL, DB_ARG_BLOB, DB_ARG_TIME };
struct db_arg {
    enum db_arg_type type;
    const char *text;
    int64_t i;
    double d;
    const void *blob;
    size_t n;
};
#define DB_TEXT(s) {.type = DB_ARG_TEXT, .text = (s)}
#define DB_INT(v) {.type = DB_ARG_INT, .i = (v)}
#define DB_DOUBLE(v) {.type = DB_ARG_DOUBLE, .d = (v)}
#define DB_INT_OR_NULL(cond, v) {.type = (cond) ? DB_ARG_INT : DB_ARG_NULL, .i = (v)}
#define DB_INDEX(v) DB_INT_OR_NULL((v) >= 0, (v)) /* a position; NULL when below 0 (none) */
#define DB_DOUBLE_OR_NULL(cond, v) {.type = (cond) ? DB_ARG_DOUBLE : DB_ARG_NULL, .d = (v)}
#define DB_BLOB(p, len) {.type = DB_ARG_BLOB, .blob = (p), .n = (len)}
#define DB_TIME(t) {.type = DB_ARG_TIME, .i = (t)}
/* The (array, count) pair the functions below take. */
#define DB_ARGS(...)                                                                               \
    (const struct db_arg[]){__VA_ARGS__},                                                          \
        sizeof((const struct db_arg[]){__VA_ARGS__}) / sizeof(struct db_arg)

/* Binds args[0..n) to ?1..?n. Returns 0 or the first failure (RB_EDB, logged). */
int db_bind_args(rb_stmt *st, const struct db_arg *args, size_t n);

/* Prepares sql and binds args to ?1..?n: *out is ready to step (placeholders past n may still be
 * bound, as policy_bind_actor does). Returns 0, or RB_EDB with nothing to hand back. */
int db_query(rb_db *db, const char *sql, const struct db_arg *args, size_t n, rb_stmt **out);

/* Prepares sql, binds args and reads its one row into out as rec describes it (db_one). Returns
 * 0, RB_ENOTFOUND when there is no row, or RB_EDB. */
int db_query_one(rb_db *db, const char *sql, const struct db_arg *args, size_t n, rb_arena *a,
                 const struct rb_record *rec, void *out);

/* Prepares sql, binds args and steps it once (INSERT, UPDATE, DELETE), like db_run. Returns 0,
 * RB_ECONFLICT on a constraint violation, or RB_EDB. */
int db_exec(rb_db *db, const char *sql, const struct db_arg *args, size_t n);

/* Steps a statement that changes rows (INSERT, UPDATE, DELETE) once and hands it back (db_done).
 * Returns 0, RB_ECONFLICT on a constraint violation, or RB_EDB. */
int db_run(rb_stmt *st);

/* Steps a statement that selects one integer (a count, a max) once and hands it back: *out is
 * column 0 of the row, 0 when there is none or it is NULL. Returns 0 or RB_EDB. */
int db_int(rb_stmt *st, int64_t *out);

/* Steps a statement that selects one text (a document, a name) once and hands it back: *out is
 * a copy of column 0 in the arena, NULL when there is no row or the column is NULL. Returns 0,
 * RB_ENOMEM (the arena is full) or RB_EDB. */
int db_text(rb_stmt *st, rb_arena *a, char **out);
/* The same into a buffer: column 0 copied into out (cut to size - 1 bytes), "" when there is no
 * row or the column is NULL. Returns 0 or RB_EDB. */
int db_text_buf(rb_stmt *st, char *out, size_t size);

/* db_query, then db_int, db_text, db_text_buf or db_rows on the statement: one call for a
 * count, a one-text read or a bounded list whose SQL needs nothing bound but args. Return as
 * those do. */
int db_query_int(rb_db *db, const char *sql, const struct db_arg *args, size_t n, int64_t *out);
int db_query_text(rb_db *db, const char *sql, const struct db_arg *args, size_t n, rb_arena *a,
                  char **out);
int db_query_text_buf(rb_db *db, const char *sql, const struct db_arg *args, size_t n, char *out,
                      size_t size);
int db_query_rows(rb_db *db, const char *sql, const struct db_arg *args, size_t n,
                  const struct rb_record *rec, rb_arena *a, void *rows, int *nrows);

/* Runs one statement that returns no rows: prepare, bind the given texts, step, done. */
int db_exec_simple(rb_db *db, const char *sql);

/* Transactions. db_begin takes the write lock at once (BEGIN IMMEDIATE) so a write transaction
 * never fails half-way on a lock upgrade. Nesting is not supported. */
int db_begin(rb_db *db);
int db_commit(rb_db *db);
void db_rollback(rb_db *db);
bool db_in_tx(rb_db *db);

/* A read-only snapshot: every read between these two sees one state of the database and takes
 * the file locks once instead of once per statement. No write may happen inside. */
int db_read_begin(rb_db *db);
void db_read_end(rb_db *db);
/* True inside any transaction (a read snapshot or a write). */
bool db_in_snapshot(rb_db *db);

/* The counters table's value of `name` (a change counter kept by triggers: 'incident', 'org',
 * 'auth'). Inside a read snapshot the table is read once and the values are kept until it ends
 * (they cannot move in it); the next snapshot takes them again without a statement when no
 * commit has come since, by any connection or process (the WAL index's header is unchanged: see
 * wal_state in db_sqlite.c), which leaves a snapshot that reads nothing else without a file lock.
 * Elsewhere each call reads the table. RB_ENOTFOUND when there is no such counter. */
int db_counter(rb_db *db, const char *name, int64_t *out);
/* How many times db_counter has read the counters table on this connection (tests). */
int64_t db_counter_reads(const rb_db *db);

/* A LIKE pattern matching text that contains q (lower-cased, with % _ \\ escaped for
 * `LIKE ?n ESCAPE '\\'` against lower(column)). Lives in the arena; NULL when it is full. */
char *db_like_contains(rb_arena *a, const char *q);

/* Rows changed by the last statement. */
int64_t db_changes(rb_db *db);

/* Prepares the connection for (on) or after (off) one write transaction of very many rows (an
 * import): a page cache large enough that changed pages stay in memory until the commit (up to
 * 256 MiB, taken only as pages are used) and statement journals in memory, instead of writing
 * pages out and reading them back for every row. off returns to the defaults db_open leaves.
 * Returns 0 or RB_EDB. */
int db_bulk(rb_db *db, bool on);

/* Prepares the connection for (on) or after (off) a batch of many small write transactions from
 * one command (a folder of advisories, each its own write): on, a commit is not synced to disk one
 * by one (synchronous=NORMAL: in WAL mode a crash may lose the last commits, never corrupt the
 * database); off syncs everything written (a full checkpoint) and returns to synchronous=FULL. A
 * command reports what it stored only after off succeeded. Returns 0 or RB_EDB. */
int db_batch(rb_db *db, bool on);

/* The file the connection was opened on. */
const char *db_path(rb_db *db);

#endif
