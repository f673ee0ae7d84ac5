/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which way a rule fails when an interface it matches on does not exist
 * (ifcheck.c), over IR built by hand as lowering (and an interface map)
 * leaves it: names alone, negated, in anonymous sets, in interface-list
 * sets, nft wildcards; held against links given here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <linux/netfilter.h>

#include "helpers.h"
#include "ifcheck.h"
#include "ir.h"

static struct ir *ir;
static struct ir_table *t;
static struct diag *d;
static uint32_t file;
static struct links have;

static int setup(void **state)
{
	static const char src[] = "# one line a rule\n";

	(void)state;
	ir = ir_new();
	t = ir_table_get(ir, NFPROTO_IPV4);
	d = diag_new(100);
	file = diag_add_source(d, "t.rsc", src, sizeof(src) - 1);
	memset(&have, 0, sizeof(have));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ir_free(ir);
	diag_free(d);
	links_free(&have);
	return 0;
}

static void link_add(const char *name, int index, int master, bool bridge)
{
	have.v = realloc(have.v, (have.n + 1) * sizeof(*have.v));
	memset(&have.v[have.n], 0, sizeof(*have.v));
	snprintf(have.v[have.n].name, sizeof(have.v[0].name), "%s", name);
	have.v[have.n].index = index;
	have.v[have.n].master = master;
	have.v[have.n].bridge = bridge;
	have.n++;
}

static struct ir_chain *chain(const char *fac, const char *ros)
{
	char name[64];
	struct ir_chain *c;

	snprintf(name, sizeof(name), "%s_%s", fac, ros);
	if ((c = ir_chain_find(t, name)))
		return c;
	c = ir_chain_add(ir, t, name);
	c->facility = fac;
	c->ros_name = ros;
	return c;
}

/* RouterOS rule `id` written at line `line`: a kernel rule of chain `c`. */
static struct ir_rule *rule(struct ir_chain *c, long id, unsigned line)
{
	struct loc l = { file, line, 1, line, 10 };

	return ir_rule_add(ir, c, id, NULL, &l);
}

static struct ir_data ifname(const char *s)
{
	struct ir_data v = { .len = 16 };

	strncpy((char *)v.b, s, 15);
	return v;
}

/* nft's "ppp*": only the prefix is compared. */
static struct ir_data wildcard(const char *prefix)
{
	struct ir_data v = { .len = (uint8_t)strlen(prefix) };

	memcpy(v.b, prefix, v.len);
	return v;
}

static void match_name(struct ir_rule *r, enum ir_key k, enum ir_op op, struct ir_data v)
{
	struct ir_stmt *s = ir_stmt_add(ir, r, S_MATCH);

	s->u.m.key = k;
	s->u.m.op = op;
	s->u.m.v = v;
}

static void match_set(struct ir_rule *r, enum ir_key k, enum ir_op op, const char *set)
{
	struct ir_stmt *s = ir_stmt_add(ir, r, S_MATCH);

	s->u.m.key = k;
	s->u.m.op = op;
	s->u.m.set = set;
}

static void verdict(struct ir_rule *r, enum ir_verdict v)
{
	ir_stmt_add(ir, r, S_COUNTER);
	ir_stmt_add(ir, r, S_VERDICT)->u.verdict.kind = v;
}

static struct ir_set *iflist(const char *list, const char *const *members)
{
	char name[64];
	struct ir_set *s;

	snprintf(name, sizeof(name), "il_%s", list);
	s = ir_set_add(ir, t, name, K_META_IIFNAME);
	s->comment = list;
	for (; *members; members++) {
		struct ir_elem e = { .lo = ifname(*members) };

		ir_set_elem(ir, s, &e);
	}
	return s;
}

static size_t run(enum ifcheck_policy p, const char *allow)
{
	struct ifcheck_opts o = { p, allow };

	return ifcheck_run(ir, &have, &o, d);
}

/* The default configuration on a server without its names: the WAN drop
 * opens, the LAN accept closes, each at its rule, each name summed up. */
