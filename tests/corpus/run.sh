#!/bin/bash
# Every file of ../shared/corpus/files and ../shared/corpus/incoming/files
# (no name is in both) through `rosfw check` (with the
# --unsupported policy compile-policy records for it): its exit code and
# diagnostics must equal tests/corpus/expected/NAME.out (why each file has
# its outcome: tests/corpus/OUTCOMES.md). Clean files must also round-trip
# through `rosfw dump`. UPDATE=1 rewrites the expectations.
# tests/corpus/verbose: verbose exports must check clean and dump as their
# twin without the !name words does.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
exp="$ROOT/tests/corpus/expected"
[ -d "$SHARED/corpus/files" ] || { echo "corpus: $SHARED/corpus/files not found (set ROSFW_SHARED)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
policy="$ROOT/tests/corpus/compile-policy"
for dir in "$SHARED/corpus/files" "$SHARED/corpus/incoming/files"; do
[ -d "$dir" ] || { fail "corpus: $dir not found"; continue; }
# Diagnostics name the file as given: relative, as the expectations hold.
cd "$dir"
for f in *; do
	# What rosfw cannot express is an error by default; the policy skips
	# it for files that have it, so their other diagnostics and the dump
	# round trip are still held.
	opts=$(awk -F'\t' -v n="$f" '$1 == n { print $2 }' "$policy")
	# shellcheck disable=SC2086
	got=$( (timeout 20 "$rosfw" check $opts "$f" 2>&1; echo "exit $?") )
	if [ -n "$UPDATE" ]; then
		printf '%s\n' "$got" > "$exp/$f.out"
	fi
	if [ ! -f "$exp/$f.out" ]; then
		fail "corpus $f: no expectation"
		continue
	fi
	if [ "$got" == "$(cat "$exp/$f.out")" ]; then
		pass "corpus check $f"
	else
		fail "corpus check $f"
		diff <(printf '%s\n' "$got") "$exp/$f.out" | head -10 >&2
	fi
	case "$got" in *"exit 0") ;; *) continue ;; esac
	# dump of dump equals dump
	if "$rosfw" dump "$f" > "$tmp/a.rsc" 2>/dev/null && "$rosfw" dump "$tmp/a.rsc" > "$tmp/b.rsc" 2>/dev/null &&
	   cmp -s "$tmp/a.rsc" "$tmp/b.rsc"; then
		pass "corpus dump $f"
	else
		fail "corpus dump round trip $f"
	fi
done
done
# A verbose export (/export verbose) writes !name for every property an
# item lacks: it must check clean and dump as its plain twin does.
cd "$ROOT/tests/corpus/verbose"
for f in *.rsc; do
	case "$f" in *.plain.rsc) continue ;; esac
	plain=${f%.rsc}.plain.rsc
	if "$rosfw" check "$f" > /dev/null 2> "$tmp/err" && "$rosfw" dump "$f" > "$tmp/a.rsc" 2>/dev/null &&
	   "$rosfw" dump "$plain" > "$tmp/b.rsc" 2>/dev/null && cmp -s "$tmp/a.rsc" "$tmp/b.rsc" &&
	   ! grep -q ' ![a-z]' "$plain"; then
		pass "verbose export $f dumps as $plain"
	else
		fail "verbose export $f"
		head -5 "$tmp/err" >&2
	fi
done
cd "$ROOT/examples"
for f in *.rsc; do
	opts=$(awk -F'\t' -v n="$f" '$1 == n { print $2 }' "$ROOT/tests/golden/options")
	# shellcheck disable=SC2086
	if "$rosfw" check $opts "$f" >/dev/null 2>"$tmp/err" && "$rosfw" dump "$f" > "$tmp/a.rsc" 2>/dev/null &&
	   "$rosfw" dump "$tmp/a.rsc" > "$tmp/b.rsc" 2>/dev/null && cmp -s "$tmp/a.rsc" "$tmp/b.rsc"; then
		pass "example $f"
	else
		fail "example $f"
		head -20 "$tmp/err" >&2
	fi
done
summary "corpus"
