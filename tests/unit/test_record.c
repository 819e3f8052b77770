/*
 * test_record.c - base/record.h as its two readers use it: db_fill and db_one (src/db) read a
 * row into a struct, rjw_record (src/json) writes the struct; each row of the table is one row of
 * literal columns and the JSON it must give. Also the argument lists of src/db (DB_ARGS): how
 * each kind of value binds, and a write and a read that use them.
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/record.h"
#include "db/db.h"
#include "json/json.h"

#include "test_util.h"

struct sample {
    char *text;
    int count;
    int64_t big;
    bool flag;
    double weight;
    double score;
    int pos;
    int colour;
    int twice; /* written as twice its value */
    char *named_later;
    char *hidden;
};

static const char *const colours[] = {"red", "green", "blue", NULL};
static const struct rb_mtype colour_type = {
    .kind = RB_MT_ENUM, .size = sizeof(int), .names = colours, .fallback = 1};

static void write_twice(struct rj_writer *w, const void *row)
{
    rjw_int(w, 2 * (int64_t)((const struct sample *)row)->twice);
}

static const struct rb_member sample_members[] = {
    RB_MEMBERS(struct sample, text),
    RB_MEMBER_AS(struct sample, count, "n", rb_int),
    RB_MEMBERS(struct sample, big, flag, weight),
    RB_MEMBER(struct sample, score, rb_score),
    RB_MEMBER(struct sample, pos, rb_index),
    RB_MEMBER(struct sample, colour, colour_type),
    RB_DERIVED(struct sample, twice, "twice", rb_int, write_twice),
    RB_MEMBER(struct sample, named_later, rb_text_later),
    RB_HIDDEN_MEMBERS(struct sample, hidden),
};
static const struct rb_record sample_record = RB_RECORD(struct sample, sample_members);

/* One row: the columns (in the order of sample_members, named_later has none) and the answer. */
static const struct {
    const char *sql;
    const char *json;
    double score; /* as read */
    int pos;      /* as read */
    const char *hidden;
} rows[] = {
    {"SELECT 'a', 7, 9000000000, 1, 2.5, 81.235, 3, 'blue', 21, 'h'",
     "{\"text\":\"a\",\"n\":7,\"big\":9000000000,\"flag\":true,\"weight\":2.5,\"score\":81.24,"
     "\"pos\":3,\"colour\":\"blue\",\"twice\":42,\"named_later\":null}",
     81.235, 3, "h"},
    /* SQL NULL: text null, numbers 0, a score -1 (written null), a position -1. */
    {"SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'red', NULL, NULL",
     "{\"text\":null,\"n\":0,\"big\":0,\"flag\":false,\"weight\":0,\"score\":null,\"pos\":-1,"
     "\"colour\":\"red\",\"twice\":0,\"named_later\":null}",
     -1, -1, NULL},
    /* A name that is not in the table takes the fallback; a score of 0 is a score. */
    {"SELECT '', -4, -1, 5, 0.1, 0, 0, 'mauve', -3, ''",
     "{\"text\":\"\",\"n\":-4,\"big\":-1,\"flag\":true,\"weight\":0.1,\"score\":0,\"pos\":0,"
     "\"colour\":\"green\",\"twice\":-6,\"named_later\":null}",
     0, 0, ""},
};

/* The JSON rjw_record writes for s, or with `among` set rjw_members inside an object that holds a
 * member of the caller's first. */
static void written(const struct sample *s, bool among, char *out, size_t size)
{
    rb_buf b;
    rb_buf_init(&b, 4096);
    rj_writer w;
    rjw_init(&w, &b);
    if (among) {
        rjw_obj(&w);
        rjw_kstr(&w, "first", "f");
        rjw_members(&w, s, &sample_record);
        rjw_obj_end(&w);
    } else {
        rjw_record(&w, s, &sample_record);
    }
    assert_int_equal(rjw_finish(&w), 0);
    rb_strlcpy(out, rb_buf_cstr(&b), size);
    rb_buf_release(&b);
}

