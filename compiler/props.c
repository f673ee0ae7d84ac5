/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The RouterOS properties rosfw reads, after the manuals in
 * /work/shared/reference: the v7 property reference (002) for filter, nat and
 * mangle, the filter guide (001), the overview (000) for address lists and
 * layer7, the 2.9 manual (003) for old properties still found in scripts, and
 * the connection tracking page (004) for tracking settings and service ports.
 * Where they disagree the v7 text wins; older forms stay accepted.
 *
 * The table is sorted by name (strcmp) for bsearch. A property whose type or
 * values differ between menus (action, reject-with) has one row per group of
 * menus, adjacent because they share the name.
 */
#include "props.h"

#include "text.h"

#include <stdlib.h>
#include <string.h>

#include "value.h"

#define MB_ADDRLISTS (MB(MK_ADDRLIST4) | MB(MK_ADDRLIST6))
#define MB_FILTER (MB(MK_FILTER4) | MB(MK_FILTER6))
#define MB_NAT (MB(MK_NAT4) | MB(MK_NAT6))
#define MB_MANGLE (MB(MK_MANGLE4) | MB(MK_MANGLE6))
#define MB_RAW (MB(MK_RAW4) | MB(MK_RAW6))
/* The facilities that see connection tracking; raw runs before it. */
#define MB_FNM4 (MB(MK_FILTER4) | MB(MK_NAT4) | MB(MK_MANGLE4))
#define MB_FNM (MB_FNM4 | MB(MK_FILTER6) | MB(MK_NAT6) | MB(MK_MANGLE6))
/* Every menu whose items carry a comment. */
#define MB_COMMENTED (MB_RULES | MB_ADDRLISTS | MB(MK_SERVICE_PORT) | MB(MK_LAYER7) | \
		      MB(MK_IFLIST) | MB(MK_IFLIST_MEMBER) | MB(MK_INTERFACE))
/* Every menu whose items can be disabled. */
#define MB_DISABLEABLE (MB_RULES | MB_ADDRLISTS | MB(MK_SERVICE_PORT) | \
			MB(MK_IFLIST_MEMBER) | MB(MK_INTERFACE))

/* ------------------------------------------------------------ enumerations */

static const char *const act_filter4[] = {
	"accept", "add-dst-to-address-list", "add-src-to-address-list", "drop",
	"fasttrack-connection", "jump", "log", "passthrough", "reject", "return", "tarpit",
	NULL
};

static const char *const act_filter6[] = {
	"accept", "add-dst-to-address-list", "add-src-to-address-list", "drop",
	/* IPv6 FastTrack exists since RouterOS 7.18 */
	"fasttrack-connection",
	"jump", "log", "passthrough", "reject", "return",
	NULL
};

static const char *const act_nat4[] = {
	"accept", "add-dst-to-address-list", "add-src-to-address-list", "dst-nat",
	"endpoint-independent-nat", "jump", "log", "masquerade", "netmap", "passthrough",
	"redirect", "return", "same", "src-nat",
	NULL
};

static const char *const act_nat6[] = {
	"accept", "add-dst-to-address-list", "add-src-to-address-list", "dst-nat", "jump",
	"log", "masquerade", "netmap", "passthrough", "redirect", "return", "src-nat",
	NULL
};

static const char *const act_mangle4[] = {
	"accept", "add-dst-to-address-list", "add-src-to-address-list", "change-dscp",
	"change-mss", "change-ttl", "clear-df", "fasttrack-connection", "jump", "log",
	"mark-connection", "mark-packet", "mark-routing", "passthrough", "return", "route",
	"set-priority", "sniff-pc", "sniff-tzsp", "strip-ipv4-options",
	NULL
};

static const char *const act_mangle6[] = {
	"accept", "add-dst-to-address-list", "add-src-to-address-list", "change-dscp",
	"change-hop-limit", "change-mss", "jump", "log", "mark-connection", "mark-packet",
	"mark-routing", "passthrough", "return", "set-priority", "sniff-pc", "sniff-tzsp",
	NULL
};

static const char *const act_raw[] = {
	"accept", "add-dst-to-address-list", "add-src-to-address-list", "drop", "jump", "log",
	"notrack", "passthrough", "return",
	NULL
};

