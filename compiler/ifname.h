/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_IFNAME_H
#define ROSFW_IFNAME_H

/*
 * Which Linux interfaces a name in the configuration matches: RouterOS
 * rules point at interface objects, so a name is first the object it
 * named where it was written (renames in /interface menus, wherever they
 * stand), then that object's entry in the interface map (by its final
 * name or its default-name), else its final name; a name no object had is
 * looked up in the map as it is, then among RouterOS's special names
 * (all-ethernet, all-ppp, ...), which have Linux defaults.
 */

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "diag.h"
#include "ifmap.h"
#include "model.h"

struct ifnames;

/*
 * The resolver for model `m` with `map` (may be NULL). It reads every
 * interface name of the model once and says in `d` what the map gets
 * wrong: an entry no interface uses (a typo guard, warning), two entries
 * for one interface (error), and notes the special names that take their
 * Linux default.
 */
struct ifnames *ifnames_new(const struct model *m, const struct ifmap *map, struct diag *d);
void ifnames_free(struct ifnames *r);

/*
 * The Linux names for router name name[0..len) written at `at`, each a
 * name or a prefix with a trailing '*'; at least one. *out is valid until
 * the next call. *mapped: they come from the map or a special name's
 * default (checked Linux names), else the one name is the configuration's
 * (the name itself, or what the configuration renamed its interface to).
 * Returns how many.
 */
size_t ifnames_get(struct ifnames *r, const char *name, size_t len, const struct loc *at, const char *const **out,
		   bool *mapped);

/* True when the names are just name[0..len) itself: nothing renamed or mapped. */
bool ifnames_same(const char *const *v, size_t n, const char *name, size_t len);

/* A Linux name with a trailing '*': a prefix. */
static inline bool ifnames_wild(const char *s)
{
	size_t n = strlen(s);

	return n && s[n - 1] == '*';
}

#endif
