/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /ip route, /ipv6 route, /routing table, /ip route rule and /routing rule
 * into the routes and ip rules of rosfw's tables (routes.h). RouterOS
 * routes a packet whose routing mark (v6) or routing table (v7) is X by
 * table X and, when X has no route for it, by main; Linux does the same
 * with `ip rule fwmark X lookup T` (a lookup that finds nothing goes on
 * to the next rule), so the two agree without a catch-all.
 */
#include "routes.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "lower_impl.h"
#include "menu.h"
#include "xalloc.h"

void route_plan_free(struct route_plan *p)
{
	if (!p)
		return;
	free(p->routes);
	free(p->rules);
	free(p);
}

static struct route_plan *plan(struct lctx *L)
{
	if (!L->ir->routing)
		L->ir->routing = xcalloc(1, sizeof(struct route_plan));
	return L->ir->routing;
}

static struct route_ent *route_new(struct lctx *L)
{
	struct route_plan *p = plan(L);

	if (p->nroutes == p->caproutes) {
		p->caproutes = p->caproutes ? p->caproutes * 2 : 8;
		p->routes = xreallocarray(p->routes, p->caproutes, sizeof(*p->routes));
	}
	memset(&p->routes[p->nroutes], 0, sizeof(p->routes[0]));
	return &p->routes[p->nroutes++];
}

static struct route_rule *rule_new(struct lctx *L)
{
	struct route_plan *p = plan(L);

	if (p->nrules == p->caprules) {
		p->caprules = p->caprules ? p->caprules * 2 : 8;
		p->rules = xreallocarray(p->rules, p->caprules, sizeof(*p->rules));
	}
	memset(&p->rules[p->nrules], 0, sizeof(p->rules[0]));
	return &p->rules[p->nrules++];
}

/* The kernel table of a RouterOS table name: main is the server's. */
static uint32_t table_number(struct lctx *L, const char *name)
{
	if (!strcmp(name, "main"))
		return ROUTES_TABLE_MAIN;
	return ROUTES_TABLE_BASE + (lower_mark(L, "routing", name) >> 16);
}

/* A prefix (or one address) into dst/len; false, with an error, for a
 * range or a negation, which neither a route nor an ip rule can hold. */
static bool prefix_of(struct lctx *L, const struct mprop *p, int *family, uint8_t *addr, uint8_t *len)
{
	struct value_addr a;

	if (p->neg || !mprop_addr(p, &a) || a.kind == VA_RANGE) {
		diag_error(L->d, &p->loc, "%s here takes an address or a prefix (no range, no !)", prop_def(p->id)->name);
		return false;
	}
	*family = a.v6 ? AF_INET6 : AF_INET;
	memcpy(addr, a.lo, a.v6 ? 16 : 4);
	*len = (uint8_t)(a.kind == VA_ADDR ? (a.v6 ? 128 : 32) : a.plen);
	return true;
}

/* The server's name of a router interface (the interface map), or NULL
 * with a warning when it stands for several or for a wildcard. */
static const char *server_ifname(struct lctx *L, const char *name, size_t len, const struct loc *at)
{
	const char *const *v;
	bool mapped;
	size_t n = ifnames_get(L->ifn, name, len, at, &v, &mapped);

	if (n != 1 || strchr(v[0], '*') || lower_ifname_unlinux(v[0], strlen(v[0]))) {
		diag_warning(L->d, at,
			     "interface \"%.*s\" is not one Linux interface here (mapped to several, a wildcard, or a name Linux refuses): left out",
			     (int)len, name);
		return NULL;
	}
	return ir_strdup(L->ir, v[0]);
}

/* gateway=: an address, an interface, ADDRESS%INTERFACE, or a comma list
 * of them (ECMP): the first one only, said. */
static bool gateway_parse(struct lctx *L, struct route_ent *r, const struct mprop *p)
{
	const char *s = p->value;
	size_t n = strcspn(s, ","), at = strcspn(s, "%");
	struct value_addr a;

	if (s[n])
		diag_warning(L->d, &p->loc,
			     "several gateways (ECMP) are not made: the route goes through the first one only, \"%.*s\"",
			     (int)n, s);
	if (at > n)
		at = n;
	if (value_parse_addr(s, at, r->family == AF_INET6, &a) && a.kind == VA_ADDR) {
		r->has_gw = true;
		memcpy(r->gw, a.lo, r->family == AF_INET6 ? 16 : 4);
		if (at < n && !(r->dev = server_ifname(L, s + at + 1, n - at - 1, &p->loc)))
			return false;
		return true;
	}
	if (at < n || !n || value_parse_addr(s, n, r->family != AF_INET6, &a)) {
		diag_error(L->d, &p->loc, "gateway \"%.*s\" is not an %s address, an interface or ADDRESS%%INTERFACE",
			   (int)n, s, r->family == AF_INET6 ? "IPv6" : "IPv4");
		return false;
	}
	r->dev = server_ifname(L, s, n, &p->loc);
	return r->dev != NULL;
}

