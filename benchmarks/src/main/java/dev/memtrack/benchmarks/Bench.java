package dev.memtrack.benchmarks;

import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The overhead harness for workloads B1 and B5 (docs: shared benchmarks.md, benchmarks/README.md).
 * Prints one table. Not a test: run it by hand or with {@code -Pbench}.
 *
 * <p>In-process figures alternate untracked and tracked runs in this JVM after a warm-up.
 * The anchors (async-profiler nativemem=0, heaptrack) cannot share a JVM with memtrack, so B1 is
 * also run in separate child JVMs — plain, memtrack loaded but idle, memtrack tracking, and under
 * each anchor — alternating, timed as whole processes and per call inside each child.
 */
public final class Bench {

    static final int JAVA_DEPTH = 20;
    static final int SEED = 0x5EED1234;

    private Bench() {
    }

    // ---------------------------------------------------------------- options

    static final class Options {
        int pairs = 1_000_000;
        int warmup = 5;
        int runs = 15;
        int b5Count = 1_000_000;
        int b5Size = 64;
        int b5Runs = 7;
        int anchorRounds = 5;
        int childWarmup = 2;
        int childCalls = 5;
        List<String> anchors = List.of("plain", "memtrack-idle", "memtrack", "async-profiler", "heaptrack");
        String child;

        static Options parse(String[] args) {
            Options o = new Options();
            for (String a : args) {
                String[] kv = a.split("=", 2);
                String v = kv.length > 1 ? kv[1] : "";
                switch (kv[0]) {
                    case "--pairs" -> o.pairs = Integer.parseInt(v);
                    case "--warmup" -> o.warmup = Integer.parseInt(v);
                    case "--runs" -> o.runs = Integer.parseInt(v);
                    case "--b5-count" -> o.b5Count = Integer.parseInt(v);
                    case "--b5-size" -> o.b5Size = Integer.parseInt(v);
                    case "--b5-runs" -> o.b5Runs = Integer.parseInt(v);
                    case "--anchor-rounds" -> o.anchorRounds = Integer.parseInt(v);
                    case "--child-warmup" -> o.childWarmup = Integer.parseInt(v);
                    case "--child-calls" -> o.childCalls = Integer.parseInt(v);
                    case "--anchors" -> o.anchors = v.isEmpty() ? List.of() : List.of(v.split(","));
                    case "--no-anchors" -> o.anchors = List.of();
                    case "--child" -> o.child = v;
                    default -> throw new IllegalArgumentException("unknown option " + a + "; options: --pairs=N --warmup=N"
                            + " --runs=N --b5-count=N --b5-size=N --b5-runs=N --anchor-rounds=N --child-warmup=N"
                            + " --child-calls=N --anchors=plain,memtrack-idle,memtrack,async-profiler,heaptrack --no-anchors");
                }
            }
            return o;
        }

        List<String> childArgs(String mode) {
            return List.of("--child=" + mode, "--pairs=" + pairs, "--child-warmup=" + childWarmup,
                    "--child-calls=" + childCalls, "--b5-count=" + b5Count, "--b5-size=" + b5Size);
        }
    }

    // ---------------------------------------------------------------- statistics

    /** Median and range of a sample. */
    record Stats(double median, double min, double max, int n) {
        static Stats of(List<Double> values) {
            if (values.isEmpty()) {
                return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
            }
            List<Double> s = values.stream().sorted().toList();
            int n = s.size();
            double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
            return new Stats(median, s.get(0), s.get(n - 1), n);
        }

        String ms() {
            return n == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f ms (%.1f-%.1f)", median / 1e6, min / 1e6, max / 1e6);
        }

        String seconds() {
            return n == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f s (%.2f-%.2f)", median / 1e9, min / 1e9, max / 1e9);
        }

        String ratio() {
            return n == 0 ? "n/a" : String.format(Locale.ROOT, "%.2fx (%.2f-%.2f)", median, min, max);
        }
    }

