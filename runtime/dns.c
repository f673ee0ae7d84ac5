/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addrlist_impl.h"
#include "dynstate.h"
#include "kname.h"
#include "lower.h"
#include "lower_impl.h"
#include "resolve.h"
#include "value.h"
#include "xalloc.h"

/* A configured address, prefix or range of a list: an answer inside one
 * is the configuration's, never added or removed by a name. */
struct srange {
	uint8_t family;
	const char *list;
	uint8_t lo[16], hi[16];
};

/**
 * struct dname - one name of one list.
 * @addrs:   the last good answer (16 bytes each, IPv4 in the first 4).
 * @due:     monotonic ms of the next lookup.
 * @backoff: seconds to wait after the next failure.
 * @ttl:     the last DNS answer's TTL in seconds, -1 for /etc/hosts.
 */
struct dname {
	uint8_t family;
	char *list, *name;
	char set[KNAME_MAX];	/* the list's static set, al_X */
	uint8_t (*addrs)[16];
	size_t naddrs;
	int64_t due, ttl;
	unsigned backoff;
};

struct dns {
	struct dname *v;
	size_t n;
	struct srange *r;
	size_t nr;
};

struct dns *dns_new(const struct model *m)
{
	static const enum menu_kind kinds[2] = { MK_ADDRLIST4, MK_ADDRLIST6 };
	struct dns *d = xcalloc(1, sizeof(*d));
	size_t f, i;

	for (f = 0; f < 2; f++) {
		for (i = 0; i < model_count(m, kinds[f]); i++) {
			const struct mitem *it = model_item(m, kinds[f], i);
			const char *list = mitem_value(it, kinds[f], P_LIST);
			const struct mprop *addr = mitem_prop(it, P_ADDRESS);
			struct value_addr va;

			if (it->disabled || !list || !addr || !mprop_len(addr))
				continue;
			if (mprop_addr(addr, &va)) {
				d->r = xreallocarray(d->r, d->nr + 1, sizeof(*d->r));
				memset(&d->r[d->nr], 0, sizeof(*d->r));
				d->r[d->nr].family = f ? NFPROTO_IPV6 : NFPROTO_IPV4;
				d->r[d->nr].list = list;
				memcpy(d->r[d->nr].lo, va.lo, 16);
				memcpy(d->r[d->nr].hi, va.hi, 16);
				d->nr++;
				continue;
			}
			d->v = xreallocarray(d->v, d->n + 1, sizeof(*d->v));
			memset(&d->v[d->n], 0, sizeof(*d->v));
			d->v[d->n].family = f ? NFPROTO_IPV6 : NFPROTO_IPV4;
			d->v[d->n].list = xstrdup(list);
			d->v[d->n].name = xstrndup(addr->value, mprop_len(addr));
			kname_set(d->v[d->n].set, sizeof(d->v[d->n].set), KNAME_LIST, list);
			d->n++;
		}
	}
	if (!d->n) {
		dns_free(d);
		return NULL;
	}
	return d;
}

void dns_free(struct dns *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->v[i].list);
		free(d->v[i].name);
		free(d->v[i].addrs);
	}
	free(d->v);
	free(d->r);
	free(d);
}

static bool configured(const struct dns *d, const struct dname *n, const uint8_t *a)
{
	size_t i, len = n->family == NFPROTO_IPV6 ? 16 : 4;

	for (i = 0; i < d->nr; i++)
		if (d->r[i].family == n->family && !strcmp(d->r[i].list, n->list) && memcmp(a, d->r[i].lo, len) >= 0 &&
		    memcmp(a, d->r[i].hi, len) <= 0)
			return true;
	return false;
}

static bool in_answer(const struct dname *n, const uint8_t *a)
{
	size_t i;

	for (i = 0; i < n->naddrs; i++)
		if (!memcmp(n->addrs[i], a, 16))
			return true;
	return false;
}

