#!/bin/bash
# DNS-name address-list entries (issue 6): rosfwd resolves them and keeps
# the list's set in step with the answers (names from /etc/hosts here;
# tests/apply/dnsttl.sh asks a DNS server). In fresh network and mount
# namespaces, /etc/hosts is a file the test rewrites: a new answer
# replaces the old, a failed lookup keeps the last answer, an address a
# configured prefix covers is the configuration's, SIGHUP's apply gets the
# answers back, a name dropped from the configuration takes its answer
# away, and answers are never saved as dynamic entries.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
rosfwd=$(dirname "$rosfw")/rosfwd
in_own_namespaces dns "-n -m" "$@"
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
# Only this mount namespace sees the test's hosts file.
mount --make-rprivate / 2>/dev/null
touch "$tmp/hosts"
mount --bind "$tmp/hosts" /etc/hosts || { fail "dns: bind-mount a hosts file"; summary "dns"; exit 1; }
hosts() { printf "$@" > "$tmp/hosts"; }
# A record, for the small transaction after rosfwd's commits (below).
mkdir -m 700 "$tmp/rec"
export ROSFW_RECORD=$tmp/rec/applied.rsc

cat > "$tmp/a.rsc" <<'RSC'
/ip firewall address-list
add list=web address=rosfw-a.test
add list=web address=rosfw-b.test
add list=web address=198.51.100.0/24
/ip firewall filter
add chain=forward dst-address-list=web action=accept
/ipv6 firewall address-list
add list=web6 address=rosfw-a.test
/ipv6 firewall filter
add chain=forward dst-address-list=web6 action=accept
RSC
grep -v 'list=web6 address=' "$tmp/a.rsc" > "$tmp/b.rsc"
"$rosfw" apply "$tmp/a.rsc" 2>/dev/null || { fail "dns: apply"; summary "dns"; exit 1; }

hosts '192.0.2.10 rosfw-a.test\n2001:db8::10 rosfw-a.test\n192.0.2.20 rosfw-b.test\n198.51.100.7 rosfw-b.test\n'
"$rosfwd" --dns-refresh 1 --dns-floor 1 --dns-cap 2 --interval 1 --state "$tmp/st/state" "$tmp/a.rsc" 2> "$tmp/log" &
pid=$!

# elems FAMILY SET: the set's elements on one line
elems() { nft list set "$1" rosfw "$2" | tr -s ' \t\n' ' ' | sed -n 's/.*elements = { \([^}]*\) }.*/\1/p'; }
# until CMD: wait for CMD to succeed, at most 10 s (a bound, not a timing)
until_ok() {
	local i
	for i in $(seq 100); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
is() { [ "$(elems "$1" "$2")" = "$3" ]; }
check() {
	local what=$1
	shift
	if until_ok is "$@"; then pass "dns: $what"; else fail "dns: $what: '$(elems "$1" "$2")', wanted '$3'"; fi
}

check "the answers are in the list, one the configured prefix covers is not" ip al_web \
	"192.0.2.10, 192.0.2.20, 198.51.100.0/24"
check "IPv6 names resolve for /ipv6 lists" ip6 al_web6 "2001:db8::10"
# rosfwd's commits (the answers added) keep the apply record: a one-rule
# change is still a small transaction (incr_advance).
sed 's/dst-address-list=web action=accept/dst-address-list=web protocol=tcp action=accept/' "$tmp/a.rsc" > "$tmp/c.rsc"
if "$rosfw" apply --json "$tmp/c.rsc" 2>/dev/null | grep -q '"incremental":true' &&
	is ip al_web "192.0.2.10, 192.0.2.20, 198.51.100.0/24"; then
	pass "dns: after the answers came, a one-rule change is a small transaction"
else
	fail "dns: after the answers came, a one-rule change is a small transaction: '$(elems ip al_web)'"
fi
hosts '192.0.2.11 rosfw-a.test\n2001:db8::10 rosfw-a.test\n192.0.2.20 rosfw-b.test\n'
check "a new answer replaces the old" ip al_web "192.0.2.11, 192.0.2.20, 198.51.100.0/24"
hosts '192.0.2.20 rosfw-b.test\n2001:db8::10 rosfw-a.test\n'
if until_ok grep -q 'rosfw-a.test (list "web"): .*keeping the last answer (1 addresses)' "$tmp/log" &&
	is ip al_web "192.0.2.11, 192.0.2.20, 198.51.100.0/24"; then
	pass "dns: a failed lookup keeps the last answer and is logged"
else
	fail "dns: a failed lookup keeps the last answer: '$(elems ip al_web)': $(tail -3 "$tmp/log")"
fi
kill -HUP "$pid"
until_ok grep -q 'SIGHUP: apply done' "$tmp/log"
check "after SIGHUP's apply the last answers are back" ip al_web "192.0.2.11, 192.0.2.20, 198.51.100.0/24"
if grep '^e ' "$tmp/st/state" | grep -q '2001:db8::10\|192.0.2.1'; then
	fail "dns: answers are not saved as dynamic entries: $(cat "$tmp/st/state")"
else
	pass "dns: answers are not saved as dynamic entries"
fi
if until_ok grep -q '^n 4 al_web 192.0.2.11 rosfw-a.test$' "$tmp/st/state"; then
	pass "dns: answers are saved as the names' last answers"
else
	fail "dns: answers are saved as the names' last answers: $(cat "$tmp/st/state")"
fi
# The name leaves the configuration: its answer leaves the dynamic set
# that apply kept it in.
cp "$tmp/b.rsc" "$tmp/a.rsc"
kill -HUP "$pid"
if until_ok is ip6 al_web6 ""; then
	pass "dns: a name dropped from the configuration takes its answer away"
else
	fail "dns: a name dropped from the configuration takes its answer away: '$(elems ip6 al_web6)'"
fi
# The configuration gains, as a static entry, an address a DNS answer put
# there already: adding it changes nothing in the kernel, which keeps its
# generation, so the small transaction must not be taken (its record would
# run one ahead, and the next commit anyone makes would land on it). Then a
# hand removal of it, and the next apply must put it back.
{ cat "$tmp/a.rsc"; printf '/ip firewall address-list\nadd list=web address=192.0.2.11\n'; } > "$tmp/c2.rsc"
"$rosfw" apply --json "$tmp/c2.rsc" > "$tmp/c2.json" 2>/dev/null
"$rosfw" address-list remove list=web address=192.0.2.11 2>/dev/null
"$rosfw" apply "$tmp/c2.rsc" 2>/dev/null
if ! grep -q '"incremental":true' "$tmp/c2.json" && elems ip al_web | grep -q '192\.0\.2\.11,'; then
	pass "dns: a static entry equal to an answer is not a small transaction, and comes back after a removal"
else
	fail "dns: a static entry equal to an answer is not a small transaction, and comes back after a removal: '$(elems ip al_web)' $(head -c 200 "$tmp/c2.json")"
fi
kill -TERM "$pid"
wait "$pid"
pid=
for bad in --dns-floor=0 "--dns-floor=9 --dns-cap=3"; do
	# shellcheck disable=SC2086
	"$rosfwd" $bad --once --state "$tmp/st/state" 2>/dev/null
	if [ $? = 3 ]; then pass "dns: $bad is a usage error (exit 3)"; else fail "dns: $bad is a usage error (exit 3)"; fi
done
summary "dns"
