package dev.memtrack.internal.junit;

import static dev.memtrack.internal.junit.EngineRun.assertAllPassed;
import static dev.memtrack.internal.junit.EngineRun.failureOf;
import static dev.memtrack.internal.junit.EngineRun.onlyFailure;
import static dev.memtrack.internal.junit.EngineRun.reportEntries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.memtrack.Attribution;
import dev.memtrack.MemoryCapture;
import dev.memtrack.TrackMemory;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.tracking.FakeNativeTracker;
import dev.memtrack.internal.tracking.ReportPaths;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.commons.PreconditionViolationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

/** {@code @TrackMemory} run through the Jupiter engine, with a fake tracker. */
class TrackMemoryEngineTests {

    private static final String REPORTS = "target/memtrack/";
    private static final String SIZE_RULE = "expected a number with an optional unit B, KB, MB, GB, KiB, MiB or GiB"
            + " (1 KB = 1024 B), e.g. \"512B\", \"64KB\", \"1.5GB\"";

    private static FakeNativeTracker tracker() {
        return FakeNativeTracker.installed();
    }

    // ---- tracking without limits --------------------------------------------------------------

    @TrackMemory
    static class AloneTestCase {
        @Test
        void allocates() throws InterruptedException {
            long scratch = tracker().malloc(2L << 20, Stacks.at(AloneTestCase.class, "allocates", 20));
            for (int i = 0; i < 3; i++) {
                tracker().malloc(1L << 20, Stacks.at(AloneTestCase.class, "allocates", 22));
            }
            Thread.sleep(60);
            tracker().awaitTimelineReads(3); // a loaded machine may not have run the sampler yet
            tracker().free(scratch);
        }
    }

    @Test
    void aloneItTracksAndRecordsWithoutFailing() {
        EngineRun run = EngineRun.withFakeTracker();

        EngineExecutionResults results = run.execute(AloneTestCase.class);

        assertAllPassed(results);
        assertThat(reportEntries(results)).containsOnly(
                entry("memtrack.native.peak", "5242880"),
                entry("memtrack.native.leaked", "3145728"),
                entry("memtrack.native.leakedAllocations", "3"),
                entry("memtrack.native.allocated", "5242880"),
                entry("memtrack.native.allocations", "4"),
                // a passing test gets its capture, not the HTML (memtrack.report.html=failed)
                entry("memtrack.report", REPORTS + AloneTestCase.class.getName() + "/allocates.mtcap"));
        TestCapture capture = run.sink.only();
        assertThat(capture.testClass()).isEqualTo(AloneTestCase.class.getName());
        assertThat(capture.testMethod()).isEqualTo("allocates");
        assertThat(capture.failures()).isEmpty();
        assertThat(capture.reports()).singleElement().satisfies(r -> assertThat(r.sites()).hasSize(2));
        assertThat(capture.timeline()).hasSizeGreaterThan(3);
        assertThat(capture.timeline().get(0).offsetMillis()).isZero();
        assertThat(capture.timeline()).last().satisfies(p -> assertThat(p.nativeLiveBytes()).isEqualTo(3L << 20));
        assertThat(capture.durationNanos()).isGreaterThanOrEqualTo(60_000_000L);
        assertThat(run.tracker.calls()).containsSubsequence("begin 1", "end 1", "attach 0", "release 1");
        assertThat(run.tracker.isReleased(1)).isTrue();
    }

    @Test
    void slotsAnotherToolHoldsAreSaidOnEveryTestNeverPassedOverSilently() {
        EngineRun run = EngineRun.withFakeTracker();
        run.tracker.holdSlotsElsewhere("2 import slots of allocation functions held by another tool's hooks could not be chained");

        EngineExecutionResults results = run.execute(AloneTestCase.class);

        assertAllPassed(results);
        assertThat(reportEntries(results)).contains(entry("memtrack.native.partial",
                "2 import slots of allocation functions held by another tool's hooks could not be chained"));
    }

