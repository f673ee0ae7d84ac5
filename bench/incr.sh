#!/bin/bash
# bench/incr.sh BUILD: a small change to a large configuration (issue 18,
# runtime/incr.h). Over BENCH_INCR_RULES (default 50000) rules applied with a
# record, one rule changed, one removed, one added at the end, one inserted
# first (every rule under it renumbered: not in the kernel, whose comments
# carry no numbers, so untouched), each applied by
#   - rosfw apply with its record: the small transaction. The whole command
#     (parse, lower, whole batch, scan, plan, send, record) and the kernel's
#     transaction alone (sendmsg to the last answer, ROSFW_TIMING);
#   - rosfw apply without a record (ROSFW_RECORD=): the full path over its
#     own tables, as before issue 18;
#   - nft -f of the whole configuration as nft text into a fresh namespace,
#     and nft add rule of one rule to its 50k-rule chain (nft's own small
#     change: the kernel's part of it is the floor, as the kernel rebuilds
#     a chain's rules whole at every commit that changes it),
# all in the same run, best of BENCH_RUNS (default 3). Then one entry of a
# BENCH_INCR_LIST (default 1000000) entry list changed: rosfw apply with its
# record (the set's elements compared one by one: one range deleted, one
# added), its kernel transaction alone, rosfw apply without a record (the
# full path), rosfw check of the file (the parse alone), nft -f of the list.
set -e
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
rosfw=$root/$build/rosfw
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! unshare -n true 2>/dev/null; then
	echo "small-change bench needs root, nft and unshare"
	exit 0
fi
cc -O2 -o "$tmp/measure" "$here/measure.c"
runs=${BENCH_RUNS:-3}
n=${BENCH_INCR_RULES:-50000}
list=${BENCH_INCR_LIST:-1000000}
export ROSFW_MISSING_INTERFACES=warn
best() { sort -g | head -1; }

sh "$here/gen.sh" rules "$n" rsc > "$tmp/in.rsc"
sh "$here/gen.sh" rules "$n" nft > "$tmp/in.nft"
mid=$((n / 2 + 2))	# a rule in the middle (line 1 is the menu)
sed "${mid}s/dst-port=[0-9]*/dst-port=7/" "$tmp/in.rsc" > "$tmp/changed.rsc"
sed "${mid}d" "$tmp/in.rsc" > "$tmp/removed.rsc"
{ cat "$tmp/in.rsc"; echo 'add action=drop chain=forward comment="added" protocol=udp dst-port=7'; } > "$tmp/added.rsc"
sed '1a add action=drop chain=forward comment="first" protocol=udp dst-port=7' "$tmp/in.rsc" > "$tmp/first.rsc"
sed "${mid}s/\$/ disabled=yes/" "$tmp/in.rsc" > "$tmp/disabled.rsc"

# one KIND: "whole transaction full" seconds, seconds, ms, seconds: the
# small change applied with the record, then without (each followed by
# the way back, not counted)
unshare -n bash -c '
	set -e
	rosfw=$1 tmp=$2 measure=$3 runs=$4
	mkdir -m 700 "$tmp/rec"
	export ROSFW_RECORD=$tmp/rec/applied.rsc
	"$rosfw" apply "$tmp/in.rsc" 2>/dev/null
	for kind in changed removed added first; do
		for i in $(seq "$runs"); do
			ROSFW_TIMING=1 "$measure" "$rosfw" apply "$tmp/$kind.rsc" > /dev/null 2> "$tmp/e"
			w=$(tail -1 "$tmp/e" | cut -d" " -f1)
			t=$(awk "/timing:.*small batch built/ { a = \$3 } /timing:.*small transaction sent/ { b = \$3 } END { if (b) print b - a; else print \"full\" }" "$tmp/e")
			m=$(awk "/timing:.*small batch built:/ { print \$8; exit }" "$tmp/e")
			"$rosfw" apply "$tmp/in.rsc" 2>/dev/null
			ROSFW_RECORD= "$measure" "$rosfw" apply "$tmp/$kind.rsc" > /dev/null 2> "$tmp/e"
			f=$(tail -1 "$tmp/e" | cut -d" " -f1)
			ROSFW_RECORD= "$rosfw" apply "$tmp/in.rsc" 2>/dev/null
			# the record is stale after the full path: made again
			"$rosfw" apply "$tmp/in.rsc" 2>/dev/null
			echo "$kind $w $t $f ${m:--}"
		done
	done
