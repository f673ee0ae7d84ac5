/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_NETNS_H
#define ROSFW_NETNS_H

#include <stddef.h>

/*
 * Where a file that belongs to a network namespace lives: the value of the
 * environment variable `env` when it is set (empty: no file, NULL), `system`
 * in the namespace of PID 1, which outlives a reboot, and PREFIX INODE
 * SUFFIX in any other (a container's, a test's), named for the
 * namespace's inode number, so each has its own. Written into buf.
 */
const char *netns_path(char *buf, size_t size, const char *env, const char *system, const char *prefix,
		       const char *suffix);

#endif
