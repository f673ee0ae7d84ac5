# Runs of rules merged into one counter map lookup (compiler/merge.h)
# decide what each of their rules decided, in order with their neighbours:
# a rule before a run wins over it, a rule after it (another action, a
# value of the run among its own) sees only what the run let through.
/ip firewall filter
add chain=forward connection-state=established,related action=accept
add chain=forward protocol=udp src-address=192.168.88.3 dst-port=5000 action=accept comment="before the run"
add chain=forward src-address=10.9.9.1 action=drop comment="block list: a run"
add chain=forward src-address=10.9.9.2 action=drop
add chain=forward src-address=192.168.88.3 action=drop
add chain=forward src-address=10.9.9.4 action=drop
add chain=forward src-address=10.9.8.0/24 action=drop
add chain=forward src-address=192.168.88.2 action=accept comment="after the run: lan, of another action"
add chain=forward action=drop
add chain=input connection-state=established,related action=accept
add chain=input protocol=udp dst-port=7001 action=accept comment="per-port accepts: a run"
add chain=input protocol=udp dst-port=7002,7004 action=accept
add chain=input protocol=udp dst-port=7010-7019 action=accept
add chain=input protocol=udp dst-port=7005 action=accept
add chain=input protocol=udp dst-port=7006 action=reject reject-with=icmp-port-unreachable comment="after the run, of another action"
add chain=input protocol=udp dst-port=7000-7100 action=reject reject-with=icmp-admin-prohibited
/ipv6 firewall filter
add chain=forward connection-state=established,related action=accept
add chain=forward protocol=udp dst-address=2001:db8:1::2 dst-port=5001 action=accept comment="before the run"
add chain=forward dst-address=2001:db8:9::1 action=drop comment="a run"
add chain=forward dst-address=2001:db8:9::2 action=drop
add chain=forward dst-address=2001:db8:1::2 action=drop
add chain=forward dst-address=2001:db8:9:1::/64 action=drop
add chain=forward action=accept
