package dev.memtrack.internal.model;

import java.util.List;

/**
 * Everything recorded for one test invocation: what a capture file holds and what the HTML
 * report renders. Leaks are the sites whose live figures are still non-zero after settling.
 *
 * @param testId       unique id of the test invocation (JUnit unique id)
 * @param testClass    fully qualified class name
 * @param testMethod   method name, with the invocation index for repeated/parameterized tests
 * @param displayName  JUnit display name
 * @param reports      one per domain measured (native, managed)
 * @param failures     verdict messages that failed the test (empty when it passed)
 * @param combinedPeakBytes the largest native + managed total at one instant, as the verdicts
 *                     judged it; -1 when not known (then native peak + managed peak bounds it)
 * @param runId        the run (build) that wrote the capture, so a suite summary can tell this
 *                     run's tests from captures left by earlier runs; empty when not known
 *                     (docs/reports.md)
 */
public record TestCapture(String testId, String testClass, String testMethod, String displayName,
                          long startEpochMillis, long durationNanos,
                          List<ScopeReport> reports, List<TimelinePoint> timeline, List<String> failures,
                          long combinedPeakBytes, String runId) {

    public TestCapture {
        reports = List.copyOf(reports);
        timeline = List.copyOf(timeline);
        failures = List.copyOf(failures);
        runId = runId == null ? "" : runId;
    }

    /** A capture not (yet) marked with its run. */
    public TestCapture(String testId, String testClass, String testMethod, String displayName,
                       long startEpochMillis, long durationNanos,
                       List<ScopeReport> reports, List<TimelinePoint> timeline, List<String> failures,
                       long combinedPeakBytes) {
        this(testId, testClass, testMethod, displayName, startEpochMillis, durationNanos, reports, timeline, failures,
                combinedPeakBytes, "");
    }

    /** A capture whose combined peak is not known. */
    public TestCapture(String testId, String testClass, String testMethod, String displayName,
                       long startEpochMillis, long durationNanos,
                       List<ScopeReport> reports, List<TimelinePoint> timeline, List<String> failures) {
        this(testId, testClass, testMethod, displayName, startEpochMillis, durationNanos, reports, timeline, failures, -1);
    }

    /** This capture marked as written by the run {@code runId}. */
    public TestCapture withRunId(String runId) {
        return new TestCapture(testId, testClass, testMethod, displayName, startEpochMillis, durationNanos, reports, timeline,
                failures, combinedPeakBytes, runId);
    }

    /** The combined peak as recorded, or native peak + managed peak when it was not. */
    public long peakBytes() {
        if (combinedPeakBytes >= 0) {
            return combinedPeakBytes;
        }
        return reports.stream().mapToLong(r -> r.figures().peakBytes()).sum();
    }
}
