package dev.memtrack.internal.message;

import static dev.memtrack.internal.message.Sites.allocator;
import static dev.memtrack.internal.message.Sites.java;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShouldHavePeakBelowTests {

    private static final MessageContext CONTEXT = new MessageContext(2, "target/memtrack/a.PeakTest/peaks.html",
            new StackTrimmer(Set.of("a.PeakTest")));

    @Test
    void ranksSitesByTheBytesTheyHadLiveAtThePeak() {
        // allocated order differs from peak order: the big buffer was freed before the peak
        Site freedEarly = Sites.site(Domain.NATIVE, 50L << 20, 1, 0, 0, 0, 0, List.of(allocator("malloc"), java("a.PeakTest.early", "PeakTest.java", 5)));
        Site buffers = Sites.site(Domain.NATIVE, 6L << 20, 6, 0, 0, 6L << 20, 6,
                Sites.concat(List.of(allocator("malloc"), java("a.PeakTest.peaks", "PeakTest.java", 12)), Sites.JUNIT_FRAMES));
        Site index = Sites.site(Domain.NATIVE, 3L << 20, 1, 1L << 20, 1, 3L << 20, 1, List.of(allocator("mmap"), java("a.Index.grow", "Index.java", 80)));
        Site tiny = Sites.site(Domain.NATIVE, 512, 4, 0, 0, 512, 4, List.of(allocator("malloc")));
        ScopeReport report = new ScopeReport(Domain.NATIVE, new Figures(59L << 20, 12, 58L << 20, 11, 1L << 20, 1, (9L << 20) + 512),
                List.of(freedEarly, buffers, index, tiny));

        VerdictMessage message = ShouldHavePeakBelow.shouldHavePeakBelow(Subject.TEST, Measurement.ofNative(report),
                DomainSelection.ANY, 8L << 20, CONTEXT);

        assertThat(message.text()).isEqualTo("""
                Test reached a peak of 9.0 MiB of native memory (allowed: below 8.0 MiB)

                  6.0 MiB in 6 allocations live at the peak, allocated at:
                    malloc                                  libc.so.6
                    a.PeakTest.peaks(PeakTest.java:12)

                  3.0 MiB in 1 allocation live at the peak, allocated at:
                    mmap                                    libc.so.6
                    a.Index.grow(Index.java:80)

                  ...and 1 more site (512 B). Report: target/memtrack/a.PeakTest/peaks.html""");
        assertThat(message.expected()).isEqualTo("8.0 MiB");
        assertThat(message.actual()).isEqualTo("9.0 MiB");
    }

    @Test
    void judgesTheCombinedPeakNotTheSumOfDomainPeaks() {
        Site nativeSite = Sites.site(Domain.NATIVE, 4L << 20, 1, 0, 0, 4L << 20, 1, List.of(allocator("malloc")));
        Site managedSite = Sites.site(Domain.MANAGED, 2L << 20, 1, 0, 0, 2L << 20, 1, List.of(java("a.B.c", "B.java", 1)));
        Measurement measurement = new Measurement(List.of(Sites.nativeReport(nativeSite), Sites.report(Domain.MANAGED, managedSite)),
                5L << 20);

        String text = ShouldHavePeakBelow.shouldHavePeakBelow(Subject.BLOCK, measurement, DomainSelection.ANY, 1L << 20,
                new MessageContext(0, "r.html", StackTrimmer.none())).text();

        assertThat(text).isEqualTo("""
                Block reached a peak of 5.0 MiB of native and managed memory (native peak 4.0 MiB, managed peak 2.0 MiB; allowed: below 1.0 MiB)

                  ...and 2 more sites (6.0 MiB). Report: r.html""");
    }
}
