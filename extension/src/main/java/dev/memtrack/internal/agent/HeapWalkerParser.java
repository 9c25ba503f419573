package dev.memtrack.internal.agent;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.verdict.OneTimeInitialisation;
import dev.memtrack.internal.verdict.OneTimeInitialisation.Holding;
import dev.memtrack.internal.verdict.OneTimeInitialisation.Root;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the text of HeapWalker.findLeaks0 (format in docs/managed-heap.md) and judges it: each
 * site the walk found holds objects of one allocation stack with the same facts of what holds
 * them; {@link OneTimeInitialisation#heldOnce} says which are one-time initialisation (none in
 * strict mode), and sites of the same stack and verdict are merged.
 */
final class HeapWalkerParser {

    private HeapWalkerParser() {
    }

    static ManagedTracker.LeakCheck unavailable(String why) {
        return new ManagedTracker.LeakCheck(ScopeReport.empty(Domain.MANAGED), ScopeReport.empty(Domain.MANAGED), List.of(),
                0, 0, false, why);
    }

    /** One site of the text. */
    private static final class Found {
        final String[] fields;
        final List<Frame> frames = new ArrayList<>();
        final List<String> retainedBy = new ArrayList<>();

        Found(String[] fields) {
            if (fields.length != 12) {
                throw new IllegalStateException("Heap leak site line with " + fields.length + " fields, expected 12: '"
                        + String.join("\\t", fields) + "'");
            }
            this.fields = fields;
        }

        Holding holding() {
            Root root = switch (fields[6]) {
                case "static" -> Root.STATIC;
                case "thread-locals" -> Root.THREAD_LOCALS;
                case "jvm" -> Root.JVM;
                case "other" -> Root.OTHER;
                default -> throw new IllegalStateException("Unknown holder '" + fields[6] + "' in a heap leak site line");
            };
            return new Holding(root, fields[7], fields[8], fields[9].equals("1"), fields[10].equals("1"), retainedBy);
        }
    }

    /** The sites of one stack and one verdict, merged. */
    private static final class Judged {
        final List<Frame> frames;
        final String reason;
        final long allocatedBytes;
        final long allocatedCount;
        long bytes;
        long countFp;
        long depth = Long.MAX_VALUE;
        List<String> retainedBy = List.of();

        Judged(Found first, String reason) {
            this.frames = first.frames;
            this.reason = reason;
            this.allocatedBytes = l(first.fields[4]);
            this.allocatedCount = l(first.fields[5]);
        }

        void add(Found found) {
            bytes += l(found.fields[1]);
            countFp += l(found.fields[2]);
            long d = l(found.fields[11]);
            if (d < depth) { // the path of the shallowest object, as the walk describes each site
                depth = d;
                retainedBy = found.retainedBy;
            }
        }

        Site site(long countOne) {
            return new Site(Domain.MANAGED, Origin.JAVA_HEAP, allocatedBytes, allocatedCount, bytes, objects(countFp, countOne),
                    0, 0, frames, retainedBy);
        }
    }

    /**
     * @param strict   count one-time initialisation as leaked (repeat mode)
     * @param maxSites the largest sites of each kind that the result lists (its totals count all)
     */
    static ManagedTracker.LeakCheck parse(String text, boolean strict, int maxSites) {
        String[] lines = text.split("\n");
        NativeTextFormat.checkHeader(lines, NativeTextFormat.HEAP_LEAKS);
        List<Found> found = new ArrayList<>();
        String[] summary = null;
        String note = "";
        Found current = null;
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t", -1);
            switch (f[0]) {
                case "summary" -> summary = f;
                case "unavailable" -> note = f.length > 1 ? f[1] : "unavailable";
                case "site" -> {
                    current = new Found(f);
                    found.add(current);
                }
                case "frame" -> {
                    if (current != null) {
                        current.frames.add(new Frame(Frame.Kind.JAVA, f[2], f[3], f[4], Integer.parseInt(f[5])));
                    }
                }
                case "retained" -> {
                    if (current != null) {
                        current.retainedBy.add(f[1]);
                    }
                }
                case "end", "" -> {
                }
                default -> throw new IllegalStateException("Unexpected heap leak line " + (i + 1) + ": '" + lines[i] + "'");
            }
        }
        Map<List<Object>, Judged> judged = new LinkedHashMap<>();
        for (Found site : found) {
            String reason = strict ? null : OneTimeInitialisation.heldOnce(site.frames, site.holding());
            judged.computeIfAbsent(Arrays.asList(site.frames, reason), k -> new Judged(site, reason)).add(site);
        }
        long candidates = 0;
        long micros = 0;
        boolean truncated = false;
        long countOne = 1;
        if (summary != null) {
            candidates = l(summary[1]);
            truncated = !summary[4].equals("0");
            micros = l(summary[5]);
            countOne = l(summary[6]);
        }
        List<Judged> bySize = new ArrayList<>(judged.values());
        bySize.sort(Comparator.comparingLong((Judged j) -> j.bytes).reversed());
        List<Site> leaks = new ArrayList<>();
        List<Site> once = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        long[] leakTotals = new long[2];
        long[] onceTotals = new long[2];
        for (Judged j : bySize) {
            boolean leak = j.reason == null;
            long[] totals = leak ? leakTotals : onceTotals;
            totals[0] += j.bytes;
            totals[1] += j.countFp;
            List<Site> kind = leak ? leaks : once;
            if (kind.size() < maxSites) {
                kind.add(j.site(countOne));
                if (!leak) {
                    reasons.add(j.reason);
                }
            }
        }
        Figures leaked = new Figures(0, 0, 0, 0, leakTotals[0], objects(leakTotals[1], countOne), 0);
        Figures retainedOnce = new Figures(0, 0, 0, 0, onceTotals[0], objects(onceTotals[1], countOne), 0);
        return new ManagedTracker.LeakCheck(new ScopeReport(Domain.MANAGED, leaked, leaks),
                new ScopeReport(Domain.MANAGED, retainedOnce, once), reasons, candidates, micros, truncated, note);
    }

    /** Objects of a fixed-point count ({@code countOne} stands for one object), rounded. */
    private static long objects(long countFp, long countOne) {
        return (countFp + countOne / 2) / countOne;
    }

    private static long l(String s) {
        return Long.parseLong(Objects.requireNonNull(s));
    }
}
