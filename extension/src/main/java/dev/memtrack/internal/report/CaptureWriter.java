package dev.memtrack.internal.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.TestCapture;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apiguardian.api.API;

/** Writes a test's capture file and its HTML report; the entry point the extension calls. */
@API(status = INTERNAL, since = "0.1")
public final class CaptureWriter {

    /** File name ending of capture files. */
    public static final String CAPTURE_EXTENSION = CaptureFormat.FILE_EXTENSION;

    private CaptureWriter() {
    }

    /**
     * Writes {@code <reportDir>/<testClass>/<testMethod>.mtcap} and the {@code .html} report
     * beside it, each atomically. Safe to call from parallel tests and forks; a second call for
     * the same test replaces both files.
     *
     * @throws UncheckedIOException naming the file that could not be written
     */
    public static CaptureFiles write(TestCapture capture, Path reportDir) {
        return write(capture, reportDir, true);
    }

    /**
     * Writes {@code <reportDir>/<testClass>/<testMethod>.mtcap} and, when {@code html}, the
     * {@code .html} report beside it, each atomically. Without {@code html}, an HTML report left
     * for the same test by an earlier run is removed (it would show that run's figures). A
     * capture not yet marked with its run gets this JVM's ({@code BuildRun}); the suite summary
     * at the end of the test plan counts it as this JVM's.
     *
     * @throws UncheckedIOException naming the file that could not be written
     */
    public static CaptureFiles write(TestCapture capture, Path reportDir, boolean html) {
        return write(capture, reportDir, html, false);
    }

    /**
     * As {@link #write(TestCapture, Path, boolean)}, and when {@code json} the test's JSON results
     * ({@code <testMethod>.json}, docs/reports.md) beside the capture; without it, JSON results
     * left for the same test by an earlier run are removed.
     *
     * @throws UncheckedIOException naming the file that could not be written
     */
    public static CaptureFiles write(TestCapture capture, Path reportDir, boolean html, boolean json) {
        CaptureFiles files = files(reportDir, capture.testClass(), capture.testMethod());
        TestCapture marked = capture.runId().isEmpty() ? capture.withRunId(BuildRun.current()) : capture;
        writeCapture(marked, files.capture());
        JvmCaptures.THIS_JVM.written(reportDir, files.capture());
        if (html) {
            HtmlReport.write(capture, files.html());
        } else {
            deleteStale(files.html(), "report");
        }
        Path results = ReportFileNames.jsonBeside(files.capture());
        if (json) {
            try {
                ResultJson.writeTest(marked, files.capture());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write memtrack results " + results + ": " + e.getMessage(), e);
            }
        } else {
            deleteStale(results, "results");
        }
        return files;
    }

    private static void deleteStale(Path file, String what) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the stale memtrack " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The paths {@link #write} uses for a test, without writing anything: for naming the report
     * in messages before the test has finished. Class and method names are sanitised (letters,
     * digits and {@code . _ - [ ] $} kept, anything else replaced by {@code _}).
     */
    public static CaptureFiles files(Path reportDir, String testClass, String testMethod) {
        return new CaptureFiles(ReportFileNames.captureFile(reportDir, testClass, testMethod),
                ReportFileNames.htmlFile(reportDir, testClass, testMethod));
    }

    /**
     * Writes only the capture file, atomically.
     *
     * @throws UncheckedIOException naming the file that could not be written
     */
    public static void writeCapture(TestCapture capture, Path file) {
        try {
            AtomicFileWriter.write(file, out -> encode(capture, out));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write memtrack capture " + file + ": " + e.getMessage(), e);
        }
    }

    /** Encodes a capture into a stream (not closed); the format is docs/capture-format.md. */
    public static void encode(TestCapture capture, OutputStream out) throws IOException {
        CaptureEncoder.encode(capture, out);
    }
}
