/*
 * assets.h - the web UI files (ui/), embedded into the binary at build time by scripts/embed.py.
 */
#ifndef RABTA_ASSETS_H
#define RABTA_ASSETS_H

#include <stddef.h>

struct rb_asset {
    const char *path; /* "/index.html", "/app.js", ... relative to ui/ */
    const char *mime;
    const unsigned char *data;
    size_t len;
};

extern const struct rb_asset rb_assets[];
extern const size_t rb_assets_count;

/* The asset at path, or NULL. */
const struct rb_asset *asset_find(const char *path);

#endif
