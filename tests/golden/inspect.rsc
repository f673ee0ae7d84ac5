# tls-host, layer7-protocol and content (issue 19): each distinct value a
# bit of the connection's label, set by rosfw-inspect; the chains that
# queue undecided connections to it.
/ip firewall layer7-protocol
add name=ECH regexp="A\\x01\$"
add name=youtube regexp="^.+(youtube).*\$"
/ip firewall filter
add chain=forward action=accept connection-state=established,related
add chain=forward action=drop tls-host=*.blocked.example comment="block by SNI"
add chain=forward action=reject protocol=tcp dst-port=443 tls-host=!*.allowed.example
add chain=forward action=drop layer7-protocol=youtube
add chain=forward action=drop layer7-protocol=!ECH protocol=udp
add chain=input action=drop content=BitTorrent
add chain=forward action=drop content=BitTorrent
/ip firewall mangle
add chain=prerouting action=mark-connection new-connection-mark=yt passthrough=yes tls-host=*.youtube.com
/ipv6 firewall filter
add chain=forward action=drop tls-host=*.blocked.example
