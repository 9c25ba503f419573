#!/bin/sh
# Every "@site:<function>[/<what>]" marker must sit on the line that DWARF gives for a call
# instruction (x86-64 call, aarch64 bl/blr) inside <function>: the Java tests expect exactly
# that fixture.c:<line> in stacks.
# Usage: check_site_lines.sh <library.so> <source.c>
set -eu
lib=$1
src=$2
base=$(basename "$src")
grep -n '@site:' "$src" | grep -v '@site:<' | while IFS=: read -r line rest; do
    fn=$(printf '%s\n' "$rest" | sed -n 's#.*@site:\([A-Za-z0-9_]*\).*#\1#p')
    lines=$(objdump -d --no-show-raw-insn "$lib" |
        awk -v fn="<$fn>:" '$2 == fn {inside = 1; next} /^[0-9a-f]+ </ {inside = 0}
             inside && $2 ~ /^(call|callq|bl|blr)$/ {sub(":", "", $1); print $1}' |
        xargs -r addr2line -e "$lib" | sed 's#.*/##; s# .*##')
    if ! printf '%s\n' "$lines" | grep -qx "$base:$line"; then
        echo "FAIL $base:$line @site:$fn: the calls in $fn are at: $(echo $lines)"
        exit 1
    fi
done
