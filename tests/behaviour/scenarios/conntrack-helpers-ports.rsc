# ports= moves a helper: FTP on 2121 only.
/ip firewall service-port set ftp ports=2121
/ip firewall filter
add chain=forward connection-state=established,related action=accept
add chain=forward in-interface=ether2 action=accept
add chain=forward action=drop
/ip firewall nat
add chain=srcnat out-interface=ether1 action=masquerade
