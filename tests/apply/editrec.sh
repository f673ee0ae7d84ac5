#!/bin/bash
# The edit record (runtime/editrec.h, issue 18): after a clean apply of one
# flat FILE, apply keeps its bytes and statements beside the record of
# handles; ROSFW_TIMING then says what the edit path decided for the next
# apply of the same path: one value changed (taken), a rule added above
# others (taken: kernel comments carry no numbers), a list entry (not a
# rule). A file with scripting, an apply that warned, or two FILEs leave no
# edit record. tests/apply/editpath.sh holds the edit path to a fresh apply.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! unshare -n true 2>/dev/null; then
	echo "editrec: needs root, nft and unshare: skipped" >&2
	summary "editrec"
	exit 0
fi
mkdir -m 700 "$tmp/rec"

cat > "$tmp/a.rsc" <<'RSC'
/ip firewall address-list
add list=lan address=192.168.88.0/24
/ip firewall filter
add chain=input protocol=udp dst-port=9 action=accept comment="one"
add chain=input protocol=udp dst-port=10 action=drop comment="two"
add chain=input src-address-list=lan action=accept comment="lan"
RSC
sed -e '/comment="two"/s/dst-port=10/dst-port=11/' "$tmp/a.rsc" > "$tmp/b.rsc"
sed -e '/comment="one"/a add chain=input protocol=udp dst-port=12 action=drop comment="added"' "$tmp/b.rsc" > "$tmp/c.rsc"
sed -e '/^add list=lan/a add list=lan address=10.5.5.0/24' "$tmp/c.rsc" > "$tmp/d.rsc"
{ cat "$tmp/d.rsc"; echo ':global x 1'; } > "$tmp/e.rsc"
sed -e '/comment="one"/s/action=accept/action=accept in-interface=ether9/' "$tmp/d.rsc" > "$tmp/f.rsc"

unshare -n bash -c '
export ROSFW_RECORD="$2/rec/applied.rsc"
ip link set lo up
echo 1 > /proc/sys/net/ipv4/ip_forward
ap() { cp "$2/$1.rsc" "$2/cur.rsc"; ROSFW_TIMING=1 "$3" apply "$2/cur.rsc" 2> "$2/$1.err"; echo $? > "$2/$1.rc"; [ -e "$2/rec/applied.rsc.edit" ] && echo yes > "$2/$1.rec" || echo no > "$2/$1.rec"; }
ap a "$2" "$1"
ap b "$2" "$1"
ap c "$2" "$1"
ap d "$2" "$1"
ap e "$2" "$1"
ap a "$2" "$1"
ap f "$2" "$1"
ap a "$2" "$1"
ROSFW_TIMING=1 "$1" apply "$2/cur.rsc" "$2/b.rsc" 2> "$2/two.err"; echo $? > "$2/two.rc"
[ -e "$2/rec/applied.rsc.edit" ] && echo yes > "$2/two.rec" || echo no > "$2/two.rec"
' _ "$rosfw" "$tmp"

check() { if eval "$2"; then pass "$1"; else fail "$1"; [ -n "$VERBOSE" ] && cat "$tmp/$3.err" >&2; fi; }
for s in a b c d e f two; do
	check "$s applied" "[ \"\$(cat $tmp/$s.rc)\" = 0 ]" $s
done
check "a clean flat apply keeps an edit record" "[ \"\$(cat $tmp/a.rec)\" = yes ]" a
check "the first apply finds no edit record" "grep -q 'full path: no edit record' $tmp/a.err" a
check "one value changed: the edit path took it" "grep -q 'edit path: records written' $tmp/b.err" b
check "b keeps an edit record" "[ \"\$(cat $tmp/b.rec)\" = yes ]" b
check "a rule added above others: the edit path took it (no numbers in kernel comments)" \
	"grep -q 'edit path: records written' $tmp/c.err" c
check "a list entry: not a plain add" "grep -q 'full path: a statement other than a plain add' $tmp/d.err" d
check "scripting: no edit record" "[ \"\$(cat $tmp/e.rec)\" = no ] && grep -q 'no edit record: not a flat file' $tmp/e.err" e
check "after a file with scripting, none to start from" "grep -q 'full path: no edit record' $tmp/a.err" a
check "an apply that warned leaves no edit record" "[ \"\$(cat $tmp/f.rec)\" = no ] && grep -q warning $tmp/f.err" f
check "two FILEs leave no edit record" "[ \"\$(cat $tmp/two.rec)\" = no ]" two
summary "editrec"
