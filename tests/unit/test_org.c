/*
 * test_org.c - the org tree (create, closure table, depth cap, moves, visibility, pagination)
 * and the user input checks (passwords, emails).
 */
#include "base/common.h"
#include "base/mem.h"
#include "core/audit.h"
#include "core/org.h"
#include "core/policy.h"
#include "core/user.h"
#include "db/db.h"

#include <unistd.h>

#include "test_util.h"

static void test_root(void **state)
{
    struct tu_fixture *f = *state;
    rb_orgref r;
    assert_int_equal(org_root(f->db, &r), 0);
    assert_string_equal(r.id, f->n);
    assert_int_equal(r.kind, KIND_NATIONAL_CERT);
    assert_int_equal(r.nanc, 0);
    char again[RB_ID_SIZE] = "";
    rb_errinfo_clear(&f->ei);
    assert_int_equal(org_create_root(f->db, &f->sys, "Second National", NULL, again, &f->ei),
                     RB_ECONFLICT);
    assert_int_equal(f->ei.code, RB_ECONFLICT);
    assert_string_equal(again, "");
    int64_t count = 0;
    assert_int_equal(org_count(f->db, &count), 0);
    assert_int_equal(count, 1);
    /* The failed attempt wrote no audit entry and left no transaction open. */
    assert_false(db_in_tx(f->db));
    struct audit_verify_result res;
    assert_int_equal(audit_verify(f->db, &res), 0);
    assert_int_equal(res.entries, 1);
    /* Before init there is no root. */
    rb_db *empty = tu_db_open();
    assert_int_equal(org_root(empty, &r), RB_ENOTFOUND);
    db_close(empty);
}

/* The input of a create or update row: the fields it names, the rest as org_input_init leaves
 * them (a row's NULL and -1 are those values). */
static void input_of(rb_org_input *in, int kind, const char *name, const char *short_name,
                     const char *province, const char *sector, const char *review, int cii,
                     int grade)
{
    org_input_init(in);
    in->kind = kind;
    in->name = name;
    in->short_name = short_name;
    in->province = province;
    in->sector = sector;
    in->cii_review_date = review;
    in->cii = cii;
    in->cii_grade = grade;
}

enum { R_NULL = -1, R_UNKNOWN = -2, R_BADID = -3, R_N = 0, R_P, R_PI1, R_S };

