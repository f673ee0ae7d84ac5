/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The netlink back end's map from a message back to what made it, and
 * what the kernel's refusals mean in the configuration's terms
 * (emit_nl_explain): a script runs into a model, is lowered and built into
 * a batch (no kernel needed), and the refusal the kernel would send for one
 * of its messages is explained. The checks refuse these configurations
 * before anything is sent; the explanations are for what still gets
 * through (another kernel's limits, state carried over), so the tests
 * lower past the check's errors.
 */
#include "helpers.h"

#include <errno.h>
#include <linux/netfilter.h>

#include "emit_nl.h"
#include "lower.h"

struct built {
	struct run r;
	struct ir *ir;
	struct emit_nl *b;
};

/* Lowered whatever the check said; the batch as apply builds it. */
static struct built build(const char *src)
{
	static const struct lower_opts o = { UNSUPPORTED_ERROR, FASTTRACK_FALLBACK, NULL };
	struct built x;

	x.r = run_script(src);
	x.ir = lower_model(x.r.m, x.r.d, &o);
	assert_non_null(x.ir);
	x.b = emit_nl_build(x.ir, 100, true);
	assert_non_null(x.b);
	return x;
}

static void built_free(struct built *x)
{
	emit_nl_free(x->b);
	ir_free(x->ir);
	run_free(&x->r);
}

/* The first message whose origin text starts with `what`. */
static struct emit_nl_origin origin_of(struct built *x, const char *what)
{
	struct emit_nl_origin o;
	uint32_t seq;

	for (seq = emit_nl_begin_seq(x->b) + 1; seq <= emit_nl_begin_seq(x->b) + emit_nl_messages(x->b); seq++)
		if (emit_nl_origin(x->b, seq, 0, &o) && !strncmp(o.what, what, strlen(what)))
			return o;
	fail_msg("no message of %s", what);
	return o;
}

static void test_full_set_names_its_size(void **state)
{
	struct built x = build("/ip firewall address-list\nadd list=big address=10.0.0.1\nadd list=big address=10.0.0.2\n"
			       "/ip firewall filter\nadd chain=input action=add-src-to-address-list address-list=big\n");
	struct ir_set *s = ir_set_find(x.ir->tables[0], "al_big");
	struct emit_nl_origin o;
	const struct ir_rule *blame;
	char why[400];

	(void)state;
	/* As after a carry-over the kernel could not take. */
	s->size = 1;
	o = origin_of(&x, "elements of set al_big");
	assert_string_equal(o.set, "al_big");
	assert_int_equal(o.family, NFPROTO_IPV4);
	assert_true(emit_nl_explain(x.ir, &o, ENFILE, why, sizeof(why), &blame));
	assert_string_equal(why, "set al_big (list \"big\") is full: it holds at most 1 entries, and this apply puts 2 in it");
	/* Another error on the same message is the kernel's alone. */
	assert_false(emit_nl_explain(x.ir, &o, EINVAL, why, sizeof(why), &blame));
	built_free(&x);
}

static void test_timeout_out_of_range(void **state)
{
	struct built x = build("/ip firewall address-list\nadd list=t address=10.0.0.1 timeout=100000w\n"
			       "add list=t address=10.0.0.2 timeout=1d\nadd list=s address=10.0.0.3\n"
			       "/ip firewall filter\nadd chain=input src-address-list=t\nadd chain=input src-address-list=s\n"
			       "add chain=input action=add-src-to-address-list address-list=u address-list-timeout=100000w\n");
	struct emit_nl_origin o;
	const struct ir_rule *blame;
	char why[400];

	(void)state;
	assert_non_null(diag_find(x.r.d, "longer than the kernel keeps"));
	o = origin_of(&x, "elements of set al_t");
	assert_true(emit_nl_explain(x.ir, &o, ERANGE, why, sizeof(why), &blame));
	assert_non_null(strstr(why, "a timeout is longer than the kernel keeps, at most 30500w3d23h34m33s"));
	/* A set without timeouts has none to be out of range. */
	o = origin_of(&x, "elements of set al_s");
	assert_false(emit_nl_explain(x.ir, &o, ERANGE, why, sizeof(why), &blame));
	built_free(&x);
}

/* masquerade where dstnat runs: the kernel refuses the jump rosfw adds
 * from prerouting; the line names the rule that does the masquerade,
 * through a custom chain too. */
static void test_nat_in_the_wrong_chain_blames_the_rule(void **state)
{
	const char *src = "/ip firewall nat\n"
			  "add chain=srcnat action=accept\n"
			  "add chain=dstnat action=jump jump-target=c\n"
			  "add chain=c action=masquerade\n"
			  "add chain=srcnat action=redirect\n";
	struct built x = build(src);
	struct emit_nl_origin o;
	const struct ir_rule *blame = NULL;
	char why[400];
	size_t i;

	(void)state;
	assert_non_null(diag_find(x.r.d, "action=masquerade in chain c, which dstnat reaches through jumps"));
	assert_non_null(diag_find(x.r.d, "action=redirect in chain srcnat"));
	o = origin_of(&x, "a rule of chain nat.prerouting");
	assert_true(emit_nl_explain(x.ir, &o, EOPNOTSUPP, why, sizeof(why), &blame));
	assert_string_equal(why, "this rule does masquerade, which the kernel does only where packets leave (srcnat), and "
				 "its chain is reached from prerouting (dstnat)");
	assert_non_null(blame);
	assert_int_equal(blame->loc.line, 4);
	/* The rule in the chain itself. */
	o = origin_of(&x, "a rule of chain nat_c");
	assert_true(emit_nl_explain(x.ir, &o, EOPNOTSUPP, why, sizeof(why), &blame));
	assert_int_equal(blame->loc.line, 4);
	/* The first rule of srcnat is fine; the second is the redirect. */
	o = origin_of(&x, "a rule of chain nat_srcnat");
	assert_false(emit_nl_explain(x.ir, &o, EOPNOTSUPP, why, sizeof(why), &blame));
	for (i = 0; i < x.ir->tables[0]->nchains; i++)
		if (!strcmp(x.ir->tables[0]->chains[i]->name, "nat_srcnat"))
			o.rule = x.ir->tables[0]->chains[i]->rules[1];
	assert_true(emit_nl_explain(x.ir, &o, EOPNOTSUPP, why, sizeof(why), &blame));
	assert_non_null(strstr(why, "this rule does redirect, which the kernel does only where packets come in or are made "
				    "(dstnat), and its chain is reached from postrouting (srcnat)"));
	assert_int_equal(blame->loc.line, 5);
	built_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_set_names_its_size),
		cmocka_unit_test(test_timeout_out_of_range),
		cmocka_unit_test(test_nat_in_the_wrong_chain_blames_the_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
