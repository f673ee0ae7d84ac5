/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A rule's statements as the expressions nft 1.0.6 generates for them
 * (its netlink_linearize): loads of each key (payload, meta, ct, rt,
 * exthdr, fib), sub-byte header fields masked and their values shifted,
 * host-order values turned big endian before ordered compares and in
 * interval sets, lists as anonymous sets, registers allocated as nft
 * does; then counters, verdicts, log, reject, limits, dynamic sets, NAT
 * and header writes with their checksum fixes.
 */
#include "emit_nl_impl.h"

#include <arpa/inet.h>
#include <libnftnl/expr.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* ---- what nft knows about each key -------------------------------------- */

/* nft's protocol header ids, as its set "typeof" user data records them. */
enum { PD_ICMP = 4, PD_UDP = 6, PD_TCP = 8, PD_TH = 11, PD_IP = 12, PD_IP6 = 13, PD_ICMPV6 = 14, PD_ETHER = 17 };

/**
 * struct keydef - how nft loads one IR key, beyond where it is (ir.c).
 * @key:   meta, ct or rt key; exthdr option type; fib flags.
 * @l4:    transport protocol the field belongs to: nft puts `meta l4proto
 *         P` in front of it unless the rule already said so.
 * @ll:    an Ethernet field: nft puts `meta iiftype ether` in front of it.
 * @host:  compared in host byte order (meta, ct, numgen values).
 * @str:   a string (interface and helper names).
 * @flags: bit flags: a bare value means "any of these bits" to nft.
 * @dtype: nft datatype of the key (anonymous set key type).
 * @desc, @field: nft's header and field ids, for typeof user data.
 */
struct keydef {
	uint32_t key;
	uint8_t l4;
	bool ll, host, str, flags;
	uint8_t dtype;
	uint8_t desc, field;
};

#define PL(dt, d, f) { .dtype = (dt), .desc = (d), .field = (f) }

static const struct keydef keydefs[K__COUNT] = {
	[K_META_L4PROTO] = { .key = NFT_META_L4PROTO, .dtype = DT_INET_PROTOCOL },
	[K_META_IIFNAME] = { .key = NFT_META_IIFNAME, .str = true, .host = true, .dtype = DT_IFNAME },
	[K_META_OIFNAME] = { .key = NFT_META_OIFNAME, .str = true, .host = true, .dtype = DT_IFNAME },
	[K_META_MARK] = { .key = NFT_META_MARK, .host = true, .dtype = DT_MARK },
	[K_META_LENGTH] = { .key = NFT_META_LEN, .host = true, .dtype = DT_INTEGER },
	[K_META_PRIORITY] = { .key = NFT_META_PRIORITY, .host = true, .dtype = DT_CLASSID },
	[K_META_SECPATH] = { .key = NFT_META_SECPATH, .dtype = DT_BOOLEAN },
	[K_META_HOUR] = { .key = NFT_META_TIME_HOUR, .host = true, .dtype = DT_TIME_HOUR },
	[K_META_DAY] = { .key = NFT_META_TIME_DAY, .host = true, .dtype = DT_TIME_DAY },
	[K_RT_IPSEC] = { .key = NFT_RT_XFRM, .dtype = DT_BOOLEAN },
	[K_RT_MTU] = { .key = NFT_RT_TCPMSS, .host = true, .dtype = DT_INTEGER },
	[K_CT_STATE] = { .key = NFT_CT_STATE, .host = true, .flags = true, .dtype = DT_CT_STATE },
	[K_CT_STATUS] = { .key = NFT_CT_STATUS, .host = true, .flags = true, .dtype = DT_CT_STATUS },
	[K_CT_MARK] = { .key = NFT_CT_MARK, .host = true, .dtype = DT_MARK },
	[K_CT_ID] = { .key = NFT_CT_ID, .dtype = DT_INTEGER },
	[K_CT_HELPER] = { .key = NFT_CT_HELPER, .str = true, .host = true, .dtype = DT_STRING },
	[K_CT_BYTES] = { .key = NFT_CT_BYTES, .host = true, .dtype = DT_INTEGER },
	[K_CT_LABEL] = { .key = NFT_CT_LABELS, .host = true, .flags = true, .dtype = DT_CT_LABEL },
	[K_IP_SADDR] = PL(DT_IPADDR, PD_IP, 11),
	[K_IP_DADDR] = PL(DT_IPADDR, PD_IP, 12),
	[K_IP_TTL] = PL(DT_INTEGER, PD_IP, 8),
	[K_IP_DSCP] = PL(DT_DSCP, PD_IP, 3),
	[K_IP_TOS] = { .dtype = DT_INTEGER },
	[K_IP_FRAG_OFF] = PL(DT_INTEGER, PD_IP, 7),
	[K_IP_HDRLENGTH] = PL(DT_INTEGER, PD_IP, 2),
	[K_IPOPT_LSRR] = { .key = 131, .dtype = DT_BOOLEAN },
	[K_IPOPT_SSRR] = { .key = 137, .dtype = DT_BOOLEAN },
	[K_IPOPT_RR] = { .key = 7, .dtype = DT_BOOLEAN },
	[K_IPOPT_RA] = { .key = 148, .dtype = DT_BOOLEAN },
	[K_IP6_SADDR] = PL(DT_IP6ADDR, PD_IP6, 8),
	[K_IP6_DADDR] = PL(DT_IP6ADDR, PD_IP6, 9),
	[K_IP6_HOPLIMIT] = PL(DT_INTEGER, PD_IP6, 7),
	[K_IP6_DSCP] = PL(DT_DSCP, PD_IP6, 2),
	[K_IP6_TCLASS] = { .dtype = DT_INTEGER },
	[K_TH_SPORT] = PL(DT_INET_SERVICE, PD_TH, 1),
	[K_TH_DPORT] = PL(DT_INET_SERVICE, PD_TH, 2),
	[K_TCP_SPORT] = PL(DT_INET_SERVICE, PD_TCP, 1),
	[K_TCP_DPORT] = PL(DT_INET_SERVICE, PD_TCP, 2),
	[K_UDP_SPORT] = PL(DT_INET_SERVICE, PD_UDP, 1),
	[K_UDP_DPORT] = PL(DT_INET_SERVICE, PD_UDP, 2),
	[K_TCP_FLAGS] = PL(DT_TCP_FLAG, PD_TCP, 7),
	[K_TCPOPT_MSS] = { .key = 2, .l4 = IPPROTO_TCP, .dtype = DT_INTEGER },
	[K_ICMP_TYPE] = PL(DT_ICMP_TYPE, PD_ICMP, 1),
	[K_ICMP_CODE] = PL(DT_ICMP_CODE, PD_ICMP, 2),
	[K_ICMP6_TYPE] = PL(DT_ICMP6_TYPE, PD_ICMPV6, 1),
	[K_ICMP6_CODE] = PL(DT_ICMPV6_CODE, PD_ICMPV6, 2),
	[K_ICMP_TYPECODE] = { .dtype = DT_INTEGER },
	[K_ICMP6_TYPECODE] = { .dtype = DT_INTEGER },
	[K_ETHER_SADDR] = PL(DT_ETHERADDR, PD_ETHER, 2),
	[K_FIB_SADDR_TYPE] = { .key = NFTA_FIB_F_SADDR, .host = true, .dtype = DT_FIB_ADDR },
	[K_FIB_DADDR_TYPE] = { .key = NFTA_FIB_F_DADDR, .host = true, .dtype = DT_FIB_ADDR },
	[K_NUMGEN_INC] = { .key = NFT_NG_INCREMENTAL, .host = true, .dtype = DT_INTEGER },
	[K_NUMGEN_RANDOM] = { .key = NFT_NG_RANDOM, .host = true, .dtype = DT_INTEGER },
	[K_JHASH] = { .host = true, .dtype = DT_INTEGER },
	[K_ETHER_DADDR] = PL(DT_ETHERADDR, PD_ETHER, 1),
	[K_ETHER_TYPE] = PL(DT_ETHERTYPE, PD_ETHER, 3),
	[K_VLAN_ID] = { .dtype = DT_INTEGER },
	[K_VLAN_PCP] = { .dtype = DT_INTEGER },
	[K_META_IBRNAME] = { .key = NFT_META_BRI_IIFNAME, .str = true, .host = true, .dtype = DT_IFNAME },
	[K_META_OBRNAME] = { .key = NFT_META_BRI_OIFNAME, .str = true, .host = true, .dtype = DT_IFNAME },
	[K_META_PKTTYPE] = { .key = NFT_META_PKTTYPE, .host = true, .dtype = DT_INTEGER },
	[K_VLAN_TYPE] = { .dtype = DT_ETHERTYPE },
};

