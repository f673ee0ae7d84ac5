/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rosfw's tables saved as the requests that recreate them, and restored:
 * handles dropped, rules appended in dump order, elements timing out
 * after what they had left; restoring wraps them in one batch that first
 * empties rosfw's tables, as apply does.
 */
#include "snapshot.h"


#include <endian.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "kname.h"
#include "kread.h"
#include "nlsock.h"
#include "xalloc.h"


/* Room for one more request in the saved run. */
static struct nlmsghdr *out_msg(struct snapshot *o, uint16_t type, int family, uint16_t flags)
{
	if (o->n + NLSOCK_BUF * 2 > o->cap) {
		while (o->n + NLSOCK_BUF * 2 > o->cap)
			o->cap = o->cap ? o->cap * 2 : NLSOCK_BUF * 8;
		o->b = xrealloc(o->b, o->cap);
	}
	return nftnl_nlmsg_build_hdr(o->b + o->n, type, (uint16_t)family, flags, 0);
}

static void out_end(struct snapshot *o, struct nlmsghdr *nlh)
{
	o->n += MNL_ALIGN(nlh->nlmsg_len);
}

/* An attribute as it came, into the request being built. */
static void attr_copy(struct nlmsghdr *m, const struct nlattr *a)
{
	memcpy((char *)m + m->nlmsg_len, a, MNL_ALIGN(a->nla_len));
	m->nlmsg_len += MNL_ALIGN(a->nla_len);
}

/* ---- dumps -------------------------------------------------------------- */

struct dumper {
	struct nlsock ns;
	struct snapshot *out;
	int family;
	char **chains;
	size_t nchains;
	char **sets;
	size_t nsets;
};

static void table_copy(void *ctx, const struct kread_table *kt)
{
	struct dumper *d = ctx;
	struct nftnl_table *t = nftnl_table_alloc();

	if (!t)
		xdie("out of memory");
	if (nftnl_table_nlmsg_parse(kt->nlh, t) == 0) {
		struct nlmsghdr *m = out_msg(d->out, NFT_MSG_NEWTABLE, d->family, NLM_F_CREATE);

		nftnl_table_unset(t, NFTNL_TABLE_HANDLE);
		nftnl_table_unset(t, NFTNL_TABLE_USE);
		nftnl_table_nlmsg_build_payload(m, t);
		out_end(d->out, m);
	}
	nftnl_table_free(t);
}

static void chain_copy(void *ctx, const struct kread_chain *kc)
{
	struct dumper *d = ctx;
	struct nftnl_chain *c = nftnl_chain_alloc();

	if (!c)
		xdie("out of memory");
	if (nftnl_chain_nlmsg_parse(kc->nlh, c) == 0) {
		struct nlmsghdr *m = out_msg(d->out, NFT_MSG_NEWCHAIN, d->family, NLM_F_CREATE);

		d->chains = xreallocarray(d->chains, d->nchains + 1, sizeof(*d->chains));
		d->chains[d->nchains++] = xstrdup(kc->name);
		nftnl_chain_unset(c, NFTNL_CHAIN_HANDLE);
		nftnl_chain_unset(c, NFTNL_CHAIN_USE);
		nftnl_chain_nlmsg_build_payload(m, c);
		out_end(d->out, m);
	}
	nftnl_chain_free(c);
}

/* A set's definition as the kernel dumped it, attribute for attribute,
 * but its handle and what only a dump carries (a newer kernel's backend
 * type and element count, refused in a request). */
static void set_copy(void *ctx, const struct kread_set *s)
{
	struct dumper *d = ctx;
	struct nlmsghdr *m = out_msg(d->out, NFT_MSG_NEWSET, d->family, NLM_F_CREATE);
	const struct nlattr *a;

	d->sets = xreallocarray(d->sets, d->nsets + 1, sizeof(*d->sets));
	d->sets[d->nsets++] = xstrdup(s->name);
	/* The kernel wants an id in every NEWSET, though rules name ours. */
	mnl_attr_put_u32(m, NFTA_SET_ID, htobe32((uint32_t)d->nsets));
	mnl_attr_for_each(a, s->nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) == NFTA_SET_HANDLE || mnl_attr_get_type(a) > NFTA_SET_EXPRESSIONS)
			continue;
		attr_copy(m, a);
	}
	out_end(d->out, m);
}

