/*
 * body.h - the JSON request bodies rabta accepts: one reader each, as a table.
 *
 * A reader turns a parsed body into the input struct core takes. It runs after req_body (which
 * refuses what is not a JSON object of the body's members, too deep, too large or not UTF-8) and
 * checks every member's type, range and field rule (json/field.h), naming the member or the
 * item's place ("answers[3].maturity") in a refusal. Readers are pure: no database, no request,
 * no clock; what they fill points into the cJSON tree or the arena. tests/fuzz/fuzz_body.c runs
 * every reader of rb_bodies on every input.
 *
 * Adding a body: a struct for its input (or core's own), a reader in body.c, a row in rb_bodies,
 * and `req_body(r, &body_x, &in)` in its handler.
 */
#ifndef RABTA_BODY_H
#define RABTA_BODY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/mem.h"
#include "core/assessment.h"
#include "core/campaign.h"
#include "core/org.h"
#include "core/profile.h"
#include "core/user.h"
#include "json/json.h"

struct body_def {
    const char *name;           /* "answers" */
    const char *const *members; /* NULL-terminated: the members the body may hold */
    size_t size;                /* of the input struct the reader fills */
    /* Fills out (zeroed by the caller) from the body b. Returns 0, RB_EINVAL with ei naming the
     * member, or RB_ENOTFOUND for an unknown member of a list item. */
    int (*read)(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei);
};

struct session_body {
    const char *email, *password;
};
struct password_body {
    const char *current_password, *password;
};
struct user_update_body {
    bool disabled;
};
struct user_password_body {
    const char *password;
};
struct token_body {
    const char *name;
    int days;
};
struct profile_body {
    const char *catalog_id, *title;
    const char **control_ids; /* when oscal is NULL */
    int ncontrols;
    const cJSON *oscal; /* an OSCAL profile document given inline, or NULL */
    struct profile_applicability ap;
};
struct grant_body {
    const char *org_id;
    int scope; /* enum rb_scope */
};
struct tlp_body {
    int tlp; /* enum rb_tlp */
};
struct answers_body {
    struct answer_input *items;
    int n;
};
struct review_body {
    struct review_input *items;
    int n;
};

extern const struct body_def body_session, body_password, body_org, body_user, body_user_update,
    body_user_password, body_token, body_profile, body_campaign, body_answers, body_review,
    body_grant, body_tlp, body_poam;
/* Defines body_def `id` named nm for the input struct `type`, read by fn, with its members. */
#define BODY(id, nm, type, fn, ...)                                                                \
    static const char *const id##_members[] = {__VA_ARGS__, NULL};                                 \
    const struct body_def id = {nm, id##_members, sizeof(type), fn}

/* Every body (these and body_incidents.h's), NULL-terminated. */
extern const struct body_def *const rb_bodies[];

#endif
