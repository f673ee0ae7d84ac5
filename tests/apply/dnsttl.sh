#!/bin/bash
# DNS TTLs (issue 6): rosfwd looks a DNS-name entry up again when its
# answer's TTL runs out, no sooner than --dns-floor and no later than
# --dns-cap. In fresh network and mount namespaces, resolv.conf names a
# DNS server the test runs on 127.0.0.1 (tests/apply/dnsd.c), which
# answers from a zone file the test rewrites and logs every query; the
# hosts file is empty, so every name goes to it.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
rosfwd=$(dirname "$rosfw")/rosfwd
in_own_namespaces dnsttl "-n -m" "$@"
tmp=$(mktemp -d)
pids=
trap 'for p in $pids; do kill -9 "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
mount --make-rprivate / 2>/dev/null
: > "$tmp/hosts"
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' > "$tmp/resolv.conf"
if ! mount --bind "$tmp/hosts" /etc/hosts || ! mount --bind "$tmp/resolv.conf" /etc/resolv.conf; then
	fail "dnsttl: bind-mount hosts and resolv.conf"
	summary "dnsttl"
	exit 1
fi
ip link set lo up
if ! cc -std=c11 -O2 -Wall -Wextra -Werror -o "$tmp/dnsd" "$ROOT/tests/apply/dnsd.c" 2> "$tmp/cc.err"; then
	fail "dnsttl: the test's DNS server does not compile: $(cat "$tmp/cc.err")"
	summary "dnsttl"
	exit 1
fi
"$tmp/dnsd" "$tmp/zone" "$tmp/queries" &
pids="$pids $!"
disown $!	# killed by the exit trap: no job notice for that

cat > "$tmp/a.rsc" <<'RSC'
/ip firewall address-list
add list=short address=short.test
add list=long address=long.test
add list=cn address=www.alias.test
add list=sf address=flaky.test
/ip firewall filter
add chain=forward dst-address-list=short action=accept
add chain=forward dst-address-list=long action=accept
add chain=forward dst-address-list=cn action=accept
add chain=forward dst-address-list=sf action=accept
RSC
"$rosfw" apply "$tmp/a.rsc" 2>/dev/null || { fail "dnsttl: apply"; summary "dnsttl"; exit 1; }

elems() { nft list set ip rosfw "$1" | tr -s ' \t\n' ' ' | sed -n 's/.*elements = { \([^}]*\) }.*/\1/p'; }
is() { [ "$(elems "$1")" = "$2" ]; }
# until_ok SECONDS CMD...: until CMD succeeds, at most SECONDS (a bound)
until_ok() {
	local i n=$(($1 * 10))
	shift
	for i in $(seq "$n"); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
queries() { grep -c "^$1 1\$" "$tmp/queries" 2>/dev/null; }

# Run 1: --dns-refresh 300 (what /etc/hosts names would get), floor 1,
# cap 60: only a TTL can bring a new answer within seconds.
cat > "$tmp/zone" <<'Z'
short.test A 192.0.2.1 2
long.test A 192.0.2.100 3600
www.alias.test CNAME edge.cdn.test 5
edge.cdn.test A 198.51.100.5 600
other.test A 198.51.100.99 600
flaky.test A 203.0.113.1 1
Z
"$rosfwd" --dns-refresh 300 --dns-floor 1 --dns-cap 60 --interval 1 --state "$tmp/st1/state" "$tmp/a.rsc" \
	2> "$tmp/log1" &
pid=$!
pids="$pids $pid"
if until_ok 10 is al_short "192.0.2.1" && until_ok 10 is al_long "192.0.2.100"; then
	pass "dnsttl: DNS answers are in the lists"
else
	fail "dnsttl: DNS answers: '$(elems al_short)' '$(elems al_long)': $(cat "$tmp/log1")"
fi
if until_ok 10 is al_cn "198.51.100.5" && grep -q 'www.alias.test (list "cn"): 1 addresses, 1 new, 0 gone, TTL 5s' "$tmp/log1"
then
	pass "dnsttl: a CNAME chain resolves, its TTL the least of the chain's"
else
	fail "dnsttl: CNAME chain: '$(elems al_cn)': $(grep alias "$tmp/log1")"
fi
sed -i 's/^short.test A 192.0.2.1 2/short.test A 192.0.2.2 2/; s/^long.test A 192.0.2.100 3600/long.test A 192.0.2.101 3600/; s/^flaky.test .*/flaky.test SERVFAIL/' "$tmp/zone"
if until_ok 10 is al_short "192.0.2.2"; then
	pass "dnsttl: a changed answer comes in when its TTL (2 s) runs out"
else
	fail "dnsttl: TTL 2 s: '$(elems al_short)', $(queries short.test) queries"
fi
if is al_long "192.0.2.100" && [ "$(queries long.test)" = 1 ]; then
	pass "dnsttl: an answer with TTL 3600 is not asked for again meanwhile"
else
	fail "dnsttl: TTL 3600: '$(elems al_long)', $(queries long.test) queries"
fi
if until_ok 10 grep -q 'flaky.test (list "sf"): no answer (server failure or timeout); keeping the last answer (1 addresses)' "$tmp/log1" &&
	is al_sf "203.0.113.1"; then
	pass "dnsttl: SERVFAIL keeps the last answer and is logged"
else
	fail "dnsttl: SERVFAIL: '$(elems al_sf)': $(grep flaky "$tmp/log1")"
fi
kill -TERM "$pid"
wait "$pid" 2>/dev/null

# Run 2, a restart with the same state file: floor 3, cap 4. A TTL of 0
# is asked for no more often than the floor; a TTL of 3600 no less often
# than the cap.
cat > "$tmp/zone" <<'Z'
short.test A 192.0.2.3 0
long.test A 192.0.2.102 3600
Z
"$rosfw" apply "$tmp/a.rsc" 2>/dev/null
: > "$tmp/queries"
"$rosfwd" --dns-floor 3 --dns-cap 4 --interval 1 --state "$tmp/st1/state" "$tmp/a.rsc" 2> "$tmp/log2" &
pid=$!
pids="$pids $pid"
# The re-apply kept the old answer in the list's set; the saved state says
# whose it was, so the restarted daemon takes it away.
if until_ok 10 is al_long "192.0.2.102"; then
	pass "dnsttl: after a restart, what a name no longer answers leaves the list"
else
	fail "dnsttl: restart: '$(elems al_long)': $(cat "$tmp/log2")"
fi
sed -i 's/^long.test A 192.0.2.102 3600/long.test A 192.0.2.103 3600/' "$tmp/zone"
if until_ok 10 is al_long "192.0.2.103"; then
	pass "dnsttl: a TTL above --dns-cap is cut to it"
else
	fail "dnsttl: cap: '$(elems al_long)', $(queries long.test) queries"
fi
: > "$tmp/queries"
sleep 7
n=$(queries short.test)
if [ "$n" -ge 1 ] && [ "$n" -le 3 ]; then
	pass "dnsttl: TTL 0 is looked up no more often than --dns-floor (3 s): $n lookups in 7 s"
else
	fail "dnsttl: TTL 0 with floor 3 s: $n lookups in 7 s"
fi
kill -TERM "$pid"
wait "$pid" 2>/dev/null
summary "dnsttl"
