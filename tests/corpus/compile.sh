#!/bin/bash
# Every corpus file (files/ and incoming/files/) that `rosfw check` accepts with the --unsupported policy
# recorded for it in compile-policy must compile with it, and its output
# must load with nft -f into a fresh network namespace (this kernel has no
# flowtables: FastTrack loads as its fallback; nor nft_queue: the inspecting
# rules load without their queue; tests/apply/netlink.sh holds the
# flowtable and the queue against nft's own bytes).
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
policy="$ROOT/tests/corpus/compile-policy"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
load=1
[ "$(id -u)" = 0 ] && command -v nft >/dev/null && unshare -n true 2>/dev/null || load=0
for dir in "$SHARED/corpus/files" "$SHARED/corpus/incoming/files"; do
cd "$dir" || { fail "corpus: $dir not found"; continue; }
for f in *; do
	opts=$(awk -F'\t' -v n="$f" '$1 == n { print $2 }' "$policy")
	# shellcheck disable=SC2086
	"$rosfw" check $opts "$f" >/dev/null 2>&1 || continue
	# shellcheck disable=SC2086
	if ! "$rosfw" compile $opts "$f" -o "$tmp/out.nft" 2> "$tmp/err"; then
		fail "corpus compile $f"
		grep -a ': error' "$tmp/err" | head -3 >&2
		continue
	fi
	pass "corpus compile $f"
	[ "$load" = 1 ] || continue
	# shellcheck disable=SC2086
	grep -q '^	flowtable ' "$tmp/out.nft" && "$rosfw" compile --fasttrack=fallback $opts "$f" -o "$tmp/out.nft" 2>/dev/null
	# Nor nft_queue: tls-host, layer7-protocol and content load without
	# the queue to rosfw-inspect (golden/run.sh holds that this is the
	# only difference).
	# shellcheck disable=SC2086
	grep -q ' queue num ' "$tmp/out.nft" && "$rosfw" compile --fasttrack=fallback --inspect=no-queue $opts "$f" -o "$tmp/out.nft" 2>/dev/null
	if unshare -n nft -f "$tmp/out.nft" 2> "$tmp/nerr"; then
		pass "corpus load $f"
	else
		fail "corpus load $f"
		head -5 "$tmp/nerr" >&2
	fi
done
done
summary "corpus compile"
