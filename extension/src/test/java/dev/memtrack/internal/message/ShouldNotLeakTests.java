package dev.memtrack.internal.message;

import static dev.memtrack.internal.message.Sites.allocator;
import static dev.memtrack.internal.message.Sites.java;
import static dev.memtrack.internal.message.Sites.nativeFrame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShouldNotLeakTests {

    private static final String JNA_TEST = "dev.memtrack.fixtures.JnaMemoryLeakTestCase";
    private static final MessageContext JNA_CONTEXT = new MessageContext(5,
            "target/memtrack/dev.memtrack.fixtures.JnaMemoryLeakTestCase/keepsMemory.html", new StackTrimmer(Set.of(JNA_TEST)));

    private static final List<Frame> JNA_FRAMES = Sites.concat(List.of(
            allocator("malloc"),
            java("com.sun.jna.Native.malloc", "", Frame.NATIVE_METHOD_LINE),
            java("com.sun.jna.Memory.malloc", "Memory.java", 753),
            java("com.sun.jna.Memory.<init>", "Memory.java", 117),
            java(JNA_TEST + ".keepsMemory", "JnaMemoryLeakTestCase.java", 27)), Sites.JUNIT_FRAMES);

    @Test
    void writesTheDocumentedExample() {
        Measurement measurement = Measurement.ofNative(Sites.nativeReport(Sites.leaked(3_333_333, 1, JNA_FRAMES)));

        VerdictMessage message = ShouldNotLeak.shouldNotLeak(Subject.TEST, measurement, DomainSelection.ANY, 0, JNA_CONTEXT);

        assertThat(message.text()).isEqualTo("""
                Test leaked 3.2 MiB of native memory in 1 allocation (allowed: 0 B)

                  3.2 MiB in 1 allocation allocated at:
                    malloc                                  libc.so.6
                    com.sun.jna.Native.malloc(Native Method)
                    com.sun.jna.Memory.malloc(Memory.java:753)
                    com.sun.jna.Memory.<init>(Memory.java:117)
                    dev.memtrack.fixtures.JnaMemoryLeakTestCase.keepsMemory(JnaMemoryLeakTestCase.java:27)

                  Report: target/memtrack/dev.memtrack.fixtures.JnaMemoryLeakTestCase/keepsMemory.html""");
        assertThat(message.expected()).isEqualTo("0 B");
        assertThat(message.actual()).isEqualTo("3.2 MiB");
    }

    @Test
    void writesTheProductExampleWithSitesLeftOut() {
        String test = "com.acme.StoreTest";
        Site options = Sites.leaked(2L << 20, 512, Sites.concat(List.of(
                allocator("malloc"),
                nativeFrame("rocksdb::ColumnFamilyOptions::...", "librocksdbjni.so", "options.cc", 118),
                nativeFrame("Java_org_rocksdb_Options_newOptions", "librocksdbjni.so"),
                java("org.rocksdb.Options.newOptions", "", Frame.NATIVE_METHOD_LINE),
                java("org.rocksdb.Options.<init>", "Options.java", 51),
                java(test + ".writesKeys", "StoreTest.java", 27)), Sites.JUNIT_FRAMES));
        Site small1 = Sites.leaked(8 * 1024, 2, List.of(allocator("malloc"), java(test + ".writesKeys", "StoreTest.java", 28)));
        Site small2 = Sites.leaked(3 * 1024, 1, List.of(allocator("malloc"), java(test + ".writesKeys", "StoreTest.java", 29)));
        Site small3 = Sites.leaked(1024, 1, List.of(allocator("calloc"), java(test + ".writesKeys", "StoreTest.java", 30)));
        Measurement measurement = Measurement.ofNative(Sites.nativeReport(small1, options, small2, small3));
        MessageContext context = new MessageContext(1, "target/memtrack/com.acme.StoreTest/writesKeys.html",
                new StackTrimmer(Set.of(test)));

        VerdictMessage message = ShouldNotLeak.shouldNotLeak(Subject.TEST, measurement, DomainSelection.ANY, 0, context);

        assertThat(message.text()).isEqualTo("""
                Test leaked 2.0 MiB of native memory in 516 allocations (allowed: 0 B)

                  2.0 MiB in 512 allocations allocated at:
                    malloc                                  libc.so.6
                    rocksdb::ColumnFamilyOptions::...       librocksdbjni.so   options.cc:118
                    Java_org_rocksdb_Options_newOptions     librocksdbjni.so
                    org.rocksdb.Options.newOptions(Native Method)
                    org.rocksdb.Options.<init>(Options.java:51)
                    com.acme.StoreTest.writesKeys(StoreTest.java:27)

                  ...and 3 more sites (12.0 KiB). Report: target/memtrack/com.acme.StoreTest/writesKeys.html""");
    }

    @Test
    void listsOnlySitesStillLiveLargestFirst() {
        Site freed = Sites.site(Domain.NATIVE, 4096, 1, 0, 0, 4096, 1, List.of(allocator("malloc")));
        Site small = Sites.leaked(100, 1, List.of(allocator("malloc"), java("a.T.small", "T.java", 1)));
        Site big = Sites.leaked(2000, 2, List.of(allocator("mmap"), java("a.T.big", "T.java", 2)));
        Measurement measurement = Measurement.ofNative(Sites.nativeReport(freed, small, big));
        MessageContext context = new MessageContext(5, "target/memtrack/a.T/x.html", new StackTrimmer(Set.of("a.T")));

        VerdictMessage message = ShouldNotLeak.shouldNotLeak(Subject.BLOCK, measurement, DomainSelection.NATIVE, 1024, context);

        assertThat(message.text()).isEqualTo("""
                Block leaked 2.1 KiB of native memory in 3 allocations (allowed: 1.0 KiB)

                  2.0 KiB in 2 allocations allocated at:
                    mmap                                    libc.so.6
                    a.T.big(T.java:2)

                  100 B in 1 allocation allocated at:
                    malloc                                  libc.so.6
                    a.T.small(T.java:1)

                  Report: target/memtrack/a.T/x.html""");
    }

    @Test
    void endsWithoutReportLineWhenThereIsNoReport() {
        Measurement measurement = Measurement.ofNative(Sites.nativeReport(
                Sites.leaked(10, 1, List.of(allocator("malloc"))), Sites.leaked(20, 1, List.of(allocator("calloc")))));

        String text = ShouldNotLeak.shouldNotLeak(Subject.BLOCK, measurement, DomainSelection.ANY, 0,
                new MessageContext(1, "", StackTrimmer.none())).text();
        String allShown = ShouldNotLeak.shouldNotLeak(Subject.BLOCK, measurement, DomainSelection.ANY, 0,
                new MessageContext(5, "", StackTrimmer.none())).text();

        assertThat(text).endsWith("\n\n  20 B in 1 allocation allocated at:\n"
                + "    calloc                                  libc.so.6\n\n"
                + "  ...and 1 more site (10 B).");
        assertThat(allShown).endsWith("\n\n  10 B in 1 allocation allocated at:\n"
                + "    malloc                                  libc.so.6");
    }

    @Test
    void splitsACombinedFigureThatBothDomainsContributeTo() {
        Site nativeSite = Sites.leaked(2L << 20, 3, List.of(allocator("malloc")));
        Site managedSite = Sites.site(Domain.MANAGED, 1L << 20, 2, 1L << 20, 2, 1L << 20, 2,
                List.of(java("com.acme.Cache.put", "Cache.java", 9)));
        Measurement measurement = new Measurement(List.of(Sites.nativeReport(nativeSite), Sites.report(Domain.MANAGED, managedSite)),
                3L << 20);
        MessageContext context = new MessageContext(5, "r.html", StackTrimmer.none());

        String combined = ShouldNotLeak.shouldNotLeak(Subject.TEST, measurement, DomainSelection.ANY, 0, context).text();
        String nativeOnly = ShouldNotLeak.shouldNotLeak(Subject.TEST, measurement, DomainSelection.NATIVE, 0, context).text();

        assertThat(combined).isEqualTo("""
                Test leaked 3.0 MiB of native and managed memory in 5 allocations (native 2.0 MiB, managed 1.0 MiB; allowed: 0 B)

                  2.0 MiB in 3 allocations allocated at:
                    malloc                                  libc.so.6

                  1.0 MiB in 2 allocations allocated at:
                    com.acme.Cache.put(Cache.java:9)

                  Report: r.html""");
        assertThat(nativeOnly).startsWith("Test leaked 2.0 MiB of native memory in 3 allocations (allowed: 0 B)\n");
    }

    @Test
    void namesTheOnlyContributingDomainWithoutSplit() {
        Site managedSite = Sites.site(Domain.MANAGED, 4096, 1, 4096, 1, 4096, 1, List.of(java("a.B.c", "B.java", 1)));
        Measurement measurement = new Measurement(List.of(Sites.nativeReport(), Sites.report(Domain.MANAGED, managedSite)), 4096);

        String text = ShouldNotLeak.shouldNotLeak(Subject.TEST, measurement, DomainSelection.ANY, 0,
                new MessageContext(5, "r.html", StackTrimmer.none())).text();

        assertThat(text).startsWith("Test leaked 4.0 KiB of managed memory in 1 allocation (allowed: 0 B)\n");
    }

    @Test
    void showsASiteWithoutFramesAsSuch() {
        Measurement measurement = Measurement.ofNative(Sites.nativeReport(Sites.leaked(64, 1, List.of())));

        String text = ShouldNotLeak.shouldNotLeak(Subject.TEST, measurement, DomainSelection.ANY, 0,
                new MessageContext(5, "r.html", StackTrimmer.none())).text();

        assertThat(text).contains("  64 B in 1 allocation allocated at:\n    (no stack recorded)\n");
    }

    @Test
    void showsSitesThatPrintTheSameStackAsOneSite() {
        // zlib's deflateInit2_ allocates its window and tables from four calls: four addresses, one printed stack
        List<Frame> frames = List.of(
                allocator("malloc"),
                nativeFrame("deflateInit2_", "libz.so.1"),
                nativeFrame("Java_java_util_zip_Deflater_init", "libzip.so"),
                java("java.util.zip.Deflater.init", "", Frame.NATIVE_METHOD_LINE),
                java("a.DeflaterTest.keeps", "DeflaterTest.java", 12));
        Site window = Sites.leaked(65_536, 1, frames);
        Site state = Sites.leaked(5_940, 1, List.of(allocator("calloc"), java("a.DeflaterTest.keeps", "DeflaterTest.java", 12)));
        Measurement measurement = Measurement.ofNative(Sites.nativeReport(window, window, state, window, window));

        String text = ShouldNotLeak.shouldNotLeak(Subject.TEST, measurement, DomainSelection.ANY, 0,
                new MessageContext(5, "r.html", StackTrimmer.none())).text();

        assertThat(text).isEqualTo("""
                Test leaked 261.8 KiB of native memory in 5 allocations (allowed: 0 B)

                  256.0 KiB in 4 allocations allocated at:
                    malloc                                  libc.so.6
                    deflateInit2_                           libz.so.1
                    Java_java_util_zip_Deflater_init        libzip.so
                    java.util.zip.Deflater.init(Native Method)
                    a.DeflaterTest.keeps(DeflaterTest.java:12)

                  5.8 KiB in 1 allocation allocated at:
                    calloc                                  libc.so.6
                    a.DeflaterTest.keeps(DeflaterTest.java:12)

                  Report: r.html""");
    }
}
