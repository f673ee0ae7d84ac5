/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a re-apply keeps of the kernel's rosfw tables: the entries of the
 * dynamic address lists, put into the new IR with the time they have
 * left, and the names of everything the tables hold, so that the batch
 * empties them in place but for the counter objects of the rules that did
 * not change, which never stop counting.
 */
#include "state.h"

#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdlib.h>
#include <string.h>

#include "kname.h"
#include "kread.h"
#include "lower.h"
#include "nlsock.h"
#include "xalloc.h"

struct delem {
	struct ir_data key, hi;	/* hi: the last address of a range */
	bool range;
	uint64_t left_ms;	/* 0: no timeout */
	uint64_t timeout_ms;	/* as given, for none-static's mark */
	char *comment;
	bool dup;		/* the new config has it already */
};

/* A dynamic address list's set and its entries. */
struct dset {
	int family;
	char *name;
	uint32_t key_type, key_len;
	bool interval;
	struct delem *e;
	size_t n, cap;
};

struct state {
	struct nlsock ns;
	struct dset *dsets;
	size_t ndsets, capdsets;
	struct emit_nl_have have[3];	/* everything in the tables (ip, ip6, bridge), by name */
	size_t capchains[3], capsets[3], capflowtables[3], caphobjs[3];
};

/* have[]'s index of a family's table. */
static int fam_index(int family)
{
	return family == NFPROTO_IPV6 ? 1 : family == NFPROTO_BRIDGE ? 2 : 0;
}

static bool set_is_list(const char *name, uint32_t flags)
{
	return !(flags & NFT_SET_ANONYMOUS) && (flags & (NFT_SET_TIMEOUT | NFT_SET_EVAL)) &&
	       kname_is_addrlist(name);
}

/* ---- reading the kernel ------------------------------------------------- */

struct set_row {
	char *name;
	uint32_t flags, key_type, key_len;
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
	rows->v[rows->n].flags = s->flags;
	rows->v[rows->n].key_type = s->key_type;
	rows->v[rows->n++].key_len = s->key_len;
}

/* A dynamic list's entry; those gone by the time the batch lands are
 * left out. */
static void dset_elem(void *ctx, const struct kread_elem *e)
{
	struct dset *d = ctx;
	struct delem x = { 0 };

	/* The configuration's own static entry: the new one writes its own. */
	if (!e->key || e->key_len > sizeof(x.key.b) || e->configured)
		return;
	x.key.len = (uint8_t)e->key_len;
	memcpy(x.key.b, e->key, e->key_len);
	if (e->has_timeout || e->has_exp) {
		x.left_ms = e->exp_ms;
		if (!x.left_ms)
			return;
		x.timeout_ms = e->timeout_ms;
	}
	x.comment = e->comment ? xstrndup(e->comment, e->comment_len) : NULL;
	XGROW(d->e, d->n, d->cap);
	d->e[d->n++] = x;
}

static void dset_range(void *ctx, const struct kread_range *r)
{
	struct dset *d = ctx;
	struct delem x = { .left_ms = r->start.exp_ms };

	if (((r->start.has_timeout || r->start.has_exp) && !r->start.exp_ms) || r->start.configured)
		return;		/* gone by the time the batch lands, or the configuration's own */
	x.key.len = x.hi.len = (uint8_t)d->key_len;
	memcpy(x.key.b, r->lo, d->key_len);
	memcpy(x.hi.b, r->hi, d->key_len);
	x.range = memcmp(x.key.b, x.hi.b, d->key_len) != 0;
	x.comment = r->start.comment ? xstrndup(r->start.comment, r->start.comment_len) : NULL;
	XGROW(d->e, d->n, d->cap);
	d->e[d->n++] = x;
}

/* Every named set, and the entries of the dynamic lists' sets. */
static int sets_read(struct state *st, int family)
{
	struct emit_nl_have *h = &st->have[fam_index(family)];
	struct set_rows rows = { 0 };
	size_t i;
	int ret;

	ret = kread_sets(&st->ns, family, set_row_add, &rows);
	for (i = 0; i < rows.n && ret == 0; i++) {
		struct set_row *r = &rows.v[i];
		struct dset *d;

		if (r->flags & NFT_SET_ANONYMOUS)
			continue;
		XGROW(h->sets, h->nsets, st->capsets[fam_index(family)]);
		h->sets[h->nsets++] = xstrdup(r->name);
		if (!set_is_list(r->name, r->flags))
			continue;
		XGROW(st->dsets, st->ndsets, st->capdsets);
		d = &st->dsets[st->ndsets++];
		memset(d, 0, sizeof(*d));
		d->family = family;
		d->name = xstrdup(r->name);
		d->key_type = r->key_type;
		d->key_len = r->key_len;
		d->interval = r->flags & NFT_SET_INTERVAL;
		if (!d->interval)
			ret = kread_elems(&st->ns, family, r->name, dset_elem, d);
		else if (d->key_len <= 16)
			ret = kread_ranges(&st->ns, family, r->name, d->key_len, dset_range, d);
	}
	for (i = 0; i < rows.n; i++)
		free(rows.v[i].name);
	free(rows.v);
	return ret;
}