TU_TEST(test_fill_and_write)
{
    rb_db *db = tu_db_open();
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_arena a;
        rb_arena_init(&a, 1 << 16);
        rb_stmt *st = NULL;
        assert_int_equal(db_prepare(db, rows[i].sql, &st), 0);
        struct sample s;
        memset(&s, 0xa5, sizeof(s));
        s.named_later = NULL;
        assert_int_equal(db_one(st, &a, &sample_record, &s), 0);
        ROW_CHECK(s.score == rows[i].score, "row %zu: score %g", i, s.score);
        ROW_CHECK(s.pos == rows[i].pos, "row %zu: pos %d", i, s.pos);
        ROW_CHECK((s.hidden == NULL) == (rows[i].hidden == NULL) &&
                      (!s.hidden || strcmp(s.hidden, rows[i].hidden) == 0),
                  "row %zu: hidden %s", i, s.hidden ? s.hidden : "(null)");
        char json[512];
        written(&s, false, json, sizeof(json));
        ROW_CHECK(strcmp(json, rows[i].json) == 0, "row %zu: %s", i, json);
        rb_arena_release(&a);
    }
    db_close(db);
}

/* db_one without a row is RB_ENOTFOUND and leaves the struct as it was. */
TU_TEST(test_one_without_row)
{
    rb_db *db = tu_db_open();
    rb_arena a;
    rb_arena_init(&a, 1 << 12);
    rb_stmt *st = NULL;
    assert_int_equal(db_prepare(db, "SELECT 'a' WHERE 0", &st), 0);
    struct sample s = {.count = 99};
    assert_int_equal(db_one(st, &a, &sample_record, &s), RB_ENOTFOUND);
    assert_int_equal(s.count, 99);
    rb_arena_release(&a);
    db_close(db);
}

/* rjw_members writes into an object the caller holds open, next to its own members. */
TU_TEST(test_members_in_open_object)
{
    struct sample s = {.text = "x", .count = 1, .colour = 2, .score = -1, .pos = -1};
    char json[512];
    written(&s, true, json, sizeof(json));
    assert_string_equal(json,
                        "{\"first\":\"f\",\"text\":\"x\",\"n\":1,\"big\":0,\"flag\":false,"
                        "\"weight\":0,\"score\":null,\"pos\":-1,\"colour\":\"blue\",\"twice\":0,"
                        "\"named_later\":null}");
}

/* rjw_krecords writes an array of structs, each as the record shows it. */
TU_TEST(test_array_of_records)
{
    const struct sample two[] = {{.text = "a", .score = -1, .pos = -1}, {.count = 2, .score = 50}};
    rb_buf b;
    rb_buf_init(&b, 4096);
    rj_writer w;
    rjw_init(&w, &b);
    rjw_obj(&w);
    rjw_krecords(&w, "none", two, 0, &sample_record);
    rjw_krecords(&w, "two", two, 2, &sample_record);
    rjw_key(&w, "bare");
    rjw_records(&w, two, 1, &sample_record);
    rjw_obj_end(&w);
    assert_int_equal(rjw_finish(&w), 0);
    assert_string_equal(rb_buf_cstr(&b),
                        "{\"none\":[],\"two\":[{\"text\":\"a\",\"n\":0,\"big\":0,\"flag\":false,"
                        "\"weight\":0,\"score\":null,\"pos\":-1,\"colour\":\"red\",\"twice\":0,"
                        "\"named_later\":null},{\"text\":null,\"n\":2,\"big\":0,\"flag\":false,"
                        "\"weight\":0,\"score\":50,\"pos\":0,\"colour\":\"red\",\"twice\":0,"
                        "\"named_later\":null}],\"bare\":[{\"text\":\"a\",\"n\":0,\"big\":0,"
                        "\"flag\":false,\"weight\":0,\"score\":null,\"pos\":-1,\"colour\":\"red\","
                        "\"twice\":0,\"named_later\":null}]}");
    rb_buf_release(&b);
}

