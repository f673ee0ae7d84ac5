#!/bin/bash
# make bench: parse+model (rosfw check) against the peer, nft -c -f of the
# same data as nft text (nft parsing and evaluating it, no kernel commit), in
# the same run. Sizes: BENCH_SIZES (default "10000 100000 1000000").
set -e
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/measure" "$here/measure.c"
sizes=${BENCH_SIZES:-10000 100000 1000000}
printf '%-26s %9s %8s %8s %9s | %9s %9s | %7s %7s\n' case "rosfw s" user sys "RSS MB" "nft s" "RSS MB" time mem
for kind in addrlist rules; do
	for n in $sizes; do
		sh "$here/gen.sh" $kind $n rsc > "$tmp/in.rsc"
		sh "$here/gen.sh" $kind $n nft > "$tmp/in.nft"
		"$tmp/measure" "$root/$build/rosfw" check "$tmp/in.rsc" 2> "$tmp/r" >/dev/null
		read -r rw ru rs rm rc < <(tail -1 "$tmp/r")
		[ "$rc" = 0 ] || { echo "rosfw check failed on $kind $n:"; head -5 "$tmp/r"; exit 1; }
		if command -v nft >/dev/null && [ "$(id -u)" = 0 ]; then
			"$tmp/measure" unshare -n nft -c -f "$tmp/in.nft" 2> "$tmp/p" >/dev/null
			read -r pw pu ps pm prc < <(tail -1 "$tmp/p")
		else
			pw=nan pm=0
		fi
		awk -v k="$kind $n lines" -v rw=$rw -v ru=$ru -v rs=$rs -v rm=$rm -v pw=$pw -v pm=$pm 'BEGIN {
			printf "%-26s %9.3f %8.3f %8.3f %9.1f | %9.3f %9.1f | %6.3fx %6.3fx\n",
				k, rw, ru, rs, rm / 1024, pw, pm / 1024, (pw > 0 ? rw / pw : 0), (pm > 0 ? rm / pm : 0) }'
	done
done
echo "ratios are rosfw / nft (lower is better); targets: 1M address-list lines under 1 s and 300 MB"
echo
echo "compile: rosfw compile against nft -f of its output (load into a fresh namespace), same run"
printf '%-26s %9s %8s %8s %9s | %9s %8s %9s | %7s\n' case "compile s" user sys "RSS MB" "nft -f s" sys "RSS MB" ratio
for spec in ${BENCH_COMPILE:-rules:10000 rules:100000 addrlist:1000000}; do
	kind=${spec%%:*} n=${spec#*:}
	sh "$here/gen.sh" $kind $n rsc > "$tmp/in.rsc"
	"$tmp/measure" "$root/$build/rosfw" compile "$tmp/in.rsc" -o "$tmp/out.nft" 2> "$tmp/r"
	read -r rw ru rs rm rc < <(tail -1 "$tmp/r")
	[ "$rc" = 0 ] || { echo "rosfw compile failed on $kind $n"; exit 1; }
	if [ "$(id -u)" = 0 ] && command -v nft >/dev/null; then
		"$tmp/measure" unshare -n nft -f "$tmp/out.nft" 2> "$tmp/p"
		read -r pw pu ps pm prc < <(tail -1 "$tmp/p")
	else
		pw=nan ps=0 pm=0
	fi
	awk -v k="$kind $n" -v rw=$rw -v ru=$ru -v rs=$rs -v rm=$rm -v pw=$pw -v ps=$ps -v pm=$pm 'BEGIN {
		printf "%-26s %9.3f %8.3f %8.3f %9.1f | %9.3f %8.3f %9.1f | %6.3fx\n",
			k, rw, ru, rs, rm / 1024, pw, ps, pm / 1024, (pw > 0 ? rw / pw : 0) }'
done

