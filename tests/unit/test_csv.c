/*
 * test_csv.c - src/formats/csv: the writer (quoting, the formula guard, folding, numbers, the
 * cap) and the reader (RFC 4180 records, line ends, quotes, the byte order mark, the refusals
 * with their line and field, the caps, nothing returned on a bad file), and the two together.
 * Table-driven: each row one situation.
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/mem.h"
#include "formats/csv.h"

#include "test_util.h"

#define NONE ((const char *)1) /* ends a row's fields (NULL is a field: written as empty) */

/* ---- writer ---- */

/* A CSV writer with `flags` on a fresh buffer of `cap` bytes. */
struct cbuf {
    rb_buf b;
    csv_writer w;
};

static csv_writer *cbuf_init(struct cbuf *t, size_t cap, unsigned flags)
{
    rb_buf_init(&t->b, cap);
    csv_writer_init(&t->w, &t->b, flags);
    return &t->w;
}

static const struct {
    const char *what;
    unsigned flags;
    const char *fields[6]; /* up to NONE */
    const char *want;      /* the record, CRLF included */
} write_rows[] = {
    {"plain fields are bare", 0, {"a", "b c", NONE}, "a,b c\r\n"},
    {"a comma quotes the field", 0, {"a,b", "c", NONE}, "\"a,b\",c\r\n"},
    {"a quote is doubled inside quotes", 0, {"say \"hi\"", NONE}, "\"say \"\"hi\"\"\"\r\n"},
    {"a lone quote", 0, {"\"", NONE}, "\"\"\"\"\r\n"},
    {"a CR quotes the field and stays", 0, {"a\rb", NONE}, "\"a\rb\"\r\n"},
    {"an LF quotes the field and stays", 0, {"a\nb", NONE}, "\"a\nb\"\r\n"},
    {"a CRLF inside stays", 0, {"a\r\nb", NONE}, "\"a\r\nb\"\r\n"},
    {"empty and NULL are empty", 0, {"", NULL, "x", NONE}, ",,x\r\n"},
    {"no field at all is an empty line", 0, {NONE}, "\r\n"},
    {"= is guarded", 0, {"=1+1", NONE}, "'=1+1\r\n"},
    {"+ - @ and tab are guarded", 0, {"+1", "-1", "@SUM(A1)", "\tx", NONE},
     "'+1,'-1,'@SUM(A1),'\tx\r\n"},
    {"a leading CR is guarded and quoted", 0, {"\rx", NONE}, "\"'\rx\"\r\n"},
    {"the guard goes inside the quotes", 0, {"=a,b", NONE}, "\"'=a,b\"\r\n"},
    {"only the first byte is guarded", 0, {"a=b", "1-2", " =x", NONE}, "a=b,1-2, =x\r\n"},
    {"a lone minus is guarded", 0, {"-", NONE}, "'-\r\n"},
    {"UTF-8 passes through", 0, {"ünïcödé", "پاکستان,", NONE}, "ünïcödé,\"پاکستان,\"\r\n"},
    {"quote all quotes every text field", CSV_QUOTE_ALL, {"a", "", NULL, "=x", NONE},
     "\"a\",\"\",\"\",\"'=x\"\r\n"},
    {"fold makes newlines spaces, needing no quotes", CSV_FOLD_NEWLINES, {"a\nb\r\nc", NONE},
     "a b  c\r\n"},
    {"fold still quotes a comma", CSV_FOLD_NEWLINES, {"a\nb,c", NONE}, "\"a b,c\"\r\n"},
    {"fold and quote all: the gaps CSV's cells", CSV_QUOTE_ALL | CSV_FOLD_NEWLINES,
     {"line\none", "\rx", "say \"hi\"", NONE}, "\"line one\",\"' x\",\"say \"\"hi\"\"\"\r\n"},
};

