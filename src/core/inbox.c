/*
 * inbox.c - per-org inbox items and per-user reads.
 *
 * Must never show an item whose object its reader may not read (each is checked through its
 * kind, as dispatch checks a route's object), or add an item outside the write that causes it.
 */
#include "base/common.h"
#include "core/inbox.h"
#include "core/kind.h"
#include "core/notify.h"

const char *const rb_inbox_kind_names[] = {"triage",  "notice", "escalated", "due_soon",
                                           "overdue", "task",   "shared",    "acknowledge", NULL};
const char *const rb_inbox_kind_labels[] = {"New incident to triage",
                                            "Notification from a CERT",
                                            "Escalated to you",
                                            "Due within the hour",
                                            "Overdue",
                                            "Task for you",
                                            "Shared with you",
                                            "Advisory to acknowledge",
                                            NULL};

int inbox_add(rb_write *w, const char *org_id, enum inbox_kind kind, const struct rb_kind *k,
              const char *object_id, const char *detail, const char *dedup, bool *added)
{
    if (added)
        *added = false;
    int rc = db_exec(w->db,
                     "INSERT INTO inbox(org_id, kind, object_kind, object_id, detail, dedup, "
                     "created_at) VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT (dedup) DO NOTHING",
                     DB_ARGS(DB_TEXT(org_id), DB_TEXT(rb_inbox_kind_names[kind]),
                             DB_TEXT(k->name), DB_TEXT(object_id), DB_TEXT(detail ? detail : ""),
                             DB_TEXT(dedup), DB_TEXT(w->now)));
    if (rc || db_changes(w->db) == 0)
        return rc;
    int64_t seq = 0;
    if ((rc = db_query_int(w->db, "SELECT max(seq) FROM inbox", NULL, 0, &seq)))
        return rc;
    if (added)
        *added = true;
    return notify_queue(w, seq, org_id, kind, k, object_id, detail);
}

static const struct rb_member item_members[] = {
    RB_MEMBERS(rb_inbox_item, seq, kind),
    RB_MEMBER(rb_inbox_item, label, rb_text_later),
    RB_MEMBERS(rb_inbox_item, object_kind, object_id),
    RB_MEMBER(rb_inbox_item, object_name, rb_text_later),
    RB_MEMBERS(rb_inbox_item, detail, created_at),
    RB_MEMBER(rb_inbox_item, read, rb_bool_later),
    RB_MEMBERS(rb_inbox_item, read_at),
};
const struct rb_record inbox_item_record = RB_RECORD(rb_inbox_item, item_members);

/* Candidates are read in batches and each is kept only when its object is readable, until the
 * page is full: an item about an object the reader may no longer read is skipped, not shown. */
#define BATCH 100

static int scan(rb_db *db, const rb_actor *actor, bool unread_only, int64_t before, int want,
                bool names, rb_arena *a, rb_inbox_item *out, int *n, bool *more)
{
    *n = 0;
    *more = false;
    int64_t cursor = before > 0 ? before : INT64_MAX;
    for (;;) {
        rb_stmt *st = NULL;
        int rc = db_query(db,
                          "SELECT i.seq, i.kind, i.object_kind, i.object_id, i.detail, "
                          "i.created_at, r.read_at FROM inbox i LEFT JOIN inbox_reads r ON "
                          "r.item_seq = i.seq AND r.user_id = ?2 WHERE i.org_id = ?1 AND i.seq < "
                          "?3 AND (?4 = 0 OR r.read_at IS NULL) ORDER BY i.seq DESC LIMIT ?5",
                          DB_ARGS(DB_TEXT(actor->org.id), DB_TEXT(actor->user_id),
                                  DB_INT(cursor), DB_INT(unread_only ? 1 : 0), DB_INT(BATCH)),
                          &st);
        if (rc)
            return rc;
        rb_arena tmp;
        rb_arena_init(&tmp, 1 << 20);
        rb_inbox_item *batch = NULL;
        int got = 0;
        if ((rc = db_rows(st, &inbox_item_record, &tmp, &batch, &got))) {
            rb_arena_release(&tmp);
            return rc;
        }
        for (int i = 0; i < got; i++) {
            cursor = batch[i].seq;
            const struct rb_kind *k = kind_find(batch[i].object_kind);
            struct kind_ref ref;
            if (!k || kind_load(k, db, actor, batch[i].object_id, &ref))
                continue;
            if (*n == want) {
                *more = true;
                break;
            }
            rb_inbox_item *o = &out[(*n)++];
            *o = batch[i];
            if (a) {
                o->kind = rb_arena_strdup(a, batch[i].kind);
                o->object_kind = rb_arena_strdup(a, batch[i].object_kind);
                o->object_id = rb_arena_strdup(a, batch[i].object_id);
                o->detail = rb_arena_strdup(a, batch[i].detail);
                o->created_at = rb_arena_strdup(a, batch[i].created_at);
                o->read_at = batch[i].read_at ? rb_arena_strdup(a, batch[i].read_at) : NULL;
                o->read = o->read_at != NULL;
                int li = rb_name_index(rb_inbox_kind_names, o->kind);
                o->label = (char *)rb_inbox_kind_labels[li < 0 ? 0 : li];
                o->object_name = NULL;
                if (names)
                    kind_name(k, db, actor, o->object_id, a, &o->object_name);
            }
        }
        rb_arena_release(&tmp);
        if (*more || got < BATCH)
            return 0;
    }
}

int inbox_list(rb_db *db, const rb_actor *actor, bool unread_only, int64_t before, int limit,
               rb_arena *a, rb_inbox_item **out, int *n, bool *more)
{
    if (limit < 1 || limit > INBOX_PAGE_MAX)
        limit = 50;
    rb_inbox_item *rows = rb_arena_alloc(a, sizeof(*rows) * (size_t)limit);
    if (!rows)
        return RB_ENOMEM;
    int rc = scan(db, actor, unread_only, before, limit, true, a, rows, n, more);
    if (!rc)
        *out = rows;
    return rc;
}

int inbox_unread(rb_db *db, const rb_actor *actor, int *count)
{
    rb_inbox_item *buf = rb_malloc(sizeof(*buf) * INBOX_COUNT_MAX);
    if (!buf)
        return RB_ENOMEM;
    bool more = false;
    int rc = scan(db, actor, true, 0, INBOX_COUNT_MAX, false, NULL, buf, count, &more);
    rb_free(buf);
    return rc;
}

int inbox_mark_read(rb_db *db, const rb_actor *actor, const int64_t *seqs, int n, bool all,
                    int *marked, rb_errinfo *ei)
{
    if (marked)
        *marked = 0;
    rb_write w;
    int rc = write_begin(&w, db, actor, ei);
    if (rc)
        return rc;
    int64_t total = 0;
    for (int i = 0; !rc && i < (all ? 1 : n); i++) {
        rc = db_exec(db,
                     "INSERT INTO inbox_reads(item_seq, user_id, read_at) SELECT seq, ?2, ?3 FROM "
                     "inbox WHERE org_id = ?1 AND (?4 = 1 OR seq = ?5) ON CONFLICT DO NOTHING",
                     DB_ARGS(DB_TEXT(actor->org.id), DB_TEXT(actor->user_id), DB_TEXT(w.now),
                             DB_INT(all ? 1 : 0), DB_INT(all ? 0 : seqs[i])));
        if (!rc)
            total += db_changes(db);
    }
    rc = write_end(&w, rc, "inbox.read", &kind_user, actor->user_id, actor->org.id,
                   "cannot mark the items read");
    if (!rc && marked)
        *marked = (int)total;
    return rc;
}
