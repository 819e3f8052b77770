/*
 * test_resolve.c - OSCAL profile resolution (src/formats/oscal_resolve.c: oscal_profile_resolve),
 * on the examples of the OSCAL 1.1.2 profile-resolution specification.
 *
 * The catalog is the specification's "abc" catalog (src/specifications/profile-resolution/
 * profile-resolution-examples/catalogs/abc-simple_catalog.xml, in JSON, groups given ids, a few
 * parts added for the removals); its profiles are those examples too (include-all, exclude-call,
 * include-call-with-children, without-parent, merge-keep, modify-adds, home/circular). Imports
 * are fetched from an in-memory table of documents. Outputs are compared as a "shape": controls
 * by id, children in parentheses, groups in braces ("{a:a1 a3} {c:c3(c3.a)}").
 *
 * 1. selection and merge: a table of profiles -> shape, or the refusal (code, field, message).
 * 2. set-parameters and alters on the resolved controls, the specification's modify-adds example.
 * 3. metadata, back-matter and loose params of the result; warnings.
 * 4. imports: #uuid through the back-matter, profiles importing profiles, cycles.
 * 5. the NIST SP 800-53 LOW profile against the MODERATE resolved catalog (../shared/data; skipped
 *    when absent): 149 controls under their families, and rabta's catalog codec reads the result.
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/mem.h"
#include "formats/oscal.h"
#include "json/json.h"

#include "test_util.h"

#ifndef RABTA_SOURCE_DIR
#define RABTA_SOURCE_DIR "."
#endif

#define CTL(id, title, extra)                                                                      \
    "{'id':'" id "','title':'" title "','props':[{'name':'label','value':'" id "'}],"              \
    "'parts':[{'name':'statement','id':'" id "-stmt','prose':'" title " text.'}]" extra "}"

/* The specification's abc catalog, with group ids, a loose param, b1's guidance parts and a
 * group marked keep=always. */
static const char abc_catalog[] =
    "{'catalog':{'uuid':'6c5149e8-f3a6-437c-8035-025e9b5fc0bf',"
    "'metadata':{'title':'Alphabet Catalog','last-modified':'2020-05-30T14:51:41.185-04:00',"
    "'version':'1.0','oscal-version':'1.0.0'},"
    "'params':[{'id':'loose-1','label':'a loose param'}],"
    "'groups':["
    " {'id':'a','title':'Group A of C','controls':["
    "  {'id':'a1','title':'Control A1','params':[{'id':'a1_prm1','label':'A1 Parameter 1'}],"
    "   'props':[{'name':'label','value':'first'}],"
    "   'parts':[{'name':'statement','id':'a1-stmt',"
    "    'prose':'A1 aaaaa {{ insert: param, a1_prm1 }} aaaaaaaaaa'}]},"
    "  " CTL(
        "a2", "Control A2",
        "") ","
            "  {'id':'a3','title':'Control A3','params':[{'id':'a3_prm1','label':'A3 Parameter "
            "1'}],"
            "   'props':[{'name':'label','value':'third'}],"
            "   'parts':[{'name':'statement','id':'a3-stmt',"
            "    'prose':'A3 aaaaa {{ insert: param, a3_prm1 }} aaaaaaaaaa'}]}]},"
            " {'id':'b','title':'Group B of C','parts':[{'name':'overview','prose':'About B.'}],"
            "  'controls':["
            "  {'id':'b1','title':'Control B1','props':[{'name':'label','value':'fourth'},"
            "    {'name':'sort-id','value':'b-01','class':'hidden'}],"
            "   'links':[{'href':'#a1','rel':'related'}],"
            "   'parts':[{'name':'statement','id':'b1-stmt','prose':'B1 bbbb bbbbbbb.'},"
            "    {'name':'guidance','id':'b1-gdn','prose':'B1 guidance.'},"
            "    {'name':'guidance','id':'b1-gdn-x','ns':'https://x.test/ns','class':'extra',"
            "     'prose':'B1 extra guidance.'}]},"
            "  " CTL("b2", "Control B2", "") "," CTL(
                "b3", "Control B3",
                "") "]},"
                    " {'id':'c','title':'Group C of C','controls':["
                    "  " CTL("c1", "Control C1", "") "," CTL(
                        "c2", "Control C2",
                        "") ","
                            "  " CTL(
                                "c3", "Control C3",
                                ",'controls':[" CTL(
                                    "c3.a", "Control C3-A",
                                    ",'controls':[" CTL(
                                        "c3.a-1", "Control C3-A-1",
                                        "") "]") "]") "]},"
                                                      " {'id':'k','title':'Kept "
                                                      "group','props':[{'name':'keep','value':'"
                                                      "always'}]}],"
                                                      "'back-matter':{'resources':["
                                                      " {'uuid':'aaaaaaaa-0000-4000-8000-"
                                                      "000000000001','title':'from the catalog'},"
                                                      " {'uuid':'aaaaaaaa-0000-4000-8000-"
                                                      "000000000002','title':'replaced by the "
                                                      "profile'}]}}}";

/* A second catalog with other ids. */
static const char xyz_catalog[] =
    "{'catalog':{'uuid':'7c5149e8-f3a6-437c-8035-025e9b5fc0bf',"
    "'metadata':{'title':'XYZ','last-modified':'2020-05-30T14:51:41Z','version':'1',"
    "'oscal-version':'1.1.2'},"
    "'controls':[" CTL("x1", "Control X1", "") "," CTL("y1", "Control Y1", "") "]}}";

#define U_TOP "11111111-2222-4333-8444-555555555555"
#define U_BASE "21111111-2222-4333-8444-555555555555"
#define U_HOME "31111111-2222-4333-8444-555555555555"
#define U_CIRC "41111111-2222-4333-8444-555555555555"
#define META                                                                                       \
    "'metadata':{'title':'P','version':'1','oscal-version':'1.1.2','last-modified':"               \
    "'2026-01-01T00:00:00Z'}"

/* A profile that imports abc.json's a1..a3 and sets a1_prm1: imported by the top profile. */
static const char base_profile[] =
    "{'profile':{'uuid':'" U_BASE "'," META ","
    "'imports':[{'href':'abc.json','include-controls':[{'with-ids':['a1','a2','a3']}]}],"
    "'merge':{'as-is':true},"
    "'modify':{'set-parameters':[{'param-id':'a1_prm1','values':['set by the base']}]}}}";

/* The specification's home and circular profiles. */
static const char home_profile[] = "{'profile':{'uuid':'" U_HOME "'," META ","
                                   "'imports':[{'href':'circular.json','include-all':{}}]}}";
static const char circular_profile[] = "{'profile':{'uuid':'" U_CIRC "'," META ","
                                       "'imports':[{'href':'home.json','include-all':{}}]}}";

