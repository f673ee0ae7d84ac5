#!/bin/bash
# State kept across re-apply (issue 4): in a fresh network namespace, apply
# a config whose rules add to address lists, send packets so entries appear
# and counters count, re-apply a changed config and read `nft list
# ruleset`: entries of kept lists stay with less time left, entries of a
# list that is gone go, an unchanged rule keeps its counter and a changed
# one starts at 0. Then every example, re-applied unchanged, keeps the
# counter of every rule.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! unshare -n true 2>/dev/null; then
	echo "state: needs root, nft and unshare: skipped" >&2
	summary "state"
	exit 0
fi

cat > "$tmp/a.rsc" <<'RSC'
/ip firewall address-list
add list=static1 address=10.9.9.9
/ip firewall filter
add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=seen address-list-timeout=1h comment="track"
add chain=input protocol=udp dst-port=9,10 action=passthrough comment="same"
add chain=input protocol=udp dst-port=9 action=passthrough comment="changed"
add chain=input src-address-list=seen action=passthrough comment="uses list"
add chain=input protocol=udp dst-port=9 action=add-dst-to-address-list address-list=gone address-list-timeout=1h
/ipv6 firewall filter
add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=seen6 address-list-timeout=2h comment="track6"
RSC
# One rule changed, its list and the others kept; the last rule (and
# with it the list gone) removed.
sed -e '/comment="changed"/s/dst-port=9/dst-port=9 packet-size=0-1000/' -e '/address-list=gone/d' \
	"$tmp/a.rsc" > "$tmp/b.rsc"

unshare -n bash -c '
set -e
ip link set lo up
"$1" apply "$2/a.rsc"
for i in 1 2 3; do echo x > /dev/udp/127.0.0.1/9; done
for i in 1 2; do echo x > /dev/udp/::1/9; done
nft list ruleset > "$2/before"
sleep 1.2
"$1" apply --json "$2/b.rsc" > "$2/json"
nft list ruleset > "$2/after"
' _ "$rosfw" "$tmp" 2> "$tmp/err" || { fail "state: scenario ran"; cat "$tmp/err" >&2; }

# seconds TEXT: "59m58s996ms" -> 3598.996
seconds() {
	echo "$1" | awk '{ s = 0; t = $0
		while (match(t, /^[0-9]+(ms|d|h|m|s)/)) {
			u = substr(t, RSTART, RLENGTH); t = substr(t, RLENGTH + 1)
			n = u + 0; sub(/^[0-9]+/, "", u)
			s += u == "d" ? n * 86400 : u == "h" ? n * 3600 : u == "m" ? n * 60 : u == "s" ? n : n / 1000
		}
		printf "%.3f\n", s }'
}
# timeout_of FILE ELEMENT: the timeout an element shows
timeout_of() {
	grep -o "$2 timeout [0-9dhms]*" "$1" | head -1 | awk '{ print $3 }'
}
# counter_of FILE COMMENT: "packets N bytes M" of the rule with that
# comment, read from the counter object it names
counter_of() {
	local name
	name=$(grep -F "comment \"$2\"" "$1" | grep -o 'counter name "[^"]*"' | head -1 | cut -d'"' -f2)
	[ -n "$name" ] || return
	grep -A1 "counter $name {" "$1" | grep -o 'packets [0-9]* bytes [0-9]*' | head -1
}

t1=$(timeout_of "$tmp/before" 127.0.0.1)
t2=$(timeout_of "$tmp/after" 127.0.0.1)
if [ -n "$t1" ] && [ -n "$t2" ] && awk -v a="$(seconds "$t1")" -v b="$(seconds "$t2")" 'BEGIN { exit !(b < a - 1 && b > a - 60) }'; then
	pass "state: dynamic entry kept with less time left ($t1 -> $t2)"
else
	fail "state: dynamic entry kept with less time left (before '$t1', after '$t2')"
fi
t1=$(timeout_of "$tmp/before" ::1)
t2=$(timeout_of "$tmp/after" ::1)
if [ -n "$t2" ] && awk -v a="$(seconds "$t1")" -v b="$(seconds "$t2")" 'BEGIN { exit !(b < a - 1) }'; then
	pass "state: ip6 dynamic entry kept ($t1 -> $t2)"
else
	fail "state: ip6 dynamic entry kept (before '$t1', after '$t2')"
