/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One function per RouterOS property and action, as the rows of props.def
 * name them, and the translation table printed from those rows. Each reads
 * the value the model parsed (struct mprop's v, form, neg), never its text.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "lower_impl.h"
#include "menu.h"
#include "routes.h"
#include "text.h"
#include "value.h"

/* ---- small helpers ------------------------------------------------------ */

static struct ir_stmt *match_add(struct lctx *L, enum ir_key key, enum ir_op op)
{
	struct ir_stmt *s = lower_pre(L);

	s->u.m.key = key;
	s->u.m.op = op;
	return s;
}

static struct ir_data data_for(enum ir_key key, uint64_t v)
{
	const struct ir_key_info *ki = ir_key_info(key);

	if (ki->type == T_HOST_INTEGER || ki->type == T_MARK || ki->type == T_CT_STATE ||
	    ki->type == T_CT_STATUS || ki->type == T_ADDR_TYPE || ki->type == T_PRIORITY ||
	    ki->type == T_HOUR || ki->type == T_DAY)
		return ir_data_host(v, ki->len);
	return ir_data_be(v, ki->len);
}

/* The protocol the rule names, or -1 (none, or a negated one). */
static int rule_protocol(const struct lctx *L)
{
	const struct mprop *p = mitem_prop(L->it, menu_kind_is_bridge(L->k) ? P_IP_PROTOCOL : P_PROTOCOL);

	return p && mprop_len(p) && !p->neg ? (int)p->v.u : -1;
}

/* Numbers and ranges, as one match: a value, a range, or an anonymous set
 * (never one rule per element). */
void lower_numbers(struct lctx *L, enum ir_key key, const struct vrange *v, size_t n, bool neg, struct ir_match *out)
{
	struct ir_elem *elems = arena_alloc(L->ir->arena, n * sizeof(*elems));
	size_t i;

	memset(out, 0, sizeof(*out));
	out->key = key;
	for (i = 0; i < n; i++) {
		memset(&elems[i], 0, sizeof(elems[i]));
		elems[i].lo = data_for(key, v[i].lo);
		elems[i].hi = data_for(key, v[i].hi);
		elems[i].range = v[i].lo != v[i].hi;
	}
	/* nft 1.0.6 merges two adjacent 2-byte "!=" compares (tcp sport !=
	 * 80 tcp dport != 80) into one 4-byte "!=", which means "not both",
	 * and turns a one-element set into such a compare first. A range
	 * compare it leaves alone: a negated port is "!= 80-80". */
	if (n == 1 && !elems[0].range && neg && ir_key_info(key)->type == T_PORT) {
		out->op = OP_NRANGE;
		out->v = out->hi = elems[0].lo;
	} else if (n == 1 && !elems[0].range) {
		out->op = neg ? OP_NE : OP_EQ;
		out->v = elems[0].lo;
	} else if (n == 1) {
		out->op = neg ? OP_NRANGE : OP_RANGE;
		out->v = elems[0].lo;
		out->hi = elems[0].hi;
	} else {
		out->op = neg ? OP_NOTIN : OP_IN;
		out->elems = elems;
		out->nelems = n;
	}
}

static void numbers_add(struct lctx *L, enum ir_key key, const struct mprop *p)
{
	struct ir_stmt *s = lower_pre(L);
	size_t n;
	const struct vrange *v = mprop_ranges(p, &n);

	lower_numbers(L, key, v, n, p->neg, &s->u.m);
}

/* ---- matchers ----------------------------------------------------------- */

void lower_protocol(struct lctx *L, const struct mprop *p)
{
	match_add(L, K_META_L4PROTO, p->neg ? OP_NE : OP_EQ)->u.m.v = ir_data_be(p->v.u, 1);
}

static void addr_match(struct lctx *L, struct ir_match *m, enum ir_key key, const struct mprop *p)
{
	struct value_addr va;
	uint8_t n = L->v6 ? 16 : 4;

	memset(m, 0, sizeof(*m));
	m->key = key;
	mprop_addr(p, &va);
	m->v.len = m->hi.len = n;
	memcpy(m->v.b, va.lo, n);
	memcpy(m->hi.b, va.hi, n);
	if (va.kind == VA_RANGE) {
		m->op = p->neg ? OP_NRANGE : OP_RANGE;
	} else {
		int bits = va.kind == VA_PREFIX ? va.plen : n * 8, i;

		m->op = p->neg ? OP_NE : OP_EQ;
		if (bits < n * 8) {
			m->masked = true;
			m->mask.len = n;
			for (i = 0; i < n; i++)
				m->mask.b[i] = (uint8_t)(bits >= (i + 1) * 8 ? 0xff :
							 bits <= i * 8 ? 0 : 0xff << (8 - (bits - i * 8)));
		}
	}
}

void lower_src_address(struct lctx *L, const struct mprop *p)
{
	addr_match(L, &lower_pre(L)->u.m, L->v6 ? K_IP6_SADDR : K_IP_SADDR, p);
}

void lower_dst_address(struct lctx *L, const struct mprop *p)
{
	addr_match(L, &lower_pre(L)->u.m, L->v6 ? K_IP6_DADDR : K_IP_DADDR, p);
}

static void addr_list(struct lctx *L, const struct mprop *p, bool src)
{
	enum ir_key key = L->v6 ? (src ? K_IP6_SADDR : K_IP6_DADDR) : (src ? K_IP_SADDR : K_IP_DADDR);
	struct list_sets ls;
	const char *sets[3];
	struct ir_match alts[3];
	size_t n = 0, i;

	/* The whole name, as the list has it. */
	lower_list_sets(L, mprop_name(p), &ls);
	if (ls.stat)
		sets[n++] = ls.stat;
	if (ls.dyn)
		sets[n++] = ls.dyn;
	if (ls.rt)
		sets[n++] = ls.rt;
	if (n > 1 && !p->neg) {
		/* One list, several kernel sets: in any, acting once. */
		for (i = 0; i < n; i++)
			alts[i] = (struct ir_match){ .key = key, .op = OP_IN, .set = sets[i] };
		lower_or(L, alts, n, p);
		return;
	}
	for (i = 0; i < n; i++)
		match_add(L, key, p->neg ? OP_NOTIN : OP_IN)->u.m.set = sets[i];
}

void lower_src_address_list(struct lctx *L, const struct mprop *p)
{
	addr_list(L, p, true);
}

void lower_dst_address_list(struct lctx *L, const struct mprop *p)
{
	addr_list(L, p, false);
}

static void addr_type(struct lctx *L, const struct mprop *p, enum ir_key key)
{
	/* fib's RTN_* numbers */
	static const uint8_t rtn[] = {
		[VAT_UNICAST] = 1, [VAT_LOCAL] = 2, [VAT_BROADCAST] = 3, [VAT_MULTICAST] = 5,
		[VAT_BLACKHOLE] = 6, [VAT_UNREACHABLE] = 7, [VAT_PROHIBIT] = 8, [VAT_ANYCAST] = 4,
	};

	match_add(L, key, p->neg ? OP_NE : OP_EQ)->u.m.v = data_for(key, rtn[p->v.u]);
}

void lower_src_address_type(struct lctx *L, const struct mprop *p)
{
	addr_type(L, p, K_FIB_SADDR_TYPE);
}

void lower_dst_address_type(struct lctx *L, const struct mprop *p)
{
	addr_type(L, p, K_FIB_DADDR_TYPE);
}

/* A name nft text can quote: no '"', no control bytes. */
bool lower_ifname_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '"' || (unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	/* nft reads a trailing '*' as "any name with this prefix". */
	return n > 0 && s[n - 1] != '*';
}

const char *lower_ifname_unlinux(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return "an empty name";
	if (n > 15)
		return "Linux interface names have at most 15 bytes";
	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return "\".\" and \"..\" are not interface names";
	for (i = 0; i < n; i++) {
		if (s[i] == '/' || s[i] == ':')
			return "Linux interface names hold no / or :";
		if (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))
			return "Linux interface names hold no spaces";
	}
	return NULL;
}

const char *lower_ifmap_hint(char *buf, size_t size, const char *s, size_t n)
{
	/* The map's own syntax (ifmap.c): a name with blanks, '=' or '#' is quoted. */
	bool q = n != strcspn(s, " \t\r=#");

	snprintf(buf, size, q ? "--interface '\"%.*s\"=NAME'" : "--interface '%.*s=NAME'", (int)n, s);
	return buf;
}

