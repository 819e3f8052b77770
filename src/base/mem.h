/*
 * mem.h - the one allocation wrapper, and per-request arenas.
 *
 * Every allocation in rabta goes through rb_malloc/rb_calloc/rb_realloc so a test can make the Nth
 * allocation fail (rb_mem_fail_after) and prove the error paths. An rb_arena hands out memory that
 * is released all at once: a request owns one, and everything a handler allocates dies with it.
 */
#ifndef RABTA_MEM_H
#define RABTA_MEM_H

#include <stddef.h>

/* Like malloc/calloc/realloc/free. Return NULL on failure (or when failure is injected). */
void *rb_malloc(size_t n);
void *rb_calloc(size_t count, size_t size);
void *rb_realloc(void *p, size_t n);
void rb_free(void *p);

/* A NUL-terminated copy of s[0..n); NULL on failure. Caller frees with rb_free. */
char *rb_strndup(const char *s, size_t n);
char *rb_strdup(const char *s);

/* Test hook: the allocation after the next `n` succeeds fails, and every later one too, until
 * rb_mem_fail_after(-1) turns injection off. Process-wide; for single-threaded unit tests. */
void rb_mem_fail_after(long n);

typedef struct rb_arena_chunk rb_arena_chunk;
typedef struct rb_arena_cleanup rb_arena_cleanup;

/* An arena: many small allocations, one release. `cap` bounds the total bytes it may hand out;
 * past it, allocations return NULL (the caller reports RB_ETOOBIG or RB_ENOMEM). Memory that
 * lives outside it (a parsed cJSON tree) can be tied to it with rb_arena_defer. */
typedef struct rb_arena {
    rb_arena_chunk *head;
    rb_arena_cleanup *defers;
    size_t used_total;
    size_t cap;
} rb_arena;

void rb_arena_init(rb_arena *a, size_t cap);
/* Memory aligned for any type, zeroed. NULL when the cap is reached or memory is exhausted. */
void *rb_arena_alloc(rb_arena *a, size_t n);
/* A NUL-terminated copy inside the arena; NULL on failure (s may be NULL: returns NULL). */
char *rb_arena_strndup(rb_arena *a, const char *s, size_t n);
char *rb_arena_strdup(rb_arena *a, const char *s);
/* Runs fn(p) when the arena is released (last registered, first run), so what was allocated
 * elsewhere dies with it. Returns 0, or RB_ENOMEM — then fn(p) has already been run. */
int rb_arena_defer(rb_arena *a, void (*fn)(void *), void *p);
/* Runs the deferred releases, then frees every chunk; the arena may be used again after
 * rb_arena_init. */
void rb_arena_release(rb_arena *a);

#endif
