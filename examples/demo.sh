#!/bin/bash
# make demo: the main job on a built-in example. Read a realistic router
# export the way RouterOS would run it (check), compile it to nftables, then
# build a throwaway network of namespaces (lan, lan2, dmz, wan around a
# router), load the ruleset on the router, send traffic (allowed, blocked,
# NATed, SSH brute-force stages) and show the router's counters, address
# lists and connections. Everything is removed at the end.
set -e
rosfw=${1:-build/rosfw}
ex=examples/home-office-router.rsc
echo "\$ rosfw check $ex"
"$rosfw" check "$ex" 2>&1 | grep -v ': note:' || true
echo
echo "\$ rosfw compile $ex | head -60"
"$rosfw" compile "$ex" 2>/dev/null | head -60
echo "  ..."
if [ "$(id -u)" != 0 ]; then
	echo "(the traffic part needs root: it builds network namespaces)"
	exit 0
fi
echo
echo "== traffic through the router (tests/behaviour/scenarios/home-office-router.probes)"
out=$(mktemp)
trap 'rm -f "$out"; [ -n "$prefix" ] && tests/behaviour/netns.sh down "$prefix" >/dev/null 2>&1' EXIT
VERBOSE=1 KEEP=1 tests/behaviour/run.sh "$rosfw" home-office-router 2>"$out" | grep -E "^(ok|FAIL) |passed" | sed "s/^ok   home-office-router:[0-9]*: /  ok  /" || true
prefix=$(sed -n 's/.*kept \(.*\)-\* for.*/\1/p' "$out")
grep -v 'kept ' "$out" >&2 || true
[ -n "$prefix" ] || exit 1
router="$prefix-router"
echo
cfg="$(pwd)/$ex"
echo "== on the router: \$ rosfw print stats (RouterOS layout, counters summed per RouterOS rule)"
ip netns exec "$router" "$rosfw" print stats "$cfg" 2>/dev/null | sed 's/^/  /'
echo
echo "== \$ rosfw print stats nat"
ip netns exec "$router" "$rosfw" print stats nat "$cfg" 2>/dev/null | sed 's/^/  /'
echo
echo "== \$ rosfw print address-list (D: added by rules, with the time left)"
ip netns exec "$router" "$rosfw" print address-list "$cfg" 2>/dev/null | sed 's/^/  /'
echo
echo "== \$ rosfw print connection (s: srcnat - the LAN's connections leave masqueraded)"
ip netns exec "$router" "$rosfw" print connection 2>/dev/null | head -12 | sed 's/^/  /'