/* The documents imports can name. */
static const struct {
    const char *href, *tmpl;
    const char *profile_uuid; /* a resolved catalog standing for a profile */
} docs[] = {
    {"abc.json", abc_catalog, NULL},
    {"xyz.json", xyz_catalog, NULL},
    {"base.json", base_profile, NULL},
    {"home.json", home_profile, NULL},
    {"circular.json", circular_profile, NULL},
    {"cached-top.json", xyz_catalog, U_TOP},
    {"broken.json", "{'catalog':", NULL},
    {"notoscal.json", "{'component-definition':{}}", NULL},
};

struct fetch_log {
    int calls;
    char last[128];
    int depth; /* of the last call */
};

static int fetch(void *ctx, const char *href, int depth, struct oscal_source *src, rb_errinfo *ei)
{
    static char bufs[RB_ARRAY_LEN(docs)][16384];
    struct fetch_log *log = ctx;
    log->calls++;
    log->depth = depth;
    rb_strlcpy(log->last, href, sizeof(log->last));
    for (size_t i = 0; i < RB_ARRAY_LEN(docs); i++) {
        if (strcmp(docs[i].href, href) != 0)
            continue;
        src->text = tu_dq_copy(bufs[i], sizeof(bufs[i]), docs[i].tmpl);
        src->len = strlen(src->text);
        src->name = docs[i].href;
        src->profile_uuid = docs[i].profile_uuid;
        return 0;
    }
    return rb_err(ei, RB_ENOTFOUND, "catalog", "no document is named \"%s\" here", href);
}

/* Resolves the profile template; *out gets the parsed result (the caller deletes it) or NULL. */
static int resolve_q(const char *tmpl, cJSON **out, rb_errinfo *ei, struct fetch_log *log)
{
    static char buf[65536];
    const char *text = tu_dq_copy(buf, sizeof(buf), tmpl);
    struct fetch_log mine = {0};
    const struct oscal_resolve_opts o = {fetch,
                                         log ? log : &mine,
                                         "top.json",
                                         "99999999-2222-4333-8444-555555555555",
                                         "2026-02-03T04:05:06Z",
                                         "rabta test",
                                         "/api/v1/profiles/p-1/oscal"};
    rb_buf b;
    rb_buf_init(&b, OSCAL_MAX_RESOLVED);
    int rc = oscal_profile_resolve(text, strlen(text), &o, &b, ei);
    *out = NULL;
    if (!rc) {
        *out = cJSON_Parse(rb_buf_cstr(&b));
        assert_non_null(*out);
    }
    rb_buf_release(&b);
    return rc;
}

/* resolve_q that must succeed: the resolved catalog (the caller deletes it); ei holds a warning,
 * if any. */
static cJSON *resolve_ok(const char *tmpl, rb_errinfo *ei, struct fetch_log *log)
{
    cJSON *out = NULL;
    int rc = resolve_q(tmpl, &out, ei, log);
    ROW_CHECK(rc == 0, "rc %d %s: %s", rc, ei->field, ei->msg);
    return out;
}

/* ---- reading the result ---- */

static void shape_of(const cJSON *node, bool group, rb_buf *b);

static void shape_list(const cJSON *node, const char *key, bool group, rb_buf *b)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(node, key);
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next) {
        if (b->len && b->ptr[b->len - 1] != '(' && b->ptr[b->len - 1] != ':')
            rb_buf_addc(b, ' ');
        shape_of(e, group, b);
    }
}

static void shape_of(const cJSON *node, bool group, rb_buf *b)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(node, "id");
    const char *s = cJSON_IsString(id) ? id->valuestring : "?";
    if (group) {
        rb_buf_printf(b, "{%s:", s);
        shape_list(node, "controls", false, b);
        shape_list(node, "groups", true, b);
        rb_buf_addc(b, '}');
        return;
    }
    rb_buf_adds(b, s);
    if (cJSON_GetObjectItemCaseSensitive(node, "controls")) {
        rb_buf_addc(b, '(');
        shape_list(node, "controls", false, b);
        rb_buf_addc(b, ')');
    }
}

/* The shape of a resolved catalog, in a static buffer. */
static const char *shape(const cJSON *root)
{
    static char out[4096];
    const cJSON *cat = cJSON_GetObjectItemCaseSensitive(root, "catalog");
    rb_buf b;
    rb_buf_init(&b, sizeof(out) - 1);
    shape_list(cat, "controls", false, &b);
    shape_list(cat, "groups", true, &b);
    rb_strlcpy(out, rb_buf_cstr(&b), sizeof(out));
    rb_buf_release(&b);
    return out;
}

/* The control with the given id anywhere in the result. */
static const cJSON *control_in(const cJSON *node, const char *id)
{
    static const char *const keys[] = {"controls", "groups"};
    for (size_t k = 0; k < 2; k++) {
        const cJSON *arr = cJSON_GetObjectItemCaseSensitive(node, keys[k]);
        for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next) {
            const char *eid = tu_str_at(e, "id");
            if (k == 0 && eid && strcmp(eid, id) == 0)
                return e;
            const cJSON *hit = control_in(e, id);
            if (hit)
                return hit;
        }
    }
    return NULL;
}

static const cJSON *control(const cJSON *root, const char *id)
{
    const cJSON *c = control_in(tu_at(root, "catalog"), id);
    ROW_CHECK(c != NULL, "no control %s in the result", id);
    return c;
}

/* The member names of obj joined by ','. */
static const char *keys_of(const cJSON *obj)
{
    static char out[512];
    size_t o = 0;
    out[0] = '\0';
    for (const cJSON *m = obj ? obj->child : NULL; m; m = m->next) {
        rb_fmt(out + o, sizeof(out) - o, "%s%s", o ? "," : "", m->string);
        o = strlen(out);
    }
    return out;
}

/* ---- 1. selection and merge ---- */

#define PROFILE(imports, extra)                                                                    \
    "{'profile':{'uuid':'" U_TOP "'," META ",'imports':" imports extra "}}"
#define ABC(sel) "{'href':'abc.json'," sel "}"
#define IDS(...) "'include-controls':[{'with-ids':[" __VA_ARGS__ "]}]"
#define AS_IS ",'merge':{'as-is':true}"

struct shape_row {
    const char *name, *profile;
    const char *shape; /* NULL: refused */
    int rc;
    const char *field, *msg_has;
};