void lower_ifname_elem(const char *s, struct ir_elem *e)
{
	size_t n = strlen(s);

	memset(e, 0, sizeof(*e));
	e->lo.len = e->hi.len = 16;
	if (n && s[n - 1] == '*') {
		memcpy(e->lo.b, s, n - 1);
		memset(e->hi.b, 0xff, sizeof(e->hi.b));
		memcpy(e->hi.b, s, n - 1);
		e->range = true;
	} else {
		memcpy(e->lo.b, s, n < 15 ? n : 15);
	}
}

static int elem_cmp(const void *a, const void *b)
{
	return memcmp(((const struct ir_elem *)a)->lo.b, ((const struct ir_elem *)b)->lo.b, 16);
}

/* e's names all start with prefix p (a range element). */
static bool elem_covers(const struct ir_elem *p, const struct ir_elem *e)
{
	return p->range && memcmp(p->lo.b, e->lo.b, 16) <= 0 && memcmp(e->range ? e->hi.b : e->lo.b, p->hi.b, 16) <= 0;
}

size_t lower_ifname_elems(const char *const *v, size_t n, struct ir_elem *out, bool *interval)
{
	size_t i, j, o = 0;

	*interval = false;
	for (i = 0; i < n; i++) {
		lower_ifname_elem(v[i], &out[i]);
		*interval |= out[i].range;
	}
	for (i = 0; i < n; i++) {
		bool drop = false;

		/* Covered by another prefix; of two equal ones the first stays. */
		for (j = 0; j < n && !drop; j++)
			drop = j != i && elem_covers(&out[j], &out[i]) && (j < i || !elem_covers(&out[i], &out[j]));
		for (j = 0; j < i && !drop; j++)
			drop = !out[i].range && !out[j].range && !memcmp(out[i].lo.b, out[j].lo.b, 16);
		if (!drop)
			out[o++] = out[i];
	}
	if (*interval)
		qsort(out, o, sizeof(*out), elem_cmp);
	return o;
}

static void ifname(struct lctx *L, const struct mprop *p, enum ir_key key)
{
	const char *name = mprop_name(p);
	size_t len = mprop_len(p) - p->neg, n;
	const char *const *v;
	bool mapped, interval;
	struct ir_stmt *s;
	struct ir_elem *e;

	if (!lower_ifname_ok(name, len)) {
		lower_refuse(L, &p->loc, "this interface name",
			     "nft text cannot carry quotes or control bytes, and reads a trailing * as a wildcard");
		return;
	}
	n = ifnames_get(L->ifn, name, len, &p->loc, &v, &mapped);
	/* A renamed interface's final name is the configuration's text too. */
	if (!mapped && !ifnames_same(v, n, name, len) && !lower_ifname_ok(v[0], strlen(v[0]))) {
		lower_refuse(L, &p->loc, "this interface's new name",
			     "nft text cannot carry quotes or control bytes, and reads a trailing * as a wildcard");
		return;
	}
	if (!mapped) {
		const char *why;
		char hint[64];

		name = v[0];
		len = strlen(name);
		if ((why = lower_ifname_unlinux(name, len))) {
			L->ir->ifnames_impossible++;
			/* Cut to 15 bytes, the match would be another
			 * interface's; as it is, it is no interface's. */
			if (p->neg)
				diag_warning(L->d, &p->loc,
					     "no Linux interface can be named \"%.*s\" (%s): rule %ld of %s leaves this test out, since every packet passes it here; give it a server name with %s (README: Interface names on a Linux server)",
					     (int)len, name, why, L->id, menu_kind_path(L->k),
					     lower_ifmap_hint(hint, sizeof(hint), name, len));
			else {
				diag_warning(L->d, &p->loc,
					     "no Linux interface can be named \"%.*s\" (%s): rule %ld of %s never matches here and is left out; %s; give it a server name with %s (README: Interface names on a Linux server)",
					     (int)len, name, why, L->id, menu_kind_path(L->k), lower_skip_effect(L),
					     lower_ifmap_hint(hint, sizeof(hint), name, len));
				L->never = true;
			}
			return;
		}
		s = match_add(L, key, p->neg ? OP_NE : OP_EQ);
		s->u.m.v.len = 16;
		memcpy(s->u.m.v.b, name, len);
		return;
	}
	e = arena_alloc(L->ir->arena, n * sizeof(*e));
	n = lower_ifname_elems(v, n, e, &interval);
	if (n > 1) {
		s = match_add(L, key, p->neg ? OP_NOTIN : OP_IN);
		s->u.m.elems = e;
		s->u.m.nelems = n;
		return;
	}
	/* One name, or one prefix: nft compares a prefix's bytes alone. */
	s = match_add(L, key, p->neg ? OP_NE : OP_EQ);
	s->u.m.v = e[0].lo;
	if (e[0].range)
		s->u.m.v.len = (uint8_t)strnlen((const char *)e[0].lo.b, 16);
}

void lower_ifname(struct lctx *L, const struct mprop *p, enum ir_key key)
{
	ifname(L, p, key);
}

void lower_in_interface(struct lctx *L, const struct mprop *p)
{
	ifname(L, p, K_META_IIFNAME);
}

void lower_out_interface(struct lctx *L, const struct mprop *p)
{
	ifname(L, p, K_META_OIFNAME);
}

static void iflist(struct lctx *L, const struct mprop *p, enum ir_key key)
{
	const char *name = mprop_name(p);

	/* all matches every interface, none none; Linux has no dynamic
	 * interfaces in RouterOS's sense, so static is all and dynamic none. */
	if (!strcmp(name, "all") || !strcmp(name, "static")) {
		if (p->neg)
			match_add(L, key, OP_IN)->u.m.set = lower_iflist_set(L, "none");
		return;
	}
	if (!strcmp(name, "dynamic"))
		name = "none";
	match_add(L, key, p->neg ? OP_NOTIN : OP_IN)->u.m.set = lower_iflist_set(L, name);
}

void lower_iflist_match(struct lctx *L, const struct mprop *p, enum ir_key key)
{
	iflist(L, p, key);
}

void lower_in_interface_list(struct lctx *L, const struct mprop *p)
{
	iflist(L, p, K_META_IIFNAME);
}

void lower_out_interface_list(struct lctx *L, const struct mprop *p)
{
	iflist(L, p, K_META_OIFNAME);
}

static enum ir_key port_key(const struct lctx *L, bool src)
{
	int proto = rule_protocol(L);

	if (proto == 6)
		return src ? K_TCP_SPORT : K_TCP_DPORT;
	if (proto == 17)
		return src ? K_UDP_SPORT : K_UDP_DPORT;
	return src ? K_TH_SPORT : K_TH_DPORT;
}

void lower_src_port(struct lctx *L, const struct mprop *p)
{
	numbers_add(L, port_key(L, true), p);
}

void lower_dst_port(struct lctx *L, const struct mprop *p)
{
	numbers_add(L, port_key(L, false), p);
}

/* port= matches the source or the destination port. */
void lower_port(struct lctx *L, const struct mprop *p)
{
	struct ir_match alts[2];
	size_t n;
	const struct vrange *v = mprop_ranges(p, &n);

	lower_numbers(L, port_key(L, true), v, n, p->neg, &alts[0]);
	lower_numbers(L, port_key(L, false), v, n, p->neg, &alts[1]);
	if (p->neg) {
		/* Neither port is in the list. */
		lower_pre(L)->u.m = alts[0];
		lower_pre(L)->u.m = alts[1];
		return;
	}
	lower_or(L, alts, 2, p);
}

/* The values of an enum list (bit i for value i) as a flag word. */
static uint32_t flag_bits(uint64_t listed, const uint32_t *bits, size_t n)
{
	uint32_t r = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (listed & (1ull << i))
			r |= bits[i];
	return r;
}

void lower_connection_state(struct lctx *L, const struct mprop *p)
{
	static const uint32_t bits[] = {
		[CSTATE_INVALID] = 1, [CSTATE_ESTABLISHED] = 2, [CSTATE_RELATED] = 4, [CSTATE_NEW] = 8,
		[CSTATE_UNTRACKED] = 64,
	};
	struct ir_stmt *s = match_add(L, K_CT_STATE, p->neg ? OP_EQ : OP_NE);

	/* ct state & (listed) != 0 */
	s->u.m.masked = true;
	s->u.m.mask = ir_data_host(flag_bits(p->v.u, bits, sizeof(bits) / sizeof(bits[0])), 4);
	s->u.m.v = ir_data_host(0, 4);
}

