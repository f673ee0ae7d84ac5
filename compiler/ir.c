/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ir.h"

#include <linux/netfilter.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "kname.h"
#include "routes.h"
#include "xalloc.h"

/* Header fields: where they are in their header (RFC 791, 8200, 793,
 * 768, 792, 4443 and Ethernet's), as nft's protocol definitions have it. */
static const struct ir_key_info keys[K__COUNT] = {
	[K_NONE] = { "", T_INTEGER, 0 },
	[K_META_L4PROTO] = { "meta l4proto", T_PROTO, 1, SRC_META },
	[K_META_IIFNAME] = { "iifname", T_IFNAME, 16, SRC_META },
	[K_META_OIFNAME] = { "oifname", T_IFNAME, 16, SRC_META },
	[K_META_MARK] = { "meta mark", T_MARK, 4, SRC_META },
	[K_META_LENGTH] = { "meta length", T_HOST_INTEGER, 4, SRC_META },
	[K_META_PRIORITY] = { "meta priority", T_PRIORITY, 4, SRC_META },
	[K_META_SECPATH] = { "meta secpath", T_INTEGER, 1, SRC_META },
	[K_META_HOUR] = { "meta hour", T_HOUR, 4, SRC_META },
	[K_META_DAY] = { "meta day", T_DAY, 1, SRC_META },
	[K_RT_IPSEC] = { "rt ipsec", T_INTEGER, 1, SRC_RT },
	[K_RT_MTU] = { "rt mtu", T_HOST_INTEGER, 2, SRC_RT },
	[K_CT_STATE] = { "ct state", T_CT_STATE, 4, SRC_CT },
	[K_CT_STATUS] = { "ct status", T_CT_STATUS, 4, SRC_CT },
	[K_CT_MARK] = { "ct mark", T_MARK, 4, SRC_CT },
	[K_CT_HELPER] = { "ct helper", T_HELPER, 16, SRC_CT },
	[K_CT_BYTES] = { "ct bytes", T_HOST_INTEGER, 8, SRC_CT },
	[K_CT_LABEL] = { "ct label", T_CT_LABEL, 16, SRC_CT },
	[K_IP_SADDR] = { "ip saddr", T_IPV4, 4, SRC_NETWORK, 96, 32 },
	[K_IP_DADDR] = { "ip daddr", T_IPV4, 4, SRC_NETWORK, 128, 32 },
	[K_IP_TTL] = { "ip ttl", T_INTEGER, 1, SRC_NETWORK, 64, 8 },
	[K_IP_DSCP] = { "ip dscp", T_INTEGER, 1, SRC_NETWORK, 8, 6 },
	/* nft names no field for the whole byte: a raw payload */
	[K_IP_TOS] = { "@nh,8,8", T_INTEGER, 1, SRC_NETWORK, 8, 8 },
	[K_IP_FRAG_OFF] = { "ip frag-off", T_INTEGER, 2, SRC_NETWORK, 48, 16 },
	[K_IP_HDRLENGTH] = { "ip hdrlength", T_INTEGER, 1, SRC_NETWORK, 4, 4 },
	[K_IPOPT_LSRR] = { "ip option lsrr", T_INTEGER, 1, SRC_IPOPT },
	[K_IPOPT_SSRR] = { "ip option ssrr", T_INTEGER, 1, SRC_IPOPT },
	[K_IPOPT_RR] = { "ip option rr", T_INTEGER, 1, SRC_IPOPT },
	[K_IPOPT_RA] = { "ip option ra", T_INTEGER, 1, SRC_IPOPT },
	[K_IP6_SADDR] = { "ip6 saddr", T_IPV6, 16, SRC_NETWORK, 64, 128 },
	[K_IP6_DADDR] = { "ip6 daddr", T_IPV6, 16, SRC_NETWORK, 192, 128 },
	[K_IP6_HOPLIMIT] = { "ip6 hoplimit", T_INTEGER, 1, SRC_NETWORK, 56, 8 },
	[K_IP6_DSCP] = { "ip6 dscp", T_INTEGER, 1, SRC_NETWORK, 4, 6 },
	[K_IP6_TCLASS] = { "@nh,4,8", T_INTEGER, 1, SRC_NETWORK, 4, 8 },
	[K_TH_SPORT] = { "th sport", T_PORT, 2, SRC_TRANSPORT, 0, 16 },
	[K_TH_DPORT] = { "th dport", T_PORT, 2, SRC_TRANSPORT, 16, 16 },
	[K_TCP_SPORT] = { "tcp sport", T_PORT, 2, SRC_TRANSPORT, 0, 16 },
	[K_TCP_DPORT] = { "tcp dport", T_PORT, 2, SRC_TRANSPORT, 16, 16 },
	[K_UDP_SPORT] = { "udp sport", T_PORT, 2, SRC_TRANSPORT, 0, 16 },
	[K_UDP_DPORT] = { "udp dport", T_PORT, 2, SRC_TRANSPORT, 16, 16 },
	[K_TCP_FLAGS] = { "tcp flags", T_TCP_FLAGS, 1, SRC_TRANSPORT, 104, 8 },
	[K_TCPOPT_MSS] = { "tcp option maxseg size", T_INTEGER, 2, SRC_TCPOPT },
	[K_ICMP_TYPE] = { "icmp type", T_ICMP_TYPE, 1, SRC_TRANSPORT, 0, 8 },
	[K_ICMP_CODE] = { "icmp code", T_INTEGER, 1, SRC_TRANSPORT, 8, 8 },
	[K_ICMP6_TYPE] = { "icmpv6 type", T_ICMP6_TYPE, 1, SRC_TRANSPORT, 0, 8 },
	[K_ICMP6_CODE] = { "icmpv6 code", T_INTEGER, 1, SRC_TRANSPORT, 8, 8 },
	[K_ICMP_TYPECODE] = { "@th,0,16", T_TYPECODE, 2, SRC_TRANSPORT, 0, 16 },
	[K_ICMP6_TYPECODE] = { "@th,0,16", T_TYPECODE, 2, SRC_TRANSPORT, 0, 16 },
	[K_ETHER_SADDR] = { "ether saddr", T_ETHER, 6, SRC_LINK, 48, 48 },
	[K_FIB_SADDR_TYPE] = { "fib saddr type", T_ADDR_TYPE, 4, SRC_FIB },
	[K_FIB_DADDR_TYPE] = { "fib daddr type", T_ADDR_TYPE, 4, SRC_FIB },
	[K_NUMGEN_INC] = { "numgen inc", T_HOST_INTEGER, 4, SRC_NUMGEN },
	[K_NUMGEN_RANDOM] = { "numgen random", T_HOST_INTEGER, 4, SRC_NUMGEN },
	[K_JHASH] = { "jhash", T_HOST_INTEGER, 4, SRC_HASH },
	[K_CT_ID] = { "ct id", T_INTEGER, 4, SRC_CT },
	[K_ETHER_DADDR] = { "ether daddr", T_ETHER, 6, SRC_LINK, 0, 48 },
	[K_ETHER_TYPE] = { "ether type", T_ETHERTYPE, 2, SRC_LINK, 96, 16 },
	/* the 802.1Q tag after the Ethernet header: TCI = pcp(3) dei(1) id(12) */
	[K_VLAN_ID] = { "vlan id", T_INTEGER, 2, SRC_LINK, 116, 12 },
	[K_VLAN_PCP] = { "vlan pcp", T_INTEGER, 1, SRC_LINK, 112, 3 },
	[K_META_IBRNAME] = { "meta ibrname", T_IFNAME, 16, SRC_META },
	[K_META_OBRNAME] = { "meta obrname", T_IFNAME, 16, SRC_META },
	[K_META_PKTTYPE] = { "meta pkttype", T_HOST_INTEGER, 1, SRC_META },
	[K_VLAN_TYPE] = { "vlan type", T_ETHERTYPE, 2, SRC_LINK, 128, 16 },
};

