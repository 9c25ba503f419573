package dev.memtrack.internal.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.memtrack.internal.report.CaptureSink;
import dev.memtrack.internal.tracking.Backends;
import dev.memtrack.internal.tracking.FakeManagedTracker;
import dev.memtrack.internal.tracking.FakeNativeTracker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs *TestCase fixtures through the Jupiter engine with a fake tracker and a recording sink. */
final class EngineRun {

    final FakeNativeTracker tracker;
    final RecordingSink sink;
    /** Null: the managed domain is not measured (native-only runs). */
    FakeManagedTracker managed;
    private final Map<String, String> configuration = new HashMap<>();

    private EngineRun(FakeNativeTracker tracker, RecordingSink sink) {
        this.tracker = tracker;
        this.sink = sink;
    }

    static EngineRun withFakeTracker() {
        return new EngineRun(FakeNativeTracker.available(), RecordingSink.recording());
    }

    static EngineRun with(FakeNativeTracker tracker, RecordingSink sink) {
        return new EngineRun(tracker, sink);
    }

    /** Measures the managed domain too, with a fake over this run's fake native scopes. */
    EngineRun withManaged(java.util.function.Function<FakeNativeTracker, FakeManagedTracker> factory) {
        managed = factory.apply(tracker);
        return this;
    }

    EngineRun configuration(String key, String value) {
        configuration.put(key, value);
        return this;
    }

    EngineExecutionResults execute(Class<?> fixture) {
        return execute(selectClass(fixture));
    }

    /** Runs what the selectors select (a class, some of its methods...). */
    @SuppressWarnings("try") // the handle only restores the backends when closed
    EngineExecutionResults execute(org.junit.platform.engine.DiscoverySelector... selectors) {
        // a null sink keeps the production report writer
        CaptureSink effectiveSink = sink != null ? sink : CaptureSink.REPORT_WRITER;
        try (Backends.Restore ignored = managed == null
                ? Backends.override(tracker, effectiveSink)
                : Backends.override(tracker, managed, effectiveSink)) {
            return EngineTestKit.engine("junit-jupiter")
                    .configurationParameters(configuration)
                    .selectors(selectors)
                    .execute();
        }
    }

    /** The one failure of the test whose method is {@code method}. */
    static Throwable failureOf(EngineExecutionResults results, String method) {
        List<Throwable> failures = results.testEvents().failed().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().startsWith(method + "("))
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .toList();
        if (failures.size() != 1) {
            throw new AssertionError("expected one failure of " + method + ", got " + failures + "; all events: " + results.allEvents().list());
        }
        return failures.get(0);
    }

    /** The single failure of a one-test fixture. */
    static Throwable onlyFailure(EngineExecutionResults results) {
        List<Throwable> failures = results.allEvents().failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .toList();
        if (failures.size() != 1) {
            throw new AssertionError("expected one failure, got " + failures);
        }
        return failures.get(0);
    }

    /**
     * memtrack's own failure from the verdict at the test's teardown: JUnit 5.13+ wrap an
     * exception (not an error) thrown while closing the test's store values in a JUnitException
     * "Failed to close extension context"; 5.10–5.12 report it as it is.
     */
    static Throwable unwrapContextClose(Throwable failure) {
        if (failure instanceof org.junit.platform.commons.JUnitException
                && "Failed to close extension context".equals(failure.getMessage()) && failure.getCause() != null) {
            return failure.getCause();
        }
        return failure;
    }

    /** Fails with every failure's stack trace when a fixture test did not pass. */
    static void assertAllPassed(EngineExecutionResults results) {
        List<Throwable> failures = results.allEvents().failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .toList();
        if (!failures.isEmpty() || results.testEvents().succeeded().count() == 0) {
            AssertionError error = new AssertionError("expected all fixture tests to pass; failures: " + failures);
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    /** The report entries the tests published, merged (key → value). */
    static Map<String, String> reportEntries(EngineExecutionResults results) {
        Map<String, String> entries = new HashMap<>();
        results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getRequiredPayload(ReportEntry.class))
                .forEach(entry -> entries.putAll(entry.getKeyValuePairs()));
        return entries;
    }

    static List<Event> reportEvents(EngineExecutionResults results) {
        return results.allEvents().reportingEntryPublished().list();
    }
}
