package dev.memtrack.internal.message;

import static dev.memtrack.internal.message.Sites.allocator;
import static dev.memtrack.internal.message.Sites.java;
import static dev.memtrack.internal.message.Sites.nativeFrame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sites that print alike are merged, unsymbolized runs folded, long stacks cut in the middle. */
class PrintedStacksTests {

    private static final String TEST = "com.acme.PoolTest";
    private static final MessageContext CONTEXT = new MessageContext(5, "target/memtrack/com.acme.PoolTest/keeps.html",
            new StackTrimmer(Set.of(TEST)));

    /** The DeflaterPool sample's stack: the call sites inside deflateInit2_ differ, the printed frames do not. */
    private static List<Frame> deflaterStack() {
        return Sites.concat(List.of(
                allocator("malloc"),
                nativeFrame("deflateInit2_", "libz.so.1"),
                nativeFrame("Java_java_util_zip_Deflater_init", "libzip.so"),
                java("java.util.zip.Deflater.init", "", Frame.NATIVE_METHOD_LINE),
                java("java.util.zip.Deflater.<init>", "Deflater.java", 201),
                java(TEST + ".keeps", "PoolTest.java", 18)), Sites.JUNIT_FRAMES);
    }

    @Test
    void mergesSitesThatPrintTheSameStack() {
        Measurement measurement = Measurement.ofNative(Sites.nativeReport(
                Sites.leaked(256 * 1024, 4, deflaterStack()),
                Sites.leaked(256 * 1024, 4, deflaterStack()),
                Sites.leaked(5_960 * 4, 4, deflaterStack()),
                Sites.leaked(448, 1, List.of(allocator("malloc"), java(TEST + ".keeps", "PoolTest.java", 19)))));

        String text = ShouldNotLeak.shouldNotLeak(Subject.TEST, measurement, DomainSelection.ANY, 0, CONTEXT).text();

        assertThat(text).isEqualTo("""
                Test leaked 535.7 KiB of native memory in 13 allocations (allowed: 0 B)

                  535.3 KiB in 12 allocations allocated at:
                    malloc                                  libc.so.6
                    deflateInit2_                           libz.so.1
                    Java_java_util_zip_Deflater_init        libzip.so
                    java.util.zip.Deflater.init(Native Method)
                    java.util.zip.Deflater.<init>(Deflater.java:201)
                    com.acme.PoolTest.keeps(PoolTest.java:18)

                  448 B in 1 allocation allocated at:
                    malloc                                  libc.so.6
                    com.acme.PoolTest.keeps(PoolTest.java:19)

                  Report: target/memtrack/com.acme.PoolTest/keeps.html""");
    }

    @Test
    void mergedSitesCountAsOneWhenSitesAreLeftOut() {
        List<Site> sites = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // seven sites, one printed stack each: 1 KiB, 2 KiB, ... plus one more site of that stack each
            List<Frame> stack = List.of(allocator("malloc"), java(TEST + ".keeps", "PoolTest.java", 20 + i));
            sites.add(Sites.leaked(1024L * (i + 1), 1, stack));
            sites.add(Sites.leaked(1024L * (i + 1), 1, stack));
        }
        Measurement measurement = Measurement.ofNative(Sites.nativeReport(sites.toArray(Site[]::new)));

        String text = ShouldNotLeak.shouldNotLeak(Subject.TEST, measurement, DomainSelection.ANY, 0, CONTEXT).text();

