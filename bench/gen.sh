#!/bin/sh
# gen.sh rules|addrlist N FORMAT: a RouterOS script (rsc) or the nft text
# that says the same thing (nft), for the peer.
kind=$1 n=$2 fmt=$3
awk -v kind="$kind" -v n="$n" -v fmt="$fmt" 'BEGIN {
	if (kind == "rules" && fmt == "rsc") {
		print "/ip firewall filter"
		for (i = 0; i < n; i++)
			printf "add action=accept chain=forward comment=\"rule %d\" dst-port=%d protocol=tcp src-address=10.%d.%d.%d\n",
				i, 1 + i % 65535, int(i / 65536) % 256, int(i / 256) % 256, i % 256
	} else if (kind == "rules") {
		print "table ip bench {\n chain forward {\n  type filter hook forward priority 0; policy accept;"
		for (i = 0; i < n; i++)
			printf "  ip saddr 10.%d.%d.%d tcp dport %d accept comment \"rule %d\"\n",
				int(i / 65536) % 256, int(i / 256) % 256, i % 256, 1 + i % 65535, i
		print " }\n}"
	} else if (fmt == "rsc") {
		print "/ip firewall address-list"
		for (i = 0; i < n; i++)
			printf "add address=%d.%d.%d.0/24 list=blocklist\n", 1 + int(i / 32768) % 223, int(i / 128) % 256, (2 * i) % 256
	} else {
		print "table ip bench {\n set blocklist {\n  type ipv4_addr; flags interval;\n  elements = {"
		for (i = 0; i < n; i++)
			printf "   %d.%d.%d.0/24,\n", 1 + int(i / 32768) % 223, int(i / 128) % 256, (2 * i) % 256
		print "  }\n }\n}"
	}
}'
