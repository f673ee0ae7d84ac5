/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runs of rules that differ in one value, merged into one counter map
 * lookup (merge.h says when). Rules are compared statement by statement
 * as the nft script writes them: two statements the script writes alike
 * are the same expressions in the kernel (matches and verdicts without
 * names or lists are compared field by field: the same, and cheaper).
 */
#include "merge.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit_text.h"
#include "ir.h"
#include "kname.h"
#include "xalloc.h"

/**
 * struct mrule - a kernel rule as the merge sees it.
 * @ok:   it may be part of a run (merge.h's conditions on one rule).
 * @ctr:  its counter statement; every statement before it is a match.
 * @text: each statement as the script writes it, once it was needed.
 */
struct mrule {
	bool ok;
	size_t ctr, n;
	char **text;
};

/* One value of a run, and the rule (its index in the run) it belongs to. */
struct mval {
	struct ir_data lo, hi;
	size_t rule;
};

static bool stmt_stateful(const struct ir_stmt *s)
{
	return s->kind != S_MATCH || s->u.m.key == K_NUMGEN_INC;
}

static bool key_mergeable(enum ir_key k)
{
	switch (ir_key_info(k)->type) {
	case T_IPV4:
	case T_IPV6:
	case T_PORT:
		return true;
	default:
		return false;
	}
}

/* A mask of leading ones that the value keeps whole: a prefix, whose
 * addresses are one range. */
static bool mask_prefix(const struct ir_match *m)
{
	bool ones = true;
	size_t i;

	if (m->mask.len != m->v.len)
		return false;
	for (i = 0; i < m->mask.len; i++) {
		uint8_t k = m->mask.b[i], inv = (uint8_t)~k;

		/* ones then zeros: ~k is zeros then ones */
		if ((!ones && k) || (m->v.b[i] & inv) || (inv & (uint8_t)(inv + 1)))
			return false;
		ones = k == 0xff;
	}
	return true;
}

/* The match a run may vary in: one key, values a set can hold. */
static bool match_mergeable(const struct ir_match *m)
{
	if (m->set || m->nhkeys > 1 || !key_mergeable(m->key) || ir_key_subbyte(m->key))
		return false;
	switch (m->op) {
	case OP_EQ:
		return !m->masked || (ir_key_info(m->key)->type != T_PORT && mask_prefix(m));
	case OP_RANGE:
		return true;
	case OP_IN:
		return m->nelems > 0;
	default:
		return false;
	}
}

static char *stmt_text(const struct ir_table *t, const struct ir_stmt *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		xdie("out of memory");
	emit_text_stmt(f, t, s);
	if (fclose(f))
		xdie("out of memory");
	return buf;
}

static void mrule_read(const struct ir_chain *c, size_t j, struct mrule *mr)
{
	const struct ir_rule *r = c->rules[j];
	size_t i, nctr = 0;

	mr->ok = r->id >= 0 && !r->state_only && (j == 0 || c->rules[j - 1]->id != r->id) &&
		 (j + 1 == c->n || c->rules[j + 1]->id != r->id);
	for (i = 0; mr->ok && i < r->n; i++) {
		const struct ir_stmt *s = &r->stmts[i];

		if (s->kind == S_COUNTER) {
			if (!s->u.obj.name || s->u.obj.map || nctr++)
				mr->ok = false;
			mr->ctr = i;
		} else if (!nctr && stmt_stateful(s)) {
			mr->ok = false;
		}
	}
	if (!nctr)
		mr->ok = false;
	if (!mr->ok)
		return;
	mr->n = r->n;
	mr->text = xcalloc(r->n + 1, sizeof(*mr->text));
}

static bool data_same(const struct ir_data *a, const struct ir_data *b)
{
	return a->len == b->len && !memcmp(a->b, b->b, a->len);
}

/* 1 or 0 where the statements say it without pointers (most matches, the
 * verdicts), else -1: their text decides. */