        assertThat(text).startsWith("""
                Test leaked 56.0 KiB of native memory in 14 allocations (allowed: 0 B)

                  14.0 KiB in 2 allocations allocated at:
                    malloc                                  libc.so.6
                    com.acme.PoolTest.keeps(PoolTest.java:26)
                """);
        assertThat(text).endsWith("""
                  ...and 2 more sites (6.0 KiB). Report: target/memtrack/com.acme.PoolTest/keeps.html""");
    }

    @Test
    void foldsRunsOfUnsymbolizedFramesOfOneLibrary() {
        List<Frame> stack = List.of(
                allocator("malloc"),
                nativeFrame("0x47ea2", "libsqlitejdbc.so"),
                nativeFrame("0x3c010", "libsqlitejdbc.so"),
                nativeFrame("0x3b9f4", "libsqlitejdbc.so"),
                nativeFrame("0x1234", "libother.so"),
                nativeFrame("Java_org_sqlite_core_NativeDB_prepare_1utf8", "libsqlitejdbc.so"),
                java("org.sqlite.core.NativeDB.prepare_utf8", "", Frame.NATIVE_METHOD_LINE),
                java(TEST + ".keeps", "PoolTest.java", 30));
        List<Frame> sameButOtherOffsets = new ArrayList<>(stack);
        sameButOtherOffsets.set(1, nativeFrame("0x47f00", "libsqlitejdbc.so"));
        Measurement measurement = Measurement.ofNative(Sites.nativeReport(
                Sites.leaked(3000, 3, stack), Sites.leaked(1000, 1, sameButOtherOffsets)));

        String text = ShouldNotLeak.shouldNotLeak(Subject.TEST, measurement, DomainSelection.ANY, 0, CONTEXT).text();

        // the JNI function is longer than 40 columns: the library column moves out for every frame
        assertThat(text).isEqualTo("""
                Test leaked 3.9 KiB of native memory in 4 allocations (allowed: 0 B)

                  3.9 KiB in 4 allocations allocated at:
                    malloc                                      libc.so.6
                    (3 frames without symbols)                  libsqlitejdbc.so
                    0x1234                                      libother.so
                    Java_org_sqlite_core_NativeDB_prepare_1utf8 libsqlitejdbc.so
                    org.sqlite.core.NativeDB.prepare_utf8(Native Method)
                    com.acme.PoolTest.keeps(PoolTest.java:30)

                  Report: target/memtrack/com.acme.PoolTest/keeps.html""");
    }

    @Test
    void cutsLongStacksInTheMiddleAndSaysHowManyFramesAreLeftOut() {
        List<Frame> stack = new ArrayList<>();
        stack.add(allocator("malloc"));
        for (int i = 0; i < 20; i++) {
            stack.add(nativeFrame("level" + i, "libdeep.so"));
        }
        stack.add(java(TEST + ".keeps", "PoolTest.java", 40));
        List<Site> sites = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            List<Frame> distinct = new ArrayList<>(stack);
            distinct.set(distinct.size() - 1, java(TEST + ".keeps", "PoolTest.java", 40 + i));
            sites.add(Sites.leaked(1024L * (5 - i), 1, distinct));
        }
        Measurement measurement = Measurement.ofNative(Sites.nativeReport(sites.toArray(Site[]::new)));

        String text = ShouldNotLeak.shouldNotLeak(Subject.TEST, measurement, DomainSelection.ANY, 0, CONTEXT).text();

        // five sites share 30 rows, 6 each: the allocator, the library function that called it, the JNI
        // boundary, the test, then the rows next to the first of those; one row for the 17 frames left out
        assertThat(text).startsWith("""
                Test leaked 15.0 KiB of native memory in 5 allocations (allowed: 0 B)

                  5.0 KiB in 1 allocation allocated at:
                    malloc                                  libc.so.6
                    level0                                  libdeep.so
                    level1                                  libdeep.so
                    ... 17 frames left out
                    level19                                 libdeep.so
                    com.acme.PoolTest.keeps(PoolTest.java:40)

                  4.0 KiB in 1 allocation allocated at:
                """);
        assertThat(text.lines().count()).isEqualTo(43);
    }

    @Test
    void aLoneSiteKeepsUpTo30Rows() {
        List<Frame> stack = new ArrayList<>();
        stack.add(allocator("malloc"));
        for (int i = 0; i < 28; i++) {
            stack.add(nativeFrame("level" + i, "libdeep.so"));
        }
        stack.add(java(TEST + ".keeps", "PoolTest.java", 40));
        Measurement measurement = Measurement.ofNative(Sites.nativeReport(Sites.leaked(1024, 1, stack)));

        String text = ShouldNotLeak.shouldNotLeak(Subject.TEST, measurement, DomainSelection.ANY, 0, CONTEXT).text();

        assertThat(text).contains("    level27 ").doesNotContain("left out");
    }
}
