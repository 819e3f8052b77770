/*
 * prodmatch.c - matching an inventory against an advisory's products (see prodmatch.h, which
 * states every rule; this file says only how).
 *
 * Layout: versions (a tokeniser and one comparison), ranges (one parser for vers and free text,
 * the vers evaluation), names, CPE, PURL, then the prepared set: each affected product
 * normalised once, and a hash index from "tag:key" strings to the products filed under them. An
 * item is normalised on the stack while it is matched (its vendor key at once, the rest only
 * when some product is a candidate), so matching allocates nothing.
 *
 * Must never: allocate while matching, read past a NUL or a buffer, or match an item whose
 * version compares and lies outside the product's range.
 */
#include "base/common.h"
#include "formats/prodmatch.h"

/* ---- characters ---- */

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* ASCII letters, and every byte of a non-ASCII character (kept as it is). */
static bool is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static bool is_alnum(unsigned char c)
{
    return is_digit(c) || is_letter(c);
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Each byte as a name's words keep it: ASCII letters lowercased, digits and non-ASCII bytes as
 * they are, 0 for every other byte (a separator). */
#define FOLD(c)                                                                                    \
    ((c) >= 'A' && (c) <= 'Z'                                                                      \
         ? (unsigned char)((c) + 32)                                                               \
         : (((c) >= 'a' && (c) <= 'z') || ((c) >= '0' && (c) <= '9') || (c) >= 0x80 ? (c) : 0))
#define FOLD4(c) FOLD(c), FOLD(c + 1), FOLD(c + 2), FOLD(c + 3)
#define FOLD16(c) FOLD4(c), FOLD4(c + 4), FOLD4(c + 8), FOLD4(c + 12)
#define FOLD64(c) FOLD16(c), FOLD16(c + 16), FOLD16(c + 32), FOLD16(c + 48)
static const unsigned char fold[256] = {FOLD64(0), FOLD64(64), FOLD64(128), FOLD64(192)};

/* ---- versions ---- */

enum { T_END, T_NUM, T_WORD };

struct vtok {
    const char *p;
    size_t n;
    int kind;
};

/* The start of version s: separators skipped, and a "v" before a digit. */
static const char *ver_start(const char *s)
{
    if (!s)
        return "";
    while (*s && !is_alnum((unsigned char)*s))
        s++;
    if ((*s == 'v' || *s == 'V') && is_digit((unsigned char)s[1]))
        s++;
    return s;
}

static struct vtok ver_next(const char **s)
{
    const char *p = *s;
    while (*p && !is_alnum((unsigned char)*p))
        p++;
    struct vtok t = {p, 0, T_END};
    if (*p) {
        bool num = is_digit((unsigned char)*p);
        while (*p && (num ? is_digit((unsigned char)*p) : is_letter((unsigned char)*p)))
            p++;
        t.kind = num ? T_NUM : T_WORD;
        t.n = (size_t)(p - t.p);
    }
    *s = p;
    return t;
}

static bool tok_is(const struct vtok *t, const char *w)
{
    size_t n = strlen(w);
    return t->n == n && strncasecmp(t->p, w, n) == 0;
}

/* The rank of a pre-release word (lower is earlier), 0 for any other token. */
static int pre_rank(const struct vtok *t)
{
    static const struct {
        const char *word;
        int rank;
    } pre[] = {{"dev", 1}, {"snapshot", 1}, {"alpha", 2}, {"beta", 3},
               {"pre", 4}, {"preview", 4},  {"rc", 5}};
    for (size_t i = 0; t->kind == T_WORD && i < RB_ARRAY_LEN(pre); i++) {
        if (tok_is(t, pre[i].word))
            return pre[i].rank;
    }
    return 0;
}

static bool tok_zero(const struct vtok *t)
{
    for (size_t i = 0; t->kind == T_NUM && i < t->n; i++) {
        if (t->p[i] != '0')
            return false;
    }
    return t->kind == T_NUM;
}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static int num_cmp(const struct vtok *a, const struct vtok *b)
{
    const char *pa = a->p, *pb = b->p;
    size_t na = a->n, nb = b->n;
    while (na > 1 && *pa == '0')
        pa++, na--;
    while (nb > 1 && *pb == '0')
        pb++, nb--;
    if (na != nb)
        return na < nb ? -1 : 1;
    return sign(memcmp(pa, pb, na));
}

static int word_cmp(const struct vtok *a, const struct vtok *b)
{
    int ra = pre_rank(a), rb = pre_rank(b);
    if (ra != rb)
        return (ra ? ra : 100) < (rb ? rb : 100) ? -1 : 1;
    size_t n = a->n < b->n ? a->n : b->n;
    for (size_t i = 0; i < n; i++) {
        char ca = lower(a->p[i]), cb = lower(b->p[i]);
        if (ca != cb)
            return (unsigned char)ca < (unsigned char)cb ? -1 : 1;
    }
    return a->n == b->n ? 0 : (a->n < b->n ? -1 : 1);
}

static int tok_cmp(const struct vtok *a, const struct vtok *b)
{
    if (a->kind != b->kind)
        return a->kind == T_NUM ? 1 : -1; /* a word is lower than a number */
    return a->kind == T_NUM ? num_cmp(a, b) : word_cmp(a, b);
}

/* Compares a with b; with prefix, b is a prefix bound ("4.x" held as "4"): when b ends first
 * the two compare equal. */
static int ver_cmp(const char *a, const char *b, bool prefix)
{
    a = ver_start(a);
    b = ver_start(b);
    for (;;) {
        struct vtok ta = ver_next(&a), tb = ver_next(&b);
        if (ta.kind == T_END && tb.kind == T_END)
            return 0;
        if (tb.kind == T_END) {
            if (prefix)
                return 0;
            /* a is longer: trailing zeros are nothing, a pre-release word makes it lower */
            if (tok_zero(&ta))
                continue;
            return pre_rank(&ta) ? -1 : 1;
        }
        if (ta.kind == T_END) {
            if (tok_zero(&tb))
                continue;
            return pre_rank(&tb) ? 1 : -1;
        }
        int c = tok_cmp(&ta, &tb);
        if (c)
            return c;
    }
}

int pm_vercmp(const char *a, const char *b)
{
    return ver_cmp(a, b, false);
}

bool pm_ver_comparable(const char *a, const char *b)
{
    const char *sa = ver_start(a), *sb = ver_start(b);
    struct vtok ta = ver_next(&sa), tb = ver_next(&sb);
    if (ta.kind == T_END || tb.kind == T_END || ta.kind != tb.kind)
        return false;
    if (ta.kind == T_NUM || word_cmp(&ta, &tb) == 0)
        return true;
    /* different words: comparable only as two one-word revisions ("FA" < "FB") */
    return ver_next(&sa).kind == T_END && ver_next(&sb).kind == T_END;
}

/* ---- ranges ---- */

/* Words a version may hold besides tokens with a digit. */
static const char *const qualifier_words[] = {
    "sp",    "update", "upd",  "hotfix", "hf",  "fp",      "cu",      "mp",
    "sr",    "patch",  "p",    "build",  "rev", "r",       "release", "rel",
    "ga",    "alpha",  "beta", "rc",     "pre", "preview", "dev",     "snapshot",
    "final", "lts",    "esr",  "u",      "x",   "service", "pack",    NULL,
};

/* Comparator keywords, longest first where one starts another; `space` says the word must be
 * followed by a space. */
static const struct {
    const char *text;
    unsigned char op;
} comparators[] = {
    {">=", PM_GE},          {"=>", PM_GE},
    {"<=", PM_LE},          {"=<", PM_LE},
    {"==", PM_EQ},          {"!=", PM_NE},
    {"<", PM_LT},           {">", PM_GT},
    {"=", PM_EQ},           {"before ", PM_LT},
    {"prior to ", PM_LT},   {"earlier than ", PM_LT},
    {"older than ", PM_LT}, {"below ", PM_LT},
    {"up to ", PM_LE},      {"through ", PM_LE},
    {"until ", PM_LE},      {"from ", PM_GE},
    {"since ", PM_GE},      {"starting with ", PM_GE},
    {"after ", PM_GT},      {"later than ", PM_GT},
    {"newer than ", PM_GT}, {"above ", PM_GT},
};

/* Trailing words that turn a bare version into a bound: "4.2 and earlier". */
static const struct {
    const char *text;
    unsigned char op;
} trailers[] = {
    {" and earlier", PM_LE}, {" or earlier", PM_LE}, {" and prior", PM_LE},  {" and older", PM_LE},
    {" or older", PM_LE},    {" and below", PM_LE},  {" or lower", PM_LE},   {" and lower", PM_LE},
    {" and later", PM_GE},   {" or later", PM_GE},   {" and above", PM_GE},  {" and newer", PM_GE},
    {" or newer", PM_GE},    {" or higher", PM_GE},  {" and higher", PM_GE}, {"+", PM_GE},
};

#define OP_NONE 0xff

struct rparse {
    struct pm_range *r;
    size_t used;
};

static bool has_suffix(const char *p, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(p + n - k, suf, k) == 0;
}

/* Whether text[0..n) reads as one version: each space-separated word has a digit or is a
 * qualifier, or the text is one short word (a revision letter: "FB"). */
static bool plausible_version(const char *p, size_t n)
{
    size_t words = 0, i = 0;
    bool ok = true;
    while (i < n) {
        while (i < n && is_space(p[i]))
            i++;
        size_t s = i;
        bool digit = false;
        while (i < n && !is_space(p[i]))
            digit |= is_digit((unsigned char)p[i++]);
        if (i == s)
            break;
        words++;
        if (digit)
            continue;
        bool q = false;
        for (size_t k = 0; qualifier_words[k] && !q; k++)
            q = strlen(qualifier_words[k]) == i - s &&
                memcmp(qualifier_words[k], p + s, i - s) == 0;
        ok &= q;
        if (!q && (i - s) <= 2 && words == 1 && i >= n)
            ok = true; /* the whole text is one short word */
    }
    return ok && words > 0;
}

static int add_constraint(struct rparse *rp, unsigned char op, const char *p, size_t n, bool prefix)
{
    struct pm_range *r = rp->r;
    while (n && is_space(*p))
        p++, n--;
    while (n && is_space(p[n - 1]))
        n--;
    if (n == 0)
        return RB_EINVAL;
    if (n > PM_VERSION_MAX || r->n >= PM_RANGE_MAX || rp->used + n + 1 > PM_RANGE_BYTES)
        return RB_ETOOBIG;
    r->c[r->n].op = op;
    r->c[r->n].prefix = prefix;
    r->c[r->n].off = (unsigned short)rp->used;
    memcpy(r->buf + rp->used, p, n);
    r->buf[rp->used + n] = '\0';
    rp->used += n + 1;
    r->n++;
    return 0;
}

/* One version after its comparator (op may be OP_NONE), text[0..n): trailing words, a prefix
 * "4.x", a hyphen range "1.0 - 2.0"; then the constraint(s). */
static int add_version(struct rparse *rp, unsigned char op, const char *p, size_t n)
{
    while (n && (is_space(p[n - 1]) || p[n - 1] == '.' || p[n - 1] == ','))
        n--;
    if (has_suffix(p, n, " versions"))
        n -= 9;
    else if (has_suffix(p, n, " version"))
        n -= 8;
    for (size_t i = 0; op == OP_NONE && i < RB_ARRAY_LEN(trailers); i++) {
        if (has_suffix(p, n, trailers[i].text)) {
            op = trailers[i].op;
            n -= strlen(trailers[i].text);
        }
    }
    if (op == OP_NONE) {
        /* "1.0 - 2.0", "01.14.000 -01.47.000", "1.0 to 2.0" */
        for (size_t i = 1; i + 1 < n; i++) {
            size_t skip = 0;
            if (p[i] == ' ' && p[i + 1] == '-' && i + 2 < n &&
                (p[i + 2] == ' ' || is_alnum((unsigned char)p[i + 2])))
                skip = 2;
            else if (i + 4 < n && memcmp(p + i, " to ", 4) == 0)
                skip = 4;
            if (skip) {
                int rc = add_version(rp, PM_GE, p, i);
                return rc ? rc : add_version(rp, PM_LE, p + i + skip, n - i - skip);
            }
        }
        op = PM_EQ;
    }
    while (n && is_space(p[n - 1]))
        n--;
    bool prefix = false;
    if (n >= 2 && (p[n - 1] == 'x' || p[n - 1] == '*') &&
        (p[n - 2] == '.' || p[n - 2] == '-' || p[n - 2] == '_')) {
        prefix = true;
        n -= 2;
    }
    if (n == 0 || !plausible_version(p, n))
        return RB_EINVAL;
    return add_constraint(rp, op, p, n, prefix);
}

/* The comparator at p (a symbol or a keyword), or OP_NONE; *len its length. */
static unsigned char comparator_at(const char *p, size_t n, size_t *len)
{
    for (size_t i = 0; i < RB_ARRAY_LEN(comparators); i++) {
        size_t k = strlen(comparators[i].text);
        if (k <= n && memcmp(p, comparators[i].text, k) == 0) {
            *len = k;
            return comparators[i].op;
        }
    }
    return OP_NONE;
}

static bool is_cmp_char(char c)
{
    return c == '<' || c == '>' || c == '=' || c == '!';
}

/* One alternative (between "|"): a sequence of [comparator] version. */
static int parse_sequence(struct rparse *rp, const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && is_space(p[i]))
            i++;
        if (i == n)
            break;
        size_t k = 0;
        unsigned char op = comparator_at(p + i, n - i, &k);
        i += op == OP_NONE ? 0 : k;
        size_t s = i;
        while (i < n && !is_cmp_char(p[i]))
            i++;
        int rc = add_version(rp, op, p + s, i - s);
        if (rc)
            return rc;
    }
    return 0;
}

