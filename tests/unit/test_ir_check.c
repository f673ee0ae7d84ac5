/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IR's check (ir_check.c): each statement the back ends cannot carry
 * is named, with the rule that holds it, and emit_nl builds no batch of
 * such an IR; what they can carry passes. Lowering never makes these
 * statements, so the IR is built by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <linux/netfilter.h>

#include "emit_nl.h"
#include "ir.h"
#include "ir_check.h"

/* A table with a set "s", a helper "h" and no flowtable; chain "c" with
 * an accept, then a rule that counts and does `st`. */
static const char *check_one(const struct ir_stmt *st, int family)
{
	struct ir *ir = ir_new();
	struct ir_table *t = ir_table_get(ir, family);
	struct ir_chain *c = ir_chain_add(ir, t, "c");
	struct ir_rule *ok = ir_rule_add(ir, c, 0, NULL, NULL), *r = ir_rule_add(ir, c, 1, NULL, NULL);
	const struct ir_rule *blame = NULL;
	const char *why;

	ir_set_add(ir, t, "s", K_IP_SADDR);
	ir_helper_add(ir, t, "h", "ftp", 6);
	ir_stmt_add(ir, ok, S_VERDICT)->u.verdict.kind = V_ACCEPT;
	ir_stmt_add(ir, r, S_COUNTER);
	*ir_stmt_add(ir, r, st->kind) = *st;
	why = ir_check(ir, &blame);
	if (why) {
		assert_ptr_equal(blame, r);
		/* apply and compile --netlink refuse it; so does the batch */
		assert_null(emit_nl_build(ir, 1, true));
	} else {
		struct emit_nl *b = emit_nl_build(ir, 1, true);

		assert_non_null(b);
		emit_nl_free(b);
	}
	ir_free(ir);
	return why;
}

static const char *match(enum ir_key k, enum ir_op op, bool masked)
{
	struct ir_stmt st = { .kind = S_MATCH };

	st.u.m.key = k;
	st.u.m.op = op;
	st.u.m.masked = masked;
	st.u.m.v.len = st.u.m.mask.len = ir_key_info(k)->len;
	return check_one(&st, NFPROTO_IPV4);
}

static void test_matches(void **state)
{
	struct ir_stmt st = { .kind = S_MATCH };
	struct ir_elem e = { .lo = { .len = 2 } };

	(void)state;
	assert_null(match(K_TCP_DPORT, OP_EQ, false));
	assert_string_equal(match(K_NONE, OP_EQ, false), "a match on an unknown key");
	assert_string_equal(match(K__COUNT, OP_EQ, false), "a match on an unknown key");
	assert_string_equal(match(K_CT_STATE, OP_FLAGS, false), "a flags match");
	/* A field narrower than a byte is loaded masked already. */
	assert_string_equal(match(K_IP_DSCP, OP_EQ, true), "a masked match on a field narrower than a byte");
	assert_string_equal(match(K_IP6_DSCP, OP_EQ, true), "a masked match on a field narrower than a byte");
	assert_string_equal(match(K_IP_HDRLENGTH, OP_EQ, true), "a masked match on a field narrower than a byte");
	assert_null(match(K_IP_DSCP, OP_EQ, false));
	assert_null(match(K_META_MARK, OP_EQ, true));
	assert_null(match(K_IP_SADDR, OP_EQ, true));

	st.u.m.key = K_IP_SADDR;
	st.u.m.op = OP_IN;
	st.u.m.set = "s";
	assert_null(check_one(&st, NFPROTO_IPV4));
	st.u.m.op = OP_NOTIN;
	st.u.m.set = "t";
	assert_string_equal(check_one(&st, NFPROTO_IPV4), "a lookup in a set the table does not declare");
	st.u.m.set = NULL;
	assert_string_equal(check_one(&st, NFPROTO_IPV4), "a match on an empty list");
	st.u.m.key = K_TCP_DPORT;
	st.u.m.elems = &e;
	st.u.m.nelems = 1;
	assert_null(check_one(&st, NFPROTO_IPV4));

	memset(&st, 0, sizeof(st));
	st.kind = S_MATCH;
	st.u.m.key = K_JHASH;
	st.u.m.mod = 2;
	st.u.m.v.len = 4;
	assert_string_equal(check_one(&st, NFPROTO_IPV4), "a jhash without keys");
	st.u.m.hkeys[0] = K_IP_SADDR;
	st.u.m.nhkeys = 1;
	assert_null(check_one(&st, NFPROTO_IPV4));
	st.u.m.nhkeys = 5;
	assert_string_equal(check_one(&st, NFPROTO_IPV4), "a jhash without keys");
}

static const char *field(enum ir_key k, bool masked, enum ir_key from, int family)
{
	struct ir_stmt st = { .kind = S_SET_FIELD };

	st.u.field.key = k;
	st.u.field.masked = masked;
	st.u.field.from = from;
	st.u.field.v.len = st.u.field.mask.len = ir_key_info(k)->len;
	return check_one(&st, family);
}

/* What a `set` statement may write: IPv4 and IPv6 header fields whole,
 * meta and ct keys, the TCP MSS (from a value or the route's MTU). */
