/*
 * test_oscal.c - src/formats/oscal: catalogs, prose rendering, writing back, profiles.
 *
 * Inline fixtures are written with ' for " (see q()) so they stay readable. The tests on the
 * real NIST files find ../shared/data from the source directory (RABTA_SOURCE_DIR, set by
 * tests/unit/meson.build; RABTA_DATA_DIR overrides it) and skip when the data is absent.
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

#define ARENA_CAP ((size_t)256 * 1024 * 1024)

/* The template with every ' turned into ", in a static buffer (one at a time). */
static const char *q(const char *t)
{
    static char buf[32768];
    return tu_dq_copy(buf, sizeof(buf), t);
}

static int parse_q(const char *tmpl, rb_arena *a, struct oscal_catalog *c, rb_errinfo *ei)
{
    const char *s = q(tmpl);
    return oscal_catalog_parse(s, strlen(s), a, c, ei);
}

static int find_control(const struct oscal_catalog *c, const char *id)
{
    for (int i = 0; i < c->ncontrols; i++)
        if (strcmp(c->controls[i].id, id) == 0)
            return i;
    return -1;
}

#define UUID1 "11111111-2222-4333-8444-555555555555"

/* Two groups (g1 holds g1.1), three controls, one enhancement; params with values, label only,
 * selections (one of them inserting another param), none of those; statement items two levels
 * deep; guidance; objectives; a group param and a catalog param inherited by controls. */
static const char tiny[] =
    "{'catalog':{'uuid':'" UUID1 "',"
    "'metadata':{'title':'Tiny catalog','version':'1.0','oscal-version':'1.1.2',"
    "'last-modified':'2026-01-01T00:00:00Z','remarks':'kept'},"
    "'params':[{'id':'cat-p','label':'catalog-wide value'}],"
    "'groups':[{'id':'g1','class':'family','title':'Group One',"
    " 'params':[{'id':'g1-p','values':['group value']}],"
    " 'props':[{'name':'label','value':'G1'}],"
    " 'controls':["
    "  {'id':'c-1','class':'SP800-53','title':'First control',"
    "   'params':["
    "    {'id':'c-1_prm_1','values':['daily','weekly']},"
    "    {'id':'c-1_prm_2','label':'organization-defined personnel'},"
    "    {'id':'c-1_prm_3','select':{'how-many':'one-or-more',"
    "      'choice':['alpha','beta with {{ insert: param, c-1_prm_2 }}']}},"
    "    {'id':'c-1_prm_4','select':{'choice':['yes','no']}},"
    "    {'id':'c-1_prm_5'}],"
    "   'props':[{'name':'label','value':'C-01','class':'zero-padded'},"
    "    {'name':'label','value':'C-1'},"
    "    {'name':'sort-id','value':'c-01','ns':'http://example.test/ns'}],"
    "   'parts':["
    "    {'id':'c-1_smt','name':'statement','prose':'The organization:',"
    "     'parts':["
    "      {'id':'c-1_smt.a','name':'item','props':[{'name':'label','value':'a.'}],"
    "       'prose':'Reviews {{ insert: param, c-1_prm_1 }} with {{ insert: param, c-1_prm_2 }};',"
    "       'parts':["
    "        {'id':'c-1_smt.a.1','name':'item','props':[{'name':'label','value':'1.'}],"
    "         'prose':' Chooses {{ insert: param, c-1_prm_3 }} '},"
    "        {'id':'c-1_smt.a.2','name':'item','props':[{'name':'label','value':'2.'}],"
    "         'prose':'Answers {{insert: param, c-1_prm_4}} and {{ insert: param, c-1_prm_5 }}'}]},"
    "      {'id':'c-1_smt.b','name':'item','props':[{'name':'label','value':'b.'}],"
    "       'prose':'Uses {{ insert: param, g1-p }}, {{ insert: param, cat-p }} and "
    "{{ insert: param, nope }}.'}]},"
    "    {'id':'c-1_gdn','name':'guidance','prose':'Guidance for {{ insert: param, c-1_prm_2 }}.'},"
    "    {'id':'c-1_obj','name':'assessment-objective',"
    "     'props':[{'name':'label','value':'C-01','class':'sp800-53a'}],"
    "     'parts':[{'id':'c-1_obj.a','name':'assessment-objective',"
    "      'props':[{'name':'label','value':'C-01a.','class':'sp800-53a'}],"
    "      'prose':'reviews happen {{ insert: param, c-1_prm_1 }};'}]}],"
    "   'controls':[{'id':'c-1.1','class':'SP800-53-enhancement','title':'First enhancement',"
    "    'parts':[{'id':'c-1.1_smt','name':'statement',"
    "     'prose':'Notify {{ insert: param, c-1_prm_2 }} {{ insert: param, c-1_prm_1 }}.'}],"
    "    'links':[{'href':'#c-1','rel':'kept'}]}]},"
    "  {'id':'c-2','title':'Second control','parts':[{'name':'guidance','prose':'Only "
    "guidance.'}]}],"
    " 'groups':[{'id':'g1.1','title':'Nested group',"
    "  'controls':[{'id':'c-3','title':'Third control','parts':["
    "   {'name':'statement','prose':'Intro {{ insert: param, g1-p }}.','parts':["
    "    {'name':'item','props':[{'name':'label','value':'a.'}],'prose':'Top item','parts':["
    "     {'name':'item','props':[{'name':'label','value':'1.'}],"
    "      'prose':'First line\\nsecond line\\n\\nthird'}]}]},"
    "   {'name':'guidance','prose':'G one.'},{'name':'guidance','prose':'G two.'}]}]}]}],"
    "'back-matter':{'resources':[{'uuid':'22222222-2222-4333-8444-555555555555','title':'Ref'}]}"
    "}}";

static const char c1_statement[] =
    "The organization:\n"
    "a. Reviews daily, weekly with [Assignment: organization-defined personnel];\n"
    "  1. Chooses [Selection (one or more): alpha; beta with [Assignment: organization-defined "
    "personnel]]\n"
    "  2. Answers [Selection: yes; no] and [Assignment: c-1_prm_5]\n"
    "b. Uses group value, [Assignment: catalog-wide value] and [Assignment: nope].";

static const char c3_statement[] = "Intro group value.\n"
                                   "a. Top item\n"
                                   "  1. First line\n"
                                   "  second line\n"
                                   "\n"
                                   "  third";

