# Source NAT: LAN and DMZ leave the WAN masqueraded behind the router's
# address, except the DMZ, which has its own public address (src-nat), and
# traffic to a partner network, which is not NATed (srcnat accept).
/ip firewall nat
add chain=srcnat dst-address=198.51.100.0/24 action=accept comment="no NAT to the partner network"
add chain=srcnat src-address=192.168.89.0/24 out-interface=ether1 \
    action=src-nat to-addresses=203.0.113.5 comment="DMZ has its own public address"
add chain=srcnat out-interface=ether1 action=masquerade comment="masquerade to the WAN"
