/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sets and their elements as nft sends them: a named set of the IR with
 * the key type, flags and user data nft declares (emit_text's `set` with
 * its comment), an anonymous set or map of a rule; interval sets as start
 * and end elements (the end one past the range, an end at 0 before a
 * first range that starts above it), nft's auto-merge for anonymous ones.
 * Elements stream into NEWSETELEM messages of at most 64 KB of elements
 * each, so a million-entry list is never held twice.
 */
#include "emit_nl_impl.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <libnftnl/set.h>
#include <linux/netfilter/nf_tables.h>
#include <stdlib.h>
#include <string.h>

#include "lower_impl.h"
#include "xalloc.h"

/* nft's user data buffers hold this much. */
#define UDATA_MAX 256

/* One element as sent: a key (or, in an interval set, the start or the end
 * of a range), map data, timeout, flags. */
struct xelem {
	struct ir_data key;
	struct xdata data;
	uint64_t timeout_ms;
	bool end, open;
	bool configured;	/* the configuration's static own, in a set of entries that come and go */
	const char *comment;	/* an entry kept by a re-apply keeps its own */
	const char *obj;	/* an object map's: the counter object */
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

struct nftnl_udata_buf *emit_nl_udata_new(void)
{
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(UDATA_MAX);

	if (!u)
		xdie("out of memory");
	return u;
}

static void elem_put(struct nlmsghdr *nlh, const struct xelem *x, int i)
{
	struct nftnl_set_elem *e;
	struct nlattr *nest;

	/* A bare key (a list's address or range), the most of a million
	 * entries: written as libnftnl writes it (flags, then the key), not
	 * through an allocated element each. */
	if (!x->timeout_ms && !x->open && !x->comment && !x->configured && (x->end || (!x->data.len && !x->obj))) {
		struct nlattr *k;

		nest = mnl_attr_nest_start(nlh, (uint16_t)i);
		if (x->end)
			mnl_attr_put_u32(nlh, NFTA_SET_ELEM_FLAGS, htonl(NFT_SET_ELEM_INTERVAL_END));
		k = mnl_attr_nest_start(nlh, NFTA_SET_ELEM_KEY);
		mnl_attr_put(nlh, NFTA_DATA_VALUE, x->key.len, x->key.b);
		mnl_attr_nest_end(nlh, k);
		mnl_attr_nest_end(nlh, nest);
		return;
	}
	if (!(e = nftnl_set_elem_alloc()))
		xdie("out of memory");
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, x->key.b, x->key.len);
	if (x->timeout_ms)
		nftnl_set_elem_set_u64(e, NFTNL_SET_ELEM_TIMEOUT, x->timeout_ms);
	if (x->open || x->comment || x->configured) {
		struct nftnl_udata_buf *u = emit_nl_udata_new();

		if (x->comment)
			nftnl_udata_put_strz(u, NFTNL_UDATA_SET_ELEM_COMMENT, x->comment);
		if (x->open)
			nftnl_udata_put_u32(u, NFTNL_UDATA_SET_ELEM_FLAGS, NFTNL_SET_ELEM_F_INTERVAL_OPEN);
		if (x->configured)
			nftnl_udata_put(u, IR_ELEM_UDATA_CONFIGURED, 0, NULL);
		nftnl_set_elem_set(e, NFTNL_SET_ELEM_USERDATA, nftnl_udata_buf_data(u), nftnl_udata_buf_len(u));
		nftnl_udata_buf_free(u);
	}
	if (x->data.len && !x->end)
		nftnl_set_elem_set(e, NFTNL_SET_ELEM_DATA, x->data.b, x->data.len);
	if (x->obj && !x->end)
		nftnl_set_elem_set_str(e, NFTNL_SET_ELEM_OBJREF, x->obj);
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
	emit_nl_msg_end(k->b);
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
			emit_nl_origin_add(k->b, OR_ELEMS, k->family, k->oname)->rule = k->rule;
			k->nlh = emit_nl_msg_start(k->b, NFT_MSG_NEWSETELEM, k->family, NLM_F_CREATE);
			mnl_attr_put_strz(k->nlh, NFTA_SET_ELEM_LIST_TABLE, KNAME_TABLE);
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
	e.configured = r->configured;
	e.comment = r->comment;
	e.obj = r->obj;
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
	nftnl_set_set_str(s, NFTNL_SET_TABLE, KNAME_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, sd->name);
	nftnl_set_set_u32(s, NFTNL_SET_ID, sd->id);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, sd->flags);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, sd->key_type);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, sd->key_len);
	if (sd->flags & NFT_SET_MAP) {
		nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, sd->data_type);
		nftnl_set_set_u32(s, NFTNL_SET_DATA_LEN, sd->data_len);
	}
	if (sd->flags & NFT_SET_OBJECT)
		nftnl_set_set_u32(s, NFTNL_SET_OBJ_TYPE, sd->obj_type);
	if (sd->timeout_ms)
		nftnl_set_set_u64(s, NFTNL_SET_TIMEOUT, sd->timeout_ms);
	if (sd->size)
		nftnl_set_set_u32(s, NFTNL_SET_DESC_SIZE, sd->size);
	nftnl_set_set_data(s, NFTNL_SET_USERDATA, nftnl_udata_buf_data(sd->udata), nftnl_udata_buf_len(sd->udata));
	emit_nl_origin_add(b, OR_SET, family, oname)->rule = rule;
	nlh = emit_nl_msg_start(b, NFT_MSG_NEWSET, family, NLM_F_CREATE);
	nftnl_set_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	emit_nl_msg_end(b);
}

