# 2026-11-01 12:00:00 by RouterOS 7.16
# software id = 8JKT-3QWB
#
# model = RB5009UG+S+
# serial number = HE10A7C2B91
#
# home-office-router.rsc - a complete home/office router configuration in the
# form "/export" prints it (RouterOS v7 terse export: menu line, then "add" /
# "set" lines with properties in export order, long lines wrapped with "\"
# and continued with four spaces, sometimes inside a quoted comment).
# Sources (/work/shared/reference/):
#   - filter: the RouterOS default configuration ("defconf") rules that
#     000 "Configuration Example"/"FastTrack", 001 "Recommended Ordering" and
#     004 "standard rule ordering" describe (established,related,untracked;
#     invalid; ICMP; loopback; drop not from LAN; FastTrack with hw-offload
#     and connection-mark=no-mark; drop from WAN not dst-NATed), plus port-scan
#     detection (psd, 002) and SSH brute-force stages (add-src-to-address-list
#     with address-list-timeout, 002) as in custom-chains.rsc, and 001 "Port
#     Blocking" (SMB to WAN).
#   - nat: masquerade, dst-nat port forward and hairpin NAT (002 "Firewall
#     NAT"); mangle: mark-connection/mark-packet pair (002 "Firewall Mangle");
#     raw: bogon drop before connection tracking (000, 004); service-port:
#     SIP helper off (004).
#   - ipv6 filter: the RouterOS IPv6 default configuration rules; no manual
#     prints an IPv6 ruleset (ipv6-basic.rsc is the manual-derived one).
# Addresses: LAN 192.168.88.0/24 (RouterOS default), public 203.0.113.2/29
# and remote admin net 198.51.100.0/24 (and ISP resolvers 192.0.2.53-54) from
# the documentation ranges.
# Dynamic address-list entries (port-scanners, ssh_stage1..3, ssh_blacklist)
# are filled by the rules and, being dynamic, are not part of an export.
/interface bridge
add admin-mac=48:A9:8A:5C:10:01 auto-mac=no comment=defconf name=bridge
/interface ethernet
set [ find default-name=ether1 ] comment="WAN - ISP uplink"
set [ find default-name=ether2 ] comment="LAN - office switch"
set [ find default-name=ether3 ] comment="LAN - server"
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/ip pool
add name=default-dhcp ranges=192.168.88.100-192.168.88.254
/ip dhcp-server
add address-pool=default-dhcp interface=bridge name=defconf
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
add bridge=bridge comment=defconf interface=ether3
add bridge=bridge comment=defconf interface=ether4
add bridge=bridge comment=defconf interface=ether5
/ip neighbor discovery-settings
set discover-interface-list=LAN
/interface list member
add comment=defconf interface=bridge list=LAN
add comment=defconf interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 comment=defconf interface=bridge network=\
    192.168.88.0
add address=203.0.113.2/29 comment="static address from ISP" interface=ether1 \
    network=203.0.113.0
/ip dhcp-server lease
add address=192.168.88.10 comment="office server" mac-address=\
    48:A9:8A:5C:20:10 server=defconf
/ip dhcp-server network
add address=192.168.88.0/24 comment=defconf dns-server=192.168.88.1 gateway=\
    192.168.88.1
/ip dns
set allow-remote-requests=yes servers=192.0.2.53,192.0.2.54
/ip dns static
add address=192.168.88.1 comment=defconf name=router.lan type=A
/ip firewall address-list
add address=192.168.88.2 comment="admin laptop" list=management
add address=198.51.100.0/24 comment="remote office admin network" list=\
    management
add address=0.0.0.0/8 comment="bogon: this network" list=bogons
add address=10.0.0.0/8 comment="bogon: RFC1918" list=bogons
add address=127.0.0.0/8 comment="bogon: loopback" list=bogons
add address=169.254.0.0/16 comment="bogon: link-local" list=bogons
add address=172.16.0.0/12 comment="bogon: RFC1918" list=bogons
add address=192.168.0.0/16 comment="bogon: RFC1918" list=bogons
add address=224.0.0.0/3 comment="bogon: multicast and class E" list=bogons
/ip firewall filter
add action=accept chain=input comment=\
    "defconf: accept established,related,untracked" connection-state=\
    established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=\
    invalid
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=accept chain=input comment=\
    "defconf: accept to local loopback (for CAPsMAN)" dst-address=127.0.0.1
add action=drop chain=input comment="drop port scanners" src-address-list=\
    port-scanners
add action=add-src-to-address-list address-list=port-scanners \
    address-list-timeout=2w chain=input comment=\
    "detect port scans from WAN: list the source for two weeks" \
    in-interface-list=WAN protocol=tcp psd=21,3s,3,1
add action=add-src-to-address-list address-list=port-scanners \
    address-list-timeout=2w chain=input comment=\
    "catch scanners: new connections to ports this router never serves" \
    connection-state=new dst-port=21,23,135,139,445,1433,3389 \
    in-interface-list=WAN protocol=tcp
add action=drop chain=input comment="drop SSH brute forcers" dst-port=22 \
    in-interface-list=WAN protocol=tcp src-address-list=ssh_blacklist
