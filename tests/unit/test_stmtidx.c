/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The statements of a flat file and the region an edit changed
 * (runtime/stmtidx.h): statements tile the file with their kinds, menus
 * and first lines; whatever the parser would read as more than a flat
 * statement makes the file not flat; an edit is widened to whole
 * statements, whatever the common head and tail cut into; the edit path
 * is refused for anything but plain adds of one rule menu, and for adds
 * and removals while numbers are in kernel comments; the new index
 * spliced from the old equals the new file's own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stmtidx.h"

static const char base[] =
	"# a comment\n"
	"/ip firewall address-list\n"
	"add address=10.0.0.1 list=x\n"
	"/ip firewall filter\n"
	"add action=accept chain=input comment=\"one two\" protocol=tcp dst-port=22\n"
	"add action=drop chain=input \\\n"
	"    protocol=udp\n"
	"\n"
	"add action=accept chain=forward\n"
	"/ipv6/firewall/nat\n"
	"add action=masquerade chain=srcnat\n";

static void build(const char *s, struct stmt_index *x)
{
	stmt_index_build(s, strlen(s), 1, MENU_UNKNOWN, x);
}

static void test_index(void **state)
{
	struct stmt_index x;
	static const struct {
		uint8_t kind, menu;
		uint32_t line;
	} want[] = {
		{ STMT_BLANK, MENU_UNKNOWN, 1 },   { STMT_MENU, MENU_ELSEWHERE, 2 }, { STMT_OTHER, MENU_ELSEWHERE, 3 },
		{ STMT_MENU, MENU_IP_FILTER, 4 },  { STMT_ADD, MENU_IP_FILTER, 5 },  { STMT_ADD, MENU_IP_FILTER, 6 },
		{ STMT_BLANK, MENU_IP_FILTER, 8 }, { STMT_ADD, MENU_IP_FILTER, 9 },  { STMT_MENU, MENU_IP6_NAT, 10 },
		{ STMT_ADD, MENU_IP6_NAT, 11 },
	};
	size_t i, at = 0;

	(void)state;
	build(base, &x);
	assert_true(x.flat);
	assert_int_equal(x.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < x.n; i++) {
		assert_int_equal(x.v[i].start, at);
		assert_int_equal(x.v[i].kind, want[i].kind);
		assert_int_equal(x.v[i].menu, want[i].menu);
		assert_int_equal(x.v[i].line, want[i].line);
		at += x.v[i].len;
	}
	assert_int_equal(at, strlen(base));
	assert_int_equal(x.menu_end, MENU_IP6_NAT);
	stmt_index_free(&x);
}

static void test_not_flat(void **state)
{
	static const char *const bad[] = {
		"/ip firewall filter\n:global x 1\n",
		"/ip firewall filter\nadd chain=input action=$a\n",
		"/ip firewall filter\nadd chain=input comment=\"$a\"\n",
		"/ip firewall filter\nadd chain=input; add chain=forward\n",
		"/ip firewall filter\n{ add chain=input }\n",
		"/ip firewall filter\nadd chain=[/system identity get name]\n",
		"/import file-name=x.rsc\n",
		"/system script\nimport x\n",
		"/ip firewall filter\nadd chain=input comment=\"open\n",
		"/ip firewall filter\nadd chain=in\\put\n",
		"/ip firewall filter\nadd chain=input \\ \n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct stmt_index x;

		build(bad[i], &x);
		assert_false(x.flat);
		stmt_index_free(&x);
	}
}

static void test_kinds(void **state)
{
	struct stmt_index x;

	(void)state;
	build("/ip firewall filter\n"
	      "add chain=input place-before=0\n"		/* not an append */
	      "add copy-from=1 chain=input\n"
	      "set 0 disabled=yes\n"
	      "add chain=input disabled\n"			/* a bare word */
	      "/ip firewall filter add chain=input\n"		/* path and verb on one line */
	      "add chain=input\n"				/* in a menu not followed */
	      "/ip firewall filter\n"
	      "filter\n"					/* a relative path, maybe */
	      "add chain=input\n"
	      "/ip firewall address-list\n"
	      "add list=x address=1.2.3.4\n",
	      &x);
	assert_true(x.flat);
	assert_int_equal(x.n, 12);
	assert_int_equal(x.v[1].kind, STMT_OTHER);
	assert_int_equal(x.v[2].kind, STMT_OTHER);
	assert_int_equal(x.v[3].kind, STMT_OTHER);
	assert_int_equal(x.v[4].kind, STMT_OTHER);
	assert_int_equal(x.v[5].kind, STMT_OTHER);
	assert_int_equal(x.v[6].kind, STMT_OTHER);
	assert_int_equal(x.v[6].menu, MENU_UNKNOWN);
	assert_int_equal(x.v[7].kind, STMT_MENU);
	assert_int_equal(x.v[9].kind, STMT_OTHER);
	assert_int_equal(x.v[11].kind, STMT_OTHER);
	assert_int_equal(x.v[11].menu, MENU_ELSEWHERE);
	stmt_index_free(&x);
}

/* The region of base -> `neu`, checked against the expected statements and
 * the new file's own index. */
