#!/bin/bash
# What the machine lacks, found before it hurts (issue 14), in network
# namespaces of its own:
#   - an interface the rules match on that this namespace does not have is
#     an error for apply (exit 1, nothing applied), each rule named with the
#     way it fails: a drop opens, an accept (a LAN list member) closes, a
#     negated match always holds; --missing-interfaces=warn (and the
#     ROSFW_MISSING_INTERFACES default) applies with warnings,
#     --allow-missing names the ones that come later; check --here judges
#     the same, check alone says nothing about this machine;
#   - an interface that appears after the apply is matched (by name);
#   - a bridge port named in a rule: a warning (IP rules see the bridge);
#   - forwarding off with forward or NAT rules: warned; --forwarding=on sets
#     it in the namespace only, after the commit, and flush puts it back.
# Wildcards (ppp*) come from an interface map, which RouterOS text alone
# cannot write: tests/unit/test_ifcheck.c covers them.
. "$(dirname "$0")/../lib.sh"
in_own_namespaces ifcheck -n "$@"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
peer=""
cleanup() {
	[ -n "$peer" ] && kill "$peer" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
unset ROSFW_MISSING_INTERFACES
ip link set lo up
ip link add wan0 type veth peer name wan0p

cat > "$tmp/drop.rsc" <<'RSC'
/ip firewall filter
add chain=input action=accept connection-state=established,related
add chain=input action=drop in-interface=ether1 protocol=tcp dst-port=22 comment="no ssh from WAN"
RSC
cat > "$tmp/lan.rsc" <<'RSC'
/interface list
add name=LAN
/interface list member
add list=LAN interface=bridge
/ip firewall filter
add chain=input action=accept in-interface-list=LAN comment="LAN to the router"
add chain=input action=drop in-interface-list=!LAN comment="drop all not from LAN"
RSC

tables() { nft list tables 2>/dev/null | grep -c rosfw; }

# 1. A drop on a missing interface: an error that says it opens, nothing applied.
"$rosfw" apply "$tmp/drop.rsc" 2> "$tmp/e1"; rc=$?
if [ $rc = 1 ] && [ "$(tables)" = 0 ] &&
	grep -q 'drop.rsc:3:1: error: rule 1 of /ip firewall filter (chain input, drop): in-interface=ether1, but this machine has no interface "ether1": it never drops that traffic: this opens traffic' "$tmp/e1" &&
	grep -q 'error: interface "ether1" does not exist here: 1 rule matches on it' "$tmp/e1"; then
	pass "ifcheck: a drop on a missing interface: exit 1, says it opens, nothing applied"
else
	fail "ifcheck: a drop on a missing interface: exit 1, says it opens, nothing applied (rc=$rc)"
	cat "$tmp/e1" >&2
fi

# 2. The LAN list's member missing: the accept closes, the negated drop
#    drops everything.
"$rosfw" apply "$tmp/lan.rsc" 2> "$tmp/e2"; rc=$?
if [ $rc = 1 ] && [ "$(tables)" = 0 ] &&
	grep -q 'lan.rsc:6:1: error: .*in-interface-list=LAN holds "bridge", but this machine has no interface "bridge": it never accepts that traffic.*closes traffic' "$tmp/e2" &&
	grep -q 'lan.rsc:7:1: error: .*in-interface-list=!LAN holds "bridge".*it drops all traffic, what it was to spare included: this closes traffic' "$tmp/e2"; then
	pass "ifcheck: a LAN list member missing: the accept closes, the negated drop closes"
else
	fail "ifcheck: a LAN list member missing: the accept closes, the negated drop closes (rc=$rc)"
	cat "$tmp/e2" >&2
fi

# 3. apply --check judges the same; --json carries it.
"$rosfw" apply --check "$tmp/drop.rsc" 2>/dev/null; rc=$?
"$rosfw" apply --json "$tmp/drop.rsc" > "$tmp/j3" 2>/dev/null; rcj=$?
if [ $rc = 1 ] && [ $rcj = 1 ] && grep -q '"ok":false' "$tmp/j3" && grep -q 'no interface \\"ether1\\"' "$tmp/j3" &&
	[ "$(tables)" = 0 ]; then
	pass "ifcheck: apply --check and --json: exit 1, the missing interface in the result"
else
	fail "ifcheck: apply --check and --json: exit 1, the missing interface in the result ($rc $rcj)"
	cat "$tmp/j3" >&2
fi

# 3b. Without CAP_NET_ADMIN, apply says that in its one line, as every
#     command does; check --here needs no capability.
setpriv --inh-caps=-net_admin --bounding-set=-net_admin "$rosfw" apply "$tmp/drop.rsc" > "$tmp/o3" 2> "$tmp/e3"; rc=$?
setpriv --inh-caps=-net_admin --bounding-set=-net_admin "$rosfw" check --here "$tmp/drop.rsc" 2> "$tmp/e3b"; rc2=$?
if [ $rc = 3 ] && [ ! -s "$tmp/o3" ] && [ "$(wc -l < "$tmp/e3")" = 1 ] && grep -q CAP_NET_ADMIN "$tmp/e3" &&
	[ $rc2 = 1 ] && grep -q 'no interface "ether1"' "$tmp/e3b"; then
	pass "ifcheck: without CAP_NET_ADMIN: apply's one line, exit 3; check --here works"
else
	fail "ifcheck: without CAP_NET_ADMIN: apply's one line, exit 3; check --here works ($rc $rc2)"
	cat "$tmp/e3" "$tmp/e3b" >&2
fi

# 4. The overrides: warn applies with the same list as warnings; so does
#    the environment's default; --allow-missing makes a note of it.
"$rosfw" apply --missing-interfaces=warn "$tmp/lan.rsc" 2> "$tmp/e4"; rc=$?
if [ $rc = 0 ] && [ "$(tables)" = 1 ] && ! grep -q 'error:' "$tmp/e4" &&
	grep -q 'lan.rsc:6:1: warning: .*"bridge".*closes traffic' "$tmp/e4"; then
	pass "ifcheck: --missing-interfaces=warn applies, the same list as warnings"
else
	fail "ifcheck: --missing-interfaces=warn applies, the same list as warnings (rc=$rc)"
	cat "$tmp/e4" >&2
fi
"$rosfw" flush 2>/dev/null
ROSFW_MISSING_INTERFACES=warn "$rosfw" apply "$tmp/drop.rsc" 2> "$tmp/e4b"; rc=$?
ROSFW_MISSING_INTERFACES=error "$rosfw" apply --missing-interfaces=warn "$tmp/drop.rsc" 2>/dev/null; rc2=$?
ROSFW_MISSING_INTERFACES=bogus "$rosfw" apply "$tmp/drop.rsc" 2>/dev/null; rc3=$?
if [ $rc = 0 ] && [ $rc2 = 0 ] && [ $rc3 = 3 ] && grep -q 'warning: .*"ether1"' "$tmp/e4b"; then
	pass "ifcheck: ROSFW_MISSING_INTERFACES sets the default, the option wins, a bad value is usage"
else
	fail "ifcheck: ROSFW_MISSING_INTERFACES sets the default, the option wins, a bad value is usage ($rc $rc2 $rc3)"
fi
"$rosfw" flush 2>/dev/null
"$rosfw" apply --allow-missing=ether9,ether1 "$tmp/drop.rsc" 2> "$tmp/e4c"; rc=$?
"$rosfw" apply --allow-missing=ether "$tmp/drop.rsc" 2>/dev/null; rc2=$?
"$rosfw" apply --allow-missing='eth*' "$tmp/drop.rsc" 2>/dev/null; rc3=$?
if [ $rc = 0 ] && [ $rc2 = 1 ] && [ $rc3 = 0 ] && ! grep -q 'error:\|warning:.*ether1' "$tmp/e4c" &&
	grep -q 'note: interface "ether1" does not exist here yet (--allow-missing): the 1 rule using it act' "$tmp/e4c"; then
	pass "ifcheck: --allow-missing (names, a prefix*): a note, applied"
else
	fail "ifcheck: --allow-missing (names, a prefix*): a note, applied ($rc $rc2 $rc3)"
	cat "$tmp/e4c" >&2
fi
"$rosfw" flush 2>/dev/null

# 5. check --here judges as apply does; check alone (another machine's
#    pipeline) says nothing about this one.
"$rosfw" check --here "$tmp/lan.rsc" 2> "$tmp/e5"; rc=$?
"$rosfw" check --here --missing-interfaces=warn "$tmp/lan.rsc" 2>/dev/null; rc2=$?
"$rosfw" check "$tmp/lan.rsc" 2> "$tmp/e5b"; rc3=$?
"$rosfw" check --missing-interfaces=warn "$tmp/lan.rsc" 2>/dev/null; rc4=$?
if [ $rc = 1 ] && [ $rc2 = 0 ] && [ $rc3 = 0 ] && [ $rc4 = 3 ] && grep -q 'lan.rsc:6:1: error: .*"bridge"' "$tmp/e5" &&
	! grep -q bridge "$tmp/e5b"; then
	pass "ifcheck: check --here = apply's verdict; check alone does not look at this machine"
else
	fail "ifcheck: check --here = apply's verdict; check alone does not look at this machine ($rc $rc2 $rc3 $rc4)"
	cat "$tmp/e5" >&2
fi

# 6. Matching stays by name: a link that appears after the apply is
#    matched. ppp0 is allowed missing, made afterwards with its far end in
#    a namespace of its own, and a packet from there counts on the rule.
cat > "$tmp/ppp.rsc" <<'RSC'
/ip firewall filter
add chain=input action=drop in-interface=ppp0 protocol=udp dst-port=9 comment="from ppp0"
RSC
"$rosfw" apply --allow-missing=ppp0 "$tmp/ppp.rsc" 2>/dev/null; rc=$?
unshare -n sleep 600 &
peer=$!
while [ "$(readlink /proc/$peer/ns/net)" = "$(readlink /proc/self/ns/net)" ]; do sleep 0.05; done
ip link add ppp0 type veth peer name pppp netns "$peer"
ip addr add 10.9.0.1/24 dev ppp0
ip link set ppp0 up
nsenter -t "$peer" -n sh -c 'ip link set lo up; ip addr add 10.9.0.2/24 dev pppp; ip link set pppp up'
# The first packets wait for ARP and the link's carrier: send until one
# counts (or 50 tries), rather than a fixed three sent at once.
for i in $(seq 50); do
	nsenter -t "$peer" -n bash -c 'echo probe > /dev/udp/10.9.0.1/9' 2>/dev/null
	pk=$(nft list counters table ip rosfw 2>/dev/null | sed -n 's/.*packets \([0-9]*\).*/\1/p' | head -1)
	[ "${pk:-0}" -ge 1 ] && break
	sleep 0.1
done
if [ $rc = 0 ] && [ "${pk:-0}" -ge 1 ]; then
	pass "ifcheck: an interface made after the apply is matched by name ($pk packets)"
else
	fail "ifcheck: an interface made after the apply is matched by name (rc=$rc, packets ${pk:-none})"
	nft list ruleset >&2
fi
"$rosfw" check --here "$tmp/ppp.rsc" 2> "$tmp/e6"; rc=$?
[ $rc = 0 ] && ! grep -q ppp0 "$tmp/e6" && pass "ifcheck: once it exists, nothing is said about it" ||
	{ fail "ifcheck: once it exists, nothing is said about it"; cat "$tmp/e6" >&2; }
"$rosfw" flush 2>/dev/null

# 7. A bridge port named in a rule: IP rules see the bridge. A warning.
ip link add br0 type bridge
ip link add enp2s0 type veth peer name enp2s0p
ip link set enp2s0 master br0
cat > "$tmp/port.rsc" <<'RSC'
/ip firewall filter
add chain=input action=accept in-interface=enp2s0
add chain=input action=accept in-interface=br0
RSC
"$rosfw" check --here "$tmp/port.rsc" 2> "$tmp/e7"; rc=$?
if [ $rc = 0 ] && grep -q 'port.rsc:2:1: warning: .*"enp2s0" is a port of bridge "br0" here, and IP rules see its traffic as br0.s' "$tmp/e7" &&
	! grep -q 'port.rsc:3' "$tmp/e7"; then
	pass "ifcheck: a bridge port in a rule: a warning naming the bridge"
else
	fail "ifcheck: a bridge port in a rule: a warning naming the bridge (rc=$rc)"
	cat "$tmp/e7" >&2
fi

# 7b. rosfwd's reload (SIGHUP) and the unit's boot apply take missing
#     interfaces as warnings: one not made yet must not keep the old
#     ruleset, or none.
"$rosfw" apply --missing-interfaces=warn "$tmp/lan.rsc" 2>/dev/null
mkdir -m 700 "$tmp/st"
"$(dirname "$rosfw")/rosfwd" --state "$tmp/st/state" --interval 600 "$tmp/lan.rsc" 2> "$tmp/rosfwd.log" &
rpid=$!
for i in $(seq 100); do [ -e "$tmp/st/state" ] || grep -q 'rosfwd' "$tmp/rosfwd.log" && break; sleep 0.1; done
kill -HUP "$rpid"
for i in $(seq 100); do grep -q 'SIGHUP: apply' "$tmp/rosfwd.log" && break; sleep 0.1; done
kill -TERM "$rpid"
wait "$rpid"
if grep -q 'SIGHUP: apply done (exit 0)' "$tmp/rosfwd.log" && grep -q 'warning: .*"bridge"' "$tmp/rosfwd.log" &&
	grep -q 'ExecStartPre=.*apply --missing-interfaces=warn' "$ROOT/runtime/rosfwd.service"; then
	pass "ifcheck: rosfwd's SIGHUP and the unit's boot apply warn about missing interfaces"
else
	fail "ifcheck: rosfwd's SIGHUP and the unit's boot apply warn about missing interfaces"
	cat "$tmp/rosfwd.log" >&2
fi
"$rosfw" flush 2>/dev/null

# 8. Forwarding. A new namespace routes nothing.
cat > "$tmp/fwd.rsc" <<'RSC'
/ip firewall filter
add chain=input action=accept protocol=icmp
add chain=forward action=accept connection-state=established,related
/ipv6 firewall filter
add chain=forward action=accept connection-state=established,related
RSC
cat > "$tmp/input.rsc" <<'RSC'
/ip firewall filter
add chain=input action=accept protocol=icmp
RSC
f4=/proc/sys/net/ipv4/ip_forward f6=/proc/sys/net/ipv6/conf/all/forwarding
"$rosfw" apply "$tmp/input.rsc" 2> "$tmp/e8a"; rc=$?
[ $rc = 0 ] && ! grep -q forward "$tmp/e8a" && pass "ifcheck: no forward or NAT rules: nothing said about forwarding" ||
	{ fail "ifcheck: no forward or NAT rules: nothing said about forwarding"; cat "$tmp/e8a" >&2; }
"$rosfw" flush 2>/dev/null
"$rosfw" apply "$tmp/fwd.rsc" 2> "$tmp/e8"; rc=$?
if [ $rc = 0 ] && [ "$(cat $f4)" = 0 ] && [ "$(cat $f6)" = 0 ] &&
	grep -q 'fwd.rsc:3:1: warning: net.ipv4.ip_forward is 0 in this network namespace: this machine does not route IPv4' "$tmp/e8" &&
	grep -q 'fwd.rsc:5:1: warning: net.ipv6.conf.all.forwarding is 0' "$tmp/e8" && grep -q 'forwarding=on' "$tmp/e8"; then
	pass "ifcheck: forwarding off with forward rules: warned for both families, left as it is"
else
	fail "ifcheck: forwarding off with forward rules: warned for both families, left as it is (rc=$rc)"
	cat "$tmp/e8" >&2
fi
"$rosfw" apply --diff --forwarding=on "$tmp/fwd.rsc" > "$tmp/d8" 2>/dev/null
grep -q '^~ sysctl net.ipv4.ip_forward 0 -> 1' "$tmp/d8" && grep -q '^~ sysctl net.ipv6.conf.all.forwarding 0 -> 1' "$tmp/d8" &&
	[ "$(cat $f4)" = 0 ] && pass "ifcheck: --diff --forwarding=on shows the change, makes none" ||
	{ fail "ifcheck: --diff --forwarding=on shows the change, makes none"; cat "$tmp/d8" >&2; }
"$rosfw" apply --forwarding=on "$tmp/fwd.rsc" 2> "$tmp/e9"; rc=$?
if [ $rc = 0 ] && [ "$(cat $f4)" = 1 ] && [ "$(cat $f6)" = 1 ] &&
	grep -q 'note: --forwarding=on: net.ipv4.ip_forward 0 -> 1' "$tmp/e9" && ! grep -q 'warning: net.ipv4.ip_forward' "$tmp/e9"; then
	pass "ifcheck: --forwarding=on sets both in the namespace after the commit"
else
	fail "ifcheck: --forwarding=on sets both in the namespace after the commit (rc=$rc)"
	cat "$tmp/e9" >&2
fi
"$rosfw" apply "$tmp/fwd.rsc" 2> "$tmp/e10"
grep -q ip_forward "$tmp/e10" && fail "ifcheck: forwarding on: nothing more said" || pass "ifcheck: forwarding on: nothing more said"
"$rosfw" flush 2> "$tmp/e11"; rc=$?
if [ $rc = 0 ] && [ "$(cat $f4)" = 0 ] && [ "$(cat $f6)" = 0 ] && grep -q 'put back: net.ipv4.ip_forward 1 -> 0' "$tmp/e11"; then
	pass "ifcheck: flush puts forwarding back"
else
	fail "ifcheck: flush puts forwarding back (rc=$rc)"
	cat "$tmp/e11" >&2
fi
"$rosfw" apply --forwarding=bogus "$tmp/fwd.rsc" 2>/dev/null; rc=$?
"$rosfw" flush --forwarding=on 2>/dev/null; rc2=$?
[ $rc = 3 ] && [ $rc2 = 3 ] && pass "ifcheck: --forwarding takes on or keep, apply only" ||
	fail "ifcheck: --forwarding takes on or keep, apply only ($rc $rc2)"
# 12. Issue 14's evidence: RouterOS's default configuration, exported as
#     it is (a corpus file), on a server whose interfaces are enp1s0 and
#     br0: every missing name and every rule that uses it, which way each
#     fails, nothing applied; through the map, applied without a word of it.
kh="$SHARED/corpus/files/kaihendry__mikrotik-configs__default.cfg.rsc"
if [ -f "$kh" ]; then
	ip link add enp1s0 type veth peer name enp1s0p
	# br0 was made for the bridge-port case above
	"$rosfw" apply "$kh" 2> "$tmp/e12"; rc=$?
	k=$(basename "$kh")
	if [ $rc = 1 ] && [ "$(tables)" = 0 ] &&
		grep -q 'error: interface "ether1" does not exist here: 2 rules match on it' "$tmp/e12" &&
		grep -q 'error: interface "bridge" does not exist here: 1 rule matches on it' "$tmp/e12" &&
		grep -q "$k:57:1: error: rule 4 of /ip firewall filter (chain input, drop): in-interface-list=!LAN holds \"bridge\".*this closes traffic" "$tmp/e12" &&
		grep -q "$k:70:1: error: rule 10 of /ip firewall filter (chain forward, drop): in-interface-list=WAN holds \"ether1\".*this opens traffic" "$tmp/e12" &&
		grep -q "$k:74:1: error: rule 0 of /ip firewall nat (chain srcnat, masquerade/src-nat): out-interface-list=WAN holds \"ether1\".*this closes traffic" "$tmp/e12" &&
		[ "$(grep -c ': error: rule ' "$tmp/e12")" = 3 ]; then
		pass "ifcheck: the default configuration unmapped: every missing name and rule, which way, nothing applied"
	else
		fail "ifcheck: the default configuration unmapped: every missing name and rule, which way, nothing applied (rc=$rc)"
		cat "$tmp/e12" >&2
	fi
	"$rosfw" apply --interface ether1=enp1s0 --interface bridge=br0 "$kh" 2> "$tmp/e13"; rc=$?
	[ $rc = 0 ] && [ "$(tables)" = 1 ] && ! grep -q 'does not exist\|has no members' "$tmp/e13" &&
		pass "ifcheck: the default configuration through the map: applied, nothing missing" ||
		{ fail "ifcheck: the default configuration through the map: applied, nothing missing (rc=$rc)"; cat "$tmp/e13" >&2; }
	"$rosfw" flush 2>/dev/null
fi
# A run of rules that apply makes one counter map lookup (merge.h): each of
# its rules is named, as when every rule is its own kernel rule.
cat > "$tmp/run.rsc" <<'RSC'
/ip firewall filter
add chain=input in-interface=ether7 protocol=udp dst-port=101 action=accept
add chain=input in-interface=ether7 protocol=udp dst-port=102 action=accept
add chain=input in-interface=ether7 protocol=udp dst-port=103 action=accept
add chain=input in-interface=ether7 protocol=udp dst-port=104 action=accept
RSC
"$rosfw" apply "$tmp/run.rsc" 2> "$tmp/e14"; rc=$?
if [ $rc = 1 ] && [ "$(grep -c ': error: rule [0-3] of /ip firewall filter (chain input, accept)' "$tmp/e14")" = 4 ] &&
	"$rosfw" compile "$tmp/run.rsc" | grep -q 'map @cm_'; then
	pass "ifcheck: a merged run on a missing interface: each of its 4 rules named"
else
	fail "ifcheck: a merged run on a missing interface: each of its 4 rules named (rc=$rc)"
	cat "$tmp/e14" >&2
fi
summary ifcheck
