/*
 * auth_cache.c - callers kept by their secret's hash (auth_cache.h).
 *
 * A table of AUTH_CACHE_ENTRIES slots in sets of WAYS, the set chosen by the hash's first hex
 * digits (the hash is uniform already); within a full set the oldest goes. One mutex guards it.
 *
 * Must never: keep a secret in clear, or give a caller kept at another counter or past its expiry.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "core/auth_cache.h"

#include <pthread.h>

#define WAYS 4
#define SETS (AUTH_CACHE_ENTRIES / WAYS)

struct kept {
    bool used;
    char hash[RB_SHA256_HEX_SIZE];
    enum rb_cred cred;
    int64_t counter, expires, at; /* at: the order it was kept in */
    rb_actor actor;
    char csrf[AUTH_SECRET_SIZE];
};

static struct {
    pthread_mutex_t lock;
    struct kept slot[AUTH_CACHE_ENTRIES];
    int64_t clock, hits, misses;
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

int auth_cache_counter(rb_db *db, int64_t *out)
{
    int rc = db_counter(db, "auth", out);
    return rc == RB_ENOTFOUND ? 0 : rc; /* a database before migration 0014: nothing moves it */
}

/* The first slot of hash's set. */
static size_t set_of(const char *hash)
{
    size_t v = 0;
    for (int i = 0; i < 6 && hash[i]; i++) {
        char c = hash[i];
        v = v * 16 + (size_t)(c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0');
    }
    return (v % SETS) * WAYS;
}

bool auth_cache_find(const char *hash, enum rb_cred cred, int64_t counter, int64_t now,
                     rb_actor *actor, char csrf[AUTH_SECRET_SIZE])
{
    bool found = false;
    size_t base = set_of(hash);
    pthread_mutex_lock(&cache.lock);
    for (size_t i = base; i < base + WAYS && !found; i++) {
        struct kept *k = &cache.slot[i];
        if (!k->used || k->cred != cred || strcmp(k->hash, hash) != 0)
            continue;
        if (k->counter == counter && now < k->expires) {
            *actor = k->actor;
            if (csrf)
                memcpy(csrf, k->csrf, AUTH_SECRET_SIZE);
            found = true;
        } else {
            k->used = false; /* changed or expired: never again */
        }
    }
    if (found)
        cache.hits++;
    else
        cache.misses++;
    pthread_mutex_unlock(&cache.lock);
    return found;
}

void auth_cache_keep(const char *hash, enum rb_cred cred, int64_t counter, int64_t expires,
                     const rb_actor *actor, const char *csrf)
{
    size_t base = set_of(hash);
    pthread_mutex_lock(&cache.lock);
    struct kept *to = &cache.slot[base];
    for (size_t i = base; i < base + WAYS; i++) {
        struct kept *k = &cache.slot[i];
        if (!k->used || (k->cred == cred && strcmp(k->hash, hash) == 0)) {
            to = k;
            break;
        }
        if (k->at < to->at)
            to = k;
    }
    to->used = true;
    rb_strlcpy(to->hash, hash, sizeof(to->hash));
    to->cred = cred;
    to->counter = counter;
    to->expires = expires;
    to->at = ++cache.clock;
    to->actor = *actor;
    rb_strlcpy(to->csrf, csrf ? csrf : "", sizeof(to->csrf));
    pthread_mutex_unlock(&cache.lock);
}

void auth_cache_reset(void)
{
    pthread_mutex_lock(&cache.lock);
    memset(cache.slot, 0, sizeof(cache.slot));
    cache.clock = cache.hits = cache.misses = 0;
    pthread_mutex_unlock(&cache.lock);
}

void auth_cache_counts(int64_t *hits, int64_t *misses)
{
    pthread_mutex_lock(&cache.lock);
    *hits = cache.hits;
    *misses = cache.misses;
    pthread_mutex_unlock(&cache.lock);
}
