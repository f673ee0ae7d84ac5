#!/bin/bash
# /interface bridge filter (issue 17), on frames, in namespaces of its own:
# the router (the test's namespace) bridges br0 of two veth ports (p2, p3:
# RouterOS's ether2, ether3) to hosts h2 and h3, whose MACs are fixed; srv
# is behind its routed leg. Its rules go into table bridge rosfw:
#   - by MAC (forward, through a jump and a return; input with masks)
#     the one host's frames are dropped, the other's pass;
#   - by IP protocol and port from one port: that direction is dropped,
#     the other passes, and routed packets meet no bridge forward rule;
#   - a re-apply keeps the counters;
#   - /interface bridge nat: dst-nat and src-nat rewrite the MACs (a frame
#     to a MAC nobody has reaches its host; its source MAC is the new one);
#   - a property rosfw does not translate is a located error;
#   - apply --confirm's rollback puts the table back; flush removes it.
# A datagram that must be dropped is followed by a marker on the same path.
. "$(dirname "$0")/../lib.sh"
in_own_namespaces bridgefilter "-n -m" "$@"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

suite=bridgefilter
. "$(dirname "$0")/bridgenet.sh"

map=(--interface ether2=p2 --interface ether3=p3 --interface bridge1=br0)

# By MAC address, in forward (frames the bridge passes between its ports)
# and input (frames it passes up to the router), through a user chain.
cat > "$tmp/mac.rsc" <<'RSC'
/interface bridge filter
add chain=forward action=jump jump-target=lan
add chain=lan src-mac-address=02:00:00:00:00:02 mac-protocol=ip ip-protocol=udp dst-port=9 action=drop
add chain=lan action=return
add chain=input dst-mac-address=!01:00:00:00:00:00/01:00:00:00:00:00 src-mac-address=02:00:00:00:00:00/FF:FF:FF:FF:FF:FD mac-protocol=ip ip-protocol=udp dst-port=9 action=drop
RSC
if "$rosfw" apply "${map[@]}" "$tmp/mac.rsc" 2> "$tmp/e1"; then
	pass "bridgefilter: by MAC applies"
else
	fail "bridgefilter: by MAC applies"
	cat "$tmp/e1" >&2
fi
expect "bridged from h2 (its MAC)" h2 h3 192.168.88.3 dropped
expect "bridged from h3" h3 h2 192.168.88.2 delivered
expect "to the router from h2, MAC under a mask" h2 router 192.168.88.1 dropped
expect "to the router from h3, MAC outside the mask" h3 router 192.168.88.1 delivered

# By IP protocol and port, from one port: the other direction passes.
cat > "$tmp/proto.rsc" <<'RSC'
/interface bridge filter
add chain=forward mac-protocol=ip ip-protocol=udp dst-port=9 in-interface=ether3 action=drop
add chain=forward mac-protocol=ip ip-protocol=tcp action=drop
RSC
"$rosfw" apply "${map[@]}" "$tmp/proto.rsc" 2> "$tmp/e2" || { fail "bridgefilter: by protocol applies"; cat "$tmp/e2" >&2; }
if grep -q "is a port of bridge" "$tmp/e2"; then
	fail "bridgefilter: a port in the bridge filter is no 'port of a bridge' warning"
	cat "$tmp/e2" >&2
else
	pass "bridgefilter: a port in the bridge filter is no 'port of a bridge' warning"
fi
printf '/interface bridge filter\nadd chain=input in-interface=ether9 action=drop\n' > "$tmp/miss.rsc"
if ! ROSFW_MISSING_INTERFACES= "$rosfw" apply --interface ether9=p9 "$tmp/miss.rsc" 2> "$tmp/e5" &&
	grep -q 'miss.rsc:2:1: error: rule 0 of /interface bridge filter (chain input, drop): in-interface=p9, but this machine has no interface "p9"' "$tmp/e5" &&
	! grep -q "bridge port" "$tmp/e5"; then
	pass "bridgefilter: an interface the machine lacks is a missing interface"
else
	fail "bridgefilter: an interface the machine lacks is a missing interface"
	cat "$tmp/e5" >&2
