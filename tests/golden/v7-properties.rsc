# What RouterOS 7.24 writes that 7.9 did not, and the v7 keywords the
# property table gained against ../shared/reference/routeros-v7-properties.tsv
# (tests/unit/test_props_v7.c): tos as a number (the ToS byte; a 2.9 name
# compares the ToS bits), !time (outside the hours or on another day),
# drop in mangle, anycast address types, /ipv6 nat's to-address=.
/ip firewall filter
add chain=forward tos=16 action=drop
add chain=forward tos=!min-delay action=accept
add chain=forward time=8h-17h,mon,tue,wed,thu,fri action=accept
add chain=forward time=!8h-17h,mon,tue,wed,thu,fri action=drop
add chain=forward time=!22h-6h action=drop
add chain=forward time=!8h-17h action=drop
add chain=forward time=!0s-1d,sat,sun action=drop
/ip firewall mangle
add chain=prerouting action=drop src-address=10.9.9.9
add chain=prerouting action=change-dscp new-dscp=10
/ipv6 firewall filter
add chain=forward tos=32 action=drop dst-address-type=anycast
/ipv6 firewall nat
add chain=srcnat action=src-nat to-address=2001:db8::1
