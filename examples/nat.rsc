# nat.rsc
#
# Source:  /work/shared/reference/002_afa695b8a62f818d.txt
#          "Firewall NAT" (srcnat/dstnat chains, "Masquerade", and the NAT
#          "Properties" table: actions accept, masquerade, src-nat, dst-nat,
#          redirect, netmap, same; to-addresses, to-ports, same-not-by-dst,
#          dst-address-type).
#
# 002 describes the NAT actions and properties but prints no NAT ruleset, so
# each rule below is one small example per documented action, using only the
# properties 002 lists for /ip firewall nat. Following 002's "Masquerade"
# text, masquerade is used for the WAN whose address is dynamic (ether1) and
# src-nat for the WAN with a static address (ether2). (002 also suggests a
# blackhole route so masqueraded connections do not leak when the link drops;
# that is routing, not firewall, and is not part of this file.)
#
# Assumed router (interface names as in a RouterOS default configuration):
#   bridge  LAN, 192.168.88.1/24 (web server 192.168.88.10)
#   ether1  WAN with a dynamic address (DHCP client)
#   ether2  WAN with the static address 198.51.100.2/24; 203.0.113.0/24 is
#           routed to the router over this link and mapped 1:1 to
#           10.0.10.0/24 behind it
#   10.10.20.0/24 is an internal network reached without NAT
# Public addresses are from the documentation ranges (RFC 5737).

/ip firewall nat

# --- srcnat ---
# accept: the packet is not passed to the next NAT rule, i.e. no NAT at all
add chain=srcnat src-address=192.168.88.0/24 dst-address=10.10.20.0/24 \
    action=accept comment="no NAT from LAN to internal 10.10.20.0/24"

# Hairpin NAT: LAN hosts that reach the server through the public address
# (dst-nat below) must also be source-NATed, or the server answers them
# directly and the connection breaks.
add chain=srcnat src-address=192.168.88.0/24 dst-address=192.168.88.10 \
    protocol=tcp dst-port=443 out-interface=bridge action=masquerade \
    comment="hairpin NAT for LAN clients of the HTTPS server"

# masquerade: source address picked by routing; for a dynamic public address
add chain=srcnat out-interface=ether1 action=masquerade \
    comment="masquerade everything leaving the dynamic WAN (ether1)"

# src-nat: fixed source address; for a static public address
add chain=srcnat src-address=192.168.88.0/24 out-interface=ether2 \
    action=src-nat to-addresses=198.51.100.2 \
    comment="src-nat LAN to the static WAN address 198.51.100.2"

# same: a client always gets the same address from the range
add chain=srcnat src-address=192.168.89.0/24 out-interface=ether2 \
    action=same to-addresses=198.51.100.3-198.51.100.6 same-not-by-dst=yes \
    comment="guest net: same public address per client from .3-.6"

# netmap, outbound half: 10.0.10.x leaves as 203.0.113.x
add chain=srcnat src-address=10.0.10.0/24 out-interface=ether2 \
    action=netmap to-addresses=203.0.113.0/24 \
    comment="netmap 10.0.10.0/24 -> 203.0.113.0/24 outbound"

# --- dstnat ---
# dst-nat port forward on the dynamic WAN: match any of the router's own
# addresses (dst-address-type=local) since the public address changes
add chain=dstnat in-interface=ether1 dst-address-type=local protocol=tcp dst-port=8080 \
    action=dst-nat to-addresses=192.168.88.10 to-ports=80 \
    comment="port forward WAN tcp/8080 to 192.168.88.10:80"

# dst-nat on the static address; matched by dst-address so that LAN clients
# using the public address hit it too (see hairpin rule above)
add chain=dstnat dst-address=198.51.100.2 protocol=tcp dst-port=443 \
    action=dst-nat to-addresses=192.168.88.10 to-ports=443 \
    comment="port forward 198.51.100.2:443 to 192.168.88.10:443"

# netmap, inbound half: 203.0.113.x is delivered to 10.0.10.x
add chain=dstnat in-interface=ether2 dst-address=203.0.113.0/24 \
    action=netmap to-addresses=10.0.10.0/24 \
    comment="netmap 203.0.113.0/24 -> 10.0.10.0/24 inbound"

# redirect: to the router itself, here its DNS resolver
add chain=dstnat in-interface=bridge protocol=udp dst-port=53 \
    action=redirect to-ports=53 \
    comment="redirect LAN DNS queries to the router"
