/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runs of rules that differ in one value, merged into one counter map
 * lookup (merge.h says when). Rules are compared statement by statement
 * as the nft script writes them: two statements the script writes alike
 * are the same expressions in the kernel.
 */
#include "merge.h"

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
 * @text: each statement as the script writes it.
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

/* The match a run may vary in: one key, values a set can hold. */
static bool match_mergeable(const struct ir_match *m)
{
	if (m->set || m->nhkeys > 1 || !key_mergeable(m->key) || ir_key_subbyte(m->key))
		return false;
	switch (m->op) {
	case OP_EQ:
		/* a prefix: addr_match keeps its last address in hi */
		return !m->masked || ir_key_info(m->key)->type != T_PORT;
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

static void mrule_read(const struct ir_table *t, const struct ir_chain *c, size_t j, struct mrule *mr)
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
	for (i = 0; i < r->n; i++)
		if (i != mr->ctr)
			mr->text[i] = stmt_text(t, &r->stmts[i]);
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
static long rules_differ(const struct ir_rule *a, const struct mrule *ma, const struct ir_rule *b,
			 const struct mrule *mb)
{
	long p = -1;
	size_t i;

	if (!ma->ok || !mb->ok || a->n != b->n || ma->ctr != mb->ctr)
		return -1;
	for (i = 0; i < a->n; i++) {
		if (i == ma->ctr || !strcmp(ma->text[i], mb->text[i]))
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
			x->lo = m->v;
			x->hi = m->op == OP_RANGE || m->masked ? m->hi : m->v;
		}
	}
	return k;
}

static int mval_cmp(const void *a, const void *b)
{
	const struct mval *x = a, *y = b;

	return memcmp(x->lo.b, y->lo.b, x->lo.len);
}

/*
 * The rules of the run [0, len) that no value of an earlier one overlaps:
 * the run ends before the first rule one of whose values another rule of
 * the run before it also holds (or the rule itself twice).
 */
static size_t run_cut(struct mval *v, size_t n, size_t len)
{
	for (;;) {
		size_t i, top = 0, cut = len, m = 0;

		for (i = 0; i < n; i++)
			if (v[i].rule < len)
				v[m++] = v[i];
		n = m;
		if (n < 2)
			return len;
		qsort(v, n, sizeof(*v), mval_cmp);
		for (i = 1; i < n; i++) {
			if (memcmp(v[i].lo.b, v[top].hi.b, v[i].lo.len) <= 0) {
				size_t late = v[i].rule > v[top].rule ? v[i].rule : v[top].rule;

				if (late < cut)
					cut = late;
			}
			if (memcmp(v[i].hi.b, v[top].hi.b, v[i].hi.len) > 0)
				top = i;
		}
		if (cut == len)
			return len;
		len = cut;
	}
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
		mrule_read(t, c, i, &mr[i]);
	while (j < n) {
		long p = j + 1 < n ? rules_differ(c->rules[j], &mr[j], c->rules[j + 1], &mr[j + 1]) : -1;
		size_t len = 1;

		if (p >= 0) {
			struct mval *v = NULL;
			size_t nv = 0, cap = 0;

			while (j + len < n && rules_differ(c->rules[j], &mr[j], c->rules[j + len], &mr[j + len]) == p)
				len++;
			for (i = 0; i < len; i++)
				match_vals(&c->rules[j + i]->stmts[p].u.m, i, &v, &nv, &cap);
			len = run_cut(v, nv, len);
			free(v);
		}
		if (p >= 0 && len >= min && len > 1) {
			run_merge(ir, t, c, j, len, (size_t)p, mr);
			merged += len;
		} else {
			len = 1;
		}
		c->rules[out++] = c->rules[j];
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
