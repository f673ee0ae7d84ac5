# A firewall built by a script (issue 16): variables, :foreach over ports
# and interfaces, on-error around a duplicate, :if, an add whose id a set
# takes. Its nft text is the plain interface-lists scenario's.
:global lanPorts {"ether2";"ether3"}
:local wan "ether1"
:local sshPorts {22}
/interface list
:foreach n in={"LAN";"WAN"} do={ add name=$n }
:do { add name=LAN } on-error={ :log info "LAN is there already" }
/interface list member
:foreach p in=$lanPorts do={ add list=LAN interface=$p }
add list=WAN interface=$wan
/ip firewall filter
add chain=input connection-state=established,related action=accept
add chain=input protocol=icmp action=accept
:foreach p in=$sshPorts do={ add chain=input protocol=tcp dst-port=$p in-interface-list=LAN action=accept }
add chain=input in-interface-list=("!" . "LAN") action=drop comment="drop all not coming from LAN"
:if ([:len [/interface list find name=WAN]] = 1) do={
  add chain=forward connection-state=established,related action=accept
  add chain=forward in-interface-list=LAN out-interface-list=WAN action=accept
} else={
  :error "no WAN list"
}
:local drop [add chain=forward action=accept]
set $drop in-interface-list=WAN action=drop
