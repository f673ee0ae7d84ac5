#!/bin/bash
# Policy routing (issue 17), on packets, in namespaces of its own: the
# test's namespace is a dual-WAN router (wan1 to isp1, wan2 to isp2, lan1
# and lan2 to a LAN host each, in the two halves of 192.168.50.0/24), the
# others are made with ip netns in a mount namespace of the test's, so they
# go with it. A LAN host sends a UDP datagram with bash's /dev/udp; each
# ISP counts what reaches it.
#   - mark-routing by src-address splits the LAN's traffic: each half
#     leaves through its WAN (counted on the ISP that receives it);
#   - wan2 going down takes its routes (the kernel deletes them) and the
#     distance-2 route of the same table carries that half out of wan1;
#     wan2 losing its carrier does the same with ignore_routes_with_linkdown,
#     which apply warns about;
#   - a second apply changes nothing; one without a table removes its rule
#     and routes; flush removes exactly rosfw's rules and routes, never the
#     main table's or another owner's, even inside rosfw's ranges;
#   - a gateway on no connected network is a warning, the route left out;
#   - a route the kernel refuses undoes what that apply had made;
#   - strict rp_filter on a WAN a table routes out of is warned;
#   - connections marked per WAN, masqueraded, complete through their WAN;
#   - check-gateway=ping: rosfwd takes a silent gateway's route out and back;
#     and puts back the routes the kernel dropped with an interface once it
#     is up again.
# `ip rule` and `ip route` are oracles only.
. "$(dirname "$0")/../lib.sh"
in_own_namespaces routing "-n -m" "$@"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The namespaces' files in a tmpfs of this mount namespace: nothing of
# theirs is left on the host's /run/netns, even when the test is killed.
mkdir -p /run/netns /run/rosfw && mount -t tmpfs rosfw-routing /run/netns && mount -t tmpfs -o mode=0700 rosfw-routing /run/rosfw ||
	exit 1
ip link set lo up
for n in lan1 lan2 isp1 isp2; do
	ip netns add "$n"
	ip -n "$n" link set lo up
done
ip link add lan1 type veth peer name eth0 netns lan1
ip link add lan2 type veth peer name eth0 netns lan2
ip link add wan1 type veth peer name eth0 netns isp1
ip link add wan2 type veth peer name eth0 netns isp2
ip addr add 192.168.50.1/25 dev lan1
ip addr add 192.168.50.129/25 dev lan2
ip addr add 10.1.0.2/24 dev wan1
ip addr add 10.2.0.2/24 dev wan2
for l in lan1 lan2 wan1 wan2; do ip link set "$l" up; done
ip route add default via 10.1.0.1	# the server's own: main table, wan1
sysctl -qw net.ipv4.ip_forward=1
for i in 1 2; do
	ip -n "lan$i" addr add "192.168.50.$((i * 128 - 126))/25" dev eth0
	ip -n "lan$i" link set eth0 up
	ip -n "lan$i" route add default via "192.168.50.$((i * 128 - 127))"
done
for i in 1 2; do
	ip -n "isp$i" addr add "10.$i.0.1/24" dev eth0
	ip -n "isp$i" link set eth0 up
	# "the internet", behind both ISPs
	ip -n "isp$i" addr add 198.51.100.7/32 dev lo
	ip -n "isp$i" route add 192.168.50.0/24 via "10.$i.0.2"
	ip netns exec "isp$i" nft -f - <<'NFT'
table ip count {
	counter got { }
	chain input { type filter hook input priority 0; udp dport 9 counter name got; }
}
NFT
done

cat > "$tmp/dual.rsc" <<'RSC'
/routing table
add name=to_WAN1 fib
add name=to_WAN2 fib
/ip firewall mangle
add chain=prerouting src-address=192.168.50.0/25 action=mark-routing new-routing-mark=to_WAN1 passthrough=no
add chain=prerouting src-address=192.168.50.128/25 action=mark-routing new-routing-mark=to_WAN2 passthrough=no
/ip route
add dst-address=0.0.0.0/0 gateway=10.1.0.1 routing-table=to_WAN1 distance=1
add dst-address=0.0.0.0/0 gateway=10.2.0.1 routing-table=to_WAN1 distance=2
add dst-address=0.0.0.0/0 gateway=10.2.0.1%wan2 routing-table=to_WAN2 distance=1
add dst-address=0.0.0.0/0 gateway=10.1.0.1 routing-table=to_WAN2 distance=2
RSC
# The same in v6 words, without the second table.
cat > "$tmp/one.rsc" <<'RSC'
/ip firewall mangle
add chain=prerouting src-address=192.168.50.0/25 action=mark-routing new-routing-mark=to_WAN1 passthrough=no
/ip route
add gateway=10.1.0.1 routing-mark=to_WAN1 distance=1
add gateway=10.2.0.1 routing-mark=to_WAN1 distance=2
RSC

