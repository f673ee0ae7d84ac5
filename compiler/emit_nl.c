/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IR to one nf_tables netlink batch. The kernel must end up holding exactly
 * what `nft -f` makes of emit_text's script, down to the expressions, so
 * this file does what nft 1.0.6 does on the way from that text to netlink:
 * it adds the protocol matches a header field needs (meta l4proto, meta
 * iiftype), merges adjacent payload compares, converts host-order values
 * before ordered compares, masks and shifts sub-byte header fields, turns
 * lists into anonymous sets with interval end elements, allocates
 * registers the same way, and sends tables, chains, sets and rules in the
 * same order (so even handles and anonymous set names agree).
 *
 * One message per object, each asking for an ACK; the origin of every
 * message (and the byte offset of every rule expression) is kept so a
 * kernel error names the RouterOS rule that caused it.
 */
#include "emit_nl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/batch.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/flowtable.h>
#include <libnftnl/object.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lower_impl.h"
#include "xalloc.h"

/* ---- what nft knows about each key -------------------------------------- */

enum ld_kind { LD_NONE, LD_PAYLOAD, LD_META, LD_CT, LD_RT, LD_EXTHDR, LD_FIB, LD_NUMGEN, LD_HASH };

/* nft's datatype numbers (src/datatype.h), sent as set key types. */
enum {
	DT_INTEGER = 4, DT_STRING = 5, DT_IPADDR = 7, DT_IP6ADDR = 8, DT_ETHERADDR = 9,
	DT_INET_PROTOCOL = 12, DT_INET_SERVICE = 13, DT_ICMP_TYPE = 14, DT_TCP_FLAG = 15,
	DT_MARK = 19, DT_CLASSID = 23, DT_CT_STATE = 26, DT_CT_STATUS = 28, DT_ICMP6_TYPE = 29,
	DT_ICMP_CODE = 32, DT_ICMPV6_CODE = 33, DT_DSCP = 36, DT_FIB_ADDR = 38, DT_BOOLEAN = 39,
	DT_IFNAME = 41, DT_TIME_HOUR = 44, DT_TIME_DAY = 45,
};

/* nft's expression kinds and protocol header ids, as its set "typeof"
 * user data records them. */
enum { EX_PAYLOAD = 7, EX_EXTHDR = 8, EX_META = 9, EX_CT = 12, EX_CONCAT = 13 };
enum { PD_ICMP = 4, PD_UDP = 6, PD_TCP = 8, PD_TH = 11, PD_IP = 12, PD_IP6 = 13, PD_ICMPV6 = 14, PD_ETHER = 17 };
/* nft's byte order of a set key, in the set's user data. */
enum { BO_INVALID = 0, BO_HOST = 1, BO_BIG = 2 };

/**
 * struct keydef - how nft loads one IR key.
 * @base, @off, @bits: payload header, offset and width in bits.
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
	uint8_t kind;
	uint8_t base;
	uint16_t off, bits;
	uint32_t key;
	uint8_t l4;
	bool ll, host, str, flags;
	uint8_t dtype;
	uint8_t desc, field;
};

#define PL(b, o, n, dt, d, f) { .kind = LD_PAYLOAD, .base = NFT_PAYLOAD_##b##_HEADER, .off = (o), .bits = (n), \
				.dtype = (dt), .desc = (d), .field = (f) }

static const struct keydef keydefs[K__COUNT] = {
	[K_META_L4PROTO] = { .kind = LD_META, .key = NFT_META_L4PROTO, .dtype = DT_INET_PROTOCOL },
	[K_META_IIFNAME] = { .kind = LD_META, .key = NFT_META_IIFNAME, .str = true, .host = true, .dtype = DT_IFNAME },
	[K_META_OIFNAME] = { .kind = LD_META, .key = NFT_META_OIFNAME, .str = true, .host = true, .dtype = DT_IFNAME },
	[K_META_MARK] = { .kind = LD_META, .key = NFT_META_MARK, .host = true, .dtype = DT_MARK },
	[K_META_LENGTH] = { .kind = LD_META, .key = NFT_META_LEN, .host = true, .dtype = DT_INTEGER },
	[K_META_PRIORITY] = { .kind = LD_META, .key = NFT_META_PRIORITY, .host = true, .dtype = DT_CLASSID },
	[K_META_SECPATH] = { .kind = LD_META, .key = NFT_META_SECPATH, .dtype = DT_BOOLEAN },
	[K_META_HOUR] = { .kind = LD_META, .key = NFT_META_TIME_HOUR, .host = true, .dtype = DT_TIME_HOUR },
	[K_META_DAY] = { .kind = LD_META, .key = NFT_META_TIME_DAY, .host = true, .dtype = DT_TIME_DAY },
	[K_RT_IPSEC] = { .kind = LD_RT, .key = NFT_RT_XFRM, .dtype = DT_BOOLEAN },
	[K_RT_MTU] = { .kind = LD_RT, .key = NFT_RT_TCPMSS, .host = true, .dtype = DT_INTEGER },
	[K_CT_STATE] = { .kind = LD_CT, .key = NFT_CT_STATE, .host = true, .flags = true, .dtype = DT_CT_STATE },
	[K_CT_STATUS] = { .kind = LD_CT, .key = NFT_CT_STATUS, .host = true, .flags = true, .dtype = DT_CT_STATUS },
	[K_CT_MARK] = { .kind = LD_CT, .key = NFT_CT_MARK, .host = true, .dtype = DT_MARK },
	[K_CT_HELPER] = { .kind = LD_CT, .key = NFT_CT_HELPER, .str = true, .host = true, .dtype = DT_STRING },
	[K_CT_BYTES] = { .kind = LD_CT, .key = NFT_CT_BYTES, .host = true, .dtype = DT_INTEGER },
	[K_IP_SADDR] = PL(NETWORK, 96, 32, DT_IPADDR, PD_IP, 11),
	[K_IP_DADDR] = PL(NETWORK, 128, 32, DT_IPADDR, PD_IP, 12),
	[K_IP_TTL] = PL(NETWORK, 64, 8, DT_INTEGER, PD_IP, 8),
	[K_IP_DSCP] = PL(NETWORK, 8, 6, DT_DSCP, PD_IP, 3),
	[K_IP_FRAG_OFF] = PL(NETWORK, 48, 16, DT_INTEGER, PD_IP, 7),
	[K_IP_HDRLENGTH] = PL(NETWORK, 4, 4, DT_INTEGER, PD_IP, 2),
	[K_IPOPT_LSRR] = { .kind = LD_EXTHDR, .key = 131, .dtype = DT_BOOLEAN },
	[K_IPOPT_SSRR] = { .kind = LD_EXTHDR, .key = 137, .dtype = DT_BOOLEAN },
	[K_IPOPT_RR] = { .kind = LD_EXTHDR, .key = 7, .dtype = DT_BOOLEAN },
	[K_IPOPT_RA] = { .kind = LD_EXTHDR, .key = 148, .dtype = DT_BOOLEAN },
	[K_IP6_SADDR] = PL(NETWORK, 64, 128, DT_IP6ADDR, PD_IP6, 8),
	[K_IP6_DADDR] = PL(NETWORK, 192, 128, DT_IP6ADDR, PD_IP6, 9),
	[K_IP6_HOPLIMIT] = PL(NETWORK, 56, 8, DT_INTEGER, PD_IP6, 7),
	[K_IP6_DSCP] = PL(NETWORK, 4, 6, DT_DSCP, PD_IP6, 2),
	[K_TH_SPORT] = PL(TRANSPORT, 0, 16, DT_INET_SERVICE, PD_TH, 1),
	[K_TH_DPORT] = PL(TRANSPORT, 16, 16, DT_INET_SERVICE, PD_TH, 2),
	[K_TCP_SPORT] = PL(TRANSPORT, 0, 16, DT_INET_SERVICE, PD_TCP, 1),
	[K_TCP_DPORT] = PL(TRANSPORT, 16, 16, DT_INET_SERVICE, PD_TCP, 2),
	[K_UDP_SPORT] = PL(TRANSPORT, 0, 16, DT_INET_SERVICE, PD_UDP, 1),
	[K_UDP_DPORT] = PL(TRANSPORT, 16, 16, DT_INET_SERVICE, PD_UDP, 2),
	[K_TCP_FLAGS] = PL(TRANSPORT, 104, 8, DT_TCP_FLAG, PD_TCP, 7),
	[K_TCPOPT_MSS] = { .kind = LD_EXTHDR, .key = 2, .l4 = IPPROTO_TCP, .dtype = DT_INTEGER },
	[K_ICMP_TYPE] = PL(TRANSPORT, 0, 8, DT_ICMP_TYPE, PD_ICMP, 1),
	[K_ICMP_CODE] = PL(TRANSPORT, 8, 8, DT_ICMP_CODE, PD_ICMP, 2),
	[K_ICMP6_TYPE] = PL(TRANSPORT, 0, 8, DT_ICMP6_TYPE, PD_ICMPV6, 1),
	[K_ICMP6_CODE] = PL(TRANSPORT, 8, 8, DT_ICMPV6_CODE, PD_ICMPV6, 2),
	[K_ETHER_SADDR] = PL(LL, 48, 48, DT_ETHERADDR, PD_ETHER, 2),
	[K_FIB_SADDR_TYPE] = { .kind = LD_FIB, .key = NFTA_FIB_F_SADDR, .host = true, .dtype = DT_FIB_ADDR },
	[K_FIB_DADDR_TYPE] = { .kind = LD_FIB, .key = NFTA_FIB_F_DADDR, .host = true, .dtype = DT_FIB_ADDR },
	[K_NUMGEN_INC] = { .kind = LD_NUMGEN, .key = NFT_NG_INCREMENTAL, .host = true, .dtype = DT_INTEGER },
	[K_NUMGEN_RANDOM] = { .kind = LD_NUMGEN, .key = NFT_NG_RANDOM, .host = true, .dtype = DT_INTEGER },
	[K_JHASH] = { .kind = LD_HASH, .host = true, .dtype = DT_INTEGER },
};

static const struct keydef *kd(enum ir_key k)
{
	return &keydefs[k > K_NONE && k < K__COUNT ? k : K_NONE];
}

/* The transport protocol a key's header belongs to. */
static uint8_t key_l4(enum ir_key k)
{
	switch (k) {
	case K_TCP_SPORT:
	case K_TCP_DPORT:
	case K_TCP_FLAGS:
	case K_TCPOPT_MSS:
		return IPPROTO_TCP;
	case K_UDP_SPORT:
	case K_UDP_DPORT:
		return IPPROTO_UDP;
	case K_ICMP_TYPE:
	case K_ICMP_CODE:
		return IPPROTO_ICMP;
	case K_ICMP6_TYPE:
	case K_ICMP6_CODE:
		return IPPROTO_ICMPV6;
	default:
		return 0;
	}
}

