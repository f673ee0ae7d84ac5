/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Attributes are read with libmnl into a table per message (or nest):
 * print reads a 10k-rule table and rosfwd 100k-entry sets through here,
 * and parsing whole objects with libnftnl cost more than the dump.
 */
#include "kread.h"

#include <endian.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "kname.h"
#include "xalloc.h"

/* Room for any attribute type of the messages read here. */
#define ATTRS_MAX 32

/* The attributes of a message or a nest by type, those up to `max`: only
 * those are cleared, per element of a 100k-entry set. */
_Static_assert(NFTA_SET_MAX < ATTRS_MAX && NFTA_CHAIN_MAX < ATTRS_MAX && NFTA_RULE_MAX < ATTRS_MAX &&
		       NFTA_OBJ_MAX < ATTRS_MAX && NFTA_FLOWTABLE_MAX < ATTRS_MAX && NFTA_TABLE_MAX < ATTRS_MAX,
	       "a message type with more attributes than struct attrs holds");
struct attrs {
	unsigned max;
	const struct nlattr *a[ATTRS_MAX];
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct attrs *t = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type <= t->max)
		t->a[type] = a;
	return MNL_CB_OK;
}

static bool msg_attrs(const struct nlmsghdr *nlh, struct attrs *t, unsigned max)
{
	t->max = max;
	memset(t->a, 0, (max + 1) * sizeof(t->a[0]));
	return mnl_attr_parse(nlh, sizeof(struct nfgenmsg), attr_cb, t) >= 0;
}

static bool nested_attrs(const struct nlattr *a, struct attrs *t, unsigned max)
{
	t->max = max;
	memset(t->a, 0, (max + 1) * sizeof(t->a[0]));
	return mnl_attr_parse_nested(a, attr_cb, t) >= 0;
}

static const char *attr_str(const struct nlattr *a)
{
	return a ? mnl_attr_get_str(a) : NULL;
}

static uint32_t attr_u32(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) >= 4 ? be32toh(mnl_attr_get_u32(a)) : 0;
}

static uint64_t attr_u64(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) >= 8 ? be64toh(mnl_attr_get_u64(a)) : 0;
}

/* A name attribute's bytes up to its NUL, if the kernel sent one. */
static const char *attr_name(const struct nlattr *a, size_t *len)
{
	const char *p = mnl_attr_get_payload(a);

	*len = strnlen(p, mnl_attr_get_payload_len(a));
	return p;
}

/* NFTA_*_TABLE is 1 in every message read here. */
static bool ours(const struct attrs *t)
{
	const struct nlattr *a = t->a[1];

	return a && !strcmp(mnl_attr_get_str(a), KNAME_TABLE);
}

/* The comment of a rule or an element: a record of its user data (type,
 * length, value records; NFTNL_UDATA_RULE_COMMENT and _SET_ELEM_COMMENT
 * are both 0), without the NUL nft writes. */
static const char *udata_comment(const struct nlattr *ud, size_t *len)
{
	const uint8_t *u = mnl_attr_get_payload(ud);
	size_t n = mnl_attr_get_payload_len(ud), i = 0;

	while (i + 2 <= n && i + 2u + u[i + 1] <= n) {
		if (u[i] == 0 && u[i + 1]) {
			*len = strnlen((const char *)u + i + 2, u[i + 1]);
			return (const char *)u + i + 2;
		}
		i += 2u + u[i + 1];
	}
	return NULL;
}

/* Whether an element's user data holds the configured mark. */
static bool udata_configured(const struct nlattr *ud)
{
	const uint8_t *u = mnl_attr_get_payload(ud);
	size_t n = mnl_attr_get_payload_len(ud), i = 0;

	while (i + 2 <= n && i + 2u + u[i + 1] <= n) {
		if (u[i] == IR_ELEM_UDATA_CONFIGURED)
			return true;
		i += 2u + u[i + 1];
	}
	return false;
}

bool kread_elem_configured(const struct nlattr *nest)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == NFTA_SET_ELEM_USERDATA)
			return udata_configured(a);
	return false;
}

/* ---- requests ------------------------------------------------------------ */

/*
 * A request of `msg` for table rosfw of `family`, and the object `name`
 * names (the chain of a rule, the set of elements, an object) where given:
 * a dump, or with NLM_F_ACK one thing. The names are attribute 1 and 2
 * of every request (NFTA_RULE_TABLE and _CHAIN, NFTA_SET_ELEM_LIST_TABLE
 * and _SET, NFTA_OBJ_TABLE and _NAME...); NFTA_TABLE_NAME is 1.
 */
