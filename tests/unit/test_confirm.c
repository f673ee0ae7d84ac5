/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * apply --confirm's rollback file without a kernel and without /run:
 * every path under /run/rosfw that confirm.c opens, makes, renames or
 * removes goes to a temporary directory instead (mkdir, open, opendir,
 * rename, link, unlink, trust_private wrapped), and the tables and
 * settings it saves and puts back come from and go to the test
 * (snapshot_take, snapshot_restore, ct_sysctl_get, ct_sysctl_set,
 * nlsock_admin_check wrapped; WRAP_test_confirm in the Makefile). What is
 * checked: what a save writes, what confirm and rollback do with it, and
 * how rollbacks nobody will run, interrupted ones, other namespaces'
 * files and half-written saves are told apart.
 */
#include "helpers.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "confirm.h"
#include "exitcode.h"
#include "lower.h"
#include "snapshot.h"
#include "trust.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

/* ---- /run/rosfw, elsewhere ----------------------------------------------------- */

static char top[] = "/tmp/test_confirm.XXXXXX";
static char run_dir[64];	/* what /run/rosfw is in this test */

/* `path` with /run/rosfw replaced; one of two buffers, for rename and link. */
static const char *moved(const char *path)
{
	static char buf[2][512];
	static int which;
	char *b = buf[which++ % 2];

	if (strncmp(path, "/run/rosfw", 10) || (path[10] && path[10] != '/'))
		return path;
	snprintf(b, sizeof(buf[0]), "%s%s", run_dir, path + 10);
	return b;
}

int __real_mkdir(const char *path, mode_t mode);
int __real_open(const char *path, int flags, ...);
DIR *__real_opendir(const char *path);
int __real_rename(const char *a, const char *b);
int __real_link(const char *a, const char *b);
int __real_unlink(const char *path);
int __real_trust_private(const char *path, char *why, size_t size);
int __wrap_mkdir(const char *path, mode_t mode);
int __wrap_open(const char *path, int flags, ...);
DIR *__wrap_opendir(const char *path);
int __wrap_rename(const char *a, const char *b);
int __wrap_link(const char *a, const char *b);
int __wrap_unlink(const char *path);
int __wrap_trust_private(const char *path, char *why, size_t size);

int __wrap_mkdir(const char *path, mode_t mode)
{
	return __real_mkdir(moved(path), mode);
}

int __wrap_open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return __real_open(moved(path), flags, mode);
}

DIR *__wrap_opendir(const char *path)
{
	return __real_opendir(moved(path));
}

int __wrap_rename(const char *a, const char *b)
{
	const char *ma = moved(a);

	return __real_rename(ma, moved(b));
}

int __wrap_link(const char *a, const char *b)
{
	const char *ma = moved(a);

	return __real_link(ma, moved(b));
}

int __wrap_unlink(const char *path)
{
	return __real_unlink(moved(path));
}

int __wrap_trust_private(const char *path, char *why, size_t size)
{
	return __real_trust_private(moved(path), why, size);
}

/* ---- the tables and settings ------------------------------------------------------ */

/* What snapshot_take hands over: requests as a snapshot holds them
 * (tables_make), bytes of every value among them. */
static char tables[512];
static size_t tables_len;

static void tables_make(void)
{
	struct nlmsghdr *m = nftnl_nlmsg_build_hdr(tables, NFT_MSG_NEWTABLE, NFPROTO_IPV4, NLM_F_CREATE, 0);

	mnl_attr_put_strz(m, NFTA_TABLE_NAME, "rosfw");
	mnl_attr_put(m, NFTA_TABLE_USERDATA, 9, "\n\0\xff\x01ud\n\n\0");
	tables_len = MNL_ALIGN(m->nlmsg_len);
	m = nftnl_nlmsg_build_hdr(tables + tables_len, NFT_MSG_NEWCHAIN, NFPROTO_IPV4, NLM_F_CREATE, 0);
	mnl_attr_put_strz(m, NFTA_CHAIN_TABLE, "rosfw");
	mnl_attr_put_strz(m, NFTA_CHAIN_NAME, "filter_input");
	tables_len += MNL_ALIGN(m->nlmsg_len);
}

