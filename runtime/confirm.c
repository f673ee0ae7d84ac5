/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * apply --confirm's rollback: the file that holds the tables to put back,
 * the detached process that puts them back at the deadline, and the
 * commands that answer it (confirm, rollback).
 *
 * The file is /run/rosfw/rollback.NETNS.ID: NETNS is the network
 * namespace's inode number (namespaces do not share a rollback), ID the
 * applying process's pid and the time of the save, so no two saves share
 * a name and a rollback only ever takes its own file, whatever pids the
 * system hands out again. It holds "rosfw-rollback COOKIE LEN", the
 * connection tracking settings, then the snapshot (snapshot.h), LEN bytes
 * of requests; a file that is not whole is refused (file_check). COOKIE is
 * the namespace's cookie: an inode number is reused once its namespace is
 * gone, a cookie never during a boot. The file's modification time is its
 * deadline (`ls -l` shows it).
 *
 * Who is alive is told by a lock, never by a pid: the applying process
 * takes flock(LOCK_EX) on the file as it creates it, and the rollback
 * process inherits that open file and holds it until it is done. The
 * kernel drops the lock when the last of them dies, however it dies, so a
 * file nobody holds belongs to nobody.
 *
 * Such a rollback (its process was killed while it waited, or while it
 * restored: a ".rolling" file) is neither run nor dropped behind the
 * user's back: rosfw cannot know what happened since (the user may have
 * seen no rollback and gone on, or put things right by hand), and the
 * file is the only copy of the tables from before that apply. It is kept
 * under its pending name, an interrupted one renamed back; every apply
 * and flush then says so, and apply --confirm refuses until the user
 * decides: `rosfw confirm` keeps the tables as they are, `rosfw rollback`
 * puts the saved ones back. What can never be used is removed: a
 * half-written save (".tmp") whose process is gone, and the file of a
 * namespace that no longer exists (its inode number now another's).
 *
 * A rollback the kernel refused is named ".refused-ERRNO": its process
 * ran and is gone, and what the next apply says must be why, not that
 * nobody ran it.
 */
#include "confirm.h"

#include <dirent.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "ctsysctl.h"
#include "diag.h"
#include "exitcode.h"
#include "lower.h"
#include "nlsock.h"
#include "snapshot.h"
#include "trust.h"
#include "xalloc.h"

#define RUN_DIR "/run/rosfw"
#define HEADER "rosfw-rollback "

/* A ".tmp" nobody holds and older than this was left by a save that
 * died: its writer locks it right after creating it. */
#define TMP_ORPHAN_SECONDS 10

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71	/* Linux 5.14; older kernels: no cookie, inode only */
#endif

/* This apply's rollback: the ID in its name, and the open file whose lock
 * says that we, then our rollback process, are alive (never 0-2, which
 * the rollback process points at /dev/null). */
static char rollback_id[48] = "0";
static int rollback_fd = -1;

static unsigned long netns_id(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) < 0 ? 0 : (unsigned long)st.st_ino;
}

static unsigned long long netns_cookie(void)
{
	unsigned long long c = 0;
	socklen_t len = sizeof(c);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &c, &len) < 0)
		c = 0;
	close(fd);
	return c;
}

static void rollback_path(char *buf, size_t size, const char *id, const char *suffix)
{
	snprintf(buf, size, RUN_DIR "/rollback.%lu.%s%s", netns_id(), id, suffix);
}

#define REFUSED ".refused-"

/* Where a rollback the kernel refused with errno ERR is kept. */
static void refused_path(char *buf, size_t size, const char *id, int err)
{
	char suffix[32];

	snprintf(suffix, sizeof(suffix), REFUSED "%d", err);
	rollback_path(buf, size, id, suffix);
}

/* A restore that failed: the file back under its pending name, or, when
 * the kernel refused it (ret > 0), under the name that says so. */
static void restore_failed(const char *taken, const char *id, int ret)
{
	char back[256];

	if (ret > 0)
		refused_path(back, sizeof(back), id, ret);
	else
		rollback_path(back, sizeof(back), id, "");
	if (rename(taken, back) < 0)
		unlink(taken);
}

