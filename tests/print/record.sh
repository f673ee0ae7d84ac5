#!/bin/bash
# print without the file (issue 14): apply records what it committed, and
# print stats, print address-list, rosfwd's /metrics and print connection's
# mark names read that record. A FILE (or record) that is not what the
# kernel holds is refused, never printed under the wrong rules; after a
# reboot-like flush, nothing is applied; a damaged, foreign or unsafe
# record is refused. All in a network namespace of its own, the record in
# a directory of its own (ROSFW_RECORD).
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
rosfwd=$(dirname "$rosfw")/rosfwd
in_own_namespaces print-record "-n" "$@"
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$ROOT/tests/print" || exit 1
ip link set lo up
export ROSFW_RECORD=$tmp/rec/applied.rsc
mkdir -m 700 "$tmp/rec"

check() {	# name, then a command that must succeed
	local n=$1
	shift
	if "$@"; then pass "$n"; else fail "$n"; fi
}
# code NAME WANT CMD...: CMD exits WANT; its stdout in $tmp/out, stderr in $tmp/err
code() {
	local n=$1 want=$2 rc
	shift 2
	"$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	if [ "$rc" = "$want" ]; then pass "$n"; else fail "$n (exit $rc, not $want: $(head -2 "$tmp/err"))"; fi
}

code "no record yet: print stats without FILE exits 1" 1 "$rosfw" print stats
check "no record yet: says so" grep -q "no record of an apply" "$tmp/err"

"$rosfw" apply --unsupported=skip-rule config.rsc 2> /dev/null || fail "apply config.rsc"
check "apply writes the record" test -f "$ROSFW_RECORD"
check "the record is root's alone (0600)" test "$(stat -c %a "$ROSFW_RECORD")" = 600
check "the record is rosfw dump's text" bash -c "'$rosfw' dump config.rsc 2>/dev/null | cmp -s - <(sed '1,/^# digest /d' '$ROSFW_RECORD')"
for i in 1 2 3; do echo x > /dev/udp/127.0.0.1/9; done

code "print stats without FILE exits 0" 0 "$rosfw" print stats
cp "$tmp/out" "$tmp/stats-rec"
check "print stats without FILE counts rule 0" grep -qE '^     input +add-src-to-address-list +90 +3$' "$tmp/stats-rec"
check "print stats without FILE shows the disabled rule" grep -qE '^ 2 X ;;; disabled drop$' "$tmp/stats-rec"
"$rosfw" print stats config.rsc > "$tmp/stats-file" 2>/dev/null
check "print stats without FILE equals print stats FILE" cmp -s "$tmp/stats-rec" "$tmp/stats-file"
"$rosfw" print stats all --json > "$tmp/j1" 2>/dev/null
"$rosfw" print stats all --json config.rsc > "$tmp/j2" 2>/dev/null
check "print stats all --json: the same without FILE" cmp -s "$tmp/j1" "$tmp/j2"
code "print address-list without FILE exits 0" 0 "$rosfw" print address-list
# Without the time left, which moves on between the two.
sed -E 's/ +([0-9]+[wdhms])+$//' "$tmp/out" > "$tmp/al-rec"
"$rosfw" print address-list config.rsc 2>/dev/null | sed -E 's/ +([0-9]+[wdhms])+$//' > "$tmp/al-file"
check "print address-list without FILE shows the static entries" grep -qE '^     trusted +10\.9\.9\.9$' "$tmp/al-rec"
check "print address-list without FILE equals print address-list FILE" cmp -s "$tmp/al-rec" "$tmp/al-file"

# A FILE that is not the applied one: refused, nothing printed.
sed 's/comment="accept udp 9"/comment="accept udp nine"/' config.rsc > "$tmp/other.rsc"
code "a FILE with another comment is refused (exit 1)" 1 "$rosfw" print stats "$tmp/other.rsc"
check "... and says it is not the kernel's" grep -q "is not the configuration the kernel holds" "$tmp/err"
check "... and prints nothing" test ! -s "$tmp/out"
{ cat config.rsc; echo "/ip firewall filter move 1 0"; } > "$tmp/moved.rsc"
code "a FILE with two rules swapped is refused (exit 1)" 1 "$rosfw" print stats "$tmp/moved.rsc"
check "... naming the first rule that differs" grep -q "first: rule 0" "$tmp/err"
code "print address-list of another FILE is refused (exit 1)" 1 "$rosfw" print address-list "$tmp/other.rsc"
code "print stats --prometheus of another FILE is refused (exit 1)" 1 "$rosfw" print stats all --prometheus "$tmp/other.rsc"

