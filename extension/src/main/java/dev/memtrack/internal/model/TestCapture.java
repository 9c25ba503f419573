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
 */
public record TestCapture(String testId, String testClass, String testMethod, String displayName,
                          long startEpochMillis, long durationNanos,
                          List<ScopeReport> reports, List<TimelinePoint> timeline, List<String> failures,
                          long combinedPeakBytes) {

    public TestCapture {
        reports = List.copyOf(reports);
        timeline = List.copyOf(timeline);
        failures = List.copyOf(failures);
    }

    /** A capture whose combined peak is not known. */
    public TestCapture(String testId, String testClass, String testMethod, String displayName,
                       long startEpochMillis, long durationNanos,
                       List<ScopeReport> reports, List<TimelinePoint> timeline, List<String> failures) {
        this(testId, testClass, testMethod, displayName, startEpochMillis, durationNanos, reports, timeline, failures, -1);
    }

    /** The combined peak as recorded, or native peak + managed peak when it was not. */
    public long peakBytes() {
        if (combinedPeakBytes >= 0) {
            return combinedPeakBytes;
        }
        return reports.stream().mapToLong(r -> r.figures().peakBytes()).sum();
    }
}