fi
if grep -q 'set al_gone' "$tmp/before" && ! grep -q 'al_gone' "$tmp/after"; then
	pass "state: the list that is gone went with its entries"
else
	fail "state: the list that is gone went with its entries"
fi
for c in "same" "uses list" "track" "track6"; do
	b=$(counter_of "$tmp/before" "$c")
	a=$(counter_of "$tmp/after" "$c")
	if [ -n "$b" ] && [ "$b" != "packets 0 bytes 0" ] && [ "$a" = "$b" ]; then
		pass "state: unchanged rule $c keeps its counter ($a)"
	else
		fail "state: unchanged rule $c keeps its counter (before '$b', after '$a')"
	fi
done
b=$(counter_of "$tmp/before" "changed")
a=$(counter_of "$tmp/after" "changed")
if [ "$b" = "packets 3 bytes 90" ] && [ "$a" = "packets 0 bytes 0" ]; then
	pass "state: the changed rule starts at 0"
else
	fail "state: the changed rule starts at 0 (before '$b', after '$a')"
fi
# RouterOS rules whose counter objects stayed: "track", "same",
# "uses list" (two kernel rules, one counter) and "track6".
if grep -q '"kept_rules":4,"kept_entries":2' "$tmp/json"; then
	pass "state: --json says what was kept"
else
	fail "state: --json says what was kept: $(cat "$tmp/json")"
fi
if grep -q 'packets [1-9]' "$tmp/after" && sed -E 's/ (timeout|expires) [0-9dhms]+//g; s/packets [0-9]+ bytes [0-9]+//' "$tmp/after" |
	sort | cmp -s - <(unshare -n bash -c '"$1" apply "$2" && nft list ruleset' _ "$rosfw" "$tmp/b.rsc" |
		sed -E 's/ (timeout|expires) [0-9dhms]+//g; s/packets [0-9]+ bytes [0-9]+//' | grep -v '127.0.0.1\|::1' | sort); then
	fail "state: the kept entries are in the listing"
else
	pass "state: the listing differs from a fresh apply only by state"
fi

# A rule inserted at the top renumbers the others (rule 1 "same" becomes
# rule 2); as on RouterOS, they keep their counters.
{ sed -n '1,3p' "$tmp/a.rsc"; echo 'add chain=input protocol=tcp dst-port=1 action=drop comment="inserted"'; sed -n '4,$p' "$tmp/a.rsc"; } > "$tmp/ins.rsc"
unshare -n bash -c '
ip link set lo up
"$1" apply "$2/a.rsc" 2>/dev/null
for i in 1 2 3; do echo x > /dev/udp/127.0.0.1/9; done
"$1" apply "$2/ins.rsc" 2>/dev/null
nft list ruleset > "$2/ins.after"
' _ "$rosfw" "$tmp"
a=$(counter_of "$tmp/ins.after" "same")
if [ "$a" = "packets 3 bytes 90" ] && [ "$(counter_of "$tmp/ins.after" "inserted")" = "packets 0 bytes 0" ]; then
	pass "state: rules pushed down by an insertion keep their counters"
else
	fail "state: rules pushed down by an insertion keep their counters ('$a')"
fi