static bool starts_word(const char *p, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n >= k && memcmp(p, w, k) == 0 && (n == k || is_space(p[k]) || is_cmp_char(p[k]));
}

/* Sorts the constraints by version (insertion sort: at most PM_RANGE_MAX), as vers requires. */
static void sort_constraints(struct pm_range *r)
{
    for (int i = 1; i < r->n; i++) {
        struct pm_constraint c = r->c[i];
        int j = i;
        while (j > 0 && pm_vercmp(r->buf + r->c[j - 1].off, r->buf + c.off) > 0) {
            r->c[j] = r->c[j - 1];
            j--;
        }
        r->c[j] = c;
    }
}

#define RANGE_INPUT_MAX 512

int pm_range_parse(const char *s, struct pm_range *r)
{
    int rc = RB_EINVAL;
    memset(r, 0, sizeof(*r));
    struct rparse rp = {.r = r};
    char t[RANGE_INPUT_MAX];
    size_t n = 0;
    if (!s)
        goto out;
    /* A lowercase copy without parenthesised remarks ("1.03.07 (build 317)"); a parenthesis
     * inside a word stays ("12.2(55)SE"). */
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '(' && (n == 0 || is_space(t[n - 1]))) {
            int depth = 0;
            for (; s[i]; i++) {
                depth += (s[i] == '(') - (s[i] == ')');
                if (depth == 0)
                    break;
            }
            if (!s[i])
                break;
            continue;
        }
        if (n + 1 >= sizeof(t)) {
            rc = RB_ETOOBIG;
            goto out;
        }
        t[n++] = lower(s[i]);
    }
    t[n] = '\0';
    const char *p = t;
    while (n && is_space(*p))
        p++, n--;
    while (n && is_space(p[n - 1]))
        n--;
    if (n > 5 && memcmp(p, "vers:", 5) == 0) {
        const char *slash = memchr(p, '/', n);
        if (!slash)
            goto out;
        n -= (size_t)(slash + 1 - p);
        p = slash + 1;
    } else {
        static const char *const all_words[] = {"all versions", "all version", "versions",
                                                "version",      "all",         NULL};
        for (int i = 0; all_words[i]; i++) {
            if (starts_word(p, n, all_words[i])) {
                size_t k = strlen(all_words[i]);
                p += k, n -= k;
                while (n && is_space(*p))
                    p++, n--;
                if (n == 0 || (n == 1 && *p == '*') || starts_word(p, n, "affected")) {
                    r->all = true;
                    rc = 0;
                    goto out;
                }
                break;
            }
        }
    }
    if (n == 1 && *p == '*') {
        r->all = true;
        rc = 0;
        goto out;
    }
    if (n == 0)
        goto out;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && p[i] != '|' && p[i] != ',')
            continue;
        if (i > start) {
            rc = parse_sequence(&rp, p + start, i - start);
            if (rc)
                goto out;
        }
        start = i + 1;
    }
    rc = r->n > 0 ? 0 : RB_EINVAL;
    if (!rc)
        sort_constraints(r);
out:
    if (rc) {
        memset(r, 0, sizeof(*r));
        r->n = 0;
    }
    return rc;
}

int pm_range_eq(const char *v, struct pm_range *r)
{
    memset(r, 0, sizeof(*r));
    struct rparse rp = {.r = r};
    int rc = v ? add_constraint(&rp, PM_EQ, v, strlen(v), false) : RB_EINVAL;
    if (rc)
        memset(r, 0, sizeof(*r));
    return rc;
}

static bool is_lower_bound(unsigned char op)
{
    return op == PM_GT || op == PM_GE;
}

static bool is_upper_bound(unsigned char op)
{
    return op == PM_LT || op == PM_LE;
}

static bool satisfies(unsigned char op, int c)
{
    switch (op) {
    case PM_EQ:
        return c == 0;
    case PM_NE:
        return c != 0;
    case PM_LT:
        return c < 0;
    case PM_LE:
        return c <= 0;
    case PM_GT:
        return c > 0;
    default:
        return c >= 0;
    }
}

