/*
 * db_sqlite.c - the SQLite backend of src/db.
 *
 * Opens connections in WAL mode with foreign keys on and synchronous=FULL (a committed write
 * survives a crash of the process or the machine), a busy timeout so concurrent writers wait
 * instead of failing, and a small per-connection statement cache.
 */
#include "base/common.h"
#include "base/utf8.h"
#include "base/log.h"
#include "base/rtime.h"
#include "db/db.h"
#include "db/migrations.h"

#include <assert.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>

#define STMT_CACHE 128

struct rb_stmt {
    sqlite3_stmt *s;
    rb_db *db;
    const char *key; /* the SQL address when cached, NULL for a one-off */
};

#define DB_COUNTERS_MAX 8 /* rows of the counters table kept for one snapshot */
#define WAL_STATE_SIZE 48 /* one copy of the WAL-index header */

struct rb_db {
    sqlite3 *h;
    char *path;
    bool in_tx;
    rb_stmt cache[STMT_CACHE];
    /* db_counter's copy of the counters table: kept for the current read snapshot, and across
     * snapshots while the database is in the state it was read at (wal_state) */
    bool counters_kept;
    bool wal_read;  /* a read snapshot has run: the connection has its WAL index mapped */
    bool state_set; /* state is the database's state when counters[] was read */
    unsigned char state[WAL_STATE_SIZE];
    int64_t counter_reads;
    int ncounters;
    struct {
        char name[16];
        int64_t value;
    } counters[DB_COUNTERS_MAX];
};

static int map_rc(rb_db *db, int rc, const char *what)
{
    int prim = rc & 0xff;
    if (prim == SQLITE_CONSTRAINT)
        return RB_ECONFLICT;
    rb_log(RB_LOG_ERROR, "sqlite: %s: %s (%d)", what, sqlite3_errmsg(db->h), rc);
    return RB_EDB;
}

int db_rows(rb_stmt *st, const struct rb_record *rec, rb_arena *a, void *rows, int *n)
{
    size_t size = rec->size, cap = 16;
    int k = 0;
    unsigned char *arr = rb_arena_alloc(a, size * cap);
    int rc = arr ? 0 : RB_ENOMEM;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        rc = 0;
        if ((size_t)k == cap) {
            unsigned char *bigger =
                cap < SIZE_MAX / (2 * size) ? rb_arena_alloc(a, size * cap * 2) : NULL;
            if (!bigger) {
                rc = RB_ENOMEM;
                break;
            }
            memcpy(bigger, arr, size * cap);
            arr = bigger;
            cap *= 2;
        }
        db_fill(st, a, rec, arr + size * (size_t)k++);
    }
    db_done(st);
    if (rc < 0)
        return rc;
    memcpy(rows, &arr, sizeof(arr)); /* into the caller's T * (object pointers share a form) */
    *n = k;
    return 0;
}

int db_bind_args(rb_stmt *st, const struct db_arg *args, size_t n)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        const struct db_arg *v = &args[i];
        int idx = (int)i + 1;
        switch (v->type) {
        case DB_ARG_TEXT:
            rc = db_bind_text(st, idx, v->text);
            break;
        case DB_ARG_INT:
            rc = db_bind_int(st, idx, v->i);
            break;
        case DB_ARG_DOUBLE:
            rc = db_bind_double(st, idx, v->d);
            break;
        case DB_ARG_NULL:
            rc = db_bind_null(st, idx);
            break;
        case DB_ARG_BLOB:
            rc = db_bind_blob(st, idx, v->blob, v->n);
            break;
        case DB_ARG_TIME:
            rc = db_bind_time(st, idx, v->i);
            break;
        }
    }
    return rc;
}

int db_query(rb_db *db, const char *sql, const struct db_arg *args, size_t n, rb_stmt **out)
{
    rb_stmt *st = NULL;
    int rc = db_prepare(db, sql, &st);
    if (!rc && (rc = db_bind_args(st, args, n)))
        db_done(st);
    if (!rc)
        *out = st;
    return rc;
}

int db_query_one(rb_db *db, const char *sql, const struct db_arg *args, size_t n, rb_arena *a,
                 const struct rb_record *rec, void *out)
{
    rb_stmt *st = NULL;
    int rc = db_query(db, sql, args, n, &st);
    return rc ? rc : db_one(st, a, rec, out);
}

int db_exec(rb_db *db, const char *sql, const struct db_arg *args, size_t n)
{
    rb_stmt *st = NULL;
    int rc = db_query(db, sql, args, n, &st);
    return rc ? rc : db_run(st);
}

