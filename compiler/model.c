/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The model's data: ordered item lists per menu and the operations RouterOS
 * commands perform on them. Running commands lives in exec.c; checks that
 * span menus live in check.c.
 */
#include "model_impl.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "script_run.h"
#include "xalloc.h"

/* RouterOS's built-in service ports, in its print order, with their default
 * ports (reference 004); udplite, dccp and sctp are protocol trackers with no
 * ports of their own. */
static const struct {
	const char *name, *ports;
	bool disabled;
} builtin_service_ports[] = {
	{ "ftp", "21", false },	  { "tftp", "69", false },	{ "irc", "6667", false },
	{ "h323", NULL, false },  { "sip", "5060,5061", false }, { "pptp", NULL, false },
	{ "udplite", NULL, false }, { "dccp", NULL, false },	{ "sctp", NULL, false },
	/* RouterOS v7 ships rtsp off. */
	{ "rtsp", "554", true },
};

/* The router's own services, in RouterOS's print order, with their default
 * ports (reference 000, "IP Services"); www-ssl and api-ssl ship disabled,
 * as they have no certificate yet. */
static const struct {
	const char *name, *port;
	bool disabled;
} builtin_services[] = {
	{ "telnet", "23", false }, { "ftp", "21", false },	{ "www", "80", false },
	{ "ssh", "22", false },	   { "www-ssl", "443", true },	{ "api", "8728", false },
	{ "winbox", "8291", false }, { "api-ssl", "8729", true },
};

static const char *const builtin_iflists[] = { "all", "none", "dynamic", "static" };

/* A value rosfw itself sets (built-in items), parsed as a script's would be. */
static struct mitem *item_set_builtin(struct model *m, struct mitem *it, enum menu_kind k, enum prop_id id,
				      const char *v)
{
	struct pvalue pv;

	if (!value_parse(prop_def(id), k, v, strlen(v), &pv, m->arena, NULL))
		abort();	/* the tables above are wrong */
	return item_set(m, it, prop_def(id), v, strlen(v), &pv, NULL);
}

static struct mitem *item_builtin(struct model *m, enum menu_kind k, const char *name)
{
	struct mitem *it = item_new(m, 2);

	it->builtin = true;
	it = item_set_builtin(m, it, k, P_NAME, name);
	list_insert(m, k, it, model_count(m, k));
	return it;
}

const char *model_builtin_value(enum menu_kind k, const char *item, enum prop_id prop)
{
	size_t i;

	if (k == MK_IP_SERVICE) {
		for (i = 0; i < sizeof(builtin_services) / sizeof(builtin_services[0]); i++) {
			if (strcmp(builtin_services[i].name, item))
				continue;
			if (prop == P_DISABLED)
				return builtin_services[i].disabled ? "yes" : "no";
			if (prop == P_PORT)
				return builtin_services[i].port;
		}
		return NULL;
	}
	if (k != MK_SERVICE_PORT)
		return NULL;
	for (i = 0; i < sizeof(builtin_service_ports) / sizeof(builtin_service_ports[0]); i++) {
		if (strcmp(builtin_service_ports[i].name, item))
			continue;
		if (prop == P_DISABLED)
			return builtin_service_ports[i].disabled ? "yes" : "no";
		if (prop == P_PORTS)
			return builtin_service_ports[i].ports;
	}
	return NULL;
}

struct model *model_new(struct diag *d)
{
	struct model *m = xcalloc(1, sizeof(*m));
	size_t i;

	m->d = d;
	m->arena = arena_new();
	m->cwd.node = menu_root();
	for (i = 0; i < sizeof(builtin_service_ports) / sizeof(builtin_service_ports[0]); i++) {
		struct mitem *it = item_builtin(m, MK_SERVICE_PORT, builtin_service_ports[i].name);
		const char *p = builtin_service_ports[i].ports;

		/* two properties: room made by item_builtin */
		if (p && item_set_builtin(m, it, MK_SERVICE_PORT, P_PORTS, p) != it)
			abort();
		it->disabled = builtin_service_ports[i].disabled;
	}
	for (i = 0; i < sizeof(builtin_iflists) / sizeof(builtin_iflists[0]); i++)
		item_builtin(m, MK_IFLIST, builtin_iflists[i]);
	for (i = 0; i < sizeof(builtin_services) / sizeof(builtin_services[0]); i++) {
		struct mitem *it = item_builtin(m, MK_IP_SERVICE, builtin_services[i].name);

		if (item_set_builtin(m, it, MK_IP_SERVICE, P_PORT, builtin_services[i].port) != it)
			abort();
		it->disabled = builtin_services[i].disabled;
	}
	/* The settings menu has exactly one item. */
	item_builtin(m, MK_CONNTRACK, "");
	return m;
}

