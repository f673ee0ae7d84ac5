# Service ports (reference 004): FTP and TFTP through a masquerading router
# whose forward chain lets in only what is established or related. The FTP
# data connection (active mode: the server connects back to the port the
# client announced with PORT) and the TFTP answer (from another port of the
# server) come in only as the helpers' expected, related connections;
# behind NAT the FTP helper also rewrites the PORT line. RouterOS has the
# helpers on by default; Linux assigns none by itself.
/ip firewall filter
add chain=forward connection-state=established,related action=accept comment="established, related"
add chain=forward connection-state=invalid action=drop
add chain=forward in-interface=ether2 action=accept comment="LAN out"
add chain=forward action=drop comment="nothing else in"
/ip firewall nat
add chain=srcnat out-interface=ether1 action=masquerade
