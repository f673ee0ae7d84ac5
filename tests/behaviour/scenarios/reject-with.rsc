# Every reject-with, IPv4 and IPv6, on the router's own ports and in forward.
/ip firewall filter
add chain=input protocol=tcp dst-port=1001 action=reject reject-with=tcp-reset
add chain=input protocol=tcp dst-port=1002 action=reject reject-with=icmp-port-unreachable
add chain=input protocol=udp dst-port=1003 action=reject reject-with=icmp-port-unreachable
add chain=input protocol=udp dst-port=1004 action=reject reject-with=icmp-host-prohibited
add chain=input protocol=udp dst-port=1005 action=reject reject-with=icmp-admin-prohibited
add chain=input protocol=udp dst-port=1006 action=reject reject-with=icmp-host-unreachable
add chain=input protocol=udp dst-port=1007 action=reject reject-with=icmp-net-prohibited
add chain=input protocol=udp dst-port=1008 action=reject reject-with=icmp-protocol-unreachable
add chain=input protocol=udp dst-port=1009 action=reject reject-with=icmp-network-unreachable
add chain=input protocol=udp dst-port=1010 action=reject comment="default: icmp-network-unreachable"
add chain=forward dst-address=192.168.89.10 protocol=icmp action=reject \
    reject-with=icmp-admin-prohibited
add chain=forward dst-address=192.168.89.10 protocol=tcp dst-port=25 action=reject \
    reject-with=tcp-reset
/ipv6 firewall filter
add chain=input protocol=tcp dst-port=1001 action=reject reject-with=tcp-reset
add chain=input protocol=udp dst-port=1003 action=reject reject-with=icmp-port-unreachable
add chain=input protocol=udp dst-port=1005 action=reject reject-with=icmp-admin-prohibited
add chain=input protocol=udp dst-port=1006 action=reject reject-with=icmp-address-unreachable
add chain=input protocol=udp dst-port=1007 action=reject reject-with=icmp-not-neighbour
add chain=input protocol=udp dst-port=1010 action=reject comment="default: icmp-no-route"
add chain=forward dst-address=fd00:89::10/128 protocol=icmpv6 action=reject \
    reject-with=icmp-admin-prohibited