    /** Ratio of medians, with the range of the paired ratios a[i] / b[i]. */
    static Stats ratio(List<Double> num, List<Double> den) {
        List<Double> pairs = new ArrayList<>();
        for (int i = 0; i < Math.min(num.size(), den.size()); i++) {
            pairs.add(num.get(i) / den.get(i));
        }
        Stats p = Stats.of(pairs);
        double median = Stats.of(num).median / Stats.of(den).median;
        return new Stats(median, p.min, p.max, p.n);
    }

    // ---------------------------------------------------------------- workloads

    /** Recurses to {@code depth} Java frames, then runs the workload: a ~20-frame Java stack. */
    static long descend(int depth, LongSupplier work) {
        if (depth <= 1) {
            return work.getAsLong();
        }
        long r = descend(depth - 1, work);
        return r == Long.MIN_VALUE ? 0 : r;
    }

    static long b1Call(int pairs) {
        long bytes = descend(JAVA_DEPTH, () -> BenchNative.b1(pairs, SEED));
        if (bytes < 0) {
            throw new IllegalStateException("malloc failed in the B1 workload");
        }
        return bytes;
    }

    static long b5Call(int count, int size) {
        int held = BenchNative.b5Hold(count, size);
        int freed = BenchNative.b5Release();
        if (held != count || freed != count) {
            throw new IllegalStateException("B5 held " + held + " and freed " + freed + " of " + count);
        }
        return held;
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** CPU time (user + system) of the calling thread during the last timed call, in ns. */
    static double lastCpuNs;

    /** Times one untracked call: wall time returned, thread CPU time in {@link #lastCpuNs}. */
    static double untracked(LongSupplier work) {
        long c0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        work.getAsLong();
        long t = System.nanoTime() - t0;
        lastCpuNs = THREADS.getCurrentThreadCpuTime() - c0;
        return t;
    }

    /** Times one call inside a scope (begin and end included); returns the figures through {@code figures}. */
    static double tracked(NativeTracker tracker, LongSupplier work, List<Figures> figures) {
        long c0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long scope = tracker.beginScope();
        work.getAsLong();
        tracker.endScope(scope);
        long t = System.nanoTime() - t0;
        lastCpuNs = THREADS.getCurrentThreadCpuTime() - c0;
        if (figures != null) {
            figures.add(tracker.figures(scope));
        }
        tracker.releaseScope(scope);
        return t;
    }

    /**
     * Untracked and tracked runs alternating (ABBA order against drift) after a warm-up of each.
     * Returns wall times untracked, tracked, then thread CPU times untracked, tracked.
     */
    static List<List<Double>> alternate(NativeTracker tracker, LongSupplier work, int warmup, int runs, List<Figures> figures) {
        for (int i = 0; i < warmup; i++) {
            untracked(work);
            tracked(tracker, work, null);
        }
        List<Double> u = new ArrayList<>();
        List<Double> t = new ArrayList<>();
        List<Double> uc = new ArrayList<>();
        List<Double> tc = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            if (i % 2 == 0) {
                u.add(untracked(work));
                uc.add(lastCpuNs);
                t.add(tracked(tracker, work, figures));
                tc.add(lastCpuNs);
            } else {
                t.add(tracked(tracker, work, figures));
                tc.add(lastCpuNs);
                u.add(untracked(work));
                uc.add(lastCpuNs);
            }
        }
        return List.of(u, t, uc, tc);
    }

    // ---------------------------------------------------------------- child JVMs

