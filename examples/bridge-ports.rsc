# A router whose LAN is a bridge of two ports (issue 17): rules that tell
# the ports apart, the bridge's own filter, and a bridge NAT rule. No
# manual prints such a ruleset; properties and menus from
# routeros-v7-properties.tsv (/ip/firewall/filter in-bridge-port,
# /interface/bridge/filter, /interface/bridge/nat), compiled with
# --interface ether2=enp2s0 --interface ether3=enp3s0 --interface bridge=br0
# (tests/golden/options). in-bridge= is left out: this test machine's
# kernel has no nft_meta_bridge to load it.
/interface bridge
add name=bridge
/interface bridge port
add bridge=bridge interface=ether2
add bridge=bridge interface=ether3
/interface list
add name=LAN-PORTS
/interface list member
add list=LAN-PORTS interface=ether2
add list=LAN-PORTS interface=ether3
/ip firewall filter
add chain=input in-bridge-port=ether3 protocol=tcp dst-port=22 action=drop comment="no SSH from the guest port"
add chain=forward in-bridge-port-list=LAN-PORTS connection-state=new action=accept
add chain=forward in-bridge-port=!ether2 packet-mark=from-office action=drop
/ip firewall mangle
add chain=prerouting in-bridge-port=ether2 action=mark-packet new-packet-mark=from-office
/interface bridge filter
add chain=forward mac-protocol=ip ip-protocol=udp dst-port=67 in-interface=ether3 action=drop comment="no DHCP server on the guest port"
add chain=forward src-mac-address=02:00:00:00:00:00/FF:FF:FF:00:00:00 action=jump jump-target=vendor
add chain=vendor mac-protocol=vlan vlan-id=20 action=return
add chain=vendor action=drop
/interface bridge nat
add chain=dstnat mac-protocol=ip dst-address=192.168.88.10 action=dst-nat to-dst-mac-address=02:00:00:00:00:10
