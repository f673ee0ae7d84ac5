#!/bin/bash
# The README's test command runs this: every suite, then the sanitizer
# build of the unit and corpus suites, then one closing line.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
total_pass=0
total_fail=0
run() {
	echo "== $1"
	shift
	"$@" 2>&1 | tee -a "$log" | grep -v '^ok '
	local line
	line=$(grep -E '^[a-z() /-]+: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
	if [ -z "$line" ]; then
		total_fail=$((total_fail + 1))
		echo "FAIL $1: no result line" >&2
	else
		total_pass=$((total_pass + $(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')))
		total_fail=$((total_fail + $(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')))
	fi
	: > "$log"
}
run unit make --no-print-directory -s unit
run corpus make --no-print-directory -s corpus
run golden make --no-print-directory -s golden
run kernel make --no-print-directory -s kernel
run apply make --no-print-directory -s apply-test
run behaviour make --no-print-directory -s behaviour
run corpus-compile make --no-print-directory -s corpus-compile
run fuzz make --no-print-directory -s fuzz-smoke
run asan make --no-print-directory -s BUILD=build/asan SAN=1 unit
run asan-corpus make --no-print-directory -s BUILD=build/asan SAN=1 corpus
run asan-golden make --no-print-directory -s BUILD=build/asan SAN=1 golden
run asan-apply make --no-print-directory -s BUILD=build/asan SAN=1 apply-test
echo
echo "all: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
