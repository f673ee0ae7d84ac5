/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * apply --diff: the kernel's rosfw tables against the batch apply would
 * send. The old rules and the new batch's rules go through the same
 * libnftnl parse and the same key (family, chain, every expression as
 * libnftnl prints it, anonymous sets by their elements, comment), so
 * "unchanged" means the kernel would hold the same rule. Chains, named
 * sets (and the elements of those whose entries do not come and go), ct
 * helpers and the flowtable are compared by their attributes.
 */
#include "diff.h"

#include <endian.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "kread.h"
#include "nlsock.h"
#include "xalloc.h"

/* ---- growing strings ---------------------------------------------------- */

struct sbuf {
	char *s;
	size_t n, cap;
};

static void sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		while (b->n + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 256;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = 0;
}

static void sbuf_str(struct sbuf *b, const char *s)
{
	sbuf_add(b, s, strlen(s));
}

static void sbuf_hex(struct sbuf *b, const void *p, size_t n)
{
	const uint8_t *u = p;
	char h[3];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(h, sizeof(h), "%02x", u[i]);
		sbuf_add(b, h, 2);
	}
}

/* The attributes `types` of a message as text, in that order, the nested
 * one attribute by attribute: never their padding. */
static void attrs_text(struct sbuf *t, const void *p, size_t hdr, const uint16_t *types, size_t ntypes,
		       uint16_t nested)
{
	const struct nlattr *a, *x;
	char num[32];
	size_t i;

	for (i = 0; i < ntypes; i++) {
		const struct nlmsghdr *nlh = p;

		mnl_attr_for_each(a, nlh, hdr) {
			if (mnl_attr_get_type(a) != types[i])
				continue;
			/* a zero number (flags 0) is what its absence means */
			if (types[i] != nested && mnl_attr_get_payload_len(a) == 4 && !mnl_attr_get_u32(a))
				continue;
			snprintf(num, sizeof(num), " %u:", types[i]);
			sbuf_str(t, num);
			if (types[i] != nested) {
				sbuf_hex(t, mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));
				continue;
			}
			mnl_attr_for_each_nested(x, a) {
				snprintf(num, sizeof(num), " %u=", mnl_attr_get_type(x));
				sbuf_str(t, num);
				sbuf_hex(t, mnl_attr_get_payload(x), mnl_attr_get_payload_len(x));
			}
		}
	}
}

/* What --diff compares of a set's and a chain's definition. */
static char *set_def(const struct nlmsghdr *nlh)
{
	static const uint16_t types[] = { NFTA_SET_FLAGS, NFTA_SET_KEY_TYPE, NFTA_SET_KEY_LEN, NFTA_SET_DATA_TYPE,
					  NFTA_SET_DATA_LEN, NFTA_SET_OBJ_TYPE, NFTA_SET_TIMEOUT,
					  NFTA_SET_USERDATA };
	struct sbuf t = { 0 };

	sbuf_str(&t, "");
	attrs_text(&t, nlh, sizeof(struct nfgenmsg), types, sizeof(types) / sizeof(types[0]), 0);
	return t.s;
}

static char *chain_def(const struct nlmsghdr *nlh)
{
	static const uint16_t types[] = { NFTA_CHAIN_HOOK, NFTA_CHAIN_POLICY, NFTA_CHAIN_TYPE };
	struct sbuf t = { 0 };

	sbuf_str(&t, "");
	attrs_text(&t, nlh, sizeof(struct nfgenmsg), types, sizeof(types) / sizeof(types[0]), NFTA_CHAIN_HOOK);
	return t.s;
}

/* Attributes as text in type order (the kernel dumps some in another order
 * than libnftnl builds them), trailing zero bytes dropped (libnftnl sends
 * some strings without the NUL the kernel dumps). `skip` lists top-level
 * types left out; a name_type attribute is returned in *name instead;
 * nests[0] is the type of a nest to open, nests[1] one inside it (0 ends). */
