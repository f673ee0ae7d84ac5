# SSH brute-force stages: a second new connection within a minute puts the
# source on the blacklist, and the blacklist drops it. The blacklist entry
# lasts only 3 seconds here, so that the test can watch it expire.
# Telnet probers are listed for good (none-dynamic: no timeout).
/ip firewall filter
add chain=input connection-state=established,related action=accept
add chain=input protocol=tcp dst-port=22 src-address-list=ssh_blacklist \
    action=drop comment="drop SSH brute forcers"
add chain=input protocol=tcp dst-port=22 connection-state=new \
    src-address-list=ssh_stage1 action=add-src-to-address-list \
    address-list=ssh_blacklist address-list-timeout=3s comment="stage 1 -> blacklist"
add chain=input protocol=tcp dst-port=22 connection-state=new \
    action=add-src-to-address-list address-list=ssh_stage1 \
    address-list-timeout=1m comment="first attempt -> stage 1"
add chain=input protocol=tcp dst-port=22 action=accept comment="SSH"
add chain=input protocol=tcp dst-port=23 action=add-src-to-address-list \
    address-list=telnet_probers address-list-timeout=none-dynamic
add chain=input protocol=tcp dst-port=23 action=drop
add chain=input src-address-list=telnet_probers action=drop comment="probers get nothing"