ours_rules() { ip -4 rule show | grep -c 'proto 114'; }
ours_routes() { ip -4 route show table all proto 114 | grep -c .; }
got() { ip netns exec "$1" nft list counter ip count got | awk '/packets/ { print $2 }'; }
# send LAN: one datagram from host lanN to "the internet"; waits until one
# of the ISPs has it (the first may wait for ARP), at most 5 s; which one
# is what the test looks at.
send() {
	local before=$(($(got isp1) + $(got isp2))) i
	ip netns exec "$1" bash -c 'echo x > /dev/udp/198.51.100.7/9' || return 1
	for i in $(seq 50); do
		[ $(($(got isp1) + $(got isp2))) -gt $before ] && return 0
		sleep 0.1
	done
	return 1
}

# Someone else's, in rosfw's ranges: must outlive every apply and the flush.
ip rule add priority 20100 from 10.9.9.9 lookup 100
ip route add 10.8.0.0/16 via 10.1.0.1 table 70000

# 1. apply: a rule per table, four routes, nothing else.
"$rosfw" apply "$tmp/dual.rsc" 2> "$tmp/e1"; rc=$?
if [ $rc = 0 ] && [ "$(ours_rules)" = 2 ] && [ "$(ours_routes)" = 4 ] &&
	ip -4 rule show | grep -q '^20500:.*fwmark 0x[0-9a-f]*0000/0xffff0000 lookup' &&
	ip -4 route show table all proto 114 | grep -q 'default via 10.2.0.1 dev wan2 table [0-9]* metric 1'; then
	pass "routing: apply makes one ip rule per table and the four routes"
else
	fail "routing: apply makes one ip rule per table and the four routes (rc=$rc)"
	cat "$tmp/e1" >&2; ip rule show >&2; ip route show table all proto 114 >&2
fi

# 2. The split: each half of the LAN out of its own WAN.
a1=$(got isp1); a2=$(got isp2)
send lan1; ok1=$?
b1=$(got isp1); b2=$(got isp2)
send lan2; ok2=$?
c1=$(got isp1); c2=$(got isp2)
if [ $ok1 = 0 ] && [ $ok2 = 0 ] && [ $((b1 - a1)) = 1 ] && [ $((b2 - a2)) = 0 ] && [ $((c1 - b1)) = 0 ] &&
	[ $((c2 - b2)) = 1 ]; then
	pass "routing: 192.168.50.2 leaves through wan1, 192.168.50.130 through wan2"
else
	fail "routing: the split by routing mark (isp1 $a1 $b1 $c1, isp2 $a2 $b2 $c2, sent $ok1 $ok2)"
fi

# 3. wan2 down: Linux deletes its routes; to_WAN2's distance-2 route
#    (wan1) carries that half.
ip link set wan2 down
send lan2; ok=$?
d1=$(got isp1); d2=$(got isp2)
if [ $ok = 0 ] && [ $((d1 - c1)) = 1 ] && [ $((d2 - c2)) = 0 ] && [ "$(ours_routes)" = 2 ]; then
	pass "routing: wan2 down, its half fails over to wan1 by distance"
else
	fail "routing: wan2 down, its half fails over to wan1 by distance (isp1 $c1 $d1, isp2 $c2 $d2, routes $(ours_routes))"
fi

# 3b. Carrier lost (the ISP's end down, wan2 stays up): Linux keeps the
#     route (linkdown) unless ignore_routes_with_linkdown, which apply
#     warned about; with it, the fall-back takes over.
if grep -q 'warning: a route through wan2 has a fall-back of higher distance, but when wan2 loses its carrier' "$tmp/e1" &&
	grep -q 'warning: a route through wan1 has a fall-back' "$tmp/e1"; then
	pass "routing: apply warns that fail-over on carrier loss needs ignore_routes_with_linkdown"
else
	fail "routing: apply warns that fail-over on carrier loss needs ignore_routes_with_linkdown"
	cat "$tmp/e1" >&2
