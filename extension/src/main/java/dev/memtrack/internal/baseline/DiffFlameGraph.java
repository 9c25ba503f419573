package dev.memtrack.internal.baseline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.report.HtmlText;
import dev.memtrack.internal.report.ReportSection;
import dev.memtrack.internal.size.SizeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The report section "Growth against the baseline": per grown figure, a flame graph of what grew,
 * by site — each box's width is the bytes its sites grew by (sites that shrank or stayed are left
 * out; the table under it lists the top sites with before and after). Outermost frame at the
 * bottom, allocator at the top, as in the report's own flame graphs.
 *
 * <p>Drawn on the server as inline SVG with native tooltips ({@code <title>}), with no script and
 * no report.css classes: it opens anywhere and does not depend on how the report's interactive
 * flame graphs are implemented (they may be replaced). To re-target it, keep {@link SiteDiff} and
 * replace {@link #renderGraph}.
 */
@API(status = INTERNAL, since = "0.1")
public final class DiffFlameGraph implements ReportSection {

    static final int WIDTH = 1200;
    static final int ROW = 18;
    static final int SITES_LISTED = 10;
    /** Boxes narrower than this many pixels are not drawn (their bytes still count in their parents). */
    private static final double MIN_WIDTH = 0.5;

    private final String baselineName;
    private final List<SiteDiff> diffs;
    private final String note;

    /**
     * @param baselineName how the section names what it compares with (the baseline capture's path)
     * @param diffs        one per figure to show
     * @param note         shown under the heading when not empty (no baseline capture...)
     */
    public DiffFlameGraph(String baselineName, List<SiteDiff> diffs, String note) {
        this.baselineName = baselineName;
        this.diffs = List.copyOf(diffs);
        this.note = note;
    }

    @Override
    public void render(StringBuilder html) {
        html.append("<section id=\"baseline-diff\">\n<h2>Growth against the baseline</h2>\n<p>Compared with <code>")
                .append(HtmlText.escape(baselineName)).append("</code>. Width is the bytes a site grew by; sites that did not"
                        + " grow are left out. Outermost frame at the bottom; hover a box for its figures.</p>\n");
        if (!note.isEmpty()) {
            html.append("<p><strong>").append(HtmlText.escape(note)).append("</strong></p>\n");
        }
        for (SiteDiff diff : diffs) {
            List<SiteDiff.Change> grown = diff.grown();
            html.append("<h3>").append(diff.domain().label()).append(' ').append(diff.figure().label())
                    .append(": sites grew by ").append(SizeFormatter.format(diff.grownBytes())).append("</h3>\n");
            if (grown.isEmpty()) {
                html.append("<p>No site grew: the growth is spread below the sites' resolution or the capture has no sites.</p>\n");
                continue;
            }
            renderGraph(grown, html);
            renderTable(grown, html);
        }
        html.append("</section>\n");
    }

    // ---- the graph ---------------------------------------------------------------------------

    private static final class Node {
        final Frame frame;
        final Map<String, Node> children = new LinkedHashMap<>();
        long grown;
        long before;
        long after;

        Node(Frame frame) {
            this.frame = frame;
        }
    }

    private static void renderGraph(List<SiteDiff.Change> grown, StringBuilder html) {
        Node root = new Node(null);
        int depth = 0;
        for (SiteDiff.Change change : grown) {
            Node node = root;
            add(node, change);
            List<Frame> frames = change.frames();
            for (int i = frames.size() - 1; i >= 0; i--) { // outermost first
                Frame f = frames.get(i);
                node = node.children.computeIfAbsent(f.kind() + " " + f.symbol() + " " + f.library(), k -> new Node(f));
                add(node, change);
            }
            depth = Math.max(depth, frames.size());
        }
        int height = (depth + 1) * ROW;
        html.append("<svg class=\"memtrack-diff-flame\" xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(height).append("\" font-family=\"monospace\" font-size=\"11\">\n");
        box(html, "all grown sites", root, 0, WIDTH, height - ROW, "#bdbdbd");
        double x = 0;
        for (Node child : root.children.values()) {
            double w = WIDTH * (double) child.grown / root.grown;
            draw(child, x, w, 1, height, html);
            x += w;
        }
        html.append("</svg>\n");
    }

    private static void add(Node node, SiteDiff.Change change) {
        node.grown += change.delta();
        node.before += change.before();
        node.after += change.after();
    }

    private static void draw(Node node, double x, double w, int level, int height, StringBuilder html) {
        if (w < MIN_WIDTH) {
            return;
        }
        box(html, frameText(node.frame), node, x, w, height - (level + 1) * ROW, colour(node));
        double childX = x;
        for (Node child : node.children.values()) {
            double cw = w * child.grown / node.grown;
            draw(child, childX, cw, level + 1, height, html);
            childX += cw;
        }
    }

    private static void box(StringBuilder html, String label, Node node, double x, double w, int y, String fill) {
        String tip = label + ": +" + SizeFormatter.format(node.grown) + " (" + SizeFormatter.format(node.before) + " -> "
                + SizeFormatter.format(node.after) + (node.before == 0 ? ", new" : "") + ")";
        html.append("<g><title>").append(HtmlText.escape(tip)).append("</title><rect x=\"").append(num(x)).append("\" y=\"").append(y)
                .append("\" width=\"").append(num(Math.max(w - 0.5, 0.1))).append("\" height=\"").append(ROW - 1)
                .append("\" fill=\"").append(fill).append("\" rx=\"2\"/>");
        int chars = (int) ((w - 6) / 6.6);
        if (chars >= 3) {
            String text = label.length() > chars ? label.substring(0, chars - 2) + ".." : label;
            html.append("<text x=\"").append(num(x + 3)).append("\" y=\"").append(y + ROW - 5).append("\">")
                    .append(HtmlText.escape(text)).append("</text>");
        }
        html.append("</g>\n");
    }

    /** Red for grown frames, darker where the bytes are new (nothing there in the baseline). */
    private static String colour(Node node) {
        if (node.before == 0) {
            return "#d9534f";
        }
        double share = Math.min(1.0, (double) node.grown / Math.max(node.after, 1));
        int light = (int) Math.round(85 - 30 * share);
        return "hsl(8, 75%, " + light + "%)";
    }

    // ---- the table ---------------------------------------------------------------------------

    private static void renderTable(List<SiteDiff.Change> grown, StringBuilder html) {
        html.append("<table>\n<thead><tr><th>grew by</th><th>baseline</th><th>now</th><th>allocated at</th></tr></thead>\n<tbody>\n");
        for (SiteDiff.Change change : grown.subList(0, Math.min(SITES_LISTED, grown.size()))) {
            html.append("<tr><td>+").append(SizeFormatter.format(change.delta())).append("</td><td>")
                    .append(SizeFormatter.format(change.before())).append("</td><td>")
                    .append(SizeFormatter.format(change.after())).append("</td><td><code>")
                    .append(HtmlText.escape(caller(change.frames()))).append("</code></td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        if (grown.size() > SITES_LISTED) {
            html.append("<p>...and ").append(grown.size() - SITES_LISTED).append(" more grown sites.</p>\n");
        }
    }

    /** The first frame that is not the allocator, with the first Java frame when that is another. */
    private static String caller(List<Frame> frames) {
        List<String> parts = new ArrayList<>();
        for (Frame f : frames) {
            if (f.kind() == Frame.Kind.ALLOCATOR) {
                continue;
            }
            if (parts.isEmpty() || f.isJava()) {
                parts.add(frameText(f));
            }
            if (f.isJava()) {
                break;
            }
        }
        return parts.isEmpty() ? "(no stack)" : String.join(" <- ", parts);
    }

    static String frameText(Frame frame) {
        if (frame.isJava()) {
            return frame.symbol();
        }
        return frame.library().isEmpty() ? frame.symbol() : frame.symbol() + " [" + frame.library() + "]";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