/* A header field that does not start and end on a byte boundary: nft
 * loads the bytes around it and masks, and shifts values to match. */
static bool key_subbyte(const struct keydef *d)
{
	return d->kind == LD_PAYLOAD && (d->off % 8 || d->bits % 8);
}

static unsigned key_load_len(enum ir_key k)
{
	const struct keydef *d = kd(k);

	if (d->kind == LD_PAYLOAD)
		return (d->off % 8 + d->bits + 7) / 8;
	if (d->kind == LD_EXTHDR && k != K_TCPOPT_MSS)
		return 1;
	return ir_key_info(k)->len;
}

static unsigned key_shift(enum ir_key k)
{
	const struct keydef *d = kd(k);

	return key_subbyte(d) ? key_load_len(k) * 8 - (d->off % 8 + d->bits) : 0;
}

/* ---- the batch ---------------------------------------------------------- */

enum origin_kind {
	OR_TABLE_CREATE, OR_TABLE_DELETE, OR_TABLE, OR_CHAIN, OR_SET, OR_ELEMS, OR_RULE, OR_HELPER, OR_FLOWTABLE,
	OR_COUNTER, OR_DELETE,
};

struct origin {
	uint32_t seq;
	uint8_t kind;
	int family;
	const char *name;		/* chain or set */
	const struct ir_rule *rule;
	size_t expr0, nexpr;		/* rule messages: range in the expression arrays */
};

struct emit_nl {
	struct nftnl_batch *batch;
	struct nlmsghdr *last;		/* the last message so far (pages never move) */
	uint32_t ack_seq;
	FILE *debug;			/* rules as nft --debug=netlink prints them */
	uint32_t seq0, seq;
	struct origin *orig;
	size_t norig, caporig;
	uint32_t *exoff;		/* byte offset of each rule expression in its message */
	int16_t *exstmt;		/* the IR statement it came from */
	const char **exname;
	size_t nex, capex;
	uint32_t set_id;
	const struct emit_nl_have *have;	/* the table being built over, or NULL */
	size_t kept;				/* counters it keeps */
	char what[512];
};

/* nft's user data buffers hold this much. */
#define UDATA_MAX 256

/* nft's batch pages: 32 pages, and room for one largest message over. */
#define NL_PAGE (getpagesize() * 32)
#define NL_MSG_MAX (UINT16_MAX + getpagesize())

static struct origin *origin_add(struct emit_nl *b, enum origin_kind kind, int family, const char *name)
{
	struct origin *o;

	if (b->norig == b->caporig) {
		b->caporig = b->caporig ? b->caporig * 2 : 64;
		b->orig = xreallocarray(b->orig, b->caporig, sizeof(*b->orig));
	}
	o = &b->orig[b->norig++];
	memset(o, 0, sizeof(*o));
	o->seq = b->seq;
	o->kind = (uint8_t)kind;
	o->family = family;
	o->name = name;
	return o;
}

/* Zeroes for the next (small) message: libmnl leaves attribute padding as
 * the buffer had it, and the objects' bytes are compared with nft's. A
 * page always has room for the largest message. */
static void msg_clear(struct emit_nl *b)
{
	memset(nftnl_batch_buffer(b->batch), 0, 4096);
}

/* A new message header. Only the last message asks for an ACK (see
 * ack_last): errors come back for any message, and an ACK apiece would
 * cost the kernel one answer per rule. */
static struct nlmsghdr *msg_start(struct emit_nl *b, uint16_t type, int family, uint16_t flags)
{
	b->last = nftnl_nlmsg_build_hdr(nftnl_batch_buffer(b->batch), type, (uint16_t)family, flags, b->seq);
	return b->last;
}

/* The kernel answers a batch's messages in order once it has run them
 * all: the ACK of the last one closes the answer. */
static void ack_last(struct emit_nl *b)
{
	if (b->last) {
		b->last->nlmsg_flags |= NLM_F_ACK;
		b->ack_seq = b->last->nlmsg_seq;
	}
}

static void msg_end(struct emit_nl *b)
{
	b->seq++;
	if (nftnl_batch_update(b->batch) < 0)
		xdie("out of memory");
}

static const char *family_name(int f)
{
	return f == NFPROTO_IPV6 ? "ip6" : "ip";
}

/* ---- tables and chains -------------------------------------------------- */

static void table_msg(struct emit_nl *b, int family, uint16_t type, uint16_t flags, enum origin_kind kind,
		      const struct ir *ir)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (!t)
		xdie("out of memory");
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, (uint32_t)family);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, "rosfw");
	if (type == NFT_MSG_NEWTABLE)
		nftnl_table_set_u32(t, NFTNL_TABLE_FLAGS, 0);
	if (ir && ir->table_udata && ir->table_udata_len)
		nftnl_table_set_data(t, NFTNL_TABLE_USERDATA, ir->table_udata, (uint32_t)ir->table_udata_len);
	origin_add(b, kind, family, NULL);
	nlh = msg_start(b, type, family, flags);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	msg_end(b);
}

static const uint32_t hooknum[] = {
	[HOOK_PREROUTING] = NF_INET_PRE_ROUTING, [HOOK_INPUT] = NF_INET_LOCAL_IN,
	[HOOK_FORWARD] = NF_INET_FORWARD, [HOOK_OUTPUT] = NF_INET_LOCAL_OUT,
	[HOOK_POSTROUTING] = NF_INET_POST_ROUTING,
};

static const char *const chain_types[] = { "filter", "nat", "route" };

