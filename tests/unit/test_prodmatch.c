/*
 * test_prodmatch.c - the CSAF product tree walk (formats/csaf_products) and the inventory
 * matcher (formats/prodmatch), as tables: one row per situation.
 *
 * The walk runs over a fixture of its own (tests/unit/fixtures/csaf_products/tree.json) and,
 * when ../shared/data is present (RABTA_DATA_DIR overrides it), over every CISA advisory and the
 * OASIS examples: each must walk, have products, and prepare for matching.
 */
#include "base/common.h"

#include "base/buf.h"
#include "formats/csaf_products.h"
#include "formats/prodmatch.h"
#include "test_util.h"

#ifndef RABTA_SOURCE_DIR
#define RABTA_SOURCE_DIR "."
#endif

/* ---- versions ---- */

TU_TEST(test_vercmp)
{
    static const struct {
        const char *a, *b;
        int want; /* the sign */
    } rows[] = {
        {"1.10", "1.9", 1},
        {"1.9", "1.10", -1},
        {"2.0", "2.0.0", 0},
        {"V2.9.7", "2.9.7", 0},
        {"v6.14.263.0", "6.14.263", 0},
        {"16.20.00001", "16.20.1", 0},
        {"1.0-rc1", "1.0", -1},
        {"1.0.0-alpha", "1.0.0-beta", -1},
        {"1.0.0-dev1", "1.0.0-alpha", -1},
        {"1.0.0-beta2", "1.0.0-rc1", -1},
        {"1.0.0-rc2", "1.0.0-rc10", -1},
        {"1.0", "1.0 SP1", -1},
        {"V5.2 SP3", "V5.2 SP2", 1},
        {"1.0.1", "1.0.1a", -1},
        {"1.0a", "1.0.1", -1},
        {"V17 Update 6", "V17 Update 5", 1},
        {"12.2(55)SE3", "12.2(55)SE", 1},
        {"2020_R2_SP1", "2020_R2", 1},
        {"FB", "FA", 1},
        {"R520.2", "R510.9", 1},
        {"10.3.3.4.6", "10.3.3.4.10", -1},
        {"123456789012345678901", "123456789012345678902", -1},
        {"", "", 0},
        {"1.2.3", "1.2.3", 0},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        int got = pm_vercmp(rows[i].a, rows[i].b);
        got = (got > 0) - (got < 0);
        ROW_CHECK(got == rows[i].want, "vercmp row %zu: %s vs %s = %d, want %d", i, rows[i].a,
                  rows[i].b, got, rows[i].want);
        int back = pm_vercmp(rows[i].b, rows[i].a);
        back = (back > 0) - (back < 0);
        ROW_CHECK(back == -rows[i].want, "vercmp row %zu reversed: %d", i, back);
    }
    static const struct tu_pair_row comparable[] = {
        {"1.2", "V3", true},
        {"FA", "FB", true},
        {"R520", "R510", true},
        {"1.2", "FB", false},
        {"April/20/2023", "1.2", false},
        {"M2.1", "2.1", false},
        {"", "1.0", false},
        {"firmware_05", "firmware_04", true},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(comparable); i++)
        ROW_CHECK(pm_ver_comparable(comparable[i].a, comparable[i].b) == comparable[i].want,
                  "comparable row %zu: %s vs %s", i, comparable[i].a, comparable[i].b);
}

/* ---- ranges ---- */

TU_TEST(test_ranges)
{
    static const struct {
        const char *range, *version;
        enum pm_verdict want;
    } rows[] = {
        /* vers */
        {"vers:generic/>=1.0|<2.0", "1.5", PM_IN},
        {"vers:generic/>=1.0|<2.0", "2.0", PM_OUT},
        {"vers:generic/>=1.0|<2.0", "1.0", PM_IN},
        {"vers:generic/>=1.0|<2.0", "0.9", PM_OUT},
        {"vers:npm/1.2.3|>=2.0.0|<5.0.0", "1.2.3", PM_IN},
        {"vers:npm/1.2.3|>=2.0.0|<5.0.0", "1.2.4", PM_OUT},
        {"vers:npm/1.2.3|>=2.0.0|<5.0.0", "4.9.9", PM_IN},
        {"vers:npm/1.2.3|>=2.0.0|<5.0.0", "5.0.0", PM_OUT},
        {"vers:pypi/*", "0.1", PM_IN},
        {"vers:all/*", "", PM_IN},
        {"vers:generic/<2.0|>=3.0", "2.5", PM_OUT},
        {"vers:generic/<2.0|>=3.0", "3.1", PM_IN},
        {"vers:generic/<2.0|>=3.0", "1.9", PM_IN},
        {"vers:generic/>=1.0|!=1.5|<2.0", "1.5", PM_OUT},
        {"vers:generic/<=4.1|>=2.9", "4.1", PM_IN}, /* unsorted: sorted by version first */
        {"vers:generic/>=2.9|<=4.1", "4.2", PM_OUT},
        {"vers:all/<V2.9.7", "2.9.6", PM_IN},
        {"vers:all/<V2.9.7", "V2.9.7", PM_OUT},
        {"vers:all/>=V7.80<V9.40", "V9.30", PM_IN},
        {"vers:all/>=V7.80<V9.40", "V7.70", PM_OUT},
        {"vers:all/>=V5.4<V5.5 SP1", "V5.5", PM_IN},
        {"vers:all/<V17 Update 6", "V17 Update 5", PM_IN},
        {"vers:all/<V17 Update 6", "V17 Update 6", PM_OUT},
        /* free text from real advisories */
        {"<=4.2", "4.2", PM_IN},
        {"<4.2", "4.2", PM_OUT},
        {"< V7.2", "7.1.9", PM_IN},
        {"<= 5.008", "5.9", PM_OUT}, /* 5.9 > 5.008 (9 > 8) */
        {"<= 5.008", "5.007", PM_IN},
        {">= V7.80 < V9.30", "8.0", PM_IN},
        {">= V7.80 < V9.30", "9.30", PM_OUT},
        {">=1.220|<=1.281", "1.250", PM_IN},
        {">=1.220|<=1.281", "1.300", PM_OUT},
        {">= 3.5.11.0 | < 3.5.19.20", "3.5.19.2", PM_IN},
        {"before 4.2", "4.1", PM_IN},
        {"before 4.2", "4.2", PM_OUT},
        {"prior to 5.1.2", "5.1.1", PM_IN},
        {"All versions prior to 5.1.2", "5.1.2", PM_OUT},
        {"4.2 and earlier", "4.2", PM_IN},
        {"2.0 and later", "3.1", PM_IN},
        {"2.0 and later", "1.9", PM_OUT},
        {"4.x", "4.9.1", PM_IN},
        {"4.x", "5.0", PM_OUT},
        {"<4.x", "3.9", PM_IN},
        {"<4.x", "4.1", PM_OUT},
        {">= 6.x | <= 10.x", "10.4", PM_IN},
        {">= 6.x | <= 10.x", "11.0", PM_OUT},
        {"all versions", "1.0", PM_IN},
        {"All versions < V1.0 SP2 Update 2", "V1.0 SP2 Update 1", PM_IN},
        {"All versions < V1.0 SP2 Update 2", "V1.0 SP3", PM_OUT},
        {"All Versions >= 1.16.4 < 1.17.2", "1.17.0", PM_IN},
        {"1.0 - 2.0", "1.5", PM_IN},
        {"1.0 - 2.0", "2.1", PM_OUT},
        {"01.14.000 -01.47.000", "1.20", PM_IN},
        {"2.00 | 2.03", "2.03", PM_IN},
        {"2.00 | 2.03", "2.01", PM_OUT},
        {"1.03.07 (build 317)", "1.03.07", PM_IN},
        {">= 6.1.0.0 | <= 6.4.0.0 (CVE-2022-37434 only)", "6.2", PM_IN},
        {"<=FB", "FA", PM_IN},
        {"<=FB", "FC", PM_OUT},
        {"H5692448 | G104 | G842", "G104", PM_IN},
        {">=8.0|=<8.5", "8.5", PM_IN},
        {"0 < 9.8.12", "9.8.11", PM_IN},
        {"2.0.x", "2.0.7", PM_IN},
        {"vers:npm/>=1.0.0-beta|<1.0.0", "1.0.0-rc.1", PM_IN},
        {"vers:npm/>=1.0.0-beta|<1.0.0", "1.0.0", PM_OUT},
        {"vers:generic/!=2.0", "2.0", PM_OUT},
        {"vers:generic/>1.0|<=1.5|>=3.0", "3.5", PM_IN},
        {"vers:generic/>1.0|<=1.5|>=3.0", "2.0", PM_OUT},
        {"vers:generic/>1.0|<=1.5|>=3.0", "1.0", PM_OUT},
        {"<= 1.2.3 and later", "1.0", PM_UNKNOWN}, /* contradicts itself: not understood */
        {"3.0+", "3.2", PM_IN},
        {"up to 2.1", "2.1", PM_IN},
        {"since 4.0", "3.9", PM_OUT},
        /* not understood, or not comparable: unknown, never a silent yes or no */
        {"All versions with maxView Storage Manager < 4.09.00.25611 on Windows", "4.0", PM_UNKNOWN},
        {"<April/20/2023", "1.2", PM_UNKNOWN},
        {">= 9.3.0 -  but not including 9.3.8", "9.3.5", PM_UNKNOWN},
        {"<=", "1.0", PM_UNKNOWN},
        {"", "1.0", PM_UNKNOWN},
        {"<= Serial Numbers 2310****", "1.0", PM_UNKNOWN},
        {"<V4.5", "M2.1", PM_UNKNOWN},
        {"<V4.5", "", PM_UNKNOWN},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        enum pm_verdict got = pm_version_in(rows[i].range, rows[i].version);
        ROW_CHECK(got == rows[i].want, "range row %zu: \"%s\" ∋ \"%s\" = %d, want %d", i,
                  rows[i].range, rows[i].version, got, rows[i].want);
    }
}

