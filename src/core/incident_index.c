/*
 * incident_index.c - the in-memory index of incidents: loading it, following the database, and
 * scanning it for lists, counts and responsiveness.
 *
 * Must never let an entry count for a reader the sharing policy refuses, or serve a page from an
 * index older than the database's incident counter at the time of the request.
 */
#include "base/common.h"
#include "base/rtime.h"
#include "core/incident_index.h"
#include "core/kind.h"
#include "core/org.h"
#include "core/policy.h"
#include "formats/rsit.h"
#include "formats/tlp.h"
#include "json/json.h"

#include <math.h>
#include <pthread.h>

/* One incident. Times are seconds since the epoch (0: none), which fit 32 bits until 2106. */
struct ix_entry {
    uint32_t seq, version, reported, next_due, contained, ended; /* version: its low 32 bits */
    uint32_t owner, org, handling; /* org numbers */
    uint32_t goff, poff;           /* its grants and handling periods in the pools */
    uint16_t ngrants;
    uint8_t nper, province;                     /* province: index in rb_provinces + 1; 0 none */
    uint8_t severity, status, rclass, tlp, cii; /* rclass: index in rsit_classes + 1 */
};

/* One handling period. */
struct ix_period {
    uint32_t org, since, ack_due, acked, until;
};

static struct {
    pthread_rwlock_t lock; /* readers scan; a refresh writes */
    char path[1024];       /* the database it follows */
    int64_t version;       /* the incident counter it has loaded up to; -1 none */
    struct ix_entry *e;
    size_t n, cap;
    uint32_t *grants;
    size_t ng, gcap, gdead;
    struct ix_period *per;
    size_t np, pcap, pdead;
    char (*orgs)[RB_ID_SIZE]; /* org number -> id */
    size_t norgs, ocap;
    uint32_t *slots; /* open addressing: org number + 1, 0 empty */
    size_t nslots;
} ix = {.lock = PTHREAD_RWLOCK_INITIALIZER, .version = -1};