static void chain_msg(struct emit_nl *b, int family, const struct ir_chain *c)
{
	struct nftnl_chain *ch = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	if (!ch)
		xdie("out of memory");
	nftnl_chain_set_u32(ch, NFTNL_CHAIN_FAMILY, (uint32_t)family);
	nftnl_chain_set_str(ch, NFTNL_CHAIN_TABLE, "rosfw");
	nftnl_chain_set_str(ch, NFTNL_CHAIN_NAME, c->name);
	if (c->hook != HOOK_NONE) {
		nftnl_chain_set_u32(ch, NFTNL_CHAIN_HOOKNUM, hooknum[c->hook]);
		nftnl_chain_set_s32(ch, NFTNL_CHAIN_PRIO, c->prio);
		nftnl_chain_set_str(ch, NFTNL_CHAIN_TYPE, chain_types[c->type]);
		/* RouterOS built-in chains accept what no rule stopped. */
		nftnl_chain_set_u32(ch, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	}
	origin_add(b, OR_CHAIN, family, c->name);
	nlh = msg_start(b, NFT_MSG_NEWCHAIN, family, NLM_F_CREATE);
	nftnl_chain_nlmsg_build_payload(nlh, ch);
	nftnl_chain_free(ch);
	msg_end(b);
}

/* ---- stateful objects and the flowtable ---------------------------------- */

static void helper_msg(struct emit_nl *b, int family, const struct ir_helper *h)
{
	struct nftnl_obj *o = nftnl_obj_alloc();
	struct nlmsghdr *nlh;

	if (!o)
		xdie("out of memory");
	nftnl_obj_set_u32(o, NFTNL_OBJ_FAMILY, (uint32_t)family);
	nftnl_obj_set_str(o, NFTNL_OBJ_TABLE, "rosfw");
	nftnl_obj_set_str(o, NFTNL_OBJ_NAME, h->name);
	nftnl_obj_set_u32(o, NFTNL_OBJ_TYPE, NFT_OBJECT_CT_HELPER);
	nftnl_obj_set_str(o, NFTNL_OBJ_CT_HELPER_NAME, h->type);
	nftnl_obj_set_u16(o, NFTNL_OBJ_CT_HELPER_L3PROTO, (uint16_t)family);
	nftnl_obj_set_u8(o, NFTNL_OBJ_CT_HELPER_L4PROTO, h->l4proto);
	origin_add(b, OR_HELPER, family, h->name);
	msg_clear(b);
	nlh = msg_start(b, NFT_MSG_NEWOBJ, family, NLM_F_CREATE);
	nftnl_obj_nlmsg_build_payload(nlh, o);
	nftnl_obj_free(o);
	msg_end(b);
}

/* Zeros sent explicitly, as nft does for `counter NAME { }`. */
static void counter_msg(struct emit_nl *b, int family, const char *name)
{
	struct nftnl_obj *o = nftnl_obj_alloc();
	struct nlmsghdr *nlh;

	if (!o)
		xdie("out of memory");
	nftnl_obj_set_u32(o, NFTNL_OBJ_FAMILY, (uint32_t)family);
	nftnl_obj_set_str(o, NFTNL_OBJ_TABLE, "rosfw");
	nftnl_obj_set_str(o, NFTNL_OBJ_NAME, name);
	nftnl_obj_set_u32(o, NFTNL_OBJ_TYPE, NFT_OBJECT_COUNTER);
	nftnl_obj_set_u64(o, NFTNL_OBJ_CTR_PKTS, 0);
	nftnl_obj_set_u64(o, NFTNL_OBJ_CTR_BYTES, 0);
	origin_add(b, OR_COUNTER, family, name);
	msg_clear(b);
	nlh = msg_start(b, NFT_MSG_NEWOBJ, family, NLM_F_CREATE);
	nftnl_obj_nlmsg_build_payload(nlh, o);
	nftnl_obj_free(o);
	msg_end(b);
}

static void flowtable_msg(struct emit_nl *b, int family, const struct ir_flowtable *ft, const char *table)
{
	struct nftnl_flowtable *f = nftnl_flowtable_alloc();
	struct nlmsghdr *nlh;
	const char **devs = xreallocarray(NULL, ft->ndevs + 1, sizeof(*devs));
	uint32_t flags = (ft->offload ? NFT_FLOWTABLE_HW_OFFLOAD : 0) | (ft->counter ? NFT_FLOWTABLE_COUNTER : 0);

	if (!f)
		xdie("out of memory");
	/* nft sends the devices of its list last first; so do we, for the
	 * same bytes and the same listing. */
	for (size_t i = 0; i < ft->ndevs; i++)
		devs[i] = ft->devs[ft->ndevs - 1 - i];
	devs[ft->ndevs] = NULL;
	nftnl_flowtable_set_u32(f, NFTNL_FLOWTABLE_FAMILY, (uint32_t)family);
	nftnl_flowtable_set_str(f, NFTNL_FLOWTABLE_TABLE, table);
	nftnl_flowtable_set_str(f, NFTNL_FLOWTABLE_NAME, ft->name);
	nftnl_flowtable_set_u32(f, NFTNL_FLOWTABLE_HOOKNUM, NF_NETDEV_INGRESS);
	nftnl_flowtable_set_u32(f, NFTNL_FLOWTABLE_PRIO, (uint32_t)ft->prio);
	if (ft->ndevs)
		nftnl_flowtable_set_array(f, NFTNL_FLOWTABLE_DEVICES, devs);
	if (flags)
		nftnl_flowtable_set_u32(f, NFTNL_FLOWTABLE_FLAGS, flags);
	origin_add(b, OR_FLOWTABLE, family, ft->name);
	msg_clear(b);
	nlh = msg_start(b, NFT_MSG_NEWFLOWTABLE, family, NLM_F_CREATE);
	nftnl_flowtable_nlmsg_build_payload(nlh, f);
	nftnl_flowtable_free(f);
	free(devs);
	msg_end(b);
}

/* ---- sets and their elements -------------------------------------------- */

/* Map data: a prefix NAT maps to a range of two addresses. */
struct xdata {
	uint8_t len;
	uint8_t b[32];
};

/* One element as sent: a key (or, in an interval set, the start or the end
 * of a range), map data, timeout, flags. */
struct xelem {
	struct ir_data key;
	struct xdata data;
	uint64_t timeout_ms;
	bool end, open;
	const char *comment;	/* an entry kept by a re-apply keeps its own */
};

struct xrange {
	struct ir_data lo, hi;
	struct xdata data;
	uint64_t timeout_ms;	/* on the start element, as nft puts it */
	const char *comment;	/* likewise */
};

static int data_cmp(const struct ir_data *a, const struct ir_data *b)
{
	return memcmp(a->b, b->b, a->len < b->len ? a->len : b->len);
}

/* d + 1 as a big-endian number; false when d was the largest value. */
static bool data_inc(struct ir_data *d)
{
	int i;

	for (i = d->len - 1; i >= 0; i--)
		if (++d->b[i])
			return true;
	return false;
}

static bool data_zero(const struct ir_data *d)
{
	int i;

	for (i = 0; i < d->len; i++)
		if (d->b[i])
			return false;
	return true;
}

static int xrange_cmp(const void *a, const void *b)
{
	return data_cmp(&((const struct xrange *)a)->lo, &((const struct xrange *)b)->lo);
}

/**
 * struct setdef - a set as nft declares it.
 * @udata: the user data nft stores with it (byte order, typeof, comment).
 */
struct setdef {
	const char *name;
	uint32_t flags;
	uint32_t key_type, key_len;
	uint32_t data_type, data_len;
	uint64_t timeout_ms;
	uint32_t size;
	uint32_t id;
	struct nftnl_udata_buf *udata;
};

static struct nftnl_udata_buf *udata_new(void)
{
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(UDATA_MAX);

	if (!u)
		xdie("out of memory");
	return u;
}

static void elem_put(struct nlmsghdr *nlh, const struct xelem *x, int i)
{
	struct nftnl_set_elem *e = nftnl_set_elem_alloc();
	struct nlattr *nest;

	if (!e)
		xdie("out of memory");
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, x->key.b, x->key.len);
	if (x->timeout_ms)
		nftnl_set_elem_set_u64(e, NFTNL_SET_ELEM_TIMEOUT, x->timeout_ms);
	if (x->open || x->comment) {
		struct nftnl_udata_buf *u = udata_new();

		if (x->comment)
			nftnl_udata_put_strz(u, NFTNL_UDATA_SET_ELEM_COMMENT, x->comment);
		if (x->open)
			nftnl_udata_put_u32(u, NFTNL_UDATA_SET_ELEM_FLAGS, NFTNL_SET_ELEM_F_INTERVAL_OPEN);
		nftnl_set_elem_set(e, NFTNL_SET_ELEM_USERDATA, nftnl_udata_buf_data(u), nftnl_udata_buf_len(u));
		nftnl_udata_buf_free(u);
	}
	if (x->data.len && !x->end)
		nftnl_set_elem_set(e, NFTNL_SET_ELEM_DATA, x->data.b, x->data.len);
	if (x->end)
		nftnl_set_elem_set_u32(e, NFTNL_SET_ELEM_FLAGS, NFT_SET_ELEM_INTERVAL_END);
	nest = mnl_attr_nest_start(nlh, (uint16_t)i);
	nftnl_set_elem_nlmsg_build_payload(nlh, e);
	mnl_attr_nest_end(nlh, nest);
	nftnl_set_elem_free(e);
}

/**
 * struct elsink - where a set's elements go, one at a time: into
 * NEWSETELEM messages, or (with no @b) only counted. Elements stream into
 * the batch, so a million-entry list never exists twice in memory.
 * @count: the size nft declares for an anonymous set: its elements,
 *         counting the end an open range does not send.
 */
struct elsink {
	struct emit_nl *b;
	int family;
	const struct setdef *sd;
	const struct ir_rule *rule;
	const char *oname;
	struct nlmsghdr *nlh;
	struct nlattr *list;
	int k;
	uint32_t count;
};

static void sink_close(struct elsink *k)
{
	if (!k->nlh)
		return;
	mnl_attr_nest_end(k->nlh, k->list);
	msg_end(k->b);
	k->nlh = NULL;
}

static void sink_put(struct elsink *k, const struct xelem *e)
{
	k->count += 1u + e->open;
	if (!k->b)
		return;
	for (;;) {
		uint32_t before;

		if (!k->nlh) {
			origin_add(k->b, OR_ELEMS, k->family, k->oname)->rule = k->rule;
			k->nlh = msg_start(k->b, NFT_MSG_NEWSETELEM, k->family, NLM_F_CREATE);
			mnl_attr_put_strz(k->nlh, NFTA_SET_ELEM_LIST_TABLE, "rosfw");
			mnl_attr_put_strz(k->nlh, NFTA_SET_ELEM_LIST_SET, k->sd->name);
			mnl_attr_put_u32(k->nlh, NFTA_SET_ELEM_LIST_SET_ID, htonl(k->sd->id));
			k->list = mnl_attr_nest_start(k->nlh, NFTA_SET_ELEM_LIST_ELEMENTS);
			k->k = 0;
		}
		before = k->nlh->nlmsg_len;
		elem_put(k->nlh, e, ++k->k);
		/* An attribute's length has 16 bits: the element that does
		 * not fit starts the next message. */
		if (k->nlh->nlmsg_len - (uint32_t)((char *)k->list - (char *)k->nlh) <= UINT16_MAX || k->k == 1)
			return;
		k->nlh->nlmsg_len = before;
		sink_close(k);
	}
}

/*
 * One range of a sorted interval set as nft sends it: a leading end
 * element at 0 before the first range when that starts above 0, then the
 * start and the end (one past the range); a range that reaches the largest
 * value has no end and its start is marked open.
 */
static void range_put(struct elsink *k, const struct xrange *r, bool first)
{
	struct ir_data end = r->hi;
	bool closed = data_inc(&end);
	struct xelem e;

	if (first && !data_zero(&r->lo)) {
		memset(&e, 0, sizeof(e));
		e.key.len = r->lo.len;
		e.end = true;
		sink_put(k, &e);
	}
	memset(&e, 0, sizeof(e));
	e.key = r->lo;
	e.data = r->data;
	e.open = !closed;
	e.timeout_ms = r->timeout_ms;
	e.comment = r->comment;
	sink_put(k, &e);
	if (closed) {
		memset(&e, 0, sizeof(e));
		e.key = end;
		e.end = true;
		sink_put(k, &e);
	}
}

