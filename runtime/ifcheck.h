/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_IFCHECK_H
#define ROSFW_IFCHECK_H

/*
 * The interface names a lowered configuration matches on (iifname and
 * oifname, alone, in anonymous sets and in interface-list sets), held
 * against the links of a machine: each name it does not have is reported
 * at every RouterOS rule that uses it, with which way the rule fails (a
 * drop that never matches opens traffic, an accept closes it, a negated
 * match always holds). Matching stays by name: nothing here changes the
 * ruleset, so an interface that appears later is matched.
 */

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "ir.h"
#include "links.h"

enum ifcheck_policy {
	IFCHECK_ERROR,	/* apply's default: a missing name stops it */
	IFCHECK_WARN,
};

struct ifcheck_opts {
	enum ifcheck_policy policy;
	const char *allow;	/* --allow-missing: comma list of names, "ppp*" prefixes */
};

/* Say what `have` lacks; the number of names missing that are neither
 * allowed nor wildcards (errors in `d` under IFCHECK_ERROR). */
size_t ifcheck_run(const struct ir *ir, const struct links *have, const struct ifcheck_opts *o, struct diag *d);

/* --missing-interfaces=error|warn and --allow-missing=NAME,...: false
 * after saying on stderr what was expected. */
bool ifcheck_opt_policy(const char *arg, enum ifcheck_policy *out);
bool ifcheck_opt_allow(const char *arg);

#endif
