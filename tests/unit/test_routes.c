/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Policy routing (compiler/routes.c): what /ip route, /routing table and
 * the routing rules become in the IR's plan, what is said of what is not
 * applied, and the plan as compile prints it. Applying it is
 * tests/apply/routing.sh's, on a kernel.
 */
#include "helpers.h"

#include <arpa/inet.h>

#include "emit_text.h"
#include "ifmap.h"
#include "ir.h"
#include "lower.h"
#include "routes.h"

struct planned {
	struct run r;
	struct ir *ir;
};

static struct planned plan_of(const char *src, const struct ifmap *im)
{
	struct lower_opts o = { UNSUPPORTED_ERROR, FASTTRACK_FLOWTABLE, NULL, im };
	struct planned p;

	p.r = run_script(src);
	if (diag_errors(p.r.d))
		diag_fail(p.r.d, "the script has errors", __FILE__, __LINE__);
	p.ir = lower_model(p.r.m, p.r.d, &o);
	return p;
}

static void planned_free(struct planned *p)
{
	ir_free(p->ir);
	run_free(&p->r);
}

static char *printed(const struct route_plan *rp)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	routes_print(rp, f);
	fclose(f);
	return buf;
}

/* The mark mangle sets and the rule that selects the table are one
 * number, whether v6 writes routing-mark= or v7 routing-table=. */
static void test_mark_selects_table_v6_and_v7(void **state)
{
	static const char *const srcs[] = {
		"/ip firewall mangle\nadd chain=prerouting src-address=10.0.0.0/25 action=mark-routing new-routing-mark=isp2\n"
		"/ip route\nadd gateway=10.2.0.1 routing-mark=isp2\n",
		"/routing table\nadd name=isp2 fib\n"
		"/ip firewall mangle\nadd chain=prerouting src-address=10.0.0.0/25 action=mark-routing new-routing-mark=isp2\n"
		"/ip route\nadd dst-address=0.0.0.0/0 gateway=10.2.0.1 routing-table=isp2\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct planned p = plan_of(srcs[i], NULL);
		const struct route_plan *rp;
		uint32_t mark = 0;
		size_t j;

		assert_non_null(p.ir);
		rp = p.ir->routing;
		assert_non_null(rp);
		for (j = 0; j < p.ir->nmarks; j++)
			if (!strcmp(p.ir->marks[j].kind, "routing") && !strcmp(p.ir->marks[j].name, "isp2"))
				mark = p.ir->marks[j].value;
		assert_true(mark && !(mark & 0xffff));
		assert_int_equal(rp->nroutes, 1);
		assert_int_equal(rp->nrules, 1);
		assert_int_equal(rp->routes[0].table, ROUTES_TABLE_BASE + (mark >> 16));
		assert_int_equal(rp->routes[0].metric, 1);
		assert_true(rp->routes[0].has_gw && rp->routes[0].dst_len == 0 && !rp->routes[0].dev);
		assert_true(rp->rules[0].has_mark);
		assert_int_equal(rp->rules[0].mark, mark);
		assert_int_equal(rp->rules[0].table, rp->routes[0].table);
		assert_int_equal(rp->rules[0].prio, ROUTES_PRIO_MARKS);
		assert_int_equal(rp->rules[0].action, RA_LOOKUP);
		assert_null(diag_find(p.r.d, "warning"));
		assert_int_equal(diag_count_level(p.r.d, DIAG_WARNING), 0);
		planned_free(&p);
	}
}

/* Two distances in one table, two tables: one rule per table, the
 * routes with their metric; gateway=ADDR%IF through the interface map. */
static void test_distances_and_interfaces(void **state)
{
	static const char map[] = "ether1 = wan1\n";
	struct ifmap *im = ifmap_new();
	struct diag *d = diag_new(10);
	struct planned p;
	char *out;

	(void)state;
	assert_true(ifmap_parse(im, d, diag_add_source(d, "map", map, sizeof(map) - 1), map, sizeof(map) - 1, false));
	p = plan_of("/ip route\n"
		    "add gateway=10.1.0.1%ether1 routing-mark=a distance=1\n"
		    "add gateway=10.2.0.1 routing-mark=a distance=2\n"
		    "add gateway=ether1 routing-mark=b dst-address=192.0.2.0/24\n",
		    im);
	assert_non_null(p.ir);
	assert_int_equal(p.ir->routing->nroutes, 3);
	assert_int_equal(p.ir->routing->nrules, 2);
	assert_string_equal(p.ir->routing->routes[0].dev, "wan1");
	assert_int_equal(p.ir->routing->routes[1].metric, 2);
	assert_false(p.ir->routing->routes[2].has_gw);
	assert_string_equal(p.ir->routing->routes[2].dev, "wan1");
	assert_int_equal(p.ir->routing->routes[2].dst_len, 24);
	out = printed(p.ir->routing);
	assert_non_null(strstr(out, " route add default via 10.1.0.1 dev wan1 table "));
	assert_non_null(strstr(out, " route add 192.0.2.0/24 dev wan1 table "));
	assert_non_null(strstr(out, "metric 2 proto 114  # table a, test.rsc:3\n"));
	free(out);
	planned_free(&p);
	ifmap_free(im);
	diag_free(d);
}

