package dev.memtrack.internal.extension;

import java.io.File;
import java.nio.file.Path;

/**
 * Where a test's files go: {@code <reportDir>/<testClass>/<testMethod>.html} and the capture
 * beside it. Planned before the test runs, so messages and {@code MemoryCapture} can name them.
 *
 * @param reportDir absolute
 */
record ReportPaths(Path reportDir, Path html, Path capture) {

    /** File name ending of a capture; agrees with {@code CaptureWriter}'s (its constant is package-private). */
    static final String CAPTURE_SUFFIX = ".mtcap";

    static ReportPaths of(Path reportDir, TestIdentity test) {
        Path dir = reportDir.toAbsolutePath().normalize();
        Path classDir = dir.resolve(test.testClass());
        return new ReportPaths(dir, classDir.resolve(test.testMethod() + ".html"), classDir.resolve(test.testMethod() + CAPTURE_SUFFIX));
    }

    /** The HTML report as messages show it: relative to the working directory when under it. */
    String displayHtml() {
        return display(html);
    }

    static String display(Path file) {
        Path cwd = Path.of("").toAbsolutePath().normalize();
        Path absolute = file.toAbsolutePath().normalize();
        Path shown = absolute.startsWith(cwd) ? cwd.relativize(absolute) : absolute;
        return shown.toString().replace(File.separatorChar, '/');
    }
}
