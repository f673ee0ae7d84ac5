/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "props.h"
#include "value.h"

static const struct prop_def *table(size_t *n)
{
	const struct prop_def *t = prop_table(n);

	assert_non_null(t);
	assert_true(*n > 100);
	return t;
}

/*
 * The lookups search by name in table order, and items keep their
 * properties in id order for dump to print them in name order: each row is
 * at its id, and the names strictly ascend (one row per property).
 */
static void test_table_sorted(void **state)
{
	size_t n, na, i;
	const struct prop_def *t = table(&n);
	const struct action_def *a = action_table(&na);

	(void)state;
	assert_int_equal(n, P__COUNT);
	assert_int_equal(na, A__COUNT);
	for (i = 0; i < n; i++) {
		assert_int_equal(t[i].id, i);
		assert_ptr_equal(prop_def(t[i].id), &t[i]);
		if (i && strcmp(t[i - 1].name, t[i].name) >= 0)
			fail_msg("\"%s\" is not before \"%s\"", t[i - 1].name, t[i].name);
	}
	for (i = 0; i < na; i++) {
		assert_int_equal(a[i].id, i);
		assert_ptr_equal(action_def(a[i].id), &a[i]);
		if (i && strcmp(a[i - 1].name, a[i].name) >= 0)
			fail_msg("action \"%s\" is not before \"%s\"", a[i - 1].name, a[i].name);
	}
}

static void test_rows_well_formed(void **state)
{
	size_t n, i;
	const struct prop_def *t = table(&n);

	(void)state;
	for (i = 0; i < n; i++) {
		const struct prop_def *p = &t[i];

		assert_non_null(p->name);
		assert_true(p->name[0] != '\0');
		assert_true(p->menus != 0);
		assert_true(p->menus < MB(MK__COUNT));
		assert_true((unsigned)p->type < VT__COUNT);
		assert_true(p->min <= p->max);
		if (p->type == VT_ENUM || p->type == VT_ENUM_LIST || p->type == VT_ACTION_VALUE) {
			if (!p->enums || !p->enums[0] || !p->enums[0][0])
				fail_msg("%s has no enum values", p->name);
		}
		if (p->enums6 && p->type != VT_ENUM)
			fail_msg("%s: IPv6 values for a type that has none", p->name);
	}
}

/* Every row is what lookup returns for each of its menus, and no other
 * menu finds it; the same for actions. */
static void test_lookup_every_row(void **state)
{
	size_t n, na, i;
	const struct prop_def *t = table(&n);
	const struct action_def *a = action_table(&na);
	int m;

	(void)state;
	for (i = 0; i < n; i++)
		for (m = 0; m < MK__COUNT; m++)
			assert_ptr_equal(prop_lookup((enum menu_kind)m, t[i].name), t[i].menus & MB(m) ? &t[i] : NULL);
	for (i = 0; i < na; i++) {
		assert_true(a[i].menus && !(a[i].menus & ~(MB_RULES | MB_ROUTE_RULES | MB_BR)));
		for (m = 0; m < MK__COUNT; m++)
			assert_ptr_equal(action_lookup_n((enum menu_kind)m, a[i].name, strlen(a[i].name)),
					 a[i].menus & MB(m) ? &a[i] : NULL);
	}
	/* The whole value and nothing else: a name with a NUL in it is none. */
	assert_null(action_lookup_n(MK_FILTER4, "accept\0x", 8));
	assert_null(action_lookup_n(MK_FILTER4, "accep", 5));
	assert_ptr_equal(prop_lookup_n(MK_FILTER4, "chain\0x", 7), prop_def(P_CHAIN));
	assert_null(prop_lookup_n(MK_FILTER4, "chai", 4));
	assert_null(prop_lookup_n(MK_FILTER4, "chains", 6));
}

/* A default the manuals give must pass the property's own checker. */
static void test_defaults_valid(void **state)
{
	size_t n, i;
	const struct prop_def *t = table(&n);
	struct verr e;
	int m;

	(void)state;
	for (i = 0; i < n; i++) {
		for (m = 0; m < MK__COUNT; m++) {
			const char *d = prop_default(&t[i], (enum menu_kind)m);

			if (d && (t[i].menus & MB(m)) && !value_check(&t[i], (enum menu_kind)m, d, strlen(d), &e))
				fail_msg("default %s=%s refused in menu %d: %s", t[i].name, d, m, e.msg);
		}
	}
}

