/*
 * csaf_fetch.c - importing from a CSAF directory distribution by URL (see csaf_fetch.h).
 *
 * Must never: follow a URL that is not http(s), read past a cap, or move last_release past an
 * entry that was not handled.
 */
#include "base/common.h"

#include <curl/curl.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/rtime.h"
#include "core/advisory.h"
#include "core/csaf_fetch.h"
#include "core/write.h"

#define LIST_MAX ((size_t)16 << 20)
#define ENTRIES_MAX 20000
#define REQUEST_SECONDS 30L

static size_t into_buf(char *p, size_t size, size_t n, void *ctx)
{
    rb_buf *b = ctx;
    return rb_buf_add(b, p, size * n) == 0 ? size * n : 0;
}

/* GET url into b (its cap is the most bytes). Returns 0, RB_ENOTFOUND for a 404, RB_ETOOBIG, or
 * RB_EIO with why. */
static int get(const char *url, rb_buf *b, char *why, size_t why_size)
{
    CURL *h = curl_easy_init();
    if (!h)
        return RB_ENOMEM;
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, REQUEST_SECONDS);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "rabta");
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, into_buf);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
    CURLcode cc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    if (b->err == RB_ETOOBIG) {
        rb_fmt(why, why_size, "larger than %zu bytes", b->max);
        return RB_ETOOBIG;
    }
    if (cc != CURLE_OK) {
        rb_fmt(why, why_size, "%s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
        return RB_EIO;
    }
    if (status == 404)
        return RB_ENOTFOUND;
    if (status != 200) {
        rb_fmt(why, why_size, "the server answered HTTP %ld", status);
        return RB_EIO;
    }
    return 0;
}

struct entry {
    char *path, *when; /* when: "" for index.txt */
};

/* Splits one line of changes.csv ("path","time" or path,time) or index.txt (path). */
static bool parse_line(char *line, struct entry *e)
{
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
        line[--n] = '\0';
    if (!n)
        return false;
    char *comma = strchr(line, ',');
    e->when = "";
    if (comma) {
        *comma = '\0';
        e->when = comma + 1;
    }
    e->path = line;
    for (char **f = &e->path; f; f = f == &e->path ? &e->when : NULL) {
        size_t l = strlen(*f);
        if (l >= 2 && (*f)[0] == '"' && (*f)[l - 1] == '"') {
            (*f)[l - 1] = '\0';
            (*f)++;
        }
    }
    /* A path is relative, without "..", and names a .json file. */
    size_t pl = strlen(e->path);
    return pl > 5 && e->path[0] != '/' && !strstr(e->path, "..") &&
           strcmp(e->path + pl - 5, ".json") == 0 && !strpbrk(e->path, " \t\"<>\\");
}

/* base + path, with a path that repeats the end of base's own path read as relative to it. */
static void resolve(const char *base, const char *path, char *out, size_t size)
{
    const char *host_end = strstr(base, "://");
    const char *bpath = host_end ? strchr(host_end + 3, '/') : NULL;
    const char *rel = path;
    if (bpath) {
        size_t bl = strlen(bpath);
        /* the longest prefix of path, ending in '/', that bpath ends with */
        for (const char *p = strchr(path, '/'); p; p = strchr(p + 1, '/')) {
            size_t k = (size_t)(p - path) + 1;
            if (k <= bl - 1 && memcmp(bpath + bl - k, path, k) == 0 && bpath[bl - k - 1] == '/')
                rel = path + k;
        }
    }
    rb_fmt(out, size, "%s%s", base, rel);
}

static int feed_state(rb_db *db, const char *url, char *last, size_t size)
{
    return db_query_text_buf(db, "SELECT last_release FROM csaf_feeds WHERE url = ?1",
                             DB_ARGS(DB_TEXT(url)), last, size);
}

static int save_state(rb_db *db, const rb_actor *actor, const char *url, const char *last)
{
    rb_write w;
    int rc = write_begin(&w, db, NULL, NULL);
    RB_UNUSED(actor);
    if (rc)
        return rc;
    rc = db_exec(db,
                 "INSERT INTO csaf_feeds(url, last_release, last_run) VALUES (?1, nullif(?2, ''), "
                 "?3) ON CONFLICT(url) DO UPDATE SET last_release = coalesce(nullif(?2, ''), "
                 "last_release), last_run = ?3",
                 DB_ARGS(DB_TEXT(url), DB_TEXT(last), DB_TEXT(w.now)));
    return write_end(&w, rc, NULL, NULL, NULL, NULL, "cannot record the feed's state");
}