/* The deadline, kept as the file's modification time. */
static void deadline_set(int fd, unsigned seconds)
{
	struct timespec t[2] = { { .tv_nsec = UTIME_OMIT }, { .tv_sec = time(NULL) + (time_t)seconds } };

	futimens(fd, t);
}

/* The connection tracking settings as they are now, which the rollback
 * writes back after the tables: "rosfw-sysctl N\n" and N "name value"
 * lines, ahead of the netlink requests. */
static void sysctls_save(FILE *f)
{
	char lines[CT_SAVED_MAX][96];
	const char *name;
	uint64_t v;
	size_t i, n = 0;

	for (i = 0; i < CT_SAVED_MAX; i++)
		if ((name = ct_saved_name(i)) && ct_sysctl_get(name, &v))
			snprintf(lines[n++], sizeof(lines[0]), "%s %llu\n", name, (unsigned long long)v);
	fprintf(f, "rosfw-sysctl %zu\n", n);
	for (i = 0; i < n; i++)
		fputs(lines[i], f);
}

/* The header sysctls_save wrote: the settings written back, and where
 * the requests start; SIZE_MAX when it is cut short or a line is not a
 * setting. */
static size_t sysctls_restore(const char *buf, size_t len, bool write)
{
	const char *p = buf, *end = buf + len, *nl;
	unsigned long n, i;
	char name[80];
	unsigned long long v;

	if (len < 13 || memcmp(buf, "rosfw-sysctl ", 13))
		return 0;
	n = strtoul(buf + 13, NULL, 10);
	for (i = 0; i <= n && p < end; i++) {
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			return SIZE_MAX;
		if (i && sscanf(p, "%79s %llu", name, &v) != 2)
			return SIZE_MAX;
		if (i && write)
			ct_sysctl_set(name, v);
		p = nl + 1;
	}
	return i == n + 1 ? (size_t)(p - buf) : SIZE_MAX;
}

/* Where the "rosfw-sysctl" part starts (files of older rosfw versions
 * have no "rosfw-rollback" line). */
static size_t header_skip(const char *buf, size_t len)
{
	const char *nl;

	if (len < strlen(HEADER) || memcmp(buf, HEADER, strlen(HEADER)) || !(nl = memchr(buf, '\n', len)))
		return 0;
	return (size_t)(nl + 1 - buf);
}

/* The cookie of the namespace the file was saved in; 0: not known. */
static unsigned long long file_cookie(int fd)
{
	char buf[64];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n < (ssize_t)strlen(HEADER) || memcmp(buf, HEADER, strlen(HEADER)))
		return 0;
	buf[n] = 0;
	return strtoull(buf + strlen(HEADER), NULL, 10);
}

/*
 * Written to NAME.tmp, locked from the first moment, fsynced and renamed,
 * so the rollback never reads half. The lock goes with the open file to
 * the rollback process; the file is ours from here (rollback_fd).
 */
static int file_write(const struct snapshot *s, unsigned seconds)
{
	char path[256], tmp[256], why[512];
	int fd, lfd = -1, err;
	FILE *f = NULL;

	if (mkdir(RUN_DIR, 0700) < 0 && errno != EEXIST)
		return -1;
	rollback_path(path, sizeof(path), rollback_id, "");
	rollback_path(tmp, sizeof(tmp), rollback_id, ".tmp");
	/* What the file says goes into the firewall: it must sit where only
	 * root writes. */
	if (trust_private(path, why, sizeof(why)) < 0) {
		fprintf(stderr, "rosfw: refusing %s: %s\n", RUN_DIR, why);
		errno = EPERM;
		return -1;
	}
	fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0 || (lfd = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0 ||
	    !(f = fdopen(fd, "w")))
		goto fail;
	fd = -1;	/* the FILE's now */
	fprintf(f, HEADER "%llu %zu\n", netns_cookie(), s->n);
	sysctls_save(f);
	if ((s->n && fwrite(s->b, 1, s->n, f) != s->n) || fflush(f) || fsync(fileno(f)))
		goto fail;
	err = fclose(f);
	f = NULL;
	if (err)
		goto fail;
	deadline_set(lfd, seconds);
	if (rename(tmp, path) < 0)
		goto fail;
	rollback_fd = lfd;
	return 0;
fail:
	err = errno;
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (lfd >= 0)
		close(lfd);
	unlink(tmp);
	errno = err;
	return -1;
}

