/*
 * inventory.h - each org's inventory: the products it runs (vendor, product, version, and
 * optionally a CPE name or a package URL), what makes an org "likely affected" by an advisory.
 *
 * Owns the rows of the inventory table. The object of kind_inventory (core/kind.h) is one org's
 * inventory, named by the org's id; its items are its parts, each with an id of its own.
 *
 * Who may do what (docs/security.md, "Inventories"):
 *   read   the org's own users and every CERT above it; anyone else gets RB_ENOTFOUND (siblings,
 *          other provinces, and the orgs below it too: an inventory is not shared downwards)
 *   write  the org's own admins, analysts and reporters (PERM_REPORT); viewers, auditors and the
 *          CERTs above it get RB_EPERM: the inventory is the org's own declaration
 *   the local operator (a system actor) does both for every org.
 *
 * The rules of an item (inventory_check): vendor (a name, at most 200 bytes) and product (a
 * title, at most 500 bytes) are required, one line each; version is at most 64 bytes ("" when not
 * known); cpe, when given, is a CPE 2.3 formatted string ("cpe:2.3:" and 13 components) or a CPE
 * 2.2 URI ("cpe:/" and a part a, o or h); purl, when given, is a package URL ("pkg:", a type, "/"
 * and a name). The syntax checks are light: the full parsers live with the matching. An org holds
 * at most INVENTORY_MAX items, and one item per vendor, product and version, compared without
 * case (ASCII letters).
 *
 * Every write is one transaction with its audit entry (inventory.add, inventory.update,
 * inventory.remove, inventory.import), recorded against the org with the org's id as the object.
 */
#ifndef RABTA_INVENTORY_H
#define RABTA_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/mem.h"
#include "core/actor.h"
#include "db/db.h"
#include "formats/csv.h"

#define INVENTORY_MAX 2000 /* items of one org */
/* The most bytes a CSV file of an inventory may have, imported or exported: 2,000 rows at every
 * field's cap fit, also quoted with every byte a doubled quote. */
#define INVENTORY_CSV_MAX_BYTES ((size_t)16 * 1024 * 1024)
/* The bad rows of a file that are kept to be shown (every one is counted). */
#define INVENTORY_PROBLEMS_MAX 100

typedef struct rb_inventory_item {
    char *id, *org_id, *vendor, *product, *version, *cpe, *purl, *created_by, *created_at,
        *updated_at;
} rb_inventory_item;

/* The JSON object of an item (rjw_record): id, org_id, vendor, product, version, cpe, purl
 * (null when none), created_by, created_at, updated_at. */
extern const struct rb_record inventory_record;

/* An item as given. For inventory_add, NULL version is "" and NULL or "" cpe and purl are none.
 * For inventory_update, NULL leaves a member unchanged and "" clears version, cpe or purl. */
struct inventory_input {
    const char *vendor, *product, *version, *cpe, *purl;
};

/* Checks in by the rules above (change: an inventory_update's input, where every member may be
 * absent but at least one is given). Pure. Returns 0 or RB_EINVAL with ei naming the member. */
int inventory_check(const struct inventory_input *in, bool change, rb_errinfo *ei);
/* The light syntax checks alone, of a non-empty s: true when it looks like a CPE name (2.3
 * formatted string or 2.2 URI) / a package URL. Pure. */
bool inventory_cpe_ok(const char *s);
bool inventory_purl_ok(const char *s);

/* Adds an item to org_id's inventory. Returns 0 and out_id; RB_EINVAL (ei names the member),
 * RB_ECONFLICT (the same vendor, product and version is there, or INVENTORY_MAX is reached),
 * RB_EPERM, RB_ENOTFOUND (the actor may not read the org's inventory), RB_EAUTH or RB_EDB. */
int inventory_add(rb_db *db, const rb_actor *actor, const char *org_id,
                  const struct inventory_input *in, char out_id[RB_ID_SIZE], rb_errinfo *ei);

/* Changes the given members of item_id of org_id's inventory. Errors as inventory_add, and
 * RB_ENOTFOUND when the org's inventory has no such item. */
int inventory_update(rb_db *db, const rb_actor *actor, const char *org_id, const char *item_id,
                     const struct inventory_input *in, rb_errinfo *ei);

/* Removes item_id from org_id's inventory. Errors as inventory_update. */
int inventory_remove(rb_db *db, const rb_actor *actor, const char *org_id, const char *item_id,
                     rb_errinfo *ei);

/* One item of org_id's inventory, its texts in the arena. RB_ENOTFOUND when the actor may not
 * read the inventory or it has no such item (never told apart), RB_EDB. */
int inventory_get(rb_db *db, const rb_actor *actor, const char *org_id, const char *item_id,
                  rb_arena *a, rb_inventory_item *out);

