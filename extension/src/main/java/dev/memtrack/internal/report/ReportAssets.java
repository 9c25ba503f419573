package dev.memtrack.internal.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The report's stylesheet and script, kept as resources beside this class so they can be read
 * and edited as CSS and JavaScript, and inlined into every report (which must open offline).
 */
final class ReportAssets {

    static final String CSS = load("report.css");
    static final String JS = load("report.js");

    private ReportAssets() {
    }

    private static String load(String name) {
        try (InputStream in = ReportAssets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("memtrack report asset " + name + " is missing from the class path"
                        + " (expected beside " + ReportAssets.class.getName() + ")");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // Inlined verbatim: the closing tag of its own element would end it early.
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.contains("</script") || lower.contains("</style")) {
                throw new IllegalStateException("memtrack report asset " + name + " must not contain a closing script or style tag");
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read memtrack report asset " + name, e);
        }
    }
}
