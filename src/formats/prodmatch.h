/*
 * prodmatch.h - matching an org's inventory against the products of a CSAF advisory.
 *
 * An inventory item is what an org says it runs: vendor, product, version, and optionally a
 * CPE 2.3 name or a PURL. An advisory's products come from formats/csaf_products. An item
 * matches a product - the org is *likely affected* - by one of three routes, tried in order:
 *
 *   PM_CPE   both have a CPE, and the two names overlap attribute by attribute (NIST IR 7696:
 *            ANY, NA, values, and the wildcards * and ? of either side), the version aside;
 *   PM_PURL  both have a PURL naming the same package: type, namespace and name, normalised as
 *            the PURL spec says for the types where it is simple (lowercase for github, npm,
 *            pypi...; "_" is "-" in pypi names); qualifiers and subpath are ignored;
 *   PM_NAME  the vendors are the same after normalisation (pm_vendor_key) and the advisory's
 *            product (its product_name branch, else product_family) is the item's product or a
 *            whole-word start of it, compared without spaces ("SIMATIC S7-1500" covers "SIMATIC
 *            S71500" and "SIMATIC S7-1500 CPU 1516"; the converse is not a match, so an item
 *            "SIMATIC" is not flagged by every SIMATIC advisory). A
 *            product without a product branch is matched on its full name: the item's product
 *            (or vendor and product) must be a whole-word start of it, and what follows is read
 *            as the version or range ("Siemens SIMATIC S7-1500 V2.9", "ABC <=4.1").
 *   A route that applies decides: when its names match but the version is clearly outside the
 *   advisory's version or range, there is no match, and the next route is not tried. A route
 *   whose names do not match leaves the decision to the next.
 *
 * Versions (pm_vercmp). A version is read as a sequence of tokens: runs of digits (numbers) and
 * runs of letters (words); every other character only separates them, and a leading "v" before
 * a digit is dropped ("V2.9.7" is "2.9.7"). Tokens compare in order: numbers as numbers
 * (1.10 > 1.9, 007 = 7), words case-insensitively, except that the pre-release words dev,
 * snapshot < alpha < beta < pre, preview < rc rank below every other word, and at a position
 * where one side has a number and the other a word, the word is lower (as rpm does: 1.0a <
 * 1.0.1). When one version ends first: trailing zeros are ignored (2.0 = 2.0.0), a pre-release
 * word that follows makes the longer one lower (1.0-rc1 < 1.0), anything else makes it higher
 * (1.0 < 1.0 SP1 < 1.0.1a, 1.0.1 < 1.0.1a). Two versions are comparable only when their first
 * tokens are of the same kind and, for words, the same word (or each version is one word: FA <
 * FB); "April/20/2023" and "1.2" are not, and a range test on them says PM_UNKNOWN.
 *
 * Ranges (pm_range_parse) read both the PURL "vers" specifier (vers:<scheme>/<c>|<c>..., with =,
 * !=, <, <=, >, >= and "*", evaluated as the vers spec says; every scheme is compared with
 * pm_vercmp) and the free text that advisories really carry in product_version_range:
 * "<=4.2", ">= V7.80 < V9.30", ">=1.220|<=1.281", "vers:all/>=V5.4<V5.5 SP1", "before 4.2",
 * "prior to 5.1.2", "4.2 and earlier", "1.0 - 2.0", "4.x" (4 and anything after it), "all
 * versions", "All versions < V1.0 SP2 Update 2", "1.03.07 (build 317)" (a parenthesised remark
 * is dropped). Text it does not understand (a word that is not a version qualifier, such as
 * "All versions with maxView Storage Manager < 4.09") is refused; such a range never decides a
 * match against a version: a product matched by name with such a range is reported with
 * PM_VERSION_UNKNOWN - the conservative "likely affected" - and so is one whose version cannot
 * be compared with the item's, or an item that gives no version. A version that compares and
 * lies outside the range never matches.
 *
 * Names (pm_norm_words, pm_vendor_key): ASCII letters are lowercased, digits and non-ASCII bytes
 * kept, every other character separates words ("S7-1500" is "s7 1500"). For vendors, trailing
 * company-form words are dropped (inc, ltd, llc, corp, corporation, co, company, gmbh, ag, sa,
 * se, plc, ...), so is a leading "the", and the words are joined without spaces, so "Red Hat",
 * "RedHat" and "Red Hat, Inc." are one vendor. A product name that starts with its vendor - as
 * written, without company forms, or its first word, compared without spaces - loses it, on both
 * sides ("Siemens SIMATIC" of Siemens AG is "simatic", "Apache Log4j" of The Apache Software
 * Foundation is "log4j"), unless that is all of the name.
 *
 * Speed: pm_prepare normalises an advisory's products once and indexes them in one hash table:
 * by vendor and product (without spaces), by vendor alone for products matched on their full
 * name, by CPE vendor:product, by PURL type/namespace/name, and by first word for products
 * without a vendor. An item costs one probe (its vendor) when the advisory does not name its
 * vendor, and one probe per word of its product name when it does, so only the products whose
 * names can match are ever compared. A product whose CPE has no plain vendor and product (a
 * wildcard) is found by its names only. pm_item_keys gives the keys an item is looked up under, for
 * a caller that wants to store them and select only the inventory rows that can match.
 *
 * Use, for one advisory against many items:
 *     struct csaf_products ps;  csaf_products_read(doc, &arena, &ps, &ei);
 *     struct pm_set *set;       pm_prepare(ps.items, ps.n, &arena, &set, &ei);
 *     per item:                 n = pm_set_match(set, &item, hits, 8);
 *   hits[i].product indexes ps.items (product_id, name, cves to show); how and sure say why.
 *
 * Pure: no database, no clock, no files. Nothing allocates except pm_prepare (into its arena),
 * pm_match (a small arena of its own) and pm_item_keys (its scratch space); pm_set_match uses the
 * stack only.
 */
