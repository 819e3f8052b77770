/*
 * demo_risks.c - the risk registers of the demo: every institution and every provincial CERT
 * keeps two to five risks, picked from the risks public institutions here actually carry (in
 * rabta's own words), scored on the default 5x5 matrix and linked to the national baseline's
 * controls, each recorded by the org's focal person through risk_create.
 *
 * What the registers show: risks being treated (in progress, done, with the residual score
 * lowered), open ones whose treatment is overdue, reviews that are overdue, risks the org's admin
 * accepted with a reason, a few closed; the CII operators share their critical risks with the
 * National CERT (scope org), so the national heat map names some titles and not others. The same
 * tables give the same registers every time (demo_mix of the org and the risk); dates are counted
 * from the day the demo is made.
 *
 * Must never write around the core functions: every grant, history event and audit entry is the
 * one the API would have made.
 */
#include "base/common.h"
#include "base/rtime.h"
#include "core/auth.h"
#include "core/demo.h"
#include "core/demo_content.h"
#include "core/demo_int.h"
#include "core/kind.h"
#include "core/org.h"
#include "core/risk.h"
#include "core/share.h"
#include "core/user.h"

#define DAY 86400

struct demo_risk {
    const char *title, *category, *description;
    int likelihood, impact;
    const char *controls[4];
};

/* The risks, in content/demo/risks.json: one object each, its members those of struct demo_risk
 * (controls: at most three). */
#define M(m, kind) DC_MEMBER(struct demo_risk, m, kind)
static const struct dc_member risk_members[] = {
    M(title, DC_TEXT),      M(category, DC_TEXT), M(description, DC_TEXT),
    M(likelihood, DC_INT),  M(impact, DC_INT),    M(controls, DC_TEXTS),
};
#undef M
static const struct dc_table risk_table = DC_TABLE(struct demo_risk, risk_members);

static const struct demo_org *org_by_slug(const struct demo_org *orgs, int norgs, const char *slug)
{
    for (int i = 0; i < norgs; i++)
        if (strcmp(orgs[i].slug, slug) == 0)
            return &orgs[i];
    return NULL;
}

/* The actor of role at the demo org slug (its account is role@slug). */
static int actor_of(rb_db *db, const char *role, const char *slug, rb_arena *a, rb_actor *out)
{
    char email[256];
    rb_user u;
    demo_email(role, slug, email);
    int rc = user_find_email(db, email, a, &u);
    return rc ? rc : auth_load_actor(db, u.id, out);
}

static int clamp(int v)
{
    return v < 1 ? 1 : (v > 5 ? 5 : v);
}

/* "YYYY-MM-DD", days from now. */
static void day_from_now(int days, char out[RB_TIME_SIZE])
{
    rb_time_format(rb_now() + (int64_t)days * DAY, out);
    out[10] = '\0';
}

