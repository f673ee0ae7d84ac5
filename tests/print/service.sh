#!/bin/bash
# print stats beside /ip service: a service's address= is a chain of its
# own (service.input) whose rules are no RouterOS rule's, so print stats
# must show the firewall's rules, numbered and counted as before, and
# nothing of it. In a throwaway network namespace, over loopback.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
if [ -z "$ROSFW_PRINT_NS" ]; then
	if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! unshare -n true 2>/dev/null; then
		echo "print service: no root, nft or unshare: skipped" >&2
		summary "print service"
		exit $?
	fi
	exec unshare -n env ROSFW_PRINT_NS=1 bash "$0" "$@"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ip link set lo up
ip addr add 192.0.2.1/32 dev lo

check() {	# name, then a command that must succeed
	local n=$1
	shift
	if "$@"; then pass "$n"; else fail "$n"; fi
}

cat > "$tmp/c.rsc" <<'RSC'
/ip firewall filter
add chain=input protocol=tcp action=accept comment="tcp in"
add chain=input protocol=udp action=accept comment="udp in"
/ip service set ssh address=192.0.2.0/24
RSC
"$rosfw" apply "$tmp/c.rsc" 2> "$tmp/err"
check "apply with a service restriction" test $? = 0
check "the restriction is in the kernel" grep -q 'ip service ssh' <(nft list chain ip rosfw service.input)

# Nothing listens on 22: a SYN that gets through is answered with a
# reset at once ("refused"); one the service chain drops never is.
timeout 1 bash -c 'exec 3<>/dev/tcp/192.0.2.1/22' 2> "$tmp/in"
check "from inside the prefix: tcp/22 answers (reset)" grep -q 'refused' "$tmp/in"
timeout 1 bash -c 'exec 3<>/dev/tcp/127.0.0.1/22' 2> /dev/null
check "from outside the prefix: tcp/22 is dropped" test $? = 124

"$rosfw" print stats "$tmp/c.rsc" > "$tmp/stats" 2> "$tmp/err"
check "print stats exits 0" test $? = 0
check "print stats writes nothing on stderr" test ! -s "$tmp/err"
check "two rows, the firewall's" test "$(grep -c ';;; ' "$tmp/stats")" = 2
check "rule 0 is the tcp rule" grep -qE '^ 0   ;;; tcp in$' "$tmp/stats"
check "rule 1 is the udp rule" grep -qE '^ 1   ;;; udp in$' "$tmp/stats"
check "the tcp rule counted the connections" grep -qE '^     input +accept +[1-9][0-9]* +[1-9][0-9]*$' "$tmp/stats"
check "the udp rule counted nothing" grep -qE '^     input +accept +0 +0$' "$tmp/stats"
"$rosfw" print stats --json "$tmp/c.rsc" > "$tmp/json" 2>/dev/null
check "json: two rules" test "$(grep -o '"number"' "$tmp/json" | wc -l)" = 2
summary "print service"
