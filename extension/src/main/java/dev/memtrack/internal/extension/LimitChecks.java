package dev.memtrack.internal.extension;

import dev.memtrack.internal.message.MessageContext;
import dev.memtrack.internal.message.Subject;
import dev.memtrack.internal.message.VerdictMessage;
import dev.memtrack.internal.message.VerdictMessages;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.opentest4j.AssertionFailedError;

/** Judges a finished test against the {@code @TrackMemory} limits in force. */
final class LimitChecks {

    private LimitChecks() {
    }

    /** The breached limits' messages, in declaration order; empty when all hold. */
    static List<VerdictMessage> breaches(List<DeclaredLimit> limits, Measurement measurement, MessageContext context) {
        List<VerdictMessage> breaches = new ArrayList<>();
        for (DeclaredLimit limit : limits) {
            Verdict verdict = limit.verdict();
            if (verdict.isBreachedBy(measurement)) {
                breaches.add(VerdictMessages.of(verdict, Subject.TEST, measurement, context));
            }
        }
        return breaches;
    }

    /**
     * One error for several breaches: the first, with the others suppressed. Judged after the test
     * method returned, none has a frame of the test's code: each points at the test method.
     */
    static AssertionFailedError toError(List<VerdictMessage> breaches, TestIdentity test) {
        AssertionFailedError first = CallerStack.atTestMethod(breaches.get(0).toAssertionFailedError(), test);
        for (VerdictMessage other : breaches.subList(1, breaches.size())) {
            first.addSuppressed(CallerStack.atTestMethod(other.toAssertionFailedError(), test));
        }
        return first;
    }
}