/* Properties of a route that rosfw reads but Linux has no use for here. */
static void route_unused(struct lctx *L, const struct mitem *it)
{
	const struct mprop *p;

	if ((p = mitem_prop(it, P_CHECK_GATEWAY)) && p->v.u == CHECKGW_PING)
		diag_warning(L->d, &p->loc,
			     "check-gateway=ping is rosfwd's, not the kernel's: rosfwd pings the gateway every --interval seconds and takes the route out after two unanswered (RouterOS: every 10 s); without rosfwd running, a gateway that stops answering does not fail over to the next distance");
	else if (p && p->v.u != CHECKGW_NONE)
		diag_warning(L->d, &p->loc,
			     "check-gateway=%s is not done: Linux keeps the route while its interface is up, so a gateway that stops answering does not fail over to the next distance (a link going down does)",
			     p->value);
	if ((p = mitem_prop(it, P_PREF_SRC)))
		diag_warning(L->d, &p->loc, "pref-src is not applied: Linux picks the source address of the interface");
	if (((p = mitem_prop(it, P_SCOPE)) || (p = mitem_prop(it, P_TARGET_SCOPE))) && lower_once(L, "route-scope"))
		diag_note(L->d, &p->loc,
			  "scope and target-scope are not used: Linux takes a gateway on a connected network (or ADDRESS%%INTERFACE), not one reached through another route");
}

/* v7 routes by a table only when it is declared with fib; rosfw makes
 * the kernel table all the same, and says so once per table. */
static void table_without_fib(struct lctx *L, const char *table, const struct loc *at)
{
	size_t i;
	char key[96];

	for (i = 0; i < model_count(L->m, MK_ROUTING_TABLE); i++) {
		const struct mitem *t = model_item(L->m, MK_ROUTING_TABLE, i);
		const struct mprop *n = mitem_prop(t, P_NAME), *f = mitem_prop(t, P_FIB);

		if (!n || strcmp(mprop_name(n), table) || (f && f->v.u))
			continue;
		snprintf(key, sizeof(key), "nofib:%s", table);
		if (lower_once(L, key))
			diag_warning(L->d, at,
				     "table %s is declared without fib (line %u): RouterOS does not route by it, rosfw makes it a kernel table all the same",
				     table, t->loc.line);
	}
}

static void route_lower(struct lctx *L, enum menu_kind k, const struct mitem *it)
{
	const struct mprop *tp = mitem_prop(it, P_ROUTING_TABLE), *p;
	const char *table = "main";
	struct route_ent *r;
	int fam = k == MK_ROUTE6 ? AF_INET6 : AF_INET;

	if (!tp && k == MK_ROUTE4)
		tp = mitem_prop(it, P_ROUTING_MARK);
	if (tp) {
		if (tp->neg) {
			diag_error(L->d, &tp->loc, "a route's %s takes a table name, not !", prop_def(tp->id)->name);
			return;
		}
		table = mprop_name(tp);
	}
	if ((p = mitem_prop(it, P_VRF_INTERFACE))) {
		diag_warning(L->d, &p->loc, "routes of a VRF are not made: this route is left out (its traffic goes by the server's tables)");
		return;
	}
	if (!strcmp(table, "main")) {
		diag_warning(L->d, &it->loc,
			     "a route of the main table: rosfw leaves the main table to the server's own network configuration, so this route is not applied (traffic goes where the server's routes send it)");
		return;
	}
	table_without_fib(L, table, &it->loc);
	r = route_new(L);
	r->family = fam;
	r->loc = it->loc;
	r->file = ir_strdup(L->ir, diag_source_name(L->d, it->loc.file));
	r->table_name = ir_strdup(L->ir, table);
	r->table = table_number(L, table);
	r->metric = (uint32_t)mitem_get(it, k, P_DISTANCE)->v.u;
	r->dst_len = 0;
	if ((p = mitem_prop(it, P_DST_ADDRESS)) && !prefix_of(L, p, &fam, r->dst, &r->dst_len))
		goto drop;
	if ((p = mitem_prop(it, P_TYPE)))
		r->type = p->v.u == RTYPE_BLACKHOLE	? RT_BLACKHOLE
			  : p->v.u == RTYPE_PROHIBIT	? RT_PROHIBIT
			  : p->v.u == RTYPE_UNREACHABLE ? RT_UNREACHABLE
							: RT_UNICAST;
	if ((p = mitem_prop(it, P_BLACKHOLE)) && p->v.u)
		r->type = RT_BLACKHOLE;
	if (r->type == RT_UNICAST) {
		if (!(p = mitem_prop(it, P_GATEWAY))) {
			diag_error(L->d, &it->loc, "a route needs gateway= (or blackhole, type=unreachable|prohibit)");
			goto drop;
		}
		if (!gateway_parse(L, r, p))
			goto drop;
	}
	route_unused(L, it);
	r->check_ping = r->has_gw && (p = mitem_prop(it, P_CHECK_GATEWAY)) && p->v.u == CHECKGW_PING;
	return;
drop:
	plan(L)->nroutes--;
}

