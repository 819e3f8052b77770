/*
 * risk_csv.c - a risk register as CSV: reading and checking a file, importing it in one write,
 * and exporting the readable risks (see risk.h).
 *
 * Must never: store anything from a file with a bad row, accept a risk from a file (accepting
 * needs an admin and a reason), or export a risk the reader may not read.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/utf8.h"
#include "core/kind.h"
#include "core/risk.h"
#include "core/risk_int.h"
#include "core/write.h"
#include "formats/csv.h"
#include "formats/tlp.h"
#include "json/field.h"

/* The columns of a file. Writable ones are read into a risk_input; read-only ones (what the
 * export adds) are ignored, so an exported file can be imported back. */
enum column {
    C_ID = 0,
    C_TITLE,
    C_DESCRIPTION,
    C_CATEGORY,
    C_LIKELIHOOD,
    C_IMPACT,
    C_INHERENT_SCORE,
    C_INHERENT_LEVEL,
    C_RESIDUAL_LIKELIHOOD,
    C_RESIDUAL_IMPACT,
    C_RESIDUAL_SCORE,
    C_RESIDUAL_LEVEL,
    C_TREATMENT,
    C_STATUS,
    C_OWNER,
    C_DUE_DATE,
    C_REVIEW_DATE,
    C_CONTROL_IDS,
    C_CATALOG_ID,
    C_TLP,
    C_ORG,
    C_ACCEPTED_BY,
    C_ACCEPTED_AT,
    C_ACCEPTANCE_REASON,
    C_CREATED_AT,
    C_UPDATED_AT,
    C__COUNT
};
/* The names, in enum column's order: the export's header; the read-only ones are those the
 * import ignores. */
static const char *const column_names[C__COUNT + 1] = {"id",
                                                       "title",
                                                       "description",
                                                       "category",
                                                       "likelihood",
                                                       "impact",
                                                       "inherent_score",
                                                       "inherent_level",
                                                       "residual_likelihood",
                                                       "residual_impact",
                                                       "residual_score",
                                                       "residual_level",
                                                       "treatment",
                                                       "status",
                                                       "owner",
                                                       "due_date",
                                                       "review_date",
                                                       "control_ids",
                                                       "catalog_id",
                                                       "tlp",
                                                       "org",
                                                       "accepted_by",
                                                       "accepted_at",
                                                       "acceptance_reason",
                                                       "created_at",
                                                       "updated_at",
                                                       NULL};
#define CSV_COLUMNS_MAX 40

/* Splits s (control ids separated by spaces, semicolons or commas) into the arena. */
static int split_controls(const char *s, rb_arena *a, struct risk_input *in)
{
    const char **ids = rb_arena_alloc(a, sizeof(*ids) * (RISK_CONTROLS_MAX + 1));
    if (!ids)
        return RB_ENOMEM;
    int n = 0;
    while (*s) {
        size_t skip = strspn(s, " ;,\t");
        s += skip;
        size_t len = strcspn(s, " ;,\t");
        if (!len)
            break;
        if (n > RISK_CONTROLS_MAX) /* risk_check says how many may be linked */
            break;
        if (!(ids[n++] = rb_arena_strndup(a, s, len)))
            return RB_ENOMEM;
        s += len;
    }
    in->control_ids = ids;
    in->ncontrols = n;
    in->controls_given = true;
    return 0;
}

/* Where the text of column c goes in in when the column gives it as it is; else NULL. */
static const char **text_at(struct risk_input *in, int c)
{
    const char **at[C__COUNT] = {
        [C_TITLE] = &in->title,           [C_DESCRIPTION] = &in->description,
        [C_CATEGORY] = &in->category,     [C_OWNER] = &in->owner,
        [C_DUE_DATE] = &in->due_date,     [C_REVIEW_DATE] = &in->review_date,
        [C_CATALOG_ID] = &in->catalog_id,
    };
    return at[c];
}

