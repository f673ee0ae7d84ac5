#!/bin/bash
# bench/rosfwd.sh BUILD: one rosfwd sync (dump of the dynamic sets, merge
# with what it knew, state file compared or written) against a bare
# netlink dump of the same sets (bench/setdump.c: the floor), at N dynamic
# entries; rosfwd's memory per entry and its CPU at a 10 s interval.
# Sizes: BENCH_ROSFWD (default "10000 100000"). A dynamic set holds at
# most 65535 entries (lower.c), so N entries are spread over lists of
# 50000.
set -e
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ "$(id -u)" = 0 ] && command -v nft >/dev/null || { echo "rosfwd bench needs root and nft"; exit 0; }
cc -O2 -o "$tmp/measure" "$here/measure.c"
cc -O2 -o "$tmp/setdump" "$here/setdump.c" $(pkg-config --cflags --libs libmnl)
echo "rosfwd: one sync against a bare netlink dump of the same dynamic sets (the floor), same namespace and run"
printf '%-10s %9s | %9s %7s %7s | %9s %7s | %9s %7s | %7s %8s | %8s %8s\n' entries "dump ms" "poll ms" ratio best \
	"once ms" ratio "first ms" ratio "RSS MB" "B/entry" "file B/e" "cpu@10s"
prev_n=0 prev_rss=0
for n in ${BENCH_ROSFWD:-10000 100000}; do
	lists=$(( (n + 49999) / 50000 ))
	{
		echo "/ip firewall filter"
		for l in $(seq 0 $((lists - 1))); do
			echo "add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=l$l address-list-timeout=1h"
		done
	} > "$tmp/in.rsc"
	awk -v n="$n" 'BEGIN {
		for (i = 0; i < n; i++) {
			if (i % 1000 == 0) printf "%sadd element ip rosfw al_l%d { ", i ? "}\n" : "", int(i / 50000)
			else printf ", "
			printf "10.%d.%d.%d timeout 1h", int(i / 65536) % 256, int(i / 256) % 256, i % 256
		}
		print "}" }' > "$tmp/elems.nft"
	sets=$(seq -f 'al_l%g' 0 $((lists - 1)) | tr '\n' ' ')
	unshare -n bash -c '
		set -e
		"$1" apply "$2/in.rsc" 2> "$2/apply.err" || { cat "$2/apply.err" >&2; exit 1; }
		nft -f "$2/elems.nft"
		m=$2/measure
		rm -f "$2/floor"
		# the floor, five times a second apart as the daemon polls
		# (back to back it runs with warmer caches): the median
		for i in 1 2 3 4 5; do
			sleep 1
			"$2/setdump" ip $4 >> "$2/floor"
		done
		# first sync: nothing known, the file written
		"$m" "$3" --once --state "$2/st/state" 2> "$2/first"
		# steady state: the file up to date, compared, not written
		"$m" "$3" --once --state "$2/st/state" 2> "$2/sync"
		# the daemon at a 1 s interval for 10 s: each poll timed by
		# itself (--verbose), CPU per poll from /proc
		"$3" --verbose --interval 1 --state "$2/st/state" 2> "$2/polls" &
		pid=$!
		sleep 10.5
		read -r -a st < /proc/$pid/stat
		echo "${st[13]} ${st[14]} $(getconf CLK_TCK)" > "$2/cpu"
		kill -TERM $pid; wait $pid || true
		stat -c %s "$2/st/state" > "$2/size"
	' _ "$root/$build/rosfw" "$tmp" "$root/$build/rosfwd" "$sets"
	count=$(tail -1 "$tmp/floor" | awk '{ print $1 }')
	[ "$count" = "$n" ] || { echo "expected $n entries, the kernel holds $count"; exit 1; }
	fw=$(awk '{ print $2 / 1000 }' "$tmp/floor" | sort -n | sed -n 3p)
	fb=$(awk '{ print $2 / 1000 }' "$tmp/floor" | sort -n | sed -n 1p)
	pb=$(grep 'poll:' "$tmp/polls" | sed '1d;$d' | awk '{ print $5 / 1000 }' | sort -n | sed -n 1p)
	# polls after the first, not the final save on SIGTERM
	pw=$(grep 'poll:' "$tmp/polls" | sed '1d;$d' | awk '{ print $5 / 1000 }' | sort -n |
		awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }')
	read -r sw _ _ srss src < <(tail -1 "$tmp/sync")
	read -r iw _ _ _ _ < <(tail -1 "$tmp/first")
	read -r ut stt hz < "$tmp/cpu"
	size=$(cat "$tmp/size")
	awk -v n="$n" -v fw="$fw" -v pw="$pw" -v fb="$fb" -v pb="$pb" -v sw="$sw" -v iw="$iw" -v rss="$srss" -v pn="$prev_n" -v prss="$prev_rss" \
		-v size="$size" -v ut="$ut" -v st="$stt" -v hz="$hz" 'BEGIN {
		bpe = pn ? (rss - prss) * 1024 / (n - pn) : 0
		# CPU of 1 initial sync plus ~10 polls at 1 s, per poll, over 10 s
		cpu = (ut + st) / hz / 11 / 10 * 100
		printf "%-10d %9.1f | %9.1f %6.2fx %6.2fx | %9.1f %6.2fx | %9.1f %6.2fx | %7.1f %8s | %8.1f %7.2f%%\n", n, fw * 1000,
			pw * 1000, pw / fw, pb / fb, sw * 1000, sw / fw, iw * 1000, iw / fw, rss / 1024, pn ? sprintf("%.0f", bpe) : "-",
			size / n, cpu }'
	prev_n=$n prev_rss=$srss