static void check_tiny(const struct oscal_catalog *c)
{
    assert_string_equal(c->uuid, UUID1);
    assert_string_equal(c->title, "Tiny catalog");
    assert_string_equal(c->version, "1.0");
    assert_string_equal(c->oscal_version, "1.1.2");
    assert_string_equal(c->last_modified, "2026-01-01T00:00:00Z");
    assert_non_null(strstr(c->metadata_json, "\"remarks\":\"kept\""));
    assert_string_equal(c->params_json, "[{\"id\":\"cat-p\",\"label\":\"catalog-wide value\"}]");
    assert_string_equal(c->back_matter_json, "{\"resources\":[{\"uuid\":\"22222222-2222-4333-8444-"
                                             "555555555555\",\"title\":\"Ref\"}]}");
    assert_int_equal(c->nparams, 1);
    assert_string_equal(c->params[0].label, "catalog-wide value");

    assert_int_equal(c->ngroups, 2);
    assert_string_equal(c->groups[0].id, "g1");
    assert_string_equal(c->groups[0].title, "Group One");
    assert_string_equal(c->groups[0].class_, "family");
    assert_int_equal(c->groups[0].parent, -1);
    assert_int_equal(c->groups[0].depth, 0);
    assert_int_equal(c->groups[0].nparams, 1);
    assert_string_equal(c->groups[1].id, "g1.1");
    assert_null(c->groups[1].class_);
    assert_int_equal(c->groups[1].parent, 0);
    assert_int_equal(c->groups[1].depth, 1);
    /* The group copies keep their own members and drop nested groups and controls. */
    assert_null(strstr(c->groups[0].json, "\"controls\""));
    assert_null(strstr(c->groups[0].json, "\"groups\""));
    assert_non_null(strstr(c->groups[0].json, "\"params\":[{\"id\":\"g1-p\""));
    assert_string_equal(c->groups[1].json, "{\"id\":\"g1.1\",\"title\":\"Nested group\"}");

    /* Depth-first: c-1, its enhancement, c-2, then the nested group's c-3. */
    assert_int_equal(c->ncontrols, 4);
    assert_int_equal(c->nenhancements, 1);
    static const struct {
        const char *id, *title, *class_, *label;
        int group, parent, nparams, nprops;
    } want[] = {
        {"c-1", "First control", "SP800-53", "C-1", 0, -1, 5, 3},
        {"c-1.1", "First enhancement", "SP800-53-enhancement", NULL, 0, 0, 0, 0},
        {"c-2", "Second control", NULL, NULL, 0, -1, 0, 0},
        {"c-3", "Third control", NULL, NULL, 1, -1, 0, 0},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(want); i++) {
        const struct oscal_control *k = &c->controls[i];
        ROW_CHECK(strcmp(k->id, want[i].id) == 0, "control %zu: id %s", i, k->id);
        assert_string_equal(k->title, want[i].title);
        if (want[i].class_)
            assert_string_equal(k->class_, want[i].class_);
        else
            assert_null(k->class_);
        if (want[i].label)
            assert_string_equal(k->label, want[i].label);
        else
            assert_null(k->label);
        assert_int_equal(k->group, want[i].group);
        assert_int_equal(k->parent, want[i].parent);
        assert_int_equal(k->nparams, want[i].nparams);
        assert_int_equal(k->nprops, want[i].nprops);
    }

    const struct oscal_control *c1 = &c->controls[0];
    assert_string_equal(c1->statement, c1_statement);
    assert_string_equal(c1->guidance, "Guidance for [Assignment: organization-defined personnel].");
    assert_string_equal(c1->objectives, "C-01a. reviews happen daily, weekly;");
    assert_string_equal(c1->params[0].id, "c-1_prm_1");
    assert_int_equal(c1->params[0].nvalues, 2);
    assert_string_equal(c1->params[0].values[1], "weekly");
    assert_false(c1->params[0].has_select);
    assert_string_equal(c1->params[1].label, "organization-defined personnel");
    assert_true(c1->params[2].has_select);
    assert_string_equal(c1->params[2].select_how, "one-or-more");
    assert_int_equal(c1->params[2].nchoices, 2);
    assert_string_equal(c1->params[2].choices[1], "beta with {{ insert: param, c-1_prm_2 }}");
    assert_true(c1->params[3].has_select);
    assert_null(c1->params[3].select_how);
    assert_null(c1->params[4].label);
    assert_string_equal(c1->props[2].name, "sort-id");
    assert_string_equal(c1->props[2].ns, "http://example.test/ns");
    assert_string_equal(c1->props[0].class_, "zero-padded");
    assert_null(strstr(c1->json, "c-1.1"));
    assert_non_null(strstr(c1->json, "\"parts\":[{\"id\":\"c-1_smt\""));

    /* The enhancement resolves its parent's params; members rabta does not read survive in its
     * copy. */
    const struct oscal_control *e = &c->controls[1];
    assert_string_equal(e->statement, "Notify [Assignment: organization-defined personnel] daily, "
                                      "weekly.");
    assert_null(e->guidance);
    assert_null(e->objectives);
    assert_non_null(strstr(e->json, "\"rel\":\"kept\""));

    assert_null(c->controls[2].statement);
    assert_string_equal(c->controls[2].guidance, "Only guidance.");

    /* c-3 sits in g1.1 and still sees g1's param; continuation lines keep the item indent. */
    assert_string_equal(c->controls[3].statement, c3_statement);
    assert_string_equal(c->controls[3].guidance, "G one.\n\nG two.");
}

/* The tiny catalog parsed into c, in the fresh arena a. */
static void parse_tiny(rb_arena *a, struct oscal_catalog *c)
{
    rb_errinfo ei;
    rb_arena_init(a, ARENA_CAP);
    int rc = parse_q(tiny, a, c, &ei);
    ROW_CHECK(rc == 0, "parse: %d %s: %s", rc, ei.field, ei.msg);
}

TU_TEST(test_tiny_catalog)
{
    rb_arena a;
    struct oscal_catalog c;
    parse_tiny(&a, &c);
    check_tiny(&c);
    rb_arena_release(&a);
}

TU_TEST(test_tiny_round_trip)
{
    rb_arena a;
    struct oscal_catalog c, c2;
    parse_tiny(&a, &c);
    rb_buf out, out2;
    rb_buf_init(&out, 1 << 20);
    rb_buf_init(&out2, 1 << 20);
    assert_int_equal(oscal_catalog_write(&c, &out), 0);
    rb_errinfo ei;
    int rc = oscal_catalog_parse(out.ptr, out.len, &a, &c2, &ei);
    ROW_CHECK(rc == 0, "re-parse: %d %s: %s", rc, ei.field, ei.msg);
    check_tiny(&c2);
    /* Writing the re-parsed catalog gives the same bytes. */
    assert_int_equal(oscal_catalog_write(&c2, &out2), 0);
    assert_string_equal(rb_buf_cstr(&out), rb_buf_cstr(&out2));
    /* The output nests as OSCAL does. */
    assert_non_null(strstr(out.ptr, "\"controls\":[{\"id\":\"c-1.1\""));
    assert_non_null(strstr(out.ptr, "\"groups\":[{\"id\":\"g1.1\",\"title\":\"Nested group\","
                                    "\"controls\":[{\"id\":\"c-3\""));
    rb_buf_release(&out);
    rb_buf_release(&out2);
    rb_arena_release(&a);
}

TU_TEST(test_write_without_copies)
{
    struct oscal_group g[] = {{.id = "g", .title = "G", .parent = -1}};
    struct oscal_control k[] = {
        {.id = "k-1", .title = "K one", .class_ = "x", .group = 0, .parent = -1},
        {.id = "k-1.1", .title = "K one one", .group = 0, .parent = 0},
        {.id = "top", .title = "Top", .group = -1, .parent = -1},
    };
    struct oscal_catalog c = {.uuid = UUID1,
                              .title = "Built",
                              .version = "2",
                              .groups = g,
                              .ngroups = 1,
                              .controls = k,
                              .ncontrols = 3};
    rb_buf out;
    rb_buf_init(&out, 1 << 16);
    assert_int_equal(oscal_catalog_write(&c, &out), 0);
    assert_string_equal(
        rb_buf_cstr(&out),
        "{\"catalog\":{\"uuid\":\"" UUID1 "\",\"metadata\":{\"title\":\"Built\",\"version\":\"2\"},"
        "\"groups\":[{\"id\":\"g\",\"title\":\"G\",\"controls\":[{\"id\":\"k-1\",\"class\":\"x\","
        "\"title\":\"K one\",\"controls\":[{\"id\":\"k-1.1\",\"title\":\"K one one\"}]}]}],"
        "\"controls\":[{\"id\":\"top\",\"title\":\"Top\"}]}}");

    /* A parent after its child is refused, and so is a cap too small. */
    k[1].parent = 2;
    rb_buf_reset(&out);
    assert_int_equal(oscal_catalog_write(&c, &out), RB_EINVAL);
    k[1].parent = 0;
    rb_buf small;
    rb_buf_init(&small, 16);
    assert_int_equal(oscal_catalog_write(&c, &small), RB_ETOOBIG);
    rb_buf_release(&small);
    rb_buf_release(&out);
}