enum pm_verdict pm_range_test(const struct pm_range *r, const char *v)
{
    if (r->all)
        return PM_IN;
    if (rb_empty(v) || r->n == 0)
        return PM_UNKNOWN;
    /* The vers algorithm: equality first, then the bounds in version order. */
    int cmp[PM_RANGE_MAX];
    for (int i = 0; i < r->n; i++) {
        const struct pm_constraint *c = &r->c[i];
        cmp[i] = ver_cmp(v, r->buf + c->off, c->prefix);
        if (cmp[i] == 0 && (c->op == PM_EQ || c->op == PM_LE || c->op == PM_GE))
            return PM_IN;
        if (cmp[i] == 0 && c->op == PM_NE)
            return PM_OUT;
    }
    int idx[PM_RANGE_MAX], m = 0;
    for (int i = 0; i < r->n; i++) {
        if (r->c[i].op == PM_EQ || r->c[i].op == PM_NE)
            continue;
        if (!pm_ver_comparable(v, r->buf + r->c[i].off))
            return PM_UNKNOWN;
        idx[m++] = i;
    }
    if (m == 0) {
        /* only versions to be equal to: a no needs one of them to be comparable with v */
        for (int i = 0; i < r->n; i++) {
            if (pm_ver_comparable(v, r->buf + r->c[i].off))
                return PM_OUT;
        }
        return PM_UNKNOWN;
    }
    if (m == 1)
        return satisfies(r->c[idx[0]].op, cmp[idx[0]]) ? PM_IN : PM_OUT;
    for (int k = 0; k + 1 < m; k++) {
        unsigned char cur = r->c[idx[k]].op, nxt = r->c[idx[k + 1]].op;
        if (k == 0 && is_upper_bound(cur) && cmp[idx[k]] < 0)
            return PM_IN;
        if (k + 2 == m && is_lower_bound(nxt) && cmp[idx[k + 1]] > 0)
            return PM_IN;
        if (is_lower_bound(cur) && is_upper_bound(nxt) && cmp[idx[k]] > 0 && cmp[idx[k + 1]] < 0)
            return PM_IN;
    }
    return PM_OUT;
}

enum pm_verdict pm_version_in(const char *range, const char *v)
{
    struct pm_range r;
    if (pm_range_parse(range, &r) != 0)
        return PM_UNKNOWN;
    return pm_range_test(&r, v);
}

/* ---- names ---- */

/* pm_norm_words, also recording in ends[] (when not NULL) the offset in s just past each word
 * (at most maxw words; *nw their count). */
static size_t norm_words(const char *s, char *out, size_t cap, unsigned short *ends, int maxw,
                         int *nw)
{
    size_t n = 0;
    int words = 0;
    bool sep = false, cut = false;
    if (cap == 0)
        return 0;
    for (size_t i = 0; s && s[i] && !cut; i++) {
        unsigned char c = fold[(unsigned char)s[i]];
        if (!c) {
            sep = true;
            continue;
        }
        if (n == 0 || sep) {
            if (words >= (ends ? maxw : INT_MAX) || n + 2 >= cap) {
                cut = true;
                break;
            }
            if (n)
                out[n++] = ' ';
            words++;
        }
        sep = false;
        if (n + 1 >= cap) {
            cut = true;
            break;
        }
        if (ends && i + 1 > USHRT_MAX) {
            cut = true;
            break;
        }
        out[n++] = (char)c;
        if (ends)
            ends[words - 1] = (unsigned short)(i + 1);
    }
    if (cut) {
        /* never half a UTF-8 character */
        while (n && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
            n--;
        if (n && (unsigned char)out[n - 1] >= 0xC0)
            n--;
        while (n && out[n - 1] == ' ')
            n--;
    }
    out[n] = '\0';
    if (nw)
        *nw = words;
    return n;
}

size_t pm_norm_words(const char *s, char *out, size_t cap)
{
    return norm_words(s, out, cap, NULL, 0, NULL);
}

/* Company forms dropped from the end of a vendor's name. */
#define FORM(s)                                                                                    \
    {                                                                                              \
        s, sizeof(s) - 1                                                                           \
    }
static const struct {
    const char *word;
    size_t len;
} company_forms[] = {
    FORM("inc"),     FORM("incorporated"), FORM("ltd"),  FORM("limited"),     FORM("llc"),
    FORM("llp"),     FORM("lp"),           FORM("corp"), FORM("corporation"), FORM("co"),
    FORM("company"), FORM("gmbh"),         FORM("ag"),   FORM("kg"),          FORM("sa"),
    FORM("se"),      FORM("spa"),          FORM("srl"),  FORM("sas"),         FORM("sarl"),
    FORM("bv"),      FORM("nv"),           FORM("plc"),  FORM("pty"),         FORM("pvt"),
    FORM("oy"),      FORM("oyj"),          FORM("ab"),   FORM("asa"),         FORM("kk"),
    FORM("sl"),      FORM("sro"),          FORM("kft"),  FORM("zrt"),
};

static bool is_company_form(const char *w, size_t n)
{
    for (size_t i = 0; n <= 12 && i < RB_ARRAY_LEN(company_forms); i++) {
        if (company_forms[i].len == n && memcmp(company_forms[i].word, w, n) == 0)
            return true;
    }
    return false;
}

/* A 16-bit sketch of a vendor key (pm_vendor_key): its first three characters. */
static unsigned key_sketch(const char *k)
{
    unsigned h = 0;
    for (int i = 0; i < 3 && k[i]; i++)
        h = h * 131 + (unsigned char)k[i];
    return h & 0xffff;
}

/* A 16-bit sketch of a vendor: its first word's first three characters (after a leading "the"),
 * which company forms never remove. The set keeps a bitmap of its vendors' sketches, so most
 * items are turned down before their vendor is normalised. */
static unsigned vendor_sketch(const char *s)
{
    unsigned h = 0, len = 0;
    bool the = false;
    for (size_t i = 0; s && s[i]; i++) {
        unsigned char c = fold[(unsigned char)s[i]];
        if (c) {
            if (len == 0)
                h = 0;
            if (len < 3)
                h = h * 131 + c;
            if (len == 3 && !the)
                break; /* three characters of a word that is not "the": done */
            the = len == 0 ? c == 't' : the && len < 3 && c == "the"[len];
            len++;
            continue;
        }
        if (len == 0)
            continue;
        if (!(len == 3 && the))
            break;
        /* "the": the sketch is of the next word, when there is one */
        size_t j = i;
        while (s[j] && !fold[(unsigned char)s[j]])
            j++;
        if (!s[j])
            break;
        len = 0;
    }
    return h & 0xffff;
}
/* The vendor's words, without company forms or a leading "the", spaced. */
static size_t vendor_words(const char *s, char *out, size_t cap)
{
    size_t n = norm_words(s, out, cap, NULL, 0, NULL);
    if (n > 4 && memcmp(out, "the ", 4) == 0) {
        memmove(out, out + 4, n - 4 + 1);
        n -= 4;
    }
    for (;;) {
        size_t sp = n;
        while (sp > 0 && out[sp - 1] != ' ')
            sp--;
        if (sp == 0 || !is_company_form(out + sp, n - sp))
            break;
        n = sp - 1;
        out[n] = '\0';
    }
    return n;
}

/* Removes the spaces of out[0..n) in place; returns the new length. */
static size_t squash(char *out, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (out[i] != ' ')
            out[k++] = out[i];
    }
    out[k] = '\0';
    return k;
}

size_t pm_vendor_key(const char *s, char *out, size_t cap)
{
    return squash(out, vendor_words(s, out, cap));
}

/* Whether words a[0..na) are the first whole words of b. */
static bool word_prefix(const char *a, size_t na, const char *b, size_t nb)
{
    return na > 0 && na <= nb && memcmp(a, b, na) == 0 && (na == nb || b[na] == ' ');
}

/* The first word of words[0..n). */
static size_t first_word(const char *w, size_t n)
{
    const char *sp = memchr(w, ' ', n);
    return sp ? (size_t)(sp - w) : n;
}

/* The length of the whole-word start of w[0..n) that, without its spaces, is sq[0..sqn) ("red
 * hat enterprise" starts with "redhat": 7); 0 when none. */
static size_t squashed_start(const char *w, size_t n, const char *sq, size_t sqn)
{
    size_t k = 0;
    for (size_t i = 0; i < n && sqn; i++) {
        if (w[i] == ' ')
            continue;
        if (w[i] != sq[k])
            return 0;
        if (++k == sqn)
            return i + 1 == n || w[i + 1] == ' ' ? i + 1 : 0;
    }
    return 0;
}

/* Whether the first few whole words of w[0..n), without their spaces, are sq ("simatic s7
 * 1500 cpu" starts with "simatics71500", and so does "simatic s71500"). */
static bool squashed_prefix(const char *sq, const char *w, size_t n)
{
    return squashed_start(w, n, sq, strlen(sq)) > 0;
}

