#!/bin/bash
# A short libFuzzer run of each of the inspection helper's targets
# (fuzz/fuzz_sni.c, fuzz/fuzz_inspect.c), seeded with the start of a
# ClientHello. FUZZ_SECONDS sets each run's length (default 20).
. "$(dirname "$0")/lib.sh"
secs=${FUZZ_SECONDS:-20}
out="$ROOT/build/fuzz-helpers"
mkdir -p "$out"
src=$(cd "$ROOT" && ls helpers/tls_sni.c helpers/hostglob.c helpers/payload.c helpers/inspect.c helpers/pkt.c lib/netns.c)
for t in fuzz_sni fuzz_inspect; do
	if ! (cd "$ROOT" && clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -Ihelpers -Ilib fuzz/$t.c $src -o "$out/$t") 2> "$out/$t.build.log"; then
		cat "$out/$t.build.log" >&2
		fail "$t build"
		continue
	fi
	mkdir -p "$out/$t.work" "$out/$t.seeds"
	printf '\026\003\001\000\005\001\000\000\001\003' > "$out/$t.seeds/stub"
	cp "$ROOT"/fuzz/seeds/clienthello-sni.bin "$out/$t.seeds/"
	if "$out/$t" -max_total_time="$secs" -max_len=20000 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$out/$t-" "$out/$t.work" "$out/$t.seeds" > "$out/$t.log" 2>&1; then
		pass "$t ${secs}s: $(grep -o 'Done [0-9]* runs' "$out/$t.log" | tail -1)"
	else
		tail -30 "$out/$t.log" >&2
		fail "$t found a crash (artifact in $out)"
	fi
done
summary "fuzz-helpers"