static void test_create_rules(void **state)
{
    struct tu_fixture *f = *state;
    tu_std_tree(f);
    static const struct {
        const char *what;
        int parent;
        int kind;
        const char *name;
        int cii, grade;
        const char *province, *sector, *review;
        int rc;
        const char *field;
    } rows[] = {
        {"provincial CERT under the root", R_N, KIND_PROVINCIAL_CERT, "KP CERT", -1, -1,
         "khyber_pakhtunkhwa", "government", NULL, 0, NULL},
        {"institution under a CERT", R_P, KIND_INSTITUTION, "Punjab Land Records", -1, -1, "punjab",
         NULL, NULL, 0, NULL},
        {"CII institution with grade and review date", R_P, KIND_INSTITUTION, "Lahore Water", 1, 3,
         NULL, "water", "2027-06-30", 0, NULL},
        {"sub-CERT under a provincial CERT", R_P, KIND_SECTORAL_CERT, "Punjab Telecom CERT", -1, -1,
         NULL, "telecom", NULL, 0, NULL},
        {"child of an institution", R_PI1, KIND_INSTITUTION, "Finance Branch", -1, -1, NULL, NULL,
         NULL, RB_EINVAL, "parent_id"},
        {"CERT under an institution", R_PI1, KIND_SECTORAL_CERT, "Finance CERT", -1, -1, NULL, NULL,
         NULL, RB_EINVAL, "parent_id"},
        {"a second national CERT", R_N, KIND_NATIONAL_CERT, "Other National", -1, -1, NULL, NULL,
         NULL, RB_EINVAL, "kind"},
        {"no kind", R_N, -1, "Kindless", -1, -1, NULL, NULL, NULL, RB_EINVAL, "kind"},
        {"no name", R_N, KIND_PROVINCIAL_CERT, NULL, -1, -1, NULL, NULL, NULL, RB_EINVAL, "name"},
        {"name too short", R_N, KIND_PROVINCIAL_CERT, "X", -1, -1, NULL, NULL, NULL, RB_EINVAL,
         "name"},
        {"control character in name", R_N, KIND_PROVINCIAL_CERT, "Bad\nName", -1, -1, NULL, NULL,
         NULL, RB_EINVAL, "name"},
        {"no parent", R_NULL, KIND_PROVINCIAL_CERT, "Orphan CERT", -1, -1, NULL, NULL, NULL,
         RB_EINVAL, "parent_id"},
        {"unknown parent", R_UNKNOWN, KIND_PROVINCIAL_CERT, "Lost CERT", -1, -1, NULL, NULL, NULL,
         RB_ENOTFOUND, "parent_id"},
        {"parent id not a uuid", R_BADID, KIND_PROVINCIAL_CERT, "Lost CERT", -1, -1, NULL, NULL,
         NULL, RB_ENOTFOUND, "parent_id"},
        {"duplicate sibling name", R_P, KIND_INSTITUTION, "Punjab Finance", -1, -1, NULL, NULL,
         NULL, RB_ECONFLICT, "name"},
        {"same name under another parent", R_S, KIND_INSTITUTION, "Punjab Finance", -1, -1, NULL,
         NULL, NULL, 0, NULL},
        {"CII on a CERT", R_P, KIND_CII_CERT, "Grid CERT", 1, 2, NULL, NULL, NULL, RB_EINVAL,
         "cii"},
        {"CII without grade", R_P, KIND_INSTITUTION, "Gas Co", 1, 0, NULL, NULL, NULL, RB_EINVAL,
         "cii_grade"},
        {"grade without CII", R_P, KIND_INSTITUTION, "Gas Co", 0, 2, NULL, NULL, NULL, RB_EINVAL,
         "cii_grade"},
        {"grade out of range", R_P, KIND_INSTITUTION, "Gas Co", 1, 4, NULL, NULL, NULL, RB_EINVAL,
         "cii_grade"},
        {"unknown province", R_P, KIND_INSTITUTION, "Gas Co", -1, -1, "atlantis", NULL, NULL,
         RB_EINVAL, "province"},
        {"unknown sector", R_P, KIND_INSTITUTION, "Gas Co", -1, -1, NULL, "mining", NULL, RB_EINVAL,
         "sector"},
        {"bad review date", R_P, KIND_INSTITUTION, "Gas Co", 1, 1, NULL, NULL, "2027-13-01",
         RB_EINVAL, "cii_review_date"},
        {"review date with a time", R_P, KIND_INSTITUTION, "Gas Co", 1, 1, NULL, NULL,
         "2027-06-30T00:00:00Z", RB_EINVAL, "cii_review_date"},
    };
    const char *ids[] = {f->n, f->p, f->pi1, f->s};
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_org_input in;
        input_of(&in, rows[i].kind, rows[i].name, NULL, rows[i].province, rows[i].sector,
                 rows[i].review, rows[i].cii, rows[i].grade);
        in.parent_id = rows[i].parent >= 0           ? ids[rows[i].parent]
                       : rows[i].parent == R_UNKNOWN ? "00000000-0000-4000-8000-00000000dead"
                       : rows[i].parent == R_BADID   ? "not-a-uuid"
                                                     : NULL;
        int64_t before = 0, after = 0;
        assert_int_equal(org_count(f->db, &before), 0);
        char id[RB_ID_SIZE] = "";
        rb_errinfo_clear(&f->ei);
        int rc = org_create(f->db, &f->sys, &in, id, &f->ei);
        assert_int_equal(org_count(f->db, &after), 0);
        ROW_CHECK(rc == rows[i].rc, "row %zu (%s): rc %d (%s), expected %d", i, rows[i].what, rc,
                  f->ei.msg, rows[i].rc);
        if (rc) {
            ROW_CHECK(strcmp(f->ei.field, rows[i].field) == 0,
                      "row %zu (%s): field \"%s\", expected \"%s\"", i, rows[i].what, f->ei.field,
                      rows[i].field);
            ROW_CHECK(after == before, "row %zu (%s): an org was written", i, rows[i].what);
            ROW_CHECK(!db_in_tx(f->db), "row %zu: transaction left open", i);
        } else {
            ROW_CHECK(after == before + 1 && rb_uuid_valid(id), "row %zu (%s): not created", i,
                      rows[i].what);
            rb_arena a;
            rb_arena_init(&a, 1 << 16);
            rb_org o;
            assert_int_equal(org_get(f->db, &f->sys, id, &a, &o), 0);
            ROW_CHECK(strcmp(o.name, rows[i].name) == 0 && (int)o.kind == rows[i].kind &&
                          strcmp(o.parent_id, in.parent_id) == 0 && o.cii == (rows[i].cii == 1) &&
                          o.cii_grade == (rows[i].cii == 1 ? rows[i].grade : 0),
                      "row %zu (%s): stored fields differ", i, rows[i].what);
            rb_arena_release(&a);
        }
    }
    struct audit_verify_result res;
    assert_int_equal(audit_verify(f->db, &res), 0);
    assert_int_equal(res.entries, 1 + 8 + 5); /* root, std_tree, the 5 created rows */
}

static void test_create_permissions(void **state)
{
    struct tu_fixture *f = *state;
    tu_std_tree(f);
    static const struct {
        const char *what;
        int actor_org; /* index into ids */
        enum rb_role role;
        int parent;
        int rc;
    } rows[] = {
        {"national admin anywhere", 0, ROLE_ADMIN, 4, 0},
        {"provincial admin below itself", 1, ROLE_ADMIN, 1, 0},
        {"provincial admin below its sub-CERT", 1, ROLE_ADMIN, 4, 0},
        {"provincial admin in another province", 1, ROLE_ADMIN, 2, RB_ENOTFOUND},
        {"provincial admin at the root", 1, ROLE_ADMIN, 0, RB_EPERM},
        {"provincial analyst", 1, ROLE_ANALYST, 1, RB_EPERM},
        {"institution admin", 3, ROLE_ADMIN, 1, RB_EPERM},
    };
    const char *ids[] = {f->n, f->p, f->s, f->pi1, f->pc};
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_actor a;
        tu_actor_at(f, &a, rows[i].role, ids[rows[i].actor_org]);
        char name[64];
        snprintf(name, sizeof(name), "Created by row %zu", i);
        int rc = tu_org(f, &a, ids[rows[i].parent], KIND_INSTITUTION, name, NULL);
        ROW_CHECK(rc == rows[i].rc, "row %zu (%s): rc %d (%s)", i, rows[i].what, rc, f->ei.msg);
    }
}

