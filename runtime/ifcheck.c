/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ifcheck.h"

#include <linux/netfilter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* One RouterOS rule's match on a name: the first kernel rule of it (a
 * rule may become several, one per set of an address list). */
struct use {
	const struct ir_table *t;
	const struct ir_chain *c;
	const struct ir_rule *r;
	enum ir_key key;
	bool neg;
	const char *list;	/* the interface list that holds the name, or NULL */
};

struct name {
	char s[17];
	bool wild;		/* an nft wildcard: any name with this prefix */
	bool empty;		/* s is an interface list that has no members */
	struct use *uses;
	size_t n;
};

struct names {
	struct name *v;
	size_t n;
};

/* What a rule does, as far as which way a match that fails matters. */
enum act { A_ACCEPT, A_DROP, A_REJECT, A_JUMP, A_RETURN, A_SNAT, A_DNAT, A_MARK, A_LIST, A_NOTRACK, A_FLOW, A_LOG, A_OTHER };

/*
 * The name a match value holds: the bytes up to its NUL. A value that
 * fills its length without one is nft's wildcard (`iifname "ppp*"`
 * compares only the prefix), as is a range from the prefix padded with
 * 0x00 to it padded with 0xff (the same in a set); a trailing '*' is
 * read the same way.
 */
static bool ifname_get(const struct ir_data *lo, const struct ir_data *hi, char out[17], bool *wild)
{
	size_t n = strnlen((const char *)lo->b, lo->len > 16 ? 16 : lo->len), i;

	memcpy(out, lo->b, n);
	out[n] = '\0';
	*wild = n == lo->len && n < 16;
	if (hi) {
		if (memcmp(lo->b, hi->b, n))
			return false;	/* a range that is no prefix: not ours to judge */
		for (i = n; i < hi->len; i++)
			if (hi->b[i] != 0xff)
				return false;
		*wild = true;
	}
	if (n && out[n - 1] == '*') {
		out[--n] = '\0';
		*wild = true;
	}
	return n > 0;
}

static bool loc_same(const struct loc *a, const struct loc *b)
{
	return a->file == b->file && a->line == b->line && a->col == b->col;
}

static void name_use(struct names *ns, const char *s, bool wild, const struct use *u)
{
	struct name *nm = NULL;
	size_t i;

	for (i = 0; i < ns->n && !nm; i++)
		if (!ns->v[i].empty && ns->v[i].wild == wild && !strcmp(ns->v[i].s, s))
			nm = &ns->v[i];
	if (!nm) {
		ns->v = xreallocarray(ns->v, ns->n + 1, sizeof(*ns->v));
		nm = &ns->v[ns->n++];
		memset(nm, 0, sizeof(*nm));
		snprintf(nm->s, sizeof(nm->s), "%s", s);
		nm->wild = wild;
	}
	for (i = 0; i < nm->n; i++) {
		const struct use *o = &nm->uses[i];

		if (o->t == u->t && o->r->id == u->r->id && loc_same(&o->r->loc, &u->r->loc) && o->key == u->key &&
		    o->neg == u->neg)
			return;
	}
	nm->uses = xreallocarray(nm->uses, nm->n + 1, sizeof(*nm->uses));
	nm->uses[nm->n++] = *u;
}

/* An interface list no member of which is here: RouterOS fills WAN and LAN
 * itself (detect-internet, defconf), an export may not say them. */
static void list_empty(struct names *ns, const char *list, const struct use *u)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (ns->v[i].empty && !strcmp(ns->v[i].s, list))
			break;
	if (i == ns->n) {
		ns->v = xreallocarray(ns->v, ns->n + 1, sizeof(*ns->v));
		memset(&ns->v[ns->n], 0, sizeof(ns->v[0]));
		snprintf(ns->v[ns->n].s, sizeof(ns->v[0].s), "%s", list);
		ns->v[ns->n++].empty = true;
	}
	ns->v[i].uses = xreallocarray(ns->v[i].uses, ns->v[i].n + 1, sizeof(*ns->v[i].uses));
	ns->v[i].uses[ns->v[i].n++] = *u;
}

static void elems_use(struct names *ns, const struct ir_elem *e, size_t n, const struct use *u)
{
	char s[17];
	bool wild;
	size_t i;

	for (i = 0; i < n; i++)
		if (ifname_get(&e[i].lo, e[i].range ? &e[i].hi : NULL, s, &wild))
			name_use(ns, s, wild, u);
}

