# A router export moved onto a Linux server (rosfw compile
# --interface-map=linux-server.interfaces linux-server.rsc): the server's
# interfaces are enp1s0 (the ISP's modem), enp2s0 and enp3s0 (bridged as
# br0, the LAN), a PPPoE session pppd names ppp0, ppp1... and VLAN 20 for
# guests. The export renamed ether1 to "wan" and keeps using both names;
# rules use RouterOS's special names all-ppp and all-ethernet.
/interface bridge
add name=bridge comment=defconf
/interface ethernet
set [ find default-name=ether1 ] name=wan
set [ find default-name=ether5 ] name=guest-port
/interface pppoe-client
add name=pppoe-out1 interface=wan user=isp
/interface vlan
add interface=bridge name=vlan20-guest vlan-id=20
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=wan list=WAN
add interface=pppoe-out1 list=WAN
add interface=bridge list=LAN
add interface=vlan20-guest list=LAN
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input connection-state=invalid
add action=accept chain=input in-interface=bridge protocol=tcp dst-port=22
add action=accept chain=input in-interface=all-ppp protocol=icmp
add action=drop chain=input in-interface-list=!LAN
add action=accept chain=forward connection-state=established,related
add action=drop chain=forward in-interface=vlan20-guest out-interface=!pppoe-out1
add action=drop chain=forward in-interface=!bridge out-interface=ether1 protocol=tcp dst-port=25
add action=accept chain=forward in-interface=all-ethernet out-interface-list=WAN
add action=drop chain=forward in-interface-list=WAN connection-nat-state=!dstnat
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat out-interface=all-ppp
add action=dst-nat chain=dstnat in-interface=pppoe-out1 protocol=tcp dst-port=8080 to-addresses=192.168.88.10 to-ports=80
/ipv6 firewall filter
add action=accept chain=input in-interface=!wan protocol=icmpv6
add action=drop chain=forward in-interface=ether1 out-interface=bridge
add action=drop chain=forward in-interface=!all-ethernet out-interface=all-ethernet