int confirm_save(unsigned seconds)
{
	struct snapshot s;
	struct timespec now;
	int ret, err;

	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(rollback_id, sizeof(rollback_id), "%ld-%lld%09ld", (long)getpid(), (long long)now.tv_sec,
		 now.tv_nsec);
	if (snapshot_take(&s) < 0)
		return -1;
	ret = file_write(&s, seconds);
	err = errno;
	snapshot_free(&s);
	errno = err;
	return ret;
}

/*
 * Whether buf is a whole rollback file: its first line, its settings, and
 * requests of the kinds a snapshot holds, whole, as many bytes as the
 * first line says (files of older versions do not say). A save is renamed
 * into place whole, so anything else was damaged since; restoring part of
 * it would leave tables without their rules, or none at all, which nobody
 * asked for. *skip: where the requests start. NULL, or what is wrong.
 */
static const char *file_check(const char *buf, size_t len, size_t *head, size_t *skip)
{
	unsigned long long cookie;
	size_t want = SIZE_MAX, part, p;
	struct nlmsghdr nlh;

	*head = header_skip(buf, len);
	if (!*head && len >= strlen(HEADER) && !memcmp(buf, HEADER, strlen(HEADER)))
		return "cut short in its first line";
	if (*head && sscanf(buf + strlen(HEADER), "%llu %zu", &cookie, &want) < 1)
		return "its first line is not rosfw's";
	if (!*head && (len < 13 || memcmp(buf, "rosfw-sysctl ", 13)))
		return "not a rollback file of rosfw's";
	part = sysctls_restore(buf + *head, len - *head, false);
	if (part == SIZE_MAX)
		return "cut short or damaged in its connection tracking settings";
	*skip = *head + part;
	if (want != SIZE_MAX && len - *skip != want)
		return "cut short or grown: its requests are not as long as its first line says";
	/* (the requests follow text: read their headers by copy, unaligned) */
	for (p = *skip; len - p >= sizeof(nlh); p += MNL_ALIGN(nlh.nlmsg_len)) {
		uint16_t type;

		memcpy(&nlh, buf + p, sizeof(nlh));
		type = nlh.nlmsg_type;
		if (nlh.nlmsg_len < sizeof(nlh) || MNL_ALIGN(nlh.nlmsg_len) > len - p)
			return "a request in it is cut short";
		if (type >> 8 != NFNL_SUBSYS_NFTABLES ||
		    ((type & 0xff) != NFT_MSG_NEWTABLE && (type & 0xff) != NFT_MSG_NEWCHAIN &&
		     (type & 0xff) != NFT_MSG_NEWOBJ && (type & 0xff) != NFT_MSG_NEWSET &&
		     (type & 0xff) != NFT_MSG_NEWSETELEM && (type & 0xff) != NFT_MSG_NEWFLOWTABLE &&
		     (type & 0xff) != NFT_MSG_NEWRULE))
			return "a request in it is not one a snapshot holds";
	}
	return p != len ? "a request in it is cut short" : NULL;
}

/* The saved tables back in one transaction, then the settings: what
 * snapshot_restore says (0 done, > 0 the kernel's refusal, < 0 -errno),
 * or -EBADMSG for a file that is not whole, *damage saying how. */
