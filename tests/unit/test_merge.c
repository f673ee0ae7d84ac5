/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * merge_runs (compiler/merge.h): a script lowered, its runs merged, the
 * IR read back. What merges (exact values, prefixes, ranges, lists, with
 * a disabled rule or another chain's rule between) and what must not
 * (too few, another action, a rule between, a value twice, a rate, a
 * RouterOS rule of two kernel rules). tests/golden/merge-runs.rsc shows
 * the same decisions as nft text, loaded into a kernel.
 */
#include "helpers.h"

#include "lower.h"
#include "merge.h"

struct merged {
	struct run r;
	struct ir *ir;
	size_t ncounters;	/* before the merge */
	unsigned long n;	/* rules that went into runs */
};

static struct merged merged_of(const char *src)
{
	struct lower_opts o = { 0 };
	struct merged m;

	m.r = run_script(src);
	assert_int_equal(diag_errors(m.r.d), 0);
	m.ir = lower_model(m.r.m, m.r.d, &o);
	assert_non_null(m.ir);
	m.ncounters = m.ir->tables[0] ? m.ir->tables[0]->ncounters : 0;
	m.n = merge_runs(m.ir, MERGE_MIN_RUN);
	return m;
}

static void merged_free(struct merged *m)
{
	ir_free(m->ir);
	run_free(&m->r);
}

static const struct ir_chain *chain(const struct merged *m, const char *name)
{
	const struct ir_chain *c = ir_chain_find(m->ir->tables[0], name);

	assert_non_null(c);
	return c;
}

/* The counter map rule r looks up, or NULL. */
static const struct ir_set *rule_map(const struct merged *m, const struct ir_rule *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->stmts[i].kind == S_COUNTER && r->stmts[i].u.obj.map)
			return ir_set_find(m->ir->tables[0], r->stmts[i].u.obj.map);
	return NULL;
}

static void test_exact_addresses_become_one_lookup(void **state)
{
	struct merged m = merged_of("/ip firewall filter\n"
				    "add chain=forward src-address=192.0.2.1 action=drop\n"
				    "add chain=forward src-address=192.0.2.2 action=drop\n"
				    "add chain=forward src-address=192.0.2.3 action=drop disabled=yes\n"
				    "add chain=input src-address=192.0.2.9 action=drop\n"
				    "add chain=forward src-address=192.0.2.4 action=drop\n"
				    "add chain=forward src-address=192.0.2.5 action=drop\n");
	const struct ir_chain *c = chain(&m, "filter_forward");
	const struct ir_set *s;
	size_t i, j;

	(void)state;
	assert_int_equal(m.n, 4);
	assert_int_equal(c->n, 1);
	assert_int_equal(c->rules[0]->id, 0);
	s = rule_map(&m, c->rules[0]);
	assert_non_null(s);
	assert_true(s->flags & SETF_OBJMAP);
	assert_false(s->flags & SETF_INTERVAL);
	assert_int_equal(s->n, 4);
	/* every rule keeps its own counter object, and the table all of them */
	assert_int_equal(m.ir->tables[0]->ncounters, m.ncounters);
	for (i = 0; i < s->n; i++) {
		assert_non_null(s->elems[i].obj);
		for (j = 0; j < i; j++)
			assert_string_not_equal(s->elems[i].obj, s->elems[j].obj);
	}
	assert_int_equal(s->elems[3].lo.b[3], 5);
	/* the lookup is the rule's only statement before the verdict */
	assert_int_equal(c->rules[0]->n, 2);
	assert_int_equal(c->rules[0]->stmts[1].kind, S_VERDICT);
	merged_free(&m);
}

static void test_prefixes_ranges_and_lists_are_values(void **state)
{
	struct merged m = merged_of("/ip firewall filter\n"
				    "add chain=input protocol=tcp dst-port=22 action=accept\n"
				    "add chain=input protocol=tcp dst-port=80,443 action=accept\n"
				    "add chain=input protocol=tcp dst-port=8000-8080 action=accept\n"
				    "add chain=input protocol=tcp dst-port=25 action=accept\n"
				    "add chain=forward src-address=10.0.0.0/8 action=drop\n"
				    "add chain=forward src-address=192.168.1.0/24 action=drop\n"
				    "add chain=forward src-address=172.16.0.1-172.16.0.9 action=drop\n"
				    "add chain=forward src-address=203.0.113.7 action=drop\n");
	const struct ir_set *in = rule_map(&m, chain(&m, "filter_input")->rules[0]);
	const struct ir_set *fw = rule_map(&m, chain(&m, "filter_forward")->rules[0]);

	(void)state;
	assert_int_equal(m.n, 8);
	assert_non_null(in);
	assert_non_null(fw);
	assert_int_equal(in->n, 5);	/* 80 and 443 both name rule 1's counter */
	assert_true(in->flags & SETF_INTERVAL);
	assert_string_equal(in->elems[1].obj, in->elems[2].obj);
	assert_int_equal(fw->n, 4);
	/* 10.0.0.0/8: 10.0.0.0 to 10.255.255.255 */
	assert_true(fw->elems[0].range);
	assert_int_equal(fw->elems[0].hi.b[0], 10);
	assert_int_equal(fw->elems[0].hi.b[1], 255);
	assert_int_equal(fw->elems[0].hi.b[3], 255);
	merged_free(&m);
}

