package dev.memtrack.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.TestCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite summary keeps to this run's captures and prints once per JVM: each "JVM" here is a
 * {@link SuiteSummaryListener} with its own {@link JvmCaptures}, as Surefire forks sharing one
 * report directory would have.
 */
class SuiteRunTests {

    @TempDir
    Path reportDir;

    @Test
    void surefireForksOfOneExecutionShareTheRunIdAndOtherJvmsAreRunsOfTheirOwn() {
        String jar = "/p/target/surefire/surefirebooter-20261204154957641_3.jar /p/target/surefire ";
        String tmp = " surefire-20261204154957641_1tmp surefire_0-20261204154957641_2tmp";
        Optional<Instant> start = Optional.of(Instant.ofEpochMilli(1_700_000_000_123L));

        assertThat(BuildRun.derive(jar + "2026-12-04T15-49-57_332-jvmRun1" + tmp, 11, start))
                .isEqualTo(BuildRun.derive(jar + "2026-12-04T15-49-57_332-jvmRun2" + tmp, 12, start))
                .isEqualTo(BuildRun.derive("org.apache.maven.surefire.booter.ForkedBooter /p/target/surefire"
                        + " 2026-12-04T15-49-57_332-jvmRun7" + tmp, 13, start))
                .isEqualTo("surefire-2026-12-04T15-49-57_332");
        assertThat(BuildRun.derive(jar + "2026-12-04T16-02-11_004-jvmRun1" + tmp, 11, start))
                .isEqualTo("surefire-2026-12-04T16-02-11_004");
        assertThat(BuildRun.derive("/home/u/My Projects/m/target/surefire/surefirebooter-1_3.jar /home/u/My Projects/m/target/surefire"
                + " 2026-12-04T15-49-57_332-jvmRun3" + tmp, 11, start)).isEqualTo("surefire-2026-12-04T15-49-57_332");
        assertThat(BuildRun.derive("com.intellij.rt.junit.JUnitStarter -ideVersion5 -junit5 a.BTest", 4242, start))
                .isEqualTo("jvm-4242-1700000000123");
        assertThat(BuildRun.derive(null, 4242, Optional.empty())).isEqualTo("jvm-4242-0");
        // a surefire booter with an argument that is not the time stamp: this JVM alone
        assertThat(BuildRun.derive(jar + "unexpected" + tmp, 7, start)).isEqualTo("jvm-7-1700000000123");
    }

    @Test
    void aCaptureCarriesItsRunAndOneWrittenBeforeRunsWereMarkedReadsAsUnknown() throws IOException {
        TestCapture capture = CaptureFixtures.leakingTest();
        Path marked = reportDir.resolve("marked.mtcap");
        Path unmarked = reportDir.resolve("unmarked.mtcap");
        CaptureWriter.writeCapture(capture.withRunId("surefire-2026-12-04T15-49-57_332 ü\"x"), marked);
        CaptureWriter.writeCapture(capture, unmarked);

        assertThat(CaptureReader.read(marked)).isEqualTo(capture.withRunId("surefire-2026-12-04T15-49-57_332 ü\"x"));
        assertThat(CaptureReader.read(unmarked).runId()).isEmpty();
    }

    @Test
    void theExtensionsWriterMarksACaptureWithThisJvmsRun() throws IOException {
        CaptureFiles files = CaptureWriter.write(CaptureFixtures.test("com.acme.A", "one", 1, 0, 1), reportDir, false);

        assertThat(CaptureReader.read(files.capture()).runId()).isEqualTo(BuildRun.current()).isNotBlank();
        String command = System.getProperty("sun.java.command", "");
        if (command.contains("surefirebooter") && command.contains("-jvmRun")) { // run by Surefire, as in the build
            assertThat(BuildRun.current()).matches("surefire-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d_\\d+");
        }
    }

