/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_STATE_H
#define ROSFW_STATE_H

/*
 * What a re-apply keeps of the kernel's current rosfw tables: the entries
 * of dynamic address lists (al_*, ad_*, ar_*) with their remaining time,
 * read back set by set (kread.h) and put into the new IR; and the names of
 * everything the tables hold, so that the batch empties them in place but
 * for the counter objects of the rules that did not change, which never
 * stop counting.
 */

#include <stddef.h>

#include "emit_nl.h"
#include "ir.h"

struct state;

/* The kernel's rosfw tables now; NULL with errno set when netlink failed
 * (EPERM: no CAP_NET_ADMIN). Missing tables read as empty. */
struct state *state_read(void);
void state_free(struct state *st);

/* Surviving dynamic entries into the IR's sets of the same name and key
 * type, timing out after what they had left; the number added. */
size_t state_keep_elems(const struct state *st, struct ir *ir);

/* What the tables hold (ip, ip6, bridge), for emit_nl_build_over: an apply
 * empties them in place and keeps the counters of unchanged rules. */
const struct emit_nl_have *state_have(const struct state *st);

#endif