fi
expect "bridged UDP 9 from ether3" h3 h2 192.168.88.2 dropped
expect "bridged UDP 9 from ether2" h2 h3 192.168.88.3 delivered
expect "routed UDP 9 from ether3 (no bridge forward)" h3 srv 10.9.0.1 delivered
# A re-apply empties the table in place: the rules' counters count on.
counted() { nft list counters table bridge rosfw | awk '/packets/ { n += $2 } END { print n + 0 }'; }
before=$(counted)
"$rosfw" apply "${map[@]}" "$tmp/proto.rsc" 2>/dev/null
if [ "$before" -gt 0 ] && [ "$(counted)" -ge "$before" ]; then
	pass "bridgefilter: a re-apply keeps the rules' counters ($before packets)"
else
	fail "bridgefilter: a re-apply keeps the rules' counters ($before, then $(counted))"
fi
# print stats bridge-filter: each rule of /interface bridge filter with its
# own counters (rule 0 dropped what came from ether3; rule 1 saw no TCP).
"$rosfw" print stats bridge-filter "${map[@]}" "$tmp/proto.rsc" > "$tmp/ps" 2>&1
"$rosfw" print stats bridge-filter --json "${map[@]}" "$tmp/proto.rsc" > "$tmp/psj" 2>&1
"$rosfw" print stats all bridge-filter "${map[@]}" "$tmp/proto.rsc" > "$tmp/psall" 2>&1
if awk '$1 == "0" && $2 == "forward" && $3 == "drop" && $5 > 0 { a = 1 } $1 == "1" && $2 == "forward" && $5 == 0 { b = 1 } END { exit !(a && b) }' "$tmp/ps" &&
	grep -q '"family": *"bridge"' "$tmp/psj" && [ "$(grep -c '^/' "$tmp/psall")" = 5 ] &&
	grep -q '^/interface bridge filter' "$tmp/psall"; then
	pass "bridgefilter: print stats bridge-filter counts per rule"
else
	fail "bridgefilter: print stats bridge-filter counts per rule"
	cat "$tmp/ps" "$tmp/psj" >&2
fi
# rosfwd's /metrics has the bridge menus' rules, as print stats gives them.
"$rosfw" print stats bridge-filter --prometheus "${map[@]}" "$tmp/proto.rsc" > "$tmp/promb" 2>&1
mkdir -m 700 "$tmp/m"
"$(dirname "$rosfw")/rosfwd" --metrics-port 9464 --state "$tmp/m/state" "${map[@]}" "$tmp/proto.rsc" 2> "$tmp/logm" &
mpid=$!
getm() {
	exec 3<>/dev/tcp/127.0.0.1/9464 || return 1
	printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3
	cat <&3 > "$tmp/http"
	exec 3<&-
}
until_in 100 getm 2>/dev/null
kill "$mpid" 2>/dev/null
wait "$mpid" 2>/dev/null
missing=$(grep -v '^#' "$tmp/promb" | grep -vxFf <(tr -d '\r' < "$tmp/http") | head -3)
if grep -q 'family="bridge"' "$tmp/promb" && [ -z "$missing" ]; then
	pass "bridgefilter: /metrics holds the bridge filter's samples"
else
	fail "bridgefilter: /metrics holds the bridge filter's samples (missing: $missing): $(head -c 300 "$tmp/http"; cat "$tmp/logm")"
fi

# reset-counters: the IP menus' leaves the bridge table's, bridge-filter's
# zeroes them.
"$rosfw" reset-counters filter 2>/dev/null
kept=$(counted)
"$rosfw" reset-counters bridge-filter 2>/dev/null
if [ "$kept" -gt 0 ] && [ "$(counted)" = 0 ]; then
	pass "bridgefilter: reset-counters bridge-filter zeroes the bridge rules' counters, filter does not"
else
	fail "bridgefilter: reset-counters bridge-filter zeroes the bridge rules' counters, filter does not ($kept, $(counted))"
fi

