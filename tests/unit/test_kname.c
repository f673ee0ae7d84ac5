/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kname: rosfw's names in the kernel, made by lowering and read back by
 * the runtime through the same functions. */
#include "helpers.h"

#include "ir.h"
#include "kname.h"
#include "lower.h"

static void test_set_names_read_back(void **state)
{
	static const char *const lists[] = { "blocklist", "my list", "a.2eb", "\xc3\xa9t\xc3\xa9", "x\"y", "" };
	char name[KNAME_MAX], back[KNAME_MAX];
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		for (k = 0; k < KNAME_NONE; k++) {
			assert_true(kname_set(name, sizeof(name), (enum kname_set)k, lists[i]));
			assert_int_equal(kname_set_kind(name), k);
			assert_int_equal(kname_is_addrlist(name), k != KNAME_IFLIST);
			kname_set_list(back, sizeof(back), name);
			assert_string_equal(back, lists[i]);
		}
	}
	assert_true(kname_set(name, sizeof(name), KNAME_LIST_RT, "my list"));
	assert_string_equal(name, "ar_my.20list");
	assert_int_equal(kname_set_kind("__set0"), KNAME_NONE);
	assert_false(kname_is_addrlist("__set0"));
	assert_false(kname_is_addrlist("fasttrack"));
	assert_false(kname_is_addrlist("al"));
}

/* A facility's chains are F_X; the jumps lowering adds between base
 * chains (nat.prerouting) belong to no facility. */
static void test_chains_by_facility(void **state)
{
	(void)state;
	assert_string_equal(kname_chain_prefix("mangle"), "mangle_");
	assert_string_equal(kname_chain_prefix("bogus"), "");
	assert_true(kname_chain_of("filter_input", "filter"));
	assert_true(kname_chain_of("nat_dstnat", "nat"));
	assert_false(kname_chain_of("filter_input", "nat"));
	assert_false(kname_chain_of("nat.prerouting", "nat"));
	assert_false(kname_chain_of("filter_input", "bogus"));
}

static void test_counter_names(void **state)
{
	char c[KNAME_COUNTER_MAX];

	(void)state;
	kname_counter(c, "filter", 0x1234abcdull, 1);
	assert_string_equal(c, "c_filter_000000001234abcd");
	assert_true(kname_counter_of(c, strlen(c), "filter"));
	assert_false(kname_counter_of(c, strlen(c), "nat"));
	kname_counter(c, "mangle", ~0ull, 3);
	assert_string_equal(c, "c_mangle_ffffffffffffffff_3");
	assert_false(kname_counter_of("c_filter_", 9, "filter"));
}

static void test_rule_comments(void **state)
{
	char c[KNAME_COMMENT_MAX + 1], long_text[300];

	(void)state;
	/* no number: a rule's place is not in the kernel (kname.h) */
	assert_false(kname_rule_comment(c, NULL, 0));
	assert_string_equal(c, "");
	assert_false(kname_rule_comment(c, "", 0));
	assert_true(kname_rule_comment(c, "say \"hi\"\n", 9));
	assert_string_equal(c, "say 'hi' ");
	memset(long_text, 'x', sizeof(long_text));
	assert_true(kname_rule_comment(c, long_text, sizeof(long_text)));
	assert_int_equal(strlen(c), KNAME_COMMENT_MAX);
}

/* Lowering names its sets, chains and counters through kname: what the
 * runtime computes finds them. */
static void test_lowering_uses_the_names(void **state)
{
	static const char src[] = "/ip firewall address-list\n"
				  "add list=\"bad hosts\" address=10.0.0.0/8\n"
				  "/interface list\n"
				  "add name=\"my lan\"\n"
				  "/ip firewall filter\n"
				  "add chain=input src-address-list=\"bad hosts\" in-interface-list=\"my lan\" action=drop\n"
				  "add chain=input action=add-src-to-address-list address-list=\"bad hosts\" address-list-timeout=1h\n"
				  "add chain=\"my chain\" action=accept\n"
				  "add chain=input action=jump jump-target=\"my chain\"\n";
	struct run r = run_script(src);
	struct lower_opts o = { 0 };
	struct ir *ir;
	struct ir_table *t;
	char name[KNAME_MAX];
	size_t i, counters = 0;

	(void)state;
	ir = lower_model(r.m, r.d, &o);
	assert_non_null(ir);
	t = ir->tables[0];
	assert_non_null(t);
	assert_string_equal(t->name, KNAME_TABLE);
	kname_set(name, sizeof(name), KNAME_LIST, "bad hosts");
	assert_non_null(ir_set_find(t, name));
	kname_set(name, sizeof(name), KNAME_LIST_DYN, "bad hosts");
	assert_non_null(ir_set_find(t, name));
	kname_set(name, sizeof(name), KNAME_LIST_RT, "bad hosts");
	assert_non_null(ir_set_find(t, name));
	kname_set(name, sizeof(name), KNAME_IFLIST, "my lan");
	assert_non_null(ir_set_find(t, name));
	kname_ident(name, sizeof(name), kname_chain_prefix("filter"), "my chain");
	assert_non_null(ir_chain_find(t, name));
	for (i = 0; i < t->ncounters; i++)
		counters += kname_counter_of(t->counters[i], strlen(t->counters[i]), "filter");
	assert_int_equal(counters, 4);
	ir_free(ir);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_names_read_back),
		cmocka_unit_test(test_chains_by_facility),
		cmocka_unit_test(test_counter_names),
		cmocka_unit_test(test_rule_comments),
		cmocka_unit_test(test_lowering_uses_the_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
