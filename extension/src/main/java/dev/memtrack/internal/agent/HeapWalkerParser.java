package dev.memtrack.internal.agent;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.ArrayList;
import java.util.List;

/** Reads the text of HeapWalker.findLeaks0; format in docs/managed-heap.md. */
final class HeapWalkerParser {

    private HeapWalkerParser() {
    }

    static ManagedTracker.LeakCheck unavailable(String why) {
        return new ManagedTracker.LeakCheck(ScopeReport.empty(Domain.MANAGED), ScopeReport.empty(Domain.MANAGED), List.of(),
                0, 0, false, why);
    }

    /** One site being read. */
    private static final class PendingSite {
        final String[] fields;
        final List<Frame> frames = new ArrayList<>();
        final List<String> retainedBy = new ArrayList<>();

        PendingSite(String[] fields) {
            this.fields = fields;
        }

        boolean isLeak() {
            return fields[1].equals("leak");
        }

        Site site() {
            long bytes = l(fields[3]);
            long count = l(fields[4]);
            return new Site(Domain.MANAGED, Origin.JAVA_HEAP, l(fields[6]), l(fields[7]), bytes, count, 0, 0, frames, retainedBy);
        }
    }

    static ManagedTracker.LeakCheck parse(String text, boolean strict) {
        String[] lines = text.split("\n");
        NativeTextFormat.checkHeader(lines, NativeTextFormat.HEAP_LEAKS);
        List<PendingSite> sites = new ArrayList<>();
        String[] summary = null;
        String note = "";
        PendingSite current = null;
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t", -1);
            switch (f[0]) {
                case "summary" -> summary = f;
                case "unavailable" -> note = f.length > 1 ? f[1] : "unavailable";
                case "site" -> {
                    current = new PendingSite(f);
                    sites.add(current);
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
        List<Site> leaks = new ArrayList<>();
        List<Site> once = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (PendingSite s : sites) {
            if (s.isLeak()) {
                leaks.add(s.site());
            } else {
                once.add(s.site());
                reasons.add(s.fields[2]);
            }
        }
        long candidates = 0;
        long micros = 0;
        boolean truncated = false;
        Figures leaked = Figures.ZERO;
        Figures retainedOnce = Figures.ZERO;
        if (summary != null) {
            candidates = l(summary[1]);
            leaked = new Figures(0, 0, 0, 0, l(summary[3]), l(summary[4]), 0);
            retainedOnce = new Figures(0, 0, 0, 0, l(summary[6]), l(summary[7]), 0);
            truncated = !summary[10].equals("0");
            micros = l(summary[11]);
        }
        return new ManagedTracker.LeakCheck(new ScopeReport(Domain.MANAGED, leaked, leaks),
                new ScopeReport(Domain.MANAGED, retainedOnce, once), reasons, candidates, micros, truncated, note);
    }

    private static long l(String s) {
        return Long.parseLong(s);
    }
}
