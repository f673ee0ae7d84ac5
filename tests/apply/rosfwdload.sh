#!/bin/bash
# rosfwd against clients that misbehave and sets that take long to read
# (issue 12): polls, saves, signals and other scrapes never wait for a
# client; every request gets the answer a careful HTTP server gives; the
# state file is refused where others could have written it, never
# overwritten when it cannot be read; without CAP_NET_ADMIN it says so once.
# The bounds below are ten times what rosfwd needs and a tenth of what the
# stalls this test was written for took (22 s to honour SIGTERM).
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
rosfwd=$(dirname "$rosfw")/rosfwd
in_own_namespaces rosfwdload "-n" "$@"
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
ip link set lo up
if ! cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o "$tmp/httpc" "$ROOT/tests/apply/httpc.c" 2> "$tmp/cc.err"; then
	fail "rosfwdload: building the test client: $(cat "$tmp/cc.err")"
	summary rosfwdload
	exit 1
fi
httpc() { "$tmp/httpc" 9464 "$@"; }
ms() { echo $(($(date +%s%N) / 1000000)); }
# wait_for CMD...: until CMD succeeds, at most 10 s (a bound, not a timing)

cat > "$tmp/a.rsc" <<'RSC'
/ip firewall filter
add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=seen address-list-timeout=1h
add chain=input action=accept comment="count"
RSC
"$rosfw" apply "$tmp/a.rsc" || { fail "rosfwdload: apply"; summary rosfwdload; exit 1; }
mkdir -m 700 "$tmp/s"
S=$tmp/s/state