    @Test
    void twoJvmsOfOneRunEachPrintTheirPartAndTheIndexHoldsTheWholeRun() throws IOException {
        Jvm first = new Jvm("run-1");
        Jvm second = new Jvm("run-1");
        first.writes(CaptureFixtures.test("com.acme.A", "big", 5L << 20, 0, 6L << 20));
        first.writes(CaptureFixtures.test("com.acme.A", "small", 1024, 0, 2048));
        first.finishes();
        second.writes(CaptureFixtures.leakingTest());
        second.finishes();

        Path index = reportDir.resolve("index.html");
        assertThat(first.printed()).isEqualTo("\nmemtrack suite summary: " + index + "\n"
                + "memtrack: 2 tracked tests, 0 failed a memory verdict. Index: " + index + "\n"
                + "\n"
                + "Highest peaks (native + managed)\n"
                + "    #        Peak      Leaked   Allocated  Test\n"
                + "    1     5.0 MiB         0 B     6.0 MiB  com.acme.A.big\n"
                + "    2     1.0 KiB         0 B     2.0 KiB  com.acme.A.small\n"
                + "\n"
                + "Leaks\n"
                + "  No test leaked.\n"
                + "\n"
                + "Most allocated\n"
                + "    #        Peak      Leaked   Allocated  Test\n"
                + "    1     5.0 MiB         0 B     6.0 MiB  com.acme.A.big\n"
                + "    2     1.0 KiB         0 B     2.0 KiB  com.acme.A.small\n");
        assertThat(second.printed()).isEqualTo("\nmemtrack suite summary: " + index + "\n"
                + "memtrack, this JVM's part of the run: 1 of 3 tracked tests so far, 1 failed a memory verdict"
                + " (1 in the run so far). Index of the run: " + index + "\n"
                + "\n"
                + "Highest peaks (native + managed)\n"
                + "    #        Peak      Leaked   Allocated  Test\n"
                + "    1  <= 7.2 MiB     3.2 MiB    11.2 MiB  com.acme.StoreTest.writesKeys  FAILED\n"
                + "\n"
                + "Leaks\n"
                + "    #        Peak      Leaked   Allocated  Test\n"
                + "    1  <= 7.2 MiB     3.2 MiB    11.2 MiB  com.acme.StoreTest.writesKeys  FAILED\n"
                + "\n"
                + "Most allocated\n"
                + "    #        Peak      Leaked   Allocated  Test\n"
                + "    1  <= 7.2 MiB     3.2 MiB    11.2 MiB  com.acme.StoreTest.writesKeys  FAILED\n"
                + "\n"
                + "<= peak: native peak + managed peak, an upper bound: the capture was written before memtrack recorded"
                + " the combined peak.\n");
        assertThat(Files.readString(index, StandardCharsets.UTF_8))
                .contains("3 tracked tests, 1 failed a memory verdict", ">com.acme.A.big<", ">com.acme.A.small<",
                        ">com.acme.StoreTest.writesKeys<")
                .doesNotContain("Earlier runs");
    }

    @Test
    void capturesOfAnEarlierPartialRunAreSetApartNotRanked() throws IOException {
        Jvm earlier = new Jvm("run-0");
        earlier.writes(CaptureFixtures.leakingTest()); // failed then; not run again
        earlier.writes(CaptureFixtures.test("com.acme.A", "again", 9L << 20, 0, 9L << 20));
        earlier.finishes();
        Jvm now = new Jvm("run-1");
        now.writes(CaptureFixtures.test("com.acme.A", "again", 1024, 0, 1024)); // replaces run-0's capture

        now.finishes();

        Path index = reportDir.resolve("index.html");
        assertThat(now.printed()).isEqualTo("\nmemtrack suite summary: " + index + "\n"
                + "memtrack: 1 tracked test, 0 failed a memory verdict. Index: " + index + "\n"
                + "\n"
                + "Highest peaks (native + managed)\n"
                + "    #        Peak      Leaked   Allocated  Test\n"
                + "    1     1.0 KiB         0 B     1.0 KiB  com.acme.A.again\n"
                + "\n"
                + "Leaks\n"
                + "  No test leaked.\n"
                + "\n"
                + "Most allocated\n"
                + "    #        Peak      Leaked   Allocated  Test\n"
                + "    1     1.0 KiB         0 B     1.0 KiB  com.acme.A.again\n"
                + "\n"
                + "Not in this summary: 1 capture left by earlier runs (tests not run this time), listed apart in the index.\n");
        String html = Files.readString(index, StandardCharsets.UTF_8);
        String rankings = html.substring(0, html.indexOf("<h2>Earlier runs (not in this summary)</h2>"));
        assertThat(rankings).contains("<header class=\"verdict passed\">", "1 tracked test, 0 failed a memory verdict",
                        "1 capture left by earlier runs are listed apart at the end.")
                .doesNotContain("com.acme.StoreTest.writesKeys");
        assertThat(html.substring(rankings.length()))
                .contains("<a href=\"com.acme.StoreTest/writesKeys.html\">com.acme.StoreTest.writesKeys</a></td>"
                        + "<td data-v=\"1700000000000\">2023-11-14T22:13:20Z</td><td class=\"fail\">failed</td>")
                .doesNotContain("com.acme.A.again");
    }

