/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "forwarding.h"
#include "changes.h"
#include "xalloc.h"

#include <string.h>

#include "ctsysctl.h"

static const char *const fwd_name[2] = { CT_SYSCTL_FWD4, CT_SYSCTL_FWD6 };

static bool chain_routes(const struct ir_chain *c)
{
	/* The forward chains (filter, mangle) and NAT: what a router's
	 * forwarding path runs. */
	return (c->facility && !strcmp(c->facility, "nat")) || (c->ros_name && !strcmp(c->ros_name, "forward"));
}

const struct ir_rule *forwarding_user(const struct ir *ir, int f)
{
	const struct ir_table *t = ir->tables[f];
	const struct ir_rule *first = NULL;
	size_t i, j;

	for (i = 0; t && i < t->nchains; i++) {
		const struct ir_chain *c = t->chains[i];

		if (!chain_routes(c))
			continue;
		for (j = 0; j < c->n; j++) {
			const struct ir_rule *r = c->rules[j];

			if (r->loc.file && (!first || r->loc.file < first->loc.file ||
					    (r->loc.file == first->loc.file && r->loc.line < first->loc.line)))
				first = r;
		}
	}
	return first;
}

void forwarding_check(const struct ir *ir, bool offer, struct diag *d)
{
	int f;

	for (f = 0; f < 2; f++) {
		const struct ir_rule *r = forwarding_user(ir, f);
		char label[64];
		uint64_t v;

		if (!r || !ct_sysctl_get(fwd_name[f], &v) || v)
			continue;
		diag_warning(d, &r->loc,
			     "%s is 0 in this network namespace: this machine does not route %s, so the forward and NAT rules (this one first) never see a packet a router would pass; RouterOS routes by default%s",
			     ct_sysctl_label(fwd_name[f], label, sizeof(label)), f ? "IPv6" : "IPv4",
			     offer ? " (apply --forwarding=on sets it after the commit, and rosfw flush puts it back)" : "");
	}
}

void forwarding_set(const struct ir *ir, struct diag *d)
{
	int f;

	for (f = 0; f < 2; f++) {
		const struct ir_rule *r = forwarding_user(ir, f);
		char label[64];
		uint64_t v;
		int err;

		if (!r || !ct_sysctl_get(fwd_name[f], &v) || v)
			continue;
		ct_sysctl_label(fwd_name[f], label, sizeof(label));
		if ((err = ct_sysctl_set(fwd_name[f], 1))) {
			diag_warning(d, &r->loc, "--forwarding=on: %s: %s; the forward and NAT rules never see a packet",
				     label, strerror(err));
			continue;
		}
		diag_note(d, &r->loc, "--forwarding=on: %s 0 -> 1%s", label,
			  f ? " (interfaces with accept_ra=1 now ignore router advertisements: accept_ra=2 where this box takes its address from them)"
			    : "");
	}
}

size_t forwarding_diff(const struct ir *ir, struct changes *c)
{
	size_t n = 0;
	int f;

	for (f = 0; f < 2; f++) {
		char label[64];
		uint64_t v;

		if (!forwarding_user(ir, f) || !ct_sysctl_get(fwd_name[f], &v) || v)
			continue;
		ct_sysctl_label(fwd_name[f], label, sizeof(label));
		changes_add(c, CH_CHANGE, "sysctl", NULL, label)->note = xstrdup("0 -> 1 (--forwarding=on)");
		n++;
	}
	return n;
}
