#!/bin/bash
# Run each cmocka driver; counts are cmocka's own, a driver that dies before
# its summary counts as one failure.
. "$(dirname "$0")/lib.sh"
build=$1
shift
for t in "$@"; do
	name=$(basename "$t")
	out=$("$t" 2>&1)
	rc=$?
	p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p')
	f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p')
	PASS=$((PASS + ${p:-0}))
	FAIL=$((FAIL + ${f:-0}))
	if [ $rc -ne 0 ] && [ -z "$f" ]; then
		FAIL=$((FAIL + 1))
		f=1
	fi
	if [ "${f:-0}" -gt 0 ] || [ $rc -ne 0 ]; then
		echo "$out" | grep -E '^\[  (FAILED|ERROR) |error|ERROR|Sanitizer|runtime error' | head -30 >&2
		FAILED="$FAILED\n  $build/$name"
	fi
	echo "  $name: ${p:-0} passed, ${f:-0} failed"
done
summary "unit ($build)"
