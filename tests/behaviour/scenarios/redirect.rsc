# redirect: DNS and web traffic from the LAN is sent to the router itself,
# whatever address it was for (a DNS cache and a transparent proxy).
/ip firewall nat
add chain=dstnat in-interface=ether2 protocol=udp dst-port=53 action=redirect \
    to-ports=5353 comment="LAN DNS to the router's cache"
add chain=dstnat in-interface=ether2 protocol=tcp dst-port=80 action=redirect \
    to-ports=3128 comment="LAN web to the proxy"
add chain=dstnat in-interface=ether2 protocol=tcp dst-port=53 action=redirect \
    comment="LAN DNS over TCP, same port"
