/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * apply --diff: the kernel's rosfw tables against the batch apply would
 * send. The old rules and the new batch's rules go through the same
 * libnftnl parse and the same key (every expression as libnftnl prints
 * it, anonymous sets by their elements), so "unchanged" means the kernel
 * would hold the same rule. Kernel rules are grouped into RouterOS rules
 * by the counter object they share, whose name says what the rule says;
 * the two sides' RouterOS rules are matched by that name, then (changed
 * rules) by chain and comment, then by their place between the rules
 * kept. Kernel rules carry no RouterOS numbers (kname.h): the batch's
 * side has them, the kernel's not. A rule is moved only when its order
 * among its chain's kept rules changed. Chains, named sets
 * (and the elements of those whose entries do not come and go), ct
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

#include "changes.h"
#include "diag.h"
#include "kname.h"
#include "kread.h"
#include "lcs.h"
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
	return family == NFPROTO_IPV6 ? "ip6" : family == NFPROTO_BRIDGE ? "bridge" : "ip";
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

/* An anonymous set's elements as one sorted token, and as shown. */
struct anon {
	int family;
	uint32_t id;		/* new batch */
	char *name;		/* kernel: "__set3" */
	char **els;
	size_t n, cap;
	char *token, *shown;
	unsigned key_type;	/* 0: not known */
	int interval;		/* -1: not known */
	bool configured_only;	/* its configured (marked) elements only */
};

/**
 * struct krule - one kernel rule as --diff compares it.
 * @chain: its chain.
 * @counter: the counter object of the RouterOS rule it belongs to (the
 *	name says what the rule says: compiler/lower.c rule_ident), NULL for
 *	a rule rosfw adds of its own (helpers, jumps to dstnat).
 * @comment: its comment, the RouterOS rule's.
 * @body: its expressions, one "[...]" a line, as compared.
 * @shown: the same as shown (anonymous sets by their elements).
 * @file, @line: for the batch's rules, the RouterOS rule's place.
 */
struct krule {
	int family;
	char *chain, *counter, *comment, *body, *shown;
	const char *file;	/* the batch's: where the RouterOS rule is */
	unsigned line;
	long num;		/* the RouterOS rule's number (diff_number); -1 */
};

struct krules {
	struct krule *v;
	size_t n, cap;
};

/* A chain, named set or object as --diff compares it: "set ip al_x", its
 * definition, and its elements: all of them, or for a set whose entries
 * come and go, the configuration's static ones (marked so). */
struct dobj {
	char *id, *def;
	int family;
	const char *kind;	/* "chain", "set", "ct helper", "flowtable" */
	char *name;
	bool has_els, interval;
	unsigned key_type;
	char **els;		/* sorted, each once */
	size_t nels;
	char *token;		/* the elements as one string */
};

struct dobjs {
	struct dobj *v;
	size_t n, cap;
};

struct diff {
	struct nlsock ns;
	struct anon *anons;
	size_t nanons, capanons;
	struct krules rules;
	struct dobjs objs;	/* chains, named sets, ct helpers, flowtables */
};

static void dobj_free(struct dobj *o)
{
	size_t i;

	for (i = 0; i < o->nels; i++)
		free(o->els[i]);
	free(o->els);
	free(o->id);
	free(o->def);
	free(o->name);
	free(o->token);
}

static struct dobj *dobj_add(struct dobjs *v, const char *kind, int family, const char *name, char *def)
{
	struct dobj *o;

	XGROW(v->v, v->n, v->cap);
	o = &v->v[v->n++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->family = family;
	o->name = xstrdup(name);
	o->id = obj_id(kind, family, name);
	o->def = def;
	return o;
}

/* What a set's definition says of its elements: key type, interval. */
static void set_keyinfo(struct dobj *o, const struct nlmsghdr *nlh)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) == NFTA_SET_KEY_TYPE)
			o->key_type = be32toh(mnl_attr_get_u32(a));
		else if (mnl_attr_get_type(a) == NFTA_SET_FLAGS)
			o->interval = be32toh(mnl_attr_get_u32(a)) & NFT_SET_INTERVAL;
	}
}

/* ---- rule keys, shared by the kernel's rules and the batch's ------------ */

typedef const struct anon *(*anon_fn)(void *ctx, int family, const char *name, uint32_t id);

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

/* What a comparison's bytes read as, for people: an interface name, a
 * 16-bit number in network order (a port). Shown only, never compared. */
static void cmp_hint(struct sbuf *d, const struct nftnl_expr *e)
{
	uint32_t len = 0, i;
	const uint8_t *v = nftnl_expr_get(e, NFTNL_EXPR_CMP_DATA, &len);
	char text[64];

	if (!v)
		return;
	if (len == 2) {
		snprintf(text, sizeof(text), "(%u) ", (unsigned)(v[0] << 8 | v[1]));
		sbuf_str(d, text);
		return;
	}
	for (i = 0; i < len && v[i] >= 0x21 && v[i] < 0x7f; i++)
		;
	if (len == 16 && i > 0 && i < len) {
		uint32_t n = i;

		for (; i < len && !v[i]; i++)
			;
		if (i == len) {
			snprintf(text, sizeof(text), "(\"%.*s\") ", (int)n, (const char *)v);
			sbuf_str(d, text);
		}
	}
}

