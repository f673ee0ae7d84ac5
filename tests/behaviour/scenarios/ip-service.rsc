# The router's own services restricted by address (/ip service set ...
# address=), behind a firewall whose input chain accepts everything: on
# RouterOS a connection must pass the firewall AND the service's address
# check, so the services' lists alone decide who connects.
/ip firewall filter
add chain=input action=accept comment="the firewall lets everything in"
/ip service
set ssh address=192.168.88.0/24,fd00:88::/64
set winbox address=192.168.88.2
set api address=192.168.89.0/24 port=8730
disable telnet
