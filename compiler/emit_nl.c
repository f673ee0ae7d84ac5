/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IR to one nf_tables netlink batch. The kernel must end up holding exactly
 * what `nft -f` makes of emit_text's script, down to the expressions, so
 * the back end does what nft 1.0.6 does on the way from that text to
 * netlink, in the same order (so even handles and anonymous set names
 * agree): this file frames the batch and sends tables, chains and objects,
 * emptying rosfw's tables in place over what the kernel holds;
 * emit_nl_set.c sends sets and their elements; emit_nl_rule.c adds and
 * merges what nft's evaluation does to a rule, emit_nl_expr.c generates
 * its expressions.
 *
 * One message per object, the last asking for an ACK; the origin of every
 * message (and the byte offset of every rule expression) is kept so a
 * kernel error names the RouterOS rule that caused it, and what the
 * kernel's refusals mean is said in the configuration's terms.
 */
#include "emit_nl_impl.h"

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
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ir_check.h"
#include "xalloc.h"

/* ---- the batch ---------------------------------------------------------- */

/* nft's batch pages: 32 pages, and room for one largest message over. */
#define NL_PAGE (getpagesize() * 32)
#define NL_MSG_MAX (UINT16_MAX + getpagesize())

struct origin *emit_nl_origin_add(struct emit_nl *b, enum origin_kind kind, int family, const char *name)
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
struct nlmsghdr *emit_nl_msg_start(struct emit_nl *b, uint16_t type, int family, uint16_t flags)
{
	b->last = nftnl_nlmsg_build_hdr(nftnl_batch_buffer(b->batch), type, (uint16_t)family, flags, b->seq);
	return b->last;
}

/* The kernel answers a batch's messages in order once it has run them
 * all: the ACK of the last one closes the answer. */