static void test_depth_cap(void **state)
{
    struct tu_fixture *f = *state;
    char chain[RB_MAX_DEPTH][RB_ID_SIZE];
    rb_strlcpy(chain[0], f->n, RB_ID_SIZE);
    /* Levels 1..RB_MAX_DEPTH-1 are allowed: RB_MAX_DEPTH levels in all. */
    for (int d = 1; d < RB_MAX_DEPTH; d++) {
        char name[32];
        snprintf(name, sizeof(name), "Level %d CERT", d);
        int rc = tu_org(f, &f->sys, chain[d - 1], KIND_SECTORAL_CERT, name, chain[d]);
        ROW_CHECK(rc == 0, "level %d: rc %d (%s)", d, rc, f->ei.msg);
    }
    rb_orgref deepest;
    assert_int_equal(org_ref_load(f->db, chain[RB_MAX_DEPTH - 1], &deepest), 0);
    assert_int_equal(deepest.nanc, RB_MAX_DEPTH - 1);
    for (int k = 0; k < deepest.nanc; k++)
        ROW_CHECK(strcmp(deepest.ancestors[k], chain[k]) == 0, "ancestor %d out of order", k);
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    rb_org o;
    assert_int_equal(org_get(f->db, &f->sys, chain[RB_MAX_DEPTH - 1], &a, &o), 0);
    assert_int_equal(o.depth, RB_MAX_DEPTH - 1);
    rb_arena_release(&a);
    /* One more level is refused, for an institution as for a CERT. */
    assert_int_equal(
        tu_org(f, &f->sys, chain[RB_MAX_DEPTH - 1], KIND_INSTITUTION, "Too Deep", NULL), RB_EINVAL);
    assert_string_equal(f->ei.field, "parent_id");
    assert_int_equal(
        tu_org(f, &f->sys, chain[RB_MAX_DEPTH - 1], KIND_SECTORAL_CERT, "Too Deep", NULL),
        RB_EINVAL);
    /* A move that would push a subtree past the cap is refused too. */
    char side[RB_ID_SIZE], leaf[RB_ID_SIZE];
    assert_int_equal(tu_org(f, &f->sys, f->n, KIND_PROVINCIAL_CERT, "Side CERT", side), 0);
    assert_int_equal(tu_org(f, &f->sys, side, KIND_INSTITUTION, "Side Leaf", leaf), 0);
    rb_org_input in;
    org_input_init(&in);
    in.parent_id = chain[RB_MAX_DEPTH - 2]; /* side at level 7, its leaf at 8: too deep */
    rb_errinfo_clear(&f->ei);
    assert_int_equal(org_update(f->db, &f->sys, side, &in, &f->a, &f->ei), RB_EINVAL);
    assert_string_equal(f->ei.field, "parent_id");
    in.parent_id = chain[RB_MAX_DEPTH - 3]; /* side at 6, leaf at 7: fits */
    rb_errinfo_clear(&f->ei);
    assert_int_equal(org_update(f->db, &f->sys, side, &in, &f->a, &f->ei), 0);
    rb_orgref lr;
    assert_int_equal(org_ref_load(f->db, leaf, &lr), 0);
    assert_int_equal(lr.nanc, RB_MAX_DEPTH - 1);
}

/* The closure rows of `id`, nearest first, against the expected ancestors (self first). */
static void check_closure(struct tu_fixture *f, const char *id, const char *const *expect, int n)
{
    rb_stmt *st = tu_prepare(
        f->db,
        "SELECT ancestor_id, depth FROM org_closure WHERE descendant_id = ?1 ORDER BY depth");
    db_bind_text(st, 1, id);
    int k = 0;
    while (db_step(st) == DB_ROW) {
        ROW_CHECK(k < n, "closure of %s: more than %d rows", id, n);
        ROW_CHECK(strcmp(db_col_text(st, 0), expect[k]) == 0 && db_col_int(st, 1) == k,
                  "closure of %s row %d: %s depth %" PRId64, id, k, db_col_text(st, 0),
                  db_col_int(st, 1));
        k++;
    }
    db_done(st);
    ROW_CHECK(k == n, "closure of %s: %d rows, expected %d", id, k, n);
    /* And org_ref_load gives the same ancestors, root first. */
    rb_orgref r;
    assert_int_equal(org_ref_load(f->db, id, &r), 0);
    ROW_CHECK(r.nanc == n - 1, "ref of %s: nanc %d", id, r.nanc);
    for (int i = 0; i < r.nanc; i++)
        ROW_CHECK(strcmp(r.ancestors[i], expect[n - 1 - i]) == 0, "ref of %s: ancestor %d", id, i);
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    rb_org o;
    assert_int_equal(org_get(f->db, &f->sys, id, &a, &o), 0);
    ROW_CHECK(o.depth == n - 1, "org %s: depth %d, expected %d", id, o.depth, n - 1);
    rb_arena_release(&a);
}

