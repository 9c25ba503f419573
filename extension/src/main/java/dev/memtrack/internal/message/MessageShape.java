package dev.memtrack.internal.message;

import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.size.SizeFormatter;
import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.VerdictKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The shape every verdict message shares: the sentence, the largest sites by the verdict's
 * figure with their trimmed stacks, then how many sites were left out and where the report is.
 * Sites that print the same are one entry ({@link PrintedSite}); the stacks shown share a budget
 * of {@value #FRAME_ROWS} rows (at least {@value #MIN_ROWS_PER_SITE} each), longer ones are cut in
 * the middle.
 * A site of an estimated domain reads {@code about 1.9 MiB in about 2000 allocations}; a leaked
 * managed site ends with {@code retained by: <path>}, the reference path that keeps it alive.
 */
final class MessageShape {

    static final String RETAINED_BY = "retained by: ";
    /** Said instead of a path the site above printed already. */
    static final String SAME_PATH = "the same path as the site above";
    /** Ends an owner line whose path the site above printed already. */
    static final String SAME_PATH_SUFFIX = ", " + RETAINED_BY + SAME_PATH;
    static final String PATH_SEPARATOR = " -> ";
    /** Stack rows for all sites shown together: five sites then fit in about 40 lines. */
    static final int FRAME_ROWS = 30;
    /** Rows a site keeps however many sites are shown: the allocator, the library, the caller, the test. */
    static final int MIN_ROWS_PER_SITE = 6;

    private MessageShape() {
    }

    static String build(String sentence, Measurement measurement, DomainSelection selection, VerdictKind kind,
                        MessageContext context) {
        List<PrintedSite> printed = new ArrayList<>();
        for (Site site : measurement.sites(selection)) {
            if (kind.siteBytes(site) > 0) {
                printed.add(new PrintedSite(site.domain(), kind.siteBytes(site), kind.siteCount(site),
                        StackRow.fold(context.trimmer().trim(site.frames())),
                        kind == VerdictKind.LEAK ? site.retainedBy() : List.of(),
                        kind == VerdictKind.LEAK ? site.ownedBy() : ""));
            }
        }
        List<PrintedSite> ranked = PrintedSite.merge(printed).stream()
                .sorted(Comparator.comparingLong(PrintedSite::bytes).reversed())
                .toList();
        int shownCount = Math.min(context.sitesShown(), ranked.size());
        int rowsPerSite = shownCount == 0 ? 0 : Math.max(MIN_ROWS_PER_SITE, FRAME_ROWS / shownCount);
        List<PrintedSite> shown = new ArrayList<>();
        for (PrintedSite site : ranked.subList(0, shownCount)) {
            shown.add(site.withinBudget(rowsPerSite));
        }
        // trimmed in the middle, two sites may now print alike: one entry still
        shown = PrintedSite.merge(shown);
        List<StackRow> allRows = new ArrayList<>();
        shown.forEach(site -> allRows.addAll(site.rows()));
        int symbolColumns = FrameFormatter.symbolColumns(allRows);

        StringBuilder text = new StringBuilder(sentence);
        List<String> previousPath = List.of();
        for (PrintedSite site : shown) {
            // per-site figures of a sampled domain are estimates, allocated bytes included
            String about = measurement.isEstimated(site.domain()) ? DomainWording.ABOUT : "";
            text.append("\n\n  ").append(about).append(SizeFormatter.format(site.bytes()))
                    .append(" in ").append(about).append(Plural.of(site.count(), "allocation"))
                    .append(' ').append(kind.verb()).append(':');
            if (site.rows().isEmpty()) {
                text.append('\n').append(FrameFormatter.INDENT).append("(no stack recorded)");
            }
            for (StackRow row : site.rows()) {
                text.append('\n').append(FrameFormatter.format(row, symbolColumns));
            }
            // a path the site above printed already is named, not printed again (one line less)
            boolean samePath = !site.retainedBy().isEmpty() && site.retainedBy().equals(previousPath);
            if (!site.ownedBy().isEmpty()) {
                text.append('\n').append(FrameFormatter.INDENT).append(site.ownedBy());
                if (samePath) {
                    text.append(SAME_PATH_SUFFIX);
                }
            } else if (samePath) {
                text.append('\n').append(FrameFormatter.INDENT).append(RETAINED_BY).append(SAME_PATH);
            }
            if (!site.retainedBy().isEmpty() && !samePath) {
                text.append('\n').append(FrameFormatter.INDENT).append(RETAINED_BY)
                        .append(String.join(PATH_SEPARATOR, site.retainedBy()));
            }
            previousPath = site.retainedBy();
        }
        String tail = leftOut(ranked.subList(shownCount, ranked.size()));
        if (!context.reportPath().isEmpty()) {
            tail += (tail.isEmpty() ? "" : " ") + "Report: " + context.reportPath();
        }
        if (!tail.isEmpty()) {
            text.append("\n\n  ").append(tail);
        }
        return text.toString();
    }

    private static String leftOut(List<PrintedSite> rest) {
        if (rest.isEmpty()) {
            return "";
        }
        long bytes = rest.stream().mapToLong(PrintedSite::bytes).sum();
        return "...and " + Plural.of(rest.size(), "more site") + " (" + SizeFormatter.format(bytes) + ").";
    }
}
