#!/bin/sh
# check-layers.sh OBJECT... — fails when the agent's object files depend on each other against the
# declared layers (docs/architecture.md), or form a cycle at all.
#
# The symbol graph comes from nm: object A depends on object B when A has an undefined symbol
# that B defines. Every source file must be declared in LAYERS below (a new file fails the check
# until it is placed); an object may use objects of its own layer or of lower layers, and the
# whole graph must have no cycle (tsort), so two files of one layer cannot call each other.
set -eu
[ $# -gt 0 ] || { echo "usage: check-layers.sh OBJECT..." >&2; exit 2; }

# Lowest first. One line per layer: its name, then its files.
LAYERS='
core            raw_memory live_table stack_table site_table scope_stats scopes heap_records heap_names elf_file elf_symbols dwarf_lines library_name symbol_lookup class_log
objects         got_patcher symbolizer jvm_bridge report_text
recorders       stack_capture tracker hooks heap_stats heap_sampler heap_walker reference_quiet
reports         report heap_report
entry           memtrack_api heap_api class_transformer agent_load
'

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "$LAYERS" | awk 'NF { for (i = 2; i <= NF; i++) print $i, NR, $1 }' | sort > "$tmp/layer"

status=0
for o in "$@"; do
    f=$(basename "$o" .o)
    if ! grep -q "^$f " "$tmp/layer"; then
        echo "check-layers: $f.o is in no layer: add it to LAYERS in $0 (and docs/architecture.md)" >&2
        status=1
    fi
    nm -g --defined-only "$o" | awk -v f="$f" 'NF == 3 { print $3, f }'
done | sort -u > "$tmp/defs"
for o in "$@"; do
    nm -u "$o" | awk -v f="$(basename "$o" .o)" '{ print $2, f }'
done | sort -u > "$tmp/uses"
[ "$status" -eq 0 ] || exit 1

# user used symbol
join "$tmp/uses" "$tmp/defs" | awk '$2 != $3 { print $2, $3, $1 }' | sort > "$tmp/edges"

# Each edge against the layers: user's layer must be >= the used file's layer.
awk 'NR == FNR { layer[$1] = $2; name[$1] = $3; next }
     layer[$1] < layer[$2] {
         printf "check-layers: %s.o (%s) calls up into %s.o (%s) through %s\n", $1, name[$1], $2, name[$2], $3
         bad = 1
     }
     END { exit bad }' "$tmp/layer" "$tmp/edges" >&2 || status=1

# No cycle at all (also within a layer).
awk '{ print $1, $2 } END { }' "$tmp/edges" | sort -u > "$tmp/pairs"
if ! tsort "$tmp/pairs" > /dev/null 2> "$tmp/tsort"; then
    echo "check-layers: the object files form a cycle:" >&2
    sed -e "s|$tmp/pairs|object graph|" -e 's/^/  /' "$tmp/tsort" >&2
    status=1
fi
[ "$status" -eq 0 ] && echo "check-layers: $(wc -l < "$tmp/pairs") dependencies between $# objects, all downwards, no cycle"
exit "$status"