static void test_lookup_per_menu(void **state)
{
	const struct prop_def *f4, *n4;

	(void)state;
	f4 = prop_lookup(MK_FILTER4, "action");
	n4 = prop_lookup(MK_NAT4, "action");
	assert_non_null(f4);
	assert_ptr_equal(f4, n4);
	assert_int_equal(f4->id, P_ACTION);
	assert_string_equal(f4->def, "accept");
	assert_int_equal(f4->type, VT_ACTION);

	assert_non_null(prop_lookup(MK_FILTER4, "chain"));
	assert_non_null(prop_lookup(MK_FILTER6, "chain"));
	assert_non_null(prop_lookup(MK_ADDRLIST4, "address"));
	assert_non_null(prop_lookup(MK_ADDRLIST6, "address"));
	assert_non_null(prop_lookup(MK_SERVICE_PORT, "ports"));
	assert_non_null(prop_lookup(MK_CONNTRACK, "tcp-established-timeout"));
	assert_non_null(prop_lookup(MK_LAYER7, "regexp"));
	assert_non_null(prop_lookup(MK_IFLIST, "include"));
	assert_non_null(prop_lookup(MK_IFLIST_MEMBER, "interface"));
	assert_non_null(prop_lookup(MK_INTERFACE, "name"));
	assert_non_null(prop_lookup(MK_NAT4, "to-addresses"));
	assert_non_null(prop_lookup(MK_MANGLE6, "new-hop-limit"));

	/* the first and last rows of the table */
	assert_non_null(prop_lookup(MK_NAT6, "action"));
	assert_non_null(prop_lookup(MK_CONNTRACK, "udp-timeout"));

	assert_null(prop_lookup(MK_FILTER4, "no-such-property"));
	assert_null(prop_lookup(MK_FILTER4, ""));
	assert_null(prop_lookup(MK_FILTER4, NULL));
	assert_null(prop_lookup(MK_NONE, "chain"));
	assert_null(prop_lookup(MK__COUNT, "chain"));
}

static void test_menu_restriction(void **state)
{
	(void)state;
	assert_non_null(prop_lookup(MK_FILTER4, "ttl"));
	assert_null(prop_lookup(MK_FILTER6, "ttl"));
	assert_non_null(prop_lookup(MK_FILTER6, "hop-limit"));
	assert_null(prop_lookup(MK_FILTER4, "hop-limit"));
	assert_null(prop_lookup(MK_FILTER6, "ipv4-options"));
	assert_null(prop_lookup(MK_MANGLE6, "new-ttl"));
	assert_null(prop_lookup(MK_MANGLE4, "new-hop-limit"));

	/* facility-specific properties */
	assert_non_null(prop_lookup(MK_FILTER4, "reject-with"));
	assert_null(prop_lookup(MK_NAT4, "reject-with"));
	assert_null(prop_lookup(MK_FILTER4, "to-addresses"));
	assert_null(prop_lookup(MK_FILTER4, "new-packet-mark"));
	assert_null(prop_lookup(MK_FILTER4, "passthrough"));
	assert_non_null(prop_lookup(MK_MANGLE4, "passthrough"));
	/* raw runs before connection tracking */
	assert_null(prop_lookup(MK_RAW4, "connection-state"));
	assert_non_null(prop_lookup(MK_FILTER4, "connection-state"));

	/* rule properties stay out of the other menus */
	assert_null(prop_lookup(MK_ADDRLIST4, "chain"));
	assert_null(prop_lookup(MK_CONNTRACK, "comment"));
	assert_null(prop_lookup(MK_LAYER7, "disabled"));
	assert_null(prop_lookup(MK_INTERFACE, "list"));
}

