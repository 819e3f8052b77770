/*
 * fuzz_import.c - libFuzzer target for reading an incident import (core/incident_import:
 * incident_import_read), over a small in-memory database with a root and two orgs.
 *
 * The first byte picks the format ('j' JSON, anything else CSV); the rest is the file. Beyond "no
 * crash", for every input:
 *   - a refusal of the whole file is RB_EINVAL or RB_ETOOBIG (or RB_ENOMEM) and says why;
 *   - an accepted file's rows are each either good or named once as a problem (nrows + nproblems
 *     = total), every problem says what is wrong and where (a line from 2 on, an index below
 *     the total), and problems come in file order;
 *   - nothing is written to the database by reading (the incident count stays 0).
 */
#include "base/common.h"
#include "base/crypto.h"
#include "core/incident_import.h"
#include "core/org.h"

#define FUZZ_TARGET "fuzz_import"
#include "fuzz_util.h"

static rb_db *fuzz_db(void)
{
    static rb_db *db;
    if (db)
        return db;
    rb_crypto_init();
    fuzz_json_init();
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    CHECK(db_open(":memory:", DB_OPEN_CREATE | DB_OPEN_MIGRATE, &db, &ei) == 0, "db_open");
    rb_actor sys;
    rb_actor_system(&sys, NULL);
    char root[RB_ID_SIZE], cert[RB_ID_SIZE], inst[RB_ID_SIZE];
    CHECK(org_create_root(db, &sys, "National CERT", "NCERT", root, &ei) == 0, "root");
    rb_orgref r;
    CHECK(org_root(db, &r) == 0, "org_root");
    rb_actor_system(&sys, &r);
    rb_org_input in;
    org_input_init(&in);
    in.parent_id = root;
    in.kind = KIND_PROVINCIAL_CERT;
    in.name = "Punjab CERT";
    in.short_name = "PB-CERT";
    CHECK(org_create(db, &sys, &in, cert, &ei) == 0, "cert");
    org_input_init(&in);
    in.parent_id = cert;
    in.kind = KIND_INSTITUTION;
    in.name = "Punjab Health";
    CHECK(org_create(db, &sys, &in, inst, &ei) == 0, "institution");
    return db;
}

static int64_t incidents(rb_db *db)
{
    rb_stmt *st = NULL;
    int64_t n = -1;
    CHECK(db_prepare(db, "SELECT count(*) FROM incidents", &st) == 0, "count");
    CHECK(db_int(st, &n) == 0, "count");
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rb_arena a;
    rb_errinfo ei;
    if (size < 1 || !fuzz_begin(size, &a, 256u << 20, &ei))
        return 0;
    rb_db *db = fuzz_db();
    enum import_format f = data[0] == 'j' ? IMPORT_JSON : IMPORT_CSV;
    struct incident_import imp;
    memset(&imp, FUZZ_POISON, sizeof(imp));
    int rc =
        incident_import_read(db, f, (const char *)data + 1, size - 1, &a, &imp, NULL, NULL, &ei);
    if (rc) {
        fuzz_check_refusal(rc, &ei, RB_EINVAL, RB_ETOOBIG);
        CHECK(imp.total == FUZZ_POISONED, "the output is untouched");
    } else {
        CHECK(imp.nrows + imp.nproblems == imp.total, "each row is good or one problem");
        size_t last = 0;
        for (size_t i = 0; i < imp.nproblems; i++) {
            const struct import_problem *p = &imp.problems[i];
            CHECK(p->msg[0] != '\0', "a problem says what is wrong");
            if (f == IMPORT_CSV)
                CHECK(p->where >= 2, "a CSV row is on line 2 or later");
            else
                CHECK(p->where < imp.total, "a JSON index is in the array");
            CHECK(i == 0 || p->where > last, "problems in file order");
            last = p->where;
            char text[600];
            incident_import_problem_text(&imp, p, text, sizeof(text));
            CHECK(strncmp(text, f == IMPORT_CSV ? "line " : "index ", f == IMPORT_CSV ? 5 : 6) == 0,
                  "the text names the place");
        }
    }
    CHECK(incidents(db) == 0, "reading writes nothing");
    rb_arena_release(&a);
    return 0;
}