TU_TEST(test_write_rows)
{
    for (size_t i = 0; i < RB_ARRAY_LEN(write_rows); i++) {
        struct cbuf t;
        csv_writer *w = cbuf_init(&t, 1024, write_rows[i].flags);
        for (size_t f = 0; write_rows[i].fields[f] != NONE; f++)
            ROW_CHECK(csv_text(w, write_rows[i].fields[f]) == 0, "row %zu (%s): field %zu", i,
                      write_rows[i].what, f);
        ROW_CHECK(csv_end(w) == 0, "row %zu (%s): end", i, write_rows[i].what);
        ROW_CHECK(strcmp(rb_buf_cstr(&t.b), write_rows[i].want) == 0, "row %zu (%s): got [%s]", i,
                  write_rows[i].what, rb_buf_cstr(&t.b));
        rb_buf_release(&t.b);
    }
}

TU_TEST(test_write_words_numbers_header)
{
    struct cbuf t;
    csv_writer *w = cbuf_init(&t, 1024, CSV_QUOTE_ALL);
    static const char *const head[] = {"kind", "id", "mean_score", NULL};
    assert_int_equal(csv_header(w, head), 0);
    /* Words are bare even with CSV_QUOTE_ALL, unless they need quotes; numbers are never
     * quoted or guarded. */
    assert_int_equal(csv_word(w, "control"), 0);
    assert_int_equal(csv_text(w, "am-1"), 0);
    assert_int_equal(csv_int(w, -5), 0);
    assert_int_equal(csv_fixed(w, 20.0, 1), 0);
    assert_int_equal(csv_fixed(w, 2.25, 2), 0);
    assert_int_equal(csv_int(w, INT64_MIN), 0);
    assert_int_equal(csv_word(w, "a,b"), 0);
    assert_int_equal(csv_word(w, "=w"), 0);
    assert_int_equal(csv_word(w, NULL), 0);
    assert_int_equal(csv_end(w), 0);
    assert_string_equal(rb_buf_cstr(&t.b), "kind,id,mean_score\r\n"
                                           "control,\"am-1\",-5,20.0,2.25,-9223372036854775808,"
                                           "\"a,b\",'=w,\r\n");
    /* csv_textn takes a length: bytes past it are not written. */
    rb_buf_reset(&t.b);
    csv_writer_init(w, &t.b, 0);
    assert_int_equal(csv_textn(w, "abc,def", 3), 0);
    assert_int_equal(csv_textn(w, NULL, 5), 0);
    assert_int_equal(csv_end(w), 0);
    assert_string_equal(rb_buf_cstr(&t.b), "abc,\r\n");
    rb_buf_release(&t.b);
}

TU_TEST(test_write_cap)
{
    struct cbuf t;
    csv_writer *w = cbuf_init(&t, 10, 0);
    assert_int_equal(csv_text(w, "12345"), 0);
    assert_int_equal(csv_text(w, "1234567"), RB_ETOOBIG);
    /* Sticky: every later call says so, and nothing passes the cap. */
    assert_int_equal(csv_text(w, ""), RB_ETOOBIG);
    assert_int_equal(csv_int(w, 1), RB_ETOOBIG);
    assert_int_equal(csv_end(w), RB_ETOOBIG);
    assert_true(t.b.len <= 10);
    rb_buf_release(&t.b);
}

/* ---- reader ---- */

/* The table as text: "LINE:[field][field];" per record. */
static void render(const csv_table *t, rb_buf *out)
{
    for (size_t r = 0; r < t->nrecords; r++) {
        rb_buf_printf(out, "%zu:", t->records[r].line);
        for (size_t f = 0; f < t->records[r].nfields; f++) {
            const rb_str *s = &t->records[r].fields[f];
            rb_buf_addc(out, '[');
            rb_buf_add(out, s->ptr, s->len);
            rb_buf_addc(out, ']');
            assert_int_equal(s->ptr[s->len], '\0');
        }
        rb_buf_addc(out, ';');
    }
}