static const struct keydef *kd(enum ir_key k)
{
	return &keydefs[k > K_NONE && k < K__COUNT ? k : K_NONE];
}

/* A header field, read with nft_payload. */
static bool key_payload(enum ir_key k)
{
	enum ir_src src = ir_key_info(k)->src;

	return src == SRC_NETWORK || src == SRC_TRANSPORT || src == SRC_LINK;
}

/* Its header, as nft_payload numbers them. */
static uint32_t key_base(enum ir_key k)
{
	switch (ir_key_info(k)->src) {
	case SRC_LINK:
		return NFT_PAYLOAD_LL_HEADER;
	case SRC_TRANSPORT:
		return NFT_PAYLOAD_TRANSPORT_HEADER;
	default:
		return NFT_PAYLOAD_NETWORK_HEADER;
	}
}

/* Bytes loaded for a key: a header field narrower than a byte is loaded
 * with the bytes around it (then masked, and values shifted to match). */
static unsigned key_load_len(enum ir_key k)
{
	const struct ir_key_info *ki = ir_key_info(k);

	if (key_payload(k))
		return (ki->off % 8 + ki->bits + 7) / 8;
	if (ki->src == SRC_IPOPT)
		return 1;
	return ki->len;
}

static unsigned key_shift(enum ir_key k)
{
	const struct ir_key_info *ki = ir_key_info(k);

	return ir_key_subbyte(k) ? key_load_len(k) * 8 - (ki->off % 8 + ki->bits) : 0;
}

/* ---- rules: expressions ------------------------------------------------- */

/* nft counts registers in 32-bit units from NFT_REG_1; a value takes a
 * whole 128-bit register unless it is a field of a concatenation. */
#define REG128 128

/* Append an expression to the rule, made by the current IR statement. */
static struct nftnl_expr *ex_push(struct rb *rb, struct nftnl_expr *e)
{
	if (!e)
		xdie("out of memory");
	if (rb->nex == rb->capex) {
		rb->capex = rb->capex ? rb->capex * 2 : 32;
		rb->ex = xreallocarray(rb->ex, rb->capex, sizeof(*rb->ex));
		rb->exs = xreallocarray(rb->exs, rb->capex, sizeof(*rb->exs));
	}
	rb->ex[rb->nex] = e;
	rb->exs[rb->nex++] = (int16_t)rb->cur;
	return e;
}

static struct nftnl_expr *ex_add(struct rb *rb, const char *name)
{
	return ex_push(rb, nftnl_expr_alloc(name));
}

/* nft's register numbers on the wire: 128-bit ones where the value starts
 * one, else the 32-bit names. */
static void ex_reg(struct nftnl_expr *e, uint16_t attr, uint32_t reg)
{
	if (reg != NFT_REG_VERDICT) {
		reg -= NFT_REG_1;
		reg = reg % 4 == 0 ? NFT_REG_1 + reg / 4 : reg + NFT_REG32_00;
	}
	nftnl_expr_set_u32(e, attr, reg);
}

static uint32_t reg_get(struct rb *rb, unsigned bits)
{
	uint32_t r = rb->reg_low;

	rb->reg_low += (bits + 31) / 32;
	return r;
}

static void reg_put(struct rb *rb, unsigned bits)
{
	rb->reg_low -= (bits + 31) / 32;
}

static const uint8_t zeros[16];

