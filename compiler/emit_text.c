/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IR to nft text: one script that `nft -f` loads as one transaction. It
 * replaces rosfw's own tables (create if missing, delete, define) and names
 * no other table.
 */
#include "emit_text.h"
#include "kname.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <linux/netfilter.h>
#include <stdlib.h>
#include <string.h>

#include "lower_impl.h"
#include "routes.h"
#include "xalloc.h"

static const char *const hooks[] = {
	[HOOK_PREROUTING] = "prerouting", [HOOK_INPUT] = "input", [HOOK_FORWARD] = "forward",
	[HOOK_OUTPUT] = "output", [HOOK_POSTROUTING] = "postrouting",
};

static const char *family_name(int f)
{
	return f == NFPROTO_IPV6 ? "ip6" : f == NFPROTO_BRIDGE ? "bridge" : "ip";
}

/* nft names priorities only where they are standard: dstnat belongs to
 * prerouting, srcnat to postrouting; elsewhere the number. */
static void prio_print(FILE *out, int family, enum ir_hook hook, int prio)
{
	const char *name = NULL;

	/* the bridge family's names differ (its filter is -200): numbers */
	if (family != NFPROTO_BRIDGE) {
		switch (prio) {
		case -300: name = "raw"; break;
		case -150: name = "mangle"; break;
		case -100: name = hook == HOOK_PREROUTING ? "dstnat" : NULL; break;
		case 0: name = "filter"; break;
		case 100: name = hook == HOOK_POSTROUTING ? "srcnat" : NULL; break;
		}
	}
	if (name)
		fputs(name, out);
	else
		fprintf(out, "%d", prio);
}

static void time_print(FILE *out, uint64_t ms)
{
	static const struct {
		uint64_t ms;
		char unit;
	} units[] = { { 86400000, 'd' }, { 3600000, 'h' }, { 60000, 'm' }, { 1000, 's' } };
	size_t i;

	if (!ms) {
		fputs("0s", out);
		return;
	}
	for (i = 0; i < 4; i++) {
		if (ms >= units[i].ms) {
			fprintf(out, "%" PRIu64 "%c", ms / units[i].ms, units[i].unit);
			ms %= units[i].ms;
		}
	}
	if (ms)
		fprintf(out, "%" PRIu64 "ms", ms);
}

static const char *proto_name(unsigned p)
{
	switch (p) {
	case 1: return "icmp";
	case 2: return "igmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 33: return "dccp";
	case 47: return "gre";
	case 50: return "esp";
	case 51: return "ah";
	case 58: return "icmpv6";
	case 132: return "sctp";
	case 136: return "udplite";
	}
	return NULL;
}

static int mask_plen(const struct ir_data *m)
{
	int bits = 0, i;

	for (i = 0; i < m->len; i++) {
		uint8_t b = m->b[i];

		while (b & 0x80) {
			bits++;
			b = (uint8_t)(b << 1);
		}
		if (b)
			return -1;
		if (m->b[i] != 0xff)
			break;
	}
	return bits;
}

static void addr_print(FILE *out, const struct ir_data *d)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(d->len == 16 ? AF_INET6 : AF_INET, d->b, buf, sizeof(buf));
	fputs(buf, out);
}

/* A range of addresses as a prefix when it is one. */
static void addr_range_print(FILE *out, const struct ir_data *lo, const struct ir_data *hi)
{
	int bits = lo->len * 8, i;
	struct ir_data m = { .len = lo->len };

	for (i = lo->len * 8 - 1; i >= 0; i--) {
		int byte = i / 8, bit = 7 - i % 8;
		bool l = lo->b[byte] >> bit & 1, h = hi->b[byte] >> bit & 1;

		if (l == 0 && h == 1)
			bits = i;
		else
			break;
	}
	for (i = 0; i < lo->len; i++)
		m.b[i] = (uint8_t)(bits >= (i + 1) * 8 ? 0xff : bits <= i * 8 ? 0 : 0xff << (8 - (bits - i * 8)));
	for (i = 0; i < lo->len; i++)
		if ((lo->b[i] & ~m.b[i]) || (hi->b[i] & m.b[i]) != lo->b[i])
			break;
	addr_print(out, lo);
	if (i == lo->len && bits < lo->len * 8) {
		fprintf(out, "/%d", bits);
	} else if (memcmp(lo->b, hi->b, lo->len)) {
		fputc('-', out);
		addr_print(out, hi);
	}
}

