#!/bin/bash
# Behaviour tests: packets meet the fate RouterOS would give them.
#
#   tests/behaviour/run.sh [ROSFW] [SCENARIO...]
#
# For each tests/behaviour/scenarios/NAME.probes (or only the SCENARIOs
# named): build the network of netns.sh in fresh namespaces, apply the
# scenario's RouterOS configuration on the router with $ROSFW_APPLY, send the
# probes, check each outcome, tear the network down. The language of .probes
# files is described in tests/behaviour/README.md.
#
# Environment: ROSFW_APPLY (how a configuration reaches the kernel, run by
# bash inside the router's namespace with $ROSFW, $CONFIG and $OPTS set),
# BEHAVIOUR_WAIT_MS (how long a probe waits for an answer, default 1000),
# VERBOSE=1 (print passing checks and every probe's raw outcome too).
. "$(dirname "$0")/../lib.sh"
unset ROSFW_MISSING_INTERFACES	# the router's interfaces are named as the scenarios expect
# shellcheck source=netns.sh
. "$ROOT/tests/behaviour/netns.sh"

HERE="$ROOT/tests/behaviour"
ROSFW="$ROOT/build/rosfw"
if [ -n "$1" ] && [ -f "$1" ] && [ -x "$1" ]; then
	ROSFW=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
	shift
fi
export ROSFW
: "${ROSFW_APPLY:=\"\$ROSFW\" apply \$OPTS \"\$CONFIG\"}"
: "${BEHAVIOUR_WAIT_MS:=1000}"

tmp=$(mktemp -d)
RUN_PREFIX="rosfwb-$$-$RANDOM"
LOG_SYSCTL=/proc/sys/net/netfilter/nf_log_all_netns
LOG_SYSCTL_WAS=""

cleanup() {
	local pid
	for pid in $HELD; do kill "$pid" 2>/dev/null; done
	topo_down
	# Only what this run changed, and only back to what it was.
	if [ -n "$LOG_SYSCTL_WAS" ]; then
		echo "$LOG_SYSCTL_WAS" > "$LOG_SYSCTL" 2>/dev/null
		LOG_SYSCTL_WAS=""
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null || ! command -v nft >/dev/null || ! command -v cc >/dev/null; then
	fail "behaviour: needs root, ip (iproute2), nft (nftables) and cc"
	summary "behaviour"
	exit 1
fi
if [ ! -x "$ROSFW" ]; then
	fail "behaviour: no rosfw at $ROSFW (run make first)"
	summary "behaviour"
	exit 1
fi
if ! cc -std=c11 -O2 -Wall -Wextra -Werror -o "$tmp/probe" "$HERE/probe.c" 2> "$tmp/cc.err"; then
	fail "behaviour: the probe helper does not compile"
	head -20 "$tmp/cc.err" >&2
	summary "behaviour"
	exit 1
fi
PROBE="$tmp/probe"

# NAME:LINE reason, for checks that fail because of rosfw, not the harness.
known_failure() {
	[ -f "$HERE/KNOWN_FAILURES" ] || return 1
	awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print; found = 1; exit } END { exit !found }' \
		"$HERE/KNOWN_FAILURES"
}

# check_fail WHERE TEXT: a failed check, marked when it is a known one.
check_fail() {
	local why
	if why=$(known_failure "$1"); then
		fail "$1: $2 [known rosfw bug: $why]"
	else
		fail "$1: $2"
	fi
}

# addr_port TEXT: split "a.b.c.d:p", "[v6]:p", "a.b.c.d", "[v6]" or "v6"
# into ADDR and PORT.
addr_port() {
	ADDR="" PORT=""
	case "$1" in
	\[*\]:*) ADDR=${1#\[}; ADDR=${ADDR%%\]*}; PORT=${1##*\]:} ;;
	\[*\]) ADDR=${1#\[}; ADDR=${ADDR%\]} ;;
	*:*:*) ADDR=$1 ;;
	*:*) ADDR=${1%:*}; PORT=${1##*:} ;;
	*) ADDR=$1 ;;
	esac
}

is_host() {
	local h
	for h in $TOPO_HOSTS; do [ "$h" = "$1" ] && return 0; done
	return 1
}

HELD=""	# pids of probes holding connections open until the scenario ends
# The line being run, for messages.
WHERE=""
LINE=""

