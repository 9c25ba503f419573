package dev.memtrack.internal.message;

import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.size.SizeFormatter;
import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.VerdictKind;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape every verdict message shares: the sentence, the largest sites by the verdict's
 * figure with their trimmed stacks, then how many sites were left out and where the report is.
 * A site of an estimated domain reads {@code about 1.9 MiB in about 2000 allocations}; a leaked
 * managed site ends with {@code retained by: <path>}, the reference path that keeps it alive.
 */
final class MessageShape {

    static final String RETAINED_BY = "retained by: ";
    static final String PATH_SEPARATOR = " -> ";

    private MessageShape() {
    }

    static String build(String sentence, Measurement measurement, DomainSelection selection, VerdictKind kind,
                        MessageContext context) {
        List<Site> ranked = mergedByPrintedStack(measurement.sites(selection), context.trimmer()).stream()
                .filter(site -> kind.siteBytes(site) > 0)
                .sorted(Comparator.comparingLong(kind::siteBytes).reversed())
                .toList();
        int shown = Math.min(context.sitesShown(), ranked.size());
        StringBuilder text = new StringBuilder(sentence);
        for (Site site : ranked.subList(0, shown)) {
            // per-site figures of a sampled domain are estimates, allocated bytes included
            String about = measurement.isEstimated(site.domain()) ? DomainWording.ABOUT : "";
            text.append("\n\n  ").append(about).append(SizeFormatter.format(kind.siteBytes(site)))
                    .append(" in ").append(about).append(Plural.of(kind.siteCount(site), "allocation"))
                    .append(' ').append(kind.verb()).append(':');
            List<Frame> frames = context.trimmer().trim(site.frames());
            if (frames.isEmpty()) {
                text.append('\n').append(FrameFormatter.INDENT).append("(no stack recorded)");
            }
            for (Frame frame : frames) {
                text.append('\n').append(FrameFormatter.format(frame));
            }
            if (kind == VerdictKind.LEAK && !site.retainedBy().isEmpty()) {
                text.append('\n').append(FrameFormatter.INDENT).append(RETAINED_BY)
                        .append(String.join(PATH_SEPARATOR, site.retainedBy()));
            }
        }
        String tail = leftOut(ranked.subList(shown, ranked.size()), kind);
        if (!context.reportPath().isEmpty()) {
            tail += (tail.isEmpty() ? "" : " ") + "Report: " + context.reportPath();
        }
        if (!tail.isEmpty()) {
            text.append("\n\n  ").append(tail);
        }
        return text.toString();
    }

    /**
     * Sites whose printed stacks are identical are one site: the engine tells sites apart by
     * return address, and two calls from one function of a library without line information
     * (zlib's {@code deflateInit2_} allocating its window and tables) print the same.
     */
    private static List<Site> mergedByPrintedStack(List<Site> sites, StackTrimmer trimmer) {
        Map<List<Object>, Site> merged = new LinkedHashMap<>();
        for (Site site : sites) {
            List<String> printed = trimmer.trim(site.frames()).stream().map(FrameFormatter::format).toList();
            merged.merge(List.of(site.domain(), printed, site.retainedBy()), site, MessageShape::sum);
        }
        return List.copyOf(merged.values());
    }

    private static Site sum(Site a, Site b) {
        return new Site(a.domain(), a.origin(),
                a.allocatedBytes() + b.allocatedBytes(), a.allocatedCount() + b.allocatedCount(),
                a.liveBytes() + b.liveBytes(), a.liveCount() + b.liveCount(),
                a.peakBytes() + b.peakBytes(), a.peakCount() + b.peakCount(),
                a.frames(), a.retainedBy());
    }

    private static String leftOut(List<Site> rest, VerdictKind kind) {
        if (rest.isEmpty()) {
            return "";
        }
        long bytes = rest.stream().mapToLong(kind::siteBytes).sum();
        return "...and " + Plural.of(rest.size(), "more site") + " (" + SizeFormatter.format(bytes) + ").";
    }
}
