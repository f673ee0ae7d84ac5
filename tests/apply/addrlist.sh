#!/bin/bash
# rosfw address-list add|remove (issue 6) in a fresh network namespace:
# each entry lands in the list's run-time set (ar_X), as `nft list set` and
# `nft get element` show; nothing else changes; a re-apply keeps what was
# added; every refusal has its exit code and says why.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
# The whole test runs in its own network namespace: nothing here can touch
# the host's ruleset.
in_own_namespaces addrlist "-n" "$@"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/a.rsc" <<'RSC'
/ip firewall address-list
add list=blocked address=192.0.2.0/24
add list=plain address=198.51.100.1
add list=mixed address=10.1.0.0/16
add list=all address=0.0.0.0/0
/ip firewall filter
add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=mixed address-list-timeout=1h
add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=seen address-list-timeout=1h
add chain=input src-address-list=blocked action=drop
add chain=input src-address-list=plain action=drop
/ipv6 firewall address-list
add list=v6 address=2001:db8::/32
RSC
"$rosfw" apply "$tmp/a.rsc" || { fail "addrlist: apply"; summary "addrlist"; exit 1; }

# expect CODE WHAT ARGS...: rosfw address-list ARGS exits with CODE
expect() {
	local want=$1 what=$2 rc
	shift 2
	"$rosfw" address-list "$@" 2> "$tmp/err"
	rc=$?
	if [ "$rc" = "$want" ]; then
		pass "addrlist: $what (exit $rc)"
	else
		fail "addrlist: $what: exit $rc, wanted $want: $(cat "$tmp/err")"
	fi
}
# has FAMILY SET TEXT: nft's listing of the set shows TEXT
has() {
	if nft list set "$1" rosfw "$2" | tr -s ' \t\n' ' ' | grep -qF -- "$3"; then
		pass "addrlist: $2 shows $3"
	else
		fail "addrlist: $2 shows $3: $(nft list set "$1" rosfw "$2" | tr -s ' \t\n' ' ')"
	fi
}
hasnt() {
	if nft list set "$1" rosfw "$2" | tr -s ' \t\n' ' ' | grep -qF -- "$3"; then
		fail "addrlist: $2 no longer shows $3"
	else
		pass "addrlist: $2 no longer shows $3"
	fi
}
says() {
	if grep -qF -- "$1" "$tmp/err"; then
		pass "addrlist: the message says \"$1\""
	else
		fail "addrlist: the message says \"$1\": $(cat "$tmp/err")"
	fi
}
matches() {
	if nft get element ip rosfw "$1" "{ $2 }" >/dev/null 2>&1; then
		pass "addrlist: $1 matches $2"
	else
		fail "addrlist: $1 matches $2"
	fi
}

nft list set ip rosfw al_plain > "$tmp/plain.before"
nft list set ip rosfw al_blocked > "$tmp/blocked.before"
expect 0 "add a prefix with a comment" add list=blocked address=10.0.0.0/24 'comment=a "quoted" one'
has ip ar_blocked "10.0.0.0/24 comment \"a 'quoted' one\""
matches ar_blocked 10.0.0.77
expect 0 "add a range" add list=blocked address=172.16.0.5-172.16.0.9
has ip ar_blocked "172.16.0.5-172.16.0.9"
expect 2 "the same prefix again" add list=blocked address=10.0.0.0/24
says 'already has 10.0.0.0/24'
expect 2 "a prefix over a run-time entry" add list=blocked address=10.0.0.0/16
expect 0 "an address inside a configured prefix (RouterOS lists may overlap)" add list=blocked address=192.0.2.7
has ip ar_blocked "192.0.2.7"
expect 0 "a range to the last address" add list=blocked address=224.0.0.0/3
matches ar_blocked 255.255.255.255
matches ar_blocked 230.1.2.3
expect 2 "a range to the last address over that one" add list=blocked address=128.0.0.0/1
hasnt ip ar_blocked "128.0.0.0"
expect 0 "remove that range again" remove list=blocked address=224.0.0.0/3
hasnt ip ar_blocked "224.0.0.0"
if nft list set ip rosfw al_blocked | cmp -s - "$tmp/blocked.before"; then
	pass "addrlist: adds leave the configuration's set alone"
else
	fail "addrlist: adds leave the configuration's set alone"
