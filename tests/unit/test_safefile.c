/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/safefile: a file is replaced whole or not at all, never through a
 * link someone planted (at the old NAME.tmp, at the very name the random
 * draw gives, or at NAME itself in a sticky directory), and what is not a
 * regular file is written in place.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cmocka.h>

#include "safefile.h"

static char dir[] = "/tmp/test_safefile.XXXXXX";

/* The random draw, made predictable while `fixed_draws` is above zero:
 * the test then knows the temporary name and can plant a link there. */
static int fixed_draws;

ssize_t getrandom(void *buf, size_t len, unsigned flags)
{
	if (fixed_draws > 0) {
		fixed_draws--;
		memset(buf, 7, len);
		return (ssize_t)len;
	}
	return syscall(SYS_getrandom, buf, len, flags);
}

static const char *at(const char *name)
{
	static char buf[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

static void spill(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void assert_content(const char *path, const char *want)
{
	char got[256] = "";
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(got, 1, sizeof(got) - 1, f);
	got[n] = '\0';
	fclose(f);
	assert_string_equal(got, want);
}

static int write_commit(const char *path, const char *text)
{
	struct safefile *sf = safefile_open(path, 0666);

	if (!sf)
		return -1;
	fputs(text, safefile_stream(sf));
	return safefile_commit(sf);
}

/* Names in the test directory, sorted, space-separated. */
static char *listing(const char *sub)
{
	static char out[1024];
	char names[32][64];
	struct dirent *e;
	DIR *d = opendir(sub ? at(sub) : dir);
	int n = 0, i, j;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && n < 32)
			snprintf(names[n++], sizeof(names[0]), "%.63s", e->d_name);
	closedir(d);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char t[64];

			memcpy(t, names[j], 64);
			memcpy(names[j], names[j - 1], 64);
			memcpy(names[j - 1], t, 64);
		}
	out[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? " " : "", names[i]);
	return out;
}

static int setup(void **st)
{
	char cmd[600];

	(void)st;
	snprintf(cmd, sizeof(cmd), "rm -rf %s/* %s/.[!.]*", dir, dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_replace_whole(void **st)
{
	struct stat a, b;

	(void)st;
	spill(at("out.nft"), "old\n");
	assert_int_equal(stat(at("out.nft"), &a), 0);
	assert_int_equal(write_commit(at("out.nft"), "new\n"), 0);
	assert_content(at("out.nft"), "new\n");
	/* A new inode: a reader holding the old file still reads it whole. */
	assert_int_equal(stat(at("out.nft"), &b), 0);
	assert_true(a.st_ino != b.st_ino);
	assert_string_equal(listing(NULL), "out.nft");
}

static void test_new_file_mode(void **st)
{
	struct stat s;
	mode_t old = umask(022);

	(void)st;
	assert_int_equal(write_commit(at("new.nft"), "x"), 0);
	assert_int_equal(stat(at("new.nft"), &s), 0);
	assert_int_equal(s.st_mode & 07777, 0644);
	{
		struct safefile *sf = safefile_open(at("state"), 0600);

		assert_non_null(sf);
		assert_int_equal(safefile_commit(sf), 0);
	}
	assert_int_equal(stat(at("state"), &s), 0);
	assert_int_equal(s.st_mode & 07777, 0600);
	umask(old);
}

static void test_abort_keeps_old(void **st)
{
	struct safefile *sf;

	(void)st;
	spill(at("out.nft"), "old\n");
	sf = safefile_open(at("out.nft"), 0666);
	assert_non_null(sf);
	fputs("half a scr", safefile_stream(sf));
	safefile_abort(sf);
	assert_content(at("out.nft"), "old\n");
	assert_string_equal(listing(NULL), "out.nft");
}

/* A full disk as a file size limit: the write fails (EFBIG), commit says
 * so, and the old file is untouched, no temporary left behind. */
static void test_write_error_keeps_old(void **st)
{
	struct rlimit old, small = { 4096, 4096 };
	struct safefile *sf;
	FILE *f;
	int i;

	(void)st;
	spill(at("out.nft"), "old\n");
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small.rlim_max = old.rlim_max;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	sf = safefile_open(at("out.nft"), 0666);
	assert_non_null(sf);
	f = safefile_stream(sf);
	for (i = 0; i < 10000; i++)
		fprintf(f, "rule %d\n", i);
	errno = 0;
	assert_int_equal(safefile_commit(sf), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_content(at("out.nft"), "old\n");
	assert_string_equal(listing(NULL), "out.nft");
}

static void test_planted_links_not_followed(void **st)
{
	char planted[256];
	int i;

	(void)st;
	spill(at("victim"), "victim\n");
	/* The old fixed name, and the name the next draw gives. */
	assert_int_equal(symlink(at("victim"), at("out.nft.tmp")), 0);
	snprintf(planted, sizeof(planted), ".out.nft.");
	for (i = 0; i < 12; i++)
		strcat(planted, "H");	/* byte 7 of the alphabet */
	assert_int_equal(symlink(at("victim"), at(planted)), 0);
	fixed_draws = 1;
	assert_int_equal(write_commit(at("out.nft"), "new\n"), 0);
	assert_int_equal(fixed_draws, 0);
	assert_content(at("victim"), "victim\n");
	assert_content(at("out.nft"), "new\n");
	/* Both links are still there, untouched; no temporary is left. */
	assert_string_equal(listing(NULL), ".out.nft.HHHHHHHHHHHH out.nft out.nft.tmp victim");
}

static void test_every_name_taken(void **st)
{
	(void)st;
	assert_int_equal(symlink(at("victim"), at(".out.nft.HHHHHHHHHHHH")), 0);
	fixed_draws = 1000;
	errno = 0;
	assert_int_equal(write_commit(at("out.nft"), "new\n"), -1);
	assert_int_equal(errno, EEXIST);
	fixed_draws = 0;
	assert_int_equal(access(at("victim"), F_OK), -1);
	assert_string_equal(listing(NULL), ".out.nft.HHHHHHHHHHHH");
}

/* The link stays a link; the file it leads to is replaced. */
static void test_link_followed(void **st)
{
	struct stat s;

	(void)st;
	assert_int_equal(mkdir(at("real"), 0755), 0);
	spill(at("real/out.nft"), "old\n");
	assert_int_equal(symlink("real/out.nft", at("out.nft")), 0);
	assert_int_equal(write_commit(at("out.nft"), "new\n"), 0);
	assert_int_equal(lstat(at("out.nft"), &s), 0);
	assert_true(S_ISLNK(s.st_mode));
	assert_content(at("real/out.nft"), "new\n");
	assert_string_equal(listing("real"), "out.nft");
	/* A link to a file not there yet makes that file. */
	assert_int_equal(symlink("real/later.nft", at("later")), 0);
	assert_int_equal(write_commit(at("later"), "later\n"), 0);
	assert_content(at("real/later.nft"), "later\n");
	assert_int_equal(lstat(at("later"), &s), 0);
	assert_true(S_ISLNK(s.st_mode));
}

/* In a sticky world-writable directory, a link of another user is not
 * followed (as fs.protected_symlinks would refuse it); one of the caller's
 * own, or of the directory's owner, is. */
static void test_sticky_links(void **st)
{
	(void)st;
	if (geteuid() != 0)
		skip();
	assert_int_equal(mkdir(at("tmp"), 0755), 0);
	assert_int_equal(chmod(at("tmp"), 01777), 0);
	spill(at("victim"), "victim\n");
	assert_int_equal(symlink(at("victim"), at("tmp/out.nft")), 0);
	assert_int_equal(lchown(at("tmp/out.nft"), 65534, 65534), 0);
	errno = 0;
	assert_int_equal(write_commit(at("tmp/out.nft"), "new\n"), -1);
	assert_int_equal(errno, EACCES);
	assert_content(at("victim"), "victim\n");
	/* One hop further down a chain counts the same. */
	assert_int_equal(symlink(at("tmp/out.nft"), at("chain")), 0);
	assert_int_equal(write_commit(at("chain"), "new\n"), -1);
	assert_content(at("victim"), "victim\n");
	/* The caller's own link is followed. */
	assert_int_equal(symlink(at("victim"), at("tmp/mine")), 0);
	assert_int_equal(write_commit(at("tmp/mine"), "mine\n"), 0);
	assert_content(at("victim"), "mine\n");
	assert_string_equal(listing("tmp"), "mine out.nft");
}

static void test_fifo_in_place(void **st)
{
	char got[64] = "";
	struct stat s;
	int rd;

	(void)st;
	assert_int_equal(mkfifo(at("fifo"), 0600), 0);
	rd = open(at("fifo"), O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	assert_int_equal(write_commit(at("fifo"), "through\n"), 0);
	assert_int_equal(read(rd, got, sizeof(got) - 1), 8);
	assert_string_equal(got, "through\n");
	close(rd);
	assert_int_equal(lstat(at("fifo"), &s), 0);
	assert_true(S_ISFIFO(s.st_mode));
	assert_string_equal(listing(NULL), "fifo");
}

/* A device node stays one (the test's own null, not the system's). */
static void test_device_in_place(void **st)
{
	struct stat s;

	(void)st;
	if (geteuid() != 0 || mknod(at("null"), S_IFCHR | 0666, makedev(1, 3)) < 0)
		skip();
	assert_int_equal(symlink("null", at("link")), 0);
	assert_int_equal(write_commit(at("null"), "x\n"), 0);
	assert_int_equal(write_commit(at("link"), "x\n"), 0);
	assert_int_equal(lstat(at("null"), &s), 0);
	assert_true(S_ISCHR(s.st_mode));
	assert_int_equal(s.st_rdev, makedev(1, 3));
	assert_string_equal(listing(NULL), "link null");
}

static void test_refusals(void **st)
{
	(void)st;
	assert_int_equal(mkdir(at("d"), 0755), 0);
	errno = 0;
	assert_null(safefile_open(at("d"), 0666));
	assert_int_equal(errno, EISDIR);
	errno = 0;
	assert_null(safefile_open(at("nodir/out.nft"), 0666));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(symlink("loop", at("loop")), 0);
	errno = 0;
	assert_null(safefile_open(at("loop"), 0666));
	assert_int_equal(errno, ELOOP);
	assert_string_equal(listing(NULL), "d loop");
}

/* What a killed writer left goes; nothing else, and no link is followed. */
static void test_sweep(void **st)
{
	struct safefile *sf;

	(void)st;
	spill(at("state"), "old");
	spill(at("victim"), "keep");
	spill(at(".state.AAAAAAAAAAAA"), "left by a crash");
	assert_int_equal(symlink(at("victim"), at(".state.BBBBBBBBBBBB")), 0);
	spill(at(".state.short"), "not ours");
	spill(at(".other.CCCCCCCCCCCC"), "another file's");
	spill(at(".state.DDDDDDDDDDDD.x"), "not ours either");
	/* A writer that is still busy is not met here: the sweep is for
	 * directories with one writer, before it writes. */
	assert_int_equal(safefile_sweep(at("state")), 2);
	assert_string_equal(listing(NULL), ".other.CCCCCCCCCCCC .state.DDDDDDDDDDDD.x .state.short state victim");
	assert_content(at("victim"), "keep");
	sf = safefile_open(at("state"), 0600);
	assert_non_null(sf);
	safefile_abort(sf);
	assert_int_equal(safefile_sweep(at("state")), 0);
	assert_int_equal(safefile_sweep(at("nodir/state")), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_replace_whole, setup),
		cmocka_unit_test_setup(test_new_file_mode, setup),
		cmocka_unit_test_setup(test_abort_keeps_old, setup),
		cmocka_unit_test_setup(test_write_error_keeps_old, setup),
		cmocka_unit_test_setup(test_planted_links_not_followed, setup),
		cmocka_unit_test_setup(test_every_name_taken, setup),
		cmocka_unit_test_setup(test_link_followed, setup),
		cmocka_unit_test_setup(test_sticky_links, setup),
		cmocka_unit_test_setup(test_fifo_in_place, setup),
		cmocka_unit_test_setup(test_device_in_place, setup),
		cmocka_unit_test_setup(test_refusals, setup),
		cmocka_unit_test_setup(test_sweep, setup),
	};
	char cmd[600];
	int rc;

	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return rc;
}