int csaf_fetch_feed(rb_db *db, const rb_actor *actor, const char *url, int tlp,
                    void (*progress)(int done, int total),
                    void (*refused)(const char *url, const char *why), struct csaf_fetch_stats *st,
                    rb_errinfo *ei)
{
    memset(st, 0, sizeof(*st));
    size_t ul = strlen(url);
    if ((strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0) || ul < 10 ||
        ul > 1500 || strpbrk(url, " \t\r\n\"<>\\"))
        return rb_err(ei, RB_EINVAL, "url", "give the directory's http(s) URL");
    char base[1600], list_url[1700], why[300] = "", last[64];
    rb_fmt(base, sizeof(base), "%s%s", url, url[ul - 1] == '/' ? "" : "/");
    int rc = feed_state(db, base, last, sizeof(last));
    if (rc)
        return rc;
    rb_buf list;
    rb_buf_init(&list, LIST_MAX);
    bool changes = true;
    rb_fmt(list_url, sizeof(list_url), "%schanges.csv", base);
    rc = get(list_url, &list, why, sizeof(why));
    if (rc == RB_ENOTFOUND) {
        changes = false;
        rb_buf_reset(&list);
        rb_fmt(list_url, sizeof(list_url), "%sindex.txt", base);
        rc = get(list_url, &list, why, sizeof(why));
    }
    if (rc) {
        rc = rb_err(ei, RB_EIO, "url", "cannot read %s: %s", list_url,
                    rc == RB_ENOTFOUND ? "not found (nor changes.csv)" : why);
        rb_buf_release(&list);
        return rc;
    }
    struct entry *v = rb_calloc(ENTRIES_MAX, sizeof(*v));
    if (!v) {
        rb_buf_release(&list);
        return RB_ENOMEM;
    }
    int n = 0;
    char *line = list.ptr;
    while (line && *line && n < ENTRIES_MAX) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        struct entry e;
        if (parse_line(line, &e)) {
            st->listed++;
            if (!(changes && last[0] && e.when[0] && strcmp(e.when, last) <= 0))
                v[n++] = e; /* else handled by an earlier run */
        }
        line = nl ? nl + 1 : NULL;
    }
    char newest[64];
    rb_strlcpy(newest, last, sizeof(newest));
    for (int i = 0; i < n; i++) {
        char doc_url[2400];
        resolve(base, v[i].path, doc_url, sizeof(doc_url));
        rb_buf doc;
        rb_buf_init(&doc, ADVISORY_DOC_MAX);
        why[0] = '\0';
        int grc = get(doc_url, &doc, why, sizeof(why));
        st->fetched++;
        if (grc) {
            st->failed++;
            if (refused)
                refused(doc_url, grc == RB_ENOTFOUND ? "not found" : why);
        } else {
            rb_errinfo e2;
            rb_errinfo_clear(&e2);
            rb_arena a;
            rb_arena_init(&a, 64u << 20);
            char id[RB_ID_SIZE];
            bool created = false;
            int irc =
                advisory_import(db, actor, &a, rb_buf_cstr(&doc), doc.len, tlp, id, &created, &e2);
            if (!irc)
                *(created ? &st->created : &st->revised) += 1;
            else if (irc == RB_ECONFLICT && strcmp(e2.field, "document.tracking.version") == 0)
                st->unchanged++;
            else {
                st->refused++;
                if (refused) {
                    char msg[700];
                    rb_fmt(msg, sizeof(msg), "%s%s%s", e2.field, e2.field[0] ? ": " : "",
                           e2.msg[0] ? e2.msg : rabta_strerror(irc));
                    refused(doc_url, msg);
                }
            }
            rb_arena_release(&a);
        }
        rb_buf_release(&doc);
        if (changes && v[i].when[0] && strcmp(v[i].when, newest) > 0 && strlen(v[i].when) < 64)
            rb_strlcpy(newest, v[i].when, sizeof(newest));
        if (progress)
            progress(i + 1, n);
    }
    /* Move on only when nothing failed to arrive: the next run tries what did not. */
    rc = save_state(db, actor, base, st->failed ? "" : newest);
    rb_free(v);
    rb_buf_release(&list);
    return rc;
}