TU_TEST(test_render_prose)
{
    static const char *v_ab[] = {"x", "y"};
    static const char *ch[] = {"p", "q {{ insert: param, lbl }}"};
    static const char *self[] = {"again {{ insert: param, s }}"};
    static const char *v_more[] = {"from more"};
    static const char *v_shadow[] = {"from params"};
    const struct oscal_param params[] = {
        {.id = "a", .values = v_ab, .nvalues = 2},
        {.id = "lbl", .label = "a label"},
        {.id = "bare"},
        {.id = "one", .has_select = true, .select_how = "one", .choices = ch, .nchoices = 2},
        {.id = "many",
         .has_select = true,
         .select_how = "one-or-more",
         .choices = ch,
         .nchoices = 2},
        {.id = "empty", .has_select = true},
        {.id = "s", .has_select = true, .choices = self, .nchoices = 1},
        {.id = "shadow", .values = v_shadow, .nvalues = 1},
    };
    const struct oscal_param more[] = {
        {.id = "m", .values = v_more, .nvalues = 1},
        {.id = "shadow", .label = "never used"},
    };
    static const struct tu_str_row rows[] = {
        {"plain text", "plain text"},
        {"", ""},
        {"{{ insert: param, a }}", "x, y"},
        {"<{{insert:param,a}}>", "<x, y>"},
        {"{{  insert :  param ,  a  }}", "x, y"},
        {"by {{ insert: param, lbl }}.", "by [Assignment: a label]."},
        {"{{ insert: param, bare }}", "[Assignment: bare]"},
        {"{{ insert: param, nope }}", "[Assignment: nope]"},
        {"{{ insert: param, one }}", "[Selection: p; q [Assignment: a label]]"},
        {"{{ insert: param, many }}", "[Selection (one or more): p; q [Assignment: a label]]"},
        {"{{ insert: param, empty }}", "[Selection: ]"},
        {"{{ insert: param, m }}", "from more"},
        {"{{ insert: param, shadow }}", "from params"},
        {"{{ insert: param, a }}{{ insert: param, m }}", "x, yfrom more"},
        /* A choice inserting its own param expands a few levels, then stops. */
        {"{{ insert: param, s }}",
         "[Selection: again [Selection: again [Selection: again [Selection: again "
         "[Assignment: s]]]]]"},
        /* Not inserts of params: copied as they are. */
        {"{{ insert: param }}", "{{ insert: param }}"},
        {"{{ insert: param, a", "{{ insert: param, a"},
        {"{{ insert: other, a }}", "{{ insert: other, a }}"},
        {"{{ include: param, a }}", "{{ include: param, a }}"},
        {"{ insert: param, a }", "{ insert: param, a }"},
        {"{{", "{{"},
        {"}}{{ insert: param, a }}{{", "}}x, y{{"},
    };
    rb_arena a;
    rb_arena_init(&a, 1 << 20);
    tu_check_prose(&a, rows, RB_ARRAY_LEN(rows), params, (int)RB_ARRAY_LEN(params), more,
                   (int)RB_ARRAY_LEN(more));
    assert_string_equal(oscal_render_prose(&a, NULL, NULL, 0, NULL, 0), "");
    assert_string_equal(oscal_render_prose(&a, "{{ insert: param, a }}", NULL, 0, NULL, 0),
                        "[Assignment: a]");
    rb_arena_release(&a);
}

#define META "'last-modified':'2026-01-01T00:00:00Z','version':'1','oscal-version':'1.1.2'"
#define HEAD "{'catalog':{'uuid':'" UUID1 "','metadata':{'title':'T'," META "},"
#define PHEAD                                                                                      \
    "{'profile':{'uuid':'" UUID1 "','metadata':{'title':'P','version':'3','last-modified':"        \
    "'2026-01-01T00:00:00Z','oscal-version':'1.1.2'},"
#define CTL(id) "{'id':'" id "','title':'t'}"

#define X64 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

