/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_EMIT_NL_H
#define ROSFW_EMIT_NL_H

/*
 * IR to one nf_tables netlink batch (libnftnl), holding the same objects
 * and expressions `nft -f` makes of emit_text's script: rosfw's tables are
 * created if missing, deleted and defined again, all in one transaction.
 * Each message's sequence number maps back to the IR object (and for rules
 * the statement) that produced it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/uio.h>

#include "ir.h"

struct emit_nl;

/* The kernel's key type (nft's datatype number) and key length of a named
 * set, as the batch declares them. */
uint32_t emit_nl_set_key_type(const struct ir_set *s, uint32_t *len);

/* The batch for `ir` (NULL: only replace rosfw's tables with nothing, as
 * `rosfw flush` does). With `commit` false the batch has no end message,
 * so the kernel checks every message and then aborts: nothing changes.
 * Sequence numbers start at `seq`. NULL when the IR does not pass ir_check. */
struct emit_nl *emit_nl_build(const struct ir *ir, uint32_t seq, bool commit);

/* The same without the named sets' elements and the end message: what an
 * incremental apply scans for its rules (emit_nl_scan). */
struct emit_nl *emit_nl_build_rules(const struct ir *ir, uint32_t seq);

/**
 * struct emit_nl_have - what rosfw's table of one family holds now.
 * @table:  it exists; then the batch empties it in place rather than
 *          replacing it, keeping the counter objects the new IR names and
 *          the chains it defines the same way.
 * @chains: each with its hook (NULL type: a regular chain).
 * @objs:   every stateful object, sorted by name (strcmp).
 */
struct emit_nl_have {
	bool table;
	struct emit_nl_chain {
		const char *name, *type;	/* type: "filter", "nat", "route" */
		uint32_t hooknum;		/* NF_INET_* */
		int32_t prio;
	} *chains;
	const char **sets, **flowtables;
	size_t nchains, nsets, nflowtables;
	struct emit_nl_obj {
		const char *name;
		uint32_t type;		/* NFT_OBJECT_* */
	} *objs;
	size_t nobjs;
};

/* The same over tables as `have` (ip, ip6, bridge) says they are: a RouterOS rule
 * that did not change keeps its counter object, which counts on through
 * the transaction. `rules`: as emit_nl_build_debug. */
struct emit_nl *emit_nl_build_over(const struct ir *ir, const struct emit_nl_have have[3], uint32_t seq,
				   bool commit, FILE *rules);
/* How many counter objects the batch keeps. */
size_t emit_nl_kept(const struct emit_nl *b);
void emit_nl_free(struct emit_nl *b);

struct nlmsghdr;

/**
 * struct emit_nl_scan - a whole batch as an incremental apply compares it
 * (emit_nl_incr.c).
 * @rest:  per family (ip, ip6, bridge), the fingerprint of all but the table,
 *         counter objects, named sets and rules: chains, ct helpers,
 *         flowtable.
 * @rules: every rule in batch order (chain by chain): its fingerprint
 *         (its message and anonymous sets, set ids and the comment left
 *         out), its comment's and counter object's (@text), family
 *         (0 ip, 1 ip6, 2 bridge), chain, and its messages @first..@first+@n-1.
 * @msg:   the batch's messages after the begin, in order.
 */
struct emit_nl_scan {
	uint64_t rest[3];
	struct emit_nl_rulefp {
		uint64_t fp, text;
		int family;
		const char *chain;
		const struct ir_rule *rule;
		size_t first, n;
	} *rules;
	size_t nrules;
	const struct nlmsghdr **msg;
	size_t nmsg;
};
void emit_nl_scan(struct emit_nl *b, struct emit_nl_scan *s);
void emit_nl_scan_free(struct emit_nl_scan *s);

/**
 * struct emit_nl_setfp - one named set of a batch, element by element, as
 * an incremental apply compares it (emit_nl_incr.c).
 * @family: 0 ip, 1 ip6, 2 bridge.
 * @def:    the fingerprint of its NEWSET (the set id left out).
 * @n:      its units: an element, or in an interval set a range's start
 *          and end elements (or an end alone, at 0 before the first
 *          range), as the batch sends them;
 * @fp:     each unit's fingerprint (its elements' attributes: key, end
 *          flag, data or object, timeout, user data), sorted;
 * @del:    per unit in the same order, @stride bytes: what deleting it
 *          sends: a byte of EMIT_NL_DEL_* flags, then the start's key
 *          and, in an interval set, the end's (@klen bytes each);
 * @nest:   per unit its element nests in the batch (two: the second NULL
 *          for one), while emit_nl_sets holds the batch.
 */
struct emit_nl_setfp {
	int family;
	const char *name;
	uint64_t def;
	uint32_t klen, stride;
	size_t n;
	uint64_t *fp;
	uint8_t *del;
	const struct nlattr **nest;
};
#define EMIT_NL_DEL_START 1u	/* a start (or plain) element with its key */
#define EMIT_NL_DEL_END 2u	/* an interval's end element */
#define EMIT_NL_DEL_TIMED 4u	/* it has a timeout: it lives out its time */
struct emit_nl_sets {
	struct emit_nl *b;
	struct emit_nl_setfp *v;
	size_t n;
};
/* The named sets of `ir` (ip, ip6 and bridge tables) as a batch sends
 * them, taken before a re-apply's dynamic entries join them. */
void emit_nl_sets_scan(const struct ir *ir, struct emit_nl_sets *s);
/* The batch goes (the nests with it): fingerprints and keys stay. */
void emit_nl_sets_drop_batch(struct emit_nl_sets *s);
void emit_nl_sets_free(struct emit_nl_sets *s);
/* Units `u[0..n)` of set `set` added (copied from its batch), or the
 * units whose delete bytes are `del[0..n)` (of stride `stride`, key length
 * `klen`) deleted from set `name` of family index `family`. */