int db_run(rb_stmt *st)
{
    int rc = db_step(st);
    db_done(st);
    return rc < 0 ? rc : 0;
}

int db_int(rb_stmt *st, int64_t *out)
{
    int rc = db_step(st);
    *out = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return rc < 0 ? rc : 0;
}

int db_text(rb_stmt *st, rb_arena *a, char **out)
{
    int rc = db_step(st);
    *out = NULL;
    if (rc == DB_ROW && !db_col_null(st, 0) && !(*out = db_col_dup(st, 0, a)))
        rc = RB_ENOMEM;
    db_done(st);
    return rc < 0 ? rc : 0;
}

int db_text_buf(rb_stmt *st, char *out, size_t size)
{
    int rc = db_step(st);
    out[0] = '\0';
    if (rc == DB_ROW && !db_col_null(st, 0))
        rb_strlcpy(out, db_col_text(st, 0), size);
    db_done(st);
    return rc < 0 ? rc : 0;
}

int db_query_int(rb_db *db, const char *sql, const struct db_arg *args, size_t n, int64_t *out)
{
    rb_stmt *st = NULL;
    int rc = db_query(db, sql, args, n, &st);
    *out = 0;
    return rc ? rc : db_int(st, out);
}

int db_query_text(rb_db *db, const char *sql, const struct db_arg *args, size_t n, rb_arena *a,
                  char **out)
{
    rb_stmt *st = NULL;
    int rc = db_query(db, sql, args, n, &st);
    *out = NULL;
    return rc ? rc : db_text(st, a, out);
}

int db_query_text_buf(rb_db *db, const char *sql, const struct db_arg *args, size_t n, char *out,
                      size_t size)
{
    rb_stmt *st = NULL;
    int rc = db_query(db, sql, args, n, &st);
    out[0] = '\0';
    return rc ? rc : db_text_buf(st, out, size);
}

int db_query_rows(rb_db *db, const char *sql, const struct db_arg *args, size_t n,
                  const struct rb_record *rec, rb_arena *a, void *rows, int *nrows)
{
    rb_stmt *st = NULL;
    int rc = db_query(db, sql, args, n, &st);
    return rc ? rc : db_rows(st, rec, a, rows, nrows);
}

int db_exec_simple(rb_db *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        rb_log(RB_LOG_ERROR, "sqlite: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return (rc & 0xff) == SQLITE_CONSTRAINT ? RB_ECONFLICT : RB_EDB;
    }
    return 0;
}

int db_bulk(rb_db *db, bool on)
{
    /* SQLite's defaults (db_open sets neither): a 2 MiB cache, journals as temporary files. */
    if (db_exec_simple(db, on ? "PRAGMA cache_size = -262144" : "PRAGMA cache_size = -2000") ||
        db_exec_simple(db, on ? "PRAGMA temp_store = MEMORY" : "PRAGMA temp_store = DEFAULT"))
        return RB_EDB;
    return 0;
}

int db_batch(rb_db *db, bool on)
{
    if (on)
        return db_exec_simple(db, "PRAGMA synchronous=NORMAL") ? RB_EDB : 0;
    if (db_exec_simple(db, "PRAGMA synchronous=FULL") ||
        db_exec_simple(db, "PRAGMA wal_checkpoint(FULL)"))
        return RB_EDB;
    return 0;
}

static int scalar_int(rb_db *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db->h, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return RB_EDB;
    rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : RB_EDB;
}

int db_schema_latest(void)
{
    return rb_migrations_count > 0 ? rb_migrations[rb_migrations_count - 1].version : 0;
}

int db_schema_version(rb_db *db)
{
    int64_t v = 0, exists = 0;
    if (scalar_int(db,
                   "SELECT count(*) FROM sqlite_master WHERE type='table' AND "
                   "name='schema_migrations'",
                   &exists) ||
        !exists)
        return 0;
    if (scalar_int(db, "SELECT coalesce(max(version),0) FROM schema_migrations", &v))
        return -1;
    return (int)v;
}

/* Applies every embedded migration newer than the recorded version, each in its own
 * transaction together with its schema_migrations row. */
