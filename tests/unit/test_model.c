/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running scripts into the model: what add, set, remove, move, disable,
 * comment, unset and copy-from leave behind, item numbering as RouterOS
 * shows it at each point of a script, built-in items, interface names,
 * menu changes, and the normalized dump.
 */
#include "helpers.h"

#define FILTER_ABC "/ip firewall filter\nadd chain=a\nadd chain=b\nadd chain=c\n"

/* ---- add ---------------------------------------------------------------- */

static void test_add_appends_in_order(void **state)
{
	struct run r = run_script(FILTER_ABC);

	(void)state;
	assert_diag_count(r.d, 0);
	assert_int_equal(model_count(r.m, MK_FILTER4), 3);
	assert_column(r.m, MK_FILTER4, "chain", "a b c");
	assert_int_equal(model_count(r.m, MK_NAT4), 0);
	run_free(&r);
}

static void test_add_keeps_values_and_location(void **state)
{
	struct run r = run_script("/ip firewall filter\nadd chain=input comment=\"ssh in\" protocol=tcp dst-port=22\n");
	const struct mitem *it;

	(void)state;
	assert_no_errors(r.d);
	it = model_item(r.m, MK_FILTER4, 0);
	assert_non_null(it);
	assert_string_equal(item_prop(r.m, MK_FILTER4, 0, "comment"), "ssh in");
	assert_string_equal(item_prop(r.m, MK_FILTER4, 0, "dst-port"), "22");
	assert_int_equal(mprop_len(mitem_prop(it, P_DST_PORT)), 2);
	assert_int_equal(it->loc.line, 2);
	assert_false(it->disabled);
	assert_false(it->builtin);
	run_free(&r);
}

static void test_unset_property_reads_menu_default(void **state)
{
	struct run r = run_script("/ip firewall filter\nadd chain=input\n");

	(void)state;
	assert_null(item_prop(r.m, MK_FILTER4, 0, "action"));
	assert_string_equal(mitem_value(model_item(r.m, MK_FILTER4, 0), MK_FILTER4, P_ACTION), "accept");
	run_free(&r);
}

/* The model keeps what each value means beside its text, parsed once:
 * for the item's own values, a copy-from's and the menu's defaults. */
static void test_values_are_parsed_once(void **state)
{
	struct run r = run_script("/ip firewall filter\n"
				  "add chain=input src-address=!10.1.2.3/8 protocol=tcp dst-port=80,443-445 action=drop\n"
				  "add copy-from=0 chain=forward\n"
				  "/ipv6 firewall filter\n"
				  "add chain=input action=reject src-address=2001:db8::1/32\n");
	const struct mitem *it;
	const struct mprop *p;
	const struct vrange *v;
	struct value_addr a;
	size_t n, i;

	(void)state;
	assert_no_errors(r.d);
	for (i = 0; i < 2; i++) {
		it = model_item(r.m, MK_FILTER4, i);
		assert_int_equal(mitem_action(it, MK_FILTER4), A_DROP);
		p = mitem_prop(it, P_SRC_ADDRESS);
		assert_true(p->neg && mprop_addr(p, &a));
		assert_int_equal(a.kind, VA_PREFIX);
		assert_int_equal(a.plen, 8);
		assert_memory_equal(a.lo, "\x0a\x00\x00\x00", 4);
		assert_memory_equal(a.hi, "\x0a\xff\xff\xff", 4);
		assert_int_equal(mitem_prop(it, P_PROTOCOL)->v.u, 6);
		v = mprop_ranges(mitem_prop(it, P_DST_PORT), &n);
		assert_int_equal(n, 2);
		assert_true(v[0].lo == 80 && v[0].hi == 80 && v[1].lo == 443 && v[1].hi == 445);
		/* unset: the menu's default, parsed */
		p = mitem_get(it, MK_FILTER4, P_REJECT_WITH);
		assert_non_null(p);
		assert_int_equal(p->v.u, REJ4_NETWORK_UNREACHABLE);
		assert_null(mitem_prop(it, P_REJECT_WITH));
	}
	it = model_item(r.m, MK_FILTER6, 0);
	assert_int_equal(mitem_get(it, MK_FILTER6, P_REJECT_WITH)->v.u, REJ6_NO_ROUTE);
	assert_true(mprop_addr(mitem_prop(it, P_SRC_ADDRESS), &a) && a.v6 && a.plen == 32);
	assert_int_equal(mitem_action(model_item(r.m, MK_FILTER6, 0), MK_FILTER6), A_REJECT);
	assert_null(mitem_get(it, MK_FILTER6, P_TTL));
	run_free(&r);
}

/* A text may hold NUL bytes (\00, in free text: names refuse them): it
 * keeps its length, for dump and for the counters' rule identity. */
static void test_text_with_nul_bytes(void **state)
{
	struct run r = run_script("/ip firewall filter\n"
				  "add chain=input comment=\"a\\00b\" log-prefix=\"\\00\\00\"\n"
				  "add chain=input comment=plain log-prefix=x\n");
	const struct mprop *c = mitem_prop(model_item(r.m, MK_FILTER4, 0), P_COMMENT);
	const struct mprop *l = mitem_prop(model_item(r.m, MK_FILTER4, 0), P_LOG_PREFIX);
	char *dump;

	(void)state;
	assert_no_errors(r.d);
	assert_int_equal(mprop_len(c), 3);
	assert_memory_equal(c->value, "a\0b", 4);
	assert_int_equal(mprop_len(l), 2);
	assert_int_equal(mprop_len(mitem_prop(model_item(r.m, MK_FILTER4, 1), P_LOG_PREFIX)), 1);
	assert_int_equal(mprop_len(mitem_prop(model_item(r.m, MK_FILTER4, 1), P_COMMENT)), 5);
	dump = dump_str(r.m);
	assert_non_null(strstr(dump, "comment=\"a\\00b\" log-prefix=\"\\00\\00\"\n"));
	free(dump);
	run_free(&r);
}