/* Another name of the same list answers `a` too: it stays. */
static bool other_has(const struct dns *d, const struct dname *n, const uint8_t *a)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (&d->v[i] != n && d->v[i].family == n->family && !strcmp(d->v[i].list, n->list) &&
		    in_answer(&d->v[i], a))
			return true;
	return false;
}

/* One address into or out of the list's static set; an entry already
 * there (add) or already gone (remove) is no error. Sent so that the
 * kernel refuses either (excl): such a batch changes nothing, and the
 * apply record's generation (incr_advance) stays exact. */
static void set_change(struct nlsock *ns, const struct dname *n, const struct addrlist_set *si, const uint8_t *a,
		       bool add)
{
	struct addrlist_entry e = { .list = n->list, .len = n->family == NFPROTO_IPV6 ? 16 : 4 };
	char text[ADDRLIST_TEXT_MAX], safe[128];
	int err;

	memcpy(e.lo, a, e.len);
	memcpy(e.hi, a, e.len);
	err = addrlist_send(ns, n->family, si->name, si->flags & NFT_SET_INTERVAL, &e, 1, add, true, false, NULL);
	if (!err || (!add && err == ENOENT) || (add && err == EEXIST))
		return;
	addrlist_format(text, sizeof(text), &e);
	addrlist_safe(safe, sizeof(safe), n->name);
	fprintf(stderr, "rosfwd: dns %s: %s %s %s set %s: %s\n", safe, add ? "adding" : "removing", text,
		add ? "to" : "from", si->name, strerror(err < 0 ? errno : err));
}

static unsigned clamp(unsigned v, const struct dns_opts *o)
{
	return v < o->floor ? o->floor : v > o->cap ? o->cap : v;
}

static void name_resolve(struct dns *d, struct dname *n, struct nlsock *ns, const struct dns_opts *o, int64_t now)
{
	struct resolve_answer ans;
	uint8_t (*old)[16] = n->addrs;
	size_t nold = n->naddrs, i, added = 0, removed = 0;
	char safe[128], lsafe[128];
	const char *set = n->set, *why;
	struct addrlist_set si;
	unsigned next;

	addrlist_safe(safe, sizeof(safe), n->name);
	addrlist_safe(lsafe, sizeof(lsafe), n->list);
	why = resolve_name(n->name, n->family == NFPROTO_IPV6 ? AF_INET6 : AF_INET, &ans);
	if (why) {
		/* The last good answer stays (and goes back in below, should
		 * an apply have rebuilt the set) until one replaces it. */
		fprintf(stderr, "rosfwd: dns %s (list \"%s\"): %s; keeping the last answer (%zu addresses), next try in %us\n",
			safe, lsafe, why, n->naddrs, n->backoff);
		n->due = now + (int64_t)n->backoff * 1000;
		n->backoff = n->backoff * 2 > o->cap ? o->cap : n->backoff * 2;
		old = NULL;
		nold = 0;
	} else {
		n->addrs = xreallocarray(NULL, ans.n, sizeof(*n->addrs));
		memcpy(n->addrs, ans.addr, ans.n * sizeof(*n->addrs));
		n->naddrs = ans.n;
		/* DNS says how long the answer holds; /etc/hosts does not. */
		next = clamp(ans.has_ttl ? ans.ttl : o->refresh, o);
		n->due = now + (int64_t)next * 1000;
		n->backoff = o->floor;
		n->ttl = ans.has_ttl ? (int64_t)ans.ttl : -1;
	}
	if (addrlist_set_lookup(ns, n->family, set, &si) < 0 || !si.exists) {
		fprintf(stderr, "rosfwd: dns %s: list \"%s\" has no set %s in the kernel (no rule uses it, or not applied)\n",
			safe, lsafe, set);
		free(old);
		return;
	}
	/* Every address of the answer, each time: an apply since the last
	 * lookup rebuilt the set without them. */
	for (i = 0; i < n->naddrs; i++) {
		if (configured(d, n, n->addrs[i]))
			continue;
		set_change(ns, n, &si, n->addrs[i], true);
		added += !why && !in_answer(&(struct dname){ .addrs = old, .naddrs = nold }, n->addrs[i]);
	}
	for (i = 0; i < nold; i++) {
		if (in_answer(n, old[i]) || configured(d, n, old[i]) || other_has(d, n, old[i]))
			continue;
		set_change(ns, n, &si, old[i], false);
		removed++;
	}
	if (added || removed) {
		char ttl[48] = "";

		if (n->ttl >= 0)
			snprintf(ttl, sizeof(ttl), ", TTL %llds, next lookup in %us", (long long)n->ttl,
				 clamp((unsigned)n->ttl, o));
		fprintf(stderr, "rosfwd: dns %s (list \"%s\"): %zu addresses, %zu new, %zu gone%s\n", safe, lsafe,
			n->naddrs, added, removed, ttl);
	}
	free(old);
}