static uint64_t hash_id(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* The number of org id, or POLICY_IX_NONE - 1 when it has none and create is false. */
static uint32_t org_number(const char *id, bool create)
{
    if (!id || !id[0])
        return POLICY_IX_NONE - 1;
    if (ix.nslots) {
        for (size_t i = hash_id(id) & (ix.nslots - 1);; i = (i + 1) & (ix.nslots - 1)) {
            uint32_t s = ix.slots[i];
            if (s == 0)
                break;
            if (strcmp(ix.orgs[s - 1], id) == 0)
                return s - 1;
        }
    }
    if (!create)
        return POLICY_IX_NONE - 1;
    if ((ix.norgs + 1) * 2 > ix.nslots) {
        size_t ns = ix.nslots ? ix.nslots * 2 : 1024;
        uint32_t *slots = rb_calloc(ns, sizeof(uint32_t));
        if (!slots)
            return POLICY_IX_NONE - 1;
        for (size_t k = 0; k < ix.norgs; k++)
            for (size_t i = hash_id(ix.orgs[k]) & (ns - 1);; i = (i + 1) & (ns - 1))
                if (!slots[i]) {
                    slots[i] = (uint32_t)k + 1;
                    break;
                }
        rb_free(ix.slots);
        ix.slots = slots;
        ix.nslots = ns;
    }
    if (ix.norgs == ix.ocap) {
        size_t nc = ix.ocap ? ix.ocap * 2 : 256;
        void *p = rb_realloc(ix.orgs, nc * RB_ID_SIZE);
        if (!p)
            return POLICY_IX_NONE - 1;
        ix.orgs = p;
        ix.ocap = nc;
    }
    uint32_t num = (uint32_t)ix.norgs++;
    rb_strlcpy(ix.orgs[num], id, RB_ID_SIZE);
    for (size_t i = hash_id(id) & (ix.nslots - 1);; i = (i + 1) & (ix.nslots - 1))
        if (!ix.slots[i]) {
            ix.slots[i] = num + 1;
            break;
        }
    return num;
}

static void reset_locked(void)
{
    rb_free(ix.e);
    rb_free(ix.grants);
    rb_free(ix.per);
    rb_free(ix.orgs);
    rb_free(ix.slots);
    int64_t v = -1;
    memset(&ix.e, 0, sizeof(ix) - offsetof(__typeof__(ix), e));
    ix.version = v;
    ix.path[0] = '\0';
}

void incident_index_reset(void)
{
    pthread_rwlock_wrlock(&ix.lock);
    reset_locked();
    pthread_rwlock_unlock(&ix.lock);
}

void incident_index_size(int64_t *entries, int64_t *bytes)
{
    pthread_rwlock_rdlock(&ix.lock);
    *entries = (int64_t)ix.n;
    *bytes = (int64_t)(ix.cap * sizeof(struct ix_entry) + ix.gcap * sizeof(uint32_t) +
                       ix.pcap * sizeof(struct ix_period) + ix.ocap * RB_ID_SIZE +
                       ix.nslots * sizeof(uint32_t));
    pthread_rwlock_unlock(&ix.lock);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 1024;
    while (nc < need)
        nc *= 2;
    void *q = rb_realloc(*p, nc * size);
    if (!q)
        return RB_ENOMEM;
    *p = q;
    *cap = nc;
    return 0;
}

/* Where seq is or would go in the entries, which are in seq order: the first at or above it. */
static size_t entry_at(uint32_t seq)
{
    /* Numbers are given in order and never skipped, so an entry is usually at its number less
     * the first's: try there before searching. */
    if (ix.n && seq >= ix.e[0].seq) {
        size_t guess = (size_t)(seq - ix.e[0].seq);
        if (guess < ix.n && ix.e[guess].seq == seq)
            return guess;
    }
    size_t lo = 0, hi = ix.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix.e[mid].seq < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The entry of seq, appended (or inserted in order) when new. */
static struct ix_entry *entry_for(uint32_t seq)
{
    if (ix.n == 0 || ix.e[ix.n - 1].seq < seq) {
        if (grow((void **)&ix.e, &ix.cap, ix.n + 1, sizeof(*ix.e)))
            return NULL;
        struct ix_entry *x = &ix.e[ix.n++];
        memset(x, 0, sizeof(*x));
        x->seq = seq;
        return x;
    }
    size_t lo = entry_at(seq);
    if (lo < ix.n && ix.e[lo].seq == seq)
        return &ix.e[lo];
    if (grow((void **)&ix.e, &ix.cap, ix.n + 1, sizeof(*ix.e)))
        return NULL;
    memmove(&ix.e[lo + 1], &ix.e[lo], (ix.n - lo) * sizeof(*ix.e));
    ix.n++;
    memset(&ix.e[lo], 0, sizeof(ix.e[lo]));
    ix.e[lo].seq = seq;
    return &ix.e[lo];
}

static struct ix_entry *entry_find(uint32_t seq)
{
    size_t lo = entry_at(seq);
    return lo < ix.n && ix.e[lo].seq == seq ? &ix.e[lo] : NULL;
}

static uint32_t t32(const char *s)
{
    int64_t t = rb_time_of(s);
    return t < 0 || t > (int64_t)UINT32_MAX ? 0 : (uint32_t)t;
}

static int rsit_index(const char *s)
{
    for (int i = 0; s && i < rsit_nclasses; i++)
        if (strcmp(rsit_classes[i].id, s) == 0)
            return i;
    return -1;
}

/* Packs the pools when more than half of them is garbage (old slices of changed entries). */
static int compact(void)
{
    if (ix.gdead * 2 <= ix.ng && ix.pdead * 2 <= ix.np)
        return 0;
    uint32_t *g = rb_malloc((ix.ng - ix.gdead + 1) * sizeof(uint32_t));
    struct ix_period *p = rb_malloc((ix.np - ix.pdead + 1) * sizeof(struct ix_period));
    if (!g || !p) {
        rb_free(g);
        rb_free(p);
        return RB_ENOMEM;
    }
    size_t ng = 0, np = 0;
    for (size_t i = 0; i < ix.n; i++) {
        struct ix_entry *x = &ix.e[i];
        memcpy(&g[ng], &ix.grants[x->goff], x->ngrants * sizeof(uint32_t));
        x->goff = (uint32_t)ng;
        ng += x->ngrants;
        memcpy(&p[np], &ix.per[x->poff], x->nper * sizeof(struct ix_period));
        x->poff = (uint32_t)np;
        np += x->nper;
    }
    rb_free(ix.grants);
    rb_free(ix.per);
    ix.grants = g;
    ix.per = p;
    ix.ng = ix.gcap = ng;
    ix.np = ix.pcap = np;
    ix.gdead = ix.pdead = 0;
    return 0;
}

/*
 * Loading. The incident columns the index keeps, then its id (column 14), in one statement for
 * both ways of loading: everything at once (the first use, or after many changes), or the
 * incidents whose version passed the index's (each write bumps a few).
 */
#define IX_COLS                                                                                    \
    "seq, owner_org, org_id, handling_org, province, severity, status, rsit_class, tlp, cii, "     \
    "reported_at, next_due, contained_at, ended_at, id, version"

/* The entry of the incidents row st is on, filled from it; its grants and periods are dropped
 * (the caller loads them again). NULL when out of memory. */
static struct ix_entry *load_row(rb_stmt *st)
{
    struct ix_entry *x = entry_for((uint32_t)db_col_int(st, 0));
    if (!x)
        return NULL;
    ix.gdead += x->ngrants;
    ix.pdead += x->nper;
    x->ngrants = 0;
    x->nper = 0;
    x->owner = org_number(db_col_text(st, 1), true);
    x->org = org_number(db_col_text(st, 2), true);
    x->handling = org_number(db_col_text(st, 3), true);
    x->province = (uint8_t)(rb_name_index(rb_provinces, db_col_text(st, 4)) + 1);
    int sev = rb_name_index(rb_severity_names, db_col_text(st, 5));
    x->severity = (uint8_t)(sev < 0 ? SEV_BASELINE : sev);
    int status = rb_name_index(rb_incident_status_names, db_col_text(st, 6));
    x->status = (uint8_t)(status < 0 ? IST_NEW : status);
    x->rclass = (uint8_t)(rsit_index(db_col_text(st, 7)) + 1);
    enum rb_tlp t = TLP_RED;
    tlp_parse(db_col_text(st, 8), &t);
    x->tlp = (uint8_t)t;
    x->cii = db_col_int(st, 9) != 0;
    x->reported = t32(db_col_text(st, 10));
    x->next_due = t32(db_col_text(st, 11));
    x->contained = t32(db_col_text(st, 12));
    x->ended = t32(db_col_text(st, 13));
    x->version = (uint32_t)db_col_int(st, 15);
    return x;
}

/* One grant of an entry, as the policy reads it. */
static uint32_t grant_of(rb_stmt *st, int org_col)
{
    const char *scope = db_col_text(st, org_col + 1);
    return POLICY_IX_GRANT(org_number(db_col_text(st, org_col), true),
                           scope && strcmp(scope, "subtree") == 0);
}

/* One handling period from columns org, since, ack_due, acknowledged_at, until. */
static void period_of(rb_stmt *st, int col, struct ix_period *p)
{
    p->org = org_number(db_col_text(st, col), true);
    p->since = t32(db_col_text(st, col + 1));
    p->ack_due = t32(db_col_text(st, col + 2));
    p->acked = t32(db_col_text(st, col + 3));
    p->until = t32(db_col_text(st, col + 4));
}

/* Incident ids -> entry positions while everything is loaded: open addressing over copies of
 * the ids, dropped when the load is done. */
struct id_map {
    char (*ids)[RB_ID_SIZE]; /* by entry position */
    uint32_t *slots;         /* position + 1; 0 empty */
    size_t n, cap, nslots;
};

static int id_map_add(struct id_map *m, const char *id, uint32_t pos)
{
    if (pos >= m->cap && grow((void **)&m->ids, &m->cap, (size_t)pos + 1, RB_ID_SIZE))
        return RB_ENOMEM;
    rb_strlcpy(m->ids[pos], id ? id : "", RB_ID_SIZE);
    if (pos >= m->n)
        m->n = (size_t)pos + 1;
    return 0;
}

static int id_map_index(struct id_map *m)
{
    size_t ns = 1024;
    while (ns < m->n * 2)
        ns *= 2;
    if (!(m->slots = rb_calloc(ns, sizeof(uint32_t))))
        return RB_ENOMEM;
    m->nslots = ns;
    for (size_t k = 0; k < m->n; k++)
        for (size_t i = hash_id(m->ids[k]) & (ns - 1);; i = (i + 1) & (ns - 1))
            if (!m->slots[i]) {
                m->slots[i] = (uint32_t)k + 1;
                break;
            }
    return 0;
}

/* The entry position of id, or -1. */
static int64_t id_map_find(const struct id_map *m, const char *id)
{
    if (!id || !m->nslots)
        return -1;
    for (size_t i = hash_id(id) & (m->nslots - 1);; i = (i + 1) & (m->nslots - 1)) {
        uint32_t s = m->slots[i];
        if (!s)
            return -1;
        if (strcmp(m->ids[s - 1], id) == 0)
            return s - 1;
    }
}

static void id_map_release(struct id_map *m)
{
    rb_free(m->ids);
    rb_free(m->slots);
    memset(m, 0, sizeof(*m));
}

/* Rows for the entries, gathered in table order and then grouped by entry (a counting sort);
 * with `num`, each row's number too (a handling period's n). */
struct by_entry {
    uint32_t *pos; /* entry position of each row */
    void *rows;
    uint8_t *num;
    bool numbered;
    size_t n, cap, size;
};

static int by_entry_add(struct by_entry *b, uint32_t pos, const void *row, int64_t num)
{
    if (b->n == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 4096;
        uint32_t *p = rb_realloc(b->pos, nc * sizeof(uint32_t));
        if (!p)
            return RB_ENOMEM;
        b->pos = p;
        void *r = rb_realloc(b->rows, nc * b->size);
        if (!r)
            return RB_ENOMEM;
        b->rows = r;
        if (b->numbered) {
            uint8_t *k = rb_realloc(b->num, nc);
            if (!k)
                return RB_ENOMEM;
            b->num = k;
        }
        b->cap = nc;
    }
    b->pos[b->n] = pos;
    memcpy((char *)b->rows + b->n * b->size, row, b->size);
    if (b->numbered)
        b->num[b->n] = (uint8_t)(num < 0 ? 0 : (num > UINT8_MAX ? UINT8_MAX : num));
    b->n++;
    return 0;
}

static void by_entry_release(struct by_entry *b)
{
    rb_free(b->pos);
    rb_free(b->rows);
    rb_free(b->num);
}

/* Copies b's rows into the empty pool (ix.grants or ix.per, made exactly as big) grouped by
 * entry, in table order within each, and sets each entry's offset and count through set().
 * *num_out (when b is numbered) gets the rows' numbers in the pool's order. */
static int by_entry_place(struct by_entry *b, void **pool, size_t *np, size_t *cap,
                          void (*set)(struct ix_entry *, uint32_t off, uint32_t count),
                          uint8_t **num_out)
{
    size_t *start = rb_calloc(ix.n + 1, sizeof(size_t));
    void *room = start ? rb_realloc(*pool, (b->n + 1) * b->size) : NULL;
    uint8_t *num = b->numbered && room ? rb_malloc(b->n + 1) : NULL;
    if (room) {
        *pool = room;
        *cap = b->n + 1;
    }
    if (!start || !room || (b->numbered && !num)) {
        rb_free(start);
        rb_free(num);
        return RB_ENOMEM;
    }
    for (size_t i = 0; i < b->n; i++)
        start[b->pos[i] + 1]++;
    for (size_t k = 0; k < ix.n; k++) {
        uint32_t count = (uint32_t)start[k + 1];
        start[k + 1] += start[k];
        set(&ix.e[k], (uint32_t)start[k], count);
    }
    for (size_t i = 0; i < b->n; i++) {
        size_t at = start[b->pos[i]]++;
        memcpy((char *)*pool + at * b->size, (const char *)b->rows + i * b->size, b->size);
        if (num)
            num[at] = b->num[i];
    }
    *np = b->n;
    rb_free(start);
    if (num_out)
        *num_out = num;
    else
        rb_free(num);
    return 0;
}

static void set_grants(struct ix_entry *x, uint32_t off, uint32_t count)
{
    x->goff = off;
    x->ngrants = (uint16_t)(count > UINT16_MAX ? UINT16_MAX : count);
}

static void set_periods(struct ix_entry *x, uint32_t off, uint32_t count)
{
    x->poff = off;
    x->nper = (uint8_t)(count > UINT8_MAX ? UINT8_MAX : count);
}

/*
 * Everything, into the empty index: the incidents in number order, then one pass over grants and
 * one over incident_handlers, each row placed by its incident's id. Three scans, no join: a join
 * of a million incidents with their grants costs SQLite a lookup per row and a sort.
 */
static int load_all(rb_db *db)
{
    struct id_map m = {0};
    struct by_entry g = {.size = sizeof(uint32_t)};
    struct by_entry h = {.size = sizeof(struct ix_period), .numbered = true};
    uint8_t *num = NULL;
    rb_stmt *st = NULL;
    int rc = db_prepare(db, "SELECT " IX_COLS " FROM incidents ORDER BY seq", &st);
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct ix_entry *x = load_row(st);
        if (!x || id_map_add(&m, db_col_text(st, 14), (uint32_t)(x - ix.e))) {
            rc = RB_ENOMEM;
            break;
        }
    }
    db_done(st);
    if (!rc && !(rc = id_map_index(&m)) &&
        !(rc = db_prepare(db, "SELECT object_kind, object_id, org_id, scope FROM grants", &st))) {
        while ((rc = db_step(st)) == DB_ROW) {
            const char *kind = db_col_text(st, 0);
            int64_t pos = kind && strcmp(kind, kind_incident.name) == 0
                              ? id_map_find(&m, db_col_text(st, 1))
                              : -1;
            uint32_t word = pos < 0 ? 0 : grant_of(st, 2);
            if (pos >= 0 && by_entry_add(&g, (uint32_t)pos, &word, 0)) {
                rc = RB_ENOMEM;
                break;
            }
        }
        db_done(st);
    }
    if (rc == DB_DONE &&
        !(rc = db_prepare(db,
                          "SELECT incident_id, n, org_id, since, ack_due, acknowledged_at, until "
                          "FROM incident_handlers",
                          &st))) {
        while ((rc = db_step(st)) == DB_ROW) {
            int64_t pos = id_map_find(&m, db_col_text(st, 0));
            struct ix_period p;
            period_of(st, 2, &p);
            if (pos >= 0 && by_entry_add(&h, (uint32_t)pos, &p, db_col_int(st, 1))) {
                rc = RB_ENOMEM;
                break;
            }
        }
        db_done(st);
    }
    id_map_release(&m);
    if (rc == DB_DONE)
        rc = by_entry_place(&g, (void **)&ix.grants, &ix.ng, &ix.gcap, set_grants, NULL);
    by_entry_release(&g);
    if (!rc)
        rc = by_entry_place(&h, (void **)&ix.per, &ix.np, &ix.pcap, set_periods, &num);
    by_entry_release(&h);
    /* Each entry's periods in their order (rows come in table order: almost always theirs). */
    for (size_t k = 0; !rc && k < ix.n; k++) {
        struct ix_period *p = &ix.per[ix.e[k].poff];
        uint8_t *n = &num[ix.e[k].poff];
        for (int i = 1; i < ix.e[k].nper; i++)
            for (int j = i; j > 0 && n[j - 1] > n[j]; j--) {
                struct ix_period t = p[j];
                p[j] = p[j - 1];
                p[j - 1] = t;
                uint8_t u = n[j];
                n[j] = n[j - 1];
                n[j - 1] = u;
            }
    }
    rb_free(num);
    return rc;
}

/* The incidents whose version passed the index's: each row again, then its grants and periods
 * by its id (indexed lookups: a write changes a few incidents). */
static int load_changed(rb_db *db)
{
    struct changed {
        uint32_t seq;
        char id[RB_ID_SIZE];
    } *ch = NULL;
    size_t n = 0, cap = 0;
    rb_stmt *st = NULL;
    int rc = db_prepare(db, "SELECT " IX_COLS " FROM incidents WHERE version > ?1", &st);
    if (rc)
        return rc;
    db_bind_int(st, 1, ix.version);
    while ((rc = db_step(st)) == DB_ROW) {
        struct ix_entry *x = load_row(st);
        if (!x || grow((void **)&ch, &cap, n + 1, sizeof(*ch))) {
            rc = RB_ENOMEM;
            break;
        }
        ch[n].seq = x->seq;
        rb_strlcpy(ch[n].id, db_col_text(st, 14) ? db_col_text(st, 14) : "", RB_ID_SIZE);
        n++;
    }
    db_done(st);
    for (size_t i = 0; rc == DB_DONE && i < n; i++) {
        struct ix_entry *x = entry_find(ch[i].seq);
        if (!x)
            continue;
        if ((rc = db_query(db,
                           "SELECT org_id, scope FROM grants WHERE object_kind = ?2 AND "
                           "object_id = ?1",
                           DB_ARGS(DB_TEXT(ch[i].id), DB_TEXT(kind_incident.name)), &st)))
            break;
        x->goff = (uint32_t)ix.ng;
        while ((rc = db_step(st)) == DB_ROW && x->ngrants < UINT16_MAX) {
            if (grow((void **)&ix.grants, &ix.gcap, ix.ng + 1, sizeof(uint32_t))) {
                rc = RB_ENOMEM;
                break;
            }
            ix.grants[ix.ng++] = grant_of(st, 0);
            x->ngrants++;
        }
        db_done(st);
        if (rc < 0)
            break;
        if ((rc = db_query(db,
                           "SELECT org_id, since, ack_due, acknowledged_at, until FROM "
                           "incident_handlers WHERE incident_id = ?1 ORDER BY n",
                           DB_ARGS(DB_TEXT(ch[i].id)), &st)))
            break;
        x->poff = (uint32_t)ix.np;
        while ((rc = db_step(st)) == DB_ROW && x->nper < UINT8_MAX) {
            if (grow((void **)&ix.per, &ix.pcap, ix.np + 1, sizeof(struct ix_period))) {
                rc = RB_ENOMEM;
                break;
            }
            period_of(st, 0, &ix.per[ix.np++]);
            x->nper++;
        }
        db_done(st);
        if (rc < 0)
            break;
        rc = DB_DONE;
    }
    rb_free(ch);
    return rc < 0 ? rc : 0;
}

/* Brings the index from ix.version up to v, inside one read snapshot. Called with the write lock.
 * Many changes at once (a policy change applied to every open incident, an import) are loaded
 * as a whole again: past a quarter of the index that costs less than a lookup each. */
static int refresh_locked(rb_db *db, int64_t v)
{
    int rc;
    if (ix.version >= 0) {
        int64_t changed = 0;
        rb_stmt *st = NULL;
        if ((rc = db_prepare(db, "SELECT count(*) FROM incidents WHERE version > ?1", &st)))
            return rc;
        db_bind_int(st, 1, ix.version);
        if ((rc = db_int(st, &changed)))
            return rc;
        if (changed > (int64_t)(ix.n / 4) + 1000) {
            char path[sizeof(ix.path)];
            rb_strlcpy(path, ix.path, sizeof(path));
            reset_locked();
            rb_strlcpy(ix.path, path, sizeof(ix.path));
        }
    }
    rc = ix.version < 0 ? load_all(db) : load_changed(db);
    if (rc)
        return rc;
    ix.version = v;
    return compact();
}

/* The incident counter, and the org counter (bumped when an org's name or place changes) into
 * *orgs when it is not NULL. */
static int counter(rb_db *db, int64_t *v, int64_t *orgs)
{
    int rc = db_counter(db, "incident", v);
    if (!rc && orgs && (rc = db_counter(db, "org", orgs)) == RB_ENOTFOUND)
        rc = 0; /* *orgs is 0: no org counter yet */
    return rc;
}

/* Brings the index up to the database and takes the read lock (released by the caller); *orgs
 * as counter's. */
static int index_read_lock_orgs(rb_db *db, int64_t *orgs)
{
    /* A GET is one snapshot already (the server's); otherwise take one for the refresh. */
    bool own = !db_in_snapshot(db);
    int rc = own ? db_read_begin(db) : 0;
    if (rc)
        return rc;
    int64_t v = 0;
    if ((rc = counter(db, &v, orgs))) {
        if (own)
            db_read_end(db);
        return rc;
    }
    const char *path = db_path(db);
    pthread_rwlock_rdlock(&ix.lock);
    if (ix.version >= v && strcmp(ix.path, path) == 0) {
        if (own)
            db_read_end(db);
        return 0;
    }
    pthread_rwlock_unlock(&ix.lock);
    pthread_rwlock_wrlock(&ix.lock);
    if (strcmp(ix.path, path) != 0) {
        reset_locked();
        rb_strlcpy(ix.path, path, sizeof(ix.path));
    }
    rc = 0;
    if (ix.version < v)
        rc = refresh_locked(db, v);
    if (rc) {
        /* Half-loaded: start again next time. */
        reset_locked();
    }
    pthread_rwlock_unlock(&ix.lock);
    if (own)
        db_read_end(db);
    if (rc)
        return rc;
    pthread_rwlock_rdlock(&ix.lock);
    return 0;
}

static int index_read_lock(rb_db *db)
{
    return index_read_lock_orgs(db, NULL);
}

/* ---- scanning ---- */

/* A filter compiled against the index's org numbers. */
struct fx {
    const struct incident_filter *f;
    uint32_t handling, org, since, until, now;
    bool none; /* matches nothing (an org the index has never seen) */
};

static void compile(const struct incident_filter *f, struct fx *c)
{
    memset(c, 0, sizeof(*c));
    c->f = f;
    c->now = (uint32_t)rb_now();
    c->handling = POLICY_IX_NONE;
    c->org = POLICY_IX_NONE;
    if (f->handling_org_id) {
        c->handling = org_number(f->handling_org_id, false);
        c->none = c->none || c->handling == POLICY_IX_NONE - 1;
    }
    if (f->org_id) {
        c->org = org_number(f->org_id, false);
        c->none = c->none || c->org == POLICY_IX_NONE - 1;
    }
    c->since = f->since > 0 ? (uint32_t)(f->since > UINT32_MAX ? UINT32_MAX : f->since) : 0;
    c->until =
        f->until > 0 ? (uint32_t)(f->until > UINT32_MAX ? UINT32_MAX : f->until) : UINT32_MAX;
}

static bool is_overdue(const struct ix_entry *e, uint32_t now)
{
    return !e->ended && e->next_due && e->next_due < now;
}

static bool matches(const struct ix_entry *e, const struct fx *c)
{
    const struct incident_filter *f = c->f;
    if (c->none)
        return false;
    if (f->severities && !(f->severities & (1u << e->severity)))
        return false;
    if (f->statuses && !(f->statuses & (1u << e->status)))
        return false;
    if (f->rsit_class && e->rclass != f->rsit_class)
        return false;
    if (f->province > 0 && e->province != f->province)
        return false;
    if (f->province < 0 && e->province != 0)
        return false;
    if (f->overdue && is_overdue(e, c->now) != (f->overdue > 0))
        return false;
    if (f->open && (e->ended == 0) != (f->open > 0))
        return false;
    if (f->cii && (e->cii != 0) != (f->cii > 0))
        return false;
    if (c->handling != POLICY_IX_NONE && e->handling != c->handling)
        return false;
    if (c->org != POLICY_IX_NONE && e->org != c->org)
        return false;
    if (e->reported < c->since || e->reported >= c->until)
        return false;
    return true;
}

static void viewer_of(const rb_actor *actor, struct policy_viewer_ix *v)
{
    memset(v, 0, sizeof(*v));
    if (!actor) {
        v->org = POLICY_IX_NONE;
        return;
    }
    v->all = actor->system;
    v->org = org_number(actor->org.id, false);
    if (v->org == POLICY_IX_NONE - 1)
        v->org = POLICY_IX_NONE - 2; /* signed in, but owns and was granted nothing */
    for (int i = 0; i < actor->org.nanc && v->nanc < RB_MAX_DEPTH; i++) {
        uint32_t a = org_number(actor->org.ancestors[i], false);
        if (a != POLICY_IX_NONE - 1)
            v->anc[v->nanc++] = a;
    }
}

static bool readable(const struct policy_viewer_ix *v, const struct ix_entry *e)
{
    return policy_may_read_ix(v, (enum rb_tlp)e->tlp, false, e->owner, &ix.grants[e->goff],
                              e->ngrants);
}

int incident_index_check(rb_db *db, const rb_actor *actor, int64_t seq, int64_t version,
                         enum ix_check *state, int64_t *orgs)
{
    *state = IX_CHANGED;
    *orgs = 0;
    if (seq <= 0 || seq > (int64_t)UINT32_MAX)
        return 0;
    int rc = index_read_lock_orgs(db, orgs);
    if (rc)
        return rc;
    const struct ix_entry *e = entry_find((uint32_t)seq);
    if (e && e->version == (uint32_t)version) {
        struct policy_viewer_ix v;
        viewer_of(actor, &v);
        *state = readable(&v, e) ? IX_READABLE : IX_REFUSED;
    }
    pthread_rwlock_unlock(&ix.lock);
    return 0;
}

char *incident_fts_query(rb_arena *a, const char *q)
{
    if (!q)
        return NULL;
    size_t cap = strlen(q) * 2 + 64;
    if (cap > 4096)
        cap = 4096;
    char *out = rb_arena_alloc(a, cap);
    if (!out)
        return NULL;
    size_t o = 0;
    int words = 0;
    for (const unsigned char *p = (const unsigned char *)q; *p && words < 8;) {
        /* A word: letters and digits (and every byte of a multibyte character). */
        while (*p && *p < 0x80 &&
               !((*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'z')))
            p++;
        const unsigned char *start = p;
        while (*p &&
               (*p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'z')))
            p++;
        size_t len = (size_t)(p - start);
        if (len == 0)
            continue;
        if (len > 64)
            len = 64;
        if (o + len + 8 >= cap)
            break;
        if (words++)
            out[o++] = ' ';
        out[o++] = '"';
        memcpy(out + o, start, len);
        o += len;
        out[o++] = '"';
        out[o++] = '*';
    }
    out[o] = '\0';
    return words ? out : NULL;
}