const struct ir_key_info *ir_key_info(enum ir_key k)
{
	return &keys[k >= 0 && k < K__COUNT ? k : K_NONE];
}

bool ir_key_subbyte(enum ir_key k)
{
	const struct ir_key_info *ki = ir_key_info(k);

	return (ki->src == SRC_NETWORK || ki->src == SRC_TRANSPORT || ki->src == SRC_LINK) &&
	       (ki->off % 8 || ki->bits % 8);
}

struct ir *ir_new(void)
{
	struct ir *ir = xcalloc(1, sizeof(*ir));

	ir->arena = arena_new();
	return ir;
}

static void table_free(struct ir_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nsets; i++)
		free(t->sets[i]->elems);
	for (i = 0; i < t->nchains; i++) {
		size_t j;

		for (j = 0; j < t->chains[i]->n; j++)
			free(t->chains[i]->rules[j]->stmts);
		free(t->chains[i]->rules);
	}
	free(t->sets);
	free(t->chains);
	free(t->helpers);
	free(t->counters);
}

void ir_free(struct ir *ir)
{
	if (!ir)
		return;
	table_free(ir->tables[0]);
	table_free(ir->tables[1]);
	table_free(ir->bridge);
	free(ir->marks);
	free(ir->sysctls);
	route_plan_free(ir->routing);
	free(ir->inspects);
	arena_free(ir->arena);
	free(ir);
}

