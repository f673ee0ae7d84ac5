/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "menu.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

/**
 * struct menu_node - one level of the RouterOS menu tree.
 * @kind: the firewall menu this is, or MK_NONE.
 * @children: NULL-terminated, or NULL.
 */
struct menu_node {
	const char *name;
	enum menu_kind kind;
	const struct menu_node *parent;
	const struct menu_node *const *children;
};

/* Only the firewall branches are spelled out; below any other top-level menu
 * the model reads words as path elements up to the first verb. Interface
 * menus that define interface names are MK_INTERFACE so rules can be checked
 * against the names an export defines. */
#define LEAF(var, nm, k, par) \
	static const struct menu_node var = { nm, k, &par, NULL }

static const struct menu_node root, ip, ipv6, iface, ip_fw, ip6_fw, ip_fw_conn, iflist, ip_route, routing;

LEAF(ip_filter, "filter", MK_FILTER4, ip_fw);
LEAF(ip_nat, "nat", MK_NAT4, ip_fw);
LEAF(ip_mangle, "mangle", MK_MANGLE4, ip_fw);
LEAF(ip_raw, "raw", MK_RAW4, ip_fw);
LEAF(ip_al, "address-list", MK_ADDRLIST4, ip_fw);
LEAF(ip_sp, "service-port", MK_SERVICE_PORT, ip_fw);
LEAF(ip_l7, "layer7-protocol", MK_LAYER7, ip_fw);
LEAF(ip_ct, "tracking", MK_CONNTRACK, ip_fw_conn);
LEAF(ip_calea, "calea", MK_NONE, ip_fw);
static const struct menu_node *const ip_fw_conn_children[] = { &ip_ct, NULL };
static const struct menu_node ip_fw_conn = { "connection", MK_NONE, &ip_fw, ip_fw_conn_children };
static const struct menu_node *const ip_fw_children[] = {
	&ip_filter, &ip_nat, &ip_mangle, &ip_raw, &ip_al, &ip_sp, &ip_l7, &ip_fw_conn, &ip_calea, NULL
};
static const struct menu_node ip_fw = { "firewall", MK_NONE, &ip, ip_fw_children };
/* The router's own services: their address= restrictions are firewall
 * rules (lower_service.c). */
LEAF(ip_service, "service", MK_IP_SERVICE, ip);
/* Policy routing (routes.c); the other children of these menus (ospf,
 * bgp, filter, vrf) are passed over. */
LEAF(ip_route_rule, "rule", MK_ROUTE_RULE4, ip_route);
static const struct menu_node *const ip_route_children[] = { &ip_route_rule, NULL };
static const struct menu_node ip_route = { "route", MK_ROUTE4, &ip, ip_route_children };
LEAF(routing_table, "table", MK_ROUTING_TABLE, routing);
LEAF(routing_rule, "rule", MK_ROUTING_RULE, routing);
static const struct menu_node *const routing_children[] = { &routing_table, &routing_rule, NULL };
static const struct menu_node routing = { "routing", MK_NONE, &root, routing_children };
static const struct menu_node *const ip_children[] = { &ip_fw, &ip_service, &ip_route, NULL };
static const struct menu_node ip = { "ip", MK_NONE, &root, ip_children };

LEAF(ip6_filter, "filter", MK_FILTER6, ip6_fw);
LEAF(ip6_nat, "nat", MK_NAT6, ip6_fw);
LEAF(ip6_mangle, "mangle", MK_MANGLE6, ip6_fw);
LEAF(ip6_raw, "raw", MK_RAW6, ip6_fw);
LEAF(ip6_al, "address-list", MK_ADDRLIST6, ip6_fw);
/* The connection table: print and remove act at run time only. */
LEAF(ip6_conn, "connection", MK_NONE, ip6_fw);
static const struct menu_node *const ip6_fw_children[] = {
	&ip6_filter, &ip6_nat, &ip6_mangle, &ip6_raw, &ip6_al, &ip6_conn, NULL
};
static const struct menu_node ip6_fw = { "firewall", MK_NONE, &ipv6, ip6_fw_children };
LEAF(ip6_route, "route", MK_ROUTE6, ipv6);
static const struct menu_node *const ipv6_children[] = { &ip6_fw, &ip6_route, NULL };
static const struct menu_node ipv6 = { "ipv6", MK_NONE, &root, ipv6_children };

LEAF(iflist_member, "member", MK_IFLIST_MEMBER, iflist);
static const struct menu_node *const iflist_children[] = { &iflist_member, NULL };
static const struct menu_node iflist = { "list", MK_IFLIST, &iface, iflist_children };

#define IFACE(var, nm) LEAF(var, nm, MK_INTERFACE, iface)
IFACE(if_6to4, "6to4");
IFACE(if_bonding, "bonding");
/* /interface bridge names bridges; its filter and nat menus are rules
 * (lower_bridge.c), its other children (port, vlan, ...) are passed over. */
