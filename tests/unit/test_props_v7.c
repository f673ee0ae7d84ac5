/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The property table held against RouterOS's own command tree
 * (../shared/reference/routeros-v7-properties.tsv: every argument of the
 * firewall menus of 7.24, the keywords completion offers, and what changed
 * since 7.9). Every argument of a menu rosfw models is a row of props.def
 * (translated, or refused with a reason: never "unknown property"), every
 * keyword passes that row's own value checker, and every argument RouterOS
 * lets start with '!' lets it here. A new RouterOS release is then one diff
 * of that file away: its new rows fail here until the table knows them.
 *
 * ROSFW_V7_PROPERTIES names another copy of the file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "menu.h"
#include "props.h"
#include "value.h"

#define TSV_DEFAULT "../shared/reference/routeros-v7-properties.tsv"

enum { C_VERSION, C_MENU, C_COMMAND, C_PROPERTY, C_TYPE, C_HELP, C_VALUES, C_OBJECTS, C_NOTES, C__COUNT };

struct row {
	char *col[C__COUNT];
	int line;
};

static struct row *rows;
static size_t nrows;

/* One tab-separated line into its columns, in place. */
static int split(char *line, char **col)
{
	int n = 0;

	col[n++] = line;
	for (char *p = line; *p && n < C__COUNT; p++) {
		if (*p == '\t') {
			*p = '\0';
			col[n++] = p + 1;
		}
	}
	return n;
}

static int load(void **state)
{
	const char *path = getenv("ROSFW_V7_PROPERTIES");
	char buf[4096];
	FILE *f;
	int line = 0;

	(void)state;
	if (!path || !*path)
		path = TSV_DEFAULT;
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: cannot open (set ROSFW_V7_PROPERTIES)\n", path);
		return -1;
	}
	while (fgets(buf, sizeof(buf), f)) {
		struct row r = { .line = ++line };
		size_t n = strcspn(buf, "\r\n");

		buf[n] = '\0';
		if (line == 1 || !n)
			continue;
		if (split(strdup(buf), r.col) != C__COUNT) {
			fprintf(stderr, "%s:%d: not %d columns\n", path, line, C__COUNT);
			fclose(f);
			return -1;
		}
		rows = realloc(rows, (nrows + 1) * sizeof(*rows));
		rows[nrows++] = r;
	}
	fclose(f);
	return nrows > 700 ? 0 : -1;
}

/* The menu kind of a console path ("/ip/firewall/filter"), MK_NONE for a
 * menu rosfw does not model. */
static enum menu_kind kind_of(const char *path)
{
	const struct menu_node *n = menu_root();

	while (*path == '/') {
		size_t len;

		path++;
		len = strcspn(path, "/");
		n = menu_child(n, path, len);
		if (!n)
			return MK_NONE;
		path += len;
	}
	return menu_kind(n);
}

/*
 * Menus whose items rosfw reads only for their names: an interface menu
 * (its name= defines the interfaces rules may name; every other property
 * configures the interface, which the server does) is passed, not held.
 */
static bool held(enum menu_kind k)
{
	return k != MK_NONE && k != MK_INTERFACE;
}

/* Arguments of the command itself, not properties an item keeps. */
static bool command_argument(const char *cmd, const char *name)
{
	return !strcmp(name, "numbers") && !strcmp(cmd, "set");
}

static void test_every_argument_known(void **state)
{
	unsigned bad = 0, seen = 0;

	(void)state;
	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		enum menu_kind k = kind_of(r->col[C_MENU]);

		if (!held(k) || command_argument(r->col[C_COMMAND], r->col[C_PROPERTY]))
			continue;
		/* A 7.9 row is an argument 7.9 had that 7.24 lacks (older
		 * exports write it, so it stays known) or the note that a
		 * 7.24 argument is new. */
		if (!strcmp(r->col[C_VERSION], "7.9") && strstr(r->col[C_NOTES], "added:"))
			continue;
		seen++;
		if (!prop_lookup(k, r->col[C_PROPERTY])) {
			fprintf(stderr, "line %d: %s %s: unknown property\n", r->line, r->col[C_MENU],
				r->col[C_PROPERTY]);
			bad++;
		}
	}
	assert_true(seen > 400);
	assert_int_equal(bad, 0);
}

/*
 * Completion offers the first word of a value whose type has more to it
 * (ttl=equal:64, per-connection-classifier=src-address:2/0,
 * ipsec-policy=in,ipsec, new-ttl=set:64): such a keyword passes when it
 * does with the rest of a value of its type.
 */
static const char *rest_of(enum vtype t)
{
	switch (t) {
	case VT_TTL:
	case VT_ACTION_VALUE:
		return ":64";
	case VT_PCC:
		return ":2/0";
	case VT_IPSEC_POLICY:
		return ",ipsec";
	default:
		return NULL;
	}
}

static bool keyword_ok(const struct prop_def *p, enum menu_kind k, const char *w, struct verr *e)
{
	const char *rest = rest_of(p->type);
	char buf[128];

	if (p->id == P_ACTION) {
		snprintf(e->msg, sizeof(e->msg), "unknown action");
		return action_lookup_n(k, w, strlen(w)) != NULL;
	}
	if (value_check(p, k, w, strlen(w), e))
		return true;
	if (!rest)
		return false;
	snprintf(buf, sizeof(buf), "%s%s", w, rest);
	return value_check(p, k, buf, strlen(buf), e);
}

/* Each keyword of `values`; "" stands for the empty choice. */
static void test_every_keyword_accepted(void **state)
{
	unsigned bad = 0, seen = 0;

	(void)state;
	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		enum menu_kind k = kind_of(r->col[C_MENU]);
		const struct prop_def *p;
		char *vals, *w, *save;

		if (!held(k) || !*r->col[C_VALUES] || !(p = prop_lookup(k, r->col[C_PROPERTY])))
			continue;
		vals = strdup(r->col[C_VALUES]);
		for (w = strtok_r(vals, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
			struct verr e;

			if (!strcmp(w, "\"\""))
				w = "";
			seen++;
			if (!keyword_ok(p, k, w, &e)) {
				fprintf(stderr, "line %d: %s %s=%s: %s\n", r->line, r->col[C_MENU], p->name, w, e.msg);
				bad++;
			}
		}
		free(vals);
	}
	assert_true(seen > 200);
	assert_int_equal(bad, 0);
}

static void test_negation_where_routeros_has_it(void **state)
{
	unsigned bad = 0;

	(void)state;
	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		enum menu_kind k = kind_of(r->col[C_MENU]);
		const struct prop_def *p;

		if (!held(k) || !strstr(r->col[C_NOTES], "negation") || !(p = prop_lookup(k, r->col[C_PROPERTY])))
			continue;
		if (!(p->flags & (PF_NEG | PF_LIST_NEG))) {
			fprintf(stderr, "line %d: %s %s: RouterOS takes '!', rosfw does not\n", r->line,
				r->col[C_MENU], p->name);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_argument_known),
		cmocka_unit_test(test_every_keyword_accepted),
		cmocka_unit_test(test_negation_where_routeros_has_it),
	};

	return cmocka_run_group_tests(tests, load, NULL);
}