static const char *const reject4[] = {
	"icmp-admin-prohibited",
	"icmp-echo-reply", /* 2.9 */
	"icmp-host-prohibited", "icmp-host-unreachable", "icmp-net-prohibited",
	"icmp-network-unreachable", "icmp-port-unreachable", "icmp-protocol-unreachable",
	"tcp-reset",
	NULL
};

static const char *const reject6[] = {
	"icmp-address-unreachable", "icmp-admin-prohibited", "icmp-no-route",
	"icmp-not-neighbour", "icmp-port-unreachable", "tcp-reset",
	NULL
};

static const char *const conn_states[] = {
	"established", "invalid", "new", "related", "untracked", NULL
};

static const char *const conn_nat_states[] = { "dstnat", "srcnat", NULL };

static const char *const conn_types[] = {
	"ftp",
	"gre", /* 2.9 */
	"h323", "irc",
	"mms", /* 2.9 */
	"pptp", "quake3", "sip", "tftp",
	NULL
};

/* v7 names plus 2.9's (which lacked to-client) */
static const char *const hotspot_kinds[] = {
	"auth", "from-client", "http", "local-dst", "to-client", NULL
};

static const char *const ipv4_opts[] = {
	"any", "loose-source-routing", "no-record-route", "no-router-alert",
	"no-source-routing", "no-timestamp", "none", "record-route", "router-alert",
	"strict-source-routing", "timestamp",
	NULL
};

/* IPv6 extension headers as ip6t_ipv6header names them, which RouterOS wraps */
static const char *const ipv6_headers[] = {
	"ah", "dst", "esp", "frag", "hop", "none", "proto", "route", NULL
};

static const char *const p2p_kinds[] = {
	"all-p2p", "bit-torrent", "blubster", "direct-connect", "edonkey", "fasttrack",
	"gnutella", "soulseek", "warez", "winmx",
	NULL
};

static const char *const tos_kinds[] = {
	"max-reliability", "max-throughput", "min-cost", "min-delay", "normal", NULL
};

static const char *const ct_enabled[] = { "auto", "no", "yes", NULL };

/* VT_ACTION_VALUE keywords; a trailing ':' marks an operation taking a number */
static const char *const mss_values[] = { "clamp-to-pmtu", NULL };
static const char *const ttl_values[] = {
	"set:", "increment:", "decrement:",
	/* the v7 manual lists bare increment and decrement (by one) */
	"increment", "decrement",
	NULL
};
static const char *const priority_values[] = {
	"from-dscp", "from-dscp-high-3-bits", "from-ingress", NULL
};

/* ------------------------------------------------------------------ table */

#define P(n, mn, t, f) { .name = n, .menus = mn, .type = t, .flags = f }
#define PD(n, mn, t, f, d) { .name = n, .menus = mn, .type = t, .flags = f, .def = d }
#define PE(n, mn, t, f, e, d) { .name = n, .menus = mn, .type = t, .flags = f, .enums = e, .def = d }
#define PR(n, mn, t, f, lo, hi, d) \
	{ .name = n, .menus = mn, .type = t, .flags = f, .min = lo, .max = hi, .def = d }
#define PA(n, mn, e, lo, hi) \
	{ .name = n, .menus = mn, .type = VT_ACTION_VALUE, .min = lo, .max = hi, .enums = e }

#define NEG PF_NEG
#define REF PF_REFUSED

