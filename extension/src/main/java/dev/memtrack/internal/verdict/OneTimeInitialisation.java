package dev.memtrack.internal.verdict;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apiguardian.api.API;

/**
 * Memory that stays allocated because something happened for the first time in the process —
 * a class was loaded or initialised, a native library was loaded — is one-time initialisation,
 * not a leak (product.md, "Leak"): a JDK or library cache filled once and reused forever. A site
 * is such when its merged stack passes through a class initialiser or through class or library
 * loading. It still shows in reports; only the leak verdict leaves it out. A cache that keeps
 * growing when the code repeats is judged by the repeat mode, not here.
 */
@API(status = INTERNAL, since = "0.1")
public final class OneTimeInitialisation {

    /** Java methods (class.method) whose presence on the stack marks loading work. */
    private static final Set<String> LOADING_METHODS = Set.of(
            "java.lang.ClassLoader.loadClass",
            "java.lang.ClassLoader.defineClass1",
            "java.lang.ClassLoader.defineClass2",
            "java.lang.Class.forName0",
            "jdk.internal.loader.BuiltinClassLoader.loadClassOrNull",
            "java.lang.System.load",
            "java.lang.System.loadLibrary",
            "java.lang.Runtime.load0",
            "java.lang.Runtime.loadLibrary0",
            "jdk.internal.loader.NativeLibraries.load",
            "com.sun.jna.NativeLibrary.loadLibrary",
            "com.sun.jna.Native.loadNativeDispatchLibrary");

    private OneTimeInitialisation() {
    }

    /** The report with one-time initialisation set aside: see {@link #setAside}. */
    public static ScopeReport setAside(ScopeReport report) {
        return setAside(report, OneTimeInitialisation::matches);
    }

    /**
     * The report as a leak verdict sees it: sites the predicate says are no leak keep their
     * allocated and peak figures but hold nothing live, and the report's live figures leave them
     * out. The same report when no live site matches.
     */
    public static ScopeReport setAside(ScopeReport report, Predicate<Site> notALeak) {
        long bytes = 0;
        long count = 0;
        List<Site> sites = new ArrayList<>(report.sites().size());
        for (Site site : report.sites()) {
            if (site.liveBytes() > 0 && notALeak.test(site)) {
                bytes += site.liveBytes();
                count += site.liveCount();
                sites.add(new Site(site.domain(), site.origin(), site.allocatedBytes(), site.allocatedCount(), 0, 0,
                        site.peakBytes(), site.peakCount(), site.frames(), List.of()));
            } else {
                sites.add(site);
            }
        }
        if (bytes == 0) {
            return report;
        }
        Figures f = report.figures();
        return new ScopeReport(report.domain(), new Figures(f.allocatedBytes(), f.allocatedCount(), f.freedBytes(),
                f.freedCount(), Math.max(0, f.liveBytes() - bytes), Math.max(0, f.liveCount() - count), f.peakBytes()), sites);
    }

    public static boolean matches(Site site) {
        for (Frame frame : site.frames()) {
            if (frame.isJava() && ("<clinit>".equals(frame.methodName()) || LOADING_METHODS.contains(frame.symbol()))) {
                return true;
            }
        }
        return false;
    }
}