#define TEXT(s) s, sizeof(s) - 1 /* a literal with its length: NUL bytes count */

static const struct csv_limits roomy = {1000, 100, 1000};

static const struct {
    const char *what;
    const char *text;
    size_t len;
    struct csv_limits lim; /* zero: roomy */
    int rc;
    const char *want;  /* rc 0: the rendered table */
    const char *where; /* rc != 0: ei.field */
    const char *says;  /* rc != 0: in ei.msg */
} read_rows[] = {
    {"an empty text has no records", TEXT(""), {0}, 0, "", NULL, NULL},
    {"CRLF line ends", TEXT("a,b\r\nc,d\r\n"), {0}, 0, "1:[a][b];2:[c][d];", NULL, NULL},
    {"LF line ends, no final line end", TEXT("a,b\nc,d"), {0}, 0, "1:[a][b];2:[c][d];", NULL,
     NULL},
    {"CRLF and LF mixed", TEXT("a,b\r\nc,d\ne,f\r\n"), {0}, 0, "1:[a][b];2:[c][d];3:[e][f];",
     NULL, NULL},
    {"quoted commas and doubled quotes", TEXT("\"a,b\",\"say \"\"hi\"\"\"\r\n"), {0}, 0,
     "1:[a,b][say \"hi\"];", NULL, NULL},
    {"a CRLF inside quotes is data, and a line", TEXT("\"x\r\ny\",z\r\nq,r\r\n"), {0}, 0,
     "1:[x\r\ny][z];3:[q][r];", NULL, NULL},
    {"an LF inside quotes is data, and a line", TEXT("\"x\ny\",z\nq,r"), {0}, 0,
     "1:[x\ny][z];3:[q][r];", NULL, NULL},
    {"a CR alone inside quotes is data", TEXT("\"a\rb\",c"), {0}, 0, "1:[a\rb][c];", NULL, NULL},
    {"empty fields", TEXT(",,\r\n,,\r\n"), {0}, 0, "1:[][][];2:[][][];", NULL, NULL},
    {"a quoted empty field", TEXT("\"\",a"), {0}, 0, "1:[][a];", NULL, NULL},
    {"a comma at the very end is an empty last field", TEXT("a,"), {0}, 0, "1:[a][];", NULL,
     NULL},
    {"spaces are data", TEXT(" a , b "), {0}, 0, "1:[ a ][ b ];", NULL, NULL},
    {"a leading byte order mark is skipped", TEXT("\xEF\xBB\xBF" "a,b\r\n"), {0}, 0,
     "1:[a][b];", NULL, NULL},
    {"a byte order mark alone: no records", TEXT("\xEF\xBB\xBF"), {0}, 0, "", NULL, NULL},
    {"a byte order mark later is data", TEXT("a,\xEF\xBB\xBF" "b"), {0}, 0,
     "1:[a][\xEF\xBB\xBF" "b];", NULL, NULL},
    {"a line end alone is one empty record", TEXT("\n"), {0}, 0, "1:[];", NULL, NULL},
    {"one column: an empty line is an empty value", TEXT("a\n\nb\n"), {0}, 0, "1:[a];2:[];3:[b];",
     NULL, NULL},
    {"UTF-8 text", TEXT("نام,ünï\r\n"), {0}, 0, "1:[نام][ünï];", NULL, NULL},
    {"a guarded cell reads as written", TEXT("'=1+1,x"), {0}, 0, "1:['=1+1][x];", NULL, NULL},

    {"a quote inside an unquoted field", TEXT("a,b\r\nc\"d,e\r\n"), {0}, RB_EINVAL, NULL,
     "line 2, field 1", "a quote inside an unquoted field"},
    {"text after a closing quote", TEXT("a,\"b\"x\r\n"), {0}, RB_EINVAL, NULL, "line 1, field 2",
     "after the closing quote"},
    {"a quote closing too early", TEXT("x,y\n\"say \"hi\"\",z\n"), {0}, RB_EINVAL, NULL,
     "line 2, field 1", "after the closing quote"},
    {"a quoted field never closed: where it opened", TEXT("a,b\r\nc,\"d\r\ne\r\nf"), {0},
     RB_EINVAL, NULL, "line 2, field 2", "not closed"},
    {"a CR alone ends a field", TEXT("a,b\rc,d"), {0}, RB_EINVAL, NULL, "line 1, field 2",
     "carriage return alone"},
    {"a CR alone at the very end", TEXT("a,b\r"), {0}, RB_EINVAL, NULL, "line 1, field 2",
     "carriage return alone"},
    {"a CR alone after a quoted field", TEXT("\"a\"\rb"), {0}, RB_EINVAL, NULL, "line 1, field 1",
     "carriage return alone"},
    {"a record with fewer fields: the first missing", TEXT("a,b,c\r\nd,e\r\n"), {0}, RB_EINVAL,
     NULL, "line 2, field 3", "fewer fields than the first record's 3"},
    {"a record with more fields: the first extra", TEXT("a,b\nc,d,e\n"), {0}, RB_EINVAL, NULL,
     "line 2, field 3", "more fields than the first record's 2"},
    {"a blank line among wider records", TEXT("a,b\r\n\r\nc,d\r\n"), {0}, RB_EINVAL, NULL,
     "line 2", "an empty line"},
    {"two line ends at the end", TEXT("a,b\n\n"), {0}, RB_EINVAL, NULL, "line 2",
     "an empty line"},
    {"lines count the line ends inside quotes", TEXT("\"x\ny\",1\n3,\"q\"r\n"), {0}, RB_EINVAL,
     NULL, "line 3, field 2", "after the closing quote"},
    {"the error line is where the problem is", TEXT("a,b\n\"x\ny\"z,1\n"), {0}, RB_EINVAL, NULL,
     "line 3, field 1", "after the closing quote"},
    {"a NUL byte", TEXT("a,b\0c"), {0}, RB_EINVAL, NULL, "line 1, field 2", "NUL"},
    {"a byte that is not UTF-8", TEXT("a,\xff"), {0}, RB_EINVAL, NULL, "line 1, field 2",
     "not UTF-8"},
    {"a surrogate is not UTF-8", TEXT("a\n\xed\xa0\x80"), {0}, RB_EINVAL, NULL, "line 2, field 1",
     "not UTF-8"},
    {"latin-1 inside quotes", TEXT("x\n\"caf\xe9\""), {0}, RB_EINVAL, NULL, "line 2, field 1",
     "not UTF-8"},

    {"records: exactly the cap", TEXT("a\nb\n"), {2, 10, 10}, 0, "1:[a];2:[b];", NULL, NULL},
    {"records: one past the cap", TEXT("a\nb\nc\n"), {2, 10, 10}, RB_ETOOBIG, NULL, "line 3",
     "more than 2 records"},
    {"fields: exactly the cap", TEXT("a,b,c"), {10, 3, 10}, 0, "1:[a][b][c];", NULL, NULL},
    {"fields: one past the cap", TEXT("a,b,c,d"), {10, 3, 10}, RB_ETOOBIG, NULL,
     "line 1, field 4", "more than 3 fields"},
    {"field size: exactly the cap", TEXT("abc,d"), {10, 10, 3}, 0, "1:[abc][d];", NULL, NULL},
    {"field size: one past the cap", TEXT("abc,abcd"), {10, 10, 3}, RB_ETOOBIG, NULL,
     "line 1, field 2", "longer than 3 bytes"},
    {"field size counts the field unquoted", TEXT("\"\"\"\"\"\"\"\""), {10, 10, 3}, 0,
     "1:[\"\"\"];", NULL, NULL},
};