static const struct prop_def props[] = {
	PE("action", MB(MK_FILTER4), VT_ENUM, 0, act_filter4, "accept"),
	PE("action", MB(MK_FILTER6), VT_ENUM, 0, act_filter6, "accept"),
	PE("action", MB(MK_MANGLE4), VT_ENUM, 0, act_mangle4, "accept"),
	PE("action", MB(MK_MANGLE6), VT_ENUM, 0, act_mangle6, "accept"),
	PE("action", MB(MK_NAT4), VT_ENUM, 0, act_nat4, "accept"),
	PE("action", MB(MK_NAT6), VT_ENUM, 0, act_nat6, "accept"),
	PE("action", MB_RAW, VT_ENUM, 0, act_raw, "accept"),
	P("address", MB_ADDRLISTS, VT_ADDR_OR_DNS, 0),
	P("address-list", MB_RULES, VT_NAME, 0),
	/* v7: none-dynamic; v6 wrote 00:00:00 for the same */
	PR("address-list-timeout", MB_RULES, VT_TIMEOUT, 0, 0, VALUE_SET_TIMEOUT_MAX_MS, "none-dynamic"),
	P("chain", MB_RULES, VT_NAME, 0),
	P("comment", MB_COMMENTED, VT_STRING, 0),
	P("connection-bytes", MB_FNM, VT_CONN_BYTES, NEG),
	P("connection-limit", MB_FNM, VT_CONN_LIMIT, NEG),
	P("connection-mark", MB_FNM, VT_NAME, NEG),
	PE("connection-nat-state", MB_FNM, VT_ENUM_LIST, NEG, conn_nat_states, NULL),
	/* no nftables match for the current rate of a connection */
	P("connection-rate", MB_FNM, VT_CONN_RATE, NEG | REF),
	PE("connection-state", MB_FNM, VT_ENUM_LIST, NEG, conn_states, NULL),
	PE("connection-type", MB_FNM, VT_ENUM, NEG, conn_types, NULL),
	/* nftables has no payload string search */
	P("content", MB_RULES, VT_HEX_STRING, NEG | REF),
	P("copy-from", MB_RULES, VT_STRING, PF_ADD_ONLY),
	PD("disabled", MB_DISABLEABLE, VT_YESNO, 0, "no"),
	P("dscp", MB_RULES, VT_DSCP, NEG),
	P("dst-address", MB_RULES, VT_ADDR, NEG),
	P("dst-address-list", MB_RULES, VT_NAME, NEG),
	P("dst-address-type", MB_RULES, VT_ADDR_TYPE, NEG),
	P("dst-limit", MB_RULES, VT_DST_LIMIT, NEG),
	P("dst-port", MB_RULES, VT_PORTS, NEG),
	/* read-only in RouterOS, but exports of dynamic entries carry it */
	P("dynamic", MB_ADDRLISTS, VT_YESNO, 0),
	/* 004 gives yes; v7 routers default to auto */
	PE("enabled", MB(MK_CONNTRACK), VT_ENUM, 0, ct_enabled, "yes"),
	P("exclude", MB(MK_IFLIST), VT_NAME_LIST, 0),
	P("fragment", MB_RULES4, VT_YESNO, 0),
	PD("generic-timeout", MB(MK_CONNTRACK), VT_TIME, 0, "10m"),
	PE("headers", MB_RULES6, VT_ENUM_LIST, NEG, ipv6_headers, NULL),
	P("hop-limit", MB_RULES6, VT_TTL, 0),
	/* HotSpot state lives in RouterOS only */
	PE("hotspot", MB_FNM4, VT_ENUM_LIST, PF_LIST_NEG | REF, hotspot_kinds, NULL),
	/* fasttrack-connection option in 004 and real exports */
	P("hw-offload", MB_FILTER, VT_YESNO, 0),
	P("icmp-options", MB_RULES, VT_ICMP_OPTIONS, NEG),
	PD("icmp-timeout", MB(MK_CONNTRACK), VT_TIME, 0, "30s"),
	P("in-bridge-port", MB_RULES, VT_NAME, NEG),
	P("in-bridge-port-list", MB_RULES, VT_NAME, NEG),
	P("in-interface", MB_RULES, VT_NAME, NEG),
	P("in-interface-list", MB_RULES, VT_NAME, NEG),
	P("include", MB(MK_IFLIST), VT_NAME_LIST, 0),
	P("ingress-priority", MB_RULES, VT_PRIORITY, NEG),
	P("interface", MB(MK_IFLIST_MEMBER), VT_NAME, 0),
	P("ipsec-policy", MB_RULES, VT_IPSEC_POLICY, 0),
	PE("ipv4-options", MB_RULES4, VT_ENUM, NEG, ipv4_opts, NULL),
	P("jump-target", MB_RULES, VT_NAME, 0),
	/* nftables has no layer 7 regexp match */
	P("layer7-protocol", MB_FNM4, VT_NAME, NEG | REF),
	/* v7 conntrack setting, not in 004 */
	PD("liberal-tcp-tracking", MB(MK_CONNTRACK), VT_YESNO, 0, "no"),
	P("limit", MB_RULES, VT_RATE, NEG),
	P("list", MB_ADDRLISTS | MB(MK_IFLIST_MEMBER), VT_NAME, 0),
	PD("log", MB_RULES, VT_YESNO, 0, "no"),
	P("log-prefix", MB_RULES, VT_STRING, 0),
	/* conntrack setting of v6 and v7, not in 004 */
	PD("loose-tcp-tracking", MB(MK_CONNTRACK), VT_YESNO, 0, "yes"),
	PR("max-connections", MB(MK_CONNTRACK), VT_UINT, 0, 0, UINT32_MAX, "200000"),
	/* what RouterOS itself calls the limit in print; read-only there */
	PR("max-entries", MB(MK_CONNTRACK), VT_UINT, 0, 0, UINT32_MAX, NULL),
	P("name", MB(MK_SERVICE_PORT) | MB(MK_LAYER7) | MB(MK_IFLIST) | MB(MK_INTERFACE),
	  VT_NAME, 0),
	P("new-connection-mark", MB_MANGLE, VT_NAME, 0),
	P("new-dscp", MB_MANGLE, VT_DSCP, 0),
	PA("new-hop-limit", MB(MK_MANGLE6), ttl_values, 0, 255),
	PA("new-mss", MB_MANGLE, mss_values, 0, 65535),
	P("new-packet-mark", MB_MANGLE, VT_NAME, 0),
	PA("new-priority", MB_MANGLE, priority_values, 0, 63),
	P("new-routing-mark", MB_MANGLE, VT_NAME, 0),
	PA("new-ttl", MB(MK_MANGLE4), ttl_values, 0, 255),
	P("nth", MB_RULES, VT_NTH, NEG),
	P("out-bridge-port", MB_RULES, VT_NAME, NEG),
	P("out-bridge-port-list", MB_RULES, VT_NAME, NEG),
	P("out-interface", MB_RULES, VT_NAME, NEG),
	P("out-interface-list", MB_RULES, VT_NAME, NEG),
	/* 2.9 to v6 only; a protocol guesser nftables does not have */
	PE("p2p", MB_FNM4, VT_ENUM, NEG | REF, p2p_kinds, NULL),
	P("packet-mark", MB_RULES, VT_NAME, NEG),
	PR("packet-size", MB_RULES, VT_UINT_RANGE, NEG, 0, 65535, NULL),
	PD("passthrough", MB_MANGLE, VT_YESNO, 0, "yes"),
	P("per-connection-classifier", MB_RULES, VT_PCC, NEG),
	/* 2.9 bridge port matchers, later in-bridge-port/out-bridge-port */
	P("phys-in-interface", MB_FNM4, VT_NAME, NEG),
	P("phys-out-interface", MB_FNM4, VT_NAME, NEG),
	/* a rule number or [find ...], resolved by the model */
	P("place-before", MB_RULES, VT_STRING, PF_ADD_ONLY),
	P("port", MB_RULES, VT_PORTS, NEG),
	P("ports", MB(MK_SERVICE_PORT), VT_PORTS, 0),
	P("priority", MB_RULES, VT_PRIORITY, NEG),
	/* The manual's "Default: tcp" is WinBox's pre-fill; a rule without
	 * protocol matches every protocol, so no default here. */
	P("protocol", MB_RULES, VT_PROTOCOL, NEG),
	/* port scan detection has no nftables counterpart */
	P("psd", MB_RULES, VT_PSD, NEG | REF),
	PR("random", MB_RULES, VT_UINT, 0, 1, 99, NULL),
	P("regexp", MB(MK_LAYER7), VT_REGEX, 0),
	PE("reject-with", MB(MK_FILTER4), VT_ENUM, 0, reject4, "icmp-network-unreachable"),
	PE("reject-with", MB(MK_FILTER6), VT_ENUM, 0, reject6, "icmp-no-route"),
	/* gateway of action=route */
	P("route-dst", MB(MK_MANGLE4), VT_ADDR, 0),
	P("routing-mark", MB_FNM, VT_NAME, NEG),
	P("routing-table", MB_FNM, VT_NAME, NEG),
	P("same-not-by-dst", MB(MK_NAT4), VT_YESNO, 0),
	P("sip-direct-media", MB(MK_SERVICE_PORT), VT_YESNO, 0),
	P("sip-timeout", MB(MK_SERVICE_PORT), VT_TIME, 0),
	PR("sniff-id", MB_MANGLE, VT_UINT, 0, 0, UINT32_MAX, NULL),
	P("sniff-target", MB_MANGLE, VT_ADDR, 0),
	PR("sniff-target-port", MB_MANGLE, VT_UINT, 0, 0, 65535, NULL),
	P("src-address", MB_RULES, VT_ADDR, NEG),
	P("src-address-list", MB_RULES, VT_NAME, NEG),
	P("src-address-type", MB_RULES, VT_ADDR_TYPE, NEG),
	P("src-mac-address", MB_RULES, VT_MAC, NEG),
	P("src-port", MB_RULES, VT_PORTS, NEG),
	PD("tcp-close-timeout", MB(MK_CONNTRACK), VT_TIME, 0, "10s"),
	PD("tcp-close-wait-timeout", MB(MK_CONNTRACK), VT_TIME, 0, "1m"),
	PD("tcp-established-timeout", MB(MK_CONNTRACK), VT_TIME, 0, "1d"),
	PD("tcp-fin-wait-timeout", MB(MK_CONNTRACK), VT_TIME, 0, "10s"),
	P("tcp-flags", MB_RULES, VT_TCP_FLAGS, PF_LIST_NEG),
	PD("tcp-last-ack-timeout", MB(MK_CONNTRACK), VT_TIME, 0, "30s"),
	/* RouterOS setting not in 004; its default */
	PD("tcp-max-retrans-timeout", MB(MK_CONNTRACK), VT_TIME, 0, "5m"),
	P("tcp-mss", MB_RULES, VT_TCP_MSS, NEG),
	PD("tcp-syn-received-timeout", MB(MK_CONNTRACK), VT_TIME, 0, "5s"),
	PD("tcp-syn-sent-timeout", MB(MK_CONNTRACK), VT_TIME, 0, "5s"),
	PD("tcp-time-wait-timeout", MB(MK_CONNTRACK), VT_TIME, 0, "10s"),
	PD("tcp-unacked-timeout", MB(MK_CONNTRACK), VT_TIME, 0, "5m"),
	P("time", MB_RULES, VT_TIME_SPEC, 0),
	PR("timeout", MB_ADDRLISTS, VT_TIME, 0, 0, VALUE_SET_TIMEOUT_MAX_MS, NULL),
	/* TLS SNI inspection is beyond nftables */
	P("tls-host", MB_RULES, VT_STRING, NEG | REF),
	/* One address or range: RouterOS takes no list here. The manual's
	 * default 0.0.0.0 means "not set", so none is given. */
	P("to-addresses", MB_NAT, VT_ADDR, 0),
	PR("to-ports", MB_NAT, VT_UINT_RANGE, 0, 0, 65535, NULL),
	/* 2.9 type of service, superseded by dscp */
	PE("tos", MB_FNM4, VT_ENUM, NEG, tos_kinds, NULL),
	P("ttl", MB_RULES4, VT_TTL, 0),
	PD("udp-stream-timeout", MB(MK_CONNTRACK), VT_TIME, 0, "3m"),
	PD("udp-timeout", MB(MK_CONNTRACK), VT_TIME, 0, "30s"),
};

