/*
 * csaf_fetch.h - importing from a CSAF provider's directory distribution by URL (CSAF 2.0
 * §7.1.13 and §7.1.12): changes.csv (else index.txt) read through libcurl, then every document
 * whose current release date is newer than the last run's fetched and imported with
 * advisory_import (validated; a revision of one held already, or left as it is when its version
 * is the same).
 *
 * Where a run stopped (csaf_feeds.last_release) is written only when every entry was handled,
 * fetched and imported or refused; a network failure leaves it, so the next run tries the same
 * again. Entries are resolved against the directory URL; an entry that repeats the end of the
 * directory's own path (CISA writes "csaf_files/IT/white/2024/x.json" in the changes.csv of
 * .../csaf_files/IT/white/) is read as relative to the directory it names.
 *
 * Caps: ADVISORY_DOC_MAX per document, 16 MiB for changes.csv, 20,000 entries, 30 s per
 * request, http and https only, no redirects beyond three.
 */
#ifndef RABTA_CSAF_FETCH_H
#define RABTA_CSAF_FETCH_H

#include "core/actor.h"
#include "db/db.h"

struct csaf_fetch_stats {
    int listed;    /* entries in changes.csv / index.txt */
    int fetched;   /* newer than the last run: fetched */
    int created, revised, unchanged, refused;
    int failed; /* could not be fetched */
};

/* Imports what changed at url (the directory URL, ending in "/") as actor. progress (may be
 * NULL) is told done/total as documents are fetched; refused (may be NULL) is told each refusal
 * (the entry's URL and the reason). Returns 0 (the run happened: see st), RB_EINVAL (not an
 * http(s) URL), RB_EIO (changes.csv and index.txt could not be read; ei says why). */
int csaf_fetch_feed(rb_db *db, const rb_actor *actor, const char *url, int tlp,
                    void (*progress)(int done, int total),
                    void (*refused)(const char *url, const char *why), struct csaf_fetch_stats *st,
                    rb_errinfo *ei);

#endif
