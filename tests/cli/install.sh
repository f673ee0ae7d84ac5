#!/bin/bash
# make install (issue 14): into a DESTDIR, under a PREFIX, the programs,
# both man pages (which groff and man render without a warning), bash
# completion for both, the systemd unit with its paths under PREFIX (and
# systemd-analyze finds nothing to say about it) and the example interface
# map; both programs say one version. Needs no root.
. "$(dirname "$0")/../lib.sh"
rosfw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
build=$(dirname "$rosfw")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make -s -C "$ROOT" BUILD="$build" install DESTDIR="$tmp/d" > "$tmp/out" 2>&1 || fail "install: make install DESTDIR: $(cat "$tmp/out")"
(cd "$tmp/d" && find . -type f -o -type l | sort) > "$tmp/files"
if diff -u - "$tmp/files" > "$tmp/diff" <<'LIST'
./etc/rosfw/interfaces.example
./usr/local/bin/rosfw
./usr/local/bin/rosfw-inspect
./usr/local/bin/rosfwd
./usr/local/lib/systemd/system/rosfw-inspect.service
./usr/local/lib/systemd/system/rosfwd.service
./usr/local/share/bash-completion/completions/rosfw
./usr/local/share/bash-completion/completions/rosfwd
./usr/local/share/man/man8/rosfw.8
./usr/local/share/man/man8/rosfwd.8
LIST
then
	pass "install: DESTDIR holds the programs, man pages, completion, unit and example map"
else
	fail "install: the files installed: $(cat "$tmp/diff")"
fi
for p in rosfw rosfwd; do
	page=$tmp/d/usr/local/share/man/man8/$p.8
	if [ -f "$page" ] && groff -ww -z -man "$page" > "$tmp/groff" 2>&1 && [ ! -s "$tmp/groff" ] &&
		! grep -q '@VERSION@' "$page"; then
		pass "install: $p(8) passes groff -ww without a warning"
	else
		fail "install: $p(8) under groff -ww: $(cat "$tmp/groff")"
	fi
	if command -v man >/dev/null; then
		LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" > "$tmp/man" 2> "$tmp/manerr"
		if [ -s "$tmp/man" ] && [ ! -s "$tmp/manerr" ] && grep -q "^NAME" "$tmp/man" &&
			grep -q "^EXIT STATUS" "$tmp/man"; then
			pass "install: man -l renders $p(8) without a warning"
		else
			fail "install: man -l $p(8): $(head -5 "$tmp/manerr")"
		fi
	fi
done
# Another PREFIX: the unit runs the programs from there.
make -s -C "$ROOT" BUILD="$build" install PREFIX=/opt/rosfw DESTDIR="$tmp/o" > "$tmp/out" 2>&1
unit=$tmp/o/opt/rosfw/lib/systemd/system/rosfwd.service
if grep -q '^ExecStartPre=/opt/rosfw/bin/rosfw apply ' "$unit" && grep -q '^ExecStart=/opt/rosfw/bin/rosfwd ' "$unit" &&
	! grep -q /usr/local "$unit" && [ -x "$tmp/o/opt/rosfw/bin/rosfwd" ]; then
	pass "install: PREFIX=/opt/rosfw: the unit runs the programs from there"
else
	fail "install: PREFIX=/opt/rosfw: $(grep Exec "$unit")"
fi
# Installed where its paths are real (PREFIX, no DESTDIR), the unit as
# systemd reads it, its man pages found.
make -s -C "$ROOT" BUILD="$build" install PREFIX="$tmp/p" SYSCONFDIR="$tmp/p/etc" > "$tmp/out" 2>&1
if command -v systemd-analyze >/dev/null; then
	if MANPATH=$tmp/p/share/man systemd-analyze verify "$tmp/p/lib/systemd/system/rosfwd.service" > "$tmp/verify" 2>&1 &&
		! grep -q . "$tmp/verify"; then
		pass "install: systemd-analyze verify finds nothing to say about the installed unit"
	else
		fail "install: systemd-analyze verify: $(cat "$tmp/verify")"
	fi
fi
# rosfw-inspect's unit too (issue 19): its program from PREFIX, restarted
# whatever becomes of it, and nothing systemd-analyze would say.
iunit=$tmp/o/opt/rosfw/lib/systemd/system/rosfw-inspect.service
if grep -q '^ExecStart=/opt/rosfw/bin/rosfw-inspect ' "$iunit" && grep -q '^Restart=always' "$iunit" &&
	! grep -q /usr/local "$iunit"; then
	pass "install: rosfw-inspect's unit runs it from PREFIX and restarts it"
else
	fail "install: rosfw-inspect's unit: $(grep -E '^(Exec|Restart)' "$iunit")"
fi
if command -v systemd-analyze >/dev/null; then
	if MANPATH=$tmp/p/share/man systemd-analyze verify "$tmp/p/lib/systemd/system/rosfw-inspect.service" \
		> "$tmp/verify" 2>&1 && ! grep -q . "$tmp/verify"; then
		pass "install: systemd-analyze verify finds nothing to say about rosfw-inspect's unit"
	else
		fail "install: systemd-analyze verify rosfw-inspect.service: $(cat "$tmp/verify")"
	fi
fi
# The unit's place among the others: a firewall, before the network.
if grep -q '^Before=network-pre.target' "$unit" && grep -q '^Wants=network-pre.target' "$unit" &&
	grep -q '^After=.*nftables.service' "$unit" && grep -q '^ReloadPropagatedFrom=nftables.service' "$unit"; then
	pass "install: the unit is ordered before network-pre.target and after nftables.service"
else
	fail "install: the unit's ordering: $(grep -E '^(After|Before|Wants)' "$unit")"
fi
# Both programs, one version.
v1=$("$tmp/d/usr/local/bin/rosfw" --version) v2=$("$tmp/d/usr/local/bin/rosfwd" --version)
if [[ "$v1" =~ ^rosfw\ [0-9] ]] && [ "${v1#rosfw }" = "${v2#rosfwd }" ]; then
	pass "install: --version on both programs, the same ($v1)"
else
	fail "install: --version: '$v1' and '$v2'"
fi
# Completion: commands, options, facilities.
complete_words() {
	(cd "$tmp" && bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _rosfw; printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$tmp/d/usr/local/share/bash-completion/completions/rosfw" "$@" 2>/dev/null) | sort | tr '\n' ' '
}
if [ "$(complete_words rosfw ap)" = "apply " ] && [ "$(complete_words rosfw apply --di)" = "--diff " ] &&
	[ "$(complete_words rosfw print stats n)" = "nat " ] && [ "$(complete_words rosfw print s)" = "stats " ] &&
	[ "$(complete_words rosfw reset-counters m)" = "mangle " ]; then
	pass "install: bash completion completes commands, options and facilities"
else
	fail "install: bash completion: '$(complete_words rosfw ap)' '$(complete_words rosfw apply --di)' '$(complete_words rosfw print stats n)'"
fi
summary "install"
