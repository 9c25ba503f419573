package dev.memtrack.internal.report;

import dev.memtrack.internal.message.StackTrimmer;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.size.SizeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The table of top allocation sites, largest allocated first; the script makes the columns
 * sortable. Each row names the site's first named native frame and its first frame outside the
 * JDK, and expands to the full merged stack.
 */
final class SitesSection {

    /** Per figure; a site among the largest by allocated, at-peak or leaked bytes is shown. */
    static final int SHOWN_PER_FIGURE = 100;

    private SitesSection() {
    }

    static void render(TestCapture capture, StringBuilder html) {
        List<Site> all = new ArrayList<>();
        capture.reports().forEach(r -> all.addAll(r.sites()));
        List<Site> shown = select(all);
        StackTrimmer trimmer = DisplayStacks.trimmer(capture);

        html.append("<section id=\"sites\">\n<h2>Top sites</h2>\n");
        if (all.isEmpty()) {
            html.append("<p class=\"empty\">No allocation site was recorded.</p>\n</section>\n");
            return;
        }
        html.append("<p class=\"hint\">Click a column to sort, a site to see its full stack (innermost frame first).</p>\n");
        html.append("<table class=\"sites sortable\">\n<thead><tr><th>Domain</th><th>Origin</th><th>Allocated</th>"
                + "<th>Allocations</th><th>At peak</th><th>Leaked</th><th>Allocated at</th></tr></thead>\n<tbody>\n");
        for (Site site : shown) {
            row(site, trimmer, html);
        }
        html.append("</tbody>\n</table>\n");
        int hidden = all.size() - shown.size();
        if (hidden > 0) {
            long hiddenBytes = all.stream().mapToLong(Site::allocatedBytes).sum()
                    - shown.stream().mapToLong(Site::allocatedBytes).sum();
            html.append("<p class=\"hint\">...and ").append(hidden).append(hidden == 1 ? " more site (" : " more sites (")
                    .append(SizeFormatter.format(hiddenBytes)).append(" allocated); the flame graphs include them.</p>\n");
        }
        html.append("</section>\n");
    }

    /** All sites when few; otherwise the union of the largest by each figure. */
    static List<Site> select(List<Site> all) {
        Set<Site> chosen = Collections.newSetFromMap(new IdentityHashMap<>());
        if (all.size() <= SHOWN_PER_FIGURE) {
            chosen.addAll(all);
        } else {
            chosen.addAll(largest(all, Site::allocatedBytes));
            chosen.addAll(largest(all, Site::peakBytes));
            chosen.addAll(largest(all, Site::liveBytes));
        }
        List<Site> shown = new ArrayList<>(chosen);
        shown.sort(Comparator.comparingLong(Site::allocatedBytes).reversed());
        return shown;
    }

    private static List<Site> largest(List<Site> sites, ToLongFunction<Site> figure) {
        return sites.stream()
                .filter(s -> figure.applyAsLong(s) > 0)
                .sorted(Comparator.comparingLong(figure).reversed())
                .limit(SHOWN_PER_FIGURE)
                .toList();
    }

    private static void row(Site site, StackTrimmer trimmer, StringBuilder html) {
        html.append("<tr><td>").append(site.domain().label()).append("</td><td>")
                .append(originLabel(site.origin())).append("</td>");
        number(html, site.allocatedBytes(), SizeFormatter.format(site.allocatedBytes()), false);
        number(html, site.allocatedCount(), CountText.format(site.allocatedCount()), false);
        number(html, site.peakBytes(), SizeFormatter.format(site.peakBytes()), false);
        boolean leaked = site.liveBytes() > 0 || site.liveCount() > 0;
        number(html, site.liveBytes(), leaked
                ? SizeFormatter.format(site.liveBytes()) + " in " + CountText.format(site.liveCount())
                : SizeFormatter.format(site.liveBytes()), leaked);
        html.append("<td><details><summary>").append(summary(site)).append("</summary>\n")
                .append("<ol class=\"stack\">");
        List<Frame> frames = trimmer.trim(site.frames());
        for (int i = 0; i < frames.size(); i++) {
            Frame frame = frames.get(i);
            boolean boundary = !frame.isJava() && i + 1 < frames.size() && frames.get(i + 1).isJava();
            html.append("<li class=\"k-").append(frame.kind().name().toLowerCase(Locale.ROOT))
                    .append(boundary ? " boundary" : "").append("\"><code>")
                    .append(HtmlText.escape(FrameText.format(frame))).append("</code></li>");
        }
        int omitted = site.frames().size() - frames.size();
        if (omitted > 0) {
            html.append("<li class=\"omitted\">... ").append(omitted).append(omitted == 1 ? " more frame" : " more frames")
                    .append(" below the test method</li>");
        }
        html.append("</ol>");
        if (!site.ownedBy().isEmpty()) {
            // a leaked native site: the Java object that owns its blocks, the path below leads to it
            html.append("<p class=\"owner\">").append(HtmlText.escape(capitalised(site.ownedBy()))).append("</p>");
        }
        if (!site.retainedBy().isEmpty()) {
            // LeakCanary-like: from the GC root to the leaked object, one reference per step
            html.append("<p class=\"retained\">Retained by:</p><ol class=\"path\">");
            for (String step : site.retainedBy()) {
                html.append("<li><code>").append(HtmlText.escape(step)).append("</code></li>");
            }
            html.append("</ol>");
        }
        html.append("</details></td></tr>\n");
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /**
     * What tells a site apart at a glance: its first named native frame and its first frame of
     * code outside the JDK ({@code deflateInit2_ [libz.so.1] <- com.acme.Pool.take(Pool.java:18)}),
     * or the allocator's caller when there is only one of them.
     */
    static String summary(Site site) {
        List<String> parts = new ArrayList<>(2);
        FrameText.firstNative(site).ifPresent(frame -> parts.add(FrameText.format(frame)));
        FrameText.firstUserFrame(site).ifPresent(frame -> parts.add(FrameText.format(frame)));
        if (parts.isEmpty()) {
            parts.add(FrameText.caller(site).map(FrameText::format).orElse("(no stack)"));
        }
        StringBuilder text = new StringBuilder();
        for (String part : parts) {
            text.append(text.length() == 0 ? "" : " <span class=\"via\">&larr;</span> ")
                    .append("<code>").append(HtmlText.escape(part)).append("</code>");
        }
        return text.toString();
    }

    private static void number(StringBuilder html, long value, String text, boolean leak) {
        html.append("<td data-v=\"").append(value).append('"').append(leak ? " class=\"leak\"" : "").append('>')
                .append(HtmlText.escape(text)).append("</td>");
    }

    static String originLabel(Origin origin) {
        return switch (origin) {
            case JNI_LIBRARY -> "JNI library";
            case JDK_OFF_HEAP -> "JDK off-heap";
            case JVM_INTERNAL -> "JVM internal";
            case JAVA_HEAP -> "Java heap";
        };
    }
}