static struct {
	bool take_fails;
	int restore_answer;		/* what snapshot_restore returns */
	char *restored;			/* what it was given */
	size_t restored_len;
	int restores;
	char sets[512];			/* "name=value " for each ct_sysctl_set */
	bool admin_denied;
} k;

int __wrap_snapshot_take(struct snapshot *s);
int __wrap_snapshot_restore(const char *buf, size_t len);
bool __wrap_ct_sysctl_get(const char *name, uint64_t *v);
int __wrap_ct_sysctl_set(const char *name, uint64_t v);
int __wrap_nlsock_admin_check(void);

int __wrap_snapshot_take(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	if (k.take_fails) {
		errno = EPERM;
		return -1;
	}
	s->n = s->cap = tables_len;
	s->b = malloc(s->n);
	memcpy(s->b, tables, s->n);
	return 0;
}

int __wrap_snapshot_restore(const char *buf, size_t len)
{
	free(k.restored);
	k.restored = malloc(len + 1);
	memcpy(k.restored, buf, len);
	k.restored_len = len;
	k.restores++;
	return k.restore_answer;
}

/* The first three settings rosfw may write have values, the rest none. */
bool __wrap_ct_sysctl_get(const char *name, uint64_t *v)
{
	size_t i;

	for (i = 0; i < 3; i++)
		if (!strcmp(name, lower_ct_sysctl_name(i))) {
			*v = 11 * (i + 1);
			return true;
		}
	return false;
}

int __wrap_ct_sysctl_set(const char *name, uint64_t v)
{
	size_t n = strlen(k.sets);

	snprintf(k.sets + n, sizeof(k.sets) - n, "%s=%llu ", name, (unsigned long long)v);
	return 0;
}

int __wrap_nlsock_admin_check(void)
{
	if (k.admin_denied) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

/* ---- helpers ------------------------------------------------------------------------ */

static unsigned long netns_ino(void)
{
	struct stat st;

	assert_int_equal(stat("/proc/self/ns/net", &st), 0);
	return (unsigned long)st.st_ino;
}

static unsigned long long netns_cookie(void)
{
	unsigned long long c = 0;
	socklen_t len = sizeof(c);
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &c, &len) < 0)
		c = 0;
	if (fd >= 0)
		close(fd);
	return c;
}

/* The names in the run directory, sorted, joined by spaces, with this
 * namespace's "rollback.INO." shown as "R.". */
static char *run_names(void)
{
	static char out[1024];
	struct dirent **v;
	char prefix[64];
	int n, i;
	size_t o = 0, plen;

	out[0] = 0;
	plen = (size_t)snprintf(prefix, sizeof(prefix), "rollback.%lu.", netns_ino());
	n = scandir(run_dir, &v, NULL, alphasort);
	if (n < 0)
		return out;
	for (i = 0; i < n; i++) {
		const char *name = v[i]->d_name;

		if (strcmp(name, ".") && strcmp(name, "..")) {
			if (!strncmp(name, prefix, plen))
				o += (size_t)snprintf(out + o, sizeof(out) - o, "%sR.%s", o ? " " : "", name + plen);
			else
				o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", o ? " " : "", name);
		}
		free(v[i]);
	}
	free(v);
	return out;
}