void emit_nl_set_anon(struct emit_nl *b, int family, struct setdef *sd, const struct ir_rule *rule,
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

void emit_nl_set_named(struct emit_nl *b, int family, const struct ir_set *s, uint32_t id)
{
	struct setdef sd = { .name = s->name, .id = id, .timeout_ms = s->timeout_ms, .size = s->size };
	struct elsink k = { .b = b, .family = family, .sd = &sd, .oname = s->name };
	/* Entries come and go here: the configuration's static ones are
	 * marked. One with a timeout is dynamic once added, on RouterOS too:
	 * it lives out its time whatever the next configuration says. */
	bool changing = s->flags & (SETF_DYNAMIC | SETF_TIMEOUT);
	size_t i;

	if (s->flags & SETF_CONSTANT)
		sd.flags |= NFT_SET_CONSTANT;
	if (s->flags & SETF_INTERVAL)
		sd.flags |= NFT_SET_INTERVAL;
	if (s->flags & SETF_TIMEOUT)
		sd.flags |= NFT_SET_TIMEOUT;
	if (s->flags & SETF_DYNAMIC)
		sd.flags |= NFT_SET_EVAL;
	if (s->flags & SETF_OBJMAP) {
		sd.flags |= NFT_SET_OBJECT;
		sd.obj_type = NFT_OBJECT_COUNTER;
	}
	sd.key_type = named_key_type(s, &sd.key_len);
	sd.udata = emit_nl_udata_new();
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
	} else if (s->key == K_CT_ID) {
		struct nftnl_udata *n1, *n2;

		/* typeof ct id, as nft records it: key, no direction */
		nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_KEYBYTEORDER, BO_BIG);
		n1 = nftnl_udata_nest_start(sd.udata, NFTNL_UDATA_SET_KEY_TYPEOF);
		nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_TYPEOF_EXPR, EX_CT);
		n2 = nftnl_udata_nest_start(sd.udata, NFTNL_UDATA_SET_TYPEOF_DATA);
		nftnl_udata_put_u32(sd.udata, 0, NFT_CT_ID);
		nftnl_udata_put_u32(sd.udata, 1, UINT32_MAX);
		nftnl_udata_nest_end(sd.udata, n2);
		nftnl_udata_nest_end(sd.udata, n1);
	} else {
		nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_KEYBYTEORDER,
				    ir_key_info(s->key)->type == T_IFNAME ? BO_HOST : BO_BIG);
	}
	/* nft records whether an object map's data is an interval: never. */
	if (s->flags & SETF_OBJMAP)
		nftnl_udata_put_u32(sd.udata, NFTNL_UDATA_SET_DATA_INTERVAL, 0);
	if (s->comment) {
		char comment[LOWER_COMMENT_MAX + 1];

		lower_text(comment, sizeof(comment), s->comment, strlen(s->comment), LOWER_COMMENT_MAX);
		nftnl_udata_put_strz(sd.udata, NFTNL_UDATA_SET_COMMENT, comment);
	}
	set_begin(b, family, &sd, NULL, s->name);
	nftnl_udata_buf_free(sd.udata);
	if (b->no_elems)
		return;
	if (!(sd.flags & NFT_SET_INTERVAL)) {
		for (i = 0; i < s->n; i++) {
			struct xelem e = { .key = s->elems[i].lo, .timeout_ms = s->elems[i].timeout_ms,
					   .configured = changing && !s->elems[i].kept && !s->elems[i].timeout_ms,
					   .comment = s->elems[i].comment, .obj = s->elems[i].obj };

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
						    .configured = changing && !s->elems[i].kept && !s->elems[i].timeout_ms,
						    .comment = s->elems[i].comment, .obj = s->elems[i].obj };

				r.hi = s->elems[i].range ? s->elems[i].hi : s->elems[i].lo;
				range_put(&k, &r, i == 0);
			}
		} else {
			struct xrange *r = xcalloc(s->n, sizeof(*r));

			for (i = 0; i < s->n; i++) {
				r[i].lo = s->elems[i].lo;
				r[i].hi = s->elems[i].range ? s->elems[i].hi : s->elems[i].lo;
				r[i].timeout_ms = s->elems[i].timeout_ms;
				r[i].configured = changing && !s->elems[i].kept && !s->elems[i].timeout_ms;
				r[i].comment = s->elems[i].comment;
				r[i].obj = s->elems[i].obj;
			}
			intervals_put(&k, r, s->n, false);
			free(r);
		}
	}
	sink_close(&k);
}
