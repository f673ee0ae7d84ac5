/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A rule as nft's evaluation leaves it, then its NEWRULE message: the
 * protocol matches a header field needs (`meta l4proto`, `meta iiftype`)
 * added where the rule has not said them, adjacent payload compares
 * merged as nft 1.0.6 merges them, each item's expressions generated
 * (emit_nl_expr.c), and the byte offset of each expression in the message
 * kept, so a kernel error pointing at one names the RouterOS statement.
 */
#include "emit_nl_impl.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

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
			/* The bridge family has only Ethernet frames. */
			if ((keys[j] == K_ETHER_SADDR || keys[j] == K_ETHER_DADDR) && !ll && rb->family != NFPROTO_BRIDGE) {
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

	if (it->stmt < 0 || rb->r->stmts[it->stmt].kind != S_MATCH)
		return false;
	m = &rb->r->stmts[it->stmt].u.m;
	if ((m->op != OP_EQ && m->op != OP_NE) || m->masked || !emit_nl_key_bytes(m->key, &it->mbase, &it->moff, &it->mlen))
		return false;
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

/* ---- the rule message ---------------------------------------------------- */

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
			emit_nl_item_gen(rb, &rb->it[i]);

	o = emit_nl_origin_add(b, OR_RULE, rb->family, c->name);
	o->rule = rb->r;
	o->expr0 = b->nex;
	o->nexpr = rb->nex;
	nlh = emit_nl_msg_start(b, NFT_MSG_NEWRULE, rb->family, NLM_F_CREATE | NLM_F_APPEND);
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, KNAME_TABLE);
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
		struct nftnl_udata_buf *u = emit_nl_udata_new();

		nftnl_udata_put_strz(u, NFTNL_UDATA_RULE_COMMENT, rb->r->comment);
		nftnl_rule_set_data(nr, NFTNL_RULE_USERDATA, nftnl_udata_buf_data(u), nftnl_udata_buf_len(u));
		nftnl_udata_buf_free(u);
	}
	nftnl_rule_nlmsg_build_payload(nlh, nr);
	if (b->debug) {
		/* What nft --debug=netlink prints of the rule it sends. */
		nftnl_rule_set_str(nr, NFTNL_RULE_TABLE, KNAME_TABLE);
		nftnl_rule_set_str(nr, NFTNL_RULE_CHAIN, c->name);
		nftnl_rule_fprintf(b->debug, nr, NFTNL_OUTPUT_DEFAULT, 0);
		fputc('\n', b->debug);
	}
	nftnl_rule_free(nr);
	emit_nl_msg_end(b);
}

void emit_nl_rules_send(struct emit_nl *b, const struct ir_table *t, uint32_t set_id0)
{
	struct rb rb = { .b = b, .family = t->family, .t = t, .set_id0 = set_id0 };
	size_t i, j;

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