static void attrs_canon(struct sbuf *t, const struct nlattr *first, size_t len, const uint16_t *skip, size_t nskip,
			uint16_t name_type, char **name, const uint16_t *nests)
{
	const struct nlattr *a;
	char num[32];
	uint16_t type;
	size_t i;

	for (type = 0; type < 64; type++) {
		int left = (int)len;

		for (i = 0; i < nskip && skip[i] != type; i++)
			;
		if (i < nskip)
			continue;
		for (a = first; mnl_attr_ok(a, left); a = mnl_attr_next(a), left = (int)len - (int)((const char *)a - (const char *)first)) {
			const uint8_t *p = mnl_attr_get_payload(a);
			size_t n = mnl_attr_get_payload_len(a);

			if (mnl_attr_get_type(a) != type)
				continue;
			if (name && type == name_type) {
				*name = xstrndup((const char *)p, strnlen((const char *)p, n));
				continue;
			}
			snprintf(num, sizeof(num), " %u:", type);
			sbuf_str(t, num);
			/* The kernel does not always flag its nests. */
			if (nests && nests[0] == type) {
				sbuf_str(t, "{");
				attrs_canon(t, mnl_attr_get_payload(a), n, NULL, 0, 0, NULL, nests[1] ? nests + 1 : NULL);
				sbuf_str(t, " }");
				continue;
			}
			while (n && !p[n - 1])
				n--;
			sbuf_hex(t, p, n);
		}
	}
}

/* A ct helper object or a flowtable for --diff: its name, and all but the
 * table, handle and use count. */
static char *obj_def(const struct nlmsghdr *nlh, bool flowtable, char **name)
{
	static const uint16_t obj_skip[] = { NFTA_OBJ_TABLE, NFTA_OBJ_HANDLE, NFTA_OBJ_USE, NFTA_OBJ_PAD };
	static const uint16_t ft_skip[] = { NFTA_FLOWTABLE_TABLE, NFTA_FLOWTABLE_HANDLE, NFTA_FLOWTABLE_USE,
					    NFTA_FLOWTABLE_PAD };
	static const uint16_t obj_nests[] = { NFTA_OBJ_DATA, 0 };
	static const uint16_t ft_nests[] = { NFTA_FLOWTABLE_HOOK, NFTA_FLOWTABLE_HOOK_DEVS, 0 };
	struct sbuf t = { 0 };
	size_t off = MNL_ALIGN(mnl_nlmsg_size(sizeof(struct nfgenmsg)));

	sbuf_str(&t, "");
	*name = NULL;
	if (flowtable)
		attrs_canon(&t, (const struct nlattr *)((const char *)nlh + off), nlh->nlmsg_len - off, ft_skip,
			    sizeof(ft_skip) / sizeof(ft_skip[0]), NFTA_FLOWTABLE_NAME, name, ft_nests);
	else
		attrs_canon(&t, (const struct nlattr *)((const char *)nlh + off), nlh->nlmsg_len - off, obj_skip,
			    sizeof(obj_skip) / sizeof(obj_skip[0]), NFTA_OBJ_NAME, name, obj_nests);
	return t.s;
}

static const char *family_name(int family)
{
	return family == NFPROTO_IPV6 ? "ip6" : "ip";
}

static char *obj_id(const char *kind, int family, const char *name)
{
	struct sbuf t = { 0 };

	sbuf_str(&t, kind);
	sbuf_str(&t, " ");
	sbuf_str(&t, family_name(family));
	sbuf_str(&t, " ");
	sbuf_str(&t, name);
	return t.s;
}

/* ---- what the kernel holds ---------------------------------------------- */

/* An anonymous set's elements as one sorted token. */
struct anon {
	int family;
	uint32_t id;		/* new batch */
	char *name;		/* kernel: "__set3" */
	char **els;
	size_t n, cap;
	char *token;
};

struct orule {
	char *key;		/* family, chain, expressions, comment */
};

/* A chain or named set as --diff compares it: "set ip al_x" and its
 * definition (and, for a set whose entries do not come and go, elements). */
struct dobj {
	char *id, *token;
};

struct diff {
	struct nlsock ns;
	struct anon *anons;
	size_t nanons, capanons;
	struct orule *rules;
	size_t nrules, caprules;
	struct dobj *objs;	/* chains, named sets, ct helpers, flowtables */
	size_t nobjs, capobjs;
};

/* ---- rule keys, shared by the kernel's rules and the batch's ------------ */

typedef const char *(*anon_fn)(void *ctx, int family, const char *name, uint32_t id);

/* A register range as the kernel stores it: the end defaults to the start,
 * and giving the start sets its flag. */
static void range_normalise(struct nftnl_expr *e, uint16_t min, uint16_t max, uint16_t flags, uint32_t flag)
{
	if (!nftnl_expr_is_set(e, min))
		return;
	if (!nftnl_expr_is_set(e, max))
		nftnl_expr_set_u32(e, max, nftnl_expr_get_u32(e, min));
	nftnl_expr_set_u32(e, flags, nftnl_expr_get_u32(e, flags) | flag);
}

/* What the kernel adds to an expression it is given (NAT ranges, a
 * dynset's timeout), added to the batch's too, so the same rule reads the
 * same both ways. */