/* Stateful objects (ct helpers, counters, ...) as dumped, minus handle
 * and use count; rules that name them come later in the batch. */
static void obj_copy(void *ctx, const struct kread_obj *o)
{
	struct dumper *d = ctx;
	struct nlmsghdr *m = out_msg(d->out, NFT_MSG_NEWOBJ, d->family, NLM_F_CREATE);
	const struct nlattr *a;

	mnl_attr_for_each(a, o->nlh, sizeof(struct nfgenmsg)) {
		uint16_t type = mnl_attr_get_type(a);

		if (type == NFTA_OBJ_TABLE || type == NFTA_OBJ_NAME || type == NFTA_OBJ_TYPE || type == NFTA_OBJ_DATA ||
		    type == NFTA_OBJ_USERDATA)
			attr_copy(m, a);
	}
	out_end(d->out, m);
}

/* A set's elements into NEWSETELEM messages of at most NLSOCK_BUF bytes
 * (the element list is one attribute: its length has 16 bits), each as
 * dumped but for what it had left, which becomes its timeout. */
struct elems_out {
	struct dumper *d;
	const char *set;
	struct nlmsghdr *m;	/* the message being filled, or NULL */
	struct nlattr *list;
};

static void elems_close(struct elems_out *o)
{
	if (!o->m)
		return;
	mnl_attr_nest_end(o->m, o->list);
	out_end(o->d->out, o->m);
	o->m = NULL;
}

static void elem_copy(void *ctx, const struct kread_elem *e)
{
	struct elems_out *o = ctx;
	const struct nlattr *a;
	struct nlattr *nest;

	if (o->m && o->m->nlmsg_len + mnl_attr_get_len(e->nest) + 64 > NLSOCK_BUF)
		elems_close(o);
	if (!o->m) {
		o->m = out_msg(o->d->out, NFT_MSG_NEWSETELEM, o->d->family, NLM_F_CREATE);
		mnl_attr_put_strz(o->m, NFTA_SET_ELEM_LIST_TABLE, KNAME_TABLE);
		mnl_attr_put_strz(o->m, NFTA_SET_ELEM_LIST_SET, o->set);
		o->list = mnl_attr_nest_start(o->m, NFTA_SET_ELEM_LIST_ELEMENTS);
	}
	nest = mnl_attr_nest_start(o->m, NFTA_LIST_ELEM);
	mnl_attr_for_each_nested(a, e->nest) {
		uint16_t type = mnl_attr_get_type(a);

		if (type != NFTA_SET_ELEM_TIMEOUT && type != NFTA_SET_ELEM_EXPIRATION && type != NFTA_SET_ELEM_PAD)
			attr_copy(o->m, a);
	}
	if (e->has_exp)
		mnl_attr_put_u64(o->m, NFTA_SET_ELEM_TIMEOUT, htobe64(e->exp_ms ? e->exp_ms : 1));
	else if (e->has_timeout)
		mnl_attr_put_u64(o->m, NFTA_SET_ELEM_TIMEOUT, htobe64(e->timeout_ms));
	mnl_attr_nest_end(o->m, nest);
}

/* What the kernel dumps of expression `name` (data `data`) and then
 * refuses: the flags (0) of an exthdr that writes (tcp option maxseg size
 * set), and the timeout every dynset dumps, 0 when it has none, which a
 * set without timeouts (connection-limit's) refuses with EOPNOTSUPP; 0
 * and no timeout are the same to the kernel (the set's own then). */
static bool data_refused(const char *name, const struct nlattr *data, const struct nlattr *x)
{
	const struct nlattr *y;

	if (!strcmp(name, "dynset"))
		return mnl_attr_get_type(x) == NFTA_DYNSET_TIMEOUT && mnl_attr_get_payload_len(x) == 8 &&
		       mnl_attr_get_u64(x) == 0;
	if (strcmp(name, "exthdr") || mnl_attr_get_type(x) != NFTA_EXTHDR_FLAGS)
		return false;
	mnl_attr_for_each_nested(y, data)
		if (mnl_attr_get_type(y) == NFTA_EXTHDR_SREG)
			return true;
	return false;
}

