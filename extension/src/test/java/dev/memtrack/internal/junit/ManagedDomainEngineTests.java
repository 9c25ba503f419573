package dev.memtrack.internal.junit;

import static dev.memtrack.MemoryAssertions.assertAllocations;
import static dev.memtrack.MemoryAssertions.assertNoLeaks;
import static dev.memtrack.MemoryAssertions.assertPeakBelow;
import static dev.memtrack.internal.junit.EngineRun.assertAllPassed;
import static dev.memtrack.internal.junit.EngineRun.failureOf;
import static dev.memtrack.internal.junit.EngineRun.onlyFailure;
import static dev.memtrack.internal.junit.EngineRun.reportEntries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.memtrack.MemoryCapture;
import dev.memtrack.MemoryFigures;
import dev.memtrack.TrackMemory;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.tracking.FakeManagedTracker;
import dev.memtrack.internal.tracking.FakeNativeTracker;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

/** The managed domain wired into verdicts, messages and report entries, with fake trackers. */
class ManagedDomainEngineTests {

    private static final String REPORTS = "target/memtrack/";
    private static final List<String> CACHE_PATH = List.of("static com.acme.Cache.ENTRIES", "java.util.HashMap.table", "[811]",
            "java.util.HashMap$Node.value");

    private static FakeNativeTracker nativeTracker() {
        return FakeNativeTracker.installed();
    }

    private static FakeManagedTracker managed() {
        return FakeManagedTracker.installed();
    }

    /** A heap stack: the allocating method, then the test method at {@code line}, then framework frames. */
    private static List<Frame> heapStack(Class<?> testClass, String method, int line) {
        return List.of(
                new Frame(Frame.Kind.JAVA, "com.acme.Cache.put", "", "Cache.java", 17),
                new Frame(Frame.Kind.JAVA, testClass.getName() + "." + method, "", testClass.getNestHost().getSimpleName() + ".java", line),
                new Frame(Frame.Kind.JAVA, "java.lang.reflect.Method.invoke", "", "Method.java", 569));
    }

    @TrackMemory
    static class ManagedLeakTestCase {
        @Test
        void leaks() {
            managed().allocate(2_000_000, 2000, heapStack(ManagedLeakTestCase.class, "leaks", 10), CACHE_PATH);
            managed().allocate(64_000, 2000, heapStack(ManagedLeakTestCase.class, "leaks", 11), List.of());
            assertNoLeaks();
        }
    }

    @Test
    void aManagedLeakSaysAboutAndShowsTheReferencePath() {
        EngineRun run = EngineRun.withFakeTracker().withManaged(FakeManagedTracker::sampled);

        AssertionFailedError failure = (AssertionFailedError) onlyFailure(run.execute(ManagedLeakTestCase.class));

        assertThat(failure).hasMessage("""
                Test leaked about 1.9 MiB of managed memory in about 2000 allocations (allowed: 0 B)

                  about 1.9 MiB in about 2000 allocations allocated at:
                    com.acme.Cache.put(Cache.java:17)
                    dev.memtrack.internal.junit.ManagedDomainEngineTests$ManagedLeakTestCase.leaks(ManagedDomainEngineTests.java:10)
                    retained by: static com.acme.Cache.ENTRIES -> java.util.HashMap.table -> [811] -> java.util.HashMap$Node.value

                  Report: target/memtrack/dev.memtrack.internal.junit.ManagedDomainEngineTests$ManagedLeakTestCase/leaks.html""");
        assertThat(failure.getExpected().getValue()).isEqualTo("0 B");
        assertThat(failure.getActual().getValue()).isEqualTo("1.9 MiB");
        // the running test's instance and thread are excluded from the roots; the check runs again after the test;
        // the check inside the test is memtrack's own work, unmetered
        assertThat(run.managed.calls()).containsSubsequence("meterEnter 1", "unmetered", "checkLeaks 1", "meterExit 1",
                "checkLeaks 1");
        assertThat(run.managed.checkedInstances()).hasSize(2)
                .allSatisfy(instance -> assertThat(instance).isInstanceOf(ManagedLeakTestCase.class));
    }

