package dev.memtrack.internal.message;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.Verdict;
import dev.memtrack.internal.verdict.VerdictKind;
import org.apiguardian.api.API;

/**
 * {@code Test leaked 3.2 MiB of native memory in 1 allocation (allowed: 0 B)}, then the sites
 * still live, largest first.
 */
@API(status = INTERNAL, since = "0.1")
public final class ShouldNotLeak {

    private ShouldNotLeak() {
    }

    public static VerdictMessage shouldNotLeak(Subject subject, Measurement measurement, DomainSelection selection,
                                               long allowedBytes, MessageContext context) {
        return VerdictMessages.build(new Verdict(VerdictKind.LEAK, selection, allowedBytes), measurement, context,
                (leaked, wording, actual, limit) -> subject.word() + " leaked " + wording.about() + actual + " of "
                        + wording.domains() + " memory in " + wording.aboutCount() + Plural.of(leaked.count(), "allocation")
                        + " (" + wording.split() + "allowed: " + limit + ")");
    }
}
