/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_GWCHECK_H
#define ROSFW_GWCHECK_H

/*
 * What rosfwd does for the configuration's routes that the kernel does
 * not: check-gateway=ping (each poll a ping to the gateway of each such
 * route; as on RouterOS, a route whose gateway missed two in a row goes
 * out of the kernel, the next distance then carries its traffic, and comes
 * back at the first answer), and routes the kernel dropped with their
 * interface, made again once it is up. Changes are said on stderr.
 */

#include <stdbool.h>
#include <stddef.h>

struct gwcheck;
struct route_plan;

struct gwcheck *gwcheck_new(void);
void gwcheck_free(struct gwcheck *g);
/* One round over plan `p`'s checked routes: an echo request to every
 * gateway, the answers awaited at most `wait_ms`. */
void gwcheck_round(struct gwcheck *g, const struct route_plan *p, int wait_ms);
/* Whether `r` is out because its gateway stopped answering (`g`: the
 * gwcheck, as routing_restore's skip takes it). */
struct route_ent;
bool gwcheck_down(const struct route_ent *r, void *g);
/* The routes of `p` the kernel dropped when their interface went down (an
 * IPv4 route goes with its interface and does not come back with it),
 * seen gone while it was down: made again once it is up, unless their
 * gateway is out. How many were. */
size_t gwcheck_links(struct gwcheck *g, const struct route_plan *p);

#endif