static void gen_payload(struct rb *rb, uint32_t dreg, uint32_t base, uint32_t off, uint32_t len)
{
	struct nftnl_expr *e = ex_add(rb, "payload");

	ex_reg(e, NFTNL_EXPR_PAYLOAD_DREG, dreg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
}

static void gen_load(struct rb *rb, enum ir_key k, uint32_t dreg)
{
	const struct keydef *d = kd(k);
	struct nftnl_expr *e;

	switch (ir_key_info(k)->src) {
	case SRC_NETWORK:
	case SRC_TRANSPORT:
	case SRC_LINK:
		gen_payload(rb, dreg, key_base(k), ir_key_info(k)->off / 8u, key_load_len(k));
		break;
	case SRC_META:
		e = ex_add(rb, "meta");
		ex_reg(e, NFTNL_EXPR_META_DREG, dreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, d->key);
		break;
	case SRC_CT:
		e = ex_add(rb, "ct");
		ex_reg(e, NFTNL_EXPR_CT_DREG, dreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, d->key);
		break;
	case SRC_RT:
		e = ex_add(rb, "rt");
		ex_reg(e, NFTNL_EXPR_RT_DREG, dreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_RT_KEY, d->key);
		break;
	case SRC_IPOPT:
	case SRC_TCPOPT:
		e = ex_add(rb, "exthdr");
		ex_reg(e, NFTNL_EXPR_EXTHDR_DREG, dreg);
		nftnl_expr_set_u8(e, NFTNL_EXPR_EXTHDR_TYPE, (uint8_t)d->key);
		if (k == K_TCPOPT_MSS) {
			/* tcp option maxseg size: 2 bytes after kind and length */
			nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OFFSET, 2);
			nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_LEN, 2);
			nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OP, NFT_EXTHDR_OP_TCPOPT);
			nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_FLAGS, 0);
		} else {
			/* ip option X exists|missing: is the option there */
			nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OFFSET, 0);
			nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_LEN, 1);
			nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OP, NFT_EXTHDR_OP_IPV4);
			nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_FLAGS, NFT_EXTHDR_F_PRESENT);
		}
		break;
	case SRC_FIB:
		e = ex_add(rb, "fib");
		ex_reg(e, NFTNL_EXPR_FIB_DREG, dreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE);
		nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_FLAGS, d->key);
		break;
	default:
		break;
	}
}

static void gen_bitwise(struct rb *rb, uint32_t reg, unsigned len, const uint8_t *mask, const uint8_t *xor)
{
	struct nftnl_expr *e = ex_add(rb, "bitwise");

	ex_reg(e, NFTNL_EXPR_BITWISE_SREG, reg);
	ex_reg(e, NFTNL_EXPR_BITWISE_DREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_OP, NFT_BITWISE_BOOL);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, xor, len);
}

/* Host order to big endian, before an ordered compare: the kernel
 * compares registers bytewise. */
static void gen_hton(struct rb *rb, uint32_t reg, unsigned len)
{
	struct nftnl_expr *e = ex_add(rb, "byteorder");

	ex_reg(e, NFTNL_EXPR_BYTEORDER_SREG, reg);
	ex_reg(e, NFTNL_EXPR_BYTEORDER_DREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_OP, NFT_BYTEORDER_HTON);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SIZE, len * 8 % 64 == 0 ? 8 : len * 8 % 32 == 0 ? 4 : 2);
}

static void gen_cmp(struct rb *rb, uint32_t reg, uint32_t op, const uint8_t *data, unsigned len)
{
	struct nftnl_expr *e = ex_add(rb, "cmp");

	ex_reg(e, NFTNL_EXPR_CMP_SREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
}

static void gen_imm(struct rb *rb, uint32_t reg, const uint8_t *data, unsigned len)
{
	struct nftnl_expr *e = ex_add(rb, "immediate");

	ex_reg(e, NFTNL_EXPR_IMM_DREG, reg);
	nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, data, len);
}

/* The bits of a sub-byte field within the bytes loaded for it. */
static struct ir_data field_mask(enum ir_key k)
{
	return ir_data_be(((1ull << ir_key_info(k)->bits) - 1) << key_shift(k), (uint8_t)key_load_len(k));
}

/* An IR value as nft compares it after loading key k: moved to the
 * field's place for a sub-byte field, big endian when `be`. */
static struct ir_data val_conv(enum ir_key k, const struct ir_data *v, bool be)
{
	enum ir_type t = ir_key_info(k)->type;

	/* emit_text writes an address type it has no name for as unicast
	 * and a day as its number modulo 7; the kernel must get the same. */
	if (t == T_ADDR_TYPE || t == T_DAY) {
		uint64_t x = ir_data_uint(v, true);

		if (t == T_DAY)
			x %= 7;
		else if (x < 2 || x > 8)
			x = 1;
		return ir_data_host(x, v->len);
	}
	if (ir_key_subbyte(k))
		return ir_data_be(ir_data_uint(v, false) << key_shift(k), (uint8_t)key_load_len(k));
	if (be)
		return ir_data_be(ir_data_uint(v, true), v->len);
	return *v;
}

/* Host-order numbers are turned big endian before an ordered compare and
 * in interval sets. */
static bool needs_hton(enum ir_key k)
{
	const struct keydef *d = kd(k);

	return d->host && !d->str && ir_key_info(k)->len > 1;
}

static uint32_t cmp_op(enum ir_op op)
{
	switch (op) {
	case OP_NE: return NFT_CMP_NEQ;
	case OP_LT: return NFT_CMP_LT;
	case OP_GT: return NFT_CMP_GT;
	case OP_LE: return NFT_CMP_LTE;
	case OP_GE: return NFT_CMP_GTE;
	default: return NFT_CMP_EQ;
	}
}

static bool op_ordered(enum ir_op op)
{
	return op == OP_LT || op == OP_GT || op == OP_LE || op == OP_GE;
}

static int mask_plen(const struct ir_data *m)
{
	int bits = 0, i;
	bool ended = false;

	for (i = 0; i < m->len * 8; i++) {
		bool one = m->b[i / 8] >> (7 - i % 8) & 1;

		if (one && ended)
			return -1;
		if (one)
			bits++;
		else
			ended = true;
	}
	return bits;
}

/* Key loads into consecutive registers; a lone key takes a whole one. */
static uint32_t gen_keys(struct rb *rb, const enum ir_key *keys, size_t n, unsigned *bits)
{
	uint32_t reg, u;
	size_t i;

	if (n == 1) {
		*bits = REG128;
		reg = reg_get(rb, *bits);
		gen_load(rb, keys[0], reg);
		return reg;
	}
	*bits = 0;
	for (i = 0; i < n; i++)
		*bits += (ir_key_info(keys[i])->len + 3u) / 4 * 32;
	reg = u = reg_get(rb, *bits);
	for (i = 0; i < n; i++) {
		gen_load(rb, keys[i], u);
		u += (ir_key_info(keys[i])->len + 3u) / 4;
	}
	return reg;
}

