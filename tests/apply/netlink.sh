#!/bin/bash
# rosfw's netlink batch against nft's own, for what this kernel cannot load
# (flowtables) and for everything else too: for every example, the hostile
# strings and every corpus file that compiles, `rosfw compile --netlink`
# prints the batch apply sends, rules as `nft --debug=netlink` prints the
# rules it sends, other messages as `nft --debug=mnl` prints them. Both are
# run on the same text (nft -c only checks; the kernel's refusal of a
# flowtable comes after nft has printed what it sends) and must agree:
#   - every rule's expressions, in order (rules by table and chain);
#   - the ct helper objects and the flowtable, byte for byte.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! unshare -n true 2>/dev/null; then
	echo "netlink: needs root, nft and unshare: skipped" >&2
	summary "netlink"
	exit 0
fi

# The rule blocks of a --debug=netlink print: "ip rosfw CHAIN" and the
# indented expression lines under it.
rules() {
	awk '/^(ip|ip6|bridge) rosfw /{ p = 1; print; next } /^[^ ]/{ p = 0 } p'
}

# Objects (NEWOBJ 2578) and flowtables (NEWFLOWTABLE 2582) of an mnl print,
# one message per paragraph, without sequence numbers, port ids and the
# flags column (rosfw asks for an ACK on every message, nft does not).
objects() {
	sed 's/\x1b\[[0-9;]*m//g' | awk '
		/^----------------/ || /sequence number/ || /port ID/ { next }
		/message length/ { if (m != "") print m "\n"; m = ""; next }
		{ m = m "\n" $0 }
		END { if (m != "") print m "\n" }' |
		awk 'BEGIN { RS = "" } { gsub(/\| R... \|/, "| R??? |") } /\| 025(78|82) \|/ { print $0 "\n" }'
}

# same NAME DIR FILE [OPTIONS...]
same() {
	local name=$1 dir=$2 file=$3
	shift 3
	if ! (cd "$dir" && "$rosfw" compile "$@" "$file") > "$tmp/text.nft" 2>/dev/null ||
		! (cd "$dir" && "$rosfw" compile --netlink "$@" "$file") > "$tmp/rosfw.out" 2>/dev/null; then
		fail "netlink: $name does not compile"
		return
	fi
	unshare -n nft --debug=netlink -c -f "$tmp/text.nft" 2>/dev/null | rules > "$tmp/nft.rules"
	unshare -n nft --debug=mnl -c -f "$tmp/text.nft" 2>/dev/null | objects > "$tmp/nft.objs"
	rules < "$tmp/rosfw.out" > "$tmp/rosfw.rules"
	objects < "$tmp/rosfw.out" > "$tmp/rosfw.objs"
	if cmp -s "$tmp/nft.rules" "$tmp/rosfw.rules"; then
		pass "netlink: $name rules = nft's ($(grep -c '^ip' "$tmp/nft.rules"))"
	else
		fail "netlink: $name rules = nft's"
		diff "$tmp/nft.rules" "$tmp/rosfw.rules" | head -10 >&2
	fi
	if cmp -s "$tmp/nft.objs" "$tmp/rosfw.objs"; then
		pass "netlink: $name helpers and flowtable = nft's bytes ($(grep -c '| 025' "$tmp/nft.objs"))"
	else
		fail "netlink: $name helpers and flowtable = nft's bytes"
		diff "$tmp/nft.objs" "$tmp/rosfw.objs" | head -10 >&2
	fi
}

# A flowtable with every option, an IPv6 one, and a service-port setup.
cat > "$tmp/ft.rsc" <<'RSC'
/interface list add name=LAN
/interface list member add list=LAN interface=bridge-lan
/ip firewall service-port set ftp ports=21,2121
/ip firewall service-port set irc disabled=yes
/ip firewall filter
add chain=forward connection-state=established,related action=fasttrack-connection hw-offload=yes
add chain=forward connection-state=established,related action=accept
add chain=forward in-interface=ether1-wan out-interface-list=LAN connection-type=ftp action=accept
/ipv6 firewall filter
add chain=forward connection-state=established action=fasttrack-connection in-interface=ether2
RSC
same "flowtable" "$tmp" ft.rsc
same "flowtable with --flowtable-devices" "$tmp" ft.rsc --flowtable-devices=eth0,eth1,eth10,wan
grep -q '^	flowtable fasttrack {' "$tmp/text.nft" && grep -q 'flow add @fasttrack' "$tmp/text.nft" &&
	pass "netlink: the flowtable case has a flowtable and flow add" || fail "netlink: the flowtable case has a flowtable and flow add"