/*
 * The names of the objects a rule of our own batch refers to, in order,
 * as long as their attributes say: libnftnl puts an objref's name without
 * its NUL (as nft does) and reads it back up to a NUL, past the attribute
 * into whatever follows it in the batch page.
 */
struct objnames {
	char v[8][NFT_OBJ_MAXNAMELEN];
	size_t n, next;
};

static bool attr_is(const struct nlattr *a, const char *s)
{
	size_t n = strlen(s);

	return mnl_attr_get_payload_len(a) >= n && !memcmp(mnl_attr_get_payload(a), s, n) &&
	       (mnl_attr_get_payload_len(a) == n || !((const char *)mnl_attr_get_payload(a))[n]);
}

static void objnames_read(struct objnames *on, const struct nlmsghdr *nlh)
{
	const struct nlattr *a, *el, *x, *data, *y;

	on->n = on->next = 0;
	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) != NFTA_RULE_EXPRESSIONS)
			continue;
		mnl_attr_for_each_nested(el, a) {
			bool objref = false;

			data = NULL;
			mnl_attr_for_each_nested(x, el) {
				if (mnl_attr_get_type(x) == NFTA_EXPR_NAME)
					objref = attr_is(x, "objref");
				else if (mnl_attr_get_type(x) == NFTA_EXPR_DATA)
					data = x;
			}
			if (!objref || !data || on->n == sizeof(on->v) / sizeof(on->v[0]))
				continue;
			on->v[on->n][0] = '\0';
			mnl_attr_for_each_nested(y, data) {
				if (mnl_attr_get_type(y) == NFTA_OBJREF_IMM_NAME) {
					size_t len = mnl_attr_get_payload_len(y);

					if (len >= NFT_OBJ_MAXNAMELEN)
						len = NFT_OBJ_MAXNAMELEN - 1;
					memcpy(on->v[on->n], mnl_attr_get_payload(y), len);
					on->v[on->n][len] = '\0';
				}
			}
			on->n++;
		}
	}
}

/* One expression into `k` as compared and `d` as shown. */
static void expr_key(struct sbuf *k, struct sbuf *d, struct nftnl_expr *e, int family, anon_fn anon, void *ctx,
		     struct objnames *names, char **counter)
{
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
	char text[1024];

	expr_normalise(e, name);

	sbuf_str(k, "[");
	sbuf_str(k, name);
	sbuf_str(d, "[");
	sbuf_str(d, name);
	if (!strcmp(name, "counter")) {
		/* the figures are what is kept, not what is compared */
	} else if (!strcmp(name, "lookup")) {
		const char *set = nftnl_expr_get_str(e, NFTNL_EXPR_LOOKUP_SET);

		snprintf(text, sizeof(text), " sreg %u dreg %u flags %u set ",
			 nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_SREG),
			 nftnl_expr_is_set(e, NFTNL_EXPR_LOOKUP_DREG) ? nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_DREG) : 0,
			 nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_FLAGS));
		sbuf_str(k, text);
		sbuf_str(d, text);
		if (set_is_anon(set)) {
			const struct anon *a = anon(ctx, family, set, nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_SET_ID));

			sbuf_str(k, "{");
			sbuf_str(k, a ? a->token : "?");
			sbuf_str(k, "}");
			sbuf_str(d, "{ ");
			sbuf_str(d, a ? a->shown : "?");
			sbuf_str(d, " }");
		} else {
			sbuf_str(k, set ? set : "?");
			sbuf_str(d, set ? set : "?");
		}
	} else if (!strcmp(name, "objref")) {
		const char *nm = names ? (names->next < names->n ? names->v[names->next++] : "")
				       : nftnl_expr_get_str(e, NFTNL_EXPR_OBJREF_IMM_NAME);
		uint32_t type = nftnl_expr_get_u32(e, NFTNL_EXPR_OBJREF_IMM_TYPE);

		snprintf(text, sizeof(text), " type %u name %s", type, nm ? nm : "");
		sbuf_str(k, text);
		sbuf_str(d, text);
		if (type == NFT_OBJECT_COUNTER && counter && !*counter && nm && *nm)
			*counter = xstrdup(nm);
	} else {
		if (nftnl_expr_snprintf(text, sizeof(text), e, NFTNL_OUTPUT_DEFAULT, 0) < 0)
			text[0] = 0;
		sbuf_str(k, " ");
		sbuf_str(k, text);
		sbuf_str(d, " ");
		sbuf_str(d, text);
		if (!strcmp(name, "cmp"))
			cmp_hint(d, e);
	}
	sbuf_str(k, "]");
	sbuf_str(d, "]");
}

/* A parsed rule as --diff compares it. `on`: the objref names of a rule of
 * our own batch (objnames_read), NULL for the kernel's, whose names end in
 * their NUL. */
