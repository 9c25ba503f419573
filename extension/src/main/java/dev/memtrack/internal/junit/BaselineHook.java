package dev.memtrack.internal.junit;

import dev.memtrack.internal.baseline.BaselineFormatException;
import dev.memtrack.internal.baseline.BaselineGate;
import dev.memtrack.internal.baseline.BaselineMode;
import dev.memtrack.internal.baseline.BaselineRunLog;
import dev.memtrack.internal.baseline.BaselineSettings;
import dev.memtrack.internal.message.VerdictMessage;
import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.report.CaptureSink;
import dev.memtrack.internal.report.HtmlReport;
import dev.memtrack.internal.report.ReportSection;
import dev.memtrack.internal.tracking.MemtrackMachineryException;
import dev.memtrack.internal.tracking.TestTracking;
import dev.memtrack.internal.verdict.Measurement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Where a finished test meets its baseline (issue 14, {@code dev.memtrack.internal.baseline}):
 * {@link #check} before the capture is written (a grown figure fails the test like a breached
 * limit, so its capture records the failure and it gets a report), {@link #afterWrite} once it is
 * (record mode keeps the capture; a failed check puts the diff flame graph into the report).
 * {@link TestCompletion} calls nothing else of the baseline.
 */
final class BaselineHook {

    /** What the check decided; {@code error} when the baseline could not be read or written. */
    record Result(Optional<VerdictMessage> failure, List<ReportSection> sections, RuntimeException error) {
        static final Result NONE = new Result(Optional.empty(), List.of(), null);
    }

    private BaselineHook() {
    }

    /**
     * In check mode, compares the test with its baseline entry.
     *
     * @param failed the test failed already (its own exception or a limit): not judged
     */
    static Result check(ExtensionContext context, TestTracking test, Measurement measurement, boolean failed) {
        BaselineSettings settings = test.settings().baseline();
        if (settings.mode() != BaselineMode.CHECK) {
            return Result.NONE;
        }
        try {
            BaselineGate.Verdict verdict = BaselineGate.check(settings, test.capture(measurement), managedSampling(test, measurement),
                    failed, test.paths().displayHtml());
            context.publishReportEntry(BaselineGate.REPORT_ENTRY, verdict.entryValue());
            return new Result(verdict.failure(), verdict.sections(), null);
        } catch (BaselineFormatException e) {
            // the message is the one line naming the file and the line: nothing to add to it
            return new Result(Optional.empty(), List.of(), new ExtensionConfigurationException(e.getMessage(), e));
        } catch (IOException | RuntimeException e) {
            return new Result(Optional.empty(), List.of(), MemtrackMachineryException.couldNot("read the baseline "
                    + settings.file() + " for " + test.identity().element(), e));
        }
    }

    /**
     * After the capture was written: in record mode, keeps the capture beside the baseline file
     * and merges the test's entry; after a failed check, writes the report again with the diff.
     *
     * @return a failure to throw (the baseline could not be written), or null
     */
    static RuntimeException afterWrite(ExtensionContext context, TestTracking test, Measurement measurement, TestCapture capture,
                                       Optional<CaptureSink.WrittenFiles> files, Result checked, boolean failed) {
        BaselineSettings settings = test.settings().baseline();
        if (settings.mode() == BaselineMode.RECORD) {
            try {
                context.publishReportEntry(BaselineGate.REPORT_ENTRY,
                        BaselineGate.record(settings, capture, managedSampling(test, measurement), failed));
            } catch (IOException | RuntimeException e) {
                return MemtrackMachineryException.couldNot("record the baseline of " + test.identity().element() + " in "
                        + settings.file(), e);
            }
        }
        if (!checked.sections().isEmpty() && files.isPresent()) {
            try {
                HtmlReport.write(capture, files.get().html(), checked.sections());
            } catch (UncheckedIOException e) {
                return MemtrackMachineryException.couldNot("write the baseline diff into the report of " + test.identity().element(), e);
            }
        }
        return null;
    }

    /** The tracker could not measure the test (no agent here): listed at the end of the run, never silent. */
    static void notMeasured(TestTracking test) {
        BaselineSettings settings = test.settings().baseline();
        if (settings.mode() != BaselineMode.OFF) {
            BaselineRunLog.notMeasured(settings, test.identity().testClass(), test.identity().testMethod(), test.unavailableReason());
        }
    }

    /** The interval the managed estimates were sampled at; 0 when they are exact (or not measured). */
    private static long managedSampling(TestTracking test, Measurement measurement) {
        if (!measurement.isEstimated(Domain.MANAGED)) {
            return 0;
        }
        return Math.max(1, test.managed().samplingInterval());
    }
}
