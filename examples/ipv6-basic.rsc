# ipv6-basic.rsc
#
# Source:  none of the manuals in /work/shared/reference has an IPv6 firewall
#          ruleset (000 only shows "/ipv6 firewall connection print"). This
#          file is a translation of the IPv4 "Quick Start" of
#          /work/shared/reference/001_8e464e240e13042f.txt ("Minimal stateful
#          firewall protecting the router itself and forwarded traffic") to
#          /ipv6 firewall filter. See quick-start.rsc for the original.
#
# Same rules, order and comments as quick-start.rsc, with these changes that
# IPv6 needs:
#   - protocol=icmp becomes protocol=icmpv6. ICMPv6 carries neighbor
#     discovery and router advertisements, so without it IPv6 does not work
#     at all.
#   - Added: accept ICMPv6 in forward as well (path MTU discovery relies on
#     "packet too big" messages; IPv6 routers do not fragment).
#   - Added: accept DHCPv6 client replies (UDP to port 546) from link-local
#     addresses fe80::/10, which is how a DHCPv6 server on the WAN hands out
#     the prefix delegated to the router.
#
# Prerequisite: ether2 is the LAN-facing interface, as in 001's Quick Start.

/ipv6 firewall filter

# Drop invalid packets early
add chain=input connection-state=invalid action=drop comment="drop invalid input"
add chain=forward connection-state=invalid action=drop comment="drop invalid forward"

# Accept established and related (return traffic)
add chain=input connection-state=established,related action=accept comment="accept established/related input"
add chain=forward connection-state=established,related action=accept comment="accept established/related forward"

# Accept ICMPv6 (ping, traceroute, neighbor discovery, router advertisements)
add chain=input protocol=icmpv6 action=accept comment="accept ICMPv6 input"

# IPv6 only: DHCPv6 prefix delegation replies come from a link-local address
add chain=input protocol=udp dst-port=546 src-address=fe80::/10 action=accept comment="accept DHCPv6 client from link-local"

# IPv6 only: ICMPv6 through the router (packet too big, unreachable, ...)
add chain=forward protocol=icmpv6 action=accept comment="accept ICMPv6 forward"

# Accept new connections from LAN to internet
add chain=forward in-interface=ether2 connection-state=new action=accept comment="accept LAN new forward"

# Drop everything else
add chain=input action=drop comment="drop all other input"
add chain=forward action=drop comment="drop all other forward"