static void krule_read(struct krules *v, const struct nftnl_rule *r, anon_fn anon, void *ctx, struct objnames *on)
{
	struct nftnl_expr_iter *it = nftnl_expr_iter_create(r);
	struct sbuf k = { 0 }, d = { 0 };
	struct nftnl_expr *e;
	struct krule *kr;

	if (!it)
		xdie("out of memory");
	XGROW(v->v, v->n, v->cap);
	kr = &v->v[v->n++];
	memset(kr, 0, sizeof(*kr));
	kr->family = (int)nftnl_rule_get_u32(r, NFTNL_RULE_FAMILY);
	kr->num = -1;
	kr->chain = xstrdup(nftnl_rule_get_str(r, NFTNL_RULE_CHAIN));
	sbuf_str(&k, "");
	sbuf_str(&d, "");
	while ((e = nftnl_expr_iter_next(it))) {
		/* A RouterOS rule's counter names it (rules_compare), it is
		 * not what it does: a rule whose comment changed is the same
		 * rule with a new counter. */
		if (!strcmp(nftnl_expr_get_str(e, NFTNL_EXPR_NAME), "objref") &&
		    nftnl_expr_get_u32(e, NFTNL_EXPR_OBJREF_IMM_TYPE) == NFT_OBJECT_COUNTER && !kr->counter) {
			struct sbuf junk = { 0 };

			expr_key(&junk, &junk, e, kr->family, anon, ctx, on, &kr->counter);
			free(junk.s);
			continue;
		}
		expr_key(&k, &d, e, kr->family, anon, ctx, on, NULL);
		sbuf_str(&k, "\n");
		sbuf_str(&d, "\n");
	}
	nftnl_expr_iter_destroy(it);
	kr->body = k.s;
	kr->shown = d.s;
	if (nftnl_rule_is_set(r, NFTNL_RULE_USERDATA)) {
		uint32_t len, i;
		const uint8_t *u = nftnl_rule_get_data(r, NFTNL_RULE_USERDATA, &len);

		/* type, length, value records; the comment is type 0 */
		for (i = 0; i + 2 <= len && i + 2 + u[i + 1] <= len; i += 2u + u[i + 1])
			if (u[i] == 0 && u[i + 1]) {
				kr->comment = xstrndup((const char *)&u[i + 2], strnlen((const char *)&u[i + 2], u[i + 1]));
				break;
			}
	}
}

static void krules_free(struct krules *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		free(v->v[i].chain);
		free(v->v[i].counter);
		free(v->v[i].comment);
		free(v->v[i].body);
		free(v->v[i].shown);
	}
	free(v->v);
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
					  NFTA_SET_ELEM_FLAGS, NFTA_SET_ELEM_USERDATA, NFTA_SET_ELEM_OBJREF };
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
			if (types[i] == NFTA_SET_ELEM_OBJREF)	/* the name, without its NUL */
				sbuf_hex(t, mnl_attr_get_payload(a),
					 strnlen(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a)));
			else if (types[i] == NFTA_SET_ELEM_FLAGS || types[i] == NFTA_SET_ELEM_USERDATA)
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
			if (!a->configured_only || kread_elem_configured(el))
				anon_elem(a, el);
	}
}

/* The same, of the kernel's dump. */
static void anon_dumped(void *ctx, const struct kread_elem *e)
{
	struct anon *a = ctx;

	if (!a->configured_only || e->configured)
		anon_elem(a, e->nest);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Elements come in the kernel's order (or split over messages): sorted
 * and each once, the same set gives the same token; shown as nft shows
 * them. The elements stay in a->els for a named set's --diff. */
static void anon_seal(struct anon *a, unsigned key_type, int interval)
{
	struct sbuf t = { 0 }, s = { 0 };
	char **shown;
	size_t i, o = 0, n;

	if (a->n)
		qsort(a->els, a->n, sizeof(*a->els), str_cmp);
	sbuf_str(&t, "");
	sbuf_str(&s, "");
	for (i = 0; i < a->n; i++) {
		/* the batch may send an element twice; the kernel keeps one */
		if (o && !strcmp(a->els[o - 1], a->els[i])) {
			free(a->els[i]);
			continue;
		}
		a->els[o++] = a->els[i];
		sbuf_str(&t, a->els[i]);
		sbuf_str(&t, ",");
		/* an anonymous set says nothing of its ranges but its ends */
		if (interval < 0 && strstr(a->els[i], " 3:00000001"))
			interval = 1;
	}
	a->n = o;
	a->token = t.s;
	shown = changes_elements(a->els, a->n, key_type, interval > 0, &n);
	for (i = 0; i < n; i++) {
		if (i)
			sbuf_str(&s, ", ");
		sbuf_str(&s, shown[i]);
		free(shown[i]);
	}
	free(shown);
	a->shown = s.s;
}

static void anon_drop_els(struct anon *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->els[i]);
	free(a->els);
	a->els = NULL;
	a->n = a->cap = 0;
}

static struct anon *anon_find(struct anon *v, size_t n, int family, const char *name, uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].family == family && (name ? v[i].name && !strcmp(v[i].name, name) : v[i].id == id))
			return &v[i];
	return NULL;
}

static const struct anon *anon_by_name(void *ctx, int family, const char *name, uint32_t id)
{
	struct diff *st = ctx;

	(void)id;
	return anon_find(st->anons, st->nanons, family, name, 0);
}

/* ---- reading the kernel ------------------------------------------------- */

