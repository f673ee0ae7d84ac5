#!/bin/bash
# A small change as a small transaction (issue 18, runtime/incr.h): in a
# fresh network namespace with a record, apply a configuration, send packets
# so counters count and a rule adds a dynamic entry, then apply one rule
# changed, one added (which renumbers the rules under it) and one removed.
# The apply must say it went incrementally, every other rule must keep its
# kernel handle and its counter, the dynamic entry must stay, and the
# ruleset must be what a fresh apply of the new configuration makes (but
# for state). A rule added behind rosfw's back (nft add rule) takes the full
# path, and the result is still right. A changed list entry is a small
# transaction of that set's elements (an interval set's ranges, a hash
# set's addresses, a merged run's counter map), and so is a changed bridge
# rule. nft -a list ruleset is the oracle.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! unshare -n true 2>/dev/null; then
	echo "incremental: needs root, nft and unshare: skipped" >&2
	summary "incremental"
	exit 0
fi
mkdir -m 700 "$tmp/rec"

cat > "$tmp/a.rsc" <<'RSC'
/ip firewall address-list
add list=lan address=192.168.88.0/24
/ip firewall filter
add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=seen address-list-timeout=1h comment="track"
add chain=input protocol=udp dst-port=9,10 action=passthrough comment="same"
add chain=input protocol=udp dst-port=9 action=passthrough comment="changed"
add chain=input protocol=udp dst-port=9 action=passthrough comment="removed"
add chain=input src-address-list=seen action=passthrough comment="uses list"
add chain=input src-address-list=lan action=accept comment="lan"
add chain=forward protocol=tcp dst-port=22,80 action=accept comment="fwd"
add chain=forward action=drop comment="fwd drop"
/ipv6 firewall filter
add chain=input protocol=udp dst-port=9 action=passthrough comment="six"
add chain=input protocol=udp dst-port=10 action=passthrough comment="six changed"
RSC
# One rule changed, one added above others (they are renumbered), one
# removed, in ip; one changed in ip6.
sed -e '/comment="changed"/s/dst-port=9/dst-port=9 packet-size=0-1000/' -e '/comment="removed"/d' \
	-e '/comment="uses list"/i add chain=input protocol=udp dst-port=11 action=drop comment="added"' \
	-e '/comment="six changed"/s/dst-port=10/dst-port=10,12/' "$tmp/a.rsc" > "$tmp/b.rsc"
# The same rules, one list entry more.
sed -e '/^add list=lan/a add list=lan address=10.5.5.0/24' "$tmp/b.rsc" > "$tmp/c.rsc"
# A rule inserted first: every ip input rule under it gets a new number,
# which is not in the kernel (compiler/kname.h): they are not touched.
sed -e '/comment="track"/i add chain=input protocol=tcp dst-port=1 action=drop comment="first"' "$tmp/c.rsc" > "$tmp/d.rsc"
# "same" changed, over a record whose handles of filter_input's first two
# rules were swapped: its generation is right, its handles are not.
sed -e '/comment="same"/s/dst-port=9,10/dst-port=9,13/' "$tmp/d.rsc" > "$tmp/e.rsc"