static const struct shape_row shape_rows[] = {
    /* include-all-test_profile: every control, flat (no merge: flat is the default). */
    {"include-all", PROFILE("[" ABC("'include-all':{}") "]", ""),
     "a1 a2 a3 b1 b2 b3 c1 c2 c3 c3.a c3.a-1", 0, NULL, NULL},
    /* exclude-call-test_profile: everything but a1. */
    {"exclude-call",
     PROFILE("[" ABC("'include-all':{},'exclude-controls':[{'with-ids':['a1']}]") "]", ""),
     "a2 a3 b1 b2 b3 c1 c2 c3 c3.a c3.a-1", 0, NULL, NULL},
    /* Without with-child-controls only the control itself. */
    {"no children", PROFILE("[" ABC(IDS("'c3'")) "]", ""), "c3", 0, NULL, NULL},
    /* include-call-with-children: with-child-controls yes brings the descendants. */
    {"with children",
     PROFILE("[" ABC("'include-controls':[{'with-ids':['c3'],'with-child-controls':'yes'}]") "]",
             ""),
     "c3 c3.a c3.a-1", 0, NULL, NULL},
    /* without-parent_profile: an included control brings its ancestors. */
    {"ancestors", PROFILE("[" ABC(IDS("'c3.a-1'")) "]", ""), "c3 c3.a c3.a-1", 0, NULL, NULL},
    {"ancestors as-is", PROFILE("[" ABC(IDS("'c3.a-1'")) "]", AS_IS), "{c:c3(c3.a(c3.a-1))} {k:}",
     0, NULL, NULL},
    /* Exclusion wins over ancestors; the child moves up to where its parent was. */
    {"exclusion wins, up-levelled",
     PROFILE("[" ABC(IDS("'c3.a-1'") ",'exclude-controls':[{'with-ids':['c3']}]") "]", AS_IS),
     "{c:c3.a(c3.a-1)} {k:}", 0, NULL, NULL},
    {"exclusion wins over an explicit include",
     PROFILE("[" ABC(IDS("'a1','a2'") ",'exclude-controls':[{'with-ids':['a2']}]") "]", ""), "a1",
     0, NULL, NULL},
    {"exclusion with children",
     PROFILE("[" ABC("'include-all':{},'exclude-controls':[{'with-ids':['c3'],"
                     "'with-child-controls':'yes'},{'with-ids':['a1','b2']}]") "]",
             ""),
     "a2 a3 b1 b3 c1 c2", 0, NULL, NULL},
    /* as-is keeps the groups holding a selected control (and the group marked keep=always). */
    {"as-is", PROFILE("[" ABC(IDS("'a1','a3','b1'")) "]", AS_IS), "{a:a1 a3} {b:b1} {k:}", 0, NULL,
     NULL},
    {"as-is false is flat", PROFILE("[" ABC(IDS("'a1','b1'")) "]", ",'merge':{'as-is':false}"),
     "a1 b1", 0, NULL, NULL},
    {"flat", PROFILE("[" ABC(IDS("'c3.a','b1'")) "]", ",'merge':{'flat':{}}"), "b1 c3 c3.a", 0,
     NULL, NULL},
    {"include-all as-is keeps every group",
     PROFILE("[" ABC("'include-all':{},'exclude-controls':[{'with-ids':['b1','b2','b3']}]") "]",
             AS_IS),
     "{a:a1 a2 a3} {b:} {c:c1 c2 c3(c3.a(c3.a-1))} {k:}", 0, NULL, NULL},
    /* Two imports of two catalogs; as-is reproduces each. */
    {"two catalogs", PROFILE("[" ABC(IDS("'b2'")) ",{'href':'xyz.json','include-all':{}}]", AS_IS),
     "x1 y1 {b:b2} {k:}", 0, NULL, NULL},
    /* merge-keep_profile: the same controls imported twice. Under keep the catalog would hold
     * a1 twice: refused, naming it. */
    {"keep refuses a control imported twice",
     PROFILE("[" ABC(IDS("'a1','b1'")) "," ABC(IDS("'a1','b1'")) "]",
             ",'merge':{'combine':{'method':'keep'}}"),
     NULL, RB_EINVAL, "profile.merge", "\"a1\" is imported twice"},
    {"no merge is keep", PROFILE("[" ABC(IDS("'a2'")) "," ABC(IDS("'a2'")) "]", ""), NULL,
     RB_EINVAL, "profile.merge", "\"a2\""},
    /* use-first: the first import's control is kept, in import order. */
    {"use-first",
     PROFILE("[" ABC(IDS("'a1','a3'")) "," ABC(IDS("'a1','a2'")) "]",
             ",'merge':{'combine':{'method':'use-first'}}"),
     "a1 a3 a2", 0, NULL, NULL},
    {"use-first as-is merges the groups",
     PROFILE("[" ABC(IDS("'a1'")) "," ABC(IDS("'b1','a2','a1'")) "]",
             ",'merge':{'combine':{'method':'use-first'},'as-is':true}"),
     "{a:a1 a2} {k:} {b:b1}", 0, NULL, NULL},
    /* What the resolver does not do is refused, naming the member. */
    {"combine merge", PROFILE("[" ABC(IDS("'a1'")) "]", ",'merge':{'combine':{'method':'merge'}}"),
     NULL, RB_EINVAL, "profile.merge.combine.method", "deprecated"},
    {"combine unknown", PROFILE("[" ABC(IDS("'a1'")) "]", ",'merge':{'combine':{'method':'x'}}"),
     NULL, RB_EINVAL, "profile.merge.combine.method", "use-first"},
    {"custom", PROFILE("[" ABC(IDS("'a1'")) "]", ",'merge':{'custom':{'groups':[]}}"), NULL,
     RB_EINVAL, "profile.merge.custom", "not supported"},
    {"flat and as-is", PROFILE("[" ABC(IDS("'a1'")) "]", ",'merge':{'flat':{},'as-is':true}"), NULL,
     RB_EINVAL, "profile.merge.as-is", "one structuring directive"},
    {"as-is not a boolean", PROFILE("[" ABC(IDS("'a1'")) "]", ",'merge':{'as-is':'yes'}"), NULL,
     RB_EINVAL, "profile.merge.as-is", "true or false"},
    {"unknown merge member", PROFILE("[" ABC(IDS("'a1'")) "]", ",'merge':{'sort':{}}"), NULL,
     RB_EINVAL, "profile.merge.sort", "not a member"},
    {"matching stays refused",
     PROFILE("[" ABC("'include-controls':[{'matching':[{'pattern':'a*'}]}]") "]", ""), NULL,
     RB_EINVAL, "profile.imports[0].include-controls[0].matching", "with-ids"},
    {"no listed id is a control", PROFILE("[" ABC(IDS("'zz-1'")) "]", ""), NULL, RB_EINVAL,
     "profile.imports", "none of the 1 listed ids"},
};

/* Resolves row i's profile (the fetch logging into log, or not when NULL) and checks what comes
 * out: the shape it names, or the refusal. */