# /interface bridge nat: h2 has h3's address on a MAC nobody has, which
# dst-nat puts right, so h3 takes the frame; src-nat gives h2's IP frames
# another source MAC, which h3 sees at its ingress.
ip -n h2 neigh replace 192.168.88.3 lladdr 02:00:00:00:00:99 dev eth0 nud permanent
ip netns exec h3 nft -f - <<'NFT'
table netdev seen {
	counter from22 { }
	chain in { type filter hook ingress device eth0 priority 0; ether saddr 02:00:00:00:00:22 udp dport 7 counter name from22; }
}
NFT
from22() { ip netns exec h3 nft list counter netdev seen from22 | awk '/packets/ { print $2 }'; }
cat > "$tmp/nat.rsc" <<'RSC'
/interface bridge nat
add chain=dstnat mac-protocol=ip dst-address=192.168.88.3 action=dst-nat to-dst-mac-address=02:00:00:00:00:03
add chain=srcnat mac-protocol=ip src-mac-address=02:00:00:00:00:02 action=src-nat to-src-mac-address=02:00:00:00:00:22
RSC
"$rosfw" apply "${map[@]}" "$tmp/nat.rsc" 2> "$tmp/e4" || { fail "bridgefilter: bridge nat applies"; cat "$tmp/e4" >&2; }
expect "dst-nat to h3's MAC" h2 h3 192.168.88.3 delivered
if [ "$(from22)" -gt 0 ]; then
	pass "bridgefilter: src-nat rewrote h2's source MAC"
else
	fail "bridgefilter: src-nat rewrote h2's source MAC"
fi
printf '/interface bridge filter\nadd chain=forward mac-protocol=ip ip-protocol=udp dst-port=9 in-interface=ether3 action=drop\n' > "$tmp/nonat.rsc"
"$rosfw" apply "${map[@]}" "$tmp/nonat.rsc" 2>/dev/null
# Without it, h3 does not take the frame to the wrong MAC: the marker goes
# to another address of h3's, on the same path after it.
ip -n h3 addr add 192.168.88.33/24 dev eth0
b9=$(got h3 p9)
b7=$(got h3 p7)
ip netns exec h2 bash -c 'echo x > /dev/udp/192.168.88.3/9; echo x > /dev/udp/192.168.88.33/7'
if until_in 50 more h3 p7 "$b7" && [ "$(got h3 p9)" = "$b9" ]; then
	pass "bridgefilter: without bridge nat, the frame to the wrong MAC is not taken"
else
	fail "bridgefilter: without bridge nat, the frame to the wrong MAC is not taken"
fi

# A property rosfw does not translate is a located error, nothing applied.
printf '/interface bridge filter\nadd chain=forward stp-type=tcn action=drop\n' > "$tmp/stp.rsc"
if ! "$rosfw" apply "$tmp/stp.rsc" 2> "$tmp/e3" && grep -q "stp.rsc:2:28: error: stp-type is not supported: STP BPDU fields" "$tmp/e3" &&
	nft list table bridge rosfw | grep -q 'udp dport 9'; then
	pass "bridgefilter: stp-type refused, located, the ruleset unchanged"
else
	fail "bridgefilter: stp-type refused, located, the ruleset unchanged"
	cat "$tmp/e3" >&2
fi
# --confirm's rollback puts table bridge rosfw back as it was.
"$rosfw" apply "${map[@]}" "$tmp/nat.rsc" 2>/dev/null
printf '/ip firewall filter\nadd chain=input action=accept\n' > "$tmp/plain.rsc"
"$rosfw" apply --confirm 300 "$tmp/plain.rsc" 2>/dev/null
gone=$(nft list table bridge rosfw 2>/dev/null | grep -c 'ether daddr set')
"$rosfw" rollback 2>/dev/null
if [ "$gone" = 0 ] && nft list chain bridge rosfw nat_dstnat 2>/dev/null | grep -q 'ether daddr set 02:00:00:00:00:03'; then
	pass "bridgefilter: rollback puts table bridge rosfw back"
else
	fail "bridgefilter: rollback puts table bridge rosfw back"
fi
"$rosfw" flush 2>/dev/null
if ! nft list table bridge rosfw >/dev/null 2>&1; then
	pass "bridgefilter: flush removes table bridge rosfw"
else
	fail "bridgefilter: flush removes table bridge rosfw"
fi
summary "bridgefilter"
