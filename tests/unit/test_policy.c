/*
 * test_policy.c - the sharing policy (DESIGN §5), the heart of rabta.
 *
 * 1. A table: every TLP x grant scope x viewer position on a small fixed tree, each row checked
 *    against policy_may_read AND the SQL predicate POLICY_SQL_READABLE on an in-memory database.
 * 2. A randomized proof over >= 1,000 random trees that the C function and the SQL form agree for
 *    every (viewer, object) pair. The seed is fixed (override with RABTA_TEST_SEED) and printed on
 *    failure.
 * 3. policy_may_grant and policy_may_set_tlp tables.
 * 4. The permission table, role by permission.
 */
#include "base/common.h"
#include "core/actor.h"
#include "core/kind.h"
#include "core/policy.h"
#include "db/db.h"
#include "formats/tlp.h"

#include "test_util.h"

/* ---- a tree of rb_orgref, mirrored into orgs + org_closure ---- */

#define MAX_NODES 48

struct tree {
    int n;
    rb_orgref ref[MAX_NODES];
    int parent[MAX_NODES]; /* -1 for the root */
};

static void node_id(int i, char out[RB_ID_SIZE])
{
    snprintf(out, RB_ID_SIZE, "00000000-0000-4000-8000-%012x", (unsigned)(i + 1));
}

/* Adds a node below parent (-1: the root) and returns its index. */
static int tree_add(struct tree *t, int parent, enum rb_org_kind kind)
{
    int i = t->n++;
    assert_true(i < MAX_NODES);
    rb_orgref *r = &t->ref[i];
    memset(r, 0, sizeof(*r));
    node_id(i, r->id);
    r->kind = kind;
    t->parent[i] = parent;
    if (parent >= 0) {
        const rb_orgref *p = &t->ref[parent];
        assert_true(p->nanc + 1 <= RB_MAX_DEPTH);
        for (int k = 0; k < p->nanc; k++)
            memcpy(r->ancestors[k], p->ancestors[k], RB_ID_SIZE);
        memcpy(r->ancestors[p->nanc], p->id, RB_ID_SIZE);
        r->nanc = p->nanc + 1;
    }
    return i;
}

static void db_clear(rb_db *db)
{
    assert_int_equal(db_exec_simple(db, "DELETE FROM grants"), 0);
    assert_int_equal(db_exec_simple(db, "DELETE FROM probe"), 0);
    assert_int_equal(db_exec_simple(db, "DELETE FROM org_closure"), 0);
    assert_int_equal(db_exec_simple(db, "DELETE FROM orgs"), 0);
}

static void db_store_tree(rb_db *db, const struct tree *t)
{
    for (int i = 0; i < t->n; i++) {
        const rb_orgref *r = &t->ref[i];
        char name[32];
        snprintf(name, sizeof(name), "org %d", i);
        rb_stmt *st = tu_prepare(
            db, "INSERT INTO orgs(id, parent_id, kind, name, depth, created_at, updated_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
        db_bind_text(st, 1, r->id);
        db_bind_text(st, 2, t->parent[i] >= 0 ? t->ref[t->parent[i]].id : NULL);
        db_bind_text(st, 3, rb_org_kind_names[r->kind]);
        db_bind_text(st, 4, name);
        db_bind_int(st, 5, r->nanc);
        tu_step_done(st);
        /* Closure: (x, x, 0) and (ancestor, x, distance) for each ancestor. */
        for (int k = -1; k < r->nanc; k++) {
            st = tu_prepare(
                db,
                "INSERT INTO org_closure(ancestor_id, descendant_id, depth) VALUES (?1, ?2, ?3)");
            db_bind_text(st, 1, k < 0 ? r->id : r->ancestors[k]);
            db_bind_text(st, 2, r->id);
            db_bind_int(st, 3, k < 0 ? 0 : r->nanc - k);
            tu_step_done(st);
        }
    }
}

static rb_db *policy_db_open(void)
{
    rb_db *db = tu_db_open();
    assert_int_equal(db_exec_simple(db, "CREATE TABLE probe (id TEXT PRIMARY KEY, n INTEGER NOT "
                                        "NULL, owner_org TEXT, tlp TEXT NOT NULL)"),
                     0);
    return db;
}

/* Stores one probe object with its grants; `n` is returned by the readable query. */
static void db_store_object(rb_db *db, const char *id, int n, const struct policy_object *o)
{
    rb_stmt *st =
        tu_prepare(db, "INSERT INTO probe(id, n, owner_org, tlp) VALUES (?1, ?2, ?3, ?4)");
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, n);
    db_bind_text(st, 3, o->owner_org);
    db_bind_text(st, 4, tlp_name(o->tlp));
    tu_step_done(st);
    for (size_t i = 0; i < o->ngrants; i++) {
        st = tu_prepare(db, "INSERT INTO grants(object_kind, object_id, org_id, scope, created_at) "
                            "VALUES ('probe', ?1, ?2, ?3, '2026-01-01T00:00:00Z')");
        db_bind_text(st, 1, id);
        db_bind_text(st, 2, o->grants[i].org_id);
        db_bind_text(st, 3, rb_scope_names[o->grants[i].scope]);
        tu_step_done(st);
    }
}