static void check_shape_row(const struct shape_row *r, size_t i, struct fetch_log *log)
{
    cJSON *out = NULL;
    rb_errinfo ei;
    int rc = resolve_q(r->profile, &out, &ei, log);
    if (r->shape) {
        ROW_CHECK(rc == 0, "%s: rc %d %s: %s", r->name, rc, ei.field, ei.msg);
        ROW_CHECK(strcmp(shape(out), r->shape) == 0, "%s: shape \"%s\", want \"%s\"", r->name,
                  shape(out), r->shape);
    } else {
        tu_check_refused(r->name, i, rc, &ei, r->rc, r->field, r->msg_has);
    }
    cJSON_Delete(out);
}

TU_TEST(test_selection_and_merge)
{
    for (size_t i = 0; i < RB_ARRAY_LEN(shape_rows); i++)
        check_shape_row(&shape_rows[i], i, NULL);
}

/* ---- 2. modify ---- */

TU_TEST(test_set_parameters)
{
    rb_errinfo ei;
    cJSON *out = resolve_ok(
        PROFILE("[" ABC("'include-all':{}") "]",
                ",'modify':{'set-parameters':["
                "{'param-id':'a1_prm1','values':['2 working days'],'label':'new label',"
                " 'class':'tailored','constraints':[{'description':'at least every 3 years'}],"
                " 'guidelines':[{'prose':'Ask the CERT.'}],"
                " 'props':[{'name':'p1','value':'v1'}],'links':[{'href':'#b1'}]},"
                "{'param-id':'a1_prm1','props':[{'name':'p2','value':'v2'}]},"
                "{'param-id':'a3_prm1','select':{'how-many':'one','choice':['x','y']}},"
                "{'param-id':'loose-1','values':['set loose']}]}"),
        &ei, NULL);
    assert_int_equal(ei.code, 0);
    assert_string_equal(ei.msg, "");
    const cJSON *p = tu_at(control(out, "a1"), "params[0]");
    /* Both set-parameters applied, in order; members in the model's order. */
    static const struct tu_str_row a1[] = {
        {"id", "a1_prm1"},
        {"values[0]", "2 working days"},
        {"label", "new label"},
        {"class", "tailored"},
        {"constraints[0].description", "at least every 3 years"},
        {"guidelines[0].prose", "Ask the CERT."},
        {"props[0].name", "p1"},
        {"props[1].name", "p2"},
        {"links[0].href", "#b1"},
    };
    tu_check_strs(p, a1, RB_ARRAY_LEN(a1));
    assert_int_equal(cJSON_GetArraySize(tu_at(p, "values")), 1);
    assert_string_equal(keys_of(p), "id,class,props,links,label,constraints,guidelines,values");
    p = tu_at(control(out, "a3"), "params[0]");
    assert_string_equal(tu_str_at(p, "select.choice[1]"), "y");
    assert_string_equal(tu_str_at(p, "label"), "A3 Parameter 1");
    /* A loose param (the catalog's) is set as well. */
    assert_string_equal(tu_str_at(out, "catalog.params[0].values[0]"), "set loose");
    cJSON_Delete(out);

    /* Values replace a select (and the other way round): each member is replaced by name. */
    out = resolve_ok(PROFILE("[" ABC(IDS("'a3'")) "]",
                             ",'modify':{'set-parameters':[{'param-id':'a3_prm1','values':['v']},"
                             "{'param-id':'zz_prm','values':['w']}]}"),
                     &ei, NULL);
    assert_string_equal(tu_str_at(control(out, "a3"), "params[0].values[0]"), "v");
    /* A set-parameter naming no param is a warning, not an error. */
    assert_int_equal(ei.code, 0);
    assert_non_null(strstr(ei.msg, "\"zz_prm\""));
    assert_string_equal(ei.field, "profile.modify.set-parameters[1]");
    cJSON_Delete(out);
}

/* The specification's modify-adds example: its alters on a1, and the expected a1. */
TU_TEST(test_modify_adds_example)
{
    rb_errinfo ei;
    cJSON *out = resolve_ok(
        PROFILE("[" ABC(IDS("'a1','a3'")) "]",
                ",'merge':{'combine':{'method':'keep'},'as-is':true},"
                "'modify':{'set-parameters':["
                " {'param-id':'a1_prm1','constraints':[{'description':'at least every 3 years'}]},"
                " {'param-id':'a3_prm1','constraints':[{'description':'at least annually'}]}],"
                "'alters':[{'control-id':'a1','adds':["
                " {'position':'starting','by-id':'a1','props':[{'name':'CORE',"
                "  'ns':'https://fedramp.gov/ns/oscal','value':'core'}]},"
                " {'position':'starting','by-id':'a1_prm1','props':[{'name':'annotated',"
                "  'ns':'https://fedramp.gov/ns/oscal','value':'param-prop'}]},"
                " {'position':'before','by-id':'a1_prm1','params':[{'id':'new_prm',"
                "  'props':[{'name':'annotated','ns':'https://fedramp.gov/ns/oscal',"
                "  'value':'new-param'}],'label':'A1 Parameter New'}]},"
                " {'position':'starting','by-id':'a1-stmt','props':[{'name':'conformity',"
                "  'ns':'https://fedramp.gov/ns/oscal','value':'assessment-objective'},"
                "  {'name':'method','class':'fedramp','value':'EXAMINE'}]},"
                " {'position':'after','by-id':'a1-stmt','parts':[{'name':'statement',"
                "  'id':'new-part','prose':'A1 bbbbb {{ insert: param, new_prm }} bbbbb'}]},"
                " {'position':'ending','by-id':'a1-stmt','parts':[{'name':'statement',"
                "  'id':'new-part2','prose':'A1 ccc {{ insert: param, new_prm }} ccc'}]}]}]}"),
        &ei, NULL);
    ROW_CHECK(ei.msg[0] == '\0', "warning %s: %s", ei.field, ei.msg);
    assert_string_equal(shape(out), "{a:a1 a3} {k:}");
    const cJSON *a1 = control(out, "a1");
    /* As the expected output of the example: the new param before a1_prm1, which got its prop
     * and its constraint; CORE before the label prop; the statement's props first and
     * new-part2 inside it; new-part after it. */
    assert_string_equal(keys_of(a1), "id,title,params,props,parts");
    assert_string_equal(tu_str_at(a1, "params[0].id"), "new_prm");
    assert_string_equal(tu_str_at(a1, "params[0].label"), "A1 Parameter New");
    assert_string_equal(tu_str_at(a1, "params[1].id"), "a1_prm1");
    assert_string_equal(keys_of(tu_at(a1, "params[1]")), "id,props,label,constraints");
    assert_string_equal(tu_str_at(a1, "params[1].props[0].value"), "param-prop");
    assert_string_equal(tu_str_at(a1, "params[1].constraints[0].description"),
                        "at least every 3 years");
    assert_string_equal(tu_str_at(a1, "props[0].name"), "CORE");
    assert_string_equal(tu_str_at(a1, "props[1].name"), "label");
    assert_int_equal(cJSON_GetArraySize(tu_at(a1, "parts")), 2);
    const cJSON *smt = tu_at(a1, "parts[0]");
    assert_string_equal(tu_str_at(smt, "id"), "a1-stmt");
    assert_string_equal(keys_of(smt), "id,name,props,prose,parts");
    assert_string_equal(tu_str_at(smt, "props[0].name"), "conformity");
    assert_string_equal(tu_str_at(smt, "props[1].name"), "method");
    assert_string_equal(tu_str_at(smt, "parts[0].id"), "new-part2");
    assert_string_equal(tu_str_at(a1, "parts[1].id"), "new-part");
    assert_string_equal(tu_str_at(control(out, "a3"), "params[0].constraints[0].description"),
                        "at least annually");
    cJSON_Delete(out);
}

