/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checks RouterOS makes when a command would leave an item inconsistent
 * (item_check), and references between menus that only the whole
 * configuration can settle (model_finish); with them, what RouterOS takes
 * and no kernel loads: names too long for a kernel object, NAT where its
 * hook does not allow it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lower.h"
#include "model_impl.h"
#include "value.h"
#include "xalloc.h"

static const enum prop_id port_props[] = { P_SRC_PORT, P_DST_PORT, P_PORT };

/* An address that says "none": exports write to-addresses=0.0.0.0. */
static bool addr_unspecified(const struct mprop *p)
{
	static const uint8_t zero[16];
	struct value_addr a;

	return mprop_len(p) && mprop_addr(p, &a) && a.kind == VA_ADDR && !memcmp(a.lo, zero, sizeof(zero));
}

static void rule_check(struct model *m, enum menu_kind k, const struct mitem *it, const struct loc *cmd)
{
	const struct action_def *ad = action_def(mitem_action(it, k));
	const struct mprop *proto = mitem_prop(it, menu_kind_is_bridge(k) ? P_IP_PROTOCOL : P_PROTOCOL);
	const struct mprop *jt = mitem_prop(it, P_JUMP_TARGET);
	const struct mprop *ta = mitem_prop(it, P_TO_ADDRESSES), *rp = mitem_prop(it, P_RANDOMISE_PORTS);
	size_t i;
	int p = -1;

	if (!mitem_prop(it, P_CHAIN)) {
		diag_error(m->d, cmd, "a rule of %s needs chain=", menu_kind_path(k));
		return;
	}
	/* What the action needs before RouterOS accepts the rule: one
	 * property, or either of two. */
	if (k == MK_BRIDGE_NAT && (ad->id == A_DST_NAT || ad->id == A_SRC_NAT)) {
		/* the bridge's NAT rewrites a MAC */
		enum prop_id need = ad->id == A_DST_NAT ? P_TO_DST_MAC_ADDRESS : P_TO_SRC_MAC_ADDRESS;

		if (!mitem_prop(it, need))
			diag_error(m->d, cmd, "action=%s needs %s=", ad->name, prop_def(need)->name);
	} else if (ad->nneeds && !mitem_prop(it, ad->needs[0]) && !(ad->nneeds > 1 && mitem_prop(it, ad->needs[1])))
		diag_error(m->d, cmd, "action=%s needs %s=%s%s%s", ad->name, prop_def(ad->needs[0])->name,
			   ad->nneeds > 1 ? " or " : "", ad->nneeds > 1 ? prop_def(ad->needs[1])->name : "",
			   ad->nneeds > 1 ? "=" : "");
	/* RouterOS refuses ports unless the protocol has them; a negated
	 * protocol (!tcp) does not name one. */
	if (proto && mprop_len(proto) && !proto->neg)
		p = (int)proto->v.u;
	for (i = 0; i < sizeof(port_props) / sizeof(port_props[0]); i++) {
		const struct mprop *pp = mitem_prop(it, port_props[i]);

		if (pp && (p < 0 || !value_proto_has_ports(p)))
			diag_error(m->d, &pp->loc, "%s needs %s=tcp, udp, udp-lite, dccp or sctp%s",
				   prop_def(port_props[i])->name, menu_kind_is_bridge(k) ? "ip-protocol" : "protocol",
				   proto ? "" : " (none is given)");
	}
	if (jt && ad->id != A_JUMP)
		diag_warning(m->d, &jt->loc, "jump-target has no effect unless action=jump");
	if (rp && rp->v.u && ad->id != A_MASQUERADE && ad->id != A_SRC_NAT)
		diag_warning(m->d, &rp->loc,
			     "randomise-ports is applied to action=masquerade and src-nat; with action=%s the kernel keeps its own port choice",
			     ad->name);
	/* The kernel's masquerade and redirect take ports only: the address
	 * is the interface's, as RouterOS documents them. */
	if ((ad->id == A_MASQUERADE || ad->id == A_REDIRECT) && ta && !addr_unspecified(ta))
		diag_error(m->d, &ta->loc,
			   "action=%s takes no to-addresses: %s, and the kernel's %s has no place for one, so it would refuse the rule (action=%s chooses the address)",
			   ad->name,
			   ad->id == A_MASQUERADE ? "it takes the address of the interface the packet leaves by"
						  : "it sends the packet to the router's own address",
			   ad->name, ad->id == A_MASQUERADE ? "src-nat" : "dst-nat");
}

