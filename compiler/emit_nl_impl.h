/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_EMIT_NL_IMPL_H
#define ROSFW_EMIT_NL_IMPL_H

/*
 * What the pieces of the netlink back end share: the batch being built and
 * the origin of each message (emit_nl.c), set encoding (emit_nl_set.c),
 * and a rule on its way to the kernel: emit_nl_rule.c adds and merges
 * what nft's evaluation does and sends the rule, emit_nl_expr.c generates
 * each statement's expressions.
 */

#include <libnftnl/udata.h>
#include <linux/netlink.h>

#include "emit_nl.h"
#include "kname.h"

/* nft's datatype numbers (src/datatype.h), sent as set key types. */
enum {
	DT_INTEGER = 4, DT_STRING = 5, DT_IPADDR = 7, DT_IP6ADDR = 8, DT_ETHERADDR = 9, DT_ETHERTYPE = 10,
	DT_INET_PROTOCOL = 12, DT_INET_SERVICE = 13, DT_ICMP_TYPE = 14, DT_TCP_FLAG = 15,
	DT_MARK = 19, DT_CLASSID = 23, DT_CT_STATE = 26, DT_CT_STATUS = 28, DT_ICMP6_TYPE = 29,
	DT_ICMP_CODE = 32, DT_ICMPV6_CODE = 33, DT_DSCP = 36, DT_FIB_ADDR = 38, DT_BOOLEAN = 39,
	DT_CT_LABEL = 30, DT_IFNAME = 41, DT_TIME_HOUR = 44, DT_TIME_DAY = 45,
};

/* nft's expression kinds, as its set "typeof" user data records them. */
enum { EX_PAYLOAD = 7, EX_EXTHDR = 8, EX_META = 9, EX_CT = 12, EX_CONCAT = 13 };
/* nft's byte order of a set key, in the set's user data. */
enum { BO_INVALID = 0, BO_HOST = 1, BO_BIG = 2 };

/* ---- the batch (emit_nl.c) ----------------------------------------------- */

/* What made a message, for emit_nl_origin's text. */
enum origin_kind {
	OR_TABLE_CREATE, OR_TABLE_DELETE, OR_TABLE, OR_CHAIN, OR_SET, OR_ELEMS, OR_RULE, OR_HELPER, OR_FLOWTABLE,
	OR_COUNTER, OR_DELETE,
};

/**
 * struct origin - what one message of the batch was made from.
 * @name:  the chain of a chain or rule message, the set of a set or
 *         elements message (NULL: an anonymous set), the object's name.
 * @rule:  the IR rule of a rule message and its anonymous sets.
 * @expr0, @nexpr: a rule message's expressions in the batch's arrays.
 */
struct origin {
	uint32_t seq;
	uint8_t kind;
	int family;
	const char *name;
	const struct ir_rule *rule;
	size_t expr0, nexpr;
};

/**
 * struct emit_nl - a batch being built, and the origin of each message.
 * @last:   the last message so far (the batch's pages never move).
 * @debug:  where rules are printed as nft --debug=netlink prints them.
 * @orig:   one per message after the begin, in sequence order.
 * @exoff, @exstmt, @exname: each rule expression's byte offset in its
 *          message, the IR statement it came from, its libnftnl name.
 * @set_id: the next set id (named sets, then anonymous ones, as nft).
 * @have:   the tables being built over (emit_nl_build_over), or NULL;
 *          @kept counts the counter objects they keep.
 * @what:   emit_nl_origin's text.
 * @no_elems: named sets without their elements (an incremental apply's
 *          scan of the rules, which takes the elements apart).
 */
struct emit_nl {
	struct nftnl_batch *batch;
	struct nlmsghdr *last;
	uint32_t ack_seq;
	FILE *debug;
	uint32_t seq0, seq;
	struct origin *orig;
	size_t norig, caporig;
	uint32_t *exoff;
	int16_t *exstmt;
	const char **exname;
	size_t nex, capex;
	uint32_t set_id;
	const struct emit_nl_have *have;
	size_t kept;
	bool no_elems;
	char what[512];
};

/* A message: its origin recorded, its header started in the batch's
 * buffer, then (payload put) ended, which gives the next its sequence
 * number. */
struct origin *emit_nl_origin_add(struct emit_nl *b, enum origin_kind kind, int family, const char *name);
struct nlmsghdr *emit_nl_msg_start(struct emit_nl *b, uint16_t type, int family, uint16_t flags);
void emit_nl_msg_end(struct emit_nl *b);

/* ---- sets (emit_nl_set.c) ------------------------------------------------ */

/* Map data: a prefix NAT maps to a range of two addresses. */
struct xdata {
	uint8_t len;
	uint8_t b[32];
};

/* A range of a set (lo == hi: one value) and its map data. */
struct xrange {
	struct ir_data lo, hi;
	struct xdata data;
	uint64_t timeout_ms;	/* on the start element, as nft puts it */
	bool configured;	/* likewise */
	const char *comment;	/* likewise */
	const char *obj;	/* an object map's: the counter object */
};

/**
 * struct setdef - a set as nft declares it.
 * @udata: the user data nft stores with it (byte order, typeof, comment).
 */
struct setdef {
	const char *name;
	uint32_t flags;
	uint32_t key_type, key_len;
	uint32_t data_type, data_len;
	uint32_t obj_type;	/* NFT_SET_OBJECT: the objects' type */
	uint64_t timeout_ms;
	uint32_t size;
	uint32_t id;
	struct nftnl_udata_buf *udata;
};

/* User data for a set, an element or a rule, as large as nft's. */
struct nftnl_udata_buf *emit_nl_udata_new(void);

/* Named set `s` of the IR (NEWSET, then its elements), as set `id`. */
void emit_nl_set_named(struct emit_nl *b, int family, const struct ir_set *s, uint32_t id);
/* An anonymous set (or map) of `rule` from its ranges, or from their lo
 * values when it is not an interval set: NEWSET with the size nft gives
 * it, then its elements. Sorts (and for sets merges) `r` in place. */
void emit_nl_set_anon(struct emit_nl *b, int family, struct setdef *sd, const struct ir_rule *rule,
		      struct xrange *r, size_t n);

/* ---- rules (emit_nl_rule.c, emit_nl_expr.c) ------------------------------ */

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

/**
 * struct rb - a rule being built.
 * @set_id0: set id of t->sets[0]; the others follow.
 * @ex, @exs: its expressions so far, and the IR statement of each.
 * @cur:     the IR statement being generated (-1: one nft adds).
 * @reg_low: the lowest free register, in nft's 32-bit units.
 * @it:      its items (emit_nl_rule.c).
 */
struct rb {
	struct emit_nl *b;
	int family;
	const struct ir_table *t;
	uint32_t set_id0;
	const struct ir_rule *r;
	struct nftnl_expr **ex;
	int16_t *exs;
	size_t nex, capex;
	int cur;
	uint32_t reg_low;
	struct item *it;
	size_t nit, capit;
};

/* Every rule of `t`, chain by chain; its named sets have ids from `set_id0`. */
void emit_nl_rules_send(struct emit_nl *b, const struct ir_table *t, uint32_t set_id0);
/* The expressions of one item: its statement, a merged compare or a
 * protocol match nft adds. */
void emit_nl_item_gen(struct rb *rb, const struct item *it);
/* A header field nft compares as whole bytes (and so may merge with its
 * neighbours): its header (NFT_PAYLOAD_*), byte offset and length. */
bool emit_nl_key_bytes(enum ir_key k, uint8_t *base, uint16_t *off, uint16_t *len);

#endif