static const struct menu_node if_bridge;
LEAF(bridge_filter, "filter", MK_BRIDGE_FILTER, if_bridge);
LEAF(bridge_nat, "nat", MK_BRIDGE_NAT, if_bridge);
static const struct menu_node *const if_bridge_children[] = { &bridge_filter, &bridge_nat, NULL };
static const struct menu_node if_bridge = { "bridge", MK_INTERFACE, &iface, if_bridge_children };
IFACE(if_eoip, "eoip");
IFACE(if_ethernet, "ethernet");
IFACE(if_gre, "gre");
IFACE(if_gre6, "gre6");
IFACE(if_ipip, "ipip");
IFACE(if_l2tp_client, "l2tp-client");
IFACE(if_l2tp_server, "l2tp-server");
IFACE(if_lte, "lte");
IFACE(if_macvlan, "macvlan");
IFACE(if_ovpn_client, "ovpn-client");
IFACE(if_pppoe_client, "pppoe-client");
IFACE(if_pptp_client, "pptp-client");
IFACE(if_sstp_client, "sstp-client");
IFACE(if_veth, "veth");
IFACE(if_vlan, "vlan");
IFACE(if_vrrp, "vrrp");
IFACE(if_wifi, "wifi");
IFACE(if_wifiwave2, "wifiwave2");
IFACE(if_wireguard, "wireguard");
IFACE(if_wireless, "wireless");
static const struct menu_node *const iface_children[] = {
	&iflist, &if_6to4, &if_bonding, &if_bridge, &if_eoip, &if_ethernet, &if_gre, &if_gre6,
	&if_ipip, &if_l2tp_client, &if_l2tp_server, &if_lte, &if_macvlan, &if_ovpn_client,
	&if_pppoe_client, &if_pptp_client, &if_sstp_client, &if_veth, &if_vlan, &if_vrrp,
	&if_wifi, &if_wifiwave2, &if_wireguard, &if_wireless, NULL
};
/* /interface itself lists every interface: `set ether1 name=wan` renames. */
static const struct menu_node iface = { "interface", MK_INTERFACE, &root, iface_children };

static const struct menu_node *const root_children[] = { &ip, &ipv6, &iface, &routing, NULL };
static const struct menu_node root = { "", MK_NONE, NULL, root_children };

const struct menu_node *menu_root(void)
{
	return &root;
}

const struct menu_node *menu_child(const struct menu_node *n, const char *name, size_t len)
{
	const struct menu_node *const *c;

	if (!n || !n->children)
		return NULL;
	for (c = n->children; *c; c++)
		if (strlen((*c)->name) == len && !memcmp((*c)->name, name, len))
			return *c;
	return NULL;
}

const struct menu_node *menu_child_prefix(const struct menu_node *n, const char *name, size_t len)
{
	const struct menu_node *const *c, *found = NULL;

	if (!n || !n->children || !len)
		return NULL;
	for (c = n->children; *c; c++) {
		if (strlen((*c)->name) >= len && !memcmp((*c)->name, name, len)) {
			if (found)
				return NULL;
			found = *c;
		}
	}
	return found;
}

const struct menu_node *menu_parent(const struct menu_node *n)
{
	return n ? n->parent : NULL;
}

enum menu_kind menu_kind(const struct menu_node *n)
{
	return n ? n->kind : MK_NONE;
}

void menu_path(const struct menu_node *n, char *buf, size_t size)
{
	const struct menu_node *chain[16];
	size_t depth = 0, off = 0;
	int w;

	for (; n && n->parent && depth < 16; n = n->parent)
		chain[depth++] = n;
	if (size)
		buf[0] = '\0';
	if (!depth) {
		snprintf(buf, size, "/");
		return;
	}
	while (depth--) {
		w = snprintf(buf + off, size > off ? size - off : 0, "%s%s", off ? " " : "/",
			     chain[depth]->name);
		if (w < 0 || (size_t)w >= size - off)
			return;
		off += (size_t)w;
	}
}

static const char *const kind_paths[MK__COUNT] = {
	[MK_FILTER4] = "/ip firewall filter",
	[MK_NAT4] = "/ip firewall nat",
	[MK_MANGLE4] = "/ip firewall mangle",
	[MK_RAW4] = "/ip firewall raw",
	[MK_FILTER6] = "/ipv6 firewall filter",
	[MK_NAT6] = "/ipv6 firewall nat",
	[MK_MANGLE6] = "/ipv6 firewall mangle",
	[MK_RAW6] = "/ipv6 firewall raw",
	[MK_ADDRLIST4] = "/ip firewall address-list",
	[MK_ADDRLIST6] = "/ipv6 firewall address-list",
	[MK_SERVICE_PORT] = "/ip firewall service-port",
	[MK_CONNTRACK] = "/ip firewall connection tracking",
	[MK_LAYER7] = "/ip firewall layer7-protocol",
	[MK_IFLIST] = "/interface list",
	[MK_IFLIST_MEMBER] = "/interface list member",
	[MK_INTERFACE] = "/interface",
	[MK_IP_SERVICE] = "/ip service",
	[MK_ROUTE4] = "/ip route",
	[MK_ROUTE6] = "/ipv6 route",
	[MK_ROUTE_RULE4] = "/ip route rule",
	[MK_ROUTING_TABLE] = "/routing table",
	[MK_ROUTING_RULE] = "/routing rule",
	[MK_BRIDGE_FILTER] = "/interface bridge filter",
	[MK_BRIDGE_NAT] = "/interface bridge nat",
};

