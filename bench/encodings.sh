#!/bin/bash
# Kernel encodings rosfw chose or refused, measured on the data plane
# (issue 18; hand-written nft, the same flood as bench/dataplane.sh, the
# flow matching none of N rules, then an accept; modes take turns, best of
# DATAPLANE_RUNS rounds, ratios to no ruleset in the same run):
#   port N one      N rules `udp dport P`: a port matcher's floor
#   port N two      rosfw's port=P: `udp sport P`, then `udp dport P udp
#                   sport != P` (counted once): two kernel rules
#   port N concat   port=P as one rule: `udp sport . udp dport { P .
#                   0-65535, 0-65535 . P }`, a concatenated interval set
#                   (the kernel's pipapo): one kernel rule, refused if
#                   it costs more than two
#   list N one      N rules `ip saddr @al_I`: a list matcher without
#                   run-time entries
#   list N two      rosfw's src-address-list: then `ip saddr @ar_I ip
#                   saddr != @al_I` for `rosfw address-list add`'s entries
# ENCODINGS_SIZES (default "100 400").
set -e
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
count=${DATAPLANE_COUNT:-300000}
runs=${DATAPLANE_RUNS:-3}
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null || ! command -v nft >/dev/null; then
	echo "encodings bench needs root, ip and nft: skipped"
	exit 0
fi
. "$here/dpnet.sh"

gen() {
	awk -v n="$1" -v mode="$2" 'BEGIN {
		print "table ip enc {"
		if (mode ~ /^list/)
			for (i = 0; i < n; i++) {
				printf " set al_%d { type ipv4_addr; flags interval; elements = { 10.%d.0.0/16, 172.16.%d.0/24 } }\n", i, i % 256, i % 256
				printf " set ar_%d { type ipv4_addr; flags interval, timeout; }\n", i
			}
		print " chain forward {\n  type filter hook forward priority 0; policy accept;"
		for (i = 0; i < n; i++) {
			p = 1 + i
			if (mode == "port-one")
				printf "  meta l4proto udp udp dport %d counter drop\n", p
			else if (mode == "port-two") {
				printf "  meta l4proto udp udp sport %d counter drop\n", p
				printf "  meta l4proto udp udp dport %d udp sport != %d counter drop\n", p, p
			} else if (mode == "port-concat")
				printf "  meta l4proto udp udp sport . udp dport { %d . 0-65535, 0-65535 . %d } counter drop\n", p, p
			else {
				printf "  ip saddr @al_%d counter drop\n", i
				if (mode == "list-two")
					printf "  ip saddr @ar_%d ip saddr != @al_%d counter drop\n", i, i
			}
		}
		print "  accept\n }\n}" }'
}

printf '%-24s %12s %10s\n' case "packets/s" "vs none"
modes="port-one port-two port-concat list-one list-two"
declare -A best
for n in ${ENCODINGS_SIZES:-100 400}; do
	for m in $modes; do
		best[$m]=0
		gen "$n" "$m" > "$tmp/$m.nft"
	done
	clear_router
	base=$(flood)
	for r in $(seq "$runs"); do
		for m in $modes; do
			clear_router
			ip netns exec "$p-router" nft -f "$tmp/$m.nft"
			pps=$(runs=1 flood)
			[ "$pps" -gt "${best[$m]}" ] && best[$m]=$pps
		done
	done
	clear_router
	awk -v p="$base" 'BEGIN { printf "%-24s %12d %9.3fx\n", "none", p, 1 }'
	for m in $modes; do
		awk -v c="${m%%-*} $n ${m#*-}" -v p="${best[$m]}" -v b="$base" \
			'BEGIN { printf "%-24s %12d %9.3fx\n", c, p, (b > 0 ? p / b : 0) }'
	done
done
echo "every case forwards the same $count datagrams; best of $runs rounds, the modes taking turns"