TU_TEST(test_range_parse)
{
    struct pm_range r;
    assert_int_equal(pm_range_parse("vers:generic/>=1.0|<2.0", &r), 0);
    assert_false(r.all);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.c[0].op, PM_GE);
    assert_string_equal(r.buf + r.c[0].off, "1.0");
    assert_int_equal(r.c[1].op, PM_LT);
    assert_int_equal(pm_range_parse("vers:all/*", &r), 0);
    assert_true(r.all);
    assert_int_equal(pm_range_parse("All versions", &r), 0);
    assert_true(r.all);
    assert_int_equal(pm_range_parse("3.x", &r), 0);
    assert_true(r.c[0].prefix);
    assert_int_equal(pm_range_parse("with maxView", &r), RB_EINVAL);
    assert_int_equal(r.n, 0);
    assert_int_equal(pm_range_parse(NULL, &r), RB_EINVAL);
    /* caps: 17 constraints, a version of 65 bytes, 600 bytes of text */
    assert_int_equal(pm_range_parse("1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17", &r), RB_ETOOBIG);
    char big[700];
    memset(big, '1', 65);
    big[65] = '\0';
    assert_int_equal(pm_range_parse(big, &r), RB_ETOOBIG);
    memset(big, '1', 600);
    big[600] = '\0';
    assert_int_equal(pm_range_parse(big, &r), RB_ETOOBIG);
    assert_int_equal(pm_range_eq("1.2", &r), 0);
    assert_int_equal(pm_range_test(&r, "1.2.0"), PM_IN);
    assert_int_equal(pm_range_test(&r, "1.3"), PM_OUT);
}

/* ---- names ---- */

TU_TEST(test_names)
{
    static const struct tu_str_row vendors[] = {
        {"Siemens AG", "siemens"},
        {"SIEMENS", "siemens"},
        {"Red Hat, Inc.", "redhat"},
        {"RedHat", "redhat"},
        {"Rockwell Automation ", "rockwellautomation"},
        {"CODESYS, GmbH", "codesys"},
        {"Mitsubishi Electric Corporation", "mitsubishielectric"},
        {"Hitachi Energy Co., Ltd.", "hitachienergy"},
        {"The Apache Software Foundation", "apachesoftwarefoundation"},
        {"AG", "ag"}, /* a company form alone stays */
        {"Schneider Electric SE", "schneiderelectric"},
        {"Müller GmbH", "müller"},
        {NULL, ""},
    };
    char out[PM_NAME_MAX];
    for (size_t i = 0; i < RB_ARRAY_LEN(vendors); i++) {
        pm_vendor_key(vendors[i].in, out, sizeof(out));
        ROW_CHECK(strcmp(out, vendors[i].out) == 0, "vendor row %zu: \"%s\" -> \"%s\", want \"%s\"",
                  i, vendors[i].in, out, vendors[i].out);
    }
    static const struct tu_str_row words[] = {
        {"SIMATIC S7-1500", "simatic s7 1500"},
        {"  Arena  (x64) ", "arena x64"},
        {"1756-EN2T Series A: <= 5.008", "1756 en2t series a 5 008"},
        {"", ""},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(words); i++) {
        pm_norm_words(words[i].in, out, sizeof(out));
        ROW_CHECK(strcmp(out, words[i].out) == 0, "words row %zu: \"%s\" -> \"%s\"", i, words[i].in,
                  out);
    }
    /* a cut never leaves half a character */
    char small[6];
    pm_norm_words("abcdé", small, sizeof(small));
    assert_string_equal(small, "abcd");
}