static uint32_t set_id_of(const struct rb *rb, const char *name)
{
	size_t i;

	for (i = 0; i < rb->t->nsets; i++)
		if (!strcmp(rb->t->sets[i]->name, name))
			return rb->set_id0 + (uint32_t)i;
	return 0;
}

/* An anonymous set from a match's list; its messages go before the rule's.
 * Returns its set id. */
static uint32_t anon_set_send(struct rb *rb, const struct ir_match *m, bool *interval)
{
	const struct keydef *d = kd(m->key);
	enum ir_src src = ir_key_info(m->key)->src;
	bool sub = ir_key_subbyte(m->key), conv;
	struct setdef sd = { .name = "__set%d" };
	struct xrange *r;
	size_t i;

	*interval = false;
	for (i = 0; i < m->nelems; i++)
		*interval |= m->elems[i].range;
	conv = *interval && needs_hton(m->key);
	sd.flags = NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | (*interval ? NFT_SET_INTERVAL : 0);
	sd.key_type = d->dtype;
	sd.key_len = sub ? key_load_len(m->key) : ir_key_info(m->key)->len;
	sd.udata = emit_nl_udata_new();
	nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_KEYBYTEORDER,
			    d->str || (d->host && !conv) ? BO_HOST : BO_BIG);
	if (*interval)
		nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_MERGE_ELEMENTS, 1);
	if (!sub && (key_payload(m->key) || src == SRC_META || src == SRC_IPOPT || src == SRC_TCPOPT)) {
		struct nftnl_udata *n1, *n2;

		/* what the set holds, as nft's "typeof" would say it */
		n1 = nftnl_udata_nest_start(sd.udata, NFTNL_UDATA_SET_KEY_TYPEOF);
		if (key_payload(m->key)) {
			nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_TYPEOF_EXPR, EX_PAYLOAD);
			n2 = nftnl_udata_nest_start(sd.udata, NFTNL_UDATA_SET_TYPEOF_DATA);
			nftnl_udata_put_u32(sd.udata, 0, d->desc);	/* header */
			nftnl_udata_put_u32(sd.udata, 1, d->field);	/* field */
		} else if (src == SRC_META) {
			nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_TYPEOF_EXPR, EX_META);
			n2 = nftnl_udata_nest_start(sd.udata, NFTNL_UDATA_SET_TYPEOF_DATA);
			nftnl_udata_put_u32(sd.udata, 0, d->key);
		} else {
			/* tcp option maxseg size: field 2 of option 2 */
			nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_TYPEOF_EXPR, EX_EXTHDR);
			n2 = nftnl_udata_nest_start(sd.udata, NFTNL_UDATA_SET_TYPEOF_DATA);
			nftnl_udata_put_u32(sd.udata, 1, 2);
			nftnl_udata_put_u32(sd.udata, 2, NFT_EXTHDR_OP_TCPOPT);
			nftnl_udata_put_u32(sd.udata, 0, d->key);
		}
		nftnl_udata_nest_end(sd.udata, n2);
		nftnl_udata_nest_end(sd.udata, n1);
	}
	r = xcalloc(m->nelems ? m->nelems : 1, sizeof(*r));
	for (i = 0; i < m->nelems; i++) {
		r[i].lo = val_conv(m->key, &m->elems[i].lo, conv);
		r[i].hi = m->elems[i].range ? val_conv(m->key, &m->elems[i].hi, conv) : r[i].lo;
	}
	sd.id = rb->b->set_id++;
	emit_nl_set_anon(rb->b, rb->family, &sd, rb->r, r, m->nelems);
	free(r);
	nftnl_udata_buf_free(sd.udata);
	return sd.id;
}

/* `reg` in set `name` (or not, when `inv`). */
static void lookup_add(struct rb *rb, uint32_t reg, const char *name, uint32_t id, bool inv)
{
	struct nftnl_expr *e = ex_add(rb, "lookup");

	ex_reg(e, NFTNL_EXPR_LOOKUP_SREG, reg);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, name);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, id);
	if (inv)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
}

static void gen_lookup(struct rb *rb, const struct ir_match *m)
{
	const char *name = m->set ? m->set : "__set%d";
	bool interval = false;
	uint32_t id, reg;

	if (m->set) {
		const struct ir_set *s = ir_set_find(rb->t, m->set);

		id = set_id_of(rb, m->set);
		interval = s && (s->flags & SETF_INTERVAL);
	} else {
		id = anon_set_send(rb, m, &interval);
	}
	if (m->set && m->nhkeys > 1) {
		unsigned bits;

		reg = gen_keys(rb, m->hkeys, m->nhkeys, &bits);
		lookup_add(rb, reg, name, id, m->op == OP_NOTIN);
		reg_put(rb, bits);
		return;
	}
	reg = reg_get(rb, REG128);
	gen_load(rb, m->key, reg);
	if (ir_key_subbyte(m->key)) {
		struct ir_data fm = field_mask(m->key);

		gen_bitwise(rb, reg, fm.len, fm.b, zeros);
	} else if (m->masked) {
		gen_bitwise(rb, reg, m->mask.len, m->mask.b, zeros);
	}
	if (interval && needs_hton(m->key))
		gen_hton(rb, reg, ir_key_info(m->key)->len);
	lookup_add(rb, reg, name, id, m->op == OP_NOTIN);
	reg_put(rb, REG128);
}

