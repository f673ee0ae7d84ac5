# Policy routing (issue 17): a dual-WAN recipe in v6 words and a v7 table
# with its rules. compile prints the ip rules and routes apply makes
# through rtnetlink, after the nft script.
/ip firewall mangle
add chain=prerouting in-interface=ether2 connection-mark=no-mark src-address=192.168.88.0/25 \
    action=mark-connection new-connection-mark=isp1_conn
add chain=prerouting in-interface=ether2 connection-mark=no-mark src-address=192.168.88.128/25 \
    action=mark-connection new-connection-mark=isp2_conn
add chain=prerouting in-interface=ether2 connection-mark=isp1_conn action=mark-routing new-routing-mark=to_isp1
add chain=prerouting in-interface=ether2 connection-mark=isp2_conn action=mark-routing new-routing-mark=to_isp2
/ip route
add gateway=10.1.0.1 routing-mark=to_isp1 distance=1
add gateway=10.2.0.1 routing-mark=to_isp1 distance=2
add gateway=10.2.0.1%ether3 routing-mark=to_isp2 distance=1
add gateway=10.1.0.1 routing-mark=to_isp2 distance=2
add blackhole dst-address=10.255.0.0/16 routing-mark=to_isp2
/ip route rule
add dst-address=192.168.88.0/24 action=lookup table=main
add src-address=192.168.88.200/32 action=lookup-only-in-table table=to_isp2
/routing table
add name=guests fib
/routing rule
add src-address=fd00:99::/64 action=lookup table=guests
/ipv6 route
add dst-address=::/0 gateway=fd00:1::1 routing-table=guests