static void test_what_must_not_merge(void **state)
{
	struct merged m = merged_of("/ip firewall filter\n"
				    /* three: too few */
				    "add chain=forward src-address=192.0.2.1 action=drop\n"
				    "add chain=forward src-address=192.0.2.2 action=drop\n"
				    "add chain=forward src-address=192.0.2.3 action=drop\n"
				    /* another action */
				    "add chain=forward src-address=192.0.2.4 action=accept\n"
				    "add chain=forward src-address=192.0.2.5 action=drop\n"
				    "add chain=forward src-address=192.0.2.6 action=drop\n"
				    /* a rule between that is not of the run */
				    "add chain=forward dst-address=192.0.2.7 action=drop\n"
				    "add chain=forward src-address=192.0.2.8 action=drop\n"
				    "add chain=forward src-address=192.0.2.9 action=drop\n"
				    /* a rate */
				    "add chain=input src-address=192.0.2.1 limit=10,5:packet action=accept\n"
				    "add chain=input src-address=192.0.2.2 limit=10,5:packet action=accept\n"
				    "add chain=input src-address=192.0.2.3 limit=10,5:packet action=accept\n"
				    "add chain=input src-address=192.0.2.4 limit=10,5:packet action=accept\n"
				    /* two kernel rules each */
				    "add chain=input protocol=tcp port=9 src-address=192.0.2.1 action=drop\n"
				    "add chain=input protocol=tcp port=9 src-address=192.0.2.2 action=drop\n"
				    "add chain=input protocol=tcp port=9 src-address=192.0.2.3 action=drop\n"
				    "add chain=input protocol=tcp port=9 src-address=192.0.2.4 action=drop\n"
				    /* two values differ */
				    "add chain=input protocol=udp src-port=1 dst-port=1 action=drop\n"
				    "add chain=input protocol=udp src-port=2 dst-port=2 action=drop\n"
				    "add chain=input protocol=udp src-port=3 dst-port=3 action=drop\n"
				    "add chain=input protocol=udp src-port=4 dst-port=4 action=drop\n");

	(void)state;
	assert_int_equal(m.n, 0);
	assert_int_equal(chain(&m, "filter_forward")->n, 9);
	assert_int_equal(chain(&m, "filter_input")->n, 4 + 8 + 4);
	merged_free(&m);
}

static void test_a_value_twice_cuts_the_run(void **state)
{
	struct merged m = merged_of("/ip firewall filter\n"
				    "add chain=input protocol=tcp dst-port=60 action=drop\n"
				    "add chain=input protocol=tcp dst-port=61 action=drop\n"
				    "add chain=input protocol=tcp dst-port=62 action=drop\n"
				    "add chain=input protocol=tcp dst-port=63 action=drop\n"
				    "add chain=input protocol=tcp dst-port=50-61 action=drop\n"
				    "add chain=input protocol=tcp dst-port=64 action=drop\n"
				    "add chain=input protocol=tcp dst-port=65 action=drop\n"
				    "add chain=input protocol=tcp dst-port=66 action=drop\n"
				    "add chain=input protocol=tcp dst-port=67 action=drop\n"
				    "add chain=input protocol=tcp dst-port=64 action=drop\n"
				    "add chain=input protocol=tcp dst-port=68 action=drop\n");
	const struct ir_chain *c = chain(&m, "filter_input");

	(void)state;
	/* 60-63 | 50-61 64-67 | 64 68 (two: too few) */
	assert_int_equal(m.n, 9);
	assert_int_equal(c->n, 4);
	assert_int_equal(c->rules[0]->id, 0);
	assert_int_equal(c->rules[1]->id, 4);
	assert_int_equal(c->rules[2]->id, 9);
	assert_int_equal(c->rules[3]->id, 10);
	assert_int_equal(rule_map(&m, c->rules[0])->n, 4);
	assert_int_equal(rule_map(&m, c->rules[1])->n, 5);
	assert_null(rule_map(&m, c->rules[2]));
	merged_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_addresses_become_one_lookup),
		cmocka_unit_test(test_prefixes_ranges_and_lists_are_values),
		cmocka_unit_test(test_what_must_not_merge),
		cmocka_unit_test(test_a_value_twice_cuts_the_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