/* ---- CPE ---- */

TU_TEST(test_cpe)
{
    struct pm_cpe c;
    char v[64];
    assert_int_equal(
        pm_cpe_parse("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*", &c), 0);
    assert_int_equal(c.kind[PM_CPE_PART], PM_CPE_VALUE);
    assert_string_equal(pm_cpe_value(&c, PM_CPE_VENDOR, v, sizeof(v)), "microsoft");
    assert_string_equal(pm_cpe_value(&c, PM_CPE_VERSION, v, sizeof(v)), "8.0.6001");
    assert_string_equal(pm_cpe_value(&c, PM_CPE_UPDATE, v, sizeof(v)), "beta");
    assert_int_equal(c.kind[PM_CPE_EDITION], PM_CPE_ANY);
    /* escapes: a quoted colon stays in its attribute */
    assert_int_equal(pm_cpe_parse("cpe:2.3:a:foo\\:bar:baz:1.0:-:*:*:*:*:*:*", &c), 0);
    assert_string_equal(pm_cpe_value(&c, PM_CPE_VENDOR, v, sizeof(v)), "foo:bar");
    assert_string_equal(pm_cpe_value(&c, PM_CPE_PRODUCT, v, sizeof(v)), "baz");
    assert_int_equal(c.kind[PM_CPE_UPDATE], PM_CPE_NA);
    /* 2.2 URIs, with percent-encoding and a packed edition */
    assert_int_equal(pm_cpe_parse("cpe:/a:redhat:openshift:4.6::el8", &c), 0);
    assert_string_equal(pm_cpe_value(&c, PM_CPE_PRODUCT, v, sizeof(v)), "openshift");
    assert_int_equal(c.kind[PM_CPE_UPDATE], PM_CPE_ANY);
    assert_string_equal(pm_cpe_value(&c, PM_CPE_EDITION, v, sizeof(v)), "el8");
    assert_int_equal(
        pm_cpe_parse("cpe:/a:hp:insight%7ediagnostics:7.4.0.1570:-:~~online~win2003~x64~", &c), 0);
    assert_string_equal(pm_cpe_value(&c, PM_CPE_PRODUCT, v, sizeof(v)), "insight~diagnostics");
    assert_int_equal(c.kind[PM_CPE_UPDATE], PM_CPE_NA);
    assert_int_equal(c.kind[PM_CPE_EDITION], PM_CPE_ANY);
    assert_string_equal(pm_cpe_value(&c, PM_CPE_SW_EDITION, v, sizeof(v)), "online");
    assert_string_equal(pm_cpe_value(&c, PM_CPE_TARGET_SW, v, sizeof(v)), "win2003");
    assert_string_equal(pm_cpe_value(&c, PM_CPE_TARGET_HW, v, sizeof(v)), "x64");
    assert_int_equal(c.kind[PM_CPE_OTHER], PM_CPE_ANY);
    static const char *const refused[] = {
        "cpe:2.3:x:a:b", "cpe:/q:a:b", "cpe:2.3:a:b:c:d:e:f:g:h:i:j:k:l",
        "cpe:/a:b%zz:c", "pkg:npm/x",  "",
        "cpe:2.3:a:b\\",
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(refused); i++)
        ROW_CHECK(pm_cpe_parse(refused[i], &c) == RB_EINVAL, "cpe refused row %zu: %s", i,
                  refused[i]);

    static const struct tu_pair_row rows[] = {
        {"cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*", "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*",
         true},
        {"cpe:2.3:a:vendor:product:*:*:*:*:*:*:*:*", "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*",
         true},
        {"cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*", "cpe:2.3:a:vendor:product:1.1:*:*:*:*:*:*:*",
         false},
        {"cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*",
         "cpe:2.3:a:vendor:product:1.0.0:*:*:*:*:*:*:*", true},
        {"cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*", "cpe:2.3:o:vendor:product:1.0:*:*:*:*:*:*:*",
         false},
        {"cpe:2.3:a:vendor:product:1.0:-:*:*:*:*:*:*",
         "cpe:2.3:a:vendor:product:1.0:sp1:*:*:*:*:*:*", false},
        {"cpe:2.3:a:vendor:product:1.0:-:*:*:*:*:*:*", "cpe:2.3:a:vendor:product:1.0:-:*:*:*:*:*:*",
         true},
        {"cpe:2.3:a:vendor:prod*:*:*:*:*:*:*:*:*", "cpe:2.3:a:vendor:product:2.0:*:*:*:*:*:*:*",
         true},
        {"cpe:2.3:a:vendor:?roduct:*:*:*:*:*:*:*:*", "cpe:2.3:a:vendor:product:2.0:*:*:*:*:*:*:*",
         true},
        {"cpe:2.3:a:vendor:prod*:*:*:*:*:*:*:*:*", "cpe:2.3:a:vendor:other:2.0:*:*:*:*:*:*:*",
         false},
        {"cpe:2.3:a:vendor:prod\\*:*:*:*:*:*:*:*:*", "cpe:2.3:a:vendor:product:*:*:*:*:*:*:*:*",
         false},
        {"cpe:/a:redhat:openshift:4.6::el8", "cpe:2.3:a:redhat:openshift:4.6:*:*:*:*:*:*:*", true},
        {"cpe:/a:redhat:openshift:4.6::el8", "cpe:2.3:a:redhat:openshift:4.6:*:el7:*:*:*:*:*",
         false},
        {"cpe:2.3:a:Vendor:Product:1.0", "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*", true},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        struct pm_cpe a, b;
        ROW_CHECK(pm_cpe_parse(rows[i].a, &a) == 0 && pm_cpe_parse(rows[i].b, &b) == 0,
                  "cpe row %zu does not parse", i);
        ROW_CHECK(pm_cpe_overlap(&a, &b, true) == rows[i].want, "cpe row %zu: %s ~ %s, want %d", i,
                  rows[i].a, rows[i].b, rows[i].want);
        ROW_CHECK(pm_cpe_overlap(&b, &a, true) == rows[i].want, "cpe row %zu reversed", i);
    }
}

/* ---- PURL ---- */