/* Each kind of argument binds as SQLite sees it: its type and its value, quoted. */
TU_TEST(test_argument_lists)
{
    static const struct {
        struct db_arg arg;
        const char *type, *quoted;
    } args[] = {
        {DB_TEXT("it's"), "text", "'it''s'"},
        {DB_TEXT(NULL), "null", "NULL"},
        {DB_INT(-7), "integer", "-7"},
        {DB_INT(9000000000), "integer", "9000000000"},
        {DB_DOUBLE(2.5), "real", "2.5"},
        {DB_INT_OR_NULL(true, 3), "integer", "3"},
        {DB_INT_OR_NULL(false, 3), "null", "NULL"},
        {DB_DOUBLE_OR_NULL(true, 0.5), "real", "0.5"},
        {DB_DOUBLE_OR_NULL(false, 0.5), "null", "NULL"},
        {DB_INDEX(0), "integer", "0"},
        {DB_INDEX(-1), "null", "NULL"},
        {DB_BLOB("ab", 2), "blob", "X'6162'"},
    };
    rb_db *db = tu_db_open();
    for (size_t i = 0; i < RB_ARRAY_LEN(args); i++) {
        rb_stmt *st = NULL;
        assert_int_equal(db_query(db, "SELECT typeof(?1), quote(?1)", &args[i].arg, 1, &st), 0);
        assert_int_equal(db_step(st), DB_ROW);
        ROW_CHECK(strcmp(db_col_text(st, 0), args[i].type) == 0, "row %zu: type %s", i,
                  db_col_text(st, 0));
        ROW_CHECK(strcmp(db_col_text(st, 1), args[i].quoted) == 0, "row %zu: value %s", i,
                  db_col_text(st, 1));
        db_done(st);
    }
    db_close(db);
}

/* db_exec writes with a list, db_query_one reads back through a record; a refused write and a
 * list that names a placeholder the statement lacks are errors. */
TU_TEST(test_exec_and_read_back)
{
    rb_db *db = tu_db_open();
    assert_int_equal(db_exec_simple(db, "CREATE TEMP TABLE t(text TEXT PRIMARY KEY, n INTEGER)"),
                     0);
    assert_int_equal(db_exec(db, "INSERT INTO t VALUES (?1, ?2)", DB_ARGS(DB_TEXT("x"), DB_INT(4))),
                     0);
    assert_int_equal(db_exec(db, "INSERT INTO t VALUES (?1, ?2)", DB_ARGS(DB_TEXT("x"), DB_INT(5))),
                     RB_ECONFLICT);
    static const struct rb_member members[] = {RB_MEMBERS(struct sample, text, count)};
    static const struct rb_record rec = RB_RECORD(struct sample, members);
    rb_arena a;
    rb_arena_init(&a, 1 << 12);
    struct sample s = {0};
    assert_int_equal(db_query_one(db, "SELECT text, n FROM t WHERE text = ?1",
                                  DB_ARGS(DB_TEXT("x")), &a, &rec, &s),
                     0);
    assert_string_equal(s.text, "x");
    assert_int_equal(s.count, 4);
    assert_int_equal(db_query_one(db, "SELECT text, n FROM t WHERE text = ?1",
                                  DB_ARGS(DB_TEXT("y")), &a, &rec, &s),
                     RB_ENOTFOUND);
    rb_stmt *st = NULL;
    assert_int_equal(db_query(db, "SELECT ?1", DB_ARGS(DB_INT(1), DB_INT(2)), &st), RB_EDB);
    rb_arena_release(&a);
    db_close(db);
}

/* db_query_int, db_query_text, db_query_text_buf and db_query_rows: a count, one text (none
 * without a row or for NULL), a bounded list; the arena full is RB_ENOMEM, a statement that does
 * not prepare RB_EDB. */
