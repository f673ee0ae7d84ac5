/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * in-bridge-port and in-bridge-port-list in the IP firewall. The IP hooks
 * see a bridged router's LAN as the bridge device; the port a packet came
 * in on is known only to the bridge family, whose prerouting hook the
 * same packet passes first. So `table bridge rosfw` writes the port's
 * number into bits 12-15 of the packet mark there, and the IP rule tests
 * those bits:
 *
 *   table bridge rosfw:  iifname "enp2s0" meta mark set meta mark & 0xffff0fff | 0x00001000
 *   table ip rosfw:      meta mark & 0x0000f000 == 0x00001000
 *
 * Only a configuration that matches bridge ports (or has bridge filter
 * or nat rules, below) gets the table, and only the first kind makes
 * packet marks shrink to bits 0-11 (ir.h); every other one compiles as
 * before. out-bridge-port is not here: the bridge picks the output port
 * after the IP hooks have run (props.def refuses it).
 */
#include <linux/netfilter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "kname.h"
#include "lower_impl.h"
#include "menu.h"
#include "value.h"

/* Before every other hook of the bridge family (nft's bridge "dstnat" is
 * -300), so a bridge rule elsewhere sees the port's number too. */
#define BRPORT_PRIO -400
#define BRPORT_CHAIN "prerouting"

const struct loc *lower_bridge_used(const struct model *m)
{
	int k;
	size_t i;

	for (k = MK_FILTER4; k <= MK_RAW6; k++)
		for (i = 0; i < model_count(m, k); i++) {
			const struct mitem *it = model_item(m, k, i);
			const struct mprop *p;

			if (it->disabled)
				continue;
			/* an export's in-bridge-port="" says nothing */
			if (((p = mitem_prop(it, P_IN_BRIDGE_PORT)) && mprop_len(p)) ||
			    ((p = mitem_prop(it, P_IN_BRIDGE_PORT_LIST)) && mprop_len(p)) ||
			    ((p = mitem_prop(it, P_PHYS_IN_INTERFACE)) && mprop_len(p)))
				return &p->loc;
		}
	return NULL;
}

/* The bridge rules that give the port its number: one per Linux name. */
static void port_rules(struct lctx *L, const char *const *v, size_t n, unsigned num, const struct loc *loc)
{
	struct ir_table *bt = L->ir->bridge;
	struct ir_chain *c = ir_chain_find(bt, BRPORT_CHAIN);
	struct ir_elem *e = arena_alloc(L->ir->arena, n * sizeof(*e));
	bool interval;
	size_t i;

	if (!c) {
		c = ir_chain_add(L->ir, bt, BRPORT_CHAIN);
		c->hook = HOOK_PREROUTING;
		c->type = CHAIN_FILTER;
		c->prio = BRPORT_PRIO;
		c->facility = "bridge-port";
	}
	n = lower_ifname_elems(v, n, e, &interval);
	for (i = 0; i < n; i++) {
		struct ir_rule *r = ir_rule_add(L->ir, c, -1, NULL, loc);
		struct ir_stmt *s = ir_stmt_add(L->ir, r, S_MATCH);

		s->u.m.key = K_META_IIFNAME;
		s->u.m.op = OP_EQ;
		s->u.m.v = e[i].lo;
		/* A prefix ("ppp*"): nft compares its bytes alone. */
		if (e[i].range)
			s->u.m.v.len = (uint8_t)strnlen((const char *)e[i].lo.b, 16);
		s = ir_stmt_add(L->ir, r, S_SET_FIELD);
		s->u.field.key = K_META_MARK;
		s->u.field.v = ir_data_host((uint32_t)num << IR_BRPORT_SHIFT, 4);
		s->u.field.masked = true;
		s->u.field.mask = ir_data_host(~IR_BRPORT_MASK, 4);
	}
}

/*
 * The number (1 to IR_BRPORT_MAX) of the port `name` stands for, given on
 * first mention; 0 when the name is refused or no Linux interface can
 * have it (said at `loc`), -1 past the last number.
 */
