package dev.memtrack.internal.agent;

import com.sun.jna.Native;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
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
            Path library = locateOnItsOwnThread(platform);
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
            return new NativeTrackerJna(lib);
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
        return new NativeTrackerUnavailable(reason);
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

    /**
     * {@link #locate} on a short-lived thread of its own. Writing and re-reading the library goes
     * through NIO, whose per-thread cache of temporary direct buffers would otherwise keep a buffer
     * the size of the library (about 700 KiB, until the thread ends) on the thread that first
     * used memtrack — the test's: native memory memtrack left there, and a cache that later
     * spared that test thread's own file reads their allocation (a corpus verdict changed with the
     * agent's size). The JDK frees a thread's cached buffers when the thread ends.
     */
    private static Path locateOnItsOwnThread(String platform) throws IOException {
        Path[] located = new Path[1];
        Throwable[] failed = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                located[0] = locate(platform);
            } catch (Throwable t) {
                failed[0] = t;
            }
        }, "memtrack-agent-extract");
        thread.setDaemon(true);
        thread.start();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // the test's interrupt is the test's: kept for it, not a failed load
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failed[0] instanceof IOException io) {
            throw io;
        }
        if (failed[0] instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failed[0] instanceof Error error) {
            throw error;
        }
        if (failed[0] != null) {
            throw new IOException(failed[0]);
        }
        return located[0];
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
        return extract(bytes, Paths.get(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Writes the library into a new directory under {@code tmpRoot} that only this user can
     * enter, and returns its path once its content is verified. Nothing another local user could
     * have planted is used: the directory is created fresh (random name, mkdir fails on an
     * existing one), checked to be a real directory owned by us with mode 0700, the file is
     * created exclusively (O_EXCL: a planted file or symlink fails the write instead of being
     * followed) and its content re-read and compared with the SHA-256 it is named after.
     */
    static Path extract(byte[] bytes, Path tmpRoot) throws IOException {
        Path dir = Files.createTempDirectory(tmpRoot, "memtrack-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        requirePrivate(dir);
        return writeVerified(dir, bytes);
    }

    /** Creates {@code libmemtrack-<sha256 prefix>.so} in {@code dir} exclusively, then verifies it. */
    static Path writeVerified(Path dir, byte[] bytes) throws IOException {
        String hash = sha256(bytes);
        Path file = dir.resolve("libmemtrack-" + hash.substring(0, 16) + ".so");
        Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        verify(file, hash);
        return file;
    }

    /** A real directory (not a symlink), owned by this user, mode exactly 0700. */
    static void requirePrivate(Path dir) throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        // /proc/self belongs to the process's effective user (user.name may be unset in containers)
        String me = Files.getOwner(Paths.get("/proc/self")).getName();
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rwx------");
        if (!attrs.isDirectory() || !attrs.permissions().equals(ownerOnly) || !attrs.owner().getName().equals(me)) {
            throw new IOException("refusing to extract the native agent into " + dir + ": it must be a directory owned by "
                    + me + " with mode rwx------ but is " + (attrs.isSymbolicLink() ? "a symbolic link"
                    : (attrs.isDirectory() ? "a directory" : "a file") + " owned by " + attrs.owner().getName()
                    + " with mode " + PosixFilePermissions.toString(attrs.permissions())));
        }
    }

    /** The file's content now (what System.load maps) has the SHA-256 it was written with. */
    static void verify(Path file, String expectedSha256) throws IOException {
        String actual = sha256(Files.readAllBytes(file));
        if (!actual.equals(expectedSha256)) {
            throw new IOException("refusing to load " + file + ": its SHA-256 is " + actual + " but the bundled agent's is "
                    + expectedSha256 + " (the file changed after it was written)");
        }
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

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
