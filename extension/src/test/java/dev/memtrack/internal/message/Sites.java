package dev.memtrack.internal.message;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.List;

/** Hand-built model objects for message tests. */
final class Sites {

    static final List<Frame> JUNIT_FRAMES = List.of(
            java("jdk.internal.reflect.NativeMethodAccessorImpl.invoke0", "", Frame.NATIVE_METHOD_LINE),
            java("java.lang.reflect.Method.invoke", "Method.java", 569),
            java("org.junit.platform.commons.util.ReflectionUtils.invokeMethod", "ReflectionUtils.java", 728));

    private Sites() {
    }

    static Frame allocator(String symbol) {
        return new Frame(Frame.Kind.ALLOCATOR, symbol, "libc.so.6", "", 0);
    }

    static Frame nativeFrame(String symbol, String library) {
        return new Frame(Frame.Kind.NATIVE, symbol, library, "", 0);
    }

    static Frame nativeFrame(String symbol, String library, String file, int line) {
        return new Frame(Frame.Kind.NATIVE, symbol, library, file, line);
    }

    static Frame java(String symbol, String file, int line) {
        return new Frame(Frame.Kind.JAVA, symbol, "", file, line);
    }

    /** A native site whose bytes are all still live and were all live at the peak. */
    static Site leaked(long bytes, long count, List<Frame> frames) {
        return new Site(Domain.NATIVE, Origin.JNI_LIBRARY, bytes, count, bytes, count, bytes, count, frames);
    }

    static Site site(Domain domain, long allocatedBytes, long allocatedCount, long liveBytes, long liveCount,
                     long peakBytes, long peakCount, List<Frame> frames) {
        return new Site(domain, domain == Domain.NATIVE ? Origin.JNI_LIBRARY : Origin.JAVA_HEAP,
                allocatedBytes, allocatedCount, liveBytes, liveCount, peakBytes, peakCount, frames);
    }

    /** A native report whose totals are the sums of its sites. */
    static ScopeReport nativeReport(Site... sites) {
        return report(Domain.NATIVE, sites);
    }

    static ScopeReport report(Domain domain, Site... sites) {
        long allocated = 0;
        long count = 0;
        long live = 0;
        long liveCount = 0;
        long peak = 0;
        for (Site s : sites) {
            allocated += s.allocatedBytes();
            count += s.allocatedCount();
            live += s.liveBytes();
            liveCount += s.liveCount();
            peak += s.peakBytes();
        }
        return new ScopeReport(domain, new Figures(allocated, count, allocated - live, count - liveCount, live, liveCount, peak),
                List.of(sites));
    }

    static List<Frame> concat(List<Frame> first, List<Frame> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }
}
