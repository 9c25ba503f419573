package dev.memtrack.internal.message;

import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.size.SizeFormatter;
import dev.memtrack.internal.verdict.VerdictKind;
import java.util.Comparator;
import java.util.List;

/**
 * The shape every verdict message shares: the sentence, the largest sites by the verdict's
 * figure with their trimmed stacks, then how many sites were left out and where the report is.
 */
final class MessageShape {

    private MessageShape() {
    }

    static String build(String sentence, List<Site> sites, VerdictKind kind, MessageContext context) {
        List<Site> ranked = sites.stream()
                .filter(site -> kind.siteBytes(site) > 0)
                .sorted(Comparator.comparingLong(kind::siteBytes).reversed())
                .toList();
        int shown = Math.min(context.sitesShown(), ranked.size());
        StringBuilder text = new StringBuilder(sentence);
        for (Site site : ranked.subList(0, shown)) {
            text.append("\n\n  ").append(SizeFormatter.format(kind.siteBytes(site)))
                    .append(" in ").append(Plural.of(kind.siteCount(site), "allocation"))
                    .append(' ').append(kind.verb()).append(':');
            List<Frame> frames = context.trimmer().trim(site.frames());
            if (frames.isEmpty()) {
                text.append('\n').append(FrameFormatter.INDENT).append("(no stack recorded)");
            }
            for (Frame frame : frames) {
                text.append('\n').append(FrameFormatter.format(frame));
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

    private static String leftOut(List<Site> rest, VerdictKind kind) {
        if (rest.isEmpty()) {
            return "";
        }
        long bytes = rest.stream().mapToLong(kind::siteBytes).sum();
        return "...and " + Plural.of(rest.size(), "more site") + " (" + SizeFormatter.format(bytes) + ").";
    }
}
