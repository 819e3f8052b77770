/*
 * list.h - the one list handler: every GET that answers {"items": [...], "next_cursor": ...} is a
 * row here, and h_list (router.h) answers the row its route names: every outcome, the page, a 4xx
 * or a 5xx, is an answer set on the request.
 *
 * Adding a list: in list.c, write what the row needs (a `list` function that calls core, the
 * record its rows are shown as, and where the list has query filters a `read` for them) and define
 * `const struct list_def list_x` (its paging and filter members most often LIST_BY_ID or
 * LIST_BY_NUMBER and LIST_FILTER below); a list whose rows are one call of core is one LIST_DEF
 * below, which does both. Declare it below, and name it in its route's line of routes.txt.
 *
 * h_list does, in this order: ?limit= and ?cursor= (req_page, and a number cursor's range; lists
 * with pages only), zeroed room for the filter, the row's `read` (which answers its own 422s),
 * `list`, the failure mapping (see the members), then the items and the next cursor. Handlers
 * hold no SQL: `list` only calls core.
 */
#ifndef RABTA_LIST_H
#define RABTA_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/request.h"

/* How a list is paged. */
enum list_pages {
    LIST_ONE_PAGE = 0, /* every row at once: ?limit= and ?cursor= are ignored, next_cursor null */
    /* The cursor is the last row's id (its `char *id`, at id_at) and core checks it: core's
     * RB_EINVAL means "the cursor is stale or not of this list". Set by LIST_BY_ID. */
    LIST_PAGES_BY_ID,
    /* The cursor is a number, a member of the last row (number_at, number_size): h_list reads it
     * into q->after (from after_min to after_max, else a 422 naming the cursor) and writes the
     * next one. Core's RB_EINVAL is answered like any other error. Set by LIST_BY_NUMBER. */
    LIST_PAGES_BY_NUMBER,
};

/* What a list is asked for: the page, and the list's own filter. */
struct list_query {
    int limit;          /* ?limit= (1..500, default 50); 0 for LIST_ONE_PAGE */
    const char *cursor; /* ?cursor= as sent, or NULL */
    int64_t after;      /* LIST_PAGES_BY_NUMBER: the cursor as a number; -1 when there is none */
    void *filter;       /* filter_size zeroed bytes in the request arena, or NULL */
};

struct list_def {
    enum list_pages pages;
    int64_t after_min, after_max; /* LIST_PAGES_BY_NUMBER: the cursors a caller may send */
    size_t number_at, number_size; /* LIST_PAGES_BY_NUMBER: the row's number (int or int64_t) */
    size_t id_at;                  /* LIST_PAGES_BY_ID: where the row's `char *id` is */
    size_t filter_size; /* of the list's filter struct; 0 when it has none (set by LIST_FILTER) */
    /* Reads the list's filters from the query into q->filter and checks them. Returns false with
     * the error answer already set. NULL: no filters. */
    bool (*read)(rb_req *r, struct list_query *q);
    /* Calls core. Sets *rows to *n rows of the record's struct in r->arena, and *more when
     * another page follows. Returns core's error code. */
    int (*list)(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more);
    /* How one row is shown: core's record of its struct (rjw_record). */
    const struct rb_record *record;
    /* The 403 message when core answers RB_EPERM; NULL: req_fail's. */
    const char *refused;
};

/* The members of a list_def paged by the number `member` of its rows' struct `type` (an int or an
 * int64_t, else the build fails), a caller's cursor running from lo to hi. */
#define LIST_BY_NUMBER(type, member, lo, hi)                                                       \
    .pages = LIST_PAGES_BY_NUMBER, .after_min = (lo), .after_max = (hi),                           \
    .number_at = offsetof(type, member),                                                           \
    .number_size = _Generic(((type *)0)->member, int: sizeof(int), int64_t: sizeof(int64_t))

/* The members of a list_def paged by the `char *id` of its rows' struct `type` (else the build
 * fails). */
#define LIST_BY_ID(type)                                                                           \
    .pages = LIST_PAGES_BY_ID, .id_at = _Generic(((type *)0)->id, char *: offsetof(type, id))

/* The members of a list_def with query filters: room for a `type` (q->filter) that `fn`, the
 * list's `read`, fills. */
