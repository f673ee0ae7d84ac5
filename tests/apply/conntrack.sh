#!/bin/bash
# What rests on connection tracking, applied in network namespaces (issue 5):
#   - FastTrack where the kernel has no flowtables (this one): apply asks the
#     kernel, warns once, and loads the fallback (the rule only counts);
#     --fasttrack=flowtable insists and the kernel's refusal changes nothing;
#     interfaces the flowtable would need that do not exist are reported;
#   - tracking settings: apply writes the namespace's conntrack sysctls after
#     its commit, a re-apply keeps the values found before the first one,
#     flush puts them back, --check writes nothing; a UDP flow's timeout in
#     the connection table follows udp-timeout;
#   - enabled=no: nothing is tracked.
# FTP and TFTP through the helpers: tests/behaviour/scenarios/conntrack-helpers*.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! unshare -n true 2>/dev/null; then
	echo "conntrack: needs root, nft and unshare: skipped" >&2
	summary "conntrack"
	exit 0
fi

cat > "$tmp/ft.rsc" <<'RSC'
/ip firewall filter
add chain=forward connection-state=established,related action=fasttrack-connection hw-offload=yes \
    in-interface=ether1 comment="FastTrack"
add chain=forward connection-state=established,related action=accept comment="fallback"
add chain=forward out-interface=ether9 action=drop
RSC

# 1. The fallback, found by asking the kernel: the same ruleset as the text
#    compiled with --fasttrack=fallback.
"$rosfw" compile --fasttrack=fallback "$tmp/ft.rsc" > "$tmp/fallback.nft" 2>/dev/null
unshare -n bash -s "$rosfw" "$tmp" > "$tmp/out1" 2>&1 <<'SH'
rosfw=$1 tmp=$2
ip link add ether1 type veth peer name ether1p
"$rosfw" apply "$tmp/ft.rsc" 2> "$tmp/apply.err"; echo "rc=$?"
nft list ruleset > "$tmp/applied.list"
nft flush ruleset
nft -f "$tmp/fallback.nft" && nft list ruleset > "$tmp/text.list"
# 2. Insisting on the flowtable: refused, nothing changed.
"$rosfw" apply "$tmp/ft.rsc" >/dev/null 2>&1
nft list ruleset > "$tmp/before.list"
"$rosfw" apply --fasttrack=flowtable "$tmp/ft.rsc" 2> "$tmp/insist.err"; echo "insist rc=$?"
nft list ruleset > "$tmp/after.list"
# 3. --fasttrack=fallback asks nothing and says why the rule only counts.
"$rosfw" apply --fasttrack=fallback "$tmp/ft.rsc" 2> "$tmp/fallback.err"; echo "fallback rc=$?"
SH
grep -q '^rc=0$' "$tmp/out1" && pass "conntrack: apply with FastTrack on a kernel without flowtables" ||
	{ fail "conntrack: apply with FastTrack on a kernel without flowtables"; cat "$tmp/out1" "$tmp/apply.err" >&2; }
if [ "$(grep -c 'this kernel has no flowtables (nf_flow_table): fasttrack-connection is counted but not offloaded' "$tmp/apply.err")" = 1 ] &&
	grep -q 'ft.rsc:2:1: warning: this kernel has no flowtables' "$tmp/apply.err"; then
	pass "conntrack: the fallback is said once, at the fasttrack rule"
else
	fail "conntrack: the fallback is said once, at the fasttrack rule"
	cat "$tmp/apply.err" >&2
fi
grep -q 'no interface ether9 here' "$tmp/apply.err" &&
	pass "conntrack: a flowtable interface that does not exist is reported" ||
	fail "conntrack: a flowtable interface that does not exist is reported"
if [ -s "$tmp/text.list" ] && cmp -s "$tmp/applied.list" "$tmp/text.list"; then
	pass "conntrack: the fallback applied = nft -f of the fallback text"
else
	fail "conntrack: the fallback applied = nft -f of the fallback text"
	diff "$tmp/text.list" "$tmp/applied.list" | head >&2
fi
grep -q 'flow add' "$tmp/applied.list" && fail "conntrack: no flow add left in the fallback" ||
	pass "conntrack: no flow add left in the fallback"
if grep -q '^insist rc=2$' "$tmp/out1" && grep -q 'flowtable fasttrack of table ip rosfw' "$tmp/insist.err" &&
	cmp -s "$tmp/before.list" "$tmp/after.list"; then
	pass "conntrack: --fasttrack=flowtable is refused by this kernel, nothing changed, the object named"
else
	fail "conntrack: --fasttrack=flowtable is refused by this kernel, nothing changed, the object named"
	cat "$tmp/insist.err" >&2
fi
grep -q '^fallback rc=0$' "$tmp/out1" && grep -q 'counted but not offloaded (--fasttrack=fallback)' "$tmp/fallback.err" &&
	pass "conntrack: --fasttrack=fallback" || fail "conntrack: --fasttrack=fallback"

# 4. Tracking settings. A namespace starts with the kernel's defaults.
cat > "$tmp/ct.rsc" <<'RSC'
/ip firewall connection tracking set udp-timeout=17s udp-stream-timeout=2m10s tcp-established-timeout=2h \
    loose-tcp-tracking=no
