/*
 * kind.c - the kind table and loading an object for dispatch.
 *
 * Must never tell "no such object" from "you may not read it": both are RB_ENOTFOUND.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "core/advisory.h"
#include "core/assessment.h"
#include "core/auth.h"
#include "core/campaign.h"
#include "core/incident.h"
#include "core/inventory.h"
#include "core/kind.h"
#include "core/org.h"
#include "core/policy.h"
#include "core/training.h"
#include "core/user.h"
#include "core/webhook.h"

/* The SELECT of a shareable kind's row: its owner and the owner's parent, when READABLE (the
 * kind's policy predicate over o) holds. */
#define LOAD_SQL(TABLE, READABLE)                                                                  \
    "SELECT o.owner_org, w.parent_id FROM " TABLE " o JOIN orgs w ON w.id = o.owner_org WHERE "    \
    "o.id = ?1 AND " READABLE
#define ALL_TLPS 0x1fu
/* Guidance (catalogs, profiles) is CLEAR, GREEN or AMBER. */
#define GUIDANCE_TLPS ((1u << TLP_CLEAR) | (1u << TLP_GREEN) | (1u << TLP_AMBER))
/* The statements core/share reads and sets a shareable kind's TLP with. */
#define TLP_SQL(TABLE)                                                                             \
    .tlp_sql = "SELECT owner_org, tlp FROM " TABLE " WHERE id = ?1",                               \
    .set_tlp_sql = "UPDATE " TABLE " SET tlp = ?2 WHERE id = ?1"
/* The statements core/share needs for a shareable kind's table, read by the common policy. */
#define SHARE_SQL(TABLE) .load_sql = LOAD_SQL(TABLE, POLICY_SQL_READABLE), TLP_SQL(TABLE)

const struct rb_kind kind_org = {
    .name = "org", .table = "orgs", .load = org_kind_load,
    .name_sql = "SELECT name FROM orgs WHERE id = ?1",
};
const struct rb_kind kind_user = {
    .name = "user", .table = "users", .load = user_kind_load,
    .name_sql = "SELECT email FROM users WHERE id = ?1",
};
const struct rb_kind kind_token = {
    .name = "token", .table = "api_tokens", .load = token_kind_load,
    .name_sql = "SELECT name FROM api_tokens WHERE id = ?1",
};
/* Guideline catalogs: GREEN by default; AMBER ones reach the owner's constituency. */
const struct rb_kind kind_catalog = {
    .name = "catalog", .table = "catalogs", .shareable = true, .default_tlp = TLP_GREEN,
    .grants = KGRANT_OWNER_SUBTREE, SHARE_SQL("catalogs"), .tlp_allowed = GUIDANCE_TLPS,
    .follower = &kind_profile, .followers_sql = "SELECT id FROM profiles WHERE catalog_id = ?1",
    .name_sql = "SELECT title FROM catalogs WHERE id = ?1",
    .check_reach = campaign_check_reach,
};
/* Profiles reach exactly as far as their catalog (its TLP and grants are copied). */
const struct rb_kind kind_profile = {
    .name = "profile", .table = "profiles", .shareable = true, .default_tlp = TLP_GREEN,
    SHARE_SQL("profiles"), .tlp_allowed = GUIDANCE_TLPS,
    .name_sql = "SELECT title FROM profiles WHERE id = ?1",
};
/* Campaigns: AMBER, to the launching CERT's subtree and every CERT above it. */
const struct rb_kind kind_campaign = {
    .name = "campaign", .table = "campaigns", .shareable = true, .default_tlp = TLP_AMBER,
    .grants = KGRANT_OWNER_SUBTREE | KGRANT_ANCESTORS, SHARE_SQL("campaigns"),
    .tlp_allowed = ALL_TLPS, .name_sql = "SELECT title FROM campaigns WHERE id = ?1",
};
/* Assessments: AMBER+STRICT, to every CERT above the assessed org (oversight is the purpose). */
const struct rb_kind kind_assessment = {
    .name = KIND_NAME_ASSESSMENT, .table = "assessments", .shareable = true,
    .default_tlp = TLP_AMBER_STRICT, .grants = KGRANT_ANCESTORS, .history = true, .files = true,
    .file_max_bytes = ATTACHMENT_MAX_BYTES, .files_per_part = ATTACHMENT_MAX_PER_CONTROL,
    .file_part = "control_id",
    SHARE_SQL("assessments"), .tlp_allowed = ALL_TLPS,
    .name_sql = "SELECT g.name || ': ' || k.title FROM assessments o JOIN orgs g ON g.id = "
                "o.owner_org JOIN campaigns k ON k.id = o.campaign_id WHERE o.id = ?1",
};