/* One risk of org o: picked, scored and moved along by its hash. */
static int seed_one(rb_db *db, const struct demo_org *o, const struct demo_risk *r,
                    const rb_actor *rep, const rb_actor *adm, const char *root_id, bool cii,
                    rb_errinfo *ei)
{
    uint32_t h = demo_mix(o->slug, r->title, 31);
    struct risk_input in;
    risk_input_init(&in);
    in.title = r->title;
    in.category = r->category;
    in.description = r->description;
    in.likelihood = clamp(r->likelihood + (int)(h % 3) - 1);
    in.impact = clamp(r->impact + (int)((h >> 3) % 3) - 1);
    in.control_ids = (const char **)r->controls;
    while (in.ncontrols < 4 && r->controls[in.ncontrols])
        in.ncontrols++;
    in.controls_given = in.ncontrols > 0;
    static const char *const owners[] = {"IT manager", "Director administration", "Focal person",
                                         "Network administrator", "Head of finance"};
    in.owner = owners[(h >> 5) % RB_ARRAY_LEN(owners)];
    uint32_t fate = (h >> 8) % 20; /* 0-3 done, 4-6 in progress, 7-8 accepted, 9 closed */
    char due[RB_TIME_SIZE], review[RB_TIME_SIZE];
    /* Due dates from 45 days ago to 4 months ahead: about a third of the open ones are late. */
    day_from_now((int)((h >> 13) % 165) - 45, due);
    in.due_date = due;
    if ((h >> 21) % 8 == 0) { /* a review that is overdue */
        day_from_now(-(int)((h >> 11) % 60) - 1, review);
        in.review_date = review;
    }
    if (fate <= 6) { /* treated, or being treated: the residual is lower */
        in.residual_likelihood = clamp(in.likelihood - 1 - (int)((h >> 17) % 2));
        in.residual_impact = in.impact - ((h >> 19) % 3 == 0 && in.impact > 1 ? 1 : 0);
    }
    if ((h >> 23) % 4 == 0)
        in.treatment = (h >> 25) % 2 ? RTREAT_TRANSFER : RTREAT_AVOID;
    char id[RB_ID_SIZE];
    int rc = risk_create(db, rep, &in, id, ei);
    if (rc)
        return rc;
    struct risk_input ch;
    risk_input_init(&ch);
    if (fate <= 3)
        ch.status = RSTATUS_DONE;
    else if (fate <= 6)
        ch.status = RSTATUS_IN_PROGRESS;
    else if (fate == 9)
        ch.status = RSTATUS_CLOSED;
    if (ch.status >= 0) {
        ch.comment = fate <= 3   ? "Treatment completed and checked by the focal person."
                     : fate <= 6 ? "Work has started; the vendor is engaged."
                                 : "No longer applies: the system was retired.";
        rc = risk_update(db, rep, id, &ch, ei);
    }
    if (!rc && (fate == 7 || fate == 8)) {
        char until[RB_TIME_SIZE];
        day_from_now(180, until);
        rc = risk_accept(db, adm, id,
                         "The cost of treating it now exceeds the harm it could do; accepted "
                         "until the new system is in place, and reviewed then.",
                         until, ei);
    }
    /* A CII operator tells the National CERT of its critical risks. */
    if (!rc && cii && in.likelihood * in.impact >= 15 && fate != 9) {
        rb_arena sa;
        rb_arena_init(&sa, 1 << 20);
        rc = share_add(db, adm, &sa, &kind_risk, id, root_id, SCOPE_ORG, ei);
        rb_arena_release(&sa);
    }
    return rc;
}

int demo_seed_risks(rb_db *db, const struct demo_org *orgs, int norgs, int *created, rb_errinfo *ei)
{
    const struct demo_org *root = org_by_slug(orgs, norgs, "ncert");
    if (!root)
        return rb_err(ei, RB_EINTERNAL, "", "the demo has no National CERT");
    rb_arena a;
    rb_arena_init(&a, 1 << 20);
    const struct demo_risk *risks = NULL;
    int nrisks = 0;
    int rc = dc_read(DC_FILE(risks), &risk_table, &a, &risks, &nrisks, ei);
    if (!rc && nrisks == 0)
        rc = rb_err(ei, RB_EINVAL, "", "content/demo/risks.json holds no risk");
    if (rc) {
        rb_arena_release(&a);
        return rc;
    }
    /* Some hundreds of small writes: synced once at the end (db_batch), not one by one. */
    int n = 0;
    rc = db_batch(db, true);
    for (int i = 0; !rc && i < norgs; i++) {
        const struct demo_org *o = &orgs[i];
        if (o == root)
            continue;
        rb_actor rep, adm;
        if ((rc = actor_of(db, "reporter", o->slug, &a, &rep)) ||
            (rc = actor_of(db, "admin", o->slug, &a, &adm)))
            break;
        /* CII operators: the institutions the demo made with a CII grade. */
        rb_org org;
        if ((rc = org_get(db, &adm, o->id, &a, &org)))
            break;
        bool cert = rb_org_kind_is_cert(org.kind);
        int count = 2 + (int)(demo_mix(o->slug, "risks", 5) % (cert ? 2 : 4));
        int first = (int)(demo_mix(o->slug, "first", 9) % nrisks);
        int step = 1 + (int)(demo_mix(o->slug, "step", 13) % 4);
        for (int k = 0; !rc && k < count; k++) {
            const struct demo_risk *r = &risks[(first + k * step) % nrisks];
            /* The control system risk is for the CII operators. */
            if (strcmp(r->category, "technical") == 0 && r->controls[2] &&
                strcmp(r->controls[2], "cii-1") == 0 && !org.cii)
                r = &risks[(first + k * step + 1) % nrisks];
            if (!(rc = seed_one(db, o, r, &rep, &adm, root->id, org.cii, ei)))
                n++;
        }
    }
    int off = db_batch(db, false);
    rc = rc ? rc : off;
    rb_arena_release(&a);
    if (!rc && created)
        *created = n;
    return rc;
}
