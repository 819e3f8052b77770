/*
 * files.h - files attached to objects: evidence, incident attachments, advisory documents,
 * training materials. One store for every kind.
 *
 * Owns the files table, keyed by (object kind, object id) and an optional part of the object (an
 * assessment's control, for example) with its rank for ordering. Each file is kept in the
 * database with its media type, size and SHA-256, under the caps of its kind's row (core/kind.h:
 * file_max_bytes per file, files_per_part per part, counted inside the write so parallel uploads
 * cannot pass it). A file is readable exactly by the readers of its object: every read goes
 * through the object's kind (RB_ENOTFOUND otherwise). Files are only ever served as downloads
 * (http sets Content-Disposition: attachment); names keep only their last path component and obey
 * the name field rule, without quotes.
 */
#ifndef RABTA_FILES_H
#define RABTA_FILES_H

#include <stdint.h>

#include "base/mem.h"
#include "core/actor.h"
#include "core/write.h"
#include "db/db.h"

struct rb_kind;

typedef struct rb_file {
    char *id, *part, *filename, *content_type, *sha256, *created_by, *created_at;
    int64_t size;
} rb_file;

/* A file's metadata as the API shows it: id, filename, content_type, sha256, created_by,
 * created_at, size (rjw_record). */
extern const struct rb_record file_record;

/* Adds a file to (k, object_id) inside w: the caller has checked that the actor may add it. The
 * name is cut to its last path component; an unusable media type is stored as
 * application/octet-stream. Errors (ei names the field): RB_EINVAL (empty file, bad name),
 * RB_ETOOBIG (over the kind's file_max_bytes), RB_ECONFLICT (the part holds files_per_part files
 * already), RB_EINTERNAL (k's row has no files). out_id is set on success only. */
int files_add(rb_write *w, const struct rb_kind *k, const char *object_id, const char *part,
              int part_rank, const char *filename, const char *content_type, const void *data,
              size_t len, char out_id[RB_ID_SIZE]);

/* The files of a readable object, by part rank then upload order. Rows live in the arena. */
int files_list(rb_db *db, const rb_actor *actor, const struct rb_kind *k, const char *object_id,
               rb_arena *a, rb_file **out, int *n);

/* One file of a readable object with its bytes (copied into the arena). RB_ENOTFOUND when the
 * object is not readable or holds no such file. */
int files_get(rb_db *db, const rb_actor *actor, const struct rb_kind *k, const char *object_id,
              const char *file_id, rb_arena *a, rb_file *meta, const void **data);

#endif
