/*
 * request.h - one HTTP request as handlers see it, and the helpers they answer with.
 *
 * A request owns an arena (everything a handler allocates dies with it), its body (capped), the
 * caller's identity once the router has authenticated it, and the response being built. Handlers
 * read input with req_query/req_body, call core, and answer with req_json_begin (req_list_begin)
 * or req_error/req_fail (req_check). They hold no SQL and never format JSON by hand.
 */
#ifndef RABTA_REQUEST_H
#define RABTA_REQUEST_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/mem.h"
#include "core/actor.h"
#include "core/auth.h"
#include "db/db.h"
#include "json/json.h"

#define REQ_BODY_MAX (1024 * 1024)            /* request bodies above 1 MiB get 413 */
#define REQ_LARGE_BODY_MAX (32 * 1024 * 1024) /* routes that take documents (OSCAL, CSAF) */
/* Response bodies. Larger than anything stored can need (docs/security.md, "Sizes"), so what is
 * stored can always be served. */
#define REQ_OUT_MAX (128 * 1024 * 1024)
#define REQ_ARENA_MAX (256 * 1024 * 1024) /* what the request reads, parses and answers */
#define REQ_JSON_DEPTH 32
#define REQ_MAX_PARAMS 2
#define REQ_SESSION_COOKIE "rabta_session" /* the cookie that carries a session */

struct MHD_Connection;
struct route;
struct rb_server;

typedef struct rb_req {
    struct rb_server *srv;
    struct MHD_Connection *conn;
    rb_db *db;
    rb_arena arena;
    char method[12];
    char *path;
    double t0;

    rb_buf body;
    bool body_too_big;
    bool answered; /* a response was queued before the body ended (too slow) */
    cJSON *json;   /* parsed body, released with the arena (rb_arena_defer) */

    const struct route *route;          /* matched when the headers arrived, or NULL */
    bool path_known;                    /* the path exists for other methods (405) */
    const char *params[REQ_MAX_PARAMS]; /* {id} segments of the matched route */

    /* Why core refused what the handler asked of it: handlers pass &r->ei to core and answer
     * with it (req_check). Zero, as rb_errinfo_clear leaves it, when the request starts. */
    rb_errinfo ei;

    bool authed;
    bool via_cookie;
    rb_actor actor;
    char csrf[AUTH_SECRET_SIZE];

    int status;
    rb_buf out;
    rj_writer w;
    const char *content_type;
    const unsigned char *static_body; /* an embedded asset, sent without copying */
    size_t static_len;
    char set_cookie[256];
    char retry_after[24];
    char disposition[1024]; /* Content-Disposition, for downloads */
    bool cache_ok;          /* static assets: allow revalidating caches */
    bool cookie_secure;     /* mark the session cookie Secure (served behind TLS) */
} rb_req;

/* A query-string argument, or NULL when absent, empty or holding an encoded NUL. */
const char *req_query(rb_req *r, const char *key);
/* A cookie sent with the request, or NULL. */
const char *req_cookie(rb_req *r, const char *name);
/* A request header, or NULL. */
const char *req_header(rb_req *r, const char *name);
/* For a CSV upload: true when the body fit its cap and its Content-Type is one a CSV file is sent
 * as (text/csv, text/plain, application/csv: spreadsheets and curl differ) or absent; else false
 * after answering 413 or 415 (the 415 says to send `what`: "the inventory as text/csv, ..."). */
bool req_csv_upload(rb_req *r, const char *what);

/* Parses the body as a JSON object whose members are all in `allowed` (NULL-terminated). On
 * failure the error response is already set and NULL is returned. */
const cJSON *req_body_json(rb_req *r, const char *const *allowed);

struct body_def;
/* Parses the body as def says (req_body_json with def's members) and reads it into out, which
 * must be def->size bytes (it is zeroed first). On failure the error response (4xx naming the
 * member) is already set and false is returned. */
bool req_body(rb_req *r, const struct body_def *def, void *out);
/* For a route that takes a JSON body (req_body_json's check, and that of the routes that take a
 * whole document, an OSCAL catalog or a CSAF advisory): false after answering 413 ("the <noun> is
 * larger than ...") when it passed the route's cap, or 415 ("send <what> as application/json") when
 * it is sent as another type. */
bool req_document(rb_req *r, const char *noun, const char *what);

/* Reads ?limit= (1..500, default 50) and ?cursor=. Returns false after setting a 422. */
bool req_page(rb_req *r, int *limit, const char **cursor);

/* Starts a JSON response with status; write the value with r->w. */
rj_writer *req_json_begin(rb_req *r, int status);
/* Starts a response of another shape (an export, a CSV, a file): sets status and content_type
 * (kept, not copied: it must live as long as the request) and returns r->out, emptied, for the
 * caller to fill. Past its cap (its sticky err) the server answers 413 instead. */
rb_buf *req_out_begin(rb_req *r, int status, const char *content_type);
/* REQ_DOCUMENT(name, content_type, call, ei) defines the handler `name` whose answer is the
 * document one call of core writes: 200 of content_type with req_out_begin's `out`, which `call`
 * (written with r and out) fills; call's error code is answered through req_check(r, rc, ei).
 * A function definition: no semicolon follows it. */
#define REQ_DOCUMENT(name, content_type, call, ei)                                                 \
    void name(rb_req *r)                                                                           \
    {                                                                                              \
        rb_buf *out = req_out_begin(r, 200, content_type);                                         \
        req_check(r, call, ei);                                                                    \
    }
/* A list response: req_list_begin writes {"items": [ and returns the writer for the items;
 * req_list_end closes it with "next_cursor" (NULL: the last page). */
rj_writer *req_list_begin(rb_req *r);
void req_list_end(rb_req *r, const char *next_cursor);
/* Answers a list function's failure; RB_EINVAL means the cursor is stale or not of this list. */
void req_list_fail(rb_req *r, int rc);

/* One member of an answer made of counts ({"rows": 12, "added": 10}). */
struct req_count {
    const char *name;
    size_t n;
};
/* Answers 200 with the object of the n counts, in order: what an import answers. */
void req_json_counts(rb_req *r, const struct req_count *counts, size_t n);

/* Empty response (204). */
void req_no_content(rb_req *r);
/* Answers 200 with a file as a download, never rendered in the page: Content-Disposition
 * attachment with an ASCII fallback name and the exact UTF-8 name (RFC 6266). */
void req_download(rb_req *r, const char *filename, const char *content_type, const void *data,
                  size_t len);
/* req_download of the CSV file csv named "<stem>-<today, UTC>.csv". */
void req_download_csv(rb_req *r, const char *stem, const rb_buf *csv);

/* {"error": {"code", "message", "field"?}} with status. */
void req_error(rb_req *r, int status, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Maps a core error code (and its errinfo, may be NULL) to the matching status and body. */
void req_fail(rb_req *r, int rc, const rb_errinfo *ei);
/* True when rc is 0; otherwise answers it with req_fail(r, rc, ei) and returns false. For the
 * handler's usual `if (!req_check(r, rc, &ei)) return;` after a call into core. */
bool req_check(rb_req *r, int rc, const rb_errinfo *ei);

#endif
