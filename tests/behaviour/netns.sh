#!/bin/bash
# The behaviour tests' network: five network namespaces joined by veth pairs.
#
#                     ┌──────────── router ────────────┐
#   lan  eth0 ── lanp0┤ bridge "ether2"  192.168.88.1   │
#   lan2 eth0 ── lanp1┤                  fd00:88::1     ├ "ether1" ── eth0 wan
#                     │ "ether3"  192.168.89.1          │   203.0.113.1     203.0.113.2
#   dmz  eth0 ────────┤           fd00:89::1            │   2001:db8:1::1   2001:db8:1::2
#                     └─────────────────────────────────┘
#
#   lan  192.168.88.2/24   fd00:88::2/64     default via the router
#   lan2 192.168.88.3/24   fd00:88::3/64     (same LAN segment: hairpin NAT)
#   dmz  192.168.89.10/24  fd00:89::10/64    default via the router
#   wan  203.0.113.2/24    2001:db8:1::2/64  "the internet": routes to the LAN
#        and DMZ prefixes through the router (as an ISP routes a customer's
#        block), so traffic that is not NATed still gets its answers
#
# The router's three interfaces are named as the scenario's .rsc expects
# (defaults ether1 = WAN, ether2 = LAN, ether3 = DMZ); the LAN side is a Linux
# bridge with both LAN hosts as ports, like RouterOS's default "bridge". The
# router forwards IPv4 and IPv6, has rp_filter off and sends no redirects, as
# RouterOS by default. Nothing is created in, or changed about, the namespace
# this script runs in: every link is made inside the test's namespaces.
#
# Sourced by run.sh. Standalone, for poking at a scenario by hand:
#   tests/behaviour/netns.sh up [WAN LAN DMZ]   prints the namespace prefix
#   tests/behaviour/netns.sh down PREFIX
# then e.g.  ip netns exec PREFIX-router nft list ruleset

# Every host's own addresses: host, IPv4, IPv6 (the first of a host is its
# primary one, used when a probe names no source address).
TOPO_HOSTS="router lan lan2 wan dmz"
TOPO_ADDRS="
router 192.168.88.1 fd00:88::1
router 203.0.113.1 2001:db8:1::1
router 192.168.89.1 fd00:89::1
lan 192.168.88.2 fd00:88::2
lan2 192.168.88.3 fd00:88::3
wan 203.0.113.2 2001:db8:1::2
dmz 192.168.89.10 fd00:89::10
"
# The subnets of the topology: an address inside them belongs to a host, or
# to nobody; an address outside them is "on the internet" (see topo_owner).
TOPO_NETS4="192.168.88. 192.168.89. 203.0.113."
TOPO_NETS6="fd00:88: fd00:89: 2001:db8:1:"

TOPO_PREFIX=""
TOPO_EXTRA=""	# "host addr" lines added by topo_add_address

topo_ns() { echo "$TOPO_PREFIX-$1"; }
topo_nspath() { echo "/run/netns/$TOPO_PREFIX-$1"; }
topo_exec() { local h=$1; shift; ip netns exec "$TOPO_PREFIX-$h" "$@"; }