struct set_row {
	char *name, *def;
	uint32_t flags;
	const struct nlmsghdr *nlh;
	struct dobj info;	/* key type and interval */
};

struct set_rows {
	struct set_row *v;
	size_t n, cap;
};

static void set_row_add(void *ctx, const struct kread_set *s)
{
	struct set_rows *rows = ctx;
	struct set_row *r;

	XGROW(rows->v, rows->n, rows->cap);
	r = &rows->v[rows->n++];
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(s->name);
	r->def = set_def(s->nlh);
	r->flags = s->flags;
	set_keyinfo(&r->info, s->nlh);
}

/* A set's elements, taken from `a` into `o`. */
static void dobj_take_els(struct dobj *o, struct anon *a)
{
	o->has_els = true;
	o->els = a->els;
	o->nels = a->n;
	o->token = a->token;
	free(a->shown);
	a->els = NULL;
	a->n = a->cap = 0;
	a->token = a->shown = NULL;
}

/* A named set for --diff: its definition, and its elements; of a set
 * whose entries come and go by themselves (those are state, not
 * configuration), the configuration's static ones, which apply marks. */
static int set_obj_read(struct diff *st, int family, struct set_row *r)
{
	struct dobj *o = dobj_add(&st->objs, "set", family, r->name, r->def);
	struct anon a = { .configured_only = (r->flags & (NFT_SET_TIMEOUT | NFT_SET_EVAL)) != 0 };
	int ret;

	r->def = NULL;
	o->key_type = r->info.key_type;
	o->interval = r->info.interval;
	ret = kread_elems(&st->ns, family, r->name, anon_dumped, &a);
	anon_seal(&a, o->key_type, o->interval);
	dobj_take_els(o, &a);
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
		anon_seal(a, r->info.key_type, r->info.interval);
		anon_drop_els(a);
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

	dobj_add(&names->st->objs, "chain", names->family, c->name, chain_def(c->nlh));
	XGROW(names->v, names->n, names->cap);
	names->v[names->n++] = xstrdup(c->name);
}

static void rule_add(void *ctx, const struct kread_rule *kr)
{
	struct diff *st = ctx;
	struct nftnl_rule *r = nftnl_rule_alloc();

	if (!r)
		xdie("out of memory");
	if (nftnl_rule_nlmsg_parse(kr->nlh, r) == 0)
		krule_read(&st->rules, r, anon_by_name, st, NULL);
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
		dobj_add(&c->st->objs, flowtable ? "flowtable" : "ct helper", c->family, name, def);
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
	/* The bridge table too: it holds the bridge ports' numbers. */
	for (f = 0; f < 3; f++) {
		int family = f == 2 ? NFPROTO_BRIDGE : f ? NFPROTO_IPV6 : NFPROTO_IPV4;

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

void diff_number(struct diff *st, long (*num)(void *ctx, int family, const char *counter), void *ctx)
{
	size_t i;

	for (i = 0; i < st->rules.n; i++)
		if (st->rules.v[i].counter)
			st->rules.v[i].num = num(ctx, st->rules.v[i].family, st->rules.v[i].counter);
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
		free(st->anons[i].shown);
	}
	krules_free(&st->rules);
	for (i = 0; i < st->objs.n; i++)
		dobj_free(&st->objs.v[i]);
	free(st->objs.v);
	free(st->anons);
	free(st);
}

/* The batch's anonymous sets by id; then each rule's key. */
struct batch_scan {
	struct anon *anons;
	size_t nanons, capanons;
};

static const struct anon *anon_by_id(void *ctx, int family, const char *name, uint32_t id)
{
	struct batch_scan *bs = ctx;

	(void)name;
	return anon_find(bs->anons, bs->nanons, family, NULL, id);
}

/* The batch's anonymous set `id`, made when first named. */
static struct anon *batch_anon(struct batch_scan *bs, int family, uint32_t id)
{
	struct anon *a = anon_find(bs->anons, bs->nanons, family, NULL, id);

	if (!a) {
		XGROW(bs->anons, bs->nanons, bs->capanons);
		a = &bs->anons[bs->nanons++];
		memset(a, 0, sizeof(*a));
		a->family = family;
		a->id = id;
		a->interval = -1;
	}
	return a;
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
	a = batch_anon(bs, family, id);
	anon_elems(a, nlh);
}

static uint16_t msg_type(const struct nlmsghdr *nlh)
{
	return (uint16_t)(nlh->nlmsg_type & 0xff);
}

/* ---- --diff ------------------------------------------------------------- */

/* The batch's chains, named sets (definition, and elements: of sets whose
 * entries come and go, the configured ones), objects and rules, as the
 * kernel's were read. */
struct batch_diff {
	struct emit_nl *b;
	const struct diag *names;	/* names the files of rules' places */
	struct batch_scan bs;
	struct dobjs objs;
	struct anon *named;	/* elements of named sets, by name */
	size_t nnamed, capnamed;
	struct krules rules;
};

static void diff_set_msg(struct batch_diff *bd, const struct nlmsghdr *nlh, int family)
{
	const struct nlattr *a;
	const char *name = NULL;
	uint32_t flags = 0, id = 0;
	struct dobj *o;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) == NFTA_SET_NAME)
			name = mnl_attr_get_str(a);
		else if (mnl_attr_get_type(a) == NFTA_SET_FLAGS)
			flags = be32toh(mnl_attr_get_u32(a));
		else if (mnl_attr_get_type(a) == NFTA_SET_ID)
			id = be32toh(mnl_attr_get_u32(a));
	}
	if (!name)
		return;
	if (set_is_anon(name)) {
		struct dobj info = { 0 };
		struct anon *an = batch_anon(&bd->bs, family, id);

		set_keyinfo(&info, nlh);
		an->key_type = info.key_type;
		an->interval = info.interval;
		return;
	}
	o = dobj_add(&bd->objs, "set", family, name, set_def(nlh));
	set_keyinfo(o, nlh);
	o->has_els = true;
	XGROW(bd->named, bd->nnamed, bd->capnamed);
	memset(&bd->named[bd->nnamed], 0, sizeof(bd->named[0]));
	bd->named[bd->nnamed].family = family;
	/* Entries that come and go are state, not configuration. */
	bd->named[bd->nnamed].configured_only = (flags & (NFT_SET_TIMEOUT | NFT_SET_EVAL)) != 0;
	bd->named[bd->nnamed++].name = xstrdup(name);
}

