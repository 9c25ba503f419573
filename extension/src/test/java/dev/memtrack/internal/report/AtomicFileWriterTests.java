package dev.memtrack.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports and captures are written without following a symlink someone planted at the target
 * name (in a shared report directory): the link is replaced by the file, its target untouched.
 */
class AtomicFileWriterTests {

    @TempDir
    Path dir;

    @Test
    void aSymlinkPlantedAtTheTargetNameIsReplacedNotWrittenThrough() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "someone else's file");
        Path reports = Files.createDirectory(dir.resolve("reports"));
        Path target = reports.resolve("StoreTest.writesKeys.html");
        Files.createSymbolicLink(target, victim);

        AtomicFileWriter.write(target, out -> out.write("<html>report</html>".getBytes(StandardCharsets.UTF_8)));

        assertThat(victim).hasContent("someone else's file");
        assertThat(Files.isSymbolicLink(target)).isFalse();
        assertThat(Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(target).hasContent("<html>report</html>");
        try (var left = Files.list(reports)) {
            assertThat(left).as("no temp file left behind").containsExactly(target);
        }
    }
}
