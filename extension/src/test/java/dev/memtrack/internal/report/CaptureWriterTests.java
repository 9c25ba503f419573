package dev.memtrack.internal.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memtrack.internal.model.TestCapture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureWriterTests {

    @TempDir
    Path reportDir;

    @Test
    void writesCaptureAndReportUnderClassAndMethod() throws IOException {
        TestCapture capture = CaptureFixtures.leakingTest().withRunId("run-1"); // unmarked ones get this JVM's run

        CaptureFiles files = CaptureWriter.write(capture, reportDir);

        assertThat(files.capture()).isEqualTo(reportDir.resolve("com.acme.StoreTest").resolve("writesKeys.mtcap"));
        assertThat(files.html()).isEqualTo(reportDir.resolve("com.acme.StoreTest").resolve("writesKeys.html"));
        assertThat(CaptureReader.read(files.capture())).isEqualTo(capture);
        assertThat(Files.readString(files.html(), StandardCharsets.UTF_8)).isEqualTo(HtmlReport.render(capture));
        assertThat(files.capture()).hasBinaryContent(CaptureRoundTripTests.encode(capture));
    }

    @Test
    void sanitisesNamesSoTheyStayInsideTheReportDirectory() {
        TestCapture capture = CaptureFixtures.test("../../etc/Evil Class", "add(int, String)[3] / ü", 1, 0, 1);

        CaptureFiles files = CaptureWriter.write(capture, reportDir);

        assertThat(files.capture()).isEqualTo(reportDir.resolve(".._.._etc_Evil_Class").resolve("add_int__String_[3]___ü.mtcap"));
        assertThat(files.capture().normalize()).startsWith(reportDir);
        assertThat(files.html()).exists();
    }

    @Test
    void symlinksPlantedWhereTheFilesGoAreReplacedNeverFollowed(@TempDir Path elsewhere) throws IOException {
        Path victim = Files.writeString(elsewhere.resolve("victim.txt"), "precious");
        CaptureFiles planned = CaptureWriter.files(reportDir, "com.acme.StoreTest", "writesKeys");
        Files.createDirectories(planned.capture().getParent());
        Files.createSymbolicLink(planned.capture(), victim);
        Files.createSymbolicLink(planned.html(), victim);

        CaptureFiles files = CaptureWriter.write(CaptureFixtures.leakingTest(), reportDir);

        assertThat(victim).hasContent("precious");
        assertThat(Files.isSymbolicLink(files.capture())).isFalse();
        assertThat(Files.isSymbolicLink(files.html())).isFalse();
        assertThat(CaptureReader.read(files.capture())).isEqualTo(CaptureFixtures.leakingTest().withRunId(BuildRun.current()));
    }

    @Test
    void thePlannedPathsAreThoseWritten() {
        CaptureFiles planned = CaptureWriter.files(reportDir, "a.B$C", "weird name()[2]");

        CaptureFiles written = CaptureWriter.write(CaptureFixtures.test("a.B$C", "weird name()[2]", 1, 0, 1), reportDir);

        assertThat(written).isEqualTo(planned);
        assertThat(planned.capture().getFileName()).hasToString("weird_name__[2]" + CaptureWriter.CAPTURE_EXTENSION);
    }

    @Test
    void rewritingReplacesTheFilesAndLeavesNoTempFiles() throws IOException {
        CaptureWriter.write(CaptureFixtures.test("a.B", "m", 1, 0, 1), reportDir);
        TestCapture second = CaptureFixtures.test("a.B", "m", 2, 2, 2).withRunId("run-1");

        CaptureFiles files = CaptureWriter.write(second, reportDir);

        assertThat(CaptureReader.read(files.capture())).isEqualTo(second);
        assertThat(filesIn(reportDir)).containsExactlyInAnyOrder(files.capture(), files.html());
    }

    @Test
    void parallelWritersOfTheSameTestNeverLeaveAHalfFile() throws Exception {
        List<TestCapture> captures = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            captures.add(CaptureFixtures.manySites(200 + i, i + 1).withRunId("run-1"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<CaptureFiles>> writes = new ArrayList<>();
            for (TestCapture capture : captures) {
                writes.add(pool.submit(() -> CaptureWriter.write(capture, reportDir)));
                // Readers racing the writers see a complete capture or none at all.
                writes.add(pool.submit(() -> {
                    Path file = ReportFileNames.captureFile(reportDir, "com.acme.ManyTest", "many");
                    if (Files.exists(file)) {
                        assertThat(captures).contains(CaptureReader.read(file));
                    }
                    return null;
                }));
            }
            for (Future<CaptureFiles> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdown();
        }
        Path file = ReportFileNames.captureFile(reportDir, "com.acme.ManyTest", "many");
        assertThat(captures).contains(CaptureReader.read(file));
        assertThat(filesIn(reportDir)).hasSize(2);
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsNamedInTheError() throws IOException {
        Path blocker = Files.writeString(reportDir.resolve("blocker"), "a file, not a directory");

        assertThatThrownBy(() -> CaptureWriter.write(CaptureFixtures.leakingTest(), blocker))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("Cannot write memtrack capture " + blocker.resolve("com.acme.StoreTest").resolve("writesKeys.mtcap"));
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