/* One expression as dumped, but what data_refused says. */
static void expr_copy(struct nlmsghdr *m, const struct nlattr *el)
{
	const struct nlattr *a, *x, *name = NULL, *data = NULL;
	struct nlattr *nest, *dnest;
	bool drop = false;

	mnl_attr_for_each_nested(a, el) {
		if (mnl_attr_get_type(a) == NFTA_EXPR_NAME)
			name = a;
		else if (mnl_attr_get_type(a) == NFTA_EXPR_DATA)
			data = a;
	}
	if (name && data)
		mnl_attr_for_each_nested(x, data)
			drop |= data_refused(mnl_attr_get_str(name), data, x);
	if (!drop) {
		attr_copy(m, el);
		return;
	}
	nest = mnl_attr_nest_start(m, NFTA_LIST_ELEM);
	attr_copy(m, name);
	dnest = mnl_attr_nest_start(m, NFTA_EXPR_DATA);
	mnl_attr_for_each_nested(x, data)
		if (!data_refused(mnl_attr_get_str(name), data, x))
			attr_copy(m, x);
	mnl_attr_nest_end(m, dnest);
	mnl_attr_nest_end(m, nest);
}

/* A rule as dumped, attribute for attribute (libnftnl's rebuild of some
 * expressions is not what the kernel took), without its handle: appended
 * in dump order. */
static void rule_out(struct snapshot *o, const struct nlmsghdr *nlh, int family)
{
	struct nlmsghdr *m = out_msg(o, NFT_MSG_NEWRULE, family, NLM_F_CREATE | NLM_F_APPEND);
	const struct nlattr *a, *el;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		uint16_t type = mnl_attr_get_type(a);

		if (type == NFTA_RULE_EXPRESSIONS) {
			struct nlattr *list = mnl_attr_nest_start(m, NFTA_RULE_EXPRESSIONS);

			mnl_attr_for_each_nested(el, a)
				expr_copy(m, el);
			mnl_attr_nest_end(m, list);
		} else if (type == NFTA_RULE_TABLE || type == NFTA_RULE_CHAIN || type == NFTA_RULE_COMPAT ||
			   type == NFTA_RULE_USERDATA) {
			attr_copy(m, a);
		}
	}
	out_end(o, m);
}

static void rule_copy(void *ctx, const struct kread_rule *r)
{
	struct dumper *d = ctx;

	rule_out(d->out, r->nlh, d->family);
}

static void flowtable_copy(void *ctx, const struct kread_flowtable *f)
{
	struct dumper *d = ctx;
	struct nlmsghdr *m = out_msg(d->out, NFT_MSG_NEWFLOWTABLE, d->family, NLM_F_CREATE);
	const struct nlattr *a;

	mnl_attr_for_each(a, f->nlh, sizeof(struct nfgenmsg)) {
		uint16_t type = mnl_attr_get_type(a);

		if (type == NFTA_FLOWTABLE_TABLE || type == NFTA_FLOWTABLE_NAME || type == NFTA_FLOWTABLE_HOOK ||
		    type == NFTA_FLOWTABLE_FLAGS)
			attr_copy(m, a);
	}
	out_end(d->out, m);
}

/* One family's rosfw table: table, chains, objects, sets, elements, the
 * flowtable before the rules that add to it, rules chain by chain. */
static int family_save(struct dumper *d)
{
	size_t i;
	int ret = kread_table(&d->ns, d->family, table_copy, d);

	if (ret <= 0)
		return ret;
	ret = kread_chains(&d->ns, d->family, chain_copy, d);
	if (ret == 0)
		ret = kread_objs(&d->ns, d->family, 0, obj_copy, d);
	if (ret == 0)
		ret = kread_sets(&d->ns, d->family, set_copy, d);
	for (i = 0; i < d->nsets && ret == 0; i++) {
		struct elems_out o = { .d = d, .set = d->sets[i] };

		ret = kread_elems(&d->ns, d->family, d->sets[i], elem_copy, &o);
		elems_close(&o);
	}
	if (ret == 0)
		ret = kread_flowtables(&d->ns, d->family, flowtable_copy, d);
	for (i = 0; i < d->nchains && ret == 0; i++)
		ret = kread_rules(&d->ns, d->family, d->chains[i], rule_copy, d);
	return ret;
}

static void dumper_reset(struct dumper *d)
{
	size_t i;

	for (i = 0; i < d->nchains; i++)
		free(d->chains[i]);
	for (i = 0; i < d->nsets; i++)
		free(d->sets[i]);
	free(d->chains);
	free(d->sets);
	d->chains = d->sets = NULL;
	d->nchains = d->nsets = 0;
}

