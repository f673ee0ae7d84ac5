/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small change as a small transaction (runtime/incr.h decides when):
 * the fingerprints of a whole batch's rules, and a batch that deletes
 * rules by handle and adds others where they belong, copied from the
 * whole batch so that they are the very messages a full apply sends.
 *
 * A rule's fingerprint covers its NEWRULE message and the anonymous sets
 * it brings, but not the set ids: those number the batch's sets in
 * order, so one rule with a list added would change every later rule's.
 * Everything else but the table, counter objects, named sets and rules
 * goes into one fingerprint per family (`rest`), named sets into another,
 * made from the IR before a re-apply's dynamic entries join them
 * (emit_nl_sets_fp): when either differs, only a full apply can say the
 * change.
 */
#include "emit_nl_impl.h"

#include <endian.h>
#include <libmnl/libmnl.h>
#include <libnftnl/batch.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xalloc.h"

static bool is_family6(int family)
{
	return family == NFPROTO_IPV6;
}

/* Attribute `type` of expression `name` is a set id. */
static bool expr_set_id(const char *name, uint16_t type)
{
	return (!strcmp(name, "lookup") && type == NFTA_LOOKUP_SET_ID) ||
	       (!strcmp(name, "dynset") && type == NFTA_DYNSET_SET_ID) ||
	       (!strcmp(name, "objref") && type == NFTA_OBJREF_SET_ID);
}

/* An attribute, nests attribute by attribute: libmnl leaves the padding
 * of a value as the buffer had it, and a nest's length covers it. */
static uint64_t h_attr(uint64_t h, const struct nlattr *a)
{
	const struct nlattr *c;

	if (!(a->nla_type & NLA_F_NESTED))
		return text_fnv64(h, a, a->nla_len);
	h = text_fnv64(h, &a->nla_type, sizeof(a->nla_type));
	mnl_attr_for_each_nested(c, a)
		h = h_attr(h, c);
	return h;
}

/* One expression: its name, then its data but the set ids. */
static uint64_t h_expr(uint64_t h, const struct nlattr *elem)
{
	const struct nlattr *a, *data = NULL;
	const char *name = "";

	mnl_attr_for_each_nested(a, elem) {
		if (mnl_attr_get_type(a) == NFTA_EXPR_NAME)
			name = mnl_attr_get_str(a);
		else if (mnl_attr_get_type(a) == NFTA_EXPR_DATA)
			data = a;
	}
	h = text_fnv64(h, name, strlen(name) + 1);
	if (!data)
		return h;
	mnl_attr_for_each_nested(a, data)
		if (!expr_set_id(name, mnl_attr_get_type(a)))
			h = h_attr(h, a);
	return h;
}

/* A message's type, family and attributes, set ids left out; a rule's
 * user data (its comment) into *udata, apart: a rule whose comment alone
 * changed is the same rule, its comment replaced in place. */
static uint64_t h_msg(uint64_t h, const struct nlmsghdr *nlh, uint64_t *udata)
{
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);
	uint16_t type = nlh->nlmsg_type & 0xff;
	const struct nlattr *a;

	h = text_fnv64(h, &type, sizeof(type));
	h = text_fnv64(h, &g->nfgen_family, 1);
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		uint16_t at = mnl_attr_get_type(a);

		if (type == NFT_MSG_NEWRULE && at == NFTA_RULE_USERDATA) {
			*udata = h_attr(*udata, a);
		} else if (type == NFT_MSG_NEWRULE && at == NFTA_RULE_EXPRESSIONS) {
			const struct nlattr *e;

			mnl_attr_for_each_nested(e, a)
				h = h_expr(h, e);
		} else if (!(type == NFT_MSG_NEWSET && at == NFTA_SET_ID) &&
			   !(type == NFT_MSG_NEWSETELEM && at == NFTA_SET_ELEM_LIST_SET_ID)) {
			h = h_attr(h, a);
		}
	}
	return h;
}

uint64_t emit_nl_text_counter(uint64_t udata, const char *counter, size_t len)
{
	return counter ? text_fnv64(text_fnv64(udata, "c", 1), counter, len) : udata;
}

/* The counter object a rule names directly (not a merged run's map). */
static const char *rule_counter(const struct ir_rule *r)
{
	size_t i;

	for (i = 0; r && i < r->n; i++)
		if (r->stmts[i].kind == S_COUNTER && !r->stmts[i].u.obj.map && r->stmts[i].u.obj.name)
			return r->stmts[i].u.obj.name;
	return NULL;
}

static uint64_t with_counter(uint64_t udata, const struct ir_rule *r)
{
	const char *c = rule_counter(r);

	return emit_nl_text_counter(udata, c, c ? strlen(c) : 0);
}

/* The batch's messages, one per origin, in order. */
struct scan_msgs {
	const struct emit_nl *b;
	const struct nlmsghdr **msg;
	size_t k;
};

static void scan_msg(struct nlmsghdr *nlh, void *ctx)
{
	struct scan_msgs *m = ctx;

	if (m->k < m->b->norig && nlh->nlmsg_seq == m->b->orig[m->k].seq)
		m->msg[m->k++] = nlh;
}

