/* actor.c - role and org-kind names. */
#include "base/common.h"
#include "core/actor.h"

const char *const rb_role_names[] = {"admin", "analyst", "reporter", "viewer", "auditor", NULL};
const char *const rb_org_kind_names[] = {"national_cert",   "provincial_cert", "sectoral_cert",
                                         "government_cert", "cii_cert",        "institution",
                                         NULL};
/* A stored name that is none of these (the schema's CHECKs allow none) reads as the least. */
const struct rb_mtype rb_role_mtype = {.kind = RB_MT_ENUM,
                                       .size = sizeof(enum rb_role),
                                       .names = rb_role_names,
                                       .fallback = ROLE_VIEWER};
const struct rb_mtype rb_org_kind_mtype = {.kind = RB_MT_ENUM,
                                           .size = sizeof(enum rb_org_kind),
                                           .names = rb_org_kind_names,
                                           .fallback = KIND_INSTITUTION};

static int parse_name(const char *const *names, const char *s, int *out)
{
    int i = rb_name_index(names, s);
    if (i < 0)
        return RB_EINVAL;
    *out = i;
    return 0;
}

int rb_role_parse(const char *s, enum rb_role *out)
{
    int v;
    int rc = parse_name(rb_role_names, s, &v);
    if (!rc)
        *out = (enum rb_role)v;
    return rc;
}

int rb_org_kind_parse(const char *s, enum rb_org_kind *out)
{
    int v;
    int rc = parse_name(rb_org_kind_names, s, &v);
    if (!rc)
        *out = (enum rb_org_kind)v;
    return rc;
}

bool rb_org_kind_is_cert(enum rb_org_kind k)
{
    return k != KIND_INSTITUTION;
}

void rb_actor_system(rb_actor *a, const rb_orgref *root)
{
    memset(a, 0, sizeof(*a));
    a->system = true;
    a->role = ROLE_ADMIN;
    rb_strlcpy(a->label, "cli", sizeof(a->label));
    rb_strlcpy(a->name, "local operator", sizeof(a->name));
    if (root)
        a->org = *root;
}
