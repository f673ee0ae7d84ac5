/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ifname.h"

#include <stdlib.h>
#include <string.h>

#include "menu.h"
#include "text.h"
#include "xalloc.h"

/*
 * RouterOS v6/v7's special names (the properties' completion lists them
 * beside the interfaces) match a kind of interface, not a name. Their
 * defaults are the names Linux gives that kind: systemd's predictable
 * names and the kernel's own for ethernet (enp1s0, eno1, ens3, enx..., and
 * eth0 where those are off), pppd's ppp0... for every PPP kind RouterOS
 * counts (PPPoE, PPTP, L2TP, SSTP, OVPN), wlan0 and wlp2s0 for wireless.
 * VLANs have no Linux prefix of their own: ifupdown and most guides name
 * them vlanN; a VLAN named PARENT.VID (eth0.100) is not matched, and one
 * named enp1s0.100 counts as ethernet: map all-vlan and all-ethernet where
 * that matters. Each default is a note where it is first used.
 */
static const struct special {
	const char *name;
	const char *targets[3];
} specials[] = {
	{ "all-ethernet", { "en*", "eth*", NULL } },
	{ "all-ppp", { "ppp*", NULL } },
	{ "all-vlan", { "vlan*", NULL } },
	{ "all-wireless", { "wl*", NULL } },
};

#define NSPECIALS (sizeof(specials) / sizeof(specials[0]))

/* A name an object held from `from` on. */
struct held {
	const char *name;
	struct loc from;
};

/**
 * struct ifobj - one interface of the router, through its renames.
 * @dflt:  its default-name (a port selected by it, or one renamed before
 *         the script defined it: a built-in port), or NULL.
 * @h:     its names in order; the last is its final name.
 * @entry: the map entry it takes, or NULL.
 */
struct ifobj {
	const char *dflt;
	struct held *h;
	size_t nh, caph;
	const struct ifmap_entry *entry;
};

struct ifnames {
	const struct ifmap *map;
	struct ifobj *o;
	size_t no, capo;
	bool *used;			/* by map entry */
	bool noted[NSPECIALS];
	const char *one[1];		/* a single answer, the name itself */
	char *own;
};

static bool loc_before(const struct loc *a, const struct loc *b)
{
	if (a->file != b->file)
		return a->file < b->file;
	if (a->line != b->line)
		return a->line < b->line;
	return a->col < b->col;
}

static void held_add(struct ifobj *o, const char *name, const struct loc *from)
{
	XGROW(o->h, o->nh, o->caph);
	o->h[o->nh].name = name;
	o->h[o->nh].from = *from;
	o->nh++;
}

static struct ifobj *obj_add(struct ifnames *r, const char *dflt, const char *first, const struct loc *from)
{
	struct ifobj *o;

	XGROW(r->o, r->no, r->capo);
	o = &r->o[r->no++];
	memset(o, 0, sizeof(*o));
	o->dflt = dflt;
	held_add(o, first, from);
	return o;
}

static const char *final_name(const struct ifobj *o)
{
	return o->h[o->nh - 1].name;
}

/* The objects, from the /interface records in the order the script ran
 * them: an add makes one, a set renames the one it selects (by
 * default-name, or by the name it has by then). */
static void objs_build(struct ifnames *r, const struct model *m)
{
	static const struct loc start = { 0 };
	const struct miface *f;
	size_t n = model_ifaces(m, &f), i, j;

	for (i = 0; i < n; i++) {
		struct ifobj *o = NULL;

		if (!f[i].old_name) {
			obj_add(r, NULL, f[i].name, &f[i].loc);
			continue;
		}
		for (j = 0; j < r->no && !o; j++) {
			if (f[i].by_default_name ? r->o[j].dflt && !strcmp(r->o[j].dflt, f[i].old_name)
						 : !strcmp(final_name(&r->o[j]), f[i].old_name))
				o = &r->o[j];
		}
		/* A port the script never added: RouterOS made it, under its
		 * default name. */
		if (!o)
			o = obj_add(r, f[i].old_name, f[i].old_name, &start);
		if (strcmp(final_name(o), f[i].name))
			held_add(o, f[i].name, &f[i].loc);
	}
}

