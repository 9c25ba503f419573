package dev.memtrack.internal.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.report.CaptureFiles;
import dev.memtrack.internal.report.CaptureWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Where a finished test's capture goes: the capture file, and the HTML report when asked for,
 * under the report directory. {@link #REPORT_WRITER}, the default, is {@code dev.memtrack.internal.report}'s
 * writer; unit tests put a recording sink in its place through {@code tracking.Backends}.
 */
@API(status = INTERNAL, since = "0.1")
public interface CaptureSink {

    /** Writes nothing; the report paths are still planned and shown. */
    CaptureSink NONE = (capture, reportDir, html) -> Optional.empty();

    /**
     * Writes {@code <reportDir>/<testClass>/<testMethod>.mtcap} and, when {@code html}, the
     * {@code .html} report beside it (otherwise removes one left there by an earlier run).
     */
    CaptureSink REPORT_WRITER = new CaptureSink() {
        @Override
        public Optional<WrittenFiles> write(TestCapture capture, Path reportDir, boolean html) {
            return write(capture, reportDir, html, false);
        }

        @Override
        public Optional<WrittenFiles> write(TestCapture capture, Path reportDir, boolean html, boolean json) {
            CaptureFiles files = CaptureWriter.write(capture, reportDir, html, json);
            return Optional.of(new WrittenFiles(files.capture(), files.html(), html));
        }
    };

    /**
     * As {@link #write(TestCapture, Path, boolean)}, plus the test's JSON results beside the
     * capture when {@code json} ({@code memtrack.report.json}); sinks that write no files write
     * no JSON either.
     */
    default Optional<WrittenFiles> write(TestCapture capture, Path reportDir, boolean html, boolean json) throws IOException {
        return write(capture, reportDir, html);
    }

    /**
     * @param html whether to write the HTML report too
     * @return the files written, or empty when this sink writes none
     */
    Optional<WrittenFiles> write(TestCapture capture, Path reportDir, boolean html) throws IOException;

    /**
     * The files one test left behind.
     *
     * @param html        where the HTML report is (or would be) written
     * @param htmlWritten whether it was written for this test
     */
    public record WrittenFiles(Path capture, Path html, boolean htmlWritten) {
        public WrittenFiles(Path capture, Path html) {
            this(capture, html, true);
        }

        /** The file a reader opens: the HTML report when written, else the capture (ReportCli renders it). */
        public Path report() {
            return htmlWritten ? html : capture;
        }
    }
}