static void rule_lower(struct lctx *L, enum menu_kind k, const struct mitem *it, uint32_t *prio)
{
	const struct mprop *p;
	struct route_rule r = { .family = AF_INET, .loc = it->loc, .what = menu_kind_path(k),
				.file = ir_strdup(L->ir, diag_source_name(L->d, it->loc.file)) };
	int fam;

	/* v7.2x's rule chains, realms and VRFs: nothing Linux's ip rules do
	 * the same way; refused rather than read as a plain lookup. */
	if ((p = mitem_prop(it, P_CHAIN)) && strcmp(mprop_name(p), "user")) {
		diag_error(L->d, &p->loc, "routing rule chain=%s is not translated: rosfw makes the rules of chain user only",
			   mprop_name(p));
		return;
	}
	if ((p = mitem_prop(it, P_ACTION)) && p->v.u == A_MANGLE) {
		diag_error(L->d, &p->loc, "routing rule action=mangle is not translated (routing rule chains)");
		return;
	}
	if ((p = mitem_prop(it, P_REALM)) || ((p = mitem_prop(it, P_VRF)) && strcmp(mprop_name(p), "main"))) {
		diag_error(L->d, &p->loc, "routing rule %s= is not translated: rosfw makes no %s", prop_def(p->id)->name,
			   p->id == P_REALM ? "route realms" : "VRFs");
		return;
	}
	if ((p = mitem_prop(it, P_ACTION)))
		r.action = p->v.u == A_DROP ? RA_BLACKHOLE : p->v.u == A_UNREACHABLE ? RA_UNREACHABLE : RA_LOOKUP;
	if ((p = mitem_prop(it, P_SRC_ADDRESS))) {
		if (!prefix_of(L, p, &fam, r.src, &r.src_len))
			return;
		r.has_src = true;
		r.family = fam;
	}
	if ((p = mitem_prop(it, P_DST_ADDRESS))) {
		if (!prefix_of(L, p, &fam, r.dst, &r.dst_len))
			return;
		if (r.has_src && fam != r.family) {
			diag_error(L->d, &p->loc, "src-address and dst-address of one rule are of different families");
			return;
		}
		r.has_dst = true;
		r.family = fam;
	}
	if ((p = mitem_prop(it, P_ROUTING_MARK))) {
		if (p->neg) {
			diag_error(L->d, &p->loc, "a routing rule's routing-mark takes a name, not !");
			return;
		}
		r.has_mark = true;
		r.mark = lower_mark(L, "routing", mprop_name(p));
	}
	if ((p = mitem_prop(it, P_INTERFACE)) && !(r.iif = server_ifname(L, mprop_name(p), mprop_len(p), &p->loc)))
		return;
	if ((p = mitem_prop(it, P_MIN_PREFIX)))
		diag_warning(L->d, &p->loc, "min-prefix is not applied: the rule's lookup takes routes of any prefix length");
	if (r.action == RA_LOOKUP) {
		bool only = mitem_prop(it, P_ACTION) && mitem_prop(it, P_ACTION)->v.u == A_LOOKUP_ONLY_IN_TABLE;

		if (!(p = mitem_prop(it, P_TABLE))) {
			diag_error(L->d, &it->loc, "a routing rule with action lookup needs table=");
			return;
		}
		r.table_name = ir_strdup(L->ir, mprop_name(p));
		r.table = table_number(L, r.table_name);
		r.prio = (*prio)++;
		*rule_new(L) = r;
		if (only) {
			/* RouterOS goes no further when the table has no
			 * route: the same selector then drops. */
			r.action = RA_BLACKHOLE;
			r.table = 0;
			r.table_name = NULL;
		} else {
			return;
		}
	}
	r.prio = (*prio)++;
	*rule_new(L) = r;
}

