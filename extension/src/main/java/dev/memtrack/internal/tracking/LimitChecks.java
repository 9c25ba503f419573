package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.message.MessageContext;
import dev.memtrack.internal.message.Subject;
import dev.memtrack.internal.message.VerdictMessage;
import dev.memtrack.internal.message.VerdictMessages;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;
import org.opentest4j.AssertionFailedError;

/** Judges a finished test against the {@code @TrackMemory} limits in force. */
@API(status = INTERNAL, since = "0.1")
public final class LimitChecks {

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
     * A finished test's breaches of its declared limits, each recorded as the test's failure (for
     * the capture); none when the test already failed on its own (its own failure comes first).
     */
    public static List<VerdictMessage> judgeFinished(TestTracking test, Measurement measurement, boolean failedOnItsOwn) {
        List<VerdictMessage> breaches = failedOnItsOwn
                ? List.of()
                : breaches(test.settings().limits(), measurement, test.messageContext());
        breaches.forEach(breach -> test.recordFailure(breach.text()));
        return breaches;
    }

    /**
     * One error for several breaches: the first, with the others suppressed. Judged after the test
     * method returned, none has a frame of the test's code: each points at the test method.
     */
    public static AssertionFailedError toError(List<VerdictMessage> breaches, TestIdentity test) {
        AssertionFailedError first = CallerStack.atTestMethod(breaches.get(0).toAssertionFailedError(), test);
        for (VerdictMessage other : breaches.subList(1, breaches.size())) {
            first.addSuppressed(CallerStack.atTestMethod(other.toAssertionFailedError(), test));
        }
        return first;
    }
}
