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
    /**
     * d3-flame-graph's bundle (Apache-2.0, with the d3 modules it uses, ISC), unpacked from the npm
     * registry at build time into the jar (extension/pom.xml), never committed.
     */
    static final String FLAME_GRAPH_JS = load("d3-flame-graph/d3-flamegraph.min.js");
    static final String FLAME_GRAPH_CSS = load("d3-flame-graph/d3-flamegraph.css");
    /**
     * Runs first: a script error anywhere on the page is shown at its top (and kept in the DOM for
     * the headless-browser test) instead of leaving an empty chart.
     */
    static final String ERROR_HOOK = """
            window.addEventListener('error', function (e) {
              var box = document.getElementById('script-errors');
              if (!box) { box = document.createElement('pre'); box.id = 'script-errors'; box.className = 'script-errors';
                (document.body || document.documentElement).prepend(box); }
              box.textContent += 'Script error in this report: ' + e.message + ' (' + e.filename + ':' + e.lineno + ')\\n';
            });
            """;

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