static int stmt_same_fast(const struct ir_stmt *a, const struct ir_stmt *b)
{
	const struct ir_match *x = &a->u.m, *y = &b->u.m;

	if (a->kind != b->kind)
		return 0;
	if (a->kind == S_VERDICT)
		return a->u.verdict.kind == b->u.verdict.kind && !a->u.verdict.chain && !b->u.verdict.chain ? 1 : -1;
	if (a->kind != S_MATCH)
		return -1;
	if (x->key != y->key || x->op != y->op || !data_same(&x->v, &y->v))
		return 0;
	if (x->set || y->set || x->elems || y->elems)
		return -1;
	return data_same(&x->hi, &y->hi) && x->masked == y->masked && (!x->masked || data_same(&x->mask, &y->mask)) &&
	       x->mod == y->mod && x->seed == y->seed && x->nhkeys == y->nhkeys &&
	       !memcmp(x->hkeys, y->hkeys, x->nhkeys * sizeof(x->hkeys[0]));
}

static const char *mrule_text(const struct ir_table *t, const struct ir_rule *r, struct mrule *mr, size_t i)
{
	if (!mr->text[i])
		mr->text[i] = stmt_text(t, &r->stmts[i]);
	return mr->text[i];
}

static void mrule_free(struct mrule *mr)
{
	size_t i;

	if (!mr->text)
		return;
	for (i = 0; i < mr->n; i++)
		free(mr->text[i]);
	free(mr->text);
	mr->text = NULL;
}

/* The one statement a and b differ in but their counters, or -1. */
static long rules_differ(const struct ir_table *t, const struct ir_rule *a, struct mrule *ma, const struct ir_rule *b,
			 struct mrule *mb)
{
	long p = -1;
	size_t i;

	if (!ma->ok || !mb->ok || a->n != b->n || ma->ctr != mb->ctr)
		return -1;
	for (i = 0; i < a->n; i++) {
		int same = i == ma->ctr ? 1 : stmt_same_fast(&a->stmts[i], &b->stmts[i]);

		if (same < 0)
			same = !strcmp(mrule_text(t, a, ma, i), mrule_text(t, b, mb, i));
		if (same)
			continue;
		if (p >= 0 || i > ma->ctr)
			return -1;
		p = (long)i;
	}
	if (p < 0)
		return -1;
	/* Ops may differ (one port, a list of them): the key may not. */
	if (!match_mergeable(&a->stmts[p].u.m) || !match_mergeable(&b->stmts[p].u.m) ||
	    a->stmts[p].u.m.key != b->stmts[p].u.m.key)
		return -1;
	return p;
}