static void test_action_enums(void **state)
{
	struct verr e;
	const struct prop_def *p;

	(void)state;
	p = prop_lookup(MK_FILTER4, "action");
	assert_true(value_check(p, MK_FILTER4, "tarpit", 6, &e));
	assert_false(value_check(p, MK_FILTER4, "masquerade", 10, &e));
	p = prop_lookup(MK_NAT4, "action");
	assert_true(value_check(p, MK_NAT4, "masquerade", 10, &e));
	assert_true(value_check(p, MK_NAT4, "dst-nat", 7, &e));
	assert_false(value_check(p, MK_NAT4, "drop", 4, &e));
	p = prop_lookup(MK_MANGLE4, "action");
	assert_true(value_check(p, MK_MANGLE4, "mark-routing", 12, &e));
	assert_true(value_check(p, MK_MANGLE4, "change-ttl", 10, &e));
	p = prop_lookup(MK_MANGLE6, "action");
	assert_false(value_check(p, MK_MANGLE6, "change-ttl", 10, &e));
	assert_true(value_check(p, MK_MANGLE6, "change-hop-limit", 16, &e));
	p = prop_lookup(MK_RAW4, "action");
	assert_true(value_check(p, MK_RAW4, "notrack", 7, &e));
	assert_false(value_check(p, MK_RAW4, "reject", 6, &e));
	p = prop_lookup(MK_FILTER6, "reject-with");
	assert_true(value_check(p, MK_FILTER6, "icmp-no-route", 13, &e));
	assert_false(value_check(p, MK_FILTER6, "icmp-net-prohibited", 19, &e));
	assert_true(value_check(p, MK_FILTER4, "icmp-net-prohibited", 19, &e));
	assert_false(value_check(p, MK_FILTER4, "icmp-no-route", 13, &e));
	/* A menu's actions, in name order, are what a message lists. */
	assert_string_equal(action_names(MK_RAW4)[0], "accept");
	assert_string_equal(action_names(MK_RAW4)[6], "notrack");
	assert_null(action_names(MK_RAW4)[9]);
	assert_null(action_names(MK_ADDRLIST4)[0]);
}

static void test_flags(void **state)
{
	(void)state;
	assert_true(prop_lookup(MK_FILTER4, "place-before")->flags & PF_ADD_ONLY);
	assert_int_equal(prop_lookup(MK_FILTER4, "place-before")->type, VT_STRING);
	assert_true(prop_lookup(MK_MANGLE6, "copy-from")->flags & PF_ADD_ONLY);
	assert_true(prop_lookup(MK_FILTER4, "src-address")->flags & PF_NEG);
	assert_true(prop_lookup(MK_FILTER4, "tcp-flags")->flags & PF_LIST_NEG);
	assert_false(prop_lookup(MK_FILTER4, "log-prefix")->flags & PF_NEG);
	assert_false(prop_lookup(MK_FILTER4, "chain")->flags & PF_NEG);
	assert_int_equal(prop_lookup(MK_FILTER4, "layer7-protocol")->status, ST_APPROX);
	assert_int_equal(prop_lookup(MK_FILTER4, "p2p")->status, ST_REFUSED);
	assert_int_equal(prop_lookup(MK_FILTER4, "dst-port")->status, ST_EXACT);
	assert_int_equal(prop_lookup(MK_ADDRLIST4, "address")->status, ST_NONE);
}

static void test_defaults(void **state)
{
	(void)state;
	assert_string_equal(prop_lookup(MK_MANGLE4, "passthrough")->def, "yes");
	assert_string_equal(prop_lookup(MK_FILTER4, "log")->def, "no");
	assert_string_equal(prop_lookup(MK_FILTER4, "disabled")->def, "no");
	assert_string_equal(prop_lookup(MK_ADDRLIST4, "disabled")->def, "no");
	assert_string_equal(prop_lookup(MK_RAW6, "action")->def, "accept");
	assert_string_equal(prop_lookup(MK_CONNTRACK, "tcp-established-timeout")->def, "1d");
	assert_null(prop_lookup(MK_FILTER4, "protocol")->def);
	assert_null(prop_lookup(MK_FILTER4, "chain")->def);
	assert_string_equal(prop_default(prop_def(P_REJECT_WITH), MK_FILTER4), "icmp-network-unreachable");
	assert_string_equal(prop_default(prop_def(P_REJECT_WITH), MK_FILTER6), "icmp-no-route");
}

static void test_suggest(void **state)
{
	const char *s;

	(void)state;
	assert_string_equal(prop_suggest(MK_FILTER4, "conection-state"), "connection-state");
	assert_string_equal(prop_suggest(MK_FILTER4, "dst-prot"), "dst-port");
	assert_string_equal(prop_suggest(MK_FILTER4, "src-adress"), "src-address");
	assert_string_equal(prop_suggest(MK_FILTER4, "jump-taget"), "jump-target");
	assert_string_equal(prop_suggest(MK_NAT4, "to-adresses"), "to-addresses");
	assert_string_equal(prop_suggest(MK_FILTER6, "hop-limt"), "hop-limit");
	/* only names of the menu are offered */
	s = prop_suggest(MK_FILTER4, "to-adresses");
	assert_true(s == NULL || strcmp(s, "to-addresses") != 0);
	assert_null(prop_suggest(MK_FILTER4, "completely-unrelated-words"));
	assert_null(prop_suggest(MK_FILTER4, "xyzzy"));
	assert_null(prop_suggest(MK_FILTER4, ""));
	assert_null(prop_suggest(MK_FILTER4, NULL));
	assert_null(prop_suggest(MK_NONE, "chain"));
	assert_null(prop_suggest(MK_FILTER4,
				 "a-name-much-longer-than-any-routeros-property-name-that-exists-at-all"));
}

