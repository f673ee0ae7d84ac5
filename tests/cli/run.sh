#!/bin/bash
# What rosfw writes and prints, from the command line (issue 12): `compile
# -o` never writes through a link planted beside OUT or at OUT in a sticky
# directory, replaces OUT whole or (a full disk) keeps the old one, and
# writes devices, fifos and /dev/stdout in place; a file name or a value
# adds no nft command and no terminal escape; a write error is an
# exit code and one line, for every command that prints. Every -o onto a
# node of /dev runs in a mount namespace over a /dev of its own: older
# versions replaced the node with a regular file.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
root=0
[ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null && root=1
[ "$root" = 1 ] || echo "cli: not root (or no unshare -m): the tests of links of others, devices and a full disk are skipped" >&2

check() {	# name, then a command that must succeed
	local n=$1
	shift
	if "$@"; then pass "$n"; else fail "$n"; fi
}
cp "$ROOT/examples/nat.rsc" x.rsc
"$rosfw" compile x.rsc > want.nft 2>/dev/null
check "cli: the reference script compiles" test -s want.nft

# ---- a file that cannot be read: one exit code, one line (issue 14) -------

# Every command that takes a configuration: exit 3 and the same one line
# naming the file, nothing on stdout (apply --json: its one result);
# nothing reaches the kernel (a namespace of its own where there is one).
netns=""
[ "$root" = 1 ] && unshare -n true 2>/dev/null && netns="unshare -n"
missing_ok=1
for c in check dump compile "compile --netlink" parse apply "apply --check" "apply --diff" "apply --confirm 5" \
	"print stats" "print stats all --prometheus" "print address-list"; do
	# shellcheck disable=SC2086
	$netns "$rosfw" $c nonexistent.rsc > out 2> err
	rc=$?
	if [ "$rc" != 3 ] || [ -s out ] || [ "$(cat err)" != "rosfw: nonexistent.rsc: No such file or directory" ]; then
		fail "cli: rosfw $c of a missing file: exit $rc, stdout $(head -c 100 out), stderr $(head -c 200 err)"
		missing_ok=0
	fi
done
[ "$missing_ok" = 1 ] && pass "cli: a missing file: every command exits 3 with the same one line"
$netns "$rosfw" apply --json nonexistent.rsc > out 2> err
rc=$?
check "cli: apply --json of a missing file: exit 3, one result naming it" eval '[ $rc = 3 ] && [ ! -s err ] &&
	grep -q "\"exit\":3.*nonexistent.rsc: No such file or directory" out'
# (without CAP_NET_ADMIN rosfwd says that first)
if [ "$(id -u)" = 0 ]; then
	"$(dirname "$rosfw")/rosfwd" --once --state "$tmp/st/state" nonexistent.rsc > out 2> err
	rc=$?
	check "cli: rosfwd with a missing CONFIG: exit 3, the same line first" eval '[ $rc = 3 ] &&
		[ "$(head -1 err)" = "rosfw: nonexistent.rsc: No such file or directory" ]'
fi

# ---- compile -o and links ---------------------------------------------------

echo secret > victim
mkdir shared && chmod 1777 shared
# The old fixed temporary name, and the names one would guess next.
for n in out.nft.tmp .out.nft.tmp .out.nft out.nft~; do ln -s "$tmp/victim" "shared/$n"; done
"$rosfw" compile x.rsc -o shared/out.nft 2> err
check "cli: -o with links planted at OUT.tmp and other guessable names exits 0" test $? = 0
check "cli: -o never writes through a link planted at OUT.tmp or another guessable name" \
	test "$(cat victim)" = secret
check "cli: -o: OUT holds the script, a regular file" eval 'cmp -s shared/out.nft want.nft && [ -f shared/out.nft ] && [ ! -L shared/out.nft ]'
check "cli: -o leaves no temporary file and the planted links as they were" \
	test "$(ls -A shared | sort | tr '\n' ' ')" = ".out.nft .out.nft.tmp out.nft out.nft.tmp out.nft~ "

# OUT a link of one's own: the file it leads to is replaced, the link stays.
mkdir real && echo old > real/out.nft && ln -s real/out.nft mine.nft
"$rosfw" compile x.rsc -o mine.nft
check "cli: -o onto a link: the link stays a link" test -L mine.nft
check "cli: -o onto a link: the file it leads to holds the script" cmp -s real/out.nft want.nft
check "cli: -o onto a link: no temporary file beside the target" test "$(ls -A real)" = out.nft

if [ "$root" = 1 ]; then
	# OUT a link another user planted in a sticky world-writable
	# directory (/tmp): refused, as fs.protected_symlinks would, on or off.
	ln -s "$tmp/victim" shared/planted.nft
	chown -h nobody shared/planted.nft
	"$rosfw" compile x.rsc -o shared/planted.nft 2> err
	check "cli: -o onto another user's link in a sticky directory exits 3" test $? = 3
	check "cli: -o onto another user's link in a sticky directory: nothing written through it" \
		test "$(cat victim)" = secret
	check "cli: -o onto another user's link in a sticky directory says why" \
		grep -qx "rosfw: shared/planted.nft: Permission denied" err

	# A full disk: the old script stays whole, one line says why, exit 3.
	{
		echo /ip firewall filter
		for i in $(seq 3000); do echo "add chain=input protocol=tcp dst-port=$i action=accept comment=\"rule $i\""; done
	} > big.rsc
	mkdir full
	unshare -m sh -c 'mount -t tmpfs -o size=64k tmpfs full && echo old > full/out.nft &&
		{ "$1" compile big.rsc -o full/out.nft 2> err; echo $? > rc; cat full/out.nft > got; ls -A full > list; }' _ "$rosfw"
	check "cli: -o on a full disk exits 3" test "$(cat rc)" = 3
	check "cli: -o on a full disk says so in one line" \
		test "$(cat err)" = "rosfw: write error: full/out.nft: No space left on device"
	check "cli: -o on a full disk keeps the old file whole" test "$(cat got)" = old
	check "cli: -o on a full disk leaves no temporary file" test "$(cat list)" = out.nft

	# Devices, /dev/stdout and a fifo are written in place, over a /dev of
	# the test's own (the old code replaced the system's /dev/null).
	mkfifo fifo
	unshare -m sh -c 'mount -t tmpfs tmpfs /dev && mknod -m 666 /dev/null c 1 3 && ln -s /proc/self/fd/1 /dev/stdout &&
		"$1" compile x.rsc -o /dev/null; echo $? > rc.null; stat -c %F /dev/null > type.null
		"$1" compile x.rsc -o /dev/stdout > stdout.nft; echo $? > rc.stdout
		"$1" compile x.rsc -o /dev/stdout | cat > pipe.nft
		echo first > append.nft; "$1" compile x.rsc -o /dev/stdout >> append.nft
		stat -c %F /dev/stdout > type.stdout
		timeout 10 cat fifo > fifo.nft & "$1" compile x.rsc -o fifo; echo $? > rc.fifo; wait
		mknod -m 666 /dev/full c 1 7 && "$1" compile x.rsc -o /dev/stdout > /dev/full 2> full.err; echo $? > rc.full' \
		_ "$rosfw" 2> err
	check "cli: -o /dev/null exits 0" test "$(cat rc.null)" = 0
	check "cli: -o /dev/null leaves a character device" test "$(cat type.null)" = "character special file"
	check "cli: -o /dev/stdout exits 0" test "$(cat rc.stdout)" = 0
	check "cli: -o /dev/stdout writes to stdout (a file)" cmp -s stdout.nft want.nft
	check "cli: -o /dev/stdout writes to stdout (a pipe)" cmp -s pipe.nft want.nft
	check "cli: -o /dev/stdout appends where stdout appends" cmp -s append.nft <(echo first; cat want.nft)
	check "cli: -o /dev/stdout leaves the link" test "$(cat type.stdout)" = "symbolic link"
	check "cli: -o FIFO exits 0" test "$(cat rc.fifo)" = 0
	check "cli: -o FIFO writes into the fifo" cmp -s fifo.nft want.nft
	check "cli: -o FIFO leaves the fifo" test -p fifo
	check "cli: -o /dev/stdout > /dev/full exits 3" test "$(cat rc.full)" = 3
	check "cli: -o /dev/stdout > /dev/full says so in one line" \
		test "$(cat full.err)" = "rosfw: write error: /dev/stdout: No space left on device"
fi

# ---- file names and values: no nft commands, no terminal escapes -----------------

# A file name holding newlines and nft commands stays inside the header's
# comment: the script is the one a plain name gives, but for that line.
evil=$(printf 'x\nflush ruleset\ntable ip pwn { chain c { type filter hook input priority 0; policy drop; }; }\n#.rsc')
cp x.rsc "$evil"
"$rosfw" compile "$evil" > evil.nft 2> err
check "cli: a file name with newlines compiles" test $? = 0
check "cli: the file name cannot add a command to the script" \
	eval '! grep -q "^flush ruleset" evil.nft && ! grep -q "^table ip pwn" evil.nft'
check "cli: a file name with newlines changes the header line only" \
	cmp -s <(sed 2d evil.nft) <(sed 2d want.nft)
check "cli: the header names the file on one line" \
	grep -qx "# rosfw: compiled from x flush ruleset table ip pwn { chain c { type filter hook input priority 0; policy drop; }; } #.rsc; replaces only rosfw's own tables" evil.nft
if [ "$root" = 1 ] && command -v nft > /dev/null && unshare -n true 2>/dev/null; then
	check "cli: nft -c takes the script of a file name with newlines" unshare -n nft -c -f evil.nft
	# Loaded for real beside a table of someone else's: that table stays,
	# no pwn table appears.
	unshare -n sh -c 'nft add table ip other && nft -f evil.nft && nft list tables' > tables 2>&1
	check "cli: the script of a file name with newlines leaves other tables and adds none" \
		test "$(sort tables | tr '\n' ' ')" = "table ip other table ip rosfw "
fi

# ESC and BEL in a file name and in a value reach the terminal escaped, the
# caret under the value; JSON carries them as JSON escapes.
esc=$(printf 'e\033[1msc.rsc')
printf '/ip firewall filter\nadd chain=input action=accept comment="a\033]0;title\a" src-address="1.2.3.4\033[2J"\n' > "$esc"
"$rosfw" check "$esc" 2> err
check "cli: a diagnostic prints no raw ESC or BEL" eval '! grep -q "[[:cntrl:]]" <(tr -d "\n" < err)'
check "cli: a diagnostic shows ESC in the file name as \\x1b" grep -q '^e\\x1b\[1msc\.rsc:2:' err
check "cli: a diagnostic shows ESC in the value as \\x1b" grep -q 'got "1\.2\.3\.4\\x1b\[2J"' err
check "cli: the caret stays under the value" \
	test "$(sed -n 3p err | grep -o '^ *\^~*' | wc -c)" = "$(sed -n 2p err | grep -o '^.*src-address="1.2.3.4\\x1b\[2J' | wc -c)"
"$rosfw" check --json "$esc" > json
check "cli: --json carries ESC as \\u001b" eval 'grep -q "\"file\":\"e\\\\u001b\[1msc.rsc\"" json && grep -q "1.2.3.4\\\\u001b\[2J" json'
check "cli: --json has no raw control byte" eval '! grep -q "[[:cntrl:]]" json'
"$rosfw" check "$(printf 'gone\033[2J.rsc')" 2> err
check "cli: a file that cannot be read is named escaped" grep -qx 'rosfw: gone\\x1b\[2J\.rsc: No such file or directory' err
# Every command that reads a configuration reads it one way, and says so
# the same way, rosfwd too.
for c in dump compile "print stats" "print address-list" rosfwd; do
	if [ "$c" = rosfwd ]; then
		[ -x "$(dirname "$rosfw")/rosfwd" ] || continue
		"$(dirname "$rosfw")/rosfwd" --once --state "$tmp/st/state" "$(printf 'gone\033[2J.rsc')" 2> err.c
	else
		# shellcheck disable=SC2086
		"$rosfw" $c "$(printf 'gone\033[2J.rsc')" 2> err.c
	fi
	check "cli: $c names a file it cannot read as check does" grep -qxF "$(cat err)" err.c
done

# ---- write errors -------------------------------------------------------------

# Output that never arrived is an I/O error, said in one line, for every
# command that prints (print: tests/print/run.sh).
full() {	# the exit code, then the command's arguments
	local want=$1
	shift
	"$rosfw" "$@" > /dev/full 2> full.err
	check "cli: $* > /dev/full exits $want" test $? = "$want"
	check "cli: $* > /dev/full says so in one line" \
		test "$(cat full.err)" = "rosfw: write error: No space left on device"
}
full 3 compile x.rsc
full 3 compile --netlink x.rsc
full 3 dump x.rsc
full 3 check --json x.rsc
full 3 doc translation
full 3 parse x.rsc
full 3 --help
full 3 compile --help
full 3 apply --help
# A closed stdout that nothing was written to is no error.
"$rosfw" check x.rsc >&- 2> full.err
check "cli: check with stdout closed exits 0" test $? = 0

# ---- one exit-code scheme -------------------------------------------------------

# Usage is 3 for every command and rosfwd (2 is the kernel's refusal only),
# before anything touches the kernel; configuration errors are 1.
usage() {	# the command's arguments
	local rc
	"$@" > /dev/null 2>&1
	rc=$?
	check "cli: $(basename "$1") ${*:2}: a usage error exits 3" test "$rc" = 3
}
usage "$rosfw"
usage "$rosfw" bogus
usage "$rosfw" check
usage "$rosfw" compile --max-errors 0 x.rsc
usage "$rosfw" dump --bogus x.rsc
usage "$rosfw" parse
usage "$rosfw" doc bogus
usage "$rosfw" apply
usage "$rosfw" flush x.rsc
usage "$rosfw" print bogus x.rsc
usage "$rosfw" print stats --bogus
usage "$rosfw" print connection bogus
usage "$rosfw" reset-counters --json
usage "$rosfw" address-list add list=x
usage "$rosfw" confirm bogus
usage "$rosfw" rollback bogus
[ -x "$(dirname "$rosfw")/rosfwd" ] && usage "$(dirname "$rosfw")/rosfwd" --interval 0
printf '/ip firewall filter\nadd chain=input action=bogus\n' > bad.rsc
for c in check dump compile; do
	"$rosfw" $c bad.rsc > /dev/null 2>&1
	check "cli: $c of a configuration with errors exits 1" test $? = 1
done
# The scheme is said once, the same in every --help.
"$rosfw" --help > help.main
check "cli: --help says the exit codes" grep -q "^exit: 0 done; 1 errors in the configuration" help.main
for c in apply print "print connection" address-list confirm rollback rosfwd; do
	# shellcheck disable=SC2086
	if [ "$c" = rosfwd ]; then
		[ -x "$(dirname "$rosfw")/rosfwd" ] || continue
		"$(dirname "$rosfw")/rosfwd" --help > help.cmd 2>&1
	else
		"$rosfw" $c --help > help.cmd 2>&1
	fi
	check "cli: $c --help says the same exit codes" eval 'grep -q "^exit: 0 done;" help.cmd &&
		cmp -s <(sed -n "/^exit: /,\$p" help.main) <(sed -n "/^exit: /,\$p" help.cmd)'
done

# ---- a jump to a chain no rule makes (issue 15) ----------------------------

# RouterOS takes it (the packet comes back at once): check and compile
# both exit 0 and both name the chain in a warning at the jump-target.
printf '/ip firewall filter\nadd chain=input action=jump jump-target=inptu\nadd chain=input action=drop\n' > jump.rsc
for c in check compile; do
	"$rosfw" $c jump.rsc > out 2> err
	rc=$?
	check "cli: $c takes a jump to a chain no rule makes, with a warning naming it" eval \
		'[ "$rc" = 0 ] && grep -q "^jump.rsc:2:41: warning: jump to chain \"inptu\", which no rule" err'
done
grep -q "jump filter_inptu" out && grep -q "chain filter_inptu {" out
check "cli: compile jumps to an empty chain" test $? = 0

# ---- --max-warnings (issue 15) ----------------------------------------------------

# Rules rosfw does not apply are a warning, and a pipeline can make any
# warning fatal: more than N is exit 1 with nothing written or applied.
printf '/ip hotspot walled-garden\nadd dst-host=a.example\nadd dst-host=b.example disabled=yes\n/ip firewall filter\nadd chain=input action=accept\n' > bw.rsc
"$rosfw" check bw.rsc > /dev/null 2> bw.err
rc=$?
check "cli: /ip hotspot walled-garden's rules are a warning with their count, exit 0" eval \
	'test $rc = 0 && grep -q "bw.rsc:2:1: warning: /ip hotspot walled-garden holds 2 rules (1 of them disabled)" bw.err'
"$rosfw" check --max-warnings 0 bw.rsc > /dev/null 2> bw.err
rc=$?
check "cli: check --max-warnings 0 makes the warning fatal" eval \
	'test $rc = 1 && grep -q "error: 1 warning, more than --max-warnings 0 allows" bw.err'
"$rosfw" check --max-warnings 1 bw.rsc > /dev/null 2>&1
rc=$?
check "cli: check --max-warnings 1 passes one warning" test $rc = 0
rm -f bw.nft
"$rosfw" compile --max-warnings 0 -o bw.nft bw.rsc > bw.out 2>&1
rc=$?
check "cli: compile --max-warnings 0 exits 1 and writes nothing" eval 'test $rc = 1 && test ! -e bw.nft'
"$rosfw" compile --max-warnings 1 -o bw.nft bw.rsc > /dev/null 2>&1
rc=$?
check "cli: compile --max-warnings 1 writes the script" eval 'test $rc = 0 && test -s bw.nft'
usage "$rosfw" check --max-warnings -1 bw.rsc
usage "$rosfw" compile --max-warnings x bw.rsc
check "cli: --help names --max-warnings" grep -q -- "--max-warnings N" help.main
"$rosfw" apply --help > help.apply 2>&1
check "cli: apply --help names --max-warnings" grep -q -- "--max-warnings N" help.apply
if [ -n "$netns" ]; then
	$netns "$rosfw" apply --max-warnings 0 bw.rsc > /dev/null 2> bw.err
	rc=$?
	check "cli: apply --max-warnings 0 applies nothing and exits 1" eval \
		'test $rc = 1 && grep -q "more than --max-warnings 0" bw.err'
fi

# ---- scripting errors, where they happened (issue 16) -----------------------

# The exact text: file:line:col, the source line, the caret, and the
# constructs the error happened in; a failure under on-error is no error;
# an endless loop stops at the step budget; the rest of the file still runs.
cat > sc.rsc <<'EOF'
/ip firewall address-list
:do { add list=bl address=1.2.3.4 } on-error={}
:do { add list=bl address=1.2.3.4 } on-error={}
:global f do={
  :foreach p in=$1 do={ :error "bad port $p" }
}
$f {22}
:while (true) do={ }
add list=bl address=5.6.7.8
EOF
ROSFW_SCRIPT_STEPS=1000 "$rosfw" check sc.rsc > sc.out 2> sc.err
rc=$?
cat > sc.want <<'EOF'
sc.rsc:5:25: error: bad port 22 (in :foreach at sc.rsc:5:3, in $f at sc.rsc:7:1)
    :foreach p in=$1 do={ :error "bad port $p" }
                          ^~~~~~
sc.rsc:8:1: error: the script ran more than 1000 steps (statements, loop turns and KiB of values made) in one top-level statement: stopped (a loop that never ends?) (in :while at sc.rsc:8:1)
  :while (true) do={ }
  ^~~~~~
EOF
check "cli: scripting errors say where, with the construct stack (exit 1)" eval '[ $rc = 1 ] && diff sc.want sc.err'
head -3 sc.rsc > sc2.rsc
echo ':foreach a in={5.6.7.8;9.9.9.9} do={ add list=bl address=$a }' >> sc2.rsc
"$rosfw" dump sc2.rsc > sc.dump 2>/dev/null
check "cli: dump of a script prints what it leaves" eval '[ "$(grep -c "^add " sc.dump)" = 3 ]'
"$rosfw" dump sc.dump > sc.dump2 2>/dev/null
check "cli: dump of dump of a script is a fixed point" cmp -s sc.dump sc.dump2

summary cli