/* /export verbose writes every property an item lacks as !name, in every
 * menu: it reads as if the name were not written at all. */
static void test_add_with_unset_properties(void **state)
{
	struct run v = run_script("/interface 6to4\nadd !keepalive mtu=1280 name=t1 remote-address=192.0.2.1\n"
				  "/ip firewall nat\nadd action=masquerade chain=srcnat !to-addresses !to-ports out-interface=ether1\n"
				  "/ip firewall filter\nadd action=drop chain=input !connection-state log=no !log-prefix\n"
				  "/ip firewall address-list\nadd address=192.0.2.9 list=a !timeout\n");
	struct run p = run_script("/interface 6to4\nadd mtu=1280 name=t1 remote-address=192.0.2.1\n"
				  "/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n"
				  "/ip firewall filter\nadd action=drop chain=input log=no\n"
				  "/ip firewall address-list\nadd address=192.0.2.9 list=a\n");
	char *dv, *dp;

	(void)state;
	assert_diag_count(v.d, 0);
	dv = dump_str(v.m);
	dp = dump_str(p.m);
	assert_string_equal(dv, dp);
	free(dv);
	free(dp);
	run_free(&v);
	run_free(&p);
}

/* On set, !name takes the property away as unset does. */
static void test_set_with_unset_properties(void **state)
{
	struct run r = run_script("/ip firewall nat\nadd action=masquerade chain=srcnat to-ports=1000-2000 protocol=tcp disabled=yes\n"
				  "set 0 !to-ports !disabled\n");

	(void)state;
	assert_diag_count(r.d, 0);
	assert_null(item_prop(r.m, MK_NAT4, 0, "to-ports"));
	assert_false(model_item(r.m, MK_NAT4, 0)->disabled);
	run_free(&r);
}

/* A !name the menu does not have is an unknown property, at the name. */
static void test_unset_unknown_property(void **state)
{
	struct run r = run_script("/ip firewall nat\nadd action=masquerade chain=srcnat !to-portz\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 37, "unknown property \"to-portz\" for /ip firewall nat; did you mean \"to-ports\"?");
	assert_int_equal(model_count(r.m, MK_NAT4), 1);
	run_free(&r);
}

static void test_add_disabled_yes(void **state)
{
	struct run r = run_script("/ip firewall filter\nadd chain=a disabled=yes\nadd chain=b disabled=no\n");

	(void)state;
	assert_no_errors(r.d);
	assert_true(model_item(r.m, MK_FILTER4, 0)->disabled);
	assert_false(model_item(r.m, MK_FILTER4, 1)->disabled);
	run_free(&r);
}

static void test_place_before_number(void **state)
{
	struct run r = run_script(FILTER_ABC "add chain=d place-before=0\nadd chain=e place-before=2\n");

	(void)state;
	assert_no_errors(r.d);
	assert_column(r.m, MK_FILTER4, "chain", "d a e b c");
	/* place-before is an instruction, not a property of the rule. */
	assert_null(item_prop(r.m, MK_FILTER4, 0, "place-before"));
	run_free(&r);
}

static void test_place_before_find(void **state)
{
	struct run r = run_script("/ip firewall filter\nadd chain=a\nadd chain=b comment=x\nadd chain=c\n"
				  "add chain=d place-before=[find comment=x]\n");

	(void)state;
	assert_no_errors(r.d);
	assert_column(r.m, MK_FILTER4, "chain", "a d b c");
	run_free(&r);
}

/* ---- set ---------------------------------------------------------------- */

static void test_set_by_number(void **state)
{
	struct run r = run_script(FILTER_ABC "set 1 action=drop comment=\"second\"\n");

	(void)state;
	assert_no_errors(r.d);
	assert_column(r.m, MK_FILTER4, "action", "- drop -");
	assert_column(r.m, MK_FILTER4, "comment", "- second -");
	run_free(&r);
}

static void test_set_by_number_list(void **state)
{
	struct run r = run_script(FILTER_ABC "set 0,2 action=drop\n");

	(void)state;
	assert_no_errors(r.d);
	assert_column(r.m, MK_FILTER4, "action", "drop - drop");
	run_free(&r);
}

static void test_set_by_find(void **state)
{
	struct run r = run_script(FILTER_ABC "add chain=b\nset [find chain=b] action=drop\nset [find where chain=c] log=yes\n");

	(void)state;
	assert_no_errors(r.d);
	assert_column(r.m, MK_FILTER4, "action", "- drop - drop");
	assert_column(r.m, MK_FILTER4, "log", "- - yes -");
	run_free(&r);
}

static void test_set_by_find_regex_and_not_equal(void **state)
{
	struct run r = run_script("/ip firewall filter\nadd chain=in1\nadd chain=in2\nadd chain=out\n"
				  "set [find chain~\"^in\"] action=drop\nset [find chain!=out] log=yes\n");

	(void)state;
	assert_no_errors(r.d);
	assert_column(r.m, MK_FILTER4, "action", "drop drop -");
	assert_column(r.m, MK_FILTER4, "log", "yes yes -");
	run_free(&r);
}

