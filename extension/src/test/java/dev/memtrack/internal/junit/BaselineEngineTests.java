package dev.memtrack.internal.junit;

import static dev.memtrack.internal.junit.EngineRun.assertAllPassed;
import static dev.memtrack.internal.junit.EngineRun.failureOf;
import static dev.memtrack.internal.junit.EngineRun.onlyFailure;
import static dev.memtrack.internal.junit.EngineRun.reportEntries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.memtrack.TrackMemory;
import dev.memtrack.internal.baseline.BaselineRunLog;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.tracking.FakeManagedTracker;
import dev.memtrack.internal.tracking.FakeNativeTracker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

/**
 * Baselines (issue 14) through the Jupiter engine, with a fake tracker and the real report
 * writer: record, then check within and beyond tolerance, new and gone tests, the diff flame graph
 * in the report, a damaged file and bad configuration.
 */
class BaselineEngineTests {

    private static final String FIXTURE = GrowingTestCase.class.getName();
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    private Path baseline;
    private Path reports;

    @BeforeEach
    void setUp() {
        baseline = dir.resolve("memtrack-baseline.json");
        reports = dir.resolve("reports");
        BaselineRunLog.drain();
        GrowingTestCase.grownBytes = 9 * MIB;
    }

    /** A stable 1 MiB site and a growing one; both freed, so nothing leaks. */
    @TrackMemory
    static class GrowingTestCase {
        static volatile long grownBytes;

        @Test
        void grows() {
            FakeNativeTracker tracker = FakeNativeTracker.installed();
            long steady = tracker.malloc(MIB, stack("fixture_steady_buffer", "grows", 70));
            long grown = tracker.malloc(grownBytes, stack("fixture_grow_cache", "grows", 71));
            tracker.free(grown);
            tracker.free(steady);
        }

        @Test
        void goneLater() {
            FakeNativeTracker.installed().free(FakeNativeTracker.installed().malloc(4096, stack("fixture_small", "goneLater", 80)));
        }

        @Test
        void isNew() {
            FakeNativeTracker.installed().free(FakeNativeTracker.installed().malloc(8192, stack("fixture_small", "isNew", 90)));
        }

        private static List<Frame> stack(String function, String method, int line) {
            List<Frame> frames = new ArrayList<>();
            frames.add(new Frame(Frame.Kind.ALLOCATOR, "malloc", "libc.so.6", "", 0));
            frames.add(new Frame(Frame.Kind.NATIVE, function, "libfixture.so", "fixture.c", 30));
            frames.add(new Frame(Frame.Kind.JAVA, GrowingTestCase.class.getName() + "." + method, "", "BaselineEngineTests.java", line));
            frames.add(new Frame(Frame.Kind.JAVA, "java.lang.reflect.Method.invoke", "", "Method.java", 569));
            return frames;
        }
    }

    private EngineRun run(String mode) {
        return EngineRun.with(FakeNativeTracker.available(), null)
                .configuration(ConfigurationReader.REPORT_DIR, reports.toString())
                .configuration(ConfigurationReader.BASELINE_MODE, mode)
                .configuration(ConfigurationReader.BASELINE_FILE, baseline.toString());
    }

    private EngineExecutionResults record() {
        EngineExecutionResults results = run("record").execute(selectMethod(GrowingTestCase.class, "grows"),
                selectMethod(GrowingTestCase.class, "goneLater"));
        assertAllPassed(results);
        BaselineRunLog.drain();
        return results;
    }

    @Test
    void recordWritesOneTestPerLineSortedWithTheCaptureBesideTheFile() throws IOException {
        EngineExecutionResults results = record();

        assertThat(Files.readString(baseline, StandardCharsets.UTF_8)).isEqualTo("""
                {
                  "format": "memtrack-baseline 1",
                  "tests": {
                    "%1$s.goneLater": {"native": {"peak": 4096, "allocated": 4096, "leaked": 0}, \
                "combined": {"peak": 4096, "allocated": 4096, "leaked": 0}, "capture": "memtrack-baseline/%1$s/goneLater.mtcap"},
                    "%1$s.grows": {"native": {"peak": 10485760, "allocated": 10485760, "leaked": 0}, \
                "combined": {"peak": 10485760, "allocated": 10485760, "leaked": 0}, "capture": "memtrack-baseline/%1$s/grows.mtcap"}
                  }
                }
                """.formatted(FIXTURE));
        assertThat(dir.resolve("memtrack-baseline").resolve(FIXTURE).resolve("grows.mtcap")).isRegularFile();
        assertThat(reportEntries(results)).containsEntry("memtrack.baseline", "recorded into " + baseline);
    }

