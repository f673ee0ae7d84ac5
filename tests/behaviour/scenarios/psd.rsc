# psd: the manuals' port-scan trap (002, psd=WeightThreshold,DelayThreshold,
# LowPortWeight,HighPortWeight): a source whose new destination ports weigh
# 21 within 3 s of each other (3 each below 1024, 1 above) is listed for
# two weeks, and the list is dropped.
/ip firewall filter
add chain=input src-address-list=port-scanners action=drop \
    comment="drop sources listed as port scanners"
add chain=input protocol=tcp psd=21,3s,3,1 \
    action=add-src-to-address-list address-list=port-scanners \
    address-list-timeout=2w comment="port scan detected: list the source"
add chain=input protocol=udp psd=21,3s,3,1 \
    action=add-src-to-address-list address-list=udp-scanners \
    address-list-timeout=2w comment="UDP port scan detected: list the source"
/ipv6 firewall filter
add chain=input src-address-list=port-scanners action=drop \
    comment="drop sources listed as port scanners"
add chain=input protocol=tcp psd=21,3s,3,1 \
    action=add-src-to-address-list address-list=port-scanners \
    address-list-timeout=2w comment="port scan detected: list the source"
