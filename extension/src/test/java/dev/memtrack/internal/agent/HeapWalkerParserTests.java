package dev.memtrack.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

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
            "memtrack-heap-leaks\t3",
            "summary\t20\t17\t2100000\t2000\t16\t300000\t40\t2\t41000\t0\t52000",
            "site\tleak\tleak\t2000000\t1900\t15\t2100000\t2000",
            "frame\tJ\tcom.acme.Cache.fill\t\tCache.java\t36",
            "frame\tJ\tcom.acme.CacheTest.leaks\t\tCacheTest.java\t12",
            "retained\tstatic com.acme.Cache.ENTRIES",
            "retained\tjava.util.HashMap.table",
            "retained\t[811]",
            "retained\tjava.util.HashMap$Node.value",
            "site\tonce\tclass initialisation\t300000\t40\t2\t300000\t40",
            "frame\tJ\tcom.acme.Table.<clinit>\t\tTable.java\t3",
            "retained\tstatic com.acme.Table.ROWS",
            "end", "");

    @Test
    void parsesLeaksOneTimeInitialisationAndPaths() {
        ManagedTracker.LeakCheck check = HeapWalkerParser.parse(TEXT, false);
        assertThat(check.candidates()).isEqualTo(20);
        assertThat(check.walkMicros()).isEqualTo(52000);
        assertThat(check.truncated()).isFalse();
        assertThat(check.leaks().figures().liveBytes()).isEqualTo(2_100_000);
        Site leak = check.leaks().sites().get(0);
        assertThat(leak.domain()).isEqualTo(Domain.MANAGED);
        assertThat(leak.origin()).isEqualTo(Origin.JAVA_HEAP);
        assertThat(leak.liveBytes()).isEqualTo(2_000_000);
        assertThat(leak.liveCount()).isEqualTo(1900);
        assertThat(leak.allocatedBytes()).isEqualTo(2_100_000);
        assertThat(leak.frames()).extracting(Frame::symbol).containsExactly("com.acme.Cache.fill", "com.acme.CacheTest.leaks");
        assertThat(String.join(" -> ", leak.retainedBy()))
                .isEqualTo("static com.acme.Cache.ENTRIES -> java.util.HashMap.table -> [811] -> java.util.HashMap$Node.value");
        assertThat(check.oneTimeInitialisation().sites()).hasSize(1);
        assertThat(check.reasons()).containsExactly("class initialisation");
    }

    @Test
    void mergedReportCarriesLeakedFiguresAndPaths() {
        ManagedTracker.LeakCheck check = HeapWalkerParser.parse(TEXT, false);
        List<Frame> leakFrames = check.leaks().sites().get(0).frames();
        List<Frame> other = List.of(new Frame(Frame.Kind.JAVA, "com.acme.Other.run", "", "Other.java", 5));
        ScopeReport report = new ScopeReport(Domain.MANAGED, new Figures(9_000_000, 90_000, 6_000_000, 60_000, 3_000_000, 30_000, 5_000_000),
                List.of(new Site(Domain.MANAGED, Origin.JAVA_HEAP, 2_100_000, 2000, 2_100_000, 2000, 2_100_000, 2000, leakFrames),
                        new Site(Domain.MANAGED, Origin.JAVA_HEAP, 6_900_000, 88_000, 900_000, 28_000, 2_900_000, 3000, other)));
        ScopeReport merged = ManagedTrackerReports.withLeaks(report, check);
        assertThat(merged.figures()).isEqualTo(new Figures(9_000_000, 90_000, 6_000_000, 60_000, 2_100_000, 2000, 5_000_000));
        assertThat(merged.sites().get(0).liveBytes()).isEqualTo(2_000_000);
        assertThat(merged.sites().get(0).retainedBy()).hasSize(4);
        assertThat(merged.sites().get(0).peakBytes()).isEqualTo(2_100_000);
        assertThat(merged.sites().get(1).liveBytes()).isZero();
        assertThat(merged.sites().get(1).retainedBy()).isEmpty();
    }

    @Test
    void unavailableCheckSaysWhy() {
        ManagedTracker.LeakCheck check = HeapWalkerParser.parse("memtrack-heap-leaks\t3\nunavailable\tsampling is off\nend\n", false);
        assertThat(check.note()).isEqualTo("sampling is off");
        assertThat(check.hasLeaks()).isFalse();
    }
}
