/*
 * server.c - libmicrohttpd glue: request lifecycle, authentication middleware, responses.
 *
 * libmicrohttpd calls the handler first with only the headers (we allocate the request), then
 * with each body chunk, then once more with no data: only then do we dispatch and respond. The
 * body is capped (REQ_BODY_MAX): past the cap it is read and dropped, and the request gets 413.
 * Each worker thread opens its own database connection on first use; all are closed at shutdown.
 */
#include "base/common.h"
#include "base/utf8.h"
#include "base/crypto.h"
#include "base/log.h"
#include "base/rtime.h"
#include "http/router.h"
#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#define CONN_MEMORY_LIMIT (64 * 1024) /* headers + per-connection buffers */
#define CONN_TIMEOUT_S 30             /* idle or slow requests are cut after this */
#define MAX_DB_CONNS 256

struct rb_server {
    const struct server_options *opt;
    pthread_mutex_t lock;
    rb_db *dbs[MAX_DB_CONNS];
    int ndbs;
};

static _Thread_local rb_db *tl_db;

static rb_db *thread_db(struct rb_server *s)
{
    if (tl_db)
        return tl_db;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    rb_db *db = NULL;
    if (db_open(s->opt->db_path, 0, &db, &ei)) {
        rb_log(RB_LOG_ERROR, "worker cannot open the database: %s", ei.msg);
        return NULL;
    }
    pthread_mutex_lock(&s->lock);
    if (s->ndbs < MAX_DB_CONNS) {
        s->dbs[s->ndbs++] = db;
        tl_db = db;
    }
    pthread_mutex_unlock(&s->lock);
    if (!tl_db)
        db_close(db);
    return tl_db;
}

static bool authenticate(rb_req *r);

static int body_seconds(const struct rb_server *s)
{
    return s->opt->body_seconds > 0 ? s->opt->body_seconds : SERVER_BODY_SECONDS;
}

static rb_req *req_new(struct rb_server *s, struct MHD_Connection *c, const char *method,
                       const char *url)
{
    rb_req *r = rb_calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->srv = s;
    r->conn = c;
    r->cookie_secure = s->opt->cookie_secure;
    r->t0 = rb_mono_ms();
    rb_arena_init(&r->arena, REQ_ARENA_MAX);
    rb_buf_init(&r->body, REQ_BODY_MAX);
    rb_buf_init(&r->out, REQ_OUT_MAX);
    rb_strlcpy(r->method, method, sizeof(r->method));
    r->path = rb_arena_strdup(&r->arena, url);
    /* Match the route now: it decides how large a body may be. */
    if (r->path) {
        r->route = router_match(r, r->method, r->path, &r->path_known);
        /* Large documents are buffered only for a caller already known: authenticate now. */
        if (r->route && (r->route->flags & ROUTE_LARGE_BODY) && (r->db = thread_db(s)) &&
            authenticate(r))
            r->body.max = REQ_LARGE_BODY_MAX;
    }
    return r;
}

static void req_free(rb_req *r)
{
    rb_buf_release(&r->body);
    rb_buf_release(&r->out);
    rb_arena_release(&r->arena);
    rb_free(r);
}

