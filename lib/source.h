/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_SOURCE_H
#define ROSFW_SOURCE_H

#include <stddef.h>

/* Bytes of NUL after every source, so the scanner can read it in place. */
#define SOURCE_PADDING 2

/* Input files held in memory for as long as diagnostics may quote them. */
struct source {
	char *name;
	char *buf;
	size_t len;
};

struct source_set;

struct source_set *source_set_new(void);
void source_set_free(struct source_set *ss);
/* Read `path` ("-" is stdin); NULL with errno set on failure. */
const struct source *source_read(struct source_set *ss, const char *path);

#endif
