/*
 * incident_answer.c - incidents read alone from answers kept in memory (incident_answer.h).
 *
 * The answers live in a set-associative table: an id's set is INCIDENT_ANSWER_WAYS slots, a new
 * answer takes a free slot of its set or the first one a clock over the set finds unused since
 * its last pass; when the bytes held pass the bound, a second clock over all the slots lets go of
 * answers the same way. One mutex guards it all: a reading holds it while it copies the answer
 * into its arena (a few KB), never while it reads the database.
 *
 * Must never: serve an answer kept at another version or org counter than the database's in the
 * reading's snapshot, or to a reader the policy refuses.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "core/incident_answer.h"
#include "core/incident_index.h"
#include "json/json.h"

#include <pthread.h>

#define WAYS 8
#define SETS (INCIDENT_ANSWER_ENTRIES / WAYS)

struct answer {
    char id[RB_ID_SIZE];
    int64_t seq, version, orgs; /* the key it was made at */
    struct incident_live live;
    size_t nhead, ntail;
    bool used;    /* read since the clock last passed */
    char bytes[]; /* head, then tail */
};

static struct {
    pthread_mutex_t lock;
    char path[1024]; /* the database the answers are of */
    struct answer *slots[INCIDENT_ANSWER_ENTRIES];
    size_t bytes, entries, hand;
    int64_t hits, misses, kept;
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

static size_t set_of(const char *id)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *s = id; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)(h % SETS) * WAYS;
}

static size_t size_of(const struct answer *e)
{
    return sizeof(*e) + e->nhead + e->ntail;
}

/* Called with the lock held. */
static void drop(size_t slot)
{
    struct answer *e = cache.slots[slot];
    if (!e)
        return;
    cache.bytes -= size_of(e);
    cache.entries--;
    rb_free(e);
    cache.slots[slot] = NULL;
}

static void reset_locked(void)
{
    for (size_t i = 0; i < INCIDENT_ANSWER_ENTRIES; i++)
        drop(i);
    cache.hand = 0;
    cache.path[0] = '\0';
}

void incident_answer_reset(void)
{
    pthread_mutex_lock(&cache.lock);
    reset_locked();
    cache.hits = cache.misses = cache.kept = 0;
    pthread_mutex_unlock(&cache.lock);
}

void incident_answer_stats(struct incident_answer_stats *out)
{
    pthread_mutex_lock(&cache.lock);
    out->hits = cache.hits;
    out->misses = cache.misses;
    out->kept = cache.kept;
    out->entries = (int64_t)cache.entries;
    out->bytes = (int64_t)cache.bytes;
    pthread_mutex_unlock(&cache.lock);
}

/* The slot holding id's answer, or -1. Called with the lock held. */
static long find(const char *id)
{
    size_t base = set_of(id);
    for (size_t i = base; i < base + WAYS; i++)
        if (cache.slots[i] && strcmp(cache.slots[i]->id, id) == 0)
            return (long)i;
    return -1;
}

/* Copies the answer kept for id (the database at path) into out and the arena; false when there
 * is none. */
static bool lookup(const char *path, const char *id, rb_arena *a, struct answer *key,
                   struct incident_answer *out)
{
    bool found = false;
    pthread_mutex_lock(&cache.lock);
    long slot = strcmp(cache.path, path) == 0 ? find(id) : -1;
    if (slot >= 0) {
        struct answer *e = cache.slots[slot];
        char *bytes = rb_arena_alloc(a, e->nhead + e->ntail + 1);
        if (bytes) {
            memcpy(key, e, sizeof(*key));
            memcpy(bytes, e->bytes, e->nhead + e->ntail);
            out->head = bytes;
            out->nhead = e->nhead;
            out->tail = bytes + e->nhead;
            out->ntail = e->ntail;
            e->used = true;
            found = true;
        }
    }
    pthread_mutex_unlock(&cache.lock);
    return found;
}

/* Keeps e (taking it) for the database at path, in place of any answer for its id. */
static void keep(const char *path, struct answer *e)
{
    pthread_mutex_lock(&cache.lock);
    if (strcmp(cache.path, path) != 0) {
        reset_locked();
        rb_strlcpy(cache.path, path, sizeof(cache.path));
    }
    long old = find(e->id);
    size_t slot;
    if (old >= 0) {
        slot = (size_t)old;
    } else {
        size_t base = set_of(e->id);
        slot = base;
        bool free_slot = false;
        for (size_t i = base; i < base + WAYS && !free_slot; i++)
            if (!cache.slots[i]) {
                slot = i;
                free_slot = true;
            }
        /* A full set: the first answer unused since the clock last passed (two passes at most). */
        for (size_t k = 0; !free_slot && k < 2 * WAYS; k++) {
            size_t i = base + k % WAYS;
            if (!cache.slots[i]->used) {
                slot = i;
                break;
            }
            cache.slots[i]->used = false;
        }
    }
    drop(slot);
    cache.slots[slot] = e;
    cache.bytes += size_of(e);
    cache.entries++;
    cache.kept++;
    /* Over the bound in bytes: the clock over every slot lets go of unused answers. */
    for (size_t k = 0; cache.bytes > INCIDENT_ANSWER_BYTES && k < 2 * INCIDENT_ANSWER_ENTRIES;
         k++) {
        size_t i = cache.hand;
        cache.hand = (cache.hand + 1) % INCIDENT_ANSWER_ENTRIES;
        if (!cache.slots[i] || i == slot)
            continue;
        if (cache.slots[i]->used)
            cache.slots[i]->used = false;
        else
            drop(i);
    }
    pthread_mutex_unlock(&cache.lock);
}

