package dev.memtrack.internal.report;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.model.TimelinePoint;
import java.util.ArrayList;
import java.util.List;

/** Hand-built model objects shaped like what the agent reports. */
final class CaptureFixtures {

    static final Frame MALLOC = new Frame(Frame.Kind.ALLOCATOR, "malloc", "libc.so.6", "", 0);
    static final Frame JNA_MALLOC = new Frame(Frame.Kind.NATIVE, "Java_com_sun_jna_Native_malloc", "libjnidispatch.so", "", 0);
    static final Frame NATIVE_METHOD = new Frame(Frame.Kind.JAVA, "com.sun.jna.Native.malloc", "", "Native.java", Frame.NATIVE_METHOD_LINE);
    static final Frame MEMORY_INIT = new Frame(Frame.Kind.JAVA, "com.sun.jna.Memory.<init>", "", "Memory.java", 112);
    static final Frame TEST_METHOD = new Frame(Frame.Kind.JAVA, "com.acme.StoreTest.writesKeys", "", "StoreTest.java", 27);
    static final Frame ARRAYS_COPY = new Frame(Frame.Kind.JAVA, "java.util.Arrays.copyOf", "", "Arrays.java", 3537);

    static final long NATIVE_LEAK = 3_333_333;

    private CaptureFixtures() {
    }

    /** A failed test: one native leak through JNA, one managed site, a short timeline. */
    static TestCapture leakingTest() {
        Site nativeLeak = new Site(Domain.NATIVE, Origin.JNI_LIBRARY, NATIVE_LEAK, 1, NATIVE_LEAK, 1, NATIVE_LEAK, 1,
                List.of(MALLOC, JNA_MALLOC, NATIVE_METHOD, MEMORY_INIT, TEST_METHOD));
        Site managed = new Site(Domain.MANAGED, Origin.JAVA_HEAP, 8 * 1024 * 1024, 64, 0, 0, 4 * 1024 * 1024, 32,
                List.of(ARRAYS_COPY, TEST_METHOD));
        return new TestCapture("[engine:junit-jupiter]/[class:com.acme.StoreTest]/[method:writesKeys()]",
                "com.acme.StoreTest", "writesKeys", "writesKeys()", 1_700_000_000_000L, 12_345_678L,
                List.of(new ScopeReport(Domain.NATIVE, new Figures(NATIVE_LEAK, 1, 0, 0, NATIVE_LEAK, 1, NATIVE_LEAK), List.of(nativeLeak)),
                        new ScopeReport(Domain.MANAGED, new Figures(8 * 1024 * 1024, 64, 8 * 1024 * 1024, 64, 0, 0, 4 * 1024 * 1024),
                                List.of(managed))),
                List.of(new TimelinePoint(0, 0, 0), new TimelinePoint(5, NATIVE_LEAK, 4 * 1024 * 1024),
                        new TimelinePoint(9, NATIVE_LEAK, 1024, 5L << 20)),
                List.of("Test leaked 3.2 MiB of native memory in 1 allocation (allowed: 0 B)"));
    }

    /** A failed test with a managed leak held by a static field: its site carries the reference path. */
    static TestCapture managedLeak() {
        Site leaked = new Site(Domain.MANAGED, Origin.JAVA_HEAP, 2_048_000, 2000, 2_048_000, 2000, 2_048_000, 2000,
                List.of(new Frame(Frame.Kind.JAVA, "com.acme.Cache.put", "", "Cache.java", 14), TEST_METHOD),
                List.of("static com.acme.Cache.ENTRIES", "java.util.HashMap.table", "java.util.HashMap$Node[]",
                        "java.util.HashMap$Node.value", "byte[1000]"));
        Site churn = new Site(Domain.MANAGED, Origin.JAVA_HEAP, 4096, 4, 0, 0, 4096, 4, List.of(ARRAYS_COPY, TEST_METHOD));
        return new TestCapture("[engine:junit-jupiter]/[class:com.acme.CacheTest]/[method:grows()]", "com.acme.CacheTest",
                "grows", "grows()", 1_700_000_000_000L, 1_000_000L,
                List.of(ScopeReport.empty(Domain.NATIVE),
                        new ScopeReport(Domain.MANAGED, new Figures(2_052_096, 2004, 4096, 4, 2_048_000, 2000, 2_048_000),
                                List.of(churn, leaked))),
                List.of(), List.of("Test leaked 2.0 MiB of managed memory in 2000 allocations (allowed: 0 B)"));
    }

    /** A native leak whose block a JNA Memory in a static list owns: its site carries the owner line and path. */
    static TestCapture ownedNativeLeak() {
        Site owned = new Site(Domain.NATIVE, Origin.JNI_LIBRARY, NATIVE_LEAK, 1, NATIVE_LEAK, 1, NATIVE_LEAK, 1,
                List.of(MALLOC, JNA_MALLOC, NATIVE_METHOD, MEMORY_INIT, TEST_METHOD),
                List.of("static com.acme.StoreTest.KEPT", "java.util.ArrayList.elementData", "[0]"),
                "owned by: com.sun.jna.Memory (field peer)");
        Site lost = new Site(Domain.NATIVE, Origin.JNI_LIBRARY, 4096, 1, 4096, 1, 4096, 1, List.of(MALLOC, TEST_METHOD),
                List.of(), Site.NO_OWNER);
        return new TestCapture("[engine:junit-jupiter]/[class:com.acme.StoreTest]/[method:keeps()]", "com.acme.StoreTest",
                "keeps", "keeps()", 1_700_000_000_000L, 1_000_000L,
                List.of(new ScopeReport(Domain.NATIVE, new Figures(NATIVE_LEAK + 4096, 2, 0, 0, NATIVE_LEAK + 4096, 2,
                        NATIVE_LEAK + 4096), List.of(owned, lost))),
                List.of(), List.of("Test leaked 3.2 MiB of native memory in 2 allocations (allowed: 0 B)"));
    }

    /** A passing test with the given figures in both domains and no sites. */
    static TestCapture test(String testClass, String testMethod, long nativePeak, long nativeLeaked, long allocated) {
        return new TestCapture("[class:" + testClass + "]/[method:" + testMethod + "]", testClass, testMethod, testMethod + "()",
                0, 1_000_000,
                List.of(new ScopeReport(Domain.NATIVE, new Figures(allocated, 1, 0, 0, nativeLeaked, nativeLeaked > 0 ? 1 : 0, nativePeak), List.of()),
                        ScopeReport.empty(Domain.MANAGED)),
                List.of(), List.of(), nativePeak); // nothing managed: the combined peak is the native peak
    }

    /** {@code count} distinct native stacks that share their Java frames. */
    static TestCapture manySites(int count, long allocationsPerSite) {
        List<Site> sites = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Frame caller = new Frame(Frame.Kind.NATIVE, "fixture_alloc_" + i, "libfixture.so", "fixture.c", 100 + i);
            sites.add(new Site(Domain.NATIVE, Origin.JNI_LIBRARY, 1000L * allocationsPerSite, allocationsPerSite, 0, 0, 1000, 1,
                    List.of(MALLOC, caller, NATIVE_METHOD, MEMORY_INIT, TEST_METHOD)));
        }
        long total = sites.stream().mapToLong(Site::allocatedBytes).sum();
        return new TestCapture("id", "com.acme.ManyTest", "many", "many()", 0, 1,
                List.of(new ScopeReport(Domain.NATIVE, new Figures(total, count * allocationsPerSite, total, count * allocationsPerSite, 0, 0, 1000L * count), sites)),
                List.of(), List.of());
    }
}
