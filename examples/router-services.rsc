# router-services.rsc
#
# Source:  /work/shared/reference/000_d8725d1d6bf1288f.txt
#          RouterOS v7 manual, "Firewall" overview: the services section
#          (the default services and ports, "address ... List of IP/IPv6
#          prefixes from which the service is accessible", restrict Winbox
#          to a subnet, "We recommend disabling unused services"), in the
#          forms real exports write (../shared/corpus: `set telnet
#          disabled=yes`, `set ssh address=... port=...`, `disable` of a
#          name list, `[find]`).
#
# Changes needed to make the script run on a real router:
#   - The manual's `ip service set [find name~"winbox"] address=` lost its
#     prefix; documentation prefixes (RFC 5737, RFC 3849) are used.
#   - The manual has no firewall next to it; a small input chain that
#     accepts the management ports from anywhere is added, so the address
#     checks of the services are what keeps other sources out.

/ip firewall filter
add chain=input connection-state=established,related action=accept comment="accept established,related"
add chain=input protocol=tcp dst-port=22,443,8291,8728 action=accept comment="management ports: the services decide who"
add chain=input action=drop comment="drop everything else"

/ip service
disable telnet,ftp,www
set ssh address=192.0.2.0/24,198.51.100.7,2001:db8:10::/48
set [find name~"winbox"] address=192.0.2.0/24
set api address=192.0.2.0/25,192.0.2.128/25,192.0.2.7 port=8730
set www-ssl disabled=no address=0.0.0.0/0,2001:db8::/32 certificate=none