/* A vendor's words as written (raw: "the example company") and without company forms (clean:
 * "example"); a product name may start with either, or with the clean name's first word. */
struct vnames {
    const char *raw, *clean;
    size_t rawn, cleann;
};

/* Removes the vendor from the start of buf[0..*n), unless it is all of it: its raw words, its
 * clean words or the first of those, each compared without spaces ("RedHat Enterprise Linux"
 * of "Red Hat", "Apache Log4j" of "The Apache Software Foundation"). Returns how many words
 * went. */
static int strip_vendor(char *buf, size_t *n, const struct vnames *v)
{
    char sq[PM_NAME_MAX];
    const char *forms[3] = {v->raw, v->clean, v->clean};
    size_t lens[3] = {v->rawn, v->cleann, first_word(v->clean, v->cleann)};
    for (int f = 0; f < 3; f++) {
        size_t k = 0;
        for (size_t i = 0; i < lens[f] && k + 1 < sizeof(sq); i++) {
            if (forms[f][i] != ' ')
                sq[k++] = forms[f][i];
        }
        size_t len = squashed_start(buf, *n, sq, k);
        if (len == 0 || len >= *n)
            continue;
        int words = 1;
        for (size_t i = 0; i < len; i++)
            words += buf[i] == ' ';
        memmove(buf, buf + len + 1, *n - len);
        *n -= len + 1;
        return words;
    }
    return 0;
}

/* The words of a product name without its vendor's leading words; out as for norm_words. */
static size_t product_words(const char *s, const struct vnames *v, char *out, size_t cap)
{
    size_t n = norm_words(s, out, cap, NULL, 0, NULL);
    strip_vendor(out, &n, v);
    return n;
}

/* ---- CPE ---- */

static const char hexdigits[] = "0123456789abcdef";

static int hexval(char c)
{
    const char *p = c ? strchr(hexdigits, lower(c)) : NULL;
    return p ? (int)(p - hexdigits) : -1;
}

struct cpe_w {
    struct pm_cpe *c;
    size_t used;
    int attr;
    bool bad;
};

static void cpe_put(struct cpe_w *w, char ch)
{
    if (w->used + 2 >= PM_CPE_BYTES) {
        w->bad = true;
        return;
    }
    w->c->buf[w->used++] = ch;
}

/* A literal character of a value, quoted unless a letter, digit or "_". */
static void cpe_literal(struct cpe_w *w, char ch)
{
    unsigned char u = (unsigned char)ch;
    if (u <= 0x20 || u >= 0x7f) {
        w->bad = true;
        return;
    }
    if (!is_alnum(u) && ch != '_')
        cpe_put(w, '\\');
    cpe_put(w, lower(ch));
}

static void cpe_begin(struct cpe_w *w)
{
    w->c->off[w->attr] = (unsigned short)w->used;
    w->c->kind[w->attr] = PM_CPE_VALUE;
}

static void cpe_end(struct cpe_w *w)
{
    if (w->used == w->c->off[w->attr])
        w->c->kind[w->attr] = PM_CPE_ANY;
    cpe_put(w, '\0');
    w->attr++;
}

/* Takes a component that is no value: one past the last attribute (refused), ANY (empty, or
 * "*" when star says so) or NA ("-"). Returns false when s[0..n) is a value to read. */
static bool cpe_not_value(struct cpe_w *w, const char *s, size_t n, bool star)
{
    if (w->attr >= PM_CPE_NATTR)
        w->bad = true;
    else if (n == 0 || (star && n == 1 && s[0] == '*'))
        w->c->kind[w->attr++] = PM_CPE_ANY;
    else if (n == 1 && s[0] == '-')
        w->c->kind[w->attr++] = PM_CPE_NA;
    else
        return false;
    return true;
}

/* One component of a 2.3 formatted string, s[0..n). */
static void cpe_fs_component(struct cpe_w *w, const char *s, size_t n)
{
    if (cpe_not_value(w, s, n, true))
        return;
    cpe_begin(w);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\') {
            if (++i >= n) {
                w->bad = true;
                break;
            }
            cpe_literal(w, s[i]);
        } else if (s[i] == '*' || s[i] == '?') {
            cpe_put(w, s[i]);
            w->c->wild[w->attr] = true;
        } else {
            cpe_literal(w, s[i]);
        }
    }
    cpe_end(w);
}

/* One component of a 2.2 URI, s[0..n), into attribute w->attr. */
static void cpe_uri_component(struct cpe_w *w, const char *s, size_t n)
{
    if (cpe_not_value(w, s, n, false))
        return;
    cpe_begin(w);
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            cpe_literal(w, s[i]);
            continue;
        }
        int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
        int lo = hi >= 0 ? hexval(s[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
            w->bad = true;
            break;
        }
        int ch = hi * 16 + lo;
        i += 2;
        if (ch == 1 || ch == 2) {
            cpe_put(w, ch == 1 ? '?' : '*');
            w->c->wild[w->attr] = true;
        } else {
            cpe_literal(w, (char)ch);
        }
    }
    cpe_end(w);
}

int pm_cpe_parse(const char *s, struct pm_cpe *c)
{
    memset(c->kind, PM_CPE_ANY, sizeof(c->kind));
    memset(c->wild, 0, sizeof(c->wild));
    memset(c->off, 0, sizeof(c->off));
    c->buf[0] = '\0';
    struct cpe_w w = {.c = c};
    size_t len = s ? strlen(s) : 0;
    if (len == 0 || len > PM_CPE_INPUT_MAX)
        return RB_EINVAL;
    if (strncasecmp(s, "cpe:2.3:", 8) == 0) {
        const char *p = s + 8;
        size_t start = 0, n = strlen(p);
        for (size_t i = 0; i <= n; i++) {
            if (i < n && p[i] == '\\' && i + 1 < n) {
                i++;
                continue;
            }
            if (i < n && p[i] != ':')
                continue;
            cpe_fs_component(&w, p + start, i - start);
            start = i + 1;
        }
    } else if (strncasecmp(s, "cpe:/", 5) == 0) {
        const char *p = s + 5;
        size_t start = 0, n = strlen(p);
        for (size_t i = 0; i <= n && !w.bad; i++) {
            if (i < n && p[i] != ':')
                continue;
            if (w.attr == PM_CPE_EDITION && i > start && p[start] == '~') {
                /* packed: ~edition~sw_edition~target_sw~target_hw~other */
                static const int packed[] = {PM_CPE_EDITION, PM_CPE_SW_EDITION, PM_CPE_TARGET_SW,
                                             PM_CPE_TARGET_HW, PM_CPE_OTHER};
                size_t f = start + 1, field = 0;
                for (size_t j = start + 1; j <= i && !w.bad; j++) {
                    if (j < i && p[j] != '~')
                        continue;
                    if (field >= RB_ARRAY_LEN(packed)) {
                        w.bad = true;
                        break;
                    }
                    w.attr = packed[field++];
                    cpe_uri_component(&w, p + f, j - f);
                    f = j + 1;
                }
                w.attr = PM_CPE_LANGUAGE;
                start = i + 1;
                continue;
            }
            if (w.attr > PM_CPE_LANGUAGE) {
                w.bad = true;
                break;
            }
            cpe_uri_component(&w, p + start, i - start);
            start = i + 1;
        }
    } else {
        return RB_EINVAL;
    }
    if (!w.bad && c->kind[PM_CPE_PART] == PM_CPE_VALUE) {
        const char *part = c->buf + c->off[PM_CPE_PART];
        w.bad = c->wild[PM_CPE_PART] || part[1] != '\0' || !strchr("aoh", part[0]);
    }
    return w.bad ? RB_EINVAL : 0;
}

const char *pm_cpe_value(const struct pm_cpe *c, int i, char *out, size_t cap)
{
    size_t n = 0;
    if (cap == 0)
        return out;
    if (i >= 0 && i < PM_CPE_NATTR && c->kind[i] == PM_CPE_VALUE) {
        for (const char *p = c->buf + c->off[i]; *p && n + 1 < cap; p++) {
            if (*p == '\\' && p[1])
                p++;
            out[n++] = *p;
        }
    }
    out[n] = '\0';
    return out;
}

/* One element of a value: a quoted character (2 bytes) or one byte. */
static size_t elem_len(const char *p)
{
    return p[0] == '\\' && p[1] ? 2 : 1;
}

