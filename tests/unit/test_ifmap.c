/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Interface names on a Linux server: the map's format and its errors
 * (compiler/ifmap.c), what a name in the configuration stands for through
 * renames, the map and RouterOS's special names (compiler/ifname.c), and
 * the nft rules and sets that come of it (one name, a prefix, several,
 * negated, in interface lists).
 */
#include "helpers.h"

#include "emit_text.h"
#include "ifmap.h"
#include "lower.h"

/**
 * struct ifl - a script and a map lowered and printed.
 * @out: the nft text, NULL when lowering (or the map) had errors.
 */
struct ifl {
	struct diag *d;
	struct model *m;
	struct ifmap *map;
	char *out;
};

/* `map` is a map file's text (NULL: none), `args` --interface entries
 * (NULL-terminated, may be NULL). Strings must outlive the result. */
static struct ifl ifl_run(const char *src, const char *map, const char *const *args)
{
	struct ifl l = { 0 };
	struct lower_opts o = { 0 };
	struct ir *ir = NULL;
	size_t i, len = 0;

	l.d = diag_new(100);
	l.map = ifmap_new();
	if (map)
		ifmap_parse(l.map, l.d, diag_add_source(l.d, "map", map, strlen(map)), map, strlen(map), false);
	for (i = 0; args && args[i]; i++)
		ifmap_parse(l.map, l.d, diag_add_source(l.d, "--interface", args[i], strlen(args[i])), args[i],
			    strlen(args[i]), true);
	l.m = model_new(l.d);
	model_run(l.m, diag_add_source(l.d, "test.rsc", src, strlen(src)), src, strlen(src));
	model_finish(l.m);
	o.ifmap = l.map;
	if (!diag_errors(l.d))
		ir = lower_model(l.m, l.d, &o);
	if (ir) {
		FILE *f = open_memstream(&l.out, &len);

		assert_non_null(f);
		emit_text(ir, f, "test.rsc");
		fclose(f);
		ir_free(ir);
	}
	return l;
}

static void ifl_free(struct ifl *l)
{
	free(l->out);
	model_free(l->m);
	ifmap_free(l->map);
	diag_free(l->d);
}

/* The text holds `want`. */
#define assert_has(l, want)                                                               \
	do {                                                                              \
		if (!(l).out || !strstr((l).out, (want))) {                                \
			print_error("no \"%s\" in:\n%s\n", (want), (l).out ? (l).out : "(none)"); \
			diag_fail((l).d, "missing text", __FILE__, __LINE__);             \
		}                                                                         \
	} while (0)

#define assert_lacks(l, unwanted) assert_null((l).out ? strstr((l).out, (unwanted)) : NULL)

/* ---- the map's format --------------------------------------------------- */

static void test_map_file(void **state)
{
	static const char text[] = "# the server\n"
				   "\n"
				   "ether1 = enp1s0\n"
				   "  ether2=enp2s0,enp3s0   # bridged\r\n"
				   "\"main infrastructure\" = br0 , br1\n"
				   "pppoe-out1 = ppp*\n";
	struct diag *d = diag_new(10);
	struct ifmap *m = ifmap_new();
	const struct ifmap_entry *e;

	(void)state;
	assert_true(ifmap_parse(m, d, diag_add_source(d, "map", text, sizeof(text) - 1), text, sizeof(text) - 1, false));
	assert_int_equal(diag_count(d), 0);
	assert_int_equal(ifmap_count(m), 4);
	e = ifmap_find(m, "ether2", 6);
	assert_non_null(e);
	assert_int_equal(e->ntargets, 2);
	assert_string_equal(e->targets[1], "enp3s0");
	assert_int_equal(e->loc.line, 4);
	assert_int_equal(e->loc.col, 3);
	e = ifmap_find(m, "main infrastructure", 19);
	assert_non_null(e);
	assert_int_equal(e->ntargets, 2);
	assert_string_equal(e->targets[0], "br0");
	assert_string_equal(ifmap_find(m, "pppoe-out1", 10)->targets[0], "ppp*");
	ifmap_free(m);
	diag_free(d);
}

