package dev.memtrack.internal.message;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.Verdict;
import dev.memtrack.internal.verdict.VerdictKind;
import org.apiguardian.api.API;

/**
 * {@code Block allocated 3.0 MiB of native memory in 12 allocations (allowed: below 1.0 MiB)},
 * then the sites by allocated bytes.
 */
@API(status = INTERNAL, since = "0.1")
public final class ShouldHaveAllocatedBelow {

    private ShouldHaveAllocatedBelow() {
    }

    public static VerdictMessage shouldHaveAllocatedBelow(Subject subject, Measurement measurement,
                                                          DomainSelection selection, long limitBytes,
                                                          MessageContext context) {
        return VerdictMessages.build(new Verdict(VerdictKind.BUDGET, selection, limitBytes), measurement, context,
                (allocated, wording, actual, limit) -> subject.word() + " allocated " + wording.about() + actual + " of "
                        + wording.domains() + " memory in " + wording.aboutCount()
                        + Plural.of(allocated.count(), "allocation") + " (" + wording.split() + "allowed: below " + limit + ")");
    }
}
