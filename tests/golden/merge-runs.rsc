# Runs of rules merged into one counter map lookup (compiler/merge.h):
# what merges and what must not.
/ip firewall filter
# four exact addresses: one lookup
add chain=forward src-address=192.0.2.1 action=drop comment="block 1"
add chain=forward src-address=192.0.2.2 action=drop
add chain=forward src-address=192.0.2.3 action=drop
add chain=forward src-address=192.0.2.4 action=drop
# a disabled rule between decides nothing: the run goes on across it
add chain=forward src-address=192.0.2.5 action=drop disabled=yes
add chain=forward src-address=192.0.2.6 action=drop
# a prefix over an address of the run: a new run starts there
add chain=forward src-address=192.0.2.0/24 action=drop
add chain=forward src-address=198.51.100.0/24 action=drop
add chain=forward src-address=203.0.113.0-203.0.113.9 action=drop
add chain=forward src-address=203.0.113.10 action=drop
# another action: a rule of its own, and a new run after it
add chain=forward src-address=203.0.113.11 action=accept
add chain=forward src-address=203.0.113.12 action=drop
add chain=forward src-address=203.0.113.13 action=drop
add chain=forward src-address=203.0.113.14 action=drop
# a rule of another chain between: the forward chain's rules stay adjacent,
# the run .12-.14 goes on with .16
add chain=input src-address=203.0.113.15 action=drop
add chain=forward src-address=203.0.113.16 action=drop
# a rule between that is not of the run ends it
add chain=forward dst-address=203.0.113.17 action=drop
add chain=forward src-address=203.0.113.18 action=drop
add chain=forward src-address=203.0.113.19 action=drop
add chain=forward src-address=203.0.113.20 action=drop
add chain=forward src-address=203.0.113.21 action=drop
# per-port accepts: a list and a range are values of the run too
add chain=input protocol=tcp dst-port=22 in-interface=ether1 action=accept
add chain=input protocol=tcp dst-port=80,443 in-interface=ether1 action=accept
add chain=input protocol=tcp dst-port=8000-8080 in-interface=ether1 action=accept
add chain=input protocol=tcp dst-port=25 in-interface=ether1 action=accept
# one port in two rules (the second could never count): the run is cut
# before the second, three rules are too few
add chain=input protocol=udp dst-port=53 action=accept
add chain=input protocol=udp dst-port=54 action=accept
add chain=input protocol=udp dst-port=55 action=accept
add chain=input protocol=udp dst-port=53 action=accept
# a value again: the run ends before it and a new one starts there
add chain=input protocol=tcp dst-port=60 action=drop
add chain=input protocol=tcp dst-port=61 action=drop
add chain=input protocol=tcp dst-port=62 action=drop
add chain=input protocol=tcp dst-port=63 action=drop
add chain=input protocol=tcp dst-port=60-61 action=drop
add chain=input protocol=tcp dst-port=64 action=drop
add chain=input protocol=tcp dst-port=65 action=drop
add chain=input protocol=tcp dst-port=66 action=drop
# two values that differ: not a run
add chain=input protocol=udp src-port=1 dst-port=1 action=drop
add chain=input protocol=udp src-port=2 dst-port=2 action=drop
add chain=input protocol=udp src-port=3 dst-port=3 action=drop
add chain=input protocol=udp src-port=4 dst-port=4 action=drop
# a rate must see only the packets of its own address: not merged
add chain=input src-address=192.0.2.1 limit=10,5:packet action=accept
add chain=input src-address=192.0.2.2 limit=10,5:packet action=accept
add chain=input src-address=192.0.2.3 limit=10,5:packet action=accept
add chain=input src-address=192.0.2.4 limit=10,5:packet action=accept
# rules that become two kernel rules each (port=: source or destination): not merged
add chain=input protocol=tcp port=9 src-address=192.0.2.10 action=drop
add chain=input protocol=tcp port=9 src-address=192.0.2.11 action=drop
add chain=input protocol=tcp port=9 src-address=192.0.2.12 action=drop
add chain=input protocol=tcp port=9 src-address=192.0.2.13 action=drop
# the same log prefix and address list to add to: merged
/ip firewall raw
add chain=prerouting src-address=10.1.0.1 action=add-src-to-address-list address-list=seen log=yes log-prefix=seen
add chain=prerouting src-address=10.1.0.2 action=add-src-to-address-list address-list=seen log=yes log-prefix=seen
add chain=prerouting src-address=10.1.0.3 action=add-src-to-address-list address-list=seen log=yes log-prefix=seen
add chain=prerouting src-address=10.1.0.4 action=add-src-to-address-list address-list=seen log=yes log-prefix=seen
/ipv6 firewall filter
add chain=forward dst-address=2001:db8::1 action=drop
add chain=forward dst-address=2001:db8::2 action=drop
add chain=forward dst-address=2001:db8:1::/48 action=drop
add chain=forward dst-address=2001:db8:2::/48 action=drop
