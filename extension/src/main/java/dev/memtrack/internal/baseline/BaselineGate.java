package dev.memtrack.internal.baseline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.message.VerdictMessage;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.report.CaptureWriter;
import dev.memtrack.internal.report.ReportSection;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The one entry point the extension calls after a tracked test: {@link #record} in record mode,
 * {@link #check} in check mode. Tests that already failed are neither judged nor recorded (their
 * figures may stop half-way); they are listed at the end of the run.
 */
@API(status = INTERNAL, since = "0.1")
public final class BaselineGate {

    /** The report entry key saying what the baseline did with the test. */
    public static final String REPORT_ENTRY = "memtrack.baseline";

    private BaselineGate() {
    }

    /**
     * What a check decided.
     *
     * @param failure    the failure when a figure grew beyond tolerance
     * @param sections   report sections to add (the diff flame graph), empty when it passed
     * @param entryValue the {@link #REPORT_ENTRY} value
     */
    public record Verdict(Optional<VerdictMessage> failure, List<ReportSection> sections, String entryValue) {
    }

    /**
     * Compares the test with its baseline entry.
     *
     * @param capture         the test's capture (its failures are not read)
     * @param managedSampling the heap sampling interval when the managed figures are estimates, 0 when exact
     * @param failed          the test failed already
     * @param report          the test's HTML report as messages show it
     * @throws BaselineFormatException when the baseline file is damaged (file and line named)
     * @throws IOException             when it cannot be read
     */
    public static Verdict check(BaselineSettings settings, TestCapture capture, long managedSampling, boolean failed, String report)
            throws IOException {
        String test = BaselineEntry.key(capture.testClass(), capture.testMethod());
        BaselineRunLog.ran(settings, capture.testClass(), test);
        BaselineFile file = new BaselineFile(settings.file());
        String fileShown = display(file.path());
        if (failed) {
            BaselineRunLog.failed(settings, test);
            return new Verdict(Optional.empty(), List.of(), "not checked (the test failed) against " + fileShown);
        }
        BaselineEntry baseline = file.read().get(test);
        if (baseline == null) {
            BaselineRunLog.added(settings, test);
            return new Verdict(Optional.empty(), List.of(), "new: not in " + fileShown);
        }
        BaselineEntry current = BaselineEntry.of(capture, "", managedSampling);
        List<Growth> growths = BaselineCheck.compare(current, baseline, settings.tolerance());
        if (growths.isEmpty()) {
            return new Verdict(Optional.empty(), List.of(), "within tolerance of " + fileShown);
        }
        BaselineRunLog.grew(settings, test);
        VerdictMessage failure = BaselineCheck.failure(growths, fileShown, report);
        return new Verdict(Optional.of(failure), List.of(diffSection(file, baseline, capture, growths)),
                "grew beyond tolerance of " + fileShown);
    }

    private static ReportSection diffSection(BaselineFile file, BaselineEntry baseline, TestCapture capture, List<Growth> growths) {
        Optional<TestCapture> before;
        String note = "";
        try {
            before = file.capture(baseline);
            if (before.isEmpty()) {
                note = baseline.capture().isEmpty()
                        ? "The baseline keeps no capture for this test: record it again to see what grew by site."
                        : "The baseline capture " + baseline.capture() + " is missing: record again to see what grew by site.";
            }
        } catch (IOException | RuntimeException e) {
            before = Optional.empty();
            note = "The baseline capture " + baseline.capture() + " cannot be read (" + e.getMessage() + ").";
        }
        List<SiteDiff> diffs = new ArrayList<>();
        if (before.isPresent()) {
            for (Growth growth : growths) {
                diffs.add(SiteDiff.of(before.get(), capture, growth.domain(), growth.figure()));
            }
        }
        String name = baseline.capture().isEmpty() ? display(file.path()) : baseline.capture();
        return new DiffFlameGraph(name, diffs, note);
    }

    /**
     * Writes the test's capture beside the baseline file and merges its entry into it.
     *
     * @return the {@link #REPORT_ENTRY} value
     * @throws IOException when the file or the capture cannot be written (or the file is damaged)
     */
    public static String record(BaselineSettings settings, TestCapture capture, long managedSampling, boolean failed)
            throws IOException {
        String test = BaselineEntry.key(capture.testClass(), capture.testMethod());
        BaselineRunLog.ran(settings, capture.testClass(), test);
        BaselineFile file = new BaselineFile(settings.file());
        if (failed) {
            BaselineRunLog.failed(settings, test);
            return "not recorded (the test failed) into " + display(file.path());
        }
        Path captureFile = file.captureFile(capture.testClass(), capture.testMethod());
        CaptureWriter.writeCapture(capture, captureFile);
        file.merge(List.of(BaselineEntry.of(capture, file.relative(captureFile), managedSampling)));
        return "recorded into " + display(file.path());
    }

    /** Relative to the working directory when under it, as messages show report paths. */
    static String display(Path file) {
        Path cwd = Path.of("").toAbsolutePath().normalize();
        Path absolute = file.toAbsolutePath().normalize();
        Path shown = absolute.startsWith(cwd) ? cwd.relativize(absolute) : absolute;
        return shown.toString().replace(File.separatorChar, '/');
    }
}
