#!/bin/bash
# apply --confirm (issue 4), in network namespaces made with `ip netns add`
# so the detached rollback process keeps its namespace: without `rosfw
# confirm` the previous ruleset (counters and dynamic entries included) is
# back within 3 s of `apply --confirm 2`, also when the applying process
# and its whole process group are killed with SIGKILL; with `rosfw
# confirm` the new one stays. A second --confirm while one is pending is
# refused. A rollback whose process was killed (while it waited, or while
# it restored) is said plainly at the next apply --confirm, and `rosfw
# rollback` or `rosfw confirm` settles it; nothing of it stays behind.
# Only rollback files of the namespaces made here are touched (their
# names carry the namespace's inode), and removed at the end.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
ns=rosfw-confirm-$$
nss=""
# The rollback files of namespace N, and its processes (rollback processes
# only: nothing else runs in these namespaces once a command returns).
ino_of() { ip netns exec "$1" stat -L -c %i /proc/self/ns/net; }
files_of() { ls /run/rosfw 2>/dev/null | grep "^rollback\.$(ino_of "$1")\." ; }
kill_helpers() {
	local p
	for p in $(ip netns pids "$1" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
}
cleanup() {
	local n f
	for n in $nss; do
		kill_helpers "$n"
		for f in $(files_of "$n"); do rm -f "/run/rosfw/$f"; done
		ip netns del "$n" 2>/dev/null
	done
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
if ip netns exec "$ns-1" "$rosfw" apply --confirm 2 "$tmp/b.rsc" && listing "$ns-1" | grep -q 'comment "new"'; then
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
for i in $(seq 50); do listing "$ns-2" | grep -q 'comment "new"' && break; sleep 0.05; done
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
	grep -q 'pending.*wait for it' "$tmp/4.err" && pass "confirm: a second --confirm while one is pending is refused" ||
		fail "confirm: a second --confirm while one is pending is refused: $(cat "$tmp/4.err")"
fi
# Confirming decides the firewall: root without CAP_NET_ADMIN may not.
if command -v setpriv >/dev/null; then
	ip netns exec "$ns-4" setpriv --inh-caps=-net_admin --bounding-set=-net_admin "$rosfw" confirm \
		> "$tmp/4.out" 2> "$tmp/4.err"
	rc=$?
	if [ "$rc" = 3 ] && [ ! -s "$tmp/4.out" ] && [ "$(wc -l < "$tmp/4.err")" = 1 ] &&
		grep -q CAP_NET_ADMIN "$tmp/4.err" && [ -n "$(files_of "$ns-4")" ]; then
		pass "confirm: without CAP_NET_ADMIN, rosfw confirm exits 3, says so and leaves the rollback pending"
	else
		fail "confirm: without CAP_NET_ADMIN, rosfw confirm exits 3 (got $rc: $(cat "$tmp/4.err"))"
	fi
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

# 3b. apply --confirm says when the rollback comes and how to stop it; a
# plain apply or a flush while it is pending would be undone by it without
# a word: both are refused (exit 3, naming both ways out) and change
# nothing; --check and --diff change nothing and go on. Once confirmed, a
# plain apply goes through.
fresh 12
ip netns exec "$ns-12" "$rosfw" apply --confirm 60 "$tmp/b.rsc" > "$tmp/12.out" 2> "$tmp/12.err"
listing "$ns-12" > "$tmp/12.new"
if grep -q 'come back at [0-9-]* [0-9:]* .*(in 60 s) unless `rosfw confirm` runs' "$tmp/12.err" &&
	grep -q '`rosfw rollback` puts them back now' "$tmp/12.err" && [ ! -s "$tmp/12.out" ]; then
	pass "confirm: apply --confirm prints its deadline and how to confirm or roll back"
else
	fail "confirm: apply --confirm prints its deadline and how to confirm: $(cat "$tmp/12.err")"
fi
ip netns exec "$ns-12" "$rosfw" apply "$tmp/a.rsc" > "$tmp/12.out" 2> "$tmp/12.err"
rc=$?
if [ "$rc" = 3 ] && grep -q 'apply refused: a --confirm rollback is pending' "$tmp/12.err" &&
	grep -q '`rosfw confirm`' "$tmp/12.err" && grep -q '`rosfw rollback`' "$tmp/12.err" &&
	listing "$ns-12" | cmp -s "$tmp/12.new" -; then
	pass "confirm: a plain apply while a rollback is pending is refused (exit 3), the tables untouched"
else
	fail "confirm: a plain apply while a rollback is pending is refused: exit $rc: $(cat "$tmp/12.err")"
fi
ip netns exec "$ns-12" "$rosfw" apply --json "$tmp/a.rsc" > "$tmp/12.json" 2> "$tmp/12.err"
rc=$?
if [ "$rc" = 3 ] && [ ! -s "$tmp/12.err" ] && [ "$(wc -l < "$tmp/12.json")" = 1 ] &&
	grep -q '"ok":false,"changed":false.*"exit":3.*apply refused: a --confirm rollback is pending' "$tmp/12.json"; then
	pass "confirm: ... with --json, in its one result object"
else
	fail "confirm: ... with --json: exit $rc: $(cat "$tmp/12.json" "$tmp/12.err")"
fi
ip netns exec "$ns-12" "$rosfw" flush 2> "$tmp/12.err"
rc=$?
if [ "$rc" = 3 ] && grep -q 'flush refused: a --confirm rollback is pending' "$tmp/12.err" &&
	listing "$ns-12" | cmp -s "$tmp/12.new" -; then
	pass "confirm: a flush while a rollback is pending is refused too"
else
	fail "confirm: a flush while a rollback is pending is refused: exit $rc: $(cat "$tmp/12.err")"
fi
if ip netns exec "$ns-12" "$rosfw" apply --check "$tmp/a.rsc" 2>/dev/null; then
	pass "confirm: apply --check goes on while a rollback is pending"
else
	fail "confirm: apply --check goes on while a rollback is pending"
fi
if ip netns exec "$ns-12" "$rosfw" confirm 2>/dev/null && ip netns exec "$ns-12" "$rosfw" apply "$tmp/a.rsc" 2>/dev/null &&
	listing "$ns-12" | grep -q 'comment "old"'; then
	pass "confirm: once confirmed, a plain apply goes through"
else
	fail "confirm: once confirmed, a plain apply goes through"
fi
ip netns exec "$ns-12" "$rosfw" apply --confirm 60 --json "$tmp/b.rsc" > "$tmp/12.json" 2>/dev/null
if jq -e '.ok and .changed and (.rollback_at | test("^[0-9-]+T[0-9:]+Z$"))' "$tmp/12.json" >/dev/null &&
	grep -q 'come back at' "$tmp/12.json"; then
	pass "confirm: apply --confirm --json gives the deadline as rollback_at"
else
	fail "confirm: apply --confirm --json gives the deadline as rollback_at: $(cat "$tmp/12.json")"
fi
ip netns exec "$ns-12" "$rosfw" confirm 2>/dev/null

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
# 6. Rollbacks whose process is gone (issue 12). The rollback process
# killed while it waits: the next apply --confirm says so at once (never
# "wait for it"), and `rosfw rollback` puts back what it saved.
fresh 7
ip netns exec "$ns-7" "$rosfw" apply --confirm 30 "$tmp/b.rsc" 2>/dev/null
kill_helpers "$ns-7"
start=$(date +%s)
timeout 10 ip netns exec "$ns-7" "$rosfw" apply --confirm 30 "$tmp/a.rsc" 2> "$tmp/7.err"
rc=$?
if [ "$rc" = 3 ] && grep -q 'will never run' "$tmp/7.err" && grep -q 'rosfw rollback' "$tmp/7.err" &&
	! grep -q 'wait for it' "$tmp/7.err" && [ $(($(date +%s) - start)) -lt 5 ]; then
	pass "confirm: rollback process killed while waiting: the next --confirm says it will never run, and what to do"
else
	fail "confirm: rollback process killed while waiting: the next --confirm says so (exit $rc: $(cat "$tmp/7.err"))"
fi
if ip netns exec "$ns-7" "$rosfw" apply "$tmp/b.rsc" 2>&1 | grep -q 'warning: .*will never run'; then
	pass "confirm: a plain apply warns of the rollback nobody will run"
else
	fail "confirm: a plain apply warns of the rollback nobody will run"
fi
if ip netns exec "$ns-7" "$rosfw" rollback && back_within 7 1 && [ -z "$(files_of "$ns-7")" ]; then
	pass "confirm: rosfw rollback puts back the tables a dead rollback process saved, and leaves no file"
else
	fail "confirm: rosfw rollback puts back the tables a dead rollback process saved ($(files_of "$ns-7"))"
fi

# A live pid in the file's name changes nothing (the lock tells, not the
# pid); `rosfw confirm` drops such a rollback and keeps the tables.
fresh 8
ip netns exec "$ns-8" "$rosfw" apply --confirm 30 "$tmp/b.rsc" 2>/dev/null
listing "$ns-8" > "$tmp/8.new"
kill_helpers "$ns-8"
f=$(files_of "$ns-8")
mv "/run/rosfw/$f" "/run/rosfw/rollback.$(ino_of "$ns-8").$$-1"
if ! ip netns exec "$ns-8" "$rosfw" apply --confirm 30 "$tmp/a.rsc" 2> "$tmp/8.err" &&
	grep -q "process $$) will never run" "$tmp/8.err"; then
	pass "confirm: a rollback file named after a live pid is still seen as left behind"
else
	fail "confirm: a rollback file named after a live pid is still seen as left behind: $(cat "$tmp/8.err")"
fi
if ip netns exec "$ns-8" "$rosfw" confirm 2> "$tmp/8.err" && grep -q 'dropped' "$tmp/8.err" &&
	[ -z "$(files_of "$ns-8")" ] && listing "$ns-8" | cmp -s "$tmp/8.new" -; then
	pass "confirm: rosfw confirm drops a dead rollback and keeps the tables"
else
	fail "confirm: rosfw confirm drops a dead rollback and keeps the tables: $(cat "$tmp/8.err")"
fi

# The rollback process killed while it restores (20,000 rules take long
# enough to catch it): no ".rolling" file stays; the next apply --confirm
# says what happened; `rosfw rollback` finishes the job.
n=$ns-9
nss="$nss $n"
ip netns add "$n"
awk 'BEGIN { print "/ip firewall filter"; for (i = 1; i <= 20000; i++)
	printf "add chain=input protocol=tcp dst-port=%d src-address=10.%d.%d.1 action=accept comment=r%d\n",
		i % 60000 + 1, int(i / 256) % 256, i % 256, i }' > "$tmp/big.rsc"
ip netns exec "$n" "$rosfw" apply "$tmp/big.rsc" 2>/dev/null
listing "$n" > "$tmp/9.old"
caught=""
for try in 1 2 3; do
	ip netns exec "$n" "$rosfw" apply --confirm 1 "$tmp/a.rsc" 2>/dev/null
	f=/run/rosfw/$(files_of "$n")
	pids=$(ip netns pids "$n")
	end=$((SECONDS + 5))
	while [ ! -e "$f.rolling" ] && [ -e "$f" ] && [ $SECONDS -lt $end ]; do :; done
	# shellcheck disable=SC2086
	kill -9 $pids 2>/dev/null
	sleep 0.2
	if [ -e "$f.rolling" ]; then
		caught=$try
		break
	fi
	# missed it: the rollback finished; again from the big tables
	back_within 9 3
done
if [ -z "$caught" ]; then
	fail "confirm: the rollback process could not be killed while restoring (3 tries)"
else
	ip netns exec "$n" "$rosfw" apply --confirm 30 "$tmp/b.rsc" 2> "$tmp/9.err"
	rc=$?
	if [ "$rc" = 3 ] && grep -q 'will never finish: its process died while putting the tables back' "$tmp/9.err" &&
		! files_of "$n" | grep -q '\.rolling$'; then
		pass "confirm: rollback process killed while restoring: said at the next --confirm, no .rolling file stays"
	else
		fail "confirm: rollback process killed while restoring: said at the next --confirm (exit $rc: $(cat "$tmp/9.err"); $(files_of "$n"))"
	fi
	if ip netns exec "$n" "$rosfw" rollback && back_within 9 1 && [ -z "$(files_of "$n")" ]; then
		pass "confirm: rosfw rollback finishes an interrupted rollback, and no file stays"
	else
		fail "confirm: rosfw rollback finishes an interrupted rollback ($(files_of "$n"))"
	fi
fi

# The file of a namespace that is gone (its inode number now another's:
# the namespace cookie differs) is removed, not taken for this one's.
fresh 10
ip netns exec "$ns-10" "$rosfw" apply --confirm 30 "$tmp/b.rsc" 2>/dev/null
kill_helpers "$ns-10"
f=/run/rosfw/$(files_of "$ns-10")
{ printf 'rosfw-rollback 999999999999\n'; tail -n +2 "$f"; } > "$tmp/foreign" && cat "$tmp/foreign" > "$f"
if ip netns exec "$ns-10" "$rosfw" apply --confirm 30 "$tmp/a.rsc" 2> "$tmp/10.err" &&
	grep -q 'no longer exists' "$tmp/10.err"; then
	pass "confirm: a dead namespace's rollback file is removed, not taken for this namespace's"
else
	fail "confirm: a dead namespace's rollback file is removed: $(cat "$tmp/10.err")"
fi
ip netns exec "$ns-10" "$rosfw" confirm 2>/dev/null

# 5. The saved tables recreate every example and corpus file exactly
# (counters, sets, maps, every expression; two corpus files have
# connection-limit, whose rollback the kernel once refused): each applied
# in its own namespace, then `apply --confirm 1` of something else, all at
# once, then compared.
i=0
# over NAME DIR FILE [OPTIONS...]
over() {
	local name=$1 dir=$2 file=$3 n
	shift 3
	i=$((i + 1))
	n=$ns-x$i
	nss="$nss $n"
	ip netns add "$n"
	if ! (cd "$dir" && ip netns exec "$n" "$rosfw" apply "$@" "$file") >/dev/null 2>&1; then
		echo "$name" > "$tmp/x$i.skip"
		return
	fi
	echo "$name" > "$tmp/x$i.name"
	listing "$n" > "$tmp/x$i.old"
	ip netns exec "$n" "$rosfw" apply --confirm 1 "$tmp/b.rsc" 2>/dev/null || fail "confirm: apply --confirm over $name"
}
each_config "$rosfw" over
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
fresh 11
echo victim > "$tmp/victim"
mkdir -p -m 700 /run/rosfw
ip netns exec "$ns-11" sh -c 'l=/run/rosfw/rollback.$(stat -L -c %i /proc/self/ns/net).$$.tmp
	ln -s "$2" "$l" && echo "$l" > "$3" && exec "$1" apply --confirm 1 "$4"' _ "$rosfw" "$tmp/victim" "$tmp/11.link" "$tmp/b.rsc"
if back_within 11 3 && [ "$(cat "$tmp/victim")" = victim ] && [ -L "$(cat "$tmp/11.link")" ]; then
	pass "confirm: the rollback is saved through no link planted at its old temporary name"
else
	fail "confirm: the rollback is saved through no link planted at its old temporary name: $(head -c 40 "$tmp/victim")"
fi
rm -f "$(cat "$tmp/11.link")"

# 7. Sets whose elements carry state (issue 31): connection-limit's (a set
# without timeouts, whose dynset the kernel dumps with a timeout of 0 and
# refuses so), dst-limit's and psd's, with entries made by traffic, rolled
# back for real. A connection count cannot be put back (the kernel rebuilds
# it from conntrack), and an entry counting none is removed at its next
# garbage collection: those entries are not compared.
cat > "$tmp/s.rsc" <<'RSC'
/ip firewall filter
add chain=input protocol=tcp connection-limit=100,32 action=add-src-to-address-list address-list=hl address-list-timeout=1h
add chain=input protocol=tcp dst-port=7 dst-limit=10,20,src-address/1m action=accept
add chain=input protocol=tcp psd=21,3s,3,1 action=add-src-to-address-list address-list=scan address-list-timeout=1h
RSC
n=$ns-20
nss="$nss $n"
ip netns add "$n"
ip netns exec "$n" bash -c 'ip link set lo up && "$1" apply "$2" 2>/dev/null && for p in 7 7 21 22 23 24 25; do
	timeout 2 bash -c "echo > /dev/tcp/127.0.0.1/$p" 2>/dev/null; done; true' _ "$rosfw" "$tmp/s.rsc" ||
	fail "confirm: setting up $n"
nocount() { listing "$n" | grep -v 'elements = { .* ct count '; }
nocount > "$tmp/20.old"
if grep -q 'limit rate 10/second' "$tmp/20.old" && grep -q '127.0.0.1 \. 23' "$tmp/20.old"; then
	pass "confirm: traffic made entries in dst-limit's and psd's sets"
else
	fail "confirm: traffic made entries in dst-limit's and psd's sets"
fi
ip netns exec "$n" "$rosfw" apply --confirm 1 "$tmp/b.rsc" 2>/dev/null || fail "confirm: apply --confirm over s.rsc"
back() { nocount | cmp -s "$tmp/20.old" - && [ -z "$(files_of "$n")" ]; }
if wait_for back; then
	pass "confirm: connection-limit, dst-limit and psd sets with their entries rolled back"
else
	fail "confirm: connection-limit, dst-limit and psd sets with their entries rolled back: $(nocount | diff "$tmp/20.old" - | head -3) $(files_of "$n")"
fi

# A rollback the kernel refuses at its deadline (its saved rules made to
# name a chain that is not there, in place: the rollback process holds the
# file) leaves the tables as applied, and is named for what happened: the
# next apply says the kernel refused it, not that its process is gone;
# `rosfw rollback` tries again, `rosfw confirm` drops it.
fresh 21
n=$ns-21
ip netns exec "$n" "$rosfw" apply --confirm 2 "$tmp/b.rsc" 2>/dev/null
listing "$n" > "$tmp/21.new"
f=/run/rosfw/$(files_of "$n")
off=$(grep -obaF 'helper.assign' "$f" | sed -n 2p | cut -d: -f1)
[ -n "$off" ] && printf X | dd of="$f" bs=1 seek=$((off + 12)) conv=notrunc status=none
refused() { files_of "$n" | grep -q '\.refused-[0-9]*$'; }
if wait_for refused && listing "$n" | cmp -s "$tmp/21.new" -; then
	pass "confirm: a rollback the kernel refused is kept under a name that says so; the tables stay as applied"
else
	fail "confirm: a rollback the kernel refused is kept under a name that says so: $(files_of "$n")"
fi
ip netns exec "$n" "$rosfw" apply "$tmp/b.rsc" 2> "$tmp/21.err"
if grep -q 'warning: .*ran and the kernel refused the tables it saved (No such file or directory)' "$tmp/21.err" &&
	! grep -q 'is gone' "$tmp/21.err"; then
	pass "confirm: the next apply says the kernel refused the rollback, not that its process is gone"
else
	fail "confirm: the next apply says the kernel refused the rollback: $(cat "$tmp/21.err")"
fi
ip netns exec "$n" "$rosfw" rollback 2> "$tmp/21.err"
rc=$?
if [ "$rc" = 2 ] && grep -q 'the kernel refused the saved tables' "$tmp/21.err" && refused; then
	pass "confirm: rosfw rollback of a refused rollback: refused again (exit 2), still saved"
else
	fail "confirm: rosfw rollback of a refused rollback (exit $rc): $(cat "$tmp/21.err") $(files_of "$n")"
fi
if ip netns exec "$n" "$rosfw" confirm 2> "$tmp/21.err" && grep -q 'which the kernel refused' "$tmp/21.err" &&
	[ -z "$(files_of "$n")" ]; then
	pass "confirm: rosfw confirm drops a refused rollback"
else
	fail "confirm: rosfw confirm drops a refused rollback: $(cat "$tmp/21.err")"
fi
summary "confirm"
