/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Diagnostics: one test per class of error, each asserting the message, its
 * level and where it points (line and first column, as diag_at gives them).
 */
#include "helpers.h"

#define FILTER "/ip firewall filter\n"

/* ---- properties and values ---------------------------------------------- */

static void test_unknown_property_with_did_you_mean(void **state)
{
	/*                         12345678901234567890123456 */
	struct run r = run_script(FILTER "add chain=input src-adress=10.0.0.1\n");
	const struct diag_msg *m;

	(void)state;
	m = assert_diag(r.d, DIAG_ERROR, 2, 17, "unknown property \"src-adress\"");
	assert_non_null(strstr(m->text, "did you mean \"src-address\""));
	/* The caret covers the name only. */
	assert_int_equal(m->loc.last_line, 2);
	assert_int_equal(m->loc.last_col, 26);
	assert_int_equal(diag_errors(r.d), 1);
	run_free(&r);
}

static void test_unknown_property_far_from_any(void **state)
{
	struct run r = run_script(FILTER "add chain=input zzzzqqqq=1\n");
	const struct diag_msg *m;

	(void)state;
	m = assert_diag(r.d, DIAG_ERROR, 2, 17, "unknown property \"zzzzqqqq\"");
	assert_null(strstr(m->text, "did you mean"));
	run_free(&r);
}

static void test_invalid_value_points_at_bad_list_element(void **state)
{
	/*                         123456789012345678901234567890123456789012 */
	struct run r = run_script(FILTER "add chain=input protocol=tcp dst-port=80,70000\n");
	const struct diag_msg *m;

	(void)state;
	m = assert_diag(r.d, DIAG_ERROR, 2, 42, "invalid dst-port");
	assert_non_null(strstr(m->text, "70000"));
	assert_int_equal(m->loc.last_col, 46);
	assert_int_equal(diag_errors(r.d), 1);
	run_free(&r);
}

