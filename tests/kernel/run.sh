#!/bin/bash
# What this kernel accepts of the set layouts rosfw emits, tested in a
# throwaway namespace: an interval set with timeouts loads, a dynamic
# timeout set is filled from the packet path with the rule's timeout, and
# (informational) whether an interval set can take packet-path updates,
# which rosfw never asks for.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! unshare -n true 2>/dev/null; then
	echo "kernel: needs root, nft and unshare" >&2
	fail "kernel tests could not run"
	summary "kernel"
	exit 1
fi
"$rosfw" compile "$ROOT/tests/kernel/sets.rsc" -o "$tmp/sets.nft" || fail "compile sets.rsc"
unshare -n bash -c "ip link set lo up && nft -f '$tmp/sets.nft' && (echo x > /dev/udp/127.0.0.1/9) 2>/dev/null; nft list set ip rosfw al_seen; nft list set ip rosfw ar_mixed" > "$tmp/out" 2>&1
if grep -q 'flags interval,timeout' "$tmp/out" && grep -q '10.0.0.0/8 timeout 1h' "$tmp/out"; then
	pass "interval set with timeouts loads"
else
	fail "interval set with timeouts"
	cat "$tmp/out" >&2
fi
if grep -q '127.0.0.1 timeout 1m' "$tmp/out"; then
	pass "packet path adds to the dynamic set with the rule's timeout"
else
	fail "packet path add"
	cat "$tmp/out" >&2
fi
# The netlink back end must give a timed prefix its timeout too.
unshare -n bash -c "'$rosfw' apply '$ROOT/tests/kernel/sets.rsc' && nft list set ip rosfw ar_mixed" > "$tmp/nl" 2>&1
if grep -q '10.0.0.0/8 timeout 1h' "$tmp/nl"; then
	pass "rosfw apply keeps the timeout of a timed prefix"
else
	fail "rosfw apply: timed prefix"
	cat "$tmp/nl" >&2
fi
printf 'table ip t {\n set s { type ipv4_addr; flags interval,dynamic; }\n}\n' > "$tmp/dyn.nft"
if unshare -n nft -f "$tmp/dyn.nft" 2>/dev/null; then
	echo "  kernel: interval sets accept packet-path updates here (rosfw does not rely on it)"
else
	echo "  kernel: interval sets refuse packet-path updates here; rosfw keeps rule-added entries in hash sets"
fi
summary "kernel"
