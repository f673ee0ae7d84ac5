# Sourced by bridgeport.sh and bridgefilter.sh, in the namespaces of their
# own (in_own_namespaces), with $suite their name: the router (this
# namespace) bridges br0 of two veth ports p2 and p3 (RouterOS's ether2,
# ether3 through the interface map) to hosts h2 and h3, whose MACs are
# fixed (02:00:00:00:00:02, :03); srv is behind its routed leg, wan. Each
# host counts UDP datagrams to port 9 (what rules drop) and 7 (a marker sent
# after it on the same path): fate FROM TO ADDR says "delivered" or
# "dropped", expect NAME FROM TO ADDR FATE passes or fails on it.
mkdir -p /run/netns /run/rosfw && mount -t tmpfs rosfw-$suite /run/netns && mount -t tmpfs -o mode=0700 rosfw-$suite /run/rosfw ||
	exit 1
ip link set lo up
for n in h2 h3 srv; do
	ip netns add "$n"
	ip -n "$n" link set lo up
done
ip link add br0 type bridge
ip link add p2 type veth peer name eth0 netns h2
ip link add p3 type veth peer name eth0 netns h3
ip link add wan type veth peer name eth0 netns srv
ip link set p2 master br0
ip link set p3 master br0
ip addr add 192.168.88.1/24 dev br0
ip addr add 10.9.0.2/24 dev wan
for l in br0 p2 p3 wan; do ip link set "$l" up; done
sysctl -qw net.ipv4.ip_forward=1
for i in 2 3; do
	ip -n "h$i" addr add "192.168.88.$i/24" dev eth0
	ip -n "h$i" link set eth0 address "02:00:00:00:00:0$i"
	ip -n "h$i" link set eth0 up
	ip -n "h$i" route add default via 192.168.88.1
done
ip -n srv addr add 10.9.0.1/24 dev eth0
ip -n srv link set eth0 up
ip -n srv route add default via 10.9.0.2

# Counters of UDP port 9 (what rules drop) and 7 (the marker after it).
counters='table ip count {
	counter p9 { }
	counter p7 { }
	chain input { type filter hook input priority 10; udp dport 9 counter name p9; udp dport 7 counter name p7; }
}'
for n in h2 h3 srv; do ip netns exec "$n" nft -f - <<<"$counters"; done
nft -f - <<<"$counters"

at() { if [ "$1" = router ]; then "${@:2}"; else ip netns exec "$1" "${@:2}"; fi; }
got() { at "$1" nft list counter ip count "$2" | awk '/packets/ { print $2 }'; }
more() { [ "$(got "$1" "$2")" -gt "$3" ]; }
# fate FROM TO ADDR: "delivered" or "dropped" for a datagram to port 9,
# told by the marker to port 7 that follows it (at most 5 s for it).
fate() {
	local b9 b7
	b9=$(got "$2" p9)
	b7=$(got "$2" p7)
	at "$1" bash -c "echo x > /dev/udp/$3/9; echo x > /dev/udp/$3/7" || { echo "unsent"; return; }
	if ! until_in 50 more "$2" p7 "$b7"; then
		echo "marker lost"
		return
	fi
	if [ "$(got "$2" p9)" -gt "$b9" ]; then echo delivered; else echo dropped; fi
}
# expect NAME FROM TO ADDR FATE
expect() {
	local f
	f=$(fate "$2" "$3" "$4")
	if [ "$f" = "$5" ]; then pass "$suite: $1: $5"; else fail "$suite: $1: $5, not $f"; fi
}
