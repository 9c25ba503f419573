package dev.memtrack.internal.message;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.VerdictKind;
import org.apiguardian.api.API;

/** Picks the factory for a verdict kind, for callers that loop over limits. */
@API(status = INTERNAL, since = "0.1")
public final class VerdictMessages {

    private VerdictMessages() {
    }

    public static VerdictMessage of(VerdictKind kind, Subject subject, Measurement measurement,
                                    DomainSelection selection, long limitBytes, MessageContext context) {
        return switch (kind) {
            case LEAK -> ShouldNotLeak.shouldNotLeak(subject, measurement, selection, limitBytes, context);
            case PEAK -> ShouldHavePeakBelow.shouldHavePeakBelow(subject, measurement, selection, limitBytes, context);
            case BUDGET -> ShouldHaveAllocatedBelow.shouldHaveAllocatedBelow(subject, measurement, selection, limitBytes, context);
        };
    }
}