fi
ip link set wan2 up
"$rosfw" apply "$tmp/dual.rsc" 2> /dev/null
sysctl -qw net.ipv4.conf.wan2.ignore_routes_with_linkdown=1
ip -n isp2 link set eth0 down
c1=$(got isp1); c2=$(got isp2)
send lan2; ok=$?
d1=$(got isp1); d2=$(got isp2)
ip -n isp2 link set eth0 up
sysctl -qw net.ipv4.conf.wan2.ignore_routes_with_linkdown=0
if [ $ok = 0 ] && [ $((d1 - c1)) = 1 ] && [ $((d2 - c2)) = 0 ] && [ "$(ours_routes)" = 4 ]; then
	pass "routing: wan2's carrier lost, with ignore_routes_with_linkdown its half fails over to wan1"
else
	fail "routing: carrier loss fail-over (isp1 $c1 $d1, isp2 $c2 $d2, routes $(ours_routes))"
fi

# 4. Apply again: the routes the link took come back, the rest stays.
"$rosfw" apply "$tmp/dual.rsc" 2> "$tmp/e4"; rc=$?
"$rosfw" apply "$tmp/dual.rsc" 2> "$tmp/e4b"; rc2=$?
if [ $rc = 0 ] && [ $rc2 = 0 ] && [ "$(ours_rules)" = 2 ] && [ "$(ours_routes)" = 4 ]; then
	pass "routing: apply again puts the lost routes back, and makes no duplicates"
else
	fail "routing: apply again (rc=$rc $rc2, rules $(ours_rules), routes $(ours_routes))"
	cat "$tmp/e4" "$tmp/e4b" >&2
fi

# 4b. --diff: nothing for the configuration applied; for one without
#     to_WAN2, its rule and routes removed; nothing sent either time.
"$rosfw" apply --diff "$tmp/dual.rsc" > "$tmp/d1" 2>&1; rc1=$?
"$rosfw" apply --diff "$tmp/one.rsc" > "$tmp/d2" 2>&1; rc2=$?
if [ $rc1 = 0 ] && grep -q '^no changes$' "$tmp/d1" && [ $rc2 = 4 ] &&
	grep -q '^- ip rule ip priority 20501 fwmark 0x[0-9a-f]*/0xffff0000 lookup [0-9]* protocol 114$' "$tmp/d2" &&
	grep -q '^- route ip default via 10.2.0.1 dev wan2 table [0-9]* metric 1 proto 114$' "$tmp/d2" &&
	[ "$(grep -c '^[-+~] route\|^[-+~] ip rule' "$tmp/d2")" = 3 ] && [ "$(ours_rules)" = 2 ] && [ "$(ours_routes)" = 4 ]; then
	pass "routing: apply --diff shows the rules and routes apply would add and remove, and sends nothing"
else
	fail "routing: apply --diff shows the routing changes (rc=$rc1 $rc2)"
	cat "$tmp/d1" "$tmp/d2" >&2
fi

# 5. A configuration without to_WAN2: its rule and routes go, to_WAN1's stay.
"$rosfw" apply "$tmp/one.rsc" 2> "$tmp/e5"; rc=$?
if [ $rc = 0 ] && [ "$(ours_rules)" = 1 ] && [ "$(ours_routes)" = 2 ] &&
	! ip -4 route show table all proto 114 | grep -q 'dev wan2 .*metric 1'; then
	pass "routing: a table gone from the configuration is removed, the others kept"
else
	fail "routing: a table gone from the configuration is removed (rc=$rc, rules $(ours_rules), routes $(ours_routes))"
	cat "$tmp/e5" >&2
fi

# 6. A gateway on no connected network: warned at its line, left out.
cat > "$tmp/far.rsc" <<'RSC'
/ip route
add gateway=10.77.0.1 routing-mark=to_far
RSC
"$rosfw" apply "$tmp/far.rsc" 2> "$tmp/e6"; rc=$?
"$rosfw" apply --diff "$tmp/far.rsc" > "$tmp/d6" 2> "$tmp/e6d"; rc6=$?
if [ $rc = 0 ] && grep -q 'far.rsc:2:1: warning: this route of table to_far is left out: its gateway is not on a connected network here' "$tmp/e6" &&
	[ "$(ours_routes)" = 0 ] && [ $rc6 = 0 ] && grep -q '^no changes$' "$tmp/d6" &&
	grep -q 'far.rsc:2:1: warning: this route of table to_far: its gateway is not on a connected network here, so apply would leave it out' "$tmp/e6d"; then
	pass "routing: an unreachable gateway is a warning at its line, the route left out (and --diff says so, no change)"