struct alter_row {
    const char *name, *alters;
    const char *control, *path, *want; /* tu_str_at(control, path) == want (NULL: absent) */
    const char *path2, *want2;
    const char *warn; /* substring of the warning, or NULL for none */
    int rc;
    const char *field, *msg_has;
};

#define ALTER(id, body) "{'control-id':'" id "'," body "}"

static const struct alter_row alter_rows[] = {
    /* Implicit binding: the control's arrays. */
    {"implicit ending", ALTER("b1", "'adds':[{'props':[{'name':'x','value':'1'}]}]"), "b1",
     "props[2].name", "x", "props[0].name", "label", NULL, 0, NULL, NULL},
    {"implicit starting",
     ALTER("b1", "'adds':[{'position':'starting','props':[{'name':'x',"
                 "'value':'1'},{'name':'y','value':'2'}]}]"),
     "b1", "props[0].name", "x", "props[1].name", "y", NULL, 0, NULL, NULL},
    {"implicit before is starting",
     ALTER("b1", "'adds':[{'position':'before','parts':[{'name':'note','prose':'n'}]}]"), "b1",
     "parts[0].name", "note", "parts[1].id", "b1-stmt", NULL, 0, NULL, NULL},
    {"implicit after is ending",
     ALTER("b1", "'adds':[{'position':'after','parts':[{'name':'note','prose':'n'}]}]"), "b1",
     "parts[3].name", "note", "parts[0].id", "b1-stmt", NULL, 0, NULL, NULL},
    {"title change", ALTER("b1", "'adds':[{'title':'Control B1, tailored'}]"), "b1", "title",
     "Control B1, tailored", "props[0].name", "label", NULL, 0, NULL, NULL},
    {"params into a control that had none",
     ALTER("b2", "'adds':[{'params':[{'id':'b2_new','values':['v']}]}]"), "b2", "params[0].id",
     "b2_new", NULL, NULL, NULL, 0, NULL, NULL},
    /* Explicit binding: inside or beside the target. */
    {"before a part",
     ALTER("b1", "'adds':[{'position':'before','by-id':'b1-gdn',"
                 "'parts':[{'name':'note','prose':'n'}]}]"),
     "b1", "parts[1].name", "note", "parts[2].id", "b1-gdn", NULL, 0, NULL, NULL},
    {"after a part",
     ALTER("b1", "'adds':[{'position':'after','by-id':'b1-stmt',"
                 "'parts':[{'name':'note','prose':'n'},{'name':'n2','prose':'m'}]}]"),
     "b1", "parts[1].name", "note", "parts[2].name", "n2", NULL, 0, NULL, NULL},
    {"ending inside a part",
     ALTER("b1", "'adds':[{'position':'ending','by-id':'b1-gdn',"
                 "'parts':[{'name':'note','prose':'n'}]}]"),
     "b1", "parts[1].parts[0].name", "note", NULL, NULL, NULL, 0, NULL, NULL},
    {"no position is ending",
     ALTER("b1", "'adds':[{'by-id':'b1-gdn','props':[{'name':'q',"
                 "'value':'1'}]}]"),
     "b1", "parts[1].props[0].name", "q", NULL, NULL, NULL, 0, NULL, NULL},
    /* A child control is a target, and its contents are. */
    {"inside a child control",
     ALTER("c3", "'adds':[{'position':'starting','by-id':'c3.a-stmt',"
                 "'props':[{'name':'q','value':'1'}]}]"),
     "c3.a", "parts[0].props[0].name", "q", NULL, NULL, NULL, 0, NULL, NULL},
    {"an alter on a child control", ALTER("c3.a-1", "'adds':[{'title':'Renamed'}]"), "c3.a-1",
     "title", "Renamed", NULL, NULL, NULL, 0, NULL, NULL},
    {"by-id naming nothing is ignored",
     ALTER("b1", "'adds':[{'position':'after','by-id':'zz','props':[{'name':'q','value':'1'}]}]"),
     "b1", "props[2]", NULL, NULL, NULL, "\"zz\" names nothing", 0, NULL, NULL},
    {"an alter naming no control", ALTER("zz-9", "'adds':[{'title':'x'}]"), "b1", "title",
     "Control B1", NULL, NULL, "\"zz-9\"", 0, NULL, NULL},
    /* Removes. */
    {"remove by-name", ALTER("b1", "'removes':[{'by-name':'guidance'}]"), "b1", "parts[1]", NULL,
     "parts[0].id", "b1-stmt", NULL, 0, NULL, NULL},
    {"remove by-name and by-ns (OSCAL's by default)",
     ALTER("b1", "'removes':[{'by-name':'guidance','by-ns':'http://csrc.nist.gov/ns/oscal'}]"),
     "b1", "parts[1].id", "b1-gdn-x", "parts[2]", NULL, NULL, 0, NULL, NULL},
    {"remove by-ns", ALTER("b1", "'removes':[{'by-ns':'https://x.test/ns'}]"), "b1", "parts[1].id",
     "b1-gdn", "parts[2]", NULL, NULL, 0, NULL, NULL},
    {"remove by-id", ALTER("b1", "'removes':[{'by-id':'b1-gdn'}]"), "b1", "parts[1].id", "b1-gdn-x",
     NULL, NULL, NULL, 0, NULL, NULL},
    {"remove by-class", ALTER("b1", "'removes':[{'by-class':'hidden'}]"), "b1", "props[1]", NULL,
     "props[0].name", "label", NULL, 0, NULL, NULL},
    {"remove by-item-name link (and the empty array)",
     ALTER("b1", "'removes':[{'by-item-name':'link'}]"), "b1", "links", NULL, "props[0].name",
     "label", NULL, 0, NULL, NULL},
    {"remove by-item-name prop and by-name",
     ALTER("b1", "'removes':[{'by-item-name':'prop',"
                 "'by-name':'sort-id'}]"),
     "b1", "props[1]", NULL, "props[0].name", "label", NULL, 0, NULL, NULL},
    {"remove a param", ALTER("a1", "'removes':[{'by-item-name':'param'}]"), "a1", "params", NULL,
     NULL, NULL, NULL, 0, NULL, NULL},
    {"remove inside parts",
     ALTER("a1", "'adds':[{'position':'ending','by-id':'a1-stmt',"
                 "'parts':[{'name':'inner','id':'in-1'},"
                 "{'name':'inner','id':'in-2'}]}]") "," ALTER("a1", "'removes':[{'by-id':'in-1'}]"),
     "a1", "parts[0].parts[0].id", "in-2", "parts[0].parts[1]", NULL, NULL, 0, NULL, NULL},
    /* In one alter removes come first: they never take away what the alter adds. */
    {"removes before adds",
     ALTER("a1", "'adds':[{'position':'ending','by-id':'a1-stmt',"
                 "'parts':[{'name':'inner','id':'in-1'}]}],"
                 "'removes':[{'by-id':'in-1'}]"),
     "a1", "parts[0].parts[0].id", "in-1", NULL, NULL, "matches nothing", 0, NULL, NULL},
    {"remove then add",
     ALTER("a2", "'removes':[{'by-name':'statement'}],'adds':[{'parts':["
                 "{'name':'statement','id':'a2-new','prose':'New.'}]}]"),
     "a2", "parts[0].id", "a2-new", "parts[1]", NULL, NULL, 0, NULL, NULL},
    {"a removal matching nothing", ALTER("b1", "'removes':[{'by-name':'nothing-so-named'}]"), "b1",
     "parts[2].id", "b1-gdn-x", NULL, NULL, "matches nothing", 0, NULL, NULL},
    /* Refusals name the member. */
    {"an empty removal", ALTER("b1", "'removes':[{}]"), NULL, NULL, NULL, NULL, NULL, NULL,
     RB_EINVAL, "profile.modify.alters[0].removes[0]", "at least one of"},
    {"by-item-name unknown", ALTER("b1", "'removes':[{'by-item-name':'control'}]"), NULL, NULL,
     NULL, NULL, NULL, NULL, RB_EINVAL, "profile.modify.alters[0].removes[0].by-item-name",
     "param, prop"},
    {"position unknown", ALTER("b1", "'adds':[{'position':'middle','title':'x'}]"), NULL, NULL,
     NULL, NULL, NULL, NULL, RB_EINVAL, "profile.modify.alters[0].adds[0].position", "before"},
    {"unknown add member", ALTER("b1", "'adds':[{'controls':[]}]"), NULL, NULL, NULL, NULL, NULL,
     NULL, RB_EINVAL, "profile.modify.alters[0].adds[0].controls", "not a member"},
    {"control-id missing", "{'adds':[{'title':'x'}]}", NULL, NULL, NULL, NULL, NULL, NULL,
     RB_EINVAL, "profile.modify.alters[0].control-id", "missing"},
    {"props not objects", ALTER("b1", "'adds':[{'props':['x']}]"), NULL, NULL, NULL, NULL, NULL,
     NULL, RB_EINVAL, "profile.modify.alters[0].adds[0].props[0]", "object"},
};

