#!/bin/bash
# rosfwd (issue 6) in a fresh network namespace: traffic and `rosfw
# address-list add` make dynamic entries, rosfwd saves them; after SIGKILL,
# flush and re-apply, a new rosfwd puts them back with less time left and
# their creation times; SIGHUP re-applies, SIGTERM saves and exits; a
# damaged state file is moved aside and never used.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
rosfwd=$(dirname "$rosfw")/rosfwd
in_own_namespaces rosfwd "-n" "$@"
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
ip link set lo up
S=$tmp/state/file

cat > "$tmp/a.rsc" <<'RSC'
/ip firewall address-list
add list=mixed address=10.1.0.0/16
/ip firewall filter
add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=seen address-list-timeout=1h
add chain=input protocol=udp dst-port=10 action=add-src-to-address-list address-list=kept address-list-timeout=none-dynamic
add chain=input protocol=udp dst-port=11 action=add-src-to-address-list address-list=mixed address-list-timeout=1h
add chain=input protocol=udp dst-port=12 action=add-src-to-address-list address-list=forever address-list-timeout=none-static
add chain=input src-address-list=mixed action=passthrough
/ipv6 firewall filter
add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=seen6 address-list-timeout=2h
RSC
"$rosfw" apply "$tmp/a.rsc" || { fail "rosfwd: apply"; summary "rosfwd"; exit 1; }
echo x > /dev/udp/127.0.0.1/9
echo x > /dev/udp/127.0.0.1/10
echo x > /dev/udp/::1/9
"$rosfw" address-list add list=mixed address=203.0.113.7 timeout=2h

# wait_for CMD...: until CMD succeeds, at most 10 s (a bound, not a timing)
# left SET ELEMENT: the seconds an element has left, from nft's listing
left() {
	nft list set "$1" rosfw "$2" | tr -s ' \t\n' ' ' | grep -o "$3 timeout [0-9hms]* expires [0-9hms]*" |
		sed 's/.* expires //' | awk '{ s = 0; t = $0
			while (match(t, /^[0-9]+(ms|h|m|s)/)) {
				u = substr(t, RSTART, RLENGTH); t = substr(t, RLENGTH + 1)
				n = u + 0; sub(/^[0-9]+/, "", u)
				s += u == "h" ? n * 3600 : u == "m" ? n * 60 : u == "s" ? n : n / 1000
			}
			printf "%d\n", s }'
}
saved_has() { grep -q "^e $1 $2 $3 " "$S" 2>/dev/null; }
creation() { "$rosfw" print address-list where list=seen --state "$S" "$tmp/a.rsc" | awk -v a="$1" '$4 == a { print $5, $6 }'; }

"$rosfwd" --state "$S" --interval 1 "$tmp/a.rsc" 2> "$tmp/log1" &
pid=$!
disown "$pid"	# killed with SIGKILL below: no job notice for that
if wait_for saved_has 4 al_seen 127.0.0.1 && saved_has 4 al_kept 127.0.0.1 && saved_has 4 ar_mixed 203.0.113.7 &&
	saved_has 6 al_seen6 ::1; then
	pass "rosfwd: the state file holds the dynamic entries"
else
	fail "rosfwd: the state file holds the dynamic entries: $(cat "$S" 2>&1)"
fi
if saved_has 4 al_mixed; then fail "rosfwd: static entries are not saved"; else pass "rosfwd: static entries are not saved"; fi
c1=$(creation 127.0.0.1)
if [[ "$c1" =~ ^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]\ [0-9:]{8}$ ]]; then
	pass "rosfwd: print shows the creation time ($c1)"
else
	fail "rosfwd: print shows the creation time: '$c1'"
fi
t_before=$(left ip al_seen 127.0.0.1)
kill -9 "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
pid=
sleep 1.1
"$rosfw" flush && "$rosfw" apply "$tmp/a.rsc"
if nft list set ip rosfw al_seen | grep -q 127.0.0.1; then
	fail "rosfwd: flush and re-apply empty the dynamic sets"
else
	pass "rosfwd: flush and re-apply empty the dynamic sets"
fi