static const char *const days[] = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" };
static const char *const addr_types[] = {
	[1] = "unicast", [2] = "local", [3] = "broadcast", [4] = "anycast", [5] = "multicast",
	[6] = "blackhole", [7] = "unreachable", [8] = "prohibit",
};

static void flags_print(FILE *out, uint32_t bits, const char *const *names, const uint32_t *vals)
{
	bool first = true;
	size_t i;

	for (i = 0; names[i]; i++) {
		if (bits & vals[i]) {
			fprintf(out, "%s%s", first ? "" : " | ", names[i]);
			first = false;
			bits &= ~vals[i];
		}
	}
	/* A bit without a name here is still the rule's: never dropped. */
	if (bits || first)
		fprintf(out, "%s0x%" PRIx32, first ? "" : " | ", bits);
}

static const char *const ct_state_names[] = { "invalid", "established", "related", "new", "untracked", NULL };
static const uint32_t ct_state_vals[] = { 1, 2, 4, 8, 64 };
static const char *const ct_status_names[] = { "confirmed", "snat", "dnat", NULL };
static const uint32_t ct_status_vals[] = { 0x8, 0x10, 0x20 };
static const char *const tcp_flag_names[] = { "fin", "syn", "rst", "psh", "ack", "urg", "ecn", "cwr", NULL };
static const uint32_t tcp_flag_vals[] = { 1, 2, 4, 8, 16, 32, 64, 128 };

static void value_print(FILE *out, enum ir_key key, const struct ir_data *d)
{
	const struct ir_key_info *ki = ir_key_info(key);
	uint64_t host = ir_data_uint(d, true), be = ir_data_uint(d, false);

	switch (ki->type) {
	case T_IPV4:
	case T_IPV6:
		addr_print(out, d);
		break;
	case T_IFNAME:
		/* A name shorter than the key is a prefix, nft's "ppp*". */
		fprintf(out, d->len < 16 ? "\"%.*s*\"" : "\"%.*s\"", (int)strnlen((const char *)d->b, d->len),
			(const char *)d->b);
		break;
	case T_HELPER:
		fprintf(out, "\"%.*s\"", (int)strnlen((const char *)d->b, 16), (const char *)d->b);
		break;
	case T_CT_LABEL: {
		unsigned bit = 0;

		/* nft numbers a label by its bit in the kernel's bitmap */
		while (bit < 128 && !(d->b[bit / 8] & (1u << bit % 8)))
			bit++;
		fprintf(out, "%u", bit);
		break;
	}
	case T_PROTO:
		if (proto_name((unsigned)be))
			fputs(proto_name((unsigned)be), out);
		else
			fprintf(out, "%" PRIu64, be);
		break;
	case T_MARK:
		fprintf(out, "0x%08" PRIx64, host);
		break;
	case T_ETHERTYPE:
		fprintf(out, "0x%04" PRIx64, be);
		break;
	case T_CT_STATE:
		flags_print(out, (uint32_t)host, ct_state_names, ct_state_vals);
		break;
	case T_CT_STATUS:
		flags_print(out, (uint32_t)host, ct_status_names, ct_status_vals);
		break;
	case T_TCP_FLAGS:
		flags_print(out, (uint32_t)be, tcp_flag_names, tcp_flag_vals);
		break;
	case T_ETHER:
		fprintf(out, "%02x:%02x:%02x:%02x:%02x:%02x", d->b[0], d->b[1], d->b[2], d->b[3], d->b[4], d->b[5]);
		break;
	case T_ADDR_TYPE:
		fputs(host < sizeof(addr_types) / sizeof(addr_types[0]) && addr_types[host] ? addr_types[host] : "unicast", out);
		break;
	case T_DAY:
		fprintf(out, "\"%s\"", days[host % 7]);
		break;
	case T_HOUR:
		fprintf(out, "\"%02u:%02u:%02u\"", (unsigned)(host / 3600), (unsigned)(host / 60 % 60), (unsigned)(host % 60));
		break;
	case T_PRIORITY:
		fprintf(out, "0:%" PRIx64, host);
		break;
	case T_TYPECODE:
		fprintf(out, "0x%04" PRIx64, be);
		break;
	case T_HOST_INTEGER:
		fprintf(out, "%" PRIu64, host);
		break;
	default:
		fprintf(out, "%" PRIu64, be);
	}
}

