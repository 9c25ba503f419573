package dev.memtrack.internal.junit;

import dev.memtrack.internal.report.CaptureSink;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Attaches a test's capture and HTML report to the test through JUnit's file-publishing API
 * (JUnit 5.12 and later: {@code ExtensionContext.publishDirectory}), so that tools which show a
 * test's attachments show memtrack's: the capture, and the HTML report when one was written. The
 * files stay where memtrack wrote them; JUnit gets hard links to them (copies where the output
 * directory is on another file system), in a {@code memtrack} directory of the test's own output
 * directory, so attaching does not double the disk a report takes. On an older JUnit, or when
 * the launcher has no output directory, nothing is attached and that is said once in the log:
 * the report entry {@code memtrack.report} still names the report.
 */
final class FileAttachments {

    private static final Logger LOG = Logger.getLogger("dev.memtrack");
    static final String DIRECTORY = "memtrack";

    /** A fact of the JUnit on the class path: the same for every launcher of this JVM. */
    private static final AtomicBoolean apiMissing = new AtomicBoolean();
    /**
     * Whether this launcher was told that attaching failed, kept in the root store: whether a
     * launcher has an output directory is its own (EngineTestKit's has none by default), so each
     * launcher says it once.
     */
    private static final String FAILURE_SAID = "attachmentFailureSaid";

    private FileAttachments() {
    }

    /** Unique per JVM: the fallback directory name when {@link #DIRECTORY} is left over from an earlier run. */
    static final String RERUN_DIRECTORY = DIRECTORY + "-" + Long.toString(System.currentTimeMillis(), 36)
            + "-" + ProcessHandle.current().pid();

    static void attach(ExtensionContext context, CaptureSink.WrittenFiles files) {
        if (apiMissing.get()) {
            return;
        }
        try {
            try {
                publish(context, DIRECTORY, files);
            } catch (RuntimeException e) {
                if (!causedBy(e, FileAlreadyExistsException.class)) {
                    throw e;
                }
                // JUnit 5.12 creates the published directory without checking for one left by an
                // earlier run (a re-run without `mvn clean`): publish under a name unique to this JVM.
                publish(context, RERUN_DIRECTORY, files);
            }
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            if (!apiMissing.getAndSet(true)) {
                LOG.fine("memtrack: this JUnit has no file-publishing API (JUnit 5.12+); reports are not attached to tests");
            }
        } catch (RuntimeException e) {
            if (!failureSaid(context).getAndSet(true)) {
                LOG.info("memtrack: could not attach the report of " + context.getDisplayName()
                        + " to the test (said once; the report itself was written): " + rootCause(e));
                LOG.log(Level.FINE, "memtrack: the attachment failure in full", e);
            }
        }
    }

    @SuppressWarnings("deprecation") // computeIfAbsent, its replacement, is JUnit 5.13+; memtrack supports 5.10+
    private static AtomicBoolean failureSaid(ExtensionContext context) {
        return context.getRoot().getStore(MemoryTrackingExtension.NAMESPACE)
                .getOrComputeIfAbsent(FAILURE_SAID, key -> new AtomicBoolean(), AtomicBoolean.class);
    }

    private static void publish(ExtensionContext context, String name, CaptureSink.WrittenFiles files) {
        context.publishDirectory(name, directory -> {
            if (files.htmlWritten()) {
                link(files.html(), directory);
            }
            link(files.capture(), directory);
        });
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** A hard link to the file (memtrack replaces its files by renaming, so a link keeps what was attached). */
    private static void link(Path file, Path directory) throws IOException {
        Path target = directory.resolve(file.getFileName().toString());
        Files.deleteIfExists(target);
        try {
            Files.createLink(target, file);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // another file system, or links not allowed: a copy
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