static void rule_scan(struct names *ns, const struct ir_table *t, const struct ir_chain *c, const struct ir_rule *r)
{
	size_t i;

	/* Its RouterOS rule's own kernel rule carries the same interface
	 * match, and the action that says what a missing interface does. */
	if (r->state_only)
		return;

	for (i = 0; i < r->n; i++) {
		const struct ir_match *m = &r->stmts[i].u.m;
		struct use u = { t, c, r, m->key, false, NULL };
		char s[17];
		bool wild;

		if (r->stmts[i].kind != S_MATCH || (m->key != K_META_IIFNAME && m->key != K_META_OIFNAME))
			continue;
		switch (m->op) {
		case OP_NE:
			u.neg = true;
			/* fall through */
		case OP_EQ:
			if (ifname_get(&m->v, NULL, s, &wild))
				name_use(ns, s, wild, &u);
			break;
		case OP_NOTIN:
			u.neg = true;
			/* fall through */
		case OP_IN:
			if (m->set) {
				const struct ir_set *set = ir_set_find(t, m->set);

				u.list = set && set->comment ? set->comment : m->set;
				if (set && !set->n)
					list_empty(ns, u.list, &u);
				else if (set)
					elems_use(ns, set->elems, set->n, &u);
			} else {
				elems_use(ns, m->elems, m->nelems, &u);
			}
			break;
		case OP_RANGE:
		case OP_NRANGE:
			u.neg = m->op == OP_NRANGE;
			if (ifname_get(&m->v, &m->hi, s, &wild))
				name_use(ns, s, wild, &u);
			break;
		default:
			break;
		}
	}
}

static enum act rule_act(const struct ir_rule *r, const char **jump)
{
	bool seen[A_OTHER + 1] = { false };
	size_t i;
	int a;

	for (i = 0; i < r->n; i++) {
		const struct ir_stmt *s = &r->stmts[i];

		switch (s->kind) {
		case S_NAT:
			seen[s->u.nat.kind == NAT_SNAT || s->u.nat.kind == NAT_MASQ ? A_SNAT : A_DNAT] = true;
			break;
		case S_REJECT: seen[A_REJECT] = true; break;
		case S_SET_FIELD: seen[A_MARK] = true; break;
		case S_SET_ADD: seen[A_LIST] = true; break;
		case S_NOTRACK: seen[A_NOTRACK] = true; break;
		case S_FLOW_ADD: seen[A_FLOW] = true; break;
		case S_LOG: seen[A_LOG] = true; break;
		case S_VERDICT:
			switch (s->u.verdict.kind) {
			case V_DROP: seen[A_DROP] = true; break;
			case V_ACCEPT: seen[A_ACCEPT] = true; break;
			case V_RETURN: seen[A_RETURN] = true; break;
			case V_JUMP:
			case V_GOTO:
				seen[A_JUMP] = true;
				*jump = s->u.verdict.chain;
				break;
			default: break;
			}
			break;
		default:
			break;
		}
	}
	/* What the rule is for comes first: a mark with passthrough=no also
	 * accepts, a drop may also log. */
	{
		static const enum act order[] = { A_SNAT, A_DNAT, A_REJECT, A_DROP, A_MARK, A_LIST, A_JUMP, A_RETURN,
						   A_ACCEPT, A_NOTRACK, A_FLOW, A_LOG };

		for (a = 0; a < (int)(sizeof(order) / sizeof(order[0])); a++)
			if (seen[order[a]])
				return order[a];
	}
	return A_OTHER;
}

/*
 * Which way a rule fails when a name it matches on does not exist: `pos`
 * when the match is positive (the rule never sees that traffic), `neg`
 * when negated (`!NAME` holds for every packet, so the rule acts on all
 * traffic, the interface's it was to spare included). "%s": the chain a
 * jump goes to.
 */
