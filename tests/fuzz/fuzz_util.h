/*
 * fuzz_util.h - what every libFuzzer target in tests/fuzz shares: the property check that turns a
 * violated property into a crash libFuzzer records, the one-time setup of the JSON layer, the
 * room an input is read into, and the checks every refusal must pass.
 *
 * Each target is its own program, so everything here is `static inline`. A target defines
 * FUZZ_TARGET (its name, as the failure message shows it) and includes this after
 * "base/common.h" and the headers it tests.
 */
#ifndef RABTA_FUZZ_UTIL_H
#define RABTA_FUZZ_UTIL_H

#include "json/json.h"

#ifndef FUZZ_TARGET
#error "define FUZZ_TARGET (the target's name) before including fuzz_util.h"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts, naming the property and where it was checked, when cond is false. */
#define CHECK(cond, what)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, FUZZ_TARGET ": property violated: %s (%s:%d)\n", what, __FILE__,       \
                    __LINE__);                                                                     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* rj_init (cJSON's allocator) once per process, before the first input that needs it. */
static inline void fuzz_json_init(void)
{
    static bool ready;
    if (!ready) {
        rj_init();
        ready = true;
    }
}

/* A refusal is `a`, `b` or RB_ENOMEM, with ei->code equal to the result and a message. */
static inline void fuzz_check_refusal(int rc, const rb_errinfo *ei, int a, int b)
{
    CHECK(rc == a || rc == b || rc == RB_ENOMEM, "refusal code");
    CHECK(ei->code == rc, "ei->code is the result");
    CHECK(ei->msg[0] != '\0', "a refusal says why");
}

/* The largest input a file reader (CSV, an import) is fuzzed with. */
#define FUZZ_MAX_FILE (1u << 20)

/* The arena (cap bytes) and the cleared error slot a file reader is called with, for an input of
 * size bytes. Returns false, setting up nothing, when the input is over FUZZ_MAX_FILE (the target
 * then skips it). */
static inline bool fuzz_begin(size_t size, rb_arena *a, size_t cap, rb_errinfo *ei)
{
    if (size > FUZZ_MAX_FILE)
        return false;
    rb_arena_init(a, cap);
    rb_errinfo_clear(ei);
    return true;
}

/* The byte an output struct is filled with before the call (memset), and what a size_t member
 * then holds, so that a refusal can be seen to leave the output untouched. */
#define FUZZ_POISON 0x5a
#define FUZZ_POISONED ((size_t)0x5a5a5a5a5a5a5a5aULL)

/* A refusal of a file read line by line (CSV): RB_EINVAL or RB_ETOOBIG naming "line L...", or
 * RB_ENOMEM; `untouched` is a size_t member of the output, which must still be FUZZ_POISONED. */
static inline void fuzz_check_line_refusal(int rc, const rb_errinfo *ei, size_t untouched)
{
    fuzz_check_refusal(rc, ei, RB_EINVAL, RB_ETOOBIG);
    CHECK(rc == RB_ENOMEM || strncmp(ei->field, "line ", 5) == 0, "a refusal names a line");
    CHECK(untouched == FUZZ_POISONED, "the output is untouched");
}

#endif
