/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_FORWARDING_H
#define ROSFW_FORWARDING_H

/*
 * A router forwards: RouterOS routes by default, a Linux namespace does
 * not (net.ipv4.ip_forward and net.ipv6.conf.all.forwarding start at 0).
 * Forward-chain and NAT rules of a configuration run on a box that does
 * not route never see a packet: said, and with --forwarding=on set after
 * the commit, the old value kept as the connection tracking settings'
 * are (ctsysctl.h), so `rosfw flush` puts it back.
 */

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "ir.h"

/* The first rule of family index f (0 ip, 1 ip6) that needs the box to
 * route (forward chain, NAT), or NULL. */
const struct ir_rule *forwarding_user(const struct ir *ir, int f);

/* A warning for each family whose rules need forwarding that is off
 * here; `offer`: say how apply sets it. */
void forwarding_check(const struct ir *ir, bool offer, struct diag *d);

/* After the commit (--forwarding=on): turn it on where rules need it,
 * each change a note. */
void forwarding_set(const struct ir *ir, struct diag *d);

/* --diff --forwarding=on: a change for each value apply would change;
 * how many. */
struct changes;
size_t forwarding_diff(const struct ir *ir, struct changes *c);

#endif