static const struct {
	const char *what, *pos, *neg;
} effects[] = {
	[A_ACCEPT] = { "accept",
		       "it never accepts that traffic, which goes on to the rules after it: this closes traffic the rule would have accepted",
		       "it accepts all traffic, what it was to leave to the rules after it included: this opens traffic" },
	[A_DROP] = { "drop", "it never drops that traffic: this opens traffic the rule would have stopped",
		     "it drops all traffic, what it was to spare included: this closes traffic" },
	[A_REJECT] = { "reject", "it never rejects that traffic: this opens traffic the rule would have stopped",
		       "it rejects all traffic, what it was to spare included: this closes traffic" },
	[A_JUMP] = { "jump", "chain %s never sees that traffic: what its rules would stop is open, what they would accept goes on to the rules after this one",
		     "chain %s sees all traffic, what this rule was to keep from it included" },
	[A_RETURN] = { "return", "that traffic goes on to the rules after it instead of back to the calling chain",
		       "all traffic goes back to the calling chain, what it was to leave to the rules after it included" },
	[A_SNAT] = { "masquerade/src-nat",
		     "nothing through it is source-NATed (masquerade): it leaves with its own source addresses and its replies do not come back: this closes traffic",
		     "all traffic is source-NATed (masquerade), what it was to spare included" },
	[A_DNAT] = { "dst-nat/redirect",
		     "nothing through it is destination-NATed: the port forward or redirect does not happen: this closes the service it forwards",
		     "all traffic is destination-NATed, what it was to spare included: this opens the service it forwards to that traffic" },
	[A_MARK] = { "mark", "it never marks that traffic: rules that match the mark miss it",
		     "it marks all traffic, what it was to spare included: rules that match the mark catch it" },
	[A_LIST] = { "add to address list", "it never adds that traffic's addresses to its list: rules that use the list miss them",
		     "it adds the addresses of all traffic to its list, what it was to spare included" },
	[A_NOTRACK] = { "notrack", "that traffic is tracked after all", "no traffic is tracked, what it was to spare included" },
	[A_FLOW] = { "fasttrack", "that traffic is not fasttracked", "all traffic is fasttracked, what it was to spare included" },
	[A_LOG] = { "log", "nothing of that traffic is logged", "all traffic is logged" },
	[A_OTHER] = { "its action", "it never acts on that traffic", "it acts on all traffic, what it was to spare included" },
};

/* A kernel chain's RouterOS name, for what a jump reaches. */
static const char *chain_ros(const struct ir_table *t, const char *kernel)
{
	const struct ir_chain *c = kernel ? ir_chain_find(t, kernel) : NULL;

	return c && c->ros_name ? c->ros_name : kernel ? kernel : "?";
}

static void use_report(struct diag *d, enum diag_level lvl, const struct name *nm, const struct use *u,
		       const char *missing)
{
	const char *jump = NULL, *prop = u->key == K_META_IIFNAME ? "in-interface" : "out-interface";
	enum act a = rule_act(u->r, &jump);
	const char *fx = u->neg ? effects[a].neg : effects[a].pos;
	char effect[400], via[160], subject[80];

	snprintf(effect, sizeof(effect), fx, chain_ros(u->t, jump));
	if (nm->empty)
		snprintf(via, sizeof(via), "%s-list=%s%s", prop, u->neg ? "!" : "", u->list);
	else if (u->list)
		snprintf(via, sizeof(via), "%s-list=%s%s holds \"%s%s\"", prop, u->neg ? "!" : "", u->list, nm->s,
			 nm->wild ? "*" : "");
	else
		snprintf(via, sizeof(via), "%s=%s%s%s", prop, u->neg ? "!" : "", nm->s, nm->wild ? "*" : "");
	if (u->t->family == NFPROTO_BRIDGE)
		snprintf(subject, sizeof(subject), "rule %ld of /interface bridge %s", u->r->id,
			 u->c->facility && !strcmp(u->c->facility, "brnat") ? "nat" : "filter");
	else
		snprintf(subject, sizeof(subject), "rule %ld of /%s firewall %s", u->r->id,
			 u->t->family == 10 ? "ipv6" : "ip", u->c->facility ? u->c->facility : "?");
	diag_report(d, lvl, &u->r->loc, "%s (chain %s, %s): %s, but %s: %s", subject,
		    u->c->ros_name ? u->c->ros_name : u->c->name, effects[a].what, via, missing, effect);
}

/* RouterOS's names for the PPP and tunnel links it makes itself
 * (pppoe-out1, l2tp-in2, <pppoe-user>): no Linux tool names a link so. */