' _ "$rosfw" "$tmp" "$tmp/measure" "$runs" > "$tmp/small"
# nft: the whole text into a fresh namespace; one rule added to the chain
for i in $(seq "$runs"); do
	"$tmp/measure" unshare -n nft -f "$tmp/in.nft" 2>&1 >/dev/null | tail -1 | cut -d' ' -f1 >> "$tmp/nftf"
	unshare -n bash -c '
		nft -f "$1/in.nft"
		"$1/measure" nft add rule ip bench forward ip saddr 10.0.0.1 udp dport 7 accept 2>&1 | tail -1 | cut -d" " -f1
	' _ "$tmp" >> "$tmp/nftr"
done
nf=$(best < "$tmp/nftf")
nr=$(best < "$tmp/nftr")
echo "small change: one RouterOS rule of $n, rosfw apply with its record against the full path and nft, same run (best of $runs)"
printf '%-24s %11s %13s %5s | %11s | %11s %9s | %8s %8s\n' change "apply s" "kernel ms" "msgs" "full s" "nft -f s" "nft add" "vs full" "vs nft-f"
for kind in changed removed added first; do
	w=$(awk -v k=$kind '$1 == k { print $2 }' "$tmp/small" | best)
	t=$(awk -v k=$kind '$1 == k { print $3 }' "$tmp/small" | best)
	f=$(awk -v k=$kind '$1 == k { print $4 }' "$tmp/small" | best)
	m=$(awk -v k=$kind '$1 == k { print $5 }' "$tmp/small" | head -1)
	case $kind in
	changed) what="one changed (middle)" ;;
	removed) what="one removed (middle)" ;;
	added) what="one added (end)" ;;
	first) what="one inserted first" ;;
	esac
	awk -v k="$what" -v w="$w" -v t="$t" -v m="$m" -v f="$f" -v nf="$nf" -v nr="$nr" 'BEGIN {
		printf "%-24s %11.3f %13s %5s | %11.3f | %11.3f %9.3f | %7.3fx %7.3fx\n", k, w, t, m, f, nf, nr, w / f, w / nf }'
done
echo "kernel ms: the small transaction alone (sendmsg to the kernel's last answer; the kernel rebuilds the"
echo "changed chain's rules at the commit, so it grows with the chain: nft add rule pays the same). msgs: the rule"
echo "messages of the small transaction (kernel comments carry no rule numbers: a rule inserted first is one)"
echo "small-change target: one rule of 50k in under 50 ms, in one transaction that touches only what changed"

# The edit path (runtime/editpath.h): the same FILE path applied again, so
# the edit record of the last apply says what changed without a parse of
# the rest. One kind, each run followed by the way back (not counted).
unshare -n bash -c '
	set -e
	rosfw=$1 tmp=$2 measure=$3 runs=$4
	mkdir -m 700 "$tmp/rec3"
	export ROSFW_RECORD=$tmp/rec3/applied.rsc
	echo 1 > /proc/sys/net/ipv4/ip_forward	# else a warning: no edit record
	cp "$tmp/in.rsc" "$tmp/cur.rsc"
	"$rosfw" apply "$tmp/cur.rsc" 2>/dev/null
	for kind in changed disabled removed added; do
		for i in $(seq "$runs"); do
			cp "$tmp/$kind.rsc" "$tmp/cur.rsc"
			ROSFW_TIMING=1 "$measure" "$rosfw" apply "$tmp/cur.rsc" > /dev/null 2> "$tmp/e"
			w=$(tail -1 "$tmp/e" | cut -d" " -f1)
			t=$(awk "/timing:.*edit path: batch built/ { a = \$3 } /timing:.*edit path: transaction sent/ { b = \$3 } END { if (b) print b - a; else print \"-\" }" "$tmp/e")
			grep -q "edit path: .*records written" "$tmp/e" && p=edit || p=full
			echo "$kind $w $t $p"
			cp "$tmp/in.rsc" "$tmp/cur.rsc"
			"$rosfw" apply "$tmp/cur.rsc" 2>/dev/null
		done
	done