static void diff_scan(struct batch_diff *bd, struct nlmsghdr *nlh)
{
	int family = ((const struct nfgenmsg *)mnl_nlmsg_get_payload(nlh))->nfgen_family;
	const struct nlattr *a;

	switch (msg_type(nlh)) {
	case NFT_MSG_NEWCHAIN:
		mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
			if (mnl_attr_get_type(a) == NFTA_CHAIN_NAME)
				dobj_add(&bd->objs, "chain", family, mnl_attr_get_str(a), chain_def(nlh));
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
			dobj_add(&bd->objs, ft ? "flowtable" : "ct helper", family, name, def);
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
			struct objnames on;
			struct emit_nl_origin o;

			objnames_read(&on, nlh);
			krule_read(&bd->rules, r, anon_by_id, &bd->bs, &on);
			if (emit_nl_origin(bd->b, nlh->nlmsg_seq, 0, &o) && o.rule) {
				struct krule *kr = &bd->rules.v[bd->rules.n - 1];

				kr->num = o.rule->id;
				if (bd->names && o.rule->loc.file) {
					kr->file = diag_source_name(bd->names, o.rule->loc.file);
					kr->line = o.rule->loc.line;
				}
			}
		}
		nftnl_rule_free(r);
		break;
	}
	}
}

/* ---- objects ------------------------------------------------------------ */

static int dobj_cmp(const void *a, const void *b)
{
	const struct dobj *x = a, *y = b;

	return strcmp(x->id, y->id);
}

static const char *family_of(int family)
{
	return family == NFPROTO_IPV6 ? "ip6" : family == NFPROTO_BRIDGE ? "bridge" : "ip";
}

/* What changed inside a set that is on both sides: its definition, its
 * elements (as nft shows them). */
static void set_changes(struct changes *c, const struct dobj *o, const struct dobj *n)
{
	struct change *ch = changes_add(c, CH_CHANGE, "set", family_of(n->family), n->name);
	char **a = NULL, **b = NULL;
	size_t na = 0, nb = 0, i = 0, j = 0;

	if (strcmp(o->def, n->def))
		ch->note = xstrdup("definition (type, flags or timeout)");
	if (o->has_els && n->has_els && strcmp(o->token, n->token)) {
		a = changes_elements(o->els, o->nels, o->key_type, o->interval, &na);
		b = changes_elements(n->els, n->nels, n->key_type, n->interval, &nb);
		while (i < na || j < nb) {
			int k = i == na ? 1 : j == nb ? -1 : strcmp(a[i], b[j]);

			if (k < 0)
				change_removed(ch, a[i]);
			else if (k > 0)
				change_added(ch, b[j]);
			i += k <= 0;
			j += k >= 0;
		}
	} else if (o->has_els != n->has_els && !ch->note) {
		ch->note = xstrdup("definition (type, flags or timeout)");
	}
	for (i = 0; i < na; i++)
		free(a[i]);
	for (j = 0; j < nb; j++)
		free(b[j]);
	free(a);
	free(b);
}

static bool dobj_same(const struct dobj *o, const struct dobj *n)
{
	return !strcmp(o->def, n->def) && o->has_els == n->has_els &&
	       (!o->has_els || !strcmp(o->token ? o->token : "", n->token ? n->token : ""));
}

static void objs_compare(struct dobjs *old, struct dobjs *new, struct changes *c)
{
	size_t i = 0, j = 0;

	if (old->n > 1)
		qsort(old->v, old->n, sizeof(*old->v), dobj_cmp);
	if (new->n > 1)
		qsort(new->v, new->n, sizeof(*new->v), dobj_cmp);
	while (i < old->n || j < new->n) {
		int k = i == old->n ? 1 : j == new->n ? -1 : strcmp(old->v[i].id, new->v[j].id);

		if (k < 0) {
			changes_add(c, CH_REMOVE, old->v[i].kind, family_of(old->v[i].family), old->v[i].name);
		} else if (k > 0) {
			changes_add(c, CH_ADD, new->v[j].kind, family_of(new->v[j].family), new->v[j].name);
		} else if (!dobj_same(&old->v[i], &new->v[j])) {
			if (!strcmp(new->v[j].kind, "set"))
				set_changes(c, &old->v[i], &new->v[j]);
			else
				changes_add(c, CH_CHANGE, new->v[j].kind, family_of(new->v[j].family),
					    new->v[j].name)->note = xstrdup("definition");
		}
		i += k <= 0;
		j += k >= 0;
	}
}