TU_TEST(test_read_rows)
{
    for (size_t i = 0; i < RB_ARRAY_LEN(read_rows); i++) {
        const struct csv_limits *lim = read_rows[i].lim.max_records ? &read_rows[i].lim : &roomy;
        rb_arena a;
        rb_arena_init(&a, 1 << 20);
        csv_table t = {.nrecords = 77}; /* must stay so on failure */
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc = csv_parse(read_rows[i].text, read_rows[i].len, lim, &a, &t, &ei);
        ROW_CHECK(rc == read_rows[i].rc, "row %zu (%s): rc %d, want %d (%s: %s)", i,
                  read_rows[i].what, rc, read_rows[i].rc, ei.field, ei.msg);
        if (rc == 0) {
            rb_buf b;
            rb_buf_init(&b, 4096);
            render(&t, &b);
            ROW_CHECK(strcmp(rb_buf_cstr(&b), read_rows[i].want) == 0, "row %zu (%s): got [%s]",
                      i, read_rows[i].what, rb_buf_cstr(&b));
            ROW_CHECK(t.width == (t.nrecords ? t.records[0].nfields : 0), "row %zu: width", i);
            rb_buf_release(&b);
        } else {
            ROW_CHECK(strcmp(ei.field, read_rows[i].where) == 0, "row %zu (%s): at [%s]", i,
                      read_rows[i].what, ei.field);
            ROW_CHECK(strstr(ei.msg, read_rows[i].says) != NULL, "row %zu (%s): says [%s]", i,
                      read_rows[i].what, ei.msg);
            ROW_CHECK(t.nrecords == 77 && t.records == NULL, "row %zu: out was touched", i);
            ROW_CHECK(a.used_total == 0, "row %zu: a refused file allocated", i);
        }
        rb_arena_release(&a);
    }
}