static void test_drop_opens_accept_closes(void **state)
{
	static const char *const lan[] = { "bridge", NULL }, *const wan[] = { "ether1", NULL };
	struct ir_rule *r;

	(void)state;
	link_add("lo", 1, 0, false);
	link_add("enp1s0", 2, 0, false);
	iflist("LAN", lan);
	iflist("WAN", wan);
	r = rule(chain("filter", "input"), 3, 3);
	match_set(r, K_META_IIFNAME, OP_IN, "il_LAN");
	verdict(r, V_ACCEPT);
	r = rule(chain("filter", "forward"), 7, 7);
	match_set(r, K_META_IIFNAME, OP_IN, "il_WAN");
	verdict(r, V_DROP);
	assert_int_equal(run(IFCHECK_ERROR, NULL), 2);
	assert_diag(d, DIAG_ERROR, 3, 1, "rule 3 of /ip firewall filter (chain input, accept): in-interface-list=LAN holds \"bridge\", but this machine has no interface \"bridge\"");
	assert_diag(d, DIAG_ERROR, 3, 1, "this closes traffic the rule would have accepted");
	assert_diag(d, DIAG_ERROR, 7, 1, "in-interface-list=WAN holds \"ether1\"");
	assert_diag(d, DIAG_ERROR, 7, 1, "it never drops that traffic: this opens traffic");
	assert_diag(d, DIAG_ERROR, 0, 0, "interface \"bridge\" does not exist here: 1 rule matches on it");
	assert_diag(d, DIAG_ERROR, 0, 0, "interface \"ether1\" does not exist here");
	assert_diag_count(d, 4);
}

/* The same as warnings: what a pipeline that chose to go on gets. */
static void test_warn(void **state)
{
	struct ir_rule *r;

	(void)state;
	r = rule(chain("filter", "input"), 0, 2);
	match_name(r, K_META_IIFNAME, OP_EQ, ifname("ether1"));
	ir_stmt_add(ir, r, S_REJECT);
	assert_int_equal(run(IFCHECK_WARN, NULL), 1);
	assert_no_errors(d);
	assert_diag(d, DIAG_WARNING, 2, 1, "(chain input, reject): in-interface=ether1, but");
	assert_diag(d, DIAG_WARNING, 2, 1, "this opens traffic");
}

/* psd's jump (a kernel rule that only keeps state) carries the rule's
 * interface match too: the rule is judged by its action, once. */
static void test_state_only_rule_is_not_the_action(void **state)
{
	struct ir_chain *c = chain("filter", "input");
	struct ir_rule *r;

	(void)state;
	r = rule(c, 0, 2);
	r->state_only = true;
	match_name(r, K_META_IIFNAME, OP_EQ, ifname("ether1"));
	ir_stmt_add(ir, r, S_VERDICT)->u.verdict.kind = V_JUMP;
	r->stmts[r->n - 1].u.verdict.chain = "psd_filter_0";
	r = rule(c, 0, 2);
	match_name(r, K_META_IIFNAME, OP_EQ, ifname("ether1"));
	verdict(r, V_DROP);
	assert_int_equal(run(IFCHECK_ERROR, NULL), 1);
	assert_diag(d, DIAG_ERROR, 2, 1, "(chain input, drop): in-interface=ether1, but");
	assert_diag_count(d, 2);
}

/* A negated match on a missing name holds for every packet. */
static void test_negated(void **state)
{
	static const char *const lan[] = { "bridge", NULL };
	struct ir_rule *r;

	(void)state;
	iflist("LAN", lan);
	r = rule(chain("filter", "input"), 5, 5);
	match_set(r, K_META_IIFNAME, OP_NOTIN, "il_LAN");
	verdict(r, V_DROP);
	r = rule(chain("filter", "forward"), 6, 6);
	match_name(r, K_META_OIFNAME, OP_NE, ifname("wan"));
	verdict(r, V_ACCEPT);
	assert_int_equal(run(IFCHECK_ERROR, NULL), 2);
	assert_diag(d, DIAG_ERROR, 5, 1, "in-interface-list=!LAN holds \"bridge\"");
	assert_diag(d, DIAG_ERROR, 5, 1, "it drops all traffic, what it was to spare included: this closes traffic");
	assert_diag(d, DIAG_ERROR, 6, 1, "out-interface=!wan, but");
	assert_diag(d, DIAG_ERROR, 6, 1, "it accepts all traffic, what it was to leave to the rules after it included: this opens traffic");
}

/* NAT: a masquerade whose out-interface is missing masquerades nothing;
 * a port forward on a missing in-interface forwards nothing. */