static int file_restore(int fd, const char **damage)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, head, skip;
	int ret;

	*damage = NULL;
	for (;;) {
		ssize_t n;

		if (len + 65536 > cap) {
			cap = cap ? cap * 2 : 1 << 20;
			buf = xrealloc(buf, cap);
		}
		n = pread(fd, buf + len, cap - len, (off_t)len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			free(buf);
			return ret;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	if ((*damage = file_check(buf, len, &head, &skip))) {
		free(buf);
		return -EBADMSG;
	}
	ret = snapshot_restore(buf + skip, len - skip);
	/* The settings too, once the tables they belong with are back. */
	if (ret == 0)
		sysctls_restore(buf + head, len - head, true);
	free(buf);
	return ret;
}

/* At the deadline: take our file (a rename, so a `rosfw confirm` or
 * `rosfw rollback` racing with us either wins whole or loses whole) and
 * restore it. 1: nothing to take (confirmed), 0 restored, -1 failed. */
static int rollback_run(int fd)
{
	char path[256], taken[256];
	const char *damage;
	int ret;

	rollback_path(path, sizeof(path), rollback_id, "");
	rollback_path(taken, sizeof(taken), rollback_id, ".rolling");
	if (rename(path, taken) < 0)
		return 1;
	ret = file_restore(fd, &damage);
	if (ret == -EBADMSG)
		syslog(LOG_ERR, "rosfw: the --confirm rollback file is damaged (%s)", damage);
	else if (ret > 0)
		syslog(LOG_ERR, "rosfw: the kernel refused the tables the --confirm rollback saved: %s", strerror(ret));
	else if (ret < 0)
		syslog(LOG_ERR, "rosfw: the --confirm rollback could not ask the kernel: %s", strerror(-ret));
	if (ret == 0) {
		unlink(taken);
		return 0;
	}
	/* Failed: the saved tables stay where `rosfw rollback` finds them
	 * (a stale rollback once we exit), to retry or drop, not lost. */
	restore_failed(taken, rollback_id, ret);
	return -1;
}

/*
 * The rollback process: away from our session, terminal and process group
 * (setsid between two forks, so it is no session leader and can never get
 * a terminal back), no fd held open but the locked file, so a pipeline
 * reading our output is not kept waiting. The applying process may die
 * any time after the fork.
 */
int confirm_arm(unsigned seconds)
{
	pid_t pid;
	int status, ret;

	deadline_set(rollback_fd, seconds);	/* counted from now, not from the save */
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		ret = waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) ? -1 : 0;
		/* From here its rollback process alone holds the lock. */
		close(rollback_fd);
		rollback_fd = -1;
		return ret;
	}
	if (setsid() < 0)
		_exit(1);
	signal(SIGHUP, SIG_IGN);
	pid = fork();
	if (pid < 0)
		_exit(1);
	if (pid > 0)
		_exit(0);
	{
		int fd, max = (int)sysconf(_SC_OPEN_MAX);
		struct timespec ts = { .tv_sec = seconds };

		for (fd = 0; fd < (max > 0 ? max : 1024); fd++)
			if (fd != rollback_fd)
				close(fd);
		fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (chdir("/") < 0)
			_exit(1);
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		/* Nobody is left to tell but the system log. */
		switch (rollback_run(rollback_fd)) {
		case 1:
			_exit(0);
		case 0:
			syslog(LOG_NOTICE, "rosfw: not confirmed in %u s: the previous tables are back", seconds);
			_exit(0);
		default:
			syslog(LOG_ERR, "rosfw: the --confirm rollback failed: rosfw's tables are as applied; "
			       "rosfw rollback tries again, rosfw confirm drops the saved tables");
			_exit(1);
		}
	}
}

/*
 * Drop a rollback: its name first, which wins or loses whole against the
 * process taking it at the deadline; then, only if the name was ours to
 * remove, its content, which that process would otherwise keep in memory
 * (tmpfs) until its deadline through the file it holds. `fd`: the file,
 * open for writing, or -1. 0, or -1 with errno.
 */
static int rollback_unlink(const char *path, int fd)
{
	if (unlink(path) < 0)
		return -1;
	/* (failing, it only keeps the memory until the deadline) */
	if (fd >= 0)
		(void)!ftruncate(fd, 0);
	return 0;
}

void confirm_drop(void)
{
	char path[256];
	int fd;

	rollback_path(path, sizeof(path), rollback_id, "");
	fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	rollback_unlink(path, fd);
	if (fd >= 0)
		close(fd);
	if (rollback_fd >= 0)
		close(rollback_fd);
	rollback_fd = -1;
}

