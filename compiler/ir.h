/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_IR_H
#define ROSFW_IR_H

/*
 * The one intermediate form both back ends read: tables, chains, sets and
 * rules as nftables expressions. It holds values as the kernel compares
 * them (bytes in the order the kernel sees), never nft text, so the text
 * emitter and the netlink emitter cannot drift apart.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct arena;

/* What a match or a statement reads or writes. Each key has one row in
 * ir.c: its nft spelling, its data type and how it lowers to netlink. */
enum ir_key {
	K_NONE,
	K_META_L4PROTO,
	K_META_IIFNAME,
	K_META_OIFNAME,
	K_META_MARK,
	K_META_LENGTH,
	K_META_PRIORITY,
	K_META_SECPATH,		/* ipsec-policy=in: packet was decrypted */
	K_META_HOUR,		/* seconds since midnight, local time as RouterOS wrote it;
				 * nft text converts to UTC when loaded, netlink must too */
	K_META_DAY,		/* 0 = Sunday, local time */
	K_RT_IPSEC,		/* ipsec-policy=out: route uses an xfrm */
	K_RT_MTU,
	K_CT_STATE,
	K_CT_STATUS,
	K_CT_MARK,
	K_CT_HELPER,
	K_CT_BYTES,
	K_CT_LABEL,		/* 128 bits: per-connection-classifier's bits 64-126, the inspection
				 * helper's 0-63 and 127 (ir.h's IR_LABEL_*) */
	K_IP_SADDR,
	K_IP_DADDR,
	K_IP_TTL,
	K_IP_DSCP,
	K_IP_TOS,		/* the whole ToS byte, DSCP and ECN */
	K_IP_FRAG_OFF,
	K_IP_HDRLENGTH,
	K_IPOPT_LSRR,		/* ip option lsrr exists */
	K_IPOPT_SSRR,
	K_IPOPT_RR,
	K_IPOPT_RA,
	K_IP6_SADDR,
	K_IP6_DADDR,
	K_IP6_HOPLIMIT,
	K_IP6_DSCP,
	K_IP6_TCLASS,		/* the whole traffic class */
	K_TH_SPORT,
	K_TH_DPORT,
	K_TCP_SPORT,
	K_TCP_DPORT,
	K_UDP_SPORT,
	K_UDP_DPORT,
	K_TCP_FLAGS,
	K_TCPOPT_MSS,
	K_ICMP_TYPE,
	K_ICMP_CODE,
	K_ICMP6_TYPE,
	K_ICMP6_CODE,
	K_ICMP_TYPECODE,	/* type and code as one 16-bit field: nft has no
				 * name for it, and "not this type and code" needs it */
	K_ICMP6_TYPECODE,
	K_ETHER_SADDR,
	K_FIB_SADDR_TYPE,
	K_FIB_DADDR_TYPE,
	K_NUMGEN_INC,
	K_NUMGEN_RANDOM,
	K_JHASH,
	K_CT_ID,		/* the connection's id: connection-rate's meters are per connection */
	/* the bridge family's (/interface bridge filter, lower_bridge.c) */
	K_ETHER_DADDR,
	K_ETHER_TYPE,
	K_VLAN_ID,
	K_VLAN_PCP,
	K_META_IBRNAME,		/* the bridge a frame came in on */
	K_META_OBRNAME,
	K_META_PKTTYPE,		/* host, broadcast, multicast, other host (linux/if_packet.h) */
	K_VLAN_TYPE,		/* the EtherType inside the 802.1Q tag */
	K__COUNT
};

/* How a key's values print and compare. */
enum ir_type {
	T_INTEGER,	/* big-endian integer of the key's width */
	T_HOST_INTEGER,	/* host-order integer (meta, ct) */
	T_IPV4,
	T_IPV6,
	T_PORT,
	T_IFNAME,
	T_PROTO,
	T_MARK,
	T_CT_STATE,
	T_CT_STATUS,
	T_TCP_FLAGS,
	T_ICMP_TYPE,
	T_ICMP6_TYPE,
	T_TYPECODE,	/* type << 8 | code, printed 0xTTCC */
	T_ETHER,
	T_ADDR_TYPE,
	T_DAY,
	T_HOUR,
	T_HELPER,
	T_PRIORITY,
	T_CT_LABEL,	/* 128 bits; a match tests one bit (mask), printed as its number */
	T_ETHERTYPE,	/* printed 0xNNNN */
};