/* True the first time `what` (n bytes, any length) is noted under `tag`. */
static bool noted_first(struct model *m, const char *tag, const char *what, size_t n)
{
	size_t tl = strlen(tag);
	char *key = xmalloc(tl + n + 1);
	bool seen;

	memcpy(key, tag, tl);
	memcpy(key + tl, what, n);
	key[tl + n] = '\0';
	seen = model_noted(m, key);
	free(key);
	return !seen;
}

/* One name of `p` (n bytes at s) against the kernel's limit on the name it
 * becomes (kname_ident, the one rule): said once per name, where it first
 * appears. */
static void kernel_name_check(struct model *m, const struct mprop *p, const char *kind, const char *prefix,
			      const char *s, size_t n)
{
	size_t need = kname_ident_len(prefix, s, n);

	if (need < LOWER_IDENT_MAX || !noted_first(m, prefix, s, n))
		return;
	diag_error(m->d, &p->loc,
		   "%s: this name (%zu bytes) is too long for the kernel: as the %s name %s... it takes %zu bytes (each byte other "
		   "than A-Z a-z 0-9 _ - is written .HH), and the kernel keeps at most %d",
		   prop_def(p->id)->name, n, kind, prefix, need, LOWER_IDENT_MAX - 1);
}

/* Name i of a VT_NAME (one) or VT_NAME_LIST, without one leading '!';
 * false past the last. */
static bool name_at(const struct mprop *p, size_t i, const char **s, size_t *n)
{
	struct vname v = { 0, mprop_len(p) };
	size_t count = 1;

	if (prop_def(p->id)->type == VT_NAME_LIST) {
		const struct vname *ns = mprop_names(p, &count);

		if (i < count)
			v = ns[i];
	}
	if (i >= count)
		return false;
	*s = p->value + v.off;
	*n = v.len;
	if (*n && **s == '!') {
		(*s)++;
		(*n)--;
	}
	return true;
}

/* Names that become names of kernel sets and chains must fit them. */
static void kernel_names_check(struct model *m, enum menu_kind k, const struct mitem *it)
{
	size_t i, j, n;

	for (i = 0; i < it->nprops; i++) {
		const struct mprop *p = &it->props[i];
		const struct prop_def *def = prop_def(p->id);
		const char *prefix, *kind, *s;

		if ((def->type != VT_NAME && def->type != VT_NAME_LIST) || !(kind = lower_name_kind(k, p->id, &prefix)))
			continue;
		for (j = 0; name_at(p, j, &s, &n); j++)
			kernel_name_check(m, p, kind, prefix, s, n);
	}
}

void item_check(struct model *m, enum menu_kind k, const struct mitem *it, const struct loc *cmd)
{
	kernel_names_check(m, k, it);
	if (menu_kind_is_rules(k)) {
		rule_check(m, k, it, cmd);
		return;
	}
	switch (k) {
	case MK_ADDRLIST4:
	case MK_ADDRLIST6:
		if (!mitem_prop(it, P_LIST))
			diag_error(m->d, cmd, "an address-list entry needs list=");
		break;
	case MK_IFLIST_MEMBER:
		if (!mitem_prop(it, P_LIST) || !mitem_prop(it, P_INTERFACE))
			diag_error(m->d, cmd, "an interface list member needs list= and interface=");
		break;
	case MK_IFLIST:
	case MK_LAYER7:
		if (!mitem_prop(it, P_NAME))
			diag_error(m->d, cmd, "an item of %s needs name=", menu_kind_path(k));
		break;
	default:
		break;
	}
}