void model_free(struct model *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < MK__COUNT; i++)
		free(m->lists[i].v);
	for (i = 0; i < m->nnoted; i++)
		free(m->noted[i]);
	free(m->noted);
	free(m->ifaces);
	for (i = 0; i < m->nports; i++)
		free(m->ports[i]);
	free(m->ports);
	intern_free(m);
	script_free(m->script);
	arena_free(m->arena);
	free(m);
}

size_t model_count(const struct model *m, enum menu_kind k)
{
	return k >= 0 && k < MK__COUNT ? m->lists[k].n : 0;
}

const struct mitem *model_item(const struct model *m, enum menu_kind k, size_t i)
{
	return i < model_count(m, k) ? m->lists[k].v[i] : NULL;
}

void model_set_ports(struct model *m, const char *const *names, size_t n)
{
	size_t i;

	m->ports = xreallocarray(m->ports, m->nports + (n ? n : 1), sizeof(*m->ports));
	for (i = 0; i < n; i++)
		m->ports[m->nports++] = xstrdup(names[i]);
}

size_t model_ports(const struct model *m, const char *const **out)
{
	*out = (const char *const *)m->ports;
	return m->nports;
}

size_t model_ifaces(const struct model *m, const struct miface **out)
{
	*out = m->ifaces;
	return m->nifaces;
}

struct mitem *item_new(struct model *m, uint16_t cap)
{
	size_t n = cap ? cap : 1;
	struct mitem *it = arena_alloc(m->arena, sizeof(*it) + n * sizeof(it->props[0]));

	it->cap = (uint16_t)n;
	it->id = ++m->next_id;
	return it;
}