TU_TEST(test_query_shorthands)
{
    rb_db *db = tu_db_open();
    assert_int_equal(db_exec_simple(db, "CREATE TEMP TABLE t(text TEXT, n INTEGER)"), 0);
    assert_int_equal(db_exec_simple(db, "INSERT INTO t VALUES ('a', 1), ('b', 2), (NULL, 3)"), 0);
    int64_t n = -1;
    assert_int_equal(
        db_query_int(db, "SELECT count(*) FROM t WHERE n > ?1", DB_ARGS(DB_INT(1)), &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(db_query_int(db, "SELECT n FROM t WHERE n > 9", NULL, 0, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(db_query_int(db, "SELECT nothing FROM t", NULL, 0, &n), RB_EDB);
    rb_arena a;
    rb_arena_init(&a, 1 << 12);
    char *s = NULL;
    assert_int_equal(
        db_query_text(db, "SELECT text FROM t WHERE n = ?1", DB_ARGS(DB_INT(2)), &a, &s), 0);
    assert_string_equal(s, "b");
    assert_int_equal(
        db_query_text(db, "SELECT text FROM t WHERE n = ?1", DB_ARGS(DB_INT(3)), &a, &s), 0);
    assert_null(s);
    s = "left";
    assert_int_equal(db_query_text(db, "SELECT text FROM t WHERE n = 9", NULL, 0, &a, &s), 0);
    assert_null(s);
    rb_stmt *st = NULL;
    assert_int_equal(db_query(db, "SELECT text FROM t WHERE n = 1", NULL, 0, &st), 0);
    assert_int_equal(db_text(st, &a, &s), 0);
    assert_string_equal(s, "a");
    char buf[2] = "x";
    assert_int_equal(db_query_text_buf(db, "SELECT 'bc'", NULL, 0, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "b"); /* cut to the buffer */
    assert_int_equal(
        db_query_text_buf(db, "SELECT text FROM t WHERE n = 3", NULL, 0, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "");
    assert_int_equal(db_query(db, "SELECT text FROM t WHERE n = 9", NULL, 0, &st), 0);
    assert_int_equal(db_text_buf(st, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "");
    static const struct rb_member members[] = {RB_MEMBERS(struct sample, text, count)};
    static const struct rb_record rec = RB_RECORD(struct sample, members);
    struct sample *got = NULL;
    int nrows = -1;
    assert_int_equal(db_query_rows(db, "SELECT text, n FROM t WHERE n < ?1 ORDER BY n",
                                   DB_ARGS(DB_INT(3)), &rec, &a, &got, &nrows),
                     0);
    assert_int_equal(nrows, 2);
    assert_string_equal(got[1].text, "b");
    assert_int_equal(got[1].count, 2);
    rb_arena_release(&a);
    rb_arena tiny;
    rb_arena_init(&tiny, 1);
    assert_int_equal(db_query_text(db, "SELECT text FROM t WHERE n = 1", NULL, 0, &tiny, &s),
                     RB_ENOMEM);
    assert_null(s);
    rb_arena_release(&tiny);
    db_close(db);
}

/* Fixed buffers (RB_MT_CHARS): a text cut to fit on a character boundary, "" for NULL, no
 * arena; shown as a string when a member names a key. */
struct fixed {
    char id[8];
    char word[4];
    int n;
};
static const struct rb_member fixed_members[] = {
    RB_MEMBER_AS(struct fixed, id, "id", rb_chars),
    RB_HIDDEN_CHARS(struct fixed, word),
    RB_MEMBERS(struct fixed, n),
};
static const struct rb_record fixed_record = RB_RECORD(struct fixed, fixed_members);

TU_TEST(test_fixed_buffers)
{
    static const struct {
        const char *sql, *id, *word, *json;
    } cases[] = {
        {"SELECT 'abc', 'xyz', 1", "abc", "xyz", "{\"id\":\"abc\",\"n\":1}"},
        {"SELECT NULL, NULL, 2", "", "", "{\"id\":\"\",\"n\":2}"},
        /* 'abcdefgh' keeps 7 bytes; 'xy' then a two-byte letter keeps 'xy', not half of it. */
        {"SELECT 'abcdefgh', 'xy\xc3\xa9', 3", "abcdefg", "xy", "{\"id\":\"abcdefg\",\"n\":3}"},
    };
    rb_db *db = tu_db_open();
    for (size_t i = 0; i < RB_ARRAY_LEN(cases); i++) {
        struct fixed f;
        memset(&f, 0xa5, sizeof(f));
        assert_int_equal(db_query_one(db, cases[i].sql, NULL, 0, NULL, &fixed_record, &f), 0);
        ROW_CHECK(strcmp(f.id, cases[i].id) == 0 && strcmp(f.word, cases[i].word) == 0,
                  "case %zu: id %s, word %s", i, f.id, f.word);
        rb_buf b;
        rb_buf_init(&b, 256);
        rj_writer w;
        rjw_init(&w, &b);
        rjw_record(&w, &f, &fixed_record);
        assert_int_equal(rjw_finish(&w), 0);
        ROW_CHECK(strcmp(rb_buf_cstr(&b), cases[i].json) == 0, "case %zu: %s", i, rb_buf_cstr(&b));
        rb_buf_release(&b);
    }
    db_close(db);
}

TU_MAIN({
    cmocka_unit_test(test_fixed_buffers),
    cmocka_unit_test(test_fill_and_write),
    cmocka_unit_test(test_one_without_row),
    cmocka_unit_test(test_members_in_open_object),
    cmocka_unit_test(test_array_of_records),
    cmocka_unit_test(test_argument_lists),
    cmocka_unit_test(test_exec_and_read_back),
    cmocka_unit_test(test_query_shorthands),
})