static void test_map_errors(void **state)
{
	static const char text[] = "ether1 enp1s0\n"
				   "ether2 = enp2s0 enp3s0\n"
				   "ether3 = a/b\n"
				   "ether4 = abcdefghijklmnop\n"
				   "ether5 = *\n"
				   "ether6 = a*b\n"
				   "ether7 =\n"
				   "\"ether8 = x\n"
				   "ether9 = x:1, \"y\"\n"
				   "ok = fine\n"
				   "ok = again\n"
				   "= x\n";
	struct diag *d = diag_new(50);
	struct ifmap *m = ifmap_new();

	(void)state;
	assert_false(ifmap_parse(m, d, diag_add_source(d, "map", text, sizeof(text) - 1), text, sizeof(text) - 1, false));
	assert_diag(d, DIAG_ERROR, 1, 8, "expected '=' after the router interface name");
	assert_diag(d, DIAG_ERROR, 2, 17, "expected ',' and another Linux name");
	assert_diag(d, DIAG_ERROR, 3, 10, "invalid Linux interface name \"a/b\"");
	assert_diag(d, DIAG_ERROR, 4, 10, "at most 15 bytes");
	assert_diag(d, DIAG_ERROR, 5, 10, "a wildcard needs a prefix");
	assert_diag(d, DIAG_ERROR, 6, 10, "only at the end of a name");
	assert_diag(d, DIAG_ERROR, 7, 9, "expected a Linux interface name");
	assert_diag(d, DIAG_ERROR, 8, 1, "unterminated quoted name");
	assert_diag(d, DIAG_ERROR, 9, 10, "invalid Linux interface name \"x:1\"");
	assert_diag(d, DIAG_ERROR, 11, 1, "\"ok\" is mapped twice (first at line 10)");
	assert_diag(d, DIAG_ERROR, 12, 1, "expected a router interface name");
	assert_int_equal(diag_errors(d), 11);
	/* Only the good entry stays. */
	assert_int_equal(ifmap_count(m), 1);
	ifmap_free(m);
	diag_free(d);
}

static void test_map_one_entry(void **state)
{
	static const char two[] = "a=b\nc=d", none[] = "", comment[] = "# x";
	struct diag *d = diag_new(10);
	struct ifmap *m = ifmap_new();

	(void)state;
	assert_false(ifmap_parse(m, d, diag_add_source(d, "--interface", two, 7), two, 7, true));
	assert_diag(d, DIAG_ERROR, 1, 4, "one ROUTER=LINUX[,LINUX...] entry per --interface");
	assert_false(ifmap_parse(m, d, diag_add_source(d, "--interface", none, 0), none, 0, true));
	assert_false(ifmap_parse(m, d, diag_add_source(d, "--interface", comment, 3), comment, 3, true));
	assert_int_equal(diag_errors(d), 3);
	ifmap_free(m);
	diag_free(d);
}

/* The command line comes after the file and wins, with a note. */
static void test_map_later_source_wins(void **state)
{
	static const char *const args[] = { "ether1=enp9s0", NULL };
	struct ifl l = ifl_run("/ip firewall filter add chain=input in-interface=ether1 action=drop\n",
			       "ether1 = enp1s0\n", args);

	(void)state;
	assert_diag(l.d, DIAG_NOTE, 1, 1, "this entry replaces the earlier one");
	assert_has(l, "iifname \"enp9s0\"");
	assert_lacks(l, "enp1s0");
	ifl_free(&l);
}

/* ---- renames ------------------------------------------------------------ */

/* Rules point at the interface: the old name before the rename and the new
 * one after it are the same interface, which Linux knows by its final name. */