TU_TEST(test_catalog_errors)
{
    static const struct {
        const char *text; /* with ' for " */
        int rc;
        const char *field;
        const char *msg_has;
    } rows[] = {
        {"not json", RB_EINVAL, "", "malformed JSON"},
        {"{'catalog':{}", RB_EINVAL, "", "malformed JSON"},
        {"{'catalog':'\xff'}", RB_EINVAL, "", "not valid UTF-8"},
        {"{}", RB_EINVAL, "catalog",
         "not an OSCAL catalog: the top-level object needs \"catalog\""},
        {"[]", RB_EINVAL, "catalog", "the top-level object needs \"catalog\""},
        {"{'profile':{}}", RB_EINVAL, "catalog", "the top-level object needs \"catalog\""},
        {"{'catalog':[]}", RB_EINVAL, "catalog", "\"catalog\" must be an object"},
        {"{'catalog':{'metadata':{'title':'T'," META "}}}", RB_EINVAL, "catalog.uuid",
         "missing required \"uuid\""},
        {"{'catalog':{'uuid':7,'metadata':{'title':'T'," META "}}}", RB_EINVAL, "catalog.uuid",
         "\"uuid\" must be a string"},
        {"{'catalog':{'uuid':'abc','metadata':{'title':'T'," META "}}}", RB_EINVAL, "catalog.uuid",
         "\"uuid\" must be a UUID"},
        {"{'catalog':{'uuid':'" UUID1 "','uuid':'" UUID1 "','metadata':{'title':'T'," META "}}}",
         RB_EINVAL, "catalog.uuid", "\"uuid\" appears twice"},
        {"{'catalog':{'uuid':'" UUID1 "'}}", RB_EINVAL, "catalog.metadata",
         "missing required \"metadata\""},
        {"{'catalog':{'uuid':'" UUID1 "','metadata':[]}}", RB_EINVAL, "catalog.metadata",
         "\"metadata\" must be an object"},
        {"{'catalog':{'uuid':'" UUID1 "','metadata':{}}}", RB_EINVAL, "catalog.metadata.title",
         "missing required \"title\""},
        {"{'catalog':{'uuid':'" UUID1 "','metadata':{'title':1}}}", RB_EINVAL,
         "catalog.metadata.title", "\"title\" must be a string"},
        {"{'catalog':{'uuid':'" UUID1 "','metadata':{'title':'T','version':2}}}", RB_EINVAL,
         "catalog.metadata.version", "\"version\" must be a string"},
        {HEAD "'groups':{}}}", RB_EINVAL, "catalog.groups", "\"groups\" must be an array"},
        {HEAD "'groups':[1]}}", RB_EINVAL, "catalog.groups[0]",
         "each item of \"groups\" must be an object"},
        {HEAD "'groups':[{'title':'t'}]}}", RB_EINVAL, "catalog.groups[0].id",
         "missing required \"id\""},
        {HEAD "'groups':[{'id':5,'title':'t'}]}}", RB_EINVAL, "catalog.groups[0].id",
         "\"id\" must be a string"},
        {HEAD "'groups':[{'id':'a b','title':'t'}]}}", RB_EINVAL, "catalog.groups[0].id",
         "\"id\" must be an OSCAL token"},
        /* The field rules (json/field.h) hold for every member. */
        {HEAD "'groups':[{'id':'" X64 "x','title':'t'}]}}", RB_EINVAL, "catalog.groups[0].id",
         "an id may be at most 64 bytes"},
        {HEAD "'controls':[{'id':'c','title':'clear \\u001b[2J'}]}}", RB_EINVAL,
         "catalog.controls[0].title", "U+001B"},
        {"{'catalog':{'uuid':'" UUID1 "','metadata':{'title':'T\xc2\x9b'}}}", RB_EINVAL,
         "catalog.metadata.title", "U+009B"},
        {"{'catalog':{'uuid':'" UUID1 "','metadata':{'title':'T','remarks':'bell \\u0007'}}}",
         RB_EINVAL, "catalog.metadata.remarks", "U+0007"},
        {HEAD "'controls':[{'id':'c','title':'t','props':[{'name':'label','value':'" X64 X64 X64 X64
              "'}]}]}}",
         RB_EINVAL, "catalog.controls[0].props[0].value", "at most 200 bytes"},
        {HEAD
         "'controls':[{'id':'c','title':'t','parts':[{'name':'statement','prose':'a\x7f'}]}]}}",
         RB_EINVAL, "catalog.controls[0].parts[0].prose", "U+007F"},
        {HEAD "'groups':[{'id':'','title':'t'}]}}", RB_EINVAL, "catalog.groups[0].id",
         "\"id\" must be a non-empty token"},
        {HEAD "'groups':[{'id':'g'}]}}", RB_EINVAL, "catalog.groups[0].title",
         "missing required \"title\""},
        {HEAD "'groups':[{'id':'g','title':'t','controls':[" CTL("c-1") ",{'title':'t'}]}]}}",
         RB_EINVAL, "catalog.groups[0].controls[1].id", "missing required \"id\""},
        {HEAD "'groups':[{'id':'g','title':'t','controls':[7]}]}}", RB_EINVAL,
         "catalog.groups[0].controls[0]", "each item of \"controls\" must be an object"},
        {HEAD "'groups':[{'id':'g','title':'t','controls':{}}]}}", RB_EINVAL,
         "catalog.groups[0].controls", "\"controls\" must be an array"},
        {HEAD "'groups':[" CTL("g0") ",{'id':'g','title':'t','controls':[{'id':'c-1','title':'t',"
                                     "'controls':[{'id':'c-1.1'}]}]}]}}",
         RB_EINVAL, "catalog.groups[1].controls[0].controls[0].title",
         "missing required \"title\""},
        {HEAD "'groups':[{'id':'g','title':'t','controls':[" CTL(
             "ac-2") "]},"
                     "{'id':'h','title':'t','controls':[" CTL("ac-2") "]}]}}",
         RB_EINVAL, "catalog.groups[1].controls[0].id", "duplicate control id \"ac-2\""},
        {HEAD "'groups':[" CTL("g") "," CTL("g") "]}}", RB_EINVAL, "catalog.groups[1].id",
         "duplicate group id \"g\""},
        {HEAD "'groups':[{'id':'x','title':'t','controls':[" CTL("x") "]}]}}", RB_EINVAL,
         "catalog.groups[0].controls[0].id", "id \"x\" is already used by a group"},
        {HEAD "'controls':[{'id':'c','title':'t','controls':[" CTL("c") "]}]}}", RB_EINVAL,
         "catalog.controls[0].controls[0].id", "duplicate control id \"c\""},
        {HEAD "'controls':[{'id':'c','title':'t','controls':[],'controls':[]}]}}", RB_EINVAL,
         "catalog.controls[0].controls", "\"controls\" appears twice"},
        {HEAD "'controls':[{'id':'c','title':'t','parts':[{'name':'statement','parts':["
              "{'name':'item'},{'prose':'p'}]}]}]}}",
         RB_EINVAL, "catalog.controls[0].parts[0].parts[1].name", "missing required \"name\""},
        {HEAD "'controls':[{'id':'c','title':'t','parts':[{'name':'statement','prose':[]}]}]}}",
         RB_EINVAL, "catalog.controls[0].parts[0].prose", "\"prose\" must be a string"},
        {HEAD "'controls':[{'id':'c','title':'t','params':[{'id':'p','select':{'how-many':'two'}}]"
              "}]}}",
         RB_EINVAL, "catalog.controls[0].params[0].select.how-many",
         "\"how-many\" must be \"one\" or \"one-or-more\""},
        {HEAD "'controls':[{'id':'c','title':'t','params':[{'id':'p','values':['a',2]}]}]}}",
         RB_EINVAL, "catalog.controls[0].params[0].values[1]",
         "each item of \"values\" must be a string"},
        {HEAD "'controls':[{'id':'c','title':'t','params':[{'label':'l'}]}]}}", RB_EINVAL,
         "catalog.controls[0].params[0].id", "missing required \"id\""},
        {HEAD "'controls':[{'id':'c','title':'t','props':[{'name':'label'}]}]}}", RB_EINVAL,
         "catalog.controls[0].props[0].value", "missing required \"value\""},
        {HEAD "'controls':[{'id':'c','title':'t','links':[{'rel':'x'}]}]}}", RB_EINVAL,
         "catalog.controls[0].links[0].href", "missing required \"href\""},
        {HEAD "'params':[{'id':'p','select':{'choice':'a'}}]}}", RB_EINVAL,
         "catalog.params[0].select.choice", "\"choice\" must be an array"},
        {HEAD "'back-matter':[]}}", RB_EINVAL, "catalog.back-matter",
         "\"back-matter\" must be an object"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_arena a;
        rb_arena_init(&a, 1 << 20);
        struct oscal_catalog c;
        memset(&c, 0x5a, sizeof(c));
        rb_errinfo ei;
        int rc = parse_q(rows[i].text, &a, &c, &ei);
        tu_check_refused("catalog", i, rc, &ei, rows[i].rc, rows[i].field, rows[i].msg_has);
        /* *out is only written on success. */
        ROW_CHECK(c.ncontrols == 0x5a5a5a5a, "row %zu: out was written", i);
        rb_arena_release(&a);
    }
}

TU_TEST(test_catalog_limits)
{
    rb_errinfo ei;
    struct oscal_catalog c;
    /* Nesting past OSCAL_MAX_DEPTH is refused before cJSON sees it. */
    char deep[4 * OSCAL_MAX_DEPTH + 64];
    size_t n = 0;
    n += (size_t)snprintf(deep, sizeof(deep), "{\"catalog\":");
    for (int i = 0; i < OSCAL_MAX_DEPTH; i++)
        deep[n++] = '[';
    for (int i = 0; i < OSCAL_MAX_DEPTH; i++)
        deep[n++] = ']';
    deep[n++] = '}';
    deep[n] = '\0';
    rb_arena a;
    rb_arena_init(&a, 1 << 20);
    assert_int_equal(oscal_catalog_parse(deep, n, &a, &c, &ei), RB_EINVAL);
    assert_string_equal(ei.field, "");
    assert_non_null(strstr(ei.msg, "nests deeper than 64"));
    /* Too big for the arena: RB_ETOOBIG, not a crash. */
    rb_arena_release(&a);
    rb_arena_init(&a, 4096);
    const char *s = q(tiny);
    assert_int_equal(oscal_catalog_parse(s, strlen(s), &a, &c, &ei), RB_ETOOBIG);
    assert_non_null(strstr(ei.msg, "4096 bytes"));
    rb_arena_release(&a);
    /* Too big a document is refused before parsing. */
    rb_arena_init(&a, 1 << 20);
    assert_int_equal(oscal_catalog_parse(s, OSCAL_MAX_BYTES + 1, &a, &c, &ei), RB_ETOOBIG);
    rb_arena_release(&a);
}

/* What OSCAL 1.1.2's schema requires, refused naming the path (decision 73): members the model
 * does not have (a control's "groups", unknown members), required members, uuids of version 4
 * or 5, tokens, date-times with a time zone, URI references, namespaces that are URIs. And what
 * it allows passes: non-ASCII letters in tokens, a fraction and an offset in a date-time. */
TU_TEST(test_schema_refusals)
{
    static const struct {
        const char *text;
        const char *field; /* NULL: valid */
        const char *msg_has;
    } rows[] = {
        {HEAD "'controls':[{'id':'c','title':'t','groups':[" CTL("g") "]}]}}",
         "catalog.controls[0].groups", "not a member"},
        {HEAD "'groups':[{'id':'g','title':'t','x-kept':{'groups':1},'controls':[" CTL("c") "]}]}}",
         "catalog.groups[0].x-kept", "not a member"},
        {"{'catalog':{'uuid':'" UUID1 "','metadata':{'title':'T','version':'1','oscal-version':"
         "'1.1.2'}}}",
         "catalog.metadata.last-modified", "missing required"},
        {"{'catalog':{'uuid':'" UUID1 "','metadata':{'title':'T','version':'1','last-modified':"
         "'2026-01-01T00:00:00Z'}}}",
         "catalog.metadata.oscal-version", "missing required"},
        {"{'catalog':{'uuid':'" UUID1 "','metadata':{'title':'T'," META ",'published':"
         "'2026-01-01'}}}",
         "catalog.metadata.published", "date-time"},
        {"{'catalog':{'uuid':'" UUID1 "','metadata':{'title':'T','version':'1','oscal-version':"
         "'1.1.2','last-modified':'2026-01-01T00:00:00'}}}",
         "catalog.metadata.last-modified", "time zone"},
        {"{'catalog':{'uuid':'" UUID1 "','metadata':{'title':'T','version':'1','oscal-version':"
         "'1.1.2','last-modified':'2026-01-01T09:30:00.25+05:00'}}}",
         NULL, NULL},
        {"{'catalog':{'uuid':'a8098c1a-f86e-11da-bd1a-00112444be1e','metadata':{'title':'T'," META
         "}}}",
         "catalog.uuid", "version 4 or 5"},
        {HEAD "'controls':[{'id':'c','title':'t','links':[{'href':'my file.pdf'}]}]}}",
         "catalog.controls[0].links[0].href", "URI reference"},
        {HEAD "'controls':[{'id':'c','title':'t','links':[{'href':'my%20file.pdf'}]}]}}", NULL,
         NULL},
        {HEAD "'controls':[{'id':'c','title':'t','props':[{'name':'x','value':'v','ns':'not a "
              "uri'}]}]}}",
         "catalog.controls[0].props[0].ns", "not a URI"},
        {HEAD "'controls':[{'id':'c','title':'t','props':[{'name':'x','value':'v','uuid':"
              "'11111111-2222-1333-8444-555555555555'}]}]}}",
         "catalog.controls[0].props[0].uuid", "version 4 or 5"},
        {HEAD "'controls':[{'id':'c','title':'t','parts':[{'name':'2nd','prose':'p'}]}]}}",
         "catalog.controls[0].parts[0].name", "must be an OSCAL token"},
        {HEAD "'controls':[{'id':'c','title':'t','parts':[{'name':'\xc3\xa9tape','prose':'p'}]}]}}",
         NULL, NULL},
        {HEAD "'controls':[{'id':'c','title':'t','props':[{'name':'x'}]}]}}",
         "catalog.controls[0].props[0].value", "missing required"},
        {"{'catalog':{'uuid':'" UUID1 "','metadata':{'title':'T'," META
         ",'parties':[{'uuid':'" UUID1
         "','type':'organization','name':'Joint Task Force, Transformation'}]}}}",
         NULL, NULL},
        {PHEAD "'imports':[{'href':'#" UUID1 "','include-all':{},'x':1}]}}", "profile.imports[0].x",
         "not a member"},
        {PHEAD "'imports':[{'href':'#" UUID1 "','include-controls':[{'with-ids':['1a']}]}]}}",
         "profile.imports[0].include-controls[0].with-ids[0]", "must be an OSCAL token"},
        {"{'profile':{'uuid':'" UUID1 "','metadata':{'title':'P','version':'3','oscal-version':"
         "'1.1.2'},'imports':[{'href':'#" UUID1 "','include-all':{}}]}}",
         "profile.metadata.last-modified", "missing required"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_arena a;
        rb_arena_init(&a, 1 << 20);
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc;
        const char *t = q(rows[i].text);
        if (strncmp(rows[i].text, "{'profile'", 10) == 0) {
            struct oscal_profile p;
            rc = oscal_profile_parse(t, strlen(t), &a, &p, &ei);
        } else {
            struct oscal_catalog c;
            rc = oscal_catalog_parse(t, strlen(t), &a, &c, &ei);
        }
        if (!rows[i].field)
            ROW_CHECK(rc == 0, "row %zu: refused: %s: %s", i, ei.field, ei.msg);
        else
            ROW_CHECK(rc == RB_EINVAL && strcmp(ei.field, rows[i].field) == 0 &&
                          strstr(ei.msg, rows[i].msg_has),
                      "row %zu: %d %s: %s", i, rc, ei.field, ei.msg);
        rb_arena_release(&a);
    }
}

/* Every allocation of parse and write may fail: the error is reported and nothing leaks (the
 * sanitizer build checks the leaks). */
TU_TEST(test_alloc_failure)
{
    char *doc = rb_strdup(q(tiny));
    bool parsed = false, written = false;
    for (long k = 0; k < 5000 && !(parsed && written); k++) {
        rb_arena a;
        rb_arena_init(&a, ARENA_CAP);
        struct oscal_catalog c;
        rb_errinfo ei;
        rb_buf out;
        rb_buf_init(&out, 1 << 20);
        rb_mem_fail_after(parsed ? -1 : k);
        int rc = oscal_catalog_parse(doc, strlen(doc), &a, &c, &ei);
        rb_mem_fail_after(-1);
        if (rc == 0 && !parsed) {
            parsed = true;
            k = -1; /* now fail the writer's allocations one by one */
        } else if (rc == 0) {
            rb_mem_fail_after(k);
            int wrc = oscal_catalog_write(&c, &out);
            rb_mem_fail_after(-1);
            /* cJSON cannot tell a failed allocation from bad text, so EINVAL may appear. */
            ROW_CHECK(wrc == 0 || wrc == RB_ENOMEM || wrc == RB_EINVAL || wrc == RB_ETOOBIG,
                      "write fail after %ld: rc %d", k, wrc);
            if (wrc == 0) {
                written = true;
                assert_true(strstr(out.ptr, "\"c-3\"") != NULL);
            }
        } else {
            ROW_CHECK(rc == RB_ENOMEM || (rc == RB_EINVAL && ei.field[0] == '\0'),
                      "parse fail after %ld: rc %d %s: %s", k, rc, ei.field, ei.msg);
        }
        rb_buf_release(&out);
        rb_arena_release(&a);
    }
    assert_true(parsed);
    assert_true(written);
    rb_free(doc);
}

/* ---- profiles ---- */

static int parse_profile_q(const char *tmpl, rb_arena *a, struct oscal_profile *p, rb_errinfo *ei)
{
    const char *s = q(tmpl);
    return oscal_profile_parse(s, strlen(s), a, p, ei);
}

TU_TEST(test_profile_select)
{
    rb_arena a;
    struct oscal_catalog c;
    parse_tiny(&a, &c);
    rb_errinfo ei;
    static const struct {
        const char *imports;  /* the imports array, with ' for " */
        int count;            /* or a negative RB_E* */
        const char *selected; /* ids of c-1, c-1.1, c-2, c-3 as "1010" */
        const char *warn;     /* a substring of ei.msg with ei.code 0, or NULL for none */
    } rows[] = {
        {"[{'href':'#x','include-all':{}}]", 4, "1111", NULL},
        {"[{'href':'#x','include-controls':[{'with-ids':['c-1','c-3']}]}]", 2, "1001", NULL},
        {"[{'href':'#x','include-controls':[{'with-child-controls':'yes','with-ids':['c-1']},"
         "{'with-ids':['c-2']}]}]",
         3, "1110", NULL},
        {"[{'href':'#x','include-controls':[{'with-child-controls':'no','with-ids':['c-1']}]}]", 1,
         "1000", NULL},
        /* An enhancement brings its parent; excluding the parent still wins. */
        {"[{'href':'#x','include-controls':[{'with-ids':['c-1.1']}]}]", 2, "1100", NULL},
        {"[{'href':'#x','include-controls':[{'with-ids':['c-1.1']}],"
         "'exclude-controls':[{'with-ids':['c-1']}]}]",
         1, "0100", NULL},
        {"[{'href':'#x','include-controls':[{'with-child-controls':'yes','with-ids':['c-1']}],"
         "'exclude-controls':[{'with-ids':['c-1.1']}]}]",
         1, "1000", NULL},
        {"[{'href':'#x','include-all':{},'exclude-controls':[{'with-child-controls':'yes',"
         "'with-ids':['c-1']}]}]",
         2, "0011", NULL},
        {"[{'href':'#x','include-controls':[{'with-ids':['c-2','zz','yy']}]}]", 1, "0010",
         "2 listed id(s) are not controls of the catalog (first: \"zz\")"},
        {"[{'href':'#x','include-all':{},'exclude-controls':[{'with-ids':['qq']}]}]", 4, "1111",
         "(first: \"qq\")"},
        {"[{'href':'#x','include-controls':[{'with-ids':['zz']}]}]", RB_ENOTFOUND, "0000",
         "none of the 1 listed ids is a control of the catalog (first: \"zz\")"},
        {"[{'href':'#x','include-controls':[{}]}]", 0, "0000", NULL},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        char tmpl[1024];
        snprintf(tmpl, sizeof(tmpl), PHEAD "'imports':%s}}", rows[i].imports);
        struct oscal_profile p;
        int rc = parse_profile_q(tmpl, &a, &p, &ei);
        ROW_CHECK(rc == 0, "row %zu: parse %d %s: %s", i, rc, ei.field, ei.msg);
        bool sel[4];
        memset(sel, 1, sizeof(sel));
        int n = oscal_profile_select(&p.imports[0], &c, sel, &ei);
        ROW_CHECK(n == rows[i].count, "row %zu: selected %d want %d (%s)", i, n, rows[i].count,
                  ei.msg);
        char got[5];
        for (int k = 0; k < 4; k++)
            got[k] = sel[k] ? '1' : '0';
        got[4] = '\0';
        ROW_CHECK(strcmp(got, rows[i].selected) == 0, "row %zu: selection %s want %s", i, got,
                  rows[i].selected);
        if (rows[i].warn) {
            ROW_CHECK(strstr(ei.msg, rows[i].warn) && strcmp(ei.field, "with-ids") == 0,
                      "row %zu: msg \"%s\" field \"%s\"", i, ei.msg, ei.field);
            ROW_CHECK(ei.code == (n < 0 ? n : 0), "row %zu: code %d", i, ei.code);
        } else {
            ROW_CHECK(ei.code == 0 && ei.msg[0] == '\0', "row %zu: unexpected \"%s\"", i, ei.msg);
        }
    }
    rb_arena_release(&a);
}

TU_TEST(test_profile_parse)
{
    rb_arena a;
    rb_arena_init(&a, 1 << 20);
    struct oscal_profile p;
    rb_errinfo ei;
    int rc = parse_profile_q(
        PHEAD "'imports':[{'href':'#cat','include-controls':[{'with-child-controls':'yes',"
              "'with-ids':['a-1','a-2']},{'with-ids':['b-1']}],"
              "'exclude-controls':[{'with-ids':['a-2.1']}]},"
              "{'href':'other.json','include-all':{}}],'merge':{'as-is':true},"
              "'modify':{'set-parameters':[{'param-id':'a-1_prm_1','values':['v']}]}}}",
        &a, &p, &ei);
    ROW_CHECK(rc == 0, "parse: %d %s: %s", rc, ei.field, ei.msg);
    assert_string_equal(p.uuid, UUID1);
    assert_string_equal(p.title, "P");
    assert_string_equal(p.version, "3");
    assert_int_equal(p.nimports, 2);
    const struct oscal_import *im = &p.imports[0];
    assert_string_equal(im->href, "#cat");
    assert_false(im->include_all);
    assert_int_equal(im->ninclude, 3);
    assert_string_equal(im->include_ids[0], "a-1");
    assert_string_equal(im->include_ids[2], "b-1");
    assert_true(im->include_children[0]);
    assert_true(im->include_children[1]);
    assert_false(im->include_children[2]);
    assert_int_equal(im->nexclude, 1);
    assert_string_equal(im->exclude_ids[0], "a-2.1");
    assert_false(im->exclude_children[0]);
    assert_string_equal(p.imports[1].href, "other.json");
    assert_true(p.imports[1].include_all);
    assert_int_equal(p.imports[1].ninclude, 0);
    assert_non_null(strstr(p.json, "\"merge\":{\"as-is\":true}"));
    assert_non_null(strstr(p.json, "\"set-parameters\""));
    rb_arena_release(&a);
}

TU_TEST(test_profile_errors)
{
    static const struct {
        const char *text;
        const char *field;
        const char *msg_has;
    } rows[] = {
        {"[1", "", "malformed JSON"},
        {"{'catalog':{}}", "profile",
         "not an OSCAL profile: the top-level object needs \"profile\""},
        {"{'profile':{'metadata':{'title':'P'},'imports':[]}}", "profile.uuid",
         "missing required \"uuid\""},
        {"{'profile':{'uuid':'" UUID1 "','metadata':{},'imports':[]}}", "profile.metadata.title",
         "missing required \"title\""},
        {PHEAD "'x':1}}", "profile.imports", "missing required \"imports\""},
        {PHEAD "'imports':[]}}", "profile.imports", "at least one import"},
        {PHEAD "'imports':{}}}", "profile.imports", "\"imports\" must be an array"},
        {PHEAD "'imports':[{'include-all':{}}]}}", "profile.imports[0].href",
         "missing required \"href\""},
        {PHEAD "'imports':[{'href':'','include-all':{}}]}}", "profile.imports[0].href",
         "must not be empty"},
        {PHEAD "'imports':[{'href':'#a'}]}}", "profile.imports[0]",
         "an import needs \"include-all\" or \"include-controls\""},
        {PHEAD "'imports':[{'href':'#a','include-all':{},'include-controls':[]}]}}",
         "profile.imports[0].include-controls", "not both"},
        {PHEAD "'imports':[{'href':'#a','include-all':true}]}}", "profile.imports[0].include-all",
         "\"include-all\" must be an object"},
        {PHEAD "'imports':[{'href':'#a','include-controls':[{'matching':[{'pattern':'ac-*'}]}]}]}}",
         "profile.imports[0].include-controls[0].matching",
         "\"matching\" patterns are not supported"},
        {PHEAD "'imports':[{'href':'#a','include-all':{},'exclude-controls':[{'matching':[]}]}]}}",
         "profile.imports[0].exclude-controls[0].matching", "not supported"},
        {PHEAD "'imports':[{'href':'#a','include-controls':[{'with-child-controls':'maybe'}]}]}}",
         "profile.imports[0].include-controls[0].with-child-controls", "must be \"yes\" or \"no\""},
        {PHEAD "'imports':[{'href':'#a','include-controls':[{'with-ids':['a',1]}]}]}}",
         "profile.imports[0].include-controls[0].with-ids[1]",
         "each item of \"with-ids\" must be a string"},
        {PHEAD "'imports':[{'href':'#a','include-controls':[{'with-ids':'a'}]}]}}",
         "profile.imports[0].include-controls[0].with-ids", "\"with-ids\" must be an array"},
        {PHEAD "'imports':[{'href':'#a','include-controls':[3]}]}}",
         "profile.imports[0].include-controls[0]",
         "each item of \"include-controls\" must be an object"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_arena a;
        rb_arena_init(&a, 1 << 20);
        struct oscal_profile p;
        rb_errinfo ei;
        int rc = parse_profile_q(rows[i].text, &a, &p, &ei);
        tu_check_refused("profile", i, rc, &ei, RB_EINVAL, rows[i].field, rows[i].msg_has);
        rb_arena_release(&a);
    }
}

/* ---- the real NIST files ---- */

#define NEED_DATA(var, name, len)                                                                  \
    char *var = tu_read_data("oscal/" name, &len);                                                 \
    if (!var) {                                                                                    \
        print_message("skipping: %s not found under ../shared/data/oscal\n", name);                \
        skip();                                                                                    \
    }

#define MODERATE "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog-min.json"
#define LOW_PROFILE "NIST_SP-800-53_rev5_LOW-baseline_profile.json"

/* Counts found by walking the raw document with cJSON, independently of the codec. */
struct walk {
    int groups, controls, enhancements, params;
    int next;   /* controls visited so far */
    char **ids; /* control ids in document order (controls before subgroups) */
    char **titles;
};

static void walk_controls(struct walk *w, const cJSON *arr, bool enh)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, arr)
    {
        w->controls++;
        if (enh)
            w->enhancements++;
        w->params += cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(c, "params"));
        if (w->ids) {
            w->ids[w->next] = cJSON_GetObjectItemCaseSensitive(c, "id")->valuestring;
            w->titles[w->next] = cJSON_GetObjectItemCaseSensitive(c, "title")->valuestring;
        }
        w->next++;
        walk_controls(w, cJSON_GetObjectItemCaseSensitive(c, "controls"), true);
    }
}