#define NPROPS (sizeof(props) / sizeof(props[0]))

const struct prop_def *prop_table(size_t *n)
{
	if (n)
		*n = NPROPS;
	return props;
}

static bool menu_ok(enum menu_kind m)
{
	return m > MK_NONE && m < MK__COUNT;
}

/*
 * The model looks a property up for every name=value it reads, a million
 * times for a large address list: one small open-addressing table per menu,
 * filled before main, answers in one probe where bsearch took eight strcmp.
 */
#define PROP_HASH 512

static const struct prop_def *prop_index[MK__COUNT][PROP_HASH];

static size_t prop_hash_n(const char *name, size_t n)
{
	size_t h = 5381, i;

	for (i = 0; i < n; i++)
		h = h * 33 + (unsigned char)name[i];
	return h & (PROP_HASH - 1);
}

static size_t prop_hash(const char *name)
{
	return prop_hash_n(name, strlen(name));
}

__attribute__((constructor)) static void prop_index_build(void)
{
	size_t i, h;
	int m;

	for (m = 0; m < MK__COUNT; m++) {
		for (i = 0; i < NPROPS; i++) {
			if (!(props[i].menus & MB(m)))
				continue;
			for (h = prop_hash(props[i].name); prop_index[m][h]; h = (h + 1) & (PROP_HASH - 1))
				if (!strcmp(prop_index[m][h]->name, props[i].name))
					break;
			/* The first row of a name that a menu accepts wins, as
			 * the table's order promised. */
			if (!prop_index[m][h])
				prop_index[m][h] = &props[i];
		}
	}
}

