# A list with a timed prefix, a static prefix, a timed address and entries
# that a rule adds: the set layouts rosfw relies on.
/ip firewall address-list
add address=10.0.0.0/8 list=mixed timeout=1h
add address=172.16.0.0/12 list=mixed
add address=192.0.2.1 list=mixed timeout=5m
/ip firewall filter
add chain=input action=add-src-to-address-list address-list=seen address-list-timeout=1m protocol=udp
add chain=input action=accept src-address-list=mixed
add chain=input action=accept src-address-list=seen
