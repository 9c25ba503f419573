package dev.memtrack.internal.junit;

import static dev.memtrack.internal.junit.EngineRun.assertAllPassed;
import static dev.memtrack.internal.junit.EngineRun.onlyFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.TrackMemory;
import dev.memtrack.internal.report.CaptureWriter;
import dev.memtrack.internal.tracking.FakeNativeTracker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code memtrack.report.json}: which tests get their JSON results beside the capture. */
class ReportJsonEngineTests {

    private static FakeNativeTracker tracker() {
        return FakeNativeTracker.installed();
    }

    @TrackMemory
    static class PassesTestCase {
        @Test
        void passes() {
            tracker().malloc(4096, Stacks.at(PassesTestCase.class, "passes", 30));
        }
    }

    static class LeaksTestCase {
        @Test
        @TrackMemory(nativeLeakLimit = "0")
        void leaks() {
            tracker().malloc(1_999_993, Stacks.at(LeaksTestCase.class, "leaks", 38));
        }
    }

    @TempDir
    Path reports;

    private EngineRun run() {
        return EngineRun.with(FakeNativeTracker.available(), null).configuration(ConfigurationReader.REPORT_DIR, reports.toString());
    }

    private Path results(Class<?> testClass, String method) {
        Path capture = CaptureWriter.files(reports.toAbsolutePath().normalize(), testClass.getName(), method).capture();
        return capture.resolveSibling(method + ".json");
    }

    @Test
    void byDefaultAFailingTestGetsItsResultsAndAPassingOneDoesNot() throws IOException {
        Path stale = results(PassesTestCase.class, "passes");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "left by an earlier run in which the test failed");

        onlyFailure(run().execute(LeaksTestCase.class));
        assertAllPassed(run().execute(PassesTestCase.class));

        assertThat(Files.readString(results(LeaksTestCase.class, "leaks"), StandardCharsets.UTF_8))
                .startsWith("{\"schema\":\"memtrack-test/1\",")
                .contains("\"verdict\":\"failed\"", "\"native\":{\"peak\":1999993,\"leaked\":1999993,\"leakedAllocations\":1,");
        assertThat(stale).doesNotExist();
    }

    @Test
    void alwaysGivesAPassingTestItsResultsWithoutItsHtmlReport() throws IOException {
        assertAllPassed(run().configuration(ConfigurationReader.REPORT_JSON, "always").execute(PassesTestCase.class));

        assertThat(Files.readString(results(PassesTestCase.class, "passes"), StandardCharsets.UTF_8))
                .contains("\"verdict\":\"passed\"", "\"allocated\":4096");
        assertThat(results(PassesTestCase.class, "passes").resolveSibling("passes.html")).doesNotExist();
    }

    @Test
    void unsetItFollowsTheHtmlReportsChoiceAndNeverWritesNone() {
        assertAllPassed(run().configuration(ConfigurationReader.REPORT_HTML, "always").execute(PassesTestCase.class));
        assertThat(results(PassesTestCase.class, "passes")).isRegularFile();

        onlyFailure(run().configuration(ConfigurationReader.REPORT_JSON, "never").execute(LeaksTestCase.class));
        assertThat(results(LeaksTestCase.class, "leaks")).doesNotExist();
        assertThat(results(LeaksTestCase.class, "leaks").resolveSibling("leaks.html")).isRegularFile();
    }

    @Test
    void anUnknownChoiceIsRefusedNamingTheKey() {
        assertThat(onlyFailure(run().configuration(ConfigurationReader.REPORT_JSON, "yes").execute(PassesTestCase.class))).hasMessage(
                "memtrack configuration parameter memtrack.report.json = 'yes': 'yes' is not a report choice;"
                        + " expected failed, always or never");
    }
}