/* ---- rules -------------------------------------------------------------- */

/**
 * struct rrule - a RouterOS rule: the kernel rules that share its counter
 * object (or, for a rule rosfw adds, one chain's rules of one comment).
 * @first: its first kernel rule, which names its chain and comment.
 * @pos: where it stands: its first kernel rule's index.
 * @num: its RouterOS number, -1 for none (the kernel's side without
 *	diff_number).
 * @text: its comment.
 * @gap: for a rule not paired by name or comment, its place: the kept
 *	rule (its old index) it follows in its chain, and its rank after it.
 * @body: its kernel rules' expressions, as compared and as shown.
 * @pair: its match on the other side, -1 for none.
 * @moved: its order among its chain's kept rules changed.
 */
struct rrule {
	const struct krule *first;
	size_t pos;
	long num;
	const char *text;
	struct sbuf body, shown;
	long pair;
	bool moved;
	long gap[2];
};

struct rrules {
	struct rrule *v;
	size_t n;
};

/* Who a kernel rule belongs to: its counter, or its chain and comment. */
static char *ident(const struct krule *k)
{
	struct sbuf t = { 0 };
	char fam[16];

	snprintf(fam, sizeof(fam), "%d ", k->family);
	sbuf_str(&t, fam);
	if (k->counter) {
		sbuf_str(&t, k->counter);
	} else {
		sbuf_str(&t, k->chain);
		sbuf_str(&t, "\n");
		sbuf_str(&t, k->comment ? k->comment : "");
	}
	return t.s;
}

struct keyed {
	char *key;
	size_t idx;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static void keyed_free(struct keyed *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].key);
	free(v);
}

static int rrule_pos_cmp(const void *a, const void *b)
{
	const struct rrule *x = a, *y = b;

	return (x->pos > y->pos) - (x->pos < y->pos);
}

/* The kernel rules of one side grouped into RouterOS rules, in order. */
static void rrules_make(const struct krules *k, struct rrules *out)
{
	struct keyed *v = xcalloc(k->n ? k->n : 1, sizeof(*v));
	size_t i, j;

	for (i = 0; i < k->n; i++) {
		v[i].key = ident(&k->v[i]);
		v[i].idx = i;
	}
	if (k->n > 1)
		qsort(v, k->n, sizeof(*v), keyed_cmp);
	out->v = xcalloc(k->n ? k->n : 1, sizeof(*out->v));
	out->n = 0;
	for (i = 0; i < k->n; i = j) {
		struct rrule *r = &out->v[out->n++];
		const struct krule *f = &k->v[v[i].idx];
		const char *c = f->comment ? f->comment : "";

		r->first = f;
		r->pos = v[i].idx;
		r->pair = -1;
		r->num = f->counter ? f->num : -1;
		r->text = c;
		sbuf_str(&r->body, "");
		sbuf_str(&r->shown, "");
		for (j = i; j < k->n && !strcmp(v[j].key, v[i].key); j++) {
			if (j > i) {
				sbuf_str(&r->body, "--\n");
				sbuf_str(&r->shown, "--\n");
			}
			sbuf_str(&r->body, k->v[v[j].idx].body);
			sbuf_str(&r->shown, k->v[v[j].idx].shown);
		}
	}
	keyed_free(v, k->n);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), rrule_pos_cmp);
}

static void rrules_free(struct rrules *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].body.s);
		free(r->v[i].shown.s);
	}
	free(r->v);
}

typedef char *(*pair_key_fn)(const struct rrule *r);

static char *key_ident(const struct rrule *r)
{
	return ident(r->first);
}

/* An unmatched rule of the same chain with the same comment is the same
 * rule, changed; then one at the same place between the kept rules. */
static char *key_comment(const struct rrule *r)
{
	char *id, *k;

	if (!r->first->counter || !*r->text)
		return NULL;
	id = xstrdup(r->first->chain);
	k = obj_id(id, r->first->family, r->text);
	free(id);
	return k;
}

static char *key_place(const struct rrule *r)
{
	char place[64];

	if (!r->first->counter)
		return NULL;
	snprintf(place, sizeof(place), "@%ld.%ld", r->gap[0], r->gap[1]);
	return obj_id(r->first->chain, r->first->family, place);
}

static bool same_chain(const struct rrule *a, const struct rrule *b)
{
	return a->first->family == b->first->family && !strcmp(a->first->chain, b->first->chain);
}

/* The places of the rules not paired yet (key_place): each side's rules
 * of a chain stand together, in order. */
