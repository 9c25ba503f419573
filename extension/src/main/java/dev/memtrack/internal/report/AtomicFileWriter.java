package dev.memtrack.internal.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import org.apiguardian.api.API;

/**
 * Writes a file so that readers see either the old content or the complete new one: the
 * content goes to a uniquely named temp file in the target's directory, which is then renamed
 * over the target. Parallel tests, Surefire forks and a suite summary scanning the directory
 * therefore never see half-written captures or reports (nor the baseline file its
 * half-merged state).
 */
@API(status = INTERNAL, since = "0.1")
public final class AtomicFileWriter {

    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFileWriter() {
    }

    public static void write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Same directory as the target, so the rename stays on one file system and is atomic.
        // Not Files.createTempFile: it makes the file owner-only, and reports are meant to be shared.
        Path temp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(
                    Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
                content.writeTo(out);
            }
            move(temp, target);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Some file systems (certain network mounts) cannot rename atomically; a plain
            // replace is the best they offer.
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