/* Which probe objects (by n, below nmax) the SQL predicate lets viewer read. */
static void sql_readable(rb_db *db, const rb_orgref *viewer, bool public_kind, bool *out, int nmax)
{
    for (int i = 0; i < nmax; i++)
        out[i] = false;
    rb_stmt *st =
        tu_prepare(db, "SELECT o.n FROM probe o WHERE " POLICY_SQL_READABLE " ORDER BY o.n");
    const struct rb_kind probe = {.name = "probe", .public_kind = public_kind};
    assert_int_equal(policy_bind(st, viewer, &probe), 0);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t n = db_col_int(st, 0);
        assert_true(n >= 0 && n < nmax);
        out[n] = true;
    }
    db_done(st);
    assert_int_equal(rc, DB_DONE);
}

/* ---- 1. the fixed tree and the read table ---- */

/*
 *   N  national_cert (root)
 *   |-- P1  provincial_cert        the owner's parent CERT
 *   |   |-- OWN institution        the owner
 *   |   `-- SIB institution        the owner's sibling
 *   |-- G   provincial_cert        the org granted
 *   |   |-- GC  sectoral_cert      a CERT below G
 *   |   |   `-- GCI institution    two levels below G
 *   |   `-- GI  institution        directly below G
 *   `-- U   government_cert        unrelated
 *       `-- UI  institution        unrelated
 */
enum { N, P1, OWN, SIB, G, GC, GCI, GI, U, UI, FIXED_COUNT, ANON = -1 };

static void fixed_tree(struct tree *t)
{
    memset(t, 0, sizeof(*t));
    assert_int_equal(tree_add(t, -1, KIND_NATIONAL_CERT), N);
    assert_int_equal(tree_add(t, N, KIND_PROVINCIAL_CERT), P1);
    assert_int_equal(tree_add(t, P1, KIND_INSTITUTION), OWN);
    assert_int_equal(tree_add(t, P1, KIND_INSTITUTION), SIB);
    assert_int_equal(tree_add(t, N, KIND_PROVINCIAL_CERT), G);
    assert_int_equal(tree_add(t, G, KIND_SECTORAL_CERT), GC);
    assert_int_equal(tree_add(t, GC, KIND_INSTITUTION), GCI);
    assert_int_equal(tree_add(t, G, KIND_INSTITUTION), GI);
    assert_int_equal(tree_add(t, N, KIND_GOVERNMENT_CERT), U);
    assert_int_equal(tree_add(t, U, KIND_INSTITUTION), UI);
}

/* The fixed tree in t, stored in a fresh policy database. */
static rb_db *fixed_db(struct tree *t)
{
    fixed_tree(t);
    rb_db *db = policy_db_open();
    db_store_tree(db, t);
    return db;
}

/* Makes o, with its grants, the only probe object (id "obj", n 0). */
static void store_only(rb_db *db, const struct policy_object *o)
{
    db_exec_simple(db, "DELETE FROM grants");
    db_exec_simple(db, "DELETE FROM probe");
    db_store_object(db, "obj", 0, o);
}

static const char *const pos_names[FIXED_COUNT] = {"national root (no grant)",
                                                   "owner's parent CERT (no grant)",
                                                   "owner",
                                                   "owner's sibling",
                                                   "granted org",
                                                   "CERT below granted org",
                                                   "institution two below granted org",
                                                   "institution below granted org",
                                                   "unrelated CERT",
                                                   "unrelated institution"};

/* Every object is owned by OWN and carries one grant, to G, with `scope`. */
struct read_row {
    enum rb_tlp tlp;
    enum rb_scope scope;
    int viewer; /* a node, or ANON */
    bool public_kind;
    bool expect;
};

#define CL TLP_CLEAR
#define GR TLP_GREEN
#define AM TLP_AMBER
#define AS TLP_AMBER_STRICT
#define RD TLP_RED
#define SO SCOPE_ORG
#define SS SCOPE_SUBTREE

