/*
 * fuzz_route.c - libFuzzer target for src/http/router (router_match) and the parsers handlers
 * apply to query values and path parameters: rb_parse_int64 with the handlers' limits,
 * tlp_parse, rb_time_parse, rb_uuid_valid.
 *
 * The input is a request line as the server sees it: METHOD, a space, then a target
 * "PATH[?QUERY]". The method is cut to the server's 11 bytes, the path is %-decoded with
 * libmicrohttpd's own MHD_http_unescape (the server routes the decoded path), and each QUERY value
 * ("k=v&k=v", decoded too) and each captured path parameter is given to every value parser.
 *
 * Beyond "no crash", it checks properties that must hold for every input:
 *   - router_match agrees with a naive segment-by-segment reading of rb_routes (the first route
 *     whose pattern fits the path and whose method is the method, HEAD reading as GET), and says
 *     path_known exactly when the path fits some route of another method;
 *   - a match's pattern has as many segments as the path; its captured params are non-empty
 *     segments without '/', one per {name}, and putting them back into the pattern gives the path;
 *   - HEAD matches exactly what GET matches, with the same params;
 *   - a parsed integer is within the limits asked, and its decimal form parses to it again;
 *   - a parsed TLP level is a level whose name parses back to it;
 *   - a parsed time formats (rb_time_format) to a date-time that parses to the same second, and
 *     a plain date is midnight;
 *   - rb_uuid_valid agrees with an independent reading of 8-4-4-4-12 hex digits.
 * A violated property aborts, so libFuzzer records the input as a crash.
 *
 * Built like fuzz_json.c: with clang -fsanitize=fuzzer,address,undefined by run.sh, or as a plain
 * program with replay_main.c (the meson test fuzz_route_replay replays corpus/route).
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/mem.h"
#include "base/rtime.h"
#include "formats/tlp.h"
#include "http/router.h"

#include <ctype.h>

#include <microhttpd.h>

#define FUZZ_TARGET "fuzz_route"
#include "fuzz_util.h"

/* Request lines longer than this are not worth the time: the matcher is linear in the path. */
#define ROUTE_MAX_INPUT 16384

/* The limits handlers (and the server's --listen port) give rb_parse_int64. */
static const struct {
    int64_t min, max;
} int_limits[] = {
    {1, 500},               /* ?limit= (req_page, campaign gaps) */
    {0, INT32_MAX},         /* catalog controls ?cursor= */
    {1, INT64_MAX},         /* audit ?cursor= */
    {0, 65535},             /* --listen port */
    {INT64_MIN, INT64_MAX}, /* anything strtoll reads */
};

/* Number of '/' in s: segments are what the slashes separate. */
static size_t slashes(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '/';
    return n;
}

/* A pattern segment "{name}" (the whole segment of length n). */
static bool is_capture(const char *seg, size_t n)
{
    return n >= 2 && seg[0] == '{' && seg[n - 1] == '}';
}

/* The reference matcher: same segment count, literals equal, {x} fits any non-empty segment. */
static bool naive_match(const char *pat, const char *path)
{
    for (;;) {
        size_t pl = strcspn(pat, "/"), sl = strcspn(path, "/");
        if (is_capture(pat, pl) ? sl == 0 : (pl != sl || memcmp(pat, path, pl) != 0))
            return false;
        pat += pl;
        path += sl;
        if (!*pat || !*path)
            return !*pat && !*path;
        pat++;
        path++;
    }
}