const char *ir_strdup(struct ir *ir, const char *s)
{
	return s ? arena_strndup(ir->arena, s, strlen(s)) : NULL;
}

struct ir_table *ir_table_get(struct ir *ir, int family)
{
	int i = family == NFPROTO_IPV6;

	if (family == NFPROTO_BRIDGE) {
		if (!ir->bridge) {
			ir->bridge = arena_alloc(ir->arena, sizeof(struct ir_table));
			ir->bridge->family = family;
			ir->bridge->name = KNAME_TABLE;
		}
		return ir->bridge;
	}
	if (!ir->tables[i]) {
		ir->tables[i] = arena_alloc(ir->arena, sizeof(struct ir_table));
		ir->tables[i]->family = family;
		ir->tables[i]->name = KNAME_TABLE;
	}
	return ir->tables[i];
}

#define GROW(v, n, cap)                                                 \
	do {                                                            \
		if ((n) == (cap)) {                                     \
			(cap) = (cap) ? (cap) * 2 : 8;                  \
			(v) = xreallocarray((v), (cap), sizeof(*(v)));  \
		}                                                       \
	} while (0)

struct ir_chain *ir_chain_add(struct ir *ir, struct ir_table *t, const char *name)
{
	struct ir_chain *c = arena_alloc(ir->arena, sizeof(*c));

	c->name = ir_strdup(ir, name);
	GROW(t->chains, t->nchains, t->capchains);
	t->chains[t->nchains++] = c;
	return c;
}

struct ir_chain *ir_chain_find(const struct ir_table *t, const char *name)
{
	size_t i;

	for (i = 0; t && i < t->nchains; i++)
		if (!strcmp(t->chains[i]->name, name))
			return t->chains[i];
	return NULL;
}

struct ir_set *ir_set_add(struct ir *ir, struct ir_table *t, const char *name, enum ir_key key)
{
	struct ir_set *s = arena_alloc(ir->arena, sizeof(*s));

	s->name = ir_strdup(ir, name);
	s->key = key;
	GROW(t->sets, t->nsets, t->capsets);
	t->sets[t->nsets++] = s;
	return s;
}

void ir_set_drop(struct ir_table *t, const struct ir_set *s)
{
	size_t i;

	for (i = 0; i < t->nsets; i++)
		if (t->sets[i] == s) {
			free(t->sets[i]->elems);	/* the set is the arena's, its elements not */
			memmove(&t->sets[i], &t->sets[i + 1], (t->nsets - i - 1) * sizeof(t->sets[0]));
			t->nsets--;
			return;
		}
}

