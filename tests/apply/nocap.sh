#!/bin/bash
# Every rosfw command that needs the kernel, and rosfwd, run without
# CAP_NET_ADMIN (issues 12, 14): as nobody, and as root without the capability, in a network
# namespace of its own that holds applied tables and a pending --confirm
# rollback. Each must exit with its documented code, print nothing on
# stdout (with --json: the one result object, naming the capability) and
# one line on stderr that names the capability, whatever warnings the
# configuration has; the tables and the pending rollback stay as they were.
. "$(dirname "$0")/../lib.sh"
in_own_namespaces nocap -n "$@"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
rosfwd=$(dirname "$rosfw")/rosfwd
if ! command -v setpriv >/dev/null; then
	echo "nocap: needs setpriv (util-linux): skipped" >&2
	summary "nocap"
	exit 0
fi
tmp=$(mktemp -d)
ino=$(stat -L -c %i /proc/self/ns/net)
# The rollback process of this namespace, once confirmed, and its file.
cleanup() {
	local p
	"$rosfw" confirm 2>/dev/null
	for p in /proc/[0-9]*; do
		[ "$(stat -L -c %i "$p/ns/net" 2>/dev/null)" = "$ino" ] && [ "$(cat "$p/comm" 2>/dev/null)" = rosfw ] &&
			kill -9 "${p#/proc/}" 2>/dev/null
	done
	rm -f /run/rosfw/rollback."$ino".*
	rm -rf "$tmp"
}
trap cleanup EXIT
chmod 755 "$tmp"
# Warnings and notes (a menu passed over, FastTrack without devices) that
# must not bury the one line.
cat > "$tmp/a.rsc" <<'RSC'
/ip dns
set servers=192.0.2.53
/ip firewall address-list
add list=x address=10.0.0.1
/ip firewall filter
add chain=forward action=fasttrack-connection connection-state=established,related
add chain=forward action=accept connection-state=established,related
add chain=input src-address-list=x action=drop comment="from x"
/ip firewall nat
add chain=srcnat action=masquerade out-interface=ether1
RSC
cp "$tmp/a.rsc" "$tmp/b.rsc"
echo '/ip firewall filter
add chain=input action=drop comment=other' >> "$tmp/b.rsc"
chmod 644 "$tmp/a.rsc" "$tmp/b.rsc"
ip link set lo up
"$rosfw" apply "$tmp/a.rsc" 2>/dev/null || fail "nocap: applying the configuration as root"
"$rosfw" apply --confirm 600 "$tmp/b.rsc" 2>/dev/null || fail "nocap: apply --confirm as root"
listing() { nft list ruleset | sed -E 's/ expires [0-9dhms]+//'; }
listing > "$tmp/before"
rollbacks() { ls /run/rosfw 2>/dev/null | grep "^rollback\.$ino\." ; }
rollbacks > "$tmp/rollbacks"

# check WHO CODE ARGS...: one command, as WHO; --json ones answer in
# their one result object.
check() {
	local who=$1 code=$2 rc json=""
	shift 2
	case " $* " in *" --json "*) [ "$1" = apply ] || [ "$1" = flush ] && json=1 ;; esac
	local prog=$rosfw
	# "rosfwd ARGS": the daemon
	[ "$1" = rosfwd ] && prog=$rosfwd && shift
	case $who in
	nobody) setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all "$prog" "$@" ;;
	root) setpriv --inh-caps=-net_admin --bounding-set=-net_admin "$prog" "$@" ;;
	esac > "$tmp/out" 2> "$tmp/err"
	rc=$?
	if [ -n "$json" ]; then
		if [ "$rc" = "$code" ] && [ ! -s "$tmp/err" ] && [ "$(wc -l < "$tmp/out")" = 1 ] &&
			grep -q '"ok":false.*"exit":3.*"diagnostics":\[{[^}]*CAP_NET_ADMIN[^}]*}\]}$' "$tmp/out"; then
			pass "nocap: $who: rosfw $*: exit $code, one result naming CAP_NET_ADMIN"
		else
			fail "nocap: $who: rosfw $*: exit $rc (want $code), stdout: $(head -c 300 "$tmp/out"), stderr: $(head -c 300 "$tmp/err")"
		fi
	elif [ "$rc" = "$code" ] && [ ! -s "$tmp/out" ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q CAP_NET_ADMIN "$tmp/err"; then
		pass "nocap: $who: rosfw $*: exit $code, one line naming CAP_NET_ADMIN"
	else
		fail "nocap: $who: rosfw $*: exit $rc (want $code), stdout: $(head -c 300 "$tmp/out"), stderr ($(wc -l < "$tmp/err") lines): $(head -c 300 "$tmp/err")"
	fi
}

for who in nobody root; do
	check $who 3 confirm
	check $who 3 rollback
	check $who 3 print stats "$tmp/a.rsc"
	check $who 3 print stats all --json "$tmp/a.rsc"
	check $who 3 print stats all --prometheus "$tmp/a.rsc"
	check $who 3 print address-list "$tmp/a.rsc"
	check $who 3 print address-list --json "$tmp/a.rsc"
	check $who 3 print connection
	check $who 3 print connection count-only
	check $who 3 print connection --json
	check $who 3 address-list add list=x address=192.0.2.9
	check $who 3 address-list remove list=x address=10.0.0.1
	check $who 3 reset-counters
	check $who 3 reset-counters all --ipv6
	check $who 3 flush
	check $who 3 flush --check
	check $who 3 flush --json
	check $who 3 apply "$tmp/a.rsc"
	check $who 3 apply --diff "$tmp/a.rsc"
	check $who 3 apply --check "$tmp/a.rsc"
	check $who 3 apply --confirm 5 "$tmp/a.rsc"
	check $who 3 apply --json "$tmp/a.rsc"
	check $who 3 rosfwd --once --state "$tmp/st-$who/state" "$tmp/a.rsc"
	check $who 3 rosfwd --state "$tmp/st-$who/state" --reapply-on-loss "$tmp/a.rsc"
done

if listing | cmp -s "$tmp/before" -; then
	pass "nocap: the tables are as they were"
else
	fail "nocap: the tables are as they were"
fi
if rollbacks | cmp -s "$tmp/rollbacks" - && [ -s "$tmp/rollbacks" ]; then
	pass "nocap: the pending rollback is as it was"
else
	fail "nocap: the pending rollback is as it was ($(rollbacks))"
fi
summary "nocap"
