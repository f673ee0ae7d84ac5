/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Model to IR: RouterOS rules, address lists and interface lists become
 * nftables chains, rules and sets. One function per property or action;
 * the table at the end says for each whether it is exact, approximate or
 * refused, and docs/translation.md is printed from it.
 */
#include "lower.h"

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <stdlib.h>
#include <string.h>

#include "kname.h"
#include "lower_impl.h"
#include "menu.h"
#include "text.h"
#include "value.h"
#include "xalloc.h"

static uint32_t fnv1a(const char *s);

const char *lower_name_kind(enum menu_kind k, enum prop_id prop, const char **prefix)
{
	/* al_, ad_ and ar_ are as long: one answer for the three sets. */
	static const struct {
		enum prop_id prop;
		uint32_t menus;
		enum kname_set set;
	} names[] = {
		{ P_ADDRESS_LIST, MB_RULES, KNAME_LIST },
		{ P_DST_ADDRESS_LIST, MB_RULES, KNAME_LIST },
		{ P_EXCLUDE, MB(MK_IFLIST), KNAME_IFLIST },
		{ P_IN_INTERFACE_LIST, MB_RULES, KNAME_IFLIST },
		{ P_INCLUDE, MB(MK_IFLIST), KNAME_IFLIST },
		{ P_LIST, MB(MK_ADDRLIST4) | MB(MK_ADDRLIST6), KNAME_LIST },
		{ P_LIST, MB(MK_IFLIST_MEMBER), KNAME_IFLIST },
		{ P_NAME, MB(MK_IFLIST), KNAME_IFLIST },
		{ P_OUT_INTERFACE_LIST, MB_RULES, KNAME_IFLIST },
		{ P_SRC_ADDRESS_LIST, MB_RULES, KNAME_LIST },
	};
	size_t i;

	if (menu_kind_is_rules(k) && (prop == P_CHAIN || prop == P_JUMP_TARGET)) {
		*prefix = kname_chain_prefix(menu_kind_facility(k));
		return "chain";
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((names[i].menus & MB(k)) && names[i].prop == prop) {
			*prefix = kname_set_prefix(names[i].set);
			return "set";
		}
	}
	return NULL;
}

/* The kernel name of `name` into `buf` (LOWER_IDENT_MAX bytes). The check
 * refuses names that do not fit, so a failure here is a bug, made loud
 * rather than cut. */
const char *lower_kernel_name(struct lctx *L, char *buf, const char *prefix, const char *name)
{
	if (!kname_ident(buf, LOWER_IDENT_MAX, prefix, name))
		diag_error(L->d, NULL, "internal error: the name \"%.40s...\" is longer than the kernel's %d bytes after %s",
			   name, LOWER_IDENT_MAX - 1, prefix);
	return buf;
}

void lower_text(char *out, size_t size, const char *in, size_t len, size_t max)
{
	size_t i, o = 0;

	if (!size)
		return;
	if (max >= size)
		max = size - 1;
	for (i = 0; i < len && o < max; i++) {
		unsigned char c = (unsigned char)in[i];

		/* nft's scanner ends a string at '"' and has no escapes; a
		 * newline would end the statement. */
		if (c == '"')
			c = '\'';
		else if (c < 0x20 || c == 0x7f)
			c = ' ';
		out[o++] = (char)c;
	}
	/* Never end inside a UTF-8 sequence: if the last one is cut short,
	 * drop it whole. */
	if (o && i < len) {
		size_t k = o, need;
		unsigned char lead;

		while (k && ((unsigned char)out[k - 1] & 0xc0) == 0x80)
			k--;
		lead = k ? (unsigned char)out[k - 1] : 0;
		need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
		if (k && (lead & 0xc0) == 0xc0 && o - (k - 1) < need)
			o = k - 1;
	}
	out[o] = '\0';
}

/* ---- chains ------------------------------------------------------------- */

static const struct builtin {
	const char *fac, *ros;
	enum ir_hook hook;
	enum ir_chain_type type;
	int prio;
} builtins[] = {
	/* RouterOS's packet flow: raw before connection tracking, mangle
	 * before dstnat, filter, srcnat last (nftables' standard priorities). */
	{ "raw", "prerouting", HOOK_PREROUTING, CHAIN_FILTER, -300 },
	{ "raw", "output", HOOK_OUTPUT, CHAIN_FILTER, -300 },
	{ "mangle", "prerouting", HOOK_PREROUTING, CHAIN_FILTER, -150 },
	{ "mangle", "input", HOOK_INPUT, CHAIN_FILTER, -150 },
	{ "mangle", "forward", HOOK_FORWARD, CHAIN_FILTER, -150 },
	{ "mangle", "output", HOOK_OUTPUT, CHAIN_ROUTE, -150 },
	{ "mangle", "postrouting", HOOK_POSTROUTING, CHAIN_FILTER, -150 },
	{ "nat", "dstnat", HOOK_NONE, CHAIN_NAT, -100 },
	{ "nat", "srcnat", HOOK_POSTROUTING, CHAIN_NAT, 100 },
	{ "filter", "input", HOOK_INPUT, CHAIN_FILTER, 0 },
	{ "filter", "forward", HOOK_FORWARD, CHAIN_FILTER, 0 },
	{ "filter", "output", HOOK_OUTPUT, CHAIN_FILTER, 0 },
	/* /interface bridge nat: the bridge family's dstnat and srcnat
	 * priorities, filter-type chains that rewrite MACs */
	{ "brnat", "dstnat", HOOK_PREROUTING, CHAIN_FILTER, -300 },
	{ "brnat", "srcnat", HOOK_POSTROUTING, CHAIN_FILTER, 300 },
};

static const struct builtin *builtin_find(const char *fac, const char *ros)
{
	size_t i;

	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(builtins[i].fac, fac) && !strcmp(builtins[i].ros, ros))
			return &builtins[i];
	return NULL;
}

const char *lower_chain_name(struct lctx *L, char *buf, const char *ros)
{
	return lower_kernel_name(L, buf, kname_chain_prefix(L->fac), ros);
}

static struct ir_chain *chain_get(struct lctx *L, const char *ros)
{
	char name[LOWER_IDENT_MAX];
	struct ir_chain *c;
	const struct builtin *b;

	/* Rules come in runs of one chain: the last one asked for first. */
	if (L->last_chain && L->last_chain->facility == L->fac && L->last_chain->ros_name &&
	    !strcmp(L->last_chain->ros_name, ros))
		return L->last_chain;
	lower_chain_name(L, name, ros);
	if ((c = ir_chain_find(L->t, name)))
		return L->last_chain = c;
	c = ir_chain_add(L->ir, L->t, name);
	c->facility = L->fac;
	c->ros_name = ir_strdup(L->ir, ros);
	if ((b = builtin_find(L->fac, ros))) {
		c->hook = b->hook;
		c->type = b->type;
		/* the bridge family's filter priority */
		c->prio = L->family == NFPROTO_BRIDGE && !strcmp(L->fac, "filter") ? -200 : b->prio;
	}
	return L->last_chain = c;
}