static void places_mark(struct rrules *o, struct rrules *n)
{
	struct rrules *side[2] = { o, n };
	int s;

	for (s = 0; s < 2; s++) {
		long anchor = -1, rank = 0;
		size_t i;

		for (i = 0; i < side[s]->n; i++) {
			struct rrule *r = &side[s]->v[i];

			if (i && !same_chain(r, &side[s]->v[i - 1]))
				anchor = -1, rank = 0;
			if (r->pair >= 0) {
				anchor = s ? r->pair : (long)i;
				rank = 0;
			} else if (r->first->counter) {
				r->gap[0] = anchor;
				r->gap[1] = rank++;
			}
		}
	}
}

/* Pairs the rules of both sides not paired yet whose keys are equal, in
 * their order. */
static void pair_by(struct rrules *o, struct rrules *n, pair_key_fn fn)
{
	struct keyed *a = xcalloc(o->n ? o->n : 1, sizeof(*a)), *b = xcalloc(n->n ? n->n : 1, sizeof(*b));
	size_t na = 0, nb = 0, i = 0, j = 0;
	char *k;

	for (i = 0; i < o->n; i++)
		if (o->v[i].pair < 0 && (k = fn(&o->v[i])))
			a[na++] = (struct keyed){ k, i };
	for (j = 0; j < n->n; j++)
		if (n->v[j].pair < 0 && (k = fn(&n->v[j])))
			b[nb++] = (struct keyed){ k, j };
	if (na > 1)
		qsort(a, na, sizeof(*a), keyed_cmp);
	if (nb > 1)
		qsort(b, nb, sizeof(*b), keyed_cmp);
	for (i = 0, j = 0; i < na && j < nb;) {
		int c = strcmp(a[i].key, b[j].key);

		if (!c) {
			o->v[a[i].idx].pair = (long)b[j].idx;
			n->v[b[j].idx].pair = (long)a[i].idx;
		}
		i += c <= 0;
		j += c >= 0;
	}
	keyed_free(a, na);
	keyed_free(b, nb);
}

/*
 * Within each chain, the kept rules (paired) in their new order: those
 * off the longest run that keeps its old order are the moved ones. An
 * insertion pushes the rules after it down a number, which is no move.
 */
static void moves_find(struct rrules *o, struct rrules *n)
{
	size_t i = 0, j, len, *tail = xcalloc(n->n + 1, sizeof(*tail)), *prev = xcalloc(n->n + 1, sizeof(*prev));
	size_t *seq = xcalloc(n->n + 1, sizeof(*seq));

	while (i < n->n) {
		size_t ns = 0, lis = 0, k;
		const struct krule *f = n->v[i].first;

		/* a run of one chain: rules of a chain stand together */
		for (j = i; j < n->n && n->v[j].first->family == f->family && !strcmp(n->v[j].first->chain, f->chain); j++)
			if (n->v[j].pair >= 0 && n->v[j].first->counter)
				seq[ns++] = j;
		/* longest increasing run of old positions (patience sort) */
		for (k = 0; k < ns; k++) {
			size_t lo = 0, hi = lis, op = o->v[n->v[seq[k]].pair].pos;

			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (o->v[n->v[seq[tail[mid]]].pair].pos < op)
					lo = mid + 1;
				else
					hi = mid;
			}
			prev[k] = lo ? tail[lo - 1] : (size_t)-1;
			tail[lo] = k;
			if (lo == lis)
				lis++;
		}
		for (k = 0; k < ns; k++)
			n->v[seq[k]].moved = true;
		for (len = lis, k = lis ? tail[lis - 1] : (size_t)-1; len; len--, k = prev[k])
			n->v[seq[k]].moved = false;
		i = j;
	}
	free(tail);
	free(prev);
	free(seq);
}

static void lines_split(char *s, char ***v, size_t *n)
{
	char *p;

	*v = NULL;
	*n = 0;
	for (p = strtok(s, "\n"); p; p = strtok(NULL, "\n")) {
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		(*v)[(*n)++] = p;
	}
}

/* Longer lines are cut: an anonymous set of a thousand prefixes is one
 * expression. */
#define SHOWN_MAX 400

static void shown_add(struct change *ch, const char *s, bool added)
{
	char buf[SHOWN_MAX + 8];

	snprintf(buf, sizeof(buf), "%.*s%s", SHOWN_MAX, s, strlen(s) > SHOWN_MAX ? " ..." : "");
	if (added)
		change_added(ch, buf);
	else
		change_removed(ch, buf);
}

struct lines2 {
	char **x, **y;
};

static bool line_eq(size_t i, size_t j, const void *ctx)
{
	const struct lines2 *l = ctx;

	return !strcmp(l->x[i], l->y[j]);
}

/* The expressions that differ between two versions of a rule: a line
 * diff (longest common subsequence) of what each side shows. */
static void body_changes(struct change *ch, const struct rrule *o, const struct rrule *n)
{
	char *a = xstrdup(o->shown.s), *b = xstrdup(n->shown.s), **x, **y, *script;
	size_t nx, ny, i, j, k, len;
	struct lines2 l;

	lines_split(a, &x, &nx);
	lines_split(b, &y, &ny);
	if (nx > 2000 || ny > 2000) {
		/* too long to compare line by line: shown whole */
		for (i = 0; i < nx; i++)
			shown_add(ch, x[i], false);
		for (j = 0; j < ny; j++)
			shown_add(ch, y[j], true);
		goto out;
	}
	l.x = x;
	l.y = y;
	script = lcs_script(nx, ny, line_eq, &l, SIZE_MAX, &len);
	for (k = i = j = 0; k < len; k++) {
		if (script[k] == '=') {
			i++;
			j++;
		} else if (script[k] == '-') {
			shown_add(ch, x[i++], false);
		} else {
			shown_add(ch, y[j++], true);
		}
	}
	free(script);
out:
	free(x);
	free(y);
	free(a);
	free(b);
}