    @Test
    void noWordAboutUnseenSlotsWhenEverySlotIsMemtracks() {
        EngineRun run = EngineRun.withFakeTracker();

        EngineExecutionResults results = run.execute(AloneTestCase.class);

        assertThat(reportEntries(results)).doesNotContainKey("memtrack.native.partial");
    }

    // ---- limits -------------------------------------------------------------------------------

    static class LeakLimitTestCase {
        @Test
        @TrackMemory(nativeLeakLimit = "0")
        void leaks() {
            tracker().malloc(3_333_333, Stacks.at(LeakLimitTestCase.class, "leaks", 27));
        }
    }

    @Test
    void aLeakLimitFailsTheTestWithTheLeakMessage() {
        EngineRun run = EngineRun.withFakeTracker();

        Throwable failure = onlyFailure(run.execute(LeakLimitTestCase.class));

        String expected = """
                Test leaked 3.2 MiB of native memory in 1 allocation (allowed: 0 B)

                  3.2 MiB in 1 allocation allocated at:
                    malloc                                  libc.so.6
                    fixture_alloc                           libfixture.so   fixture.c:12
                    com.example.Library.open(Library.java:40)
                    dev.memtrack.internal.junit.TrackMemoryEngineTests$LeakLimitTestCase.leaks(TrackMemoryEngineTests.java:27)

                  Report: target/memtrack/dev.memtrack.internal.junit.TrackMemoryEngineTests$LeakLimitTestCase/leaks.html""";
        assertThat(failure).isInstanceOf(AssertionFailedError.class).hasMessage(expected);
        AssertionFailedError error = (AssertionFailedError) failure;
        assertThat(error.getExpected().getStringRepresentation()).isEqualTo("0 B");
        assertThat(error.getActual().getStringRepresentation()).isEqualTo("3.2 MiB");
        assertThat(run.sink.only().failures()).containsExactly(expected);
    }

    static class CleanerTestCase {
        @Test
        @TrackMemory(leakLimit = "0")
        void dropsItsBuffer() {
            // like a JNA Memory or a direct buffer nobody keeps: freed by a Cleaner after GC
            tracker().allocateOwned(1L << 20, Stacks.at(CleanerTestCase.class, "dropsItsBuffer", 30));
        }
    }

    @Test
    void memoryThatACleanerFreesAfterTheTestIsNoLeak() {
        EngineExecutionResults results = EngineRun.withFakeTracker().execute(CleanerTestCase.class);

        assertAllPassed(results);
        assertThat(reportEntries(results)).contains(entry("memtrack.native.leaked", "0"), entry("memtrack.native.peak", "1048576"));
    }

    @TrackMemory(peakLimit = "1KB")
    static class PeakLimitTestCase {
        @Test
        @TrackMemory(peakLimit = "1MB")
        void withinItsOwnLimit() {
            tracker().free(tracker().malloc(512 * 1024, Stacks.at(PeakLimitTestCase.class, "withinItsOwnLimit", 49)));
        }

        @Test
        void overTheClassLimit() {
            tracker().free(tracker().malloc(512 * 1024, Stacks.at(PeakLimitTestCase.class, "overTheClassLimit", 50)));
        }
    }

