/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_PKT_H
#define ROSFW_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inspect.h"

/* The transport payload of an IPv4 or IPv6 packet as the queue gives it
 * (from the network header on), into p (data points into `b`); false for
 * what it cannot read (a later fragment, a header cut short, IPv6
 * extension headers it does not walk): such a packet carries nothing to
 * inspect. p->reply is the caller's. */
bool pkt_parse(const uint8_t *b, size_t n, struct ipkt *p);

#endif