static struct nlmsghdr *req_build(char *buf, struct nlsock *ns, uint16_t msg, int family, uint16_t flags,
				  const char *name)
{
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(buf, msg, (uint16_t)family, flags, ++ns->seq);

	mnl_attr_put_strz(nlh, 1, KNAME_TABLE);
	if (name)
		mnl_attr_put_strz(nlh, 2, name);
	return nlh;
}

/* Send, and run the answers through cb: 0, or -1 with errno, ENOENT (no
 * such table or set) and `also` read as nothing there. */
static int req_run(struct nlsock *ns, const struct nlmsghdr *nlh, mnl_cb_t cb, void *data, int also)
{
	if (nlsock_run(ns, nlh, cb, data) == 0)
		return 0;
	return errno == ENOENT || (also && errno == also) ? 0 : -1;
}

/* What a dump's callback needs: the caller's function and context. */
struct call {
	union {
		void (*chain)(void *ctx, const struct kread_chain *c);
		void (*rule)(void *ctx, const struct kread_rule *r);
		void (*obj)(void *ctx, const struct kread_obj *o);
		void (*flowtable)(void *ctx, const struct kread_flowtable *f);
		void (*set)(void *ctx, const struct kread_set *s);
		void (*elem)(void *ctx, const struct kread_elem *e);
	} fn;
	void *ctx;
};

/* ---- tables, chains ------------------------------------------------------ */

struct table_call {
	void (*fn)(void *ctx, const struct kread_table *t);
	void *ctx;
};

static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	struct table_call *c = data;
	struct kread_table t = { .nlh = nlh };
	struct attrs a;

	if (!c->fn || !msg_attrs(nlh, &a, NFTA_TABLE_MAX) || !ours(&a))
		return MNL_CB_OK;
	if (a.a[NFTA_TABLE_USERDATA]) {
		t.udata = mnl_attr_get_payload(a.a[NFTA_TABLE_USERDATA]);
		t.udata_len = mnl_attr_get_payload_len(a.a[NFTA_TABLE_USERDATA]);
	}
	t.handle = attr_u64(a.a[NFTA_TABLE_HANDLE]);
	c->fn(c->ctx, &t);
	return MNL_CB_OK;
}

int kread_table(struct nlsock *ns, int family, void (*fn)(void *ctx, const struct kread_table *t), void *ctx)
{
	char buf[512];
	struct table_call c = { fn, ctx };
	struct nlmsghdr *nlh = req_build(buf, ns, NFT_MSG_GETTABLE, family, NLM_F_ACK, NULL);

	if (nlsock_run(ns, nlh, table_cb, &c) < 0)
		return errno == ENOENT ? 0 : -1;
	return 1;
}

static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	struct call *c = data;
	struct kread_chain ch = { .nlh = nlh };
	struct attrs a, h;

	if (!msg_attrs(nlh, &a, NFTA_CHAIN_MAX) || !ours(&a) || !(ch.name = attr_str(a.a[NFTA_CHAIN_NAME])))
		return MNL_CB_OK;
	if (a.a[NFTA_CHAIN_HOOK] && a.a[NFTA_CHAIN_TYPE] && nested_attrs(a.a[NFTA_CHAIN_HOOK], &h, NFTA_HOOK_MAX) &&
	    h.a[NFTA_HOOK_HOOKNUM]) {
		ch.type = attr_str(a.a[NFTA_CHAIN_TYPE]);
		ch.hooknum = attr_u32(h.a[NFTA_HOOK_HOOKNUM]);
		ch.prio = (int32_t)attr_u32(h.a[NFTA_HOOK_PRIORITY]);
	}
	c->fn.chain(c->ctx, &ch);
	return MNL_CB_OK;
}

int kread_chains(struct nlsock *ns, int family, void (*fn)(void *ctx, const struct kread_chain *c), void *ctx)
{
	char buf[512];
	struct call c = { .fn.chain = fn, .ctx = ctx };

	return req_run(ns, req_build(buf, ns, NFT_MSG_GETCHAIN, family, NLM_F_DUMP, NULL), chain_cb, &c, 0);
}

/* ---- rules --------------------------------------------------------------- */

/* The counter a rule counts into: the first counter object it names, or
 * a counter of its own. */
