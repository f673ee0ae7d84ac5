/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where rosfwd accepts its state file: only where nobody but root (or the
 * user it runs as) could have written it. geteuid is wrapped
 * (WRAP_test_trust in the Makefile) so that the user rosfwd runs as can be
 * another than the test's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "trust.h"

/* The user rosfwd runs as, or (uid_t)-1: the test's own. */
static uid_t as_user = (uid_t)-1;

uid_t __real_geteuid(void);
uid_t __wrap_geteuid(void);

uid_t __wrap_geteuid(void)
{
	return as_user != (uid_t)-1 ? as_user : __real_geteuid();
}

struct tree {
	char top[64], dir[96], file[128];
};

static int tree_new(void **st)
{
	struct tree *t = calloc(1, sizeof(*t));

	snprintf(t->top, sizeof(t->top), "/tmp/rosfw-trust-XXXXXX");
	if (!mkdtemp(t->top))
		return -1;
	snprintf(t->dir, sizeof(t->dir), "%s/state", t->top);
	snprintf(t->file, sizeof(t->file), "%s/file", t->dir);
	*st = t;
	return 0;
}

static int tree_free(void **st)
{
	struct tree *t = *st;
	char link[160];

	as_user = (uid_t)-1;
	snprintf(link, sizeof(link), "%s/link", t->top);
	unlink(link);
	unlink(t->file);
	rmdir(t->dir);
	rmdir(t->top);
	free(t);
	return 0;
}

static void write_file(const char *path, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs("x\n", f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void test_private_dir(void **st)
{
	struct tree *t = *st;
	char why[512];

	assert_int_equal(trust_make_dir(t->file), 0);
	assert_int_equal(trust_private(t->file, why, sizeof(why)), 0);
	write_file(t->file, 0600);
	assert_int_equal(trust_private(t->file, why, sizeof(why)), 0);
	/* Readable by others is not writable by them. */
	assert_int_equal(chmod(t->file, 0644), 0);
	assert_int_equal(trust_private(t->file, why, sizeof(why)), 0);
}

static void test_writable_by_others(void **st)
{
	struct tree *t = *st;
	char why[512];

	assert_int_equal(trust_make_dir(t->file), 0);
	assert_int_equal(chmod(t->dir, 0777), 0);
	assert_int_equal(trust_private(t->file, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "writable by others"));
	/* The sticky bit does not make the state directory itself safe:
	 * anyone could make the file before rosfwd does. */
	assert_int_equal(chmod(t->dir, 01777), 0);
	assert_int_equal(trust_private(t->file, why, sizeof(why)), -1);
	assert_int_equal(chmod(t->dir, 0700), 0);
	/* A directory above it, writable and not sticky. */
	assert_int_equal(chmod(t->top, 0777), 0);
	assert_int_equal(trust_private(t->file, why, sizeof(why)), -1);
	assert_non_null(strstr(why, t->top));
	assert_int_equal(chmod(t->top, 01777), 0);
	assert_int_equal(trust_private(t->file, why, sizeof(why)), 0);
	assert_int_equal(chmod(t->top, 0700), 0);
	write_file(t->file, 0620);
	assert_int_equal(trust_private(t->file, why, sizeof(why)), -1);
	assert_int_equal(chmod(t->file, 0600), 0);
	assert_int_equal(trust_private(t->file, why, sizeof(why)), 0);
}

static void test_link_and_owner(void **st)
{
	struct tree *t = *st;
	char why[512], link[160];

	assert_int_equal(trust_make_dir(t->file), 0);
	snprintf(link, sizeof(link), "%s/link", t->top);
	write_file(link, 0600);
	assert_int_equal(symlink(link, t->file), 0);
	assert_int_equal(trust_private(t->file, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "symbolic link"));
	unlink(t->file);
	write_file(t->file, 0600);
	if (geteuid() != 0)
		skip();
	assert_int_equal(chown(t->file, 65534, 65534), 0);
	assert_int_equal(trust_private(t->file, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "owned by another user"));
	assert_int_equal(chown(t->file, 0, 0), 0);
	assert_int_equal(chown(t->dir, 65534, 65534), 0);
	assert_int_equal(trust_private(t->file, why, sizeof(why)), -1);
	assert_int_equal(chown(t->dir, 0, 0), 0);
}

/*
 * rosfwd run as a user of its own (User= in its unit): directories owned
 * by root or by that user are its own, the file must be that user's, and
 * what another user owns is refused. Run as root, the test's own user
 * would be both at once.
 */
static void test_as_a_service_user(void **st)
{
	struct tree *t = *st;
	char why[512];

	if (__real_geteuid() != 0)
		skip();
	as_user = 4242;
	assert_int_equal(trust_make_dir(t->file), 0);
	/* The state directory root made: the user's to use. */
	assert_int_equal(trust_private(t->file, why, sizeof(why)), 0);
	write_file(t->file, 0600);
	assert_int_equal(trust_private(t->file, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "owned by another user (owner uid 0"));
	assert_int_equal(chown(t->file, 4242, 4242), 0);
	assert_int_equal(trust_private(t->file, why, sizeof(why)), 0);
	assert_int_equal(chown(t->dir, 4242, 4242), 0);
	assert_int_equal(trust_private(t->file, why, sizeof(why)), 0);
	/* Neither root's nor the user's. */
	assert_int_equal(chown(t->dir, 4343, 4343), 0);
	assert_int_equal(trust_private(t->file, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "directory"));
	assert_non_null(strstr(why, "owned by another user (owner uid 4343"));
	assert_int_equal(chown(t->top, 4343, 4343), 0);
	assert_int_equal(chown(t->dir, 0, 0), 0);
	assert_int_equal(trust_private(t->file, why, sizeof(why)), -1);
	assert_non_null(strstr(why, t->top));
	assert_int_equal(chown(t->top, 0, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_private_dir, tree_new, tree_free),
		cmocka_unit_test_setup_teardown(test_writable_by_others, tree_new, tree_free),
		cmocka_unit_test_setup_teardown(test_link_and_owner, tree_new, tree_free),
		cmocka_unit_test_setup_teardown(test_as_a_service_user, tree_new, tree_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
