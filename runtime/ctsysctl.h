/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_CTSYSCTL_H
#define ROSFW_CTSYSCTL_H

/*
 * Connection tracking settings are sysctls of the network namespace, not
 * part of the ruleset: apply writes them after its commit, and flush puts
 * back the values they had before rosfw first changed them. Those values
 * travel in the user data of rosfw's own tables, so they live and die with
 * the namespace and its ruleset, and no file outside it can go stale.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "ir.h"

#define CT_SAVED_MAX 32

/* One net.netfilter sysctl of this namespace. set: 0, or an errno (EACCES
 * for one this namespace may only read). */
bool ct_sysctl_get(const char *name, uint64_t *v);
int ct_sysctl_set(const char *name, uint64_t v);

struct ct_saved {
	bool have[CT_SAVED_MAX];
	uint64_t v[CT_SAVED_MAX];
	uint8_t udata[256];	/* the encoding carried in the tables */
	size_t udata_len;
};

/* What rosfw's current tables keep; false (and nothing kept) when there
 * are no tables or they keep nothing. */
bool ct_saved_read(struct ct_saved *s);

/* Before an apply: the values found now of every sysctl rosfw may write,
 * where the tables kept none, into `s`, and `s` encoded into
 * ir->table_udata (which only a table made anew takes). */
void ct_saved_prepare(struct ct_saved *s, struct ir *ir);

/* After the commit: write `ir`'s sysctls; each change is a note. */
void ct_sysctls_write(const struct ir *ir, struct diag *d);

/* --diff: a record in `c` for each of `ir`'s sysctls apply would change;
 * how many. */
struct changes;
size_t ct_sysctls_diff(const struct ir *ir, struct changes *c);

/* After a flush: put the kept values back; each change is a note. */
void ct_sysctls_restore(const struct ct_saved *s, struct diag *d);

#endif
