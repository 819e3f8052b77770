/*
 * inventory.h - the rows and handlers of an org's inventory (core/inventory): its body readers
 * (body_inventory.c, rows of rb_bodies), its view and actions (view_inventory.c), its list
 * (list_inventory.c) and the CSV import and export (h_inventory.c). The routes name
 * kind_inventory, so dispatch answers 404 to whoever may not read the org's inventory.
 */
#ifndef RABTA_HTTP_INVENTORY_H
#define RABTA_HTTP_INVENTORY_H

#include "http/request.h"

struct body_def;
struct view_def;
struct action_def;
struct list_def;

/* struct inventory_input (core/inventory.h): a new item (vendor and product required), a change
 * (every member optional, "" clears version, cpe or purl). */
extern const struct body_def body_inventory, body_inventory_update;

/* One item of {id}'s inventory; adding (201), changing (200) and removing (204) one. */
extern const struct view_def view_inventory_item;
extern const struct action_def action_inventory_add, action_inventory_update,
    action_inventory_remove;

/* GET /api/v1/orgs/{id}/inventory (?q=, paged by id). */
extern const struct list_def list_inventory;

/* POST /api/v1/orgs/{id}/inventory/import (a text/csv body, ?replace=1) and GET .../export. */
void h_inventory_import(rb_req *r);
void h_inventory_export(rb_req *r);

#endif