static const struct read_row read_rows[] = {
    /* CLEAR: anyone signed in. */
    {CL, SO, OWN, false, true},
    {CL, SO, G, false, true},
    {CL, SO, GI, false, true},
    {CL, SO, GCI, false, true},
    {CL, SO, SIB, false, true},
    {CL, SO, P1, false, true},
    {CL, SO, N, false, true},
    {CL, SO, UI, false, true},
    {CL, SS, OWN, false, true},
    {CL, SS, G, false, true},
    {CL, SS, GI, false, true},
    {CL, SS, GCI, false, true},
    {CL, SS, SIB, false, true},
    {CL, SS, P1, false, true},
    {CL, SS, N, false, true},
    {CL, SS, UI, false, true},
    /* GREEN: the whole community. */
    {GR, SO, OWN, false, true},
    {GR, SO, G, false, true},
    {GR, SO, GI, false, true},
    {GR, SO, GCI, false, true},
    {GR, SO, SIB, false, true},
    {GR, SO, P1, false, true},
    {GR, SO, N, false, true},
    {GR, SO, UI, false, true},
    {GR, SS, OWN, false, true},
    {GR, SS, G, false, true},
    {GR, SS, GI, false, true},
    {GR, SS, GCI, false, true},
    {GR, SS, SIB, false, true},
    {GR, SS, P1, false, true},
    {GR, SS, N, false, true},
    {GR, SS, UI, false, true},
    /* AMBER, org grant: the owner and G only. */
    {AM, SO, OWN, false, true},
    {AM, SO, G, false, true},
    {AM, SO, GI, false, false},
    {AM, SO, GCI, false, false},
    {AM, SO, SIB, false, false},
    {AM, SO, P1, false, false},
    {AM, SO, N, false, false},
    {AM, SO, UI, false, false},
    /* AMBER, subtree grant: the owner, G and everything below G; never up or sideways. */
    {AM, SS, OWN, false, true},
    {AM, SS, G, false, true},
    {AM, SS, GI, false, true},
    {AM, SS, GCI, false, true},
    {AM, SS, SIB, false, false},
    {AM, SS, P1, false, false},
    {AM, SS, N, false, false},
    {AM, SS, UI, false, false},
    /* AMBER+STRICT: the owner and G; a subtree grant reads as an org grant. */
    {AS, SO, OWN, false, true},
    {AS, SO, G, false, true},
    {AS, SO, GI, false, false},
    {AS, SO, GCI, false, false},
    {AS, SO, SIB, false, false},
    {AS, SO, P1, false, false},
    {AS, SO, N, false, false},
    {AS, SO, UI, false, false},
    {AS, SS, OWN, false, true},
    {AS, SS, G, false, true},
    {AS, SS, GI, false, false},
    {AS, SS, GCI, false, false},
    {AS, SS, SIB, false, false},
    {AS, SS, P1, false, false},
    {AS, SS, N, false, false},
    {AS, SS, UI, false, false},
    /* RED: as AMBER+STRICT. */
    {RD, SO, OWN, false, true},
    {RD, SO, G, false, true},
    {RD, SO, GI, false, false},
    {RD, SO, GCI, false, false},
    {RD, SO, SIB, false, false},
    {RD, SO, P1, false, false},
    {RD, SO, N, false, false},
    {RD, SO, UI, false, false},
    {RD, SS, OWN, false, true},
    {RD, SS, G, false, true},
    {RD, SS, GI, false, false},
    {RD, SS, GCI, false, false},
    {RD, SS, SIB, false, false},
    {RD, SS, P1, false, false},
    {RD, SS, N, false, false},
    {RD, SS, UI, false, false},
    /* Anonymous callers: only CLEAR, and only where the kind is public. */
    {CL, SS, ANON, true, true},
    {CL, SS, ANON, false, false},
    {GR, SS, ANON, true, false},
    {GR, SS, ANON, false, false},
    {AM, SS, ANON, true, false},
    {AM, SS, ANON, false, false},
    {AS, SO, ANON, true, false},
    {AS, SO, ANON, false, false},
    {RD, SO, ANON, true, false},
    {RD, SO, ANON, false, false},
    /* A public kind changes nothing for signed-in callers. */
    {AM, SO, UI, true, false},
    {RD, SO, N, true, false},
    {CL, SO, UI, true, true},
};

TU_TEST(test_read_table)
{
    struct tree t;
    rb_db *db = fixed_db(&t);
    /* Every (tlp, scope) pair and every viewer position appears in the table. */
    int seen[TLP__COUNT][2][FIXED_COUNT + 1];
    memset(seen, 0, sizeof(seen));
    for (size_t i = 0; i < RB_ARRAY_LEN(read_rows); i++) {
        const struct read_row *r = &read_rows[i];
        struct policy_grant g = {t.ref[G].id, r->scope};
        struct policy_object o = {t.ref[OWN].id, r->tlp, r->public_kind, &g, 1};
        const rb_orgref *viewer = r->viewer == ANON ? NULL : &t.ref[r->viewer];
        const char *vname = r->viewer == ANON ? "anonymous" : pos_names[r->viewer];
        seen[r->tlp][r->scope][r->viewer + 1]++;

        bool c = policy_may_read(viewer, &o);
        ROW_CHECK(c == r->expect,
                  "row %zu: policy_may_read(TLP:%s, %s grant to G, viewer %s%s) = %d, "
                  "expected %d",
                  i, tlp_name(r->tlp), rb_scope_names[r->scope], vname,
                  r->public_kind ? ", public kind" : "", c, r->expect);

        store_only(db, &o);
        bool s = false;
        sql_readable(db, viewer, r->public_kind, &s, 1);
        ROW_CHECK(s == r->expect,
                  "row %zu: POLICY_SQL_READABLE(TLP:%s, %s grant to G, viewer %s%s) "
                  "= %d, expected %d",
                  i, tlp_name(r->tlp), rb_scope_names[r->scope], vname,
                  r->public_kind ? ", public kind" : "", s, r->expect);
    }
    /* The table covers each TLP x scope for the eight signed-in positions the brief names. */
    static const int positions[] = {OWN, G, GI, GCI, SIB, P1, N, UI};
    for (int tl = 0; tl < TLP__COUNT; tl++)
        for (int sc = 0; sc < 2; sc++)
            for (size_t v = 0; v < RB_ARRAY_LEN(positions); v++)
                ROW_CHECK(seen[tl][sc][positions[v] + 1] >= 1, "table lacks TLP:%s %s viewer %s",
                          tlp_name((enum rb_tlp)tl), rb_scope_names[sc], pos_names[positions[v]]);
    db_close(db);
}

/* Several grants on one object: each one is honoured on its own, and a subtree grant to a CERT
 * never lifts AMBER+STRICT below it even alongside org grants. */