/* Sorted (and, for anonymous sets, with overlapping and adjacent ranges
 * merged as nft's auto-merge does) in place, then sent. */
static void intervals_put(struct elsink *k, struct xrange *r, size_t n, bool merge)
{
	size_t i, o = 0;

	if (!n)
		return;
	qsort(r, n, sizeof(*r), xrange_cmp);
	if (merge) {
		for (i = 1; i < n; i++) {
			struct ir_data next = r[o].hi;

			if (!data_inc(&next) || data_cmp(&next, &r[i].lo) >= 0) {
				if (data_cmp(&r[i].hi, &r[o].hi) > 0)
					r[o].hi = r[i].hi;
			} else {
				r[++o] = r[i];
			}
		}
		n = o + 1;
	}
	for (i = 0; i < n; i++)
		range_put(k, &r[i], i == 0);
}

static void set_begin(struct emit_nl *b, int family, const struct setdef *sd, const struct ir_rule *rule,
		      const char *oname)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nlmsghdr *nlh;

	if (!s)
		xdie("out of memory");
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, (uint32_t)family);
	nftnl_set_set_str(s, NFTNL_SET_TABLE, "rosfw");
	nftnl_set_set_str(s, NFTNL_SET_NAME, sd->name);
	nftnl_set_set_u32(s, NFTNL_SET_ID, sd->id);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, sd->flags);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, sd->key_type);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, sd->key_len);
	if (sd->flags & NFT_SET_MAP) {
		nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, sd->data_type);
		nftnl_set_set_u32(s, NFTNL_SET_DATA_LEN, sd->data_len);
	}
	if (sd->timeout_ms)
		nftnl_set_set_u64(s, NFTNL_SET_TIMEOUT, sd->timeout_ms);
	if (sd->size)
		nftnl_set_set_u32(s, NFTNL_SET_DESC_SIZE, sd->size);
	nftnl_set_set_data(s, NFTNL_SET_USERDATA, nftnl_udata_buf_data(sd->udata), nftnl_udata_buf_len(sd->udata));
	origin_add(b, OR_SET, family, oname)->rule = rule;
	nlh = msg_start(b, NFT_MSG_NEWSET, family, NLM_F_CREATE);
	nftnl_set_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	msg_end(b);
}

/* An anonymous set (or map) of a rule from its ranges, or from its single
 * values when it is not an interval set: NEWSET with the size nft gives
 * it, then its elements. */
static void anon_send(struct emit_nl *b, int family, struct setdef *sd, const struct ir_rule *rule,
		      struct xrange *r, size_t n)
{
	struct elsink k = { .family = family, .sd = sd, .rule = rule };
	size_t i;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		if (pass) {
			sd->size = k.count;
			set_begin(b, family, sd, rule, NULL);
			k.b = b;
		}
		if (sd->flags & NFT_SET_INTERVAL) {
			intervals_put(&k, r, n, !(sd->flags & NFT_SET_MAP));
		} else {
			for (i = 0; i < n; i++) {
				struct xelem e = { .key = r[i].lo };

				sink_put(&k, &e);
			}
		}
	}
	sink_close(&k);
}

/* Named sets of the IR, as emit_text declares them. */
static uint32_t named_key_type(const struct ir_set *s, uint32_t *len)
{
	uint32_t t = 0;
	size_t i;

	if (s->nkeys <= 1) {
		*len = ir_key_info(s->key)->len;
		switch (ir_key_info(s->key)->type) {
		case T_IPV4: return DT_IPADDR;
		case T_IPV6: return DT_IP6ADDR;
		case T_IFNAME: return DT_IFNAME;
		case T_PORT: return DT_INET_SERVICE;
		default: return DT_INTEGER;
		}
	}
	/* A concatenation: nft packs the field types 6 bits each and pads
	 * every field to 32 bits. */
	*len = 0;
	for (i = 0; i < s->nkeys; i++) {
		struct ir_set one = { .key = s->keys[i] };
		uint32_t l;

		t = t << 6 | named_key_type(&one, &l);
		*len += (l + 3) / 4 * 4;
	}
	return t;
}

uint32_t emit_nl_set_key_type(const struct ir_set *s, uint32_t *len)
{
	return named_key_type(s, len);
}

static void named_set_send(struct emit_nl *b, int family, const struct ir_set *s, uint32_t id)
{
	struct setdef sd = { .name = s->name, .id = id, .timeout_ms = s->timeout_ms, .size = s->size };
	struct elsink k = { .b = b, .family = family, .sd = &sd, .oname = s->name };
	size_t i;

	if (s->flags & SETF_CONSTANT)
		sd.flags |= NFT_SET_CONSTANT;
	if (s->flags & SETF_INTERVAL)
		sd.flags |= NFT_SET_INTERVAL;
	if (s->flags & SETF_TIMEOUT)
		sd.flags |= NFT_SET_TIMEOUT;
	if (s->flags & SETF_DYNAMIC)
		sd.flags |= NFT_SET_EVAL;
	sd.key_type = named_key_type(s, &sd.key_len);
	sd.udata = udata_new();
	if (s->nkeys > 1) {
		struct nftnl_udata *n1, *n2;

		/* nft records a type-declared concatenation as a typeof
		 * concatenation whose parts it cannot name. */
		nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_KEYBYTEORDER, BO_INVALID);
		n1 = nftnl_udata_nest_start(sd.udata, NFTNL_UDATA_SET_KEY_TYPEOF);
		nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_TYPEOF_EXPR, EX_CONCAT);
		n2 = nftnl_udata_nest_start(sd.udata, NFTNL_UDATA_SET_TYPEOF_DATA);
		nftnl_udata_nest_end(sd.udata, n2);
		nftnl_udata_nest_end(sd.udata, n1);
	} else {
		nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_KEYBYTEORDER,
				    ir_key_info(s->key)->type == T_IFNAME ? BO_HOST : BO_BIG);
	}
	if (s->comment) {
		char comment[LOWER_COMMENT_MAX + 1];

		lower_text(comment, sizeof(comment), s->comment, strlen(s->comment), LOWER_COMMENT_MAX);
		nftnl_udata_put_strz(sd.udata, NFTNL_UDATA_SET_COMMENT, comment);
	}
	set_begin(b, family, &sd, NULL, s->name);
	nftnl_udata_buf_free(sd.udata);
	if (!(sd.flags & NFT_SET_INTERVAL)) {
		for (i = 0; i < s->n; i++) {
			struct xelem e = { .key = s->elems[i].lo, .timeout_ms = s->elems[i].timeout_ms,
					   .comment = s->elems[i].comment };

			sink_put(&k, &e);
		}
	} else {
		bool sorted = true;

		/* lower leaves interval sets sorted and merged; straight from
		 * the IR then, without a copy. */
		for (i = 1; i < s->n && sorted; i++)
			sorted = data_cmp(&s->elems[i - 1].lo, &s->elems[i].lo) < 0;
		if (sorted) {
			for (i = 0; i < s->n; i++) {
				struct xrange r = { .lo = s->elems[i].lo, .timeout_ms = s->elems[i].timeout_ms,
						    .comment = s->elems[i].comment };

				r.hi = s->elems[i].range ? s->elems[i].hi : s->elems[i].lo;
				range_put(&k, &r, i == 0);
			}
		} else {
			struct xrange *r = xcalloc(s->n, sizeof(*r));

			for (i = 0; i < s->n; i++) {
				r[i].lo = s->elems[i].lo;
				r[i].hi = s->elems[i].range ? s->elems[i].hi : s->elems[i].lo;
				r[i].timeout_ms = s->elems[i].timeout_ms;
				r[i].comment = s->elems[i].comment;
			}
			intervals_put(&k, r, s->n, false);
			free(r);
		}
	}
	sink_close(&k);
}

/* ---- rules: expressions ------------------------------------------------- */

/* nft counts registers in 32-bit units from NFT_REG_1; a value takes a
 * whole 128-bit register unless it is a field of a concatenation. */
#define REG128 128

/**
 * struct item - one statement of a rule as nft has it after evaluation.
 * @stmt:   the IR statement, or -1 for a protocol match nft adds.
 * @dep_l4: added `meta l4proto dep_l4`; @dep_ll: added `meta iiftype ether`.
 * @dead:   merged into the compare of an earlier item.
 * @merged: a payload compare widened over its neighbours: load @mlen
 *          bytes at @moff of header @mbase and compare with @mval.
 */
struct item {
	int stmt;
	uint8_t dep_l4;
	bool dep_ll, dead, merged;
	uint8_t mbase;
	uint16_t moff, mlen;
	enum ir_op mop;
	struct ir_data mval;
};

struct rb {
	struct emit_nl *b;
	int family;
	const struct ir_table *t;
	uint32_t set_id0;		/* set id of t->sets[0]; the others follow */
	const struct ir_rule *r;
	struct nftnl_expr **ex;
	int16_t *exs;
	size_t nex, capex;
	int cur;			/* IR statement being lowered */
	uint32_t reg_low;
	struct item *it;
	size_t nit, capit;
};

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

	switch (d->kind) {
	case LD_PAYLOAD:
		gen_payload(rb, dreg, d->base, d->off / 8, key_load_len(k));
		break;
	case LD_META:
		e = ex_add(rb, "meta");
		ex_reg(e, NFTNL_EXPR_META_DREG, dreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, d->key);
		break;
	case LD_CT:
		e = ex_add(rb, "ct");
		ex_reg(e, NFTNL_EXPR_CT_DREG, dreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, d->key);
		break;
	case LD_RT:
		e = ex_add(rb, "rt");
		ex_reg(e, NFTNL_EXPR_RT_DREG, dreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_RT_KEY, d->key);
		break;
	case LD_EXTHDR:
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
	case LD_FIB:
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
	const struct keydef *d = kd(k);

	return ir_data_be(((1ull << d->bits) - 1) << key_shift(k), (uint8_t)key_load_len(k));
}