#define LIST_FILTER(type, fn) .filter_size = sizeof(type), .read = (fn)

/* Fails the build unless `type` begins with `char *id`, as list_pick reads its rows. */
#define LIST_ID_FIRST(type)                                                                        \
    _Static_assert(offsetof(type, id) == 0 && _Generic(((type *)0)->id, char *: 1, default: 0),   \
                   #type " must begin with char *id to be picked")

/*
 * LIST_ROWS(name, type, call) defines the `list` function `name` of a list whose rows are what one
 * call of core gives: `call`, written with the list function's parameters (r, q, n, more) and
 * `&out`, the `type *` core sets to the rows in r->arena. It hands out to h_list and returns call's
 * error code. A list that does more than that one call (audit names its entries' objects) writes
 * its own function.
 *
 * LIST_DEF(name, type, call, members...) defines the list `name` whose rows LIST_ROWS(name_rows,
 * type, call) gives: `const struct list_def name` with that `list` and the other members as
 * written (.record, most often the paging and filter members above, .refused).
 */
#define LIST_ROWS(name, type, call)                                                                \
    static int name(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)        \
    {                                                                                              \
        (void)q;                                                                                   \
        (void)more;                                                                                \
        type *out = NULL;                                                                          \
        int rc = call;                                                                             \
        *rows = out;                                                                               \
        return rc;                                                                                 \
    }

#define LIST_DEF(name, type, call, ...)                                                            \
    LIST_ROWS(name##_rows, type, call)                                                             \
    const struct list_def name = {.list = name##_rows, __VA_ARGS__}

/* The lists, one per list route (routes.txt), defined in list.c, list_advisories.c,
 * list_incidents.c and list_notify.c (the other kinds' in their own headers). */
extern const struct list_def list_orgs, list_users, list_colleagues, list_tokens, list_audit, list_catalogs,
    list_controls, list_profiles, list_campaigns, list_assessments, list_history, list_attachments,
    list_incidents, list_incident_tasks, list_my_tasks, list_incident_links, list_inbox,
    list_timeline, list_files, list_webhooks, list_webhook_deliveries, list_advisories,
    list_advisory_revisions, list_advisory_acks, list_my_acks;

/*
 * Readers of a list's query filters, for the rows' `read`: each leaves *out as it is and returns
 * true when ?key= is absent, and returns false after answering 422 (invalid_field, naming key)
 * when it is not what the filter takes.
 */
/* ?key= is 1 or 0 ("\"key\" must be 1 or 0"). */
bool list_query_flag(rb_req *r, const char *key, bool *out);
/* ?key= is one of the NULL-terminated names: *out its index; else the 422 says msg. */
bool list_query_name(rb_req *r, const char *key, const char *const *names, const char *msg,
                     int *out);
/* ?key= holds at most max bytes: *out the text; else the 422 says msg. */
bool list_query_text(rb_req *r, const char *key, size_t max, const char *msg, const char **out);
/* Answers the 422 (invalid_field, naming key) that msg says, for a filter the readers above do
 * not take; returns false. */
bool list_query_refuse(rb_req *r, const char *key, const char *msg);

/* Copies into row (def->record->size bytes) the row whose id is id of def's list (one page, no
 * filter, rows of a LIST_ID_FIRST type): how a write answers what it made as the object's list
 * shows it. Returns 0, core's error, or RB_ENOTFOUND when no row is id. */
int list_pick(rb_req *r, const struct list_def *def, const char *id, void *row);

struct incident_filter;
/* The incident lists' query filters (h_incidents.c): severity, status (comma lists), rsit_class,
 * province, overdue, open, cii, handling_org_id, org_id, q, since, until. Returns false after
 * answering a 422. */
bool incident_filter_read(rb_req *r, struct incident_filter *f);

struct audit_query;
struct rb_audit_entry;
/* The audit trail's query filters (h_audit.c): actor, action, org_id, object_kind, object_id,
 * since, until, changes. Returns false after answering a 422. */
bool audit_query_read(rb_req *r, struct audit_query *q);
/* Names each entry's object for the reader, where the reader may read it (kind_name). */
int audit_name_objects(rb_req *r, struct rb_audit_entry *e, int n);

#endif
