/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_SNAPSHOT_H
#define ROSFW_SNAPSHOT_H

#include <stddef.h>

/*
 * rosfw's tables (both families) as the run of netlink requests that
 * recreates them: NEWTABLE, NEWCHAIN, NEWOBJ, NEWSET, NEWSETELEM,
 * NEWFLOWTABLE and NEWRULE made from the kernel's own dumps, counters and
 * dynamic entries (with the time they have left) included. apply
 * --confirm keeps one in /run/rosfw for its rollback (confirm.c).
 */
struct snapshot {
	char *b;
	size_t n, cap;
};

/* The kernel's rosfw tables now; 0, or -1 with errno. */
int snapshot_take(struct snapshot *s);
void snapshot_free(struct snapshot *s);

/*
 * `len` bytes of requests a snapshot_take made, in one transaction that
 * first empties rosfw's tables, as apply does: 0 when the kernel took it,
 * the errno of its refusal (> 0), or -errno when it could not be asked.
 */
int snapshot_restore(const char *buf, size_t len);

#endif
