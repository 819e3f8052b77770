/*
 * body_incidents.c - the readers of the bodies of incidents, their tasks and links, the inbox and
 * the reporting policy (see body.h).
 *
 * Must never: accept a member of the wrong type silently, or keep a string that breaks its field
 * rule.
 */
#include "base/common.h"
#include "base/utf8.h"
#include "core/deadline.h"
#include "core/inbox.h"
#include "formats/tlp.h"
#include "http/body.h"
#include "http/body_incidents.h"

/* POST and PATCH share the reader: a report also takes org_id, a change status and comment, as
 * their bodies' members say (req_body refuses any other member before a reader runs). */
static const struct body_field incident_fields[] = {
    BF_TEXT(struct incident_input, title, false, FIELD_TITLE),
    BF_TEXT(struct incident_input, description, false, FIELD_PROSE),
    BF_TEXT(struct incident_input, rsit_class, false, FIELD_ID),
    BF_TEXT(struct incident_input, rsit_type, false, FIELD_ID),
    BF_ENUM(struct incident_input, severity, false, rb_severity_names),
    BF_TEXT(struct incident_input, detected_at, false, FIELD_ID),
    BF_FLAG(struct incident_input, cii, "cii_involved", false),
    BF_TEXT(struct incident_input, affected_services, false, FIELD_NOTE),
    BF_ENUM(struct incident_input, tlp, false, tlp_names),
    BF_TEXT(struct incident_input, org_id, false, FIELD_ID),
    BF_ENUM(struct incident_input, status, false, rb_incident_status_names),
    BF_TEXT(struct incident_input, comment, false, FIELD_NOTE),
};

static int read_incident(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    RB_UNUSED(a);
    incident_input_init(out);
    return body_read_fields(b, incident_fields, RB_ARRAY_LEN(incident_fields), out, ei);
}

/* Adding and changing a task share the members; a change may clear the assignee or date with
 * JSON null. */
static int read_task_fields(const cJSON *b, struct task_input *t, rb_errinfo *ei)
{
    bool done = false;
    int rc;
    t->done = -1;
    if ((rc = rj_text(b, "title", false, FIELD_TITLE, &t->title, ei)) ||
        (rc = rj_text(b, "assignee_org_id", false, FIELD_ID, &t->assignee_org, ei)) ||
        (rc = rj_text(b, "due_date", false, FIELD_ID, &t->due_date, ei)) ||
        (rc = rj_bool(b, "done", false, &done, ei)))
        return rc;
    if (rj_has(b, "done"))
        t->done = done ? 1 : 0;
    if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(b, "assignee_org_id")))
        t->assignee_org = "";
    if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(b, "due_date")))
        t->due_date = "";
    return 0;
}

static int read_task(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    struct task_input *t = out;
    RB_UNUSED(a);
    int rc = read_task_fields(b, t, ei);
    if (!rc && !t->title)
        rc = rb_err(ei, RB_EINVAL, "title", "\"title\" is required: say what is to be done");
    if (!rc && t->done >= 0)
        rc = rb_err(ei, RB_EINVAL, "done", "a new task is not done yet");
    return rc;
}

static int read_task_update(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    RB_UNUSED(a);
    return read_task_fields(b, out, ei);
}

static int read_inbox_read(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    struct inbox_read_body *r = out;
    RB_UNUSED(a);
    int rc = rj_bool(b, "all", false, &r->all, ei);
    if (rc)
        return rc;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(b, "seqs");
    if (arr && !cJSON_IsNull(arr)) {
        if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > INBOX_READ_MAX)
            return rb_err(ei, RB_EINVAL, "seqs",
                          "\"seqs\" must be an array of at most %d item numbers", INBOX_READ_MAX);
        const cJSON *it;
        cJSON_ArrayForEach(it, arr)
        {
            if (!cJSON_IsNumber(it) || it->valuedouble < 1 || it->valuedouble > 9e15 ||
                it->valuedouble != (double)(int64_t)it->valuedouble)
                return rb_err(ei, RB_EINVAL, "seqs", "\"seqs\" must hold item numbers (seq)");
            r->seqs[r->n++] = (int64_t)it->valuedouble;
        }
    }
    if (!r->all && r->n == 0)
        return rb_err(ei, RB_EINVAL, "seqs", "name the items (\"seqs\") or send \"all\": true");
    return 0;
}