bool name_is_deleted_id(const char *s, size_t n)
{
	size_t i;

	if (n < 2 || s[0] != '*')
		return false;
	for (i = 1; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'F') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* A live router exports a rule whose interface, list or layer7 protocol was
 * deleted with the object's id in place of its name. Disabled, the rule
 * changes nothing; active, what it should match is lost. */
static void deleted_refs_check(struct model *m, const struct mitem *it)
{
	static const enum prop_id refs[] = {
		P_IN_INTERFACE, P_OUT_INTERFACE, P_IN_INTERFACE_LIST, P_OUT_INTERFACE_LIST, P_IN_BRIDGE_PORT,
		P_OUT_BRIDGE_PORT, P_IN_BRIDGE_PORT_LIST, P_OUT_BRIDGE_PORT_LIST, P_LAYER7_PROTOCOL,
		P_SRC_ADDRESS_LIST, P_DST_ADDRESS_LIST, P_ADDRESS_LIST, P_ROUTING_MARK, P_NEW_ROUTING_MARK,
		P_ROUTING_TABLE,
	};
	const struct mprop *p;
	const char *s;
	size_t i, j, n;

	for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		if (!(p = mitem_prop(it, refs[i])))
			continue;
		for (j = 0; name_at(p, j, &s, &n); j++) {
			if (!name_is_deleted_id(s, n))
				continue;
			if (it->disabled)
				diag_warning(m->d, &p->loc,
					     "%s=%.*s names an object the router had deleted (RouterOS exports it as %.*s); the rule is disabled, so no traffic changes",
					     prop_def(p->id)->name, (int)mprop_len(p), p->value, (int)n, s);
			else
				diag_error(m->d, &p->loc,
					   "%s=%.*s: the router had deleted this object; RouterOS exports it as %.*s, and what the rule should match is lost (name it, disable the rule or remove it)",
					   prop_def(p->id)->name, (int)mprop_len(p), p->value, (int)n, s);
		}
	}
}

static bool named_exists(const struct model *m, enum menu_kind k, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < model_count(m, k); i++) {
		const char *v = mitem_value(model_item(m, k, i), k, P_NAME);

		if (v && strlen(v) == len && !memcmp(v, name, len))
			return true;
	}
	return false;
}

/* Each name in `p` (one '!' allowed) must name an item of `k`. */
static void refs_check(struct model *m, const struct mprop *p, enum menu_kind k, const char *what)
{
	const char *name;
	size_t n, i;

	for (i = 0; name_at(p, i, &name, &n); i++) {
		if (!n || named_exists(m, k, name, n) || name_is_deleted_id(name, n))
			continue;
		/* Templates lean on the lists of the router's default
		 * configuration; an undefined list is an empty one. */
		if (k == MK_IFLIST && noted_first(m, "iflist:", name, n))
			diag_warning(m->d, &p->loc, "no %s named \"%.*s\" is defined: it has no members, so it matches no interface",
				     what, (int)n, name);
		else if (k != MK_IFLIST)
			diag_error(m->d, &p->loc, "%s=%.*s: no %s named \"%.*s\"", prop_def(p->id)->name, (int)mprop_len(p),
				   p->value, what, (int)n, name);
	}
}

/* ---- NAT actions and the chains they sit in ------------------------------ */

/* Where a NAT chain is reached from: bit 1 srcnat, bit 2 dstnat. */
enum { FROM_SRC = 1, FROM_DST = 2 };

struct nat_chain {
	const char *name;
	unsigned from;
};

static int nat_chain_cmp(const void *a, const void *b)
{
	return strcmp(((const struct nat_chain *)a)->name, ((const struct nat_chain *)b)->name);
}

/* A jump between two chains, by their index. */
struct nat_edge {
	size_t from, to;
};