struct inventory_filter {
    const char *q;        /* text found in the vendor or the product, case-insensitive; or NULL */
    const char *after_id; /* the cursor: the last item of the previous page, or NULL */
    int limit;            /* 1..500; 50 when 0 */
};

/* One page of org_id's items by vendor, product and version (without case), in the arena;
 * *more when another page follows. RB_EINVAL when after_id is not an item of the inventory;
 * RB_ENOTFOUND, RB_EDB. */
int inventory_list(rb_db *db, const rb_actor *actor, const char *org_id,
                   const struct inventory_filter *f, rb_arena *a, rb_inventory_item **out, int *n,
                   bool *more);

/* How many items org_id's inventory holds. RB_ENOTFOUND, RB_EDB. */
int inventory_count(rb_db *db, const rb_actor *actor, const char *org_id, int64_t *out);

/* ---- CSV ---- */

/* One checked row of a file. */
struct inventory_row {
    size_t line;
    struct inventory_input in;
};

/* A CSV file read and checked: its good rows, and its bad ones. */
struct inventory_file {
    struct inventory_row *rows;
    size_t nrows;                       /* good rows */
    size_t total;                       /* rows of the file, the header left out */
    size_t nbad;                        /* bad rows, all of them */
    struct csv_problem *problems;       /* the first INVENTORY_PROBLEMS_MAX of them */
    size_t nproblems;
};

/*
 * Reads text[0..len) as an inventory CSV file (RFC 4180, formats/csv) into out, in the arena.
 * The header names the columns, in any order: vendor and product are required, version, cpe and
 * purl optional; an empty cell is an absent value. Each row is checked by inventory_check. Pure.
 * Returns 0 when the file could be read as a whole (its bad rows, if any, in out->problems);
 * RB_EINVAL or RB_ETOOBIG when it cannot (not CSV, no header, an unknown, repeated or missing
 * column, more than INVENTORY_MAX rows), ei naming the place ("line 1, field 4"); RB_ENOMEM.
 */
int inventory_csv_read(const char *text, size_t len, rb_arena *a, struct inventory_file *out,
                       rb_errinfo *ei);

/* What an import did. */
struct inventory_counts {
    size_t rows;       /* good rows of the file */
    size_t added;      /* items stored */
    size_t duplicates; /* rows skipped: the item was there already, or earlier in the file */
    size_t removed;    /* items removed first (replace) */
    size_t items;      /* items the inventory holds now */
};

/* Called now and then while storing: done of total rows. */
typedef void (*inventory_progress_fn)(void *ctx, size_t done, size_t total);

/* Stores the rows of f (inventory_csv_read) in org_id's inventory in one write: with replace,
 * instead of every item it holds; else added to them. Duplicates are skipped and counted. Nothing
 * is stored from a file with a bad row: RB_EINVAL with ei naming the first ("line 3, field 4")
 * and saying how many are bad. RB_ECONFLICT when the inventory would pass INVENTORY_MAX; RB_EPERM,
 * RB_ENOTFOUND, RB_EAUTH, RB_EDB. progress may be NULL. *out is set on success only. */
int inventory_import(rb_db *db, const rb_actor *actor, const char *org_id,
                     const struct inventory_file *f, bool replace, inventory_progress_fn progress,
                     void *ctx, struct inventory_counts *out, rb_errinfo *ei);

/* Writes org_id's inventory into out as CSV: the header vendor,product,version,cpe,purl and one
 * row per item in the list's order (formats/csv: a text that a spreadsheet would run as a formula
 * is written with a leading '). Returns 0, RB_ETOOBIG past out's cap, RB_ENOTFOUND, RB_EDB. */
int inventory_export(rb_db *db, const rb_actor *actor, const char *org_id, rb_buf *out);

/* ---- for core ---- */

/* Calls fn on every item of org_id's inventory, or of every org's when org_id is NULL, ordered by
 * org, vendor, product and version, from one statement. Core-internal: no policy check, for
 * matching advisories against every recipient. fn's texts live until it returns (cpe and purl
 * NULL when none); fn must not change the inventory table. A non-zero result of fn stops the walk
 * and is returned. Returns 0, fn's result, or RB_EDB. */
int inventory_each(rb_db *db, const char *org_id,
                   int (*fn)(void *ctx, const char *org_id, const char *item_id, const char *vendor,
                             const char *product, const char *version, const char *cpe,
                             const char *purl),
                   void *ctx);

struct kind_ref;
/* kind_inventory's load (core/kind.h): id is an org's id; its inventory, when the actor is of
 * the org or of a CERT above it (else RB_ENOTFOUND). The owner is the org. */
int inventory_kind_load(rb_db *db, const rb_actor *actor, const char *id, struct kind_ref *out);

#endif