' _ "$rosfw" "$tmp" "$tmp/measure" "$runs" > "$tmp/edit"
echo
echo "the edit path: the same FILE applied again, one RouterOS rule of $n (best of $runs)"
printf '%-24s %11s %13s %6s | %9s %9s\n' change "apply s" "kernel ms" path "vs full" "vs nft add"
for kind in changed disabled removed added; do
	w=$(awk -v k=$kind '$1 == k { print $2 }' "$tmp/edit" | best)
	t=$(awk -v k=$kind '$1 == k && $3 != "-" { print $3 }' "$tmp/edit" | best)
	p=$(awk -v k=$kind '$1 == k { print $4 }' "$tmp/edit" | sort -u | tr '\n' ' ')
	f=$(awk -v k=$kind '$1 == k { print $4 }' "$tmp/small" | best)
	[ -n "$f" ] || f=$(awk '$1 == "changed" { print $4 }' "$tmp/small" | best)
	case $kind in
	changed) what="one changed (middle)" ;;
	disabled) what="one disabled (middle)" ;;
	removed) what="one removed (middle)" ;;
	added) what="one added (end)" ;;
	esac
	awk -v k="$what" -v w="$w" -v t="${t:--}" -v p="$p" -v f="$f" -v nr="$nr" 'BEGIN {
		printf "%-24s %11.3f %13s %6s | %8.3fx %8.3fx\n", k, w, t, p, w / f, w / nr }'
done
echo "path: edit, or full where the edit path cannot be sure (a rule added or removed renumbers every rule"
echo "under it while kernel comments carry #N: the full path, then the small transaction)"

echo
awk -v n="$list" 'BEGIN { print "/ip firewall address-list"
	for (i = 0; i < n; i++) printf "add address=%d.%d.%d.0/24 list=blocklist\n", 1 + int(i / 32768) % 223, int(i / 128) % 256, (2 * i) % 256
	print "/ip firewall filter\nadd chain=forward src-address-list=blocklist action=drop" }' > "$tmp/list.rsc"
sh "$here/gen.sh" addrlist "$list" nft > "$tmp/list.nft"
sed "$((list / 2 + 2))s/address=[0-9.]*/address=100.64.7.0/" "$tmp/list.rsc" > "$tmp/list2.rsc"
unshare -n bash -c '
	rosfw=$1 tmp=$2 measure=$3 runs=$4
	mkdir -m 700 "$tmp/rec2"
	export ROSFW_RECORD=$tmp/rec2/applied.rsc
	"$rosfw" apply "$tmp/list.rsc" 2>/dev/null || exit 1
	for i in $(seq "$runs"); do
		ROSFW_TIMING=1 "$measure" "$rosfw" apply "$tmp/list2.rsc" > /dev/null 2> "$tmp/e"
		echo "a $(tail -1 "$tmp/e" | cut -d" " -f1)"
		echo "k $(awk "/timing:.*small batch built/ { a = \$3 } /timing:.*small transaction sent/ { b = \$3 } END { if (b) print b - a; else print \"full\" }" "$tmp/e")"
		echo "s $(awk "/timing:.*parsed and lowered/ { a = \$3 } /timing:.*named sets fingerprinted/ { b = \$3 } END { print b - a }" "$tmp/e")"
		"$rosfw" apply "$tmp/list.rsc" 2>/dev/null
		echo "f $(ROSFW_RECORD= "$measure" "$rosfw" apply "$tmp/list2.rsc" 2>&1 >/dev/null | tail -1 | cut -d" " -f1)"
		ROSFW_RECORD= "$rosfw" apply "$tmp/list.rsc" 2>/dev/null
		"$rosfw" apply "$tmp/list.rsc" 2>/dev/null
		echo "c $("$measure" "$rosfw" check "$tmp/list2.rsc" 2>&1 >/dev/null | tail -1 | cut -d" " -f1)"
	done
' _ "$rosfw" "$tmp" "$tmp/measure" "$runs" > "$tmp/list"
for i in $(seq "$runs"); do
	echo "n $("$tmp/measure" unshare -n nft -f "$tmp/list.nft" 2>&1 >/dev/null | tail -1 | cut -d' ' -f1)" >> "$tmp/list"
done
printf 'one entry of a %s-entry list: rosfw apply %.3f s (kernel %s ms, sets fingerprinted %s ms), full path %.3f s, rosfw check %.3f s (the parse alone), nft -f %.3f s\n' \
	"$list" "$(sed -n 's/^a //p' "$tmp/list" | best)" "$(sed -n 's/^k //p' "$tmp/list" | best)" \
	"$(sed -n 's/^s //p' "$tmp/list" | best)" "$(sed -n 's/^f //p' "$tmp/list" | best)" \
	"$(sed -n 's/^c //p' "$tmp/list" | best)" "$(sed -n 's/^n //p' "$tmp/list" | best)"
echo "kernel ms: the DELSETELEM/NEWSETELEM transaction alone (the kernel's interval set work at the commit grows"
echo "with the set); the rest of the command is the parse and lowering of the list, its fingerprints, the records"
