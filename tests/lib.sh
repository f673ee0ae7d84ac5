# Shared by the test scripts: counters and the location of ../shared.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case "$ROOT" in */tests) ROOT=$(dirname "$ROOT") ;; esac
SHARED=${ROSFW_SHARED:-$(cd "$ROOT/.." && pwd)/shared}
PASS=0
FAIL=0
FAILED=""

pass() { PASS=$((PASS + 1)); [ -n "$VERBOSE" ] && echo "ok   $1"; return 0; }
fail() { FAIL=$((FAIL + 1)); FAILED="$FAILED\n  $1"; echo "FAIL $1" >&2; return 0; }

# The plain closing line CI reads.
summary() {
	[ "$FAIL" -gt 0 ] && printf "failed:$FAILED\n" >&2
	echo "$1: $PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}