static void test_closure(void **state)
{
    struct tu_fixture *f = *state;
    tu_std_tree(f);
    const char *const n_[] = {f->n};
    const char *const p_[] = {f->p, f->n};
    const char *const pc_[] = {f->pc, f->p, f->n};
    const char *const pci_[] = {f->pci, f->pc, f->p, f->n};
    const char *const si_[] = {f->si, f->s, f->n};
    check_closure(f, f->n, n_, 1);
    check_closure(f, f->p, p_, 2);
    check_closure(f, f->pc, pc_, 3);
    check_closure(f, f->pci, pci_, 4);
    check_closure(f, f->si, si_, 3);
    /* 9 orgs: the closure has one row per (ancestor, descendant) pair including self. */
    assert_int_equal(tu_scalar(f->db, "SELECT count(*) FROM org_closure WHERE ?1 IS NULL", NULL),
                     1 + 2 + 2 + 2 + 3 + 3 + 3 + 4 + 3);
    rb_orgref r;
    assert_int_equal(org_ref_load(f->db, f->pci, &r), 0);
    assert_int_equal(r.kind, KIND_INSTITUTION);
    assert_int_equal(org_ref_load(f->db, "00000000-0000-4000-8000-00000000dead", &r), RB_ENOTFOUND);
    assert_int_equal(org_ref_load(f->db, "x' OR 1=1 --", &r), RB_ENOTFOUND);
    assert_int_equal(org_ref_load(f->db, NULL, &r), RB_ENOTFOUND);
}

static void test_move(void **state)
{
    struct tu_fixture *f = *state;
    tu_std_tree(f);
    int64_t closure_before =
        tu_scalar(f->db, "SELECT count(*) FROM org_closure WHERE ?1 IS NULL", NULL);
    rb_actor padmin, nadmin;
    tu_actor_at(f, &padmin, ROLE_ADMIN, f->p);
    tu_actor_at(f, &nadmin, ROLE_ADMIN, f->n);
    static const struct {
        const char *what;
        int actor;       /* 0 system, 1 provincial admin, 2 national admin (user) */
        int org, parent; /* indexes into ids; parent -1: unknown id */
        int rc;
        const char *field;
    } rows[] = {
        {"into its own child (cycle)", 0, 1, 5, RB_EINVAL, "parent_id"},
        {"into its own grandchild (cycle)", 0, 1, 6, RB_EINVAL, "parent_id"},
        {"under itself", 0, 5, 5, RB_EINVAL, "parent_id"},
        {"the root anywhere", 0, 0, 1, RB_EINVAL, "parent_id"},
        {"under an institution", 0, 5, 3, RB_EINVAL, "parent_id"},
        {"under an unknown org", 0, 5, -1, RB_ENOTFOUND, "parent_id"},
        {"by a provincial admin", 1, 6, 1, RB_EPERM, "parent_id"},
        {"national user admin into a cycle", 2, 1, 6, RB_EINVAL, "parent_id"},
    };
    const char *ids[] = {f->n, f->p, f->s, f->pi1, f->pi2, f->pc, f->pci, f->si, f->g};
    const rb_actor *actors[] = {&f->sys, &padmin, &nadmin};
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_org_input in;
        org_input_init(&in);
        in.parent_id =
            rows[i].parent >= 0 ? ids[rows[i].parent] : "00000000-0000-4000-8000-00000000dead";
        rb_errinfo_clear(&f->ei);
        int rc = org_update(f->db, actors[rows[i].actor], ids[rows[i].org], &in, &f->a, &f->ei);
        ROW_CHECK(rc == rows[i].rc, "row %zu (%s): rc %d (%s)", i, rows[i].what, rc, f->ei.msg);
        ROW_CHECK(strcmp(f->ei.field, rows[i].field) == 0, "row %zu (%s): field \"%s\"", i,
                  rows[i].what, f->ei.field);
        ROW_CHECK(!db_in_tx(f->db), "row %zu: transaction left open", i);
    }
    /* Nothing moved. */
    assert_int_equal(tu_scalar(f->db, "SELECT count(*) FROM org_closure WHERE ?1 IS NULL", NULL),
                     closure_before);
    const char *const pci_before[] = {f->pci, f->pc, f->p, f->n};
    check_closure(f, f->pci, pci_before, 4);

    /* Move PC (with PCI below it) from Punjab to Sindh: descendants follow. */
    rb_org_input in;
    org_input_init(&in);
    in.parent_id = f->s;
    rb_errinfo_clear(&f->ei);
    assert_int_equal(org_update(f->db, &nadmin, f->pc, &in, &f->a, &f->ei), 0);
    const char *const pc_after[] = {f->pc, f->s, f->n};
    const char *const pci_after[] = {f->pci, f->pc, f->s, f->n};
    check_closure(f, f->pc, pc_after, 3);
    check_closure(f, f->pci, pci_after, 4);
    assert_int_equal(tu_scalar(f->db, "SELECT count(*) FROM org_closure WHERE ?1 IS NULL", NULL),
                     closure_before);
    assert_int_equal(
        tu_scalar(f->db, "SELECT count(*) FROM org_closure WHERE ancestor_id = ?1", f->p),
        3); /* P, PI1, PI2 */
    /* Now Punjab's admin no longer sees them. */
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    rb_org o;
    assert_int_equal(org_get(f->db, &padmin, f->pci, &a, &o), RB_ENOTFOUND);
    assert_int_equal(org_get(f->db, &f->sys, f->pc, &a, &o), 0);
    assert_string_equal(o.parent_id, f->s);
    assert_int_equal(o.depth, 2);

    /* Move PC up to the root: depths shrink. */
    in.parent_id = f->n;
    assert_int_equal(org_update(f->db, &f->sys, f->pc, &in, &f->a, &f->ei), 0);
    const char *const pc_top[] = {f->pc, f->n};
    const char *const pci_top[] = {f->pci, f->pc, f->n};
    check_closure(f, f->pc, pc_top, 2);
    check_closure(f, f->pci, pci_top, 3);
    /* Setting the same parent again is not a move. */
    assert_int_equal(
        org_update(f->db, &padmin, f->p,
                   &(rb_org_input){.parent_id = f->n, .kind = -1, .cii = -1, .cii_grade = -1},
                   &f->a, &f->ei),
        0);
    rb_arena_release(&a);
    /* Each move was audited as org.move, and the chain holds. */
    assert_int_equal(
        tu_scalar(f->db, "SELECT count(*) FROM audit_log WHERE action = ?1", "org.move"), 2);
    struct audit_verify_result res;
    assert_int_equal(audit_verify(f->db, &res), 0);
}

