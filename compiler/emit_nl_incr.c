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
 * goes into one fingerprint per family (`rest`): when it differs, only a
 * full apply can say the change. Named sets are taken from the IR before
 * a re-apply's dynamic entries join them (emit_nl_sets_scan), each as the
 * fingerprint of its definition and one per element (a range's start and
 * end together, as deleting it takes both): a set whose definition stayed
 * gets the elements it lost deleted by key and those it gained copied
 * from that batch, so a 1M-entry list with one entry changed is two
 * elements sent.
 */
#include "emit_nl_impl.h"

#include <arpa/inet.h>
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

static int fam_index(int family)
{
	return family == NFPROTO_IPV6 ? 1 : family == NFPROTO_BRIDGE ? 2 : 0;
}

static int fam_proto(int f)
{
	return f == 1 ? NFPROTO_IPV6 : f == 2 ? NFPROTO_BRIDGE : NFPROTO_IPV4;
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
	s->rest[0] = s->rest[1] = s->rest[2] = TEXT_FNV64;
	emit_nl_each(b, scan_msg, &sm);
	k = sm.k;
	s->msg = msg;
	s->nmsg = k;
	for (i = 0; i < k; i++) {
		const struct origin *o = &b->orig[i];
		int f = fam_index(o->family);

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

/* ---- named sets, element by element ---------------------------------------- */

/* A unit being gathered: its nests, in batch order. */
struct raw_unit {
	const struct nlattr *nest[2];
	bool end;	/* nest[0] is an interval's end */
};

struct sets_walk {
	struct emit_nl_sets *s;
	bool interval;
	struct raw_unit *u;
	size_t n, cap;
};

/* As h_attr: a value without its padding, nests attribute by attribute. */
static uint64_t h_attr_words(uint64_t h, const struct nlattr *a)
{
	const struct nlattr *c;

	if (!(a->nla_type & NLA_F_NESTED))
		return text_hash_words(h, a, a->nla_len);
	h = text_hash_words(h, &a->nla_type, sizeof(a->nla_type));
	mnl_attr_for_each_nested(c, a)
		h = h_attr_words(h, c);
	return h;
}

/* An element's attributes, not its nest's header: its index in the
 * message moves with the elements before it. */
static uint64_t h_elem(uint64_t h, const struct nlattr *nest)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
		h = h_attr_words(h, a);
	return h;
}

static bool elem_is_end(const struct nlattr *nest)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == NFTA_SET_ELEM_FLAGS &&
		    (ntohl(mnl_attr_get_u32(a)) & NFT_SET_ELEM_INTERVAL_END))
			return true;
	return false;
}

/* The key (`key` of klen bytes, zero-padded) and whether it has a timeout. */
static bool elem_key(const struct nlattr *nest, uint8_t *key, uint32_t klen)
{
	const struct nlattr *a, *v;
	bool timed = false;

	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) == NFTA_SET_ELEM_TIMEOUT)
			timed = true;
		if (mnl_attr_get_type(a) != NFTA_SET_ELEM_KEY)
			continue;
		mnl_attr_for_each_nested(v, a)
			if (mnl_attr_get_type(v) == NFTA_DATA_VALUE) {
				uint16_t len = mnl_attr_get_payload_len(v);

				memcpy(key, mnl_attr_get_payload(v), len < klen ? len : klen);
			}
	}
	return timed;
}

/* Sorted by fingerprint: (fp, index) pairs, 16 bits a pass, least
 * significant first (a million units in a few passes over 16 MB, where
 * qsort of the units took half a second). */
struct fpi {
	uint64_t fp;
	size_t i;
};

