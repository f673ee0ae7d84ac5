#!/bin/bash
# A short libFuzzer run of parse+model, seeded with the examples and the
# corpus. FUZZ_SECONDS sets its length (default 30).
. "$(dirname "$0")/lib.sh"
secs=${FUZZ_SECONDS:-30}
out="$ROOT/build/fuzz"
mkdir -p "$out/seeds"
make -s -C "$ROOT" build/gen/parser.c build/gen/lexer.c >/dev/null
src=$(cd "$ROOT" && ls lib/*.c grammar/*.c compiler/*.c build/gen/*.c)
if ! (cd "$ROOT" && clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Ilib -Igrammar -Icompiler -Ibuild/gen \
	fuzz/fuzz_model.c $src -o "$out/fuzz_model" $(pkg-config --cflags --libs libnftnl libmnl)) 2> "$out/build.log"; then
	cat "$out/build.log" >&2
	fail "fuzz build"
	summary "fuzz"
	exit 1
fi
cp "$ROOT"/examples/*.rsc "$out/seeds/" 2>/dev/null
[ -d "$SHARED/corpus/files" ] && for f in "$SHARED"/corpus/files/*; do
	cp "$f" "$out/seeds/$(basename "$f" | tr -c 'A-Za-z0-9._\n-' '_')"
done
mkdir -p "$out/work"
if "$out/fuzz_model" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$out/" "$out/work" "$out/seeds" > "$out/fuzz.log" 2>&1; then
	pass "fuzz ${secs}s: $(grep -o 'Done [0-9]* runs' "$out/fuzz.log" | tail -1)"
	echo "  fuzz: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$out/fuzz.log" | tail -1)"
else
	tail -40 "$out/fuzz.log" >&2
	fail "fuzz found a crash (artifact in $out)"
fi
summary "fuzz"
