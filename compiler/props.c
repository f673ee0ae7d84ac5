/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The property and action tables (rows in props.def), the value names
 * their rows refer to, and the one way they are searched: by name, in
 * name order, with a small cache in front.
 */
#include "props.h"

#include "text.h"

#include <stdlib.h>
#include <string.h>

#include "lower_fns.h"
#include "value.h"

#define MB_ADDRLISTS (MB(MK_ADDRLIST4) | MB(MK_ADDRLIST6))
#define MB_FILTER (MB(MK_FILTER4) | MB(MK_FILTER6))
#define MB_NAT (MB(MK_NAT4) | MB(MK_NAT6))
#define MB_MANGLE (MB(MK_MANGLE4) | MB(MK_MANGLE6))
#define MB_RAW (MB(MK_RAW4) | MB(MK_RAW6))
/* The facilities that see connection tracking; raw runs before it. */
#define MB_FNM4 (MB(MK_FILTER4) | MB(MK_NAT4) | MB(MK_MANGLE4))
#define MB_FNM (MB_FNM4 | MB(MK_FILTER6) | MB(MK_NAT6) | MB(MK_MANGLE6))
/* The policy routing menus (routes.c). */
#define MB_ROUTING (MB_ROUTES | MB_ROUTE_RULES | MB(MK_ROUTING_TABLE))
/* Every menu whose items carry a comment. */
#define MB_COMMENTED (MB_RULES | MB_ADDRLISTS | MB(MK_SERVICE_PORT) | MB(MK_LAYER7) | \
		      MB(MK_IFLIST) | MB(MK_IFLIST_MEMBER) | MB(MK_INTERFACE) | MB_ROUTING | MB_BR)
/* Every menu whose items can be disabled. */
#define MB_DISABLEABLE (MB_RULES | MB_ADDRLISTS | MB(MK_SERVICE_PORT) | \
			MB(MK_IFLIST_MEMBER) | MB(MK_INTERFACE) | MB(MK_IP_SERVICE) | MB_ROUTING | MB_BR)

/* ------------------------------------------------------------ enumerations */

#define SYM_NAME(c, name) name,
static const char *const reject4[] = { REJECT4(SYM_NAME) NULL };
static const char *const reject6[] = { REJECT6(SYM_NAME) NULL };
static const char *const conn_states[] = { CONN_STATES(SYM_NAME) NULL };
static const char *const conn_nat_states[] = { CONN_NAT_STATES(SYM_NAME) NULL };
static const char *const conn_types[] = { CONN_TYPES(SYM_NAME) NULL };
static const char *const ipv4_opts[] = { IPV4_OPTIONS(SYM_NAME) NULL };
static const char *const ct_enabled[] = { CT_ENABLED(SYM_NAME) NULL };
static const char *const mss_values[] = { MSS_VALUES(SYM_NAME) NULL };
static const char *const ttl_values[] = { TTL_VALUES(SYM_NAME) NULL };
/* /ip route check-gateway (v7 adds the bfd forms) and v6's type= */
static const char *const check_gateways[] = { CHECK_GATEWAYS(SYM_NAME) NULL };
static const char *const route_types[] = { ROUTE_TYPES(SYM_NAME) NULL };
#undef SYM_NAME