static void rule_counter(struct kread_rule *r, const struct nlattr *exprs)
{
	const struct nlattr *x;
	struct attrs e, d;

	mnl_attr_for_each_nested(x, exprs) {
		const char *name;

		if (!nested_attrs(x, &e, NFTA_EXPR_MAX) || !(name = attr_str(e.a[NFTA_EXPR_NAME])) ||
		    !e.a[NFTA_EXPR_DATA] || !nested_attrs(e.a[NFTA_EXPR_DATA], &d, ATTRS_MAX - 1))
			continue;
		if (!strcmp(name, "objref") && attr_u32(d.a[NFTA_OBJREF_IMM_TYPE]) == NFT_OBJECT_COUNTER &&
		    d.a[NFTA_OBJREF_IMM_NAME]) {
			r->counter = attr_name(d.a[NFTA_OBJREF_IMM_NAME], &r->counter_len);
			return;
		}
		if (!strcmp(name, "objref") && d.a[NFTA_OBJREF_SET_NAME]) {
			r->counter_map = attr_name(d.a[NFTA_OBJREF_SET_NAME], &r->counter_map_len);
			return;
		}
		if (!strcmp(name, "counter")) {
			r->own_counter = true;
			r->bytes = attr_u64(d.a[NFTA_COUNTER_BYTES]);
			r->packets = attr_u64(d.a[NFTA_COUNTER_PACKETS]);
			return;
		}
	}
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct call *c = data;
	struct kread_rule r = { .nlh = nlh };
	struct attrs a;

	if (!msg_attrs(nlh, &a, NFTA_RULE_MAX) || !ours(&a))
		return MNL_CB_OK;
	if (a.a[NFTA_RULE_USERDATA])
		r.comment = udata_comment(a.a[NFTA_RULE_USERDATA], &r.comment_len);
	if (a.a[NFTA_RULE_EXPRESSIONS])
		rule_counter(&r, a.a[NFTA_RULE_EXPRESSIONS]);
	c->fn.rule(c->ctx, &r);
	return MNL_CB_OK;
}

int kread_rules(struct nlsock *ns, int family, const char *chain, void (*fn)(void *ctx, const struct kread_rule *r),
		void *ctx)
{
	char buf[1024];
	struct call c = { .fn.rule = fn, .ctx = ctx };

	return req_run(ns, req_build(buf, ns, NFT_MSG_GETRULE, family, NLM_F_DUMP, chain), rule_cb, &c, 0);
}

/* ---- objects and flowtables ---------------------------------------------- */

static int obj_cb(const struct nlmsghdr *nlh, void *data)
{
	struct call *c = data;
	struct kread_obj o = { .nlh = nlh };
	struct attrs a, d;

	if (!msg_attrs(nlh, &a, NFTA_OBJ_MAX) || !ours(&a) || !a.a[NFTA_OBJ_NAME])
		return MNL_CB_OK;
	o.name = attr_name(a.a[NFTA_OBJ_NAME], &o.name_len);
	o.type = attr_u32(a.a[NFTA_OBJ_TYPE]);
	if (o.type == NFT_OBJECT_COUNTER && a.a[NFTA_OBJ_DATA] &&
	    nested_attrs(a.a[NFTA_OBJ_DATA], &d, NFTA_COUNTER_MAX)) {
		o.packets = attr_u64(d.a[NFTA_COUNTER_PACKETS]);
		o.bytes = attr_u64(d.a[NFTA_COUNTER_BYTES]);
	}
	c->fn.obj(c->ctx, &o);
	return MNL_CB_OK;
}

int kread_objs(struct nlsock *ns, int family, uint32_t type, void (*fn)(void *ctx, const struct kread_obj *o),
	       void *ctx)
{
	char buf[512];
	struct call c = { .fn.obj = fn, .ctx = ctx };
	struct nlmsghdr *nlh = req_build(buf, ns, NFT_MSG_GETOBJ, family, NLM_F_DUMP, NULL);

	if (type)
		mnl_attr_put_u32(nlh, NFTA_OBJ_TYPE, htobe32(type));
	return req_run(ns, nlh, obj_cb, &c, 0);
}

int kread_counter_reset(struct nlsock *ns, int family, const char *name)
{
	char buf[512];
	struct nlmsghdr *nlh = req_build(buf, ns, NFT_MSG_GETOBJ_RESET, family, NLM_F_ACK, name);

	mnl_attr_put_u32(nlh, NFTA_OBJ_TYPE, htobe32(NFT_OBJECT_COUNTER));
	return nlsock_run(ns, nlh, NULL, NULL);
}

