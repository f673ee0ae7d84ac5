#!/bin/bash
# rosfw apply --diff (issues 4, 14), in fresh network namespaces: what
# would change against the kernel's rosfw tables (chains, sets, rules
# added "+", removed "-", changed "~" with the elements and expressions
# that differ, moved ">"), rules in RouterOS's number order, and the kernel
# is left exactly as it was; a rule of the configuration with its file and
# line. Exit 0 for no change, 4 for changes; --json
# gives one result object listing them. An insertion renumbers the rules
# after it but moves none. Counters, dynamic entries and their time left
# are state, not changes: every example, applied, then diffed against
# itself, has "no changes".
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! unshare -n true 2>/dev/null; then
	echo "diff: needs root, nft and unshare: skipped" >&2
	summary "diff"
	exit 0
fi

cat > "$tmp/a.rsc" <<'RSC'
/ip firewall address-list
add list=static1 address=10.9.9.9
/ip firewall filter
add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=seen address-list-timeout=1h comment="track"
add chain=input protocol=udp dst-port=9,10 action=passthrough comment="same"
add chain=input protocol=udp dst-port=9 action=passthrough comment="changed"
add chain=input protocol=udp dst-port=9 action=add-dst-to-address-list address-list=gone address-list-timeout=1h
RSC
sed -e '/comment="changed"/s/dst-port=9/dst-port=9 packet-size=0-1000/' -e '/address-list=gone/d' \
	"$tmp/a.rsc" > "$tmp/b.rsc"
cat "$tmp/a.rsc" - > "$tmp/c.rsc" <<'RSC'
/ip firewall address-list
add list=static1 address=10.9.9.10
/ip firewall filter
add chain=mine action=return
add chain=forward action=jump jump-target=mine
RSC
# d: a rule inserted at the top: the others keep their place (renumbered,
# not moved). e: the first rule moved to the end. f: a comment changed.
{ sed -n '1,3p' "$tmp/a.rsc"; echo 'add chain=input protocol=udp dst-port=7 action=drop comment="inserted"'
  sed -n '4,$p' "$tmp/a.rsc"; } > "$tmp/d.rsc"
{ sed -n '1,3p;5,$p' "$tmp/a.rsc"; sed -n 4p "$tmp/a.rsc"; } > "$tmp/e.rsc"
sed '/comment="same"/s/comment="same"/comment="renamed"/' "$tmp/a.rsc" > "$tmp/f.rsc"

unshare -n bash -c '
cd "$2"
"$1" apply --diff a.rsc > empty.diff; echo $? > empty.rc
nft list ruleset > empty.list
ip link set lo up
"$1" apply a.rsc
for i in 1 2 3; do echo x > /dev/udp/127.0.0.1/9; done
nft list ruleset > before.list
"$1" apply --diff a.rsc > same.diff; echo $? > same.rc
"$1" apply --diff b.rsc > b.diff; echo $? > b.rc
"$1" apply --diff c.rsc > c.diff
"$1" apply --diff d.rsc > d.diff
"$1" apply --diff e.rsc > e.diff
"$1" apply --diff f.rsc > f.diff
"$1" apply --diff --json b.rsc > b.json; echo $? > bjson.rc
"$1" apply --diff --json a.rsc > same.json; echo $? > samejson.rc
nft list ruleset > after.list
' _ "$rosfw" "$tmp" 2> "$tmp/err" || { fail "diff: scenario ran"; cat "$tmp/err" >&2; }

