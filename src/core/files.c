/*
 * files.c - the shared file store.
 *
 * Must never: serve a file to someone who may not read its object, keep a name that could break
 * a header or a path, or let parallel uploads pass a part's cap.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "core/files.h"
#include "core/kind.h"
#include "json/field.h"

#define MEDIA_TYPE_SIZE 100

/* A media type is type/subtype of token characters (parameters dropped), copied into out; else
 * NULL. */
static const char *media_type(const char *ct, char out[MEDIA_TYPE_SIZE])
{
    if (!ct || strlen(ct) >= MEDIA_TYPE_SIZE || !strchr(ct, '/'))
        return NULL;
    for (const char *p = ct; *p && *p != ';'; p++)
        if (!(((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') || (*p >= '0' && *p <= '9') ||
              strchr("/.+-_", *p)))
            return NULL;
    size_t n = strcspn(ct, ";");
    memcpy(out, ct, n);
    out[n] = '\0';
    return out;
}

/* The last path component of name, checked by the name rule; NULL after naming the problem. */
static const char *clean_name(const char *filename, rb_errinfo *ei)
{
    const char *base = filename ? filename : "";
    for (const char *p = base; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    if (!base[0]) {
        rb_err(ei, RB_EINVAL, "filename", "\"filename\" must name the file (e.g. report.pdf)");
        return NULL;
    }
    if (rb_field_checks(FIELD_NAME, "filename", base, ei))
        return NULL;
    if (strchr(base, '"')) {
        rb_err(ei, RB_EINVAL, "filename", "\"filename\" must not contain quotes");
        return NULL;
    }
    return base;
}

int files_add(rb_write *w, const struct rb_kind *k, const char *object_id, const char *part,
              int part_rank, const char *filename, const char *content_type, const void *data,
              size_t len, char out_id[RB_ID_SIZE])
{
    if (!k->files)
        return rb_err(w->ei, RB_EINTERNAL, "", "a %s has no files", k->name);
    if (len == 0)
        return rb_err(w->ei, RB_EINVAL, "", "the file is empty");
    if (len > k->file_max_bytes)
        return rb_err(w->ei, RB_ETOOBIG, "", "a file may be at most %zu bytes", k->file_max_bytes);
    const char *name = clean_name(filename, w->ei);
    if (!name)
        return RB_EINVAL;
    char ct_buf[MEDIA_TYPE_SIZE];
    const char *ct = media_type(content_type, ct_buf);
    char id[RB_ID_SIZE], sha[RB_SHA256_HEX_SIZE];
    rb_uuid_new(id);
    rb_sha256_hex(data, len, sha);
    /* Counted inside the write transaction, so parallel uploads cannot pass the cap. */
    int64_t count = 0;
    int rc =
        db_query_int(w->db,
                     "SELECT count(*) FROM files WHERE object_kind = ?1 AND object_id = ?2 AND "
                     "part IS ?3",
                     DB_ARGS(DB_TEXT(k->name), DB_TEXT(object_id), DB_TEXT(part)), &count);
    if (!rc && count >= k->files_per_part)
        rc = rb_err(w->ei, RB_ECONFLICT, part && k->file_part ? k->file_part : "",
                    "at most %d files may be attached here", k->files_per_part);
    if (!rc)
        rc = db_exec(w->db,
                     "INSERT INTO files(id, object_kind, object_id, part, part_rank, filename, "
                     "content_type, size, sha256, data, created_by, created_at, seq) VALUES "
                     "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,(SELECT coalesce(max(seq), 0) + 1 "
                     "FROM files))",
                     DB_ARGS(DB_TEXT(id), DB_TEXT(k->name), DB_TEXT(object_id), DB_TEXT(part),
                             DB_INT(part_rank), DB_TEXT(name),
                             DB_TEXT(ct ? ct : "application/octet-stream"), DB_INT((int64_t)len),
                             DB_TEXT(sha), DB_BLOB(data, len), DB_TEXT(w->actor->label),
                             DB_TEXT(w->now)));
    if (!rc)
        rb_strlcpy(out_id, id, RB_ID_SIZE);
    return rc;
}

/* The columns of file_members, in order. */
#define FILE_COLS "id, part, filename, content_type, sha256, created_by, created_at, size"

/* A file as the generic file routes show it (GET /api/v1/incidents/{id}/attachments); the part is
 * the kind's own business (assessments show theirs as control_id, http/list.c). */
static const struct rb_member file_members[] = {
    RB_MEMBERS(rb_file, id),
    RB_HIDDEN(rb_file, part, rb_text),
    RB_MEMBERS(rb_file, filename, content_type, sha256, created_by, created_at, size),
};
const struct rb_record file_record = RB_RECORD(rb_file, file_members);

int files_list(rb_db *db, const rb_actor *actor, const struct rb_kind *k, const char *object_id,
               rb_arena *a, rb_file **out, int *n)
{
    return kind_rows(k, db, actor, object_id,
                     "SELECT " FILE_COLS " FROM files WHERE object_kind = ?1 AND object_id = ?2 "
                     "ORDER BY part_rank, seq",
                     a, &file_record, out, n);
}

int files_get(rb_db *db, const rb_actor *actor, const struct rb_kind *k, const char *object_id,
              const char *file_id, rb_arena *a, rb_file *meta, const void **data)
{
    if (!file_id || !rb_uuid_valid(file_id))
        return RB_ENOTFOUND;
    rb_stmt *st = NULL;
    int rc = kind_query(k, db, actor, object_id,
                        "SELECT " FILE_COLS ", data FROM files WHERE object_kind = ?1 AND "
                        "object_id = ?2 AND id = ?3",
                        DB_ARGS(DB_TEXT(k->name), DB_TEXT(object_id), DB_TEXT(file_id)), &st);
    if (rc)
        return rc;
    rc = db_step(st);
    if (rc == DB_ROW) {
        db_fill(st, a, &file_record, meta);
        size_t len = 0;
        const void *p = db_col_blob(st, 8, &len);
        void *copy = rb_arena_alloc(a, len + 1);
        if (copy && p)
            memcpy(copy, p, len);
        *data = copy;
        meta->size = (int64_t)len;
        if (!copy)
            rc = RB_ENOMEM;
    }
    db_done(st);
    return rc == DB_ROW ? 0 : (rc < 0 ? rc : RB_ENOTFOUND);
}