void ir_chain_drop(struct ir_table *t, const struct ir_chain *c)
{
	size_t i, j;

	for (i = 0; i < t->nchains; i++)
		if (t->chains[i] == c) {
			struct ir_chain *d = t->chains[i];

			/* the chain and its rules are the arena's; their arrays not */
			for (j = 0; j < d->n; j++)
				free(d->rules[j]->stmts);
			free(d->rules);
			memmove(&t->chains[i], &t->chains[i + 1], (t->nchains - i - 1) * sizeof(t->chains[0]));
			t->nchains--;
			return;
		}
}

struct ir_set *ir_set_find(const struct ir_table *t, const char *name)
{
	size_t i;

	for (i = 0; t && i < t->nsets; i++)
		if (!strcmp(t->sets[i]->name, name))
			return t->sets[i];
	return NULL;
}

struct ir_helper *ir_helper_add(struct ir *ir, struct ir_table *t, const char *name, const char *type,
				uint8_t l4proto)
{
	struct ir_helper *h;

	GROW(t->helpers, t->nhelpers, t->caphelpers);
	h = &t->helpers[t->nhelpers++];
	h->name = ir_strdup(ir, name);
	h->type = ir_strdup(ir, type);
	h->l4proto = l4proto;
	return h;
}

const char *ir_counter_add(struct ir *ir, struct ir_table *t, const char *name)
{
	GROW(t->counters, t->ncounters, t->capcounters);
	return t->counters[t->ncounters++] = ir_strdup(ir, name);
}

struct ir_sysctl *ir_sysctl_add(struct ir *ir, const char *name, uint64_t value)
{
	struct ir_sysctl *s;

	GROW(ir->sysctls, ir->nsysctls, ir->capsysctls);
	s = &ir->sysctls[ir->nsysctls++];
	memset(s, 0, sizeof(*s));
	s->name = ir_strdup(ir, name);
	s->value = value;
	return s;
}

static bool inspect_bit_used(const struct ir *ir, unsigned bit, bool prev)
{
	size_t i;

	for (i = 0; i < ir->ninspects; i++)
		if (ir->inspects[i].bit == bit)
			return true;
	for (i = 0; prev && i < ir->ninspect_prev; i++)
		if (ir->inspect_prev[i].bit == bit)
			return true;
	return false;
}

/* The bit the kernel's connections already carry for this value, when
 * the ruleset applied before gave it one and it is free; else the lowest
 * no earlier matcher had (a connection decided before the re-apply must
 * not match a new value by an old bit), else the lowest free. */
static unsigned inspect_bit_pick(const struct ir *ir, enum ir_inspect_kind kind, const char *value, size_t len)
{
	unsigned b;
	size_t i;

	for (i = 0; i < ir->ninspect_prev; i++) {
		const struct ir_inspect *p = &ir->inspect_prev[i];

		if (p->kind == kind && p->len == len && !memcmp(p->value, value, len) && p->bit < IR_INSPECT_MAX &&
		    !inspect_bit_used(ir, p->bit, false))
			return p->bit;
	}
	for (b = 0; b < IR_INSPECT_MAX; b++)
		if (!inspect_bit_used(ir, b, true))
			return b;
	for (b = 0; inspect_bit_used(ir, b, false); b++)
		;
	return b;
}

int ir_inspect_bit(struct ir *ir, enum ir_inspect_kind kind, const char *value, size_t len, const char *name)
{
	struct ir_inspect *x;
	size_t i;

	for (i = 0; i < ir->ninspects; i++) {
		x = &ir->inspects[i];
		if (x->kind == kind && x->len == len && !memcmp(x->value, value, len))
			return (int)x->bit;
	}
	if (ir->ninspects >= IR_INSPECT_MAX)
		return -1;
	GROW(ir->inspects, ir->ninspects, ir->capinspects);
	x = &ir->inspects[ir->ninspects];
	x->kind = kind;
	x->value = arena_strndup(ir->arena, value, len);
	x->len = len;
	x->bit = inspect_bit_pick(ir, kind, value, len);
	x->name = ir_strdup(ir, name);
	ir->ninspects++;
	return (int)x->bit;
}

