/*
 * kind.h - the kinds of object rabta holds, one table row each.
 *
 * Adding an object kind: 7 things to do.
 *
 *  1. A migration (src/db/migrations/NNNN_<kind>.sql) with its table. A shareable kind has the
 *     columns id (UUID), owner_org and tlp; its grants live in the shared grants table.
 *  2. A row below (kind_<name> in kind.c): its name as stored in grants.object_kind and
 *     audit_log.object_kind, its table, whether it is shareable and public, its default TLP (what
 *     the create paths store), the grants made when one is created, whether it has a history and
 *     files (history_add and files_add refuse a kind without), and load_sql (the SELECT that
 *     reads owner_org and the owner's parent through the sharing policy) or a load function for
 *     kinds that are not shareable. tests/unit/test_audit.c checks the row against the schema.
 *  3. Its module, src/core/<name>.{h,c}: create, get, list and every write through core/write
 *     (one transaction with its history event and its audit entry), reads through
 *     POLICY_SQL_READABLE bound with policy_bind_actor(st, actor, &kind_<name>).
 *  4. Its routes in src/http/routes.txt, each naming the kind of its {id}, the permission and who
 *     may call it: dispatch loads {id} through kind_load (404 when the caller may not read it) and
 *     checks the permission (403) before the handler runs.
 *  5. Its rows in src/http/view.c (one object, and writes answered by it) and src/http/list.c
 *     (lists); a handler file src/http/h_<name>s.c only for what fits no row (downloads, CSV).
 *  6. Its lines in docs/api.md (tests/api/test_docs.py checks them against the route table).
 *  7. Tests: tests/api/test_authz_matrix.py covers every route of the kind by itself (it fails
 *     until the kind has a fixture there); add the story tests in tests/api/test_<name>s.py.
 */
#ifndef RABTA_KIND_H
#define RABTA_KIND_H

#include <stdbool.h>

#include "core/actor.h"
#include "db/db.h"
#include "formats/tlp.h"

struct rb_write; /* core/write.h: only the touch callback takes one */

/* Grants a kind gets when an object is created (core/share). */
enum kind_grants {
    KGRANT_NONE = 0,
    KGRANT_OWNER_SUBTREE = 1, /* the owner's subtree (scope subtree) */
    KGRANT_PARENT = 2,        /* the owner's parent CERT (scope org) */
    KGRANT_ANCESTORS = 4,     /* every CERT above the owner (scope org) */
};

/* What dispatch learns about an object it may read: who owns it and that org's parent, and for
 * kinds that are handled by an org on behalf of another (incidents), who handles it and the org it
 * is about. */
struct kind_ref {
    char owner_org[RB_ID_SIZE];
    char owner_parent[RB_ID_SIZE]; /* "" for the root */
    char handler[RB_ID_SIZE];      /* "" when the kind has no handler */
    char subject[RB_ID_SIZE];      /* the org it is about; the owner when the kind has none */
};

struct rb_kind {
    const char *name;  /* "assessment": grants.object_kind, audit_log.object_kind */
    const char *table; /* "assessments" (checked against the schema by tests/unit/test_audit.c) */
    bool shareable;    /* owner_org, tlp, grants: the sharing policy decides every read */
    bool public_kind;  /* TLP:CLEAR objects may be read without signing in */
    enum rb_tlp default_tlp;
    unsigned grants; /* enum kind_grants made at creation */
    bool history;    /* has a timeline (core/history) */
    bool files;      /* has attachments (core/files) */
    size_t file_max_bytes; /* files: the most bytes one file may have */
    int files_per_part;    /* files: the most files one part of the object may hold */
    const char *file_part; /* files: what a part is called in the API ("control_id"), or NULL */
    /* Shareable kinds: selects (owner_org, owner's parent_id) of ?1 when the actor may read it
     * (POLICY_SQL_READABLE, bound by policy_bind_actor). */
    const char *load_sql;
    bool handled; /* load_sql also selects the handling org and the org the object is about */
    /* Shareable kinds: selects (owner_org, tlp) of ?1 with no policy check (core/share reads it
     * after kind_load), and sets the tlp of ?1 to ?2. */
    const char *tlp_sql, *set_tlp_sql;
    unsigned tlp_allowed; /* bit (1 << level) for each TLP an object of the kind may have */
    /* What reaches as far as an object of this kind and follows its grants and TLP (a catalog's
     * profiles): the kind, and the SELECT of their ids for ?1. */
    const struct rb_kind *follower;
    const char *followers_sql;
    /* How the kind's objects are named for people (audit trail, inboxes): the SELECT of the name
     * of ?1, run once the reader may read it. */
    const char *name_sql;
    /* Called inside every write of core/share that changes the object's grants or TLP, for
     * kinds that keep something derived from them (the incident index); NULL: none. */
    int (*touch)(struct rb_write *w, const char *id);
    /* After a change of the object's TLP, inside the write: refuses it (ei names the field "tlp")
     * when what other objects show of it would reach orgs that may no longer read it (a
     * catalog's text through campaigns); NULL: nothing to check. */
    int (*check_reach)(struct rb_write *w, const char *id, rb_errinfo *ei);
    /* Other kinds: their own rule (orgs: own, ancestors, subtree; users; tokens: one's own). */
    int (*load)(rb_db *db, const rb_actor *actor, const char *id, struct kind_ref *out);
};