/* Where property `id` is in it->props, or would go. */
static size_t prop_index(const struct mitem *it, enum prop_id id, bool *found)
{
	size_t lo = 0, hi = it->nprops;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (it->props[mid].id == id) {
			*found = true;
			return mid;
		}
		if (it->props[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

const struct mprop *mitem_prop(const struct mitem *it, enum prop_id id)
{
	bool found;
	size_t i = prop_index(it, id, &found);

	return found ? &it->props[i] : NULL;
}

/*
 * The defaults the table gives, parsed once before main: [0] as the IPv4
 * and other menus take them, [1] as the IPv6 menus do (reject-with
 * differs). Defaults are small values: nothing of them needs an arena.
 */
static struct mprop defaults[P__COUNT][2];

__attribute__((constructor)) static void defaults_parse(void)
{
	size_t i;
	int f, k;

	for (i = 0; i < P__COUNT; i++) {
		const struct prop_def *def = prop_def((enum prop_id)i);

		for (f = 0; f < 2; f++) {
			struct mprop *d = &defaults[i][f];
			struct pvalue pv;
			const char *v;

			/* the first menu of the row on this side */
			for (k = 0; k < MK__COUNT && !((def->menus & MB(k)) && !(MB(k) & MB_V6) == !f); k++)
				;
			if (k == MK__COUNT || !(v = prop_default(def, (enum menu_kind)k)))
				continue;
			if (!value_parse(def, (enum menu_kind)k, v, strlen(v), &pv, NULL, NULL))
				abort();	/* a test checks every default parses */
			d->value = v;
			d->id = (uint16_t)i;
			d->v = pv.v;
			d->form = pv.form;
			d->neg = pv.neg;
		}
	}
}

const struct mprop *mitem_get(const struct mitem *it, enum menu_kind k, enum prop_id id)
{
	const struct mprop *p = mitem_prop(it, id), *d;

	if (p)
		return p;
	if (!(prop_def(id)->menus & MB(k)))
		return NULL;
	d = &defaults[id][(MB(k) & MB_V6) != 0];
	return d->value ? d : NULL;
}

const char *mitem_value(const struct mitem *it, enum menu_kind k, enum prop_id id)
{
	const struct mprop *p = mitem_get(it, k, id);

	return p ? p->value : NULL;
}

enum action_id mitem_action(const struct mitem *it, enum menu_kind k)
{
	const struct mprop *p = mitem_get(it, k, P_ACTION);

	return p ? (enum action_id)p->v.u : A_ACCEPT;
}

bool mprop_addr(const struct mprop *p, struct value_addr *a)
{
	int i;

	if (p->form & VFORM_DNS)
		return false;
	if (p->form & VFORM_V6) {
		*a = *(const struct value_addr *)p->v.p;
		return true;
	}
	memset(a, 0, sizeof(*a));
	a->kind = p->form & 3;
	memcpy(a->lo, p->v.ip4.lo, 4);
	memcpy(a->hi, p->v.ip4.hi, 4);
	a->plen = 32;
	if (a->kind == VA_PREFIX)
		for (i = 0; i < 4; i++)
			a->plen -= __builtin_popcount((uint8_t)(p->v.ip4.lo[i] ^ p->v.ip4.hi[i]));
	return true;
}

const struct vrange *mprop_ranges(const struct mprop *p, size_t *n)
{
	const struct vranges *rs = p->v.p;

	if (prop_def(p->id)->type == VT_PORTS && (p->form & VFORM_LIST)) {
		*n = rs->n;
		return rs->v;
	}
	*n = 1;
	return &p->v.r;
}

const struct vaddrs *mprop_addrs(const struct mprop *p)
{
	const struct vaddrs *as = p ? p->v.p : NULL;

	return p && (p->form & VFORM_ADDRS) && mprop_len(p) && as && as->n ? as : NULL;
}

const struct vname *mprop_names(const struct mprop *p, size_t *n)
{
	const struct vnames *ns = p->v.p;

	*n = ns ? ns->n : 0;
	return ns ? ns->v : NULL;
}

struct mitem *item_set(struct model *m, struct mitem *it, const struct prop_def *def, const char *v,
		       size_t len, const struct pvalue *pv, const struct loc *loc)
{
	bool found;
	size_t i = prop_index(it, def->id, &found);
	struct mprop *p;

	if (!found) {
		if (it->nprops == it->cap) {
			struct mitem *n = item_new(m, (uint16_t)(it->cap * 2));

			memcpy(n, it, sizeof(*it) + it->nprops * sizeof(it->props[0]));
			n->cap = (uint16_t)(it->cap * 2);
			it = n;
		}
		memmove(&it->props[i + 1], &it->props[i], (it->nprops - i) * sizeof(*it->props));
		it->nprops++;
	}
	p = &it->props[i];
	p->id = (uint16_t)def->id;
	p->nul = memchr(v, '\0', len) != NULL;
	p->value = value_store(m, def, v, len, p->nul);
	p->v = pv->v;
	p->form = pv->form;
	p->neg = pv->neg;
	if (loc)
		p->loc = *loc;
	else
		memset(&p->loc, 0, sizeof(p->loc));
	return it;
}

bool item_unset(struct mitem *it, enum prop_id id)
{
	bool found;
	size_t i = prop_index(it, id, &found);

	if (!found)
		return false;
	memmove(&it->props[i], &it->props[i + 1], (it->nprops - i - 1) * sizeof(*it->props));
	it->nprops--;
	return true;
}

void list_insert(struct model *m, enum menu_kind k, struct mitem *it, size_t at)
{
	struct mlist *l = &m->lists[k];

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	if (at > l->n)
		at = l->n;
	memmove(&l->v[at + 1], &l->v[at], (l->n - at) * sizeof(*l->v));
	l->v[at] = it;
	l->n++;
}

/* `sel` is sorted and holds no duplicates. */
void list_remove(struct model *m, enum menu_kind k, const struct sel *sel)
{
	struct mlist *l = &m->lists[k];
	size_t i, j = 0, s = 0;

	m->gen[k]++;
	for (i = 0; i < l->n; i++) {
		if (s < sel->n && sel->v[s] == i) {
			s++;
			continue;
		}
		l->v[j++] = l->v[i];
	}
	l->n = j;
}

/*
 * RouterOS `move`: the selected items keep their order among themselves and
 * land just before the item that was at `dest`; with no destination they go
 * to the end.
 */
void list_move(struct model *m, enum menu_kind k, const struct sel *sel, size_t dest, bool to_end)
{
	struct mlist *l = &m->lists[k];
	struct mitem **moved = xreallocarray(NULL, sel->n ? sel->n : 1, sizeof(*moved));
	struct mitem *anchor = NULL;
	size_t i, s = 0, at;

	m->gen[k]++;
	/* When the destination is itself being moved, the block lands before
	 * the first item after it that stays put. */
	for (i = 0; !to_end && i < l->n; i++) {
		bool selected = s < sel->n && sel->v[s] == i;

		if (selected)
			s++;
		if (i >= dest && !selected) {
			anchor = l->v[i];
			break;
		}
	}
	for (i = 0; i < sel->n; i++)
		moved[i] = l->v[sel->v[i]];
	list_remove(m, k, sel);
	at = l->n;
	if (anchor)
		for (at = 0; l->v[at] != anchor; at++)
			;
	for (i = 0; i < sel->n; i++)
		list_insert(m, k, moved[i], at + i);
	free(moved);
}

void sel_add(struct sel *s, size_t i)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n++] = i;
}

static int size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

void sel_normalize(struct sel *s)
{
	size_t i, j = 0;

	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), size_cmp);
	for (i = 0; i < s->n; i++)
		if (!j || s->v[j - 1] != s->v[i])
			s->v[j++] = s->v[i];
	s->n = j;
}

