/*
 * csaf_author.c - the CSAF 2.0 document of an authored advisory (see csaf_author.h).
 *
 * Must never: write a document that fails a mandatory test for what the author gave, or label
 * AMBER+STRICT as plain AMBER without the restriction.
 */
#include "base/common.h"

#include <ctype.h>

#include "formats/csaf_author.h"

const char *const csaf_remediation_categories[] = {
    "mitigation", "no_fix_planned", "none_available", "vendor_fix", "workaround", NULL,
};

const char *csaf_tlp_text(enum rb_tlp tlp)
{
    if (tlp == TLP_AMBER_STRICT)
        return "TLP:AMBER+STRICT: share only within the recipient organisation, not with its "
               "clients or constituents (TLP 2.0). CSAF 2.0 has no AMBER+STRICT label, so the "
               "label below is AMBER.";
    return NULL;
}

void csaf_file_name(const char *tracking_id, char *out, size_t size)
{
    size_t n = 0;
    bool run = false;
    for (const char *p = tracking_id; *p && n + 6 < size; p++) {
        char c = (char)tolower((unsigned char)*p);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-') {
            out[n++] = c;
            run = false;
        } else if (!run) {
            out[n++] = '_';
            run = true;
        }
    }
    rb_strlcpy(out + n, ".json", size - n);
}

static void product_id(char out[32], int i)
{
    rb_fmt(out, 32, "CSAFPID-%04d", i + 1);
}

static bool same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static void write_leaf(rj_writer *w, const struct csaf_product_in *p, int i)
{
    char pid[32], name[1200];
    product_id(pid, i);
    const char *ver = p->version && p->version[0] ? p->version : NULL;
    const char *range = !ver && p->version_range && p->version_range[0] ? p->version_range : NULL;
    rjw_obj(w);
    rjw_kstr(w, "category", range ? "product_version_range" : "product_version");
    rjw_kstr(w, "name", range ? range : ver ? ver : "all versions");
    rjw_kobj(w, "product");
    rb_fmt(name, sizeof(name), "%s %s %s", p->vendor, p->product,
           range ? range
           : ver ? ver
                 : "all versions");
    rjw_kstr(w, "name", name);
    rjw_kstr(w, "product_id", pid);
    if ((p->cpe && p->cpe[0]) || (p->purl && p->purl[0])) {
        rjw_kobj(w, "product_identification_helper");
        if (p->cpe && p->cpe[0])
            rjw_kstr(w, "cpe", p->cpe);
        if (p->purl && p->purl[0])
            rjw_kstr(w, "purl", p->purl);
        rjw_obj_end(w);
    }
    rjw_obj_end(w);
    rjw_obj_end(w);
}

/* Opens a branch {category, name, branches: [ ...; close_branch closes it. */
static void open_branch(rj_writer *w, const char *category, const char *name)
{
    rjw_obj(w);
    rjw_kstr(w, "category", category);
    rjw_kstr(w, "name", name);
    rjw_karr(w, "branches");
}

static void close_branch(rj_writer *w)
{
    rjw_arr_end(w);
    rjw_obj_end(w);
}

/* A "notes" member of one note. */
static void write_note(rj_writer *w, const char *category, const char *text, const char *title)
{
    rjw_karr(w, "notes");
    rjw_obj(w);
    rjw_kstr(w, "category", category);
    rjw_kstr(w, "text", text);
    rjw_kstr(w, "title", title);
    rjw_obj_end(w);
    rjw_arr_end(w);
}

/* Vendors, then products, in order of first appearance; leaves in input order. Quadratic in the
 * products, which an author gives a few hundred of at most. */
static void write_tree(rj_writer *w, const struct csaf_author *d)
{
    rjw_kobj(w, "product_tree");
    rjw_karr(w, "branches");
    for (int i = 0; i < d->nproducts; i++) {
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = same(d->products[j].vendor, d->products[i].vendor);
        if (seen)
            continue;
        open_branch(w, "vendor", d->products[i].vendor);
        for (int k = i; k < d->nproducts; k++) {
            if (!same(d->products[k].vendor, d->products[i].vendor))
                continue;
            bool pseen = false;
            for (int j = i; j < k && !pseen; j++)
                pseen = same(d->products[j].vendor, d->products[i].vendor) &&
                        same(d->products[j].product, d->products[k].product);
            if (pseen)
                continue;
            open_branch(w, "product_name", d->products[k].product);
            for (int m = k; m < d->nproducts; m++)
                if (same(d->products[m].vendor, d->products[k].vendor) &&
                    same(d->products[m].product, d->products[k].product))
                    write_leaf(w, &d->products[m], m);
            close_branch(w);
        }
        close_branch(w);
    }
    rjw_arr_end(w);
    rjw_obj_end(w);
}

static void write_all_products(rj_writer *w, const char *key, int n)
{
    char pid[32];
    rjw_karr(w, key);
    for (int i = 0; i < n; i++) {
        product_id(pid, i);
        rjw_str(w, pid);
    }
    rjw_arr_end(w);
}

