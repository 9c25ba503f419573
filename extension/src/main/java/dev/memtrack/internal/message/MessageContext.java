package dev.memtrack.internal.message;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What a message needs besides the figures: how many sites to show, the report to point at and
 * how to trim stacks.
 *
 * @param sitesShown at most this many sites are listed ({@code memtrack.sites.shown})
 * @param reportPath shown after "Report: "; empty when no report is written (a block measured
 *                   outside a tracked test)
 * @param trimmer    trims frames below the test method
 */
@API(status = INTERNAL, since = "0.1")
public record MessageContext(int sitesShown, String reportPath, StackTrimmer trimmer) {

    public static final int DEFAULT_SITES_SHOWN = 5;

    public MessageContext {
        if (sitesShown < 0) {
            throw new IllegalArgumentException("sitesShown must be 0 or more: " + sitesShown);
        }
        Objects.requireNonNull(reportPath, "reportPath");
        Objects.requireNonNull(trimmer, "trimmer");
    }
}