# run_probe: one "from ... -> ..." line.
run_probe() {
	local left=${LINE%% -> *} right=${LINE#* -> } logp="" i
	local host src="" sport="" proto dst dport="" itype="" flags="" closed="" hold="" count=1 tos=""
	local kind="" nexp="" reject="" marks="" to_host="" to_addr="" to_port="" seen_addr="" seen_port=""
	local -a tok

	if [[ $right =~ (^|[[:space:]])logged[[:space:]]+\"([^\"]*)\" ]]; then
		logp=${BASH_REMATCH[2]}
		right=${right/"${BASH_REMATCH[0]}"/}
	fi
	read -ra tok <<< "$left"
	i=1
	host=${tok[i]}; i=$((i + 1))
	is_host "$host" || { check_fail "$WHERE" "unknown host '$host' in: $LINE"; return; }
	case "${tok[i]}" in tcp | udp | icmp | ftp | tftp | port) ;; *) src=${tok[i]}; i=$((i + 1)) ;; esac
	if [ "${tok[i]}" = port ]; then sport=${tok[i + 1]}; i=$((i + 2)); fi
	proto=${tok[i]}; i=$((i + 1))
	case "$proto" in tcp | udp | icmp | ftp | tftp) ;; *) check_fail "$WHERE" "no protocol (tcp, udp, icmp, ftp, tftp) in: $LINE"; return ;; esac
	addr_port "${tok[i]}"; dst=$ADDR; dport=$PORT; i=$((i + 1))
	if [ "$proto" != icmp ] && [ -z "$dport" ]; then check_fail "$WHERE" "no destination port in: $LINE"; return; fi
	while [ "$i" -lt "${#tok[@]}" ]; do
		case "${tok[i]}" in
		type) itype=${tok[i + 1]}; i=$((i + 2)) ;;
		flags) flags=${tok[i + 1]}; i=$((i + 2)) ;;
		closed) closed=1; i=$((i + 1)) ;;
		hold) hold=1; i=$((i + 1)) ;;
		count) count=${tok[i + 1]}; i=$((i + 2)) ;;
		tos) tos=${tok[i + 1]}; i=$((i + 2)) ;;
		*) check_fail "$WHERE" "cannot read '${tok[i]}' in: $LINE"; return ;;
		esac
	done

	read -ra tok <<< "$right"
	i=0
	case "${tok[0]}" in
	[0-9]*) nexp=${tok[0]}; kind=count; i=1; [ "${tok[1]}" = delivered ] || { check_fail "$WHERE" "expected 'N delivered' in: $LINE"; return; }; i=2 ;;
	delivered | dropped | one-way) kind=${tok[0]}; i=1 ;;
	rejected) kind=rejected; reject=${tok[1]}; i=2 ;;
	*) check_fail "$WHERE" "no outcome (delivered, dropped, rejected, one-way, N delivered) in: $LINE"; return ;;
	esac
	while [ "$i" -lt "${#tok[@]}" ]; do
		case "${tok[i]}" in
		to)
			to_host=${tok[i + 1]}; i=$((i + 2))
			is_host "$to_host" || { check_fail "$WHERE" "unknown host '$to_host' in: $LINE"; return; }
			case "${tok[i]}" in
			*.*.*.* | *:*) addr_port "${tok[i]}"; to_addr=$ADDR; to_port=$PORT; i=$((i + 1)) ;;
			esac
			;;
		seen-from) addr_port "${tok[i + 1]}"; seen_addr=$ADDR; seen_port=$PORT; i=$((i + 2)) ;;
		ttl | dscp) marks="$marks ${tok[i]}=${tok[i + 1]}"; i=$((i + 2)) ;;
		*) check_fail "$WHERE" "cannot read '${tok[i]}' in: $LINE"; return ;;
		esac
	done

	# The source: an address the sending host must have (given to it when
	# missing), and a port that makes its log line ours alone.
	local v=4
	topo_is_v6 "$dst" && v=6
	if [ -n "$src" ]; then
		topo_add_address "$host" "$src" 2> "$tmp/addr.err" ||
			{ check_fail "$WHERE" "cannot give $src to $host: $(cat "$tmp/addr.err")"; return; }
	else
		# Named always, so that an extra address never becomes the source.
		src=$(topo_primary "$host" $v)
	fi
	if [ -n "$logp" ] && [ -z "$sport" ] && [ "$proto" != icmp ]; then
		sport=$((20000 + RANDOM % 30000))
	fi
	# The receiver: the host the expectation names, or the destination's
	# owner. An address on the internet is given to the WAN host.
	local rhost=$to_host lport=${to_port:-$dport} owner
	if [ -z "$rhost" ]; then
		owner=$(topo_owner "$dst")
		if [ "$owner" = internet ]; then
			topo_add_address wan "$dst" || { check_fail "$WHERE" "cannot give $dst to wan"; return; }
			owner=wan
		fi
		rhost=$owner
	fi
	local -a args=(-f "$(topo_nspath "$host")" -w "$BEHAVIOUR_WAIT_MS")
	[ -n "$rhost" ] && [ -z "$closed" ] && args+=(-r "$(topo_nspath "$rhost")" -l "${lport:-0}")
	[ -n "$src" ] && args+=(-s "$src")
	[ -n "$sport" ] && args+=(-p "$sport")
	[ "$count" != 1 ] && args+=(-n "$count")
	[ -n "$itype" ] && args+=(-T "$itype")
	[ -n "$flags" ] && args+=(-F "$flags")
	[ -n "$hold" ] && args+=(-H 30)
	[ -n "$tos" ] && args+=(-Q "$tos")
	args+=("$proto" "$dst")
	[ -n "$dport" ] && args+=("$dport")

	# The kernel log keeps earlier runs' lines: only lines after this one
	# can be this probe's.
	local log_mark=""
	[ -n "$logp" ] && log_mark=$(dmesg 2>/dev/null | tail -n 1)
	local out
	if ! out=$("$PROBE" "${args[@]}" 2>&1); then
		check_fail "$WHERE" "$LINE => probe error: $out"
		return
	fi
	if [[ $out == *$'\n'held\ * ]]; then
		HELD="$HELD ${out##*held }"
		out=${out%$'\n'held *}
	fi
	[ -n "$VERBOSE" ] && echo "     $WHERE: $LINE => $(echo "$out" | tr '\n' ';')"
	local got=${out%%$'\n'*} ok=1 why=""
	case "$kind" in
	count)
		local n
		n=$(grep -c '^delivered' <<< "$out")
		[ "$n" = "$nexp" ] || { ok=0; why="$n of $count delivered"; }
		;;
	dropped)
		[ "$got" = dropped ] || ok=0
		;;
	rejected)
		[ "$(echo "$got" | cut -d' ' -f1-2)" = "rejected $reject" ] || ok=0
		;;
	delivered | one-way)
		# shellcheck disable=SC2086 # the outcome's words
		set -- $got
		if [ "$1" != "$kind" ]; then
			ok=0
		else
			# What the receiver saw: the destination as the expectation
			# says (after dst-nat or redirect), the source as sent unless
			# seen-from says what NAT made of it.
			local want_dst=${to_addr:-$dst} want_dport=${to_port:-$dport}
			local want_src=${seen_addr:-$src} want_sport=$seen_port
			[ -z "$seen_addr" ] && [ -n "$sport" ] && want_sport=$sport
			addr_port "$3"
			if [ "$ADDR" != "$want_dst" ] || { [ "$proto" != icmp ] && [ "$PORT" != "$want_dport" ]; }; then
				ok=0; why="the receiver saw destination $3"
			fi
			addr_port "$2"
			if [ "$ADDR" != "$want_src" ] || { [ -n "$want_sport" ] && [ "$PORT" != "$want_sport" ]; }; then
				ok=0; why="${why:+$why, }the receiver saw source $2"
			fi
			# ttl N, dscp N: the header fields as received (UDP only).
			local m
			for m in $marks; do
				case " $* " in
				*" $m "*) ;;
				*) ok=0; why="${why:+$why, }not received with $m" ;;
				esac
			done
		fi
		;;
	esac
	if [ "$ok" = 1 ] && [ -n "$logp" ]; then
		local lines
		lines=$(dmesg 2>/dev/null | awk -v m="$log_mark" 'seen { print } $0 == m { seen = 1 }' | grep -F -- "$logp")
		if [ "$v" = 4 ]; then lines=$(grep -F "SRC=$src " <<< "$lines"); fi
		if [ -n "$sport" ]; then lines=$(grep -F "SPT=$sport " <<< "$lines"); fi
		[ -n "$lines" ] || { ok=0; why="no kernel log line with \"$logp\""; }
	fi
	if [ "$ok" = 1 ]; then
		pass "$WHERE: $LINE"
	else
		check_fail "$WHERE" "$LINE => got: $(echo "$out" | sort | uniq -c | sed 's/^ *1 //; s/^ *//' | paste -sd';')${why:+ ($why)}"
	fi
}

