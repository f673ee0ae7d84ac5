# connection-limit: at most 3 web connections per client address, and at
# most 2 SSH connections per /24 block of clients.
/ip firewall filter
add chain=forward protocol=tcp dst-port=80 connection-state=new \
    connection-limit=3,32 action=drop comment="4th web connection of an address"
add chain=input protocol=tcp dst-port=22 connection-limit=2,24 \
    action=drop comment="3rd SSH connection of a /24"