static void walk_groups(struct walk *w, const cJSON *arr)
{
    const cJSON *g;
    cJSON_ArrayForEach(g, arr)
    {
        w->groups++;
        walk_controls(w, cJSON_GetObjectItemCaseSensitive(g, "controls"), false);
        walk_groups(w, cJSON_GetObjectItemCaseSensitive(g, "groups"));
    }
}

/* Parses with the codec and checks its counts and order against the cJSON walk. */
static void check_against_walk(const char *text, size_t len, rb_arena *a, struct oscal_catalog *c,
                               struct walk *w)
{
    rb_errinfo ei;
    int rc = oscal_catalog_parse(text, len, a, c, &ei);
    ROW_CHECK(rc == 0, "parse: %d %s: %s", rc, ei.field, ei.msg);

    cJSON *root = cJSON_ParseWithLength(text, len);
    assert_non_null(root);
    const cJSON *cat = cJSON_GetObjectItemCaseSensitive(root, "catalog");
    memset(w, 0, sizeof(*w));
    walk_controls(w, cJSON_GetObjectItemCaseSensitive(cat, "controls"), false);
    walk_groups(w, cJSON_GetObjectItemCaseSensitive(cat, "groups"));
    w->ids = calloc((size_t)w->controls + 1, sizeof(char *));
    w->titles = calloc((size_t)w->controls + 1, sizeof(char *));
    int n = w->controls;
    memset(w, 0, offsetof(struct walk, ids));
    walk_controls(w, cJSON_GetObjectItemCaseSensitive(cat, "controls"), false);
    walk_groups(w, cJSON_GetObjectItemCaseSensitive(cat, "groups"));
    assert_int_equal(w->controls, n);