else
	fail "routing: an unreachable gateway is a warning at its line (rc=$rc, routes $(ours_routes))"
	cat "$tmp/e6" >&2
fi

# 6b. The kernel refuses a route in the middle (an IPv6 link-local gateway
#     without its interface): exit 2 at its line, with the kernel's words,
#     and what this apply had made already is undone: the previous
#     configuration's rule and routes are what is left.
"$rosfw" apply "$tmp/one.rsc" 2> /dev/null
before=$(ip -4 rule show; ip -4 route show table all proto 114)
cat > "$tmp/bad.rsc" <<'RSC'
/ip route
add gateway=10.2.0.1 routing-mark=other
/ipv6 route
add gateway=fe80::1 routing-table=other
RSC
"$rosfw" apply "$tmp/bad.rsc" 2> "$tmp/e6b"; rc=$?
after=$(ip -4 rule show; ip -4 route show table all proto 114)
if [ $rc = 2 ] && grep -q "bad.rsc:4:1: error: policy routing: the kernel refused a route: .*; rosfw's previous rules and routes are kept" "$tmp/e6b" &&
	[ "$before" = "$after" ] && [ "$(ours_routes)" = 2 ]; then
	pass "routing: a route the kernel refuses: exit 2 at its line, the previous routing kept (what was made undone)"
else
	fail "routing: a route the kernel refuses (rc=$rc)"
	cat "$tmp/e6b" >&2; echo "$after" >&2
fi

# 7. flush: rosfw's rules and routes go, the main table and the others' stay.
"$rosfw" apply "$tmp/dual.rsc" 2> /dev/null
"$rosfw" flush 2> "$tmp/e7"; rc=$?
if [ $rc = 0 ] && [ "$(ours_rules)" = 0 ] && [ "$(ours_routes)" = 0 ] &&
	ip -4 rule show | grep -q '^20100:.*from 10.9.9.9 lookup 100' &&
	ip -4 route show table 70000 | grep -q '10.8.0.0/16 via 10.1.0.1' &&
	ip -4 route show | grep -q 'default via 10.1.0.1 dev wan1'; then
	pass "routing: flush removes exactly rosfw's rules and routes"
else
	fail "routing: flush removes exactly rosfw's rules and routes (rc=$rc)"
	cat "$tmp/e7" >&2; ip rule show >&2; ip route show table all >&2
fi

# 8. Strict reverse-path filtering on a WAN a routing mark sends out of:
#    warned, by name (the answers would be dropped).
sysctl -qw net.ipv4.conf.wan2.rp_filter=1
"$rosfw" apply "$tmp/dual.rsc" 2> "$tmp/e8"; rc=$?
sysctl -qw net.ipv4.conf.wan2.rp_filter=0
if [ $rc = 0 ] && grep -q 'warning: net.ipv4.conf.wan2.rp_filter is strict' "$tmp/e8" &&
	! grep -q 'conf.wan1.rp_filter' "$tmp/e8"; then
	pass "routing: strict rp_filter on a WAN of a routing table is warned"
else
	fail "routing: strict rp_filter on a WAN of a routing table is warned (rc=$rc)"
	cat "$tmp/e8" >&2
fi
"$rosfw" flush 2> /dev/null

# 9. IPv6: /ipv6 route into the table, an ip -6 rule for it; flush takes both.
ip addr add fd00:2::2/64 dev wan2 nodad
cat > "$tmp/v6.rsc" <<'RSC'
/routing table
add name=to_WAN2 fib
/ipv6 firewall mangle
add chain=prerouting src-address=fd00:50::/64 action=mark-routing new-routing-mark=to_WAN2
/ipv6 route
add dst-address=::/0 gateway=fd00:2::1 routing-table=to_WAN2
RSC
"$rosfw" apply "$tmp/v6.rsc" 2> "$tmp/e9"; rc=$?
if [ $rc = 0 ] && ip -6 rule show | grep -q '^20500:.*fwmark 0x[0-9a-f]*/0xffff0000 lookup [0-9]* proto 114' &&
	ip -6 route show table all proto 114 | grep -q 'default via fd00:2::1 dev wan2' &&
	"$rosfw" flush 2> /dev/null && [ "$(ip -6 rule show | grep -c 'proto 114')" = 0 ] &&
	[ "$(ip -6 route show table all proto 114 | grep -c .)" = 0 ]; then
	pass "routing: IPv6 routes and their ip -6 rule, flushed"
