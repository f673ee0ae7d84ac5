# Default-deny input: the router answers pings, and SSH/Winbox only to the
# addresses of the "management" list (a host, a range, a network, and a
# timed entry). Everything else addressed to the router is dropped.
/ip firewall address-list
add list=management address=192.168.88.10 comment="admin laptop"
add list=management address=192.168.88.20-192.168.88.29 comment="helpdesk range"
add list=management address=198.51.100.0/24 comment="remote office"
add list=management address=192.168.88.40 timeout=1h comment="contractor, for an hour"
/ip firewall filter
add chain=input connection-state=established,related action=accept
add chain=input connection-state=invalid action=drop
add chain=input protocol=icmp action=accept
add chain=input protocol=tcp dst-port=22,8291 src-address-list=management \
    action=accept comment="management"
add chain=input action=drop comment="default deny"