/* Reads cell v of column c into row. Returns 0 or RB_EINVAL with bad's message. */
static int read_cell(int c, const char *v, struct risk_row *row, rb_arena *a, rb_errinfo *bad)
{
    struct risk_input *in = &row->in;
    const char **text = text_at(in, c);
    if (text) {
        *text = v;
        return 0;
    }
    int64_t n = 0;
    switch (c) {
    case C_ID:
        if (!rb_uuid_valid(v))
            return rb_err(bad, RB_EINVAL, "id", "\"id\" is a risk's id (a UUID) or empty");
        row->id = v;
        return 0;
    case C_LIKELIHOOD:
    case C_IMPACT:
    case C_RESIDUAL_LIKELIHOOD:
    case C_RESIDUAL_IMPACT:
        if (rb_parse_int64(v, 1, 100, &n))
            return rb_err(bad, RB_EINVAL, column_names[c],
                          "\"%s\" must be a whole number on the risk matrix (got \"%.*s\")",
                          column_names[c], RB_CUT(v, 20));
        *(c == C_LIKELIHOOD            ? &in->likelihood
          : c == C_IMPACT              ? &in->impact
          : c == C_RESIDUAL_LIKELIHOOD ? &in->residual_likelihood
                                       : &in->residual_impact) = (int)n;
        return 0;
    case C_TREATMENT:
    case C_STATUS: {
        /* "accept" / "accepted" changes nothing: it only keeps an acceptance the risk has. */
        bool treatment = c == C_TREATMENT;
        int *named = treatment ? &in->treatment : &in->status;
        if ((*named = rb_name_index(treatment ? risk_treatment_names : risk_status_names, v)) < 0)
            return rb_err(bad, RB_EINVAL, column_names[c], "\"%s\" is one of %s", column_names[c],
                          treatment ? "mitigate, accept, transfer, avoid"
                                    : "open, in_progress, done, accepted, closed");
        if (*named == (treatment ? RTREAT_ACCEPT : RSTATUS_ACCEPTED)) {
            row->keeps_acceptance = true;
            *named = -1;
        }
        return 0;
    }
    case C_CONTROL_IDS:
        return split_controls(v, a, in);
    case C_TLP: {
        enum rb_tlp t;
        if (tlp_parse(v, &t))
            return rb_err(bad, RB_EINVAL, "tlp",
                          "\"tlp\" is one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED");
        in->tlp = (int)t;
        return 0;
    }
    default: /* read-only: what the export adds */
        return 0;
    }
}

/* One row of the file (csv_row_fn, ctx the matrix): its cells, then risk_check and what a file
 * may not do. */
static int read_row(const void *ctx, const csv_record *rec, const int *at, void *row_,
                    size_t *field, rb_arena *a, rb_errinfo *bad)
{
    const struct risk_matrix *m = ctx;
    struct risk_row *row = row_;
    risk_input_init(&row->in);
    row->line = rec->line;
    int rc = 0;
    for (size_t k = 0; !rc && k < rec->nfields; k++)
        if (rec->fields[k].len > 0 && (rc = read_cell(at[k], rec->fields[k].ptr, row, a, bad)))
            *field = k + 1;
    if (rc == RB_ENOMEM)
        return rc;
    /* A row that changes a risk gives only what changes; a new one all it needs. */
    bool change = row->id != NULL;
    if (!rc && !(rc = risk_check(&row->in, m, change, bad)) && !change) {
        int rl = row->in.residual_likelihood ? row->in.residual_likelihood : row->in.likelihood;
        int ri = row->in.residual_impact ? row->in.residual_impact : row->in.impact;
        if (rl * ri > row->in.likelihood * row->in.impact)
            rc = rb_err(bad, RB_EINVAL, "residual_likelihood",
                        "the residual score (%d) may not pass the inherent score (%d)", rl * ri,
                        row->in.likelihood * row->in.impact);
    }
    if (!rc && !change && row->keeps_acceptance)
        rc = rb_err(bad, RB_EINVAL, "treatment",
                    "a new risk cannot be accepted from a file: accepting needs an admin "
                    "and a reason, on the risk's page");
    /* A row that changes nothing but an accepted risk's acceptance: nothing to do. */
    if (rc && change && bad->field[0] == '\0' && strncmp(bad->msg, "nothing", 7) == 0)
        rc = 0;
    for (size_t k = 0; rc && !*field && k < rec->nfields; k++)
        if (strcmp(bad->field, column_names[at[k]]) == 0 ||
            (strncmp(bad->field, "control_ids", 11) == 0 && at[k] == C_CONTROL_IDS))
            *field = k + 1;
    return rc;
}

