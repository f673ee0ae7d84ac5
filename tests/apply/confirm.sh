#!/bin/bash
# apply --confirm (issue 4), in network namespaces made with `ip netns add`
# so the detached rollback process keeps its namespace: without `rosfw
# confirm` the previous ruleset (counters and dynamic entries included) is
# back within 3 s of `apply --confirm 2`, also when the applying process
# and its whole process group are killed with SIGKILL; with `rosfw
# confirm` the new one stays. A second --confirm while one is pending is
# refused.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
ns=rosfw-confirm-$$
nss=""
cleanup() {
	for n in $nss; do ip netns del "$n" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! ip netns add "$ns-probe" 2>/dev/null; then
	echo "confirm: needs root, nft and ip netns: skipped" >&2
	summary "confirm"
	exit 0
fi
ip netns del "$ns-probe"

cat > "$tmp/a.rsc" <<'RSC'
/ip firewall address-list
add list=static1 address=10.9.9.9
/ip firewall filter
add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=seen address-list-timeout=1h
add chain=input protocol=udp dst-port=9,10 action=passthrough comment="old"
/ipv6 firewall filter
add chain=input protocol=tcp dst-port=22 action=accept
RSC
cat > "$tmp/b.rsc" <<'RSC'
/ip firewall filter
add chain=input protocol=tcp dst-port=2222 action=drop comment="new"
RSC

# Time left on an entry ticks; everything else must be as it was.
listing() {
	ip netns exec "$1" nft list ruleset | sed -E 's/ (timeout|expires) [0-9dhms]+//g'
}
# fresh N: a namespace with a.rsc applied and some traffic counted
fresh() {
	local n=$ns-$1
	nss="$nss $n"
	ip netns add "$n"
	ip netns exec "$n" bash -c 'ip link set lo up && "$1" apply "$2" && for i in 1 2 3; do echo x > /dev/udp/127.0.0.1/9; done' \
		_ "$rosfw" "$tmp/a.rsc" || fail "confirm: setting up $n"
	listing "$n" > "$tmp/$1.old"
}
# back_within N SECONDS: the old listing is back in time
back_within() {
	local n=$ns-$1 i
	for i in $(seq $(($2 * 10))); do
		listing "$n" > "$tmp/$1.now"
		cmp -s "$tmp/$1.old" "$tmp/$1.now" && return 0
		sleep 0.1
	done
	diff "$tmp/$1.old" "$tmp/$1.now" | head -5 >&2
	return 1
}

# 1. No confirm: rolled back.
fresh 1
start=$(date +%s.%N)
if ip netns exec "$ns-1" "$rosfw" apply --confirm 2 "$tmp/b.rsc" && listing "$ns-1" | grep -q 'comment "#0 new"'; then
	pass "confirm: the new ruleset is applied at once"
else
	fail "confirm: the new ruleset is applied at once"
fi
if back_within 1 3; then
	pass "confirm: no confirm, the previous ruleset is back after $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"
else
	fail "confirm: no confirm, the previous ruleset is back within 3 s"
fi
grep -q 'packets 3 ' "$tmp/1.now" && grep -q '127.0.0.1' "$tmp/1.now" &&
	pass "confirm: counters and dynamic entries came back too" ||
	fail "confirm: counters and dynamic entries came back too"
if ip netns exec "$ns-1" "$rosfw" confirm 2>/dev/null; then
	fail "confirm: rosfw confirm after the rollback says there is nothing to confirm"
else
	pass "confirm: rosfw confirm after the rollback says there is nothing to confirm"
fi

# 2. The applying process and its process group killed with SIGKILL once
# the new ruleset is in: the rollback was armed before, in its own session.
fresh 2
# (started from a subshell: not a job of ours, so no "Killed" notices)
(setsid ip netns exec "$ns-2" bash -c '"$1" apply --confirm 2 "$2"; sleep 30' _ "$rosfw" "$tmp/b.rsc" &
	echo $! > "$tmp/2.pid")
pid=$(cat "$tmp/2.pid")
for i in $(seq 50); do listing "$ns-2" | grep -q '#0 new' && break; sleep 0.05; done
kill -9 -- -"$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null
if back_within 2 3; then
	pass "confirm: SIGKILL of the applying process group, still rolled back"
else
	fail "confirm: SIGKILL of the applying process group, still rolled back"
fi
# ... and killed at once, wherever it was: the end is the old ruleset.
fresh 3
(ip netns exec "$ns-3" "$rosfw" apply --confirm 2 "$tmp/b.rsc" & echo $! > "$tmp/3.pid")
kill -9 "$(cat "$tmp/3.pid")" 2>/dev/null
if back_within 3 3; then
	pass "confirm: SIGKILL right after the start, the old ruleset in the end"
else
	fail "confirm: SIGKILL right after the start, the old ruleset in the end"
fi

# 3. Confirmed: the new one stays.
fresh 4
ip netns exec "$ns-4" "$rosfw" apply --confirm 2 "$tmp/b.rsc"
listing "$ns-4" > "$tmp/4.new"
if ip netns exec "$ns-4" "$rosfw" apply --confirm 2 "$tmp/a.rsc" 2> "$tmp/4.err"; then
	fail "confirm: a second --confirm while one is pending is refused"
else
	grep -q 'pending' "$tmp/4.err" && pass "confirm: a second --confirm while one is pending is refused" ||
		fail "confirm: a second --confirm while one is pending is refused: $(cat "$tmp/4.err")"
fi
if ip netns exec "$ns-4" "$rosfw" confirm; then
	pass "confirm: rosfw confirm succeeds"
else
	fail "confirm: rosfw confirm succeeds"
fi
sleep 3
listing "$ns-4" > "$tmp/4.now"
if cmp -s "$tmp/4.new" "$tmp/4.now" && ! cmp -s "$tmp/4.old" "$tmp/4.now"; then
	pass "confirm: confirmed, the new ruleset stays"
else
	fail "confirm: confirmed, the new ruleset stays"
fi

# 4. A namespace's rollback leaves the others alone (one file each).
fresh 5
fresh 6
ip netns exec "$ns-5" "$rosfw" apply --confirm 1 "$tmp/b.rsc"
ip netns exec "$ns-6" "$rosfw" apply "$tmp/b.rsc"
listing "$ns-6" > "$tmp/6.new"
sleep 2
if back_within 5 2 && listing "$ns-6" | cmp -s "$tmp/6.new" -; then
	pass "confirm: a rollback touches only its own namespace"
else
	fail "confirm: a rollback touches only its own namespace"
fi
# 4b. The connection tracking settings come back with the tables.
n=$ns-ct
nss="$nss $n"
ip netns add "$n"
udp() { ip netns exec "$n" cat /proc/sys/net/netfilter/nf_conntrack_udp_timeout; }
printf '/ip firewall connection tracking set udp-timeout=%s\n/ip firewall filter\nadd chain=input action=accept\n' 11s > "$tmp/ct1.rsc"
printf '/ip firewall connection tracking set udp-timeout=%s\n/ip firewall filter\nadd chain=input action=drop\n' 29s > "$tmp/ct2.rsc"
ip netns exec "$n" "$rosfw" apply "$tmp/ct1.rsc" 2>/dev/null
ip netns exec "$n" "$rosfw" apply --confirm 1 "$tmp/ct2.rsc" 2>/dev/null
during=$(udp)
sleep 3
if [ "$during" = 29 ] && [ "$(udp)" = 11 ]; then
	pass "confirm: the rollback puts the tracking settings back too"
else
	fail "confirm: the rollback puts the tracking settings back too (during $during, after $(udp))"
fi
# 5. The saved tables recreate every example exactly (counters, sets,
# maps, every expression): each applied in its own namespace, then
# `apply --confirm 1` of something else, all at once, then compared.
i=0
for src in "$ROOT"/examples/*.rsc "$ROOT"/tests/golden/hostile.rsc; do
	i=$((i + 1))
	name=$(basename "$src")
	n=$ns-x$i
	nss="$nss $n"
	ip netns add "$n"
	# shellcheck disable=SC2046
	if ! (cd "$(dirname "$src")" && ip netns exec "$n" "$rosfw" apply \
		$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$ROOT/tests/golden/options") "$name") 2>/dev/null; then
		echo "$name" > "$tmp/x$i.skip"
		continue
	fi
	echo "$name" > "$tmp/x$i.name"
	listing "$n" > "$tmp/x$i.old"
	ip netns exec "$n" "$rosfw" apply --confirm 1 "$tmp/b.rsc" || fail "confirm: apply --confirm over $name"
done
for f in "$tmp"/x*.name; do
	x=$(basename "$f" .name)
	if back_within "$x" 3; then
		pass "confirm: rollback recreates $(cat "$f")"
	else
		fail "confirm: rollback recreates $(cat "$f")"
	fi
done
# 6. The rollback file is never written through a link planted at its old
# temporary name, /run/rosfw/rollback.NETNS.PID.tmp (the shell's pid is the
# applying process's after exec); the rollback still happens.
fresh 7
echo victim > "$tmp/victim"
mkdir -p -m 700 /run/rosfw
ip netns exec "$ns-7" sh -c 'l=/run/rosfw/rollback.$(stat -L -c %i /proc/self/ns/net).$$.tmp
	ln -s "$2" "$l" && echo "$l" > "$3" && exec "$1" apply --confirm 1 "$4"' _ "$rosfw" "$tmp/victim" "$tmp/7.link" "$tmp/b.rsc"
if back_within 7 3 && [ "$(cat "$tmp/victim")" = victim ] && [ -L "$(cat "$tmp/7.link")" ]; then
	pass "confirm: the rollback is saved through no link planted at its old temporary name"
else
	fail "confirm: the rollback is saved through no link planted at its old temporary name: $(head -c 40 "$tmp/victim")"
fi
rm -f "$(cat "$tmp/7.link")"
summary "confirm"
