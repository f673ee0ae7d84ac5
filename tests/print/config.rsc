# rosfw print tests: rules on input that loopback traffic hits.
/ip firewall address-list
add list=trusted address=10.9.9.9 comment="static one"
add list=trusted address=10.9.9.8 disabled=yes
add list=seen address=10.1.1.1 timeout=2h comment="timed by hand"
add list=seen address=10.20.0.0/24 timeout=1h comment="timed prefix"
add list=seen address=10.30.0.0/16
/ip firewall filter
add chain=input protocol=udp src-address=127.0.0.1 dst-port=9 action=add-src-to-address-list \
    address-list=seen address-list-timeout=1h comment="remember \"udp\" senders\\here"
add chain=input protocol=udp src-address=127.0.0.1 dst-port=9 action=accept comment="accept udp 9"
add chain=input protocol=tcp action=drop disabled=yes comment="disabled drop"
add chain=input protocol=udp port=7,8 action=accept
add chain=input src-address-list=trusted action=accept
add chain=input hotspot=auth action=drop comment="skipped"
add chain=input protocol=udp action=jump jump-target=custom
add chain=custom protocol=udp dst-port=6 action=accept comment="in a custom chain"
/ip firewall raw
add chain=prerouting protocol=udp dst-port=9 action=accept comment="raw udp 9"
/ipv6 firewall filter
add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=seen6 address-list-timeout=30m comment="v6 senders"
add chain=input protocol=udp dst-port=9 action=accept