static void test_nat(void **state)
{
	struct ir_rule *r;
	struct ir_stmt *s;

	(void)state;
	r = rule(chain("nat", "srcnat"), 0, 10);
	match_name(r, K_META_OIFNAME, OP_EQ, ifname("ether1"));
	ir_stmt_add(ir, r, S_COUNTER);
	s = ir_stmt_add(ir, r, S_NAT);
	s->u.nat.kind = NAT_MASQ;
	r = rule(chain("nat", "dstnat"), 1, 11);
	match_name(r, K_META_IIFNAME, OP_EQ, ifname("ether1"));
	s = ir_stmt_add(ir, r, S_NAT);
	s->u.nat.kind = NAT_DNAT;
	assert_int_equal(run(IFCHECK_ERROR, NULL), 1);
	assert_diag(d, DIAG_ERROR, 10, 1, "rule 0 of /ip firewall nat (chain srcnat, masquerade/src-nat)");
	assert_diag(d, DIAG_ERROR, 10, 1, "nothing through it is source-NATed (masquerade)");
	assert_diag(d, DIAG_ERROR, 11, 1, "the port forward or redirect does not happen");
	assert_diag(d, DIAG_ERROR, 0, 0, "\"ether1\" does not exist here: 2 rules match on it");
}

/* A jump names the chain that never sees the traffic; a mark with
 * passthrough=no (which also accepts) is a mark. */
static void test_jump_and_mark(void **state)
{
	struct ir_rule *r;

	(void)state;
	chain("filter", "from-wan");
	r = rule(chain("filter", "forward"), 2, 2);
	match_name(r, K_META_IIFNAME, OP_EQ, ifname("ether1"));
	ir_stmt_add(ir, r, S_COUNTER);
	ir_stmt_add(ir, r, S_VERDICT)->u.verdict.kind = V_JUMP;
	r->stmts[r->n - 1].u.verdict.chain = "filter_from-wan";
	r = rule(chain("mangle", "prerouting"), 0, 4);
	match_name(r, K_META_IIFNAME, OP_EQ, ifname("ether1"));
	ir_stmt_add(ir, r, S_SET_FIELD)->u.field.key = K_CT_MARK;
	ir_stmt_add(ir, r, S_VERDICT)->u.verdict.kind = V_ACCEPT;
	run(IFCHECK_WARN, NULL);
	assert_diag(d, DIAG_WARNING, 2, 1, "chain from-wan never sees that traffic");
	assert_diag(d, DIAG_WARNING, 4, 1, "(chain prerouting, mark)");
	assert_diag(d, DIAG_WARNING, 4, 1, "it never marks that traffic");
}

/* Names this machine has, and wildcards some link matches, say nothing;
 * a wildcard nothing matches yet is a note (ppp links come later), as is
 * a name --allow-missing names (exactly, or by a prefix). */
static void test_present_wildcard_allowed(void **state)
{
	struct ir_elem set[2] = { { .lo = { 0 } }, { .lo = { 0 } } };
	struct ir_rule *r;
	struct ir_stmt *s;

	(void)state;
	link_add("enp1s0", 2, 0, false);
	link_add("enp2s0", 3, 0, false);
	r = rule(chain("filter", "input"), 0, 1);
	match_name(r, K_META_IIFNAME, OP_EQ, ifname("enp1s0"));
	verdict(r, V_ACCEPT);
	r = rule(chain("filter", "input"), 1, 2);
	match_name(r, K_META_IIFNAME, OP_EQ, wildcard("enp"));
	verdict(r, V_ACCEPT);
	r = rule(chain("filter", "input"), 2, 3);
	match_name(r, K_META_IIFNAME, OP_EQ, wildcard("ppp"));
	verdict(r, V_DROP);
	/* In a set, nft holds "wg*" as the range "wg\0..." - "wg\xff...". */
	set[0].lo = ifname("enp2s0");
	set[1].lo = ifname("wg");
	set[1].hi = ifname("wg");
	memset(set[1].hi.b + 2, 0xff, 14);
	set[1].range = true;
	r = rule(chain("filter", "input"), 3, 4);
	s = ir_stmt_add(ir, r, S_MATCH);
	s->u.m.key = K_META_IIFNAME;
	s->u.m.op = OP_IN;
	s->u.m.elems = ir_elems_copy(ir, set, 2);
	s->u.m.nelems = 2;
	verdict(r, V_ACCEPT);
	r = rule(chain("filter", "input"), 4, 5);
	match_name(r, K_META_IIFNAME, OP_EQ, ifname("ppp0"));
	verdict(r, V_ACCEPT);
	r = rule(chain("filter", "input"), 5, 6);
	match_name(r, K_META_IIFNAME, OP_EQ, ifname("tun7"));
	verdict(r, V_ACCEPT);
	assert_int_equal(run(IFCHECK_ERROR, "ppp0,tun*"), 0);
	assert_no_errors(d);
	assert_no_warnings(d);
	assert_diag(d, DIAG_NOTE, 0, 0, "no interface matches \"ppp*\" here now: the 1 rule using it act");
	assert_diag(d, DIAG_NOTE, 0, 0, "no interface matches \"wg*\"");
	assert_diag(d, DIAG_NOTE, 0, 0, "interface \"ppp0\" does not exist here yet (--allow-missing)");
	assert_diag(d, DIAG_NOTE, 0, 0, "interface \"tun7\" does not exist here yet");
	assert_diag_count(d, 4);
}