/* RouterOS dstnat sees forwarded and locally generated packets alike: two
 * base chains send both into one chain of rules. */
static void dstnat_hooks(struct lctx *L, struct ir_chain *rules)
{
	static const struct {
		const char *name;
		enum ir_hook hook;
	} hooks[] = { { "nat.prerouting", HOOK_PREROUTING }, { "nat.output", HOOK_OUTPUT } };
	size_t i;

	for (i = 0; i < 2; i++) {
		struct ir_chain *c = ir_chain_add(L->ir, L->t, hooks[i].name);
		struct ir_rule *r;
		struct ir_stmt *s;

		c->hook = hooks[i].hook;
		c->type = CHAIN_NAT;
		c->prio = -100;
		c->facility = "nat";
		r = ir_rule_add(L->ir, c, -1, NULL, NULL);
		s = ir_stmt_add(L->ir, r, S_VERDICT);
		s->u.verdict.kind = V_JUMP;
		s->u.verdict.chain = rules->name;
	}
}

/* ---- marks -------------------------------------------------------------- */

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/*
 * Mark names become numbers that do not depend on which other names the
 * configuration holds, so a mark keeps its number across edits: a hash of
 * the name, moved on by one on the rare collision (names taken in sorted
 * order, so the outcome is still deterministic). Packet marks use the low
 * 16 bits of the packet mark and routing marks the high 16, so one packet
 * can carry both as on RouterOS; connection marks use all 32 bits of ct
 * mark. no-mark is 0.
 */
uint32_t lower_mark(struct lctx *L, const char *kind, const char *name)
{
	size_t i;
	uint32_t v, mod, shift;

	if (!strcmp(name, "no-mark"))
		return 0;
	for (i = 0; i < L->ir->nmarks; i++)
		if (!strcmp(L->ir->marks[i].kind, kind) && !strcmp(L->ir->marks[i].name, name))
			return L->ir->marks[i].value;
	/* Not pre-registered: a name only a rule added after mark collection. */
	mod = !strcmp(kind, "connection") ? 0xfffffffeu : !strcmp(kind, "packet") ? ir_pmark_mask(L->ir) : 0xffffu;
	shift = !strcmp(kind, "routing") ? 16 : 0;
	v = (fnv1a(name) % mod + 1) << shift;
	return v;
}

static int mark_cmp(const void *a, const void *b)
{
	const struct ir_mark *x = a, *y = b;
	int c = strcmp(x->kind, y->kind);

	return c ? c : strcmp(x->name, y->name);
}

static void mark_add(struct ir *ir, const char *kind, const char *v)
{
	size_t x;

	if (!v || !*v || !strcmp(v, "no-mark"))
		return;
	for (x = 0; x < ir->nmarks; x++)
		if (!strcmp(ir->marks[x].kind, kind) && !strcmp(ir->marks[x].name, v))
			return;
	if (ir->nmarks == ir->capmarks) {
		ir->capmarks = ir->capmarks ? ir->capmarks * 2 : 16;
		ir->marks = xreallocarray(ir->marks, ir->capmarks, sizeof(*ir->marks));
	}
	ir->marks[ir->nmarks].kind = kind;
	ir->marks[ir->nmarks].name = ir_strdup(ir, v);
	ir->marks[ir->nmarks].value = 0;
	ir->nmarks++;
}

/* The routing tables the routing menus name are routing marks too (a
 * table's number comes from its mark, routes.c): collected with the
 * firewall's so no two share a number. */
static void routing_names_collect(struct lctx *L)
{
	static const struct {
		enum menu_kind k;
		enum prop_id prop;
	} at[] = {
		{ MK_ROUTE4, P_ROUTING_MARK },	   { MK_ROUTE4, P_ROUTING_TABLE },   { MK_ROUTE6, P_ROUTING_TABLE },
		{ MK_ROUTE_RULE4, P_ROUTING_MARK }, { MK_ROUTE_RULE4, P_TABLE },	     { MK_ROUTING_RULE, P_ROUTING_MARK },
		{ MK_ROUTING_RULE, P_TABLE },	   { MK_ROUTING_TABLE, P_NAME },
	};
	size_t j, i;

	for (j = 0; j < sizeof(at) / sizeof(at[0]); j++)
		for (i = 0; i < model_count(L->m, at[j].k); i++) {
			const struct mprop *p = mitem_prop(model_item(L->m, at[j].k, i), at[j].prop);

			if (p && strcmp(mprop_name(p), "main"))
				mark_add(L->ir, "routing", mprop_name(p));
		}
}

static void marks_collect(struct lctx *L)
{
	static const struct {
		enum prop_id prop;
		const char *kind;
	} props[] = {
		{ P_CONNECTION_MARK, "connection" }, { P_NEW_CONNECTION_MARK, "connection" },
		{ P_PACKET_MARK, "packet" },	     { P_NEW_PACKET_MARK, "packet" },
		{ P_ROUTING_MARK, "routing" },	     { P_NEW_ROUTING_MARK, "routing" },
	};
	struct ir *ir = L->ir;
	int k;
	size_t i, j, n;

	for (k = MK_FILTER4; k < MK__COUNT; k++) {
		if (k > MK_RAW6 && !menu_kind_is_bridge(k))
			continue;
		for (i = 0; i < model_count(L->m, k); i++) {
			const struct mitem *it = model_item(L->m, k, i);

			for (j = 0; j < sizeof(props) / sizeof(props[0]); j++) {
				const struct mprop *p = mitem_prop(it, props[j].prop);

				mark_add(ir, props[j].kind, p ? mprop_name(p) : NULL);
			}
		}
	}
	routing_names_collect(L);
	if (ir->nmarks > 1)
		qsort(ir->marks, ir->nmarks, sizeof(*ir->marks), mark_cmp);
	n = ir->nmarks;
	for (i = j = 0; i < n; i++)
		j += !strcmp(ir->marks[i].kind, "packet");
	if (j > ir_pmark_mask(ir)) {
		/* The bridge port's number takes bits 12-15 (lower_bridge.c). */
		diag_error(L->d, L->brloc,
			   "with bridge ports matched, packet marks have 12 bits of the packet mark: at most %u names, and the configuration has %zu",
			   ir_pmark_mask(ir), j);
		return;
	}
	for (i = 0; i < n; i++) {
		struct ir_mark *mk = &ir->marks[i];
		uint32_t mod = !strcmp(mk->kind, "connection") ? 0xfffffffeu :
			       !strcmp(mk->kind, "packet") ? ir_pmark_mask(ir) : 0xffffu;
		uint32_t shift = !strcmp(mk->kind, "routing") ? 16 : 0;
		uint32_t h = fnv1a(mk->name) % mod;
		bool taken;

		do {
			taken = false;
			mk->value = (h % mod + 1) << shift;
			for (j = 0; j < i; j++)
				if (!strcmp(ir->marks[j].kind, mk->kind) && ir->marks[j].value == mk->value)
					taken = true;
			h++;
		} while (taken);
	}
}

