/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_IFMAP_H
#define ROSFW_IFMAP_H

/*
 * The interface map: which of this server's interfaces a router interface
 * stands for. One entry a line, `router-name = linux-name[, linux-name...]`,
 * from a map file (--interface-map, /etc/rosfw/interfaces) or the command
 * line (--interface, one entry each). A Linux name is 1 to 15 bytes of
 * printable ASCII without / : " \ , # = or spaces; a trailing * makes it a
 * prefix (nft's wildcard: ppp* is every name starting ppp).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/**
 * struct ifmap_entry - one router name and what it stands for here.
 * @key:     the router's name (default-name or current name).
 * @targets: Linux names, a trailing '*' for a prefix.
 * @loc:     the key, for diagnostics (unused entries, conflicts).
 */
struct ifmap_entry {
	const char *key;
	const char **targets;
	size_t ntargets;
	struct loc loc;
};

struct ifmap;

struct ifmap *ifmap_new(void);
void ifmap_free(struct ifmap *map);

/*
 * Entries from text registered as `file` in `d` (a map file, or one
 * --interface argument: then `one` asks for exactly one entry). Errors go
 * to `d` at file:line:col; false when there were any. A key given again
 * by a later source replaces the earlier entry (the command line wins
 * over the file, with a note); twice in one source is an error.
 */
bool ifmap_parse(struct ifmap *map, struct diag *d, uint32_t file, const char *buf, size_t len, bool one);

size_t ifmap_count(const struct ifmap *map);
const struct ifmap_entry *ifmap_at(const struct ifmap *map, size_t i);
/* The entry for router name name[0..len), or NULL. */
const struct ifmap_entry *ifmap_find(const struct ifmap *map, const char *name, size_t len);

/* A Linux name a map may give (wildcards too): NULL, or why not. */
const char *ifmap_target_invalid(const char *s, size_t n);

#endif