static int nat_edge_cmp(const void *a, const void *b)
{
	const struct nat_edge *x = a, *y = b;

	return x->from < y->from ? -1 : x->from > y->from;
}

static struct nat_chain *nat_chain_find(struct nat_chain *v, size_t n, const char *name)
{
	struct nat_chain key = { name, 0 };

	return bsearch(&key, v, n, sizeof(*v), nat_chain_cmp);
}

/* What the kernel does at the hooks each action needs (nft_masq, nft_nat,
 * nft_redir validate the chain they are reached from): source NAT only
 * where packets leave (srcnat, postrouting), destination NAT only where
 * they come in or are made (dstnat, prerouting and output). netmap
 * becomes snat in srcnat and dnat elsewhere (lower_rules.c). */
static unsigned nat_action_needs(enum action_id a, const char *chain)
{
	if (a == A_MASQUERADE || a == A_SRC_NAT || a == A_SAME)
		return FROM_SRC;
	if (a == A_DST_NAT || a == A_REDIRECT)
		return FROM_DST;
	if (a == A_NETMAP)
		return !strcmp(chain, "srcnat") ? FROM_SRC : FROM_DST;
	return 0;
}

/*
 * A NAT action in a chain the other built-in chain reaches (directly, or
 * through jumps of rules that are not disabled) is a rule the kernel
 * refuses, and with it the whole ruleset: an error at the action. Chains
 * nothing reaches are loaded without the check, so they pass.
 */
static void nat_chains_check(struct model *m, enum menu_kind k)
{
	size_t n = model_count(m, k), nc = 0, ne = 0, i, w, *queue;
	struct nat_chain *c;
	struct nat_edge *e;
	unsigned bit;

	if (!n)
		return;
	c = xreallocarray(NULL, 2 * n + 2, sizeof(*c));
	c[nc++] = (struct nat_chain){ "srcnat", FROM_SRC };
	c[nc++] = (struct nat_chain){ "dstnat", FROM_DST };
	for (i = 0; i < n; i++) {
		const struct mitem *it = model_item(m, k, i);
		const char *ch = mitem_value(it, k, P_CHAIN), *t = mitem_value(it, k, P_JUMP_TARGET);

		if (ch)
			c[nc++] = (struct nat_chain){ ch, 0 };
		if (t)
			c[nc++] = (struct nat_chain){ t, 0 };
	}
	qsort(c, nc, sizeof(*c), nat_chain_cmp);
	for (i = w = 0; i < nc; i++) {
		if (w && !strcmp(c[w - 1].name, c[i].name))
			c[w - 1].from |= c[i].from;
		else
			c[w++] = c[i];
	}
	nc = w;
	/* Jumps carry where a chain is reached from to the chain they name:
	 * edges by source, then a search from srcnat and one from dstnat. */
	e = xreallocarray(NULL, n + 1, sizeof(*e));
	for (i = 0; i < n; i++) {
		const struct mitem *it = model_item(m, k, i);
		const char *ch = mitem_value(it, k, P_CHAIN), *t = mitem_value(it, k, P_JUMP_TARGET);

		if (!it->disabled && mitem_action(it, k) == A_JUMP && ch && t)
			e[ne++] = (struct nat_edge){ (size_t)(nat_chain_find(c, nc, ch) - c),
						    (size_t)(nat_chain_find(c, nc, t) - c) };
	}
	qsort(e, ne, sizeof(*e), nat_edge_cmp);
	queue = xreallocarray(NULL, nc, sizeof(*queue));
	for (bit = FROM_SRC; bit <= FROM_DST; bit <<= 1) {
		size_t head = 0, tail = 0;

		for (i = 0; i < nc; i++)
			if (c[i].from & bit)
				queue[tail++] = i;
		while (head < tail) {
			size_t from = queue[head++], lo = 0, hi = ne;

			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (e[mid].from < from)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (; lo < ne && e[lo].from == from; lo++) {
				if (!(c[e[lo].to].from & bit)) {
					c[e[lo].to].from |= bit;
					queue[tail++] = e[lo].to;
				}
			}
		}
	}
	free(queue);
	free(e);
	for (i = 0; i < n; i++) {
		const struct mitem *it = model_item(m, k, i);
		enum action_id a = mitem_action(it, k);
		const char *ch = mitem_value(it, k, P_CHAIN);
		const struct mprop *ap = mitem_prop(it, P_ACTION);
		const struct nat_chain *at;
		unsigned needs;

		if (it->disabled || !ch || !ap || !(needs = nat_action_needs(a, ch)))
			continue;
		at = nat_chain_find(c, nc, ch);
		if (!at || !(at->from & ~needs))
			continue;
		diag_error(m->d, &ap->loc,
			   "action=%s in chain %s%s: the kernel changes %s addresses only in %s, and would refuse the ruleset%s",
			   action_def(a)->name, ch,
			   !strcmp(ch, "srcnat") || !strcmp(ch, "dstnat") ? ""
			   : at->from & FROM_SRC && at->from & FROM_DST ? ", which srcnat and dstnat reach through jumps"
			   : at->from & FROM_SRC ? ", which srcnat reaches through jumps" : ", which dstnat reaches through jumps",
			   needs == FROM_SRC ? "source" : "destination",
			   needs == FROM_SRC ? "srcnat (where packets leave)" : "dstnat (where packets come in or are made)",
			   a == A_NETMAP && needs == FROM_DST ? " (netmap outside chain=srcnat maps destination addresses)" : "");
	}
	free(c);
}

