# Port knocking: TCP 7000 then 8000 within 10 seconds opens SSH to the
# knocking address for a minute. The knocks themselves are dropped.
/ip firewall filter
add chain=input connection-state=established,related action=accept
add chain=input protocol=icmp action=accept
add chain=input protocol=tcp dst-port=7000 action=add-src-to-address-list \
    address-list=knock1 address-list-timeout=10s comment="first knock"
add chain=input protocol=tcp dst-port=8000 src-address-list=knock1 \
    action=add-src-to-address-list address-list=knocked \
    address-list-timeout=1m comment="second knock, after the first"
add chain=input protocol=tcp dst-port=22 src-address-list=knocked action=accept \
    comment="SSH for who knocked"
add chain=input action=drop