/* The values of match m, as closed ranges. */
static size_t match_vals(const struct ir_match *m, size_t rule, struct mval **v, size_t *n, size_t *cap)
{
	size_t i, k = m->op == OP_IN ? m->nelems : 1;

	while (*n + k > *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	for (i = 0; i < k; i++) {
		struct mval *x = &(*v)[(*n)++];

		x->rule = rule;
		if (m->op == OP_IN) {
			x->lo = m->elems[i].lo;
			x->hi = m->elems[i].range ? m->elems[i].hi : m->elems[i].lo;
		} else {
			x->lo = x->hi = m->v;
			if (m->op == OP_RANGE)
				x->hi = m->hi;
			/* a prefix: its last address */
			for (size_t j = 0; m->masked && j < x->hi.len; j++)
				x->hi.b[j] = (uint8_t)(x->lo.b[j] | ~m->mask.b[j]);
		}
	}
	return k;
}

static int mval_cmp(const void *a, const void *b, void *ctx)
{
	const struct mval *v = ctx;
	const struct mval *x = &v[*(const size_t *)a], *y = &v[*(const size_t *)b];
	int c = memcmp(x->lo.b, y->lo.b, x->lo.len);

	return c ? c : memcmp(x->hi.b, y->hi.b, x->hi.len);
}

/**
 * struct vset - the values of the run being built, disjoint: a bit per
 * value of the whole stretch, in the order of their first bytes. Being
 * disjoint, the taken values sorted by start are sorted by end too, so a
 * new value overlaps one of them only if it overlaps the taken one just
 * before or just after its place.
 */
struct vset {
	const struct mval *v;
	size_t *rank;		/* value -> its place in that order */
	size_t *at;		/* place -> value */
	uint64_t *bits;
	size_t n;
};

static long vset_prev(const struct vset *s, size_t q)
{
	size_t w = q / 64;
	uint64_t m = s->bits[w] & ((1ull << (q % 64)) - 1);

	for (;;) {
		if (m)
			return (long)(w * 64 + 63 - (size_t)__builtin_clzll(m));
		if (!w--)
			return -1;
		m = s->bits[w];
	}
}

static long vset_next(const struct vset *s, size_t q)
{
	size_t w = q / 64, nw = (s->n + 63) / 64;
	uint64_t m = q % 64 == 63 ? 0 : s->bits[w] & ~((2ull << (q % 64)) - 1);

	for (;;) {
		if (m)
			return (long)(w * 64 + (size_t)__builtin_ctzll(m));
		if (++w >= nw)
			return -1;
		m = s->bits[w];
	}
}

/* Take value i unless it overlaps one taken. */
static bool vset_take(struct vset *s, size_t i)
{
	size_t q = s->rank[i];
	long a = vset_prev(s, q), b = vset_next(s, q);
	const struct mval *x = &s->v[i];

	if (a >= 0 && memcmp(s->v[s->at[a]].hi.b, x->lo.b, x->lo.len) >= 0)
		return false;
	if (b >= 0 && memcmp(s->v[s->at[b]].lo.b, x->hi.b, x->hi.len) <= 0)
		return false;
	s->bits[q / 64] |= 1ull << (q % 64);
	return true;
}

static void vset_drop(struct vset *s, size_t i)
{
	s->bits[s->rank[i] / 64] &= ~(1ull << (s->rank[i] % 64));
}

/*
 * Cut the stretch of len rules (values v[first[k]..first[k+1]) for rule
 * k) into runs of rules no two of which hold a common value: a rule that
 * overlaps the run so far starts the next one, a rule whose own values
 * overlap stands alone. ends[] gets each run's end; how many runs.
 */
static size_t runs_cut(const struct mval *v, size_t nv, const size_t *first, size_t len, size_t *ends)
{
	struct vset s = { .v = v, .n = nv };
	size_t i, k, start = 0, nruns = 0;

	s.rank = xcalloc(nv + 1, sizeof(*s.rank));
	s.at = xcalloc(nv + 1, sizeof(*s.at));
	s.bits = xcalloc(nv / 64 + 1, sizeof(*s.bits));
	for (i = 0; i < nv; i++)
		s.at[i] = i;
	qsort_r(s.at, nv, sizeof(*s.at), mval_cmp, (void *)v);
	for (i = 0; i < nv; i++)
		s.rank[s.at[i]] = i;
	for (k = 0; k < len; k++) {
		for (i = first[k]; i < first[k + 1] && vset_take(&s, i); i++)
			;
		if (i == first[k + 1])
			continue;
		while (i-- > first[k])
			vset_drop(&s, i);
		if (k > start)
			ends[nruns++] = k;
		for (i = first[start]; i < first[k]; i++)
			vset_drop(&s, i);
		start = k;
		for (i = first[k]; i < first[k + 1] && vset_take(&s, i); i++)
			;
		if (i < first[k + 1]) {
			while (i-- > first[k])
				vset_drop(&s, i);
			ends[nruns++] = k + 1;
			start = k + 1;
		}
	}
	if (start < len)
		ends[nruns++] = len;
	free(s.rank);
	free(s.at);
	free(s.bits);
	return nruns;
}

/* Rules [j, j + len) of c become c->rules[j], which looks the values of
 * its statement p up in a counter map. */
static void run_merge(struct ir *ir, struct ir_table *t, struct ir_chain *c, size_t j, size_t len, size_t p,
		      const struct mrule *mr)
{
	struct ir_rule *r0 = c->rules[j];
	enum ir_key key = r0->stmts[p].u.m.key;
	char name[KNAME_COUNTER_MAX];
	struct ir_set *s;
	size_t i, k;

	kname_counter_map(name, r0->stmts[mr[j].ctr].u.obj.name);
	s = ir_set_add(ir, t, name, key);
	s->flags = SETF_OBJMAP;
	for (i = j; i < j + len; i++) {
		const struct ir_rule *r = c->rules[i];
		const struct ir_match *m = &r->stmts[p].u.m;
		struct mval *v = NULL;
		size_t n = 0, cap = 0;

		match_vals(m, 0, &v, &n, &cap);
		for (k = 0; k < n; k++) {
			struct ir_elem e = { .lo = v[k].lo, .hi = v[k].hi, .obj = r->stmts[mr[i].ctr].u.obj.name };

			e.range = memcmp(e.lo.b, e.hi.b, e.lo.len) != 0;
			if (e.range)
				s->flags |= SETF_INTERVAL;
			ir_set_elem(ir, s, &e);
		}
		free(v);
	}
	/* The lookup takes the counter's place: after every other match, as
	 * the count was, so it counts the packets the rule acts on. */
	r0->stmts[mr[j].ctr].u.obj.map = s->name;
	r0->stmts[mr[j].ctr].u.obj.key = key;
	r0->stmts[mr[j].ctr].u.obj.name = NULL;
	memmove(&r0->stmts[p], &r0->stmts[p + 1], (r0->n - p - 1) * sizeof(*r0->stmts));
	r0->n--;
	for (i = j + 1; i < j + len; i++)
		free(c->rules[i]->stmts);
}

static unsigned long chain_merge(struct ir *ir, struct ir_table *t, struct ir_chain *c, unsigned min)
{
	struct mrule *mr = xcalloc(c->n + 1, sizeof(*mr));
	size_t j = 0, out = 0, n = c->n, i;
	unsigned long merged = 0;

	for (i = 0; i < n; i++)
		mrule_read(c, i, &mr[i]);
	while (j < n) {
		long p = j + 1 < n ? rules_differ(t, c->rules[j], &mr[j], c->rules[j + 1], &mr[j + 1]) : -1;
		size_t len = 2, nv = 0, cap = 0, nruns, r, at = j;
		struct mval *v = NULL;
		size_t *first, *ends;

		if (p < 0) {
			c->rules[out++] = c->rules[j++];
			continue;
		}
		/* Every rule of the stretch differs from rule j in statement p
		 * alone, hence from every other one too. */
		while (j + len < n && rules_differ(t, c->rules[j], &mr[j], c->rules[j + len], &mr[j + len]) == p)
			len++;
		first = xcalloc(len + 1, sizeof(*first));
		ends = xcalloc(len + 1, sizeof(*ends));
		for (i = 0; i < len; i++) {
			first[i] = nv;
			match_vals(&c->rules[j + i]->stmts[p].u.m, i, &v, &nv, &cap);
		}
		first[len] = nv;
		nruns = runs_cut(v, nv, first, len, ends);
		for (r = 0; r < nruns; r++) {
			size_t end = j + ends[r], rlen = end - at;

			if (rlen >= min && rlen > 1) {
				run_merge(ir, t, c, at, rlen, (size_t)p, mr);
				merged += rlen;
				c->rules[out++] = c->rules[at];
			} else {
				for (i = at; i < end; i++)
					c->rules[out++] = c->rules[i];
			}
			at = end;
		}
		free(v);
		free(first);
		free(ends);
		j += len;
	}
	for (i = 0; i < n; i++)
		mrule_free(&mr[i]);
	free(mr);
	c->n = out;
	return merged;
}

unsigned long merge_runs(struct ir *ir, unsigned min)
{
	unsigned long merged = 0;
	int f;
	size_t i;

	for (f = 0; f < 2; f++) {
		struct ir_table *t = ir->tables[f];

		for (i = 0; t && i < t->nchains; i++)
			merged += chain_merge(ir, t, t->chains[i], min);
	}
	return merged;
}