static int port_number(struct lctx *L, const char *name, size_t len, const struct loc *loc)
{
	const char *const *v;
	char key[256];
	size_t n, i, used = 0;
	bool mapped;
	unsigned num;

	if (!lower_ifname_ok(name, len)) {
		lower_refuse(L, loc, "this bridge port name",
			     "nft text cannot carry quotes or control bytes, and reads a trailing * as a wildcard");
		return 0;
	}
	/* A port is a server interface: the map and renames apply. */
	n = ifnames_get(L->ifn, name, len, loc, &v, &mapped);
	if (!mapped && (!lower_ifname_ok(v[0], strlen(v[0])) || lower_ifname_unlinux(v[0], strlen(v[0])))) {
		char hint[64];

		L->ir->ifnames_impossible++;
		diag_warning(L->d, loc,
			     "no Linux interface can be the bridge port \"%s\": rule %ld of %s matches no packet from it; give it a server name with %s (README: Interface names on a Linux server)",
			     v[0], L->id, menu_kind_path(L->k), lower_ifmap_hint(hint, sizeof(hint), v[0], strlen(v[0])));
		return 0;
	}
	key[0] = 0;
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(key + used, used < sizeof(key) ? sizeof(key) - used : 0, "%s%s", i ? "," : "", v[i]);
	for (num = 0; num < L->ir->nbrports; num++)
		if (!strcmp(L->ir->brports[num], key))
			return (int)num + 1;
	if (L->ir->nbrports == IR_BRPORT_MAX) {
		diag_error(L->d, loc,
			   "bridge port \"%.*s\" is the %dth the rules name: the packet mark has room for %d (bits 12-15 of it carry the port's number)",
			   (int)len, name, IR_BRPORT_MAX + 1, IR_BRPORT_MAX);
		L->failed = true;
		return -1;
	}
	L->ir->brports[L->ir->nbrports++] = ir_strdup(L->ir, key);
	num = L->ir->nbrports;
	port_rules(L, v, n, num, loc);
	return (int)num;
}

static struct ir_stmt *port_match(struct lctx *L, enum ir_op op)
{
	struct ir_stmt *s = lower_pre(L);

	s->u.m.key = K_META_MARK;
	s->u.m.op = op;
	s->u.m.masked = true;
	s->u.m.mask = ir_data_host(IR_BRPORT_MASK, 4);
	return s;
}

static void never(struct lctx *L, const struct mprop *p, const char *what)
{
	if (p->neg)
		return;
	diag_warning(L->d, &p->loc, "rule %ld of %s never matches here and is left out: %s; %s", L->id,
		     menu_kind_path(L->k), what, lower_skip_effect(L));
	L->never = true;
}

void lower_in_bridge_port(struct lctx *L, const struct mprop *p)
{
	int num = port_number(L, mprop_name(p), mprop_len(p) - p->neg, &p->loc);

	if (num < 0)
		return;
	if (num == 0) {
		if (!L->refused && !p->neg)
			L->never = true;
		return;
	}
	port_match(L, p->neg ? OP_NE : OP_EQ)->u.m.v = ir_data_host((uint32_t)num << IR_BRPORT_SHIFT, 4);
}

void lower_in_bridge_port_list(struct lctx *L, const struct mprop *p)
{
	const char *list = mprop_name(p);
	const char **names;
	struct ir_elem *e;
	struct ir_stmt *s;
	size_t n, i, ne = 0;
	char what[160];

	if (!strcmp(list, "all") || !strcmp(list, "static")) {
		lower_refuse(L, &p->loc, "in-bridge-port-list=all",
			     "rosfw numbers only the ports rules name; name the ports, or use in-interface= with the bridge");
		return;
	}
	names = lower_iflist_members(L, list, &n);
	e = arena_alloc(L->ir->arena, (n ? n : 1) * sizeof(*e));
	for (i = 0; i < n; i++) {
		int num = port_number(L, names[i], strlen(names[i]), &p->loc);
		size_t j;

		if (num < 0) {
			free(names);
			return;
		}
		if (num == 0)
			continue;
		e[ne].lo = ir_data_host((uint32_t)num << IR_BRPORT_SHIFT, 4);
		for (j = 0; j < ne && memcmp(&e[j].lo, &e[ne].lo, sizeof(e[j].lo)); j++)
			;
		ne += j == ne;
	}
	free(names);
	if (L->refused)
		return;
	if (!ne) {
		snprintf(what, sizeof(what), "interface list \"%s\" holds no bridge port", list);
		never(L, p, what);
		return;
	}
	if (ne == 1) {
		port_match(L, p->neg ? OP_NE : OP_EQ)->u.m.v = e[0].lo;
		return;
	}
	s = port_match(L, p->neg ? OP_NOTIN : OP_IN);
	s->u.m.elems = e;
	s->u.m.nelems = ne;
}

/* ---- /interface bridge filter and nat ----------------------------------- */

/*
 * The filter's rules become chains filter_input, filter_forward,
 * filter_output (and user chains filter_NAME) of table bridge rosfw, at
 * the bridge family's filter priority: the frames the bridge passes to
 * the router, forwards between its ports, or sends. The nat's become
 * nat_dstnat (prerouting, -300) and nat_srcnat (postrouting, 300).
 * rule_lower does the rest, with the matchers below and the IP
 * firewall's own for what the menus share (in-interface, src-address,
 * dst-port, packet-mark, ...).
 */