/* numgen and jhash: a number computed per packet, then compared. */
static void gen_computed(struct rb *rb, const struct ir_match *m)
{
	uint32_t reg = reg_get(rb, REG128);
	struct nftnl_expr *e;
	struct ir_data v = m->v;

	if (m->key == K_JHASH) {
		unsigned bits;
		uint32_t sreg = gen_keys(rb, m->hkeys, m->nhkeys, &bits);

		reg_put(rb, bits);
		e = ex_add(rb, "hash");
		ex_reg(e, NFTNL_EXPR_HASH_SREG, sreg);
		ex_reg(e, NFTNL_EXPR_HASH_DREG, reg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_HASH_LEN,
				   m->nhkeys == 1 ? ir_key_info(m->hkeys[0])->len : bits / 8);
		nftnl_expr_set_u32(e, NFTNL_EXPR_HASH_MODULUS, m->mod);
		nftnl_expr_set_u32(e, NFTNL_EXPR_HASH_SEED, m->seed);
		nftnl_expr_set_u32(e, NFTNL_EXPR_HASH_OFFSET, 0);
		nftnl_expr_set_u32(e, NFTNL_EXPR_HASH_TYPE, NFT_HASH_JENKINS);
	} else {
		e = ex_add(rb, "numgen");
		ex_reg(e, NFTNL_EXPR_NG_DREG, reg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NG_TYPE, kd(m->key)->key);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NG_MODULUS, m->mod);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NG_OFFSET, 0);
	}
	if (op_ordered(m->op)) {
		gen_hton(rb, reg, 4);
		v = ir_data_be(ir_data_uint(&m->v, true), 4);
	}
	gen_cmp(rb, reg, cmp_op(m->op), v.b, v.len);
	reg_put(rb, REG128);
}

static void gen_match(struct rb *rb, const struct ir_match *m)
{
	const struct keydef *d = kd(m->key);
	unsigned len = ir_key_info(m->key)->len;
	enum ir_type type = ir_key_info(m->key)->type;
	bool sub = ir_key_subbyte(m->key);
	struct ir_data v, hi, fm;
	uint32_t reg;
	int plen;

	if (m->key == K_JHASH || m->key == K_NUMGEN_INC || m->key == K_NUMGEN_RANDOM) {
		gen_computed(rb, m);
		return;
	}
	if (m->op == OP_IN || m->op == OP_NOTIN) {
		gen_lookup(rb, m);
		return;
	}
	reg = reg_get(rb, REG128);
	switch (m->op) {
	case OP_EXISTS:
	case OP_MISSING: {
		uint8_t present = m->op == OP_EXISTS;

		gen_load(rb, m->key, reg);
		gen_cmp(rb, reg, NFT_CMP_EQ, &present, 1);
		break;
	}
	case OP_RANGE:
	case OP_NRANGE: {
		bool conv = needs_hton(m->key);

		v = val_conv(m->key, &m->v, conv);
		hi = val_conv(m->key, &m->hi, conv);
		gen_load(rb, m->key, reg);
		if (sub) {
			fm = field_mask(m->key);
			gen_bitwise(rb, reg, fm.len, fm.b, zeros);
		}
		if (conv)
			gen_hton(rb, reg, len);
		if (m->op == OP_RANGE) {
			gen_cmp(rb, reg, NFT_CMP_GTE, v.b, v.len);
			gen_cmp(rb, reg, NFT_CMP_LTE, hi.b, hi.len);
		} else {
			struct nftnl_expr *e = ex_add(rb, "range");

			ex_reg(e, NFTNL_EXPR_RANGE_SREG, reg);
			nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_OP, NFT_RANGE_NEQ);
			nftnl_expr_set(e, NFTNL_EXPR_RANGE_FROM_DATA, v.b, v.len);
			nftnl_expr_set(e, NFTNL_EXPR_RANGE_TO_DATA, hi.b, hi.len);
		}
		break;
	}
	default:
		if (m->masked && (type == T_IPV4 || type == T_IPV6) && (plen = mask_plen(&m->mask)) >= 0) {
			/* A prefix on a byte boundary loads only its bytes. */
			if (plen && plen % 8 == 0) {
				gen_payload(rb, reg, key_base(m->key), ir_key_info(m->key)->off / 8u, (uint32_t)plen / 8);
				gen_cmp(rb, reg, cmp_op(m->op), m->v.b, (unsigned)plen / 8);
			} else {
				gen_load(rb, m->key, reg);
				gen_bitwise(rb, reg, len, m->mask.b, zeros);
				gen_cmp(rb, reg, cmp_op(m->op), m->v.b, len);
			}
		} else if (m->masked) {
			gen_load(rb, m->key, reg);
			gen_bitwise(rb, reg, len, m->mask.b, zeros);
			gen_cmp(rb, reg, cmp_op(m->op), m->v.b, len);
		} else if (d->flags && m->op == OP_EQ) {
			/* A bare flag value means "any of these bits". */
			gen_load(rb, m->key, reg);
			gen_bitwise(rb, reg, len, m->v.b, zeros);
			gen_cmp(rb, reg, NFT_CMP_NEQ, zeros, len);
		} else {
			bool conv = op_ordered(m->op) && needs_hton(m->key);

			v = val_conv(m->key, &m->v, conv);
			gen_load(rb, m->key, reg);
			if (sub) {
				fm = field_mask(m->key);
				gen_bitwise(rb, reg, fm.len, fm.b, zeros);
			}
			if (conv)
				gen_hton(rb, reg, len);
			gen_cmp(rb, reg, cmp_op(m->op), v.b, v.len);
		}
		break;
	}
	reg_put(rb, REG128);
}

/* ---- rules: statements -------------------------------------------------- */

/* The rate in the units emit_text names (second, minute, hour, day). */
static void limit_units(uint64_t rate, uint64_t unit_s, uint64_t *r, uint64_t *u)
{
	static const uint64_t units[] = { 1, 60, 3600, 86400 };
	size_t i;

	for (i = 0; i < 4; i++) {
		if ((rate * units[i]) % unit_s == 0) {
			*r = rate * units[i] / unit_s;
			*u = units[i];
			return;
		}
	}
	*r = (rate * 86400 + unit_s - 1) / unit_s;
	*u = 86400;
}

static struct nftnl_expr *limit_new(uint64_t rate, uint64_t unit_s, uint32_t burst, bool bytes, bool over)
{
	struct nftnl_expr *e = nftnl_expr_alloc("limit");
	uint64_t r, u;

	if (!e)
		xdie("out of memory");
	limit_units(rate, unit_s ? unit_s : 1, &r, &u);
	nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_RATE, r);
	nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_UNIT, u);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_TYPE, bytes ? NFT_LIMIT_PKT_BYTES : NFT_LIMIT_PKTS);
	/* Without a burst nft takes 5 packets (and none for bytes). */
	if (burst || !bytes)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_BURST, burst ? burst : 5);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_FLAGS, over ? NFT_LIMIT_F_INV : 0);
	return e;
}