/* ---- address and interface lists ---------------------------------------- */

struct list_plan {
	const char *name;
	struct list_sets sets;	/* made on first use: named once per list */
	bool made;
	bool has_interval;	/* static prefixes or ranges */
	bool has_dynamic;	/* timed entries, rule-added, DNS names, or nothing static */
	bool has_static;
	bool has_dns;
};

static struct list_plan *plan_find(struct lctx *L, const char *name)
{
	size_t i;

	for (i = 0; i < L->nplans; i++)
		if (!strcmp(L->plans[i].name, name))
			return &L->plans[i];
	if (L->nplans == L->capplans) {
		L->capplans = L->capplans ? L->capplans * 2 : 16;
		L->plans = xreallocarray(L->plans, L->capplans, sizeof(*L->plans));
	}
	memset(&L->plans[L->nplans], 0, sizeof(L->plans[0]));
	L->plans[L->nplans].name = name;
	return &L->plans[L->nplans++];
}

static enum menu_kind addrlist_kind(const struct lctx *L)
{
	return L->v6 ? MK_ADDRLIST6 : MK_ADDRLIST4;
}

/* An address-list entry's address; false for a DNS name (or none). */
static bool entry_addr(const struct mprop *addr, struct value_addr *va)
{
	return mprop_len(addr) && mprop_addr(addr, va);
}

/* The list a rule's property names, or NULL. */
static const char *list_named(const struct mitem *it, enum prop_id id)
{
	const struct mprop *p = mitem_prop(it, id);

	return p ? mprop_name(p) : NULL;
}

/* Which lists this family uses and what kernel sets each needs. */
static void lists_plan(struct lctx *L)
{
	enum menu_kind ak = addrlist_kind(L);
	int k;
	size_t i;

	for (i = 0; i < model_count(L->m, ak); i++) {
		const struct mitem *it = model_item(L->m, ak, i);
		const char *name = mitem_value(it, ak, P_LIST);
		const struct mprop *addr = mitem_prop(it, P_ADDRESS);
		struct list_plan *p;
		struct value_addr va;

		if (!name || !addr || it->disabled)
			continue;
		p = plan_find(L, name);
		if (!entry_addr(addr, &va)) {
			p->has_dns = p->has_dynamic = true;
		} else if (va.kind != VA_ADDR) {
			p->has_interval = p->has_static = true;
		} else if (mitem_prop(it, P_TIMEOUT)) {
			p->has_dynamic = true;
		} else {
			p->has_static = true;
		}
	}
	for (k = L->v6 ? MK_FILTER6 : MK_FILTER4; k <= (L->v6 ? MK_RAW6 : MK_RAW4); k++) {
		for (i = 0; i < model_count(L->m, k); i++) {
			const struct mitem *it = model_item(L->m, k, i);
			enum action_id a = mitem_action(it, k);
			const char *v;

			if ((v = list_named(it, P_SRC_ADDRESS_LIST)))
				plan_find(L, v);
			if ((v = list_named(it, P_DST_ADDRESS_LIST)))
				plan_find(L, v);
			if ((a == A_ADD_SRC_TO_ADDRESS_LIST || a == A_ADD_DST_TO_ADDRESS_LIST) &&
			    (v = mitem_value(it, k, P_ADDRESS_LIST)))
				plan_find(L, v)->has_dynamic = true;
		}
	}
	/* A list with nothing static in it is filled at run time. */
	for (i = 0; i < L->nplans; i++)
		if (!L->plans[i].has_static)
			L->plans[i].has_dynamic = true;
}

/*
 * Three sets at most per list, each changed by one party:
 *  - al_X, the configuration's entries: an interval set when it has
 *    prefixes or ranges, else a hash set, which also takes what rules add
 *    and the timed entries when the list has any.
 *  - ad_X, what rules add from the packet path beside an interval al_X:
 *    the kernel updates only hash sets from the packet path.
 *  - ar_X, what changes at run time (`rosfw address-list add`) and the
 *    configuration's timed prefixes: an interval set with timeouts. The
 *    kernel rebuilds an interval set's lookup array on every commit that
 *    touches it, so an add to a list of a million prefixes must not
 *    touch al_X; and rosfwd keeps what is in ar_X across reboots without
 *    reading the configuration's entries back.
 */
void lower_list_sets(struct lctx *L, const char *list, struct list_sets *ls)
{
	struct list_plan *p = plan_find(L, list);
	char name[LOWER_IDENT_MAX];

	if (p->made) {
		*ls = p->sets;
		return;
	}
	memset(ls, 0, sizeof(*ls));
	ls->rt = ir_strdup(L->ir, lower_kernel_name(L, name, kname_set_prefix(KNAME_LIST_RT), list));
	if (p->has_interval) {
		ls->stat = ir_strdup(L->ir, lower_kernel_name(L, name, kname_set_prefix(KNAME_LIST), list));
		if (p->has_dynamic)
			ls->dyn = ir_strdup(L->ir, lower_kernel_name(L, name, kname_set_prefix(KNAME_LIST_DYN), list));
	} else {
		/* Addresses only: one hash set holds static and timed entries. */
		lower_kernel_name(L, name, kname_set_prefix(KNAME_LIST), list);
		if (p->has_dynamic)
			ls->dyn = ir_strdup(L->ir, name);
		else
			ls->stat = ir_strdup(L->ir, name);
	}
	p->sets = *ls;
	p->made = true;
}

static void elem_from_addr(struct ir_elem *e, const struct value_addr *va, bool v6)
{
	uint8_t n = v6 ? 16 : 4;

	memset(e, 0, sizeof(*e));
	e->lo.len = e->hi.len = n;
	memcpy(e->lo.b, va->lo, n);
	memcpy(e->hi.b, va->hi, n);
	e->range = va->kind != VA_ADDR;
}

static void set_merge_intervals(struct ir_set *s, bool *timeouts_merged);

