# quick-start.rsc
#
# Source:  /work/shared/reference/001_8e464e240e13042f.txt
#          "Firewall Filter Rules", section "Quick Start":
#          "Minimal stateful firewall protecting the router itself and
#          forwarded traffic".
#
# The manual's text lost its line breaks ("# Drop invalid packets earlyadd
# chain=..."); each "# ..." heading and each `add` line is restored to its
# own line here. Rules, properties, order and comments are the manual's.
#
# Prerequisite: ether2 is the LAN-facing interface, as in the manual.

/ip firewall filter

# Drop invalid packets early
add chain=input connection-state=invalid action=drop comment="drop invalid input"
add chain=forward connection-state=invalid action=drop comment="drop invalid forward"

# Accept established and related (return traffic)
add chain=input connection-state=established,related action=accept comment="accept established/related input"
add chain=forward connection-state=established,related action=accept comment="accept established/related forward"

# Accept ICMP (ping, traceroute, etc.)
add chain=input protocol=icmp action=accept comment="accept ICMP input"

# Accept new connections from LAN to internet
add chain=forward in-interface=ether2 connection-state=new action=accept comment="accept LAN new forward"

# Drop everything else
add chain=input action=drop comment="drop all other input"
add chain=forward action=drop comment="drop all other forward"