const char *menu_kind_path(enum menu_kind k)
{
	return k >= 0 && k < MK__COUNT ? kind_paths[k] : "/";
}

const char *menu_kind_facility(enum menu_kind k)
{
	static const char *const f[] = { "filter", "nat", "mangle", "raw" };

	if (k >= MK_FILTER4 && k <= MK_RAW6)
		return f[(k - MK_FILTER4) % 4];
	/* its own table's: chains filter_input ... as the IP filter's */
	if (k == MK_BRIDGE_FILTER)
		return f[0];
	/* not the IP nat's: its chains rewrite MACs, no nat-type chains */
	if (k == MK_BRIDGE_NAT)
		return "brnat";
	return NULL;
}

bool menu_kind_is_rules(enum menu_kind k)
{
	return (k >= MK_FILTER4 && k <= MK_RAW6) || menu_kind_is_bridge(k);
}

bool menu_kind_is_bridge(enum menu_kind k)
{
	return k == MK_BRIDGE_FILTER || k == MK_BRIDGE_NAT;
}

bool menu_kind_is_v6(enum menu_kind k)
{
	return (k >= MK_FILTER6 && k <= MK_RAW6) || k == MK_ADDRLIST6 || k == MK_ROUTE6;
}

bool menu_kind_is_settings(enum menu_kind k)
{
	return k == MK_CONNTRACK;
}

bool menu_kind_is_named(enum menu_kind k)
{
	return k == MK_SERVICE_PORT || k == MK_LAYER7 || k == MK_IFLIST || k == MK_INTERFACE || k == MK_IP_SERVICE ||
	       k == MK_ROUTING_TABLE;
}

#define VERB(v) { v, sizeof(v) - 1 }
/* Indexed by enum verb. */
static const struct {
	const char *name;
	size_t len;
} verbs[V__COUNT] = {
	VERB("add"), VERB("comment"), VERB("disable"), VERB("edit"), VERB("enable"),
	VERB("export"), VERB("find"), VERB("get"), VERB("import"), VERB("monitor"),
	VERB("move"), VERB("print"), VERB("remove"), VERB("reset"), VERB("reset-counters"),
	VERB("reset-counters-all"), VERB("run"), VERB("set"), VERB("unset"),
};

bool menu_is_verb(const char *w, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (verbs[i].len == len && !memcmp(verbs[i].name, w, len))
			return true;
	return false;
}

enum verb menu_verb_prefix(const char *w, size_t len)
{
	int found = V_NONE;
	size_t i;

	if (!len)
		return V_NONE;
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (verbs[i].len < len || memcmp(verbs[i].name, w, len))
			continue;
		if (verbs[i].len == len)
			return (enum verb)i;
		/* `reset-c` abbreviates both reset-counters and
		 * reset-counters-all: the shorter one is meant. */
		if (found != V_NONE && (verbs[i].len < verbs[found].len ||
					memcmp(verbs[found].name, verbs[i].name, verbs[found].len)))
			return V_NONE;
		if (found == V_NONE)
			found = (int)i;
	}
	return (enum verb)found;
}

const char *menu_verb_name(enum verb v)
{
	return v > V_NONE && v < V__COUNT ? verbs[v].name : "";
}

/* Every top-level menu and root command of RouterOS v6 and v7: a path that
 * starts with anything else is not RouterOS (prose, a typo), and passing it
 * over would silently drop the rules below it. */
static const char *const root_names[] = {
	"app", "beep", "caps-man", "capsman", "certificate", "console", "container", "delay",
	"disk", "do", "driver", "dude", "environment", "error", "execute", "export", "file", "find",
	"for", "foreach", "global", "if", "import", "interface", "iot", "ip", "ipv6", "kvm", "lcd",
	"len", "local", "log", "lora", "metarouter", "mpls", "nothing", "openflow", "parse", "partitions",
	"password", "pick", "ping", "port", "ppp", "put", "queue", "quit", "radius", "redo",
	"resolve", "return", "routing", "setup", "snmp", "special-login", "store", "system", "task",
	"terminal", "time", "tool", "tr069-client", "undo", "user", "user-manager", "while", "zerotier",
};

bool menu_is_root_name(const char *w, size_t len, const char **closest)
{
	size_t i, best = (size_t)-1;

	*closest = NULL;
	for (i = 0; i < sizeof(root_names) / sizeof(root_names[0]); i++) {
		size_t d;

		if (strlen(root_names[i]) == len && !memcmp(root_names[i], w, len))
			return true;
		d = text_distance(w, len, root_names[i], strlen(root_names[i]), text_typo_cap(len));
		if (d <= text_typo_cap(len) && d < best) {
			best = d;
			*closest = root_names[i];
		}
	}
	return false;
}
