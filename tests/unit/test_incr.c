/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small change planned without a kernel (runtime/incr.h): IRs built into
 * whole batches and scanned, the first one's scan recorded with made-up
 * handles, the plan to the second read back: which rules are deleted by
 * handle, which are added after which kept rule, which are rewritten in
 * place because only their number changed, which counters come and go;
 * a rule's fingerprint does not move when an anonymous set before it
 * shifts the batch's set ids; a change beyond rules is no plan; the record
 * reads back as written. Named sets: a changed range is one unit deleted by
 * its keys and one added, a redefined or vanished set is no plan, the side
 * file reads back and pairs with its record only. A bridge chain named as
 * an ip one is planned in its own family.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <linux/netfilter.h>

#include "emit_nl.h"
#include "incr.h"
#include "ir.h"

/* The record's directory is checked as apply's is; here it is a test's. */
int __wrap_trust_private(const char *path, char *why, size_t size);
int __wrap_trust_make_dir(const char *path);

int __wrap_trust_private(const char *path, char *why, size_t size)
{
	(void)path;
	(void)why;
	(void)size;
	return 0;
}

int __wrap_trust_make_dir(const char *path)
{
	(void)path;
	return 0;
}

/* A rule per port: "tcp dport P counter name c_P accept comment pP", as
 * lowering makes them: no rule number in the comment (kname.h); or with a
 * second port, "tcp dport { P, Q }" (an anonymous set); `renamed`: its
 * comment "pP new". */
struct spec {
	unsigned port, port2;
	bool renamed;
};

static struct ir *rules_ir(const struct spec *v, size_t n, bool hooked)
{
	struct ir *ir = ir_new();
	struct ir_table *t = ir_table_get(ir, NFPROTO_IPV4);
	struct ir_chain *in = ir_chain_add(ir, t, "filter_input");
	size_t i;

	in->hook = hooked ? HOOK_INPUT : HOOK_FORWARD;
	in->type = CHAIN_FILTER;
	for (i = 0; i < n; i++) {
		char name[32], comment[32];
		struct ir_rule *r;
		struct ir_stmt *x;

		snprintf(name, sizeof(name), "c_%u_%u", v[i].port, v[i].port2);
		snprintf(comment, sizeof(comment), "p%u%s", v[i].port, v[i].renamed ? " new" : "");
		r = ir_rule_add(ir, in, (long)i, ir_strdup(ir, comment), NULL);
		x = ir_stmt_add(ir, r, S_MATCH);
		x->u.m.key = K_TCP_DPORT;
		if (v[i].port2) {
			struct ir_elem e[2] = { { .lo = ir_data_be(v[i].port, 2) }, { .lo = ir_data_be(v[i].port2, 2) } };

			x->u.m.op = OP_IN;
			x->u.m.elems = ir_elems_copy(ir, e, 2);
			x->u.m.nelems = 2;
		} else {
			x->u.m.op = OP_EQ;
			x->u.m.v = ir_data_be(v[i].port, 2);
		}
		ir_stmt_add(ir, r, S_COUNTER)->u.obj.name = ir_counter_add(ir, t, name);
		ir_stmt_add(ir, r, S_VERDICT)->u.verdict.kind = V_ACCEPT;
	}
	return ir;
}

struct built {
	struct ir *ir;
	struct emit_nl *b;
	struct emit_nl_scan s;
};

static void build(struct built *x, const struct spec *v, size_t n, bool hooked)
{
	x->ir = rules_ir(v, n, hooked);
	x->b = emit_nl_build(x->ir, 100, false);
	assert_non_null(x->b);
	emit_nl_scan(x->b, &x->s);
}

static void built_free(struct built *x)
{
	emit_nl_scan_free(&x->s);
	emit_nl_free(x->b);
	ir_free(x->ir);
}


