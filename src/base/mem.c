/*
 * mem.c - allocation wrapper with failure injection, and the arena.
 *
 * The arena allocates chunks of at least ARENA_CHUNK bytes and bumps a pointer inside the newest
 * one; large requests get a chunk of their own. It never frees a single allocation.
 */
#include "base/common.h"
#include "base/mem.h"

static long fail_countdown = -1;

static int should_fail(void)
{
    if (fail_countdown < 0)
        return 0;
    if (fail_countdown == 0)
        return 1;
    fail_countdown--;
    return 0;
}

void rb_mem_fail_after(long n)
{
    fail_countdown = n;
}

void *rb_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *rb_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *rb_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void rb_free(void *p)
{
    free(p);
}

char *rb_strndup(const char *s, size_t n)
{
    char *d = rb_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *rb_strdup(const char *s)
{
    return rb_strndup(s, strlen(s));
}

#define ARENA_CHUNK 8192
#define ARENA_ALIGN 16

struct rb_arena_chunk {
    rb_arena_chunk *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char data[];
};

struct rb_arena_cleanup {
    rb_arena_cleanup *next;
    void (*fn)(void *);
    void *p;
};

void rb_arena_init(rb_arena *a, size_t cap)
{
    a->head = NULL;
    a->defers = NULL;
    a->used_total = 0;
    a->cap = cap;
}

void *rb_arena_alloc(rb_arena *a, size_t n)
{
    size_t need = (n + (ARENA_ALIGN - 1)) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < n || a->used_total > a->cap || need > a->cap - a->used_total)
        return NULL;
    rb_arena_chunk *c = a->head;
    if (!c || c->size - c->used < need) {
        size_t sz = need > ARENA_CHUNK ? need : ARENA_CHUNK;
        if (sz > SIZE_MAX - sizeof(*c))
            return NULL;
        c = rb_malloc(sizeof(*c) + sz);
        if (!c)
            return NULL;
        c->size = sz;
        c->used = 0;
        if (a->head && need > ARENA_CHUNK) {
            /* A big one-off: keep the current chunk at the head for later small allocations. */
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = c->data + c->used;
    c->used += need;
    a->used_total += need;
    memset(p, 0, n);
    return p;
}

char *rb_arena_strndup(rb_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = rb_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *rb_arena_strdup(rb_arena *a, const char *s)
{
    return s ? rb_arena_strndup(a, s, strlen(s)) : NULL;
}

int rb_arena_defer(rb_arena *a, void (*fn)(void *), void *p)
{
    rb_arena_cleanup *d = rb_arena_alloc(a, sizeof(*d));
    if (!d) {
        fn(p);
        return RB_ENOMEM;
    }
    d->fn = fn;
    d->p = p;
    d->next = a->defers;
    a->defers = d;
    return 0;
}

void rb_arena_release(rb_arena *a)
{
    for (rb_arena_cleanup *d = a->defers; d; d = d->next)
        d->fn(d->p);
    a->defers = NULL;
    rb_arena_chunk *c = a->head;
    while (c) {
        rb_arena_chunk *n = c->next;
        rb_free(c);
        c = n;
    }
    a->head = NULL;
    a->used_total = 0;
}
