# rosfw print connection: connection marks by name (tests/print/record.sh).
/ip firewall mangle
add chain=output protocol=udp dst-port=9 connection-state=new action=mark-connection new-connection-mark=voice comment="voice"
add chain=output protocol=udp dst-port=8 connection-state=new action=mark-connection new-connection-mark=bulk-data
/ip firewall filter
add chain=input connection-mark=voice action=accept
add chain=input connection-mark=bulk-data action=accept