static void elem_print(FILE *out, enum ir_key key, const struct ir_elem *e)
{
	enum ir_type t = ir_key_info(key)->type;

	if (e->range && (t == T_IPV4 || t == T_IPV6)) {
		addr_range_print(out, &e->lo, &e->hi);
	} else if (e->range && t == T_IFNAME) {
		/* lower_ifname_elem: every name that starts with lo's bytes */
		fprintf(out, "\"%.*s*\"", (int)strnlen((const char *)e->lo.b, 16), (const char *)e->lo.b);
	} else {
		value_print(out, key, &e->lo);
		if (e->range) {
			fputc('-', out);
			value_print(out, key, &e->hi);
		}
	}
	if (e->timeout_ms) {
		fputs(" timeout ", out);
		time_print(out, e->timeout_ms);
	}
}

static void elems_print(FILE *out, enum ir_key key, const struct ir_elem *e, size_t n)
{
	size_t i;

	fputs("{ ", out);
	for (i = 0; i < n; i++) {
		if (i)
			fputs(", ", out);
		elem_print(out, key, &e[i]);
	}
	fputs(" }", out);
}

static const char *op_text(enum ir_op op)
{
	switch (op) {
	case OP_NE:
	case OP_NRANGE:
	case OP_NOTIN: return "!= ";
	case OP_LT: return "< ";
	case OP_GT: return "> ";
	case OP_LE: return "<= ";
	case OP_GE: return ">= ";
	default: return "";
	}
}

static void keys_print(FILE *out, const enum ir_key *k, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? " . " : "", ir_key_info(k[i])->nft);
}

static void match_print(FILE *out, const struct ir_match *m)
{
	const struct ir_key_info *ki = ir_key_info(m->key);
	bool addr = ki->type == T_IPV4 || ki->type == T_IPV6;

	switch (m->key) {
	case K_NUMGEN_INC:
	case K_NUMGEN_RANDOM:
		fprintf(out, "%s mod %u %s", ki->nft, m->mod, m->op == OP_EQ ? "== " : op_text(m->op));
		value_print(out, m->key, &m->v);
		return;
	case K_JHASH:
		fputs("jhash ", out);
		keys_print(out, m->hkeys, m->nhkeys);
		fprintf(out, " mod %u seed 0x%x %s", m->mod, m->seed, m->op == OP_EQ ? "== " : op_text(m->op));
		value_print(out, m->key, &m->v);
		return;
	default:
		break;
	}
	if (m->set && m->nhkeys > 1) {
		keys_print(out, m->hkeys, m->nhkeys);
		fprintf(out, " %s@%s", op_text(m->op), m->set);
		return;
	}
	fputs(ki->nft, out);
	fputc(' ', out);
	switch (m->op) {
	case OP_EXISTS:
		fputs("exists", out);
		return;
	case OP_MISSING:
		fputs("missing", out);
		return;
	case OP_IN:
	case OP_NOTIN:
		if (m->masked) {
			/* meta mark & 0x0000f000 { ... }: the bridge ports' bits */
			fputs("& ", out);
			value_print(out, m->key, &m->mask);
			fputc(' ', out);
		}
		fputs(op_text(m->op), out);
		if (m->set)
			fprintf(out, "@%s", m->set);
		else
			elems_print(out, m->key, m->elems, m->nelems);
		return;
	case OP_RANGE:
	case OP_NRANGE:
		fputs(op_text(m->op), out);
		value_print(out, m->key, &m->v);
		fputc('-', out);
		value_print(out, m->key, &m->hi);
		return;
	default:
		break;
	}
	if (m->masked && addr && mask_plen(&m->mask) >= 0) {
		fputs(op_text(m->op), out);
		value_print(out, m->key, &m->v);
		fprintf(out, "/%d", mask_plen(&m->mask));
		return;
	}
	if (m->key == K_CT_LABEL) {
		/* nft's flag forms: "N" any of, "! N" none of; `&` with a
		 * label is read wrong by nft 1.0.6 (cmp eq 1). */
		fputs(m->op == OP_EQ ? "! " : "", out);
		value_print(out, m->key, &m->mask);
		return;
	}
	if (m->masked) {
		fputs("& ", out);
		if (ki->type == T_CT_STATE || ki->type == T_CT_STATUS || ki->type == T_TCP_FLAGS) {
			fputc('(', out);
			value_print(out, m->key, &m->mask);
			fputc(')', out);
		} else {
			value_print(out, m->key, &m->mask);
		}
		fprintf(out, " %s", m->op == OP_EQ ? "== " : op_text(m->op));
		value_print(out, m->key, &m->v);
		return;
	}
	fputs(op_text(m->op), out);
	value_print(out, m->key, &m->v);
}

