/*
 * body_advisories.c - the readers of the bodies of advisories (see body.h).
 *
 * Must never: accept a member of the wrong type silently, or keep a string that breaks its field
 * rule.
 */
#include "base/common.h"
#include "core/advisory_doc.h"
#include "http/body.h"
#include "http/body_advisories.h"

static int read_advisory(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    struct advisory_input *in = out;
    advisory_input_init(in);
    return advisory_input_read(b, a, in, ei);
}

static const char *const scope_words[] = {"orgs", "subtree", NULL}; /* SCOPE_ORG, SCOPE_SUBTREE */

static int read_publish(const cJSON *b, rb_arena *a, void *out, rb_errinfo *ei)
{
    struct publish_body *p = out;
    RB_UNUSED(a);
    int rc = rj_enum(b, "scope", true, scope_words, &p->scope, ei);
    if (rc || !rj_has(b, "org_ids"))
        return rc;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(b, "org_ids");
    if (!cJSON_IsArray(arr))
        return rb_err(ei, RB_EINVAL, "org_ids", "\"org_ids\" must be a list of org ids");
    if (cJSON_GetArraySize(arr) > ADVISORY_PUBLISH_ORGS_MAX)
        return rb_err(ei, RB_EINVAL, "org_ids", "\"org_ids\" names at most %d orgs",
                      ADVISORY_PUBLISH_ORGS_MAX);
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsString(it) || rb_field_checks(FIELD_ID, "org_ids", it->valuestring, ei) != 0)
            return rb_err(ei, RB_EINVAL, "org_ids", "org_ids[%d] must be an org id", p->n);
        p->org_ids[p->n++] = it->valuestring;
    }
    return 0;
}

BODY(body_advisory, "advisory", struct advisory_input, read_advisory, "title", "summary",
     "severity", "tlp", "products", "vulnerabilities", "remediations", "references");
BODY(body_advisory_update, "advisory_update", struct advisory_input, read_advisory, "title",
     "summary", "severity", "tlp", "products", "vulnerabilities", "remediations", "references",
     "revision_summary", "material");
BODY(body_publish, "publish", struct publish_body, read_publish, "scope", "org_ids");
BODY_FIELDS(body_ack, "ack", struct ack_body,
            BF_ENUM(struct ack_body, status, true, ack_status_names),
            BF_TEXT(struct ack_body, note, false, FIELD_NOTE));
BODY_FIELDS(body_adv_policy, "advisory_policy", struct adv_policy_body,
            BF_ENUM(struct adv_policy_body, severity, true, adv_severity_names),
            BF_INT(struct adv_policy_body, ack_hours, true, 1, 8760),
            BF_INT(struct adv_policy_body, mitigate_days, true, 1, 3650));
