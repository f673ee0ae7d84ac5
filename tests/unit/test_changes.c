/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What apply --diff prints: set elements as nft shows them (interval
 * starts and ends paired into prefixes and ranges, an open end, ports,
 * names), and the records in RouterOS's order, as text and JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "changes.h"

/* The elements as one line, freed. */
static char *joined(char **v, size_t n)
{
	static char buf[1024];
	size_t i;

	buf[0] = 0;
	for (i = 0; i < n; i++) {
		strcat(buf, i ? " " : "");
		strcat(buf, v[i]);
		free(v[i]);
	}
	free(v);
	return buf;
}

static void test_interval_ipv4(void **state)
{
	/* what diff.c's element text looks like: key, then the end flag */
	char *els[] = {
		(char *)" 1: 1=00000000 3:00000001",		/* the end before the first range */
		(char *)" 1: 1=0a000000",			/* 10.0.0.0/8 */
		(char *)" 1: 1=0b000000 3:00000001",
		(char *)" 1: 1=c0a80105",			/* 192.168.1.5-192.168.1.9 */
		(char *)" 1: 1=c0a8010a 3:00000001",
		(char *)" 1: 1=cb007107",			/* one address */
		(char *)" 1: 1=cb007108 3:00000001",
		(char *)" 1: 1=e0000000",			/* open to the last address */
	};
	size_t n;
	char **v = changes_elements(els, sizeof(els) / sizeof(els[0]), 7, true, &n);

	(void)state;
	assert_int_equal(n, 4);
	assert_string_equal(joined(v, n), "10.0.0.0/8 192.168.1.5-192.168.1.9 203.0.113.7 224.0.0.0/3");
}

static void test_hash_and_types(void **state)
{
	char *ports[] = { (char *)" 1: 1=0016", (char *)" 1: 1=01bb" };
	char *names[] = { (char *)" 1: 1=65746865723100000000000000000000" };
	char *v6[] = { (char *)" 1: 1=20010db8000000000000000000000001" };
	char *odd[] = { (char *)"something else" };
	size_t n;
	char **v;

	(void)state;
	v = changes_elements(ports, 2, 13, false, &n);
	assert_string_equal(joined(v, n), "22 443");
	v = changes_elements(names, 1, 41, false, &n);
	assert_string_equal(joined(v, n), "\"ether1\"");
	/* an anonymous set does not say its type: 16 bytes that read as a
	 * name are one */
	v = changes_elements(names, 1, 0, false, &n);
	assert_string_equal(joined(v, n), "\"ether1\"");
	v = changes_elements(v6, 1, 8, false, &n);
	assert_string_equal(joined(v, n), "2001:db8::1");
	v = changes_elements(odd, 1, 7, false, &n);
	assert_string_equal(joined(v, n), "something else");
}

/* A merged run's counter map (merge.h): ranges that touch, each naming its
 * rule's counter; an end and the next start share a key. */
static void test_object_map(void **state)
{
	char *els[] = {
		(char *)" 1: 1=0066 9:635f62",			/* 102 : "c_b" */
		(char *)" 1: 1=0065 9:635f61",			/* 101 : "c_a" */
		(char *)" 1: 1=0067 3:00000001",		/* end of 102 */
		(char *)" 1: 1=0066 3:00000001",		/* end of 101 */
		(char *)" 1: 1=0000 3:00000001",
		(char *)" 1: 1=0068 9:635f63",			/* 104-105 : "c_c" */
		(char *)" 1: 1=006a 3:00000001",
	};
	char *hash[] = { (char *)" 1: 1=c0000201 9:635f61" };
	size_t n;
	char **v = changes_elements(els, sizeof(els) / sizeof(els[0]), 13, true, &n);

	(void)state;
	assert_string_equal(joined(v, n), "101 : \"c_a\" 102 : \"c_b\" 104-105 : \"c_c\"");
	v = changes_elements(hash, 1, 7, false, &n);
	assert_string_equal(joined(v, n), "192.0.2.1 : \"c_a\"");
}

static char *printed(struct changes *c, bool json)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	if (json)
		changes_json(c, f);
	else
		changes_print(c, f);
	fclose(f);
	return buf;
}

static void test_order_and_print(void **state)
{
	struct changes c = { 0 };
	struct change *ch;

	(void)state;
	changes_add(&c, CH_CHANGE, "sysctl", NULL, "net.netfilter.x")->note = strdup("1 -> 2 (x=2)");
	ch = changes_add(&c, CH_ADD, "rule", "ip", "filter_input");
	ch->num = 7;
	ch->file = strdup("x.rsc");
	ch->line = 12;
	ch = changes_add(&c, CH_MOVE, "rule", "ip", "filter_forward");
	ch->num = 3;
	ch->was = 1;
	ch->comment = strdup("fwd");
	ch = changes_add(&c, CH_REMOVE, "rule", "ip", "nat_srcnat");
	ch->was = 0;
	ch = changes_add(&c, CH_CHANGE, "set", "ip", "al_x");
	change_added(ch, "10.0.0.1");
	change_removed(ch, "10.0.0.2");
	changes_add(&c, CH_ADD, "chain", "ip", "filter_mine");
	/* objects, then rules by facility and number, then settings */
	assert_string_equal(printed(&c, false),
			    "+ chain ip filter_mine\n"
			    "~ set ip al_x\n"
			    "    - 10.0.0.2\n"
			    "    + 10.0.0.1\n"
			    "> rule ip filter_forward #3 \"fwd\" (was #1)\n"
			    "+ rule ip filter_input #7 at x.rsc:12\n"
			    "- rule ip nat_srcnat #0\n"
			    "~ sysctl net.netfilter.x 1 -> 2 (x=2)\n");
	assert_string_equal(printed(&c, true),
			    "[{\"op\":\"add\",\"kind\":\"chain\",\"family\":\"ip\",\"name\":\"filter_mine\"},"
			    "{\"op\":\"change\",\"kind\":\"set\",\"family\":\"ip\",\"name\":\"al_x\",\"removed\":[\"10.0.0.2\"],\"added\":[\"10.0.0.1\"]},"
			    "{\"op\":\"move\",\"kind\":\"rule\",\"family\":\"ip\",\"chain\":\"filter_forward\",\"number\":3,\"was\":1,\"comment\":\"fwd\"},"
			    "{\"op\":\"add\",\"kind\":\"rule\",\"family\":\"ip\",\"chain\":\"filter_input\",\"number\":7,\"file\":\"x.rsc\",\"line\":12},"
			    "{\"op\":\"remove\",\"kind\":\"rule\",\"family\":\"ip\",\"chain\":\"nat_srcnat\",\"was\":0},"
			    "{\"op\":\"change\",\"kind\":\"sysctl\",\"name\":\"net.netfilter.x\",\"note\":\"1 -> 2 (x=2)\"}]");
	changes_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interval_ipv4),
		cmocka_unit_test(test_hash_and_types),
		cmocka_unit_test(test_object_map),
		cmocka_unit_test(test_order_and_print),
	};

	return cmocka_run_group_tests_name("changes", tests, NULL, NULL);
}
