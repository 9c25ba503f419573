package dev.memtrack.benchmarks;

import dev.memtrack.internal.agent.ManagedTracker;
import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.model.Figures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Workload B2 (shared benchmarks.md): a Java loop allocating 10M small arrays of 32-96 bytes,
 * untracked, tracked in the default sampling mode, and tracked in exact mode (every object).
 *
 * <p>Each mode runs in its own child JVMs (heap sampling is process-wide once enabled), the modes
 * alternating round by round; every child warms up, then times the loop several times. Modes:
 * {@code plain} (memtrack never loaded), {@code native-idle} (only the native agent loaded),
 * {@code idle} (agent and managed tracker loaded, no scope),
 * {@code default} (a scope around each run, default interval), {@code exact} (interval 0), and
 * {@code alternate} (one JVM alternating untracked and tracked runs, for experiments). Prints
 * medians with min-max of wall time and of the process's CPU time (GC and JVMTI threads
 * included; the steadier figure on a loaded machine), and their ratios to {@code plain}.
 *
 * <pre>
 * java -cp benchmarks/target/classes:extension/target/classes:$JNA dev.memtrack.benchmarks.B2ManagedAllocation \
 *      [--count=10000000] [--rounds=3] [--runs=5] [--warmup=3] [--modes=plain,idle,default,exact]
 *      [--interval=BYTES (default mode's interval)] [--exact-count=N (count for exact mode)]
 * </pre>
 */
public final class B2ManagedAllocation {

    /** Keeps the arrays reachable for a moment, so that none can be scalar-replaced. */
    private static final Object[] RING = new Object[1024];

    private B2ManagedAllocation() {
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** CPU time of the whole process during the last {@link #workload} run (GC and JVMTI threads included). */
    static long lastCpuNanos;

    /** The loop: 16-80 byte payloads, i.e. 32-96 byte arrays with their 16-byte header. */
    static long workload(int count) {
        long cpu0 = OS.getProcessCpuTime();
        long wall = loop(count);
        lastCpuNanos = OS.getProcessCpuTime() - cpu0;
        return wall;
    }

    private static long loop(int count) {
        Object[] ring = RING;
        int mask = ring.length - 1;
        int x = 0x9E3779B9;
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            ring[i & mask] = new byte[16 + (x >>> 26)];
        }
        return System.nanoTime() - t0;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        if (o.containsKey("child")) {
            child(o);
            return;
        }
        parent(o);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("count", "10000000");
        o.put("rounds", "3");
        o.put("runs", "5");
        o.put("warmup", "3");
        o.put("modes", "plain,idle,default,exact");
        for (String a : args) {
            String[] kv = a.replaceFirst("^--", "").split("=", 2);
            o.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return o;
    }

    // ---------------------------------------------------------------- child JVM

    private static void child(Map<String, String> o) {
        String mode = o.get("child");
        int count = Integer.parseInt(mode.equals("exact") && o.containsKey("exact-count") ? o.get("exact-count") : o.get("count"));
        int runs = Integer.parseInt(o.get("runs"));
        int warmup = Integer.parseInt(o.get("warmup"));
        NativeTracker nativeTracker = null;
        ManagedTracker managed = null;
        if (mode.equals("native-idle")) {
            nativeTracker = NativeTracker.instance(); // the native agent only: no heap sampling
        } else if (!mode.equals("plain")) {
            nativeTracker = NativeTracker.instance();
            managed = ManagedTracker.instance();
            if (!managed.isAvailable()) {
                throw new IllegalStateException("managed tracking unavailable: " + managed.unavailableReason());
            }
            if (mode.equals("exact")) {
                managed.setSamplingInterval(0);
            } else if (o.containsKey("interval")) {
                managed.setSamplingInterval(Integer.parseInt(o.get("interval")));
            }
        }
        boolean alternate = mode.equals("alternate");
        boolean track = mode.equals("default") || mode.equals("exact") || alternate;
        for (int i = 0; i < warmup + runs; i++) {
            if (alternate) {
                long idle = workload(count);
                if (i >= warmup) {
                    System.out.println("IDLE " + idle + " " + lastCpuNanos);
                }
            }
            long scope = 0;
            if (track) {
                scope = nativeTracker.beginScope();
                managed.meterEnter(scope);
            }
            long nanos = workload(count);
            long cpu = lastCpuNanos;
            if (track) {
                managed.meterExit(scope);
                nativeTracker.endScope(scope);
                Figures f = managed.figures(scope);
                if (i == warmup + runs - 1) {
                    System.out.printf(Locale.ROOT, "FIGURES allocated=%d count=%d peak=%d interval=%d%n", f.allocatedBytes(),
                            f.allocatedCount(), f.peakBytes(), managed.samplingInterval());
                }
                nativeTracker.releaseScope(scope);
            }
            if (i >= warmup) {
                System.out.println("RUN " + nanos + " " + cpu);
            }
        }
    }

    // ---------------------------------------------------------------- parent

    private static void parent(Map<String, String> o) throws IOException, InterruptedException {
        List<String> modes = List.of(o.get("modes").split(","));
        int rounds = Integer.parseInt(o.get("rounds"));
        Map<String, List<Double>> wall = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, String> figures = new LinkedHashMap<>();
        for (String m : modes) {
            wall.put(m, new ArrayList<>());
            cpu.put(m, new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            for (String m : modes) {
                double scale = m.equals("exact") && o.containsKey("exact-count")
                        ? Double.parseDouble(o.get("count")) / Double.parseDouble(o.get("exact-count")) : 1;
                for (String line : runChild(m, o)) {
                    String[] f = line.split(" ");
                    if (f[0].equals("RUN")) {
                        wall.get(m).add(Double.parseDouble(f[1]) * scale);
                        cpu.get(m).add(Double.parseDouble(f[2]) * scale);
                    } else if (f[0].equals("FIGURES")) {
                        figures.put(m, line.substring(8));
                    } else if (!line.isBlank()) {
                        System.err.println("[" + m + "] " + line);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "B2: %s small arrays (32-96 B) per run; JDK %s; %d rounds x %s runs per mode, modes alternating%s%n%n",
                o.get("count"), Runtime.version(), rounds, o.get("runs"),
                o.containsKey("exact-count") ? "; exact mode ran " + o.get("exact-count") + " per run, scaled" : "");
        System.out.printf(Locale.ROOT, "%-8s | %-26s | %-7s | %-26s | %-7s | %s%n", "mode", "wall ms median (min-max)", "ratio",
                "process CPU ms median (min-max)", "ratio", "figures of the last run");
        double plainWall = wall.containsKey("plain") ? median(wall.get("plain")) : Double.NaN;
        double plainCpu = cpu.containsKey("plain") ? median(cpu.get("plain")) : Double.NaN;
        for (String m : modes) {
            System.out.printf(Locale.ROOT, "%-8s | %-26s | %6.2fx | %-26s | %6.2fx | %s%n", m, range(wall.get(m)), median(wall.get(m)) / plainWall,
                    range(cpu.get(m)), median(cpu.get(m)) / plainCpu, figures.getOrDefault(m, ""));
        }
    }

    private static String range(List<Double> v) {
        return String.format(Locale.ROOT, "%.1f (%.1f-%.1f)", median(v) / 1e6, Collections.min(v) / 1e6, Collections.max(v) / 1e6);
    }

    private static List<String> runChild(String mode, Map<String, String> o) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms1g");
        command.add("-Xmx1g");
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        String library = System.getProperty("memtrack.agent.library");
        if (library != null) {
            command.add("-Dmemtrack.agent.library=" + library);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(B2ManagedAllocation.class.getName());
        command.add("--child=" + mode);
        for (Map.Entry<String, String> e : o.entrySet()) {
            if (!e.getKey().equals("modes") && !e.getKey().equals("rounds")) {
                command.add("--" + e.getKey() + "=" + e.getValue());
            }
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("child " + mode + " failed: " + String.join("\n", lines));
        }
        return lines;
    }

    private static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
