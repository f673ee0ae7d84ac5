# 2026-11-02 10:14:07 by RouterOS 7.16.2
# software id = 7QXC-HT1A
#
# model = RB5009UG+S+
/interface bridge
add admin-mac=48:A9:8A:11:22:33 ageing-time=5m arp=enabled arp-timeout=auto auto-mac=no !dhcp-snooping \
    disabled=no fast-forward=yes forward-delay=15s igmp-snooping=no max-learned-entries=auto \
    max-message-age=20s mtu=auto name=bridge priority=0x8000 protocol-mode=rstp transmit-hold-count=6 \
    vlan-filtering=no
/interface 6to4
add clamp-tcp-mss=yes disabled=no !dscp !ipsec-secret !keepalive local-address=0.0.0.0 mtu=1280 name=sit1 \
    remote-address=203.0.113.5
/interface list
add exclude="" include="" name=WAN
add exclude="" include="" name=LAN
/interface list member
add disabled=no interface=ether1 list=WAN
add disabled=no interface=bridge list=LAN
/ip firewall address-list
add address=192.168.88.0/24 disabled=no dynamic=no list=lan-nets !timeout
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" \
    connection-state=established,related,untracked disabled=no !dst-limit log=no log-prefix="" \
    !per-connection-classifier !time
add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid disabled=no log=no \
    log-prefix="" !src-address-list
add action=accept chain=input comment="defconf: accept ICMP" disabled=no log=no log-prefix="" protocol=icmp \
    !icmp-options
add action=drop chain=input comment="defconf: drop all not coming from LAN" disabled=no in-interface-list=!LAN \
    log=no log-prefix="" !src-address
add action=accept chain=forward comment="defconf: accept in ipsec policy" disabled=no ipsec-policy=in,ipsec \
    log=no log-prefix=""
add action=fasttrack-connection chain=forward comment="defconf: fasttrack" connection-state=established,related \
    disabled=no hw-offload=yes log=no log-prefix=""
add action=drop chain=forward comment="defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat \
    connection-state=new disabled=no in-interface-list=WAN log=no log-prefix="" !reject-with
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" disabled=no ipsec-policy=out,none log=no \
    log-prefix="" out-interface-list=WAN !to-addresses !to-ports
add action=dst-nat chain=dstnat disabled=no dst-port=8080 in-interface-list=WAN log=no log-prefix="" \
    protocol=tcp !src-address-list to-addresses=192.168.88.10 to-ports=80
/ip service
set telnet address="" disabled=yes port=23 !vrf