    @Test
    void exactModeFiguresAreNotEstimates() {
        EngineRun run = EngineRun.withFakeTracker().withManaged(FakeManagedTracker::exact);

        assertThat(onlyFailure(run.execute(ManagedLeakTestCase.class)).getMessage())
                .startsWith("""
                        Test leaked 1.9 MiB of managed memory in 2000 allocations (allowed: 0 B)

                          1.9 MiB in 2000 allocations allocated at:
                        """);
    }

    @TrackMemory
    static class BothDomainsLeakTestCase {
        @Test
        void leaks() {
            nativeTracker().malloc(2L << 20, Stacks.at(BothDomainsLeakTestCase.class, "leaks", 20));
            managed().allocate(1L << 20, 3, heapStack(BothDomainsLeakTestCase.class, "leaks", 21), CACHE_PATH);
            assertNoLeaks();
        }
    }

    @Test
    void leaksOfBothDomainsAreCombinedWithTheSplit() {
        EngineRun run = EngineRun.withFakeTracker().withManaged(FakeManagedTracker::sampled);

        assertThat(onlyFailure(run.execute(BothDomainsLeakTestCase.class)).getMessage()).isEqualTo("""
                Test leaked about 3.0 MiB of native and managed memory in about 4 allocations (native 2.0 MiB, managed about 1.0 MiB; allowed: 0 B)

                  2.0 MiB in 1 allocation allocated at:
                    malloc                                  libc.so.6
                    fixture_alloc                           libfixture.so   fixture.c:12
                    com.example.Library.open(Library.java:40)
                    dev.memtrack.internal.junit.ManagedDomainEngineTests$BothDomainsLeakTestCase.leaks(ManagedDomainEngineTests.java:20)

                  about 1.0 MiB in about 3 allocations allocated at:
                    com.acme.Cache.put(Cache.java:17)
                    dev.memtrack.internal.junit.ManagedDomainEngineTests$BothDomainsLeakTestCase.leaks(ManagedDomainEngineTests.java:21)
                    retained by: static com.acme.Cache.ENTRIES -> java.util.HashMap.table -> [811] -> java.util.HashMap$Node.value

                  Report: target/memtrack/dev.memtrack.internal.junit.ManagedDomainEngineTests$BothDomainsLeakTestCase/leaks.html""");
    }

    @TrackMemory
    static class CombinedPeakTestCase {
        @Test
        void peaks() {
            long held = nativeTracker().malloc(3L << 20, Stacks.at(CombinedPeakTestCase.class, "peaks", 30));
            nativeTracker().free(held);
            managed().allocate(2L << 20, 1, heapStack(CombinedPeakTestCase.class, "peaks", 31), List.of());
            assertPeakBelow("4MB");
        }
    }

    @Test
    void withoutTheEnginesCombinedPeakTheSumOfTheDomainPeaksStandsIn() {
        EngineRun run = EngineRun.withFakeTracker().withManaged(FakeManagedTracker::sampled);

        AssertionFailedError failure = (AssertionFailedError) onlyFailure(run.execute(CombinedPeakTestCase.class));

        assertThat(failure.getMessage()).startsWith("Test reached a peak of about 5.0 MiB of native and managed memory"
                + " (native peak 3.0 MiB, managed peak about 2.0 MiB; allowed: below 4.0 MiB)\n\n  3.0 MiB in 1 allocation live at the peak");
        assertThat(failure.getMessage()).contains("\n\n  about 2.0 MiB in about 1 allocation live at the peak, allocated at:\n"
                + "    com.acme.Cache.put(Cache.java:17)\n");
        assertThat(failure.getMessage()).doesNotContain("retained by");
    }

