package dev.memtrack.internal.agent;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.HeldBlocks;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.ArrayList;
import java.util.List;

/** Reads the text that memtrack_scope_report returns; format in docs/native-report-format.md. */
final class NativeReportParser {

    private NativeReportParser() {
    }

    static ScopeReport parse(String text) {
        String[] lines = text.split("\n");
        NativeTextFormat.checkHeader(lines, NativeTextFormat.REPORT);
        Figures totals = Figures.ZERO;
        List<Site> sites = new ArrayList<>();
        String[] pendingSite = null;
        List<Frame> frames = new ArrayList<>();
        List<String> retained = new ArrayList<>();
        String[] owner = null;
        HeldBlocks held = HeldBlocks.NONE;
        long jdkBytes = 0;
        long jdkCount = 0;
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t", -1);
            switch (f[0]) {
                case "totals" -> totals = new Figures(l(f[1]), l(f[2]), l(f[3]), l(f[4]), l(f[5]), l(f[6]), l(f[7]));
                case "site" -> {
                    if (pendingSite != null) {
                        sites.add(site(pendingSite, frames, owner, retained, held));
                    }
                    pendingSite = f;
                    frames = new ArrayList<>();
                    retained = new ArrayList<>();
                    owner = null;
                    held = HeldBlocks.NONE;
                }
                case "frame" -> frames.add(new Frame(kind(f[1]), f[2], f[3], f[4], Integer.parseInt(f[5])));
                case "owner" -> {
                    owner = f;
                    jdkBytes += l(f[4]);
                    jdkCount += l(f[5]);
                }
                case "retained" -> retained.add(f[1]);
                case "held" -> held = held(f);
                case "end", "" -> {
                }
                default -> throw new IllegalStateException("Unexpected native report line " + (i + 1) + ": '" + lines[i] + "'");
            }
        }
        if (pendingSite != null) {
            sites.add(site(pendingSite, frames, owner, retained, held));
        }
        if (jdkBytes > 0 || jdkCount > 0) {
            // blocks a JDK cache owns are the JDK's, not the test's: not live for the verdicts
            totals = new Figures(totals.allocatedBytes(), totals.allocatedCount(), totals.freedBytes(), totals.freedCount(),
                    Math.max(0, totals.liveBytes() - jdkBytes), Math.max(0, totals.liveCount() - jdkCount), totals.peakBytes());
        }
        return new ScopeReport(Domain.NATIVE, totals, sites);
    }

    /**
     * A site; with the owner check's lines ({@code owner <state> <owner> <other owners> <JDK-cache
     * bytes> <JDK-cache blocks>}, then the path as {@code retained} lines), its owner line and path,
     * and its live figures without the blocks a JDK cache owns.
     */
    /** {@code held <count> <scope>:<hex address>,...} (the list empty when the count is over 64). */
    private static HeldBlocks held(String[] f) {
        List<Long> blocks = new ArrayList<>();
        if (f.length > 2 && !f[2].isEmpty()) {
            for (String block : f[2].split(",")) {
                int colon = block.indexOf(':');
                blocks.add(Long.parseLong(block.substring(0, colon)));
                blocks.add(Long.parseUnsignedLong(block.substring(colon + 1), 16));
            }
        }
        return new HeldBlocks(Integer.parseInt(f[1]), blocks);
    }

    private static Site site(String[] f, List<Frame> frames, String[] owner, List<String> retained, HeldBlocks held) {
        long live = l(f[4]);
        long liveCount = l(f[5]);
        String ownedBy = "";
        if (owner != null) {
            live = Math.max(0, live - l(owner[4]));
            liveCount = Math.max(0, liveCount - l(owner[5]));
            long others = l(owner[3]);
            ownedBy = switch (owner[1]) {
                case "held" -> Site.OWNED_BY + owner[2]
                        + (others > 0 ? " and " + others + " other owner" + (others == 1 ? "" : "s") : "");
                case "native" -> Site.OWNED_BY + owner[2] + " through native memory"
                        + (others > 0 ? " and " + others + " other owner" + (others == 1 ? "" : "s") : "");
                case "unreachable" -> Site.OWNED_BY + owner[2] + " (owner unreachable, cleaner pending)";
                case "none" -> Site.NO_OWNER;
                case "jdk" -> "owned by a JDK cache";
                case "test" -> "owned by the test (its stack or instance)";
                case "thread" -> "per-thread state of a native library: a thread-specific value of the test's thread holds it"
                        + " (freed when the thread ends)";
                default -> throw new IllegalStateException("Unknown owner state '" + owner[1] + "'");
            };
        }
        return new Site(Domain.NATIVE, Origin.fromCode(f[1]), l(f[2]), l(f[3]), live, liveCount, l(f[6]), l(f[7]), frames,
                retained, ownedBy, held);
    }

    private static Frame.Kind kind(String code) {
        return switch (code) {
            case "A" -> Frame.Kind.ALLOCATOR;
            case "N" -> Frame.Kind.NATIVE;
            case "J" -> Frame.Kind.JAVA;
            default -> throw new IllegalStateException("Unknown frame kind '" + code + "'");
        };
    }

    private static long l(String s) {
        return Long.parseLong(s);
    }
}