void emit_nl_scan(struct emit_nl *b, struct emit_nl_scan *s)
{
	size_t i, k, cap = 0;
	struct scan_msgs sm = { b, xcalloc(b->norig + 1, sizeof(*sm.msg)), 0 };
	const struct nlmsghdr **msg = sm.msg;
	size_t open = SIZE_MAX;		/* first message of the rule being gathered */

	memset(s, 0, sizeof(*s));
	s->rest[0] = s->rest[1] = TEXT_FNV64;
	emit_nl_each(b, scan_msg, &sm);
	k = sm.k;
	s->msg = msg;
	s->nmsg = k;
	for (i = 0; i < k; i++) {
		const struct origin *o = &b->orig[i];
		int f = is_family6(o->family);

		if (o->rule && o->kind != OR_RULE) {
			if (open == SIZE_MAX)
				open = i;	/* an anonymous set before its rule */
			continue;
		}
		if (o->kind == OR_RULE) {
			struct emit_nl_rulefp *r;
			uint64_t h = TEXT_FNV64, u = TEXT_FNV64;
			size_t j, first = open == SIZE_MAX ? i : open;

			if (s->nrules == cap) {
				cap = cap ? cap * 2 : 1024;
				s->rules = xreallocarray(s->rules, cap, sizeof(*s->rules));
			}
			for (j = first; j <= i; j++)
				h = h_msg(h, msg[j], &u);
			r = &s->rules[s->nrules++];
			r->fp = h;
			r->text = with_counter(u, o->rule);
			r->family = f;
			r->chain = o->name;
			r->rule = o->rule;
			r->first = first;
			r->n = i + 1 - first;
			open = SIZE_MAX;
			continue;
		}
		if (o->kind == OR_TABLE || o->kind == OR_TABLE_CREATE || o->kind == OR_TABLE_DELETE ||
		    o->kind == OR_COUNTER || o->kind == OR_DELETE || o->kind == OR_SET || o->kind == OR_ELEMS)
			continue;
		s->rest[f] = h_msg(s->rest[f], msg[i], &s->rest[f]);
	}
}

static void sets_fp_msg(struct nlmsghdr *nlh, void *ctx)
{
	uint64_t *fp = ctx;
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);
	int f = is_family6(g->nfgen_family);

	fp[f] = h_msg(fp[f], nlh, &fp[f]);
}

void emit_nl_sets_fp(const struct ir *ir, uint64_t fp[2])
{
	struct emit_nl *b = emit_nl_incr_new(1);
	size_t i;
	int f;

	fp[0] = fp[1] = TEXT_FNV64;
	for (f = 0; f < 2; f++) {
		const struct ir_table *t = ir ? ir->tables[f] : NULL;

		for (i = 0; t && i < t->nsets; i++)
			emit_nl_set_named(b, t->family, t->sets[i], 1 + (uint32_t)i);
	}
	emit_nl_each(b, sets_fp_msg, fp);
	emit_nl_free(b);
}

uint64_t emit_nl_rule_text(const struct ir_rule *r)
{
	struct nftnl_udata_buf *u;
	struct nlattr a;
	uint64_t h;

	if (!r->comment)
		return with_counter(TEXT_FNV64, r);
	/* the attribute rule_send's nftnl_rule_nlmsg_build_payload puts */
	u = emit_nl_udata_new();
	nftnl_udata_put_strz(u, NFTNL_UDATA_RULE_COMMENT, r->comment);
	a.nla_len = (uint16_t)(sizeof(a) + nftnl_udata_buf_len(u));
	a.nla_type = NFTA_RULE_USERDATA;
	h = text_fnv64(TEXT_FNV64, &a, sizeof(a));
	h = text_fnv64(h, nftnl_udata_buf_data(u), nftnl_udata_buf_len(u));
	nftnl_udata_buf_free(u);
	return with_counter(h, r);
}

void emit_nl_scan_free(struct emit_nl_scan *s)
{
	free(s->rules);
	free(s->msg);
	memset(s, 0, sizeof(*s));
}

/* ---- the incremental batch ------------------------------------------------ */

void emit_nl_incr_delrule(struct emit_nl *b, int family, const char *chain, uint64_t handle)
{
	struct nlmsghdr *nlh;

	emit_nl_origin_add(b, OR_DELETE, family, chain);
	nlh = emit_nl_msg_start(b, NFT_MSG_DELRULE, family, 0);
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, KNAME_TABLE);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	mnl_attr_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(handle));
	emit_nl_msg_end(b);
}

uint32_t emit_nl_incr_rule(struct emit_nl *b, struct emit_nl *src, const struct emit_nl_scan *s, size_t i,
			   uint64_t after, uint64_t replace)
{
	const struct emit_nl_rulefp *r = &s->rules[i];
	uint32_t seq = 0;
	size_t j;

	for (j = r->first; j < r->first + r->n; j++) {
		const struct nlmsghdr *from = s->msg[j];
		const struct origin *so = &src->orig[j];
		struct nlmsghdr *nlh = (struct nlmsghdr *)nftnl_batch_buffer(b->batch);
		struct origin *o = emit_nl_origin_add(b, (enum origin_kind)so->kind, so->family, so->name);

		o->rule = so->rule;
		memcpy(nlh, from, from->nlmsg_len);
		nlh->nlmsg_seq = b->seq;
		nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
		if ((nlh->nlmsg_type & 0xff) == NFT_MSG_NEWRULE) {
			/* After the kept rule before it, or first in its
			 * chain; the kernel says the handle it gives. */
			if (replace) {
				/* the same rule, its comment new: its
				 * handle and place stay */
				nlh->nlmsg_flags &= (uint16_t)~(NLM_F_APPEND | NLM_F_CREATE);
				nlh->nlmsg_flags |= NLM_F_REPLACE;
				mnl_attr_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(replace));
			} else if (after) {
				nlh->nlmsg_flags |= NLM_F_APPEND;
				mnl_attr_put_u64(nlh, NFTA_RULE_POSITION, htobe64(after));
			} else {
				nlh->nlmsg_flags &= (uint16_t)~NLM_F_APPEND;
			}
			if (!replace)
				nlh->nlmsg_flags |= NLM_F_ECHO;
			seq = b->seq;
		}
		b->last = nlh;
		emit_nl_msg_end(b);
	}
	return seq;
}