/* The numbers of at most max incidents below `below` whose text matches `match` (an FTS5 query),
 * newest first, into seqs; *n gets how many. */
static int fts_batch(rb_db *db, const char *match, int64_t below, size_t max, uint32_t *seqs,
                     size_t *n)
{
    *n = 0;
    rb_stmt *st = NULL;
    int rc = db_query(db,
                      "SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?1 AND rowid < "
                      "?2 ORDER BY rowid DESC LIMIT ?3",
                      DB_ARGS(DB_TEXT(match), DB_INT(below), DB_INT((int64_t)max)), &st);
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW && *n < max)
        seqs[(*n)++] = (uint32_t)db_col_int(st, 0);
    db_done(st);
    return rc < 0 ? rc : 0;
}

/* The numbers of incidents whose text matches, newest first, in the arena. */
static int fts_seqs(rb_db *db, rb_arena *a, const char *q, uint32_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    char *match = incident_fts_query(a, q);
    if (!match)
        return 0;
    rb_stmt *st = NULL;
    int rc = db_query(db, "SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?1 ORDER BY "
                          "rowid DESC",
                      DB_ARGS(DB_TEXT(match)), &st);
    if (rc)
        return rc;
    size_t cap = 1024;
    uint32_t *seqs = rb_malloc(cap * sizeof(uint32_t));
    while (seqs && (rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            uint32_t *bigger = rb_realloc(seqs, cap * 2 * sizeof(uint32_t));
            if (!bigger) {
                rb_free(seqs);
                seqs = NULL;
                break;
            }
            seqs = bigger;
            cap *= 2;
        }
        seqs[(*n)++] = (uint32_t)db_col_int(st, 0);
    }
    db_done(st);
    if (!seqs)
        return RB_ENOMEM;
    if (rc < 0) {
        rb_free(seqs);
        return rc;
    }
    uint32_t *copy = rb_arena_alloc(a, (*n + 1) * sizeof(uint32_t));
    if (copy)
        memcpy(copy, seqs, *n * sizeof(uint32_t));
    rb_free(seqs);
    if (!copy)
        return RB_ENOMEM;
    *out = copy;
    return 0;
}