    assert_int_equal(c->ngroups, w->groups);
    assert_int_equal(c->ncontrols, w->controls);
    assert_int_equal(c->nenhancements, w->enhancements);
    int params = 0;
    for (int i = 0; i < c->ncontrols; i++) {
        params += c->controls[i].nparams;
        ROW_CHECK(strcmp(c->controls[i].id, w->ids[i]) == 0, "control %d: %s want %s", i,
                  c->controls[i].id, w->ids[i]);
        assert_string_equal(c->controls[i].title, w->titles[i]);
        /* Every insert resolved. */
        const char *texts[] = {c->controls[i].statement, c->controls[i].guidance,
                               c->controls[i].objectives};
        for (size_t t = 0; t < RB_ARRAY_LEN(texts); t++)
            ROW_CHECK(!texts[t] || !strstr(texts[t], "{{"), "control %s: text %zu has {{",
                      c->controls[i].id, t);
    }
    assert_int_equal(params, w->params);
    free(w->ids);
    free(w->titles);
    w->ids = w->titles = NULL;
    cJSON_Delete(root);
}

/* Writes c, parses the output and checks every group and control came back the same. */
static void check_round_trip(const struct oscal_catalog *c, rb_arena *a)
{
    rb_buf out, out2;
    rb_buf_init(&out, OSCAL_MAX_BYTES);
    rb_buf_init(&out2, OSCAL_MAX_BYTES);
    assert_int_equal(oscal_catalog_write(c, &out), 0);
    struct oscal_catalog r;
    rb_errinfo ei;
    int rc = oscal_catalog_parse(out.ptr, out.len, a, &r, &ei);
    ROW_CHECK(rc == 0, "re-parse: %d %s: %s", rc, ei.field, ei.msg);
    assert_string_equal(r.uuid, c->uuid);
    assert_string_equal(r.title, c->title);
    assert_string_equal(r.metadata_json, c->metadata_json);
    assert_int_equal(r.ngroups, c->ngroups);
    for (int i = 0; i < c->ngroups; i++) {
        assert_string_equal(r.groups[i].id, c->groups[i].id);
        assert_string_equal(r.groups[i].title, c->groups[i].title);
        assert_int_equal(r.groups[i].parent, c->groups[i].parent);
    }
    assert_int_equal(r.ncontrols, c->ncontrols);
    assert_int_equal(r.nenhancements, c->nenhancements);
    for (int i = 0; i < c->ncontrols; i++) {
        const struct oscal_control *x = &c->controls[i], *y = &r.controls[i];
        assert_string_equal(y->id, x->id);
        assert_string_equal(y->title, x->title);
        assert_int_equal(y->group, x->group);
        assert_int_equal(y->parent, x->parent);
        const char *tx[] = {x->statement, x->guidance, x->objectives, x->json};
        const char *ty[] = {y->statement, y->guidance, y->objectives, y->json};
        for (int t = 0; t < 4; t++)
            ROW_CHECK((!tx[t] && !ty[t]) || (tx[t] && ty[t] && strcmp(tx[t], ty[t]) == 0),
                      "control %s: text %d differs after the round trip", x->id, t);
        assert_int_equal(y->nparams, x->nparams);
        for (int p = 0; p < x->nparams; p++)
            assert_string_equal(y->params[p].id, x->params[p].id);
    }
    assert_int_equal(oscal_catalog_write(&r, &out2), 0);
    assert_true(out.len == out2.len && memcmp(out.ptr, out2.ptr, out.len) == 0);
    rb_buf_release(&out);
    rb_buf_release(&out2);
}