/* Where the kernel reads a key: nft's expression, and for a header field
 * (payload) or an option (exthdr) which one. */
enum ir_src {
	SRC_NONE,
	SRC_META,
	SRC_CT,
	SRC_RT,
	SRC_NETWORK,	/* header fields */
	SRC_TRANSPORT,
	SRC_LINK,
	SRC_IPOPT,	/* options */
	SRC_TCPOPT,
	SRC_FIB,
	SRC_NUMGEN,
	SRC_HASH,
};

/**
 * struct ir_key_info - one key.
 * @nft:       "ip saddr".
 * @len:       bytes compared.
 * @off, @bits: a header field's first bit in its header, and its width.
 */
struct ir_key_info {
	const char *nft;
	enum ir_type type;
	uint8_t len;
	enum ir_src src;
	uint16_t off, bits;
};

const struct ir_key_info *ir_key_info(enum ir_key k);

/* A header field that does not start and end on a byte boundary (the
 * kernel loads the bytes around it, masks and shifts). */
bool ir_key_subbyte(enum ir_key k);

/* A value as the kernel compares it; len bytes of b. */
struct ir_data {
	uint8_t len;
	uint8_t b[16];
};

/* One element of an anonymous or named set: a value or a closed range.
 * @kept: an entry a re-apply carried over from the kernel, not one the
 *        configuration writes. */
struct ir_elem {
	struct ir_data lo, hi;
	bool range, kept;
	uint64_t timeout_ms;	/* named dynamic sets: 0 = none */
	const char *comment;	/* netlink only: what a re-apply keeps */
	const char *obj;	/* an object map's element: the counter it names */
};

/*
 * The user data record (type, no value) the netlink back end puts on the
 * configuration's static entries (no timeout) of a set whose entries also
 * come and go (rules add to it, entries time out): a re-apply and rosfwd
 * carry over what the kernel holds there, and must tell what the
 * configuration wrote (which the next one may no longer have) from what
 * rules and `address-list add` put there. A timed entry is dynamic once
 * added, as on RouterOS, and is carried with the time it has left. nft ignores record types it does not know;
 * the text back end has no way to write it.
 */
#define IR_ELEM_UDATA_CONFIGURED 0x40

enum ir_op {
	OP_EQ,
	OP_NE,
	OP_LT,
	OP_GT,
	OP_LE,
	OP_GE,
	OP_RANGE,	/* lo <= x <= hi */
	OP_NRANGE,
	OP_IN,		/* in an anonymous set or a named one */
	OP_NOTIN,
	OP_FLAGS,	/* (x & mask) == value */
	OP_EXISTS,	/* meta secpath exists, ip option ... exists */
	OP_MISSING,
};

/**
 * struct ir_match - one comparison.
 * @mask: for OP_FLAGS, and for masked keys (meta mark & 0xffff).
 * @mod, @seed: numgen and jhash: mod N, hash seed; @hkeys the hashed keys.
 * @set: named set for OP_IN/OP_NOTIN, else the anonymous @elems; with
 *       @nhkeys > 1 a named set is looked up by the concatenation of
 *       @hkeys (psd: ip saddr . th dport), @key being the first of them.
 */
struct ir_match {
	enum ir_key key;
	enum ir_op op;
	struct ir_data v, hi, mask;
	bool masked;
	uint32_t mod, seed;
	enum ir_key hkeys[4];
	uint8_t nhkeys;
	const char *set;
	struct ir_elem *elems;
	size_t nelems;
};

enum ir_verdict { V_ACCEPT, V_DROP, V_JUMP, V_GOTO, V_RETURN, V_CONTINUE };

enum ir_reject {
	REJ_ICMP,	/* icmp type unreach code @code */
	REJ_ICMPV6,
	REJ_TCP_RESET,
};

enum ir_nat {
	NAT_SNAT,
	NAT_DNAT,
	NAT_MASQ,
	NAT_REDIRECT,
};