/* The number a reference names ("INC-000042", "inc-42", "#42"), or 0 when q is not one. */
static int64_t reference_number(const char *q)
{
    while (*q == ' ')
        q++;
    if (strncasecmp(q, "INC-", 4) == 0)
        q += 4;
    else if (*q == '#')
        q++;
    else
        return 0;
    int64_t n = 0;
    size_t len = strspn(q, "0123456789");
    if (len == 0 || len > 10 || q[len + strspn(q + len, " ")] != '\0')
        return 0;
    for (size_t i = 0; i < len; i++)
        n = n * 10 + (q[i] - '0');
    return n;
}

/* The incidents a text search narrows to, newest first: the one a reference names, or those whose
 * words match (FTS). *use is false when q does not narrow (no word in it). */
static int text_seqs(rb_db *db, rb_arena *a, const char *q, uint32_t **seqs, size_t *n, bool *use)
{
    *seqs = NULL;
    *n = 0;
    *use = false;
    if (!q || !q[0])
        return 0;
    int64_t ref = reference_number(q);
    if (ref > 0) {
        if (!(*seqs = rb_arena_alloc(a, sizeof(uint32_t))))
            return RB_ENOMEM;
        (*seqs)[0] = ref > UINT32_MAX ? 0 : (uint32_t)ref;
        *n = 1;
        *use = true;
        return 0;
    }
    *use = incident_fts_query(a, q) != NULL;
    return *use ? fts_seqs(db, a, q, seqs, n) : 0;
}

