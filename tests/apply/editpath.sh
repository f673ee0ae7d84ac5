#!/bin/bash
# The edit path (runtime/editpath.h, issue 18), against a differential
# oracle: for each edit of a configuration, apply it over the previous
# version (same FILE path, with records) in one namespace, and the edited
# file fresh in another; `nft list ruleset` (handles, counts and times
# stripped, objects in any order, every chain's rules in order) and
# `rosfw print stats all` (ip and ipv6, --json, counts apart) must be
# equal. Which path each apply took (ROSFW_TIMING)
# must be the one expected: the edit path for a value changed, two rules
# changed, an ip6 or nat rule changed, a rule disabled or enabled, a
# comment changed, a rule added or removed (above others too: kernel
# comments carry no numbers); the full path for a new mark name, a jump to a new chain, a scripting line, a
# list entry, a missing interface (a warning), a new counter name a rule
# already has. Untouched rules keep their handles and counters and a
# dynamic entry stays. Then the plain rules of corpus files, one comment
# edited.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! unshare -n true 2>/dev/null; then
	echo "editpath: needs root, nft and unshare: skipped" >&2
	summary "editpath"
	exit 0
fi

cat > "$tmp/base.rsc" <<'RSC'
# a configuration with context around its rules
/interface list
add name=LAN
/interface list member
add interface=lo list=LAN
/ip firewall address-list
add list=lan address=192.168.88.0/24
/ip firewall filter
add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=seen address-list-timeout=1h comment="track"
add chain=input protocol=udp dst-port=9 action=passthrough comment="count"
add chain=input protocol=tcp dst-port=22 action=accept comment="ssh"
add chain=input protocol=tcp dst-port=80 src-address=10.0.0.0/8 action=accept comment="web"
add chain=input src-address-list=lan action=accept comment="lan"
add chain=forward protocol=tcp dst-port=443 action=accept comment="fwd https"
add chain=forward protocol=udp dst-port=53 action=accept comment="fwd dns"
add chain=custom protocol=icmp action=accept comment="in custom"
add chain=input action=jump jump-target=custom comment="to custom"
add chain=input action=drop comment="the rest"
/ip firewall nat
add chain=srcnat src-address=10.99.0.0/16 action=masquerade comment="nat one"
add chain=dstnat protocol=tcp dst-port=8080 action=dst-nat to-addresses=10.0.0.5 to-ports=80 comment="nat two"
/ip firewall mangle
add chain=prerouting action=mark-packet new-packet-mark=pm passthrough=yes comment="marks"
/ipv6 firewall filter
add chain=input protocol=udp dst-port=9 action=passthrough comment="six"
add chain=input protocol=tcp dst-port=22 action=accept comment="six ssh"
RSC
# NAME|EXPECTED PATH|sed program (applied to the previous version)
cat > "$tmp/cases" <<'CASES'
value|edit|/comment="ssh"/s/dst-port=22/dst-port=2222/
two|edit|/comment="fwd https"/s/dst-port=443/dst-port=8443/;/comment="fwd dns"/s/dst-port=53/dst-port=5353/
six|edit|/comment="six ssh"/s/dst-port=22/dst-port=22,23/
nat|edit|/comment="nat two"/s/to-ports=80/to-ports=81/
disable|edit|/comment="web"/s/$/ disabled=yes/
enable|edit|/comment="web"/s/ disabled=yes//
comment|edit|s/comment="fwd dns"/comment="fwd \\"dns\\" again"/
custom|edit|/comment="in custom"/s/protocol=icmp/protocol=icmp src-address=10.1.0.0\/16/
append|edit|/^\/ip firewall nat/i add chain=forward protocol=tcp dst-port=25 action=drop comment="appended"
unappend|edit|/comment="appended"/d
added|edit|/comment="ssh"/a add chain=input protocol=tcp dst-port=25 action=accept comment="smtp"
removed|edit|/comment="smtp"/d
mark|full|/comment="marks"/s/new-packet-mark=pm/new-packet-mark=other/
jump|full|/comment="ssh"/s/action=accept/action=jump jump-target=newchain/
back|full|/comment="ssh"/s/action=jump jump-target=newchain/action=accept/
script|full|$a :global x 1
unscript|full|/^:global/d
entry|full|/^add list=lan/s/192.168.88.0/192.168.89.0/
iface|full|/comment="ssh"/s/$/ in-interface=ether9/
unface|full|/comment="ssh"/s/ in-interface=ether9//
twin|edit|/comment="web"/c add chain=input protocol=tcp dst-port=2222 action=accept comment="ssh"
last|edit|/comment="the rest"/s/action=drop/action=reject/
fartwin|full|/comment="the rest"/c add chain=input protocol=udp dst-port=9 action=passthrough comment="count"
CASES

