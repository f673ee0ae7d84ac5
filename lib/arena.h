/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_ARENA_H
#define ROSFW_ARENA_H

#include <stddef.h>

/*
 * A bump allocator. The parser builds each top-level statement in one and
 * resets it when the model has run the statement, so a 1M-line script never
 * holds more than one statement's tree; the model keeps its own for data that
 * lives as long as the model.
 */
struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t size);	/* zeroed, 8-aligned */
char *arena_strndup(struct arena *a, const char *s, size_t len); /* NUL-terminated */
void arena_reset(struct arena *a);			/* keeps the first block */
size_t arena_used(const struct arena *a);

#endif