/* nft knows rates per second, minute, hour and day only. */
static void rate_print(FILE *out, uint64_t rate, uint64_t unit_s, bool bytes)
{
	static const struct {
		uint64_t s;
		const char *name;
	} units[] = { { 1, "second" }, { 60, "minute" }, { 3600, "hour" }, { 86400, "day" } };
	size_t i;
	uint64_t r = rate;
	const char *u = "second";

	for (i = 0; i < 4; i++) {
		if ((rate * units[i].s) % unit_s == 0) {
			r = rate * units[i].s / unit_s;
			u = units[i].name;
			break;
		}
	}
	if (i == 4) {
		r = (rate * 86400 + unit_s - 1) / unit_s;
		u = "day";
	}
	fprintf(out, "%" PRIu64 "%s/%s", r, bytes ? " bytes" : "", u);
}

/* A log prefix holding '$' is written through a variable, log_var > 0. */
static void stmt_print(FILE *out, const struct ir_table *t, const struct ir_stmt *s, unsigned log_var)
{
	switch (s->kind) {
	case S_MATCH:
		match_print(out, &s->u.m);
		break;
	case S_COUNTER:
		if (s->u.obj.map)
			fprintf(out, "counter name %s map @%s", ir_key_info(s->u.obj.key)->nft, s->u.obj.map);
		else if (s->u.obj.name)
			fprintf(out, "counter name \"%s\"", s->u.obj.name);
		else
			fputs("counter", out);
		break;
	case S_VERDICT: {
		static const char *const v[] = { "accept", "drop", "jump", "goto", "return", "continue" };

		fputs(v[s->u.verdict.kind], out);
		if (s->u.verdict.chain)
			fprintf(out, " %s", s->u.verdict.chain);
		break;
	}
	case S_LOG:
		fputs("log", out);
		if (s->u.log.prefix && log_var)
			fprintf(out, " prefix \"$rosfw_log_prefix_%u\"", log_var);
		else if (s->u.log.prefix)
			fprintf(out, " prefix \"%s\"", s->u.log.prefix);
		fputs(" level info", out);
		break;
	case S_REJECT:
		if (s->u.reject.kind == REJ_TCP_RESET)
			fputs("reject with tcp reset", out);
		else
			fprintf(out, "reject with %s type %u", s->u.reject.kind == REJ_ICMP ? "icmp" : "icmpv6",
				s->u.reject.code);
		break;
	case S_LIMIT:
		fprintf(out, "limit rate %s", s->u.limit.over ? "over " : "");
		rate_print(out, s->u.limit.rate, s->u.limit.unit_s, s->u.limit.bytes);
		if (s->u.limit.burst)
			fprintf(out, " burst %u %s", s->u.limit.burst, s->u.limit.bytes ? "bytes" : "packets");
		break;
	case S_SET_ADD:
		fprintf(out, "add @%s { ", s->u.set.set);
		keys_print(out, s->u.set.keys, s->u.set.nkeys);
		if (s->u.set.timeout_ms) {
			fputs(" timeout ", out);
			time_print(out, s->u.set.timeout_ms);
		}
		fputs(" }", out);
		break;
	case S_SET_UPDATE:
		fprintf(out, "update @%s { ", s->u.set.set);
		keys_print(out, s->u.set.keys, s->u.set.nkeys);
		if (s->u.set.rate) {
			fprintf(out, " limit rate %s", s->u.set.count ? "over " : "");
			rate_print(out, s->u.set.rate, s->u.set.unit_s, s->u.set.bytes);
			if (s->u.set.burst)
				fprintf(out, " burst %u %s", s->u.set.burst, s->u.set.bytes ? "bytes" : "packets");
		}
		fputs(" }", out);
		break;
	case S_CT_COUNT: {
		const struct ir_key_info *ki = ir_key_info(s->u.set.keys[0]);

		fprintf(out, "add @%s { %s", s->u.set.set, ki->nft);
		if (s->u.set.key_mask_bits < (uint32_t)ki->len * 8) {
			struct ir_data m = { .len = ki->len };
			int i, bits = (int)s->u.set.key_mask_bits;

			for (i = 0; i < ki->len; i++)
				m.b[i] = (uint8_t)(bits >= (i + 1) * 8 ? 0xff : bits <= i * 8 ? 0 : 0xff << (8 - (bits - i * 8)));
			fputs(" & ", out);
			addr_print(out, &m);
		}
		fprintf(out, " ct count %s%u }", s->u.set.bytes ? "" : "over ", s->u.set.count);
		break;
	}
	case S_NAT: {
		static const char *const n[] = { "snat", "dnat", "masquerade", "redirect" };
		bool v6 = t->family == NFPROTO_IPV6;

		fputs(n[s->u.nat.kind], out);
		if (s->u.nat.prefix) {
			fprintf(out, " %s prefix to %s %s map { ", v6 ? "ip6" : "ip", v6 ? "ip6" : "ip",
				s->u.nat.kind == NAT_SNAT ? "saddr" : "daddr");
			addr_range_print(out, &s->u.nat.elems[0].lo, &s->u.nat.elems[0].hi);
			fputs(" : ", out);
			addr_range_print(out, &s->u.nat.addr_lo, &s->u.nat.addr_hi);
			fputs(" }", out);
			break;
		}
		if (s->u.nat.has_addr || s->u.nat.has_port)
			fputs(" to ", out);
		if (s->u.nat.has_addr) {
			bool brackets = v6 && s->u.nat.has_port;

			/* nft wants each IPv6 address of a range in its own
			 * brackets when a port follows: [a]-[b]:p */
			fputs(brackets ? "[" : "", out);
			addr_print(out, &s->u.nat.addr_lo);
			fputs(brackets ? "]" : "", out);
			if (memcmp(s->u.nat.addr_lo.b, s->u.nat.addr_hi.b, s->u.nat.addr_lo.len)) {
				fputs(brackets ? "-[" : "-", out);
				addr_print(out, &s->u.nat.addr_hi);
				fputs(brackets ? "]" : "", out);
			}
		}
		if (s->u.nat.has_port) {
			fprintf(out, ":%u", s->u.nat.port_lo);
			if (s->u.nat.port_hi != s->u.nat.port_lo)
				fprintf(out, "-%u", s->u.nat.port_hi);
		}
		if (s->u.nat.random)
			fputs(" random", out);
		if (s->u.nat.persistent)
			fputs(" persistent", out);
		break;
	}
	case S_SET_FIELD: {
		const struct ir_key_info *ki = ir_key_info(s->u.field.key);

		fprintf(out, "%s set ", ki->nft);
		if (s->u.field.from) {
			fputs(ir_key_info(s->u.field.from)->nft, out);
		} else if (s->u.field.masked) {
			fprintf(out, "%s & ", ki->nft);
			value_print(out, s->u.field.key, &s->u.field.mask);
			fputs(" | ", out);
			value_print(out, s->u.field.key, &s->u.field.v);
		} else {
			value_print(out, s->u.field.key, &s->u.field.v);
		}
		break;
	}
	case S_NOTRACK:
		fputs("notrack", out);
		break;
	case S_FLOW_ADD:
		fprintf(out, "flow add @%s", s->u.obj.name);
		break;
	case S_CT_HELPER_SET:
		fprintf(out, "ct helper set \"%s\"", s->u.obj.name);
		break;
	case S_QUEUE:
		fprintf(out, "queue num %u%s", s->u.queue.num, s->u.queue.bypass ? " bypass" : "");
		break;
	}
}

