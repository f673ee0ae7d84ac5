#!/bin/bash
# rosfw print stats | print address-list | reset-counters against a live
# kernel: in a throwaway network namespace, apply tests/print/config.rsc,
# send UDP over loopback, and check the numbers per RouterOS rule against
# the kernel's own counters (nft list ruleset), the disabled (X) and
# skipped (I) rules, the dynamic address-list entry (D, time left), JSON,
# the Prometheus exposition and the counter reset.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir="$ROOT/tests/print"
if [ -z "$ROSFW_PRINT_NS" ]; then
	if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! unshare -n true 2>/dev/null; then
		echo "print: no root, nft or unshare: skipped" >&2
		summary print
		exit $?
	fi
	exec unshare -n env ROSFW_PRINT_NS=1 bash "$0" "$@"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$dir" || exit 1
ip link set lo up

check() {	# name, then a command that must succeed
	local n=$1
	shift
	if "$@"; then pass "$n"; else fail "$n"; fi
}

# No table yet: an error, not zeros.
"$rosfw" print stats config.rsc > /dev/null 2> "$tmp/err"
check "print stats without a table exits 3" test $? = 3
check "print stats without a table says why" grep -q "apply the configuration first" "$tmp/err"
"$rosfw" print bogus config.rsc > /dev/null 2>&1
check "print bogus is a usage error (exit 3)" test $? = 3
# Without FILE, print reads the record of the last apply (record.sh);
# here there is none (tests/lib.sh: ROSFW_RECORD is empty).
"$rosfw" print stats > /dev/null 2> "$tmp/err"
check "print stats without FILE or record exits 1" test $? = 1
check "print stats without FILE or record says so" grep -q "nothing is recorded" "$tmp/err"

# ROSFW_PRINT_LOAD=nft loads `rosfw compile` output with nft -f instead of
# rosfw apply (the same ruleset): print can then be tested apart from apply.
load() {
	if [ "$ROSFW_PRINT_LOAD" = nft ]; then
		"$rosfw" compile --unsupported=skip-rule config.rsc 2> /dev/null | nft -f -
	else
		"$rosfw" apply --unsupported=skip-rule config.rsc
	fi
}
if ! load 2> "$tmp/apply"; then
	fail "apply config.rsc"
	cat "$tmp/apply" >&2
	summary print
	exit $?
fi
for i in 1 2 3; do echo x > /dev/udp/127.0.0.1/9; done
echo x > /dev/udp/127.0.0.1/8
echo x > /dev/udp/127.0.0.1/7
echo x > /dev/udp/127.0.0.1/6

"$rosfw" print stats config.rsc > "$tmp/stats" 2> "$tmp/err"
check "print stats exits 0" test $? = 0
check "print stats writes nothing on stderr" test ! -s "$tmp/err"
# A row: number, flag, chain, action, bytes, packets (commented rows on
# their second line; `num` carries over from the ;;; line).
row() {	# number -> "flag chain action bytes packets"; numbers here are 2 wide
	awk -v n="$1" 'NR > 2 {
		num = substr($0, 1, 2); flag = substr($0, 4, 1); content = substr($0, 6)
		if (num ~ /[0-9]/) { cur = num + 0; curflag = flag }
		if (content ~ /^;;; /) next
		if (cur == n) { split(content, f, " "); print (curflag == " " ? "-" : curflag), f[1], f[2], f[3], f[4]; exit }
	}' "$tmp/stats"
}
check "header" grep -qx 'Flags: X - disabled, I - invalid, D - dynamic' "$tmp/stats"
check "columns" grep -qx ' #   CHAIN              ACTION                  BYTES           PACKETS' "$tmp/stats"
check "comment line" grep -qF ' 0   ;;; remember "udp" senders\here' "$tmp/stats"
check "rule 0 counts 3 packets" test "$(row 0)" = "- input add-src-to-address-list 90 3"
check "rule 1 counts 3 packets" test "$(row 1)" = "- input accept 90 3"
check "disabled rule 2 shows X and 0" test "$(row 2)" = "X input drop 0 0"
check "rule 3 sums its two kernel rules" test "$(row 3)" = "- input accept 60 2"
check "rule 4 counts nothing" test "$(row 4)" = "- input accept 0 0"
check "skipped rule 5 shows I" test "$(row 5)" = "I input drop 0 0"
check "jump rule 6" test "$(row 6)" = "- input jump 30 1"
check "custom chain rule 7" test "$(row 7)" = "- custom accept 30 1"

