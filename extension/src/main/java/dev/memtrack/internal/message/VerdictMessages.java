package dev.memtrack.internal.message;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.size.SizeFormatter;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.Total;
import dev.memtrack.internal.verdict.Verdict;
import org.apiguardian.api.API;

/** The message of a breached {@link Verdict}: picks the factory for its kind. */
@API(status = INTERNAL, since = "0.1")
public final class VerdictMessages {

    private VerdictMessages() {
    }

    /** A verdict's first sentence, which each factory words its own way. */
    @FunctionalInterface
    interface Sentence {
        /**
         * @param figure  the figure judged
         * @param wording the domains and estimate wording of the figure
         * @param actual  the figure, formatted
         * @param limit   the limit, formatted
         */
        String of(Total figure, DomainWording wording, String actual, String limit);
    }

    /**
     * What every factory does alike: the sentence, then the sites ({@link MessageShape}), with the
     * limit as expected and the figure as actual.
     */
    static VerdictMessage build(Verdict verdict, Measurement measurement, MessageContext context, Sentence sentence) {
        Total figure = verdict.figure(measurement);
        DomainWording wording = DomainWording.of(measurement, verdict.selection(), figure, verdict.kind());
        String limit = SizeFormatter.format(verdict.limitBytes());
        String actual = SizeFormatter.format(figure.bytes());
        String text = MessageShape.build(sentence.of(figure, wording, actual, limit), measurement, verdict.selection(),
                verdict.kind(), context);
        return new VerdictMessage(text, limit, actual);
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
