# raw.rsc
#
# Source:  /work/shared/reference/004_6a70d6445e07bbb7.txt
#          "Connection Tracking, States, and Helpers", the untracked state:
#          the raw notrack rule "Bypass tracking for internal transit"
#          (verbatim, including its unindented continuation line).
#          /work/shared/reference/000_d8725d1d6bf1288f.txt "Configuration
#          Example" (RAW filtering before connection tracking, to "reduce the
#          load on the CPU and mitigate DOS/DDoS attacks") and "Connection
#          tracking" (accepting the untracked state in filter).
#
# The manuals print only the one raw rule (notrack). The drop rules are
# built from 000's description of RAW and the matchers 002 documents
# (in-interface, src-address-list, dst-address-list); the bogon ranges are
# those of the RouterOS 2.9 manual 003. Drops come before the notrack rule so
# that bogons are never exempted from anything.
#
# Untracked packets are in connection-state=untracked in filter, so the
# filter must accept that state (as 000's "Allow Established/Related/
# Untracked connections" rule does) or they fall through to the drop rules;
# the matching filter rule is at the end of this file.
#
# Assumed router: ether1 = WAN.

/ip firewall address-list
add list=bogons address=0.0.0.0/8 comment="bogon: 0.0.0.0/8 (003)"
add list=bogons address=127.0.0.0/8 comment="bogon: loopback (003)"
add list=bogons address=224.0.0.0/3 comment="bogon: multicast and class E (003)"

/ip firewall raw
add chain=prerouting in-interface=ether1 src-address-list=bogons action=drop \
    comment="drop bogon sources from WAN before connection tracking"
add chain=prerouting in-interface=ether1 dst-address-list=bogons action=drop \
    comment="drop bogon destinations from WAN before connection tracking"

/ip firewall raw add chain=prerouting src-address=10.0.0.0/8 dst-address=10.0.0.0/8 \
action=notrack comment="Bypass tracking for internal transit"

/ip firewall filter
add chain=forward connection-state=untracked action=accept \
    comment="accept untracked internal transit"