static const char *region(const char *neu, size_t a, size_t b, size_t nnew, bool renumber)
{
	struct stmt_index x, y, z;
	struct stmt_region r;
	const char *why;
	size_t i;

	build(base, &x);
	assert_int_equal(stmt_region_find(&x, base, strlen(base), neu, strlen(neu), &r), 0);
	assert_int_equal(r.a, a);
	assert_int_equal(r.b, b);
	assert_int_equal(r.neu.n, nnew);
	why = stmt_region_refusal(&x, &r, renumber);
	build(neu, &y);
	stmt_index_splice(&x, &r, &z);
	assert_true(y.flat);
	assert_int_equal(z.n, y.n);
	for (i = 0; i < y.n; i++) {
		assert_int_equal(z.v[i].start, y.v[i].start);
		assert_int_equal(z.v[i].len, y.v[i].len);
		assert_int_equal(z.v[i].line, y.v[i].line);
		assert_int_equal(z.v[i].kind, y.v[i].kind);
		/* a menu line that changed moves the menus after it: the
		 * splice is for what the edit path takes only */
		if (!why)
			assert_int_equal(z.v[i].menu, y.v[i].menu);
	}
	assert_int_equal(z.open, y.open);
	if (!why)
		assert_int_equal(z.menu_end, y.menu_end);
	stmt_index_free(&x);
	stmt_index_free(&y);
	stmt_index_free(&z);
	stmt_region_free(&r);
	return why;
}

static char *edit(const char *from, const char *to)
{
	static char buf[2048];
	const char *at = strstr(base, from);
	size_t n = (size_t)(at - base);

	assert_non_null(at);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)n, base, to, at + strlen(from));
	return buf;
}

static void test_region(void **state)
{
	(void)state;
	/* a value changed: the one statement */
	assert_null(region(edit("dst-port=22", "dst-port=2222"), 4, 5, 1, false));
	/* a value changed in a continued statement */
	assert_null(region(edit("protocol=udp", "protocol=tcp"), 5, 6, 1, false));
	/* the last statement of the file */
	assert_null(region(edit("chain=srcnat", "chain=srcnat comment=x"), 9, 10, 1, false));
	/* an add inserted before an equal-looking one: widened to whole
	 * statements whatever the head and tail cut into; the menu's last,
	 * so it renumbers none */
	assert_null(region(edit("add action=accept chain=forward\n",
				"add action=accept chain=forward\nadd action=accept chain=forward\n"),
			   8, 8, 1, false));
	/* one inserted above others of its menu renumbers them */
	assert_string_equal(region(edit("add action=drop chain=input", "add chain=input\nadd action=drop chain=input"),
				   5, 6, 2, false),
			    "rules added or removed renumber the later ones");
	assert_null(region(edit("add action=drop chain=input", "add chain=input\nadd action=drop chain=input"), 5, 6,
			   2, true));
	/* removed, not the last */
	assert_string_equal(region(edit("add action=drop chain=input \\\n    protocol=udp\n", ""), 5, 6, 0, false),
			    "rules added or removed renumber the later ones");
	/* appended to the file: after the menu's last rule, it renumbers none */
	assert_null(region(edit("chain=srcnat\n", "chain=srcnat\nadd action=masquerade chain=srcnat\n"), 10, 10, 1,
			   false));
	/* the filter menu's last rule removed, or one added after it */
	assert_null(region(edit("add action=accept chain=forward\n", ""), 7, 8, 0, false));
	assert_null(region(edit("chain=forward\n", "chain=forward\nadd action=drop chain=forward\n"), 8, 8, 1, false));
	/* a comment line added */
	assert_null(region(edit("\nadd action=accept chain=forward", "\n# x\nadd action=accept chain=forward"), 7, 7,
			   1, false));
	/* two rules of one menu */
	assert_null(region(edit("dst-port=22\nadd action=drop", "dst-port=23\nadd action=reject"), 4, 6, 2, false));
	/* a list entry: not a rule */
	assert_string_equal(region(edit("address=10.0.0.1", "address=10.0.0.2"), 2, 3, 1, false),
			    "a statement other than a plain add changed");
	/* a menu line */
	assert_string_equal(region(edit("/ipv6/firewall/nat", "/ipv6/firewall/raw"), 8, 9, 1, false),
			    "a menu line changed");
	/* adds of two menus */
	assert_string_equal(region(edit("forward\n/ipv6/firewall/nat\nadd action=masquerade",
					"input\n/ipv6/firewall/nat\nadd action=accept"),
				   7, 10, 3, false),
			    "a menu line changed");
	/* identical */
	assert_null(region(base, 10, 10, 0, false));
}

