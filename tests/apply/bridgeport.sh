#!/bin/bash
# in-bridge-port and in-bridge-port-list (issue 17), on packets, in
# namespaces of its own: the test's namespace is the router, whose LAN is
# bridge br0 of two ports (veth p2 and p3, RouterOS's ether2 and ether3
# through the interface map) to hosts h2 and h3; srv sits behind its other
# leg, wan. Hosts send UDP datagrams with bash's /dev/udp; whoever should
# get them counts them per port in a table of its own:
#   - input and forward rules by port catch the one port's packets and
#     not the other's; packets back from srv to the LAN (routed into the
#     bridge) meet no in-bridge-port rule;
#   - a port list, negation, and a mangle packet mark beside the port
#     number (the one does not clear the other);
#   - a port the machine lacks is a missing interface, one that is no
#     bridge's port a warning;
#   - apply --diff reads the bridge table (the same ports: no change);
#   - out-bridge-port is refused, located, with the reason;
#   - an apply without bridge ports removes table bridge rosfw, flush too.
# A packet that must be dropped is followed by one the rules let through
# on the same path: once that one has arrived, the first had its chance.
. "$(dirname "$0")/../lib.sh"
in_own_namespaces bridgeport "-n -m" "$@"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

suite=bridgeport
. "$(dirname "$0")/bridgenet.sh"

map=(--interface ether2=p2 --interface ether3=p3)

cat > "$tmp/ports.rsc" <<'RSC'
/interface bridge add name=bridge1
/interface bridge port
add bridge=bridge1 interface=ether2
add bridge=bridge1 interface=ether3
/ip firewall filter
add chain=input protocol=udp dst-port=9 in-bridge-port=ether2 action=drop
add chain=forward protocol=udp dst-port=9 in-bridge-port=ether3 action=drop
RSC
if "$rosfw" apply "${map[@]}" --interface bridge1=br0 "$tmp/ports.rsc" 2> "$tmp/e1"; then
	pass "bridgeport: in-bridge-port applies"
else
	fail "bridgeport: in-bridge-port applies"
	cat "$tmp/e1" >&2
fi
if grep -q "maps nothing" "$tmp/e1"; then
	fail "bridgeport: the map's entries for ports are used, not warned as typos"
	cat "$tmp/e1" >&2
else
	pass "bridgeport: the map's entries for ports are used, not warned as typos"
fi
expect "input from ether2" h2 router 192.168.88.1 dropped
expect "input from ether3" h3 router 192.168.88.1 delivered
expect "forward from ether2" h2 srv 10.9.0.1 delivered
expect "forward from ether3" h3 srv 10.9.0.1 dropped
expect "forward from srv to ether2's host" srv h2 192.168.88.2 delivered
expect "forward from srv to ether3's host" srv h3 192.168.88.3 delivered
expect "input from srv" srv router 10.9.0.2 delivered

# A list of one port and one that is not in the bridge; negation; and a
# packet mark set in mangle, matched with the port in filter.
cat > "$tmp/list.rsc" <<'RSC'
/interface list add name=PORTS
/interface list member
add list=PORTS interface=ether2
add list=PORTS interface=ether4
/ip firewall mangle
add chain=prerouting in-bridge-port=ether3 action=mark-packet new-packet-mark=from3
/ip firewall filter
add chain=input protocol=udp dst-port=9 in-bridge-port-list=PORTS action=drop
add chain=forward protocol=udp dst-port=9 in-bridge-port=!ether2 packet-mark=from3 action=drop
RSC
"$rosfw" apply "${map[@]}" --interface ether4=p4 "$tmp/list.rsc" 2> "$tmp/e2" ||
	{ fail "bridgeport: in-bridge-port-list applies"; cat "$tmp/e2" >&2; }
