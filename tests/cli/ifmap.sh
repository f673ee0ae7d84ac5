#!/bin/bash
# The interface map from the command line (issue 14): --interface and
# --interface-map are taken alike by check, dump, compile, apply, print and
# rosfwd; mistakes in them are errors at file:line:col with a caret (exit
# 1), a map file that cannot be read is one line (exit 3), an entry nothing
# uses is a warning; /etc/rosfw/interfaces is read when present (tested in
# a mount namespace over an /etc of its own) unless --interface-map=none.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
rosfwd=$(dirname "$rosfw")/rosfwd
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
root=0
[ "$(id -u)" = 0 ] && unshare -m -n true 2>/dev/null && root=1
[ "$root" = 1 ] || echo "cli ifmap: not root (or no unshare): the default file, apply and rosfwd are skipped" >&2

check() {	# name, then a command that must succeed
	local n=$1
	shift
	if "$@"; then pass "$n"; else fail "$n"; fi
}

cat > x.rsc <<'RSC'
/interface ethernet set [ find default-name=ether1 ] name=wan
/interface list add name=WAN
/interface list member add interface=ether1 list=WAN
/ip firewall filter
add chain=input in-interface=wan protocol=tcp dst-port=22 action=drop
add chain=input in-interface=!ether2 action=drop
add chain=forward in-interface=all-ppp action=accept
add chain=forward in-interface-list=WAN action=drop
RSC
cat > good.map <<'MAP'
# this server
ether1 = enp1s0          # the export renamed it wan
ether2 = enp2s0, enp3s0
all-ppp = ppp*
MAP

"$rosfw" compile --interface-map good.map x.rsc > out.nft 2> err
check "cli ifmap: compile with a map exits 0" test $? = 0
check "cli ifmap: a renamed port's rules match the mapped name" grep -q 'tcp dport 22 iifname "enp1s0"' out.nft
check "cli ifmap: a negated name of two interfaces is in neither" grep -q 'iifname != { "enp2s0", "enp3s0" }' out.nft
check "cli ifmap: an interface list holds the mapped name" grep -q 'elements = { "enp1s0" }' out.nft
check "cli ifmap: all-ppp is ppp*, never the literal name" eval 'grep -q "iifname \"ppp\\*\"" out.nft && ! grep -q all-ppp out.nft'
check "cli ifmap: a map without mistakes says nothing" test ! -s err
"$rosfw" compile --interface ether1=enp9s0 --interface-map good.map x.rsc > out2.nft 2> err
check "cli ifmap: --interface wins over the file (with a note)" eval 'grep -q "iifname \"enp9s0\"" out2.nft &&
	grep -q "^--interface:1:1: note: \"ether1\" is mapped here again" err'

# The same options for every command that reads a configuration.
for c in check dump "print stats" "print address-list"; do
	# shellcheck disable=SC2086
	"$rosfw" $c --interface-map=good.map --interface all-ppp=ppp0 x.rsc > /dev/null 2> err
	rc=$?
	# print needs the kernel: past the options it is exit 3 (no table, no
	# capability), never a usage error about them.
	check "cli ifmap: $c takes --interface and --interface-map" eval '[ $rc = 0 ] || { [ "${c%% *}" = print ] && ! grep -q "usage" err; }'
done
printf 'ether1 enp1s0\nether2 = a/b\n' > bad.map
for c in check compile "print stats"; do
	# shellcheck disable=SC2086
	"$rosfw" $c --interface-map bad.map x.rsc > /dev/null 2> err
	rc=$?
	check "cli ifmap: $c: a bad map is an error of the configuration (exit 1)" test $rc = 1
	check "cli ifmap: $c: the map's errors at file:line:col, with a caret" eval 'grep -q "^bad.map:1:8: error: expected .=." err &&
		grep -q "^bad.map:2:10: error: invalid Linux interface name \"a/b\"" err && grep -q "^           ^~~$" err'
done
"$rosfw" compile --interface 'ether1=enp1s0 x' x.rsc > out3.nft 2> err
rc=$?
check "cli ifmap: a bad --interface is exit 1, located in its argument" eval '[ $rc = 1 ] && [ ! -s out3.nft ] &&
	grep -q "^--interface:1:15: error: expected .,. and another Linux name" err'
"$rosfw" compile --interface 'ether1=abcdefghijklmnop' x.rsc > /dev/null 2> err
check "cli ifmap: a Linux name past 15 bytes is refused" grep -q "at most 15 bytes" err
"$rosfw" compile --interface-map missing.map x.rsc > /dev/null 2> err
rc=$?
check "cli ifmap: a map file that cannot be read: exit 3, one line" eval '[ $rc = 3 ] && [ "$(wc -l < err)" = 1 ] &&
	grep -q "missing.map: No such file or directory" err'
