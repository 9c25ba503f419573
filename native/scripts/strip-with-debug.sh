#!/bin/sh
# strip-with-debug.sh MODE IN OUT — a stripped copy of the library IN at OUT, with its symbols
# where a distribution would put them (used to build test fixtures):
#   debuglink     OUT stripped, its debug part in OUT.debug, linked by .gnu_debuglink
#   debuglink-dir the same with the debug part in .debug/ beside OUT (GDB's convention)
#   buildid       OUT stripped, its debug part in OUT.debug with no link (found by build id)
#   minidebuginfo OUT stripped, its static functions' .symtab xz-compressed in .gnu_debugdata
#                 (the MiniDebugInfo recipe of GDB's manual: symbols .dynsym does not have)
# OBJCOPY and NM name the target's binutils (default: objcopy, nm).
set -eu
OBJCOPY=${OBJCOPY:-objcopy} NM=${NM:-nm}
mode=$1 in=$2 out=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$(dirname "$out")"
case "$mode" in
  debuglink|buildid)
    $OBJCOPY --only-keep-debug "$in" "$out.debug"
    $OBJCOPY --strip-all "$in" "$tmp/stripped"
    if [ "$mode" = debuglink ]; then
      (cd "$(dirname "$out")" && $OBJCOPY --add-gnu-debuglink="$(basename "$out").debug" "$tmp/stripped")
    fi
    mv "$tmp/stripped" "$out" ;;
  debuglink-dir)
    mkdir -p "$(dirname "$out")/.debug"
    dbg="$(dirname "$out")/.debug/$(basename "$out").debug"
    $OBJCOPY --only-keep-debug "$in" "$dbg"
    $OBJCOPY --strip-all "$in" "$tmp/stripped"
    (cd "$(dirname "$dbg")" && $OBJCOPY --add-gnu-debuglink="$(basename "$dbg")" "$tmp/stripped")
    mv "$tmp/stripped" "$out" ;;
  minidebuginfo)
    $NM -D "$in" --format=posix --defined-only | awk '{ print $1 }' | sort > "$tmp/dynsyms"
    $NM "$in" --format=posix --defined-only | awk '$2 == "T" || $2 == "t" { print $1 }' | sort > "$tmp/funcsyms"
    comm -13 "$tmp/dynsyms" "$tmp/funcsyms" > "$tmp/keep"
    $OBJCOPY --only-keep-debug "$in" "$tmp/debug"
    $OBJCOPY -S --remove-section .gdb_index --remove-section .comment --keep-symbols="$tmp/keep" "$tmp/debug" "$tmp/mini"
    xz -q "$tmp/mini"
    $OBJCOPY --strip-all -R .comment "$in" "$tmp/stripped"
    $OBJCOPY --add-section .gnu_debugdata="$tmp/mini.xz" "$tmp/stripped"
    mv "$tmp/stripped" "$out" ;;
  *) echo "strip-with-debug.sh: unknown mode '$mode' (debuglink, debuglink-dir, buildid, minidebuginfo)" >&2; exit 2 ;;
esac
