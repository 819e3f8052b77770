/*
 * server.h - the HTTP server: libmicrohttpd with a thread pool, one database connection per
 * worker thread, caps on every input, security headers on every response, an access-log line per
 * request on stderr.
 */
#ifndef RABTA_SERVER_H
#define RABTA_SERVER_H

#include <stdbool.h>

#include "base/err.h"

/* A request's body must arrive within this many seconds of its headers (the idle timeout alone
 * would let a client that sends a byte now and then hold a write open for ever). */
#define SERVER_BODY_SECONDS 120

struct server_options {
    const char *db_path;
    const char *listen;      /* "ADDR:PORT"; port 0 picks a free one */
    int threads;             /* 0: one per CPU */
    int body_seconds;        /* the most a request body may take in all; 0: SERVER_BODY_SECONDS */
    bool access_log;         /* one line per request on stderr */
    bool cookie_secure;      /* add Secure to the session cookie (behind TLS) */
    void (*on_ready)(const char *url, void *ctx); /* called once listening */
    void *ctx;
};

/* Serves until SIGINT or SIGTERM, then stops cleanly. Returns 0, or an error with ei->msg. */
int server_run(const struct server_options *opt, rb_errinfo *ei);

#endif