static void test_invalid_value_in_quotes_points_inside_quotes(void **state)
{
	struct run r = run_script(FILTER "add chain=input protocol=tcp dst-port=\"80,70000\"\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 43, "invalid dst-port");
	run_free(&r);
}

/* Quotes in the middle of a value are not in the decoded text: the caret
 * must still land on the bad element. */
static void test_invalid_value_after_quoted_part_points_at_element(void **state)
{
	/*                         12345678901234567890123456789012345678901234 */
	struct run r = run_script(FILTER "add chain=input protocol=tcp dst-port=\"80\",70000\n");

	(void)state;
	/* A value quoted only in part does not map byte for byte onto its
	 * source, so the caret marks the whole value and the message names
	 * the element. */
	assert_diag(r.d, DIAG_ERROR, 2, 39, "invalid dst-port");
	assert_diag(r.d, DIAG_ERROR, 2, 39, "70000");
	run_free(&r);
}

static void test_duplicate_property_is_warning(void **state)
{
	struct run r = run_script(FILTER "add chain=x chain=y\n");

	(void)state;
	assert_no_errors(r.d);
	assert_diag(r.d, DIAG_WARNING, 2, 5, "given more than once");
	assert_string_equal(item_prop(r.m, MK_FILTER4, 0, "chain"), "y");
	run_free(&r);
}

/* Each dropped one says which one counts: the last, with its value. */
static void test_duplicate_property_names_the_one_that_counts(void **state)
{
	struct run r = run_script(FILTER "add chain=input src-address-list=a src-address-list=!b action=drop "
					 "src-address-list=c\n");

	(void)state;
	assert_no_errors(r.d);
	assert_int_equal(diag_count_level(r.d, DIAG_WARNING), 2);
	assert_int_equal(diag_at(r.d, 0)->loc.col, 17);
	assert_string_equal(diag_at(r.d, 0)->text,
			    "src-address-list is given more than once; the last one counts: src-address-list=c at line 2, "
			    "column 68, and this one is not used");
	assert_int_equal(diag_at(r.d, 1)->loc.col, 36);
	assert_string_equal(diag_at(r.d, 1)->text, diag_at(r.d, 0)->text);
	assert_string_equal(item_prop(r.m, MK_FILTER4, 0, "src-address-list"), "c");
	run_free(&r);
}

static void test_place_before_only_on_add(void **state)
{
	struct run r = run_script(FILTER "add chain=x\nset 0 place-before=0\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 3, 7, "can only be given to add");
	run_free(&r);
}

static void test_not_equal_outside_find_is_error(void **state)
{
	struct run r = run_script(FILTER "add chain=x\nset 0 chain!=y\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 3, 7, "expected name=value");
	run_free(&r);
}

/* ---- rules RouterOS refuses --------------------------------------------- */

static void test_ports_without_protocol(void **state)
{
	/*                         12345678901234567890123456 */
	struct run r = run_script(FILTER "add chain=input dst-port=22\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 26, "dst-port needs protocol=");
	run_free(&r);
}

static void test_ports_with_portless_protocol(void **state)
{
	struct run r = run_script(FILTER "add chain=input protocol=icmp src-port=22\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 0, "src-port needs protocol=");
	run_free(&r);
}

static void test_ports_with_tcp_are_fine(void **state)
{
	struct run r = run_script(FILTER "add chain=input protocol=tcp dst-port=22\nadd chain=input protocol=6 port=53\n");

	(void)state;
	assert_diag_count(r.d, 0);
	run_free(&r);
}

static void test_ports_error_when_protocol_unset_later(void **state)
{
	struct run r = run_script(FILTER "add chain=input protocol=tcp dst-port=22\nunset 0 value-name=protocol\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 0, "dst-port needs protocol=");
	run_free(&r);
}

static void test_jump_without_jump_target(void **state)
{
	struct run r = run_script(FILTER "add chain=input action=jump\n");
	const struct diag_msg *m;

	(void)state;
	m = assert_diag(r.d, DIAG_ERROR, 2, 1, "action=jump needs jump-target=");
	assert_int_equal(m->loc.last_col, 27);
	run_free(&r);
}

/* randomise-ports (v7, IPv4 NAT) is read by masquerade and src-nat; on
 * another action rosfw applies nothing of it and says so. */
static void test_randomise_ports(void **state)
{
	struct run r = run_script("/ip firewall nat\n"
				  "add chain=srcnat action=masquerade randomise-ports=yes\n"
				  "add chain=srcnat action=src-nat to-addresses=1.2.3.4 randomise-ports=yes\n"
				  "add chain=dstnat action=dst-nat to-addresses=10.0.0.1 randomise-ports=no\n"
				  "add chain=dstnat action=dst-nat to-addresses=10.0.0.1 randomise-ports=yes\n"
				  "/ipv6 firewall nat\n"
				  "add chain=srcnat action=masquerade randomise-ports=yes\n");

	(void)state;
	assert_diag(r.d, DIAG_WARNING, 5, 0, "randomise-ports is applied to action=masquerade and src-nat; with action=dst-nat");
	assert_diag(r.d, DIAG_ERROR, 7, 0, "unknown property \"randomise-ports\" for /ipv6 firewall nat");
	assert_diag_count(r.d, 2);
	run_free(&r);
}

static void test_add_src_to_address_list_without_list(void **state)
{
	struct run r = run_script(FILTER "add chain=input action=add-src-to-address-list\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 1, "action=add-src-to-address-list needs address-list=");
	run_free(&r);
}

static void test_rule_without_chain(void **state)
{
	struct run r = run_script(FILTER "add action=drop\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 1, "needs chain=");
	assert_int_equal(diag_errors(r.d), 1);
	run_free(&r);
}

/* ---- what a live router leaves: ids of deleted objects ------------------- */

/* Disabled, a rule naming a deleted object changes nothing: a warning at
 * each reference, naming it, and the file stays good. */
static void test_deleted_object_in_disabled_rule_warns(void **state)
{
	/*                                              1234567890123456789012345678901234567890123456 */
	struct run r = run_script(FILTER "add action=drop chain=forward disabled=yes layer7-protocol=*1\n"
				  "add action=drop chain=forward disabled=yes in-interface=!*5 src-address-list=*3\n"
				  "add action=drop chain=forward in-interface-list=*1F\nset 2 disabled=yes\n");

	(void)state;
	assert_no_errors(r.d);
	assert_diag(r.d, DIAG_WARNING, 2, 60, "layer7-protocol=*1 names an object the router had deleted (RouterOS exports it as *1)");
	assert_diag(r.d, DIAG_WARNING, 3, 57, "in-interface=!*5 names an object the router had deleted (RouterOS exports it as *5)");
	assert_diag(r.d, DIAG_WARNING, 3, 0, "src-address-list=*3 names");
	assert_diag(r.d, DIAG_WARNING, 4, 0, "in-interface-list=*1F names");
	assert_int_equal(diag_count_level(r.d, DIAG_WARNING), 4);
	run_free(&r);
}

/* Active, what the rule should match is lost: one error that says what
 * the *N is, not "no layer7 protocol named" or an empty list. */
static void test_deleted_object_in_active_rule_is_error(void **state)
{
	struct run r = run_script(FILTER "add action=drop chain=forward layer7-protocol=*1\n"
				  "add action=drop chain=forward in-interface-list=*2 out-interface=*A\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 47, "layer7-protocol=*1: the router had deleted this object; RouterOS exports it as *1");
	assert_diag(r.d, DIAG_ERROR, 3, 0, "in-interface-list=*2: the router had deleted this object");
	assert_diag(r.d, DIAG_ERROR, 3, 0, "out-interface=*A: the router had deleted this object");
	assert_int_equal(diag_errors(r.d), 3);
	assert_no_warnings(r.d);
	run_free(&r);
}

/* Members a removed interface or list left behind put nothing in a list:
 * each is skipped with a warning naming it. */
static void test_dead_interface_list_members_warn(void **state)
{
	struct run r = run_script("/interface list\nadd name=LAN\n/interface list member\n"
				  "add list=LAN\n"			/* 4 */
				  "add disabled=yes interface=*9 list=LAN\n"	/* 5 */
				  "add interface=ether2\n"		/* 6 */
				  "add interface=ether3 list=*4\n"	/* 7 */
				  "add interface=ether1 list=LAN\n"
				  "add comment=x\n");			/* 9 */

	(void)state;
	assert_diag(r.d, DIAG_WARNING, 4, 1, "member of interface list \"LAN\" without interface=");
	assert_diag(r.d, DIAG_WARNING, 5, 28, "interface list member interface=*9: the router had deleted this object");
	assert_diag(r.d, DIAG_WARNING, 6, 1, "interface list member \"ether2\" without list=");
	assert_diag(r.d, DIAG_WARNING, 7, 0, "interface list member list=*4: the router had deleted this object");
	assert_int_equal(diag_count_level(r.d, DIAG_WARNING), 4);
	/* with neither, it is no export's */
	assert_diag(r.d, DIAG_ERROR, 9, 1, "an interface list member needs list= and interface=");
	assert_int_equal(diag_errors(r.d), 1);
	assert_int_equal(model_count(r.m, MK_IFLIST_MEMBER), 2);
	run_free(&r);
}

/* ---- menus -------------------------------------------------------------- */

static void test_unknown_menu_under_ip_firewall(void **state)
{
	/*                         12345678901234 */
	struct run r = run_script("/ip firewall foo\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 1, 14, "unknown menu or command \"foo\" in /ip firewall");
	run_free(&r);
}

static void test_unknown_verb_in_firewall_menu(void **state)
{
	struct run r = run_script(FILTER "frobnicate chain=x\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 1, "\"frobnicate\"");
	assert_int_equal(model_count(r.m, MK_FILTER4), 0);
	run_free(&r);
}

static void test_firewall_typo_did_you_mean(void **state)
{
	struct run r = run_script("/ip firewll filter\nadd chain=x\n");
	const struct diag_msg *m;

	(void)state;
	m = assert_diag(r.d, DIAG_ERROR, 1, 5, "unknown menu \"firewll\"");
	assert_non_null(strstr(m->text, "did you mean \"firewall\""));
	assert_int_equal(m->loc.last_col, 11);
	run_free(&r);
}

static void test_settings_menu_refuses_add(void **state)
{
	struct run r = run_script("/ip firewall connection tracking\nadd udp-timeout=10s\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 1, "holds settings");
	assert_int_equal(model_count(r.m, MK_CONNTRACK), 1);
	run_free(&r);
}

/* /import reads FILE beside the importing file; one that is not there is
 * an error at the command. */
static void test_import_missing_file_is_error(void **state)
{
	struct run r = run_script("/import file-name=other.rsc\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 1, 1, "import: other.rsc: No such file");
	run_free(&r);
}

/* ---- scripting (issue 16: run, not refused; tests/unit/test_script.c has
 * the language itself) --------------------------------------------------- */

static void test_scripting_command_runs(void **state)
{
	struct run r = run_script(":global x 5\n");

	(void)state;
	assert_diag_count(r.d, 0);
	run_free(&r);
}

static void test_scripting_inside_block_runs(void **state)
{
	struct run r = run_script("/ip firewall filter add chain=a\n"
				  ":foreach i in=[/ip firewall filter find] do={\n  :put $i\n}\n");

	(void)state;
	assert_no_errors(r.d);
	assert_diag(r.d, DIAG_NOTE, 3, 3, ":put: *");
	run_free(&r);
}

/* RouterOS runs its scripting commands without the ':' as well; read as a
 * menu, `do { }` was passed over with the rules inside it, exit 0. */
static void test_scripting_without_colon_runs(void **state)
{
	struct run r = run_script("do {\n    /ip firewall filter add chain=input action=drop comment=\"inside do\"\n}\n");

	(void)state;
	assert_diag_count(r.d, 0);
	assert_int_equal(model_count(r.m, MK_FILTER4), 1);
	run_free(&r);
}

static void test_scripting_without_colon_on_error_runs(void **state)
{
	struct run r = run_script("do {\n  /ip firewall filter add chain=input action=drop\n} on-error={}\n");

	(void)state;
	assert_diag_count(r.d, 0);
	assert_int_equal(model_count(r.m, MK_FILTER4), 1);
	run_free(&r);
}

static void test_scripting_without_colon_in_foreign_menu(void **state)
{
	struct run r = run_script("/system\nif ($a = 1) do={ /ip firewall filter add chain=input action=drop }\n"
				  "/do { }\nglobal x 1\nlocal y 2\nforeach i in={1;2} do={ }\nput \"hi\"\n");

	(void)state;
	assert_no_errors(r.d);
	assert_diag(r.d, DIAG_WARNING, 2, 5, "undefined variable $a");
	assert_diag(r.d, DIAG_NOTE, 7, 1, ":put: hi");
	assert_int_equal(model_count(r.m, MK_FILTER4), 0);
	run_free(&r);
}

/* Below the root a menu's own command may share a scripting name. */
static void test_menu_command_named_like_scripting(void **state)
{
	struct run r = run_script("/log\nerror \"x\"\n/ip firewall filter\nset 0 disabled=no\n");

	(void)state;
	assert_no_warnings(r.d);
	run_free(&r);
}

/* Menus rosfw passes over whose items are firewall rules: a warning with
 * how many, once per menu at its first rule, never a note. */
static void test_untranslated_firewall_menus_warn_with_count(void **state)
{
	struct run r = run_script("/ip hotspot walled-garden\nadd dst-host=a.example\n"
				  "add dst-host=b.example disabled=yes\n"
				  "/ip/hotspot/walled-garden/add dst-host=c.example\n"
				  "/ip hotspot\nadd interface=ether2 name=hs1\n"
				  "/ip hotspot walled-garden ip\nadd action=accept dst-address=1.2.3.4\n"
				  "/ip hotspot profile\nadd name=p1\n");
	const struct diag_msg *m;

	(void)state;
	assert_no_errors(r.d);
	m = assert_diag(r.d, DIAG_WARNING, 2, 1, "/ip hotspot walled-garden holds 3 rules (1 of them disabled)");
	assert_non_null(strstr(m->text, "not applied"));
	assert_diag(r.d, DIAG_WARNING, 6, 1, "/ip hotspot holds 1 hotspot server");
	assert_diag(r.d, DIAG_WARNING, 8, 1, "/ip hotspot walled-garden ip holds 1 rule");
	assert_diag(r.d, DIAG_NOTE, 9, 1, "/ip hotspot profile is not part of the firewall");
	assert_diag_count(r.d, 4);
	run_free(&r);
}

static void test_log_command_is_a_note(void **state)
{
	struct run r = run_script(":log info \"x\"\n:put hello\n");

	(void)state;
	assert_no_errors(r.d);
	assert_no_warnings(r.d);
	assert_diag(r.d, DIAG_NOTE, 1, 1, ":log info: x");
	assert_diag(r.d, DIAG_NOTE, 2, 1, ":put: hello");
	run_free(&r);
}

static void test_variable_in_value(void **state)
{
	struct run r = run_script(":local c \"input\"\n" FILTER "add chain=$c\n");

	(void)state;
	assert_diag_count(r.d, 0);
	assert_int_equal(model_count(r.m, MK_FILTER4), 1);
	run_free(&r);
}

/* An undefined variable is nothing, with a warning at the $ (a global
 * another file sets, usually). */
static void test_variable_inside_quoted_value_points_at_dollar(void **state)
{
	/*                         1234567890123456789012345678 */
	struct run r = run_script(FILTER "add chain=input comment=\"a $x\"\n");

	(void)state;
	assert_no_errors(r.d);
	assert_diag(r.d, DIAG_WARNING, 2, 28, "undefined variable $x");
	assert_string_equal(item_prop(r.m, MK_FILTER4, 0, "comment"), "a ");
	run_free(&r);
}

static void test_escaped_dollar_is_text(void **state)
{
	struct run r = run_script(FILTER "add chain=input comment=\"cost \\$5\"\n");

	(void)state;
	assert_diag_count(r.d, 0);
	assert_string_equal(item_prop(r.m, MK_FILTER4, 0, "comment"), "cost $5");
	run_free(&r);
}

/* What only the router knows is refused where it is asked. */
static void test_command_substitution_asking_the_router(void **state)
{
	struct run r = run_script(FILTER "add chain=[/system identity get name]\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 12, "/system identity needs the router");
	assert_int_equal(model_count(r.m, MK_FILTER4), 0);
	run_free(&r);
}

static void test_variable_as_selector(void **state)
{
	struct run r = run_script(FILTER "add chain=x\n:local n 0\nset $n action=drop\n");

	(void)state;
	assert_diag_count(r.d, 0);
	assert_string_equal(item_prop(r.m, MK_FILTER4, 0, "action"), "drop");
	run_free(&r);
}

/* ---- selectors ---------------------------------------------------------- */

static void test_item_number_out_of_range(void **state)
{
	struct run r = run_script(FILTER "add chain=a\nadd chain=b\nset 5 action=drop\n");
	const struct diag_msg *m;

	(void)state;
	m = assert_diag(r.d, DIAG_ERROR, 4, 5, "no item number 5 in /ip firewall filter");
	assert_non_null(strstr(m->text, "it has 2 items"));
	run_free(&r);
}

static void test_item_number_in_empty_menu(void **state)
{
	struct run r = run_script(FILTER "remove 0\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 8, "no item number 0");
	run_free(&r);
}

static void test_set_without_selector(void **state)
{
	struct run r = run_script(FILTER "add chain=a\nset action=drop\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 3, 1, "needs item numbers");
	run_free(&r);
}

static void test_internal_id_refused(void **state)
{
	struct run r = run_script(FILTER "add chain=a\nset *1 action=drop\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 3, 5, "internal item IDs");
	run_free(&r);
}

static void test_find_unknown_property(void **state)
{
	struct run r = run_script(FILTER "add chain=a\nset [find nosuch=1] action=drop\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 3, 11, "has no property \"nosuch\"");
	run_free(&r);
}

static void test_no_such_named_item(void **state)
{
	struct run r = run_script("/ip firewall service-port\nset nosuch disabled=yes\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 5, "no item named \"nosuch\"");
	run_free(&r);
}

static void test_remove_builtin_service_port(void **state)
{
	struct run r = run_script("/ip firewall service-port\nremove ftp\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 8, "cannot be removed");
	assert_non_null(item_named(r.m, MK_SERVICE_PORT, "ftp"));
	run_free(&r);
}

static void test_remove_builtin_interface_list(void **state)
{
	struct run r = run_script("/interface list\nremove [find name=all]\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 8, "cannot be removed");
	assert_int_equal(model_count(r.m, MK_IFLIST), 4);
	run_free(&r);
}

/* ---- references between menus ------------------------------------------- */

static void test_undefined_interface_list_is_warning(void **state)
{
	/*                         12345678901234567890123456789012345 */
	struct run r = run_script(FILTER "add chain=input in-interface-list=NOPE\n"
				  "add chain=forward in-interface-list=!NOPE\n");

	(void)state;
	assert_no_errors(r.d);
	assert_diag(r.d, DIAG_WARNING, 2, 35, "no interface list named \"NOPE\"");
	/* Said once, not at every use. */
	assert_int_equal(diag_warnings(r.d), 1);
	run_free(&r);
}

static void test_defined_and_builtin_interface_lists_are_fine(void **state)
{
	struct run r = run_script(FILTER "add chain=input in-interface-list=LAN\nadd chain=input in-interface-list=!all\n"
				  "/interface list add name=LAN\n");

	(void)state;
	/* model_finish looks at the whole configuration: order does not matter. */
	assert_diag_count(r.d, 0);
	run_free(&r);
}

static void test_undefined_interface_list_in_member(void **state)
{
	struct run r = run_script("/interface list member add list=NOPE interface=ether1\n");

	(void)state;
	assert_no_errors(r.d);
	assert_diag(r.d, DIAG_WARNING, 1, 33, "no interface list named \"NOPE\"");
	run_free(&r);
}

static void test_undefined_layer7_protocol_is_error(void **state)
{
	/*                         123456789012345678901234567890123 */
	struct run r = run_script(FILTER "add chain=input layer7-protocol=nope\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 33, "no layer7 protocol named \"nope\"");
	run_free(&r);
}

static void test_defined_layer7_protocol_is_fine(void **state)
{
	struct run r = run_script("/ip firewall layer7-protocol add name=yt regexp=\"^.*youtube\"\n"
				  FILTER "add chain=forward layer7-protocol=yt action=drop\n");

	(void)state;
	assert_diag_count(r.d, 0);
	run_free(&r);
}

static void test_address_list_entry_without_address_is_skipped(void **state)
{
	struct run r = run_script("/ip firewall address-list\nadd list=z\nadd list=z address=10.0.0.1\n");

	(void)state;
	assert_no_errors(r.d);
	assert_diag(r.d, DIAG_WARNING, 2, 1, "without address=");
	assert_int_equal(model_count(r.m, MK_ADDRLIST4), 1);
	run_free(&r);
}

/* ---- syntax errors and the error cap ------------------------------------ */

static void test_syntax_error_location(void **state)
{
	/*                         1234567890123456 */
	struct run r = run_script(FILTER "add chain=input )\nadd chain=forward\n");

	(void)state;
	assert_diag(r.d, DIAG_ERROR, 2, 17, "syntax error");
	assert_int_equal(diag_errors(r.d), 1);
	/* The broken command is dropped; the next one runs. */
	assert_column(r.m, MK_FILTER4, "chain", "forward");
	run_free(&r);
}

static void test_diagnostics_sorted_by_position(void **state)
{
	/* The warning on line 2 comes from model_finish, after the errors
	 * of lines 3 and 4 were found. */
	struct run r = run_script(FILTER "add chain=input in-interface-list=NOPE\nadd chain=input zz=1\nadd action=drop\n");
	size_t i;

	(void)state;
	assert_int_equal(diag_count(r.d), 3);
	assert_int_equal(diag_at(r.d, 0)->level, DIAG_WARNING);
	assert_int_equal(diag_at(r.d, 0)->loc.line, 2);
	for (i = 1; i < diag_count(r.d); i++) {
		const struct loc *a = &diag_at(r.d, i - 1)->loc, *b = &diag_at(r.d, i)->loc;

		assert_true(a->line < b->line || (a->line == b->line && a->col <= b->col));
	}
	run_free(&r);
}

/* Notes are ordered by their own position like every other message, so the
 * order is total whatever the levels (qsort needs a consistent comparator). */
static void test_note_does_not_break_position_order(void **state)
{
	static const char src[] = "add chain=input zz=1 yy=2\n";
	struct diag *d = diag_new(10);
	uint32_t f = diag_add_source(d, "test.rsc", src, sizeof(src) - 1);
	struct loc late = { f, 1, 22, 1, 25 }, start = { f, 1, 1, 1, 3 }, early = { f, 1, 17, 1, 20 };

	(void)state;
	diag_error(d, &late, "late");
	diag_note(d, &start, "at the start");
	diag_error(d, &early, "early");
	assert_string_equal(diag_at(d, 0)->text, "at the start");
	assert_string_equal(diag_at(d, 1)->text, "early");
	assert_string_equal(diag_at(d, 2)->text, "late");
	diag_free(d);
}

static void test_error_cap_keeps_first_errors_and_counts_all(void **state)
{
	static const char src[] = FILTER "add chain=x a1=1 a2=2 a3=3 a4=4 a5=5\nadd chain=y zz=1\n";
	struct run r = run_script_cap(src, sizeof(src) - 1, 3);

	(void)state;
	assert_true(diag_full(r.d));
	assert_int_equal(diag_count(r.d), 3);
	/* Five errors on line 2 are counted; line 3 is never read. */
	assert_int_equal(diag_errors(r.d), 5);
	assert_int_equal(diag_at(r.d, 0)->loc.col, 13);
	assert_int_equal(diag_at(r.d, 2)->loc.col, 23);
	run_free(&r);
}

static void test_error_cap_stops_reading(void **state)
{
	static const char src[] = FILTER "add chain=x a1=1\nadd chain=x a2=1\nadd chain=x a3=1\nadd chain=x a4=1\n";
	struct run r = run_script_cap(src, sizeof(src) - 1, 3);

	(void)state;
	assert_true(diag_full(r.d));
	assert_int_equal(diag_count(r.d), 3);
	assert_int_equal(diag_at(r.d, 2)->loc.line, 4);
	run_free(&r);
}

/* When the cap cut the run short the user must be told, or three errors
 * look like all there are. */
static void test_error_cap_says_it_stopped(void **state)
{
	static const char src[] = FILTER "add chain=x a1=1\nadd chain=x a2=1\nadd chain=x a3=1\nadd chain=x a4=1\n"
				  "add chain=x a5=1\n";
	struct run r = run_script_cap(src, sizeof(src) - 1, 3);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	assert_non_null(f);
	diag_print(r.d, f);
	fclose(f);
	if (!strstr(out, "stopped after 3"))
		fail_msg("diag_print does not say the check stopped early:\n%s", out);
	free(out);
	run_free(&r);
}

/* A name that becomes a kernel set's or chain's name must fit the kernel's
 * 255 bytes after rosfw's prefix and escaping: an error where the name
 * first appears, once per name, never a name cut to fit. */
static void test_kernel_name_too_long_is_error_once(void **state)
{
	char l300[301], src[4096];
	struct run r;
	const struct diag_msg *m;

	(void)state;
	memset(l300, 'l', 300);
	l300[300] = '\0';
	snprintf(src, sizeof(src),
		 "/ip firewall address-list\n"
		 "add list=%s address=1.2.3.4\n"
		 "add list=%s address=1.2.3.5\n"
		 "/ip firewall filter\n"
		 "add chain=input src-address-list=%s\n"
		 "/interface list\n"
		 "add name=x include=%s\n"
		 "/interface list member\n"
		 "add list=%s interface=ether1\n",
		 l300, l300, l300, l300, l300);
	r = run_script(src);
	m = assert_diag(r.d, DIAG_ERROR, 2, 10, "list: this name (300 bytes) is too long for the kernel");
	assert_non_null(strstr(m->text, "set name al_"));
	assert_non_null(strstr(m->text, "303 bytes"));
	assert_non_null(strstr(m->text, "at most 255"));
	m = assert_diag(r.d, DIAG_ERROR, 7, 20, "include: this name (300 bytes) is too long");
	assert_non_null(strstr(m->text, "set name il_"));
	assert_int_equal(diag_errors(r.d), 2);
	run_free(&r);
}

/* Bytes outside [A-Za-z0-9_-] take three in the kernel's name. */
static void test_kernel_name_counts_escaped_bytes(void **state)
{
	char name[201], src[1024];
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < 84; i += 2)
		memcpy(name + i, "\xd0\xb0", 2);	/* 42 Cyrillic a: 84 bytes, 252 escaped */
	name[84] = '\0';
	snprintf(src, sizeof(src), "/ip firewall filter\nadd chain=forward dst-address-list=%s\n", name);
	r = run_script(src);
	assert_no_errors(r.d);
	run_free(&r);
	memcpy(name + 84, "\xd0\xb0", 3);
	snprintf(src, sizeof(src), "/ip firewall filter\nadd chain=forward dst-address-list=!%s\n", name);
	r = run_script(src);
	assert_diag(r.d, DIAG_ERROR, 2, 36, "dst-address-list: this name (86 bytes) is too long");
	run_free(&r);
}

/* ---- what the kernel would refuse ---------------------------------------- */

/* The kernel's masquerade and redirect have no address; exports write
 * to-addresses=0.0.0.0 for none. */
static void test_masquerade_redirect_take_no_address(void **state)
{
	struct run r = run_script("/ip firewall nat\n"
				  "add chain=srcnat action=masquerade to-addresses=192.0.2.1\n"
				  "add chain=dstnat action=redirect to-addresses=192.0.2.1 to-ports=80 protocol=tcp\n"
				  "add chain=srcnat action=masquerade to-addresses=0.0.0.0\n"
				  "/ipv6 firewall nat\n"
				  "add chain=srcnat action=masquerade to-addresses=::\n");
	const struct diag_msg *m;

	(void)state;
	m = assert_diag(r.d, DIAG_ERROR, 2, 49, "action=masquerade takes no to-addresses");
	assert_non_null(strstr(m->text, "action=src-nat chooses the address"));
	m = assert_diag(r.d, DIAG_ERROR, 3, 47, "action=redirect takes no to-addresses");
	assert_non_null(strstr(m->text, "action=dst-nat chooses the address"));
	assert_int_equal(diag_errors(r.d), 2);
	run_free(&r);
}

/* Source NAT only where srcnat runs, destination NAT only where dstnat
 * does, through jumps too: the kernel refuses the whole ruleset otherwise.
 * Disabled jumps load nothing; a chain nothing reaches is not checked by
 * the kernel either. */
static void test_nat_action_in_the_wrong_chain(void **state)
{
	struct run r = run_script("/ip firewall nat\n"
				  "add chain=dstnat action=masquerade\n"
				  "add chain=srcnat action=redirect to-ports=8080 protocol=tcp\n"
				  "add chain=dstnat action=jump jump-target=both\n"
				  "add chain=srcnat action=jump jump-target=both\n"
				  "add chain=both action=src-nat to-addresses=192.0.2.1\n"
				  "add chain=dstnat action=jump jump-target=off disabled=yes\n"
				  "add chain=off action=masquerade\n"
				  "add chain=nowhere action=dst-nat to-addresses=192.0.2.1\n"
				  "add chain=srcnat action=netmap src-address=10.0.0.0/24 to-addresses=192.0.2.0/24\n"
				  "add chain=dstnat action=netmap dst-address=192.0.2.0/24 to-addresses=10.0.0.0/24\n"
				  "add chain=srcnat action=jump jump-target=nm\n"
				  "add chain=nm action=netmap src-address=10.1.0.0/24 to-addresses=192.0.3.0/24\n"
				  "add chain=dstnat action=dst-nat to-addresses=10.0.0.1\n"
				  "/ipv6 firewall nat\n"
				  "add chain=dstnat action=src-nat to-addresses=2001:db8::1\n");
	const struct diag_msg *m;

	(void)state;
	m = assert_diag(r.d, DIAG_ERROR, 2, 25, "action=masquerade in chain dstnat: the kernel changes source addresses only in srcnat");
	m = assert_diag(r.d, DIAG_ERROR, 3, 25, "action=redirect in chain srcnat: the kernel changes destination addresses only in dstnat");
	m = assert_diag(r.d, DIAG_ERROR, 6, 23, "action=src-nat in chain both, which srcnat and dstnat reach through jumps");
	m = assert_diag(r.d, DIAG_ERROR, 13, 21, "action=netmap in chain nm, which srcnat reaches through jumps");
	assert_non_null(strstr(m->text, "netmap outside chain=srcnat maps destination addresses"));
	m = assert_diag(r.d, DIAG_ERROR, 16, 25, "action=src-nat in chain dstnat");
	assert_int_equal(diag_errors(r.d), 5);
	run_free(&r);
}

/* The kernel keeps set timeouts below 2^64 ns and refuses the ruleset
 * past it (ERANGE): 30500w3d23h34m33s is the last second that fits. */
static void test_set_timeouts_past_the_kernel(void **state)
{
	struct run r = run_script("/ip firewall address-list\n"
				  "add list=a address=192.0.2.1 timeout=100000w\n"
				  "add list=a address=192.0.2.2 timeout=30500w3d23h34m33s\n"
				  "/ip firewall filter\n"
				  "add chain=input action=add-src-to-address-list address-list=b address-list-timeout=30500w3d23h34m34s\n"
				  "add chain=input action=add-src-to-address-list address-list=b address-list-timeout=30500w3d23h34m33s\n"
				  "add chain=input dst-limit=10/1m,5,src-address/100000w\n"
				  "add chain=input dst-limit=10,5,src-address,30500w\n"
				  "/ip firewall connection tracking\n"
				  "set udp-timeout=100000w\n");
	const struct diag_msg *m;

	(void)state;
	m = assert_diag(r.d, DIAG_ERROR, 2, 38, "invalid timeout: 100000w is longer than the kernel keeps a set entry");
	assert_non_null(strstr(m->text, "at most 30500w3d23h34m33s"));
	assert_diag(r.d, DIAG_ERROR, 5, 84, "invalid address-list-timeout: 30500w3d23h34m34s is longer than the kernel keeps");
	assert_diag(r.d, DIAG_ERROR, 7, 47, "invalid dst-limit: 100000w is longer than the kernel keeps");
	/* Connection tracking timeouts are sysctls, not set timeouts. */
	assert_int_equal(diag_errors(r.d), 3);
	run_free(&r);
}

static void test_clean_script_has_no_diagnostics(void **state)
{
	struct run r = run_script("/interface list\nadd name=WAN\nadd name=LAN\n"
				  "/ip firewall filter\n"
				  "add action=accept chain=input connection-state=established,related,untracked\n"
				  "add action=drop chain=input connection-state=invalid\n"
				  "add action=accept chain=input protocol=icmp\n"
				  "add action=drop chain=input in-interface-list=!LAN\n"
				  "add action=jump chain=forward jump-target=fw\n"
				  "add action=add-src-to-address-list address-list=scan address-list-timeout=1d chain=fw "
				  "protocol=tcp psd=21,3s,3,1\n"
				  "/ip firewall nat\n"
				  "add action=masquerade chain=srcnat out-interface-list=WAN\n"
				  "add action=dst-nat chain=dstnat dst-port=8080 protocol=tcp to-addresses=192.168.88.2 to-ports=80\n");

	(void)state;
	assert_diag_count(r.d, 0);
	assert_int_equal(model_count(r.m, MK_FILTER4), 6);
	assert_int_equal(model_count(r.m, MK_NAT4), 2);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_property_with_did_you_mean),
		cmocka_unit_test(test_unknown_property_far_from_any),
		cmocka_unit_test(test_invalid_value_points_at_bad_list_element),
		cmocka_unit_test(test_invalid_value_in_quotes_points_inside_quotes),
		cmocka_unit_test(test_invalid_value_after_quoted_part_points_at_element),
		cmocka_unit_test(test_duplicate_property_is_warning),
		cmocka_unit_test(test_duplicate_property_names_the_one_that_counts),
		cmocka_unit_test(test_place_before_only_on_add),
		cmocka_unit_test(test_not_equal_outside_find_is_error),
		cmocka_unit_test(test_ports_without_protocol),
		cmocka_unit_test(test_ports_with_portless_protocol),
		cmocka_unit_test(test_ports_with_tcp_are_fine),
		cmocka_unit_test(test_ports_error_when_protocol_unset_later),
		cmocka_unit_test(test_jump_without_jump_target),
		cmocka_unit_test(test_add_src_to_address_list_without_list),
		cmocka_unit_test(test_randomise_ports),
		cmocka_unit_test(test_rule_without_chain),
		cmocka_unit_test(test_deleted_object_in_disabled_rule_warns),
		cmocka_unit_test(test_deleted_object_in_active_rule_is_error),
		cmocka_unit_test(test_dead_interface_list_members_warn),
		cmocka_unit_test(test_unknown_menu_under_ip_firewall),
		cmocka_unit_test(test_unknown_verb_in_firewall_menu),
		cmocka_unit_test(test_firewall_typo_did_you_mean),
		cmocka_unit_test(test_settings_menu_refuses_add),
		cmocka_unit_test(test_import_missing_file_is_error),
		cmocka_unit_test(test_scripting_command_runs),
		cmocka_unit_test(test_scripting_inside_block_runs),
		cmocka_unit_test(test_scripting_without_colon_runs),
		cmocka_unit_test(test_scripting_without_colon_on_error_runs),
		cmocka_unit_test(test_scripting_without_colon_in_foreign_menu),
		cmocka_unit_test(test_menu_command_named_like_scripting),
		cmocka_unit_test(test_untranslated_firewall_menus_warn_with_count),
		cmocka_unit_test(test_log_command_is_a_note),
		cmocka_unit_test(test_variable_in_value),
		cmocka_unit_test(test_variable_inside_quoted_value_points_at_dollar),
		cmocka_unit_test(test_escaped_dollar_is_text),
		cmocka_unit_test(test_command_substitution_asking_the_router),
		cmocka_unit_test(test_variable_as_selector),
		cmocka_unit_test(test_item_number_out_of_range),
		cmocka_unit_test(test_item_number_in_empty_menu),
		cmocka_unit_test(test_set_without_selector),
		cmocka_unit_test(test_internal_id_refused),
		cmocka_unit_test(test_find_unknown_property),
		cmocka_unit_test(test_no_such_named_item),
		cmocka_unit_test(test_remove_builtin_service_port),
		cmocka_unit_test(test_remove_builtin_interface_list),
		cmocka_unit_test(test_undefined_interface_list_is_warning),
		cmocka_unit_test(test_defined_and_builtin_interface_lists_are_fine),
		cmocka_unit_test(test_undefined_interface_list_in_member),
		cmocka_unit_test(test_undefined_layer7_protocol_is_error),
		cmocka_unit_test(test_defined_layer7_protocol_is_fine),
		cmocka_unit_test(test_address_list_entry_without_address_is_skipped),
		cmocka_unit_test(test_syntax_error_location),
		cmocka_unit_test(test_diagnostics_sorted_by_position),
		cmocka_unit_test(test_note_does_not_break_position_order),
		cmocka_unit_test(test_error_cap_keeps_first_errors_and_counts_all),
		cmocka_unit_test(test_error_cap_stops_reading),
		cmocka_unit_test(test_error_cap_says_it_stopped),
		cmocka_unit_test(test_kernel_name_too_long_is_error_once),
		cmocka_unit_test(test_kernel_name_counts_escaped_bytes),
		cmocka_unit_test(test_masquerade_redirect_take_no_address),
		cmocka_unit_test(test_nat_action_in_the_wrong_chain),
		cmocka_unit_test(test_set_timeouts_past_the_kernel),
		cmocka_unit_test(test_clean_script_has_no_diagnostics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