static void ack_last(struct emit_nl *b)
{
	int n = nftnl_batch_iovec_len(b->batch);
	struct iovec *iov;
	struct nlmsghdr *nlh, *last = NULL;
	int left;

	if (!b->last || n <= 0)
		return;
	/* Where the last message is now: a message that overflows a page
	 * is copied to a new one (nftnl_batch_update), and b->last would
	 * mark the copy left behind. */
	iov = xcalloc((size_t)n, sizeof(*iov));
	nftnl_batch_iovec(b->batch, iov, (uint32_t)n);
	while (n > 0 && !iov[n - 1].iov_len)
		n--;
	if (n > 0) {
		left = (int)iov[n - 1].iov_len;
		for (nlh = iov[n - 1].iov_base; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
			last = nlh;
	}
	free(iov);
	if (last && last->nlmsg_seq != b->seq0) {
		last->nlmsg_flags |= NLM_F_ACK;
		b->ack_seq = last->nlmsg_seq;
	}
}

void emit_nl_msg_end(struct emit_nl *b)
{
	b->seq++;
	if (nftnl_batch_update(b->batch) < 0)
		xdie("out of memory");
}

static const char *family_name(int f)
{
	return f == NFPROTO_IPV6 ? "ip6" : f == NFPROTO_BRIDGE ? "bridge" : "ip";
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
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, KNAME_TABLE);
	if (type == NFT_MSG_NEWTABLE)
		nftnl_table_set_u32(t, NFTNL_TABLE_FLAGS, 0);
	if (ir && ir->table_udata && ir->table_udata_len)
		nftnl_table_set_data(t, NFTNL_TABLE_USERDATA, ir->table_udata, (uint32_t)ir->table_udata_len);
	emit_nl_origin_add(b, kind, family, NULL);
	nlh = emit_nl_msg_start(b, type, family, flags);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	emit_nl_msg_end(b);
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
	nftnl_chain_set_str(ch, NFTNL_CHAIN_TABLE, KNAME_TABLE);
	nftnl_chain_set_str(ch, NFTNL_CHAIN_NAME, c->name);
	if (c->hook != HOOK_NONE) {
		nftnl_chain_set_u32(ch, NFTNL_CHAIN_HOOKNUM, hooknum[c->hook]);
		nftnl_chain_set_s32(ch, NFTNL_CHAIN_PRIO, c->prio);
		nftnl_chain_set_str(ch, NFTNL_CHAIN_TYPE, chain_types[c->type]);
		/* RouterOS built-in chains accept what no rule stopped. */
		nftnl_chain_set_u32(ch, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	}
	emit_nl_origin_add(b, OR_CHAIN, family, c->name);
	nlh = emit_nl_msg_start(b, NFT_MSG_NEWCHAIN, family, NLM_F_CREATE);
	nftnl_chain_nlmsg_build_payload(nlh, ch);
	nftnl_chain_free(ch);
	emit_nl_msg_end(b);
}

/* ---- stateful objects and the flowtable ---------------------------------- */

static void helper_msg(struct emit_nl *b, int family, const struct ir_helper *h)
{
	struct nftnl_obj *o = nftnl_obj_alloc();
	struct nlmsghdr *nlh;

	if (!o)
		xdie("out of memory");
	nftnl_obj_set_u32(o, NFTNL_OBJ_FAMILY, (uint32_t)family);
	nftnl_obj_set_str(o, NFTNL_OBJ_TABLE, KNAME_TABLE);
	nftnl_obj_set_str(o, NFTNL_OBJ_NAME, h->name);
	nftnl_obj_set_u32(o, NFTNL_OBJ_TYPE, NFT_OBJECT_CT_HELPER);
	nftnl_obj_set_str(o, NFTNL_OBJ_CT_HELPER_NAME, h->type);
	nftnl_obj_set_u16(o, NFTNL_OBJ_CT_HELPER_L3PROTO, (uint16_t)family);
	nftnl_obj_set_u8(o, NFTNL_OBJ_CT_HELPER_L4PROTO, h->l4proto);
	emit_nl_origin_add(b, OR_HELPER, family, h->name);
	msg_clear(b);
	nlh = emit_nl_msg_start(b, NFT_MSG_NEWOBJ, family, NLM_F_CREATE);
	nftnl_obj_nlmsg_build_payload(nlh, o);
	nftnl_obj_free(o);
	emit_nl_msg_end(b);
}

/* Zeros sent explicitly, as nft does for `counter NAME { }`. */
static void counter_msg(struct emit_nl *b, int family, const char *name)
{
	struct nftnl_obj *o = nftnl_obj_alloc();
	struct nlmsghdr *nlh;

	if (!o)
		xdie("out of memory");
	nftnl_obj_set_u32(o, NFTNL_OBJ_FAMILY, (uint32_t)family);
	nftnl_obj_set_str(o, NFTNL_OBJ_TABLE, KNAME_TABLE);
	nftnl_obj_set_str(o, NFTNL_OBJ_NAME, name);
	nftnl_obj_set_u32(o, NFTNL_OBJ_TYPE, NFT_OBJECT_COUNTER);
	nftnl_obj_set_u64(o, NFTNL_OBJ_CTR_PKTS, 0);
	nftnl_obj_set_u64(o, NFTNL_OBJ_CTR_BYTES, 0);
	emit_nl_origin_add(b, OR_COUNTER, family, name);
	msg_clear(b);
	nlh = emit_nl_msg_start(b, NFT_MSG_NEWOBJ, family, NLM_F_CREATE);
	nftnl_obj_nlmsg_build_payload(nlh, o);
	nftnl_obj_free(o);
	emit_nl_msg_end(b);
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
	emit_nl_origin_add(b, OR_FLOWTABLE, family, ft->name);
	msg_clear(b);
	nlh = emit_nl_msg_start(b, NFT_MSG_NEWFLOWTABLE, family, NLM_F_CREATE);
	nftnl_flowtable_nlmsg_build_payload(nlh, f);
	nftnl_flowtable_free(f);
	free(devs);
	emit_nl_msg_end(b);
}

/* ---- the table, in place or anew ----------------------------------------- */

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
	uint32_t set_id0 = b->set_id;
	size_t i;

	table_msg(b, t->family, NFT_MSG_NEWTABLE, NLM_F_CREATE, OR_TABLE, ir);
	/* nft's order: chains, stateful objects, sets with their elements,
	 * flowtables, then rules chain by chain; handles follow it. */
	for (i = 0; i < t->nchains; i++)
		chain_msg(b, t->family, t->chains[i]);
	for (i = 0; i < t->nhelpers; i++)
		helper_msg(b, t->family, &t->helpers[i]);
	for (i = 0; i < t->ncounters; i++) {
		if (have_counter(b->have ? &b->have[t->family == NFPROTO_IPV6 ? 1 : t->family == NFPROTO_BRIDGE ? 2 : 0]
					 : NULL,
				 t->counters[i]))
			b->kept++;
		else
			counter_msg(b, t->family, t->counters[i]);
	}
	b->set_id += (uint32_t)t->nsets;
	for (i = 0; i < t->nsets; i++)
		emit_nl_set_named(b, t->family, t->sets[i], set_id0 + (uint32_t)i);
	if (t->flowtable)
		flowtable_msg(b, t->family, t->flowtable, KNAME_TABLE);
	emit_nl_rules_send(b, t, set_id0);
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

	emit_nl_origin_add(b, OR_DELETE, family, name);
	msg_clear(b);
	nlh = emit_nl_msg_start(b, type, family, 0);
	switch (type) {
	case NFT_MSG_DELRULE:
		mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, KNAME_TABLE);
		break;
	case NFT_MSG_DELFLOWTABLE:
		mnl_attr_put_strz(nlh, NFTA_FLOWTABLE_TABLE, KNAME_TABLE);
		mnl_attr_put_strz(nlh, NFTA_FLOWTABLE_NAME, name);
		break;
	case NFT_MSG_DELSET:
		mnl_attr_put_strz(nlh, NFTA_SET_TABLE, KNAME_TABLE);
		mnl_attr_put_strz(nlh, NFTA_SET_NAME, name);
		break;
	case NFT_MSG_DELCHAIN:
		mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, KNAME_TABLE);
		mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, name);
		break;
	case NFT_MSG_DELOBJ:
		mnl_attr_put_strz(nlh, NFTA_OBJ_TABLE, KNAME_TABLE);
		mnl_attr_put_strz(nlh, NFTA_OBJ_NAME, name);
		mnl_attr_put_u32(nlh, NFTA_OBJ_TYPE, htonl(objtype));
		break;
	}
	emit_nl_msg_end(b);
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

