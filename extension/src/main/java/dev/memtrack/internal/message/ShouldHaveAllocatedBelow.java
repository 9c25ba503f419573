package dev.memtrack.internal.message;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.size.SizeFormatter;
import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.Total;
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
        Total allocated = measurement.total(VerdictKind.BUDGET, selection);
        DomainWording wording = DomainWording.of(measurement, selection, allocated, VerdictKind.BUDGET);
        String limit = SizeFormatter.format(limitBytes);
        String actual = SizeFormatter.format(allocated.bytes());
        String sentence = subject.word() + " allocated " + wording.about() + actual + " of " + wording.domains() + " memory in "
                + wording.aboutCount() + Plural.of(allocated.count(), "allocation") + " (" + wording.split() + "allowed: below " + limit + ")";
        String text = MessageShape.build(sentence, measurement, selection, VerdictKind.BUDGET, context);
        return new VerdictMessage(text, limit, actual);
    }
}
