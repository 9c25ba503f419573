#!/usr/bin/env bash
# Where the tracked B1 time goes: profiles child JVMs running B1 untracked with no agent
# ("plain"), untracked after one tracked call ("memtrack-primed": hooks installed, frees still
# look their address up) and tracked ("memtrack") with perf's cpu-clock sampler (no hardware
# counters needed), and prints CPU time per malloc/free pair by component for each.
#
# Usage (after `mvn -B -pl benchmarks -am package -DskipTests`):
#   benchmarks/scripts/perf-breakdown.sh [calls] [pairs]
# Needs perf (Debian: apt-get install -y linux-perf). Runs a copy of the agent from native/build
# (or $MEMTRACK_AGENT), not the one extracted from the jar, which is deleted after loading: perf
# needs the file to name its functions.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/.." && pwd)
calls=${1:-20}
pairs=${2:-1000000}
warmup=2 # the first warm-up call of memtrack-primed is tracked: 1 of calls+2 calls
freq=4000
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
out="$here/target/perf"
mkdir -p "$out"
# a private copy: a rebuild of native/ during the run must not change the profiled code under perf
agent="$out/libmemtrack.so"
cp "${MEMTRACK_AGENT:-$root/native/build/linux-$(uname -m)/libmemtrack.so}" "$agent"
echo "agent: $(sha256sum "$agent" | cut -c1-16) ($(stat -c %y "${MEMTRACK_AGENT:-$root/native/build/linux-$(uname -m)/libmemtrack.so}"))"
(cd "$here" && mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt" >/dev/null 2>&1 \
  || mvn -B -q dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt" >/dev/null)
cp="$(ls "$here"/target/memtrack-benchmarks-*.jar | head -1):$(cat "$out/classpath.txt")"
extra=()
if "$java" -version 2>&1 | grep -qE 'version "(2[2-9]|[3-9][0-9])'; then extra+=(--enable-native-access=ALL-UNNAMED); fi

for mode in plain memtrack-primed memtrack; do
  perf record -q -e cpu-clock -F "$freq" -o "$out/$mode.data" \
    "$java" "${extra[@]}" -Dmemtrack.agent.library="$agent" -cp "$cp" dev.memtrack.benchmarks.Bench \
    --child="$mode" --pairs="$pairs" --child-warmup="$warmup" --child-calls="$calls" | sed "s/^/$mode: /" | cut -c1-200
  # comm in the sort key, filtered afterwards: perf's --comm filter applies to merged entries, and
  # drops a symbol whose first sample came from another thread
  perf report -i "$out/$mode.data" --no-children --sort comm,dso,sym -F sample,comm,dso,sym \
    --field-separator='|' 2>/dev/null | grep -v '^#' | grep -v '^$' \
    | awk -F'|' '{ c = $2; gsub(/^ +| +$/, "", c); if (c == "java") print $1 "|" $3 "|" $4 }' > "$out/$mode.txt"
done

awk -F'|' -v freq="$freq" -v n="$(( (calls + warmup) * pairs ))" '
function cat(dso, sym) {
  if (dso ~ /libmemtrack/) {
    if (sym ~ /live_table/) return "memtrack: live table (insert/remove, stripe lock)";
    if (sym ~ /scope_stats|account|site_/) return "memtrack: scope figures (per-scope, per-site counters)";
    if (sym ~ /stack_capture|cache_hit|stack_table|jvm_java_frames|unwind|on_frame|find_range/) return "memtrack: stack capture (cache check, unwind, intern)";
    if (sym ~ /hook_|tracker_on|insert|recording/) return "memtrack: hook entry and dispatch";
    return "memtrack: other";
  }
  if (dso ~ /libgcc_s/) return "memtrack: stack capture (cache check, unwind, intern)";
  if (dso ~ /libc\.so/ && sym ~ /memcmp/) return "memtrack: stack capture (cache check, unwind, intern)";
  if (dso ~ /libc\.so/ && sym ~ /malloc|free|chunk|trim|sbrk|brk|arena|tcache|heap/) return "glibc malloc/free";
  if (dso ~ /kernel/) return "kernel (page faults, heap growth and trim)";
  if (dso ~ /libmtbench/) return "workload (libmtbench loop)";
  return "JVM, JIT code, startup, other";
}
{ gsub(/^ +| +$/, "", $1); gsub(/^ +| +$/, "", $2); sub(/^\[.\] /, "", $3); gsub(/ +$/, "", $3);
  c = cat($2, $3); if (FILENAME ~ /plain/) p[c] += $1; else if (FILENAME ~ /primed/) q[c] += $1; else m[c] += $1; seen[c] = 1 }
END {
  printf "| %s | %s | %s | %s | %s |\n", "component (CPU ns per malloc/free pair, main thread)", "plain (no agent)", "untracked, primed", "tracked", "tracked - plain";
  printf "| --- | ---: | ---: | ---: | ---: |\n";
  for (c in seen) rows[++k] = c;
  for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (rows[j] < rows[i]) { t = rows[i]; rows[i] = rows[j]; rows[j] = t }
  for (i = 1; i <= k; i++) { c = rows[i]; a = p[c] / freq / n * 1e9; u = q[c] / freq / n * 1e9; b = m[c] / freq / n * 1e9;
    tp += a; tq += u; tm += b;
    printf "| %s | %.1f | %.1f | %.1f | %+.1f |\n", c, a, u, b, b - a }
  printf "| %s | %.1f | %.1f | %.1f | %+.1f |\n", "total", tp, tq, tm, tm - tp;
}' "$out/plain.txt" "$out/memtrack-primed.txt" "$out/memtrack.txt"
echo "(profiles: $out/*.data; per-symbol sample counts: $out/*.txt)"