static void test_update_fields(void **state)
{
    struct tu_fixture *f = *state;
    tu_std_tree(f);
    rb_actor own, parent_admin, sibling, analyst;
    tu_actor_at(f, &own, ROLE_ADMIN, f->pi1);
    tu_actor_at(f, &parent_admin, ROLE_ADMIN, f->p);
    tu_actor_at(f, &sibling, ROLE_ADMIN, f->pi2);
    tu_actor_at(f, &analyst, ROLE_ANALYST, f->pi1);
    static const struct {
        const char *what;
        int actor; /* 0 own admin, 1 parent CERT admin, 2 sibling admin, 3 own analyst */
        const char *name, *short_name, *province, *review;
        int kind, cii, grade;
        int rc;
        const char *field;
    } rows[] = {
        {"own admin renames", 0, "Punjab Finance Dept", NULL, NULL, NULL, -1, -1, -1, 0, ""},
        {"parent CERT admin sets a short name", 1, NULL, "PFD", "punjab", NULL, -1, -1, -1, 0, ""},
        {"sibling admin cannot see it", 2, "Hijack", NULL, NULL, NULL, -1, -1, -1, RB_ENOTFOUND,
         ""},
        {"analyst may not change it", 3, "Hijack", NULL, NULL, NULL, -1, -1, -1, RB_EPERM, ""},
        {"kind cannot change", 0, NULL, NULL, NULL, NULL, KIND_SECTORAL_CERT, -1, -1, RB_EINVAL,
         "kind"},
        {"rename onto a sibling's name", 1, "Punjab Health", NULL, NULL, NULL, -1, -1, -1,
         RB_ECONFLICT, "name"},
        {"own admin may not designate itself CII", 0, NULL, NULL, NULL, NULL, -1, 1, 2, RB_EPERM,
         "cii"},
        {"own admin may not set its CII review date", 0, NULL, NULL, NULL, "2027-06-30", -1, -1, -1,
         RB_EPERM, "cii"},
        {"parent CERT admin: CII without grade", 1, NULL, NULL, NULL, NULL, -1, 1, -1, RB_EINVAL,
         "cii_grade"},
        {"parent CERT admin: CII with grade", 1, NULL, NULL, NULL, "2027-06-30", -1, 1, 2, 0, ""},
        {"bad province", 0, NULL, NULL, "mars", NULL, -1, -1, -1, RB_EINVAL, "province"},
        {"clear the short name", 0, NULL, "", NULL, NULL, -1, -1, -1, 0, ""},
    };
    const rb_actor *actors[] = {&own, &parent_admin, &sibling, &analyst};
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_org_input in;
        input_of(&in, rows[i].kind, rows[i].name, rows[i].short_name, rows[i].province, NULL,
                 rows[i].review, rows[i].cii, rows[i].grade);
        rb_errinfo_clear(&f->ei);
        int rc = org_update(f->db, actors[rows[i].actor], f->pi1, &in, &f->a, &f->ei);
        ROW_CHECK(rc == rows[i].rc, "row %zu (%s): rc %d (%s)", i, rows[i].what, rc, f->ei.msg);
        if (rc)
            ROW_CHECK(strcmp(f->ei.field, rows[i].field) == 0, "row %zu (%s): field \"%s\"", i,
                      rows[i].what, f->ei.field);
        ROW_CHECK(!db_in_tx(f->db), "row %zu: transaction left open", i);
    }
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    rb_org o;
    assert_int_equal(org_get(f->db, &own, f->pi1, &a, &o), 0);
    assert_string_equal(o.name, "Punjab Finance Dept");
    assert_null(o.short_name);
    assert_string_equal(o.province, "punjab");
    assert_true(o.cii);
    assert_int_equal(o.cii_grade, 2);
    assert_string_equal(o.cii_review_date, "2027-06-30");
    assert_int_equal(o.kind, KIND_INSTITUTION);
    rb_arena_release(&a);
}