int snapshot_take(struct snapshot *s)
{
	struct dumper d = { 0 };
	int f, ret = 0, err;

	memset(s, 0, sizeof(*s));
	d.out = s;
	if (!nlsock_open(&d.ns))
		return -1;
	/* table bridge rosfw too: it holds the bridge ports' numbers and the
	 * bridge menus' rules */
	for (f = 0; f < 3 && ret == 0; f++) {
		d.family = f == 2 ? NFPROTO_BRIDGE : f ? NFPROTO_IPV6 : NFPROTO_IPV4;
		ret = family_save(&d);
		dumper_reset(&d);
	}
	err = errno;
	nlsock_close(&d.ns);
	if (ret < 0)
		snapshot_free(s);
	errno = err;
	return ret;
}

void snapshot_free(struct snapshot *s)
{
	free(s->b);
	memset(s, 0, sizeof(*s));
}

/* ---- restoring ---------------------------------------------------------- */

static void table_empty(struct snapshot *o, int family)
{
	struct nlmsghdr *m;
	int type;

	/* Create-then-delete empties the table whether or not it exists. */
	for (type = 0; type < 2; type++) {
		m = out_msg(o, type ? NFT_MSG_DELTABLE : NFT_MSG_NEWTABLE, family, type ? 0 : NLM_F_CREATE);
		mnl_attr_put_strz(m, NFTA_TABLE_NAME, KNAME_TABLE);
		out_end(o, m);
	}
}

int snapshot_restore(const char *buf, size_t len)
{
	struct snapshot o = { 0 };
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	uint32_t seq = (uint32_t)time(NULL);
	struct nlmsghdr *nlh;
	char *copy = NULL;
	size_t i;
	int ret, left;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto out;
	}
	out_msg(&o, 0, 0, 0);
	nftnl_batch_begin(o.b, 0);
	o.n += MNL_ALIGN(((struct nlmsghdr *)o.b)->nlmsg_len);
	table_empty(&o, NFPROTO_IPV4);
	table_empty(&o, NFPROTO_IPV6);
	table_empty(&o, NFPROTO_BRIDGE);
	/* The rules through expr_copy again: a file saved by a rosfw that
	 * kept what the kernel refuses (a dynset's timeout 0) restores too. */
	/* The saved messages follow the file's text header at any offset:
	 * walked as headers, they must be aligned. */
	copy = xmalloc(len + 1);
	memcpy(copy, buf, len);
	left = (int)len;
	for (nlh = (struct nlmsghdr *)copy; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);

		if ((nlh->nlmsg_type & 0xff) == NFT_MSG_NEWRULE) {
			rule_out(&o, nlh, g->nfgen_family);
			continue;
		}
		while (o.n + MNL_ALIGN(nlh->nlmsg_len) + NLSOCK_BUF > o.cap) {
			o.cap *= 2;
			o.b = xrealloc(o.b, o.cap);
		}
		memcpy(o.b + o.n, nlh, nlh->nlmsg_len);
		o.n += MNL_ALIGN(nlh->nlmsg_len);
	}
	out_msg(&o, 0, 0, 0);
	nftnl_batch_end(o.b + o.n, 0);
	o.n += MNL_ALIGN(((struct nlmsghdr *)(o.b + o.n))->nlmsg_len);
	left = (int)o.n;
	for (nlh = (struct nlmsghdr *)o.b, i = 0; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left), i++)
		nlh->nlmsg_seq = seq + (uint32_t)i;
	{
		int size = (int)o.n + (1 << 20);

		setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size));
	}
	if (mnl_socket_sendto(nl, o.b, o.n) < 0) {
		ret = -errno;
		goto out;
	}
	ret = 0;
	/* No ACKs asked for: the kernel only answers an error. */
	for (;;) {
		struct pollfd p = { .fd = mnl_socket_get_fd(nl), .events = POLLIN };
		char rbuf[8192];
		ssize_t n;

		if (poll(&p, 1, 100) <= 0)
			break;
		n = recv(p.fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
		if (n <= 0)
			break;
		left = (int)n;
		for (nlh = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			int err = nlh->nlmsg_type == NLMSG_ERROR ?
					  ((const struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->error : 0;

			if (err && !ret)
				ret = -err;
		}
	}
out:
	if (nl)
		mnl_socket_close(nl);
	free(o.b);
	free(copy);
	return ret;
}