static void expr_normalise(struct nftnl_expr *e, const char *name)
{
	if (!strcmp(name, "nat")) {
		range_normalise(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, NFTNL_EXPR_NAT_REG_ADDR_MAX, NFTNL_EXPR_NAT_FLAGS,
				NF_NAT_RANGE_MAP_IPS);
		range_normalise(e, NFTNL_EXPR_NAT_REG_PROTO_MIN, NFTNL_EXPR_NAT_REG_PROTO_MAX, NFTNL_EXPR_NAT_FLAGS,
				NF_NAT_RANGE_PROTO_SPECIFIED);
	} else if (!strcmp(name, "redir")) {
		range_normalise(e, NFTNL_EXPR_REDIR_REG_PROTO_MIN, NFTNL_EXPR_REDIR_REG_PROTO_MAX,
				NFTNL_EXPR_REDIR_FLAGS, NF_NAT_RANGE_PROTO_SPECIFIED);
	} else if (!strcmp(name, "masq")) {
		range_normalise(e, NFTNL_EXPR_MASQ_REG_PROTO_MIN, NFTNL_EXPR_MASQ_REG_PROTO_MAX,
				NFTNL_EXPR_MASQ_FLAGS, NF_NAT_RANGE_PROTO_SPECIFIED);
	} else if (!strcmp(name, "dynset") && !nftnl_expr_is_set(e, NFTNL_EXPR_DYNSET_TIMEOUT)) {
		/* the kernel dumps "no timeout" as a timeout of 0 */
		nftnl_expr_set_u64(e, NFTNL_EXPR_DYNSET_TIMEOUT, 0);
	}
}

/* Anonymous sets and maps: "__set%d" in the batch, "__set3" in the kernel. */
static bool set_is_anon(const char *name)
{
	return name && (!strncmp(name, "__set", 5) || !strncmp(name, "__map", 5));
}

static void expr_key(struct sbuf *k, struct nftnl_expr *e, int family, anon_fn anon, void *ctx)
{
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
	char text[1024];

	expr_normalise(e, name);

	sbuf_str(k, "[");
	sbuf_str(k, name);
	if (!strcmp(name, "counter")) {
		/* the figures are what is kept, not what is compared */
	} else if (!strcmp(name, "lookup")) {
		const char *set = nftnl_expr_get_str(e, NFTNL_EXPR_LOOKUP_SET);

		snprintf(text, sizeof(text), " sreg %u dreg %u flags %u set ",
			 nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_SREG),
			 nftnl_expr_is_set(e, NFTNL_EXPR_LOOKUP_DREG) ? nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_DREG) : 0,
			 nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_FLAGS));
		sbuf_str(k, text);
		if (set_is_anon(set)) {
			const char *t = anon(ctx, family, set, nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_SET_ID));

			sbuf_str(k, "{");
			sbuf_str(k, t ? t : "?");
			sbuf_str(k, "}");
		} else {
			sbuf_str(k, set ? set : "?");
		}
	} else if (!strcmp(name, "objref")) {
		/* libnftnl sends the object's name without its NUL (as nft
		 * does) and reads one back past the attribute's end: the
		 * name stops at the first byte no object name of rosfw's
		 * holds. */
		const char *on = nftnl_expr_get_str(e, NFTNL_EXPR_OBJREF_IMM_NAME);
		size_t n = on ? strspn(on, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") : 0;

		snprintf(text, sizeof(text), " type %u name %.*s", nftnl_expr_get_u32(e, NFTNL_EXPR_OBJREF_IMM_TYPE),
			 (int)n, on ? on : "");
		sbuf_str(k, text);
	} else {
		if (nftnl_expr_snprintf(text, sizeof(text), e, NFTNL_OUTPUT_DEFAULT, 0) < 0)
			text[0] = 0;
		sbuf_str(k, " ");
		sbuf_str(k, text);
	}
	sbuf_str(k, "]");
}

/* The key of a parsed rule, the RouterOS rule's number in its comment
 * included (--diff names rules by it). */