"$rosfwd" --state "$S" --interval 1 "$tmp/a.rsc" 2> "$tmp/log2" &
pid=$!
wait_for grep -q 'put back' "$tmp/log2"
t_after=$(left ip al_seen 127.0.0.1)
if [ -n "$t_before" ] && [ -n "$t_after" ] && [ "$t_after" -lt "$t_before" ] && [ "$t_after" -gt 3000 ]; then
	pass "rosfwd: a timed entry is back with less time left (${t_before}s -> ${t_after}s)"
else
	fail "rosfwd: a timed entry is back with less time left (before '$t_before', after '$t_after'): $(cat "$tmp/log2")"
fi
t6=$(left ip6 al_seen6 ::1)
if [ -n "$t6" ] && [ "$t6" -lt 7200 ] && [ "$t6" -gt 7000 ]; then
	pass "rosfwd: the IPv6 entry is back (${t6}s)"
else
	fail "rosfwd: the IPv6 entry is back ('$t6')"
fi
tm=$(left ip ar_mixed 203.0.113.7)
if [ -n "$tm" ] && [ "$tm" -lt 7200 ]; then
	pass "rosfwd: the entry rosfw address-list added is back (${tm}s)"
else
	fail "rosfwd: the entry rosfw address-list added is back ('$tm')"
fi
if nft list set ip rosfw al_kept | grep -q '127.0.0.1'; then
	pass "rosfwd: an untimed dynamic entry is back (same boot)"
else
	fail "rosfwd: an untimed dynamic entry is back (same boot)"
fi
c2=$(creation 127.0.0.1)
if [ -n "$c1" ] && [ "$c1" = "$c2" ]; then
	pass "rosfwd: the creation time survives ($c2)"
else
	fail "rosfwd: the creation time survives ('$c1' -> '$c2')"
fi

# SIGHUP re-applies the configuration file, in the daemon; entries stay.
sed -i 's|^add list=mixed address=10.1.0.0/16|&\nadd list=mixed address=10.5.0.0/16|' "$tmp/a.rsc"
kill -HUP "$pid"
if wait_for grep -q 'SIGHUP: apply done' "$tmp/log2" && nft list set ip rosfw al_mixed | grep -q 10.5.0.0/16 &&
	nft list set ip rosfw al_seen | grep -q 127.0.0.1; then
	pass "rosfwd: SIGHUP re-applies and keeps the entries"
else
	fail "rosfwd: SIGHUP re-applies and keeps the entries: $(cat "$tmp/log2")"
fi

# SIGTERM: save and exit 0. A link planted at the old temporary name
# (FILE.tmp) is never written through.
"$rosfw" address-list add list=mixed address=203.0.113.99 timeout=1h
echo victim > "$tmp/victim"
ln -s "$tmp/victim" "$S.tmp"
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
if [ "$rc" = 0 ] && saved_has 4 ar_mixed 203.0.113.99 && tail -1 "$S" | grep -q '^end '; then
	pass "rosfwd: SIGTERM saves (the newest entry too) and exits 0"
else
	fail "rosfwd: SIGTERM saves and exits 0 (exit $rc): $(tail -3 "$S")"
fi
if [ "$(cat "$tmp/victim")" = victim ] && [ -f "$S" ] && [ ! -L "$S" ]; then
	pass "rosfwd: the save never writes through a link planted at FILE.tmp"
else
	fail "rosfwd: the save never writes through a link planted at FILE.tmp: $(head -2 "$tmp/victim")"
fi
# (.file.lock is rosfwd's lock: one daemon a state file)
if [ "$(ls -A "$(dirname "$S")" | grep -vx '\.file\.lock' | tr '\n' ' ')" = "file file.tmp " ]; then
	pass "rosfwd: no temporary file left, the planted link untouched"
else
	fail "rosfwd: no temporary file left: $(ls -A "$(dirname "$S")")"
fi
rm -f "$S.tmp"