/* A routing mark that mangle sets but no route of its table takes: said
 * once, where it is first set. */
static void marks_unrouted(struct lctx *L)
{
	static const enum menu_kind mangle[] = { MK_MANGLE4, MK_MANGLE6 };
	struct route_plan *p = L->ir->routing;
	size_t m, i, j;

	for (m = 0; m < 2; m++) {
		for (i = 0; i < model_count(L->m, mangle[m]); i++) {
			const struct mitem *it = model_item(L->m, mangle[m], i);
			const struct mprop *mp = mitem_prop(it, P_NEW_ROUTING_MARK);
			const char *name = mp ? mprop_name(mp) : NULL;
			char key[96];

			if (it->disabled || !name || !strcmp(name, "main") || mitem_action(it, mangle[m]) != A_MARK_ROUTING)
				continue;
			for (j = 0; p && j < p->nroutes && strcmp(p->routes[j].table_name, name); j++)
				;
			snprintf(key, sizeof(key), "unrouted:%s", name);
			if ((!p || j == p->nroutes) && lower_once(L, key))
				diag_warning(L->d, &mp->loc,
					     "routing mark \"%s\" has no route in its table (/ip route ... %s=%s): its packets are routed by the main table, as RouterOS routes them when that table has no route",
					     name, mangle[m] == MK_MANGLE6 ? "routing-table" : "routing-mark|routing-table", name);
		}
	}
}

/* Linux holds one route per table, destination and metric: a second one
 * (RouterOS keeps both, one active) is left out, said. */
static void routes_dedup(struct lctx *L, struct route_plan *p)
{
	size_t i, j, n = 0;

	for (i = 0; i < p->nroutes; i++) {
		const struct route_ent *r = &p->routes[i];

		for (j = 0; j < n; j++) {
			const struct route_ent *q = &p->routes[j];

			if (q->family == r->family && q->table == r->table && q->dst_len == r->dst_len &&
			    q->metric == r->metric && !memcmp(q->dst, r->dst, sizeof(q->dst)))
				break;
		}
		if (j < n) {
			diag_warning(L->d, &r->loc,
				     "the same destination and distance as the route at line %u of table %s: Linux holds one route per destination and distance, so this one is left out (give it another distance to keep it as a fall-back)",
				     p->routes[j].loc.line, r->table_name);
			continue;
		}
		p->routes[n++] = *r;
	}
	p->nroutes = n;
}

void lower_routes(struct lctx *L)
{
	static const enum menu_kind rk[] = { MK_ROUTE4, MK_ROUTE6 }, rr[] = { MK_ROUTE_RULE4, MK_ROUTING_RULE };
	uint32_t prio = ROUTES_PRIO_FIRST;
	struct route_plan *p;
	size_t m, i, j;

	for (m = 0; m < 2; m++)
		for (i = 0; i < model_count(L->m, rk[m]); i++)
			if (!model_item(L->m, rk[m], i)->disabled)
				route_lower(L, rk[m], model_item(L->m, rk[m], i));
	for (m = 0; m < 2; m++)
		for (i = 0; i < model_count(L->m, rr[m]); i++) {
			if (model_item(L->m, rr[m], i)->disabled)
				continue;
			if (prio + 1 >= ROUTES_PRIO_MARKS) {
				diag_error(L->d, &model_item(L->m, rr[m], i)->loc, "more routing rules than rosfw's priority range holds (%u)",
					   ROUTES_PRIO_MARKS - ROUTES_PRIO_FIRST);
				return;
			}
			rule_lower(L, rr[m], model_item(L->m, rr[m], i), &prio);
		}
	marks_unrouted(L);
	if (!(p = L->ir->routing))
		return;
	routes_dedup(L, p);
	/* One rule per table and family that holds routes: the mark selects
	 * the table, as mark-routing does on RouterOS. */
	prio = ROUTES_PRIO_MARKS;
	for (i = 0; i < p->nroutes; i++) {
		const struct route_ent *e = &p->routes[i];
		struct route_rule *r;
		char what[96];

		for (j = 0; j < i; j++)
			if (p->routes[j].table == e->table && p->routes[j].family == e->family)
				break;
		if (j < i)
			continue;
		if (prio > ROUTES_PRIO_LAST) {
			diag_error(L->d, &e->loc, "more routing tables than rosfw's priority range holds");
			return;
		}
		snprintf(what, sizeof(what), "routing mark %s", e->table_name);
		r = rule_new(L);
		r->family = e->family;
		r->prio = prio++;
		r->action = RA_LOOKUP;
		r->table = e->table;
		r->table_name = e->table_name;
		r->has_mark = true;
		r->mark = lower_mark(L, "routing", e->table_name);
		r->what = ir_strdup(L->ir, what);
		r->loc = e->loc;
		r->file = e->file;
	}
}

