/*
 * advisory_doc.c - reading, building and serving the CSAF documents of advisories (see
 * advisory_doc.h).
 *
 * Must never: store a document the validator refuses, or serve one whose TLP label is not the
 * stored TLP's.
 */
#include "base/common.h"

#include <ctype.h>
#include <stdlib.h>

#include "base/rtime.h"
#include "base/utf8.h"
#include "core/advisory_doc.h"
#include "core/kind.h"
#include "core/settings.h"
#include "formats/csaf.h"
#include "formats/csaf_author.h"
#include "formats/cvss.h"
#include "json/field.h"
#include "json/jdoc.h"

#define DOC_DEPTH CSAF_MAX_DEPTH

/* ---- reading an imported document ---- */

static const char *str_at(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *obj_at(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsObject(v) ? v : NULL;
}

static int severity_of_score(double s)
{
    return s >= 9.0   ? ASEV_CRITICAL
           : s >= 7.0 ? ASEV_HIGH
           : s >= 4.0 ? ASEV_MEDIUM
           : s > 0.0  ? ASEV_LOW
                      : ASEV_NONE;
}

static int severity_of_text(const char *t)
{
    static const struct {
        const char *word;
        int sev;
    } words[] = {{"critical", ASEV_CRITICAL}, {"important", ASEV_HIGH}, {"high", ASEV_HIGH},
                 {"moderate", ASEV_MEDIUM},   {"medium", ASEV_MEDIUM},  {"low", ASEV_LOW},
                 {"none", ASEV_NONE}};
    for (size_t i = 0; t && i < sizeof(words) / sizeof(words[0]); i++)
        if (strcasecmp(t, words[i].word) == 0)
            return words[i].sev;
    return -1;
}

/* The product names of a branch tree, for search: at most cap bytes. */
static void product_names(const cJSON *branches, rb_buf *out, int depth)
{
    const cJSON *b;
    if (depth > 30)
        return;
    cJSON_ArrayForEach(b, branches)
    {
        const cJSON *p = obj_at(b, "product");
        const char *name = p ? str_at(p, "name") : NULL;
        if (name && out->len + strlen(name) + 2 < out->max)
            rb_buf_printf(out, "%s%s", out->len ? "; " : "", name);
        product_names(cJSON_GetObjectItemCaseSensitive(b, "branches"), out, depth + 1);
    }
}

/* The first check of a document, until formats/csaf's validator decides: the members every CSAF
 * document has and rabta keeps. */
static int check_minimum(rj_doc *d, const cJSON *root, const cJSON **doc)
{
    const cJSON *document = NULL, *tracking = NULL, *publisher = NULL;
    int rc;
    if ((rc = rjd_obj(d, root, "document", true, &document)))
        return rc;
    size_t m = rjd_push(d, "document");
    const char *ver = NULL;
    if ((rc = rjd_str(d, document, "csaf_version", RJD_REQUIRED, &ver)))
        return rc;
    if (strcmp(ver, "2.0") != 0)
        return rjd_err(d, RB_EINVAL, "csaf_version", "\"csaf_version\" must be \"2.0\"");
    if ((rc = rjd_str(d, document, "category", RJD_REQUIRED, NULL)) ||
        (rc = rjd_str(d, document, "title", RJD_REQUIRED, NULL)) ||
        (rc = rjd_obj(d, document, "publisher", true, &publisher)) ||
        (rc = rjd_obj(d, document, "tracking", true, &tracking)))
        return rc;
    size_t m2 = rjd_push(d, "publisher");
    if ((rc = rjd_str(d, publisher, "namespace", RJD_REQUIRED, NULL)) ||
        (rc = rjd_str(d, publisher, "name", RJD_REQUIRED, NULL)))
        return rc;
    rjd_pop(d, m2);
    m2 = rjd_push(d, "tracking");
    if ((rc = rjd_str(d, tracking, "id", RJD_REQUIRED, NULL)) ||
        (rc = rjd_str(d, tracking, "version", RJD_REQUIRED, NULL)) ||
        (rc = rjd_str(d, tracking, "initial_release_date", RJD_REQUIRED, NULL)) ||
        (rc = rjd_str(d, tracking, "current_release_date", RJD_REQUIRED, NULL)))
        return rc;
    rjd_pop(d, m2);
    rjd_pop(d, m);
    *doc = document;
    return 0;
}

/* Every CSAF member is read with the generous rule: the validator decides what a document may
 * hold, and the field rules only cap what rabta stores beside it. */
static const struct rjd_rule doc_rules[] = {
    {"title", FIELD_PROSE},
    {"name", FIELD_PROSE},
    {"text", FIELD_PROSE},
    {NULL, FIELD_PROSE},
};

int advisory_doc_read(const char *json, size_t len, rb_arena *a, struct advisory_doc *out,
                      rb_errinfo *ei)
{
    rj_doc d;
    rjd_init(&d, a, doc_rules, FIELD_PROSE, ei);
    cJSON *root = NULL;
    int rc = rjd_parse(&d, json, len, ADVISORY_DOC_MAX, DOC_DEPTH, &root);
    if (rc)
        goto out;
    if (!cJSON_IsObject(root)) {
        rc = rjd_err(&d, RB_EINVAL, NULL, "a CSAF document is a JSON object");
        goto out;
    }
    const cJSON *document = NULL;
    if ((rc = advisory_doc_validate(root, a, ei)) || (rc = check_minimum(&d, root, &document)))
        goto out;
    memset(out, 0, sizeof(*out));
    const cJSON *tracking = obj_at(document, "tracking"),
                *publisher = obj_at(document, "publisher");
    out->title = rb_arena_strdup(a, str_at(document, "title"));
    out->category = rb_arena_strdup(a, str_at(document, "category"));
    out->tracking_id = rb_arena_strdup(a, str_at(tracking, "id"));
    out->version = rb_arena_strdup(a, str_at(tracking, "version"));
    out->initial_release = rb_arena_strdup(a, str_at(tracking, "initial_release_date"));
    out->current_release = rb_arena_strdup(a, str_at(tracking, "current_release_date"));
    out->namespace_url = rb_arena_strdup(a, str_at(publisher, "namespace"));
    out->publisher_name = rb_arena_strdup(a, str_at(publisher, "name"));
    out->doc = rb_arena_strndup(a, json, len);
    const cJSON *dist = obj_at(document, "distribution"), *tlp = dist ? obj_at(dist, "tlp") : NULL;
    enum rb_tlp level = TLP_AMBER;
    if (tlp && str_at(tlp, "label") && tlp_parse(str_at(tlp, "label"), &level))
        level = TLP_AMBER;
    out->tlp = level;
    const cJSON *sum = NULL, *notes = cJSON_GetObjectItemCaseSensitive(document, "notes");
    cJSON_ArrayForEach(sum, notes)
    {
        const char *cat = str_at(sum, "category");
        if (cat && strcmp(cat, "summary") == 0 && str_at(sum, "text")) {
            const char *t = str_at(sum, "text");
            out->summary = rb_arena_strndup(a, t, rb_utf8_cut(t, 500));
            break;
        }
    }
    /* CVEs and the highest score. */
    rb_buf cves, names;
    rb_buf_init(&cves, 4000);
    rb_buf_init(&names, 8000);
    double max = -1;
    const cJSON *v, *vulns = cJSON_GetObjectItemCaseSensitive(root, "vulnerabilities");
    cJSON_ArrayForEach(v, vulns)
    {
        const char *cve = str_at(v, "cve");
        if (cve && cves.len + strlen(cve) + 2 < cves.max)
            rb_buf_printf(&cves, "%s%s", cves.len ? " " : "", cve);
        const cJSON *s, *scores = cJSON_GetObjectItemCaseSensitive(v, "scores");
        cJSON_ArrayForEach(s, scores)
        {
            const char *keys[] = {"cvss_v3", "cvss_v2"};
            for (int k = 0; k < 2; k++) {
                const cJSON *c = obj_at(s, keys[k]);
                const cJSON *bs = c ? cJSON_GetObjectItemCaseSensitive(c, "baseScore") : NULL;
                if (cJSON_IsNumber(bs) && bs->valuedouble > max)
                    max = bs->valuedouble;
            }
        }
    }
    const cJSON *tree = obj_at(root, "product_tree");
    if (tree) {
        product_names(cJSON_GetObjectItemCaseSensitive(tree, "branches"), &names, 0);
        const cJSON *fp;
        cJSON_ArrayForEach(fp, cJSON_GetObjectItemCaseSensitive(tree, "full_product_names"))
        {
            const char *name = str_at(fp, "name");
            if (name && names.len + strlen(name) + 2 < names.max)
                rb_buf_printf(&names, "%s%s", names.len ? "; " : "", name);
        }
    }
    out->cves = rb_arena_strdup(a, rb_buf_cstr(&cves));
    out->products = rb_arena_strdup(a, rb_buf_cstr(&names));
    rb_buf_release(&cves);
    rb_buf_release(&names);
    out->max_score = max;
    const cJSON *agg = obj_at(document, "aggregate_severity");
    out->severity =
        max >= 0 ? severity_of_score(max) : severity_of_text(agg ? str_at(agg, "text") : NULL);
    if (!out->title || !out->category || !out->tracking_id || !out->version ||
        !out->initial_release || !out->current_release || !out->namespace_url || !out->doc ||
        !out->cves || !out->products)
        rc = rjd_alloc_err(&d, len);
out:
    cJSON_Delete(root);
    return rc;
}

int advisory_doc_validate(const cJSON *root, rb_arena *a, rb_errinfo *ei)
{
    struct csaf_report rep;
    int rc = csaf_validate(root, 0, &rep, a);
    if (rc)
        return rc;
    return csaf_report_err(&rep, ei);
}

int advisory_cvss_base(const char *vector, double *score, const char **severity)
{
    struct cvss3 v;
    if (cvss3_parse(vector, &v, NULL))
        return RB_EINVAL;
    struct cvss_scores s;
    cvss3_score(&v, &s);
    *score = s.base;
    *severity = cvss3_severity(s.base);
    return 0;
}

/* ---- serving ---- */

int advisory_doc_serve(const char *doc, size_t len, enum rb_tlp tlp, rb_arena *a, rb_buf *out)
{
    RB_UNUSED(a);
    cJSON *root = NULL;
    rb_errinfo ei;
    if (rj_parse(doc, len, DOC_DEPTH, &root, &ei) != RJ_OK)
        return RB_EINTERNAL;
    int rc = 0;
    cJSON *document = cJSON_GetObjectItemCaseSensitive(root, "document");
    cJSON *dist = cJSON_GetObjectItemCaseSensitive(document, "distribution");
    if (!cJSON_IsObject(dist)) {
        cJSON_DeleteItemFromObjectCaseSensitive(document, "distribution");
        if (!(dist = cJSON_AddObjectToObject(document, "distribution"))) {
            rc = RB_ENOMEM;
            goto out;
        }
    }
    cJSON_DeleteItemFromObjectCaseSensitive(dist, "tlp");
    cJSON *t = cJSON_AddObjectToObject(dist, "tlp");
    if (!t || !cJSON_AddStringToObject(t, "label", tlp_info(tlp)->csaf_label) ||
        !cJSON_AddStringToObject(t, "url", "https://www.first.org/tlp/")) {
        rc = RB_ENOMEM;
        goto out;
    }
    if (csaf_tlp_text(tlp)) {
        cJSON_DeleteItemFromObjectCaseSensitive(dist, "text");
        if (!cJSON_AddStringToObject(dist, "text", csaf_tlp_text(tlp))) {
            rc = RB_ENOMEM;
            goto out;
        }
    }
    rj_writer w;
    rjw_init(&w, out);
    rjw_cjson(&w, root);
    rc = rjw_finish(&w);
out:
    cJSON_Delete(root);
    return rc;
}

/* ---- what an author writes ---- */

const char *const advisory_input_members[] = {
    "title",        "summary",    "severity",         "tlp",      "products", "vulnerabilities",
    "remediations", "references", "revision_summary", "material", NULL,
};

static const char *const product_fields[] = {"vendor", "product", "version", "version_range",
                                             "cpe",    "purl",    NULL};
static const char *const vuln_fields[] = {"cve",    "title",    "description", "cvss_vector",
                                          "cwe_id", "cwe_name", NULL};
static const char *const remediation_fields[] = {"category", "details", "url", NULL};
static const char *const reference_fields[] = {"url", "summary", NULL};

/* The lists of an author's input, in the order the stored input writes them. */
enum { PRODUCTS, VULNS, REMEDIATIONS, REFERENCES, NLISTS };
static const struct {
    const char *key;
    size_t size; /* of one item */
    int max;
    const char *const *fields; /* the members an item may hold */
} lists[NLISTS] = {
    [PRODUCTS] = {"products", sizeof(struct csaf_product_in), ADVISORY_PRODUCTS_MAX,
                  product_fields},
    [VULNS] = {"vulnerabilities", sizeof(struct csaf_vuln_in), ADVISORY_VULNS_MAX, vuln_fields},
    [REMEDIATIONS] = {"remediations", sizeof(struct csaf_remediation_in), ADVISORY_ITEMS_MAX,
                      remediation_fields},
    [REFERENCES] = {"references", sizeof(struct csaf_reference_in), ADVISORY_ITEMS_MAX,
                    reference_fields},
};

/* The members of the lists' items (each a const char *), list by list, in the order they are
 * read and written: read by rj_text with the field rule (by rj_enum over names, keeping the name,
 * when there are names), written back into the stored input when given (a required one
 * always). */
static const struct {
    int list;
    const char *key;
    bool required;
    enum rb_field_kind kind;
    const char *const *names;
    size_t offset; /* in the item */
} item_members[] = {
    {PRODUCTS, "vendor", true, FIELD_NAME, NULL, offsetof(struct csaf_product_in, vendor)},
    {PRODUCTS, "product", true, FIELD_NAME, NULL, offsetof(struct csaf_product_in, product)},
    {PRODUCTS, "version", false, FIELD_SHORT, NULL, offsetof(struct csaf_product_in, version)},
    {PRODUCTS, "version_range", false, FIELD_NAME, NULL,
     offsetof(struct csaf_product_in, version_range)},
    {PRODUCTS, "cpe", false, FIELD_URL, NULL, offsetof(struct csaf_product_in, cpe)},
    {PRODUCTS, "purl", false, FIELD_URL, NULL, offsetof(struct csaf_product_in, purl)},
    {VULNS, "cve", false, FIELD_ID, NULL, offsetof(struct csaf_vuln_in, cve)},
    {VULNS, "title", false, FIELD_TITLE, NULL, offsetof(struct csaf_vuln_in, title)},
    {VULNS, "description", false, FIELD_PROSE, NULL, offsetof(struct csaf_vuln_in, description)},
    {VULNS, "cvss_vector", false, FIELD_NAME, NULL, offsetof(struct csaf_vuln_in, cvss_vector)},
    {VULNS, "cwe_id", false, FIELD_ID, NULL, offsetof(struct csaf_vuln_in, cwe_id)},
    {VULNS, "cwe_name", false, FIELD_NAME, NULL, offsetof(struct csaf_vuln_in, cwe_name)},
    {REMEDIATIONS, "category", true, FIELD_ID, csaf_remediation_categories,
     offsetof(struct csaf_remediation_in, category)},
    {REMEDIATIONS, "details", true, FIELD_PROSE, NULL,
     offsetof(struct csaf_remediation_in, details)},
    {REMEDIATIONS, "url", false, FIELD_URL, NULL, offsetof(struct csaf_remediation_in, url)},
    {REFERENCES, "url", true, FIELD_URL, NULL, offsetof(struct csaf_reference_in, url)},
    {REFERENCES, "summary", false, FIELD_TITLE, NULL, offsetof(struct csaf_reference_in, summary)},
};

/* The items of one list being read: list and room for them. */
struct items {
    int list;
    void *v;
};

static int read_item(const cJSON *item, int i, void *ctx, rb_errinfo *ei)
{
    const struct items *it = ctx;
    char *x = (char *)it->v + (size_t)i * lists[it->list].size;
    int rc = 0;
    for (size_t k = 0; k < RB_ARRAY_LEN(item_members) && !rc; k++) {
        if (item_members[k].list != it->list)
            continue;
        const char **s = (const char **)(x + item_members[k].offset);
        int e = -1;
        if (!item_members[k].names)
            rc = rj_text(item, item_members[k].key, item_members[k].required, item_members[k].kind,
                         s, ei);
        else if (!(rc = rj_enum(item, item_members[k].key, item_members[k].required,
                                item_members[k].names, &e, ei)) &&
                 e >= 0)
            *s = item_members[k].names[e];
    }
    return rc;
}

/* Reads list k of b into *out: *n items, or -1 when b has no such list. */
static int read_list(const cJSON *b, int k, rb_arena *a, void **out, int *n, rb_errinfo *ei)
{
    const char *key = lists[k].key;
    const cJSON *arr = NULL;
    int count = -1;
    int rc = rj_list(b, key, lists[k].max, &arr, &count, ei);
    *n = -1;
    if (rc || count < 0)
        return rc;
    struct items it = {k, count ? rb_arena_alloc(a, (size_t)count * lists[k].size) : NULL};
    if (count && !it.v)
        return RB_ENOMEM;
    rc = rj_items_of(arr, key, lists[k].fields, read_item, &it, ei);
    if (!rc) {
        *out = it.v;
        *n = count;
    }
    return rc;
}

int advisory_input_read(const cJSON *b, rb_arena *a, struct advisory_input *in, rb_errinfo *ei)
{
    bool material = false;
    int rc;
    if ((rc = rj_text(b, "title", false, FIELD_TITLE, &in->title, ei)) ||
        (rc = rj_text(b, "summary", false, FIELD_PROSE, &in->summary, ei)) ||
        (rc = rj_enum(b, "severity", false, adv_severity_names, &in->severity, ei)) ||
        (rc = rj_enum(b, "tlp", false, tlp_names, &in->tlp, ei)) ||
        (rc = rj_text(b, "revision_summary", false, FIELD_NOTE, &in->revision_summary, ei)) ||
        (rc = rj_bool(b, "material", false, &material, ei)))
        return rc;
    in->material = material;
    void *items[NLISTS] = {NULL};
    int *n[NLISTS] = {&in->nproducts, &in->nvulns, &in->nremediations, &in->nreferences};
    for (int k = 0; k < NLISTS && !rc; k++)
        rc = read_list(b, k, a, &items[k], n[k], ei);
    in->products = items[PRODUCTS];
    in->vulns = items[VULNS];
    in->remediations = items[REMEDIATIONS];
    in->references = items[REFERENCES];
    return rc;
}

bool advisory_input_has_content(const struct advisory_input *in)
{
    return in->title || in->summary || in->nproducts >= 0 || in->nvulns >= 0 ||
           in->nremediations >= 0 || in->nreferences >= 0;
}

static bool blank(const char *s)
{
    return !s || strspn(s, " \t\r\n") == strlen(s);
}

static bool url_ok(const char *s)
{
    return (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0) && strlen(s) > 10;
}

int advisory_input_check(const struct advisory_input *in, bool create, rb_errinfo *ei)
{
    if ((create || in->title) && blank(in->title))
        return rb_err(ei, RB_EINVAL, "title", "give the advisory a title (\"title\")");
    if (create && in->nproducts < 1)
        return rb_err(ei, RB_EINVAL, "products",
                      "name at least one affected product (\"products\": vendor and product)");
    if (create && in->nvulns < 1)
        return rb_err(ei, RB_EINVAL, "vulnerabilities",
                      "describe at least one vulnerability (\"vulnerabilities\")");
    if (!create && in->nproducts == 0)
        return rb_err(ei, RB_EINVAL, "products", "an advisory keeps at least one product");
    if (!create && in->nvulns == 0)
        return rb_err(ei, RB_EINVAL, "vulnerabilities",
                      "an advisory keeps at least one vulnerability");
    char field[64];
    for (int i = 0; i < in->nproducts; i++) {
        const struct csaf_product_in *p = &in->products[i];
        rb_fmt(field, sizeof(field), "products[%d]", i);
        if (blank(p->vendor) || blank(p->product))
            return rb_err(ei, RB_EINVAL, field, "%s: give the vendor and the product", field);
        if (p->cpe && p->cpe[0] && strncmp(p->cpe, "cpe:2.3:", 8) != 0 &&
            strncmp(p->cpe, "cpe:/", 5) != 0)
            return rb_err(ei, RB_EINVAL, field,
                          "%s.cpe: a CPE name begins \"cpe:2.3:\" (or \"cpe:/\")", field);
        if (p->purl && p->purl[0] && (strncmp(p->purl, "pkg:", 4) != 0 || !strchr(p->purl, '/')))
            return rb_err(ei, RB_EINVAL, field,
                          "%s.purl: a package URL looks like pkg:type/name@version", field);
    }
    for (int i = 0; i < in->nvulns; i++) {
        const struct csaf_vuln_in *v = &in->vulns[i];
        rb_fmt(field, sizeof(field), "vulnerabilities[%d]", i);
        if (blank(v->cve) && blank(v->title))
            return rb_err(ei, RB_EINVAL, field, "%s: give its CVE id or a title", field);
        if (v->cve && v->cve[0] && !csaf_is_cve_id(v->cve))
            return rb_err(ei, RB_EINVAL, field, "%s.cve: a CVE id looks like CVE-2026-12345",
                          field);
        if (v->cvss_vector && v->cvss_vector[0]) {
            double score;
            const char *sev;
            if (advisory_cvss_base(v->cvss_vector, &score, &sev))
                return rb_err(ei, RB_EINVAL, field,
                              "%s.cvss_vector: not a CVSS v3.1 vector (like "
                              "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H)",
                              field);
        }
        if ((v->cwe_id && v->cwe_id[0]) != (v->cwe_name && v->cwe_name[0]))
            return rb_err(ei, RB_EINVAL, field, "%s: a CWE needs both cwe_id and cwe_name", field);
        if (v->cwe_id && v->cwe_id[0] &&
            (strncmp(v->cwe_id, "CWE-", 4) != 0 || !v->cwe_id[4] ||
             strspn(v->cwe_id + 4, "0123456789") != strlen(v->cwe_id + 4)))
            return rb_err(ei, RB_EINVAL, field, "%s.cwe_id: a CWE id looks like CWE-79", field);
    }
    for (int i = 0; i < in->nremediations; i++)
        if (blank(in->remediations[i].details))
            return rb_err(ei, RB_EINVAL, "remediations", "remediations[%d]: say what to do", i);
        else if (in->remediations[i].url && in->remediations[i].url[0] &&
                 !url_ok(in->remediations[i].url))
            return rb_err(ei, RB_EINVAL, "remediations",
                          "remediations[%d].url: an http(s):// address", i);
    for (int i = 0; i < in->nreferences; i++)
        if (!url_ok(in->references[i].url))
            return rb_err(ei, RB_EINVAL, "references", "references[%d].url: an http(s):// address",
                          i);
    return 0;
}

/* Writes in as the stored input JSON. */
static void input_write(rj_writer *w, const struct advisory_input *in)
{
    rjw_obj(w);
    rjw_kstr(w, "title", in->title);
    if (in->summary)
        rjw_kstr(w, "summary", in->summary);
    if (in->severity >= 0)
        rjw_kstr(w, "severity", adv_severity_names[in->severity]);
    const void *items[NLISTS] = {in->products, in->vulns, in->remediations, in->references};
    const int n[NLISTS] = {in->nproducts, in->nvulns, in->nremediations, in->nreferences};
    for (int k = 0; k < NLISTS; k++) {
        rjw_karr(w, lists[k].key);
        for (int i = 0; i < n[k]; i++) {
            const char *x = (const char *)items[k] + (size_t)i * lists[k].size;
            rjw_obj(w);
            for (size_t m = 0; m < RB_ARRAY_LEN(item_members); m++) {
                if (item_members[m].list != k)
                    continue;
                const char *s = *(const char *const *)(x + item_members[m].offset);
                if (s || item_members[m].required)
                    rjw_kstr(w, item_members[m].key, s);
            }
            rjw_obj_end(w);
        }
        rjw_arr_end(w);
    }
    rjw_obj_end(w);
}

/* The stored input of id, merged under in (what in gives wins) into *out. */
static int merge_stored(rb_write *w, const char *id, const struct advisory_input *in, rb_arena *a,
                        struct advisory_input *out, rb_errinfo *ei)
{
    char *json = NULL;
    int rc = db_query_text(w->db, "SELECT input FROM advisories WHERE id = ?1",
                           DB_ARGS(DB_TEXT(id)), a, &json);
    if (rc)
        return rc;
    if (!json)
        return rb_err(ei, RB_EINTERNAL, "", "the advisory keeps no author's input");
    cJSON *root = NULL;
    if (rj_parse(json, strlen(json), 8, &root, ei) != RJ_OK)
        return RB_EINTERNAL;
    if ((rc = rb_arena_defer(a, (void (*)(void *))cJSON_Delete, root)))
        return rc;
    advisory_input_init(out);
    if ((rc = advisory_input_read(root, a, out, ei)))
        return rc;
    if (in->title)
        out->title = in->title;
    if (in->summary)
        out->summary = in->summary;
    if (in->severity >= 0)
        out->severity = in->severity;
    if (in->nproducts >= 0)
        out->products = in->products, out->nproducts = in->nproducts;
    if (in->nvulns >= 0)
        out->vulns = in->vulns, out->nvulns = in->nvulns;
    if (in->nremediations >= 0)
        out->remediations = in->remediations, out->nremediations = in->nremediations;
    if (in->nreferences >= 0)
        out->references = in->references, out->nreferences = in->nreferences;
    out->revision_summary = in->revision_summary;
    out->material = in->material;
    return 0;
}

/* <SHORT>-<YEAR>-<NNNN> for a new advisory of the actor's org. */
static int tracking_id(rb_write *w, rb_arena *a, const char **out)
{
    rb_stmt *st = NULL;
    char prefix[24] = "", year[5], like[40], org_name[256] = "";
    rb_strlcpy(year, w->now, sizeof(year));
    int rc = db_query(w->db, "SELECT coalesce(short_name, ''), name FROM orgs WHERE id = ?1",
                      DB_ARGS(DB_TEXT(w->actor->org.id)), &st);
    if (rc)
        return rc;
    if ((rc = db_step(st)) == DB_ROW) {
        rb_strlcpy(prefix, db_col_text(st, 0), sizeof(prefix));
        rb_strlcpy(org_name, db_col_text(st, 1), sizeof(org_name));
    }
    db_done(st);
    if (rc < 0)
        return rc;
    size_t n = 0;
    if (!prefix[0]) /* the initials of the org's name */
        for (const char *p = org_name; *p && n < 10; p++)
            if (isalpha((unsigned char)*p) && (p == org_name || p[-1] == ' '))
                prefix[n++] = (char)toupper((unsigned char)*p);
    prefix[n ? n : strlen(prefix)] = '\0';
    n = 0;
    for (char *p = prefix; *p; p++)
        if (isalnum((unsigned char)*p))
            prefix[n++] = (char)toupper((unsigned char)*p);
    prefix[n] = '\0';
    if (!prefix[0])
        rb_strlcpy(prefix, "CERT", sizeof(prefix));
    rb_fmt(like, sizeof(like), "%s-%s-%%", prefix, year);
    int64_t count = 0;
    if ((rc = db_query_int(w->db,
                           "SELECT count(*) FROM advisories WHERE source = 'authored' AND "
                           "tracking_id LIKE ?1",
                           DB_ARGS(DB_TEXT(like)), &count)))
        return rc;
    char id[64];
    rb_fmt(id, sizeof(id), "%s-%s-%04lld", prefix, year, (long long)count + 1);
    *out = rb_arena_strdup(a, id);
    return *out ? 0 : RB_ENOMEM;
}

int advisory_doc_author(rb_write *w, const char *id, int rev, const struct advisory_input *given,
                        enum rb_tlp tlp, rb_arena *a, struct advisory_doc *out, rb_errinfo *ei)
{
    struct advisory_input merged;
    const struct advisory_input *in = given;
    int rc = 0;
    memset(out, 0, sizeof(*out));
    if (rev > 1) {
        if ((rc = merge_stored(w, id, given, a, &merged, ei)))
            return rc;
        in = &merged;
    }
    /* The scores of the vectors. */
    struct csaf_vuln_in *vulns = rb_arena_alloc(a, (size_t)(in->nvulns + 1) * sizeof(*vulns));
    if (!vulns)
        return RB_ENOMEM;
    double max = -1;
    for (int i = 0; i < in->nvulns; i++) {
        vulns[i] = in->vulns[i];
        if (vulns[i].cvss_vector && vulns[i].cvss_vector[0] &&
            !advisory_cvss_base(vulns[i].cvss_vector, &vulns[i].base_score,
                                &vulns[i].base_severity) &&
            vulns[i].base_score > max)
            max = vulns[i].base_score;
    }
    /* The revision history: the stored revisions, then this one. */
    struct csaf_revision_in *revs = rb_arena_alloc(a, (size_t)rev * sizeof(*revs));
    if (!revs)
        return RB_ENOMEM;
    rb_stmt *st = NULL;
    int nrev = 0;
    const char *initial = w->now;
    if (rev > 1) {
        if ((rc = db_query(w->db,
                           "SELECT version, created_at, summary FROM advisory_revisions WHERE "
                           "advisory_id = ?1 ORDER BY revision",
                           DB_ARGS(DB_TEXT(id)), &st)))
            return rc;
        while ((rc = db_step(st)) == DB_ROW && nrev < rev - 1) {
            revs[nrev].number = db_col_dup(st, 0, a);
            revs[nrev].date = db_col_dup(st, 1, a);
            revs[nrev].summary = db_col_dup(st, 2, a);
            nrev++;
        }
        db_done(st);
        if (rc < 0)
            return rc;
        if (nrev > 0)
            initial = revs[0].date;
    }
    char version[16];
    rb_fmt(version, sizeof(version), "%d", rev);
    revs[nrev].number = rb_arena_strdup(a, version);
    revs[nrev].date = w->now;
    revs[nrev].summary = rev == 1 ? "Initial version." : in->revision_summary;
    nrev++;
    const char *ns = NULL, *tid = NULL, *publisher = NULL;
    if ((rc = settings_namespace(w->db, a, &ns)))
        return rc;
    if (rev == 1)
        rc = tracking_id(w, a, &tid);
    else if (!(rc = db_query(w->db, "SELECT tracking_id FROM advisories WHERE id = ?1",
                             DB_ARGS(DB_TEXT(id)), &st))) {
        if ((rc = db_step(st)) == DB_ROW)
            tid = db_col_dup(st, 0, a);
        db_done(st);
        rc = rc < 0 ? rc : tid ? 0 : RB_ENOTFOUND;
    }
    if (rc)
        return rc;
    if (!(rc = db_query(w->db, "SELECT name FROM orgs WHERE id = ?1",
                        DB_ARGS(DB_TEXT(w->actor->org.id)), &st))) {
        if ((rc = db_step(st)) == DB_ROW)
            publisher = db_col_dup(st, 0, a);
        db_done(st);
        rc = rc < 0 ? rc : 0;
    }
    if (rc)
        return rc;
    int sev = in->severity >= 0 ? in->severity : max >= 0 ? severity_of_score(max) : ASEV_MEDIUM;
    static const char *const sev_text[] = {"Critical", "High", "Medium", "Low", "None"};
    struct csaf_author doc = {
        .title = in->title,
        .summary = in->summary,
        .publisher_name = publisher ? publisher : "rabta",
        .namespace_url = ns,
        .tracking_id = tid,
        .version = version,
        .initial_release = initial,
        .current_release = w->now,
        .revisions = revs,
        .nrevisions = nrev,
        .tlp = tlp,
        .severity_text = sev_text[sev],
        .engine_version = RABTA_VERSION,
        .products = in->products,
        .nproducts = in->nproducts,
        .vulns = vulns,
        .nvulns = in->nvulns,
        .remediations = in->remediations,
        .nremediations = in->nremediations > 0 ? in->nremediations : 0,
        .references = in->references,
        .nreferences = in->nreferences > 0 ? in->nreferences : 0,
    };
    rb_buf buf, ibuf;
    rb_buf_init(&buf, ADVISORY_DOC_MAX);
    rb_buf_init(&ibuf, ADVISORY_DOC_MAX);
    rj_writer jw;
    rjw_init(&jw, &buf);
    csaf_author_write(&jw, &doc);
    rc = rjw_finish(&jw);
    rj_writer iw;
    rjw_init(&iw, &ibuf);
    input_write(&iw, in);
    if (!rc)
        rc = rjw_finish(&iw);
    if (!rc) {
        out->doc = rb_arena_strndup(a, buf.ptr, buf.len);
        out->input = rb_arena_strndup(a, ibuf.ptr, ibuf.len);
        if (!out->doc || !out->input)
            rc = RB_ENOMEM;
    }
    rb_buf_release(&buf);
    rb_buf_release(&ibuf);
    if (rc)
        return rc == RB_ETOOBIG ? rb_err(ei, RB_ETOOBIG, "", "the advisory is too large") : rc;
    /* What the row keeps beside the document. */
    rb_buf cves, names;
    rb_buf_init(&cves, 4000);
    rb_buf_init(&names, 8000);
    for (int i = 0; i < in->nvulns; i++)
        if (in->vulns[i].cve && in->vulns[i].cve[0] && cves.len + 20 < cves.max)
            rb_buf_printf(&cves, "%s%s", cves.len ? " " : "", in->vulns[i].cve);
    for (int i = 0; i < in->nproducts; i++)
        if (names.len + 600 < names.max)
            rb_buf_printf(&names, "%s%s %s", names.len ? "; " : "", in->products[i].vendor,
                          in->products[i].product);
    out->cves = rb_arena_strdup(a, rb_buf_cstr(&cves));
    out->products = rb_arena_strdup(a, rb_buf_cstr(&names));
    rb_buf_release(&cves);
    rb_buf_release(&names);
    out->title = in->title;
    out->category = "csaf_security_advisory";
    out->tracking_id = tid;
    out->namespace_url = ns;
    out->publisher_name = doc.publisher_name;
    out->version = revs[nrev - 1].number;
    out->initial_release = initial;
    out->current_release = w->now;
    out->summary = in->summary;
    out->max_score = max;
    out->severity = sev;
    out->tlp = tlp;
    return out->cves && out->products && out->version ? 0 : RB_ENOMEM;
}
