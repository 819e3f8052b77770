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
#include "json/json.h"

const char *const rb_inbox_kind_names[] = {"triage",  "notice", "escalated", "due_soon",
                                           "overdue", "task",   "shared",    NULL};
const char *const rb_inbox_kind_labels[] = {"New incident to triage",
                                            "Notification from a CERT",
                                            "Escalated to you",
                                            "Due within the hour",
                                            "Overdue",
                                            "Task for you",
                                            "Shared with you",
                                            NULL};

int inbox_add(rb_write *w, const char *org_id, enum inbox_kind kind, const struct rb_kind *k,
              const char *object_id, const char *detail, const char *dedup, bool *added)
{
    if (added)
        *added = false;
    rb_stmt *st = NULL;
    int rc = db_prepare(w->db,
                        "INSERT INTO inbox(org_id, kind, object_kind, object_id, detail, dedup, "
                        "created_at) VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT (dedup) DO NOTHING",
                        &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, org_id);
    db_bind_text(st, 2, rb_inbox_kind_names[kind]);
    db_bind_text(st, 3, k->name);
    db_bind_text(st, 4, object_id);
    db_bind_text(st, 5, detail ? detail : "");
    db_bind_text(st, 6, dedup);
    db_bind_text(st, 7, w->now);
    if ((rc = db_run(st)))
        return rc;
    if (db_changes(w->db) == 0)
        return 0;
    int64_t seq = 0;
    if ((rc = db_prepare(w->db, "SELECT max(seq) FROM inbox", &st)) || (rc = db_int(st, &seq)))
        return rc;
    if (added)
        *added = true;
    return notify_queue(w, seq, org_id, kind, k, object_id, detail);
}

static void item_from_row(rb_stmt *st, rb_arena *a, void *row)
{
    rb_inbox_item *it = row;
    it->seq = db_col_int(st, 0);
    it->kind = db_col_dup(st, 1, a);
    it->object_kind = db_col_dup(st, 2, a);
    it->object_id = db_col_dup(st, 3, a);
    it->detail = db_col_dup(st, 4, a);
    it->created_at = db_col_dup(st, 5, a);
    it->read_at = db_col_dup(st, 6, a);
}

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
        int rc = db_prepare(db,
                            "SELECT i.seq, i.kind, i.object_kind, i.object_id, i.detail, "
                            "i.created_at, r.read_at FROM inbox i LEFT JOIN inbox_reads r ON "
                            "r.item_seq = i.seq AND r.user_id = ?2 WHERE i.org_id = ?1 AND i.seq "
                            "< ?3 AND (?4 = 0 OR r.read_at IS NULL) ORDER BY i.seq DESC LIMIT ?5",
                            &st);
        if (rc)
            return rc;
        db_bind_text(st, 1, actor->org.id);
        db_bind_text(st, 2, actor->user_id);
        db_bind_int(st, 3, cursor);
        db_bind_int(st, 4, unread_only ? 1 : 0);
        db_bind_int(st, 5, BATCH);
        rb_arena tmp;
        rb_arena_init(&tmp, 1 << 20);
        void *rows = NULL;
        int got = 0;
        if ((rc = db_rows(st, sizeof(rb_inbox_item), item_from_row, &tmp, &rows, &got))) {
            rb_arena_release(&tmp);
            return rc;
        }
        rb_inbox_item *batch = rows;
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
        rb_stmt *st = NULL;
        if ((rc = db_prepare(db,
                             "INSERT INTO inbox_reads(item_seq, user_id, read_at) SELECT seq, "
                             "?2, ?3 FROM inbox WHERE org_id = ?1 AND (?4 = 1 OR seq = ?5) ON "
                             "CONFLICT DO NOTHING",
                             &st)))
            break;
        db_bind_text(st, 1, actor->org.id);
        db_bind_text(st, 2, actor->user_id);
        db_bind_text(st, 3, w.now);
        db_bind_int(st, 4, all ? 1 : 0);
        db_bind_int(st, 5, all ? 0 : seqs[i]);
        if (!(rc = db_run(st)))
            total += db_changes(db);
    }
    rc = write_end(&w, rc, "inbox.read", &kind_user, actor->user_id, actor->org.id,
                   "cannot mark the items read");
    if (!rc && marked)
        *marked = (int)total;
    return rc;
}

void inbox_item_write_json(struct rj_writer *w, const rb_inbox_item *it)
{
    rjw_obj(w);
    rjw_kint(w, "seq", it->seq);
    rjw_kstr(w, "kind", it->kind);
    int k = -1;
    for (int i = 0; rb_inbox_kind_names[i]; i++)
        if (strcmp(rb_inbox_kind_names[i], it->kind) == 0)
            k = i;
    rjw_kstr(w, "label", k >= 0 ? rb_inbox_kind_labels[k] : it->kind);
    rjw_kstr(w, "object_kind", it->object_kind);
    rjw_kstr(w, "object_id", it->object_id);
    rjw_kstr(w, "object_name", it->object_name);
    rjw_kstr(w, "detail", it->detail);
    rjw_kstr(w, "created_at", it->created_at);
    rjw_kbool(w, "read", it->read_at != NULL);
    rjw_kstr(w, "read_at", it->read_at);
    rjw_obj_end(w);
}
