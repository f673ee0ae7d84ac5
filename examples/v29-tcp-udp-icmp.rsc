# v29-tcp-udp-icmp.rsc
#
# Source:  /work/shared/reference/003_acfc149187026ea8.txt
#          RouterOS 2.9 "Filter" manual (document revision 2.7, 2005),
#          section "Filter Applications": "Protect your RouterOS router" and
#          "Protecting the Customer's Network" (bogons, jumps to the tcp, udp
#          and icmp chains, per-port denies, icmp-options whitelist).
#
# The rules, their order, properties and comments are the manual's, in its
# 2.9 style: connection-state=established and related as separate rules, no
# untracked state, no interface lists, one rule per bogon prefix and
# continuation lines indented with a tab. Differences from the printed text:
#   - "/ ip firewall filter" is written "/ip firewall filter";
#   - trailing blanks after some "\" continuations (which would end the
#     command on a real router) are removed;
#   - the manual gives no comment to the bogon and jump rules; they get one;
#   - the comments of the first three icmp rules are the manual's own, even
#     though they do not describe the rule (0:0 is echo reply, 3:0 and 3:1
#     are net/host unreachable); likewise "deny PRC portmapper" and
#     "deny BackOriffice" keep the manual's spelling.
#
# Runs on current RouterOS too: every property used here still exists.

# --- Protect your RouterOS router (input chain) ---
/ip firewall filter
add chain=input connection-state=invalid action=drop \
	comment="Drop Invalid connections"
add chain=input connection-state=established action=accept \
	comment="Allow Established connections"
add chain=input protocol=udp action=accept \
	comment="Allow UDP"
add chain=input protocol=icmp action=accept \
	comment="Allow ICMP"
add chain=input src-address=192.168.0.0/24 action=accept \
	comment="Allow access to router from known network"
add chain=input action=drop comment="Drop anything else"

# --- Protecting the Customer's Network (forward chain) ---
/ip firewall filter
add chain=forward protocol=tcp connection-state=invalid \
 	action=drop comment="drop invalid connections"
add chain=forward connection-state=established action=accept \
 	comment="allow already established connections"
add chain=forward connection-state=related action=accept \
 	comment="allow related connections"

# Block IP addreses called "bogons":
add chain=forward src-address=0.0.0.0/8 action=drop comment="bogon: drop from 0.0.0.0/8"
add chain=forward dst-address=0.0.0.0/8 action=drop comment="bogon: drop to 0.0.0.0/8"
add chain=forward src-address=127.0.0.0/8 action=drop comment="bogon: drop from 127.0.0.0/8"
add chain=forward dst-address=127.0.0.0/8 action=drop comment="bogon: drop to 127.0.0.0/8"
add chain=forward src-address=224.0.0.0/3 action=drop comment="bogon: drop from 224.0.0.0/3"
add chain=forward dst-address=224.0.0.0/3 action=drop comment="bogon: drop to 224.0.0.0/3"

# Make jumps to new chains:
add chain=forward protocol=tcp action=jump jump-target=tcp comment="jump to tcp chain"
add chain=forward protocol=udp action=jump jump-target=udp comment="jump to udp chain"
add chain=forward protocol=icmp action=jump jump-target=icmp comment="jump to icmp chain"

# Create tcp chain and deny some tcp ports in it:
add chain=tcp protocol=tcp dst-port=69 action=drop \
 	comment="deny TFTP"
add chain=tcp protocol=tcp dst-port=111 action=drop \
 	comment="deny RPC portmapper"
add chain=tcp protocol=tcp dst-port=135 action=drop \
 	comment="deny RPC portmapper"
add chain=tcp protocol=tcp dst-port=137-139 action=drop \
 	comment="deny NBT"
add chain=tcp protocol=tcp dst-port=445 action=drop \
 	comment="deny cifs"
add chain=tcp protocol=tcp dst-port=2049 action=drop comment="deny NFS"
add chain=tcp protocol=tcp dst-port=12345-12346 action=drop comment="deny NetBus"
add chain=tcp protocol=tcp dst-port=20034 action=drop comment="deny NetBus"
add chain=tcp protocol=tcp dst-port=3133 action=drop comment="deny BackOriffice"
add chain=tcp protocol=tcp dst-port=67-68 action=drop comment="deny DHCP"

# Deny udp ports in udp chain:
add chain=udp protocol=udp dst-port=69 action=drop comment="deny TFTP"
add chain=udp protocol=udp dst-port=111 action=drop comment="deny PRC portmapper"
add chain=udp protocol=udp dst-port=135 action=drop comment="deny PRC portmapper"
add chain=udp protocol=udp dst-port=137-139 action=drop comment="deny NBT"
add chain=udp protocol=udp dst-port=2049 action=drop comment="deny NFS"
add chain=udp protocol=udp dst-port=3133 action=drop comment="deny BackOriffice"

# Allow only needed icmp codes in icmp chain:
add chain=icmp protocol=icmp icmp-options=0:0 action=accept \
 	comment="drop invalid connections"
add chain=icmp protocol=icmp icmp-options=3:0 action=accept \
 	comment="allow established connections"
add chain=icmp protocol=icmp icmp-options=3:1 action=accept \
 	comment="allow already established connections"
add chain=icmp protocol=icmp icmp-options=4:0 action=accept \
 	comment="allow source quench"
add chain=icmp protocol=icmp icmp-options=8:0 action=accept \
 	comment="allow echo request"
add chain=icmp protocol=icmp icmp-options=11:0 action=accept \
 	comment="allow time exceed"
add chain=icmp protocol=icmp icmp-options=12:0 action=accept \
 	comment="allow parameter bad"
add chain=icmp action=drop comment="deny all other types"