done
echo "dump: bench/setdump, timed inside, median of 5 a second apart. poll: one poll of the running daemon (dump, merge, compare with the"
echo "file's content), median; best: the fastest poll against the fastest dump (both vary by 20-40% run to run). once: rosfwd --once with an up-to-date file (start, read the file, dump, merge);"
echo "first: --once without a file (dump, write). B/entry: RSS growth per entry between sizes (rosfwd --once)."
echo "cpu@10s: CPU of one poll over a 10 s interval."
echo "targets: sync within 1.2x of the dump, under 5% of a core at 10 s with 100k entries"

# The floor itself: a dump restarts its walk for every message, so it
# costs O(n^2/chunk) per set; the same entries in more, smaller sets
# (more lists, or a layout that splits one) cost less to read.
echo
echo "the floor by set size: the same entries in sets of S, bare dump (median of 3)"
printf '%-10s %10s %10s\n' entries "set size" "dump ms"
n=${BENCH_ROSFWD_SPLIT:-100000}
for size in 50000 10000 2000; do
	lists=$(( (n + size - 1) / size ))
	{
		echo "/ip firewall filter"
		for l in $(seq 0 $((lists - 1))); do
			echo "add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=l$l address-list-timeout=1h"
		done
	} > "$tmp/in.rsc"
	awk -v n="$n" -v size="$size" 'BEGIN {
		for (i = 0; i < n; i++) {
			if (i % 1000 == 0) printf "%sadd element ip rosfw al_l%d { ", i ? "}\n" : "", int(i / size)
			else printf ", "
			printf "10.%d.%d.%d timeout 1h", int(i / 65536) % 256, int(i / 256) % 256, i % 256
		}
		print "}" }' > "$tmp/elems.nft"
	sets=$(seq -f 'al_l%g' 0 $((lists - 1)) | tr '\n' ' ')
	unshare -n bash -c '
		set -e
		"$1" apply "$2/in.rsc" 2> "$2/apply.err" || { cat "$2/apply.err" >&2; exit 1; }
		nft -f "$2/elems.nft"
		for i in 1 2 3; do "$2/setdump" ip $3; done > "$2/split"
	' _ "$root/$build/rosfw" "$tmp" "$sets"
	ms=$(awk '{ print $2 }' "$tmp/split" | sort -n | sed -n 2p)
	printf '%-10d %10d %10.1f\n' "$n" "$size" "$ms"
done