void lower_connection_nat_state(struct lctx *L, const struct mprop *p)
{
	/* IPS_SRC_NAT, IPS_DST_NAT */
	static const uint32_t bits[] = { [CNAT_SRCNAT] = 0x10, [CNAT_DSTNAT] = 0x20 };
	struct ir_stmt *s;

	if (p->v.u & ((1u << CNAT_EIN_DNAT) | (1u << CNAT_EIN_SNAT))) {
		lower_refuse(L, &p->loc, "connection-nat-state=ein-snat or ein-dnat",
			     "Linux has no endpoint-independent NAT, so no connection is in that state");
		return;
	}
	s = match_add(L, K_CT_STATUS, p->neg ? OP_EQ : OP_NE);

	s->u.m.masked = true;
	s->u.m.mask = ir_data_host(flag_bits(p->v.u, bits, sizeof(bits) / sizeof(bits[0])), 4);
	s->u.m.v = ir_data_host(0, 4);
}

static void mark_match(struct lctx *L, const struct mprop *p, enum ir_key key, const char *kind, uint32_t mask)
{
	struct ir_stmt *s = match_add(L, key, p->neg ? OP_NE : OP_EQ);

	/* The whole name, as mark-* actions hash it. */
	s->u.m.v = ir_data_host(lower_mark(L, kind, mprop_name(p)), 4);
	if (mask != 0xffffffffu) {
		s->u.m.masked = true;
		s->u.m.mask = ir_data_host(mask, 4);
	}
}

void lower_connection_mark(struct lctx *L, const struct mprop *p)
{
	mark_match(L, p, K_CT_MARK, "connection", 0xffffffffu);
}

void lower_packet_mark(struct lctx *L, const struct mprop *p)
{
	mark_match(L, p, K_META_MARK, "packet", ir_pmark_mask(L->ir));
}

void lower_routing_mark(struct lctx *L, const struct mprop *p)
{
	mark_match(L, p, K_META_MARK, "routing", 0xffff0000u);
}

void lower_connection_type(struct lctx *L, const struct mprop *p)
{
	struct ir_match alts[LOWER_MAX_ALTS];
	const char *const *names;
	size_t n;

	/* ct helper stops the rule when the connection has no helper, so
	 * "!ftp" could never match the connections without one. */
	if (p->neg) {
		lower_refuse(L, &p->loc, "connection-type with !", "nftables cannot match connections that have no helper");
		return;
	}
	if (!(names = lower_ct_helper_names((enum conn_type)p->v.u))) {
		lower_refuse(L, &p->loc, "this connection-type", "Linux has no conntrack helper for it");
		return;
	}
	for (n = 0; names[n] && n < LOWER_MAX_ALTS; n++) {
		memset(&alts[n], 0, sizeof(alts[n]));
		alts[n].key = K_CT_HELPER;
		alts[n].op = OP_EQ;
		alts[n].v.len = 16;
		memcpy(alts[n].v.b, names[n], strlen(names[n]));
	}
	if (n == 1)
		match_add(L, K_CT_HELPER, OP_EQ)->u.m = alts[0];
	else
		lower_or(L, alts, n, p);
}

void lower_icmp_options(struct lctx *L, const struct mprop *p)
{
	bool code = (p->form & VFORM_CODE) && !(p->v.icmp.code_lo == 0 && p->v.icmp.code_hi == 255);

	/* "Not this type and code" is one test of both: type and code are
	 * the first two bytes of the header, so they compare as one 16-bit
	 * field (a code range stays one range of it). nft adds no protocol
	 * for a raw field, so the rule says it unless protocol= did. */
	if (p->neg && code) {
		const struct mprop *proto = mitem_prop(L->it, P_PROTOCOL);
		unsigned l4 = L->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
		unsigned t = p->v.icmp.type << 8;
		struct ir_stmt *s;

		if (!proto || proto->neg || proto->v.u != l4)
			match_add(L, K_META_L4PROTO, OP_EQ)->u.m.v = ir_data_be(l4, 1);
		s = match_add(L, L->v6 ? K_ICMP6_TYPECODE : K_ICMP_TYPECODE,
			      p->v.icmp.code_lo == p->v.icmp.code_hi ? OP_NE : OP_NRANGE);
		s->u.m.v = ir_data_be(t | p->v.icmp.code_lo, 2);
		s->u.m.hi = ir_data_be(t | p->v.icmp.code_hi, 2);
		return;
	}
	match_add(L, L->v6 ? K_ICMP6_TYPE : K_ICMP_TYPE, p->neg ? OP_NE : OP_EQ)->u.m.v = ir_data_be(p->v.icmp.type, 1);
	if (code) {
		struct ir_stmt *s = match_add(L, L->v6 ? K_ICMP6_CODE : K_ICMP_CODE,
					      p->v.icmp.code_lo == p->v.icmp.code_hi ? OP_EQ : OP_RANGE);

		s->u.m.v = ir_data_be(p->v.icmp.code_lo, 1);
		s->u.m.hi = ir_data_be(p->v.icmp.code_hi, 1);
	}
}

/* Listed flags must be set, !flags must be clear, others are free. */
void lower_tcp_flags(struct lctx *L, const struct mprop *p)
{
	struct ir_stmt *st = match_add(L, K_TCP_FLAGS, OP_EQ);

	st->u.m.masked = true;
	st->u.m.mask = ir_data_be(p->v.r.lo, 1);
	st->u.m.v = ir_data_be(p->v.r.hi, 1);
}

void lower_tcp_mss(struct lctx *L, const struct mprop *p)
{
	numbers_add(L, K_TCPOPT_MSS, p);
}

void lower_packet_size(struct lctx *L, const struct mprop *p)
{
	numbers_add(L, K_META_LENGTH, p);
}

/* ttl and hop-limit: v6 wrote a number or range, v7 equal:N, not-equal:N,
 * greater-than:N, less-than:N. */
static void ttl_like(struct lctx *L, const struct mprop *p, enum ir_key key)
{
	static const enum ir_op ops[] = { [VTTL_EQ] = OP_EQ, [VTTL_NE] = OP_NE, [VTTL_GT] = OP_GT, [VTTL_LT] = OP_LT };

	if (p->form == VTTL_RANGE)
		numbers_add(L, key, p);
	else
		match_add(L, key, ops[p->form])->u.m.v = ir_data_be(p->v.r.lo, 1);
}

void lower_ttl(struct lctx *L, const struct mprop *p)
{
	ttl_like(L, p, K_IP_TTL);
}

void lower_hop_limit(struct lctx *L, const struct mprop *p)
{
	ttl_like(L, p, K_IP6_HOPLIMIT);
}

void lower_dscp(struct lctx *L, const struct mprop *p)
{
	numbers_add(L, L->v6 ? K_IP6_DSCP : K_IP_DSCP, p);
}

void lower_tos(struct lctx *L, const struct mprop *p)
{
	/* The bits 2.9's names stand for, in tos_kinds' order (max-reliability,
	 * max-throughput, min-cost, min-delay, normal), compared within the
	 * ToS bits as 2.9's (ipt_tos) did. */
	static const uint8_t named[] = { 0x04, 0x08, 0x02, 0x10, 0x00 };
	struct ir_stmt *s;

	if (!p->form) {
		match_add(L, L->v6 ? K_IP6_TCLASS : K_IP_TOS, p->neg ? OP_NE : OP_EQ)->u.m.v = ir_data_be(p->v.u, 1);
		return;
	}
	if (L->v6 || p->v.u >= sizeof(named)) {
		lower_refuse(L, &p->loc, "a ToS name in /ipv6", "the names are IPv4's ToS bits: give the traffic class as a number");
		return;
	}
	s = match_add(L, K_IP_TOS, p->neg ? OP_NE : OP_EQ);
	s->u.m.masked = true;
	s->u.m.mask = ir_data_be(0x1e, 1);
	s->u.m.v = ir_data_be(named[p->v.u], 1);
}

void lower_fragment(struct lctx *L, const struct mprop *p)
{
	struct ir_stmt *s = match_add(L, K_IP_FRAG_OFF, p->v.u ? OP_NE : OP_EQ);

	/* The fragment offset, not the flags: RouterOS does not count the
	 * first fragment. */
	s->u.m.masked = true;
	s->u.m.mask = ir_data_be(0x1fff, 2);
	s->u.m.v = ir_data_be(0, 2);
}

