package dev.memtrack.internal.baseline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.message.StackTrimmer;
import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.model.TestCapture;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * One figure of one domain compared site by site between a baseline capture and a current one.
 *
 * <p>Sites are matched by their stack as the report shows it (frames below the test method left
 * out) and by frame <em>symbols</em> only: a line added above a call in the test, or a rebuilt
 * library, moves line numbers, and the same code path must still match its baseline. Sites whose
 * stacks then read the same are one site.
 */
@API(status = INTERNAL, since = "0.1")
public final class SiteDiff {

    /** A matched site: its stack (innermost first, as shown) and the figure before and after. */
    public record Change(List<Frame> frames, long before, long after) {

        public long delta() {
            return after - before;
        }
    }

    private final Domain domain;
    private final Figure figure;
    private final List<Change> changes;

    private SiteDiff(Domain domain, Figure figure, List<Change> changes) {
        this.domain = domain;
        this.figure = figure;
        this.changes = List.copyOf(changes);
    }

    public static SiteDiff of(TestCapture before, TestCapture after, Domain domain, Figure figure) {
        Map<List<String>, long[]> byStack = new LinkedHashMap<>();
        Map<List<String>, List<Frame>> shown = new LinkedHashMap<>();
        collect(after, domain, figure, 1, byStack, shown);
        collect(before, domain, figure, 0, byStack, shown);
        List<Change> changes = new ArrayList<>();
        byStack.forEach((key, v) -> changes.add(new Change(shown.get(key), v[0], v[1])));
        changes.sort(Comparator.comparingLong(Change::delta).reversed());
        return new SiteDiff(domain, figure, changes);
    }

    /** Every figure of every domain the two captures measure whose sites grew, native first. */
    public static List<SiteDiff> allGrown(TestCapture before, TestCapture after) {
        List<SiteDiff> diffs = new ArrayList<>();
        for (Domain domain : Domain.values()) {
            boolean measured = after.reports().stream().anyMatch(r -> r.domain() == domain)
                    || before.reports().stream().anyMatch(r -> r.domain() == domain);
            if (!measured) {
                continue;
            }
            for (Figure figure : Figure.values()) {
                SiteDiff diff = of(before, after, domain, figure);
                if (diff.grownBytes() > 0) {
                    diffs.add(diff);
                }
            }
        }
        return diffs;
    }

    private static void collect(TestCapture capture, Domain domain, Figure figure, int slot,
                                Map<List<String>, long[]> byStack, Map<List<String>, List<Frame>> shown) {
        String testClass = capture.testClass();
        StackTrimmer trimmer = testClass == null || testClass.isEmpty() ? StackTrimmer.none() : new StackTrimmer(Set.of(testClass));
        for (ScopeReport report : capture.reports()) {
            if (report.domain() != domain) {
                continue;
            }
            for (Site site : report.sites()) {
                List<Frame> frames = trimmer.trim(site.frames());
                List<String> key = frames.stream().map(f -> f.kind() + " " + f.symbol() + " " + f.library()).toList();
                byStack.computeIfAbsent(key, k -> new long[2])[slot] += weight(site, figure);
                shown.putIfAbsent(key, frames);
            }
        }
    }

    static long weight(Site site, Figure figure) {
        return switch (figure) {
            case PEAK -> site.peakBytes();
            case ALLOCATED -> site.allocatedBytes();
            case LEAKED -> site.liveBytes();
        };
    }

    public Domain domain() {
        return domain;
    }

    public Figure figure() {
        return figure;
    }

    /** Every site of either capture, most grown first. */
    public List<Change> changes() {
        return changes;
    }

    /** The sites that grew, most grown first. */
    public List<Change> grown() {
        return changes.stream().filter(c -> c.delta() > 0).toList();
    }

    /** Bytes by which the grown sites grew, together. */
    public long grownBytes() {
        return grown().stream().mapToLong(Change::delta).sum();
    }
}