static void test_set_by_numbers_prop(void **state)
{
	struct run r = run_script(FILTER_ABC "set numbers=1 action=drop\nset numbers=[find chain=c] action=reject\n");

	(void)state;
	assert_no_errors(r.d);
	assert_column(r.m, MK_FILTER4, "action", "- drop reject");
	run_free(&r);
}

static void test_set_find_matching_nothing_changes_nothing(void **state)
{
	struct run r = run_script(FILTER_ABC "set [find chain=zzz] action=drop\n");

	(void)state;
	assert_no_errors(r.d);
	assert_column(r.m, MK_FILTER4, "action", "- - -");
	run_free(&r);
}

/* ---- remove and numbering ----------------------------------------------- */

static void test_numbering_after_remove(void **state)
{
	/* After `remove 0`, number 0 is what was rule 1. */
	struct run r = run_script(FILTER_ABC "remove 0\nset 0 comment=x\n");

	(void)state;
	assert_no_errors(r.d);
	assert_column(r.m, MK_FILTER4, "chain", "b c");
	assert_column(r.m, MK_FILTER4, "comment", "x -");
	run_free(&r);
}

static void test_numbering_after_place_before(void **state)
{
	struct run r = run_script(FILTER_ABC "add chain=d place-before=0\nset 1 comment=was0\n");

	(void)state;
	assert_no_errors(r.d);
	assert_column(r.m, MK_FILTER4, "comment", "- was0 - -");
	assert_string_equal(item_prop(r.m, MK_FILTER4, 1, "chain"), "a");
	run_free(&r);
}

static void test_remove_numbers_list(void **state)
{
	struct run r = run_script(FILTER_ABC "add chain=d\nremove 0,2\n");

	(void)state;
	assert_no_errors(r.d);
	assert_column(r.m, MK_FILTER4, "chain", "b d");
	run_free(&r);
}

static void test_remove_find_on_address_list(void **state)
{
	struct run r = run_script("/ip firewall address-list\n"
				  "add list=x address=10.0.0.1\nadd list=y address=10.0.0.2\nadd list=x address=10.0.0.3\n"
				  "remove [find list=x]\n");

	(void)state;
	assert_no_errors(r.d);
	assert_int_equal(model_count(r.m, MK_ADDRLIST4), 1);
	assert_column(r.m, MK_ADDRLIST4, "address", "10.0.0.2");
	run_free(&r);
}

static void test_remove_find_all(void **state)
{
	struct run r = run_script(FILTER_ABC "remove [find]\nadd chain=z\n");

	(void)state;
	assert_no_errors(r.d);
	assert_column(r.m, MK_FILTER4, "chain", "z");
	run_free(&r);
}

/* ---- disable, enable, comment, unset, copy-from ------------------------- */

static void test_disable_and_enable(void **state)
{
	struct run r = run_script(FILTER_ABC "disable 0,1\nenable 1\ndisable [find chain=c]\n");

	(void)state;
	assert_no_errors(r.d);
	assert_true(model_item(r.m, MK_FILTER4, 0)->disabled);
	assert_false(model_item(r.m, MK_FILTER4, 1)->disabled);
	assert_true(model_item(r.m, MK_FILTER4, 2)->disabled);
	run_free(&r);
}

static void test_set_disabled_property(void **state)
{
	struct run r = run_script(FILTER_ABC "set 0 disabled=yes\nset 1 disabled=yes\nset 1 disabled=no\n");

	(void)state;
	assert_no_errors(r.d);
	assert_true(model_item(r.m, MK_FILTER4, 0)->disabled);
	assert_false(model_item(r.m, MK_FILTER4, 1)->disabled);
	run_free(&r);
}

static void test_comment_verb(void **state)
{
	struct run r = run_script(FILTER_ABC "comment 1 comment=\"from comment\"\n");

	(void)state;
	assert_no_errors(r.d);
	assert_null(item_prop(r.m, MK_FILTER4, 0, "comment"));
	assert_string_equal(item_prop(r.m, MK_FILTER4, 1, "comment"), "from comment");
	assert_null(item_prop(r.m, MK_FILTER4, 2, "comment"));
	run_free(&r);
}

static void test_unset_value_name(void **state)
{
	struct run r = run_script("/ip firewall filter\nadd chain=a src-address=10.0.0.1 comment=keep\n"
				  "unset 0 value-name=src-address\n");

	(void)state;
	assert_no_errors(r.d);
	assert_null(item_prop(r.m, MK_FILTER4, 0, "src-address"));
	assert_string_equal(item_prop(r.m, MK_FILTER4, 0, "comment"), "keep");
	run_free(&r);
}

static void test_copy_from(void **state)
{
	struct run r = run_script("/ip firewall filter\nadd chain=a protocol=tcp comment=orig\n"
				  "add copy-from=0 dst-port=22 comment=copy\n");

	(void)state;
	assert_no_errors(r.d);
	assert_int_equal(model_count(r.m, MK_FILTER4), 2);
	assert_string_equal(item_prop(r.m, MK_FILTER4, 1, "chain"), "a");
	assert_string_equal(item_prop(r.m, MK_FILTER4, 1, "protocol"), "tcp");
	assert_string_equal(item_prop(r.m, MK_FILTER4, 1, "dst-port"), "22");
	assert_string_equal(item_prop(r.m, MK_FILTER4, 1, "comment"), "copy");
	/* The source is left alone. */
	assert_string_equal(item_prop(r.m, MK_FILTER4, 0, "comment"), "orig");
	assert_null(item_prop(r.m, MK_FILTER4, 0, "dst-port"));
	assert_null(item_prop(r.m, MK_FILTER4, 1, "copy-from"));
	run_free(&r);
}

