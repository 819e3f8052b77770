/*
 * write.c - beginning a write: the lock, then the credential again.
 *
 * Must never let a write proceed for a credential that ended while its request was in flight.
 */
#include "base/common.h"
#include "core/auth.h"
#include "core/write.h"

int write_begin(rb_db *db, const rb_actor *actor, rb_errinfo *ei)
{
    int rc = db_begin(db);
    if (rc)
        return rb_err(ei, rc, "", "cannot start a transaction; try again");
    rc = auth_recheck(db, actor);
    if (rc) {
        db_rollback(db);
        if (rc == RB_EAUTH)
            return rb_err(ei, RB_EAUTH, "",
                          "your sign-in ended while the request was on its way (the token was "
                          "revoked, the session ended or the account changed); sign in again");
        return rb_err(ei, rc, "", "cannot check your sign-in; try again");
    }
    return 0;
}