/* What rosfw does not apply is said where it stands. */
static void test_not_applied_is_said(void **state)
{
	struct planned p = plan_of("/ip route\n"
				   "add gateway=10.1.0.1 distance=1\n"
				   "add gateway=10.1.0.1 routing-mark=a check-gateway=ping pref-src=10.1.0.2\n"
				   "add gateway=10.1.0.1,10.2.0.1 routing-mark=b\n"
				   "/ip firewall mangle\n"
				   "add chain=prerouting action=mark-routing new-routing-mark=nowhere\n",
				   NULL);
	const struct diag_msg *m;

	(void)state;
	assert_non_null(p.ir);
	m = diag_find(p.r.d, "a route of the main table");
	assert_non_null(m);
	assert_int_equal(m->loc.line, 2);
	assert_int_equal(diag_find(p.r.d, "check-gateway=ping is rosfwd's, not the kernel's")->loc.line, 3);
	assert_int_equal(diag_find(p.r.d, "pref-src is not applied")->loc.line, 3);
	assert_int_equal(diag_find(p.r.d, "several gateways (ECMP)")->loc.line, 4);
	assert_int_equal(diag_find(p.r.d, "routing mark \"nowhere\" has no route")->loc.line, 6);
	/* the main table's route is not in the plan; the ECMP one is, once */
	assert_int_equal(p.ir->routing->nroutes, 2);
	planned_free(&p);
}

/* Routing rules in their order before the mark rules, with their actions;
 * lookup-only-in-table goes no further than its table. */
static void test_rules(void **state)
{
	struct planned p = plan_of("/ip route rule\n"
				   "add dst-address=10.0.0.0/8 action=unreachable\n"
				   "add src-address=192.168.1.5 table=t action=lookup-only-in-table\n"
				   "add routing-mark=m interface=lan table=main\n"
				   "add src-address=192.168.2.0/24 action=drop disabled=yes\n",
				   NULL);
	const struct route_rule *r;
	char *out;

	(void)state;
	assert_non_null(p.ir);
	assert_int_equal(p.ir->routing->nrules, 4);
	r = p.ir->routing->rules;
	assert_int_equal(r[0].prio, ROUTES_PRIO_FIRST);
	assert_int_equal(r[0].action, RA_UNREACHABLE);
	assert_true(r[0].has_dst && r[0].dst_len == 8);
	assert_int_equal(r[1].action, RA_LOOKUP);
	assert_int_equal(r[1].src_len, 32);
	assert_int_equal(r[2].action, RA_BLACKHOLE);
	assert_int_equal(r[2].prio, r[1].prio + 1);
	assert_int_equal(r[3].table, ROUTES_TABLE_MAIN);
	assert_true(r[3].has_mark);
	assert_string_equal(r[3].iif, "lan");
	out = printed(p.ir->routing);
	assert_non_null(strstr(out, "# ip -4 rule add priority 20000 to 10.0.0.0/8 unreachable protocol 114  # test.rsc:2\n"));
	assert_non_null(strstr(out, "iif lan lookup 254 protocol 114  # table main, test.rsc:4\n"));
	free(out);
	planned_free(&p);
}

