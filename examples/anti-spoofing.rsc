# anti-spoofing.rsc
#
# Source:  /work/shared/reference/001_8e464e240e13042f.txt
#          "Firewall Filter Rules", section "Practical Rulesets > Anti-Spoofing"
#          (the three forward-chain rules, verbatim apart from restored line
#          breaks).
#          Address lists: /work/shared/reference/000_d8725d1d6bf1288f.txt
#          section "Address List" and the src-address-list / dst-address-list
#          matchers of 002_afa695b8a62f818d.txt. The bogon ranges are the ones
#          of the RouterOS 2.9 manual 003_acfc149187026ea8.txt ("Block IP
#          addreses called bogons"); the private ranges are those of the 001
#          rules.
#
# The manuals have no address-list version of these rules; the second half of
# this file is one built only from the documented matchers, so the same
# ranges are kept in two lists ("bogons", "rfc1918") instead of one rule per
# prefix. It also covers the input chain (packets to the router itself),
# which the 001 rules do not.
#
# Prerequisite: an interface named ether1-wan (internet uplink), as in 001.

/ip firewall address-list
add list=bogons address=0.0.0.0/8 comment="bogon: 0.0.0.0/8 (003)"
add list=bogons address=127.0.0.0/8 comment="bogon: loopback (003)"
add list=bogons address=224.0.0.0/3 comment="bogon: multicast and class E (003)"
add list=rfc1918 address=10.0.0.0/8 comment="RFC1918 (001)"
add list=rfc1918 address=172.16.0.0/12 comment="RFC1918 (001)"
add list=rfc1918 address=192.168.0.0/16 comment="RFC1918 / LAN range (001)"

/ip firewall filter

# --- 001 section "Anti-Spoofing" ---
# Drop packets claiming to be from LAN arriving on WAN
add chain=forward in-interface=ether1-wan \
    src-address=192.168.0.0/16 action=drop comment="anti-spoof LAN range"

add chain=forward in-interface=ether1-wan \
    src-address=10.0.0.0/8 action=drop comment="anti-spoof RFC1918"

add chain=forward in-interface=ether1-wan \
    src-address=172.16.0.0/12 action=drop comment="anti-spoof RFC1918"

# --- the same idea with address lists ---
# Bogon sources and destinations coming in from WAN, through the router
add chain=forward in-interface=ether1-wan src-address-list=bogons \
    action=drop comment="anti-spoof: bogon source from WAN"
add chain=forward in-interface=ether1-wan dst-address-list=bogons \
    action=drop comment="anti-spoof: bogon destination from WAN"

# Private and bogon sources coming in from WAN, to the router itself
add chain=input in-interface=ether1-wan src-address-list=rfc1918 \
    action=drop comment="anti-spoof: RFC1918 source to router from WAN"
add chain=input in-interface=ether1-wan src-address-list=bogons \
    action=drop comment="anti-spoof: bogon source to router from WAN"
