package dev.memtrack.internal.report;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/** The three orders the suite summary ranks tests in, largest first. */
enum SuiteRanking {
    PEAK("Highest peaks (native + managed)", "No test had a peak.", SuiteEntry::peakBytes),
    LEAKED("Leaks", "No test leaked.", SuiteEntry::leakedBytes),
    ALLOCATED("Most allocated", "No test allocated.", SuiteEntry::allocatedBytes);

    private final String title;
    private final String none;
    private final ToLongFunction<SuiteEntry> figure;

    SuiteRanking(String title, String none, ToLongFunction<SuiteEntry> figure) {
        this.title = title;
        this.none = none;
        this.figure = figure;
    }

    String title() {
        return title;
    }

    /** What to say when no test has a non-zero figure. */
    String none() {
        return none;
    }

    long figure(SuiteEntry entry) {
        return figure.applyAsLong(entry);
    }

    /** The tests with a non-zero figure, largest first, ties by name for a stable order. */
    List<SuiteEntry> rank(List<SuiteEntry> entries, int limit) {
        return entries.stream()
                .filter(e -> figure(e) > 0)
                .sorted(Comparator.comparingLong(this::figure).reversed()
                        .thenComparing(SuiteEntry::testName)
                        .thenComparing(e -> e.capture().toString()))
                .limit(limit)
                .toList();
    }
}