    /**
     * A child JVM: runs B1 untracked (plain: memtrack never loaded; memtrack-idle: loaded, never
     * recording; memtrack-primed: after one tracked call; memtrack-primed-b5: also after one tracked
     * B5) or tracked (memtrack) and prints per-call
     * times; b5-memory measures B5's tracker memory in a fresh JVM.
     */
    static int child(Options o) throws IOException {
        BenchNative.load();
        if (o.child.equals("b5-memory")) {
            return b5Memory(o);
        }
        NativeTracker tracker = null;
        if (o.child.startsWith("memtrack")) {
            tracker = NativeTracker.instance();
            if (!tracker.isAvailable()) {
                System.out.println("CHILD-ERROR memtrack unavailable: " + tracker.unavailableReason());
                return 2;
            }
        }
        boolean track = o.child.equals("memtrack");
        LongSupplier work = () -> b1Call(o.pairs);
        // memtrack-primed: the first warm-up call is tracked; afterwards untracked frees still look
        // their address up in the (grown) live table, as in the in-process untracked runs
        boolean primed = o.child.startsWith("memtrack-primed");
        if (o.child.equals("memtrack-primed-b5")) {
            // and before that, one tracked B5: the live table grows to a million entries (it never
            // shrinks), which is what every later untracked free then looks its address up in
            tracked(tracker, () -> b5Call(o.b5Count, o.b5Size), null);
        }
        List<Double> calls = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        long allocations = 0;
        for (int i = 0; i < o.childWarmup + o.childCalls; i++) {
            double ns;
            if (track || (primed && i == 0)) {
                List<Figures> f = new ArrayList<>();
                ns = tracked(tracker, work, f);
                allocations = f.get(0).allocatedCount();
            } else {
                ns = untracked(work);
            }
            if (i >= o.childWarmup) {
                calls.add(ns);
                cpu.add(lastCpuNs);
            }
        }
        System.out.println("CHILD calls_ns=" + joined(calls) + " cpu_ns=" + joined(cpu) + " allocations=" + allocations);
        return 0;
    }

    private static String joined(List<Double> values) {
        return values.stream().map(d -> Long.toString(d.longValue())).collect(Collectors.joining(","));
    }

    /** One child JVM: wall time from the parent, CPU time (user + sys of it and its waited-for children; NaN when GNU time is missing), per-call times. */
    record ChildResult(double wallNs, double processCpuNs, List<Double> callsNs, List<Double> cpuNs, String note) {
    }

    static final class Anchors {
        final Options o;
        final Path work;
        Path asyncProfiler;
        String asyncProfilerSource = "";
        String heaptrack;
        /** GNU time, for the CPU time of a whole child process (and of heaptrack's helper processes). */
        final String gnuTime = Files.isExecutable(Paths.get("/usr/bin/time")) ? "/usr/bin/time" : null;
        final List<String> skipped = new ArrayList<>();

