/*
 * test_rsit.c - formats/rsit: rabta's own copy of the ENISA taxonomy, and that it is the
 * taxonomy (compared with ../shared/data/taxonomy/rsit-machinetag.json when that file exists).
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/mem.h"
#include "formats/rsit.h"
#include "json/json.h"

#include "test_util.h"

TU_TEST(test_lookups)
{
    assert_int_equal(rsit_nclasses, 11);
    int types = 0;
    for (int i = 0; i < rsit_nclasses; i++) {
        const struct rsit_class *c = &rsit_classes[i];
        ROW_CHECK(c->id[0] && c->label[0] && c->ntypes > 0, "class %d", i);
        for (int k = 0; k < c->ntypes; k++)
            ROW_CHECK(c->types[k].id[0] && c->types[k].label[0] && c->types[k].description[0],
                      "type %s/%d has an id, a label and a description", c->id, k);
        types += c->ntypes;
    }
    assert_int_equal(types, 39);
    const struct rsit_class *mc = rsit_class_find("malicious-code");
    assert_non_null(mc);
    assert_string_equal(mc->label, "Malicious Code");
    const struct rsit_type *c2 = rsit_type_find(mc, "c2-server");
    assert_non_null(c2);
    assert_string_equal(c2->label, "C2 Server");
    assert_null(rsit_type_find(mc, "phishing")); /* a type of another class */
    assert_non_null(rsit_type_find(rsit_class_find("fraud"), "phishing"));
    assert_null(rsit_class_find("Malicious-Code"));
    assert_null(rsit_class_find(NULL));
    assert_null(rsit_type_find(NULL, "c2-server"));
}

TU_TEST(test_same_as_the_published_taxonomy)
{
    const char *path = RABTA_SOURCE_DIR "/../shared/data/taxonomy/rsit-machinetag.json";
    rb_buf b;
    rb_buf_init(&b, 1 << 22);
    int rc = rb_buf_add_file(&b, path);
    if (rc == RB_EIO) {
        print_message("skipping: %s not found\n", path);
        skip();
    }
    assert_int_equal(rc, 0);
    cJSON *doc = NULL;
    rb_errinfo ei;
    assert_int_equal(rj_parse(b.ptr, b.len, 16, &doc, &ei), RJ_OK);
    const cJSON *preds = cJSON_GetObjectItemCaseSensitive(doc, "predicates");
    const cJSON *values = cJSON_GetObjectItemCaseSensitive(doc, "values");
    assert_int_equal(cJSON_GetArraySize(preds), rsit_nclasses);
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(doc, "version")->valueint > 0 ? rsit_version : "",
        rsit_version);
    int i = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, preds)
    {
        const struct rsit_class *c = &rsit_classes[i++];
        ROW_CHECK(strcmp(cJSON_GetObjectItemCaseSensitive(p, "value")->valuestring, c->id) == 0,
                  "class %d is %s", i, c->id);
        ROW_CHECK(strcmp(cJSON_GetObjectItemCaseSensitive(p, "expanded")->valuestring, c->label) ==
                      0,
                  "class %s label", c->id);
        const cJSON *v;
        bool found = false;
        cJSON_ArrayForEach(v, values)
        {
            if (strcmp(cJSON_GetObjectItemCaseSensitive(v, "predicate")->valuestring, c->id) != 0)
                continue;
            found = true;
            const cJSON *entries = cJSON_GetObjectItemCaseSensitive(v, "entry");
            ROW_CHECK(cJSON_GetArraySize(entries) == c->ntypes, "class %s types", c->id);
            int k = 0;
            const cJSON *e;
            cJSON_ArrayForEach(e, entries)
            {
                const struct rsit_type *t = &c->types[k++];
                ROW_CHECK(
                    strcmp(cJSON_GetObjectItemCaseSensitive(e, "value")->valuestring, t->id) == 0 &&
                        strcmp(cJSON_GetObjectItemCaseSensitive(e, "description")->valuestring,
                               t->description) == 0,
                    "type %s/%s", c->id, t->id);
            }
        }
        ROW_CHECK(found, "class %s has its types in the file", c->id);
    }
    cJSON_Delete(doc);
    rb_buf_release(&b);
}

TU_MAIN({
    cmocka_unit_test(test_lookups),
    cmocka_unit_test(test_same_as_the_published_taxonomy),
})
