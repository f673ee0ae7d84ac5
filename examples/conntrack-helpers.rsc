# conntrack-helpers.rsc
#
# Source:  /work/shared/reference/004_6a70d6445e07bbb7.txt
#          "Connection Tracking, States, and Helpers": connection tracking
#          settings (tuning examples), service-port helpers (ftp, sip, h323,
#          pptp, tftp, irc), FastTrack with hw-offload, and the standard rule
#          ordering for the input and forward chains.
#          Also /work/shared/reference/001_8e464e240e13042f.txt
#          "Connection Tracking Settings" (alternative timeout values, kept
#          as comments).
#
# Commands are 004's, with its continuation lines (004 does not indent them).
# Where 004 gives alternatives, one set is applied and the others are kept as
# comments, so that the script leaves the router in one consistent state:
#   - tracking: the "High-connection environments" values are applied;
#   - helpers: each helper is set once, to the state 004 ends with after
#     "Disable helpers you do not use" (ftp, sip, tftp on; h323, irc, pptp
#     off), with the ftp and sip port lists 004 gives.
# Not expressible on a real router:
#   - "set max-connections=500000": 004 lists max-connections (default
#     200000) as a setting, but RouterOS has no such writable property in
#     /ip firewall connection tracking (the table size is the read-only
#     max-entries), so the line is kept as a comment.
# The raw notrack example of 004 is in raw.rsc. The standalone FastTrack pair
# of 004 ("Place before regular filter rules in the forward chain") is the
# same as the first two forward rules below (its accept rule is commented
# "Accept established/related"), and the standalone "drop invalid" /
# "drop invalid forward" rules of 004's "invalid" section repeat rules of
# the two chains below, so they are not added twice.
#
# Prerequisites: interface lists LAN and WAN with their members, as in a
# RouterOS default configuration.

# --- Connection tracking settings ---
/ip firewall connection tracking
# High-connection environments (NAT gateways, web servers):
# Shorter established timeout frees table entries sooner
set tcp-established-timeout=12h
# Faster UDP recycling for DNS-heavy routers
set udp-timeout=10s udp-stream-timeout=30s
# Long-lived applications (database connections, VPN keepalives) would use
# instead:
#   set tcp-established-timeout=2d
#   set udp-stream-timeout=10m
# 001 shows: set tcp-established-timeout=1d (the default) and
#   set udp-stream-timeout=1m
# High-traffic routers approaching the connection limit (not a RouterOS
# property, see above):
#   set max-connections=500000
# Transit-only routers without NAT or stateful rules (breaks NAT and
# connection-state matching):
#   set enabled=no

# --- Connection tracking helpers (ALGs) ---
/ip firewall service-port
# FTP: enabled (default); the helper also on a non-standard server port
set ftp disabled=no
set ftp ports=21,2121
# Disable if not needed (reduces attack surface):
#   set ftp disabled=yes
# SIP typically runs on UDP 5060 and TLS 5061
set sip disabled=no
set sip ports=5060,5061
# TFTP server answers from an ephemeral port; the helper marks it related
set tftp disabled=no
# Disable helpers you do not use (004 enables h323, pptp and irc in their
# own sections, then disables them here)
set h323 disabled=yes
set irc disabled=yes
set pptp disabled=yes

# --- Standard rule ordering: input chain ---
/ip firewall filter
add chain=input connection-state=invalid action=drop \
comment="Drop invalid input"
add chain=input connection-state=established,related action=accept \
comment="Accept established/related input"
add chain=input protocol=icmp action=accept \
comment="Accept ICMP"
add chain=input protocol=tcp dst-port=22 in-interface-list=LAN action=accept \
comment="SSH from LAN"
add chain=input protocol=tcp dst-port=8291 in-interface-list=LAN action=accept \
comment="Winbox from LAN"
add chain=input in-interface-list=WAN action=drop \
comment="Drop all other WAN input"

# --- Standard rule ordering: forward chain, FastTrack with hw-offload ---
/ip firewall filter
add chain=forward connection-state=established,related \
action=fasttrack-connection hw-offload=yes comment="FastTrack established/related"
add chain=forward connection-state=established,related action=accept \
comment="Accept established/related forward"
add chain=forward connection-state=invalid action=drop \
comment="Drop invalid forward"
add chain=forward in-interface-list=LAN out-interface-list=WAN \
connection-state=new action=accept comment="LAN to WAN new"
add chain=forward action=drop \
comment="Drop all other forward"