TU_TEST(test_alters)
{
    for (size_t i = 0; i < RB_ARRAY_LEN(alter_rows); i++) {
        const struct alter_row *r = &alter_rows[i];
        char tmpl[4096];
        /* As-is: child controls stay inside their parents, where alters of the parent reach them.
         */
        snprintf(tmpl, sizeof(tmpl),
                 PROFILE("[" ABC("'include-all':{}") "]", AS_IS ",'modify':{'alters':[%s]}"),
                 r->alters);
        cJSON *out = NULL;
        rb_errinfo ei;
        int rc = resolve_q(tmpl, &out, &ei, NULL);
        if (r->rc) {
            tu_check_refused(r->name, i, rc, &ei, r->rc, r->field, r->msg_has);
            cJSON_Delete(out);
            continue;
        }
        ROW_CHECK(rc == 0, "%s: rc %d %s: %s", r->name, rc, ei.field, ei.msg);
        const cJSON *c = control(out, r->control);
        const char *got = tu_str_at(c, r->path);
        if (r->want)
            ROW_CHECK(got && strcmp(got, r->want) == 0, "%s: %s is \"%s\", want \"%s\"", r->name,
                      r->path, got ? got : "(absent)", r->want);
        else
            ROW_CHECK(tu_at(c, r->path) == NULL, "%s: %s is present", r->name, r->path);
        if (r->path2) {
            got = tu_str_at(c, r->path2);
            if (r->want2)
                ROW_CHECK(got && strcmp(got, r->want2) == 0, "%s: %s is \"%s\", want \"%s\"",
                          r->name, r->path2, got ? got : "(absent)", r->want2);
            else
                ROW_CHECK(tu_at(c, r->path2) == NULL, "%s: %s is present", r->name, r->path2);
        }
        if (r->warn)
            ROW_CHECK(ei.code == 0 && strstr(ei.msg, r->warn), "%s: warning \"%s\"", r->name,
                      ei.msg);
        else
            ROW_CHECK(ei.msg[0] == '\0', "%s: unexpected warning \"%s\"", r->name, ei.msg);
        cJSON_Delete(out);
    }
}

/* ---- 3. metadata, back-matter, loose params ---- */

