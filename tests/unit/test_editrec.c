/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The edit record (runtime/editrec.h): each statement learns the run of
 * kernel rules it made from a scan (rules of other files and statements
 * with rules apart are told); the record reads back as written, and a
 * damaged or truncated one does not read at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "editrec.h"
#include "emit_nl.h"
#include "ir.h"

int __wrap_trust_private(const char *path, char *why, size_t size);
int __wrap_trust_make_dir(const char *path);

int __wrap_trust_private(const char *path, char *why, size_t size)
{
	(void)path;
	(void)why;
	(void)size;
	return 0;
}

int __wrap_trust_make_dir(const char *path)
{
	(void)path;
	return 0;
}

static const char src[] = "/ip firewall filter\n"		/* line 1, stmt 0 */
			  "add chain=input action=accept\n"	/* 2, 1 */
			  "add chain=input \\\n"		/* 3, 2 */
			  "    action=drop\n"
			  "add chain=forward action=drop\n"	/* 5, 3 */
			  "add chain=input disabled=yes\n";	/* 6, 4 */

static void make(struct editrec *e)
{
	memset(e, 0, sizeof(*e));
	e->path = strdup("/etc/fw.rsc");
	e->len = sizeof(src) - 1;
	e->src = malloc(e->len);
	memcpy(e->src, src, e->len);
	stmt_index_build(src, e->len, 1, MENU_UNKNOWN, &e->x);
	assert_true(e->x.flat);
	assert_int_equal(e->x.n, 5);
}

static void test_map_rules(void **state)
{
	/* scan order: input rules of stmts 1, 2, 2 (a prelude and its rule),
	 * a rule of another file, then forward's of stmt 3, then one more
	 * of stmt 1 (not one run with its first). */
	static const struct {
		uint32_t file, line;
	} at[] = { { 1, 2 }, { 1, 3 }, { 1, 3 }, { 2, 3 }, { 1, 5 }, { 1, 2 } };
	struct ir_rule rules[6];
	struct emit_nl_rulefp fp[6];
	struct emit_nl_scan s = { .rules = fp, .nrules = 6 };
	struct editrec e;
	size_t i;

	(void)state;
	make(&e);
	memset(rules, 0, sizeof(rules));
	memset(fp, 0, sizeof(fp));
	for (i = 0; i < 6; i++) {
		rules[i].loc.file = at[i].file;
		rules[i].loc.line = at[i].line;
		fp[i].rule = &rules[i];
	}
	editrec_map_rules(&e, &s, 1);
	assert_int_equal(e.x.v[0].nrules, 0);
	assert_int_equal(e.x.v[1].nrules, 2);
	assert_int_equal(e.x.v[1].rule, UINT32_MAX);
	assert_int_equal(e.x.v[2].rule, 1);
	assert_int_equal(e.x.v[2].nrules, 2);
	assert_int_equal(e.x.v[3].rule, 4);
	assert_int_equal(e.x.v[3].nrules, 1);
	assert_int_equal(e.x.v[4].nrules, 0);
	assert_int_equal(e.merged, 0);
	editrec_free(&e);
}

static void test_round_trip(void **state)
{
	char dir[] = "/tmp/test_editrec.XXXXXX", path[64];
	struct editrec e, r;
	FILE *f;
	long size;
	char *buf;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/applied.rsc", dir);
	setenv("ROSFW_RECORD", path, 1);
	make(&e);
	e.build = 1;
	e.opts = 2;
	e.genid = 77;
	e.x.v[2].rule = 5;
	e.x.v[2].nrules = 3;
	assert_int_equal(editrec_write(&e), 0);
	assert_int_equal(editrec_read(&r), 0);
	assert_int_equal(r.build, 1);
	assert_int_equal(r.opts, 2);
	assert_int_equal(r.genid, 77);
	assert_string_equal(r.path, "/etc/fw.rsc");
	assert_int_equal(r.len, e.len);
	assert_memory_equal(r.src, e.src, e.len);
	assert_int_equal(r.x.n, e.x.n);
	assert_memory_equal(r.x.v, e.x.v, e.x.n * sizeof(*e.x.v));
	assert_true(r.x.flat);
	assert_int_equal(r.x.menu_end, MENU_IP_FILTER);
	editrec_free(&r);

	/* one byte of the source changed on disk: not read */
	f = fopen(editrec_path(), "r+b");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	buf = malloc((size_t)size);
	fseek(f, 0, SEEK_SET);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	buf[size / 2] ^= 1;
	fseek(f, 0, SEEK_SET);
	fwrite(buf, 1, (size_t)size, f);
	fclose(f);
	assert_int_equal(editrec_read(&r), -1);
	/* truncated */
	buf[size / 2] ^= 1;
	f = fopen(editrec_path(), "wb");
	fwrite(buf, 1, (size_t)size - 1, f);
	fclose(f);
	assert_int_equal(editrec_read(&r), -1);
	editrec_remove();
	assert_int_equal(access(editrec_path(), F_OK), -1);
	assert_int_equal(editrec_read(&r), -1);
	free(buf);
	editrec_free(&e);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_rules),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
