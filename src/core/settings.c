/*
 * settings.c - the deployment's settings (core/settings.h).
 *
 * Must never: make up a value that changes from one call to the next.
 */
#include "base/common.h"
#include "core/settings.h"

int settings_namespace(rb_db *db, rb_arena *a, const char **out)
{
    char *ns = NULL;
    int rc = db_query_text(db,
                           "SELECT coalesce((SELECT value FROM settings WHERE key = 'namespace'), "
                           "'urn:rabta:' || (SELECT id FROM orgs WHERE parent_id IS NULL))",
                           NULL, 0, a, &ns);
    *out = ns;
    return rc ? rc : ns ? 0 : RB_ENOMEM;
}