static char *rule_key(const struct nftnl_rule *r, anon_fn anon, void *ctx)
{
	struct nftnl_expr_iter *it = nftnl_expr_iter_create(r);
	int family = (int)nftnl_rule_get_u32(r, NFTNL_RULE_FAMILY);
	struct sbuf k = { 0 };
	struct nftnl_expr *e;
	char fam[16];

	if (!it)
		xdie("out of memory");
	snprintf(fam, sizeof(fam), "%d ", family);
	sbuf_str(&k, fam);
	sbuf_str(&k, nftnl_rule_get_str(r, NFTNL_RULE_CHAIN));
	sbuf_str(&k, "\n");
	while ((e = nftnl_expr_iter_next(it)))
		expr_key(&k, e, family, anon, ctx);
	nftnl_expr_iter_destroy(it);
	sbuf_str(&k, "\ncomment ");
	if (nftnl_rule_is_set(r, NFTNL_RULE_USERDATA)) {
		uint32_t len;
		const void *u = nftnl_rule_get_data(r, NFTNL_RULE_USERDATA, &len);

		sbuf_hex(&k, u, len);
	}
	return k.s;
}

/* ---- anonymous sets ----------------------------------------------------- */

/*
 * One element as text, straight from its netlink attributes: libnftnl
 * parses the kernel's dumps but not the batch's own requests, and both
 * sides must read the same way. Key, end, data (a verdict's whole nest),
 * flags and user data; never the time left.
 */
/* A nested value (NFTA_DATA_VALUE, or a verdict's code and chain) by
 * its attributes' lengths, never their padding: the batch's is not
 * always zeroed. */
static void data_text(struct sbuf *t, const struct nlattr *a, int depth)
{
	const struct nlattr *x;
	char num[32];

	mnl_attr_for_each_nested(x, a) {
		snprintf(num, sizeof(num), " %u=", mnl_attr_get_type(x));
		sbuf_str(t, num);
		if (mnl_attr_get_type(x) == NFTA_DATA_VERDICT && depth == 0)
			data_text(t, x, 1);
		else
			sbuf_hex(t, mnl_attr_get_payload(x), mnl_attr_get_payload_len(x));
	}
}

static void elem_text(struct sbuf *t, const struct nlattr *el)
{
	/* In this order, whatever order the sender used. */
	static const uint16_t types[] = { NFTA_SET_ELEM_KEY, NFTA_SET_ELEM_KEY_END, NFTA_SET_ELEM_DATA,
					  NFTA_SET_ELEM_FLAGS, NFTA_SET_ELEM_USERDATA };
	const struct nlattr *a;
	char num[32];
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		mnl_attr_for_each_nested(a, el) {
			if (mnl_attr_get_type(a) != types[i])
				continue;
			if (types[i] == NFTA_SET_ELEM_FLAGS && !mnl_attr_get_u32(a))
				continue;	/* absent and zero are the same */
			snprintf(num, sizeof(num), " %u:", types[i]);
			sbuf_str(t, num);
			if (types[i] == NFTA_SET_ELEM_FLAGS || types[i] == NFTA_SET_ELEM_USERDATA)
				sbuf_hex(t, mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));
			else
				data_text(t, a, 0);
		}
	}
}

static void anon_elem(struct anon *a, const struct nlattr *el)
{
	struct sbuf t = { 0 };

	elem_text(&t, el);
	XGROW(a->els, a->n, a->cap);
	a->els[a->n++] = t.s ? t.s : xstrdup("");
}

/* The elements of a NEWSETELEM of the batch. */
static void anon_elems(struct anon *a, const struct nlmsghdr *nlh)
{
	const struct nlattr *list, *el;

	mnl_attr_for_each(list, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(list) != NFTA_SET_ELEM_LIST_ELEMENTS)
			continue;
		mnl_attr_for_each_nested(el, list)
			anon_elem(a, el);
	}
}

/* The same, of the kernel's dump. */
static void anon_dumped(void *ctx, const struct kread_elem *e)
{
	anon_elem(ctx, e->nest);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Elements come in the kernel's order (or split over messages): sorted
 * and each once, the same set gives the same token. */
static void anon_seal(struct anon *a)
{
	struct sbuf t = { 0 };
	size_t i;

	if (a->n)
		qsort(a->els, a->n, sizeof(*a->els), str_cmp);
	sbuf_str(&t, "");
	for (i = 0; i < a->n; i++) {
		/* the batch may send an element twice; the kernel keeps one */
		if (!i || strcmp(a->els[i - 1], a->els[i])) {
			sbuf_str(&t, a->els[i]);
			sbuf_str(&t, ",");
		}
		if (i)
			free(a->els[i - 1]);
	}
	if (a->n)
		free(a->els[a->n - 1]);
	free(a->els);
	a->els = NULL;
	a->token = t.s;
}

static struct anon *anon_find(struct anon *v, size_t n, int family, const char *name, uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].family == family && (name ? v[i].name && !strcmp(v[i].name, name) : v[i].id == id))
			return &v[i];
	return NULL;
}

