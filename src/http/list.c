/* list.c - the one list handler (list.h): page, filters, core, items, next cursor. */
#include "base/common.h"
#include "http/list.h"
#include "http/router.h"

void h_list(rb_req *r)
{
    const struct list_def *def = r->route->list;
    struct list_query q = {0};
    if (def->pages != LIST_ONE_PAGE && !req_page(r, &q.limit, &q.cursor))
        return;
    if (def->filter_size && !(q.filter = rb_arena_alloc(&r->arena, def->filter_size))) {
        req_fail(r, RB_ENOMEM, NULL);
        return;
    }
    if (def->read && !def->read(r, &q))
        return;
    void *rows = NULL;
    int n = 0;
    bool more = false;
    int rc = def->list(r, &q, &rows, &n, &more);
    if (rc == RB_EINVAL && def->pages == LIST_PAGES_BY_ID)
        req_list_fail(r, rc);
    else if (rc == RB_EPERM && def->refused)
        req_error(r, 403, "forbidden", NULL, "%s", def->refused);
    else if (rc)
        req_fail(r, rc, NULL);
    if (rc)
        return;
    const char *row = rows;
    rj_writer *w = req_list_begin(r);
    for (int i = 0; i < n; i++)
        def->write(w, row + (size_t)i * def->row_size);
    const void *last = n > 0 ? row + (size_t)(n - 1) * def->row_size : NULL;
    const char *next = NULL;
    char buf[LIST_CURSOR_MAX];
    if (more && last && def->pages == LIST_PAGES_BY_ID)
        next = *(char *const *)last; /* its first member (LIST_ID_FIRST) */
    else if (more && last && def->pages == LIST_PAGES_BY_KEY)
        next = def->next(last, buf);
    req_list_end(r, next);
}
