package dev.memtrack.internal.report;

import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.size.SizeFormatter;

/**
 * The per-domain totals. Rendered on the server side, like the header and the sites table, so
 * the essentials read even where scripts are blocked (some CI artifact viewers).
 */
final class FiguresSection {

    private FiguresSection() {
    }

    static void render(TestCapture capture, StringBuilder html) {
        html.append("<section id=\"figures\">\n<h2>Figures</h2>\n");
        if (capture.reports().isEmpty()) {
            html.append("<p class=\"empty\">No domain was measured.</p>\n</section>\n");
            return;
        }
        html.append("<table class=\"figures\">\n<thead><tr><th>Domain</th><th>Allocated</th><th>Allocations</th>"
                + "<th>Freed</th><th>Peak</th><th>Leaked</th><th>Leaked allocations</th></tr></thead>\n<tbody>\n");
        for (ScopeReport report : capture.reports()) {
            Figures f = report.figures();
            html.append("<tr class=\"").append(report.domain().label()).append("\"><th>")
                    .append(report.domain().label()).append("</th>")
                    .append(cell(SizeFormatter.format(f.allocatedBytes())))
                    .append(cell(CountText.format(f.allocatedCount())))
                    .append(cell(SizeFormatter.format(f.freedBytes())))
                    .append(cell(SizeFormatter.format(f.peakBytes())))
                    .append(f.liveBytes() > 0 ? "<td class=\"leak\">" : "<td>")
                    .append(SizeFormatter.format(f.liveBytes())).append("</td>")
                    .append(cell(CountText.format(f.liveCount())))
                    .append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        if (capture.reports().size() > 1) {
            html.append("<p class=\"hint\">Combined peak (native + managed at one instant): ")
                    .append(HtmlText.escape(SizeFormatter.format(capture.peakBytes())))
                    .append(capture.combinedPeakBytes() < 0 ? " at most (the sum of the two peaks)" : "")
                    .append("</p>\n");
        }
        html.append("</section>\n");
    }

    private static String cell(String text) {
        return "<td>" + HtmlText.escape(text) + "</td>";
    }
}