#ifndef RABTA_PRODMATCH_H
#define RABTA_PRODMATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "base/mem.h"
#include "formats/csaf_products.h"

/* ---- versions ---- */

/* <0, 0 or >0 as version a is lower than, the same as, or higher than b (the rule above).
 * NULL is "". */
int pm_vercmp(const char *a, const char *b);
/* Whether a and b can be compared meaningfully (the rule above). */
bool pm_ver_comparable(const char *a, const char *b);

/* ---- ranges ---- */

enum pm_op { PM_EQ, PM_NE, PM_LT, PM_LE, PM_GT, PM_GE };

#define PM_RANGE_MAX 16    /* constraints in one range */
#define PM_RANGE_BYTES 256 /* their versions, NUL-separated */
#define PM_VERSION_MAX 64  /* one version's text */

struct pm_range {
    bool all; /* every version: "*" (alone or after "vers:<scheme>/"), "all versions" */
    int n;
    struct pm_constraint {
        unsigned char op;   /* enum pm_op */
        bool prefix;        /* "4.x": compared on the version's first tokens only */
        unsigned short off; /* the version: buf + off */
    } c[PM_RANGE_MAX];
    char buf[PM_RANGE_BYTES];
};

/* Reads s into *r. Returns 0, or RB_EINVAL when s is empty or not understood (r then holds no
 * constraint), or RB_ETOOBIG past PM_RANGE_MAX constraints, PM_RANGE_BYTES or PM_VERSION_MAX. */
int pm_range_parse(const char *s, struct pm_range *r);
/* A range of the one version v (EQ); RB_EINVAL when v is empty, RB_ETOOBIG when too long. */
int pm_range_eq(const char *v, struct pm_range *r);

enum pm_verdict { PM_OUT = 0, PM_IN, PM_UNKNOWN };

/* Whether version v is in r: PM_UNKNOWN when v is empty or not comparable with a version of r. */
enum pm_verdict pm_range_test(const struct pm_range *r, const char *v);
/* pm_range_parse then pm_range_test; PM_UNKNOWN when range is not understood. */
enum pm_verdict pm_version_in(const char *range, const char *v);

/* ---- names ---- */

#define PM_NAME_MAX 256 /* normalised names are cut to fit this, NUL included */

/* s as lowercase words separated by one space, into out[cap]; returns its length. */
size_t pm_norm_words(const char *s, char *out, size_t cap);
/* The vendor key of s (the rule above: "Siemens AG" and "SIEMENS" are "siemens"); its length. */
size_t pm_vendor_key(const char *s, char *out, size_t cap);

/* ---- CPE ---- */

enum pm_cpe_attr {
    PM_CPE_PART,
    PM_CPE_VENDOR,
    PM_CPE_PRODUCT,
    PM_CPE_VERSION,
    PM_CPE_UPDATE,
    PM_CPE_EDITION,
    PM_CPE_LANGUAGE,
    PM_CPE_SW_EDITION,
    PM_CPE_TARGET_SW,
    PM_CPE_TARGET_HW,
    PM_CPE_OTHER,
    PM_CPE_NATTR
};
enum pm_cpe_kind { PM_CPE_ANY = 0, PM_CPE_NA, PM_CPE_VALUE };

#define PM_CPE_INPUT_MAX 256 /* a longer name is refused */
#define PM_CPE_BYTES 384

/* A CPE name as a well-formed name (WFN): each attribute ANY, NA or a value, held lowercase with
 * every character other than letters, digits and "_" quoted by a backslash, and the unquoted
 * wildcards "*" and "?" (wild says the value has one). */
struct pm_cpe {
    unsigned char kind[PM_CPE_NATTR];
    bool wild[PM_CPE_NATTR];
    unsigned short off[PM_CPE_NATTR]; /* a value: buf + off */
    char buf[PM_CPE_BYTES];
};

/* Reads a CPE 2.3 formatted string ("cpe:2.3:a:vendor:product:...") or a CPE 2.2 URI
 * ("cpe:/a:vendor:product:version", percent-encoding and the packed edition "~...~..." read as
 * CPE 2.3 specifies). Missing trailing attributes are ANY. Returns 0, or RB_EINVAL. */
