package dev.memtrack.internal.agent;

import com.sun.jna.Native;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Finds, extracts and loads libmemtrack once per JVM. The library is copied out of the jar into
 * a fresh owner-only directory (random name) under a content-hashed file name, loaded with
 * System.load (so JNI_OnLoad gets the JavaVM and a JVMTI environment) and bound through JNA;
 * then the file is deleted: the mapping stays valid on Linux.
 */
final class NativeAgentLoader {

    /** System property naming a libmemtrack.so to load instead of the bundled one (development). */
    static final String LIBRARY_PATH_PROPERTY = "memtrack.agent.library";

    /**
     * System property: {@code true} records the JVM's own bookkeeping (JIT, GC, metadata) too.
     * Read once, when the agent loads: it decides how the hooks classify every allocation.
     */
    static final String INCLUDE_JVM_INTERNALS_PROPERTY = "memtrack.native.includeJvmInternals";

    private static final Logger LOG = Logger.getLogger("dev.memtrack");
    private static volatile NativeTracker tracker;
    /** The bound library once loaded with a matching ABI and initialised; null otherwise. */
    private static volatile MemtrackLibrary library;

    private NativeAgentLoader() {
    }

    static NativeTracker tracker() {
        NativeTracker t = tracker;
        if (t == null) {
            synchronized (NativeAgentLoader.class) {
                t = tracker;
                if (t == null) {
                    t = load();
                    tracker = t;
                }
            }
        }
        return t;
    }

    /** The loaded library for the managed-heap tracker (same agent, same scopes); null if unavailable. */
    static MemtrackLibrary library() {
        tracker();
        return library;
    }

    private static NativeTracker load() {
        String platform;
        try {
            platform = platform();
        } catch (UnsupportedOperationException e) {
            return unavailable(e.getMessage());
        }
        try {
            Path library = locate(platform);
            System.load(library.toString());
            MemtrackLibrary lib = Native.load(library.toString(), MemtrackLibrary.class);
            if (System.getProperty(LIBRARY_PATH_PROPERTY) == null) {
                deleteExtracted(library);
            }
            int abi = lib.memtrack_abi_version();
            if (abi != MemtrackLibrary.ABI_VERSION) {
                return unavailable("libmemtrack ABI version " + abi + " does not match the extension's "
                        + MemtrackLibrary.ABI_VERSION + "; use matching memtrack-junit and agent builds");
            }
            boolean includeJvm = Boolean.parseBoolean(System.getProperty(INCLUDE_JVM_INTERNALS_PROPERTY, "false"));
            String error = lib.memtrack_init(includeJvm ? MemtrackLibrary.INIT_INCLUDE_JVM_INTERNAL : 0);
            if (error != null) {
                return unavailable(error);
            }
            warmUp(lib);
            NativeAgentLoader.library = lib;
            return new JnaNativeTracker(lib);
        } catch (IOException | RuntimeException | LinkageError e) {
            return unavailable("libmemtrack could not be loaded: " + e);
        }
    }

    /**
     * JNA resolves an interface method's native function on its first call, allocating as it
     * does; the first scope of the JVM would count those bytes as its own. Calling every
     * function once, outside any scope, keeps that cost out of every test.
     */
    private static void warmUp(MemtrackLibrary lib) {
        long previous = lib.memtrack_thread_attach(0);
        lib.memtrack_thread_scope();
        lib.memtrack_status();
        long scope = lib.memtrack_scope_begin();
        lib.memtrack_thread_attach(0);
        lib.memtrack_scope_figures(scope, new long[MemtrackLibrary.FIGURES_LEN]);
        com.sun.jna.Pointer report = lib.memtrack_scope_report(scope);
        if (report != null) {
            report.getString(0, "UTF-8");
            lib.memtrack_free(report);
        }
        lib.memtrack_scope_end(scope);
        lib.memtrack_scope_release(scope);
        lib.memtrack_process_scope(0);
        lib.memtrack_tracker_memory();
        lib.memtrack_live_entries();
        lib.memtrack_thread_attach(previous);
    }

    private static NativeTracker unavailable(String reason) {
        LOG.warning("memtrack: native memory tracking is off: " + reason
                + ". Managed-heap figures are still measured where possible.");
        return new UnavailableNativeTracker(reason);
    }

    /** linux-x86_64 or linux-aarch64; anything else is refused with the reason. */
    static String platform() {
        String os = System.getProperty("os.name", "?");
        String arch = System.getProperty("os.arch", "?").toLowerCase(Locale.ROOT);
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw new UnsupportedOperationException("memtrack tracks native memory on Linux only (x86-64 and aarch64 with glibc); this is "
                    + os + " on " + arch);
        }
        String cpu = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> throw new UnsupportedOperationException("memtrack supports Linux on x86-64 and aarch64; this CPU is " + arch);
        };
        if (isMusl()) {
            throw new UnsupportedOperationException("memtrack needs glibc; this Linux uses musl libc");
        }
        return "linux-" + cpu;
    }

    private static boolean isMusl() {
        try (var files = Files.list(Paths.get("/lib"))) {
            return files.anyMatch(p -> p.getFileName().toString().startsWith("ld-musl-"));
        } catch (IOException e) {
            return false;
        }
    }

    private static Path locate(String platform) throws IOException {
        String override = System.getProperty(LIBRARY_PATH_PROPERTY);
        if (override != null && !override.isBlank()) {
            Path p = Paths.get(override).toAbsolutePath();
            if (!Files.isRegularFile(p)) {
                throw new IOException("system property " + LIBRARY_PATH_PROPERTY + " names '" + override
                        + "', which is not a file; expected the path of a libmemtrack.so");
            }
            return p;
        }
        String resource = "/META-INF/memtrack/native/" + platform + "/libmemtrack.so";
        byte[] bytes;
        try (InputStream in = NativeAgentLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("this memtrack-junit jar has no native agent for " + platform + " (" + resource + ")");
            }
            bytes = in.readAllBytes();
        }
        Path dir = Files.createTempDirectory("memtrack-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = dir.resolve("libmemtrack-" + sha256(bytes).substring(0, 16) + ".so");
        Files.write(file, bytes);
        return file;
    }

    private static void deleteExtracted(Path library) {
        try {
            Files.deleteIfExists(library);
            Files.deleteIfExists(library.getParent());
        } catch (IOException e) {
            library.toFile().deleteOnExit();
            library.getParent().toFile().deleteOnExit();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