else
	fail "routing: IPv6 routes and their ip -6 rule (rc=$rc)"
	cat "$tmp/e9" >&2; ip -6 rule show >&2; ip -6 route show table all proto 114 >&2
fi

# 10. Connections, the recipe's way: a connection mark per WAN (set where
#     the connection starts), the routing mark from it, masquerade out of
#     each WAN; the ISPs have no route back to the LAN, so a connection
#     completes only through the WAN whose address it took. probe (the
#     behaviour suite's) listens in one ISP and connects from a LAN host.
cat > "$tmp/conn.rsc" <<'RSC'
/routing table
add name=to_WAN1 fib
add name=to_WAN2 fib
/ip firewall mangle
add chain=prerouting in-interface=wan1 connection-mark=no-mark action=mark-connection new-connection-mark=WAN1_conn
add chain=prerouting in-interface=wan2 connection-mark=no-mark action=mark-connection new-connection-mark=WAN2_conn
add chain=prerouting in-interface=lan1 connection-mark=no-mark action=mark-connection new-connection-mark=WAN1_conn
add chain=prerouting in-interface=lan2 connection-mark=no-mark action=mark-connection new-connection-mark=WAN2_conn
add chain=prerouting in-interface=lan1 connection-mark=WAN1_conn action=mark-routing new-routing-mark=to_WAN1
add chain=prerouting in-interface=lan2 connection-mark=WAN2_conn action=mark-routing new-routing-mark=to_WAN2
/ip firewall nat
add chain=srcnat out-interface=wan1 action=masquerade
add chain=srcnat out-interface=wan2 action=masquerade
/ip route
add gateway=10.1.0.1 routing-table=to_WAN1
add gateway=10.2.0.1 routing-table=to_WAN2
RSC
for i in 1 2; do ip -n "isp$i" route del 192.168.50.0/24 2> /dev/null; done
if cc -std=c11 -O2 -o "$tmp/probe" "$ROOT/tests/behaviour/probe.c" 2> "$tmp/cc.err"; then
	"$rosfw" apply "$tmp/conn.rsc" 2> "$tmp/e10"; rc=$?
	o1=$("$tmp/probe" -f /run/netns/lan1 -r /run/netns/isp1 -l 8080 -w 2000 tcp 198.51.100.7 8080 2>&1)
	o2=$("$tmp/probe" -f /run/netns/lan2 -r /run/netns/isp2 -l 8080 -w 2000 tcp 198.51.100.7 8080 2>&1)
	o3=$("$tmp/probe" -f /run/netns/lan2 -r /run/netns/isp1 -l 8080 -w 2000 tcp 198.51.100.7 8080 2>&1)
	if [ $rc = 0 ] && [ "${o1%% *}" = delivered ] && [ "${o2%% *}" = delivered ] && [ "${o3%% *}" != delivered ] &&
		case "$o1 $o2" in *"delivered 10.1.0.2:"*"delivered 10.2.0.2:"*) true ;; *) false ;; esac; then
		pass "routing: each LAN's connections leave masqueraded through their own WAN, and complete"
	else
		fail "routing: connections through their own WAN (rc=$rc: lan1->isp1 '$o1', lan2->isp2 '$o2', lan2->isp1 '$o3')"
		cat "$tmp/e10" >&2
	fi
	"$rosfw" flush 2> /dev/null
else
	fail "routing: probe.c does not compile"
	cat "$tmp/cc.err" >&2
fi

# 11. --confirm: its rollback puts back tables, not routes: said.
"$rosfw" apply --confirm 300 "$tmp/dual.rsc" 2> "$tmp/e11"; rc=$?
"$rosfw" confirm 2> /dev/null
if [ $rc = 0 ] && grep -q 'warning: --confirm: the rollback puts back the firewall only; the 6 changes of policy routing' "$tmp/e11"; then
	pass "routing: apply --confirm says its rollback leaves the routing"
else
	fail "routing: apply --confirm says its rollback leaves the routing (rc=$rc)"
	cat "$tmp/e11" >&2
fi
"$rosfw" flush 2> /dev/null

# 12. check-gateway=ping is rosfwd's: isp2's gateway stops answering
#     pings (its link stays up): after two missed rosfwd takes the route
#     out, to_WAN2's fall-back carries that half; at the first answer the
#     route is back. Waits are bounded polls of the kernel's routes.
sed 's/^add dst-address=0.0.0.0\/0 gateway=10.2.0.1%wan2 routing-table=to_WAN2 distance=1$/& check-gateway=ping/' \
	"$tmp/dual.rsc" > "$tmp/ping.rsc"
