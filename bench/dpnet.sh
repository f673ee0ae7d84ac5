# bench/dpnet.sh, sourced by the data-plane benches: a LAN namespace, a
# router namespace whose links carry the names RouterOS exports use
# (ether2 to the LAN, ether1 to the WAN) and a WAN namespace; flood
# prints the best packets per second of $runs floods of $count datagrams
# (bench/udpflood.c) from the LAN host to the WAN host (0 when the rules
# dropped the flow); clear_router empties the router's ruleset. Needs
# $here, $runs and $count; sets $tmp and $p and removes both on exit.
tmp=$(mktemp -d)
p=rosfwdp$$
cleanup() {
	for n in lan router wan; do ip netns del "$p-$n" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
cc -O2 -pthread -o "$tmp/udpflood" "$here/udpflood.c"

for n in lan router wan; do ip netns add "$p-$n"; done
# The router's links carry the names the export uses for its LAN and WAN.
ip link add eth0 netns "$p-lan" type veth peer name ether2 netns "$p-router"
ip link add eth0 netns "$p-wan" type veth peer name ether1 netns "$p-router"
ip -n "$p-lan" addr add 192.168.88.2/24 dev eth0
ip -n "$p-router" addr add 192.168.88.1/24 dev ether2
ip -n "$p-router" addr add 203.0.113.1/24 dev ether1
ip -n "$p-wan" addr add 203.0.113.2/24 dev eth0
for n in lan router wan; do
	ip -n "$p-$n" link set lo up
	for l in $(ip -n "$p-$n" -o link show | awk -F': ' '{ print $2 }' | cut -d@ -f1 | grep -v '^lo$'); do
		ip -n "$p-$n" link set "$l" up
	done
done
ip -n "$p-lan" route add default via 192.168.88.1
ip -n "$p-wan" route add 192.168.88.0/24 via 203.0.113.1
ip netns exec "$p-router" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'

flood() {
	local best=0 i pps
	for i in $(seq "$runs"); do
		pps=$("$tmp/udpflood" "/run/netns/$p-lan" "/run/netns/$p-wan" 203.0.113.2 9000 "$count" |
			awk '{ print ($4 >= $2 * 0.99) ? int($8) : -1 }')
		[ "$pps" -ge 0 ] || { echo "  (packets lost: the case's rules did not pass the flow)" >&2; echo 0; return; }
		[ "$pps" -gt "$best" ] && best=$pps
	done
	echo "$best"
}

clear_router() {
	ip netns exec "$p-router" nft flush ruleset
	ip netns exec "$p-router" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
}

