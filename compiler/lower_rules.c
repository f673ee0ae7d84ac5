/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One function per RouterOS property and action, and the translation table
 * that names each (exact, approximate and how, refused and why).
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "lower_impl.h"
#include "menu.h"
#include "text.h"
#include "value.h"

/* ---- small helpers ------------------------------------------------------ */

/* A value with its leading '!' split off. */
struct nval {
	const char *s;
	size_t len;
	bool neg;
};

static struct nval nval_of(const struct mprop *p)
{
	struct nval v = { p->value, p->len, false };

	if (v.len && v.s[0] == '!') {
		v.s++;
		v.len--;
		v.neg = true;
	}
	return v;
}

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

static int rule_protocol(const struct lctx *L)
{
	const struct mprop *p = mitem_prop(L->it, P_PROTOCOL);
	int proto = -1;

	if (p && p->len && p->value[0] != '!')
		value_parse_protocol(p->value, p->len, &proto);
	return proto;
}

/* A comma list of numbers and ranges, as one match: a value, a range, or
 * an anonymous set (never one rule per element). */
void lower_numbers(struct lctx *L, enum ir_key key, const char *s, size_t len, bool neg, uint64_t max,
		   struct ir_match *out)
{
	size_t n = 0, cap = 1;
	const char *end = s + len, *p;
	struct ir_elem *elems;