static void test_field_writes(void **state)
{
	(void)state;
	assert_null(field(K_IP_TTL, false, K_NONE, NFPROTO_IPV4));
	assert_null(field(K_IP_DSCP, false, K_NONE, NFPROTO_IPV4));
	assert_null(field(K_IP6_HOPLIMIT, false, K_NONE, NFPROTO_IPV6));
	assert_null(field(K_META_MARK, true, K_NONE, NFPROTO_IPV4));
	assert_null(field(K_CT_MARK, false, K_NONE, NFPROTO_IPV4));
	assert_null(field(K_META_PRIORITY, false, K_NONE, NFPROTO_IPV4));
	assert_null(field(K_TCPOPT_MSS, false, K_NONE, NFPROTO_IPV4));
	assert_null(field(K_TCPOPT_MSS, false, K_RT_MTU, NFPROTO_IPV4));
	assert_string_equal(field(K_TCP_DPORT, false, K_NONE, NFPROTO_IPV4),
			    "setting a transport or link-layer header field");
	assert_string_equal(field(K_ETHER_SADDR, false, K_NONE, NFPROTO_IPV4),
			    "setting a transport or link-layer header field");
	assert_string_equal(field(K_IP_TTL, true, K_NONE, NFPROTO_IPV4), "a masked header field write");
	assert_string_equal(field(K_IPOPT_RR, false, K_NONE, NFPROTO_IPV4), "setting an IPv4 option");
	assert_string_equal(field(K_TCPOPT_MSS, false, K_META_MARK, NFPROTO_IPV4),
			    "tcp option maxseg size set from this key");
	assert_string_equal(field(K_RT_MTU, false, K_NONE, NFPROTO_IPV4), "setting this key");
	assert_string_equal(field(K_FIB_DADDR_TYPE, false, K_NONE, NFPROTO_IPV4), "setting this key");
	assert_string_equal(field(K_NUMGEN_INC, false, K_NONE, NFPROTO_IPV4), "setting this key");
	assert_string_equal(field(K_NONE, false, K_NONE, NFPROTO_IPV4), "setting this key");
}

static void test_objects_and_nat(void **state)
{
	struct ir_stmt st = { .kind = S_SET_ADD };
	struct ir_elem e = { .lo = { .len = 4 }, .hi = { .len = 4 } };

	(void)state;
	st.u.set.set = "s";
	st.u.set.keys[0] = K_IP_SADDR;
	st.u.set.nkeys = 1;
	assert_null(check_one(&st, NFPROTO_IPV4));
	st.kind = S_CT_COUNT;
	st.u.set.nkeys = 0;
	assert_string_equal(check_one(&st, NFPROTO_IPV4), "a dynamic set statement without keys");
	st.kind = S_SET_UPDATE;
	st.u.set.nkeys = 1;
	st.u.set.set = "t";
	assert_string_equal(check_one(&st, NFPROTO_IPV4), "a dynamic set statement on a set the table does not declare");

	memset(&st, 0, sizeof(st));
	st.kind = S_CT_HELPER_SET;
	st.u.obj.name = "h";
	assert_null(check_one(&st, NFPROTO_IPV4));
	st.u.obj.name = "g";
	assert_string_equal(check_one(&st, NFPROTO_IPV4), "ct helper set of a helper the table does not declare");
	st.kind = S_FLOW_ADD;
	st.u.obj.name = "ft";
	assert_string_equal(check_one(&st, NFPROTO_IPV4), "flow add to a flowtable the table does not declare");

	memset(&st, 0, sizeof(st));
	st.kind = S_NAT;
	st.u.nat.kind = NAT_MASQ;
	assert_null(check_one(&st, NFPROTO_IPV4));
	st.u.nat.has_addr = true;
	st.u.nat.addr_lo.len = st.u.nat.addr_hi.len = 4;
	assert_string_equal(check_one(&st, NFPROTO_IPV4), "masquerade or redirect to an address");
	st.u.nat.kind = NAT_REDIRECT;
	assert_string_equal(check_one(&st, NFPROTO_IPV4), "masquerade or redirect to an address");
	st.u.nat.kind = NAT_SNAT;
	st.u.nat.prefix = true;
	assert_string_equal(check_one(&st, NFPROTO_IPV4), "a prefix NAT without its prefix");
	st.u.nat.elems = &e;
	st.u.nat.nelems = 1;
	assert_null(check_one(&st, NFPROTO_IPV4));
}

/* The first refused statement, ip's table before ip6's. */
static void test_first_rule_named(void **state)
{
	struct ir *ir = ir_new();
	struct ir_table *t4 = ir_table_get(ir, NFPROTO_IPV4), *t6 = ir_table_get(ir, NFPROTO_IPV6);
	struct ir_rule *r6 = ir_rule_add(ir, ir_chain_add(ir, t6, "c"), 0, NULL, NULL);
	struct ir_rule *r4 = ir_rule_add(ir, ir_chain_add(ir, t4, "c"), 1, NULL, NULL);
	const struct ir_rule *blame = NULL;

	(void)state;
	ir_stmt_add(ir, r6, S_MATCH)->u.m.op = OP_FLAGS;
	assert_string_equal(ir_check(ir, &blame), "a match on an unknown key");
	assert_ptr_equal(blame, r6);
	ir_stmt_add(ir, r4, S_FLOW_ADD)->u.obj.name = "ft";
	assert_string_equal(ir_check(ir, &blame), "flow add to a flowtable the table does not declare");
	assert_ptr_equal(blame, r4);
	assert_non_null(ir_check(ir, NULL));
	ir_free(ir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_field_writes),
		cmocka_unit_test(test_objects_and_nat),
		cmocka_unit_test(test_first_rule_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