# tls-host, layer7-protocol and content: label matches, plain and
# negated, and the chains that queue to the helper (this kernel has no
# nft_queue; nft prints the queue rule before the kernel refuses it).
cat > "$tmp/inspect.rsc" <<'RSC'
/ip firewall layer7-protocol add name=ECH regexp="A\\x01\$"
/ip firewall filter
add chain=forward tls-host=*.blocked.example action=drop
add chain=forward protocol=tcp dst-port=443 tls-host=!*.allowed.example action=reject
add chain=forward layer7-protocol=ECH action=drop
add chain=input content=BitTorrent action=drop
/ipv6 firewall filter
add chain=forward tls-host=*.blocked.example action=drop
RSC
same "inspection" "$tmp" inspect.rsc
grep -q 'queue num 19 bypass' "$tmp/text.nft" && grep -q 'ct label ! 1 ' "$tmp/text.nft" &&
	pass "netlink: the inspection case has the queue and a negated label" ||
	fail "netlink: the inspection case has the queue and a negated label"

# Runs merged into counter maps (merge.h): exact values, a prefix, a range,
# a list, IPv6; the maps' NEWSET and NEWSETELEM messages byte for byte.
cat > "$tmp/merge.rsc" <<'RSC'
/ip firewall filter
add chain=forward src-address=10.0.0.1 action=drop
add chain=forward src-address=10.0.0.2 action=drop
add chain=forward src-address=10.0.1.0/24 action=drop
add chain=forward src-address=10.0.2.5-10.0.2.9 action=drop
add chain=input protocol=tcp dst-port=22 action=accept
add chain=input protocol=tcp dst-port=80,443 action=accept
add chain=input protocol=tcp dst-port=8000-8080 action=accept
add chain=input protocol=tcp dst-port=25 action=accept
add chain=input protocol=udp dst-port=53 in-interface=ether1 action=accept log=yes log-prefix="x"
add chain=input protocol=udp dst-port=54 in-interface=ether1 action=accept log=yes log-prefix="x"
add chain=input protocol=udp dst-port=55 in-interface=ether1 action=accept log=yes log-prefix="x"
add chain=input protocol=udp dst-port=56 in-interface=ether1 action=accept log=yes log-prefix="x"
/ipv6 firewall filter
add chain=forward dst-address=2001:db8::1 action=drop
add chain=forward dst-address=2001:db8::2 action=drop
add chain=forward dst-address=2001:db8:1::/48 action=drop
add chain=forward dst-address=2001:db8:2::/48 action=drop
RSC
same "merged runs" "$tmp" merge.rsc
setmsgs() {
	sed 's/\x1b\[[0-9;]*m//g' | awk '
		/^----------------/ || /sequence number/ || /port ID/ { next }
		/message length/ { if (m != "") print m "\n"; m = ""; next }
		{ m = m "\n" $0 }
		END { if (m != "") print m "\n" }' |
		awk 'BEGIN { RS = "" } { gsub(/\| R... \|/, "| R??? |") } /\| 025(69|72) \|/ && /c m _/ { print $0 "\n" }' |
		# the set's batch id (NEWSET 10, NEWSETELEM 4, the first): nft counts the
		# anonymous sets of both tables otherwise
		awk '/\| 02569 \|/ { id = "00010" } /\| 02572 \|/ { id = "00004" }
			skip { skip = 0; print "| (set id) |"; next }
			index($0, "|00008|--|" id "|") == 1 { skip = 1; id = "-" } { print }'
}
unshare -n nft --debug=mnl -c -f "$tmp/text.nft" 2>/dev/null | setmsgs > "$tmp/nft.maps"
setmsgs < "$tmp/rosfw.out" > "$tmp/rosfw.maps"
if [ "$(grep -c 'counter name .* map @cm_' "$tmp/text.nft")" = 4 ] && [ -s "$tmp/nft.maps" ] &&
	cmp -s "$tmp/nft.maps" "$tmp/rosfw.maps"; then
	pass "netlink: merged runs: 4 counter maps, their sets and elements = nft's bytes"