static int flowtable_cb(const struct nlmsghdr *nlh, void *data)
{
	struct call *c = data;
	struct kread_flowtable f = { .nlh = nlh };
	struct attrs a;

	if (msg_attrs(nlh, &a, NFTA_FLOWTABLE_MAX) && ours(&a) && (f.name = attr_str(a.a[NFTA_FLOWTABLE_NAME])))
		c->fn.flowtable(c->ctx, &f);
	return MNL_CB_OK;
}

int kread_flowtables(struct nlsock *ns, int family, void (*fn)(void *ctx, const struct kread_flowtable *f),
		     void *ctx)
{
	char buf[512];
	struct call c = { .fn.flowtable = fn, .ctx = ctx };

	/* A kernel without flowtables has none to list. */
	return req_run(ns, req_build(buf, ns, NFT_MSG_GETFLOWTABLE, family, NLM_F_DUMP, NULL), flowtable_cb, &c,
		       EOPNOTSUPP);
}

/* ---- sets ---------------------------------------------------------------- */

static bool set_parse(const struct nlmsghdr *nlh, struct kread_set *s)
{
	struct attrs a;

	memset(s, 0, sizeof(*s));
	if (!msg_attrs(nlh, &a, NFTA_SET_MAX) || !ours(&a) || !a.a[NFTA_SET_NAME])
		return false;
	s->nlh = nlh;
	s->name = mnl_attr_get_str(a.a[NFTA_SET_NAME]);
	s->flags = attr_u32(a.a[NFTA_SET_FLAGS]);
	s->key_type = attr_u32(a.a[NFTA_SET_KEY_TYPE]);
	s->key_len = attr_u32(a.a[NFTA_SET_KEY_LEN]);
	return true;
}

static int set_cb(const struct nlmsghdr *nlh, void *data)
{
	struct call *c = data;
	struct kread_set s;

	if (set_parse(nlh, &s))
		c->fn.set(c->ctx, &s);
	return MNL_CB_OK;
}

int kread_sets(struct nlsock *ns, int family, void (*fn)(void *ctx, const struct kread_set *s), void *ctx)
{
	char buf[512];
	struct call c = { .fn.set = fn, .ctx = ctx };

	return req_run(ns, req_build(buf, ns, NFT_MSG_GETSET, family, NLM_F_DUMP, NULL), set_cb, &c, 0);
}

static int set_get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct kread_set *s = data;

	if (set_parse(nlh, s))
		s->nlh = NULL, s->name = NULL;
	return MNL_CB_OK;
}

int kread_set_get(struct nlsock *ns, int family, const char *name, struct kread_set *s)
{
	char buf[1024];
	struct nlmsghdr *nlh = req_build(buf, ns, NFT_MSG_GETSET, family, NLM_F_ACK, name);

	memset(s, 0, sizeof(*s));
	if (nlsock_run(ns, nlh, set_get_cb, s) < 0) {
		memset(s, 0, sizeof(*s));
		return errno == ENOENT ? 0 : -1;
	}
	return 1;
}

/* ---- elements ------------------------------------------------------------ */

/* An element key's value: the one attribute NFTA_SET_ELEM_KEY nests. */
static const struct nlattr *key_value(const struct nlattr *key)
{
	const struct nlattr *v;

	if (!key || mnl_attr_get_payload_len(key) < MNL_ATTR_HDRLEN)
		return NULL;
	v = mnl_attr_get_payload(key);
	return mnl_attr_ok(v, (int)mnl_attr_get_payload_len(key)) && mnl_attr_get_type(v) == NFTA_DATA_VALUE ? v : NULL;
}

static void elem_parse(const struct nlattr *nest, struct kread_elem *e)
{
	const struct nlattr *v;
	struct attrs a;

	memset(e, 0, sizeof(*e));
	e->nest = nest;
	if (!nested_attrs(nest, &a, NFTA_SET_ELEM_MAX))
		return;
	if ((v = key_value(a.a[NFTA_SET_ELEM_KEY]))) {
		e->key = mnl_attr_get_payload(v);
		e->key_len = mnl_attr_get_payload_len(v);
	}
	e->end = attr_u32(a.a[NFTA_SET_ELEM_FLAGS]) & NFT_SET_ELEM_INTERVAL_END;
	if ((e->has_timeout = a.a[NFTA_SET_ELEM_TIMEOUT]))
		e->timeout_ms = attr_u64(a.a[NFTA_SET_ELEM_TIMEOUT]);
	if ((e->has_exp = a.a[NFTA_SET_ELEM_EXPIRATION]))
		e->exp_ms = attr_u64(a.a[NFTA_SET_ELEM_EXPIRATION]);
	if (a.a[NFTA_SET_ELEM_OBJREF])
		e->obj = attr_name(a.a[NFTA_SET_ELEM_OBJREF], &e->obj_len);
	if (a.a[NFTA_SET_ELEM_USERDATA]) {
		e->comment = udata_comment(a.a[NFTA_SET_ELEM_USERDATA], &e->comment_len);
		e->configured = udata_configured(a.a[NFTA_SET_ELEM_USERDATA]);
	}
}

