# Hairpin NAT: a server on the LAN (192.168.88.3) published on the router's
# public address; LAN clients reach it through the public address too, and
# the hairpin masquerade makes the server answer through the router.
/ip firewall nat
add chain=dstnat dst-address=203.0.113.1 protocol=tcp dst-port=8443 \
    action=dst-nat to-addresses=192.168.88.3 to-ports=443 \
    comment="public :8443 -> LAN server :443"
add chain=srcnat src-address=192.168.88.0/24 dst-address=192.168.88.3 \
    protocol=tcp dst-port=443 out-interface=ether2 action=masquerade \
    comment="hairpin NAT"
add chain=srcnat out-interface=ether1 action=masquerade
