package dev.memtrack.internal.junit;

import static dev.memtrack.MemoryAssertions.assertAllocations;
import static dev.memtrack.MemoryAssertions.assertNoLeaks;
import static dev.memtrack.MemoryAssertions.assertPeakBelow;
import static dev.memtrack.internal.junit.EngineRun.assertAllPassed;
import static dev.memtrack.internal.junit.EngineRun.failureOf;
import static dev.memtrack.internal.junit.EngineRun.onlyFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.MemoryCapture;
import dev.memtrack.MemoryFigures;
import dev.memtrack.TrackMemory;
import dev.memtrack.internal.tracking.FakeNativeTracker;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.PreconditionViolationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

/** {@code MemoryAssertions} and {@code MemoryCapture} inside tests run through the Jupiter engine, with a fake tracker. */
class MemoryAssertionsEngineTests {

    private static FakeNativeTracker tracker() {
        return FakeNativeTracker.installed();
    }

    // ---- assertNoLeaks / assertPeakBelow --------------------------------------------------------

    static class UntrackedTestCase {
        @Test
        void checksLeaks() {
            assertNoLeaks();
        }

        @Test
        void checksPeak() {
            assertPeakBelow("1MB");
        }
    }

    @Test
    void theRunningTestAssertionsNeedTrackMemory() {
        EngineExecutionResults results = EngineRun.withFakeTracker().execute(UntrackedTestCase.class);

        String advice = " was called outside a test tracked by memtrack; annotate the test class or method with @TrackMemory and call it"
                + " from the test method's thread (not from @BeforeEach, @AfterEach or a thread the test started)";
        assertThat(failureOf(results, "checksLeaks")).isInstanceOf(PreconditionViolationException.class)
                .hasMessage("MemoryAssertions.assertNoLeaks()" + advice);
        assertThat(failureOf(results, "checksPeak")).hasMessage("MemoryAssertions.assertPeakBelow(..)" + advice);
    }

    @TrackMemory
    static class NoLeaksTestCase {
        @Test
        void leaksThenChecks() {
            tracker().malloc(5000, Stacks.at(NoLeaksTestCase.class, "leaksThenChecks", 40));
            assertNoLeaks();
        }

        @Test
        void dropsItsBufferThenChecks() {
            tracker().allocateOwned(5000, Stacks.at(NoLeaksTestCase.class, "dropsItsBufferThenChecks", 41));
            assertNoLeaks();
        }
    }

