#!/bin/bash
# bench/compare.sh BEFORE AFTER: the paths of make bench that read the
# kernel, for two builds (directories holding rosfw and rosfwd) in the same
# run, alternating, so that the machine's load weighs on both alike: print
# stats over 10k rules, print address-list over 100k timed entries (their
# outputs compared, times left aside), re-apply of 10k and 50k rules, one
# rosfwd poll over 100k dynamic entries against bench/setdump.c's bare
# dump, address-list add and remove beside 1M prefixes (ADD_N). Best of
# RUNS (default 5); WHAT picks among "stats addrlist reapply rosfwd add".
# As root, with nft (the dynamic entries are loaded with it).
set -e
[ $# = 2 ] || { echo "usage: bench/compare.sh BEFORE_DIR AFTER_DIR" >&2; exit 2; }
A=$(cd "$1" && pwd) B=$(cd "$2" && pwd)
RUNS=${RUNS:-5}
bench=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/measure" "$bench/measure.c"
cc -O2 -o "$tmp/setdump" "$bench/setdump.c" $(pkg-config --cflags --libs libmnl)
best() { sort -g | head -1; }
med() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

what=${WHAT:-stats addrlist reapply rosfwd add}

if [[ " $what " == *" stats "* || " $what " == *" addrlist "* ]]; then
sh "$bench/gen.sh" rules 10000 rsc > "$tmp/pr.rsc"
awk -v n=100000 'BEGIN { print "/ip firewall address-list"
	for (i = 0; i < n; i++) printf "add list=seen%d address=10.%d.%d.%d timeout=1h\n", int(i / 50000), int(i / 65536) % 256, int(i / 256) % 256, i % 256
	print "/ip firewall filter"
	for (l = 0; l * 50000 < n; l++) printf "add chain=input src-address-list=seen%d action=drop\n", l }' > "$tmp/pa.rsc"
for spec in stats:pr.rsc address-list:pa.rsc; do
	w=${spec%%:*} f=$tmp/${spec#*:}
	[[ " $what " == *" ${w/address-list/addrlist} "* ]] || continue
	unshare -n bash -c '
		"$1/rosfw" apply "$3" 2>/dev/null || exit 1
		for i in $(seq "$5"); do
			echo "A $("$6" "$1/rosfw" print "$4" "$3" 2>&1 >/dev/null | tail -1)"
			echo "B $("$6" "$2/rosfw" print "$4" "$3" 2>&1 >/dev/null | tail -1)"
		done
		"$1/rosfw" print "$4" "$3" > "$7.A" 2>&1; "$2/rosfw" print "$4" "$3" > "$7.B" 2>&1
	' _ "$A" "$B" "$f" "$w" "$RUNS" "$tmp/measure" "$tmp/out" > "$tmp/m"
	cmp -s <(awk '{$NF=""; print}' "$tmp/out.A") <(awk '{$NF=""; print}' "$tmp/out.B") && same=same || same=DIFFERENT
	printf 'print %-14s before %s s  after %s s  (best of %s; output %s)\n' "$w" \
		"$(sed -n 's/^A //p' "$tmp/m" | awk '{print $1}' | best)" "$(sed -n 's/^B //p' "$tmp/m" | awk '{print $1}' | best)" "$RUNS" "$same"
done
fi

if [[ " $what " == *" reapply "* ]]; then
for n in 10000 50000; do
	sh "$bench/gen.sh" rules $n rsc > "$tmp/in.rsc"
	: > "$tmp/ra"; : > "$tmp/rb"
	for i in $(seq "$RUNS"); do
		for x in A B; do
			[ $x = A ] && d=$A || d=$B
			unshare -n sh -c '"$1" apply "$2" 2>/dev/null && "$3" "$1" apply "$2" 2>&1 >/dev/null | tail -1' _ \
				"$d/rosfw" "$tmp/in.rsc" "$tmp/measure" | awk '{print $1}' >> "$tmp/r$(echo $x | tr AB ab)"
		done
	done
	printf 're-apply %-9s before %s s  after %s s  (best of %s)\n' "$n" "$(best < "$tmp/ra")" "$(best < "$tmp/rb")" "$RUNS"
done
fi

if [[ " $what " == *" rosfwd "* ]]; then
n=100000 lists=2
{ echo "/ip firewall filter"
  for l in 0 1; do echo "add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=l$l address-list-timeout=1h"; done
} > "$tmp/in.rsc"
awk -v n="$n" 'BEGIN {
	for (i = 0; i < n; i++) {
		if (i % 1000 == 0) printf "%sadd element ip rosfw al_l%d { ", i ? "}\n" : "", int(i / 50000)
		else printf ", "
		printf "10.%d.%d.%d timeout 1h", int(i / 65536) % 256, int(i / 256) % 256, i % 256
	}
	print "}" }' > "$tmp/elems.nft"
