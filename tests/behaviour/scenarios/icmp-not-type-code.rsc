# icmp-options=!T:C, "not this type and code" (issue 15): one compare of
# the ICMP header's type and code. Only packets the LAN sends are tested
# (echo replies coming back keep the request's code).
/ip firewall filter
add chain=forward in-interface=ether2 protocol=icmp icmp-options=!8:0 action=drop
/ipv6 firewall filter
add chain=forward in-interface=ether2 icmp-options=!128:0-1 action=drop