enum ir_stmt_kind {
	S_MATCH,
	S_COUNTER,
	S_VERDICT,
	S_LOG,
	S_REJECT,
	S_LIMIT,
	S_SET_ADD,	/* add @set { key [timeout] } */
	S_SET_UPDATE,	/* update @set { key limit ... } (dst-limit) */
	S_CT_COUNT,	/* add @set { key ct count over N } */
	S_NAT,
	S_SET_FIELD,	/* key set value (marks, dscp, ttl, mss, priority) */
	S_NOTRACK,
	S_FLOW_ADD,
	S_CT_HELPER_SET,
	S_QUEUE,	/* queue num N bypass: to the inspection helper */
};

/**
 * struct ir_stmt - one expression of a rule, in order. S_COUNTER with
 * u.obj.name counts into that named counter object; with u.obj.map into
 * the one object map u.obj.map gives u.obj.key's value (no element: the
 * rule goes no further, a match); else into one of its own.
 * S_FLOW_ADD and S_CT_HELPER_SET name their object in u.obj.name too.
 */
struct ir_stmt {
	enum ir_stmt_kind kind;
	union {
		struct ir_match m;
		struct {
			enum ir_verdict kind;
			const char *chain;
		} verdict;
		struct {
			const char *prefix;	/* already normalised, may be NULL */
			int level;		/* syslog level */
		} log;
		struct {
			enum ir_reject kind;
			uint8_t code;
		} reject;
		struct {
			uint64_t rate;
			uint64_t unit_s;	/* per this many seconds */
			uint32_t burst;
			bool bytes;
			bool over;
		} limit;
		struct {
			const char *set;
			enum ir_key keys[3];
			uint8_t nkeys;
			uint32_t key_mask_bits;	/* connection-limit netmask, 0 = whole key */
			uint64_t timeout_ms;	/* 0: the set's own or none */
			uint32_t count;		/* S_CT_COUNT: over this many */
			uint64_t rate, unit_s;	/* S_SET_UPDATE: limit (rate 0: none, a bare update) */
			uint32_t burst;
			bool bytes;
		} set;
		struct {
			enum ir_nat kind;
			bool has_addr, has_port, persistent, prefix;
			bool random;		/* the port chosen at random (NF_NAT_RANGE_PROTO_RANDOM) */
			struct ir_data addr_lo, addr_hi;
			uint16_t port_lo, port_hi;
			const char *map;	/* netmap: anonymous map text built from elems */
			struct ir_elem *elems;
			size_t nelems;
		} nat;
		struct {
			enum ir_key key;
			struct ir_data v;
			bool masked;		/* key = (key & mask) | v */
			struct ir_data mask;
			enum ir_key from;	/* K_RT_MTU: tcp mss set rt mtu */
		} field;
		struct {
			const char *name;
			const char *map;
			enum ir_key key;
		} obj;
		struct {
			uint16_t num;
			bool bypass;	/* no listener: the packet goes on */
		} queue;
	} u;
};

/**
 * struct ir_rule - one kernel rule.
 * @id:      the RouterOS rule it came from (number as print shows it), or -1.
 * @comment: normalised comment text, never holding '"' or a newline.
 * @loc:     where the RouterOS rule was written, for kernel errors.
 * @state_only: keeps state for the RouterOS rule (psd, per-connection-
 *           classifier, connection-rate) and acts on no packet: its
 *           action is the rule's other kernel rules'.
 */
struct ir_rule {
	struct ir_stmt *stmts;
	size_t n, cap;
	long id;
	bool state_only;
	const char *comment;
	struct loc loc;
};

enum ir_hook { HOOK_NONE, HOOK_PREROUTING, HOOK_INPUT, HOOK_FORWARD, HOOK_OUTPUT, HOOK_POSTROUTING };
enum ir_chain_type { CHAIN_FILTER, CHAIN_NAT, CHAIN_ROUTE };

struct ir_chain {
	const char *name;
	enum ir_hook hook;	/* HOOK_NONE: a regular chain */
	enum ir_chain_type type;
	int prio;
	const char *facility;	/* "filter", "nat", "mangle", "raw" */
	const char *ros_name;	/* the RouterOS chain it holds, or NULL */
	struct ir_rule **rules;
	size_t n, cap;
};