	for (p = s; p < end; p++)
		cap += *p == ',';
	elems = arena_alloc(L->ir->arena, cap * sizeof(*elems));
	memset(out, 0, sizeof(*out));
	out->key = key;
	while (s < end && n < cap) {
		const char *e = memchr(s, ',', (size_t)(end - s));
		size_t l = e ? (size_t)(e - s) : (size_t)(end - s);
		uint64_t lo = 0, hi = 0;

		value_parse_range(s, l, max, &lo, &hi);
		memset(&elems[n], 0, sizeof(elems[n]));
		elems[n].lo = data_for(key, lo);
		elems[n].hi = data_for(key, hi);
		elems[n].range = lo != hi;
		n++;
		s = e ? e + 1 : end;
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

static void numbers_add(struct lctx *L, enum ir_key key, const struct mprop *p, uint64_t max)
{
	struct nval v = nval_of(p);
	struct ir_stmt *s = lower_pre(L);

	lower_numbers(L, key, v.s, v.len, v.neg, max, &s->u.m);
}

/* ---- matchers ----------------------------------------------------------- */

void lower_protocol(struct lctx *L, const struct mprop *p)
{
	struct nval v = nval_of(p);
	int proto = 0;

	value_parse_protocol(v.s, v.len, &proto);
	match_add(L, K_META_L4PROTO, v.neg ? OP_NE : OP_EQ)->u.m.v = ir_data_be((uint64_t)proto, 1);
}

static void addr_match(struct lctx *L, struct ir_match *m, enum ir_key key, const struct nval *v)
{
	struct value_addr va;
	uint8_t n = L->v6 ? 16 : 4;

	memset(m, 0, sizeof(*m));
	m->key = key;
	value_parse_addr(v->s, v->len, L->v6, &va);
	m->v.len = m->hi.len = n;
	memcpy(m->v.b, va.lo, n);
	memcpy(m->hi.b, va.hi, n);
	if (va.kind == VA_RANGE) {
		m->op = v->neg ? OP_NRANGE : OP_RANGE;
	} else {
		int bits = va.kind == VA_PREFIX ? va.plen : n * 8, i;

		m->op = v->neg ? OP_NE : OP_EQ;
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
	struct nval v = nval_of(p);

	addr_match(L, &lower_pre(L)->u.m, L->v6 ? K_IP6_SADDR : K_IP_SADDR, &v);
}

void lower_dst_address(struct lctx *L, const struct mprop *p)
{
	struct nval v = nval_of(p);

	addr_match(L, &lower_pre(L)->u.m, L->v6 ? K_IP6_DADDR : K_IP_DADDR, &v);
}

static void addr_list(struct lctx *L, const struct mprop *p, bool src)
{
	struct nval v = nval_of(p);
	enum ir_key key = L->v6 ? (src ? K_IP6_SADDR : K_IP6_DADDR) : (src ? K_IP_SADDR : K_IP_DADDR);
	struct list_sets ls;
	const char *sets[3];
	struct ir_match alts[3];
	size_t n = 0, i;

	/* v.s ends where the value does: the whole name, as the list has it. */
	lower_list_sets(L, v.s, &ls);
	if (ls.stat)
		sets[n++] = ls.stat;
	if (ls.dyn)
		sets[n++] = ls.dyn;
	if (ls.rt)
		sets[n++] = ls.rt;
	if (n > 1 && !v.neg) {
		/* One list, several kernel sets: in any, acting once. */
		for (i = 0; i < n; i++)
			alts[i] = (struct ir_match){ .key = key, .op = OP_IN, .set = sets[i] };
		lower_or(L, alts, n, p);
		return;
	}
	for (i = 0; i < n; i++)
		match_add(L, key, v.neg ? OP_NOTIN : OP_IN)->u.m.set = sets[i];
}

void lower_src_address_list(struct lctx *L, const struct mprop *p)
{
	addr_list(L, p, true);
}

void lower_dst_address_list(struct lctx *L, const struct mprop *p)
{
	addr_list(L, p, false);
}

static const char *const addr_types[] = {
	/* fib's RTN_* numbers, in RouterOS spelling */
	[1] = "unicast", [2] = "local", [3] = "broadcast", [5] = "multicast",
	[6] = "blackhole", [7] = "unreachable", [8] = "prohibit",
};

static void addr_type(struct lctx *L, const struct mprop *p, enum ir_key key)
{
	struct nval v = nval_of(p);
	size_t t;

	for (t = 0; t < sizeof(addr_types) / sizeof(addr_types[0]); t++)
		if (addr_types[t] && text_eq(v.s, v.len, addr_types[t]))
			break;
	match_add(L, key, v.neg ? OP_NE : OP_EQ)->u.m.v = data_for(key, t);
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

static void ifname(struct lctx *L, const struct mprop *p, enum ir_key key)
{
	struct nval v = nval_of(p);
	struct ir_stmt *s;

	if (!lower_ifname_ok(v.s, v.len)) {
		lower_refuse(L, &p->loc, "this interface name",
			     "nft text cannot carry quotes or control bytes, and reads a trailing * as a wildcard");
		return;
	}
	s = match_add(L, key, v.neg ? OP_NE : OP_EQ);

	s->u.m.v.len = 16;
	memcpy(s->u.m.v.b, v.s, v.len < 15 ? v.len : 15);
	if (v.len > 15)
		diag_warning(L->d, &p->loc, "Linux interface names have at most 15 bytes: \"%.*s\" is cut",
			     (int)v.len, v.s);
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
	struct nval v = nval_of(p);
	const char *name = v.s;

	/* all matches every interface, none none; Linux has no dynamic
	 * interfaces in RouterOS's sense, so static is all and dynamic none. */
	if (!strcmp(name, "all") || !strcmp(name, "static")) {
		if (v.neg)
			match_add(L, key, OP_IN)->u.m.set = lower_iflist_set(L, "none");
		return;
	}
	if (!strcmp(name, "dynamic"))
		name = "none";
	match_add(L, key, v.neg ? OP_NOTIN : OP_IN)->u.m.set = lower_iflist_set(L, name);
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
	numbers_add(L, port_key(L, true), p, 65535);
}

void lower_dst_port(struct lctx *L, const struct mprop *p)
{
	numbers_add(L, port_key(L, false), p, 65535);
}

/* port= matches the source or the destination port. */
void lower_port(struct lctx *L, const struct mprop *p)
{
	struct nval v = nval_of(p);
	struct ir_match alts[2];

	lower_numbers(L, port_key(L, true), v.s, v.len, v.neg, 65535, &alts[0]);
	lower_numbers(L, port_key(L, false), v.s, v.len, v.neg, 65535, &alts[1]);
	if (v.neg) {
		/* Neither port is in the list. */
		lower_pre(L)->u.m = alts[0];
		lower_pre(L)->u.m = alts[1];
		return;
	}
	lower_or(L, alts, 2, p);
}

/* Names of a comma list as bits of a flag word. */
static uint32_t flag_bits(const char *s, size_t len, const char *const *names, const uint32_t *bits)
{
	const char *end = s + len;
	uint32_t r = 0;

	while (s < end) {
		const char *e = memchr(s, ',', (size_t)(end - s));
		size_t l = e ? (size_t)(e - s) : (size_t)(end - s), i;

		for (i = 0; names[i]; i++)
			if (text_eq(s, l, names[i]))
				r |= bits[i];
		s = e ? e + 1 : end;
	}
	return r;
}

void lower_connection_state(struct lctx *L, const struct mprop *p)
{
	static const char *const names[] = { "invalid", "established", "related", "new", "untracked", NULL };
	static const uint32_t bits[] = { 1, 2, 4, 8, 64 };
	struct nval v = nval_of(p);
	struct ir_stmt *s = match_add(L, K_CT_STATE, v.neg ? OP_EQ : OP_NE);

	/* ct state & (listed) != 0 */
	s->u.m.masked = true;
	s->u.m.mask = ir_data_host(flag_bits(v.s, v.len, names, bits), 4);
	s->u.m.v = ir_data_host(0, 4);
}

void lower_connection_nat_state(struct lctx *L, const struct mprop *p)
{
	static const char *const names[] = { "srcnat", "dstnat", NULL };
	/* IPS_SRC_NAT, IPS_DST_NAT */
	static const uint32_t bits[] = { 0x10, 0x20 };
	struct nval v = nval_of(p);
	struct ir_stmt *s = match_add(L, K_CT_STATUS, v.neg ? OP_EQ : OP_NE);

	s->u.m.masked = true;
	s->u.m.mask = ir_data_host(flag_bits(v.s, v.len, names, bits), 4);
	s->u.m.v = ir_data_host(0, 4);
}

static void mark_match(struct lctx *L, const struct mprop *p, enum ir_key key, const char *kind, uint32_t mask)
{
	struct nval v = nval_of(p);
	struct ir_stmt *s = match_add(L, key, v.neg ? OP_NE : OP_EQ);

	/* The whole name, as mark-* actions hash it. */
	s->u.m.v = ir_data_host(lower_mark(L, kind, v.s), 4);
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
	mark_match(L, p, K_META_MARK, "packet", 0xffffu);
}

void lower_routing_mark(struct lctx *L, const struct mprop *p)
{
	mark_match(L, p, K_META_MARK, "routing", 0xffff0000u);
}

void lower_connection_type(struct lctx *L, const struct mprop *p)
{
	struct nval v = nval_of(p);
	struct ir_match alts[LOWER_MAX_ALTS];
	const char *const *names;
	char type[32];
	size_t n;

	/* ct helper stops the rule when the connection has no helper, so
	 * "!ftp" could never match the connections without one. */
	if (v.neg) {
		lower_refuse(L, &p->loc, "connection-type with !", "nftables cannot match connections that have no helper");
		return;
	}
	snprintf(type, sizeof(type), "%.*s", (int)v.len, v.s);
	if (!(names = lower_ct_helper_names(type))) {
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
	struct nval v = nval_of(p);
	const char *colon = memchr(v.s, ':', v.len);
	size_t tl = colon ? (size_t)(colon - v.s) : v.len;
	int type = 0;
	uint64_t lo = 0, hi = 255;

	value_parse_icmp_type(v.s, tl, L->v6, &type);
	if (colon)
		value_parse_range(colon + 1, v.len - tl - 1, 255, &lo, &hi);
	if (v.neg && colon && !(lo == 0 && hi == 255)) {
		lower_refuse(L, &p->loc, "icmp-options with ! and a code", "nftables has no single test for \"not this type and code\"");
		return;
	}
	match_add(L, L->v6 ? K_ICMP6_TYPE : K_ICMP_TYPE, v.neg ? OP_NE : OP_EQ)->u.m.v = ir_data_be((uint64_t)type, 1);
	if (colon && !(lo == 0 && hi == 255)) {
		struct ir_stmt *s = match_add(L, L->v6 ? K_ICMP6_CODE : K_ICMP_CODE, lo == hi ? OP_EQ : OP_RANGE);

		s->u.m.v = ir_data_be(lo, 1);
		s->u.m.hi = ir_data_be(hi, 1);
	}
}

void lower_tcp_flags(struct lctx *L, const struct mprop *p)
{
	static const char *const names[] = { "fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", NULL };
	const char *s = p->value, *end = p->value + p->len;
	uint32_t mask = 0, set = 0;
	struct ir_stmt *st;

	if (!p->len)
		return;
	/* Listed flags must be set, !flags must be clear, others are free. */
	while (s < end) {
		const char *e = memchr(s, ',', (size_t)(end - s));
		size_t l = e ? (size_t)(e - s) : (size_t)(end - s), i;
		bool neg = l && *s == '!';

		for (i = 0; names[i]; i++) {
			if (text_eq(s + neg, l - neg, names[i])) {
				mask |= 1u << i;
				if (!neg)
					set |= 1u << i;
			}
		}
		s = e ? e + 1 : end;
	}
	st = match_add(L, K_TCP_FLAGS, OP_EQ);
	st->u.m.masked = true;
	st->u.m.mask = ir_data_be(mask, 1);
	st->u.m.v = ir_data_be(set, 1);
}

void lower_tcp_mss(struct lctx *L, const struct mprop *p)
{
	numbers_add(L, K_TCPOPT_MSS, p, 65535);
}

void lower_packet_size(struct lctx *L, const struct mprop *p)
{
	numbers_add(L, K_META_LENGTH, p, 65535);
}

/* ttl and hop-limit: v6 wrote a number or range, v7 equal:N, not-equal:N,
 * greater-than:N, less-than:N. */
static void ttl_like(struct lctx *L, const struct mprop *p, enum ir_key key)
{
	static const struct {
		const char *word;
		enum ir_op op;
	} ops[] = { { "equal", OP_EQ }, { "not-equal", OP_NE }, { "greater-than", OP_GT }, { "less-than", OP_LT } };
	const char *colon = memchr(p->value, ':', p->len);
	size_t i;
	uint64_t n = 0;

	if (!colon) {
		numbers_add(L, key, p, 255);
		return;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (text_eq(p->value, (size_t)(colon - p->value), ops[i].word)) {
			value_parse_uint(colon + 1, p->len - (size_t)(colon + 1 - p->value), 255, &n);
			match_add(L, key, ops[i].op)->u.m.v = ir_data_be(n, 1);
		}
	}
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
	numbers_add(L, L->v6 ? K_IP6_DSCP : K_IP_DSCP, p, 63);
}

void lower_fragment(struct lctx *L, const struct mprop *p)
{
	struct ir_stmt *s = match_add(L, K_IP_FRAG_OFF, text_eq(p->value, p->len, "yes") ? OP_NE : OP_EQ);

	/* The fragment offset, not the flags: RouterOS does not count the
	 * first fragment. */
	s->u.m.masked = true;
	s->u.m.mask = ir_data_be(0x1fff, 2);
	s->u.m.v = ir_data_be(0, 2);
}

void lower_ipv4_options(struct lctx *L, const struct mprop *p)
{
	static const struct {
		const char *name;
		enum ir_key key;
		bool present;
	} opts[] = {
		{ "loose-source-routing", K_IPOPT_LSRR, true }, { "no-record-route", K_IPOPT_RR, false },
		{ "no-router-alert", K_IPOPT_RA, false },	{ "record-route", K_IPOPT_RR, true },
		{ "router-alert", K_IPOPT_RA, true },		{ "strict-source-routing", K_IPOPT_SSRR, true },
	};
	struct nval v = nval_of(p);
	bool any = text_eq(v.s, v.len, "any"), none = text_eq(v.s, v.len, "none");
	size_t i;

	if (any || none) {
		/* Header length above 5 words means options are present. */
		match_add(L, K_IP_HDRLENGTH, (any != v.neg) ? OP_GT : OP_EQ)->u.m.v = ir_data_be(5, 1);
		return;
	}
	if (text_eq(v.s, v.len, "no-source-routing")) {
		/* Neither kind of source route. */
		match_add(L, K_IPOPT_LSRR, v.neg ? OP_EXISTS : OP_MISSING);
		if (!v.neg)
			match_add(L, K_IPOPT_SSRR, OP_MISSING);
		else
			lower_refuse(L, &p->loc, "ipv4-options=!no-source-routing", "it means either source route: write two rules");
		return;
	}
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		if (text_eq(v.s, v.len, opts[i].name)) {
			match_add(L, opts[i].key, (opts[i].present != v.neg) ? OP_EXISTS : OP_MISSING);
			return;
		}
	}
	lower_refuse(L, &p->loc, "ipv4-options=timestamp", "nftables cannot test for the IPv4 timestamp option");
}

/* "count[/time][,burst][:mode]": v7 writes 50/1s,5:packet, v6 50,5:packet
 * (per second). Rates in bits are turned into bytes. */
static void rate_parse(const char *s, size_t len, uint64_t *rate, uint64_t *unit_s, uint32_t *burst, bool *bytes)
{
	const char *colon = memchr(s, ':', len), *comma, *slash;
	size_t head = colon ? (size_t)(colon - s) : len;
	uint64_t mult = 1, ms = 1000, b = 0;
	size_t nl;

	*bytes = colon && text_eq(colon + 1, len - head - 1, "bit");
	comma = memchr(s, ',', head);
	if (comma)
		value_parse_uint(comma + 1, head - (size_t)(comma + 1 - s), UINT32_MAX, &b);
	nl = comma ? (size_t)(comma - s) : head;
	slash = memchr(s, '/', nl);
	if (slash) {
		value_parse_time(slash + 1, nl - (size_t)(slash + 1 - s), &ms);
		nl = (size_t)(slash - s);
	}
	if (nl && (s[nl - 1] == 'k' || s[nl - 1] == 'K' || s[nl - 1] == 'M' || s[nl - 1] == 'G')) {
		mult = s[nl - 1] == 'G' ? 1000000000ull : s[nl - 1] == 'M' ? 1000000ull : 1000ull;
		nl--;
	}
	*rate = 0;
	value_parse_uint(s, nl, UINT64_MAX / 1000000000ull, rate);
	*rate *= mult;
	if (*bytes)
		*rate /= 8;
	*unit_s = ms >= 1000 ? ms / 1000 : 1;
	*burst = (uint32_t)(*bytes ? b / 8 : b);
}

void lower_limit(struct lctx *L, const struct mprop *p)
{
	struct nval v = nval_of(p);
	struct ir_stmt *s = lower_pre(L);

	s->kind = S_LIMIT;
	rate_parse(v.s, v.len, &s->u.limit.rate, &s->u.limit.unit_s, &s->u.limit.burst, &s->u.limit.bytes);
	s->u.limit.over = v.neg;
}

/* dst-limit=rate[/time],burst,mode[/expire]: a limit per address (and
 * port), kept in a dynamic set whose entries expire. */
void lower_dst_limit(struct lctx *L, const struct mprop *p)
{
	static const struct {
		const char *mode;
		bool saddr, daddr, dport;
	} modes[] = {
		{ "dst-address", false, true, false },
		{ "src-address", true, false, false },
		{ "src-and-dst-address", true, true, false },
		{ "src-and-dst-addresses", true, true, false },
		{ "dst-address-and-port", false, true, true },
		{ "addresses-and-dst-port", true, true, true },
		{ "dst-port", false, false, true },
	};
	struct nval v = nval_of(p);
	const char *c1 = memchr(v.s, ',', v.len), *c2, *mode, *slash;
	size_t ml, i;
	uint64_t expire = 60000;
	char rate[128], name[64];
	struct ir_set *set;
	struct ir_stmt *s;

	if (!c1 || !(c2 = memchr(c1 + 1, ',', v.len - (size_t)(c1 + 1 - v.s)))) {
		lower_refuse(L, &p->loc, "this dst-limit", "expected rate,burst,mode");
		return;
	}
	mode = c2 + 1;
	ml = v.len - (size_t)(mode - v.s);
	/* v7 writes mode/expire, 2.9 mode,expire */
	if ((slash = memchr(mode, '/', ml)) || (slash = memchr(mode, ',', ml))) {
		value_parse_time(slash + 1, ml - (size_t)(slash + 1 - mode), &expire);
		ml = (size_t)(slash - mode);
	}
	snprintf(rate, sizeof(rate), "%.*s", (int)(c2 - v.s), v.s);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (text_eq(mode, ml, modes[i].mode))
			break;
	if (i == sizeof(modes) / sizeof(modes[0])) {
		lower_refuse(L, &p->loc, "this dst-limit mode", "rosfw knows no key for it");
		return;
	}
	if (modes[i].dport && rule_protocol(L) < 0) {
		lower_refuse(L, &p->loc, "dst-limit by port without protocol=", "the port needs a transport protocol");
		return;
	}
	snprintf(name, sizeof(name), "dl_%s_%ld", L->fac, L->id);
	set = ir_set_add(L->ir, L->t, name, L->v6 ? K_IP6_SADDR : K_IP_SADDR);
	set->flags = SETF_DYNAMIC | SETF_TIMEOUT;
	set->timeout_ms = expire;
	set->size = LOWER_SET_ROOM;
	s = lower_pre(L);
	s->kind = S_SET_UPDATE;
	s->u.set.set = set->name;
	if (modes[i].saddr)
		s->u.set.keys[s->u.set.nkeys++] = L->v6 ? K_IP6_SADDR : K_IP_SADDR;
	if (modes[i].daddr)
		s->u.set.keys[s->u.set.nkeys++] = L->v6 ? K_IP6_DADDR : K_IP_DADDR;
	if (modes[i].dport)
		s->u.set.keys[s->u.set.nkeys++] = K_TH_DPORT;
	memcpy(set->keys, s->u.set.keys, sizeof(set->keys));
	set->nkeys = s->u.set.nkeys;
	set->key = s->u.set.keys[0];
	rate_parse(rate, strlen(rate), &s->u.set.rate, &s->u.set.unit_s, &s->u.set.burst, &s->u.set.bytes);
	if (v.neg)
		s->u.set.count = 1;	/* over: see emit */
}

/* connection-limit=N,netmask: more than N connections from one source
 * address (or block of netmask bits). */
void lower_connection_limit(struct lctx *L, const struct mprop *p)
{
	struct nval v = nval_of(p);
	const char *comma = memchr(v.s, ',', v.len);
	uint64_t n = 0, bits = L->v6 ? 128 : 32;
	char name[64];
	struct ir_set *set;
	struct ir_stmt *s;

	value_parse_uint(v.s, comma ? (size_t)(comma - v.s) : v.len, UINT32_MAX, &n);
	if (comma)
		value_parse_uint(comma + 1, v.len - (size_t)(comma + 1 - v.s), bits, &bits);
	snprintf(name, sizeof(name), "cl_%s_%ld", L->fac, L->id);
	set = ir_set_add(L->ir, L->t, name, L->v6 ? K_IP6_SADDR : K_IP_SADDR);
	set->flags = SETF_DYNAMIC;
	set->size = LOWER_SET_ROOM;
	s = lower_pre(L);
	s->kind = S_CT_COUNT;
	s->u.set.set = set->name;
	s->u.set.keys[0] = set->key;
	s->u.set.nkeys = 1;
	s->u.set.key_mask_bits = (uint32_t)bits;
	s->u.set.count = (uint32_t)n;
	s->u.set.bytes = v.neg;	/* negated: "not over" */
}

void lower_connection_bytes(struct lctx *L, const struct mprop *p)
{
	struct nval v = nval_of(p);
	const char *dash = memchr(v.s, '-', v.len);
	uint64_t lo = 0, hi = 0;
	struct ir_stmt *s;

	value_parse_uint(v.s, dash ? (size_t)(dash - v.s) : v.len, UINT64_MAX, &lo);
	if (dash)
		value_parse_uint(dash + 1, v.len - (size_t)(dash + 1 - v.s), UINT64_MAX, &hi);
	/* An upper bound of 0 means no upper bound. */
	if (!hi) {
		s = match_add(L, K_CT_BYTES, v.neg ? OP_LT : OP_GE);
		s->u.m.v = ir_data_host(lo, 8);
		return;
	}
	s = match_add(L, K_CT_BYTES, v.neg ? OP_NRANGE : OP_RANGE);
	s->u.m.v = ir_data_host(lo, 8);
	s->u.m.hi = ir_data_host(hi, 8);
}

void lower_nth(struct lctx *L, const struct mprop *p)
{
	struct nval v = nval_of(p);
	const char *comma = memchr(v.s, ',', v.len);
	uint64_t every = 1, packet = 1;
	struct ir_stmt *s;

	const char *comma2 = comma ? memchr(comma + 1, ',', v.len - (size_t)(comma + 1 - v.s)) : NULL;

	value_parse_uint(v.s, comma ? (size_t)(comma - v.s) : v.len, UINT32_MAX, &every);
	if (comma2) {
		/* 2.9: every,counter,packet matches every (every+1)th packet;
		 * numgen keeps one counter per rule, so the counter number
		 * has no equivalent and is not needed. */
		every++;
		value_parse_uint(comma2 + 1, v.len - (size_t)(comma2 + 1 - v.s), UINT32_MAX, &packet);
		packet++;
	} else if (comma) {
		value_parse_uint(comma + 1, v.len - (size_t)(comma + 1 - v.s), UINT32_MAX, &packet);
	}
	s = match_add(L, K_NUMGEN_INC, v.neg ? OP_NE : OP_EQ);
	s->u.m.mod = (uint32_t)(every ? every : 1);
	s->u.m.v = ir_data_host(packet ? packet - 1 : 0, 4);
}

void lower_random(struct lctx *L, const struct mprop *p)
{
	uint64_t pct = 0;
	struct ir_stmt *s;

	value_parse_uint(p->value, p->len, 100, &pct);
	s = match_add(L, K_NUMGEN_RANDOM, OP_LT);
	s->u.m.mod = 100;
	s->u.m.v = ir_data_host(pct, 4);
}

void lower_per_connection_classifier(struct lctx *L, const struct mprop *p)
{
	static const struct {
		const char *name;
		bool sa, da, sp, dp;
	} fields[] = {
		{ "both-addresses", true, true, false, false },
		{ "both-addresses-and-ports", true, true, true, true },
		{ "both-ports", false, false, true, true },
		{ "dst-address", false, true, false, false },
		{ "dst-address-and-port", false, true, false, true },
		{ "dst-port", false, false, false, true },
		{ "src-address", true, false, false, false },
		{ "src-address-and-port", true, false, true, false },
		{ "src-port", false, false, true, false },
	};
	struct nval v = nval_of(p);
	const char *colon = memchr(v.s, ':', v.len), *slash;
	uint64_t n = 1, rem = 0;
	size_t i;
	struct ir_stmt *s;

	if (!colon || !(slash = memchr(colon, '/', v.len - (size_t)(colon - v.s))))
		return;
	value_parse_uint(colon + 1, (size_t)(slash - colon - 1), UINT32_MAX, &n);
	value_parse_uint(slash + 1, v.len - (size_t)(slash + 1 - v.s), UINT32_MAX, &rem);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (text_eq(v.s, (size_t)(colon - v.s), fields[i].name))
			break;
	if (i == sizeof(fields) / sizeof(fields[0]))
		return;
	if ((fields[i].sp || fields[i].dp) && rule_protocol(L) < 0) {
		lower_refuse(L, &p->loc, "per-connection-classifier by port without protocol=",
			     "the ports need a transport protocol");
		return;
	}
	s = match_add(L, K_JHASH, v.neg ? OP_NE : OP_EQ);
	if (fields[i].sa)
		s->u.m.hkeys[s->u.m.nhkeys++] = L->v6 ? K_IP6_SADDR : K_IP_SADDR;
	if (fields[i].da)
		s->u.m.hkeys[s->u.m.nhkeys++] = L->v6 ? K_IP6_DADDR : K_IP_DADDR;
	if (fields[i].sp)
		s->u.m.hkeys[s->u.m.nhkeys++] = K_TH_SPORT;
	if (fields[i].dp)
		s->u.m.hkeys[s->u.m.nhkeys++] = K_TH_DPORT;
	s->u.m.mod = (uint32_t)(n ? n : 1);
	s->u.m.v = ir_data_host(rem, 4);
}

/* time=8h-17h,mon,tue: seconds of the day and days of the week. */
void lower_time(struct lctx *L, const struct mprop *p)
{
	static const char *const days[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
	const char *s = p->value, *end = p->value + p->len;
	const char *comma = memchr(s, ',', p->len);
	size_t rl = comma ? (size_t)(comma - s) : p->len;
	const char *dash = memchr(s, '-', rl);
	uint64_t a = 0, b = 86400000;
	struct ir_elem elems[7];
	size_t n = 0, i;

	if (dash) {
		value_parse_time(s, (size_t)(dash - s), &a);
		value_parse_time(dash + 1, rl - (size_t)(dash + 1 - s), &b);
	}
	a /= 1000;
	b /= 1000;
	if (b > 86400)
		b = 86400;
	if (!(a == 0 && b >= 86400)) {
		if (a <= b) {
			struct ir_stmt *st = match_add(L, K_META_HOUR, OP_RANGE);

			st->u.m.v = ir_data_host(a, 4);
			st->u.m.hi = ir_data_host(b ? b - 1 : 0, 4);
		} else {
			/* Past midnight: in either part of the day. */
			struct ir_match alts[2] = {
				{ .key = K_META_HOUR, .op = OP_RANGE },
				{ .key = K_META_HOUR, .op = OP_RANGE },
			};

			alts[0].v = ir_data_host(a, 4);
			alts[0].hi = ir_data_host(86399, 4);
			alts[1].v = ir_data_host(0, 4);
			alts[1].hi = ir_data_host(b ? b - 1 : 0, 4);
			lower_or(L, alts, 2, p);
		}
	}
	for (s = comma ? comma + 1 : end; s < end;) {
		const char *e = memchr(s, ',', (size_t)(end - s));
		size_t l = e ? (size_t)(e - s) : (size_t)(end - s);

		for (i = 0; i < 7; i++) {
			if (text_eq(s, l, days[i]) && n < 7) {
				memset(&elems[n], 0, sizeof(elems[n]));
				elems[n++].lo = ir_data_host(i, 1);
			}
		}
		s = e ? e + 1 : end;
	}
	if (n && n < 7) {
		struct ir_stmt *st = match_add(L, K_META_DAY, n == 1 ? OP_EQ : OP_IN);

		if (n == 1)
			st->u.m.v = elems[0].lo;
		st->u.m.elems = ir_elems_copy(L->ir, elems, n);
		st->u.m.nelems = n;
	}
}

void lower_src_mac_address(struct lctx *L, const struct mprop *p)
{
	struct nval v = nval_of(p);
	struct ir_stmt *s = match_add(L, K_ETHER_SADDR, v.neg ? OP_NE : OP_EQ);

	s->u.m.v.len = 6;
	value_parse_mac(v.s, v.len, s->u.m.v.b);
}

void lower_ipsec_policy(struct lctx *L, const struct mprop *p)
{
	bool in = p->len >= 2 && !memcmp(p->value, "in", 2);
	bool ipsec = p->len >= 5 && !memcmp(p->value + p->len - 5, "ipsec", 5);

	/* in: the packet came out of an IPsec tunnel (it has a secpath);
	 * out: its route goes through an xfrm policy. */
	match_add(L, in ? K_META_SECPATH : K_RT_IPSEC, ipsec ? OP_EXISTS : OP_MISSING);
}

void lower_priority(struct lctx *L, const struct mprop *p)
{
	numbers_add(L, K_META_PRIORITY, p, 63);
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
	if (pf && pf->len) {
		lower_text(prefix, sizeof(prefix), pf->value, pf->len, LOWER_LOG_PREFIX_MAX - 1);
		/* RouterOS separates prefix and message with a space. */
		strcat(prefix, " ");
		s->u.log.prefix = ir_strdup(L->ir, prefix);
	}
}

static void act_reject(struct lctx *L)
{
	static const struct {
		const char *name;
		enum ir_reject kind;
		uint8_t code;
	} v4[] = {
		{ "icmp-network-unreachable", REJ_ICMP, 0 }, { "icmp-host-unreachable", REJ_ICMP, 1 },
		{ "icmp-protocol-unreachable", REJ_ICMP, 2 }, { "icmp-port-unreachable", REJ_ICMP, 3 },
		{ "icmp-net-prohibited", REJ_ICMP, 9 },	     { "icmp-host-prohibited", REJ_ICMP, 10 },
		{ "icmp-admin-prohibited", REJ_ICMP, 13 },   { "tcp-reset", REJ_TCP_RESET, 0 },
	}, v6[] = {
		{ "icmp-no-route", REJ_ICMPV6, 0 },		{ "icmp-admin-prohibited", REJ_ICMPV6, 1 },
		{ "icmp-not-neighbour", REJ_ICMPV6, 2 },	{ "icmp-address-unreachable", REJ_ICMPV6, 3 },
		{ "icmp-port-unreachable", REJ_ICMPV6, 4 },	{ "tcp-reset", REJ_TCP_RESET, 0 },
	};
	const char *with = prop_text(L, P_REJECT_WITH);
	size_t i, n = L->v6 ? sizeof(v6) / sizeof(v6[0]) : sizeof(v4) / sizeof(v4[0]);
	struct ir_stmt *s;

	for (i = 0; with && i < n; i++) {
		if (!strcmp(with, L->v6 ? v6[i].name : v4[i].name))
			break;
	}
	if (!with || i == n) {
		lower_refuse(L, &L->it->loc, "reject-with=", "no ICMP message of that kind exists on Linux");
		return;
	}
	if ((L->v6 ? v6[i].kind : v4[i].kind) == REJ_TCP_RESET && rule_protocol(L) != 6) {
		/* A reset answers only TCP; nftables wants that said. */
		match_add(L, K_META_L4PROTO, OP_EQ)->u.m.v = ir_data_be(6, 1);
		diag_warning(L->d, &mitem_prop(L->it, P_REJECT_WITH)->loc,
			     "reject-with=tcp-reset applies to TCP only: other protocols pass this rule");
	}
	s = lower_post(L, S_REJECT);
	s->u.reject.kind = L->v6 ? v6[i].kind : v4[i].kind;
	s->u.reject.code = L->v6 ? v6[i].code : v4[i].code;
}

static void act_list_add(struct lctx *L, bool src)
{
	const char *list = prop_text(L, P_ADDRESS_LIST);
	const struct mprop *to = mitem_prop(L->it, P_ADDRESS_LIST_TIMEOUT);
	struct list_sets ls;
	struct ir_stmt *s;
	uint64_t ms = 0;

	lower_list_sets(L, list, &ls);
	s = lower_post(L, S_SET_ADD);
	s->u.set.set = ls.dyn;
	s->u.set.keys[0] = L->v6 ? (src ? K_IP6_SADDR : K_IP6_DADDR) : (src ? K_IP_SADDR : K_IP_DADDR);
	s->u.set.nkeys = 1;
	/* none-dynamic and 00:00:00 keep the entry until a reboot;
	 * none-static for good. */
	if (to && to->len == 11 && !memcmp(to->value, "none-static", 11))
		s->u.set.timeout_ms = LOWER_STATIC_TIMEOUT_MS;
	else if (to && strncmp(to->value, "none", 4) && value_parse_time(to->value, to->len, &ms))
		s->u.set.timeout_ms = ms;
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

		value_parse_addr(ta->value, ta->len, L->v6, &va);
		s->u.nat.has_addr = true;
		s->u.nat.addr_lo.len = s->u.nat.addr_hi.len = n;
		memcpy(s->u.nat.addr_lo.b, va.lo, n);
		memcpy(s->u.nat.addr_hi.b, va.hi, n);
	}
	if (tp) {
		uint64_t lo = 0, hi = 0;

		value_parse_range(tp->value, tp->len, 65535, &lo, &hi);
		s->u.nat.has_port = true;
		s->u.nat.port_lo = (uint16_t)lo;
		s->u.nat.port_hi = (uint16_t)hi;
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
	if (ta && value_parse_addr(ta->value, ta->len, L->v6, &b) && b.kind == VA_ADDR) {
		act_nat(L, src ? NAT_SNAT : NAT_DNAT);
		return;
	}

	if (!from || !ta || from->value[0] == '!' || !value_parse_addr(from->value, from->len, L->v6, &a) ||
	    !value_parse_addr(ta->value, ta->len, L->v6, &b) || a.kind == VA_RANGE || b.kind == VA_RANGE ||
	    a.plen != b.plen) {
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
	const char *pt = prop_text(L, P_PASSTHROUGH);

	/* passthrough=no ends the mangle chain for this packet. */
	if (pt && !strcmp(pt, "no"))
		verdict(L, V_ACCEPT, NULL);
}

static void act_change_ttl(struct lctx *L, enum prop_id prop, enum ir_key key)
{
	const struct mprop *p = mitem_prop(L->it, prop);
	const char *colon;
	uint64_t n = 0;
	struct ir_stmt *s;

	if (!p)
		return;
	colon = memchr(p->value, ':', p->len);
	if ((colon && strncmp(p->value, "set:", 4)) || (!colon && !value_parse_uint(p->value, p->len, 255, &n))) {
		lower_refuse(L, &p->loc, key == K_IP_TTL ? "increment or decrement of the TTL" :
			     "increment or decrement of the hop limit", "nftables can set a header field, not add to it");
		return;
	}
	if (colon)
		value_parse_uint(colon + 1, p->len - (size_t)(colon + 1 - p->value), 255, &n);
	s = lower_post(L, S_SET_FIELD);
	s->u.field.key = key;
	s->u.field.v = ir_data_be(n, 1);
}

static void act_change_mss(struct lctx *L)
{
	const struct mprop *p = mitem_prop(L->it, P_NEW_MSS);
	struct ir_stmt *s;
	uint64_t n = 0;

	if (!p)
		return;
	if (rule_protocol(L) != 6) {
		lower_refuse(L, &p->loc, "change-mss without protocol=tcp", "the MSS is a TCP option");
		return;
	}
	s = lower_post(L, S_SET_FIELD);
	s->u.field.key = K_TCPOPT_MSS;
	if (text_eq(p->value, p->len, "clamp-to-pmtu")) {
		s->u.field.from = K_RT_MTU;
	} else {
		value_parse_uint(p->value, p->len, 65535, &n);
		s->u.field.v = ir_data_be(n, 2);
	}
}

static void act_set_priority(struct lctx *L)
{
	const struct mprop *p = mitem_prop(L->it, P_NEW_PRIORITY);
	uint64_t n = 0;
	struct ir_stmt *s;

	if (!p || !value_parse_uint(p->value, p->len, 63, &n)) {
		lower_refuse(L, p ? &p->loc : &L->it->loc, "set-priority from a header field",
			     "rosfw sets only a fixed priority");
		return;
	}
	s = lower_post(L, S_SET_FIELD);
	s->u.field.key = K_META_PRIORITY;
	s->u.field.v = ir_data_host(n, 4);
}

static void act_change_dscp(struct lctx *L)
{
	const struct mprop *p = mitem_prop(L->it, P_NEW_DSCP);
	uint64_t n = 0;
	struct ir_stmt *s;

	if (!p)
		return;
	value_parse_uint(p->value, p->len, 63, &n);
	s = lower_post(L, S_SET_FIELD);
	s->u.field.key = L->v6 ? K_IP6_DSCP : K_IP_DSCP;
	s->u.field.v = ir_data_be(n, 1);
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

void lower_act_src_nat(struct lctx *L)
{
	act_nat(L, NAT_SNAT);
}

void lower_act_dst_nat(struct lctx *L)
{
	act_nat(L, NAT_DNAT);
}

void lower_act_masquerade(struct lctx *L)
{
	act_nat(L, NAT_MASQ);
}

void lower_act_redirect(struct lctx *L)
{
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
	set_mark(L, P_NEW_PACKET_MARK, "packet", K_META_MARK, 0xffff0000u);
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
	const char *a = prop_text(L, P_ACTION), *log = prop_text(L, P_LOG);
	const struct action_def *ad = a ? action_lookup_n(L->k, a, strlen(a)) : action_def(A_ACCEPT);
	const struct mprop *ap = mitem_prop(L->it, P_ACTION);
	char what[64];

	/* log=yes logs before the action, whatever it is. */
	if ((log && !strcmp(log, "yes")) || (ad && ad->id == A_LOG))
		act_log(L);
	if (ad && ad->lower) {
		ad->lower(L);
		return;
	}
	snprintf(what, sizeof(what), "action=%s", a);
	lower_refuse(L, ap ? &ap->loc : &L->it->loc, what, ad ? ad->how : "rosfw has no translation for it");
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
	      "(compiler/lower_rules.c); `make check` fails when this file and the table differ.\n\n"
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
			row_markdown(out, NULL, a[j].name, a[j].status, a[j].how);
	}
}