TU_TEST(test_read_full_arena)
{
    /* A file that passes every check but does not fit: RB_ENOMEM, out untouched. */
    rb_arena a;
    rb_arena_init(&a, 16);
    csv_table t = {.nrecords = 77};
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    assert_int_equal(csv_parse(TEXT("a,b\r\nc,d\r\n"), &roomy, &a, &t, &ei), RB_ENOMEM);
    assert_int_equal(t.nrecords, 77);
    rb_arena_release(&a);
}

TU_TEST(test_csv_err)
{
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    assert_int_equal(csv_err(&ei, RB_EINVAL, 12, 3, "\"%s\" is not a sector", "mining"),
                     RB_EINVAL);
    assert_string_equal(ei.field, "line 12, field 3");
    assert_string_equal(ei.msg, "\"mining\" is not a sector");
    assert_int_equal(csv_err(&ei, RB_ETOOBIG, 7, 0, "too many"), RB_ETOOBIG);
    assert_string_equal(ei.field, "line 7");
    assert_int_equal(csv_err(NULL, RB_EINVAL, 1, 1, "x"), RB_EINVAL);
}

/* ---- together ---- */

/* Random tables written and read back: the same table, but for the guard's leading '. */
TU_TEST(test_round_trip)
{
    static const char *const atoms[] = {"a", "b", ",", "\"", "\r\n", "\n", "\r", " ", "ü", "=",
                                        "-", "@", "\t", "'", "x,\"y\""};
    uint64_t seed = 0x5eedc5f;
    for (int round = 0; round < 300; round++) {
        int nrec = 1 + tu_rand_below(&seed, 6), width = 1 + tu_rand_below(&seed, 5);
        char cells[6][5][64];
        rb_buf text;
        rb_buf_init(&text, 1 << 16);
        csv_writer w;
        csv_writer_init(&w, &text, tu_rand_below(&seed, 2) ? CSV_QUOTE_ALL : 0);
        for (int r = 0; r < nrec; r++) {
            for (int f = 0; f < width; f++) {
                cells[r][f][0] = '\0';
                for (int k = tu_rand_below(&seed, 5); k > 0; k--) {
                    const char *atom = atoms[tu_rand_below(&seed, (int)RB_ARRAY_LEN(atoms))];
                    size_t used = strlen(cells[r][f]);
                    rb_strlcpy(cells[r][f] + used, atom, sizeof(cells[r][f]) - used);
                }
                assert_int_equal(csv_text(&w, cells[r][f]), 0);
            }
            assert_int_equal(csv_end(&w), 0);
        }
        /* With or without the final line end; a last record of one bare empty field needs it. */
        bool bare_empty = width == 1 && !cells[nrec - 1][0][0] && !(w.flags & CSV_QUOTE_ALL);
        if (!bare_empty && tu_rand_below(&seed, 2))
            text.len -= 2;
        rb_arena a;
        rb_arena_init(&a, 1 << 20);
        csv_table t;
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc = csv_parse(text.ptr, text.len, &roomy, &a, &t, &ei);
        ROW_CHECK(rc == 0, "round %d: %s: %s in [%s]", round, ei.field, ei.msg, text.ptr);
        ROW_CHECK(t.nrecords == (size_t)nrec && t.width == (size_t)width, "round %d: shape", round);
        for (int r = 0; r < nrec; r++)
            for (int f = 0; f < width; f++) {
                const char *c = cells[r][f];
                bool guard = c[0] && strchr("=+-@\t\r", c[0]);
                const rb_str *got = &t.records[r].fields[f];
                ROW_CHECK(got->len == strlen(c) + guard && (!guard || got->ptr[0] == '\'') &&
                              memcmp(got->ptr + guard, c, strlen(c)) == 0,
                          "round %d record %d field %d: [%s] read back as [%s]", round, r, f, c,
                          got->ptr);
            }
        rb_arena_release(&a);
        rb_buf_release(&text);
    }
}

