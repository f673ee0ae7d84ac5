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
	MK__COUNT
};

#define MB(k) (1u << (k))
#define MB_RULES4 (MB(MK_FILTER4) | MB(MK_NAT4) | MB(MK_MANGLE4) | MB(MK_RAW4))
#define MB_RULES6 (MB(MK_FILTER6) | MB(MK_NAT6) | MB(MK_MANGLE6) | MB(MK_RAW6))
#define MB_RULES (MB_RULES4 | MB_RULES6)

/* Value types; each has a checker in value.c. */
enum vtype {
	VT_STRING,        /* any text (comment, log-prefix, names) */
	VT_NAME,          /* an identifier: chain, list, mark, interface name */
	VT_NAME_LIST,     /* comma list of names (interface list members...) */
	VT_YESNO,         /* yes|no (also true|false) */
	VT_ENUM,          /* one of prop_def.enums */
	VT_ENUM_LIST,     /* comma list of prop_def.enums */
	VT_UINT,          /* decimal integer in [min,max] */
	VT_UINT_RANGE,    /* N or N-M within [min,max] (packet-size, ttl ...) */
	VT_ADDR,          /* address, prefix or range of the menu's family */
	VT_ADDR_LIST,     /* comma list of VT_ADDR (to-addresses ...) */
	VT_ADDR_OR_DNS,   /* address-list entry: address, prefix, range or DNS name */
	VT_PORTS,         /* comma list of ports and port ranges 0-65535 */
	VT_PROTOCOL,      /* protocol name or number 0-255 */
	VT_TIME,          /* 1d2h3m4s, 00:05:00, 30s, 1w, 100ms, none */
	VT_TIMEOUT,       /* VT_TIME or none-dynamic / none-static */
	VT_RATE,          /* limit: count[/time][,burst][:mode] (v6 and v7 forms) */
	VT_DST_LIMIT,     /* dst-limit: rate[/time],burst,mode[/expire] */
	VT_CONN_LIMIT,    /* connection-limit: N,netmask */
	VT_CONN_BYTES,    /* connection-bytes: N-M or N-0 */
	VT_CONN_RATE,     /* connection-rate: N-M with k/M/G suffixes */
	VT_NTH,           /* nth: every,packet[,counter?] */
	VT_PCC,           /* per-connection-classifier: fields:N/M */
	VT_TIME_SPEC,     /* time: start-end,day,day,... */
	VT_TCP_FLAGS,     /* comma list of tcp flags, each with optional ! */
	VT_ICMP_OPTIONS,  /* type[:code] numeric or named, v4 or v6 by menu */
	VT_MAC,           /* AA:BB:CC:DD:EE:FF */
	VT_IPSEC_POLICY,  /* in|out,ipsec|none */
	VT_ADDR_TYPE,     /* unicast|local|broadcast|multicast|blackhole|prohibit|unreachable */
	VT_TCP_MSS,       /* N or N-M, 0-65535 */
	VT_DSCP,          /* 0-63 */
	VT_PRIORITY,      /* 0-63 */
	VT_ACTION_VALUE,  /* new-mss, new-ttl: change value forms (set:N, increment:N, clamp-to-pmtu) */
	VT_HEX_STRING,    /* content etc. kept as text */
	VT_REGEX,         /* layer7 regexp: any text */
	VT_PSD,           /* psd: weight,delay-time,low-port-weight,high-port-weight */
	VT_TTL,           /* ttl, hop-limit: equal|not-equal|greater-than|less-than:N, or N[-M] */
	VT__COUNT
};

/* Flags of a property definition. */
#define PF_NEG      0x01 /* accepts one leading '!' */
#define PF_LIST_NEG 0x02 /* each element of a comma list may carry '!' (tcp-flags) */
#define PF_ADD_ONLY 0x04 /* only valid on add (place-before, copy-from) */
#define PF_REFUSED  0x08 /* accepted by RouterOS, refused by rosfw's compiler */

/**
 * struct prop_def - one RouterOS property of one or more menus.
 * @name:  property name as RouterOS spells it.
 * @menus: MB() bitmask of the menus that accept it.
 * @type:  how its value is checked.
 * @flags: PF_* bits.
 * @min, @max: bounds for VT_UINT, VT_UINT_RANGE.
 * @enums: NULL-terminated value names for VT_ENUM and VT_ENUM_LIST.
 * @def:   default value the manuals give, or NULL.
 *
 * The table is sorted by name (tested), searched with bsearch; a property
 * whose type differs between menus has one row per group of menus.
 */
struct prop_def {
	const char *name;
	uint32_t menus;
	enum vtype type;
	uint8_t flags;
	int64_t min, max;
	const char *const *enums;
	const char *def;
};

/* The property `name` as menu `m` accepts it, or NULL. */
const struct prop_def *prop_lookup(enum menu_kind m, const char *name);
/* The same for the n bytes at `name` (a name read in place, no NUL). */
const struct prop_def *prop_lookup_n(enum menu_kind m, const char *name, size_t n);

/* The closest property name menu `m` accepts (edit distance), or NULL when
 * nothing is reasonably close; for "did you mean" notes. */
const char *prop_suggest(enum menu_kind m, const char *name);

/* The whole table, for tests and documentation generators. */
const struct prop_def *prop_table(size_t *n);

#endif