void sel_free(struct sel *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/*
 * Names (chains, lists, marks, actions) repeat across thousands of items:
 * they are stored once. Free text and addresses are not worth hashing.
 */
static bool value_interned(const struct prop_def *def)
{
	switch (def->type) {
	case VT_NAME:
	case VT_ENUM:
	case VT_ACTION:
	case VT_YESNO:
	case VT_PROTOCOL:
		return true;
	default:
		return false;
	}
}

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/* A text holding NUL bytes, with its length in the four bytes before it
 * (struct mprop.nul). */
static const char *text_with_len(struct model *m, const char *v, size_t len)
{
	uint32_t n = (uint32_t)len;
	char *p = arena_alloc(m->arena, sizeof(n) + len + 1);

	memcpy(p, &n, sizeof(n));
	memcpy(p + sizeof(n), v, len);
	return p + sizeof(n);
}

const char *value_store(struct model *m, const struct prop_def *def, const char *v, size_t len, bool nul)
{
	struct intern *t = &m->intern;
	size_t i, mask;

	/* Interned values never hold NUL bytes: a name with one is stored apart. */
	if (nul)
		return text_with_len(m, v, len);
	if (!value_interned(def) || len > 64)
		return arena_strndup(m->arena, v, len);
	/* A blocklist repeats one list name a million times in a row (the
	 * last value holds no NUL, so neither does v when they are equal). */
	if (t->last && t->last_len == len && !memcmp(t->last, v, len))
		return t->last;
	if (t->n * 2 >= t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 256;
		const char **nv = xcalloc(ncap, sizeof(*nv));

		for (i = 0; i < t->cap; i++) {
			size_t j;

			if (!t->v[i])
				continue;
			for (j = hash_bytes(t->v[i], strlen(t->v[i])) & (ncap - 1); nv[j]; j = (j + 1) & (ncap - 1))
				;
			nv[j] = t->v[i];
		}
		free(t->v);
		t->v = nv;
		t->cap = ncap;
	}
	mask = t->cap - 1;
	for (i = hash_bytes(v, len) & mask; t->v[i]; i = (i + 1) & mask)
		if (!strncmp(t->v[i], v, len) && t->v[i][len] == '\0')
			break;
	if (!t->v[i]) {
		t->v[i] = arena_strndup(m->arena, v, len);
		t->n++;
	}
	t->last_len = len;
	return t->last = t->v[i];
}

void intern_free(struct model *m)
{
	free(m->intern.v);
}

void iface_record(struct model *m, const char *menu, const char *name, const char *old_name,
		  bool by_default, const struct loc *loc)
{
	struct miface *f;

	if (m->nifaces == m->capifaces) {
		m->capifaces = m->capifaces ? m->capifaces * 2 : 16;
		m->ifaces = xreallocarray(m->ifaces, m->capifaces, sizeof(*m->ifaces));
	}
	f = &m->ifaces[m->nifaces++];
	f->menu = arena_strndup(m->arena, menu, strlen(menu));
	f->name = arena_strndup(m->arena, name, strlen(name));
	f->old_name = old_name ? arena_strndup(m->arena, old_name, strlen(old_name)) : NULL;
	f->by_default_name = by_default;
	f->loc = *loc;
}

bool model_noted(struct model *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->nnoted; i++)
		if (!strcmp(m->noted[i], key))
			return true;
	m->noted = xreallocarray(m->noted, m->nnoted + 1, sizeof(*m->noted));
	m->noted[m->nnoted++] = xstrdup(key);
	return false;
}
