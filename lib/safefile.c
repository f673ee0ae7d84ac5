/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "safefile.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

/* As the kernel's MAXSYMLINKS: a longer chain is a loop. */
#define LINKS_MAX 40
/* Random characters in a temporary name: 62^12, about 2^71 names. */
#define TMP_RANDOM 12
/* The target's name is cut to this in the temporary one, so that the
 * temporary name stays within NAME_MAX. */
#define TMP_BASE_MAX 200
#define TMP_TRIES 100

/**
 * struct safefile - a file being written.
 * @f:     the stream the caller writes.
 * @dirfd: the target's directory; -1 when written in place.
 * @tmp:   the temporary file's name in @dirfd.
 * @name:  the target's name in @dirfd.
 */
struct safefile {
	FILE *f;
	int dirfd;
	char *tmp, *name;
	bool nosync;
};

/* The directory part of `path` ("." for none); `base` set to the rest. */
static char *path_split(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');

	if (!slash) {
		*base = path;
		return xstrdup(".");
	}
	*base = slash + 1;
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

static char *link_read(const char *path)
{
	size_t cap = 256;

	for (;;) {
		char *buf = xmalloc(cap);
		ssize_t n = readlink(path, buf, cap);

		if (n < 0) {
			int e = errno;

			free(buf);
			errno = e;
			return NULL;
		}
		if ((size_t)n < cap) {
			buf[n] = '\0';
			return buf;
		}
		free(buf);
		cap *= 2;
	}
}

/*
 * Where a write to `path` lands: its chain of symbolic links followed, the
 * first name that is not a link (or does not exist). A link someone else
 * planted in a sticky world-writable directory is refused (EACCES), so a
 * user of /tmp cannot point root's output at a file of their choosing; the
 * kernel refuses the same with fs.protected_symlinks, which may be off.
 */
static char *target_resolve(const char *path)
{
	char *cur = xstrdup(path);
	int hops;

	for (hops = 0; hops <= LINKS_MAX; hops++) {
		struct stat l, d;
		const char *base;
		char *dir, *to, *next;

		if (lstat(cur, &l) < 0 || !S_ISLNK(l.st_mode))
			return cur;
		dir = path_split(cur, &base);
		if (stat(dir, &d) < 0 || !(to = link_read(cur))) {
			free(dir);
			free(cur);
			return NULL;
		}
		if ((d.st_mode & (S_ISVTX | S_IWOTH)) == (S_ISVTX | S_IWOTH) && l.st_uid != geteuid() &&
		    l.st_uid != d.st_uid) {
			free(to);
			free(dir);
			free(cur);
			errno = EACCES;
			return NULL;
		}
		if (to[0] == '/') {
			next = to;
		} else {
			next = xmalloc(strlen(dir) + strlen(to) + 2);
			sprintf(next, "%s/%s", dir, to);
			free(to);
		}
		free(dir);
		free(cur);
		cur = next;
	}
	free(cur);
	errno = ELOOP;
	return NULL;
}

static struct safefile *safefile_new(int fd, int dirfd, char *tmp, char *name)
{
	struct safefile *sf;
	FILE *f = fdopen(fd, "w");

	if (!f) {
		int e = errno;

		close(fd);
		errno = e;
		return NULL;
	}
	sf = xcalloc(1, sizeof(*sf));
	sf->f = f;
	sf->dirfd = dirfd;
	sf->tmp = tmp;
	sf->name = name;
	return sf;
}

/* The standard output or error that `st` is, or -1. */
static int std_fd(const struct stat *st)
{
	struct stat s;
	int fd;

	for (fd = STDOUT_FILENO; fd <= STDERR_FILENO; fd++)
		if (!fstat(fd, &s) && s.st_dev == st->st_dev && s.st_ino == st->st_ino)
			return fd;
	return -1;
}

static struct safefile *inplace_open(const char *path, const struct stat *st)
{
	int std = std_fd(st), fd;
	struct stat now;

	if (std < 0 && S_ISDIR(st->st_mode)) {
		errno = EISDIR;
		return NULL;
	}
	/* /dev/stdout opened anew would be a pipe's other end, or a socket
	 * that open() refuses: the descriptor itself is what was meant. */
	if (std >= 0)
		fd = fcntl(std, F_DUPFD_CLOEXEC, 0);
	else
		fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	/* Swapped for a regular file since: writing into that in place
	 * would leave the old file's tail behind the new text. */
	if (std < 0 && (fstat(fd, &now) < 0 || S_ISREG(now.st_mode))) {
		close(fd);
		errno = EAGAIN;
		return NULL;
	}
	return safefile_new(fd, -1, NULL, NULL);
}

static bool tmp_name(char *out, size_t size, const char *base)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char r[TMP_RANDOM];
	int n, i;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return false;
	n = snprintf(out, size, ".%.*s.", TMP_BASE_MAX, base);
	for (i = 0; i < TMP_RANDOM; i++)
		out[n + i] = set[r[i] % (sizeof(set) - 1)];
	out[n + TMP_RANDOM] = '\0';
	return true;
}