unshare -n bash -c '
	set -e
	"$1/rosfw" apply "$3/in.rsc" 2>/dev/null
	nft -f "$3/elems.nft"
	for i in $(seq "$4"); do
		"$3/setdump" ip al_l0 al_l1 | awk "{print \"F \" \$2}"
		for x in A B; do
			[ $x = A ] && d=$1 || d=$2
			rm -rf "$3/st.$x"
			"$3/measure" "$d/rosfwd" --once --state "$3/st.$x/state" 2>/dev/null || true
			"$3/measure" "$d/rosfwd" --once --state "$3/st.$x/state" 2>&1 | tail -1 | awk -v x=$x "{print \"O\" x \" \" \$1 * 1000}"
			"$d/rosfwd" --verbose --interval 1 --state "$3/st.$x/state" 2> "$3/polls.$x" &
			pid=$!
			sleep 4.5
			kill -TERM $pid; wait $pid || true
			grep "poll:" "$3/polls.$x" | sed "1d;\$d" | awk -v x=$x "{print \"P\" x \" \" \$9}"
		done
	done
' _ "$A" "$B" "$tmp" "$RUNS" > "$tmp/m"
printf 'rosfwd 100k  floor(dump) best %s ms | poll best before %s ms after %s ms, median before %s after %s | --once best before %s ms after %s ms\n' \
	"$(sed -n 's/^F //p' "$tmp/m" | best)" \
	"$(sed -n 's/^PA //p' "$tmp/m" | best)" "$(sed -n 's/^PB //p' "$tmp/m" | best)" \
	"$(sed -n 's/^PA //p' "$tmp/m" | med)" "$(sed -n 's/^PB //p' "$tmp/m" | med)" \
	"$(sed -n 's/^OA //p' "$tmp/m" | best)" "$(sed -n 's/^OB //p' "$tmp/m" | best)"
fi

if [[ " $what " == *" add "* ]]; then
n=${ADD_N:-1000000}
sh "$bench/gen.sh" addrlist "$n" rsc > "$tmp/in.rsc"
unshare -n bash -c '
	set -e
	"$1/rosfw" apply "$3/in.rsc" 2>/dev/null
	for i in $(seq "$4"); do
		for x in A B; do
			[ $x = A ] && d=$1 || d=$2
			[ $x = A ] && k=$((i * 2)) || k=$((i * 2 + 1))
			"$3/measure" "$d/rosfw" address-list add list=blocklist address=230.0.$k.0/24 2>&1 | tail -1 | awk -v x=$x "{print \"A\" x \" \" \$1 * 1000}"
			"$3/measure" "$d/rosfw" address-list remove list=blocklist address=230.0.$k.0/24 2>&1 | tail -1 | awk -v x=$x "{print \"R\" x \" \" \$1 * 1000}"
		done
	done
' _ "$A" "$B" "$tmp" "$RUNS" > "$tmp/m"
printf 'address-list beside %s prefixes: add best before %s ms after %s ms | remove best before %s ms after %s ms\n' "$n" \
	"$(sed -n 's/^AA //p' "$tmp/m" | best)" "$(sed -n 's/^AB //p' "$tmp/m" | best)" \
	"$(sed -n 's/^RA //p' "$tmp/m" | best)" "$(sed -n 's/^RB //p' "$tmp/m" | best)"
fi