static const char ac1_statement[] =
    "a. Develop, document, and disseminate to [Assignment: organization-defined personnel or "
    "roles]:\n"
    "  1. [Selection (one or more): organization-level; mission/business process-level; "
    "system-level] access control policy that:\n"
    "    (a) Addresses purpose, scope, roles, responsibilities, management commitment, "
    "coordination among organizational entities, and compliance; and\n"
    "    (b) Is consistent with applicable laws, executive orders, directives, regulations, "
    "policies, standards, and guidelines; and\n"
    "  2. Procedures to facilitate the implementation of the access control policy and the "
    "associated access controls;\n"
    "b. Designate an [Assignment: official] to manage the development, documentation, and "
    "dissemination of the access control policy and procedures; and\n"
    "c. Review and update the current access control:\n"
    "  1. Policy [Assignment: frequency] and following [Assignment: events] ; and\n"
    "  2. Procedures [Assignment: frequency] and following [Assignment: events].";

TU_TEST(test_real_moderate)
{
    size_t len = 0;
    NEED_DATA(text, MODERATE, len);
    rb_arena a;
    rb_arena_init(&a, ARENA_CAP);
    struct oscal_catalog c;
    struct walk w;
    check_against_walk(text, len, &a, &c, &w);
    /* SP 800-53 rev5.1.1+u4 MODERATE (resolved): 18 groups, not rev5's 20 families (PM and PT
     * have no controls in the moderate baseline), 287 controls of which 110 enhancements (177
     * base controls), 643 params. */
    assert_string_equal(c.version, "5.1.1+u4");
    assert_int_equal(c.ngroups, 18);
    assert_int_equal(c.ncontrols, 287);
    assert_int_equal(c.nenhancements, 110);
    assert_int_equal(w.params, 643);
    assert_string_equal(c.groups[0].id, "ac");
    assert_string_equal(c.groups[17].id, "sr");
    assert_non_null(c.back_matter_json);
    assert_null(c.params_json);

    int ac1 = find_control(&c, "ac-1");
    assert_true(ac1 >= 0);
    assert_string_equal(c.controls[ac1].label, "AC-1");
    assert_string_equal(c.controls[ac1].statement, ac1_statement);
    assert_non_null(strstr(c.controls[ac1].objectives,
                           "\n  AC-01a.[02] the access control policy is disseminated to "
                           "[Assignment: personnel or roles];\n"));
    assert_true(strncmp(c.controls[ac1].guidance, "Access control policy and procedures", 36) == 0);
    /* An enhancement: under its parent, in its parent's group. */
    int e = find_control(&c, "ac-2.1");
    assert_true(e > 0);
    assert_int_equal(c.controls[e].parent, find_control(&c, "ac-2"));
    assert_int_equal(c.controls[e].group, 0);

    check_round_trip(&c, &a);
    rb_arena_release(&a);
    free(text);
}