# address-list NAME [ipv6] -> has|lacks ADDR: the list's kernel sets, as
# `nft list set` shows them in the router's namespace.
run_address_list() {
	local left=${LINE%% -> *} right=${LINE#* -> } fam=ip
	local -a l r
	read -ra l <<< "$left"
	read -ra r <<< "$right"
	[ "${l[2]}" = ipv6 ] && fam=ip6
	local sets
	sets=$(topo_exec router sh -c "nft list set $fam rosfw al_${l[1]} 2>/dev/null; nft list set $fam rosfw ad_${l[1]} 2>/dev/null")
	[ -n "$VERBOSE" ] && echo "     $WHERE: $(echo "$sets" | grep -A3 elements | tr -s '\t\n' '  ')"
	local elems
	elems=$(echo "$sets" | sed -n '/elements = {/,/}/p' | tr ',{}' '   ' | tr -s ' \t\n' '\n')
	case "${r[0]}" in
	has)
		if grep -qxF -- "${r[1]}" <<< "$elems"; then pass "$WHERE: $LINE"; else
			check_fail "$WHERE" "$LINE => not in the list's sets: $(echo "$sets" | grep -A2 elements | tr -s '\t\n' '  ')"
		fi
		;;
	lacks)
		if grep -qxF -- "${r[1]}" <<< "$elems"; then
			check_fail "$WHERE" "$LINE => it is in the list's sets"
		else pass "$WHERE: $LINE"; fi
		;;
	*) check_fail "$WHERE" "expected 'has ADDR' or 'lacks ADDR' in: $LINE" ;;
	esac
}

