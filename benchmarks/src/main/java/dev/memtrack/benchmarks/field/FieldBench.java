package dev.memtrack.benchmarks.field;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Workload B6 (the field suite) and B3 (500 trivial tests) of the shared benchmarks.md: test
 * classes over real libraries, run in-process through the JUnit Platform launcher as a build runs
 * them, each class once with {@code @TrackMemory} ({@code X.Tracked}) and once without
 * ({@code X.Untracked}), the two alternating in one JVM (ABBA: round by round the order flips).
 * Measures per class run the wall time, the process's CPU time (JIT, GC and memtrack's threads
 * included) and the bytes left on disk: the report directory ({@code memtrack.report.dir}) and
 * the copies attached through JUnit's file publishing ({@code junit.platform.reporting.output.dir}),
 * divided by the number of tests. Prints medians with min-max and one Markdown table.
 *
 * <pre>
 * mvn -B -pl benchmarks -am package -DskipTests -Pbench -Dbench.main=dev.memtrack.benchmarks.field.FieldBench \
 *     -Dbench.args="--rounds=5" -Dbench.jvmArgs="-Xms1g -Xmx1g"
 * options: --rounds=5 --warmup-rounds=1 --workloads=jdbc,zip,zstd,netty,heap,trivial --dir=target/field-bench
 *          --keep (leave the last run's reports in --dir)
 * </pre>
 *
 * <p>Heap sampling, once a tracked test turned it on, stays on for the process: untracked runs
 * after the first tracked one run with memtrack's agent loaded and idle, as the untracked tests of
 * a partly tracked suite do.
 */
public final class FieldBench {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private static final Map<String, Class<?>[]> WORKLOADS = new LinkedHashMap<>();

    static {
        WORKLOADS.put("jdbc", new Class<?>[] {JdbcSuite.Untracked.class, JdbcSuite.Tracked.class});
        WORKLOADS.put("zip", new Class<?>[] {ZipSuite.Untracked.class, ZipSuite.Tracked.class});
        WORKLOADS.put("zstd", new Class<?>[] {ZstdSuite.Untracked.class, ZstdSuite.Tracked.class});
        WORKLOADS.put("netty", new Class<?>[] {NettySuite.Untracked.class, NettySuite.Tracked.class});
        WORKLOADS.put("heap", new Class<?>[] {HeapSuite.Untracked.class, HeapSuite.Tracked.class});
        WORKLOADS.put("trivial", new Class<?>[] {TrivialSuite.Untracked.class, TrivialSuite.Tracked.class});
    }

    private FieldBench() {
    }

    /** One class run. */
    record Run(long wallNanos, long cpuNanos, long tests, long failed, long reportBytes, long attachedBytes) {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> o = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("option " + arg + ": expected --name=value");
            }
            int eq = arg.indexOf('=');
            o.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
        }
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "5"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup-rounds", "1"));
        List<String> names = List.of(o.getOrDefault("workloads", String.join(",", WORKLOADS.keySet())).split(","));
        for (String name : names) {
            if (!WORKLOADS.containsKey(name)) {
                throw new IllegalArgumentException("--workloads: unknown workload '" + name + "'; expected some of " + WORKLOADS.keySet());
            }
        }
        Path dir = Path.of(o.getOrDefault("dir", "target/field-bench")).toAbsolutePath();
        deleteTree(dir);
        Files.createDirectories(dir);

        header(rounds, warmup);
        Launcher launcher = LauncherFactory.create();
        Map<String, List<Run>> untracked = new LinkedHashMap<>();
        Map<String, List<Run>> tracked = new LinkedHashMap<>();
        for (int round = -warmup; round < rounds; round++) {
            for (String name : names) {
                Class<?>[] classes = WORKLOADS.get(name);
                boolean trackedFirst = Math.floorMod(round, 2) == 1;
                for (int side = 0; side < 2; side++) {
                    boolean isTracked = trackedFirst ? side == 0 : side == 1;
                    Run run = run(launcher, classes[isTracked ? 1 : 0], dir.resolve(name + "-" + (isTracked ? "t" : "u")));
                    System.out.printf(Locale.ROOT, "%s round %d %-8s %-9s wall %8.1f ms  cpu %8.1f ms  tests %d failed %d  disk %,d + %,d B%n",
                            round < 0 ? "warmup" : "", round, name, isTracked ? "tracked" : "untracked",
                            run.wallNanos / 1e6, run.cpuNanos / 1e6, run.tests, run.failed, run.reportBytes, run.attachedBytes);
                    if (round >= 0) {
                        (isTracked ? tracked : untracked).computeIfAbsent(name, k -> new ArrayList<>()).add(run);
                    }
                }
            }
        }
        table(names, untracked, tracked);
        if (!o.containsKey("keep")) {
            deleteTree(dir);
        }
    }

    private static Run run(Launcher launcher, Class<?> testClass, Path dir) throws IOException {
        deleteTree(dir);
        Path reports = dir.resolve("memtrack");
        Path output = dir.resolve("junit");
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(testClass))
                .configurationParameter("memtrack.report.dir", reports.toString())
                .configurationParameter("junit.platform.reporting.output.dir", output.toString())
                .build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        System.gc();
        // the suite summary's console table, printed per class run, would drown the harness's lines
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        long cpu0 = OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        try {
            launcher.execute(request, summary);
        } finally {
            System.setOut(out);
        }
        long wall = System.nanoTime() - t0;
        long cpu = OS.getProcessCpuTime() - cpu0;
        TestExecutionSummary result = summary.getSummary();
        if (result.getTotalFailureCount() > 0) {
            result.getFailures().stream().limit(3).forEach(failure -> System.out.println("  FAILED "
                    + failure.getTestIdentifier().getUniqueId() + ": " + failure.getException()));
        }
        java.util.Set<Object> seen = new java.util.HashSet<>();
        long reportBytes = size(reports, seen);
        // attached copies count only where they take disk of their own (a hard link takes none)
        return new Run(wall, cpu, result.getTestsFoundCount(), result.getTotalFailureCount(), reportBytes, size(output, seen));
    }

    private static void header(int rounds, int warmup) {
        System.out.println("# B6 field suite / B3 trivial tests: in-process JUnit launcher, tracked (@TrackMemory) vs untracked, alternating");
        System.out.println("date: " + java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
        System.out.println("jdk: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + "; heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB max; args " + ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, " + cpuModel() + ", load average " + loadAverage()
                + " (shared with other sessions)");
        System.out.println("rounds: " + rounds + " measured after " + warmup + " warm-up; order flips each round (ABBA)");
    }

    private static void table(List<String> names, Map<String, List<Run>> untracked, Map<String, List<Run>> tracked) {
        System.out.println();
        System.out.println("load average at the end: " + loadAverage());
        System.out.println();
        System.out.println("| workload | tests | untracked wall | tracked wall | wall ratio | untracked CPU | tracked CPU | CPU ratio | added wall per test | disk per tracked test (reports + attached copies' own bytes) |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (String name : names) {
            List<Run> u = untracked.getOrDefault(name, List.of());
            List<Run> t = tracked.getOrDefault(name, List.of());
            if (u.isEmpty() || t.isEmpty()) {
                continue;
            }
            int n = Math.min(u.size(), t.size());
            List<Double> wallRatios = new ArrayList<>();
            List<Double> cpuRatios = new ArrayList<>();
            List<Double> added = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                wallRatios.add((double) t.get(i).wallNanos / u.get(i).wallNanos);
                cpuRatios.add((double) t.get(i).cpuNanos / u.get(i).cpuNanos);
                added.add((t.get(i).wallNanos - u.get(i).wallNanos) / 1e6 / t.get(i).tests);
            }
            long tests = t.get(0).tests;
            long failed = t.stream().mapToLong(Run::failed).sum() + u.stream().mapToLong(Run::failed).sum();
            Run last = t.get(t.size() - 1);
            System.out.printf(Locale.ROOT, "| %s | %d%s | %s | %s | %s | %s | %s | %s | %s | %s + %s B |%n", name, tests,
                    failed > 0 ? " (" + failed + " FAILED)" : "",
                    ms(u, Run::wallNanos), ms(t, Run::wallNanos), ratio(wallRatios),
                    ms(u, Run::cpuNanos), ms(t, Run::cpuNanos), ratio(cpuRatios),
                    String.format(Locale.ROOT, "%.1f ms (%.1f-%.1f)", median(added), Collections.min(added), Collections.max(added)),
                    String.format(Locale.ROOT, "%,d", last.reportBytes / Math.max(1, last.tests)),
                    String.format(Locale.ROOT, "%,d", last.attachedBytes / Math.max(1, last.tests)));
        }
    }

    private static String ms(List<Run> runs, java.util.function.ToLongFunction<Run> figure) {
        List<Double> values = runs.stream().map(r -> figure.applyAsLong(r) / 1e6).toList();
        return String.format(Locale.ROOT, "%.0f ms (%.0f-%.0f)", median(values), Collections.min(values), Collections.max(values));
    }

    private static String ratio(List<Double> ratios) {
        return String.format(Locale.ROOT, "**%.2fx** (%.2f-%.2f)", median(ratios), Collections.min(ratios), Collections.max(ratios));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Bytes of the regular files under {@code dir} not already in {@code seen} (by file key: hard links count once). */
    private static long size(Path dir, java.util.Set<Object> seen) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        long bytes = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                var attributes = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
                Object key = attributes.fileKey() != null ? attributes.fileKey() : file;
                if (attributes.isRegularFile() && seen.add(key)) {
                    bytes += attributes.size();
                }
            }
        }
        return bytes;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Collections.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.2f", OS.getSystemLoadAverage());
    }
}
