package dev.memtrack.internal.report;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;
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
        return report.domain() == Domain.NATIVE ? OneTimeInitialisation.setAside(report).figures() : report.figures();
    }
}