/* ---- the rollbacks of this namespace ------------------------------------ */

/**
 * struct rollback - one rollback file of this network namespace.
 * @id: the ID in its name (applying pid, dash, time of the save)
 * @fd: the file, open; locked by us when not @live
 * @live: its process holds it: waiting for the deadline, or restoring
 *	when @rolling
 * @rolling: named ".rolling": being restored (or, not @live, renaming it
 *	back failed)
 * @interrupted: its process died while restoring it
 * @refused: the kernel refused it (at its deadline, or at a `rosfw
 *	rollback`): that errno; 0 otherwise
 * @due: its deadline
 */
struct rollback {
	char id[48];
	int fd;
	bool live, rolling, interrupted;
	int refused;
	time_t due;
};

/* Its file now. */
static void rb_path(char *buf, size_t size, const struct rollback *rb)
{
	if (rb->refused)
		refused_path(buf, size, rb->id, rb->refused);
	else
		rollback_path(buf, size, rb->id, rb->rolling ? ".rolling" : "");
}

/**
 * struct rollbacks - what rollbacks_scan found.
 * @v, @n: the rollbacks, soonest deadline first
 * @foreign: files of namespaces that no longer exist, removed
 */
struct rollbacks {
	struct rollback *v;
	size_t n;
	unsigned foreign;
};

static int rollback_cmp(const void *a, const void *b)
{
	const struct rollback *x = a, *y = b;

	return (x->due > y->due) - (x->due < y->due);
}