static bool ros_dynamic(const char *s)
{
	static const char *const kinds[] = { "pppoe-", "pptp-", "l2tp-", "sstp-", "ovpn-", "ppp-" };
	size_t i, n;

	if (s[0] == '<')
		return true;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		n = strlen(kinds[i]);
		if (!strncmp(s, kinds[i], n) && (!strncmp(s + n, "out", 3) || !strncmp(s + n, "in", 2) ||
						  !strncmp(s + n, "client", 6) || !strncmp(s + n, "server", 6)))
			return true;
	}
	return false;
}

static bool allowed(const char *allow, const char *s)
{
	const char *p = allow;

	while (p && *p) {
		size_t n = strcspn(p, ",");

		if ((n == strlen(s) && !strncmp(p, s, n)) || (n && p[n - 1] == '*' && !strncmp(p, s, n - 1)))
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

/* Whether `e` (n elements) holds the name "lo". */
static bool elems_lo(const struct ir_elem *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!e[i].range && !strncmp((const char *)e[i].lo.b, "lo", e[i].lo.len) && e[i].lo.len >= 3)
			return true;
	return false;
}

/* The rule's match on the input interface that every packet from lo
 * passes: a negated one without lo (`!LAN`, a list lo is not in). */
static bool spares_not_lo(const struct ir_table *t, const struct ir_rule *r, bool *lo_accept)
{
	bool neg_without_lo = false, lo_only = false;
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct ir_match *m = &r->stmts[i].u.m;

		if (r->stmts[i].kind != S_MATCH || m->key != K_META_IIFNAME)
			continue;
		if (m->op == OP_EQ && m->v.len >= 3 && !strcmp((const char *)m->v.b, "lo"))
			lo_only = true;
		else if (m->op == OP_NE)
			neg_without_lo |= strncmp((const char *)m->v.b, "lo", m->v.len) || m->v.len < 3;
		else if (m->op == OP_NOTIN && m->set) {
			const struct ir_set *set = ir_set_find(t, m->set);

			neg_without_lo |= !set || !elems_lo(set->elems, set->n);
		} else if (m->op == OP_NOTIN) {
			neg_without_lo |= !elems_lo(m->elems, m->nelems);
		}
	}
	*lo_accept = lo_only;
	return neg_without_lo;
}

/*
 * A router hardly talks to itself; a server does, over lo: a resolver
 * stub at 127.0.0.53, ::1, its own addresses. The default configuration's
 * "drop all not coming from LAN" drops all of that, which nobody would
 * trace to the firewall: said at the rule, with the way out.
 */
static void loopback_check(const struct ir_table *t, struct diag *d)
{
	const struct ir_chain *c = NULL;
	long said = -1;
	size_t i;

	for (i = 0; i < t->nchains && !c; i++)
		if (t->chains[i]->hook == HOOK_INPUT && t->chains[i]->facility &&
		    !strcmp(t->chains[i]->facility, "filter"))
			c = t->chains[i];
	for (i = 0; c && i < c->n; i++) {
		const struct ir_rule *r = c->rules[i];
		const char *jump = NULL;
		enum act a = rule_act(r, &jump);
		bool lo_accept;

		if (!r->loc.file)
			continue;
		if (!spares_not_lo(t, r, &lo_accept)) {
			if (lo_accept && a == A_ACCEPT)
				return;		/* lo is taken care of before */
			continue;
		}
		if ((a != A_DROP && a != A_REJECT) || r->id == said)
			continue;
		said = r->id;
		diag_warning(d, &r->loc,
			     "rule %ld of /%s firewall filter (chain input, %s) also %ss this server's own connections to itself (interface lo: %s, its own addresses), which a router hardly makes: add lo to the list it spares (/interface list member add list=LAN interface=lo) or accept in-interface=lo before it",
			     r->id, t->family == 10 ? "ipv6" : "ip", effects[a].what, effects[a].what,
			     t->family == 10 ? "::1" : "a resolver stub at 127.0.0.53");
	}
}

/*
 * The ports table bridge rosfw numbers (lower_bridge.c): one missing is a
 * missing interface like in-interface's; one that is no bridge's port
 * here gives its packets to no bridge hook, so its number is never
 * written and in-bridge-port=it never matches. Said at the rule that
 * first names the port.
 */