/* The record of `x`, its rules at handles 10, 11, ... */
static void record(struct incr_rec *r, const struct built *x)
{
	uint64_t *h = calloc(x->s.nrules + 1, sizeof(*h));
	size_t i;

	assert_non_null(h);
	for (i = 0; i < x->s.nrules; i++)
		h[i] = 10 + i;
	incr_rec_make(r, x->ir, &x->s, NULL, h, 7);
	free(h);
}

static void test_one_changed(void **state)
{
	const struct spec a[] = { { 1, 0 }, { 2, 0 }, { 3, 0 }, { 4, 0 }, { 5, 0 } };
	const struct spec b[] = { { 1, 0 }, { 2, 0 }, { 9, 0 }, { 4, 0 }, { 5, 0 } };
	struct built x, y;
	struct incr_rec r;
	struct incr_plan p;

	(void)state;
	build(&x, a, 5, true);
	build(&y, b, 5, true);
	record(&r, &x);
	assert_true(incr_plan_make(&r, y.ir, &y.s, &p));
	assert_int_equal(p.nops, 2);
	assert_int_equal(p.ops[0].kind, INCR_DEL);
	assert_int_equal(p.ops[0].handle, 12);
	assert_string_equal(p.ops[0].chain, "filter_input");
	assert_int_equal(p.ops[1].kind, INCR_ADD);
	assert_int_equal(p.ops[1].handle, 11);	/* after rule 2 */
	assert_int_equal(p.ops[1].rule, 2);
	assert_int_equal(p.nadd[0], 1);
	assert_string_equal(p.add[0][0], "c_9_0");
	assert_int_equal(p.ndel[0], 1);
	assert_string_equal(p.del[0][0], "c_3_0");
	assert_int_equal(p.kept, 4);
	/* a comment's fingerprint from the IR is the batch's */
	assert_true(emit_nl_rule_text(y.ir->tables[0]->chains[0]->rules[2]) == y.s.rules[2].text);
	assert_true(emit_nl_rule_text(y.ir->tables[0]->chains[0]->rules[2]) != x.s.rules[2].text);
	assert_false(incr_too_many(&r, y.ir));
	/* kept rules keep their handles; the new one waits for the echo */
	assert_int_equal(p.handles[0], 10);
	assert_int_equal(p.handles[2], 0);
	assert_int_equal(p.handles[4], 14);
	incr_plan_free(&p);
	incr_rec_free(&r);
	built_free(&x);
	built_free(&y);
}

/* Two rules inserted first: each after none (the chain's head), the last
 * first; the rules under them, whose numbers changed, are not touched. */
static void test_inserted_first_touches_them_alone(void **state)
{
	const struct spec a[] = { { 1, 0, false }, { 2, 0, false }, { 3, 0, false } };
	const struct spec b[] = { { 7, 0, false }, { 8, 0, false }, { 1, 0, false }, { 2, 0, false }, { 3, 0, false } };
	struct built x, y;
	struct incr_rec r;
	struct incr_plan p;

	(void)state;
	build(&x, a, 3, true);
	build(&y, b, 5, true);
	record(&r, &x);
	assert_true(incr_plan_make(&r, y.ir, &y.s, &p));
	assert_int_equal(p.nops, 2);
	assert_int_equal(p.ops[0].kind, INCR_ADD);
	assert_int_equal(p.ops[0].rule, 1);
	assert_int_equal(p.ops[0].handle, 0);
	assert_int_equal(p.ops[1].kind, INCR_ADD);
	assert_int_equal(p.ops[1].rule, 0);
	assert_int_equal(p.kept, 3);
	incr_plan_free(&p);
	incr_rec_free(&r);
	built_free(&x);
	built_free(&y);
}

/* A rule whose comment alone changed is the same rule: its comment is
 * replaced in place, keeping its handle (and counter). */