# An entry that timed out while nobody watched stays gone; a list that
# is no longer in the configuration takes nothing back.
"$rosfw" address-list add list=mixed address=203.0.113.5 timeout=1s
"$rosfwd" --once --state "$S" 2>/dev/null
saved_has 4 ar_mixed 203.0.113.5 || fail "rosfwd: --once saved the short entry"
sleep 2.1
"$rosfw" flush
grep -v 'address-list=kept' "$tmp/a.rsc" > "$tmp/b.rsc"
"$rosfw" apply "$tmp/b.rsc"
"$rosfwd" --once --state "$S" 2> "$tmp/log3"
rc=$?
if [ "$rc" = 0 ] && ! nft list set ip rosfw ar_mixed | grep -q 203.0.113.5 && nft list set ip rosfw ar_mixed | grep -q 203.0.113.99; then
	pass "rosfwd: an entry that expired meanwhile is not put back, the others are"
else
	fail "rosfwd: an entry that expired meanwhile is not put back (exit $rc): $(cat "$tmp/log3")"
fi
if ! nft list set ip rosfw al_kept >/dev/null 2>&1 && ! saved_has 4 al_kept; then
	pass "rosfwd: the entries of a list that is gone are dropped"
else
	fail "rosfwd: the entries of a list that is gone are dropped"
fi

# damaged DESC: a damaged state file is reported, moved aside, not used
damaged() {
	rm -f "$S.corrupt"
	"$rosfw" flush
	"$rosfw" apply "$tmp/b.rsc"
	"$rosfwd" --once --state "$S" 2> "$tmp/log4"
	rc=$?
	if [ "$rc" = 0 ] && grep -q corrupt "$tmp/log4" && [ -e "$S.corrupt" ] && tail -1 "$S" | grep -q '^end 0 ' &&
		! nft list set ip rosfw ar_mixed | grep -q 203.0.113.99; then
		pass "rosfwd: $1: reported, moved aside, not used"
	else
		fail "rosfwd: $1 (exit $rc): $(cat "$tmp/log4")"
	fi
}
"$rosfwd" --once --state "$S" 2>/dev/null
cp "$S" "$tmp/good"
head -c -20 "$tmp/good" > "$S"
damaged "a truncated file"
sed 's/203\.0\.113\.99/203.0.113.98/' "$tmp/good" > "$S"
damaged "an altered entry"
head -n 3 "$tmp/good" > "$S"
damaged "a file cut at a line end"
printf 'rosfwd-state 1\n\0\0\0' > "$S"
damaged "a file with NUL bytes"
head -c 0 /dev/null > "$S"
damaged "an empty file"
if "$rosfw" print address-list --state "$S.corrupt" "$tmp/b.rsc" 2>&1 >/dev/null | grep -q 'corrupt'; then
	pass "rosfwd: print warns about a corrupt file and prints"
else
	fail "rosfwd: print warns about a corrupt file and prints"
fi
# A reboot (another boot id, in a mount namespace of its own): static
# entries come back, none-static ones of rules and untimed run-time ones
# alike, and timed run-time ranges with their time; none-dynamic ones do not.
"$rosfw" flush
"$rosfw" apply "$tmp/a.rsc"
echo x > /dev/udp/127.0.0.1/10
echo x > /dev/udp/127.0.0.1/12
"$rosfw" address-list add list=mixed address=198.51.100.0/24 comment=static
"$rosfw" address-list add list=mixed address=198.51.101.1-198.51.101.9 timeout=1h
R=$tmp/reboot/state
mkdir -p "$tmp/reboot"
"$rosfwd" --once --state "$R" 2>/dev/null
if grep -q "^e 4 al_forever 127.0.0.1 -1 " "$R" && grep -q '^e 4 ar_mixed 198.51.100.0-198.51.100.255 -1 ' "$R" &&
	grep -q '^e 4 ar_mixed 198.51.101.1-198.51.101.9 [1-9]' "$R"; then
	pass "rosfwd: static entries and run-time ranges are saved"
else
	fail "rosfwd: static entries and run-time ranges are saved: $(cat "$R"; nft list ruleset | grep -A6 "set ar_mixed\|set al_forever")"