static int migrate(rb_db *db, rb_errinfo *ei)
{
    int have = db_schema_version(db);
    int latest = db_schema_latest();
    if (have < 0)
        return rb_err(ei, RB_ESCHEMA, "", "%s: cannot read the schema version", db->path);
    if (have > latest)
        return rb_err(ei, RB_ESCHEMA, "",
                      "%s has schema version %d but this rabta knows only up to %d; "
                      "run a newer rabta (do not downgrade)",
                      db->path, have, latest);
    if (have == 0 &&
        db_exec_simple(db, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
                           "PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"))
        return rb_err(ei, RB_EDB, "", "%s: cannot create schema_migrations", db->path);
    for (size_t i = 0; i < rb_migrations_count; i++) {
        const struct rb_migration *m = &rb_migrations[i];
        if (m->version <= have)
            continue;
        if (db_exec_simple(db, "BEGIN IMMEDIATE"))
            return rb_err(ei, RB_EDB, "", "%s: cannot start migration %d", db->path, m->version);
        if (db_exec_simple(db, m->sql)) {
            db_exec_simple(db, "ROLLBACK");
            return rb_err(ei, RB_EDB, "", "%s: migration %d (%s) failed", db->path, m->version,
                          m->name);
        }
        sqlite3_stmt *s = NULL;
        char ts[RB_TIME_SIZE];
        rb_time_format(rb_now(), ts);
        int rc = sqlite3_prepare_v2(
            db->h, "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?1, ?2, ?3)",
            -1, &s, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int(s, 1, m->version);
            sqlite3_bind_text(s, 2, m->name, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 3, ts, -1, SQLITE_TRANSIENT);
            rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        }
        sqlite3_finalize(s);
        if (rc != SQLITE_OK || db_exec_simple(db, "COMMIT")) {
            db_exec_simple(db, "ROLLBACK");
            return rb_err(ei, RB_EDB, "", "%s: cannot record migration %d", db->path, m->version);
        }
    }
    return 0;
}

/* Process-wide settings, before the first connection: no global memory statistics (they take a
 * mutex on every allocation), and no per-connection mutexes since each connection stays on one
 * thread. */
static void sqlite_global_init(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_initialize();
}

int db_open(const char *path, int flags, rb_db **out, rb_errinfo *ei)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_global_init);
    int rc = RB_EDB;
    rb_db *db = rb_calloc(1, sizeof(*db));
    if (!db)
        return rb_err(ei, RB_ENOMEM, "", "out of memory opening %s", path);
    db->path = rb_strdup(path);
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (flags & DB_OPEN_CREATE)
        oflags |= SQLITE_OPEN_CREATE;
    if (!db->path || sqlite3_open_v2(path, &db->h, oflags, NULL) != SQLITE_OK) {
        rb_err(ei, RB_EDB, "", "cannot open database %s: %s", path,
               db->h ? sqlite3_errmsg(db->h) : "out of memory");
        goto out;
    }
    sqlite3_busy_timeout(db->h, 10000);
    sqlite3_extended_result_codes(db->h, 1);
    int64_t fk = 0;
    if (db_exec_simple(db, "PRAGMA journal_mode=WAL") ||
        db_exec_simple(db, "PRAGMA synchronous=FULL") ||
        db_exec_simple(db, "PRAGMA foreign_keys=ON") ||
        scalar_int(db, "PRAGMA foreign_keys", &fk) || fk != 1) {
        rb_err(ei, RB_EDB, "", "%s is not a usable SQLite database (is it a rabta database?)",
               path);
        goto out;
    }
    if (flags & DB_OPEN_MIGRATE) {
        rc = migrate(db, ei);
        if (rc)
            goto out;
    } else {
        int have = db_schema_version(db), latest = db_schema_latest();
        if (have != latest) {
            rc = rb_err(ei, RB_ESCHEMA, "",
                        have > latest ? "%s has schema version %d, newer than this rabta (%d)"
                                      : "%s has schema version %d; this rabta needs %d "
                                        "(run `rabta serve` or `rabta init` to migrate)",
                        path, have, latest);
            goto out;
        }
    }
    *out = db;
    db = NULL;
    rc = 0;
out:
    db_close(db);
    return rc;
}

void db_close(rb_db *db)
{
    if (!db)
        return;
    for (int i = 0; i < STMT_CACHE; i++)
        sqlite3_finalize(db->cache[i].s);
    sqlite3_close(db->h);
    rb_free(db->path);
    rb_free(db);
}

const char *db_path(rb_db *db)
{
    return db->path;
}