static bool is_write(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

/* Authenticates from "Authorization: Bearer" or the session cookie. Sets the error response and
 * returns false when the route needs a caller and there is none, or a cookie write lacks its
 * CSRF token. */
static bool authenticate(rb_req *r)
{
    const char *authz = req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
    if (authz) {
        if (strncasecmp(authz, "Bearer ", 7) != 0 || auth_token(r->db, authz + 7, &r->actor)) {
            req_error(r, 401, "unauthenticated", NULL,
                      "the bearer token is unknown, expired or revoked");
            return false;
        }
        r->authed = true;
        return true;
    }
    const char *cookie = req_cookie(r, REQ_SESSION_COOKIE);
    if (!cookie || auth_session(r->db, cookie, &r->actor, r->csrf)) {
        req_error(r, 401, "unauthenticated", NULL,
                  "sign in (POST /api/v1/session) or send Authorization: Bearer <token>");
        return false;
    }
    /* The caller counts as authenticated only once the CSRF check has passed too: this function
     * may run when the headers arrive, and dispatch trusts r->authed afterwards. */
    if (is_write(r->method)) {
        const char *t = req_header(r, "X-CSRF-Token");
        if (!t || !rb_ct_streq(t, r->csrf)) {
            req_error(r, 403, "csrf_failed", NULL,
                      "cookie-authenticated writes need the X-CSRF-Token header from sign-in");
            return false;
        }
    }
    r->authed = true;
    r->via_cookie = true;
    return true;
}

static void dispatch(rb_req *r)
{
    if (!r->path) {
        req_error(r, 500, "internal", NULL, "out of memory");
        return;
    }
    const struct route *rt = r->route;
    if (!rt) {
        if (r->path_known)
            req_error(r, 405, "method_not_allowed", NULL, "%s is not allowed on %.*s",
                      r->method, RB_CUT(r->path, 200));
        else
            req_error(r, 404, "not_found", NULL, "no such route: %.*s", RB_CUT(r->path, 200));
        return;
    }
    if (rt->flags & ROUTE_AUTH || strncmp(r->path, "/api/", 5) == 0 ||
        strncmp(r->path, "/.well-known/", 13) == 0) {
        r->db = thread_db(r->srv);
        if (!r->db) {
            req_error(r, 503, "unavailable", NULL, "the database is unavailable; try again");
            return;
        }
    }
    /* Reads see one snapshot and lock the database file once per request, not per statement. */
    bool snapshot = r->db && !is_write(r->method) && db_read_begin(r->db) == 0;
    if (((rt->flags & ROUTE_AUTH) && !r->authed && !authenticate(r)) || !router_admit(r, rt)) {
        if (snapshot)
            db_read_end(r->db);
        return;
    }
    rt->handler(r);
    if (snapshot)
        db_read_end(r->db);
    if (r->status == 0)
        req_error(r, 500, "internal", NULL, "the handler gave no answer");
    if (r->out.err) /* the writer hit its cap or a bug */
        req_error(r, r->out.err == RB_ETOOBIG ? 413 : 500,
                  r->out.err == RB_ETOOBIG ? "too_large" : "internal", NULL,
                  r->out.err == RB_ETOOBIG ? "the answer is too large; narrow the request"
                                           : "the response could not be built");
}

static void add_security_headers(struct MHD_Response *resp, bool api, bool cache_ok)
{
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self'; "
                            "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Cache-Control", api || !cache_ok ? "no-store" : "no-cache");
}