void lower_bridge_filter(struct lctx *L)
{
	size_t i, live = 0;

	for (i = 0; i < model_count(L->m, MK_BRIDGE_FILTER); i++)
		live += !model_item(L->m, MK_BRIDGE_FILTER, i)->disabled;
	for (i = 0; i < model_count(L->m, MK_BRIDGE_NAT); i++)
		live += !model_item(L->m, MK_BRIDGE_NAT, i)->disabled;
	if (!live)
		return;
	L->v6 = false;
	L->family = NFPROTO_BRIDGE;
	L->nplans = 0;
	L->t = ir_table_get(L->ir, NFPROTO_BRIDGE);
	L->last_chain = NULL;
	lower_facility(L, MK_BRIDGE_FILTER);
	lower_facility(L, MK_BRIDGE_NAT);
}

/*
 * /interface bridge nat's dst-nat and src-nat: the frame's destination or
 * source MAC set, then the chain ends for it, as ebtables' dnat and snat
 * (whose default target is ACCEPT; RouterOS's bridge NAT comes from them).
 */
bool lower_bridge_nat(struct lctx *L, bool dst)
{
	const struct mprop *p = mitem_prop(L->it, dst ? P_TO_DST_MAC_ADDRESS : P_TO_SRC_MAC_ADDRESS);
	struct ir_stmt *s;

	if (L->k != MK_BRIDGE_NAT)
		return false;
	if (!p)
		return true;	/* check.c said so */
	s = lower_post(L, S_SET_FIELD);
	s->u.field.key = dst ? K_ETHER_DADDR : K_ETHER_SADDR;
	s->u.field.v.len = 6;
	memcpy(s->u.field.v.b, p->v.mac, 6);
	s = lower_post(L, S_VERDICT);
	s->u.verdict.kind = V_ACCEPT;
	return true;
}

/* RouterOS's IP matchers of the bridge filter need mac-protocol=ip
 * (ip-protocol and the ports: or ipv6). */
static bool needs_ip(struct lctx *L, const struct mprop *p)
{
	bool v6ok = p->id == P_IP_PROTOCOL;

	if (L->ethertype == 0x0800 || (v6ok && L->ethertype == 0x86dd))
		return true;
	diag_error(L->d, &p->loc, "%s needs mac-protocol=ip%s in /interface bridge filter%s", prop_def(p->id)->name,
		   v6ok ? " or ipv6" : "", L->ethertype < 0 ? " (none is given)" : "");
	L->failed = true;
	return false;
}

/* The EtherType a mac-protocol or vlan-encap value names; -1, refused. */
static int ether_type(struct lctx *L, const struct mprop *p, const char *what)
{
	uint64_t u = p->v.u;
	int type = u >= VETHER_NAME ? value_ether_type(u - VETHER_NAME) : (int)u;

	if (type >= 0x0600)
		return type;
	lower_refuse(L, &p->loc, what,
		     type < 0 ? "no EtherType rosfw knows stands for this name (frame formats such as length and 802.2, MikroTik's own protocols): give the number"
			      : "a number below 0x0600 is an 802.3 length, not an EtherType");
	return -1;
}

/*
 * The EtherType first, then the IP protocol: nft's later header matches
 * rest on them (it would add its own otherwise, and the two back ends
 * must agree on where).
 */
void lower_bridge_rule_first(struct lctx *L)
{
	static const enum prop_id ip_props[] = { P_SRC_ADDRESS, P_DST_ADDRESS, P_IP_PROTOCOL };
	const struct mprop *mp = mitem_prop(L->it, P_MAC_PROTOCOL), *ip = mitem_prop(L->it, P_IP_PROTOCOL), *tls;
	struct ir_stmt *s;
	size_t i;

	L->ethertype = -1;
	if ((tls = mitem_prop(L->it, P_TLS_HOST))) {
		lower_refuse(L, &tls->loc, "tls-host in /interface bridge filter",
			     "rosfw-inspect decides on the IP firewall's tracked connections, which bridged frames are not");
		return;
	}
	if (mp && mprop_len(mp)) {
		int type = ether_type(L, mp, "this mac-protocol");

		if (type < 0)
			return;
		s = lower_pre(L);
		s->u.m.key = K_ETHER_TYPE;
		s->u.m.op = mp->neg ? OP_NE : OP_EQ;
		s->u.m.v = ir_data_be((uint64_t)type, 2);
		if (!mp->neg)
			L->ethertype = type;
	}
	for (i = 0; i < sizeof(ip_props) / sizeof(ip_props[0]); i++) {
		const struct mprop *p = mitem_prop(L->it, ip_props[i]);

		if (p && mprop_len(p) && !needs_ip(L, p))
			return;
	}
	if (ip && mprop_len(ip)) {
		s = lower_pre(L);
		s->u.m.key = K_META_L4PROTO;
		s->u.m.op = ip->neg ? OP_NE : OP_EQ;
		s->u.m.v = ir_data_be(ip->v.u, 1);
	}
}