static void rollbacks_free(struct rollbacks *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		close(r->v[i].fd);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* The rollback file NAME of this namespace, taken stock of; leftovers
 * removed (see the top of this file). */
static void rollback_look(struct rollbacks *r, const char *name, size_t plen, unsigned long long cookie)
{
	const char *id = name + plen, *suffix = strchrnul(id, '.');
	struct rollback rb = { .fd = -1 };
	char path[512], pending[512];
	struct stat st;

	if (!strncmp(suffix, REFUSED, strlen(REFUSED))) {
		char *end;
		long err = strtol(suffix + strlen(REFUSED), &end, 10);

		if (*end || err <= 0 || err > 4095)
			return;
		rb.refused = (int)err;
	} else if (*suffix && strcmp(suffix, ".rolling") && strcmp(suffix, ".tmp")) {
		return;
	}
	if (suffix == id || (size_t)(suffix - id) >= sizeof(rb.id))
		return;
	memcpy(rb.id, id, (size_t)(suffix - id));
	snprintf(path, sizeof(path), RUN_DIR "/%s", name);
	rb.fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (rb.fd < 0)
		return;		/* gone meanwhile */
	rb.rolling = !strcmp(suffix, ".rolling");
	rb.live = flock(rb.fd, LOCK_EX | LOCK_NB) < 0;
	/* (after the lock: whoever held it before us may have removed it) */
	if (fstat(rb.fd, &st) < 0 || !S_ISREG(st.st_mode) || !st.st_nlink)
		goto skip;
	rb.due = st.st_mtime;
	if (!strcmp(suffix, ".tmp")) {
		if (!rb.live && st.st_mtime < time(NULL) - TMP_ORPHAN_SECONDS)
			unlink(path);
		goto skip;
	}
	if (!rb.live) {
		unsigned long long c = file_cookie(rb.fd);

		if (c && cookie && c != cookie) {
			unlink(path);
			r->foreign++;
			goto skip;
		}
	}
	if (!rb.live && rb.rolling) {
		rb.interrupted = true;
		/* link, not rename: never over a file of the same name */
		snprintf(pending, sizeof(pending), RUN_DIR "/%.*s", (int)(suffix - name), name);
		if (link(path, pending) == 0 && unlink(path) == 0)
			rb.rolling = false;
	}
	r->v = xreallocarray(r->v, r->n + 1, sizeof(*r->v));
	r->v[r->n++] = rb;
	return;
skip:
	close(rb.fd);
}

/* Every rollback file of this namespace; 0, or -1 with errno when
 * RUN_DIR cannot be read. */
static int rollbacks_scan(struct rollbacks *r)
{
	char prefix[64], **names = NULL;
	size_t plen, n = 0, i;
	struct dirent *e;
	unsigned long long cookie = netns_cookie();
	DIR *dir;

	memset(r, 0, sizeof(*r));
	if (!(dir = opendir(RUN_DIR)))
		return errno == ENOENT ? 0 : -1;
	plen = (size_t)snprintf(prefix, sizeof(prefix), "rollback.%lu.", netns_id());
	/* Names first: settling renames files, which readdir may show twice. */
	while ((e = readdir(dir)))
		if (!strncmp(e->d_name, prefix, plen)) {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
	closedir(dir);
	for (i = 0; i < n; i++) {
		rollback_look(r, names[i], plen, cookie);
		free(names[i]);
	}
	free(names);
	if (r->n > 1)	/* (qsort of no array is undefined) */
		qsort(r->v, r->n, sizeof(*r->v), rollback_cmp);
	return 0;
}

static long rollback_pid(const struct rollback *rb)
{
	return strtol(rb->id, NULL, 10);
}

static void foreign_say(struct diag *d, const struct rollbacks *r)
{
	if (r->foreign)
		diag_note(d, NULL,
			  "removed %u --confirm rollback%s saved in a network namespace that no longer exists (its inode number is this one's now)",
			  r->foreign, r->foreign == 1 ? "" : "s");
}

/* A rollback nobody will run, and what the user can do about it. */
static void stale_say(struct diag *d, enum diag_level lvl, const struct rollback *rb)
{
	char what[128];
	long left = (long)(rb->due - time(NULL));

	if (rb->refused) {
		diag_report(d, lvl, NULL,
			    "the rollback of an earlier apply --confirm (made by process %ld) ran and the kernel refused the tables it saved (%s): the tables are as that apply left them; `rosfw rollback` tries again, `rosfw confirm` keeps the tables as they are and drops it",
			    rollback_pid(rb), strerror(rb->refused));
		return;
	}
	if (rb->interrupted)
		snprintf(what, sizeof(what),
			 "finish: its process died while putting the tables back, most likely before the kernel took them");
	else if (left >= 0)
		snprintf(what, sizeof(what), "run: the process that was to run it in %ld s is gone", left);
	else
		snprintf(what, sizeof(what), "run: the process that was to run it %ld s ago is gone", -left);
	diag_report(d, lvl, NULL,
		    "the rollback of an earlier apply --confirm (made by process %ld) will never %s; `rosfw rollback` puts back the tables it saved, `rosfw confirm` keeps the tables as they are and drops it",
		    rollback_pid(rb), what);
}

static long due_in(const struct rollback *rb)
{
	long left = (long)(rb->due - time(NULL));

	return left > 0 ? left : 0;
}

bool confirm_may_arm(struct diag *d)
{
	struct rollbacks r;
	size_t i;
	bool ok;

	if (rollbacks_scan(&r) < 0) {
		diag_error(d, NULL, RUN_DIR ": %s", strerror(errno));
		return false;
	}
	foreign_say(d, &r);
	/* A second save would make the first rollback restore the tables
	 * nobody confirmed. */
	for (i = 0; i < r.n; i++) {
		const struct rollback *rb = &r.v[i];

		if (rb->live && rb->rolling)
			diag_error(d, NULL, "a --confirm rollback is putting the previous tables back right now: wait for it");
		else if (rb->live)
			diag_error(d, NULL,
				   "a --confirm rollback is pending (due in %ld s): run `rosfw confirm` first, or wait for it",
				   due_in(rb));
		else
			stale_say(d, DIAG_ERROR, rb);
	}
	ok = !r.n;
	rollbacks_free(&r);
	return ok;
}

bool confirm_may_apply(struct diag *d, const char *cmd)
{
	struct rollbacks r;
	size_t i;
	bool ok = true;

	/* Without access to RUN_DIR there is nothing of ours pending. */
	if (rollbacks_scan(&r) < 0)
		return true;
	for (i = 0; i < r.n; i++) {
		const struct rollback *rb = &r.v[i];

		if (rb->live && rb->rolling) {
			diag_error(d, NULL, "%s refused: a --confirm rollback is putting the previous tables back right now; wait for it, then %s again",
				   cmd, cmd);
			ok = false;
		} else if (rb->live) {
			diag_error(d, NULL,
				   "%s refused: a --confirm rollback is pending (due in %ld s) and would undo it; `rosfw confirm` keeps the tables applied with --confirm, `rosfw rollback` puts back the ones from before, then %s again",
				   cmd, due_in(rb), cmd);
			ok = false;
		}
	}
	rollbacks_free(&r);
	return ok;
}

void confirm_tell(struct diag *d)
{
	struct rollbacks r;
	size_t i;

	/* Without access to RUN_DIR there is nothing of ours to tell. */
	if (rollbacks_scan(&r) < 0)
		return;
	foreign_say(d, &r);
	for (i = 0; i < r.n; i++) {
		const struct rollback *rb = &r.v[i];

		if (rb->live && rb->rolling)
			diag_warning(d, NULL,
				     "a --confirm rollback is putting back the tables from before its apply right now, over these");
		else if (rb->live)
			diag_warning(d, NULL,
				     "a --confirm rollback is pending: in %ld s it puts back the tables from before its apply, over these, unless `rosfw confirm` runs",
				     due_in(rb));
		else
			stale_say(d, DIAG_WARNING, rb);
	}
	rollbacks_free(&r);
}

/* ---- rosfw confirm, rosfw rollback --------------------------------------- */

/* Both decide the firewall, so both need what changing it needs; said in
 * one line, and before anything in RUN_DIR is touched. */
static bool may_decide(const char *cmd)
{
	if (nlsock_admin_check() == 0)
		return true;
	if (errno == EPERM || errno == EACCES)
		fprintf(stderr, "rosfw: %s needs CAP_NET_ADMIN: run rosfw as root\n", cmd);
	else
		fprintf(stderr, "rosfw: netlink: %s\n", strerror(errno));
	return false;
}

/*
 * What confirm and rollback do first: their usage, the capability, the
 * pending rollbacks into *r and a diag for what they say into *d. -1 to go
 * on, else the exit code.
 */
static int decide_start(int argc, char **argv, const char *cmd, const char *usage, struct rollbacks *r,
			struct diag **d)
{
	if (argc > 1) {
		bool help = argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"));

		fputs(usage, help ? stdout : stderr);
		return help ? EXIT_OK : EXIT_IO;
	}
	if (!may_decide(cmd))
		return EXIT_IO;
	if (rollbacks_scan(r) < 0) {
		fprintf(stderr, "rosfw: " RUN_DIR ": %s\n", strerror(errno));
		return EXIT_IO;
	}
	*d = diag_new(50);
	foreign_say(*d, r);
	return -1;
}

int cmd_confirm(int argc, char **argv)
{
	struct rollbacks r;
	struct diag *d;
	size_t i, n = 0;
	bool late = false;
	int rc = decide_start(argc, argv, "confirm",
			      "usage: rosfw confirm\n"
			      "keeps the ruleset of the last rosfw apply --confirm: its rollback will not happen\n" EXIT_HELP,
			      &r, &d);

	if (rc >= 0)
		return rc;
	rc = EXIT_OK;
	for (i = 0; i < r.n; i++) {
		const struct rollback *rb = &r.v[i];
		char path[256];

		if (rb->live && rb->rolling) {
			late = true;
			continue;
		}
		/* Removing the name is the confirmation: the rollback process
		 * finds nothing to take at its deadline. */
		rb_path(path, sizeof(path), rb);
		if (rollback_unlink(path, rb->fd) < 0) {
			if (errno == ENOENT) {
				late = true;	/* its process took it this very moment */
			} else {
				diag_error(d, NULL, "%s: %s", path, strerror(errno));
				rc = EXIT_IO;
			}
			continue;
		}
		n++;
		if (rb->refused)
			diag_note(d, NULL,
				  "dropped the rollback of an earlier apply --confirm (made by process %ld), which the kernel refused: the tables stay as they are",
				  rollback_pid(rb));
		else if (!rb->live)
			diag_note(d, NULL,
				  "dropped the rollback of an earlier apply --confirm (made by process %ld), whose process was gone: the tables stay as they are",
				  rollback_pid(rb));
	}
	if (!rc && !n) {
		if (late)
			diag_error(d, NULL, "too late to confirm: the rollback is putting the previous tables back");
		else
			fputs("rosfw: nothing to confirm (no rollback pending, or it already ran)\n", stderr);
		rc = EXIT_CONFIG;
	} else if (!rc) {
		diag_note(d, NULL, "confirmed: the tables stay as they are, no rollback will run");
	}
	diag_print(d, stderr);
	diag_free(d);
	rollbacks_free(&r);
	return rc;
}

/* The soonest pending rollback restored now, by us; the others dropped,
 * since the tables now back are older than theirs. */
static int rollback_now(struct rollbacks *r, struct diag *d)
{
	struct rollback *rb = NULL;
	char path[256], taken[256];
	const char *damage;
	size_t i;
	int ret;

	for (i = 0; i < r->n && !rb; i++)
		if (!r->v[i].live || !r->v[i].rolling)
			rb = &r->v[i];
	if (!rb) {
		if (!r->n) {
			fputs("rosfw: nothing to roll back (no --confirm rollback pending, or it already ran)\n", stderr);
			return EXIT_CONFIG;
		}
		diag_note(d, NULL, "the rollback is putting the previous tables back already");
		return EXIT_OK;
	}
	rb_path(path, sizeof(path), rb);
	rollback_path(taken, sizeof(taken), rb->id, ".rolling");
	/* Taken as its own process takes it: whichever renames first
	 * restores (an interrupted one may still have the name). */
	if (!rb->rolling && rename(path, taken) < 0) {
		diag_note(d, NULL, "the rollback is putting the previous tables back already");
		return EXIT_OK;
	}
	ret = file_restore(rb->fd, &damage);
	if (ret) {
		restore_failed(taken, rb->id, ret);
		rollback_path(path, sizeof(path), rb->id, "");
		if (ret == -EBADMSG)
			diag_error(d, NULL,
				   "%s is damaged (%s): nothing put back, the tables stay as they are (`rosfw confirm` drops it)",
				   path, damage);
		else if (ret > 0)
			diag_error(d, NULL,
				   "the kernel refused the saved tables: %s; they stay saved (`rosfw rollback` tries again, `rosfw confirm` drops them)",
				   strerror(ret));
		else
			diag_error(d, NULL, "netlink: %s; the saved tables stay saved", strerror(-ret));
		return ret > 0 ? EXIT_REFUSED : EXIT_IO;
	}
	rollback_unlink(taken, rb->fd);
	diag_note(d, NULL, "rolled back: the tables from before the apply --confirm are back");
	for (i = 0; i < r->n; i++) {
		if (&r->v[i] == rb || (r->v[i].live && r->v[i].rolling))
			continue;
		rb_path(path, sizeof(path), &r->v[i]);
		if (rollback_unlink(path, r->v[i].fd) == 0)
			diag_note(d, NULL,
				  "dropped the rollback of a later apply --confirm (made by process %ld): the tables from before both are back",
				  rollback_pid(&r->v[i]));
	}
	return EXIT_OK;
}

int cmd_rollback(int argc, char **argv)
{
	struct rollbacks r;
	struct diag *d;
	int rc = decide_start(argc, argv, "rollback",
			      "usage: rosfw rollback\n"
			      "puts back now the tables the pending rosfw apply --confirm saved, without waiting for\n"
			      "its deadline; also the rollback of one whose process is gone\n" EXIT_HELP,
			      &r, &d);

	if (rc >= 0)
		return rc;
	rc = rollback_now(&r, d);
	diag_print(d, stderr);
	diag_free(d);
	rollbacks_free(&r);
	return rc;
}