/* The one pending rollback file's path (fails when not exactly one). */
static const char *pending_path(void)
{
	static char path[512];
	DIR *d = __real_opendir(run_dir);
	struct dirent *e;
	char prefix[64];
	int n = 0;

	assert_non_null(d);
	snprintf(prefix, sizeof(prefix), "rollback.%lu.", netns_ino());
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, prefix, strlen(prefix)) && !strchr(e->d_name + strlen(prefix), '.')) {
			snprintf(path, sizeof(path), "%s/%s", run_dir, e->d_name);
			n++;
		}
	closedir(d);
	if (n != 1)
		fail_msg("%d pending rollback files: %s", n, run_names());
	return path;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	char *b = malloc(1 << 16);

	assert_non_null(f);
	*n = fread(b, 1, 1 << 16, f);
	fclose(f);
	return b;
}

static void spill(const char *path, const char *b, size_t n)
{
	int fd = __real_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, n), (ssize_t)n);
	close(fd);
}

static char err_text[4096];

/* A command, as main runs it; what it said on stderr in err_text. */
static int run_cmd(int (*cmd)(int, char **), const char *name)
{
	char *argv[] = { (char *)name, NULL };
	FILE *tmp = tmpfile();
	int saved, rc;
	ssize_t n;

	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(tmp), 2);
	rc = cmd(1, argv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fileno(tmp), err_text, sizeof(err_text) - 1, 0);
	err_text[n > 0 ? n : 0] = 0;
	fclose(tmp);
	return rc;
}

#define assert_said(sub)                                                                \
	do {                                                                            \
		if (!strstr(err_text, (sub)))                                           \
			fail_msg("stderr lacks \"%s\"; it says:\n%s", (sub), err_text); \
	} while (0)

/* What confirm_may_arm or confirm_tell put in a diag, as text. */
static char *told(bool arm, bool *ok)
{
	static char out[4096];
	struct diag *d = diag_new(50);
	char *t;
	bool r = true;

	if (arm)
		r = confirm_may_arm(d);
	else
		confirm_tell(d);
	if (ok)
		*ok = r;
	t = diag_text(d);
	snprintf(out, sizeof(out), "%s", t ? t : "");
	free(t);
	diag_free(d);
	return out;
}

#define assert_told(text, sub)                                                          \
	do {                                                                            \
		if (!strstr((text), (sub)))                                             \
			fail_msg("messages lack \"%s\"; they are:\n%s", (sub), (text)); \
	} while (0)

/* A save by a process that is gone since: its lock went with it. */
static pid_t save_and_die(unsigned seconds)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (!pid)
		_exit(confirm_save(seconds) == 0 ? 0 : 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return pid;
}

static int setup(void **state)
{
	(void)state;
	free(k.restored);
	memset(&k, 0, sizeof(k));
	return 0;
}

/* Whatever a test left: no rollback of ours held, the directory empty. */
static int teardown(void **state)
{
	DIR *d;
	struct dirent *e;
	char p[512];

	(void)state;
	confirm_drop();
	d = __real_opendir(run_dir);
	if (d) {
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
				snprintf(p, sizeof(p), "%s/%s", run_dir, e->d_name);
				__real_unlink(p);
			}
		closedir(d);
		rmdir(run_dir);
	}
	return 0;
}

/* ---- saving ------------------------------------------------------------------------- */

/* "rosfw-rollback COOKIE LEN", the settings, the requests; 0600; its
 * modification time the deadline; no temporary file left. */
static void test_save_writes_the_file(void **state)
{
	char want[512];
	const char *path;
	struct stat st;
	size_t n, h;
	time_t t0, t1;
	char *b;

	(void)state;
	t0 = time(NULL);
	assert_int_equal(confirm_save(60), 0);
	t1 = time(NULL);
	path = pending_path();
	/* the ID: this process and the time of the save */
	{
		char pid[32];

		snprintf(pid, sizeof(pid), "R.%ld-", (long)getpid());
		assert_non_null(strstr(run_names(), pid));
	}
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_true(st.st_mtime >= t0 + 60 && st.st_mtime <= t1 + 60);
	b = slurp(path, &n);
	h = (size_t)snprintf(want, sizeof(want), "rosfw-rollback %llu %zu\nrosfw-sysctl 3\n%s 11\n%s 22\n%s 33\n",
			     netns_cookie(), tables_len, lower_ct_sysctl_name(0), lower_ct_sysctl_name(1),
			     lower_ct_sysctl_name(2));
	assert_int_equal(n, h + tables_len);
	assert_memory_equal(b, want, h);
	assert_memory_equal(b + h, tables, tables_len);
	free(b);
	assert_null(strstr(run_names(), ".tmp"));
}