/* An IR value as nft compares it after loading key k: moved to the
 * field's place for a sub-byte field, big endian when `be`. */
static struct ir_data val_conv(enum ir_key k, const struct ir_data *v, bool be)
{
	const struct keydef *d = kd(k);
	enum ir_type t = ir_key_info(k)->type;

	/* emit_text writes an address type it has no name for as unicast
	 * and a day as its number modulo 7; the kernel must get the same. */
	if (t == T_ADDR_TYPE || t == T_DAY) {
		uint64_t x = ir_data_uint(v, true);

		if (t == T_DAY)
			x %= 7;
		else if (x != 2 && x != 3 && (x < 5 || x > 8))
			x = 1;
		return ir_data_host(x, v->len);
	}
	if (key_subbyte(d))
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
	bool sub = key_subbyte(d), conv;
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
	sd.udata = udata_new();
	nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_KEYBYTEORDER,
			    d->str || (d->host && !conv) ? BO_HOST : BO_BIG);
	if (*interval)
		nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_MERGE_ELEMENTS, 1);
	if (!sub && (d->kind == LD_PAYLOAD || d->kind == LD_META || d->kind == LD_EXTHDR)) {
		struct nftnl_udata *n1, *n2;

		/* what the set holds, as nft's "typeof" would say it */
		n1 = nftnl_udata_nest_start(sd.udata, NFTNL_UDATA_SET_KEY_TYPEOF);
		if (d->kind == LD_PAYLOAD) {
			nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_TYPEOF_EXPR, EX_PAYLOAD);
			n2 = nftnl_udata_nest_start(sd.udata, NFTNL_UDATA_SET_TYPEOF_DATA);
			nftnl_udata_put_u32(sd.udata, 0, d->desc);	/* header */
			nftnl_udata_put_u32(sd.udata, 1, d->field);	/* field */
		} else if (d->kind == LD_META) {
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
	anon_send(rb->b, rb->family, &sd, rb->r, r, m->nelems);
	free(r);
	nftnl_udata_buf_free(sd.udata);
	return sd.id;
}

static void gen_lookup(struct rb *rb, const struct ir_match *m)
{
	const struct keydef *d = kd(m->key);
	const char *name = m->set ? m->set : "__set%d";
	bool interval = false;
	struct nftnl_expr *e;
	uint32_t id, reg;

	if (m->set) {
		const struct ir_set *s = ir_set_find(rb->t, m->set);

		id = set_id_of(rb, m->set);
		interval = s && (s->flags & SETF_INTERVAL);
	} else {
		id = anon_set_send(rb, m, &interval);
	}
	reg = reg_get(rb, REG128);
	gen_load(rb, m->key, reg);
	if (key_subbyte(d)) {
		struct ir_data fm = field_mask(m->key);

		gen_bitwise(rb, reg, fm.len, fm.b, zeros);
	}
	if (interval && needs_hton(m->key))
		gen_hton(rb, reg, ir_key_info(m->key)->len);
	e = ex_add(rb, "lookup");
	ex_reg(e, NFTNL_EXPR_LOOKUP_SREG, reg);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, name);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, id);
	if (m->op == OP_NOTIN)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
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
	bool sub = key_subbyte(d);
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
				gen_payload(rb, reg, d->base, d->off / 8, (uint32_t)plen / 8);
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
		if (s->kind == S_SET_UPDATE)
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
	sd.udata = udata_new();
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
	anon_send(rb->b, rb->family, &sd, rb->r, &r, 1);
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
	const struct keydef *d = kd(k);
	bool csum = rb->family == NFPROTO_IPV4 && d->base == NFT_PAYLOAD_NETWORK_HEADER;
	unsigned off = d->off / 8, size, shift, extra = 0;
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
	if (!key_subbyte(d) && (!csum || size % 2 == 0)) {
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
		gen_payload(rb, reg, d->base, off, size);
		gen_bitwise(rb, reg, size, mask.b, val.b);
	}
	e = ex_add(rb, "payload");
	ex_reg(e, NFTNL_EXPR_PAYLOAD_SREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, d->base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, key_subbyte(d) || csum ? size : val.len);
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

	if (d->kind == LD_PAYLOAD) {
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
		e = ex_add(rb, d->kind == LD_CT ? "ct" : "meta");
		if (d->kind == LD_CT) {
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
	}
}

/* ---- rules: what nft adds and merges ------------------------------------ */

static struct item *item_add(struct rb *rb, int stmt)
{
	struct item *it;

	if (rb->nit == rb->capit) {
		rb->capit = rb->capit ? rb->capit * 2 : 32;
		rb->it = xreallocarray(rb->it, rb->capit, sizeof(*rb->it));
	}
	it = &rb->it[rb->nit++];
	memset(it, 0, sizeof(*it));
	it->stmt = stmt;
	return it;
}

/* Keys a statement reads from the packet. */
static size_t stmt_keys(const struct ir_stmt *s, enum ir_key *out)
{
	size_t n = 0, i;

	switch (s->kind) {
	case S_MATCH:
		if (s->u.m.key == K_JHASH) {
			for (i = 0; i < s->u.m.nhkeys && i < 4; i++)
				out[n++] = s->u.m.hkeys[i];
		} else {
			out[n++] = s->u.m.key;
		}
		break;
	case S_SET_ADD:
	case S_SET_UPDATE:
	case S_CT_COUNT:
		for (i = 0; i < s->u.set.nkeys && i < 3; i++)
			out[n++] = s->u.set.keys[i];
		break;
	case S_SET_FIELD:
		out[n++] = s->u.field.key;
		if (s->u.field.from)
			out[n++] = s->u.field.from;
		break;
	default:
		break;
	}
	return n;
}

/* A transport or Ethernet field needs its protocol said first; nft adds
 * the match when the rule has not said it. */
static void items_build(struct rb *rb)
{
	const struct ir_rule *r = rb->r;
	uint8_t l4 = 0;
	bool ll = false;
	size_t i, j;

	rb->nit = 0;
	for (i = 0; i < r->n; i++) {
		const struct ir_stmt *s = &r->stmts[i];
		enum ir_key keys[6];
		size_t n = stmt_keys(s, keys);

		for (j = 0; j < n; j++) {
			uint8_t p = key_l4(keys[j]);

			if (p && l4 != p) {
				item_add(rb, -1)->dep_l4 = p;
				l4 = p;
			}
			if (keys[j] == K_ETHER_SADDR && !ll) {
				item_add(rb, -1)->dep_ll = true;
				ll = true;
			}
		}
		item_add(rb, (int)i);
		if (s->kind == S_MATCH && s->u.m.key == K_META_L4PROTO && s->u.m.op == OP_EQ && !s->u.m.masked)
			l4 = s->u.m.v.b[0];
	}
}

/* A compare nft may merge with its neighbours: equality (or inequality)
 * of whole bytes of a header with one value. */
static bool item_mergeable(const struct rb *rb, struct item *it)
{
	const struct ir_match *m;
	const struct keydef *d;

	if (it->stmt < 0 || rb->r->stmts[it->stmt].kind != S_MATCH)
		return false;
	m = &rb->r->stmts[it->stmt].u.m;
	d = kd(m->key);
	if ((m->op != OP_EQ && m->op != OP_NE) || m->masked || d->kind != LD_PAYLOAD || key_subbyte(d) || d->flags)
		return false;
	it->mbase = d->base;
	it->moff = d->off / 8;
	it->mlen = d->bits / 8;
	it->mop = m->op;
	it->mval = m->v;
	return true;
}

static bool item_is_match(const struct rb *rb, const struct item *it)
{
	return it->stmt < 0 || rb->r->stmts[it->stmt].kind == S_MATCH;
}

/* nft's rule that merges two adjacent payload compares: still fast in the
 * kernel when the total fits 32 bits, or when either is already wider,
 * or for link-layer fields. */
static bool items_can_merge(const struct item *a, const struct item *b)
{
	unsigned total = a->mlen + b->mlen;

	if (a->mbase != b->mbase || a->moff + a->mlen != b->moff || a->mop != b->mop || total > 16)
		return false;
	return total <= 4 || a->mbase == NFT_PAYLOAD_LL_HEADER || a->mlen > 4 || b->mlen > 4;
}

static void items_merge_run(struct rb *rb, size_t *sa, size_t n)
{
	size_t i, j, last;

	/* ordered by header and offset, stably */
	for (i = 1; i < n; i++) {
		size_t x = sa[i];

		for (j = i; j > 0; j--) {
			const struct item *p = &rb->it[sa[j - 1]], *q = &rb->it[x];

			if (p->mbase < q->mbase || (p->mbase == q->mbase && p->moff <= q->moff))
				break;
			sa[j] = sa[j - 1];
		}
		sa[j] = x;
	}
	last = sa[0];
	for (i = 1; i < n; i++) {
		struct item *a = &rb->it[last], *b = &rb->it[sa[i]];

		if (!items_can_merge(a, b)) {
			last = sa[i];
			continue;
		}
		memcpy(a->mval.b + a->mlen, b->mval.b, b->mlen);
		a->mlen = (uint16_t)(a->mlen + b->mlen);
		a->mval.len = (uint8_t)a->mlen;
		a->merged = true;
		b->dead = true;
	}
}