/* ---- what the tables hold, for an apply that empties them in place ------- */

struct have_ctx {
	struct state *st;
	int f;
};

static void have_obj(void *ctx, const struct kread_obj *o)
{
	struct have_ctx *c = ctx;
	struct emit_nl_have *h = &c->st->have[c->f];

	XGROW(h->objs, h->nobjs, c->st->caphobjs[c->f]);
	h->objs[h->nobjs].name = xstrndup(o->name, o->name_len);
	h->objs[h->nobjs++].type = o->type;
}

static void have_flowtable(void *ctx, const struct kread_flowtable *ft)
{
	struct have_ctx *c = ctx;
	struct emit_nl_have *h = &c->st->have[c->f];

	XGROW(h->flowtables, h->nflowtables, c->st->capflowtables[c->f]);
	h->flowtables[h->nflowtables++] = xstrdup(ft->name);
}

static void have_chain(void *ctx, const struct kread_chain *c)
{
	struct have_ctx *hc = ctx;
	struct emit_nl_have *h = &hc->st->have[hc->f];
	struct emit_nl_chain ch = { .name = xstrdup(c->name) };

	if (c->type) {
		ch.type = xstrdup(c->type);
		ch.hooknum = c->hooknum;
		ch.prio = c->prio;
	}
	XGROW(h->chains, h->nchains, hc->st->capchains[hc->f]);
	h->chains[h->nchains++] = ch;
}

static int hobj_cmp(const void *a, const void *b)
{
	return strcmp(((const struct emit_nl_obj *)a)->name, ((const struct emit_nl_obj *)b)->name);
}

/* Whether the table exists, and its chains, objects (counters among them)
 * and flowtables. */
static int have_read(struct state *st, int family)
{
	struct have_ctx c = { st, fam_index(family) };
	struct emit_nl_have *h = &st->have[c.f];
	int have = kread_table(&st->ns, family, NULL, NULL);

	if (have <= 0)
		return have;
	h->table = true;
	if (kread_chains(&st->ns, family, have_chain, &c) < 0 || kread_objs(&st->ns, family, 0, have_obj, &c) < 0)
		return -1;
	if (h->nobjs)
		qsort(h->objs, h->nobjs, sizeof(*h->objs), hobj_cmp);
	return kread_flowtables(&st->ns, family, have_flowtable, &c);
}

struct state *state_read(void)
{
	struct state *st = xcalloc(1, sizeof(*st));
	int f, err;

	if (!nlsock_open(&st->ns))
		goto fail;
	/* table bridge rosfw too, emptied in place like the others */
	for (f = 0; f < 3; f++) {
		int family = f == 2 ? NFPROTO_BRIDGE : f ? NFPROTO_IPV6 : NFPROTO_IPV4;

		if (have_read(st, family) < 0)
			goto fail;
		if (st->have[f].table && sets_read(st, family) < 0)
			goto fail;
	}
	nlsock_close(&st->ns);
	return st;
fail:
	err = errno;
	state_free(st);
	errno = err;
	return NULL;
}

void state_free(struct state *st)
{
	size_t i, j;
	int f;

	if (!st)
		return;
	nlsock_close(&st->ns);
	for (i = 0; i < st->ndsets; i++) {
		free(st->dsets[i].name);
		for (j = 0; j < st->dsets[i].n; j++)
			free(st->dsets[i].e[j].comment);
		free(st->dsets[i].e);
	}
	for (f = 0; f < 3; f++) {
		struct emit_nl_have *h = &st->have[f];

		for (i = 0; i < h->nchains; i++) {
			free((char *)h->chains[i].name);
			free((char *)h->chains[i].type);
		}
		for (i = 0; i < h->nsets; i++)
			free((char *)h->sets[i]);
		for (i = 0; i < h->nflowtables; i++)
			free((char *)h->flowtables[i]);
		for (i = 0; i < h->nobjs; i++)
			free((char *)h->objs[i].name);
		free(h->chains);
		free(h->sets);
		free(h->flowtables);
		free(h->objs);
	}
	free(st->dsets);
	free(st);
}