static void gen_dynset(struct rb *rb, const struct ir_stmt *s)
{
	const enum ir_key *keys = s->u.set.keys;
	struct nftnl_expr *e, *inner = NULL;
	unsigned bits;
	uint32_t reg;

	if (s->kind == S_CT_COUNT) {
		const struct ir_key_info *ki = ir_key_info(keys[0]);

		bits = REG128;
		reg = reg_get(rb, bits);
		gen_load(rb, keys[0], reg);
		if (s->u.set.key_mask_bits < (uint32_t)ki->len * 8) {
			struct ir_data m = { .len = ki->len };
			int i, n = (int)s->u.set.key_mask_bits;

			for (i = 0; i < ki->len; i++)
				m.b[i] = (uint8_t)(n >= (i + 1) * 8 ? 0xff : n <= i * 8 ? 0 : 0xff << (8 - (n - i * 8)));
			gen_bitwise(rb, reg, ki->len, m.b, zeros);
		}
		inner = nftnl_expr_alloc("connlimit");
		if (!inner)
			xdie("out of memory");
		nftnl_expr_set_u32(inner, NFTNL_EXPR_CONNLIMIT_COUNT, s->u.set.count);
		/* "ct count over N" unless negated (see lower) */
		nftnl_expr_set_u32(inner, NFTNL_EXPR_CONNLIMIT_FLAGS, s->u.set.bytes ? 0 : NFT_CONNLIMIT_F_INV);
	} else {
		reg = gen_keys(rb, keys, s->u.set.nkeys, &bits);
		if (s->kind == S_SET_UPDATE && s->u.set.rate)
			inner = limit_new(s->u.set.rate, s->u.set.unit_s, s->u.set.burst, s->u.set.bytes,
					  s->u.set.count != 0);
	}
	reg_put(rb, bits);
	e = ex_add(rb, "dynset");
	ex_reg(e, NFTNL_EXPR_DYNSET_SREG_KEY, reg);
	if (s->kind == S_SET_ADD && s->u.set.timeout_ms)
		nftnl_expr_set_u64(e, NFTNL_EXPR_DYNSET_TIMEOUT, s->u.set.timeout_ms);
	nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_OP, s->kind == S_SET_UPDATE ? NFT_DYNSET_OP_UPDATE : NFT_DYNSET_OP_ADD);
	nftnl_expr_set_str(e, NFTNL_EXPR_DYNSET_SET_NAME, s->u.set.set);
	nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_SET_ID, set_id_of(rb, s->u.set.set));
	if (inner)
		nftnl_expr_set(e, NFTNL_EXPR_DYNSET_EXPR, inner, 0);
}

/* netmap: an anonymous interval map from the matched prefix to the range
 * of new addresses, looked up in the address register. */
static void gen_nat_prefix(struct rb *rb, const struct ir_stmt *s, struct nftnl_expr *nat, uint32_t amin)
{
	bool v6 = rb->family == NFPROTO_IPV6;
	enum ir_key key = s->u.nat.kind == NAT_SNAT ? (v6 ? K_IP6_SADDR : K_IP_SADDR) : (v6 ? K_IP6_DADDR : K_IP_DADDR);
	uint8_t alen = v6 ? 16 : 4;
	struct setdef sd = { .name = "__map%d" };
	struct xrange r;
	struct nftnl_expr *e;

	sd.flags = NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_INTERVAL | NFT_SET_MAP;
	sd.key_type = sd.data_type = v6 ? DT_IP6ADDR : DT_IPADDR;
	sd.key_len = alen;
	sd.data_len = alen * 2u;
	sd.udata = emit_nl_udata_new();
	nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_KEYBYTEORDER, BO_BIG);
	nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_DATABYTEORDER, BO_BIG);
	nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_DATA_INTERVAL, 1);
	memset(&r, 0, sizeof(r));
	r.lo = s->u.nat.elems[0].lo;
	r.hi = s->u.nat.elems[0].hi;
	r.data.len = (uint8_t)sd.data_len;
	memcpy(r.data.b, s->u.nat.addr_lo.b, alen);
	memcpy(r.data.b + alen, s->u.nat.addr_hi.b, alen);
	sd.id = rb->b->set_id++;
	emit_nl_set_anon(rb->b, rb->family, &sd, rb->r, &r, 1);
	nftnl_udata_buf_free(sd.udata);

	gen_load(rb, key, amin);
	e = ex_add(rb, "lookup");
	ex_reg(e, NFTNL_EXPR_LOOKUP_SREG, amin);
	ex_reg(e, NFTNL_EXPR_LOOKUP_DREG, amin);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, sd.name);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, sd.id);
	ex_reg(nat, NFTNL_EXPR_NAT_REG_ADDR_MIN, amin);
	/* the map's data is the range: its upper half follows */
	ex_reg(nat, NFTNL_EXPR_NAT_REG_ADDR_MAX, amin + alen / 4u);
}