static enum MHD_Result respond(rb_req *r)
{
    struct MHD_Response *resp;
    if (r->static_body)
        resp = MHD_create_response_from_buffer(r->static_len, (void *)r->static_body,
                                               MHD_RESPMEM_PERSISTENT);
    else
        resp = MHD_create_response_from_buffer(r->out.len, r->out.ptr ? r->out.ptr : (char *)"",
                                               MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    if (r->content_type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    add_security_headers(resp, strncmp(r->path ? r->path : "", "/api/", 5) == 0, r->cache_ok);
    if (r->set_cookie[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->set_cookie);
    if (r->disposition[0])
        MHD_add_response_header(resp, "Content-Disposition", r->disposition);
    if (r->retry_after[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, r->retry_after);
    enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **con_cls)
{
    (void)version;
    rb_req *r = *con_cls;
    if (!r) {
        r = req_new(cls, c, method, url);
        if (!r)
            return MHD_NO;
        *con_cls = r;
        return MHD_YES;
    }
    if (*data_size) {
        size_t n = *data_size;
        *data_size = 0;
        if (r->answered)
            return MHD_YES; /* already answered (timed out): drop the rest */
        if (rb_mono_ms() - r->t0 > 1000.0 * body_seconds(r->srv)) {
            /* Too slow in all: answer now; libmicrohttpd closes the connection after it. */
            req_error(r, 408, "request_timeout", NULL,
                      "the request body took longer than %d seconds to arrive; send it again "
                      "on a faster connection",
                      body_seconds(r->srv));
            r->answered = true;
            return respond(r);
        }
        if (!r->body_too_big && rb_buf_add(&r->body, data, n))
            r->body_too_big = true;
        return MHD_YES;
    }
    if (r->answered)
        return MHD_YES;
    dispatch(r);
    return respond(r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    (void)toe;
    struct rb_server *s = cls;
    rb_req *r = *con_cls;
    if (!r)
        return;
    if (s->opt->access_log) {
        /* The path is attacker-chosen and already %-decoded: escape what could forge a line. */
        char path[256];
        size_t o = 0;
        for (const char *p = r->path ? r->path : "-"; *p && o + 5 < sizeof(path); p++) {
            unsigned char ch = (unsigned char)*p;
            if (ch < 0x20 || ch == 0x7f || ch == ' ' || ch == '\\') {
                snprintf(path + o, sizeof(path) - o, "\\x%02x", ch);
                o += 4;
            } else {
                path[o++] = (char)ch;
            }
        }
        path[o] = '\0';
        rb_log(RB_LOG_INFO, "%s %s %d %.1fms %s", r->method, path, r->status,
               rb_mono_ms() - r->t0, r->authed ? r->actor.email : "-");
    }
    req_free(r);
    *con_cls = NULL;
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, rb_errinfo *ei)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof(host))
        return rb_err(ei, RB_EINVAL, "listen", "--listen must be ADDR:PORT, e.g. 127.0.0.1:8080");
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    int64_t port;
    if (rb_parse_int64(colon + 1, 0, 65535, &port))
        return rb_err(ei, RB_EINVAL, "listen", "the port in --listen must be 0 to 65535");
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (host[0] == '\0' || strcmp(host, "localhost") == 0)
        rb_strlcpy(host, "127.0.0.1", sizeof(host));
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return rb_err(ei, RB_EINVAL, "listen", "--listen address must be an IPv4 address");
    return 0;
}

int server_run(const struct server_options *opt, rb_errinfo *ei)
{
    struct sockaddr_in sa;
    int rc = parse_listen(opt->listen, &sa, ei);
    if (rc)
        return rc;
    struct rb_server s;
    memset(&s, 0, sizeof(s));
    s.opt = opt;
    pthread_mutex_init(&s.lock, NULL);

    /* Block the stop signals in every thread; this one waits for them with sigwait. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = (unsigned)(opt->threads > 0 ? opt->threads : (ncpu > 0 ? ncpu : 2));
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO, 0, NULL, NULL,
        on_request, &s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)CONN_MEMORY_LIMIT, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONN_TIMEOUT_S,
        MHD_OPTION_CONNECTION_LIMIT, 1000u, MHD_OPTION_NOTIFY_COMPLETED, on_completed, &s,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
    if (!d) {
        pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
        pthread_mutex_destroy(&s.lock);
        return rb_err(ei, RB_EIO, "listen", "cannot listen on %s (in use, or not an address here?)",
                      opt->listen);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char addr[INET_ADDRSTRLEN], url[128];
    inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof(addr));
    snprintf(url, sizeof(url), "http://%s:%u", addr, info ? (unsigned)info->port : 0u);
    rb_log(RB_LOG_INFO, "rabta listening on %s (%u threads, database %s)", url, threads,
           opt->db_path);
    if (opt->on_ready)
        opt->on_ready(url, opt->ctx);

    int sig = 0;
    sigwait(&stop, &sig);
    rb_log(RB_LOG_INFO, "received %s, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
    MHD_stop_daemon(d);
    for (int i = 0; i < s.ndbs; i++)
        db_close(s.dbs[i]);
    pthread_mutex_destroy(&s.lock);
    pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
    rb_log(RB_LOG_INFO, "stopped");
    return 0;
}
