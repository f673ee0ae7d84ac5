# overview-v7.rsc
#
# Source:  /work/shared/reference/000_d8725d1d6bf1288f.txt
#          RouterOS v7 manual, "Firewall" overview: sections "Configuration
#          Example" (protect the router: allow only ICMP, SSH and Winbox),
#          "FastTrack" (the SOHO fasttrack + accept pair), "Services" (restrict
#          Winbox to a subnet), "Address List" and "Layer7-protocol" (RDP
#          pattern).
#
# Changes needed to make the script run on a real router:
#   - The manual's Winbox/SSH rule says "ports=8291,22"; RouterOS has no
#     "ports" property in /ip firewall filter (002 documents "port", which
#     matches source OR destination port). The rule is meant to admit
#     connections to Winbox and SSH on the router, so it uses dst-port.
#   - The manual's FastTrack pair has no comments; comments are added.
#   - The "Connection Tracking" section repeats the first two rules of the
#     Configuration Example (with "ip firewall filter" missing its "/" and a
#     missing closing quote); not added twice.
#   - The text lost the subnet in "ip service set [find name~"winbox"]
#     address=" and the address in "ip firewall address-list add
#     list=MikroTik"; documentation addresses (RFC 5737) are used, and the
#     service is named directly instead of through [find].
#   - The manual puts the FastTrack pair "at the top of the Firewall Filter";
#     it is in the forward chain, so its place relative to the input rules
#     does not matter and it is written after them, as in the manual.

/ip firewall filter
add chain=input connection-state=invalid action=drop comment="Drop Invalid connections"
add chain=input connection-state=established,related,untracked action=accept comment="Allow Established/Related/Untracked connections"
add chain=input protocol=icmp action=accept comment="Allow ICMP"
add chain=input protocol=tcp dst-port=8291,22 action=accept comment="Allow Winbox and SSH"
add chain=input action=drop comment="Drop everything else"

# FastTrack all LAN traffic (SOHO default configuration); the same
# connections need the accept rule for packets FastTrack does not take
/ip firewall filter add chain=forward action=fasttrack-connection connection-state=established,related comment="FastTrack established/related"
/ip firewall filter add chain=forward action=accept connection-state=established,related comment="accept established/related"

# Restrict Winbox access to one subnet
/ip service set winbox address=192.0.2.0/24

# A static address-list entry
/ip firewall address-list add list=MikroTik address=192.0.2.1 comment="example entry"

# Layer7 pattern matching RDP (needs both directions: use it in forward)
/ip firewall layer7-protocol add name=rdp regexp="rdpdr.*cliprdr.*rdpsnd"
