package dev.memtrack.internal.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one judge of every verdict: which figure it reads and where its limit lies. */
class VerdictTests {

    private static Site site(Domain domain, long allocated, long live) {
        return new Site(domain, Origin.JNI_LIBRARY, allocated, 1, live, live > 0 ? 1 : 0, allocated, 1, List.of());
    }

    // GIVEN 3,001 native bytes leaked of 7,001 allocated (peak 5,001), 17 managed bytes leaked
    // of 29 allocated (peak 23), and a combined peak of 5,011
    private final Measurement both = new Measurement(List.of(
            new ScopeReport(Domain.NATIVE, new Figures(7001, 2, 4000, 1, 3001, 1, 5001),
                    List.of(site(Domain.NATIVE, 4000, 0), site(Domain.NATIVE, 3001, 3001))),
            new ScopeReport(Domain.MANAGED, new Figures(29, 2, 12, 1, 17, 1, 23),
                    List.of(site(Domain.MANAGED, 12, 0), site(Domain.MANAGED, 17, 17)))), 5011);

    @Test
    void aLeakAllowanceHoldsUpToAndIncludingTheLeakedBytes() {
        assertThat(new Verdict(VerdictKind.LEAK, DomainSelection.ANY, 3018).isBreachedBy(both)).isFalse();
        assertThat(new Verdict(VerdictKind.LEAK, DomainSelection.ANY, 3017).isBreachedBy(both)).isTrue();
        assertThat(new Verdict(VerdictKind.LEAK, DomainSelection.MANAGED, 17).isBreachedBy(both)).isFalse();
        assertThat(new Verdict(VerdictKind.LEAK, DomainSelection.NATIVE, 0).isBreachedBy(both)).isTrue();
    }

    @Test
    void aPeakLimitIsAnExclusiveBoundOnTheCombinedOrTheDomainPeak() {
        assertThat(new Verdict(VerdictKind.PEAK, DomainSelection.ANY, 5012).isBreachedBy(both)).isFalse();
        assertThat(new Verdict(VerdictKind.PEAK, DomainSelection.ANY, 5011).isBreachedBy(both)).isTrue();
        assertThat(new Verdict(VerdictKind.PEAK, DomainSelection.NATIVE, 5002).isBreachedBy(both)).isFalse();
        assertThat(new Verdict(VerdictKind.PEAK, DomainSelection.MANAGED, 23).isBreachedBy(both)).isTrue();
    }

    @Test
    void anAllocationBudgetIsAnExclusiveBoundOnTheAllocatedBytes() {
        assertThat(new Verdict(VerdictKind.BUDGET, DomainSelection.ANY, 7031).isBreachedBy(both)).isFalse();
        assertThat(new Verdict(VerdictKind.BUDGET, DomainSelection.ANY, 7030).isBreachedBy(both)).isTrue();
        assertThat(new Verdict(VerdictKind.BUDGET, DomainSelection.MANAGED, 30).isBreachedBy(both)).isFalse();
    }

    @Test
    void theFigureIsTheOneItsMessageNames() {
        assertThat(new Verdict(VerdictKind.LEAK, DomainSelection.ANY, 0).figure(both).bytes()).isEqualTo(3018);
        assertThat(new Verdict(VerdictKind.PEAK, DomainSelection.NATIVE, 0).figure(both).bytes()).isEqualTo(5001);
        assertThat(new Verdict(VerdictKind.BUDGET, DomainSelection.MANAGED, 0).figure(both).count()).isEqualTo(2);
    }
}
