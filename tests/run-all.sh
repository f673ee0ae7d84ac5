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
	local name=$1 rc lines p f
	echo "== $name"
	shift
	"$@" > "$log" 2>&1
	rc=$?
	grep -v '^ok ' "$log"
	# Every suite ends with "NAME: N passed, N failed"; a target may run
	# several suites, and all of them count.
	lines=$(grep -E '^[a-z() /-]+: [0-9]+ passed, [0-9]+ failed$' "$log")
	p=$(echo "$lines" | sed -nE 's/.*: ([0-9]+) passed.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
	f=$(echo "$lines" | sed -nE 's/.* ([0-9]+) failed$/\1/p' | awk '{ s += $1 } END { print s + 0 }')
	if [ -z "$lines" ] || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then
		f=$((f + 1))
		echo "FAIL $name: exit $rc without a failing result line" >&2
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}
run unit make --no-print-directory -s unit
run corpus make --no-print-directory -s corpus
run golden make --no-print-directory -s golden
run kernel make --no-print-directory -s kernel
run apply make --no-print-directory -s apply-test
run print make --no-print-directory -s print-test
run cli make --no-print-directory -s cli-test
run behaviour make --no-print-directory -s behaviour
run corpus-compile make --no-print-directory -s corpus-compile
run fuzz make --no-print-directory -s fuzz-smoke
FUZZ_SECONDS=10 run fuzz-helpers make --no-print-directory -s fuzz-helpers
run asan make --no-print-directory -s BUILD=build/asan SAN=1 unit
run asan-corpus make --no-print-directory -s BUILD=build/asan SAN=1 corpus
run asan-golden make --no-print-directory -s BUILD=build/asan SAN=1 golden
run asan-apply make --no-print-directory -s BUILD=build/asan SAN=1 apply-test
run asan-print make --no-print-directory -s BUILD=build/asan SAN=1 print-test
run asan-cli make --no-print-directory -s BUILD=build/asan SAN=1 cli-test
echo
echo "all: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