void emit_text_stmt(FILE *out, const struct ir_table *t, const struct ir_stmt *s)
{
	stmt_print(out, t, s, 0);
}

static void set_type_print(FILE *out, enum ir_key key)
{
	switch (ir_key_info(key)->type) {
	case T_IPV4: fputs("ipv4_addr", out); break;
	case T_IPV6: fputs("ipv6_addr", out); break;
	case T_IFNAME: fputs("ifname", out); break;
	case T_PORT: fputs("inet_service", out); break;
	default: fputs("integer", out); break;
	}
}

static void set_print(FILE *out, const struct ir_set *s)
{
	char comment[LOWER_COMMENT_MAX + 1];
	size_t i;

	fprintf(out, "\t%s %s {\n\t\t%s ", s->flags & SETF_OBJMAP ? "map" : "set", s->name,
		s->key == K_CT_ID ? "typeof" : "type");
	if (s->key == K_CT_ID) {
		/* nft has no type name for it */
		fputs(ir_key_info(s->key)->nft, out);
	} else if (s->nkeys > 1) {
		for (i = 0; i < s->nkeys; i++) {
			if (i)
				fputs(" . ", out);
			set_type_print(out, s->keys[i]);
		}
	} else {
		set_type_print(out, s->key);
	}
	if (s->flags & SETF_OBJMAP)
		fputs(" : counter", out);
	fputc('\n', out);
	if (s->flags & ~SETF_OBJMAP) {
		const char *sep = "";

		fputs("\t\tflags ", out);
		if (s->flags & SETF_CONSTANT) {
			fputs("constant", out);
			sep = ",";
		}
		if (s->flags & SETF_DYNAMIC) {
			fprintf(out, "%sdynamic", sep);
			sep = ",";
		}
		if (s->flags & SETF_INTERVAL) {
			fprintf(out, "%sinterval", sep);
			sep = ",";
		}
		if (s->flags & SETF_TIMEOUT)
			fprintf(out, "%stimeout", sep);
		fputc('\n', out);
	}
	if (s->timeout_ms) {
		fputs("\t\ttimeout ", out);
		time_print(out, s->timeout_ms);
		fputc('\n', out);
	}
	if (s->size)
		fprintf(out, "\t\tsize %u\n", s->size);
	if (s->comment) {
		lower_text(comment, sizeof(comment), s->comment, strlen(s->comment), LOWER_COMMENT_MAX);
		fprintf(out, "\t\tcomment \"%s\"\n", comment);
	}
	if (s->n) {
		fputs("\t\telements = { ", out);
		for (i = 0; i < s->n; i++) {
			if (i)
				fputs(i % 4 ? ", " : ",\n\t\t\t     ", out);
			elem_print(out, s->key, &s->elems[i]);
			if (s->elems[i].obj)
				fprintf(out, " : \"%s\"", s->elems[i].obj);
		}
		fputs(" }\n", out);
	}
	fputs("\t}\n", out);
}