/* One name of an anonymous set missing (an interface map gave two): that
 * one is reported, the other is not. */
static void test_anonymous_set(void **state)
{
	struct ir_elem set[2] = { { .lo = { 0 } }, { .lo = { 0 } } };
	struct ir_rule *r;
	struct ir_stmt *s;

	(void)state;
	link_add("enp2s0", 3, 0, false);
	set[0].lo = ifname("enp2s0");
	set[1].lo = ifname("enp3s0");
	r = rule(chain("filter", "input"), 0, 1);
	s = ir_stmt_add(ir, r, S_MATCH);
	s->u.m.key = K_META_IIFNAME;
	s->u.m.op = OP_IN;
	s->u.m.elems = ir_elems_copy(ir, set, 2);
	s->u.m.nelems = 2;
	verdict(r, V_ACCEPT);
	assert_int_equal(run(IFCHECK_ERROR, NULL), 1);
	assert_diag(d, DIAG_ERROR, 1, 1, "in-interface=enp3s0, but this machine has no interface \"enp3s0\"");
	assert_null(diag_find(d, "\"enp2s0\""));
}

/* A RouterOS rule lowered to several kernel rules (one per set of an
 * address list) is one rule: reported once. */
static void test_one_report_per_rule(void **state)
{
	struct ir_chain *c;
	struct ir_rule *r;
	int i;

	(void)state;
	c = chain("filter", "input");
	for (i = 0; i < 3; i++) {
		r = rule(c, 4, 9);
		match_name(r, K_META_IIFNAME, OP_EQ, ifname("ether1"));
		verdict(r, V_DROP);
	}
	assert_int_equal(run(IFCHECK_ERROR, NULL), 1);
	assert_diag(d, DIAG_ERROR, 0, 0, "1 rule matches on it");
	assert_diag_count(d, 2);
}

/* A bridge port exists, but IP rules see its traffic as the bridge's:
 * a warning whatever the policy (br_netfilter may show the port). */
static void test_bridge_port(void **state)
{
	struct ir_rule *r;

	(void)state;
	link_add("br0", 5, 0, true);
	link_add("enp2s0", 6, 5, false);
	r = rule(chain("filter", "input"), 1, 8);
	match_name(r, K_META_IIFNAME, OP_EQ, ifname("enp2s0"));
	verdict(r, V_ACCEPT);
	assert_int_equal(run(IFCHECK_ERROR, NULL), 0);
	assert_no_errors(d);
	assert_diag(d, DIAG_WARNING, 8, 1, "\"enp2s0\" is a port of bridge \"br0\" here, and IP rules see its traffic as br0's");
	assert_diag(d, DIAG_WARNING, 8, 1, "this closes traffic");
}

/* rosfw's own rules (no location) are not the configuration's. */
static void test_own_rules(void **state)
{
	struct ir_rule *r;

	(void)state;
	r = ir_rule_add(ir, chain("filter", "input"), -1, NULL, NULL);
	match_name(r, K_META_IIFNAME, OP_EQ, ifname("ether1"));
	verdict(r, V_DROP);
	assert_int_equal(run(IFCHECK_ERROR, NULL), 0);
	assert_diag_count(d, 0);
}

/* An interface list with no member (WAN, which RouterOS fills itself):
 * as a missing interface, at each rule, whichever way it fails; and a
 * RouterOS link name let through --allow-missing is told to be mapped. */
