# nat-random-ports.rsc
#
# Source:  /work/shared/reference/routeros-v7-properties.tsv, /ip/firewall/nat
#          "randomise-ports" ("Randomise full cone nat port", no|yes; added
#          after 7.9, IPv4 NAT only); the actions as in nat.rsc (002,
#          "Firewall NAT").
#
# No manual prints a rule with randomise-ports; these are small examples of
# the two source NAT actions that take it. With randomise-ports=yes the
# source port of each new connection is chosen at random instead of kept
# where it is free (nft's "random" NAT flag).
#
# Assumed router: LAN 192.168.88.0/24 behind a bridge, ether1 a WAN with a
# dynamic address, ether2 a WAN with the static addresses 198.51.100.2-6
# (documentation ranges, RFC 5737).

/ip firewall nat
add chain=srcnat out-interface=ether1 action=masquerade randomise-ports=yes \
    comment="masquerade on the dynamic WAN, source ports at random"
add chain=srcnat src-address=192.168.88.0/24 out-interface=ether2 protocol=udp \
    action=src-nat to-addresses=198.51.100.3-198.51.100.6 to-ports=1024-65535 \
    randomise-ports=yes comment="LAN UDP from .3-.6, ports at random"
add chain=srcnat src-address=192.168.88.0/24 out-interface=ether2 \
    action=src-nat to-addresses=198.51.100.2 randomise-ports=no \
    comment="the rest of the LAN from .2, ports kept where free"