/*
 * nft merges payload compares across the other matches of a rule and up
 * to a statement; a single candidate before a statement is carried over
 * it, as nft 1.0.6 does. (`tcp sport != 80 tcp dport != 80` becomes one
 * 4-byte "!=": nft's merge does not mind that this changes the meaning.)
 */
static void items_merge(struct rb *rb)
{
	size_t *sa = xcalloc(rb->nit ? rb->nit : 1, sizeof(*sa)), n = 0, i;

	for (i = 0; i < rb->nit; i++) {
		if (!item_is_match(rb, &rb->it[i])) {
			if (n < 2)
				continue;
			items_merge_run(rb, sa, n);
			n = 0;
			continue;
		}
		if (item_mergeable(rb, &rb->it[i]))
			sa[n++] = i;
	}
	if (n > 1)
		items_merge_run(rb, sa, n);
	free(sa);
}

static void gen_item(struct rb *rb, const struct item *it)
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

static void rule_send(struct rb *rb, const struct ir_chain *c)
{
	struct emit_nl *b = rb->b;
	struct nlmsghdr *nlh;
	struct nlattr *list;
	struct nftnl_rule *nr;
	struct origin *o;
	size_t i;

	rb->nex = 0;
	rb->reg_low = NFT_REG_1;
	items_build(rb);
	items_merge(rb);
	for (i = 0; i < rb->nit; i++)
		if (!rb->it[i].dead)
			gen_item(rb, &rb->it[i]);

	o = origin_add(b, OR_RULE, rb->family, c->name);
	o->rule = rb->r;
	o->expr0 = b->nex;
	o->nexpr = rb->nex;
	nlh = msg_start(b, NFT_MSG_NEWRULE, rb->family, NLM_F_CREATE | NLM_F_APPEND);
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, "rosfw");
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, c->name);
	list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
	if (b->nex + rb->nex > b->capex) {
		while (b->nex + rb->nex > b->capex)
			b->capex = b->capex ? b->capex * 2 : 1024;
		b->exoff = xreallocarray(b->exoff, b->capex, sizeof(*b->exoff));
		b->exstmt = xreallocarray(b->exstmt, b->capex, sizeof(*b->exstmt));
		b->exname = xreallocarray(b->exname, b->capex, sizeof(*b->exname));
	}
	nr = nftnl_rule_alloc();
	if (!nr)
		xdie("out of memory");
	for (i = 0; i < rb->nex; i++) {
		struct nlattr *nest;

		b->exoff[b->nex] = nlh->nlmsg_len;
		b->exstmt[b->nex] = rb->exs[i];
		b->exname[b->nex++] = nftnl_expr_get_str(rb->ex[i], NFTNL_EXPR_NAME);
		nest = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
		nftnl_expr_build_payload(nlh, rb->ex[i]);
		mnl_attr_nest_end(nlh, nest);
		if (b->debug)
			nftnl_rule_add_expr(nr, rb->ex[i]);	/* the rule frees it */
		else
			nftnl_expr_free(rb->ex[i]);
	}
	mnl_attr_nest_end(nlh, list);
	nftnl_rule_set_u32(nr, NFTNL_RULE_FAMILY, (uint32_t)rb->family);
	if (rb->r->comment) {
		struct nftnl_udata_buf *u = udata_new();

		nftnl_udata_put_strz(u, NFTNL_UDATA_RULE_COMMENT, rb->r->comment);
		nftnl_rule_set_data(nr, NFTNL_RULE_USERDATA, nftnl_udata_buf_data(u), nftnl_udata_buf_len(u));
		nftnl_udata_buf_free(u);
	}
	nftnl_rule_nlmsg_build_payload(nlh, nr);
	if (b->debug) {
		/* What nft --debug=netlink prints of the rule it sends. */
		nftnl_rule_set_str(nr, NFTNL_RULE_TABLE, "rosfw");
		nftnl_rule_set_str(nr, NFTNL_RULE_CHAIN, c->name);
		nftnl_rule_fprintf(b->debug, nr, NFTNL_OUTPUT_DEFAULT, 0);
		fputc('\n', b->debug);
	}
	nftnl_rule_free(nr);
	msg_end(b);
}

/* ---- the batch ---------------------------------------------------------- */

/* Whether the table being built over has the counter `name`. */
static bool have_counter(const struct emit_nl_have *h, const char *name)
{
	size_t lo = 0, hi = h ? h->nobjs : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(h->objs[mid].name, name);

		if (!c)
			return h->objs[mid].type == NFT_OBJECT_COUNTER;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static void table_send(struct emit_nl *b, const struct ir *ir, const struct ir_table *t)
{
	struct rb rb = { .b = b, .family = t->family, .t = t };
	size_t i, j;

	table_msg(b, t->family, NFT_MSG_NEWTABLE, NLM_F_CREATE, OR_TABLE, ir);
	/* nft's order: chains, stateful objects, sets with their elements,
	 * flowtables, then rules chain by chain; handles follow it. */
	for (i = 0; i < t->nchains; i++)
		chain_msg(b, t->family, t->chains[i]);
	for (i = 0; i < t->nhelpers; i++)
		helper_msg(b, t->family, &t->helpers[i]);
	for (i = 0; i < t->ncounters; i++) {
		if (have_counter(b->have ? &b->have[t->family == NFPROTO_IPV6] : NULL, t->counters[i]))
			b->kept++;
		else
			counter_msg(b, t->family, t->counters[i]);
	}
	rb.set_id0 = b->set_id;
	b->set_id += (uint32_t)t->nsets;
	for (i = 0; i < t->nsets; i++)
		named_set_send(b, t->family, t->sets[i], rb.set_id0 + (uint32_t)i);
	if (t->flowtable)
		flowtable_msg(b, t->family, t->flowtable, "rosfw");
	for (i = 0; i < t->nchains; i++) {
		for (j = 0; j < t->chains[i]->n; j++) {
			rb.r = t->chains[i]->rules[j];
			rule_send(&rb, t->chains[i]);
		}
	}
	free(rb.ex);
	free(rb.exs);
	free(rb.it);
}

static bool ir_has_counter(const struct ir_table *t, const char **sorted, const char *name)
{
	size_t lo = 0, hi = t ? t->ncounters : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(sorted[mid], name);

		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A delete of one object of the table being built over. */
static void del_msg(struct emit_nl *b, int family, uint16_t type, const char *name, uint32_t objtype)
{
	struct nlmsghdr *nlh;

	origin_add(b, OR_DELETE, family, name);
	msg_clear(b);
	nlh = msg_start(b, type, family, 0);
	switch (type) {
	case NFT_MSG_DELRULE:
		mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, "rosfw");
		break;
	case NFT_MSG_DELFLOWTABLE:
		mnl_attr_put_strz(nlh, NFTA_FLOWTABLE_TABLE, "rosfw");
		mnl_attr_put_strz(nlh, NFTA_FLOWTABLE_NAME, name);
		break;
	case NFT_MSG_DELSET:
		mnl_attr_put_strz(nlh, NFTA_SET_TABLE, "rosfw");
		mnl_attr_put_strz(nlh, NFTA_SET_NAME, name);
		break;
	case NFT_MSG_DELCHAIN:
		mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, "rosfw");
		mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, name);
		break;
	case NFT_MSG_DELOBJ:
		mnl_attr_put_strz(nlh, NFTA_OBJ_TABLE, "rosfw");
		mnl_attr_put_strz(nlh, NFTA_OBJ_NAME, name);
		mnl_attr_put_u32(nlh, NFTA_OBJ_TYPE, htonl(objtype));
		break;
	}
	msg_end(b);
}

/*
 * Whether `t` defines chain `c` as it is. Such a chain is kept, emptied, and
 * its NEWCHAIN is a no-op update: a base chain deleted and made again
 * would be hooked twice until the commit ends, and a packet passing both
 * would meet the old and the new rules, and count twice.
 */
static bool chain_same(const struct emit_nl_chain *c, const struct ir_table *t)
{
	const struct ir_chain *n = ir_chain_find(t, c->name);

	if (!n)
		return false;
	if (n->hook == HOOK_NONE || !c->type)
		return n->hook == HOOK_NONE && !c->type;
	return hooknum[n->hook] == c->hooknum && n->prio == c->prio && !strcmp(chain_types[n->type], c->type);
}

/*
 * Empty the existing table `h` but for the counters `t` names again and
 * the chains it defines alike: its rules, then what they used (flowtable,
 * sets, other chains), then its objects. The kept counters count on
 * through the transaction: no packet between reading the old state and
 * the commit is lost.
 */
static void table_empty(struct emit_nl *b, int family, const struct emit_nl_have *h, const struct ir_table *t)
{
	const char **sorted = NULL;
	size_t i;

	if (t && t->ncounters) {
		sorted = xcalloc(t->ncounters, sizeof(*sorted));
		memcpy(sorted, t->counters, t->ncounters * sizeof(*sorted));
		qsort(sorted, t->ncounters, sizeof(*sorted), str_cmp);
	}
	del_msg(b, family, NFT_MSG_DELRULE, NULL, 0);
	for (i = 0; i < h->nflowtables; i++)
		del_msg(b, family, NFT_MSG_DELFLOWTABLE, h->flowtables[i], 0);
	for (i = 0; i < h->nsets; i++)
		del_msg(b, family, NFT_MSG_DELSET, h->sets[i], 0);
	for (i = 0; i < h->nchains; i++)
		if (!chain_same(&h->chains[i], t))
			del_msg(b, family, NFT_MSG_DELCHAIN, h->chains[i].name, 0);
	for (i = 0; i < h->nobjs; i++)
		if (h->objs[i].type != NFT_OBJECT_COUNTER || !ir_has_counter(t, sorted, h->objs[i].name))
			del_msg(b, family, NFT_MSG_DELOBJ, h->objs[i].name, h->objs[i].type);
	free(sorted);
}