/* A save that cannot take the tables writes nothing. */
static void test_save_without_tables(void **state)
{
	(void)state;
	k.take_fails = true;
	assert_int_equal(confirm_save(60), -1);
	assert_int_equal(errno, EPERM);
	assert_string_equal(run_names(), "");
}

/* What the file says goes into the firewall: a run directory others may
 * write is refused, nothing written there. */
static void test_save_refuses_unsafe_dir(void **state)
{
	char err[256];
	FILE *tmp = tmpfile();
	int saved;
	ssize_t n;

	(void)state;
	assert_int_equal(__real_mkdir(run_dir, 0700), 0);
	assert_int_equal(chmod(run_dir, 0777), 0);
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(tmp), 2);
	assert_int_equal(confirm_save(60), -1);
	assert_int_equal(errno, EPERM);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fileno(tmp), err, sizeof(err) - 1, 0);
	err[n > 0 ? n : 0] = 0;
	fclose(tmp);
	assert_non_null(strstr(err, "rosfw: refusing /run/rosfw:"));
	assert_string_equal(run_names(), "");
	assert_int_equal(chmod(run_dir, 0700), 0);
}

/* ---- confirm, rollback --------------------------------------------------------------- */

/* A pending rollback (its process, here this one, alive) stops a second
 * arm, is told after an apply, and `rosfw confirm` drops it. */
static void test_pending_then_confirmed(void **state)
{
	bool ok;
	char *t;

	(void)state;
	assert_int_equal(confirm_save(60), 0);
	t = told(true, &ok);
	assert_false(ok);
	assert_told(t, "error: a --confirm rollback is pending (due in ");
	assert_told(told(false, NULL), "warning: a --confirm rollback is pending: in ");
	assert_int_equal(run_cmd(cmd_confirm, "confirm"), EXIT_OK);
	assert_said("confirmed: the tables stay as they are");
	assert_string_equal(run_names(), "");
	assert_int_equal(k.restores, 0);
	told(true, &ok);
	assert_true(ok);
	assert_int_equal(run_cmd(cmd_confirm, "confirm"), EXIT_CONFIG);
	assert_said("nothing to confirm");
	assert_int_equal(run_cmd(cmd_rollback, "rollback"), EXIT_CONFIG);
	assert_said("nothing to roll back");
}

/* `rosfw rollback`: the saved requests as saved, then the settings, the
 * file gone. */
static void test_rollback_round_trip(void **state)
{
	char want[256];

	(void)state;
	assert_int_equal(confirm_save(60), 0);
	assert_int_equal(run_cmd(cmd_rollback, "rollback"), EXIT_OK);
	assert_said("rolled back: the tables from before the apply --confirm are back");
	assert_int_equal(k.restores, 1);
	assert_int_equal(k.restored_len, tables_len);
	assert_memory_equal(k.restored, tables, tables_len);
	snprintf(want, sizeof(want), "%s=11 %s=22 %s=33 ", lower_ct_sysctl_name(0), lower_ct_sysctl_name(1),
		 lower_ct_sysctl_name(2));
	assert_string_equal(k.sets, want);
	assert_string_equal(run_names(), "");
}

/* The kernel refusing the saved tables: they stay saved, under a name
 * that says the kernel refused them (and why), and no setting is written;
 * not reaching the kernel puts them back under their pending name. */