void lower_ipv4_options(struct lctx *L, const struct mprop *p)
{
	static const struct {
		enum ir_key key;	/* 0: none of the kind below */
		bool present;
	} opts[] = {
		[IPV4OPT_LSRR] = { K_IPOPT_LSRR, true }, [IPV4OPT_NO_RR] = { K_IPOPT_RR, false },
		[IPV4OPT_NO_RA] = { K_IPOPT_RA, false }, [IPV4OPT_RR] = { K_IPOPT_RR, true },
		[IPV4OPT_RA] = { K_IPOPT_RA, true },	 [IPV4OPT_SSRR] = { K_IPOPT_SSRR, true },
		[IPV4OPT_TIMESTAMP] = { 0, false },
	};
	enum ipv4_option o = (enum ipv4_option)p->v.u;

	if (o == IPV4OPT_ANY || o == IPV4OPT_NONE) {
		/* Header length above 5 words means options are present. */
		match_add(L, K_IP_HDRLENGTH, ((o == IPV4OPT_ANY) != p->neg) ? OP_GT : OP_EQ)->u.m.v = ir_data_be(5, 1);
		return;
	}
	if (o == IPV4OPT_NO_SR) {
		/* Neither kind of source route. */
		match_add(L, K_IPOPT_LSRR, p->neg ? OP_EXISTS : OP_MISSING);
		if (!p->neg)
			match_add(L, K_IPOPT_SSRR, OP_MISSING);
		else
			lower_refuse(L, &p->loc, "ipv4-options=!no-source-routing", "it means either source route: write two rules");
		return;
	}
	if (o < sizeof(opts) / sizeof(opts[0]) && opts[o].key) {
		match_add(L, opts[o].key, (opts[o].present != p->neg) ? OP_EXISTS : OP_MISSING);
		return;
	}
	lower_refuse(L, &p->loc, "ipv4-options=timestamp", "nftables cannot test for the IPv4 timestamp option");
}

/* A rate as nft's limit has it: per second or a longer unit, in packets or
 * bytes (rates in bits are turned into bytes). A burst beyond what the
 * kernel keeps (32 bits) is the most it keeps. */
static void rate_lower(const struct vrate *r, uint64_t *rate, uint64_t *unit_s, uint32_t *burst, bool *bytes)
{
	uint64_t b = r->bits ? r->burst / 8 : r->burst;

	*bytes = r->bits;
	*rate = r->bits ? r->count / 8 : r->count;
	*unit_s = r->period_ms >= 1000 ? r->period_ms / 1000 : 1;
	*burst = b > UINT32_MAX ? UINT32_MAX : (uint32_t)b;
}

void lower_limit(struct lctx *L, const struct mprop *p)
{
	struct ir_stmt *s = lower_pre(L);

	s->kind = S_LIMIT;
	rate_lower(p->v.p, &s->u.limit.rate, &s->u.limit.unit_s, &s->u.limit.burst, &s->u.limit.bytes);
	s->u.limit.over = p->neg;
}

/* dst-limit=rate[/time],burst,mode[/expire]: a limit per address (and
 * port), kept in a dynamic set whose entries expire. */
void lower_dst_limit(struct lctx *L, const struct mprop *p)
{
	const struct vdst_limit *d = p->v.p;
	char name[64];
	struct ir_set *set;
	struct ir_stmt *s;

	if ((d->keys & VDL_DPORT) && rule_protocol(L) < 0) {
		lower_refuse(L, &p->loc, "dst-limit by port without protocol=", "the port needs a transport protocol");
		return;
	}
	kname_rule_state(name, sizeof(name), "dl", L->cname);
	set = ir_set_add(L->ir, L->t, name, L->v6 ? K_IP6_SADDR : K_IP_SADDR);
	set->flags = SETF_DYNAMIC | SETF_TIMEOUT;
	set->timeout_ms = d->expire_ms;
	set->size = LOWER_SET_ROOM;
	s = lower_pre(L);
	s->kind = S_SET_UPDATE;
	s->u.set.set = set->name;
	if (d->keys & VDL_SADDR)
		s->u.set.keys[s->u.set.nkeys++] = L->v6 ? K_IP6_SADDR : K_IP_SADDR;
	if (d->keys & VDL_DADDR)
		s->u.set.keys[s->u.set.nkeys++] = L->v6 ? K_IP6_DADDR : K_IP_DADDR;
	if (d->keys & VDL_DPORT)
		s->u.set.keys[s->u.set.nkeys++] = K_TH_DPORT;
	memcpy(set->keys, s->u.set.keys, sizeof(set->keys));
	set->nkeys = s->u.set.nkeys;
	set->key = s->u.set.keys[0];
	rate_lower(&d->rate, &s->u.set.rate, &s->u.set.unit_s, &s->u.set.burst, &s->u.set.bytes);
	if (p->neg)
		s->u.set.count = 1;	/* over: see emit */
}

/* connection-limit=N,netmask: more than N connections from one source
 * address (or block of netmask bits). */
void lower_connection_limit(struct lctx *L, const struct mprop *p)
{
	char name[64];
	struct ir_set *set;
	struct ir_stmt *s;

	kname_rule_state(name, sizeof(name), "cl", L->cname);
	set = ir_set_add(L->ir, L->t, name, L->v6 ? K_IP6_SADDR : K_IP_SADDR);
	set->flags = SETF_DYNAMIC;
	set->size = LOWER_SET_ROOM;
	s = lower_pre(L);
	s->kind = S_CT_COUNT;
	s->u.set.set = set->name;
	s->u.set.keys[0] = set->key;
	s->u.set.nkeys = 1;
	s->u.set.key_mask_bits = p->v.r.hi;
	s->u.set.count = p->v.r.lo;
	s->u.set.bytes = p->neg;	/* negated: "not over" */
}

/* A dynamic set of connections (ct id) that forgets a connection `ms`
 * after its last packet. */
static struct ir_set *conn_set(struct lctx *L, const char *kind, uint64_t ms)
{
	char name[64], prefix[8];
	struct ir_set *set;

	snprintf(prefix, sizeof(prefix), "cr%s", kind);
	kname_rule_state(name, sizeof(name), prefix, L->cname);
	set = lower_rule_set(L, name, K_CT_ID);
	set->flags = SETF_DYNAMIC | SETF_TIMEOUT;
	set->timeout_ms = ms;
	set->size = LOWER_SET_ROOM;
	set->keys[0] = K_CT_ID;
	set->nkeys = 1;
	return set;
}

/* A prelude rule metering each connection against `bps` (a token bucket
 * of one second at that rate): the connections over it are put in `flag`
 * for a second. */
static void rate_meter(struct lctx *L, const char *kind, const char *flag_kind, uint64_t bps, const char **flag)
{
	struct ir_set *meter = conn_set(L, kind, 60000), *f = conn_set(L, flag_kind, 1000);
	uint64_t bytes = bps / 8 ? bps / 8 : 1;
	struct ir_stmt *s;

	*flag = f->name;
	if (!lower_prelude_new(L))
		return;
	s = lower_prelude(L);
	s->kind = S_SET_UPDATE;
	s->u.set.set = meter->name;
	s->u.set.keys[0] = K_CT_ID;
	s->u.set.nkeys = 1;
	s->u.set.rate = bytes;
	s->u.set.unit_s = 1;
	/* A byte bucket holds rate + burst (nft_limit_init): burst 0 is one
	 * second's worth. */
	s->u.set.bytes = true;
	s->u.set.count = 1;	/* over */
	s = lower_prelude(L);
	s->kind = S_SET_UPDATE;
	s->u.set.set = f->name;
	s->u.set.keys[0] = K_CT_ID;
	s->u.set.nkeys = 1;
}

/*
 * connection-rate=LO-HI (bits per second): nftables has no match for a
 * connection's current rate, so each connection is metered (per ct id, in
 * prelude rules that only keep state) against LO and HI, and the rule
 * matches the connections over LO and not over HI.
 */
void lower_connection_rate(struct lctx *L, const struct mprop *p)
{
	uint64_t lo = p->v.r.lo, hi = p->v.r.hi;
	const char *over_lo = NULL, *over_hi = NULL;
	struct ir_stmt *s;

	if (p->neg) {
		lower_refuse(L, &p->loc, "connection-rate=!", "write the rate range that is to match instead");
		return;
	}
	if (lo == hi && lo) {
		/* over N and not over N: no connection, and RouterOS's manual
		 * does not say what one rate alone means */
		lower_refuse(L, &p->loc, "connection-rate of one rate", "a connection's rate is never exactly one value: write a range LO-HI");
		return;
	}
	if (lo)
		rate_meter(L, "l", "o", lo, &over_lo);
	if (hi < UINT32_MAX)
		rate_meter(L, "h", "f", hi, &over_hi);
	if (over_lo) {
		s = match_add(L, K_CT_ID, OP_IN);
		s->u.m.set = over_lo;
		L->own[L->npre - 1] = true;
	}
	if (over_hi) {
		s = match_add(L, K_CT_ID, OP_NOTIN);
		s->u.m.set = over_hi;
		L->own[L->npre - 1] = true;
	}
	if (!over_lo && !over_hi) {
		/* 0 to the most: every tracked connection */
		s = match_add(L, K_CT_STATE, OP_NE);
		s->u.m.masked = true;
		s->u.m.mask = ir_data_host(1 | 2 | 4 | 8, 4);
		s->u.m.v = ir_data_host(0, 4);
	}
}