int pm_cpe_parse(const char *s, struct pm_cpe *c);
/* The value of attribute i without its quoting, into out[cap] ("" unless PM_CPE_VALUE). */
const char *pm_cpe_value(const struct pm_cpe *c, int i, char *out, size_t cap);
/* Whether the names share an instance: no attribute is disjoint (ANY overlaps everything, NA
 * only NA or ANY, a value an equal value or a pattern that matches it; two patterns are taken to
 * overlap). The version is compared with pm_vercmp unless with_version is false. */
bool pm_cpe_overlap(const struct pm_cpe *a, const struct pm_cpe *b, bool with_version);

/* ---- PURL ---- */

#define PM_PURL_INPUT_MAX 512
#define PM_PURL_BYTES 520

/* A package URL, percent-decoded and normalised: type, namespace ("" when none), name, version
 * (NULL when none), each NUL-terminated in buf. */
struct pm_purl {
    unsigned short type, ns, name, version;
    bool has_version;
    char buf[PM_PURL_BYTES];
};

/* Reads pkg:type/namespace/name@version?qualifiers#subpath. Returns 0, or RB_EINVAL. */
int pm_purl_parse(const char *s, struct pm_purl *p);
static inline const char *pm_purl_type(const struct pm_purl *p)
{
    return p->buf + p->type;
}
static inline const char *pm_purl_ns(const struct pm_purl *p)
{
    return p->buf + p->ns;
}
static inline const char *pm_purl_name(const struct pm_purl *p)
{
    return p->buf + p->name;
}
static inline const char *pm_purl_version(const struct pm_purl *p)
{
    return p->has_version ? p->buf + p->version : NULL;
}
/* Same type, namespace and name. */
bool pm_purl_same_package(const struct pm_purl *a, const struct pm_purl *b);

/* ---- the matcher ---- */

/* An inventory item; every string may be NULL. vendor_key, when the caller stored
 * pm_vendor_key(vendor) with the item, saves normalising the vendor on every match. */
struct pm_item {
    const char *vendor, *product, *version, *cpe, *purl;
    const char *vendor_key;
};

enum pm_how { PM_NONE = 0, PM_CPE, PM_PURL, PM_NAME };

/* How sure the version part of a match is. */
enum pm_sure {
    PM_VERSION_IN = 0,  /* the item's version is the advisory's, or in its range */
    PM_VERSION_ALL,     /* the advisory says every version */
    PM_VERSION_UNKNOWN, /* no version to compare, or one that could not be compared */
};

/* "none", "cpe", "purl", "name"; "version_in", "version_all", "version_unknown". */
const char *pm_how_name(enum pm_how how);
const char *pm_sure_name(enum pm_sure sure);

/* Whether item inv matches product p (its affected flag aside), and how; *sure (may be NULL)
 * says how sure the version is. PM_NONE also when memory runs out. */
enum pm_how pm_match(const struct pm_item *inv, const struct csaf_product *p, enum pm_sure *sure);

/* An advisory's affected products, prepared. */
struct pm_set;

/* Prepares the affected products of products[0..n) into *out, allocated in a. Products whose CPE
 * or PURL does not parse keep their name route. RB_ETOOBIG / RB_ENOMEM when the arena is
 * exhausted; RB_EINVAL when n is negative or past CSAF_PRODUCTS_MAX. */
int pm_prepare(const struct csaf_product *products, int n, rb_arena *a, struct pm_set **out,
               rb_errinfo *ei);
/* How many products the set holds (the affected ones). */
int pm_set_size(const struct pm_set *s);

/* One product an item matches: its index in the array given to pm_prepare. */
struct pm_hit {
    int product;
    enum pm_how how;
    enum pm_sure sure;
};

/* The products item inv matches, in hits[0..max); returns how many were written (at most max).
 * Reentrant: a set may be shared by threads. */
int pm_set_match(const struct pm_set *s, const struct pm_item *inv, struct pm_hit *hits, int max);

/* The lookup keys of an item: "v:<vendor key>", "w:<first word of the vendor>", "w:<first word
 * of the product>", "c:<cpe vendor>:<cpe product>" and "p:<type>/<namespace>/<name>", those it
 * has. Writes up to max keys (each NUL-terminated, cut to PM_NAME_MAX bytes) into keys; returns
 * how many. An item can only match a set that holds one of its keys, so a caller may store them
 * with the inventory and hand pm_set_match only the rows with a key the set has. */
int pm_item_keys(const struct pm_item *inv, char (*keys)[PM_NAME_MAX], int max);
/* Whether the set holds key (one of the forms above). */
bool pm_set_has_key(const struct pm_set *s, const char *key);
/* The set's i-th key in those forms, for i from 0; NULL past the last. Owned by the set. */
const char *pm_set_key(const struct pm_set *s, int i);

#endif