/* Damaged files: each either reads or is refused at a place, never anything else. */
TU_TEST(test_damaged_files)
{
    static const char base[] = "id,title,score\r\n"
                               "\"am-1\",\"Asset \"\"inventory\"\", all\",20.5\r\n"
                               "am-2,\"two\nlines\",-1\r\n";
    static const char noise[] = {'"', ',', '\r', '\n', 'x', '\0', '\xff', '\xc3'};
    uint64_t seed = 42;
    for (int round = 0; round < 2000; round++) {
        char text[sizeof(base)];
        memcpy(text, base, sizeof(base));
        size_t len = sizeof(base) - 1 - (size_t)tu_rand_below(&seed, 4);
        for (int k = 1 + tu_rand_below(&seed, 3); k > 0; k--)
            text[tu_rand_below(&seed, (int)len)] =
                noise[tu_rand_below(&seed, (int)sizeof(noise))];
        rb_arena a;
        rb_arena_init(&a, 1 << 20);
        csv_table t = {.nrecords = 77};
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc = csv_parse(text, len, &roomy, &a, &t, &ei);
        if (rc == 0)
            ROW_CHECK(t.nrecords >= 1 && t.nrecords <= 6, "round %d: %zu records", round,
                      t.nrecords);
        else
            ROW_CHECK(rc == RB_EINVAL && strncmp(ei.field, "line ", 5) == 0 && ei.msg[0] &&
                          t.nrecords == 77 && a.used_total == 0,
                      "round %d: rc %d at [%s]", round, rc, ei.field);
        rb_arena_release(&a);
    }
}

TU_MAIN({
    cmocka_unit_test(test_write_rows),
    cmocka_unit_test(test_write_words_numbers_header),
    cmocka_unit_test(test_write_cap),
    cmocka_unit_test(test_read_rows),
    cmocka_unit_test(test_read_full_arena),
    cmocka_unit_test(test_csv_err),
    cmocka_unit_test(test_round_trip),
    cmocka_unit_test(test_damaged_files),
})
