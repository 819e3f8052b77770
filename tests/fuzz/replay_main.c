/*
 * replay_main.c - runs a libFuzzer target over files without libFuzzer, so the seed corpus (and
 * any crash file a fuzzing run saved) is replayed by the normal test suite and under the
 * sanitizer build.
 *
 * Usage: replay [--optional] DIR_OR_FILE...   Each regular file in each directory (not recursive)
 * is one input. Exits 0 when at least one input ran and none aborted; a violated property aborts
 * the process. With --optional (for data outside the repository, like ../shared/data/findings),
 * a path that does not exist is skipped with a message, and when nothing ran because of that the
 * exit code is 77, which meson counts as a skipped test.
 */
#include "base/common.h"
#include "base/mem.h"

#include <dirent.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_INPUT (8u << 20)

/* Runs one file; returns 1 when it ran, 0 when skipped, -1 on a read error. */
static int run_file(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return -1;
    if (!S_ISREG(sb.st_mode))
        return 0;
    if ((size_t)sb.st_size > REPLAY_MAX_INPUT) {
        fprintf(stderr, "replay: %s: larger than %u bytes, skipped\n", path, REPLAY_MAX_INPUT);
        return 0;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    size_t n = (size_t)sb.st_size;
    /* An exact-size copy, so ASan sees any read past the input's end. */
    uint8_t *buf = rb_malloc(n ? n : 1);
    if (!buf) {
        fclose(fp);
        return -1;
    }
    size_t got = fread(buf, 1, n, fp);
    fclose(fp);
    if (got != n) {
        rb_free(buf);
        return -1;
    }
    LLVMFuzzerTestOneInput(buf, n);
    rb_free(buf);
    return 1;
}

int main(int argc, char **argv)
{
    long ran = 0, errors = 0, skipped = 0;
    bool optional = false;
    for (int i = 1; i < argc; i++) {
        struct stat sb;
        if (strcmp(argv[i], "--optional") == 0) {
            optional = true;
            continue;
        }
        if (stat(argv[i], &sb) != 0) {
            if (optional && errno == ENOENT) {
                printf("replay: skipping: %s not found\n", argv[i]);
                skipped++;
                continue;
            }
            fprintf(stderr, "replay: %s: cannot stat\n", argv[i]);
            errors++;
            continue;
        }
        if (!S_ISDIR(sb.st_mode)) {
            int rc = run_file(argv[i]);
            ran += rc > 0;
            errors += rc < 0;
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d) {
            fprintf(stderr, "replay: %s: cannot open\n", argv[i]);
            errors++;
            continue;
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char path[4096];
            if (snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name) >= (int)sizeof(path)) {
                errors++;
                continue;
            }
            int rc = run_file(path);
            if (rc < 0)
                fprintf(stderr, "replay: %s: cannot read\n", path);
            ran += rc > 0;
            errors += rc < 0;
        }
        closedir(d);
    }
    if (ran == 0 && errors == 0 && skipped > 0) {
        printf("fuzz: 0 passed, 0 failed, %ld skipped\n", skipped);
        return 77;
    }
    /* No input at all is a failure too: the corpus went missing. */
    long failed = errors + (ran == 0 ? 1 : 0);
    printf("fuzz: %ld passed, %ld failed, %ld skipped\n", ran, failed, skipped);
    return failed ? 1 : 0;
}