/* A kind's name where SQL is built at compile time and cannot bind it (a second kind's policy
 * inside one statement): the row uses the same macro, so the name is written once. */
#define KIND_NAME_ASSESSMENT "assessment"
#define KIND_SQL_ASSESSMENT "'" KIND_NAME_ASSESSMENT "'"

extern const struct rb_kind kind_org, kind_user, kind_token, kind_catalog, kind_profile,
    kind_campaign, kind_assessment, kind_incident, kind_webhook, kind_advisory;
extern const struct rb_kind kind_inventory;
extern const struct rb_kind kind_training;
extern const struct rb_kind kind_risk;
/* Every kind, NULL-terminated. */
extern const struct rb_kind *const rb_kinds[];

/* Reads id of kind k for actor. Returns 0 and *out, RB_ENOTFOUND when there is none or the actor
 * may not read it (the two are never told apart), or RB_EDB. */
int kind_load(const struct rb_kind *k, rb_db *db, const rb_actor *actor, const char *id,
              struct kind_ref *out);
/* Reads the object id of kind k into out, a struct of rec, when the actor may read it: sql
 * selects rec's columns of the object (aliased o) WHERE o.id = ?1 AND POLICY_SQL_READABLE. Texts
 * live in the arena. Returns 0, RB_ENOTFOUND when id is not a UUID, there is no such object or the
 * actor may not read it (the three are never told apart), or RB_EDB. */
int kind_get(const struct rb_kind *k, rb_db *db, const rb_actor *actor, const char *sql,
             const char *id, rb_arena *a, const struct rb_record *rec, void *out);

/* One page of the objects of kind k the actor may read (db_page): sql selects rec's columns WHERE
 * POLICY_SQL_READABLE and what args (bound to ?1..?n) narrow, ending in LIMIT ?n with limit + 1
 * as the last of args; rows as db_page's (a T **). Returns 0 with *rows, *n and *more, or the
 * step's error. */
int kind_page(const struct rb_kind *k, rb_db *db, const rb_actor *actor, const char *sql,
              const struct db_arg *args, size_t nargs, int limit, const struct rb_record *rec,
              rb_arena *a, void *rows, int *n, bool *more);

/* A read of what belongs to the object id of kind k, when the actor may read the object: kind_load,
 * then sql prepared with args (db_query). Returns 0 with *out ready to step, RB_ENOTFOUND (as
 * kind_load) or RB_EDB. */
int kind_query(const struct rb_kind *k, rb_db *db, const rb_actor *actor, const char *id,
               const char *sql, const struct db_arg *args, size_t nargs, rb_stmt **out);

/* What belongs to the object id of kind k (its grants, its files: rows of rec's struct, all at
 * once, into *rows as db_rows's), when the actor may read the object: sql selects rec's columns
 * for ?1 = k->name and ?2 = id. Returns 0, RB_ENOTFOUND (as kind_load), RB_ENOMEM or RB_EDB. */
int kind_rows(const struct rb_kind *k, rb_db *db, const rb_actor *actor, const char *id,
              const char *sql, rb_arena *a, const struct rb_record *rec, void *rows, int *n);

/* The cursor of a list of kind k newest first, in SQL over objects aliased o from TABLE: objects
 * older than ?1 (created_at, then id, both descending), or every one when ?1 is NULL. */
#define KIND_OLDER_THAN(TABLE)                                                                     \
    "(?1 IS NULL OR o.created_at < (SELECT created_at FROM " TABLE " WHERE id = ?1) OR "          \
    "(o.created_at = (SELECT created_at FROM " TABLE " WHERE id = ?1) AND o.id < ?1))"

/* One page (limit; 50 when 0 or less) of kind_page, newest first after the object after_id:
 * sql selects rec's columns WHERE POLICY_SQL_READABLE AND KIND_OLDER_THAN(...) ORDER BY
 * o.created_at DESC, o.id DESC LIMIT ?2. Returns RB_EINVAL when after_id is not an object the
 * actor may read, else as kind_page. */
int kind_page_newest(const struct rb_kind *k, rb_db *db, const rb_actor *actor, const char *sql,
                     const char *after_id, int limit, const struct rb_record *rec, rb_arena *a,
                     void *rows, int *n, bool *more);

/* The name of id for people ("Punjab Health Services Directorate", a catalog's title), when the
 * actor may read it. Returns 0 and *out (in the arena), RB_ENOTFOUND, or RB_EDB. */
int kind_name(const struct rb_kind *k, rb_db *db, const rb_actor *actor, const char *id,
              rb_arena *a, char **out);

/* The row named name, or NULL. */
const struct rb_kind *kind_find(const char *name);

#endif