/* The ids org_list returns for actor, across as many pages as needed (limit per page). Also
 * checks the (depth, name, id) order and that `more` is true exactly until the last page. */
static int list_all(struct tu_fixture *f, const rb_actor *actor, int limit, const char *root,
                    const char *kind, const char *q, char ids[][RB_ID_SIZE], int max)
{
    int total = 0;
    char after[RB_ID_SIZE] = "";
    int prev_depth = -1;
    char prev_name[256] = "", prev_id[RB_ID_SIZE] = "";
    for (int page = 0; page < 1000; page++) {
        struct org_filter flt = {0};
        flt.cii = -1;
        flt.limit = limit;
        flt.root = root;
        flt.kind = kind;
        flt.q = q;
        flt.after_id = after[0] ? after : NULL;
        rb_arena a;
        rb_arena_init(&a, 1 << 20);
        rb_org *rows = NULL;
        int n = 0;
        bool more = false;
        int rc = org_list(f->db, actor, &flt, &a, &rows, &n, &more);
        assert_int_equal(rc, 0);
        assert_true(n <= limit);
        for (int i = 0; i < n; i++) {
            assert_true(total < max);
            rb_strlcpy(ids[total++], rows[i].id, RB_ID_SIZE);
            int c = rows[i].depth != prev_depth            ? (rows[i].depth > prev_depth ? 1 : -1)
                    : strcmp(rows[i].name, prev_name) != 0 ? strcmp(rows[i].name, prev_name)
                                                           : strcmp(rows[i].id, prev_id);
            ROW_CHECK(c > 0, "page %d row %d: %s out of (depth, name, id) order", page, i,
                      rows[i].name);
            prev_depth = rows[i].depth;
            rb_strlcpy(prev_name, rows[i].name, sizeof(prev_name));
            rb_strlcpy(prev_id, rows[i].id, sizeof(prev_id));
        }
        if (n > 0)
            rb_strlcpy(after, rows[n - 1].id, sizeof(after));
        ROW_CHECK(!more || n == limit, "page %d: more with a short page", page);
        rb_arena_release(&a);
        if (!more)
            return total;
    }
    fail_msg("pagination did not end");
    return -1;
}

static bool has_id(char ids[][RB_ID_SIZE], int n, const char *id)
{
    for (int i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0)
            return true;
    return false;
}

static void test_list_visibility(void **state)
{
    struct tu_fixture *f = *state;
    tu_std_tree(f);
    const char *ids[] = {f->n, f->p, f->s, f->g, f->pi1, f->pi2, f->pc, f->pci, f->si};
    static const struct {
        int actor;    /* index into ids, -1 system */
        bool sees[9]; /* N P S G PI1 PI2 PC PCI SI */
    } rows[] = {
        {-1, {1, 1, 1, 1, 1, 1, 1, 1, 1}}, {0, {1, 1, 1, 1, 1, 1, 1, 1, 1}},
        {1, {1, 1, 0, 0, 1, 1, 1, 1, 0}},  {6, {1, 1, 0, 0, 0, 0, 1, 1, 0}},
        {7, {1, 1, 0, 0, 0, 0, 1, 1, 0}},  {4, {1, 1, 0, 0, 1, 0, 0, 0, 0}},
        {2, {1, 0, 1, 0, 0, 0, 0, 0, 1}},  {3, {1, 0, 0, 1, 0, 0, 0, 0, 0}},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_actor a;
        if (rows[i].actor < 0)
            a = f->sys;
        else
            tu_actor_at(f, &a, ROLE_ADMIN, ids[rows[i].actor]);
        char got[16][RB_ID_SIZE];
        int n = list_all(f, &a, 500, NULL, NULL, NULL, got, 16);
        int want = 0;
        for (int k = 0; k < 9; k++) {
            want += rows[i].sees[k];
            ROW_CHECK(has_id(got, n, ids[k]) == rows[i].sees[k], "row %zu: sees org %d: %d", i, k,
                      has_id(got, n, ids[k]));
            /* org_get agrees with the list. */
            rb_arena ar;
            rb_arena_init(&ar, 1 << 16);
            rb_org o;
            int rc = org_get(f->db, &a, ids[k], &ar, &o);
            ROW_CHECK(rc == (rows[i].sees[k] ? 0 : RB_ENOTFOUND), "row %zu: org_get %d: %d", i, k,
                      rc);
            rb_arena_release(&ar);
        }
        ROW_CHECK(n == want, "row %zu: %d orgs, expected %d", i, n, want);
    }
    /* Filters narrow within what is visible. */
    rb_actor pa;
    tu_actor_at(f, &pa, ROLE_VIEWER, f->p);
    char got[16][RB_ID_SIZE];
    int n = list_all(f, &pa, 500, f->pc, NULL, NULL, got, 16);
    assert_int_equal(n, 2);
    assert_true(has_id(got, n, f->pc) && has_id(got, n, f->pci));
    n = list_all(f, &pa, 500, NULL, "institution", NULL, got, 16);
    assert_int_equal(n, 3); /* PI1, PI2, PCI: not SI */
    n = list_all(f, &f->sys, 500, NULL, NULL, "PUNJAB", got, 16);
    assert_int_equal(n, 4); /* case-insensitive: the four "Punjab ..." orgs, not Lahore Grid */
    n = list_all(f, &f->sys, 500, NULL, NULL, "%", got, 16);
    assert_int_equal(n, 0); /* LIKE wildcards are literal */
    /* The sibling province's subtree as root shows nothing to Punjab. */
    n = list_all(f, &pa, 500, f->s, NULL, NULL, got, 16);
    assert_int_equal(n, 0);
}

