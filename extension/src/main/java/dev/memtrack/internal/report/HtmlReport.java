package dev.memtrack.internal.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.TestCapture;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Renders a test's HTML report from its {@link TestCapture} — the same code whether the capture
 * was just recorded or read back from a file. The page is one self-contained file: styles,
 * script and data are inline, and its Content-Security-Policy forbids the browser to fetch
 * anything, so it opens offline and from CI artifact stores alike.
 */
@API(status = INTERNAL, since = "0.1")
public final class HtmlReport {

    /** Inline styles and scripts only; no network, no frames, no forms. */
    private static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

    private HtmlReport() {
    }

    public static String render(TestCapture capture) {
        return render(capture, List.of());
    }

    /** The report with {@code extra} sections after the figures (the baseline's diff flame graph). */
    public static String render(TestCapture capture, List<ReportSection> extra) {
        StringBuilder html = new StringBuilder(16384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CONTENT_SECURITY_POLICY).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>memtrack: ").append(HtmlText.escape(simpleClassName(capture.testClass())))
                .append('.').append(HtmlText.escape(capture.testMethod())).append("</title>\n")
                .append("<style>\n").append(ReportAssets.FLAME_GRAPH_CSS).append(ReportAssets.CSS).append("</style>\n")
                .append("<script>\n").append(ReportAssets.ERROR_HOOK).append("</script>\n</head>\n<body>\n");
        VerdictHeader.render(capture, html);
        html.append("<main>\n");
        FiguresSection.render(capture, html);
        extra.forEach(section -> section.render(html));
        ChartsSection.render(html);
        SitesSection.render(capture, html);
        html.append("</main>\n<div id=\"tip\" hidden></div>\n");
        // JSON escapes '<', so the data can never close this element early.
        html.append("<script type=\"application/json\" id=\"memtrack-data\">")
                .append(ReportData.json(capture)).append("</script>\n");
        html.append("<script>\n").append(ReportAssets.FLAME_GRAPH_JS).append("\n</script>\n");
        html.append("<script>\n").append(ReportAssets.JS).append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    /**
     * Renders and writes the report atomically.
     *
     * @throws UncheckedIOException naming the file that could not be written
     */
    public static void write(TestCapture capture, Path file) {
        write(capture, file, List.of());
    }

    /**
     * Renders with {@code extra} sections and writes the report atomically.
     *
     * @throws UncheckedIOException naming the file that could not be written
     */
    public static void write(TestCapture capture, Path file, List<ReportSection> extra) {
        try {
            writeFile(capture, file, extra);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write memtrack report " + file + ": " + e.getMessage(), e);
        }
    }

    static void writeFile(TestCapture capture, Path file) throws IOException {
        writeFile(capture, file, List.of());
    }

    private static void writeFile(TestCapture capture, Path file, List<ReportSection> extra) throws IOException {
        String html = render(capture, extra);
        AtomicFileWriter.write(file, out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            writer.write(html);
            writer.flush();
        });
    }

    /** Where a capture's report goes by default: beside it, {@code .html} instead of {@code .mtcap}. */
    public static Path fileBeside(Path captureFile) {
        return ReportFileNames.htmlBeside(captureFile);
    }

    private static String simpleClassName(String className) {
        String name = className == null ? "" : className;
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