expect "input from ether2, in the list" h2 router 192.168.88.1 dropped
expect "input from ether3, not in the list" h3 router 192.168.88.1 delivered
expect "forward from ether3, marked and not ether2" h3 srv 10.9.0.1 dropped
expect "forward from ether2" h2 srv 10.9.0.1 delivered
expect "forward from srv (not marked, no port)" srv h3 192.168.88.3 delivered

# A port this machine lacks is a missing interface (an error by default);
# one that is no bridge's port a warning: no bridge hook sees its packets.
if ! ROSFW_MISSING_INTERFACES= "$rosfw" apply --interface ether2=p9 --interface ether3=p3 "$tmp/ports.rsc" 2> "$tmp/e4" &&
	grep -q 'ports.rsc:6:56: error: bridge port "p9" does not exist here' "$tmp/e4" &&
	"$rosfw" apply --interface ether2=wan --interface ether3=p3 "$tmp/ports.rsc" 2> "$tmp/e5" &&
	grep -q "ports.rsc:6:56: warning: \"wan\" is no bridge's port here" "$tmp/e5"; then
	pass "bridgeport: a missing port is an error, one outside any bridge a warning"
else
	fail "bridgeport: a missing port is an error, one outside any bridge a warning"
	cat "$tmp/e4" >&2
fi

# --diff reads table bridge rosfw too: the same ports are no change, a
# port mapped to another Linux name is.
"$rosfw" apply "${map[@]}" --interface ether4=p4 "$tmp/list.rsc" 2>/dev/null
"$rosfw" apply --diff "${map[@]}" --interface ether4=p4 "$tmp/list.rsc" > "$tmp/d1" 2>/dev/null
rc1=$?
"$rosfw" apply --diff --interface ether2=p3 --interface ether3=p2 --interface ether4=p4 "$tmp/list.rsc" > "$tmp/d2" 2>/dev/null
rc2=$?
if [ $rc1 = 0 ] && grep -qix "no changes" "$tmp/d1" && [ $rc2 = 4 ] && grep -q '^~ rule bridge prerouting at ' "$tmp/d2"; then
	pass "bridgeport: --diff compares table bridge rosfw"
else
	fail "bridgeport: --diff compares table bridge rosfw ($rc1 $rc2)"
	cat "$tmp/d1" "$tmp/d2" >&2
fi

printf '/ip firewall filter\nadd chain=forward out-bridge-port=ether2 action=drop\n' > "$tmp/out.rsc"
if ! "$rosfw" check "$tmp/out.rsc" 2> "$tmp/e3" &&
	grep -q "out.rsc:2:35: error: out-bridge-port is not supported: Linux picks the output bridge port after the IP hooks" "$tmp/e3"; then
	pass "bridgeport: out-bridge-port refused, located, with the reason"
else
	fail "bridgeport: out-bridge-port refused, located, with the reason"
	cat "$tmp/e3" >&2
fi

printf '/ip firewall filter\nadd chain=input protocol=udp dst-port=9 action=accept\n' > "$tmp/plain.rsc"
"$rosfw" apply "$tmp/plain.rsc" 2>/dev/null
if ! nft list table bridge rosfw >/dev/null 2>&1 && nft list table ip rosfw >/dev/null 2>&1; then
	pass "bridgeport: an apply without bridge ports removes table bridge rosfw"
else
	fail "bridgeport: an apply without bridge ports removes table bridge rosfw"
fi
expect "input from ether2 after it" h2 router 192.168.88.1 delivered
"$rosfw" apply "${map[@]}" "$tmp/list.rsc" 2>/dev/null
"$rosfw" flush 2>/dev/null
if ! nft list table bridge rosfw >/dev/null 2>&1 && ! nft list table ip rosfw >/dev/null 2>&1 &&
	nft list table ip count >/dev/null 2>&1; then
	pass "bridgeport: flush removes table bridge rosfw, and only rosfw's"
else
	fail "bridgeport: flush removes table bridge rosfw, and only rosfw's"
fi
summary "bridgeport"
