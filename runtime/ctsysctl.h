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

/*
 * Forwarding (apply --forwarding=on) is kept the same way, in the last two
 * slots: the rows of lowering's settings (lower_ct_sysctl_name, 19 today)
 * must stay below CT_SAVED_FWD4, as a slot's index is its record type in
 * tables that outlive a rosfw version.
 */
#define CT_SAVED_FWD4 30
#define CT_SAVED_FWD6 31
#define CT_SYSCTL_FWD4 "ipv4/ip_forward"
#define CT_SYSCTL_FWD6 "ipv6/conf/all/forwarding"

/* The sysctl kept in slot i, or NULL for a slot no sysctl has. */
const char *ct_saved_name(size_t i);

/* One sysctl of this namespace: a name of lowering's (under
 * net.netfilter) or one with a '/' (under net: CT_SYSCTL_FWD4). set: 0,
 * or an errno (EACCES for one this namespace may only read). */
bool ct_sysctl_get(const char *name, uint64_t *v);
int ct_sysctl_set(const char *name, uint64_t v);
/* As sysctl(8) names it: "net.ipv4.ip_forward"; `buf`. */
const char *ct_sysctl_label(const char *name, char *buf, size_t size);

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
