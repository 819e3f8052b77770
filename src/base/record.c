/* record.c - the plain member types of record.h. */
#include "base/common.h"
#include "base/record.h"

const struct rb_mtype rb_text = {.kind = RB_MT_TEXT, .size = sizeof(char *)};
const struct rb_mtype rb_int = {.kind = RB_MT_INT, .size = sizeof(int)};
const struct rb_mtype rb_int64 = {.kind = RB_MT_INT64, .size = sizeof(int64_t)};
const struct rb_mtype rb_bool = {.kind = RB_MT_BOOL, .size = sizeof(bool)};
const struct rb_mtype rb_double = {.kind = RB_MT_DOUBLE, .size = sizeof(double)};
const struct rb_mtype rb_score = {.kind = RB_MT_SCORE, .size = sizeof(double)};
const struct rb_mtype rb_index = {.kind = RB_MT_INDEX, .size = sizeof(int)};

const struct rb_mtype rb_text_later = {
    .kind = RB_MT_TEXT, .size = sizeof(char *), .no_column = true};
const struct rb_mtype rb_int_later = {.kind = RB_MT_INT, .size = sizeof(int), .no_column = true};
const struct rb_mtype rb_bool_later = {.kind = RB_MT_BOOL, .size = sizeof(bool), .no_column = true};
const struct rb_mtype rb_score_later = {
    .kind = RB_MT_SCORE, .size = sizeof(double), .no_column = true};
const struct rb_mtype rb_chars = {.kind = RB_MT_CHARS};

static const struct rb_member id_row_members[] = {RB_HIDDEN_MEMBERS(struct rb_id_row, id)};
const struct rb_record rb_id_row_record = RB_RECORD(struct rb_id_row, id_row_members);