int risk_csv_read(const char *text, size_t len, const struct risk_matrix *m, rb_arena *a,
                  struct risk_file *out, rb_errinfo *ei)
{
    const struct csv_limits lim = {RISK_CSV_ROWS_MAX + 1, CSV_COLUMNS_MAX,
                                   rb_field_max(FIELD_PROSE)};
    static const int required[] = {C_TITLE, C_LIKELIHOOD, C_IMPACT};
    struct csv_sheet sh;
    struct csv_rows r;
    int rc = csv_read_sheet(
        text, len, RISK_CSV_MAX_BYTES, &lim, "title,likelihood,impact,...", column_names,
        "title, likelihood, impact and optionally id, description, category, "
        "residual_likelihood, residual_impact, treatment, status, owner, "
        "due_date, review_date, control_ids, catalog_id, tlp",
        required, RB_ARRAY_LEN(required), "title, likelihood, impact", a, &sh, ei);
    if (!rc && !(rc = csv_sheet_rows(&sh, sizeof(struct risk_row), RISK_PROBLEMS_MAX, read_row, m,
                                     a, &r, ei)))
        *out = (struct risk_file){r.rows, r.nrows, r.total, r.nbad, r.problems, r.nproblems};
    return rc;
}

/* ei for a problem of the row at line (field 0: the row), keeping the message. */
static int row_err(rb_errinfo *ei, int rc, size_t line, const char *what)
{
    char msg[RB_ERR_MSG_MAX];
    rb_strlcpy(msg, ei && ei->msg[0] ? ei->msg : what, sizeof(msg));
    return csv_err(ei, rc, line, 0, "%s; nothing was imported", msg);
}

int risk_import(rb_db *db, const rb_actor *actor, const struct risk_file *f,
                struct risk_import_counts *out, rb_errinfo *ei)
{
    int rc = risk__may_write(actor, actor->org.id, ei);
    if (rc)
        return rc;
    if (f->nbad > 0)
        return csv_refuse_bad(ei, &f->problems[0], f->nbad, f->total);
    char(*catalogs)[RB_ID_SIZE] = rb_calloc(f->nrows + 1, RB_ID_SIZE);
    if (!catalogs)
        return RB_ENOMEM;
    for (size_t i = 0; !rc && i < f->nrows; i++)
        if ((rc = risk__resolve_controls(db, actor, &f->rows[i].in, catalogs[i], ei)))
            rc = row_err(ei, rc, f->rows[i].line, "a linked control is not found");
    struct risk_import_counts c = {.rows = f->nrows};
    rb_arena a;
    rb_arena_init(&a, 1 << 22);
    rb_write w;
    if (rc || (rc = write_begin(&w, db, actor, ei)))
        goto out;
    size_t adding = 0;
    for (size_t i = 0; i < f->nrows; i++)
        adding += f->rows[i].id == NULL;
    int64_t n = 0;
    if (!(rc = db_query_int(db, "SELECT count(*) FROM risks WHERE owner_org = ?1",
                            DB_ARGS(DB_TEXT(actor->org.id)), &n)) &&
        n + (int64_t)adding > RISK_PER_ORG_MAX)
        rc = rb_err(ei, RB_ECONFLICT, "",
                    "a register holds at most %d risks, and this file would make it %" PRId64,
                    RISK_PER_ORG_MAX, n + (int64_t)adding);
    for (size_t i = 0; !rc && i < f->nrows; i++) {
        const struct risk_row *row = &f->rows[i];
        struct risk_input in = row->in;
        bool keeps = row->keeps_acceptance;
        if (!row->id) {
            char id[RB_ID_SIZE];
            rb_uuid_new(id);
            if ((rc = risk__insert(&w, id, actor->org.id, &in, catalogs[i], "imported")))
                rc = row_err(ei, rc, row->line, "the risk cannot be recorded");
            c.added++;
            continue;
        }
        rb_risk cur;
        rc = risk__read(db, row->id, &a, &cur);
        if (rc == RB_ENOTFOUND || (!rc && strcmp(cur.org_id, actor->org.id) != 0)) {
            rc = csv_err(ei, RB_EINVAL, row->line, 0,
                         "no risk with id %s in your register; leave id empty for a new risk "
                         "(nothing was imported)",
                         row->id);
            break;
        }
        if (!rc && keeps && strcmp(cur.treatment, "accept") != 0) {
            rc = csv_err(ei, RB_EINVAL, row->line, 0,
                         "the file accepts the risk \"%.*s\": accepting needs an admin and a "
                         "reason, on the risk's page (nothing was imported)",
                         RB_CUT(cur.title, 80));
            break;
        }
        if (!rc && keeps)
            in.treatment = RTREAT_ACCEPT; /* unchanged: the file keeps the acceptance */
        bool any = in.title || in.description || in.category || in.owner || in.due_date ||
                   in.review_date || in.likelihood || in.impact || in.residual_likelihood ||
                   in.residual_impact || in.status >= 0 || in.controls_given ||
                   (in.treatment >= 0 && in.treatment != RTREAT_ACCEPT) || in.tlp >= 0;
        if (!rc && any && (rc = risk__apply(&w, &cur, &in, catalogs[i], ei)))
            rc = row_err(ei, rc, row->line, "the risk cannot be changed");
        if (!rc)
            c.updated++;
    }
    rc = write_end(&w, rc, "risk.import", &kind_risk, NULL, actor->org.id,
                   "cannot import the register");
out:
    rb_arena_release(&a);
    rb_free(catalogs);
    if (!rc)
        *out = c;
    return rc;
}