struct emit_nl *emit_nl_build(const struct ir *ir, uint32_t seq, bool commit)
{
	return emit_nl_build_over(ir, NULL, seq, commit, NULL);
}

struct emit_nl *emit_nl_build_debug(const struct ir *ir, uint32_t seq, bool commit, FILE *rules)
{
	return emit_nl_build_over(ir, NULL, seq, commit, rules);
}

struct emit_nl *emit_nl_build_over(const struct ir *ir, const struct emit_nl_have have[2], uint32_t seq, bool commit,
				   FILE *rules)
{
	struct emit_nl *b;
	int f;

	if (ir && emit_nl_unsupported(ir, NULL))
		return NULL;
	b = xcalloc(1, sizeof(*b));
	b->debug = rules;
	b->have = have;
	b->batch = nftnl_batch_alloc((uint32_t)NL_PAGE, (uint32_t)NL_MSG_MAX);
	if (!b->batch)
		xdie("out of memory");
	b->seq0 = b->seq = seq;
	b->set_id = 1;
	nftnl_batch_begin(nftnl_batch_buffer(b->batch), b->seq++);
	if (nftnl_batch_update(b->batch) < 0)
		xdie("out of memory");
	for (f = 0; f < 2; f++) {
		int family = f ? NFPROTO_IPV6 : NFPROTO_IPV4;
		const struct ir_table *t = ir ? ir->tables[f] : NULL;

		if (have && have[f].table && t) {
			table_empty(b, family, &have[f], t);
		} else {
			/* Create-then-delete empties rosfw's table whether or
			 * not it existed, in the same transaction as the new
			 * one. */
			table_msg(b, family, NFT_MSG_NEWTABLE, NLM_F_CREATE, OR_TABLE_CREATE, NULL);
			table_msg(b, family, NFT_MSG_DELTABLE, 0, OR_TABLE_DELETE, NULL);
		}
		if (t)
			table_send(b, ir, t);
	}
	ack_last(b);
	/* Without the end message the kernel validates and aborts. */
	if (commit) {
		nftnl_batch_end(nftnl_batch_buffer(b->batch), b->seq++);
		if (nftnl_batch_update(b->batch) < 0)
			xdie("out of memory");
	}
	return b;
}

size_t emit_nl_kept(const struct emit_nl *b)
{
	return b->kept;
}

struct emit_nl *emit_nl_flowtable_probe(int family, const struct ir_flowtable *ft, uint32_t seq)
{
	struct emit_nl *b = xcalloc(1, sizeof(*b));
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	b->batch = nftnl_batch_alloc((uint32_t)NL_PAGE, (uint32_t)NL_MSG_MAX);
	if (!b->batch || !t)
		xdie("out of memory");
	b->seq0 = b->seq = seq;
	nftnl_batch_begin(nftnl_batch_buffer(b->batch), b->seq++);
	if (nftnl_batch_update(b->batch) < 0)
		xdie("out of memory");
	/* A table of its own: a device may sit in one flowtable per table,
	 * and rosfw's may already hold these. */
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, (uint32_t)family);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, "rosfw-probe");
	nftnl_table_set_u32(t, NFTNL_TABLE_FLAGS, 0);
	origin_add(b, OR_TABLE, family, NULL);
	nlh = msg_start(b, NFT_MSG_NEWTABLE, family, NLM_F_CREATE);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	msg_end(b);
	flowtable_msg(b, family, ft, "rosfw-probe");
	ack_last(b);
	return b;
}

void emit_nl_free(struct emit_nl *b)
{
	if (!b)
		return;
	nftnl_batch_free(b->batch);
	free(b->orig);
	free(b->exoff);
	free(b->exstmt);
	free(b->exname);
	free(b);
}

void emit_nl_fprint(struct emit_nl *b, FILE *out)
{
	size_t n = emit_nl_iovec_count(b), i;
	struct iovec *iov = xreallocarray(NULL, n ? n : 1, sizeof(*iov));

	emit_nl_iovec(b, iov, n);
	for (i = 0; i < n; i++) {
		const struct nlmsghdr *nlh = iov[i].iov_base;
		int len = (int)iov[i].iov_len;

		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
			if ((nlh->nlmsg_type & 0xff) != NFT_MSG_NEWRULE)
				mnl_nlmsg_fprintf(out, nlh, nlh->nlmsg_len, sizeof(struct nfgenmsg));
	}
	free(iov);
}

size_t emit_nl_iovec_count(struct emit_nl *b)
{
	return (size_t)nftnl_batch_iovec_len(b->batch);
}

void emit_nl_iovec(struct emit_nl *b, struct iovec *iov, size_t n)
{
	nftnl_batch_iovec(b->batch, iov, (uint32_t)n);
}

uint32_t emit_nl_begin_seq(const struct emit_nl *b)
{
	return b->seq0;
}

uint32_t emit_nl_ack_seq(const struct emit_nl *b)
{
	return b->ack_seq;
}

size_t emit_nl_messages(const struct emit_nl *b)
{
	return b->norig;
}