echo
echo "apply: rosfw apply (netlink) against nft -f of rosfw's own text, each into a fresh namespace, same run (best of ${BENCH_RUNS:-3})"
printf '%-26s %9s %8s %8s %9s | %9s %8s %8s %9s | %7s %7s\n' case "apply s" user sys "RSS MB" "nft -f s" user sys "RSS MB" time mem
for spec in ${BENCH_APPLY:-rules:10000 rules:50000 addrlist:100000 addrlist:1000000}; do
	kind=${spec%%:*} n=${spec#*:}
	[ "$(id -u)" = 0 ] && command -v nft >/dev/null || { echo "apply bench needs root and nft"; break; }
	sh "$here/gen.sh" $kind $n rsc > "$tmp/in.rsc"
	"$root/$build/rosfw" compile "$tmp/in.rsc" -o "$tmp/out.nft"
	# The machine's other load only adds time: the fastest of BENCH_RUNS
	# runs (3) of each, alternating, is the one compared.
	: > "$tmp/rr"; : > "$tmp/pp"
	for _ in $(seq "${BENCH_RUNS:-3}"); do
		"$tmp/measure" unshare -n "$root/$build/rosfw" apply "$tmp/in.rsc" 2> "$tmp/r" >/dev/null
		tail -1 "$tmp/r" >> "$tmp/rr"
		"$tmp/measure" unshare -n nft -f "$tmp/out.nft" 2> "$tmp/p"
		tail -1 "$tmp/p" >> "$tmp/pp"
	done
	read -r rw ru rs rm rc < <(sort -g "$tmp/rr" | head -1)
	[ "$rc" = 0 ] || { echo "rosfw apply failed on $kind $n"; head -3 "$tmp/r"; exit 1; }
	read -r pw pu ps pm prc < <(sort -g "$tmp/pp" | head -1)
	awk -v k="$kind $n" -v rw=$rw -v ru=$ru -v rs=$rs -v rm=$rm -v pw=$pw -v pu=$pu -v ps=$ps -v pm=$pm 'BEGIN {
		printf "%-26s %9.3f %8.3f %8.3f %9.1f | %9.3f %8.3f %8.3f %9.1f | %6.3fx %6.3fx\n",
			k, rw, ru, rs, rm / 1024, pw, pu, ps, pm / 1024, (pw > 0 ? rw / pw : 0), (pm > 0 ? rm / pm : 0) }'
done
echo "apply targets: at most 0.7x nft's time for rules, 0.6x for set entries; userspace under a quarter of rosfw's total"

echo
echo "re-apply: rosfw apply over its own tables (dynamic entries and counters read back and kept) against nft -f"
echo "of the same text over the same tables (which keeps nothing), same run (best of ${BENCH_RUNS:-3})"
printf '%-26s %9s %8s %8s %9s | %9s %8s %8s %9s | %7s\n' case "apply s" user sys "RSS MB" "nft -f s" user sys "RSS MB" time
for spec in ${BENCH_REAPPLY:-rules:10000 rules:50000}; do
	kind=${spec%%:*} n=${spec#*:}
	[ "$(id -u)" = 0 ] && command -v nft >/dev/null || { echo "re-apply bench needs root and nft"; break; }
	sh "$here/gen.sh" $kind $n rsc > "$tmp/in.rsc"
	"$root/$build/rosfw" compile "$tmp/in.rsc" -o "$tmp/out.nft"
	: > "$tmp/rr"; : > "$tmp/pp"
	for _ in $(seq "${BENCH_RUNS:-3}"); do
		unshare -n sh -c '"$1" apply "$2" 2>/dev/null && "$3" "$1" apply "$2" 2>&1 >/dev/null | tail -1' _ \
			"$root/$build/rosfw" "$tmp/in.rsc" "$tmp/measure" >> "$tmp/rr"
		unshare -n sh -c 'nft -f "$1" && "$2" nft -f "$1" 2>&1 | tail -1' _ "$tmp/out.nft" "$tmp/measure" >> "$tmp/pp"
	done
	read -r rw ru rs rm rc < <(sort -g "$tmp/rr" | head -1)
	[ "$rc" = 0 ] || { echo "rosfw re-apply failed on $kind $n"; exit 1; }
	read -r pw pu ps pm prc < <(sort -g "$tmp/pp" | head -1)
	awk -v k="$kind $n" -v rw=$rw -v ru=$ru -v rs=$rs -v rm=$rm -v pw=$pw -v pu=$pu -v ps=$ps -v pm=$pm 'BEGIN {
		printf "%-26s %9.3f %8.3f %8.3f %9.1f | %9.3f %8.3f %8.3f %9.1f | %6.3fx\n",
			k, rw, ru, rs, rm / 1024, pw, pu, ps, pm / 1024, (pw > 0 ? rw / pw : 0) }'