/* Calls fn for each readable entry matching f, newest first, below f->before; stops when fn
 * returns false. Holds the read lock throughout (taken by the caller). */
typedef bool (*visit_fn)(const struct ix_entry *e, void *ctx);

static void visit(const struct policy_viewer_ix *v, const struct fx *c, const uint32_t *seqs,
                  size_t nseqs, bool use_seqs, visit_fn fn, void *ctx)
{
    uint32_t before =
        c->f->before > 0 && c->f->before <= UINT32_MAX ? (uint32_t)c->f->before : UINT32_MAX;
    if (use_seqs) {
        for (size_t i = 0; i < nseqs; i++) {
            if (seqs[i] >= before)
                continue;
            const struct ix_entry *e = entry_find(seqs[i]);
            if (e && matches(e, c) && readable(v, e) && !fn(e, ctx))
                return;
        }
        return;
    }
    for (size_t i = ix.n; i-- > 0;) {
        const struct ix_entry *e = &ix.e[i];
        if (e->seq >= before)
            continue;
        if (matches(e, c) && readable(v, e) && !fn(e, ctx))
            return;
    }
}

struct page_ctx {
    uint32_t *seqs;
    int want, got;
    bool count;
    int64_t total;
};

static bool page_visit(const struct ix_entry *e, void *p)
{
    struct page_ctx *c = p;
    if (c->got < c->want)
        c->seqs[c->got] = e->seq;
    c->got++;
    c->total++;
    return c->count || c->got < c->want;
}

int incident_list(rb_db *db, const rb_actor *actor, const struct incident_filter *f, rb_arena *a,
                  rb_incident **out, int *n, bool *more, int64_t *total)
{
    int limit = f->limit < 1 || f->limit > 500 ? 50 : f->limit;
    *n = 0;
    *more = false;
    if (total)
        *total = -1;
    /* A reference names one incident; a text search reads the matches from the text index newest
     * first, a batch at a time, until the page is full: a common word matches a tenth of a million
     * incidents. */
    int64_t ref = f->q ? reference_number(f->q) : 0;
    uint32_t refseq = ref > 0 && ref <= UINT32_MAX ? (uint32_t)ref : 0;
    char *match = !ref && f->q && f->q[0] ? incident_fts_query(a, f->q) : NULL;
    struct page_ctx pc = {.want = limit + 1, .count = f->count};
    if (!(pc.seqs = rb_arena_alloc(a, sizeof(uint32_t) * (size_t)(limit + 1))))
        return RB_ENOMEM;
    int rc = index_read_lock(db);
    if (rc)
        return rc;
    struct policy_viewer_ix v;
    viewer_of(actor, &v);
    struct fx c;
    compile(f, &c);
    if (ref > 0) {
        visit(&v, &c, &refseq, 1, true, page_visit, &pc);
    } else if (!match) {
        visit(&v, &c, NULL, 0, false, page_visit, &pc);
    } else {
        size_t batch = 256;
        uint32_t *seqs = rb_malloc(65536 * sizeof(uint32_t));
        int64_t below = f->before > 0 ? f->before : INT64_MAX;
        rc = seqs ? 0 : RB_ENOMEM;
        while (!rc) {
            size_t got = 0;
            if ((rc = fts_batch(db, match, below, batch, seqs, &got)) || got == 0)
                break;
            visit(&v, &c, seqs, got, true, page_visit, &pc);
            if ((!pc.count && pc.got >= pc.want) || got < batch)
                break;
            below = seqs[got - 1];
            batch = batch < 16384 ? batch * 4 : 65536;
        }
        rb_free(seqs);
    }
    pthread_rwlock_unlock(&ix.lock);
    if (rc)
        return rc;
    int got = pc.got < pc.want ? pc.got : pc.want;
    *more = got > limit;
    if (got > limit)
        got = limit;
    rb_incident *rows = rb_arena_alloc(a, sizeof(*rows) * (size_t)(got > 0 ? got : 1));
    if (!rows)
        return RB_ENOMEM;
    /* Each row through the policy's SQL again: the index may lag a write made this instant. */
    int k = 0;
    for (int i = 0; i < got; i++) {
        rc = incident_get_by_seq(db, actor, pc.seqs[i], a, &rows[k]);
        if (rc == RB_ENOTFOUND)
            continue;
        if (rc)
            return rc;
        k++;
    }
    *out = rows;
    *n = k;
    if (total && f->count)
        *total = pc.total;
    return 0;
}

