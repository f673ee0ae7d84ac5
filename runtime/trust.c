/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "trust.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directory part of `path` into dir ("." when there is none). */
static void dir_of(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, size, ".");
	else if (slash == path)
		snprintf(dir, size, "/");
	else
		snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

int trust_make_dir(const char *path)
{
	char dir[PATH_MAX];

	dir_of(path, dir, sizeof(dir));
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

static bool owner_ok(const struct stat *st)
{
	return st->st_uid == 0 || st->st_uid == geteuid();
}

static int refuse(char *why, size_t size, const char *what, const char *name, const struct stat *st)
{
	snprintf(why, size, "%s %s is %s (owner uid %u, mode %04o): whoever can write it could change what rosfwd puts into the firewall; make it owned by root and writable by root alone",
		 S_ISDIR(st->st_mode) ? "directory" : "file", name, what, (unsigned)st->st_uid,
		 (unsigned)(st->st_mode & 07777));
	return -1;
}

int trust_private(const char *path, char *why, size_t size)
{
	char dir[PATH_MAX], real[PATH_MAX];
	struct stat st;
	char *slash;
	bool last = true;

	dir_of(path, dir, sizeof(dir));
	if (!realpath(dir, real)) {
		snprintf(why, size, "directory %s: %s", dir, strerror(errno));
		return -1;
	}
	/* The directory itself, then each one above it up to the root. */
	for (;;) {
		if (stat(real, &st) < 0) {
			snprintf(why, size, "directory %s: %s", real, strerror(errno));
			return -1;
		}
		if (!owner_ok(&st))
			return refuse(why, size, "owned by another user", real, &st);
		if ((st.st_mode & (S_IWGRP | S_IWOTH)) && (last || !(st.st_mode & S_ISVTX)))
			return refuse(why, size, "writable by others", real, &st);
		last = false;
		slash = strrchr(real, '/');
		if (!slash || !strcmp(real, "/"))
			break;
		slash[slash == real] = 0;
	}
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(why, size, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, size, "%s is not a regular file%s", path,
			 S_ISLNK(st.st_mode) ? " (a symbolic link: rosfwd writes its state file itself, never through a link)" : "");
		return -1;
	}
	if (st.st_uid != geteuid())
		return refuse(why, size, "owned by another user", path, &st);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return refuse(why, size, "writable by others", path, &st);
	return 0;
}
