/*
 * csaf_provider.c - the CSAF directory distribution of TLP:CLEAR advisories (see
 * csaf_provider.h).
 *
 * Must never serve what an anonymous caller may not read.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "core/advisory.h"
#include "core/advisory_doc.h"
#include "core/csaf_provider.h"
#include "core/csaf_sign.h"
#include "core/kind.h"
#include "json/json.h"

/* The published TLP:CLEAR advisories an anonymous caller reads (bound by policy_bind_actor with
 * no actor). */
#define PUBLIC_WHERE "o.tlp = 'CLEAR' AND o.status = 'published' AND " ADVISORY_SQL_READABLE

static int public_query(rb_db *db, const char *sql, rb_stmt **st)
{
    int rc = db_prepare(db, sql, st);
    if (!rc)
        policy_bind_actor(*st, NULL, &kind_advisory);
    return rc;
}

int csaf_provider_metadata(rb_db *db, const char *base, rb_arena *a, rb_buf *out)
{
    rb_stmt *st = NULL;
    char *name = NULL, *ns = NULL, *updated = NULL;
    int rc = public_query(db,
                          "SELECT (SELECT name FROM orgs WHERE parent_id IS NULL), "
                          "coalesce((SELECT value FROM settings WHERE key = 'namespace'), "
                          "'urn:rabta:' || (SELECT id FROM orgs WHERE parent_id IS NULL)), "
                          "(SELECT max(o.updated_at) FROM advisories o WHERE " PUBLIC_WHERE ")",
                          &st);
    if (rc)
        return rc;
    if ((rc = db_step(st)) == DB_ROW) {
        name = db_col_dup(st, 0, a);
        ns = db_col_dup(st, 1, a);
        updated = db_col_dup(st, 2, a);
    }
    db_done(st);
    if (rc < 0)
        return rc;
    char now[RB_TIME_SIZE], url[600];
    rb_time_format(rb_now(), now);
    rj_writer w;
    rjw_init(&w, out);
    rjw_obj(&w);
    rb_fmt(url, sizeof(url), "%s/.well-known/csaf/provider-metadata.json", base);
    rjw_kstr(&w, "canonical_url", url);
    rjw_key(&w, "distributions");
    rjw_arr(&w);
    rjw_obj(&w);
    rb_fmt(url, sizeof(url), "%s/.well-known/csaf/clear/", base);
    rjw_kstr(&w, "directory_url", url);
    rjw_obj_end(&w);
    rjw_arr_end(&w);
    rjw_kstr(&w, "last_updated", updated ? updated : now);
    rjw_kbool(&w, "list_on_CSAF_aggregators", true);
    rjw_kstr(&w, "metadata_version", "2.0");
    rjw_kbool(&w, "mirror_on_CSAF_aggregators", true);
    rjw_key(&w, "publisher");
    rjw_obj(&w);
    rjw_kstr(&w, "category", "coordinator");
    rjw_kstr(&w, "name", name ? name : "rabta");
    rjw_kstr(&w, "namespace", ns ? ns : "urn:rabta");
    rjw_obj_end(&w);
    if (csaf_sign_key()) {
        rjw_key(&w, "public_openpgp_keys");
        rjw_arr(&w);
        rjw_obj(&w);
        rjw_kstr(&w, "fingerprint", csaf_sign_key());
        rb_fmt(url, sizeof(url), "%s/.well-known/csaf/openpgp/%s.asc", base, csaf_sign_key());
        rjw_kstr(&w, "url", url);
        rjw_obj_end(&w);
        rjw_arr_end(&w);
    }
    rjw_kstr(&w, "role", "csaf_provider");
    rjw_obj_end(&w);
    return rjw_finish(&w);
}