# topo_up PREFIX [WAN LAN DMZ]: build the network; the interface names are
# the router's, as the scenario's configuration names them.
topo_up() {
	TOPO_PREFIX=$1
	local wan=${2:-ether1} lan=${3:-ether2} dmz=${4:-ether3} h
	TOPO_EXTRA=""
	for h in $TOPO_HOSTS; do
		ip netns add "$TOPO_PREFIX-$h" || return 1
	done
	# Before any link exists, so that every new interface inherits them: no
	# duplicate address detection (addresses usable at once), no router
	# advertisements, no redirects. ICMP errors are not rate-limited: a
	# probe must see every reject the firewall sends.
	for h in $TOPO_HOSTS; do
		ip netns exec "$TOPO_PREFIX-$h" sh -c '
			echo 0 > /proc/sys/net/ipv4/icmp_ratelimit
			echo 0 > /proc/sys/net/ipv6/icmp/ratelimit
			for k in all default; do
				echo 0 > /proc/sys/net/ipv6/conf/$k/accept_dad
				echo 0 > /proc/sys/net/ipv6/conf/$k/accept_ra
				echo 0 > /proc/sys/net/ipv6/conf/$k/accept_redirects
				echo 0 > /proc/sys/net/ipv4/conf/$k/accept_redirects
				echo 0 > /proc/sys/net/ipv4/conf/$k/send_redirects
				echo 0 > /proc/sys/net/ipv4/conf/$k/rp_filter
			done' || return 1
	done
	# RouterOS bridges do not pass bridged traffic through the IP firewall
	# (use-ip-firewall=no): neither does this bridge, even when the host has
	# br_netfilter loaded.
	ip netns exec "$TOPO_PREFIX-router" sh -c '
		echo 1 > /proc/sys/net/ipv4/ip_forward
		echo 1 > /proc/sys/net/ipv6/conf/all/forwarding
		for f in /proc/sys/net/bridge/bridge-nf-call-*; do
			[ -e "$f" ] && echo 0 > "$f"
		done
		true' || return 1
	ip -n "$TOPO_PREFIX-router" -b - <<-EOF || return 1
		link set lo up
		link add $wan type veth peer name eth0 netns $TOPO_PREFIX-wan
		link add $dmz type veth peer name eth0 netns $TOPO_PREFIX-dmz
		link add $lan type bridge stp_state 0 mcast_snooping 0 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0
		link add lanp0 type veth peer name eth0 netns $TOPO_PREFIX-lan
		link add lanp1 type veth peer name eth0 netns $TOPO_PREFIX-lan2
		link set lanp0 master $lan
		link set lanp1 master $lan
		link set lanp0 up
		link set lanp1 up
		link set $lan up
		link set $wan up
		link set $dmz up
		addr add 192.168.88.1/24 dev $lan
		addr add fd00:88::1/64 dev $lan nodad
		addr add 203.0.113.1/24 dev $wan
		addr add 2001:db8:1::1/64 dev $wan nodad
		addr add 192.168.89.1/24 dev $dmz
		addr add fd00:89::1/64 dev $dmz nodad
		route add default via 203.0.113.2
		route add default via 2001:db8:1::2
	EOF
	topo_host_up lan 192.168.88.2/24 fd00:88::2/64 192.168.88.1 fd00:88::1 || return 1
	topo_host_up lan2 192.168.88.3/24 fd00:88::3/64 192.168.88.1 fd00:88::1 || return 1
	topo_host_up dmz 192.168.89.10/24 fd00:89::10/64 192.168.89.1 fd00:89::1 || return 1
	topo_host_up wan 203.0.113.2/24 2001:db8:1::2/64 || return 1
	ip -n "$TOPO_PREFIX-wan" -b - <<-EOF || return 1
		route add 192.168.88.0/24 via 203.0.113.1
		route add 192.168.89.0/24 via 203.0.113.1
		route add fd00:88::/64 via 2001:db8:1::1
		route add fd00:89::/64 via 2001:db8:1::1
	EOF
}

# topo_host_up HOST ADDR4/LEN ADDR6/LEN [GW4 GW6]
topo_host_up() {
	ip -n "$TOPO_PREFIX-$1" -b - <<-EOF
		link set lo up
		link set eth0 up
		addr add $2 dev eth0
		addr add $3 dev eth0 nodad
		$([ -n "$4" ] && echo "route add default via $4")
		$([ -n "$5" ] && echo "route add default via $5")
	EOF
}

topo_down() {
	local h
	[ -n "$TOPO_PREFIX" ] || return 0
	for h in $TOPO_HOSTS; do
		ip netns del "$TOPO_PREFIX-$h" 2>/dev/null
	done
	TOPO_PREFIX=""
	return 0
}

topo_is_v6() { case "$1" in *:*) return 0 ;; esac; return 1; }

# topo_inside ADDR: the address lies in one of the topology's subnets.
topo_inside() {
	local n nets=$TOPO_NETS4
	topo_is_v6 "$1" && nets=$TOPO_NETS6
	for n in $nets; do
		case "$1" in "$n"*) return 0 ;; esac
	done
	return 1
}

