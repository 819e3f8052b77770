/* h_tokens.c - the caller's API tokens: create (shown once; the list is a row in list.c, revoking
 * a row in view.c). */
#include "base/common.h"
#include "core/auth.h"
#include "core/policy.h"
#include "http/body.h"
#include "http/router.h"

void h_tokens_create(rb_req *r)
{
    struct token_body in;
    if (!req_body(r, &body_token, &in))
        return;
    const char *name = in.name;
    int64_t days = in.days;
    if (!policy_can(&r->actor, PERM_TOKEN_OWN)) {
        req_error(r, 403, "forbidden", NULL, "your role may not create API tokens");
        return;
    }
    char tok[AUTH_TOKEN_SIZE], id[RB_ID_SIZE];
    int rc = token_create(r->db, &r->actor, NULL, name, (int)days, tok, id, &r->ei);
    if (!req_check(r, rc, &r->ei))
        return;
    rb_token *rows = NULL;
    int n = 0;
    rc = token_list(r->db, &r->actor, NULL, &r->arena, &rows, &n);
    rj_writer *w = req_json_begin(r, 201);
    rjw_obj(w);
    rjw_kstr(w, "token", tok);
    for (int i = 0; rc == 0 && i < n; i++)
        if (strcmp(rows[i].id, id) == 0)
            rjw_members(w, &rows[i], &token_record);
    rjw_obj_end(w);
}

