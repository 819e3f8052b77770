/*
 * fuzz_inventory.c - libFuzzer target for reading an inventory CSV file (core/inventory:
 * inventory_csv_read, pure: no database).
 *
 * Beyond "no crash", it checks properties that must hold for every input:
 *   - a refusal is RB_EINVAL or RB_ETOOBIG (or RB_ENOMEM), names a place "line L..." and says
 *     why, and leaves the output untouched;
 *   - an accepted file's rows are all counted: good plus bad is the file's rows, at most
 *     INVENTORY_MAX; at most INVENTORY_PROBLEMS_MAX problems are kept, each after the header, in
 *     the order of the file, naming a field of the header or none;
 *   - every good row passes the item's rules again, with its vendor and product given.
 * A violated property aborts, so libFuzzer records the input as a crash.
 */
#include "base/common.h"
#include "base/mem.h"
#include "core/inventory.h"

#define FUZZ_TARGET "fuzz_inventory"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rb_arena a;
    rb_errinfo ei;
    if (!fuzz_begin(size, &a, 64u << 20, &ei))
        return 0;
    struct inventory_file f;
    memset(&f, FUZZ_POISON, sizeof(f));
    int rc = inventory_csv_read((const char *)data, size, &a, &f, &ei);
    if (rc) {
        fuzz_check_line_refusal(rc, &ei, f.nrows);
        rb_arena_release(&a);
        return 0;
    }
    CHECK(f.nrows + f.nbad == f.total && f.total <= INVENTORY_MAX, "every row counted");
    CHECK(f.nproblems <= INVENTORY_PROBLEMS_MAX && f.nproblems <= f.nbad &&
              (f.nbad <= INVENTORY_PROBLEMS_MAX ? f.nproblems == f.nbad : true),
          "problems kept");
    size_t line = 1;
    for (size_t i = 0; i < f.nproblems; i++) {
        CHECK(f.problems[i].line > line || (i == 0 && f.problems[i].line > 1), "in file order");
        line = f.problems[i].line;
        CHECK(f.problems[i].field <= 32 && f.problems[i].msg[0], "a problem names its place");
    }
    for (size_t i = 0; i < f.nrows; i++) {
        rb_errinfo again;
        rb_errinfo_clear(&again);
        CHECK(inventory_check(&f.rows[i].in, false, &again) == 0, "a good row passes the rules");
        CHECK(f.rows[i].in.vendor && f.rows[i].in.product && f.rows[i].line > 1, "a good row");
    }
    rb_arena_release(&a);
    return 0;
}
