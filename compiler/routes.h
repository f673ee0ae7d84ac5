/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_ROUTES_H
#define ROSFW_ROUTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"

/*
 * Policy routing: what /ip route, /routing table and the routing rules
 * become, as `ip rule`s and routes that `rosfw apply` sets through
 * rtnetlink (runtime/routing.c). rosfw owns what carries its protocol
 * number inside its ranges, and nothing else: the main table and everyone
 * else's rules and routes stay as they are.
 */

/* A routing mark's table: this plus the mark's 16 bits (lower_mark), so a
 * mark keeps its table across edits. */
#define ROUTES_TABLE_BASE 0x10000u
#define ROUTES_TABLE_LAST 0x1ffffu
/* rosfw's ip rules: the configuration's routing rules in their order from
 * the first, then one per routing mark from ROUTES_PRIO_MARKS; all before
 * the main table's rule (32766). */
#define ROUTES_PRIO_FIRST 20000u
#define ROUTES_PRIO_MARKS 20500u
#define ROUTES_PRIO_LAST 20999u
/* rtm_protocol / FRA_PROTOCOL of what rosfw makes (no RTPROT_ has it). */
#define ROUTES_PROTO 114
/* What routing marks take of the packet mark (lower.c: the high 16 bits). */
#define ROUTES_MARK_MASK 0xffff0000u
#define ROUTES_TABLE_MAIN 254u

enum route_type { RT_UNICAST, RT_BLACKHOLE, RT_PROHIBIT, RT_UNREACHABLE };
enum rule_action { RA_LOOKUP, RA_BLACKHOLE, RA_UNREACHABLE };

/**
 * struct route_ent - one route of a table rosfw owns.
 * @gw, @has_gw: the gateway, in @family; @dev: the server's interface, or
 *               NULL (the kernel finds it from the gateway).
 * @table_name:  the RouterOS table (routing mark), for output.
 */
struct route_ent {
	int family;		/* AF_INET, AF_INET6 */
	uint32_t table;
	const char *table_name;
	uint8_t dst[16], dst_len;
	uint32_t metric;	/* distance */
	enum route_type type;
	bool has_gw;
	uint8_t gw[16];
	const char *dev;
	bool check_ping;	/* check-gateway=ping: rosfwd's (gwcheck.h) */
	const char *file;	/* of @loc, for output */
	struct loc loc;
};

/**
 * struct route_rule - one ip rule rosfw owns.
 * @mark: fwmark under ROUTES_MARK_MASK; @has_mark false: any.
 * @iif:  incoming interface (server name), or NULL.
 * @what: what it stands for, for output: "routing mark NAME" or the
 *        RouterOS menu.
 */
struct route_rule {
	int family;
	uint32_t prio;
	enum rule_action action;
	uint32_t table;
	const char *table_name;
	bool has_mark, has_src, has_dst;
	uint32_t mark;
	uint8_t src[16], src_len, dst[16], dst_len;
	const char *iif;
	const char *what;
	const char *file;
	struct loc loc;
};

struct route_plan {
	struct route_ent *routes;
	size_t nroutes, caproutes;
	struct route_rule *rules;
	size_t nrules, caprules;
};

void route_plan_free(struct route_plan *p);

/* The plan as `ip` commands in nft comments, for `rosfw compile`: what
 * apply does through rtnetlink. Prints nothing for an empty plan. */
void routes_print(const struct route_plan *p, FILE *out);

/* One rule or route as the ip command writes it after `add`, into buf;
 * `dev`: the route's interface, or NULL. */
void routes_rule_text(const struct route_rule *r, char *buf, size_t size);
void routes_route_text(const struct route_ent *r, const char *dev, char *buf, size_t size);

/* The policy routing section of `rosfw doc translation`. */
void routes_markdown(FILE *out);

#endif
