# Interface lists as the RouterOS default configuration uses them: LAN is
# ether2 and ether3, WAN is ether1; input drops all not coming from LAN.
/interface list
add name=LAN
add name=WAN
/interface list member
add list=LAN interface=ether2
add list=LAN interface=ether3
add list=WAN interface=ether1
/ip firewall filter
add chain=input connection-state=established,related action=accept
add chain=input protocol=icmp action=accept
add chain=input protocol=tcp dst-port=22 in-interface-list=LAN action=accept
add chain=input in-interface-list=!LAN action=drop comment="drop all not coming from LAN"
add chain=forward connection-state=established,related action=accept
add chain=forward in-interface-list=LAN out-interface-list=WAN action=accept
add chain=forward in-interface-list=WAN action=drop