/* Every property the corpus of real configurations uses in its firewall
 * menus (harvested from ../shared/corpus/files and examples/). */
static void test_corpus_names(void **state)
{
	static const struct {
		enum menu_kind m;
		const char *names[48];
	} used[] = {
		{ MK_FILTER4, { "action", "address-list", "address-list-timeout", "chain", "comment",
			"connection-limit", "connection-mark", "connection-nat-state",
			"connection-state", "content", "disabled", "dst-address", "dst-address-list",
			"dst-address-type", "dst-limit", "dst-port", "hw-offload", "icmp-options",
			"in-interface", "in-interface-list", "ipsec-policy", "jump-target",
			"layer7-protocol", "limit", "log", "log-prefix", "out-interface",
			"out-interface-list", "packet-mark", "place-before", "port", "protocol", "psd",
			"reject-with", "src-address", "src-address-list", "src-address-type",
			"src-mac-address", "tcp-flags", "time", "tls-host", NULL } },
		{ MK_NAT4, { "action", "chain", "comment", "disabled", "dst-address",
			"dst-address-list", "dst-address-type", "dst-port", "in-interface",
			"in-interface-list", "ipsec-policy", "log", "log-prefix", "out-interface",
			"out-interface-list", "protocol", "same-not-by-dst", "src-address",
			"src-address-list", "to-addresses", "to-ports", NULL } },
		{ MK_MANGLE4, { "action", "address-list", "address-list-timeout", "chain", "comment",
			"connection-mark", "connection-state", "disabled", "dscp", "dst-address",
			"dst-address-list", "dst-address-type", "dst-port", "in-interface",
			"in-interface-list", "ipsec-policy", "jump-target", "layer7-protocol", "log",
			"log-prefix", "new-connection-mark", "new-dscp", "new-mss", "new-packet-mark",
			"new-priority", "new-routing-mark", "new-ttl", "out-interface", "packet-mark",
			"packet-size", "passthrough", "per-connection-classifier", "port", "protocol",
			"routing-mark", "src-address", "src-address-list", "tcp-flags", "tcp-mss",
			"ttl", NULL } },
		{ MK_RAW4, { "action", "chain", "comment", "disabled", "dst-address",
			"dst-address-list", "dst-port", "fragment", "in-interface", "in-interface-list",
			"ipv4-options", "log-prefix", "port", "protocol", "src-address",
			"src-address-list", "src-mac-address", "src-port", "tcp-flags", NULL } },
		{ MK_FILTER6, { "action", "chain", "comment", "connection-state", "disabled",
			"dst-address-list", "dst-port", "hop-limit", "in-interface",
			"in-interface-list", "ipsec-policy", "port", "protocol", "src-address",
			"src-address-list", NULL } },
		{ MK_RAW6, { "action", "chain", "comment", "disabled", "dst-address",
			"dst-address-list", "icmp-options", "in-interface-list", "jump-target",
			"protocol", "src-address", "src-address-list", NULL } },
		{ MK_ADDRLIST4, { "address", "comment", "disabled", "list", "timeout", NULL } },
		{ MK_ADDRLIST6, { "address", "comment", "list", NULL } },
		{ MK_SERVICE_PORT, { "disabled", "ports", NULL } },
		{ MK_IP_SERVICE, { "address", "available-from", "certificate", "disabled", "max-sessions", "port",
				   "tls-version", "vrf", NULL } },
		{ MK_CONNTRACK, { "enabled", "tcp-established-timeout", "udp-stream-timeout",
			"udp-timeout", NULL } },
		{ MK_LAYER7, { "name", "regexp", NULL } },
		{ MK_IFLIST, { "comment", "include", "name", NULL } },
		{ MK_IFLIST_MEMBER, { "comment", "interface", "list", NULL } },
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(used) / sizeof(used[0]); i++)
		for (j = 0; used[i].names[j]; j++)
			if (!prop_lookup(used[i].m, used[i].names[j]))
				fail_msg("menu %d lacks %s", used[i].m, used[i].names[j]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sorted),
		cmocka_unit_test(test_rows_well_formed),
		cmocka_unit_test(test_lookup_every_row),
		cmocka_unit_test(test_defaults_valid),
		cmocka_unit_test(test_lookup_per_menu),
		cmocka_unit_test(test_menu_restriction),
		cmocka_unit_test(test_action_enums),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_corpus_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
