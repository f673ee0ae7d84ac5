#!/bin/bash
# rosfwd when rosfw's tables vanish under it (issue 14): `nft flush
# ruleset`, as a nftables.service reload or restart does. It says so as a
# warning (at the journal's warning priority when its stderr is the
# journal's stream), and with --reapply-on-loss applies its configuration
# again, with its --unsupported, and puts the saved dynamic entries back;
# without it the tables stay gone and the warning says how to have them
# back. In a network namespace of its own.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
rosfwd=$(dirname "$rosfw")/rosfwd
in_own_namespaces rosfwdloss "-n" "$@"
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
ip link set lo up

# psd cannot be expressed: the configuration applies only with
# --unsupported=skip-rule, which rosfwd must pass on.
cat > "$tmp/a.rsc" <<'RSC'
/ip firewall filter
add chain=input protocol=udp dst-port=9 action=add-src-to-address-list address-list=seen address-list-timeout=1h
add chain=input protocol=tcp psd=21,3s,3,1 action=drop comment="port scan"
add chain=input protocol=tcp dst-port=2222 action=drop comment="marker"
RSC
has_table() { nft list table ip rosfw >/dev/null 2>&1; }
logged() { grep -q "$1" "$2"; }

"$rosfw" apply --unsupported=skip-rule "$tmp/a.rsc" 2>/dev/null || fail "rosfwdloss: apply"
echo x > /dev/udp/127.0.0.1/9
# 1. --reapply-on-loss, stderr the "journal's" stream
: > "$tmp/log1"
JOURNAL_STREAM=$(stat -c '%d:%i' "$tmp/log1") "$rosfwd" --state "$tmp/s1/state" --interval 1 --reapply-on-loss \
	--unsupported=skip-rule "$tmp/a.rsc" 2>> "$tmp/log1" &
pid=$!
wait_for sh -c 'grep -qs "^e 4 al_seen 127.0.0.1 " "$1"' _ "$tmp/s1/state" || fail "rosfwdloss: the entry was saved"
nft flush ruleset
if wait_for logged 'tables lost: apply done' "$tmp/log1" && wait_for has_table &&
	nft list chain ip rosfw filter_input | grep -q 'comment "marker"'; then
	pass "rosfwdloss: --reapply-on-loss applies the configuration again, with --unsupported=skip-rule"
else
	fail "rosfwdloss: --reapply-on-loss applies the configuration again: $(cat "$tmp/log1")"
fi
if grep -q "^<4>rosfwd: warning: rosfw's tables are gone from the kernel .*nft flush ruleset.*not in force.*applying the configuration again" "$tmp/log1"; then
	pass "rosfwdloss: the loss is a warning, at warning priority in the journal"
else
	fail "rosfwdloss: the loss is a warning, at warning priority: $(cat "$tmp/log1")"
fi
if wait_for sh -c 'nft list set ip rosfw al_seen | grep -q 127.0.0.1'; then
	pass "rosfwdloss: the saved dynamic entry is back in the new tables"
else
	fail "rosfwdloss: the saved dynamic entry is back in the new tables"
fi
kill -TERM "$pid"
wait "$pid"
pid=

# 2. Without it: said (plainly, on a terminal's stderr), nothing applied.
"$rosfwd" --state "$tmp/s2/state" --interval 1 "$tmp/a.rsc" 2> "$tmp/log2" &
pid=$!
wait_for test -s "$tmp/s2/state" || fail "rosfwdloss: the second state file was written"
nft flush ruleset
if wait_for logged "^rosfwd: warning: rosfw's tables are gone.*--reapply-on-loss would apply" "$tmp/log2" &&
	! has_table && ! grep -q 'apply done' "$tmp/log2"; then
	pass "rosfwdloss: without --reapply-on-loss, a warning that names it, and the tables stay gone"
else
	fail "rosfwdloss: without --reapply-on-loss: $(cat "$tmp/log2")"
fi
"$rosfw" apply --unsupported=skip-rule "$tmp/a.rsc" 2>/dev/null
if wait_for logged "rosfw's tables are back" "$tmp/log2"; then
	pass "rosfwdloss: ... and their return is said"
else
	fail "rosfwdloss: ... and their return is said: $(cat "$tmp/log2")"
fi
kill -TERM "$pid"
wait "$pid"
pid=

# 3. Options.
"$rosfwd" --state "$tmp/s3/state" --unsupported=maybe "$tmp/a.rsc" 2>/dev/null
[ $? = 3 ] && pass "rosfwdloss: a bad --unsupported is a usage error" || fail "rosfwdloss: a bad --unsupported is a usage error"
"$rosfwd" --state "$tmp/s3/state" --reapply-on-loss 2> "$tmp/err3"
[ $? = 3 ] && grep -q 'needs the CONFIG' "$tmp/err3" && pass "rosfwdloss: --reapply-on-loss without CONFIG is a usage error" ||
	fail "rosfwdloss: --reapply-on-loss without CONFIG is a usage error"
summary "rosfwdloss"