/* ---- move --------------------------------------------------------------- */

static void test_move_to_front(void **state)
{
	struct run r = run_script(FILTER_ABC "move 2 0\n");

	(void)state;
	assert_no_errors(r.d);
	assert_column(r.m, MK_FILTER4, "chain", "c a b");
	run_free(&r);
}

static void test_move_without_destination_goes_to_end(void **state)
{
	struct run r = run_script(FILTER_ABC "move 0\n");

	(void)state;
	assert_no_errors(r.d);
	assert_column(r.m, MK_FILTER4, "chain", "b c a");
	run_free(&r);
}

static void test_move_destination_prop(void **state)
{
	/* The moved item lands before the item that was number 2. */
	struct run r = run_script(FILTER_ABC "move 0 destination=2\n");

	(void)state;
	assert_no_errors(r.d);
	assert_column(r.m, MK_FILTER4, "chain", "b a c");
	run_free(&r);
}

static void test_move_by_find(void **state)
{
	struct run r = run_script(FILTER_ABC "move [find chain=c] [find chain=b]\n");

	(void)state;
	assert_no_errors(r.d);
	assert_column(r.m, MK_FILTER4, "chain", "a c b");
	run_free(&r);
}

static void test_move_keeps_identity(void **state)
{
	struct run r = run_script(FILTER_ABC "move 2 0\n");

	(void)state;
	/* The items themselves move, with where each was made. */
	assert_int_equal(model_item(r.m, MK_FILTER4, 0)->loc.line, 4);
	assert_int_equal(model_item(r.m, MK_FILTER4, 1)->loc.line, 2);
	assert_int_equal(model_item(r.m, MK_FILTER4, 2)->loc.line, 3);
	run_free(&r);
}

/* ---- built-in items ------------------------------------------------------- */

static void test_service_port_builtins_exist(void **state)
{
	static const char *const names[] = { "ftp", "tftp", "irc", "h323", "sip", "pptp", "rtsp" };
	struct run r = run_script("");
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct mitem *it = item_named(r.m, MK_SERVICE_PORT, names[i]);

		if (!it)
			fail_msg("no built-in service port %s", names[i]);
		assert_true(it->builtin);
	}
	assert_string_equal(mitem_value(item_named(r.m, MK_SERVICE_PORT, "ftp"), MK_SERVICE_PORT, P_PORTS), "21");
	run_free(&r);
}

static void test_service_port_rtsp_disabled_by_default(void **state)
{
	struct run r = run_script("");

	(void)state;
	assert_true(item_named(r.m, MK_SERVICE_PORT, "rtsp")->disabled);
	assert_false(item_named(r.m, MK_SERVICE_PORT, "ftp")->disabled);
	assert_false(item_named(r.m, MK_SERVICE_PORT, "sip")->disabled);
	run_free(&r);
}

static void test_service_port_set_by_name(void **state)
{
	struct run r = run_script("/ip firewall service-port\nset ftp disabled=yes\nset sip ports=5060\n");
	size_t before;

	(void)state;
	assert_no_errors(r.d);
	assert_true(item_named(r.m, MK_SERVICE_PORT, "ftp")->disabled);
	assert_string_equal(mitem_value(item_named(r.m, MK_SERVICE_PORT, "sip"), MK_SERVICE_PORT, P_PORTS), "5060");
	before = model_count(r.m, MK_SERVICE_PORT);
	run_free(&r);
	r = run_script("");
	assert_int_equal(model_count(r.m, MK_SERVICE_PORT), before);
	run_free(&r);
}

/* The eight services of /ip service exist before any script, with their
 * default ports; www-ssl and api-ssl ship disabled (reference 000). */
static void test_ip_service_builtins_exist(void **state)
{
	static const struct {
		const char *name, *port;
		bool disabled;
	} want[] = {
		{ "telnet", "23", false }, { "ftp", "21", false },     { "www", "80", false },
		{ "ssh", "22", false },    { "www-ssl", "443", true }, { "api", "8728", false },
		{ "winbox", "8291", false }, { "api-ssl", "8729", true },
	};
	struct run r = run_script("");
	size_t i;

	(void)state;
	assert_int_equal(model_count(r.m, MK_IP_SERVICE), 8);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct mitem *it = model_item(r.m, MK_IP_SERVICE, i);

		assert_string_equal(mitem_value(it, MK_IP_SERVICE, P_NAME), want[i].name);
		assert_string_equal(mitem_value(it, MK_IP_SERVICE, P_PORT), want[i].port);
		assert_int_equal(it->disabled, want[i].disabled);
		assert_true(it->builtin);
	}
	run_free(&r);
}

/* By name, by a comma list of names (as RouterOS takes them), by [find],
 * in both path forms. */
