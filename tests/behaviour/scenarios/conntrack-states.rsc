# Connection states in forward: established both ways, related only from the
# WAN, invalid dropped first, new only from the LAN (ether2), and from the
# DMZ (ether3) to the WAN.
/ip firewall filter
add chain=forward connection-state=invalid action=drop comment="drop invalid"
add chain=forward connection-state=established action=accept comment="established"
add chain=forward connection-state=related in-interface=ether1 action=accept \
    comment="related, from the WAN only"
add chain=forward connection-state=new in-interface=ether2 action=accept comment="new from the LAN"
add chain=forward connection-state=new in-interface=ether3 out-interface=ether1 \
    action=accept comment="new from the DMZ to the WAN"
add chain=forward action=drop comment="drop the rest"