static void test_empty_list_and_ros_names(void **state)
{
	static const char *const none[] = { NULL };
	struct ir_rule *r;

	(void)state;
	iflist("WAN", none);
	r = rule(chain("filter", "input"), 2, 2);
	match_set(r, K_META_IIFNAME, OP_NOTIN, "il_WAN");
	verdict(r, V_ACCEPT);
	r = rule(chain("filter", "forward"), 11, 11);
	match_set(r, K_META_IIFNAME, OP_IN, "il_WAN");
	verdict(r, V_DROP);
	r = rule(chain("filter", "input"), 12, 12);
	match_name(r, K_META_IIFNAME, OP_EQ, ifname("pppoe-out1"));
	verdict(r, V_DROP);
	assert_int_equal(run(IFCHECK_ERROR, "pppoe-out1"), 1);
	assert_diag(d, DIAG_ERROR, 0, 0, "interface list \"WAN\" has no members: 2 rules match on it");
	assert_diag(d, DIAG_ERROR, 2, 1, "in-interface-list=!WAN, but it has no members");
	assert_diag(d, DIAG_ERROR, 2, 1, "this opens traffic");
	assert_diag(d, DIAG_ERROR, 11, 1, "in-interface-list=WAN, but it has no members");
	assert_diag(d, DIAG_ERROR, 11, 1, "it never drops that traffic");
	assert_diag(d, DIAG_WARNING, 0, 0, "it is a RouterOS name: on Linux pppd names its links pppN");
	assert_diag(d, DIAG_WARNING, 0, 0, "--interface pppoe-out1=ppp*");
}

/* The default configuration's "drop all not coming from LAN" also drops
 * what the server sends itself over lo: said at the rule, unless lo is in
 * the list or accepted before. */
static void test_loopback(void **state)
{
	static const char *const lan[] = { "br0", NULL }, *const lan_lo[] = { "br0", "lo", NULL };
	struct ir_chain *in;
	struct ir_rule *r;

	(void)state;
	link_add("lo", 1, 0, false);
	link_add("br0", 2, 0, true);
	iflist("LAN", lan);
	iflist("LANLO", lan_lo);
	in = chain("filter", "input");
	in->hook = HOOK_INPUT;
	r = rule(in, 13, 13);
	match_set(r, K_META_IIFNAME, OP_NOTIN, "il_LAN");
	verdict(r, V_DROP);
	r = rule(in, 14, 14);
	match_set(r, K_META_IIFNAME, OP_NOTIN, "il_LANLO");
	verdict(r, V_DROP);
	assert_int_equal(run(IFCHECK_ERROR, NULL), 0);
	assert_diag(d, DIAG_WARNING, 13, 1, "also drops this server's own connections to itself (interface lo");
	assert_null(diag_find(d, "rule 14"));
	assert_diag_count(d, 1);
	/* lo accepted first: nothing to say */
	diag_free(d);
	d = diag_new(100);
	file = diag_add_source(d, "t.rsc", "x\n", 2);
	r = rule(in, 0, 1);
	match_name(r, K_META_IIFNAME, OP_EQ, ifname("lo"));
	verdict(r, V_ACCEPT);
	memmove(in->rules + 1, in->rules, (in->n - 1) * sizeof(*in->rules));
	in->rules[0] = r;
	assert_int_equal(run(IFCHECK_ERROR, NULL), 0);
	assert_diag_count(d, 0);
}

/* What lowering left out for a name no Linux interface can have counts as
 * missing here: apply refuses it as it refuses any missing interface. */
static void test_impossible_names_count(void **state)
{
	(void)state;
	ir->ifnames_impossible = 2;
	assert_int_equal(run(IFCHECK_ERROR, NULL), 2);
	assert_diag(d, DIAG_ERROR, 0, 0, "2 rules or interface-list members name an interface no Linux machine can have");
	assert_int_equal(diag_count_level(d, DIAG_WARNING), 0);
	assert_int_equal(run(IFCHECK_WARN, NULL), 2);
	assert_int_equal(diag_count_level(d, DIAG_WARNING), 1);
}

static void test_options(void **state)
{
	enum ifcheck_policy p = IFCHECK_WARN;

	(void)state;
	assert_true(ifcheck_opt_policy("error", &p));
	assert_int_equal(p, IFCHECK_ERROR);
	assert_true(ifcheck_opt_policy("warn", &p));
	assert_int_equal(p, IFCHECK_WARN);
	assert_false(ifcheck_opt_policy("ignore", &p));
	assert_true(ifcheck_opt_allow("ppp0,ppp*,wg0"));
	assert_false(ifcheck_opt_allow("ppp0,,x"));
	assert_false(ifcheck_opt_allow("p*p"));
	assert_false(ifcheck_opt_allow("a-name-of-16-byt"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_drop_opens_accept_closes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_negated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_only_rule_is_not_the_action, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jump_and_mark, setup, teardown),
		cmocka_unit_test_setup_teardown(test_present_wildcard_allowed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_anonymous_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_report_per_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bridge_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_own_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_list_and_ros_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loopback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_impossible_names_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_options, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