const struct prop_def *prop_lookup(enum menu_kind m, const char *name)
{
	size_t h;

	if (!name || !menu_ok(m))
		return NULL;
	for (h = prop_hash(name); prop_index[m][h]; h = (h + 1) & (PROP_HASH - 1))
		if (!strcmp(prop_index[m][h]->name, name))
			return prop_index[m][h];
	return NULL;
}

/*
 * A script names the same few properties over and over: the last definition
 * found for a (menu, length, first and last byte) is tried before hashing.
 * It holds pointers into the constant table only.
 */
#define PROP_CACHE 64

static struct {
	const struct prop_def *def;
	enum menu_kind m;
	size_t len;
} prop_cache[PROP_CACHE];

/* The n bytes at name are d's name. Stops at a NUL in either. */
static bool name_is(const struct prop_def *d, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < n && d->name[i] && d->name[i] == name[i]; i++)
		;
	return i == n && d->name[n] == '\0';
}

const struct prop_def *prop_lookup_n(enum menu_kind m, const char *name, size_t n)
{
	const struct prop_def *d;
	size_t h = 5381, i, slot;

	if (!name || !menu_ok(m))
		return NULL;
	if (n == 0)
		return prop_lookup(m, "");
	slot = (n * 31 + (unsigned char)name[0] * 7 + (unsigned char)name[n - 1]) & (PROP_CACHE - 1);
	d = prop_cache[slot].def;
	if (d && prop_cache[slot].m == m && prop_cache[slot].len == n) {
		for (i = 0; i < n && d->name[i] == name[i]; i++)
			;
		if (i == n)
			return d;
	}
	/* Hashed by hand, and the name ends at a NUL as prop_lookup() on a
	 * copy would see it. */
	for (i = 0; i < n && name[i]; i++)
		h = h * 33 + (unsigned char)name[i];
	n = i;
	for (h &= PROP_HASH - 1; (d = prop_index[m][h]) != NULL; h = (h + 1) & (PROP_HASH - 1)) {
		if (name_is(d, name, n)) {
			prop_cache[slot].def = d;
			prop_cache[slot].m = m;
			prop_cache[slot].len = n;
			return d;
		}
	}
	return NULL;
}

/* far longer than any property name */
#define SUGGEST_MAX 64

const char *prop_suggest(enum menu_kind m, const char *name)
{
	const char *best = NULL;
	size_t len, limit, best_d = (size_t)-1, i;

	if (!name || !menu_ok(m))
		return NULL;
	len = strlen(name);
	if (len == 0 || len > SUGGEST_MAX)
		return NULL;
	limit = text_typo_cap(len);
	for (i = 0; i < NPROPS; i++) {
		size_t ln = strlen(props[i].name), d;

		if (!(props[i].menus & MB(m)) || ln > SUGGEST_MAX)
			continue;
		/* the length difference alone already exceeds the limit */
		if ((ln > len ? ln - len : len - ln) > limit)
			continue;
		d = text_distance(name, len, props[i].name, ln, limit);
		if (d < best_d) {
			best_d = d;
			best = props[i].name;
		}
	}
	return best_d <= limit ? best : NULL;
}