static struct change *rule_change(struct changes *c, enum change_op op, const struct rrule *r)
{
	struct change *ch = changes_add(c, op, "rule", family_of(r->first->family), r->first->chain);

	if (*r->text)
		ch->comment = xstrdup(r->text);
	if (op == CH_REMOVE) {
		ch->was = r->num;
	} else {
		ch->num = r->num;
		if (r->first->file) {
			ch->file = xstrdup(r->first->file);
			ch->line = r->first->line;
		}
	}
	return ch;
}

static void rules_compare(const struct krules *ko, const struct krules *kn, struct changes *c)
{
	struct rrules o, n;
	size_t i;

	rrules_make(ko, &o);
	rrules_make(kn, &n);
	pair_by(&o, &n, key_ident);
	pair_by(&o, &n, key_comment);
	places_mark(&o, &n);
	pair_by(&o, &n, key_place);
	moves_find(&o, &n);
	for (i = 0; i < o.n; i++)
		if (o.v[i].pair < 0)
			rule_change(c, CH_REMOVE, &o.v[i]);
	for (i = 0; i < n.n; i++) {
		const struct rrule *r = &n.v[i], *was = r->pair >= 0 ? &o.v[r->pair] : NULL;
		bool body = was && strcmp(was->body.s, r->body.s), text = was && strcmp(was->text, r->text);
		struct change *ch;

		if (!was) {
			rule_change(c, CH_ADD, r);
			continue;
		}
		if (!body && !text && !r->moved) {
			if (!r->first->counter || !was->first->counter ||
			    !strcmp(r->first->counter, was->first->counter))
				continue;
			/* the same rule to the kernel, said otherwise */
			ch = rule_change(c, CH_CHANGE, r);
			ch->was = was->num;
			ch->note = xstrdup("written otherwise, the same to the kernel: its counter starts again");
			continue;
		}
		ch = rule_change(c, body || text ? CH_CHANGE : CH_MOVE, r);
		ch->was = was->num;
		if (text) {
			struct sbuf t = { 0 };

			sbuf_str(&t, "comment was \"");
			sbuf_str(&t, was->text);
			sbuf_str(&t, "\"");
			ch->note = t.s;
		} else if (body && r->moved) {
			ch->note = xstrdup("moved");
		}
		if (body)
			body_changes(ch, was, r);
	}
	rrules_free(&o);
	rrules_free(&n);
}

/* One pass over the batch: rules (the second) or all else (the first). */
struct diff_pass {
	struct batch_diff *bd;
	bool rules;
};

static void diff_pass_msg(struct nlmsghdr *nlh, void *ctx)
{
	struct diff_pass *p = ctx;

	if (p->rules == (msg_type(nlh) == NFT_MSG_NEWRULE))
		diff_scan(p->bd, nlh);
}

size_t diff_changes(struct diff *st, struct emit_nl *b, const struct diag *names, struct changes *c)
{
	size_t i, j, n0 = c->n;
	struct batch_diff bd = { .b = b, .names = names };
	int pass;

	/* Rules last: they name the sets. */
	for (pass = 0; pass < 2; pass++) {
		struct diff_pass p = { &bd, pass == 1 };

		emit_nl_each(b, diff_pass_msg, &p);
		if (pass == 0) {
			for (j = 0; j < bd.bs.nanons; j++) {
				anon_seal(&bd.bs.anons[j], bd.bs.anons[j].key_type, bd.bs.anons[j].interval);
				anon_drop_els(&bd.bs.anons[j]);
			}
		}
	}
	/* Named sets: their elements, as the kernel side has them. */
	for (j = 0; j < bd.objs.n; j++) {
		struct dobj *o = &bd.objs.v[j];
		struct anon *a;

		if (!o->has_els)
			continue;
		a = anon_find(bd.named, bd.nnamed, o->family, o->name, 0);
		if (a) {
			anon_seal(a, o->key_type, o->interval);
			dobj_take_els(o, a);
		} else {
			o->token = xstrdup("");
		}
	}
	objs_compare(&st->objs, &bd.objs, c);
	rules_compare(&st->rules, &bd.rules, c);
	for (i = 0; i < bd.objs.n; i++)
		dobj_free(&bd.objs.v[i]);
	free(bd.objs.v);
	krules_free(&bd.rules);
	for (i = 0; i < bd.bs.nanons; i++) {
		free(bd.bs.anons[i].token);
		free(bd.bs.anons[i].shown);
	}
	for (i = 0; i < bd.nnamed; i++) {
		free(bd.named[i].name);
		free(bd.named[i].token);
		free(bd.named[i].shown);
		anon_drop_els(&bd.named[i]);
	}
	free(bd.bs.anons);
	free(bd.named);
	return c->n - n0;
}