static void test_ip_service_selectors(void **state)
{
	struct run r = run_script("/ip service\ndisable telnet,ftp\nset [find name~\"winbox\"] address=192.0.2.0/24\n"
				  "/ip/service/set ssh port=2222 address=10.0.0.0/8,2001:db8::/32\n"
				  "/ip service disable [find where name!=ssh and name!=winbox]\n");
	const struct vaddrs *as;

	(void)state;
	assert_no_errors(r.d);
	assert_true(item_named(r.m, MK_IP_SERVICE, "telnet")->disabled);
	assert_true(item_named(r.m, MK_IP_SERVICE, "ftp")->disabled);
	assert_true(item_named(r.m, MK_IP_SERVICE, "api")->disabled);
	assert_false(item_named(r.m, MK_IP_SERVICE, "ssh")->disabled);
	assert_false(item_named(r.m, MK_IP_SERVICE, "winbox")->disabled);
	assert_string_equal(mitem_value(item_named(r.m, MK_IP_SERVICE, "ssh"), MK_IP_SERVICE, P_PORT), "2222");
	as = mprop_addrs(mitem_prop(item_named(r.m, MK_IP_SERVICE, "ssh"), P_ADDRESS));
	assert_non_null(as);
	assert_int_equal(as->n, 2);
	assert_false(as->v[0].v6);
	assert_int_equal(as->v[0].plen, 8);
	assert_true(as->v[1].v6);
	assert_int_equal(as->v[1].plen, 32);
	run_free(&r);
}

/* What RouterOS refuses: new services, renames, a port that is not one
 * port 1-65535, ranges and placeholders in address=, unknown names. */
static void test_ip_service_refusals(void **state)
{
	struct run r = run_script("/ip service\nadd name=x\nset ssh name=x\nset ssh port=0\nset ssh port=22,23\n"
				  "set ssh port=!22\nset ssh address=10.0.0.1-10.0.0.9\nset ssh address=X.X.X.X/32\n"
				  "set telnet,bogus disabled=yes\n");

	(void)state;
	assert_int_equal(diag_count_level(r.d, DIAG_ERROR), 8);
	assert_diag(r.d, DIAG_ERROR, 2, 1, "set them by name, nothing can be added");
	assert_diag(r.d, DIAG_ERROR, 3, 9, "fixed names");
	assert_diag(r.d, DIAG_ERROR, 4, 14, "a service listens on one port 1-65535");
	assert_diag(r.d, DIAG_ERROR, 7, 17, "expected an IPv4 or IPv6 address or prefix, got \"10.0.0.1-10.0.0.9\"");
	assert_diag(r.d, DIAG_ERROR, 8, 17, "which looks like an address with a placeholder");
	assert_diag(r.d, DIAG_ERROR, 9, 12, "no item named \"bogus\"");
	/* refused values leave the service as it was */
	assert_string_equal(mitem_value(item_named(r.m, MK_IP_SERVICE, "ssh"), MK_IP_SERVICE, P_PORT), "22");
	assert_false(item_named(r.m, MK_IP_SERVICE, "telnet")->disabled);
	run_free(&r);
}

static void test_interface_list_builtins_exist(void **state)
{
	static const char *const names[] = { "all", "none", "static", "dynamic" };
	struct run r = run_script("");
	size_t i;

	(void)state;
	assert_int_equal(model_count(r.m, MK_IFLIST), 4);
	for (i = 0; i < 4; i++) {
		const struct mitem *it = item_named(r.m, MK_IFLIST, names[i]);

		if (!it)
			fail_msg("no built-in interface list %s", names[i]);
		assert_true(it->builtin);
	}
	run_free(&r);
}

static void test_interface_list_add_and_members(void **state)
{
	struct run r = run_script("/interface list\nadd name=LAN\nadd name=WAN\n"
				  "/interface list member\nadd list=LAN interface=bridge\nadd list=WAN interface=ether1\n"
				  "/ip firewall filter\nadd chain=input in-interface-list=LAN\n");

	(void)state;
	assert_diag_count(r.d, 0);
	assert_int_equal(model_count(r.m, MK_IFLIST), 6);
	assert_non_null(item_named(r.m, MK_IFLIST, "LAN"));
	assert_false(item_named(r.m, MK_IFLIST, "LAN")->builtin);
	assert_int_equal(model_count(r.m, MK_IFLIST_MEMBER), 2);
	assert_column(r.m, MK_IFLIST_MEMBER, "list", "LAN WAN");
	assert_column(r.m, MK_IFLIST_MEMBER, "interface", "bridge ether1");
	run_free(&r);
}

static void test_conntrack_is_one_item(void **state)
{
	struct run r = run_script("/ip firewall connection tracking\nset udp-timeout=10s\nset tcp-established-timeout=1d\n");

	(void)state;
	assert_no_errors(r.d);
	assert_int_equal(model_count(r.m, MK_CONNTRACK), 1);
	assert_string_equal(item_prop(r.m, MK_CONNTRACK, 0, "udp-timeout"), "10s");
	assert_string_equal(item_prop(r.m, MK_CONNTRACK, 0, "tcp-established-timeout"), "1d");
	run_free(&r);
}

/* ---- interface names ---------------------------------------------------- */

static void test_interface_name_from_add(void **state)
{
	struct run r = run_script("/interface bridge add name=br1\n");
	const struct miface *f;

	(void)state;
	assert_diag_count(r.d, 0);
	assert_int_equal(model_ifaces(r.m, &f), 1);
	assert_string_equal(f[0].menu, "/interface bridge");
	assert_string_equal(f[0].name, "br1");
	assert_null(f[0].old_name);
	assert_false(f[0].by_default_name);
	assert_int_equal(f[0].loc.line, 1);
	run_free(&r);
}