static void lists_build(struct lctx *L)
{
	enum menu_kind ak = addrlist_kind(L);
	enum ir_key akey = L->v6 ? K_IP6_SADDR : K_IP_SADDR;
	size_t i;

	for (i = 0; i < L->nplans; i++) {
		struct list_sets ls;
		struct ir_set *s;

		lower_list_sets(L, L->plans[i].name, &ls);
		if (ls.stat) {
			s = ir_set_add(L->ir, L->t, ls.stat, akey);
			s->flags = L->plans[i].has_interval ? SETF_INTERVAL : 0;
			s->comment = ir_strdup(L->ir, L->plans[i].name);
		}
		if (ls.dyn) {
			s = ir_set_add(L->ir, L->t, ls.dyn, akey);
			/* Rules add to it from the packet path; entries may time out. */
			s->flags = SETF_TIMEOUT | SETF_DYNAMIC;
			s->size = LOWER_SET_ROOM;	/* and its entries: below */
			s->comment = ir_strdup(L->ir, L->plans[i].name);
		}
		if (ls.rt) {
			s = ir_set_add(L->ir, L->t, ls.rt, akey);
			s->flags = SETF_INTERVAL | SETF_TIMEOUT;
			s->comment = ir_strdup(L->ir, L->plans[i].name);
		}
	}
	for (i = 0; i < model_count(L->m, ak); i++) {
		const struct mitem *it = model_item(L->m, ak, i);
		const char *name = mitem_value(it, ak, P_LIST);
		const struct mprop *addr = mitem_prop(it, P_ADDRESS);
		const struct mprop *to = mitem_prop(it, P_TIMEOUT);
		struct list_sets ls;
		struct value_addr va;
		struct ir_elem e;
		struct ir_set *s;

		if (!name || !addr || it->disabled)
			continue;
		if (!entry_addr(addr, &va)) {
			char *key = xmalloc(strlen(name) + 5);
			bool first;

			memcpy(key, "dns:", 4);
			memcpy(key + 4, name, strlen(name) + 1);
			first = lower_once(L, key);
			free(key);
			if (first)
				diag_note(L->d, &addr->loc,
					  "DNS names in address list \"%s\" are resolved by rosfwd at run time; the list holds their addresses only then",
					  name);
			continue;
		}
		lower_list_sets(L, name, &ls);
		elem_from_addr(&e, &va, L->v6);
		if (to)
			e.timeout_ms = to->v.u;
		/* Timed entries come and go: the dynamic set for a single
		 * address, the run-time set for a prefix or range. */
		s = ir_set_find(L->t, !e.timeout_ms ? (ls.stat ? ls.stat : ls.dyn)
				      : ls.dyn && !e.range ? ls.dyn : ls.rt ? ls.rt : ls.dyn);
		if (s)
			ir_set_elem(L->ir, s, &e);
	}
	/* A list rules add to holds its configured entries and room for as
	 * many more as nft gives a dynamic set. */
	for (i = 0; i < L->nplans; i++) {
		struct list_sets ls;
		struct ir_set *s;

		lower_list_sets(L, L->plans[i].name, &ls);
		if (ls.dyn && (s = ir_set_find(L->t, ls.dyn)))
			s->size = (uint32_t)(LOWER_SET_ROOM + s->n);
	}
	for (i = 0; i < L->t->nsets; i++) {
		bool merged = false;

		if (!(L->t->sets[i]->flags & SETF_INTERVAL))
			continue;
		set_merge_intervals(L->t->sets[i], &merged);
		if (merged)
			diag_warning(L->d, NULL,
				     "address list \"%s\" has overlapping entries with different timeouts: the kernel keeps one interval, with the longer timeout",
				     L->t->sets[i]->comment);
	}
}

static int elem_cmp(const void *a, const void *b)
{
	const struct ir_elem *x = a, *y = b;

	return memcmp(x->lo.b, y->lo.b, x->lo.len);
}

/* x + 1 <= y, for big-endian numbers of the same length */
static bool touches(const struct ir_data *x, const struct ir_data *y)
{
	struct ir_data n = *x;
	int i;

	for (i = n.len - 1; i >= 0; i--)
		if (++n.b[i])
			break;
	if (i < 0)
		return true;	/* x is the last address: nothing lies beyond */
	return memcmp(n.b, y->b, n.len) >= 0;
}

/*
 * RouterOS lets a list hold 0.0.0.0/0 beside 10.0.0.0/8; a kernel interval
 * set refuses overlapping (and nft adjacent) intervals. Merging them keeps
 * the same addresses in the set.
 */
static void set_merge_intervals(struct ir_set *s, bool *timeouts_merged)
{
	size_t i, o = 0;

	if (s->n < 2)
		return;
	qsort(s->elems, s->n, sizeof(*s->elems), elem_cmp);
	for (i = 1; i < s->n; i++) {
		struct ir_elem *cur = &s->elems[o];

		if (touches(&cur->hi, &s->elems[i].lo)) {
			if (memcmp(s->elems[i].hi.b, cur->hi.b, cur->hi.len) > 0)
				cur->hi = s->elems[i].hi;
			cur->range = true;
			/* One interval has one timeout: the longer one (none is
			 * longest), so no address leaves the list early. */
			if (cur->timeout_ms != s->elems[i].timeout_ms) {
				if (!cur->timeout_ms || !s->elems[i].timeout_ms)
					cur->timeout_ms = 0;
				else if (s->elems[i].timeout_ms > cur->timeout_ms)
					cur->timeout_ms = s->elems[i].timeout_ms;
				*timeouts_merged = true;
			}
		} else {
			s->elems[++o] = s->elems[i];
		}
	}
	s->n = o + 1;
}

/* Interface lists: members of the list and of the lists it includes, less
 * those of the lists it excludes. `list` is `n` bytes (an include= entry
 * is part of a comma list). */
static bool iflist_has(const struct lctx *L, const char *list, size_t n, const char *iface, int depth)
{
	size_t i;
	bool in = false;

	if (depth > 16)
		return false;
	for (i = 0; i < model_count(L->m, MK_IFLIST_MEMBER); i++) {
		const struct mitem *it = model_item(L->m, MK_IFLIST_MEMBER, i);
		const char *l = mitem_value(it, MK_IFLIST_MEMBER, P_LIST);
		const char *f = mitem_value(it, MK_IFLIST_MEMBER, P_INTERFACE);

		if (!it->disabled && l && f && text_eq(list, n, l) && !strcmp(f, iface))
			in = true;
	}
	for (i = 0; i < model_count(L->m, MK_IFLIST); i++) {
		const struct mitem *it = model_item(L->m, MK_IFLIST, i);
		const char *name = mitem_value(it, MK_IFLIST, P_NAME);
		const struct mprop *inc = mitem_prop(it, P_INCLUDE), *exc = mitem_prop(it, P_EXCLUDE);
		const struct vname *v;
		size_t nv, j;

		if (!name || !text_eq(list, n, name))
			continue;
		for (v = inc ? mprop_names(inc, &nv) : NULL, j = 0; v && !in && j < nv; j++)
			in = iflist_has(L, inc->value + v[j].off, v[j].len, iface, depth + 1);
		for (v = exc ? mprop_names(exc, &nv) : NULL, j = 0; v && in && j < nv; j++)
			if (iflist_has(L, exc->value + v[j].off, v[j].len, iface, depth + 1))
				in = false;
	}
	return in;
}

/*
 * A member whose interface name nft text cannot carry is refused as
 * in-interface= refuses it, at the member: leaving it out of the set would
 * make every rule that uses the list act as if the interface were not in it.
 */
