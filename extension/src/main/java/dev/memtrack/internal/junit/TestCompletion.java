package dev.memtrack.internal.junit;

import dev.memtrack.internal.message.VerdictMessage;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.report.CaptureSink;
import dev.memtrack.internal.tracking.LimitChecks;
import dev.memtrack.internal.tracking.MemtrackMachineryException;
import dev.memtrack.internal.tracking.ReportPaths;
import dev.memtrack.internal.tracking.TestTracking;
import dev.memtrack.internal.verdict.Measurement;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * What happens after a tracked test's teardown (see {@link TeardownVerdict}): settle, judge the
 * declared limits, write the capture (and the HTML
 * report when the test failed or {@code memtrack.report.html} asks for it), publish the figures, then fail the test if a limit was
 * breached or (baseline check mode, {@link BaselineHook}) a figure grew beyond its baseline. A test that already
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
            BaselineHook.notMeasured(test); // baseline (issue 14): listed, neither checked nor recorded
            return;
        }
        String element = test.identity().element();
        Measurement measurement;
        try {
            measurement = test.finish();
        } catch (RuntimeException e) {
            throw MemtrackMachineryException.couldNot("measure " + element + " after it ran", e);
        }
        boolean failedBefore = context.getExecutionException().isPresent();
        List<VerdictMessage> breaches = LimitChecks.judgeFinished(test, measurement, failedBefore);
        // baseline (issue 14): a figure grown beyond tolerance fails like a limit, so it is in the capture
        BaselineHook.Result baseline = BaselineHook.check(context, test, measurement, failedBefore || !breaches.isEmpty());
        baseline.failure().ifPresent(failure -> test.recordFailure(failure.text()));

        Optional<CaptureSink.WrittenFiles> files = Optional.empty();
        RuntimeException writeFailure = null;
        TestCapture capture = test.capture(measurement);
        // the compact capture always; the HTML report where someone will read it (memtrack.report.html)
        boolean failed = failedBefore || !breaches.isEmpty() || baseline.failure().isPresent();
        try {
            files = test.write(capture, failed);
        } catch (IOException | RuntimeException e) {
            writeFailure = MemtrackMachineryException.couldNot("write the capture and report of " + element + " under "
                    + ReportPaths.display(test.paths().reportDir()), e);
        }
        // baseline (issue 14): record mode keeps the capture; a failed check adds the diff flame graph to the report
        RuntimeException baselineFailure = baseline.error() != null ? baseline.error()
                : BaselineHook.afterWrite(context, test, measurement, capture, files, baseline,
                        failedBefore || !breaches.isEmpty());
        if (writeFailure == null) {
            writeFailure = baselineFailure;
        } else if (baselineFailure != null) {
            writeFailure.addSuppressed(baselineFailure);
        }
        FiguresPublisher.publish(context, measurement, files);
        files.ifPresent(written -> FileAttachments.attach(context, written));
        test.managedUnavailableReason().ifPresent(reason -> context.publishReportEntry(FiguresPublisher.MANAGED_UNAVAILABLE, reason));
        // never pass silently when memtrack could not see: every test says so while it holds
        String unseen = test.tracker().unseenNotice();
        if (!unseen.isEmpty()) {
            context.publishReportEntry(FiguresPublisher.NATIVE_PARTIAL, unseen);
        }

        if (!breaches.isEmpty()) {
            AssertionFailedError error = LimitChecks.toError(breaches, test.identity());
            if (writeFailure != null) {
                error.addSuppressed(writeFailure);
            }
            throw error;
        }
        if (baseline.failure().isPresent()) {
            AssertionFailedError error = baseline.failure().get().toAssertionFailedError();
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
