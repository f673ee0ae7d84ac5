# per-connection-classifier: the dual-WAN recipe's split (mangle marks each
# new connection from the LAN by its class), without protocol= so that every
# protocol is split; the filter drops a connection's packet whose class is
# not its connection's, which per-connection classification never does.
/ip firewall mangle
add chain=prerouting in-interface=ether2 connection-mark=no-mark \
    per-connection-classifier=both-addresses-and-ports:2/0 \
    action=mark-connection new-connection-mark=first
add chain=prerouting in-interface=ether2 connection-mark=no-mark \
    per-connection-classifier=both-addresses-and-ports:2/1 \
    action=mark-connection new-connection-mark=second
/ip firewall filter
add chain=forward connection-mark=first \
    per-connection-classifier=both-addresses-and-ports:2/1 action=drop \
    comment="a packet of a first-class connection classified second"
add chain=forward connection-mark=second \
    per-connection-classifier=both-addresses-and-ports:2/0 action=drop \
    comment="a packet of a second-class connection classified first"
add chain=forward connection-mark=no-mark in-interface=ether2 action=drop \
    comment="a connection from the LAN no class took"