bool emit_nl_origin(struct emit_nl *b, uint32_t seq, uint32_t offset, struct emit_nl_origin *o)
{
	const struct origin *x;
	size_t lo = 0, hi = b->norig;

	memset(o, 0, sizeof(*o));
	o->stmt = -1;
	if (seq == b->seq0) {
		o->what = "the batch";
		return true;
	}
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (b->orig[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == b->norig || b->orig[lo].seq != seq)
		return false;
	x = &b->orig[lo];
	o->rule = x->rule;
	o->family = x->family;
	if (x->kind == OR_SET || x->kind == OR_ELEMS)
		o->set = x->name;
	else if (x->kind == OR_CHAIN || x->kind == OR_RULE)
		o->chain = x->name;
	switch (x->kind) {
	case OR_TABLE_CREATE:
		snprintf(b->what, sizeof(b->what), "creating table %s rosfw", family_name(x->family));
		break;
	case OR_TABLE_DELETE:
		snprintf(b->what, sizeof(b->what), "deleting table %s rosfw", family_name(x->family));
		break;
	case OR_TABLE:
		snprintf(b->what, sizeof(b->what), "table %s rosfw", family_name(x->family));
		break;
	case OR_CHAIN:
		snprintf(b->what, sizeof(b->what), "chain %s of table %s rosfw", x->name, family_name(x->family));
		break;
	case OR_SET:
		snprintf(b->what, sizeof(b->what), "%s%s", x->name ? "set " : "an anonymous set of this rule",
			 x->name ? x->name : "");
		break;
	case OR_ELEMS:
		snprintf(b->what, sizeof(b->what), "%s%s", x->name ? "elements of set " : "elements of an anonymous set of this rule",
			 x->name ? x->name : "");
		break;
	case OR_HELPER:
		snprintf(b->what, sizeof(b->what), "ct helper %s of table %s rosfw", x->name, family_name(x->family));
		break;
	case OR_FLOWTABLE:
		snprintf(b->what, sizeof(b->what), "flowtable %s of table %s rosfw", x->name, family_name(x->family));
		break;
	case OR_COUNTER:
		snprintf(b->what, sizeof(b->what), "counter %s of table %s rosfw", x->name, family_name(x->family));
		break;
	case OR_DELETE:
		snprintf(b->what, sizeof(b->what), "removing %s from table %s rosfw", x->name ? x->name : "the rules",
			 family_name(x->family));
		break;
	case OR_RULE: {
		size_t i;

		snprintf(b->what, sizeof(b->what), "a rule of chain %s", x->name);
		for (i = 0; offset && i < x->nexpr; i++) {
			if (b->exoff[x->expr0 + i] > offset)
				break;
			o->stmt = b->exstmt[x->expr0 + i];
			o->expr = b->exname[x->expr0 + i];
		}
		break;
	}
	}
	o->what = b->what;
	return true;
}

/* ---- what this back end cannot send yet --------------------------------- */

static const char *stmt_unsupported(const struct ir_table *t, const struct ir_stmt *s)
{
	switch (s->kind) {
	case S_FLOW_ADD:
		if (!t->flowtable || strcmp(t->flowtable->name, s->u.obj.name))
			return "flow add to a flowtable the table does not declare";
		return NULL;
	case S_CT_HELPER_SET: {
		size_t i;

		for (i = 0; i < t->nhelpers; i++)
			if (!strcmp(t->helpers[i].name, s->u.obj.name))
				return NULL;
		return "ct helper set of a helper the table does not declare";
	}
	case S_MATCH: {
		const struct ir_match *m = &s->u.m;
		const struct keydef *d = kd(m->key);

		if (d->kind == LD_NONE)
			return "a match on an unknown key";
		if (m->op == OP_FLAGS)
			return "a flags match";
		if (m->masked && key_subbyte(d))
			return "a masked match on a field narrower than a byte";
		if ((m->op == OP_IN || m->op == OP_NOTIN) && m->set && !ir_set_find(t, m->set))
			return "a lookup in a set the table does not declare";
		if ((m->op == OP_IN || m->op == OP_NOTIN) && !m->set && !m->nelems)
			return "a match on an empty list";
		if (m->key == K_JHASH && (m->nhkeys < 1 || m->nhkeys > 4))
			return "a jhash without keys";
		return NULL;
	}
	case S_SET_ADD:
	case S_SET_UPDATE:
	case S_CT_COUNT:
		if (!s->u.set.set || !ir_set_find(t, s->u.set.set))
			return "a dynamic set statement on a set the table does not declare";
		if (s->u.set.nkeys < 1 || s->u.set.nkeys > 3)
			return "a dynamic set statement without keys";
		return NULL;
	case S_SET_FIELD: {
		const struct keydef *d = kd(s->u.field.key);

		if (d->kind == LD_PAYLOAD && d->base != NFT_PAYLOAD_NETWORK_HEADER)
			return "setting a transport or link-layer header field";
		if (d->kind == LD_PAYLOAD && s->u.field.masked)
			return "a masked header field write";
		if (d->kind == LD_EXTHDR && s->u.field.key != K_TCPOPT_MSS)
			return "setting an IPv4 option";
		if (s->u.field.key == K_TCPOPT_MSS && s->u.field.from && s->u.field.from != K_RT_MTU)
			return "tcp option maxseg size set from this key";
		if (d->kind != LD_PAYLOAD && d->kind != LD_META && d->kind != LD_CT && d->kind != LD_EXTHDR)
			return "setting this key";
		return NULL;
	}
	case S_NAT:
		if (s->u.nat.prefix && (!s->u.nat.elems || !s->u.nat.nelems))
			return "a prefix NAT without its prefix";
		/* emit_text writes "masquerade to ADDR", which nft refuses */
		if ((s->u.nat.kind == NAT_MASQ || s->u.nat.kind == NAT_REDIRECT) && s->u.nat.has_addr)
			return "masquerade or redirect to an address";
		return NULL;
	default:
		return NULL;
	}
}

const char *emit_nl_unsupported(const struct ir *ir, const struct ir_rule **rule)
{
	int f;
	size_t i, j, k;

	for (f = 0; f < 2; f++) {
		const struct ir_table *t = ir->tables[f];

		for (i = 0; t && i < t->nchains; i++) {
			for (j = 0; j < t->chains[i]->n; j++) {
				const struct ir_rule *r = t->chains[i]->rules[j];

				for (k = 0; k < r->n; k++) {
					const char *why = stmt_unsupported(t, &r->stmts[k]);

					if (why) {
						if (rule)
							*rule = r;
						return why;
					}
				}
			}
		}
	}
	return NULL;
}

/* ---- the kernel's refusals in the configuration's terms ----------------- */

/* The hooks at which the kernel lets each kind of NAT act (nft_nat,
 * nft_masq, nft_redir check the chain against these). */
static bool nat_hook_ok(enum ir_nat kind, enum ir_hook hook)
{
	if (kind == NAT_SNAT)
		return hook == HOOK_POSTROUTING || hook == HOOK_INPUT;
	if (kind == NAT_MASQ)
		return hook == HOOK_POSTROUTING;
	return hook == HOOK_PREROUTING || hook == HOOK_OUTPUT;
}

static size_t chain_index(const struct ir_table *t, const char *name)
{
	size_t i;

	for (i = 0; t && name && i < t->nchains; i++)
		if (!strcmp(t->chains[i]->name, name))
			return i;
	return SIZE_MAX;
}

/*
 * The chains `from` leads to through jumps, itself included, in the order
 * a search finds them; seen[] marks them (t->nchains entries, caller
 * frees). Each chain once, however many paths reach it.
 */
static size_t chains_reached(const struct ir_table *t, size_t from, size_t *order, bool *seen)
{
	size_t head = 0, tail = 0, i, j;

	order[tail++] = from;
	seen[from] = true;
	while (head < tail) {
		const struct ir_chain *c = t->chains[order[head++]];

		for (i = 0; i < c->n; i++)
			for (j = 0; j < c->rules[i]->n; j++) {
				const struct ir_stmt *s = &c->rules[i]->stmts[j];
				size_t to;

				if (s->kind == S_VERDICT && s->u.verdict.chain &&
				    (to = chain_index(t, s->u.verdict.chain)) != SIZE_MAX && !seen[to]) {
					seen[to] = true;
					order[tail++] = to;
				}
			}
	}
	return tail;
}

/* The first rule in the chain `from` leads to whose NAT the kernel refuses
 * at `hook`; *nat its kind. */
static const struct ir_rule *nat_refused(const struct ir_table *t, size_t from, enum ir_hook hook, enum ir_nat *nat)
{
	size_t *order = xcalloc(t->nchains, sizeof(*order)), n, k, i, j;
	bool *seen = xcalloc(t->nchains, sizeof(*seen));
	const struct ir_rule *found = NULL;

	n = chains_reached(t, from, order, seen);
	for (k = 0; k < n && !found; k++) {
		const struct ir_chain *c = t->chains[order[k]];

		for (i = 0; i < c->n && !found; i++)
			for (j = 0; j < c->rules[i]->n; j++) {
				const struct ir_stmt *s = &c->rules[i]->stmts[j];

				if (s->kind == S_NAT && !nat_hook_ok(s->u.nat.kind, hook)) {
					*nat = s->u.nat.kind;
					found = c->rules[i];
					break;
				}
			}
	}
	free(order);
	free(seen);
	return found;
}

/* Whether chain `from` leads to chain `target` through jumps. */
static bool chain_reaches(const struct ir_table *t, size_t from, size_t target)
{
	size_t *order = xcalloc(t->nchains, sizeof(*order));
	bool *seen = xcalloc(t->nchains, sizeof(*seen)), r;

	chains_reached(t, from, order, seen);
	r = seen[target];
	free(order);
	free(seen);
	return r;
}

static const char *nat_explain(enum ir_nat kind)
{
	switch (kind) {
	case NAT_SNAT:
		return "source NAT (src-nat, same, netmap in srcnat), which the kernel does only where packets leave (srcnat)";
	case NAT_MASQ:
		return "masquerade, which the kernel does only where packets leave (srcnat)";
	case NAT_DNAT:
		return "destination NAT (dst-nat, netmap outside srcnat), which the kernel does only where packets come in or are made (dstnat)";
	case NAT_REDIRECT:
		return "redirect, which the kernel does only where packets come in or are made (dstnat)";
	}
	return "NAT";
}

/* As the NAT messages name them: the RouterOS chain that runs there. */
static const char *const hook_names[] = {
	"no hook", "prerouting (dstnat)", "input", "forward", "output (dstnat)", "postrouting (srcnat)",
};

bool emit_nl_explain(const struct ir *ir, const struct emit_nl_origin *o, int err, char *buf, size_t size,
		     const struct ir_rule **blame)
{
	const struct ir_table *t = ir && o->family ? ir->tables[o->family == NFPROTO_IPV6] : NULL;
	const struct ir_set *set = t && o->set ? ir_set_find(t, o->set) : NULL;
	size_t ci = chain_index(t, o->chain), i;
	const struct ir_chain *c = ci == SIZE_MAX ? NULL : t->chains[ci];

	*blame = o->rule;
	if (err == ENFILE && set && set->size) {
		snprintf(buf, size, "set %s%s%s%s is full: it holds at most %u entries, and this apply puts %zu in it", set->name,
			 set->comment ? " (list \"" : "", set->comment ? set->comment : "", set->comment ? "\")" : "",
			 set->size, set->n);
		return true;
	}
	if (err == ERANGE && ((set && (set->flags & SETF_TIMEOUT)) || (o->rule && o->stmt >= 0 && (size_t)o->stmt < o->rule->n &&
				      (o->rule->stmts[o->stmt].kind == S_SET_ADD ||
				       o->rule->stmts[o->stmt].kind == S_SET_UPDATE)))) {
		snprintf(buf, size, "a timeout is longer than the kernel keeps, at most 30500w3d23h34m33s (2^64 nanoseconds)");
		return true;
	}
	if (err == EOPNOTSUPP && o->rule && c) {
		enum ir_nat nat;
		const struct ir_rule *r;

		if (c->hook != HOOK_NONE && o->rule->n == 1 && o->rule->stmts[0].kind == S_VERDICT) {
			/* A jump rosfw adds from a base chain: the kernel checks
			 * the chain it reaches against this hook. */
			size_t to = chain_index(t, o->rule->stmts[0].u.verdict.chain);

			if (to == SIZE_MAX || !(r = nat_refused(t, to, c->hook, &nat)))
				return false;
			*blame = r;
			snprintf(buf, size, "this rule does %s, and its chain is reached from %s", nat_explain(nat),
				 hook_names[c->hook]);
			return true;
		}
		/* The rule's own chain, or the base chains that reach it. */
		for (i = 0; i < t->nchains; i++) {
			const struct ir_chain *base = t->chains[i];
			size_t j;

			if (base->hook == HOOK_NONE || (base != c && (c->hook != HOOK_NONE || !chain_reaches(t, i, ci))))
				continue;
			for (j = 0; j < o->rule->n; j++) {
				const struct ir_stmt *s = &o->rule->stmts[j];

				if (s->kind == S_NAT && !nat_hook_ok(s->u.nat.kind, base->hook)) {
					snprintf(buf, size, "this rule does %s, and its chain is reached from %s",
						 nat_explain(s->u.nat.kind), hook_names[base->hook]);
					return true;
				}
			}
		}
	}
	return false;
}