# The kernel changed behind rosfw's back (nft -f): the record is refused too.
"$rosfw" compile --unsupported=skip-rule "$tmp/other.rsc" 2>/dev/null | nft -f -
code "after nft -f of another configuration, print without FILE is refused (exit 1)" 1 "$rosfw" print stats
check "... saying the kernel holds another firewall" grep -q "the kernel holds another firewall than the record" "$tmp/err"
code "... while the FILE that is loaded is taken" 0 "$rosfw" print stats "$tmp/other.rsc"

# rosfwd's /metrics without CONFIG.
"$rosfw" apply --unsupported=skip-rule config.rsc 2> /dev/null
echo x > /dev/udp/127.0.0.1/9
mkdir -m 700 "$tmp/st"
"$rosfwd" --metrics-port 9471 --state "$tmp/st/state" 2> "$tmp/log" &
pid=$!
get() {
	exec 3<>/dev/tcp/127.0.0.1/9471 || return 1
	printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3
	cat <&3 > "$tmp/http"
	exec 3<&-
}
wait_for get 2>/dev/null
"$rosfw" print stats all --prometheus config.rsc > "$tmp/prom" 2>/dev/null
missing=$(grep -v '^#' "$tmp/prom" | grep -vxFf <(tr -d '\r' < "$tmp/http") | head -3)
check "rosfwd without CONFIG: /metrics answers 200" sh -c "head -1 '$tmp/http' | grep -q '^HTTP/1.0 200'"
check "rosfwd without CONFIG: /metrics holds print stats --prometheus's samples (missing: $missing)" test -z "$missing"
check "rosfwd without CONFIG: rule 0's sample" grep -q 'facility="filter",number="0",chain="input",action="add-src-to-address-list"' "$tmp/http"
"$rosfw" compile --unsupported=skip-rule "$tmp/other.rsc" 2>/dev/null | nft -f -
get
check "rosfwd without CONFIG: another firewall loaded by nft -f: 503" sh -c "head -1 '$tmp/http' | grep -q '^HTTP/1.0 503' && grep -q 'another configuration' '$tmp/http'"
"$rosfw" apply --unsupported=skip-rule "$tmp/other.rsc" 2> /dev/null
get
check "rosfwd without CONFIG: an apply's new record is read at the next scrape" \
	sh -c "head -1 '$tmp/http' | grep -q '^HTTP/1.0 200' && grep -q 'comment=\"accept udp nine\"' '$tmp/http'"
kill -TERM "$pid"
wait "$pid"
pid=

# A reboot: the kernel has no tables, the record is still there.
"$rosfw" apply --unsupported=skip-rule config.rsc 2> /dev/null
nft flush ruleset
code "after a reboot-like flush, print stats without FILE exits 3" 3 "$rosfw" print stats
check "... and says nothing is applied" grep -q "nothing is applied" "$tmp/err"
code "after a reboot-like flush, print address-list without FILE exits 3" 3 "$rosfw" print address-list
check "... and says nothing is applied" grep -q "nothing is applied" "$tmp/err"

# Damaged, foreign, unsafe records: refused, never half-used.
"$rosfw" apply --unsupported=skip-rule config.rsc 2> /dev/null
cp "$ROSFW_RECORD" "$tmp/good"
sed -i 's/comment="accept udp 9"/comment="accept udp 8"/' "$ROSFW_RECORD"
code "a record edited by hand is refused (exit 1)" 1 "$rosfw" print stats
check "... as damaged" grep -q "damaged" "$tmp/err"
cp config.rsc "$ROSFW_RECORD"
code "a file that is no record is refused (exit 1)" 1 "$rosfw" print stats
check "... as not a record" grep -q "not a record" "$tmp/err"
cp "$tmp/good" "$ROSFW_RECORD"
chmod 0620 "$ROSFW_RECORD"
code "a record others may write is refused (exit 3)" 3 "$rosfw" print stats
check "... saying why" grep -q "writable by others" "$tmp/err"
chmod 0600 "$ROSFW_RECORD"
chmod 0777 "$tmp/rec"
"$rosfw" apply --unsupported=skip-rule config.rsc 2> "$tmp/err"
check "apply into a directory others may write records nothing, with a warning" grep -q "not recording what was applied" "$tmp/err"
chmod 0700 "$tmp/rec"
code "print stats without FILE works again" 0 "$rosfw" print stats