# conntrack -> has|lacks TEXT: the router's connection table, as
# `conntrack -L` prints it (IPv4 and IPv6), has a line with TEXT or none;
# expect -> has|lacks TEXT: the same for its expectations (conntrack -L
# expect: what conntrack helpers wait for).
run_conntrack() {
	local right=${LINE#* -> } table what=${1:-}
	local how=${right%% *} text=${right#* }
	if ! command -v conntrack >/dev/null; then
		check_fail "$WHERE" "$LINE => no conntrack command (package conntrack)"
		return
	fi
	table=$(topo_exec router sh -c "conntrack -L $what -f ipv4 2>/dev/null; conntrack -L $what -f ipv6 2>/dev/null")
	[ -n "$VERBOSE" ] && echo "     $WHERE: $(echo "$table" | paste -sd'|')"
	case "$how" in
	has) grep -qF -- "$text" <<< "$table" && pass "$WHERE: $LINE" ||
		check_fail "$WHERE" "$LINE => not in: $(echo "$table" | paste -sd'|')" ;;
	lacks) grep -qF -- "$text" <<< "$table" && check_fail "$WHERE" "$LINE => found: $(grep -F -- "$text" <<< "$table" | head -1)" ||
		pass "$WHERE: $LINE" ;;
	*) check_fail "$WHERE" "expected 'has TEXT' or 'lacks TEXT' in: $LINE" ;;
	esac
}

# probes_expand FILE: the scenario with each `probes NAME` line replaced by
# the lines of NAME.probes but its config and interfaces: the same probes
# run against another configuration or other interface names.
probes_expand() {
	local line other
	while IFS= read -r line || [ -n "$line" ]; do
		if [[ $line == "probes "* ]]; then
			other="$HERE/scenarios/${line#probes }.probes"
			[ -f "$other" ] || { echo "no scenario ${line#probes }" >&2; return 1; }
			grep -v -E '^(config|interfaces)( |$)' "$other"
		else
			printf '%s\n' "$line"
		fi
	done < "$1"
}

