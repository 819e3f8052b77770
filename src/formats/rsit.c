/* rsit.c - looking classes and types up in the taxonomy table (rsit_data.c). */
#include "base/common.h"
#include "formats/rsit.h"

const struct rsit_class *rsit_class_find(const char *id)
{
    for (int i = 0; id && i < rsit_nclasses; i++)
        if (strcmp(rsit_classes[i].id, id) == 0)
            return &rsit_classes[i];
    return NULL;
}

const struct rsit_type *rsit_type_find(const struct rsit_class *c, const char *id)
{
    for (int i = 0; c && id && i < c->ntypes; i++)
        if (strcmp(c->types[i].id, id) == 0)
            return &c->types[i];
    return NULL;
}