/*
 * nft reads "$name" inside a log prefix as a variable, wherever the '$' is
 * (1.0.x; 1.1 keeps "$5" literal), and has no escape for it: a prefix
 * holding '$' goes into a variable of its own, defined just before its
 * rule, whose value nft copies as it is. Both back ends then give the
 * kernel the same text. Returns the variable's number, 0 for none.
 */
static unsigned log_var_define(FILE *out, const struct ir_rule *r, unsigned *nvars)
{
	size_t j;

	for (j = 0; j < r->n; j++) {
		const struct ir_stmt *s = &r->stmts[j];

		if (s->kind == S_LOG && s->u.log.prefix && strchr(s->u.log.prefix, '$')) {
			fprintf(out, "\t\tdefine rosfw_log_prefix_%u = \"%s\"\n", ++*nvars, s->u.log.prefix);
			return *nvars;
		}
	}
	return 0;
}

static void chain_print(FILE *out, const struct ir_table *t, const struct ir_chain *c, unsigned *nvars)
{
	static const char *const types[] = { "filter", "nat", "route" };
	size_t i, j;

	fprintf(out, "\tchain %s {\n", c->name);
	if (c->hook != HOOK_NONE) {
		fprintf(out, "\t\ttype %s hook %s priority ", types[c->type], hooks[c->hook]);
		prio_print(out, t->family, c->hook, c->prio);
		fputs("; policy accept;\n", out);
	}
	for (i = 0; i < c->n; i++) {
		const struct ir_rule *r = c->rules[i];
		unsigned var = log_var_define(out, r, nvars);

		fputs("\t\t", out);
		for (j = 0; j < r->n; j++) {
			if (j)
				fputc(' ', out);
			stmt_print(out, t, &r->stmts[j], var);
		}
		if (r->comment)
			fprintf(out, " comment \"%s\"", r->comment);
		fputc('\n', out);
	}
	fputs("\t}\n", out);
}

static void helper_print(FILE *out, int family, const struct ir_helper *h)
{
	fprintf(out, "\tct helper %s {\n\t\ttype \"%s\" protocol %s\n\t\tl3proto %s\n\t}\n", h->name, h->type,
		proto_name(h->l4proto), family_name(family));
}