int risk_export(rb_db *db, const rb_actor *actor, const struct risk_filter *filter, rb_buf *out)
{
    csv_writer w;
    csv_writer_init(&w, out, 0);
    int rc = csv_header(&w, column_names); /* the export writes every column */
    struct risk_filter f = *filter;
    f.limit = 500;
    f.after_id = NULL;
    int64_t written = 0;
    char last[RB_ID_SIZE] = "";
    while (!rc) {
        rb_arena page;
        rb_arena_init(&page, 32 << 20);
        rb_risk *rows = NULL;
        int n = 0;
        bool more = false;
        rc = risk_list(db, actor, &f, &page, &rows, &n, &more);
        for (int i = 0; !rc && i < n && written < RISK_EXPORT_MAX; i++, written++) {
            const rb_risk *x = &rows[i];
            csv_word(&w, x->id);
            csv_text(&w, x->title);
            csv_text(&w, x->description);
            csv_word(&w, x->category);
            csv_int(&w, x->likelihood);
            csv_int(&w, x->impact);
            csv_int(&w, x->inherent_score);
            csv_word(&w, x->inherent_level);
            csv_int(&w, x->residual_likelihood);
            csv_int(&w, x->residual_impact);
            csv_int(&w, x->residual_score);
            csv_word(&w, x->residual_level);
            csv_word(&w, x->treatment);
            csv_word(&w, x->status);
            csv_text(&w, x->owner);
            csv_word(&w, x->due_date ? x->due_date : "");
            csv_word(&w, x->review_date ? x->review_date : "");
            /* The linked controls, space-separated. */
            rb_buf ids;
            rb_buf_init(&ids, 4096);
            rb_stmt *st = NULL;
            if (x->controls_count > 0 &&
                !(rc = db_query(db,
                                "SELECT control_id FROM risk_controls WHERE risk_id = ?1 ORDER BY "
                                "ord",
                                DB_ARGS(DB_TEXT(x->id)), &st))) {
                int s;
                while ((s = db_step(st)) == DB_ROW) {
                    if (ids.len)
                        rb_buf_addc(&ids, ' ');
                    rb_buf_adds(&ids, db_col_text(st, 0));
                }
                db_done(st);
                rc = s < 0 ? s : 0;
            }
            csv_text(&w, ids.len ? rb_buf_cstr(&ids) : "");
            rb_buf_release(&ids);
            csv_word(&w, x->catalog_id ? x->catalog_id : "");
            csv_word(&w, x->tlp);
            csv_text(&w, x->org_name);
            csv_text(&w, x->accepted_by);
            csv_word(&w, x->accepted_at ? x->accepted_at : "");
            csv_text(&w, x->acceptance_reason);
            csv_word(&w, x->created_at);
            csv_word(&w, x->updated_at);
            if (!rc)
                rc = csv_end(&w);
        }
        if (!rc && n > 0)
            rb_strlcpy(last, rows[n - 1].id, sizeof(last));
        rb_arena_release(&page);
        if (rc || !more || written >= RISK_EXPORT_MAX)
            break;
        f.after_id = last;
    }
    return rc;
}
