#!/bin/bash
# The data plane (issue 18): what each forwarded packet pays for the rules
# it passes. A LAN namespace floods UDP (bench/udpflood.c) through a router
# namespace to a WAN namespace; the router holds, in turn:
#   none          no ruleset at all: the limit
#   conntrack     one table that only tracks connections (ct state
#                 established accept): what connection tracking costs
#   rosfw N       rosfw apply of N forward rules the flow does not match,
#                 then an accept (every packet walks all N)
#   naive N       the same N rules as hand-written nft, one kernel rule
#                 each and no counters: the rule-per-rule translation
#   export        a real export (DATAPLANE_EXPORT, default the corpus's
#                 mikrouter 6.48.4), its interfaces named as it names them
#   block 1       rosfw apply of one `src-address=X action=drop` the flow
#                 does not match, then an accept: the peer of
#   block N merged    N such rules, one address each: one run, one
#                 counter map lookup (compiler/merge.h), and
#   block N unmerged  the same with apply --merge=no: N kernel rules
#                 (DATAPLANE_BLOCK_SIZES, default "1000 10000"); these
#                 also print their ratio to "block 1" (the target: 10k
#                 merged within 1.5x of one rule's cost, i.e. a ratio of
#                 at least 0.667)
# Each case prints packets per second received and its ratio to "none",
# same run. DATAPLANE_SIZES (default "100 1000 10000"), DATAPLANE_COUNT
# packets per case (default 300000), best of DATAPLANE_RUNS (default 3).
# Runs only in namespaces of its own; needs root, ip and nft.
set -e
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
rosfw=$root/$build/rosfw
shared=${SHARED:-$root/../shared}
export_file=${DATAPLANE_EXPORT:-$shared/corpus/files/Defm__mikrobackups__rawconf_mikrouter_6.48.4.rsc}
count=${DATAPLANE_COUNT:-300000}
runs=${DATAPLANE_RUNS:-3}
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null || ! command -v nft >/dev/null; then
	echo "data plane bench needs root, ip and nft: skipped"
	exit 0
fi
. "$here/dpnet.sh"

# N forward rules the flow (192.168.88.2 -> 203.0.113.2:9000) does not
# match, then one that accepts it.
gen_rsc() {
	awk -v n="$1" 'BEGIN { print "/ip firewall filter"
		for (i = 0; i < n; i++)
			printf "add chain=forward action=drop protocol=udp src-address=10.%d.%d.%d dst-port=%d\n",
				int(i / 65536) % 256, int(i / 256) % 256, i % 256, 1 + i % 60000
		print "add chain=forward action=accept" }'
}
gen_nft() {
	awk -v n="$1" 'BEGIN { print "table ip naive {\n chain forward {\n  type filter hook forward priority 0; policy accept;"
		for (i = 0; i < n; i++)
			printf "  ip saddr 10.%d.%d.%d udp dport %d drop\n", int(i / 65536) % 256, int(i / 256) % 256, i % 256, 1 + i % 60000
		print "  accept\n }\n}" }'
}

printf '%-24s %12s %10s\n' case "packets/s" "vs none"
report() {
	awk -v c="$1" -v p="$2" -v b="$3" 'BEGIN { printf "%-24s %12d %9.3fx\n", c, p, (b > 0 ? p / b : 0) }'
}

clear_router
base=$(flood)
report none "$base" "$base"

printf 'table ip ctonly {\n chain forward {\n  type filter hook forward priority 0; policy accept;\n  ct state established accept\n }\n}\n' > "$tmp/ct.nft"
ip netns exec "$p-router" nft -f "$tmp/ct.nft"
report conntrack "$(flood)" "$base"
clear_router

for n in ${DATAPLANE_SIZES:-100 1000 10000}; do
	gen_rsc "$n" > "$tmp/r.rsc"
	ip netns exec "$p-router" "$rosfw" apply "$tmp/r.rsc" 2>/dev/null
	report "rosfw $n rules" "$(flood)" "$base"
	ip netns exec "$p-router" "$rosfw" flush
	clear_router
	gen_nft "$n" > "$tmp/n.nft"
	ip netns exec "$p-router" nft -f "$tmp/n.nft"
	report "naive $n rules" "$(flood)" "$base"
	clear_router
done

# N source addresses the flow does not have, dropped, then an accept.
gen_block() {
	awk -v n="$1" 'BEGIN { print "/ip firewall filter"
		for (i = 0; i < n; i++)
			printf "add chain=forward action=drop src-address=10.%d.%d.%d\n",
				int(i / 65536) % 256, int(i / 256) % 256, i % 256
		print "add chain=forward action=accept" }'
}
# The block cases take turns, one flood each per round, best of $runs
# rounds: what the machine does meanwhile weighs on them alike.
cases="1:merged"
for n in ${DATAPLANE_BLOCK_SIZES:-1000 10000}; do cases="$cases $n:merged $n:unmerged"; done
declare -A best rules
for c in $cases; do
	best[$c]=0
	gen_block "${c%%:*}" > "$tmp/b${c%%:*}.rsc"
done
for r in $(seq "$runs"); do
	for c in $cases; do
		opt=; [ "${c#*:}" = unmerged ] && opt=--merge=no
		# shellcheck disable=SC2086
		ip netns exec "$p-router" "$rosfw" apply $opt "$tmp/b${c%%:*}.rsc" 2>/dev/null
		rules[$c]=$(ip netns exec "$p-router" nft list chain ip rosfw filter_forward | grep -c 'counter name ')
		pps=$(runs=1 flood)
		[ "$pps" -gt "${best[$c]}" ] && best[$c]=$pps
		ip netns exec "$p-router" "$rosfw" flush 2> /dev/null
		clear_router
	done
done
one=${best[1:merged]}
report "block 1 rule" "$one" "$base"
for c in $cases; do
	[ "$c" = 1:merged ] && continue
	report "block ${c%%:*} ${c#*:}" "${best[$c]}" "$base"
	awk -v p="${best[$c]}" -v o="$one" -v k="${rules[$c]}" \
		'BEGIN { printf "%-24s %12s %9.3fx of block 1 rule (%d kernel rules)\n", "", "", (o > 0 ? p / o : 0), k }'
done

if [ -f "$export_file" ]; then
	if ip netns exec "$p-router" "$rosfw" apply --unsupported=skip-rule --missing-interfaces=warn "$export_file" 2>"$tmp/export.err"; then
		report "export $(basename "$export_file" .rsc | cut -c1-17)" "$(flood)" "$base"
	else
		echo "export: rosfw apply refused $(basename "$export_file"):"; grep -m3 error: "$tmp/export.err"
	fi
	ip netns exec "$p-router" "$rosfw" flush 2>/dev/null || true
fi
echo "every case forwards the same $count datagrams of one LAN host's 64 flows; best of $runs"
