/*
 * fuzz_body.c - libFuzzer target for every JSON request body reader (src/http/body.c).
 *
 * The input is a request body. It is parsed as the server parses bodies (rj_parse with the
 * request depth cap), and when it is an object, every reader of rb_bodies is run on it after the
 * same member check req_body makes (rj_only with the body's members), each with a fresh arena.
 *
 * Beyond "no crash", it checks properties that must hold for every input and every reader:
 *   - a refusal is RB_EINVAL, RB_ENOTFOUND (an unknown member of a list item) or RB_ENOMEM, with
 *     ei->code equal to the result and a message;
 *   - a refusal names a member of the body (or a place "list[i].member" inside one of its list
 *     members), never something the body does not hold;
 *   - what an accepted body gives obeys the field rules: every string the answers and review
 *     readers return is a FIELD_ID control id or FIELD_NOTE prose, and lists hold 1 to 1000 items
 *     each pointing at a control id.
 * A violated property aborts, so libFuzzer records the input as a crash.
 *
 * Built by run.sh with clang -fsanitize=fuzzer,address,undefined, or as a plain program with
 * replay_main.c (the meson test fuzz_body_replay replays corpus/body and corpus/json).
 */
#include "base/common.h"
#include "base/mem.h"
#include "http/body.h"
#include "http/request.h"

#define FUZZ_TARGET "fuzz_body"
#include "fuzz_util.h"

#define BODY_MAX_INPUT (1u << 20) /* REQ_BODY_MAX */

static bool is_member(const struct body_def *d, const char *field)
{
    if (!field[0])
        return true;
    const char *names[BODY_MEMBERS_MAX + 1];
    for (const char *const *m = body_members(d, names); *m; m++) {
        size_t n = strlen(*m);
        if (strncmp(field, *m, n) == 0 && (field[n] == '\0' || field[n] == '['))
            return true;
    }
    return false;
}

static void check_text(enum rb_field_kind kind, const char *s, bool required)
{
    CHECK(!required || s, "a required string is set");
    CHECK(rb_field_checks(kind, "x", s, NULL) == 0, "returned text obeys its field rule");
}

static void check_accepted(const struct body_def *d, const void *out)
{
    if (d == &body_answers) {
        const struct answers_body *ab = out;
        CHECK(ab->n >= 1 && ab->n <= 1000 && ab->items, "1 to 1000 answers");
        for (int i = 0; i < ab->n; i++) {
            check_text(FIELD_ID, ab->items[i].control_id, true);
            check_text(FIELD_NOTE, ab->items[i].evidence, false);
            CHECK(ab->items[i].maturity >= 0 && ab->items[i].maturity <= 5, "maturity 0..5");
        }
    } else if (d == &body_review) {
        const struct review_body *rv = out;
        CHECK(rv->n >= 1 && rv->n <= 1000 && rv->items, "1 to 1000 decisions");
        for (int i = 0; i < rv->n; i++) {
            check_text(FIELD_ID, rv->items[i].control_id, true);
            check_text(FIELD_NOTE, rv->items[i].comment, false);
        }
    } else if (d == &body_profile) {
        const struct profile_body *p = out;
        CHECK(p->oscal || (p->ncontrols >= 1 && p->control_ids), "a profile names its controls");
        for (int i = 0; !p->oscal && i < p->ncontrols; i++)
            check_text(FIELD_ID, p->control_ids[i], true);
        check_text(FIELD_TITLE, p->title, false);
    } else if (d == &body_poam) {
        const struct poam_input *pi = out;
        check_text(FIELD_NAME, pi->owner, false);
        check_text(FIELD_ID, pi->due_date, false);
        check_text(FIELD_NOTE, pi->weakness, false);
    } else if (d == &body_campaign) {
        const struct campaign_input *c = out;
        check_text(FIELD_TITLE, c->title, true);
        check_text(FIELD_ID, c->profile_id, true);
    } else if (d == &body_org) {
        const rb_org_input *o = out;
        check_text(FIELD_NAME, o->name, false);
        check_text(FIELD_SHORT, o->short_name, false);
    } else if (d == &body_user) {
        const rb_user_input *u = out;
        check_text(FIELD_NAME, u->name, true);
        check_text(FIELD_EMAIL, u->email, true);
        CHECK(u->role >= 0 && u->role < ROLE__COUNT, "a role");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_json_init();
    if (size > BODY_MAX_INPUT)
        return 0;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    cJSON *root = NULL;
    if (rj_parse((const char *)data, size, REQ_JSON_DEPTH, &root, &ei) != RJ_OK) {
        CHECK(!root, "no tree on a parse failure");
        return 0;
    }
    if (cJSON_IsObject(root)) {
        for (int i = 0; rb_bodies[i]; i++) {
            const struct body_def *d = rb_bodies[i];
            rb_errinfo_clear(&ei);
            const char *names[BODY_MEMBERS_MAX + 1];
            if (rj_only(root, body_members(d, names), &ei))
                continue; /* req_body_json answers 422 before any reader runs */
            rb_arena a;
            rb_arena_init(&a, 8u << 20);
            void *out = rb_calloc(1, d->size);
            CHECK(out != NULL, "memory");
            rb_errinfo_clear(&ei);
            int rc = d->read(root, &a, out, &ei);
            if (rc) {
                fuzz_check_refusal(rc, &ei, RB_EINVAL, RB_ENOTFOUND);
                CHECK(is_member(d, ei.field), "a refusal names a member of the body");
            } else {
                check_accepted(d, out);
            }
            rb_free(out);
            rb_arena_release(&a);
        }
    }
    cJSON_Delete(root);
    return 0;
}
