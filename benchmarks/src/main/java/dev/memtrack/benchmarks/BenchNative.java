package dev.memtrack.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * The JNI workloads in libmtbench.so (benchmarks/native/mtbench.c). Single-threaded: the library
 * keeps its blocks in one static array.
 */
final class BenchNative {

    /** System property naming a libmtbench.so to load instead of the one in the jar. */
    static final String LIBRARY_PROPERTY = "memtrack.bench.library";

    private static boolean loaded;

    private BenchNative() {
    }

    /**
     * B1: {@code pairs} malloc/free pairs of 64..4096 bytes (a fixed sequence per seed), every
     * 10th block kept until the end of the call; malloc is called through b1_outer -> b1_middle
     * -> b1_inner. Returns the bytes allocated, or -1 when malloc failed.
     */
    static native long b1(int pairs, int seed);

    /** B5: allocates {@code count} blocks of {@code size} bytes and holds them; returns the number held. */
    static native int b5Hold(int count, int size);

    /** B5: frees every held block; returns how many. */
    static native int b5Release();

    static synchronized void load() throws IOException {
        if (loaded) {
            return;
        }
        String override = System.getProperty(LIBRARY_PROPERTY);
        if (override != null && !override.isBlank()) {
            System.load(Paths.get(override).toAbsolutePath().toString());
        } else {
            String arch = System.getProperty("os.arch", "?").toLowerCase(Locale.ROOT);
            String cpu = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
            String resource = "/META-INF/memtrack/bench/linux-" + cpu + "/libmtbench.so";
            Path dir = Files.createTempDirectory("mtbench-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = dir.resolve("libmtbench.so");
            try (InputStream in = BenchNative.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("no " + resource + " on the class path; build the benchmarks module"
                            + " (mvn -pl benchmarks -am package) or set -D" + LIBRARY_PROPERTY + "=...");
                }
                Files.copy(in, file);
            }
            System.load(file.toString());
            // kept until exit: memtrack's symbolizer (and perf) read the file for symbols and file:line
            dir.toFile().deleteOnExit();
            file.toFile().deleteOnExit();
        }
        loaded = true;
    }
}