/* Lowered first, by lower_bridge_rule_first. */
void lower_mac_protocol(struct lctx *L, const struct mprop *p)
{
	(void)L;
	(void)p;
}

void lower_ip_protocol(struct lctx *L, const struct mprop *p)
{
	(void)L;
	(void)p;
}

void lower_mac(struct lctx *L, const struct mprop *p, enum ir_key key)
{
	struct ir_stmt *s = lower_pre(L);
	const uint8_t *m = p->form & VFORM_MAC_MASK ? p->v.p : p->v.mac;

	s->u.m.key = key;
	s->u.m.op = p->neg ? OP_NE : OP_EQ;
	s->u.m.v.len = 6;
	memcpy(s->u.m.v.b, m, 6);
	if (p->form & VFORM_MAC_MASK) {
		size_t i;

		s->u.m.masked = true;
		s->u.m.mask.len = 6;
		memcpy(s->u.m.mask.b, m + 6, 6);
		/* nft compares the masked bytes with the value as given */
		for (i = 0; i < 6; i++)
			s->u.m.v.b[i] &= m[6 + i];
	}
}

void lower_dst_mac_address(struct lctx *L, const struct mprop *p)
{
	lower_mac(L, p, K_ETHER_DADDR);
}

void lower_in_bridge(struct lctx *L, const struct mprop *p)
{
	lower_ifname(L, p, K_META_IBRNAME);
}

void lower_out_bridge(struct lctx *L, const struct mprop *p)
{
	lower_ifname(L, p, K_META_OBRNAME);
}

/* The IPv6 addresses: ip6 saddr/daddr after ether type ip6. */
static void addr6(struct lctx *L, const struct mprop *p, bool src)
{
	if (L->ethertype != 0x86dd) {
		diag_error(L->d, &p->loc, "%s needs mac-protocol=ipv6 in /interface bridge filter%s", prop_def(p->id)->name,
			   L->ethertype < 0 ? " (none is given)" : "");
		L->failed = true;
		return;
	}
	/* lower_src_address reads the family from L */
	L->v6 = true;
	if (src)
		lower_src_address(L, p);
	else
		lower_dst_address(L, p);
	L->v6 = false;
}

void lower_src_address6(struct lctx *L, const struct mprop *p)
{
	addr6(L, p, true);
}

void lower_dst_address6(struct lctx *L, const struct mprop *p)
{
	addr6(L, p, false);
}

void lower_packet_type(struct lctx *L, const struct mprop *p)
{
	/* props.c's packet_types, in name order, as PACKET_* numbers them */
	static const uint8_t pkttype[] = { 1 /* broadcast */, 0 /* host */, 2 /* multicast */, 3 /* other-host */ };
	struct ir_stmt *s = lower_pre(L);

	s->u.m.key = K_META_PKTTYPE;
	s->u.m.op = p->neg ? OP_NE : OP_EQ;
	s->u.m.v = ir_data_host(p->v.u < sizeof(pkttype) ? pkttype[p->v.u] : 0, 1);
}

void lower_in_bridge_list(struct lctx *L, const struct mprop *p)
{
	lower_iflist_match(L, p, K_META_IBRNAME);
}

void lower_out_bridge_list(struct lctx *L, const struct mprop *p)
{
	lower_iflist_match(L, p, K_META_OBRNAME);
}

static void vlan_field(struct lctx *L, const struct mprop *p, enum ir_key key)
{
	struct ir_stmt *s;

	if (L->ethertype != 0x8100 && L->ethertype != 0x88a8) {
		diag_error(L->d, &p->loc, "%s needs mac-protocol=vlan (or service-vlan) in /interface bridge filter",
			   prop_def(p->id)->name);
		L->failed = true;
		return;
	}
	s = lower_pre(L);
	s->u.m.key = key;
	s->u.m.op = p->neg ? OP_NE : OP_EQ;
	s->u.m.v = ir_data_be(p->v.u, ir_key_info(key)->len);
}

void lower_vlan_id(struct lctx *L, const struct mprop *p)
{
	vlan_field(L, p, K_VLAN_ID);
}

void lower_vlan_priority(struct lctx *L, const struct mprop *p)
{
	vlan_field(L, p, K_VLAN_PCP);
}

void lower_vlan_encap(struct lctx *L, const struct mprop *p)
{
	int type = ether_type(L, p, "this vlan-encap");
	size_t n = L->npre;

	if (type < 0)
		return;
	vlan_field(L, p, K_VLAN_TYPE);
	if (L->npre > n)
		L->pre[L->npre - 1].u.m.v = ir_data_be((uint64_t)type, 2);
}