static void gen_nat(struct rb *rb, const struct ir_stmt *s)
{
	static const char *const names[] = { "nat", "nat", "masq", "redir" };
	bool v6 = rb->family == NFPROTO_IPV6;
	uint8_t alen = v6 ? 16 : 4;
	struct nftnl_expr *e = nftnl_expr_alloc(names[s->u.nat.kind]);
	uint32_t flags = 0, pmin = 0, pmax = 0;
	unsigned regs = 0;
	bool masq_like = s->u.nat.kind == NAT_MASQ || s->u.nat.kind == NAT_REDIRECT;

	if (!e)
		xdie("out of memory");
	if (s->u.nat.has_port)
		flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
	if (s->u.nat.random)
		flags |= NF_NAT_RANGE_PROTO_RANDOM;
	if (s->u.nat.persistent)
		flags |= NF_NAT_RANGE_PERSISTENT;
	if (s->u.nat.prefix)
		flags |= NF_NAT_RANGE_NETMAP;
	if (!masq_like) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_TYPE, s->u.nat.kind == NAT_SNAT ? NFT_NAT_SNAT : NFT_NAT_DNAT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FAMILY, (uint32_t)rb->family);
	}
	if (flags)
		nftnl_expr_set_u32(e, s->u.nat.kind == NAT_MASQ ? NFTNL_EXPR_MASQ_FLAGS :
				      s->u.nat.kind == NAT_REDIRECT ? NFTNL_EXPR_REDIR_FLAGS : NFTNL_EXPR_NAT_FLAGS,
				   flags);
	if (s->u.nat.has_addr && !masq_like) {
		uint32_t amin = reg_get(rb, REG128);

		regs++;
		if (s->u.nat.prefix) {
			gen_nat_prefix(rb, s, e, amin);
		} else if (memcmp(s->u.nat.addr_lo.b, s->u.nat.addr_hi.b, alen)) {
			uint32_t amax = reg_get(rb, REG128);

			regs++;
			gen_imm(rb, amin, s->u.nat.addr_lo.b, alen);
			gen_imm(rb, amax, s->u.nat.addr_hi.b, alen);
			ex_reg(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, amin);
			ex_reg(e, NFTNL_EXPR_NAT_REG_ADDR_MAX, amax);
		} else {
			gen_imm(rb, amin, s->u.nat.addr_lo.b, alen);
			ex_reg(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, amin);
		}
	}
	if (s->u.nat.has_port) {
		struct ir_data lo = ir_data_be(s->u.nat.port_lo, 2), hi = ir_data_be(s->u.nat.port_hi, 2);
		uint16_t amin_attr = s->u.nat.kind == NAT_MASQ ? NFTNL_EXPR_MASQ_REG_PROTO_MIN :
				     s->u.nat.kind == NAT_REDIRECT ? NFTNL_EXPR_REDIR_REG_PROTO_MIN :
				     NFTNL_EXPR_NAT_REG_PROTO_MIN;
		uint16_t amax_attr = s->u.nat.kind == NAT_MASQ ? NFTNL_EXPR_MASQ_REG_PROTO_MAX :
				     s->u.nat.kind == NAT_REDIRECT ? NFTNL_EXPR_REDIR_REG_PROTO_MAX :
				     NFTNL_EXPR_NAT_REG_PROTO_MAX;

		pmin = reg_get(rb, REG128);
		regs++;
		if (s->u.nat.port_hi != s->u.nat.port_lo) {
			pmax = reg_get(rb, REG128);
			regs++;
			gen_imm(rb, pmin, lo.b, 2);
			gen_imm(rb, pmax, hi.b, 2);
			ex_reg(e, amin_attr, pmin);
			ex_reg(e, amax_attr, pmax);
		} else {
			gen_imm(rb, pmin, lo.b, 2);
			ex_reg(e, amin_attr, pmin);
		}
	}
	while (regs--)
		reg_put(rb, REG128);
	/* The statement itself comes after the values it reads. */
	ex_push(rb, e);
}

/*
 * `KEY set VALUE` on a header field. As nft does it: a field that is not
 * whole bytes, or an odd number of bytes whose checksum must be fixed
 * (the kernel's checksum update works on 16-bit words), is written as the
 * surrounding bytes, read, masked and or-ed with the shifted value.
 */
static void gen_payload_set(struct rb *rb, enum ir_key k, const struct ir_data *v)
{
	const struct ir_key_info *d = ir_key_info(k);
	uint32_t base = key_base(k);
	bool csum = rb->family == NFPROTO_IPV4 && base == NFT_PAYLOAD_NETWORK_HEADER;
	unsigned off = d->off / 8u, size, shift, extra = 0;
	int sh;
	struct nftnl_expr *e;
	uint32_t reg = reg_get(rb, REG128);
	struct ir_data val;

	sh = (int)((d->bits + 7) / 8 * 8) - (int)(d->off % 8 + d->bits);
	while (sh < 0) {
		sh += 8;
		extra += 8;
	}
	shift = (unsigned)sh;
	size = (d->bits + extra + 7) / 8;
	if (!ir_key_subbyte(k) && (!csum || size % 2 == 0)) {
		val = *v;
		gen_imm(rb, reg, val.b, val.len);
	} else {
		struct ir_data mask;
		uint64_t fieldmask;

		if (csum && size % 2) {
			size++;
			if (off % 2)
				off--;
			else
				shift += 8;
		}
		fieldmask = ((1ull << d->bits) - 1) << shift;
		mask = ir_data_be(~fieldmask & ((1ull << (size * 8)) - 1), (uint8_t)size);
		val = ir_data_be(ir_data_uint(v, false) << shift, (uint8_t)size);
		gen_payload(rb, reg, base, off, size);
		gen_bitwise(rb, reg, size, mask.b, val.b);
	}
	e = ex_add(rb, "payload");
	ex_reg(e, NFTNL_EXPR_PAYLOAD_SREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, ir_key_subbyte(k) || csum ? size : val.len);
	if (csum) {
		/* the IPv4 header checksum, at byte 10 */
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_CSUM_TYPE, NFT_PAYLOAD_CSUM_INET);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_CSUM_OFFSET, 10);
		if (k == K_IP_SADDR || k == K_IP_DADDR)
			nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_FLAGS, NFT_PAYLOAD_L4CSUM_PSEUDOHDR);
	}
	reg_put(rb, REG128);
}

static void gen_set_field(struct rb *rb, const struct ir_stmt *s)
{
	enum ir_key k = s->u.field.key;
	const struct keydef *d = kd(k);
	struct nftnl_expr *e;
	uint32_t reg;

	if (key_payload(k)) {
		gen_payload_set(rb, k, &s->u.field.v);
		return;
	}
	reg = reg_get(rb, REG128);
	if (k == K_TCPOPT_MSS) {
		if (s->u.field.from) {
			/* tcp option maxseg size set rt mtu */
			gen_load(rb, s->u.field.from, reg);
			gen_hton(rb, reg, ir_key_info(s->u.field.from)->len);
		} else {
			gen_imm(rb, reg, s->u.field.v.b, s->u.field.v.len);
		}
		e = ex_add(rb, "exthdr");
		ex_reg(e, NFTNL_EXPR_EXTHDR_SREG, reg);
		nftnl_expr_set_u8(e, NFTNL_EXPR_EXTHDR_TYPE, (uint8_t)d->key);
		nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OFFSET, 2);
		nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_LEN, 2);
		nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OP, NFT_EXTHDR_OP_TCPOPT);
	} else {
		if (s->u.field.masked) {
			gen_load(rb, k, reg);
			gen_bitwise(rb, reg, s->u.field.mask.len, s->u.field.mask.b, s->u.field.v.b);
		} else {
			gen_imm(rb, reg, s->u.field.v.b, s->u.field.v.len);
		}
		e = ex_add(rb, ir_key_info(k)->src == SRC_CT ? "ct" : "meta");
		if (ir_key_info(k)->src == SRC_CT) {
			ex_reg(e, NFTNL_EXPR_CT_SREG, reg);
			nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, d->key);
		} else {
			ex_reg(e, NFTNL_EXPR_META_SREG, reg);
			nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, d->key);
		}
	}
	reg_put(rb, REG128);
}