static size_t brport_check(const struct ir *ir, const struct links *have, const struct ifcheck_opts *o,
			   struct diag *d)
{
	enum diag_level lvl = o->policy == IFCHECK_ERROR ? DIAG_ERROR : DIAG_WARNING;
	const struct ir_chain *c = ir->bridge ? ir_chain_find(ir->bridge, "prerouting") : NULL;
	size_t i, missing = 0;

	if (c && (!c->facility || strcmp(c->facility, "bridge-port")))
		c = NULL;
	for (i = 0; c && i < c->n; i++) {
		const struct ir_rule *r = c->rules[i];
		const struct link *l, *br;
		char s[17];

		if (r->n < 1 || r->stmts[0].kind != S_MATCH || r->stmts[0].u.m.key != K_META_IIFNAME ||
		    r->stmts[0].u.m.v.len < 16)
			continue;	/* a prefix ("ppp*"): links come and go */
		memcpy(s, r->stmts[0].u.m.v.b, 16);
		s[16] = '\0';
		l = links_find(have, s);
		br = l && l->master ? links_by_index(have, l->master) : NULL;
		if (!l && allowed(o->allow, s)) {
			diag_note(d, &r->loc, "bridge port \"%s\" does not exist here yet (--allow-missing): rules that match it act once it is a port", s);
		} else if (!l) {
			missing++;
			diag_report(d, lvl, &r->loc,
				    "bridge port \"%s\" does not exist here: rules that match it (in-bridge-port, in-bridge-port-list) never match%s",
				    s, o->policy == IFCHECK_ERROR ? "; map the router's name to this server's (--interface ROUTER=LINUX), --allow-missing=NAME, or --missing-interfaces=warn" : "");
		} else if (!br || !br->bridge) {
			diag_warning(d, &r->loc,
				     "\"%s\" is no bridge's port here: its packets pass no bridge hook, so rules that match it as a bridge port (in-bridge-port, in-bridge-port-list) never match", s);
		}
	}
	return missing;
}

