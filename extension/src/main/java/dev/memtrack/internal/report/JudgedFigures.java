package dev.memtrack.internal.report;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.verdict.OneTimeInitialisation;

/**
 * A domain's figures as the leak verdict sees them: native memory still live because of
 * one-time initialisation (a class initialiser, class or library loading) is reported, but it is
 * not leaked, so the "Leaked" figures of reports and the suite summary leave it out, as failure
 * messages do. Managed reports already carry leaked figures only.
 */
final class JudgedFigures {

    private JudgedFigures() {
    }

    static Figures of(ScopeReport report) {
        Figures f = report.figures();
        if (report.domain() != Domain.NATIVE) {
            return f;
        }
        long bytes = 0;
        long count = 0;
        for (Site site : report.sites()) {
            if (site.liveBytes() > 0 && OneTimeInitialisation.matches(site)) {
                bytes += site.liveBytes();
                count += site.liveCount();
            }
        }
        if (bytes == 0) {
            return f;
        }
        return new Figures(f.allocatedBytes(), f.allocatedCount(), f.freedBytes(), f.freedCount(),
                Math.max(0, f.liveBytes() - bytes), Math.max(0, f.liveCount() - count), f.peakBytes());
    }
}