static const char *anon_by_name(void *ctx, int family, const char *name, uint32_t id)
{
	struct diff *st = ctx;
	struct anon *a = anon_find(st->anons, st->nanons, family, name, 0);

	(void)id;
	return a ? a->token : NULL;
}

/* ---- reading the kernel ------------------------------------------------- */

struct set_row {
	char *name, *def;
	uint32_t flags;
};

struct set_rows {
	struct set_row *v;
	size_t n, cap;
};

static void set_row_add(void *ctx, const struct kread_set *s)
{
	struct set_rows *rows = ctx;

	XGROW(rows->v, rows->n, rows->cap);
	rows->v[rows->n].name = xstrdup(s->name);
	rows->v[rows->n].def = set_def(s->nlh);
	rows->v[rows->n++].flags = s->flags;
}

static void obj_add(struct diff *st, char *id, char *token)
{
	XGROW(st->objs, st->nobjs, st->capobjs);
	st->objs[st->nobjs].id = id;
	st->objs[st->nobjs++].token = token;
}

/* A named set for --diff: its definition, and its elements unless they
 * come and go by themselves (those are state, not configuration). */
static int set_obj_read(struct diff *st, int family, const struct set_row *r)
{
	struct anon a = { 0 };
	struct sbuf t = { 0 };
	int ret = 0;

	sbuf_str(&t, r->def);
	if (!(r->flags & (NFT_SET_TIMEOUT | NFT_SET_EVAL))) {
		ret = kread_elems(&st->ns, family, r->name, anon_dumped, &a);
		anon_seal(&a);
		sbuf_str(&t, " elements ");
		sbuf_str(&t, a.token);
		free(a.token);
	}
	obj_add(st, obj_id("set", family, r->name), t.s);
	return ret;
}

/* Anonymous sets by their elements (rules name them), then named sets. */
static int sets_read(struct diff *st, int family)
{
	struct set_rows rows = { 0 };
	size_t i;
	int ret;

	ret = kread_sets(&st->ns, family, set_row_add, &rows);
	for (i = 0; i < rows.n && ret == 0; i++) {
		struct set_row *r = &rows.v[i];
		struct anon *a;

		if (!(r->flags & NFT_SET_ANONYMOUS)) {
			ret = set_obj_read(st, family, r);
			continue;
		}
		XGROW(st->anons, st->nanons, st->capanons);
		a = &st->anons[st->nanons++];
		memset(a, 0, sizeof(*a));
		a->family = family;
		a->name = xstrdup(r->name);
		ret = kread_elems(&st->ns, family, r->name, anon_dumped, a);
		anon_seal(a);
	}
	for (i = 0; i < rows.n; i++) {
		free(rows.v[i].name);
		free(rows.v[i].def);
	}
	free(rows.v);
	return ret;
}

struct names {
	char **v;
	size_t n, cap;
	struct diff *st;
	int family;
};

static void chain_add(void *ctx, const struct kread_chain *c)
{
	struct names *names = ctx;

	obj_add(names->st, obj_id("chain", names->family, c->name), chain_def(c->nlh));
	XGROW(names->v, names->n, names->cap);
	names->v[names->n++] = xstrdup(c->name);
}

static void rule_add(void *ctx, const struct kread_rule *kr)
{
	struct diff *st = ctx;
	struct nftnl_rule *r = nftnl_rule_alloc();

	if (!r)
		xdie("out of memory");
	if (nftnl_rule_nlmsg_parse(kr->nlh, r) == 0) {
		struct orule o = { 0 };

		o.key = rule_key(r, anon_by_name, st);
		XGROW(st->rules, st->nrules, st->caprules);
		st->rules[st->nrules++] = o;
	}
	nftnl_rule_free(r);
}

/* Rules chain by chain: a dump restarts its walk for every message, so one
 * table-wide dump of long chains costs quadratic time (DESIGN.md). */
static int rules_read(struct diff *st, int family)
{
	struct names chains = { .st = st, .family = family };
	size_t i;
	int ret;

	ret = kread_chains(&st->ns, family, chain_add, &chains);
	for (i = 0; i < chains.n && ret == 0; i++)
		ret = kread_rules(&st->ns, family, chains.v[i], rule_add, st);
	for (i = 0; i < chains.n; i++)
		free(chains.v[i]);
	free(chains.v);
	return ret;
}

struct objs_ctx {
	struct diff *st;
	int family;
};

static void def_add(struct objs_ctx *c, const struct nlmsghdr *nlh, bool flowtable)
{
	char *name, *def = obj_def(nlh, flowtable, &name);

	if (name)
		obj_add(c->st, obj_id(flowtable ? "flowtable" : "ct helper", c->family, name), def);
	else
		free(def);
	free(name);
}