static void test_rename_takes_effect(void **state)
{
	struct ifl l = ifl_run("/ip firewall filter add chain=input in-interface=ether1 action=drop\n"
			       "/interface ethernet set [ find default-name=ether1 ] name=wan\n"
			       "/ip firewall filter add chain=input in-interface=wan action=drop\n"
			       "/ip firewall filter add chain=input in-interface=ether1 action=reject\n"
			       "/interface list member add interface=ether1 list=WAN\n"
			       "/interface list add name=WAN\n"
			       "/ip firewall filter add chain=input in-interface-list=WAN action=drop\n",
			       NULL, NULL);

	(void)state;
	assert_no_errors(l.d);
	assert_lacks(l, "\"ether1\"");
	assert_has(l, "iifname \"wan\" counter name");
	assert_has(l, "elements = { \"wan\" }");
	ifl_free(&l);
}

/* A map entry names the interface by its default-name or its final name. */
static void test_rename_map_by_either_name(void **state)
{
	static const char *const by_default[] = { "ether1=enp1s0", NULL }, *const by_name[] = { "wan=enp1s0", NULL };
	static const char src[] = "/interface ethernet set [ find default-name=ether1 ] name=wan\n"
				  "/ip firewall filter add chain=input in-interface=wan action=drop\n"
				  "/ip firewall filter add chain=input in-interface=ether1 action=drop\n";
	struct ifl a = ifl_run(src, NULL, by_default), b = ifl_run(src, NULL, by_name);

	(void)state;
	assert_no_warnings(a.d);
	assert_no_warnings(b.d);
	assert_lacks(a, "\"wan\"");
	assert_lacks(a, "\"ether1\"");
	assert_has(a, "iifname \"enp1s0\"");
	assert_non_null(b.out);
	assert_string_equal(a.out, b.out);
	ifl_free(&a);
	ifl_free(&b);
}

static void test_rename_map_conflict(void **state)
{
	static const char *const args[] = { "ether1=enp1s0", "wan=enp2s0", NULL };
	struct ifl l = ifl_run("/interface ethernet set [ find default-name=ether1 ] name=wan\n"
			       "/ip firewall filter add chain=input in-interface=wan action=drop\n",
			       NULL, args);

	(void)state;
	assert_diag(l.d, DIAG_ERROR, 1, 1, "\"wan\" and \"ether1\" are one interface");
	assert_null(l.out);
	ifl_free(&l);
}

/* Two ports that swap names: a name means the port that had it where the
 * rule stands. */
static void test_rename_swap(void **state)
{
	struct ifl l = ifl_run("/ip firewall filter add chain=input in-interface=ether1 action=drop comment=before\n"
			       "/interface ethernet set ether1 name=tmp\n"
			       "/interface ethernet set ether2 name=ether1\n"
			       "/interface ethernet set tmp name=ether2\n"
			       "/ip firewall filter add chain=input in-interface=ether1 action=accept comment=after\n",
			       NULL, NULL);

	(void)state;
	assert_no_errors(l.d);
	assert_has(l, "iifname \"ether2\" counter name");
	assert_has(l, "drop comment \"before\"");
	assert_has(l, "iifname \"ether1\" counter name");
	assert_non_null(strstr(strstr(l.out, "iifname \"ether2\""), "before"));
	assert_non_null(strstr(strstr(l.out, "iifname \"ether1\""), "after"));
	ifl_free(&l);
}

/* An added interface renamed through [find name=...]; a rule that names it
 * before the add still means it. */
static void test_rename_added(void **state)
{
	static const char *const args[] = { "br-lan=br0", NULL };
	struct ifl l = ifl_run("/ip firewall filter add chain=input in-interface=bridge action=accept\n"
			       "/interface bridge add name=bridge\n"
			       "/interface bridge set [ find name=bridge ] name=br-lan\n"
			       "/ip firewall filter add chain=input out-interface=br-lan action=accept\n",
			       NULL, args);

	(void)state;
	assert_no_warnings(l.d);
	assert_has(l, "iifname \"br0\"");
	assert_has(l, "oifname \"br0\"");
	assert_lacks(l, "bridge\"");
	ifl_free(&l);
}

/* ---- special names ------------------------------------------------------ */

