package dev.memtrack.internal.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Locale;
import org.apiguardian.api.API;

/**
 * {@code memtrack.report.html}: which tests get the HTML report beside their capture; the same
 * choices for {@code memtrack.report.json}, which tests get their JSON results. The compact
 * capture ({@code .mtcap}) is written for every tracked test; the HTML (tens to hundreds of KiB)
 * only where someone will read it. A report not written can be rendered later from the capture
 * ({@code ReportCli render}).
 */
@API(status = INTERNAL, since = "0.1")
public enum ReportHtml {
    /** Tests that failed (a memory verdict, a baseline check or their own failure): the default. */
    FAILED,
    /** Every tracked test. */
    ALWAYS,
    /** None; failure messages then name the capture file. */
    NEVER;

    /** Whether a test that {@code failed} (or not) gets its HTML report. */
    public boolean writes(boolean failed) {
        return this == ALWAYS || (this == FAILED && failed);
    }

    public static ReportHtml parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "failed" -> FAILED;
            case "always" -> ALWAYS;
            case "never" -> NEVER;
            default -> throw new IllegalArgumentException("'" + text + "' is not a report choice; expected failed, always or never");
        };
    }
}
