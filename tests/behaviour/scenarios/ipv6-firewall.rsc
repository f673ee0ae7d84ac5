# IPv6: management from an address list, a list filled by a rule, forward
# with reject, and NAT66
# (a port forward to the DMZ server, masquerade of the DMZ).
/ipv6 firewall address-list
add list=management address=fd00:88::10 comment="admin laptop"
add list=management address=2001:db8:2::/48 comment="remote office"
/ipv6 firewall filter
add chain=input connection-state=established,related,untracked action=accept
add chain=input connection-state=invalid action=drop
add chain=input protocol=icmpv6 action=accept
add chain=input protocol=tcp dst-port=22 src-address-list=management action=accept
add chain=input protocol=tcp dst-port=23 action=add-src-to-address-list \
    address-list=telnet-probers address-list-timeout=1h
add chain=input action=drop
add chain=forward connection-state=established,related action=accept
add chain=forward connection-state=invalid action=drop
add chain=forward protocol=icmpv6 action=accept
add chain=forward in-interface=ether2 action=accept
add chain=forward connection-nat-state=dstnat action=accept
add chain=forward in-interface=ether3 out-interface=ether1 action=accept
add chain=forward action=reject reject-with=icmp-admin-prohibited
/ipv6 firewall nat
add chain=dstnat in-interface=ether1 dst-address=2001:db8:1::1/128 protocol=tcp \
    dst-port=8080 action=dst-nat to-addresses=fd00:89::10 to-ports=80
add chain=srcnat out-interface=ether1 src-address=fd00:89::/64 action=masquerade