# The sysctls compared are two whose Linux defaults have not moved in years.
expect() {
	sed -i -E '/^~ sysctl /{/_established |_udp_timeout_stream /!d}' "$tmp/$1"
	if cmp -s "$tmp/$1" -; then
		pass "diff: $2"
	else
		fail "diff: $2"
		cat "$tmp/$1" >&2
	fi
}
# Service ports are conntrack helpers by default, and the tracking
# settings differ from Linux's own defaults.
expect empty.diff "against no tables, everything is added" <<'OUT'
+ chain ip filter_forward
+ chain ip filter_input
+ chain ip filter_output
+ chain ip helper.assign
+ chain ip helper.output
+ chain ip helper.prerouting
+ ct helper ip ftp
+ ct helper ip h323-q931
+ ct helper ip h323-ras
+ ct helper ip irc
+ ct helper ip pptp
+ ct helper ip sip
+ ct helper ip tftp
+ set ip al_gone
+ set ip al_seen
+ set ip al_static1
+ set ip ar_gone
+ set ip ar_seen
+ set ip ar_static1
+ rule ip filter_input #0 "track" at a.rsc:4
+ rule ip filter_input #1 "same" at a.rsc:5
+ rule ip filter_input #2 "changed" at a.rsc:6
+ rule ip filter_input #3 at a.rsc:7
+ rule ip helper.assign "service-port ftp"
+ rule ip helper.assign "service-port h323"
+ rule ip helper.assign "service-port irc"
+ rule ip helper.assign "service-port pptp"
+ rule ip helper.assign "service-port sip"
+ rule ip helper.assign "service-port tftp"
+ rule ip helper.output "service-port"
+ rule ip helper.prerouting "service-port"
~ sysctl net.netfilter.nf_conntrack_tcp_timeout_established 432000 -> 86400 (tcp-established-timeout=1d)
~ sysctl net.netfilter.nf_conntrack_udp_timeout_stream 120 -> 180 (udp-stream-timeout=3m)
OUT
[ "$(cat "$tmp/empty.rc")" = 4 ] && [ ! -s "$tmp/empty.list" ] &&
	pass "diff: changes exit 4, and nothing was created" || fail "diff: changes exit 4, and nothing was created"
[ "$(cat "$tmp/same.rc")" = 0 ] && pass "diff: no changes exit 0" || fail "diff: no changes exit 0 ($(cat "$tmp/same.rc"))"
expect same.diff "counters and dynamic entries are not changes" <<'OUT'
no changes
OUT
expect b.diff "a changed rule (the expressions that differ), a removed rule and its list" <<'OUT'
- set ip al_gone
- set ip ar_gone
~ rule ip filter_input #2 "changed" at b.rsc:6
    + [meta load len => reg 1 ]
    + [byteorder reg 1 = hton(reg 1, 4, 4) ]
    + [cmp gte reg 1 0x00000000 ]
    + [cmp lte reg 1 0xe8030000 ]
- rule ip filter_input
OUT
expect c.diff "a new chain, a changed static list (its new element), new rules by number" <<'OUT'
+ chain ip filter_mine
~ set ip al_static1
    + 10.9.9.10
+ rule ip filter_mine #4 at c.rsc:11
+ rule ip filter_forward #5 at c.rsc:12
OUT
# The kernel's rules carry no numbers (compiler/kname.h): the rules under
# an insertion are not changed, and without a record (tests/lib.sh) a
# removed or moved rule's old number is not known (incremental.sh: with).
expect d.diff "an insertion: one rule added, none moved or changed" <<'OUT'
+ rule ip filter_input #0 "inserted" at d.rsc:4
OUT
expect e.diff "a rule moved down is one move" <<'OUT'
> rule ip filter_input #3 "track" at e.rsc:7
OUT
expect f.diff "a new comment: the same rule, its comment changed" <<'OUT'
~ rule ip filter_input #1 "renamed" at f.rsc:5: comment was "same"
OUT
if [ "$(cat "$tmp/bjson.rc")" = 4 ] && [ "$(cat "$tmp/samejson.rc")" = 0 ] && [ "$(wc -l < "$tmp/b.json")" = 1 ] &&
	jq -e '.ok == true and .changed == true and .exit == 4 and (.changes | length) == 4 and
		(.changes[2] | .op == "change" and .kind == "rule" and .chain == "filter_input" and .number == 2 and
		 .comment == "changed" and .file == "b.rsc" and .line == 6 and (.added | length) == 4 and
		 (.removed | length) == 0) and
		(.changes[3] | .op == "remove" and (has("was") | not))' "$tmp/b.json" >/dev/null &&
	jq -e '.ok == true and .changed == false and .exit == 0 and .changes == []' "$tmp/same.json" >/dev/null; then
	pass "diff: --json, one result object: changes by kind, number, expressions; exit 4 and 0"
else
	fail "diff: --json: exit $(cat "$tmp/bjson.rc")/$(cat "$tmp/samejson.rc"): $(cat "$tmp/b.json" "$tmp/same.json")"