mkdir -m 700 "$tmp/rec" "$tmp/frec"
cp "$tmp/base.rsc" "$tmp/v0.rsc"
i=0
while IFS='|' read -r name _ prog; do
	sed -e "$prog" "$tmp/v$i.rsc" > "$tmp/v$((i + 1)).rsc"
	i=$((i + 1))
done < "$tmp/cases"

# Listing without state: handles, counts, timeouts, the dynamic entries.
state_free() {
	sed -E 's/ # handle [0-9]+$//; s/ (timeout|expires) [0-9dhms.]+//g; s/packets [0-9]+ bytes [0-9]+//' "$1" |
		grep -v '127\.0\.0\.1\|::1'
}
# print stats --json without the counts (state) ...
counts_free() { sed -E 's/"(bytes|packets)":[0-9]+/"\1":0/g' "$1"; }
same_print() { grep -q '"facility"' "$1" && cmp -s <(counts_free "$1") <(counts_free "$2"); }
same() {
	cmp -s <(state_free "$1" | sort) <(state_free "$2" | sort) &&
		cmp -s <(state_free "$1" | grep 'counter name') <(state_free "$2" | grep 'counter name')
}

# The edits, one after another, over one namespace's tables.
unshare -n bash -c '
export ROSFW_RECORD="$2/rec/applied.rsc"
ip link set lo up
echo 1 > /proc/sys/net/ipv4/ip_forward
echo 1 > /proc/sys/net/ipv6/conf/all/forwarding
cp "$2/v0.rsc" "$2/cur.rsc"
"$1" apply "$2/cur.rsc" 2>/dev/null || echo "v0 failed" >&2
for k in 1 2 3; do echo x > /dev/udp/127.0.0.1/9; done
echo x > /dev/udp/::1/9
n=$(wc -l < "$2/cases")
for i in $(seq 1 "$n"); do
	nft -a list ruleset > "$2/before.$i"
	cp "$2/v$i.rsc" "$2/cur.rsc"
	ROSFW_TIMING=1 "$1" apply --json "$2/cur.rsc" > "$2/json.$i" 2> "$2/err.$i"
	nft -a list ruleset > "$2/after.$i"
	{ "$1" print stats all --json; "$1" print stats all --ipv6 --json; } > "$2/print.$i" 2>&1
done
true
' _ "$rosfw" "$tmp" 2> "$tmp/err" || { fail "editpath: scenario ran"; cat "$tmp/err" >&2; }
[ -s "$tmp/err" ] && { fail "editpath: scenario ran quietly"; cat "$tmp/err" >&2; }

# Each version fresh, in a namespace of its own.
n=$(wc -l < "$tmp/cases")
for i in $(seq 1 "$n"); do
	rm -f "$tmp/frec/"*
	unshare -n bash -c '
	export ROSFW_RECORD="$3/frec/applied.rsc"
	ip link set lo up
	echo 1 > /proc/sys/net/ipv4/ip_forward
	echo 1 > /proc/sys/net/ipv6/conf/all/forwarding
	cp "$2" "$3/fcur.rsc"
	"$1" apply "$3/fcur.rsc" >/dev/null 2>&1 && nft list ruleset > "$3/fresh.$4"
	{ "$1" print stats all --json; "$1" print stats all --ipv6 --json; } > "$3/fprint.$4" 2>&1' _ "$rosfw" "$tmp/v$i.rsc" "$tmp" "$i"
done

