# Shared by the test scripts: counters and the location of ../shared.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case "$ROOT" in */tests) ROOT=$(dirname "$ROOT") ;; esac
SHARED=${ROSFW_SHARED:-$(cd "$ROOT/.." && pwd)/shared}
# What apply records it applied (runtime/record.h) goes nowhere unless a
# test asks: a test's namespace ends with it, its record would stay behind.
export ROSFW_RECORD="${ROSFW_RECORD-}"
# apply refuses a configuration whose interfaces this machine lacks (issue
# 14); the suites apply examples and corpus files in bare namespaces to test
# other things, so they take the warnings. tests/apply/ifcheck.sh tests the
# refusal, and the behaviour harness, whose namespaces have the names, keeps
# it.
export ROSFW_MISSING_INTERFACES=warn
# rosfw-inspect's matchers (/run/rosfw/inspect.*.conf) go nowhere either: a test that
# wants them names the file.
export ROSFW_INSPECT_CONF="${ROSFW_INSPECT_CONF-}"
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

# until_in N COMMAND...: COMMAND succeeds within N tenths of a second (a
# bound, not a timing); wait_for COMMAND...: within 10 s.
until_in() {
	local i
	for i in $(seq "$1"); do
		"${@:2}" && return 0
		sleep 0.1
	done
	return 1
}
wait_for() { until_in 100 "$@"; }

# each_config ROSFW FN: FN NAME DIR FILE [OPTIONS...] for every example and
# the hostile strings (options from tests/golden/options), then for every
# corpus file (files/ and incoming/files/) `rosfw check` accepts with its
# options (from tests/corpus/compile-policy).
each_config() {
	local rosfw=$1 fn=$2 src name opts
	for src in "$ROOT"/examples/*.rsc "$ROOT"/tests/golden/*.rsc; do
		name=$(basename "$src")
		# shellcheck disable=SC2046
		"$fn" "$name" "$(dirname "$src")" "$name" $(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$ROOT/tests/golden/options")
	done
	[ -d "$SHARED/corpus/files" ] || return 0
	for src in "$SHARED"/corpus/files/* "$SHARED"/corpus/incoming/files/*; do
		[ -f "$src" ] || continue
		name=$(basename "$src")
		opts=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$ROOT/tests/corpus/compile-policy")
		# shellcheck disable=SC2086
		"$rosfw" check $opts "$src" >/dev/null 2>&1 || continue
		# shellcheck disable=SC2086
		"$fn" "corpus $name" "$(dirname "$src")" "$name" $opts
	done
}

# in_own_namespaces NAME FLAGS ARGS...: the calling test, run again in
# namespaces of its own (unshare FLAGS: -n, and -m where it bind-mounts
# files), so it cannot touch the host; skipped, exit 0, without root, nft
# or unshare. Inside, it returns at once.
in_own_namespaces() {
	local name=$1 flags=$2
	shift 2
	[ -n "$ROSFW_IN_NETNS" ] && return 0
	# shellcheck disable=SC2086
	if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! unshare $flags true 2>/dev/null; then
		echo "$name: needs root, nft and unshare: skipped" >&2
		summary "$name"
		exit 0
	fi
	# shellcheck disable=SC2086
	exec unshare $flags env ROSFW_IN_NETNS=1 bash "$0" "$@"
}