void lower_connection_bytes(struct lctx *L, const struct mprop *p)
{
	const struct vconn_bytes *b = p->v.p;
	struct ir_stmt *s;

	/* An upper bound of 0 means no upper bound. */
	if (!b->hi) {
		s = match_add(L, K_CT_BYTES, p->neg ? OP_LT : OP_GE);
		s->u.m.v = ir_data_host(b->lo, 8);
		return;
	}
	s = match_add(L, K_CT_BYTES, p->neg ? OP_NRANGE : OP_RANGE);
	s->u.m.v = ir_data_host(b->lo, 8);
	s->u.m.hi = ir_data_host(b->hi, 8);
}

void lower_nth(struct lctx *L, const struct mprop *p)
{
	uint64_t every = p->v.r.lo, packet = p->v.r.hi;
	struct ir_stmt *s;

	if (p->form & VFORM_V29) {
		/* 2.9: every,counter,packet matches every (every+1)th packet;
		 * numgen keeps one counter per rule, so the counter number
		 * has no equivalent and is not needed. */
		every++;
		packet++;
	}
	s = match_add(L, K_NUMGEN_INC, p->neg ? OP_NE : OP_EQ);
	s->u.m.mod = (uint32_t)(every ? every : 1);
	s->u.m.v = ir_data_host(packet ? packet - 1 : 0, 4);
}

void lower_random(struct lctx *L, const struct mprop *p)
{
	struct ir_stmt *s = match_add(L, K_NUMGEN_RANDOM, OP_LT);

	s->u.m.mod = 100;
	s->u.m.v = ir_data_host(p->v.u, 4);
}

/* The jhash of a per-connection-classifier: the fields it names, the ports
 * only when `ports` (a packet without ports is hashed without them; with
 * nothing else to hash, by its protocol). */
static void pcc_hash(struct lctx *L, const struct mprop *p, struct ir_match *m, bool ports, bool neg)
{
	memset(m, 0, sizeof(*m));
	m->key = K_JHASH;
	m->op = neg ? OP_NE : OP_EQ;
	if (p->form & VPCC_SADDR)
		m->hkeys[m->nhkeys++] = L->v6 ? K_IP6_SADDR : K_IP_SADDR;
	if (p->form & VPCC_DADDR)
		m->hkeys[m->nhkeys++] = L->v6 ? K_IP6_DADDR : K_IP_DADDR;
	if (ports && (p->form & VPCC_SPORT))
		m->hkeys[m->nhkeys++] = K_TH_SPORT;
	if (ports && (p->form & VPCC_DPORT))
		m->hkeys[m->nhkeys++] = K_TH_DPORT;
	if (!m->nhkeys)
		m->hkeys[m->nhkeys++] = K_META_L4PROTO;
	m->mod = p->v.r.lo ? p->v.r.lo : 1;
	m->v = ir_data_host(p->v.r.hi, 4);
}

/* The protocols whose packets carry ports (value_proto_has_ports). */
static void ports_protocols(struct lctx *L, struct ir_match *m, enum ir_op op)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_DCCP, IPPROTO_SCTP, IPPROTO_UDPLITE };
	struct ir_elem *e = arena_alloc(L->ir->arena, sizeof(protos) * sizeof(*e));
	size_t i;

	memset(e, 0, sizeof(protos) * sizeof(*e));
	for (i = 0; i < sizeof(protos); i++)
		e[i].lo = e[i].hi = ir_data_be(protos[i], 1);
	memset(m, 0, sizeof(*m));
	m->key = K_META_L4PROTO;
	m->op = op;
	m->elems = e;
	m->nelems = sizeof(protos);
}

/*
 * per-connection-classifier=FIELDS:N/R: the connection's first packet
 * (ct state new) is hashed and, when it falls in class R, the rule's
 * conntrack label bit is set; the rule then matches the connections whose
 * bit is set, every packet of them, both directions. The raw facility runs
 * before conntrack: there each packet is hashed on its own.
 */
#define PCC_BITS (IR_LABEL_PCC_LAST - IR_LABEL_PCC_FIRST + 1)

void lower_per_connection_classifier(struct lctx *L, const struct mprop *p)
{
	bool raw = L->k == MK_RAW4 || L->k == MK_RAW6, ports = p->form & (VPCC_SPORT | VPCC_DPORT);
	int proto = rule_protocol(L);
	struct ir_stmt *s;
	const char *chain;
	uint32_t key[4];
	unsigned bit, n;
	uint64_t h;
	int pass;

	if (raw) {
		if (ports && proto < 0) {
			lower_refuse(L, &p->loc, "per-connection-classifier by port without protocol= in raw",
				     "raw runs before connection tracking, so each packet is hashed, and its ports need a transport protocol");
			return;
		}
		pcc_hash(L, p, &lower_pre(L)->u.m, ports, p->neg);
		return;
	}
	/* The bit follows from the classifier and its chain, not the rule's
	 * place: connections keep their labels across a re-apply, and a rule
	 * added or moved must not hand its class to another rule. */
	chain = mitem_value(L->it, L->k, P_CHAIN);
	key[0] = p->form;
	key[1] = p->v.r.lo;
	key[2] = p->v.r.hi;
	key[3] = p->neg;
	h = text_fnv64(TEXT_FNV64, L->fac, strlen(L->fac) + 1);
	h = text_fnv64(h, chain ? chain : "", chain ? strlen(chain) + 1 : 0);
	bit = IR_LABEL_PCC_FIRST + (unsigned)(text_fnv64(h, key, sizeof(key)) % PCC_BITS);
	for (n = 0; n < PCC_BITS && (L->ct_labels[bit / 64] >> bit % 64 & 1); n++)
		bit = IR_LABEL_PCC_FIRST + (bit - IR_LABEL_PCC_FIRST + 1) % PCC_BITS;
	if (n == PCC_BITS) {
		diag_error(L->d, &p->loc,
			   "more than %d per-connection-classifier rules in %s: they have %d of conntrack's 128 label bits, one per rule",
			   PCC_BITS, L->v6 ? "/ipv6 firewall" : "/ip firewall", PCC_BITS);
		L->failed = true;
		return;
	}
	L->ct_labels[bit / 64] |= 1ull << bit % 64;
	L->owned_label = (int)bit;
	/* With ports and no protocol= named: one classifying rule for the
	 * protocols with ports, one for the others. */
	for (pass = 0; pass < 2; pass++) {
		bool with_ports = ports && pass == 0 && (proto < 0 || value_proto_has_ports(proto));

		if (pass == 1 && !(ports && proto < 0))
			break;
		if (!lower_prelude_new(L))
			return;
		s = lower_prelude(L);
		s->u.m.key = K_CT_STATE;
		s->u.m.op = OP_NE;
		s->u.m.masked = true;
		s->u.m.mask = ir_data_host(8, 4);	/* new */
		s->u.m.v = ir_data_host(0, 4);
		if (ports && proto < 0)
			ports_protocols(L, &lower_prelude(L)->u.m, pass == 0 ? OP_IN : OP_NOTIN);
		pcc_hash(L, p, &lower_prelude(L)->u.m, with_ports, p->neg);
		s = lower_prelude(L);
		s->kind = S_SET_FIELD;
		s->u.field.key = K_CT_LABEL;
		s->u.field.v.len = 16;
		s->u.field.v.b[bit / 8] = (uint8_t)(1u << bit % 8);
	}
	s = match_add(L, K_CT_LABEL, OP_NE);
	s->u.m.masked = true;
	s->u.m.mask.len = s->u.m.v.len = 16;
	s->u.m.mask.b[bit / 8] = (uint8_t)(1u << bit % 8);
	L->own[L->npre - 1] = true;
}