static int elems_cb(const struct nlmsghdr *nlh, void *data)
{
	struct call *c = data;
	const struct nlattr *x;
	struct attrs a;

	if (!msg_attrs(nlh, &a, NFTA_SET_ELEM_LIST_MAX) || !ours(&a) || !a.a[NFTA_SET_ELEM_LIST_ELEMENTS])
		return MNL_CB_OK;
	mnl_attr_for_each_nested(x, a.a[NFTA_SET_ELEM_LIST_ELEMENTS]) {
		struct kread_elem e;

		elem_parse(x, &e);
		c->fn.elem(c->ctx, &e);
	}
	return MNL_CB_OK;
}

int kread_elems(struct nlsock *ns, int family, const char *set, void (*fn)(void *ctx, const struct kread_elem *e),
		void *ctx)
{
	char buf[1024];
	struct call c = { .fn.elem = fn, .ctx = ctx };

	return req_run(ns, req_build(buf, ns, NFT_MSG_GETSETELEM, family, NLM_F_DUMP, set), elems_cb, &c, 0);
}

/* An interval set's element, kept until the dump is whole. */
struct iv {
	uint8_t key[16];
	struct kread_elem e;	/* but nest and key; comment: owned */
};

struct ivs {
	struct iv *v;
	size_t n, cap;
	uint32_t len;
};

static void iv_add(void *ctx, const struct kread_elem *e)
{
	struct ivs *s = ctx;
	struct iv *x;

	if (!e->key || e->key_len != s->len)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	x = &s->v[s->n++];
	memset(x->key, 0, sizeof(x->key));
	memcpy(x->key, e->key, e->key_len);
	x->e = *e;
	x->e.nest = NULL;
	x->e.key = NULL;
	x->e.comment = e->comment && !e->end ? xstrndup(e->comment, e->comment_len) : NULL;
}

static int iv_cmp(const void *a, const void *b)
{
	const struct iv *x = a, *y = b;
	int c = memcmp(x->key, y->key, 16);

	/* An end before a start at the same address: adjacent ranges. */
	return c ? c : (int)y->e.end - (int)x->e.end;
}

/* Sorted, each start with the end after it: the range's last address is
 * that end's less one. */
static void iv_pair(struct ivs *s, void (*fn)(void *ctx, const struct kread_range *r), void *ctx)
{
	size_t i;
	int k;

	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), iv_cmp);
	for (i = 0; i < s->n; i++) {
		uint8_t hi[16] = { 0 };
		struct kread_range r;

		if (s->v[i].e.end)
			continue;
		if (i + 1 < s->n && s->v[i + 1].e.end) {
			memcpy(hi, s->v[i + 1].key, s->len);
			for (k = (int)s->len - 1; k >= 0 && hi[k]-- == 0; k--)
				;
		} else {
			memset(hi, 0xff, s->len);
		}
		r.lo = s->v[i].key;
		r.hi = hi;
		r.start = s->v[i].e;
		r.start.key = r.lo;
		r.start.key_len = s->len;
		fn(ctx, &r);
	}
}

int kread_ranges(struct nlsock *ns, int family, const char *set, uint32_t key_len,
		 void (*fn)(void *ctx, const struct kread_range *r), void *ctx)
{
	struct ivs s = { .len = key_len };
	size_t i;
	int ret, err;

	if (key_len > 16) {
		errno = EINVAL;
		return -1;
	}
	ret = kread_elems(ns, family, set, iv_add, &s);
	err = errno;
	if (ret == 0)
		iv_pair(&s, fn, ctx);
	for (i = 0; i < s.n; i++)
		free((char *)s.v[i].e.comment);
	free(s.v);
	errno = err;
	return ret;
}