void emit_nl_incr_addelems(struct emit_nl *b, const struct emit_nl_setfp *set, const size_t *u, size_t n);
void emit_nl_incr_delelems(struct emit_nl *b, int family, const char *name, uint32_t klen,
			   const uint8_t *const *del, size_t n);

/* The fingerprint of rule `r`'s comment and the counter object it names
 * as the scan takes them (@text), from the IR alone. */
uint64_t emit_nl_rule_text(const struct ir_rule *r);
/* @text from the comment's fingerprint (the NFTA_RULE_USERDATA attribute
 * hashed whole from TEXT_FNV64) and the counter object the rule names
 * (NULL: none): comments are not unique, the counter names the rule. */
uint64_t emit_nl_text_counter(uint64_t udata, const char *counter, size_t len);

/* A batch that changes rosfw's tables in place: counter objects made or
 * deleted, rules deleted by handle, rule `i` of `s` (a scan of `src`)
 * added after the rule with handle `after` (0: first in its chain), the
 * kernel echoing it (its handle), or put in place of the rule with handle
 * `replace` (not 0); the NEWRULE's sequence number. End:
 * the ACK asked of the last message, and the commit. */
struct emit_nl *emit_nl_incr_new(uint32_t seq);
void emit_nl_incr_counter(struct emit_nl *b, int family, const char *name, bool add);
void emit_nl_incr_delrule(struct emit_nl *b, int family, const char *chain, uint64_t handle);
uint32_t emit_nl_incr_rule(struct emit_nl *b, struct emit_nl *src, const struct emit_nl_scan *s, size_t i,
			   uint64_t after, uint64_t replace);
void emit_nl_incr_end(struct emit_nl *b);

/* A batch without an end (the kernel checks it and aborts) that makes the
 * flowtable `ft` in a scratch table: whether this kernel and these devices
 * take it. Its second message is the flowtable. */
struct emit_nl *emit_nl_flowtable_probe(int family, const struct ir_flowtable *ft, uint32_t seq);
/* The same for a rule with a queue statement (nft_queue), in a table and
 * chain of its own; its rule is message begin + 3. */
struct emit_nl *emit_nl_queue_probe(int family, uint32_t seq);

/* The same, printing each rule to `rules` as nft --debug=netlink prints
 * the rules it sends (nft's counters carry no zeros, so rule bytes differ
 * there while the expressions are the same). */
struct emit_nl *emit_nl_build_debug(const struct ir *ir, uint32_t seq, bool commit, FILE *rules);

/* Every message but the rules as libmnl prints it (as nft --debug=mnl
 * does), for comparing rosfw's bytes with nft's. */
void emit_nl_fprint(struct emit_nl *b, FILE *out);

/* The batch as iovecs for one sendmsg(). */
size_t emit_nl_iovec_count(struct emit_nl *b);
void emit_nl_iovec(struct emit_nl *b, struct iovec *iov, size_t n);
/* `fn` on each nf_tables message of the batch, in order (not the batch's
 * begin and end). */
struct nlmsghdr;
void emit_nl_each(struct emit_nl *b, void (*fn)(struct nlmsghdr *nlh, void *ctx), void *ctx);

/* Sequence number of the batch-begin message, and the number of messages
 * after it (all but the end message). Errors come back for any of them;
 * only the last asks for an ACK, whose answer, error or not, is the last
 * the kernel sends: emit_nl_ack_seq is its sequence number. */
uint32_t emit_nl_begin_seq(const struct emit_nl *b);
size_t emit_nl_messages(const struct emit_nl *b);
uint32_t emit_nl_ack_seq(const struct emit_nl *b);

/**
 * struct emit_nl_origin - what a message of the batch was made from.
 * @what:  "table ip rosfw", "chain filter_input", "set al_x", "elements of
 *         set al_x", "rule" (text for messages).
 * @rule:  the IR rule for rule messages (and their anonymous sets), else NULL.
 * @stmt:  index in @rule of the statement whose expression the kernel
 *         pointed at (extended ACK offset), or -1.
 * @expr:  libnftnl name of that expression ("payload", "cmp"...), or NULL.
 * @family: NFPROTO_IPV4 or NFPROTO_IPV6 (0 for the batch as a whole).
 * @set:   the named set of set and element messages, else NULL.
 * @chain: the chain of chain and rule messages, else NULL.
 */
struct emit_nl_origin {
	const char *what;
	const struct ir_rule *rule;
	int stmt;
	const char *expr;
	int family;
	const char *set;
	const char *chain;
};

/* Fill `o` for message `seq` and, when known, the byte `offset` in it the
 * kernel's extended ACK named (0: none). False for a sequence number that
 * is not this batch's. o->what lives in `b` until the next call. */
bool emit_nl_origin(struct emit_nl *b, uint32_t seq, uint32_t offset, struct emit_nl_origin *o);

/*
 * What the kernel's refusal `err` of the message at `o` means in the
 * configuration's terms, into `buf`: a full set (ENFILE), a timeout past
 * the kernel's range (ERANGE), NAT where its hook does not allow it
 * (EOPNOTSUPP). *blame is the rule to point at (for a jump rosfw adds,
 * the rule the jump reaches that the hook refuses), or NULL. False when
 * there is nothing to add to the kernel's own words.
 */
bool emit_nl_explain(const struct ir *ir, const struct emit_nl_origin *o, int err, char *buf, size_t size,
		     const struct ir_rule **blame);

#endif