# print connection: marks by name (from the record), protocols by name.
"$rosfw" apply marks.rsc 2> /dev/null || fail "apply marks.rsc"
echo x > /dev/udp/127.0.0.1/9
echo x > /dev/udp/127.0.0.1/8
echo x > /dev/udp/127.0.0.1/7
code "print connection exits 0" 0 "$rosfw" print connection
check "a connection mark shows by name" grep -qE ' udp +127\.0\.0\.1:[0-9]+ +127\.0\.0\.1:9 .* voice +[0-9]+/' "$tmp/out"
check "another mark by name" grep -qE ':8 .* bulk-data +[0-9]+/' "$tmp/out"
check "no mark: the column is empty" grep -qE ':7 .* [0-9]+s +[0-9]+/[0-9]+$' "$tmp/out"
code "where connection-mark=voice" 0 "$rosfw" print connection where connection-mark=voice count-only
check "... finds the one connection" test "$(cat "$tmp/out")" = 1
"$rosfw" print connection where connection-mark=no-mark > "$tmp/nomark" 2>/dev/null
check "where connection-mark=no-mark finds the unmarked one" grep -qE '127\.0\.0\.1:7 ' "$tmp/nomark"
check "where connection-mark=no-mark leaves the marked out" sh -c "! grep -qE 'voice|bulk-data' '$tmp/nomark'"
"$rosfw" print connection where connection-mark!=voice protocol=udp > "$tmp/notvoice" 2>/dev/null
check "where connection-mark!=voice" sh -c "grep -q bulk-data '$tmp/notvoice' && ! grep -q voice '$tmp/notvoice'"
code "where connection-mark=NAME the configuration lacks: nothing, exit 0" 0 "$rosfw" print connection where connection-mark=nosuch count-only
check "... with a warning" grep -q 'no connection mark "nosuch"' "$tmp/err"
check "... and no connection" test "$(cat "$tmp/out")" = 0
"$rosfw" print connection --json where connection-mark=bulk-data > "$tmp/cj"
check "--json names the mark" grep -q '"connection-mark-name":"bulk-data"' "$tmp/cj"
code "without a record, where connection-mark=NAME is refused (exit 1)" 1 env ROSFW_RECORD= "$rosfw" print connection where connection-mark=voice
check "... saying where names come from" grep -q "mark names come from rosfw's record" "$tmp/err"
ROSFW_RECORD= "$rosfw" print connection where protocol=udp > "$tmp/numbers" 2>/dev/null
check "without a record, marks show as numbers" grep -qE ':9 .* 0x[0-9a-f]{8} +[0-9]+/' "$tmp/numbers"
code "an unknown protocol name is a usage error (exit 3)" 3 "$rosfw" print connection where protocol=nosuch
if command -v python3 > /dev/null; then
	python3 -c '
import socket
for proto, data in ((47, b"\0\0\x08\0hello"), (2, b"\x16\0\0\0\0\0\0\0"), (50, b"\0\0\0\1\0\0\0\1"), (94, b"x" * 20)):
	socket.socket(socket.AF_INET, socket.SOCK_RAW, proto).sendto(data, ("127.0.0.1", 0))
'
	"$rosfw" print connection > "$tmp/all" 2>/dev/null
	for p in gre igmp ipsec-esp ipip; do
		check "protocol $p shows by name" grep -qE "^ +[0-9]+ [A-Za-z]* +$p +127\.0\.0\.1 " "$tmp/all"
	done
	for p in gre igmp esp ipsec-esp 50 ipip; do
		"$rosfw" print connection where protocol=$p count-only > "$tmp/n" 2>/dev/null
		check "where protocol=$p finds it" test "$(cat "$tmp/n")" = 1
	done
else
	echo "print-record: no python3: raw protocol checks not run" >&2
fi

# A rule on a name only the map makes a Linux one (a space in it): the
# record keeps the map, so print without FILE lowers it as apply did.
cat > "$tmp/sp.rsc" <<'RSC'
/ip firewall filter
add chain=input in-interface="main infrastructure" action=accept comment="lan"
add chain=input action=drop
RSC
ip link add spa type veth peer name spb
"$rosfw" apply --interface '"main infrastructure"=spa' "$tmp/sp.rsc" 2> /dev/null || fail "apply sp.rsc with a map"
code "a mapped name with a space: print stats without FILE exits 0" 0 "$rosfw" print stats
check "... and shows the rule on it" grep -qE '^ 0 +;;; lan$' "$tmp/out"
check "the record names the map" grep -q '^# map "main infrastructure" = spa$' "$ROSFW_RECORD"
ip link del spa

summary print-record