/* v7 names plus 2.9's (which lacked to-client) */
static const char *const hotspot_kinds[] = {
	"auth", "from-client", "http", "local-dst", "to-client", NULL
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

/* /interface bridge filter: refused properties' words (props.def) */
static const char *const arp_opcodes[] = {
	"arp-nak", "drarp-error", "drarp-reply", "drarp-request", "inarp-reply", "inarp-request", "reply",
	"reply-reverse", "request", "request-reverse", NULL
};
static const char *const packet_types[] = { "broadcast", "host", "multicast", "other-host", NULL };
static const char *const stp_flags[] = { "topology-change", "topology-change-ack", NULL };
static const char *const stp_types[] = { "config", "tcn", NULL };

/* /ip service tls-version */
static const char *const tls_versions[] = { "any", "only-1.2", NULL };

static const char *const tos_kinds[] = {
	"max-reliability", "max-throughput", "min-cost", "min-delay", "normal", NULL
};

/* new-dscp's words (v7): both copy the priority, which nftables cannot do */
static const char *const dscp_values[] = { "from-priority", "from-priority-to-high-3-bits", NULL };

static const char *const priority_values[] = {
	"from-dscp", "from-dscp-high-3-bits", "from-ingress", NULL
};

/* ------------------------------------------------------------------ table */

#define NEG PF_NEG
#define DEF(d) .def = d
#define DEF6(d) .def6 = d
#define ENUMS(e) .enums = e
#define ENUMS6(e) .enums6 = e
#define RANGE(lo, hi) .min = lo, .max = hi
#define EXACT(h) .status = ST_EXACT, .how = h
#define APPROX(h) .status = ST_APPROX, .how = h
#define REFUSED(h) .status = ST_REFUSED, .how = h
#define ARGUMENT(h) .status = ST_ARGUMENT, .how = h
#define MODEL(h) .status = ST_MODEL, .how = h
#define NEEDS(p) .needs = { p }, .nneeds = 1
#define NEEDS2(p, q) .needs = { p, q }, .nneeds = 2
#define LOWERS(f) f
#define ACTS(f) f
#define NONE NULL

#define PROP(i, fn, nm, mn, ty, fl, ...) \
	[P_##i] = { .id = P_##i, .name = nm, .menus = mn, .type = ty, .flags = fl, .lower = fn, __VA_ARGS__ },
#define ACTION(i, fn, ...)
static const struct prop_def props[P__COUNT] = {
#include "props.def"
};
#undef PROP
#undef ACTION

#define PROP(i, fn, ...)
#define ACTION(i, fn, nm, mn, sk, ...) \
	[A_##i] = { .id = A_##i, .name = nm, .menus = mn, .skip = sk, .lower = fn, __VA_ARGS__ },
static const struct action_def actions[A__COUNT] = {
#include "props.def"
};
#undef PROP
#undef ACTION

const struct prop_def *prop_table(size_t *n)
{
	if (n)
		*n = P__COUNT;
	return props;
}

const struct action_def *action_table(size_t *n)
{
	if (n)
		*n = A__COUNT;
	return actions;
}

const struct prop_def *prop_def(enum prop_id id)
{
	return &props[id];
}

const struct action_def *action_def(enum action_id id)
{
	return &actions[id];
}

static bool menu_ok(enum menu_kind m)
{
	return m > MK_NONE && m < MK__COUNT;
}

/* The n bytes at name against a row's NUL-terminated name, as strcmp
 * would order them; the name ends at a NUL, as on a copy. */
static int name_cmp(const char *row, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < n && name[i]; i++) {
		if (row[i] != name[i])
			return (unsigned char)row[i] < (unsigned char)name[i] ? -1 : 1;
	}
	return row[i] ? 1 : 0;
}

/* Binary search of a table sorted by name: rows of `size` bytes whose
 * name is at `off`. */
static const void *by_name(const void *base, size_t nmemb, size_t size, size_t off, const char *name, size_t n)
{
	size_t lo = 0, hi = nmemb;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *row = *(const char *const *)((const char *)base + mid * size + off);
		int c = name_cmp(row, name, n);

		if (!c)
			return (const char *)base + mid * size;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Names a menu gives a property that other menus (and older versions)
 * call otherwise: the item keeps the property under its row's name, so
 * everything past the lookup sees one property.
 */
static const struct {
	const char *name;
	uint32_t menus;
	enum prop_id id;
} aliases[] = {
	/* v7 /ipv6 firewall nat writes to-address=PREFIX */
	{ "to-address", MB(MK_NAT6), P_TO_ADDRESSES },
};

static const struct prop_def *alias_lookup(enum menu_kind m, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if ((aliases[i].menus & MB(m)) && !name_cmp(aliases[i].name, name, n))
			return &props[aliases[i].id];
	return NULL;
}

/*
 * The model looks a property up for every name=value it reads, a million
 * times for a large address list, and a script names the same few over and
 * over: the last row found for a (length, first and last byte) is tried
 * before the search. It holds pointers into the constant table only.
 */
#define PROP_CACHE 64

static const struct prop_def *prop_cache[PROP_CACHE];

const struct prop_def *prop_lookup_n(enum menu_kind m, const char *name, size_t n)
{
	const struct prop_def *d;
	size_t slot, i;

	if (!name || !menu_ok(m))
		return NULL;
	slot = n ? (n * 31 + (unsigned char)name[0] * 7 + (unsigned char)name[n - 1]) & (PROP_CACHE - 1) : 0;
	d = prop_cache[slot];
	if (d) {
		for (i = 0; i < n && d->name[i] && d->name[i] == name[i]; i++)
			;
		if (i == n && d->name[n] == '\0')
			return d->menus & MB(m) ? d : NULL;
	}
	d = by_name(props, P__COUNT, sizeof(props[0]), offsetof(struct prop_def, name), name, n);
	if (!d)
		return alias_lookup(m, name, n);
	prop_cache[slot] = d;
	return d->menus & MB(m) ? d : NULL;
}

const struct prop_def *prop_lookup(enum menu_kind m, const char *name)
{
	return name ? prop_lookup_n(m, name, strlen(name)) : NULL;
}

const struct action_def *action_lookup_n(enum menu_kind m, const char *name, size_t n)
{
	const struct action_def *a;

	/* A value is the whole text: "accept\0x" is no action. */
	if (!name || !menu_ok(m) || memchr(name, '\0', n))
		return NULL;
	a = by_name(actions, A__COUNT, sizeof(actions[0]), offsetof(struct action_def, name), name, n);
	return a && (a->menus & MB(m)) ? a : NULL;
}

/* The actions of each menu, in the table's (name) order: what a message
 * that lists them shows. */
static const char *action_names_of[MK__COUNT][A__COUNT + 1];

__attribute__((constructor)) static void action_names_build(void)
{
	int m;
	size_t i, n;

	for (m = 0; m < MK__COUNT; m++)
		for (i = n = 0; i < A__COUNT; i++)
			if (actions[i].menus & MB(m))
				action_names_of[m][n++] = actions[i].name;
}

const char *const *action_names(enum menu_kind m)
{
	return menu_ok(m) ? action_names_of[m] : action_names_of[MK_FILTER4] + A__COUNT;
}

const char *const *prop_enums(const struct prop_def *p, enum menu_kind m)
{
	return p->enums6 && menu_ok(m) && (MB(m) & MB_V6) ? p->enums6 : p->enums;
}

const char *prop_default(const struct prop_def *p, enum menu_kind m)
{
	/* The one property whose default differs by menu: a routing rule
	 * looks up its table. */
	if (p->id == P_ACTION && menu_ok(m) && (MB(m) & MB_ROUTE_RULES))
		return "lookup";
	return p->def6 && menu_ok(m) && (MB(m) & MB_V6) ? p->def6 : p->def;
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
	for (i = 0; i < P__COUNT; i++) {
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