/* The object name[0..len) named at `at`: the one that had the name then,
 * else the first that ever had it (a rule written before the add or
 * rename it relies on). */
static struct ifobj *obj_named(struct ifnames *r, const char *name, size_t len, const struct loc *at)
{
	struct ifobj *any = NULL;
	size_t i, j;

	for (i = 0; i < r->no; i++) {
		struct ifobj *o = &r->o[i];
		size_t now = 0;

		for (j = 0; j < o->nh; j++) {
			if (!loc_before(at, &o->h[j].from))
				now = j;
			if (!any && text_eq(name, len, o->h[j].name))
				any = o;
		}
		if (!loc_before(at, &o->h[0].from) && text_eq(name, len, o->h[now].name))
			return o;
	}
	return any;
}

static const struct special *special_of(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NSPECIALS; i++)
		if (text_eq(name, len, specials[i].name))
			return &specials[i];
	return NULL;
}

static void mark_used(struct ifnames *r, const struct ifmap_entry *e)
{
	size_t i;

	for (i = 0; e && i < ifmap_count(r->map); i++)
		if (ifmap_at(r->map, i) == e)
			r->used[i] = true;
}

/* Each object's entry: by final name or default-name; both is a conflict. */
static void objs_map(struct ifnames *r, struct diag *d)
{
	size_t i;

	for (i = 0; i < r->no; i++) {
		struct ifobj *o = &r->o[i];
		const char *fin = final_name(o);
		const struct ifmap_entry *a = ifmap_find(r->map, fin, strlen(fin));
		const struct ifmap_entry *b = o->dflt ? ifmap_find(r->map, o->dflt, strlen(o->dflt)) : NULL;

		if (a && b && a != b) {
			const struct ifmap_entry *later = loc_before(&a->loc, &b->loc) ? b : a;

			diag_error(d, &later->loc,
				   "\"%s\" and \"%s\" are one interface (default-name %s, renamed %s by the configuration): map only one of them",
				   a->key, b->key, o->dflt, fin);
		}
		o->entry = a ? a : b;
		mark_used(r, a);
		mark_used(r, b);
	}
}

size_t ifnames_get(struct ifnames *r, const char *name, size_t len, const struct loc *at, const char *const **out,
		   bool *mapped)
{
	const struct ifobj *o = obj_named(r, name, len, at);
	const struct ifmap_entry *e;
	const struct special *sp;

	free(r->own);
	r->own = NULL;
	*mapped = true;
	if (o && o->entry) {
		*out = o->entry->targets;
		return o->entry->ntargets;
	}
	*mapped = false;
	if (o) {
		r->one[0] = final_name(o);
		*out = r->one;
		return 1;
	}
	if ((e = ifmap_find(r->map, name, len))) {
		*mapped = true;
		*out = e->targets;
		return e->ntargets;
	}
	if ((sp = special_of(name, len))) {
		size_t n = 0;

		*mapped = true;
		while (n < 3 && sp->targets[n])
			n++;
		*out = (const char *const *)sp->targets;
		return n;
	}
	r->one[0] = r->own = xstrndup(name, len);
	*out = r->one;
	return 1;
}

bool ifnames_same(const char *const *v, size_t n, const char *name, size_t len)
{
	return n == 1 && text_eq(name, len, v[0]);
}

/* Every name the configuration writes, resolved once: which map entries
 * serve, which special names take their default. */