static bool member_ifname_ok(struct lctx *L, const struct mitem *it, size_t i, const char *list, const char *f)
{
	const struct mprop *p = mitem_prop(it, P_INTERFACE);
	const struct loc *loc = p ? &p->loc : &it->loc;
	char key[48];
	size_t n = strlen(f);

	snprintf(key, sizeof(key), "member:%zu", i);
	if (!lower_ifname_ok(f, n)) {
		if (!lower_once(L, key))
			return false;
		if (L->o->unsupported == UNSUPPORTED_SKIP_RULE)
			diag_warning(L->d, loc,
				     "interface list member %zu skipped: this interface name is not supported (nft text cannot carry quotes or control bytes, and reads a trailing * as a wildcard); interface list \"%s\" does not hold it, so rules using the list act as if the interface were not in it",
				     i, list);
		else
			diag_error(L->d, loc,
				   "this interface name is not supported: nft text cannot carry quotes or control bytes, and reads a trailing * as a wildcard (--unsupported=skip-rule leaves such members out)");
		return false;
	}
	return true;
}

/* A member named as no Linux interface can be: cut to 15 bytes, two names
 * could become one, or another interface's. */
static bool member_ifname_linux(struct lctx *L, const struct mitem *it, size_t i, const char *f)
{
	const struct mprop *p = mitem_prop(it, P_INTERFACE);
	const char *why = lower_ifname_unlinux(f, strlen(f));
	const char *list = mitem_value(it, MK_IFLIST_MEMBER, P_LIST);
	char key[48], hint[64];

	if (!why)
		return true;
	snprintf(key, sizeof(key), "member-linux:%zu", i);
	if (lower_once(L, key) && ++L->ir->ifnames_impossible)
		diag_warning(L->d, p ? &p->loc : &it->loc,
			     "interface list member %zu left out: no Linux interface can be named \"%s\" (%s), so interface list \"%s\" never holds it here and rules using the list act as if it were not in it; give it a server name with %s (README: Interface names on a Linux server)",
			     i, f, why, list ? list : "", lower_ifmap_hint(hint, sizeof(hint), f, strlen(f)));
	return false;
}

const char **lower_iflist_members(struct lctx *L, const char *list, size_t *n)
{
	const char **names = NULL;
	size_t i, cap = 0;

	*n = 0;
	for (i = 0; i < model_count(L->m, MK_IFLIST_MEMBER); i++) {
		const struct mitem *it = model_item(L->m, MK_IFLIST_MEMBER, i);
		const char *f = mitem_value(it, MK_IFLIST_MEMBER, P_INTERFACE);
		size_t j;

		if (!f || !*f || !iflist_has(L, list, strlen(list), f, 0))
			continue;
		for (j = 0; j < *n && strcmp(names[j], f); j++)
			;
		if (j < *n)
			continue;
		XGROW(names, *n, cap);
		names[(*n)++] = f;
	}
	return names;
}

const char *lower_iflist_set(struct lctx *L, const char *list)
{
	char name[LOWER_IDENT_MAX];
	struct ir_set *s;
	const char **names = NULL;
	size_t i, j, nnames = 0, capnames = 0;

	lower_kernel_name(L, name, kname_set_prefix(KNAME_IFLIST), list);
	if ((s = ir_set_find(L->t, name)))
		return s->name;
	s = ir_set_add(L->ir, L->t, name, K_META_IIFNAME);
	s->comment = ir_strdup(L->ir, list);
	/* Every Linux name a member stands for (ifname.h), in order of first
	 * mention. */
	for (i = 0; i < model_count(L->m, MK_IFLIST_MEMBER); i++) {
		const struct mitem *it = model_item(L->m, MK_IFLIST_MEMBER, i);
		const char *f = mitem_value(it, MK_IFLIST_MEMBER, P_INTERFACE);
		const struct mprop *p = mitem_prop(it, P_INTERFACE);
		const char *const *v;
		size_t n;
		bool mapped;

		if (!f || !*f || !iflist_has(L, list, strlen(list), f, 0) || !member_ifname_ok(L, it, i, list, f))
			continue;
		n = ifnames_get(L->ifn, f, strlen(f), p ? &p->loc : &it->loc, &v, &mapped);
		if (!mapped && !ifnames_same(v, n, f, strlen(f)) && !member_ifname_ok(L, it, i, list, v[0]))
			continue;
		if (!mapped && !member_ifname_linux(L, it, i, v[0]))
			continue;
		for (j = 0; j < n; j++) {
			XGROW(names, nnames, capnames);
			names[nnames++] = ir_strdup(L->ir, v[j]);
		}
	}
	if (nnames) {
		struct ir_elem *e = xcalloc(nnames, sizeof(*e));
		bool interval;
		size_t n = lower_ifname_elems(names, nnames, e, &interval);

		if (interval)
			s->flags |= SETF_INTERVAL;
		for (j = 0; j < n; j++)
			ir_set_elem(L->ir, s, &e[j]);
		free(e);
	}
	free(names);
	return s->name;
}

/* True the first time `key` is seen: for notes given once per thing. */
bool lower_once(struct lctx *L, const char *key)
{
	size_t i;

	for (i = 0; i < L->nnoted; i++)
		if (!strcmp(L->noted[i], key))
			return false;
	L->noted = xreallocarray(L->noted, L->nnoted + 1, sizeof(*L->noted));
	L->noted[L->nnoted++] = xstrdup(key);
	return true;
}

/* ---- rules -------------------------------------------------------------- */

struct ir_stmt *lower_pre(struct lctx *L)
{
	struct ir_stmt *s;

	if (L->npre == LOWER_MAX_STMTS) {
		diag_error(L->d, &L->it->loc, "rule is too complex to lower");
		L->failed = true;
		return &L->scratch;
	}
	L->own[L->npre] = false;
	s = &L->pre[L->npre++];
	memset(s, 0, sizeof(*s));
	s->kind = S_MATCH;
	return s;
}

struct ir_set *lower_rule_set(struct lctx *L, const char *name, enum ir_key key)
{
	struct ir_set *s = ir_set_add(L->ir, L->t, name, key);

	if (L->nowned_sets < sizeof(L->owned_sets) / sizeof(L->owned_sets[0]))
		L->owned_sets[L->nowned_sets++] = s;
	return s;
}

bool lower_prelude_new(struct lctx *L)
{
	if (L->npreludes == LOWER_MAX_PRELUDES) {
		diag_error(L->d, &L->it->loc, "rule is too complex to lower");
		L->failed = true;
		return false;
	}
	L->nprelude[L->npreludes++] = 0;
	return true;
}

struct ir_stmt *lower_prelude(struct lctx *L)
{
	size_t p = L->npreludes - 1;
	struct ir_stmt *s;

