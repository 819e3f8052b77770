/*
 * body_inventory.c - the readers of the bodies of an org's inventory items (see body.h).
 *
 * Must never: accept a member of the wrong type silently, or keep a string that breaks its field
 * rule (core checks the item's own rules again: required members, CPE and package URL syntax).
 */
#include "base/common.h"
#include "core/inventory.h"
#include "http/body.h"
#include "http/inventory.h"

/* vendor, product, version, cpe, purl; required: vendor and product, for a new item. */
static int read_item(const cJSON *b, struct inventory_input *in, bool required, rb_errinfo *ei)
{
    int rc;
    if ((rc = rj_text(b, "vendor", required, FIELD_NAME, &in->vendor, ei)) ||
        (rc = rj_text(b, "product", required, FIELD_TITLE, &in->product, ei)) ||
        (rc = rj_text(b, "version", false, FIELD_SHORT, &in->version, ei)) ||
        (rc = rj_text(b, "cpe", false, FIELD_TITLE, &in->cpe, ei)) ||
        (rc = rj_text(b, "purl", false, FIELD_URL, &in->purl, ei)))
        return rc;
    return 0;
}

static int read_inventory(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    RB_UNUSED(a);
    return read_item(b, out, true, ei);
}

static int read_inventory_update(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    RB_UNUSED(a);
    return read_item(b, out, false, ei);
}

BODY(body_inventory, "inventory", struct inventory_input, read_inventory, "vendor", "product",
     "version", "cpe", "purl");
BODY(body_inventory_update, "inventory_update", struct inventory_input, read_inventory_update,
     "vendor", "product", "version", "cpe", "purl");