    @Test
    void methodLimitsBeatClassLimits() {
        EngineExecutionResults results = EngineRun.withFakeTracker().execute(PeakLimitTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
        assertThat(failureOf(results, "overTheClassLimit")).hasMessage("""
                Test reached a peak of 512.0 KiB of native memory (allowed: below 1.0 KiB)

                  512.0 KiB in 1 allocation live at the peak, allocated at:
                    malloc                                  libc.so.6
                    fixture_alloc                           libfixture.so   fixture.c:12
                    com.example.Library.open(Library.java:40)
                    dev.memtrack.internal.junit.TrackMemoryEngineTests$PeakLimitTestCase.overTheClassLimit(TrackMemoryEngineTests.java:50)

                  Report: target/memtrack/dev.memtrack.internal.junit.TrackMemoryEngineTests$PeakLimitTestCase/overTheClassLimit.html""");
    }

    @TrackMemory(allocationLimit = "1MB")
    static class BudgetTestCase {
        @Test
        void allocatesTwice() {
            for (int i = 0; i < 2; i++) {
                tracker().free(tracker().malloc(600 * 1024, Stacks.at(BudgetTestCase.class, "allocatesTwice", 60)));
            }
        }
    }

    @Test
    void anAllocationLimitFailsTheTestWithTheBudgetMessage() {
        Throwable failure = onlyFailure(EngineRun.withFakeTracker().execute(BudgetTestCase.class));

        assertThat(failure).hasMessage("""
                Test allocated 1.2 MiB of native memory in 2 allocations (allowed: below 1.0 MiB)

                  1.2 MiB in 2 allocations allocated at:
                    malloc                                  libc.so.6
                    fixture_alloc                           libfixture.so   fixture.c:12
                    com.example.Library.open(Library.java:40)
                    dev.memtrack.internal.junit.TrackMemoryEngineTests$BudgetTestCase.allocatesTwice(TrackMemoryEngineTests.java:60)

                  Report: target/memtrack/dev.memtrack.internal.junit.TrackMemoryEngineTests$BudgetTestCase/allocatesTwice.html""");
    }

    static class SeveralLimitsTestCase {
        @Test
        @TrackMemory(nativePeakLimit = "1KB", nativeLeakLimit = "0")
        void leaksALot() {
            tracker().malloc(4096, Stacks.at(SeveralLimitsTestCase.class, "leaksALot", 70));
        }
    }

    @Test
    void severalBreachedLimitsFailOnceWithTheOthersSuppressed() {
        Throwable failure = onlyFailure(EngineRun.withFakeTracker().execute(SeveralLimitsTestCase.class));

        assertThat(failure).hasMessageStartingWith("Test reached a peak of 4.0 KiB of native memory (allowed: below 1.0 KiB)\n");
        assertThat(failure.getSuppressed()).singleElement()
                .satisfies(s -> assertThat(s).hasMessageStartingWith("Test leaked 4.0 KiB of native memory in 1 allocation (allowed: 0 B)\n"));
    }

    @TrackMemory
    static class DefaultLimitTestCase {
        @Test
        @TrackMemory(leakLimit = "8KB")
        void allowedByItsAnnotation() {
            tracker().malloc(4096, Stacks.at(DefaultLimitTestCase.class, "allowedByItsAnnotation", 80));
        }

        @Test
        void judgedByTheDefault() {
            tracker().malloc(4096, Stacks.at(DefaultLimitTestCase.class, "judgedByTheDefault", 81));
        }
    }

    @Test
    void configurationDefaultsApplyUnlessAnAnnotationSetsTheLimit() {
        EngineExecutionResults results = EngineRun.withFakeTracker()
                .configuration(ConfigurationReader.DEFAULT_LEAK_LIMIT, "0")
                .execute(DefaultLimitTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
        assertThat(failureOf(results, "judgedByTheDefault"))
                .hasMessageStartingWith("Test leaked 4.0 KiB of native memory in 1 allocation (allowed: 0 B)\n");
    }

    // ---- invalid declarations and configuration -------------------------------------------------

    static class BadSizeTestCase {
        @Test
        @TrackMemory(peakLimit = "10 MBs")
        void bar() {
        }
    }

    @TrackMemory(nativeLeakLimit = "-1KB")
    static class BadClassSizeTestCase {
        @Test
        void bar() {
        }
    }

    @Test
    void aMalformedSizeFailsNamingTheElementTheValueAndWhatIsAllowed() {
        EngineRun run = EngineRun.withFakeTracker();

        assertThat(onlyFailure(run.execute(BadSizeTestCase.class)))
                .isInstanceOf(PreconditionViolationException.class)
                .hasMessage("@TrackMemory(peakLimit = \"10 MBs\") on " + BadSizeTestCase.class.getName() + ".bar: '10 MBs' is not a size; "
                        + SIZE_RULE);
        assertThat(onlyFailure(run.execute(BadClassSizeTestCase.class)))
                .hasMessage("@TrackMemory(nativeLeakLimit = \"-1KB\") on " + BadClassSizeTestCase.class.getName()
                        + ": '-1KB' is negative; expected a size of 0 or more, e.g. \"0\", \"512B\", \"64KB\"");
        assertThat(run.tracker.calls()).isEmpty();
    }

    static class ProcessAttributionTestCase {
        @Test
        @TrackMemory(attribution = Attribution.PROCESS)
        void bar() {
        }
    }

    @TrackMemory
    static class TrackedTestCase {
        @Test
        void bar() {
        }
    }

    @Test
    void processWideAttributionRecordsEveryThreadIntoTheTestScope() {
        EngineRun run = EngineRun.withFakeTracker();

        run.execute(ProcessAttributionTestCase.class).testEvents().assertStatistics(stats -> stats.succeeded(1));
        assertThat(run.tracker.calls()).containsSubsequence("process 1", "process 0");
    }

    @Test
    void processWideAttributionIsRefusedWhenTestsRunConcurrently() {
        EngineRun run = EngineRun.withFakeTracker().configuration("junit.jupiter.execution.parallel.enabled", "true");

        assertThat(onlyFailure(run.execute(ProcessAttributionTestCase.class)))
                .hasMessage("memtrack attribution 'process' records every thread and cannot tell concurrent tests apart;"
                        + " it is refused because junit.jupiter.execution.parallel.enabled=true. Use attribution TEST_THREADS"
                        + " (the default) or run tests sequentially.");
        assertThat(onlyFailure(EngineRun.withFakeTracker().configuration("junit.jupiter.execution.parallel.enabled", "true")
                .configuration(ConfigurationReader.ATTRIBUTION, "process").execute(TrackedTestCase.class)))
                .hasMessageStartingWith("memtrack attribution 'process' records every thread");
        assertThat(run.tracker.calls()).isEmpty();
    }

    @TrackMemory
    static class MisplacedAnnotationTestCase {
        @TrackMemory
        void helper() {
        }

        @Test
        void bar() {
        }
    }

    @Test
    void anAnnotationOnANonTestMethodIsAnErrorNamingTheMethod() {
        EngineRun run = EngineRun.withFakeTracker();

        assertThat(onlyFailure(run.execute(MisplacedAnnotationTestCase.class)))
                .isInstanceOf(org.junit.platform.commons.PreconditionViolationException.class)
                .hasMessage("@TrackMemory on " + MisplacedAnnotationTestCase.class.getName() + ".helper() has no effect: it is"
                        + " not a test method. Put @TrackMemory on the test class or on a @Test, @RepeatedTest,"
                        + " @ParameterizedTest, @TestFactory or @TestTemplate method.");
        assertThat(run.tracker.calls()).isEmpty();
    }

    static class ManagedLimitTestCase {
        @Test
        @TrackMemory(managedLeakLimit = "0", managedPeakLimit = "1KB", managedAllocationLimit = "1KB")
        void bar() {
        }
    }

    @Test
    void managedLimitsAreAcceptedAndJudgeNothingWhereTheHeapIsNotMeasured() {
        // the fake native tracker alone measures no heap: managed figures are zero, so the limits hold
        // (ManagedDomainEngineTests judges them with a fake managed tracker)
        EngineRun run = EngineRun.withFakeTracker();

        assertAllPassed(run.execute(ManagedLimitTestCase.class));
    }

    @Test
    void badConfigurationFailsNamingTheKeyTheValueAndWhatIsAllowed() {
        EngineRun run = EngineRun.withFakeTracker().configuration(ConfigurationReader.SETTLE_TIMEOUT, "5 sec");

        assertThat(onlyFailure(run.execute(TrackedTestCase.class)))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("memtrack configuration parameter memtrack.settle.timeout = '5 sec': '5 sec' is not a duration;"
                        + " expected a number of milliseconds, a number with unit ms, s or m (e.g. \"500ms\", \"5s\")"
                        + " or an ISO-8601 duration (e.g. \"PT5S\")");
        assertThat(run.tracker.calls()).isEmpty();
    }

    // ---- switched off, unavailable, broken --------------------------------------------------------

    @Test
    void switchedOffTheAnnotationIsANoOp() {
        EngineRun run = EngineRun.withFakeTracker().configuration(ConfigurationReader.ENABLED, "false");

        EngineExecutionResults results = run.execute(LeakLimitTestCase.class);

        assertAllPassed(results);
        assertThat(reportEntries(results)).isEmpty();
        assertThat(run.tracker.calls()).isEmpty();
        assertThat(run.sink.captures()).isEmpty();
    }

    @Test
    void withoutANativeTrackerTestsPassAndSayWhy() {
        String reason = "memtrack tracks native memory on Linux only (x86-64 and aarch64 with glibc); this is Mac OS X on aarch64";
        EngineRun run = EngineRun.with(FakeNativeTracker.unavailable(reason), RecordingSink.recording());

        EngineExecutionResults results = run.execute(LeakLimitTestCase.class);

        assertAllPassed(results);
        assertThat(reportEntries(results)).containsOnly(entry("memtrack.unavailable", reason));
        assertThat(run.sink.captures()).isEmpty();
    }

    @Test
    void aReportThatCannotBeWrittenFailsTheTestSayingWhy() {
        EngineRun run = EngineRun.with(FakeNativeTracker.available(), RecordingSink.failingWith(new IOException("No space left on device")));

        Throwable failure = EngineRun.unwrapContextClose(onlyFailure(run.execute(TrackedTestCase.class)));

        assertThat(failure).hasMessage("memtrack could not write the capture and report of " + TrackedTestCase.class.getName()
                + ".bar under target/memtrack: java.io.IOException: No space left on device");
    }

    @Test
    void aBrokenTrackerFailsTheTestSayingMemtrackCouldNot() {
        FakeNativeTracker broken = FakeNativeTracker.available().failReportsWith(new IllegalStateException("report buffer truncated"));

        Throwable failure = EngineRun.unwrapContextClose(onlyFailure(EngineRun.with(broken, RecordingSink.recording())
                .execute(TrackedTestCase.class)));

        assertThat(failure).hasMessage("memtrack could not measure " + TrackedTestCase.class.getName()
                + ".bar after it ran: java.lang.IllegalStateException: report buffer truncated");
        assertThat(broken.isReleased(1)).isTrue();
    }

    static class FailingTestCase {
        @Test
        @TrackMemory(nativeLeakLimit = "0")
        void failsOnItsOwn() {
            tracker().malloc(100, Stacks.at(FailingTestCase.class, "failsOnItsOwn", 90));
            throw new IllegalStateException("boom");
        }
    }

    @Test
    void aTestThatFailsOnItsOwnIsRecordedButNotJudged() {
        EngineRun run = EngineRun.withFakeTracker();

        Throwable failure = onlyFailure(run.execute(FailingTestCase.class));

        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessage("boom").hasNoSuppressedExceptions();
        assertThat(run.sink.only().failures()).isEmpty();
        assertThat(run.tracker.isReleased(1)).isTrue();
    }

    @TrackMemory
    static class ReportFilesTestCase {
        static volatile Path plannedReport;
        static volatile Path plannedCapture;

        @Test
        void writesItsFiles(MemoryCapture capture) {
            plannedReport = capture.reportFile();
            plannedCapture = capture.captureFile();
            tracker().malloc(4096, Stacks.here());
        }
    }

    @Test
    void theReportWriterWritesTheFilesThatMessagesAndMemoryCaptureName(@TempDir Path reports) {
        EngineRun run = EngineRun.with(FakeNativeTracker.available(), null)
                .configuration(ConfigurationReader.REPORT_DIR, reports.toString())
                .configuration(ConfigurationReader.REPORT_HTML, "always");

        EngineExecutionResults results = run.execute(ReportFilesTestCase.class);

        assertAllPassed(results);
        assertThat(ReportFilesTestCase.plannedReport).isRegularFile().startsWith(reports);
        assertThat(ReportFilesTestCase.plannedCapture).isRegularFile();
        assertThat(reportEntries(results).get("memtrack.report")).isEqualTo(ReportPaths.display(ReportFilesTestCase.plannedReport));
    }

    @Test
    void aPassingTestGetsItsCaptureAndNoHtmlByDefault(@TempDir Path reports) throws java.io.IOException {
        Path capture = CaptureWriterFiles.capture(reports, ReportFilesTestCase.class, "writesItsFiles");
        java.nio.file.Files.createDirectories(capture.getParent());
        // left by an earlier run in which the test failed: it would show that run's figures
        java.nio.file.Files.writeString(CaptureWriterFiles.html(reports, ReportFilesTestCase.class, "writesItsFiles"), "stale");
        EngineRun run = EngineRun.with(FakeNativeTracker.available(), null)
                .configuration(ConfigurationReader.REPORT_DIR, reports.toString());

        EngineExecutionResults results = run.execute(ReportFilesTestCase.class);

        assertAllPassed(results);
        assertThat(ReportFilesTestCase.plannedCapture).isRegularFile().isEqualTo(capture);
        assertThat(ReportFilesTestCase.plannedReport).doesNotExist();
        assertThat(reportEntries(results).get("memtrack.report")).isEqualTo(ReportPaths.display(capture));
    }

    @Test
    void aFailingTestGetsTheHtmlReportItsMessageNames(@TempDir Path reports) {
        EngineRun run = EngineRun.with(FakeNativeTracker.available(), null)
                .configuration(ConfigurationReader.REPORT_DIR, reports.toString());

        Throwable failure = onlyFailure(run.execute(LeakLimitTestCase.class));

        Path html = CaptureWriterFiles.html(reports, LeakLimitTestCase.class, "leaks");
        assertThat(failure.getMessage()).endsWith("Report: " + ReportPaths.display(html));
        assertThat(html).isRegularFile();
        assertThat(CaptureWriterFiles.capture(reports, LeakLimitTestCase.class, "leaks")).isRegularFile();
    }

    @Test
    void withNeverAFailureMessageNamesTheCapture(@TempDir Path reports) {
        EngineRun run = EngineRun.with(FakeNativeTracker.available(), null)
                .configuration(ConfigurationReader.REPORT_DIR, reports.toString())
                .configuration(ConfigurationReader.REPORT_HTML, "never");

        Throwable failure = onlyFailure(run.execute(LeakLimitTestCase.class));

        Path capture = CaptureWriterFiles.capture(reports, LeakLimitTestCase.class, "leaks");
        assertThat(failure.getMessage()).endsWith("Report: " + ReportPaths.display(capture));
        assertThat(capture).isRegularFile();
        assertThat(CaptureWriterFiles.html(reports, LeakLimitTestCase.class, "leaks")).doesNotExist();
    }

    @Test
    void anUnknownReportChoiceIsRefusedNamingTheKey() {
        EngineRun run = EngineRun.withFakeTracker().configuration(ConfigurationReader.REPORT_HTML, "sometimes");

        assertThat(onlyFailure(run.execute(ReportFilesTestCase.class))).hasMessage(
                "memtrack configuration parameter memtrack.report.html = 'sometimes': 'sometimes' is not a report choice;"
                        + " expected failed, always or never");
    }

    /** The writer's own file naming. */
    private static final class CaptureWriterFiles {
        static Path capture(Path reports, Class<?> testClass, String method) {
            return dev.memtrack.internal.report.CaptureWriter.files(reports.toAbsolutePath().normalize(), testClass.getName(), method).capture();
        }

        static Path html(Path reports, Class<?> testClass, String method) {
            return dev.memtrack.internal.report.CaptureWriter.files(reports.toAbsolutePath().normalize(), testClass.getName(), method).html();
        }
    }

    // ---- scope, invocations, stacks ------------------------------------------------------------

    @TrackMemory(nativeLeakLimit = "0")
    static class LifecycleMethodsTestCase {
        @BeforeEach
        void setUp() {
            tracker().malloc(1L << 20, Stacks.at(LifecycleMethodsTestCase.class, "setUp", 100));
        }

        @Test
        void doesNothing() {
        }

        @AfterEach
        void tearDown() {
            tracker().malloc(1L << 20, Stacks.at(LifecycleMethodsTestCase.class, "tearDown", 101));
        }
    }

    @Test
    void theScopeIsTheTestMethodAlone() {
        EngineExecutionResults results = EngineRun.withFakeTracker().execute(LifecycleMethodsTestCase.class);

        assertAllPassed(results);
        assertThat(reportEntries(results)).contains(entry("memtrack.native.allocated", "0"));
    }

    static class RepeatedTestCase {
        @RepeatedTest(2)
        @TrackMemory(nativeLeakLimit = "0")
        void leaks() {
            tracker().malloc(10, Stacks.at(RepeatedTestCase.class, "leaks", 110));
        }
    }

    @Test
    void eachInvocationOfATemplateHasItsOwnReport() {
        EngineRun run = EngineRun.withFakeTracker();

        EngineExecutionResults results = run.execute(RepeatedTestCase.class);

        assertThat(results.testEvents().failed().stream()
                .map(e -> e.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow().getMessage()))
                .satisfiesExactlyInAnyOrder(
                        m -> assertThat(m).endsWith("$RepeatedTestCase/leaks[1].html"),
                        m -> assertThat(m).endsWith("$RepeatedTestCase/leaks[2].html"));
        assertThat(run.sink.captures()).extracting(TestCapture::testMethod).containsExactlyInAnyOrder("leaks[1]", "leaks[2]");
    }

    static class RealStackTestCase {
        @Test
        @TrackMemory(nativeLeakLimit = "0")
        void leaksThroughAHelper() {
            helper();
        }

        void helper() {
            tracker().malloc(1024, Stacks.here());
        }
    }

    @Test
    void framesBelowTheTestMethodAreTrimmed() {
        Throwable failure = onlyFailure(EngineRun.withFakeTracker().execute(RealStackTestCase.class));

        String fixture = RealStackTestCase.class.getName();
        assertThat(failure.getMessage())
                .containsPattern("\n    fixture_alloc {27}libfixture.so   fixture.c:12\n"
                        + "    \\Q" + fixture + ".helper(TrackMemoryEngineTests.java:\\E\\d+\\)\n"
                        + "    \\Q" + fixture + ".leaksThroughAHelper(TrackMemoryEngineTests.java:\\E\\d+\\)\n\n  Report: ")
                .doesNotContain("org.junit")
                .doesNotContain("java.lang.reflect");
    }

    // ---- where the annotation may be -----------------------------------------------------------

    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @TrackMemory(nativeLeakLimit = "0")
    @interface NativeLeakFree {
    }

    @NativeLeakFree
    static class MetaAnnotatedTestCase {
        @Test
        void leaks() {
            tracker().malloc(10, Stacks.at(MetaAnnotatedTestCase.class, "leaks", 120));
        }
    }

    @TrackMemory(nativeLeakLimit = "0")
    abstract static class LeakFreeBase {
    }

    static class InheritedTestCase extends LeakFreeBase {
        @Test
        void leaks() {
            tracker().malloc(10, Stacks.at(InheritedTestCase.class, "leaks", 130));
        }
    }

    @TrackMemory(nativeLeakLimit = "0")
    static class OuterTestCase {
        @Nested
        class Inner {
            @Test
            void leaks() {
                tracker().malloc(10, Stacks.at(Inner.class, "leaks", 140));
            }
        }
    }

    @Test
    void theAnnotationWorksAsMetaAnnotationInheritedAndOnEnclosingClasses() {
        EngineRun run = EngineRun.withFakeTracker();

        assertThat(onlyFailure(run.execute(MetaAnnotatedTestCase.class))).hasMessageStartingWith("Test leaked 10 B of native memory");
        assertThat(onlyFailure(run.execute(InheritedTestCase.class))).hasMessageStartingWith("Test leaked 10 B of native memory");
        assertThat(onlyFailure(run.execute(OuterTestCase.class)))
                .hasMessageStartingWith("Test leaked 10 B of native memory")
                .hasMessageEndingWith("$OuterTestCase$Inner/leaks.html");
    }
}
