package dev.memtrack.internal.message;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.Verdict;
import dev.memtrack.internal.verdict.VerdictKind;
import org.apiguardian.api.API;

/**
 * {@code Test reached a peak of 9.5 MiB of native memory (allowed: below 8.0 MiB)}, then the
 * sites by the bytes they had live at the peak.
 */
@API(status = INTERNAL, since = "0.1")
public final class ShouldHavePeakBelow {

    private ShouldHavePeakBelow() {
    }

    public static VerdictMessage shouldHavePeakBelow(Subject subject, Measurement measurement, DomainSelection selection,
                                                     long limitBytes, MessageContext context) {
        return VerdictMessages.build(new Verdict(VerdictKind.PEAK, selection, limitBytes), measurement, context,
                (peak, wording, actual, limit) -> subject.word() + " reached a peak of " + wording.about() + actual + " of "
                        + wording.domains() + " memory (" + wording.split() + "allowed: below " + limit + ")");
    }
}