printf 'ether1 = enp1s0\nethre2 = enp2s0\n' > typo.map
"$rosfw" check --interface-map typo.map x.rsc 2> err
rc=$?
check "cli ifmap: an entry nothing uses is a warning at its line (exit 0)" eval '[ $rc = 0 ] &&
	grep -q "^typo.map:2:1: warning: the configuration has no interface \"ethre2\"" err'
"$rosfw" flush --interface ether1=x > /dev/null 2> err
check "cli ifmap: flush takes no map (usage, exit 3)" test $? = 3

if [ "$root" = 1 ]; then
	# The default file, in a mount namespace whose /etc is a tmpfs.
	unshare -m bash -c 'mount -t tmpfs tmpfs /etc && mkdir /etc/rosfw && echo "ether1 = enp7s0" > /etc/rosfw/interfaces &&
		"$1" compile x.rsc > d1.nft 2> d1.err; "$1" compile --interface-map=none x.rsc > d2.nft 2> d2.err;
		printf "ether1 = a b\n" > /etc/rosfw/interfaces; "$1" check x.rsc 2> d3.err; echo $? > d3.rc' _ "$rosfw"
	check "cli ifmap: /etc/rosfw/interfaces is read when present" grep -q 'iifname "enp7s0"' d1.nft
	check "cli ifmap: --interface-map=none ignores it" eval '! grep -q enp7s0 d2.nft && grep -q "iifname \"wan\"" d2.nft'
	check "cli ifmap: the default file's errors name it" eval '[ "$(cat d3.rc)" = 1 ] &&
		grep -q "^/etc/rosfw/interfaces:1:12: error:" d3.err'

	# apply, in a namespace of its own: the kernel holds the mapped names.
	unshare -n bash -c '"$1" apply --interface-map good.map x.rsc 2>/dev/null && nft list chain ip rosfw filter_input' _ "$rosfw" > k.list
	check "cli ifmap: apply loads the mapped names" grep -q 'iifname != { "enp2s0", "enp3s0" }' k.list
	unshare -n "$rosfw" apply --json --interface-map bad.map x.rsc > j.out 2>&1
	rc=$?
	check "cli ifmap: apply --json: the map's errors in its result, exit 1" eval '[ $rc = 1 ] && grep -q "\"file\":\"bad.map\"" j.out'

	if [ -x "$rosfwd" ]; then
		mkdir -m 0700 st
		unshare -n "$rosfwd" --once --state "$tmp/st/state" --interface 'ether1=a/b' x.rsc > /dev/null 2> err
		rc=$?
		check "cli ifmap: rosfwd checks its map at start (exit 3, the error located)" eval '[ $rc = 3 ] &&
			grep -q "^--interface:1:8: error: invalid Linux interface name" err'
		unshare -n "$rosfwd" --once --state "$tmp/st/state" --interface-map good.map x.rsc > /dev/null 2> err
		check "cli ifmap: rosfwd takes --interface-map" test $? = 0
		# SIGHUP's apply takes the map as it is then, with rosfwd's --interface.
		cp good.map hup.map
		unshare -n bash -c '
			"$1" apply --interface-map hup.map x.rsc 2>/dev/null || exit 1
			"$2" --state "$PWD/st/state" --interval 1 --interface-map hup.map --interface all-ppp=wg0 x.rsc 2> hup.log &
			pid=$!
			for i in $(seq 100); do grep -q "saved entries\|poll" hup.log 2>/dev/null && break; sleep 0.1; done
			sed -i "s/^ether1 = enp1s0/ether1 = enp4s0/" hup.map
			kill -HUP $pid
			for i in $(seq 100); do grep -q "SIGHUP: apply" hup.log && break; sleep 0.1; done
			nft list table ip rosfw > hup.list
			kill -TERM $pid; wait $pid' _ "$rosfw" "$rosfwd"
		check "cli ifmap: rosfwd's SIGHUP applies with the map file as it is then and its --interface" eval 'grep -q "SIGHUP: apply done" hup.log &&
			grep -q "iifname \"enp4s0\"" hup.list && ! grep -q enp1s0 hup.list && grep -q "iifname \"wg0\"" hup.list'
	fi
fi
check "cli ifmap: rosfw --help names the options" eval '"$rosfw" --help | grep -q -- "--interface-map FILE|none"'
check "cli ifmap: apply --help names the options" eval '"$rosfw" apply --help | grep -q -- "--interface-map FILE|none"'
[ -x "$rosfwd" ] && check "cli ifmap: rosfwd --help names the options" eval '"$rosfwd" --help | grep -q -- "--interface-map FILE|none"'

summary "cli ifmap"
