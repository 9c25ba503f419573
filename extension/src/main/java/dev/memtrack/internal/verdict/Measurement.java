package dev.memtrack.internal.verdict;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What one scope measured, one {@link ScopeReport} per domain that was tracked, plus the combined
 * peak. Verdicts combine domains here and nowhere else.
 *
 * <p>The combined peak is the largest native + managed total at one instant; it cannot be derived
 * from the per-domain peaks, so whoever measures both domains supplies it. Today only the native
 * domain is measured ({@link #ofNative}) and the combined peak is the native peak.
 *
 * @param reports           at most one per domain
 * @param combinedPeakBytes the peak of all measured domains together
 */
@API(status = INTERNAL, since = "0.1")
public record Measurement(List<ScopeReport> reports, long combinedPeakBytes) {

    public Measurement {
        reports = List.copyOf(reports);
        if (reports.stream().map(ScopeReport::domain).distinct().count() != reports.size()) {
            throw new IllegalArgumentException("one report per domain expected: " + reports);
        }
    }

    /** A measurement of the native domain alone. */
    public static Measurement ofNative(ScopeReport nativeReport) {
        return new Measurement(List.of(nativeReport), nativeReport.figures().peakBytes());
    }

    public boolean measures(Domain domain) {
        return report(domain).isPresent();
    }

    public Optional<ScopeReport> report(Domain domain) {
        return reports.stream().filter(r -> r.domain() == domain).findFirst();
    }

    /** The domain's totals; {@link Figures#ZERO} when it was not measured. */
    public Figures figures(Domain domain) {
        return report(domain).map(ScopeReport::figures).orElse(Figures.ZERO);
    }

    /** The sites of the selected domains, in report order. */
    public List<Site> sites(DomainSelection selection) {
        List<Site> sites = new ArrayList<>();
        for (ScopeReport report : selected(selection)) {
            sites.addAll(report.sites());
        }
        return sites;
    }

    /**
     * The figure the verdict judges. A leak counts the sites still live (after settling, when
     * the caller settled); a peak reads the domain peaks, or the combined peak when more than one
     * domain is selected; a budget reads the allocated totals.
     */
    public Total total(VerdictKind kind, DomainSelection selection) {
        List<ScopeReport> selected = selected(selection);
        Map<Domain, Long> byDomain = new EnumMap<>(Domain.class);
        long bytes = 0;
        long count = 0;
        for (ScopeReport report : selected) {
            long domainBytes;
            switch (kind) {
                case LEAK -> {
                    domainBytes = 0;
                    for (Site site : report.sites()) {
                        // one-time initialisation is reported, but it is not a leak
                        domainBytes += kind.siteBytes(site);
                        count += kind.siteCount(site);
                    }
                }
                case PEAK -> domainBytes = report.figures().peakBytes();
                case BUDGET -> {
                    domainBytes = report.figures().allocatedBytes();
                    count += report.figures().allocatedCount();
                }
                default -> throw new IllegalStateException(kind.name());
            }
            byDomain.put(report.domain(), domainBytes);
            bytes += domainBytes;
        }
        if (kind == VerdictKind.PEAK && selected.size() > 1) {
            bytes = combinedPeakBytes;
        }
        return new Total(bytes, count, byDomain);
    }

    private List<ScopeReport> selected(DomainSelection selection) {
        return reports.stream().filter(r -> selection.includes(r.domain())).toList();
    }
}
