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
 */
public record TestCapture(String testId, String testClass, String testMethod, String displayName,
                          long startEpochMillis, long durationNanos,
                          List<ScopeReport> reports, List<TimelinePoint> timeline, List<String> failures) {

    public TestCapture {
        reports = List.copyOf(reports);
        timeline = List.copyOf(timeline);
        failures = List.copyOf(failures);
    }
}