static void test_list_pagination(void **state)
{
    struct tu_fixture *f = *state;
    tu_std_tree(f);
    /* Same name at the same depth under different parents: the id breaks the tie. */
    assert_int_equal(tu_org(f, &f->sys, f->p, KIND_INSTITUTION, "Health Dept", NULL), 0);
    assert_int_equal(tu_org(f, &f->sys, f->s, KIND_INSTITUTION, "Health Dept", NULL), 0);
    assert_int_equal(tu_org(f, &f->sys, f->g, KIND_INSTITUTION, "Health Dept", NULL), 0);
    assert_int_equal(tu_org(f, &f->sys, f->pc, KIND_INSTITUTION, "Health Dept", NULL), 0);
    int64_t total = 0;
    assert_int_equal(org_count(f->db, &total), 0);
    assert_int_equal(total, 13);
    rb_actor pa;
    tu_actor_at(f, &pa, ROLE_ANALYST, f->p);
    static const int limits[] = {1, 2, 3, 4, 5, 12, 13, 14, 500};
    for (size_t li = 0; li < RB_ARRAY_LEN(limits); li++) {
        for (int who = 0; who < 2; who++) {
            char got[32][RB_ID_SIZE];
            int n = list_all(f, who ? &pa : &f->sys, limits[li], NULL, NULL, NULL, got, 32);
            int want = who ? 8 : 13; /* P sees N, P, PI1, PI2, PC, PCI + 2 Health Depts */
            ROW_CHECK(n == want, "limit %d, %s: %d orgs, expected %d", limits[li],
                      who ? "Punjab" : "system", n, want);
            for (int i = 0; i < n; i++)
                for (int k = i + 1; k < n; k++)
                    ROW_CHECK(strcmp(got[i], got[k]) != 0, "limit %d: %s listed twice", limits[li],
                              got[i]);
        }
    }
    /* A cursor naming an org the caller may not see is refused. */
    struct org_filter flt = {0};
    flt.cii = -1;
    flt.limit = 5;
    flt.after_id = f->si;
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    rb_org *rows = NULL;
    int n = 0;
    bool more = false;
    assert_int_equal(org_list(f->db, &pa, &flt, &a, &rows, &n, &more), RB_EINVAL);
    rb_arena_release(&a);
}

/* ---- stderr capture: core functions must not log errors on their success paths ---- */

struct capture {
    int saved;
    FILE *tmp;
};

static void capture_begin(struct capture *c)
{
    fflush(stderr);
    c->tmp = tmpfile();
    assert_non_null(c->tmp);
    c->saved = dup(STDERR_FILENO);
    assert_true(c->saved >= 0);
    assert_true(dup2(fileno(c->tmp), STDERR_FILENO) >= 0);
}

/* Restores stderr and returns what was written to it (in buf, at most size-1 bytes). */
static const char *capture_end(struct capture *c, char *buf, size_t size)
{
    fflush(stderr);
    dup2(c->saved, STDERR_FILENO);
    close(c->saved);
    int fd = fileno(c->tmp);
    off_t n = lseek(fd, 0, SEEK_END);
    ssize_t got = 0;
    if (n > 0 && lseek(fd, 0, SEEK_SET) == 0)
        got = read(fd, buf, size - 1 < (size_t)n ? size - 1 : (size_t)n);
    buf[got > 0 ? got : 0] = '\0';
    fclose(c->tmp);
    return buf;
}