run_scenario() {
	local name=$1 file="$tmp/$1.probes" n=0 line
	local config="$HERE/scenarios/$1.rsc" opts="" wan=ether1 lan=ether2 dmz=ether3 wants_log=0
	local -a w
	if ! probes_expand "$HERE/scenarios/$1.probes" > "$file" 2> "$tmp/expand.err"; then
		fail "$name: $(cat "$tmp/expand.err")"
		return
	fi
	# Set-up lines first: they shape the network the probes run in.
	while IFS= read -r line || [ -n "$line" ]; do
		read -ra w <<< "$line"
		case "${w[0]}" in
		config) config="$ROOT/${w[1]}"; opts="${w[*]:2}" ;;
		interfaces)
			local kv
			for kv in "${w[@]:1}"; do
				case "$kv" in
				wan=*) wan=${kv#wan=} ;;
				lan=*) lan=${kv#lan=} ;;
				dmz=*) dmz=${kv#dmz=} ;;
				esac
			done
			;;
		from) [[ $line == *" logged "* ]] && wants_log=1 ;;
		esac
	done < "$file"

	if [ "$wants_log" = 1 ] && [ -w "$LOG_SYSCTL" ] && [ "$(cat "$LOG_SYSCTL")" = 0 ]; then
		# The kernel writes a namespace's log lines only with this on;
		# it is put back when the run ends.
		LOG_SYSCTL_WAS=0
		echo 1 > "$LOG_SYSCTL"
	fi

	if ! topo_up "$RUN_PREFIX-$name" "$wan" "$lan" "$dmz" 2> "$tmp/topo.err"; then
		fail "$name: cannot build the network: $(head -3 "$tmp/topo.err" | paste -sd' ')"
		topo_down
		return
	fi
	local applied=1
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		WHERE="$name:$n"
		read -ra w <<< "$line"
		case "${w[0]}" in
		address)
			topo_add_address "${w[1]}" "${w[2]}" || fail "$WHERE: $line"
			;;
		route)
			if [ "${w[2]}" != via ] || ! topo_route "${w[1]}" "${w[3]}"; then
				fail "$WHERE: $line"
			fi
			;;
		esac
	done < "$file"

	# From the repository's root: paths in the options (an interface map)
	# are written from there, as the config line's file is.
	if ! ROOT="$ROOT" CONFIG="$config" OPTS="$opts" topo_exec router bash -c "cd \"\$ROOT\" || exit 1; set -o pipefail; $ROSFW_APPLY" \
		> "$tmp/apply.out" 2> "$tmp/apply.err"; then
		check_fail "$name:apply" "applying $(basename "$config") failed: $(grep -v warning "$tmp/apply.err" | head -3 | paste -sd' ')"
		applied=0
	else
		pass "$name: apply $(basename "$config")"
	fi

	n=0
	while IFS= read -r LINE || [ -n "$LINE" ]; do
		n=$((n + 1))
		WHERE="$name:$n"
		LINE=${LINE%%$'\r'}
		read -ra w <<< "$LINE"
		case "${w[0]}" in
		'' | \#* | config | interfaces | address | route) continue ;;
		esac
		if [ "$applied" = 0 ]; then
			check_fail "$WHERE" "$LINE => not run: the configuration was not applied"
			continue
		fi
		case "${w[0]}" in
		from) run_probe ;;
		address-list) run_address_list ;;
		conntrack) run_conntrack ;;
		expect) run_conntrack expect ;;
		wait) sleep "${w[1]}" ;;
		rename)
			# rename wan NAME: after the apply, the WAN link is renamed
			if [ "${w[1]}" != wan ] || [ -z "${w[2]}" ] || ! topo_rename_wan "$wan" "${w[2]}" 2> "$tmp/rename.err"; then
				check_fail "$WHERE" "$LINE: $(head -2 "$tmp/rename.err" | paste -sd' ')"
			else
				wan=${w[2]}
				pass "$WHERE: the WAN link is $wan now"
			fi
			;;
		*) check_fail "$WHERE" "unknown line: $LINE" ;;
		esac
	done < "$file"

	# The connections "hold" kept open: the probes that hold them are ours.
	local pid
	for pid in $HELD; do kill "$pid" 2>/dev/null; done
	HELD=""
	if [ -n "$KEEP" ]; then
		echo "behaviour: kept $TOPO_PREFIX-* for $name (tests/behaviour/netns.sh down $TOPO_PREFIX)" >&2
		TOPO_PREFIX=""
	fi
	topo_down
	if [ -n "$LOG_SYSCTL_WAS" ]; then
		echo "$LOG_SYSCTL_WAS" > "$LOG_SYSCTL"
		LOG_SYSCTL_WAS=""
	fi
}

if [ $# -gt 0 ]; then
	scenarios="$*"
else
	scenarios=$(cd "$HERE/scenarios" && ls -- *.probes | sed 's/\.probes$//')
fi
start=$(date +%s)
for s in $scenarios; do
	if [ ! -f "$HERE/scenarios/$s.probes" ]; then
		fail "$s: no scenarios/$s.probes"
		continue
	fi
	[ -n "$VERBOSE" ] && echo "== $s"
	run_scenario "$s"
done
[ -n "$VERBOSE" ] && echo "behaviour: $(( $(date +%s) - start ))s"
summary "behaviour"