size_t ifcheck_run(const struct ir *ir, const struct links *have, const struct ifcheck_opts *o, struct diag *d)
{
	enum diag_level lvl = o->policy == IFCHECK_ERROR ? DIAG_ERROR : DIAG_WARNING;
	struct names ns = { 0 };
	size_t f, i, j, k, missing = 0;

	for (f = 0; f < 3; f++) {
		const struct ir_table *t = f < 2 ? ir->tables[f] : ir->bridge;

		if (t && f < 2)
			loopback_check(t, d);
		for (i = 0; t && i < t->nchains; i++) {
			/* the bridge ports' numbers: brport_check */
			if (t->chains[i]->facility && !strcmp(t->chains[i]->facility, "bridge-port"))
				continue;
			for (j = 0; j < t->chains[i]->n; j++)
				if (t->chains[i]->rules[j]->loc.file)
					rule_scan(&ns, t, t->chains[i], t->chains[i]->rules[j]);
		}
	}
	for (i = 0; i < ns.n; i++) {
		const struct name *nm = &ns.v[i];
		const struct link *l = nm->wild ? NULL : links_find(have, nm->s);
		const struct link *br = l && l->master ? links_by_index(have, l->master) : NULL;
		char why[120];

		if (nm->empty) {
			missing++;
			diag_report(d, lvl, NULL,
				    "interface list \"%s\" has no members: %zu rule%s match%s on it (below); RouterOS fills WAN and LAN itself (detect-internet, the default configuration), an export may not say them: add them in a file given after it (/interface list member add list=%s interface=...)%s",
				    nm->s, nm->n, nm->n == 1 ? "" : "s", nm->n == 1 ? "es" : "", nm->s,
				    o->policy == IFCHECK_ERROR ? ", or --missing-interfaces=warn" : "");
			for (k = 0; k < nm->n; k++)
				use_report(d, lvl, nm, &nm->uses[k], "it has no members, so it matches no interface");
			continue;
		}
		if (nm->wild) {
			if (!links_prefix(have, nm->s, strlen(nm->s)))
				diag_note(d, NULL,
					  "no interface matches \"%s*\" here now: the %zu rule%s using it act once such an interface appears (interfaces are matched by name, as ppp links come and go)",
					  nm->s, nm->n, nm->n == 1 ? "" : "s");
			continue;
		}
		if (l && !(br && br->bridge))
			continue;
		if (l) {
			/* The IP firewall sees what a bridge port receives as
			 * the bridge's, as RouterOS's in-interface does (its
			 * in-bridge-port names the port). Only a warning: with
			 * br_netfilter, bridged packets do carry the port. */
			snprintf(why, sizeof(why), "\"%s\" is a port of bridge \"%s\" here, and IP rules see its traffic as %s's",
				 nm->s, br->name, br->name);
			/* the bridge menus' rules do see the port */
			for (k = 0; k < nm->n; k++)
				if (nm->uses[k].t->family != NFPROTO_BRIDGE)
					use_report(d, DIAG_WARNING, nm, &nm->uses[k], why);
			continue;
		}
		if (allowed(o->allow, nm->s) && ros_dynamic(nm->s)) {
			/* pppd never makes a pppoe-out1: these rules would
			 * wait for a name that never comes. */
			diag_warning(d, NULL,
				     "interface \"%s\" does not exist here yet (--allow-missing), but it is a RouterOS name: on Linux pppd names its links pppN, so the %zu rule%s using it would never act; map it (--interface %s=ppp*)",
				     nm->s, nm->n, nm->n == 1 ? "" : "s", nm->s);
			continue;
		}
		if (allowed(o->allow, nm->s)) {
			diag_note(d, NULL,
				  "interface \"%s\" does not exist here yet (--allow-missing): the %zu rule%s using it act once it appears",
				  nm->s, nm->n, nm->n == 1 ? "" : "s");
			continue;
		}
		missing++;
		snprintf(why, sizeof(why), "this machine has no interface \"%s\"", nm->s);
		diag_report(d, lvl, NULL,
			    "interface \"%s\" does not exist here: %zu rule%s match%s on it (below)%s", nm->s, nm->n,
			    nm->n == 1 ? "" : "s", nm->n == 1 ? "es" : "", o->policy == IFCHECK_ERROR ?
			    "; map the router's name to this server's (--interface ROUTER=LINUX, or the map file: see README, \"Interface names on a Linux server\"), --allow-missing=NAME for one that appears later, or --missing-interfaces=warn" : "");
		for (k = 0; k < nm->n; k++)
			use_report(d, lvl, nm, &nm->uses[k], why);
	}
	missing += brport_check(ir, have, o, d);
	if (ir->ifnames_impossible) {
		/* Each was warned at its place by lowering: here they count
		 * as what they are on this machine, interfaces it lacks. */
		missing += ir->ifnames_impossible;
		diag_report(d, lvl, NULL,
			    "%u rule%s or interface-list member%s name%s an interface no Linux machine can have (warned above: a rule never matches, a member is left out)%s",
			    ir->ifnames_impossible, ir->ifnames_impossible == 1 ? "" : "s",
			    ir->ifnames_impossible == 1 ? "" : "s", ir->ifnames_impossible == 1 ? "s" : "",
			    o->policy == IFCHECK_ERROR ? "; map each to this server's (--interface), or --missing-interfaces=warn" : "");
	}
	for (i = 0; i < ns.n; i++)
		free(ns.v[i].uses);
	free(ns.v);
	return missing;
}

bool ifcheck_opt_policy(const char *arg, enum ifcheck_policy *out)
{
	if (!strcmp(arg, "error"))
		*out = IFCHECK_ERROR;
	else if (!strcmp(arg, "warn"))
		*out = IFCHECK_WARN;
	else {
		fprintf(stderr, "rosfw: --missing-interfaces takes error or warn\n");
		return false;
	}
	return true;
}

bool ifcheck_opt_allow(const char *arg)
{
	const char *p = arg;

	for (;;) {
		size_t n = strcspn(p, ","), i;
		bool ok = n && n < 16;

		for (i = 0; ok && i < n; i++)
			ok = (unsigned char)p[i] > 0x20 && p[i] != '"' && p[i] != 0x7f && p[i] != '/' &&
			     (p[i] != '*' || i == n - 1);
		if (!ok) {
			fprintf(stderr, "rosfw: --allow-missing takes interface names (1 to 15 bytes, a trailing * for a prefix) separated by commas\n");
			return false;
		}
		if (!p[n])
			return true;
		p += n + 1;
	}
}