# The same figures from the kernel's own listing: each rule's counter
# object (one per RouterOS rule, however many kernel rules it has), the
# RouterOS rules of a chain in their order: input has 0 1 3 4 6 (2 is
# disabled, 5 skipped), custom 7. Kernel comments carry no numbers.
nft list table ip rosfw | awk '
	/^\tcounter / { name = $2; next }
	name != "" && /^\t\tpackets / { p[name] = $2; b[name] = $4; name = ""; next }
	/^\tchain / { cur = $2 }
	/ counter name / && (cur == "filter_input" || cur == "filter_custom") {
		match($0, /counter name "[^"]+"/); c = substr($0, RSTART + 14, RLENGTH - 15)
		if (!(c in seen)) { seen[c] = 1; order[cur, k[cur]++] = c } }
	END {
		n = split("0 1 3 4 6", in_, " "); for (i = 1; i <= n; i++) print in_[i], b[order["filter_input", i - 1]], p[order["filter_input", i - 1]]
		print 7, b[order["filter_custom", 0]], p[order["filter_custom", 0]]
		if (k["filter_input"] != 5 || k["filter_custom"] != 1) print "counters", k["filter_input"], k["filter_custom"] }' | sort -n > "$tmp/nft"
ok=1
while read -r n b p; do
	r=$(row "$n")
	set -- $r
	[ "$4 $5" = "$b $p" ] || { ok=0; echo "rule $n: print stats says $4 $5, nft says $b $p" >&2; }
done < "$tmp/nft"
check "every rule's counters equal nft list ruleset's sums" test "$ok" = 1
check "nft listing had rules" test -s "$tmp/nft"

sed 's/comment="accept udp 9"/comment="accept udp nine"/' config.rsc > "$tmp/other.rsc"
"$rosfw" print stats "$tmp/other.rsc" > "$tmp/out" 2> "$tmp/err"
check "a configuration that is not the applied one is refused (exit 1)" test $? = 1
check "... and nothing is printed under the wrong rules" test ! -s "$tmp/out"
check "... and told" grep -q "is not the configuration the kernel holds" "$tmp/err"

"$rosfw" print stats raw config.rsc > "$tmp/raw"
check "raw facility" grep -qE '^ 0   ;;; raw udp 9$' "$tmp/raw"
check "raw rule counts" grep -qE '^     prerouting +accept +[0-9]+ +3$' "$tmp/raw"
"$rosfw" print stats nat config.rsc > "$tmp/nat"
check "a facility with no rules: header only" test "$(wc -l < "$tmp/nat")" = 2

for i in 1 2; do echo x > /dev/udp/::1/9; done
"$rosfw" print stats --ipv6 config.rsc > "$tmp/stats6"
check "ipv6 rule counts" grep -qE '^     input +add-src-to-address-list +[0-9]+ +2$' "$tmp/stats6"
"$rosfw" print address-list --ipv6 config.rsc > "$tmp/al6"
check "ipv6 dynamic entry" grep -qE '^ 0 D ;;; v6 senders$|^ 0 D seen6 +::1 +(29m[0-9]+s|30m)$' "$tmp/al6"

"$rosfw" print stats all --json config.rsc > "$tmp/json"
check "json exits 0" test $? = 0
if command -v python3 > /dev/null; then
	check "json parses" python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
by = {(r["facility"], r["number"]): r for r in rows}
assert by[("filter", 0)]["packets"] == 3, by[("filter", 0)]
assert by[("filter", 2)]["disabled"] and by[("filter", 2)]["packets"] == 0
assert by[("filter", 5)]["invalid"]
assert by[("filter", 0)]["comment"] == "remember \"udp\" senders\\here"
assert by[("raw", 0)]["packets"] == 3
assert by[("filter", 2)]["counter"] is None
' "$tmp/json"
	# the counter object is how a kernel rule is mapped to its RouterOS rule
	c1=$(nft list chain ip rosfw filter_input | grep 'comment "accept udp 9"' | grep -o 'counter name "[^"]*"' | cut -d'"' -f2)
	check "json: a rule's counter object is its kernel rule's" python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
by = {(r["facility"], r["number"]): r for r in rows}
assert sys.argv[2] and by[("filter", 1)]["counter"] == sys.argv[2], (by[("filter", 1)], sys.argv[2])
' "$tmp/json" "$c1"
fi
"$rosfw" print stats all --prometheus config.rsc > "$tmp/prom"
check "prometheus packets sample" grep -qxF 'rosfw_rule_packets_total{family="ip",facility="filter",number="0",chain="input",action="add-src-to-address-list",comment="remember \"udp\" senders\\here"} 3' "$tmp/prom"
check "prometheus bytes sample" grep -qxF 'rosfw_rule_bytes_total{family="ip",facility="raw",number="0",chain="prerouting",action="accept",comment="raw udp 9"} 90' "$tmp/prom"
check "prometheus TYPE lines" test "$(grep -c '^# TYPE rosfw_rule_' "$tmp/prom")" = 2
check "prometheus: no sample for a disabled rule" sh -c "! grep -q 'number=\"2\",chain=\"input\",action=\"drop\"' '$tmp/prom'"
check "prometheus: metrics grouped" sh -c "awk '/^rosfw_rule_bytes/ { b = 1 } /^rosfw_rule_packets/ && b { exit 1 }' '$tmp/prom'"