        Anchors(Options o) throws IOException {
            this.o = o;
            this.work = Files.createTempDirectory("mtbench-anchors-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }

        void locate() throws IOException {
            if (o.anchors.contains("async-profiler")) {
                asyncProfiler = findAsyncProfiler();
                if (asyncProfiler == null) {
                    skipped.add("async-profiler: libasyncProfiler.so not found (run with -Pbench, which puts"
                            + " tools.profiler:async-profiler on the class path, or set -Dbench.asyncProfiler=/path/to/jar-or-so)");
                }
            }
            if (o.anchors.contains("heaptrack")) {
                heaptrack = findOnPath("heaptrack");
                if (heaptrack == null) {
                    skipped.add("heaptrack: not on PATH (apt-get install -y heaptrack)");
                }
            }
        }

        private Path findAsyncProfiler() throws IOException {
            String entry = "linux-" + (System.getProperty("os.arch").equals("aarch64") ? "arm64" : "x64") + "/libasyncProfiler.so";
            String prop = System.getProperty("bench.asyncProfiler");
            if (prop != null && prop.endsWith(".so")) {
                asyncProfilerSource = prop;
                return Paths.get(prop);
            }
            byte[] so = null;
            if (prop != null) {
                so = readEntry(Paths.get(prop), entry);
                asyncProfilerSource = Paths.get(prop).getFileName().toString();
            } else {
                java.net.URL url = Bench.class.getResource("/" + entry);
                if (url != null) {
                    try (InputStream in = url.openStream()) {
                        so = in.readAllBytes();
                    }
                    String u = url.toString();
                    int bang = u.indexOf("!/");
                    asyncProfilerSource = (bang > 0 ? u.substring(u.lastIndexOf('/', bang) + 1, bang) : u) + " (class path)";
                } else {
                    Path repo = Paths.get(System.getProperty("user.home"), ".m2/repository/tools/profiler/async-profiler");
                    if (Files.isDirectory(repo)) {
                        Path jar;
                        try (Stream<Path> s = Files.walk(repo)) {
                            jar = s.filter(p -> p.getFileName().toString().matches("async-profiler-[0-9.]+\\.jar"))
                                    .max(Comparator.comparing(p -> p.getFileName().toString())).orElse(null);
                        }
                        if (jar != null) {
                            so = readEntry(jar, entry);
                            asyncProfilerSource = jar.getFileName() + " (local Maven repository)";
                        }
                    }
                }
            }
            if (so == null) {
                return null;
            }
            Path file = work.resolve("libasyncProfiler.so");
            Files.write(file, so);
            return file;
        }

        private static byte[] readEntry(Path jar, String entry) throws IOException {
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
                java.util.zip.ZipEntry e = zip.getEntry(entry);
                if (e == null) {
                    return null;
                }
                try (InputStream in = zip.getInputStream(e)) {
                    return in.readAllBytes();
                }
            }
        }

        private static String findOnPath(String name) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                Path p = Paths.get(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
            return null;
        }

        boolean enabled(String mode) {
            return o.anchors.contains(mode) && switch (mode) {
                case "async-profiler" -> asyncProfiler != null;
                case "heaptrack" -> heaptrack != null;
                default -> true;
            };
        }

        ChildResult run(String mode, int round) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            if (gnuTime != null) {
                cmd.addAll(List.of(gnuTime, "-f", "CHILD-TIME %e %U %S"));
            }
            String out = null;
            if (mode.equals("heaptrack")) {
                out = work.resolve("heaptrack-" + round).toString();
                cmd.addAll(List.of(heaptrack, "-o", out));
            }
            cmd.addAll(javaCommand());
            Path jfr = null;
            if (mode.equals("async-profiler")) {
                jfr = work.resolve("async-profiler-" + round + ".jfr");
                cmd.add("-agentpath:" + asyncProfiler + "=start,nativemem=0,file=" + jfr);
            }
            cmd.addAll(List.of("-cp", classPath(), Bench.class.getName()));
            String childMode = mode.equals("memtrack-idle") || mode.equals("memtrack") ? mode : "plain";
            cmd.addAll(o.childArgs(childMode));

            ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
            long t0 = System.nanoTime();
            Process p = pb.start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            }
            int rc = p.waitFor();
            long wall = System.nanoTime() - t0;
            String result = lines.stream().filter(l -> l.startsWith("CHILD calls_ns=")).findFirst().orElse(null);
            if (rc != 0 || result == null) {
                throw new IOException("child " + mode + " failed (exit " + rc + "):\n  " + String.join("\n  ", lines));
            }
            String[] parts = result.substring("CHILD calls_ns=".length()).split(" ");
            List<Double> calls = Stream.of(parts[0].split(",")).map(Double::valueOf).toList();
            List<Double> cpu = Stream.of(parts[1].substring("cpu_ns=".length()).split(",")).map(Double::valueOf).toList();
            String note = "";
            if (jfr != null) {
                note = Files.exists(jfr) ? "jfr " + Files.size(jfr) / 1024 + " KiB" : "no jfr written";
                Files.deleteIfExists(jfr);
            }
            if (out != null) {
                try (Stream<Path> s = Files.list(work)) {
                    for (Path f : s.filter(f -> f.getFileName().toString().startsWith("heaptrack-")).toList()) {
                        note = "data " + Files.size(f) / 1024 + " KiB";
                        Files.deleteIfExists(f);
                    }
                }
            }
            if (mode.equals("memtrack")) {
                note = parts.length > 2 ? parts[2] : "";
            }
            double processCpu = lines.stream().filter(l -> l.startsWith("CHILD-TIME ")).findFirst()
                    .map(l -> l.split(" ")).map(f -> (Double.parseDouble(f[2]) + Double.parseDouble(f[3])) * 1e9)
                    .orElse(Double.NaN);
            return new ChildResult(wall, processCpu, calls, cpu, note);
        }

