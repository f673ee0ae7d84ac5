# connection-rate: the manual's "heavy connections" mark, on UDP from the LAN:
# a connection above 16 kbps is heavy, one at or below it light. Per port, so
# that each connection's mark tells which rule took it.
/ip firewall mangle
add chain=forward protocol=udp dst-port=5001 connection-rate=0-16k \
    action=mark-connection new-connection-mark=light5001
add chain=forward protocol=udp dst-port=5001 connection-rate=16k-4294967295 \
    action=mark-connection new-connection-mark=heavy5001
add chain=forward protocol=udp dst-port=5002 connection-rate=0-16k \
    action=mark-connection new-connection-mark=light5002
add chain=forward protocol=udp dst-port=5002 connection-rate=16k-4294967295 \
    action=mark-connection new-connection-mark=heavy5002
