/*
 * test_record.c - base/record.h as its two readers use it: db_fill and db_one (src/db) read a
 * row into a struct, rjw_record (src/json) writes the struct; each row of the table is one row of
 * literal columns and the JSON it must give.
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
    RB_HIDDEN(struct sample, hidden, rb_text),
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

static void test_fill_and_write(void **state)
{
    (void)state;
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
static void test_one_without_row(void **state)
{
    (void)state;
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
static void test_members_in_open_object(void **state)
{
    (void)state;
    struct sample s = {.text = "x", .count = 1, .colour = 2, .score = -1, .pos = -1};
    char json[512];
    written(&s, true, json, sizeof(json));
    assert_string_equal(json, "{\"first\":\"f\",\"text\":\"x\",\"n\":1,\"big\":0,\"flag\":false,"
                        "\"weight\":0,\"score\":null,\"pos\":-1,\"colour\":\"blue\",\"twice\":0,"
                        "\"named_later\":null}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fill_and_write),
        cmocka_unit_test(test_one_without_row),
        cmocka_unit_test(test_members_in_open_object),
    };
    return cmocka_run_group_tests(tests, tu_group_setup, NULL);
}