TU_TEST(test_purl)
{
    static const struct {
        const char *in, *type, *ns, *name, *version;
    } rows[] = {
        {"pkg:npm/%40angular/animation@12.3.1", "npm", "@angular", "animation", "12.3.1"},
        {"pkg:npm/@Angular/Core@1.0?x=y#sub", "npm", "@angular", "core", "1.0"},
        {"pkg:github/Package-URL/Purl-Spec@244fd47e07d1004f0aed9c", "github", "package-url",
         "purl-spec", "244fd47e07d1004f0aed9c"},
        {"pkg:pypi/Django_Allauth@0.50", "pypi", "", "django-allauth", "0.50"},
        {"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "maven",
         "org.apache.logging.log4j", "log4j-core", "2.14.1"},
        {"pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie", "deb", "debian", "curl",
         "7.50.3-1"},
        {"PKG:golang/github.com/gorilla/context", "golang", "github.com/gorilla", "context", NULL},
        {"pkg://generic/openssl@1.1.1k", "generic", "", "openssl", "1.1.1k"},
        {"pkg:docker/library//nginx/@1.25", "docker", "library", "nginx", "1.25"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        struct pm_purl p;
        ROW_CHECK(pm_purl_parse(rows[i].in, &p) == 0, "purl row %zu: %s refused", i, rows[i].in);
        ROW_CHECK(strcmp(pm_purl_type(&p), rows[i].type) == 0, "purl row %zu: type %s", i,
                  pm_purl_type(&p));
        ROW_CHECK(strcmp(pm_purl_ns(&p), rows[i].ns) == 0, "purl row %zu: ns %s", i,
                  pm_purl_ns(&p));
        ROW_CHECK(strcmp(pm_purl_name(&p), rows[i].name) == 0, "purl row %zu: name %s", i,
                  pm_purl_name(&p));
        const char *v = pm_purl_version(&p);
        ROW_CHECK(rows[i].version ? v && strcmp(v, rows[i].version) == 0 : v == NULL,
                  "purl row %zu: version %s", i, v ? v : "(none)");
    }
    static const char *const refused[] = {"pkg:",     "pkg:npm",     "npm/foo@1",    "pkg:/foo",
                                          "pkg:npm/", "pkg:n*m/foo", "pkg:npm/a%00b"};
    struct pm_purl p, q;
    for (size_t i = 0; i < RB_ARRAY_LEN(refused); i++)
        ROW_CHECK(pm_purl_parse(refused[i], &p) == RB_EINVAL, "purl refused row %zu: %s", i,
                  refused[i]);
    assert_int_equal(pm_purl_parse("pkg:pypi/django_allauth", &p), 0);
    assert_int_equal(pm_purl_parse("pkg:pypi/Django-Allauth@1.0", &q), 0);
    assert_true(pm_purl_same_package(&p, &q));
    assert_int_equal(pm_purl_parse("pkg:maven/org.example/Log@1", &p), 0);
    assert_int_equal(pm_purl_parse("pkg:maven/org.example/log@1", &q), 0);
    assert_false(pm_purl_same_package(&p, &q)); /* maven is case-sensitive */
}

/* ---- the matcher, one item against one product ---- */

struct match_row {
    struct pm_item inv;
    struct csaf_product p;
    enum pm_how how;
    enum pm_sure sure;
};

#define PROD(v, pr, ver, range)                                                                    \
    {                                                                                              \
        .vendor = (v), .product = (pr), .version = (ver), .version_range = (range), .name = "",    \
        .affected = true                                                                           \
    }

TU_TEST(test_match)
{
    static const struct match_row rows[] = {
        /* names from the branches */
        {{.vendor = "Siemens", .product = "SIMATIC S7-1500", .version = "V2.9.6"},
         PROD("Siemens AG", "SIMATIC S7-1500", NULL, "vers:all/<V2.9.7"),
         PM_NAME,
         PM_VERSION_IN},
        {{.vendor = "SIEMENS AG", .product = "simatic s7 1500", .version = "2.9.7"},
         PROD("Siemens", "SIMATIC S7-1500", NULL, "vers:all/<V2.9.7"),
         PM_NONE,
         0},
        {{.vendor = "Siemens", .product = "SIMATIC S71500", .version = "1.0"},
         PROD("Siemens", "SIMATIC S7-1500", NULL, "<V2.9.7"),
         PM_NAME,
         PM_VERSION_IN},
        {{.vendor = "Siemens", .product = "SIMATIC S7-1500 CPU 1516-3 PN/DP", .version = "2.0"},
         PROD("Siemens", "SIMATIC S7-1500", NULL, "<V2.9.7"),
         PM_NAME,
         PM_VERSION_IN},
        {{.vendor = "Siemens", .product = "SIMATIC", .version = "2.0"},
         PROD("Siemens", "SIMATIC S7-1500", NULL, "<V2.9.7"),
         PM_NONE,
         0},
        {{.vendor = "Siemens", .product = "SIMATIC S7-1200", .version = "2.0"},
         PROD("Siemens", "SIMATIC S7-1500", NULL, "<V2.9.7"),
         PM_NONE,
         0},
        {{.vendor = "Schneider Electric", .product = "SIMATIC S7-1500", .version = "2.0"},
         PROD("Siemens", "SIMATIC S7-1500", NULL, "<V2.9.7"),
         PM_NONE,
         0},
        {{.vendor = "Siemens", .product = "Siemens SIMATIC S7-1500", .version = "2.0"},
         PROD("Siemens", "SIMATIC S7-1500", NULL, "<V2.9.7"),
         PM_NAME,
         PM_VERSION_IN},
        {{.vendor = "Red Hat", .product = "Enterprise Linux"},
         PROD("Red Hat, Inc.", "Red Hat Enterprise Linux", NULL, NULL),
         PM_NAME,
         PM_VERSION_UNKNOWN},
        {{.vendor = "Mitsubishi Electric Corporation",
          .product = "MELIPC MI5122-VM",
          .version = "1.0"},
         PROD("Mitsubishi Electric", "MELIPC MI5122-VM", NULL, "vers:all/*"),
         PM_NAME,
         PM_VERSION_ALL},
        {{.vendor = "Rockwell Automation", .product = "Arena", .version = "16.20.00001"},
         PROD("Rockwell Automation ", "Arena", "16.20.00001", NULL),
         PM_NAME,
         PM_VERSION_IN},
        {{.vendor = "Rockwell Automation", .product = "Arena", .version = "16.20.2"},
         PROD("Rockwell Automation ", "Arena", "16.20.00001", NULL),
         PM_NONE,
         0},
        {{.vendor = "Rockwell Automation", .product = "Arena"},
         PROD("Rockwell Automation ", "Arena", "16.20.00001", NULL),
         PM_NAME,
         PM_VERSION_UNKNOWN},
        {{.vendor = "Rockwell Automation", .product = "Arena", .version = "1.0"},
         PROD("Rockwell Automation", "Arena Simulation", NULL, "<2.0"),
         PM_NONE,
         0},
        /* ranges that are not understood or not comparable: likely affected, unverified */
        {{.vendor = "Microchip", .product = "maxView Storage Manager", .version = "4.0"},
         PROD("Microchip", "maxView Storage Manager", NULL,
              "All versions with maxView Storage Manager < 4.09.00.25611 on Windows"),
         PM_NAME,
         PM_VERSION_UNKNOWN},
        {{.vendor = "Zavio", .product = "CF7500", .version = "2.1.6.05"},
         PROD("Zavio", "CF7500", "M2.1.6.05", NULL),
         PM_NAME,
         PM_VERSION_UNKNOWN},
        {{.vendor = "Zavio", .product = "CF7500", .version = "M2.1.6.04"},
         PROD("Zavio", "CF7500", "M2.1.6.05", NULL),
         PM_NONE,
         0},
        /* service packs */
        {{.vendor = "Siemens", .product = "SCALANCE X200", .version = "5.2 SP1"},
         {.vendor = "Siemens",
          .product = "SCALANCE X200",
          .version = "5.2",
          .service_pack = "SP1",
          .name = ""},
         PM_NAME,
         PM_VERSION_IN},
        {{.vendor = "Siemens", .product = "SCALANCE X200", .version = "5.2"},
         {.vendor = "Siemens",
          .product = "SCALANCE X200",
          .version = "5.2",
          .service_pack = "SP1",
          .name = ""},
         PM_NONE,
         0},
        {{.vendor = "Cisco", .product = "IOS", .version = "12.2(55)SE"},
         {.vendor = "Cisco",
          .product = "IOS",
          .version = "12.2SE",
          .service_pack = "12.2(55)SE",
          .name = "Cisco IOS 12.2SE 12.2(55)SE"},
         PM_NAME,
         PM_VERSION_IN},
        /* the full name, when no branch names the product */
        {{.vendor = "Siemens", .product = "SIMATIC S7-1500", .version = "V2.9"},
         {.name = "Siemens SIMATIC S7-1500 V2.9"},
         PM_NAME,
         PM_VERSION_IN},
        {{.vendor = "Siemens", .product = "SIMATIC S7-1500", .version = "V3.0"},
         {.name = "Siemens SIMATIC S7-1500 V2.9"},
         PM_NONE,
         0},
        {{.vendor = "Siemens", .product = "SIMATIC S7-1500"},
         {.name = "Siemens SIMATIC S7-1500 V2.9"},
         PM_NAME,
         PM_VERSION_UNKNOWN},
        {{.vendor = "Example Company", .product = "ABC", .version = "4.0"},
         {.vendor = "Example Company", .name = "Example Company ABC >=2.9|<=4.1"},
         PM_NAME,
         PM_VERSION_IN},
        {{.vendor = "Example Company", .product = "ABC", .version = "4.2"},
         {.vendor = "Example Company", .name = "Example Company ABC >=2.9|<=4.1"},
         PM_NONE,
         0},
        {{.vendor = "Mitsubishi Electric", .product = "MELIPC MI5122-VM", .version = "9"},
         {.name = "MELIPC MI5122-VM: *"},
         PM_NAME,
         PM_VERSION_ALL},
        {{.vendor = "Acme", .product = "Router", .version = "1.0"},
         {.name = "Acme Router RT-100 firmware 1.0"},
         PM_NAME,
         PM_VERSION_UNKNOWN},
        {{.vendor = "Acme", .product = "Router RT-200", .version = "1.0"},
         {.name = "Acme Router RT-100 firmware 1.0"},
         PM_NONE,
         0},
        /* CPE */
        {{.vendor = "x",
          .product = "y",
          .cpe = "cpe:2.3:a:example:log_library:2.14.1:*:*:*:*:*:*:*"},
         {.name = "", .cpe = "cpe:2.3:a:example:log_library:2.14.1:*:*:*:*:*:*:*"},
         PM_CPE,
         PM_VERSION_IN},
        {{.vendor = "x",
          .product = "y",
          .cpe = "cpe:2.3:a:example:log_library:2.15.0:*:*:*:*:*:*:*"},
         {.name = "", .cpe = "cpe:2.3:a:example:log_library:2.14.1:*:*:*:*:*:*:*"},
         PM_NONE,
         0},
        {{.vendor = "x",
          .product = "y",
          .version = "2.14.1",
          .cpe = "cpe:2.3:a:example:log_library:*:*:*:*:*:*:*:*"},
         {.name = "", .cpe = "cpe:2.3:a:example:log_library:2.14.1:*:*:*:*:*:*:*"},
         PM_CPE,
         PM_VERSION_IN},
        {{.vendor = "x",
          .product = "y",
          .version = "2.10",
          .cpe = "cpe:2.3:a:example:log_library:*:*:*:*:*:*:*:*"},
         {.name = "",
          .version_range = "vers:generic/>=2.0|<2.15",
          .cpe = "cpe:2.3:a:example:log_library:*:*:*:*:*:*:*:*"},
         PM_CPE,
         PM_VERSION_IN},
        {{.vendor = "x",
          .product = "y",
          .version = "2.16",
          .cpe = "cpe:2.3:a:example:log_library:*:*:*:*:*:*:*:*"},
         {.name = "",
          .version_range = "vers:generic/>=2.0|<2.15",
          .cpe = "cpe:2.3:a:example:log_library:*:*:*:*:*:*:*:*"},
         PM_NONE,
         0},
        {{.vendor = "Red Hat",
          .product = "OpenShift",
          .version = "4.6",
          .cpe = "cpe:2.3:a:redhat:openshift:4.6:*:*:*:*:*:*:*"},
         {.name = "", .cpe = "cpe:/a:redhat:openshift:4.6::el8"},
         PM_CPE,
         PM_VERSION_IN},
        {{.vendor = "Example",
          .product = "Log Library",
          .version = "2.14.1",
          .cpe = "cpe:2.3:a:other:thing:2.14.1"},
         {.vendor = "Example",
          .product = "Log Library",
          .version = "2.14.1",
          .name = "",
          .cpe = "cpe:2.3:a:example:log_library:2.14.1"},
         PM_NAME,
         PM_VERSION_IN},
        /* PURL */
        {{.vendor = "x", .product = "y", .purl = "pkg:maven/org.example/log-library@2.14.1"},
         {.name = "", .purl = "pkg:maven/org.example/log-library@2.14.1"},
         PM_PURL,
         PM_VERSION_IN},
        {{.vendor = "x", .product = "y", .purl = "pkg:maven/org.example/log-library@2.17.0"},
         {.name = "", .purl = "pkg:maven/org.example/log-library@2.14.1"},
         PM_NONE,
         0},
        {{.vendor = "x", .product = "y", .version = "2.1", .purl = "pkg:npm/Lodash"},
         {.name = "", .version_range = "vers:npm/<4.17.21", .purl = "pkg:npm/lodash"},
         PM_PURL,
         PM_VERSION_IN},
        {{.vendor = "x", .product = "y", .purl = "pkg:npm/lodash@4.17.21"},
         {.name = "", .version_range = "vers:npm/<4.17.21", .purl = "pkg:npm/lodash"},
         PM_NONE,
         0},
        {{.vendor = "x", .product = "y", .purl = "pkg:npm/underscore@1.0"},
         {.name = "", .purl = "pkg:npm/lodash@1.0"},
         PM_NONE,
         0},
        {{.vendor = "Apache Software Foundation", .product = "Log4j", .version = "2.14.1"},
         PROD("The Apache Software Foundation", "Apache Log4j", NULL, "vers:generic/>=2.0|<2.15"),
         PM_NAME,
         PM_VERSION_IN},
        {{.vendor = "Apache", .product = "Log4j", .version = "2.14.1"},
         PROD("The Apache Software Foundation", "Log4j", NULL, "<2.15"),
         PM_NONE,
         0},
        {{.vendor = "Co., Ltd.", .product = "Gadget", .version = "1"},
         PROD("Co. Ltd", "Gadget", NULL, NULL),
         PM_NAME,
         PM_VERSION_UNKNOWN},
        {{.vendor = "the", .product = "Gadget", .version = "1"},
         PROD("The", "Gadget", "1", NULL),
         PM_NAME,
         PM_VERSION_IN},
        {{.vendor = "RedHat", .product = "Red Hat Enterprise Linux 8"},
         PROD("Red Hat", "Red Hat Enterprise Linux", NULL, NULL),
         PM_NAME,
         PM_VERSION_UNKNOWN},
        {{.vendor = "Red Hat", .product = "RHEL"},
         PROD("Red Hat", "Red Hat Enterprise Linux", NULL, NULL),
         PM_NONE,
         0},
        /* nothing to go on */
        {{0}, PROD("Siemens", "SIMATIC", NULL, NULL), PM_NONE, 0},
        {{.vendor = "Siemens", .product = "SIMATIC", .version = "1"}, {.name = ""}, PM_NONE, 0},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        enum pm_sure sure = PM_VERSION_IN;
        enum pm_how how = pm_match(&rows[i].inv, &rows[i].p, &sure);
        ROW_CHECK(how == rows[i].how, "match row %zu (%s / %s): how %s, want %s", i,
                  rows[i].inv.vendor ? rows[i].inv.vendor : "-",
                  rows[i].inv.product ? rows[i].inv.product : "-", pm_how_name(how),
                  pm_how_name(rows[i].how));
        ROW_CHECK(how == PM_NONE || sure == rows[i].sure, "match row %zu: sure %s, want %s", i,
                  pm_sure_name(sure), pm_sure_name(rows[i].sure));
        /* the same through a prepared set (its index and vendor sketch), with the vendor given
         * as written and as a stored key */
        rb_arena a;
        rb_arena_init(&a, 1 << 20);
        struct csaf_product p = rows[i].p;
        p.affected = true;
        struct pm_set *set = NULL;
        rb_errinfo ei;
        assert_int_equal(pm_prepare(&p, 1, &a, &set, &ei), 0);
        struct pm_item inv = rows[i].inv;
        char key[PM_NAME_MAX];
        for (int keyed = 0; keyed < 2; keyed++) {
            if (keyed && inv.vendor) {
                pm_vendor_key(inv.vendor, key, sizeof(key));
                inv.vendor_key = key;
            }
            struct pm_hit hit;
            int n = pm_set_match(set, &inv, &hit, 1);
            ROW_CHECK(n == (rows[i].how != PM_NONE), "match row %zu (set, key %d): %d hits", i,
                      keyed, n);
            ROW_CHECK(n == 0 ||
                          (hit.how == rows[i].how && hit.sure == rows[i].sure && hit.product == 0),
                      "match row %zu (set, key %d): %s %s", i, keyed, pm_how_name(hit.how),
                      pm_sure_name(hit.sure));
        }
        rb_arena_release(&a);
    }
}

/* ---- the product tree walk ---- */

static cJSON *parse_path(const char *path)
{
    size_t len = 0;
    char *text = tu_read_path(path, &len);
    if (!text)
        return NULL;
    cJSON *doc = cJSON_ParseWithLength(text, len);
    rb_free(text);
    return doc;
}

static const struct csaf_product *find(const struct csaf_products *ps, const char *id)
{
    const struct csaf_product *p = csaf_products_find(ps, id);
    if (!p)
        print_error("no product %s\n", id);
    assert_non_null(p);
    return p;
}

static bool has_cve(const struct csaf_product *p, const char *cve)
{
    for (int i = 0; i < p->ncves; i++) {
        if (strcmp(p->cves[i], cve) == 0)
            return true;
    }
    return false;
}

TU_TEST(test_tree_fixture)
{
    cJSON *doc = parse_path(RABTA_SOURCE_DIR "/tests/unit/fixtures/csaf_products/tree.json");
    assert_non_null(doc);
    rb_arena a;
    rb_arena_init(&a, 1 << 20);
    struct csaf_products ps;
    rb_errinfo ei;
    assert_int_equal(csaf_products_read(doc, &a, &ps, &ei), 0);
    cJSON_Delete(doc); /* everything kept lives in the arena */
    assert_int_equal(ps.n, 8);

    const struct csaf_product *p = find(&ps, "P-S7");
    assert_string_equal(p->vendor, "Siemens AG");
    assert_string_equal(p->product, "SIMATIC S7-1500");
    assert_string_equal(p->version_range, "vers:all/<V2.9.7");
    assert_null(p->version);
    assert_true(p->affected);
    assert_int_equal(p->ncves, 2); /* first and last affected by one CVE count once */
    assert_true(has_cve(p, "CVE-2024-0001") && has_cve(p, "CVE-2024-0002"));

    p = find(&ps, "P-X200");
    assert_string_equal(p->product, "SCALANCE X200");
    assert_string_equal(p->family, "SCALANCE");
    assert_string_equal(p->version, "5.2");
    assert_string_equal(p->service_pack, "SP1");

    p = find(&ps, "P-SCALANCE");
    assert_string_equal(p->product, "SCALANCE"); /* no product_name: the family */
    assert_false(p->affected);                   /* under investigation is not affected */

    p = find(&ps, "P-ABC-42");
    assert_string_equal(p->name, "Example Company ABC 4.2"); /* the first of the duplicates */
    assert_string_equal(p->vendor, "Example Company, Inc.");
    assert_true(p->affected);
    assert_false(find(&ps, "P-ABC-43")->affected); /* fixed */

    p = find(&ps, "P-LOG");
    assert_null(p->vendor);
    assert_string_equal(p->cpe, "cpe:2.3:a:example:log_library:2.14.1:*:*:*:*:*:*:*");
    assert_string_equal(p->purl, "pkg:maven/org.example/log-library@2.14.1");
    assert_true(p->affected);
    assert_int_equal(p->ncves, 1); /* the vulnerability without a CVE id adds none */

    p = find(&ps, "P-LOG-ON-RT100");
    assert_string_equal(p->relates_to, "P-RT100");
    assert_string_equal(p->relation, "installed_on");
    assert_string_equal(p->cpe, "cpe:2.3:a:example:log_library:2.14.1:*:*:*:*:*:*:*");
    assert_true(p->affected);
    assert_false(find(&ps, "P-RT100")->affected);
    assert_null(csaf_products_find(&ps, "P-UNKNOWN"));
    assert_null(csaf_products_find(&ps, "G-ALL"));
    assert_int_equal(csaf_products_affected(&ps), 5);

    /* the prepared set over the fixture */
    struct pm_set *set = NULL;
    assert_int_equal(pm_prepare(ps.items, ps.n, &a, &set, &ei), 0);
    assert_int_equal(pm_set_size(set), 5);
    struct pm_hit hits[8];
    struct pm_item s7 = {.vendor = "Siemens", .product = "SIMATIC S7-1500", .version = "2.8"};
    assert_int_equal(pm_set_match(set, &s7, hits, 8), 1);
    assert_string_equal(ps.items[hits[0].product].product_id, "P-S7");
    assert_int_equal(hits[0].how, PM_NAME);
    assert_int_equal(hits[0].sure, PM_VERSION_IN);
    struct pm_item abc43 = {.vendor = "Example Company", .product = "ABC", .version = "4.3"};
    assert_int_equal(pm_set_match(set, &abc43, hits, 8), 0);
    struct pm_item abc42 = {.vendor = "Example Company Inc", .product = "ABC", .version = "4.2"};
    assert_int_equal(pm_set_match(set, &abc42, hits, 8), 1);
    struct pm_item log = {.vendor = "Example",
                          .product = "log library",
                          .version = "2.14.1",
                          .cpe = "cpe:2.3:a:example:log_library:2.14.1:*:*:*:*:*:*:*"};
    int n = pm_set_match(set, &log, hits, 8);
    assert_int_equal(n, 2); /* the library, and the library on the router */
    for (int i = 0; i < n; i++)
        assert_int_equal(hits[i].how, PM_CPE);
    assert_int_equal(pm_set_match(set, &log, hits, 1), 1); /* max is respected */
    struct pm_item other = {.vendor = "Siemens", .product = "SIMATIC S7-1500", .version = "3.0"};
    assert_int_equal(pm_set_match(set, &other, hits, 8), 0);

    /* keys: the item's keys are the set's */
    char keys[6][PM_NAME_MAX];
    int nk = pm_item_keys(&log, keys, 6);
    assert_true(nk >= 2);
    assert_string_equal(keys[0], "v:example");
    bool found = false;
    for (int i = 0; i < nk; i++)
        found |= pm_set_has_key(set, keys[i]) && strcmp(keys[i], "c:example:log_library") == 0;
    assert_true(found);
    assert_int_equal(pm_item_keys(&s7, keys, 6), 3); /* v:siemens, w:siemens, w:simatic */
    assert_true(pm_set_has_key(set, "v:siemens"));
    rb_arena_release(&a);
}

TU_TEST(test_prepare)
{
    rb_arena a;
    rb_arena_init(&a, 1 << 20);
    rb_errinfo ei;
    struct pm_set *set = NULL;
    struct csaf_product ps[3] = {
        {.product_id = "A",
         .vendor = "Siemens",
         .product = "SIMATIC",
         .name = "",
         .affected = true},
        {.product_id = "B",
         .name = "Acme Widget 1.0",
         .cpe = "cpe:/a:acme:widget:1.0",
         .purl = "pkg:npm/widget@1.0",
         .affected = true},
        {.product_id = "C", .vendor = "Other", .product = "Thing", .name = "", .affected = false},
    };
    assert_int_equal(pm_prepare(ps, -1, &a, &set, &ei), RB_EINVAL);
    assert_int_equal(pm_prepare(ps, 3, &a, &set, &ei), 0);
    assert_int_equal(pm_set_size(set), 2);
    /* the item-facing keys: a vendor, a first word (B has no vendor), a CPE and a PURL */
    static const char *const want[] = {"v:siemens", "w:acme", "c:acme:widget", "p:npm//widget"};
    int nkeys = 0;
    for (const char *k; (k = pm_set_key(set, nkeys)) != NULL; nkeys++) {
        bool known = false;
        for (size_t i = 0; i < RB_ARRAY_LEN(want); i++)
            known |= strcmp(k, want[i]) == 0;
        ROW_CHECK(known, "unexpected key %s", k);
        assert_true(pm_set_has_key(set, k));
    }
    assert_int_equal(nkeys, 4);
    assert_false(pm_set_has_key(set, "v:other"));           /* not affected: not in the set */
    assert_false(pm_set_has_key(set, "n:siemens/simatic")); /* internal keys are not offered */
    /* an item with only a stored vendor key, and one found by its first word */
    struct pm_hit hits[4];
    struct pm_item keyed = {.vendor_key = "siemens", .product = "SIMATIC S7"};
    assert_int_equal(pm_set_match(set, &keyed, hits, 4), 1);
    struct pm_item acme = {.vendor = "ACME", .product = "Widget", .version = "1.0"};
    assert_int_equal(pm_set_match(set, &acme, hits, 4), 1);
    assert_int_equal(hits[0].product, 1);
    assert_int_equal(hits[0].how, PM_NAME);
    struct pm_item purl = {.vendor = "x", .product = "y", .purl = "pkg:npm/widget@1.0"};
    assert_int_equal(pm_set_match(set, &purl, hits, 4), 1);
    assert_int_equal(hits[0].how, PM_PURL);
    struct pm_item cpe = {.vendor = "x", .product = "y", .cpe = "cpe:2.3:a:acme:widget:1.0"};
    assert_int_equal(pm_set_match(set, &cpe, hits, 4), 1);
    assert_int_equal(hits[0].how, PM_CPE);
    assert_int_equal(pm_set_match(set, &cpe, hits, 0), 0);
    assert_int_equal(pm_set_match(NULL, &cpe, hits, 4), 0);
    /* the arena's cap */
    rb_arena small;
    rb_arena_init(&small, 512);
    assert_int_equal(pm_prepare(ps, 3, &small, &set, &ei), RB_ETOOBIG);
    rb_arena_release(&small);
    rb_arena_release(&a);
}

TU_TEST(test_tree_refusals)
{
    rb_arena a;
    rb_arena_init(&a, 16u << 20);
    struct csaf_products ps;
    rb_errinfo ei;
    cJSON *arr = cJSON_Parse("[]");
    assert_int_equal(csaf_products_read(arr, &a, &ps, &ei), RB_EINVAL);
    cJSON_Delete(arr);
    cJSON *empty = cJSON_Parse("{\"document\":{}}");
    assert_int_equal(csaf_products_read(empty, &a, &ps, &ei), 0);
    assert_int_equal(ps.n, 0);
    assert_null(csaf_products_find(&ps, "x"));
    cJSON_Delete(empty);
    /* wrong types are absences */
    cJSON *odd = cJSON_Parse("{\"product_tree\":{\"branches\":[{\"category\":7,\"name\":[],"
                             "\"product\":{\"product_id\":\"A\",\"name\":3}},5],"
                             "\"full_product_names\":{}}, \"vulnerabilities\":[{\"product_status\":"
                             "{\"known_affected\":[1,\"A\"]}}]}");
    assert_int_equal(csaf_products_read(odd, &a, &ps, &ei), 0);
    assert_int_equal(ps.n, 1);
    assert_string_equal(ps.items[0].name, "");
    assert_true(ps.items[0].affected);
    cJSON_Delete(odd);
    /* too many products */
    cJSON *doc = cJSON_CreateObject();
    cJSON *tree = cJSON_AddObjectToObject(doc, "product_tree");
    cJSON *fpns = cJSON_AddArrayToObject(tree, "full_product_names");
    for (int i = 0; i <= CSAF_PRODUCTS_MAX; i++) {
        cJSON *f = cJSON_CreateObject();
        char id[32];
        snprintf(id, sizeof(id), "P-%d", i);
        cJSON_AddStringToObject(f, "product_id", id);
        cJSON_AddItemToArray(fpns, f);
    }
    assert_int_equal(csaf_products_read(doc, &a, &ps, &ei), RB_ETOOBIG);
    assert_non_null(strstr(ei.msg, "10000"));
    assert_int_equal(ps.n, 0);
    cJSON_DeleteItemFromArray(fpns, 0);
    assert_int_equal(csaf_products_read(doc, &a, &ps, &ei), 0);
    assert_int_equal(ps.n, CSAF_PRODUCTS_MAX);
    assert_non_null(csaf_products_find(&ps, "P-10000"));
    /* the arena's cap */
    rb_arena small;
    rb_arena_init(&small, 4096);
    assert_int_equal(csaf_products_read(doc, &small, &ps, &ei), RB_ETOOBIG);
    rb_arena_release(&small);
    cJSON_Delete(doc);
    /* nesting past the cap */
    cJSON *deep = cJSON_CreateObject();
    cJSON *b = cJSON_AddArrayToObject(cJSON_AddObjectToObject(deep, "product_tree"), "branches");
    for (int i = 0; i < CSAF_BRANCH_DEPTH_MAX + 1; i++) {
        cJSON *br = cJSON_CreateObject();
        cJSON_AddStringToObject(br, "category", "product_family");
        cJSON_AddItemToArray(b, br);
        b = cJSON_AddArrayToObject(br, "branches");
    }
    assert_int_equal(csaf_products_read(deep, &a, &ps, &ei), RB_ETOOBIG);
    assert_non_null(strstr(ei.msg, "deeper"));
    cJSON_Delete(deep);
    rb_arena_release(&a);
}

/* ---- the real advisories ---- */

struct corpus {
    int files, products, affected, matched, unknown_range;
};

/* tu_walk_json's fn: walks, prepares and matches (with an item made from its first affected
 * product) one file that is not a ROLIE feed; ctx is the corpus. */
static void walk_file(const char *path, int depth, void *ctx)
{
    struct corpus *c = ctx;
    (void)depth;
    if (strstr(strrchr(path, '/'), "feed"))
        return;
    cJSON *doc = parse_path(path);
    ROW_CHECK(doc != NULL, "%s does not parse", path);
    rb_arena a;
    rb_arena_init(&a, 64u << 20);
    struct csaf_products ps;
    rb_errinfo ei;
    int rc = csaf_products_read(doc, &a, &ps, &ei);
    ROW_CHECK(rc == 0, "%s: %d %s", path, rc, ei.msg);
    ROW_CHECK(ps.n > 0, "%s: no products", path);
    struct pm_set *set = NULL;
    rc = pm_prepare(ps.items, ps.n, &a, &set, &ei);
    ROW_CHECK(rc == 0, "%s: prepare %d %s", path, rc, ei.msg);
    c->files++;
    c->products += ps.n;
    c->affected += pm_set_size(set);
    for (int i = 0; i < ps.n; i++) {
        const struct csaf_product *p = &ps.items[i];
        if (!p->affected || !p->vendor || !p->product)
            continue;
        struct pm_item it = {.vendor = p->vendor, .product = p->product};
        struct pm_hit hits[4];
        int n = pm_set_match(set, &it, hits, 4);
        ROW_CHECK(n > 0, "%s: %s (%s %s) does not match itself", path, p->product_id, p->vendor,
                  p->product);
        ROW_CHECK(hits[0].sure != PM_VERSION_IN, "%s: %s matched without a version as %s", path,
                  p->product_id, pm_sure_name(hits[0].sure));
        c->matched++;
        struct pm_range r;
        if (p->version_range && pm_range_parse(p->version_range, &r) != 0)
            c->unknown_range++;
    }
    rb_arena_release(&a);
    cJSON_Delete(doc);
}

TU_TEST(test_real_advisories)
{
    char dir[1024];
    struct corpus c = {0};
    tu_data_path(dir, sizeof(dir), "csaf/cisa");
    if (tu_walk_json(dir, 0, walk_file, &c) != 0) {
        print_message("skipping: %s not found\n", dir);
        skip();
    }
    int cisa = c.files;
    tu_data_path(dir, sizeof(dir), "csaf/examples");
    tu_walk_json(dir, 0, walk_file, &c);
    print_message("%d CISA files and %d examples: %d products, %d affected, %d matched by vendor "
                  "and product; %d ranges not understood\n",
                  cisa, c.files - cisa, c.products, c.affected, c.matched, c.unknown_range);
    assert_true(cisa >= 380);
    assert_true(c.products > c.files);
}

TU_MAIN({
    cmocka_unit_test(test_vercmp),
    cmocka_unit_test(test_ranges),
    cmocka_unit_test(test_range_parse),
    cmocka_unit_test(test_names),
    cmocka_unit_test(test_cpe),
    cmocka_unit_test(test_purl),
    cmocka_unit_test(test_match),
    cmocka_unit_test(test_prepare),
    cmocka_unit_test(test_tree_fixture),
    cmocka_unit_test(test_tree_refusals),
    cmocka_unit_test(test_real_advisories),
})
