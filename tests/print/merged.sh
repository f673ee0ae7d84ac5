#!/bin/bash
# print stats and a merged run (compiler/merge.h) against a live kernel:
# in a throwaway network namespace, apply tests/print/merged.rsc, whose
# rules 1-5 become one counter map lookup, send UDP to two of its ports,
# and check that print stats (and the Prometheus exposition) shows each
# on its own RouterOS rule; that a re-apply, apply --diff, a change of
# another rule of the run and apply --merge=no keep them where they are.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir="$ROOT/tests/print"
if [ -z "$ROSFW_PRINT_NS" ]; then
	if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! unshare -n true 2>/dev/null; then
		echo "print merged: no root, nft or unshare: skipped" >&2
		summary "print merged"
		exit $?
	fi
	exec unshare -n env ROSFW_PRINT_NS=1 bash "$0" "$@"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$dir" || exit 1
# apply records what it applied; print without FILE, and rosfwd's
# /metrics, read that record (lowered rule by rule, never merged).
export ROSFW_RECORD=$tmp/applied.rsc
ip link set lo up

check() {	# name, then a command that must succeed
	local n=$1
	shift
	if "$@"; then pass "$n"; else fail "$n"; fi
}
# rule N's "bytes packets" in print stats of FILE
row() {
	"$rosfw" print stats "$1" 2> /dev/null | awk -v n="$2" 'NR > 2 {
		num = substr($0, 1, 2); content = substr($0, 6)
		if (num ~ /[0-9]/) cur = num + 0
		if (content ~ /^;;; /) next
		if (cur == n) { split(content, f, " "); print substr($0, 4, 1) == " " ? "-" : substr($0, 4, 1), f[3], f[4]; exit }
	}'
}
send() {	# port, count
	local i
	for ((i = 0; i < $2; i++)); do echo x > "/dev/udp/127.0.0.1/$1"; done
}

check "apply merged.rsc" "$rosfw" apply merged.rsc
check "rules 1-5 are one counter map lookup" grep -q 'counter name udp dport map @cm_' <(nft list chain ip rosfw filter_input)
check "... and the chain has 3 rules" test "$(nft list chain ip rosfw filter_input | grep -c 'counter name ')" = 3
send 102 3
send 105 2
send 100 1
send 108 1
check "rule 0 (before the run) counts 1" test "$(row merged.rsc 0)" = "- 30 1"
check "rule 1 counts nothing" test "$(row merged.rsc 1)" = "- 0 0"
check "rule 2 counts the 3 packets to 102" test "$(row merged.rsc 2)" = "- 90 3"
check "disabled rule 3 shows X" test "$(row merged.rsc 3)" = "X 0 0"
check "rule 4 counts the 2 packets to 105" test "$(row merged.rsc 4)" = "- 60 2"
check "rule 5 counts nothing" test "$(row merged.rsc 5)" = "- 0 0"
check "rule 6 (after the run) counts the packet to 108" test "$(row merged.rsc 6)" = "- 30 1"
"$rosfw" print stats --prometheus merged.rsc > "$tmp/prom"
check "prometheus: rule 2's packets" grep -q '^rosfw_rule_packets_total{.*number="2".*} 3$' "$tmp/prom"
check "prometheus: rule 4's packets" grep -q '^rosfw_rule_packets_total{.*number="4".*} 2$' "$tmp/prom"
"$rosfw" print stats > "$tmp/rec" 2>&1
check "print stats from the record: rule 2's and rule 4's packets" \
	test "$(awk 'NR > 2 && substr($0, 1, 2) ~ /[24]/ { print $NF }' "$tmp/rec" | tr '\n' ' ')" = "3 2 "

"$rosfw" apply --diff merged.rsc > "$tmp/diff"
check "apply --diff of the same configuration: no change (exit 0)" test $? = 0
check "... and says so" test "$(cat "$tmp/diff")" = "no changes"
check "re-apply" "$rosfw" apply merged.rsc
send 102 1
check "re-apply keeps rule 2's counter" test "$(row merged.rsc 2)" = "- 120 4"
check "re-apply keeps rule 4's counter" test "$(row merged.rsc 4)" = "- 60 2"

# Another value of the run: rules 2 and 4 say what they said.
sed 's/dst-port=106,107/dst-port=106-107/' merged.rsc > "$tmp/changed.rsc"
"$rosfw" apply --diff "$tmp/changed.rsc" > "$tmp/diff"
check "apply --diff of a changed rule of the run: changes (exit 4)" test $? = 4
check "... rule 5's two ports are one range now, counting into its new counter" \
	grep -q '^    + 106-107 : "c_filter_' "$tmp/diff"
check "... and nothing else of the run changed" test "$(grep -c '^    [-+] ' "$tmp/diff")" = 3
check "apply the changed run" "$rosfw" apply "$tmp/changed.rsc"
check "rule 2 keeps its counter" test "$(row "$tmp/changed.rsc" 2)" = "- 120 4"
check "rule 4 keeps its counter" test "$(row "$tmp/changed.rsc" 4)" = "- 60 2"

# Unmerged, each rule counts into the same object as before.
check "apply --merge=no" "$rosfw" apply --merge=no "$tmp/changed.rsc"
check "... no counter map left" test -z "$(nft list ruleset | grep 'map @cm_')"
send 105 1
check "rule 2 keeps its counter" test "$(row "$tmp/changed.rsc" 2)" = "- 120 4"
check "rule 4 counts on" test "$(row "$tmp/changed.rsc" 4)" = "- 90 3"
summary "print merged"
