# dst-nat port forwards from the WAN to the DMZ server 192.168.89.10, with a
# forward chain that accepts only what was dst-NATed from the WAN.
/ip firewall nat
add chain=dstnat in-interface=ether1 dst-address=203.0.113.1 protocol=tcp \
    dst-port=8080 action=dst-nat to-addresses=192.168.89.10 to-ports=80 \
    comment="WAN :8080 -> web server :80"
add chain=dstnat in-interface=ether1 dst-address-type=local protocol=udp \
    dst-port=5353 action=dst-nat to-addresses=192.168.89.10 to-ports=53 \
    comment="WAN udp :5353 -> DNS :53"
add chain=dstnat in-interface=ether1 protocol=tcp dst-port=2222 \
    action=dst-nat to-addresses=192.168.89.10 comment="WAN :2222 -> server, same port"
add chain=srcnat out-interface=ether1 action=masquerade
/ip firewall filter
add chain=forward connection-state=established,related action=accept
add chain=forward connection-state=invalid action=drop
add chain=forward in-interface=ether1 connection-nat-state=!dstnat \
    action=drop comment="drop all from WAN not DSTNATed"