static void helper_def(void *ctx, const struct kread_obj *o)
{
	def_add(ctx, o->nlh, false);
}

static void flowtable_def(void *ctx, const struct kread_flowtable *f)
{
	def_add(ctx, f->nlh, true);
}

/* For --diff: the ct helper objects and the flowtable. */
static int objs_read(struct diff *st, int family)
{
	struct objs_ctx c = { st, family };

	if (kread_objs(&st->ns, family, NFT_OBJECT_CT_HELPER, helper_def, &c) < 0)
		return -1;
	return kread_flowtables(&st->ns, family, flowtable_def, &c);
}

struct diff *diff_read(void)
{
	struct diff *st = xcalloc(1, sizeof(*st));
	int f, err, have;

	if (!nlsock_open(&st->ns))
		goto fail;
	for (f = 0; f < 2; f++) {
		int family = f ? NFPROTO_IPV6 : NFPROTO_IPV4;

		have = kread_table(&st->ns, family, NULL, NULL);
		if (have < 0)
			goto fail;
		/* Sets first: rules name their anonymous sets. */
		if (have && (sets_read(st, family) < 0 || rules_read(st, family) < 0 || objs_read(st, family) < 0))
			goto fail;
	}
	nlsock_close(&st->ns);
	return st;
fail:
	err = errno;
	diff_free(st);
	errno = err;
	return NULL;
}

void diff_free(struct diff *st)
{
	size_t i;

	if (!st)
		return;
	nlsock_close(&st->ns);
	for (i = 0; i < st->nanons; i++) {
		free(st->anons[i].name);
		free(st->anons[i].token);
	}
	for (i = 0; i < st->nrules; i++)
		free(st->rules[i].key);
	for (i = 0; i < st->nobjs; i++) {
		free(st->objs[i].id);
		free(st->objs[i].token);
	}
	free(st->objs);
	free(st->anons);
	free(st->rules);
	free(st);
}

/* The batch's anonymous sets by id; then each rule's key. */
struct batch_scan {
	struct anon *anons;
	size_t nanons, capanons;
};

static const char *anon_by_id(void *ctx, int family, const char *name, uint32_t id)
{
	struct batch_scan *bs = ctx;
	struct anon *a = anon_find(bs->anons, bs->nanons, family, NULL, id);

	(void)name;
	return a ? a->token : NULL;
}

/* The set a NEWSETELEM of the batch names, and its id. */
static const char *elems_set(const struct nlmsghdr *nlh, uint32_t *id)
{
	const struct nlattr *a;
	const char *name = NULL;

	*id = 0;
	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) == NFTA_SET_ELEM_LIST_SET)
			name = mnl_attr_get_str(a);
		else if (mnl_attr_get_type(a) == NFTA_SET_ELEM_LIST_SET_ID)
			*id = be32toh(mnl_attr_get_u32(a));
	}
	return name;
}

static void batch_elems(struct batch_scan *bs, const struct nlmsghdr *nlh)
{
	int family = ((const struct nfgenmsg *)mnl_nlmsg_get_payload(nlh))->nfgen_family;
	uint32_t id;
	const char *name = elems_set(nlh, &id);
	struct anon *a;

	if (!set_is_anon(name))
		return;
	a = anon_find(bs->anons, bs->nanons, family, NULL, id);
	if (!a) {
		XGROW(bs->anons, bs->nanons, bs->capanons);
		a = &bs->anons[bs->nanons++];
		memset(a, 0, sizeof(*a));
		a->family = family;
		a->id = id;
	}
	anon_elems(a, nlh);
}

static uint16_t msg_type(const struct nlmsghdr *nlh)
{
	return (uint16_t)(nlh->nlmsg_type & 0xff);
}

static bool msg_nft(const struct nlmsghdr *nlh)
{
	return (nlh->nlmsg_type >> 8) == NFNL_SUBSYS_NFTABLES;
}

/* ---- --diff ------------------------------------------------------------- */

/* One side of the comparison: objects, and rules as (identity, key). */
struct side {
	struct dobj *v;
	size_t n, cap;
};

static void side_add(struct side *sd, char *id, char *token)
{
	XGROW(sd->v, sd->n, sd->cap);
	sd->v[sd->n].id = id;
	sd->v[sd->n++].token = token;
}

static int dobj_cmp(const void *a, const void *b)
{
	const struct dobj *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : strcmp(x->token, y->token);
}

