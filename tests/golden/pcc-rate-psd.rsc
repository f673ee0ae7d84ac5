# Issue 17's packet matchers that keep state, in the forms the corpus and
# the manuals use: the dual-WAN PCC split without protocol= (per
# connection, every protocol), the manual's heavy-connection mark by
# connection-rate, and psd without protocol= and in IPv6.
/interface list
add name=LAN
/interface list member
add interface=bridge list=LAN
/ip firewall mangle
add chain=prerouting in-interface-list=LAN connection-mark=no-mark \
    per-connection-classifier=both-addresses-and-ports:2/0 \
    action=mark-connection new-connection-mark=WAN1_conn
add chain=prerouting in-interface-list=LAN connection-mark=no-mark \
    per-connection-classifier=both-addresses-and-ports:2/1 \
    action=mark-connection new-connection-mark=WAN2_conn
add chain=prerouting connection-mark=WAN1_conn in-interface-list=LAN \
    action=mark-routing new-routing-mark=to_WAN1
add chain=prerouting connection-mark=WAN2_conn in-interface-list=LAN \
    action=mark-routing new-routing-mark=to_WAN2
add chain=forward protocol=tcp connection-bytes=500000-0 \
    connection-rate=200k-100M action=mark-connection \
    new-connection-mark=heavy_traffic_conn passthrough=yes
/ip firewall filter
add chain=input psd=21,3s,3,1 action=add-src-to-address-list \
    address-list=port-scanners address-list-timeout=2w
/ip firewall raw
add chain=prerouting protocol=udp per-connection-classifier=src-port:2/1 \
    action=drop comment="raw: per packet, before conntrack"
/ipv6 firewall filter
add chain=input protocol=tcp psd=40,3s,2,1 action=drop