int db_prepare(rb_db *db, const char *sql, rb_stmt **out)
{
    uintptr_t h = ((uintptr_t)sql >> 3) * 2654435761u;
    for (int probe = 0; probe < 8; probe++) {
        rb_stmt *e = &db->cache[(h + (uintptr_t)probe) % STMT_CACHE];
        if (e->key == sql && e->s) {
            if (sqlite3_stmt_busy(e->s))
                break; /* in use further up the stack: make a one-off */
            *out = e;
            return 0;
        }
        if (!e->s) {
            if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &e->s, NULL) !=
                SQLITE_OK) {
                e->s = NULL;
                rb_log(RB_LOG_ERROR, "sqlite: prepare failed: %s in: %.*s", sqlite3_errmsg(db->h),
                       RB_CUT(sql, 200));
                return RB_EDB;
            }
            e->key = sql;
            e->db = db;
            *out = e;
            return 0;
        }
    }
    rb_stmt *st = rb_calloc(1, sizeof(*st));
    if (!st)
        return RB_ENOMEM;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st->s, NULL) != SQLITE_OK) {
        rb_log(RB_LOG_ERROR, "sqlite: prepare failed: %s in: %.*s", sqlite3_errmsg(db->h),
               RB_CUT(sql, 200));
        rb_free(st);
        return RB_EDB;
    }
    st->db = db;
    *out = st;
    return 0;
}

void db_done(rb_stmt *st)
{
    if (!st)
        return;
    if (st->key) {
        sqlite3_reset(st->s);
        sqlite3_clear_bindings(st->s);
    } else {
        sqlite3_finalize(st->s);
        rb_free(st);
    }
}

static int bind_rc(rb_stmt *st, int rc)
{
    return rc == SQLITE_OK ? 0 : map_rc(st->db, rc, "bind");
}

int db_bind_text(rb_stmt *st, int idx, const char *s)
{
    if (!s)
        return db_bind_null(st, idx);
    return bind_rc(st, sqlite3_bind_text(st->s, idx, s, -1, SQLITE_TRANSIENT));
}

int db_bind_textn(rb_stmt *st, int idx, const char *s, size_t n)
{
    if (!s)
        return db_bind_null(st, idx);
    return bind_rc(st, sqlite3_bind_text(st->s, idx, s, (int)n, SQLITE_TRANSIENT));
}

int db_bind_int(rb_stmt *st, int idx, int64_t v)
{
    return bind_rc(st, sqlite3_bind_int64(st->s, idx, v));
}

int db_bind_blob(rb_stmt *st, int idx, const void *data, size_t n)
{
    return bind_rc(st, sqlite3_bind_blob64(st->s, idx, data, (sqlite3_uint64)n, SQLITE_TRANSIENT));
}

int db_bind_double(rb_stmt *st, int idx, double v)
{
    return bind_rc(st, sqlite3_bind_double(st->s, idx, v));
}

int db_bind_null(rb_stmt *st, int idx)
{
    return bind_rc(st, sqlite3_bind_null(st->s, idx));
}

int db_bind_time(rb_stmt *st, int idx, int64_t t)
{
    if (t <= 0)
        return db_bind_null(st, idx);
    char buf[RB_TIME_SIZE];
    rb_time_format(t, buf);
    return db_bind_text(st, idx, buf);
}

int db_step(rb_stmt *st)
{
    int rc = sqlite3_step(st->s);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    return map_rc(st->db, rc, sqlite3_sql(st->s));
}

const void *db_col_blob(rb_stmt *st, int col, size_t *n)
{
    const void *p = sqlite3_column_blob(st->s, col);
    *n = (size_t)sqlite3_column_bytes(st->s, col);
    return p;
}

const char *db_col_text(rb_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st->s, col);
}

int64_t db_col_int(rb_stmt *st, int col)
{
    return sqlite3_column_int64(st->s, col);
}

double db_col_double(rb_stmt *st, int col)
{
    return sqlite3_column_double(st->s, col);
}

bool db_col_null(rb_stmt *st, int col)
{
    return sqlite3_column_type(st->s, col) == SQLITE_NULL;
}

char *db_col_dup(rb_stmt *st, int col, rb_arena *a)
{
    const unsigned char *t = sqlite3_column_text(st->s, col);
    if (!t)
        return NULL;
    return rb_arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st->s, col));
}

/* The index of text in names (NULL-terminated), or fallback. */
static int name_index(const char *const *names, const char *text, int fallback)
{
    int i = rb_name_index(names, text);
    return i < 0 ? fallback : i;
}