# rule_of FILE TEXT: the rule line whose comment is "#N TEXT"
rule_of() { grep -E "comment \"$2\" # handle [0-9]+$" "$1" | head -1; }
handle_of() { rule_of "$1" "$2" | grep -o '# handle [0-9]*$'; }
counter_of() {
	local name
	name=$(rule_of "$1" "$2" | grep -o 'counter name "[^"]*"' | cut -d'"' -f2)
	[ -n "$name" ] && grep -A1 "counter $name {" "$1" | grep -o 'packets [0-9]* bytes [0-9]*' | head -1
}

i=0
while IFS='|' read -r name want _; do
	i=$((i + 1))
	if grep -q 'edit path: .*records written' "$tmp/err.$i"; then took=edit; else took=full; fi
	if [ "$took" = "$want" ]; then
		pass "editpath: $name took the $want path"
	else
		fail "editpath: $name took the $want path (took $took: $(grep -o 'full path: .*' "$tmp/err.$i" | head -1))"
	fi
	if grep -q '"ok":true' "$tmp/json.$i" &&
		{ [ "$took" = full ] || { grep -q '"edit":true' "$tmp/json.$i" && grep -q '"changed":true' "$tmp/json.$i"; }; }; then
		pass "editpath: $name applied, --json says how"
	else
		fail "editpath: $name applied, --json says how: $(head -c 300 "$tmp/json.$i")"
	fi
	if same "$tmp/after.$i" "$tmp/fresh.$i"; then
		pass "editpath: $name = a fresh apply, but for state"
	else
		fail "editpath: $name = a fresh apply, but for state"
		diff <(state_free "$tmp/after.$i") <(state_free "$tmp/fresh.$i") | head -10 >&2
	fi
	if same_print "$tmp/print.$i" "$tmp/fprint.$i"; then
		pass "editpath: $name: print = a fresh apply's"
	else
		fail "editpath: $name: print = a fresh apply's"
		diff <(counts_free "$tmp/print.$i") <(counts_free "$tmp/fprint.$i") | head -6 >&2
	fi
	if [ "$took" = edit ]; then
		# every rule whose line the edit did not touch keeps its handle
		# and its counter
		for r in track count lan "the rest" six; do
			grep -q "comment=\"$r\"" "$tmp/v$i.rsc" || continue
			[ "$(grep "comment=\"$r\"" "$tmp/v$i.rsc")" = "$(grep "comment=\"$r\"" "$tmp/v$((i - 1)).rsc")" ] || continue
			hb=$(handle_of "$tmp/before.$i" "$r")
			cb=$(counter_of "$tmp/before.$i" "$r")
			if [ -n "$hb" ] && [ "$hb" = "$(handle_of "$tmp/after.$i" "$r")" ] &&
				[ "$cb" = "$(counter_of "$tmp/after.$i" "$r")" ]; then
				pass "editpath: $name: \"$r\" kept its handle and counter"
			else
				fail "editpath: $name: \"$r\" kept its handle and counter ($hb $cb)"
			fi
		done
		if awk '/set al_seen/ { s = 1 } s && /^\t}/ { s = 0 } s' "$tmp/after.$i" | grep -q '127.0.0.1'; then
			pass "editpath: $name: the dynamic entry stayed"
		else
			fail "editpath: $name: the dynamic entry stayed"
		fi
	fi
done < "$tmp/cases"
# the counters counted before the edits
if counter_of "$tmp/after.1" count | grep -q '^packets 3 '; then
	pass "editpath: the counters counted"
else
	fail "editpath: the counters counted ($(counter_of "$tmp/after.1" count))"
fi