/* Incidents: AMBER by default; core/incident grants the handling CERT and each escalation. */
const struct rb_kind kind_incident = {
    .name = "incident", .table = "incidents", .shareable = true, .default_tlp = TLP_AMBER,
    .grants = KGRANT_NONE, .history = true, .files = true, .file_max_bytes = INCIDENT_FILE_MAX,
    .files_per_part = INCIDENT_FILES_MAX, .tlp_allowed = ALL_TLPS, .handled = true,
    TLP_SQL("incidents"),
    .load_sql = "SELECT o.owner_org, w.parent_id, o.handling_org, o.org_id FROM incidents o JOIN "
                "orgs w ON w.id = o.owner_org WHERE o.id = ?1 AND " POLICY_SQL_READABLE,
    .name_sql = "SELECT title FROM incidents WHERE id = ?1", .touch = incident_touch,
};

/* Advisories: as authored (AMBER unless the author or the document says otherwise); publishing
 * grants the scope the author chose (core/advisory), and a draft is its owner's alone. */
const struct rb_kind kind_advisory = {
    .name = "advisory", .table = "advisories", .shareable = true, .public_kind = true,
    .default_tlp = TLP_AMBER, .grants = KGRANT_NONE, .history = true, .tlp_allowed = ALL_TLPS,
    TLP_SQL("advisories"), .load_sql = LOAD_SQL("advisories", ADVISORY_SQL_READABLE),
    .name_sql = "SELECT title FROM advisories WHERE id = ?1", .touch = advisory_touch,
};

/* An org's webhooks (core/webhook): readable where the org is; only its admins manage them. */
const struct rb_kind kind_webhook = {
    .name = "webhook", .table = "webhooks", .load = webhook_kind_load,
};

/* An org's inventory (core/inventory), named by the org's id: read by the org and the CERTs above
 * it, written by the org alone. */
const struct rb_kind kind_inventory = {
    .name = "inventory", .table = "inventory", .load = inventory_kind_load,
    .name_sql = "SELECT name FROM orgs WHERE id = ?1",
};

/* Training sessions (core/training): GREEN by default and CLEAR or GREEN only, no grants made:
 * an invitation is a record of its own, not a grant (decision 65); a draft is its owner's alone.
 * Materials are files. */
const struct rb_kind kind_training = {
    .name = "training", .table = "trainings", .shareable = true, .default_tlp = TLP_GREEN,
    .grants = KGRANT_NONE, .history = true, .files = true, .file_max_bytes = TRAINING_FILE_MAX,
    .files_per_part = TRAINING_FILES_MAX, .tlp_allowed = (1u << TLP_CLEAR) | (1u << TLP_GREEN),
    TLP_SQL("trainings"), .load_sql = LOAD_SQL("trainings", TRAINING_SQL_READABLE),
    .name_sql = "SELECT title FROM trainings WHERE id = ?1",
};

/* Risks (core/risk): AMBER+STRICT by default, granted to the owner's parent CERT (DESIGN §5). */
const struct rb_kind kind_risk = {
    .name = "risk", .table = "risks", .shareable = true, .default_tlp = TLP_AMBER_STRICT,
    .grants = KGRANT_PARENT, .history = true, SHARE_SQL("risks"), .tlp_allowed = ALL_TLPS,
    .name_sql = "SELECT title FROM risks WHERE id = ?1",
};

const struct rb_kind *const rb_kinds[] = {&kind_org,     &kind_user,     &kind_token,
                                          &kind_catalog, &kind_profile,  &kind_campaign,
                                          &kind_assessment, &kind_incident, &kind_webhook,
                                          &kind_advisory,   &kind_inventory, &kind_risk,
                                          &kind_training,
                                          NULL};

