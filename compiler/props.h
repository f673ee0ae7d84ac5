/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_PROPS_H
#define ROSFW_PROPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The RouterOS menus rosfw models. Each menu is one bit so a property
 * definition can say which menus accept it. IPv4 and IPv6 firewall menus are
 * distinct because they accept different properties (ttl vs hop-limit,
 * ipv4-options, icmp vs icmpv6 types).
 */
enum menu_kind {
	MK_NONE = -1,
	MK_FILTER4 = 0,
	MK_NAT4,
	MK_MANGLE4,
	MK_RAW4,
	MK_FILTER6,
	MK_NAT6,
	MK_MANGLE6,
	MK_RAW6,
	MK_ADDRLIST4,    /* /ip firewall address-list */
	MK_ADDRLIST6,    /* /ipv6 firewall address-list */
	MK_SERVICE_PORT, /* /ip firewall service-port */
	MK_CONNTRACK,    /* /ip firewall connection tracking (a settings menu) */
	MK_LAYER7,       /* /ip firewall layer7-protocol */
	MK_IFLIST,       /* /interface list */
	MK_IFLIST_MEMBER,/* /interface list member */
	MK_INTERFACE,    /* /interface <kind> menus that define interface names */
	MK_IP_SERVICE,   /* /ip service: the router's own services */
	MK_ROUTE4,       /* /ip route (routes.c: policy routing) */
	MK_ROUTE6,       /* /ipv6 route */
	MK_ROUTE_RULE4,  /* /ip route rule (v6) */
	MK_ROUTING_TABLE,/* /routing table (v7) */
	MK_ROUTING_RULE, /* /routing rule (v7) */
	MK_BRIDGE_FILTER,/* /interface bridge filter: table bridge rosfw (lower_bridge.c) */
	MK_BRIDGE_NAT,   /* /interface bridge nat: MAC rewriting there */
	MK__COUNT
};

#define MB(k) (1u << (k))
#define MB_RULES4 (MB(MK_FILTER4) | MB(MK_NAT4) | MB(MK_MANGLE4) | MB(MK_RAW4))
#define MB_RULES6 (MB(MK_FILTER6) | MB(MK_NAT6) | MB(MK_MANGLE6) | MB(MK_RAW6))
#define MB_RULES (MB_RULES4 | MB_RULES6)
#define MB_V6 (MB_RULES6 | MB(MK_ADDRLIST6) | MB(MK_ROUTE6))
#define MB_ROUTES (MB(MK_ROUTE4) | MB(MK_ROUTE6))
#define MB_ROUTE_RULES (MB(MK_ROUTE_RULE4) | MB(MK_ROUTING_RULE))
#define MB_BRF MB(MK_BRIDGE_FILTER)
#define MB_BRN MB(MK_BRIDGE_NAT)
#define MB_BR (MB_BRF | MB_BRN)

/* Value types (vtypes.def): each has a parser and a printer in vtype.c. */
#define VTYPE(id, parse, print) VT_##id,
enum vtype {
#include "vtypes.def"
	VT__COUNT
};
#undef VTYPE

/* Flags of a property definition. */
#define PF_NEG      0x01 /* accepts one leading '!' */
#define PF_LIST_NEG 0x02 /* each element of a comma list may carry '!' (tcp-flags) */
#define PF_ADD_ONLY 0x04 /* only valid on add (place-before, copy-from) */

/*
 * What rosfw makes of a property or action of the rule menus, as `rosfw doc
 * translation` prints it (docs/translation.md). ST_NONE: not a property of
 * the rule menus.
 */
enum prop_status {
	ST_NONE,
	ST_EXACT,	/* same packets, same effect */
	ST_APPROX,	/* nearly the same; `how` says how it differs */
	ST_REFUSED,	/* an error at the property; `how` says why */
	ST_ARGUMENT,	/* read by its action */
	ST_MODEL,	/* handled before lowering */
};

/* What leaving out a rule with this action does to traffic, as
 * --unsupported=skip-rule says it. */
enum skip_effect {
	SKIP_NEXT,	/* the traffic goes on to the next rule */
	SKIP_CLOSES,	/* traffic the rule would have accepted is not */
	SKIP_OPENS,	/* traffic the rule would have stopped is not */
};

/*
 * Value names whose meaning lowering reads, one X-macro list each, in the
 * order the names sort: props.c makes the names of them (the values a
 * VT_ENUM or VT_ENUM_LIST accepts), the enum constants are the indices a
 * parsed value holds. SYM(constant, "name").
 */