int64_t dns_refresh(struct dns *d, struct nlsock *ns, const struct dns_opts *o, int64_t now, bool all)
{
	int64_t next = 86400 * 1000;	/* no names: nothing due for a day */
	size_t i;

	for (i = 0; d && i < d->n; i++) {
		if (!d->v[i].backoff)
			d->v[i].backoff = o->floor;
		if (all || d->v[i].due <= now)
			name_resolve(d, &d->v[i], ns, o, now);
		if (d->v[i].due - now < next)
			next = d->v[i].due - now;
	}
	return next;
}

void dns_handover(struct dns *to, struct dns *from, struct nlsock *ns)
{
	size_t i, j, k;

	for (i = 0; from && i < from->n; i++) {
		struct dname *o = &from->v[i];
		struct dname *n = NULL;
		struct addrlist_set si;

		for (j = 0; to && j < to->n && !n; j++)
			if (to->v[j].family == o->family && !strcmp(to->v[j].list, o->list) && !strcmp(to->v[j].name, o->name))
				n = &to->v[j];
		if (n) {
			free(n->addrs);
			n->addrs = o->addrs;
			n->naddrs = o->naddrs;
			o->addrs = NULL;
			o->naddrs = 0;
			continue;
		}
		/* A name the configuration no longer has: its answer leaves the
		 * set (a dynamic set keeps it through an apply). */
		if (addrlist_set_lookup(ns, o->family, o->set, &si) < 0 || !si.exists)
			continue;
		for (k = 0; k < o->naddrs; k++) {
			bool keep = false;

			for (j = 0; to && j < to->n && !keep; j++)
				keep = to->v[j].family == o->family && !strcmp(to->v[j].list, o->list) &&
				       in_answer(&to->v[j], o->addrs[k]);
			if (!keep && !(to && configured(to, o, o->addrs[k])))
				set_change(ns, o, &si, o->addrs[k], false);
		}
	}
}

bool dns_owns(const struct dns *d, uint8_t family, uint32_t set_id, const uint8_t *key)
{
	size_t i;

	for (i = 0; d && i < d->n; i++)
		if (d->v[i].family == family && dyn_set_id(d->v[i].set) == set_id && in_answer(&d->v[i], key))
			return true;
	return false;
}

void dns_save(const struct dns *d, struct dyn_state *s)
{
	size_t i, j;

	for (i = 0; d && i < d->n; i++)
		for (j = 0; j < d->v[i].naddrs; j++)
			dyn_state_add_answer(s, d->v[i].family, dyn_set_id(d->v[i].set), d->v[i].addrs[j], d->v[i].name);
}

void dns_load(struct dns *d, const struct dyn_state *s)
{
	size_t i, j;

	for (i = 0; d && i < d->n; i++) {
		struct dname *n = &d->v[i];
		uint32_t set = dyn_set_id(n->set);

		for (j = 0; j < s->nans; j++) {
			const struct dyn_answer *a = &s->ans[j];

			if (a->family != n->family || a->set != set || strcmp(a->name, n->name) || in_answer(n, a->addr))
				continue;
			n->addrs = xreallocarray(n->addrs, n->naddrs + 1, sizeof(*n->addrs));
			memcpy(n->addrs[n->naddrs++], a->addr, 16);
		}
	}
}
