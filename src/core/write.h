/*
 * write.h - the one way a write begins in core.
 *
 * Every write of a signed-in actor starts with write_begin: it takes the database's write lock
 * (BEGIN IMMEDIATE) and then, inside that transaction, checks the actor's credential again
 * (auth_recheck). A request is authorised when its headers arrive, but a large body may take
 * minutes to stream: a token revoked, a session ended or an account disabled meanwhile stops the
 * write here, before anything is changed, and the caller answers 401.
 */
#ifndef RABTA_WRITE_H
#define RABTA_WRITE_H

#include "core/actor.h"
#include "db/db.h"

/* Begins the write. Returns 0 inside a transaction; RB_EAUTH (nothing begun, ei says to sign in
 * again) when the credential no longer holds; RB_EDB. */
int write_begin(rb_db *db, const rb_actor *actor, rb_errinfo *ei);

#endif
