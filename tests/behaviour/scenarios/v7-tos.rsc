# What RouterOS 7.24 added (issue 15): tos= matches the whole ToS byte
# (IPv6: the traffic class), a 2.9 name compares the ToS bits only, and
# mangle may drop. Only what the LAN sends is matched (in-interface).
/ip firewall filter
add chain=forward in-interface=ether2 protocol=udp dst-port=5001 tos=16 action=drop
add chain=forward in-interface=ether2 protocol=udp dst-port=5002 tos=!min-delay action=drop
/ipv6 firewall filter
add chain=forward in-interface=ether2 protocol=udp dst-port=5001 tos=184 action=drop
/ip firewall mangle
add chain=prerouting in-interface=ether2 protocol=udp dst-port=5003 action=drop
