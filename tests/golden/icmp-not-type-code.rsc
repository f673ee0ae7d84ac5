# icmp-options=!T:C, "not this type and code": one 16-bit compare of the
# first two bytes of the ICMP header (type, code), as nft itself merges
# "icmp type 3 icmp code 13". A code range stays one range; without
# protocol= the rule says meta l4proto itself (nft adds none for @th).
/ip firewall filter
add chain=input protocol=icmp icmp-options=!3:13 action=drop comment="not admin-prohibited"
add chain=input protocol=icmp icmp-options=!3:10-13 action=drop comment="not codes 10-13 of unreachable"
add chain=input icmp-options=!8:0 action=drop comment="no protocol="
add chain=input protocol=icmp icmp-options=3:13 action=accept comment="positive form, for comparison"
/ipv6 firewall filter
add chain=input protocol=icmpv6 icmp-options=!1:4 action=drop comment="not port unreachable"
add chain=input icmp-options=!1:0-3 action=drop comment="range, no protocol="