static bool method_fits(const char *route_method, const char *method)
{
    return strcmp(route_method, method) == 0 ||
           (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

/* What router_match answered. */
struct hit {
    const struct route *rt;
    bool known;
    const char *params[REQ_MAX_PARAMS];
};

/* Runs router_match with r's params cleared, as on a fresh request; captures live in r's arena. */
static void route(rb_req *r, const char *method, char *path, struct hit *h)
{
    memset(r->params, 0, sizeof(r->params));
    h->known = true; /* router_match must set it */
    h->rt = router_match(r, method, path, &h->known);
    memcpy(h->params, r->params, sizeof(h->params));
}

/* Checks a match: the captures, put back into the pattern, give the path. */
static void check_captures(const struct hit *h, const char *path)
{
    CHECK(slashes(h->rt->pattern) == slashes(path), "pattern and path have as many segments");
    size_t off = 0;
    int k = 0;
    for (const char *p = h->rt->pattern; *p;) {
        size_t pl = strcspn(p, "/");
        if (is_capture(p, pl)) {
            CHECK(k < REQ_MAX_PARAMS, "captures fit r->params");
            const char *v = h->params[k++];
            CHECK(v && v[0], "a captured param is not empty");
            CHECK(!strchr(v, '/'), "a captured param holds no '/'");
            size_t vl = strlen(v);
            CHECK(strncmp(path + off, v, vl) == 0, "a captured param is the path's segment");
            off += vl;
        } else {
            CHECK(strncmp(path + off, p, pl) == 0, "a literal segment is the path's");
            off += pl;
        }
        p += pl;
        if (*p == '/') {
            CHECK(path[off] == '/', "segments end where the path's do");
            off++;
            p++;
        }
    }
    CHECK(path[off] == '\0', "the pattern spans the whole path");
    for (; k < REQ_MAX_PARAMS; k++)
        CHECK(h->params[k] == NULL, "no more params than captures");
}

static void check_routing(rb_req *r, const char *method, char *path, struct hit *h)
{
    const struct route *want = NULL;
    bool other_method = false;
    for (size_t i = 0; i < rb_routes_count && !want; i++)
        if (naive_match(rb_routes[i].pattern, path)) {
            if (method_fits(rb_routes[i].method, method))
                want = &rb_routes[i];
            else
                other_method = true;
        }
    route(r, method, path, h);
    CHECK(h->rt == want, "router_match picks the first route that fits path and method");
    if (h->rt)
        check_captures(h, path);
    else
        CHECK(h->known == other_method, "path_known says the path exists for another method");

    struct hit g, hd;
    route(r, "GET", path, &g);
    route(r, "HEAD", path, &hd);
    CHECK(g.rt == hd.rt, "HEAD matches what GET matches");
    if (g.rt)
        for (int k = 0; k < REQ_MAX_PARAMS; k++)
            CHECK((!g.params[k] && !hd.params[k]) ||
                      (g.params[k] && hd.params[k] && strcmp(g.params[k], hd.params[k]) == 0),
                  "HEAD captures what GET captures");
    else
        CHECK(g.known == hd.known, "HEAD and GET agree the path exists");
}

static void check_int(const char *s)
{
    for (size_t i = 0; i < RB_ARRAY_LEN(int_limits); i++) {
        int64_t v = 0;
        if (rb_parse_int64(s, int_limits[i].min, int_limits[i].max, &v) != 0)
            continue;
        CHECK(v >= int_limits[i].min && v <= int_limits[i].max, "a parsed int is within bounds");
        char dec[32];
        snprintf(dec, sizeof(dec), "%" PRId64, v);
        int64_t again = 0;
        CHECK(rb_parse_int64(dec, int_limits[i].min, int_limits[i].max, &again) == 0 && again == v,
              "a parsed int's decimal form parses to it");
    }
}

static void check_tlp(const char *s)
{
    enum rb_tlp t = TLP__COUNT, again = TLP__COUNT;
    if (tlp_parse(s, &t) != 0)
        return;
    CHECK((int)t >= 0 && t < TLP__COUNT, "a parsed TLP is a level");
    CHECK(tlp_parse(tlp_name(t), &again) == 0 && again == t, "a level's name parses to it");
    const char *name = strncasecmp(s, "TLP:", 4) == 0 ? s + 4 : s;
    CHECK(strcasecmp(name, tlp_name(t)) == 0 || (t == TLP_CLEAR && strcasecmp(name, "WHITE") == 0),
          "a parsed TLP is its level's name, in any case");
}

static void check_time(const char *s)
{
    int64_t t = 0, again = 0;
    if (rb_time_parse(s, &t) != 0)
        return;
    char f[RB_TIME_SIZE], f2[RB_TIME_SIZE];
    rb_time_format(t, f);
    CHECK(rb_time_parse(f, &again) == 0, "a formatted time parses");
    CHECK(again == t, "parse -> format -> parse keeps the second");
    rb_time_format(again, f2);
    CHECK(strcmp(f, f2) == 0, "formatting is a fixed point");
    if (strlen(s) == 10) {
        CHECK(t % 86400 == 0, "a date is midnight UTC");
        CHECK(strncmp(f, s, 10) == 0 && strcmp(f + 10, "T00:00:00Z") == 0,
              "a date formats as itself at midnight");
    }
}

static void check_uuid(const char *s)
{
    bool want = strlen(s) == 36;
    for (size_t i = 0; want && i < 36; i++)
        want = (i == 8 || i == 13 || i == 18 || i == 23) ? s[i] == '-'
                                                         : isxdigit((unsigned char)s[i]) != 0;
    CHECK(rb_uuid_valid(s) == want, "rb_uuid_valid reads 8-4-4-4-12 hex digits");
}

static void check_value(const char *s)
{
    check_int(s);
    check_tlp(s);
    check_time(s);
    check_uuid(s);
}

/* Gives each value of "k=v&k=v" (decoded in place, as the server's arguments are) to the value
 * parsers; a key without '=' has no value. */
static void check_query(char *q)
{
    while (q) {
        char *amp = strchr(q, '&');
        if (amp)
            *amp = '\0';
        char *eq = strchr(q, '=');
        if (eq) {
            MHD_http_unescape(eq + 1);
            check_value(eq + 1);
        }
        q = amp ? amp + 1 : NULL;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rb_req r; /* only its arena and params are used */
    if (size > ROUTE_MAX_INPUT)
        return 0;
    memset(&r, 0, sizeof(r));
    rb_arena_init(&r.arena, REQ_ARENA_MAX);
    /* A C string: the server never sees bytes past a NUL either. */
    char *line = rb_arena_strndup(&r.arena, (const char *)data, size);
    if (!line)
        goto out;
    char method[sizeof(r.method)];
    char *sp = strchr(line, ' ');
    if (sp)
        *sp = '\0';
    rb_strlcpy(method, line, sizeof(method)); /* cut as req_new cuts it */
    char *path = sp ? sp + 1 : line + strlen(line);
    char *q = strchr(path, '?');
    if (q)
        *q++ = '\0';
    MHD_http_unescape(path);

    struct hit h;
    check_routing(&r, method, path, &h);
    for (int k = 0; h.rt && k < REQ_MAX_PARAMS; k++)
        if (h.params[k])
            check_value(h.params[k]);
    check_query(q);
    check_value(path);
out:
    rb_arena_release(&r.arena);
    return 0;
}
