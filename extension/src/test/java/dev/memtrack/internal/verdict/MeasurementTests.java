package dev.memtrack.internal.verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeasurementTests {

    private static Site site(Domain domain, long allocated, long live, long liveCount) {
        return new Site(domain, Origin.JNI_LIBRARY, allocated, 1, live, liveCount, allocated, 1, List.of());
    }

    private final ScopeReport nativeReport = new ScopeReport(Domain.NATIVE, new Figures(1000, 4, 700, 2, 300, 2, 800),
            List.of(site(Domain.NATIVE, 600, 0, 0), site(Domain.NATIVE, 400, 300, 2)));
    private final ScopeReport managedReport = new ScopeReport(Domain.MANAGED, new Figures(50, 5, 30, 3, 20, 2, 40),
            List.of(site(Domain.MANAGED, 50, 20, 2)));

    @Test
    void leakCountsTheSitesStillLive() {
        Total leaked = Measurement.ofNative(nativeReport).total(VerdictKind.LEAK, DomainSelection.ANY);

        assertThat(leaked).isEqualTo(new Total(300, 2, Map.of(Domain.NATIVE, 300L)));
    }

    @Test
    void budgetReadsTheAllocatedTotals() {
        Total allocated = Measurement.ofNative(nativeReport).total(VerdictKind.BUDGET, DomainSelection.NATIVE);

        assertThat(allocated).isEqualTo(new Total(1000, 4, Map.of(Domain.NATIVE, 1000L)));
    }

    @Test
    void combinesDomainsButTakesTheCombinedPeakAsGiven() {
        Measurement both = new Measurement(List.of(nativeReport, managedReport), 810);

        assertThat(both.total(VerdictKind.LEAK, DomainSelection.ANY)).isEqualTo(new Total(320, 4, Map.of(Domain.NATIVE, 300L, Domain.MANAGED, 20L)));
        assertThat(both.total(VerdictKind.PEAK, DomainSelection.ANY).bytes()).isEqualTo(810);
        assertThat(both.total(VerdictKind.PEAK, DomainSelection.MANAGED).bytes()).isEqualTo(40);
        assertThat(both.sites(DomainSelection.MANAGED)).hasSize(1);
        assertThat(both.sites(DomainSelection.ANY)).hasSize(3);
    }

    @Test
    void aDomainNotMeasuredReadsZero() {
        Measurement nativeOnly = Measurement.ofNative(nativeReport);

        assertThat(nativeOnly.report(Domain.MANAGED)).isEmpty();
        assertThat(nativeOnly.figures(Domain.MANAGED)).isEqualTo(Figures.ZERO);
        assertThat(nativeOnly.total(VerdictKind.BUDGET, DomainSelection.MANAGED)).isEqualTo(new Total(0, 0, Map.of()));
        assertThat(nativeOnly.combinedPeakBytes()).isEqualTo(800);
    }

    @Test
    void refusesTwoReportsOfOneDomain() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Measurement(List.of(nativeReport, nativeReport), 0));
    }

    @Test
    void leakIsAnAllowanceWhilePeakAndBudgetAreExclusiveBounds() {
        assertThat(VerdictKind.LEAK.breaches(0, 0)).isFalse();
        assertThat(VerdictKind.LEAK.breaches(1, 0)).isTrue();
        assertThat(VerdictKind.PEAK.breaches(99, 100)).isFalse();
        assertThat(VerdictKind.PEAK.breaches(100, 100)).isTrue();
        assertThat(VerdictKind.BUDGET.breaches(100, 100)).isTrue();
    }
}
