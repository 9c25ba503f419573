package dev.memtrack.internal.message;

import dev.memtrack.internal.model.Domain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A site as a message prints it: its figure for the verdict, its stack rows (trimmed below the
 * test method, runs of unsymbolized frames folded) and, for a leaked managed site, the path that
 * retains it. Sites that would print the same — native sites whose stacks differ only in a call
 * site inside a function, or in the offsets of a stripped library — are one printed site with
 * their bytes and counts summed.
 */
record PrintedSite(Domain domain, long bytes, long count, List<StackRow> rows, List<String> retainedBy) {

    /** Merges the sites whose printed text is the same, keeping the order of first appearance. */
    static List<PrintedSite> merge(List<PrintedSite> sites) {
        Map<Object, PrintedSite> merged = new LinkedHashMap<>();
        for (PrintedSite site : sites) {
            merged.merge(site.key(), site, PrintedSite::plus);
        }
        return new ArrayList<>(merged.values());
    }

    /** What the site prints: a folded run's offsets are not printed, so they do not tell sites apart. */
    private Object key() {
        List<String> printed = new ArrayList<>(rows.size());
        for (StackRow row : rows) {
            printed.add(FrameFormatter.format(row, FrameFormatter.SYMBOL_COLUMNS));
        }
        return List.of(domain, printed, retainedBy);
    }

    private PrintedSite plus(PrintedSite other) {
        return new PrintedSite(domain, bytes + other.bytes, count + other.count, rows, retainedBy);
    }

    /**
     * The rows within a budget of {@code maxRows} lines: when there are more, the innermost and
     * outermost rows are kept (the allocator and the library; the caller's code down to the test
     * method) and one row in the middle says how many frames were left out.
     */
    PrintedSite withinBudget(int maxRows) {
        if (rows.size() <= maxRows || maxRows < 3) {
            return this;
        }
        int kept = maxRows - 1;
        int head = kept / 2;
        int tail = kept - head;
        int leftOut = 0;
        for (StackRow row : rows.subList(head, rows.size() - tail)) {
            leftOut += row.frames();
        }
        List<StackRow> trimmed = new ArrayList<>(rows.subList(0, head));
        trimmed.add(StackRow.leftOut(leftOut));
        trimmed.addAll(rows.subList(rows.size() - tail, rows.size()));
        return new PrintedSite(domain, bytes, count, trimmed, retainedBy);
    }
}
