# port-blocking.rsc
#
# Source:  /work/shared/reference/001_8e464e240e13042f.txt
#          "Firewall Filter Rules", section "Practical Rulesets > Port Blocking".
#          (The RouterOS 2.9 manual's per-port "deny ..." rules for the tcp and
#          udp chains are in v29-tcp-udp-icmp.rsc.)
#
# Verbatim apart from the line breaks the manual's text lost.
#
# Prerequisite: an interface named ether1-wan (internet uplink), as in 001.

/ip firewall filter

# Block SMB from reaching WAN
add chain=forward out-interface=ether1-wan \
    protocol=tcp dst-port=139,445 action=drop comment="block SMB to WAN"

# Block incoming Telnet from WAN
add chain=input in-interface=ether1-wan \
    protocol=tcp dst-port=23 action=drop comment="block Telnet from WAN"
