package dev.memtrack.internal.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteSummaryTests {

    @TempDir
    Path reportDir;

    @Test
    void ranksTestsByPeakLeaksAndAllocations() throws IOException {
        CaptureWriter.write(CaptureFixtures.test("com.acme.A", "small", 1024, 0, 10L << 20), reportDir);
        CaptureWriter.write(CaptureFixtures.test("com.acme.B", "big", 5L << 20, 0, 6L << 20), reportDir);
        CaptureWriter.write(CaptureFixtures.test("com.acme.C", "leaky", 2L << 20, 512, 2L << 20), reportDir);
        CaptureWriter.write(CaptureFixtures.test("com.acme.D", "idle", 0, 0, 0), reportDir);

        List<SuiteEntry> entries = SuiteSummary.scan(reportDir).entries();

        assertThat(SuiteRanking.PEAK.rank(entries, 10)).extracting(SuiteEntry::testName)
                .containsExactly("com.acme.B.big", "com.acme.C.leaky", "com.acme.A.small");
        assertThat(SuiteRanking.LEAKED.rank(entries, 10)).extracting(SuiteEntry::testName).containsExactly("com.acme.C.leaky");
        assertThat(SuiteRanking.ALLOCATED.rank(entries, 2)).extracting(SuiteEntry::testName)
                .containsExactly("com.acme.A.small", "com.acme.B.big");
    }

    @Test
    void thePeakOfATestIsItsCombinedPeakWhereTheCaptureHasIt() throws IOException {
        // native 6 MiB and managed 5 MiB that peaked apart (combined 6 MiB) rank below 8 MiB held at once
        TestCapture apart = withManagedPeak(CaptureFixtures.test("com.acme.A", "apart", 6L << 20, 0, 1), 5L << 20, 6L << 20);
        TestCapture together = CaptureFixtures.test("com.acme.B", "together", 8L << 20, 0, 1);
        TestCapture unknown = withManagedPeak(CaptureFixtures.test("com.acme.C", "unknown", 4L << 20, 0, 1), 3L << 20, -1);
        CaptureWriter.write(apart, reportDir);
        CaptureWriter.write(together, reportDir);
        CaptureWriter.write(unknown, reportDir);

        List<SuiteEntry> entries = SuiteSummary.scan(reportDir).entries();

        assertThat(SuiteRanking.PEAK.rank(entries, 10)).extracting(SuiteEntry::testName, SuiteEntry::peakBytes)
                .containsExactly(tuple("com.acme.B.together", 8L << 20), tuple("com.acme.C.unknown", 7L << 20),
                        tuple("com.acme.A.apart", 6L << 20));
    }

    @Test
    void aPeakWithoutTheCombinedPeakIsMarkedAsTheUpperBoundItIsInIndexAndJson() throws IOException {
        TestCapture apart = withManagedPeak(CaptureFixtures.test("com.acme.A", "apart", 6L << 20, 0, 1), 5L << 20, 6L << 20);
        TestCapture unknown = withManagedPeak(CaptureFixtures.test("com.acme.C", "unknown", 4L << 20, 0, 1), 3L << 20, -1);
        CaptureWriter.write(apart, reportDir);
        CaptureWriter.write(unknown, reportDir);

        SuiteSummary summary = SuiteSummary.scan(reportDir);
        String index = Files.readString(summary.writeIndex());

        assertThat(summary.entries()).extracting(SuiteEntry::testName, SuiteEntry::peakBytes, SuiteEntry::peakUpperBound)
                .containsExactly(tuple("com.acme.A.apart", 6L << 20, false), tuple("com.acme.C.unknown", 7L << 20, true));
        assertThat(index).contains("<td data-v=\"7340032\" title=\"native peak + managed peak, an upper bound: the capture was"
                        + " written before memtrack recorded the combined peak\">≤ 7.0 MiB</td>")
                .contains("<td data-v=\"6291456\">6.0 MiB</td>");
        assertThat(summary.json()).contains("\"peak\":6291456,\"peakExact\":true,").contains("\"peak\":7340032,\"peakExact\":false,");
    }

    private static TestCapture withManagedPeak(TestCapture c, long managedPeak, long combinedPeak) {
        return new TestCapture(c.testId(), c.testClass(), c.testMethod(), c.displayName(), c.startEpochMillis(), c.durationNanos(),
                List.of(c.reports().get(0), new ScopeReport(Domain.MANAGED, new Figures(managedPeak, 1, managedPeak, 1, 0, 0, managedPeak),
                        List.of())),
                c.timeline(), c.failures(), combinedPeak);
    }

    @Test
    void theConsoleTableListsEachRanking() throws IOException {
        CaptureWriter.write(CaptureFixtures.leakingTest(), reportDir);
        CaptureWriter.write(CaptureFixtures.test("com.acme.B", "big", 5L << 20, 0, 6L << 20), reportDir);

        String table = SuiteSummary.write(reportDir);

        assertThat(table).isEqualTo("memtrack: 2 tracked tests, 1 failed a memory verdict. Index: " + reportDir.resolve("index.html") + "\n"
                + "\n"
                + "Highest peaks (native + managed)\n"
                + "    #        Peak      Leaked   Allocated  Test\n"
                + "    1  <= 7.2 MiB     3.2 MiB    11.2 MiB  com.acme.StoreTest.writesKeys  FAILED\n"
                + "    2     5.0 MiB         0 B     6.0 MiB  com.acme.B.big\n"
                + "\n"
                + "Leaks\n"
                + "    #        Peak      Leaked   Allocated  Test\n"
                + "    1  <= 7.2 MiB     3.2 MiB    11.2 MiB  com.acme.StoreTest.writesKeys  FAILED\n"
                + "\n"
                + "Most allocated\n"
                + "    #        Peak      Leaked   Allocated  Test\n"
                + "    1  <= 7.2 MiB     3.2 MiB    11.2 MiB  com.acme.StoreTest.writesKeys  FAILED\n"
                + "    2     5.0 MiB         0 B     6.0 MiB  com.acme.B.big\n"
                // leakingTest() is a capture written before the combined peak was recorded
                + "\n"
                + "<= peak: native peak + managed peak, an upper bound: the capture was written before memtrack recorded"
                + " the combined peak.\n");
    }

    @Test
    void mergesCapturesFromForksAndShardsInSubdirectories() throws IOException {
        CaptureWriter.write(CaptureFixtures.test("com.acme.A", "one", 1, 0, 1), reportDir.resolve("shard-1"));
        CaptureWriter.write(CaptureFixtures.test("com.acme.A", "two", 2, 0, 2), reportDir.resolve("shard-2"));
        CaptureWriter.write(CaptureFixtures.test("com.acme.B", "three", 3, 0, 3), reportDir);

        SuiteSummary summary = SuiteSummary.scan(reportDir);
        Path index = summary.writeIndex();

        assertThat(summary.entries()).extracting(SuiteEntry::testName)
                .containsExactlyInAnyOrder("com.acme.A.one", "com.acme.A.two", "com.acme.B.three");
        assertThat(Files.readString(index, StandardCharsets.UTF_8))
                .contains("<a href=\"shard-1/com.acme.A/one.html\">com.acme.A.one</a>")
                .contains("<a href=\"shard-2/com.acme.A/two.html\">com.acme.A.two</a>")
                .contains("<a href=\"com.acme.B/three.html\">com.acme.B.three</a>");
    }

    @Test
    void theIndexIsSelfContainedAndEncodesLinks() throws IOException {
        CaptureWriter.write(CaptureFixtures.test("com.acme.T", "p[1] ü", 1, 0, 1), reportDir);

        String index = Files.readString(SuiteSummary.scan(reportDir).writeIndex(), StandardCharsets.UTF_8);

        assertThat(index).contains("href=\"com.acme.T/p%5B1%5D_%C3%BC.html\"")
                .contains("<header class=\"verdict passed\">", "1 tracked test, 0 failed a memory verdict")
                .doesNotContain("http://", "https://")
                .doesNotContainPattern("(?i)<script[^>]*\\bsrc\\s*=");
    }

    @Test
    void unreadableCapturesAreListedNotFatal() throws IOException {
        CaptureWriter.write(CaptureFixtures.test("com.acme.A", "ok", 1, 0, 1), reportDir);
        Path bad = Files.writeString(reportDir.resolve("broken.mtcap"), "garbage");

        SuiteSummary summary = SuiteSummary.scan(reportDir);

        assertThat(summary.entries()).hasSize(1);
        assertThat(summary.problems()).containsExactly("Cannot read memtrack capture " + bad
                + ": not a memtrack capture: expected the magic \"MTCAP\" at the start but found \"garba\"");
        assertThat(summary.consoleTable()).endsWith("Skipped 1 unreadable capture:\n  " + summary.problems().get(0) + "\n");
        assertThat(Files.readString(summary.writeIndex())).contains("Unreadable captures");
    }

    @Test
    void rendersTheReportOfACaptureKeptWithoutIt() throws IOException {
        TestCapture capture = CaptureFixtures.leakingTest();
        CaptureFiles files = CaptureWriter.write(capture, reportDir);
        Files.delete(files.html());

        SuiteSummary.write(reportDir);

        assertThat(Files.readString(files.html(), StandardCharsets.UTF_8)).isEqualTo(HtmlReport.render(capture));
    }

    @Test
    void theEndOfRunSummaryLeavesAPassingTestWithoutHtmlUnrenderedAndUnlinked() throws IOException {
        CaptureFiles files = CaptureWriter.write(CaptureFixtures.test("com.acme.A", "passes", 1, 0, 1), reportDir, false);

        SuiteSummary.write(reportDir);

        assertThat(files.capture()).isRegularFile();
        assertThat(files.html()).doesNotExist();
        assertThat(Files.readString(reportDir.resolve("index.html"), StandardCharsets.UTF_8))
                .doesNotContain("href=\"com.acme.A/passes.html\"")
                .contains("ReportCli render com.acme.A/passes.mtcap\">com.acme.A.passes</span>");
    }

    @Test
    void anEmptyDirectorySaysSo() throws IOException {
        String table = SuiteSummary.write(reportDir);

        assertThat(table).contains("memtrack: 0 tracked tests, 0 failed", "No test had a peak.", "No test leaked.", "No test allocated.");
        assertThat(Files.readString(reportDir.resolve("index.html"))).contains("No capture was found in this directory.");
    }
}
