#!/bin/bash
# A short libFuzzer run of parse, model, lowering, nft text and netlink
# batch, seeded with the examples and the corpus; then every input the run
# kept that rosfw compiles must load with nft -c in a namespace of its own
# (FUZZ_NFT_FILES of them, newest first, default 200; 0: all). FUZZ_SECONDS
# sets the fuzzing's length (default 30).
. "$(dirname "$0")/lib.sh"
secs=${FUZZ_SECONDS:-30}
out="$ROOT/build/fuzz"
mkdir -p "$out/seeds"
make -s -C "$ROOT" build/gen/parser.c build/gen/lexer.c >/dev/null
# compiler/lower_inspect.c checks layer7 regexps with the helper's own code.
src=$(cd "$ROOT" && ls lib/*.c grammar/*.c compiler/*.c build/gen/*.c helpers/payload.c)
if ! (cd "$ROOT" && clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Ilib -Igrammar -Icompiler -Ihelpers -Ibuild/gen \
	fuzz/fuzz_model.c $src -o "$out/fuzz_model" $(pkg-config --cflags --libs libnftnl libmnl)) 2> "$out/build.log"; then
	cat "$out/build.log" >&2
	fail "fuzz build"
	summary "fuzz"
	exit 1
fi
cp "$ROOT"/examples/*.rsc "$out/seeds/" 2>/dev/null
# The interpreter's constructs (issue 16), beside the scripts the corpus holds.
cp "$ROOT"/fuzz/seeds/*.rsc "$out/seeds/" 2>/dev/null
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
# What rosfw compiles, nft must take: quoting, escaping, names and limits
# (FastTrack and the inspection queue as this kernel takes them: it has no
# flowtables and no nft_queue).
rosfw="$ROOT/build/rosfw"
if [ ! -x "$rosfw" ] || [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! unshare -n true 2>/dev/null; then
	echo "fuzz: nft -c of the compiled inputs skipped (needs build/rosfw, root, nft and unshare)" >&2
	summary "fuzz"
	exit
fi
nfiles=${FUZZ_NFT_FILES:-200}
compiled=0 refused=0
mkdir -p "$out/nft"
while read -r f; do
	[ "$nfiles" != 0 ] && [ "$compiled" -ge "$nfiles" ] && break
	"$rosfw" compile --unsupported=skip-rule --fasttrack=fallback --inspect=no-queue "$out/work/$f" > "$out/nft/x.nft" 2>/dev/null || continue
	compiled=$((compiled + 1))
	if ! unshare -n nft -c -f "$out/nft/x.nft" > "$out/nft/err" 2>&1; then
		refused=$((refused + 1))
		cp "$out/work/$f" "$out/nft-refused-$f.rsc"
		echo "fuzz: nft -c refuses what rosfw compiled from $out/nft-refused-$f.rsc: $(head -3 "$out/nft/err")" >&2
	fi
done < <(ls -t "$out/work")
if [ "$refused" = 0 ]; then
	pass "fuzz: nft -c takes all $compiled scripts rosfw compiled from the inputs"
	echo "  fuzz: nft -c took $compiled compiled inputs"
else
	fail "fuzz: nft -c refused $refused of $compiled scripts rosfw compiled"
fi
summary "fuzz"
