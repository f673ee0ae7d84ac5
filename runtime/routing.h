/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_ROUTING_H
#define ROSFW_ROUTING_H

/*
 * rosfw's ip rules and routes (compiler/routes.h) through rtnetlink.
 * rtnetlink has no transaction: apply adds and replaces first, then
 * deletes what is rosfw's and no longer wanted; when the kernel refuses a
 * change in the middle, what was changed so far is undone, so the
 * previous routing stays. Nobody else's rules and routes are touched.
 */

#include <stdbool.h>

#include "diag.h"

struct route_plan;

/* Make rosfw's rules and routes those of `p` (NULL: none). A gateway the
 * kernel cannot reach now, or an interface this machine lacks, leaves
 * its route out with a warning. EXIT_OK, EXIT_REFUSED (said, previous
 * routing kept) or EXIT_IO (netlink). *changed: something changed. */
int routing_apply(const struct route_plan *p, struct diag *d, bool *changed);
/* apply --diff: what routing_apply would change, as records of kinds
 * "route" and "ip rule" into `c`; nothing is sent. */
struct changes;
int routing_diff(const struct route_plan *p, struct changes *c, struct diag *d);
/* One route of rosfw's in (made, or replaced in place) or out of the
 * kernel, for rosfwd's gateway checks: 0 or errno (none for a route that
 * is out already). */
struct route_ent;
int routing_route_set(const struct route_ent *r, bool present);
/* rosfwd: which routes of `p` the kernel holds: oif[i] the interface
 * of route i, 0 when it holds none like it, -1 when it could not be read
 * (oif has p->nroutes slots). */
void routing_present(const struct route_plan *p, int *oif);
/* Whether interface `oif` is up (IFF_UP). */
bool routing_link_up(int oif);
/* Remove every rule and route rosfw owns. */
int routing_flush(struct diag *d, bool *changed);

#endif