static void test_interface_rename_by_default_name(void **state)
{
	struct run r = run_script("/interface ethernet\nset [ find default-name=ether1 ] name=wan\n");
	const struct miface *f;

	(void)state;
	assert_diag_count(r.d, 0);
	assert_int_equal(model_ifaces(r.m, &f), 1);
	assert_string_equal(f[0].menu, "/interface ethernet");
	assert_string_equal(f[0].name, "wan");
	assert_string_equal(f[0].old_name, "ether1");
	assert_true(f[0].by_default_name);
	assert_int_equal(f[0].loc.line, 2);
	run_free(&r);
}

/* `set *2 name=lan1` names a port by the router's own id: which port is
 * unknown, so the name stands alone and the user is told. */
static void test_interface_rename_by_id_is_warned(void **state)
{
	struct run r = run_script("/interface ethernet\nset *2 name=lan1\n");
	const struct miface *f;

	(void)state;
	assert_diag(r.d, DIAG_WARNING, 2, 5, "internal id of an interface");
	assert_int_equal(model_ifaces(r.m, &f), 1);
	assert_string_equal(f[0].name, "lan1");
	assert_null(f[0].old_name);
	run_free(&r);
}

/* The bridge's use-ip-firewall=yes cannot be had on Linux without
 * br_netfilter: passed over, which opens, so a warning at the property. */
static void test_bridge_use_ip_firewall_is_warned(void **state)
{
	struct run r = run_script("/interface bridge settings\nset allow-fast-path=no use-ip-firewall=yes\n"
				  "/interface bridge settings set use-ip-firewall=no\n");

	(void)state;
	assert_diag(r.d, DIAG_WARNING, 2, 24, "use-ip-firewall=yes is not applied");
	assert_int_equal(diag_count_level(r.d, DIAG_WARNING), 1);
	run_free(&r);
}

/* `/interface` itself lists every interface: set, enable and disable on it
 * are ordinary RouterOS commands, not errors. */
static void test_interface_menu_commands_are_not_errors(void **state)
{
	struct run r = run_script("/interface set ether1 comment=uplink\n/interface disable ether5\n"
				  "/interface enable [find name=ether5]\n");

	(void)state;
	assert_no_errors(r.d);
	run_free(&r);
}

/* ---- menus and verbs ---------------------------------------------------- */

static void test_path_only_line_changes_menu(void **state)
{
	struct run r = run_script("/ip firewall nat\nadd chain=srcnat action=masquerade\n");

	(void)state;
	assert_no_errors(r.d);
	assert_int_equal(model_count(r.m, MK_NAT4), 1);
	assert_int_equal(model_count(r.m, MK_FILTER4), 0);
	run_free(&r);
}

static void test_path_before_command_keeps_menu(void **state)
{
	struct run r = run_script("/ip firewall filter\nadd chain=a\n/ip firewall nat add chain=srcnat action=masquerade\n"
				  "add chain=b\n");

	(void)state;
	assert_no_errors(r.d);
	assert_int_equal(model_count(r.m, MK_NAT4), 1);
	assert_column(r.m, MK_FILTER4, "chain", "a b");
	run_free(&r);
}

static void test_slash_path_with_verb(void **state)
{
	struct run r = run_script("/ip/firewall/filter/add chain=a\n/ipv6/firewall/filter\nadd chain=b\n");

	(void)state;
	assert_no_errors(r.d);
	assert_int_equal(model_count(r.m, MK_FILTER4), 1);
	assert_int_equal(model_count(r.m, MK_FILTER6), 1);
	run_free(&r);
}

static void test_relative_path_from_current_menu(void **state)
{
	struct run r = run_script("/ip firewall\nfilter add chain=a\nnat add chain=srcnat action=masquerade\n");

	(void)state;
	assert_no_errors(r.d);
	assert_int_equal(model_count(r.m, MK_FILTER4), 1);
	assert_int_equal(model_count(r.m, MK_NAT4), 1);
	run_free(&r);
}

static void test_block_form_runs_in_its_menu(void **state)
{
	struct run r = run_script("/ip firewall {\n  filter add chain=a\n  address-list add list=l address=10.0.0.1\n}\n"
				  "/ip firewall { nat add chain=srcnat action=masquerade }\n");

	(void)state;
	assert_no_errors(r.d);
	assert_int_equal(model_count(r.m, MK_FILTER4), 1);
	assert_int_equal(model_count(r.m, MK_ADDRLIST4), 1);
	assert_int_equal(model_count(r.m, MK_NAT4), 1);
	run_free(&r);
}

static void test_verb_abbreviation(void **state)
{
	struct run r = run_script(FILTER_ABC "rem 0\n");

	(void)state;
	assert_no_errors(r.d);
	assert_column(r.m, MK_FILTER4, "chain", "b c");
	run_free(&r);
}

static void test_menu_abbreviation(void **state)
{
	struct run r = run_script("/ip fire filt add chain=a\n/ip firewall addr add list=l address=10.0.0.1\n");

	(void)state;
	assert_no_errors(r.d);
	assert_int_equal(model_count(r.m, MK_FILTER4), 1);
	assert_int_equal(model_count(r.m, MK_ADDRLIST4), 1);
	run_free(&r);
}

static void test_read_only_verbs_change_nothing(void **state)
{
	struct run r = run_script(FILTER_ABC "print\nexport\nreset-counters-all\n");

	(void)state;
	assert_diag_count(r.d, 0);
	assert_column(r.m, MK_FILTER4, "chain", "a b c");
	run_free(&r);
}

