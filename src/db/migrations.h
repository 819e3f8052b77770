/*
 * migrations.h - the numbered SQL migrations embedded in the binary at build time
 * (src/db/migrations/NNNN_name.sql, generated into migrations_data.c by scripts/embed.py).
 */
#ifndef RABTA_MIGRATIONS_H
#define RABTA_MIGRATIONS_H

#include <stddef.h>

struct rb_migration {
    int version;
    const char *name;
    const char *sql;
};

/* In ascending version order. */
extern const struct rb_migration rb_migrations[];
extern const size_t rb_migrations_count;

#endif