int kind_name(const struct rb_kind *k, rb_db *db, const rb_actor *actor, const char *id,
              rb_arena *a, char **out)
{
    if (!k->name_sql)
        return RB_ENOTFOUND;
    rb_stmt *st = NULL;
    int rc = kind_query(k, db, actor, id, k->name_sql, DB_ARGS(DB_TEXT(id)), &st);
    if (rc)
        return rc;
    if ((rc = db_step(st)) == DB_ROW)
        *out = db_col_dup(st, 0, a);
    db_done(st);
    return rc == DB_ROW ? 0 : (rc < 0 ? rc : RB_ENOTFOUND);
}

const struct rb_kind *kind_find(const char *name)
{
    for (int i = 0; name && rb_kinds[i]; i++)
        if (strcmp(rb_kinds[i]->name, name) == 0)
            return rb_kinds[i];
    return NULL;
}

int kind_load(const struct rb_kind *k, rb_db *db, const rb_actor *actor, const char *id,
              struct kind_ref *out)
{
    memset(out, 0, sizeof(*out));
    if (!id || !rb_uuid_valid(id))
        return RB_ENOTFOUND;
    if (k->load)
        return k->load(db, actor, id, out);
    rb_stmt *st = NULL;
    int rc = db_query(db, k->load_sql, DB_ARGS(DB_TEXT(id)), &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, k);
    rc = db_step(st);
    if (rc == DB_ROW) {
        rb_strlcpy(out->owner_org, db_col_text(st, 0) ? db_col_text(st, 0) : "",
                   sizeof(out->owner_org));
        rb_strlcpy(out->owner_parent, db_col_text(st, 1) ? db_col_text(st, 1) : "",
                   sizeof(out->owner_parent));
        if (k->handled) {
            rb_strlcpy(out->handler, db_col_text(st, 2) ? db_col_text(st, 2) : "",
                       sizeof(out->handler));
            rb_strlcpy(out->subject, db_col_text(st, 3) ? db_col_text(st, 3) : "",
                       sizeof(out->subject));
        } else {
            memcpy(out->subject, out->owner_org, sizeof(out->subject));
        }
    }
    db_done(st);
    return rc == DB_ROW ? 0 : (rc < 0 ? rc : RB_ENOTFOUND);
}

int kind_get(const struct rb_kind *k, rb_db *db, const rb_actor *actor, const char *sql,
             const char *id, rb_arena *a, const struct rb_record *rec, void *out)
{
    if (!id || !rb_uuid_valid(id))
        return RB_ENOTFOUND;
    rb_stmt *st = NULL;
    int rc = db_query(db, sql, DB_ARGS(DB_TEXT(id)), &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, k);
    return db_one(st, a, rec, out);
}

int kind_page(const struct rb_kind *k, rb_db *db, const rb_actor *actor, const char *sql,
              const struct db_arg *args, size_t nargs, int limit, const struct rb_record *rec,
              rb_arena *a, void *rows, int *n, bool *more)
{
    rb_stmt *st = NULL;
    int rc = db_query(db, sql, args, nargs, &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, k);
    return db_page(st, limit, rec, a, rows, n, more);
}

int kind_page_newest(const struct rb_kind *k, rb_db *db, const rb_actor *actor, const char *sql,
                     const char *after_id, int limit, const struct rb_record *rec, rb_arena *a,
                     void *rows, int *n, bool *more)
{
    struct kind_ref cursor;
    if (after_id && kind_load(k, db, actor, after_id, &cursor))
        return RB_EINVAL;
    if (limit <= 0)
        limit = 50;
    return kind_page(k, db, actor, sql, DB_ARGS(DB_TEXT(after_id), DB_INT(limit + 1)), limit, rec,
                     a, rows, n, more);
}

int kind_query(const struct rb_kind *k, rb_db *db, const rb_actor *actor, const char *id,
               const char *sql, const struct db_arg *args, size_t nargs, rb_stmt **out)
{
    struct kind_ref ref;
    int rc = kind_load(k, db, actor, id, &ref);
    return rc ? rc : db_query(db, sql, args, nargs, out);
}

int kind_rows(const struct rb_kind *k, rb_db *db, const rb_actor *actor, const char *id,
              const char *sql, rb_arena *a, const struct rb_record *rec, void *rows, int *n)
{
    rb_stmt *st = NULL;
    int rc = kind_query(k, db, actor, id, sql, DB_ARGS(DB_TEXT(k->name), DB_TEXT(id)), &st);
    return rc ? rc : db_rows(st, rec, a, rows, n);
}