static struct emit_nl *emit_nl_build_into(struct emit_nl *b, const struct ir *ir, const struct emit_nl_have have[3],
					  uint32_t seq, bool commit, FILE *rules);

struct emit_nl *emit_nl_build(const struct ir *ir, uint32_t seq, bool commit)
{
	return emit_nl_build_over(ir, NULL, seq, commit, NULL);
}

struct emit_nl *emit_nl_build_rules(const struct ir *ir, uint32_t seq)
{
	struct emit_nl *b;

	if (ir_check(ir, NULL))
		return NULL;
	b = xcalloc(1, sizeof(*b));
	b->no_elems = true;
	return emit_nl_build_into(b, ir, NULL, seq, false, NULL);
}

struct emit_nl *emit_nl_build_debug(const struct ir *ir, uint32_t seq, bool commit, FILE *rules)
{
	return emit_nl_build_over(ir, NULL, seq, commit, rules);
}

struct emit_nl *emit_nl_build_over(const struct ir *ir, const struct emit_nl_have have[3], uint32_t seq, bool commit,
				   FILE *rules)
{
	if (ir && ir_check(ir, NULL))
		return NULL;
	return emit_nl_build_into(xcalloc(1, sizeof(struct emit_nl)), ir, have, seq, commit, rules);
}