const struct emit_nl_have *state_have(const struct state *st)
{
	return st->have;
}

/* ---- into the new configuration ----------------------------------------- */

static int delem_cmp(const void *a, const void *b)
{
	const struct delem *x = a, *y = b;

	if (x->key.len != y->key.len)
		return x->key.len < y->key.len ? -1 : 1;
	return memcmp(x->key.b, y->key.b, x->key.len);
}

/* The new set to carry d's entries into, if the list still exists as a
 * set of the same key type and kind. */
static struct ir_set *dset_target(const struct dset *d, struct ir *ir)
{
	struct ir_table *t = ir->tables[d->family == NFPROTO_IPV6];
	struct ir_set *s = t ? ir_set_find(t, d->name) : NULL;
	uint32_t type, len;

	if (!s || s->nkeys > 1 || !(s->flags & SETF_INTERVAL) != !d->interval ||
	    !(s->flags & (SETF_DYNAMIC | SETF_TIMEOUT)) || !set_is_list(s->name, NFT_SET_TIMEOUT))
		return NULL;
	type = emit_nl_set_key_type(s, &len);
	return type == d->key_type && len == d->key_len ? s : NULL;
}

static int ir_elem_lo_cmp(const void *a, const void *b)
{
	const struct ir_elem *x = a, *y = b;

	return memcmp(x->lo.b, y->lo.b, x->lo.len);
}

/* Whether [lo, hi] meets one of the configuration's n entries of s
 * (sorted by start, none overlapping; the entries kept after them are
 * not sorted with them): an interval set refuses overlaps, and one
 * refused entry would refuse the whole batch. */
static bool overlaps(const struct ir_set *s, size_t n, const struct delem *x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(s->elems[mid].lo.b, x->key.b, x->key.len) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* lo: the first entry starting after x's start. */
	if (lo < n && memcmp(s->elems[lo].lo.b, x->hi.b, x->key.len) <= 0)
		return true;
	if (lo > 0) {
		const struct ir_elem *p = &s->elems[lo - 1];
		const struct ir_data *end = p->range ? &p->hi : &p->lo;

		return memcmp(end->b, x->key.b, x->key.len) >= 0;
	}
	return false;
}

size_t state_keep_elems(const struct state *st, struct ir *ir)
{
	size_t i, j, kept = 0;

	for (i = 0; i < st->ndsets; i++) {
		struct dset *d = &st->dsets[i];
		struct ir_set *s = dset_target(d, ir);
		size_t n0;

		if (!s || !d->n)
			continue;	/* the list is gone: so are its entries */
		qsort(d->e, d->n, sizeof(*d->e), delem_cmp);
		if (d->interval && s->n)
			qsort(s->elems, s->n, sizeof(*s->elems), ir_elem_lo_cmp);
		/* An entry the configuration writes itself comes from there. */
		for (j = 0; j < s->n; j++) {
			struct delem key = { .key = s->elems[j].lo };
			struct delem *hit = bsearch(&key, d->e, d->n, sizeof(*d->e), delem_cmp);

			if (hit)
				hit->dup = true;
		}
		n0 = s->n;
		for (j = 0; j < d->n; j++) {
			struct delem *x = &d->e[j];
			struct ir_elem e = { .lo = x->key, .hi = x->range ? x->hi : x->key, .range = x->range,
					     .kept = true, .timeout_ms = x->left_ms };

			if (x->dup || (j && !delem_cmp(&d->e[j - 1], x)))
				continue;
			/* A set without timeouts would refuse the entry (and the
			 * whole batch with it) or keep it for ever. */
			if (x->left_ms && !(s->flags & SETF_TIMEOUT))
				continue;
			if (d->interval && n0 && overlaps(s, n0, x))
				continue;
			/* none-static keeps its mark, not the time it has left */
			if (x->timeout_ms == LOWER_STATIC_TIMEOUT_MS)
				e.timeout_ms = LOWER_STATIC_TIMEOUT_MS;
			if (x->comment)
				e.comment = ir_strdup(ir, x->comment);
			ir_set_elem(ir, s, &e);
		}
		/* The kernel refuses a batch whose entries pass a set's size
		 * (ENFILE): what was in the old set fits in the new one, even
		 * when the configuration no longer holds the timed entries
		 * that took the room. */
		if (s->size && s->n > s->size)
			s->size = (uint32_t)s->n;
		kept += s->n - n0;
	}
	return kept;
}
