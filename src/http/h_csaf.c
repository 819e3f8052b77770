/* h_csaf.c - the CSAF provider routes (core/csaf_provider): public, read-only. */
#include "base/common.h"
#include "core/csaf_provider.h"
#include "core/notify.h"
#include "http/router.h"

/* The address the caller reached rabta at: the operator's --public-url, else http://<Host>. */
static void base_url(rb_req *r, char *out, size_t size)
{
    const struct notify_config *nc = notify_config();
    if (nc && nc->public_url[0]) {
        rb_strlcpy(out, nc->public_url, size);
        return;
    }
    const char *host = req_header(r, "Host");
    bool ok = host && host[0] && strlen(host) < 200 && !strpbrk(host, " \t\r\n/\\\"<>");
    rb_fmt(out, size, "http://%s", ok ? host : "localhost");
}

void h_csaf_metadata(rb_req *r)
{
    char base[300];
    base_url(r, base, sizeof(base));
    rb_buf *out = req_out_begin(r, 200, "application/json");
    req_check(r, csaf_provider_metadata(r->db, base, &r->arena, out), NULL);
}

REQ_DOCUMENT(h_csaf_index, "text/plain; charset=utf-8", csaf_provider_index(r->db, &r->arena, out),
             NULL)

REQ_DOCUMENT(h_csaf_changes, "text/csv; charset=utf-8",
             csaf_provider_changes(r->db, &r->arena, out), NULL)

REQ_DOCUMENT(h_csaf_key, "application/pgp-keys", csaf_provider_key(r->params[0], out), NULL)

void h_csaf_file(rb_req *r)
{
    enum csaf_file_kind kind;
    const char *name = r->params[1];
    size_t n = strlen(name);
    bool hash =
        n > 7 && (strcmp(name + n - 7, ".sha256") == 0 || strcmp(name + n - 7, ".sha512") == 0);
    bool asc = n > 4 && strcmp(name + n - 4, ".asc") == 0;
    rb_buf *out = req_out_begin(r, 200,
                                asc    ? "application/pgp-signature"
                                : hash ? "text/plain; charset=utf-8"
                                       : "application/json");
    req_check(r, csaf_provider_file(r->db, r->params[0], name, &r->arena, out, &kind), NULL);
}