static void test_rollback_refused_keeps_the_file(void **state)
{
	char *before, refused[300];

	(void)state;
	assert_int_equal(confirm_save(60), 0);
	before = strdup(run_names());
	k.restore_answer = EINVAL;
	assert_int_equal(run_cmd(cmd_rollback, "rollback"), EXIT_REFUSED);
	assert_said("the kernel refused the saved tables: Invalid argument; they stay saved");
	snprintf(refused, sizeof(refused), "%s.refused-%d", before, EINVAL);
	assert_string_equal(run_names(), refused);
	assert_string_equal(k.sets, "");
	k.restore_answer = -ENOBUFS;
	assert_int_equal(run_cmd(cmd_rollback, "rollback"), EXIT_IO);
	assert_said("netlink: No buffer space available; the saved tables stay saved");
	assert_string_equal(run_names(), before);
	free(before);
}

/* The rollback process finding the kernel refusing at the deadline: the
 * saved tables stay, under the name that says so, for `rosfw rollback` to
 * retry or `rosfw confirm` to drop; nothing is lost with the process, and
 * the next apply says the kernel refused them, not that nobody ran them. */
static void test_deadline_refused_keeps_the_file(void **state)
{
	char *before, path[600], refused[300];
	char *t;
	struct dirent *de;
	DIR *dir;
	int i, fd = -1;

	(void)state;
	assert_int_equal(confirm_save(60), 0);
	before = strdup(run_names());
	k.restore_answer = EINVAL;		/* the forked process inherits it */
	assert_int_equal(confirm_arm(0), 0);
	/* Its lock goes with it: wait for that, not for a time. */
	for (i = 0; i < 600 && fd < 0; i++) {
		dir = opendir(run_dir);
		assert_non_null(dir);
		while ((de = readdir(dir))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", run_dir, de->d_name);
			fd = open(path, O_RDONLY);
			if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0) {
				close(fd);
				fd = -1;
			}
			if (fd >= 0 && strstr(de->d_name, ".rolling")) {
				close(fd);	/* taken but not yet put back */
				fd = -1;
			}
			if (fd >= 0)
				break;
		}
		closedir(dir);
		if (fd < 0)
			usleep(50000);
	}
	if (fd >= 0)
		close(fd);
	snprintf(refused, sizeof(refused), "%s.refused-%d", before, EINVAL);
	assert_string_equal(run_names(), refused);
	t = told(false, NULL);
	assert_told(t, "ran and the kernel refused the tables it saved (Invalid argument)");
	assert_null(strstr(t, "is gone"));
	assert_int_equal(run_cmd(cmd_confirm, "confirm"), EXIT_OK);
	assert_said("which the kernel refused: the tables stay as they are");
	assert_string_equal(run_names(), "");
	free(before);
}

/* Both decide the firewall: without CAP_NET_ADMIN they touch nothing. */
static void test_decide_needs_admin(void **state)
{
	(void)state;
	assert_int_equal(confirm_save(60), 0);
	k.admin_denied = true;
	assert_int_equal(run_cmd(cmd_rollback, "rollback"), EXIT_IO);
	assert_said("rosfw: rollback needs CAP_NET_ADMIN");
	assert_int_equal(run_cmd(cmd_confirm, "confirm"), EXIT_IO);
	assert_said("rosfw: confirm needs CAP_NET_ADMIN");
	assert_int_equal(k.restores, 0);
	(void)pending_path();
}

/* ---- rollbacks nobody will run --------------------------------------------------------- */

/* The process that saved is gone, nobody holds the file: said plainly,
 * neither run nor dropped unasked. */
