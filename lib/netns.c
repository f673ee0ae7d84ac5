/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "netns.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static unsigned long netns_ino(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 ? 0 : (unsigned long)st.st_ino;
}

const char *netns_path(char *buf, size_t size, const char *env, const char *system, const char *prefix,
		       const char *suffix)
{
	const char *v = getenv(env);
	unsigned long self, init;

	if (v)
		return *v ? v : NULL;
	self = netns_ino("/proc/self/ns/net");
	init = netns_ino("/proc/1/ns/net");
	if (self && self != init)
		snprintf(buf, size, "%s%lu%s", prefix, self, suffix);
	else
		snprintf(buf, size, "%s", system);
	return buf;
}