/* One rule of the policy: minutes in the API, seconds in core; an absent member is unchanged. */
static int read_rule(const cJSON *it, int i, void *ctx, rb_errinfo *ei)
{
    struct reporting_body *rb = ctx;
    struct reporting_change *c = &rb->rules[i];
    int tier = -1, sev = -1, rc;
    if ((rc = rj_enum(it, "tier", true, rb_org_kind_names, &tier, ei)) ||
        (rc = rj_enum(it, "severity", true, rb_severity_names, &sev, ei)))
        return rc;
    static const char *const keys[] = {"acknowledge_minutes", "early_warning_minutes",
                                       "early_warning_cii_minutes", "notification_minutes",
                                       "final_report_minutes"};
    int64_t *slots[] = {&c->rule.ack, &c->rule.early_warning, &c->rule.early_warning_cii,
                        &c->rule.notification, &c->rule.final_report};
    for (size_t k = 0; k < RB_ARRAY_LEN(keys); k++) {
        int64_t minutes = -1;
        if ((rc = rj_int(it, keys[k], false, 0, REPORTING_MAX_SECONDS / 60, &minutes, ei)))
            return rc;
        *slots[k] = minutes < 0 ? -1 : minutes * 60;
    }
    c->tier = (enum rb_org_kind)tier;
    c->severity = (enum rb_severity)sev;
    rb->n = i + 1;
    return 0;
}

static int read_reporting(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    static const char *const fields[] = {"tier",
                                         "severity",
                                         "acknowledge_minutes",
                                         "early_warning_minutes",
                                         "early_warning_cii_minutes",
                                         "notification_minutes",
                                         "final_report_minutes",
                                         NULL};
    RB_UNUSED(a);
    return rj_items(b, "rules", 1, REPORTING_RULES_MAX, fields, read_rule, out, ei);
}

/* A webhook: its URL (the address rules are core's) and the inbox kinds it wants, or ["*"]. */
static int read_webhook(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    struct webhook_input *in = out;
    RB_UNUSED(a);
    int rc = rj_text(b, "url", true, FIELD_URL, &in->url, ei);
    if (rc)
        return rc;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(b, "events");
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1 ||
        cJSON_GetArraySize(arr) > INBOX__COUNT)
        return rb_err(ei, RB_EINVAL, "events",
                      "\"events\" must list the inbox kinds to send (triage, notice, escalated, "
                      "due_soon, overdue, task, shared), or be [\"*\"] for every kind");
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsString(it))
            return rb_err(ei, RB_EINVAL, "events",
                          "\"events\" must hold the names of inbox kinds, as text");
        if (strcmp(it->valuestring, "*") == 0) {
            in->all = true;
            continue;
        }
        int k = rb_name_index(rb_inbox_kind_names, it->valuestring);
        if (k < 0)
            return rb_err(ei, RB_EINVAL, "events",
                          "\"events\" holds \"%.*s\", which is not an inbox kind (triage, "
                          "notice, escalated, due_soon, overdue, task, shared) or \"*\"",
                          RB_CUT(it->valuestring, 40));
        if (in->events & (1u << k))
            return rb_err(ei, RB_EINVAL, "events", "\"events\" names \"%s\" twice",
                          rb_inbox_kind_names[k]);
        in->events |= 1u << k;
    }
    if (in->all && cJSON_GetArraySize(arr) > 1)
        return rb_err(ei, RB_EINVAL, "events", "\"*\" means every kind: send it alone");
    return 0;
}

BODY(body_incident, "incident", struct incident_input, read_incident, "title", "description",
     "rsit_class", "rsit_type", "severity", "detected_at", "cii_involved", "affected_services",
     "tlp", "org_id");
BODY(body_incident_update, "incident_update", struct incident_input, read_incident, "title",
     "description", "rsit_class", "rsit_type", "severity", "detected_at", "cii_involved",
     "affected_services", "tlp", "status", "comment");
BODY_FIELDS(body_escalate, "escalate", struct reason_body,
            BF_TEXT(struct reason_body, reason, true, FIELD_NOTE));
BODY_FIELDS(body_comment, "comment", struct text_body,
            BF_TEXT(struct text_body, text, true, FIELD_NOTE));
BODY_FIELDS(body_stage, "report_stage", struct stage_body,
            BF_ENUM(struct stage_body, stage, true, rb_incident_stage_names),
            BF_TEXT(struct stage_body, text, true, FIELD_PROSE));
BODY_FIELDS(body_merge, "merge", struct merge_body,
            BF_TEXT(struct merge_body, into, true, FIELD_ID),
            BF_TEXT(struct merge_body, reason, false, FIELD_NOTE));
BODY_FIELDS(body_link, "link", struct link_body,
            BF_TEXT(struct link_body, incident_id, true, FIELD_ID),
            BF_TEXT(struct link_body, reason, true, FIELD_NOTE));
BODY(body_task, "task", struct task_input, read_task, "title", "assignee_org_id", "due_date",
     "done");
BODY(body_task_update, "task_update", struct task_input, read_task_update, "title",
     "assignee_org_id", "due_date", "done");
BODY(body_inbox_read, "inbox_read", struct inbox_read_body, read_inbox_read, "seqs", "all");
BODY(body_reporting, "reporting_policy", struct reporting_body, read_reporting, "rules");
BODY(body_webhook, "webhook", struct webhook_input, read_webhook, "url", "events");
BODY_FIELDS(body_me, "me", struct me_body, BF_BOOL(struct me_body, email_notify, true));