TU_TEST(test_real_basic)
{
    size_t len = 0;
    NEED_DATA(text, "basic-catalog.json", len);
    rb_arena a;
    rb_arena_init(&a, ARENA_CAP);
    struct oscal_catalog c;
    struct walk w;
    check_against_walk(text, len, &a, &c, &w);
    /* basic-catalog.json: 4 groups (s1, s2, each holding one subgroup), 4 controls, none an
     * enhancement. */
    assert_int_equal(c.ngroups, 4);
    assert_int_equal(c.ncontrols, 4);
    assert_int_equal(c.nenhancements, 0);
    assert_string_equal(c.groups[1].id, "s1.1");
    assert_int_equal(c.groups[1].parent, 0);
    assert_int_equal(c.groups[1].depth, 1);
    assert_int_equal(c.controls[0].group, 1);
    /* A selection whose choice inserts another param. */
    assert_string_equal(c.controls[0].statement,
                        "All information security responsibilities should be defined and "
                        "allocated.\n\nA value has been assigned to [Selection (one or more): "
                        "initiating a device lock after [Assignment: a duration] of inactivity; "
                        "requiring the user to initiate a device lock before leaving the system "
                        "unattended].\n\nA cross link has been established with a choppy syntax: "
                        "[(choppy)](#s1.2).");
    check_round_trip(&c, &a);
    rb_arena_release(&a);
    free(text);
}

TU_TEST(test_real_low_profile)
{
    size_t clen = 0, plen = 0;
    NEED_DATA(ctext, MODERATE, clen);
    char *ptext = tu_read_data("oscal/" LOW_PROFILE, &plen);
    if (!ptext) {
        free(ctext);
        print_message("skipping: %s not found under ../shared/data/oscal\n", LOW_PROFILE);
        skip();
    }
    rb_arena a;
    rb_arena_init(&a, ARENA_CAP);
    struct oscal_catalog c;
    struct oscal_profile p;
    rb_errinfo ei;
    assert_int_equal(oscal_catalog_parse(ctext, clen, &a, &c, &ei), 0);
    int rc = oscal_profile_parse(ptext, plen, &a, &p, &ei);
    ROW_CHECK(rc == 0, "profile: %d %s: %s", rc, ei.field, ei.msg);
    assert_string_equal(p.title, "NIST Special Publication 800-53 Revision 5.1.1 LOW IMPACT "
                                 "BASELINE");
    assert_string_equal(p.version, "5.1.1+u4");
    assert_int_equal(p.nimports, 1);
    const struct oscal_import *im = &p.imports[0];
    /* The import points at a back-matter resource (the full rev5 catalog); we bind it to the
     * moderate catalog, which contains every LOW control. */
    assert_string_equal(im->href, "#84cbf061-eb87-4ec1-8112-1f529232e907");
    assert_false(im->include_all);
    /* The LOW baseline lists its 149 controls explicitly, enhancements included (at-2.2,
     * ia-2.1, ...), without with-child-controls. */
    assert_int_equal(im->ninclude, 149);
    assert_int_equal(im->nexclude, 0);
    bool *sel = calloc((size_t)c.ncontrols, sizeof(bool));
    assert_non_null(sel);
    assert_int_equal(oscal_profile_select(im, &c, sel, &ei), 149);
    assert_int_equal(ei.code, 0);
    assert_string_equal(ei.msg, "");
    int enh = 0;
    for (int i = 0; i < c.ncontrols; i++) {
        if (!sel[i])
            continue;
        enh += c.controls[i].parent >= 0;
        bool listed = false;
        for (int k = 0; k < im->ninclude && !listed; k++)
            listed = strcmp(im->include_ids[k], c.controls[i].id) == 0;
        ROW_CHECK(listed, "%s selected but not listed", c.controls[i].id);
    }
    /* 131 base controls and 18 enhancements in LOW. */
    assert_int_equal(enh, 18);
    free(sel);
    rb_arena_release(&a);
    free(ctext);
    free(ptext);
}

TU_MAIN({
    cmocka_unit_test(test_tiny_catalog),
    cmocka_unit_test(test_tiny_round_trip),
    cmocka_unit_test(test_write_without_copies),
    cmocka_unit_test(test_render_prose),
    cmocka_unit_test(test_catalog_errors),
    cmocka_unit_test(test_catalog_limits),
    cmocka_unit_test(test_alloc_failure),
    cmocka_unit_test(test_profile_parse),
    cmocka_unit_test(test_profile_select),
    cmocka_unit_test(test_profile_errors),
    cmocka_unit_test(test_real_moderate),
    cmocka_unit_test(test_real_basic),
    cmocka_unit_test(test_real_low_profile),
    cmocka_unit_test(test_schema_refusals),
})
