#!/bin/sh
# strip-with-debug.sh MODE IN OUT — a stripped copy of the library IN at OUT, with its symbols
# where a distribution would put them (used to build test fixtures):
#   debuglink     OUT stripped, its debug part in OUT.debug, linked by .gnu_debuglink
#   debuglink-dir the same with the debug part in .debug/ beside OUT (GDB's convention)
#   buildid       OUT stripped, its debug part in OUT.debug with no link (found by build id)
#   minidebuginfo OUT stripped, its static functions' .symtab xz-compressed in .gnu_debugdata
#                 (the MiniDebugInfo recipe of GDB's manual: symbols .dynsym does not have)
set -eu
mode=$1 in=$2 out=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$(dirname "$out")"
case "$mode" in
  debuglink|buildid)
    objcopy --only-keep-debug "$in" "$out.debug"
    objcopy --strip-all "$in" "$tmp/stripped"
    if [ "$mode" = debuglink ]; then
      (cd "$(dirname "$out")" && objcopy --add-gnu-debuglink="$(basename "$out").debug" "$tmp/stripped")
    fi
    mv "$tmp/stripped" "$out" ;;
  debuglink-dir)
    mkdir -p "$(dirname "$out")/.debug"
    dbg="$(dirname "$out")/.debug/$(basename "$out").debug"
    objcopy --only-keep-debug "$in" "$dbg"
    objcopy --strip-all "$in" "$tmp/stripped"
    (cd "$(dirname "$dbg")" && objcopy --add-gnu-debuglink="$(basename "$dbg")" "$tmp/stripped")
    mv "$tmp/stripped" "$out" ;;
  minidebuginfo)
    nm -D "$in" --format=posix --defined-only | awk '{ print $1 }' | sort > "$tmp/dynsyms"
    nm "$in" --format=posix --defined-only | awk '$2 == "T" || $2 == "t" { print $1 }' | sort > "$tmp/funcsyms"
    comm -13 "$tmp/dynsyms" "$tmp/funcsyms" > "$tmp/keep"
    objcopy --only-keep-debug "$in" "$tmp/debug"
    objcopy -S --remove-section .gdb_index --remove-section .comment --keep-symbols="$tmp/keep" "$tmp/debug" "$tmp/mini"
    xz -q "$tmp/mini"
    objcopy --strip-all -R .comment "$in" "$tmp/stripped"
    objcopy --add-section .gnu_debugdata="$tmp/mini.xz" "$tmp/stripped"
    mv "$tmp/stripped" "$out" ;;
  *) echo "strip-with-debug.sh: unknown mode '$mode' (debuglink, debuglink-dir, buildid, minidebuginfo)" >&2; exit 2 ;;
esac