struct counts_ctx {
    struct incident_counts *c;
    uint32_t now;
};

static bool counts_visit(const struct ix_entry *e, void *p)
{
    struct counts_ctx *x = p;
    struct incident_counts *c = x->c;
    c->total++;
    c->by_status[e->status]++;
    if (!e->ended) {
        c->open++;
        c->by_severity[e->severity]++;
        int prov = e->province ? e->province - 1 : c->nprovinces - 1;
        c->open_by_province[prov][e->severity]++;
        if (is_overdue(e, x->now)) {
            c->overdue++;
            c->overdue_by_severity[e->severity]++;
        }
    }
    return true;
}

int incident_counts(rb_db *db, const rb_actor *actor, const struct incident_filter *f,
                    struct incident_counts *out)
{
    memset(out, 0, sizeof(*out));
    int np = 0;
    while (rb_provinces[np])
        np++;
    out->nprovinces = np + 1 <= 8 ? np + 1 : 8;
    struct incident_filter g = *f;
    g.before = 0;
    rb_arena a;
    rb_arena_init(&a, (size_t)64 << 20);
    uint32_t *tseqs = NULL;
    size_t ntseqs = 0;
    bool text = false;
    int rc = text_seqs(db, &a, f->q, &tseqs, &ntseqs, &text);
    if (!rc)
        rc = index_read_lock(db);
    if (rc) {
        rb_arena_release(&a);
        return rc;
    }
    struct policy_viewer_ix v;
    viewer_of(actor, &v);
    struct fx c;
    compile(&g, &c);
    struct counts_ctx x = {out, c.now};
    visit(&v, &c, tseqs, ntseqs, text, counts_visit, &x);
    pthread_rwlock_unlock(&ix.lock);
    rb_arena_release(&a);
    return 0;
}

/* ---- responsiveness ---- */

/* Seconds (to acknowledge, to contain), each with the CERT group and the province it counts
 * for (0: none), to find the medians of the whole and of each group. One sample a value: the
 * whole is every sample, so it is not stored again for it. */
struct samples {
    uint32_t *secs, *cert;
    uint8_t *prov;
    size_t n, cap;
};

static int samples_init(struct samples *s, size_t cap)
{
    memset(s, 0, sizeof(*s));
    s->secs = rb_malloc((cap + 1) * sizeof(uint32_t));
    s->cert = rb_malloc((cap + 1) * sizeof(uint32_t));
    s->prov = rb_malloc(cap + 1);
    s->cap = cap;
    return s->secs && s->cert && s->prov ? 0 : RB_ENOMEM;
}

static void samples_add(struct samples *s, uint32_t secs, uint32_t cert, int prov)
{
    if (s->n == s->cap)
        return; /* sized for every period (or incident) of the index: cannot happen */
    s->secs[s->n] = secs;
    s->cert[s->n] = cert;
    s->prov[s->n] = (uint8_t)prov;
    s->n++;
}

static void samples_free(struct samples *s)
{
    rb_free(s->secs);
    rb_free(s->cert);
    rb_free(s->prov);
}

#define SWAP32(a, b)                                                                               \
    do {                                                                                           \
        uint32_t t_ = (a);                                                                         \
        (a) = (b);                                                                                 \
        (b) = t_;                                                                                  \
    } while (0)

/* Puts the k-th smallest of v[left..right] at v[k], none larger left of it and none smaller
 * right of it: Floyd and Rivest's selection (CACM 18(3), 1975), which first narrows the range
 * around k by a sample, so it compares each value about 1.5 times where plain quickselect
 * compares it 3 times or more (the medians are most of a roll-up over a million incidents). */
static void select_kth(uint32_t *v, int64_t left, int64_t right, int64_t k)
{
    while (right > left) {
        if (right - left > 600) {
            double n = (double)(right - left + 1), i = (double)(k - left + 1), z = log(n);
            double s = 0.5 * exp(2 * z / 3);
            double sd = 0.5 * sqrt(z * s * (n - s) / n) * (i - n / 2 < 0 ? -1 : 1);
            int64_t l = (int64_t)((double)k - i * s / n + sd);
            int64_t r = (int64_t)((double)k + (n - i) * s / n + sd);
            select_kth(v, l > left ? l : left, r < right ? r : right, k);
        }
        uint32_t t = v[k];
        int64_t i = left, j = right;
        SWAP32(v[left], v[k]);
        if (v[right] > t)
            SWAP32(v[right], v[left]);
        while (i < j) {
            SWAP32(v[i], v[j]);
            i++;
            j--;
            while (v[i] < t)
                i++;
            while (v[j] > t)
                j--;
        }
        if (v[left] == t) {
            SWAP32(v[left], v[j]);
        } else {
            j++;
            SWAP32(v[j], v[right]);
        }
        if (j <= k)
            left = j + 1;
        if (k <= j)
            right = j - 1;
    }
}

/* The median of v[0..n) (reorders v), -1 when n is 0: for an even n the mean of the two middle
 * values, the lower one the largest of those left of the upper (select_kth leaves them there). */
static int64_t median(uint32_t *v, size_t n)
{
    if (n == 0)
        return -1;
    select_kth(v, 0, (int64_t)n - 1, (int64_t)(n / 2));
    uint32_t hi = v[n / 2];
    if (n % 2)
        return hi;
    uint32_t lo = v[0];
    for (size_t i = 1; i < n / 2; i++)
        if (v[i] > lo)
            lo = v[i];
    return ((int64_t)lo + (int64_t)hi) / 2;
}

static void set_median(struct resp_group *g, int which, int64_t m)
{
    if (which == 0)
        g->ack_median = m;
    else
        g->contain_median = m;
}

/* The medians of s: of the whole into certs[0] and provs[0], of each CERT group g >= 1 into
 * certs[g], of each province p >= 1 into provs[p] (a counting sort by group, then one selection a
 * group). which: 0 acknowledgement, 1 containment. */