#define SETF_INTERVAL 0x1
#define SETF_TIMEOUT  0x2
#define SETF_DYNAMIC  0x4
#define SETF_CONSTANT 0x8
#define SETF_OBJMAP   0x10	/* `type KEY : counter`, every element naming a counter object */

struct ir_set {
	const char *name;
	enum ir_key key;	/* element type is this key's type */
	enum ir_key keys[3];	/* concatenations (dst-limit by address and port) */
	uint8_t nkeys;
	unsigned flags;
	uint64_t timeout_ms;
	uint32_t size;
	const char *comment;
	struct ir_elem *elems;
	size_t n, cap;
};

/* A conntrack helper object: `ct helper NAME { type "TYPE" protocol P; }`. */
struct ir_helper {
	const char *name;	/* object name, what `ct helper set` names */
	const char *type;	/* the kernel helper ("ftp", "Q.931", ...) */
	uint8_t l4proto;
};

/* The FastTrack flowtable: `flow add @NAME` offloads a connection to it. */
struct ir_flowtable {
	const char *name;
	int prio;		/* hook ingress */
	const char **devs;	/* sorted, no duplicates */
	size_t ndevs;
	bool offload;		/* hw-offload=yes on some fasttrack rule */
	bool counter;
};

/*
 * struct ir_table - one of rosfw's tables.
 * @counters: the named counter objects, one per RouterOS rule, named after
 *            what the rule says (lower.c): an apply keeps the objects of
 *            the rules that did not change, so they never stop counting.
 */
struct ir_table {
	int family;		/* NFPROTO_IPV4 or NFPROTO_IPV6 */
	const char *name;
	const char **counters;
	size_t ncounters, capcounters;
	struct ir_set **sets;
	size_t nsets, capsets;
	struct ir_chain **chains;
	size_t nchains, capchains;
	struct ir_helper *helpers;
	size_t nhelpers, caphelpers;
	struct ir_flowtable *flowtable;	/* NULL: none */
};

/* A mark name and the number it became. */
struct ir_mark {
	const char *kind;	/* "connection", "packet", "routing" */
	const char *name;
	uint32_t value;
};

/* What the inspection helper decides, one bit of the connection's label
 * each: what `rosfw apply` writes for it (helpers/inspect.h's format). */
enum ir_inspect_kind { INSPECT_TLS_HOST, INSPECT_LAYER7, INSPECT_CONTENT };

struct ir_inspect {
	enum ir_inspect_kind kind;
	const char *value;	/* pattern, regexp or content bytes */
	size_t len;
	unsigned bit;
	const char *name;	/* layer7: the protocol's name */
};

/* A connection tracking setting of the network namespace (a sysctl under
 * /proc/sys/net/netfilter): not part of the ruleset, written by apply after
 * the commit and put back by flush. */
struct ir_sysctl {
	const char *name;	/* "nf_conntrack_udp_timeout" */
	uint64_t value;
	const char *ros;	/* "udp-timeout=10s", as the config (or the default) has it */
	struct loc loc;		/* where the config set it; file NULL for a default */
};

struct ir {
	struct arena *arena;
	struct ir_table *tables[2];	/* ip, ip6; NULL when the config has nothing there */
	bool brport_marks;		/* rules match bridge ports: the packet mark's layout below */
	/*
	 * `table bridge rosfw`, where rules match bridge ports or
	 * /interface bridge filter has rules; when rules match bridge ports
	 * (lower_bridge.c): its prerouting chain, before every IP hook on
	 * the same packet, writes the input port's number (1 to
	 * IR_BRPORT_MAX) into bits 12-15 of the packet mark. Packet marks
	 * then take bits 0-11 alone (IR_PMARK_MASK_BRIDGE); routing marks
	 * keep 16-31. NULL: the layout of the packet mark is 0-15 and 16-31.
	 */
	struct ir_table *bridge;
	const char *brports[15];	/* port number i + 1: its Linux names, "a,b" */
	unsigned nbrports;
	struct ir_mark *marks;
	size_t nmarks, capmarks;
	struct ir_sysctl *sysctls;
	size_t nsysctls, capsysctls;
	struct ir_inspect *inspects;	/* the helper's matchers, in the order rules name them */
	size_t ninspects, capinspects;
	/* The matchers of the ruleset applied before (lower_opts), whose
	 * bits the kernel's connections may carry: kept where they stay. */
	const struct ir_inspect *inspect_prev;
	size_t ninspect_prev;
	/* User data of rosfw's tables (apply keeps there the sysctl values
	 * it found before it first changed them); NULL: none. */
	const uint8_t *table_udata;
	size_t table_udata_len;
	/* Rules, tests and interface-list members lowering left out for a
	 * name no Linux interface can have (warned where each stands): the
	 * check against a machine counts them as missing interfaces. */
	unsigned ifnames_impossible;
	/* Policy routing (routes.h): NULL when the configuration has none. */
	struct route_plan *routing;
};

