/**
 * Capture files, HTML reports and the suite summary. {@code CaptureWriter.write} is what the
 * extension calls at the end of a test; {@code CaptureReader}, {@code HtmlReport} and
 * {@code SuiteSummary} read and render captures, in process or after the fact (docs/capture-format.md).
 * {@code CaptureSink} is where a tracked test's capture goes (the writer, or a recording sink in
 * unit tests) and {@code ReportHtml} which tests get the HTML and JSON reports.
 * Depends only on the model, the size formatter and the message package's stack trimmer — no
 * JUnit — so the command line runs with the jar alone. Internal: not part of memtrack's API.
 */
package dev.memtrack.internal.report;