static void refs_walk(struct ifnames *r, const struct model *m, struct diag *d)
{
	/* bridge ports and bridges are interfaces too (lower_bridge.c) */
	static const enum prop_id rule_props[] = { P_IN_INTERFACE, P_OUT_INTERFACE, P_IN_BRIDGE_PORT,
						   P_PHYS_IN_INTERFACE, P_IN_BRIDGE,	  P_OUT_BRIDGE };
	enum menu_kind k;
	size_t i, j;

	for (k = 0; k < MK__COUNT; k++) {
		bool rules = k <= MK_RAW6 || menu_kind_is_bridge(k);
		size_t nprops = sizeof(rule_props) / sizeof(rule_props[0]);

		if (!rules && k != MK_IFLIST_MEMBER)
			continue;
		for (i = 0; i < model_count(m, k); i++) {
			const struct mitem *it = model_item(m, k, i);

			for (j = 0; j < (rules ? nprops : 1); j++) {
				const struct mprop *p = mitem_prop(it, rules ? rule_props[j] : P_INTERFACE);
				const char *name;
				size_t len;
				const struct special *sp;

				if (!p)
					continue;
				name = mprop_name(p);
				len = mprop_len(p) - p->neg;
				if (obj_named(r, name, len, &p->loc))
					continue;	/* objects: objs_map */
				if (ifmap_find(r->map, name, len)) {
					mark_used(r, ifmap_find(r->map, name, len));
				} else if ((sp = special_of(name, len)) && !r->noted[sp - specials]) {
					char list[64] = "";
					size_t t;

					r->noted[sp - specials] = true;
					for (t = 0; t < 3 && sp->targets[t]; t++) {
						strcat(list, t ? ", " : "");
						strcat(list, sp->targets[t]);
					}
					diag_note(d, &p->loc,
						  "%s is RouterOS's name for a kind of interface: here it matches %s (--interface %s=NAME,... to say which)",
						  sp->name, list, sp->name);
				}
			}
		}
	}
}

static void closer(const char *key, const char *cand, size_t len, const char **best, size_t *bestd)
{
	size_t k = strlen(key), dist = text_distance(key, k, cand, len, text_typo_cap(k));

	if (dist && dist <= text_typo_cap(k) && dist < *bestd) {
		*best = cand;
		*bestd = dist;
	}
}

/* The name of the configuration an unused key is likely a typo of, or
 * NULL: names of interfaces and names rules and list members use. */
static const char *typo_of(const struct ifnames *r, const struct model *m, const char *key)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1, i, j;
	enum menu_kind k;

	for (i = 0; i < r->no; i++) {
		for (j = 0; j < r->o[i].nh; j++)
			closer(key, r->o[i].h[j].name, strlen(r->o[i].h[j].name), &best, &bestd);
		if (r->o[i].dflt)
			closer(key, r->o[i].dflt, strlen(r->o[i].dflt), &best, &bestd);
	}
	for (k = 0; k <= MK_IFLIST_MEMBER; k++) {
		static const enum prop_id props[] = { P_IN_INTERFACE, P_OUT_INTERFACE, P_INTERFACE };

		if (k > MK_RAW6 && k != MK_IFLIST_MEMBER)
			continue;
		for (i = 0; i < model_count(m, k); i++) {
			for (j = 0; j < 3; j++) {
				const struct mprop *p = mitem_prop(model_item(m, k, i), props[j]);

				if (p && (j == 2) == (k == MK_IFLIST_MEMBER))
					closer(key, mprop_name(p), mprop_len(p) - p->neg, &best, &bestd);
			}
		}
	}
	return best;
}

struct ifnames *ifnames_new(const struct model *m, const struct ifmap *map, struct diag *d)
{
	struct ifnames *r = xcalloc(1, sizeof(*r));
	size_t i;

	r->map = map;
	r->used = xcalloc(ifmap_count(map) + 1, sizeof(*r->used));
	objs_build(r, m);
	objs_map(r, d);
	refs_walk(r, m, d);
	for (i = 0; i < ifmap_count(map); i++) {
		const struct ifmap_entry *e = ifmap_at(map, i);

		const char *near;

		if (r->used[i])
			continue;
		if ((near = typo_of(r, m, e->key)))
			diag_warning(d, &e->loc,
				     "the configuration has no interface \"%s\" (nor an interface whose default-name it is): this entry maps nothing; did you mean \"%s\"?",
				     e->key, near);
		else
			diag_warning(d, &e->loc,
				     "the configuration has no interface \"%s\" (nor an interface whose default-name it is): this entry maps nothing (a typo?)",
				     e->key);
	}
	return r;
}

void ifnames_free(struct ifnames *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->no; i++)
		free(r->o[i].h);
	free(r->o);
	free(r->used);
	free(r->own);
	free(r);
}