        void cleanup() throws IOException {
            try (Stream<Path> s = Files.walk(work)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    // ---------------------------------------------------------------- main

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        if (o.child != null) {
            System.exit(child(o));
        }
        System.exit(run(o));
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Paths.get("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    static String cpuModel() {
        try (Stream<String> lines = Files.lines(Paths.get("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    static int run(Options o) throws Exception {
        System.out.println("# memtrack benchmarks B1, B5");
        System.out.println("date:    " + ZonedDateTime.now());
        System.out.println("JDK:     " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.home") + ")");
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, " + cpuModel()
                + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version"));
        System.out.println("load:    " + loadAverage() + " (1, 5, 15 min; other processes share these CPUs)");

        BenchNative.load();
        NativeTracker tracker = NativeTracker.instance();
        if (!tracker.isAvailable()) {
            System.out.println("memtrack unavailable: " + tracker.unavailableReason());
            return 2;
        }
        System.out.println("memtrack: " + tracker.status());
        System.out.println("agent:   " + agentIdentity());

        // ---- B5 memory, in a fresh JVM: the live table never shrinks, so this JVM's would already be grown
        B5Memory mem = b5MemoryInChild(o);
        System.out.println("B5 memory (fresh JVM): " + mem.line);

        // ---- B1
        System.out.println("B1 timing: " + o.runs + " runs each after " + o.warmup + " warm-up runs...");
        List<Figures> b1Figures = new ArrayList<>();
        List<List<Double>> b1 = alternate(tracker, () -> b1Call(o.pairs), o.warmup, o.runs, b1Figures);
        long minCount = b1Figures.stream().mapToLong(Figures::allocatedCount).min().orElse(0);
        long maxCount = b1Figures.stream().mapToLong(Figures::allocatedCount).max().orElse(0);
        System.out.println("B1 tracked runs recorded " + minCount + (minCount == maxCount ? "" : "-" + maxCount)
                + " allocations per call (expected " + o.pairs + "); live table now " + tracker.status());

        // ---- B5 time
        System.out.println("B5 timing: " + o.b5Runs + " runs each after 2 warm-up runs...");
        List<List<Double>> b5 = alternate(tracker, () -> b5Call(o.b5Count, o.b5Size), 2, o.b5Runs, null);

        // ---- untracked B1 again, now that B5 has grown the live table to a million entries
        List<Double> b1After = new ArrayList<>();
        List<Double> b1AfterCpu = new ArrayList<>();
        for (int i = 0; i < Math.max(3, o.runs / 3); i++) {
            b1After.add(untracked(() -> b1Call(o.pairs)));
            b1AfterCpu.add(lastCpuNs);
        }
        System.out.println("B1 untracked after B5 grew the live table: " + Stats.of(b1After).ms() + " (before: "
                + Stats.of(b1.get(0)).ms() + "); thread CPU " + Stats.of(b1AfterCpu).ms() + " (before: "
                + Stats.of(b1.get(2)).ms() + "); " + tracker.status());

        // ---- the B1 stack, to show that it is the full merged one
        String stackLine = b1Stack(tracker);
        System.out.println(stackLine);

        // ---- anchors in child JVMs
        Map<String, List<ChildResult>> children = new LinkedHashMap<>();
        Anchors anchors = new Anchors(o);
        try {
            anchors.locate();
            List<String> modes = o.anchors.stream().filter(anchors::enabled).toList();
            if (!modes.isEmpty()) {
                System.out.println("anchors: " + o.anchorRounds + " rounds of " + modes + " (child JVMs: " + o.childWarmup
                        + " warm-up + " + o.childCalls + " timed B1 calls each)"
                        + (anchors.asyncProfiler != null ? "; async-profiler from " + anchors.asyncProfilerSource : ""));
            }
            for (int round = 0; round < o.anchorRounds && !modes.isEmpty(); round++) {
                for (int k = 0; k < modes.size(); k++) {
                    String mode = modes.get((k + round) % modes.size());
                    ChildResult r = anchors.run(mode, round);
                    children.computeIfAbsent(mode, m -> new ArrayList<>()).add(r);
                    System.out.printf(Locale.ROOT, "  round %d %-15s %.2f s whole process (CPU %.2f s), B1 call median %.1f ms (CPU %.1f ms) %s%n",
                            round + 1, mode, r.wallNs / 1e9, r.processCpuNs / 1e9, Stats.of(r.callsNs).median / 1e6,
                            Stats.of(r.cpuNs).median / 1e6, r.note);
                }
            }
        } finally {
            anchors.cleanup();
        }
        anchors.skipped.forEach(s -> System.out.println("skipped anchor " + s));

        // ---- the table
        System.out.println("load:    " + loadAverage() + " at the end");
        System.out.println();
        System.out.printf(Locale.ROOT, "B1 = %,d malloc/free pairs of 64-4096 B, every 10th kept to the end of the call, malloc"
                + " called through 3 native frames under %d recursive Java frames; B5 = %,d blocks of %d B held at once.%n",
                o.pairs, JAVA_DEPTH, o.b5Count, o.b5Size);
        System.out.println();
        String b1Name = "B1";
        System.out.println("| workload | measure | untracked | tracked | ratio | async-profiler nativemem=0 | heaptrack | note |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");

        row(b1Name + ", in-process", "wall", Stats.of(b1.get(0)).ms(), Stats.of(b1.get(1)).ms(),
                ratio(b1.get(1), b1.get(0)), "-", "-", o.runs + " runs each, alternating; target <= 2.0x");
        row(b1Name + ", in-process", "thread CPU", Stats.of(b1.get(2)).ms(), Stats.of(b1.get(3)).ms(),
                ratio(b1.get(3), b1.get(2)), "-", "-", "same runs");
        List<ChildResult> plain = children.get("plain");
        List<ChildResult> mt = children.get("memtrack");
        if (plain != null && mt != null) {
            String note = "untracked = memtrack not loaded";
            row(b1Name + ", separate JVMs, per call", "wall", Stats.of(callMedians(plain)).ms(), Stats.of(callMedians(mt)).ms(),
                    ratio(callMedians(mt), callMedians(plain)), anchor(children, "async-profiler", Bench::callMedians),
                    anchor(children, "heaptrack", Bench::callMedians),
                    note + "; median of each JVM's " + o.childCalls + " calls, " + o.anchorRounds + " JVMs each");
            row(b1Name + ", separate JVMs, per call", "thread CPU", Stats.of(cpuMedians(plain)).ms(), Stats.of(cpuMedians(mt)).ms(),
                    ratio(cpuMedians(mt), cpuMedians(plain)), anchor(children, "async-profiler", Bench::cpuMedians),
                    anchor(children, "heaptrack", Bench::cpuMedians), "same calls; heaptrack's helper process not included");
            row(b1Name + ", separate JVMs, whole process", "wall", Stats.of(walls(plain)).seconds(), Stats.of(walls(mt)).seconds(),
                    ratio(walls(mt), walls(plain)), anchor(children, "async-profiler", Bench::walls),
                    anchor(children, "heaptrack", Bench::walls),
                    note + "; JVM start + " + (o.childWarmup + o.childCalls) + " calls");
            if (!processCpu(plain).isEmpty()) {
                row(b1Name + ", separate JVMs, whole process", "CPU user+sys", Stats.of(processCpu(plain)).seconds(),
                        Stats.of(processCpu(mt)).seconds(), ratio(processCpu(mt), processCpu(plain)),
                        anchor(children, "async-profiler", Bench::processCpu), anchor(children, "heaptrack", Bench::processCpu),
                        "same processes; heaptrack's helper processes included");
            }
        }
        String b5Name = "B5";
        row(b5Name + ", hold + free, in-process", "wall", Stats.of(b5.get(0)).ms(), Stats.of(b5.get(1)).ms(),
                ratio(b5.get(1), b5.get(0)), "-", "-", o.b5Runs + " runs each, alternating");
        row(b5Name + ", hold + free, in-process", "thread CPU", Stats.of(b5.get(2)).ms(), Stats.of(b5.get(3)).ms(),
                ratio(b5.get(3), b5.get(2)), "-", "-", "same runs");
        System.out.printf(Locale.ROOT, "| %s, fresh JVM | tracker memory per live allocation | - | %.1f B | - | - | - | target <= 48 B; %d live entries at the high point |%n",
                b5Name, mem.bytesPerLive, mem.liveEntries);
        System.out.println();
        System.out.println("Times: median (min-max). Ratios: median tracked / median untracked (min-max of the paired ratios)."
                + " In-process untracked runs have memtrack's hooks installed but not recording. Anchor ratios are against the"
                + " JVM without memtrack, in the row's measure. On a loaded machine trust the CPU-time ratios: wall times"
                + " include waiting for a CPU.");
        if (children.containsKey("memtrack-idle") && plain != null) {
            List<ChildResult> idle = children.get("memtrack-idle");
            System.out.printf(Locale.ROOT, "memtrack loaded but idle vs not loaded: per B1 call %s wall, %s thread CPU;"
                            + " whole process %s wall, %s CPU%n",
                    ratio(callMedians(idle), callMedians(plain)).ratio(), ratio(cpuMedians(idle), cpuMedians(plain)).ratio(),
                    ratio(walls(idle), walls(plain)).ratio(),
                    processCpu(plain).isEmpty() ? "n/a" : ratio(processCpu(idle), processCpu(plain)).ratio());
        }
        return 0;
    }

    private static void row(String workload, String measure, String untracked, String tracked, Stats ratio,
                            String asyncProfiler, String heaptrack, String note) {
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", workload, measure, untracked, tracked,
                ratio.ratio(), asyncProfiler, heaptrack, note);
    }

    /** The anchor's ratio against the plain JVMs in one measure, or n/a when it did not run. */
    private static String anchor(Map<String, List<ChildResult>> children, String mode,
                                 java.util.function.Function<List<ChildResult>, List<Double>> measure) {
        List<ChildResult> rs = children.get(mode);
        List<Double> plain = measure.apply(children.get("plain"));
        List<Double> values = rs == null ? List.of() : measure.apply(rs);
        return values.isEmpty() || plain.isEmpty() ? "n/a" : ratio(values, plain).ratio();
    }

    private static List<Double> processCpu(List<ChildResult> rs) {
        return rs == null ? List.of() : rs.stream().map(ChildResult::processCpuNs).filter(d -> !d.isNaN()).toList();
    }

    private static List<Double> cpuMedians(List<ChildResult> rs) {
        return rs == null ? List.of() : rs.stream().map(r -> Stats.of(r.cpuNs).median).toList();
    }

    private static List<Double> walls(List<ChildResult> rs) {
        return rs == null ? List.of() : rs.stream().map(ChildResult::wallNs).toList();
    }

    private static List<Double> callMedians(List<ChildResult> rs) {
        return rs == null ? List.of() : rs.stream().map(r -> Stats.of(r.callsNs).median).toList();
    }

    record B5Memory(double bytesPerLive, long liveEntries, String line) {
    }

    /** Child mode b5-memory: 1M blocks held in one scope; prints tracker memory before and at the high point. */
    static int b5Memory(Options o) {
        NativeTracker tracker = NativeTracker.instance();
        if (!tracker.isAvailable()) {
            System.out.println("CHILD-ERROR memtrack unavailable: " + tracker.unavailableReason());
            return 2;
        }
        long mem0 = tracker.trackerMemory();
        long live0 = tracker.liveEntries();
        long scope = tracker.beginScope();
        int held = BenchNative.b5Hold(o.b5Count, o.b5Size);
        long mem1 = tracker.trackerMemory();
        long live1 = tracker.liveEntries();
        Figures atHigh = tracker.figures(scope);
        BenchNative.b5Release();
        tracker.endScope(scope);
        Figures after = tracker.figures(scope);
        long live2 = tracker.liveEntries();
        tracker.releaseScope(scope);
        System.out.printf(Locale.ROOT, "CHILD b5 %d %d %d %d %d %d %d %d %d %d%n", held, mem0, mem1, live0, live1, live2,
                atHigh.liveCount(), after.allocatedCount(), after.freedCount(), o.b5Size);
        return 0;
    }

    static B5Memory b5MemoryInChild(Options o) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(List.of("-cp", classPath(), Bench.class.getName()));
        cmd.addAll(o.childArgs("b5-memory"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        String line = out.lines().filter(l -> l.startsWith("CHILD b5 ")).findFirst().orElse(null);
        if (rc != 0 || line == null) {
            throw new IOException("B5 memory child failed (exit " + rc + "):\n" + out);
        }
        long[] v = Stream.of(line.substring("CHILD b5 ".length()).split(" ")).mapToLong(Long::parseLong).toArray();
        long held = v[0];
        double perLive = (double) (v[2] - v[1]) / held;
        String text = String.format(Locale.ROOT, "held %d blocks of %d B; tracker memory %d -> %d bytes (+%d, %.1f bytes"
                        + " per live allocation); live entries %d -> %d -> %d after release; scope live count at the high"
                        + " point %d, allocated %d, freed %d",
                held, v[9], v[1], v[2], v[2] - v[1], perLive, v[3], v[4], v[5], v[6], v[7], v[8]);
        return new B5Memory(perLive, v[4] - v[3], text);
    }

    /** Which libmemtrack was benchmarked: sha-256 prefix and size of the bundled or overriding file. */
    static String agentIdentity() {
        try {
            String override = System.getProperty("memtrack.agent.library");
            byte[] bytes;
            String where;
            if (override != null && !override.isBlank()) {
                bytes = Files.readAllBytes(Paths.get(override));
                where = override;
            } else {
                java.net.URL url = NativeTracker.class.getResource("/META-INF/memtrack/native/linux-"
                        + (System.getProperty("os.arch").equals("aarch64") ? "aarch64" : "x86_64") + "/libmemtrack.so");
                if (url == null) {
                    return "?";
                }
                try (InputStream in = url.openStream()) {
                    bytes = in.readAllBytes();
                }
                where = url.toString();
            }
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
            return "libmemtrack.so sha256 " + java.util.HexFormat.of().formatHex(digest).substring(0, 16) + ", "
                    + bytes.length + " bytes, from " + where;
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return "? (" + e + ")";
        }
    }

    /** This JVM's class path with absolute entries: children run in another directory. */
    static String classPath() {
        return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.isEmpty()).map(e -> Paths.get(e).toAbsolutePath().toString())
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    /** The java launcher of this JVM, with the flags a child needs. */
    static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        for (String p : List.of(BenchNative.LIBRARY_PROPERTY, "memtrack.agent.library")) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        return cmd;
    }

    /** A small tracked B1 call; returns a line describing its merged stack. */
    static String b1Stack(NativeTracker tracker) {
        long scope = tracker.beginScope();
        b1Call(1000);
        tracker.endScope(scope);
        ScopeReport report = tracker.report(scope);
        tracker.releaseScope(scope);
        Site site = report.sites().stream().max(Comparator.comparingLong(Site::allocatedCount)).orElse(null);
        if (site == null) {
            return "B1 stack: no site recorded";
        }
        long nativeFrames = site.frames().stream().filter(f -> f.kind() == Frame.Kind.NATIVE).count();
        long javaFrames = site.frames().stream().filter(Frame::isJava).count();
        String names = site.frames().stream().map(f -> (f.isJava() ? shortJava(f.symbol()) : f.symbol())
                        + (f.kind() == Frame.Kind.NATIVE && f.line() > 0 ? " (" + f.file() + ":" + f.line() + ")" : ""))
                .collect(Collectors.joining(" <- "));
        return String.format(Locale.ROOT, "B1 stack (%d sites, top site %d allocations): %d native + %d Java frames: %s",
                report.sites().size(), site.allocatedCount(), nativeFrames, javaFrames, names);
    }

    private static String shortJava(String symbol) {
        int dot = symbol.lastIndexOf('.', symbol.lastIndexOf('.') - 1);
        return dot < 0 ? symbol : symbol.substring(dot + 1);
    }
}
