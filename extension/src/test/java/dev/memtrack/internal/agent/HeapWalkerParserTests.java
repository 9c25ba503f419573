package dev.memtrack.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak text of HeapWalker.findLeaks0 and the report the verdicts read (docs/managed-heap.md). */
class HeapWalkerParserTests {

    static final String TEXT = String.join("\n",
            NativeTextFormat.header(NativeTextFormat.HEAP_LEAKS),
            "summary\t20\t17\t41000\t0\t52000\t1024",
            // the largest site: a project static's map, allocated by the project's code: a leak
            "site\t2000000\t1945600\t15\t2100000\t2000\tstatic\tcom.acme.Cache\tjava.util.HashMap$Node\t0\t0\t4",
            "frame\tJ\tcom.acme.Cache.fill\t\tCache.java\t36",
            "frame\tJ\tcom.acme.CacheTest.leaks\t\tCacheTest.java\t12",
            "retained\tstatic com.acme.Cache.ENTRIES",
            "retained\tjava.util.HashMap.table",
            "retained\t[811]",
            "retained\tjava.util.HashMap$Node.value",
            // allocated in a class initialiser: one-time initialisation, whatever holds it
            "site\t300000\t40960\t2\t300000\t40\tstatic\tcom.acme.Table\tcom.acme.Row\t1\t0\t2",
            "frame\tJ\tcom.acme.Table.<clinit>\t\tTable.java\t3",
            "retained\tstatic com.acme.Table.ROWS",
            // the same stack as the first site, held by another project static nearer its root: merged into it
            "site\t100000\t102400\t1\t2100000\t2000\tstatic\tcom.acme.Mirror\tjava.util.HashMap$Node\t0\t0\t2",
            "frame\tJ\tcom.acme.Cache.fill\t\tCache.java\t36",
            "frame\tJ\tcom.acme.CacheTest.leaks\t\tCacheTest.java\t12",
            "retained\tstatic com.acme.Mirror.COPY",
            "retained\tjava.util.HashMap$Node.value",
            "end", "");

    @Test
    void judgesEachSiteAndMergesSitesOfOneStackAndVerdict() {
        ManagedTracker.LeakCheck check = HeapWalkerParser.parse(TEXT, false, 64);
        assertThat(check.candidates()).isEqualTo(20);
        assertThat(check.walkMicros()).isEqualTo(52000);
        assertThat(check.truncated()).isFalse();
        assertThat(check.leaks().figures().liveBytes()).isEqualTo(2_100_000);
        assertThat(check.leaks().figures().liveCount()).isEqualTo(2000); // (1,945,600 + 102,400) / 1024
        assertThat(check.leaks().sites()).hasSize(1);
        Site leak = check.leaks().sites().get(0);
        assertThat(leak.domain()).isEqualTo(Domain.MANAGED);
        assertThat(leak.origin()).isEqualTo(Origin.JAVA_HEAP);
        assertThat(leak.liveBytes()).isEqualTo(2_100_000);
        assertThat(leak.liveCount()).isEqualTo(2000);
        assertThat(leak.allocatedBytes()).isEqualTo(2_100_000);
        assertThat(leak.frames()).extracting(Frame::symbol).containsExactly("com.acme.Cache.fill", "com.acme.CacheTest.leaks");
        // the path of the shallowest object of the merged sites
        assertThat(String.join(" -> ", leak.retainedBy())).isEqualTo("static com.acme.Mirror.COPY -> java.util.HashMap$Node.value");
        assertThat(check.oneTimeInitialisation().sites()).hasSize(1);
        assertThat(check.oneTimeInitialisation().figures().liveBytes()).isEqualTo(300_000);
        assertThat(check.reasons()).containsExactly("class initialisation");
    }

    @Test
    void strictModeJudgesEverythingALeakAndListsTheLargestSites() {
        ManagedTracker.LeakCheck strict = HeapWalkerParser.parse(TEXT, true, 1);
        assertThat(strict.leaks().figures().liveBytes()).isEqualTo(2_400_000); // every site counted
        assertThat(strict.leaks().sites()).extracting(Site::liveBytes).containsExactly(2_100_000L); // the largest listed
        assertThat(strict.oneTimeInitialisation().sites()).isEmpty();
    }

    @Test
    void aSiteLineOfAnotherShapeIsRefused() {
        assertThatThrownBy(() -> HeapWalkerParser.parse(NativeTextFormat.header(NativeTextFormat.HEAP_LEAKS) + "\nsite\tleak\tleak\t1\t1\t1\t1\t1\nend\n", false, 64))
                .hasMessageContaining("expected 12");
    }

    @Test
    void mergedReportCarriesLeakedFiguresAndPaths() {
        ManagedTracker.LeakCheck check = HeapWalkerParser.parse(TEXT, false, 64);
        List<Frame> leakFrames = check.leaks().sites().get(0).frames();
        List<Frame> other = List.of(new Frame(Frame.Kind.JAVA, "com.acme.Other.run", "", "Other.java", 5));
        ScopeReport report = new ScopeReport(Domain.MANAGED, new Figures(9_000_000, 90_000, 6_000_000, 60_000, 3_000_000, 30_000, 5_000_000),
                List.of(new Site(Domain.MANAGED, Origin.JAVA_HEAP, 2_100_000, 2000, 2_100_000, 2000, 2_100_000, 2000, leakFrames),
                        new Site(Domain.MANAGED, Origin.JAVA_HEAP, 6_900_000, 88_000, 900_000, 28_000, 2_900_000, 3000, other)));
        ScopeReport merged = ManagedTrackerReports.withLeaks(report, check);
        assertThat(merged.figures()).isEqualTo(new Figures(9_000_000, 90_000, 6_000_000, 60_000, 2_100_000, 2000, 5_000_000));
        assertThat(merged.sites().get(0).liveBytes()).isEqualTo(2_100_000);
        assertThat(merged.sites().get(0).retainedBy()).hasSize(2);
        assertThat(merged.sites().get(0).peakBytes()).isEqualTo(2_100_000);
        assertThat(merged.sites().get(1).liveBytes()).isZero();
        assertThat(merged.sites().get(1).retainedBy()).isEmpty();
    }

    @Test
    void unavailableCheckSaysWhy() {
        ManagedTracker.LeakCheck check = HeapWalkerParser.parse(NativeTextFormat.header(NativeTextFormat.HEAP_LEAKS) + "\nunavailable\tsampling is off\nend\n", false, 64);
        assertThat(check.note()).isEqualTo("sampling is off");
        assertThat(check.hasLeaks()).isFalse();
    }
}