TU_TEST(test_metadata_and_back_matter)
{
    rb_errinfo ei;
    cJSON *out = resolve_ok(
        "{'profile':{'uuid':'" U_TOP "','metadata':{'title':'Tailored','version':'7',"
        "'oscal-version':'1.0.4','last-modified':'2026-01-01T00:00:00Z',"
        "'props':[{'name':'resolution-tool','value':'stale'},{'name':'keywords','value':'k'}],"
        "'roles':[{'id':'creator','title':'Creator'}]},"
        "'imports':[{'href':'abc.json','include-controls':[{'with-ids':['a1']}]}],"
        "'back-matter':{'resources':["
        " {'uuid':'aaaaaaaa-0000-4000-8000-000000000002','title':'the profile wins'},"
        " {'uuid':'aaaaaaaa-0000-4000-8000-000000000003','title':'the profile own'}]}}}",
        &ei, NULL);
    const cJSON *cat = tu_at(out, "catalog");
    assert_string_equal(keys_of(cat), "uuid,metadata,params,controls,back-matter");
    assert_string_equal(tu_str_at(cat, "uuid"), "99999999-2222-4333-8444-555555555555");
    const cJSON *m = tu_at(cat, "metadata");
    assert_string_equal(keys_of(m), "title,last-modified,version,oscal-version,props,links,roles");
    /* The highest oscal-version met: the profile's 1.0.4 over the catalog's 1.0.0. */
    static const struct tu_str_row meta[] = {
        {"title", "Tailored"},
        {"version", "7"},
        {"last-modified", "2026-02-03T04:05:06Z"},
        {"oscal-version", "1.0.4"},
        {"props[0].name", "keywords"},
        {"props[1].name", "resolution-tool"},
        {"props[1].value", "rabta test"},
        {"props[2].name", "source-profile-uuid"},
        {"props[2].value", U_TOP},
    };
    tu_check_strs(m, meta, RB_ARRAY_LEN(meta));
    assert_null(tu_at(m, "props[3]"));
    assert_string_equal(tu_str_at(m, "links[0].rel"), "source-profile");
    assert_string_equal(tu_str_at(m, "links[0].href"), "/api/v1/profiles/p-1/oscal");
    assert_string_equal(tu_str_at(m, "roles[0].id"), "creator");
    /* Loose params of the catalog. */
    assert_string_equal(tu_str_at(cat, "params[0].id"), "loose-1");
    /* Resources: the catalog's, then the profile's; the same uuid replaced by the later. */
    const cJSON *res = tu_at(cat, "back-matter.resources");
    assert_int_equal(cJSON_GetArraySize(res), 3);
    assert_string_equal(tu_str_at(res, "[0].title"), "from the catalog");
    assert_string_equal(tu_str_at(res, "[1].title"), "the profile wins");
    assert_string_equal(tu_str_at(res, "[2].title"), "the profile own");
    cJSON_Delete(out);

    /* The resolved catalog has the highest version met (kept after the imported document is
     * freed): here the imported catalog's and the profile's, both 1.0.0. (A profile without
     * oscal-version is not OSCAL, and refused: decision 73.) A newer OSCAL than the resolver's
     * is declared as its own; another major is refused. */
    static const struct tu_str_row versions[] = {
        {"1.0.0", "1.0.0"}, {"1.9.0", "1.1.2"}, {"2.0.0", NULL}};
    for (size_t i = 0; i < RB_ARRAY_LEN(versions); i++) {
        char tmpl[512];
        snprintf(tmpl, sizeof(tmpl),
                 "{'profile':{'uuid':'" U_TOP "','metadata':{'title':'P','version':'1',"
                 "'last-modified':'2026-01-01T00:00:00Z','oscal-version':'%s'},"
                 "'imports':[{'href':'abc.json','include-all':{}}]}}",
                 versions[i].in);
        if (!versions[i].out) {
            int rc = resolve_q(tmpl, &out, &ei, NULL);
            tu_check_refused("oscal 2", 0, rc, &ei, RB_EINVAL, "oscal-version", "OSCAL 1");
            continue;
        }
        out = resolve_ok(tmpl, &ei, NULL);
        assert_string_equal(tu_str_at(out, "catalog.metadata.oscal-version"), versions[i].out);
        cJSON_Delete(out);
    }
}

/* ---- 4. imports ---- */

/* A shape row, and the href the fetch got last (NULL: not checked). */
struct import_row {
    struct shape_row row;
    const char *last_fetch;
};

#define RES(uuid, rlinks) "{'uuid':'" uuid "','rlinks':[" rlinks "]}"
#define BACK(...) ",'back-matter':{'resources':[" __VA_ARGS__ "]}"
#define R1 "aaaaaaaa-1111-4000-8000-000000000001"

static const struct import_row import_rows[] = {
    /* "#uuid" is a back-matter resource; its rlinks are tried in order. */
    {{"#uuid through the back-matter",
      PROFILE("[{'href':'#" R1 "'," IDS("'a1'") "}]",
              BACK(RES(R1, "{'href':'missing.json'},{'href':'abc.json'}"))),
      "a1", 0, NULL, NULL},
     "abc.json"},
    {{"#uuid the back-matter lacks",
      PROFILE("[{'href':'#" R1 "'," IDS("'a1'") "}]", BACK(RES(U_BASE, "{'href':'abc.json'}"))),
      NULL, RB_EINVAL, "profile.imports[0].href", "no resource of the profile's back-matter"},
     "#" R1},
    {{"#uuid whose rlinks name nothing",
      PROFILE("[{'href':'#" R1 "'," IDS("'a1'") "}]", BACK(RES(R1, "{'href':'missing.json'}"))),
      NULL, RB_ENOTFOUND, "catalog", "cannot resolve the import \"#" R1 "\" (its rlink \"missing"},
     "missing.json"},
    {{"a resource without rlinks",
      PROFILE("[{'href':'#" R1 "'," IDS("'a1'") "}]",
              BACK("{'uuid':'" R1 "','base64':{'filename':'c.json','value':'e30='}}")),
      NULL, RB_EINVAL, "profile.imports[0].href", "no rlink"},
     NULL},
    {{"an href naming nothing", PROFILE("[{'href':'nowhere.json'," IDS("'a1'") "}]", ""), NULL,
      RB_ENOTFOUND, "catalog", "cannot resolve the import \"nowhere.json\": no document"},
     "nowhere.json"},
    {{"not JSON", PROFILE("[{'href':'broken.json','include-all':{}}]", ""), NULL, RB_EINVAL,
      "profile.imports[0]", "the import \"broken.json\" failed"},
     NULL},
    {{"not a catalog or a profile", PROFILE("[{'href':'notoscal.json','include-all':{}}]", ""),
      NULL, RB_EINVAL, "profile.imports[0]", "neither an OSCAL catalog nor an OSCAL profile"},
     NULL},
    /* A profile importing a profile: the imported one is resolved first (its selection and
     * set-parameter), then selected from. */
    {{"a profile of a profile", PROFILE("[{'href':'base.json'," IDS("'a3','a1'") "}]", AS_IS),
      "{a:a1 a3} {k:}", 0, NULL, NULL},
     "abc.json"},
    {{"a profile of a profile selects only what it resolved to",
      PROFILE("[{'href':'base.json'," IDS("'b1'") "}]", ""), NULL, RB_EINVAL, "profile.imports",
      "none of the 1 listed ids"},
     NULL},
    /* home_profile and circular_profile: refused, naming the cycle. */
    {{"a cycle", PROFILE("[{'href':'home.json','include-all':{}}]", ""), NULL, RB_EINVAL,
      "profile.imports", "circular import: home.json -> circular.json -> home.json"},
     NULL},
    {{"a resolved catalog standing for the profile itself",
      PROFILE("[{'href':'cached-top.json','include-all':{}}]", ""), NULL, RB_EINVAL,
      "profile.imports", "circular import: top.json -> cached-top.json"},
     NULL},
};

