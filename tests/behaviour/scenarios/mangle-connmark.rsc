# mangle marks connections, filter matches the marks: new LAN connections
# to ports 8000-8099 are marked "web-alt" in prerouting, their packets get
# a packet mark, and filter lets marked connections through while it rejects
# other new ones. A passthrough=no rule stops the chain: the second
# mark-connection for UDP 6000 never runs.
/ip firewall mangle
add chain=prerouting in-interface=ether2 connection-state=new protocol=tcp \
    dst-port=8000-8099 action=mark-connection new-connection-mark=web-alt \
    passthrough=yes comment="mark new web-alt connections"
add chain=prerouting connection-mark=web-alt action=mark-packet \
    new-packet-mark=web-alt-pkt passthrough=yes comment="and their packets"
add chain=prerouting in-interface=ether2 connection-state=new protocol=udp \
    dst-port=6000 action=mark-connection new-connection-mark=voice \
    passthrough=no comment="voice: stop here"
add chain=prerouting in-interface=ether2 protocol=udp dst-port=6000 \
    action=mark-connection new-connection-mark=bulk comment="never reached"
/ip firewall filter
add chain=forward connection-state=established,related action=accept
add chain=forward connection-mark=web-alt packet-mark=web-alt-pkt action=accept \
    comment="marked web-alt"
add chain=forward connection-mark=voice action=accept comment="voice"
add chain=forward connection-mark=bulk action=drop comment="bulk"
add chain=forward action=reject reject-with=icmp-admin-prohibited
