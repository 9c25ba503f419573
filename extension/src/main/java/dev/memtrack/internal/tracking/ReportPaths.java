package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.report.CaptureFiles;
import dev.memtrack.internal.report.CaptureWriter;
import java.io.File;
import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * Where a test's files go: {@code <reportDir>/<testClass>/<testMethod>.html} and the capture
 * beside it. Planned before the test runs, so messages and {@code MemoryCapture} can name them.
 *
 * @param reportDir absolute
 */
@API(status = INTERNAL, since = "0.1")
public record ReportPaths(Path reportDir, Path html, Path capture) {


    static ReportPaths of(Path reportDir, TestIdentity test) {
        Path dir = reportDir.toAbsolutePath().normalize();
        // the writer's own naming (it cleans odd characters), so messages name the real files
        CaptureFiles files = CaptureWriter.files(dir, test.testClass(), test.testMethod());
        return new ReportPaths(dir, files.html(), files.capture());
    }

    /** The HTML report as messages show it: relative to the working directory when under it. */
    public String displayHtml() {
        return display(html);
    }

    public static String display(Path file) {
        Path cwd = Path.of("").toAbsolutePath().normalize();
        Path absolute = file.toAbsolutePath().normalize();
        Path shown = absolute.startsWith(cwd) ? cwd.relativize(absolute) : absolute;
        return shown.toString().replace(File.separatorChar, '/');
    }
}