static void test_comment_changed_in_place(void **state)
{
	const struct spec a[] = { { 1, 0, false }, { 2, 0, false }, { 3, 0, false } };
	const struct spec b[] = { { 1, 0, false }, { 2, 0, true }, { 3, 0, false } };
	struct built x, y;
	struct incr_rec r;
	struct incr_plan p;

	(void)state;
	build(&x, a, 3, true);
	build(&y, b, 3, true);
	record(&r, &x);
	assert_true(incr_plan_make(&r, y.ir, &y.s, &p));
	assert_int_equal(p.nops, 1);
	assert_int_equal(p.ops[0].kind, INCR_REPLACE);
	assert_int_equal(p.ops[0].handle, 11);
	assert_int_equal(p.ops[0].rule, 1);
	incr_plan_free(&p);
	incr_rec_free(&r);
	built_free(&x);
	built_free(&y);
}

/* A rule with an anonymous set added first shifts every later set id:
 * the later rules are still the same rules. */
static void test_set_ids_do_not_move_rules(void **state)
{
	const struct spec a[] = { { 1, 2 }, { 3, 4 } };
	const struct spec b[] = { { 5, 6 }, { 1, 2 }, { 3, 4 } };
	struct built x, y;

	(void)state;
	build(&x, a, 2, true);
	build(&y, b, 3, true);
	assert_int_equal(x.s.nrules, 2);
	assert_int_equal(y.s.nrules, 3);
	assert_true(x.s.rules[0].n > 1);	/* its set comes with it */
	assert_true(x.s.rules[0].fp == y.s.rules[1].fp);
	assert_true(x.s.rules[1].fp == y.s.rules[2].fp);
	assert_true(x.s.rules[0].fp != x.s.rules[1].fp);
	built_free(&x);
	built_free(&y);
}

/* The kernel finds each rule it replaces by walking its chain: every
 * comment of a chain of 5000 changed would walk 25M rules, a full apply's
 * work many times over; in a chain of 2000, 4M: small enough. One rule
 * inserted first in the chain of 5000 is one message. */
static void test_rewriting_a_long_chain_is_full(void **state)
{
	size_t sizes[2] = { 2000, 5000 }, k, i;

	(void)state;
	for (k = 0; k < 2; k++) {
		size_t n = sizes[k];
		struct spec *a = calloc(n, sizeof(*a)), *b = calloc(n + 1, sizeof(*b));
		struct built x, y;
		struct incr_rec r;
		struct incr_plan p;

		assert_non_null(a);
		assert_non_null(b);
		for (i = 0; i < n; i++) {
			a[i].port = b[i].port = (unsigned)i + 1;
			b[i].renamed = true;
		}
		build(&x, a, n, true);
		build(&y, b, n, true);
		record(&r, &x);
		/* said before any batch is built, from the comments */
		assert_int_equal(incr_too_many(&r, y.ir), k == 1);
		assert_int_equal(incr_plan_make(&r, y.ir, &y.s, &p), k == 0);
		incr_plan_free(&p);
		built_free(&y);
		/* one rule inserted first: one message, whatever the length */
		for (i = 0; i < n; i++)
			b[i + 1] = a[i];
		b[0].port = 65000;
		b[0].renamed = false;
		build(&y, b, n + 1, true);
		assert_false(incr_too_many(&r, y.ir));
		assert_true(incr_plan_make(&r, y.ir, &y.s, &p));
		assert_int_equal(p.nops, 1);
		assert_int_equal(p.ops[0].kind, INCR_ADD);
		incr_plan_free(&p);
		incr_rec_free(&r);
		built_free(&x);
		built_free(&y);
		free(a);
		free(b);
	}
}

/* A base chain's hook is not a rule: only the full path says it. */
static void test_beyond_rules_is_no_plan(void **state)
{
	const struct spec a[] = { { 1, 0 } };
	struct built x, y;
	struct incr_rec r;
	struct incr_plan p;

	(void)state;
	build(&x, a, 1, true);
	build(&y, a, 1, false);
	record(&r, &x);
	assert_false(incr_plan_make(&r, y.ir, &y.s, &p));
	incr_plan_free(&p);
	incr_rec_free(&r);
	built_free(&x);
	built_free(&y);
}

