/*
 * actor.h - who is acting: the user, their role, their org, and where that org sits in the tree.
 *
 * An rb_actor is built once per request (by core/auth from a session or token) or by the CLI (the
 * local operator, `system`), and passed to every core function. It carries the org's ancestors so
 * the sharing policy can decide without touching the database.
 */
#ifndef RABTA_ACTOR_H
#define RABTA_ACTOR_H

#include <stdbool.h>

#include "base/common.h"
#include "base/record.h"

/* The tree is shallow (national -> provincial -> ... -> institution); deeper is refused. */
#define RB_MAX_DEPTH 8

enum rb_role { ROLE_ADMIN = 0, ROLE_ANALYST, ROLE_REPORTER, ROLE_VIEWER, ROLE_AUDITOR, ROLE__COUNT };

enum rb_org_kind {
    KIND_NATIONAL_CERT = 0,
    KIND_PROVINCIAL_CERT,
    KIND_SECTORAL_CERT,
    KIND_GOVERNMENT_CERT,
    KIND_CII_CERT,
    KIND_INSTITUTION,
    KIND__COUNT
};

/* NULL-terminated names, indexed by the enums above, and the member types that read and write the
 * enums by those names (base/record.h). */
extern const char *const rb_role_names[];
extern const char *const rb_org_kind_names[];
extern const struct rb_mtype rb_role_mtype, rb_org_kind_mtype;

/* Parses a name into an enum value. Returns 0 or RB_EINVAL. */
int rb_role_parse(const char *s, enum rb_role *out);
int rb_org_kind_parse(const char *s, enum rb_org_kind *out);
/* True for every kind but institution: CERTs may have children. */
bool rb_org_kind_is_cert(enum rb_org_kind k);

/* An org with its place in the tree: ancestors from the root down, excluding the org itself. */
typedef struct rb_orgref {
    char id[RB_ID_SIZE];
    enum rb_org_kind kind;
    int nanc;
    char ancestors[RB_MAX_DEPTH][RB_ID_SIZE];
} rb_orgref;

/* How the actor proved who they are, so a write can check it again at commit (core/write). */
enum rb_cred { CRED_NONE = 0, CRED_SESSION, CRED_TOKEN };

typedef struct rb_actor {
    bool system;              /* the local operator at the CLI: every permission, everywhere */
    enum rb_cred cred;        /* CRED_NONE for the local operator and anonymous callers */
    char cred_hash[65];       /* SHA-256 of the session id or token, as stored */
    char user_id[RB_ID_SIZE]; /* "" for system */
    char email[256];
    char name[128];
    enum rb_role role;
    rb_orgref org;            /* the user's org; for system, the national root */
    char label[300];          /* how the audit trail names the actor: "email" or "cli" */
} rb_actor;

/* Fills a system actor acting at `root` (may be NULL before the root exists). */
void rb_actor_system(rb_actor *a, const rb_orgref *root);

#endif