add action=add-src-to-address-list address-list=ssh_blacklist \
    address-list-timeout=1w3d chain=input comment=\
    "SSH brute force: stage 3 -> blacklist" connection-state=new dst-port=22 \
    in-interface-list=WAN protocol=tcp src-address-list=ssh_stage3
add action=add-src-to-address-list address-list=ssh_stage3 \
    address-list-timeout=1m chain=input comment=\
    "SSH brute force: stage 2 -> stage 3" connection-state=new dst-port=22 \
    in-interface-list=WAN protocol=tcp src-address-list=ssh_stage2
add action=add-src-to-address-list address-list=ssh_stage2 \
    address-list-timeout=1m chain=input comment=\
    "SSH brute force: stage 1 -> stage 2" connection-state=new dst-port=22 \
    in-interface-list=WAN protocol=tcp src-address-list=ssh_stage1
add action=add-src-to-address-list address-list=ssh_stage1 \
    address-list-timeout=1m chain=input comment="SSH brute force: stage 1" \
    connection-state=new dst-port=22 in-interface-list=WAN protocol=tcp
add action=accept chain=input comment=\
    "SSH and Winbox from management addresses" dst-port=22,8291 protocol=tcp \
    src-address-list=management
add action=drop chain=input comment="defconf: drop all not coming from LAN" \
    in-interface-list=!LAN
add action=accept chain=forward comment="defconf: accept in ipsec policy" \
    ipsec-policy=in,ipsec
add action=accept chain=forward comment="defconf: accept out ipsec policy" \
    ipsec-policy=out,ipsec
add action=fasttrack-connection chain=forward comment="defconf: fasttrack" \
    connection-mark=no-mark connection-state=established,related hw-offload=yes
add action=accept chain=forward comment=\
    "defconf: accept established,related, untracked" connection-state=\
    established,related,untracked
add action=drop chain=forward comment="defconf: drop invalid" \
    connection-state=invalid
add action=drop chain=forward comment="block SMB to WAN" dst-port=139,445 \
    out-interface-list=WAN protocol=tcp
add action=drop chain=forward comment=\
    "defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat \
    connection-state=new in-interface-list=WAN
/ip firewall mangle
add action=mark-connection chain=forward comment=\
    "mark new connections to the office server" connection-state=new \
    dst-address=192.168.88.10 dst-port=443 new-connection-mark=office-https \
    passthrough=yes protocol=tcp
add action=mark-packet chain=forward comment=\
    "mark packets of office server connections" connection-mark=office-https \
    new-packet-mark=office-https-packet passthrough=no
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=\
    out,none out-interface-list=WAN
add action=dst-nat chain=dstnat comment=\
    "port forward HTTPS to the office server" dst-address=203.0.113.2 \
    dst-port=443 protocol=tcp to-addresses=192.168.88.10 to-ports=443
add action=masquerade chain=srcnat comment="hairpin NAT: LAN clients that reac\
    h the office server through the public address 203.0.113.2" dst-address=\
    192.168.88.10 dst-port=443 out-interface=bridge protocol=tcp src-address=\
    192.168.88.0/24
/ip firewall raw
add action=drop chain=prerouting comment=\
    "drop bogon sources from WAN before connection tracking" \
    in-interface-list=WAN src-address-list=bogons
/ip firewall service-port
set sip disabled=yes
/ip route
add comment="default route via ISP" disabled=no distance=1 dst-address=\
    0.0.0.0/0 gateway=203.0.113.1 routing-table=main suppress-hw-offload=no
/ipv6 firewall address-list
add address=::/128 comment="defconf: unspecified address" list=bad_ipv6
add address=::1/128 comment="defconf: lo" list=bad_ipv6
add address=fec0::/10 comment="defconf: site-local" list=bad_ipv6
add address=::ffff:0.0.0.0/96 comment="defconf: ipv4-mapped" list=bad_ipv6
/ipv6 firewall filter
add action=accept chain=input comment=\
    "defconf: accept established,related,untracked" connection-state=\
    established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=\
    invalid
add action=accept chain=input comment="defconf: accept ICMPv6" protocol=icmpv6
add action=accept chain=input comment=\
    "defconf: accept DHCPv6-Client prefix delegation." dst-port=546 protocol=\
    udp src-address=fe80::/10
add action=drop chain=input comment=\
    "defconf: drop everything else not coming from LAN" in-interface-list=!LAN
add action=accept chain=forward comment=\
    "defconf: accept established,related,untracked" connection-state=\
    established,related,untracked
add action=drop chain=forward comment="defconf: drop invalid" \
    connection-state=invalid
add action=drop chain=forward comment=\
    "defconf: drop packets with bad src ipv6" src-address-list=bad_ipv6
add action=accept chain=forward comment="defconf: accept ICMPv6" protocol=\
    icmpv6
add action=drop chain=forward comment=\
    "defconf: drop everything else not coming from LAN" in-interface-list=!LAN
/system clock
set time-zone-name=Europe/Riga
/system identity
set name=office-gw
/tool mac-server
set allowed-interface-list=LAN
/tool mac-server mac-winbox
set allowed-interface-list=LAN
