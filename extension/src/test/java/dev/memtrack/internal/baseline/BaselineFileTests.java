package dev.memtrack.internal.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineFileTests {

    @TempDir
    Path dir;

    private static BaselineEntry entry(String test, long bytes) {
        FigureSet figures = new FigureSet(bytes, bytes, 0);
        return new BaselineEntry(test, "memtrack-baseline/" + test + ".mtcap", Optional.of(figures),
                Optional.of(new FigureSet(bytes / 2, bytes, 7)), 262144, figures);
    }

    @Test
    void entriesRoundTripThroughTheFile() throws IOException {
        BaselineFile file = new BaselineFile(dir.resolve("memtrack-baseline.json"));
        List<BaselineEntry> entries = List.of(entry("b.C.z", 1), entry("a.B.m[2]", 4096),
                new BaselineEntry("q.\"Quoted\".m", "", Optional.empty(), Optional.empty(), 0, new FigureSet(0, 0, 0)));

        file.replace(entries);

        assertThat(file.read().values()).containsExactly(entries.get(1), entries.get(0), entries.get(2));
        assertThat(Files.readAllLines(file.path())).hasSize(8).element(3)
                .isEqualTo("    \"a.B.m[2]\": {\"native\": {\"peak\": 4096, \"allocated\": 4096, \"leaked\": 0}, \"managed\": {\"peak\": 2048,"
                        + " \"allocated\": 4096, \"leaked\": 7, \"sampling\": 262144}, \"combined\": {\"peak\": 4096, \"allocated\": 4096,"
                        + " \"leaked\": 0}, \"capture\": \"memtrack-baseline/a.B.m[2].mtcap\"},");
    }

    @Test
    void concurrentWritersMergeAndNeverClobberEachOther() throws Exception {
        Path path = dir.resolve("memtrack-baseline.json");
        int writers = 8;
        int perWriter = 10;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perWriter; i++) {
                    // a new BaselineFile each time, as each test's completion makes one
                    new BaselineFile(path).merge(List.of(entry("w" + writer + ".T.t" + i, i)));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        assertThat(new BaselineFile(path).read()).hasSize(writers * perWriter);
    }

    /** What a Surefire fork does: merges its tests into the shared file. */
    public static void main(String[] args) throws IOException {
        Path path = Path.of(args[0]);
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            new BaselineFile(path).merge(List.of(entry(args[1] + ".T.t" + i, i)));
        }
    }

    @Test
    void forksMergingIntoOneFileAtOnceKeepEveryTest() throws Exception {
        Path path = dir.resolve("memtrack-baseline.json");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> forks = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            forks.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), BaselineFileTests.class.getName(),
                    path.toString(), "fork" + f, "15").inheritIO().start());
        }
        for (Process fork : forks) {
            assertThat(fork.waitFor()).isZero();
        }

        assertThat(new BaselineFile(path).read()).hasSize(45);
    }

    @Test
    void damagedFilesAreOneLineErrorsNamingFileAndLine() throws IOException {
        Path path = dir.resolve("memtrack-baseline.json");
        String valid = "{\n  \"format\": \"memtrack-baseline 1\",\n  \"tests\": {\n    \"a.B.m\": %s\n  }\n}\n";
        String prefix = "memtrack baseline file " + path + ", ";
        String suffix = "; fix the line or record the baseline again (memtrack.baseline.mode=record)";

        assertDamaged(path, valid.formatted("{\"combined\": {\"peak\": 1, \"allocated\": 2}}"),
                prefix + "line 4: a.B.m combined has no \"leaked\"" + suffix);
        assertDamaged(path, valid.formatted("{\"combined\": {\"peak\": -1, \"allocated\": 2, \"leaked\": 0}}"),
                prefix + "line 4: a.B.m combined peak is -1; expected a whole number of bytes, 0 or more" + suffix);
        assertDamaged(path, valid.formatted("{\"combined\": {\"peak\": 1, \"allocated\": 2, \"leaked\": 0}, \"natve\": {}}"),
                prefix + "line 4: test \"a.B.m\" has an unknown member \"natve\"; expected native, managed, combined, capture" + suffix);
        assertDamaged(path, valid.formatted("{\"combined\": {\"peak\": 1, \"allocated\": 2, \"leaked\": 0}").replace("  }\n}\n", ""),
                prefix + "line 5: expected ',' or '}' after a member, found the end of the file" + suffix);
        assertDamaged(path, "{\n  \"format\": \"memtrack-baseline 2\",\n  \"tests\": {}\n}\n",
                prefix + "line 2: \"format\" is \"memtrack-baseline 2\"; expected \"memtrack-baseline 1\" (written by another memtrack version?)"
                        + suffix);
        assertDamaged(path, "<<<<<<< HEAD\n", prefix + "line 1: expected a value, found '<'" + suffix);
    }

    private static void assertDamaged(Path path, String text, String message) throws IOException {
        Files.writeString(path, text);
        assertThatThrownBy(() -> new BaselineFile(path).read()).isInstanceOf(BaselineFormatException.class).hasMessage(message);
    }

    @Test
    void aMissingFileIsAnEmptyBaselineAndTheCapturesGoInADirectoryNamedAfterIt() throws IOException {
        BaselineFile file = new BaselineFile(dir.resolve("perf").resolve("memtrack-baseline.json"));

        assertThat(file.read()).isEmpty();
        assertThat(file.captureDirectory()).isEqualTo(dir.resolve("perf").resolve("memtrack-baseline"));
        assertThat(file.relative(file.captureFile("a.B", "m"))).isEqualTo("memtrack-baseline/a.B/m.mtcap");
    }
}