TU_TEST(test_read_several_grants)
{
    struct tree t;
    rb_db *db = fixed_db(&t);
    static const struct {
        enum rb_tlp tlp;
        int owner;
        struct {
            int org;
            enum rb_scope scope;
        } g[3];
        int ngrants;
        bool expect[FIXED_COUNT];
    } rows[] = {
        /*                                         N  P1 OWN SIB G  GC GCI GI U  UI */
        {AM, OWN, {{P1, SO}, {G, SS}}, 2, {0, 1, 1, 0, 1, 1, 1, 1, 0, 0}},
        {AM, OWN, {{P1, SS}, {U, SO}}, 2, {0, 1, 1, 1, 0, 0, 0, 0, 1, 0}},
        {AM, GI, {{GC, SS}}, 1, {0, 0, 0, 0, 0, 1, 1, 1, 0, 0}},
        {AM, OWN, {{N, SS}}, 1, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
        {AS, OWN, {{N, SS}, {GCI, SO}}, 2, {1, 0, 1, 0, 0, 0, 1, 0, 0, 0}},
        {RD, UI, {{U, SO}, {G, SO}, {N, SO}}, 3, {1, 0, 0, 0, 1, 0, 0, 0, 1, 1}},
        {RD, UI, {{0, SO}}, 0, {0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
        {AM, N, {{0, SO}}, 0, {1, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        struct policy_grant g[3];
        for (int k = 0; k < rows[i].ngrants; k++) {
            g[k].org_id = t.ref[rows[i].g[k].org].id;
            g[k].scope = rows[i].g[k].scope;
        }
        struct policy_object o = {t.ref[rows[i].owner].id, rows[i].tlp, false, g,
                                  (size_t)rows[i].ngrants};
        store_only(db, &o);
        for (int v = 0; v < FIXED_COUNT; v++) {
            bool c = policy_may_read(&t.ref[v], &o), s = false;
            sql_readable(db, &t.ref[v], false, &s, 1);
            ROW_CHECK(c == rows[i].expect[v] && s == rows[i].expect[v],
                      "row %zu viewer %s: C %d, SQL %d, expected %d", i, pos_names[v], c, s,
                      rows[i].expect[v]);
        }
    }
    db_close(db);
}

/* ---- 2. randomized: C and SQL agree on random trees ---- */

#define RANDOM_TREES 1000
#define OBJECTS_PER_TREE 16

static const enum rb_org_kind child_kinds[] = {KIND_PROVINCIAL_CERT, KIND_SECTORAL_CERT,
                                               KIND_GOVERNMENT_CERT, KIND_CII_CERT,
                                               KIND_INSTITUTION,     KIND_INSTITUTION};

static void random_tree(struct tree *t, uint64_t *rng)
{
    memset(t, 0, sizeof(*t));
    int max_depth = 1 + tu_rand_below(rng, 5); /* levels below the root: 1..5 */
    tree_add(t, -1, KIND_NATIONAL_CERT);
    /* Breadth first: nodes are appended in level order, so one pass visits every parent. */
    for (int i = 0; i < t->n; i++) {
        const rb_orgref *p = &t->ref[i];
        if (!rb_org_kind_is_cert(p->kind) || p->nanc >= max_depth)
            continue;
        int fan = i == 0 ? 1 + tu_rand_below(rng, 4) : tu_rand_below(rng, 4);
        for (int k = 0; k < fan && t->n < MAX_NODES; k++)
            tree_add(t, i, child_kinds[tu_rand_below(rng, (int)RB_ARRAY_LEN(child_kinds))]);
    }
}

struct random_obj {
    struct policy_grant g[3];
    struct policy_object o;
};

static void random_object(const struct tree *t, uint64_t *rng, struct random_obj *ro)
{
    memset(ro, 0, sizeof(*ro));
    /* Now and then an object without an owner (NULL in C, SQL NULL in the table). */
    ro->o.owner_org = tu_rand_below(rng, 16) == 0 ? NULL : t->ref[tu_rand_below(rng, t->n)].id;
    ro->o.tlp = (enum rb_tlp)tu_rand_below(rng, TLP__COUNT);
    int want = tu_rand_below(rng, 4);
    int n = 0;
    /* Grants go to distinct orgs (the grants table's key is (kind, object, org)). */
    for (int tries = 0; n < want && tries < 16; tries++) {
        const char *org = t->ref[tu_rand_below(rng, t->n)].id;
        bool dup = false;
        for (int k = 0; k < n; k++)
            dup = dup || strcmp(ro->g[k].org_id, org) == 0;
        if (dup)
            continue;
        ro->g[n].org_id = org;
        ro->g[n].scope = (enum rb_scope)tu_rand_below(rng, 2);
        n++;
    }
    ro->o.grants = ro->g;
    ro->o.ngrants = (size_t)n;
}

/* The tree's org number of id (its index in t), or POLICY_IX_NONE. */
static uint32_t ix_of(const struct tree *t, const char *id)
{
    for (int i = 0; id && i < t->n; i++)
        if (strcmp(t->ref[i].id, id) == 0)
            return (uint32_t)i;
    return POLICY_IX_NONE - 1; /* an org that is no viewer */
}

/* policy_may_read_ix for viewer v (-1 anonymous) over the same object, by org numbers. */
static bool ix_readable(const struct tree *t, int v, const struct policy_object *o)
{
    struct policy_viewer_ix vx = {.org = v < 0 ? POLICY_IX_NONE : (uint32_t)v};
    for (int i = 0; v >= 0 && i < t->ref[v].nanc; i++)
        vx.anc[vx.nanc++] = ix_of(t, t->ref[v].ancestors[i]);
    uint32_t g[8];
    int ng = 0;
    for (size_t i = 0; i < o->ngrants && ng < 8; i++)
        g[ng++] = POLICY_IX_GRANT(ix_of(t, o->grants[i].org_id),
                                  o->grants[i].scope == SCOPE_SUBTREE);
    uint32_t owner = o->owner_org ? ix_of(t, o->owner_org) : POLICY_IX_NONE - 1;
    return policy_may_read_ix(&vx, o->tlp, o->public_kind, owner, g, ng);
}

static uint64_t test_seed(void)
{
    const char *env = getenv("RABTA_TEST_SEED");
    int64_t v = 0;
    if (env && rb_parse_int64(env, 1, INT64_MAX, &v) == 0)
        return (uint64_t)v;
    return 0x5241425441ULL; /* "RABTA" */
}

TU_TEST(test_random_trees_c_equals_sql)
{
    const uint64_t seed = test_seed();
    uint64_t rng = seed;
    rb_db *db = policy_db_open();
    static struct tree t;
    static struct random_obj objs[OBJECTS_PER_TREE];
    long pairs = 0, readable = 0, refused = 0, subtree_reach = 0, strict_subtree_refused = 0;
    int max_nodes = 0, max_level = 0;
    for (int tree_no = 0; tree_no < RANDOM_TREES; tree_no++) {
        random_tree(&t, &rng);
        if (t.n > max_nodes)
            max_nodes = t.n;
        assert_int_equal(db_begin(db), 0);
        db_clear(db);
        db_store_tree(db, &t);
        for (int k = 0; k < OBJECTS_PER_TREE; k++) {
            char id[16];
            snprintf(id, sizeof(id), "obj-%d", k);
            random_object(&t, &rng, &objs[k]);
            db_store_object(db, id, k, &objs[k].o);
        }
        assert_int_equal(db_commit(db), 0);
        /* Every org of the tree as viewer, then the anonymous caller; public kind on and off. */
        for (int v = -1; v < t.n; v++) {
            const rb_orgref *viewer = v < 0 ? NULL : &t.ref[v];
            if (viewer && viewer->nanc > max_level)
                max_level = viewer->nanc;
            for (int pk = 0; pk < 2; pk++) {
                bool sql[OBJECTS_PER_TREE];
                sql_readable(db, viewer, pk == 1, sql, OBJECTS_PER_TREE);
                for (int k = 0; k < OBJECTS_PER_TREE; k++) {
                    objs[k].o.public_kind = pk == 1;
                    bool c = policy_may_read(viewer, &objs[k].o);
                    bool ix = ix_readable(&t, v, &objs[k].o);
                    if (c != ix)
                        fail_msg("seed %" PRIu64 ", tree %d, object %d: policy_may_read says %d "
                                 "but policy_may_read_ix says %d", seed, tree_no, k, c, ix);
                    pairs++;
                    if (c)
                        readable++;
                    else
                        refused++;
                    /* Count the interesting cases, so the test proves it exercised them. */
                    for (size_t gi = 0; viewer && gi < objs[k].o.ngrants; gi++) {
                        const struct policy_grant *g = &objs[k].g[gi];
                        if (g->scope != SCOPE_SUBTREE || !policy_is_ancestor(g->org_id, viewer) ||
                            (objs[k].o.owner_org && strcmp(objs[k].o.owner_org, viewer->id) == 0))
                            continue;
                        if (objs[k].o.tlp == TLP_AMBER && c)
                            subtree_reach++;
                        if (objs[k].o.tlp >= TLP_AMBER_STRICT && !c)
                            strict_subtree_refused++;
                    }
                    if (c != sql[k]) {
                        print_error("seed %" PRIu64 " (set RABTA_TEST_SEED=%" PRIu64
                                    " to replay), tree %d, object %d: owner %s TLP:%s, %zu "
                                    "grants:\n",
                                    seed, seed, tree_no, k,
                                    objs[k].o.owner_org ? objs[k].o.owner_org : "(none)",
                                    tlp_name(objs[k].o.tlp), objs[k].o.ngrants);
                        for (size_t gi = 0; gi < objs[k].o.ngrants; gi++)
                            print_error("  grant %s scope %s\n", objs[k].g[gi].org_id,
                                        rb_scope_names[objs[k].g[gi].scope]);
                        print_error("  viewer %s (depth %d), public kind %d\n",
                                    viewer ? viewer->id : "anonymous", viewer ? viewer->nanc : -1,
                                    pk);
                        fail_msg("policy_may_read says %d but POLICY_SQL_READABLE says %d", c,
                                 sql[k]);
                    }
                }
            }
        }
    }
    db_close(db);
    /* The run covered the cases that matter (and so could have failed on them). */
    assert_true(pairs >= 100000);
    assert_true(readable > 1000);
    assert_true(refused > 1000);
    assert_true(subtree_reach > 100);
    assert_true(strict_subtree_refused > 100);
    assert_true(max_level >= 4);
    assert_true(max_nodes >= 20);
}

/* ---- 3. policy_may_grant and policy_may_set_tlp ---- */

#define SYS (-2)
#define NONE (-1)

struct grant_row {
    const char *what;
    int actor; /* node, or SYS for the system actor */
    enum rb_role role;
    enum rb_tlp tlp;
    int owner; /* node owning the object */
    int held;  /* node holding an existing grant, or NONE */
    enum rb_scope held_scope;
    int target;
    enum rb_scope scope;
    int rc;
    const char *field; /* expected ei.field when rc != 0 */
};

static const struct grant_row grant_rows[] = {
    /* The owner. */
    {"owner shares AMBER with its parent CERT", OWN, ROLE_ANALYST, AM, OWN, NONE, SO, P1, SO, 0,
     NULL},
    {"owner shares AMBER with a subtree", OWN, ROLE_ANALYST, AM, OWN, NONE, SO, P1, SS, 0, NULL},
    {"owner admin shares AMBER anywhere", OWN, ROLE_ADMIN, AM, OWN, NONE, SO, U, SS, 0, NULL},
    {"owner shares AMBER+STRICT with one org", OWN, ROLE_ANALYST, AS, OWN, NONE, SO, P1, SO, 0,
     NULL},
    {"owner may not share AMBER+STRICT with a subtree", OWN, ROLE_ANALYST, AS, OWN, NONE, SO, P1,
     SS, RB_EINVAL, "scope"},
    {"owner shares RED with one org", OWN, ROLE_ANALYST, RD, OWN, NONE, SO, P1, SO, 0, NULL},
    {"owner may not share RED with a subtree", OWN, ROLE_ADMIN, RD, OWN, NONE, SO, P1, SS,
     RB_EINVAL, "scope"},
    {"owner shares CLEAR", OWN, ROLE_ANALYST, CL, OWN, NONE, SO, UI, SS, 0, NULL},
    {"owner shares GREEN", OWN, ROLE_ANALYST, GR, OWN, NONE, SO, UI, SO, 0, NULL},
    {"system actor shares RED with one org", SYS, ROLE_ADMIN, RD, OWN, NONE, SO, G, SO, 0, NULL},
    {"system actor may not share RED with a subtree", SYS, ROLE_ADMIN, RD, OWN, NONE, SO, G, SS,
     RB_EINVAL, "scope"},
    {"owner reporter may not share (no share permission)", OWN, ROLE_REPORTER, AM, OWN, NONE, SO,
     P1, SO, RB_EPERM, ""},
    {"owner viewer may not share", OWN, ROLE_VIEWER, AM, OWN, NONE, SO, P1, SO, RB_EPERM, ""},
    {"owner auditor may not share", OWN, ROLE_AUDITOR, GR, OWN, NONE, SO, P1, SO, RB_EPERM, ""},
    /* A recipient CERT forwarding AMBER. */
    {"recipient CERT forwards AMBER to a constituent", G, ROLE_ANALYST, AM, OWN, G, SO, GI, SO, 0,
     NULL},
    {"recipient CERT forwards AMBER to a sub-CERT's subtree", G, ROLE_ANALYST, AM, OWN, G, SO, GC,
     SS, 0, NULL},
    {"recipient CERT forwards AMBER two levels down", G, ROLE_ADMIN, AM, OWN, G, SO, GCI, SO, 0,
     NULL},
    {"recipient CERT forwards AMBER up to the national CERT (org)", G, ROLE_ANALYST, AM, OWN, G, SO,
     N, SO, 0, NULL},
    {"recipient CERT may not forward AMBER up as a subtree", G, ROLE_ANALYST, AM, OWN, G, SO, N, SS,
     RB_EPERM, "org_id"},
    {"recipient CERT may not forward AMBER sideways", G, ROLE_ANALYST, AM, OWN, G, SO, U, SO,
     RB_EPERM, "org_id"},
    {"recipient CERT may not forward AMBER to another CERT's institution", G, ROLE_ANALYST, AM, OWN,
     G, SO, UI, SO, RB_EPERM, "org_id"},
    {"recipient CERT may not forward AMBER to the owner's parent CERT", G, ROLE_ANALYST, AM, OWN, G,
     SO, P1, SO, RB_EPERM, "org_id"},
    {"sub-CERT reading by subtree forwards AMBER down", GC, ROLE_ANALYST, AM, OWN, G, SS, GCI, SO,
     0, NULL},
    {"sub-CERT reading by subtree forwards AMBER up to its parent CERT", GC, ROLE_ANALYST, AM, OWN,
     G, SS, G, SO, 0, NULL},
    {"sub-CERT reading by subtree forwards AMBER up to the root", GC, ROLE_ANALYST, AM, OWN, G, SS,
     N, SO, 0, NULL},
    {"sub-CERT may not forward AMBER to its parent's other constituent", GC, ROLE_ANALYST, AM, OWN,
     G, SS, GI, SO, RB_EPERM, "org_id"},
    {"recipient CERT reporter may not forward", G, ROLE_REPORTER, AM, OWN, G, SO, GI, SO, RB_EPERM,
     ""},
    /* Institution recipients. */
    {"institution recipient may not forward AMBER", GI, ROLE_ANALYST, AM, OWN, GI, SO, G, SO,
     RB_EPERM, ""},
    {"institution reading by subtree may not forward AMBER", GCI, ROLE_ADMIN, AM, OWN, G, SS, GC,
     SO, RB_EPERM, ""},
    /* GREEN: recipients share within the community. */
    {"GREEN recipient institution shares", UI, ROLE_ANALYST, GR, OWN, NONE, SO, SIB, SS, 0, NULL},
    {"GREEN recipient national CERT shares", N, ROLE_ADMIN, GR, OWN, NONE, SO, GI, SO, 0, NULL},
    /* Non-owners of CLEAR, AMBER+STRICT, RED. */
    {"non-owner may not share CLEAR", G, ROLE_ANALYST, CL, OWN, NONE, SO, GI, SO, RB_EPERM, ""},
    {"AMBER+STRICT recipient may not share", G, ROLE_ANALYST, AS, OWN, G, SO, GI, SO, RB_EPERM, ""},
    {"RED recipient may not share", G, ROLE_ADMIN, RD, OWN, G, SO, GI, SO, RB_EPERM, ""},
    {"RED recipient asking for a subtree is refused on scope", G, ROLE_ADMIN, RD, OWN, G, SO, GI,
     SS, RB_EINVAL, "scope"},
    /* Rank gives nothing: without a grant the object is not even visible. */
    {"owner's parent CERT without a grant", P1, ROLE_ADMIN, AM, OWN, NONE, SO, OWN, SO,
     RB_ENOTFOUND, ""},
    {"national CERT without a grant", N, ROLE_ADMIN, AM, OWN, NONE, SO, G, SO, RB_ENOTFOUND, ""},
    {"below an org grant is not a recipient", GI, ROLE_ADMIN, AM, OWN, G, SO, GI, SO, RB_ENOTFOUND,
     ""},
};

TU_TEST(test_may_grant_table)
{
    struct tree t;
    fixed_tree(&t);
    for (size_t i = 0; i < RB_ARRAY_LEN(grant_rows); i++) {
        const struct grant_row *r = &grant_rows[i];
        rb_actor a;
        if (r->actor == SYS)
            rb_actor_system(&a, &t.ref[N]);
        else
            tu_actor(&a, r->role, &t.ref[r->actor]);
        struct policy_grant held = {r->held >= 0 ? t.ref[r->held].id : NULL, r->held_scope};
        struct policy_object o = {t.ref[r->owner].id, r->tlp, false, &held, r->held >= 0 ? 1 : 0};
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc = policy_may_grant(&a, &o, &t.ref[r->target], r->scope, &ei);
        ROW_CHECK(rc == r->rc, "row %zu (%s): rc %d (%s), expected %d", i, r->what, rc, ei.msg,
                  r->rc);
        if (r->rc != 0) {
            ROW_CHECK(ei.code == r->rc, "row %zu (%s): ei.code %d", i, r->what, ei.code);
            ROW_CHECK(strcmp(ei.field, r->field) == 0,
                      "row %zu (%s): field \"%s\", expected \"%s\"", i, r->what, ei.field,
                      r->field);
            ROW_CHECK(ei.msg[0] != '\0', "row %zu (%s): no message", i, r->what);
        }
    }
}

TU_TEST(test_may_set_tlp_table)
{
    struct tree t;
    fixed_tree(&t);
    static const struct {
        const char *what;
        int actor; /* node or SYS */
        enum rb_tlp from, to;
        int rc;
    } rows[] = {
        {"non-owner raises AMBER to RED", G, AM, RD, 0},
        {"non-owner raises AMBER to AMBER+STRICT", G, AM, AS, 0},
        {"non-owner raises CLEAR to GREEN", UI, CL, GR, 0},
        {"non-owner keeps the level", G, AM, AM, 0},
        {"non-owner may not lower AMBER to GREEN", G, AM, GR, RB_EPERM},
        {"non-owner may not lower AMBER to CLEAR", N, AM, CL, RB_EPERM},
        {"non-owner may not lower RED to AMBER+STRICT", P1, RD, AS, RB_EPERM},
        {"owner lowers AMBER to CLEAR", OWN, AM, CL, 0},
        {"owner lowers RED to GREEN", OWN, RD, GR, 0},
        {"owner raises GREEN to RED", OWN, GR, RD, 0},
        {"system actor lowers RED to CLEAR", SYS, RD, CL, 0},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_actor a;
        if (rows[i].actor == SYS)
            rb_actor_system(&a, &t.ref[N]);
        else
            tu_actor(&a, ROLE_ANALYST, &t.ref[rows[i].actor]);
        struct policy_object o = {t.ref[OWN].id, rows[i].from, false, NULL, 0};
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc = policy_may_set_tlp(&a, &o, rows[i].to, &ei);
        ROW_CHECK(rc == rows[i].rc, "row %zu (%s): rc %d, expected %d", i, rows[i].what, rc,
                  rows[i].rc);
        if (rc)
            ROW_CHECK(strcmp(ei.field, "tlp") == 0, "row %zu (%s): field \"%s\"", i, rows[i].what,
                      ei.field);
    }
}

/* ---- 4. the permission table ---- */

TU_TEST(test_permission_table)
{
    static const struct {
        enum rb_perm perm;
        const char *name;
        bool roles[ROLE__COUNT]; /* admin, analyst, reporter, viewer, auditor */
    } rows[] = {
        {PERM_READ, "read", {1, 1, 1, 1, 1}},
        {PERM_REPORT, "report", {1, 1, 1, 0, 0}},
        {PERM_TRIAGE, "triage", {1, 1, 0, 0, 0}},
        {PERM_PUBLISH, "publish", {1, 1, 0, 0, 0}},
        {PERM_SHARE, "share", {1, 1, 0, 0, 0}},
        {PERM_ORG_MANAGE, "org_manage", {1, 0, 0, 0, 0}},
        {PERM_USER_MANAGE, "user_manage", {1, 0, 0, 0, 0}},
        {PERM_USER_READ, "user_read", {1, 0, 0, 0, 1}},
        {PERM_AUDIT_READ, "audit_read", {1, 0, 0, 0, 1}},
        {PERM_TOKEN_OWN, "token_own", {1, 1, 1, 1, 1}},
        {PERM_RISK_ACCEPT, "risk_accept", {1, 0, 0, 0, 0}},
    };
    assert_int_equal(RB_ARRAY_LEN(rows), PERM__COUNT);
    struct tree t;
    fixed_tree(&t);
    rb_actor sys;
    rb_actor_system(&sys, &t.ref[N]);
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        ROW_CHECK(rb_perm_table[rows[i].perm].perm == rows[i].perm, "row %zu: table out of order",
                  i);
        ROW_CHECK(strcmp(rb_perm_table[rows[i].perm].name, rows[i].name) == 0,
                  "row %zu: name %s, expected %s", i, rb_perm_table[rows[i].perm].name,
                  rows[i].name);
        for (int role = 0; role < ROLE__COUNT; role++) {
            rb_actor a;
            tu_actor(&a, (enum rb_role)role, &t.ref[OWN]);
            bool can = policy_can(&a, rows[i].perm);
            ROW_CHECK(can == rows[i].roles[role], "%s may %s: %d, expected %d", rb_role_names[role],
                      rows[i].name, can, rows[i].roles[role]);
            bool bit = (rb_perm_table[rows[i].perm].roles & (1u << role)) != 0;
            ROW_CHECK(bit == rows[i].roles[role], "%s bit for %s", rb_role_names[role],
                      rows[i].name);
        }
        ROW_CHECK(policy_can(&sys, rows[i].perm), "system actor lacks %s", rows[i].name);
    }
    /* Out-of-range permissions are refused to users. */
    rb_actor a;
    tu_actor(&a, ROLE_ADMIN, &t.ref[N]);
    assert_false(policy_can(&a, PERM__COUNT));
    assert_false(policy_can(&a, (enum rb_perm) - 1));
}

/* ---- tree helpers and org visibility ---- */

TU_TEST(test_tree_helpers)
{
    struct tree t;
    fixed_tree(&t);
    static const struct {
        int a, o;
        bool in_subtree, is_ancestor;
    } rows[] = {
        {N, N, true, false},      {N, GCI, true, true},    {G, GCI, true, true},
        {GC, GCI, true, true},    {GCI, GCI, true, false}, {GCI, GC, false, false},
        {P1, GCI, false, false},  {U, UI, true, true},     {UI, U, false, false},
        {OWN, SIB, false, false},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        bool s = policy_in_subtree(t.ref[rows[i].a].id, &t.ref[rows[i].o]);
        bool an = policy_is_ancestor(t.ref[rows[i].a].id, &t.ref[rows[i].o]);
        ROW_CHECK(s == rows[i].in_subtree && an == rows[i].is_ancestor,
                  "row %zu: in_subtree %d is_ancestor %d", i, s, an);
    }
    /* Directory visibility: own org, its ancestors and its subtree; never siblings. */
    static const struct {
        int actor;
        bool sees[FIXED_COUNT]; /* N P1 OWN SIB G GC GCI GI U UI */
    } vis[] = {
        {N, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},  {G, {1, 0, 0, 0, 1, 1, 1, 1, 0, 0}},
        {GC, {1, 0, 0, 0, 1, 1, 1, 0, 0, 0}}, {OWN, {1, 1, 1, 0, 0, 0, 0, 0, 0, 0}},
        {UI, {1, 0, 0, 0, 0, 0, 0, 0, 1, 1}},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(vis); i++) {
        rb_actor a;
        tu_actor(&a, ROLE_VIEWER, &t.ref[vis[i].actor]);
        for (int o = 0; o < FIXED_COUNT; o++) {
            bool s = policy_may_see_org(&a, &t.ref[o]);
            ROW_CHECK(s == vis[i].sees[o], "%s sees %s: %d, expected %d", pos_names[vis[i].actor],
                      pos_names[o], s, vis[i].sees[o]);
        }
    }
    rb_actor sys;
    rb_actor_system(&sys, NULL);
    assert_true(policy_may_see_org(&sys, &t.ref[UI]));
}

TU_MAIN({
    cmocka_unit_test(test_read_table),
    cmocka_unit_test(test_read_several_grants),
    cmocka_unit_test(test_random_trees_c_equals_sql),
    cmocka_unit_test(test_may_grant_table),
    cmocka_unit_test(test_may_set_tlp_table),
    cmocka_unit_test(test_permission_table),
    cmocka_unit_test(test_tree_helpers),
})