fi
if sed -E 's/ expires [0-9dhms]+//' "$tmp/before.list" | cmp -s - <(sed -E 's/ expires [0-9dhms]+//' "$tmp/after.list"); then
	pass "diff: the kernel's ruleset is as it was"
else
	fail "diff: the kernel's ruleset is as it was"
fi

# A list that rules add to too (issue 31): its set is one whose entries
# come and go, yet the configuration's static entries in it (marked so) are
# configuration: an entry added or removed is a change for --diff and for
# --json's "changed"; what the rule added stays state.
cat > "$tmp/l1.rsc" <<'RSC'
/ip firewall address-list
add list=blk address=10.1.1.1
/ip firewall filter
add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=blk address-list-timeout=1h
RSC
{ cat "$tmp/l1.rsc"; printf '/ip firewall address-list\nadd address=10.1.1.9 list=blk\n'; } > "$tmp/l3.rsc"
unshare -n bash -c '
cd "$2"
ip link set lo up
"$1" apply l1.rsc 2>/dev/null
echo x > /dev/udp/127.0.0.1/9
"$1" apply --diff l1.rsc > l1same.diff; echo $? > l1same.rc
"$1" apply --diff l3.rsc > l3.diff; echo $? > l3.rc
"$1" apply --json l3.rsc > l3.json 2>/dev/null
nft list set ip rosfw al_blk > l3.set
"$1" apply --diff l3.rsc > l3same.diff; echo $? > l3same.rc
"$1" apply --diff l1.rsc > l1.diff; echo $? > l1.rc
"$1" apply --json l1.rsc > l1.json 2>/dev/null
"$1" apply --json l1.rsc > l1again.json 2>/dev/null
nft list set ip rosfw al_blk > l1.set
' _ "$rosfw" "$tmp"
if [ "$(cat "$tmp/l3.rc")" = 4 ] && grep -qx '~ set ip al_blk' "$tmp/l3.diff" && grep -qx '    + 10.1.1.9' "$tmp/l3.diff" &&
	! grep -q '127.0.0.1\|10.1.1.1' "$tmp/l3.diff" && [ "$(cat "$tmp/l1same.rc")" = 0 ]; then
	pass "diff: a configured entry added to a list rules add to is a change; what the rule added is not"
else
	fail "diff: a configured entry added to a list rules add to (exit $(cat "$tmp/l3.rc")): $(cat "$tmp/l3.diff" "$tmp/l1same.diff")"
fi
if jq -e '.changed == true' "$tmp/l3.json" >/dev/null && grep -q '10.1.1.9' "$tmp/l3.set" &&
	[ "$(cat "$tmp/l3same.rc")" = 0 ]; then
	pass "diff: --json says changed when it adds a configured entry to a list rules add to"
else
	fail "diff: --json says changed when it adds a configured entry to such a list: $(cat "$tmp/l3.json" "$tmp/l3same.diff")"
fi
if [ "$(cat "$tmp/l1.rc")" = 4 ] && grep -qx '    - 10.1.1.9' "$tmp/l1.diff" && jq -e '.changed == true' "$tmp/l1.json" >/dev/null &&
	jq -e '.changed == false' "$tmp/l1again.json" >/dev/null && ! grep -q '10.1.1.9' "$tmp/l1.set" &&
	grep -q '127.0.0.1' "$tmp/l1.set"; then
	pass "diff: removing it again is a change too, for --diff and --json; the rule's entry stays"
else
	fail "diff: removing it again is a change (exit $(cat "$tmp/l1.rc")): $(cat "$tmp/l1.diff" "$tmp/l1.json" "$tmp/l1again.json" "$tmp/l1.set")"
fi

# itself NAME DIR FILE [OPTIONS...]: applied, then diffed against itself
itself() {
	local name=$1 dir=$2 file=$3 out
	shift 3
	out=$(cd "$dir" && unshare -n bash -c '"$@" >/dev/null 2>&1 && "$@" --diff 2>/dev/null' _ "$rosfw" apply "$@" "$file")
	if [ "$out" = "no changes" ]; then
		pass "diff: $name against itself"
	else
		fail "diff: $name against itself: $out"
	fi
}
each_config "$rosfw" itself
summary "diff"