/* Rules of a, and a named interval set al_x of IPv4 prefixes (10.N.0.0/16
 * for each N of `nets`, 0 ending the list), as lower leaves it: sorted. */
static void build_set(struct built *x, const unsigned *nets, uint32_t flags)
{
	const struct spec a[] = { { 1, 0 } };
	struct ir_set *set;

	x->ir = rules_ir(a, 1, true);
	set = ir_set_add(x->ir, x->ir->tables[0], "al_x", K_IP_SADDR);
	set->flags = flags;
	for (; *nets; nets++) {
		struct ir_elem e = { .lo = ir_data_be((uint64_t)(10u << 24 | *nets << 16), 4), .range = true };

		e.hi = ir_data_be((uint64_t)(10u << 24 | *nets << 16 | 0xffff), 4);
		ir_set_elem(x->ir, set, &e);
	}
	x->b = emit_nl_build(x->ir, 100, false);
	assert_non_null(x->b);
	emit_nl_scan(x->b, &x->s);
}

/* 10.2.0.0/16 became 10.4.0.0/16: one range deleted by its start and end
 * keys (10.2.0.0, and 10.3.0.0 flagged as an end), one added. */
static void test_set_entry_changed(void **state)
{
	const unsigned a[] = { 1, 2, 3, 0 }, b[] = { 1, 4, 3, 0 };
	struct built x, y;
	struct emit_nl_sets sa, sb;
	struct incr_rec r;
	struct incr_plan p;
	uint64_t *h;
	const uint8_t start[4] = { 10, 2, 0, 0 }, end[4] = { 10, 3, 0, 0 };

	(void)state;
	build_set(&x, a, SETF_INTERVAL);
	build_set(&y, b, SETF_INTERVAL);
	emit_nl_sets_scan(x.ir, &sa);
	emit_nl_sets_scan(y.ir, &sb);
	assert_int_equal(sa.n, 1);
	/* three ranges and the end at 0 before the first */
	assert_int_equal(sa.v[0].n, 4);
	assert_int_equal(sa.v[0].klen, 4);
	assert_true(sa.v[0].def == sb.v[0].def);
	h = calloc(x.s.nrules + 1, sizeof(*h));
	assert_non_null(h);
	incr_rec_make(&r, x.ir, &x.s, &sa, h, 7);
	assert_true(incr_plan_make(&r, y.ir, &y.s, &p));
	assert_true(incr_sets_plan(&r, &sb, &p));
	assert_int_equal(p.nsets, 1);
	assert_int_equal(p.sets[0].nadd, 1);
	assert_int_equal(p.sets[0].ndel, 1);
	assert_int_equal(p.nelems, 2);
	assert_int_equal(p.sets[0].del[0][0], EMIT_NL_DEL_START | EMIT_NL_DEL_END);
	assert_memory_equal(p.sets[0].del[0] + 1, start, 4);
	assert_memory_equal(p.sets[0].del[0] + 5, end, 4);
	/* the unit added is the new range's start and end, as sent */
	assert_non_null(sb.v[0].nest[2 * p.sets[0].add[0]]);
	assert_non_null(sb.v[0].nest[2 * p.sets[0].add[0] + 1]);
	incr_plan_free(&p);
	/* nothing changed: no set in the plan */
	assert_true(incr_plan_make(&r, x.ir, &x.s, &p));
	assert_true(incr_sets_plan(&r, &sa, &p));
	assert_int_equal(p.nsets, 0);
	incr_plan_free(&p);
	incr_rec_free(&r);
	free(h);
	emit_nl_sets_free(&sa);
	emit_nl_sets_free(&sb);
	built_free(&x);
	built_free(&y);
}

/* A set whose definition changed (here its flags), or that came or went,
 * is no plan: only the full path redefines a set. */