/* time=8h-17h,mon,tue: seconds of the day and days of the week. */
static struct ir_match hour_range(uint64_t lo, uint64_t hi, enum ir_op op)
{
	struct ir_match m = { .key = K_META_HOUR, .op = op };

	m.v = ir_data_host(lo, 4);
	m.hi = ir_data_host(hi, 4);
	return m;
}

/* The days of the form's bits (Sunday 0, as meta day numbers them), or
 * the others when `others`; false when that is every day (or, for the
 * others, none). */
static bool day_match(struct lctx *L, unsigned form, bool others, struct ir_match *m)
{
	struct ir_elem elems[7];
	size_t n = 0, i;

	for (i = 0; i < 7; i++) {
		if (!(form & (1u << i)) == others) {
			memset(&elems[n], 0, sizeof(elems[n]));
			elems[n++].lo = ir_data_host(i, 1);
		}
	}
	/* No days given is every day. */
	if (n == 0 || n == 7)
		return false;
	memset(m, 0, sizeof(*m));
	m->key = K_META_DAY;
	m->op = n == 1 ? OP_EQ : OP_IN;
	if (n == 1)
		m->v = elems[0].lo;
	m->elems = ir_elems_copy(L->ir, elems, n);
	m->nelems = n;
	return true;
}

static void match_put(struct lctx *L, const struct ir_match *m)
{
	match_add(L, m->key, m->op)->u.m = *m;
}

/*
 * !time is outside the hours or on another day: the hours' complement is
 * one range (the span past midnight's complement included), the days'
 * the other days; either of the two when both are given.
 */
static void time_not(struct lctx *L, const struct mprop *p, uint64_t a, uint64_t b, bool all_day)
{
	struct ir_match alts[2];
	size_t n = 0;

	if (!all_day) {
		if (a <= b)
			alts[n++] = hour_range(a, b ? b - 1 : 0, OP_NRANGE);
		else if (b)
			alts[n++] = hour_range(b, a - 1, OP_RANGE);
		else
			alts[n++] = hour_range(0, a - 1, OP_RANGE);
	}
	if (day_match(L, p->form, true, &alts[n]))
		n++;
	if (!n)
		lower_refuse(L, &p->loc, "time=! over the whole week", "it matches no packet: remove the rule or the '!'");
	else if (n == 1)
		match_put(L, &alts[0]);
	else
		lower_or(L, alts, 2, p);
}

void lower_time(struct lctx *L, const struct mprop *p)
{
	uint64_t a = p->v.r.lo / 1000, b = p->v.r.hi / 1000;
	bool all_day;
	struct ir_match m;

	if (b > 86400)
		b = 86400;
	all_day = a == 0 && b >= 86400;
	if (p->neg) {
		time_not(L, p, a, b, all_day);
		return;
	}
	if (!all_day) {
		if (a <= b) {
			m = hour_range(a, b ? b - 1 : 0, OP_RANGE);
			match_put(L, &m);
		} else {
			/* Past midnight: in either part of the day. */
			struct ir_match alts[2] = { hour_range(a, 86399, OP_RANGE), hour_range(0, b ? b - 1 : 0, OP_RANGE) };

			lower_or(L, alts, 2, p);
		}
	}
	if (day_match(L, p->form, false, &m))
		match_put(L, &m);
}

void lower_src_mac_address(struct lctx *L, const struct mprop *p)
{
	lower_mac(L, p, K_ETHER_SADDR);
}

void lower_ipsec_policy(struct lctx *L, const struct mprop *p)
{
	/* in: the packet came out of an IPsec tunnel (it has a secpath);
	 * out: its route goes through an xfrm policy. */
	match_add(L, (p->v.u & VIP_IN) ? K_META_SECPATH : K_RT_IPSEC, (p->v.u & VIP_IPSEC) ? OP_EXISTS : OP_MISSING);
}

void lower_priority(struct lctx *L, const struct mprop *p)
{
	numbers_add(L, K_META_PRIORITY, p);
}

/* ---- actions ------------------------------------------------------------ */

static void verdict(struct lctx *L, enum ir_verdict v, const char *chain)
{
	struct ir_stmt *s = lower_post(L, S_VERDICT);

	s->u.verdict.kind = v;
	s->u.verdict.chain = chain;
}

static const char *prop_text(struct lctx *L, enum prop_id id)
{
	return mitem_value(L->it, L->k, id);
}

static void act_log(struct lctx *L)
{
	const struct mprop *pf = mitem_prop(L->it, P_LOG_PREFIX);
	char prefix[LOWER_LOG_PREFIX_MAX + 1];
	struct ir_stmt *s = lower_post(L, S_LOG);

	s->u.log.level = 6;	/* RouterOS logs firewall messages at info */
	if (pf && mprop_len(pf)) {
		lower_text(prefix, sizeof(prefix), pf->value, mprop_len(pf), LOWER_LOG_PREFIX_MAX - 1);
		/* RouterOS separates prefix and message with a space. */
		strcat(prefix, " ");
		s->u.log.prefix = ir_strdup(L->ir, prefix);
	}
}

/* What a reject-with value is as nft's reject. */
struct reject_as {
	enum ir_reject kind;
	uint8_t code;
	bool ok;
};

static void act_reject(struct lctx *L)
{
	/* 2.9's icmp-echo-reply has no counterpart: not ok */
	static const struct reject_as v4[] = {
		[REJ4_NETWORK_UNREACHABLE] = { REJ_ICMP, 0, true }, [REJ4_HOST_UNREACHABLE] = { REJ_ICMP, 1, true },
		[REJ4_PROTOCOL_UNREACHABLE] = { REJ_ICMP, 2, true }, [REJ4_PORT_UNREACHABLE] = { REJ_ICMP, 3, true },
		[REJ4_NET_PROHIBITED] = { REJ_ICMP, 9, true },	     [REJ4_HOST_PROHIBITED] = { REJ_ICMP, 10, true },
		[REJ4_ADMIN_PROHIBITED] = { REJ_ICMP, 13, true },    [REJ4_TCP_RESET] = { REJ_TCP_RESET, 0, true },
		[REJ4_ECHO_REPLY] = { REJ_ICMP, 0, false },
	}, v6[] = {
		[REJ6_NO_ROUTE] = { REJ_ICMPV6, 0, true },	      [REJ6_ADMIN_PROHIBITED] = { REJ_ICMPV6, 1, true },
		[REJ6_NOT_NEIGHBOUR] = { REJ_ICMPV6, 2, true },	      [REJ6_ADDRESS_UNREACHABLE] = { REJ_ICMPV6, 3, true },
		[REJ6_PORT_UNREACHABLE] = { REJ_ICMPV6, 4, true },    [REJ6_TCP_RESET] = { REJ_TCP_RESET, 0, true },
		/* destination unreachable codes 7 (RFC 6554) and 8 (RFC 8883):
		 * the kernel's reject sends codes 0 to 6 only */
		[REJ6_ERR_SRC_ROUTING_HEADER] = { REJ_ICMPV6, 7, false }, [REJ6_HEADERS_TOO_LONG] = { REJ_ICMPV6, 8, false },
	};
	const struct mprop *with = mitem_get(L->it, L->k, P_REJECT_WITH);
	size_t i = with ? with->v.u : 0, n = L->v6 ? sizeof(v6) / sizeof(v6[0]) : sizeof(v4) / sizeof(v4[0]);
	const struct reject_as *r = L->v6 ? &v6[i] : &v4[i];
	struct ir_stmt *s;

	if (!with || i >= n || !r->ok) {
		lower_refuse(L, &L->it->loc, "reject-with=",
			     r->kind == REJ_ICMPV6 ? "the kernel's reject sends ICMPv6 destination-unreachable codes 0 to 6 only"
						   : "no ICMP message of that kind exists on Linux");
		return;
	}
	if (r->kind == REJ_TCP_RESET && rule_protocol(L) != 6) {
		/* A reset answers only TCP; nftables wants that said. */
		match_add(L, K_META_L4PROTO, OP_EQ)->u.m.v = ir_data_be(6, 1);
		diag_warning(L->d, &with->loc, "reject-with=tcp-reset applies to TCP only: other protocols pass this rule");
	}
	s = lower_post(L, S_REJECT);
	s->u.reject.kind = r->kind;
	s->u.reject.code = r->code;
}