static void test_special_defaults(void **state)
{
	struct ifl l = ifl_run("/ip firewall filter\n"
			       "add chain=input in-interface=all-ppp action=drop\n"
			       "add chain=input in-interface=!all-ethernet action=drop\n"
			       "add chain=forward out-interface=all-wireless action=drop\n"
			       "add chain=forward out-interface=all-vlan action=drop\n"
			       "add chain=forward out-interface=all-ppp action=drop\n",
			       NULL, NULL);

	(void)state;
	assert_lacks(l, "\"all-");
	assert_has(l, "iifname \"ppp*\"");
	assert_has(l, "iifname != { \"en*\", \"eth*\" }");
	assert_has(l, "oifname \"wl*\"");
	assert_has(l, "oifname \"vlan*\"");
	/* Noted once each, where first used. */
	assert_diag(l.d, DIAG_NOTE, 2, 30, "all-ppp is RouterOS's name for a kind of interface: here it matches ppp*");
	assert_diag(l.d, DIAG_NOTE, 3, 30, "here it matches en*, eth*");
	assert_int_equal(diag_count_level(l.d, DIAG_NOTE), 4);
	ifl_free(&l);
}

static void test_special_overridden(void **state)
{
	static const char *const args[] = { "all-ppp=pppoe*,l2tp*", NULL };
	struct ifl l = ifl_run("/ip firewall filter add chain=input in-interface=all-ppp action=drop\n", NULL, args);

	(void)state;
	assert_has(l, "iifname { \"l2tp*\", \"pppoe*\" }");
	assert_lacks(l, "\"ppp*\"");
	assert_int_equal(diag_count(l.d), 0);
	ifl_free(&l);
}

/* ---- several names and prefixes ----------------------------------------- */

static void test_several_names(void **state)
{
	static const char map[] = "ether2 = enp2s0, enp3s0\n"
				  "pppoe-out1 = ppp*\n"
				  "ether1 = enp1s0, enp1s0\n";
	struct ifl l = ifl_run("/ip firewall filter\n"
			       "add chain=input in-interface=ether2 action=accept\n"
			       "add chain=input in-interface=!ether2 action=drop\n"
			       "add chain=forward out-interface=pppoe-out1 action=accept\n"
			       "add chain=forward out-interface=!pppoe-out1 action=drop\n"
			       "add chain=forward in-interface=ether1 action=drop\n",
			       map, NULL);

	(void)state;
	assert_no_warnings(l.d);
	assert_has(l, "iifname { \"enp2s0\", \"enp3s0\" } counter");
	/* not in either */
	assert_has(l, "iifname != { \"enp2s0\", \"enp3s0\" } counter");
	assert_has(l, "oifname \"ppp*\" counter");
	assert_has(l, "oifname != \"ppp*\" counter");
	/* a name given twice is one name */
	assert_has(l, "iifname \"enp1s0\" counter");
	ifl_free(&l);
}

/* Names a prefix covers, and a prefix given twice, are one: the kernel
 * refuses overlapping intervals. */
static void test_covered_names(void **state)
{
	static const char *const args[] = { "ether1=ppp*,ppp0,ppp*,pp*", "ether2=wg*,wg0,enp1s0", NULL };
	struct ifl l = ifl_run("/ip firewall filter\n"
			       "add chain=input in-interface=ether1 action=drop\n"
			       "add chain=input in-interface=!ether2 action=drop\n",
			       NULL, args);

	(void)state;
	assert_has(l, "iifname \"pp*\" counter");
	assert_has(l, "iifname != { \"enp1s0\", \"wg*\" } counter");
	ifl_free(&l);
}

/* An interface list holding a prefix is an interval set; names the prefix
 * covers go (the kernel refuses overlapping intervals). */
static void test_iflist_prefix(void **state)
{
	static const char *const args[] = { "pppoe-out1=ppp*", "ether9=ppp0", NULL };
	struct ifl l = ifl_run("/interface list add name=WAN\n"
			       "/interface list member add interface=pppoe-out1 list=WAN\n"
			       "/interface list member add interface=ether1 list=WAN\n"
			       "/interface list member add interface=ether9 list=WAN\n"
			       "/ip firewall filter add chain=input in-interface-list=WAN action=drop\n",
			       NULL, args);

	(void)state;
	assert_has(l, "flags interval\n");
	assert_has(l, "elements = { \"ether1\", \"ppp*\" }");
	ifl_free(&l);
}