static int sample_medians(const struct samples *s, struct resp_group *certs, int ncerts,
                          struct resp_group *provs, int nprovs, int which)
{
    int most = ncerts > nprovs ? ncerts : nprovs;
    uint32_t *buf = rb_malloc((s->n + 1) * sizeof(uint32_t));
    size_t *start = rb_malloc(((size_t)most + 2) * sizeof(size_t));
    if (!buf || !start) {
        rb_free(buf);
        rb_free(start);
        return RB_ENOMEM;
    }
    memcpy(buf, s->secs, s->n * sizeof(uint32_t));
    int64_t all = median(buf, s->n);
    set_median(&certs[0], which, all);
    set_median(&provs[0], which, all);
    for (int pass = 0; pass < 2; pass++) {
        int ng = pass == 0 ? ncerts : nprovs;
        memset(start, 0, ((size_t)ng + 2) * sizeof(size_t));
        for (size_t i = 0; i < s->n; i++) {
            uint32_t g = pass == 0 ? s->cert[i] : s->prov[i];
            start[(g < (uint32_t)ng ? g : 0) + 1]++;
        }
        for (int g = 0; g < ng; g++)
            start[g + 1] += start[g];
        for (size_t i = 0; i < s->n; i++) {
            uint32_t g = pass == 0 ? s->cert[i] : s->prov[i];
            buf[start[g < (uint32_t)ng ? g : 0]++] = s->secs[i];
        }
        /* start[g] is now the end of group g, and so the start of group g + 1. */
        for (int g = 1; g < ng; g++) {
            size_t from = start[g - 1], to = start[g];
            set_median(pass == 0 ? &certs[g] : &provs[g], which, median(&buf[from], to - from));
        }
    }
    rb_free(buf);
    rb_free(start);
    return 0;
}

struct resp_ctx {
    uint32_t now;
    int32_t *cert_of; /* org number -> group index in certs, -1 */
    struct resp_group *certs;
    int ncerts, capcerts;
    struct resp_group *provs;
    struct samples ack, con; /* seconds to acknowledge (per period), to contain (per incident) */
    rb_arena *a;
    int err;
};

static int cert_group(struct resp_ctx *x, uint32_t org)
{
    if (org >= ix.norgs)
        return 0;
    if (x->cert_of[org] >= 0)
        return x->cert_of[org];
    if (x->ncerts == x->capcerts) {
        int nc = x->capcerts * 2;
        struct resp_group *bigger = rb_arena_alloc(x->a, sizeof(*bigger) * (size_t)nc);
        if (!bigger) {
            x->err = RB_ENOMEM;
            return 0;
        }
        memcpy(bigger, x->certs, sizeof(*bigger) * (size_t)x->ncerts);
        x->certs = bigger;
        x->capcerts = nc;
    }
    struct resp_group *g = &x->certs[x->ncerts];
    memset(g, 0, sizeof(*g));
    g->key = rb_arena_strdup(x->a, ix.orgs[org]);
    x->cert_of[org] = x->ncerts;
    return x->ncerts++;
}

/* A period's outcome, counted in g. */
static void count_period(struct resp_group *g, const struct ix_period *p, uint32_t end,
                         uint32_t now)
{
    g->periods++;
    if (p->acked) {
        if (!p->ack_due || p->acked <= p->ack_due)
            g->in_time++;
        else
            g->late++;
        return;
    }
    uint32_t stop = p->until ? p->until : end;
    if (stop) {
        if (p->ack_due && stop > p->ack_due)
            g->missed++;
        else
            g->handed_on++;
        return;
    }
    if (p->ack_due && now > p->ack_due)
        g->missed++;
    else
        g->pending++;
}

static bool resp_visit(const struct ix_entry *e, void *p)
{
    struct resp_ctx *x = p;
    struct resp_group *all_c = &x->certs[0];
    int pg = e->province ? e->province : 0; /* provinces: 0 the whole, then 1.. */
    struct resp_group *prov = e->province ? &x->provs[pg] : NULL;
    all_c->incidents++;
    if (prov)
        prov->incidents++;
    const struct ix_period *per = &ix.per[e->poff];
    int contained_by = -1;
    for (int i = 0; i < e->nper && !x->err; i++) {
        int g = cert_group(x, per[i].org);
        if (x->err)
            return false;
        struct resp_group *cg = &x->certs[g];
        /* A CERT counts an incident once however many turns it had with it. */
        bool again = false;
        for (int k = 0; k < i; k++)
            again = again || per[k].org == per[i].org;
        if (!again)
            cg->incidents++;
        count_period(cg, &per[i], e->ended, x->now);
        count_period(all_c, &per[i], e->ended, x->now);
        if (prov)
            count_period(prov, &per[i], e->ended, x->now);
        if (per[i].acked && per[i].acked >= per[i].since)
            samples_add(&x->ack, per[i].acked - per[i].since, (uint32_t)g, pg);
        if (e->contained && per[i].since <= e->contained &&
            (!per[i].until || e->contained < per[i].until))
            contained_by = g;
    }
    if (e->nper && e->contained && contained_by < 0)
        contained_by = cert_group(x, per[e->nper - 1].org);
    if (e->contained && e->contained >= e->reported && !x->err) {
        if (contained_by > 0)
            x->certs[contained_by].contained++;
        all_c->contained++;
        if (prov)
            prov->contained++;
        x->provs[0].contained++;
        samples_add(&x->con, e->contained - e->reported,
                    (uint32_t)(contained_by > 0 ? contained_by : 0), pg);
    }
    x->provs[0].incidents++;
    if (!e->ended) {
        int g = cert_group(x, e->handling);
        bool od = is_overdue(e, x->now);
        struct resp_group *gs[4] = {&x->certs[g], all_c, prov, &x->provs[0]};
        for (int i = 0; i < 4; i++) {
            if (!gs[i] || (i == 1 && g == 0))
                continue;
            gs[i]->open[e->severity]++;
            if (od)
                gs[i]->overdue[e->severity]++;
        }
    }
    return x->err == 0;
}