void db_fill(rb_stmt *st, rb_arena *a, const struct rb_record *rec, void *row)
{
    int col = 0;
    for (size_t i = 0; i < rec->n; i++) {
        const struct rb_member *m = &rec->members[i];
        const struct rb_mtype *t = m->type;
        unsigned char *p = (unsigned char *)row + m->offset; /* a member of that type */
        /* The table names a type of the member's size (record.h). */
        assert(m->size == t->size || (t->kind == RB_MT_CHARS && m->size > 0));
        if (t->no_column)
            continue;
        bool null = db_col_null(st, col);
        switch (t->kind) {
        case RB_MT_TEXT:
            *(char **)p = db_col_dup(st, col, a);
            break;
        case RB_MT_INT:
        case RB_MT_INDEX:
            *(int *)p = null && t->kind == RB_MT_INDEX ? -1 : (int)db_col_int(st, col);
            break;
        case RB_MT_ENUM:
            *(int *)p = name_index(t->names, db_col_text(st, col), t->fallback);
            break;
        case RB_MT_INT64:
            *(int64_t *)p = db_col_int(st, col);
            break;
        case RB_MT_BOOL:
            *(bool *)p = db_col_int(st, col) != 0;
            break;
        case RB_MT_DOUBLE:
        case RB_MT_SCORE:
            *(double *)p = null && t->kind == RB_MT_SCORE ? -1 : db_col_double(st, col);
            break;
        case RB_MT_CHARS:
            rb_strlcpy((char *)p, null ? "" : db_col_text(st, col), m->size);
            break;
        }
        col++;
    }
}

int db_one(rb_stmt *st, rb_arena *a, const struct rb_record *rec, void *row)
{
    int rc = db_step(st);
    if (rc == DB_ROW)
        db_fill(st, a, rec, row);
    db_done(st);
    return rc == DB_ROW ? 0 : (rc < 0 ? rc : RB_ENOTFOUND);
}

int db_begin(rb_db *db)
{
    db->counters_kept = false;
    int rc = db_exec_simple(db, "BEGIN IMMEDIATE");
    if (!rc)
        db->in_tx = true;
    return rc;
}

int db_commit(rb_db *db)
{
    int rc = db_exec_simple(db, "COMMIT");
    if (rc) {
        db_rollback(db);
        return rc;
    }
    db->in_tx = false;
    return 0;
}

void db_rollback(rb_db *db)
{
    if (sqlite3_get_autocommit(db->h) == 0)
        db_exec_simple(db, "ROLLBACK");
    db->in_tx = false;
}

/* Runs a cached statement that returns no rows (BEGIN/COMMIT on the per-request hot path). */
static int run_cached(rb_db *db, const char *sql)
{
    rb_stmt *st = NULL;
    int rc = db_prepare(db, sql, &st);
    if (rc)
        return rc;
    rc = db_step(st);
    db_done(st);
    return rc < 0 ? rc : 0;
}

int db_read_begin(rb_db *db)
{
    db->counters_kept = false;
    return run_cached(db, "BEGIN DEFERRED");
}

void db_read_end(rb_db *db)
{
    db->counters_kept = false;
    if (sqlite3_get_autocommit(db->h) == 0)
        run_cached(db, "COMMIT");
}

/* The state the database is in, as the WAL-index header names it (https://www.sqlite.org/
 * walformat.html, "The WAL-Index Header"): 48 bytes that every commit rewrites (its change
 * counter, the last frame, the salts and checksums) in the shared memory that every connection
 * to the file maps. The header is kept twice; a writer writes the second copy, a barrier, then
 * the first, so reading the first, a barrier, then the second and finding them equal is a
 * header that no commit was writing (how SQLite itself reads it, walIndexTryHdr). The mapping
 * is asked of the connection's own VFS file (xShmMap of region 0, never extending it): no file
 * is opened here, so no POSIX lock of SQLite's is disturbed. False when the connection has no
 * WAL index mapped (another journal mode, a heap-memory index) or a commit was under way. */
