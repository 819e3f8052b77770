/*
 * risks.h - the rows and handlers of risk registers (core/risk): the body readers
 * (body_risks.c, rows of rb_bodies), the views and actions (view_risks.c), the register list
 * (list_risks.c), and the CSV import, export and heat map (h_risks.c). Routes of one risk name
 * kind_risk, so dispatch answers 404 to whoever may not read it.
 */
#ifndef RABTA_HTTP_RISKS_H
#define RABTA_HTTP_RISKS_H

#include "core/risk.h"
#include "http/request.h"

struct body_def;
struct view_def;
struct action_def;
struct list_def;

/* The body of POST /api/v1/risks/{id}/accept. */
struct risk_accept_body {
    const char *reason, *review_date;
};

/* struct risk_input (core/risk.h): a new risk, a change; the acceptance; the matrix (struct
 * risk_matrix: size and bands). */
extern const struct body_def body_risk, body_risk_update, body_risk_accept, body_risk_matrix;

/* One risk (with its linked controls); recording (201), changing and accepting one (200); the
 * matrix. */
extern const struct view_def view_risk, view_risk_matrix;
extern const struct action_def action_risk_create, action_risk_update, action_risk_accept;

/* GET /api/v1/risks (?org_id=, ?level=, ?status=, ?treatment=, ?category=, ?overdue=1, ?q=). */
extern const struct list_def list_risks;

/* POST /api/v1/risks/import (a text/csv body), GET /api/v1/risks/export (the list's filters) and
 * GET /api/v1/risks/heatmap (?root=, ?basis=). */
void h_risks_import(rb_req *r);
void h_risks_export(rb_req *r);
void h_risks_heatmap(rb_req *r);
/* PUT /api/v1/risk-matrix: the matrix as GET shows it, and how many risks changed level. */
void h_risk_matrix_set(rb_req *r);

/* The list's filters from the query (list_risks.c; the export uses them too). Returns false after
 * answering a 422. */
bool risk_filter_read(rb_req *r, struct risk_filter *f);

#endif
