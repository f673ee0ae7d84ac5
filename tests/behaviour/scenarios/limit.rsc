# limit: lan2 (192.168.88.3) may ping the router 3 times, then 3 a minute;
# others are not limited. limit counts only the packets that match the rest
# of the rule.
# dst-limit: UDP 9000 to the router: 2 packets per source address (burst 2,
# then 2 a minute), each source counted apart.
/ip firewall filter
add chain=input protocol=icmp src-address=192.168.88.3 limit=3/1m,3:packet \
    action=accept comment="lan2: a few pings"
add chain=input protocol=icmp src-address=192.168.88.3 action=drop
add chain=input protocol=icmp action=accept
add chain=input protocol=udp dst-port=9000 dst-limit=2/1m,2,src-address/1m \
    action=accept comment="2 per source"
add chain=input protocol=udp dst-port=9000 action=drop
# nth: every second UDP 7000 packet of lan2 is dropped (the 2nd, 4th, ...);
# the counter counts the packets the rule matches (003: "a counter increments
# each time the rule containing nth match matches").
add chain=input protocol=udp dst-port=7000 src-address=192.168.88.3 nth=2,2 \
    action=drop comment="every 2nd packet of lan2"