static bool wal_state(rb_db *db, unsigned char out[WAL_STATE_SIZE])
{
    sqlite3_file *f = NULL;
    if (sqlite3_file_control(db->h, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
        !f->pMethods || f->pMethods->iVersion < 2 || !f->pMethods->xShmMap)
        return false;
    void volatile *map = NULL;
    if (f->pMethods->xShmMap(f, 0, 32768, 0, &map) != SQLITE_OK || !map)
        return false;
    const volatile unsigned char *hdr = map;
    unsigned char second[WAL_STATE_SIZE];
    for (size_t i = 0; i < WAL_STATE_SIZE; i++)
        out[i] = hdr[i];
    atomic_thread_fence(memory_order_seq_cst);
    for (size_t i = 0; i < WAL_STATE_SIZE; i++)
        second[i] = hdr[WAL_STATE_SIZE + i];
    return out[12] /* isInit */ && memcmp(out, second, WAL_STATE_SIZE) == 0;
}

/* Reads the counters table into db->counters. In a read snapshot that this statement opens
 * (none was open before it), the state of the database is taken before and after: equal, no
 * commit came between, so the snapshot the statement opened saw that state, and the copy stands
 * for it. A snapshot opened earlier by another statement may be older than both: its copy is
 * not kept. */
static int counters_read(rb_db *db, bool snapshot)
{
    unsigned char before[WAL_STATE_SIZE], after[WAL_STATE_SIZE];
    bool known = snapshot && db->wal_read && sqlite3_txn_state(db->h, "main") == SQLITE_TXN_NONE &&
                 wal_state(db, before);
    db->state_set = false;
    db->counter_reads++;
    rb_stmt *st = NULL;
    int rc = db_prepare(db, "SELECT name, value FROM counters", &st);
    if (rc)
        return rc;
    db->ncounters = 0;
    while ((rc = db_step(st)) == DB_ROW && db->ncounters < DB_COUNTERS_MAX) {
        rb_strlcpy(db->counters[db->ncounters].name, db_col_text(st, 0) ? db_col_text(st, 0) : "",
                   sizeof(db->counters[0].name));
        db->counters[db->ncounters++].value = db_col_int(st, 1);
    }
    db_done(st);
    if (rc < 0)
        return rc;
    if (known && wal_state(db, after) && memcmp(before, after, sizeof(before)) == 0) {
        memcpy(db->state, before, sizeof(before));
        db->state_set = true;
    }
    db->wal_read = db->wal_read || snapshot;
    return 0;
}

int db_counter(rb_db *db, const char *name, int64_t *out)
{
    *out = 0;
    bool snapshot = !db->in_tx && sqlite3_get_autocommit(db->h) == 0;
    /* The database still in the state the copy was read at: no commit since, by any connection
     * or process, so the copy is the table now, and no statement (nor its file locks) is run. */
    unsigned char now[WAL_STATE_SIZE];
    if (snapshot && !db->counters_kept && db->state_set && wal_state(db, now) &&
        memcmp(now, db->state, sizeof(now)) == 0)
        db->counters_kept = true;
    if (!snapshot || !db->counters_kept) {
        int rc = counters_read(db, snapshot);
        if (rc)
            return rc;
        db->counters_kept = snapshot;
    }
    for (int i = 0; i < db->ncounters; i++)
        if (strcmp(db->counters[i].name, name) == 0) {
            *out = db->counters[i].value;
            return 0;
        }
    return RB_ENOTFOUND;
}

int64_t db_counter_reads(const rb_db *db)
{
    return db->counter_reads;
}

bool db_in_snapshot(rb_db *db)
{
    return sqlite3_get_autocommit(db->h) == 0;
}

bool db_in_tx(rb_db *db)
{
    return db->in_tx;
}

int64_t db_changes(rb_db *db)
{
    return sqlite3_changes64(db->h);
}

/* "%q%" with LIKE's wildcards in q escaped (ESCAPE '\'), lower-cased for case-insensitivity. */
char *db_like_contains(rb_arena *a, const char *q)
{
    size_t n = strlen(q);
    char *p = rb_arena_alloc(a, n * 2 + 3);
    if (!p)
        return NULL;
    size_t o = 0;
    p[o++] = '%';
    for (size_t i = 0; i < n; i++) {
        char c = q[i];
        if (c == '%' || c == '_' || c == '\\')
            p[o++] = '\\';
        p[o++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    p[o++] = '%';
    p[o] = '\0';
    return p;
}

int db_page(rb_stmt *st, int limit, const struct rb_record *rec, rb_arena *a, void *rows, int *n,
            bool *more)
{
    size_t size = rec->size;
    unsigned char *page = rb_arena_alloc(a, size * (size_t)(limit > 0 ? limit : 1));
    int rc = page ? 0 : RB_ENOMEM, k = 0;
    *more = false;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        rc = 0;
        if (k == limit) {
            *more = true;
            break;
        }
        db_fill(st, a, rec, page + size * (size_t)k++);
    }
    db_done(st);
    if (rc < 0)
        return rc;
    memcpy(rows, &page, sizeof(page));
    *n = k;
    return 0;
}
