/*
 * fuzz_prodmatch.c - libFuzzer target for the CSAF product tree walk (formats/csaf_products) and
 * the matcher's parsers (formats/prodmatch: versions, ranges, CPE, PURL, names).
 *
 * An input that starts with "{" is a CSAF document; any other is two lines, a text and a
 * version. Beyond "no crash", it checks properties that must hold for every input:
 *   - a document walks or is refused with RB_EINVAL / RB_ETOOBIG and a message; a walked one has
 *     every product findable by its product_id, and every affected product with a vendor and a
 *     product matches an item made of that vendor and product, with no version;
 *   - the version comparison is antisymmetric and reflexive;
 *   - a range either parses (at most PM_RANGE_MAX constraints, sorted by version, each version
 *     inside the buffer and NUL-terminated) or is refused with RB_EINVAL / RB_ETOOBIG and holds no
 *     constraint; testing a version gives one of the three verdicts;
 *   - a CPE or a PURL that parses overlaps itself / names the same package as itself;
 *   - normalised words have no leading, trailing or doubled space.
 * A violated property aborts, so libFuzzer records the input as a crash.
 */
#include "base/common.h"
#include "base/mem.h"
#include "formats/csaf_products.h"
#include "formats/prodmatch.h"

#define FUZZ_TARGET "fuzz_prodmatch"
#include "fuzz_util.h"

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void fuzz_document(const char *text, size_t size)
{
    fuzz_json_init();
    cJSON *doc = cJSON_ParseWithLength(text, size);
    if (!doc)
        return;
    rb_arena a;
    rb_arena_init(&a, 16u << 20);
    rb_errinfo ei;
    struct csaf_products ps;
    int rc = csaf_products_read(doc, &a, &ps, &ei);
    if (rc) {
        fuzz_check_refusal(rc, &ei, RB_EINVAL, RB_ETOOBIG);
        CHECK(ps.n == 0, "a refusal leaves no products");
        goto out;
    }
    struct pm_set *set = NULL;
    rc = pm_prepare(ps.items, ps.n, &a, &set, &ei);
    if (rc) {
        fuzz_check_refusal(rc, &ei, RB_ETOOBIG, RB_ETOOBIG);
        goto out;
    }
    for (int i = 0; i < ps.n; i++) {
        const struct csaf_product *p = &ps.items[i];
        CHECK(p->product_id && p->name, "a product has an id and a name");
        CHECK(csaf_products_find(&ps, p->product_id) == p, "found by its id");
        CHECK(p->ncves == 0 || p->affected, "CVEs only on affected products");
        char words[PM_NAME_MAX], key[PM_NAME_MAX];
        if (!p->affected || !p->vendor || !p->product ||
            !pm_vendor_key(p->vendor, key, sizeof(key)) ||
            !pm_norm_words(p->product, words, sizeof(words)))
            continue;
        struct pm_item it = {.vendor = p->vendor, .product = p->product};
        struct pm_hit hits[4];
        CHECK(pm_set_match(set, &it, hits, 4) > 0, "an affected product matches itself");
        CHECK(pm_match(&it, p, NULL) != PM_NONE, "and does so alone");
    }
out:
    rb_arena_release(&a);
    cJSON_Delete(doc);
}

static void fuzz_strings(const char *a, const char *b)
{
    CHECK(sign(pm_vercmp(a, b)) == -sign(pm_vercmp(b, a)), "vercmp is antisymmetric");
    CHECK(pm_vercmp(a, a) == 0, "vercmp is reflexive");
    struct pm_range r;
    int rc = pm_range_parse(a, &r);
    CHECK(rc == 0 || rc == RB_EINVAL || rc == RB_ETOOBIG, "range refusal code");
    if (rc) {
        CHECK(r.n == 0 && !r.all, "a refused range holds nothing");
    } else {
        CHECK(r.all || (r.n > 0 && r.n <= PM_RANGE_MAX), "constraint count");
        for (int i = 0; i < r.n; i++) {
            CHECK(r.c[i].off < PM_RANGE_BYTES, "version inside the buffer");
            CHECK(memchr(r.buf + r.c[i].off, '\0', PM_RANGE_BYTES - r.c[i].off) != NULL,
                  "version NUL-terminated");
            CHECK(i == 0 || pm_vercmp(r.buf + r.c[i - 1].off, r.buf + r.c[i].off) <= 0,
                  "constraints sorted");
        }
        enum pm_verdict v = pm_range_test(&r, b);
        CHECK(v == PM_IN || v == PM_OUT || v == PM_UNKNOWN, "a verdict");
    }
    struct pm_cpe c;
    if (pm_cpe_parse(a, &c) == 0)
        CHECK(pm_cpe_overlap(&c, &c, true), "a CPE overlaps itself");
    struct pm_purl p;
    if (pm_purl_parse(a, &p) == 0)
        CHECK(pm_purl_same_package(&p, &p) && pm_purl_name(&p)[0], "a PURL names a package");
    char w[PM_NAME_MAX];
    size_t n = pm_norm_words(a, w, sizeof(w));
    CHECK(n < sizeof(w) && w[n] == '\0', "words fit");
    CHECK(n == 0 || (w[0] != ' ' && w[n - 1] != ' ' && !strstr(w, "  ")), "words are spaced once");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 18))
        return 0;
    char *text = rb_malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (size && text[0] == '{') {
        fuzz_document(text, size);
    } else {
        /* a NUL inside ends the text where C would */
        char *nl = strchr(text, '\n');
        if (nl)
            *nl = '\0';
        fuzz_strings(text, nl ? nl + 1 : "");
    }
    rb_free(text);
    return 0;
}
