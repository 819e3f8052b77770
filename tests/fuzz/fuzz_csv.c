/*
 * fuzz_csv.c - libFuzzer target for the CSV reader (src/formats/csv: csv_parse) and writer.
 *
 * Beyond "no crash", it checks properties that must hold for every input:
 *   - a refusal is RB_EINVAL or RB_ETOOBIG (or RB_ENOMEM), names a place "line L, field F" or
 *     "line L" and says why, and leaves the output untouched;
 *   - an accepted file has records of one width within the caps, each field valid UTF-8 with
 *     its NUL in place, and line numbers that never go down;
 *   - writing the table back (quoting every field, no guard needed since no field is changed by
 *     reading) and reading that gives the same table, except that the writer's formula guard
 *     adds a ' before a field starting with = + - @ tab or CR.
 * A violated property aborts, so libFuzzer records the input as a crash.
 */
#include "base/common.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "formats/csv.h"

#define FUZZ_TARGET "fuzz_csv"
#include "fuzz_util.h"

static const struct csv_limits lim = {.max_records = 2000, .max_fields = 64, .max_field = 4096};

static bool guarded(const rb_str *f)
{
    return f->len > 0 && strchr("=+-@\t\r", f->ptr[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rb_arena a;
    rb_errinfo ei;
    if (!fuzz_begin(size, &a, 64u << 20, &ei))
        return 0;
    csv_table t;
    memset(&t, FUZZ_POISON, sizeof(t));
    int rc = csv_parse((const char *)data, size, &lim, &a, &t, &ei);
    if (rc) {
        fuzz_check_line_refusal(rc, &ei, t.nrecords);
        rb_arena_release(&a);
        return 0;
    }
    CHECK(t.nrecords <= lim.max_records, "record cap");
    size_t line = 0;
    for (size_t i = 0; i < t.nrecords; i++) {
        const csv_record *r = &t.records[i];
        CHECK(r->nfields == t.width && r->nfields <= lim.max_fields, "one width");
        CHECK(r->line >= line, "lines go forward");
        line = r->line;
        for (size_t k = 0; k < r->nfields; k++) {
            CHECK(r->fields[k].len <= lim.max_field, "field cap");
            CHECK(r->fields[k].ptr[r->fields[k].len] == '\0', "NUL-terminated");
            CHECK(rb_utf8_valid(r->fields[k].ptr, r->fields[k].len, NULL), "UTF-8");
        }
    }
    /* Write it back and read it again. */
    rb_buf out;
    rb_buf_init(&out, 64u << 20);
    csv_writer w;
    csv_writer_init(&w, &out, CSV_QUOTE_ALL);
    for (size_t i = 0; i < t.nrecords; i++) {
        for (size_t k = 0; k < t.records[i].nfields; k++)
            csv_textn(&w, t.records[i].fields[k].ptr, t.records[i].fields[k].len);
        csv_end(&w);
    }
    CHECK(out.err == 0, "the writer fits");
    csv_table t2;
    struct csv_limits lim2 = lim;
    lim2.max_field = lim.max_field + 1; /* room for the guard */
    rc = csv_parse(out.ptr ? out.ptr : "", out.len, &lim2, &a, &t2, &ei);
    CHECK(rc == 0, "what the writer wrote reads back");
    CHECK(t2.nrecords == t.nrecords && (t.nrecords == 0 || t2.width == t.width), "same shape");
    for (size_t i = 0; i < t.nrecords; i++)
        for (size_t k = 0; k < t.width; k++) {
            const rb_str *f = &t.records[i].fields[k], *g = &t2.records[i].fields[k];
            size_t skip = guarded(f) ? 1 : 0;
            CHECK(g->len == f->len + skip && (!skip || g->ptr[0] == '\'') &&
                      memcmp(g->ptr + skip, f->ptr, f->len) == 0,
                  "the same fields (a guarded one gains a leading ')");
        }
    rb_buf_release(&out);
    rb_arena_release(&a);
    return 0;
}