# Real rules: the plain rules of each corpus file's IP rule menus (what
# the edit path takes), the interfaces they name made as veth pairs; one
# comment edited, applied over the file, against the edited file fresh.
plain='action|chain|comment|connection-nat-state|connection-state|disabled|dscp|dst-address|dst-address-type|dst-port|hop-limit|icmp-options|in-interface|log|log-prefix|out-interface|packet-size|port|protocol|reject-with|src-address|src-address-type|src-port|tcp-flags|to-addresses|to-ports|ttl'
for f in "$SHARED"/corpus/files/*.rsc; do
	base=$(basename "$f")
	sed -e :a -e '/\\$/N; s/\\\n *//; ta' "$f" | tr -d '\r' | awk -v plain="^($plain)=" '
		/^\/(ip|ipv6) firewall (filter|nat|mangle|raw)$/ { menu = $0; next }
		/^\// { menu = ""; next }
		menu != "" && /^add / && !/[$[\]{};]/ {
			ok = 1
			for (i = 2; i <= NF; i++)
				if ($i ~ /^[a-z0-9-]+=/ && $i !~ plain)
					ok = 0
			if (!ok || /jump-target|untracked|in-interface-list|out-interface-list|address-list/)
				next
			if (menu != last) { print menu; last = menu }
			print
		}' > "$tmp/c0.rsc"
	[ "$(grep -c '^add ' "$tmp/c0.rsc")" -ge 4 ] || continue
	line=$(awk '/^add .*comment="[A-Za-z0-9 ]+"/ { n = NR } END { print n }' "$tmp/c0.rsc")
	[ -n "$line" ] || continue
	sed -e "${line}s/comment=\"/comment=\"edited /" "$tmp/c0.rsc" > "$tmp/c1.rsc"
	ifaces=$(grep -o -- '-interface=[A-Za-z0-9._-]*' "$tmp/c0.rsc" | cut -d= -f2 | sort -u | grep -v '^all$' | head -20)
	rm -f "$tmp/rec/"* "$tmp/frec/"*
	for side in edit fresh; do
		unshare -n bash -c '
		[ "$3" = edit ] && export ROSFW_RECORD="$2/rec/applied.rsc" || export ROSFW_RECORD="$2/frec/applied.rsc"
		ip link set lo up
		for i in $4; do ip link add "$i" type veth peer name "p$RANDOM" 2>/dev/null; done
		echo 1 > /proc/sys/net/ipv4/ip_forward
		echo 1 > /proc/sys/net/ipv6/conf/all/forwarding
		if [ "$3" = edit ]; then
			cp "$2/c0.rsc" "$2/cur.rsc"
			"$1" apply "$2/cur.rsc" >/dev/null 2> "$2/c0err"
			cp "$2/c1.rsc" "$2/cur.rsc"
			ROSFW_TIMING=1 "$1" apply "$2/cur.rsc" > /dev/null 2> "$2/cerr"
			nft list ruleset > "$2/cafter"
			{ "$1" print stats all --json; "$1" print stats all --ipv6 --json; } > "$2/cprint" 2>&1
		else
			cp "$2/c1.rsc" "$2/fcur.rsc"
			"$1" apply "$2/fcur.rsc" >/dev/null 2>&1
			echo $? > "$2/cfrc"
			nft list ruleset > "$2/cfresh"
			{ "$1" print stats all --json; "$1" print stats all --ipv6 --json; } > "$2/cfprint" 2>&1
		fi
		true' _ "$rosfw" "$tmp" "$side" "$ifaces"
	done
	# what does not apply here at all (errors) says nothing of the path
	[ "$(cat "$tmp/cfrc")" = 0 ] || continue
	if grep -q 'edit path: .*records written' "$tmp/cerr"; then took="edit path"; else
		took="full path: $(grep -o 'full path: .*' "$tmp/cerr" | head -1 | cut -c12-)"; fi
	if same "$tmp/cafter" "$tmp/cfresh" && same_print "$tmp/cprint" "$tmp/cfprint"; then
		pass "editpath: corpus $base, $(grep -c '^add ' "$tmp/c0.rsc") plain rules, line $line ($took) = a fresh apply"
	else
		fail "editpath: corpus $base, line $line ($took) = a fresh apply"
		diff <(state_free "$tmp/cafter") <(state_free "$tmp/cfresh") | head -6 >&2
		diff <(counts_free "$tmp/cprint") <(counts_free "$tmp/cfprint") | head -6 >&2
	fi
	[ "$took" = "edit path" ] && corpus_edit=$((corpus_edit + 1))
done
if [ "${corpus_edit:-0}" -ge 3 ]; then
	pass "editpath: the edit path took at least 3 corpus edits (${corpus_edit})"
else
	fail "editpath: the edit path took at least 3 corpus edits (${corpus_edit:-0})"
fi
summary "editpath"
