package dev.memtrack.internal.message;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.size.SizeFormatter;
import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.Total;
import dev.memtrack.internal.verdict.VerdictKind;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code <domain>} words of a sentence and, for a combined figure that both domains
 * contribute to, the split ({@code "native 2.0 MiB, managed 1.0 MiB; "}) put before "allowed".
 * Figures that are estimates (the managed heap in sampled mode: everything but allocated bytes)
 * read "about 1.9 MiB", "about 2000 allocations".
 *
 * @param about      "about " before the sentence's size, or ""
 * @param aboutCount "about " before the sentence's allocation count, or ""
 */
record DomainWording(String domains, String split, String about, String aboutCount) {

    static final String ABOUT = "about ";
    private static final String BOTH = Domain.NATIVE.label() + " and " + Domain.MANAGED.label();

    static DomainWording of(Measurement measurement, DomainSelection selection, Total total, VerdictKind kind) {
        List<Domain> contributing = total.bytesByDomain().entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(Map.Entry::getKey)
                .toList();
        List<Domain> spoken;
        if (selection.isNarrowed()) {
            spoken = List.of(selection.domain());
        } else if (!contributing.isEmpty()) {
            spoken = contributing;
        } else {
            spoken = measurement.reports().stream().map(ScopeReport::domain).filter(selection::includes).toList();
        }
        boolean estimated = spoken.stream().anyMatch(measurement::isEstimated);
        String aboutCount = estimated ? ABOUT : "";
        String about = estimated && bytesEstimated(kind) ? ABOUT : "";
        if (selection.isNarrowed()) {
            return new DomainWording(selection.domain().label(), "", about, aboutCount);
        }
        if (contributing.size() == 1) {
            return new DomainWording(contributing.get(0).label(), "", about, aboutCount);
        }
        if (contributing.isEmpty()) {
            return new DomainWording(spoken.size() == 1 ? spoken.get(0).label() : BOTH, "", about, aboutCount);
        }
        String split = total.bytesByDomain().entrySet().stream()
                // a peak's split gives each domain's own peak: the two need not have been at the
                // same moment, so they may add up to more than the combined peak
                .map(e -> e.getKey().label() + (kind == VerdictKind.PEAK ? " peak " : " ")
                        + (measurement.isEstimated(e.getKey()) && bytesEstimated(kind) ? ABOUT : "")
                        + SizeFormatter.format(e.getValue()))
                .collect(Collectors.joining(", ", "", "; "));
        return new DomainWording(BOTH, split, about, aboutCount);
    }

    /** Allocated bytes are exact in both domains (the JVM's per-thread counters); the rest may not be. */
    static boolean bytesEstimated(VerdictKind kind) {
        return kind != VerdictKind.BUDGET;
    }
}