static void act_list_add(struct lctx *L, bool src)
{
	const char *list = prop_text(L, P_ADDRESS_LIST);
	const struct mprop *to = mitem_prop(L->it, P_ADDRESS_LIST_TIMEOUT);
	struct list_sets ls;
	struct ir_stmt *s;

	lower_list_sets(L, list, &ls);
	s = lower_post(L, S_SET_ADD);
	s->u.set.set = ls.dyn;
	s->u.set.keys[0] = L->v6 ? (src ? K_IP6_SADDR : K_IP6_DADDR) : (src ? K_IP_SADDR : K_IP_DADDR);
	s->u.set.nkeys = 1;
	/* none-dynamic and 00:00:00 keep the entry until a reboot;
	 * none-static for good. */
	if (to && to->form == VTO_NONE_STATIC)
		s->u.set.timeout_ms = LOWER_STATIC_TIMEOUT_MS;
	else if (to && to->form == VTO_TIME)
		s->u.set.timeout_ms = to->v.u;
}

static void act_nat(struct lctx *L, enum ir_nat kind)
{
	const struct mprop *ta = mitem_prop(L->it, P_TO_ADDRESSES);
	const struct mprop *tp = mitem_prop(L->it, P_TO_PORTS);
	struct ir_stmt *s;

	if (tp && rule_protocol(L) != 6 && rule_protocol(L) != 17 && rule_protocol(L) != 132 &&
	    rule_protocol(L) != 33 && rule_protocol(L) != 136) {
		lower_refuse(L, &tp->loc, "to-ports without protocol=", "ports exist only for tcp, udp, sctp, dccp and udp-lite");
		return;
	}
	s = lower_post(L, S_NAT);
	s->u.nat.kind = kind;
	/* masquerade and redirect take the interface's address; the check
	 * let only exports' 0.0.0.0 ("none") through to here. */
	if (ta && (kind == NAT_MASQ || kind == NAT_REDIRECT))
		ta = NULL;
	if (ta) {
		struct value_addr va;
		uint8_t n = L->v6 ? 16 : 4;

		mprop_addr(ta, &va);
		s->u.nat.has_addr = true;
		s->u.nat.addr_lo.len = s->u.nat.addr_hi.len = n;
		memcpy(s->u.nat.addr_lo.b, va.lo, n);
		memcpy(s->u.nat.addr_hi.b, va.hi, n);
	}
	if (tp) {
		s->u.nat.has_port = true;
		s->u.nat.port_lo = (uint16_t)tp->v.r.lo;
		s->u.nat.port_hi = (uint16_t)tp->v.r.hi;
	}
}

static void act_netmap(struct lctx *L)
{
	bool src = !strcmp(prop_text(L, P_CHAIN), "srcnat");
	const struct mprop *from = mitem_prop(L->it, src ? P_SRC_ADDRESS : P_DST_ADDRESS);
	const struct mprop *ta = mitem_prop(L->it, P_TO_ADDRESSES);
	struct value_addr a, b;
	struct ir_stmt *s;
	uint8_t n = L->v6 ? 16 : 4;

	/* Onto one address netmap maps everything to it: plain src-nat or
	 * dst-nat, as exports use it for port forwards. */
	if (ta && mprop_len(ta) && mprop_addr(ta, &b) && b.kind == VA_ADDR) {
		act_nat(L, src ? NAT_SNAT : NAT_DNAT);
		return;
	}

	if (!from || !ta || !mprop_len(from) || from->neg || !mprop_len(ta) || !mprop_addr(from, &a) || !mprop_addr(ta, &b) ||
	    a.kind == VA_RANGE || b.kind == VA_RANGE || a.plen != b.plen) {
		lower_refuse(L, &L->it->loc, "netmap without matching prefixes",
			     "netmap maps one prefix onto another of the same length: give both");
		return;
	}
	s = lower_post(L, S_NAT);
	s->u.nat.kind = src ? NAT_SNAT : NAT_DNAT;
	s->u.nat.prefix = true;
	s->u.nat.has_addr = true;
	s->u.nat.elems = ir_elems_copy(L->ir, &(struct ir_elem){ 0 }, 1);
	s->u.nat.nelems = 1;
	s->u.nat.elems[0].lo.len = s->u.nat.elems[0].hi.len = n;
	memcpy(s->u.nat.elems[0].lo.b, a.lo, n);
	memcpy(s->u.nat.elems[0].hi.b, a.hi, n);
	s->u.nat.addr_lo.len = s->u.nat.addr_hi.len = n;
	memcpy(s->u.nat.addr_lo.b, b.lo, n);
	memcpy(s->u.nat.addr_hi.b, b.hi, n);
}

static void set_mark(struct lctx *L, enum prop_id prop, const char *kind, enum ir_key key, uint32_t keep)
{
	const char *name = prop_text(L, prop);
	struct ir_stmt *s = lower_post(L, S_SET_FIELD);

	s->u.field.key = key;
	s->u.field.v = ir_data_host(name ? lower_mark(L, kind, name) : 0, 4);
	if (keep) {
		/* Keep the other kind of mark that shares the packet mark. */
		s->u.field.masked = true;
		s->u.field.mask = ir_data_host(keep, 4);
	}
}

static void mangle_passthrough(struct lctx *L)
{
	const struct mprop *pt = mitem_get(L->it, L->k, P_PASSTHROUGH);

	/* passthrough=no ends the mangle chain for this packet. */
	if (pt && !pt->v.u)
		verdict(L, V_ACCEPT, NULL);
}

/* A header field or mark set to a value (change-*, set-priority). */
static struct ir_stmt *field_set(struct lctx *L, enum ir_key key, struct ir_data v)
{
	struct ir_stmt *s = lower_post(L, S_SET_FIELD);

	s->u.field.key = key;
	s->u.field.v = v;
	return s;
}

static void act_change_ttl(struct lctx *L, enum prop_id prop, enum ir_key key)
{
	const struct mprop *p = mitem_prop(L->it, prop);

	if (!p)
		return;
	if (!mprop_len(p) || p->form != VAV_OP || p->v.r.hi != TTLV_SET) {
		lower_refuse(L, &p->loc, key == K_IP_TTL ? "increment or decrement of the TTL" :
			     "increment or decrement of the hop limit", "nftables can set a header field, not add to it");
		return;
	}
	field_set(L, key, ir_data_be(p->v.r.lo, 1));
}

static void act_change_mss(struct lctx *L)
{
	const struct mprop *p = mitem_prop(L->it, P_NEW_MSS);

	if (!p)
		return;
	if (rule_protocol(L) != 6) {
		lower_refuse(L, &p->loc, "change-mss without protocol=tcp", "the MSS is a TCP option");
		return;
	}
	if (p->form == VAV_WORD && p->v.r.hi == MSSV_CLAMP_TO_PMTU)
		field_set(L, K_TCPOPT_MSS, (struct ir_data){ 0 })->u.field.from = K_RT_MTU;
	else
		field_set(L, K_TCPOPT_MSS, ir_data_be(p->v.r.lo, 2));
}

static void act_set_priority(struct lctx *L)
{
	const struct mprop *p = mitem_prop(L->it, P_NEW_PRIORITY);

	if (!p || !mprop_len(p) || p->form != VAV_NUMBER) {
		lower_refuse(L, p ? &p->loc : &L->it->loc, "set-priority from a header field",
			     "rosfw sets only a fixed priority");
		return;
	}
	field_set(L, K_META_PRIORITY, ir_data_host(p->v.r.lo, 4));
}

static void act_change_dscp(struct lctx *L)
{
	const struct mprop *p = mitem_prop(L->it, P_NEW_DSCP);

	if (p && p->form != VAV_NUMBER) {
		lower_refuse(L, &p->loc, "new-dscp=from-priority",
			     "nftables sets the DSCP to a number, it cannot copy the packet's priority into it");
		return;
	}
	if (p)
		field_set(L, L->v6 ? K_IP6_DSCP : K_IP_DSCP, ir_data_be(p->v.r.lo, 1));
}

/* The actions, one function each, as the rows of props.def name them. */

void lower_act_accept(struct lctx *L)
{
	verdict(L, V_ACCEPT, NULL);
}

void lower_act_drop(struct lctx *L)
{
	verdict(L, V_DROP, NULL);
}

void lower_act_reject(struct lctx *L)
{
	act_reject(L);
}

/* log and passthrough: counted, then on to the next rule (log=yes and
 * action=log log before the action, in lower_action). */
void lower_act_log(struct lctx *L)
{
	(void)L;
}

void lower_act_passthrough(struct lctx *L)
{
	(void)L;
}

void lower_act_jump(struct lctx *L)
{
	char chain[LOWER_IDENT_MAX];

	verdict(L, V_JUMP, ir_strdup(L->ir, lower_chain_name(L, chain, prop_text(L, P_JUMP_TARGET))));
}