static int hexval(char c)
{
	return c >= 'a' ? c - 'a' + 10 : c - '0';
}

/* "rule ip filter_input "#2 text"" from a rule key: its chain line and
 * the comment in its user data (a type, length, value record). */
static char *rule_id(const char *key)
{
	const char *hex = strstr(key, "\ncomment ");
	struct sbuf t = { 0 };
	char fam[8] = "", chain[256] = "", text[300] = "";
	size_t i, n = 0;

	sscanf(key, "%7s %255[^\n]", fam, chain);
	sbuf_str(&t, "rule ");
	sbuf_str(&t, family_name(atoi(fam)));
	sbuf_str(&t, " ");
	sbuf_str(&t, chain);
	if (hex) {
		uint8_t u[300];

		hex += strlen("\ncomment ");
		for (i = 0; hex[2 * i] && hex[2 * i + 1] && i < sizeof(u); i++)
			u[i] = (uint8_t)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
		n = i;
		for (i = 0; i + 2 <= n; i += 2u + u[i + 1])
			if (u[i] == 0 && i + 2 + u[i + 1] <= n && u[i + 1]) {
				snprintf(text, sizeof(text), " \"%.*s\"", (int)u[i + 1] - 1, (const char *)&u[i + 2]);
				break;
			}
	}
	sbuf_str(&t, text[0] ? text : " (no comment)");
	return t.s;
}

/* The batch's chains, named sets (definition, and elements for sets whose
 * entries do not come and go) and rules, as the kernel's were read. */
struct batch_diff {
	struct batch_scan bs;
	struct side objs;
	struct anon *named;	/* elements of named sets, by name */
	size_t nnamed, capnamed;
};

static void diff_set_msg(struct batch_diff *bd, const struct nlmsghdr *nlh, int family)
{
	const struct nlattr *a;
	const char *name = NULL;
	uint32_t flags = 0;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) == NFTA_SET_NAME)
			name = mnl_attr_get_str(a);
		else if (mnl_attr_get_type(a) == NFTA_SET_FLAGS)
			flags = be32toh(mnl_attr_get_u32(a));
	}
	if (!name || set_is_anon(name))
		return;
	/* Entries that come and go are state, not configuration. */
	if (!(flags & (NFT_SET_TIMEOUT | NFT_SET_EVAL))) {
		XGROW(bd->named, bd->nnamed, bd->capnamed);
		memset(&bd->named[bd->nnamed], 0, sizeof(bd->named[0]));
		bd->named[bd->nnamed].family = family;
		bd->named[bd->nnamed++].name = xstrdup(name);
	}
	side_add(&bd->objs, obj_id("set", family, name), set_def(nlh));
}

static void diff_scan(struct batch_diff *bd, struct nlmsghdr *nlh, struct side *rules)
{
	int family = ((const struct nfgenmsg *)mnl_nlmsg_get_payload(nlh))->nfgen_family;
	const struct nlattr *a;

	switch (msg_type(nlh)) {
	case NFT_MSG_NEWCHAIN:
		mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
			if (mnl_attr_get_type(a) == NFTA_CHAIN_NAME)
				side_add(&bd->objs, obj_id("chain", family, mnl_attr_get_str(a)), chain_def(nlh));
		break;
	case NFT_MSG_NEWSET:
		diff_set_msg(bd, nlh, family);
		break;
	case NFT_MSG_NEWOBJ:
	case NFT_MSG_NEWFLOWTABLE: {
		bool ft = msg_type(nlh) == NFT_MSG_NEWFLOWTABLE;
		char *name, *def;

		/* A rule's counter object is its rule's, compared with it. */
		mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
			if (mnl_attr_get_type(a) == NFTA_OBJ_TYPE && be32toh(mnl_attr_get_u32(a)) == NFT_OBJECT_COUNTER)
				return;
		def = obj_def(nlh, ft, &name);

		if (name)
			side_add(&bd->objs, obj_id(ft ? "flowtable" : "ct helper", family, name), def);
		else
			free(def);
		free(name);
		break;
	}
	case NFT_MSG_NEWSETELEM: {
		uint32_t id;
		const char *name = elems_set(nlh, &id);
		struct anon *n = name ? anon_find(bd->named, bd->nnamed, family, name, 0) : NULL;

		if (n)
			anon_elems(n, nlh);
		else
			batch_elems(&bd->bs, nlh);
		break;
	}
	case NFT_MSG_NEWRULE: {
		struct nftnl_rule *r = nftnl_rule_alloc();

		if (!r)
			xdie("out of memory");
		if (nftnl_rule_nlmsg_parse(nlh, r) == 0) {
			char *key = rule_key(r, anon_by_id, &bd->bs);

			side_add(rules, rule_id(key), key);
		}
		nftnl_rule_free(r);
		break;
	}
	}
}