    @Test
    void assertNoLeaksJudgesWhatTheTestAllocatedSoFarOnceCleanersHaveRun() {
        EngineRun run = EngineRun.withFakeTracker();

        EngineExecutionResults results = run.execute(NoLeaksTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
        Throwable failure = failureOf(results, "leaksThenChecks");
        String expected = """
                Test leaked 4.9 KiB of native memory in 1 allocation (allowed: 0 B)

                  4.9 KiB in 1 allocation allocated at:
                    malloc                                  libc.so.6
                    fixture_alloc                           libfixture.so   fixture.c:12
                    com.example.Library.open(Library.java:40)
                    dev.memtrack.internal.junit.MemoryAssertionsEngineTests$NoLeaksTestCase.leaksThenChecks(MemoryAssertionsEngineTests.java:40)

                  Report: target/memtrack/dev.memtrack.internal.junit.MemoryAssertionsEngineTests$NoLeaksTestCase/leaksThenChecks.html""";
        assertThat(failure).isInstanceOf(AssertionFailedError.class).hasMessage(expected);
        assertThat(failure.getStackTrace()[0].getMethodName()).isEqualTo("leaksThenChecks");
        assertThat(run.sink.captures()).anySatisfy(c -> assertThat(c.failures()).containsExactly(expected));
    }

    @TrackMemory
    static class PeakTestCase {
        @Test
        void peaksAt2MB() {
            tracker().free(tracker().malloc(2L << 20, Stacks.at(PeakTestCase.class, "peaksAt2MB", 50)));
            assertPeakBelow(4L << 20);
            assertPeakBelow("1MB");
        }

        @Test
        void writesASizeWrong() {
            assertPeakBelow("10 MBs");
        }
    }

    @Test
    void assertPeakBelowJudgesThePeakSoFar() {
        EngineExecutionResults results = EngineRun.withFakeTracker().execute(PeakTestCase.class);

        assertThat(failureOf(results, "peaksAt2MB")).hasMessage("""
                Test reached a peak of 2.0 MiB of native memory (allowed: below 1.0 MiB)

                  2.0 MiB in 1 allocation live at the peak, allocated at:
                    malloc                                  libc.so.6
                    fixture_alloc                           libfixture.so   fixture.c:12
                    com.example.Library.open(Library.java:40)
                    dev.memtrack.internal.junit.MemoryAssertionsEngineTests$PeakTestCase.peaksAt2MB(MemoryAssertionsEngineTests.java:50)

                  Report: target/memtrack/dev.memtrack.internal.junit.MemoryAssertionsEngineTests$PeakTestCase/peaksAt2MB.html""");
        assertThat(failureOf(results, "writesASizeWrong")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("assertPeakBelow(\"10 MBs\"): '10 MBs' is not a size; expected a number with an optional unit B, KB, MB, GB,"
                        + " KiB, MiB or GiB (1 KB = 1024 B), e.g. \"512B\", \"64KB\", \"1.5GB\"");
    }

    @Test
    void switchedOffTheAssertionsPass() {
        EngineExecutionResults results = EngineRun.withFakeTracker()
                .configuration(ConfigurationReader.ENABLED, "false")
                .execute(NoLeaksTestCase.class);

        assertAllPassed(results);
    }

    // ---- assertAllocations ------------------------------------------------------------------------

    @TrackMemory
    static class BlockInTrackedTestCase {
        @Test
        void overBudget() {
            assertAllocations(() -> tracker().free(tracker().malloc(3L << 20, Stacks.at(BlockInTrackedTestCase.class, "overBudget", 60))))
                    .hasNoLeaks()
                    .nativeMemory()
                    .hasAllocatedBelow("1MB");
        }

        @Test
        void countsForTheTestToo(MemoryCapture capture) {
            tracker().malloc(24, Stacks.at(BlockInTrackedTestCase.class, "countsForTheTestToo", 61));
            assertAllocations(() -> tracker().free(tracker().malloc(1000, Stacks.at(BlockInTrackedTestCase.class, "countsForTheTestToo", 62))))
                    .hasAllocatedBelow(1001)
                    .hasPeakBelow("1KB")
                    .hasNoLeaks()
                    .anyMemory()
                    .hasNoLeaks();
            assertThat(capture.nativeMemory()).isEqualTo(new MemoryFigures(1024, 2, 24, 1, 1024));
            assertThat(capture.managedMemory()).isEqualTo(new MemoryFigures(0, 0, 0, 0, 0));
        }
    }

    @Test
    void aBlockIsMeasuredInItsOwnScopeNestedInTheTests() {
        EngineExecutionResults results = EngineRun.withFakeTracker().execute(BlockInTrackedTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
        Throwable failure = failureOf(results, "overBudget");
        assertThat(failure).isInstanceOf(AssertionFailedError.class).hasMessage("""
                Block allocated 3.0 MiB of native memory in 1 allocation (allowed: below 1.0 MiB)

                  3.0 MiB in 1 allocation allocated at:
                    malloc                                  libc.so.6
                    fixture_alloc                           libfixture.so   fixture.c:12
                    com.example.Library.open(Library.java:40)
                    dev.memtrack.internal.junit.MemoryAssertionsEngineTests$BlockInTrackedTestCase.overBudget(MemoryAssertionsEngineTests.java:60)

                  Report: target/memtrack/dev.memtrack.internal.junit.MemoryAssertionsEngineTests$BlockInTrackedTestCase/overBudget.html""");
        assertThat(((AssertionFailedError) failure).getExpected().getStringRepresentation()).isEqualTo("1.0 MiB");
        assertThat(((AssertionFailedError) failure).getActual().getStringRepresentation()).isEqualTo("3.0 MiB");
    }

    static class UntrackedBlockTestCase {
        @Test
        void leaksInABlock() {
            assertAllocations(() -> tracker().malloc(2048, Stacks.at(UntrackedBlockTestCase.class, "leaksInABlock", 70)))
                    .hasNoLeaks();
        }

        @Test
        void blockThrows() throws IOException {
            assertAllocations(() -> {
                tracker().malloc(10, Stacks.here());
                throw new IOException("cannot read the index");
            });
        }

        @Test
        void asksForManagedMemory() {
            assertAllocations(() -> { }).managedMemory();
        }
    }

    @Test
    void aBlockIsMeasuredWithoutTrackMemoryToo() {
        EngineRun run = EngineRun.withFakeTracker();

        EngineExecutionResults results = run.execute(UntrackedBlockTestCase.class);

        assertThat(failureOf(results, "leaksInABlock")).hasMessage("""
                Block leaked 2.0 KiB of native memory in 1 allocation (allowed: 0 B)

                  2.0 KiB in 1 allocation allocated at:
                    malloc                                  libc.so.6
                    fixture_alloc                           libfixture.so   fixture.c:12
                    com.example.Library.open(Library.java:40)
                    dev.memtrack.internal.junit.MemoryAssertionsEngineTests$UntrackedBlockTestCase.leaksInABlock(MemoryAssertionsEngineTests.java:70)""");
        assertThat(failureOf(results, "blockThrows")).isInstanceOf(IOException.class).hasMessage("cannot read the index");
        assertThat(results.testEvents().succeeded().list())
                .extracting(e -> e.getTestDescriptor().getDisplayName()).containsExactly("asksForManagedMemory()");
        assertThat(run.tracker.scopeIds()).hasSize(3).allSatisfy(scope -> assertThat(run.tracker.isReleased(scope)).isTrue());
    }

    // ---- MemoryCapture ------------------------------------------------------------------------------

    @TrackMemory
    static class CaptureTestCase {
        @Test
        void reads(MemoryCapture capture) {
            assertThat(capture.nativeMemory()).isEqualTo(new MemoryFigures(0, 0, 0, 0, 0));
            long address = tracker().malloc(1000, Stacks.here());
            assertThat(capture.nativeMemory()).isEqualTo(new MemoryFigures(1000, 1, 1000, 1, 1000));
            tracker().free(address);
            assertThat(capture.nativeMemory()).isEqualTo(new MemoryFigures(1000, 1, 0, 0, 1000));
            Path classDir = Path.of("target", "memtrack", CaptureTestCase.class.getName()).toAbsolutePath();
            assertThat(capture.reportFile()).isEqualTo(classDir.resolve("reads.html"));
            assertThat(capture.captureFile()).isEqualTo(classDir.resolve("reads.mtcap"));
        }
    }

    @Test
    void aTestCanReadItsFiguresThroughMemoryCapture() {
        assertAllPassed(EngineRun.withFakeTracker().execute(CaptureTestCase.class));
    }

    static class CaptureWithoutTrackingTestCase {
        @Test
        void reads(MemoryCapture capture) {
        }
    }

    @Test
    void memoryCaptureNeedsTrackMemory() {
        // without @TrackMemory no extension is registered to resolve it: JUnit says so
        assertThat(onlyFailure(EngineRun.withFakeTracker().execute(CaptureWithoutTrackingTestCase.class)))
                .hasMessageContaining("No ParameterResolver registered for parameter [dev.memtrack.MemoryCapture");
    }
}
