#!/bin/bash
# Kernel rules per RouterOS rule (issue 18): for every corpus file rosfw
# compiles (with its options from tests/corpus/compile-policy), the kernel
# rules of the chains a RouterOS rule's packets pass (filter_, nat_,
# mangle_, raw_, and a psd= rule's psd_; rosfw's helpers there included)
# against the RouterOS rules that made any, per file and over the corpus.
# A RouterOS rule is its table's family and counter object (`counter name
# "c_..."`: kernel comments carry no rule numbers, compiler/kname.h).
# Twice: as compile makes them, merged runs (compiler/merge.h) one kernel
# rule for all their RouterOS rules, and with --merge=no; the RouterOS
# rules are counted in the second (a merged rule names a map of counters).
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
shared=${SHARED:-$root/../shared}
tk=0 tk0=0 tr=0 files=0
for f in "$shared"/corpus/files/* "$shared"/corpus/incoming/files/*; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	opts=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$root/tests/corpus/compile-policy")
	# shellcheck disable=SC2086
	out=$("$root/$build/rosfw" compile $opts "$f" 2>/dev/null) || continue
	# shellcheck disable=SC2086
	out0=$("$root/$build/rosfw" compile --merge=no $opts "$f" 2>/dev/null) || continue
	count='
		/^table / { fam = $2 }
		/^\tchain / { ours = $2 ~ /^(filter|nat|mangle|raw|psd)_/; next }
		/^\t}/ { ours = 0 }
		ours && /^\t\t/ && !/^\t\ttype / { k++ }
		match($0, /counter name "c_[^"]+"/) {
			id = fam " " substr($0, RSTART + 14, RLENGTH - 15)
			if (!(id in seen)) { seen[id] = 1; r++ }
		}
		END { print k + 0, r + 0 }'
	read -r k _ < <(printf '%s\n' "$out" | awk "$count")
	read -r k0 r < <(printf '%s\n' "$out0" | awk "$count")
	[ "$r" -gt 0 ] || continue
	files=$((files + 1)) tk=$((tk + k)) tk0=$((tk0 + k0)) tr=$((tr + r))
	[ -n "$VERBOSE" ] && awk -v n="$name" -v k="$k" -v k0="$k0" -v r="$r" \
		'BEGIN { printf "%-60s %6d %6d %6d %6.2f %6.2f\n", substr(n, 1, 60), k, k0, r, k / r, k0 / r }'
done
awk -v f="$files" -v k="$tk" -v k0="$tk0" -v r="$tr" 'BEGIN {
	printf "corpus: %d files, %d kernel rules for %d RouterOS rules: %.2f kernel rules per RouterOS rule\n", f, k, r, (r ? k / r : 0)
	printf "        without merging (--merge=no): %d kernel rules, %.2f per RouterOS rule\n", k0, (r ? k0 / r : 0) }'
