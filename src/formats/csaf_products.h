/*
 * csaf_products.h - the flat list of products of a CSAF 2.0 document's product tree.
 *
 * A CSAF advisory names its products in a tree (product_tree.branches: vendor > product_name >
 * product_version ...), in a flat list (product_tree.full_product_names) and as combinations
 * (product_tree.relationships: "component X installed on platform Y"), and says which of them a
 * vulnerability affects in vulnerabilities[].product_status. csaf_products_read() walks all of it
 * once and gives one row per product_id, with what the branches above the product say about it
 * (vendor, product, version or version range), its CPE and PURL, and whether some vulnerability
 * lists it as affected (known_affected, first_affected or last_affected), with the CVE ids of
 * those vulnerabilities. It is what the inventory matcher (formats/prodmatch) works from.
 *
 * Rules of the walk:
 *   - A branch's category names what its `name` is; a product takes, of each category, the
 *     nearest branch above it (a deeper branch says more). `product` is the nearest
 *     "product_name", else the nearest "product_family".
 *   - A relationship's full_product_name inherits vendor, product, version, range, CPE and PURL
 *     from its product_reference (the component, which is what an inventory lists) unless it has
 *     a CPE or PURL of its own; relates_to names the platform.
 *   - A product_id that appears a second time is ignored (the first one stays); refusing such a
 *     document is the CSAF validator's work, not this walk's. Members of the wrong JSON type are
 *     treated as absent: the walk does not validate, it only never reads out of bounds.
 *   - product_groups are not read: product_status lists product ids only.
 *
 * Caps: at most CSAF_PRODUCTS_MAX products and branches nested at most CSAF_BRANCH_DEPTH_MAX
 * deep; past either, RB_ETOOBIG with a message saying which.
 *
 * Ownership: every string and array lives in the arena given; the cJSON tree may be freed as soon
 * as csaf_products_read returns. Pure: no database, no files, no HTTP.
 */
#ifndef RABTA_CSAF_PRODUCTS_H
#define RABTA_CSAF_PRODUCTS_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "base/err.h"
#include "base/mem.h"

#define CSAF_PRODUCTS_MAX 10000
#define CSAF_BRANCH_DEPTH_MAX 32

/* One product. Strings are NULL when the document does not say (name is "" when absent). */
struct csaf_product {
    const char *product_id;
    const char *name;          /* full_product_name.name */
    const char *vendor;        /* branch category "vendor" */
    const char *product;       /* "product_name", else "product_family" */
    const char *family;        /* "product_family" */
    const char *version;       /* "product_version" */
    const char *version_range; /* "product_version_range" */
    const char *service_pack;  /* "service_pack" */
    const char *cpe, *purl;    /* product_identification_helper.cpe / .purl */
    const char *relates_to;    /* a relationship's relates_to_product_reference */
    const char *relation;      /* a relationship's category ("installed_on") */
    bool affected;             /* listed as known, first or last affected by a vulnerability */
    const char **cves;         /* the CVE ids of the vulnerabilities that affect it */
    int ncves;
};

struct csaf_products {
    struct csaf_product *items; /* in document order: branches, full_product_names,
                                 * relationships */
    int n;
    /* private: the index by product_id (open addressing; -1 is an empty slot) */
    int *slots;
    unsigned mask;
};

/* Walks doc (a parsed CSAF document) into *out. A document without a product_tree has no
 * products (0). RB_EINVAL when doc is not a JSON object; RB_ETOOBIG past a cap or the arena's
 * cap; RB_ENOMEM. On failure *out is left empty and ei says why. */
int csaf_products_read(const cJSON *doc, rb_arena *a, struct csaf_products *out, rb_errinfo *ei);

/* The product with this id, or NULL. */
const struct csaf_product *csaf_products_find(const struct csaf_products *ps,
                                              const char *product_id);

/* How many products are affected. */
int csaf_products_affected(const struct csaf_products *ps);

#endif