/* An interface list of plain names stays as it was: no interval flag. */
static void test_iflist_names(void **state)
{
	static const char *const args[] = { "ether2=enp2s0,enp3s0", NULL };
	struct ifl l = ifl_run("/interface list add name=LAN\n"
			       "/interface list member add interface=ether2 list=LAN\n"
			       "/ip firewall filter add chain=input in-interface-list=LAN action=accept\n",
			       NULL, args);

	(void)state;
	assert_lacks(l, "interval");
	assert_has(l, "elements = { \"enp2s0\", \"enp3s0\" }");
	ifl_free(&l);
}

/* ---- the typo guard and counters ---------------------------------------- */

static void test_unused_entry_warns(void **state)
{
	static const char map[] = "ether1 = enp1s0\n"
				  "ethre1 = enp1s0\n"
				  "bridge = br0\n"
				  "zzzzzzzz = x\n";
	struct ifl l = ifl_run("/interface bridge add name=bridge\n"
			       "/ip firewall filter add chain=input in-interface=ether1 action=drop disabled=yes\n",
			       map, NULL);

	(void)state;
	/* ether1: a disabled rule uses it; bridge: the configuration defines it. */
	assert_diag(l.d, DIAG_WARNING, 2, 1, "the configuration has no interface \"ethre1\"");
	assert_diag(l.d, DIAG_WARNING, 2, 1, "did you mean \"ether1\"?");
	assert_diag(l.d, DIAG_WARNING, 4, 1, "no interface \"zzzzzzzz\" (nor an interface whose default-name it is): this entry maps nothing (a typo?)");
	assert_int_equal(diag_count_level(l.d, DIAG_WARNING), 2);
	ifl_free(&l);
}

/* A rule keeps its counter whatever a map makes of its interfaces, as a
 * RouterOS rule does when its interface is renamed, and print knows it
 * without the map. */
static void test_counter_ignores_names(void **state)
{
	static const char src[] = "/ip firewall filter add chain=input in-interface=ether1 action=drop\n";
	static const char *const a1[] = { "ether1=enp1s0", NULL }, *const a2[] = { "ether1=enp2s0", NULL };
	struct ifl plain = ifl_run(src, NULL, NULL), m1 = ifl_run(src, NULL, a1), m2 = ifl_run(src, NULL, a2);
	const char *c0 = strstr(plain.out, "counter c_"), *c1 = strstr(m1.out, "counter c_"),
		   *c2 = strstr(m2.out, "counter c_");

	(void)state;
	assert_non_null(c0);
	assert_non_null(c1);
	assert_non_null(c2);
	assert_memory_equal(c0, c1, 30);
	assert_memory_equal(c1, c2, 30);
	assert_non_null(strstr(m1.out, "\"enp1s0\""));
	assert_non_null(strstr(m2.out, "\"enp2s0\""));
	ifl_free(&plain);
	ifl_free(&m1);
	ifl_free(&m2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_file),
		cmocka_unit_test(test_map_errors),
		cmocka_unit_test(test_map_one_entry),
		cmocka_unit_test(test_map_later_source_wins),
		cmocka_unit_test(test_rename_takes_effect),
		cmocka_unit_test(test_rename_map_by_either_name),
		cmocka_unit_test(test_rename_map_conflict),
		cmocka_unit_test(test_rename_swap),
		cmocka_unit_test(test_rename_added),
		cmocka_unit_test(test_special_defaults),
		cmocka_unit_test(test_special_overridden),
		cmocka_unit_test(test_several_names),
		cmocka_unit_test(test_covered_names),
		cmocka_unit_test(test_iflist_prefix),
		cmocka_unit_test(test_iflist_names),
		cmocka_unit_test(test_unused_entry_warns),
		cmocka_unit_test(test_counter_ignores_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