/* The members of part of x, written into an object of their own, without its braces: the bytes
 * rjw_members writes there. Returns them (rb_malloc'd, *n bytes), or NULL when too big. */
static char *part_bytes(const rb_incident *x, const struct rb_record *part, size_t *n)
{
    rb_buf b;
    rb_buf_init(&b, INCIDENT_ANSWER_ONE_MAX);
    rj_writer w;
    rjw_init(&w, &b);
    rjw_obj(&w);
    rjw_members(&w, x, part);
    rjw_obj_end(&w);
    char *out = NULL;
    if (!rjw_finish(&w) && b.len >= 2) {
        size_t len = 0;
        char *all = rb_buf_detach(&b, &len);
        if (all) {
            memmove(all, all + 1, len - 2); /* without { and } */
            *n = len - 2;
            out = all;
        }
    }
    rb_buf_release(&b);
    return out;
}

/* Makes the answer to keep for x, read from the database at orgs (the org counter); NULL when it
 * cannot be kept (too big, out of memory, a status or TLP of no name). */
static struct answer *answer_of(const rb_incident *x, int64_t orgs)
{
    const struct incident_parts *p = incident_parts();
    struct incident_live live;
    if (!incident_live_of(x, &live))
        return NULL;
    size_t nhead = 0, ntail = 0;
    char *head = part_bytes(x, &p->head, &nhead);
    char *tail = head ? part_bytes(x, &p->tail, &ntail) : NULL;
    struct answer *e = NULL;
    if (tail && nhead + ntail <= INCIDENT_ANSWER_ONE_MAX &&
        (e = rb_malloc(sizeof(*e) + nhead + ntail))) {
        memset(e, 0, sizeof(*e));
        rb_strlcpy(e->id, x->id, sizeof(e->id));
        e->seq = x->number;
        e->version = x->version;
        e->orgs = orgs;
        e->live = live;
        e->nhead = nhead;
        e->ntail = ntail;
        memcpy(e->bytes, head, nhead);
        memcpy(e->bytes + nhead, tail, ntail);
    }
    rb_free(head);
    rb_free(tail);
    return e;
}

static void count(int64_t *which)
{
    pthread_mutex_lock(&cache.lock);
    (*which)++;
    pthread_mutex_unlock(&cache.lock);
}

int incident_answer_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                        struct incident_answer *out)
{
    memset(out, 0, sizeof(*out));
    if (!id || !rb_uuid_valid(id))
        return RB_ENOTFOUND;
    /* Outside a snapshot the index's counters and the row would not be read at one time. */
    if (!db_in_snapshot(db))
        return incident_get(db, actor, id, a, &out->x);
    const char *path = db_path(db);
    struct answer key;
    enum ix_check state = IX_CHANGED;
    int64_t orgs = 0;
    int rc = 0;
    if (lookup(path, id, a, &key, out)) {
        /* An index that cannot be read (out of memory) leaves the reading to the database. */
        if (incident_index_check(db, actor, key.seq, key.version, &state, &orgs))
            state = IX_CHANGED;
        if (state != IX_CHANGED && orgs == key.orgs) {
            count(&cache.hits);
            if (state == IX_REFUSED)
                return RB_ENOTFOUND;
            incident_live_apply(&key.live, actor, rb_now(), &out->x);
            return 0;
        }
        out->head = out->tail = NULL;
        out->nhead = out->ntail = 0;
    }
    count(&cache.misses);
    if ((rc = incident_get(db, actor, id, a, &out->x)))
        return rc;
    /* Kept only when the index, in this snapshot, holds the incident at the version just read. */
    if (incident_index_check(db, actor, out->x.number, out->x.version, &state, &orgs) == 0 &&
        state == IX_READABLE) {
        struct answer *e = answer_of(&out->x, orgs);
        if (e)
            keep(path, e);
    }
    return 0;
}

void incident_answer_write(struct rj_writer *w, const void *answer)
{
    const struct incident_answer *an = answer;
    if (!an->head) {
        rjw_record(w, &an->x, &incident_full_record);
        return;
    }
    rjw_obj(w);
    rjw_raw_members(w, an->head, an->nhead);
    rjw_members(w, &an->x, &incident_parts()->live);
    rjw_raw_members(w, an->tail, an->ntail);
    rjw_obj_end(w);
}