"$rosfw" print address-list config.rsc > "$tmp/al" 2> "$tmp/err"
check "print address-list exits 0" test $? = 0
check "address-list header" grep -qx 'Flags: X - disabled, D - dynamic' "$tmp/al"
check "address-list columns" grep -qE '^ #   LIST +ADDRESS +CREATION-TIME +TIMEOUT$' "$tmp/al"
check "static entry" grep -qE '^     trusted +10\.9\.9\.9$' "$tmp/al"
check "static entry comment" grep -qx ' 0   ;;; static one' "$tmp/al"
check "disabled entry" grep -qE '^ 1 X trusted +10\.9\.9\.8$' "$tmp/al"
check "dynamic entry from the rule" grep -qE '^ [0-9] D seen +127\.0\.0\.1 +(59m[0-9]+s|1h)$' "$tmp/al"
check "timed entry from the config" grep -qE '^     seen +10\.1\.1\.1 +(1h59m[0-9]+s|2h)$' "$tmp/al"
check "timed entry keeps its comment" grep -qE '^ [0-9] D ;;; timed by hand$' "$tmp/al"
check "static prefix" grep -qE '^ [0-9]   seen +10\.30\.0\.0/16$' "$tmp/al"
check "timed prefix comment" grep -qE '^ [0-9] D ;;; timed prefix$' "$tmp/al"
# rosfw apply does not give interval elements their timeout yet (nft -f does).
check "timed prefix from the interval set" grep -qE '^     seen +10\.20\.0\.0/24( +(59m[0-9]+s|1h))?$' "$tmp/al"
"$rosfw" print address-list where list=seen config.rsc > "$tmp/al2"
check "where list=seen" sh -c "! grep -q trusted '$tmp/al2' && grep -q 127.0.0.1 '$tmp/al2'"
"$rosfw" print address-list --json config.rsc > "$tmp/aljson"
if command -v python3 > /dev/null; then
	check "address-list json" python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
d = [r for r in rows if r["address"] == "127.0.0.1"][0]
assert d["dynamic"] and d["list"] == "seen" and 3500000 < d["timeout-ms"] <= 3600000, d
assert d["creation-time"] is None
s = [r for r in rows if r["address"] == "10.9.9.9"][0]
assert not s["dynamic"] and s["timeout"] is None
' "$tmp/aljson"
fi

"$rosfw" reset-counters
check "reset-counters exits 0" test $? = 0
"$rosfw" print stats config.rsc > "$tmp/stats"
check "filter counters reset" test "$(row 0)" = "- input add-src-to-address-list 0 0"
"$rosfw" print stats raw config.rsc > "$tmp/raw"
check "raw counters untouched by a filter reset" grep -qE '^     prerouting +accept +[0-9]+ +3$' "$tmp/raw"
# Someone else's table keeps its counters.
nft add table ip other && nft add chain ip other c '{ type filter hook input priority 10; }' && nft add rule ip other c counter
echo x > /dev/udp/127.0.0.1/9
"$rosfw" reset-counters all
check "others' counters untouched" sh -c "nft list table ip other | grep -q 'counter packets [1-9]'"
"$rosfw" print stats raw config.rsc > "$tmp/raw"
check "reset-counters all resets raw" grep -qE '^     prerouting +accept +0 +0$' "$tmp/raw"

# The connection table. Conntrack runs in a namespace only once a ruleset
# uses it, and config.rsc does not: a table of our own does.
nft add table ip ctuse && nft add chain ip ctuse c '{ type filter hook input priority 10; }' &&
	nft add rule ip ctuse c ct state new counter
