/*
 * advisory_match.c - which recipients of an advisory run one of its products (see
 * advisory_doc.h, advisory_match_records). TEMPORARY until formats/prodmatch lands: matches
 * nothing.
 */
#include "base/common.h"
#include "core/advisory_doc.h"

int advisory_match_records(rb_write *w, const char *id)
{
    RB_UNUSED(w);
    RB_UNUSED(id);
    return 0;
}
