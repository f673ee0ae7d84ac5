# router-protection.rsc
#
# Source:  /work/shared/reference/001_8e464e240e13042f.txt
#          "Firewall Filter Rules": sections "input Chain", "log Action",
#          "Practical Rulesets > Basic Router Protection (input chain)" and
#          "Troubleshooting > Unexpected Drops".
#          /work/shared/reference/002_afa695b8a62f818d.txt has no input-chain
#          ruleset of its own (it is the property reference); it is used to
#          check property names and values (action, limit, log-prefix).
#          The RouterOS 2.9 "Protect your RouterOS router" ruleset of 003 is in
#          v29-tcp-udp-icmp.rsc, the 000 overview ruleset in overview-v7.rsc and
#          the 004 "standard rule ordering" ruleset in conntrack-helpers.rsc.
#
# The manual's snippets are pasted in the order the manual gives them, with
# the line breaks the text lost restored ("\" continuations included).
# Changes needed to make the script run on a real router:
#   - "log-limit=10/1s" in the "log Action" example is not a RouterOS
#     property (002 documents no such thing); the documented rate matcher is
#     limit=count[/time],burst[:mode], so the rule uses limit=10/1s,10:packet.
#   - The manual's "Unexpected Drops" log rule is added with
#     place-before=[find action=drop chain=input]; here it is simply written
#     directly before the final drop rule, which is where it ends up.
#   - The manual's snippets without comment= get one taken from the "# ..."
#     line above them.
#   - Left out: the one-line illustrations "add chain=input action=drop"
#     ("accept vs. drop vs. reject") and "connection-state=new protocol=tcp
#     dst-port=22 action=accept" ("Using connection-state Matcher"); pasted in
#     document order they would end the chain early or open SSH to everyone.
#
# Prerequisites: an interface named "lo" (RouterOS v7 loopback); the
# management network is 192.168.100.0/24 with the admin host 192.168.100.10,
# as in the manual.

/ip firewall filter

# --- section "input Chain" ---
# Allow Winbox only from management network
add chain=input protocol=tcp dst-port=8291 \
    src-address=192.168.100.0/24 action=accept comment="allow Winbox from mgmt"

# Allow SSH only from trusted host
add chain=input protocol=tcp dst-port=22 \
    src-address=192.168.100.10 action=accept comment="allow SSH from admin"

# --- section "log Action" ---
# Log and then drop
add chain=input src-address=203.0.113.0/24 \
    action=log log-prefix="blocked-src" limit=10/1s,10:packet comment="log blocked source net"

add chain=input src-address=203.0.113.0/24 \
    action=drop comment="drop blocked source net"

# --- section "Practical Rulesets > Basic Router Protection (input chain)" ---
# Drop invalid
add chain=input connection-state=invalid action=drop comment="drop invalid"

# Accept established/related
add chain=input connection-state=established,related action=accept \
    comment="accept established/related"

# Accept ICMP
add chain=input protocol=icmp action=accept comment="accept ICMP"

# Accept from loopback
add chain=input in-interface=lo action=accept comment="accept loopback"

# Management access (restrict to admin network)
add chain=input protocol=tcp dst-port=22,8291,80,443 \
    src-address=192.168.100.0/24 action=accept comment="allow mgmt from admin net"

# --- section "Troubleshooting > Unexpected Drops" ---
# Add a temporary log rule before the drop-all to see what's being dropped
# (remove the log rule after diagnosis)
add chain=input action=log log-prefix="INPUT-DROP" comment="temporary: log what the drop-all drops"

# Drop everything else
add chain=input action=drop comment="drop all input"