static void gen_stmt(struct rb *rb, const struct ir_stmt *s)
{
	struct nftnl_expr *e;

	switch (s->kind) {
	case S_MATCH:
		gen_match(rb, &s->u.m);
		break;
	case S_COUNTER:
		if (s->u.obj.map) {
			uint32_t reg = reg_get(rb, REG128);

			gen_load(rb, s->u.obj.key, reg);
			e = ex_add(rb, "objref");
			ex_reg(e, NFTNL_EXPR_OBJREF_SET_SREG, reg);
			nftnl_expr_set_str(e, NFTNL_EXPR_OBJREF_SET_NAME, s->u.obj.map);
			nftnl_expr_set_u32(e, NFTNL_EXPR_OBJREF_SET_ID, set_id_of(rb, s->u.obj.map));
			reg_put(rb, REG128);
			break;
		}
		if (s->u.obj.name) {
			e = ex_add(rb, "objref");
			nftnl_expr_set_u32(e, NFTNL_EXPR_OBJREF_IMM_TYPE, NFT_OBJECT_COUNTER);
			nftnl_expr_set_str(e, NFTNL_EXPR_OBJREF_IMM_NAME, s->u.obj.name);
			break;
		}
		/* Zeros sent explicitly, as nft does. */
		e = ex_add(rb, "counter");
		nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_PACKETS, 0);
		nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_BYTES, 0);
		break;
	case S_VERDICT: {
		static const int codes[] = {
			[V_ACCEPT] = NF_ACCEPT, [V_DROP] = NF_DROP, [V_JUMP] = NFT_JUMP,
			[V_GOTO] = NFT_GOTO, [V_RETURN] = NFT_RETURN, [V_CONTINUE] = NFT_CONTINUE,
		};

		e = ex_add(rb, "immediate");
		ex_reg(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)codes[s->u.verdict.kind]);
		if (s->u.verdict.chain)
			nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, s->u.verdict.chain);
		break;
	}
	case S_LOG:
		e = ex_add(rb, "log");
		if (s->u.log.prefix)
			nftnl_expr_set_str(e, NFTNL_EXPR_LOG_PREFIX, s->u.log.prefix);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_LEVEL, (uint32_t)s->u.log.level);
		break;
	case S_REJECT:
		e = ex_add(rb, "reject");
		if (s->u.reject.kind == REJ_TCP_RESET) {
			nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE, NFT_REJECT_TCP_RST);
		} else {
			nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE, NFT_REJECT_ICMP_UNREACH);
			nftnl_expr_set_u8(e, NFTNL_EXPR_REJECT_CODE, s->u.reject.code);
		}
		break;
	case S_LIMIT:
		ex_push(rb, limit_new(s->u.limit.rate, s->u.limit.unit_s, s->u.limit.burst, s->u.limit.bytes,
				      s->u.limit.over));
		break;
	case S_SET_ADD:
	case S_SET_UPDATE:
	case S_CT_COUNT:
		gen_dynset(rb, s);
		break;
	case S_NAT:
		gen_nat(rb, s);
		break;
	case S_SET_FIELD:
		gen_set_field(rb, s);
		break;
	case S_NOTRACK:
		ex_add(rb, "notrack");
		break;
	case S_FLOW_ADD:
		e = ex_add(rb, "flow_offload");
		nftnl_expr_set_str(e, NFTNL_EXPR_FLOW_TABLE_NAME, s->u.obj.name);
		break;
	case S_CT_HELPER_SET:
		e = ex_add(rb, "objref");
		nftnl_expr_set_u32(e, NFTNL_EXPR_OBJREF_IMM_TYPE, NFT_OBJECT_CT_HELPER);
		nftnl_expr_set_str(e, NFTNL_EXPR_OBJREF_IMM_NAME, s->u.obj.name);
		break;
	case S_QUEUE:
		e = ex_add(rb, "queue");
		nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_NUM, s->u.queue.num);
		nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_TOTAL, 1);
		if (s->u.queue.bypass)
			nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_FLAGS, NFT_QUEUE_FLAG_BYPASS);
		break;
	}
}

/* ---- items of a rule ------------------------------------------------------ */

void emit_nl_item_gen(struct rb *rb, const struct item *it)
{
	uint32_t reg;

	rb->cur = it->stmt;
	if (it->stmt >= 0 && !it->merged) {
		gen_stmt(rb, &rb->r->stmts[it->stmt]);
		return;
	}
	reg = reg_get(rb, REG128);
	if (it->merged) {
		gen_payload(rb, reg, it->mbase, it->moff, it->mlen);
		gen_cmp(rb, reg, cmp_op(it->mop), it->mval.b, it->mlen);
	} else if (it->dep_l4) {
		gen_load(rb, K_META_L4PROTO, reg);
		gen_cmp(rb, reg, NFT_CMP_EQ, &it->dep_l4, 1);
	} else {
		/* meta iiftype ether: ARPHRD_ETHER in host order */
		uint16_t ether = 1;
		struct nftnl_expr *e = ex_add(rb, "meta");

		ex_reg(e, NFTNL_EXPR_META_DREG, reg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, NFT_META_IIFTYPE);
		gen_cmp(rb, reg, NFT_CMP_EQ, (const uint8_t *)&ether, 2);
	}
	reg_put(rb, REG128);
}

bool emit_nl_key_bytes(enum ir_key k, uint8_t *base, uint16_t *off, uint16_t *len)
{
	if (!key_payload(k) || ir_key_subbyte(k) || kd(k)->flags)
		return false;
	*base = (uint8_t)key_base(k);
	*off = (uint16_t)(ir_key_info(k)->off / 8);
	*len = (uint16_t)(ir_key_info(k)->bits / 8);
	return true;
}
