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

# each_config ROSFW FN: FN NAME DIR FILE [OPTIONS...] for every example and
# the hostile strings (options from tests/golden/options), then for every
# corpus file `rosfw check` accepts (options from tests/corpus/compile-policy).
each_config() {
	local rosfw=$1 fn=$2 src name
	for src in "$ROOT"/examples/*.rsc "$ROOT"/tests/golden/hostile.rsc; do
		name=$(basename "$src")
		# shellcheck disable=SC2046
		"$fn" "$name" "$(dirname "$src")" "$name" $(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$ROOT/tests/golden/options")
	done
	[ -d "$SHARED/corpus/files" ] || return 0
	for src in "$SHARED"/corpus/files/*; do
		name=$(basename "$src")
		"$rosfw" check "$src" >/dev/null 2>&1 || continue
		# shellcheck disable=SC2046
		"$fn" "corpus $name" "$(dirname "$src")" "$name" \
			$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$ROOT/tests/corpus/compile-policy")
	done
}
