package dev.memtrack.internal.report;

import dev.memtrack.internal.size.SizeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The suite summary as plain text for the console: the counts, then the top tests of each
 * ranking in fixed-width columns that stay aligned in a build log.
 */
final class SuiteConsoleTable {

    static final int SHOWN_PER_RANKING = 10;

    private SuiteConsoleTable() {
    }

    static String render(List<SuiteEntry> entries, List<String> problems, String indexLocation) {
        return render(entries, entries, 0, problems, indexLocation);
    }

    /**
     * @param entries the tests ranked here: the run's, or this JVM's part of it
     * @param run     every test of the run so far (the index's)
     * @param earlier how many captures of earlier runs the summary left out
     */
    static String render(List<SuiteEntry> entries, List<SuiteEntry> run, int earlier, List<String> problems,
                         String indexLocation) {
        long failed = entries.stream().filter(SuiteEntry::failed).count();
        StringBuilder text = new StringBuilder();
        if (entries.size() == run.size()) {
            text.append("memtrack: ").append(tests(entries.size())).append(", ").append(failed)
                    .append(" failed a memory verdict. Index: ").append(indexLocation).append('\n');
        } else {
            long runFailed = run.stream().filter(SuiteEntry::failed).count();
            text.append("memtrack, this JVM's part of the run: ").append(entries.size()).append(" of ")
                    .append(tests(run.size())).append(" so far, ").append(failed).append(" failed a memory verdict (")
                    .append(runFailed).append(" in the run so far). Index of the run: ").append(indexLocation).append('\n');
        }
        for (SuiteRanking ranking : SuiteRanking.values()) {
            text.append('\n').append(ranking.title()).append('\n');
            List<SuiteEntry> top = ranking.rank(entries, SHOWN_PER_RANKING);
            if (top.isEmpty()) {
                text.append("  ").append(ranking.none()).append('\n');
                continue;
            }
            text.append(String.format(Locale.ROOT, "  %3s  %10s  %10s  %10s  %s\n", "#", "Peak", "Leaked", "Allocated", "Test"));
            for (int i = 0; i < top.size(); i++) {
                SuiteEntry e = top.get(i);
                text.append(String.format(Locale.ROOT, "  %3d  %10s  %10s  %10s  %s%s\n", i + 1,
                        (e.peakUpperBound() ? "<= " : "") + SizeFormatter.format(e.peakBytes()), SizeFormatter.format(e.leakedBytes()),
                        SizeFormatter.format(e.allocatedBytes()), e.testName(), e.failed() ? "  FAILED" : ""));
            }
        }
        if (entries.stream().anyMatch(SuiteEntry::peakUpperBound)) {
            text.append('\n').append("<= peak: ").append(SuiteIndexPage.UPPER_BOUND).append(".\n");
        }
        if (earlier > 0) {
            text.append('\n').append("Not in this summary: ").append(earlier)
                    .append(earlier == 1 ? " capture" : " captures")
                    .append(" left by earlier runs (tests not run this time), listed apart in the index.\n");
        }
        if (!problems.isEmpty()) {
            text.append('\n').append("Skipped ").append(problems.size())
                    .append(problems.size() == 1 ? " unreadable capture:" : " unreadable captures:").append('\n');
            problems.forEach(p -> text.append("  ").append(p).append('\n'));
        }
        return text.toString();
    }

    private static String tests(int count) {
        return count + (count == 1 ? " tracked test" : " tracked tests");
    }
}