#define IR_BRPORT_MAX 15
#define IR_BRPORT_SHIFT 12
#define IR_BRPORT_MASK 0x0000f000u
#define IR_PMARK_MASK 0x0000ffffu
#define IR_PMARK_MASK_BRIDGE 0x00000fffu
/* Bridge ports are matched (ir->brport_marks): packet marks take 12 bits. */
static inline uint32_t ir_pmark_mask(const struct ir *ir)
{
	return ir->brport_marks ? IR_PMARK_MASK_BRIDGE : IR_PMARK_MASK;
}

struct ir *ir_new(void);
void ir_free(struct ir *ir);

struct ir_table *ir_table_get(struct ir *ir, int family);
struct ir_chain *ir_chain_add(struct ir *ir, struct ir_table *t, const char *name);
struct ir_chain *ir_chain_find(const struct ir_table *t, const char *name);
struct ir_set *ir_set_add(struct ir *ir, struct ir_table *t, const char *name, enum ir_key key);
struct ir_set *ir_set_find(const struct ir_table *t, const char *name);
/* Out of the table again (what a rule left out had made); the arena keeps it. */
void ir_set_drop(struct ir_table *t, const struct ir_set *s);
void ir_chain_drop(struct ir_table *t, const struct ir_chain *c);
struct ir_helper *ir_helper_add(struct ir *ir, struct ir_table *t, const char *name, const char *type,
				uint8_t l4proto);
struct ir_sysctl *ir_sysctl_add(struct ir *ir, const char *name, uint64_t value);
/*
 * The connection label's 128 bits, shared: the inspection helper's
 * matchers take 0 to IR_INSPECT_MAX - 1 and IR_INSPECT_DONE_BIT, the
 * per-connection-classifier rules IR_LABEL_PCC_FIRST to _LAST.
 */
#define IR_INSPECT_MAX 64
#define IR_INSPECT_DONE_BIT 127
#define IR_LABEL_PCC_FIRST 64
#define IR_LABEL_PCC_LAST 126
/* The label bit of a matcher (the same one for the same kind and value),
 * or -1 past IR_INSPECT_MAX of them. */
int ir_inspect_bit(struct ir *ir, enum ir_inspect_kind kind, const char *value, size_t len, const char *name);
/* One label bit as a value of K_CT_LABEL. */
struct ir_data ir_data_label_bit(unsigned bit);
/* A named counter object of the table; its name, kept by the IR. */
const char *ir_counter_add(struct ir *ir, struct ir_table *t, const char *name);
/* No flowtable after all: its flow add statements go, and the rules that
 * held them only count (FastTrack's fallback). */
void ir_flowtable_drop(struct ir_table *t);
/* The first rule that adds to the table's flowtable, or NULL. */
const struct ir_rule *ir_flowtable_user(const struct ir_table *t);
void ir_set_elem(struct ir *ir, struct ir_set *s, const struct ir_elem *e);
struct ir_rule *ir_rule_add(struct ir *ir, struct ir_chain *c, long id, const char *comment,
			    const struct loc *loc);
struct ir_stmt *ir_stmt_add(struct ir *ir, struct ir_rule *r, enum ir_stmt_kind kind);
struct ir_elem *ir_elems_copy(struct ir *ir, const struct ir_elem *e, size_t n);
const char *ir_strdup(struct ir *ir, const char *s);

/* Integers into kernel byte order for a key. */
struct ir_data ir_data_be(uint64_t v, uint8_t len);
struct ir_data ir_data_host(uint64_t v, uint8_t len);
uint64_t ir_data_uint(const struct ir_data *d, bool host);

#endif
