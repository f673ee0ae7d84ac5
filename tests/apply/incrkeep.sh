#!/bin/bash
# Entries rosfw itself adds keep the small-change record (issue 18,
# incr_advance): `rosfw address-list add` (the way rosfwd's DNS names and
# restores go too) commits at the record's generation and moves the record
# on, so the next apply of a one-rule change is still a small transaction
# and the run-time entry stays. A configured entry removed by hand must come
# back with the next apply: such a removal leaves the record behind (the
# full path). An entry added by nft behind rosfw's back leaves it behind too.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! unshare -n true 2>/dev/null; then
	echo "incrkeep: needs root, nft and unshare: skipped" >&2
	if ! grep -q '"incremental":true' "$tmp/gone.json" && grep -q 'table ip rosfw' "$tmp/tables"; then
	pass "incrkeep: a table gone behind a right-looking generation: the full path puts it back"
else
	fail "incrkeep: a table gone behind a right-looking generation: the full path puts it back: $(head -c 300 "$tmp/gone.json")"
fi
summary "incrkeep"
	exit 0
fi
mkdir -m 700 "$tmp/rec"
cat > "$tmp/a.rsc" <<'RSC'
/ip firewall address-list
add list=lan address=192.168.88.0/24
add list=lan address=192.168.99.0/24
/ip firewall filter
add chain=input src-address-list=lan action=accept comment="lan"
add chain=input protocol=udp dst-port=9 action=passthrough comment="changed"
add chain=input action=drop comment="last"
RSC
sed -e '/comment="changed"/s/dst-port=9/dst-port=10/' "$tmp/a.rsc" > "$tmp/b.rsc"
unshare -n bash -c '
set -e
export ROSFW_RECORD="$2/rec/applied.rsc"
ip link set lo up
"$1" apply "$2/a.rsc" 2>/dev/null
"$1" address-list add list=lan address=10.9.9.0/24 timeout=1h
"$1" address-list add list=lan address=10.9.8.7
"$1" apply --json "$2/b.rsc" > "$2/b.json" 2>/dev/null
nft list set ip rosfw ar_lan > "$2/ar" 2>&1 || true
"$1" address-list remove list=lan address=192.168.99.0/24
"$1" apply --json "$2/a.rsc" > "$2/back.json" 2>/dev/null
nft list set ip rosfw al_lan > "$2/al" 2>&1 || true
"$1" apply --json "$2/b.rsc" > "$2/again.json" 2>/dev/null
nft add element ip rosfw ar_lan { 10.7.7.7 }
"$1" address-list add list=lan address=10.9.7.7
"$1" apply --json "$2/a.rsc" > "$2/behind.json" 2>/dev/null
nft list ruleset > "$2/final"
# A generation count gone wrong (forged here): the record says nothing
# committed since, but the table is gone. The next apply must see it.
"$1" apply "$2/a.rsc" 2>/dev/null
rec=$(sed -n "s/^genid //p" "$ROSFW_RECORD.nl")
nft delete table ip rosfw
echo "$rec $((rec + 1))" > "$ROSFW_RECORD.nl.gen"
"$1" apply --json "$2/a.rsc" > "$2/gone.json" 2>/dev/null
nft list tables > "$2/tables"
' _ "$rosfw" "$tmp" 2> "$tmp/err" || { fail "incrkeep: scenario ran"; cat "$tmp/err" >&2; }

if grep -q '"incremental":true' "$tmp/b.json"; then
	pass "incrkeep: a rule change after address-list add is a small transaction"
else
	fail "incrkeep: a rule change after address-list add is a small transaction: $(head -c 300 "$tmp/b.json")"
fi
if grep -q '10.9.9.0/24' "$tmp/ar" && grep -q '10.9.8.7' "$tmp/ar"; then
	pass "incrkeep: the run-time entries stayed"
else
	fail "incrkeep: the run-time entries stayed: $(cat "$tmp/ar")"
fi
if ! grep -q '"incremental":true' "$tmp/back.json" && grep -q '192.168.99.0/24' "$tmp/al"; then
	pass "incrkeep: a configured entry removed by hand came back (the full path)"
else
	fail "incrkeep: a configured entry removed by hand came back (the full path): $(head -c 300 "$tmp/back.json") $(cat "$tmp/al")"
fi
if grep -q '"incremental":true' "$tmp/again.json"; then
	pass "incrkeep: the record is whole again after that apply"
else
	fail "incrkeep: the record is whole again after that apply: $(head -c 300 "$tmp/again.json")"
fi
if ! grep -q '"incremental":true' "$tmp/behind.json" && grep -q 'dport 9 ' "$tmp/final" && grep -q '10.9.7.7' "$tmp/final"; then
	pass "incrkeep: after an nft commit the next apply is full, and right"
else
	fail "incrkeep: after an nft commit the next apply is full, and right: $(head -c 300 "$tmp/behind.json")"
fi
if ! grep -q '"incremental":true' "$tmp/gone.json" && grep -q 'table ip rosfw' "$tmp/tables"; then
	pass "incrkeep: a table gone behind a right-looking generation: the full path puts it back"
else
	fail "incrkeep: a table gone behind a right-looking generation: the full path puts it back: $(head -c 300 "$tmp/gone.json")"
fi
summary "incrkeep"
