# mangle.rsc
#
# Source:  /work/shared/reference/002_afa695b8a62f818d.txt
#          "Firewall Mangle" (actions mark-connection, mark-packet,
#          mark-routing, change-mss, change-ttl, change-dscp; properties
#          new-connection-mark, new-packet-mark, new-routing-mark,
#          new-mss=clamp-to-pmtu, new-ttl=set:N, new-dscp, passthrough).
#
# 002 documents these actions and properties but prints no mangle ruleset
# (only "print stats" output showing prerouting mark-routing rules and
# dynamic forward change-mss rules), so each rule below is one example per
# action built from the documented properties.
#
# Assumed router: bridge = LAN 192.168.88.0/24, ether1 = WAN.
# RouterOS v7: a routing mark is the name of a routing table, which has to
# exist before a mark-routing rule can use it; the /routing table line
# creates it (on RouterOS v6, drop that line - marks need no declaration).
# A route in that table (e.g. /ip route add gateway=ISP2 routing-table=to-isp2)
# is what makes the mark useful; this file has none, so rosfw warns that the
# marked packets go by the main table (README: Policy routing).

/routing table
add fib name=to-isp2

/ip firewall mangle

# mark-connection + mark-packet pair: mark the connection on its first packet,
# then mark every packet of it (passthrough=no ends mangle prerouting for them)
add chain=prerouting in-interface=bridge protocol=udp dst-port=5060 connection-state=new \
    action=mark-connection new-connection-mark=voip passthrough=yes \
    comment="mark new SIP connections from LAN as voip"
add chain=prerouting connection-mark=voip \
    action=mark-packet new-packet-mark=voip-packet passthrough=no \
    comment="mark packets of voip connections"

# mark-routing: policy routing for part of the LAN (not for traffic to the
# router itself: "!" negates a matcher, as the defconf rules in
# home-office-router.rsc do)
add chain=prerouting in-interface=bridge src-address=192.168.88.128/25 dst-address-type=!local \
    action=mark-routing new-routing-mark=to-isp2 passthrough=yes \
    comment="route 192.168.88.128/25 by routing table to-isp2"

# change-mss: clamp MSS on TCP SYNs to the path MTU
add chain=forward protocol=tcp tcp-flags=syn \
    action=change-mss new-mss=clamp-to-pmtu passthrough=yes \
    comment="clamp TCP MSS to path MTU"

# change-dscp: set EF (46) on the voip packets marked above
add chain=postrouting packet-mark=voip-packet \
    action=change-dscp new-dscp=46 passthrough=yes \
    comment="DSCP 46 (EF) on voip packets"

# change-ttl: set the TTL of everything leaving the WAN
add chain=postrouting out-interface=ether1 \
    action=change-ttl new-ttl=set:64 passthrough=yes \
    comment="TTL 64 on packets leaving WAN"
