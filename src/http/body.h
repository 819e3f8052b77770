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
 * Adding a body: a struct for its input (or core's own), a reader in body.c (or, when each
 * member goes into a member of the struct as it is, a BODY_FIELDS table), a row in rb_bodies, and
 * `req_body(r, &body_x, &in)` in its handler.
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

/*
 * A body whose members go each into one member of its struct as they are is a table instead of
 * a reader: BODY_FIELDS(body_x, "x", struct x_body, BF_TEXT(struct x_body, title, true,
 * FIELD_TITLE), ...). The members are read in the table's order, by the json/json.h getters
 * named below, so a refusal names the first bad member as a hand-written reader would.
 */
enum body_field_type {
    BF_T_TEXT, /* const char *: rj_text with a field rule (json/field.h) */
    BF_T_STR,  /* const char *: rj_str with a most bytes (a password: no field rule) */
    BF_T_ENUM, /* int: rj_enum over a NULL-terminated list of names; -1 when absent */
    BF_T_BOOL, /* bool: rj_bool */
    BF_T_INT,  /* int: rj_int from lo to hi; 0 when absent */
    BF_T_FLAG, /* int: rj_bool as 1 or 0; -1 when absent */
};
struct body_field {
    const char *name;
    enum body_field_type type;
    bool required;
    int rule;                 /* BF_T_TEXT: enum rb_field_kind; BF_T_STR: the most bytes */
    const char *const *names; /* BF_T_ENUM */
    int lo, hi;               /* BF_T_INT */
    size_t offset;            /* of the member in the input struct */
};
/* The rows, each checked at compile time to name a member of the type it fills. */
#define BF_TEXT(T, m, req, kind)                                                                   \
    {                                                                                              \
#m, BF_T_TEXT, req, kind, NULL, 0, 0, _Generic(((T *)0)->m, const char * : offsetof(T, m)) \
    }
#define BF_STR(T, m, req, max)                                                                     \
    {                                                                                              \
#m, BF_T_STR, req, max, NULL, 0, 0, _Generic(((T *)0)->m, const char * : offsetof(T, m))   \
    }
#define BF_ENUM(T, m, req, names)                                                                  \
    {                                                                                              \
#m, BF_T_ENUM, req, 0, names, 0, 0, _Generic(((T *)0)->m, int : offsetof(T, m))            \
    }
#define BF_BOOL(T, m, req)                                                                         \
    {                                                                                              \
#m, BF_T_BOOL, req, 0, NULL, 0, 0, _Generic(((T *)0)->m, bool : offsetof(T, m))            \
    }
#define BF_INT(T, m, req, lo, hi)                                                                  \
    {                                                                                              \
#m, BF_T_INT, req, 0, NULL, lo, hi, _Generic(((T *)0)->m, int : offsetof(T, m))            \
    }
/* The member m read from the body's member key (another name: "cii_involved" into cii). */
#define BF_FLAG(T, m, key, req)                                                                    \
    {                                                                                              \
        key, BF_T_FLAG, req, 0, NULL, 0, 0, _Generic(((T *)0)->m, int : offsetof(T, m))            \
    }

struct body_def {
    const char *name;           /* "answers" */
    const char *const *members; /* NULL-terminated: the members the body may hold (NULL: fields') */
    size_t size;                /* of the input struct the reader fills */
    /* Fills out (zeroed by the caller) from the body b. Returns 0, RB_EINVAL with ei naming the
     * member, or RB_ENOTFOUND for an unknown member of a list item. */
    int (*read)(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei);
    const struct body_field *fields; /* a BODY_FIELDS body's table (read runs it), or NULL */
    size_t nfields;
};

#define BODY_MEMBERS_MAX 32 /* members of one body */
/* The members def's body may hold into names (BODY_MEMBERS_MAX + 1 slots), NULL-terminated;
 * returns names. */
const char *const *body_members(const struct body_def *def,
                                const char *names[BODY_MEMBERS_MAX + 1]);
/* Reads the n fields of a table into out. What a BODY_FIELDS reader calls. */
int body_read_fields(const cJSON *b, const struct body_field *f, size_t n, void *out,
                     rb_errinfo *ei);

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
    const struct body_def id = {nm, id##_members, sizeof(type), fn, NULL, 0}
/* Defines body_def `id` named nm for the input struct `type`, read by its table of BF_ rows. */
#define BODY_FIELDS(id, nm, type, ...)                                                             \
    static const struct body_field id##_fields[] = {__VA_ARGS__};                                  \
    static int id##_read(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)                   \
    {                                                                                              \
        (void)a;                                                                                   \
        return body_read_fields(b, id##_fields, RB_ARRAY_LEN(id##_fields), out, ei);               \
    }                                                                                              \
    const struct body_def id = {nm,        NULL,        sizeof(type),                              \
                                id##_read, id##_fields, RB_ARRAY_LEN(id##_fields)}

/* Every body (these and body_incidents.h's), NULL-terminated. */
extern const struct body_def *const rb_bodies[];

#endif
