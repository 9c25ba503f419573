package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.message.Subject;
import dev.memtrack.internal.message.VerdictMessage;
import dev.memtrack.internal.message.VerdictMessages;
import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.Verdict;
import dev.memtrack.internal.verdict.VerdictKind;
import org.apiguardian.api.API;
import org.junit.platform.commons.PreconditionViolationException;
import org.opentest4j.AssertionFailedError;

/**
 * {@code MemoryAssertions.assertNoLeaks()} and {@code assertPeakBelow(..)}: verdicts on the
 * tracked test that is running on the calling thread, with the test's figures so far. All of
 * it is memtrack's own work, done outside the test's scope ({@link OwnWork}).
 */
@API(status = INTERNAL, since = "0.1")
public final class RunningTestChecks {

    private RunningTestChecks() {
    }

    public static void assertNoLeaks() {
        check("assertNoLeaks()", true, VerdictKind.LEAK, 0);
    }

    public static void assertPeakBelow(long limitBytes) {
        check("assertPeakBelow(..)", false, VerdictKind.PEAK, limitBytes);
    }

    /**
     * Judges the running test's figures so far, combined over both domains.
     *
     * @param leakCheck settle and run the leak check before reading (assertNoLeaks)
     */
    private static void check(String method, boolean leakCheck, VerdictKind kind, long limitBytes) {
        TestTracking test = runningTest(method);
        if (!test.settings().enabled()) {
            return;
        }
        AssertionFailedError failure = OwnWork.outsideScopes(test.tracker(), test.managed(), () -> {
            Measurement measurement = measure(test, method, leakCheck);
            Verdict verdict = new Verdict(kind, DomainSelection.ANY, limitBytes);
            return verdict.isBreachedBy(measurement)
                    ? fail(test, VerdictMessages.of(verdict, Subject.TEST, measurement, test.messageContext()))
                    : null;
        });
        if (failure != null) {
            throw failure;
        }
    }

    private static TestTracking runningTest(String method) {
        return ActiveTests.current().orElseThrow(() -> new PreconditionViolationException("MemoryAssertions." + method
                + " was called outside a test tracked by memtrack; annotate the test class or method with @TrackMemory"
                + " and call it from the test method's thread (not from @BeforeEach, @AfterEach or a thread the test started)"));
    }

    private static Measurement measure(TestTracking test, String method, boolean leakCheck) {
        try {
            return test.measureSoFar(leakCheck);
        } catch (RuntimeException e) {
            throw MemtrackMachineryException.couldNot("measure " + test.identity().element() + " for " + method, e);
        }
    }

    private static AssertionFailedError fail(TestTracking test, VerdictMessage message) {
        test.recordFailure(message.text());
        return CallerStack.fromCaller(message.toAssertionFailedError());
    }
}
