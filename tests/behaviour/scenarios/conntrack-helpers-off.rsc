# The same router with the FTP and TFTP service ports disabled: the data
# connection and the answer from another port are new connections from the
# WAN, which the forward chain drops.
/ip firewall service-port
set ftp disabled=yes
set tftp disabled=yes
/ip firewall filter
add chain=forward connection-state=established,related action=accept comment="established, related"
add chain=forward connection-state=invalid action=drop
add chain=forward in-interface=ether2 action=accept comment="LAN out"
add chain=forward action=drop comment="nothing else in"
/ip firewall nat
add chain=srcnat out-interface=ether1 action=masquerade
