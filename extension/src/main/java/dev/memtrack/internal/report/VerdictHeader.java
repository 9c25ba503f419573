package dev.memtrack.internal.report;

import dev.memtrack.internal.model.TestCapture;
import java.time.Instant;
import java.util.Locale;

/** The report's header: which test, when, and its verdict with the failure messages in full. */
final class VerdictHeader {

    private VerdictHeader() {
    }

    static void render(TestCapture capture, StringBuilder html) {
        boolean passed = capture.failures().isEmpty();
        html.append("<header class=\"verdict ").append(passed ? "passed" : "failed").append("\">\n");
        html.append("<p class=\"brand\">memtrack report</p>\n");
        html.append("<h1>").append(HtmlText.escape(title(capture))).append("</h1>\n");
        html.append("<p class=\"test\"><code>").append(HtmlText.escape(capture.testClass())).append('#')
                .append(HtmlText.escape(capture.testMethod())).append("</code></p>\n");
        html.append("<p class=\"status\">");
        if (passed) {
            html.append("passed");
        } else {
            int n = capture.failures().size();
            html.append("failed: ").append(n).append(n == 1 ? " memory verdict" : " memory verdicts");
        }
        html.append("</p>\n");
        for (String failure : capture.failures()) {
            html.append("<pre class=\"failure\">").append(HtmlText.escape(failure)).append("</pre>\n");
        }
        html.append("<dl class=\"meta\"><dt>Started</dt><dd>")
                .append(Instant.ofEpochMilli(capture.startEpochMillis()))
                .append("</dd><dt>Duration</dt><dd>").append(duration(capture.durationNanos()))
                .append("</dd><dt>Test id</dt><dd><code>").append(HtmlText.escape(capture.testId()))
                .append("</code></dd></dl>\n");
        html.append("</header>\n");
    }

    static String title(TestCapture capture) {
        String display = capture.displayName();
        return display == null || display.isEmpty() ? capture.testMethod() : display;
    }

    static String duration(long nanos) {
        if (nanos < 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
}
