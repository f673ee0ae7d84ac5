# rosfw print tests: a merged run (compiler/merge.h) on input, between
# two rules of its own; loopback UDP hits them.
/ip firewall filter
add chain=input protocol=udp dst-port=100 action=accept log=yes comment="before the run"
add chain=input protocol=udp dst-port=101 action=accept comment="run: first"
add chain=input protocol=udp dst-port=102 action=accept
add chain=input protocol=udp dst-port=103 action=accept disabled=yes
add chain=input protocol=udp dst-port=104-105 action=accept
add chain=input protocol=udp dst-port=106,107 action=accept comment="run: last"
add chain=input protocol=udp dst-port=101-110 action=drop comment="after the run"