#define REJECT4(SYM) \
	SYM(REJ4_ADMIN_PROHIBITED, "icmp-admin-prohibited") \
	SYM(REJ4_ECHO_REPLY, "icmp-echo-reply") /* 2.9 */ \
	SYM(REJ4_HOST_PROHIBITED, "icmp-host-prohibited") SYM(REJ4_HOST_UNREACHABLE, "icmp-host-unreachable") \
	SYM(REJ4_NET_PROHIBITED, "icmp-net-prohibited") SYM(REJ4_NETWORK_UNREACHABLE, "icmp-network-unreachable") \
	SYM(REJ4_PORT_UNREACHABLE, "icmp-port-unreachable") \
	SYM(REJ4_PROTOCOL_UNREACHABLE, "icmp-protocol-unreachable") SYM(REJ4_TCP_RESET, "tcp-reset")
#define REJECT6(SYM) \
	SYM(REJ6_ADDRESS_UNREACHABLE, "icmp-address-unreachable") SYM(REJ6_ADMIN_PROHIBITED, "icmp-admin-prohibited") \
	SYM(REJ6_ERR_SRC_ROUTING_HEADER, "icmp-err-src-routing-header") /* v7 */ \
	SYM(REJ6_HEADERS_TOO_LONG, "icmp-headers-too-long") /* v7 */ SYM(REJ6_NO_ROUTE, "icmp-no-route") SYM(REJ6_NOT_NEIGHBOUR, "icmp-not-neighbour") \
	SYM(REJ6_PORT_UNREACHABLE, "icmp-port-unreachable") SYM(REJ6_TCP_RESET, "tcp-reset")
#define CONN_STATES(SYM) \
	SYM(CSTATE_ESTABLISHED, "established") SYM(CSTATE_INVALID, "invalid") SYM(CSTATE_NEW, "new") \
	SYM(CSTATE_RELATED, "related") SYM(CSTATE_UNTRACKED, "untracked")
/* ein-: v7's endpoint-independent NAT, which Linux does not have */
#define CONN_NAT_STATES(SYM) \
	SYM(CNAT_DSTNAT, "dstnat") SYM(CNAT_EIN_DNAT, "ein-dnat") SYM(CNAT_EIN_SNAT, "ein-snat") SYM(CNAT_SRCNAT, "srcnat")
#define CONN_TYPES(SYM) \
	SYM(CTYPE_FTP, "ftp") SYM(CTYPE_GRE, "gre") /* 2.9 */ SYM(CTYPE_H323, "h323") SYM(CTYPE_IRC, "irc") \
	SYM(CTYPE_MMS, "mms") /* 2.9 */ SYM(CTYPE_PPTP, "pptp") SYM(CTYPE_QUAKE3, "quake3") SYM(CTYPE_SIP, "sip") \
	SYM(CTYPE_TFTP, "tftp")
#define IPV4_OPTIONS(SYM) \
	SYM(IPV4OPT_ANY, "any") SYM(IPV4OPT_LSRR, "loose-source-routing") SYM(IPV4OPT_NO_RR, "no-record-route") \
	SYM(IPV4OPT_NO_RA, "no-router-alert") SYM(IPV4OPT_NO_SR, "no-source-routing") \
	SYM(IPV4OPT_NO_TIMESTAMP, "no-timestamp") SYM(IPV4OPT_NONE, "none") SYM(IPV4OPT_RR, "record-route") \
	SYM(IPV4OPT_RA, "router-alert") SYM(IPV4OPT_SSRR, "strict-source-routing") SYM(IPV4OPT_TIMESTAMP, "timestamp")
#define CT_ENABLED(SYM) SYM(CTRACK_AUTO, "auto") SYM(CTRACK_NO, "no") SYM(CTRACK_YES, "yes")
/* VT_ACTION_VALUE words; a trailing ':' marks an operation taking a number */
#define TTL_VALUES(SYM) \
	SYM(TTLV_SET, "set:") SYM(TTLV_INCREMENT, "increment:") SYM(TTLV_DECREMENT, "decrement:") \
	/* the v7 manual lists bare increment and decrement (by one) */ \
	SYM(TTLV_INCREMENT_ONE, "increment") SYM(TTLV_DECREMENT_ONE, "decrement")
#define MSS_VALUES(SYM) SYM(MSSV_CLAMP_TO_PMTU, "clamp-to-pmtu")
/* /ip route (routes.c) */
#define ROUTE_TYPES(SYM) \
	SYM(RTYPE_BLACKHOLE, "blackhole") SYM(RTYPE_PROHIBIT, "prohibit") SYM(RTYPE_UNICAST, "unicast") \
	SYM(RTYPE_UNREACHABLE, "unreachable")
#define CHECK_GATEWAYS(SYM) \
	SYM(CHECKGW_ARP, "arp") SYM(CHECKGW_BFD, "bfd") SYM(CHECKGW_BFD_MULTIHOP, "bfd-multihop") SYM(CHECKGW_NONE, "none") \
	SYM(CHECKGW_PING, "ping")