# topo_owner ADDR: the host that has the address, "internet" for an address
# outside every subnet of the topology (the WAN host stands in for it once
# the address is given to it), or nothing.
topo_owner() {
	local h a4 a6
	while read -r h a4 a6; do
		[ -n "$h" ] || continue
		if [ "$1" = "$a4" ] || [ "$1" = "$a6" ]; then
			echo "$h"
			return
		fi
	done <<-EOF
		$TOPO_ADDRS
		$TOPO_EXTRA
	EOF
	topo_inside "$1" || echo internet
}

# topo_primary HOST 4|6
topo_primary() {
	local h a4 a6
	while read -r h a4 a6; do
		if [ "$h" = "$1" ]; then
			if [ "$2" = 6 ]; then echo "$a6"; else echo "$a4"; fi
			return
		fi
	done <<-EOF
		$TOPO_ADDRS
	EOF
}

# topo_add_address HOST ADDR[/LEN]: one more address on a host (on the
# router: on its loopback). Without /LEN: the subnet's length inside the
# topology, a host route outside it.
topo_add_address() {
	local host=$1 addr=${2%/*} len dev=eth0 extra=""
	case "$2" in
	*/*) len=${2#*/} ;;
	*)
		if topo_inside "$addr" && [ "$host" != router ]; then
			len=24
			topo_is_v6 "$addr" && len=64
		else
			len=32
			topo_is_v6 "$addr" && len=128
		fi
		;;
	esac
	local owner
	owner=$(topo_owner "$addr")
	[ "$owner" = "$host" ] && return 0
	if [ -n "$owner" ] && [ "$owner" != internet ]; then
		echo "netns: $addr belongs to $owner already" >&2
		return 1
	fi
	[ "$host" = router ] && dev=lo
	# IPv6: deprecated at once, so that the host never picks it as the
	# source of its own accord (a probe names it when it wants it).
	topo_is_v6 "$addr" && extra="nodad preferred_lft 0"
	# shellcheck disable=SC2086 # $extra is words
	ip -n "$TOPO_PREFIX-$host" addr add "$addr/$len" dev $dev $extra || return 1
	TOPO_EXTRA="$TOPO_EXTRA
$host $addr"
}

# topo_route PREFIX HOST: the router reaches PREFIX through HOST, and the WAN
# host reaches it through the router (unless HOST is the WAN host).
topo_route() {
	local prefix=$1 host=$2 v=4 gw
	topo_is_v6 "$prefix" && v=6
	gw=$(topo_primary "$host" $v)
	ip -n "$TOPO_PREFIX-router" route add "$prefix" via "$gw" || return 1
	if [ "$host" != wan ]; then
		gw=203.0.113.1
		[ $v = 6 ] && gw=2001:db8:1::1
		ip -n "$TOPO_PREFIX-wan" route add "$prefix" via "$gw" || return 1
	fi
}

# topo_rename_wan OLD NEW: the router's WAN link takes another name, as a
# ppp0 that appears once pppd has dialled: a name the firewall was loaded
# without. Linux renames only a link that is down, which drops its IPv6
# address and the routes through it: they are put back.
topo_rename_wan() {
	ip -n "$TOPO_PREFIX-router" -b - <<-EOF
		link set $1 down
		link set $1 name $2
		link set $2 up
		addr add 2001:db8:1::1/64 dev $2 nodad
		route replace default via 203.0.113.2
		route replace default via 2001:db8:1::2
	EOF
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	case "$1" in
	up)
		topo_up "rosfwb-$$-$RANDOM" "$2" "$3" "$4" || { topo_down; exit 1; }
		echo "$TOPO_PREFIX"
		;;
	down)
		[ -n "$2" ] || { echo "usage: $0 down PREFIX" >&2; exit 2; }
		TOPO_PREFIX=$2
		topo_down
		;;
	*)
		echo "usage: $0 up [WAN LAN DMZ] | down PREFIX" >&2
		exit 2
		;;
	esac
fi
