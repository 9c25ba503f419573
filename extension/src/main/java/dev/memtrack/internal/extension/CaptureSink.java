package dev.memtrack.internal.extension;

import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.report.CaptureFiles;
import dev.memtrack.internal.report.CaptureWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a finished test's capture goes: the capture file and HTML report under the report
 * directory. {@link #REPORT_WRITER}, the default, is {@code dev.memtrack.internal.report}'s
 * writer; unit tests put a recording sink in its place through {@link Backends}.
 */
@FunctionalInterface
interface CaptureSink {

    /** Writes nothing; the report paths are still planned and shown. */
    CaptureSink NONE = (capture, reportDir) -> Optional.empty();

    /** Writes {@code <reportDir>/<testClass>/<testMethod>.mtcap} and the {@code .html} report beside it. */
    CaptureSink REPORT_WRITER = (capture, reportDir) -> {
        CaptureFiles files = CaptureWriter.write(capture, reportDir);
        return Optional.of(new WrittenFiles(files.capture(), files.html()));
    };

    /** @return the files written, or empty when this sink writes none */
    Optional<WrittenFiles> write(TestCapture capture, Path reportDir) throws IOException;

    /** The files one test left behind. */
    record WrittenFiles(Path capture, Path html) {
    }
}
