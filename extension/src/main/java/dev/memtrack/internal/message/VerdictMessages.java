package dev.memtrack.internal.message;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.Verdict;
import org.apiguardian.api.API;

/** The message of a breached {@link Verdict}: picks the factory for its kind. */
@API(status = INTERNAL, since = "0.1")
public final class VerdictMessages {

    private VerdictMessages() {
    }

    public static VerdictMessage of(Verdict verdict, Subject subject, Measurement measurement, MessageContext context) {
        long limit = verdict.limitBytes();
        return switch (verdict.kind()) {
            case LEAK -> ShouldNotLeak.shouldNotLeak(subject, measurement, verdict.selection(), limit, context);
            case PEAK -> ShouldHavePeakBelow.shouldHavePeakBelow(subject, measurement, verdict.selection(), limit, context);
            case BUDGET -> ShouldHaveAllocatedBelow.shouldHaveAllocatedBelow(subject, measurement, verdict.selection(), limit,
                    context);
        };
    }
}