/* Whether pattern p (with unquoted * and ?) matches value t. */
static bool cpe_glob(const char *p, const char *t)
{
    const char *star = NULL, *back = NULL;
    while (*t) {
        if (*p == '*') {
            star = ++p;
            back = t;
            continue;
        }
        size_t lp = elem_len(p), lt = elem_len(t);
        if (*p == '?' || (*p && lp == lt && memcmp(p, t, lp) == 0)) {
            p += *p == '?' ? 1 : lp;
            t += lt;
            continue;
        }
        if (!star)
            return false;
        back += elem_len(back);
        t = back;
        p = star;
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

static bool attr_overlap(const struct pm_cpe *a, const struct pm_cpe *b, int i)
{
    int ka = a->kind[i], kb = b->kind[i];
    if (ka == PM_CPE_ANY || kb == PM_CPE_ANY)
        return true;
    if (ka == PM_CPE_NA || kb == PM_CPE_NA)
        return ka == kb;
    const char *va = a->buf + a->off[i], *vb = b->buf + b->off[i];
    if (a->wild[i] && b->wild[i])
        return true;
    if (a->wild[i])
        return cpe_glob(va, vb);
    if (b->wild[i])
        return cpe_glob(vb, va);
    return i == PM_CPE_VERSION ? pm_vercmp(va, vb) == 0 : strcmp(va, vb) == 0;
}

bool pm_cpe_overlap(const struct pm_cpe *a, const struct pm_cpe *b, bool with_version)
{
    for (int i = 0; i < PM_CPE_NATTR; i++) {
        if ((i != PM_CPE_VERSION || with_version) && !attr_overlap(a, b, i))
            return false;
    }
    return true;
}

/* ---- PURL ---- */

/* Types whose namespace and name are case-insensitive (lowercased). */
static const char *const purl_lower_types[] = {
    "alpm", "apk", "bitbucket", "composer", "deb", "github", "hex", "npm", "pypi", NULL,
};

struct purl_w {
    struct pm_purl *p;
    size_t used;
    bool bad;
};

/* Appends s[0..n) percent-decoded (lowercased with low); "/" between namespace segments is
 * given by the caller. */
static void purl_add(struct purl_w *w, const char *s, size_t n, bool low)
{
    for (size_t i = 0; i < n && !w->bad; i++) {
        char ch = s[i];
        if (ch == '%') {
            int hi = i + 1 < n ? hexval(s[i + 1]) : -1;
            int lo = i + 2 < n && hi >= 0 ? hexval(s[i + 2]) : -1;
            if (lo < 0 || (hi == 0 && lo == 0)) {
                w->bad = true;
                break;
            }
            ch = (char)(hi * 16 + lo);
            i += 2;
        }
        if (w->used + 2 >= PM_PURL_BYTES) {
            w->bad = true;
            break;
        }
        w->p->buf[w->used++] = low ? lower(ch) : ch;
    }
}

static unsigned short purl_end(struct purl_w *w)
{
    if (w->used + 1 >= PM_PURL_BYTES) {
        w->bad = true;
        return 0;
    }
    w->p->buf[w->used++] = '\0';
    return (unsigned short)w->used;
}

int pm_purl_parse(const char *s, struct pm_purl *p)
{
    memset(p, 0, offsetof(struct pm_purl, buf));
    p->buf[0] = '\0';
    struct purl_w w = {.p = p};
    size_t n = s ? strlen(s) : 0;
    if (n < 5 || n > PM_PURL_INPUT_MAX || strncasecmp(s, "pkg:", 4) != 0)
        return RB_EINVAL;
    const char *b = s + 4, *e = s + n;
    while (b < e && *b == '/')
        b++;
    const char *hash = memchr(b, '#', (size_t)(e - b));
    if (hash)
        e = hash;
    const char *q = memchr(b, '?', (size_t)(e - b));
    if (q)
        e = q;
    while (e > b && e[-1] == '/')
        e--;
    const char *slash = memchr(b, '/', (size_t)(e - b));
    if (!slash || slash == b)
        return RB_EINVAL;
    /* the type */
    p->type = 0;
    for (const char *t = b; t < slash; t++) {
        if (!is_alnum((unsigned char)*t) && *t != '.' && *t != '+' && *t != '-')
            return RB_EINVAL;
    }
    purl_add(&w, b, (size_t)(slash - b), true);
    p->ns = purl_end(&w);
    const char *type = p->buf;
    bool low = false;
    for (int i = 0; purl_lower_types[i]; i++)
        low |= strcmp(type, purl_lower_types[i]) == 0;
    bool pypi = strcmp(type, "pypi") == 0;
    const char *rest = slash + 1;
    /* the version: after the rightmost "@" that no "/" follows ("@scope/name" is a scope) */
    const char *at = NULL;
    for (const char *t = rest; t < e; t++) {
        if (*t == '@')
            at = t;
        else if (*t == '/')
            at = NULL;
    }
    const char *name_end = at ? at : e;
    while (name_end > rest && name_end[-1] == '/') /* "name/@1.0" */
        name_end--;
    const char *last = name_end;
    while (last > rest && last[-1] != '/')
        last--;
    /* the namespace: the segments before the name, empty ones dropped */
    bool first = true;
    for (const char *seg = rest; seg < last;) {
        const char *se = memchr(seg, '/', (size_t)(last - seg));
        if (!se)
            se = last;
        if (se > seg) {
            if (!first)
                purl_add(&w, "/", 1, false);
            purl_add(&w, seg, (size_t)(se - seg), low);
            first = false;
        }
        seg = se + 1;
    }
    p->name = purl_end(&w);
    size_t name_at = w.used;
    purl_add(&w, last, (size_t)(name_end - last), low);
    if (w.used == name_at)
        return RB_EINVAL;
    if (pypi) {
        for (size_t i = name_at; i < w.used; i++) {
            if (p->buf[i] == '_')
                p->buf[i] = '-';
        }
    }
    unsigned short vat = purl_end(&w);
    if (at && at + 1 < e) {
        p->version = vat;
        purl_add(&w, at + 1, (size_t)(e - at - 1), false);
        purl_end(&w);
        p->has_version = true;
    }
    return w.bad ? RB_EINVAL : 0;
}

bool pm_purl_same_package(const struct pm_purl *a, const struct pm_purl *b)
{
    return strcmp(pm_purl_type(a), pm_purl_type(b)) == 0 &&
           strcmp(pm_purl_ns(a), pm_purl_ns(b)) == 0 &&
           strcmp(pm_purl_name(a), pm_purl_name(b)) == 0;
}

/* ---- names of the enums ---- */

static const char *const how_names[] = {"none", "cpe", "purl", "name"};
static const char *const sure_names[] = {"version_in", "version_all", "version_unknown"};

const char *pm_how_name(enum pm_how how)
{
    return (unsigned)how < RB_ARRAY_LEN(how_names) ? how_names[how] : "none";
}

const char *pm_sure_name(enum pm_sure sure)
{
    return (unsigned)sure < RB_ARRAY_LEN(sure_names) ? sure_names[sure] : "version_unknown";
}

/* ---- the prepared set ---- */

#define NAME_WORDS_MAX 64

/* One affected product, normalised. */
struct pm_prod {
    int index; /* in the caller's array */
    const struct csaf_product *p;
    const char *vkey;    /* squashed vendor words; "" when the tree names no vendor */
    struct vnames vn;    /* the vendor's words, as written and without company forms */
    const char *pkey;    /* product words without the vendor's; NULL: match on the full name */
    const char *pkey_sq; /* pkey without its spaces */
    size_t pkn;
    const char *nkey; /* name mode: the name's words without the vendor's */
    size_t nkn;
    const unsigned short *nend; /* offset in p->name past each word of nkey */
    int nwords;
    const struct pm_range *range; /* from the branches; NULL: they say no version */
    bool range_bad;               /* they say one that was not understood */
    const struct pm_cpe *cpe;
    const struct pm_range *cpe_range; /* the CPE's version; NULL: ANY */
    const struct pm_purl *purl;
    const struct pm_range *purl_range;
};

struct pm_slot {
    uint64_t h;
    const char *key; /* "v:siemens"; NULL: empty */
    int head, tail;  /* postings */
};

struct pm_set {
    struct pm_prod *prods;
    int n;
    struct pm_slot *slots;
    unsigned mask;
    int nkeys;
    const char **keys; /* in insertion order, for pm_set_key */
    int *post_prod, *post_next;
    int nposts;
    bool any_word, any_cpe, any_purl;
    uint64_t sketch[1024];     /* vendor_sketch bits of the vendors filed under v: keys */
    uint64_t key_sketch[1024]; /* key_sketch bits of the same vendors' keys */
};

static const struct pm_range all_versions = {.all = true};

/* A 64-bit hash of s[0..n), eight bytes a step (keys are short; this is on every item's path). */
static uint64_t hash_key(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
        s += 8, n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}

/* The most bytes of a key after its tag: every key is cut to it where it is filed, looked up
 * and handed out, so that a cut key still finds its products (which are then compared in full). */
#define KEY_MAX (PM_NAME_MAX - 3)

static const struct pm_slot *find_slot(const struct pm_set *s, const char *key, size_t n)
{
    if (n > 2 + KEY_MAX)
        n = 2 + KEY_MAX;
    uint64_t h = hash_key(key, n);
    for (unsigned i = (unsigned)h & s->mask;; i = (i + 1) & s->mask) {
        const struct pm_slot *sl = &s->slots[i];
        if (!sl->key)
            return NULL;
        if (sl->h == h && strncmp(sl->key, key, n) == 0 && sl->key[n] == '\0')
            return sl;
    }
}

bool pm_set_has_key(const struct pm_set *s, const char *key)
{
    return s && key && key[0] != 'n' && find_slot(s, key, strlen(key)) != NULL;
}

const char *pm_set_key(const struct pm_set *s, int i)
{
    return s && i >= 0 && i < s->nkeys ? s->keys[i] : NULL;
}

/* The slot of key[0..n) ("tag:..."), made when absent; an item-facing key (tags v, w, c, p) is
 * also listed for pm_set_key. NULL when memory runs out. */
static struct pm_slot *slot_for(struct pm_set *s, rb_arena *a, const char *key, size_t n)
{
    uint64_t h = hash_key(key, n);
    unsigned i = (unsigned)h & s->mask;
    while (s->slots[i].key && !(s->slots[i].h == h && strncmp(s->slots[i].key, key, n) == 0 &&
                                s->slots[i].key[n] == '\0'))
        i = (i + 1) & s->mask;
    struct pm_slot *sl = &s->slots[i];
    if (!sl->key) {
        char *copy = rb_arena_strndup(a, key, n);
        if (!copy)
            return NULL;
        sl->key = copy;
        sl->h = h;
        sl->head = sl->tail = -1;
        if (key[0] != 'n')
            s->keys[s->nkeys++] = copy;
    }
    return sl;
}

/* Files product k under tag:key[0..n) (cut to PM_NAME_MAX); with k < 0 only makes the key. */
static int file_under(struct pm_set *s, rb_arena *a, char tag, const char *key, size_t n, int k)
{
    char buf[PM_NAME_MAX + 2];
    if (n == 0)
        return 0;
    if (n > KEY_MAX)
        n = KEY_MAX;
    buf[0] = tag;
    buf[1] = ':';
    memcpy(buf + 2, key, n);
    buf[n + 2] = '\0';
    struct pm_slot *sl = slot_for(s, a, buf, n + 2);
    if (!sl)
        return RB_ENOMEM;
    /* a product filed twice under one key (its CPE and its name agree) is filed once */
    if (k < 0 || (sl->tail >= 0 && s->post_prod[sl->tail] == k))
        return 0;
    int post = s->nposts++;
    s->post_prod[post] = k;
    s->post_next[post] = -1;
    if (sl->tail >= 0)
        s->post_next[sl->tail] = post;
    else
        sl->head = post;
    sl->tail = post;
    return 0;
}

/* The version a product's branches give: the range, else the version with its service pack
 * ("3.3 SP1"; a service pack that starts with a digit is the whole version: "12.2(55)SE"). */
static int branch_range(const struct csaf_product *p, rb_arena *a, struct pm_prod *pp)
{
    char v[PM_RANGE_BYTES];
    const char *text = p->version_range;
    if (!text && p->version && p->service_pack) {
        if (is_digit((unsigned char)*ver_start(p->service_pack)))
            text = p->service_pack;
        else if (rb_fmt(v, sizeof(v), "%s %s", p->version, p->service_pack) == 0)
            text = v;
    }
    if (!text)
        text = p->version ? p->version : p->service_pack;
    if (!text)
        return 0;
    struct pm_range *r = rb_arena_alloc(a, sizeof(*r));
    if (!r)
        return RB_ENOMEM;
    if (pm_range_parse(text, r) == 0)
        pp->range = r;
    else
        pp->range_bad = true;
    return 0;
}

static char *arena_copy(rb_arena *a, const char *s, size_t n, int *rc)
{
    char *c = *rc ? NULL : rb_arena_strndup(a, s, n);
    if (!c && !*rc)
        *rc = RB_ENOMEM;
    return c;
}

/* Normalises products[k] into pp. */
static int prepare_one(const struct csaf_product *p, int k, rb_arena *a, struct pm_prod *pp)
{
    int rc = 0;
    char buf[PM_NAME_MAX];
    memset(pp, 0, sizeof(*pp));
    pp->index = k;
    pp->p = p;
    size_t n = norm_words(p->vendor, buf, sizeof(buf), NULL, 0, NULL);
    pp->vn.raw = arena_copy(a, buf, n, &rc);
    pp->vn.rawn = n;
    n = vendor_words(p->vendor, buf, sizeof(buf));
    pp->vn.clean = arena_copy(a, buf, n, &rc);
    pp->vn.cleann = n;
    n = squash(buf, n);
    pp->vkey = arena_copy(a, buf, n, &rc);
    if (rc)
        return rc;
    if (p->product) {
        n = product_words(p->product, &pp->vn, buf, sizeof(buf));
        if (n) {
            pp->pkey = arena_copy(a, buf, n, &rc);
            pp->pkn = n;
            n = squash(buf, n);
            pp->pkey_sq = arena_copy(a, buf, n, &rc);
        }
    }
    if (!pp->pkey && p->name) {
        unsigned short ends[NAME_WORDS_MAX];
        int nw = 0;
        n = norm_words(p->name, buf, sizeof(buf), ends, NAME_WORDS_MAX, &nw);
        int skip = strip_vendor(buf, &n, &pp->vn);
        unsigned short *e = rb_arena_alloc(a, sizeof(*e) * (size_t)(nw > 0 ? nw : 1));
        if (!e)
            return RB_ENOMEM;
        memcpy(e, ends + skip, sizeof(*e) * (size_t)(nw - skip));
        pp->nend = e;
        pp->nwords = nw - skip;
        pp->nkey = arena_copy(a, buf, n, &rc);
        pp->nkn = n;
    }
    if (rc)
        return rc;
    rc = branch_range(p, a, pp);
    if (!rc && p->cpe) {
        struct pm_cpe *c = rb_arena_alloc(a, sizeof(*c));
        if (!c)
            return RB_ENOMEM;
        if (pm_cpe_parse(p->cpe, c) == 0) {
            pp->cpe = c;
            if (c->kind[PM_CPE_VERSION] == PM_CPE_NA) {
                pp->cpe_range = &all_versions;
            } else if (c->kind[PM_CPE_VERSION] == PM_CPE_VALUE && !c->wild[PM_CPE_VERSION]) {
                struct pm_range *r = rb_arena_alloc(a, sizeof(*r));
                if (!r)
                    return RB_ENOMEM;
                if (pm_range_eq(c->buf + c->off[PM_CPE_VERSION], r) == 0)
                    pp->cpe_range = r;
            }
        }
    }
    if (!rc && p->purl) {
        struct pm_purl *u = rb_arena_alloc(a, sizeof(*u));
        if (!u)
            return RB_ENOMEM;
        if (pm_purl_parse(p->purl, u) == 0) {
            pp->purl = u;
            if (u->has_version) {
                struct pm_range *r = rb_arena_alloc(a, sizeof(*r));
                if (!r)
                    return RB_ENOMEM;
                if (pm_range_eq(pm_purl_version(u), r) == 0)
                    pp->purl_range = r;
            }
        }
    }
    return rc;
}

/* Writes "vendor:product" of CPE c into out; 0 when c has no plain vendor and product. */
static size_t cpe_key(const struct pm_cpe *c, char *out, size_t cap)
{
    if (c->kind[PM_CPE_VENDOR] != PM_CPE_VALUE || c->kind[PM_CPE_PRODUCT] != PM_CPE_VALUE ||
        c->wild[PM_CPE_VENDOR] || c->wild[PM_CPE_PRODUCT])
        return 0;
    if (rb_fmt(out, cap, "%s:%s", c->buf + c->off[PM_CPE_VENDOR],
               c->buf + c->off[PM_CPE_PRODUCT]) != 0)
        return 0;
    return strlen(out);
}

static size_t purl_key(const struct pm_purl *u, char *out, size_t cap)
{
    if (rb_fmt(out, cap, "%s/%s/%s", pm_purl_type(u), pm_purl_ns(u), pm_purl_name(u)) != 0)
        return 0;
    return strlen(out);
}

static int index_prod(struct pm_set *s, rb_arena *a, int k)
{
    const struct pm_prod *pp = &s->prods[k];
    char buf[PM_NAME_MAX];
    int rc = 0;
    size_t n;
    size_t vn = strlen(pp->vkey);
    if (vn) {
        unsigned sk = vendor_sketch(pp->p->vendor);
        s->sketch[sk >> 6] |= 1ull << (sk & 63);
        sk = key_sketch(pp->vkey);
        s->key_sketch[sk >> 6] |= 1ull << (sk & 63);
    }
    if (vn && pp->pkey) {
        /* v:vendor says the vendor is here; n:vendor/product holds the product */
        rc = file_under(s, a, 'v', pp->vkey, vn, -1);
        char nkey[2 * PM_NAME_MAX];
        if (!rc && rb_fmt(nkey, sizeof(nkey), "%s/%s", pp->vkey, pp->pkey_sq) == 0)
            rc = file_under(s, a, 'n', nkey, strlen(nkey), k);
    } else if (vn) {
        rc = file_under(s, a, 'v', pp->vkey, vn, k);
    } else {
        const char *w = pp->pkey ? pp->pkey : pp->nkey;
        size_t wn = pp->pkey ? pp->pkn : pp->nkn;
        if (w && wn) {
            rc = file_under(s, a, 'w', w, first_word(w, wn), k);
            s->any_word = true;
        }
    }
    if (!rc && pp->cpe && (n = cpe_key(pp->cpe, buf, sizeof(buf))) > 0) {
        rc = file_under(s, a, 'c', buf, n, k);
        s->any_cpe = true;
    }
    if (!rc && pp->purl && (n = purl_key(pp->purl, buf, sizeof(buf))) > 0) {
        rc = file_under(s, a, 'p', buf, n, k);
        s->any_purl = true;
    }
    return rc;
}

int pm_prepare(const struct csaf_product *products, int n, rb_arena *a, struct pm_set **out,
               rb_errinfo *ei)
{
    int rc = RB_EINVAL;
    rb_errinfo_clear(ei);
    if (n < 0 || n > CSAF_PRODUCTS_MAX || (n > 0 && !products)) {
        rc = rb_err(ei, RB_EINVAL, "products", "between 0 and %d products can be matched",
                    CSAF_PRODUCTS_MAX);
        goto out;
    }
    int m = 0;
    for (int i = 0; i < n; i++)
        m += products[i].affected;
    unsigned nslots = 16;
    while (nslots < 8u * (unsigned)m)
        nslots *= 2;
    size_t need = sizeof(struct pm_set) + sizeof(struct pm_prod) * (size_t)(m ? m : 1) +
                  sizeof(struct pm_slot) * nslots +
                  (sizeof(char *) + 2 * sizeof(int)) * (4u * m + 1);
    if (a->used_total > a->cap || need > a->cap - a->used_total) {
        rc = rb_err(ei, RB_ETOOBIG, "products",
                    "preparing the products needs more memory than the %zu bytes allowed", a->cap);
        goto out;
    }
    struct pm_set *s = rb_arena_alloc(a, sizeof(*s));
    if (s) {
        s->prods = rb_arena_alloc(a, sizeof(*s->prods) * (size_t)(m ? m : 1));
        s->slots = rb_arena_alloc(a, sizeof(*s->slots) * nslots);
        s->keys = rb_arena_alloc(a, sizeof(*s->keys) * (size_t)(4 * m + 1));
        s->post_prod = rb_arena_alloc(a, sizeof(int) * (size_t)(4 * m + 1));
        s->post_next = rb_arena_alloc(a, sizeof(int) * (size_t)(4 * m + 1));
    }
    rc = !s || !s->prods || !s->slots || !s->keys || !s->post_prod || !s->post_next ? RB_ENOMEM : 0;
    if (rc)
        goto mem;
    s->mask = nslots - 1;
    for (int i = 0; i < n && !rc; i++) {
        if (!products[i].affected)
            continue;
        rc = prepare_one(&products[i], i, a, &s->prods[s->n]);
        if (!rc)
            rc = index_prod(s, a, s->n++);
    }
    if (rc)
        goto mem;
    *out = s;
    goto out;
mem:
    /* Past the first arrays, no allocation here asks for more than a few hundred bytes: an
     * arena that has less than a page left was stopped by its cap. */
    if (a->used_total + 4096 > a->cap)
        rc = rb_err(ei, RB_ETOOBIG, "products",
                    "preparing the products needs more memory than the %zu bytes allowed", a->cap);
    else
        rc = rb_err(ei, RB_ENOMEM, "products", "out of memory preparing the products");
out:
    return rc;
}

int pm_set_size(const struct pm_set *s)
{
    return s ? s->n : 0;
}

/* ---- matching ---- */

/* An inventory item, normalised as far as needed. */
struct ictx {
    const struct pm_item *in;
    char vw[PM_NAME_MAX]; /* vendor words */
    size_t vwn;
    bool vw_done;
    char vk[PM_NAME_MAX + 2]; /* "v:" and the vendor key */
    size_t vkn;
    char vr[PM_NAME_MAX]; /* vendor words as written */
    size_t vrn;
    char pw[PM_NAME_MAX]; /* product words without the vendor's */
    size_t pwn;
    bool pw_done;
    int cpe_state, purl_state; /* 0 not read yet, 1 read, -1 absent or refused */
    struct pm_cpe cpe;
    struct pm_purl purl;
};

static void ictx_vendor(struct ictx *x)
{
    if (!x->vw_done) {
        x->vwn = vendor_words(x->in->vendor, x->vw, sizeof(x->vw));
        x->vw_done = true;
    }
}

/* Only the vendor key is made at once (or taken from the item): most items stop there. */
static void ictx_init(struct ictx *x, const struct pm_item *in, bool key)
{
    x->in = in;
    x->vw_done = x->pw_done = false;
    x->cpe_state = x->purl_state = 0;
    x->vk[0] = 'v';
    x->vk[1] = ':';
    x->vk[2] = '\0';
    x->vkn = 2;
    if (!key)
        return;
    if (in->vendor_key) {
        x->vkn = strnlen(in->vendor_key, PM_NAME_MAX - 1);
        memcpy(x->vk + 2, in->vendor_key, x->vkn);
        x->vk[x->vkn + 2] = '\0';
        x->vkn += 2;
        return;
    }
    ictx_vendor(x);
    memcpy(x->vk + 2, x->vw, x->vwn + 1);
    x->vkn = squash(x->vk + 2, x->vwn) + 2;
}

static void ictx_product(struct ictx *x)
{
    if (!x->pw_done) {
        ictx_vendor(x);
        x->vrn = norm_words(x->in->vendor, x->vr, sizeof(x->vr), NULL, 0, NULL);
        struct vnames v = {x->vr, x->vw, x->vrn, x->vwn};
        x->pwn = product_words(x->in->product, &v, x->pw, sizeof(x->pw));
        x->pw_done = true;
    }
}

static bool ictx_cpe(struct ictx *x)
{
    if (x->cpe_state == 0)
        x->cpe_state = x->in->cpe && pm_cpe_parse(x->in->cpe, &x->cpe) == 0 ? 1 : -1;
    return x->cpe_state > 0;
}

static bool ictx_purl(struct ictx *x)
{
    if (x->purl_state == 0)
        x->purl_state = x->in->purl && pm_purl_parse(x->in->purl, &x->purl) == 0 ? 1 : -1;
    return x->purl_state > 0;
}

/* The version verdict of range r (bad: one not understood) for version v. */
static enum pm_verdict check_version(const struct pm_range *r, bool bad, const char *v,
                                     enum pm_sure *sure)
{
    *sure = PM_VERSION_UNKNOWN;
    if (r && r->all) {
        *sure = PM_VERSION_ALL;
        return PM_IN;
    }
    if (!r || bad || rb_empty(v))
        return PM_UNKNOWN;
    enum pm_verdict t = pm_range_test(r, v);
    if (t == PM_IN)
        *sure = PM_VERSION_IN;
    return t;
}

static enum pm_how decide(enum pm_how how, enum pm_verdict v)
{
    return v == PM_OUT ? PM_NONE : how;
}

/* The name route, full-name mode: what follows the matched words is the version. */
static enum pm_how match_full_name(const struct pm_prod *pp, struct ictx *x, enum pm_sure *sure)
{
    char both[2][2 * PM_NAME_MAX];
    const char *cand[3];
    size_t cn[3];
    int nc = 0;
    if (x->pwn)
        cand[nc] = x->pw, cn[nc++] = x->pwn;
    /* a name without a vendor branch may start with the vendor's words, as written or not */
    if (!pp->vkey[0] && x->pwn) {
        if (x->vrn && rb_fmt(both[0], sizeof(both[0]), "%s %s", x->vr, x->pw) == 0)
            cand[nc] = both[0], cn[nc++] = strlen(both[0]);
        if (x->vwn && x->vwn != x->vrn &&
            rb_fmt(both[1], sizeof(both[1]), "%s %s", x->vw, x->pw) == 0)
            cand[nc] = both[1], cn[nc++] = strlen(both[1]);
    }
    for (int i = 0; i < nc; i++) {
        if (!word_prefix(cand[i], cn[i], pp->nkey, pp->nkn))
            continue;
        if (pp->range || pp->range_bad)
            return decide(PM_NAME, check_version(pp->range, pp->range_bad, x->in->version, sure));
        int words = 1;
        for (size_t k = 0; k < cn[i]; k++)
            words += cand[i][k] == ' ';
        const char *tail = words <= pp->nwords ? pp->p->name + pp->nend[words - 1] : "";
        while (*tail && (is_space(*tail) || *tail == ':' || *tail == ',' || *tail == '-'))
            tail++;
        struct pm_range r;
        if (!*tail)
            return decide(PM_NAME, check_version(NULL, false, x->in->version, sure));
        bool bad = pm_range_parse(tail, &r) != 0;
        return decide(PM_NAME, check_version(&r, bad, x->in->version, sure));
    }
    return PM_NONE;
}

static enum pm_how match_name(const struct pm_prod *pp, struct ictx *x, enum pm_sure *sure)
{
    if (pp->vkey[0] && strcmp(pp->vkey, x->vk + 2) != 0)
        return PM_NONE;
    ictx_product(x);
    if (!pp->pkey)
        return pp->nkey ? match_full_name(pp, x, sure) : PM_NONE;
    if (!squashed_prefix(pp->pkey_sq, x->pw, x->pwn))
        return PM_NONE;
    return decide(PM_NAME, check_version(pp->range, pp->range_bad, x->in->version, sure));
}

/* Whether item x matches product pp, and how. */
static enum pm_how evaluate(const struct pm_prod *pp, struct ictx *x, enum pm_sure *sure)
{
    *sure = PM_VERSION_UNKNOWN;
    if (pp->cpe && ictx_cpe(x) && pm_cpe_overlap(pp->cpe, &x->cpe, false)) {
        const char *v = x->in->version;
        char iv[PM_CPE_BYTES];
        if (x->cpe.kind[PM_CPE_VERSION] == PM_CPE_VALUE && !x->cpe.wild[PM_CPE_VERSION])
            v = pm_cpe_value(&x->cpe, PM_CPE_VERSION, iv, sizeof(iv));
        const struct pm_range *r = pp->cpe_range ? pp->cpe_range : pp->range;
        bool bad = !pp->cpe_range && pp->range_bad;
        return decide(PM_CPE, check_version(r, bad, v, sure));
    }
    if (pp->purl && ictx_purl(x) && pm_purl_same_package(pp->purl, &x->purl)) {
        const char *v = pm_purl_version(&x->purl) ? pm_purl_version(&x->purl) : x->in->version;
        const struct pm_range *r = pp->purl_range ? pp->purl_range : pp->range;
        bool bad = !pp->purl_range && pp->range_bad;
        return decide(PM_PURL, check_version(r, bad, v, sure));
    }
    return match_name(pp, x, sure);
}

enum pm_how pm_match(const struct pm_item *inv, const struct csaf_product *p, enum pm_sure *sure)
{
    enum pm_how how = PM_NONE;
    enum pm_sure s = PM_VERSION_UNKNOWN;
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    struct pm_prod pp;
    struct ictx *x = rb_malloc(sizeof(*x));
    if (inv && p && x && prepare_one(p, 0, &a, &pp) == 0) {
        ictx_init(x, inv, true);
        how = evaluate(&pp, x, &s);
    }
    rb_free(x);
    rb_arena_release(&a);
    if (sure)
        *sure = s;
    return how;
}

/* Evaluates the products filed in slot sl for x, adding hits not yet in hits[0..*nh). */
static void match_posts(const struct pm_set *s, struct ictx *x, const struct pm_slot *sl,
                        struct pm_hit *hits, int max, int *nh)
{
    for (int post = sl ? sl->head : -1; post >= 0 && *nh < max; post = s->post_next[post]) {
        const struct pm_prod *pp = &s->prods[s->post_prod[post]];
        bool dup = false;
        for (int i = 0; i < *nh && !dup; i++)
            dup = hits[i].product == pp->index;
        enum pm_sure sure;
        enum pm_how how = dup ? PM_NONE : evaluate(pp, x, &sure);
        if (how != PM_NONE)
            hits[(*nh)++] = (struct pm_hit){.product = pp->index, .how = how, .sure = sure};
    }
}

static void match_key(const struct pm_set *s, struct ictx *x, const char *key, size_t n,
                      struct pm_hit *hits, int max, int *nh)
{
    const struct pm_slot *sl = find_slot(s, key, n);
    if (sl)
        match_posts(s, x, sl, hits, max, nh);
}

/* Looks up n:vendor/product for each start of the item's product words ("simatic", "simatic
 * s7", "simatic s7 1500", ...), without their spaces: a product matches when it is one. */
static void match_products(const struct pm_set *s, struct ictx *x, struct pm_hit *hits, int max,
                           int *nh)
{
    char key[2 * PM_NAME_MAX + 4];
    ictx_product(x);
    size_t vn = x->vkn - 2;
    if (vn + 4 + x->pwn >= sizeof(key))
        return;
    key[0] = 'n';
    key[1] = ':';
    memcpy(key + 2, x->vk + 2, vn);
    size_t k = 2 + vn;
    key[k++] = '/';
    size_t start = k;
    for (size_t i = 0; i <= x->pwn; i++) {
        if (i < x->pwn && x->pw[i] != ' ') {
            key[k++] = x->pw[i];
            continue;
        }
        if (k > start)
            match_key(s, x, key, k, hits, max, nh);
        if (k > 2 + KEY_MAX)
            break; /* longer starts are cut to the same key */
    }
}

/* Looks up tag:word, the first word of words[0..n). */
static void match_word(const struct pm_set *s, struct ictx *x, const char *w, size_t n,
                       struct pm_hit *hits, int max, int *nh)
{
    char key[PM_NAME_MAX + 2];
    size_t k = first_word(w, n);
    if (k == 0)
        return;
    key[0] = 'w';
    key[1] = ':';
    memcpy(key + 2, w, k);
    match_key(s, x, key, k + 2, hits, max, nh);
}

int pm_set_match(const struct pm_set *s, const struct pm_item *inv, struct pm_hit *hits, int max)
{
    int nh = 0;
    if (!s || !inv || s->n == 0 || max <= 0)
        return 0;
    struct ictx x;
    const uint64_t *bits = inv->vendor_key ? s->key_sketch : s->sketch;
    unsigned sk = inv->vendor_key ? key_sketch(inv->vendor_key) : vendor_sketch(inv->vendor);
    bool maybe = bits[sk >> 6] >> (sk & 63) & 1;
    ictx_init(&x, inv, maybe);
    const struct pm_slot *vendor = maybe && x.vkn > 2 ? find_slot(s, x.vk, x.vkn) : NULL;
    if (vendor) {
        match_posts(s, &x, vendor, hits, max, &nh);
        match_products(s, &x, hits, max, &nh);
    }
    if (s->any_word) {
        char raw[PM_NAME_MAX];
        size_t rn = pm_norm_words(inv->product, raw, sizeof(raw));
        ictx_vendor(&x);
        match_word(s, &x, x.vw, x.vwn, hits, max, &nh);
        match_word(s, &x, raw, rn, hits, max, &nh);
    }
    char key[PM_NAME_MAX + 2];
    size_t n;
    if (s->any_cpe && inv->cpe && ictx_cpe(&x) && (n = cpe_key(&x.cpe, key + 2, PM_NAME_MAX))) {
        key[0] = 'c';
        key[1] = ':';
        match_key(s, &x, key, n + 2, hits, max, &nh);
    }
    if (s->any_purl && inv->purl && ictx_purl(&x) &&
        (n = purl_key(&x.purl, key + 2, PM_NAME_MAX))) {
        key[0] = 'p';
        key[1] = ':';
        match_key(s, &x, key, n + 2, hits, max, &nh);
    }
    return nh;
}

/* Adds "tag:" and v[0..n) as keys[*nk] when there is room and v is not empty. */
static void put_key(char (*keys)[PM_NAME_MAX], int max, int *nk, char tag, const char *v, size_t n)
{
    if (*nk >= max || n == 0)
        return;
    if (n > KEY_MAX)
        n = KEY_MAX;
    keys[*nk][0] = tag;
    keys[*nk][1] = ':';
    memcpy(keys[*nk] + 2, v, n);
    keys[*nk][n + 2] = '\0';
    ++*nk;
}

int pm_item_keys(const struct pm_item *inv, char (*keys)[PM_NAME_MAX], int max)
{
    int nk = 0;
    if (!inv || !keys)
        return 0;
    struct ictx *x = rb_malloc(sizeof(*x));
    if (!x)
        return 0;
    ictx_init(x, inv, true);
    ictx_vendor(x);
    put_key(keys, max, &nk, 'v', x->vk + 2, x->vkn - 2);
    char raw[PM_NAME_MAX], buf[PM_NAME_MAX];
    size_t rn = pm_norm_words(inv->product, raw, sizeof(raw));
    size_t fv = first_word(x->vw, x->vwn), fp = first_word(raw, rn);
    put_key(keys, max, &nk, 'w', x->vw, fv);
    if (fp != fv || memcmp(raw, x->vw, fp) != 0)
        put_key(keys, max, &nk, 'w', raw, fp);
    size_t n;
    if (ictx_cpe(x) && (n = cpe_key(&x->cpe, buf, sizeof(buf))) > 0)
        put_key(keys, max, &nk, 'c', buf, n);
    if (ictx_purl(x) && (n = purl_key(&x->purl, buf, sizeof(buf))) > 0)
        put_key(keys, max, &nk, 'p', buf, n);
    rb_free(x);
    return nk;
}