static void write_vuln(rj_writer *w, const struct csaf_author *d, const struct csaf_vuln_in *v)
{
    rjw_obj(w);
    if (v->cve && v->cve[0])
        rjw_kstr(w, "cve", v->cve);
    if (v->cwe_id && v->cwe_id[0] && v->cwe_name && v->cwe_name[0]) {
        rjw_kobj(w, "cwe");
        rjw_kstr(w, "id", v->cwe_id);
        rjw_kstr(w, "name", v->cwe_name);
        rjw_obj_end(w);
    }
    write_note(w, "description",
               v->description && v->description[0] ? v->description
               : v->title && v->title[0]           ? v->title
                                                   : d->title,
               "Vulnerability description");
    rjw_kobj(w, "product_status");
    write_all_products(w, "known_affected", d->nproducts);
    rjw_obj_end(w);
    if (d->nremediations > 0) {
        rjw_karr(w, "remediations");
        for (int i = 0; i < d->nremediations; i++) {
            const struct csaf_remediation_in *r = &d->remediations[i];
            rjw_obj(w);
            rjw_kstr(w, "category", r->category);
            rjw_kstr(w, "details", r->details);
            write_all_products(w, "product_ids", d->nproducts);
            if (r->url && r->url[0])
                rjw_kstr(w, "url", r->url);
            rjw_obj_end(w);
        }
        rjw_arr_end(w);
    }
    if (v->cvss_vector && v->cvss_vector[0] && v->base_severity) {
        rjw_karr(w, "scores");
        rjw_obj(w);
        rjw_kobj(w, "cvss_v3");
        rjw_kstr(w, "version", "3.1");
        rjw_kstr(w, "vectorString", v->cvss_vector);
        rjw_key(w, "baseScore");
        rjw_double(w, v->base_score);
        rjw_kstr(w, "baseSeverity", v->base_severity);
        rjw_obj_end(w);
        write_all_products(w, "products", d->nproducts);
        rjw_obj_end(w);
        rjw_arr_end(w);
    }
    if (v->title && v->title[0])
        rjw_kstr(w, "title", v->title);
    rjw_obj_end(w);
}

static void write_document(rj_writer *w, const struct csaf_author *d)
{
    rjw_kobj(w, "document");
    if (d->severity_text) {
        rjw_kobj(w, "aggregate_severity");
        rjw_kstr(w, "text", d->severity_text);
        rjw_obj_end(w);
    }
    rjw_kstr(w, "category", "csaf_security_advisory");
    rjw_kstr(w, "csaf_version", "2.0");
    rjw_kobj(w, "distribution");
    if (csaf_tlp_text(d->tlp))
        rjw_kstr(w, "text", csaf_tlp_text(d->tlp));
    rjw_kobj(w, "tlp");
    rjw_kstr(w, "label", tlp_info(d->tlp)->csaf_label);
    rjw_kstr(w, "url", "https://www.first.org/tlp/");
    rjw_obj_end(w);
    rjw_obj_end(w);
    rjw_kstr(w, "lang", d->lang ? d->lang : "en");
    write_note(w, "summary", d->summary && d->summary[0] ? d->summary : d->title, "Summary");
    rjw_kobj(w, "publisher");
    rjw_kstr(w, "category", "coordinator");
    rjw_kstr(w, "name", d->publisher_name);
    rjw_kstr(w, "namespace", d->namespace_url);
    rjw_obj_end(w);
    if (d->nreferences > 0) {
        rjw_karr(w, "references");
        for (int i = 0; i < d->nreferences; i++) {
            rjw_obj(w);
            rjw_kstr(w, "category", "external");
            rjw_kstr(w, "summary",
                     d->references[i].summary && d->references[i].summary[0]
                         ? d->references[i].summary
                         : d->references[i].url);
            rjw_kstr(w, "url", d->references[i].url);
            rjw_obj_end(w);
        }
        rjw_arr_end(w);
    }
    rjw_kstr(w, "title", d->title);
    rjw_kobj(w, "tracking");
    rjw_kstr(w, "current_release_date", d->current_release);
    rjw_kobj(w, "generator");
    rjw_kobj(w, "engine");
    rjw_kstr(w, "name", "rabta");
    if (d->engine_version)
        rjw_kstr(w, "version", d->engine_version);
    rjw_obj_end(w);
    rjw_obj_end(w);
    rjw_kstr(w, "id", d->tracking_id);
    rjw_kstr(w, "initial_release_date", d->initial_release);
    rjw_karr(w, "revision_history");
    for (int i = 0; i < d->nrevisions; i++) {
        rjw_obj(w);
        rjw_kstr(w, "date", d->revisions[i].date);
        rjw_kstr(w, "number", d->revisions[i].number);
        rjw_kstr(w, "summary",
                 d->revisions[i].summary && d->revisions[i].summary[0] ? d->revisions[i].summary
                 : i == 0                                              ? "Initial version."
                                                                       : "Revised.");
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
    rjw_kstr(w, "status", "final");
    rjw_kstr(w, "version", d->version);
    rjw_obj_end(w);
    rjw_obj_end(w);
}

void csaf_author_write(rj_writer *w, const struct csaf_author *d)
{
    rjw_obj(w);
    write_document(w, d);
    write_tree(w, d);
    rjw_karr(w, "vulnerabilities");
    for (int i = 0; i < d->nvulns; i++)
        write_vuln(w, d, &d->vulns[i]);
    rjw_arr_end(w);
    rjw_obj_end(w);
}