static struct emit_nl *emit_nl_build_into(struct emit_nl *b, const struct ir *ir, const struct emit_nl_have have[3],
					  uint32_t seq, bool commit, FILE *rules)
{
	int f;

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
	for (f = 0; f < 3; f++) {
		int family = f == 2 ? NFPROTO_BRIDGE : f ? NFPROTO_IPV6 : NFPROTO_IPV4;
		const struct ir_table *t = !ir ? NULL : f < 2 ? ir->tables[f] : ir->bridge;

		/* The bridge table: made where the configuration has
		 * something for it, removed by flush and by an apply over
		 * one (an earlier configuration's would go on writing port
		 * numbers into the packet mark); `compile --netlink` of a
		 * configuration without it sends what the text does. */
		if (f == 2 && !t && ir && (!have || !have[2].table))
			break;
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

/* ---- an incremental batch (emit_nl_incr.c fills it) ----------------------- */

struct emit_nl *emit_nl_incr_new(uint32_t seq)
{
	struct emit_nl *b = xcalloc(1, sizeof(*b));

	b->batch = nftnl_batch_alloc((uint32_t)NL_PAGE, (uint32_t)NL_MSG_MAX);
	if (!b->batch)
		xdie("out of memory");
	b->seq0 = b->seq = seq;
	nftnl_batch_begin(nftnl_batch_buffer(b->batch), b->seq++);
	if (nftnl_batch_update(b->batch) < 0)
		xdie("out of memory");
	return b;
}

void emit_nl_incr_counter(struct emit_nl *b, int family, const char *name, bool add)
{
	if (add)
		counter_msg(b, family, name);
	else
		del_msg(b, family, NFT_MSG_DELOBJ, name, NFT_OBJECT_COUNTER);
}

void emit_nl_incr_end(struct emit_nl *b)
{
	ack_last(b);
	nftnl_batch_end(nftnl_batch_buffer(b->batch), b->seq++);
	if (nftnl_batch_update(b->batch) < 0)
		xdie("out of memory");
}

/*
 * A check-only batch that makes a table of its own, "rosfw-probe": what
 * the kernel says of what is added to it tells whether it can hold it
 * (a device may sit in one flowtable per table, and rosfw's may already
 * hold these), and nothing is committed.
 */
static struct emit_nl *probe_begin(int family, uint32_t seq)
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
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, (uint32_t)family);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, "rosfw-probe");
	nftnl_table_set_u32(t, NFTNL_TABLE_FLAGS, 0);
	emit_nl_origin_add(b, OR_TABLE, family, NULL);
	nlh = emit_nl_msg_start(b, NFT_MSG_NEWTABLE, family, NLM_F_CREATE);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	emit_nl_msg_end(b);
	return b;
}

struct emit_nl *emit_nl_flowtable_probe(int family, const struct ir_flowtable *ft, uint32_t seq)
{
	struct emit_nl *b = probe_begin(family, seq);

	flowtable_msg(b, family, ft, "rosfw-probe");
	ack_last(b);
	return b;
}

struct emit_nl *emit_nl_queue_probe(int family, uint32_t seq)
{
	struct emit_nl *b = probe_begin(family, seq);
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_expr *e = nftnl_expr_alloc("queue");
	struct nlmsghdr *nlh;

	if (!c || !r || !e)
		xdie("out of memory");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, (uint32_t)family);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, "rosfw-probe");
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, "probe");
	emit_nl_origin_add(b, OR_CHAIN, family, "probe");
	nlh = emit_nl_msg_start(b, NFT_MSG_NEWCHAIN, family, NLM_F_CREATE);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	emit_nl_msg_end(b);
	nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_NUM, 0);
	nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_TOTAL, 1);
	nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_FLAGS, NFT_QUEUE_FLAG_BYPASS);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, (uint32_t)family);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, "rosfw-probe");
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, "probe");
	nftnl_rule_add_expr(r, e);
	emit_nl_origin_add(b, OR_RULE, family, "probe");
	nlh = emit_nl_msg_start(b, NFT_MSG_NEWRULE, family, NLM_F_CREATE | NLM_F_APPEND);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	emit_nl_msg_end(b);
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

void emit_nl_each(struct emit_nl *b, void (*fn)(struct nlmsghdr *nlh, void *ctx), void *ctx)
{
	size_t niov = emit_nl_iovec_count(b), i;
	struct iovec *iov = xcalloc(niov ? niov : 1, sizeof(*iov));

	emit_nl_iovec(b, iov, niov);
	for (i = 0; i < niov; i++) {
		struct nlmsghdr *nlh = iov[i].iov_base;
		int left = (int)iov[i].iov_len;

		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
			if ((nlh->nlmsg_type >> 8) == NFNL_SUBSYS_NFTABLES)
				fn(nlh, ctx);
	}
	free(iov);
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
	const struct ir_table *t = !ir || !o->family ? NULL :
				   o->family == NFPROTO_BRIDGE ? ir->bridge : ir->tables[o->family == NFPROTO_IPV6];
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