unshare -n bash -c '
set -e
export ROSFW_RECORD="$2/rec/applied.rsc"
ip link set lo up
"$1" apply "$2/a.rsc" 2>/dev/null
for i in 1 2 3; do echo x > /dev/udp/127.0.0.1/9; done
echo x > /dev/udp/::1/9
nft -a list ruleset > "$2/before"
"$1" apply --diff "$2/b.rsc" > "$2/diff" 2>/dev/null || true
"$1" apply --json "$2/b.rsc" > "$2/b.json" 2>/dev/null
nft -a list ruleset > "$2/after"
"$1" print stats > "$2/stats" 2>&1 || true
"$1" apply --json "$2/a.rsc" > "$2/back.json" 2>/dev/null
nft -a list ruleset > "$2/back"
"$1" apply --json "$2/b.rsc" > "$2/again.json" 2>/dev/null
nft -a list ruleset > "$2/again"
nft add rule ip rosfw filter_input counter comment \"behind\"
"$1" apply --json "$2/b.rsc" > "$2/behind.json" 2>/dev/null
nft -a list ruleset > "$2/behind"
"$1" apply --json "$2/c.rsc" > "$2/c.json" 2>/dev/null
nft -a list ruleset > "$2/c0"
echo x > /dev/udp/127.0.0.1/9
nft -a list ruleset > "$2/c"
"$1" apply --json "$2/d.rsc" > "$2/d.json" 2>/dev/null
nft -a list ruleset > "$2/d"
"$1" print stats > "$2/dstats" 2>&1 || true
"$1" apply --diff "$2/c.rsc" > "$2/dc.diff" 2>/dev/null || true
awk "/^chain 0 [0-9]+ filter_input\$/ { n = 1; print; next }
	n == 1 { h1 = \$3; l1 = \$1 \" \" \$2; n = 2; next }
	n == 2 { print \$1, \$2, h1; print l1, \$3; n = 0; next } { print }" \
	"$2/rec/applied.rsc.nl" > "$2/swapped" && cat "$2/swapped" > "$2/rec/applied.rsc.nl"
"$1" apply --json "$2/e.rsc" > "$2/e.json" 2>/dev/null
nft -a list ruleset > "$2/e"
' _ "$rosfw" "$tmp" 2> "$tmp/err" || { fail "incremental: scenario ran"; cat "$tmp/err" >&2; }
for f in b c d e; do
	unshare -n bash -c '"$1" apply "$2" 2>/dev/null && nft list ruleset' _ "$rosfw" "$tmp/$f.rsc" > "$tmp/fresh.$f"
done

# rule_of FILE TEXT: the first rule line whose comment is "TEXT" (a list's
# set has its comment too)
rule_of() {
	grep -F "comment \"$2\"" "$1" | grep 'counter name' | head -1
}
handle_of() {
	rule_of "$1" "$2" | grep -o '# handle [0-9]*$' | awk '{ print $3 }'
}
counter_of() {
	local name
	name=$(rule_of "$1" "$2" | grep -o 'counter name "[^"]*"' | cut -d'"' -f2)
	[ -n "$name" ] || return
	grep -A1 "counter $name {" "$1" | grep -o 'packets [0-9]* bytes [0-9]*' | head -1
}
# state_free FILE: the listing without handles, counts, times and the
# dynamic entries
state_free() {
	sed -E 's/ # handle [0-9]+$//; s/ (timeout|expires) [0-9dhms]+//g; s/packets [0-9]+ bytes [0-9]+//' "$1" |
		grep -v '127\.0\.0\.1\|::1'
}
# same_as_fresh NAME FILE FRESH: the same objects, and every chain's rules
# in the same order
same_as_fresh() {
	if cmp -s <(state_free "$2" | sort) <(state_free "$3" | sort) &&
		cmp -s <(state_free "$2" | grep 'counter name') <(state_free "$3" | grep 'counter name'); then
		pass "incremental: $1 = a fresh apply, but for state"
	else
		fail "incremental: $1 = a fresh apply, but for state"
		diff <(state_free "$2") <(state_free "$3") | head -10 >&2
	fi
}

if grep -q '"incremental":true' "$tmp/b.json" && grep -q '"changed":true' "$tmp/b.json"; then
	pass "incremental: the small change went as a small transaction"
else
	fail "incremental: the small change went as a small transaction: $(head -c 300 "$tmp/b.json")"
fi
for r in track same "uses list" lan fwd "fwd drop" six; do
	hb=$(handle_of "$tmp/before" "$r")
	ha=$(handle_of "$tmp/after" "$r")
	if [ -n "$hb" ] && [ "$hb" = "$ha" ]; then
		pass "incremental: rule \"$r\" kept its handle ($ha)"
	else
		fail "incremental: rule \"$r\" kept its handle (before '$hb', after '$ha')"
	fi
done
for r in track same "uses list" six; do
	b=$(counter_of "$tmp/before" "$r")
	a=$(counter_of "$tmp/after" "$r")
	if [ -n "$b" ] && [ "$b" != "packets 0 bytes 0" ] && [ "$a" = "$b" ]; then
		pass "incremental: rule \"$r\" kept its counter ($a)"
	else
		fail "incremental: rule \"$r\" kept its counter (before '$b', after '$a')"
	fi
done
# Only the changed and added rules are new: every rule line (with its
# handle) of after that before did not have is theirs.
new=$(comm -13 <(grep 'counter name.* # handle' "$tmp/before" | sort) <(grep 'counter name.* # handle' "$tmp/after" | sort) | wc -l)
if [ "$new" = 3 ] && [ -z "$(rule_of "$tmp/after" removed)" ] &&
	[ "$(counter_of "$tmp/after" changed)" = "packets 0 bytes 0" ]; then
	pass "incremental: only the changed, added and removed rules were touched (3 new handles)"
else
	fail "incremental: only the changed, added and removed rules were touched ($new new handles)"
fi
if grep -q '127\.0\.0\.1 timeout' "$tmp/after"; then
	pass "incremental: the dynamic entry stayed"
else
	fail "incremental: the dynamic entry stayed"
fi
same_as_fresh "the small change" "$tmp/after" "$tmp/fresh.b"
# print stats (the record, no FILE) after it: rule 1 "same" with its 3
# packets, rule 2 "changed" at 0.
if grep -A1 -E '^ *1 +;;; same$' "$tmp/stats" | grep -Eq '^ +input +passthrough +90 +3 *$' &&
	grep -A1 -E '^ *2 +;;; changed$' "$tmp/stats" | grep -Eq '^ +input +passthrough +0 +0 *$'; then
	pass "incremental: print stats after it counts per RouterOS rule"
else
	fail "incremental: print stats after it counts per RouterOS rule: $(cat "$tmp/stats")"
fi
# --diff said the rules the transaction touched, and no others (it may
# pair the added rule with the removed one at its number: "comment was").
if grep -q '^~.*changed' "$tmp/diff" && grep -q '^[+~].*added' "$tmp/diff" && grep -q 'removed' "$tmp/diff" &&
	grep -q 'six changed' "$tmp/diff" && ! grep -Eq '^[-+~>].*(track|same|uses list|lan|fwd)' "$tmp/diff"; then
	pass "incremental: --diff names the rules the transaction changed"
else
	fail "incremental: --diff names the rules the transaction changed: $(cat "$tmp/diff")"
fi
# Back and forth: the record the small transaction left is right.
if grep -q '"incremental":true' "$tmp/back.json" && grep -q '"incremental":true' "$tmp/again.json"; then
	pass "incremental: back and forth, each apply small"
else
	fail "incremental: back and forth, each apply small"
fi
same_as_fresh "back and forth" "$tmp/again" "$tmp/fresh.b"
# A rule added behind rosfw's back: the record is stale, the full path
# goes, and the rule is gone.
if ! grep -q '"incremental"' "$tmp/behind.json" && grep -q '"ok":true' "$tmp/behind.json" && ! grep -q behind "$tmp/behind"; then
	pass "incremental: a change behind rosfw's back takes the full path"
else
	fail "incremental: a change behind rosfw's back takes the full path: $(head -c 300 "$tmp/behind.json")"
fi
same_as_fresh "after a change behind its back" "$tmp/behind" "$tmp/fresh.b"
# A configured list entry added: a small transaction of the set's
# elements, every rule (handle) and counter as it was, the dynamic entry
# kept; and after the full path before it, the next change is small.
if grep -q '"incremental":true' "$tmp/c.json" && grep -q '"changed":true' "$tmp/c.json"; then
	pass "incremental: a list entry added is a small transaction"
else
	fail "incremental: a list entry added is a small transaction: $(head -c 300 "$tmp/c.json")"
fi
if cmp -s <(grep 'counter name.* # handle' "$tmp/behind") <(grep 'counter name.* # handle' "$tmp/c0") &&
	cmp -s <(grep -A1 '^	counter ' "$tmp/behind") <(grep -A1 '^	counter ' "$tmp/c0") &&
	grep -q '127\.0\.0\.1 timeout' "$tmp/c0" && grep -q '10\.5\.5\.0/24' "$tmp/c0"; then
	pass "incremental: a list entry added touches no rule, counter or dynamic entry"
else
	fail "incremental: a list entry added touches no rule, counter or dynamic entry"
	diff "$tmp/behind" "$tmp/c0" | head -20 >&2
fi
same_as_fresh "a list entry changed" "$tmp/c" "$tmp/fresh.c"
if grep -q '"incremental":true' "$tmp/d.json"; then
	pass "incremental: after a list entry the next change is small again"
else
	fail "incremental: after a list entry the next change is small again: $(head -c 300 "$tmp/d.json")"
fi
same_as_fresh "a rule inserted first" "$tmp/d" "$tmp/fresh.d"
hc=$(handle_of "$tmp/c" same)
hd=$(handle_of "$tmp/d" same)
b=$(counter_of "$tmp/c" same)
a=$(counter_of "$tmp/d" same)
if [ -n "$hc" ] && [ "$hc" = "$hd" ] && [ -n "$b" ] && [ "$b" != "packets 0 bytes 0" ] && [ "$a" = "$b" ]; then
	pass "incremental: a renumbered rule keeps its handle and counter ($hd, $a)"
else
	fail "incremental: a renumbered rule keeps its handle and counter (handle '$hc' -> '$hd', counter '$b' -> '$a')"
fi
# The insertion touched one rule: every rule line of c (with its handle)
# is in d as it was, and d has one rule line more, the inserted one.
gone=$(comm -23 <(grep 'counter name.* # handle' "$tmp/c" | sort) <(grep 'counter name.* # handle' "$tmp/d" | sort) | wc -l)
new=$(comm -13 <(grep 'counter name.* # handle' "$tmp/c" | sort) <(grep 'counter name.* # handle' "$tmp/d" | sort))
if [ "$gone" = 0 ] && [ "$(printf '%s\n' "$new" | grep -c .)" = 1 ] && printf '%s\n' "$new" | grep -q 'comment "first"'; then
	pass "incremental: a rule inserted first touches that rule alone"
else
	fail "incremental: a rule inserted first touches that rule alone ($gone rule lines rewritten, new: $new)"
fi
# --diff of taking it out again: the kernel's rules carry no numbers, the
# record of the last apply (nothing committed since) gives the removed
# rule's, and the rules under it are no change.
if [ "$(cat "$tmp/dc.diff")" = '- rule ip filter_input #0 "first"' ]; then
	pass "incremental: --diff names a removed rule by its number from the record"
else
	fail "incremental: --diff names a removed rule by its number from the record: $(cat "$tmp/dc.diff")"
fi
# print stats right after it, from the record: the rules under it counted
# under their new numbers.
if grep -A1 -E '^ *0 +;;; first$' "$tmp/dstats" | grep -Eq '^ +input +drop +0 +0 *$' &&
	grep -A1 -E '^ *2 +;;; same$' "$tmp/dstats" | grep -Eq '^ +input +passthrough +[0-9]+ +[1-9][0-9]* *$'; then
	pass "incremental: print stats after an insertion counts under the new numbers"
else
	fail "incremental: print stats after an insertion counts under the new numbers: $(cat "$tmp/dstats")"
fi
if ! grep -q '"incremental"' "$tmp/e.json" && grep -q '"ok":true' "$tmp/e.json"; then
	pass "incremental: a record with handles gone wrong takes the full path"
else
	fail "incremental: a record with handles gone wrong takes the full path: $(head -c 300 "$tmp/e.json")"
fi
same_as_fresh "over a record with handles gone wrong" "$tmp/e" "$tmp/fresh.e"

# Entries of configured lists: a range whose end moved, an address range
# longer, the last range removed, a hash set's address and an IPv6 prefix
# changed, a member of two merged runs (a counter map of ports, an interval
# one of prefixes) changed (s2); the first
# range moved to 0 (the leading end element goes) and a range to the top
# added (an open range: no end element) (s3); and back (s1). Each a small
# transaction of elements: every rule keeps its handle, every counter its
# count, the dynamic entry stays, and the ruleset is a fresh apply's.
cat > "$tmp/s1.rsc" <<'RSC'
/ip firewall address-list
add list=nets address=192.168.88.0/24
add list=nets address=10.1.0.0/24
add list=nets address=172.16.0.10-172.16.0.20
add list=nets address=198.51.100.0/24
add list=hosts address=203.0.113.1
add list=hosts address=203.0.113.2
/ipv6 firewall address-list
add list=six address=2001:db8::/48
add list=six address=2001:db8:1::/48
/ip firewall filter
add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=seen address-list-timeout=1h comment="track"
add chain=input src-address-list=nets action=passthrough comment="nets"
add chain=input src-address-list=hosts action=passthrough comment="hosts"
add chain=input protocol=udp dst-port=101 action=passthrough comment="m101"
add chain=input protocol=udp dst-port=102 action=passthrough comment="m102"
add chain=input protocol=udp dst-port=103 action=passthrough comment="m103"
add chain=input protocol=udp dst-port=104 action=passthrough comment="m104"
add chain=input protocol=udp dst-port=105 action=passthrough comment="m105"
add chain=input src-address=10.9.1.0/24 action=passthrough comment="p1"
add chain=input src-address=10.9.2.0/24 action=passthrough comment="p2"
add chain=input src-address=10.9.3.0/24 action=passthrough comment="p3"
add chain=input src-address=10.9.4.0/24 action=passthrough comment="p4"
/ipv6 firewall filter
add chain=input src-address-list=six action=passthrough comment="six"
RSC
sed -e 's#10.1.0.0/24#10.1.0.0/16#' -e 's#172.16.0.20#172.16.0.30#' -e '/198.51.100.0/d' \
	-e 's#203.0.113.2#203.0.113.3#' -e 's#2001:db8:1::/48#2001:db8:5::/48#' -e 's#dst-port=104 #dst-port=114 #' -e 's#10.9.3.0/24#10.9.7.0/24#' \
	"$tmp/s1.rsc" > "$tmp/s2.rsc"
sed -e 's#192.168.88.0/24#0.0.0.0/8#' -e '/address=203.0.113.1/a add list=nets address=255.255.255.0/24' \
	"$tmp/s2.rsc" > "$tmp/s3.rsc"
unshare -n bash -c '
set -e
export ROSFW_RECORD="$2/rec2/applied.rsc"
mkdir -m 700 "$2/rec2"
ip link set lo up
"$1" apply "$2/s1.rsc" 2>/dev/null
for p in 9 101 101 102; do echo x > /dev/udp/127.0.0.1/$p; done
nft -a list ruleset > "$2/s1.before"
for f in s2 s3 s1; do
	"$1" apply --diff "$2/$f.rsc" > "$2/$f.diff" 2>/dev/null || true
	"$1" apply --json "$2/$f.rsc" > "$2/$f.json" 2>/dev/null
	nft -a list ruleset > "$2/$f.after"
done
' _ "$rosfw" "$tmp" 2> "$tmp/err" || { fail "incremental: list entries scenario ran"; cat "$tmp/err" >&2; }
# counter objects: "name packets N bytes N", one a line
counters() {
	awk '/^\tcounter [^ ]+ \{/ { n = $2; next } n && /packets/ { print n, $0; n = "" }' "$1" | sed -E 's/[[:space:]]+/ /g' | sort
}
prev=$tmp/s1.before
for f in s2 s3 s1; do
	unshare -n bash -c '"$1" apply "$2" 2>/dev/null && nft list ruleset' _ "$rosfw" "$tmp/$f.rsc" > "$tmp/fresh.$f"
	if grep -q '"incremental":true' "$tmp/$f.json" && grep -q '"changed":true' "$tmp/$f.json"; then
		pass "incremental: list entries ($f) are a small transaction"
	else
		fail "incremental: list entries ($f) are a small transaction: $(head -c 300 "$tmp/$f.json")"
	fi
	if cmp -s <(grep 'counter name.* # handle' "$prev") <(grep 'counter name.* # handle' "$tmp/$f.after") &&
		grep -q '127\.0\.0\.1 timeout' "$tmp/$f.after" &&
		[ -z "$(join <(counters "$prev") <(counters "$tmp/$f.after") | awk '$3 != $7 || $5 != $9')" ] &&
		[ "$(counters "$tmp/$f.after" | grep -vc 'packets 0 ')" = 3 ]; then
		pass "incremental: list entries ($f) touch no rule, counter or dynamic entry"
	else
		fail "incremental: list entries ($f) touch no rule, counter or dynamic entry"
		diff "$prev" "$tmp/$f.after" | head -20 >&2
	fi
	same_as_fresh "list entries ($f)" "$tmp/$f.after" "$tmp/fresh.$f"
	prev=$tmp/$f.after
done
if grep -q '10\.1\.0\.0/16' "$tmp/s2.after" && grep -q '172\.16\.0\.10-172\.16\.0\.30' "$tmp/s2.after" &&
	! grep -q '198\.51\.100' "$tmp/s2.after" && grep -q '203\.0\.113\.3' "$tmp/s2.after" &&
	grep -q '2001:db8:5::/48' "$tmp/s2.after" && grep -Eq '114 : "c_' "$tmp/s2.after" && ! grep -Eq '104 : "c_' "$tmp/s2.after" &&
	grep -Eq '10\.9\.7\.0/24 : "c_' "$tmp/s2.after" && ! grep -q '10\.9\.3\.0' "$tmp/s2.after" &&
	grep -q '0\.0\.0\.0/8' "$tmp/s3.after" && grep -q '255\.255\.255\.0/24' "$tmp/s3.after" &&
	grep -q '192\.168\.88\.0/24' "$tmp/s1.after" && ! grep -q '255\.255\.255\.0' "$tmp/s1.after"; then
	pass "incremental: the entries changed are in the kernel's sets"
else
	fail "incremental: the entries changed are in the kernel's sets"
fi
# --diff said what the transaction did: those sets, no rule
if grep -q 'al_nets' "$tmp/s2.diff" && grep -q 'al_hosts' "$tmp/s2.diff" && grep -q 'al_six' "$tmp/s2.diff" &&
	grep -q 'cm_' "$tmp/s2.diff" && ! grep -Eq '^[-+~>].*(track|"nets"|m101|m102)' "$tmp/s2.diff"; then
	pass "incremental: --diff names the sets whose entries changed"
else
	fail "incremental: --diff names the sets whose entries changed: $(cat "$tmp/s2.diff")"
fi

# An entry written twice is one element: the configuration that keeps one
# of the two keeps the element.
printf '/ip firewall address-list\nadd list=h address=192.0.2.1\nadd list=h address=192.0.2.1\nadd list=h address=192.0.2.2\n/ip firewall filter\nadd chain=input src-address-list=h action=drop comment="h"\n' > "$tmp/dup1.rsc"
sed '3d' "$tmp/dup1.rsc" > "$tmp/dup2.rsc"
unshare -n bash -c '
export ROSFW_RECORD="$2/rec3/applied.rsc"
mkdir -m 700 "$2/rec3"
"$1" apply "$2/dup1.rsc" 2>/dev/null && "$1" apply --json "$2/dup2.rsc" > "$2/dup.json" 2>/dev/null
nft list set ip rosfw al_h > "$2/dup.list"
' _ "$rosfw" "$tmp"
if grep -q '"incremental":true' "$tmp/dup.json" && grep -q '192\.0\.2\.1' "$tmp/dup.list" && grep -q '192\.0\.2\.2' "$tmp/dup.list"; then
	pass "incremental: an entry written twice, once less: the element stays"
else
	fail "incremental: an entry written twice, once less: the element stays ($(head -c 200 "$tmp/dup.json"); $(cat "$tmp/dup.list"))"
fi

# Rules without comments (kernel comments carry no numbers, so many rules
# share one): a record that gives the second rule the third's handle (and
# the third one past it: still counting up) must not put a rule added after
# the second after the third; what is read back by handle, the comment and
# the counter object, tells. (Deleting by a wrong handle is refused by the
# kernel anyway: the rule's counter object, deleted with it, is in use.
# Not 4 alike in a row: they would be merged, compiler/merge.h.)
printf '/ip firewall filter\nadd chain=input protocol=udp dst-port=21 action=accept\nadd chain=input protocol=udp dst-port=22 action=drop\nadd chain=input protocol=udp dst-port=23 action=accept\n' > "$tmp/nc1.rsc"
sed '/dst-port=22/a add chain=input protocol=udp dst-port=25 action=accept' "$tmp/nc1.rsc" > "$tmp/nc2.rsc"
unshare -n bash -c '
export ROSFW_RECORD="$2/rec/applied.rsc"
rm -f "$2/rec/"*
"$1" apply "$2/nc1.rsc" 2>/dev/null || exit 1
awk "/^chain 0 [0-9]+ filter_input\$/ { n = 1; print; next }
	n == 1 { print; n = 2; next }
	n == 2 { l2 = \$1 \" \" \$2; n = 3; next }
	n == 3 { print l2, \$3; print \$1, \$2, \$3 + 1000; n = 0; next } { print }" \
	"$2/rec/applied.rsc.nl" > "$2/shifted" && cat "$2/shifted" > "$2/rec/applied.rsc.nl"
"$1" apply --json "$2/nc2.rsc" > "$2/nc.json" 2>/dev/null
nft list chain ip rosfw filter_input > "$2/nc.list"
' _ "$rosfw" "$tmp"
ncok=$?
if [ "$ncok" = 0 ] && grep -q '"ok":true' "$tmp/nc.json" && ! grep -q '"incremental"' "$tmp/nc.json" &&
	[ "$(grep -o 'udp dport [0-9]*.*' "$tmp/nc.list" | sed 's/ counter name "[^"]*"//' | tr '\n' ' ')" = 'udp dport 21 accept udp dport 22 drop udp dport 25 accept udp dport 23 accept ' ]; then
	pass "incremental: rules without comments, a record with a handle gone wrong: the full path"
else
	fail "incremental: rules without comments, a record with a handle gone wrong: the full path ($ncok: $(head -c 300 "$tmp/nc.json"); $(grep -o 'udp dport [0-9]*.*' "$tmp/nc.list" | tr '\n' ' '))"
fi

# With table bridge rosfw the record knows three tables: a changed bridge
# rule is a small transaction in the bridge table (never taken for the ip
# table's filter_forward), the other rules keep their handles, and the
# ruleset is a fresh apply's.
printf '/ip firewall filter\nadd chain=forward protocol=udp dst-port=9 action=drop comment="ip"\n/interface bridge filter\nadd chain=forward mac-protocol=ip ip-protocol=udp dst-port=9 action=drop comment="br"\nadd chain=forward mac-protocol=ip ip-protocol=udp dst-port=10 action=drop comment="br2"\n' > "$tmp/br1.rsc"
sed 's/dst-port=9 action=drop comment="br"/dst-port=19 action=drop comment="br"/' "$tmp/br1.rsc" > "$tmp/br2.rsc"
unshare -n bash -c '
export ROSFW_RECORD="$2/rec/applied.rsc"
"$1" apply "$2/br1.rsc" 2>/dev/null && nft -a list ruleset > "$2/br.before" &&
	"$1" apply --json "$2/br2.rsc" > "$2/br.json" 2>/dev/null
nft -a list ruleset > "$2/br.after"; test -e "$2/rec/applied.rsc.nl"
' _ "$rosfw" "$tmp"
brok=$?
unshare -n bash -c '"$1" apply "$2" 2>/dev/null && nft list ruleset' _ "$rosfw" "$tmp/br2.rsc" > "$tmp/fresh.br"
if [ "$brok" = 0 ] && grep -q '"incremental":true' "$tmp/br.json" && grep -q '"changed":true' "$tmp/br.json" &&
	grep -q 'udp dport 19' "$tmp/br.after" && ! grep -q 'udp dport 9 .*comment "br"' "$tmp/br.after"; then
	pass "incremental: with table bridge rosfw a changed bridge rule is a small transaction"
else
	fail "incremental: with table bridge rosfw a changed bridge rule is a small transaction ($brok: $(head -c 300 "$tmp/br.json"))"
fi
for r in ip br2; do
	hb=$(handle_of "$tmp/br.before" "$r")
	ha=$(handle_of "$tmp/br.after" "$r")
	if [ -n "$hb" ] && [ "$hb" = "$ha" ]; then
		pass "incremental: with the bridge table, rule \"$r\" kept its handle ($ha)"
	else
		fail "incremental: with the bridge table, rule \"$r\" kept its handle (before '$hb', after '$ha')"
	fi
done
same_as_fresh "a bridge rule changed" "$tmp/br.after" "$tmp/fresh.br"
summary "incremental"
