/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_TRUST_H
#define ROSFW_TRUST_H

/*
 * rosfwd trusts its state file (it puts what the file says into the
 * firewall) because only root can write it: the file's checksum catches
 * damage, not forgery. So the file and every directory on the way to it
 * must be writable by root (or the user rosfwd runs as) alone.
 */

#include <stddef.h>

/* Make the directory of `path` (mode 0700) when it is missing. 0, or -1
 * with errno. */
int trust_make_dir(const char *path);

/* 0 when `path` is safe: its directory, after symbolic links, and every
 * directory above it owned by root or this user and writable by no one
 * else (a directory above with the sticky bit, such as /tmp, may be); the
 * file, when it exists, a regular file (not a link) owned by this user
 * and writable by no one else. Else -1 and `why` says what is wrong. */
int trust_private(const char *path, char *why, size_t size);

#endif