static void fpi_sort(struct fpi *v, size_t n)
{
	struct fpi *tmp = xmalloc((n + 1) * sizeof(*tmp)), *from = v, *to = tmp, *t;
	size_t *count = xcalloc(1u << 16, sizeof(*count)), i, sum;
	int shift;

	for (shift = 0; shift < 64; shift += 16) {
		memset(count, 0, (1u << 16) * sizeof(*count));
		for (i = 0; i < n; i++)
			count[(from[i].fp >> shift) & 0xffff]++;
		for (sum = 0, i = 0; i < 1u << 16; i++) {
			size_t c = count[i];

			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			to[count[(from[i].fp >> shift) & 0xffff]++] = from[i];
		t = from;
		from = to;
		to = t;
	}
	/* four passes: the result is back in v */
	free(tmp);
	free(count);
}

/* The set's gathered units, sorted, into its arrays: fingerprints and
 * delete bytes taken in batch order (the batch read once, in order),
 * then put in fingerprint order. */
static void set_close(struct sets_walk *w)
{
	struct emit_nl_setfp *f;
	struct fpi *order;
	uint8_t *del;
	size_t i;

	if (!w->s->n)
		return;
	f = &w->s->v[w->s->n - 1];
	/* every byte of these is written below: no calloc's clearing */
	order = xmalloc((w->n + 1) * sizeof(*order));
	del = xcalloc(w->n + 1, f->stride);
	for (i = 0; i < w->n; i++) {
		const struct raw_unit *u = &w->u[i];
		uint8_t *d = del + i * f->stride;
		uint64_t h = h_elem(TEXT_FNV64, u->nest[0]);

		if (u->nest[1])
			h = h_elem(text_hash_words(h, "-", 1), u->nest[1]);
		/* murmur3's finish: every bit of the key in every bit */
		h ^= h >> 33;
		h *= 0xff51afd7ed558ccdull;
		h ^= h >> 33;
		order[i] = (struct fpi){ h, i };
		if (u->end) {
			d[0] = EMIT_NL_DEL_END;
			d[0] |= elem_key(u->nest[0], d + 1 + f->klen, f->klen) ? EMIT_NL_DEL_TIMED : 0;
			continue;
		}
		d[0] = EMIT_NL_DEL_START;
		d[0] |= elem_key(u->nest[0], d + 1, f->klen) ? EMIT_NL_DEL_TIMED : 0;
		if (u->nest[1]) {
			d[0] |= EMIT_NL_DEL_END;
			elem_key(u->nest[1], d + 1 + f->klen, f->klen);
		}
	}
	fpi_sort(order, w->n);
	f->fp = xmalloc((w->n + 1) * sizeof(*f->fp));
	f->del = xmalloc((w->n + 1) * f->stride);
	f->nest = xmalloc((2 * w->n + 1) * sizeof(*f->nest));
	for (i = 0; i < w->n; i++) {
		const struct raw_unit *u = &w->u[order[i].i];
		size_t k = f->n;

		/* an entry twice is one element: once here, or the plan
		 * would delete the one a configuration still has */
		if (k && f->fp[k - 1] == order[i].fp)
			continue;
		f->fp[k] = order[i].fp;
		memcpy(f->del + k * f->stride, del + order[i].i * f->stride, f->stride);
		f->nest[2 * k] = u->nest[0];
		f->nest[2 * k + 1] = u->nest[1];
		f->n++;
	}
	free(order);
	free(del);
	w->n = 0;
}

static void sets_msg(struct nlmsghdr *nlh, void *ctx)
{
	struct sets_walk *w = ctx;
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);
	uint8_t type = nlh->nlmsg_type & 0xff;
	const struct nlattr *a, *e;

	if (type == NFT_MSG_NEWSET) {
		struct emit_nl_setfp *f;
		uint64_t unused = 0;
		uint32_t flags = 0;

		set_close(w);
		w->s->v = xreallocarray(w->s->v, w->s->n + 1, sizeof(*w->s->v));
		f = &w->s->v[w->s->n++];
		memset(f, 0, sizeof(*f));
		f->family = fam_index(g->nfgen_family);
		f->def = h_msg(TEXT_FNV64, nlh, &unused);
		mnl_attr_for_each(a, nlh, sizeof(*g)) {
			if (mnl_attr_get_type(a) == NFTA_SET_NAME)
				f->name = mnl_attr_get_str(a);
			else if (mnl_attr_get_type(a) == NFTA_SET_KEY_LEN)
				f->klen = ntohl(mnl_attr_get_u32(a));
			else if (mnl_attr_get_type(a) == NFTA_SET_FLAGS)
				flags = ntohl(mnl_attr_get_u32(a));
		}
		w->interval = flags & NFT_SET_INTERVAL;
		f->stride = 1 + f->klen * (w->interval ? 2 : 1);
		return;
	}
	if (type != NFT_MSG_NEWSETELEM || !w->s->n)
		return;
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		if (mnl_attr_get_type(a) != NFTA_SET_ELEM_LIST_ELEMENTS)
			continue;
		mnl_attr_for_each_nested(e, a) {
			struct raw_unit *last = w->n ? &w->u[w->n - 1] : NULL;
			bool end = w->interval && elem_is_end(e);

			/* an interval's end joins the start before it */
			if (end && last && !last->nest[1] && !last->end) {
				last->nest[1] = e;
				continue;
			}
			if (w->n == w->cap) {
				w->cap = w->cap ? w->cap * 2 : 1024;
				w->u = xreallocarray(w->u, w->cap, sizeof(*w->u));
			}
			w->u[w->n++] = (struct raw_unit){ { e, NULL }, end };
		}
	}
}

void emit_nl_sets_scan(const struct ir *ir, struct emit_nl_sets *s)
{
	struct sets_walk w = { .s = s };
	uint32_t id = 1;
	size_t i;
	int f;

	memset(s, 0, sizeof(*s));
	s->b = emit_nl_incr_new(1);
	for (f = 0; f < 3 && ir; f++) {
		const struct ir_table *t = f < 2 ? ir->tables[f] : ir->bridge;

		for (i = 0; t && i < t->nsets; i++)
			emit_nl_set_named(s->b, t->family, t->sets[i], id++);
	}
	emit_nl_each(s->b, sets_msg, &w);
	set_close(&w);
	free(w.u);
}

