package dev.memtrack.internal.message;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.size.SizeFormatter;
import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.Total;
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
        Total peak = measurement.total(VerdictKind.PEAK, selection);
        DomainWording wording = DomainWording.of(measurement, selection, peak, VerdictKind.PEAK);
        String limit = SizeFormatter.format(limitBytes);
        String actual = SizeFormatter.format(peak.bytes());
        String sentence = subject.word() + " reached a peak of " + wording.about() + actual + " of " + wording.domains()
                + " memory (" + wording.split() + "allowed: below " + limit + ")";
        String text = MessageShape.build(sentence, measurement, selection, VerdictKind.PEAK, context);
        return new VerdictMessage(text, limit, actual);
    }
}
