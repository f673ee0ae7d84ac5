/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The layouts of rosfw print with made-up rows, no kernel: RouterOS's
 * columns (against the manual's own `print stats` output), JSON, the
 * Prometheus exposition and durations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "print.h"

struct cap {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *cap_open(struct cap *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	return c->f;
}

static const char *cap_text(struct cap *c)
{
	fclose(c->f);
	return c->buf;
}

/* The manual's example (002, /ip firewall mangle print all stats), with
 * the trailing blanks RouterOS pads rows with removed. */
static void test_stats_manual(void **state)
{
	static const struct print_stat_row rows[] = {
		{ 0, ' ', "prerouting", "mark-routing", NULL, 17478158, 127631 },
		{ 1, ' ', "prerouting", "mark-routing", NULL, 782505, 4506 },
		{ 2, 'D', "forward", "change-mss", NULL, 0, 0 },
		{ 3, 'D', "forward", "change-mss", NULL, 0, 0 },
		{ 4, 'D', "forward", "change-mss", NULL, 0, 0 },
		{ 5, 'D', "forward", "change-mss", NULL, 129372, 2031 },
	};
	struct cap c;

	(void)state;
	print_stats_text(cap_open(&c), rows, 6);
	assert_string_equal(cap_text(&c),
			    "Flags: X - disabled, I - invalid, D - dynamic\n"
			    " #   CHAIN              ACTION                  BYTES           PACKETS\n"
			    " 0   prerouting         mark-routing            17478158        127631\n"
			    " 1   prerouting         mark-routing            782505          4506\n"
			    " 2 D forward            change-mss              0               0\n"
			    " 3 D forward            change-mss              0               0\n"
			    " 4 D forward            change-mss              0               0\n"
			    " 5 D forward            change-mss              129372          2031\n");
	free(c.buf);
}

/* Comments go on their own ";;;" line; the row under it is indented to
 * the chain column. Numbers of 3 digits widen the # column; a long chain
 * name widens its column for every row. */
static void test_stats_comments_and_widths(void **state)
{
	struct print_stat_row rows[101];
	struct cap c;
	const char *t;
	size_t i;

	(void)state;
	for (i = 0; i < 101; i++) {
		rows[i] = (struct print_stat_row){ (long)i, ' ', "input", "accept", NULL, i, i };
	}
	rows[0].comment = "allow \"ssh\"";
	rows[1].flag = 'X';
	rows[2].chain = "a-very-long-custom-chain-name";
	rows[3].flag = 'I';
	print_stats_text(cap_open(&c), rows, 101);
	t = cap_text(&c);
	assert_non_null(strstr(t, "\n  #   CHAIN                         ACTION"));
	assert_non_null(strstr(t, "\n  0   ;;; allow \"ssh\"\n      input                         accept                  0               0\n"));
	assert_non_null(strstr(t, "\n  1 X input "));
	assert_non_null(strstr(t, "\n  2   a-very-long-custom-chain-name accept "));
	assert_non_null(strstr(t, "\n  3 I input "));
	assert_non_null(strstr(t, "\n100   input                         accept                  100             100\n"));
	free(c.buf);
}

static void test_stats_empty(void **state)
{
	struct cap c;

	(void)state;
	print_stats_text(cap_open(&c), NULL, 0);
	assert_string_equal(cap_text(&c), "Flags: X - disabled, I - invalid, D - dynamic\n"
					  " #   CHAIN              ACTION                  BYTES           PACKETS\n");
	free(c.buf);
}

/* FastTrack's dynamic row: flagged D, not counted by the numbering. */
static void test_stats_fasttrack_row(void **state)
{
	static const struct print_stat_row rows[] = {
		{ -1, 'D', "forward", "passthrough", "special dummy rule to show fasttrack counters", 123456, 789 },
		{ 0, ' ', "forward", "fasttrack-connection", NULL, 60, 1 },
	};
	struct cap c;
	FILE *f;

	(void)state;
	print_stats_text(cap_open(&c), rows, 2);
	assert_string_equal(cap_text(&c), "Flags: X - disabled, I - invalid, D - dynamic\n"
					  " #   CHAIN              ACTION                  BYTES           PACKETS\n"
					  "   D ;;; special dummy rule to show fasttrack counters\n"
					  "     forward            passthrough             123456          789\n"
					  " 0   forward            fasttrack-connection    60              1\n");
	free(c.buf);
	f = cap_open(&c);
	print_stats_json(f, "ip", "filter", rows, 1, true);
	assert_non_null(strstr(cap_text(&c), "\"number\":null,\"flags\":\"D\",\"disabled\":false,\"invalid\":false,"
					     "\"dynamic\":true"));
	free(c.buf);
	f = cap_open(&c);
	print_stats_prom(f, "bytes", "ip", "filter", rows, 1);
	assert_non_null(strstr(cap_text(&c), "number=\"\",chain=\"forward\",action=\"passthrough\""));
	free(c.buf);
}

static void test_stats_json(void **state)
{
	static const struct print_stat_row rows[] = {
		{ 0, ' ', "input", "accept", "a \"b\"\n", 10, 1, "c_filter_00000000000000ab" },
		{ 1, 'X', "input", "drop", NULL, 0, 0, NULL },
	};
	struct cap c;
	FILE *f;

	(void)state;
	f = cap_open(&c);
	fputc('[', f);
	print_stats_json(f, "ip", "filter", rows, 2, true);
	fputs("]", f);
	assert_string_equal(cap_text(&c),
			    "[\n{\"family\":\"ip\",\"facility\":\"filter\",\"number\":0,\"flags\":\"\",\"disabled\":false,"
			    "\"invalid\":false,\"dynamic\":false,\"chain\":\"input\",\"action\":\"accept\",\"comment\":\"a \\\"b\\\"\\n\","
			    "\"counter\":\"c_filter_00000000000000ab\",\"bytes\":10,\"packets\":1},\n{\"family\":\"ip\",\"facility\":\"filter\",\"number\":1,\"flags\":\"X\","
			    "\"disabled\":true,\"invalid\":false,\"dynamic\":false,\"chain\":\"input\",\"action\":\"drop\","
			    "\"comment\":null,\"counter\":null,\"bytes\":0,\"packets\":0}]");
	free(c.buf);
}

static void test_stats_prometheus(void **state)
{
	static const struct print_stat_row rows[] = {
		{ 0, ' ', "input", "accept", "back\\slash \"q\"\nnl", 10, 1 },
		{ 1, 'X', "input", "drop", NULL, 0, 0 },
		{ 2, 'I', "my chain", "jump", NULL, 0, 0 },
	};
	struct cap c;
	FILE *f;

	(void)state;
	f = cap_open(&c);
	print_prom_header(f, "packets");
	print_stats_prom(f, "packets", "ip6", "mangle", rows, 3);
	assert_string_equal(cap_text(&c),
			    "# HELP rosfw_rule_packets_total Packets matched by a RouterOS firewall rule (all its kernel rules summed).\n"
			    "# TYPE rosfw_rule_packets_total counter\n"
			    "rosfw_rule_packets_total{family=\"ip6\",facility=\"mangle\",number=\"0\",chain=\"input\",action=\"accept\","
			    "comment=\"back\\\\slash \\\"q\\\"\\nnl\"} 1\n"
			    "rosfw_rule_packets_total{family=\"ip6\",facility=\"mangle\",number=\"2\",chain=\"my chain\",action=\"jump\","
			    "comment=\"\"} 0\n");
	free(c.buf);
}

static void test_duration(void **state)
{
	char b[64];

	(void)state;
	print_duration(b, sizeof(b), 0);
	assert_string_equal(b, "0s");
	print_duration(b, sizeof(b), 999);
	assert_string_equal(b, "0s");
	print_duration(b, sizeof(b), 3598000);
	assert_string_equal(b, "59m58s");
	print_duration(b, sizeof(b), 3600000);
	assert_string_equal(b, "1h");
	print_duration(b, sizeof(b), (uint64_t)(8 * 86400 + 3 * 3600 + 5) * 1000);
	assert_string_equal(b, "1w1d3h5s");
	print_duration(b, sizeof(b), UINT64_MAX);
	assert_true(strlen(b) > 0);
	print_duration(b, 4, 3598000);	/* cut, still terminated */
	assert_true(strlen(b) < 4);
}

static void test_addrlist_text(void **state)
{
	static const struct print_al_row rows[] = {
		{ 0, ' ', "MikroTik", "10.0.0.1", "oct/09/2019 14:53:14", NULL, false, 0 },
		{ 1, 'X', "MikroTik", "10.0.0.0/8", NULL, NULL, false, 0 },
		{ 2, 'D', "scanners", "192.0.2.7", NULL, "port scan", true, 3598500 },
	};
	struct cap c;

	(void)state;
	print_al_text(cap_open(&c), rows, 3);
	assert_string_equal(cap_text(&c),
			    "Flags: X - disabled, D - dynamic\n"
			    " #   LIST                 ADDRESS            CREATION-TIME        TIMEOUT\n"
			    " 0   MikroTik             10.0.0.1           oct/09/2019 14:53:14\n"
			    " 1 X MikroTik             10.0.0.0/8\n"
			    " 2 D ;;; port scan\n"
			    "     scanners             192.0.2.7                               59m58s\n");
	free(c.buf);
}

static void test_addrlist_json(void **state)
{
	static const struct print_al_row rows[] = {
		{ 0, 'D', "s", "2001:db8::1", NULL, NULL, true, 61000 },
		{ 1, ' ', "s", "2001:db8::/32", NULL, "c", false, 0 },
	};
	struct cap c;

	(void)state;
	print_al_json(cap_open(&c), "ip6", rows, 2);
	assert_string_equal(cap_text(&c),
			    "[\n{\"family\":\"ip6\",\"number\":0,\"flags\":\"D\",\"disabled\":false,\"dynamic\":true,\"list\":\"s\","
			    "\"address\":\"2001:db8::1\",\"creation-time\":null,\"timeout\":\"1m1s\",\"timeout-ms\":61000,\"comment\":null},\n"
			    "{\"family\":\"ip6\",\"number\":1,\"flags\":\"\",\"disabled\":false,\"dynamic\":false,\"list\":\"s\","
			    "\"address\":\"2001:db8::/32\",\"creation-time\":null,\"timeout\":null,\"timeout-ms\":null,\"comment\":\"c\"}\n]\n");
	free(c.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_manual),
		cmocka_unit_test(test_stats_comments_and_widths),
		cmocka_unit_test(test_stats_empty),
		cmocka_unit_test(test_stats_fasttrack_row),
		cmocka_unit_test(test_stats_json),
		cmocka_unit_test(test_stats_prometheus),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_addrlist_text),
		cmocka_unit_test(test_addrlist_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