struct ir_data ir_data_label_bit(unsigned bit)
{
	struct ir_data d = { .len = 16 };

	d.b[bit / 8 % 16] = (uint8_t)(1u << (bit % 8));
	return d;
}

void ir_set_elem(struct ir *ir, struct ir_set *s, const struct ir_elem *e)
{
	(void)ir;
	GROW(s->elems, s->n, s->cap);
	s->elems[s->n++] = *e;
}

struct ir_rule *ir_rule_add(struct ir *ir, struct ir_chain *c, long id, const char *comment,
			    const struct loc *loc)
{
	struct ir_rule *r = arena_alloc(ir->arena, sizeof(*r));

	r->id = id;
	r->comment = comment;
	if (loc)
		r->loc = *loc;
	GROW(c->rules, c->n, c->cap);
	c->rules[c->n++] = r;
	return r;
}

struct ir_stmt *ir_stmt_add(struct ir *ir, struct ir_rule *r, enum ir_stmt_kind kind)
{
	struct ir_stmt *s;

	(void)ir;
	GROW(r->stmts, r->n, r->cap);
	s = &r->stmts[r->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	return s;
}

struct ir_elem *ir_elems_copy(struct ir *ir, const struct ir_elem *e, size_t n)
{
	struct ir_elem *c = arena_alloc(ir->arena, (n ? n : 1) * sizeof(*c));

	memcpy(c, e, n * sizeof(*c));
	return c;
}

struct ir_data ir_data_be(uint64_t v, uint8_t len)
{
	struct ir_data d = { .len = len };
	int i;

	for (i = len - 1; i >= 0; i--) {
		d.b[i] = (uint8_t)v;
		v >>= 8;
	}
	return d;
}

struct ir_data ir_data_host(uint64_t v, uint8_t len)
{
	struct ir_data d = { .len = len };

	/* The kernel compares meta and ct values in host order. */
	memcpy(d.b, &v, len <= 8 ? len : 8);
	if (len == 4) {
		uint32_t x = (uint32_t)v;

		memcpy(d.b, &x, 4);
	} else if (len == 2) {
		uint16_t x = (uint16_t)v;

		memcpy(d.b, &x, 2);
	}
	return d;
}

uint64_t ir_data_uint(const struct ir_data *d, bool host)
{
	uint64_t v = 0;
	int i;

	if (host) {
		if (d->len == 1)
			return d->b[0];
		if (d->len == 2) {
			uint16_t x;

			memcpy(&x, d->b, 2);
			return x;
		}
		if (d->len == 4) {
			uint32_t x;

			memcpy(&x, d->b, 4);
			return x;
		}
		memcpy(&v, d->b, d->len <= 8 ? d->len : 8);
		return v;
	}
	for (i = 0; i < d->len && i < 8; i++)
		v = v << 8 | d->b[i];
	return v;
}

void ir_flowtable_drop(struct ir_table *t)
{
	size_t i, j, k, o;

	t->flowtable = NULL;
	for (i = 0; i < t->nchains; i++)
		for (j = 0; j < t->chains[i]->n; j++) {
			struct ir_rule *r = t->chains[i]->rules[j];

			for (k = o = 0; k < r->n; k++)
				if (r->stmts[k].kind != S_FLOW_ADD)
					r->stmts[o++] = r->stmts[k];
			r->n = o;
		}
}

const struct ir_rule *ir_flowtable_user(const struct ir_table *t)
{
	size_t i, j, k;

	for (i = 0; i < t->nchains; i++)
		for (j = 0; j < t->chains[i]->n; j++)
			for (k = 0; k < t->chains[i]->rules[j]->n; k++)
				if (t->chains[i]->rules[j]->stmts[k].kind == S_FLOW_ADD)
					return t->chains[i]->rules[j];
	return NULL;
}