/* ---- compile output ------------------------------------------------------ */

/* Names as nft comments can carry them: no line breaks or control bytes. */
static void put_safe(FILE *out, const char *s)
{
	for (; s && *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
}

static void put_prefix(FILE *out, int family, const uint8_t *a, unsigned len)
{
	char b[INET6_ADDRSTRLEN];

	if (!len) {
		fputs("default", out);
		return;
	}
	inet_ntop(family, a, b, sizeof(b));
	fprintf(out, "%s/%u", b, len);
}

static void put_loc(FILE *out, const char *file, const struct loc *l)
{
	put_safe(out, file ? file : "?");
	fprintf(out, ":%u", l->line);
}

static void rule_put_text(FILE *out, const struct route_rule *r)
{
	fprintf(out, "priority %u", r->prio);
	if (r->has_src) {
		fputs(" from ", out);
		put_prefix(out, r->family, r->src, r->src_len);
	}
	if (r->has_dst) {
		fputs(" to ", out);
		put_prefix(out, r->family, r->dst, r->dst_len);
	}
	if (r->has_mark)
		fprintf(out, " fwmark 0x%x/0x%x", r->mark, ROUTES_MARK_MASK);
	if (r->iif) {
		fputs(" iif ", out);
		put_safe(out, r->iif);
	}
	if (r->action == RA_LOOKUP)
		fprintf(out, " lookup %u", r->table);
	else
		fputs(r->action == RA_BLACKHOLE ? " blackhole" : " unreachable", out);
	fprintf(out, " protocol %u", ROUTES_PROTO);
}

static void route_put_text(FILE *out, const struct route_ent *r, const char *dev)
{
	static const char *const rtype[] = { "", "blackhole ", "prohibit ", "unreachable " };
	char b[INET6_ADDRSTRLEN];

	fputs(rtype[r->type], out);
	put_prefix(out, r->family, r->dst, r->dst_len);
	if (r->has_gw)
		fprintf(out, " via %s", inet_ntop(r->family, r->gw, b, sizeof(b)));
	if (dev) {
		fputs(" dev ", out);
		put_safe(out, dev);
	}
	fprintf(out, " table %u metric %u proto %u", r->table, r->metric, ROUTES_PROTO);
}

void routes_rule_text(const struct route_rule *r, char *buf, size_t size)
{
	FILE *f = fmemopen(buf, size, "w");

	buf[0] = '\0';
	if (f) {
		rule_put_text(f, r);
		fclose(f);
	}
}

void routes_route_text(const struct route_ent *r, const char *dev, char *buf, size_t size)
{
	FILE *f = fmemopen(buf, size, "w");

	buf[0] = '\0';
	if (f) {
		route_put_text(f, r, dev);
		fclose(f);
	}
}

void routes_print(const struct route_plan *p, FILE *out)
{
	size_t i;

	if (!p || (!p->nrules && !p->nroutes))
		return;
	fprintf(out, "\n# Policy routing: not nft; rosfw apply makes these through rtnetlink, as the ip commands would\n"
		     "# (its rules priorities %u-%u, its tables %u-%u, protocol %u; main and others' are left alone)\n",
		ROUTES_PRIO_FIRST, ROUTES_PRIO_LAST, ROUTES_TABLE_BASE, ROUTES_TABLE_LAST, ROUTES_PROTO);
	for (i = 0; i < p->nrules; i++) {
		const struct route_rule *r = &p->rules[i];

		fprintf(out, "# ip -%c rule add ", r->family == AF_INET6 ? '6' : '4');
		rule_put_text(out, r);
		fputs("  # ", out);
		if (r->table_name) {
			fputs("table ", out);
			put_safe(out, r->table_name);
			fputs(", ", out);
		}
		put_loc(out, r->file, &r->loc);
		fputc('\n', out);
	}
	for (i = 0; i < p->nroutes; i++) {
		const struct route_ent *r = &p->routes[i];

		fprintf(out, "# ip -%c route add ", r->family == AF_INET6 ? '6' : '4');
		route_put_text(out, r, r->dev);
		fputs("  # table ", out);
		put_safe(out, r->table_name);
		fputs(", ", out);
		put_loc(out, r->file, &r->loc);
		fputc('\n', out);
	}
}

/* ---- rosfw doc translation ----------------------------------------------- */

void routes_markdown(FILE *out)
{
	static const char *const rows[][3] = {
		{ "`/ip route` `routing-mark=` (v6), `routing-table=` (v7)", "exact",
		  "the route goes into the mark's table, number 65536 + the mark's 16 bits; `main`: warned, left to the server" },
		{ "`/ip route` `gateway=`", "approximate",
		  "ADDRESS (the kernel finds the interface; one on no connected network is warned at apply and left out, as RouterOS shows it inactive), INTERFACE, ADDRESS%INTERFACE, through the interface map; several (ECMP): the first only, warned" },
		{ "`/ip route` `distance=`", "exact",
		  "the route's metric: of a table's routes to a prefix, the lowest whose interface is up carries the traffic" },
		{ "`/ip route` `dst-address=`", "exact", "the route's prefix (default 0.0.0.0/0, ::/0)" },
		{ "`/ip route` `blackhole`, `type=`", "exact", "route type blackhole, prohibit, unreachable" },
		{ "`/ip route` `check-gateway=ping`", "approximate",
		  "rosfwd pings the gateway each poll (--interval) and takes the route out after two unanswered, back at the first answer; without rosfwd not done (warned)" },
		{ "`/ip route` `check-gateway=arp`, `bfd`", "not done",
		  "warned: a gateway that stops answering is not noticed; only a link going down removes its routes (then the next distance carries)" },
		{ "`/ip route` `pref-src=`, `vrf-interface=`", "not applied",
		  "warned at the property (a VRF route is left out)" },
		{ "`/ip route` `scope=`, `target-scope=`, `suppress-hw-offload=`", "not used",
		  "Linux takes gateways on connected networks only; noted once" },
		{ "`/ipv6 route`", "exact", "as /ip route, in IPv6" },
		{ "`/routing table` `name=`, `fib`", "model", "names a table; its number comes from the name" },
		{ "`/ip route rule`, `/routing rule`", "exact",
		  "ip rules from priority 20000 in their order: `src-address` from, `dst-address` to, `routing-mark` fwmark N/0xffff0000, `interface` iif; the family of its addresses (IPv4 without any)" },
		{ "`action=lookup`, `lookup-only-in-table`, `drop`, `unreachable`", "exact",
		  "lookup TABLE; lookup TABLE then the same selector blackhole; blackhole; unreachable" },
		{ "`/routing rule` `min-prefix=`", "not applied", "warned" },
		{ "`action=mark-routing` (mangle)", "exact",
		  "one ip rule fwmark N/0xffff0000 lookup TABLE per table and family that has routes, from priority 20500; a mark whose table has no route is warned: its packets go by main, as on RouterOS" },
	};
	size_t i;

	fprintf(out,
		"\n## Policy routing\n\n"
		"`/ip route`, `/ipv6 route`, `/routing table`, `/ip route rule` and `/routing rule` become ip rules and routes that\n"
		"`rosfw apply` makes through rtnetlink (`rosfw compile` shows them as `ip` commands in comments). rosfw owns the rules\n"
		"of protocol %u at priorities %u-%u and the routes of protocol %u in tables %u-%u; the main table and\n"
		"everyone else's rules and routes stay as they are. A packet whose table has no route for it goes on to the next\n"
		"rule (main at last), as RouterOS routes it.\n\n"
		"| menu, property | status | on this server |\n| --- | --- | --- |\n",
		ROUTES_PROTO, ROUTES_PRIO_FIRST, ROUTES_PRIO_LAST, ROUTES_PROTO, ROUTES_TABLE_BASE, ROUTES_TABLE_LAST);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		fprintf(out, "| %s | %s | %s |\n", rows[i][0], rows[i][1], rows[i][2]);
}