start() {
	"$rosfwd" --state "$S" --interval 1 --verbose --metrics-port 9464 "$tmp/a.rsc" 2> "$tmp/log" &
	pid=$!
	wait_for httpc send 'GET /metrics HTTP/1.0\r\n\r\n' > /dev/null 2>&1
}
stop() {
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
}
# term_timed SECONDS: SIGTERM, and the ms until rosfwd is gone into dt (at
# most SECONDS waited)
term_timed() {
	local t0 i
	t0=$(ms)
	kill -TERM "$pid"
	for i in $(seq $(($1 * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	dt=$(($(ms) - t0))
	wait "$pid" 2>/dev/null
	pid=
}

# How a careful server answers what scrapers, browsers and fuzzers send.
start
status() { httpc send "$1" 2>/dev/null | head -1 | tr -d '\r'; }
check_status() {
	local got
	got=$(status "$2")
	if [ "$got" = "$3" ]; then pass "rosfwdload: $1: $3"; else fail "rosfwdload: $1: '$got', wanted '$3'"; fi
}
check_status "GET HTTP/1.0" 'GET /metrics HTTP/1.0\r\n\r\n' "HTTP/1.0 200 OK"
check_status "GET HTTP/1.1 with Host" 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' "HTTP/1.1 200 OK"
check_status "HTTP/1.1 without Host" 'GET /metrics HTTP/1.1\r\n\r\n' "HTTP/1.1 400 Bad Request"
check_status "no version (HTTP/0.9)" 'GET /metrics\r\n' "HTTP/1.1 400 Bad Request"
check_status "a NUL byte" 'GET /met\0rics HTTP/1.0\r\n\r\n' "HTTP/1.1 400 Bad Request"
check_status "HTTP/9.9" 'GET /metrics HTTP/9.9\r\n\r\n' "HTTP/1.1 505 HTTP Version Not Supported"
check_status "POST" 'POST /metrics HTTP/1.0\r\n\r\n' "HTTP/1.0 405 Method Not Allowed"
check_status "another path" 'GET /x HTTP/1.0\r\n\r\n' "HTTP/1.0 404 Not Found"
httpc send 'HEAD /metrics HTTP/1.0\r\n\r\n' > "$tmp/head"
httpc send 'GET /metrics HTTP/1.0\r\n\r\n' > "$tmp/get"
len=$(tr -d '\r' < "$tmp/get" | sed -n 's/^Content-Length: //p')
body=$(sed '1,/^\r$/d' "$tmp/get" | wc -c)
hlen=$(tr -d '\r' < "$tmp/head" | sed -n 's/^Content-Length: //p')
# (the counters move between the two requests: the lengths may differ)
if head -1 "$tmp/head" | grep -q '200 OK' && [ "$(sed '1,/^\r$/d' "$tmp/head" | wc -c)" = 0 ] &&
	[ "${hlen:-0}" -gt 0 ] && [ "$len" = "$body" ] && [ "$body" -gt 0 ]; then
	pass "rosfwdload: HEAD: GET's headers, no body"
else
	fail "rosfwdload: HEAD: GET's headers, no body ($len, $body): $(cat "$tmp/head")"
fi
if httpc send 'POST /metrics HTTP/1.0\r\n\r\n' | tr -d '\r' | grep -q '^Allow: GET, HEAD$'; then
	pass "rosfwdload: 405 says what is allowed"
else
	fail "rosfwdload: 405 says what is allowed"
fi

# A client trickling a byte every 1.5 s, and 20 that send nothing: polls go
# on at their interval, another scrape is answered at once, SIGTERM ends the
# daemon at once.
httpc trickle 1500 'GET /metrics HTTP/1.0\r\n\r\n' > "$tmp/trickled" 2>&1 &
trickler=$!
sleep 0.3
httpc idle 20 60 &
idlers=$!
sleep 0.5
# The largest gap between polls over 6 s, the log read every 0.1 s.
last=$(grep -c 'poll:' "$tmp/log")
prev=$(ms)
gap=0
end=$(($(ms) + 6000))
while [ "$(ms)" -lt "$end" ]; do
	n=$(grep -c 'poll:' "$tmp/log")
	if [ "$n" != "$last" ]; then
		[ $(($(ms) - prev)) -gt "$gap" ] && gap=$(($(ms) - prev))
		prev=$(ms)
		last=$n
	fi
	sleep 0.1
done
[ $(($(ms) - prev)) -gt "$gap" ] && gap=$(($(ms) - prev))
if [ "$gap" -lt 3000 ]; then
	pass "rosfwdload: polls every 1 s go on beside them (longest gap ${gap} ms)"
else
	fail "rosfwdload: polls go on beside the slow clients (longest gap ${gap} ms)"
fi
t0=$(ms)
timeout 20 "$tmp/httpc" 9464 send 'GET /metrics HTTP/1.0\r\n\r\n' > "$tmp/during" 2>&1
dt=$(($(ms) - t0))
if head -1 "$tmp/during" | grep -q '200 OK' && [ "$dt" -lt 2000 ]; then
	pass "rosfwdload: a scrape beside a trickling client and 20 idle ones: ${dt} ms"
else
	fail "rosfwdload: a scrape beside a trickling client and 20 idle ones: ${dt} ms: $(head -1 "$tmp/during")"
fi
# The trickler is dropped at its deadline (10 s), not served for a minute.
if wait_for grep -q . "$tmp/trickled" || ! kill -0 "$trickler" 2>/dev/null; then
	pass "rosfwdload: the trickling client is dropped at its deadline"
else
	fail "rosfwdload: the trickling client is dropped at its deadline"
fi
kill "$trickler" 2>/dev/null
# SIGTERM while a new trickler and the idle clients hold connections.
httpc trickle 1500 'GET /metrics HTTP/1.0\r\n\r\n' > /dev/null 2>&1 &
trickler=$!
sleep 2
term_timed 30
if [ "$dt" -lt 2000 ] && grep -Eq 'saved [0-9]+ entr(y|ies), exiting' "$tmp/log"; then
	pass "rosfwdload: SIGTERM beside slow and idle clients: saved and gone in ${dt} ms"
else
	fail "rosfwdload: SIGTERM beside slow and idle clients: ${dt} ms: $(tail -3 "$tmp/log")"
fi
kill "$idlers" "$trickler" 2>/dev/null
wait "$idlers" "$trickler" 2>/dev/null

# A burst of 500 scrapes at once: none refused, all answered.
start
t0=$(ms)
out=$(httpc burst 500 2>&1)
dt=$(($(ms) - t0))
if [ $? = 0 ] && echo "$out" | grep -q '^500 of 500 answered 200' && [ "$dt" -lt 20000 ]; then
	pass "rosfwdload: 500 scrapes at once: $out"
else
	fail "rosfwdload: 500 scrapes at once (${dt} ms): $out"
fi
stop

# The configuration's own entries of a list rules add to are the
# configuration's: rosfwd saves what rules added, never those (a flush and
# a re-apply without them must not bring them back).
cat > "$tmp/mixed.rsc" <<'RSC'
/ip firewall address-list
add list=seen address=10.3.3.3
/ip firewall filter
add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=seen address-list-timeout=1h
RSC
"$rosfw" apply "$tmp/mixed.rsc" 2>/dev/null
echo x > /dev/udp/127.0.0.1/9
mkdir -m 700 "$tmp/m"
"$rosfwd" --once --state "$tmp/m/state" 2>/dev/null
if grep -q '^e 4 al_seen 127.0.0.1 ' "$tmp/m/state" && ! grep -q '10.3.3.3' "$tmp/m/state"; then
	pass "rosfwdload: the configuration's entries of a list rules add to are not saved as dynamic"
else
	fail "rosfwdload: the configuration's entries are not saved as dynamic: $(cat "$tmp/m/state")"
fi
"$rosfw" flush && "$rosfw" apply "$tmp/a.rsc" 2>/dev/null

# A flush and a re-apply while rosfwd runs: the file keeps the entries
# while the tables are gone, and the tables made anew get them back. And one
# rosfwd a state file: a second is refused.
mkdir -m 700 "$tmp/f"
"$rosfw" address-list add list=seen address=203.0.113.50 timeout=1h
"$rosfwd" --state "$tmp/f/state" --interval 1 "$tmp/a.rsc" 2> "$tmp/flog" &
pid=$!
wait_for grep -q '203.0.113.50' "$tmp/f/state"
"$rosfwd" --once --state "$tmp/f/state" 2> "$tmp/log2"
rc2=$?
"$rosfw" flush
sleep 2.5
kept=$(grep -c '203.0.113.50' "$tmp/f/state")
"$rosfw" apply "$tmp/a.rsc" 2>/dev/null
if [ "$kept" = 1 ] && grep -q 'tables are gone' "$tmp/flog" &&
	wait_for sh -c "nft list set ip rosfw ar_seen | grep -q 203.0.113.50" && grep -q 'made anew' "$tmp/flog"; then
	pass "rosfwdload: a flush while rosfwd runs keeps the file, a re-apply gets the entries back"
else
	fail "rosfwdload: a flush while rosfwd runs (kept $kept): $(cat "$tmp/flog")"
fi
if [ "$rc2" = 3 ] && grep -q 'another rosfwd keeps this state file' "$tmp/log2"; then
	pass "rosfwdload: a second rosfwd on the same state file is refused"
else
	fail "rosfwdload: a second rosfwd on the same state file is refused (exit $rc2): $(cat "$tmp/log2")"
fi
stop
"$rosfwd" --once --state "$tmp/f/state" "$tmp/nope.rsc" 2> "$tmp/log2"
rc2=$?
if [ "$rc2" = 3 ] && grep -q 'nope.rsc' "$tmp/log2"; then
	pass "rosfwdload: a configuration that does not load stops the start"
else
	fail "rosfwdload: a configuration that does not load stops the start (exit $rc2): $(cat "$tmp/log2")"
fi

# The state file is trusted only where nobody else could have written it.
mkdir -m 777 "$tmp/open"
"$rosfwd" --once --state "$tmp/open/state" 2> "$tmp/log"
rc=$?
if [ "$rc" = 3 ] && grep -q 'writable by others' "$tmp/log" && [ ! -e "$tmp/open/state" ]; then
	pass "rosfwdload: a state directory others can write is refused"
else
	fail "rosfwdload: a state directory others can write is refused (exit $rc): $(cat "$tmp/log")"
fi
echo secret > "$tmp/secret"
ln -s "$tmp/secret" "$S.link"
"$rosfwd" --once --state "$S.link" 2> "$tmp/log"
rc=$?
if [ "$rc" = 3 ] && grep -q 'symbolic link' "$tmp/log" && [ "$(cat "$tmp/secret")" = secret ]; then
	pass "rosfwdload: a state file that is a symbolic link is refused, its target untouched"
else
	fail "rosfwdload: a state file that is a symbolic link is refused (exit $rc): $(cat "$tmp/log")"
fi

# A state file rosfwd cannot read is never overwritten (rosfwd under
# systemd has no CAP_DAC_OVERRIDE: mode 000 stops it).
"$rosfwd" --once --state "$S" 2>/dev/null
cp "$S" "$tmp/before"
chmod 000 "$S"
setpriv --bounding-set -dac_override,-dac_read_search "$rosfwd" --once --state "$S" 2> "$tmp/log"
rc=$?
chmod 600 "$S"
if [ "$rc" = 3 ] && grep -q 'cannot be read' "$tmp/log" && cmp -s "$S" "$tmp/before"; then
	pass "rosfwdload: an unreadable state file stops the start and stays as it was"
else
	fail "rosfwdload: an unreadable state file stops the start (exit $rc): $(cat "$tmp/log")"
fi
# Two damaged files in turn: the first one set aside is kept.
echo damaged-1 > "$S"
"$rosfwd" --once --state "$S" 2>/dev/null
echo damaged-2 > "$S"
"$rosfwd" --once --state "$S" 2> "$tmp/log"
if [ "$(cat "$S.corrupt" 2>/dev/null)" = damaged-1 ] && [ "$(cat "$S.corrupt.1" 2>/dev/null)" = damaged-2 ] &&
	grep -q "moved to $S.corrupt.1" "$tmp/log"; then
	pass "rosfwdload: a second damaged file does not replace the first one set aside"
else
	fail "rosfwdload: a second damaged file does not replace the first: $(cat "$tmp/log"; ls "$tmp/s")"
fi

# A save killed before its rename leaves its temporary file: the next
# start removes it (a daemon restarted in a loop would fill the disk).
echo half > "$tmp/s/.state.Kx7PqL2mZr9A"
"$rosfwd" --once --state "$S" 2> "$tmp/log"
if [ ! -e "$tmp/s/.state.Kx7PqL2mZr9A" ] && grep -q 'removed 1 temporary file' "$tmp/log"; then
	pass "rosfwdload: a killed save's temporary file is removed at the next start"
else
	fail "rosfwdload: a killed save's temporary file is removed: $(cat "$tmp/log"; ls -a "$tmp/s")"
fi

# Without CAP_NET_ADMIN: one line, exit 3, nothing saved or said saved.
rm -f "$S"
setpriv --bounding-set -net_admin "$rosfwd" --interval 1 --state "$S" 2> "$tmp/log" &
pid=$!
for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then
	stop
	rc=running
else
	wait "$pid"
	rc=$?
	pid=
fi
if [ "$rc" = 3 ] && [ "$(wc -l < "$tmp/log")" = 1 ] && grep -q CAP_NET_ADMIN "$tmp/log" && [ ! -e "$S" ]; then
	pass "rosfwdload: without CAP_NET_ADMIN: one line, exit 3"
else
	fail "rosfwdload: without CAP_NET_ADMIN (exit $rc): $(cat "$tmp/log")"
fi

# A poll that takes longer than the interval (150k run-time entries: some
# seconds to dump) runs beside the loop: scrapes are answered while it
# runs, the log says polls now run back to back, SIGTERM does not wait
# for another read.
"$rosfw" apply "$tmp/a.rsc" 2>/dev/null
awk 'BEGIN { printf "add element ip rosfw ar_seen { "
	for (i = 0; i < 150000; i++) printf "%s10.%d.%d.%d timeout 1h", i ? ", " : "", int(i / 65536) % 256, int(i / 256) % 256, i % 256
	print " }" }' > "$tmp/big.nft"
nft -f "$tmp/big.nft"
start
wait_for grep -q 'polls now run back to back' "$tmp/log"
wait_for grep -q 'polls now run back to back' "$tmp/log"
slowest=0
for i in $(seq 10); do
	t0=$(ms)
	timeout 20 "$tmp/httpc" 9464 send 'GET /metrics HTTP/1.0\r\n\r\n' | head -1 | grep -q '200 OK' || slowest=99999
	dt=$(($(ms) - t0))
	[ "$dt" -gt "$slowest" ] && slowest=$dt
	sleep 0.3
done
read_ms=$(sed -n 's/.*read in \([0-9]*\) ms.*/\1/p' "$tmp/log" | tail -1)
if grep -q 'polls now run back to back' "$tmp/log" && [ "$slowest" -lt 1000 ] && [ "${read_ms:-0}" -gt 1000 ]; then
	pass "rosfwdload: scrapes while polls of ${read_ms} ms run: the slowest ${slowest} ms"
else
	fail "rosfwdload: scrapes while slow polls run: the slowest ${slowest} ms, a read ${read_ms} ms: $(cat "$tmp/log")"
fi
term_timed 60
if [ "$dt" -lt $((read_ms + 3000)) ] && grep -Eq 'saved 1500[0-9]{2} entries, exiting' "$tmp/log"; then
	pass "rosfwdload: SIGTERM during a slow poll: saved in ${dt} ms (a read takes ${read_ms} ms)"
else
	fail "rosfwdload: SIGTERM during a slow poll: ${dt} ms (a read takes ${read_ms} ms): $(tail -3 "$tmp/log")"
fi

summary rosfwdload