fi
expect 0 "add a timed address" add list=mixed address=203.0.113.7 timeout=1h comment=t
has ip ar_mixed "203.0.113.7 timeout 1h"
hasnt ip ad_mixed "203.0.113.7"
expect 0 "add a timed address to a list rules add to" add list=seen address=203.0.113.8 timeout=00:10:00
has ip ar_seen "203.0.113.8 timeout 10m"
expect 0 "a timed address to a list without timed entries" add list=plain address=203.0.113.9 timeout=1h
has ip ar_plain "203.0.113.9 timeout 1h"
expect 0 "a timed prefix" add list=mixed address=203.0.114.0/28 timeout=1h
has ip ar_mixed "203.0.114.0/28 timeout 1h"
expect 0 "a prefix to a list of single addresses" add list=plain address=203.0.112.0/28
has ip ar_plain "203.0.112.0/28"
expect 1 "a list the kernel does not have" add list=nope address=203.0.113.9
says 'no address list "nope"'
expect 0 "an IPv6 prefix goes to table ip6" add list=v6 address=2001:db9::/48
has ip6 ar_v6 "2001:db9::/48"
expect 0 "--ipv6 with an IPv6 address" --ipv6 add list=v6 address=2001:dba::1
has ip6 ar_v6 "2001:dba::1"
expect 3 "--ipv6 with an IPv4 address" --ipv6 add list=v6 address=10.0.0.1
expect 3 "a DNS name" add list=blocked address=example.com
says 'DNS names'
expect 3 "a bad timeout" add list=blocked address=10.9.0.0/24 timeout=soon
expect 3 "an unknown property" add list=blocked address=10.9.0.0/24 color=red
expect 3 "remove takes no timeout" remove list=blocked address=10.0.0.0/24 timeout=1h
expect 3 "no list=" add address=10.9.0.0/24
expect 3 "neither add nor remove" move list=blocked address=10.9.0.0/24
printf 'x\033[31m' > "$tmp/name"
expect 1 "a list name with control bytes" add "list=$(cat "$tmp/name")" address=10.9.0.0/24
if grep -q $'\033' "$tmp/err"; then fail "addrlist: control bytes escaped in messages"; else pass "addrlist: control bytes escaped in messages"; fi

# Entries live on across a re-apply: run-time ones with their comments and
# the time they have left; what a rule added; none of what apply replaces.
"$rosfw" address-list add list=mixed address=203.0.113.50 timeout=2h 2>/dev/null
nft add element ip rosfw ad_mixed "{ 198.18.0.1 timeout 30000d }"
"$rosfw" apply "$tmp/a.rsc" 2>/dev/null
has ip ar_mixed "203.0.113.50 timeout 1h59m"
has ip ar_blocked "10.0.0.0/24 comment \"a 'quoted' one\""
has ip ar_blocked "172.16.0.5-172.16.0.9"
has ip ar_plain "203.0.112.0/28"
has ip6 ar_v6 "2001:db9::/48"
has ip ad_mixed "198.18.0.1 timeout 30000d"

expect 0 "remove a prefix" remove list=blocked address=10.0.0.0/24
hasnt ip ar_blocked "10.0.0.0/24"
has ip al_blocked "192.0.2.0/24"
expect 2 "remove it again" remove list=blocked address=10.0.0.0/24
says 'has no entry 10.0.0.0/24'
expect 0 "remove the timed address" remove list=mixed address=203.0.113.7
hasnt ip ar_mixed "203.0.113.7"
expect 0 "remove what a rule added" remove list=mixed address=198.18.0.1
hasnt ip ad_mixed "198.18.0.1"
expect 0 "remove a configured open range" remove list=all address=0.0.0.0/0
hasnt ip al_all "0.0.0.0"
expect 0 "add it back" add list=all address=0.0.0.0/0
matches ar_all 255.255.255.255
matches ar_all 0.0.0.0
expect 2 "an entry inside 0.0.0.0/0" add list=all address=10.0.0.0/8
expect 0 "remove an IPv6 entry" remove list=v6 address=2001:db9::/48
hasnt ip6 ar_v6 "2001:db9::"

# Nothing but the named set changed: the listing of another set is the
# same.
if nft list set ip rosfw al_plain | cmp -s - "$tmp/plain.before"; then
	pass "addrlist: other sets untouched"
else
	fail "addrlist: other sets untouched"
fi

if command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$rosfw" address-list add list=blocked address=10.9.0.0/24 \
			2> "$tmp/err" >/dev/null
	rc=$?
	if [ "$rc" = 3 ] && grep -q CAP_NET_ADMIN "$tmp/err"; then
		pass "addrlist: without CAP_NET_ADMIN: exit 3, said so"
	else
		fail "addrlist: without CAP_NET_ADMIN: exit $rc: $(cat "$tmp/err")"
	fi
fi
summary "addrlist"
