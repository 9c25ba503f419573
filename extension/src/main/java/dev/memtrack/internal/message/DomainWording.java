package dev.memtrack.internal.message;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.size.SizeFormatter;
import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.Total;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code <domain>} words of a sentence and, for a combined figure that both domains
 * contribute to, the split ({@code "native 2.0 MiB, managed 1.0 MiB; "}) put before "allowed".
 */
record DomainWording(String domains, String split) {

    private static final String BOTH = Domain.NATIVE.label() + " and " + Domain.MANAGED.label();

    static DomainWording of(Measurement measurement, DomainSelection selection, Total total) {
        if (selection.isNarrowed()) {
            return new DomainWording(selection.domain().label(), "");
        }
        List<Domain> contributing = total.bytesByDomain().entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(Map.Entry::getKey)
                .toList();
        if (contributing.size() == 1) {
            return new DomainWording(contributing.get(0).label(), "");
        }
        if (contributing.isEmpty()) {
            List<Domain> measured = measurement.reports().stream().map(r -> r.domain()).toList();
            return new DomainWording(measured.size() == 1 ? measured.get(0).label() : BOTH, "");
        }
        String split = total.bytesByDomain().entrySet().stream()
                .map(e -> e.getKey().label() + " " + SizeFormatter.format(e.getValue()))
                .collect(Collectors.joining(", ", "", "; "));
        return new DomainWording(BOTH, split);
    }
}
