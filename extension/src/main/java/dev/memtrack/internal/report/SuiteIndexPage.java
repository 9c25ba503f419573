package dev.memtrack.internal.report;

import dev.memtrack.internal.size.SizeFormatter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;

/**
 * The suite summary as {@code index.html} in the report directory: the rankings and a sortable
 * table of every test, each linking to its own report. Same stylesheet, script and offline
 * guarantee as the test reports.
 */
final class SuiteIndexPage {

    static final String FILE_NAME = "index.html";
    static final int SHOWN_PER_RANKING = 20;

    private SuiteIndexPage() {
    }

    static String render(Path reportDir, List<SuiteEntry> entries, List<String> problems) {
        return render(reportDir, entries, List.of(), problems);
    }

    /** {@code earlierRuns}: captures of other runs, listed after every table of this run's tests. */
    static String render(Path reportDir, List<SuiteEntry> entries, List<SuiteEntry> earlierRuns, List<String> problems) {
        long failed = entries.stream().filter(SuiteEntry::failed).count();
        StringBuilder html = new StringBuilder(8192);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';"
                        + " script-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>memtrack suite summary</title>\n<style>\n").append(ReportAssets.CSS).append("</style>\n")
                .append("</head>\n<body>\n<header class=\"verdict ").append(failed == 0 ? "passed" : "failed").append("\">\n")
                .append("<p class=\"brand\">memtrack</p>\n<h1>Suite summary</h1>\n<p class=\"status\">")
                .append(entries.size()).append(entries.size() == 1 ? " tracked test, " : " tracked tests, ")
                .append(failed).append(" failed a memory verdict</p>\n")
                .append("<p class=\"hint\">Peak is the largest native + managed total at one instant;"
                        + " leaked is what was still live after the test and GC settling.</p>\n");
        if (!earlierRuns.isEmpty()) {
            html.append("<p class=\"hint\">This run's tests only: ").append(earlierRuns.size())
                    .append(earlierRuns.size() == 1 ? " capture" : " captures")
                    .append(" left by earlier runs are listed apart at the end.</p>\n");
        }
        html.append("</header>\n<main>\n");
        for (SuiteRanking ranking : SuiteRanking.values()) {
            html.append("<section>\n<h2>").append(HtmlText.escape(ranking.title())).append("</h2>\n");
            List<SuiteEntry> top = ranking.rank(entries, SHOWN_PER_RANKING);
            if (top.isEmpty()) {
                html.append("<p class=\"empty\">").append(HtmlText.escape(ranking.none())).append("</p>\n</section>\n");
                continue;
            }
            html.append("<table>\n<thead><tr><th>#</th><th>Test</th><th>Peak</th><th>Leaked</th><th>Allocated</th></tr></thead>\n<tbody>\n");
            for (int i = 0; i < top.size(); i++) {
                SuiteEntry e = top.get(i);
                html.append("<tr><td data-v=\"").append(i + 1).append("\">").append(i + 1).append("</td>");
                testCell(reportDir, e, true, html);
                peak(html, e);
                size(html, e.leakedBytes());
                size(html, e.allocatedBytes());
                html.append("</tr>\n");
            }
            html.append("</tbody>\n</table>\n</section>\n");
        }
        allTests(reportDir, entries, html);
        earlierRuns(reportDir, earlierRuns, html);
        if (!problems.isEmpty()) {
            html.append("<section>\n<h2>Unreadable captures</h2>\n<ul>\n");
            problems.forEach(p -> html.append("<li><code>").append(HtmlText.escape(p)).append("</code></li>\n"));
            html.append("</ul>\n</section>\n");
        }
        html.append("</main>\n<script>\n").append(ReportAssets.JS).append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void allTests(Path reportDir, List<SuiteEntry> entries, StringBuilder html) {
        html.append("<section>\n<h2>All tests</h2>\n");
        if (entries.isEmpty()) {
            html.append("<p class=\"empty\">No capture was found in this directory.</p>\n</section>\n");
            return;
        }
        html.append("<p class=\"hint\">Click a column to sort.</p>\n<table class=\"sortable\">\n<thead><tr><th>Test</th>"
                + "<th>Verdict</th><th>Native peak</th><th>Managed peak</th><th>Native leaked</th><th>Managed leaked</th>"
                + "<th>Native allocated</th><th>Managed allocated</th></tr></thead>\n<tbody>\n");
        for (SuiteEntry e : SuiteRanking.PEAK.rank(entries, Integer.MAX_VALUE)) {
            allTestsRow(reportDir, e, html);
        }
        // Tests without any peak are not in the ranking; list them too.
        entries.stream().filter(e -> e.peakBytes() <= 0).forEach(e -> allTestsRow(reportDir, e, html));
        html.append("</tbody>\n</table>\n</section>\n");
    }