else
	fail "netlink: merged runs: 4 counter maps, their sets and elements = nft's bytes"
	diff "$tmp/nft.maps" "$tmp/rosfw.maps" | head -10 >&2
fi
# Bridge ports: table bridge rosfw's port numbers, the IP rules' masked
# marks (one port, a list of them, negated) and a packet mark beside them.
cat > "$tmp/brport.rsc" <<'RSC'
/interface list add name=PORTS
/interface list member add list=PORTS interface=ether2
/interface list member add list=PORTS interface=ether3
/ip firewall filter
add chain=input in-bridge-port=ether2 action=drop
add chain=forward in-bridge-port=!ether3 protocol=icmp action=drop
add chain=forward in-bridge-port-list=PORTS action=accept
add chain=forward in-bridge-port-list=!PORTS action=drop
/ip firewall mangle
add chain=prerouting in-bridge-port=ether3 action=mark-packet new-packet-mark=p3
add chain=forward packet-mark=p3 action=accept
/ipv6 firewall filter
add chain=input in-bridge-port=ether3 action=drop
RSC
same "bridge ports" "$tmp" brport.rsc --interface ether2=veth2 --interface 'ether3=ppp*'
grep -q '^table bridge rosfw {' "$tmp/text.nft" && grep -q '^bridge rosfw prerouting' "$tmp/rosfw.rules" &&
	pass "netlink: the bridge ports case has table bridge rosfw" ||
	fail "netlink: the bridge ports case has table bridge rosfw"

# /interface bridge filter: EtherType, MACs with a mask, IP fields after
# mac-protocol=ip, VLAN fields, bridge names (this kernel has no
# nft_meta_bridge; nft prints what it sends before the kernel refuses).
cat > "$tmp/brfilter.rsc" <<'RSC'
/interface list add name=LANP
/interface list member add list=LANP interface=ether2
/interface bridge filter
add chain=forward src-mac-address=02:00:00:00:00:02 action=drop
add chain=forward mac-protocol=ip ip-protocol=udp dst-port=9 action=drop
add chain=forward mac-protocol=ip src-address=192.168.88.3 dst-address=192.168.88.0/24 ip-protocol=icmp action=drop
add chain=forward dst-mac-address=01:00:5E:00:00:00/FF:FF:FF:80:00:00 src-mac-address=!02:00:00:00:00:09 action=accept
add chain=input in-interface=ether2 in-bridge=bridge1 action=jump jump-target=mine
add chain=mine mac-protocol=vlan vlan-id=10 vlan-priority=3 action=return
add chain=mine mac-protocol=!arp in-interface-list=LANP action=mark-packet new-packet-mark=fromlan passthrough=no
add chain=output out-bridge=bridge1 out-interface=ether3 packet-mark=fromlan action=passthrough
add chain=forward mac-protocol=0x88cc action=drop
add chain=forward mac-protocol=ip ip-protocol=tcp src-port=1000-2000 dst-port=!22 action=drop
add chain=forward in-bridge-list=LANP out-bridge-list=!LANP action=drop
add chain=forward packet-type=broadcast mac-protocol=arp action=accept
add chain=input packet-type=!other-host action=accept
add chain=mine mac-protocol=vlan vlan-encap=ipv6 vlan-priority=!0 action=drop
add chain=forward mac-protocol=ipv6 src-address6=fe80::/10 dst-address6=!2001:db8::1 ip-protocol=udp dst-port=547 action=accept
RSC
same "bridge filter" "$tmp" brfilter.rsc --interface ether2=veth2 --interface ether3=veth3 --interface bridge1=br0
cat > "$tmp/brnat.rsc" <<'RSC'
/interface bridge nat
add chain=dstnat mac-protocol=ip dst-address=192.168.88.3 action=dst-nat to-dst-mac-address=02:00:00:00:00:03
add chain=srcnat src-mac-address=02:00:00:00:00:02 action=src-nat to-src-mac-address=02:00:00:00:00:22
add chain=srcnat action=jump jump-target=x
add chain=x mac-protocol=arp action=mark-packet new-packet-mark=q passthrough=no
RSC
same "bridge nat" "$tmp" brnat.rsc

each_config "$rosfw" same
summary "netlink"
