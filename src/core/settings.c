/*
 * settings.c - the deployment's settings (core/settings.h).
 *
 * Must never: make up a value that changes from one call to the next.
 */
#include "base/common.h"
#include "core/settings.h"

int settings_namespace(rb_db *db, rb_arena *a, const char **out)
{
    rb_stmt *st = NULL;
    *out = NULL;
    int rc = db_prepare(db,
                        "SELECT coalesce((SELECT value FROM settings WHERE key = 'namespace'), "
                        "'urn:rabta:' || (SELECT id FROM orgs WHERE parent_id IS NULL))",
                        &st);
    if (rc)
        return rc;
    if ((rc = db_step(st)) == DB_ROW)
        *out = db_col_dup(st, 0, a);
    db_done(st);
    return rc < 0 ? rc : *out ? 0 : RB_ENOMEM;
}