# keep_all NAME DIR FILE [OPTIONS...]: an unchanged config re-applied
# keeps every rule's counter object. Rules rosfw adds (conntrack helper
# assignment) have none.
keep_all() {
	local name=$1 dir=$2 file=$3 out kept counted
	shift 3
	out=$(unshare -n bash -c 'cd "$1" && shift && "$@" >/dev/null && "$@" --json &&
		nft list ruleset | grep -Ec "^[[:space:]]counter c_"' \
		_ "$dir" "$rosfw" apply "$@" "$file" 2>/dev/null)
	[ -n "$out" ] || { fail "state: re-apply $name"; return; }
	kept=$(echo "$out" | head -1 | grep -o '"kept_rules":[0-9]*' | cut -d: -f2)
	counted=$(echo "$out" | sed -n 2p)
	if [ -n "$kept" ] && [ "$kept" -eq "$counted" ]; then
		pass "state: re-apply of $name keeps all $kept rules"
	else
		fail "state: re-apply of $name keeps all rules (kept $kept of $counted)"
	fi
}
each_config "$rosfw" keep_all

# A static entry the configuration no longer writes goes, even from a list
# rules also add to (one set holds both): a re-apply carries over only what
# rules and `address-list add` put there, and timed entries, which are
# dynamic once added (as on RouterOS: they live out their time). The trial
# that found it: an admin address removed from an allow list stayed
# allowed, and --diff said "no changes".
cat > "$tmp/mix.rsc" <<'RSC'
/ip firewall address-list
add list=mgmt address=10.7.7.7 comment="admin laptop"
add list=mgmt address=10.7.7.8
add list=timed address=10.8.0.0/24 timeout=1h
add list=timed address=10.8.5.0/24 timeout=1h
/ip firewall filter
add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=mgmt address-list-timeout=none-dynamic
add chain=input src-address-list=mgmt action=accept
add chain=input src-address-list=timed action=accept
RSC
grep -v 'admin laptop\|10.8.5.0' "$tmp/mix.rsc" > "$tmp/mix2.rsc"
unshare -n bash -c '
ip link set lo up
"$1" apply "$2/mix.rsc" 2>/dev/null || exit 1
echo x > /dev/udp/127.0.0.1/9
"$1" address-list add list=timed address=10.9.9.9 timeout=1h
"$1" apply "$2/mix2.rsc" 2>/dev/null || exit 1
nft list set ip rosfw al_mgmt; nft list set ip rosfw ar_timed
' _ "$rosfw" "$tmp" > "$tmp/mix.out" 2>&1
sets=$(tr -s ' \t\n' ' ' < "$tmp/mix.out")
if ! echo "$sets" | grep -q '10\.7\.7\.7' && echo "$sets" | grep -q '10\.7\.7\.8' && echo "$sets" | grep -q '127\.0\.0\.1' &&
	echo "$sets" | grep -q '10\.8\.5\.0/24' && echo "$sets" | grep -q '10\.8\.0\.0/24' && echo "$sets" | grep -q '10\.9\.9\.9'; then
	pass "state: a static entry the configuration dropped goes; timed ones and what rules and address-list add put there stay"
else
	fail "state: entries the configuration dropped go: $(cat "$tmp/mix.out")"
fi

# Counting through applies (issue 12): packets sent all the while 2000 rules
# are applied six times, the counted rule unchanged but moved and the others
# changed, are all counted, as an independent nft counter sees them.
{
	echo '/ip firewall filter'
	echo 'add chain=input protocol=udp dst-port=9 action=accept comment="counted"'
	for i in $(seq 2000); do echo "add chain=input protocol=tcp dst-port=$((1000 + i)) action=drop"; done
} > "$tmp/many1.rsc"
{
	echo '/ip firewall filter'
	echo 'add chain=input protocol=tcp dst-port=999 action=drop'
	echo 'add chain=input protocol=udp dst-port=9 action=accept comment="counted"'
	for i in $(seq 2000); do echo "add chain=input protocol=tcp dst-port=$((3000 + i)) action=drop"; done
} > "$tmp/many2.rsc"
unshare -n bash -c '
ip link set lo up
nft add table ip oracle
nft add chain ip oracle in "{ type filter hook input priority -10; }"
nft add rule ip oracle in udp dport 9 counter
"$1" apply "$2/many1.rsc" 2>/dev/null || exit 1
( while :; do echo x > /dev/udp/127.0.0.1/9; done ) 2>/dev/null &
sender=$!
for n in 1 2 3 4 5 6; do
	"$1" apply "$2/many$((n % 2 + 1)).rsc" 2>/dev/null || exit 1
done
kill $sender
wait $sender 2>/dev/null
echo "applies $n"
nft list chain ip oracle in | grep -o "packets [0-9]*"
"$1" print stats "$2/many1.rsc" | grep -A1 ";;; counted" | tail -1
' _ "$rosfw" "$tmp" > "$tmp/through" 2>&1
applies=$(sed -n 's/^applies //p' "$tmp/through")
oracle=$(sed -n 's/^packets //p' "$tmp/through")
counted=$(awk 'END { print $NF }' "$tmp/through")
if [ "${applies:-0}" = 6 ] && [ -n "$oracle" ] && [ "$oracle" -gt 0 ] && [ "$counted" = "$oracle" ]; then
	pass "state: $oracle packets during $applies applies of 2000 rules, all counted"
else
	fail "state: packets during applies all counted: $(cat "$tmp/through")"
fi
summary "state"
