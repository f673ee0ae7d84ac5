# log: a log action that lets the packet go on to the next rule, and log=yes
# on a drop, with prefixes, in input and forward.
/ip firewall filter
add chain=input protocol=tcp dst-port=23 action=log log-prefix="telnet-probe" \
    comment="log, then carry on"
add chain=input protocol=tcp dst-port=23 action=drop
add chain=input protocol=udp dst-port=161 action=drop log=yes log-prefix="snmp-drop"
add chain=input protocol=icmp action=accept log=yes log-prefix="ping-in"
add chain=forward in-interface=ether1 protocol=tcp dst-port=3389 action=drop \
    log=yes log-prefix="rdp-from-wan"
