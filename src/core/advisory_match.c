/*
 * advisory_match.c - which recipients of an advisory run one of its products (see
 * advisory_doc.h, advisory_match_records).
 *
 * The advisory's current document is walked once (formats/csaf_products), its affected products
 * prepared (formats/prodmatch), and every inventory item of the orgs that hold a record for it is
 * matched in one pass over one statement. A record is likely affected exactly when one of its
 * org's items matches; `matched` names the first match: the item, the product, the route (CPE,
 * PURL, names) and how sure the version is. Records are set again on every call, so a revision
 * that changes the products, or a change of who holds records, leaves each record right.
 *
 * Must never: flag an org for a product of another advisory, or an org without a record.
 */
#include "base/common.h"
#include "core/advisory_doc.h"
#include "formats/csaf_products.h"
#include "formats/prodmatch.h"
#include "json/json.h"

struct flag {
    char *org, *what;
};

int advisory_match_records(rb_write *w, const char *id)
{
    rb_arena *a = write_arena(w);
    rb_stmt *st = NULL;
    char *doc = NULL;
    cJSON *root = NULL;
    int rc = db_query_text(w->db, "SELECT doc FROM advisories WHERE id = ?1", DB_ARGS(DB_TEXT(id)),
                           a, &doc);
    if (rc || !doc)
        goto out;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    struct csaf_products ps;
    struct pm_set *set = NULL;
    if (rj_parse(doc, strlen(doc), 64, &root, &ei) != RJ_OK ||
        csaf_products_read(root, a, &ps, &ei) || pm_prepare(ps.items, ps.n, a, &set, &ei)) {
        /* A stored document always walks (it passed the validator); if it ever does not, no
         * org is flagged rather than the write failing. */
        rc = 0;
        goto out;
    }
    if ((rc = db_exec(w->db,
                      "UPDATE advisory_acks SET likely_affected = 0, matched = NULL WHERE "
                      "advisory_id = ?1 AND likely_affected = 1",
                      DB_ARGS(DB_TEXT(id)))))
        goto out;
    if (pm_set_size(set) == 0)
        goto out;
    /* Every item of every org with a record, one org after another. */
    if ((rc = db_query(w->db,
                       "SELECT i.org_id, i.vendor, i.product, i.version, i.cpe, i.purl FROM "
                       "inventory i JOIN advisory_acks k ON k.org_id = i.org_id AND "
                       "k.advisory_id = ?1 ORDER BY i.org_id",
                       DB_ARGS(DB_TEXT(id)), &st)))
        goto out;
    struct flag *flags = NULL;
    int n = 0, cap = 0;
    char last[RB_ID_SIZE] = "";
    bool done_org = false;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *org = db_col_text(st, 0);
        if (strcmp(org, last) != 0) {
            rb_strlcpy(last, org, sizeof(last));
            done_org = false;
        }
        if (done_org)
            continue;
        struct pm_item item = {db_col_text(st, 1),
                               db_col_text(st, 2),
                               db_col_text(st, 3),
                               db_col_null(st, 4) ? NULL : db_col_text(st, 4),
                               db_col_null(st, 5) ? NULL : db_col_text(st, 5),
                               NULL};
        struct pm_hit hit;
        if (pm_set_match(set, &item, &hit, 1) < 1)
            continue;
        done_org = true;
        if (n == cap) {
            int ncap = cap ? cap * 2 : 64;
            struct flag *grown = rb_arena_alloc(a, (size_t)ncap * sizeof(*grown));
            if (!grown) {
                rc = RB_ENOMEM;
                break;
            }
            if (n)
                memcpy(grown, flags, (size_t)n * sizeof(*grown));
            flags = grown;
            cap = ncap;
        }
        const struct csaf_product *p = &ps.items[hit.product];
        char what[900];
        rb_fmt(what, sizeof(what), "%s %s%s%s matches %s (%s, %s)", item.vendor, item.product,
               item.version && item.version[0] ? " " : "", item.version ? item.version : "",
               p->name ? p->name : p->product_id, pm_how_name(hit.how), pm_sure_name(hit.sure));
        flags[n].org = rb_arena_strdup(a, org);
        flags[n].what = rb_arena_strdup(a, what);
        if (!flags[n].org || !flags[n].what) {
            rc = RB_ENOMEM;
            break;
        }
        n++;
    }
    db_done(st);
    if (rc < 0)
        goto out;
    rc = 0;
    for (int i = 0; i < n && !rc; i++)
        rc = db_exec(w->db,
                     "UPDATE advisory_acks SET likely_affected = 1, matched = ?3 WHERE "
                     "advisory_id = ?1 AND org_id = ?2",
                     DB_ARGS(DB_TEXT(id), DB_TEXT(flags[i].org), DB_TEXT(flags[i].what)));
out:
    cJSON_Delete(root);
    return rc;
}