	if (!L->npreludes || L->nprelude[p] == sizeof(L->prelude[p]) / sizeof(L->prelude[p][0])) {
		diag_error(L->d, &L->it->loc, "rule is too complex to lower");
		L->failed = true;
		return &L->scratch;
	}
	s = &L->prelude[p][L->nprelude[p]++];
	memset(s, 0, sizeof(*s));
	s->kind = S_MATCH;
	return s;
}

struct ir_stmt *lower_post(struct lctx *L, enum ir_stmt_kind kind)
{
	struct ir_stmt *s;

	if (L->npost == LOWER_MAX_STMTS) {
		diag_error(L->d, &L->it->loc, "rule is too complex to lower");
		L->failed = true;
		return &L->scratch;
	}
	s = &L->post[L->npost++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	return s;
}

bool lower_or(struct lctx *L, const struct ir_match *alts, size_t n, const struct mprop *p)
{
	if (L->ngroups == LOWER_MAX_GROUPS) {
		diag_error(L->d, &p->loc,
			   "%s needs a %zuth \"either\" condition in this rule; rosfw lowers %d per rule (split the rule)",
			   prop_def(p->id)->name, L->ngroups + 1, LOWER_MAX_GROUPS);
		L->failed = true;
		return false;
	}
	if (n > LOWER_MAX_ALTS)
		n = LOWER_MAX_ALTS;
	memcpy(L->alts[L->ngroups], alts, n * sizeof(*alts));
	L->nalts[L->ngroups++] = n;
	return true;
}

static enum ir_op op_not(enum ir_op op)
{
	switch (op) {
	case OP_EQ: return OP_NE;
	case OP_NE: return OP_EQ;
	case OP_LT: return OP_GE;
	case OP_GE: return OP_LT;
	case OP_GT: return OP_LE;
	case OP_LE: return OP_GT;
	case OP_RANGE: return OP_NRANGE;
	case OP_NRANGE: return OP_RANGE;
	case OP_IN: return OP_NOTIN;
	case OP_NOTIN: return OP_IN;
	case OP_EXISTS: return OP_MISSING;
	case OP_MISSING: return OP_EXISTS;
	case OP_FLAGS: return OP_FLAGS;
	}
	return op;
}

/* Report a property or action nftables cannot express; with
 * --unsupported=skip-rule the rule is left out with a warning. */
const char *lower_skip_effect(const struct lctx *L)
{
	static const char *const effects[] = {
		[SKIP_NEXT] = "traffic it would have handled goes on to the next rule",
		[SKIP_CLOSES] = "this closes traffic the rule would have accepted",
		[SKIP_OPENS] = "this opens traffic the rule would have stopped",
	};

	return effects[action_def(mitem_action(L->it, L->k))->skip];
}

void lower_refuse(struct lctx *L, const struct loc *loc, const char *what, const char *why)
{
	const char *effect;

	if (L->o->unsupported == UNSUPPORTED_SKIP_RULE) {
		effect = lower_skip_effect(L);
		diag_warning(L->d, loc, "rule %ld of %s skipped: %s is not supported (%s); %s", L->id,
			     menu_kind_path(L->k), what, why, effect);
	} else {
		diag_error(L->d, loc, "%s is not supported: %s (--unsupported=skip-rule leaves such rules out)",
			   what, why);
	}
	L->refused = true;
}

static bool stmt_has_state(const struct ir_stmt *s)
{
	return s->kind == S_LIMIT || s->kind == S_SET_UPDATE || s->kind == S_CT_COUNT ||
	       (s->kind == S_MATCH && s->u.m.key == K_NUMGEN_INC);
}

/* ---- counters ---------------------------------------------------------- */

/* A rule identity seen in this table, and how many rules had it. */
struct rule_ident {
	uint64_t h;
	unsigned n;
};

/*
 * The name of the counter object of RouterOS rule `it`, into L->cname:
 * after what the rule says (its menu and every property but disabled=,
 * comment included) and its facility. An apply keeps the object of a rule
 * that did not change, wherever it moved, so it never stops counting.
 * Identical rules of a facility are told apart by their order, disabled
 * ones counted too, so disabling one leaves its twins' names as they are.
 */
static void rule_ident(struct lctx *L, const struct mitem *it)
{
	const char *path = menu_kind_path(L->k);
	uint64_t h = text_fnv64(TEXT_FNV64, path, strlen(path) + 1);
	struct rule_ident *e;
	size_t i;

	for (i = 0; i < it->nprops; i++) {
		const struct mprop *p = &it->props[i];
		const char *name = prop_def(p->id)->name;

		if (p->id == P_DISABLED)
			continue;
		h = text_fnv64(h, name, strlen(name) + 1);
		h = text_fnv64(h, p->value, mprop_len(p));
		h = text_fnv64(h, "", 1);
	}
	/* Not what a map or a rename made of its interface names: on
	 * RouterOS a rule points at the interface, and renaming it keeps the
	 * rule's counters; and print, which knows rules by these names, then
	 * needs no map to find the kernel's (runtime/record.c). */
	if (2 * (L->nidents + 1) > L->capidents) {
		struct rule_ident *old = L->idents;
		size_t cap = L->capidents;

		L->capidents = cap ? cap * 2 : 1024;
		L->idents = xcalloc(L->capidents, sizeof(*L->idents));
		for (i = 0; i < cap; i++) {
			if (!old[i].n)
				continue;
			for (e = &L->idents[old[i].h & (L->capidents - 1)]; e->n;)
				e = e + 1 < L->idents + L->capidents ? e + 1 : L->idents;
			*e = old[i];
		}
		free(old);
	}
	for (e = &L->idents[h & (L->capidents - 1)]; e->n && e->h != h;)
		e = e + 1 < L->idents + L->capidents ? e + 1 : L->idents;
	if (!e->n++) {
		e->h = h;
		L->nidents++;
	}
	kname_counter(L->cname, L->fac, h, e->n);
}

/* A packet takes the first alternative of each group it matches, so the
 * combinations do not overlap: the rule acts and counts once. */
static void rule_alts(struct lctx *L, struct ir_rule *r, size_t rest)
{
	size_t g, j;

	for (g = 0; g < L->ngroups; g++) {
		size_t pick = rest % L->nalts[g];
		struct ir_stmt *s = ir_stmt_add(L->ir, r, S_MATCH);

		rest /= L->nalts[g];
		s->u.m = L->alts[g][pick];
		for (j = 0; j < pick; j++) {
			s = ir_stmt_add(L->ir, r, S_MATCH);
			s->u.m = L->alts[g][j];
			s->u.m.op = op_not(s->u.m.op);
		}
	}
}

static void rule_emit(struct lctx *L, struct ir_chain *c)
{
	char comment[KNAME_COMMENT_MAX + 1];
	const struct mprop *cm = mitem_prop(L->it, P_COMMENT);
	const char *counter, *text = NULL;
	size_t a, n = 1, i, g, p;

	for (g = 0; g < L->ngroups; g++)
		n *= L->nalts[g];
	if (kname_rule_comment(comment, cm ? cm->value : NULL, cm ? mprop_len(cm) : 0))
		text = ir_strdup(L->ir, comment);
	/* One counter for all the rule's kernel rules: a packet passes at
	 * most one of them (above), so it counts once. */
	counter = ir_counter_add(L->ir, L->t, L->cname);
	for (a = 0; a < n; a++) {
		struct ir_rule *r;
		size_t rest = a;

		for (p = 0; p < L->npreludes; p++) {
			r = ir_rule_add(L->ir, c, L->id, text, &L->it->loc);
			r->state_only = true;
			for (i = 0; i < L->npre; i++)
				if (!stmt_has_state(&L->pre[i]) && !L->own[i])
					*ir_stmt_add(L->ir, r, S_MATCH) = L->pre[i];
			rule_alts(L, r, a);
			for (i = 0; i < L->nprelude[p]; i++)
				*ir_stmt_add(L->ir, r, L->prelude[p][i].kind) = L->prelude[p][i];
		}
		r = ir_rule_add(L->ir, c, L->id, text, &L->it->loc);

		for (i = 0; i < L->npre; i++)
			if (!stmt_has_state(&L->pre[i]))
				*ir_stmt_add(L->ir, r, S_MATCH) = L->pre[i];
		rule_alts(L, r, rest);
		/* Matches that keep state (rates, per-address counts, packet
		 * counters) see only the packets every other match let through. */
		for (i = 0; i < L->npre; i++)
			if (stmt_has_state(&L->pre[i]))
				*ir_stmt_add(L->ir, r, S_MATCH) = L->pre[i];
		ir_stmt_add(L->ir, r, S_COUNTER)->u.obj.name = counter;
		for (i = 0; i < L->npost; i++)
			*ir_stmt_add(L->ir, r, L->post[i].kind) = L->post[i];
	}
}

static void rule_lower(struct lctx *L, const struct mitem *it, long id)
{
	const char *chain = mitem_value(it, L->k, P_CHAIN);
	size_t i;

	L->it = it;
	L->id = id;
	L->npre = L->npost = L->ngroups = L->npreludes = L->nowned_sets = 0;
	L->owned_chain = NULL;
	L->owned_label = -1;
	L->failed = L->refused = L->never = false;
	/*
	 * Every packet that reaches the rule pays for its matches up to the
	 * first that fails: addresses first (one compare, and what tells one
	 * rule of a block list from the next), then the protocol (most
	 * packets are TCP or UDP: it rarely fails), then the rest, whose
	 * port and flag matches depend on the protocol, as nft writes them.
	 */
	if (menu_kind_is_bridge(L->k))
		lower_bridge_rule_first(L);
	for (i = 0; i < it->nprops && !L->failed; i++) {
		const struct mprop *p = &it->props[i];

		if ((p->id == P_SRC_ADDRESS || p->id == P_DST_ADDRESS) && mprop_len(p))
			prop_def(p->id)->lower(L, p);
	}
	if (mitem_prop(it, P_PROTOCOL))
		lower_protocol(L, mitem_prop(it, P_PROTOCOL));
	for (i = 0; i < it->nprops && !L->failed; i++) {
		const struct prop_def *def = prop_def(it->props[i].id);

		if (def->id == P_PROTOCOL || def->id == P_SRC_ADDRESS || def->id == P_DST_ADDRESS ||
		    def->id == P_MAC_PROTOCOL || def->id == P_IP_PROTOCOL)
			continue;
		if (def->status == ST_NONE || def->status == ST_REFUSED) {
			lower_refuse(L, &it->props[i].loc, def->name, def->how ? def->how : "rosfw has no translation for it");
			continue;
		}
		/* An export writes dst-address-type="" for "not set". */
		if (def->lower && !L->refused && mprop_len(&it->props[i]))
			def->lower(L, &it->props[i]);
	}
	if (!L->failed && !L->refused)
		lower_action(L);
	if (L->failed || L->refused || L->never || !chain) {
		/* No kernel rule of it: no state kept for one either. */
		for (i = 0; i < L->nowned_sets; i++)
			ir_set_drop(L->t, L->owned_sets[i]);
		if (L->owned_chain)
			ir_chain_drop(L->t, L->owned_chain);
		if (L->owned_label >= 0)
			L->ct_labels[L->owned_label / 64] &= ~(1ull << L->owned_label % 64);
	}
	if (L->failed || L->refused || !chain)
		return;
	if (L->never) {
		/* A jump to the chain still finds it. */
		chain_get(L, chain);
		return;
	}
	rule_emit(L, chain_get(L, chain));
}

/* ---- jumps -------------------------------------------------------------- */

struct jump_edge {
	const char *from;
	const struct mprop *to;
	int color;	/* of the edge's source chain in the search: 0 new, 1 on the path, 2 done */
};

/* Colour every edge leaving `chain` at once: the search state belongs to
 * the chain, and its edges are found by scanning the (short) edge list. */
static void chain_color(struct jump_edge *e, size_t n, const char *chain, int color)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(e[i].from, chain))
			e[i].color = color;
}

