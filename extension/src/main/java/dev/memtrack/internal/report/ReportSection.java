package dev.memtrack.internal.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * A section another package adds to a test's HTML report (the baseline's diff flame graph), drawn
 * after the figures. It must be self-contained HTML — inline SVG and attributes, no script and no
 * classes of report.css that may change — so that the report's own flame graphs can be
 * reimplemented without touching it.
 */
@API(status = INTERNAL, since = "0.1")
@FunctionalInterface
public interface ReportSection {

    void render(StringBuilder html);
}