#define SYM_ENUM(c, name) c,
enum reject4 { REJECT4(SYM_ENUM) };
enum reject6 { REJECT6(SYM_ENUM) };
enum conn_state { CONN_STATES(SYM_ENUM) };
enum conn_nat_state { CONN_NAT_STATES(SYM_ENUM) };
enum conn_type { CONN_TYPES(SYM_ENUM) };
enum ipv4_option { IPV4_OPTIONS(SYM_ENUM) };
enum ct_enabled { CT_ENABLED(SYM_ENUM) };
enum ttl_value { TTL_VALUES(SYM_ENUM) };
enum mss_value { MSS_VALUES(SYM_ENUM) };
enum rtype_value { ROUTE_TYPES(SYM_ENUM) };
enum check_gateway { CHECK_GATEWAYS(SYM_ENUM) };
#undef SYM_ENUM

struct lctx;
struct mprop;

/* One enum constant per row of props.def: P_SRC_ADDRESS, A_ACCEPT ... */
#define PROP(id, fn, ...) P_##id,
#define ACTION(id, fn, ...)
enum prop_id {
#include "props.def"
	P__COUNT
};
#undef PROP
#undef ACTION
#define PROP(id, fn, ...)
#define ACTION(id, fn, ...) A_##id,
enum action_id {
#include "props.def"
	A__COUNT
};
#undef PROP
#undef ACTION

/**
 * struct prop_def - one RouterOS property, of one or more menus.
 * @id:     its enum prop_id; the table is sorted by name, so ids are too.
 * @name:   property name as RouterOS spells it.
 * @menus:  MB() bitmask of the menus that accept it.
 * @type:   how its value is parsed (value.c).
 * @flags:  PF_* bits.
 * @min, @max: bounds for VT_UINT, VT_UINT_RANGE, VT_ACTION_VALUE; @max also
 *          the longest VT_TIME and VT_TIMEOUT, when set.
 * @enums:  NULL-terminated value names for VT_ENUM, VT_ENUM_LIST and
 *          VT_ACTION_VALUE; @enums6 the IPv6 menus' names when they differ.
 * @def:    default value the manuals give, or NULL; @def6 the IPv6 menus'
 *          when it differs.
 * @status: what rosfw makes of it in the rule menus; @how the nft form,
 *          how it is approximated, or why it is refused.
 * @lower:  the function that lowers it to IR matches (lower_rules.c), or
 *          NULL when its action reads it or nothing needs to.
 */
struct prop_def {
	enum prop_id id;
	const char *name;
	uint32_t menus;
	enum vtype type;
	uint8_t flags;
	int64_t min, max;
	const char *const *enums, *const *enums6;
	const char *def, *def6;
	enum prop_status status;
	const char *how;
	void (*lower)(struct lctx *L, const struct mprop *p);
};

/**
 * struct action_def - one RouterOS action.
 * @id, @name, @menus, @status, @how: as for a property.
 * @lower: the function that lowers it (lower_rules.c), NULL when refused.
 * @skip:  what --unsupported=skip-rule says leaving the rule out does.
 * @needs: the property RouterOS wants with it, or either of two; @nneeds
 *         how many of @needs are set.
 */
struct action_def {
	enum action_id id;
	const char *name;
	uint32_t menus;
	enum prop_status status;
	const char *how;
	void (*lower)(struct lctx *L);
	enum skip_effect skip;
	enum prop_id needs[2];
	uint8_t nneeds;
};

/* The row of property `id`; `id` must be one of enum prop_id. */
const struct prop_def *prop_def(enum prop_id id);
/* The row of action `id`. */
const struct action_def *action_def(enum action_id id);

/* The property `name` as menu `m` accepts it, or NULL. */
const struct prop_def *prop_lookup(enum menu_kind m, const char *name);
/* The same for the n bytes at `name` (a name read in place, no NUL). */
const struct prop_def *prop_lookup_n(enum menu_kind m, const char *name, size_t n);
/* The action `name` (n bytes) as menu `m` takes it, or NULL. */
const struct action_def *action_lookup_n(enum menu_kind m, const char *name, size_t n);
/* The names of the actions menu `m` takes, NULL-terminated, sorted. */
const char *const *action_names(enum menu_kind m);

/* What menu `m` accepts as values of `p`, and its default there. */
const char *const *prop_enums(const struct prop_def *p, enum menu_kind m);
const char *prop_default(const struct prop_def *p, enum menu_kind m);

/* The closest property name menu `m` accepts (edit distance), or NULL when
 * nothing is reasonably close; for "did you mean" notes. */
const char *prop_suggest(enum menu_kind m, const char *name);

/* The whole tables, for tests and documentation generators. */
const struct prop_def *prop_table(size_t *n);
const struct action_def *action_table(size_t *n);

#endif