echo x > /dev/udp/127.0.0.1/9
"$rosfw" print connection > "$tmp/conn"
check "print connection shows the UDP flow" grep -qE ' udp +127\.0\.0\.1:[0-9]+ +127\.0\.0\.1:9 ' "$tmp/conn"
check "print connection has RouterOS's flags header" grep -q '^Flags: S - seen-reply, A - assured' "$tmp/conn"
"$rosfw" print connection count-only > "$tmp/count"
check "count-only counts the flows" sh -c "test \"\$(cat '$tmp/count')\" -ge 1"
"$rosfw" print connection where protocol=tcp count-only > "$tmp/tcount"
check "where protocol=tcp leaves the UDP flow out" sh -c "test \"\$(cat '$tmp/tcount')\" -lt \"\$(cat '$tmp/count')\""
# RouterOS's where conditions: =, != and ~ (a regex anywhere in the field).
"$rosfw" print connection where dst-address~"127\.0\.0\.1:9$" count-only > "$tmp/w1"
check "where dst-address~REGEX finds the flow" test "$(cat "$tmp/w1")" -ge 1
"$rosfw" print connection where protocol=udp and dst-address~":9$" and assured=yes count-only > "$tmp/w2"
check "where with and: a one-way UDP flow is not assured" test "$(cat "$tmp/w2")" = 0
"$rosfw" print connection where protocol!=udp dst-address~":9$" count-only > "$tmp/w3"
check "where protocol!=udp leaves the UDP flow out" test "$(cat "$tmp/w3")" = 0
"$rosfw" print connection where state=established protocol=udp count-only > "$tmp/w4"
check "where state= (RouterOS's spelling of tcp-state)" test "$(cat "$tmp/w4")" = 0
"$rosfw" print connection where colour=red > /dev/null 2> "$tmp/w5"
check "where on an unknown field is an error" sh -c "grep -q 'cannot read the condition' '$tmp/w5'"
"$rosfw" print connection where src-address~"(" > /dev/null 2> "$tmp/w6"
check "a bad regex is an error" test -s "$tmp/w6"
"$rosfw" print connection --json > "$tmp/cjson"
check "print connection --json" grep -q '"protocol":"udp","src-address":"127.0.0.1:' "$tmp/cjson"

# Output that never arrived is an I/O error: exit 3 and one line, never 0.
full() {	# the command's arguments
	"$rosfw" "$@" > /dev/full 2> "$tmp/full"
	check "$* > /dev/full exits 3" test $? = 3
	check "$* > /dev/full says so in one line" \
		test "$(cat "$tmp/full")" = "rosfw: write error: No space left on device"
}
full print stats config.rsc
full print stats all --json config.rsc
full print stats all --prometheus config.rsc
full print address-list config.rsc
full print address-list --json config.rsc
full print connection
full print connection count-only
full print connection --json

# Kernel rules changed behind rosfw's back: the counter object ties a
# kernel rule to its RouterOS rule (kernel comments carry no numbers), so
# print checks the rest against the configuration. Each case on a fresh
# apply; print must refuse (exit 1) and print nothing. RULE1 and H1 stand
# for rule 1's ("accept udp 9") kernel rule and its handle.
behind() {	# name, nft -f text, what stderr says[, RULE1's comment instead]
	local line rule1 h1 rawc
	load 2> /dev/null
	line=$(nft -a list chain ip rosfw filter_input | grep -E 'comment "(#1 )?accept udp 9"')
	rule1=$(printf '%s\n' "$line" | sed -E 's/^\s+//; s/ # handle [0-9]+$//')
	h1=$(printf '%s\n' "$line" | grep -o '# handle [0-9]*$' | awk '{ print $3 }')
	[ -z "$4" ] || rule1=${rule1/accept udp 9\"/$4\"}
	rawc=$(nft list chain ip rosfw raw_prerouting | grep -o 'counter name "[^"]*"' | head -1 | cut -d'"' -f2)
	printf '%s\n' "$2" | sed -e "s|RULE1|$rule1|" -e "s|H1|$h1|" -e "s|RAWC|$rawc|" > "$tmp/behind.nft"
	nft -f "$tmp/behind.nft" 2> "$tmp/nfterr" || { fail "behind: $1: nft failed: $(cat "$tmp/nfterr")"; return; }
	"$rosfw" print stats config.rsc > "$tmp/bout" 2> "$tmp/berr"
	check "behind: $1: refused (exit 1)" test $? = 1
	check "behind: $1: nothing printed" test ! -s "$tmp/bout"
	check "behind: $1: told" grep -q "$3" "$tmp/berr"
}
# rule 1's kernel rule again at the end of its chain: it counts into
# rule 1's counter, out of the configuration's order
behind "a rule's copy out of order" "add rule ip rosfw filter_input RULE1" "out of order"
# deleted: the configuration has a rule the kernel lacks
behind "a rule deleted" "delete rule ip rosfw filter_input handle H1" "have no kernel rule"
# moved to another chain
behind "a rule moved to another chain" "delete rule ip rosfw filter_input handle H1
add rule ip rosfw filter_custom RULE1" "another chain"
# another comment
behind "a rule's comment changed" "replace rule ip rosfw filter_input handle H1 RULE1" "another comment" other
# a kernel rule counting into an object the configuration gives no filter
# rule (a new object would change the table's fingerprint: refused before)
behind "a rule counting into the raw rule's counter" "add rule ip rosfw filter_input counter name RAWC" \
	"counter objects .* does not name"
load 2> /dev/null

summary print
