# lan-forward.rsc
#
# Source:  /work/shared/reference/001_8e464e240e13042f.txt
#          "Firewall Filter Rules": sections "forward Chain",
#          "Actions > accept vs. drop vs. reject" (the forward-chain examples)
#          and "Practical Rulesets > Stateful LAN Firewall (forward chain)".
#          The 004 forward ruleset (FastTrack with hw-offload, interface
#          lists) is in conntrack-helpers.rsc; the RouterOS 2.9 "Protecting
#          the Customer's Network" ruleset of 003 is in v29-tcp-udp-icmp.rsc.
#
# Snippets are in the manual's order, with the lost line breaks restored.
# Changes needed to make the script run on a real router:
#   - The manual writes "action=fasttrack"; the RouterOS action is
#     fasttrack-connection (002: "fasttrack-connection - process packets from
#     a connection using FastPath"), so that is what is used.
#   - Snippets without comment= get one taken from the "# ..." line above.
#   - The "fasttrack Action" section repeats the FastTrack + accept pair of
#     the Stateful LAN Firewall below (only the comments differ), so it is
#     not pasted twice.
#
# Prerequisites: interfaces named bridge-lan (LAN bridge) and ether1-wan
# (internet uplink), as in the manual.

/ip firewall filter

# --- section "forward Chain" ---
# Allow LAN to internet
add chain=forward in-interface=bridge-lan \
    out-interface=ether1-wan action=accept comment="LAN to WAN"

# Block LAN from reaching a restricted VLAN
add chain=forward in-interface=bridge-lan \
    dst-address=10.10.20.0/24 action=drop comment="no access to restricted VLAN"

# --- section "accept vs. drop vs. reject" ---
# accept - allow traffic silently
add chain=forward src-address=192.168.1.0/24 action=accept comment="accept from 192.168.1.0/24"

# reject - discard and notify sender (use for internal networks where feedback is useful)
add chain=forward dst-address=10.0.0.5 \
    action=reject reject-with=icmp-admin-prohibited comment="reject to 10.0.0.5 with admin-prohibited"

# --- section "Practical Rulesets > Stateful LAN Firewall (forward chain)" ---
# Drop invalid
add chain=forward connection-state=invalid action=drop comment="drop invalid forward"

# FastTrack established (optional, performance)
add chain=forward connection-state=established,related \
    action=fasttrack-connection connection-mark=no-mark comment="FastTrack"

# Accept established/related
add chain=forward connection-state=established,related \
    action=accept comment="accept established/related"

# Accept new from LAN to WAN
add chain=forward in-interface=bridge-lan out-interface=ether1-wan \
    connection-state=new action=accept comment="LAN to WAN new"

# Drop all other forward
add chain=forward action=drop comment="drop all other forward"