fi
"$rosfw" flush
"$rosfw" apply "$tmp/a.rsc"
echo 00000000-0000-4000-8000-000000000000 > "$tmp/boot_id"
unshare -m sh -c "mount --bind '$tmp/boot_id' /proc/sys/kernel/random/boot_id && '$rosfwd' --once --state '$R'" 2> "$tmp/log6"
if nft list set ip rosfw al_forever | grep -q '127.0.0.1 timeout 30000d' &&
	nft list set ip rosfw ar_mixed | tr -s ' \t\n' ' ' | grep -q '198.51.100.0/24,' &&
	[ "$(left ip ar_mixed 198.51.101.1-198.51.101.9)" -gt 3000 ] 2>/dev/null &&
	! nft list set ip rosfw al_kept | grep -q 127.0.0.1; then
	pass "rosfwd: after a reboot the static and timed entries are back, none-dynamic is not"
else
	fail "rosfwd: after a reboot: $(cat "$tmp/log6"; nft list set ip rosfw al_forever; nft list set ip rosfw ar_mixed)"
fi
"$rosfw" print address-list "$tmp/a.rsc" --state "$R" > "$tmp/pal"
if grep -Eq '^ *[0-9]+ +forever +127\.0\.0\.1' "$tmp/pal" && grep -Eq '^ *[0-9]+ +mixed +198\.51\.100\.0/24' "$tmp/pal" &&
	grep -Eq '^ *[0-9]+ +D +mixed +198\.51\.101\.1-198\.51\.101\.9' "$tmp/pal"; then
	pass "rosfwd: print shows static entries without D, the timed range with D"
else
	fail "rosfwd: print shows static entries without D: $(cat "$tmp/pal")"
fi

# /metrics on loopback: what print stats --prometheus says, both families.
# The kernel must hold CONFIG: /metrics refuses (503) to name another
# configuration's counters by its rules.
"$rosfw" apply "$tmp/b.rsc"
"$rosfwd" --metrics-port 9464 --state "$tmp/m/state" "$tmp/b.rsc" 2> "$tmp/log5" &
pid=$!
# get PATH: the HTTP answer, headers and body
get() {
	exec 3<>/dev/tcp/127.0.0.1/9464 || return 1
	printf 'GET %s HTTP/1.0\r\n\r\n' "$1" >&3
	cat <&3 > "$tmp/http"
	exec 3<&-
}
wait_for get /metrics 2>/dev/null
"$rosfw" print stats all --prometheus "$tmp/b.rsc" > "$tmp/prom4"
"$rosfw" print stats all --prometheus --ipv6 "$tmp/b.rsc" > "$tmp/prom6"
missing=$(cat "$tmp/prom4" "$tmp/prom6" | grep -v '^#' | grep -vxFf <(tr -d '\r' < "$tmp/http") | head -3)
if head -1 "$tmp/http" | grep -q '^HTTP/1.0 200' && [ -z "$missing" ] && grep -q 'family="ip6"' "$tmp/http" &&
	[ "$(grep -c '^# TYPE' "$tmp/http")" = 2 ]; then
	pass "rosfwd: /metrics holds every sample print stats --prometheus gives, both families"
else
	fail "rosfwd: /metrics holds print stats --prometheus (missing: $missing): $(head -3 "$tmp/http")"
fi
get /other
if head -1 "$tmp/http" | grep -q '^HTTP/1.0 404'; then pass "rosfwd: other paths: 404"; else fail "rosfwd: other paths: 404"; fi
kill -TERM "$pid"
wait "$pid"
pid=
"$rosfwd" --interval 0 --state "$S" 2>/dev/null
if [ $? = 3 ]; then pass "rosfwd: --interval 0 is a usage error (exit 3)"; else fail "rosfwd: --interval 0 is a usage error (exit 3)"; fi
# The unit file as systemd reads it (there is no systemd to run it here):
# no unknown keys, bad values or missing programs, with the paths pointed
# at this build.
if command -v systemd-analyze >/dev/null; then
	sed "s|/usr/local/bin/|$(dirname "$rosfw")/|g" "$ROOT/runtime/rosfwd.service" > "$tmp/rosfwd.service"
	if MANPATH=$ROOT/man systemd-analyze verify "$tmp/rosfwd.service" > "$tmp/verify" 2>&1 && ! grep -q . "$tmp/verify"; then
		pass "rosfwd: systemd-analyze verify finds nothing to say about the unit"
	else
		fail "rosfwd: systemd-analyze verify: $(cat "$tmp/verify")"
	fi
fi
summary "rosfwd"