static void flowtable_print(FILE *out, const struct ir_flowtable *ft)
{
	size_t i;

	fprintf(out, "\tflowtable %s {\n\t\thook ingress priority ", ft->name);
	prio_print(out, NFPROTO_INET, HOOK_NONE, ft->prio);
	fputc('\n', out);
	if (ft->ndevs) {
		fputs("\t\tdevices = { ", out);
		for (i = 0; i < ft->ndevs; i++)
			fprintf(out, "%s\"%s\"", i ? ", " : "", ft->devs[i]);
		fputs(" }\n", out);
	}
	if (ft->offload)
		fputs("\t\tflags offload\n", out);
	if (ft->counter)
		fputs("\t\tcounter\n", out);
	fputs("\t}\n", out);
}

/* Text in a `#` comment, through the escaping every string of the script
 * takes, whole: a file name may hold a newline, after which the rest of
 * the name would be nft commands (`flush ruleset`). */
static void comment_print(FILE *out, const char *s)
{
	size_t n = strlen(s);
	char *t = xmalloc(n + 1);

	lower_text(t, n + 1, s, n, n);
	fputs(t, out);
	free(t);
}

void emit_text(const struct ir *ir, FILE *out, const char *source)
{
	int f;
	size_t i;
	unsigned nvars = 0;

	fputs("#!/usr/sbin/nft -f\n# rosfw: compiled from ", out);
	comment_print(out, source);
	fputs("; replaces only rosfw's own tables\n", out);
	if (ir->nmarks) {
		fputs("# mark names and their numbers:\n", out);
		for (i = 0; i < ir->nmarks; i++) {
			fprintf(out, "#   %s-mark ", ir->marks[i].kind);
			comment_print(out, ir->marks[i].name);
			fprintf(out, " = 0x%08x\n", ir->marks[i].value);
		}
	}
	if (ir->nsysctls) {
		fputs("# connection tracking settings, which rosfw apply writes to the namespace's sysctls:\n", out);
		for (i = 0; i < ir->nsysctls; i++)
			fprintf(out, "#   net.netfilter.%s = %llu (%s)\n", ir->sysctls[i].name,
				(unsigned long long)ir->sysctls[i].value, ir->sysctls[i].ros);
	}
	if (ir->ninspects) {
		static const char *const kinds[] = { "tls-host", "layer7-protocol", "content" };

		fputs("# connection label bits rosfw-inspect sets (rosfw apply tells it; bit 127: decided):\n", out);
		for (i = 0; i < ir->ninspects; i++) {
			fprintf(out, "#   ct label %u: %s=", ir->inspects[i].bit, kinds[ir->inspects[i].kind]);
			if (ir->inspects[i].name) {
				comment_print(out, ir->inspects[i].name);
				fputs(" regexp=", out);
			}
			comment_print(out, ir->inspects[i].value);
			fputc('\n', out);
		}
	}
	/* The bridge table only where rules match bridge ports: any other
	 * configuration compiles as it did before there was one. */
	for (f = 0; f < 3; f++) {
		const struct ir_table *t = f < 2 ? ir->tables[f] : ir->bridge;
		const char *fam = family_name(f == 2 ? NFPROTO_BRIDGE : f ? NFPROTO_IPV6 : NFPROTO_IPV4);

		if (f == 2 && !t)
			break;

		/* Create-then-delete empties rosfw's table whether or not it
		 * existed, in the same transaction as the new one. */
		fprintf(out, "table %s " KNAME_TABLE "\ndelete table %s " KNAME_TABLE "\n", fam, fam);
		if (!t)
			continue;
		fprintf(out, "table %s " KNAME_TABLE " {\n", fam);
		for (i = 0; i < t->nhelpers; i++)
			helper_print(out, t->family, &t->helpers[i]);
		for (i = 0; i < t->ncounters; i++)
			fprintf(out, "\tcounter %s {\n\t}\n", t->counters[i]);
		if (t->flowtable)
			flowtable_print(out, t->flowtable);
		for (i = 0; i < t->nsets; i++)
			set_print(out, t->sets[i]);
		for (i = 0; i < t->nchains; i++)
			chain_print(out, t, t->chains[i], &nvars);
		fputs("}\n", out);
	}
	routes_print(ir->routing, out);
}