    @Test
    void aJvmThatWroteNothingPrintsNothingAndALaterPlanOfTheSameJvmCountsTheEarlierPlansTests() throws IOException {
        Jvm jvm = new Jvm("run-1");
        jvm.finishes();
        assertThat(jvm.printed()).isEmpty();

        jvm.writes(CaptureFixtures.test("com.acme.A", "first", 1, 0, 1));
        jvm.finishes();
        jvm.writes(CaptureFixtures.test("com.acme.A", "second", 2, 0, 2));
        jvm.output.reset();
        jvm.finishes();

        // a launcher run nested in a test is a plan of its own: it must not take the JVM's tests from the outer plan
        assertThat(jvm.printed()).contains("memtrack: 2 tracked tests, 0 failed a memory verdict.", "com.acme.A.second",
                "com.acme.A.first");
    }

    @Test
    void theConsoleSaysWhichCapturesOfEarlierRunsCountAsStale() throws IOException {
        // a capture written before captures were marked with their run belongs to no run
        CaptureWriter.writeCapture(CaptureFixtures.test("com.acme.Old", "unmarked", 1, 0, 1),
                reportDir.resolve("com.acme.Old").resolve("unmarked.mtcap"));
        Jvm now = new Jvm("run-1");
        now.writes(CaptureFixtures.test("com.acme.A", "one", 1, 0, 1));
        now.finishes();

        assertThat(SuiteSummary.scanRun(reportDir, "run-1").earlierRuns()).extracting(SuiteEntry::testName)
                .containsExactly("com.acme.Old.unmarked");
        assertThat(SuiteSummary.scan(reportDir).entries()).hasSize(2); // ReportCli summary: every capture, as before
    }

    @Test
    void aLinkPlantedAsTheLockFileIsNeverFollowed(@TempDir Path elsewhere) throws IOException {
        Path target = elsewhere.resolve("created-through-the-link");
        Files.createSymbolicLink(reportDir.resolve(SuiteSummaryListener.LOCK_FILE), target);
        Jvm jvm = new Jvm("run-1");
        jvm.writes(CaptureFixtures.test("com.acme.A", "one", 1, 0, 1));

        jvm.finishes(); // logged, not thrown: a summary never fails the run

        assertThat(target).doesNotExist();
        assertThat(jvm.printed()).isEmpty();
        assertThat(reportDir.resolve("index.html")).doesNotExist();
    }

    /** A JVM of a run: writes captures into the shared directory and summarises at the end of each test plan. */
    private final class Jvm {
        final JvmCaptures captures = new JvmCaptures();
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final SuiteSummaryListener listener;
        final String runId;

        Jvm(String runId) {
            this.runId = runId;
            PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
            this.listener = new SuiteSummaryListener(captures, () -> runId, () -> out);
        }

        void writes(TestCapture capture) {
            CaptureFiles files = CaptureWriter.write(capture.withRunId(runId), reportDir, !capture.failures().isEmpty());
            captures.written(reportDir, files.capture());
        }

        void finishes() {
            listener.testPlanExecutionFinished(null);
        }

        String printed() {
            return output.toString(StandardCharsets.UTF_8);
        }
    }
}
