package dev.memtrack.internal.extension;

import dev.memtrack.internal.message.VerdictMessage;
import dev.memtrack.internal.verdict.Measurement;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * What happens after a tracked test's teardown (see {@link TeardownVerdict}): settle, judge the declared limits, write capture and
 * report, publish the figures, then fail the test if a limit was breached. A test that already
 * failed is not judged (its own failure comes first) but is still recorded.
 */
final class TestCompletion {

    private TestCompletion() {
    }

    static void complete(ExtensionContext context, TestTracking test) {
        if (!test.settings().enabled() || !test.hasBegun()) {
            return;
        }
        if (!test.isTrackerAvailable()) {
            context.publishReportEntry(FiguresPublisher.UNAVAILABLE, test.unavailableReason());
            return;
        }
        String element = test.identity().element();
        Measurement measurement;
        try {
            measurement = test.finish();
        } catch (RuntimeException e) {
            throw MemtrackMachineryException.couldNot("measure " + element + " after it ran", e);
        }
        List<VerdictMessage> breaches = context.getExecutionException().isPresent()
                ? List.of()
                : LimitChecks.breaches(test.settings().limits(), measurement, test.messageContext());
        breaches.forEach(breach -> test.recordFailure(breach.text()));

        Optional<CaptureSink.WrittenFiles> files = Optional.empty();
        RuntimeException writeFailure = null;
        try {
            files = Backends.captureSink().write(test.capture(measurement), test.paths().reportDir());
        } catch (IOException | RuntimeException e) {
            writeFailure = MemtrackMachineryException.couldNot("write the capture and report of " + element + " under "
                    + ReportPaths.display(test.paths().reportDir()), e);
        }
        FiguresPublisher.publish(context, measurement, files);
        files.ifPresent(written -> FileAttachments.attach(context, written));
        test.managedUnavailableReason().ifPresent(reason -> context.publishReportEntry(FiguresPublisher.MANAGED_UNAVAILABLE, reason));

        if (!breaches.isEmpty()) {
            AssertionFailedError error = LimitChecks.toError(breaches);
            if (writeFailure != null) {
                error.addSuppressed(writeFailure);
            }
            throw error;
        }
        if (writeFailure != null) {
            throw writeFailure;
        }
    }
}
