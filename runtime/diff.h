/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_DIFF_H
#define ROSFW_DIFF_H

/*
 * apply --diff: what the batch would change in rosfw's tables, read from
 * the kernel (kread.h) and compared with the batch's own messages.
 */

#include <stddef.h>
#include <stdio.h>

#include "changes.h"
#include "emit_nl.h"

struct diff;

/* What --diff compares of the kernel's rosfw tables now: chains, rules,
 * every named set's definition and the elements of those whose entries do
 * not come and go, ct helpers, flowtables. NULL with errno set when
 * netlink failed (EPERM: no CAP_NET_ADMIN); missing tables read as empty. */
struct diff *diff_read(void);
void diff_free(struct diff *d);
/* The kernel's rules carry no RouterOS numbers (kname.h): `num` gives the
 * number of the rule counting into `counter` in `family`'s table (-1: not
 * known), from what the kernel is known to hold (apply's record). */
void diff_number(struct diff *d, long (*num)(void *ctx, int family, const char *counter), void *ctx);

/* What batch `b` would change, into `c` (changes.h): chains, sets (which
 * elements), objects, RouterOS rules added, removed, changed (which
 * expressions) or moved, a rule of the batch with its place in the
 * configuration (files named by `names`, NULL: no places); the number of
 * records. Counters, dynamic entries and their time left are state, not
 * changes. */
struct diag;
size_t diff_changes(struct diff *d, struct emit_nl *b, const struct diag *names, struct changes *c);

#endif
