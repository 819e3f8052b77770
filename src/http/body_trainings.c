/*
 * body_trainings.c - the readers of the bodies of training sessions (see body.h).
 *
 * Must never: accept a member of the wrong type silently, or keep a string that breaks its field
 * rule (core checks a session's own rules again: times, mode and place, topics, invitees).
 */
#include "base/common.h"
#include "formats/tlp.h"
#include "http/body.h"
#include "http/trainings.h"

/* A list of at most max strings of field rule kind at key, into the arena. Absent or null leaves
 * *n at -1. */
static int read_strings(const cJSON *b, const char *key, int max, enum rb_field_kind kind,
                        rb_arena *a, const char ***out, int *n, rb_errinfo *ei)
{
    const cJSON *arr = NULL;
    int size = -1;
    int rc = rj_list(b, key, max, &arr, &size, ei);
    *n = -1;
    if (rc || size < 0)
        return rc;
    const char **v = rb_arena_alloc(a, sizeof(*v) * (size_t)(size + 1));
    if (!v)
        return RB_ENOMEM;
    int k = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsString(it) || !it->valuestring[0])
            return rb_err(ei, RB_EINVAL, key, "%s[%d] must be a non-empty string", key, k);
        if ((rc = rb_field_checks(kind, key, it->valuestring, ei)))
            return rc;
        v[k++] = it->valuestring;
    }
    *out = v;
    *n = k;
    return 0;
}

static int read_training_members(const cJSON *b, rb_arena *a, struct training_input *in,
                                 bool create, rb_errinfo *ei)
{
    training_input_init(in);
    int rc;
    if ((rc = rj_text(b, "title", create, FIELD_TITLE, &in->title, ei)) ||
        (rc = rj_text(b, "description", false, FIELD_PROSE, &in->description, ei)) ||
        (rc = rj_text(b, "catalog_id", false, FIELD_ID, &in->catalog_id, ei)) ||
        (rc = rj_enum(b, "mode", create, training_mode_names, &in->mode, ei)) ||
        (rc = rj_text(b, "starts_at", create, FIELD_SHORT, &in->starts_at, ei)) ||
        (rc = rj_text(b, "ends_at", create, FIELD_SHORT, &in->ends_at, ei)) ||
        (rc = rj_text(b, "venue", false, FIELD_TITLE, &in->venue, ei)) ||
        (rc = rj_text(b, "meeting_url", false, FIELD_URL, &in->meeting_url, ei)) ||
        (rc = rj_enum(b, "status", false, training_status_names, &in->status, ei)) ||
        (rc = read_strings(b, "topics", TRAINING_TOPICS_MAX, FIELD_ID, a, &in->topics, &in->ntopics,
                           ei)) ||
        (rc = read_strings(b, "invited_org_ids", TRAINING_INVITE_MAX, FIELD_ID, a,
                           &in->invited_org_ids, &in->ninvited, ei)) ||
        (rc = read_strings(b, "staff_user_ids", TRAINING_STAFF_MAX, FIELD_ID, a,
                           &in->staff_user_ids, &in->nstaff, ei)))
        return rc;
    /* capacity: a number of places; null (or absent, for a new session) is no limit. */
    const cJSON *cap = cJSON_GetObjectItemCaseSensitive(b, "capacity");
    if (cap && cJSON_IsNull(cap)) {
        in->capacity = 0;
    } else if (cap) {
        int64_t v = 0;
        if ((rc = rj_int(b, "capacity", false, 1, TRAINING_CAPACITY_MAX, &v, ei)))
            return rc;
        in->capacity = (int)v;
    } else if (create) {
        in->capacity = 0;
    }
    const char *tlp = NULL;
    if ((rc = rj_text(b, "tlp", false, FIELD_SHORT, &tlp, ei)))
        return rc;
    enum rb_tlp level;
    if (tlp) {
        if (tlp_parse(tlp, &level))
            return rb_err(ei, RB_EINVAL, "tlp", "\"tlp\" is CLEAR or GREEN");
        in->tlp = (int)level;
    }
    return 0;
}

static int read_training(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    return read_training_members(b, a, out, true, ei);
}

static int read_training_update(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    return read_training_members(b, a, out, false, ei);
}

static int read_invite(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    struct invite_body *in = out;
    int rc = read_strings(b, "org_ids", TRAINING_INVITE_MAX, FIELD_ID, a, &in->org_ids, &in->n, ei);
    if (!rc && in->n < 1)
        rc = rb_err(ei, RB_EINVAL, "org_ids", "\"org_ids\" names the orgs to invite");
    return rc;
}

/* The modes a person joins in: a session's "hybrid" is both. */
static const char *const join_modes[] = {"in_person", "virtual", NULL};

static int read_attend(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    struct attend_body *in = out;
    RB_UNUSED(a);
    in->mode = -1; /* null: did not attend */
    int rc = rj_text(b, "person_id", true, FIELD_ID, &in->person_id, ei);
    if (!rc && !cJSON_GetObjectItemCaseSensitive(b, "mode"))
        rc = rb_err(ei, RB_EINVAL, "mode",
                    "\"mode\" is required: in_person, virtual, or null for did not attend");
    return rc ? rc : rj_enum(b, "mode", false, join_modes, &in->mode, ei);
}

#define TRAINING_MEMBERS                                                                           \
    "title", "description", "topics", "catalog_id", "mode", "starts_at", "ends_at", "venue",       \
        "meeting_url", "invited_org_ids", "staff_user_ids", "capacity", "status", "tlp"
BODY(body_training, "training", struct training_input, read_training, TRAINING_MEMBERS);
BODY(body_training_update, "training_update", struct training_input, read_training_update,
     TRAINING_MEMBERS);
BODY(body_training_invite, "training_invite", struct invite_body, read_invite, "org_ids");
BODY_FIELDS(body_training_person, "training_person", struct person_input,
            BF_TEXT(struct person_input, name, true, FIELD_NAME),
            BF_TEXT(struct person_input, email, false, FIELD_EMAIL),
            BF_TEXT(struct person_input, org_id, false, FIELD_ID));
BODY(body_training_attend, "training_attend", struct attend_body, read_attend, "person_id", "mode");
BODY_FIELDS(body_training_feedback, "training_feedback", struct feedback_body,
            BF_TEXT(struct feedback_body, person_id, true, FIELD_ID),
            BF_INT(struct feedback_body, rating, true, 1, 5),
            BF_TEXT(struct feedback_body, comment, false, FIELD_NOTE));
BODY_FIELDS(body_training_link, "training_link", struct training_link_body,
            BF_TEXT(struct training_link_body, title, true, FIELD_TITLE),
            BF_TEXT(struct training_link_body, url, true, FIELD_URL));
BODY_FIELDS(body_training_unregister, "training_unregister", struct unregister_body,
            BF_TEXT(struct unregister_body, person_id, true, FIELD_ID));