static void test_refused(void **state)
{
	static const struct {
		const char *src, *msg;
	} cases[] = {
		{ "/ip route\nadd routing-mark=a\n", "a route needs gateway=" },
		{ "/ip route\nadd gateway=fe80::1 routing-mark=a\n", "is not an IPv4 address, an interface" },
		{ "/ip route\nadd gateway=10.0.0.1 routing-mark=a dst-address=10.0.0.1-10.0.0.5\n", "takes an address or a prefix" },
		{ "/ip route rule\nadd src-address=10.0.0.0/8\n", "needs table=" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r = run_script(cases[i].src);
		struct ir *ir = lower_model(r.m, r.d, NULL);

		assert_null(ir);
		if (!diag_find(r.d, cases[i].msg))
			diag_fail(r.d, cases[i].msg, __FILE__, __LINE__);
		run_free(&r);
	}
}

/* IPv6 routes and the flag words exports write. */
static void test_ipv6_and_flags(void **state)
{
	struct planned p = plan_of("/routing table\nadd name=v6t fib\n"
				   "/ipv6 route\nadd dst-address=2001:db8::/32 gateway=fd00::1 routing-table=v6t\n"
				   "/ip route\nadd blackhole dst-address=10.9.0.0/16 routing-table=v6t\n",
				   NULL);
	const struct route_plan *rp;

	(void)state;
	assert_non_null(p.ir);
	rp = p.ir->routing;
	assert_int_equal(rp->nroutes, 2);
	assert_int_equal(rp->routes[1].family, AF_INET6);
	assert_int_equal(rp->routes[1].dst_len, 32);
	assert_int_equal(rp->routes[0].type, RT_BLACKHOLE);
	/* one mark rule per family the table has routes in */
	assert_int_equal(rp->nrules, 2);
	assert_int_equal(rp->rules[0].family, AF_INET);
	assert_int_equal(rp->rules[1].family, AF_INET6);
	assert_int_equal(rp->rules[0].table, rp->rules[1].table);
	planned_free(&p);
}

/* t158 and t628 hash to the same mark number: a table named only by
 * routes must still get a number of its own, not the marked one's. */
static void test_tables_never_share_a_number(void **state)
{
	struct planned p = plan_of("/ip firewall mangle\n"
				   "add chain=prerouting action=mark-routing new-routing-mark=t158\n"
				   "/ip route\nadd gateway=10.1.0.1 routing-mark=t158\nadd gateway=10.2.0.1 routing-mark=t628\n",
				   NULL);

	(void)state;
	assert_non_null(p.ir);
	assert_int_equal(p.ir->routing->nroutes, 2);
	assert_int_not_equal(p.ir->routing->routes[0].table, p.ir->routing->routes[1].table);
	assert_int_not_equal(p.ir->routing->rules[0].mark, p.ir->routing->rules[1].mark);
	planned_free(&p);
}

/* One route per table, destination and distance on Linux. */
static void test_same_destination_and_distance(void **state)
{
	struct planned p = plan_of("/ip route\nadd gateway=10.1.0.1 routing-mark=a\nadd gateway=10.2.0.1 routing-mark=a\n"
				   "add gateway=10.2.0.1 routing-mark=a distance=2\n",
				   NULL);
	const struct diag_msg *m;

	(void)state;
	assert_non_null(p.ir);
	assert_int_equal(p.ir->routing->nroutes, 2);
	assert_int_equal(p.ir->routing->routes[1].metric, 2);
	m = diag_find(p.r.d, "the same destination and distance as the route at line 2");
	assert_non_null(m);
	assert_int_equal(m->loc.line, 3);
	planned_free(&p);
}

/* v7: a table declared without fib is no FIB on RouterOS: said. */
static void test_table_without_fib(void **state)
{
	struct planned p = plan_of("/routing table\nadd name=x\nadd name=y fib\n"
				   "/ip route\nadd gateway=10.1.0.1 routing-table=x\nadd gateway=10.1.0.1 routing-table=y\n",
				   NULL);
	const struct diag_msg *m;

	(void)state;
	assert_non_null(p.ir);
	m = diag_find(p.r.d, "table x is declared without fib (line 2)");
	assert_non_null(m);
	assert_int_equal(m->loc.line, 5);
	assert_null(diag_find(p.r.d, "table y"));
	assert_int_equal(p.ir->routing->nroutes, 2);
	planned_free(&p);
}

/* v7's /routing rule takes IPv6 prefixes too: an ip -6 rule. */
static void test_routing_rule_ipv6(void **state)
{
	struct planned p = plan_of("/routing rule\nadd src-address=fd00:50::/64 action=lookup table=v6t\n"
				   "add dst-address=10.0.0.0/8 action=drop\n",
				   NULL);
	const struct route_rule *r;

	(void)state;
	assert_non_null(p.ir);
	assert_int_equal(p.ir->routing->nrules, 2);
	r = p.ir->routing->rules;
	assert_int_equal(r[0].family, AF_INET6);
	assert_int_equal(r[0].src_len, 64);
	assert_int_equal(r[0].src[0], 0xfd);
	assert_int_equal(r[1].family, AF_INET);
	assert_int_equal(r[1].action, RA_BLACKHOLE);
	planned_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mark_selects_table_v6_and_v7),
		cmocka_unit_test(test_distances_and_interfaces),
		cmocka_unit_test(test_not_applied_is_said),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_ipv6_and_flags),
		cmocka_unit_test(test_tables_never_share_a_number),
		cmocka_unit_test(test_same_destination_and_distance),
		cmocka_unit_test(test_table_without_fib),
		cmocka_unit_test(test_routing_rule_ipv6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