    @TrackMemory(managedLeakLimit = "1MB", managedAllocationLimit = "3MB", nativeLeakLimit = "0")
    static class ManagedLimitsTestCase {
        @Test
        void withinLimits() {
            managed().allocate(1L << 20, 10, heapStack(ManagedLimitsTestCase.class, "withinLimits", 40), CACHE_PATH);
            managed().allocate(1L << 20, 10, heapStack(ManagedLimitsTestCase.class, "withinLimits", 41), List.of());
        }

        @Test
        void overTheAllocationLimit() {
            managed().allocate(4L << 20, 4096, heapStack(ManagedLimitsTestCase.class, "overTheAllocationLimit", 46), List.of());
        }

        @Test
        @TrackMemory(managedPeakLimit = "1KB")
        void overThePeakLimit() {
            managed().allocate(2048, 2, heapStack(ManagedLimitsTestCase.class, "overThePeakLimit", 52), List.of());
        }
    }

    @Test
    void managedLimitsJudgeTheHeapAlone() {
        EngineRun run = EngineRun.withFakeTracker().withManaged(FakeManagedTracker::sampled);

        EngineExecutionResults results = run.execute(ManagedLimitsTestCase.class);

        assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
        assertThat(failureOf(results, "overTheAllocationLimit").getMessage()).isEqualTo("""
                Test allocated 4.0 MiB of managed memory in about 4096 allocations (allowed: below 3.0 MiB)

                  about 4.0 MiB in about 4096 allocations allocated at:
                    com.acme.Cache.put(Cache.java:17)
                    dev.memtrack.internal.junit.ManagedDomainEngineTests$ManagedLimitsTestCase.overTheAllocationLimit(ManagedDomainEngineTests.java:46)

                  Report: target/memtrack/dev.memtrack.internal.junit.ManagedDomainEngineTests$ManagedLimitsTestCase/overTheAllocationLimit.html""");
        assertThat(failureOf(results, "overThePeakLimit").getMessage()).startsWith(
                "Test reached a peak of about 2.0 KiB of managed memory (allowed: below 1.0 KiB)\n");
    }

    @TrackMemory
    static class FiguresTestCase {
        @Test
        void allocates(MemoryCapture capture) {
            managed().allocate(4096, 4, heapStack(FiguresTestCase.class, "allocates", 60), CACHE_PATH);
            managed().allocate(1024, 1, heapStack(FiguresTestCase.class, "allocates", 61), List.of());
            assertThat(capture.managedMemory()).isEqualTo(new MemoryFigures(5120, 5, 5120, 5, 5120));
        }
    }

    @Test
    void managedFiguresArePublishedAndRecorded() {
        // exact mode: in sampled mode a 4 KiB leak is below the verdict's resolution (one interval)
        EngineRun run = EngineRun.withFakeTracker().withManaged(FakeManagedTracker::exact);

        EngineExecutionResults results = run.execute(FiguresTestCase.class);

        assertAllPassed(results);
        assertThat(reportEntries(results)).contains(
                entry("memtrack.managed.peak", "5120"),
                entry("memtrack.managed.leaked", "4096"),
                entry("memtrack.managed.leakedAllocations", "4"),
                entry("memtrack.managed.allocated", "5120"),
                entry("memtrack.managed.allocations", "5"),
                entry("memtrack.native.allocated", "0"));
        assertThat(run.sink.only().reports()).extracting(r -> r.domain().label()).containsExactly("native", "managed");
    }

    @Test
    void aSampledLeakEstimateOfAtMostOneIntervalIsNotJudgedALeak() {
        EngineRun run = EngineRun.withFakeTracker().withManaged(FakeManagedTracker::sampled);

        EngineExecutionResults results = run.execute(FiguresTestCase.class);

        assertAllPassed(results);
        assertThat(reportEntries(results)).contains(entry("memtrack.managed.leaked", "0"));
    }