static void test_stale_rollback(void **state)
{
	char pid[64], *t;
	bool ok;
	pid_t p;

	(void)state;
	p = save_and_die(60);
	snprintf(pid, sizeof(pid), "(made by process %ld)", (long)p);
	t = told(true, &ok);
	assert_false(ok);
	assert_told(t, "error: the rollback of an earlier apply --confirm");
	assert_told(t, pid);
	assert_told(t, "will never run: the process that was to run it in ");
	t = told(false, NULL);
	assert_told(t, "warning: the rollback of an earlier apply --confirm");
	(void)pending_path();	/* still there */
	/* past its deadline */
	{
		struct timespec ts[2] = { { .tv_nsec = UTIME_OMIT }, { .tv_sec = time(NULL) - 100 } };

		assert_int_equal(utimensat(AT_FDCWD, pending_path(), ts, 0), 0);
	}
	assert_told(told(false, NULL), "s ago is gone");
	assert_int_equal(run_cmd(cmd_rollback, "rollback"), EXIT_OK);
	assert_said("rolled back");
	assert_int_equal(k.restores, 1);
	assert_memory_equal(k.restored, tables, tables_len);
	assert_string_equal(run_names(), "");
	/* and one that `rosfw confirm` drops */
	p = save_and_die(60);
	snprintf(pid, sizeof(pid), "(made by process %ld), whose process was gone", (long)p);
	assert_int_equal(run_cmd(cmd_confirm, "confirm"), EXIT_OK);
	assert_said(pid);
	assert_string_equal(run_names(), "");
	assert_int_equal(k.restores, 1);
}

/* Its process died while restoring (".rolling", nobody holds it): put
 * back under its pending name, and said. */
static void test_interrupted_rollback(void **state)
{
	char rolling[600];
	const char *path;

	(void)state;
	save_and_die(60);
	path = pending_path();
	snprintf(rolling, sizeof(rolling), "%s.rolling", path);
	assert_int_equal(__real_rename(path, rolling), 0);
	assert_non_null(strstr(run_names(), ".rolling"));
	assert_told(told(false, NULL), "will never finish: its process died while putting the tables back");
	assert_null(strstr(run_names(), ".rolling"));
	(void)pending_path();
	assert_int_equal(run_cmd(cmd_rollback, "rollback"), EXIT_OK);
	assert_int_equal(k.restores, 1);
	assert_string_equal(run_names(), "");
}

/* A file of a namespace that no longer exists (its inode number now
 * ours, its cookie another's) is removed; other names are left alone. */
static void test_foreign_and_leftovers(void **state)
{
	char p[600];
	struct timespec old[2] = { { .tv_nsec = UTIME_OMIT }, { .tv_sec = 1000 } };
	bool ok;

	(void)state;
	if (!netns_cookie())
		skip();		/* a kernel before 5.14: no cookie, the inode only */
	assert_int_equal(__real_mkdir(run_dir, 0700), 0);
	snprintf(p, sizeof(p), "%s/rollback.%lu.1-1", run_dir, netns_ino());
	spill(p, "rosfw-rollback 1\nrosfw-sysctl 0\n", 32);
	/* a save that died half-written, long ago, and one being written */
	snprintf(p, sizeof(p), "%s/rollback.%lu.2-2.tmp", run_dir, netns_ino());
	spill(p, "rosfw-rollback", 14);
	assert_int_equal(utimensat(AT_FDCWD, p, old, 0), 0);
	snprintf(p, sizeof(p), "%s/rollback.%lu.3-3.tmp", run_dir, netns_ino());
	spill(p, "rosfw-rollback", 14);
	/* not ours: another namespace's, and a name we never write */
	snprintf(p, sizeof(p), "%s/rollback.%lu.4-4", run_dir, netns_ino() + 1);
	spill(p, "rosfw-rollback 1\n", 17);
	snprintf(p, sizeof(p), "%s/rollback.%lu.5-5.bak", run_dir, netns_ino());
	spill(p, "rosfw-rollback 1\n", 17);
	assert_told(told(true, &ok), "note: removed 1 --confirm rollback saved in a network namespace that no longer exists");
	assert_true(ok);
	snprintf(p, sizeof(p), "R.3-3.tmp R.5-5.bak rollback.%lu.4-4", netns_ino() + 1);
	assert_string_equal(run_names(), p);
}