static void test_foreign_menu_one_note_per_menu(void **state)
{
	struct run r = run_script("/system identity set name=x\n/system identity set name=y\n"
				  "/system identity\nset name=z\n/system clock set time-zone-name=UTC\n"
				  "/ip dns\nset servers=1.1.1.1\n");

	(void)state;
	assert_no_errors(r.d);
	assert_no_warnings(r.d);
	assert_diag_count(r.d, 3);
	assert_diag(r.d, DIAG_NOTE, 1, 1, "/system identity");
	assert_diag(r.d, DIAG_NOTE, 5, 1, "/system clock");
	assert_diag(r.d, DIAG_NOTE, 6, 1, "/ip dns");
	run_free(&r);
}

static void test_foreign_menu_does_not_change_firewall(void **state)
{
	struct run r = run_script("/ip firewall filter\nadd chain=a\n/system identity\nset name=x\nadd chain=b\n");

	(void)state;
	assert_no_errors(r.d);
	/* `add chain=b` runs under /system identity, not the filter. */
	assert_int_equal(model_count(r.m, MK_FILTER4), 1);
	run_free(&r);
}

/* What RouterOS writes in a menu rosfw passes over is read and passed over:
 * roots of v6 and of boards with a screen, CALEA's copies, anything an
 * interface menu holds beside the names, selectors never run. */
static void test_passed_over_menus_never_error(void **state)
{
	struct run r = run_script("/lcd\nset color-scheme=dark\n"			/* 1 */
				  "/tr069-client\nset enabled=no\n"			/* 3 */
				  "/metarouter\nadd name=mr1\n"			/* 5 */
				  "/ip firewall calea\nadd action=sniff chain=forward sniff-id=1\n" /* 7 */
				  "add action=sniff chain=forward\n"			/* 9 */
				  "/interface wireless\nset [ find default-name=wlan1 ] band=2ghz-b/g/n \"x\" y\n" /* 10 */
				  "/interface vlan\nadd interface=ether1 name=vlan10 vlan-id=10\nset vlan10 mtu=1500 extra\n" /* 12 */
				  "/ip dhcp-server lease\nset [ find where !dynamic $x ] *5 \"y\"\n");	/* 15 */
	const struct miface *f;

	(void)state;
	assert_no_errors(r.d);
	assert_no_warnings(r.d);
	assert_diag(r.d, DIAG_NOTE, 1, 1, "/lcd is not part of the firewall");
	assert_diag(r.d, DIAG_NOTE, 3, 1, "/tr069-client");
	assert_diag(r.d, DIAG_NOTE, 5, 1, "/metarouter");
	assert_diag(r.d, DIAG_NOTE, 8, 1, "/ip firewall calea only copies packets");
	assert_diag(r.d, DIAG_NOTE, 15, 1, "/ip dhcp-server lease");
	assert_diag_count(r.d, 5);
	/* the names are still read */
	assert_int_equal(model_ifaces(r.m, &f), 1);
	assert_string_equal(f[0].name, "vlan10");
	run_free(&r);
}

/* Beside a name, a stray argument is a hand edit RouterOS refuses
 * (`name= ether1-WAN`): the name rosfw would read is not the one meant. */