primary() { ip -4 route show table all proto 114 | grep -c 'via 10.2.0.1 dev wan2 table [0-9]* metric 1'; }
primary_is() { [ "$(primary)" = "$1" ]; }
said() { grep -q "$1" "$tmp/logd"; }
# Applied while wan2 is down: its routes are left out (warned); rosfwd
# makes them once wan2 is up.
ip link set wan2 down
"$rosfw" apply "$tmp/ping.rsc" 2> "$tmp/e12"
rosfwd=$(dirname "$rosfw")/rosfwd
"$rosfwd" --state "$tmp/state" --interval 1 "$tmp/ping.rsc" 2> "$tmp/logd" &
pid=$!
until_in 50 said 'gateway 10.2.0.1 of table to_WAN2 (distance 1) does not answer'
ip link set wan2 up
until_in 150 primary_is 1; made=$?
if [ $made = 0 ] && [ "$(ours_routes)" = 4 ] &&
	grep -q 'ping.rsc:10:1: warning: this route of table to_WAN2 is left out: its gateway is not on a connected network here' "$tmp/e12"; then
	pass "routing: routes apply left out (wan2 down) are made by rosfwd once wan2 is up"
else
	fail "routing: routes apply left out are made by rosfwd once possible (made=$made routes $(ours_routes))"
	cat "$tmp/e12" "$tmp/logd" >&2
fi
ip netns exec isp2 nft add table ip mute
ip netns exec isp2 nft add chain ip mute input '{ type filter hook input priority -10; }'
ip netns exec isp2 nft add rule ip mute input icmp type echo-request drop
until_in 150 primary_is 0; gone=$?
c1=$(got isp1); c2=$(got isp2)
send lan2; ok=$?
d1=$(got isp1); d2=$(got isp2)
ip netns exec isp2 nft delete table ip mute
until_in 150 primary_is 1; back=$?
# wan2 taken down and up again: the kernel drops its routes and does not
# bring them back; rosfwd, having seen them go with wan2, puts them back.
ip link set wan2 down
until_in 150 said 'interface wan2 went with it'; went=$?
ip link set wan2 up
until_in 150 primary_is 1; relinked=$?
kill "$pid" 2> /dev/null
wait "$pid" 2> /dev/null
if grep -q 'check-gateway=ping is rosfwd' "$tmp/e12" && [ $gone = 0 ] && [ $ok = 0 ] && [ $((d1 - c1)) = 1 ] &&
	[ $((d2 - c2)) = 0 ] && [ $back = 0 ] &&
	grep -q 'rosfwd: check-gateway=ping: gateway 10.2.0.1 of table to_WAN2 (distance 1) does not answer' "$tmp/logd" &&
	grep -q 'gateway 10.2.0.1 of table to_WAN2 (distance 1) answers again' "$tmp/logd"; then
	pass "routing: check-gateway=ping: rosfwd takes out the route of a gateway that stops answering, and puts it back"
else
	fail "routing: check-gateway=ping by rosfwd (gone=$gone back=$back sent=$ok isp1 $c1 $d1 isp2 $c2 $d2)"
	cat "$tmp/e12" "$tmp/logd" >&2
fi
if [ $went = 0 ] && [ $relinked = 0 ] && [ "$(ours_routes)" = 4 ] && said 'interface wan2 is up again: route put back'; then
	pass "routing: rosfwd puts back the routes the kernel dropped with an interface once it is up"
else
	fail "routing: rosfwd puts back routes dropped with an interface (went=$went relinked=$relinked routes $(ours_routes))"
	cat "$tmp/logd" >&2
fi
"$rosfw" flush 2> /dev/null

# 13. compile says what apply does.
if "$rosfw" compile "$tmp/dual.rsc" 2> /dev/null | grep -q '^# ip -4 rule add priority 20500 fwmark 0x[0-9a-f]*/0xffff0000 lookup [0-9]* protocol 114' &&
	"$rosfw" compile "$tmp/dual.rsc" 2> /dev/null | grep -q '^# ip -4 route add default via 10.2.0.1 dev wan2 table [0-9]* metric 1 proto 114'; then
	pass "routing: compile shows the rules and routes apply makes"
else
	fail "routing: compile shows the rules and routes apply makes"
fi
summary "routing"
