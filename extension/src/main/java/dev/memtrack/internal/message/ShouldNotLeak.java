package dev.memtrack.internal.message;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.size.SizeFormatter;
import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.Total;
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
        Total leaked = measurement.total(VerdictKind.LEAK, selection);
        DomainWording wording = DomainWording.of(measurement, selection, leaked, VerdictKind.LEAK);
        String limit = SizeFormatter.format(allowedBytes);
        String actual = SizeFormatter.format(leaked.bytes());
        String sentence = subject.word() + " leaked " + wording.about() + actual + " of " + wording.domains() + " memory in "
                + wording.aboutCount() + Plural.of(leaked.count(), "allocation") + " (" + wording.split() + "allowed: " + limit + ")";
        String text = MessageShape.build(sentence, measurement, selection, VerdictKind.LEAK, context);
        return new VerdictMessage(text, limit, actual);
    }
}