/ip firewall filter
add chain=input connection-state=invalid action=drop
RSC
sed 's/udp-timeout=17s/udp-timeout=23s/' "$tmp/ct.rsc" > "$tmp/ct2.rsc"
unshare -n bash -s "$rosfw" "$tmp" > "$tmp/out2" 2>&1 <<'SH'
rosfw=$1 tmp=$2
s=/proc/sys/net/netfilter
get() { echo "$(cat $s/nf_conntrack_udp_timeout) $(cat $s/nf_conntrack_udp_timeout_stream) $(cat $s/nf_conntrack_tcp_timeout_established) $(cat $s/nf_conntrack_tcp_loose)"; }
echo "fresh $(get)"
"$rosfw" apply --check "$tmp/ct.rsc" 2>/dev/null; echo "check $(get)"
"$rosfw" apply "$tmp/ct.rsc" 2> "$tmp/ct.err"; echo "applied $(get)"
"$rosfw" apply --diff "$tmp/ct2.rsc" > "$tmp/ct.diff" 2>/dev/null
"$rosfw" apply "$tmp/ct2.rsc" 2>/dev/null; echo "reapplied $(get)"
ip link set lo up
echo x > /dev/udp/127.0.0.1/9
conntrack -L -p udp 2>/dev/null | grep 'dport=9 ' | head -1
echo "acct $(cat $s/nf_conntrack_acct)"
"$rosfw" print connection --json where dst-address~':9$' > "$tmp/conn.json"
"$rosfw" flush 2> "$tmp/flush.err"; echo "flushed $(get)"
"$rosfw" flush 2>/dev/null; echo "flushed twice $(get)"
SH
fresh=$(sed -n 's/^fresh //p' "$tmp/out2")
[ -n "$fresh" ] && [ "$(sed -n 's/^check //p' "$tmp/out2")" = "$fresh" ] &&
	pass "conntrack: --check writes no sysctl" || fail "conntrack: --check writes no sysctl ($(cat "$tmp/out2"))"
[ "$(sed -n 's/^applied //p' "$tmp/out2")" = "17 130 7200 0" ] &&
	pass "conntrack: apply writes the tracking settings" || fail "conntrack: apply writes the tracking settings ($(cat "$tmp/out2"))"
grep -q "ct.rsc:1:50: note: udp-timeout=17s: net.netfilter.nf_conntrack_udp_timeout ${fresh%% *} -> 17" "$tmp/ct.err" &&
	pass "conntrack: apply says what it changed, at the setting" || { fail "conntrack: apply says what it changed, at the setting"; cat "$tmp/ct.err" >&2; }
grep -qx "~ sysctl net.netfilter.nf_conntrack_udp_timeout 17 -> 23 (udp-timeout=23s)" "$tmp/ct.diff" &&
	pass "conntrack: --diff shows a changed setting" || { fail "conntrack: --diff shows a changed setting"; cat "$tmp/ct.diff" >&2; }
[ "$(sed -n 's/^reapplied //p' "$tmp/out2")" = "23 130 7200 0" ] &&
	pass "conntrack: a re-apply writes the new value" || fail "conntrack: a re-apply writes the new value"
# The flow's timeout: at most udp-timeout, and not the kernel's 30 s.
t=$(awk '/^udp/ { print $3; exit }' "$tmp/out2")
if [ -n "$t" ] && [ "$t" -le 23 ] && [ "$t" -ge 15 ]; then
	pass "conntrack: a UDP flow's timeout follows udp-timeout ($t s left of 23)"
else
	fail "conntrack: a UDP flow's timeout follows udp-timeout (got '$t'): $(grep '^udp' "$tmp/out2")"
fi
[ "$(sed -n 's/^flushed \([0-9]\)/\1/p' "$tmp/out2")" = "$fresh" ] &&
	pass "conntrack: flush puts back the values found before the first apply" ||
	fail "conntrack: flush puts back the values found before the first apply ($(cat "$tmp/out2"))"
grep -q 'note: put back: net.netfilter.nf_conntrack_udp_timeout 23 -> ' "$tmp/flush.err" &&
	pass "conntrack: flush says what it put back" || fail "conntrack: flush says what it put back"
grep -q '^acct 1$' "$tmp/out2" && grep -q '"orig-bytes":30,' "$tmp/conn.json" &&
	pass "conntrack: connections count their bytes, as on RouterOS (nf_conntrack_acct)" ||
	fail "conntrack: connections count their bytes, as on RouterOS (nf_conntrack_acct): $(grep acct "$tmp/out2") $(cat "$tmp/conn.json")"
[ "$(sed -n 's/^flushed twice //p' "$tmp/out2")" = "$fresh" ] &&
	pass "conntrack: a second flush changes nothing" || fail "conntrack: a second flush changes nothing"

# 5. enabled=no: no connection is tracked, raw's own rules still run.
cat > "$tmp/off.rsc" <<'RSC'
/ip firewall connection tracking set enabled=no
/ip firewall raw
add chain=output protocol=udp dst-port=7 action=drop
/ip firewall filter
add chain=output protocol=udp action=accept
RSC
unshare -n bash -s "$rosfw" "$tmp" > "$tmp/out3" 2>&1 <<'SH'
rosfw=$1 tmp=$2
"$rosfw" apply "$tmp/off.rsc" 2>/dev/null
ip link set lo up
echo x > /dev/udp/127.0.0.1/9
echo x > /dev/udp/127.0.0.1/7
echo "tracked $(conntrack -L 2>/dev/null | grep -c 'dport=9 ')"
c=$(nft list chain ip rosfw raw_output | grep -o 'counter name "[^"]*"' | head -1 | cut -d'"' -f2)
nft list counter ip rosfw "$c" | grep -o 'packets [0-9]*' | sed 's/^/counter /'
SH
grep -q '^tracked 0$' "$tmp/out3" && pass "conntrack: enabled=no tracks nothing" ||
	fail "conntrack: enabled=no tracks nothing ($(cat "$tmp/out3"))"
grep -q 'counter packets 1' "$tmp/out3" && pass "conntrack: enabled=no leaves raw's rules working" ||
	fail "conntrack: enabled=no leaves raw's rules working ($(cat "$tmp/out3"))"
summary "conntrack"