TU_TEST(test_imports)
{
    for (size_t i = 0; i < RB_ARRAY_LEN(import_rows); i++) {
        const struct import_row *r = &import_rows[i];
        struct fetch_log log = {0};
        check_shape_row(&r->row, i, &log);
        if (r->last_fetch)
            ROW_CHECK(strcmp(log.last, r->last_fetch) == 0, "%s: fetched \"%s\" last", r->row.name,
                      log.last);
    }

    /* At most OSCAL_MAX_FETCHES documents are fetched for one resolution. */
    for (int n = OSCAL_MAX_FETCHES; n <= OSCAL_MAX_FETCHES + 1; n++) {
        rb_buf p;
        rb_buf_init(&p, 1 << 20);
        rb_buf_adds(&p, "{'profile':{'uuid':'" U_TOP "'," META ",'imports':[");
        for (int k = 0; k < n; k++)
            rb_buf_printf(&p, "%s{'href':'abc.json'," IDS("'a1'") "}", k ? "," : "");
        rb_buf_adds(&p, "],'merge':{'combine':{'method':'use-first'}}}}");
        cJSON *many = NULL;
        rb_errinfo e;
        int rc = resolve_q(rb_buf_cstr(&p), &many, &e, NULL);
        if (n == OSCAL_MAX_FETCHES) {
            ROW_CHECK(rc == 0, "%d imports: rc %d %s", n, rc, e.msg);
            assert_string_equal(shape(many), "a1");
        } else {
            tu_check_refused("fetches", 0, rc, &e, RB_ETOOBIG, "profile.imports", "more than 256");
        }
        cJSON_Delete(many);
        rb_buf_release(&p);
    }

    /* The imported profile's modify holds in the importing one; imports of imports are fetched
     * one level deeper. */
    rb_errinfo ei;
    struct fetch_log log = {0};
    cJSON *out = resolve_ok(PROFILE("[{'href':'base.json'," IDS("'a1'") "}]", ""), &ei, &log);
    assert_string_equal(tu_str_at(control(out, "a1"), "params[0].values[0]"), "set by the base");
    assert_int_equal(log.calls, 2);
    assert_int_equal(log.depth, 1);
    cJSON_Delete(out);
}

/* ---- 5. the real NIST files ---- */

#define MODERATE "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog-min.json"
#define LOW_PROFILE "NIST_SP-800-53_rev5_LOW-baseline_profile.json"

struct nist {
    const char *text;
    size_t len;
};

/* Every import of the LOW profile is the moderate catalog (the profile names the full rev5
 * catalog, which holds every LOW control, as the moderate one does). */
static int nist_fetch(void *ctx, const char *href, int depth, struct oscal_source *src,
                      rb_errinfo *ei)
{
    const struct nist *n = ctx;
    RB_UNUSED(href);
    RB_UNUSED(depth);
    RB_UNUSED(ei);
    *src = (struct oscal_source){n->text, n->len, "moderate", NULL};
    return 0;
}

static int count_controls(const cJSON *node)
{
    int n = 0;
    static const char *const keys[] = {"controls", "groups"};
    for (size_t k = 0; k < 2; k++) {
        const cJSON *arr = cJSON_GetObjectItemCaseSensitive(node, keys[k]);
        for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next)
            n += (k == 0) + count_controls(e);
    }
    return n;
}

TU_TEST(test_real_low_against_moderate)
{
    size_t clen = 0, plen = 0;
    char *ctext = tu_read_data("oscal/" MODERATE, &clen);
    char *ptext = tu_read_data("oscal/" LOW_PROFILE, &plen);
    if (!ctext || !ptext) {
        free(ctext);
        free(ptext);
        print_message("skipping: %s or %s not found under ../shared/data/oscal\n", MODERATE,
                      LOW_PROFILE);
        skip();
    }
    struct nist n = {ctext, clen};
    const struct oscal_resolve_opts o = {
        nist_fetch,   &n,  "LOW", "99999999-2222-4333-8444-555555555555", "2026-02-03T04:05:06Z",
        "rabta test", NULL};
    rb_buf b;
    rb_buf_init(&b, OSCAL_MAX_RESOLVED);
    rb_errinfo ei;
    int rc = oscal_profile_resolve(ptext, plen, &o, &b, &ei);
    ROW_CHECK(rc == 0, "rc %d %s: %s", rc, ei.field, ei.msg);
    ROW_CHECK(ei.msg[0] == '\0', "warning %s: %s", ei.field, ei.msg);
    cJSON *out = cJSON_Parse(rb_buf_cstr(&b));
    assert_non_null(out);
    /* 149 controls (131 and 18 enhancements), under the families (merge as-is), nested. */
    const cJSON *cat = tu_at(out, "catalog");
    assert_int_equal(count_controls(cat), 149);
    assert_null(tu_at(cat, "controls"));
    /* The 18 families holding a LOW control (pm and pt hold none). */
    assert_int_equal(cJSON_GetArraySize(tu_at(cat, "groups")), 18);
    assert_string_equal(tu_str_at(cat, "groups[0].id"), "ac");
    assert_string_equal(tu_str_at(cat, "groups[0].controls[0].id"), "ac-1");
    const cJSON *ia2 = control(out, "ia-2");
    assert_string_equal(tu_str_at(ia2, "controls[0].id"), "ia-2.1");
    assert_string_equal(tu_str_at(cat, "metadata.title"),
                        "NIST Special Publication 800-53 Revision 5.1.1 LOW IMPACT BASELINE");
    assert_null(tu_at(cat, "metadata.links"));
    assert_string_equal(tu_str_at(cat, "metadata.props[0].name"), "resolution-tool");
    /* rabta's catalog codec reads the result: what an assessment on the profile shows. */
    rb_arena a;
    rb_arena_init(&a, (size_t)256 << 20);
    struct oscal_catalog c;
    rc = oscal_catalog_parse(rb_buf_cstr(&b), b.len, &a, &c, &ei);
    ROW_CHECK(rc == 0, "parse: %d %s: %s", rc, ei.field, ei.msg);
    assert_int_equal(c.ncontrols, 149);
    assert_int_equal(c.nenhancements, 18);
    rb_arena_release(&a);
    cJSON_Delete(out);
    rb_buf_release(&b);
    free(ctext);
    free(ptext);
}

TU_MAIN({
    cmocka_unit_test(test_selection_and_merge),
    cmocka_unit_test(test_set_parameters),
    cmocka_unit_test(test_modify_adds_example),
    cmocka_unit_test(test_alters),
    cmocka_unit_test(test_metadata_and_back_matter),
    cmocka_unit_test(test_imports),
    cmocka_unit_test(test_real_low_against_moderate),
})