static struct safefile *replace_open(const char *target, mode_t mode)
{
	const char *base;
	char *dir = path_split(target, &base), tmp[TMP_BASE_MAX + TMP_RANDOM + 3];
	int dirfd, fd = -1, i, e;
	struct safefile *sf;

	if (!*base) {
		free(dir);
		errno = EISDIR;
		return NULL;
	}
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (dirfd < 0)
		return NULL;
	/* O_EXCL: a name that exists, link or not, is never opened; a
	 * guessed name costs the attacker nothing but our next try. */
	for (i = 0; i < TMP_TRIES; i++) {
		if (!tmp_name(tmp, sizeof(tmp), base))
			break;
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, mode);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		e = errno;
		close(dirfd);
		errno = e;
		return NULL;
	}
	sf = safefile_new(fd, dirfd, xstrdup(tmp), xstrdup(base));
	if (!sf) {
		e = errno;
		unlinkat(dirfd, tmp, 0);
		close(dirfd);
		errno = e;
	}
	return sf;
}

struct safefile *safefile_open(const char *path, mode_t mode)
{
	char *target = target_resolve(path);
	struct safefile *sf;
	struct stat st;

	if (!target)
		return NULL;
	if (!stat(path, &st) && (!S_ISREG(st.st_mode) || std_fd(&st) >= 0))
		sf = inplace_open(path, &st);
	else
		sf = replace_open(target, mode);
	free(target);
	return sf;
}

void safefile_nosync(struct safefile *sf)
{
	sf->nosync = true;
}

FILE *safefile_stream(const struct safefile *sf)
{
	return sf->f;
}

static void safefile_free(struct safefile *sf)
{
	if (sf->dirfd >= 0)
		close(sf->dirfd);
	free(sf->tmp);
	free(sf->name);
	free(sf);
}

int safefile_commit(struct safefile *sf)
{
	int err = 0;

	/* A failed write keeps its bytes in the buffer and fails again
	 * here, with its errno; fclose alone would not say. */
	if (fflush(sf->f))
		err = errno;
	else if (ferror(sf->f))
		err = EIO;
	/* Before the rename: after a crash the name holds the old file or
	 * the new one, whole, never an empty one. */
	if (!err && sf->dirfd >= 0 && !sf->nosync && fsync(fileno(sf->f)) < 0)
		err = errno;
	if (fclose(sf->f) && !err)
		err = errno;
	if (sf->dirfd >= 0) {
		if (!err && renameat(sf->dirfd, sf->tmp, sf->dirfd, sf->name) < 0)
			err = errno;
		if (err)
			unlinkat(sf->dirfd, sf->tmp, 0);
		else if (!sf->nosync && fsync(sf->dirfd) < 0 && errno != EINVAL)
			err = errno;	/* the rename may not survive a crash */
	}
	safefile_free(sf);
	errno = err;
	return err ? -1 : 0;
}

void safefile_abort(struct safefile *sf)
{
	int e = errno;

	fclose(sf->f);
	if (sf->dirfd >= 0)
		unlinkat(sf->dirfd, sf->tmp, 0);
	safefile_free(sf);
	errno = e;
}

int safefile_sweep(const char *path)
{
	const char *base;
	char *dir = path_split(path, &base), prefix[TMP_BASE_MAX + 3];
	size_t plen = (size_t)snprintf(prefix, sizeof(prefix), ".%.*s.", TMP_BASE_MAX, base);
	struct dirent *e;
	DIR *d = opendir(dir);
	int dfd, n = 0;

	free(dir);
	if (!d)
		return -1;
	dfd = dirfd(d);
	while ((e = readdir(d))) {
		size_t i;

		if (strncmp(e->d_name, prefix, plen) || strlen(e->d_name) != plen + TMP_RANDOM)
			continue;
		for (i = plen; i < plen + TMP_RANDOM && isalnum((unsigned char)e->d_name[i]); i++)
			;
		/* unlinkat never follows a link: a planted one just goes. */
		if (i == plen + TMP_RANDOM && unlinkat(dfd, e->d_name, 0) == 0)
			n++;
	}
	closedir(d);
	return n;
}