static void test_set_redefined_is_no_plan(void **state)
{
	const unsigned a[] = { 1, 2, 0 };
	struct built x, y;
	struct emit_nl_sets sa, sb, none;
	struct incr_rec r;
	struct incr_plan p;
	uint64_t h[2] = { 10, 11 };

	(void)state;
	build_set(&x, a, SETF_INTERVAL);
	build_set(&y, a, SETF_INTERVAL | SETF_TIMEOUT);
	emit_nl_sets_scan(x.ir, &sa);
	emit_nl_sets_scan(y.ir, &sb);
	emit_nl_sets_scan(NULL, &none);
	incr_rec_make(&r, x.ir, &x.s, &sa, h, 7);
	assert_true(incr_plan_make(&r, y.ir, &y.s, &p));
	assert_false(incr_sets_plan(&r, &sb, &p));
	incr_plan_free(&p);
	assert_true(incr_plan_make(&r, y.ir, &y.s, &p));
	assert_false(incr_sets_plan(&r, &none, &p));
	incr_plan_free(&p);
	incr_rec_free(&r);
	emit_nl_sets_free(&sa);
	emit_nl_sets_free(&sb);
	emit_nl_sets_free(&none);
	built_free(&x);
	built_free(&y);
}

/* The sets' side file reads back with the record, and a side file of
 * another apply (its token) makes no record. */
static void test_sets_read_back(void **state)
{
	const unsigned a[] = { 1, 2, 3, 0 };
	char dir[] = "/tmp/test_incr.XXXXXX", path[64], side[80], keep[96];
	struct built x;
	struct emit_nl_sets sa;
	struct incr_rec r, back;
	uint64_t h[2] = { 10, 11 };

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/applied.rsc", dir);
	snprintf(side, sizeof(side), "%s.nl.sets", path);
	snprintf(keep, sizeof(keep), "%s.old", side);
	setenv("ROSFW_RECORD", path, 1);
	build_set(&x, a, SETF_INTERVAL);
	emit_nl_sets_scan(x.ir, &sa);
	incr_rec_make(&r, x.ir, &x.s, &sa, h, 7);
	incr_write(&r, NULL);
	assert_int_equal(incr_read(&back), 0);
	assert_int_equal(back.nsets, 1);
	assert_string_equal(back.sets[0].name, "al_x");
	assert_int_equal(back.sets[0].n, 4);
	assert_true(back.sets[0].def == sa.v[0].def);
	assert_memory_equal(back.sets[0].fp, sa.v[0].fp, 4 * sizeof(uint64_t));
	assert_memory_equal(back.sets[0].del, sa.v[0].del, 4 * sa.v[0].stride);
	incr_rec_free(&back);
	/* an older side file beside a newer record */
	assert_int_equal(rename(side, keep), 0);
	incr_write(&r, NULL);
	assert_int_equal(rename(keep, side), 0);
	assert_int_equal(incr_read(&back), -1);
	incr_rec_free(&back);
	incr_remove();
	incr_rec_free(&r);
	emit_nl_sets_free(&sa);
	built_free(&x);
	rmdir(dir);
}

/* The same rules in ip's filter_input and in a bridge chain of the same
 * name: a change to the bridge rule is planned in the bridge table only
 * (family 2), and its counter objects there. */
static void build_bridge(struct built *x, const struct spec *v, size_t n)
{
	struct ir_table *bt;
	struct ir_chain *c;
	struct ir *other = rules_ir(v, n, true);
	size_t i;

	x->ir = rules_ir((const struct spec[]){ { 7, 0 } }, 1, true);
	bt = ir_table_get(x->ir, NFPROTO_BRIDGE);
	c = ir_chain_add(x->ir, bt, "filter_input");
	c->hook = HOOK_FORWARD;
	c->type = CHAIN_FILTER;
	/* the bridge chain's rules: ip's of `other`, their counters the bridge table's */
	for (i = 0; i < n; i++) {
		const struct ir_rule *o = other->tables[0]->chains[0]->rules[i];
		struct ir_rule *r = ir_rule_add(x->ir, c, (long)i, ir_strdup(x->ir, o->comment), NULL);
		struct ir_stmt *m = ir_stmt_add(x->ir, r, S_MATCH);

		m->u.m = o->stmts[0].u.m;
		ir_stmt_add(x->ir, r, S_COUNTER)->u.obj.name = ir_counter_add(x->ir, bt, o->stmts[1].u.obj.name);
		ir_stmt_add(x->ir, r, S_VERDICT)->u.verdict.kind = V_ACCEPT;
	}
	ir_free(other);
	x->b = emit_nl_build(x->ir, 100, false);
	assert_non_null(x->b);
	emit_nl_scan(x->b, &x->s);
}