static int by_name(const void *pa, const void *pb)
{
    const struct resp_group *a = pa, *b = pb;
    return strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

static void finish_share(struct resp_group *g)
{
    int64_t judged = g->in_time + g->late + g->missed;
    g->ack_share = judged ? (double)g->in_time / (double)judged : -1;
}

int incident_responsiveness(rb_db *db, const rb_actor *actor, int64_t since, int64_t until,
                            rb_arena *a, struct responsiveness *out)
{
    memset(out, 0, sizeof(*out));
    out->since = since;
    out->until = until;
    out->now = rb_now();
    int np = 0;
    while (rb_provinces[np])
        np++;
    struct resp_ctx x = {.now = (uint32_t)out->now, .a = a, .capcerts = 64};
    x.certs = rb_arena_alloc(a, sizeof(struct resp_group) * 64);
    x.provs = rb_arena_alloc(a, sizeof(struct resp_group) * (size_t)(np + 1));
    if (!x.certs || !x.provs)
        return RB_ENOMEM;
    memset(x.certs, 0, sizeof(struct resp_group));
    memset(x.provs, 0, sizeof(struct resp_group) * (size_t)(np + 1));
    x.ncerts = 1;
    struct incident_filter f = {.since = since, .until = until};
    int rc = index_read_lock(db);
    if (rc)
        return rc;
    x.cert_of = rb_arena_alloc(a, sizeof(int32_t) * (ix.norgs + 1));
    if (!x.cert_of) {
        pthread_rwlock_unlock(&ix.lock);
        return RB_ENOMEM;
    }
    memset(x.cert_of, 0xff, sizeof(int32_t) * (ix.norgs + 1));
    /* At most one acknowledgement per period and one containment per incident. */
    if ((rc = samples_init(&x.ack, ix.np)) || (rc = samples_init(&x.con, ix.n))) {
        pthread_rwlock_unlock(&ix.lock);
        samples_free(&x.ack);
        samples_free(&x.con);
        return rc;
    }
    struct policy_viewer_ix v;
    viewer_of(actor, &v);
    struct fx c;
    compile(&f, &c);
    visit(&v, &c, NULL, 0, false, resp_visit, &x);
    pthread_rwlock_unlock(&ix.lock);
    rc = x.err;
    if (!rc)
        rc = sample_medians(&x.ack, x.certs, x.ncerts, x.provs, np + 1, 0);
    if (!rc)
        rc = sample_medians(&x.con, x.certs, x.ncerts, x.provs, np + 1, 1);
    samples_free(&x.ack);
    samples_free(&x.con);
    if (rc)
        return rc;
    x.certs[0].key = "";
    x.certs[0].name = "All";
    x.provs[0].key = "";
    x.provs[0].name = "All";
    for (int i = 1; i < x.ncerts; i++) {
        rb_stmt *st = NULL;
        if ((rc = db_prepare(db, "SELECT name FROM orgs WHERE id = ?1", &st)))
            return rc;
        db_bind_text(st, 1, x.certs[i].key);
        if (db_step(st) == DB_ROW)
            x.certs[i].name = db_col_dup(st, 0, a);
        db_done(st);
    }
    qsort(&x.certs[1], (size_t)(x.ncerts - 1), sizeof(struct resp_group), by_name);
    for (int i = 0; i < x.ncerts; i++)
        finish_share(&x.certs[i]);
    for (int i = 1; i <= np; i++) {
        x.provs[i].key = (char *)rb_provinces[i - 1];
        x.provs[i].name = (char *)rb_province_names[i - 1];
    }
    for (int i = 0; i <= np; i++)
        finish_share(&x.provs[i]);
    out->certs = x.certs;
    out->ncerts = x.ncerts;
    out->provinces = x.provs;
    out->nprovinces = np + 1;
    return 0;
}

/* ---- JSON ---- */

static void write_sev(struct rj_writer *w, const char *key, const int64_t *v)
{
    rjw_kobj(w, key);
    for (int i = 0; i < SEV__COUNT; i++)
        rjw_kint(w, rb_severity_names[i], v[i]);
    rjw_obj_end(w);
}

static const struct rb_member counts_members[] = {
    RB_MEMBERS(struct incident_counts, total, open, overdue),
};
static const struct rb_record counts_record = RB_RECORD(struct incident_counts, counts_members);

void incident_counts_write_json(struct rj_writer *w, const struct incident_counts *c)
{
    rjw_obj(w);
    rjw_members(w, c, &counts_record);
    write_sev(w, "open_by_severity", c->by_severity);
    write_sev(w, "overdue_by_severity", c->overdue_by_severity);
    rjw_kobj(w, "by_status");
    for (int i = 0; i < IST__COUNT; i++)
        rjw_kint(w, rb_incident_status_names[i], c->by_status[i]);
    rjw_obj_end(w);
    rjw_karr(w, "open_by_province");
    for (int p = 0; p < c->nprovinces; p++) {
        bool none = p == c->nprovinces - 1;
        rjw_obj(w);
        rjw_kstr(w, "province", none ? NULL : rb_provinces[p]);
        rjw_kstr(w, "name", none ? "No province" : rb_province_names[p]);
        int64_t total = 0;
        for (int s = 0; s < SEV__COUNT; s++)
            total += c->open_by_province[p][s];
        rjw_kint(w, "open", total);
        write_sev(w, "by_severity", c->open_by_province[p]);
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
    rjw_obj_end(w);
}

/* A median in seconds; null when there is none (-1). */
static void write_median(struct rj_writer *w, int64_t seconds)
{
    if (seconds < 0)
        rjw_null(w);
    else
        rjw_int(w, seconds);
}

static void write_ack_median(struct rj_writer *w, const void *row)
{
    write_median(w, ((const struct resp_group *)row)->ack_median);
}

static void write_contain_median(struct rj_writer *w, const void *row)
{
    write_median(w, ((const struct resp_group *)row)->contain_median);
}

/* Six decimals: 0.709677, not 0.7096774193548387; null when nothing counts (-1). */
static void write_ack_share(struct rj_writer *w, const void *row)
{
    double v = ((const struct resp_group *)row)->ack_share;
    if (v < 0)
        rjw_null(w);
    else
        rjw_double(w, (double)(int64_t)(v * 1e6 + 0.5) / 1e6);
}

static const struct rb_record ack_record, containment_record;

static void write_ack(struct rj_writer *w, const void *row)
{
    rjw_record(w, row, &ack_record);
}

static void write_containment(struct rj_writer *w, const void *row)
{
    rjw_record(w, row, &containment_record);
}

/* A group: its own members up to GROUP_ACK, then from there the members of its
 * "acknowledgement" object, then from GROUP_CONTAINMENT those of its "containment" object. */
enum { GROUP_ACK = 5, GROUP_CONTAINMENT = 13 };
static const struct rb_member group_members[] = {
    RB_MEMBERS(struct resp_group, key, name, incidents),
    RB_DERIVED(struct resp_group, periods, "acknowledgement", rb_int64, write_ack),
    RB_DERIVED(struct resp_group, contained, "containment", rb_int64, write_containment),
    RB_MEMBERS(struct resp_group, periods, in_time, late, missed, pending, handed_on),
    RB_DERIVED(struct resp_group, ack_share, "share_in_time", rb_double, write_ack_share),
    RB_DERIVED(struct resp_group, ack_median, "median_seconds", rb_int64, write_ack_median),
    RB_MEMBERS(struct resp_group, contained),
    RB_DERIVED(struct resp_group, contain_median, "median_seconds", rb_int64,
               write_contain_median),
};
static const struct rb_record group_record = {group_members, GROUP_ACK, sizeof(struct resp_group)};
static const struct rb_record ack_record = {&group_members[GROUP_ACK], GROUP_CONTAINMENT - GROUP_ACK,
                                            sizeof(struct resp_group)};
static const struct rb_record containment_record = {
    &group_members[GROUP_CONTAINMENT], RB_ARRAY_LEN(group_members) - GROUP_CONTAINMENT,
    sizeof(struct resp_group)};

static void write_group(struct rj_writer *w, const struct resp_group *g)
{
    rjw_obj(w);
    rjw_members(w, g, &group_record);
    write_sev(w, "open_by_severity", g->open);
    write_sev(w, "overdue_by_severity", g->overdue);
    rjw_obj_end(w);
}

void responsiveness_write_json(struct rj_writer *w, const struct responsiveness *r)
{
    char t[RB_TIME_SIZE];
    rjw_obj(w);
    if (r->since) {
        rb_time_format(r->since, t);
        rjw_kstr(w, "since", t);
    } else {
        rjw_kstr(w, "since", NULL);
    }
    if (r->until) {
        rb_time_format(r->until, t);
        rjw_kstr(w, "until", t);
    } else {
        rjw_kstr(w, "until", NULL);
    }
    rb_time_format(r->now, t);
    rjw_kstr(w, "computed_at", t);
    rjw_key(w, "overall");
    write_group(w, &r->certs[0]);
    rjw_karr(w, "by_cert");
    for (int i = 1; i < r->ncerts; i++)
        write_group(w, &r->certs[i]);
    rjw_arr_end(w);
    rjw_karr(w, "by_province");
    for (int i = 1; i < r->nprovinces; i++)
        write_group(w, &r->provinces[i]);
    rjw_arr_end(w);
    rjw_obj_end(w);
}