static void test_region_refused(void **state)
{
	struct stmt_index x;
	struct stmt_region r;

	(void)state;
	build(base, &x);
	/* the new bytes are not flat: scripting */
	assert_int_equal(stmt_region_find(&x, base, strlen(base), edit("dst-port=22", "dst-port=$p"),
					  strlen(edit("dst-port=22", "dst-port=$p")), &r),
			 -1);
	stmt_region_free(&r);
	/* a continuation that joins the next statement */
	assert_int_equal(stmt_region_find(&x, base, strlen(base), edit("dst-port=22\n", "dst-port=22 \\\n"),
					  strlen(edit("dst-port=22\n", "dst-port=22 \\\n")), &r),
			 -1);
	stmt_region_free(&r);
	/* a quote opened that closes in the next statement */
	assert_int_equal(stmt_region_find(&x, base, strlen(base), edit("comment=\"one two\"", "comment=\"one two"),
					  strlen(edit("comment=\"one two\"", "comment=\"one two")), &r),
			 -1);
	stmt_region_free(&r);
	stmt_index_free(&x);
}

/* A last line without its line end, appended to and extended. */
static void test_open_end(void **state)
{
	static const char old[] = "/ip firewall filter\nadd chain=input";
	static const char *const neu[] = {
		"/ip firewall filter\nadd chain=input\nadd chain=forward\n",
		"/ip firewall filter\nadd chain=input protocol=tcp",
	};
	struct stmt_index x;
	size_t i;

	(void)state;
	build(old, &x);
	assert_true(x.open);
	for (i = 0; i < 2; i++) {
		struct stmt_region r;
		struct stmt_index y, z;

		assert_int_equal(stmt_region_find(&x, old, strlen(old), neu[i], strlen(neu[i]), &r), 0);
		assert_int_equal(r.a, 1);
		assert_null(stmt_region_refusal(&x, &r, true));
		stmt_index_splice(&x, &r, &z);
		build(neu[i], &y);
		assert_int_equal(z.n, y.n);
		assert_int_equal(z.v[z.n - 1].start, y.v[y.n - 1].start);
		assert_int_equal(z.v[z.n - 1].kind, STMT_ADD);
		assert_int_equal(z.open, y.open);
		stmt_index_free(&y);
		stmt_index_free(&z);
		stmt_region_free(&r);
	}
	stmt_index_free(&x);
}

/*
 * Edits at random places of a file of rule, list and menu lines: whenever
 * a region is found, the index spliced from the old one is the new file's
 * own, statement by statement (menus where the edit path would go on).
 */
static void test_random_edits(void **state)
{
	static const char *const lines[] = {
		"/ip firewall filter\n", "/ipv6 firewall mangle\n", "/ip firewall address-list\n",
		"add chain=input action=accept\n", "add chain=forward protocol=tcp dst-port=80 action=drop\n",
		"add chain=input comment=\"a b\" action=drop\n", "add list=x address=1.2.3.4\n",
		"add chain=input \\\n    action=drop\n", "# note\n", "\n", "set 0 disabled=yes\n",
	};
	const size_t nl = sizeof(lines) / sizeof(lines[0]);
	unsigned seed = 12345, found = 0, taken = 0;
	char old[4096], neu[4096];
	int round;

	(void)state;
	for (round = 0; round < 3000; round++) {
		size_t n = 0, m = 0, k, at, cut, i;
		struct stmt_index x, y, z;
		struct stmt_region r;
		const char *why;

#define RND() (seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff)
		for (k = 0; k < 12; k++)
			n += (size_t)snprintf(old + n, sizeof(old) - n, "%s", lines[RND() % nl]);
		/* cut [at, at + cut) and put a line or a few bytes there */
		at = RND() % (n + 1);
		cut = RND() % 3 ? RND() % 8 : 0;
		if (at + cut > n)
			cut = n - at;
		memcpy(neu, old, at);
		m = at;
		if (RND() % 2)
			m += (size_t)snprintf(neu + m, sizeof(neu) - m, "%s", lines[RND() % nl]);
		else
			m += (size_t)snprintf(neu + m, sizeof(neu) - m, "%s", RND() % 2 ? "=9" : " x");
		memcpy(neu + m, old + at + cut, n - at - cut);
		m += n - at - cut;
		neu[m] = 0;
		old[n] = 0;
		build(old, &x);
		assert_true(x.flat);
		if (stmt_region_find(&x, old, n, neu, m, &r) < 0) {
			stmt_region_free(&r);
			stmt_index_free(&x);
			continue;
		}
		found++;
		why = stmt_region_refusal(&x, &r, true);
		taken += !why;
		build(neu, &y);
		assert_true(y.flat);
		stmt_index_splice(&x, &r, &z);
		assert_int_equal(z.n, y.n);
		for (i = 0; i < y.n; i++) {
			assert_int_equal(z.v[i].start, y.v[i].start);
			assert_int_equal(z.v[i].len, y.v[i].len);
			assert_int_equal(z.v[i].line, y.v[i].line);
			if (!why) {
				assert_int_equal(z.v[i].kind, y.v[i].kind);
				assert_int_equal(z.v[i].menu, y.v[i].menu);
			}
		}
		stmt_index_free(&x);
		stmt_index_free(&y);
		stmt_index_free(&z);
		stmt_region_free(&r);
	}
	/* the test says something only if both happen often */
	assert_true(found > 1000);
	assert_true(taken > 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_not_flat),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_region),
		cmocka_unit_test(test_region_refused),
		cmocka_unit_test(test_open_end),
		cmocka_unit_test(test_random_edits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