/* Each public document's path and current release, newest first or by path. */
static int each_line(rb_db *db, bool changes, rb_buf *out)
{
    rb_stmt *st = NULL;
    int rc = public_query(db,
                          changes ? "SELECT substr(o.initial_release, 1, 4) || '/' || o.file_name, "
                                    "o.current_release FROM advisories o WHERE " PUBLIC_WHERE
                                    " ORDER BY o.current_release DESC, o.file_name"
                                  : "SELECT substr(o.initial_release, 1, 4) || '/' || o.file_name, "
                                    "o.current_release FROM advisories o WHERE " PUBLIC_WHERE
                                    " ORDER BY 1",
                          &st);
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (changes)
            rb_buf_printf(out, "\"%s\",\"%s\"\n", db_col_text(st, 0), db_col_text(st, 1));
        else
            rb_buf_printf(out, "%s\n", db_col_text(st, 0));
    }
    db_done(st);
    return rc < 0 ? rc : out->err;
}

int csaf_provider_index(rb_db *db, rb_arena *a, rb_buf *out)
{
    RB_UNUSED(a);
    return each_line(db, false, out);
}

int csaf_provider_changes(rb_db *db, rb_arena *a, rb_buf *out)
{
    RB_UNUSED(a);
    return each_line(db, true, out);
}

static bool ends_with(const char *s, size_t n, const char *tail)
{
    size_t t = strlen(tail);
    return n >= t && memcmp(s + n - t, tail, t) == 0;
}

int csaf_provider_file(rb_db *db, const char *year, const char *name, rb_arena *a, rb_buf *out,
                       enum csaf_file_kind *kind)
{
    size_t n = strlen(name);
    char file[300];
    *kind = CSAF_FILE_JSON;
    if (ends_with(name, n, ".json.sha256"))
        *kind = CSAF_FILE_SHA256, n -= 7;
    else if (ends_with(name, n, ".json.sha512"))
        *kind = CSAF_FILE_SHA512, n -= 7;
    else if (ends_with(name, n, ".json.asc") && csaf_sign_key())
        *kind = CSAF_FILE_ASC, n -= 4;
    else if (!ends_with(name, n, ".json"))
        return RB_ENOTFOUND;
    if (n >= sizeof(file) || strlen(year) != 4)
        return RB_ENOTFOUND;
    memcpy(file, name, n);
    file[n] = '\0';
    rb_stmt *st = NULL;
    char *doc = NULL;
    int rc = public_query(db,
                          "SELECT o.doc FROM advisories o WHERE o.file_name = ?1 AND "
                          "substr(o.initial_release, 1, 4) = ?2 AND " PUBLIC_WHERE,
                          &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, file);
    db_bind_text(st, 2, year);
    if ((rc = db_text(st, a, &doc)))
        return rc;
    if (!doc)
        return RB_ENOTFOUND;
    if (*kind == CSAF_FILE_JSON)
        return advisory_doc_serve(doc, strlen(doc), TLP_CLEAR, a, out);
    rb_buf body;
    rb_buf_init(&body, ADVISORY_DOC_MAX + 4096);
    rc = advisory_doc_serve(doc, strlen(doc), TLP_CLEAR, a, &body);
    if (!rc) {
        if (*kind == CSAF_FILE_ASC) {
            rc = csaf_sign(body.ptr, body.len, out);
        } else if (*kind == CSAF_FILE_SHA256) {
            char hex[RB_SHA256_HEX_SIZE];
            rb_sha256_hex(body.ptr, body.len, hex);
            rb_buf_printf(out, "%s  %s\n", hex, file);
        } else {
            char hex[RB_SHA512_HEX_SIZE];
            rb_sha512_hex(body.ptr, body.len, hex);
            rb_buf_printf(out, "%s  %s\n", hex, file);
        }
        if (!rc)
            rc = out->err;
    }
    rb_buf_release(&body);
    return rc;
}

int csaf_provider_key(const char *name, rb_buf *out)
{
    const char *fpr = csaf_sign_key();
    size_t n = fpr ? strlen(fpr) : 0;
    if (!fpr || strncasecmp(name, fpr, n) != 0 || strcmp(name + n, ".asc") != 0)
        return RB_ENOTFOUND;
    return csaf_sign_public_key(out);
}