static void test_interface_stray_argument_beside_name_is_error(void **state)
{
	struct run r = run_script("/interface ethernet\nset [ find default-name=ether1 ] name= ether1-WAN\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 40, "unexpected argument after set");
	run_free(&r);
}

/* ---- dump --------------------------------------------------------------- */

static const char small_script[] =
	"/interface bridge add name=br1\n"
	"/interface list\nadd name=LAN\n"
	"/interface list member\nadd list=LAN interface=br1\n"
	"/ip firewall address-list\nadd list=bad address=192.0.2.0/24 comment=\"test net\"\n"
	"/ip firewall filter\n"
	"add chain=input action=accept connection-state=established,related\n"
	"add chain=input action=drop in-interface-list=!LAN disabled=yes\n"
	"add chain=input action=drop src-address-list=bad place-before=0\n"
	"/ip firewall nat add chain=srcnat action=masquerade out-interface=br1\n"
	"/ip firewall service-port set ftp disabled=yes\n";

static const char small_dump[] =
	"# rosfw dump: the firewall configuration the script leaves behind\n"
	"/interface bridge\n"
	"add name=br1\n"
	"/interface list\n"
	"add name=LAN\n"
	"/interface list member\n"
	"add interface=br1 list=LAN\n"
	"/ip firewall address-list\n"
	"add address=192.0.2.0/24 comment=\"test net\" list=bad\n"
	"/ip firewall filter\n"
	"add action=drop chain=input src-address-list=bad\n"
	"add action=accept chain=input connection-state=established,related\n"
	"add action=drop chain=input disabled=yes in-interface-list=!LAN\n"
	"/ip firewall nat\n"
	"add action=masquerade chain=srcnat out-interface=br1\n"
	"/ip firewall service-port\n"
	"set ftp disabled=yes\n";

static void test_dump_small_script(void **state)
{
	struct run r = run_script(small_script);
	char *out;

	(void)state;
	assert_diag_count(r.d, 0);
	out = dump_str(r.m);
	assert_string_equal(out, small_dump);
	free(out);
	run_free(&r);
}

static void test_dump_of_dump_is_identical(void **state)
{
	struct run r = run_script(small_script), r2;
	char *first, *second;

	(void)state;
	first = dump_str(r.m);
	r2 = run_script(first);
	assert_diag_count(r2.d, 0);
	second = dump_str(r2.m);
	assert_string_equal(first, second);
	run_free(&r2);
	run_free(&r);
	free(first);
	free(second);
}

static void test_dump_quotes_and_escapes_values(void **state)
{
	struct run r = run_script("/ip firewall filter\n"
				  "add chain=a comment=\"say \\\"hi\\\" \\$5 a\\\\b\" log-prefix=\"\"\n");
	char *out, *again;
	struct run r2;

	(void)state;
	assert_no_errors(r.d);
	assert_string_equal(item_prop(r.m, MK_FILTER4, 0, "comment"), "say \"hi\" $5 a\\b");
	out = dump_str(r.m);
	assert_non_null(strstr(out, "comment=\"say \\\"hi\\\" \\$5 a\\\\b\""));
	r2 = run_script(out);
	assert_no_errors(r2.d);
	assert_string_equal(item_prop(r2.m, MK_FILTER4, 0, "comment"), "say \"hi\" $5 a\\b");
	again = dump_str(r2.m);
	assert_string_equal(out, again);
	free(again);
	free(out);
	run_free(&r2);
	run_free(&r);
}

static void test_dump_of_empty_script_is_header_only(void **state)
{
	struct run r = run_script("");
	char *out;

	(void)state;
	out = dump_str(r.m);
	assert_string_equal(out, "# rosfw dump: the firewall configuration the script leaves behind\n");
	free(out);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_appends_in_order),
		cmocka_unit_test(test_add_keeps_values_and_location),
		cmocka_unit_test(test_unset_property_reads_menu_default),
		cmocka_unit_test(test_values_are_parsed_once),
		cmocka_unit_test(test_text_with_nul_bytes),
		cmocka_unit_test(test_add_with_unset_properties),
		cmocka_unit_test(test_set_with_unset_properties),
		cmocka_unit_test(test_unset_unknown_property),
		cmocka_unit_test(test_add_disabled_yes),
		cmocka_unit_test(test_place_before_number),
		cmocka_unit_test(test_place_before_find),
		cmocka_unit_test(test_set_by_number),
		cmocka_unit_test(test_set_by_number_list),
		cmocka_unit_test(test_set_by_find),
		cmocka_unit_test(test_set_by_find_regex_and_not_equal),
		cmocka_unit_test(test_set_by_numbers_prop),
		cmocka_unit_test(test_set_find_matching_nothing_changes_nothing),
		cmocka_unit_test(test_numbering_after_remove),
		cmocka_unit_test(test_numbering_after_place_before),
		cmocka_unit_test(test_remove_numbers_list),
		cmocka_unit_test(test_remove_find_on_address_list),
		cmocka_unit_test(test_remove_find_all),
		cmocka_unit_test(test_disable_and_enable),
		cmocka_unit_test(test_set_disabled_property),
		cmocka_unit_test(test_comment_verb),
		cmocka_unit_test(test_unset_value_name),
		cmocka_unit_test(test_copy_from),
		cmocka_unit_test(test_move_to_front),
		cmocka_unit_test(test_move_without_destination_goes_to_end),
		cmocka_unit_test(test_move_destination_prop),
		cmocka_unit_test(test_move_by_find),
		cmocka_unit_test(test_move_keeps_identity),
		cmocka_unit_test(test_service_port_builtins_exist),
		cmocka_unit_test(test_service_port_rtsp_disabled_by_default),
		cmocka_unit_test(test_service_port_set_by_name),
		cmocka_unit_test(test_ip_service_builtins_exist),
		cmocka_unit_test(test_ip_service_selectors),
		cmocka_unit_test(test_ip_service_refusals),
		cmocka_unit_test(test_interface_list_builtins_exist),
		cmocka_unit_test(test_interface_list_add_and_members),
		cmocka_unit_test(test_conntrack_is_one_item),
		cmocka_unit_test(test_interface_name_from_add),
		cmocka_unit_test(test_interface_rename_by_default_name),
		cmocka_unit_test(test_interface_rename_by_id_is_warned),
		cmocka_unit_test(test_bridge_use_ip_firewall_is_warned),
		cmocka_unit_test(test_interface_menu_commands_are_not_errors),
		cmocka_unit_test(test_path_only_line_changes_menu),
		cmocka_unit_test(test_path_before_command_keeps_menu),
		cmocka_unit_test(test_slash_path_with_verb),
		cmocka_unit_test(test_relative_path_from_current_menu),
		cmocka_unit_test(test_block_form_runs_in_its_menu),
		cmocka_unit_test(test_verb_abbreviation),
		cmocka_unit_test(test_menu_abbreviation),
		cmocka_unit_test(test_read_only_verbs_change_nothing),
		cmocka_unit_test(test_foreign_menu_one_note_per_menu),
		cmocka_unit_test(test_foreign_menu_does_not_change_firewall),
		cmocka_unit_test(test_passed_over_menus_never_error),
		cmocka_unit_test(test_interface_stray_argument_beside_name_is_error),
		cmocka_unit_test(test_dump_small_script),
		cmocka_unit_test(test_dump_of_dump_is_identical),
		cmocka_unit_test(test_dump_quotes_and_escapes_values),
		cmocka_unit_test(test_dump_of_empty_script_is_header_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