void emit_nl_sets_drop_batch(struct emit_nl_sets *s)
{
	size_t i;

	if (!s->b)
		return;
	/* the names live in the batch */
	for (i = 0; i < s->n; i++) {
		s->v[i].name = xstrdup(s->v[i].name);
		free(s->v[i].nest);
		s->v[i].nest = NULL;
	}
	emit_nl_free(s->b);
	s->b = NULL;
}

void emit_nl_sets_free(struct emit_nl_sets *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (!s->b)
			free((char *)s->v[i].name);
		free(s->v[i].fp);
		free(s->v[i].del);
		free(s->v[i].nest);
	}
	free(s->v);
	if (s->b)
		emit_nl_free(s->b);
	memset(s, 0, sizeof(*s));
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

/* ---- elements added and deleted ------------------------------------------- */

/* NEWSETELEM or DELSETELEM messages of one set, elements put one by one:
 * the list attribute's length has 16 bits, so a message that would pass
 * it ends before the element and the next one takes it. */
struct elmsg {
	struct emit_nl *b;
	uint16_t type;
	int family;
	const char *set;
	struct nlmsghdr *nlh;
	struct nlattr *list;
	int k;
};

static void elmsg_close(struct elmsg *m)
{
	if (!m->nlh)
		return;
	mnl_attr_nest_end(m->nlh, m->list);
	emit_nl_msg_end(m->b);
	m->nlh = NULL;
}

static void elmsg_open(struct elmsg *m)
{
	emit_nl_origin_add(m->b, OR_ELEMS, m->family, m->set);
	/* An element there already (a DNS answer, what a rule added) would
	 * make the commit change nothing, and the kernel would keep its
	 * generation while the record moves on: refused instead (EXCL),
	 * the full path goes. */
	m->nlh = emit_nl_msg_start(m->b, m->type, m->family,
				   m->type == NFT_MSG_NEWSETELEM ? NLM_F_CREATE | NLM_F_EXCL : 0);
	mnl_attr_put_strz(m->nlh, NFTA_SET_ELEM_LIST_TABLE, KNAME_TABLE);
	mnl_attr_put_strz(m->nlh, NFTA_SET_ELEM_LIST_SET, m->set);
	m->list = mnl_attr_nest_start(m->nlh, NFTA_SET_ELEM_LIST_ELEMENTS);
	m->k = 0;
}

/* One element: a copy of `nest`'s attributes, or a key (with the end flag). */
static void elmsg_put(struct elmsg *m, const struct nlattr *nest, const uint8_t *key, uint32_t klen, bool end)
{
	for (;;) {
		uint32_t before;
		struct nlattr *e;

		if (!m->nlh)
			elmsg_open(m);
		before = m->nlh->nlmsg_len;
		e = mnl_attr_nest_start(m->nlh, (uint16_t)++m->k);
		if (nest) {
			uint16_t len = (uint16_t)mnl_attr_get_payload_len(nest);

			memcpy(mnl_nlmsg_get_payload_tail(m->nlh), mnl_attr_get_payload(nest), len);
			m->nlh->nlmsg_len += MNL_ALIGN(len);
		} else {
			struct nlattr *k = mnl_attr_nest_start(m->nlh, NFTA_SET_ELEM_KEY);

			mnl_attr_put(m->nlh, NFTA_DATA_VALUE, klen, key);
			mnl_attr_nest_end(m->nlh, k);
			if (end)
				mnl_attr_put_u32(m->nlh, NFTA_SET_ELEM_FLAGS, htonl(NFT_SET_ELEM_INTERVAL_END));
		}
		mnl_attr_nest_end(m->nlh, e);
		if (m->nlh->nlmsg_len - (uint32_t)((char *)m->list - (char *)m->nlh) <= UINT16_MAX || m->k == 1)
			return;
		m->nlh->nlmsg_len = before;
		elmsg_close(m);
	}
}

void emit_nl_incr_addelems(struct emit_nl *b, const struct emit_nl_setfp *set, const size_t *u, size_t n)
{
	struct elmsg m = { b, NFT_MSG_NEWSETELEM, fam_proto(set->family), set->name, NULL, NULL, 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		elmsg_put(&m, set->nest[2 * u[i]], NULL, 0, false);
		if (set->nest[2 * u[i] + 1])
			elmsg_put(&m, set->nest[2 * u[i] + 1], NULL, 0, false);
	}
	elmsg_close(&m);
}

void emit_nl_incr_delelems(struct emit_nl *b, int family, const char *name, uint32_t klen,
			   const uint8_t *const *del, size_t n)
{
	struct elmsg m = { b, NFT_MSG_DELSETELEM, fam_proto(family), name, NULL, NULL, 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		if (del[i][0] & EMIT_NL_DEL_START)
			elmsg_put(&m, NULL, del[i] + 1, klen, false);
		if (del[i][0] & EMIT_NL_DEL_END)
			elmsg_put(&m, NULL, del[i] + 1 + klen, klen, true);
	}
	elmsg_close(&m);
}
