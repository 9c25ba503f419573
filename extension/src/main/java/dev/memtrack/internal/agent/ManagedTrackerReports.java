package dev.memtrack.internal.agent;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Joins a managed report and a leak check into the report the verdicts read. */
final class ManagedTrackerReports {

    private ManagedTrackerReports() {
    }

    static ScopeReport withLeaks(ScopeReport report, ManagedTracker.LeakCheck leaks) {
        Map<List<Frame>, Site> leaked = new LinkedHashMap<>();
        for (Site s : leaks.leaks().sites()) {
            leaked.put(s.frames(), s);
        }
        List<Site> sites = new ArrayList<>();
        for (Site s : report.sites()) {
            Site leak = leaked.remove(s.frames());
            sites.add(new Site(Domain.MANAGED, s.origin(), s.allocatedBytes(), s.allocatedCount(),
                    leak == null ? 0 : leak.liveBytes(), leak == null ? 0 : leak.liveCount(),
                    s.peakBytes(), s.peakCount(), s.frames(), leak == null ? List.of() : leak.retainedBy()));
        }
        sites.addAll(leaked.values()); // a leaked site the report did not list (its site table was full)
        Figures f = report.figures();
        Figures leakedTotals = leaks.leaks().figures();
        return new ScopeReport(Domain.MANAGED, new Figures(f.allocatedBytes(), f.allocatedCount(), f.freedBytes(), f.freedCount(),
                leakedTotals.liveBytes(), leakedTotals.liveCount(), f.peakBytes()), sites);
    }
}