/* A successful move writes nothing to the error log. */
static void test_move_logs_nothing(void **state)
{
    struct tu_fixture *f = *state;
    tu_std_tree(f);
    rb_org_input in;
    org_input_init(&in);
    in.parent_id = f->s;
    struct capture c;
    char logged[2048];
    capture_begin(&c);
    rb_errinfo_clear(&f->ei);
    int rc = org_update(f->db, &f->sys, f->pc, &in, &f->a, &f->ei);
    capture_end(&c, logged, sizeof(logged));
    assert_int_equal(rc, 0);
    if (logged[0])
        fail_msg("moving an org logged errors (src/core/org.c reparent binds ?2 on a statement "
                 "that has only ?1):\n%s",
                 logged);
}

/* ---- user input checks ---- */

TU_TEST(test_check_password)
{
    char p256[257], p257[258];
    memset(p256, 'p', 256);
    p256[256] = '\0';
    memset(p257, 'p', 257);
    p257[257] = '\0';
    static const struct {
        const char *what;
        const char *pw; /* NULL row uses the long buffers below */
        int rc;
    } rows[] = {
        {"NULL", NULL, RB_EINVAL},
        {"empty", "", RB_EINVAL},
        {"11 characters", "abcdefghijk", RB_EINVAL},
        {"12 characters", "abcdefghijkl", 0},
        {"a passphrase", "correct horse battery staple", 0},
        {"12 spaces", "            ", 0},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc = user_check_password(rows[i].pw, &ei);
        ROW_CHECK(rc == rows[i].rc, "row %zu (%s): rc %d", i, rows[i].what, rc);
        if (rc)
            ROW_CHECK(strcmp(ei.field, "password") == 0 && ei.msg[0], "row %zu: field %s", i,
                      ei.field);
    }
    rb_errinfo ei;
    assert_int_equal(user_check_password(p256, &ei), 0);
    assert_int_equal(user_check_password(p257, &ei), RB_EINVAL);
    assert_string_equal(ei.field, "password");
    assert_int_equal(user_check_password("short", NULL), RB_EINVAL);
}

TU_TEST(test_normalize_email)
{
    char e254[255], e255[256];
    memset(e254, 'a', 254);
    memcpy(e254 + 254 - 9, "@test.org", 9);
    e254[254] = '\0';
    memset(e255, 'a', 255);
    memcpy(e255 + 255 - 9, "@test.org", 9);
    e255[255] = '\0';
    static const struct {
        const char *in;
        int rc;
        const char *out;
    } rows[] = {
        {"alice@example.org", 0, "alice@example.org"},
        {"Alice.Smith@Example.ORG", 0, "alice.smith@example.org"},
        {"admin@ncert.rabta.test", 0, "admin@ncert.rabta.test"},
        {"a+tag@x.pk", 0, "a+tag@x.pk"},
        {"a@b", RB_EINVAL, NULL},
        {"@example.org", RB_EINVAL, NULL},
        {"alice@", RB_EINVAL, NULL},
        {"alice", RB_EINVAL, NULL},
        {"a@b@example.org", RB_EINVAL, NULL},
        {"a@@example.org", RB_EINVAL, NULL},
        {"alice@example.org.", RB_EINVAL, NULL},
        {"al ice@example.org", RB_EINVAL, NULL},
        {"alice@example.org ", RB_EINVAL, NULL},
        {"alice\t@example.org", RB_EINVAL, NULL},
        {"<alice>@example.org", RB_EINVAL, NULL},
        {"\"alice\"@example.org", RB_EINVAL, NULL},
        {"a,b@example.org", RB_EINVAL, NULL},
        {"a;b@example.org", RB_EINVAL, NULL},
        {"a\x7f@example.org", RB_EINVAL, NULL},
        {"", RB_EINVAL, NULL},
        {NULL, RB_EINVAL, NULL},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        char out[256] = "untouched";
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc = user_normalize_email(rows[i].in, out, &ei);
        ROW_CHECK(rc == rows[i].rc, "row %zu \"%s\": rc %d", i, rows[i].in ? rows[i].in : "(null)",
                  rc);
        if (rc == 0)
            ROW_CHECK(strcmp(out, rows[i].out) == 0, "row %zu: \"%s\"", i, out);
        else
            ROW_CHECK(strcmp(ei.field, "email") == 0, "row %zu: field %s", i, ei.field);
    }
    char out[256];
    rb_errinfo ei;
    assert_int_equal(user_normalize_email(e254, out, &ei), 0);
    assert_int_equal(strlen(out), 254);
    assert_int_equal(user_normalize_email(e255, out, &ei), RB_EINVAL);
}

TU_MAIN({
    TU_FIXTURE_TEST(test_root),
    TU_FIXTURE_TEST(test_create_rules),
    TU_FIXTURE_TEST(test_create_permissions),
    TU_FIXTURE_TEST(test_depth_cap),
    TU_FIXTURE_TEST(test_closure),
    TU_FIXTURE_TEST(test_move),
    TU_FIXTURE_TEST(test_move_logs_nothing),
    TU_FIXTURE_TEST(test_update_fields),
    TU_FIXTURE_TEST(test_list_visibility),
    TU_FIXTURE_TEST(test_list_pagination),
    cmocka_unit_test(test_check_password),
    cmocka_unit_test(test_normalize_email),
})
