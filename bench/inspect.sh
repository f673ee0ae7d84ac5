#!/bin/bash
# The inspection helper's decision rate per new connection (bench/inspect.c).
set -e
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
make -s -C "$root" BUILD="$build" "$build/librosfw-inspect.a"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -std=c11 -D_GNU_SOURCE -O2 -I"$root/helpers" -o "$tmp/inspect" "$here/inspect.c" "$root/$build/librosfw-inspect.a"
"$tmp/inspect"
