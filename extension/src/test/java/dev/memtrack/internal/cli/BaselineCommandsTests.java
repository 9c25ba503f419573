package dev.memtrack.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.baseline.BaselineFile;
import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.report.CaptureWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ReportCli diff} and {@code ReportCli baseline update} on capture files (issue 14). */
class BaselineCommandsTests {

    private static final long MIB = 1L << 20;
    private static final Frame MALLOC = new Frame(Frame.Kind.ALLOCATOR, "malloc", "libc.so.6", "", 0);
    private static final Frame TEST = new Frame(Frame.Kind.JAVA, "com.acme.StoreTest.writesKeys", "", "StoreTest.java", 27);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A test with a steady index site and a block cache site of {@code cacheBytes} at the peak. */
    private static TestCapture capture(String method, long cacheBytes, List<String> failures) {
        List<Frame> index = List.of(MALLOC, new Frame(Frame.Kind.NATIVE, "rocksdb::Index::build", "librocksdbjni.so", "index.cc", 40), TEST);
        // a line moved in the test: matched all the same (sites match by symbols)
        List<Frame> cache = List.of(MALLOC, new Frame(Frame.Kind.NATIVE, "rocksdb::BlockCache::insert", "librocksdbjni.so", "cache.cc",
                (int) (cacheBytes / MIB)), TEST);
        Site indexSite = new Site(Domain.NATIVE, Origin.JNI_LIBRARY, 2 * MIB, 4, 0, 0, 2 * MIB, 4, index);
        Site cacheSite = new Site(Domain.NATIVE, Origin.JNI_LIBRARY, cacheBytes, 8, 0, 0, cacheBytes, 8, cache);
        long total = 2 * MIB + cacheBytes;
        return new TestCapture("id", "com.acme.StoreTest", method, method + "()", 0, 1_000_000,
                List.of(new ScopeReport(Domain.NATIVE, new Figures(total, 12, total, 12, 0, 0, total), List.of(indexSite, cacheSite))),
                List.of(), failures);
    }

    @Test
    void diffRendersTheNewCapturesReportWithAFlameGraphOfWhatGrew() throws IOException {
        Path old = dir.resolve("old.mtcap");
        Path now = dir.resolve("new.mtcap");
        CaptureWriter.writeCapture(capture("writesKeys", 6 * MIB, List.of()), old);
        CaptureWriter.writeCapture(capture("writesKeys", 9 * MIB, List.of()), now);

        assertThat(run("diff", old.toString(), now.toString())).isZero();

        Path html = dir.resolve("new.diff.html");
        assertThat(out()).isEqualTo("""
                native peak 8.0 MiB -> 11.0 MiB (+37.5 %%)
                native allocated 8.0 MiB -> 11.0 MiB (+37.5 %%)
                native leaked 0 B -> 0 B (unchanged)
                Wrote %s
                """.formatted(html));
        String report = Files.readString(html, StandardCharsets.UTF_8);
        assertThat(report).contains("Compared with <code>" + old + "</code>")
                .contains("<h3>native peak: sites grew by 3.0 MiB</h3>")
                .contains("<h3>native allocated: sites grew by 3.0 MiB</h3>")
                .contains("<title>rocksdb::BlockCache::insert [librocksdbjni.so]: +3.0 MiB (6.0 MiB -&gt; 9.0 MiB)</title>")
                .contains("<title>com.acme.StoreTest.writesKeys: +3.0 MiB (6.0 MiB -&gt; 9.0 MiB)</title>")
                .doesNotContain("<title>rocksdb::Index::build");
    }

    @Test
    void diffOfACaptureWithItselfSaysNothingGrew() throws IOException {
        Path capture = dir.resolve("same.mtcap");
        CaptureWriter.writeCapture(capture("writesKeys", 6 * MIB, List.of()), capture);
        Path html = dir.resolve("out").resolve("d.html");

        assertThat(run("diff", capture.toString(), capture.toString(), html.toString())).isZero();

        assertThat(Files.readString(html)).contains("No site grew between the two captures.");
    }

    @Test
    void diffArgumentsAreChecked() {
        assertThat(run("diff", "a.mtcap")).isEqualTo(ReportCli.USAGE);
        assertThat(firstErrorLine()).isEqualTo("memtrack: diff: missing the new capture; expected <old.mtcap> <new.mtcap> [out.html]");
        assertThat(run("diff", dir.resolve("a.mtcap").toString(), "b.mtcap")).isEqualTo(ReportCli.USAGE);
        assertThat(firstErrorLine()).isEqualTo("memtrack: diff: old capture '" + dir.resolve("a.mtcap") + "' does not exist");
    }

    @Test
    void baselineUpdateRebuildsTheFileFromTheCapturesOfPassingTests() throws IOException {
        Path shards = dir.resolve("shards");
        CaptureWriter.write(capture("writesKeys", 6 * MIB, List.of()), shards.resolve("shard-1"));
        CaptureWriter.write(capture("readsKeys", MIB, List.of()), shards.resolve("shard-2"));
        CaptureWriter.write(capture("failsAlready", MIB, List.of("Test leaked ...")), shards.resolve("shard-2"));
        Path json = dir.resolve("module").resolve("memtrack-baseline.json");
        Files.createDirectories(json.getParent().resolve("memtrack-baseline").resolve("old"));
        Files.writeString(json.getParent().resolve("memtrack-baseline").resolve("old").resolve("gone.mtcap"), "stale");

        assertThat(run("baseline", "update", shards.toString(), json.toString())).isZero();

        assertThat(out()).isEqualTo("Wrote " + json + ": 2 tests, captures in " + json.getParent().resolve("memtrack-baseline")
                + " (1 no longer used, deleted)\n  left out: com.acme.StoreTest.failsAlready (failed)\n");
        BaselineFile file = new BaselineFile(json);
        assertThat(file.read().keySet()).containsExactly("com.acme.StoreTest.readsKeys", "com.acme.StoreTest.writesKeys");
        assertThat(file.read().get("com.acme.StoreTest.writesKeys").combined().peak()).isEqualTo(8 * MIB);
        assertThat(file.captureFile("com.acme.StoreTest", "writesKeys")).isRegularFile();
        assertThat(json.getParent().resolve("memtrack-baseline").resolve("old").resolve("gone.mtcap")).doesNotExist();
    }

    @Test
    void baselineArgumentsAreChecked() {
        assertThat(run("baseline", "refresh")).isEqualTo(ReportCli.USAGE);
        assertThat(firstErrorLine()).isEqualTo("memtrack: baseline: unknown subcommand 'refresh'; expected"
                + " 'baseline update <capturesDir> [baseline.json]'");
        assertThat(run("baseline", "update", dir.resolve("nowhere").toString())).isEqualTo(ReportCli.USAGE);
        assertThat(firstErrorLine()).isEqualTo("memtrack: baseline update: captures directory '" + dir.resolve("nowhere")
                + "' does not exist");
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return ReportCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String firstErrorLine() {
        return err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
    }
}
