/*
 * view_inventory.c - the view and action rows of an org's inventory items (see view.h): {id} is
 * the org, {item} the item.
 */
#include "base/common.h"
#include "core/inventory.h"
#include "http/inventory.h"
#include "http/view.h"

VIEW_READ(item_read, inventory_get(r->db, &r->actor, r->params[0], id, &r->arena, row))
const struct view_def view_inventory_item = {sizeof(rb_inventory_item), item_read,
                                             &inventory_record, NULL};

ACTION_RUN(add_run, inventory_add(r->db, &r->actor, r->params[0], in, id, &r->ei))
const struct action_def action_inventory_add = {&body_inventory, add_run, &view_inventory_item,
                                                201};

static int update_run(rb_req *r, const void *in, char id[RB_ID_SIZE])
{
    rb_strlcpy(id, r->params[1], RB_ID_SIZE);
    return inventory_update(r->db, &r->actor, r->params[0], r->params[1], in, &r->ei);
}
const struct action_def action_inventory_update = {&body_inventory_update, update_run,
                                                   &view_inventory_item, 200};

ACTION_RUN(remove_run, inventory_remove(r->db, &r->actor, r->params[0], r->params[1], &r->ei))
const struct action_def action_inventory_remove = {NULL, remove_run, NULL, 204};