done
echo
echo "print: rosfw print over applied state against nft -j list ruleset of the same tables, same run (best of ${BENCH_RUNS:-3})"
printf '%-34s %9s %8s %8s | %9s %8s %8s | %7s\n' case "rosfw s" user sys "nft -j s" user sys time
if [ "$(id -u)" = 0 ] && command -v nft >/dev/null; then
	sh "$here/gen.sh" rules "${BENCH_PRINT_RULES:-10000}" rsc > "$tmp/pr.rsc"
	awk -v n="${BENCH_PRINT_ENTRIES:-100000}" 'BEGIN { print "/ip firewall address-list"
		# Dynamic sets hold 65535 entries: lists of 50k.
		for (i = 0; i < n; i++) printf "add list=seen%d address=10.%d.%d.%d timeout=1h\n", int(i / 50000), int(i / 65536) % 256, int(i / 256) % 256, i % 256
		print "/ip firewall filter"
		for (l = 0; l * 50000 < n; l++) printf "add chain=input src-address-list=seen%d action=drop\n", l }' > "$tmp/pa.rsc"
	for spec in "stats:$tmp/pr.rsc:print stats over ${BENCH_PRINT_RULES:-10000} rules" \
		"address-list:$tmp/pa.rsc:print address-list, ${BENCH_PRINT_ENTRIES:-100000} timed"; do
		what=${spec%%:*} rest=${spec#*:} file=${rest%%:*} label=${rest#*:}
		unshare -n sh -s "$root/$build/rosfw" "$file" "$what" "$tmp/measure" "${BENCH_RUNS:-3}" > "$tmp/pm" 2>&1 <<'SH'
rosfw=$1 file=$2 what=$3 measure=$4 runs=$5
"$rosfw" apply "$file" 2>/dev/null || exit 1
i=0
while [ $i -lt "$runs" ]; do
	echo "r $("$measure" "$rosfw" print "$what" "$file" 2>&1 >/dev/null | tail -1)"
	echo "p $("$measure" nft -j list ruleset 2>&1 >/dev/null | tail -1)"
	i=$((i + 1))
done
SH
		read -r rw ru rs rm rc < <(sed -n 's/^r //p' "$tmp/pm" | sort -g | head -1)
		read -r pw pu ps pm prc < <(sed -n 's/^p //p' "$tmp/pm" | sort -g | head -1)
		awk -v k="$label" -v rw=$rw -v ru=$ru -v rs=$rs -v pw=$pw -v pu=$pu -v ps=$ps 'BEGIN {
			printf "%-34s %9.3f %8.3f %8.3f | %9.3f %8.3f %8.3f | %6.3fx\n", k, rw, ru, rs, pw, pu, ps, (pw > 0 ? rw / pw : 0) }'
	done
	echo "print target: under 0.5x nft -j list ruleset"
else
	echo "print bench needs root and nft"
fi
echo
"$here/addrlist.sh" "$build"
echo
"$here/rosfwd.sh" "$build"
echo
"$here/incr.sh" "$build"
echo
echo "data plane: packets per second forwarded through the router namespace, against no ruleset (same run)"
"$here/dataplane.sh" "$build" 2>/dev/null | grep -v '^rosfw: note'
echo "data-plane target: the cost of a block of rules that differ in one value flat in its length (issue 18)"
echo
echo "kernel encodings: what rosfw's choice for port= and address lists costs a packet, against the alternatives"
"$here/encodings.sh" "$build" 2>/dev/null
echo
"$here/ruleratio.sh" "$build"
echo "rule target: no more kernel rules than RouterOS rules on a packet's path (issue 18)"