    /** Tests this run did not run: kept for reference, outside the rankings, oldest run last. */
    private static void earlierRuns(Path reportDir, List<SuiteEntry> earlier, StringBuilder html) {
        if (earlier.isEmpty()) {
            return;
        }
        html.append("<section>\n<h2>Earlier runs (not in this summary)</h2>\n<p class=\"hint\">Captures left in this directory by"
                + " earlier runs, of tests this run did not run. Their figures are not this run's.</p>\n"
                + "<table class=\"sortable\">\n<thead><tr><th>Test</th><th>Started</th><th>Verdict</th><th>Peak</th><th>Leaked</th>"
                + "<th>Allocated</th></tr></thead>\n<tbody>\n");
        earlier.stream()
                .sorted(Comparator.comparingLong(SuiteEntry::startEpochMillis).reversed().thenComparing(SuiteEntry::testName))
                .forEach(e -> {
                    html.append("<tr>");
                    testCell(reportDir, e, false, html);
                    String started = Instant.ofEpochMilli(e.startEpochMillis()).truncatedTo(ChronoUnit.SECONDS).toString();
                    html.append("<td data-v=\"").append(e.startEpochMillis()).append("\">").append(HtmlText.escape(started)).append("</td>");
                    html.append(e.failed() ? "<td class=\"fail\">failed</td>" : "<td>passed</td>");
                    peak(html, e);
                    size(html, e.leakedBytes());
                    size(html, e.allocatedBytes());
                    html.append("</tr>\n");
                });
        html.append("</tbody>\n</table>\n</section>\n");
    }

    private static void allTestsRow(Path reportDir, SuiteEntry e, StringBuilder html) {
        html.append("<tr>");
        testCell(reportDir, e, false, html);
        html.append(e.failed() ? "<td class=\"fail\">failed</td>" : "<td>passed</td>");
        size(html, e.nativeFigures().peakBytes());
        size(html, e.managedFigures().peakBytes());
        size(html, e.nativeFigures().liveBytes());
        size(html, e.managedFigures().liveBytes());
        size(html, e.nativeFigures().allocatedBytes());
        size(html, e.managedFigures().allocatedBytes());
        html.append("</tr>\n");
    }

    private static void testCell(Path reportDir, SuiteEntry e, boolean markFailed, StringBuilder html) {
        if (java.nio.file.Files.isRegularFile(e.html())) {
            html.append("<td><a href=\"").append(HtmlText.escape(href(reportDir, e.html()))).append("\">")
                    .append(HtmlText.escape(e.testName())).append("</a>");
        } else {
            // memtrack.report.html wrote no report for this test (it passed): its capture renders one
            html.append("<td><span title=\"").append(HtmlText.escape("no HTML report written (memtrack.report.html); render one: "
                            + "java -cp memtrack-junit.jar dev.memtrack.internal.cli.ReportCli render " + href(reportDir, e.capture())))
                    .append("\">").append(HtmlText.escape(e.testName())).append("</span>");
        }
        html.append(markFailed && e.failed() ? " <span class=\"fail\">failed</span>" : "").append("</td>");
    }

    /** The combined peak; "≤" before an upper bound (a capture without one: the sum of the domain peaks). */
    private static void peak(StringBuilder html, SuiteEntry e) {
        if (!e.peakUpperBound()) {
            size(html, e.peakBytes());
            return;
        }
        html.append("<td data-v=\"").append(e.peakBytes()).append("\" title=\"").append(UPPER_BOUND).append("\">≤ ")
                .append(SizeFormatter.format(e.peakBytes())).append("</td>");
    }

    static final String UPPER_BOUND = "native peak + managed peak, an upper bound: the capture was written before memtrack"
            + " recorded the combined peak";

    private static void size(StringBuilder html, long bytes) {
        html.append("<td data-v=\"").append(bytes).append("\">").append(SizeFormatter.format(bytes)).append("</td>");
    }

    /** A path relative to the report directory, segments joined by '/' whatever the platform. */
    static String relative(Path reportDir, Path target) {
        Path relative = reportDir.toAbsolutePath().normalize().relativize(target.toAbsolutePath().normalize());
        StringBuilder text = new StringBuilder();
        for (Path segment : relative) {
            text.append(text.length() > 0 ? "/" : "").append(segment);
        }
        return text.toString();
    }

    /** A relative URL from the index to a report: path segments joined by '/', each percent-encoded. */
    static String href(Path reportDir, Path target) {
        Path relative = reportDir.toAbsolutePath().normalize().relativize(target.toAbsolutePath().normalize());
        StringBuilder url = new StringBuilder();
        for (Path segment : relative) {
            if (url.length() > 0) {
                url.append('/');
            }
            for (byte b : segment.toString().getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xFF;
                boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '.' || c == '_' || c == '~' || c == '$';
                if (unreserved) {
                    url.append((char) c);
                } else {
                    url.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
                }
            }
        }
        return url.toString();
    }
}
