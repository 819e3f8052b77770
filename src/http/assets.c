/* assets.c - lookup of embedded UI files. */
#include "base/common.h"
#include "http/assets.h"

const struct rb_asset *asset_find(const char *path)
{
    for (size_t i = 0; i < rb_assets_count; i++)
        if (strcmp(rb_assets[i].path, path) == 0)
            return &rb_assets[i];
    return NULL;
}