/* Sorted by identity; equal identities compared as one group, so a
 * RouterOS rule that is two kernel rules changes once. */
static size_t diff_print(struct side *old, struct side *new, FILE *out)
{
	size_t i = 0, j = 0, changes = 0;

	if (old->n)
		qsort(old->v, old->n, sizeof(*old->v), dobj_cmp);
	if (new->n)
		qsort(new->v, new->n, sizeof(*new->v), dobj_cmp);
	while (i < old->n || j < new->n) {
		int c = i == old->n ? 1 : j == new->n ? -1 : strcmp(old->v[i].id, new->v[j].id);
		const char *id = c <= 0 ? old->v[i].id : new->v[j].id;
		size_t i0 = i, j0 = j;
		bool same = c == 0;

		while (c <= 0 && i < old->n && !strcmp(old->v[i].id, id))
			i++;
		while (c >= 0 && j < new->n && !strcmp(new->v[j].id, id))
			j++;
		if (same && i - i0 == j - j0) {
			size_t k;

			for (k = 0; k < i - i0 && same; k++)
				same = !strcmp(old->v[i0 + k].token, new->v[j0 + k].token);
			if (same)
				continue;
		}
		fprintf(out, "%c %s\n", c < 0 ? '-' : c > 0 ? '+' : '~', id);
		changes++;
	}
	return changes;
}

size_t diff_show(struct diff *st, struct emit_nl *b, FILE *out)
{
	size_t niov = emit_nl_iovec_count(b), i, j, changes;
	struct iovec *iov = xcalloc(niov, sizeof(*iov));
	struct batch_diff bd = { 0 };
	struct side new_rules = { 0 }, old = { 0 }, old_rules = { 0 };
	int pass;

	emit_nl_iovec(b, iov, niov);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < niov; i++) {
			struct nlmsghdr *nlh = iov[i].iov_base;
			int left = (int)iov[i].iov_len;

			for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
				if (msg_nft(nlh) && (pass == 1) == (msg_type(nlh) == NFT_MSG_NEWRULE))
					diff_scan(&bd, nlh, &new_rules);
		}
		if (pass == 0) {
			for (j = 0; j < bd.bs.nanons; j++)
				anon_seal(&bd.bs.anons[j]);
			for (j = 0; j < bd.nnamed; j++)
				anon_seal(&bd.named[j]);
		}
	}
	/* Named sets: elements into their tokens, as the kernel side has. */
	for (j = 0; j < bd.objs.n; j++) {
		for (i = 0; i < bd.nnamed; i++) {
			char *id = obj_id("set", bd.named[i].family, bd.named[i].name);

			if (!strcmp(id, bd.objs.v[j].id)) {
				struct sbuf t = { 0 };

				sbuf_str(&t, bd.objs.v[j].token);
				sbuf_str(&t, " elements ");
				sbuf_str(&t, bd.named[i].token);
				free(bd.objs.v[j].token);
				bd.objs.v[j].token = t.s;
			}
			free(id);
		}
	}
	for (i = 0; i < st->nobjs; i++)
		side_add(&old, xstrdup(st->objs[i].id), xstrdup(st->objs[i].token));
	for (i = 0; i < st->nrules; i++)
		side_add(&old_rules, rule_id(st->rules[i].key), xstrdup(st->rules[i].key));
	changes = diff_print(&old, &bd.objs, out) + diff_print(&old_rules, &new_rules, out);
	for (i = 0; i < old.n; i++) {
		free(old.v[i].id);
		free(old.v[i].token);
	}
	for (i = 0; i < old_rules.n; i++) {
		free(old_rules.v[i].id);
		free(old_rules.v[i].token);
	}
	for (i = 0; i < bd.objs.n; i++) {
		free(bd.objs.v[i].id);
		free(bd.objs.v[i].token);
	}
	for (i = 0; i < new_rules.n; i++) {
		free(new_rules.v[i].id);
		free(new_rules.v[i].token);
	}
	for (i = 0; i < bd.bs.nanons; i++)
		free(bd.bs.anons[i].token);
	for (i = 0; i < bd.nnamed; i++) {
		free(bd.named[i].name);
		free(bd.named[i].token);
	}
	free(old.v);
	free(old_rules.v);
	free(bd.objs.v);
	free(new_rules.v);
	free(bd.bs.anons);
	free(bd.named);
	free(iov);
	return changes;
}