void model_finish(struct model *m)
{
	static const enum prop_id iflist_props[] = {
		P_IN_INTERFACE_LIST, P_OUT_INTERFACE_LIST, P_IN_BRIDGE_PORT_LIST, P_OUT_BRIDGE_PORT_LIST,
	};
	int k;
	size_t i, j;

	for (k = MK_FILTER4; k <= MK_RAW6; k++) {
		for (i = 0; i < model_count(m, k); i++) {
			const struct mitem *it = model_item(m, k, i);
			const struct mprop *p;

			deleted_refs_check(m, it);
			for (j = 0; j < sizeof(iflist_props) / sizeof(iflist_props[0]); j++)
				if ((p = mitem_prop(it, iflist_props[j])))
					refs_check(m, p, MK_IFLIST, "interface list");
			if ((p = mitem_prop(it, P_LAYER7_PROTOCOL)))
				refs_check(m, p, MK_LAYER7, "layer7 protocol");
		}
	}
	for (i = 0; i < model_count(m, MK_IFLIST_MEMBER); i++) {
		const struct mprop *p = mitem_prop(model_item(m, MK_IFLIST_MEMBER, i), P_LIST);

		if (p)
			refs_check(m, p, MK_IFLIST, "interface list");
	}
	for (i = 0; i < model_count(m, MK_IFLIST); i++) {
		const struct mitem *it = model_item(m, MK_IFLIST, i);
		const struct mprop *p;

		if ((p = mitem_prop(it, P_INCLUDE)))
			refs_check(m, p, MK_IFLIST, "interface list");
		if ((p = mitem_prop(it, P_EXCLUDE)))
			refs_check(m, p, MK_IFLIST, "interface list");
	}
	for (k = MK_BRIDGE_FILTER; k <= MK_BRIDGE_NAT; k++)
		for (i = 0; i < model_count(m, k); i++) {
			const struct mitem *it = model_item(m, k, i);
			const struct mprop *p;

			for (j = 0; j < 2; j++)
				if ((p = mitem_prop(it, iflist_props[j])))
					refs_check(m, p, MK_IFLIST, "interface list");
			if ((p = mitem_prop(it, P_IN_BRIDGE_LIST)) || (p = mitem_prop(it, P_OUT_BRIDGE_LIST)))
				refs_check(m, p, MK_IFLIST, "interface list");
		}
	nat_chains_check(m, MK_NAT4);
	nat_chains_check(m, MK_NAT6);
	model_untranslated_report(m);
}