    @Test
    void heapSamplingHeldElsewhereNeverFailsAndSaysSo() {
        EngineRun run = EngineRun.withFakeTracker().withManaged(FakeManagedTracker::samplingHeld);

        EngineExecutionResults results = run.execute(ManagedLeakTestCase.class);

        assertAllPassed(results);
        assertThat(reportEntries(results)).contains(
                entry("memtrack.managed.allocated", "2064000"),
                entry("memtrack.managed.leaked", "0"),
                entry("memtrack.managed.unavailable", "managed-heap sampling is held by another JVMTI agent in this JVM"));
        assertThat(run.managed.calls()).noneMatch(call -> call.startsWith("checkLeaks"));
    }

    @Test
    void managedTrackingCanBeSwitchedOff() {
        EngineRun run = EngineRun.withFakeTracker().withManaged(FakeManagedTracker::sampled)
                .configuration(ConfigurationReader.MANAGED_ENABLED, "false");

        EngineExecutionResults results = run.execute(ManagedLeakTestCase.class);

        assertAllPassed(results);
        assertThat(reportEntries(results)).noneSatisfy((key, value) -> assertThat(key).startsWith("memtrack.managed."));
        assertThat(run.managed.calls()).isEmpty();
    }

    @Test
    void samplingSettingsAreAppliedAndValidated() {
        EngineRun exact = EngineRun.withFakeTracker().withManaged(FakeManagedTracker::sampled)
                .configuration(ConfigurationReader.MANAGED_SAMPLING_INTERVAL, "exact")
                .configuration(ConfigurationReader.MANAGED_PEAK_RESOLUTION, "64KB");
        assertThat(onlyFailure(exact.execute(ManagedLeakTestCase.class)).getMessage())
                .startsWith("Test leaked 1.9 MiB of managed memory in 2000 allocations (allowed: 0 B)\n");
        assertThat(exact.managed.calls()).startsWith("interval 0", "largeObject 65536");

        EngineRun bad = EngineRun.withFakeTracker().withManaged(FakeManagedTracker::sampled)
                .configuration(ConfigurationReader.MANAGED_SAMPLING_INTERVAL, "often");
        assertThat(onlyFailure(bad.execute(ManagedLeakTestCase.class)))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("memtrack configuration parameter memtrack.managed.samplingInterval = 'often': 'often' is neither"
                        + " a size nor \"exact\"; expected a size from 1B to 2147483647B, e.g. \"256KB\", or \"exact\" to"
                        + " sample every object");
    }

    // ---- repeat mode --------------------------------------------------------------------------

    static final AtomicInteger RUNS = new AtomicInteger();

    @TrackMemory
    static class RepeatTestCase {
        @Test
        void growsPerCall() {
            RUNS.set(0);
            assertAllocations(3, () -> {
                RUNS.incrementAndGet();
                managed().allocate(1000, 1, heapStack(RepeatTestCase.class, "growsPerCall", 80), CACHE_PATH);
            }).hasNoLeaks();
        }

        @Test
        void zeroRepetitions() {
            assertAllocations(0, () -> { });
        }

        @Test
        void negativeRepetitions() {
            assertAllocations(-2, () -> { });
        }
    }

    @Test
    void repeatModeRunsAWarmUpOutsideTheScopeThenJudgesStrictly() {
        EngineRun run = EngineRun.withFakeTracker().withManaged(FakeManagedTracker::sampled);

        EngineExecutionResults results = run.execute(RepeatTestCase.class);

        assertThat(RUNS.get()).isEqualTo(4);
        // three repetitions in the block's scope; the warm-up, before it, counts for the test only
        assertThat(failureOf(results, "growsPerCall").getMessage()).startsWith("""
                Block leaked about 2.9 KiB of managed memory in about 3 allocations (allowed: 0 B)
                """);
        assertThat(run.managed.calls().stream().filter(call -> call.endsWith(" strict"))).hasSize(1);
        assertThat(failureOf(results, "zeroRepetitions")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("assertAllocations(repetitions = 0, block): repetitions must be 1 or more (the block runs once as"
                        + " a warm-up outside the measured scope, then this many times inside it)");
        assertThat(failureOf(results, "negativeRepetitions")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("assertAllocations(repetitions = -2, block): repetitions must be 1 or more");
    }
}