static void test_bridge_rule_changed(void **state)
{
	const struct spec a[] = { { 1, 0 }, { 2, 0 }, { 3, 0 } }, b[] = { { 1, 0 }, { 5, 0 }, { 3, 0 } };
	struct built x, y;
	struct incr_rec r;
	struct incr_plan p;
	size_t i, del = 0, add = 0;

	(void)state;
	build_bridge(&x, a, 3);
	build_bridge(&y, b, 3);
	assert_int_equal(x.s.nrules, 4);
	assert_int_equal(x.s.rules[3].family, 2);
	record(&r, &x);
	assert_int_equal(r.nchains, 2);
	assert_int_equal(r.ncounters[2], 3);
	assert_true(incr_plan_make(&r, y.ir, &y.s, &p));
	for (i = 0; i < p.nops; i++) {
		assert_int_equal(p.ops[i].family, 2);
		del += p.ops[i].kind == INCR_DEL;
		add += p.ops[i].kind == INCR_ADD;
	}
	assert_int_equal(del, 1);
	assert_int_equal(add, 1);
	assert_int_equal(p.nadd[2], 1);
	assert_string_equal(p.add[2][0], "c_5_0");
	assert_int_equal(p.ndel[2], 1);
	assert_int_equal(p.nadd[0] + p.ndel[0], 0);
	/* the ip rule and the bridge rules kept their handles */
	assert_int_equal(p.handles[0], 10);
	assert_int_equal(p.handles[1], 11);
	assert_int_equal(p.handles[3], 13);
	incr_plan_free(&p);
	incr_rec_free(&r);
	built_free(&x);
	built_free(&y);
}

static void test_record_reads_back(void **state)
{
	const struct spec a[] = { { 1, 0 }, { 2, 3 } };
	char dir[] = "/tmp/test_incr.XXXXXX", path[64];
	struct built x;
	struct incr_rec r, back;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/applied.rsc", dir);
	setenv("ROSFW_RECORD", path, 1);
	build(&x, a, 2, true);
	record(&r, &x);
	incr_write(&r, NULL);
	assert_int_equal(incr_read(&back), 0);
	assert_int_equal(back.genid, 7);
	assert_true(back.rest[0] == r.rest[0]);
	assert_int_equal(back.ncounters[0], 2);
	assert_string_equal(back.counters[0][1], "c_2_3");
	assert_int_equal(back.nchains, 1);
	assert_string_equal(back.chains[0].name, "filter_input");
	assert_int_equal(back.chains[0].n, 2);
	assert_true(back.chains[0].v[1].fp == x.s.rules[1].fp);
	assert_int_equal(back.chains[0].v[1].handle, 11);
	incr_rec_free(&back);
	incr_remove();
	assert_int_equal(incr_read(&back), -1);
	incr_rec_free(&r);
	built_free(&x);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_changed),
		cmocka_unit_test(test_inserted_first_touches_them_alone),
		cmocka_unit_test(test_comment_changed_in_place),
		cmocka_unit_test(test_set_ids_do_not_move_rules),
		cmocka_unit_test(test_rewriting_a_long_chain_is_full),
		cmocka_unit_test(test_beyond_rules_is_no_plan),
		cmocka_unit_test(test_record_reads_back),
		cmocka_unit_test(test_set_entry_changed),
		cmocka_unit_test(test_set_redefined_is_no_plan),
		cmocka_unit_test(test_sets_read_back),
		cmocka_unit_test(test_bridge_rule_changed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
