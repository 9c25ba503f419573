package dev.memtrack.internal.baseline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.report.AtomicFileWriter;
import dev.memtrack.internal.report.CaptureReader;
import dev.memtrack.internal.report.CaptureWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * One baseline file and the directory of captures beside it ({@code memtrack-baseline.json} keeps
 * its captures in {@code memtrack-baseline/<testClass>/<testMethod>.mtcap}).
 *
 * <p>Writers merge, never clobber: under a lock (a monitor per file inside the JVM, a file lock
 * across JVMs — Surefire forks), the file is read again, the new entries replace those of the same
 * tests, and the result replaces the file atomically (a temp file renamed over it). Parallel tests
 * and forks recording at once therefore each add their tests. The lock file lives in the temp
 * directory, not beside the baseline, so the module root gets no stray file; CI shards on
 * different machines merge by copying their captures together and running
 * {@code ReportCli baseline update}.
 *
 * <p>Readers see whole files only; {@link #read()} caches the parsed entries per file and
 * re-reads when its size or modification time changed.
 */
@API(status = INTERNAL, since = "0.1")
public final class BaselineFile {

    private static final Map<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final Map<Path, Cached> CACHE = new ConcurrentHashMap<>();

    private final Path file;

    public BaselineFile(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    public Path path() {
        return file;
    }

    /** {@code memtrack-baseline/} for {@code memtrack-baseline.json}: where the captures go. */
    public Path captureDirectory() {
        String name = file.getFileName().toString();
        String base = name.toLowerCase(Locale.ROOT).endsWith(".json") ? name.substring(0, name.length() - 5) : name + ".captures";
        return file.resolveSibling(base);
    }

    /** Where a test's baseline capture goes, as the report writer names captures. */
    public Path captureFile(String testClass, String testMethod) {
        return CaptureWriter.files(captureDirectory(), testClass, testMethod).capture();
    }

    /** How the file refers to a capture: relative to its directory, {@code /} separators. */
    public String relative(Path capture) {
        return file.getParent().relativize(capture.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** The capture an entry came from, when it names one and it exists. */
    public Optional<TestCapture> capture(BaselineEntry entry) throws IOException {
        if (entry.capture().isEmpty()) {
            return Optional.empty();
        }
        Path capture = file.getParent().resolve(entry.capture()).normalize();
        return Files.isRegularFile(capture) ? Optional.of(CaptureReader.read(capture)) : Optional.empty();
    }

    public boolean exists() {
        return Files.isRegularFile(file);
    }

    /**
     * The entries by test name; empty when the file does not exist.
     *
     * @throws BaselineFormatException naming the file and the line when it is damaged
     */
    public SortedMap<String, BaselineEntry> read() throws IOException {
        FileTime modified;
        long size;
        try {
            modified = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        }
        Cached cached = CACHE.get(file);
        if (cached != null && cached.modified.equals(modified) && cached.size == size) {
            return new TreeMap<>(cached.entries);
        }
        SortedMap<String, BaselineEntry> entries = parse();
        CACHE.put(file, new Cached(modified, size, entries));
        return new TreeMap<>(entries);
    }

    private SortedMap<String, BaselineEntry> parse() throws IOException {
        try {
            return BaselineJson.read(file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BaselineFormatException(file, 1, "not UTF-8 text");
        }
    }

    /** Adds or replaces {@code entries}, keeping every other test's entry (see the class comment). */
    public void merge(Collection<BaselineEntry> entries) throws IOException {
        locked(() -> {
            SortedMap<String, BaselineEntry> all = parse();
            entries.forEach(e -> all.put(e.test(), e));
            writeAll(all.values());
        });
    }

    /** Replaces the whole file with {@code entries} ({@code baseline update}). */
    public void replace(Collection<BaselineEntry> entries) throws IOException {
        locked(() -> writeAll(entries));
    }

    private void writeAll(Collection<BaselineEntry> entries) throws IOException {
        String json = BaselineJson.write(entries);
        AtomicFileWriter.write(file, out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            writer.write(json);
            writer.flush();
        });
        CACHE.remove(file);
    }

    private interface Action {
        void run() throws IOException;
    }

    private void locked(Action action) throws IOException {
        // FileLock is per JVM: a second lock on the same file from this JVM throws instead of
        // waiting, so threads of one JVM queue on a monitor first.
        synchronized (JVM_LOCKS.computeIfAbsent(file, f -> new Object())) {
            Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "memtrack-baseline-"
                    + Integer.toHexString((System.getProperty("user.name", "") + file).hashCode()) + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                action.run();
            }
        }
    }

    private record Cached(FileTime modified, long size, SortedMap<String, BaselineEntry> entries) {
    }
}