static int chain_color_of(const struct jump_edge *e, size_t n, const char *chain)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(e[i].from, chain))
			return e[i].color;
	return 2;	/* no jumps out of it: nothing to search */
}

/* Depth-first over jump edges: a jump into a chain still on the current
 * path is a loop, which the kernel refuses and RouterOS never ends. */
static const struct mprop *jumps_loop(struct jump_edge *e, size_t n, const char *chain, int depth)
{
	const struct mprop *at = NULL;
	size_t i;

	if (depth > 256)
		return NULL;
	chain_color(e, n, chain, 1);
	for (i = 0; i < n && !at; i++) {
		int c;

		if (strcmp(e[i].from, chain))
			continue;
		c = chain_color_of(e, n, e[i].to->value);
		if (c == 1)
			at = e[i].to;
		else if (c == 0)
			at = jumps_loop(e, n, e[i].to->value, depth + 1);
	}
	chain_color(e, n, chain, 2);
	return at;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool jumps_check(struct lctx *L)
{
	struct jump_edge *e = NULL;
	const char **chains = NULL, **live = NULL;
	size_t n = 0, i, nchains = 0, nlive = 0;
	bool ok = true;

	for (i = 0; i < model_count(L->m, L->k); i++) {
		const struct mitem *it = model_item(L->m, L->k, i);
		const char *c = mitem_value(it, L->k, P_CHAIN);
		const struct mprop *t = mitem_prop(it, P_JUMP_TARGET);

		if (it->disabled || mitem_action(it, L->k) != A_JUMP || !t || !c)
			continue;
		if (builtin_find(L->fac, t->value)) {
			diag_error(L->d, &t->loc, "jump to built-in chain \"%s\": nftables cannot jump to a base chain",
				   t->value);
			ok = false;
			continue;
		}
		e = xreallocarray(e, n + 1, sizeof(*e));
		e[n].from = c;
		e[n].to = t;
		e[n].color = 0;
		n++;
	}
	/* Which chains hold rules, and which hold live ones: sorted once,
	 * searched per jump. */
	if (n) {
		size_t nc = 0, nl = 0;

		chains = xreallocarray(NULL, model_count(L->m, L->k) + 1, sizeof(*chains));
		live = xreallocarray(NULL, model_count(L->m, L->k) + 1, sizeof(*live));
		for (i = 0; i < model_count(L->m, L->k); i++) {
			const struct mitem *it = model_item(L->m, L->k, i);
			const char *c = mitem_value(it, L->k, P_CHAIN);

			if (c)
				chains[nc++] = c;
			if (c && !it->disabled)
				live[nl++] = c;
		}
		qsort(chains, nc, sizeof(*chains), str_cmp);
		qsort(live, nl, sizeof(*live), str_cmp);
		nchains = nc;
		nlive = nl;
	}
	/* RouterOS takes a jump to a chain without rules: the packet comes
	 * straight back and goes on with the next rule. The chain is made
	 * empty (facility_lower), which does the same; the usual cause is a
	 * typo in the name, so it is said. */
	for (i = 0; i < n; i++) {
		const char *key = e[i].to->value;

		if (!bsearch(&key, chains, nchains, sizeof(*chains), str_cmp))
			diag_warning(L->d, &e[i].to->loc,
				     "jump to chain \"%s\", which no rule of %s makes: the packet comes straight back "
				     "and goes on with the next rule, as on RouterOS (a misspelt chain name?)",
				     key, menu_kind_path(L->k));
		else if (!bsearch(&key, live, nlive, sizeof(*live), str_cmp))
			diag_warning(L->d, &e[i].to->loc,
				     "jump to chain \"%s\", whose rules in %s are all disabled: the packet comes straight "
				     "back and goes on with the next rule, as on RouterOS",
				     key, menu_kind_path(L->k));
	}
	for (i = 0; ok && i < n; i++) {
		const struct mprop *at;

		if (e[i].color)
			continue;
		if ((at = jumps_loop(e, n, e[i].from, 0))) {
			diag_error(L->d, &at->loc, "jump to \"%s\" closes a loop of jumps", at->value);
			ok = false;
		}
	}
	free(e);
	free(chains);
	free(live);
	return ok;
}

/* ---- driver ------------------------------------------------------------- */

static void facility_lower(struct lctx *L, enum menu_kind k)
{
	size_t i, n = model_count(L->m, k), live = 0;
	const struct builtin *b;

	L->k = k;
	L->fac = menu_kind_facility(k);
	for (i = 0; i < n; i++)
		live += !model_item(L->m, k, i)->disabled;
	if (!live)
		return;
	if (!jumps_check(L))
		return;
	/* Built-in chains exist (policy accept) whether or not they hold rules. */
	for (b = builtins; b < builtins + sizeof(builtins) / sizeof(builtins[0]); b++) {
		if (strcmp(b->fac, L->fac))
			continue;
		if (!strcmp(b->fac, "nat") && !strcmp(b->ros, "dstnat"))
			dstnat_hooks(L, chain_get(L, b->ros));
		else
			chain_get(L, b->ros);
	}
	/* Every chain a live rule sits in or jumps to exists, even when all
	 * its rules are disabled or skipped: a jump there then returns at
	 * once, as on RouterOS. */
	for (i = 0; i < n; i++) {
		const struct mitem *it = model_item(L->m, k, i);
		const char *c = mitem_value(it, k, P_CHAIN);
		const char *t = mitem_value(it, k, P_JUMP_TARGET);

		if (it->disabled)
			continue;
		if (c)
			chain_get(L, c);
		if (mitem_action(it, k) == A_JUMP && t)
			chain_get(L, t);
	}
	for (i = 0; i < n; i++) {
		const struct mitem *it = model_item(L->m, k, i);

		rule_ident(L, it);
		if (!it->disabled)
			rule_lower(L, it, (long)i);
	}
}

void lower_facility(struct lctx *L, enum menu_kind k)
{
	/* a table of its own: its rule identities start again */
	L->nidents = 0;
	if (L->idents)
		memset(L->idents, 0, L->capidents * sizeof(*L->idents));
	facility_lower(L, k);
}

static void family_lower(struct lctx *L, bool v6)
{
	static const enum menu_kind v4[] = { MK_RAW4, MK_MANGLE4, MK_NAT4, MK_FILTER4 };
	static const enum menu_kind v6k[] = { MK_RAW6, MK_MANGLE6, MK_NAT6, MK_FILTER6 };
	const enum menu_kind *ks = v6 ? v6k : v4;
	size_t i, rules = 0;

	L->v6 = v6;
	L->family = v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	L->nplans = 0;
	L->ct_labels[0] = L->ct_labels[1] = 0;
	for (i = 0; i < 4; i++)
		rules += model_count(L->m, ks[i]);
	if (!rules && !model_count(L->m, addrlist_kind(L)) && !lower_services_needed(L->m, v6))
		return;
	L->t = ir_table_get(L->ir, L->family);
	L->last_chain = NULL;
	L->nidents = 0;
	if (L->idents)
		memset(L->idents, 0, L->capidents * sizeof(*L->idents));
	L->fasttrack_rules = 0;
	L->inspect_rules = 0;
	L->inspect_kinds = 0;
	lists_plan(L);
	lists_build(L);
	for (i = 0; i < 4; i++)
		facility_lower(L, ks[i]);
	lower_tracking(L);
	lower_helpers(L);
	lower_services(L);
	lower_flowtable(L);
	lower_inspect_chains(L);
}

struct ir *lower_model(const struct model *m, struct diag *d, const struct lower_opts *o)
{
	static const struct lower_opts defaults = { UNSUPPORTED_ERROR, FASTTRACK_FLOWTABLE, NULL, NULL };
	unsigned errors = diag_errors(d);
	struct lctx L = {
		.m = m,
		.d = d,
		.o = o ? o : &defaults,
	};

	L.ir = ir_new();
	L.ir->inspect_prev = L.o->inspect_prev;
	L.ir->ninspect_prev = L.o->ninspect_prev;
	L.ifn = ifnames_new(m, L.o->ifmap, d);
	if ((L.brloc = lower_bridge_used(m))) {
		L.ir->brport_marks = true;
		ir_table_get(L.ir, NFPROTO_BRIDGE);
	}
	marks_collect(&L);
	family_lower(&L, false);
	family_lower(&L, true);
	lower_bridge_filter(&L);
	lower_routes(&L);
	lower_sysctls(&L);
	free(L.plans);
	free(L.idents);
	ifnames_free(L.ifn);
	while (L.nnoted)
		free(L.noted[--L.nnoted]);
	free(L.noted);
	if (diag_errors(d) != errors) {
		ir_free(L.ir);
		return NULL;
	}
	return L.ir;
}
