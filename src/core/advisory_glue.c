/*
 * advisory_glue.c - TEMPORARY: what core/advisory needs of formats/csaf (the validator) and
 * formats/cvss (the calculator) until those modules land; replaced when they do.
 */
#include "base/common.h"
#include "core/advisory_doc.h"

int advisory_doc_validate(const cJSON *root, rb_errinfo *ei)
{
    RB_UNUSED(root);
    RB_UNUSED(ei);
    return 0;
}

int advisory_cvss_base(const char *vector, double *score, const char **severity)
{
    if (strncmp(vector, "CVSS:3.1/", 9) != 0 && strncmp(vector, "CVSS:3.0/", 9) != 0)
        return RB_EINVAL;
    *score = 0;
    *severity = NULL;
    return 0;
}

int advisory_match_records(rb_write *w, const char *id)
{
    RB_UNUSED(w);
    RB_UNUSED(id);
    return 0;
}