/* ---- damaged files ------------------------------------------------------------------ */

/* `rosfw rollback` of the file as `b` (n bytes) says: refused as damaged,
 * nothing restored or written, the file still there. */
static void damaged_expect(const char *path, const char *b, size_t n, const char *what)
{
	int rc;

	spill(path, b, n);
	rc = run_cmd(cmd_rollback, "rollback");
	if (rc != EXIT_IO || !strstr(err_text, "is damaged (") || k.restores || k.sets[0])
		fail_msg("%s: exit %d, %d restores, settings \"%s\", stderr:\n%s", what, rc, k.restores, k.sets,
			 err_text);
	assert_said("nothing put back, the tables stay as they are");
	assert_string_equal(pending_path(), path);
}

/* A save is renamed into place whole: a file cut short anywhere, or with
 * a request that is not one a snapshot holds, is not restored (part of
 * it would leave tables without their rules, or none at all). */
static void test_damaged_file_refused(void **state)
{
	char path[512], what[64], *b, *c;
	size_t n, cut;

	(void)state;
	save_and_die(60);
	snprintf(path, sizeof(path), "%s", pending_path());
	b = slurp(path, &n);
	for (cut = 0; cut < n; cut++) {
		snprintf(what, sizeof(what), "cut at %zu of %zu", cut, n);
		damaged_expect(path, b, cut, what);
	}
	/* grown */
	c = malloc(n + 8);
	memcpy(c, b, n);
	memset(c + n, 0, 8);
	damaged_expect(path, c, n + 8, "grown");
	/* a request that is no snapshot's: a DELTABLE in place of the table */
	memcpy(c, b, n);
	{
		uint16_t del = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_DELTABLE;

		/* (after text: unaligned) */
		memcpy(c + n - tables_len + offsetof(struct nlmsghdr, nlmsg_type), &del, sizeof(del));
	}
	damaged_expect(path, c, n, "deltable");
	/* a setting that is not NAME VALUE */
	memcpy(c, b, n);
	*strstr(c, " 22\n") = '=';
	damaged_expect(path, c, n, "setting");
	damaged_expect(path, "#!/bin/sh\n", 10, "not rosfw's");
	free(c);
	/* whole again: restored */
	spill(path, b, n);
	assert_int_equal(run_cmd(cmd_rollback, "rollback"), EXIT_OK);
	assert_int_equal(k.restores, 1);
	assert_int_equal(k.restored_len, tables_len);
	free(b);
}

/* A file of the version before, without LEN, whole: restored. */
static void test_older_file_restored(void **state)
{
	char path[512], *b, *c, *nl;
	size_t n, m;

	(void)state;
	save_and_die(60);
	snprintf(path, sizeof(path), "%s", pending_path());
	b = slurp(path, &n);
	nl = memchr(b, '\n', n);
	assert_non_null(nl);
	c = malloc(n + 64);
	m = (size_t)snprintf(c, 64, "rosfw-rollback %llu\n", netns_cookie());
	memcpy(c + m, nl + 1, n - (size_t)(nl + 1 - b));
	m += n - (size_t)(nl + 1 - b);
	spill(path, c, m);
	assert_int_equal(run_cmd(cmd_rollback, "rollback"), EXIT_OK);
	assert_int_equal(k.restored_len, tables_len);
	assert_memory_equal(k.restored, tables, tables_len);
	free(b);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_save_writes_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_without_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_refuses_unsafe_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_then_confirmed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_refused_keeps_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadline_refused_keeps_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decide_needs_admin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupted_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_and_leftovers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_file_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_older_file_restored, setup, teardown),
	};
	int rc;

	tables_make();
	assert_non_null(mkdtemp(top));
	snprintf(run_dir, sizeof(run_dir), "%s/run", top);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(run_dir);
	rmdir(top);
	free(k.restored);
	return rc;
}
