package dev.memtrack.internal.message;

import dev.memtrack.internal.model.Domain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A site as a message prints it: its figure for the verdict, its stack rows (trimmed below the
 * test method, runs of unsymbolized frames folded) and, for a leaked managed site, the path that
 * retains it; for a leaked native site, its owner line and the path to the owner. Sites that would print the same — native sites whose stacks differ only in a call
 * site inside a function, or in the offsets of a stripped library — are one printed site with
 * their bytes and counts summed.
 */
record PrintedSite(Domain domain, long bytes, long count, List<StackRow> rows, List<String> retainedBy, String ownedBy) {

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
        return List.of(domain, printed, retainedBy, ownedBy);
    }

    private PrintedSite plus(PrintedSite other) {
        return new PrintedSite(domain, bytes + other.bytes, count + other.count, rows, retainedBy, ownedBy);
    }

    /**
     * The rows within a budget of {@code maxRows} lines. When there are more, the rows a reader
     * needs most are kept — the allocator, the first named library function, the JNI boundary
     * (the last native frame), the test's frame at the bottom, the Java method that called the
     * library — then the rows next to them, nearest first; each run of rows left out becomes one row
     * saying how many frames it held ({@code ... 12 frames left out}), counted in the budget.
     */
    PrintedSite withinBudget(int maxRows) {
        int n = rows.size();
        if (n <= maxRows || maxRows < 3) {
            return this;
        }
        int boundary = -1;
        for (int i = 0; i + 1 < n; i++) {
            if (rows.get(i).isNative() && !rows.get(i + 1).isNative()) {
                boundary = i;
            }
        }
        int library = -1;
        for (int i = 1; i < n && library < 0; i++) {
            if (rows.get(i).isNative() && !rows.get(i).isFolded() && !rows.get(i).symbol().startsWith("0x")) {
                library = i;
            }
        }
        // in order of need: allocator, the library function that allocated, the JNI boundary, the test
        List<Integer> anchors = new ArrayList<>(List.of(0));
        if (library > 0) {
            anchors.add(library);
        }
        if (boundary > 0) {
            anchors.add(boundary);
        }
        anchors.add(n - 1);
        if (boundary > 0) {
            anchors.add(boundary + 1);
        }
        boolean[] kept = new boolean[n];
        for (int anchor : anchors) {
            tryKeep(kept, anchor, maxRows);
        }
        for (int distance = 1; distance < n; distance++) {
            for (int anchor : anchors) {
                tryKeep(kept, anchor + distance, maxRows);
                tryKeep(kept, anchor - distance, maxRows);
            }
        }
        List<StackRow> trimmed = new ArrayList<>(maxRows);
        int leftOut = 0;
        for (int i = 0; i < n; i++) {
            if (kept[i]) {
                if (leftOut > 0) {
                    trimmed.add(StackRow.leftOut(leftOut));
                    leftOut = 0;
                }
                trimmed.add(rows.get(i));
            } else {
                leftOut += rows.get(i).frames();
            }
        }
        if (leftOut > 0) {
            trimmed.add(StackRow.leftOut(leftOut));
        }
        return new PrintedSite(domain, bytes, count, trimmed, retainedBy, ownedBy);
    }

    /** Keeps row {@code i} if the rows kept and the gaps between them still fit in {@code maxRows}. */
    private static void tryKeep(boolean[] kept, int i, int maxRows) {
        if (i < 0 || i >= kept.length || kept[i]) {
            return;
        }
        kept[i] = true;
        if (printedRows(kept) > maxRows) {
            kept[i] = false;
        }
    }

    private static int printedRows(boolean[] kept) {
        int printed = 0;
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] || i == 0 || kept[i - 1]) {
                printed++; // a kept row, or the first row of a gap
            }
        }
        return printed;
    }
}
