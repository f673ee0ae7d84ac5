#!/bin/bash
# Golden tests of rosfw compile: every examples/*.rsc (and the hostile
# strings and other inputs in tests/golden/*.rsc) must compile to exactly NAME.nft,
# twice the same, and load with nft -f into a fresh network namespace,
# where `nft list ruleset` must equal NAME.list. UPDATE=1 rewrites both
# (review the diff before committing).
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir="$ROOT/tests/golden"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
can_load=1
if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! unshare -n true 2>/dev/null; then
	echo "golden: no root, nft or unshare: kernel loads skipped" >&2
	can_load=0
fi
for src in "$ROOT"/examples/*.rsc "$dir"/*.rsc; do
	name=$(basename "$src")
	opts=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$dir/options")
	base="$dir/${name%.rsc}"
	# shellcheck disable=SC2086
	if ! (cd "$(dirname "$src")" && "$rosfw" compile $opts "$name") > "$tmp/a.nft" 2> "$tmp/err"; then
		fail "golden compile $name"
		head -5 "$tmp/err" >&2
		continue
	fi
	# shellcheck disable=SC2086
	(cd "$(dirname "$src")" && "$rosfw" compile $opts "$name") > "$tmp/b.nft" 2>/dev/null
	if cmp -s "$tmp/a.nft" "$tmp/b.nft"; then pass "golden deterministic $name"; else fail "golden deterministic $name"; fi
	[ -n "$UPDATE" ] && cp "$tmp/a.nft" "$base.nft"
	if cmp -s "$tmp/a.nft" "$base.nft"; then
		pass "golden text $name"
	else
		fail "golden text $name"
		diff "$base.nft" "$tmp/a.nft" | head -10 >&2
	fi
	[ "$can_load" = 1 ] || continue
	# This kernel has no flowtables: what loads is the fallback, which
	# must differ from the text above in the flowtable and its flow add
	# statements only (tests/apply/netlink.sh compares those with nft's).
	if grep -q '^	flowtable ' "$tmp/a.nft"; then
		# shellcheck disable=SC2086
		(cd "$(dirname "$src")" && "$rosfw" compile --fasttrack=fallback $opts "$name") > "$tmp/a.nft" 2>/dev/null
		if diff <(sed '/^	flowtable /,/^	}/d; s/ flow add @fasttrack//' "$base.nft") "$tmp/a.nft" > /dev/null; then
			pass "golden fallback $name differs by the flowtable alone"
		else
			fail "golden fallback $name"
		fi
	fi
	# Nor nft_queue: what loads is the ruleset without the queue to
	# rosfw-inspect, which must differ by the queue statements alone
	# (tests/apply/netlink.sh compares those with nft's).
	if grep -q ' queue num ' "$tmp/a.nft"; then
		# shellcheck disable=SC2086
		(cd "$(dirname "$src")" && "$rosfw" compile --inspect=no-queue --fasttrack=fallback $opts "$name") > "$tmp/c.nft" 2>/dev/null
		if diff <(sed 's/ queue num 19 bypass//' "$tmp/a.nft") "$tmp/c.nft" > /dev/null; then
			pass "golden no-queue $name differs by the queue alone"
		else
			fail "golden no-queue $name"
		fi
		mv "$tmp/c.nft" "$tmp/a.nft"
	fi
	if unshare -n sh -c "nft -f '$tmp/a.nft' && nft list ruleset" > "$tmp/list" 2> "$tmp/nerr"; then
		[ -n "$UPDATE" ] && cp "$tmp/list" "$base.list"
		if cmp -s "$tmp/list" "$base.list"; then
			pass "golden load $name"
		else
			fail "golden listing $name"
			diff "$base.list" "$tmp/list" | head -10 >&2
		fi
		# Nothing but rosfw's own tables may exist afterwards.
		if grep '^table' "$tmp/list" | grep -qv ' rosfw {$'; then
			fail "golden $name created a table that is not rosfw's"
		fi
	else
		fail "golden load $name"
		head -5 "$tmp/nerr" >&2
	fi
done
# The translation table in the docs is the compiler's own.
if "$rosfw" doc translation | cmp -s - "$ROOT/docs/translation.md"; then
	pass "docs/translation.md matches the compiler's table"
else
	fail "docs/translation.md differs from rosfw doc translation (regenerate it)"
fi
summary "golden"