void lower_act_return(struct lctx *L)
{
	verdict(L, V_RETURN, NULL);
}

void lower_act_add_src_to_address_list(struct lctx *L)
{
	act_list_add(L, true);
}

void lower_act_add_dst_to_address_list(struct lctx *L)
{
	act_list_add(L, false);
}

void lower_act_fasttrack_connection(struct lctx *L)
{
	const char *in = mitem_value(L->it, L->k, P_CHAIN);

	if (L->o->fasttrack == FASTTRACK_FLOWTABLE && in &&
	    (!strcmp(in, "input") || !strcmp(in, "output") || !strcmp(in, "prerouting") || !strcmp(in, "postrouting"))) {
		/* The kernel offloads forwarded flows only. */
		diag_error(L->d, &L->it->loc, "fasttrack-connection works in the forward chain only, not in %s", in);
		L->failed = true;
	} else if (L->o->fasttrack == FASTTRACK_FLOWTABLE) {
		lower_post(L, S_FLOW_ADD)->u.obj.name = "fasttrack";
		L->fasttrack_rules++;
	} else if (lower_once(L, "fasttrack")) {
		/* As on a router where FastTrack is unavailable, the rule after
		 * this one (accept established,related) carries the traffic. */
		diag_warning(L->d, &L->it->loc,
			     "fasttrack-connection is counted but not offloaded (--fasttrack=fallback): the following rule carries the traffic");
	}
}

void lower_act_notrack(struct lctx *L)
{
	lower_post(L, S_NOTRACK);
}

/* randomise-ports=yes: the source port of each new connection is chosen
 * at random, where the kernel keeps the original port when it can. */
static void nat_random(struct lctx *L)
{
	const struct mprop *p = mitem_get(L->it, L->k, P_RANDOMISE_PORTS);

	if (p && p->v.u && L->npost && L->post[L->npost - 1].kind == S_NAT)
		L->post[L->npost - 1].u.nat.random = true;
}

void lower_act_src_nat(struct lctx *L)
{
	if (lower_bridge_nat(L, false))
		return;
	act_nat(L, NAT_SNAT);
	nat_random(L);
}

void lower_act_dst_nat(struct lctx *L)
{
	if (lower_bridge_nat(L, true))
		return;
	act_nat(L, NAT_DNAT);
}

void lower_act_masquerade(struct lctx *L)
{
	act_nat(L, NAT_MASQ);
	nat_random(L);
}

void lower_act_redirect(struct lctx *L)
{
	if (L->k == MK_BRIDGE_NAT) {
		const struct mprop *a = mitem_prop(L->it, P_ACTION);

		lower_refuse(L, a ? &a->loc : &L->it->loc, "action=redirect in /interface bridge nat",
			     "it sets the bridge's own MAC, which rosfw does not know when it compiles");
		return;
	}
	act_nat(L, NAT_REDIRECT);
}

void lower_act_netmap(struct lctx *L)
{
	act_netmap(L);
}

void lower_act_same(struct lctx *L)
{
	act_nat(L, NAT_SNAT);
	if (L->npost && L->post[L->npost - 1].kind == S_NAT)
		L->post[L->npost - 1].u.nat.persistent = true;
}

void lower_act_mark_connection(struct lctx *L)
{
	set_mark(L, P_NEW_CONNECTION_MARK, "connection", K_CT_MARK, 0);
	mangle_passthrough(L);
}

void lower_act_mark_packet(struct lctx *L)
{
	/* Bridge ports matched: their number in bits 12-15 stays too. */
	set_mark(L, P_NEW_PACKET_MARK, "packet", K_META_MARK, ~ir_pmark_mask(L->ir));
	mangle_passthrough(L);
}

void lower_act_mark_routing(struct lctx *L)
{
	set_mark(L, P_NEW_ROUTING_MARK, "routing", K_META_MARK, 0xffffu);
	mangle_passthrough(L);
}

void lower_act_change_dscp(struct lctx *L)
{
	act_change_dscp(L);
	mangle_passthrough(L);
}

void lower_act_change_ttl(struct lctx *L)
{
	act_change_ttl(L, P_NEW_TTL, K_IP_TTL);
	mangle_passthrough(L);
}

void lower_act_change_hop_limit(struct lctx *L)
{
	act_change_ttl(L, P_NEW_HOP_LIMIT, K_IP6_HOPLIMIT);
	mangle_passthrough(L);
}

void lower_act_change_mss(struct lctx *L)
{
	act_change_mss(L);
	mangle_passthrough(L);
}

void lower_act_set_priority(struct lctx *L)
{
	act_set_priority(L);
	mangle_passthrough(L);
}

void lower_action(struct lctx *L)
{
	const struct action_def *ad = action_def(mitem_action(L->it, L->k));
	const struct mprop *ap = mitem_prop(L->it, P_ACTION), *log = mitem_get(L->it, L->k, P_LOG);
	char what[64];

	/* log=yes logs before the action, whatever it is. */
	if ((log && log->v.u) || ad->id == A_LOG)
		act_log(L);
	if (ad->lower) {
		ad->lower(L);
		return;
	}
	snprintf(what, sizeof(what), "action=%s", ad->name);
	lower_refuse(L, ap ? &ap->loc : &L->it->loc, what, ad->how);
}

/* ---- the translation table ------------------------------------------------ */

static void row_markdown(FILE *out, const char *name, const char *action, enum prop_status st, const char *how)
{
	static const char *const status[] = {
		[ST_EXACT] = "exact", [ST_APPROX] = "approximate", [ST_REFUSED] = "refused",
		[ST_ARGUMENT] = "argument", [ST_MODEL] = "model",
	};

	fprintf(out, "| `%s%s` | %s | %s |\n", action ? "action=" : "", action ? action : name, status[st], how);
}

void lower_table_markdown(FILE *out)
{
	size_t np, na, i, j;
	const struct prop_def *p = prop_table(&np);
	const struct action_def *a = action_table(&na);

	fputs("# Translation table\n\n"
	      "Every property and action of `/ip firewall filter|nat|mangle|raw` (and `/ipv6`) as rosfw lowers it to\n"
	      "nftables. Printed by `rosfw doc translation` from the table the compiler itself uses\n"
	      "(compiler/props.def); `make check` fails when this file and the table differ.\n\n"
	      "- exact: same packets, same effect.\n"
	      "- approximate: nearly the same; the column says how it differs.\n"
	      "- refused: an error at the property; `--unsupported=skip-rule` leaves the rule out with a warning\n"
	      "  that says whether that opens or closes traffic.\n"
	      "- argument: read by its action. model: handled before lowering.\n\n"
	      "| property or action | status | nftables |\n| --- | --- | --- |\n",
	      out);
	/* In name order, "action=..." right after "action". */
	for (i = 0; i < np; i++) {
		if (!(p[i].menus & MB_RULES))
			continue;
		row_markdown(out, p[i].name, NULL, p[i].status, p[i].how);
		if (p[i].id != P_ACTION)
			continue;
		for (j = 0; j < na; j++)
			if (a[j].menus & MB_RULES)
				row_markdown(out, NULL, a[j].name, a[j].status, a[j].how);
	}
	/* The bridge menus' own rows; what they share with the IP menus
	 * lowers as above, in table bridge rosfw. */
	fputs("\n## /interface bridge filter and nat\n\n"
	      "Into `table bridge rosfw` (README, \"Bridge ports\"). What these menus share with the IP firewall\n"
	      "(`src-address`, `dst-port`, `in-interface`, `packet-mark`, `log`, `accept`, `jump`, ...) lowers as above;\n"
	      "IP fields need `mac-protocol=ip`. In `/interface bridge nat`, `dst-nat` is `ether daddr set\n"
	      "to-dst-mac-address accept` and `src-nat` `ether saddr set to-src-mac-address accept`; `redirect` is refused\n"
	      "(the bridge's own MAC is not known when rosfw compiles).\n\n"
	      "| property or action | status | nftables |\n| --- | --- | --- |\n",
	      out);
	for (i = 0; i < np; i++)
		if ((p[i].menus & MB_BR) && !(p[i].menus & MB_RULES))
			row_markdown(out, p[i].name, NULL, p[i].status, p[i].how);
	for (j = 0; j < na; j++)
		if ((a[j].menus & MB_BR) && !(a[j].menus & MB_RULES))
			row_markdown(out, NULL, a[j].name, a[j].status, a[j].how);
	lower_service_markdown(out);
	routes_markdown(out);
}