    @Test
    void aRunWithinToleranceThenOneNeeding30PercentMoreNativeMemoryFailsNamingBothFigures() throws IOException {
        record();

        GrowingTestCase.grownBytes = 9 * MIB + MIB / 2; // 10.5 MiB in all: +5 %
        EngineExecutionResults within = run("check").execute(selectMethod(GrowingTestCase.class, "grows"));
        assertAllPassed(within);
        assertThat(reportEntries(within)).containsEntry("memtrack.baseline", "within tolerance of " + baseline);

        GrowingTestCase.grownBytes = 12 * MIB; // 13 MiB in all: +30 %
        EngineExecutionResults grown = run("check")
                .configuration("memtrack.baseline.tolerance.allocated", "50%")
                .execute(selectMethod(GrowingTestCase.class, "grows"));

        Path report = reports.resolve(FIXTURE).resolve("grows.html");
        assertThat(failureOf(grown, "grows"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessage("Test grew beyond its memory baseline in 1 figure (" + baseline + ")\n"
                        + "  native peak 13.0 MiB, baseline 10.0 MiB (+30 %, tolerance 10 %)\n"
                        + "\n"
                        + "  Diff flame graph of what grew: " + report)
                .satisfies(e -> {
                    AssertionFailedError failure = (AssertionFailedError) e;
                    assertThat(failure.getExpected().getStringRepresentation()).isEqualTo("native peak 10.0 MiB");
                    assertThat(failure.getActual().getStringRepresentation()).isEqualTo("native peak 13.0 MiB");
                });
        assertThat(reportEntries(grown)).containsEntry("memtrack.baseline", "grew beyond tolerance of " + baseline);
        // the check never writes the baseline
        assertThat(Files.readString(baseline)).contains("\"peak\": 10485760");
    }

    @Test
    void theReportOfAGrownTestShowsTheGrownSiteInADiffFlameGraph() throws IOException {
        record();
        GrowingTestCase.grownBytes = 12 * MIB;

        run("check").execute(selectMethod(GrowingTestCase.class, "grows"));

        String html = Files.readString(reports.resolve(FIXTURE).resolve("grows.html"), StandardCharsets.UTF_8);
        assertThat(html).contains("<section id=\"baseline-diff\">")
                .contains("Compared with <code>memtrack-baseline/" + FIXTURE + "/grows.mtcap</code>")
                .contains("<h3>native peak: sites grew by 3.0 MiB</h3>")
                .contains("<title>fixture_grow_cache [libfixture.so]: +3.0 MiB (9.0 MiB -&gt; 12.0 MiB)</title>")
                .contains("<td>+3.0 MiB</td><td>9.0 MiB</td><td>12.0 MiB</td><td><code>fixture_grow_cache [libfixture.so] &lt;- "
                        + FIXTURE + ".grows</code></td>")
                // the steady site did not grow: not in the graph
                .doesNotContain("<title>fixture_steady_buffer");
        // the failure is in the capture too, as for a breached limit
        assertThat(html).contains("Test grew beyond its memory baseline");
    }

    @Test
    void aNewTestPassesAndIsListedAndATestGoneFromTheRunIsListed() {
        record();

        EngineExecutionResults results = run("check").execute(selectMethod(GrowingTestCase.class, "grows"),
                selectMethod(GrowingTestCase.class, "isNew"));

        assertAllPassed(results);
        assertThat(EngineRun.reportEvents(results)).anySatisfy(event -> assertThat(event.toString()).contains("new: not in " + baseline));
        assertThat(BaselineRunLog.drain()).containsExactly("memtrack baseline: checked 1 test against " + baseline
                + ", 0 grew beyond tolerance\n"
                + "  new, not in the baseline (passed; record to add them):\n"
                + "    " + FIXTURE + ".isNew\n"
                + "  in the baseline but not run (their class ran):\n"
                + "    " + FIXTURE + ".goneLater");
    }

    @Test
    void recordingAgainMergesKeepingTheTestsThatDidNotRun() throws IOException {
        record();
        GrowingTestCase.grownBytes = 12 * MIB;

        assertAllPassed(run("record").execute(selectMethod(GrowingTestCase.class, "isNew"),
                selectMethod(GrowingTestCase.class, "grows")));

        String json = Files.readString(baseline);
        assertThat(json.lines().filter(l -> l.startsWith("    \""))).hasSize(3);
        assertThat(json).contains("\"" + FIXTURE + ".goneLater\": {\"native\": {\"peak\": 4096")
                .contains("\"" + FIXTURE + ".grows\": {\"native\": {\"peak\": 13631488")
                .contains("\"" + FIXTURE + ".isNew\": {\"native\": {\"peak\": 8192");
    }

    @Test
    void aDamagedBaselineFailsWithOneLineNamingTheFileAndTheLine() throws IOException {
        record();
        List<String> lines = new ArrayList<>(Files.readAllLines(baseline));
        lines.set(3, lines.get(3).replace(", \"combined\"", " x \"combined\""));
        Files.write(baseline, lines);

        Throwable reported = onlyFailure(run("check").execute(selectMethod(GrowingTestCase.class, "grows")));
        // judged when JUnit closes the test's store (after @AfterEach): JUnit 5.13+ wraps what a close
        // throws, other than assertion errors, in "Failed to close extension context"
        Throwable failure = reported instanceof ExtensionConfigurationException ? reported : reported.getCause();

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("memtrack baseline file " + baseline + ", line 4: expected ',' or '}' after a member, found 'x';"
                        + " fix the line or record the baseline again (memtrack.baseline.mode=record)");
        assertThat(failure.getMessage()).doesNotContain("\n");
    }

    @Test
    void badBaselineConfigurationFailsNamingTheKeyTheValueAndWhatIsAllowed() {
        assertThat(onlyFailure(run("sometimes").execute(selectMethod(GrowingTestCase.class, "grows"))))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("memtrack configuration parameter memtrack.baseline.mode = 'sometimes': 'sometimes' is not a"
                        + " baseline mode; expected off, record or check");
        assertThat(onlyFailure(run("check").configuration("memtrack.baseline.tolerance.peak", "0.1")
                .execute(selectMethod(GrowingTestCase.class, "grows"))))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("memtrack configuration parameter memtrack.baseline.tolerance.peak = '0.1': '0.1' is not a"
                        + " tolerance; expected a percentage of 0% or more, e.g. \"10%\" or \"2.5%\"");
    }

    /** Heap objects of {@code bytes}, sampled: the managed figures are estimates. */
    @TrackMemory
    static class ManagedGrowingTestCase {
        static volatile long bytes;

        @Test
        void buildsIndex() {
            FakeManagedTracker.installed().allocate(bytes, bytes / 1024, List.of(new Frame(Frame.Kind.JAVA,
                    ManagedGrowingTestCase.class.getName() + ".buildsIndex", "", "BaselineEngineTests.java", 200)), List.of());
        }
    }

    @Test
    void managedEstimatesFailOnlyBeyondTheirSamplingError() throws IOException {
        ManagedGrowingTestCase.bytes = 4 * MIB;
        assertAllPassed(run("record").withManaged(FakeManagedTracker::sampled).execute(ManagedGrowingTestCase.class));
        assertThat(Files.exists(baseline)).isTrue();

        ManagedGrowingTestCase.bytes = 5 * MIB; // +25 %, within three standard errors of sampling at 256 KiB
        assertAllPassed(run("check").withManaged(FakeManagedTracker::sampled).execute(ManagedGrowingTestCase.class));

        ManagedGrowingTestCase.bytes = 40 * MIB;
        EngineExecutionResults grown = run("check").withManaged(FakeManagedTracker::sampled).execute(ManagedGrowingTestCase.class);

        String fixture = ManagedGrowingTestCase.class.getName();
        assertThat(failureOf(grown, "buildsIndex")).hasMessage("Test grew beyond its memory baseline in 2 figures (" + baseline + ")\n"
                + "  managed peak about 40.0 MiB, baseline about 4.0 MiB (+900 %, tolerance 10 %, sampling error ±9.9 MiB)\n"
                + "  managed allocated about 40.0 MiB, baseline about 4.0 MiB (+900 %, tolerance 10 %, sampling error ±9.9 MiB)\n"
                + "\n"
                + "  Diff flame graph of what grew: " + reports.resolve(fixture).resolve("buildsIndex.html"));
        assertThat(Files.readString(baseline)).contains("\"managed\": {\"peak\": 4194304, \"allocated\": 4194304, \"leaked\": 0,"
                + " \"sampling\": 262144}");
    }

    @Test
    void testsWhoseMemoryCannotBeMeasuredAreListedNotPassedSilently() {
        EngineExecutionResults results = EngineRun.with(FakeNativeTracker.unavailable("no agent on this platform"), null)
                .configuration(ConfigurationReader.REPORT_DIR, reports.toString())
                .configuration(ConfigurationReader.BASELINE_MODE, "check")
                .configuration(ConfigurationReader.BASELINE_FILE, baseline.toString())
                .execute(selectMethod(GrowingTestCase.class, "isNew"));

        assertAllPassed(results);
        assertThat(BaselineRunLog.drain()).containsExactly("memtrack baseline: checked 0 tests against " + baseline
                + ", 0 grew beyond tolerance\n"
                + "  the baseline file does not exist: record it with memtrack.baseline.mode=record\n"
                + "  memory not measured, so not checked:\n"
                + "    " + FIXTURE + ".isNew (no agent on this platform)");
    }

    @Test
    void offByDefaultNeitherReadsNorWritesTheBaseline() throws IOException {
        Files.writeString(baseline, "not json at all");

        EngineExecutionResults results = EngineRun.with(FakeNativeTracker.available(), null)
                .configuration(ConfigurationReader.REPORT_DIR, reports.toString())
                .configuration(ConfigurationReader.BASELINE_FILE, baseline.toString())
                .execute(selectMethod(GrowingTestCase.class, "grows"));

        assertAllPassed(results);
        assertThat(reportEntries(results)).doesNotContainKey("memtrack.baseline");
        assertThat(Files.readString(baseline)).isEqualTo("not json at all");
    }
}
